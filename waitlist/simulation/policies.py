"""Policies compared by a simulation: the three built-in ones and user policy files.

A policy file (JSON) names how placement rounds are run and which settings they use:

    {"name": "short-threshold", "label": "Cross-district after 4 weeks",
     "placement": "solver",            # "status_quo" | "solver"
     "group_starts": "plan",           # "plan" | "recommendations" | "term_plan"
     "recommend_every_weeks": 4,
     "cross_district_after_weeks": 4, "home_priority": "strict",
     "offer_response_days": 10, "target_weeks": 8,
     "max_travel_minutes": 30,         # caps every parent's own limit (null: no cap)
     "min_size": {"komet": 5},         # minimum group sizes by programme (others unchanged)
     "supply_follows": "plan",         # "plan" | "applications" | "projected_wait": where
                                       # each term's groups go
     "planned_language": "plan",       # "plan" | "queue": the language a group is announced in
     "planned_slot": "plan",           # "plan" | "queue": the time of day it is announced at
     "cancelled_leader_weeks": null,   # a cancelled planned group's leader may lead a
                                       # recommended group within this many weeks (null: no)
     "leader_reach_minutes": 0,        # leaders may lead groups this far from their district
     "opt_in_prompt_weeks": null,      # ask parents who did not opt in again after this wait
     "opt_in_prompt_minutes": 20}      # ... whether a seat this near in another district would do
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from solver.types import Policy
from waitlist.domain.crossing import CROSS_TESTS
from waitlist.domain.errors import InvalidInput
from waitlist.domain.values import HomePriority
from waitlist.translations import N_

PLACEMENTS = ("status_quo", "solver")
GROUP_STARTS = ("plan", "recommendations", "term_plan")
SUPPLY_FOLLOWS = ("plan", "applications", "projected_wait")
PLANNED_LANGUAGES = ("plan", "queue")
PLANNED_SLOTS = ("plan", "queue")


@dataclass(frozen=True)
class PolicySpec:
    name: str
    label: str
    placement: str = "solver"
    group_starts: str = "plan"
    recommend_every_weeks: int = 4
    settings: Policy = field(default_factory=Policy)
    max_travel_minutes: int | None = None
    min_size: dict[str, int] = field(default_factory=dict)
    # Supply levers (supply.py): where each term's planned groups go, the language a planned
    # group is announced in, and how far from their own district a leader may lead a group.
    supply_follows: str = "plan"
    planned_language: str = "plan"
    planned_slot: str = "plan"
    leader_reach_minutes: int = 0
    # A planned group cancelled for too few parents frees its leader: for this many weeks
    # they may lead one recommended group (monthly.py), as one of their district's leaders.
    cancelled_leader_weeks: int | None = None
    # The opt-in prompt (engine.py): a parent who did not opt in is asked once, after this
    # many weeks without an offer, whether a seat within opt_in_prompt_minutes would do.
    opt_in_prompt_weeks: int | None = None
    opt_in_prompt_minutes: int = 20

    def describe(self) -> dict[str, Any]:
        """The policy as recorded in the report (enough to rebuild it)."""
        s = self.settings
        return {
            "name": self.name,
            "label": self.label,
            "placement": self.placement,
            "group_starts": self.group_starts,
            "recommend_every_weeks": self.recommend_every_weeks,
            "cross_district_after_weeks": s.cross_district_after_weeks,
            "cross_district_test": s.cross_district_test,
            "home_priority": s.home_priority,
            "offer_response_days": s.offer_response_days,
            "target_weeks": s.target_weeks,
            "max_travel_minutes": self.max_travel_minutes,
            "min_size": dict(sorted(self.min_size.items())),
            "supply_follows": self.supply_follows,
            "planned_language": self.planned_language,
            "planned_slot": self.planned_slot,
            "leader_reach_minutes": self.leader_reach_minutes,
            "cancelled_leader_weeks": self.cancelled_leader_weeks,
            "opt_in_prompt_weeks": self.opt_in_prompt_weeks,
            "opt_in_prompt_minutes": self.opt_in_prompt_minutes,
        }


def builtin_policies(settings: Policy | None = None) -> list[PolicySpec]:
    """1 status quo, 2 cross-district solver, 3 solver plus monthly recommended group starts,
    4 solver with each term's groups planned where the need is (waitlist.simulation.term_plan)."""
    settings = settings or Policy()
    return [
        PolicySpec("status-quo", N_("1 Status quo: own district, first come first served"),
                   placement="status_quo", settings=settings),
        PolicySpec("cross-district", N_("2 Cross-district placement (solver)"),
                   placement="solver", settings=settings),
        PolicySpec("cross-district-starts", N_("3 Solver + monthly recommended group starts"),
                   placement="solver", group_starts="recommendations", settings=settings),
        PolicySpec("term-plan", N_("4 Solver + each term's groups planned where the need is"),
                   placement="solver", group_starts="term_plan", settings=settings),
    ]  # fmt: skip


def queue_starts(settings: Policy | None = None) -> PolicySpec:
    """The best policy measured (docs/simulation.md, "Groups at the time their queue can come"):
    cross-district after 6 weeks with the queue date deciding across districts, monthly
    recommended groups, each term's groups shared by projected wait and announced in the
    language and at the time of day their queue can come, parent groups that start with 4,
    the opt-in prompt after 6 weeks, and a cancelled group's leader free for a recommended
    group. `docs/policies/queue-starts.json` is the same policy as a file."""
    base = settings or Policy()
    parent_groups = (
        "abc", "active-parenting", "connect", "familjeverkstan", "icdp", "komet", "ungdomskomet",
    )  # fmt: skip
    return PolicySpec(
        "queue-starts",
        N_("5 Groups where the queue is, at times its parents can come"),
        placement="solver",
        group_starts="recommendations",
        settings=replace(base, cross_district_after_weeks=6, home_priority=HomePriority.NONE),
        min_size=dict.fromkeys(parent_groups, 4),
        supply_follows="projected_wait",
        planned_language="queue",
        planned_slot="queue",
        leader_reach_minutes=20,
        cancelled_leader_weeks=6,
        opt_in_prompt_weeks=6,
        opt_in_prompt_minutes=20,
    )


def page_policies(settings: Policy | None = None) -> list[PolicySpec]:
    """The policies the what-if page offers beside the status quo: built-in 2 to 4 and
    `queue-starts`."""
    return builtin_policies(settings)[1:] + [queue_starts(settings)]


_KEYS = {
    "name", "label", "placement", "group_starts", "recommend_every_weeks",
    "cross_district_after_weeks", "cross_district_test", "home_priority", "offer_response_days",
    "target_weeks",
    "max_travel_minutes", "min_size", "description",
    "supply_follows", "planned_language", "planned_slot", "leader_reach_minutes",
    "cancelled_leader_weeks",
    "opt_in_prompt_weeks", "opt_in_prompt_minutes",
}  # fmt: skip


def _int(raw: dict[str, Any], key: str, default: int | None, *, minimum: int = 0) -> int | None:
    value = raw.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(f"{key}: must be a whole number ≥ {minimum}, got {value!r}", field=key)
    return value


def parse_policy(raw: Any, *, programmes: set[str] | None = None) -> PolicySpec:
    if not isinstance(raw, dict):
        raise InvalidInput("policy: must be a JSON object", field="policy")
    for key in raw:
        if key not in _KEYS:
            raise InvalidInput(f"{key}: unknown key", field=key)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name: must be a non-empty string", field="name")
    placement = raw.get("placement", "solver")
    if placement not in PLACEMENTS:
        raise InvalidInput(f"placement: must be one of {', '.join(PLACEMENTS)}", field="placement")
    starts = raw.get("group_starts", "plan")
    if starts not in GROUP_STARTS:
        raise InvalidInput(
            f"group_starts: must be one of {', '.join(GROUP_STARTS)}", field="group_starts"
        )
    priority = raw.get("home_priority", "strict")
    if priority not in {h.value for h in HomePriority}:
        raise InvalidInput("home_priority: must be 'strict' or 'none'", field="home_priority")
    min_size = raw.get("min_size", {})
    if not isinstance(min_size, dict):
        raise InvalidInput("min_size: must be an object programme -> size", field="min_size")
    for prog, size in min_size.items():
        if programmes is not None and prog not in programmes:
            raise InvalidInput(f"min_size.{prog}: unknown programme", field=f"min_size.{prog}")
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InvalidInput(
                f"min_size.{prog}: must be a whole number ≥ 1", field=f"min_size.{prog}"
            )
    test = raw.get("cross_district_test", "waited")
    if test not in CROSS_TESTS:
        raise InvalidInput(
            f"cross_district_test: must be one of {', '.join(CROSS_TESTS)}",
            field="cross_district_test",
        )
    follows = raw.get("supply_follows", "plan")
    if follows not in SUPPLY_FOLLOWS:
        raise InvalidInput(
            f"supply_follows: must be one of {', '.join(SUPPLY_FOLLOWS)}", field="supply_follows"
        )
    language = raw.get("planned_language", "plan")
    if language not in PLANNED_LANGUAGES:
        raise InvalidInput(
            f"planned_language: must be one of {', '.join(PLANNED_LANGUAGES)}",
            field="planned_language",
        )
    slot = raw.get("planned_slot", "plan")
    if slot not in PLANNED_SLOTS:
        raise InvalidInput(
            f"planned_slot: must be one of {', '.join(PLANNED_SLOTS)}", field="planned_slot"
        )
    freed = _int(raw, "cancelled_leader_weeks", None, minimum=1)
    if freed is not None and starts != "recommendations":
        raise InvalidInput(
            "cancelled_leader_weeks: a freed leader leads a recommended group; use it with "
            "group_starts 'recommendations'",
            field="cancelled_leader_weeks",
        )
    if follows != "plan" and starts == "term_plan":
        raise InvalidInput(
            "supply_follows: the term plan already places each term's groups; use 'plan' with "
            "group_starts 'term_plan'",
            field="supply_follows",
        )
    settings = Policy(
        cross_district_after_weeks=_int(raw, "cross_district_after_weeks", 8) or 0,
        cross_district_test=test,
        home_priority=priority,
        offer_response_days=_int(raw, "offer_response_days", 10, minimum=1) or 10,
        target_weeks=_int(raw, "target_weeks", 8, minimum=1) or 8,
    )
    return PolicySpec(
        name=name.strip(),
        label=str(raw.get("label", name)),
        placement=placement,
        group_starts=starts,
        recommend_every_weeks=_int(raw, "recommend_every_weeks", 4, minimum=1) or 4,
        settings=settings,
        max_travel_minutes=_int(raw, "max_travel_minutes", None),
        min_size=dict(min_size),
        supply_follows=follows,
        planned_language=language,
        planned_slot=slot,
        leader_reach_minutes=_int(raw, "leader_reach_minutes", 0) or 0,
        cancelled_leader_weeks=freed,
        opt_in_prompt_weeks=_int(raw, "opt_in_prompt_weeks", None),
        opt_in_prompt_minutes=_int(raw, "opt_in_prompt_minutes", 20, minimum=1) or 20,
    )


def load_policy(path: str | Path, *, programmes: set[str] | None = None) -> PolicySpec:
    p = Path(path)
    try:
        raw = json.loads(p.read_text("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read policy {p.name}: {exc.strerror}", field="policy") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"policy {p.name} is not JSON: {exc.msg}", field="policy") from exc
    return parse_policy(raw, programmes=programmes)
