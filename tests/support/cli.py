"""`medvirk …` as an admin runs it, in the test's own process: the CLI's
`main(argv)` with the environment it would get, its standard output and error
captured, its exit code returned. (Starting a process imports the whole app:
0.85 s a call. One subprocess smoke test, tests/processes/test_cli_process.py,
keeps `python -m bot` itself honest.)"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Done:
    """What a finished `medvirk` command left: like subprocess.CompletedProcess."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def medvirk(database_url: str, *args: str, **settings: str) -> Done:
    """`settings`: more environment (e.g. MEDVIRK_MAIL_DIR)."""
    return cli(*args, DATABASE_URL=database_url, MEDVIRK_TIMEZONE="Europe/Oslo", **settings)


def cli(*args: str, **env: str) -> Done:
    """`medvirk --log-level WARNING <args>` with `env` added to the environment."""
    # The commands run their own event loop (asyncio.run): a thread of their own
    # keeps it apart from the test's loop, which waits meanwhile, as it waited
    # for the process before.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_run, args, env).result(timeout=60)


def _run(args: tuple[str, ...], env: Mapping[str, str]) -> Done:
    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env),
        _logging_restored(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(["--log-level", "WARNING", *args])
        except SystemExit as exit_:  # argparse's refusals
            code = exit_.code if isinstance(exit_.code, int) else 1
            if isinstance(exit_.code, str):
                print(exit_.code, file=err)
    return Done(args, code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """The CLI configures logging for its process (root handlers and levels);
    the test process gets its own back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    named = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        for name in list(logging.root.manager.loggerDict):
            logging.getLogger(name).setLevel(named.get(name, logging.NOTSET))
