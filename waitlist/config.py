"""Settings, read once from the environment (prefix WAITLIST_). The domain and solver get
plain values from here, never the settings object itself."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WAITLIST_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/waitlist.db"
    secret_key: str = "change-me-in-production-this-is-only-for-the-demo"
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
    home_priority: str = "strict"
    offer_response_days: int = 10
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
    # Staff log-ins (every login route): failures free of any pause per account and address,
    # then pauses doubling from login_backoff_seconds up to login_backoff_max_seconds. The
    # looser login_address_free_failures counts an address over all accounts, and an account
    # over the addresses it never logged in from (its owner's usual addresses are not slowed
    # by others' guesses). See waitlist/domain/login_throttle.py.
    login_free_failures: int = Field(default=3, ge=1)
    login_address_free_failures: int = Field(default=10, ge=1)
    login_backoff_seconds: float = Field(default=2.0, gt=0)
    login_backoff_max_seconds: float = Field(default=900.0, gt=0)
    # Threads per server process for endpoints that touch the database. The work is short and
    # CPU-bound; more threads than this only queue for the interpreter lock and stretch the
    # slowest answers (measured with benchmarks/api.py: p99 about half with 8 than with 40).
    worker_threads: int = Field(default=8, ge=1, le=200)


def public_url(settings: Settings) -> str:
    return settings.public_url or f"http://{settings.host}:{settings.port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
