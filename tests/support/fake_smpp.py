"""A real SMPP 3.4 server (an SMSC) on loopback, for the gateway's tests.

It speaks the protocol on a socket with a codec of its own, written from the
specification and independent of the client's (a mistake shared by both
sides would otherwise pass): binds as transceiver (checking system_id and
password), keeps every submit_sm and joins concatenated parts (UDH or SAR
TLVs) back into the message a phone would show, answers enquire_link and
unbind, and can be told to misbehave the ways a real SMSC does: throttle past
a rate, push delivery receipts and replies (deliver_sm), close every socket
at once, or close one before answering a submit.
"""

from __future__ import annotations

import asyncio
import itertools
import struct
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

# GSM 03.38 default alphabet and its extension table (after 0x1B), as the
# specification lists them; SMPP data_coding 0 carries one septet per octet.
_GSM = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[",
                  0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€"}  # fmt: skip
_GSM_ENCODE = {c: bytes([i]) for i, c in enumerate(_GSM) if i != 0x1B}
_GSM_ENCODE.update({c: bytes([0x1B, i]) for i, c in _GSM_EXTENSION.items()})

BIND_TRANSCEIVER = 0x00000009
SUBMIT_SM = 0x00000004
DELIVER_SM = 0x00000005
UNBIND = 0x00000006
ENQUIRE_LINK = 0x00000015
GENERIC_NACK = 0x80000000
RESP = 0x80000000

ESME_ROK = 0x00
ESME_RINVCMDID = 0x03
ESME_RBINDFAIL = 0x0D
ESME_RINVPASWD = 0x0E
ESME_RTHROTTLED = 0x58

TLV_RECEIPTED_MESSAGE_ID = 0x001E
TLV_MESSAGE_STATE = 0x0427
TLV_SAR_MSG_REF_NUM = 0x020C
TLV_SAR_TOTAL_SEGMENTS = 0x020E
TLV_SAR_SEGMENT_SEQNUM = 0x020F

_MESSAGE_STATE = {"ENROUTE": 1, "DELIVRD": 2, "EXPIRED": 3, "DELETED": 4, "UNDELIV": 5,
                  "ACCEPTD": 6, "UNKNOWN": 7, "REJECTD": 8}  # fmt: skip


def gsm_decode(data: bytes) -> str:
    out: list[str] = []
    escaped = False
    for octet in data:
        if escaped:
            out.append(_GSM_EXTENSION.get(octet, " "))
            escaped = False
        elif octet == 0x1B:
            escaped = True
        else:
            out.append(_GSM[octet & 0x7F])
    return "".join(out)


def gsm_encode(text: str) -> bytes:
    return b"".join(_GSM_ENCODE[c] for c in text)


@dataclass
class SubmitPart:
    """One submit_sm as it arrived."""

    source_addr_ton: int
    source_addr_npi: int
    source_addr: str
    dest_addr_ton: int
    dest_addr_npi: int
    destination_addr: str
    esm_class: int
    registered_delivery: int
    data_coding: int
    short_message: bytes
    tlvs: dict[int, bytes]
    message_id: str = ""


@dataclass
class ReceivedSms:
    """A message as the phone would show it, its parts joined."""

    to: str  # destination_addr as it came (no '+')
    sender: str
    sender_ton: int
    data_coding: int
    esm_class: int  # of the first part
    registered_delivery: int
    text: str
    parts: int
    message_id: str  # the id answered to the first part
    part_ids: list[str] = field(default_factory=list)
    # When its last part arrived (wall clock: a bench's time line).
    at: float = field(default_factory=time.time)


class _Reader:
    def __init__(self, body: bytes) -> None:
        self.body = body
        self.at = 0

    def c_string(self) -> str:
        end = self.body.index(b"\0", self.at)
        value = self.body[self.at : end].decode("ascii")
        self.at = end + 1
        return value

    def u8(self) -> int:
        value = self.body[self.at]
        self.at += 1
        return value

    def octets(self, n: int) -> bytes:
        value = self.body[self.at : self.at + n]
        self.at += n
        return value

    def tlvs(self) -> dict[int, bytes]:
        found: dict[int, bytes] = {}
        while self.at + 4 <= len(self.body):
            tag, length = struct.unpack_from(">HH", self.body, self.at)
            self.at += 4
            found[tag] = self.octets(length)
        return found


def _pdu(command_id: int, status: int, sequence: int, body: bytes = b"") -> bytes:
    return struct.pack(">IIII", 16 + len(body), command_id, status, sequence) + body


def _c(value: str) -> bytes:
    return value.encode("ascii") + b"\0"


def _tlv(tag: int, value: bytes) -> bytes:
    return struct.pack(">HH", tag, len(value)) + value


def _decode_text(data_coding: int, octets: bytes) -> str:
    if data_coding == 8:
        return octets.decode("utf-16-be")
    if data_coding == 0:
        return gsm_decode(octets)
    return octets.decode("latin-1")


class _Session:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.bound = False
        self.system_id = ""
        self.sequence = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[tuple[int, int]]] = {}

    def send(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data)

    async def request(self, command_id: int, body: bytes, timeout: float) -> int:
        """Send a request to the client; its response's command_status."""
        sequence = next(self.sequence)
        future: asyncio.Future[tuple[int, int]] = asyncio.get_running_loop().create_future()
        self.waiting[sequence] = future
        self.send(_pdu(command_id, 0, sequence, body))
        try:
            command, status = await asyncio.wait_for(future, timeout)
        finally:
            self.waiting.pop(sequence, None)
        assert command == command_id | RESP, hex(command)
        return status

    def abort(self) -> None:
        self.writer.transport.abort()  # an RST, no unbind: a gateway falling over


class FakeSmppServer:
    """The SMSC. `start()` listens on a free port of 127.0.0.1; `url` is what
    MEDVIRK_SMS_URL would say."""

    def __init__(
        self,
        *,
        system_id: str = "medvirk",
        password: str = "s3cret",
        max_per_second: int | None = None,
        drop_after: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`clock` counts the seconds of `max_per_second` (a test may hold it still)."""
        self.system_id = system_id
        self.password = password
        # Past this many submit_sm (parts) in one second, answer ESME_RTHROTTLED.
        self.max_per_second = max_per_second
        # On the Nth submit_sm from now on (counting parts), close the socket
        # instead of answering; once. With `accept_dropped` that part counts
        # as accepted (the SMSC sends it, the client never hears so): the case
        # where a retry sends an SMS twice.
        self.drop_after = drop_after
        self.accept_dropped = False
        # While set, submit_sm are read and neither kept nor answered (to have
        # sends outstanding when the connection drops); `held` counts them.
        self.hold = False
        self.held = 0
        self.clock = clock
        self.parts: list[SubmitPart] = []  # every accepted submit_sm
        self.messages: list[ReceivedSms] = []  # joined
        self.deliver_statuses: list[int] = []  # the client's deliver_sm_resp statuses
        self.binds = 0  # successful
        self.bind_refusals = 0
        self.submits = 0  # submit_sm received, whatever the answer
        self.throttled = 0
        self.unanswered = 0  # submits whose connection was closed instead
        self.enquire_links = 0  # received from the client
        self.unbinds = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._sessions: list[_Session] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._ids = itertools.count(1)
        self._accepted_at: deque[float] = deque()
        self._pending: dict[tuple[str, str, int], dict[int, SubmitPart]] = {}

    @property
    def url(self) -> str:
        return f"smpp://{self.system_id}:{self.password}@127.0.0.1:{self.port}"

    async def start(self) -> FakeSmppServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for session in list(self._sessions):
            session.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    # -- what the tests drive -------------------------------------------------

    def bound_sessions(self) -> int:
        return sum(1 for s in self._sessions if s.bound)

    async def wait_bound(self, binds: int = 1, timeout: float = 10.0) -> None:
        """Until `binds` successful binds have happened in all (and one is live)."""

        await self.wait_until(lambda: self.binds >= binds and self.bound_sessions() > 0, timeout)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Until `condition()` holds (checked every 10 ms); a hang guard, not a bound."""
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.01)

    def drop_connections(self) -> None:
        """Close every client socket at once, abruptly (no unbind)."""
        for session in list(self._sessions):
            session.abort()

    async def deliver_receipt(
        self,
        message_id: str,
        stat: str = "DELIVRD",
        err: str = "000",
        *,
        with_tlvs: bool = True,
        timeout: float = 10.0,
    ) -> int:
        """Push a delivery receipt for `message_id`; the client's answer status."""
        text = (
            f"id:{message_id} sub:001 dlvrd:{'001' if stat == 'DELIVRD' else '000'} "
            f"submit date:2405061200 done date:2405061201 stat:{stat} err:{err} text:"
        )
        tlvs = b""
        if with_tlvs:
            tlvs = _tlv(TLV_RECEIPTED_MESSAGE_ID, _c(message_id)) + _tlv(
                TLV_MESSAGE_STATE, bytes([_MESSAGE_STATE.get(stat, 7)])
            )
        return await self._deliver(
            "4790000000", "MEDVIRK", 0x04, 0, text.encode("ascii"), tlvs, timeout
        )

    async def deliver_inbound(
        self, from_: str, to: str, text: str, *, timeout: float = 10.0
    ) -> int:
        """Push a reply from a phone (an MO message); the client's answer
        status (of the last part, where a long reply comes in parts)."""
        try:
            data_coding, units = 0, [gsm_encode(c) for c in text]
            single, size = 160, 153
        except KeyError:
            data_coding, units = 8, [c.encode("utf-16-be") for c in text]
            single, size = 140, 134
        chunks = [b""]
        for unit in units:
            if len(chunks[-1]) + len(unit) > size:
                chunks.append(b"")
            chunks[-1] += unit
        source = from_.lstrip("+")
        if sum(len(u) for u in units) <= single:
            return await self._deliver(source, to, 0x00, data_coding, b"".join(units), b"", timeout)
        reference, status = next(self._ids) % 256, 0
        for number, chunk in enumerate(chunks, start=1):
            header = bytes([5, 0x00, 3, reference, len(chunks), number])
            status = await self._deliver(
                source, to, 0x40, data_coding, header + chunk, b"", timeout
            )
        return status

    async def enquire_link(self, timeout: float = 10.0) -> int:
        """Ask the bound client whether it is there; its answer status."""
        return await self._live().request(ENQUIRE_LINK, b"", timeout)

    # -- the protocol -----------------------------------------------------------

    def _live(self) -> _Session:
        for session in reversed(self._sessions):
            if session.bound and not session.writer.is_closing():
                return session
        raise AssertionError("no client is bound")

    async def _deliver(
        self,
        source: str,
        destination: str,
        esm_class: int,
        data_coding: int,
        octets: bytes,
        tlvs: bytes,
        timeout: float,
    ) -> int:
        body = (
            _c("")
            + bytes([1, 1])
            + _c(source)
            + bytes([5 if not source.isdigit() else 1, 1])
            + _c(destination)
            + bytes([esm_class, 0, 0])
            + _c("")
            + _c("")
            + bytes([0, 0, data_coding, 0, len(octets)])
            + octets
            + tlvs
        )
        status = await self._live().request(DELIVER_SM, body, timeout)
        self.deliver_statuses.append(status)
        return status

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        session = _Session(reader, writer)
        self._sessions.append(session)
        try:
            while True:
                header = await reader.readexactly(16)
                length, command_id, status, sequence = struct.unpack(">IIII", header)
                body = await reader.readexactly(length - 16)
                if command_id & RESP and command_id != GENERIC_NACK:
                    future = session.waiting.get(sequence)
                    if future is not None and not future.done():
                        future.set_result((command_id, status))
                    continue
                if not await self._handle(session, command_id, sequence, body):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            session.bound = False
            self._sessions.remove(session)
            for future in session.waiting.values():
                if not future.done():
                    future.set_exception(ConnectionResetError("client went away"))
            writer.close()  # what was written still goes, then FIN (after abort(): nothing)
            self._tasks.discard(task)

    async def _handle(self, session: _Session, command_id: int, sequence: int, body: bytes) -> bool:
        """Answer one request; False to close the connection."""
        if command_id == BIND_TRANSCEIVER:
            r = _Reader(body)
            system_id, password = r.c_string(), r.c_string()
            if system_id != self.system_id or password != self.password:
                self.bind_refusals += 1
                session.send(
                    _pdu(BIND_TRANSCEIVER | RESP, ESME_RINVPASWD, sequence, _c("FAKESMSC"))
                )
                await session.writer.drain()
                return False
            session.bound = True
            session.system_id = system_id
            session.send(_pdu(BIND_TRANSCEIVER | RESP, ESME_ROK, sequence, _c("FAKESMSC")))
            self.binds += 1
            return True
        if command_id == ENQUIRE_LINK:
            self.enquire_links += 1
            session.send(_pdu(ENQUIRE_LINK | RESP, ESME_ROK, sequence))
            return True
        if command_id == UNBIND:
            self.unbinds += 1
            session.bound = False
            session.send(_pdu(UNBIND | RESP, ESME_ROK, sequence))
            await session.writer.drain()
            return False
        if command_id == SUBMIT_SM:
            if not session.bound:
                session.send(_pdu(SUBMIT_SM | RESP, ESME_RBINDFAIL, sequence, _c("")))
                return True
            return self._submit(session, sequence, body)
        session.send(_pdu(GENERIC_NACK, ESME_RINVCMDID, sequence))
        return True

    def _submit(self, session: _Session, sequence: int, body: bytes) -> bool:
        self.submits += 1
        r = _Reader(body)
        r.c_string()  # service_type
        source_ton, source_npi, source = r.u8(), r.u8(), r.c_string()
        dest_ton, dest_npi, destination = r.u8(), r.u8(), r.c_string()
        esm_class = r.u8()
        r.u8(), r.u8()  # protocol_id, priority_flag
        r.c_string(), r.c_string()  # schedule_delivery_time, validity_period
        registered_delivery = r.u8()
        r.u8()  # replace_if_present_flag
        data_coding = r.u8()
        r.u8()  # sm_default_msg_id
        short_message = r.octets(r.u8())
        part = SubmitPart(
            source_ton, source_npi, source, dest_ton, dest_npi, destination,
            esm_class, registered_delivery, data_coding, short_message, r.tlvs(),
        )  # fmt: skip
        if self.drop_after is not None:
            self.drop_after -= 1
            if self.drop_after <= 0:
                self.drop_after = None
                self.unanswered += 1
                if self.accept_dropped:
                    part.message_id = f"M{next(self._ids):06d}"
                    self._accept(part)
                return False  # closed (FIN) without an answer: earlier answers still arrive
        if self.hold:
            self.held += 1
            return True
        now = self.clock()
        while self._accepted_at and now - self._accepted_at[0] >= 1.0:
            self._accepted_at.popleft()
        if self.max_per_second is not None and len(self._accepted_at) >= self.max_per_second:
            self.throttled += 1
            session.send(_pdu(SUBMIT_SM | RESP, ESME_RTHROTTLED, sequence, _c("")))
            return True
        self._accepted_at.append(now)
        part.message_id = f"M{next(self._ids):06d}"
        self._accept(part)
        session.send(_pdu(SUBMIT_SM | RESP, ESME_ROK, sequence, _c(part.message_id)))
        return True

    def _accept(self, part: SubmitPart) -> None:
        self.parts.append(part)
        octets = part.short_message
        reference, total, number = 0, 1, 1
        if part.esm_class & 0x40:  # a user data header leads the message
            header = octets[1 : 1 + octets[0]]
            octets = octets[1 + octets[0] :]
            at = 0
            while at < len(header):
                iei, length = header[at], header[at + 1]
                value = header[at + 2 : at + 2 + length]
                if iei == 0x00:
                    reference, total, number = value[0], value[1], value[2]
                elif iei == 0x08:
                    reference = int.from_bytes(value[:2], "big")
                    total, number = value[2], value[3]
                at += 2 + length
        elif TLV_SAR_MSG_REF_NUM in part.tlvs:
            reference = int.from_bytes(part.tlvs[TLV_SAR_MSG_REF_NUM], "big")
            total = part.tlvs[TLV_SAR_TOTAL_SEGMENTS][0]
            number = part.tlvs[TLV_SAR_SEGMENT_SEQNUM][0]
        key = (part.source_addr, part.destination_addr, reference)
        pending = self._pending.setdefault(key, {})
        pending[number] = replace(part, short_message=octets)
        if len(pending) < total:
            return
        del self._pending[key]
        ordered = [pending[i] for i in sorted(pending)]
        first = ordered[0]
        self.messages.append(
            ReceivedSms(
                to=first.destination_addr,
                sender=first.source_addr,
                sender_ton=first.source_addr_ton,
                data_coding=first.data_coding,
                esm_class=first.esm_class,
                registered_delivery=first.registered_delivery,
                text="".join(_decode_text(p.data_coding, p.short_message) for p in ordered),
                parts=total,
                message_id=first.message_id,
                part_ids=[p.message_id for p in ordered],
            )
        )
