"""No content pattern backtracks without end on a long message (catastrophic backtracking).

"hey hey hey ..." (2,000 characters, as much as MessageGuard lets through) kept the statement and
follow-up matchers searching for minutes: a repeated group that could split the same spaces many
ways. Every regular expression of content/*.yml and config.yml is searched on such messages; a hang
fails the test at the alarm instead of hanging the suite (a guard, not a speed target)."""
from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("hey ok so and the a i he she is not don't wake up fever car t hope just thing you instead of saying "
         "keeps mixing up words stay away from if does get at some point always has update they checked him now "
         "in the hospital it was crs 988 the number hi which what").split()
# ...and long words, which a repeated group of word characters can split many ways (a word count of "signs of that"
# took minutes on twenty 20-letter words; twelfth round)
MESSAGES = [" ".join(WORDS[(i * 7) % len(WORDS)] for i in range(400))[:2000], "hey " * 500, "ok so " * 333,
            "a" * 2000, "a " * 1000, "'" * 2000, "hmm " * 500, "supercalifragilistic " * 95]


def content_patterns():
    found = []

    def walk(node):
        if isinstance(node, str):
            try:
                found.append(re.compile(node))
            except re.error:
                pass  # prose, not a pattern
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)

    for path in [*sorted((ROOT / "content").glob("*.yml")), ROOT / "config.yml"]:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


class Hang(Exception):
    pass


def test_no_content_pattern_hangs_on_a_long_repetitive_message():
    def alarm(*_):
        raise Hang()

    patterns = content_patterns()
    assert len(patterns) > 500  # the walk reached the pattern files
    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        for pattern in patterns:
            signal.alarm(10)
            try:
                for message in MESSAGES:
                    pattern.search(message)
            except Hang:
                pytest.fail(f"backtracks without end: {pattern.pattern[:120]}")
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, previous)
