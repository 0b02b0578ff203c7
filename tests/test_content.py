"""The content contract (../shared/spec/faq-topics.yml) against what Rasa merges from domain.yml
and data/ (its importer), and the layout a maintainer edits: one file per FAQ group."""
from __future__ import annotations

import re

import pytest

from actions.answers import topic_titles
from helpers import ROOT, load_yaml
from scripts.build_spacy_pipeline import DEFAULT_SYNONYMS, synonyms_yaml

MIN_EXAMPLES = 15
MAX_WORDS = 120
MAX_TITLE_CHARS = 40
GROUPS = ("basics", "outcomes", "risks", "aftercare", "comparisons", "research", "support")
# Conversation replies: short, no "learn more" line needed.
CONVERSATIONAL = {"greet", "goodbye", "thank", "bot_challenge", "privacy", "bereavement", "help", "emergency", "crisis",
                  "out_of_scope", "human_handoff"}
# Plain intents answered by action_answer_indications (general answer in action_answers.yml).
ACTION_ANSWERED = {"cancers_treated", "approved_products", "solid_tumors"}


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


def test_every_topic_is_answerable_with_examples_sources_and_a_title(contract, domain, intents, action_answers,
                                                                      training_examples):
    rules = rules_by_intent()
    titles = topic_titles(domain)
    problems = []
    for topic in (t["id"] for t in contract):
        intent = retrieval_key(topic, training_examples) or topic
        if len(set(training_examples.get(intent, []))) < MIN_EXAMPLES:
            problems.append(f"{topic}: fewer than {MIN_EXAMPLES} training examples")
        if intent == topic:
            if topic not in intents:
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
        title = titles.get(f"/{intent}")
        if not title or len(title) > MAX_TITLE_CHARS:
            problems.append(f"{name}: no metadata.title of at most {MAX_TITLE_CHARS} characters")
    assert not problems, "\n".join(problems)


def test_faq_answers_end_with_where_to_learn_more(contract, domain, action_answers):
    for topic in (t["id"] for t in contract if t["id"] not in CONVERSATIONAL):
        name, reply = answer_of(topic, domain, action_answers)
        last_line = reply["text"].strip().splitlines()[-1]
        assert re.match(r"Learn more: .+, https?://\S+$", last_line), f"{name}: {last_line!r}"


MAX_SUMMARY_WORDS = 35


def test_every_faq_answer_has_a_short_summary_that_adds_no_number(domain):
    """"Can you explain that more simply?" gets the answer's `metadata.summary`: one or two
    sentences, no links or phone numbers, and no number the answer itself does not give."""
    problems = []
    for name, [reply, *_] in domain["responses"].items():
        if "/" not in name:
            continue
        summary = (reply.get("metadata") or {}).get("summary") or ""
        if not summary or len(summary.split()) > MAX_SUMMARY_WORDS:
            problems.append(f"{name}: no metadata.summary of at most {MAX_SUMMARY_WORDS} words")
        if re.search(r"https?://|\d{3}-\d{3,4}", summary):
            problems.append(f"{name}: a link or phone number in its summary")
        numbers = set(re.findall(r"\d+(?:\.\d+)?", reply["text"]))
        problems += [f"{name}: {number} in its summary, not in its answer"
                     for number in re.findall(r"\d+(?:\.\d+)?", summary) if number not in numbers]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", ["domain", "action_answers"])
def test_replies_fit_a_chat_bubble(source, domain, action_answers):
    replies = all_replies(domain, {}) if source == "domain" else action_answers.items()
    too_long = [(n, len(r["text"].split())) for n, r in replies if len(r["text"].split()) > MAX_WORDS]
    assert not too_long


def test_no_faq_response_without_training_examples(domain, intents, training_examples):
    for name in domain["responses"]:
        if "/" in name:
            retrieval_intent = name[len("utter_"):].split("/")[0]
            assert retrieval_intent in intents, name
            assert name[len("utter_"):] in training_examples, name


def test_buttons_name_topics_by_payload_and_every_payload_has_a_title(domain, intents, action_answers):
    """A title has one home, its topic's answer: a button that carries one would be a second."""
    titles = topic_titles(domain)
    for name, reply in all_replies(domain, action_answers):
        for button in reply.get("buttons", []):
            assert set(button) == {"payload"}, (name, button)
            payload = button["payload"]
            target = payload[1:]
            assert f"utter_{target}" in domain["responses"] if "/" in target else target in intents, (name, payload)
            assert payload in titles, (name, payload)


def test_each_faq_group_has_its_own_file_and_domain_yml_holds_no_faq_answer():
    for group in GROUPS:
        data = load_yaml(ROOT / "data" / "faq" / f"{group}.yml")
        keys = {block["intent"].split("/")[0] for block in data["nlu"] if "/" in block["intent"]}
        assert keys == {group}
        assert {name.split("/")[0] for name in data["responses"]} == {f"utter_{group}"}
    assert {p.stem for p in (ROOT / "data" / "faq").glob("*.yml")} == set(GROUPS)
    elsewhere = [(p.name, block["intent"]) for p in (ROOT / "data").glob("*.yml")
                 for block in load_yaml(p).get("nlu") or [] if "/" in block.get("intent", "")]
    assert not elsewhere  # a group's examples live in its own file only
    assert not any("/" in name for name in load_yaml(ROOT / "domain.yml")["responses"])


def test_no_comment_hides_inside_a_block_of_examples():
    """Inside `examples: |` a "# ..." line is text, not a YAML comment: Rasa warns and skips it as an
    example that does not start with "-". Comments go above the block."""
    stray = []
    for path in (ROOT / "data").rglob("*.yml"):
        for block in load_yaml(path).get("nlu") or []:
            if isinstance(block.get("examples"), str):
                stray += [(path.name, line) for line in block["examples"].splitlines() if line.strip().startswith("#")]
    assert stray == []


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
        "data/synonyms.yml is stale: run python scripts/build_spacy_pipeline.py"
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


def test_no_answer_opens_with_a_bare_yes_or_no(domain, action_answers):
    """An FAQ answer is given to many phrasings of its question ("Is there help?", "How do I
    get help?"), so it must not open with a yes or no that fits only one of them. Yes/no
    answers computed for the question asked (product_approved) are the exception."""
    computed = {"product_approved", "product_not_approved", "product_not_first_line"}
    texts = [(name, v["text"]) for name, vs in domain["responses"].items() for v in vs]
    texts += [(name, a["text"]) for name, a in action_answers.items() if name not in computed]
    assert not [name for name, text in texts if re.match(r"(yes|no)\b[.,!:]", text.strip(), re.I)]


@pytest.mark.parametrize("typed, brand", [("kymria", "Kymriah"), ("Abekma", "Abecma"), ("tecartis", "Tecartus"),
                                          ("carvyktie", "Carvykti"), ("breyanzy", "Breyanzi"), ("Yescarta", "Yescarta"),
                                          ("yes", None), ("kymirah", None)])
def test_a_brand_name_with_one_typo_is_the_product(typed, brand):
    """One letter added, dropped or changed, as the entity ruler's FUZZY1 patterns match it."""
    from actions.content import catalog

    product = catalog().product(typed)
    assert (product.brand if product else None) == brand


def test_no_content_file_repeats_a_key():
    """YAML keeps the last of two equal keys silently: a second `caregiver_support:` under
    follow-ups' `topics` once dropped the first one's mappings."""
    import yaml

    class UniqueKeys(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
            repeated = {k for k in keys if keys.count(k) > 1}
            assert not repeated, f"line {node.start_mark.line + 1}: {sorted(repeated)} repeated"
            return super().construct_mapping(node, deep=deep)

    for path in sorted((ROOT / "content").glob("*.yml")) + sorted((ROOT / "data").rglob("*.yml")):
        with open(path, encoding="utf-8") as f:
            yaml.load(f, Loader=UniqueKeys)  # noqa: S506 - a SafeLoader subclass
