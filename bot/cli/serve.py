"""`medvirk serve`: refuse unsafe settings, check the database, run the bot."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
from typing import Any

from bot.cli.common import CliError, load_settings
from bot.settings import Settings, is_loopback

log = logging.getLogger("medvirk")


def add_commands(sub: Any) -> None:
    serve = sub.add_parser("serve", help="run the bot")
    serve.set_defaults(func=cmd_serve)


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
    try:
        db = settings.open_database()
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
