"""Settings, read once from the environment (prefix WAITLIST_). The domain and solver get
plain values from here, never the settings object itself."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from waitlist import signing_key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WAITLIST_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/waitlist.db"
    # The key everything is signed with. Empty: read from secret_file, which `waitlist init`
    # creates (default: `secret_key` beside the SQLite file, else var/secret_key). There is
    # no built-in value; see docs/security.md.
    secret_key: str = ""
    secret_file: str = ""
    # Key rotation: a previous key still verifies (never signs) until the given time.
    previous_secret_key: str = ""
    previous_secret_key_until: datetime | None = None
    # Demo mode lets a missing or weak key through, and only on the loopback interface.
    demo_mode: bool = False
    # Addresses (comma-separated IPs or networks) of reverse proxies whose X-Forwarded-For
    # and X-Forwarded-Proto are believed. Empty: no proxy is trusted.
    trusted_proxies: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    # Server processes for `waitlist serve` (several need PostgreSQL to be worth it: SQLite
    # takes one writer at a time).
    workers: int = Field(default=1, ge=1, le=64)
    # The address parents reach the site at, for the personal links in notices
    # (default: http://HOST:PORT).
    public_url: str = ""
    demo_seed: int = 2026
    cross_district_after_weeks: int = 8
    # Rule 5's test: "waited" (the wait so far) or "projected" (also the projected
    # own-district wait; docs/placement.md).
    cross_district_test: Literal["waited", "projected"] = "waited"
    home_priority: str = "strict"
    offer_response_days: int = 10
    # Never too late: the least time (days) a parent gets to answer when a deadline is
    # shortened to the day before a group's first meeting.
    min_response_days: int = Field(default=3, ge=1)
    target_weeks: int = 8
    small_cell_min: int = 5
    # Repeated expiry policy: after this many expired offers in a row an application is
    # paused (kept with its queue date, but skipped by rounds until the parent confirms).
    max_expired_offers: int = 2
    # HTTP API: staff token life, session cookie, parent rate limits (requests per minute;
    # 0 switches a limit off), background jobs in `serve` (seconds between runs; 0 = off).
    access_token_minutes: int = 15
    cookie_secure: bool = True
    rate_limit_ip_per_minute: int = 120
    rate_limit_token_per_minute: int = 60
    jobs_interval_seconds: int = 30
    # Notices (docs/delivery.md): e-mail over SMTP, e.g. smtp://user:password@host:587 or
    # smtps://user:password@host:465; SMS through 46elks' API (https://api.46elks.com/a1/sms,
    # key "API-user:API-password"). Both empty: the demo's local outbox view.
    smtp_url: str = ""
    mail_from: str = "Waitlist <no-reply@waitlist.invalid>"
    sms_url: str = ""
    sms_key: str = ""
    sms_from: str = "Waitlist"
    # How often an idle worker looks for a queued group-start recommendation to solve.
    recommend_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # Finished background jobs (recommendations, term plans, what-if runs) are removed by the
    # clean-up job once asked for longer ago than this; the newest results the pages show stay.
    job_keep_days: int = Field(default=7, ge=1, le=3650)
    # Staff log-ins (every login route): failures free of any pause per account and address,
    # then pauses doubling from login_backoff_seconds up to login_backoff_max_seconds. The
    # looser login_address_free_failures counts an address over all accounts, and an account
    # over the addresses it never logged in from (its owner's usual addresses are not slowed
    # by others' guesses). See waitlist/domain/login_throttle.py.
    login_free_failures: int = Field(default=3, ge=1)
    login_address_free_failures: int = Field(default=10, ge=1)
    login_backoff_seconds: float = Field(default=2.0, gt=0)
    login_backoff_max_seconds: float = Field(default=900.0, gt=0)
    # How long an Idempotency-Key stays with a request that has not answered: after that a retry
    # takes it over (the first attempt's process is presumed dead; it cannot commit any more).
    idempotency_lease_seconds: int = Field(default=30, ge=1, le=3600)
    # Threads per server process for endpoints that touch the database. The work is short and
    # CPU-bound; more threads than this only queue for the interpreter lock and stretch the
    # slowest answers (measured with benchmarks/api.py: p99 about half with 8 than with 40).
    worker_threads: int = Field(default=8, ge=1, le=200)

    @model_validator(mode="after")
    def _keys_from_file(self) -> Settings:
        """Without WAITLIST_SECRET_KEY, the key (and a previous one) come from the key file."""
        if not self.secret_key:
            stored = signing_key.read_keys(self.key_file())
            self.secret_key = stored.current
            if not self.previous_secret_key:
                self.previous_secret_key = stored.previous
                self.previous_secret_key_until = stored.previous_until
        if not self.secret_key and self.demo_mode:
            self.secret_key = signing_key.DEMO_KEY
        return self

    def key_file(self) -> Path:
        return signing_key.key_file(self.database_url, self.secret_file)

    def check_secret(self, host: str | None = None) -> None:
        """Raise signing_key.InsecureSecret unless the keys may serve on `host`."""
        keys = [self.secret_key, *([self.previous_secret_key] if self.previous_secret_key else [])]
        signing_key.check(
            keys, demo_mode=self.demo_mode, host=host or self.host, source=self.key_file()
        )

    def signing_secret(self) -> str:
        """The key new tokens are signed with (the published demo key only in demo mode)."""
        return self.secret_key

    def verification_keys(self, now: datetime | None = None) -> tuple[str, ...]:
        """Keys a signature may be made with: the current one, and the previous one until its
        deadline (no deadline: not accepted)."""
        current = self.signing_secret()
        until = self.previous_secret_key_until
        if self.previous_secret_key and until is not None:
            moment = now or datetime.now(UTC)
            if (until if until.tzinfo else until.replace(tzinfo=UTC)) > moment:
                return (current, self.previous_secret_key)
        return (current,)


def secure_cookies(settings: Settings, request_host: str | None) -> bool:
    """Cookies are Secure whenever the public URL is https, whatever the Host header says;
    without a configured public URL, unless the request came to the loopback interface."""
    if settings.public_url:
        return settings.public_url.lower().startswith("https://")
    return settings.cookie_secure and not signing_key.is_loopback(request_host or "")


def public_url(settings: Settings) -> str:
    return settings.public_url or f"http://{settings.host}:{settings.port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
