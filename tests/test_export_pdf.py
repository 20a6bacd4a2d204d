"""The briefing PDF: read back with poppler (pdftotext, pdffonts), as a reader's tools see it."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import plotly.graph_objects as go
import pytest

from mic_tracker.briefing_doc import BriefingDoc, Section, Table
from mic_tracker.cli import main
from mic_tracker.export_pdf import pdf_bytes, write_pdf

COUNTIES = [
    "涧西区",
    "西工区",
    "老城区",
    "瀍河区",
    "洛龙区",
    "孟津区",
    "偃师区",
    "新安县",
    "宜阳县",
]
FIELDS = ["新材料", "高端装备", "新能源", "电子信息", "生物医药", "节能环保"]
LONG_COLUMNS = ["序号", "中心名称", "牵头单位", "县区", "重点领域", "所处阶段"]


def target_table() -> Table:
    rows = [
        ["2020", "市级培育对象", "12", "10", "—", "已达成"],
        ["2020", "市级创新中心", "4", "5", "1", "滞后"],
        ["2021", "市级培育对象", "18", "20", "2", "预警"],
        ["2021", "市级创新中心", "7", "8", "1", "预警"],
        ["2022", "省级创新中心", "2", "1—2", "—", "已达成"],
        ["2022", "市级创新中心", "10", "10", "—", "正常"],
        ["2025", "市级培育对象", "26", "30", "4", "正常"],
        ["2025", "国家级创新中心", "0", "1", "1", "滞后"],
    ]
    lights = ["green", "red", "amber", "amber", "green", "green", "green", "red"]
    return Table(
        columns=["年份", "指标", "现有", "目标", "差距", "状态"],
        rows=rows,
        light_column=5,
        lights=lights,
        widths=[1, 2.4, 1, 1, 1, 1.2],
    )


def long_table(n: int = 60) -> Table:
    rows = []
    for i in range(1, n + 1):
        field = FIELDS[i % len(FIELDS)]
        county = COUNTIES[i % len(COUNTIES)]
        rows.append(
            [
                str(i),
                f"洛阳市{field}制造业创新中心（第{i}号）",
                f"洛阳{county}{field}科技股份有限公司联合河南科技大学共同组建",
                county,
                field,
                "列入市级培育名单" if i % 3 else "认定为市级",
            ]
        )
    return Table(columns=LONG_COLUMNS, rows=rows, widths=[0.6, 2.6, 3.4, 1, 1, 1.6])


def bar_chart() -> go.Figure:
    fig = go.Figure(go.Bar(x=FIELDS, y=[5, 8, 3, 6, 2, 4], marker_color="#1f3864"))
    fig.update_layout(title="各重点领域创新中心数量", yaxis_title="家", template="plotly_white")
    return fig


def sample_doc(*, demo: bool = True, chart: bool = True, lang: str = "zh") -> BriefingDoc:
    """A briefing as briefing.build would fill it: targets with lights, a chart, a long list."""
    targets = Section(
        key="targets",
        title="一、目标进度",
        lines=[
            "截至2025年6月30日，全市共有市级创新中心培育对象26家，距2025年底目标还差4家。",
            "市级制造业创新中心已认定10家，完成2022年底目标。",
            "省级制造业创新中心2家，达到“1—2家”的目标区间。",
            "国家级制造业创新中心尚未实现零的突破，列为滞后。",
        ],
        table=target_table(),
        note="说明：进度按方案发布日（2019年3月14日）至目标年底线性推算；目标为全市目标。",
    )
    movement = Section(
        key="fields",
        title="二、重点领域分布",
        lines=[
            "高端装备领域中心最多，共8家。",
            "生物医药领域仅2家，建议加强培育。",
            "新材料领域本季度新增1家。",
        ],
        chart=bar_chart() if chart else None,
        note="口径：按中心所属第一重点领域计数。",
    )
    centers = Section(
        key="centers",
        title="三、培育对象清单",
        lines=["以下为全部在册培育对象及其所处阶段。"],
        table=long_table(),
    )
    return BriefingDoc(
        title="洛阳市制造业创新中心建设进展简报",
        as_of_text="截至2025年6月30日",
        filters_text="筛选：全部（目标为全市目标）",
        last_change_text="数据最后更新：2025-06-28 17:42",
        demo=demo,
        demo_label="示例数据",
        lang=lang,
        sections=[targets, movement, centers],
        figures={"counts": {"cultivation": 26, "city": 10, "province": 2, "national": 0}},
    )


def pdf_text(data: bytes, tmp_path: Path, name: str = "out.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample briefing with its chart, written once for the module."""
    return write_pdf(sample_doc(), tmp_path_factory.mktemp("pdf") / "briefing.pdf")


@pytest.fixture(scope="module")
def demo_pages(demo_pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(demo_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_pdf_carries_title_stamp_sections_and_figures(demo_pages: list[str]) -> None:
    """Test that the title, the stamp lines, each section title and the table figures are printed."""
    text = "\n".join(demo_pages)
    doc = sample_doc()
    for expected in [doc.title, doc.as_of_text, doc.filters_text, doc.last_change_text]:
        assert expected in text
    for section in doc.sections:
        assert section.title in text
    assert "市级培育对象" in text and "国家级创新中心" in text
    assert "预警" in text and "滞后" in text
    assert "距2025年底目标还差4家" in text
    assert "口径：按中心所属第一重点领域计数。" in text


def test_every_page_shows_as_of_date_demo_mark_and_page_count(demo_pages: list[str]) -> None:
    """Test that the running header and footer print the date, 示例数据 and 第 N 页 / 共 M 页."""
    total = len(demo_pages)
    assert total >= 2
    for n, page in enumerate(demo_pages, start=1):
        assert "截至2025年6月30日" in page
        assert "示例数据" in page
        # pdftotext drops the thin spaces between Chinese and digits; compare without spaces.
        assert f"第{n}页/共{total}页" in "".join(page.split())


def test_long_table_spans_pages_with_header_repeated(demo_pages: list[str]) -> None:
    """Test that a 60-row table breaks across pages and its header row starts each part."""
    with_rows = [p for p in demo_pages if "第1号" in p or "第60号" in p or "第30号" in p]
    first = next(i for i, p in enumerate(demo_pages) if "第1号" in p)
    last = next(i for i, p in enumerate(demo_pages) if "第60号" in p)
    assert last > first, "the long table should continue on a later page"
    assert with_rows
    for page in demo_pages[first : last + 1]:
        assert "牵头单位" in page, "each page of the table repeats its header"


def test_no_text_runs_off_the_page(demo_pdf: Path) -> None:
    """Test that every word, long table cells included, lies inside the page's margins."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(demo_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert page
    width, height = float(page[1]), float(page[2])
    boxes = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html
    )
    assert len(boxes) > 500
    margin = 18 / 25.4 * 72 - 1  # 18 mm in points, less a point for rounding
    for x0, y0, x1, y1 in (tuple(map(float, b)) for b in boxes):
        assert margin <= x0 and x1 <= width - margin
        assert y0 > 0 and y1 <= height - 18
    assert html.count("共同组建") == 60  # each long cell printed whole, its tail wrapped


def test_cjk_font_is_embedded(demo_pdf: Path) -> None:
    """Test that pdffonts lists Noto Sans CJK SC as embedded, so any reader shows the Chinese."""
    out = subprocess.run(
        ["pdffonts", str(demo_pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in out.splitlines() if "NotoSansCJKSC" in line]
    assert rows, out
    for line in rows:
        assert line.split()[-5] == "yes", line  # the "emb" column


def test_non_demo_briefing_has_no_demo_mark(tmp_path: Path) -> None:
    """Test that 示例数据 is printed only when the data is demo data."""
    text = pdf_text(pdf_bytes(sample_doc(demo=False, chart=False)), tmp_path)
    assert "示例数据" not in text
    assert "截至2025年6月30日" in text


def test_english_briefing_numbers_pages_in_english(tmp_path: Path) -> None:
    """Test that an English document's footer reads "Page 1 of N"."""
    doc = dataclasses.replace(sample_doc(chart=False, lang="en"), demo_label="Demo data")
    text = pdf_text(pdf_bytes(doc), tmp_path)
    assert "Page 1 of " in text
    assert "第 1 页" not in text
    assert "Demo data" in text


def test_short_briefing_fits_two_pages(tmp_path: Path) -> None:
    """Test that a briefing of targets and a chart (no long list) stays within two pages."""
    doc = sample_doc()
    short = dataclasses.replace(doc, sections=doc.sections[:2])
    path = write_pdf(short, tmp_path / "short.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages <= 2


def test_cli_briefing_refuses_other_formats(
    messy_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that `briefing --out x.docx` is a usage error (exit 2) in Chinese, writing nothing."""
    out = tmp_path / "简报.docx"
    code = main(["--db", str(messy_db), "briefing", "--as-of", "2020-12-31", "--out", str(out)])
    assert code == 2
    assert "简报只能导出为 .pdf 或 .pptx 文件" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".pdf", ".pptx"], ids=["pdf", "pptx"])
def test_cli_briefing_writes_the_file_by_extension(
    messy_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    suffix: str,
) -> None:
    """Test that `briefing --out FILE` writes a PDF or a PPTX and prints the path."""
    pytest.importorskip("mic_tracker.briefing")
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")  # charts are tested elsewhere
    out = tmp_path / f"briefing{suffix}"
    code = main(["--db", str(messy_db), "briefing", "--as-of", "2020-12-31", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert str(out) in capsys.readouterr().out
    magic = b"%PDF" if suffix == ".pdf" else b"PK"
    assert out.read_bytes().startswith(magic)
