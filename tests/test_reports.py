"""Export and yearly figures on a seeded data set: CLI, channel command."""

import csv
import io
import json
from datetime import timedelta

from storage.domain.fields import FIELD_NAMES
from storage.domain.requests import Status
from storage.requests.completion import set_status
from storage.requests.moves import Actor, claim
from tests.support.cards import assert_valid_card
from tests.support.channel import MEMBERS, seed_request, setup_channel
from tests.support.cli import medvirk

OWNER = Actor("aad-member-01", "Medlem 01")


async def seed_year(db, clock) -> None:
    """Five requests in 2026: claimed after 1, 2 and 4 days; two matched after 3 and 6."""
    a = await seed_request(db, clock, assignment_type="research", unit="Hjerteklinikken")
    b = await seed_request(
        db, clock, assignment_type="research", unit="Kvinneklinikken", level="service"
    )
    c = await seed_request(db, clock, assignment_type="education", unit="Hjerteklinikken")
    await seed_request(db, clock, assignment_type="planning", unit='=HYPERLINK("x")')
    d = await seed_request(db, clock, assignment_type="council", unit="Kvinneklinikken")
    start = clock.now()

    async def at(days: float, move) -> None:
        clock.set(start + timedelta(days=days))
        async with db.transaction() as session:
            await move(session)

    await at(1, lambda s: claim(s, a, OWNER, now=clock.now()))
    await at(2, lambda s: claim(s, b, OWNER, now=clock.now()))
    await at(3, lambda s: set_status(s, a, OWNER, Status.MATCHED, now=clock.now()))
    await at(4, lambda s: claim(s, c, OWNER, now=clock.now()))
    await at(
        5, lambda s: set_status(s, c, OWNER, Status.DECLINED, now=clock.now(), comment="Ingen")
    )
    await at(6, lambda s: set_status(s, b, OWNER, Status.MATCHED, now=clock.now()))
    del d


async def test_stats_cli(db, database_url, clock) -> None:
    await seed_year(db, clock)
    done = medvirk(database_url, "stats", "2026", "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["total"] == 5
    assert figures["by_assignment_type"] == {
        "research": 2,
        "education": 1,
        "planning": 1,
        "council": 1,
    }
    assert figures["by_unit"]["Hjerteklinikken"] == 2
    assert figures["by_level"] == {"system": 4, "service": 1}
    assert figures["by_outcome"] == {"matched": 2, "declined": 1, "submitted": 2}
    assert figures["median_days_to_claim"] == 2.0
    assert figures["median_days_to_match"] == 4.5
    text = medvirk(database_url, "stats", "2026")
    assert "Median days to claim: 2.0" in text.stdout
    bad = medvirk(database_url, "stats", "twenty")
    assert bad.returncode == 2 and "YEAR" in bad.stderr and "Traceback" not in bad.stderr


async def test_export_cli(db, database_url, clock, tmp_path) -> None:
    await seed_year(db, clock)
    out = tmp_path / "requests.csv"
    done = medvirk(
        database_url, "export", "--from", "2026-11-01", "--to", "2026-12-31", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert len(rows) == 5
    assert set(FIELD_NAMES) <= set(rows[0])
    assert {"reference", "status", "owner", "created_at", "claimed_at", "matched_at"} <= set(
        rows[0]
    )
    assert rows[0]["reference"] == "BM-2026-0001" and rows[0]["status"] == "matched"
    assert rows[0]["owner"] == "Medlem 01"
    assert rows[3]["unit"].startswith("'="), "formula cells are neutralised"
    none = medvirk(database_url, "export", "--from", "2027-01-01")
    assert none.stdout.count("\n") == 1  # header only
    bad = medvirk(database_url, "export", "--from", "yesterday")
    assert bad.returncode == 2 and "--from" in bad.stderr


async def test_statistics_in_the_channel(bot, clock) -> None:
    await setup_channel(bot)
    await seed_year(bot.db, clock)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    reply = await member.say_in_channel("statistikk 2026")
    card = reply.card
    assert_valid_card(card)
    assert "Bestillinger: 5" in str(card) and "Forskning" in str(card)
    reply = await member.say_in_channel("statistikk neste år")
    assert "årstall" in reply.texts[-1]
