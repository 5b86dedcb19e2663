"""The latest what-if simulation report at /management/simulation: management only, shown
inside the site's layout (header, menu, language switch, <main>) under the management pages'
policy, its tables and charts whole and nothing of its own <head> or any script; the report
file as written keeps a policy of its own; without a report, a page in the reader's language
says how to make one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.routes.management_simulation import SUGGESTED_COMMAND, report_policy
from api.security import SESSION_COOKIE
from tests.support.api import api_client, build_city, login
from tests.support.simulation_city import two_policies_two_weeks
from waitlist.simulation import report as simulation_report


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real report (two weeks of the demo calibration, two policies)."""
    run = two_policies_two_weeks()
    out = tmp_path_factory.mktemp("simulation")
    return simulation_report.write_report(run, out, command="waitlist simulate --weeks 2").html


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    city = build_city(f"sqlite:///{tmp_path_factory.mktemp('db') / 'waitlist.db'}")
    yield city
    city.engine.dispose()


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder of registered reports, in place of var/simulations."""
    monkeypatch.setattr(simulation_report, "REPORTS_DIR", tmp_path)
    return tmp_path


def _register(reports: Path, html: Path) -> None:
    pointer = {"report": str(html), "seed": 3, "weeks": 2}
    (reports / simulation_report.LATEST).write_text(json.dumps(pointer), "utf-8")


def _client(city, username: str | None) -> TestClient:  # noqa: ANN001
    client = api_client(city)
    if username:
        client.cookies.set(SESSION_COOKIE, login(client, username))
    return client


@pytest.mark.slow  # a real two-week simulation report
def test_management_sees_the_latest_report_inside_the_sites_layout(
    city,  # noqa: ANN001
    reports,  # noqa: ANN001
    report_html,  # noqa: ANN001
) -> None:
    _register(reports, report_html)
    response = _client(city, "manager").get("/management/simulation?lang=en")
    assert response.status_code == 200
    page = response.text
    assert '<meta name="viewport"' in page and '<main id="main"' in page
    assert 'class="lang-switch"' in page and 'action="/management/logout"' in page
    assert page.count("<html") == 1 and page.count("<body") == 1
    assert "<h2>Waiting time per district</h2>" in page
    assert page.count("data:image/png;base64,") == 2  # both charts
    # Every table scrolls sideways in a region a keyboard can reach.
    assert page.count("<table") == page.count('<div class="table-wrap" tabindex="0" role="region"')
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "img-src 'self' data:" in policy
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.slow  # a real two-week simulation report
def test_the_report_file_as_written_keeps_a_policy_of_its_own(report_html) -> None:  # noqa: ANN001
    policy = report_policy(report_html.read_text("utf-8"))
    assert "default-src 'none'" in policy and "img-src data:" in policy
    assert "unsafe-inline" not in policy and "script-src" not in policy
    assert "'sha256-" in policy


def test_a_script_or_head_in_a_report_file_does_not_reach_the_page(city, reports, tmp_path) -> None:  # noqa: ANN001
    html = (
        "<!doctype html><html><head><title>x</title><script>alert(1)</script></head>"
        "<body><h1>What-if simulation</h1><script>alert(2)</script><table><tr><td>1</td></tr>"
        "</table></body></html>"
    )
    (tmp_path / "report.html").write_text(html, "utf-8")
    _register(reports, tmp_path / "report.html")
    page = _client(city, "manager").get("/management/simulation?lang=en").text
    assert "alert(" not in page
    assert "<h1>What-if simulation</h1>" in page


@pytest.mark.slow  # a real two-week simulation report
def test_the_report_is_served_in_the_language_of_the_session(city, reports, report_html) -> None:  # noqa: ANN001
    _register(reports, report_html)
    client = _client(city, "manager")
    swedish = client.get("/management/simulation")  # Swedish is the default
    assert "<h2>Väntetid per stadsdel</h2>" in swedish.text
    assert '<html lang="sv"' in swedish.text and "Reglerna jämförda" in swedish.text
    english = client.get("/management/simulation?lang=en")
    assert "<h2>Waiting time per district</h2>" in english.text
    # The choice sticks for the session, as on the other pages.
    assert "<h2>Waiting time per district</h2>" in client.get("/management/simulation").text
    assert "<h2>Väntetid per stadsdel</h2>" in client.get("/management/simulation?lang=sv").text


def test_an_older_english_only_report_is_served_to_a_swedish_reader(
    city,  # noqa: ANN001
    reports,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    html = "<!doctype html><html lang=en><style>p{}</style><h1>What-if simulation</h1></html>"
    (tmp_path / "report.html").write_text(html, "utf-8")
    _register(reports, tmp_path / "report.html")
    response = _client(city, "manager").get("/management/simulation?lang=sv")
    assert response.status_code == 200 and "<h1>What-if simulation</h1>" in response.text
    assert "p{}" not in response.text  # its own styles stay out of the site's page


@pytest.mark.slow  # a real two-week simulation report
def test_the_dashboard_links_to_the_simulation(city, reports, report_html) -> None:  # noqa: ANN001
    client = _client(city, "manager")
    assert 'href="/management/simulation"' in client.get("/management?lang=en").text
    _register(reports, report_html)
    page = client.get("/management?lang=en").text
    assert "The latest what-if simulation" in page


def test_without_a_report_the_page_says_how_to_make_one_in_swedish_or_english(
    city,  # noqa: ANN001
    reports,  # noqa: ANN001
) -> None:
    client = _client(city, "manager")
    swedish = client.get("/management/simulation")
    assert swedish.status_code == 200
    assert "Ingen simuleringsrapport har gjorts ännu." in swedish.text
    assert SUGGESTED_COMMAND in swedish.text
    english = client.get("/management/simulation?lang=en")
    assert "No simulation report has been made yet." in english.text
    assert "script-src 'self'" in english.headers["content-security-policy"]


def test_a_registered_report_that_was_deleted_counts_as_none(city, reports, tmp_path) -> None:  # noqa: ANN001
    _register(reports, tmp_path / "gone" / "report.html")
    response = _client(city, "manager").get("/management/simulation?lang=en")
    assert response.status_code == 200 and "No simulation report" in response.text


@pytest.mark.slow  # a real two-week simulation report
def test_a_coordinator_is_refused_and_an_anonymous_visitor_sent_to_log_in(
    city,  # noqa: ANN001
    reports,  # noqa: ANN001
    report_html,  # noqa: ANN001
) -> None:
    _register(reports, report_html)
    for lang in ("sv", "en"):
        refused = _client(city, "coord-home").get(f"/management/simulation?lang={lang}")
        assert refused.status_code == 403
        assert "data:image/png" not in refused.text
        assert "What-if simulation" not in refused.text and "Väntetid per" not in refused.text
    anonymous = _client(city, None).get("/management/simulation", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/management/login"


@pytest.mark.browser
def test_the_report_renders_whole_under_its_policy_in_chromium(chromium, report_html) -> None:  # noqa: ANN001
    html = report_html.read_text("utf-8")

    def look(policy: str) -> tuple[list[str], str, list[int]]:
        context = chromium.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route(
            "http://report.test/",
            lambda route: route.fulfill(
                status=200,
                body=html,
                headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            ),
        )
        page.goto("http://report.test/")
        header = page.eval_on_selector("thead th", "e => getComputedStyle(e).backgroundColor")
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        context.close()
        return errors, header, widths

    errors, header, widths = look(report_policy(html))
    assert errors == []
    assert header == "rgb(242, 242, 242)"  # the report's own stylesheet applied
    assert len(widths) == 2 and all(w > 100 for w in widths)  # both charts shown
    # The check can fail: a policy without the stylesheet's hash blocks it.
    blocked_errors, blocked_header, _ = look("default-src 'none'; img-src data:")
    assert blocked_header != "rgb(242, 242, 242)" and blocked_errors
