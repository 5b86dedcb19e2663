"""Importing a district's existing queue (a spreadsheet's rows) as applications.

Every row is read as people type it (waitlist.domain.spreadsheet) and checked with the rules
of applying (`applications._validate`, the same function the apply use case runs), with its
queue date kept. Rows are matched by `external_id` within the district: one already imported
is left as it is, so importing the same list again changes nothing. A dry run reports and
changes nothing; an import stores the valid rows in one transaction (with `strict`, none
unless every row is valid), each through the apply use case's own steps (lottery, audit
event, the personal link to the contact given), plus one `applications_imported` event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select

from waitlist.domain.errors import DomainError, InvalidInput
from waitlist.domain.spreadsheet import application_values, text
from waitlist.services import applications, lookups
from waitlist.services.commands import NewApplication
from waitlist.services.inputs import parse
from waitlist.storage.tables import Application
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class RowProblem:
    row: int  # as numbered in the spreadsheet (the header is row 1)
    field: str | None
    reason: str


@dataclass(frozen=True)
class ImportReport:
    district: str
    rows: int
    stored: int  # 0 on a dry run or a refused strict import
    new: int  # rows that are (or on a dry run would be) stored
    unchanged: int  # already imported before
    problems: tuple[RowProblem, ...]
    dry_run: bool


def import_applications(
    uow: UnitOfWork,
    district: str,
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    dry_run: bool = False,
    strict: bool = False,
) -> ImportReport:
    """Import `rows` ((row number, values by column)) as applications in `district`."""
    # Thousands of audit events and notices, none read back here: written at the commit with
    # one INSERT per table.
    uow.batch_records = True
    with uow:
        lookups.district(uow, district)
        known = set(
            uow.session.exec(
                select(Application.external_id).where(
                    Application.district == district, col(Application.external_id).is_not(None)
                )
            ).all()
        )
        seen: dict[str, int] = {}
        valid: list[tuple[str, NewApplication, date]] = []
        problems: list[RowProblem] = []
        count = unchanged = 0
        for number, row in rows:
            count += 1
            try:
                external_id = text(row.get("external_id"))
                if external_id in seen:
                    raise InvalidInput(
                        f"the same external_id as row {seen[external_id]}", field="external_id"
                    )
                values = application_values(row)
                seen[external_id] = number
                if external_id in known:
                    unchanged += 1
                    continue
                command = parse(NewApplication, {**values, "district": district})
                valid.append((external_id, command, applications._validate(uow, command)))
            except DomainError as exc:
                problems.append(RowProblem(number, exc.field, exc.message))
        refused = dry_run or (strict and bool(problems))
        if not refused:
            for external_id, command, queue_date in valid:
                applications._apply(uow, command, validated=queue_date, external_id=external_id)
            uow.record(
                "import",
                district,
                "applications_imported",
                after={"stored": len(valid), "unchanged": unchanged, "rejected": len(problems)},
                district=district,
            )
            uow.commit()
        return ImportReport(
            district=district,
            rows=count,
            stored=0 if refused else len(valid),
            new=len(valid),
            unchanged=unchanged,
            problems=tuple(problems),
            dry_run=dry_run,
        )
