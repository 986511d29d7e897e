"""The register of units: the clinics and departments that order (SPEC "Desks,
units and commissioners"). A unit names the desk its requests go to and its
user-involvement contact (brukermedvirkningskontakt), who is told of them.
Units are not desk data: anyone orders from any unit. A retired unit is kept
(its requests still name it) and no longer offered."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db.models import Desk, Request, Unit
from storage.domain.fields import check_text, clean_text
from storage.domain.refusal import Refused
from storage.notifications import UnitTold

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
NAME_MAX = 120
CONTACT_MAX = 320
# An AAD object id: a GUID.
AAD_ID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CSV_COLUMNS = ("code", "name_nb", "name_nn", "name_en", "desk", "contact")
# The choice in the order dialog for a unit not in the register.
OTHER = "other"
# How many units a search answers with (Teams shows at most 15).
SEARCH_MAX = 15


@dataclass(frozen=True)
class NewUnit:
    code: str
    name_nb: str
    desk: str  # the desk's code
    name_nn: str | None = None
    name_en: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class Checked:
    """A unit's row as it will be stored."""

    code: str
    names: tuple[str, str | None, str | None]
    desk_id: int
    contact: str | None


def _name(raw: str | None, *, required: bool) -> str | None:
    text = clean_text(raw or "")
    if not text:
        if required:
            raise Refused("units.error.no_name", field="name")
        return None
    if len(text) > NAME_MAX:
        raise Refused("units.error.name_too_long", field="name", max=NAME_MAX)
    check_text(text)
    return text


def _contact(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) <= CONTACT_MAX and (AAD_ID.fullmatch(text) or EMAIL.fullmatch(text)):
        return text.lower()
    raise Refused("units.error.bad_contact", field="contact")


async def check(session: AsyncSession, new: NewUnit) -> Checked:
    """The unit as it will be stored, or `Refused` saying what is wrong."""
    code = new.code.strip()
    if not CODE.fullmatch(code):
        raise Refused("units.error.bad_code", field="code", code=new.code)
    desk = await session.scalar(select(Desk).where(Desk.code == new.desk.strip().lower()))
    if desk is None:
        raise Refused("desks.error.unknown", field="desk", code=new.desk)
    nb = _name(new.name_nb, required=True)
    assert nb is not None
    names = (nb, _name(new.name_nn, required=False), _name(new.name_en, required=False))
    return Checked(code.lower(), names, desk.id, _contact(new.contact))


def _apply(unit: Unit, checked: Checked, *, now: datetime) -> None:
    unit.name_nb, unit.name_nn, unit.name_en = checked.names
    unit.desk_id = checked.desk_id
    unit.contact = checked.contact
    unit.updated_at = now


async def add(session: AsyncSession, new: NewUnit, *, now: datetime) -> Unit:
    checked = await check(session, new)
    if await by_code(session, checked.code) is not None:
        raise Refused("units.error.taken", field="code", code=checked.code)
    unit = Unit(code=checked.code, created_at=now)
    _apply(unit, checked, now=now)
    session.add(unit)
    await session.flush()
    return unit


@dataclass(frozen=True)
class BadRow:
    """A row of an import file that cannot be stored: its line, and why."""

    line: int
    refused: Refused


class ImportRefused(Exception):
    def __init__(self, bad: list[BadRow]) -> None:
        super().__init__(f"{len(bad)} bad rows")
        self.bad = bad


def read_csv(text: str) -> list[tuple[int, NewUnit]]:
    """The rows of a register file (`code,name_nb,name_nn,name_en,desk,contact`
    with that header), each with its line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise Refused("units.error.columns", columns=", ".join(missing))
    reader.fieldnames = header
    rows: list[tuple[int, NewUnit]] = []
    for row in reader:
        values = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        if not any(values.values()):
            continue
        rows.append(
            (
                reader.line_num,
                NewUnit(
                    code=values["code"],
                    name_nb=values["name_nb"],
                    name_nn=values["name_nn"] or None,
                    name_en=values["name_en"] or None,
                    desk=values["desk"],
                    contact=values["contact"] or None,
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class Imported:
    added: int
    updated: int


async def import_rows(
    session: AsyncSession, rows: Iterable[tuple[int, NewUnit]], *, now: datetime
) -> Imported:
    """Every row checked first; any bad one (or a code twice) and nothing is
    stored (`ImportRefused` lists them all). A code already in the register is
    updated in place (a renamed unit keeps its history) and brought back if it
    was retired."""
    checked: list[Checked] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    for line, new in rows:
        try:
            row = await check(session, new)
        except Refused as refused:
            bad.append(BadRow(line, refused))
            continue
        if row.code in seen:
            bad.append(
                BadRow(line, Refused("units.error.twice", code=row.code, line=seen[row.code]))
            )
            continue
        seen[row.code] = line
        checked.append(row)
    if bad:
        raise ImportRefused(bad)
    known = {u.code: u for u in await every(session, retired=True)}
    added = updated = 0
    for row in checked:
        unit = known.get(row.code)
        if unit is None:
            unit = Unit(code=row.code, created_at=now)
            session.add(unit)
            added += 1
        else:
            unit.retired_at = None
            updated += 1
        _apply(unit, row, now=now)
    await session.flush()
    return Imported(added, updated)


async def every(session: AsyncSession, *, retired: bool = False) -> list[Unit]:
    query = select(Unit).order_by(Unit.name_nb, Unit.code)
    if not retired:
        query = query.where(Unit.retired_at.is_(None))
    return list(await session.scalars(query))


async def any_offered(session: AsyncSession) -> bool:
    """Whether the register offers a unit (empty: the order asks in free text)."""
    return (
        await session.scalar(select(Unit.id).where(Unit.retired_at.is_(None)).limit(1))
    ) is not None


async def by_code(session: AsyncSession, code: str) -> Unit | None:
    return await session.scalar(select(Unit).where(Unit.code == code.strip().lower()))


async def retire(session: AsyncSession, code: str, *, now: datetime) -> Unit:
    unit = await by_code(session, code)
    if unit is None:
        raise Refused("units.error.unknown", field="code", code=code)
    if unit.retired_at is None:
        unit.retired_at = now
        unit.updated_at = now
    await session.flush()
    return unit


def _folded(text: str) -> str:
    return " ".join(clean_text(text).casefold().split())


async def search(session: AsyncSession, text: str, *, limit: int = SEARCH_MAX) -> list[Unit]:
    """Units offered whose code or name in any language contains `text`
    (case-insensitive), those starting with it first."""
    said = _folded(text)
    query = select(Unit).where(Unit.retired_at.is_(None))
    if said and said.isascii():
        # SQLite's lower() and LIKE fold ASCII only: other text is matched
        # below alone.
        escaped = said.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            or_(
                *(
                    func.lower(column).like(f"%{escaped}%", escape="\\")
                    for column in (Unit.code, Unit.name_nb, Unit.name_nn, Unit.name_en)
                )
            )
        )
    found = list(await session.scalars(query.order_by(Unit.name_nb, Unit.code)))
    # The match made here again, in Unicode (and whitespace folded).
    found = [u for u in found if not said or any(said in _folded(n) for n in _names(u))]
    found.sort(key=lambda u: not any(_folded(n).startswith(said) for n in _names(u)))
    return found[:limit]


def _names(unit: Unit) -> list[str]:
    return [n for n in (unit.code, unit.name_nb, unit.name_nn, unit.name_en) if n]


async def named(session: AsyncSession, text: str) -> Unit | None:
    """The unit offered whose code or name in any language is `text`
    (case-insensitive): what a typed answer names."""
    said = _folded(text)
    if not said:
        return None
    for unit in await every(session):
        if any(_folded(n) == said for n in _names(unit)):
            return unit
    return None


async def current_names(session: AsyncSession) -> dict[int, str]:
    """Every unit's name now (bokmål), by id, retired ones too: reports count
    a renamed unit's requests under the name it has now."""
    return {u.id: u.name_nb for u in await every(session, retired=True)}


def unit_label(names: dict[int, str], unit_id: int | None, text: str | None) -> str:
    """What a request counts under in reports: its register unit's name now
    (a renamed unit is one), else the free text it was ordered with."""
    if unit_id is not None and unit_id in names:
        return names[unit_id]
    return text or "?"


def contact_key(contact: str | None) -> str | None:
    """The outbox key that reaches a unit's contact: their AAD object id (their
    Teams chat), or their e-mail address (by e-mail)."""
    if not contact:
        return None
    if "@" in contact:
        return outbox.address_key(contact)
    return contact


async def contact_told(
    session: AsyncSession, request: Request, event: str, *, now: datetime
) -> list[UnitTold]:
    """The event telling the request's unit's contact (none: no unit from the
    register, or it names no contact)."""
    if request.unit_id is None:
        return []
    unit = await session.get(Unit, request.unit_id)
    key = contact_key(unit.contact if unit is not None else None)
    return [UnitTold(key, request.id, event, now)] if key else []
