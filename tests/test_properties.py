"""Property-based tests (hypothesis): random text through the trained NLU, the custom NLU
components and the custom actions never raises, and every result keeps its shape."""
from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.constants import DEFAULT_INTENTS

from actions.clarify import MAX_SUGGESTIONS, ActionClarify
from actions.answers import topic_titles
from actions.content import catalog
from actions.indications import GENERAL_ANSWERS, ActionAnswerIndications
from helpers import faq_message, merged_domain, rasa_importer
from helpers import action_tracker as tracker
from helpers import run_action as run
from nlu_components.answer_confidence_gate import AnswerConfidenceGate
from nlu_components.message_guard import MessageGuard, safe_text
from nlu_components.red_flag_detector import RedFlagDetector
from nlu_components.topic_payloads import TopicPayloadHandler

DOMAIN = rasa_importer().get_domain()  # as Rasa merges domain.yml and data/
INTENTS = DOMAIN.intents
ENTITIES = DOMAIN.entities  # product, cancer, side_effect
MAX_CHARACTERS = MessageGuard.get_default_config()["max_characters"]

# No example database: each run explores afresh; a failure prints its input to reproduce it.
FAST = settings(max_examples=100, deadline=None, database=None)
NLU = settings(max_examples=60, deadline=None, database=None)  # ~10-30 ms per parse

# --- Strategies ----------------------------------------------------------------------
# Every code point: controls, format characters, unassigned and lone surrogates included.
ANY_CHAR = st.characters(exclude_categories=())
WHITESPACE = [chr(i) for i in range(0x110000) if chr(i).isspace()]
FRAGMENTS = [
    "<script>alert('x')</script>", "<b>", "</div>", "<img src=x onerror=alert(1)>", "&lt;&amp;",
    "'; DROP TABLE events; --", '" OR 1=1 --', "' UNION SELECT NULL--", "%s", "{cancer}", "{{x}}",
    "🤒", "🥶😵‍💫", "👨‍👩‍👧", "🇺🇸", "CAR T 是什么？", "Что такое CAR-T?", "ما هو العلاج", "ｃａｒ ｔ",
    "what is car t?", "yescarta for myeloma", "temp 39.2", "can't breathe", "pulse 130", "now",
    "\x00", "\x1b[31m", "\u202e", "\u200b", "\ufeff", "\udcff", "\r\n", "\t", " ",
    "/", "/risks/crs", "/greet", '{"product": "Yescarta"}', "\\", "...", "٣٩٫٥", "𝟑𝟗",
]
mixed_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ANY_CHAR, max_size=15)), max_size=12).map(
    "".join
)
long_text = st.builds(  # a short piece repeated to up to 5,000 characters
    lambda piece, n: (piece * n)[:5000], st.text(ANY_CHAR, min_size=1, max_size=40) | mixed_text.filter(bool),
    st.integers(50, 5000),
)
blank_text = st.text(st.sampled_from(WHITESPACE), max_size=30)
# Button-payload look-alikes: /intent, /intent/topic, /intent{json...}, /intent + anything.
payload_text = st.builds(
    lambda intent, tail: f"/{intent}{tail}",
    st.sampled_from([*INTENTS, "restart", "nope"]),
    st.sampled_from(["", "/crs", "/nope", '{"product": "Kymriah"}', '{"cancer": 5}', "{bad"]) | st.text(max_size=20),
)
ANY_TEXT = st.one_of(st.text(ANY_CHAR), mixed_text, long_text, blank_text, payload_text)


def parse(agent, text: str) -> dict:
    return asyncio.run(agent.parse_message(text))


# --- 1. The trained NLU end to end ---------------------------------------------------
@NLU
@given(text=ANY_TEXT)
def test_nlu_parses_any_text_to_a_known_intent(agent, text):
    result = parse(agent, text)
    # Domain intents, nlu_fallback, or Rasa's built-ins (/restart, /session_start payloads).
    assert result["intent"]["name"] in {*INTENTS, *DEFAULT_INTENTS}
    assert 0.0 <= result["intent"]["confidence"] <= 1.0
    assert len(result["text"]) <= MAX_CHARACTERS  # the MessageGuard cut it before NLU
    if not text.startswith("/"):  # payloads may carry any {"entity": ...} Rasa accepts
        assert {e["entity"] for e in result["entities"]} <= set(ENTITIES)


@NLU
@given(text=blank_text)
def test_empty_and_blank_text_is_nlu_fallback(agent, text):
    # Rasa never returns intent None: an empty message gets nlu_fallback (clarify replies).
    assert parse(agent, text)["intent"]["name"] == "nlu_fallback"


# --- 2. NLU components: pure functions of the text -----------------------------------
@pytest.fixture(scope="module")
def detector():
    return RedFlagDetector(RedFlagDetector.get_default_config())


@FAST
@given(text=st.text(ANY_CHAR, max_size=3000), limit=st.integers(0, 2500))
def test_safe_text_cuts_and_replaces_only_unencodable_characters(text, limit):
    out = safe_text(text, limit)
    out.encode("utf-8")  # always encodable
    assert len(out) == min(len(text), limit)
    assert all(a == b or ("\ud800" <= a <= "\udfff" and b == "?") for a, b in zip(text, out))


@FAST
@given(text=ANY_TEXT)
def test_red_flag_matcher_is_total_and_deterministic(detector, text):
    text = safe_text(text, MAX_CHARACTERS)  # what the pipeline hands it: MessageGuard runs first
    matcher = detector.matcher
    found = matcher.matches(text)
    assert set(found) <= {*matcher.GROUPS, "readings", "bare_readings"}
    flag = matcher.is_red_flag(text)
    assert isinstance(flag, bool)
    assert matcher.matches(text) == found and matcher.is_red_flag(text) is flag


@FAST
@given(text=ANY_TEXT, intent_confidence=st.floats(0, 1), answer_confidence=st.floats(0, 1))
def test_components_rewrite_any_message_consistently(detector, text, intent_confidence, answer_confidence):
    # The custom components in pipeline order, on a message shaped like the classifiers' output.
    messages = [faq_message(text, intent_confidence, answer_confidence)]
    retrieval_intents = messages[0].get("response_selector")["all_retrieval_intents"]
    for component in (MessageGuard(MessageGuard.get_default_config()), TopicPayloadHandler(None, None, set()),
                      AnswerConfidenceGate({"threshold": 0.5}), detector):
        messages = component.process(messages)
    [message] = messages
    intent = message.get("intent")
    assert intent["name"] in {*retrieval_intents, "nlu_fallback", "emergency"}
    assert message.get("intent_ranking")[0] == intent  # the chosen intent leads the ranking
    assert len(message.get("text")) <= MAX_CHARACTERS


# --- 3. Custom actions -----------------------------------------------------------------
def surface_forms():
    c = catalog()
    return sorted({f for item in (*c.products, *c.cancers, *c.side_effects) for f in item.surface_forms})


# Known names (with odd case and spacing, so lookups are exercised) or any text.
known_name = st.builds(lambda f, upper, pad: (f.upper() if upper else f.lower()).center(len(f) + pad),
                       st.sampled_from(surface_forms()), st.booleans(), st.integers(0, 3))
entities = st.lists(st.tuples(st.sampled_from(ENTITIES), known_name | st.text()), max_size=5)
any_intent = st.sampled_from([*INTENTS, "nlu_fallback"]) | st.text(max_size=20)


def assert_replies(messages):
    assert messages and all(m["text"] and m["text"].strip() for m in messages)


def indications(intent, entities, text="...") -> list:
    """The indications action's messages; its only event may name the topic it answered."""
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = ActionAnswerIndications().run(dispatcher, tracker(intent, entities, text=text), merged_domain())
    assert all(e["event"] == "slot" and e["name"] == "topic" and e["value"] in GENERAL_ANSWERS for e in events)
    return dispatcher.messages


@FAST
@given(text=st.text(), intent=any_intent, entities=entities)
def test_answer_indications_replies_to_any_message(text, intent, entities):
    assert_replies(indications(intent, entities, text=text))


# Found by this test: Catalog.product/cancer called .strip() on an int -> action server 500.
@settings(FAST, report_multiple_bugs=False)  # one AttributeError, not a group (product and cancer)
@given(intent=st.sampled_from(["cancers_treated", "approved_products", "solid_tumors"]),
       entities=st.lists(st.tuples(st.sampled_from(ENTITIES),
                                   st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())),
                         max_size=3))
def test_answer_indications_replies_to_any_payload_entity_value(intent, entities):
    # Entity values as RegexMessageHandler passes them through from `/intent{"entity": value}`.
    assert_replies(indications(intent, entities))


# Rankings shaped like the classifiers' output (tests/test_actions.py UNSURE_RISKS).
confidence = st.floats(0, 1)
response_key = st.builds(lambda group, key: f"{group}/{key}", st.sampled_from(INTENTS) | st.text(max_size=10),
                         st.sampled_from(sorted({p.rsplit("/", 1)[-1] for p in topic_titles(merged_domain())})) | st.text(max_size=10))
ranking = st.lists(st.fixed_dictionaries({"intent_response_key": response_key, "confidence": confidence}),
                   max_size=8)


@st.composite
def response_selectors(draw):
    selector = {"all_retrieval_intents": draw(st.lists(st.sampled_from(INTENTS), max_size=7, unique=True))}
    # the catch-all selection, and sometimes an intent's own one (as a button payload makes)
    for name in draw(st.lists(st.sampled_from(["default", *INTENTS]), max_size=3, unique=True)):
        answers = draw(ranking)
        selector[name] = {"response": answers[0] if answers else {}, "ranking": answers}
    return selector


@FAST
@given(
    text=st.text(),
    intent_ranking=st.lists(st.fixed_dictionaries({"name": any_intent, "confidence": confidence}), max_size=8),
    response_selector=response_selectors(),
)
def test_clarify_replies_to_any_ranking(text, intent_ranking, response_selector):
    t = tracker("nlu_fallback", intent_ranking=intent_ranking, response_selector=response_selector, text=text)
    [message] = run(ActionClarify(), t)
    assert message["text"].strip()
    buttons = message["buttons"]
    assert len(buttons) <= MAX_SUGGESTIONS + 1  # the likeliest topics + help
    assert all(b["title"] and b["payload"].startswith("/") for b in buttons)
    assert "/help" in {b["payload"] for b in buttons}  # both replies offer a way on
