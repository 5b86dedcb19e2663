"""The installation's secret: made by `waitlist init`, readable by its owner only, refused
when anyone could know it, and rotated without logging anyone out mid-task."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support.deployment import ROOT, cli, deploy, deployment_env, free_port, log_in, serving
from waitlist.config import Settings
from waitlist.signing_key import DEMO_KEY

OLD_BUILT_IN = "change-me-in-production-this-is-only-for-the-demo"
A_TEST_KEY = "a-test-secret-that-is-long-enough-for-hmac-sha256"  # tests/unit uses it


def test_init_writes_a_random_key_only_its_owner_can_read_and_keeps_it(database_url, tmp_path):
    deployment = deploy(tmp_path / "site", database_url)
    key = deployment.key_file.read_text().strip()
    assert len(key) >= 32
    assert stat.S_IMODE(deployment.key_file.stat().st_mode) == 0o600
    again = cli("init", env=deployment.env, cwd=deployment.folder)
    assert again.returncode == 0, again.stderr
    assert deployment.key_file.read_text().strip() == key
    other = deploy(tmp_path / "other", "sqlite")
    assert other.key_file.read_text().strip() != key


@pytest.mark.parametrize("key", [OLD_BUILT_IN, DEMO_KEY, A_TEST_KEY, "short-key", ""])
def test_serve_refuses_a_key_anyone_could_know(key, tmp_path):
    env = deployment_env(f"sqlite:///{tmp_path / 'w.db'}", WAITLIST_SECRET_KEY=key)
    cli("init", env=env, cwd=tmp_path)
    if not key:
        (tmp_path / "secret_key").unlink()  # the key init wrote: none is left
    port = str(free_port())
    done = cli("serve", "--host", "127.0.0.1", "--port", port, env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: refusing to serve")
    assert len(done.stderr.strip().splitlines()) == 1


def test_uvicorn_refuses_to_load_the_app_with_the_old_built_in_key(tmp_path):
    env = deployment_env(f"sqlite:///{tmp_path / 'w.db'}", WAITLIST_SECRET_KEY=OLD_BUILT_IN)
    port = str(free_port())
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--port", port]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "published in the source code" in done.stderr


def test_a_key_file_others_can_read_is_refused(tmp_path):
    deployment = deploy(tmp_path / "site", "sqlite")
    deployment.key_file.chmod(0o644)
    port = str(free_port())
    done = cli("serve", "--port", port, env=deployment.env, cwd=deployment.folder)
    assert done.returncode == 2
    assert "readable by others" in done.stderr


def test_demo_mode_serves_a_weak_key_on_loopback_only(tmp_path):
    deployment = deploy(tmp_path / "site", "sqlite")
    deployment.key_file.unlink()
    demo = {"WAITLIST_DEMO_MODE": "true"}
    port = str(free_port())
    refused = cli(
        "serve", "--host", "0.0.0.0", "--port", port, env=deployment.env | demo, cwd=tmp_path
    )
    assert refused.returncode == 2
    assert "demo mode serves only on 127.0.0.1" in refused.stderr
    with serving(deployment, **demo) as base:
        assert httpx.get(f"{base}/health", timeout=120).status_code == 200


def test_after_rotation_the_previous_key_verifies_until_its_deadline(tmp_path):
    deployment = deploy(tmp_path / "site", "sqlite")
    with serving(deployment) as base, httpx.Client(base_url=base, timeout=120) as client:
        token = log_in(client, "manager")
    rotated = cli("rotate-key", "--grace-minutes", "30", env=deployment.env, cwd=deployment.folder)
    assert rotated.returncode == 0, rotated.stderr
    with serving(deployment) as base, httpx.Client(base_url=base, timeout=120) as client:
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200  # signed with the previous key, inside the grace time
        fresh = log_in(client, "manager")
    settings = Settings(
        database_url=deployment.database_url, secret_file=str(deployment.key_file), secret_key=""
    )
    previous = settings.previous_secret_key
    assert previous and previous != settings.secret_key
    later = datetime.now(UTC) + timedelta(minutes=31)
    assert settings.verification_keys() == (settings.secret_key, previous)
    assert settings.verification_keys(later) == (settings.secret_key,)
    assert fresh != token
