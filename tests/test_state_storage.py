"""Dialog state on the database: etag-checked writes, round trips of dialog stacks."""

import asyncio

import pytest
from botbuilder.dialogs import DialogInstance, DialogState

from bot.teams.state_storage import DatabaseStorage, from_json, to_json
from storage.db.state_store import EtagConflict, StateStore


def test_dialog_stack_survives_json() -> None:
    state = DialogState(
        [DialogInstance(id="order", state={"values": {"title": "x"}, "stepIndex": 3})]
    )
    back = from_json(to_json({"DialogState": state}))["DialogState"]
    assert isinstance(back, DialogState)
    assert back.dialog_stack[0].id == "order"
    assert back.dialog_stack[0].state == {"values": {"title": "x"}, "stepIndex": 3}


def test_unknown_objects_are_refused_not_pickled() -> None:
    with pytest.raises(TypeError):
        to_json({"x": object()})


async def test_read_write_and_etag_conflict(db) -> None:
    storage = DatabaseStorage(StateStore(db))
    await storage.write({"conv/1": {"n": 1}})
    first = (await storage.read(["conv/1"]))["conv/1"]
    second = (await storage.read(["conv/1"]))["conv/1"]
    assert first["n"] == 1 and first["e_tag"] == "1"
    first["n"] = 2
    await storage.write({"conv/1": first})
    second["n"] = 3
    with pytest.raises(EtagConflict):
        await storage.write({"conv/1": second})
    assert (await storage.read(["conv/1"]))["conv/1"]["n"] == 2
    # "*" overwrites whatever is there.
    await storage.write({"conv/1": {"n": 4, "e_tag": "*"}})
    assert (await storage.read(["conv/1"]))["conv/1"]["n"] == 4
    await storage.delete(["conv/1"])
    assert await storage.read(["conv/1"]) == {}


async def test_racing_writers_one_wins(db) -> None:
    storage = DatabaseStorage(StateStore(db))
    await storage.write({"k": {"n": 0}})
    copies = [(await storage.read(["k"]))["k"] for _ in range(5)]

    async def write(i: int, doc: dict) -> bool:
        doc["n"] = i
        try:
            await storage.write({"k": doc})
            return True
        except EtagConflict:
            return False

    results = await asyncio.gather(*(write(i, d) for i, d in enumerate(copies)))
    assert results.count(True) == 1
