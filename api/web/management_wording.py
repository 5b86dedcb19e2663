"""Words and numbers of the management pages in the reader's language.

The charts are drawn in the browser (api/static/management/management.js), but every word on
them is translated here, through the same gettext catalogues as the pages, and travels in the
page's data JSON: the script holds no text of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import format_decimal

Gettext = Callable[[str], str]


def chart_labels(_: Gettext, lang: str, target_weeks: int) -> dict[str, str]:
    """Titles, axis labels and legend entries of the charts; `separators` is plotly's
    decimal and thousands separators for the language."""
    return {
        "median": _("Median"),
        "p90": _("90th percentile"),
        "target": _("Target %(weeks)d weeks") % {"weeks": target_weeks},
        "weeks_to_offer": _("Weeks to first offer"),
        "within_target": _("Offered within target"),
        "share_axis": _("Share within target (%)"),
        "city_median": _("City median"),
        "city_p90": _("City 90th percentile"),
        "weeks_waited": _("Weeks waited so far"),
        "median_ratio": _("Max/min of medians"),
        "p90_ratio": _("Max/min of 90th percentiles"),
        "cv": _("Coefficient of variation"),
        "ratio_axis": _("Ratio (1 = equal)"),
        "placements": _("Placements"),
        "placed_axis": _("Parents placed (home → host)"),
        "placed_in": _("In (from other districts)"),
        "placed_out": _("Out (to other districts)"),
        "separators": ",\u00a0" if lang == "sv" else ".,",
    }


def number_formatter(lang: str) -> Callable[..., str]:
    """`fmt_num(value, digits=2)`: a figure with at most `digits` decimals, in the language's
    notation (Swedish: decimal comma, a space between thousands)."""

    def fmt_num(value: float | int, digits: int = 2) -> str:
        pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
        return format_decimal(value, format=pattern, locale=lang)

    return fmt_num
