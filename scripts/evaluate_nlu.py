"""Evaluates a trained model on the NLU hold-out set and the safety sets.

A message's topic is the answer the assistant would give: the response key of a
retrieval intent (risks/crs -> crs) or the intent name. nlu_fallback counts as a miss.
Safety: warning signs now must get `emergency` (red-flag recall), thoughts of suicide or
self-harm `crisis` (crisis recall), and near misses (questions about symptoms, worries,
idioms) neither of the two (false alarms).

Usage: python scripts/evaluate_nlu.py [--model models/cart.tar.gz]
"""
from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from nlu_components.base import answer_selection

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "holdout"
DEFAULT_MODEL = ROOT / "models" / "cart.tar.gz"
RESULTS = ROOT / "results" / "nlu_holdout.txt"


def topic_of(parse: dict) -> str:
    intent = (parse.get("intent") or {}).get("name") or ""
    selection = answer_selection(parse.get("response_selector") or {}, intent) or {}
    key = selection.get("response", {}).get("intent_response_key")
    return key.split("/", 1)[-1] if key else intent


@dataclass
class Report:
    per_topic: Dict[str, Tuple[int, int]]  # topic -> (correct, total)
    predicted: Dict[str, int] = field(default_factory=dict)  # topic -> times predicted
    misses: List[Tuple[str, str, str]] = field(default_factory=list)  # (text, expected, got)
    red_flag_misses: List[str] = field(default_factory=list)
    red_flag_total: int = 0
    crisis_misses: List[str] = field(default_factory=list)
    crisis_total: int = 0
    false_alarms: List[Tuple[str, str]] = field(default_factory=list)  # (near miss, emergency or crisis)
    near_miss_total: int = 0

    @property
    def topic_accuracy(self) -> float:
        correct = sum(c for c, _ in self.per_topic.values())
        return correct / sum(t for _, t in self.per_topic.values())

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the hold-out topics (a prediction of anything else is only a miss)."""
        scores = []
        for topic, (correct, total) in self.per_topic.items():
            predicted = self.predicted.get(topic, 0)
            scores.append(2 * correct / (total + predicted) if total + predicted else 0.0)
        return sum(scores) / len(scores)

    @property
    def red_flag_recall(self) -> float:
        return 1 - len(self.red_flag_misses) / self.red_flag_total

    @property
    def crisis_recall(self) -> float:
        return 1 - len(self.crisis_misses) / self.crisis_total

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.near_miss_total

    def format(self) -> str:
        lines = [f"{'topic':28} correct/total"]
        lines += [f"{t:28} {c}/{n}" for t, (c, n) in sorted(self.per_topic.items())]
        lines.append(f"topic accuracy: {self.topic_accuracy:.1%}, macro-F1: {self.macro_f1:.3f}")
        lines += [f"  miss: {text!r} expected {exp}, got {got}" for text, exp, got in self.misses]
        lines.append(f"red-flag recall: {self.red_flag_recall:.1%} of {self.red_flag_total}")
        lines += [f"  red-flag miss: {text!r}" for text in self.red_flag_misses]
        lines.append(f"crisis recall: {self.crisis_recall:.1%} of {self.crisis_total}")
        lines += [f"  crisis miss: {text!r}" for text in self.crisis_misses]
        lines.append(f"near-miss false alarms: {len(self.false_alarms)} of {self.near_miss_total}")
        lines += [f"  false alarm: {text!r} got {got}" for text, got in self.false_alarms]
        return "\n".join(lines)


def load_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def holdout_questions() -> Dict[str, List[str]]:
    return load_yaml(HOLDOUT / "topics.yml")["topics"]


SAFETY_SETS = ("safety_a.yml", "safety_b.yml")


def safety_messages(kind: str) -> List[str]:
    """Texts of one kind (emergency, crisis, near_miss) from the blind safety sets."""
    return [m["text"] for name in SAFETY_SETS for m in load_yaml(HOLDOUT / name)[kind]]


def red_flag_messages() -> List[str]:
    return (load_yaml(HOLDOUT / "red_flags.yml")["messages"] + load_yaml(HOLDOUT / "red_flags_blind.yml")["messages"]
            + safety_messages("emergency"))


def near_misses() -> List[str]:
    return load_yaml(HOLDOUT / "red_flags_blind.yml")["not_red_flags"] + safety_messages("near_miss")


def load_agent(model: Path = DEFAULT_MODEL):
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def parse_all(agent, texts: List[str]) -> List[dict]:
    async def parse():
        return [await agent.parse_message(t) for t in texts]

    return asyncio.run(parse())


def evaluate(agent) -> Report:
    questions = holdout_questions()
    texts = [q for qs in questions.values() for q in qs]
    expected = [topic for topic, qs in questions.items() for _ in qs]
    flags, crises, misses = red_flag_messages(), safety_messages("crisis"), near_misses()
    parses = parse_all(agent, texts + flags + crises + misses)
    safety_topics = [topic_of(p) for p in parses[len(texts):]]
    flag_topics = safety_topics[:len(flags)]
    crisis_topics = safety_topics[len(flags):len(flags) + len(crises)]
    miss_topics = safety_topics[len(flags) + len(crises):]

    counts: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    report = Report(per_topic={}, red_flag_total=len(flags), crisis_total=len(crises), near_miss_total=len(misses))
    for text, exp, parse in zip(texts, expected, parses):
        got = topic_of(parse)
        report.predicted[got] = report.predicted.get(got, 0) + 1
        counts[exp][1] += 1
        if got == exp:
            counts[exp][0] += 1
        else:
            report.misses.append((text, exp, got))
    report.per_topic = {t: (c, n) for t, (c, n) in counts.items()}
    report.red_flag_misses = [t for t, got in zip(flags, flag_topics) if got != "emergency"]
    report.crisis_misses = [t for t, got in zip(crises, crisis_topics) if got != "crisis"]
    report.false_alarms = [(t, got) for t, got in zip(misses, miss_topics) if got in {"emergency", "crisis"}]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    print(evaluate(load_agent(parser.parse_args().model)).format())


if __name__ == "__main__":
    main()
