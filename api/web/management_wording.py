"""Words and numbers of the management pages in the reader's language.

The charts are drawn in the browser (api/static/management/management.js), but every word on
them is translated here, through the same gettext catalogues as the pages, and travels in the
page's data JSON: the script holds no text of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import format_decimal

from waitlist.metrics.readable import Wording

Gettext = Callable[[str], str]


def hidden_text(_: Gettext, small_cell_min: int) -> str:
    """What a hidden figure means, said the same way in the charts' legends and the tables.
    (It never says which of the two reasons applies: that would give the small count away.)"""
    return _("Not shown: fewer than %(min)d people, or it would reveal such a figure") % {
        "min": small_cell_min
    }


def chart_labels(
    _: Gettext, lang: str, target_weeks: int, small_cell_min: int = 5
) -> dict[str, str]:
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
        "hidden": _("Not shown (fewer than %(min)d)") % {"min": small_cell_min},
        "hidden_hover": hidden_text(_, small_cell_min),
        "separators": ",\u00a0" if lang == "sv" else ".,",
    }


def number_formatter(lang: str) -> Callable[..., str]:
    """`fmt_num(value, digits=2)`: a figure with at most `digits` decimals, in the language's
    notation (Swedish: decimal comma, a space between thousands)."""

    def fmt_num(value: float | int, digits: int = 2) -> str:
        pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
        return format_decimal(value, format=pattern, locale=lang)

    return fmt_num


def export_wording(
    _: Gettext, districts: dict[str, str], programmes: dict[str, str], small_cell_min: int
) -> Wording:
    """The page's headings for its downloads (waitlist.metrics.readable)."""
    headings = {
        "period": _("Quarter"),
        "district": _("District"),
        "programme": _("Programme"),
        "offer_wait_system_median_days": _("Median wait to a first offer (weeks)"),
        "offer_wait_system_p90_days": _("90th percentile wait to a first offer (weeks)"),
        "share_within_target": _("Offered within target (%)"),
        "waiting": _("Waiting at quarter end"),
        "open_age_system_median_days": _("Median age of open applications (weeks)"),
        "new_applications": _("New applications"),
        "offered": _("First offers"),
        "started": _("Parents whose group started"),
        "start_wait_system_median_days": _("Median wait to group start (weeks)"),
        "placed_in": _("Placed in (from other districts)"),
        "placed_out": _("Placed out (to other districts)"),
        "groups_started": _("Groups started"),
        "groups_cancelled_too_few": _("Groups cancelled (too few)"),
        "hidden": _("Not shown (fewer than %(min)d)") % {"min": small_cell_min},
        "from": _("From (home)"),
        "to": _("To (host)"),
        "placements": _("Placements"),
    }
    return Wording(
        headings=headings,
        districts=districts,
        programmes=programmes,
        whole_city=_("The whole city"),
        all_programmes=_("All programmes"),
        sheet_figures=_("Figures"),
        sheet_flows=_("Between districts"),
        about=(
            _("Waiting times and equality between districts"),
            hidden_text(_, small_cell_min),
            _("Waits the system caused, in weeks. Definitions: docs/metrics.md."),
        ),
    )
