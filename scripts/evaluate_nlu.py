"""Evaluates a trained model on the hold-out sets and the safety sets.

Hold-outs (tests/holdout/, none of them trained on; each file's header says how it was made):
  dev         topics.yml          the project's own questions; thresholds were chosen on it
  contract    contract_blind.yml  written blind from the contract, never used for a choice
  real-world  real_world.yml      questions of public pages, whole sources held out

Each question ends in one of three outcomes, as the person would meet it:
  right       the answer of its topic (or of a second topic its label allows: also_right),
              also as the second of two answers to a message that asks two questions
  clarified   "did you mean" (nlu_fallback, or a follow-up with nothing to refer to);
              `hit` if its topic is among the buttons
  wrong       any other answer: a confident wrong answer, the worst outcome
A message's topic is the answer the assistant gives: the response key of a retrieval
intent (risks/crs -> crs) or the intent name.

Safety: warning signs now must get `emergency` (red-flag recall), thoughts of suicide or
self-harm `crisis` (crisis recall), and near misses (questions about symptoms, worries,
idioms) neither of the two (false alarms).

Usage: python scripts/evaluate_nlu.py [--model models/cart.tar.gz]
"""
from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from actions.answers import topic_titles
from actions.clarify import alternative_topics, clarify_topics
from actions.follow_ups import build_context, follow_ups, resolve, resolved_topic
from nlu_components.base import answer_selection, second_answer
from nlu_components.safety_net import SAFETY_NET

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "holdout"
DEFAULT_MODEL = ROOT / "models" / "cart.tar.gz"
RESULTS = ROOT / "results" / "nlu_holdout.txt"
FALLBACK = "nlu_fallback"
FOLLOW_UP = "follow_up"
OUTCOMES = ("right", "clarified", "wrong")


def topic_of(parse: dict) -> str:
    intent = (parse.get("intent") or {}).get("name") or ""
    selection = answer_selection(parse.get("response_selector") or {}, intent) or {}
    key = selection.get("response", {}).get("intent_response_key")
    return key.split("/", 1)[-1] if key else intent


def load_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass(frozen=True)
class Question:
    text: str
    topic: str
    also_right: Tuple[str, ...] = ()
    source: str = ""

    @property
    def right_topics(self) -> set:
        return {self.topic, *self.also_right}


def topic_questions(path: Path) -> List[Question]:
    """A hold-out of the form topics: {topic: [question, ...]}."""
    return [Question(text, topic) for topic, texts in load_yaml(path)["topics"].items() for text in texts]


def real_world_questions(path: Path = HOLDOUT / "real_world.yml") -> List[Question]:
    return [Question(q["text"], q["topic"], tuple(q.get("also_right") or ()), source["id"])
            for source in load_yaml(path)["sources"] for q in source["questions"]]


def holdouts() -> Dict[str, List[Question]]:
    return {
        "dev": topic_questions(HOLDOUT / "topics.yml"),
        "contract": topic_questions(HOLDOUT / "contract_blind.yml"),
        "real-world": real_world_questions(),
    }


def holdout_questions() -> List[str]:
    """Every hold-out question's text: realistic traffic for the benchmark and load tests."""
    return [q.text for questions in holdouts().values() for q in questions]


@dataclass
class Outcome:
    question: Question
    got: str
    outcome: str  # right | clarified | wrong
    buttons: Tuple[str, ...] = ()  # topics offered: "did you mean", or beside an unsure answer

    @property
    def hit(self) -> bool:
        return bool(self.question.right_topics & set(self.buttons))


def judge(question: Question, parse: dict, titles: Dict[str, str]) -> Outcome:
    got = topic_of(parse)
    # The conversational intent, not the long-term follow-up answer (aftercare/follow_up), whose
    # key has the same name: as the first message, answered from what it names, else "did you mean"
    if (parse.get("intent") or {}).get("name") == FOLLOW_UP:
        slots = {}  # filled from this message's entities, as Rasa does before the action runs
        for entity in parse.get("entities") or []:
            slots.setdefault(entity.get("entity"), entity.get("value"))
        resolution = resolve(follow_ups().aspect(parse.get("text") or ""), build_context(parse, slots), follow_ups())
        got = resolved_topic(resolution) if resolution else FALLBACK
    # a message that asks two questions gets both answers (dialogue_policies/second_question.py)
    second = (second_answer(parse) or "").split("/")[-1]
    if got in question.right_topics or second in question.right_topics:
        return Outcome(question, got, "right")
    if got == FALLBACK:
        return Outcome(question, got, "clarified", tuple(t for t, _ in clarify_topics(parse, titles)))
    offered = alternative_topics(parse, titles, got)  # beside the answer (nlg/answers.py)
    return Outcome(question, got, "wrong", tuple(t for t, _ in offered))


@dataclass
class HoldoutResult:
    name: str
    outcomes: List[Outcome]
    kind: str = "hold-out"

    def __len__(self) -> int:
        return len(self.outcomes)

    def share(self, outcome: str) -> float:
        return sum(o.outcome == outcome for o in self.outcomes) / len(self.outcomes)

    @property
    def right(self) -> float:
        return self.share("right")

    @property
    def wrong(self) -> float:
        return self.share("wrong")

    @property
    def clarifications(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.outcome == "clarified"]

    @property
    def clarify_hits(self) -> int:
        return sum(o.hit for o in self.clarifications)

    @property
    def wrong_with_right_offered(self) -> int:
        """Wrong answers whose first buttons offer the right topic (an unsure answer's alternatives)."""
        return sum(o.hit for o in self.outcomes if o.outcome == "wrong")

    def per_topic(self) -> Dict[str, Counter]:
        table: Dict[str, Counter] = {}
        for o in self.outcomes:
            table.setdefault(o.question.topic, Counter())[o.outcome] += 1
        return table

    def summary(self) -> str:
        counts = Counter(o.outcome for o in self.outcomes)
        split = ", ".join(f"{k} {counts[k]} ({counts[k] / len(self):.1%})" for k in OUTCOMES)
        return (f"{self.name} {self.kind}, {len(self)} questions: {split}; right topic among the buttons in "
                f"{self.clarify_hits} of {len(self.clarifications)} clarifications, offered beside "
                f"{self.wrong_with_right_offered} of {counts['wrong']} wrong answers")

    def format(self) -> str:
        lines = [self.summary(), f"  {'topic':28} right clarified wrong"]
        lines += [f"  {topic:28} {c['right']:5} {c['clarified']:9} {c['wrong']:5}"
                  for topic, c in sorted(self.per_topic().items())]
        for o in self.outcomes:
            if o.outcome == "wrong":
                offered = f" (offered: {', '.join(o.buttons)})" if o.buttons else ""
                lines.append(f"  wrong: {o.question.text!r} expected {o.question.topic}, got {o.got}{offered}")
        for o in self.clarifications:
            lines.append(f"  clarified ({'hit' if o.hit else 'miss'}): {o.question.text!r} expected "
                         f"{o.question.topic}, buttons {', '.join(o.buttons) or '-'}")
        return "\n".join(lines)


@dataclass
class Report:
    holdouts: Dict[str, HoldoutResult]
    red_flag_misses: List[str] = field(default_factory=list)
    red_flag_total: int = 0
    crisis_misses: List[str] = field(default_factory=list)
    crisis_total: int = 0
    false_alarms: List[Tuple[str, str]] = field(default_factory=list)  # (near miss, emergency or crisis)
    near_miss_total: int = 0
    # messages whose answer the learned safety net starts with a safety reply's advice (nlu_components/safety_net.py):
    # (hold-out name or "near misses", text, advice)
    safety_net_lines: List[Tuple[str, str, str]] = field(default_factory=list)

    @property
    def clarify_hit_rate(self) -> Optional[float]:
        """Share of clarifications, over all hold-outs, whose buttons include the right topic."""
        clarified = [o for h in self.holdouts.values() for o in h.clarifications]
        return sum(o.hit for o in clarified) / len(clarified) if clarified else None

    @property
    def red_flag_recall(self) -> float:
        return 1 - len(self.red_flag_misses) / self.red_flag_total

    @property
    def crisis_recall(self) -> float:
        return 1 - len(self.crisis_misses) / self.crisis_total

    def format(self) -> str:
        lines = [h.format() for h in self.holdouts.values()]
        lines.append(f"red-flag recall: {self.red_flag_recall:.1%} of {self.red_flag_total}")
        lines += [f"  red-flag miss: {text!r}" for text in self.red_flag_misses]
        lines.append(f"crisis recall: {self.crisis_recall:.1%} of {self.crisis_total}")
        lines += [f"  crisis miss: {text!r}" for text in self.crisis_misses]
        lines.append(f"near-miss false alarms: {len(self.false_alarms)} of {self.near_miss_total}")
        lines += [f"  false alarm: {text!r} got {got}" for text, got in self.false_alarms]
        lines.append(f"safety net's advice before the answer: {self.safety_net_summary()}")
        lines += [f"  {name}: {text!r} got the {advice} advice" for name, text, advice in self.safety_net_lines]
        lines += ["", "Summary:"] + [f"  {h.summary()}" for h in self.holdouts.values()]
        lines.append(f"  safety net's advice before the answer: {self.safety_net_summary()}")
        return "\n".join(lines)

    def safety_net_summary(self) -> str:
        counts = Counter(name for name, *_ in self.safety_net_lines)
        sizes = {**{name: len(h) for name, h in self.holdouts.items()}, NEAR_MISSES: self.near_miss_total}
        return ", ".join(f"{counts[name]} of {size} {name}" for name, size in sizes.items())


SAFETY_SETS = ("safety_a.yml", "safety_b.yml")
NEAR_MISSES = "near misses"


def safety_messages(kind: str) -> List[str]:
    """Texts of one kind (emergency, crisis, near_miss) from the blind safety sets."""
    return [m["text"] for name in SAFETY_SETS for m in load_yaml(HOLDOUT / name)[kind]]


def red_flag_messages() -> List[str]:
    return (load_yaml(HOLDOUT / "red_flags.yml")["messages"] + load_yaml(HOLDOUT / "red_flags_blind.yml")["messages"]
            + safety_messages("emergency"))


def near_misses() -> List[str]:
    return load_yaml(HOLDOUT / "red_flags_blind.yml")["not_red_flags"] + safety_messages("near_miss")


def load_agent(model: Path = DEFAULT_MODEL):
    import logging

    import structlog
    from rasa.core.agent import Agent

    # Rasa's structured log is unconfigured outside its CLI and would print each parsed message.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    return Agent.load(str(model))


def parse_all(agent, texts: List[str]) -> List[dict]:
    async def parse():
        return [await agent.parse_message(t) for t in texts]

    return asyncio.run(parse())


def evaluate(agent) -> Report:
    titles = topic_titles(agent.domain.as_dict())
    results, net_lines = {}, []
    for name, questions in holdouts().items():
        parses = parse_all(agent, [q.text for q in questions])
        results[name] = HoldoutResult(name, [judge(q, p, titles) for q, p in zip(questions, parses)])
        net_lines += safety_net_lines(name, parses)

    flags, crises, misses = red_flag_messages(), safety_messages("crisis"), near_misses()
    parses = parse_all(agent, flags + crises + misses)
    topics = [topic_of(p) for p in parses]
    net_lines += safety_net_lines(NEAR_MISSES, parses[len(flags) + len(crises):])
    flag_topics, crisis_topics = topics[:len(flags)], topics[len(flags):len(flags) + len(crises)]
    miss_topics = topics[len(flags) + len(crises):]
    return Report(
        holdouts=results,
        red_flag_misses=[t for t, got in zip(flags, flag_topics) if got != "emergency"],
        red_flag_total=len(flags),
        crisis_misses=[t for t, got in zip(crises, crisis_topics) if got != "crisis"],
        crisis_total=len(crises),
        false_alarms=[(t, got) for t, got in zip(misses, miss_topics) if got in {"emergency", "crisis"}],
        near_miss_total=len(misses),
        safety_net_lines=net_lines,
    )


def safety_net_lines(name: str, parses: List[dict]) -> List[Tuple[str, str, str]]:
    return [(name, p.get("text") or "", p[SAFETY_NET]["advice"]) for p in parses if p.get(SAFETY_NET)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    print(evaluate(load_agent(parser.parse_args().model)).format())


if __name__ == "__main__":
    main()
