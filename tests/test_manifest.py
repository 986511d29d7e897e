"""The Teams app package: schema-valid, the bot's real commands, icons, zip layout."""

import json
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from PIL import Image

from dialogs.commands import COMMANDS, Scope
from manifest import SCHEMAS
from manifest.icons import COLOR, OUTLINE
from tests.support.cards import CARD_SCHEMA
from tests.support.cli import Done, cli
from tests.support.env import SHARED

APP_ID = "11111111-2222-3333-4444-555555555555"
BOT_ID = "66666666-7777-8888-9999-000000000000"


def build(tmp_path: Path, *extra: str, env: dict | None = None) -> Done:
    out = tmp_path / "medvirk.zip"
    return cli("manifest", "--out", str(out), *extra, **(env or {}))


@pytest.fixture
def package(tmp_path):
    done = build(
        tmp_path, "--app-id", APP_ID, "--bot-id", BOT_ID, "--host", "medvirk.helse.example.no"
    )
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "medvirk.zip") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _shared_schema(name: str) -> Draft4Validator:
    """An official schema, from the vendored copy (compared with ../shared below)."""
    return Draft4Validator(json.loads((SCHEMAS / name).read_text("utf-8")))


def test_vendored_schemas_are_the_official_ones() -> None:
    vendored = {
        SCHEMAS / "teams-manifest-1.29.schema.json",
        SCHEMAS / "teams-manifest-localization-1.29.schema.json",
        CARD_SCHEMA,
    }
    for path in vendored:
        shared = SHARED / "schemas" / path.name
        if not shared.exists():
            pytest.skip("../shared/schemas is missing beside this checkout")
        assert path.read_bytes() == shared.read_bytes(), path.name


def test_zip_layout_and_schemas(package) -> None:
    assert sorted(package) == ["color.png", "en.json", "manifest.json", "nn.json", "outline.png"]
    manifest = json.loads(package["manifest.json"])
    errors = list(_shared_schema("teams-manifest-1.29.schema.json").iter_errors(manifest))
    assert not errors, errors[0].message
    loc = _shared_schema("teams-manifest-localization-1.29.schema.json")
    for name in ("nn.json", "en.json"):
        errors = list(loc.iter_errors(json.loads(package[name])))
        assert not errors, (name, errors[0].message)
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nb"
    assert {x["languageTag"] for x in manifest["localizationInfo"]["additionalLanguages"]} == {
        "nn",
        "en",
    }
    bot = manifest["bots"][0]
    assert bot["botId"] == BOT_ID and manifest["id"] == APP_ID
    assert bot["scopes"] == ["personal", "team"] and bot["supportsFiles"] is False
    assert manifest["validDomains"] == ["medvirk.helse.example.no"]
    assert "webApplicationInfo" not in manifest


def test_command_lists_are_the_commands_the_bot_understands(package) -> None:
    manifest = json.loads(package["manifest.json"])
    lists = {
        tuple(c["scopes"]): [x["title"] for x in c["commands"]]
        for c in manifest["bots"][0]["commandLists"]
    }
    for scope in Scope:
        assert lists[(scope.value,)] == [c.words["nb"] for c in COMMANDS if c.scope is scope]
    english = json.loads(package["en.json"])
    titles = [v for k, v in english.items() if k.endswith(".title")]
    assert titles == [c.words["en"] for s in Scope for c in COMMANDS if c.scope is s]
    assert all(v for k, v in english.items() if k.endswith(".description"))


def test_icons() -> None:
    with Image.open(COLOR) as color:
        assert color.size == (192, 192)
    with Image.open(OUTLINE) as outline:
        assert outline.size == (32, 32) and outline.mode == "RGBA"
        pixels = [outline.getpixel((x, y)) for y in range(32) for x in range(32)]
    assert pixels[0][3] == 0, "the outline icon's background is transparent"
    assert {p[:3] for p in pixels if p[3] > 200} == {(255, 255, 255)}, "the glyph is white"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--app-id", "not-a-guid", "--bot-id", BOT_ID, "--host", "h.example.no"], "--app-id"),
        (["--app-id", APP_ID, "--bot-id", "x", "--host", "h.example.no"], "--bot-id"),
        (["--app-id", APP_ID, "--bot-id", BOT_ID, "--host", "not a host"], "--host"),
        (
            ["--app-id", APP_ID, "--bot-id", BOT_ID, "--host", "h.example.no", "--version", "1"],
            "--version",
        ),
        (
            [
                "--app-id",
                APP_ID,
                "--bot-id",
                BOT_ID,
                "--host",
                "h.example.no",
                "--privacy-url",
                "http://x",
            ],
            "--privacy-url",
        ),
        (["--bot-id", BOT_ID, "--host", "h.example.no"], "--app-id"),
    ],
)
def test_bad_values_name_the_field_and_write_nothing(tmp_path, args, field) -> None:
    done = build(tmp_path, *args, env={"MicrosoftAppId": "", "MEDVIRK_TEAMS_APP_ID": ""})
    assert done.returncode == 2
    assert field in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "medvirk.zip").exists()


def test_values_from_the_environment(tmp_path) -> None:
    done = build(
        tmp_path,
        env={
            "MEDVIRK_TEAMS_APP_ID": APP_ID,
            "MicrosoftAppId": BOT_ID,
            "MEDVIRK_PUBLIC_HOST": "bot.example.no",
        },
    )
    assert done.returncode == 0, done.stderr
