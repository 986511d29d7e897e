"""The answer pages people open from an e-mail: the response with its
security headers, in the reader's language (templates: `dialogs/templates`).

A page route reads straight through: a look-up that fails raises `PageShown`
with the error page, and a `Refused` it lets escape is the translated error
page; `answer` (the one wrapper every page route runs in) gives either."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from aiohttp import web
from multidict import MultiDictProxy

from dialogs.i18n import DEFAULT_LOCALE, LOCALES, t
from dialogs.refusals import refusal_text
from dialogs.rendering import render
from storage.domain.refusal import Refused

if TYPE_CHECKING:
    from bot.out.links import Links

__all__ = ["PageShown", "answer", "error_page", "html_page", "page_locale", "posted_form", "render"]


class PageShown(Exception):
    """A look-up that failed, with the page that says so: `answer` shows it."""

    def __init__(self, page: web.Response) -> None:
        super().__init__(page.status)
        self.page = page


def page_locale(request: web.Request) -> str:
    """The reader's language from the browser's Accept-Language; bokmål if none fits."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith(("nn", "nno")):
            return "nn"
        if tag.startswith(("nb", "no", "nob")):
            return "nb"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def html_page(name: str, locale: str, *, status: int = 200, **context: Any) -> web.Response:
    response = web.Response(
        text=render(name, locale if locale in LOCALES else DEFAULT_LOCALE, **context),
        status=status,
        content_type="text/html",
        charset="utf-8",
    )
    # The pages hold a person's own link: never cached or shown in a frame.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def error_page(locale: str, key: str, status: int) -> web.Response:
    """A page that says what went wrong (`key`: a catalog key), and nothing else."""
    return html_page(
        "page_message.html",
        locale,
        status=status,
        title=t(locale, "page.title_error"),
        message=t(locale, key),
    )


async def answer(
    handler: Callable[[], Awaitable[web.StreamResponse]], request: web.Request
) -> web.StreamResponse:
    """What a page route answers: its page, the page of a failed look-up, or a
    refusal it let escape as the error page in the reader's language."""
    try:
        return await handler()
    except PageShown as shown:
        return shown.page
    except Refused as refused:
        locale = page_locale(request)
        return html_page(
            "page_message.html",
            locale,
            status=400,
            title=t(locale, "page.title_error"),
            message=refusal_text(locale, refused, markdown=False),
        )


async def posted_form(request: web.Request, *, max_bytes: int) -> MultiDictProxy[str]:
    """A page's posted form (urlencoded or multipart, text fields only), or
    `PageShown` with the translated 400 page for a body that cannot be one: malformed multipart,
    bytes that are not the charset it names, a charset nobody knows, a body cut
    short, a file where a field belongs."""
    locale = page_locale(request)
    if request.content_length is not None and request.content_length > max_bytes:
        raise PageShown(error_page(locale, "page.stale_form", 413))
    try:
        form = await request.post()
    # UnicodeDecodeError is a ValueError; LookupError: an unknown charset;
    # ConnectionError: the body ended before its Content-Length; a multipart
    # body with no closing boundary is a ValueError in newer aiohttp (3.13.3), an
    # AssertionError ("Reading after EOF") before it (our floor is 3.10).
    except (ValueError, LookupError, ConnectionError, AssertionError):
        raise PageShown(error_page(locale, "page.bad_form", 400)) from None
    if not all(isinstance(value, str) for value in form.values()):
        raise PageShown(error_page(locale, "page.bad_form", 400))
    return cast(MultiDictProxy[str], form)


def read_link(
    links: Links,
    purpose: str,
    token: str,
    locale: str,
    *,
    now: float,
    expired: str = "page.expired_link",
) -> dict[str, Any]:
    """A page's signed link read, or `PageShown` with the translated page:
    404 for one altered or of another purpose, 410 (`expired`) for one past
    its time."""
    from bot.out.links import BadLink, ExpiredLink

    try:
        return links.read(purpose, token, now=now)
    except ExpiredLink:
        raise PageShown(error_page(locale, expired, 410)) from None
    except BadLink:
        raise PageShown(error_page(locale, "page.bad_link", 404)) from None


def too_many_page(locale: str) -> web.Response:
    """429: a form posted more often in an hour than `MEDVIRK_ORDER_RATE` allows."""
    return html_page(
        "page_message.html",
        locale,
        status=429,
        title=t(locale, "weborder.too_many_title"),
        message=t(locale, "weborder.too_many"),
    )


def client_ip(request: web.Request) -> str:
    """Where a post came from, as a form's rate counts it (behind a reverse
    proxy, the proxy's address: docs/DEPLOY.md)."""
    return request.remote or "unknown"
