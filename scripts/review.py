"""`make review DAYS=7`: what people asked and what the assistant could not answer, from the
tracker store, for the maintainer (conversation-driven development without Rasa X).

Writes results/review/review.html (self-contained: inline SVG charts, no scripts, no
requests), results/review/suggested_examples.yml (training data to review and move into
data/) and prints a Markdown summary. Privacy: no sender ids (conversations are numbered),
e-mail addresses and phone numbers masked in every message shown, only the window asked for.
The report is a local file; no server serves it.

Usage: python scripts/review.py [--days 7] [--store sqlite:///conversations.db] [--out results/review]
The store defaults to CART_TRACKER_STORE_URL, else conversations.db.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import sqlalchemy as sa

from nlu_components.base import answer_selection
from scripts.turns import CLARIFY, NAMED_REPLIES, answer_of, split_turns, topic_set

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "results" / "review"
LOW_INTENT_CONFIDENCE = 0.6  # an answer given with less is listed as "low confidence"
LOW_ANSWER_CONFIDENCE = 0.3  # the chosen FAQ answer's own confidence
CHANNELS = ("webchat", "slack", "rest")
# Replies that answered nothing: "did you mean", no reply, "I can only answer questions about
# CAR T" (a question the classifier took for off-topic may be one the assistant should answer).
NOT_ANSWERED = {CLARIFY: "did you mean", "none": "no answer", "out_of_scope": "out of scope"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w.])\+?\d[\d\s().-]{5,}\d(?![\w.])")


def mask(text: str) -> str:
    """E-mail addresses and phone numbers (7 digits or more) replaced."""
    text = EMAIL.sub("<email>", text or "")
    return PHONE.sub(lambda m: "<phone>" if sum(c.isdigit() for c in m.group()) >= 7 else m.group(), text)


def default_store() -> str:
    return os.environ.get("CART_TRACKER_STORE_URL") or f"sqlite:///{ROOT / 'conversations.db'}"


# --- Reading the store ----------------------------------------------------------------------

@dataclass
class Conversation:
    number: int
    channel: str
    events: List[dict]


def load_conversations(store: str, since: float) -> List[Conversation]:
    """Every conversation with events in the window, its events in the window only."""
    engine = sa.create_engine(store)
    by_sender: Dict[str, List[dict]] = defaultdict(list)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT sender_id, data FROM events WHERE timestamp >= :since ORDER BY id"), {"since": since})
            for sender, data in rows:
                by_sender[sender].append(json.loads(data))
    finally:
        engine.dispose()
    ordered = sorted(by_sender.items(), key=lambda item: item[1][0].get("timestamp") or 0)
    return [Conversation(i, channel_of(sender), events) for i, (sender, events) in enumerate(ordered, 1)]


def channel_of(sender: str) -> str:
    prefix = sender.split(":", 1)[0]
    return prefix if prefix in CHANNELS else "other"


# --- What happened --------------------------------------------------------------------------

@dataclass
class Rating:
    conversation: int
    topic: str
    rating: str
    comment: str = ""  # the message the person wrote next, if marked as a comment


@dataclass
class Review:
    since: float
    until: float
    conversations: List[Conversation]
    titles: Dict[str, str]  # button payload -> title
    messages_by_channel: Counter = field(default_factory=Counter)
    messages_by_day: Counter = field(default_factory=Counter)
    topics: Counter = field(default_factory=Counter)
    ratings: List[Rating] = field(default_factory=list)
    unanswered: List[Tuple[int, str, str, str]] = field(default_factory=list)  # (conv, text, kind, next)
    low_confidence: List[Tuple[int, str, str, float]] = field(default_factory=list)  # (conv, text, topic, conf)
    urgent: List[Tuple[int, str, str, str]] = field(default_factory=list)  # (conv, text, reply, classifier)
    labelled: Dict[str, List[str]] = field(default_factory=lambda: defaultdict(list))  # intent -> texts
    unlabelled: List[str] = field(default_factory=list)

    def title(self, topic: str) -> str:
        return next((t for p, t in self.titles.items() if p.rsplit("/", 1)[-1] == topic), topic)


def is_payload(text: str) -> bool:
    return (text or "").startswith("/")


def review(conversations: List[Conversation], titles: Dict[str, str], since: float, until: float) -> Review:
    r = Review(since, until, conversations, titles)
    for conv in conversations:
        turns = split_turns(conv.events)
        ratings_before = len(r.ratings)
        for i, turn in enumerate(turns):
            text = turn.user.get("text") or ""
            day = datetime.fromtimestamp(turn.user.get("timestamp") or until, timezone.utc).strftime("%Y-%m-%d")
            r.messages_by_channel[conv.channel] += 1
            r.messages_by_day[day] += 1
            if text.startswith("/feedback"):
                continue
            before = conv.events[:conv.events.index(turn.user)]
            answer = answer_of(turn, topic_set(before))
            nxt = turns[i + 1].user.get("text") or "" if i + 1 < len(turns) else ""
            if (turn.user.get("metadata") or {}).get("feedback_comment") and r.ratings[ratings_before:]:
                r.ratings[-1].comment = mask(text)
            if answer in NOT_ANSWERED and not is_payload(text):
                clicked = titles.get(nxt) if is_payload(nxt) else None
                then = f"they meant: {clicked}" if clicked else (f"next: {mask(nxt)}" if nxt else "left")
                r.unanswered.append((conv.number, mask(text), NOT_ANSWERED[answer], then))
                if clicked:
                    r.labelled[nxt.lstrip("/")].append(mask(text))
                else:
                    r.unlabelled.append(mask(text))
            elif answer in ("emergency", "crisis"):
                r.urgent.append((conv.number, mask(text), answer, classifier_view(turn.user, answer)))
            elif answer not in NAMED_REPLIES:
                r.topics[answer] += 1
                confidence = answer_confidence(turn.user)
                if confidence is not None and not is_payload(text) and confidence < 1.0:
                    intent_conf, answer_conf = confidence_parts(turn.user)
                    if intent_conf < LOW_INTENT_CONFIDENCE or (answer_conf is not None and answer_conf < LOW_ANSWER_CONFIDENCE):
                        r.low_confidence.append((conv.number, mask(text), answer, confidence))
            for event in turn.events:
                if event.get("event") == "slot" and event.get("name") == "feedback" and isinstance(event.get("value"), dict):
                    r.ratings.append(Rating(conv.number, str(event["value"].get("topic")), str(event["value"].get("rating"))))
    return r


def confidence_parts(user: dict) -> Tuple[float, Optional[float]]:
    parse = user.get("parse_data") or {}
    intent = parse.get("intent") or {}
    chosen = (answer_selection(parse.get("response_selector") or {}, intent.get("name")) or {}).get("response") or {}
    answer = chosen.get("confidence")
    return float(intent.get("confidence") or 0.0), (float(answer) if answer is not None else None)


def answer_confidence(user: dict) -> Optional[float]:
    intent, answer = confidence_parts(user)
    return intent * answer if answer is not None else intent


def classifier_view(user: dict, answer: str) -> str:
    """The classifiers' own first choice: a safety rule puts its intent in front of their ranking."""
    ranking = (user.get("parse_data") or {}).get("intent_ranking") or []
    others = [x for x in ranking[1:] if x.get("name") != answer]
    if ranking and ranking[0].get("name") == answer and ranking[0].get("confidence") == 1.0 and others:
        return f"{others[0].get('name')} ({others[0].get('confidence', 0):.2f})"
    return answer


# --- Suggested training data ----------------------------------------------------------------

def suggestions_yaml(r: Review, known_examples: set) -> str:
    """Labelled examples as Rasa training data; unlabelled ones as comments to sort by hand."""
    def fresh(texts):
        seen, out = set(), []
        for t in texts:
            key = normalise(t)
            if key and key not in known_examples and key not in seen and "<" not in t:
                seen.add(key)
                out.append(t)
        return out

    lines = [
        f"# Suggested training examples from conversations of {day(r.since)} to {day(r.until)} (make review).",
        "# Review each one, then move it into data/ (the FAQ group's file for <group>/<topic>).",
        "# Labelled: messages the assistant was unsure about and the topic the person then clicked.",
        'version: "3.1"',
        "nlu:",
    ]
    labelled = {intent: fresh(texts) for intent, texts in sorted(r.labelled.items())}
    for intent, texts in labelled.items():
        if texts:
            lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {one_line(t)}" for t in texts]
    if not any(labelled.values()):
        lines[-1] = "nlu: []"
    unlabelled = fresh(r.unlabelled)
    if unlabelled:
        lines += ["", "# Unlabelled: messages the assistant could not answer. Add each one under the right intent,",
                  "# or leave it out (not every message is a question the assistant should answer):"]
        lines += [f"#   - {one_line(t)}" for t in unlabelled]
    return "\n".join(lines) + "\n"


def normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- Output ---------------------------------------------------------------------------------

def day(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d")


def bar_chart(counts: List[Tuple[str, int]], label: str) -> str:
    """A horizontal bar chart as inline SVG, with its numbers also as text."""
    width, bar_h, gap, left = 560, 18, 6, 150
    top = max([c for _, c in counts] or [1]) or 1
    height = max(1, len(counts)) * (bar_h + gap) + gap
    rows = []
    for i, (name, count) in enumerate(counts):
        y = gap + i * (bar_h + gap)
        w = int((width - left - 60) * count / top)
        rows.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{html.escape(name)}</text>'
                    f'<rect x="{left}" y="{y}" width="{max(w, 1)}" height="{bar_h}" fill="#0b5394"></rect>'
                    f'<text x="{left + w + 6}" y="{y + 13}">{count}</text>')
    return (f'<svg role="img" aria-label="{html.escape(label)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-size="12" fill="#1b1f24"><title>{html.escape(label)}</title>'
            + "".join(rows) + "</svg>")


def table(headers: List[str], rows: List[List[str]], caption: str) -> str:
    if not rows:
        return "<p>None in this window.</p>"
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def ratings_by_topic(r: Review) -> Dict[str, Counter]:
    counts: Dict[str, Counter] = defaultdict(Counter)
    for rating in r.ratings:
        counts[rating.topic][rating.rating] += 1
    return counts


def to_html(r: Review, suggestions_path: Path) -> str:
    ratings = ratings_by_topic(r)
    messages = sum(r.messages_by_channel.values())
    topics = sorted(set(r.topics) | set(ratings), key=lambda t: (-r.topics[t], t))
    topic_rows = [[r.title(t), t, r.topics[t], ratings[t]["up"], ratings[t]["down"]] for t in topics]
    comments = [[f"#{x.conversation}", r.title(x.topic), x.comment or "(no comment)"]
                for x in r.ratings if x.rating == "down"]
    css = ("body{font-family:system-ui,sans-serif;color:#1b1f24;max-width:60rem;margin:2rem auto;padding:0 1rem;"
           "line-height:1.45}table{border-collapse:collapse;margin:0.5rem 0 1.5rem;width:100%}"
           "th,td{border:1px solid #c5ccd6;padding:0.3rem 0.5rem;text-align:left;vertical-align:top}"
           "caption{text-align:left;font-weight:600;padding:0.3rem 0}th{background:#eef2f6}"
           ".figures{display:flex;gap:1.5rem;flex-wrap:wrap;padding:0;list-style:none}"
           ".figures li{background:#eef2f6;padding:0.6rem 1rem;border-radius:0.5rem}"
           ".note{color:#4a5360}")
    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>CAR T assistant review, {day(r.since)} to {day(r.until)}</title><style>{css}</style></head><body>",
        "<main>",
        f"<h1>CAR T assistant: review of {day(r.since)} to {day(r.until)}</h1>",
        '<p class="note">Private: conversations are numbered, not named; e-mail addresses and phone numbers '
        "are masked. Keep this file local.</p>",
        '<ul class="figures">'
        f"<li><strong>{len(r.conversations)}</strong> conversations</li>"
        f"<li><strong>{messages}</strong> messages</li>"
        f"<li><strong>{len(r.unanswered)}</strong> not answered</li>"
        f"<li><strong>{len(r.urgent)}</strong> emergency or crisis replies</li>"
        f"<li><strong>{sum(1 for x in r.ratings if x.rating == 'up')}</strong> helped 👍, "
        f"<strong>{sum(1 for x in r.ratings if x.rating == 'down')}</strong> did not help 👎</li></ul>",
        "<h2>Volumes</h2>",
        "<h3>Messages per channel</h3>",
        bar_chart(sorted(r.messages_by_channel.items(), key=lambda kv: -kv[1]), "Messages per channel"),
        "<h3>Messages per day</h3>",
        bar_chart(sorted(r.messages_by_day.items()), "Messages per day"),
        "<h2>Topics asked most, and feedback</h2>",
        table(["Topic", "Id", "Answered", "Helped 👍", "Did not help 👎"], topic_rows,
              "Answers given per topic, with ratings"),
        "<h3>Did not help 👎, and what they were looking for</h3>",
        table(["Conversation", "Topic", "What they wrote"], comments, "Thumbs-down comments"),
        "<h2>Not understood</h2>",
        '<p class="note">Every message that got "did you mean" or no answer, and what the person did next '
        "(a clicked topic is a label for training).</p>",
        table(["Conversation", "Message", "Reply", "Then"], [[f"#{c}", t, k, n] for c, t, k, n in r.unanswered],
              "Messages the assistant was unsure about"),
        "<h2>Answers given with low confidence</h2>",
        table(["Conversation", "Message", "Answered", "Confidence"],
              [[f"#{c}", t, r.title(a), f"{conf:.2f}"] for c, t, a, conf in r.low_confidence],
              f"Intent confidence under {LOW_INTENT_CONFIDENCE} or answer confidence under {LOW_ANSWER_CONFIDENCE}"),
        "<h2>Emergency and crisis replies</h2>",
        '<p class="note">Check each one: was it a real warning sign or crisis? A false alarm is a phrase for '
        "content/red_flags.yml or content/crisis.yml to learn; a miss is worse.</p>",
        table(["Conversation", "Message", "Reply", "Classifier alone"], [[f"#{c}", t, k, v] for c, t, k, v in r.urgent],
              "Urgent replies given"),
        "<h2>Suggested training examples</h2>",
        f"<p>{sum(len(v) for v in r.labelled.values())} labelled and {len(r.unlabelled)} unlabelled messages: "
        f"<code>{html.escape(str(suggestions_path))}</code>. Review them, then move them into <code>data/</code>.</p>",
        "</main></body></html>",
    ]
    return "\n".join(parts)


def to_markdown(r: Review, html_path: Path, suggestions_path: Path) -> str:
    ratings = ratings_by_topic(r)
    lines = [
        f"# Review {day(r.since)} to {day(r.until)}",
        "",
        f"- {len(r.conversations)} conversations, {sum(r.messages_by_channel.values())} messages "
        f"({', '.join(f'{c} {n}' for c, n in r.messages_by_channel.most_common())})",
        f"- not understood: {len(r.unanswered)}; low confidence: {len(r.low_confidence)}; "
        f"emergency/crisis replies: {len(r.urgent)}",
        f"- feedback: {sum(1 for x in r.ratings if x.rating == 'up')} 👍, "
        f"{sum(1 for x in r.ratings if x.rating == 'down')} 👎",
        "",
        "| topic | answered | 👍 | 👎 |",
        "|---|---:|---:|---:|",
    ]
    for topic, count in r.topics.most_common(10):
        lines.append(f"| {r.title(topic)} | {count} | {ratings[topic]['up']} | {ratings[topic]['down']} |")
    if r.unanswered:
        lines += ["", "Not understood (first 5):"]
        lines += [f"- #{c} \"{t}\" ({k}; {n})" for c, t, k, n in r.unanswered[:5]]
    lines += ["", f"Report: {html_path}", f"Suggested training examples: {suggestions_path}"]
    return "\n".join(lines)


def load_titles_and_examples(importer: Any = None) -> Tuple[Dict[str, str], set]:
    """Topic titles by payload and the training examples, as Rasa merges them (from the
    project's files, or from an importer of them that the caller has loaded already)."""
    from rasa.shared.importers.importer import TrainingDataImporter

    from actions.answers import action_answers
    from actions.titles import titles_by_payload

    importer = importer or TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")])
    titles = titles_by_payload(importer.get_domain().responses, action_answers())
    examples = {normalise(m.get("text")) for m in importer.get_nlu_data().intent_examples}
    return titles, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=7)
    parser.add_argument("--store", default=None, help="SQLAlchemy URL of the tracker store")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    started = time.monotonic()
    until = time.time()
    since = until - args.days * 86400
    titles, examples = load_titles_and_examples()
    result = review(load_conversations(args.store or default_store(), since), titles, since, until)
    args.out.mkdir(parents=True, exist_ok=True)
    html_path, suggestions_path = args.out / "review.html", args.out / "suggested_examples.yml"
    suggestions_path.write_text(suggestions_yaml(result, examples), encoding="utf-8")
    html_path.write_text(to_html(result, suggestions_path), encoding="utf-8")
    print(to_markdown(result, html_path, suggestions_path))
    print(f"\n(review took {time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
