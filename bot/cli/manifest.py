"""`medvirk manifest`: the Teams app zip, from the bot's own command table."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from bot.cli.common import CliError
from dialogs.commands import COMMANDS
from dialogs.i18n import LOCALES, all_texts
from manifest import AppTexts, CommandText, ManifestError, build_manifest, build_zip


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("manifest", help="build the Teams app package (zip)")
    parser.add_argument(
        "--app-id", default=os.environ.get("MEDVIRK_TEAMS_APP_ID"), help="Teams app id (GUID)"
    )
    parser.add_argument(
        "--bot-id",
        default=os.environ.get("MicrosoftAppId"),
        help="the Azure bot's app id (default: MicrosoftAppId)",
    )
    parser.add_argument(
        "--host", default=os.environ.get("MEDVIRK_PUBLIC_HOST"), help="public host name of the bot"
    )
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--developer", default=os.environ.get("MEDVIRK_DEVELOPER_NAME", "medvirk"))
    parser.add_argument("--website-url", default=None)
    parser.add_argument("--privacy-url", default=None)
    parser.add_argument("--terms-url", default=None)
    parser.add_argument("--out", default="medvirk.zip")
    parser.set_defaults(func=cmd_manifest)


def command_texts() -> list[CommandText]:
    """Every command the bot routes on, in its scope, with translated descriptions."""
    return [
        CommandText(
            scope=command.scope.value,
            title={locale: command.words[locale] for locale in LOCALES},
            description=all_texts(command.description_key),
        )
        for command in COMMANDS
    ]


def app_texts() -> AppTexts:
    return AppTexts(
        short_name=all_texts("app.name.short"),
        full_name=all_texts("app.name.full"),
        short_description=all_texts("app.description.short"),
        full_description=all_texts("app.description.full"),
    )


def cmd_manifest(args: argparse.Namespace) -> int:
    for name in ("app_id", "bot_id", "host"):
        if not getattr(args, name):
            raise CliError(f"--{name.replace('_', '-')} is required (or set it in the environment)")
    website = (
        args.website_url or os.environ.get("MEDVIRK_RESOURCE_PAGE_URL") or f"https://{args.host}/"
    )
    try:
        manifest, localizations = build_manifest(
            app_id=args.app_id,
            bot_id=args.bot_id,
            host=args.host,
            commands=command_texts(),
            texts=app_texts(),
            version=args.version,
            developer=args.developer,
            website_url=website,
            privacy_url=args.privacy_url or website,
            terms_url=args.terms_url or website,
        )
    except ManifestError as problem:
        raise CliError(str(problem)) from None
    data = build_zip(manifest, localizations)
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0
