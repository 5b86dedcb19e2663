"""The term-planning model (CP-SAT): how many groups of each programme, language and slot each
district hosts, and which parents they are expected to serve.

Variables: `run[k]` groups in cell k (host district x programme x language x slot) and
`flow[c, k]` parents of demand class c expected to take a seat there. Two stages:

1. the largest share of a district's demand left unserved, in per mille, as small as possible
   (waits even out: every district keeps about the same share of its need waiting);
2. at that share, the fewest parents unserved, then the least travel
   (`UNSERVED_WEIGHT` minutes count as much as one parent).

In the baseline mode the groups per district and programme are given (`TermInput.baseline`)
and only stage 2 runs: the best the usual plan can do, so each effect is measured against a
fair yardstick; a baseline group whose expected parents stay below its minimum size is
counted as falling short (it would be cancelled).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.planning.data import DemandClass, PlanOptions, TermInput
from solver.types import SolveStatus

PER_MILLE = 1000

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}
FOUND = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

Cell = tuple[str, str, str, str]  # host district, programme, language, slot


@dataclass
class Built:
    model: cp_model.CpModel
    cells: list[Cell]
    classes: list[DemandClass]
    run: list[cp_model.IntVar]
    flow: dict[tuple[int, int], cp_model.IntVar]
    travel: dict[tuple[int, int], int]
    unserved: cp_model.LinearExpr
    travel_total: cp_model.LinearExpr
    worst_share: cp_model.IntVar | None = None


@dataclass
class Solved:
    status: SolveStatus
    run: dict[int, int] = field(default_factory=dict)
    flow: dict[tuple[int, int], int] = field(default_factory=dict)
    worst_share: int | None = None


def cells_of(data: TermInput) -> tuple[list[Cell], dict[int, list[tuple[int, int]]]]:
    """Every cell some class could use, and per class its cells with the travel minutes."""
    programmes = {p.slug: p for p in data.programmes}
    hosts = sorted(d.slug for d in data.districts)
    cells: list[Cell] = []
    index: dict[Cell, int] = {}
    reach: dict[int, list[tuple[int, int]]] = {}
    for c, cls in enumerate(data.demand):
        prog = programmes.get(cls.programme)
        if prog is None:
            continue
        languages = [lang for lang in cls.languages if not prog.languages or lang in prog.languages]
        for host in hosts:
            minutes = data.travel(cls.district, host)
            if host != cls.district and (
                not data.cross_district or minutes is None or minutes > cls.max_travel_minutes
            ):
                continue
            for lang in languages:
                for slot in cls.slots:
                    cell = (host, cls.programme, lang, slot)
                    if cell not in index:
                        index[cell] = len(cells)
                        cells.append(cell)
                    reach.setdefault(c, []).append((index[cell], minutes or 0))
    return cells, reach


def build(data: TermInput, *, baseline: bool) -> Built:
    programmes = {p.slug: p for p in data.programmes}
    cells, reach = cells_of(data)
    m = cp_model.CpModel()
    classes = list(data.demand)

    def limit(cell: Cell) -> int:
        host, prog = cell[0], cell[1]
        if baseline:
            return data.baseline.get((host, prog), 0)
        return min(data.budget.get(prog, 0), data.host_limits.get(host, 1 << 20))

    run = [m.new_int_var(0, limit(cell), f"run_{k}") for k, cell in enumerate(cells)]
    flow: dict[tuple[int, int], cp_model.IntVar] = {}
    travel: dict[tuple[int, int], int] = {}
    into: dict[int, list[cp_model.IntVar]] = {k: [] for k in range(len(cells))}
    for c, options in reach.items():
        for k, minutes in options:
            var = m.new_int_var(0, classes[c].parents, f"flow_{c}_{k}")
            flow[c, k], travel[c, k] = var, minutes
            into[k].append(var)
        # A parent takes at most one seat.
        m.add(sum(flow[c, k] for k, _ in options) <= classes[c].parents)
    # A group that runs has at least its minimum and at most its capacity of parents.
    for k, cell in enumerate(cells):
        prog = programmes[cell[1]]
        m.add(sum(into[k]) <= prog.capacity * run[k])
        m.add(sum(into[k]) >= min(prog.min_size, prog.capacity) * run[k])
    if baseline:
        # The usual plan's groups per district and programme.
        by_place: dict[tuple[str, str], list[cp_model.IntVar]] = {}
        for k, cell in enumerate(cells):
            by_place.setdefault((cell[0], cell[1]), []).append(run[k])
        for place, runs in by_place.items():
            m.add(sum(runs) <= data.baseline.get(place, 0))
    else:
        # The term's budget per programme, and what each district can host.
        for prog_slug in programmes:
            runs = [run[k] for k, cell in enumerate(cells) if cell[1] == prog_slug]
            if runs:
                m.add(sum(runs) <= data.budget.get(prog_slug, 0))
        for host, most in data.host_limits.items():
            runs = [run[k] for k, cell in enumerate(cells) if cell[0] == host]
            if runs:
                m.add(sum(runs) <= most)
    served = sum(flow.values())
    total = sum(cls.parents for cls in classes)
    built = Built(
        model=m,
        cells=cells,
        classes=classes,
        run=run,
        flow=flow,
        travel=travel,
        unserved=total - served,  # type: ignore[arg-type, operator]
        travel_total=sum(var * travel[key] for key, var in flow.items()),  # type: ignore[arg-type]
    )
    if not baseline:
        # Parents no group within the budget and the districts' limits could serve do not
        # count in the shares (nothing the plan does changes their wait).
        servable = {c for c, options in reach.items() if any(limit(cells[k]) for k, _ in options)}
        built.worst_share = _worst_share(m, classes, flow, servable)
    return built


def _worst_share(
    m: cp_model.CpModel,
    classes: list[DemandClass],
    flow: dict[tuple[int, int], cp_model.IntVar],
    servable: set[int],
) -> cp_model.IntVar:
    """The largest per-mille share of a district's (servable) parents left unserved."""
    worst = m.new_int_var(0, PER_MILLE, "worst_share")
    demand: dict[str, int] = {}
    served: dict[str, list[cp_model.IntVar]] = {}
    for c, cls in enumerate(classes):
        if c in servable:
            demand[cls.district] = demand.get(cls.district, 0) + cls.parents
    for (c, _k), var in flow.items():
        served.setdefault(classes[c].district, []).append(var)
    for district, parents in demand.items():
        if parents:
            left = parents - sum(served.get(district, []))
            m.add(parents * worst >= PER_MILLE * left)
    return worst


def unserved_weight(built: Built) -> int:
    """One parent served outweighs any one parent's travel."""
    return 1 + max(built.travel.values(), default=0)


def solve(built: Built, options: PlanOptions) -> Solved:
    m = built.model
    out = Solved(SolveStatus.OPTIMAL)
    if built.worst_share is not None:
        # Stage 1: waits even out.
        m.minimize(built.worst_share)
        solver = _solver(options)
        status = _STATUS.get(solver.solve(m), SolveStatus.UNKNOWN)
        if status not in FOUND:
            return Solved(status)
        out.status = status
        best = int(solver.value(built.worst_share))
        m.add(built.worst_share <= best)
        _hint(m, solver)
    # Stage 2: fewest unserved, then least travel.
    m.minimize(unserved_weight(built) * built.unserved + built.travel_total)
    solver = _solver(options)
    status = _STATUS.get(solver.solve(m), SolveStatus.UNKNOWN)
    if status not in FOUND:
        return Solved(status)
    if status is SolveStatus.FEASIBLE:
        out.status = status
    out.run = {k: int(solver.value(v)) for k, v in enumerate(built.run) if solver.value(v)}
    out.flow = {key: int(solver.value(v)) for key, v in built.flow.items() if solver.value(v)}
    if built.worst_share is not None:
        out.worst_share = int(solver.value(built.worst_share))
    return out


def _hint(m: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    m.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(m.proto.variables)):
        var = m.get_int_var_from_proto_index(index)
        m.add_hint(var, solver.value(var))


def _solver(options: PlanOptions) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # one worker: the same plan whatever the machine
    solver.parameters.random_seed = options.random_seed
    # Every constraint in the linear relaxation, with cuts: a demo-city plan without travel
    # was proven optimal in 1.5 s of CPU with it, and was still unproven after 7 s without.
    solver.parameters.linearization_level = 2
    solver.parameters.max_time_in_seconds = options.time_limit_s
    solver.parameters.max_deterministic_time = options.deterministic_limit
    return solver
