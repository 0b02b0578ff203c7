"""The custom NLU components on hand-made messages (no trained model needed)."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from helpers import ROOT, faq_message, load_yaml
from nlu_components.answer_confidence_gate import AnswerConfidenceGate
from nlu_components.crisis_detector import CrisisDetector
from nlu_components.dose_question_detector import DoseQuestionDetector, dose_questions
from nlu_components.elliptical_follow_up import EllipticalFollowUp
from nlu_components.feelings_detector import FeelingsDetector
from nlu_components.red_flag_detector import RedFlagDetector
from nlu_components.topic_payloads import TopicPayloadHandler


@pytest.mark.parametrize("answer_confidence, expected", [(0.3, "nlu_fallback"), (0.8, "risks")])
def test_gate_falls_back_when_the_answer_choice_is_unsure(answer_confidence, expected):
    [message] = AnswerConfidenceGate({"threshold": 0.5}).process([faq_message(answer_confidence=answer_confidence)])
    assert message.get("intent")["name"] == expected
    # the rankings stay, so the clarification can offer the likeliest topics
    assert message.get("intent_ranking")[-1]["name"] == "greet"
    assert message.get("response_selector")["default"]["ranking"]


@pytest.mark.parametrize("intent_confidence, expected", [(0.4, "nlu_fallback"), (0.5, "risks")])
def test_gate_falls_back_when_the_intent_is_unsure_however_sure_the_answer(intent_confidence, expected):
    gate = AnswerConfidenceGate({"threshold": 0.3, "intent_threshold": 0.45})
    [message] = gate.process([faq_message(intent_confidence=intent_confidence, answer_confidence=0.35)])
    assert message.get("intent")["name"] == expected


@pytest.mark.parametrize("confidence", [0.9, 0.35])
def test_gate_ignores_plain_intents(confidence):
    # small talk read at 35% is a harmless guess: FallbackClassifier's threshold decides for it
    message = Message(data={"text": "hi", "intent": {"name": "greet", "confidence": confidence}})
    [message] = AnswerConfidenceGate({"threshold": 0.5, "intent_threshold": 0.45}).process([message])
    assert message.get("intent")["name"] == "greet"


@pytest.mark.parametrize("intent, confidence, expected", [
    ("personal_advice", 0.35, "nlu_fallback"), ("personal_advice", 0.5, "personal_advice"), ("greet", 0.35, "greet")])
def test_gate_holds_plain_intents_with_a_medical_answer_to_the_intent_threshold(intent, confidence, expected):
    """"I've been offered Tecartus ... the side effects in plain words" read as personal advice at 35%:
    a refusal on a guess is no better than a wrong answer."""
    gate = AnswerConfidenceGate({"threshold": 0.3, "intent_threshold": 0.45, "gated_intents": ["personal_advice"]})
    message = Message(data={"text": "...", "intent": {"name": intent, "confidence": confidence}})
    [message] = gate.process([message])
    assert message.get("intent")["name"] == expected


def configured_term_answers():
    [gate] = [c for c in load_yaml(ROOT / "config.yml")["pipeline"] if c["name"].endswith("AnswerConfidenceGate")]
    return gate["term_answers"]


WHAT_IS_CAR_T = configured_term_answers()


@pytest.mark.parametrize("text, entities, expected", [
    ("What is ambulatory treatment?", [], "nlu_fallback"),  # a term it has never seen: only "what is" to go by
    ("whats LTFU", [], "nlu_fallback"), ("define apheresis", [], "nlu_fallback"),
    ("whats a CAR", [], "nlu_fallback"),  # the receptor, not CAR T
    ("what is car-t cell therapy", [], "basics"), ("what are IEC therapies", [], "basics"),
    ("what is car t?", [], "basics"), ("what's this thing", [], "basics"),
    ("what is Kymriah", [{"entity": "product", "value": "Kymriah"}], "basics"),  # a named product: a slot
    ("what is the process of getting it", [], "basics"),  # a longer question has its own words
])
def test_what_is_an_unknown_term_is_not_what_is_car_t(text, entities, expected):
    gate = AnswerConfidenceGate({"threshold": 0.3, "term_answers": WHAT_IS_CAR_T})
    message = faq_message(text=text, intent="basics", answer="basics/what_is_car_t", answer_confidence=0.9)
    message.set("entities", entities)
    [message] = gate.process([message])
    assert message.get("intent")["name"] == expected


def test_a_term_question_with_another_answer_is_left_alone():
    gate = AnswerConfidenceGate({"threshold": 0.3, "term_answers": WHAT_IS_CAR_T})
    [message] = gate.process([faq_message(text="what is crs", intent="risks", answer="risks/crs", answer_confidence=0.9)])
    assert message.get("intent")["name"] == "risks"


def payload_handler():
    return TopicPayloadHandler(None, None, {"risks/crs", "risks/crs_treatment"})


def test_payload_selects_the_named_answer():
    [message] = payload_handler().process([faq_message(text="/risks/crs_treatment", intent_confidence=0.2)])
    assert message.get("intent") == {"name": "risks", "confidence": 1.0}
    for key in ("risks", "default"):  # what the answer action reads, and what Rasa's tests and /model/parse read
        selected = message.get("response_selector")[key]["response"]
        assert selected["intent_response_key"] == "risks/crs_treatment"
        assert selected["utter_action"] == "utter_risks/crs_treatment"


def test_gate_trusts_an_answer_selected_by_a_payload():
    message = faq_message(text="/risks/crs_treatment", answer_confidence=0.1)
    [message] = AnswerConfidenceGate({"threshold": 0.5}).process(payload_handler().process([message]))
    assert message.get("intent")["name"] == "risks"


@pytest.mark.parametrize("text", ["/chitchat/crs", "/risks/my_name_is_jane"])
def test_payload_for_an_unknown_intent_or_answer_is_left_alone(text):
    [message] = payload_handler().process([faq_message(text=text)])
    assert set(message.get("response_selector")) == {"all_retrieval_intents", "default"}
    assert message.get("intent")["name"] == "risks"


@pytest.fixture(scope="module")
def detector():
    return RedFlagDetector(RedFlagDetector.get_default_config())


def test_red_flag_overrides_any_prediction(detector):
    message = faq_message(text="my dad had car t on monday and now his temperature is 39.1")
    [message] = detector.process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "emergency"


def test_general_question_keeps_its_prediction(detector):
    [message] = detector.process([faq_message(text="what are the signs of CRS")])
    assert message.get("intent")["name"] == "risks"


@pytest.mark.parametrize("text, believed", [
    # no sign named: the classifier read the setting ("10 days ago ... right now"), not a sign
    ("wife got carvykti 10 days ago, we're at the hotel near the center. whats the best food for her right now", False),
    ("Hey, I asked you a bunch of stuff a few weeks ago. Had my infusion last Tuesday.", False),
    # a sign told as over
    ("she had a high fever at week 1 in hospital, they said it was CRS, that's all done now right?", False),
    # a sign the matcher's rules do not see as now (no one named): the classifier is believed
    ("shaking and sweating, infused thursday", True),
    ("she's at 38.6 right now", True),  # a number in the fever range, its word said before
])
def test_the_classifiers_emergency_needs_a_sign_now_or_it_asks(detector, text, believed):
    message = message_with(text, "emergency", 0.8)
    message.set("intent_ranking", [{"name": "emergency", "confidence": 0.8}, {"name": "aftercare", "confidence": 0.1}])
    [message] = detector.process([message])
    assert message.get("intent")["name"] == ("emergency" if believed else "nlu_fallback")
    assert [r["name"] for r in message.get("intent_ranking")][1] == ("aftercare" if believed else "emergency")
    if not believed:  # the other topics read as if the emergency had not taken its share: 0.1 of 0.2
        assert [(r["name"], round(r["confidence"], 2)) for r in message.get("intent_ranking")][1:] == [
            ("emergency", 0.8), ("aftercare", 0.5)]


@pytest.mark.parametrize("text", [
    "How much ibuprofen should my wife take after her CAR T?",
    "what's the usual dosage of dexamethasone for me",
    "how many tablets of acyclovir is he supposed to be taking",
    "and the chemo before, how much fludarabine do they give",  # blind conversations, sixth round, set B
    "the right tocilizumab dose for my husband?", "I need to know the dose of acyclovir for him",
    # stopping a prescribed medicine (fifteenth round, set CI)
    "My doctor has me on acyclovir and an antibiotic. Can I stop them now that I feel fine?",
    "is it ok if I skip my steroids tonight",
])
def test_dose_question_gets_personal_advice_whatever_was_predicted(text):
    [message] = DoseQuestionDetector(DoseQuestionDetector.get_default_config()).process([faq_message(text=text)])
    assert message.get("intent") == {"name": "personal_advice", "confidence": 1.0}


@pytest.mark.parametrize("text", [
    "how much time should i take off work for car t",
    "why do bispecifics need many doses but car t only one",
    "how much blood do they take for the collection",
    "how much will my insurance pay if i take the trial",
    "/risks/crs",
    # a treatment told, not asked about (blind conversations, sixth round, set A)
    "My wife had grade 3 ICANS six months ago - she seized, got keppra and high-dose dex, made a full recovery. When can she drive again?",
    # a dose told, and a question about the drug (ninth round, set AD; tenth round)
    "They gave Dad toci at 8 mg per kg last Tuesday when his fever spiked, and everything has settled since Wednesday. "
    "What exactly does toci do?",
    "she said it's given as a split dose? what does that mean for the infusion",  # tenth round, set AL
    "when do people usually stop acyclovir after car t", "do they stop the steroids before the infusion?",
])
def test_amounts_of_time_or_money_and_general_dose_questions_keep_their_prediction(text):
    [message] = DoseQuestionDetector(DoseQuestionDetector.get_default_config()).process([faq_message(text=text)])
    assert message.get("intent")["name"] == "risks"


def test_dose_patterns_catch_no_training_example_of_another_intent(training_examples):
    questions = dose_questions()
    # crisis messages are left out: the CrisisDetector runs after this one and wins
    caught = [(intent, text) for intent, texts in training_examples.items() if intent not in {"personal_advice", "crisis"}
              for text in texts if questions.match(text)]
    assert caught == []
    assert sum(map(questions.match, training_examples["personal_advice"])) >= 5


def test_crisis_overrides_any_prediction_and_fear_of_dying_does_not():
    detector = CrisisDetector(CrisisDetector.get_default_config())
    [crisis, fear, payload] = detector.process([faq_message(text="since the relapse I keep thinking about ending it"),
                                                faq_message(text="I'm scared I'm going to die from CRS"),
                                                faq_message(text="/risks/crs")])
    assert crisis.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert fear.get("intent")["name"] == payload.get("intent")["name"] == "risks"


def test_an_unsure_crisis_prediction_asks_instead_of_answering():
    detector = CrisisDetector(CrisisDetector.get_default_config())
    unsure, sure = (Message(data={"text": "my grandmother died of myeloma", "intent": {"name": "crisis", "confidence": c},
                                  "intent_ranking": [{"name": "crisis", "confidence": c}]}) for c in (0.45, 0.95))
    detector.process([unsure, sure])
    assert unsure.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in unsure.get("intent_ranking")] == ["nlu_fallback", "crisis"]  # offered in "did you mean"
    assert sure.get("intent") == {"name": "crisis", "confidence": 0.95}


@pytest.mark.parametrize("text, believed", [
    ("not suicidal or anything, just sad and worn down since the diagnosis", False),
    ("no suicidal thoughts, i just feel flat all the time", False),
    ("i'm not suicidal but i don't want to live like this any more", True),  # a pattern finds it all the same
])
def test_a_sure_crisis_prediction_for_a_message_denying_one_asks_unless_a_pattern_finds_one(text, believed):
    detector = CrisisDetector(CrisisDetector.get_default_config())
    message = Message(data={"text": text, "intent": {"name": "crisis", "confidence": 0.95},
                            "intent_ranking": [{"name": "crisis", "confidence": 0.95}]})
    detector.process([message])
    assert (message.get("intent")["name"] == "crisis") == believed


def test_safety_rules_run_last_dose_then_red_flags_then_crisis_then_the_net_that_reads_what_they_left():
    import yaml

    with open("config.yml") as f:
        names = [c["name"].rsplit(".", 1)[-1] for c in yaml.safe_load(f)["pipeline"]]
    assert names[-4:] == ["DoseQuestionDetector", "RedFlagDetector", "CrisisDetector", "SafetyNet"]


def test_over_long_messages_are_cut_and_unencodable_characters_replaced_before_nlu():
    from nlu_components.message_guard import MessageGuard

    long, short, odd = (Message(data={"text": t}) for t in ("fever " * 100, "what is car t?", "bad \udcff"))
    MessageGuard({"max_characters": 50}).process([long, short, odd])
    assert long.get("text") == ("fever " * 100)[:50]
    assert short.get("text") == "what is car t?"
    assert odd.get("text") == "bad ?"


def test_the_message_guard_comes_first_in_the_pipeline():
    import yaml

    with open("config.yml") as f:
        pipeline = yaml.safe_load(f)["pipeline"]
    assert pipeline[0]["name"].endswith("MessageGuard") and pipeline[0]["max_characters"] >= 1000


def follow_up_rewriter():
    return EllipticalFollowUp(EllipticalFollowUp.get_default_config())


def message_with(text, intent, confidence, entities=()):
    return Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                         "intent_ranking": [{"name": intent, "confidence": confidence}], "entities": list(entities)})


@pytest.mark.parametrize("text", ["r they permanent?", "and my kids, can they still get theirs?", "like what?",
                                  "which products?", "whats their number", "is that different between products?",
                                  "I can take shower or go in the pool with this?", "which one has less side effects",
                                  # eighth round, set P
                                  "for how long? the website says 8 weeks", "why not? it's just a medicine like any other",
                                  "is there a number of months you're supposed to wait",
                                  # ninth round, set Y
                                  "treatment?", "and if they turn me down is there any help out there"])
def test_an_unsure_message_that_leans_on_the_conversation_is_a_follow_up(text):
    [message] = follow_up_rewriter().process([message_with(text, "nlu_fallback", 0.3)])
    assert message.get("intent")["name"] == "follow_up"


@pytest.mark.parametrize("text, intent", [
    ("What are cell therapies, and which cancers are treated with cell therapy today?", "nlu_fallback"),  # a whole question
    ("how is it treated", "risks"),  # the classifier is sure: its prediction stands
    ("/risks/crs", "nlu_fallback"),  # a button payload
])
def test_a_whole_question_a_sure_prediction_or_a_payload_is_left_alone(text, intent):
    [message] = follow_up_rewriter().process([message_with(text, intent, 0.3 if intent == "nlu_fallback" else 0.9)])
    assert message.get("intent")["name"] == intent


@pytest.mark.parametrize("ranking, follow_up", [
    ([("personal_advice", 0.35), ("follow_up", 0.31), ("risks", 0.1)], True),  # advice or a follow-up?
    ([("follow_up", 0.3), ("basics", 0.28)], True),
    ([("personal_advice", 0.35), ("risks", 0.31), ("follow_up", 0.3)], False),  # only third: "did you mean"
    ([("follow_up", 0.21), ("risks", 0.11)], False),  # "hmm": nonsense leans on nothing
])
def test_an_unsure_message_the_classifier_ranks_as_a_likely_follow_up_is_one(ranking, follow_up):
    message = message_with("how long should we hold off before trying for a baby", "nlu_fallback", 0.3)
    message.set("intent_ranking", [{"name": "nlu_fallback", "confidence": 0.3}] +
                [{"name": name, "confidence": confidence} for name, confidence in ranking])
    [message] = follow_up_rewriter().process([message])
    assert (message.get("intent")["name"] == "follow_up") == follow_up


def entity(text, span, kind):
    start = text.lower().index(span.lower())
    return {"entity": kind, "start": start, "end": start + len(span), "value": span}


@pytest.mark.parametrize("text, span, kind", [("and with Breyanzi?", "Breyanzi", "product"),
                                              # tenth round, sets AH and AJ
                                              ("is carvykti the same?", "carvykti", "product"),
                                              ("for Carvykti specifically?", "Carvykti", "product"),
                                              ("less with breyanzi?", "breyanzi", "product"),
                                              # eleventh round, set AQ: after an exclamation
                                              ("omg. and tecartus?", "tecartus", "product"),
                                              ("what about follicular", "follicular", "cancer"),
                                              ("And for primary CNS lymphoma too?", "primary CNS lymphoma", "cancer")])
def test_a_product_or_cancer_named_after_and_is_a_follow_up_even_when_the_classifier_is_sure(text, span, kind):
    [message] = follow_up_rewriter().process([message_with(text, "basics", 0.9, [entity(text, span, kind)])])
    assert message.get("intent") == {"name": "follow_up", "confidence": 1.0}


@pytest.mark.parametrize("text, span", [("and what is Breyanzi?", "Breyanzi"), ("Breyanzi", "Breyanzi"),
                                        ("and does Breyanzi cause hair loss?", "Breyanzi")])
def test_a_question_about_the_product_itself_keeps_its_prediction(text, span):
    [message] = follow_up_rewriter().process([message_with(text, "basics", 0.9, [entity(text, span, "product")])])
    assert message.get("intent")["name"] == "basics"


@pytest.mark.parametrize("text, span, follow_up", [
    ("How's it different from Abecma?", "Abecma", True),
    ("And Aucatzyl - how is that different from the other one?", "Aucatzyl", True),
    ("what's the difference between chemo and Yescarta?", "Yescarta", False),  # both named
    ("is Yescarta different from chemo, is it gentler?", "Yescarta", False),
    ("He had Kymriah. Is there a different kind of CAR T aimed at another target?", "Kymriah", False),
    ("How is Abecma given?", "Abecma", False),
])
def test_one_product_compared_with_something_unnamed_is_a_follow_up_even_when_the_classifier_is_sure(
        text, span, follow_up):
    [message] = follow_up_rewriter().process([message_with(text, "comparisons", 0.9, [entity(text, span, "product")])])
    assert (message.get("intent")["name"] == "follow_up") == follow_up


@pytest.mark.parametrize("text, span, follow_up", [
    ("which products are for mantle cell", "mantle cell", True),
    ("oh. so which ones r for lymphoma", "lymphoma", True),
    ("hi, my husband has DLBCL and his onc brought up car t. which ones are for that?", "DLBCL", True),
    ("Are there any others for MCL?", "MCL", True),
    ("which car t is best for lymphoma", "lymphoma", False),  # a choice, not a list
    ("what drugs are used for CRS", None, False),  # no cancer named
])
def test_which_products_for_a_named_cancer_is_a_follow_up_listing_them(text, span, follow_up):
    entities = [entity(text, span, "cancer")] if span else []
    [message] = follow_up_rewriter().process([message_with(text, "nlu_fallback", 0.3, entities)])
    assert (message.get("intent")["name"] == "follow_up") == follow_up
    # the product and cancer answers already read the question, its age group too
    [message] = follow_up_rewriter().process([message_with(text, "cancers_treated", 0.9, entities)])
    assert message.get("intent")["name"] == "cancers_treated"


@pytest.mark.parametrize("text", ["his dr told us 8 weeks tho thats different from what u said",
                                  "My sister's blog says 8 weeks. Which is right?", "my doc said 4 wks. you say 2. which is it",
                                  "My hematologist said CRS is rare with it. You just said 92%. Somebody's wrong."])
def test_another_source_saying_otherwise_is_a_follow_up_whatever_the_classifier_says(text):
    [message] = follow_up_rewriter().process([message_with(text, "comparisons", 0.9)])
    assert message.get("intent")["name"] == "follow_up"


@pytest.mark.parametrize("text, follow_up", [
    ("ok unrelated but is it gonna rain in houston tmrw", False),  # says it is a new subject
    ("ok diff question, when is her next bone marrow thing", False),
    ("my english is not so good, shorter please", True),  # "more simply", whatever the classifier says
    ("right.", True),  # taken in
])
def test_a_message_saying_it_is_a_new_subject_is_no_follow_up_and_shorter_please_is(text, follow_up):
    message = message_with(text, "nlu_fallback", 0.3)
    message.set("intent_ranking", [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "follow_up", "confidence": 0.3}])
    [message] = follow_up_rewriter().process([message])
    assert (message.get("intent")["name"] == "follow_up") == follow_up


def test_follow_ups_are_found_after_the_gate_and_before_payloads_and_safety_rules():
    import yaml

    with open("config.yml") as f:
        names = [c["name"].rsplit(".", 1)[-1] for c in yaml.safe_load(f)["pipeline"]]
    assert names.index("AnswerConfidenceGate") < names.index("EllipticalFollowUp") < names.index("TopicPayloadHandler")


@pytest.mark.parametrize("text", ["which products?", "ok which ones are approved", "What drugs?", "i meant crs",
                                  "Sorry, I meant Yescarta", "when", "Why?", "and where exactly?", "how come", "how often?",
                                  "how long exactly?", "so how many roughly", "when tho", "how long should we wait",
                                  "that didn't answer my question", "No, that's not what I asked", "wrong answer",
                                  "this is useless, you just keep telling me to ask my doctor",
                                  "I see", "makes sense", "ok", "got it!", "ugh ok", "ok ill ask his dr",
                                  "I'll ask the team at rounds then", "none of those", "Neither.", "cool cool", "👍", "oh no",
                                  "yes please", "the second one", "option 3", "ok the first",
                                  "why wait?", "why not",  # tenth round, set AJ
                                  "who decides that?", "so who makes the final call",  # eleventh round, set AR
                                  "ok good to know", "ok makes sense", "what signs of that should I look out for",
                                  "and what are the symptoms of it?"])  # twelfth round, set AX
def test_bare_follow_ups_repairs_and_acknowledgements_are_follow_ups_even_when_the_classifier_is_sure(text):
    [message] = follow_up_rewriter().process([message_with(text, "approved_products", 0.9)])
    assert message.get("intent") == {"name": "follow_up", "confidence": 1.0}


@pytest.mark.parametrize("text", ["when can I drive", "who makes kymriah", "why do I need chemo first", "how is it given",
                                  "who decides if i can have car t",
                                  "my husband has signs of that confusion they talked about, since this morning he is not himself",
                                  "that didn't answer my question, is 80 too old for car t", "ok thanks", "ok bye"])
def test_a_question_word_with_a_question_keeps_the_classifiers_topic(text):
    [message] = follow_up_rewriter().process([message_with(text, "basics", 0.9)])
    assert message.get("intent")["name"] == "basics"


@pytest.mark.parametrize("text, follow_up", [
    ("ok and after that?", True), ("then what?", True), ("what happens next", True),
    ("what is the number", True), ("whats their number?", True),
    ("what is the number for the NCI?", False),  # names its subject: the classifier's answer
])
def test_the_next_step_or_the_number_asked_on_their_own_are_follow_ups_whatever_the_classifier_says(text, follow_up):
    """Ninth round, set Y: "ok and after that?" after cell collection got everyday life (47%), "what
    is the number" after the NCI's answer "did you mean"."""
    [message] = follow_up_rewriter().process([message_with(text, "aftercare", 0.47)])
    assert (message.get("intent")["name"] == "follow_up") == follow_up


def support_message(text, intent="research", answer="research/safety_switches", confidence=0.76):
    """A message as the classifier leaves it, in a model whose answers include the support group's."""
    message = faq_message(text=text, intent=intent, answer=answer, answer_confidence=confidence, intent_confidence=confidence)
    message.get("response_selector")["all_retrieval_intents"] = ["research", "support", "aftercare"]
    return message


@pytest.mark.parametrize("text, answer", [
    # thirteenth round, set BJ: feelings told mid-conversation, asking nothing
    ("I'm on edge all the time watching her, I can't switch off", "support/caregiver_support"),
    ("I haven't slept properly in days, I'm up checking his temperature every couple of hours and I'm just done in",
     "support/caregiver_support"),
    ("I moved back in with her to help and I've kind of lost my own life. I feel guilty even saying that",
     "support/caregiver_support"),
    ("bored out of my mind and fed up honestly, I just want my life back", "support/coping"),
    ("lying here I keep thinking about what happens if this doesn't work. I can't switch my brain off at night",
     "support/coping"),
    ("I've got my 3 month PET scan next week and I'm a nervous wreck", "support/coping"),
])
def test_a_feeling_told_with_nothing_asked_gets_the_answer_about_feelings(text, answer):
    [message] = FeelingsDetector({}).process([support_message(text)])
    assert message.get("intent")["name"] == "support"
    assert message.get("response_selector")["default"]["response"]["intent_response_key"] == answer


@pytest.mark.parametrize("text", [
    "i'm scared, how do other people handle this?",  # a question: the classifier's
    "ok thank you, this has calmed me down a bit",
    "i'm exhausted every single day since car t, when will my energy come back",
    "I'm exhausted all the time since the infusion",  # a patient's tiredness: recovery
    "My husband died in March and I'm so lonely",  # grief: condolences
    "I'm worried sick about how we'll pay the bills",  # money
    "I'm not scared anymore, just want to know the next steps",
])
def test_questions_thanks_grief_money_and_tiredness_keep_their_prediction(text):
    [message] = FeelingsDetector({}).process([support_message(text)])
    assert message.get("intent")["name"] == "research"


def test_a_feeling_keeps_a_crisis_the_classifier_found():
    [message] = FeelingsDetector({}).process([support_message("I'm so depressed I want to kill myself", intent="crisis",
                                                               answer="research/safety_switches", confidence=0.95)])
    assert message.get("intent")["name"] == "crisis"


def test_the_training_questions_the_feelings_rule_answers_are_its_own_topics(training_examples):
    """Every training question that content/feelings.yml reads as a feeling told is one of coping or support for
    caregivers (the answer it gives), or of an intent it leaves as the classifier found it (a crisis, condolences)."""
    detector = FeelingsDetector({})
    own = {detector.config["own"], detector.config["caregiver"], *detector.config["kept_intents"]}
    found = {(intent, text) for intent, texts in training_examples.items() for text in texts if detector.feelings.match(text)}
    assert len(found) >= 20  # the rule reads what it was written for
    assert not {(intent, text) for intent, text in found if intent not in own}
