"""`medvirk serve` refuses to start on configuration it cannot run safely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
