"""`medvirk export`, `medvirk stats YEAR` and `medvirk report YEAR`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import CliError, parse_day, run_with_db
from storage import desks, privacy, reports
from storage.domain.clock import SystemClock


def add_commands(sub: Any) -> None:
    export = sub.add_parser(
        "export", help="CSV of requests (canonical fields, status, owner, times)"
    )
    export.add_argument("--from", dest="since", help="created on or after (YYYY-MM-DD)")
    export.add_argument("--to", dest="until", help="created on or before (YYYY-MM-DD)")
    export.add_argument("--out", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)
    stats = sub.add_parser("stats", help="figures for the annual report")
    stats.add_argument("year")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(func=cmd_stats)
    report = sub.add_parser(
        "report", help="the annual report: a PDF with charts, or a spreadsheet (.xlsx)"
    )
    report.add_argument("year")
    report.add_argument("--out", help="report.pdf or report.xlsx (default: medvirk-YEAR.pdf)")
    report.add_argument("--language", choices=["nb", "nn", "en"], default="nb")
    report.set_defaults(func=cmd_report)


async def record_cli_read(session: Any, what: str) -> None:
    """The read audit of a CLI read: the operating-system user who ran it."""
    await privacy.record_read(
        session, reader=f"cli:{getpass.getuser()}", what=what, via="cli", now=SystemClock().now()
    )


def cmd_export(args: argparse.Namespace) -> int:
    since = parse_day(args.since, "--from") if args.since else None
    until = parse_day(args.until, "--to") if args.until else None
    if since and until and until < since:
        raise CliError("--to is before --from")

    async def work(db: Any, settings: Any) -> str:
        async with db.transaction() as session:
            await record_cli_read(session, "export")
            return await reports.export_csv(session, zone=settings.zone, since=since, until=until)

    text = run_with_db(work)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    if not (args.year.isdigit() and len(args.year) == 4):
        raise CliError(f"YEAR: expected a year like 2026, got {args.year!r}")
    year = int(args.year)

    async def work(db: Any, settings: Any) -> dict[str, Any]:
        async with db.transaction() as session:
            await record_cli_read(session, f"statistics {year}")
            return (await reports.year_figures(session, year, zone=settings.zone)).as_dict()

    figures = run_with_db(work)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    print(f"Requests {year}: {figures['total']}")
    for title, key in (
        ("By assignment type", "by_assignment_type"),
        ("By unit", "by_unit"),
        ("By level", "by_level"),
        ("By outcome", "by_outcome"),
        ("Ordered from outside, by organisation", "by_commissioner"),
    ):
        print(f"\n{title}:")
        for name, count in sorted(figures[key].items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {name:<30} {count:>5}")
    print(f"\nMedian days to claim: {figures['median_days_to_claim']}")
    print(f"Median days to match: {figures['median_days_to_match']}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from dialogs.reports import report_pdf, report_xlsx
    from storage.reports.annual import annual

    if not (args.year.isascii() and args.year.isdigit() and len(args.year) == 4):
        raise CliError(f"YEAR: expected a year like 2026, got {args.year!r}")
    year = int(args.year)
    out = Path(args.out or f"medvirk-{year}.pdf")
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        raise CliError(f"--out: a .pdf or .xlsx file, got {out.name!r}")

    async def work(db: Any, settings: Any) -> tuple[Any, Any]:
        now = SystemClock().now()
        async with db.transaction() as session:
            await record_cli_read(session, f"report {year}")
            terms_of = desks.invoice_terms(settings.fee_rates)
            figures = await annual(session, year, zone=settings.zone, now=now, terms_of=terms_of)
            return figures, now.astimezone(settings.zone)

    figures, made = run_with_db(work)
    render = report_xlsx if out.suffix.lower() == ".xlsx" else report_pdf
    data = render(figures, args.language, made=made)
    try:
        out.write_bytes(data)
    except OSError as error:
        raise CliError(f"{out}: cannot be written ({error.strerror or error})") from None
    print(f"wrote {out}: {figures.requests} requests of {year} ({len(data)} bytes)")
    return 0
