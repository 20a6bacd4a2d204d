"""gc_pause.collector_paused: the collector is off inside and back as it was after."""

from __future__ import annotations

import gc

import pytest

from mic_tracker.gc_pause import collector_paused


def test_collector_is_off_inside_and_on_again_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
