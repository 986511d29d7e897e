"""The answer pages people open from an e-mail: the response with its
security headers, in the reader's language (templates: `dialogs/templates`)."""

from __future__ import annotations

from typing import Any, cast

from aiohttp import web
from multidict import MultiDictProxy

from dialogs.i18n import DEFAULT_LOCALE, LOCALES, t
from dialogs.rendering import render

__all__ = ["error_page", "html_page", "page_locale", "posted_form", "render"]


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


async def posted_form(
    request: web.Request, *, max_bytes: int
) -> MultiDictProxy[str] | web.Response:
    """A page's posted form (urlencoded or multipart, text fields only), or the
    translated 400 page for a body that cannot be one: malformed multipart,
    bytes that are not the charset it names, a charset nobody knows, a body cut
    short, a file where a field belongs."""
    locale = page_locale(request)
    if request.content_length is not None and request.content_length > max_bytes:
        return error_page(locale, "page.stale_form", 413)
    try:
        form = await request.post()
    # UnicodeDecodeError is a ValueError; LookupError: an unknown charset;
    # ConnectionError: the body ended before its Content-Length; a multipart
    # body with no closing boundary is a ValueError in newer aiohttp (3.13.3), an
    # AssertionError ("Reading after EOF") before it (our floor is 3.10).
    except (ValueError, LookupError, ConnectionError, AssertionError):
        return error_page(locale, "page.bad_form", 400)
    if not all(isinstance(value, str) for value in form.values()):
        return error_page(locale, "page.bad_form", 400)
    return cast(MultiDictProxy[str], form)
