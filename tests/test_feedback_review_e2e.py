"""Feedback and `make review` end to end: conversations through the real servers (REST and the
widget in Chromium), then the review of that store (SQLite, and the same conversations in
PostgreSQL), the report in Chromium (screenshot, axe-core)."""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml

from helpers import ROOT, SCREENSHOTS, ask, bot, run_axe, say

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=20_000)

EMERGENCY = "my husband had car t last week and now he has a fever of 39.5"
COMMENT = "I wanted to know how long it lasts, mail me at jane.doe@example.org or call 07700 900123"


def feedback(rating: str, topic: str) -> str:
    return f'/feedback{{"rating": "{rating}", "topic": "{topic}"}}'


@pytest.fixture(scope="module")
def conversations(stack, browser):
    """The conversations of this module, held in the stack's store; returns their REST senders."""
    url, senders = stack.rest_url, {k: f"e2e-{k}-{uuid.uuid4().hex[:8]}" for k in ("crs", "unsure", "emergency")}

    [answer] = say(url, "what is crs", senders["crs"])
    assert answer["metadata"] == {"feedback": {"topic": "crs"}}
    assert say(url, feedback("down", "crs"), senders["crs"]) == []
    reply = requests.post(url, json={"sender": senders["crs"], "message": COMMENT,
                                     "metadata": {"feedback_comment": True}}, timeout=60).json()
    assert reply  # a comment is an ordinary message: it gets an answer

    clarify = say(url, "blorp wibble car t thing", senders["unsure"])
    assert clarify[0]["text"].startswith("I'm not sure")
    say(url, clarify[0]["buttons"][0]["payload"], senders["unsure"])
    say(url, "zzkq vrrp", senders["unsure"])

    urgent = say(url, EMERGENCY, senders["emergency"])
    assert urgent[0]["metadata"] == {"emergency": True}  # no 👍 / 👎 on it
    assert say(url, feedback("up", "emergency"), senders["emergency"]) == []  # refused, nothing stored

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(stack.web_url)
    expect(bot(page).first).to_contain_text("automated assistant")
    ask(page, "will I lose my hair with car t")
    answer = bot(page).nth(1)
    expect(answer).to_contain_text("hair")
    expect(bot(page).first.get_by_role("button", name="This helped")).to_have_count(0)  # the greeting
    answer.get_by_role("button", name="This did not help").click()
    expect(answer).to_contain_text("What were you looking for?")
    expect(answer.get_by_role("button", name="This helped")).to_be_disabled()
    ask(page, "wigs and scarves")
    expect(bot(page)).to_have_count(3)
    ask(page, EMERGENCY)
    expect(page.locator(".cartw-msg--emergency")).to_be_visible()
    expect(page.locator(".cartw-msg--emergency .cartw-rate")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "widget-feedback.png"))
    [session] = page.evaluate("() => Object.keys(sessionStorage).map(k => JSON.parse(sessionStorage[k]).sessionId)")
    context.close()
    return [f"rest:{sender}" for sender in senders.values()] + [f"webchat:{session}"]


def copy_conversations(source_url: str, target_url: str, senders) -> None:
    """The conversations of `senders`, events and timestamps as stored, into another store."""
    from rasa.shared.core.domain import Domain

    from stores.sql_tracker_store import SQLTrackerStore

    domain = Domain.load(str(ROOT / "domain.yml"))
    source = SQLTrackerStore(domain=domain, host=source_url)
    target = SQLTrackerStore(domain=domain, host=target_url)

    async def copy():
        for sender in senders:
            await target.save(await source.retrieve_full_tracker(sender))

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API runs an event loop in this thread
        thread.submit(asyncio.run, copy()).result()


def run_review(store: str, out) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "review.py"), "--days", "1", "--store", store,
                           "--out", str(out)], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def store(stack, conversations, tmp_path_factory) -> str:
    """A store with only this module's conversations (other modules talk to the same servers)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'conversations.db'}"
    copy_conversations(f"sqlite:///{stack.tracker_db}", url, conversations)
    return url


@pytest.fixture(scope="module")
def report(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    done = run_review(store, out)
    return done.stdout, (out / "review.html").read_text(encoding="utf-8"), out


def test_the_report_has_each_conversation_with_its_labels(report, conversations):
    markdown, page, _ = report
    assert "👎" in page and "hair_loss" in page and "crs" in page
    assert "I wanted to know how long it lasts, mail me at &lt;email&gt; or call &lt;phone&gt;" in page
    assert "wigs and scarves" in page  # the widget's 👎 comment
    assert "blorp wibble car t thing" in page and "they meant:" in page
    assert "zzkq vrrp" in page
    assert EMERGENCY in page
    assert "1 👍" not in markdown and "2 👎" in markdown  # the refused emergency rating is not counted


def test_the_report_names_no_sender_and_no_contact_details(report, conversations):
    markdown, page, _ = report
    for secret in [*(sender.split(":")[1] for sender in conversations), "webchat:", "rest:", "jane.doe", "07700"]:
        assert secret not in page and secret not in markdown


def test_suggested_examples_label_the_clicked_clarification(report):
    suggestions = yaml.safe_load((report[2] / "suggested_examples.yml").read_text(encoding="utf-8"))
    labelled = {block["intent"]: block["examples"] for block in suggestions["nlu"]}
    assert any("blorp wibble car t thing" in examples for examples in labelled.values())


def test_the_report_is_accessible_and_is_not_served(report, browser, stack):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content(report[1])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-report.png"), full_page=True)
    violations = run_axe(page)
    page.close()
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    for path in ("/results/review/review.html", "/review.html", "/../results/review/review.html"):
        assert requests.get(stack.web_url.rstrip("/") + path, timeout=10).status_code == 404


def test_suggested_examples_pass_rasa_data_validate_in_a_copy_of_the_data(report, tmp_path):
    for name in ("data", "domain.yml", "config.yml"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, tmp_path / name)
    shutil.copy(report[2] / "suggested_examples.yml", tmp_path / "data" / "suggested_examples.yml")
    done = subprocess.run([str(Path(sys.executable).parent / "rasa"), "data", "validate", "--fail-on-warnings",
                           "--data", "data", "--domain", "domain.yml", "--config", "config.yml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def test_the_same_review_from_postgresql(conversations, store, report, postgres_url, tmp_path):
    copy_conversations(store, postgres_url, conversations)
    markdown = run_review(postgres_url, tmp_path).stdout
    assert markdown.split("\n\nReport:")[0] == report[0].split("\n\nReport:")[0]
