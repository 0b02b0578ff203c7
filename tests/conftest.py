"""Shared fixtures: the content contract, the domain, training data and the trained model."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "spec" / "faq-topics.yml"
MODEL = ROOT / "models" / "cart.tar.gz"

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def load_yaml(path: Path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="session")
def contract() -> List[dict]:
    return load_yaml(CONTRACT)["topics"]


@pytest.fixture(scope="session")
def domain() -> dict:
    return load_yaml(ROOT / "domain.yml")


@pytest.fixture(scope="session")
def action_answers() -> Dict[str, dict]:
    return load_yaml(ROOT / "content" / "action_answers.yml")["answers"]


@pytest.fixture(scope="session")
def training_examples() -> Dict[str, List[str]]:
    """Intent (faq/<key> for retrieval intents) -> example texts without entity markup."""
    examples: Dict[str, List[str]] = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in load_yaml(path).get("nlu", []):
            if "intent" in block:
                lines = [l.strip()[2:] for l in block["examples"].splitlines() if l.strip()]
                examples.setdefault(block["intent"], []).extend(ANNOTATION.sub(r"\1", l) for l in lines)
    return examples


@pytest.fixture(scope="session")
def agent():
    """The trained model (make test trains it first)."""
    assert MODEL.exists(), f"{MODEL} is missing: run `make train`"
    from scripts.evaluate_nlu import load_agent

    return load_agent(MODEL)


SLACK_SIGNING_SECRET = "test-signing-secret"


@pytest.fixture(scope="session")
def fake_slack():
    from fake_slack import FakeSlack

    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, fake_slack):
    """The servers as `make run` starts them (demo page included), on free loopback ports,
    with Slack on: dummy token and secret, Web API calls going to `fake_slack`."""
    from scripts.servers import running_stack

    slack = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
             "SLACK_API_URL": fake_slack.url}
    with running_stack(tmp_path_factory.mktemp("stack"), web=True, extra_env=slack) as servers:
        yield servers
