"""The installation's secret key: where it lives, how `waitlist init` makes one, and when the
server refuses to start with it.

Everything the server signs (staff tokens, session cookies, CSRF tokens, sealed idempotent
replays) is signed with one secret. It is kept outside the database, in a file only its owner
can read (`secret_key` beside the SQLite file, or WAITLIST_SECRET_FILE), or given in
WAITLIST_SECRET_KEY. A key anyone could know is refused: none at all, a short one, or one
written anywhere in the project's source tree (the old built-in default, the documentation's
examples, the tests' values). Demo mode (WAITLIST_DEMO_MODE) lets a weak key through only on
the loopback interface.

Rotation: `waitlist rotate-key` moves the current key to `<file>.previous` with a deadline;
until then the previous key still verifies (never signs), so nobody is logged out mid-task.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 32
# Used in demo mode when no key is configured: published here, so refused everywhere else.
DEMO_KEY = "demo-mode-key-published-in-the-source-never-use-it"
# Values that were built in or are widely used as placeholders; the source scan finds the
# rest (this line is itself in the source, so these are refused twice over).
KNOWN_VALUES = frozenset(
    {"change-me-in-production-this-is-only-for-the-demo", DEMO_KEY, "changeme", "secret"}
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
_SOURCE_DIRS = ("waitlist", "api", "solver", "tests", "docs", "benchmarks", "scripts", "migrations")
_SOURCE_FILES = ("README.md", "Makefile", "pyproject.toml", "alembic.ini", ".env.example")
_TEXT_SUFFIXES = frozenset(
    {".py", ".md", ".toml", ".ini", ".cfg", ".txt", ".html", ".json", ".yml", ".yaml", ".sh",
     ".po", ".j2", ".js", ".css", ".env", ".example"}
)  # fmt: skip
_MAX_SOURCE_FILE = 2_000_000
# What random keys are written in (token_urlsafe, base64, hex); never prose or code.
_KEY_CHARACTERS = re.compile(r"[A-Za-z0-9_.~+/=-]+")


class InsecureSecret(Exception):
    """The configured secret key must not be used to serve (the message says why)."""


@dataclass(frozen=True)
class StoredKeys:
    current: str = ""
    previous: str = ""
    previous_until: datetime | None = None


def key_file(database_url: str, configured: str = "") -> Path:
    """Where the key lives: the configured file, else beside the SQLite database file, else
    var/secret_key (relative to the working folder, as the default database is)."""
    if configured:
        return Path(configured)
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        name = database_url.removeprefix("sqlite:///").split("?", 1)[0]
        if name:
            return Path(name).parent / "secret_key"
    return Path("var") / "secret_key"


def previous_file(path: Path) -> Path:
    return path.with_name(path.name + ".previous")


def read_keys(path: Path) -> StoredKeys:
    """The keys stored at `path` (and its `.previous` file); empty when there are none."""
    try:
        current = path.read_text(encoding="utf-8").strip()
    except OSError:
        return StoredKeys()
    previous, until = "", None
    try:
        lines = previous_file(path).read_text(encoding="utf-8").split()
        if len(lines) == 2:
            previous, until = lines[0], datetime.fromisoformat(lines[1])
    except (OSError, ValueError):
        pass
    return StoredKeys(current, previous, until)


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable and writable by its owner only, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def new_key() -> str:
    return secrets.token_urlsafe(48)  # 384 random bits


def create_key_file(path: Path) -> bool:
    """Write a fresh random key to `path` unless one is there; True when one was written."""
    if path.exists():
        return False
    _write_private(path, new_key() + "\n")
    return True


def rotate(path: Path, grace: timedelta, *, now: datetime | None = None) -> datetime:
    """Replace the key at `path` with a fresh one; the old one verifies until the deadline
    returned (now + grace)."""
    old = read_keys(path).current
    if not old:
        raise InsecureSecret(f"no key to rotate at {path}: run `waitlist init` first")
    until = (now or datetime.now(UTC)) + grace
    _write_private(previous_file(path), f"{old}\n{until.isoformat()}\n")
    _write_private(path, new_key() + "\n")
    return until


def readable_by_others(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))


@lru_cache(maxsize=1)
def _source_text() -> str:
    """Every text file of the project's source tree, concatenated (read once per process)."""
    root = Path(__file__).resolve().parents[1]
    files: list[Path] = [root / name for name in _SOURCE_FILES]
    for folder in _SOURCE_DIRS:
        if (root / folder).is_dir():
            files.extend(p for p in (root / folder).rglob("*") if p.suffix in _TEXT_SUFFIXES)
    parts = []
    for file in files:
        try:
            if file.is_file() and file.stat().st_size <= _MAX_SOURCE_FILE:
                text = file.read_text(encoding="utf-8", errors="ignore")
                parts.append(text)
                if file.suffix == ".py":  # as Python reads them: "a" "b" is "ab"
                    unescaped = text.replace('\\"', '"').replace("\\'", "'")
                    parts.extend(pattern.sub("", unescaped) for pattern in _ADJACENT)
        except OSError:
            continue
    return "\n".join(parts)


# A string literal's end, then the start of the next one ("abc "\n    f"def"): removed, the
# source shows the value Python builds from the two.
_ADJACENT = (
    re.compile(r"""(["'])\s*[rRbBfFuU]{0,2}\1"""),
    re.compile(r"""["']\s*[rRbBfFuU]{0,2}["']"""),
)


def published(key: str) -> bool:
    """Whether `key` is a known value or appears anywhere in the project's source tree."""
    return key in KNOWN_VALUES or key in _source_text()


def weakness(key: str) -> str | None:
    """Why `key` must not sign anything, or None when it may."""
    if not key:
        return "no secret key is configured"
    if len(key) < MIN_LENGTH:
        return f"the secret key is shorter than {MIN_LENGTH} characters"
    if not _KEY_CHARACTERS.fullmatch(key):
        return "the secret key has characters other than letters, digits and - _ . ~ + / ="
    if len(set(key)) < 10:
        return "the secret key repeats too few characters to be random"
    if published(key):
        return "the secret key is a value published in the source code"
    return None


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def check(keys: list[str], *, demo_mode: bool, host: str, source: Path) -> None:
    """Raise InsecureSecret unless every key in `keys` (the signing key first) may be used to
    serve on `host`. `source` is the key file (for the message, and its permissions)."""
    for key in keys:
        reason = weakness(key)
        if reason is None:
            continue
        if demo_mode and is_loopback(host):
            return  # demo mode on the loopback interface: nobody else can reach the server
        if demo_mode:
            raise InsecureSecret(
                f"{reason}; demo mode serves only on 127.0.0.1, not on {host}: "
                "unset WAITLIST_DEMO_MODE and run `waitlist init` to make a key"
            )
        raise InsecureSecret(
            f"{reason}: run `waitlist init` (it writes a random key to {source}) or set "
            f"WAITLIST_SECRET_KEY to at least {MIN_LENGTH} random characters"
        )
    if keys and read_keys(source).current == keys[0] and readable_by_others(source):
        raise InsecureSecret(f"the secret key file {source} is readable by others: chmod 600 it")
