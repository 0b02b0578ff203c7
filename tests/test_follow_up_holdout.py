"""The follow-up hold-out (tests/holdout/follow_ups.yml): whole conversations over REST against
the servers as `make run` starts them (scripts/evaluate_follow_ups.py)."""
from __future__ import annotations

import pytest

from scripts.evaluate_follow_ups import evaluate_follow_ups
from scripts.evaluate_nlu import RESULTS

MIN_FOLLOW_UPS_RIGHT = 0.90  # issue 20's target, on the turns tagged [fu]


@pytest.fixture(scope="module")
def report(stack):
    report = evaluate_follow_ups(stack.rest_url, f"sqlite:///{stack.tracker_db}")
    RESULTS.parent.mkdir(exist_ok=True)
    (RESULTS.parent / "follow_ups.txt").write_text(report.format() + "\n", encoding="utf-8")
    return report


def test_no_reply_claims_an_approval_the_product_table_does_not_hold(report, capsys):
    with capsys.disabled():
        print("\n" + report.format())
    assert report.count("fu") >= 100
    assert report.claims == []


def test_safety_wins_over_context(report):
    assert report.count("safety") >= 10
    assert report.share("right", "safety") == 1.0, "warning signs, crisis or dose questions lost to context"


def test_new_questions_win_over_context(report):
    assert report.share("right", "switch") >= 0.95, report.summary()


def test_follow_ups_get_the_answer_of_the_question_spelled_out(report):
    assert report.share("right", "fu") >= MIN_FOLLOW_UPS_RIGHT, report.summary()
