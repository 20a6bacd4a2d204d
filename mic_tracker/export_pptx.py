"""A briefing as a 16:9 slide deck: python-pptx, native tables, charts as kaleido images.

A title slide with the stamp, then one slide per section; a table too long for its slide goes on
to further slides titled "…（续）". Every slide's footer prints the as-of date and, for demo data,
示例数据 in red, so a slide shown alone still says what it is.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationFile
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from mic_tracker.briefing_doc import LIGHT_RGB, BriefingDoc, Section, Table
from mic_tracker.chart_images import images_or_reason

# Installed with fonts-noto-cjk; PowerPoint elsewhere falls back to its own CJK face.
FONT = "Noto Sans CJK SC"
INK = (33, 33, 33)
GREY = (110, 110, 110)
RED = (192, 0, 0)
NAVY = (31, 56, 100)
HEAD_FILL = (226, 231, 238)
WHITE = (255, 255, 255)

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
LEFT, RIGHT = Inches(0.6), Inches(12.733)
CONTENT_TOP, CONTENT_BOTTOM = Inches(1.3), Inches(6.75)
FOOTER_TOP = Inches(6.95)
CHART_PX = (560, 420)  # about the size of its box on the slide, so labels stay legible

BULLET_PT, TABLE_PT, NOTE_PT = 16, 11, 10
LINE = 1.45  # single spacing of Noto Sans CJK (ascent 1.16 + descent 0.29 em)
CELL_PAD = Inches(0.05)
TABLE_GRID_STYLE = "{5940675A-B579-460E-94D1-54222C63F5DA}"
BAND_FILL = (245, 247, 250)

LABELS = {
    "zh": {"cont": "{title}（续）", "no_chart": "（图表未能生成：{reason}）"},
    "en": {"cont": "{title} (cont.)", "no_chart": "(The chart could not be drawn: {reason})"},
}


def pptx_bytes(doc: BriefingDoc) -> bytes:
    """The briefing as a .pptx file's bytes."""
    figs = [s.chart for s in doc.sections if s.chart is not None]
    images, reason = images_or_reason(figs, *CHART_PX)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    deck = _Deck(prs, doc, LABELS.get(doc.lang, LABELS["zh"]))
    _title_slide(deck)
    pictures = iter(images)
    for section in doc.sections:
        image = next(pictures) if section.chart is not None else None
        _section_slides(deck, section, image, reason)
    _number_slides(deck)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def write_pptx(doc: BriefingDoc, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(pptx_bytes(doc))
    return path


@dataclass
class _Deck:
    prs: PresentationFile
    doc: BriefingDoc
    labels: dict[str, str]

    def new_slide(self) -> Slide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        _footer(slide, self.doc)
        return slide


# --- text ---------------------------------------------------------------------------------------


def _style(run, size: float, color: tuple[int, int, int] = INK, bold: bool = False) -> None:
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(*color)
    # font.name sets only the Latin face; Chinese characters take the East Asian one.
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = etree.SubElement(rpr, qn("a:ea"))
    ea.set("typeface", FONT)
    rpr.find(qn("a:latin")).addnext(ea)


def _text_box(
    slide: Slide, left, top, width, height, lines, size, color=INK, bold=False, align=None
):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = 0
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = line
        _style(run, size, color, bold)
    return box


def _text_width(text: str, size: float) -> float:
    """Printed width in inches: CJK and full-width characters are one em, others about half."""
    ems = sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in text)
    return ems * size / 72


def _lines_needed(text: str, width_in: float, size: float) -> int:
    return max(1, math.ceil(_text_width(text, size) / max(width_in, 0.1)))


def _height(lines: int, size: float) -> int:
    return Emu(int(Inches(lines * size * LINE / 72)))


# --- slides -------------------------------------------------------------------------------------


def _footer(slide: Slide, doc: BriefingDoc) -> None:
    box = slide.shapes.add_textbox(LEFT, FOOTER_TOP, Inches(9), Inches(0.35))
    frame = box.text_frame
    frame.margin_left = 0
    para = frame.paragraphs[0]
    if doc.demo:
        run = para.add_run()
        run.text = f"{doc.demo_label}    "
        _style(run, 10, RED, bold=True)
    run = para.add_run()
    run.text = f"{doc.as_of_text}    {doc.title}"
    _style(run, 10, GREY)
    rule = slide.shapes.add_connector(1, LEFT, FOOTER_TOP, RIGHT, FOOTER_TOP)
    rule.line.color.rgb = RGBColor(*GREY)
    rule.line.width = Pt(0.5)


def _number_slides(deck: _Deck) -> None:
    total = len(deck.prs.slides)
    for n, slide in enumerate(deck.prs.slides, start=1):
        _text_box(
            slide, Inches(10.7), FOOTER_TOP, Inches(2.033), Inches(0.35), [f"{n} / {total}"], 10,
            GREY, align=PP_ALIGN.RIGHT,
        )  # fmt: skip


def _title_slide(deck: _Deck) -> None:
    doc = deck.doc
    slide = deck.new_slide()
    width = RIGHT - LEFT
    _text_box(
        slide, LEFT, Inches(1.7), width, Inches(1.2), [doc.title], 36, RED, True, PP_ALIGN.CENTER
    )
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, LEFT, Inches(3.0), width, Inches(0.06))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(*RED)
    bar.line.fill.background()
    top = Inches(3.3)
    if doc.demo:
        mark_w = Inches(2.2)
        mark = slide.shapes.add_textbox((SLIDE_W - mark_w) // 2, top, mark_w, Inches(0.55))
        mark.line.color.rgb = RGBColor(*RED)
        mark.line.width = Pt(1.5)
        para = mark.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.CENTER
        run = para.add_run()
        run.text = doc.demo_label
        _style(run, 20, RED, bold=True)
        top = Inches(4.05)
    lines = [doc.as_of_text, doc.filters_text, doc.last_change_text]
    _text_box(slide, LEFT, top, width, Inches(1.5), lines, 16, GREY, align=PP_ALIGN.CENTER)


def _section_title(slide: Slide, title: str) -> None:
    _text_box(slide, LEFT, Inches(0.4), RIGHT - LEFT, Inches(0.7), [title], 26, NAVY, True)
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, LEFT, Inches(1.1), RIGHT - LEFT, Inches(0.03))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(*NAVY)
    bar.line.fill.background()


def _section_slides(deck: _Deck, section: Section, image: bytes | None, reason: str) -> None:
    slide = deck.new_slide()
    _section_title(slide, section.title)
    width = RIGHT - LEFT
    top = CONTENT_TOP
    bottom = CONTENT_BOTTOM
    if section.note:
        note_h = _height(_lines_needed(section.note, width / 914400, NOTE_PT), NOTE_PT)
        bottom -= note_h + Inches(0.05)
        _text_box(slide, LEFT, bottom + Inches(0.05), width, note_h, [section.note], NOTE_PT, GREY)
    if section.lines:
        top = _bullets(slide, section.lines, top, width) + Inches(0.15)
    has_chart = section.chart is not None
    table_w = int(width * 0.58) if has_chart and section.table else width
    if has_chart:
        chart_left = LEFT + table_w + Inches(0.2) if section.table else LEFT
        chart_w = RIGHT - chart_left
        _chart(slide, deck, image, reason, chart_left, top, chart_w, bottom - top)
    if section.table is None:
        return
    rows = section.table.rows
    col_w = _column_widths(section.table, table_w)
    start = 0
    while True:
        end = _rows_that_fit(section.table, col_w, start, bottom - top)
        _table(slide, section.table, start, end, LEFT, top, col_w)
        start = end
        if start >= len(rows):
            return
        slide = deck.new_slide()
        _section_title(slide, deck.labels["cont"].format(title=section.title))
        top, bottom = CONTENT_TOP, CONTENT_BOTTOM
        col_w = _column_widths(section.table, width)


def _bullets(slide: Slide, lines: list[str], top: int, width: int) -> int:
    """The sentences as bullets; returns the bottom edge they need."""
    text_w = (width - Inches(0.3)) / 914400
    count = sum(_lines_needed(line, text_w, BULLET_PT) for line in lines)
    height = _height(count, BULLET_PT) + Inches(0.1) * len(lines)
    box = _text_box(slide, LEFT, top, width, height, [f"•  {line}" for line in lines], BULLET_PT)
    for para in box.text_frame.paragraphs:
        para.space_after = Pt(4)
    return top + height


def _chart(slide: Slide, deck: _Deck, image, reason, left, top, width, height) -> None:
    if image is None:
        text = deck.labels["no_chart"].format(reason=reason)
        _text_box(slide, left, top, width, Inches(0.8), [text], 12, RED)
        return
    # Fit the picture inside the box, keeping its proportions.
    scale = min(width / CHART_PX[0], height / CHART_PX[1])
    w, h = int(CHART_PX[0] * scale), int(CHART_PX[1] * scale)
    slide.shapes.add_picture(io.BytesIO(image), left + (width - w) // 2, top, w, h)


# --- tables -------------------------------------------------------------------------------------


def _column_widths(table: Table, width: int) -> list[int]:
    weights = table.widths or [1.0] * len(table.columns)
    total = sum(weights)
    return [int(width * w / total) for w in weights]


def _row_height(cells: list[str], col_w: list[int], size: float) -> int:
    usable = [(w - 2 * CELL_PAD) / 914400 for w in col_w]
    lines = max(_lines_needed(t, u, size) for t, u in zip(cells, usable, strict=False))
    return _height(lines, size) + 2 * CELL_PAD


def _rows_that_fit(table: Table, col_w: list[int], start: int, space: int) -> int:
    """The end index of the rows from `start` that fit under the header (at least one)."""
    used = _row_height(table.columns, col_w, TABLE_PT)
    end = start
    while end < len(table.rows):
        used += _row_height(table.rows[end], col_w, TABLE_PT)
        if used > space and end > start:
            break
        end += 1
    return end


def _table(slide: Slide, table: Table, start: int, end: int, left, top, col_w) -> None:
    rows = table.rows[start:end]
    height = _row_height(table.columns, col_w, TABLE_PT) + sum(
        _row_height(r, col_w, TABLE_PT) for r in rows
    )
    shape = slide.shapes.add_table(len(rows) + 1, len(table.columns), left, top, sum(col_w), height)
    grid = shape.table
    # "No Style, Table Grid": thin dark rules between cells instead of the default blue bands.
    style_id = shape._element.graphic.graphicData.tbl.tblPr.find(qn("a:tableStyleId"))
    style_id.text = TABLE_GRID_STYLE
    for j, w in enumerate(col_w):
        grid.columns[j].width = w
    grid.rows[0].height = _row_height(table.columns, col_w, TABLE_PT)
    for j, name in enumerate(table.columns):
        _cell(grid.cell(0, j), name, HEAD_FILL, NAVY, bold=True)
    for i, cells in enumerate(rows, start=1):
        grid.rows[i].height = _row_height(cells, col_w, TABLE_PT)
        index = start + i - 1
        light = table.lights[index] if index < len(table.lights) else None
        for j, text in enumerate(cells):
            if j == table.light_column and light in LIGHT_RGB:
                _cell(grid.cell(i, j), text, LIGHT_RGB[light], WHITE, bold=True, center=True)
            else:
                _cell(grid.cell(i, j), text, BAND_FILL if i % 2 == 0 else WHITE, INK)


def _cell(cell, text: str, fill, color, bold: bool = False, center: bool = False) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor(*fill)
    cell.margin_left = cell.margin_right = cell.margin_top = cell.margin_bottom = CELL_PAD
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    para = cell.text_frame.paragraphs[0]
    if center:
        para.alignment = PP_ALIGN.CENTER
    run = para.add_run()
    run.text = text
    _style(run, TABLE_PT, color, bold)
