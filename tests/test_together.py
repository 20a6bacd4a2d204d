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


def _derived_script() -> None:
    import streamlit as st

    from mic_tracker.scope import Scope
    from mic_tracker.ui.data import derived

    st.session_state["scope"] = Scope(*st.session_state["who"])
    st.session_state["_status"] = {"data_version": st.session_state["version"]}
    built = st.session_state.setdefault("built", [])

    def total(*parts: int) -> int:
        built.append(parts)
        return sum(parts)

    st.text(str(derived(total, (st.session_state["key"],), *st.session_state["parts"])))


def test_derived_builds_once_per_key_version_and_person() -> None:
    """Test that a value derived from shared parts is built once for a key, is not built
    again on a rerun with the same key, and is built again for another key, another data
    version or another signed-in person."""
    at = AppTest.from_function(_derived_script)
    at.session_state["who"] = ("user:甲", "editor", None)
    at.session_state["version"] = "1"
    at.session_state["key"] = "2026-11-26"
    at.session_state["parts"] = (1, 2)
    at.run()
    at.run()
    assert [t.value for t in at.text] == ["3"]
    assert at.session_state["built"] == [(1, 2)]
    at.session_state["parts"] = (5, 5)  # the same key: the kept value stands
    at.run()
    assert [t.value for t in at.text] == ["3"]
    for name, value in [
        ("key", "2026-11-27"),
        ("version", "2"),
        ("who", ("user:乙", "county_editor", "410305")),
    ]:
        at.session_state[name] = value
        at.run()
        assert not at.exception
        assert [t.value for t in at.text] == ["10"]
    assert len(at.session_state["built"]) == 4


def test_cached_calls_tell_apart_filters_that_differ_in_any_field() -> None:
    """Test that the cache hashes Filters (HASH_FUNCS) so that views differing in any one
    field are different entries, and equal views the same entry."""
    from mic_tracker.report import Filters
    from mic_tracker.ui.data import HASH_FUNCS

    views = [
        Filters(),
        Filters(sectors=("新材料",)),
        Filters(sectors=("新材料", "生物医药")),
        Filters(fields=(3,)),
        Filters(counties=("410305",)),
        Filters(forms=("企业主导",)),
    ]
    keys = {HASH_FUNCS[Filters](f) for f in views}
    assert len(keys) == len(views)
    assert HASH_FUNCS[Filters](Filters(fields=(3,))) == HASH_FUNCS[Filters](Filters(fields=(3,)))
