"""Persistence: SQLModel tables, the engine (SQLite or PostgreSQL) and the unit of work.

Stable names other packages build on:
- `waitlist.storage.db.make_engine(url)`, `create_schema(engine)`, `migrate(url)`
- `waitlist.storage.uow.UnitOfWork(engine, actor=..., rules=..., clock=...)`
- tables in `waitlist.storage.tables` (District, Travel, Programme, Group, Leader,
  GroupLeaderLink, Application, LotterySeed, Offer, Event, Outbox, PlacementRound, Staff)
"""
