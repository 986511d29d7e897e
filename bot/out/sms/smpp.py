"""SMS over SMPP 3.4: one transceiver bind to the operator's SMSC, kept open.

Why our own client, and not a library. The PDUs we need are few (bind,
submit_sm, deliver_sm, enquire_link, unbind and their answers) and their
codec is the short part below; the connection's behaviour is what matters,
and none of the libraries we read gives it to an asyncio caller that awaits
each send's answer:

- smpp34 (1.5.0, Rust core with asyncio bindings, well kept) has the right
  shape (an awaited submit_sm, a window, deliver_sm answered by itself), but
  a bind refused for a wrong password reaches Python only as "bind timed
  out" once the connect timeout has passed (measured: 3.0 s with
  connect_timeout_ms=3000); enquire_link is fixed at 30 s; every local
  failure is ESME_RSYSERR; and it runs a tokio thread pool in the process.
- aiosmpplib (0.7.4, pure asyncio, kept) sends from a queue of its own and
  reports through hooks and a correlator: a send's own answer, a long text's
  first part id and a dropped connection's unanswered sends all have to be
  dug back out, and it retries throttled sends itself.
- smpplib (2.2.4) is synchronous, on a blocking socket; its GSM table maps
  '`' where the alphabet has '§', and it splits texts inside a two-septet
  character. naz (0.8.1) has not been released since 2020.

What this client does: bind_transceiver with system_id and password from the
URL; submit_sm with registered_delivery=1, data_coding 0 (GSM-7, one septet
an octet) or 8 (UCS-2), a long text split with a concatenation header
(esm_class 0x40) and its first part's id returned; several submits
outstanding at once, matched by sequence number; enquire_link every 30 s
(and the SMSC's own answered); deliver_sm answered after its receipt or
reply has been handed on (a temporary error when that failed, so the SMSC
offers it again). When the connection drops, every unanswered submit fails
as transient and the gateway binds again with exponential backoff (1 s
doubling to 60 s, with jitter; 60 s at once after a refused bind, since a
wrong password does not put itself right and an SMSC may lock an account
that keeps failing); a send while unbound waits a few seconds for the bind,
then fails as transient, with the bind's failure as its reason.

A submit whose answer never came may have been accepted: the caller's retry
sends it again, and the phone may get the SMS twice. The outbox's keys keep
our side from sending a row twice; an SMSC's own duplicate is not ours to
see. Numbers and texts are never logged.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import re
import struct
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bot.out.sms.base import (
    Inbound,
    OnInbound,
    OnReceipt,
    Receipt,
    Sms,
    SmsFailed,
    Submitted,
    check_message,
    is_numeric_sender,
)
from bot.out.sms.encoding import decode, encode

log = logging.getLogger(__name__)

BIND_TRANSCEIVER = 0x00000009
SUBMIT_SM = 0x00000004
DELIVER_SM = 0x00000005
UNBIND = 0x00000006
ENQUIRE_LINK = 0x00000015
GENERIC_NACK = 0x80000000
RESPONSE = 0x80000000

ESME_ROK = 0x00
ESME_RINVCMDID = 0x03
ESME_RX_T_APPN = 0x64  # "try again later": the SMSC offers the deliver_sm again
ESME_RX_P_APPN = 0x65  # "never": a deliver_sm we cannot read

TLV_RECEIPTED_MESSAGE_ID = 0x001E
TLV_MESSAGE_STATE = 0x0427
TLV_MESSAGE_PAYLOAD = 0x0424
TLV_SAR_MSG_REF_NUM = 0x020C
TLV_SAR_TOTAL_SEGMENTS = 0x020E
TLV_SAR_SEGMENT_SEQNUM = 0x020F

ESM_UDHI = 0x40
ESM_TYPE = 0x3C  # the message type bits of a deliver_sm's esm_class
ESM_DELIVERY_RECEIPT = 0x04
ESM_INTERMEDIATE_NOTIFICATION = 0x20

# What a submit's command_status means for the caller.
_THROTTLED = {0x58: "throttled", 0x14: "message queue full"}
_TRANSIENT = {0x08: "system error", 0x04: "not bound"}
_NAMES = {
    0x0A: "invalid source address",
    0x0B: "invalid destination address",
    0x0D: "bind failed",
    0x0E: "invalid password",
    0x0F: "invalid system id",
    0x45: "submit failed",
    0x48: "invalid source ton",
    0x49: "invalid source npi",
    0x50: "invalid destination ton",
    0x51: "invalid destination npi",
    0x62: "invalid validity period",
}
THROTTLE_RETRY_SECONDS = 1.0
MAX_PDU = 70_000  # a short_message or a 64 KiB message_payload, with room

# Receipts: "id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:000 text:…"
_RECEIPT_ID = re.compile(r"\bid:(\S+)", re.IGNORECASE)
_RECEIPT_STAT = re.compile(r"\bstat:(\S+)", re.IGNORECASE)
_RECEIPT_ERR = re.compile(r"\berr:(\S+)", re.IGNORECASE)
_MESSAGE_STATES = {1: "ENROUTE", 2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV",
                   6: "ACCEPTD", 7: "UNKNOWN", 8: "REJECTD"}  # fmt: skip
_FAILED_STATES = {"UNDELIV", "EXPIRED", "REJECTD", "DELETED"}

_LOST = -1  # the status a pending request gets when its connection ends


def describe_status(status: int) -> str:
    name = _THROTTLED.get(status) or _TRANSIENT.get(status) or _NAMES.get(status)
    return f"smpp 0x{status:02x} {name}" if name else f"smpp 0x{status:02x}"


# -- the codec ------------------------------------------------------------------


def pdu(command_id: int, status: int, sequence: int, body: bytes = b"") -> bytes:
    return struct.pack(">IIII", 16 + len(body), command_id, status, sequence) + body


def c_octets(value: str, size: int) -> bytes:
    """An SMPP C-Octet String of at most `size` octets with its NUL."""
    data = value.encode("ascii")
    if len(data) >= size or b"\0" in data:
        raise ValueError(f"longer than {size - 1} characters")
    return data + b"\0"


def tlv(tag: int, value: bytes) -> bytes:
    return struct.pack(">HH", tag, len(value)) + value


def bind_transceiver_body(system_id: str, password: str) -> bytes:
    return (
        c_octets(system_id, 16)
        + c_octets(password, 9)
        + c_octets("", 13)  # system_type
        + bytes([0x34, 0, 0])  # interface_version 3.4, addr_ton, addr_npi
        + c_octets("", 41)  # address_range
    )


def submit_sm_body(
    *,
    source: tuple[int, int, str],
    destination: str,
    esm_class: int,
    data_coding: int,
    short_message: bytes,
) -> bytes:
    source_ton, source_npi, source_addr = source
    return (
        c_octets("", 6)  # service_type
        + bytes([source_ton, source_npi])
        + c_octets(source_addr, 21)
        + bytes([1, 1])  # dest_addr_ton international, dest_addr_npi ISDN
        + c_octets(destination, 21)
        + bytes([esm_class, 0, 0])  # protocol_id, priority_flag
        + c_octets("", 17)  # schedule_delivery_time: now
        + c_octets("", 17)  # validity_period: the SMSC's default
        + bytes([1, 0, data_coding, 0])  # registered_delivery: a receipt either way
        + bytes([len(short_message)])
        + short_message
    )


@dataclass(frozen=True)
class ShortMessage:
    """A submit_sm's or deliver_sm's body (the two share their layout)."""

    source_ton: int
    source_addr: str
    dest_addr: str
    esm_class: int
    data_coding: int
    short_message: bytes
    tlvs: dict[int, bytes]


def parse_short_message(body: bytes) -> ShortMessage:
    at = 0

    def c_string() -> str:
        nonlocal at
        end = body.index(b"\0", at)
        value = body[at:end].decode("latin-1")
        at = end + 1
        return value

    def octet() -> int:
        nonlocal at
        at += 1
        return body[at - 1]

    c_string()  # service_type
    source_ton, _npi, source_addr = octet(), octet(), c_string()
    _ton, _npi, dest_addr = octet(), octet(), c_string()
    esm_class = octet()
    octet(), octet()  # protocol_id, priority_flag
    c_string(), c_string()  # schedule_delivery_time, validity_period
    octet(), octet()  # registered_delivery, replace_if_present_flag
    data_coding = octet()
    octet()  # sm_default_msg_id
    length = octet()
    short_message = body[at : at + length]
    if len(short_message) != length:
        raise ValueError("short_message cut short")
    at += length
    tlvs: dict[int, bytes] = {}
    while at + 4 <= len(body):
        tag, size = struct.unpack_from(">HH", body, at)
        tlvs[tag] = body[at + 4 : at + 4 + size]
        at += 4 + size
    return ShortMessage(
        source_ton, source_addr, dest_addr, esm_class, data_coding, short_message, tlvs
    )


def receipt_from_deliver_sm(message: ShortMessage) -> Receipt | None:
    """A delivery receipt's message id and state; the TLVs where the SMSC sent
    them, the text's `id:` and `stat:` otherwise."""
    text = message.short_message.decode("latin-1")
    message_id = message.tlvs.get(TLV_RECEIPTED_MESSAGE_ID, b"").rstrip(b"\0").decode("latin-1")
    if not message_id:
        found = _RECEIPT_ID.search(text)
        message_id = found.group(1) if found else ""
    if not message_id:
        return None
    stat_found = _RECEIPT_STAT.search(text)
    stat = stat_found.group(1).upper() if stat_found else ""
    state_tlv = message.tlvs.get(TLV_MESSAGE_STATE)
    if state_tlv:
        stat = _MESSAGE_STATES.get(state_tlv[0], stat or "UNKNOWN")
    err_found = _RECEIPT_ERR.search(text)
    err = err_found.group(1) if err_found else ""
    if stat == "DELIVRD":
        return Receipt(message_id, "delivered", None)
    reason = stat or "UNKNOWN"
    if err and err.strip("0"):
        reason = f"{reason} err:{err}"
    if stat in _FAILED_STATES:
        return Receipt(message_id, "failed", reason)
    return Receipt(message_id, "unknown", reason)


def _user_data_header(octets: bytes) -> tuple[tuple[int, int, int] | None, bytes]:
    """A concatenation header's (reference, total, number), and the text after it."""
    if not octets:
        return None, octets
    header, rest = octets[1 : 1 + octets[0]], octets[1 + octets[0] :]
    at = 0
    while at + 2 <= len(header):
        iei, size = header[at], header[at + 1]
        value = header[at + 2 : at + 2 + size]
        if iei == 0x00 and size == 3:
            return (value[0], value[1], value[2]), rest
        if iei == 0x08 and size == 4:
            return (int.from_bytes(value[:2], "big"), value[2], value[3]), rest
        at += 2 + size
    return None, rest


def _e164(address: str, ton: int) -> str:
    """A phone's address as E.164 where it is an international (or unknown-
    type) number; national numbers and names as the SMSC gave them."""
    digits = address.lstrip("+")
    if digits.isdigit() and ton in (0, 1):
        return f"+{digits}"
    return address


def _source(sender: str) -> tuple[int, int, str]:
    """(ton, npi, address) for our sender id (checked by `check_message`)."""
    if is_numeric_sender(sender):
        if sender.startswith("+"):
            return 1, 1, sender[1:]  # international, ISDN
        return 0, 1, sender  # a short code or national number: the SMSC knows it
    return 5, 0, sender  # alphanumeric


# -- the connection ---------------------------------------------------------------


@dataclass(frozen=True)
class SmppAccount:
    host: str
    port: int
    system_id: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> SmppAccount:
        parts = urlsplit(url)
        if parts.scheme != "smpp" or not parts.hostname or not parts.username:
            raise ValueError(
                "MEDVIRK_SMS_URL for SMPP must look like smpp://system_id:password@host:2775"
            )
        account = cls(
            host=parts.hostname,
            port=parts.port or 2775,
            system_id=unquote(parts.username),
            password=unquote(parts.password or ""),
        )
        try:
            c_octets(account.system_id, 16)
        except ValueError:
            raise ValueError(
                "MEDVIRK_SMS_URL: the SMPP system_id is at most 15 characters"
            ) from None
        try:
            c_octets(account.password, 9)
        except ValueError:
            raise ValueError("MEDVIRK_SMS_URL: the SMPP password is at most 8 characters") from None
        return account


class _Refused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"bind refused: {describe_status(status)}")
        self.status = status


class SmppGateway:
    """SMS to an SMSC over one SMPP 3.4 transceiver bind (see the module's doc)."""

    delivers = True

    def __init__(
        self,
        account: SmppAccount,
        *,
        enquire_link_interval: float = 30.0,
        response_timeout: float = 10.0,
        connect_timeout: float = 10.0,
        bind_wait: float = 5.0,
        window: int = 10,
        backoff: tuple[float, float] = (1.0, 60.0),
    ) -> None:
        """`bind_wait`: how long a send waits for a bind before it fails;
        `window`: submits outstanding at once; `backoff`: the first and the
        longest wait between tries to bind."""
        self._account = account
        self._enquire_link_interval = enquire_link_interval
        self._response_timeout = response_timeout
        self._connect_timeout = connect_timeout
        self._bind_wait = bind_wait
        self._window = asyncio.Semaphore(window)
        self._backoff = backoff
        self._on_receipt: OnReceipt | None = None
        self._on_inbound: OnInbound | None = None
        self._runner: asyncio.Task[None] | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._writer: asyncio.StreamWriter | None = None
        self._pending: dict[int, asyncio.Future[tuple[int, bytes]]] = {}
        self._last_sequence = 0
        self._last_reference = 0
        self._bound = asyncio.Event()
        self._first_try = asyncio.Event()
        self._closing = False
        self._last_error: str | None = None
        # Parts of long replies, until the last one comes (a bounded few).
        self._partial: OrderedDict[tuple[str, int, int], dict[int, str]] = OrderedDict()

    def describe(self) -> str:
        a = self._account
        return f"SMPP {a.host}:{a.port} as {a.system_id}"

    @property
    def bound(self) -> bool:
        return self._bound.is_set()

    async def start(self, on_receipt: OnReceipt, on_inbound: OnInbound) -> None:
        if self._runner is not None:
            return
        self._on_receipt, self._on_inbound = on_receipt, on_inbound
        self._closing = False
        self._first_try.clear()
        self._runner = asyncio.create_task(self._run(), name="smpp-gateway")
        await self._first_try.wait()

    async def close(self) -> None:
        self._closing = True
        if self._bound.is_set():
            try:
                await self._request(UNBIND, b"", timeout=min(self._response_timeout, 2.0))
            except (TimeoutError, ConnectionError):
                pass
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    async def send(self, sms: Sms) -> Submitted:
        check_message(sms)
        source = _source(sms.sender)
        destination = sms.to[1:]
        encoded = encode(sms.text)
        parts = encoded.parts
        if len(parts) > 255:
            raise SmsFailed("sms too long", permanent=True)
        await self._wait_bound()
        self._last_reference = self._last_reference % 255 + 1
        reference = self._last_reference
        first_id = ""
        for number, octets in enumerate(parts, start=1):
            if len(parts) > 1:
                octets = bytes([5, 0x00, 3, reference, len(parts), number]) + octets
            body = submit_sm_body(
                source=source,
                destination=destination,
                esm_class=ESM_UDHI if len(parts) > 1 else 0,
                data_coding=encoded.data_coding,
                short_message=octets,
            )
            message_id = await self._submit(body, later_part=number > 1)
            first_id = first_id or message_id
        return Submitted(message_id=first_id, segments=len(parts))

    async def _submit(self, body: bytes, *, later_part: bool) -> str:
        # A throttled later part waits and goes again: the caller's retry would
        # send the parts before it twice.
        for attempt in itertools.count():
            try:
                async with self._window:
                    if not self._bound.is_set():  # lost while waiting, or not bound again yet
                        raise ConnectionError("not bound")
                    status, answer = await self._request(SUBMIT_SM, body, self._response_timeout)
            except TimeoutError:
                raise SmsFailed("smpp no answer to submit_sm", permanent=False) from None
            except ConnectionError:
                raise SmsFailed("smpp connection lost", permanent=False) from None
            if status == ESME_ROK:
                return answer.split(b"\0", 1)[0].decode("latin-1")
            if status in _THROTTLED:
                if later_part and attempt < 3:
                    await asyncio.sleep(THROTTLE_RETRY_SECONDS)
                    continue
                raise SmsFailed(
                    describe_status(status), permanent=False, retry_after=THROTTLE_RETRY_SECONDS
                )
            raise SmsFailed(describe_status(status), permanent=status not in _TRANSIENT)
        raise AssertionError("unreachable")

    async def _wait_bound(self) -> None:
        if self._runner is None:
            raise SmsFailed("smpp gateway not started", permanent=False)
        if self._bound.is_set():
            return
        try:
            async with asyncio.timeout(self._bind_wait):
                await self._bound.wait()
        except TimeoutError:
            raise SmsFailed(self._last_error or "smpp not bound", permanent=False) from None

    async def _request(self, command_id: int, body: bytes, timeout: float) -> tuple[int, bytes]:
        """Send a request on the current connection; its answer's (status, body).
        Raises ConnectionError when there is no connection or it ends first."""
        writer = self._writer
        if writer is None or writer.is_closing():
            raise ConnectionError("not connected")
        self._last_sequence = self._last_sequence % 0x7FFFFFFF + 1
        sequence = self._last_sequence
        answer: asyncio.Future[tuple[int, bytes]] = asyncio.get_running_loop().create_future()
        self._pending[sequence] = answer
        try:
            writer.write(pdu(command_id, 0, sequence, body))
            async with asyncio.timeout(timeout):
                await writer.drain()
                status, data = await answer
        finally:
            self._pending.pop(sequence, None)
        if status == _LOST:
            raise ConnectionError("connection lost")
        return status, data

    # -- the connection's life --------------------------------------------------

    async def _run(self) -> None:
        low, high = self._backoff
        delay = low
        try:
            while not self._closing:
                where = f"{self._account.host}:{self._account.port}"
                try:
                    await self._session()
                    delay = low
                    if self._closing:
                        return
                    log.warning("SMPP: the connection to %s ended; binding again", where)
                except _Refused as refused:
                    self._last_error = f"smpp bind refused ({describe_status(refused.status)})"
                    log.error(
                        "SMPP: %s refused the bind: %s", where, describe_status(refused.status)
                    )
                    # A password does not put itself right, and an SMSC may lock
                    # an account that keeps failing: the longest wait at once.
                    delay = high
                except (OSError, TimeoutError) as error:
                    self._last_error = f"smpp cannot bind: {type(error).__name__}"
                    log.warning("SMPP: cannot bind to %s (%s)", where, type(error).__name__)
                except Exception:  # a mistake of ours: log it, and bind again
                    self._last_error = "smpp gateway error"
                    log.exception("SMPP: the connection to %s failed", where)
                self._first_try.set()
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, high)
        finally:
            self._first_try.set()

    async def _session(self) -> None:
        """Connect, bind and serve the connection until it ends."""
        a = self._account
        async with asyncio.timeout(self._connect_timeout):
            reader, writer = await asyncio.open_connection(a.host, a.port)
        self._writer = writer
        reading = asyncio.create_task(self._read(reader, writer), name="smpp-read")
        keepalive: asyncio.Task[None] | None = None
        try:
            status, _ = await self._request(
                BIND_TRANSCEIVER,
                bind_transceiver_body(a.system_id, a.password),
                self._response_timeout,
            )
            if status != ESME_ROK:
                raise _Refused(status)
            self._last_error = None
            self._bound.set()
            self._first_try.set()
            log.info("SMPP: bound to %s:%s as %s", a.host, a.port, a.system_id)
            keepalive = asyncio.create_task(self._keepalive(writer), name="smpp-enquire-link")
            await reading
        finally:
            self._bound.clear()
            for task in (keepalive, reading):
                if task is not None:
                    task.cancel()
            await asyncio.gather(*(t for t in (keepalive, reading) if t), return_exceptions=True)
            writer.transport.abort()

    async def _keepalive(self, writer: asyncio.StreamWriter) -> None:
        while True:
            await asyncio.sleep(self._enquire_link_interval)
            try:
                await self._request(ENQUIRE_LINK, b"", self._response_timeout)
            except (TimeoutError, ConnectionError):
                log.warning("SMPP: no answer to enquire_link; closing the connection")
                writer.transport.abort()
                return

    async def _read(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                header = await reader.readexactly(16)
                length, command_id, status, sequence = struct.unpack(">IIII", header)
                if not 16 <= length <= MAX_PDU:
                    log.error("SMPP: a PDU of %d octets; closing the connection", length)
                    return
                body = await reader.readexactly(length - 16)
                if command_id & RESPONSE:
                    answer = self._pending.get(sequence)
                    if answer is not None and not answer.done():
                        answer.set_result((status, body))
                elif command_id == DELIVER_SM:
                    task = asyncio.create_task(self._deliver(writer, sequence, body))
                    self._handlers.add(task)
                    task.add_done_callback(self._handlers.discard)
                elif command_id == ENQUIRE_LINK:
                    writer.write(pdu(ENQUIRE_LINK | RESPONSE, ESME_ROK, sequence))
                elif command_id == UNBIND:
                    writer.write(pdu(UNBIND | RESPONSE, ESME_ROK, sequence))
                    await writer.drain()
                    return
                else:
                    writer.write(pdu(GENERIC_NACK, ESME_RINVCMDID, sequence))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            return
        finally:
            # Whatever is still waiting for an answer on this connection fails now.
            if self._writer is writer:
                self._writer = None
            self._bound.clear()
            for answer in self._pending.values():
                if not answer.done():
                    answer.set_result((_LOST, b""))

    async def _deliver(self, writer: asyncio.StreamWriter, sequence: int, body: bytes) -> None:
        """Hand a receipt or a reply on, then answer the SMSC: OK once it has
        been handed on, "try again later" where that failed."""
        status = ESME_ROK
        try:
            message = parse_short_message(body)
        except (ValueError, IndexError, struct.error):
            log.error("SMPP: a deliver_sm that cannot be read; refused")
            status = ESME_RX_P_APPN
        else:
            try:
                await self._hand_on(message)
            except Exception as error:  # the caller's store: the SMSC offers it again
                log.error("SMPP: handing on a deliver_sm failed (%s)", type(error).__name__)
                status = ESME_RX_T_APPN
        if not writer.is_closing():
            writer.write(pdu(DELIVER_SM | RESPONSE, status, sequence, b"\0"))

    async def _hand_on(self, message: ShortMessage) -> None:
        kind = message.esm_class & ESM_TYPE
        if kind in (ESM_DELIVERY_RECEIPT, ESM_INTERMEDIATE_NOTIFICATION):
            receipt = receipt_from_deliver_sm(message)
            if receipt is not None and self._on_receipt is not None:
                await self._on_receipt(receipt)
            return
        if kind != 0:
            return  # an SME acknowledgement: nothing for us
        octets = message.short_message or message.tlvs.get(TLV_MESSAGE_PAYLOAD, b"")
        concatenation: tuple[int, int, int] | None = None
        if message.esm_class & ESM_UDHI:
            concatenation, octets = _user_data_header(octets)
        elif TLV_SAR_MSG_REF_NUM in message.tlvs:
            concatenation = (
                int.from_bytes(message.tlvs[TLV_SAR_MSG_REF_NUM], "big"),
                message.tlvs[TLV_SAR_TOTAL_SEGMENTS][0],
                message.tlvs[TLV_SAR_SEGMENT_SEQNUM][0],
            )
        text = decode(message.data_coding, octets)
        if concatenation is not None and concatenation[1] > 1:
            reference, total, number = concatenation
            key = (message.source_addr, reference, total)
            parts = self._partial.setdefault(key, {})
            parts[number] = text
            if len(parts) < total:
                while len(self._partial) > 64:
                    self._partial.popitem(last=False)
                return
            del self._partial[key]
            text = "".join(parts[n] for n in sorted(parts))
        if self._on_inbound is not None:
            await self._on_inbound(
                Inbound(
                    sender=_e164(message.source_addr, message.source_ton),
                    to=message.dest_addr,
                    text=text,
                )
            )
