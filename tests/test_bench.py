"""The benchmark runs end to end at a small scale (issue 8: proves it works; no timing is
asserted — figures come from `python -m mic_tracker bench`, see docs/BENCHMARKS.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mic_tracker.bench import summary
from mic_tracker.bench_report import markdown
from mic_tracker.ui.pages import PAGES
from tests.conftest import ROOT


def test_summary_gives_median_and_nearest_rank_p95_in_ms() -> None:
    got = summary([0.010, 0.030, 0.020, 0.040, 0.100])
    assert got == {"median_ms": 30.0, "p95_ms": 100.0, "n": 5}
    assert summary([0.005]) == {"median_ms": 5.0, "p95_ms": 5.0, "n": 1}


def test_bench_command_measures_every_page_query_and_baseline(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    command = [sys.executable, "-m", "mic_tracker", "bench", "--centers", "150"]
    command += ["--repeats", "1", "--json", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert [s["centers"] for s in result["scales"]] == [60, 150]
    for scale in result["scales"]:
        assert list(scale["pages"]) == [p.title for p in PAGES]
        for times in [*scale["pages"].values(), scale["naive_baseline"]]:
            assert set(times) == {"cold", "warm", "filter"}
            assert all(times[m]["median_ms"] > 0 for m in times)
        assert set(scale["queries"]) == {"report", "deadlines", "eligibility", "funding"}
        assert scale["report_process"]["median_ms"] > 0
    assert any(c["what"] == "stress report --json process" for c in result["budgets"])
    text = out.read_text(encoding="utf-8")
    assert text == markdown(result, text.split("`")[1])  # the file is the result as Markdown
    assert "naive baseline" in text and "## Budgets (issue 8)" in text
