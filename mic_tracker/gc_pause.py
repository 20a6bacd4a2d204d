"""Building many small records at once without Python's cyclic garbage collector in the way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of records (row dicts,
    tuples) are made: each new one counts towards its next run, and each run scans everything
    alive again, two thirds or more of the time at 20,000 centers. The records hold no
    cycles; the collector runs as usual afterwards (and stays off if it was off)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
