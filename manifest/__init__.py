"""The Teams app package: manifest (schema 1.29), icons and localization files.

Pure: the caller passes the commands (from the bot's own command table) and
the values; `build_manifest()` makes the manifest and its localizations,
`validate()` checks them against the vendored official schemas, and
`build_zip()` returns the package.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

from manifest.icons import COLOR, OUTLINE, png_size

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"
MANIFEST_SCHEMA = (
    "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"
)
LOCALIZATION_SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.Localization.schema.json"
DEFAULT_LANGUAGE = "nb"
ADDITIONAL_LANGUAGES = ("nn", "en")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HOST = re.compile(
    r"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}(:\d{1,5})?$"
)
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class ManifestError(ValueError):
    """A bad or missing value; the message names the field."""


@dataclass(frozen=True)
class CommandText:
    """One command in one scope, with its title and description per language."""

    scope: str  # personal | team
    title: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class AppTexts:
    """Name and descriptions per language."""

    short_name: dict[str, str]
    full_name: dict[str, str]
    short_description: dict[str, str]
    full_description: dict[str, str]


def _check(app_id: str, bot_id: str, host: str, version: str, urls: dict[str, str]) -> None:
    if not _GUID.match(app_id or ""):
        raise ManifestError(f"--app-id: expected a GUID, got {app_id!r}")
    if not _GUID.match(bot_id or ""):
        raise ManifestError(f"--bot-id: expected a GUID (the Azure bot's app id), got {bot_id!r}")
    if not _HOST.match(host or ""):
        raise ManifestError(
            f"--host: expected a public host name like bot.example.no, got {host!r}"
        )
    if not _VERSION.match(version or ""):
        raise ManifestError(f"--version: expected MAJOR.MINOR.PATCH, got {version!r}")
    for name, url in urls.items():
        if not (url or "").startswith("https://"):
            raise ManifestError(f"--{name}: expected an https:// URL, got {url!r}")


def _command_lists(commands: list[CommandText], language: str) -> list[dict[str, Any]]:
    lists = []
    for scope in ("personal", "team"):
        chosen = [c for c in commands if c.scope == scope]
        if chosen:
            lists.append(
                {
                    "scopes": [scope],
                    "commands": [
                        {"title": c.title[language], "description": c.description[language]}
                        for c in chosen
                    ],
                }
            )
    return lists


def build_manifest(
    *,
    app_id: str,
    bot_id: str,
    host: str,
    commands: list[CommandText],
    texts: AppTexts,
    version: str = "1.0.0",
    developer: str = "medvirk",
    website_url: str,
    privacy_url: str,
    terms_url: str,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The manifest (strings in bokmål) and the nn/en localization files by name."""
    _check(
        app_id,
        bot_id,
        host,
        version,
        {"website-url": website_url, "privacy-url": privacy_url, "terms-url": terms_url},
    )
    lang = DEFAULT_LANGUAGE
    manifest: dict[str, Any] = {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": "1.29",
        "version": version,
        "id": app_id.lower(),
        "localizationInfo": {
            "defaultLanguageTag": lang,
            "additionalLanguages": [
                {"languageTag": other, "file": f"{other}.json"} for other in ADDITIONAL_LANGUAGES
            ],
        },
        "developer": {
            "name": developer[:32],
            "websiteUrl": website_url,
            "privacyUrl": privacy_url,
            "termsOfUseUrl": terms_url,
        },
        "name": {"short": texts.short_name[lang], "full": texts.full_name[lang]},
        "description": {
            "short": texts.short_description[lang],
            "full": texts.full_description[lang],
        },
        "icons": {"color": COLOR.name, "outline": OUTLINE.name},
        "accentColor": "#005493",
        "bots": [
            {
                "botId": bot_id.lower(),
                "scopes": ["personal", "team"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": _command_lists(commands, lang),
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
        "defaultInstallScope": "personal",
    }
    localizations: dict[str, dict[str, Any]] = {}
    for other in ADDITIONAL_LANGUAGES:
        strings: dict[str, Any] = {
            "$schema": LOCALIZATION_SCHEMA,
            "name.short": texts.short_name[other],
            "name.full": texts.full_name[other],
            "description.short": texts.short_description[other],
            "description.full": texts.full_description[other],
        }
        for i, command_list in enumerate(_command_lists(commands, other)):
            for j, command in enumerate(command_list["commands"]):
                strings[f"bots[0].commandLists[{i}].commands[{j}].title"] = command["title"]
                strings[f"bots[0].commandLists[{i}].commands[{j}].description"] = command[
                    "description"
                ]
        localizations[f"{other}.json"] = strings
    validate(manifest, localizations)
    return manifest, localizations


@cache
def _validator(name: str) -> Draft4Validator:
    return Draft4Validator(json.loads((SCHEMAS / name).read_text("utf-8")))


def validate(manifest: dict[str, Any], localizations: dict[str, dict[str, Any]]) -> None:
    """Against the official 1.29 schemas; icons must have their sizes."""
    for name, document, schema in [
        ("manifest.json", manifest, "teams-manifest-1.29.schema.json"),
        *[(n, d, "teams-manifest-localization-1.29.schema.json") for n, d in localizations.items()],
    ]:
        errors = sorted(_validator(schema).iter_errors(document), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            where = ".".join(str(p) for p in first.path) or "(top)"
            raise ManifestError(f"{name}: {where}: {first.message}")
    for path, size in ((COLOR, (192, 192)), (OUTLINE, (32, 32))):
        if png_size(path) != size:
            raise ManifestError(
                f"icon {path.name} must be {size[0]}×{size[1]}, is {png_size(path)}"
            )


def build_zip(manifest: dict[str, Any], localizations: dict[str, dict[str, Any]]) -> bytes:
    """manifest.json, the icons and the localization files, all at the zip's root."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.write(COLOR, COLOR.name)
        archive.write(OUTLINE, OUTLINE.name)
        for name, strings in localizations.items():
            archive.writestr(name, json.dumps(strings, ensure_ascii=False, indent=2))
    return out.getvalue()
