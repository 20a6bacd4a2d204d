"""A briefing as an A4 PDF to hand out: fpdf2, Noto Sans CJK embedded, charts as kaleido images.

The layout follows the printed briefings of a city office: the title over a red rule, the stamp
(as-of date, filters, last change, 示例数据) under it, then the sections in order. Every page
carries a running header (title, as-of date, 示例数据) and a footer with "第 N 页 / 共 M 页".
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode

from mic_tracker.briefing_doc import LIGHT_RGB, BriefingDoc, Section, Table
from mic_tracker.chart_images import images_or_reason
from mic_tracker.errors import TrackerError

# Debian's fonts-noto-cjk ships collections (.ttc); fpdf2 embeds one face of a collection by index.
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FAMILY = (
    "Noto Sans CJK SC"  # simplified-Chinese glyph forms, the face a Luoyang reader expects
)
FONT_FILES = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
FONT = "noto"

INK = (33, 33, 33)
GREY = (110, 110, 110)
RED = (192, 0, 0)  # the red of the title rule and the 示例数据 mark
NAVY = (31, 56, 100)
HEAD_FILL = (226, 231, 238)

# Chart image size in CSS pixels: near the page width at 96 px/in, so its 12 px labels print near 8 pt.
CHART_PX = (860, 290)

LABELS = {
    "zh": {"page": "第 {n} 页 / 共 {m} 页", "no_chart": "（图表未能生成：{reason}）"},
    "en": {"page": "Page {n} of {m}", "no_chart": "(The chart could not be drawn: {reason})"},
}


class FontMissing(TrackerError):
    """The Chinese font the PDF embeds is not installed."""


def pdf_bytes(doc: BriefingDoc) -> bytes:
    """The briefing as a PDF file's bytes."""
    figs = [s.chart for s in doc.sections if s.chart is not None]
    images, reason = images_or_reason(figs, *CHART_PX)
    pdf = _BriefingPDF(doc)
    _title_block(pdf, doc)
    pictures = iter(images)
    for section in doc.sections:
        image = next(pictures) if section.chart is not None else None
        _section(pdf, doc, section, image, reason)
    return bytes(pdf.output())


def write_pdf(doc: BriefingDoc, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(pdf_bytes(doc))
    return path


@cache
def _face_index(path: Path) -> int:
    """Which face of the collection is the simplified-Chinese one (the order differs by release)."""
    collection = TTCollection(str(path), lazy=True)
    try:
        for i, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1) == FONT_FAMILY:
                return i
    finally:
        collection.close()
    raise FontMissing(f"字体文件 {path} 中没有「{FONT_FAMILY}」。")


def _add_fonts(pdf: FPDF) -> None:
    for style, name in FONT_FILES.items():
        path = FONT_DIR / name
        if not path.is_file():
            raise FontMissing(
                f"无法生成 PDF：未找到中文字体 {path}。请运行 scripts/system-deps.sh 安装 fonts-noto-cjk。"
            )
        pdf.add_font(FONT, style, path, collection_font_number=_face_index(path))


class _BriefingPDF(FPDF):
    def __init__(self, doc: BriefingDoc) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        self.labels = LABELS.get(doc.lang, LABELS["zh"])
        # Chinese has no spaces to break at; English must not break inside words.
        self.wrap = WrapMode.WORD if doc.lang == "en" else WrapMode.CHAR
        _add_fonts(self)
        self.set_margins(18, 22, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(doc.title)
        self.set_creator("mic_tracker")
        self.alias_nb_pages()
        self.add_page()

    def header(self) -> None:
        top = 10
        self.set_xy(self.l_margin, top)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(self.epw * 0.55, 5, self.doc.title)
        date_width = self.get_string_width(self.doc.as_of_text) + 2 * self.c_margin
        right = self.w - self.r_margin - date_width
        self.set_xy(right, top)
        self.cell(date_width, 5, self.doc.as_of_text, align="R")
        if self.doc.demo:
            self.set_font(FONT, "B", 8)
            self.set_text_color(*RED)
            width = self.get_string_width(self.doc.demo_label) + 2 * self.c_margin
            self.set_xy(right - width - 2, top)
            self.cell(width, 5, self.doc.demo_label)
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(self.l_margin, top + 6, self.w - self.r_margin, top + 6)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.labels["page"].format(n=self.page_no(), m="{nb}"), align="C")


def _title_block(pdf: _BriefingPDF, doc: BriefingDoc) -> None:
    pdf.set_font(FONT, "B", 18)
    pdf.set_text_color(*RED)
    pdf.multi_cell(0, 9, doc.title, align="C", wrapmode=pdf.wrap, new_x="LMARGIN")
    pdf.ln(1)
    y = pdf.get_y()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(3)
    if doc.demo:
        _demo_mark(pdf, doc.demo_label)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*GREY)
    for line in (doc.as_of_text, doc.filters_text, doc.last_change_text):
        pdf.multi_cell(0, 4.6, line, align="C", wrapmode=pdf.wrap, new_x="LMARGIN")
    pdf.ln(3)


def _demo_mark(pdf: _BriefingPDF, label: str) -> None:
    """A red boxed 示例数据 centred under the rule, so nobody quotes the figures as real."""
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*RED)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.5)
    width = pdf.get_string_width(label) + 8
    pdf.set_x((pdf.w - width) / 2)
    pdf.cell(width, 7, label, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _section(
    pdf: _BriefingPDF, doc: BriefingDoc, section: Section, image: bytes | None, reason: str
) -> None:
    # A title with less than a few lines of room below it would be left alone at a page's foot.
    if pdf.get_y() > pdf.page_break_trigger - 30:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*NAVY)
    pdf.set_fill_color(*NAVY)
    y = pdf.get_y()
    pdf.rect(pdf.l_margin, y + 1, 1.2, 5, style="F")
    pdf.set_x(pdf.l_margin + 3)
    pdf.multi_cell(0, 7, section.title, wrapmode=pdf.wrap, new_x="LMARGIN")
    pdf.ln(0.5)
    _sentences(pdf, section.lines)
    if section.table is not None:
        _table(pdf, section.table)
    if section.chart is not None:
        _chart(pdf, image, reason)
    if section.note:
        pdf.set_font(FONT, "", 7.5)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 3.8, section.note, wrapmode=pdf.wrap, new_x="LMARGIN")
    pdf.ln(1)


def _sentences(pdf: _BriefingPDF, lines: list[str]) -> None:
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*INK)
    for line in lines:
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(4, 5.4, "•")
        pdf.multi_cell(0, 5.4, line, wrapmode=pdf.wrap, new_x="LMARGIN")
    pdf.ln(1)


def _table(pdf: _BriefingPDF, table: Table) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    pdf.set_fill_color(255, 255, 255)  # fpdf2 paints body cells in the current fill colour
    head = FontFace(family=FONT, emphasis="BOLD", color=NAVY, fill_color=HEAD_FILL)
    with pdf.table(
        col_widths=tuple(table.widths) if table.widths else None,
        headings_style=head,
        line_height=4.4,
        text_align="LEFT",
        wrapmode=pdf.wrap,
        padding=(0.8, 1.2),
        repeat_headings=1,  # a table that breaks shows its header again on the next page
    ) as grid:
        heading = grid.row()
        for name in table.columns:
            heading.cell(name)
        for i, cells in enumerate(table.rows):
            light = table.lights[i] if i < len(table.lights) else None
            row = grid.row()
            for j, text in enumerate(cells):
                if j == table.light_column and light in LIGHT_RGB:
                    style = FontFace(
                        emphasis="BOLD", color=(255, 255, 255), fill_color=LIGHT_RGB[light]
                    )
                    row.cell(text, align="C", style=style)
                else:
                    row.cell(text)
    pdf.ln(2)


def _chart(pdf: _BriefingPDF, image: bytes | None, reason: str) -> None:
    if image is None:
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*RED)
        text = pdf.labels["no_chart"].format(reason=reason)
        pdf.multi_cell(0, 4.8, text, wrapmode=pdf.wrap, new_x="LMARGIN")
        pdf.ln(1)
        return
    height = pdf.epw * CHART_PX[1] / CHART_PX[0]
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(io.BytesIO(image), x=pdf.l_margin, w=pdf.epw, h=height)
    pdf.ln(1)
