"""The command line (DESIGN.md): `python -m mic_tracker [--db PATH] COMMAND`.

JSON with --json (keys are a stable contract); otherwise plain Chinese for people.
Exit codes: 0 done, 1 refused (the message says why), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from mic_tracker import db, paths
from mic_tracker.errors import ImportRejected, TrackerError, UsageError, describe
from mic_tracker.policy import load_plan
from mic_tracker.report import STATUS_LABELS, Filters, make_filters, report


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m mic_tracker", description="洛阳市制造业创新中心建设监测平台"
    )
    p.add_argument("--db", help="数据库文件（默认 $TRACKER_DB 或 data/tracker.duckdb）")
    sub = p.add_subparsers(dest="command", required=True)

    dbp = sub.add_parser("db", help="数据库").add_subparsers(dest="db_command", required=True)
    init = dbp.add_parser("init", help="建立数据库（表结构与参考数据）")
    init.add_argument("--demo", action="store_true", help="同时载入示例数据")
    init.add_argument("--centers", type=int, default=None, help="示例中心数量（默认约60）")
    init.add_argument("--seed", type=int, default=2019, help="示例数据随机种子")
    init.add_argument("--force", action="store_true", help="删除已有数据库后重建")
    init.set_defaults(func=cmd_db_init)

    imp = sub.add_parser("import", help="导入模板工作簿或 CSV")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--json", action="store_true")
    imp.add_argument("--progress", action="store_true", help="在标准错误输出上报告进度")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="导出为导入模板工作簿")
    exp.add_argument("file", type=Path)
    exp.set_defaults(func=cmd_export)

    tpl = sub.add_parser("template", help="生成空白导入模板（含下拉列表和填写说明）")
    tpl.add_argument("file", type=Path)
    tpl.set_defaults(func=cmd_template)

    rep = sub.add_parser("report", help="目标进度报告")
    _view_arguments(rep)
    rep.set_defaults(func=cmd_report)

    dl = sub.add_parser("deadlines", help="期限：公示期、培育期、整改期、年度总结")
    _view_arguments(dl)
    dl.set_defaults(func=cmd_deadlines)

    el = sub.add_parser("eligibility", help="建设条件与验收条件检查")
    _view_arguments(el)
    el.set_defaults(func=cmd_eligibility)

    fu = sub.add_parser("funding", help="资金：按年度的应拨付额（F1–F4）")
    fu.add_argument("--year", type=int, default=None, help="只看某一年度")
    _view_arguments(fu)
    fu.set_defaults(func=cmd_funding)

    br = sub.add_parser("briefing", help="领导简报：导出为 PDF 或 PPTX")
    _view_arguments(br)
    br.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言（默认中文）")
    br.add_argument("--out", type=Path, required=True, help="输出文件：.pdf 或 .pptx")
    br.set_defaults(func=cmd_briefing)

    bk = sub.add_parser("backup", help="备份：把整个数据库写入一个新目录（含清单和校验和）")
    bk.add_argument("dir", type=Path)
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="恢复：把备份目录恢复到 --db 指定的新数据库文件")
    rs.add_argument("dir", type=Path)
    rs.set_defaults(func=cmd_restore)

    au = sub.add_parser("audit", help="审计日志：谁在何时改了什么")
    au.add_argument("--since", type=_date, default=None, help="从该日起（默认全部）")
    au.add_argument("--json", action="store_true")
    au.set_defaults(func=cmd_audit)

    be = sub.add_parser("bench", help="性能基准：各页面和查询在市级与压力规模下的耗时")
    be.add_argument("--centers", type=int, default=None, help="压力规模的中心数（默认20000）")
    be.add_argument("--repeats", type=int, default=5, help="每项重复次数（默认5）")
    be.add_argument("--browser", action="store_true", help="另测浏览器绘制时间和5个会话的内存")
    be.add_argument(
        "--out", type=Path, default=None, help="把结果写成 Markdown（如 docs/BENCHMARKS.md）"
    )
    be.add_argument("--json", action="store_true")
    be.set_defaults(func=cmd_bench)

    _users_parser(sub)
    return p


def _users_parser(sub: Any) -> None:
    """users add/list/disable/enable/passwd. A password is read from standard input only:
    one on the command line would stay in the shell history and the process list."""
    us = sub.add_parser("users", help="用户账号").add_subparsers(
        dest="users_command", required=True
    )
    add = us.add_parser("add", help="添加账号")
    add.add_argument("name")
    # No argparse choices: auth refuses an unknown role with the roles explained in Chinese.
    add.add_argument("--role", required=True, metavar="admin|editor|viewer|county_editor")
    add.add_argument("--county", help="县区编辑负责的县区（名称、简称或代码）")
    _password_argument(add)
    add.set_defaults(func=cmd_users_add)
    ls = us.add_parser("list", help="列出账号")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_users_list)
    for name, help_text, func in (
        ("disable", "停用账号", cmd_users_disable),
        ("enable", "启用账号", cmd_users_enable),
    ):
        one = us.add_parser(name, help=help_text)
        one.add_argument("name")
        one.set_defaults(func=func)
    pw = us.add_parser("passwd", help="重设密码")
    pw.add_argument("name")
    _password_argument(pw)
    pw.set_defaults(func=cmd_users_passwd)


def _password_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password-stdin", action="store_true", help="从标准输入的第一行读取密码（必需）"
    )


def _view_arguments(p: argparse.ArgumentParser) -> None:
    """--as-of, the four filters and --json, shared by the commands that read the register."""
    p.add_argument("--as-of", type=_date, default=None, help="截至日期（默认今天）")
    p.add_argument("--sector", action="append", help="行业分类，可重复")
    p.add_argument("--field", action="append", help="重点领域名称或序号，可重复")
    p.add_argument(
        "--county", action="append", help="县区（名称、简称、代码、旧名或开发区），可重复"
    )
    p.add_argument("--form", action="append", help="建设形式，可重复")
    p.add_argument("--json", action="store_true")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.argv = argv
    args.db_path = paths.database_path(args.db)
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(describe(exc), file=sys.stderr)
        return 2
    except ImportRejected as exc:
        _print_rejection(exc, getattr(args, "json", False))
        return 1
    except TrackerError as exc:
        print(describe(exc), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (… | head): not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("MIC_TRACKER_DEBUG"):
            traceback.print_exc()
        print(describe(exc), file=sys.stderr)
        return 1


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_db_init(args: argparse.Namespace) -> int:
    from mic_tracker.backup import automatic_backup
    from mic_tracker.demo import DEFAULT_CENTERS, load_demo

    path: Path = args.db_path
    replace = path.exists() and args.force
    if replace:
        # Emptied in a transaction, never deleted: the app may have the file open right now.
        saved = automatic_backup(path, "before-reset")
        print(f"已备份现有数据：{saved}")
        if not args.demo:
            with db.writing(path) as con:
                db.clear_register(con, str(path))
    with db.connect(path) as con:
        n = db.rows(con, "center_count")[0]["n"]
    if n and args.demo and not replace:
        raise UsageError(
            f"数据库 {path} 已有 {n} 个中心；如要改为示例数据，请加 --force 重建（会删除现有数据）。"
        )
    print(f"数据库已就绪：{path}（{n} 个中心）")
    if args.demo:
        centers = args.centers or DEFAULT_CENTERS
        summary = load_demo(path, centers=centers, seed=args.seed, replace=replace)
        print(
            f"已载入示例数据：{summary['centers']} 个中心，{summary['events']} 条事件（种子 {args.seed}）"
        )
    return 0


def _print_progress(fraction: float, text: str) -> None:
    print(f"进度 {fraction:.0%}：{text}", file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> int:
    from mic_tracker.importer import import_files

    progress = _print_progress if args.progress else None
    result = import_files(args.db_path, args.files, dry_run=args.dry_run, progress=progress)
    if args.json:
        _emit({"ok": True, **result.as_dict()})
        return 0
    head = (
        "检查通过（未写入）"
        if args.dry_run
        else ("导入完成" if result.changed else "导入完成：没有变化")
    )
    print(head)
    for sheet, t in result.sheets.items():
        print(f"  {sheet}：新增 {t['added']}，更新 {t['changed']}，未变 {t['unchanged']}")
    for w in result.warnings:
        print(f"  提示：{w.line()}")
    for f in result.flags:
        print(f"  标记：{f}")
    return 0


def _print_rejection(exc: ImportRejected, as_json: bool) -> None:
    if as_json:
        _emit(
            {
                "ok": False,
                "errors": [e.as_dict() for e in exc.errors],
                "warnings": [w.as_dict() for w in exc.warnings],
            }
        )
    print(exc.message(), file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from mic_tracker.exporter import export_workbook

    counts = export_workbook(args.db_path, args.file)
    parts = "，".join(f"{k} {v} 行" for k, v in counts.items())
    print(f"已导出到 {args.file}：{parts}")
    return 0


def _view(args: argparse.Namespace) -> tuple[dt.date, Filters]:
    return args.as_of or dt.date.today(), make_filters(
        args.sector, args.field, args.county, args.form
    )


def cmd_template(args: argparse.Namespace) -> int:
    from mic_tracker.template_file import write_template

    write_template(args.file)
    print(f"已生成导入模板：{args.file}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    as_of, filters = _view(args)
    with db.connect(args.db_path, create=False) as con:
        data = report(con, as_of, filters)
    if args.json:
        _emit(data)
    else:
        _print_report(data)
    return 0


def _print_report(data: dict[str, Any]) -> None:
    plan = load_plan()
    print(
        f"{plan.doc_number} 目标进度 · 截至 {data['as_of']}"
        + ("  【示例数据】" if data["demo"] else "")
    )
    if data["filtered"]:
        print("筛选：" + json.dumps(data["filters"], ensure_ascii=False) + "（目标为全市目标）")
    counts = "，".join(f"{plan.metrics[k]} {v} 家" for k, v in data["counts"].items())
    print(f"现有：{counts}")
    for t in data["targets"]:
        goal = (
            f"{t['target']}"
            if t["target"] == t["target_max"]
            else f"{t['target']}—{t['target_max']}"
        )
        if t["approx"]:
            goal = f"约{goal}"
        gap = f"还差 {t['gap']} 家" if t["gap"] else "已达到"
        print(
            f"  {t['year']}年底 {plan.metrics[t['metric']]}：{t['actual']} / {goal}，{gap}，{STATUS_LABELS[t['status']]}"
        )


def cmd_deadlines(args: argparse.Namespace) -> int:
    from mic_tracker.deadlines import deadlines

    as_of, filters = _view(args)
    with db.connect(args.db_path, create=False) as con:
        found = deadlines(con, as_of, filters)
    if args.json:
        _emit([d.as_dict() for d in found])
        return 0
    print(f"期限 · 截至 {as_of.isoformat()}：共 {len(found)} 项")
    for d in found:
        left = f"已逾期 {-d.days_left} 天" if d.days_left < 0 else f"还有 {d.days_left} 天"
        mark = "（暂定）" if d.provisional else ""
        state = DEADLINE_STATES[d.state]
        print(f"  [{state}] {d.center}：{d.label} {d.due}{mark}（{left}）{d.action}")
    return 0


def cmd_eligibility(args: argparse.Namespace) -> int:
    from mic_tracker.conditions import eligibility

    as_of, filters = _view(args)
    with db.connect(args.db_path, create=False) as con:
        found = eligibility(con, as_of, filters)
    if args.json:
        _emit(found)
        return 0
    print(f"条件检查 · 截至 {as_of.isoformat()}：{len(found)} 个中心")
    for c in found:
        failed = "、".join(f"{x['code']} {x['name']}" for x in c["checks"] if x["result"] == "fail")
        failed = failed or "无"
        unknown = "、".join(c["unknown"]) or "无"
        print(f"  {c['center']}（{c['county']}）：未满足 {failed}；无数据 {unknown}")
    return 0


def cmd_funding(args: argparse.Namespace) -> int:
    from mic_tracker.funding import funding
    from mic_tracker.funding_tables import text_lines

    as_of, filters = _view(args)
    with db.connect(args.db_path, create=False) as con:
        rows = funding(con, as_of, filters, args.year)
    if args.json:
        _emit(rows)
    else:
        print("\n".join(text_lines(rows)))
    return 0


BRIEFING_FORMATS = (".pdf", ".pptx")


def cmd_briefing(args: argparse.Namespace) -> int:
    out: Path = args.out
    kind = out.suffix.lower()
    if kind not in BRIEFING_FORMATS:
        raise UsageError(
            f"简报只能导出为 .pdf 或 .pptx 文件：{out}（请用 --out 简报.pdf 或 --out 简报.pptx）"
        )
    if not out.parent.is_dir():
        raise UsageError(f"输出目录不存在：{out.parent}")
    # Imported here: the exports pull in fpdf2, python-pptx and kaleido, which other commands skip.
    from mic_tracker.briefing import build

    as_of, filters = _view(args)
    with db.connect(args.db_path, create=False) as con:
        doc = build(con, as_of, filters, lang=args.lang)
    if kind == ".pdf":
        from mic_tracker.export_pdf import write_pdf

        write_pdf(doc, out)
    else:
        from mic_tracker.export_pptx import write_pptx

        write_pptx(doc, out)
    if args.json:
        _emit({"out": str(out), "figures": doc.figures})
    else:
        print(f"已导出简报：{out}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    # Imported here: the benchmark runs the pages in Streamlit's AppTest.
    from mic_tracker import bench, bench_report

    if args.repeats < 1 or (args.centers is not None and args.centers < 1):
        raise UsageError("--repeats 和 --centers 应为正整数")
    result = bench.run(args.centers, args.repeats, args.browser)
    if args.out:
        command = "python -m mic_tracker " + " ".join(
            sys.argv[1:] if args.argv is None else args.argv
        )
        args.out.write_text(bench_report.markdown(result, command), encoding="utf-8")
    if args.json:
        _emit(result)
    else:
        for c in result["budgets"]:
            print(
                f"{'达标' if c['met'] else '未达标'}  {c['what']}: {c['got']} {c['unit']}（限 {c['limit']}）"
            )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from mic_tracker.backup import backup

    manifest = backup(args.db_path, args.dir)
    rows = "，".join(f"{t} {v['rows']} 行" for t, v in manifest["tables"].items())
    print(f"已备份到 {args.dir}：{rows}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from mic_tracker.backup import restore

    manifest = restore(args.dir, args.db_path)
    print(f"已从 {args.dir}（{manifest['created']} 备份）恢复到 {args.db_path}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    since = dt.datetime.combine(args.since or dt.date(1970, 1, 1), dt.time())
    with db.connect(args.db_path, create=False) as con:
        rows = db.rows(con, "audit_since", since=since)
    for r in rows:
        for key in ("before", "after"):
            r[key] = json.loads(r[key]) if r[key] else None
    if args.json:
        _emit(rows)
        return 0
    for r in rows:
        print(
            f"{r['logged_at']:%Y-%m-%d %H:%M:%S} {r['actor']} {r['action']} {r['entity']} {r['entity_key'] or ''}"
        )
    return 0


def _stdin_password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise UsageError(
            "请用 --password-stdin 从标准输入提供密码（命令行上的密码会留在历史记录和进程列表中），"
            "例如：read -rs PW && printf '%s\\n' \"$PW\" | python -m mic_tracker users ... --password-stdin"
        )
    line = sys.stdin.readline()
    return line.removesuffix("\n")  # only the newline: spaces may belong to the password


def cmd_users_add(args: argparse.Namespace) -> int:
    from mic_tracker import auth

    password = _stdin_password(args)
    user = auth.add_user(
        args.db_path, args.name, args.role, args.county, password, db.current_user()
    )
    where = f"，负责 {_county_name(user.county)}" if user.county else ""
    print(f"已添加账号「{user.name}」：{auth.ROLES[user.role]}{where}")
    return 0


def _county_name(code: str) -> str:
    from mic_tracker.reference import load_resolver

    return load_resolver().by_code[code].name


def cmd_users_list(args: argparse.Namespace) -> int:
    from mic_tracker import auth

    users = auth.list_users(args.db_path)
    if args.json:
        _emit(users)
        return 0
    if not users:
        print("还没有账号。用 users add NAME --role admin --password-stdin 添加第一个管理员。")
        return 0
    print(f"共 {len(users)} 个账号：")
    for u in users:
        marks = "".join(
            [
                "  [已停用]" if u["disabled"] else "",
                f"  [锁定至 {u['locked_until']:%H:%M}]" if u["locked_until"] else "",
            ]
        )
        print(f"  {u['name']}  {u['role_label']}  {u['county_name'] or ''}{marks}".rstrip())
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    from mic_tracker import auth

    auth.disable_user(args.db_path, args.name, db.current_user())
    print(f"已停用账号「{args.name}」")
    return 0


def cmd_users_enable(args: argparse.Namespace) -> int:
    from mic_tracker import auth

    auth.enable_user(args.db_path, args.name, db.current_user())
    print(f"已启用账号「{args.name}」")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from mic_tracker import auth

    password = _stdin_password(args)
    auth.set_password(args.db_path, args.name, password, db.current_user())
    print(f"已重设账号「{args.name}」的密码")
    return 0


DEADLINE_STATES = {
    "overdue": "逾期",
    "due_30": "30天内",
    "due_90": "90天内",
    "due_180": "180天内",
    "ok": "正常",
    "done": "已完成",
}
