"""The command line as DESIGN.md states it: commands, --db / TRACKER_DB, JSON keys, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BROKEN, MESSY, ROOT


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("MIC_TRACKER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "mic_tracker", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_json_has_exactly_the_documented_keys(messy_db: Path) -> None:
    """Test that report --json carries DESIGN.md's keys with the documented shapes."""
    out = cli("--db", str(messy_db), "report", "--as-of", "2020-12-31", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"as_of", "filters", "counts", "targets", "by_field", "by_county"} <= data.keys()
    assert data["as_of"] == "2020-12-31"
    assert list(data["counts"]) == ["cultivation", "city", "province", "national"]
    assert {"year", "metric", "target", "target_max", "actual", "gap", "status"} <= data["targets"][
        0
    ].keys()
    assert len(data["by_field"]) == 31
    assert set(data["by_field"][0]) == {
        "seq",
        "sector",
        "field",
        "cultivation",
        "city",
        "province",
        "national",
    }
    assert data["by_field"][0]["field"] == "机器人及智能制造"
    assert {"code", "name", "cultivation", "city", "province", "national"} <= data["by_county"][
        0
    ].keys()


def test_tracker_db_environment_variable_selects_the_database(
    messy_db: Path, tmp_path: Path
) -> None:
    """Test that TRACKER_DB is used when --db is absent, and --db wins over it."""
    via_env = cli("report", "--as-of", "2026-11-26", "--json", env={"TRACKER_DB": str(messy_db)})
    assert json.loads(via_env.stdout)["counts"]["city"] > 0
    empty = tmp_path / "other.duckdb"
    assert cli("--db", str(empty), "db", "init").returncode == 0
    via_flag = cli("--db", str(empty), "report", "--json", env={"TRACKER_DB": str(messy_db)})
    assert json.loads(via_flag.stdout)["counts"]["city"] == 0


def test_human_report_is_in_chinese_with_gaps(messy_db: Path) -> None:
    """Test that report without --json prints Chinese lines with the gap per target."""
    out = cli("--db", str(messy_db), "report", "--as-of", "2020-12-31")
    assert out.returncode == 0
    assert "2025年底 市级创新中心" in out.stdout and "还差" in out.stdout
    assert "示例数据" not in out.stdout


def test_broken_import_exits_nonzero_with_every_error_and_no_traceback(tmp_path: Path) -> None:
    """Test that a refused import exits 1, lists the errors by row and prints no traceback."""
    db_path = tmp_path / "x.duckdb"
    out = cli("--db", str(db_path), "import", str(BROKEN))
    assert out.returncode == 1
    assert "第18行" in out.stderr and "数据库未做任何更改" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    as_json = cli("--db", str(db_path), "import", str(BROKEN), "--json")
    errors = json.loads(as_json.stdout)["errors"]
    assert {"file", "sheet", "row", "column", "value", "reason", "accepted"} == set(errors[0])


def test_db_init_demo_refuses_to_overwrite_data_without_force(messy_db: Path) -> None:
    """Test that db init --demo on a database with centers is refused unless --force is given."""
    refused = cli("--db", str(messy_db), "db", "init", "--demo")
    assert refused.returncode == 2 and "--force" in refused.stderr
    forced = cli("--db", str(messy_db), "db", "init", "--demo", "--centers", "30", "--force")
    assert forced.returncode == 0, forced.stderr
    report = json.loads(cli("--db", str(messy_db), "report", "--json").stdout)
    assert report["demo"] is True
    assert "示例数据" in cli("--db", str(messy_db), "report").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--county", "洛阳新区"], "无法识别的县区"),
        (["report", "--sector", "航天"], "无法识别的行业分类"),
        (["report", "--field", "99"], "无法识别的重点领域"),
        (["import", "nope.xlsx"], "文件不存在"),
        (["export", "out.xlsx"], "数据库文件不存在"),
    ],
    ids=["county", "sector", "field", "missing-file", "missing-database"],
)
def test_bad_arguments_get_a_chinese_message(args: list[str], message: str, tmp_path: Path) -> None:
    """Test that wrong names and files are refused with a message saying what is wrong."""
    db_path = tmp_path / "x.duckdb"
    if args[0] == "report":
        assert cli("--db", str(db_path), "db", "init").returncode == 0
    out = cli("--db", str(db_path), *args)
    assert out.returncode == 1
    assert message in out.stderr and "Traceback" not in out.stderr


def test_export_writes_the_workbook(messy_db: Path, tmp_path: Path) -> None:
    """Test that export FILE.xlsx writes the file and says how many rows per sheet."""
    target = tmp_path / "out.xlsx"
    out = cli("--db", str(messy_db), "export", str(target))
    assert out.returncode == 0 and target.exists()
    assert "中心 16 行" in out.stdout


def test_import_dry_run_says_so_and_imports_nothing(tmp_path: Path) -> None:
    """Test that import --dry-run prints the would-be changes and the database stays empty."""
    db_path = tmp_path / "x.duckdb"
    out = cli("--db", str(db_path), "import", str(MESSY), "--dry-run")
    assert out.returncode == 0 and "检查通过（未写入）" in out.stdout
    report = json.loads(cli("--db", str(db_path), "report", "--json").stdout)
    assert report["counts"] == {"cultivation": 0, "city": 0, "province": 0, "national": 0}


def test_deadlines_json_has_the_documented_keys_and_lists_done_ones(messy_db: Path) -> None:
    """Test that deadlines --json gives DESIGN.md's keys, overdue first and done deadlines too."""
    out = cli("--db", str(messy_db), "deadlines", "--as-of", "2022-06-30", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    keys = {"center", "kind", "start", "due", "days_left", "state", "provisional"}
    assert all(keys <= r.keys() for r in rows)
    states = [r["state"] for r in rows]
    assert states[0] == "overdue" and "done" in states
    assert states == sorted(states, key=lambda s: s == "done")  # done deadlines come last
    m = next(
        r for r in rows if r["center"] == "洛阳高端铝材创新中心" and r["kind"] == "cultivation_end"
    )
    assert (m["due"], m["days_left"], m["state"]) == ("2022-09-28", 90, "due_90")


def test_eligibility_json_has_the_documented_keys(messy_db: Path) -> None:
    """Test that eligibility --json lists centers with E1–E4, P1–P6 and A1–A3 checks as documented."""
    out = cli("--db", str(messy_db), "eligibility", "--as-of", "2022-06-30", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and all({"center", "checks"} <= r.keys() for r in rows)
    codes = [c["code"] for c in rows[0]["checks"]]
    assert codes == ["E1", "E2", "E3", "E4", "P1", "P2", "P3", "P4", "P5", "P6", "A1", "A2", "A3"]
    results = {c["result"] for r in rows for c in r["checks"]}
    assert results <= {"pass", "fail", "unknown", "exempt"} and "fail" in results
    assert {"code", "result", "value", "threshold"} <= rows[0]["checks"][0].keys()


def test_funding_json_has_the_documented_keys_and_takes_the_higher_grant(messy_db: Path) -> None:
    """Test that funding --year gives DESIGN.md's keys and city_pays = max(F1+F2, F3) + F4."""
    out = cli("--db", str(messy_db), "funding", "--year", "2021", "--as-of", "2026-11-26", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    keys = {
        "center",
        "year",
        "F1",
        "F2",
        "F3",
        "F4",
        "city_pays",
        "basis",
        "pending",
        "beyond_validity",
    }
    assert rows and all(keys <= r.keys() and r["year"] == 2021 for r in rows)
    assert all(r["city_pays"] == max(r["F1"] + r["F2"], r["F3"]) + r["F4"] for r in rows)
    # B (先进耐火): city title 2019-12-10, 2020 R&D 800万元 → F2 = 20% = 160; provincial title 2021-12-16 → F4 100.
    b = next(r for r in rows if r["center"] == "洛阳先进耐火材料制造业创新中心")
    assert (b["F2"], b["F4"], b["city_pays"]) == (160, 100, 260)


def test_audit_json_lists_who_changed_what(messy_db: Path) -> None:
    """Test that audit --json gives the import's rows with actor, action, entity and after."""
    out = cli("--db", str(messy_db), "audit", "--since", "2000-01-01", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    centers = [r for r in rows if r["entity"] == "center"]
    assert len(centers) == 16 and all(
        r["action"] == "import" and r["actor"].startswith("os:") for r in centers
    )
    assert centers[0]["after"]["name"] and centers[0]["before"] is None


def test_report_piped_into_a_reader_that_stops_early_ends_quietly(messy_db: Path) -> None:
    """Test that a report piped into a reader that has already gone gives no internal-error message."""
    done = subprocess.run(
        f"{sys.executable} -m mic_tracker --db {messy_db} report --as-of 2026-11-26 | true",
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert "内部错误" not in done.stderr and "Traceback" not in done.stderr
