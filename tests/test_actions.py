"""Custom actions, run against Tracker.from_dict fixtures (no Rasa server needed)."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import topic_titles
from actions.clarify import ActionClarify, candidate_topics
from actions.content import catalog
from actions.indications import ActionAnswerIndications
from helpers import action_tracker as tracker
from helpers import merged_domain
from helpers import run_action as run


def texts(messages):
    return "\n".join(m["text"] for m in messages)


def test_myeloma_lists_abecma_and_carvykti():
    messages = run(ActionAnswerIndications(), tracker("cancers_treated", [("cancer", "multiple myeloma")]))
    answer = texts(messages)
    assert "Abecma" in answer and "Carvykti" in answer
    assert "Yescarta" not in answer and "Kymriah" not in answer
    assert "FDA-approved for multiple myeloma" in answer


@pytest.mark.parametrize("text, expected, not_expected", [
    ("which car t is approved for ALL in children?", ["Kymriah"], ["Tecartus", "Aucatzyl"]),
    ("car t for B-ALL in a 45 year old", ["Tecartus", "Aucatzyl"], ["Kymriah"]),
    ("my daughter has ALL, which car t is approved", ["Kymriah", "Tecartus", "Aucatzyl"], []),  # she may be 40
])
def test_a_question_that_names_an_age_group_gets_that_groups_products(text, expected, not_expected):
    answer = texts(run(ActionAnswerIndications(),
                       tracker("cancers_treated", [("cancer", "acute lymphoblastic leukemia")], text=text)))
    assert all(b in answer for b in expected) and not any(b in answer for b in not_expected), answer


def test_alias_values_are_resolved_too():
    answer = texts(run(ActionAnswerIndications(), tracker("cancers_treated", [("cancer", "myeloma")])))
    assert "Abecma" in answer and "Carvykti" in answer


def test_product_answer_is_specific_to_the_product():
    messages = run(ActionAnswerIndications(), tracker("approved_products", [("product", "Yescarta")]))
    answer = texts(messages)
    assert answer.startswith("Yescarta (axicabtagene ciloleucel)")
    assert "large B-cell lymphoma" in answer and "follicular lymphoma" in answer
    assert "myeloma" not in answer
    assert any(b["payload"] == "/risks/side_effects" for b in messages[0]["buttons"])


@pytest.mark.parametrize("cancer, intent, events", [
    ("pancreatic cancer", "solid_tumors", []),
    # the answer is about solid tumors: a follow-up refers to that topic, not to the intent
    ("pancreatic", "cancers_treated", [SlotSet("topic", "solid_tumors")]),
])
def test_solid_tumor_has_no_approved_car_t_and_points_to_trials(cancer, intent, events):
    answer = texts(run(ActionAnswerIndications(), tracker(intent, [("cancer", cancer)]), events))
    assert "No CAR T therapy is FDA-approved for pancreatic cancer" in answer
    assert "clinicaltrials.gov" in answer.lower()


@pytest.mark.parametrize("intent, events", [("solid_tumors", []), ("cancers_treated", [SlotSet("topic", "solid_tumors")])])
def test_solid_tumors_as_a_whole_get_the_general_answer_not_one_cancers(intent, events):
    """"what is solid tumor car t" said "approved for solid tumor or any other solid tumor"."""
    answer = texts(run(ActionAnswerIndications(), tracker(intent, [("cancer", "solid tumours")]), events))
    assert answer == texts(run(ActionAnswerIndications(), tracker("solid_tumors")))
    assert "or any other" not in answer


def test_a_product_asked_about_solid_tumors_is_not_approved_for_any():
    answer = texts(run(ActionAnswerIndications(), tracker("approved_products", [("product", "Kymriah"), ("cancer", "solid tumor")])))
    assert answer.startswith("No: in the US, Kymriah (tisagenlecleucel) is not FDA-approved for solid tumors.")
    assert "No CAR T is FDA-approved for any solid tumor." in answer


def test_a_product_and_a_cancer_asked_as_cancers_treated_is_an_approval_answer():
    """"is liso-cel approved for MZL" classified as cancers_treated: the yes/no answer, and the
    topic becomes approved_products so that "and primary CNS lymphoma?" asks about Breyanzi."""
    messages = run(ActionAnswerIndications(), tracker("cancers_treated", [("product", "Breyanzi"), ("cancer", "marginal zone lymphoma")]),
                   [SlotSet("topic", "approved_products")])
    assert texts(messages).startswith("Yes")


def test_unapproved_blood_cancer_points_to_trials():
    answer = texts(run(ActionAnswerIndications(), tracker("cancers_treated", [("cancer", "acute myeloid leukemia")])))
    assert "No CAR T therapy is FDA-approved for acute myeloid leukemia" in answer
    assert "solid tumor" not in answer


def test_broad_lymphoma_lists_lymphoma_products_by_kind():
    answer = texts(run(ActionAnswerIndications(), tracker("cancers_treated", [("cancer", "lymphoma")])))
    for brand in ("Kymriah", "Yescarta", "Tecartus", "Breyanzi"):
        assert brand in answer
    assert "Abecma" not in answer and "Aucatzyl" not in answer
    assert len(answer.split()) <= 120


@pytest.mark.parametrize(
    "intent, expected",
    [("approved_products", "Aucatzyl (obecabtagene autoleucel)"),
     ("cancers_treated", "Multiple myeloma: Abecma, Carvykti"),
     ("solid_tumors", "solid tumor")],
)
def test_without_entities_the_general_answer_is_given(intent, expected):
    assert expected in texts(run(ActionAnswerIndications(), tracker(intent)))


def test_each_named_product_is_answered():
    messages = run(ActionAnswerIndications(), tracker("approved_products", [("product", "Abecma"), ("product", "Carvykti")]))
    assert [m["text"].split(" ")[0] for m in messages] == ["Abecma", "Carvykti"]


def test_is_product_approved_for_cancer_yes():
    t = tracker("approved_products", [("product", "Abecma"), ("product", "Carvykti"), ("cancer", "multiple myeloma")],
                text="Are Abecma and Carvykti approved for multiple myeloma?")
    messages = run(ActionAnswerIndications(), t)
    assert [m["text"].split(" ")[:5] for m in messages] == [["Yes:", "in", "the", "US,", "Abecma"],
                                                            ["Yes:", "in", "the", "US,", "Carvykti"]]


def test_two_products_named_with_a_cancer_but_no_approval_question_get_each_products_answer():
    """"my doctor mentioned both Carvykti and Abecma for my myeloma, what's the difference?" is no
    question a bare "Yes:" answers."""
    t = tracker("approved_products", [("product", "Carvykti"), ("product", "Abecma"), ("cancer", "multiple myeloma")],
                text="my doctor mentioned both Carvykti and Abecma for my myeloma, what's the difference?")
    messages = run(ActionAnswerIndications(), t)
    assert [m["text"].split(" ")[0] for m in messages] == ["Carvykti", "Abecma"]


@pytest.mark.parametrize("text, product, cancer", [
    ("my dad is 72 w DLBCL and the dr mentioned yescarta?? what even is that", "Yescarta", "DLBCL"),
    ("My oncologist mentioned Tecartus for my mantle cell lymphoma. What is it?", "Tecartus", "mantle cell lymphoma"),
])
def test_what_is_a_product_named_with_a_cancer_gets_the_products_answer_not_a_bare_yes(text, product, cancer):
    messages = run(ActionAnswerIndications(), tracker("approved_products", [("product", product), ("cancer", cancer)], text=text))
    assert [m["text"].split(" ")[0] for m in messages] == [product]


@pytest.mark.parametrize("text, product, cancer, uses", [
    ("is carvykti approved as a first treatment for myeloma", "Carvykti", "multiple myeloma", "after 1 or more earlier treatments"),
    ("Is Breyanzi approved as first-line therapy for large B-cell lymphoma?", "Breyanzi", "large B-cell lymphoma",
     "as early as the second treatment"),
])
def test_approved_as_a_first_treatment_is_no_with_the_uses_after_earlier_treatment(text, product, cancer, uses):
    [message] = run(ActionAnswerIndications(), tracker("approved_products", [("product", product), ("cancer", cancer)], text=text))
    assert message["text"].startswith(f"No: in the US, {product}") and "not FDA-approved as a first treatment" in message["text"]
    assert uses in message["text"]


def test_is_product_approved_for_cancer_no_names_what_is_approved_instead():
    t = tracker("approved_products", [("product", "Carvykti"), ("cancer", "lymphoma")])
    [message] = run(ActionAnswerIndications(), t)
    answer, instead = message["text"].split("these are approved:")
    assert answer.startswith("No: in the US, Carvykti (ciltacabtagene autoleucel) is not FDA-approved for lymphoma. "
                             "It is approved for multiple myeloma.")
    for brand in ("Kymriah", "Yescarta", "Tecartus", "Breyanzi"):
        assert brand in instead
    assert "Carvykti" not in instead and "Abecma" not in instead


def test_no_approval_is_claimed_that_the_product_table_does_not_hold():
    c = catalog()
    for product in c.products:
        for cancer in c.cancers:
            [message] = run(ActionAnswerIndications(), tracker("approved_products", [("product", product.brand),
                                                                                     ("cancer", cancer.name)]))
            approved = product.brand in c.products_for(cancer)
            assert message["text"].startswith("Yes:" if approved else "No:"), (product.brand, cancer.name)
            if not approved:  # the products listed instead are those approved for that cancer
                listed = {line[2:].split(" (")[0] for line in message["text"].splitlines() if line.startswith("- ")}
                assert listed == set(c.products_for(cancer)), (product.brand, cancer.name)


def test_a_solid_tumor_answer_names_tecelra_where_the_fact_sheet_does():
    answer = texts(run(ActionAnswerIndications(), tracker("solid_tumors", [("cancer", "synovial sarcoma")])))
    assert "Tecelra" in answer and "T-cell receptor (TCR) therapy" in answer
    no = texts(run(ActionAnswerIndications(), tracker("approved_products", [("product", "Yescarta"), ("cancer", "sarcoma")])))
    assert no.startswith("No:") and "Tecelra" in no


def test_a_lymphoma_family_lists_every_approved_subtype_in_the_replys_capitals():
    answer = texts(run(ActionAnswerIndications(), tracker("cancers_treated", [("cancer", "non-Hodgkin lymphoma")])))
    for kind in ("large B-cell lymphoma", "follicular lymphoma", "mantle cell lymphoma", "marginal zone lymphoma",
                 "chronic lymphocytic leukemia"):
        assert kind in answer
    assert "FDA-approved for non-Hodgkin lymphoma" in answer


UNSURE_RISKS = {  # the catch-all ResponseSelector's ranking covers all groups
    "all_retrieval_intents": ["risks", "basics"],
    "default": {
        "response": {"intent_response_key": "basics/what_is_car_t", "confidence": 0.45},
        "ranking": [
            {"intent_response_key": "basics/what_is_car_t", "confidence": 0.45},
            {"intent_response_key": "risks/crs", "confidence": 0.4},
            {"intent_response_key": "risks/crs_treatment", "confidence": 0.35},
            {"intent_response_key": "risks/neurotoxicity", "confidence": 0.2},
            {"intent_response_key": "risks/infections", "confidence": 0.01},
        ],
    }
}


def test_clarify_offers_the_likeliest_answers_as_buttons():
    t = tracker(
        "nlu_fallback",
        intent_ranking=[{"name": "nlu_fallback", "confidence": 0.5}, {"name": "risks", "confidence": 0.9},
                        {"name": "emergency", "confidence": 0.08}, {"name": "greet", "confidence": 0.02}],
        response_selector=UNSURE_RISKS,
    )
    [message] = run(ActionClarify(), t)
    assert message["text"].startswith("I'm not sure I understood")
    assert [b["payload"] for b in message["buttons"]] == [  # not infections (under 3%), nor greet
        "/risks/crs", "/risks/crs_treatment", "/risks/neurotoxicity", "/emergency", "/help"]
    assert message["buttons"][0]["title"] == "What is CRS?"


def test_clarify_does_not_guess_when_nothing_is_likely():
    """Nonsense spreads the classifier's confidence thinly: every topic under 8%."""
    ranking = [{"intent_response_key": key, "confidence": 0.07} for key in ("risks/crs", "risks/crs_treatment")]
    parse = {"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "risks", "confidence": 0.14}],
             "response_selector": {"all_retrieval_intents": ["risks"], "default": {"ranking": ranking}}}
    assert candidate_topics(parse, topic_titles(merged_domain())) == []
    [message] = run(ActionClarify(), tracker("nlu_fallback", **parse))
    assert message["text"].startswith("Sorry, I didn't understand")


def test_clarify_does_not_guess_when_the_likeliest_intent_is_out_of_scope():
    """"blorp wibble frobnicate": likeliest not about CAR T at all, though a medical group has 22%."""
    parse = {"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "risks", "confidence": 0.22},
                                {"name": "out_of_scope", "confidence": 0.25}], "response_selector": UNSURE_RISKS}
    assert candidate_topics(parse, topic_titles(merged_domain())) == []
    parse["intent_ranking"][2]["confidence"] = 0.1
    assert candidate_topics(parse, topic_titles(merged_domain()))


def test_clarify_includes_plain_intents_and_skips_small_talk():
    parse = {
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "greet", "confidence": 0.45},
                           {"name": "order_drugs", "confidence": 0.3}, {"name": "risks", "confidence": 0.2}],
        "response_selector": UNSURE_RISKS,
    }
    assert candidate_topics(parse, topic_titles(merged_domain())) == [
        ("order_drugs", "/order_drugs"), ("crs", "/risks/crs"), ("crs_treatment", "/risks/crs_treatment"),
        ("neurotoxicity", "/risks/neurotoxicity")]


def test_an_unsure_short_follow_up_of_the_last_answers_topic_is_answered_in_context():
    """"how long after do you have to wait" after the fertility answer: the classifier was unsure,
    the conversation is not (content/follow_ups.yml `topics`: fertility_pregnancy + duration)."""
    def ranked(*keys):
        ranking = [{"intent_response_key": key, "confidence": 0.3 - 0.05 * i} for i, key in enumerate(keys)]
        return {"all_retrieval_intents": ["risks", "aftercare", "outcomes"], "default": {"ranking": ranking}}

    fertility_likely = ranked("aftercare/vaccines", "outcomes/response_check", "risks/fertility_pregnancy")
    unsure = tracker("nlu_fallback", response_selector=fertility_likely, text="how long after do you have to wait",
                     slots={"topic": "fertility_pregnancy"})
    [message] = run(ActionClarify(), unsure)
    assert message["response"] == "utter_risks/fertility_pregnancy"
    # unless the message's likeliest topics are others: a new question, not how long ICANS lasts
    relapse_likely = ranked("outcomes/relapse", "outcomes/success_rates", "basics/lymphodepletion")
    [message] = run(ActionClarify(), tracker("nlu_fallback", response_selector=relapse_likely, slots={"topic": "neurotoxicity"},
                                             text="how long does carvykti work before relapse",
                                             intent_ranking=[{"name": "outcomes", "confidence": 0.9}]))
    assert message["text"].startswith("I'm not sure I understood")
    # an aspect any topic shares (cost) is a new question: "did you mean", as with no topic before
    for text, slots in (("how much is the hotel", {"topic": "fertility_pregnancy"}),
                        ("how long after do you have to wait", {})):
        [message] = run(ActionClarify(), tracker("nlu_fallback", response_selector=UNSURE_RISKS, text=text, slots=slots,
                                                 intent_ranking=[{"name": "risks", "confidence": 0.9}]))
        assert message["text"].startswith("I'm not sure I understood")
    long = "and how long after the chemo and everything do people usually have to wait before trying"
    [message] = run(ActionClarify(), tracker("nlu_fallback", response_selector=UNSURE_RISKS, text=long,
                                             slots={"topic": "fertility_pregnancy"},
                                             intent_ranking=[{"name": "risks", "confidence": 0.9}]))
    assert message["text"].startswith("I'm not sure I understood")


def test_an_unsure_message_no_aspect_names_whose_likeliest_topic_is_the_last_answers_gets_it_again():
    """"can i shower" after the central line's answer; "a bath?" (a word or three) when the line
    is among its three likeliest topics; not a longer message whose likeliest topic is another."""
    def ranked(*keys):
        ranking = [{"intent_response_key": key, "confidence": 0.3 - 0.05 * i} for i, key in enumerate(keys)]
        return {"all_retrieval_intents": ["risks", "aftercare", "outcomes"], "default": {"ranking": ranking}}

    line = {"topic": "central_line"}
    for text, selector in (("can i shower", ranked("aftercare/central_line", "aftercare/daily_life")),
                           ("a bath?", ranked("aftercare/daily_life", "outcomes/relapse", "aftercare/central_line"))):
        [message] = run(ActionClarify(), tracker("nlu_fallback", response_selector=selector, text=text, slots=line))
        assert message["response"] == "utter_aftercare/central_line", text
    other_first = ranked("aftercare/daily_life", "aftercare/central_line")
    [message] = run(ActionClarify(), tracker("nlu_fallback", response_selector=other_first, slots=line,
                                             text="is it ok to go to the beach with the kids this weekend"))
    assert message.get("response") != "utter_aftercare/central_line"
    # ...but getting "it" wet is the line's own follow-up (content/follow_ups.yml `wet`; tenth round, set AN)
    [message] = run(ActionClarify(), tracker("nlu_fallback", response_selector=other_first, slots=line,
                                             text="is it ok to get it wet at the beach"))
    assert message["response"] == "utter_aftercare/central_line"


@pytest.mark.parametrize("text, statement", [
    ("my dad has multiple myeloma", True), ("hes 74 and has been through 3 different treatments already", True),
    ("hi. had yescarta a bit over a year ago for lymphoma. doing ok now", True),
    ("its been in since they collected my cells, I'm 6 days after the infusion now", True),
    # asked, with or without a question mark
    ("my dad has myeloma can he get car t", False), ("i want to know about the cost", False),
    ("my mum is 72 is she too old for the sell therapy", False), ("car t cost", False), ("my husband is 70?", False),
    # someone else's question told (blind conversations, sixth round, set A)
    ("my uncle keeps asking if hes going to be stuck in the hospital the whole time", False),
])
def test_an_unplaced_message_that_tells_something_and_asks_nothing_is_asked_what_the_person_wants_to_know(text, statement):
    """People tell their story first: "my dad has multiple myeloma" is not a question to misunderstand."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "risks", "confidence": 0.9}]
    [message] = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=ranking, response_selector=UNSURE_RISKS, text=text))
    assert message["text"].startswith("Thank you for telling me") == statement
    assert message["text"].startswith("I'm not sure I understood") != statement
    assert [b["payload"] for b in message["buttons"]][:2] == ["/risks/crs", "/risks/crs_treatment"]  # the same buttons
    # with no likely topic, the same question and the topics to choose from
    [message] = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=[ranking[0]], text=text))
    assert message["text"].startswith("Thank you for telling me" if statement else "Sorry, I didn't understand")


def test_clarify_a_message_after_the_emergency_reply_gives_its_advice_again():
    """"she says she'll sleep it off" a message after "call your team now" (the message right after
    it gets the same from data/rules.yml): that advice, not "did you mean"."""
    said = [{"event": "user", "text": "..."}, {"event": "action", "name": "utter_emergency"},
            {"event": "action", "name": "action_listen"}, {"event": "user", "text": "ok"},
            {"event": "action", "name": "utter_emergency_reminder"}, {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "she says she'll sleep it off"}]
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "risks", "confidence": 0.9}]
    reminder, options = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=ranking, response_selector=UNSURE_RISKS,
                                                     text="she says she'll sleep it off", events=said))
    assert reminder["response"] == "utter_emergency_reminder"
    # ...and, for a new question it could not place, the message's likeliest topics after it
    assert options["text"].startswith("If you meant something else")
    assert [b["payload"] for b in options["buttons"]][:2] == ["/risks/crs", "/risks/crs_treatment"]
    # a message that shows the advice was taken gets "did you mean" alone
    taken = "we're at the hospital now. they made her write a sentence, what's that for?"
    [message] = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=ranking, response_selector=UNSURE_RISKS,
                                             text=taken, events=said[:-1] + [{"event": "user", "text": taken}]))
    assert message["text"].startswith("I'm not sure I understood")
    # with no likely topic, the advice alone
    [message] = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=[ranking[0]],
                                             text="she says she'll sleep it off", events=said))
    assert message["response"] == "utter_emergency_reminder"


@pytest.mark.parametrize("advice, reminder", [("emergency", "utter_emergency_reminder"), ("crisis", "utter_crisis_reminder")])
def test_clarify_a_message_the_safety_net_flagged_gives_the_advice_first(advice, reminder):
    """"Ma da's no right the day ... cannae mind where he is. Is that jist the drugs?": no matcher
    caught it, the classifier was unsure, the learned safety net read a warning sign. The
    emergency reply's advice first, then the likeliest topics (nlu_components/safety_net.py)."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "risks", "confidence": 0.9}]
    first, options = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=ranking, response_selector=UNSURE_RISKS,
                                                  safety_net={"advice": advice, "confidence": 0.9}))
    assert first["response"] == reminder
    assert options["text"].startswith("If you meant something else")
    # without the net's flag, "did you mean" alone
    [message] = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=ranking, response_selector=UNSURE_RISKS))
    assert message["text"].startswith("I'm not sure I understood")


def test_clarify_offers_the_answer_about_a_named_side_effect_first():
    """A past episode told as over ("in hospital he got really confused for a couple of days ... that all
    cleared up") is not an emergency; its "did you mean" starts with the answer about ICANS."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "risks", "confidence": 0.9}]
    text = "In the hospital he got really confused for a couple days. that all cleared up"
    [message] = run(ActionClarify(), tracker("nlu_fallback", [("side_effect", "confusion")], intent_ranking=ranking,
                                             response_selector=UNSURE_RISKS, text=text))
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0] == "/risks/neurotoxicity" and payloads.count("/risks/neurotoxicity") == 1
    assert payloads[1:3] == ["/risks/crs", "/risks/crs_treatment"] and len(payloads) <= 6


def test_every_side_effect_names_an_answer():
    titles = topic_titles(merged_domain())
    for term in catalog().side_effects:
        assert any(p.endswith("/" + term.topic) for p in titles), term


def test_clarify_without_candidates_asks_to_rephrase():
    [message] = run(ActionClarify(), tracker("nlu_fallback", intent_ranking=[{"name": "nlu_fallback", "confidence": 0.5}]))
    assert message["text"].startswith("Sorry, I didn't understand")
    assert {"title": "Talk to a person", "payload": "/human_handoff"} in message["buttons"]


def test_it_in_a_question_about_a_cancer_is_the_product_under_discussion():
    """"can it be used for CLL?" after Yescarta: not approved for CLL, and what is."""
    asked = tracker("cancers_treated", [("cancer", "chronic lymphocytic leukemia")], text="can it be used for CLL",
                    slots={"product": "Yescarta"})
    answer = texts(run(ActionAnswerIndications(), asked, [SlotSet("topic", "approved_products")]))
    assert answer.startswith("No") and "Yescarta" in answer and "Breyanzi" in answer
    without = tracker("cancers_treated", [("cancer", "chronic lymphocytic leukemia")], text="can it be used for CLL")
    assert "Yescarta" not in texts(run(ActionAnswerIndications(), without))


def test_clarify_offers_the_crisis_reply_only_as_the_likeliest_topic_of_words_of_despair():
    """An unsure "I'm so done with all of this" is asked about; "can he bring his own pillow?" is not
    offered it, nor "I'd like to fly to Spain this summer" where the classifier gave it 31%."""
    def payloads(crisis_confidence, text="honestly I'm so done with all of this, why bother"):
        ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "risks", "confidence": 0.5},
                   {"name": "crisis", "confidence": crisis_confidence}]
        parse = {"text": text, "intent_ranking": ranking, "response_selector": UNSURE_RISKS}
        return [p for _, p in candidate_topics(parse, topic_titles(merged_domain()))]

    assert "/crisis" not in payloads(0.1)
    assert payloads(0.6)[0] == "/crisis"
    assert "/crisis" not in payloads(0.6, "I'd like to fly to Spain to see my sister this summer, anything to think about?")


@pytest.mark.parametrize("events, net, advice", [
    # the person's next message after the emergency reply (sixteenth round, set CN: "ambulance coming. is kymriah the one
    # that's only for kids?" got Kymriah's answer without a word of the advice)
    ([{"event": "user", "text": "she's having a seizure"}, {"event": "action", "name": "utter_emergency"},
      {"event": "action", "name": "action_listen"}, {"event": "user", "text": "is kymriah only for kids?"}], None,
     "If this is about the symptoms you told me about"),
    # a message the learned safety net read as a crisis
    ([], {"advice": "crisis", "confidence": 0.9}, "If you are having thoughts of suicide"),
    # neither: the answer alone
    ([], None, None),
])
def test_an_answer_a_custom_action_writes_starts_with_the_safety_advice_where_a_response_would(events, net, advice):
    messages = run(ActionAnswerIndications(), tracker("approved_products", [("product", "Kymriah")],
                                                      text="is kymriah only for kids?", events=events,
                                                      **({"safety_net": net} if net else {})))
    first = messages[0]["text"]
    if advice:
        assert first.startswith(advice) and "Kymriah" in first.split("\n\n", 1)[1]
        assert sum(advice in m["text"] for m in messages) == 1  # once, before the first answer
    else:
        assert first.startswith("Kymriah")
