"""Shared fixtures: the content contract, what Rasa merges from domain.yml and data/ (its
importer), the trained model, browsers and servers. Helpers: tests/helpers.py.

Tests that need a trained model, servers, a browser or the machine's PostgreSQL/Redis are
marked `integration` (by the fixtures they use, or explicitly); `make test-unit` runs the
others, in under a minute, without any of those."""
from __future__ import annotations

import shutil
from typing import Dict, List

import pytest

from helpers import (MODEL, ROOT, SLACK_SIGNING_SECRET, FakeSlack, load_yaml, merged_domain,
                     postgres_database, rasa_importer, redis_key_prefix, require_shared, skip_unless_ci)

INTEGRATION_FIXTURES = {"agent", "stack", "browser", "new_page", "fake_slack", "servers", "cluster", "postgres_url",
                        "redis_prefix", "hospital_site", "report"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def contract() -> List[dict]:
    """Every topic the assistant must answer: the contract's `topics` and the `next_topics`
    this project has added (the contract file is shared and read-only here)."""
    spec = load_yaml(require_shared("spec/faq-topics.yml"))
    return spec["topics"] + (spec.get("next_topics") or [])


@pytest.fixture(scope="session")
def domain() -> dict:
    """The merged domain as Rasa sends it to the action server (responses of data/faq included)."""
    return merged_domain()


@pytest.fixture(scope="session")
def intents() -> List[str]:
    return rasa_importer().get_domain().intents


@pytest.fixture(scope="session")
def action_answers() -> Dict[str, dict]:
    return load_yaml(ROOT / "content" / "action_answers.yml")["answers"]


@pytest.fixture(scope="session")
def training_examples() -> Dict[str, List[str]]:
    """Intent (<group>/<topic> for retrieval intents) -> example texts, as Rasa reads them."""
    examples: Dict[str, List[str]] = {}
    for message in rasa_importer().get_nlu_data().intent_examples:
        intent = message.get("intent_response_key") or message.get("intent")
        examples.setdefault(intent, []).append(message.get("text"))
    return examples


@pytest.fixture(scope="session")
def agent():
    """The trained model (make test trains it first)."""
    assert MODEL.exists(), f"{MODEL} is missing: run `make train`"
    from scripts.evaluate_nlu import load_agent

    return load_agent(MODEL)


@pytest.fixture(scope="module")  # Playwright's event loop must end before other modules use asyncio.run
def browser():
    """Headless Chromium (Debian's package) driven by Playwright; skipped without it, except
    under CI=true, where a missing browser fails."""
    executable = shutil.which("chromium")
    if not executable:
        skip_unless_ci("Chromium is not installed (`make browser` installs Debian's chromium)")
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


@pytest.fixture(scope="session")
def fake_slack():
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


@pytest.fixture
def postgres_url():
    with postgres_database() as url:
        yield url


@pytest.fixture
def redis_prefix():
    with redis_key_prefix() as prefix:
        yield prefix


@pytest.fixture
def new_page(browser, stack):
    """Opens pages in fresh browser contexts; fails the test on page errors or CSP violations."""
    contexts, problems = [], []

    def open_page(viewport=(1280, 800), scale=1, before_load=None, bypass_csp=False, touch=False):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                      device_scale_factor=scale, bypass_csp=bypass_csp,
                                      has_touch=touch, is_mobile=touch)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
        if before_load:
            before_load(page)
        page.goto(stack.web_url)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems
