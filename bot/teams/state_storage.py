"""Bot Framework `Storage` on the project's database (dialog and turn state).

Documents are serialised to plain JSON (dialog stacks included) and written
with an etag check, so two turns racing for one conversation cannot overwrite
each other silently: the loser gets `EtagConflict`.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from botbuilder.core import Storage, StoreItem
from botbuilder.dialogs import DialogInstance, DialogState

from storage.db.state_store import StateStore

_TYPE = "$type"


def to_json(value: Any) -> Any:
    """Turn state into JSON; refuse what would not come back the same."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, DialogState):
        return {_TYPE: "DialogState", "stack": [to_json(i) for i in value.dialog_stack]}
    if isinstance(value, DialogInstance):
        return {_TYPE: "DialogInstance", "id": value.id, "state": to_json(value.state)}
    if isinstance(value, datetime):
        return {_TYPE: "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TYPE: "date", "v": value.isoformat()}
    raise TypeError(f"cannot keep {type(value).__name__} in dialog state")


def from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [from_json(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get(_TYPE)
    if kind == "DialogState":
        return DialogState([from_json(i) for i in value["stack"]])
    if kind == "DialogInstance":
        return DialogInstance(id=value["id"], state=from_json(value["state"]))
    if kind == "datetime":
        return datetime.fromisoformat(value["v"])
    if kind == "date":
        return date.fromisoformat(value["v"])
    return {k: from_json(v) for k, v in value.items()}


# Whose personal chat the running turn is in (set by `TeamsBot.on_turn`).
PERSON_OF_TURN: ContextVar[str | None] = ContextVar("medvirk_person_of_turn", default=None)


class DatabaseStorage(Storage):
    def __init__(self, store: StateStore) -> None:
        self._store = store

    async def read(self, keys: list[str]) -> dict[str, Any]:
        found = await self._store.read(keys)
        result: dict[str, Any] = {}
        for key, (data, etag) in found.items():
            item = from_json(data)
            item["e_tag"] = str(etag)
            result[key] = item
        return result

    async def write(self, changes: dict[str, StoreItem | dict[str, Any]]) -> None:
        prepared: dict[str, tuple[dict[str, Any], int | None]] = {}
        for key, change in changes.items():
            if not isinstance(change, dict):
                change = dict(vars(change))
            etag = change.get("e_tag")
            document = to_json({k: v for k, v in change.items() if k != "e_tag"})
            # No etag: the document is new and must not exist yet; "*": overwrite.
            expected = None if etag == "*" else int(etag) if etag else 0
            prepared[key] = (document, expected)
        new_etags = await self._store.write(prepared, person_key=PERSON_OF_TURN.get())
        for key, change in changes.items():
            if isinstance(change, dict):
                change["e_tag"] = str(new_etags[key])

    async def delete(self, keys: list[str]) -> None:
        await self._store.delete(keys)
