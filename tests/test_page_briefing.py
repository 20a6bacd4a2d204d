"""AppTest of the 简报 page: the sentences and sections, saving a briefing and the movement
since it, who may save, the account scope, the demo label and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_app

PAGE = "app_pages/briefing.py"


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


def _html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_briefing_shows_the_hand_worked_sentences_and_every_section(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch, PAGE, as_of="2022-06-30")
    text = _text(at)
    assert "按当前进度预计到2025年底可达11–19家" in text
    assert "2025年市级创新中心每年需新增4家" in text
    assert [s.value for s in at.subheader] == [
        "要点",
        "目标进度",
        "预测：到2025年12月31日",
        "与上次简报相比",
        "需要关注的预警（前5项）",
        "尚无在建中心的重点领域（19个）",
        "县区排名（按市级创新中心数）",
    ]
    assert "11–19" in _html(at) and "示例数据" not in _html(at)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载 PDF", "下载 PPTX"]


def test_saving_a_briefing_makes_the_next_one_compare_with_it(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch, PAGE, as_of="2020-06-30")
    at.text_input(key="briefing_title").set_value("2020年中简报")
    at.button(key="briefing_save_button").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已保存：2020年中简报"]

    later = open_app(messy_db, monkeypatch, PAGE, as_of="2022-06-30")
    text = _text(later)
    assert "与上次简报（2020年中简报，截至2020年6月30日）相比：改善" in text
    assert "黄 → 红" in _html(later)  # 2020 province: at risk then, missed once 2020 ended


@pytest.mark.parametrize("role", ["viewer", "county_editor"])
def test_only_the_bureau_can_save_a_briefing(
    role: str, messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = "410305" if role == "county_editor" else None
    at = open_app(messy_db, monkeypatch, PAGE, role=role, scope_county=county, as_of="2022-06-30")
    assert not at.exception
    assert "briefing_save_button" not in [b.key for b in at.button]
    assert "按当前进度预计到2025年底可达11–19家" in _text(at)  # city totals for every role


def test_a_county_editor_sees_only_their_own_centers_in_the_alerts(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(
        messy_db, monkeypatch, PAGE, role="county_editor", scope_county="410305", as_of="2022-06-30"
    )
    html = _html(at)
    assert "预警、空白领域和县区排名只计涧西区的中心" in html
    assert "洛阳人工智能创新中心" not in html  # 高新区's center: an alert city-wide, not theirs
    assert "洛阳高端轴承制造业创新中心" in html


def test_demo_data_is_labelled_on_the_briefing(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(demo_db, monkeypatch, PAGE)
    assert "示例数据" in _html(at)


def test_english_briefing_page(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_app(messy_db, monkeypatch, PAGE, as_of="2022-06-30", lang="en")
    assert at.title[0].value == "Leadership briefing"
    headings = " ".join(s.value for s in at.subheader)
    assert "Key points" in headings and not re.search(r"[\u4e00-\u9fff]", headings)
    assert "11–19 expected by the end of 2025" in _text(at)
