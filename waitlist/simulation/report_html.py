"""The HTML page of a simulation report, in one language: tables, embedded charts, how to
reproduce.

Its words come from the gettext catalogues (`waitlist.translations`), like the web pages';
the template is `templates/report.html`. The page holds no script, only its own <style>.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape

from waitlist.translations import gettext_for

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True),
)


def number_text(value: Any, lang: str = "en") -> str:
    """A figure as the report shows it: two decimals below ten, one above, in the language's
    notation (Swedish: decimal comma); none as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        pattern = "0.00" if abs(value) < 10 else "0.0"
        return format_decimal(value, format=pattern, locale=lang)
    return str(value)


def render_html(
    data: dict[str, Any],
    images: dict[str, str],
    names: dict[str, str],
    columns: tuple[tuple[str, str], ...],
    lang: str = "en",
) -> str:
    """The report page in `lang`; `columns` are the summary keys with their (translated) titles."""
    _ = gettext_for(lang)
    first = data["policies"][0]["by_district"] if data["policies"] else {}
    districts = sorted(first, key=lambda d: -(first[d]["median_wait_weeks"] or 0.0))
    return _ENV.get_template("report.html").render(
        lang=lang,
        _=_,
        # Built-in policies' labels are in the catalogues; a policy file's own label is not,
        # and comes back unchanged.
        label=lambda text: _(text) if text else text,
        data=data,
        images=images,
        names=names,
        columns=columns,
        districts=districts,
        fmt=lambda value: number_text(value, lang),
        fmt_date=lambda iso: format_date(date.fromisoformat(iso), format="long", locale=lang),
        dump=lambda obj: json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False),
    )
