"""Reminders in personal chat: subscribe, RSVP, "I have answered", admin forms,
the planning tick, the reminder renderers and the calendar files."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.dialogs import DialogContext
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handler import MedvirkBot, person_key
from bot.turns import (
    card_activity,
    card_result,
    error_result,
    is_admin,
    locale_of,
    positive_id,
)
from dialogs.cards.reminders import (
    gathering_card,
    gathering_form,
    groups_card,
    local_time,
    survey_card,
    survey_form,
)
from dialogs.commands import Match
from dialogs.i18n import t
from storage import reminders as store
from storage.conversations import PERSONAL
from storage.models import Contact, Gathering, Reminder, Survey

log = logging.getLogger(__name__)


def register(bot: MedvirkBot) -> None:
    services = bot.services
    settings = services.settings
    db = services.db
    clock = services.clock
    sender = services.extras["sender"]
    zone = settings.zone

    def calendar_url(token: str) -> str:
        base = settings.public_url or f"http://{settings.bind_host}:{settings.port}"
        return f"{base.rstrip('/')}/calendar/{token}.ics"

    def show_gathering(
        locale: str, g: Gathering, *, register_reminder: bool = False, notice: str | None = None
    ) -> dict[str, Any]:
        return gathering_card(
            locale,
            gathering_id=g.id,
            title=g.title,
            starts_at=g.starts_at,
            ends_at=g.ends_at,
            place=g.place,
            register_url=g.register_url,
            register_by=g.register_by,
            calendar_url=calendar_url(g.calendar_token),
            zone=zone,
            register_reminder=register_reminder,
            notice=notice,
        )

    # -- subscriptions --------------------------------------------------------------------------

    async def subscribe_all(ctx: TurnContext) -> Contact:
        user = ctx.activity.from_property
        async with db.transaction() as session:
            return await store.upsert_contact(
                session,
                key=person_key(ctx.activity),
                aad_object_id=getattr(user, "aad_object_id", None),
                name=getattr(user, "name", None),
                locale=locale_of(ctx),
                now=clock.now(),
                groups=list(store.GROUPS),
            )

    async def subscribe(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        contact = await subscribe_all(ctx)
        await ctx.send_activity(t(locale, "subscribe.done"))
        await ctx.send_activity(card_activity(groups_card(locale, contact.groups)))

    async def unsubscribe(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        async with db.transaction() as session:
            contact = await store.find_contact(session, person_key(ctx.activity))
            if contact is not None:
                contact.groups = []
                contact.updated_at = clock.now()
        await ctx.send_activity(t(locale_of(ctx), "unsubscribe.done"))

    async def set_groups(ctx: TurnContext, dc: DialogContext, value: dict[str, Any]) -> None:
        locale = locale_of(ctx)
        raw = value.get("groups")
        chosen = sorted(
            {g for g in (raw.split(",") if isinstance(raw, str) else []) if g in store.GROUPS}
        )
        if not chosen:
            await ctx.send_activity(t(locale, "subscribe.none_chosen"))
            return
        user = ctx.activity.from_property
        async with db.transaction() as session:
            await store.upsert_contact(
                session,
                key=person_key(ctx.activity),
                aad_object_id=getattr(user, "aad_object_id", None),
                name=getattr(user, "name", None),
                locale=locale,
                now=clock.now(),
                groups=chosen,
            )
        names = ", ".join(t(locale, f"group.{g}") for g in chosen)
        await ctx.send_activity(t(locale, "subscribe.saved", groups=names))

    async def on_install(ctx: TurnContext) -> None:
        if (
            getattr(ctx.activity.conversation, "conversation_type", None) or "personal"
        ) != "personal":
            return
        contact = await subscribe_all(ctx)
        await ctx.send_activity(card_activity(groups_card(locale_of(ctx), contact.groups)))

    async def on_uninstall(ctx: TurnContext) -> None:
        async with db.transaction() as session:
            await store.forget_contact(session, person_key(ctx.activity))

    bot.personal_commands["subscribe"] = subscribe
    bot.personal_commands["unsubscribe"] = unsubscribe
    bot.submit_actions["set_groups"] = set_groups
    bot.on_install.append(on_install)
    bot.on_uninstall.append(on_uninstall)

    # -- admin forms ------------------------------------------------------------------------------

    async def new_gathering(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        if not await is_admin(ctx, settings):
            await ctx.send_activity(t(locale, "error.not_admin"))
            return
        await ctx.send_activity(card_activity(gathering_form(locale)))

    async def new_survey(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        if not await is_admin(ctx, settings):
            await ctx.send_activity(t(locale, "error.not_admin"))
            return
        await ctx.send_activity(card_activity(survey_form(locale)))

    def text_of(value: dict[str, Any], name: str) -> str | None:
        raw = value.get(name)
        return raw.strip() if isinstance(raw, str) and raw.strip() else None

    async def create_gathering(ctx: TurnContext, dc: DialogContext, value: dict[str, Any]) -> None:
        locale = locale_of(ctx)
        if not await is_admin(ctx, settings):
            await ctx.send_activity(t(locale, "error.not_admin"))
            return
        try:
            day = text_of(value, "starts_date") or ""
            starts = store.parse_time(
                f"{day}T{text_of(value, 'starts_time') or ''}", zone, "starts"
            )
            ends_time = text_of(value, "ends_time")
            ends = store.parse_time(f"{day}T{ends_time}", zone, "ends") if ends_time else None
            register_by = text_of(value, "register_by")
            async with db.transaction() as session:
                gathering = await store.add_gathering(
                    session,
                    title=text_of(value, "title") or "",
                    starts_at=starts,
                    ends_at=ends,
                    place=text_of(value, "place"),
                    register_url=text_of(value, "register_url"),
                    register_by=store.parse_time(register_by, zone, "register_by")
                    if register_by
                    else None,
                    groups=store.parse_groups(text_of(value, "groups"), "groups"),
                    remind=store.parse_offsets(text_of(value, "remind"), "remind"),
                    remind_register=store.parse_offsets("7d,1d", "remind") if register_by else [],
                    zone=zone,
                    now=clock.now(),
                )
                planned = len(
                    list(
                        await session.scalars(
                            select(Reminder.id).where(
                                Reminder.subject_kind == "gathering",
                                Reminder.subject_id == gathering.id,
                            )
                        )
                    )
                )
                title = gathering.title
        except store.ReminderInputError as problem:
            await ctx.send_activity(t(locale, "admin.invalid", problem=str(problem).lstrip("-")))
            return
        await ctx.send_activity(t(locale, "admin.created_gathering", title=title, count=planned))

    async def create_survey(ctx: TurnContext, dc: DialogContext, value: dict[str, Any]) -> None:
        locale = locale_of(ctx)
        if not await is_admin(ctx, settings):
            await ctx.send_activity(t(locale, "error.not_admin"))
            return
        try:
            closes = store.parse_time(text_of(value, "closes") or "", zone, "closes")
            remind = store.parse_offsets(text_of(value, "remind"), "remind")
            async with db.transaction() as session:
                survey = await store.add_survey(
                    session,
                    title=text_of(value, "title") or "",
                    url=text_of(value, "url") or "",
                    closes_at=closes,
                    opens_at=None,
                    groups=store.parse_groups(text_of(value, "groups"), "groups"),
                    remind=remind,
                    zone=zone,
                    now=clock.now(),
                )
                title = survey.title
        except store.ReminderInputError as problem:
            await ctx.send_activity(t(locale, "admin.invalid", problem=str(problem).lstrip("-")))
            return
        await ctx.send_activity(t(locale, "admin.created_survey", title=title, count=len(remind)))

    bot.personal_commands["new_gathering"] = new_gathering
    bot.personal_commands["new_survey"] = new_survey
    bot.submit_actions["create_gathering"] = create_gathering
    bot.submit_actions["create_survey"] = create_survey

    # -- RSVP and "I have answered" ------------------------------------------------------------

    async def rsvp(ctx: TurnContext, data: dict[str, Any]) -> InvokeResponse:
        locale = locale_of(ctx)
        gathering_id = positive_id(data, "gathering_id")
        answer = data.get("answer")
        if gathering_id is None or answer not in ("yes", "no"):
            return error_result("bad_data", t(locale, "error.bad_card_data")).response()
        async with db.transaction() as session:
            gathering = await session.get(Gathering, gathering_id)
            contact = await store.find_contact(session, person_key(ctx.activity))
            if gathering is None:
                return error_result("unknown", t(locale, "reminder.unknown"), 404).response()
            if contact is None:
                return error_result(
                    "not_subscribed", t(locale, "reminder.not_subscribed"), 403
                ).response()
            if gathering.status != "active":
                notice = t(locale, "gathering.is_cancelled")
            else:
                await store.record_rsvp(
                    session, gathering_id, contact, answer == "yes", now=clock.now()
                )
                notice = t(locale, "gathering.rsvp_yes" if answer == "yes" else "gathering.rsvp_no")
            card = show_gathering(locale, gathering, notice=notice)
        return card_result(card).response()

    async def answered(ctx: TurnContext, data: dict[str, Any]) -> InvokeResponse:
        locale = locale_of(ctx)
        survey_id = positive_id(data, "survey_id")
        if survey_id is None:
            return error_result("bad_data", t(locale, "error.bad_card_data")).response()
        async with db.transaction() as session:
            survey = await session.get(Survey, survey_id)
            contact = await store.find_contact(session, person_key(ctx.activity))
            if survey is None:
                return error_result("unknown", t(locale, "reminder.unknown"), 404).response()
            if contact is None:
                return error_result(
                    "not_subscribed", t(locale, "reminder.not_subscribed"), 403
                ).response()
            await store.record_answered(session, survey_id, contact, now=clock.now())
            card = survey_card(
                locale,
                survey_id=survey.id,
                title=survey.title,
                url=survey.url,
                closes_at=survey.closes_at,
                zone=zone,
                notice=t(locale, "survey.thanks"),
            )
        return card_result(card).response()

    bot.invoke_verbs["rsvp"] = rsvp
    bot.invoke_verbs["answered"] = answered

    # -- sending ----------------------------------------------------------------------------------

    @sender.renderer(store.REMINDER_RENDER)
    async def render_reminder(
        session: AsyncSession, args: dict[str, Any], locale: str
    ) -> dict[str, Any] | None:
        reminder = await session.get(Reminder, args["reminder_id"])
        contact = await session.get(Contact, args["contact_id"])
        if reminder is None or contact is None or not contact.active:
            return None
        if reminder.subject_kind == store.GATHERING:
            gathering = await session.get(Gathering, reminder.subject_id)
            if gathering is None or gathering.status != "active":
                return None
            card = show_gathering(
                contact.locale, gathering, register_reminder=reminder.kind == store.BEFORE_REGISTER
            )
        else:
            survey = await session.get(Survey, reminder.subject_id)
            if survey is None or survey.status != "active":
                return None
            if await store.has_answered(session, survey.id, contact.id):
                return None  # answered since the round was planned
            card = survey_card(
                contact.locale,
                survey_id=survey.id,
                title=survey.title,
                url=survey.url,
                closes_at=survey.closes_at,
                zone=zone,
            )
        return card_activity(card).serialize()

    @sender.renderer(store.CANCEL_RENDER)
    async def render_cancel(
        session: AsyncSession, args: dict[str, Any], locale: str
    ) -> dict[str, Any] | None:
        gathering = await session.get(Gathering, args["gathering_id"])
        if gathering is None:
            return None
        return {
            "type": "message",
            "text": t(
                locale,
                "gathering.cancelled",
                title=gathering.title,
                when=local_time(gathering.starts_at, zone),
            ),
        }

    async def contact_gone(item: Any, status: int) -> None:
        if item.target_kind != PERSONAL:
            return
        async with db.transaction() as session:
            await store.mark_inactive(session, item.target_key, f"http {status}", now=clock.now())
        log.info("contact marked inactive after HTTP %s", status)

    sender.permanent_failure_hooks.append(contact_gone)

    async def plan() -> None:
        await store.plan_due(db, now=clock.now())

    services.extras["plan_reminders"] = plan
    # Plan before sending, so a due round goes out in the same tick.
    services.extras["scheduler"].on_tick("reminders", plan, first=True)


def routes(app: web.Application, services: Any) -> None:
    """`GET /calendar/<token>.ics`: the gathering as an iCalendar event."""
    db = services.db

    async def calendar(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not (8 <= len(token) <= 64):
            raise web.HTTPNotFound()
        async with db.sessions() as session:
            gathering = await session.scalar(
                select(Gathering).where(Gathering.calendar_token == token)
            )
        if gathering is None or gathering.status != "active":
            raise web.HTTPNotFound()
        cal = Calendar()
        cal.add("prodid", "-//medvirk//brukermedvirkning//NO")
        cal.add("version", "2.0")
        event = Event()
        event.add("uid", f"gathering-{gathering.id}@medvirk")
        event.add("summary", gathering.title)
        event.add("dtstart", gathering.starts_at)
        event.add("dtend", gathering.ends_at or gathering.starts_at + timedelta(hours=2))
        event.add("dtstamp", gathering.created_at)
        if gathering.place:
            event.add("location", gathering.place)
        if gathering.register_url:
            event.add("url", gathering.register_url)
        cal.add_component(event)
        return web.Response(
            body=cal.to_ical(),
            content_type="text/calendar",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="gathering-{gathering.id}.ics"'},
        )

    app.router.add_get("/calendar/{token}.ics", calendar)
