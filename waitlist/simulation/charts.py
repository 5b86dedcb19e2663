"""PNG charts of a run (matplotlib, Agg backend), byte-identical for identical runs.

Titles, axis labels and legends are in the language of the report they go into (`_` is its
gettext); tick numbers take the language's decimal sign.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axis import Axis  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from waitlist.simulation.run import SimulationRun  # noqa: E402
from waitlist.translations import Gettext  # noqa: E402

# No timestamps or versions inside the files: same run, same bytes.
_META = {"Software": None, "Creation Time": None}
_COLOURS = ["#7f7f7f", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]


def _save(fig: plt.Figure, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=100, metadata=_META)
    plt.close(fig)


def _english(message: str) -> str:
    return message


def _label(_: Gettext, text: str) -> str:
    """A policy's label: built-in ones are in the catalogues, a policy file's own is kept."""
    return _(text) if text else text


def _decimal_ticks(lang: str, *axes: Axis) -> None:
    """Numbered axes with a decimal comma in Swedish."""
    if lang == "sv":
        comma = FuncFormatter(lambda value, _pos: f"{value:g}".replace(".", ",").replace("-", "−"))
        for axis in axes:
            axis.set_major_formatter(comma)


def waits_chart(run: SimulationRun, path: Path, _: Gettext = _english, lang: str = "en") -> None:
    """Median wait per district per policy (bars), P90 as a tick on each bar."""
    names = {d.slug: d.name for d in run.calibration.districts}
    first = run.outcomes[0].summary["by_district"]
    districts = sorted(first, key=lambda d: -(first[d]["median_wait_weeks"] or 0.0))
    n = len(run.outcomes)
    height = 0.8 / n
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(districts) + 1.8))
    for i, outcome in enumerate(run.outcomes):
        by = outcome.summary["by_district"]
        ys = [k + i * height for k in range(len(districts))]
        medians = [by[d]["median_wait_weeks"] or 0.0 for d in districts]
        p90s = [by[d]["p90_wait_weeks"] or 0.0 for d in districts]
        colour = _COLOURS[i % len(_COLOURS)]
        ax.barh(ys, medians, height=height, color=colour, label=_label(_, outcome.spec.label))
        ax.scatter(p90s, ys, marker="|", s=60, color=colour)
    ax.set_yticks([k + 0.4 - height / 2 for k in range(len(districts))])
    ax.set_yticklabels([names.get(d, d) for d in districts])
    ax.invert_yaxis()
    _decimal_ticks(lang, ax.xaxis)  # the y axis names the districts
    ax.set_xlabel(_("Weeks waited: bar = median, tick = 90th percentile"))
    ax.set_title(
        _("Waiting time per district, %(weeks)d weekly rounds (seed %(seed)d)")
        % {"weeks": run.weeks, "seed": run.seed}
    )
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)


def equality_chart(run: SimulationRun, path: Path, _: Gettext = _english, lang: str = "en") -> None:
    """Max/min ratio of district median waits (last quarter and everyone waiting), per week."""
    fig, ax = plt.subplots(figsize=(9, 4))
    for i, outcome in enumerate(run.outcomes):
        xs = [h.week - run.calibration.warmup_weeks + 1 for h in outcome.history]
        ys = [
            h.equality_ratio if h.equality_ratio is not None else float("nan")
            for h in outcome.history
        ]
        ax.plot(xs, ys, color=_COLOURS[i % len(_COLOURS)], label=_label(_, outcome.spec.label))
    ax.axhline(1.0, color="black", linewidth=0.5)
    _decimal_ticks(lang, ax.xaxis, ax.yaxis)
    ax.set_xlabel(_("Week"))
    ax.set_ylabel(_("Max / min of district median waits"))
    ax.set_title(_("Equality between districts over the weeks (1 = equal)"))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    _save(fig, path)
