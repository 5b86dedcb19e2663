"""Alembic environment: metadata from waitlist.storage.tables, URL from the configuration or
WAITLIST_DATABASE_URL. SQLite runs in batch mode so ALTER TABLE works there too."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from waitlist.config import get_settings
from waitlist.storage.db import make_engine
from waitlist.storage.tables import metadata

config = context.config
if config.config_file_name is not None and config.get_main_option("configure_logging", "1") == "1":
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
