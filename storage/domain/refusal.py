"""The one error a user can cause: a catalog key and its parameters.

Use cases raise `Refused` before anything is written; the router, the web
pages and the CLI translate it once, in the reader's language. Nothing else
in the product carries "a catalog key and its parameters".
"""

from __future__ import annotations


class Refused(Exception):
    """Nothing was written. `key` is a message-catalog key; `params` fill it;
    `field` names the input it is about, where there is one (pages tie the
    message to that field)."""

    def __init__(self, key: str, *, field: str | None = None, **params: str | int | None) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def __repr__(self) -> str:  # parameters may be personal: never in a log line
        return f"Refused({self.key!r})"
