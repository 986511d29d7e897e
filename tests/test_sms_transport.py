"""The SMS transport: segment counting, the folder, an HTTPS gateway on
loopback, and SMPP 3.4 against a real SMSC on a socket (tests/support/fake_smpp.py)."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.out.sms import (
    FolderGateway,
    HttpsGateway,
    Receipt,
    Segments,
    SmppGateway,
    Sms,
    SmsFailed,
    Submitted,
    gateway_for,
    read_sms_file,
    receipt_from_json,
    segments,
    valid_sender,
)
from tests.support.certs import make_certificate
from tests.support.fake_smpp import FakeSmppServer, gsm_decode
from tests.support.sms import Heard, fake_smpp, quick_gateway

__all__ = ["fake_smpp"]  # the fixture, used by name below

NORWEGIAN = (
    "Hei! Du er invitert til brukermøtet om pasientforløp i Ålesund tirsdag. "
    "Svar JA 4821 om du kommer, NEI 4821 om du ikke kan. Vi serverer lunsj; si fra om "
    "allergier eller særlige behov. Kart og reisevei står på siden din: "
    "https://medvirk.example.no/s/Xa9. Æ Ø Å æ ø å. Spørsmål? Ring oss på dagtid, "
    "så hjelper vi deg gjerne. Vennlig hilsen Brukerutvalget og koordinatorene"
)
EMOJI = "🙂"


def sms(text: str, *, to: str = "+4791234567", sender: str = "MEDVIRK") -> Sms:
    return Sms(to=to, text=text, sender=sender, reference="row-17")


@pytest.fixture(autouse=True)
async def _no_task_left() -> AsyncIterator[None]:
    """Every test leaves its loop as it found it: no gateway task running on."""
    yield
    await asyncio.sleep(0)
    left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert not left, left


# -- segments --------------------------------------------------------------------


def test_gsm7_counts_160_then_153() -> None:
    assert segments("a" * 160) == Segments("gsm7", 1)
    assert segments("a" * 161) == Segments("gsm7", 2)
    assert segments("a" * 306) == Segments("gsm7", 2)
    assert segments("a" * 307) == Segments("gsm7", 3)
    assert segments("") == Segments("gsm7", 1)


def test_norwegian_letters_stay_gsm7() -> None:
    assert segments("æøåÆØÅ" * 26 + "æøåÆ") == Segments("gsm7", 1)  # 160
    assert segments("Blåbærsyltetøy på Ørland") == Segments("gsm7", 1)
    assert segments(NORWEGIAN).encoding == "gsm7"
    # "å" written as "a" and a combining ring is the same letter
    assert segments("pa\u030a") == Segments("gsm7", 1)


def test_extension_characters_take_two_septets() -> None:
    assert segments("€" * 80) == Segments("gsm7", 1)  # 160 septets
    assert segments("€" * 81) == Segments("gsm7", 2)
    assert segments("[" * 80) == Segments("gsm7", 1)
    assert segments("a" * 159 + "[") == Segments("gsm7", 2)  # 161 septets
    # never split between parts: 152 + the two septets of "€" go on to part two
    assert segments("a" * 152 + "€" + "a" * 151) == Segments("gsm7", 2)
    assert segments("a" * 152 + "€" + "a" * 152) == Segments("gsm7", 3)


def test_an_emoji_makes_ucs2_70_then_67() -> None:
    assert segments("a" * 68 + EMOJI) == Segments("ucs2", 1)  # 70 UTF-16 units
    assert segments("a" * 69 + EMOJI) == Segments("ucs2", 2)
    assert segments("a" * 132 + EMOJI) == Segments("ucs2", 2)  # 134 units: 67 + 67
    assert segments("a" * 133 + EMOJI) == Segments("ucs2", 3)
    assert segments("Takk – vi ses") == Segments("ucs2", 1)  # an en dash is not GSM-7


def test_senders() -> None:
    assert valid_sender("MEDVIRK")
    assert valid_sender("Helse Vest")
    assert valid_sender("+4790000000")
    assert valid_sender("2222")
    assert not valid_sender("Medvirkningen")  # 13 characters
    assert not valid_sender("Helse Sør")  # no SMSC takes Ø in a sender id
    assert not valid_sender("")


# -- the folder ---------------------------------------------------------------


async def test_the_folder_writes_one_file_an_sms(tmp_path: Path) -> None:
    folder = tmp_path / "sms"
    gateway = gateway_for("", folder)
    assert isinstance(gateway, FolderGateway) and gateway.delivers is False
    assert str(folder.resolve()) in gateway.describe()
    await gateway.start(Heard().on_receipt, Heard().on_inbound)
    first = await gateway.send(sms("Hei på deg 🙂"))
    second = await gateway.send(sms(NORWEGIAN, to="+4798765432"))
    await gateway.close()
    assert first.segments == 1 and second.segments == 3
    assert first.message_id != second.message_id
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == sorted(
        [f"{first.message_id}.txt", f"{second.message_id}.txt"]
    )  # no partial file left behind
    content = (folder / f"{first.message_id}.txt").read_bytes().decode("utf-8")
    assert content == "To: +4791234567\n\nHei på deg 🙂\n"
    assert read_sms_file(folder / f"{second.message_id}.txt") == ("+4798765432", NORWEGIAN)


async def test_the_folder_refuses_what_the_operator_would(tmp_path: Path) -> None:
    gateway = FolderGateway(tmp_path)
    for bad in (sms("x", to="91234567"), sms("x", sender="Medvirkningen")):
        with pytest.raises(SmsFailed) as failed:
            await gateway.send(bad)
        assert failed.value.permanent
        assert "9123" not in failed.value.reason


def test_gateway_for_refuses_other_urls() -> None:
    for url in ("ftp://x", "smtp://host", "http://sms.example.no/send", "smpp://host:2775"):
        with pytest.raises(ValueError, match="MEDVIRK_SMS_URL"):
            gateway_for(url)
    with pytest.raises(ValueError, match="at most 8"):
        gateway_for("smpp://user:muchtoolong@host:2775")
    smpp = gateway_for("smpp://medvirk:pa%40ss@smsc.example.no:2775")
    assert isinstance(smpp, SmppGateway)
    assert smpp.describe() == "SMPP smsc.example.no:2775 as medvirk"


# -- HTTPS ----------------------------------------------------------------------


class FakeHttpGateway:
    def __init__(self) -> None:
        self.requests: list[tuple[str | None, dict[str, Any]]] = []
        self.answers: list[web.Response] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((request.headers.get("Authorization"), await request.json()))
        if self.answers:
            return self.answers.pop(0)
        return web.json_response({"id": f"h{len(self.requests)}"})


@pytest.fixture
async def http_gateway(tmp_path: Path) -> AsyncIterator[tuple[FakeHttpGateway, str, Path]]:
    fake = FakeHttpGateway()
    app = web.Application()
    app.router.add_post("/v1/sms", fake.handle)
    cert, key = make_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = TestServer(app, host="127.0.0.1", scheme="https")
    await server.start_server(ssl=context)
    try:
        yield fake, f"https://medvirk:tok%2Fen-1@127.0.0.1:{server.port}/v1/sms?x=1", cert
    finally:
        await server.close()


async def test_https_gateway_posts_json_with_a_bearer_token(
    http_gateway: tuple[FakeHttpGateway, str, Path],
) -> None:
    fake, url, cert = http_gateway
    gateway = gateway_for(url, ca_file=str(cert))
    assert isinstance(gateway, HttpsGateway) and gateway.delivers
    assert "tok" not in gateway.describe() and "medvirk" not in gateway.describe()
    assert "x=1" not in gateway.describe()
    try:
        submitted = await gateway.send(sms(NORWEGIAN))
    finally:
        await gateway.close()
    assert submitted == Submitted("h1", 3)
    assert fake.requests == [
        (
            "Bearer tok/en-1",
            {"to": "+4791234567", "from": "MEDVIRK", "text": NORWEGIAN, "reference": "row-17"},
        )
    ]


async def test_https_gateway_failures(http_gateway: tuple[FakeHttpGateway, str, Path]) -> None:
    fake, url, cert = http_gateway
    fake.answers = [
        web.Response(status=429, headers={"Retry-After": "7"}),
        web.Response(status=503),
        web.Response(status=400, text="bad number"),
        web.Response(status=401),
    ]
    gateway = HttpsGateway(url, ca_file=str(cert))
    failures: list[SmsFailed] = []
    try:
        for _ in range(4):
            with pytest.raises(SmsFailed) as failed:
                await gateway.send(sms("hei"))
            failures.append(failed.value)
    finally:
        await gateway.close()
    assert [(f.reason, f.permanent, f.retry_after) for f in failures] == [
        ("http 429", False, 7.0),
        ("http 503", False, None),
        ("http 400", True, None),
        ("http 401", False, None),  # a token fixed in the configuration lets them go
    ]


async def test_https_gateway_unreachable_is_transient(tmp_path: Path) -> None:
    from bot.cli.try_local import free_port

    gateway = HttpsGateway(f"http://127.0.0.1:{free_port()}/sms")
    try:
        with pytest.raises(SmsFailed) as failed:
            await gateway.send(sms("hei"))
    finally:
        await gateway.close()
    assert not failed.value.permanent and failed.value.reason.startswith("http ")


def test_receipt_from_json() -> None:
    assert receipt_from_json({"id": "h1", "status": "delivered"}) == Receipt(
        "h1", "delivered", None
    )
    assert receipt_from_json({"id": "h1", "status": "failed", "reason": "absent"}) == Receipt(
        "h1", "failed", "absent"
    )
    assert receipt_from_json({"id": "h1", "status": "EXPIRED"}) == Receipt(
        "h1", "failed", "expired"
    )
    assert receipt_from_json({"id": 17, "status": "queued"}) == Receipt("17", "unknown", "queued")
    assert receipt_from_json({"status": "delivered"}) is None
    assert receipt_from_json(json.loads('{"id": "", "status": "delivered"}')) is None


# -- SMPP -------------------------------------------------------------------------


@pytest.fixture
async def bound(fake_smpp: FakeSmppServer) -> AsyncIterator[tuple[SmppGateway, Heard]]:
    gateway = quick_gateway(fake_smpp.url)
    heard = Heard()
    await gateway.start(heard.on_receipt, heard.on_inbound)
    try:
        assert gateway.bound
        yield gateway, heard
    finally:
        await gateway.close()


async def test_smpp_binds_and_submits_short_long_and_ucs2(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    gateway, _ = bound
    short = await gateway.send(sms("Hei! Svar JA 4821 eller NEI 4821. Hilsen Brukerutvalget"))
    long = await gateway.send(sms(NORWEGIAN, to="+4798765432"))
    wide = await gateway.send(sms("Takk for svaret " + EMOJI + " vi ses!", sender="+4790000000"))
    wide_long = await gateway.send(sms("ø" * 66 + EMOJI + "å" * 70))  # the emoji across a border
    assert (short.segments, long.segments, wide.segments, wide_long.segments) == (1, 3, 1, 3)

    assert fake_smpp.binds == 1
    first, second, third, fourth = fake_smpp.messages
    assert first.text == "Hei! Svar JA 4821 eller NEI 4821. Hilsen Brukerutvalget"
    assert (first.to, first.sender, first.sender_ton) == ("4791234567", "MEDVIRK", 5)
    assert (first.data_coding, first.esm_class, first.registered_delivery) == (0, 0, 1)
    assert first.message_id == short.message_id

    assert second.text == NORWEGIAN and second.parts == 3 and second.to == "4798765432"
    assert (second.data_coding, second.esm_class) == (0, 0x40)
    assert second.message_id == long.message_id == second.part_ids[0]

    assert third.text == "Takk for svaret " + EMOJI + " vi ses!"
    assert (third.data_coding, third.sender, third.sender_ton) == (8, "4790000000", 1)
    assert fourth.text == "ø" * 66 + EMOJI + "å" * 70 and fourth.parts == 3

    part = fake_smpp.parts[0]
    assert (part.dest_addr_ton, part.dest_addr_npi) == (1, 1)


async def test_smpp_gsm7_octets_are_the_alphabets_codes(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    gateway, _ = bound
    await gateway.send(sms("æøåÆØÅ€[@$"))
    octets = fake_smpp.parts[0].short_message
    assert octets == b"\x1d\x0c\x0f\x1c\x0b\x0e\x1b\x65\x1b\x3c\x00\x02"
    assert gsm_decode(octets) == "æøåÆØÅ€[@$"


async def test_smpp_refuses_a_bad_number_without_sending(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    gateway, _ = bound
    with pytest.raises(SmsFailed) as failed:
        await gateway.send(sms("hei", to="004791234567"))
    assert failed.value.permanent and fake_smpp.submits == 0


async def test_smpp_wrong_password_fails_clearly_and_keeps_trying(
    fake_smpp: FakeSmppServer,
) -> None:
    url = fake_smpp.url.replace(fake_smpp.password, "nope")
    gateway = quick_gateway(url, bind_wait=0.2)
    heard = Heard()
    try:
        await gateway.start(heard.on_receipt, heard.on_inbound)  # returns after the first refusal
        assert not gateway.bound and fake_smpp.bind_refusals >= 1
        with pytest.raises(SmsFailed) as failed:
            await gateway.send(sms("hei"))
        await fake_smpp.wait_until(lambda: fake_smpp.bind_refusals >= 2)  # it tries again
    finally:
        await gateway.close()
    assert failed.value.reason == "smpp bind refused (smpp 0x0e invalid password)"
    assert not failed.value.permanent  # a password put right lets the waiting SMS go
    assert "nope" not in gateway.describe() and fake_smpp.submits == 0


async def test_smpp_nothing_listening_is_transient() -> None:
    from bot.cli.try_local import free_port

    gateway = quick_gateway(f"smpp://medvirk:s3cret@127.0.0.1:{free_port()}", bind_wait=0.1)
    try:
        await gateway.start(Heard().on_receipt, Heard().on_inbound)
        with pytest.raises(SmsFailed) as failed:
            await gateway.send(sms("hei"))
    finally:
        await gateway.close()
    assert not failed.value.permanent
    assert failed.value.reason == "smpp cannot bind: ConnectionRefusedError"


async def test_smpp_send_before_start_is_transient(fake_smpp: FakeSmppServer) -> None:
    with pytest.raises(SmsFailed) as failed:
        await quick_gateway(fake_smpp.url).send(sms("hei"))
    assert not failed.value.permanent


async def test_smpp_receipts_reach_on_receipt(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    gateway, heard = bound
    one = await gateway.send(sms("en"))
    two = await gateway.send(sms("to"))
    three = await gateway.send(sms("tre"))
    assert await fake_smpp.deliver_receipt(one.message_id, "DELIVRD") == 0
    assert await fake_smpp.deliver_receipt(two.message_id, "UNDELIV", "001") == 0
    assert await fake_smpp.deliver_receipt(three.message_id, "EXPIRED", with_tlvs=False) == 0
    assert await fake_smpp.deliver_receipt(three.message_id, "ACCEPTD", with_tlvs=False) == 0
    await heard.wait(receipts=4)
    assert heard.receipts == [
        Receipt(one.message_id, "delivered", None),
        Receipt(two.message_id, "failed", "UNDELIV err:001"),
        Receipt(three.message_id, "failed", "EXPIRED"),
        Receipt(three.message_id, "unknown", "ACCEPTD"),
    ]


async def test_smpp_replies_reach_on_inbound(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    _, heard = bound
    assert await fake_smpp.deliver_inbound(from_="+4791234567", to="2222", text="JA 4821") == 0
    assert (
        await fake_smpp.deliver_inbound(from_="+4798765432", to="2222", text="nei takk " + EMOJI)
        == 0
    )
    await heard.wait(inbound=2)
    assert [(i.sender, i.to, i.text) for i in heard.inbound] == [
        ("+4791234567", "2222", "JA 4821"),
        ("+4798765432", "2222", "nei takk " + EMOJI),
    ]


async def test_smpp_a_failed_hand_on_asks_the_smsc_to_offer_it_again(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    _, heard = bound
    heard.fail = True
    assert await fake_smpp.deliver_inbound(from_="+4791234567", to="2222", text="JA 4821") == 0x64
    heard.fail = False
    assert await fake_smpp.deliver_inbound(from_="+4791234567", to="2222", text="JA 4821") == 0
    assert [i.text for i in heard.inbound] == ["JA 4821"]


async def test_smpp_throttled_past_the_rate_with_retry_after(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    gateway, _ = bound
    now = [100.0]
    fake_smpp.clock = lambda: now[0]  # the second stands still: exactly 3 go through
    fake_smpp.max_per_second = 3
    results = await asyncio.gather(
        *(gateway.send(sms(f"melding {n}")) for n in range(8)), return_exceptions=True
    )
    sent = [r for r in results if isinstance(r, Submitted)]
    throttled = [r for r in results if isinstance(r, SmsFailed)]
    assert len(sent) == 3 and len(throttled) == 5 and fake_smpp.throttled == 5
    for failure in throttled:
        assert failure.reason == "smpp 0x58 throttled"
        assert not failure.permanent and failure.retry_after == 1.0
    now[0] += 1.0  # the next second
    assert (await gateway.send(sms("melding 8"))).segments == 1
    assert len(fake_smpp.messages) == 4


async def test_smpp_drop_mid_round_fails_the_outstanding_and_binds_again(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    gateway, _ = bound
    await gateway.send(sms("før"))
    fake_smpp.hold = True  # submits are read, not answered
    sends = [asyncio.create_task(gateway.send(sms(f"melding {n}"))) for n in range(4)]
    await fake_smpp.wait_until(lambda: fake_smpp.held == 4)
    fake_smpp.hold = False
    fake_smpp.drop_connections()
    results = await asyncio.gather(*sends, return_exceptions=True)
    for result in results:
        assert isinstance(result, SmsFailed), result
        assert not result.permanent and result.reason == "smpp connection lost"

    await fake_smpp.wait_until(lambda: gateway.bound and fake_smpp.binds == 2)  # by itself
    for n in range(4):  # the caller's retries
        await gateway.send(sms(f"melding {n}"))
    assert [m.text for m in fake_smpp.messages] == ["før"] + [f"melding {n}" for n in range(4)]


async def test_smpp_a_drop_before_the_answer_loses_nothing_and_sends_nothing_twice(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    """The SMSC closes on the third submit without answering it: the two it
    answered are sent, the rest fail as transient, and sending those again
    gives every text exactly once."""
    gateway, _ = bound
    fake_smpp.drop_after = 3
    texts = [f"melding {n}" for n in range(6)]
    results = await asyncio.gather(*(gateway.send(sms(t)) for t in texts), return_exceptions=True)
    failed = [t for t, r in zip(texts, results, strict=True) if isinstance(r, SmsFailed)]
    assert all(not r.permanent for r in results if isinstance(r, SmsFailed))
    assert len(failed) == 4 and fake_smpp.unanswered == 1
    await fake_smpp.wait_until(lambda: gateway.bound and fake_smpp.binds == 2)
    for text in failed:
        await gateway.send(sms(text))
    assert sorted(m.text for m in fake_smpp.messages) == texts


async def test_smpp_enquire_link_both_ways(fake_smpp: FakeSmppServer) -> None:
    gateway = quick_gateway(fake_smpp.url, enquire_link_interval=0.05)
    try:
        await gateway.start(Heard().on_receipt, Heard().on_inbound)
        await fake_smpp.wait_until(lambda: fake_smpp.enquire_links >= 2)
        assert await fake_smpp.enquire_link() == 0
        assert gateway.bound and fake_smpp.binds == 1
    finally:
        await gateway.close()


async def test_smpp_close_unbinds(fake_smpp: FakeSmppServer) -> None:
    gateway = quick_gateway(fake_smpp.url)
    await gateway.start(Heard().on_receipt, Heard().on_inbound)
    await gateway.close()
    assert fake_smpp.unbinds == 1 and not gateway.bound
    await fake_smpp.wait_until(lambda: fake_smpp.bound_sessions() == 0)


async def test_smpp_a_long_reply_comes_joined(
    fake_smpp: FakeSmppServer, bound: tuple[SmppGateway, Heard]
) -> None:
    _, heard = bound
    assert await fake_smpp.deliver_inbound(from_="+4791234567", to="2222", text=NORWEGIAN) == 0
    wide = "Kan jeg ta med ledsager? " + EMOJI + " " + "ø" * 120
    assert await fake_smpp.deliver_inbound(from_="+4791234567", to="2222", text=wide) == 0
    await heard.wait(inbound=2)
    assert [i.text for i in heard.inbound] == [NORWEGIAN, wide]
