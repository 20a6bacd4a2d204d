"""The briefing deck: opened again with python-pptx and read the way a presenter would."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches

from mic_tracker.briefing_doc import LIGHT_RGB
from mic_tracker.export_pptx import FONT, pptx_bytes, write_pptx
from tests.test_export_pdf import sample_doc


def slide_texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Presentation:
    """The sample briefing with its chart, written once and opened again."""
    path = write_pptx(sample_doc(), tmp_path_factory.mktemp("pptx") / "briefing.pptx")
    return Presentation(str(path))


def test_deck_is_16_9_with_title_slide_and_one_slide_per_section(deck: Presentation) -> None:
    """Test that the deck has a title slide, then each section, the long list on more slides."""
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(deck.slides)
    doc = sample_doc()
    assert doc.title in slide_texts(slides[0])
    titles = [slide_texts(s) for s in slides[1:]]
    assert doc.sections[0].title in titles[0]
    assert doc.sections[1].title in titles[1]
    assert doc.sections[2].title in titles[2]
    continued = [t for t in titles if "三、培育对象清单（续）" in t]
    assert len(continued) >= 2, "a 60-row table cannot fit one slide"
    assert len(slides) == 1 + len(doc.sections) + len(continued)


def test_every_slide_shows_as_of_date_and_demo_mark(deck: Presentation) -> None:
    """Test that each slide's footer carries the as-of date and 示例数据."""
    for slide in deck.slides:
        text = slide_texts(slide)
        assert "截至2025年6月30日" in text
        assert "示例数据" in text


def test_title_slide_prints_the_stamp(deck: Presentation) -> None:
    """Test that the title slide prints the filters and the data's last change."""
    text = slide_texts(deck.slides[0])
    assert "筛选：全部（目标为全市目标）" in text
    assert "数据最后更新：2025-06-28 17:42" in text


def test_target_table_is_native_with_light_cells_coloured(deck: Presentation) -> None:
    """Test that the target table is a pptx table whose status cells are filled in LIGHT_RGB."""
    (grid,) = tables(deck.slides[1])
    doc = sample_doc()
    table = doc.sections[0].table
    assert [c.text for c in grid.rows[0].cells] == table.columns
    assert [c.text for c in grid.rows[2].cells] == table.rows[1]
    for i, light in enumerate(table.lights, start=1):
        cell = grid.cell(i, table.light_column)
        assert cell.fill.fore_color.rgb == RGBColor(*LIGHT_RGB[light])
    assert grid.cell(1, 1).fill.fore_color.rgb not in {RGBColor(*c) for c in LIGHT_RGB.values()}


def test_long_table_continues_with_header_and_every_row_once(deck: Presentation) -> None:
    """Test that the 60 rows are split over slides, each part headed, no row lost or repeated."""
    parts = [g for s in list(deck.slides)[3:] for g in tables(s)]
    assert len(parts) >= 3
    numbers = []
    for grid in parts:
        assert grid.cell(0, 2).text == "牵头单位"
        numbers.extend(row.cells[0].text for row in list(grid.rows)[1:])
    assert numbers == [str(i) for i in range(1, 61)]


def test_tables_stay_above_the_footer(deck: Presentation) -> None:
    """Test that no table (at its planned row heights) reaches into the footer band."""
    footer_top = Inches(6.95)
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table:
                bottom = shape.top + sum(Emu(r.height) for r in shape.table.rows)
                assert bottom <= footer_top


def test_chart_slide_has_a_picture(deck: Presentation) -> None:
    """Test that the section with a chart shows it as a PNG picture."""
    pictures = [s for s in deck.slides[2].shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0].image.blob.startswith(b"\x89PNG")


def test_runs_use_the_cjk_font(deck: Presentation) -> None:
    """Test that runs name Noto Sans CJK SC for both Latin and East Asian text."""
    shape = next(s for s in deck.slides[1].shapes if s.has_text_frame and "目标进度" in s.text)
    run = shape.text_frame.paragraphs[0].runs[0]
    assert run.font.name == FONT
    ea = run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea is not None and ea.get("typeface") == FONT


def test_english_non_demo_deck(tmp_path: Path) -> None:
    """Test that an English deck continues tables as "(cont.)" and prints no demo mark."""
    doc = sample_doc(demo=False, chart=False, lang="en")
    deck = Presentation(io.BytesIO(pptx_bytes(doc)))
    texts = [slide_texts(s) for s in deck.slides]
    assert any("三、培育对象清单 (cont.)" in t for t in texts)
    assert all("示例数据" not in t for t in texts)
    assert all("截至2025年6月30日" in t for t in texts)
