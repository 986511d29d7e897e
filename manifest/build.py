"""Build the Teams app package: manifest.json, icons and localization files in one zip.

Pure: no botbuilder. The command lists come from dialogs.commands.COMMANDS, the same
table the bot routes on, with descriptions from the message catalog.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from dialogs.commands import COMMANDS, Scope
from dialogs.i18n import t
from manifest.texts import APP_TEXTS

HERE = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "nb"
ADDITIONAL_LANGUAGES = ("nn", "en")
ICON_SIZES = {"color.png": (192, 192), "outline.png": (32, 32)}
SCOPES = (Scope.PERSONAL, Scope.TEAM)

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


class ManifestError(ValueError):
    """A value the person building the package must fix; names the field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


@dataclass(frozen=True)
class AppValues:
    app_id: str
    bot_id: str
    host: str
    version: str = "1.0.0"


def check_values(values: AppValues) -> AppValues:
    """Refuse what Teams would refuse, naming the field."""
    for field, value in (("app-id", values.app_id), ("bot-id", values.bot_id)):
        if not value:
            raise ManifestError(
                field, "missing (a GUID such as 00000000-0000-0000-0000-000000000000)"
            )
        if not _GUID.match(value):
            raise ManifestError(field, f"{value!r} is not a GUID")
    host = values.host.strip().lower()
    if not host:
        raise ManifestError("host", "missing (the public host name the bot answers on)")
    if "://" in host or "/" in host or not _HOST.match(host):
        raise ManifestError(
            "host", f"{values.host!r} is not a host name (e.g. medvirk.example.org)"
        )
    if not re.match(r"^\d+\.\d+\.\d+$", values.version):
        raise ManifestError("version", f"{values.version!r} is not MAJOR.MINOR.PATCH")
    return AppValues(values.app_id.lower(), values.bot_id.lower(), host, values.version)


def manifest_commands(scope: Scope) -> list[dict[str, str]]:
    """The manifest's command list for one scope, in the default language."""
    return [
        {
            "title": command.words[DEFAULT_LANGUAGE],
            "description": t(DEFAULT_LANGUAGE, command.description_key),
        }
        for command in COMMANDS
        if command.scope is scope
    ]


def build_manifest(values: AppValues) -> dict[str, Any]:
    values = check_values(values)
    template = json.loads((HERE / "manifest.template.json").read_text(encoding="utf-8"))
    manifest = copy.deepcopy(template)
    texts = APP_TEXTS[DEFAULT_LANGUAGE]
    manifest["id"] = values.app_id
    manifest["version"] = values.version
    base = f"https://{values.host}"
    manifest["developer"].update(
        websiteUrl=base, privacyUrl=f"{base}/privacy", termsOfUseUrl=f"{base}/terms"
    )
    manifest["name"] = {"short": texts["name.short"], "full": texts["name.full"]}
    manifest["description"] = {
        "short": texts["description.short"],
        "full": texts["description.full"],
    }
    bot = manifest["bots"][0]
    bot["botId"] = values.bot_id
    bot["commandLists"] = [
        {"scopes": [scope.value], "commands": manifest_commands(scope)} for scope in SCOPES
    ]
    manifest["validDomains"] = [values.host]
    return manifest


def build_localization(language: str) -> dict[str, Any]:
    """One additional language's file: the app texts and every command's title and description."""
    strings: dict[str, Any] = {
        "$schema": "https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/"
        "MicrosoftTeams.Localization.schema.json",
        **APP_TEXTS[language],
    }
    for i, scope in enumerate(SCOPES):
        for j, command in enumerate(c for c in COMMANDS if c.scope is scope):
            prefix = f"bots[0].commandLists[{i}].commands[{j}]"
            strings[f"{prefix}.title"] = command.words[language]
            strings[f"{prefix}.description"] = t(language, command.description_key)
    return strings


def check_icons(directory: Path = HERE) -> None:
    for name, size in ICON_SIZES.items():
        path = directory / name
        if not path.is_file():
            raise ManifestError(f"icons.{name}", f"missing file {path}")
        with Image.open(path) as image:
            if image.format != "PNG" or image.size != size:
                raise ManifestError(
                    f"icons.{name}", f"must be a {size[0]}×{size[1]} PNG, is {image.size}"
                )
            if name == "outline.png":
                rgba = image.convert("RGBA")
                pixels = [rgba.getpixel((x, y)) for y in range(size[1]) for x in range(size[0])]
                if not any(a == 0 for *_, a in pixels):
                    raise ManifestError("icons.outline.png", "must have a transparent background")
                if any(a and (r, g, b) != (255, 255, 255) for r, g, b, a in pixels):
                    raise ManifestError("icons.outline.png", "the glyph must be white")


def validate(
    manifest: dict[str, Any], localizations: dict[str, dict[str, Any]], schemas: Path
) -> None:
    """Validate against the Teams schemas (Draft 4), naming the first bad field."""
    from jsonschema import Draft4Validator

    pairs = [("teams-manifest-1.29.schema.json", "manifest.json", manifest)]
    pairs += [
        ("teams-manifest-localization-1.29.schema.json", f"{lang}.json", doc)
        for lang, doc in localizations.items()
    ]
    for schema_file, name, document in pairs:
        schema = json.loads((schemas / schema_file).read_text(encoding="utf-8"))
        errors = sorted(Draft4Validator(schema).iter_errors(document), key=lambda e: list(e.path))
        if errors:
            error = errors[0]
            where = ".".join(str(p) for p in error.absolute_path) or "(root)"
            raise ManifestError(f"{name}: {where}", error.message)


def build_package(values: AppValues, schemas: Path | None = None) -> bytes:
    """The zip's bytes; raises ManifestError before anything is written."""
    manifest = build_manifest(values)
    localizations = {lang: build_localization(lang) for lang in ADDITIONAL_LANGUAGES}
    if schemas is not None:
        validate(manifest, localizations, schemas)
    check_icons()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for lang, document in localizations.items():
            archive.writestr(f"{lang}.json", json.dumps(document, ensure_ascii=False, indent=2))
        for name in ICON_SIZES:
            archive.write(HERE / name, name)
    return buffer.getvalue()
