"""Evaluates whole conversations with follow-up questions (tests/holdout/follow_ups.yml)
against the running servers, over REST, as a person would meet them.

Each user turn's answer is read from the tracker store (scripts/turns.py): the emergency or
crisis reply, a "did you mean" (clarify), a conversation reply (greet, personal_advice, ...),
or the FAQ topic answered (slot `topic`). A turn is right when that is what it expects and the reply
names everything in `must_mention`; a turn whose reply says a product is approved for a
cancer that `must_not_claim` lists is a false claim (and wrong). Tags in the file's trailing
comments ([fu] follow-up, [switch] new question, [safety], ...) split the figures.

Usage: python scripts/evaluate_follow_ups.py [--model models/cart.tar.gz]
"""
from __future__ import annotations

import argparse
import json
import re
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import requests
import sqlalchemy as sa
import yaml

from scripts.turns import answer_of, split_turns, topic_set, topics_answered

ROOT = Path(__file__).resolve().parent.parent
FOLLOW_UPS = ROOT / "tests" / "holdout" / "follow_ups.yml"
DEFAULT_MODEL = ROOT / "models" / "cart.tar.gz"
NEGATION = re.compile(r"\b(no|not|never|isn't|aren't)\b|^no:", re.IGNORECASE)


@dataclass
class Turn:
    user: str
    expect: str
    tags: Tuple[str, ...]
    must_mention: Tuple[str, ...] = ()
    must_not_claim: Dict[str, str] = field(default_factory=dict)


@dataclass
class TurnResult:
    conversation: str
    turn: Turn
    got: str
    reply: str
    missing: Tuple[str, ...]
    claims: Tuple[str, ...]

    @property
    def outcome(self) -> str:
        if self.got == self.turn.expect and not self.missing and not self.claims:
            return "right"
        if self.got == "clarify":
            return "clarified"
        return "wrong"


def load_conversations(path: Path = FOLLOW_UPS) -> List[Tuple[str, List[Turn]]]:
    """The conversations, with each turn's tags from its line's trailing comment."""
    tags = [tuple(re.findall(r"\[(\w+)\]", line.split("#", 1)[1]) if "#" in line else ())
            for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*- user:", line)]
    conversations, i = [], 0
    for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
        turns = []
        for t in conversation["turns"]:
            turns.append(Turn(t["user"], t["expect"], tags[i], tuple(t.get("must_mention") or ()),
                              dict(t.get("must_not_claim") or {})))
            i += 1
        conversations.append((conversation["id"], turns))
    return conversations


def false_claims(reply: str, must_not_claim: Dict[str, str]) -> Tuple[str, ...]:
    """Sentences or list lines that say `product` is approved for `cancer` without a negation,
    and list lines naming `product` under a heading about `cancer`."""
    found = []
    for product, cancer in must_not_claim.items():
        heading = ""
        for line in reply.splitlines():
            if not line.startswith("- "):
                heading = line
            lowered = line.lower()
            says = product.lower() in lowered and "approv" in lowered and cancer.lower() in lowered
            listed = line.startswith(f"- {product}") and cancer.lower() in heading.lower() and "approv" in heading.lower()
            if (says and not NEGATION.search(line)) or (listed and not NEGATION.search(heading)):
                found.append(line)
    return tuple(found)


def stored_events(engine, sender: str) -> List[dict]:
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
        return [json.loads(data) for (data,) in rows]


def run_conversations(rest_url: str, database_url: str,
                      conversations: List[Tuple[str, List[Turn]]]) -> List[TurnResult]:
    engine = sa.create_engine(database_url)
    results = []
    try:
        for name, turns in conversations:
            sender = f"eval-{uuid.uuid4().hex[:12]}"
            for turn in turns:
                response = requests.post(rest_url, json={"sender": sender, "message": turn.user}, timeout=60)
                response.raise_for_status()
                reply = "\n\n".join(m.get("text") or "" for m in response.json())
                events = stored_events(engine, f"rest:{sender}")
                turn_events = split_turns(events)[-1]
                got = answer_of(turn_events, topic_set(events[:events.index(turn_events.user)]))
                if turn.expect in topics_answered(turn_events):
                    got = turn.expect  # a message that asked two questions is right when either answer is (as evaluate_nlu judges)
                missing = tuple(m for m in turn.must_mention if m.lower() not in reply.lower())
                results.append(TurnResult(name, turn, got, reply, missing, false_claims(reply, turn.must_not_claim)))
    finally:
        engine.dispose()
    return results


@dataclass
class FollowUpReport:
    results: List[TurnResult]

    def share(self, outcome: str, tag: Optional[str] = None) -> float:
        chosen = [r for r in self.results if tag is None or tag in r.turn.tags]
        return sum(r.outcome == outcome for r in chosen) / len(chosen) if chosen else 0.0

    def count(self, tag: Optional[str] = None) -> int:
        return sum(1 for r in self.results if tag is None or tag in r.turn.tags)

    @property
    def claims(self) -> List[TurnResult]:
        return [r for r in self.results if r.claims]

    def summary(self) -> str:
        conversations = len({r.conversation for r in self.results})
        lines = [f"follow-up hold-out: {conversations} conversations, {self.count()} turns"]
        for tag, label in ((None, "all turns"), ("fu", "follow-ups [fu]"), ("switch", "new questions [switch]"),
                           ("nocontext", "follow-up without context [nocontext]"), ("safety", "safety [safety]")):
            c = Counter(r.outcome for r in self.results if tag is None or tag in r.turn.tags)
            n = sum(c.values())
            if n:
                lines.append(f"  {label}: {n}; right {c['right']} ({c['right'] / n:.1%}), clarified "
                             f"{c['clarified']} ({c['clarified'] / n:.1%}), wrong {c['wrong']} ({c['wrong'] / n:.1%})")
        lines.append(f"  replies claiming an approval the product table does not hold: {len(self.claims)}")
        return "\n".join(lines)

    def format(self) -> str:
        lines = [self.summary()]
        for r in self.results:
            if r.outcome != "right":
                detail = f"expected {r.turn.expect}, got {r.got}"
                if r.missing:
                    detail += f", missing {', '.join(r.missing)}"
                if r.claims:
                    detail += f", claims {r.claims}"
                lines.append(f"  {r.outcome} [{r.conversation}] {r.turn.user!r}: {detail}")
        return "\n".join(lines)


def evaluate_follow_ups(rest_url: str, database_url: str) -> FollowUpReport:
    return FollowUpReport(run_conversations(rest_url, database_url, load_conversations()))


def main() -> None:
    from scripts.servers import running_stack

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, running_stack(Path(workdir), model=args.model) as stack:
        report = evaluate_follow_ups(stack.rest_url, f"sqlite:///{stack.tracker_db}")
    print(report.format())


if __name__ == "__main__":
    main()
