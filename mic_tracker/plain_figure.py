"""A Plotly figure kept as its JSON dict: built without plotly's per-property validation.

Plotly validates every property as a figure is built (each add_trace, update_layout and
add_annotation again); for the dashboard's figures that was most of a filter change's time.
Builders write the JSON directly and tests validate each builder's output once instead.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


class PlainFigure(go.Figure):
    """A figure held as Plotly's JSON (`{"data": [...], "layout": {...}}`), unvalidated.

    st.plotly_chart takes a plotly Figure's to_dict() as already valid and serialises it; a
    plain dict would be rebuilt into validated objects first. Only to_dict and the spec are
    meant to be used: plotly's object API is not set up (its __init__ is skipped on purpose).
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self._spec = spec

    def to_dict(self) -> dict[str, Any]:
        return self._spec

    def validated(self) -> go.Figure:
        """The same figure through plotly's validation (for tests and image export)."""
        return go.Figure(self._spec)
