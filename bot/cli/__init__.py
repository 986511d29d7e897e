"""The `medvirk` command line: `serve`, `db upgrade` and the admin commands.

Each area lives in its own module of this package with `add_commands(subparsers)`,
imported here by name; handlers return an exit code. What they share (CliError,
the settings, a migrated database) is in `bot.cli.common`, never this module.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence

from bot.cli import (
    db,
    desks,
    fee_claims,
    invoices,
    manifest,
    outbox,
    pool,
    privacy,
    reminders,
    requests,
    serve,
    try_local,
    units,
)
from bot.cli.common import DESK, CliError

# What adds subcommands (`add_commands(subparsers)`), in the order `--help` lists them.
COMMANDS = (
    serve,
    db,
    desks,
    units,
    requests,
    reminders,
    manifest,
    try_local,
    privacy,
    outbox,
    pool,
    fee_claims,
    invoices,
)


class RedactIdentityNumbers(logging.Filter):
    """Defence in depth: no national identity number reaches a log line."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        from storage.domain.identity import redact_identity_numbers

        message = record.getMessage()
        redacted = redact_identity_numbers(message)
        if redacted is not message:
            record.msg, record.args = redacted, None
        # A traceback quotes the values it failed on (and a database error its
        # statement): the formatter prints `exc_text` when it is set.
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_identity_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_identity_numbers(record.stack_info)
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line (`MEDVIRK_LOG_FORMAT=json`), for log collectors.
    It formats what the redaction filter has already cleaned."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


JsonLines.converter = time.gmtime


def configure_logging(level: str = "INFO", log_format: str | None = None) -> None:
    log_format = log_format or os.environ.get("MEDVIRK_LOG_FORMAT", "text")
    handler = logging.StreamHandler(sys.stderr)
    if log_format.strip().lower() == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactIdentityNumbers())
    from bot.out.links import RedactLinkTokens

    handler.addFilter(RedactLinkTokens())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Their INFO lines say the same at every start (SQLAlchemy's pool: every
    # dispose); keep warnings.
    for noisy in ("alembic", "apscheduler", "sqlalchemy", "storage.db.fair_pool"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    # A long reminder round outlasts several ticks; skipping them is intended.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medvirk", description=__doc__.splitlines()[0])
    # serve logs what it does; the other commands print their result, and log
    # only warnings.
    parser.add_argument("--log-level", default=None)
    parser.add_argument(
        "--desk",
        metavar="CODE",
        help="see and change one desk's requests, pool and figures alone (default: every desk)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for commands in COMMANDS:
        commands.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level or ("INFO" if args.command == "serve" else "WARNING"))
    from storage.db import scope
    from storage.domain.refusal import Refused

    # A command sees every desk unless `--desk` narrows it (bot/cli/common.py).
    scope.enter(scope.ALL_DESKS)
    DESK.set(getattr(args, "desk", None))
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"medvirk: {exc}", file=sys.stderr)
        return 2
    except Refused as refused:
        # The one place a refusal a command lets escape is said at the terminal
        # (in English, as every CLI message), like a `CliError`.
        from dialogs.refusals import refusal_text

        print(f"medvirk: {refusal_text('en', refused, markdown=False)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
