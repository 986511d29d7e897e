"""One refusal class, translated once per way in: the router (verbs, commands),
the page wrapper and the CLI each say an escaped `Refused` in the reader's
language, with no traceback."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from bot import cli
from bot.framework.messages import InvokeAnswer
from bot.framework.ports import Turn
from bot.framework.router import Router
from bot.out.pages import PageShown, answer, error_page
from dialogs.i18n import LOCALES, t
from storage.domain.refusal import Refused
from tests.test_router import FakeServices, FixedAccess, make_turn

ROOT = Path(__file__).resolve().parent.parent
# Attributes that made a class "a catalog key and its parameters".
_MARKS = frozenset({"code", "params"})


def _assigned(cls: ast.ClassDef) -> set[str]:
    return {
        target.attr
        for node in ast.walk(cls)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    }


def _is_exception(cls: ast.ClassDef) -> bool:
    names = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases}
    return any(n.endswith(("Exception", "Error", "Refused")) for n in names)


def test_no_second_class_carries_a_catalog_key_and_parameters() -> None:
    offenders = []
    for package in ("bot", "dialogs", "storage", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "storage/domain/refusal.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ClassDef) or not _is_exception(node):
                    continue
                assigned = _assigned(node)
                if assigned & _MARKS or {"key", "field"} <= assigned:
                    offenders.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert not offenders, "use storage.domain.refusal.Refused:\n" + "\n".join(offenders)


def test_the_scan_is_not_vacuous() -> None:
    source = "class Stray(Exception):\n    def __init__(self, code):\n        self.code = code\n"
    cls = ast.parse(source).body[0]
    assert isinstance(cls, ast.ClassDef) and _is_exception(cls) and _assigned(cls) & _MARKS


def _refused() -> Refused:
    return Refused("participant.error.already_invited", name="Kari *Nordmann*")


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_refusal_escaping_a_verb_is_its_error_answer(locale: str) -> None:
    router = Router()

    @router.verb("try")
    async def refuse(turn: Turn, services: Any, data: dict[str, Any]) -> InvokeAnswer:
        raise _refused()

    turn, _ = make_turn()
    turn.locale = locale
    got = await router.on_verb(turn, FakeServices(FixedAccess()), "try", {})
    assert got.body["statusCode"] == 400
    assert got.body["value"] == {
        "code": "refused",
        "message": t(locale, "participant.error.already_invited", name="Kari \\*Nordmann\\*"),
    }


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_refusal_escaping_a_command_is_a_reply(locale: str) -> None:
    router = Router()

    @router.personal_command("help")
    async def refuse(turn: Turn, services: Any, argument: str) -> None:
        raise Refused("channel.error.not_claimable")

    turn, said = make_turn("help")
    turn.locale = locale
    await router.on_message(turn, FakeServices(FixedAccess()))
    assert said.texts == [t(locale, "channel.error.not_claimable")]


@pytest.mark.parametrize(("accept", "locale"), [("nb", "nb"), ("nn", "nn"), ("en", "en")])
async def test_a_refusal_escaping_a_page_is_the_translated_error_page(
    accept: str, locale: str
) -> None:
    request = make_mocked_request("GET", "/p/x", headers={"Accept-Language": accept})

    async def refuse() -> web.StreamResponse:
        raise _refused()

    page = await answer(refuse, request)
    assert isinstance(page, web.Response) and page.status == 400
    assert page.text is not None
    message = t(locale, "participant.error.already_invited", name="Kari *Nordmann*")
    assert message.replace("*", "") in page.text.replace("*", "")
    assert "Traceback" not in page.text
    assert page.headers["X-Frame-Options"] == "DENY"


async def test_a_failed_look_up_is_its_own_page() -> None:
    request = make_mocked_request("GET", "/p/x")
    gone = error_page("en", "page.expired_link", 410)

    async def look_up() -> web.StreamResponse:
        raise PageShown(gone)

    assert await answer(look_up, request) is gone


def test_a_refusal_escaping_a_cli_command_is_said_like_a_cli_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def parser() -> argparse.ArgumentParser:
        made = argparse.ArgumentParser(prog="medvirk")
        made.add_argument("--log-level", default=None)
        sub = made.add_subparsers(dest="command", required=True)

        def refuse(args: argparse.Namespace) -> int:
            raise _refused()

        sub.add_parser("try").set_defaults(func=refuse)
        return made

    monkeypatch.setattr(cli, "build_parser", parser)
    assert cli.main(["try"]) == 2
    err = capsys.readouterr().err
    said = t("en", "participant.error.already_invited", name="Kari *Nordmann*")
    assert err == f"medvirk: {said}\n"
    assert "Traceback" not in err
