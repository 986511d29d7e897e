"""`medvirk manifest`: the Teams app package (zip) for upload to Teams."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from bot.cli import CliError


def default_schemas() -> Path | None:
    """The Teams schemas: MEDVIRK_SCHEMAS, else ../shared/schemas beside the checkout."""
    configured = os.environ.get("MEDVIRK_SCHEMAS")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(__file__).resolve().parent.parent.parent / "shared" / "schemas")
    for path in candidates:
        if (path / "teams-manifest-1.29.schema.json").is_file():
            return path
    return None


def cmd_manifest(args: argparse.Namespace) -> int:
    from manifest.build import AppValues, ManifestError, build_package

    values = AppValues(
        app_id=args.app_id or os.environ.get("MEDVIRK_TEAMS_APP_ID", ""),
        bot_id=args.bot_id or os.environ.get("MicrosoftAppId", ""),
        host=args.host or os.environ.get("MEDVIRK_PUBLIC_HOST", ""),
        version=args.version,
    )
    schemas = Path(args.schemas) if args.schemas else default_schemas()
    if args.schemas and not (schemas / "teams-manifest-1.29.schema.json").is_file():
        raise CliError(f"schemas: no teams-manifest-1.29.schema.json in {schemas}")
    try:
        package = build_package(values, schemas)
    except ManifestError as exc:
        raise CliError(f"manifest not written: {exc}") from None
    out = Path(args.out)
    out.write_bytes(package)
    checked = (
        "validated against the 1.29 schemas" if schemas else "schemas not found, not validated"
    )
    print(f"wrote {out} ({checked})")
    return 0


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("manifest", help="build the Teams app package (zip)")
    parser.add_argument(
        "--app-id", default="", help="Teams app id (GUID; env MEDVIRK_TEAMS_APP_ID)"
    )
    parser.add_argument("--bot-id", default="", help="bot's Microsoft App ID (env MicrosoftAppId)")
    parser.add_argument("--host", default="", help="public host name (env MEDVIRK_PUBLIC_HOST)")
    parser.add_argument("--version", default="1.0.0", help="app version, MAJOR.MINOR.PATCH")
    parser.add_argument("--out", default="medvirk.zip")
    parser.add_argument("--schemas", default="", help="folder with the Teams JSON schemas")
    parser.set_defaults(func=cmd_manifest)
