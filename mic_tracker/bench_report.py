"""The benchmark's result as the Markdown of docs/BENCHMARKS.md."""

from __future__ import annotations

from typing import Any

MODES = (("cold", "cold start"), ("warm", "warm rerun"), ("filter", "filter change"))


def _ms(s: dict[str, Any]) -> str:
    return f"{s['median_ms']:.0f} / {s['p95_ms']:.0f}"


def _ratio(naive: dict[str, Any], page: dict[str, Any]) -> str:
    if page["median_ms"] <= 0:
        return "—"
    return f"{naive['median_ms'] / page['median_ms']:.1f}×"


def page_table(scale: dict[str, Any]) -> list[str]:
    naive = scale["naive_baseline"]
    head = "| page | " + " | ".join(f"{label} ms (median / p95)" for _, label in MODES)
    head += " | filter change: naive baseline ÷ page |"
    lines = [head, "|---|" + "---|" * (len(MODES) + 1)]
    for page, times in scale["pages"].items():
        cells = " | ".join(_ms(times[m]) for m, _ in MODES)
        lines.append(f"| {page} | {cells} | {_ratio(naive['filter'], times['filter'])} |")
    cells = " | ".join(_ms(naive[m]) for m, _ in MODES)
    lines.append(f"| *naive baseline (overview, pandas)* | {cells} | 1.0× |")
    return lines


def query_table(scale: dict[str, Any]) -> list[str]:
    lines = ["| CLI query | in-process ms (median / p95) |", "|---|---|"]
    for name, s in scale["queries"].items():
        lines.append(f"| {name} | {_ms(s)} |")
    lines.append(f"| `report --json`, whole process | {_ms(scale['report_process'])} |")
    return lines


def budget_table(result: dict[str, Any]) -> list[str]:
    lines = ["| budget | measured | limit | met |", "|---|---|---|---|"]
    for c in result["budgets"]:
        mark = "yes" if c["met"] else "**no**"
        lines.append(
            f"| {c['what']} | {c['got']} {c['unit']} | {c['limit']} {c['unit']} | {mark} |"
        )
    return lines


def markdown(result: dict[str, Any], command: str) -> str:
    env = result["environment"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    out = [
        "# Benchmarks",
        "",
        f"Command: `{command}` ({result['repeats']} repeats per figure).",
        f"Run {env['date']} on {env['machine']} ({env['cpu']}), Python {env['python']}; {versions}.",
        "",
        "Server time is the Streamlit script's run in AppTest (no browser, no network): a cold",
        "start with empty caches, a warm rerun with nothing changed, and a filter change to a",
        "sector not chosen before (every cached query misses). The naive baseline is the",
        "overview's target counts computed as a typical Streamlit app does it — every table read",
        "into pandas on each rerun, the as-of state worked out in pandas — measured in the same",
        "run; the ratio compares each page's filter change with the baseline's. Scripts are",
        "compiled once per process, as on a Streamlit server (AppTest alone would recompile",
        "them on every run). `report --json` runs as a whole process on the city and the",
        "stress database in turns, after both scales' pages, so the two times of its ratio",
        "come from the same minutes.",
    ]
    for scale in result["scales"]:
        out += [
            "",
            f"## {scale['scale']} scale: {scale['centers']:,} centers "
            f"(demo data generated in {scale['generate_s']} s)",
            "",
            *page_table(scale),
            "",
            *query_table(scale),
        ]
    browser = result.get("browser")
    if browser:
        out += ["", "## Browser (stress scale)", ""]
        out += [f"- {k}: {v}" for k, v in browser.items()]
    mem = result["memory"]
    reports = ", ".join(
        f"{s['scale']} {s['report_process']['peak_rss_mb']} MB" for s in result["scales"]
    )
    out += [
        "",
        "## Memory",
        "",
        f"Peak resident memory of the benchmark process (both scales, every page in AppTest): "
        f"{mem['bench_process_mb']} MB; of a `report --json` process: {reports}.",
        "",
        "## Budgets (issue 8)",
        "",
        *budget_table(result),
        "",
    ]
    return "\n".join(out)
