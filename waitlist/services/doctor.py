"""`waitlist doctor`: check stored data against every rule that can be read back from it.

    check(uow) -> list[Finding], empty when everything holds

Each finding names the rule, the row and what is wrong, in one line. The checks read only;
they never repair (a coordinator decides what to do with an offer that came too late).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.eligibility import age_fits
from waitlist.domain.group import GroupStatus
from waitlist.domain.offer import OfferStatus
from waitlist.storage.tables import Application, Group, Offer, Programme
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str
    problem: str

    def line(self) -> str:
        return f"{self.where}: {self.problem} ({self.rule})"


_SEATED = (S.ENROLLED, S.COMPLETED)
_HOLDING = (GroupStatus.PLANNED, GroupStatus.RECRUITING, GroupStatus.RUNNING)


def check(uow: UnitOfWork) -> list[Finding]:
    """Every rule broken by the stored data, sorted by rule and row."""
    with uow:
        groups = {g.id: g for g in uow.session.exec(select(Group))}
        apps = {a.id: a for a in uow.session.exec(select(Application))}
        offers = list(uow.session.exec(select(Offer).order_by(col(Offer.id))))
        ages = {
            p.slug: (p.child_age_min, p.child_age_max) for p in uow.session.exec(select(Programme))
        }
    found = [
        *_late_answers(offers, groups),
        *_seats(offers, groups, apps),
        *_one_pending_offer(offers, apps),
        *_ages(offers, groups, apps, ages),
    ]
    return sorted(found, key=lambda f: (f.rule, f.where))


def _late_answers(offers: list[Offer], groups: dict[int | None, Group]) -> list[Finding]:
    """Rule 10: an offer's answer is due before the group's first meeting. A seat taken on or
    after the start (a late enrolment, accepted at once) has nothing to wait for."""
    out = []
    for o in offers:
        g = groups[o.group_id]
        if o.respond_by >= g.start and o.made_at.date() < g.start:
            out.append(
                Finding(
                    "rule 10, never too late",
                    f"offer {o.id}",
                    f"{o.status}, answer due {o.respond_by} but group {g.id} starts {g.start}",
                )
            )
    return out


def _seats(
    offers: list[Offer], groups: dict[int | None, Group], apps: dict[int | None, Application]
) -> list[Finding]:
    """Rule 3: enrolled + pending offers never exceed capacity, and `taken` counts them."""
    pending: Counter[int | None] = Counter(
        o.group_id for o in offers if o.status == OfferStatus.PENDING
    )
    seated: Counter[int | None] = Counter(
        a.group_id for a in apps.values() if a.status in _SEATED and a.group_id
    )
    out = []
    for gid, g in sorted(groups.items(), key=lambda item: item[0] or 0):
        held = pending[gid] + seated[gid]
        if held > g.capacity:
            out.append(
                Finding(
                    "rule 3, seats",
                    f"group {gid}",
                    f"{seated[gid]} enrolled + {pending[gid]} pending offers for "
                    f"{g.capacity} seats",
                )
            )
        if g.status in _HOLDING and g.taken != held:
            out.append(
                Finding(
                    "rule 3, seats",
                    f"group {gid}",
                    f"counts {g.taken} seats taken, but {seated[gid]} are enrolled and "
                    f"{pending[gid]} offers pending",
                )
            )
    return out


def _one_pending_offer(offers: list[Offer], apps: dict[int | None, Application]) -> list[Finding]:
    """One pending offer per application, and `offered` exactly when one is pending."""
    pending: Counter[int | None] = Counter(
        o.application_id for o in offers if o.status == OfferStatus.PENDING
    )
    out = []
    for aid, a in sorted(apps.items(), key=lambda item: item[0] or 0):
        n = pending[aid]
        if n > 1:
            out.append(Finding("one pending offer", f"application {aid}", f"{n} pending offers"))
        if (a.status == S.OFFERED) != (n == 1):
            out.append(
                Finding(
                    "one pending offer",
                    f"application {aid}",
                    f"status {a.status} with {n} pending offers",
                )
            )
    return out


def _ages(
    offers: list[Offer],
    groups: dict[int | None, Group],
    apps: dict[int | None, Application],
    ages: dict[str, tuple[int, int]],
) -> list[Finding]:
    """Rule 2: a pending offer's child is of the programme's age at the group's start."""
    out = []
    for o in offers:
        a, g = apps[o.application_id], groups[o.group_id]
        if o.status != OfferStatus.PENDING or a.child_birth is None:
            continue
        low, high = ages[g.programme]
        if not age_fits(a.child_birth, g.start, low, high):
            out.append(
                Finding(
                    "rule 2, eligibility",
                    f"offer {o.id}",
                    f"child born {a.child_birth} is not {low}-{high} when group {g.id} starts",
                )
            )
    return out
