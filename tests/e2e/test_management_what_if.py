"""What-if runs from the management simulation page (HTTP, SQLite, no browser): choosing a
built-in policy or uploading a policy file queues a run, a worker runs it with its progress in
rounds, the run's page and the table of recent runs show the figures beside the status quo;
a bad upload is named next to its field and queues nothing."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from tests.support.api import CSRF, api_client, build_city, form_login
from waitlist.services import simulation_jobs
from waitlist.storage.tables import SimulationJob


@pytest.fixture
def desk(tmp_path):
    city = build_city(f"sqlite:///{tmp_path / 'waitlist.db'}")
    client = api_client(city)
    client.cookies.set("lang", "en")
    form_login(client, "/management", "manager")
    yield client, city
    city.engine.dispose()


def _start(client, data: dict, files: dict | None = None):
    token = CSRF.search(client.get("/management/simulation").text).group(1)
    return client.post(
        "/management/simulation/runs",
        data={"csrf_token": token, **data},
        files=files,
        follow_redirects=False,
    )


def _jobs(city) -> list[SimulationJob]:
    with Session(city.engine) as session:
        return list(session.exec(select(SimulationJob)).all())


@pytest.mark.slow  # a whole what-if simulation
def test_an_uploaded_policy_runs_in_the_background_and_its_figures_are_compared(desk):
    client, city = desk
    policy = {"name": "short-threshold", "label": "After 4 weeks", "cross_district_after_weeks": 4}
    files = {"policy_file": ("short.json", json.dumps(policy).encode(), "application/json")}
    response = _start(client, {"policy": "upload", "weeks": "2", "seed": "7"}, files)
    assert response.status_code == 303
    run_url = response.headers["location"]
    page = client.get(run_url).text
    assert "Waiting for a free worker" in page and 'data-job-progress="' in page
    assert "Check again" in page  # the refresh without JavaScript

    assert simulation_jobs.run_next(city.engine, "test-worker") is not None
    progress = client.get(run_url + "/progress").json()
    assert progress["finished"] and progress["rounds_done"] == progress["rounds_total"] == 4

    page = client.get(run_url).text
    assert "The simulation is finished." in page and "data-job-progress" not in page
    assert "Headline figures" in page and "After 4 weeks" in page
    listing = client.get("/management/simulation").text
    assert "Recent what-if runs" in listing and f'href="{run_url}"' in listing
    assert "Finished" in listing


def test_the_best_measured_policy_is_offered_and_chosen_first(desk):
    client, city = desk
    page = client.get("/management/simulation").text
    assert 'value="queue-starts" checked' in page
    assert "5 Groups where the queue is, at times its parents can come" in page
    response = _start(client, {"policy": "queue-starts", "weeks": "3", "seed": "1"})
    assert response.status_code == 303
    (job,) = _jobs(city)
    assert job.policy["planned_slot"] == "queue" and job.policy["cancelled_leader_weeks"] == 6


def test_a_built_in_policy_can_be_chosen(desk):
    client, city = desk
    response = _start(client, {"policy": "term-plan", "weeks": "3", "seed": "1"})
    assert response.status_code == 303
    (job,) = _jobs(city)
    assert job.policy["group_starts"] == "term_plan" and (job.weeks, job.seed) == (3, 1)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{not json", "is not JSON"),
        (json.dumps({"name": "x", "placement": "teleport"}).encode(), "placement"),
        (json.dumps({"name": "x", "min_size": {"nosuch": 3}}).encode(), "min_size.nosuch"),
        (json.dumps({"name": "x", "speed": 3}).encode(), "speed: unknown key"),
    ],
)
def test_a_bad_upload_is_named_next_to_its_field_and_queues_nothing(desk, content, said):
    client, city = desk
    files = {"policy_file": ("p.json", content, "application/json")}
    response = _start(client, {"policy": "upload", "weeks": "52", "seed": "2026"}, files)
    assert response.status_code == 422
    assert 'id="error-policy_file"' in response.text and said in response.text
    assert 'href="#field-policy_file"' in response.text
    assert _jobs(city) == []


def test_weeks_out_of_range_are_named(desk):
    client, city = desk
    response = _start(client, {"policy": "cross-district", "weeks": "500", "seed": "1"})
    assert response.status_code == 422 and 'id="error-weeks"' in response.text
    assert _jobs(city) == []


def test_only_management_may_start_a_run(desk):
    client, city = desk
    client.cookies.clear()
    response = client.post("/management/simulation/runs", data={"policy": "cross-district"})
    assert response.status_code in (303, 403)
    assert _jobs(city) == []


HISTORY = {"policy": "queue-starts", "weeks": "52", "seed": "1"}


def _history(city, parents: int, weeks_ago: int) -> None:
    """`parents` Komet applications in the home district, queued `weeks_ago` weeks ago, and
    the home district's Komet group starting a week ago (arranged in the database)."""
    from datetime import date, timedelta

    from tests.support.api import application_body
    from waitlist.services import applications
    from waitlist.storage.tables import Application, Group

    ids = [
        applications.apply(city.uow(), application_body(cross_district=False)).application.id
        for _ in range(parents)
    ]
    with Session(city.engine) as session:
        for app_id in ids:
            app = session.get(Application, app_id)
            app.queue_date = date.today() - timedelta(weeks=weeks_ago)
            session.add(app)
        group = session.get(Group, city.groups["home"])
        group.start = date.today() - timedelta(weeks=1)
        session.add(group)
        session.commit()


def test_a_what_if_can_replay_this_databases_own_applications(desk):
    client, city = desk
    page = client.get("/management/simulation").text
    assert 'value="demo" checked' in page and "Your own applications" in page
    _history(city, parents=3, weeks_ago=3)
    response = _start(client, {**HISTORY, "source": "history"})
    assert response.status_code == 303, response.text
    (job,) = _jobs(city)
    assert job.source == "history"
    assert simulation_jobs.run_next(city.engine, "test-worker") == job.id
    (job,) = _jobs(city)
    assert job.state == "done", job.error
    # From the Monday before the first queue date to today, not the 52 weeks asked for.
    assert job.weeks in (4, 5) and job.rounds_done == job.rounds_total == 2 * job.weeks
    for figures in job.figures["policies"]:  # the three parents, under each policy
        assert figures["placed"] + figures["waiting"] == 3
    assert any(f["placed"] for f in job.figures["policies"])  # the home group seated someone
    run_page = client.get(response.headers["location"]).text
    assert "on your own applications and groups as this database holds them" in run_page
    assert "your own applications" in client.get("/management/simulation").text


def test_replaying_an_empty_database_or_an_unknown_source_is_named(desk):
    client, city = desk
    empty = _start(client, {**HISTORY, "source": "history"})
    assert empty.status_code == 422
    assert "This database holds no applications to replay yet." in empty.text
    odd = _start(client, {**HISTORY, "source": "elsewhere"})
    assert odd.status_code == 422 and "Choose the applications to simulate." in odd.text
    assert _jobs(city) == []
