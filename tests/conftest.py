"""Shared fixtures: the content contract, the domain, training data and the trained model."""
from __future__ import annotations

import os
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List

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


SCREENSHOTS = ROOT / "results" / "screenshots"


@pytest.fixture(scope="module")  # Playwright's event loop must end before other modules use asyncio.run
def browser():
    """Headless Chromium (Debian's package) driven by Playwright; skipped without it, except
    under CI=true, where a missing browser fails."""
    executable = shutil.which("chromium")
    if not executable:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: `make browser` installs Debian's chromium")
        pytest.skip("Chromium is not installed (`make browser` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            # no calls home: this machine (and a patient's privacy) wants none
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


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
    with Slack on: dummy token and secret, Web API calls going to `fake_slack`. Browsers may
    chat from the demo page and from `stack.other_site` (a site with another chat widget)."""
    from scripts.servers import free_port, running_stack

    slack = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
             "SLACK_API_URL": fake_slack.url}
    other_site = f"http://127.0.0.1:{free_port()}"
    with running_stack(tmp_path_factory.mktemp("stack"), web=True, extra_env=slack,
                       extra_origins=[other_site]) as servers:
        servers.other_site = other_site
        yield servers


# --- The machine's PostgreSQL and Redis (scale-out, fault and retention tests) ----------
# Tests that need them skip with the reason on a machine without them; under CI=true
# they must run, so a missing service fails instead.
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def require_service(name: str, error: Exception) -> None:
    message = f"{name} is not reachable ({error}); needed for this test"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL (its URL), dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cart_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        require_service("PostgreSQL on 127.0.0.1:5432", error)
    try:
        yield sa.engine.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def redis_key_prefix() -> Iterator[str]:
    """A key prefix on the machine's Redis; its keys are deleted afterwards."""
    import redis

    client = redis.Redis(REDIS_HOST, REDIS_PORT, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        require_service(f"Redis on {REDIS_HOST}:{REDIS_PORT}", error)
    prefix = f"carttest{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    with redis_key_prefix() as prefix:
        yield prefix
