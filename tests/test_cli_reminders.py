"""The reminder CLI as an admin uses it, on the same database the bot uses."""

import pytest
from sqlalchemy import select

from storage import desks
from storage.db.models import Contact, Gathering, Reminder, Survey
from tests.support.cli import medvirk

# The reminders CLI's parsing and messages: the reminders' SQL runs on both
# dialects in test_reminders (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


async def test_gathering_add_show_list_cancel(db, database_url) -> None:
    done = medvirk(
        database_url,
        "gathering",
        "add",
        "--title",
        "Årlig fellessamling",
        "--starts",
        "2099-03-26T09:15",
        "--ends",
        "2099-03-26T16:00",
        "--place",
        "Glasblokkene, Haukelandsbakken 15",
        "--register-url",
        "https://example.org/p",
        "--register-by",
        "2099-03-08",
        "--groups",
        "contacts,participants",
        "--remind",
        "14d,1d",
        "--remind-register",
        "7d,1d",
    )
    assert done.returncode == 0, done.stderr
    assert "gathering 1 created" in done.stdout
    async with db.sessions() as session:
        gathering = await session.scalar(select(Gathering))
        reminders = list(await session.scalars(select(Reminder).order_by(Reminder.due_at)))
    assert gathering.groups == ["contacts", "participants"]
    assert gathering.starts_at.isoformat() == "2099-03-26T08:15:00+00:00"  # 09:15 CET
    assert [(r.kind, r.offset_days) for r in reminders] == [
        ("register", 7),
        ("register", 1),
        ("start", 14),
        ("start", 1),
    ]
    show = medvirk(database_url, "gathering", "show", "1")
    assert "2099-03-26 09:15 CET" in show.stdout and "coming      0" in show.stdout
    assert "Årlig fellessamling" in medvirk(database_url, "gathering", "list").stdout
    cancel = medvirk(database_url, "gathering", "cancel", "1")
    assert cancel.returncode == 0 and "cancelled" in cancel.stdout
    assert "cancelled" in medvirk(database_url, "gathering", "list").stdout


async def test_survey_add_with_offsets_and_zone(db, database_url) -> None:
    done = medvirk(
        database_url,
        "survey",
        "add",
        "--title",
        "Årlig spørreundersøkelse",
        "--url",
        "https://example.org/s",
        "--opens",
        "2099-01-02",
        "--closes",
        "2099-01-31T12:00:00Z",
        "--groups",
        "employees,participants",
        "--remind",
        "7d,2d,2h,90s",
    )
    assert done.returncode == 0, done.stderr
    async with db.sessions() as session:
        survey = await session.scalar(select(Survey))
        offsets = sorted(
            (r.offset_days, r.offset_seconds) for r in await session.scalars(select(Reminder))
        )
    assert survey.closes_at.isoformat() == "2099-01-31T12:00:00+00:00"
    assert offsets == [(0, 90), (0, 7200), (2, 0), (7, 0)]
    assert "answered    0" in medvirk(database_url, "survey", "show", "1").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gathering", "add", "--title", "Samling", "--starts", "tomorrow"], "--starts"),
        (["gathering", "add", "--title", "Samling", "--starts", "2001-01-01"], "future"),
        (
            [
                "gathering",
                "add",
                "--title",
                "Samling",
                "--starts",
                "2099-01-01",
                "--groups",
                "aliens",
            ],
            "--groups",
        ),
        (
            ["gathering", "add", "--title", "Samling", "--starts", "2099-01-01", "--remind", "3w"],
            "--remind",
        ),
        (
            [
                "gathering",
                "add",
                "--title",
                "Samling",
                "--starts",
                "2099-01-01",
                "--ends",
                "2098-01-01",
            ],
            "--ends",
        ),
        (
            [
                "gathering",
                "add",
                "--title",
                "Samling",
                "--starts",
                "2099-01-01",
                "--register-url",
                "ftp://x",
            ],
            "--register-url",
        ),
        (
            ["gathering", "add", "--title", "Samling 15076500565", "--starts", "2099-01-01"],
            "identity number",
        ),
        (
            [
                "survey",
                "add",
                "--title",
                "Survey",
                "--url",
                "https://x",
                "--closes",
                "2099-01-01",
                "--opens",
                "2099-02-01",
            ],
            "--opens",
        ),
        (["gathering", "show", "42"], "no gathering 42"),
        (["survey", "cancel", "42"], "no survey 42"),
    ],
)
async def test_bad_input_changes_nothing(db, database_url, args, message) -> None:
    done = medvirk(database_url, *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    async with db.sessions() as session:
        assert await session.scalar(select(Gathering)) is None
        assert await session.scalar(select(Reminder)) is None


async def test_contacts_import(db, database_url, tmp_path) -> None:
    good = tmp_path / "contacts.csv"
    good.write_text(
        "aad_object_id,name,groups,locale\n"
        "aad-1,Kari Kontakt,contacts,nb\n"
        "aad-2,Nils Nynorsk,participants;youth,nn\n"
        "aad-3,Emma English,,en\n",
        encoding="utf-8",
    )
    done = medvirk(database_url, "contacts", "import", str(good))
    assert done.returncode == 0, done.stderr
    async with db.sessions() as session:
        contacts = {c.key: c for c in await session.scalars(select(Contact))}
    assert (
        contacts["aad-2"].groups == ["participants", "youth"] and contacts["aad-2"].locale == "nn"
    )
    assert contacts["aad-3"].groups == ["contacts", "employees", "participants", "youth"]
    bad = tmp_path / "bad.csv"
    bad.write_text("aad_object_id,name,groups\naad-4,Per 15076500565,contacts\n", encoding="utf-8")
    done = medvirk(database_url, "contacts", "import", str(bad))
    assert done.returncode == 2 and "identity number" in done.stderr
    assert "15076500565" not in done.stderr
    async with db.sessions() as session:
        assert await session.scalar(select(Contact).where(Contact.key == "aad-4")) is None


async def test_contacts_import_names_a_desks_groups(db, database_url, tmp_path, clock) -> None:
    async with db.transaction() as session:
        await desks.add(session, desks.NewDesk("alrek", "Alrek"), now=clock.now())
    file = tmp_path / "contacts.csv"
    file.write_text(
        "aad_object_id,name,groups\naad-1,Kari Kontakt,alrek:contacts;contacts\n", encoding="utf-8"
    )
    done = medvirk(database_url, "contacts", "import", str(file))
    assert done.returncode == 0, done.stderr
    async with db.sessions() as session:
        (contact,) = list(await session.scalars(select(Contact)))
    assert contact.groups == ["alrek:contacts", "contacts"]
    nowhere = tmp_path / "nowhere.csv"
    nowhere.write_text("aad_object_id,name,groups\naad-2,Ola,nowhere:youth\n", encoding="utf-8")
    done = medvirk(database_url, "contacts", "import", str(nowhere))
    assert (
        done.returncode == 2 and "nowhere" in done.stderr and "nothing was imported" in done.stderr
    )
    async with db.sessions() as session:
        assert await session.scalar(select(Contact).where(Contact.key == "aad-2")) is None
