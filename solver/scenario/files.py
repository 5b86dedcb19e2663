"""Read, validate and write the offline files ("waitlist-scenario/1", "waitlist-result/1").

`parse_scenario` reports every problem at once, one line each, naming the JSON path
(`$.groups[3].min_size: ...`), so a coordinator can fix a file in one go.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from solver.scenario.schema import (
    RESULT_FORMAT,
    CandidateGroupIn,
    GroupIn,
    ResultFile,
    ScenarioFile,
)
from solver.types import (
    Application,
    CandidateGroup,
    District,
    Group,
    Leader,
    Offer,
    PlacementResult,
    Policy,
    Programme,
    Recommendation,
    RecommendResult,
    Room,
    Scenario,
    Unplaced,
)
from waitlist.domain.errors import InvalidInput
from waitlist.domain.values import parse_year_month


class ScenarioError(ValueError):
    """A scenario file that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('groups', 3, 'min_size') -> '$.groups[3].min_size'."""
    out = "$"
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(str(part)):
            out += f".{part}"
        else:
            out += "[" + json.dumps(str(part), ensure_ascii=False) + "]"
    return out


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ScenarioError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([f"$: cannot read {path}: {exc.strerror}"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([f"$: not valid JSON (line {exc.lineno}, column {exc.colno})"]) from exc
    return parse_scenario(data)


def parse_scenario(data: Any) -> Scenario:
    """Validate parsed JSON and turn it into a solver.types.Scenario; raises ScenarioError."""
    try:
        model = ScenarioFile.model_validate_json(json.dumps(data))
    except ValidationError as exc:
        raise ScenarioError(_pydantic_problems(exc)) from None
    problems = _cross_field_problems(model)
    if problems:
        raise ScenarioError(problems)
    try:
        return _to_scenario(model)
    except InvalidInput as exc:  # a programme's sizes or ages (waitlist.domain.reference)
        raise ScenarioError([f"$.programmes: {exc.message}"]) from None


def _pydantic_problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        msg = err["msg"]
        if err["type"] == "literal_error" and loc == ("format",):
            msg = "must be 'waitlist-scenario/1'"
        problems.append(f"{json_path(loc)}: {msg}")
    return problems


def _cross_field_problems(m: ScenarioFile) -> list[str]:
    """References, duplicate ids and values that are impossible together."""
    p: list[str] = []
    districts = {d.slug for d in m.districts}
    programmes = {q.slug: q for q in m.programmes}
    for name, items, key in (
        ("districts", m.districts, "slug"),
        ("programmes", m.programmes, "slug"),
        ("groups", m.groups, "id"),
        ("applications", m.applications, "id"),
        ("leaders", m.leaders, "id"),
        ("candidate_groups", m.candidate_groups, "id"),
        ("rooms", m.rooms, "id"),
    ):
        seen = Counter(getattr(x, key) for x in items)
        first: set[str] = set()
        for i, x in enumerate(items):
            value = getattr(x, key)
            if seen[value] > 1 and value in first:
                p.append(f"$.{name}[{i}].{key}: duplicate {key} {value!r}")
            first.add(value)

    def ref(path: str, value: str, known: set[str] | dict[str, Any], what: str) -> None:
        if value not in known:
            p.append(f"{path}: unknown {what} {value!r}")

    for origin, row in m.travel_minutes.items():
        ref(json_path(("travel_minutes", origin)), origin, districts, "district")
        for dest in row:
            ref(json_path(("travel_minutes", origin, dest)), dest, districts, "district")
    for i, q in enumerate(m.programmes):
        if q.child_age_min > q.child_age_max:
            p.append(f"$.programmes[{i}].child_age_min: greater than child_age_max")
        if q.min_size > q.capacity:
            p.append(f"$.programmes[{i}].min_size: greater than capacity ({q.capacity})")
    placed: list[tuple[str, Sequence[GroupIn | CandidateGroupIn]]] = [
        ("groups", m.groups),
        ("candidate_groups", m.candidate_groups),
    ]
    for kind, rows in placed:
        for i, g in enumerate(rows):
            ref(f"$.{kind}[{i}].programme", g.programme, programmes, "programme")
            ref(f"$.{kind}[{i}].district", g.district, districts, "district")
            if g.min_size > g.capacity:
                p.append(f"$.{kind}[{i}].min_size: greater than capacity ({g.capacity})")
            if isinstance(g, GroupIn) and g.taken > g.capacity:
                p.append(f"$.{kind}[{i}].taken: greater than capacity ({g.capacity})")
            if g.room is not None:
                p.extend(_room_problems(f"$.{kind}[{i}].room", g.room, g.district, m))
    for i, a in enumerate(m.applications):
        ref(f"$.applications[{i}].programme", a.programme, programmes, "programme")
        ref(f"$.applications[{i}].district", a.district, districts, "district")
        try:
            parse_year_month(a.child_birth)
        except InvalidInput as exc:
            p.append(f"$.applications[{i}].child_birth: {exc.message}")
        if a.queue_date > m.as_of:
            p.append(f"$.applications[{i}].queue_date: after as_of ({m.as_of.isoformat()})")
    for i, le in enumerate(m.leaders):
        ref(f"$.leaders[{i}].district", le.district, districts, "district")
        for j, slug in enumerate(le.programmes):
            ref(f"$.leaders[{i}].programmes[{j}]", slug, programmes, "programme")
    for i, r in enumerate(m.rooms):
        ref(f"$.rooms[{i}].district", r.district, districts, "district")
    if m.rooms:
        # How long a group holds its room: its number of sessions, one a week.
        for i, q in enumerate(m.programmes):
            if not (q.sessions or q.weeks):
                p.append(f"$.programmes[{i}].sessions: needed when rooms are listed")
    return p


def _room_problems(path: str, room: str, district: str, m: ScenarioFile) -> list[str]:
    listed = {r.id: r for r in m.rooms}
    if room not in listed:
        return [f"{path}: unknown room {room!r}"]
    if listed[room].district != district:
        return [f"{path}: room {room!r} is in {listed[room].district!r}, not in {district!r}"]
    return []


def _to_scenario(m: ScenarioFile) -> Scenario:
    return Scenario(
        as_of=m.as_of,
        policy=Policy(**{**m.policy.model_dump(), "home_priority": str(m.policy.home_priority)}),
        districts=tuple(District(d.slug, d.name) for d in m.districts),
        travel_minutes={o: dict(row) for o, row in m.travel_minutes.items()},
        programmes=tuple(
            Programme(**{**q.model_dump(), "languages": tuple(q.languages)}) for q in m.programmes
        ),
        groups=tuple(
            Group(
                **{
                    **g.model_dump(),
                    "weekday": str(g.weekday),
                    "slot": str(g.slot),
                    "status": str(g.status),
                }
            )
            for g in m.groups
        ),
        applications=tuple(
            Application(
                **{
                    **a.model_dump(),
                    "languages": tuple(a.languages),
                    "slots": tuple(str(s) for s in a.slots),
                }
            )
            for a in m.applications
        ),
        leaders=tuple(
            Leader(
                le.id,
                le.district,
                tuple(le.programmes),
                le.max_groups,
                tuple(le.languages),
                tuple(le.unavailable_weeks),
            )
            for le in m.leaders
        ),
        candidate_groups=tuple(
            CandidateGroup(**{**c.model_dump(), "weekday": str(c.weekday), "slot": str(c.slot)})
            for c in m.candidate_groups
        ),
        rooms=tuple(
            Room(
                r.id,
                r.district,
                r.name,
                r.capacity,
                tuple(str(d) for d in r.weekdays),
                tuple(str(s) for s in r.slots),
            )
            for r in m.rooms
        ),
    )


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """The scenario as its JSON file (lists in canonical order); parse_scenario reads it back."""

    def plain(x: Any, optional: frozenset[str] = frozenset({"room"})) -> dict[str, Any]:
        # Optional fields left at "no limit" (no room, no weeks away, a room bookable any
        # time) are not written, so files without them read as before.
        return {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in asdict(x).items()
            if not (k in optional and v in (None, ()))
        }

    room_limits = frozenset({"capacity", "weekdays", "slots"})
    rooms = [plain(r, room_limits) for r in sorted(s.rooms, key=lambda r: r.id)]
    return _json_object(
        {
            "format": "waitlist-scenario/1",
            "as_of": s.as_of,
            # The default rule-5 test is left out: files written before it read the same.
            "policy": {
                k: v
                for k, v in asdict(s.policy).items()
                if not (k == "cross_district_test" and v == "waited")
            },
            "districts": [plain(d) for d in sorted(s.districts, key=lambda d: d.slug)],
            "travel_minutes": s.travel_minutes,
            "programmes": [plain(q) for q in sorted(s.programmes, key=lambda q: q.slug)],
            "groups": [plain(g) for g in sorted(s.groups, key=lambda g: g.id)],
            "applications": [plain(a) for a in sorted(s.applications, key=lambda a: a.id)],
            "leaders": [
                plain(le, frozenset({"unavailable_weeks"}))
                for le in sorted(s.leaders, key=lambda le: le.id)
            ],
            "candidate_groups": [plain(c) for c in sorted(s.candidate_groups, key=lambda c: c.id)],
            **({"rooms": rooms} if rooms else {}),
        }
    )


def result_to_dict(result: PlacementResult | RecommendResult) -> dict[str, Any]:
    """The result file as plain JSON data, lists sorted so equal results serialise equally.
    Both solvers write the same file: a placement has no recommendations, a recommendation
    no offers or unplaced applications."""
    offers: tuple[Offer, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    if isinstance(result, PlacementResult):
        offers, unplaced = result.offers, result.unplaced
    else:
        recommendations = result.recommendations
    return _json_object(
        {
            "format": RESULT_FORMAT,
            "as_of": result.as_of,
            "status": str(result.status),
            "offers": sorted((_reasoned(o) for o in offers), key=lambda o: o["application"]),
            "unplaced": sorted((_reasoned(u) for u in unplaced), key=lambda u: u["application"]),
            "recommendations": sorted(
                (_recommendation(r) for r in recommendations),
                key=lambda r: (r["candidate"], r["leader"]),
            ),
            "objective": asdict(result.objective),
            "metrics": dict(result.metrics),
        }
    )


def offer_problems(scenario: Scenario, result: PlacementResult) -> list[str]:
    """The result file's rules on its offers that a JSON Schema cannot state, one line each:
    every offer names a listed application and group, once per application, and its
    `respond_by` lies after the scenario's date and before the group's first meeting (rule 10,
    never too late: waitlist.domain.offer.answer_deadline)."""
    apps = {a.id for a in scenario.applications}
    groups = {g.id: g for g in scenario.groups}
    seen: Counter[str] = Counter(o.application for o in result.offers)
    out: list[str] = []
    for i, o in enumerate(sorted(result.offers, key=lambda o: o.application)):
        path = f"$.offers[{i}]"
        if o.application not in apps:
            out.append(f"{path}.application: unknown application {o.application!r}")
        elif seen[o.application] > 1:
            out.append(f"{path}.application: {o.application!r} has {seen[o.application]} offers")
        group = groups.get(o.group)
        if group is None:
            out.append(f"{path}.group: unknown group {o.group!r}")
            continue
        if o.respond_by <= scenario.as_of:
            out.append(f"{path}.respond_by: {o.respond_by} is not after as_of {scenario.as_of}")
        if o.respond_by >= group.start:
            out.append(
                f"{path}.respond_by: {o.respond_by} is not before the first meeting of "
                f"{o.group!r} on {group.start}"
            )
    return out


def _reasoned(x: Offer | Unplaced) -> dict[str, Any]:
    """An offer's or unplaced application's fields, its facts in their compact form."""
    out = asdict(x)
    if x.facts is None:
        del out["facts"]
    else:
        out["facts"] = x.facts.to_dict()
    return out


def _recommendation(r: Recommendation) -> dict[str, Any]:
    """A recommendation's fields; `room` only when the candidate names one."""
    out = asdict(r)
    if out["room"] is None:
        del out["room"]
    return out


def result_to_json(result: PlacementResult | RecommendResult) -> str:
    """Byte-identical for equal results: sorted keys, no timestamps other than as_of."""
    return dumps(result_to_dict(result))


def dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def write_result(result: PlacementResult | RecommendResult, path: str | Path) -> None:
    Path(path).write_text(result_to_json(result), encoding="utf-8")


def scenario_json_schema() -> dict[str, Any]:
    return ScenarioFile.model_json_schema()


def result_json_schema() -> dict[str, Any]:
    return ResultFile.model_json_schema()


def _json_object(x: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = _jsonable(x)
    return out


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if hasattr(x, "isoformat"):
        return x.isoformat()
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x
