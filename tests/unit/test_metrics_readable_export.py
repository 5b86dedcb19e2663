"""The page's downloads, opened as a reader would (csv and openpyxl): the page's headings in
the reader's language, district names in Swedish order, waits in weeks, numbers as numbers,
and a hidden figure as an empty cell named in the row's flag column."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from api.web import i18n
from api.web.management_wording import export_wording
from waitlist.metrics import readable
from waitlist.metrics.periods import parse_period
from waitlist.metrics.records import ApplicationHistory
from waitlist.metrics.report import Options, build_report

Q1 = parse_period("2026-Q1")
NAMES = {"alvsjo": "Älvsjö", "bromma": "Bromma", "ostermalm": "Östermalm", "farsta": "Farsta"}
PROGRAMMES = {"komet": "Komet"}


def _report():  # noqa: ANN202
    apps = []
    # Bromma: 12 parents offered after 21 days; Farsta: 9 after 35 days; Älvsjö: 2 (hidden).
    for district, n, wait in (("bromma", 12, 21), ("farsta", 9, 35), ("alvsjo", 2, 14)):
        for i in range(n):
            queued = date(2026, 1, 5) + timedelta(days=i)
            apps.append(
                ApplicationHistory("komet", district, queued, "offered", queued + timedelta(wait))
            )
    return build_report(
        apps, [], Q1, Options(small_cell_min=5), districts=NAMES, programmes=PROGRAMMES
    )


@pytest.fixture(params=["sv", "en"])
def words(request):  # noqa: ANN001, ANN201
    return request.param, export_wording(i18n.gettext_for(request.param), NAMES, PROGRAMMES, 5)


def test_the_csv_has_the_pages_headings_names_and_weeks(words):  # noqa: ANN001
    lang, w = words
    rows = list(csv.reader(io.StringIO(readable.to_csv([_report()], w).decode("utf-8-sig"))))
    head = rows[0]
    median = (
        "Medianväntetid till första erbjudande (veckor)"
        if lang == "sv"
        else ("Median wait to a first offer (weeks)")
    )
    assert head[:3] == (["Kvartal", "Stadsdel", "Program"] if lang == "sv" else
                        ["Quarter", "District", "Programme"])  # fmt: skip
    assert median in head
    everyone = [r for r in rows[1:] if r[2] == w.all_programmes]
    # Districts by name in Swedish order, the whole city last; no codes.
    assert [r[1] for r in everyone] == ["Bromma", "Farsta", "Älvsjö", "Östermalm", w.whole_city]
    bromma = dict(zip(head, everyone[0], strict=True))
    assert float(bromma[median]) == 3.0  # 21 days, shown in weeks as on the page
    farsta = dict(zip(head, everyone[1], strict=True))
    # Shown as 5 weeks, or (hidden so Älvsjö's cannot be worked out) empty and flagged.
    assert farsta[median] == "5.0" or (farsta[median] == "" and median in farsta[head[-1]])


def test_the_excel_file_keeps_numbers_numeric_and_flags_hidden_figures(words):  # noqa: ANN001
    _, w = words
    book = load_workbook(io.BytesIO(readable.to_xlsx([_report()], w)))
    sheet = book[w.sheet_figures]
    head = [c.value for c in sheet[1]]
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    median = w.headings["offer_wait_system_median_days"]
    offered = w.headings["offered"]
    flag = w.headings["hidden"]
    for row in rows:
        for column, _kind in readable.COLUMNS:
            value = row[w.headings[column]]
            assert value is None or isinstance(value, int | float), (column, value)
    alvsjo = next(r for r in rows if r[w.headings["district"]] == "Älvsjö" and
                  r[w.headings["programme"]] == w.all_programmes)  # fmt: skip
    assert alvsjo[offered] is None and alvsjo[median] is None  # two people: hidden...
    assert offered in alvsjo[flag] and median in alvsjo[flag]  # ...and said so
    bromma = next(r for r in rows if r[w.headings["district"]] == "Bromma")
    assert bromma[median] == 3.0 and bromma[offered] == 12 and not bromma[flag]
