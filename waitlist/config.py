"""Settings, read once from the environment (prefix WAITLIST_). The domain and solver get
plain values from here, never the settings object itself."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WAITLIST_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/waitlist.db"
    secret_key: str = "change-me-in-production-this-is-only-for-the-demo"
    host: str = "127.0.0.1"
    port: int = 8000
    demo_seed: int = 2026
    cross_district_after_weeks: int = 8
    home_priority: str = "strict"
    offer_response_days: int = 10
    target_weeks: int = 8
    small_cell_min: int = 5
    # Repeated expiry policy: after this many expired offers in a row an application is
    # paused (kept with its queue date, but skipped by rounds until the parent confirms).
    max_expired_offers: int = 2


@lru_cache
def get_settings() -> Settings:
    return Settings()
