"""A digest of a database's content: every table's rows in key order, less the columns that
are random on purpose. Two databases with the same digest hold the same data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import sqlalchemy as sa

# Columns drawn from the operating system's randomness on purpose (found by seeding twice and
# comparing every column): salted password hashes, the hashes of the parents' personal-link
# tokens, and the outbox payloads that carry those tokens until sent.
VOLATILE = {
    ("staff", "password_hash"),
    ("application", "token_hash"),
    ("outbox", "payload"),
}


@dataclass
class Digest:
    total: str  # SHA-256 over every table
    counts: dict[str, int] = field(default_factory=dict)  # rows per table
    tables: dict[str, str] = field(default_factory=dict)  # a SHA-256 per table with rows


def digest(engine: sa.Engine) -> Digest:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    total = hashlib.sha256()
    found = Digest("")
    with engine.connect() as conn:
        for name in sorted(metadata.tables):
            if name == "alembic_version":
                continue
            table = metadata.tables[name]
            columns = [c for c in table.columns if (name, c.name) not in VOLATILE]
            order = list(table.primary_key.columns) or columns
            rows = conn.execute(sa.select(*columns).order_by(*order)).all()
            found.counts[name] = len(rows)
            if rows:  # an empty table (one the demo does not fill) adds nothing
                total.update(name.encode())
            one = hashlib.sha256()
            for row in rows:
                total.update(repr(tuple(row)).encode())
                one.update(repr(tuple(row)).encode())
            if rows:
                found.tables[name] = one.hexdigest()
    found.total = total.hexdigest()
    return found
