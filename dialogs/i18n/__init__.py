"""Message catalogs for bokmål (default), nynorsk and English.

Each module in this package defines `MESSAGES = {key: {"nb": ..., "nn": ..., "en": ...}}`;
they are merged here, and a test proves every key exists in every language.
Placeholders use `str.format` names.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

LOCALES: tuple[str, ...] = ("nb", "nn", "en")
DEFAULT_LOCALE = "nb"


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} defined twice ({info.name})")
            merged[key] = texts
    return merged


CATALOG: dict[str, dict[str, str]] = _load()


def resolve_locale(locale: str | None) -> str:
    """Map a Teams locale (`nb-NO`, `nn-NO`, `no`, `en-US`, ...) to nb, nn or en."""
    if not locale:
        return DEFAULT_LOCALE
    lang = locale.replace("_", "-").split("-")[0].lower()
    if lang in ("nb", "no"):
        return "nb"
    if lang == "nn":
        return "nn"
    if lang == "en":
        return "en"
    return DEFAULT_LOCALE


def t(locale: str, key: str, **params: Any) -> str:
    """The text for `key` in `locale`, with placeholders filled."""
    texts = CATALOG[key]
    text = texts.get(locale) or texts[DEFAULT_LOCALE]
    return text.format(**params) if params else text


def all_texts(key: str) -> dict[str, str]:
    return dict(CATALOG[key])
