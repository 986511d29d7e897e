"""The annual report's cost as the year grows: a year of 2,000 and of 20,000
requests, built through the domain (tests/support/year.py), and the report made from
each in a fresh process every time (cold: imports, fonts, first queries).

    .venv/bin/python bench/report.py [--sizes 2000,20000] [--runs 3] [--postgres]

Prints, per size (median of the runs): the whole `medvirk report` command's
seconds and peak RSS for the PDF and the spreadsheet, and inside a process of
its own the seconds of the figures' queries and of drawing the PDF and the
spreadsheet. The baseline, measured in the same run, is the same on an empty
year: the queries are what grows with the year, and their growth against the
smaller year is printed beside the growth of the year itself (linear: about
the same number).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ZONE = ZoneInfo("Europe/Oslo")
YEAR = 2026


def measure_inside(database_url: str) -> None:
    """In a fresh process: time the queries and the drawing (printed as JSON)."""
    import resource

    started = time.perf_counter()
    from dialogs.reports import report_pdf, report_xlsx
    from storage.db import Database
    from storage.reports.annual import annual

    imported = time.perf_counter() - started

    async def figures() -> tuple[object, float]:
        db = Database(database_url)
        try:
            begun = time.perf_counter()
            async with db.sessions() as session:
                found = await annual(session, YEAR, zone=ZONE, now=datetime.now(ZONE))
            return found, time.perf_counter() - begun
        finally:
            await db.dispose()

    found, queried = asyncio.run(figures())
    begun = time.perf_counter()
    pdf = report_pdf(found, "nb", made=datetime.now(ZONE))  # type: ignore[arg-type]
    drawn = time.perf_counter() - begun
    begun = time.perf_counter()
    xlsx = report_xlsx(found, "nb", made=datetime.now(ZONE))  # type: ignore[arg-type]
    sheet = time.perf_counter() - begun
    print(
        json.dumps(
            {
                "imports": imported,
                "queries": queried,
                "pdf": drawn,
                "xlsx": sheet,
                "pdf_bytes": len(pdf),
                "xlsx_bytes": len(xlsx),
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run_command(database_url: str, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `medvirk report` process."""
    env = {**os.environ, "DATABASE_URL": database_url, "MEDVIRK_TIMEZONE": "Europe/Oslo"}
    command = [sys.executable, "-m", "bot", "--log-level", "WARNING", "report", str(YEAR)]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        problem = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"medvirk report failed: {problem}")
    return seconds, usage.ru_maxrss / 1024


def run_inside(database_url: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


async def build(url: str, size: int) -> float:
    from storage.db import Database
    from tests.support.year import generate_year

    db = Database(url)
    await db.upgrade()
    started = time.perf_counter()
    if size:
        await generate_year(db, year=YEAR, count=size, zone=ZONE)
    await db.dispose()
    return time.perf_counter() - started


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


Maker = Callable[[int], Awaitable[tuple[str, Callable[[], Awaitable[None]]]]]


async def backend(name: str, make_url: Maker, sizes: list[int], runs: int, work: Path) -> None:
    print(f"\n{name} (median of {runs} cold processes each)")
    print(
        f"{'requests':>9} {'built s':>8} {'pdf cmd s':>9} {'RSS MB':>7} {'xlsx cmd s':>10} "
        f"{'RSS MB':>7} {'queries s':>9} {'draw pdf s':>10} {'xlsx s':>7} {'growth':>16}"
    )
    smallest: tuple[int, float] | None = None
    for size in [0, *sizes]:
        url, drop = await make_url(size)
        try:
            built = await build(url, size)
            pdf = [run_command(url, work / f"r{size}.pdf") for _ in range(runs)]
            xlsx = [run_command(url, work / f"r{size}.xlsx") for _ in range(runs)]
            inside = [run_inside(url) for _ in range(runs)]
        finally:
            await drop()
        queries = median(inside, "queries")
        growth = ""
        if size and smallest is None:
            smallest = (size, queries)
        elif size and smallest is not None:
            growth = f"{queries / smallest[1]:.1f} (year ×{size / smallest[0]:.0f})"
        print(
            f"{size or '0 (base)':>9} {built:8.1f} {statistics.median(p[0] for p in pdf):9.2f} "
            f"{max(p[1] for p in pdf):7.0f} {statistics.median(x[0] for x in xlsx):10.2f} "
            f"{max(x[1] for x in xlsx):7.0f} {queries:9.3f} {median(inside, 'pdf'):10.2f} "
            f"{median(inside, 'xlsx'):7.2f} {growth:>16}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also on 127.0.0.1:5432")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        async def sqlite_url(size: int) -> tuple[str, Callable[[], Awaitable[None]]]:
            path = work / f"year-{size}.db"

            async def drop() -> None:
                path.unlink(missing_ok=True)

            return f"sqlite+aiosqlite:///{path}", drop

        await backend("SQLite", sqlite_url, sizes, args.runs, work)
        if args.postgres:
            from bench.common import postgres_database

            async def pg_url(size: int) -> tuple[str, Callable[[], Awaitable[None]]]:
                made = await postgres_database("medvirk_bench_report")
                if made is None:
                    raise SystemExit("no PostgreSQL on 127.0.0.1:5432")
                return made

            await backend("PostgreSQL", pg_url, sizes, args.runs, work)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure_inside(sys.argv[2])
    else:
        asyncio.run(main())
