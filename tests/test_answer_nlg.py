"""nlg/answers.py: buttons get their topic's title, and a named product adds its own fact
(content/product_facts.yml) to the topic's answer. Rasa's domain, no model needed."""
from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.content import catalog, load_yaml
from helpers import rasa_importer
from nlg.answers import AnswerNLG


@pytest.fixture(scope="module")
def nlg() -> AnswerNLG:
    return AnswerNLG(domain=rasa_importer().get_domain())


def reply(nlg, response: str, text: str = "...", products=(), **kwargs) -> dict:
    tracker = DialogueStateTracker.from_events("test", [UserUttered(text, entities=[
        {"entity": "product", "value": p, "start": 0, "end": 1} for p in products])])
    return asyncio.run(nlg.generate(response, tracker, "rest", **kwargs))


def test_buttons_get_their_topics_title(nlg):
    buttons = reply(nlg, "utter_risks/crs")["buttons"]
    assert buttons and all(b["title"] and b["title"] != b["payload"] for b in buttons)


def test_buttons_get_titles_when_rasa_hands_over_the_models_responses_later():
    """Rasa's Agent creates the NLG before it loads a model, then sets `responses` (agent.py)."""
    late = AnswerNLG(domain=None)
    late.responses = rasa_importer().get_domain().responses
    buttons = reply(late, "utter_risks/crs")["buttons"]
    assert buttons and not any(b["title"].startswith("/") for b in buttons)


def test_eligibility_for_a_named_product_adds_its_label_population_before_learn_more(nlg):
    text = reply(nlg, "utter_basics/eligibility", "Who is eligible for Abecma?", products=["Abecma"])["text"]
    general = reply(nlg, "utter_basics/eligibility")["text"]
    fact, learn_more = text.split("For Abecma, the FDA label (US) covers:")[1].split("\n\nLearn more")
    assert "multiple myeloma" in fact
    assert text.startswith(general.split("\n\nLearn more")[0]) and "Learn more" in general


def test_what_is_it_about_a_named_product_adds_its_label_population(nlg):
    """"the oncologist brought up Carvykti, what exactly is it?" got the general CAR T answer alone."""
    text = reply(nlg, "utter_basics/what_is_car_t", "what exactly is Carvykti", products=["Carvykti"])["text"]
    assert "For Carvykti, the FDA label (US) covers:" in text and "multiple myeloma" in text


def test_a_product_passed_by_an_action_wins_over_the_message(nlg):
    text = reply(nlg, "utter_risks/neurotoxicity", "what about nerve problems", product="Carvykti")["text"]
    assert "parkinsonism" in text


def test_a_product_without_a_fact_for_the_topic_gets_the_general_answer(nlg):
    assert (reply(nlg, "utter_risks/crs_treatment", products=["Carvykti"])["text"]
            == reply(nlg, "utter_risks/crs_treatment")["text"])


def test_side_effects_of_a_product_without_a_fact_of_its_own_get_its_crs_rates(nlg):
    text = reply(nlg, "utter_risks/side_effects", "side effects of tecartus?", products=["Tecartus"])["text"]
    assert "In Tecartus's ALL trial, 92 in 100 people had some CRS" in text


def test_it_in_the_question_is_the_product_under_discussion(nlg):
    tracker = DialogueStateTracker.from_events("test", [SlotSet("product", "Tecartus"),
                                                        UserUttered("how common is crs with it")])
    text = asyncio.run(nlg.generate("utter_risks/crs", tracker, "rest"))["text"]
    assert "Tecartus" in text
    tracker = DialogueStateTracker.from_events("test", [SlotSet("product", "Tecartus"), UserUttered("how common is crs")])
    assert "Tecartus" not in asyncio.run(nlg.generate("utter_risks/crs", tracker, "rest"))["text"]


@pytest.mark.parametrize("before, message, entities, carried", [
    ("approved_products", "who is eligible", [], True),  # right after "What is Abecma?"
    ("cost", "who is eligible", [], False),  # Abecma was discussed, but not in the answer before
    ("approved_products", "who is eligible with myeloma", [{"entity": "cancer", "value": "multiple myeloma"}], False),
])
def test_a_question_right_after_a_products_answer_is_about_that_product(nlg, before, message, entities, carried):
    tracker = DialogueStateTracker.from_events("test", [
        SlotSet("product", "Abecma"), SlotSet("topic", before), UserUttered(message, entities=entities),
        SlotSet("topic", "eligibility")])
    text = asyncio.run(nlg.generate("utter_basics/eligibility", tracker, "rest"))["text"]
    assert ("For Abecma, the FDA label (US) covers" in text) == carried


@pytest.mark.parametrize("cancer, fact", [
    ("non-Hodgkin lymphoma", "For non-Hodgkin lymphoma, these are approved:\n- Kymriah"),
    ("multiple myeloma", "For multiple myeloma, these are approved:\n- Abecma (idecabtagene vicleucel): adults"),
    ("acute myeloid leukemia", "No CAR T is FDA-approved for acute myeloid leukemia; clinical trials may study it."),
    ("pancreatic cancer", "No CAR T is FDA-approved for pancreatic cancer or any other solid tumor."),
    ("solid tumors", "No CAR T is FDA-approved for any solid tumor."),
])
def test_eligibility_with_a_named_cancer_adds_what_is_approved_for_it(nlg, cancer, fact):
    tracker = DialogueStateTracker.from_events("test", [UserUttered("does it qualify for car t", entities=[
        {"entity": "cancer", "value": cancer, "start": 0, "end": 1}])])
    text = asyncio.run(nlg.generate("utter_basics/eligibility", tracker, "rest"))["text"]
    assert fact in text and text.index(fact) < text.index("Learn more")
    assert "For " + cancer not in asyncio.run(nlg.generate("utter_risks/crs", tracker, "rest"))["text"]


@pytest.mark.parametrize("message, response, noted", [
    ("does insurance pay for car t in canada", "utter_support/insurance", True),
    ("how long do we stay near the hospital, we're in the UK", "utter_aftercare/stay_nearby", True),
    ("is there a helpline outside the US", "utter_support/acs", True),
    ("does insurance pay for car t", "utter_support/insurance", False),
    ("we live in new england, does insurance pay", "utter_support/insurance", False),
    ("in the uk, what is crs?", "utter_risks/crs", False),  # the answer gives no US facts
    ("can I travel abroad after car t", "utter_aftercare/daily_life", False),
])
def test_an_answer_with_us_facts_to_a_message_from_outside_the_us_says_so(nlg, message, response, noted):
    tracker = DialogueStateTracker.from_events("test", [UserUttered(message)])
    reply_ = asyncio.run(nlg.generate(response, tracker, "rest"))
    assert ("This answer is about the US." in reply_["text"]) == noted
    assert (reply_["buttons"][0]["payload"] == "/research/outside_us") == noted
    if noted:
        assert reply_["text"].index("This answer is about the US.") < reply_["text"].index("Learn more")


def test_every_product_fact_names_a_topic_with_an_answer_and_a_product_of_the_table(contract):
    facts = load_yaml("product_facts.yml")
    ids = {t["id"] for t in contract}
    brands = {p.brand for p in catalog().products}
    assert set(facts["label_topics"]) <= ids
    assert set(facts["fact_fallbacks"]) | set(facts["fact_fallbacks"].values()) <= set(facts["facts"]) & ids
    for topic, by_product in facts["facts"].items():
        assert topic in ids, topic
        assert set(by_product) <= brands, topic
        assert all(len(text.split()) <= 60 for text in by_product.values()), topic


def answered(nlg, response: str, key: str, confidence: float, ranking) -> dict:
    """The reply `response` to a message whose classifier chose `key` with `confidence`."""
    selector = {"response": {"intent_response_key": key, "confidence": confidence},
                "ranking": [{"intent_response_key": k, "confidence": c} for k, c in ranking]}
    parse = {"intent_ranking": [{"name": "risks", "confidence": 0.9}],
             "response_selector": {"all_retrieval_intents": ["risks"], "default": selector}}
    tracker = DialogueStateTracker.from_events("test", [UserUttered("...", {"name": "risks"}, parse_data=parse)])
    return asyncio.run(nlg.generate(response, tracker, "rest"))


UNSURE = [("risks/crs", 0.45), ("risks/neurotoxicity", 0.3), ("risks/infections", 0.2), ("risks/crs_treatment", 0.05)]


def test_an_unsure_answer_offers_the_next_likeliest_topics_first(nlg):
    message = answered(nlg, "utter_risks/crs", "risks/crs", 0.45, UNSURE)
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:2] == ["/risks/neurotoxicity", "/risks/infections"]
    assert payloads[2:] == [b["payload"] for b in reply(nlg, "utter_risks/crs")["buttons"]
                            if b["payload"] not in payloads[:2]]
    assert message["text"].endswith('Not what you asked? You may have meant "Nervous system effects (ICANS)" or '
                                    '"Infection risk".')


def test_an_unsure_answer_with_the_us_note_offers_outside_the_us_once(nlg):
    ranking = [("support/insurance", 0.45), ("research/outside_us", 0.3), ("support/cost", 0.2)]
    selector = {"response": {"intent_response_key": "support/insurance", "confidence": 0.45},
                "ranking": [{"intent_response_key": k, "confidence": c} for k, c in ranking]}
    parse = {"intent_ranking": [{"name": "support", "confidence": 0.6}, {"name": "research", "confidence": 0.4}],
             "response_selector": {"all_retrieval_intents": ["support", "research"], "default": selector}}
    tracker = DialogueStateTracker.from_events("test", [UserUttered("does insurance pay for car t in canada",
                                                                    {"name": "support"}, parse_data=parse)])
    message = asyncio.run(nlg.generate("utter_support/insurance", tracker, "rest"))
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:2] == ["/support/cost", "/research/outside_us"] and payloads.count("/research/outside_us") == 1
    assert "This answer is about the US." in message["text"]
    assert message["text"].endswith('You may have meant "What does CAR T cost?".')


def test_a_sure_answer_or_one_a_custom_action_chose_is_left_as_written(nlg):
    plain = reply(nlg, "utter_risks/crs")
    sure = answered(nlg, "utter_risks/crs", "risks/crs", 0.9, [("risks/crs", 0.9), ("risks/neurotoxicity", 0.05)])
    chosen = answered(nlg, "utter_risks/crs_treatment", "risks/crs", 0.45, UNSURE)  # a follow-up's answer
    assert (sure["text"], sure["buttons"]) == (plain["text"], plain["buttons"])
    assert chosen["text"] == reply(nlg, "utter_risks/crs_treatment")["text"]


def test_alternatives_read_the_answer_as_its_retrieval_action_does():
    """A stock config's per-intent selector (or a button's) wins over the catch-all one."""
    from actions.clarify import alternative_topics

    unsure = {"response": {"intent_response_key": "risks/crs", "confidence": 0.45},
              "ranking": [{"intent_response_key": k, "confidence": c} for k, c in UNSURE]}
    chosen = {"response": {"intent_response_key": "risks/crs", "confidence": 1.0}, "ranking": []}
    parse = {"intent": {"name": "risks"}, "intent_ranking": [{"name": "risks", "confidence": 0.9}],
             "response_selector": {"all_retrieval_intents": ["risks"], "default": unsure}}
    titles = {"/risks/neurotoxicity": "ICANS", "/risks/infections": "Infections"}
    assert [t for t, _ in alternative_topics(parse, titles, "crs")] == ["neurotoxicity", "infections"]
    parse["response_selector"]["risks"] = chosen
    assert alternative_topics(parse, titles, "crs") == []


@pytest.mark.parametrize("safety_reply, reminder", [("utter_emergency", "call your CAR T team's 24/7 number now"),
                                                    ("utter_crisis", "988")])
@pytest.mark.parametrize("response", ["utter_aftercare/stay_nearby", "utter_personal_advice"])
def test_a_reply_shortly_after_a_safety_reply_starts_with_its_advice(nlg, safety_reply, reminder, response):
    """"we're at the hotel near the hospital, it's 11pm" after "call your team now": the answer
    about staying nearby starts with "don't wait, call now", and so does "I can't give personal
    advice" to "can it wait till morning?"; a message later still ("he lives alone and I'm 40 min
    away" came two messages after it), two messages later no longer."""
    from rasa.shared.core.events import ActionExecuted, BotUttered

    def answer(events):
        tracker = DialogueStateTracker.from_events("test", events)
        return asyncio.run(nlg.generate(response, tracker, "rest"))["text"]

    def turn(text, reply="utter_thank"):
        return [UserUttered(text), ActionExecuted(reply), BotUttered("..."), ActionExecuted("action_listen")]

    message = [UserUttered("we're at the hotel near the hospital")]
    plain = answer(message)
    safety = turn("...", safety_reply)
    for events in (safety + message, safety + turn("ok") + message):
        reply = answer(events)
        assert reply.endswith(plain) and reminder in reply.split(plain)[0]
    assert answer(safety + turn("ok") + turn("thanks") + message) == plain


@pytest.mark.parametrize("advice, words", [("emergency", "call your CAR T team's 24/7 number now"), ("crisis", "988")])
@pytest.mark.parametrize("response", ["utter_risks/neurotoxicity", "utter_goodbye"])
def test_a_reply_to_a_message_the_safety_net_flagged_starts_with_the_advice(nlg, advice, words, response):
    """The learned safety net read a warning sign or a crisis that no matcher caught: the answer
    (or the goodbye to "This is goodbye, thank you for all the info") starts with that reply's
    advice; a safety reply itself is left as it is."""
    def answer(utter, **parse):
        tracker = DialogueStateTracker.from_events("test", [UserUttered("...", parse_data=parse)])
        return asyncio.run(nlg.generate(utter, tracker, "rest"))["text"]

    plain = answer(response)
    flagged = answer(response, safety_net={"advice": advice, "confidence": 0.9})
    assert flagged.endswith(plain) and words in flagged.split(plain)[0]
    assert answer("utter_emergency", safety_net={"advice": advice, "confidence": 0.9}) == answer("utter_emergency")


def test_the_childrens_answer_for_a_named_cancer_says_what_is_approved_for_it(nlg):
    """"car t for aml in kids": the children's answer, and that no CAR T is approved for AML."""
    tracker = DialogueStateTracker.from_events("test", [UserUttered("car t for aml in kids", entities=[
        {"entity": "cancer", "value": "acute myeloid leukemia", "start": 11, "end": 14}])])
    text = asyncio.run(nlg.generate("utter_basics/children", tracker, "rest"))["text"]
    assert "No CAR T is FDA-approved for acute myeloid leukemia" in text
