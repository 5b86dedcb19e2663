"""Report of a run: results JSON, PNG charts and one self-contained HTML page.

Everything needed to reproduce the run is recorded: seed, weeks, the calibration as read,
every policy's settings and the command line. The latest report written with `register=True`
is found again by `latest_report()` (the management dashboard links to it).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from waitlist.simulation.run import SimulationRun

FORMAT = "waitlist-simulation/1"
REPORTS_DIR = Path("var") / "simulations"
LATEST = "latest.json"
TABLE_COLUMNS = (
    ("placed", "Placed"),
    ("waiting", "Still waiting"),
    ("withdrawn", "Withdrawn"),
    ("expired", "Expired"),
    ("median_wait_weeks", "Median wait (weeks)"),
    ("p90_wait_weeks", "P90 wait (weeks)"),
    ("max_min_ratio", "Max/min of district medians"),
    ("metrics_median_wait_ratio", "Max/min of district medians, management metrics"),
    ("metrics_share_within_target_gap", "Gap in share within target, management metrics"),
    ("share_within_target", "Share within target"),
    ("groups_started", "Groups started"),
    ("groups_cancelled", "Groups cancelled"),
    ("groups_recommended", "Groups opened from recommendations"),
    ("cross_district_placements", "Cross-district placements"),
    ("mean_cross_district_travel_minutes", "Mean cross-district travel (min)"),
)
CHARTS = ("simulation_waits.png", "simulation_equality.png")


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    results: Path
    charts: tuple[Path, ...]


def results_dict(run: SimulationRun, command: str | None = None) -> dict[str, Any]:
    baseline = run.outcomes[0].summary
    policies = []
    for outcome in run.outcomes:
        s = outcome.summary
        versus = {}
        for key in ("median_wait_weeks", "max_min_ratio", "groups_cancelled", "waiting"):
            base, value = baseline.get(key), s.get(key)
            versus[key] = round(value / base, 3) if base and value is not None else None
        policies.append(
            {
                "policy": outcome.spec.describe(),
                "summary": {k: v for k, v in s.items() if k != "by_district"},
                "versus_first_policy": versus,
                "by_district": s["by_district"],
                "weeks": [
                    {
                        "week": h.week - run.calibration.warmup_weeks + 1,
                        "date": h.day.isoformat(),
                        "waiting": h.waiting,
                        "offers": h.offers,
                        "equality_ratio": None
                        if h.equality_ratio is None
                        else round(h.equality_ratio, 3),
                    }
                    for h in outcome.history
                ],
            }
        )
    return {
        "format": FORMAT,
        "seed": run.seed,
        "weeks": run.weeks,
        "command": command,
        "calibration": run.calibration.source,
        "inputs": {
            "arrivals": run.arrivals,
            "planned_groups": run.planned_groups,
            "cohort": len(run.outcomes[0].cohort) if run.outcomes else 0,
            "warmup_weeks": run.calibration.warmup_weeks,
            "start": run.calibration.start.isoformat(),
        },
        "policies": policies,
    }


def write_report(
    run: SimulationRun, out_dir: Path, *, command: str | None = None, register: bool = False
) -> ReportFiles:
    """Write results.json, the PNG charts and report.html into out_dir."""
    from waitlist.simulation.charts import equality_chart, waits_chart
    from waitlist.simulation.report_html import render_html

    out_dir.mkdir(parents=True, exist_ok=True)
    data = results_dict(run, command)
    results = out_dir / "results.json"
    results.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8"
    )
    waits, equality = (out_dir / name for name in CHARTS)
    waits_chart(run, waits)
    equality_chart(run, equality)
    images = {p.name: base64.b64encode(p.read_bytes()).decode("ascii") for p in (waits, equality)}
    names = {d.slug: d.name for d in run.calibration.districts}
    html = out_dir / "report.html"
    html.write_text(render_html(data, images, names, TABLE_COLUMNS), "utf-8")
    if register:
        REPORTS_DIR.mkdir(parents=True, exist_ok=True)
        pointer = {"report": str(html.resolve()), "seed": run.seed, "weeks": run.weeks}
        (REPORTS_DIR / LATEST).write_text(json.dumps(pointer, sort_keys=True) + "\n", "utf-8")
    return ReportFiles(html, results, (waits, equality))


def latest_report(reports_dir: Path | None = None) -> Path | None:
    """Path of the latest registered report.html, or None when none exists (any more)."""
    pointer = (reports_dir or REPORTS_DIR) / LATEST
    try:
        path = Path(json.loads(pointer.read_text("utf-8"))["report"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return path if path.is_file() else None
