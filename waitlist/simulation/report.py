"""Report of a run: results JSON, PNG charts and a self-contained HTML page, each page and
its charts in English and in Swedish.

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
from waitlist.translations import Gettext, gettext_for

FORMAT = "waitlist-simulation/1"
REPORTS_DIR = Path("var") / "simulations"
LATEST = "latest.json"
# The report in each language, side by side: report.html stays the English one it always was.
PAGES = {"en": "report.html", "sv": "report.sv.html"}


def table_columns(_: Gettext) -> tuple[tuple[str, str], ...]:
    """The summary figures compared in the report's first table, with their titles."""
    return (
        ("placed", _("Placed")),
        ("waiting", _("Still waiting")),
        ("withdrawn", _("Withdrawn applications")),
        ("expired", _("Expired applications")),
        ("median_wait_weeks", _("Median wait (weeks)")),
        ("mean_wait_weeks", _("Mean wait (weeks)")),
        ("p90_wait_weeks", _("P90 wait (weeks)")),
        ("max_min_ratio", _("Max/min of district medians")),
        ("metrics_median_wait_ratio", _("Max/min of district medians, management metrics")),
        (
            "metrics_share_within_target_gap",
            _("Gap in share within target, management metrics"),
        ),
        ("share_within_target", _("Share within target")),
        ("groups_started", _("Groups started")),
        ("groups_cancelled", _("Groups cancelled")),
        ("groups_recommended", _("Groups opened from recommendations")),
        ("cross_district_placements", _("Cross-district placements")),
        ("mean_cross_district_travel_minutes", _("Mean cross-district travel (min)")),
    )


CHARTS = ("simulation_waits.png", "simulation_equality.png")


@dataclass(frozen=True)
class ReportFiles:
    html: Path  # the English page
    results: Path
    charts: tuple[Path, ...]  # the English charts
    pages: dict[str, Path]  # the page in each language


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
                "summary": {k: v for k, v in s.items() if k not in ("by_district", "estimates")},
                "estimates": s["estimates"],
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
    """Write results.json, then the PNG charts and the HTML page in each language
    (report.html in English, report.sv.html in Swedish) into out_dir."""
    from waitlist.simulation.charts import equality_chart, waits_chart
    from waitlist.simulation.report_html import render_html

    out_dir.mkdir(parents=True, exist_ok=True)
    data = results_dict(run, command)
    results = out_dir / "results.json"
    results.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8"
    )
    names = {d.slug: d.name for d in run.calibration.districts}
    pages: dict[str, Path] = {}
    charts: dict[str, tuple[Path, Path]] = {}
    for lang, page in PAGES.items():
        _ = gettext_for(lang)
        waits, equality = (out_dir / _chart_name(name, lang) for name in CHARTS)
        waits_chart(run, waits, _, lang)
        equality_chart(run, equality, _, lang)
        images = {
            name: base64.b64encode(p.read_bytes()).decode("ascii")
            for name, p in zip(CHARTS, (waits, equality), strict=True)
        }
        pages[lang] = out_dir / page
        html = render_html(data, images, names, table_columns(_), lang)
        pages[lang].write_text(html, "utf-8")
        charts[lang] = (waits, equality)
    if register:
        REPORTS_DIR.mkdir(parents=True, exist_ok=True)
        english = pages["en"].resolve()
        pointer = {"report": str(english), "seed": run.seed, "weeks": run.weeks}
        (REPORTS_DIR / LATEST).write_text(json.dumps(pointer, sort_keys=True) + "\n", "utf-8")
    return ReportFiles(pages["en"], results, charts["en"], pages)


def _chart_name(name: str, lang: str) -> str:
    """simulation_waits.png in English, simulation_waits.sv.png in Swedish."""
    stem, dot, suffix = name.rpartition(".")
    return name if lang == "en" else f"{stem}.{lang}{dot}{suffix}"


def latest_report(reports_dir: Path | None = None, lang: str = "en") -> Path | None:
    """Path of the latest registered report page in `lang`, else in the other language (an
    older report has only the English page), or None when none exists (any more)."""
    pointer = (reports_dir or REPORTS_DIR) / LATEST
    try:
        path = Path(json.loads(pointer.read_text("utf-8"))["report"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    wanted = [PAGES[lang]] if lang in PAGES else []
    for name in wanted + [p for p in PAGES.values() if p not in wanted]:
        page = path.with_name(name)
        if page.is_file():
            return page
    return None
