"""The `medvirk` command line: `serve`, `db upgrade` and the admin commands.

Each admin area lives in its own module with `add_commands(subparsers)`;
handlers return an exit code.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import json
import logging
import os
import sys
import time
from collections.abc import Sequence

from pydantic import ValidationError

from bot.settings import Settings, is_loopback

log = logging.getLogger("medvirk")

# Modules that add subcommands (`add_commands(subparsers)`).
COMMAND_MODULES: tuple[str, ...] = (
    "bot.cli.requests",
    "bot.cli.reminders",
    "bot.cli.manifest",
    "bot.cli.try_local",
    "bot.cli.privacy",
    "bot.cli.outbox",
    "bot.cli.pool",
    "bot.cli.fee_claims",
)


class CliError(Exception):
    """A problem the person at the terminal can fix; printed without a traceback."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise CliError(f"invalid configuration: {problems}") from None


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


def check_serve_settings(settings: Settings) -> None:
    """Refuse, with a clear message, what would run unsafely (the server must
    never fail open: trust every caller, or post to any address it is given)."""
    if settings.app_password and not settings.app_id:
        raise CliError(
            "MicrosoftAppPassword is set but MicrosoftAppId is empty: that would run in "
            "anonymous mode, trusting every request. Set MicrosoftAppId too, or neither."
        )
    if settings.anonymous and not is_loopback(settings.bind_host):
        raise CliError(
            f"HOST is {settings.bind_host} but MicrosoftAppId is empty: anonymous mode "
            "(no token validation) listens on loopback only. Set MicrosoftAppId and "
            "MicrosoftAppPassword, or HOST=127.0.0.1."
        )
    if settings.app_id and not settings.app_password:
        raise CliError(
            "MicrosoftAppId is set but MicrosoftAppPassword is empty: the bot cannot "
            "authenticate. Set the password, or unset MicrosoftAppId for local anonymous mode."
        )
    if settings.app_type.lower() == "singletenant" and not settings.app_tenant_id:
        raise CliError("MicrosoftAppType is SingleTenant but MicrosoftAppTenantId is empty.")
    if not settings.anonymous and not settings.allowed_tenants:
        raise CliError(
            "MicrosoftAppTenantId (or MEDVIRK_ALLOWED_TENANTS) is empty: Teams delivers "
            "activities from other tenants too. Name the hospital's tenant."
        )
    problem = settings.production_problem()
    if problem is not None:
        raise CliError(problem)


async def _check_database(settings: Settings) -> None:
    from storage.db import Database

    try:
        db = Database(settings.database_url)
    except Exception as exc:
        raise CliError(f"DATABASE_URL cannot be used: {type(exc).__name__}: {exc}") from None
    try:
        await db.ping()
    except Exception as exc:
        raise CliError(f"the database does not answer: {type(exc).__name__}") from None
    finally:
        await db.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import AccessLog, create_app

    settings = load_settings()
    check_serve_settings(settings)
    asyncio.run(_check_database(settings))
    app = create_app(settings)
    app.on_startup.append(_freeze_startup_objects)
    host, port = settings.bind_host, settings.port
    mode = "anonymous (local only)" if settings.anonymous else "authenticated"
    log.info("medvirk on http://%s:%s/api/messages, %s", host, port, mode)
    web.run_app(
        app,
        host=host,
        port=port,
        print=None,
        shutdown_timeout=30,
        loop=_event_loop(),
        access_log_class=AccessLog,
    )
    return 0


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (Linux, macOS): the same asyncio, with its
    sockets and timers in C; every round trip to the connector and the
    database costs less. The standard loop otherwise."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def _freeze_startup_objects(app: object) -> None:
    """Leave what start-up made (modules, models, migrations) out of garbage
    collection: a full collection scanned it all and paused a turn for ~100 ms."""
    gc.collect()
    gc.freeze()


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.db import Database

    settings = load_settings()

    async def run() -> None:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
        finally:
            await db.dispose()

    asyncio.run(run())
    print("database is up to date")
    return 0


def cmd_db_revision(args: argparse.Namespace) -> int:
    """For developers: autogenerate a migration from the models."""
    from alembic import command
    from sqlalchemy import create_engine

    from storage.db import alembic_config

    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        command.upgrade(cfg, "head")
        command.revision(cfg, message=args.message, autogenerate=True, rev_id=args.rev_id)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medvirk", description=__doc__.splitlines()[0])
    # serve logs what it does; the other commands print their result, and log
    # only warnings.
    parser.add_argument("--log-level", default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the bot")
    serve.set_defaults(func=cmd_serve)
    db = sub.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    revision = db.add_parser("revision", help="(developers) new migration from the models")
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--rev-id", required=True)
    revision.set_defaults(func=cmd_db_revision)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level or ("INFO" if args.command == "serve" else "WARNING"))
    from storage.domain.refusal import Refused

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
