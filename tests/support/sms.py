"""SMS fixtures: the fake SMSC on loopback, a gateway bound to it with short
waits, and what the gateway handed on (receipts, replies)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from bot.out.sms import Inbound, Receipt, SmppAccount, SmppGateway
from tests.support.fake_smpp import FakeSmppServer


@pytest.fixture
async def fake_smpp() -> AsyncIterator[FakeSmppServer]:
    server = await FakeSmppServer().start()
    try:
        yield server
    finally:
        await server.stop()


@dataclass
class Heard:
    """The receipts and replies a gateway handed on. `fail` makes the next
    hand-ons raise (a store that is down)."""

    receipts: list[Receipt] = field(default_factory=list)
    inbound: list[Inbound] = field(default_factory=list)
    fail: bool = False

    async def on_receipt(self, receipt: Receipt) -> None:
        if self.fail:
            raise RuntimeError("store down")
        self.receipts.append(receipt)

    async def on_inbound(self, inbound: Inbound) -> None:
        if self.fail:
            raise RuntimeError("store down")
        self.inbound.append(inbound)

    async def wait(self, receipts: int = 0, inbound: int = 0, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            while len(self.receipts) < receipts or len(self.inbound) < inbound:
                await asyncio.sleep(0.01)


def quick_gateway(
    url: str, *, enquire_link_interval: float = 30.0, bind_wait: float = 0.5
) -> SmppGateway:
    """A gateway whose waits suit a test: it binds again after 50 ms, and a
    send waits half a second for a bind (production: 1 s backoff, 5 s)."""
    return SmppGateway(
        SmppAccount.from_url(url),
        enquire_link_interval=enquire_link_interval,
        bind_wait=bind_wait,
        backoff=(0.05, 0.2),
    )
