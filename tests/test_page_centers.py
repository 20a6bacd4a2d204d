"""AppTest of the centers page: the list as of a date, search, filters, one center's page.

Figures are hand-worked from tests/fixtures/EXPECTED.md (see tests/test_center_detail.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_app

A = "洛阳高端轴承制造业创新中心"
B = "洛阳先进耐火材料制造业创新中心"
C = "洛阳智能矿山装备创新中心"
E = "洛阳功能玻璃新材料创新中心"
F = "洛阳石化新材料制造业创新中心"
G = "洛阳节能环保装备创新中心"
L = "洛阳高性能合金材料创新中心"


def open_page(db_path: Path, monkeypatch: pytest.MonkeyPatch, **params: str | list[str]) -> AppTest:
    return open_app(db_path, monkeypatch, "app_pages/centers.py", **params)


def table_names(at: AppTest) -> set[str]:
    return set(at.dataframe(key="center_table").value["name"])


def timeline(at: AppTest) -> dict[str, Any]:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def timeline_labels(at: AppTest) -> list[str]:
    """The timeline's rows top to bottom: one per event label, oldest first."""
    return list(timeline(at)["layout"]["yaxis"]["categoryarray"])


def test_list_shows_the_centers_that_existed_on_the_date(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that on 2022-06-30 the table lists 14 centers with their stage in Chinese."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    table = at.dataframe(key="center_table").value.set_index("name")
    # 16 registered; P (first event 2022-08-15) and J (2025-10-20) had not started.
    assert len(table) == 14
    assert table.loc[C, "stage_label"] == "市级创新中心"
    assert table.loc[E, "stage_label"] == "培育资格已取消"
    # M listed 2020-09-28, still in cultivation: two years end on 2022-09-28 (a working day).
    assert table.loc["洛阳高端铝材创新中心", "next_deadline"] == "2022-09-28 培育期满"
    assert "符合筛选条件的中心 14 家" in at.caption[0].value
    assert not at.get("plotly_chart")  # no center chosen yet: no detail
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 CSV", "下载 Excel"]


def download_names(at: AppTest) -> list[str]:
    """The file names the download buttons offer (their tooltip says 文件名：…)."""
    return [b.proto.help.removeprefix("文件名：") for b in at.get("download_button")]


def test_downloads_are_named_with_the_date_and_the_filters(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the list's CSV and Excel files carry the as-of date, the county and the search."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30", county="涧西区")
    assert [b.proto.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel"]
    assert download_names(at) == [
        "创新中心名单_截至2022-06-30_涧西区.csv",
        "创新中心名单_截至2022-06-30_涧西区.xlsx",
    ]
    at.text_input(key="q").input("轴承").run()
    assert download_names(at)[0] == "创新中心名单_截至2022-06-30_涧西区_搜索轴承.csv"


def test_search_narrows_the_table(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that typing in the search box keeps only the matching centers, and clearing it restores them."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    at.text_input(key="q").input("新材料").run()
    assert not at.exception
    # E (功能玻璃新材料: name and field) and F (石化新材料: name).
    assert table_names(at) == {E, F}
    assert "搜索「新材料」命中 2 家" in at.caption[0].value
    at.text_input(key="q").input("").run()
    assert len(table_names(at)) == 14


def test_filters_narrow_the_table(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that the county and level filters of the sidebar narrow the list."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30", county="涧西区")
    assert table_names(at) == {A, B, C, L}  # EXPECTED.md: 涧西 = A, B, C, L
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30", level="省级创新中心")
    assert table_names(at) == {A, B, G}  # EXPECTED.md D5: province {A, B, G}


def test_choosing_a_center_shows_its_timeline(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that choosing C shows its stage, its ten events up to 2022-06-30 and its attributes."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    at.selectbox(key="center").select(C).run()
    assert not at.exception
    assert at.subheader[0].value == C
    assert any("**市级创新中心**" in m.value for m in at.markdown)
    labels = timeline_labels(at)
    # make_fixture.py block C: ten events on or before 2022-06-30, the last the failed 2021
    # evaluation; the rectification (09-30) and revocation (10-20) are later and not shown.
    assert len(labels) == 10
    assert labels[0] == "申报" and labels[-1] == "年度评价（2021年度，不合格）"
    assert "撤销称号（市级）" not in labels
    facts = next(d.value for d in at.dataframe if "项目" in d.value.columns)
    facts = facts.set_index("项目")["内容"]
    assert facts["注册资本"] == "1200万元" and facts["牵头单位上年销售收入"] == "65.3亿元"


def test_center_in_the_url_opens_its_page_as_of_a_later_date(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that ?center= opens C's page, and by 2022-12-31 it shows the revocation."""
    at = open_page(messy_db, monkeypatch, as_of="2022-12-31", center=C)
    assert at.selectbox(key="center").value == C
    assert any("**市级称号已撤销**" in m.value for m in at.markdown)
    labels = timeline_labels(at)
    assert len(labels) == 12
    assert labels[-2:] == ["整改评价（不合格）", "撤销称号（市级）"]
    legend = [trace["name"] for trace in timeline(at)["data"]]
    assert "不合格、取消或撤销" in legend


def test_a_search_that_excludes_the_chosen_center_closes_its_page(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the detail goes away when the chosen center is no longer in the list."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30", center=C)
    assert at.get("plotly_chart")
    at.text_input(key="q").input("新材料").run()
    assert not at.exception
    assert at.selectbox(key="center").value is None
    assert not at.get("plotly_chart")


def test_a_long_list_offers_its_first_names_and_the_chosen_one_in_the_picker() -> None:
    """Test that past the limit the picker offers the first names plus the chosen center (a
    clicked row far down the list), never a name outside the list."""
    import pandas as pd

    from mic_tracker.centers import picker_names

    frame = pd.DataFrame({"name": [f"中心{i}" for i in range(10)]})
    assert picker_names(frame, None, limit=20) == list(frame["name"])
    assert picker_names(frame, "中心8", limit=3) == ["中心0", "中心1", "中心2", "中心8"]
    assert picker_names(frame, "中心1", limit=3) == ["中心0", "中心1", "中心2"]
    assert picker_names(frame, "别处的中心", limit=3) == ["中心0", "中心1", "中心2"]


def test_a_long_list_draws_its_first_rows_and_marks_the_chosen_one_only_among_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a list longer than SHOWN_ROWS draws that many rows with a line giving the
    total; a chosen center among them is highlighted, one past them is not (its page still
    opens): a highlight on a row the table does not draw would point nowhere."""
    import datetime as dt

    from mic_tracker import db
    from mic_tracker.bench import make_database
    from mic_tracker.centers import center_list
    from mic_tracker.report import make_filters
    from mic_tracker.ui.tables import SHOWN_ROWS

    path = make_database(tmp_path, 700)
    with db.connect(path) as con:
        listed = list(center_list(con, dt.date(2026, 11, 26), make_filters(), ())["name"])
    assert len(listed) > SHOWN_ROWS
    at = open_page(path, monkeypatch, as_of="2026-11-26")
    assert list(at.dataframe(key="center_table").value["name"]) == listed[:SHOWN_ROWS]
    note = f"显示前 {SHOWN_ROWS:,} 行，共 {len(listed):,} 行；下载的文件含全部。"
    assert note in [c.value for c in at.caption]
    for position, marked in ((3, [3]), (SHOWN_ROWS + 5, [])):
        at = open_page(path, monkeypatch, as_of="2026-11-26", center=listed[position])
        assert at.session_state["center_table"]["selection"]["rows"] == marked
        assert at.subheader[0].value == listed[position]
