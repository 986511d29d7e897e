"""`medvirk serve` refuses to start on configuration it cannot run safely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.processes


def serve(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env={**os.environ, "PORT": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"MicrosoftAppId": "2c5d3d0e-6f0a-4c1e-9a0e-5d4b3a2c1b0a", "MicrosoftAppPassword": ""},
            "MicrosoftAppPassword",
        ),
        (
            {
                "MicrosoftAppId": "x",
                "MicrosoftAppPassword": "y",
                "MicrosoftAppType": "SingleTenant",
                "MicrosoftAppTenantId": "",
            },
            "MicrosoftAppTenantId",
        ),
        ({"DATABASE_URL": "not a url at all"}, "DATABASE_URL"),
        (
            {"DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"},
            "database does not answer",
        ),
        ({"DATABASE_URL": "sqlite:////nonexistent-dir/medvirk.db"}, "database does not answer"),
        ({"MEDVIRK_TIMEZONE": "Mars/Olympus"}, "time zone"),
        ({"MEDVIRK_RETENTION": "forever"}, "MEDVIRK_RETENTION"),
        ({"MEDVIRK_FEE_RATES": "/nonexistent/rates.toml"}, "cannot be read"),
        ({"MEDVIRK_FEE_RATES": str(ROOT / "pyproject.toml")}, "unknown key"),
        # Anonymous mode never fails open: loopback only, and never by accident.
        ({"HOST": "0.0.0.0"}, "loopback only"),
        ({"HOST": "192.0.2.10"}, "loopback only"),
        ({"MicrosoftAppPassword": "secret"}, "MicrosoftAppId is empty"),
        # Outside anonymous mode, the tenant must be named.
        (
            {"MicrosoftAppId": "x", "MicrosoftAppPassword": "y", "MicrosoftAppTenantId": ""},
            "MEDVIRK_ALLOWED_TENANTS",
        ),
    ],
)
def test_refuses_with_a_clear_message(tmp_path, env, message) -> None:
    done = serve(**{"DATABASE_URL": f"sqlite:///{tmp_path}/m.db", **env})
    assert done.returncode != 0
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


# An authenticated deployment with everything production needs.
PRODUCTION = {
    "MicrosoftAppId": "2c5d3d0e-6f0a-4c1e-9a0e-5d4b3a2c1b0a",
    "MicrosoftAppPassword": "secret",
    "MicrosoftAppType": "SingleTenant",
    "MicrosoftAppTenantId": "7f1c9a2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b",
    "MEDVIRK_SMTP_URL": "smtp://relay.example.no:587",
    "MEDVIRK_PUBLIC_URL": "https://medvirk.example.no",
    "MEDVIRK_SECRET_KEY": "k" * 32,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Mail would only be written to a folder.
        ({"MEDVIRK_SMTP_URL": ""}, "MEDVIRK_SMTP_URL"),
        # Links people open must be https:// and must be there.
        ({"MEDVIRK_PUBLIC_URL": ""}, "MEDVIRK_PUBLIC_URL"),
        ({"MEDVIRK_PUBLIC_URL": "http://medvirk.example.no"}, "MEDVIRK_PUBLIC_URL"),
        ({"MEDVIRK_PUBLIC_URL": "https://"}, "MEDVIRK_PUBLIC_URL"),
        # The key that signs every link: 32 bytes at least.
        ({"MEDVIRK_SECRET_KEY": ""}, "MEDVIRK_SECRET_KEY"),
        ({"MEDVIRK_SECRET_KEY": "k" * 31}, "MEDVIRK_SECRET_KEY"),
        ({"MEDVIRK_METRICS_PORT": "1"}, "MEDVIRK_METRICS_PORT"),
        ({"MEDVIRK_MAIL_FROM": "bm@example.org\r\nBcc: x@evil.example"}, "MEDVIRK_MAIL_FROM"),
    ],
)
def test_production_fails_closed_with_one_line(tmp_path, change, message) -> None:
    done = serve(**{"DATABASE_URL": f"sqlite:///{tmp_path}/m.db", **PRODUCTION, **change})
    assert done.returncode != 0
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("medvirk: ") and message in line, done.stderr
    assert "secret" not in line.replace("MEDVIRK_SECRET_KEY", "").replace("secret key", "")


def test_a_production_configuration_passes_the_checks() -> None:
    from bot.settings import Settings

    assert Settings(**PRODUCTION).production_problem() is None  # type: ignore[arg-type]
    # Anonymous local mode keeps its laptop defaults.
    assert Settings(MicrosoftAppId="").production_problem() is None  # type: ignore[call-arg]
