"""The report, end to end through the CLI, against the hand-worked oracle in tests/fixtures/.

Runs `python -m mic_tracker --db PATH …` as a subprocess, exactly as DESIGN.md's command-line
contract says, on a database built from `tests/fixtures/county_messy.xlsx`. The expected figures
are in `tests/fixtures/expected.py`; the working behind them is `tests/fixtures/EXPECTED.md`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MESSY = "tests/fixtures/county_messy.xlsx"
BROKEN = "tests/fixtures/broken.xlsx"
LAST_DATE = "2026-11-26"
COUNTY_KEYS = ("code", "name", "cultivation", "city", "province", "national")


def _load(name: str) -> ModuleType:
    """Import tests/fixtures/<name>.py by path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"_fixture_{name}", FIXTURES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


expected = _load("expected")
make_fixture = _load("make_fixture")


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}
    env.pop("TRACKER_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "mic_tracker", "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )


def output(proc: subprocess.CompletedProcess[bytes]) -> str:
    return (proc.stdout + b"\n" + proc.stderr).decode("utf-8", errors="replace")


def ok(proc: subprocess.CompletedProcess[bytes], what: str) -> str:
    text = output(proc)
    assert proc.returncode == 0, f"{what} exited {proc.returncode}:\n{text}"
    return text


def report_bytes(db: Path, as_of: str, *filters: str) -> bytes:
    proc = run_cli(db, "report", "--as-of", as_of, *filters, "--json")
    ok(proc, f"report --as-of {as_of} {' '.join(filters)}")
    return proc.stdout


def report(db: Path, as_of: str, *filters: str) -> dict[str, Any]:
    return json.loads(report_bytes(db, as_of, *filters).decode("utf-8"))


def init_and_import(directory: Path) -> tuple[Path, str]:
    db = directory / "tracker.duckdb"
    ok(run_cli(db, "db", "init"), "db init")
    text = ok(run_cli(db, "import", MESSY), f"import {MESSY}")
    return db, text


def target_rows_by_key(rows: list[dict[str, Any]]) -> dict[tuple[int, str], dict[str, Any]]:
    for row in rows:
        missing = set(expected.TARGET_KEYS) - set(row)
        assert not missing, f"target row {row} lacks {sorted(missing)}"
    by_key = {(r["year"], r["metric"]): {k: r[k] for k in expected.TARGET_KEYS} for r in rows}
    assert len(by_key) == len(rows), f"duplicate (year, metric) in target rows: {rows}"
    return by_key


def locates(text: str, error: dict[str, Any]) -> bool:
    """Whether one line of the output names the error's sheet, Excel row number and column."""
    row = re.compile(rf"(?<!\d){error['row']}(?!\d)")
    return any(
        error["sheet"] in line and error["column"] in line and row.search(line)
        for line in text.splitlines()
    )


def expected_target_rows(rows: list[dict[str, Any]]) -> dict[tuple[int, str], dict[str, Any]]:
    return {(r["year"], r["metric"]): r for r in rows}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A database with county_messy.xlsx imported once, and the import's output."""
    return init_and_import(tmp_path_factory.mktemp("imported"))


@pytest.fixture(scope="module")
def imported_db(imported: tuple[Path, str]) -> Path:
    return imported[0]


@pytest.fixture(scope="module")
def report_at(imported_db: Path) -> Callable[[str], dict[str, Any]]:
    """report --as-of D --json on the imported database, run once per date."""
    cache: dict[str, dict[str, Any]] = {}

    def get(as_of: str) -> dict[str, Any]:
        if as_of not in cache:
            cache[as_of] = report(imported_db, as_of)
        return cache[as_of]

    return get


@pytest.fixture(scope="module")
def broken_attempt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A fresh imported database, its report, a refused import of broken.xlsx, the report after."""
    db, _ = init_and_import(tmp_path_factory.mktemp("broken"))
    before = report_bytes(db, LAST_DATE)
    proc = run_cli(db, "import", BROKEN)
    after = report_bytes(db, LAST_DATE)
    return {"db": db, "proc": proc, "before": before, "after": after}


# --- the oracle itself (these need no CLI) ----------------------------------------------------


def test_oracle_by_county_rows_add_up_to_the_counts() -> None:
    """Test that the hand-worked by_county rows sum to the hand-worked counts at every date."""
    for as_of in expected.AS_OF_DATES:
        rows = expected.by_county(as_of)
        assert len(rows) == 17
        sums = {m: sum(int(r[m]) for r in rows.values()) for m in expected.METRICS}
        assert sums == expected.COUNTS[as_of], as_of


def test_committed_workbooks_match_what_make_fixture_writes(tmp_path: Path) -> None:
    """Test that the committed .xlsx files hold exactly the cells make_fixture.py writes today."""
    make_fixture.main(tmp_path)
    for name in ("county_messy.xlsx", "broken.xlsx"):
        fresh = openpyxl.load_workbook(tmp_path / name)
        committed = openpyxl.load_workbook(FIXTURES / name)
        assert fresh.sheetnames == committed.sheetnames == ["中心", "事件", "年度数据"]
        for sheet in fresh.sheetnames:
            got = list(committed[sheet].iter_rows(values_only=True))
            want = list(fresh[sheet].iter_rows(values_only=True))
            assert got == want, f"{name} sheet {sheet} is stale: run tests/fixtures/make_fixture.py"


def test_recorded_broken_cells_hold_the_deliberate_errors() -> None:
    """Test that every (sheet, row, column) in BROKEN_ERRORS holds the recorded bad value."""
    wb = openpyxl.load_workbook(FIXTURES / "broken.xlsx")
    for err in make_fixture.BROKEN_ERRORS:
        ws = wb[err["sheet"]]
        header = [c.value for c in ws[1]]
        cell = ws.cell(row=err["row"], column=header.index(err["column"]) + 1)
        assert cell.value == err["value"], err


# --- import ---------------------------------------------------------------------------------


def test_messy_import_succeeds_and_warns_about_the_unknown_column(
    imported: tuple[Path, str],
) -> None:
    """Test that the messy county workbook imports with exit 0 and only warns about 联系人."""
    _, text = imported
    assert "联系人" in text, f"the unknown column 联系人 was not reported as a warning:\n{text}"


def test_dry_run_import_writes_nothing(tmp_path: Path) -> None:
    """Test that import --dry-run of the fixture leaves a fresh database's report as it was."""
    db = tmp_path / "tracker.duckdb"
    ok(run_cli(db, "db", "init"), "db init")
    before = report_bytes(db, LAST_DATE)
    ok(run_cli(db, "import", MESSY, "--dry-run"), f"import {MESSY} --dry-run")
    after = report_bytes(db, LAST_DATE)
    assert after == before
    counts = json.loads(after.decode("utf-8"))["counts"]
    assert counts == {"cultivation": 0, "city": 0, "province": 0, "national": 0}


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path) -> None:
    """Test that importing county_messy.xlsx a second time leaves the full report identical."""
    db, _ = init_and_import(tmp_path)
    before = report_bytes(db, LAST_DATE)
    ok(run_cli(db, "import", MESSY), f"second import {MESSY}")
    assert report_bytes(db, LAST_DATE) == before


def test_broken_import_is_refused(broken_attempt: dict[str, Any]) -> None:
    """Test that importing broken.xlsx exits non-zero."""
    proc = broken_attempt["proc"]
    assert proc.returncode != 0, f"broken.xlsx was accepted:\n{output(proc)}"


@pytest.mark.parametrize(
    "error",
    make_fixture.BROKEN_ERRORS,
    ids=[e["id"] for e in make_fixture.BROKEN_ERRORS],
)
def test_broken_import_names_sheet_row_and_column_of_each_error(
    broken_attempt: dict[str, Any], error: dict[str, Any]
) -> None:
    """Test that the refused import's output locates each deliberate error to sheet, row, column."""
    text = output(broken_attempt["proc"])
    assert locates(text, error), f"no output line names {error}:\n{text}"
    assert str(error["value"]) in text


def test_broken_import_leaves_the_report_byte_identical(broken_attempt: dict[str, Any]) -> None:
    """Test that a refused import writes nothing: the report after is byte-identical to before."""
    assert broken_attempt["after"] == broken_attempt["before"]


def test_broken_dry_run_reports_every_error(broken_attempt: dict[str, Any]) -> None:
    """Test that import --dry-run of broken.xlsx also exits non-zero and lists every error."""
    proc = run_cli(broken_attempt["db"], "import", BROKEN, "--dry-run")
    text = output(proc)
    assert proc.returncode != 0, text
    for error in make_fixture.BROKEN_ERRORS:
        assert locates(text, error), f"dry run does not name {error}:\n{text}"


# --- report -----------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", expected.AS_OF_DATES)
def test_counts_are_titles_held_on_the_as_of_date(
    report_at: Callable[[str], dict[str, Any]], as_of: str
) -> None:
    """Test that the report's counts are the titles held on the as-of date."""
    rep = report_at(as_of)
    assert rep["as_of"] == as_of
    assert rep["counts"] == expected.COUNTS[as_of]


@pytest.mark.parametrize("as_of", expected.AS_OF_DATES)
def test_target_rows_match_the_hand_worked_status(
    report_at: Callable[[str], dict[str, Any]], as_of: str
) -> None:
    """Test that every target row (target, max, actual, gap, status) matches the oracle."""
    got = target_rows_by_key(report_at(as_of)["targets"])
    assert got == expected_target_rows(expected.TARGET_ROWS[as_of])


@pytest.mark.parametrize("as_of", expected.AS_OF_DATES)
def test_by_county_lists_current_units_with_old_names_resolved(
    report_at: Callable[[str], dict[str, Any]], as_of: str
) -> None:
    """Test that by_county has all 17 current units, old names counted under today's unit."""
    rows = report_at(as_of)["by_county"]
    got = {r["code"]: {k: r[k] for k in COUNTY_KEYS} for r in rows}
    assert len(got) == len(rows), f"duplicate codes in by_county: {rows}"
    assert got == expected.by_county(as_of)


@pytest.mark.parametrize("view", list(expected.FILTERED), ids=list(expected.FILTERED))
def test_filtered_view_narrows_counts_but_keeps_city_wide_targets(
    imported_db: Path, view: str
) -> None:
    """Test that a sector/county filter narrows counts, C0 and pipeline; targets stay city-wide."""
    spec = expected.FILTERED[view]
    rep = report(imported_db, expected.FILTERED_AS_OF, *spec["args"])
    assert rep["counts"] == spec["counts"]
    assert target_rows_by_key(rep["targets"]) == expected_target_rows(spec["targets"])
