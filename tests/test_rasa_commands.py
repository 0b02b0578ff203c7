"""Rasa's own commands work from the repository root with the embedded defaults, and the
deployment pair (deploy/) differs from them only by its ${CART_...} settings."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from helpers import ROOT, load_yaml
from scripts.servers import free_port

DEFAULTS = dict(line.split("=", 1) for line in (ROOT / "scripts" / "defaults.env").read_text().splitlines()
                if line and not line.startswith("#"))


def test_the_default_files_need_no_environment_and_match_the_deployment_defaults():
    endpoints, credentials = (ROOT / "endpoints.yml").read_text(), (ROOT / "credentials.yml").read_text()
    assert "${" not in endpoints and "${" not in credentials
    endpoints, credentials = yaml.safe_load(endpoints), yaml.safe_load(credentials)
    assert endpoints["action_endpoint"]["url"] == f"http://localhost:{DEFAULTS['CART_ACTIONS_PORT']}/webhook"
    assert str(endpoints["action_endpoint"]["timeout"]) == DEFAULTS["CART_ACTION_TIMEOUT_S"]
    assert endpoints["tracker_store"]["url"] == DEFAULTS["CART_TRACKER_STORE_URL"]
    assert "lock_store" not in endpoints and DEFAULTS["CART_LOCK_STORE"] == "in_memory"
    origins = credentials["channels.webchat.WebChatInput"]["cors_allowed_origins"]
    assert f"http://{DEFAULTS['CART_HOST']}:{DEFAULTS['CART_WEB_PORT']}" in origins
    deploy = load_yaml(ROOT / "deploy" / "endpoints.yml")
    assert {k: v.get("type") for k, v in deploy.items()} == {
        "action_endpoint": None, "tracker_store": endpoints["tracker_store"]["type"],
        "lock_store": "${CART_LOCK_STORE}", "nlg": endpoints["nlg"]["type"]}
    assert set(load_yaml(ROOT / "deploy" / "credentials.yml")) == set(credentials)


def test_plain_rasa_test_reads_only_the_projects_conversation_tests():
    """Plain `rasa test` evaluates every story file under the root (its default path is "."),
    .venv included: the stories of Rasa's starter project there failed in every run until
    `make install` removed them."""
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.data import get_data_files

    stories = get_data_files([str(ROOT)], YAMLStoryReader.is_stories_file)
    assert not [f for f in stories if "initial_project" in f]
    tests = {Path(f).relative_to(ROOT).parent for f in get_data_files([str(ROOT)], YAMLStoryReader.is_test_stories_file)}
    assert tests == {Path("tests/stories")}


@pytest.mark.integration
def test_plain_rasa_run_answers_over_rest_with_no_settings(tmp_path):
    """`rasa run` as Rasa's documentation shows it, from the root, with no CART_ variable,
    no PYTHONPATH: only PATH, and a HOME whose Rasa config has telemetry off (make install
    writes it with `rasa telemetry disable`)."""
    home = tmp_path / "home"
    (home / ".config" / "rasa").mkdir(parents=True)
    (home / ".config" / "rasa" / "global.yml").write_text("metrics:\n  enabled: false\n")
    env = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "HOME": str(home)}
    port = free_port()
    log = open(tmp_path / "rasa.log", "w")
    server = subprocess.Popen(["rasa", "run", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "rasa.log").read_text()[-3000:]
            try:
                if requests.get(f"http://127.0.0.1:{port}/webhooks/rest/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(1)
        reply = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook", timeout=60,
                              json={"sender": f"plain-{uuid.uuid4().hex}", "message": "What is CRS?"}).json()
        assert "cytokine" in reply[0]["text"].lower()
        assert all("title" in b for b in reply[0]["buttons"])  # the NLG from endpoints.yml titled them
    finally:
        server.terminate()
        server.wait(timeout=60)
