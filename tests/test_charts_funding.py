"""The 资金 page's figures and tables (mic_tracker.ui.charts_funding): the plain-dict figures pass
plotly's validation and hold the amounts; long tables show their first rows and download all."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from mic_tracker.ui import charts_funding as ui

END = dt.date(2024, 3, 13)  # the plan's validity end (data/policy)


def years_frame(years: list[int], **columns: list[float]) -> pd.DataFrame:
    """A funding_tables.page_tables "years" frame: zeros except the columns given."""
    names = ["F1", "F2", "F3", "F4", "entitled", "city_pays", "manual", "disbursed"]
    frame = pd.DataFrame({"year": years, **{c: [0.0] * len(years) for c in names}})
    for name, values in columns.items():
        frame[name] = values
    frame["pending_rows"] = 0
    frame["beyond"] = [dt.date(y, 1, 1) > END for y in years]
    return frame


def test_amounts_chart_is_valid_plotly_with_stacked_grants_the_payout_and_the_band() -> None:
    """Test that the yearly chart stacks F1–F4 with their amounts, draws the payout line and the
    disbursed diamonds (2020 only), and greys the years after the validity end."""
    years = years_frame(
        [2019, 2020, 2025],
        F1=[50.0, 100.0, 0.0],
        F3=[0.0, 300.0, 0.0],
        city_pays=[50.0, 300.0, 0.0],
        disbursed=[0.0, 240.0, 0.0],
    )
    fig = ui.amounts_chart(years, END, "各年").validated()
    names = [trace.name for trace in fig.data]
    assert names == [
        "F1 培育资助",
        "F2 认定补助",
        "F3 省级配套",
        "F4 一次性奖励",
        "市财政应付（F1+F2 与 F3 从高，加 F4）",
        "实际拨付（手工录入）",
    ]
    assert list(fig.data[0].y) == [50, 100, 0] and list(fig.data[2].y) == [0, 300, 0]
    assert list(fig.data[2].customdata) == ["0万元", "300万元", "0万元"]
    assert list(fig.data[4].y) == [50, 300, 0]
    assert list(fig.data[5].customdata) == ["240万元"]  # one diamond: 2020
    assert fig.layout.barmode == "stack" and fig.layout.title.text == "各年"
    band = fig.layout.shapes[0]
    assert band.type == "rect" and band.yref == "y domain"
    assert band.x0 == dt.datetime(2024, 3, 14).timestamp() * 1000  # the day after the end
    assert "方案有效期至" in fig.layout.annotations[0].text
    assert list(fig.layout.xaxis.ticktext) == [f"{y}年" for y in range(2019, 2026)]


def test_forecast_chart_hatches_the_estimated_f2_and_an_empty_one_has_whole_ticks() -> None:
    """Test that the forecast marks F2 as estimated (hatched) and nothing owed keeps a 0–100
    axis; years all within the validity draw no band."""
    years = years_frame([2021, 2022, 2023])
    fig = ui.amounts_chart(years, END, "预测", True).validated()
    assert fig.data[1].name == "F2 认定补助（估算）"
    assert fig.data[1].marker.pattern.shape == "/"
    assert fig.data[0].marker.pattern.shape is None
    assert list(fig.layout.yaxis.range) == [0, 100]
    assert not fig.layout.shapes and len(fig.data) == 5  # no band, no disbursements


def test_group_bars_put_the_largest_payout_on_top_with_the_grants_and_centers() -> None:
    """Test that the county bars are ordered by payout (largest last, i.e. on top) and carry
    each grant and the number of centers for the hover."""
    totals = pd.DataFrame(
        {
            "county": ["西工区", "涧西区"],
            **{p: [10.0, 0.0] for p in ("F1", "F2", "F3", "F4")},
            "entitled": [40.0, 0.0],
            "city_pays": [40.0, 12000.0],
            "manual": [0.0, 0.0],
            "disbursed": [0.0, 0.0],
            "centers": [3, 1],
        }
    )
    fig = ui.group_bars(totals, "county", "各县区", "县区").validated()
    bar = fig.data[0]
    assert list(bar.y) == ["西工区", "涧西区"] and list(bar.x) == [40, 12000]
    assert list(bar.text) == ["40万元", "1.2亿元"]
    assert [list(c) for c in bar.customdata] == [
        ["10万元", "10万元", "10万元", "10万元", 3],
        ["0万元", "0万元", "0万元", "0万元", 1],
    ]
    assert fig.layout.showlegend is False and fig.layout.yaxis.title.text == "县区"


def test_detail_table_says_which_parts_lie_beyond_the_validity() -> None:
    """Test that the detail's headers are the page's and 超出有效期 names the parts, or is empty."""
    detail = pd.DataFrame(
        {
            "year": [2025, 2019],
            "center": ["甲", "乙"],
            "county": ["西工区", "涧西区"],
            **{p: [50.0, 0.0] for p in ("F1", "F2", "F3", "F4")},
            "city_pays": [200.0, 0.0],
            "basis": ["F1+F2", "F1+F2"],
            "pending": ["", "2018年度评价结果未记录"],
            "beyond_validity": [True, False],
            "beyond_parts": ["F1、F4", ""],
            "manual": [0.0, 0.0],
            "disbursed": [0.0, 0.0],
            "notes": ["", ""],
        }
    )
    table = ui.detail_table(detail)
    assert list(table.columns) == [
        "年度", "中心", "县区", "F1", "F2", "F3", "F4", "市财政应付", "依据", "待定",
        "超出有效期", "一事一议", "实际拨付", "说明",
    ]  # fmt: skip
    assert list(table["超出有效期"]) == ["是（F1、F4）", ""]
    assert list(table["待定"]) == ["", "2018年度评价结果未记录"]
