"""ui.data.together: cached reads run at the same time, each seeing the session as the script does."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import threading

    import streamlit as st

    from mic_tracker.ui.data import together

    st.session_state["who"] = "编辑甲"
    main = threading.get_ident()

    def read() -> tuple[str, bool]:
        return st.session_state["who"], threading.get_ident() == main

    st.text(repr(together(read, read, read)))
    try:
        together(lambda: 1, lambda: 1 / 0)
    except ZeroDivisionError:
        st.text("raised")


def test_together_returns_results_in_order_sees_the_session_and_raises_errors() -> None:
    """Test that the first call runs in the script's thread and the others in threads that
    still read this session's state, results come back in call order, and an error in any
    call is raised to the page (which shows it through show_error)."""
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [t.value for t in at.text] == [
        "[('编辑甲', True), ('编辑甲', False), ('编辑甲', False)]",
        "raised",
    ]
