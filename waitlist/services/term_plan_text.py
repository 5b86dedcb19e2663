"""A term plan in words, in Swedish or English, built only from its facts: per district and
programme the groups before and after, the projected median wait before and after, and the
parents behind it; per planned cell the groups, language, time of day and whom they serve.
Numbers go through Babel ("14", "1 234", "8,5"); districts sort in Swedish order."""

from __future__ import annotations

from dataclasses import dataclass

from solver.planning import Effect, PlannedCell
from waitlist.domain.collation import swedish_key
from waitlist.reasons import SLOTS, language_name, number
from waitlist.services.term_planning import PlannedTerm
from waitlist.translations import translations


@dataclass(frozen=True)
class EffectLine:
    district: str  # display name
    programme: str
    change: int  # groups after - groups before
    text: str


def weeks(value: float | None, lang: str) -> str:
    _ = translations(lang).gettext
    if value is None:
        return _("no seat within reach")
    return translations(lang).ngettext("%(num)s week", "%(num)s weeks", round(value)) % {
        "num": number(round(value), lang)
    }


def effect_text(e: Effect, planned: PlannedTerm, lang: str) -> str:
    t = translations(lang)
    _, ngettext = t.gettext, t.ngettext
    change = e.groups_after - e.groups_before
    groups = ngettext("%(sign)s%(num)s group", "%(sign)s%(num)s groups", abs(change)) % {
        "sign": "+" if change > 0 else ("−" if change < 0 else "±"),
        "num": number(abs(change), lang),
    }
    names = {
        "district": planned.district_names.get(e.district, e.district),
        "programme": planned.programme_names.get(e.programme, e.programme),
        "groups": groups,
        "before": number(e.groups_before, lang),
        "after": number(e.groups_after, lang),
    }
    if e.waiting + e.arriving == 0:
        return (
            _(
                "%(district)s %(programme)s: %(groups)s (%(before)s → %(after)s); no parent is "
                "waiting or expected to apply."
            )
            % names
        )
    text = _(
        "%(district)s %(programme)s: %(groups)s (%(before)s → %(after)s), projected median "
        "wait %(wait_before)s → %(wait_after)s; %(waiting)s waiting now, %(arriving)s expected "
        "to apply."
    ) % {
        **names,
        "wait_before": weeks(e.wait_before, lang),
        "wait_after": weeks(e.wait_after, lang),
        "waiting": number(e.waiting, lang),
        "arriving": number(e.arriving, lang),
    }
    if e.short_before:
        text += " " + ngettext(
            "In the usual plan %(num)s group here would not reach its minimum size.",
            "In the usual plan %(num)s groups here would not reach their minimum size.",
            e.short_before,
        ) % {"num": number(e.short_before, lang)}
    return text


def effect_lines(planned: PlannedTerm, lang: str, district: str | None = None) -> list[EffectLine]:
    """One line per district and programme whose groups or waits change, districts in Swedish
    order, then programmes by name (`district`: that district's lines only)."""
    out = []
    for e in planned.plan.effects:
        if district is not None and e.district != district:
            continue
        if e.groups_before == e.groups_after and e.wait_before == e.wait_after:
            continue
        out.append(
            EffectLine(
                district=planned.district_names.get(e.district, e.district),
                programme=planned.programme_names.get(e.programme, e.programme),
                change=e.groups_after - e.groups_before,
                text=effect_text(e, planned, lang),
            )
        )
    return sorted(out, key=lambda line: (swedish_key(line.district), line.programme))


def cell_text(cell: PlannedCell, planned: PlannedTerm, lang: str) -> str:
    t = translations(lang)
    _, ngettext = t.gettext, t.ngettext
    names = planned.district_names
    homes = ", ".join(
        f"{names.get(d, d)} {number(n, lang)}"
        for d, n in sorted(
            cell.by_home.items(), key=lambda kv: swedish_key(names.get(kv[0], kv[0]))
        )
    )
    return ngettext(
        "%(num)s %(programme)s group in %(language)s in %(district)s, %(slot)s: about "
        "%(parents)s parents (%(homes)s).",
        "%(num)s %(programme)s groups in %(language)s in %(district)s, %(slot)s: about "
        "%(parents)s parents (%(homes)s).",
        cell.groups,
    ) % {
        "num": number(cell.groups, lang),
        "programme": planned.programme_names.get(cell.programme, cell.programme),
        "language": language_name(cell.language, lang),
        "district": names.get(cell.district, cell.district),
        "slot": _(SLOTS.get(cell.slot, cell.slot)),
        "parents": number(cell.parents, lang),
        "homes": homes,
    }


def cell_lines(planned: PlannedTerm, lang: str, district: str | None = None) -> list[str]:
    """The groups to plan (`district`: those held there or taking its parents)."""
    names = planned.district_names
    cells = sorted(
        (
            c
            for c in planned.plan.cells
            if district is None or c.district == district or c.by_home.get(district)
        ),
        key=lambda c: (swedish_key(names.get(c.district, c.district)), c.programme, c.language),
    )
    return [cell_text(c, planned, lang) for c in cells]
