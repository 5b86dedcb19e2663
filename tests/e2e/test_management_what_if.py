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
