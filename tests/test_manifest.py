"""The Teams app package: schema-valid, commands from the routing table, icons, zip layout."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from dialogs.commands import COMMANDS, Scope, match_command
from dialogs.i18n import t
from manifest.build import (
    AppValues,
    ManifestError,
    build_localization,
    build_manifest,
    build_package,
    check_icons,
    validate,
)
from manifest.icons import draw_color, draw_outline

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT.parent / "shared" / "schemas"
needs_schemas = pytest.mark.skipif(
    not (SCHEMAS / "teams-manifest-1.29.schema.json").is_file(),
    reason=f"Teams schemas not found at {SCHEMAS} (../shared/schemas from the repo root)",
)
APP_ID = "0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011"
BOT_ID = "11112222-3333-4444-5555-666677778888"
VALUES = AppValues(app_id=APP_ID, bot_id=BOT_ID, host="medvirk.example.org")


@needs_schemas
def test_manifest_and_localizations_validate() -> None:
    from jsonschema import Draft4Validator

    manifest = build_manifest(VALUES)
    schema = json.loads((SCHEMAS / "teams-manifest-1.29.schema.json").read_text())
    assert list(Draft4Validator(schema).iter_errors(manifest)) == []
    loc_schema = json.loads((SCHEMAS / "teams-manifest-localization-1.29.schema.json").read_text())
    for lang in ("nn", "en"):
        assert list(Draft4Validator(loc_schema).iter_errors(build_localization(lang))) == []


def test_manifest_shape() -> None:
    manifest = build_manifest(VALUES)
    assert manifest["id"] == APP_ID
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nb"
    assert [a["languageTag"] for a in manifest["localizationInfo"]["additionalLanguages"]] == [
        "nn",
        "en",
    ]
    (bot,) = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert set(bot["scopes"]) == {"personal", "team"}
    assert bot["supportsFiles"] is False
    assert manifest["validDomains"] == ["medvirk.example.org"]
    assert "webApplicationInfo" not in manifest


@pytest.mark.parametrize("scope", [Scope.PERSONAL, Scope.TEAM])
def test_command_lists_are_the_commands_the_bot_routes(scope: Scope) -> None:
    lists = build_manifest(VALUES)["bots"][0]["commandLists"]
    (entry,) = [x for x in lists if x["scopes"] == [scope.value]]
    routed = [c for c in COMMANDS if c.scope is scope]
    assert [c["title"] for c in entry["commands"]] == [c.words["nb"] for c in routed]
    assert [c["description"] for c in entry["commands"]] == [
        t("nb", c.description_key) for c in routed
    ]
    # Every title, typed as it stands, reaches the command in that scope.
    for command, listed in zip(routed, entry["commands"], strict=True):
        found = match_command(listed["title"], scope)
        assert found is not None and found.command is command


def test_localizations_translate_every_command() -> None:
    manifest = build_manifest(VALUES)
    for lang in ("nn", "en"):
        strings = build_localization(lang)
        for i, entry in enumerate(manifest["bots"][0]["commandLists"]):
            scope = Scope(entry["scopes"][0])
            routed = [c for c in COMMANDS if c.scope is scope]
            for j, command in enumerate(routed):
                assert (
                    strings[f"bots[0].commandLists[{i}].commands[{j}].title"]
                    == (command.words[lang])
                )
                assert strings[f"bots[0].commandLists[{i}].commands[{j}].description"] == t(
                    lang, command.description_key
                )
        assert strings["name.short"] and strings["description.full"]
    assert build_localization("nn")["name.short"] != build_localization("nb")["name.short"]


def test_committed_icons_are_the_drawn_ones() -> None:
    check_icons()
    with Image.open(ROOT / "manifest" / "color.png") as color:
        assert color.size == (192, 192) and color.format == "PNG"
        assert color.convert("RGB").tobytes() == draw_color().tobytes()
    with Image.open(ROOT / "manifest" / "outline.png") as outline:
        assert outline.size == (32, 32) and outline.mode == "RGBA"
        assert outline.tobytes() == draw_outline().tobytes()
        pixels = [outline.getpixel((x, y)) for y in range(32) for x in range(32)]
    assert any(a == 0 for *_, a in pixels), "outline background is transparent"
    assert all((r, g, b) == (255, 255, 255) for r, g, b, a in pixels if a), "glyph is white"
    assert sum(1 for *_, a in pixels if a) > 30, "the glyph is drawn"


def test_bad_icon_is_refused(tmp_path: Path) -> None:
    draw_color().save(tmp_path / "color.png")
    draw_color().resize((32, 32)).save(tmp_path / "outline.png")
    with pytest.raises(ManifestError) as caught:
        check_icons(tmp_path)
    assert caught.value.field == "icons.outline.png"


def test_zip_layout() -> None:
    package = build_package(VALUES, SCHEMAS if SCHEMAS.is_dir() else None)
    archive = zipfile.ZipFile(__import__("io").BytesIO(package))
    assert sorted(archive.namelist()) == sorted(
        ["manifest.json", "nn.json", "en.json", "color.png", "outline.png"]
    )
    manifest = json.loads(archive.read("manifest.json"))
    for lang in manifest["localizationInfo"]["additionalLanguages"]:
        assert lang["file"] in archive.namelist()
    assert set(manifest["icons"].values()) <= set(archive.namelist())


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (AppValues("", BOT_ID, "medvirk.example.org"), "app-id"),
        (AppValues("not-a-guid", BOT_ID, "medvirk.example.org"), "app-id"),
        (AppValues(APP_ID, "", "medvirk.example.org"), "bot-id"),
        (AppValues(APP_ID, BOT_ID, ""), "host"),
        (AppValues(APP_ID, BOT_ID, "https://medvirk.example.org/api"), "host"),
        (AppValues(APP_ID, BOT_ID, "medvirk.example.org", version="1"), "version"),
    ],
)
def test_bad_values_name_the_field(values: AppValues, field: str) -> None:
    with pytest.raises(ManifestError) as caught:
        build_manifest(values)
    assert caught.value.field == field


@needs_schemas
def test_schema_violation_names_the_field() -> None:
    manifest = build_manifest(VALUES)
    manifest["name"]["short"] = "x" * 31
    with pytest.raises(ManifestError) as caught:
        validate(manifest, {}, SCHEMAS)
    assert "name.short" in caught.value.field


def _cli(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    import os

    environment = {k: v for k, v in os.environ.items() if k != "MicrosoftAppId"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", "manifest", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_writes_the_zip_from_args_and_environment(tmp_path: Path) -> None:
    out = tmp_path / "medvirk.zip"
    result = _cli(
        tmp_path,
        "--app-id",
        APP_ID,
        "--host",
        "medvirk.example.org",
        "--out",
        str(out),
        env={"MicrosoftAppId": BOT_ID},
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["bots"][0]["botId"] == BOT_ID
    if SCHEMAS.is_dir():
        assert "validated" in result.stdout


def test_cli_refuses_bad_values_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "medvirk.zip"
    result = _cli(tmp_path, "--app-id", APP_ID, "--host", "medvirk.example.org", "--out", str(out))
    assert result.returncode != 0
    assert "bot-id" in result.stderr
    assert not out.exists()
