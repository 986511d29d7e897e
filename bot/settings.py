"""Configuration from the environment (and an optional `.env`)."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from storage.db import Database
    from storage.domain.fees import Rates

# Shortest MEDVIRK_SECRET_KEY an authenticated deployment starts with.
SECRET_KEY_MIN_BYTES = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    database_url: str = Field("sqlite:///./medvirk.db", alias="DATABASE_URL")
    app_id: str = Field("", alias="MicrosoftAppId")
    app_password: str = Field("", alias="MicrosoftAppPassword")
    app_type: str = Field("MultiTenant", alias="MicrosoftAppType")
    app_tenant_id: str = Field("", alias="MicrosoftAppTenantId")
    host: str | None = Field(None, alias="HOST")
    port: int = Field(3978, alias="PORT", ge=1, le=65535)
    timezone: str = Field("Europe/Oslo", alias="MEDVIRK_TIMEZONE")
    admins_raw: str = Field("", alias="MEDVIRK_ADMINS")
    tick_seconds: float = Field(30.0, alias="MEDVIRK_TICK_SECONDS", gt=0)
    # PostgreSQL: the most connections one process opens for turns (a third of
    # them only for bursts), so that processes sharing one server stay under
    # its `max_connections`. SQLite always uses one.
    db_connections: int = Field(30, alias="MEDVIRK_DB_CONNECTIONS", ge=3, le=500)
    digest_cron: str = Field("mon 08:00", alias="MEDVIRK_DIGEST_CRON")
    fee_guideline_url: str = Field(
        "https://example.org/brukermedvirkning/honorar",
        validation_alias=AliasChoices("MEDVIRK_FEE_GUIDELINE_URL", "fee_guideline_url"),
    )
    agreement_url: str = Field(
        "https://example.org/brukermedvirkning/avtale",
        validation_alias=AliasChoices("MEDVIRK_AGREEMENT_URL", "agreement_url"),
    )
    confidentiality_url: str = Field(
        "https://example.org/brukermedvirkning/taushetserklaering",
        validation_alias=AliasChoices("MEDVIRK_CONFIDENTIALITY_URL", "confidentiality_url"),
    )
    resource_page_url: str = Field(
        "https://example.org/brukermedvirkning",
        validation_alias=AliasChoices("MEDVIRK_RESOURCE_PAGE_URL", "resource_page_url"),
    )
    elearning_url: str = Field(
        "https://example.org/brukermedvirkning/e-laering",
        validation_alias=AliasChoices("MEDVIRK_ELEARNING_URL", "elearning_url"),
    )
    public_url: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_PUBLIC_URL", "public_url"),
        description="Base URL people reach the bot on (for calendar links).",
    )
    global_rate: float = Field(
        50.0,
        gt=0,
        validation_alias=AliasChoices("MEDVIRK_GLOBAL_RATE", "global_rate"),
        description="Sends per second for the app in a tenant (Teams allows 50).",
    )
    # Where incoming tokens' signing keys are published, and who issues them.
    # Empty: the Bot Framework's public cloud. Set for sovereign clouds (and tests).
    openid_metadata_url: str = Field(
        "", validation_alias=AliasChoices("MEDVIRK_OPENID_METADATA_URL", "openid_metadata_url")
    )
    token_issuer: str = Field(
        "", validation_alias=AliasChoices("MEDVIRK_TOKEN_ISSUER", "token_issuer")
    )
    retention: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_RETENTION", "retention"),
        description="e.g. 24months: purge closed requests' personal data weekly",
    )
    allowed_tenants_raw: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_ALLOWED_TENANTS", "allowed_tenants_raw"),
        description="Comma-separated tenant ids; empty: MicrosoftAppTenantId.",
    )
    outbox_lease_seconds: float = Field(
        4.0,
        gt=0,
        validation_alias=AliasChoices("MEDVIRK_OUTBOX_LEASE_SECONDS", "outbox_lease_seconds"),
        description="How long a sender holds an outbox row unless it renews the lease "
        "(every eighth of it while it lives): after a crash, the row is due again then.",
    )
    max_turns: int = Field(
        200,
        ge=1,
        validation_alias=AliasChoices("MEDVIRK_MAX_TURNS", "max_turns"),
        description="Turns in progress at once; beyond that: 503 with Retry-After.",
    )
    smtp_url: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_SMTP_URL", "smtp_url"),
        description="smtp://user:password@host:587 (STARTTLS) or smtps://…:465; "
        "empty: mail is written to MEDVIRK_MAIL_DIR",
    )
    mail_from: str = Field(
        "medvirk@localhost",
        validation_alias=AliasChoices("MEDVIRK_MAIL_FROM", "mail_from"),
        description="The sender address of every e-mail.",
    )
    mail_dir: str = Field(
        "mail",
        validation_alias=AliasChoices("MEDVIRK_MAIL_DIR", "mail_dir"),
        description="Where e-mails are written as .eml files when no SMTP server is set.",
    )
    order_rate: int = Field(
        10,
        gt=0,
        le=10_000,
        validation_alias=AliasChoices("MEDVIRK_ORDER_RATE", "order_rate"),
        description="Posts per hour an address or an IP may make on the web order form.",
    )
    sms_url: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_SMS_URL", "sms_url"),
        description="smpp://system_id:password@host:port (SMPP 3.4) or an HTTPS gateway's URL; "
        "empty: SMS are written to MEDVIRK_SMS_DIR",
    )
    sms_sender: str = Field(
        "medvirk",
        validation_alias=AliasChoices("MEDVIRK_SMS_SENDER", "sms_sender"),
        description="The sender SMS show: up to 11 letters and digits (ASCII), or a number.",
    )
    sms_dir: str = Field(
        "sms",
        validation_alias=AliasChoices("MEDVIRK_SMS_DIR", "sms_dir"),
        description="Where SMS are written as .txt files when no gateway is set.",
    )
    sms_inbound_secret: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_SMS_INBOUND_SECRET", "sms_inbound_secret"),
        description="The bearer token of POST /sms/inbound; empty: replies from this machine only.",
    )
    sms_quiet: str = Field(
        "20:00-08:00",
        validation_alias=AliasChoices("MEDVIRK_SMS_QUIET", "sms_quiet"),
        description="Local hours no SMS leaves in (it waits), e.g. 20:00-08:00; off: none.",
    )
    sms_per_day: int = Field(
        3,
        gt=0,
        le=100,
        validation_alias=AliasChoices("MEDVIRK_SMS_PER_DAY", "sms_per_day"),
        description="At most this many SMS to one number a day (more wait for the next).",
    )
    sms_budget: int = Field(
        5000,
        gt=0,
        validation_alias=AliasChoices("MEDVIRK_SMS_BUDGET", "sms_budget"),
        description="Segments a desk may send a month (a desk's own --sms-budget first).",
    )
    sms_rate: float = Field(
        20.0,
        gt=0,
        le=1000,
        validation_alias=AliasChoices("MEDVIRK_SMS_RATE", "sms_rate"),
        description="SMS handed to the gateway a second, at most (its throughput).",
    )
    smtp_rate: float = Field(
        5.0,
        gt=0,
        validation_alias=AliasChoices("MEDVIRK_SMTP_RATE", "smtp_rate"),
        description="E-mails per second (for the whole app).",
    )
    secret_key: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_SECRET_KEY", "secret_key"),
        description="Signs the links in e-mails; empty: a random key kept in the database.",
    )
    teams_catalog_app_id: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_TEAMS_CATALOG_APP_ID", "teams_catalog_app_id"),
        description="The app's id in the organisation's Teams app catalog: with it, the "
        "bot installs itself (Graph) for people it has no chat with.",
    )
    graph_url: str = Field(
        "https://graph.microsoft.com/v1.0",
        validation_alias=AliasChoices("MEDVIRK_GRAPH_URL", "graph_url"),
    )
    login_url: str = Field(
        "https://login.microsoftonline.com",
        validation_alias=AliasChoices("MEDVIRK_LOGIN_URL", "login_url"),
    )
    areas_raw: str = Field(
        "cancer,mental_health,substance_use,children_youth,elderly,chronic_illness,rehabilitation",
        validation_alias=AliasChoices("MEDVIRK_AREAS", "areas"),
        description="Codes of the broad experience areas participants may have.",
    )
    invitation_days: int = Field(
        7,
        ge=1,
        le=90,
        validation_alias=AliasChoices("MEDVIRK_INVITATION_DAYS", "invitation_days"),
        description="Days a participant has to answer an invitation.",
    )
    stale_claim_days: int = Field(
        2,
        ge=1,
        le=30,
        validation_alias=AliasChoices("MEDVIRK_STALE_CLAIM_DAYS", "stale_claim_days"),
        description="Working days a request may wait unclaimed before it is named in the channel.",
    )
    participant_retention: str = Field(
        "36months",
        validation_alias=AliasChoices("MEDVIRK_PARTICIPANT_RETENTION", "participant_retention"),
        description="Participants inactive this long are asked whether to stay.",
    )
    log_format: Literal["text", "json"] = Field(
        "text",
        validation_alias=AliasChoices("MEDVIRK_LOG_FORMAT", "log_format"),
        description="text, or json: one JSON object a line.",
    )
    max_body_bytes: int = Field(
        256 * 1024, validation_alias=AliasChoices("MEDVIRK_MAX_BODY_BYTES", "max_body_bytes")
    )
    # The fee guideline's rates (docs/FEES.md); empty: the shipped example.
    fee_rates_path: str = Field(
        "", validation_alias=AliasChoices("MEDVIRK_FEE_RATES", "fee_rates_path")
    )

    metrics_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("MEDVIRK_METRICS_PORT", "metrics_port"),
        description="Serve /metrics on this port only (not on PORT, which the public reaches).",
    )
    metrics_token: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_METRICS_TOKEN", "metrics_token"),
        description="/metrics answers only `Authorization: Bearer <token>`.",
    )

    payroll_email: str = Field(
        "",
        validation_alias=AliasChoices("MEDVIRK_PAYROLL_EMAIL", "payroll_email"),
        description="Where confirmed fee claims are sent as a PDF; empty: they wait "
        "for `medvirk claims pdf`.",
    )

    @field_validator("sms_sender")
    @classmethod
    def _sms_sender(cls, value: str) -> str:
        from bot.out.sms import valid_sender

        if not valid_sender(value):
            raise ValueError(
                "MEDVIRK_SMS_SENDER: up to 11 ASCII letters and digits, or a phone number"
            )
        return value

    @field_validator("sms_quiet")
    @classmethod
    def _sms_quiet(cls, value: str) -> str:
        from storage.domain.sms import parse_quiet

        parse_quiet(value)
        return value

    @field_validator("payroll_email")
    @classmethod
    def _payroll_address(cls, value: str) -> str:
        if not value:
            return value
        from email_validator import EmailNotValidError, validate_email

        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValueError(f"MEDVIRK_PAYROLL_EMAIL is not an e-mail address ({error})") from None

    @field_validator("mail_from")
    @classmethod
    def _sender_address(cls, value: str) -> str:
        from email.utils import getaddresses

        from bot.out.mail import UnsafeHeader, address_header, header_text

        try:
            header_text(value, "MEDVIRK_MAIL_FROM")
            ((name, address),) = getaddresses([value])
            address_header(name, address, "sender's")
        except (UnsafeHeader, ValueError):
            raise ValueError(
                "MEDVIRK_MAIL_FROM must be an address, e.g. "
                "'Brukermedvirkning <bm@example.org>' or bm@example.org"
            ) from None
        return value

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _empty_port(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("retention", "participant_retention")
    @classmethod
    def _known_age(cls, value: str) -> str:
        if value:
            from storage.privacy import parse_age

            parse_age(value)
        return value

    @field_validator("fee_rates_path")
    @classmethod
    def _usable_rates(cls, value: str) -> str:
        from storage.domain.fees import load_rates

        load_rates(value or None)  # a file that cannot be used stops the start
        return value

    @cached_property
    def fee_rates(self) -> Rates:
        from storage.domain.fees import load_rates

        return load_rates(self.fee_rates_path or None)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def areas(self) -> tuple[str, ...]:
        """The experience areas' codes, in the configured order."""
        seen: dict[str, None] = {}
        for raw in self.areas_raw.split(","):
            code = raw.strip().lower()
            if code:
                seen[code] = None
        return tuple(seen)

    @property
    def outbox_lease(self) -> timedelta:
        return timedelta(seconds=self.outbox_lease_seconds)

    def open_database(self) -> Database:
        """The process's database; on PostgreSQL its pool is sized by
        `MEDVIRK_DB_CONNECTIONS` (SQLite always has one connection)."""
        from storage.db import Database, normalise_url

        if normalise_url(self.database_url).startswith("sqlite"):
            return Database(self.database_url)
        steady = max(1, self.db_connections * 2 // 3)
        return Database(
            self.database_url, pool_size=steady, max_overflow=self.db_connections - steady
        )

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(a.strip().lower() for a in self.admins_raw.split(",") if a.strip())

    @cached_property
    def allowed_tenants(self) -> frozenset[str]:
        """The tenants whose activities are processed (empty: no restriction)."""
        raw = self.allowed_tenants_raw or self.app_tenant_id
        return frozenset(t.strip().lower() for t in raw.split(",") if t.strip())

    @property
    def anonymous(self) -> bool:
        """Local mode (Playground, Emulator): no app id, no token validation."""
        return not self.app_id

    @property
    def graph_configured(self) -> bool:
        """Graph installs need the catalog id, the app's credentials and its tenant."""
        return bool(
            self.teams_catalog_app_id and self.app_id and self.app_password and self.app_tenant_id
        )

    @property
    def public_base(self) -> str:
        """The base of every link people open (MEDVIRK_PUBLIC_URL, else this host)."""
        return (self.public_url or f"http://{self.bind_host}:{self.port}").rstrip("/")

    @property
    def bind_host(self) -> str:
        if self.host:
            return self.host
        return "127.0.0.1" if self.anonymous else "0.0.0.0"

    def production_problem(self) -> str | None:
        """What makes an authenticated deployment unsafe, in one line (None:
        nothing): it must never fall back to a laptop's ways."""
        if self.metrics_port is not None and self.metrics_port == self.port:
            return "MEDVIRK_METRICS_PORT must differ from PORT (the port the public reaches)."
        if self.anonymous:
            return None
        if not self.smtp_url:
            return (
                "MicrosoftAppId is set but MEDVIRK_SMTP_URL is empty: e-mail to participants "
                "and payroll would only be written to a folder. Set MEDVIRK_SMTP_URL."
            )
        if not self.public_url.lower().startswith("https://") or len(self.public_url) <= 8:
            return (
                "MicrosoftAppId is set but MEDVIRK_PUBLIC_URL is not an https:// address: "
                "every link in an e-mail starts with it. Set it to https://<public host>."
            )
        if len(self.secret_key.encode("utf-8")) < SECRET_KEY_MIN_BYTES:
            return (
                f"MicrosoftAppId is set but MEDVIRK_SECRET_KEY is shorter than "
                f"{SECRET_KEY_MIN_BYTES} bytes: it signs every link people open. Set 32 or "
                "more random characters, the same in every process."
            )
        return None

    def is_admin(self, *ids: str | None, also: frozenset[str] = frozenset()) -> bool:
        """Any of `ids` in MEDVIRK_ADMINS, or in `also` (a desk's own admins)."""
        admins = self.admins | also
        return any(i and i.lower() in admins for i in ids)

    def links(self) -> dict[str, str]:
        return {
            "fee_guideline": self.fee_guideline_url,
            "agreement": self.agreement_url,
            "confidentiality": self.confidentiality_url,
            "resource_page": self.resource_page_url,
            "elearning": self.elearning_url,
        }


def is_loopback(host: str | None) -> bool:
    """Is this host name or address this machine only (127.0.0.0/8, ::1, localhost)?"""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
