"""The content contract (../shared/spec/faq-topics.yml) against answers, data and rules."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, load_yaml
from scripts.build_spacy_pipeline import DEFAULT_SYNONYMS, synonyms_yaml

MIN_EXAMPLES = 15
MAX_WORDS = 120
# Conversation replies: short, no "learn more" line needed.
CONVERSATIONAL = {"greet", "goodbye", "thank", "bot_challenge", "help", "emergency", "crisis",
                  "out_of_scope", "human_handoff"}
# Plain intents answered by action_answer_indications (general answer in action_answers.yml).
ACTION_ANSWERED = {"cancers_treated", "approved_products", "solid_tumors"}
TITLES = load_yaml(ROOT / "content" / "topics.yml")["titles"]


def rules_by_intent():
    rules = load_yaml(ROOT / "data" / "rules.yml")["rules"]
    found = {}
    for rule in rules:
        steps = rule["steps"]
        if len(steps) == 2 and "intent" in steps[0]:
            found[steps[0]["intent"]] = steps[1]["action"]
    return found


def retrieval_key(topic, keys):
    """The <retrieval intent>/<topic> key among keys, if the topic is an FAQ answer."""
    return next((k for k in keys if k.endswith(f"/{topic}")), None)


def answer_of(topic, domain, action_answers):
    """The reply a topic gets: (name, response dict)."""
    responses = domain["responses"]
    name = retrieval_key(topic, responses)
    if name:
        return name, responses[name][0]
    if topic in ACTION_ANSWERED:
        return topic, action_answers[topic]
    return f"utter_{topic}", responses[f"utter_{topic}"][0]


def all_replies(domain, action_answers):
    for name, variations in domain["responses"].items():
        for variation in variations:
            yield name, variation
    yield from action_answers.items()


def test_every_topic_is_answerable_with_examples_and_sources(contract, domain, action_answers,
                                                             training_examples):
    rules = rules_by_intent()
    problems = []
    for topic in (t["id"] for t in contract):
        intent = retrieval_key(topic, training_examples) or topic
        if len(set(training_examples.get(intent, []))) < MIN_EXAMPLES:
            problems.append(f"{topic}: fewer than {MIN_EXAMPLES} training examples")
        if intent == topic:
            if topic not in domain["intents"]:
                problems.append(f"{topic}: not an intent in domain.yml")
            if topic not in rules:
                problems.append(f"{topic}: no rule answers it")
        try:
            name, reply = answer_of(topic, domain, action_answers)
        except KeyError:
            problems.append(f"{topic}: no answer")
            continue
        if not (reply.get("metadata") or {}).get("sources"):
            problems.append(f"{name}: no metadata.sources")
    assert not problems, "\n".join(problems)


def test_faq_answers_end_with_where_to_learn_more(contract, domain, action_answers):
    for topic in (t["id"] for t in contract if t["id"] not in CONVERSATIONAL):
        name, reply = answer_of(topic, domain, action_answers)
        last_line = reply["text"].strip().splitlines()[-1]
        assert re.match(r"Learn more: .+, https?://\S+$", last_line), f"{name}: {last_line!r}"


@pytest.mark.parametrize("source", ["domain", "action_answers"])
def test_replies_fit_a_chat_bubble(source, domain, action_answers):
    replies = all_replies(domain, {}) if source == "domain" else action_answers.items()
    too_long = [(n, len(r["text"].split())) for n, r in replies if len(r["text"].split()) > MAX_WORDS]
    assert not too_long


def test_no_faq_response_without_training_examples(domain, training_examples):
    for name in domain["responses"]:
        if "/" in name:
            retrieval_intent = name[len("utter_"):].split("/")[0]
            assert retrieval_intent in domain["intents"], name
            assert name[len("utter_"):] in training_examples, name


def test_buttons_point_to_answers_with_consistent_titles(domain, action_answers):
    for name, reply in all_replies(domain, action_answers):
        for button in reply.get("buttons", []):
            payload = button["payload"]
            assert payload.startswith("/"), (name, payload)
            target = payload[1:]
            if "/" in target:
                assert f"utter_{target}" in domain["responses"], (name, payload)
                topic = target.split("/", 1)[1]
            else:
                assert target in domain["intents"], (name, payload)
                topic = target
            assert button["title"] == TITLES[topic], (name, button)


def test_every_topic_has_a_button_title(contract):
    assert {t["id"] for t in contract} <= set(TITLES)


def test_training_examples_are_not_duplicated_and_include_the_contract_question(contract, training_examples):
    seen = {}
    for intent, examples in training_examples.items():
        for example in examples:
            key = re.sub(r"\W+", " ", example.lower()).strip()
            assert key not in seen, f"{example!r} in {intent} and {seen[key]}"
            seen[key] = intent
    # The contract's question is each topic's canonical phrasing (the hold-out set,
    # not the contract, measures generalisation).
    for topic in contract:
        key = re.sub(r"\W+", " ", topic["ask"].lower()).strip()
        assert seen.get(key, "").split("/")[-1] == topic["id"], topic["ask"]


def test_synonyms_file_is_generated_from_content():
    assert DEFAULT_SYNONYMS.read_text(encoding="utf-8") == synonyms_yaml(), (
        "data/nlu/synonyms.yml is stale: run python scripts/build_spacy_pipeline.py"
    )


def test_product_table_has_sources_and_known_cancers():
    from actions.content import catalog

    c = catalog()
    assert len(c.products) == 7
    for product in c.products:
        assert product.sources, product.brand
        for indication in product.indications:
            assert c.cancer(indication.cancer), (product.brand, indication.cancer)


def test_holdout_questions_are_not_training_examples(training_examples):
    holdout = load_yaml(ROOT / "tests" / "holdout" / "topics.yml")["topics"]
    train = {re.sub(r"\W+", " ", e.lower()).strip() for ex in training_examples.values() for e in ex}
    for topic, questions in holdout.items():
        assert len(questions) >= 3, topic
        for q in questions:
            assert re.sub(r"\W+", " ", q.lower()).strip() not in train, q
