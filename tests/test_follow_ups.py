"""Follow-up questions answered in context (actions/follow_ups.py, content/follow_ups.yml),
run against Tracker.from_dict fixtures: no Rasa server needed."""
from __future__ import annotations

import pytest

from actions.content import catalog, load_yaml
from actions.follow_ups import ActionAnswerFollowUp, answer_responses, follow_ups, further_reading, scored_topics
from helpers import action_tracker, merged_domain

ACTION = ActionAnswerFollowUp()


def follow_up(text, entities=(), intent_ranking=None, response_selector=None, events=(), **slots):
    """The messages and events of the follow-up action for `text` in the context `slots` (and the
    conversation's `events` before it, if any)."""
    from rasa_sdk.executor import CollectingDispatcher

    tracker = action_tracker("follow_up", entities, intent_ranking, response_selector, text=text, slots=slots,
                             events=events)
    dispatcher = CollectingDispatcher()
    events = ACTION.run(dispatcher, tracker, merged_domain())
    return dispatcher.messages, events


# How the trained classifier ranks the answers for longer follow-ups (2026-12-06): a word that fits
# any topic ("hotel", "keep getting it") counts in a longer message only with its topic among them.
CLASSIFIER_RANKINGS = {
    "if they go away does that mean the leukemia comes back": ["outcomes/cell_persistence", "outcomes/relapse"],
    "how long do we actually have to stay at the hotel?": ["aftercare/stay_nearby", "basics/manufacturing"],
    "is it a one time thing or do you keep getting it": ["basics/what_is_car_t", "basics/infusion"],
}


def follow_up_as_classified(text, **slots):
    """`follow_up` with the classifier's ranking of the message, where CLASSIFIER_RANKINGS has it."""
    ranking = CLASSIFIER_RANKINGS.get(text)
    return new_subject(text, ranking, **slots) if ranking else follow_up(text, **slots)


def test_every_aspect_and_target_of_the_mapping_exists(contract):
    spec = load_yaml("follow_ups.yml")
    aspects = set(spec["aspects"])
    ids = {t["id"] for t in contract}
    assert set(spec["any_topic"]) <= aspects and set(spec["any_topic"].values()) <= ids
    assert set(spec["topic_only"]) <= aspects and not set(spec["topic_only"]) & set(spec["any_topic"])
    for topic, targets in spec["topics"].items():
        assert topic in ids, topic
        assert set(targets) <= aspects, topic
        assert set(targets.values()) <= ids, topic
    answers = set(answer_responses(merged_domain()))
    every_target = set(spec["any_topic"].values()) | {t for m in spec["topics"].values() for t in m.values()}
    assert every_target <= answers | {"cancers_treated", "approved_products", "solid_tumors"}


@pytest.mark.parametrize("text, aspect", [
    ("how is it treated?", "treatment"), ("and how long does it last", "duration"),
    ("how common is it", "frequency"), ("when does it start?", "onset"), ("what does it target", "target"),
    ("who makes it?", "maker"), ("is it approved for lymphoma too?", "approval"), ("and for kids?", "children"),
    ("and in adults?", "adults"), ("what about the cost", "cost"), ("and insurance?", "insurance"),
    ("what about medicare", "insurance"), ("and driving?", "driving"), ("what if I don't have one", "no_caregiver"),
    ("does it work?", "success"), ("can I go back to work after", "work_school"), ("tell me more", "more"),
    ("how does it work?", "mechanism"), ("which products?", "products"),
    ("and how long does making the cells take?", "manufacturing"),
    ("what about the hospital food?", "new_subject"), ("and what about pets", "new_subject"),
    ("what about it?", None), ("what about that one", None), ("what about kids", "children"),
    ("what does it treat", "indications"), ("what about trials", "trials"), ("is there a trial for that", "trials"),
    ("how do I get it then", "access"), ("ok so how do I actually get it", "access"),
    ("which one has worse side effects", "severity"), ("that didn't answer my question", "not_answered"),
    ("no, that's not what I asked", "not_answered"), ("you already said that", "not_answered"),
    ("this is useless, you keep telling me to ask my doctor", "not_answered"),
    ("can he sit in the car", "driving"), ("from the car t itself, not the chemo", None),
    # blind conversations, seventh round: the cancers it treats, a chance of working, money before an
    # age, a length of time that is no age
    ("which blood cancers is it for then", "other_cancers"),
    ("ok and for blood cancers, which ones is it approved for", "blood_cancers"),  # eleventh round, set AQ
    ("and for blood cancers, how well does it work", "success"),
    # set AR: time off work is no question whether it works; hair going back to normal is no return to work
    ("can i even get time off work for this? im in texas", "work_school"), ("will it go back to normal", None),
    ("when can he go back to school", "work_school"),
    ("what if it doesn't?", "not_working"), ("what if it didnt work", "not_working"),
    ("is Tecartus for mantle cell lymphoma?", "approval"), ("is it for me?", None),  # set AU ("what other cancers does it work on besides his", "other_cancers"),
    ("which cancers can it cause", None), ("and the chance it works for lymphoma?", "success"),
    ("does medicare pay for it, hes 68", "insurance"), ("15 years??? why so long", None), ("she's 12", "children"),
    ("can i get an infection from it", None),
    # eighth round, set W: what to tell the ambulance crew
    ("ambulance is coming. what i tell to them?", "tell_responders"), ("what do we tell the paramedics", "tell_responders"),
])
def test_aspects(text, aspect):
    assert follow_ups().aspect(text) == aspect


def test_which_products_lists_those_for_the_cancer_under_discussion():
    messages, events = follow_up("which products?", topic="cure", cancer="multiple myeloma")
    assert "Abecma" in messages[0]["text"] and "Carvykti" in messages[0]["text"]
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "cancers_treated"}]


@pytest.mark.parametrize("text, product", [("How's it different from Abecma?", "Abecma"),
                                           ("And Aucatzyl - how is that different from the other one?", "Aucatzyl")])
def test_one_product_compared_with_the_one_discussed_gets_both_products_answers(text, product):
    before = "Kymriah" if product == "Aucatzyl" else "Carvykti"
    events = [{"event": "user", "text": f"What is {before}?"}, {"event": "slot", "name": "product", "value": before},
              {"event": "user", "text": text}, {"event": "slot", "name": "product", "value": product}]
    messages, _ = follow_up(text, [("product", product)], events=events, topic="approved_products", product=product)
    assert [m["text"].split(" ")[0] for m in messages] == [before, product]


@pytest.mark.parametrize("text", ["his dr told us 8 weeks tho thats different from what u said",
                                  "My sister's blog says 8 weeks. Which is right?", "my doc said 4 wks. you say 2. which is it"])
def test_another_source_saying_otherwise_gets_whose_advice_counts_and_the_answer_again(text):
    messages, events = follow_up(text, topic="driving")
    assert messages[0]["text"].startswith("Good that you checked.") and "follow theirs" in messages[0]["text"]
    assert messages[1]["response"] == "utter_aftercare/driving" and events == []
    messages, _ = follow_up(text)  # nothing said before: "did you mean"
    assert messages[0]["text"].startswith("I'm not sure")


def test_ok_with_a_cancer_named_is_no_acknowledgement_but_that_cancers_answer():
    lbcl = "large B-cell lymphoma"
    messages, _ = follow_up("ok found my papers its DLBCL", [("cancer", lbcl)], topic="cancers_treated", cancer=lbcl)
    assert "Yescarta" in messages[0]["text"] and not messages[0]["text"].startswith("All right")


def test_aucatzyl_then_whats_approved_for_cll_lists_the_cll_products():
    cll = "chronic lymphocytic leukemia"
    messages, _ = follow_up("so whats approved for cll then", [("cancer", cll)],
                            topic="approved_products", product="Aucatzyl", cancer=cll)
    assert "Breyanzi" in messages[0]["text"] and not messages[0]["text"].startswith("No")


def test_what_if_i_dont_have_one_as_a_first_message_asks_what_is_meant():
    messages, _ = follow_up("what if I don't have one?")
    assert messages[0]["text"].startswith("I'm not sure")
    messages, _ = follow_up("what if I don't have one?", topic="stay_nearby")
    assert messages[0]["response"] == "utter_aftercare/caregiver"


def test_crs_then_how_is_it_treated_gets_crs_treatment():
    messages, events = follow_up("how is it treated?", topic="crs")
    assert messages == [{**messages[0], "response": "utter_risks/crs_treatment"}]
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "crs_treatment"}]


def test_crs_then_how_long_does_it_last_stays_on_crs():
    messages, events = follow_up("and how long does it last", topic="crs")
    assert messages[0]["response"] == "utter_risks/crs" and events == []


def test_carvykti_then_is_it_approved_for_lymphoma_says_no_and_lists_the_lymphoma_products():
    messages, _ = follow_up("is it approved for lymphoma too?", [("cancer", "lymphoma")],
                            topic="approved_products", product="Carvykti", cancer="lymphoma")
    text = messages[0]["text"]
    assert text.startswith("No: in the US, Carvykti (ciltacabtagene autoleucel) is not FDA-approved for lymphoma. "
                           "It is approved for multiple myeloma.")
    for brand in ("Kymriah", "Yescarta", "Tecartus", "Breyanzi"):
        assert brand in text


@pytest.mark.parametrize("text", ["who makes it?", "what's it approved for"])
def test_carvykti_then_who_makes_it_gets_the_product_answer(text):
    messages, _ = follow_up(text, topic="approved_products", product="Carvykti")
    assert "made by Janssen" in messages[0]["text"] and "BCMA" in messages[0]["text"]


def test_carvykti_then_what_does_it_target_gets_the_receptor_answer_naming_its_target():
    messages, events = follow_up("what does it target", topic="approved_products", product="Carvykti")
    assert messages[0]["response"] == "utter_basics/car_receptor" and messages[0]["product"] == "Carvykti"
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "car_receptor"}]


def test_a_topic_then_and_for_a_cancer_asks_the_same_question_of_that_cancer():
    messages, _ = follow_up("and for myeloma?", [("cancer", "multiple myeloma")], topic="success_rates",
                            cancer="multiple myeloma")
    assert messages[0]["response"] == "utter_outcomes/success_rates"


def test_a_follow_up_that_names_no_aspect_is_about_the_same_topic():
    messages, events = follow_up("does it hurt?", topic="cell_collection")
    assert messages[0]["response"] == "utter_basics/cell_collection" and events == []


def new_subject(text, ranking, entities=(), **slots):
    """The follow-up action for `text`, which the classifier took for a follow-up, ranking the
    topics (answers "group/topic" or plain intents) `ranking` next."""
    scores = [0.05 / (rank + 1) for rank in range(len(ranking))]  # the first likeliest
    intents = [{"name": "follow_up", "confidence": 0.9}] + [{"name": key.split("/")[0], "confidence": score}
                                                             for key, score in zip(ranking, scores)]
    selector = {"all_retrieval_intents": ["aftercare", "basics", "research", "risks", "support"],
                "default": {"ranking": [{"intent_response_key": key, "confidence": score}
                                        for key, score in zip(ranking, scores) if "/" in key]}}
    return follow_up(text, entities, intents, selector, **slots)


def test_what_about_a_new_subject_is_not_the_last_answer_again():
    """After the fertility answer, "what about the hospital food?" used to get the fertility
    answer again; it now asks "did you mean", offering what the message itself is about."""
    [message], events = new_subject("what about the hospital food?", ["aftercare/hospital_stay", "aftercare/daily_life",
                                                                      "basics/manufacturing", "risks/fertility_pregnancy"],
                                    topic="fertility_pregnancy")
    assert message["text"].startswith("I'm not sure what you are asking about") and events == []
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0] == "/aftercare/hospital_stay" and "/risks/fertility_pregnancy" not in payloads


@pytest.mark.parametrize("text, ranking, slots", [
    # after the answer about cell collection, a question of its own about getting ready
    ("the nurse said he needs to see a dentist first, why is that?", ["basics/preparing", "risks/infections",
                                                                      "basics/lymphodepletion"],
     {"topic": "cell_collection"}),
    # lymphoma named in a first message that was not understood: not the lymphoma products' list
    ("does he need somebody with him 24/7 after", ["aftercare/caregiver", "risks/infections", "support/care_team"],
     {"cancer": "lymphoma"}),
])
def test_a_longer_follow_up_ranked_elsewhere_is_not_the_subject_again(text, ranking, slots):
    """Blind conversations (2026-12-06): a longer message the classifier was unsure of, which
    names no aspect and which it ranks away from the subject under discussion, got that subject's
    answer again. It now asks "did you mean", offering what the message itself is about."""
    [message], events = new_subject(text, ranking, **slots)
    assert message["text"].startswith("I'm not sure") and events == []
    assert "/" + ranking[0] in [b["payload"] for b in message["buttons"]]


def test_an_aspect_leading_elsewhere_yields_to_the_longer_messages_own_likely_topic():
    """After the cure answer, "how often" leads to the success rates; "what happens after that, how
    often do we keep coming back" is about follow-up care, which the classifier gives 0.39 (set S)."""
    text = "what happens after that, how often do we keep coming back"
    selector = {"all_retrieval_intents": ["aftercare", "outcomes"],
                "default": {"ranking": [{"intent_response_key": "aftercare/follow_up", "confidence": 0.39},
                                        {"intent_response_key": "outcomes/relapse", "confidence": 0.04}]}}
    intents = [{"name": "follow_up", "confidence": 0.3}, {"name": "aftercare", "confidence": 0.44}]
    _, events = follow_up(text, [], intents, selector, topic="cure")
    assert [e["value"] for e in events] == ["follow_up"]
    _, events = follow_up("how often?", [], intents, selector, topic="cure")  # a bare aspect: the topic's own answer
    assert [e["value"] for e in events] == ["success_rates"]


@pytest.mark.parametrize("text, ranking, topic", [
    ("its gone a bit red and sore round where it goes in today. no temp tho",
     ["aftercare/central_line", "research/future_research"], "hair_loss"),
    ("If she starts getting muddled while we're at the hotel, what do I do?",
     ["basics/preparing", "risks/neurotoxicity", "support/care_team"], "financial_help"),
])
def test_a_word_that_fits_any_topic_in_a_longer_message_is_not_that_topic(text, ranking, topic):
    """"where" and "hotel" made these the answers about where CAR T is given and help with costs."""
    [message], _ = new_subject(text, ranking, topic=topic)
    assert message["text"].startswith("I'm not sure")
    assert "/" + ranking[0] in [b["payload"] for b in message["buttons"]]


def test_a_follow_up_the_classifier_gives_a_likely_topic_of_its_own_is_not_the_subject_again():
    """After hair loss, "can she go to church on Sunday? it's always packed": "it" is the church, and
    the classifier gives everyday life 0.34."""
    text = "can she go to church on Sunday? it's always packed"
    selector = {"all_retrieval_intents": ["aftercare", "risks"],
                "default": {"ranking": [{"intent_response_key": "aftercare/daily_life", "confidence": 0.34},
                                        {"intent_response_key": "risks/infections", "confidence": 0.02}]}}
    intents = [{"name": "follow_up", "confidence": 0.3}, {"name": "aftercare", "confidence": 0.35}]
    [message], events = follow_up(text, [], intents, selector, topic="hair_loss")
    assert message["text"].startswith("I'm not sure") and events == []
    assert message["buttons"][0]["payload"] == "/aftercare/daily_life"


@pytest.mark.parametrize("text, ranking, topic", [
    # ranked on the subject
    ("and what happens to him during the time it takes to make them", ["basics/manufacturing",
                                                                       "basics/bridging_therapy"], "manufacturing"),
    # ranked elsewhere, but it points back ("it") in a few words
    ("ok. is it more common with some products than others?", ["basics/approved_products", "outcomes/success_rates",
                                                               "risks/side_effects"], "crs"),
])
def test_a_longer_follow_up_on_the_subject_stays_on_it(text, ranking, topic):
    [message], _ = new_subject(text, ranking, topic=topic)
    assert message["response"].endswith("/" + topic)


def test_what_about_a_subject_the_last_answer_covers_stays_on_it():
    # the classifier knows no pets: everyday life is only its second guess, which is enough
    [message], events = new_subject("what about pets?", ["research/new_targets", "aftercare/daily_life"],
                                    topic="daily_life")
    assert message["response"] == "utter_aftercare/daily_life" and events == []


def test_the_likeliest_topics_rank_answers_and_plain_intents_by_their_own_probability():
    """Not by group: the research group's many small answers can outweigh everyday life's one."""
    message = {"intent_ranking": [{"name": "follow_up", "confidence": 0.9}, {"name": "research", "confidence": 0.06},
                                  {"name": "aftercare", "confidence": 0.04}, {"name": "solid_tumors", "confidence": 0.035},
                                  {"name": "greet", "confidence": 0.05}],
               "response_selector": {"all_retrieval_intents": ["aftercare", "research"], "default": {"ranking": [
                   {"intent_response_key": "aftercare/daily_life", "confidence": 0.03},
                   {"intent_response_key": "research/new_targets", "confidence": 0.02},
                   {"intent_response_key": "research/safety_switches", "confidence": 0.01}]}}}
    assert [topic for _, topic in scored_topics(message)][:3] == ["solid_tumors", "daily_life", "new_targets"]


def test_what_about_a_cancer_the_last_answer_covers_stays_on_it():
    # "lung" alone is not a cancer the entity ruler knows; the classifier still ranks solid tumours first
    [message], events = new_subject("what about lung?", ["solid_tumors", "research/future_research"],
                                    topic="solid_tumors", cancer="breast cancer")
    # the general answer: the last answer's cancer ("for breast cancer or any other") is not the new subject
    assert message["text"].startswith("In the US, no CAR T therapy is FDA-approved for any solid tumor") and events == []


def test_what_about_a_named_product_is_still_the_same_question_for_it():
    [message], _ = new_subject("what about abecma", ["basics/approved_products"], [("product", "Abecma")],
                               topic="cost", product="Abecma")
    assert message["response"] == "utter_support/cost"


def test_a_solid_tumour_follow_up_is_the_solid_tumour_answer():
    _, events = follow_up("what about lung?", [("cancer", "lung cancer")], topic="cancers_treated", cancer="lung cancer")
    assert events[0]["value"] == "solid_tumors"


def test_all_in_children_then_in_adults_lists_tecartus_and_aucatzyl():
    messages, events = follow_up("and in adults?", topic="cancers_treated", cancer="acute lymphoblastic leukemia")
    text = messages[0]["text"]
    assert "in adults" in text and "Tecartus" in text and "Aucatzyl" in text and "Kymriah" not in text
    kids, _ = follow_up("and for kids?", topic="cancers_treated", cancer="acute lymphoblastic leukemia")
    assert "Kymriah" in kids[0]["text"] and "Tecartus" not in kids[0]["text"]


def test_a_cancer_without_a_product_for_children_says_so_and_names_the_approved_ones():
    messages, _ = follow_up("what about for children", topic="cancers_treated", cancer="multiple myeloma")
    text = messages[0]["text"]
    assert "no CAR T therapy is FDA-approved for multiple myeloma in children" in text
    assert "Abecma" in text and "Carvykti" in text


def test_myeloma_then_is_carvykti_approved_for_it():
    messages, _ = follow_up("is carvykti approved for it", [("product", "Carvykti")],
                            topic="cancers_treated", product="Carvykti", cancer="multiple myeloma")
    assert messages[0]["text"].startswith("Yes: in the US, Carvykti")


@pytest.mark.parametrize("topic, text, answer", [
    ("stay_nearby", "and driving?", "utter_aftercare/driving"),
    ("neurotoxicity", "ambulance is on the way, what do i tell them", "utter_support/care_team"),
    ("caregiver", "what if I don't have one", "utter_aftercare/caregiver"),
    ("cost", "what about insurance", "utter_support/insurance"),
    ("crs", "what about the cost", "utter_support/cost"),
    # "if it comes back" is the cancer after an answer about results, the side effect after its own
    ("cure", "and if it comes back?", "utter_outcomes/relapse"),
    ("response_check", "and if its still there at 3 months?", "utter_outcomes/relapse"),
    ("cell_persistence", "if they go away does that mean the leukemia comes back", "utter_outcomes/relapse"),
    ("neurotoxicity", "what if it comes back?", "utter_risks/neurotoxicity"),
    ("low_blood_counts", "will my counts all come back?", "utter_risks/low_blood_counts"),  # "all" is no ALL
    # an age, or "can I have them", is the topic's own context, not eligibility for CAR T
    ("fertility_pregnancy", "She's 38, we might want one more kid. Can I still father a child?",
     "utter_risks/fertility_pregnancy"),
    ("vaccines", "What about afterwards, when can I have them again?", "utter_aftercare/vaccines"),
    ("cell_persistence", "how long do they stay", "utter_outcomes/cell_persistence"),
    ("cell_persistence", "is that different between products?", "utter_outcomes/cell_persistence"),
    # "how long until I get them back" after cell collection: the weeks the lab takes
    ("cell_collection", "And then how long until I get them back?", "utter_basics/manufacturing"),
    ("infusion", "And what about after that? Do I go home the same day?", "utter_aftercare/hospital_stay"),
    ("stay_nearby", "how long do we actually have to stay at the hotel?", "utter_aftercare/stay_nearby"),
    ("driving", "how long do we actually have to stay at the hotel?", "utter_aftercare/stay_nearby"),
    ("manufacturing", "What happens in the meantime? He's quite poorly with the lymphoma", "utter_basics/bridging_therapy"),
])
def test_topic_follow_ups(topic, text, answer):
    messages, _ = follow_up_as_classified(text, topic=topic)
    assert messages[0]["response"] == answer


def test_a_product_under_discussion_adds_its_fact_to_a_topic_follow_up():
    messages, _ = follow_up("what are the side effects", topic="approved_products", product="Carvykti")
    assert messages[0]["response"] == "utter_risks/side_effects" and messages[0]["product"] == "Carvykti"


def test_without_context_a_follow_up_is_a_did_you_mean_with_topics_not_a_guess():
    messages, events = follow_up("how is it treated?")
    assert messages[0]["text"].startswith("I'm not sure what you are asking about")
    assert messages[0]["buttons"][-1]["payload"] == "/help" and events == []


def test_an_aspect_that_does_not_fit_the_topic_offers_the_topics_related_answers():
    messages, _ = follow_up("who makes it?", topic="crs")
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert "/risks/crs_treatment" in payloads and payloads[-1] == "/help"


def test_tell_me_more_gives_the_pages_the_answer_is_based_on_and_the_related_topics():
    messages, events = follow_up("tell me more", topic="crs")
    text = messages[0]["text"]
    assert text.startswith('For more on "What is CRS?"') and events == []
    sources = merged_domain()["responses"]["utter_risks/crs"][0]["metadata"]["sources"]
    urls = [s.rpartition(" - ")[2] for s in sources if "https://" in s]
    assert urls and all(url in text for url in urls)
    assert "/risks/crs_treatment" in [b["payload"] for b in messages[0]["buttons"]]
    assert messages[0]["metadata"] == {"topic": "crs"}  # rated like the answer it extends


def test_further_reading_lists_only_sources_a_reader_can_open():
    answer = {"metadata": {"sources": ["Fact sheet B3 - rules", "NCI - CAR T - https://www.cancer.gov/x"]}}
    assert further_reading(answer) == "- NCI - CAR T: https://www.cancer.gov/x"
    assert further_reading({}) == ""


def test_no_follow_up_claims_an_approval_the_product_table_does_not_hold():
    c = catalog()
    for product in c.products:
        for cancer in c.cancers:
            messages, _ = follow_up(f"is it approved for {cancer.name}?", [("cancer", cancer.name)],
                                    topic="approved_products", product=product.brand, cancer=cancer.name)
            approved = product.brand in c.products_for(cancer)
            assert messages[0]["text"].startswith("Yes:" if approved else "No:"), (product.brand, cancer.name)


def repair(text, before, entities=(), ranking=(), **slots):
    from rasa_sdk.executor import CollectingDispatcher

    events = [{"event": "user", "text": before}, {"event": "bot", "text": "I'm not sure what you are asking about."},
              {"event": "user", "text": text}]
    selector = {"default": {"ranking": [{"intent_response_key": key, "confidence": 0.5} for key in ranking]}}
    tracker = action_tracker("follow_up", entities, text=text, slots=slots, events=events, response_selector=selector)
    dispatcher = CollectingDispatcher()
    ACTION.run(dispatcher, tracker, merged_domain())
    return dispatcher.messages


def test_i_meant_the_cost_after_an_insurance_answer_is_the_cost_not_insurance_again():
    [message] = repair("no, I meant the cost", "my insurance denied it", ranking=["support/cost", "support/insurance"],
                       topic="insurance")
    assert message["response"] == "utter_support/cost"


def test_i_meant_crs_after_an_unanswered_how_is_it_treated_is_how_crs_is_treated():
    [message] = repair("i meant crs", "how is it treated?", ranking=["risks/crs", "risks/neurotoxicity"])
    assert message["response"] == "utter_risks/crs_treatment"


def test_sorry_i_meant_yescarta_after_an_unanswered_who_makes_it_names_its_maker():
    [message] = repair("sorry, i meant yescarta", "who makes it?", entities=[("product", "Yescarta")], product="Yescarta")
    assert "Kite" in message["text"]


def test_a_follow_up_with_nothing_to_refer_to_offers_the_topics_its_question_fits():
    """Nothing in context and no likely topic from the NLU: "how is it treated?" offers the
    topics with a treatment answer, not only "What can you help with?"."""
    [message], _ = follow_up("how is it treated?")
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:3] == ["/risks/crs_treatment", "/risks/neurotoxicity", "/risks/infections"]
    assert payloads[-1] == "/help"


@pytest.mark.parametrize("text", ["how do they get the cells out", "how do you get the cells back in"])
def test_getting_the_cells_is_not_getting_car_t(text):
    assert follow_ups().aspect(text) != "access"


@pytest.mark.parametrize("text, topic, expected", [
    ("how do I get it then", "order_drugs", "treatment_centers"),  # after "can I buy it online?"
    ("how do I get it", "financial_help", "financial_help"),  # the help, not CAR T
    ("what about trials", "solid_tumors", "clinical_trials"),
    ("which one has worse side effects", "vs_bispecifics", "vs_bispecifics"),  # the two compared, not the product list
    ("how long do we stay there", "treatment_centers", "stay_nearby"),
])
def test_access_trials_and_comparisons_in_context(text, topic, expected):
    from actions.follow_ups import build_context, resolve

    ctx = build_context({"text": text}, {"topic": topic})
    assert resolve(follow_ups().aspect(text), ctx, follow_ups()) == ("topic", expected)


def test_what_does_it_treat_after_a_product_gets_its_approved_uses():
    messages, _ = follow_up("what does it treat", topic="approved_products", product="Tecartus")
    assert "mantle cell lymphoma" in messages[0]["text"]


def test_that_did_not_answer_offers_the_other_likely_topics_of_the_question_before_and_a_person():
    """Not the same answer again: what else the question before could have meant, and a person."""
    from rasa_sdk.executor import CollectingDispatcher

    from helpers import action_tracker

    ranking = [{"intent_response_key": key, "confidence": c} for key, c in
               [("research/outside_us", 0.99), ("basics/treatment_centers", 0.004), ("basics/eligibility", 0.003)]]
    before = {"text": "is car t available in india", "intent": {"name": "research", "confidence": 0.99},
              "intent_ranking": [{"name": "research", "confidence": 0.99}],
              "response_selector": {"all_retrieval_intents": ["research", "basics"], "default": {"ranking": ranking}}}
    events = [{"event": "user", "text": before["text"], "parse_data": before},
              {"event": "bot", "text": "CAR T is used in many countries..."},
              {"event": "user", "text": "that didn't answer my question", "parse_data": {}}]
    tracker = action_tracker("follow_up", text="that didn't answer my question", slots={"topic": "outside_us"},
                             events=events)
    dispatcher = CollectingDispatcher()
    assert ACTION.run(dispatcher, tracker, merged_domain()) == []
    [message] = dispatcher.messages
    payloads = [b["payload"] for b in message["buttons"]]
    assert "/research/outside_us" not in payloads
    assert payloads[:2] == ["/basics/treatment_centers", "/basics/eligibility"]
    assert payloads[-2:] == ["/human_handoff", "/help"]
    assert "ask it another way" in message["text"]


@pytest.mark.parametrize("safety_reply, reminder", [("utter_emergency", "utter_emergency_reminder"),
                                                    ("utter_crisis", "utter_crisis_reminder")])
@pytest.mark.parametrize("text, without_it", [("it started this week", "I'm not sure what you are asking about"),
                                              ("ok", "All right.")])
def test_a_follow_up_right_after_a_safety_reply_that_cannot_be_resolved_gets_its_advice_again(
        safety_reply, reminder, text, without_it):
    """"it started this week" or "ok" after "call your team now": that advice again, not "did you
    mean" or "All right"."""
    from rasa_sdk.executor import CollectingDispatcher

    from helpers import action_tracker

    def reply(events):
        tracker = action_tracker("follow_up", text=text, events=events)
        dispatcher = CollectingDispatcher()
        ACTION.run(dispatcher, tracker, merged_domain())
        return dispatcher.messages[0]

    said = [{"event": "user", "text": "..."}, {"event": "action", "name": safety_reply}, {"event": "bot", "text": "..."},
            {"event": "action", "name": "action_listen"}, {"event": "user", "text": text}]
    assert reply(said)["response"] == reminder
    assert reply(said[-1:])["text"].startswith(without_it)  # no safety reply before
    # a message later still, two messages later no longer (actions/answers.py SAFETY_WINDOW)
    between = [{"event": "action", "name": "utter_thank"}, {"event": "action", "name": "action_listen"}]
    assert reply(said[:-1] + [{"event": "user", "text": "ok"}] + between + said[-1:])["response"] == reminder
    later = said[:-1] + ([{"event": "user", "text": "ok"}] + between) * 2 + said[-1:]
    assert reply(later)["text"].startswith(without_it)


def test_kids_after_a_topic_are_not_the_product_named_earlier():
    """"like kids with colds?" after everyday life, with Abecma named three turns before."""
    from actions.follow_ups import build_context, resolve

    text = "ok and after that, like kids with colds etc?"
    ctx = build_context({"text": text}, {"topic": "daily_life", "product": "Abecma"})
    assert resolve(follow_ups().aspect(text), ctx, follow_ups()) == ("topic", "daily_life")


def test_another_product_after_a_products_answer_gets_that_products_answer():
    messages, _ = follow_up("and Abecma?", entities=[("product", "Abecma")], topic="approved_products", product="Abecma")
    assert messages[0]["text"].startswith("Abecma (idecabtagene vicleucel)")


def test_how_bad_after_a_cancers_products_is_about_side_effects():
    from actions.follow_ups import build_context, resolve

    text = "how bad are the side effects for that one?"
    ctx = build_context({"text": text}, {"topic": "cancers_treated", "cancer": "mantle cell lymphoma"})
    assert resolve(follow_ups().aspect(text), ctx, follow_ups()) == ("topic", "side_effects")


def test_a_product_named_after_a_topic_answer_asks_that_topics_question_again():
    """"and for carvykti specifically" after the hospital stay (myeloma named before): the hospital
    stay again, with Carvykti's fact, not whether Carvykti is approved for myeloma."""
    from actions.follow_ups import build_context, resolve

    message = {"text": "and for carvykti specifically", "entities": [{"entity": "product", "value": "Carvykti"}]}
    ctx = build_context(message, {"topic": "hospital_stay", "cancer": "multiple myeloma", "product": "Carvykti"})
    assert resolve(follow_ups().aspect(message["text"]), ctx, follow_ups()) == ("topic", "hospital_stay")


def test_adults_with_a_named_cancer_after_a_topic_get_that_cancers_products_for_adults():
    messages, _ = follow_up("what about in adults over 25 with ALL then?", entities=[("cancer", "acute lymphoblastic leukemia")],
                            topic="children", cancer="acute lymphoblastic leukemia")
    assert "Tecartus" in messages[0]["text"] and "Aucatzyl" in messages[0]["text"]


def test_i_mean_with_a_question_of_its_own_answers_that_question_not_an_approval():
    """"can you have yescarta twice", then "no i mean if the lymphoma comes back after yescarta can
    they give another car t": a second CAR T, not "Yes: Yescarta is approved for lymphoma"."""
    [message] = repair("no i mean if the lymphoma comes back after yescarta can they give another car t",
                       "can you have yescarta twice", entities=[("product", "Yescarta"), ("cancer", "lymphoma")],
                       ranking=["outcomes/second_car_t", "outcomes/relapse"], product="Yescarta", cancer="lymphoma")
    assert message["response"] == "utter_outcomes/second_car_t"


@pytest.mark.parametrize("text, adults", [("he is 23 with ALL, can he have it", False), ("I'm 24 with b-all", False),
                                          ("my husband is 45", True), ("she's 27", True), ("a 30 year old", True)])
def test_18_to_25_is_not_the_adults_group_as_kymriahs_all_label_covers_it(text, adults):
    """A 23-year-old with ALL: not only the adults' products, Kymriah (up to 25) too."""
    assert (follow_ups().aspect(text) == "adults") == adults
    assert (follow_ups().age(text) == "adults") == (adults and "year" in text)


@pytest.mark.parametrize("text, aspect", [
    # a distance is not driving a car; "how does that work with ..." asks about an arrangement
    ("we're about 8 hours drive from the hospital. how does that work with the staying close thing", "distance"),
    ("we live about 2.5 hrs away, is that too far", "distance"),
    ("how far are people usually driving for this", "distance"), ("how far along is the research", None),
    ("what about flights, i heard theres a group that does free flights for cancer patients?", "financial_help"),
    ("is it ok to take flights after car t", "work_school"),
    ("And the confusion part, would I know it was happening to me?", None), ("i'm confused", "more"),
    ("that's confusing", "more"), ("confused", "more"), ("none of those", "not_answered"), ("neither", "not_answered"),
    ("if it happens do they test the tumour for the CAR construct?", None), ("ok whats the catheter thing", "new_subject"),
    ("what's the same thing for kids", "children"), ("can he drive the car yet", "driving"),
    ("we're driving 5 hours to get there", None), ("when can he drive again", "driving"),
    # "the ones where it doesn't work" is no question about where
    ("what happens to the ones where it doesnt work", "not_working"), ("where is it given", "where"),
    ("what if it fails?", "not_working"), ("what if it doesn't work for me", "not_working"),
    # "his old vaccines still work" is not about a job: vaccines (tenth round)
    ("if his old vaccines still work or if he has to redo them", "vaccines"), ("can I still work during it", "work_school"),
    ("when can she go back to work", "work_school"),
    ("400 thousand?? is that what we'd pay?", "cost"), ("how much would we have to pay", "cost"),
    ("who pays for it", "insurance"), ("is it a one time thing or do you keep getting it", "one_time"),
    ("can you explain that more simply", "simpler"), ("in plain english please", "simpler"),
    ("what does that mean", "more"),
    ("where does that info come from", "more"), ("what are your sources?", "more"), ("source?", "more"),
    ("so where did that number come from then?", "more"),  # not "where is CAR T given"
    ("is there a source of funding for travel", "work_school"), ("how do you know if it worked", "symptoms"),
    ("how do you know that?", "more"),
    ("how long does it take to work", "duration"), ("I'm 22, is that the one for my age group?", "eligibility"),
    ("why would a doctor pick one over the other", "choice"), ("which one should we choose", "choice"),
    ("Which one works better?", "choice"), ("when can i play soccer again", "work_school"),
    ("So how does someone actually get it?", "access"),
    ("Tell me more about the side effects of that one", "side_effects"), ("tell me more about it", "more"),
    ("you keep talking about the FDA, that's not relevant to me", "not_answered"),
    ("that doesn't apply to us", "not_answered"),
    ("my kids are 13 and 16. how do i explain this to them", "children"),  # telling them, not "tell me more"
    ("can you explain that", "more"), ("does getting it mean the treatment is working", "success"),
    ("can he keep working", "work_school"),
    # taken in, nothing asked; a feeling said, not asked
    ("ok", "acknowledged"), ("got it", "acknowledged"), ("ok ill ask his dr", "acknowledged"), ("ok i understand. we will wait", "acknowledged"),
    ("ok that's kinda scary ngl", "feeling"), ("oh no, that's scary", "feeling"), ("oh no", "feeling"), ("oh ok", "acknowledged"),
    ("haha ok", "acknowledged"), ("lol fair", "acknowledged"), ("is it scary?", "severity"), ("ok so how many days is it", "duration"),
    ("ok fine. is car t still experimental or not", None), ("am i allowed to use the shower in her room", "wet"),
    ("is he allowed to have it at 80", "eligibility"), ("ok. is 78 too old", "too_old"), ("right, and the cost", "cost"),
    # puzzled about a subject names it (blind conversations, sixth round, set A)
    ("im so confused about how the insurance works for car t lol", "insurance"), ("i'm confused about that", "more"),
    ("what if he picks up an infection", None), ("which one is better for kids", "children"),
    # blind conversations, sixth round, set B: a trip, a country, how well it works for an age, whom to believe
    ("my best friend's wedding is in mexico in august. am i going to be able to fly??", "travel"),
    ("could we fly to the US for it", "outside_us"), ("would OHIP pay for out of country treatment like that", "outside_us"),
    ("how often does it actually work for teenagers with ALL", "success_age"), ("so who do i believe, you or the booklet", "disagreed"),
    ("when can he get back to footy training", "work_school"),
    # without an age group these stay what they were: how well it works, and how often
    ("how well does it work", "success"), ("what percent get it", "frequency"),
    # set C: a cracked molar "driving me nuts" is no question about driving; "ugh ok" is taken in
    ("and the dentist? i have a cracked molar thats driving me nuts", None), ("ugh ok. ty", "acknowledged"),
])
def test_aspects_found_in_conversations(text, aspect):
    assert follow_ups().aspect(text) == aspect


def test_a_repair_with_its_own_question_is_not_read_as_a_job_question():
    """"no I meant ... his old vaccines still work": vaccines, not everyday life (work)."""
    [message] = repair("no I meant he wants to know if his old vaccines still work or if he has to redo all of them",
                       "can he get his flu shot now", ranking=["aftercare/vaccines", "aftercare/daily_life"],
                       topic="vaccines")
    assert message["response"] == "utter_aftercare/vaccines"


def test_explain_that_more_simply_gives_the_answers_summary_and_its_related_topics():
    messages, events = follow_up("can you explain that more simply", topic="crs")
    summary = merged_domain()["responses"]["utter_risks/crs"][0]["metadata"]["summary"]
    assert messages[0]["text"].startswith(f"In short: {summary}") and events == []
    assert "/risks/crs_treatment" in [b["payload"] for b in messages[0]["buttons"]]
    assert messages[0]["metadata"] == {"topic": "crs"}


def test_explain_more_simply_without_a_summary_gives_the_pages_as_tell_me_more_does():
    messages, _ = follow_up("in plain english please", topic="approved_products")
    assert not messages[0]["text"].startswith("In short")
    assert messages[0]["text"] == follow_up("tell me more", topic="approved_products")[0][0]["text"]


def test_which_one_to_pick_is_for_the_treating_team_unless_the_answer_compared_the_two():
    messages, _ = follow_up("why would a doctor pick one over the other", topic="approved_products", product="Yescarta")
    assert messages[0]["response"] == "utter_personal_advice"
    messages, _ = follow_up("which one is better for myeloma", topic="vs_bispecifics")
    assert messages[0]["response"] == "utter_comparisons/vs_bispecifics"


def test_too_old_for_a_product_under_discussion_is_eligibility_with_its_label_population():
    messages, _ = follow_up("I'm 22, is that the one for my age group?", topic="approved_products", product="Kymriah")
    assert messages[0]["response"] == "utter_basics/eligibility" and messages[0]["product"] == "Kymriah"


def test_where_does_that_come_from_lists_the_pages_the_answer_is_based_on():
    messages, _ = follow_up("where does that info come from", topic="bridging_therapy")
    assert messages[0]["text"].startswith('For more on "What is bridging therapy?"')


@pytest.mark.parametrize("slots, text, answer", [
    ({"topic": "approved_products"}, "what happens to the ones where it doesnt work", "utter_outcomes/relapse"),
    ({"topic": "manufacturing"}, "what if it fails?", "utter_basics/manufacturing"),
    ({"topic": "eligibility"}, "is it a one time thing or do you keep getting it", "utter_basics/infusion"),
    ({"topic": "daily_life"}, "how many months roughly?", "utter_aftercare/daily_life"),
    ({"topic": "crs"}, "how often?", "utter_risks/crs"),
    ({"topic": "bridging_therapy"}, "we live about 2.5 hrs away, is that too far", "utter_aftercare/stay_nearby"),
    ({"topic": "clinical_trials"}, "he's 71 is that too old", "utter_basics/eligibility"),
    ({"topic": "insurance"}, "What about travel and lodging?", "utter_support/financial_help"),
    # the journey, a step at a time
    ({"topic": "manufacturing"}, "then what?", "utter_basics/lymphodepletion"),
    ({"topic": "infusion"}, "ok and what happens after that?", "utter_aftercare/hospital_stay"),
    ({"topic": "manufacturing"}, "and after the infusion?", "utter_aftercare/hospital_stay"),
    ({"topic": "caregiver_support"}, "How long does the 24/7 part last?", "utter_aftercare/caregiver"),
    # the odds after a product's answer: how well it works, with the product's fact
    ({"topic": "approved_products", "product": "Kymriah"}, "what are the odds it works?", "utter_outcomes/success_rates"),
    ({"topic": "allogeneic"}, "why isn't it approved yet", "utter_research/allogeneic"),
    ({"topic": "approved_products", "product": "Tecartus"}, "Tell me more about the side effects of that one",
     "utter_risks/side_effects"),
    # blind conversations, sixth round, set A
    ({"topic": "warning_signs"}, "and if nobody picks up?", "utter_support/care_team"),
    ({"topic": "care_team"}, "what if they don't answer", "utter_support/care_team"),
    ({"topic": "vs_stem_cell_transplant"}, "which one tends to get better results", "utter_comparisons/vs_stem_cell_transplant"),
    ({"topic": "vaccines"}, "What About Myself, I Am 78 And The Doctor Wants Me To Have The Shingles One.",
     "utter_aftercare/vaccines"),
    ({"topic": "cancers_treated", "cancer": "multiple myeloma"}, "she is 74 years. is too old for this?",
     "utter_basics/eligibility"),
    ({"topic": "approved_products"}, "which one do you suggest, he is 67", "utter_personal_advice"),
    ({"topic": "approved_products"}, "which 1 is better 4 me", "utter_personal_advice"),
    ({"topic": "stay_nearby"}, "any help with gas and a motel", "utter_support/financial_help"),
    ({"topic": "second_car_t"}, "how well does it work", "utter_outcomes/second_car_t"),
    ({"topic": "crs"}, "what percent get it", "utter_risks/crs"),
])
def test_follow_ups_found_in_conversations(slots, text, answer):
    messages, _ = follow_up_as_classified(text, **slots)
    assert messages[0]["response"] == answer


def test_a_repair_keeps_the_topic_it_answered_for_the_next_follow_up():
    """"no I meant the chemo before, how long is that part" after the timeline answer: the answer
    about the chemo, and the conversation is about the chemo from then on (the slot said timeline)."""
    from rasa_sdk.executor import CollectingDispatcher

    events = [{"event": "user", "text": "how long does the whole thing take"},
              {"event": "bot", "text": "From cell collection ..."},
              {"event": "user", "text": "no I meant the chemo before, how long is that part"}]
    selector = {"default": {"ranking": [{"intent_response_key": "basics/lymphodepletion", "confidence": 0.6}]}}
    tracker = action_tracker("follow_up", text=events[-1]["text"], slots={"topic": "timeline"}, events=events,
                             response_selector=selector)
    dispatcher = CollectingDispatcher()
    assert ACTION.run(dispatcher, tracker, merged_domain()) == [{"event": "slot", "timestamp": None,
                                                                  "name": "topic", "value": "lymphodepletion"}]
    assert dispatcher.messages[0]["response"] == "utter_basics/lymphodepletion"


def test_an_age_after_the_eligibility_answer_is_that_answer_again():
    """"ok. is 78 too old" after "Can I get CAR T if I have CLL?" got "did you mean" ("is 78" was
    read as "i's 78", the adults aspect, which the eligibility answer had no mapping for)."""
    messages, _ = follow_up("ok. is 78 too old", topic="eligibility", cancer="chronic lymphocytic leukemia")
    assert messages[0]["response"] == "utter_basics/eligibility"
    assert follow_ups().aspect("it is 30 minutes") is None


def test_ok_after_an_answer_invites_another_question_instead_of_repeating_it():
    messages, events = follow_up("got it", topic="infections")
    assert messages[0]["text"].startswith("All right.") and events == []
    related = [b["payload"] for b in merged_domain()["responses"]["utter_risks/infections"][0]["buttons"]]
    assert [b["payload"] for b in messages[0]["buttons"]] == [*related, "/help"]


def test_a_fear_said_after_an_answer_gets_the_answer_about_coping():
    messages, _ = follow_up("ok that's kinda scary ngl", topic="neurotoxicity")
    assert messages[0]["response"] == "utter_support/coping"


def test_two_products_compared_get_each_ones_answer_not_a_yes_for_the_cancer_under_discussion():
    """"how is Tecartus different from Yescarta?" after mantle cell lymphoma: no "Yes: ..."."""
    messages, events = follow_up("how is tecartus different from yescarta, isnt it the same company",
                                 entities=[("product", "Tecartus"), ("product", "Yescarta")],
                                 topic="cancers_treated", cancer="mantle cell lymphoma", product="Tecartus")
    assert [m["text"].split(" (")[0] for m in messages] == ["Tecartus", "Yescarta"]
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "approved_products"}]
    # one product named: the question for it, as before ("and Breyanzi?" after follicular lymphoma)
    messages, _ = follow_up("and breyanzi?", entities=[("product", "Breyanzi")], topic="approved_products",
                            cancer="follicular lymphoma", product="Kymriah")
    assert messages[0]["text"].startswith("Yes: in the US, Breyanzi")


def test_a_long_question_naming_a_product_is_no_approval_question():
    """"is that something that happens with kymriah or was it something we did" after a leukemia answer:
    not "Yes: Kymriah is approved for leukemia"."""
    messages, _ = follow_up("is that something that happens with kymriah or was it something we did",
                            entities=[("product", "Kymriah")], cancer="acute lymphoblastic leukemia")
    assert not messages[0]["text"].startswith("Yes")


@pytest.mark.parametrize("text, aspect", [("temp is 36.8 and she feels fine otherwise", None), ("she is 36", "adults"),
                                          ("he's 38.5 now", None), ("my dad is 71, too old?", "too_old")])
def test_a_temperature_is_not_an_age(text, aspect):
    """"temp is 36.8" after the central line's answer got the eligibility answer as if 36 were an age."""
    assert follow_ups().aspect(text) == aspect


@pytest.mark.parametrize("text, response", [
    ("the second one", "utter_risks/crs_treatment"), ("2nd one please", "utter_risks/crs_treatment"),
    ("option 3", "utter_risks/neurotoxicity"), ("ok the first", "utter_risks/crs"), ("last one", "utter_help"),
])
def test_a_button_picked_by_its_place_is_answered_as_if_clicked(text, response):
    """"the second one" after "did you mean" got the answer about a second CAR T."""
    from rasa_sdk.executor import CollectingDispatcher

    from helpers import action_tracker

    buttons = [{"title": "What is CRS?", "payload": "/risks/crs"}, {"title": "How is CRS treated?", "payload": "/risks/crs_treatment"},
               {"title": "ICANS", "payload": "/risks/neurotoxicity"}, {"title": "What can you help with?", "payload": "/help"}]
    said = [{"event": "user", "text": "what happens with the fever thing"},
            {"event": "bot", "text": "I'm not sure I understood. Did you mean one of these?", "data": {"buttons": buttons}},
            {"event": "action", "name": "action_listen"}, {"event": "user", "text": text}]
    assert follow_ups().aspect(text) == "picked"
    dispatcher = CollectingDispatcher()
    ACTION.run(dispatcher, action_tracker("follow_up", text=text, events=said), merged_domain())
    assert dispatcher.messages[0]["response"] == response
    # with no buttons to pick from: "did you mean", not a guess
    dispatcher = CollectingDispatcher()
    ACTION.run(dispatcher, action_tracker("follow_up", text=text, events=said[-1:]), merged_domain())
    assert "response" not in dispatcher.messages[0] or dispatcher.messages[0]["response"] != response


@pytest.mark.parametrize("text", ["yes please", "yeah", "sure thanks"])
def test_yes_please_after_an_answer_is_taken_in_not_answered_again(text):
    """"yes please" after the infusion answer got the infusion answer again."""
    assert follow_ups().aspect(text) == "acknowledged"


# Blind set Y of 2026-12-06 (ninth round: follow-ups), measured first.
@pytest.mark.parametrize("text, topic, slots, expected", [
    ("can it come back", "cure", {}, "relapse"),  # not how long a cure lasts
    ("will my hair come back", "hair_loss", {}, "hair_loss"),
    ("ok so what is it approved for then", "solid_tumors", {"cancer": "pancreatic cancer"}, "cancers_treated"),
    ("and once it finds it how does it kill it", "car_receptor", {}, "how_cells_kill"),  # not how dangerous it is
    ("the side effect is more with which one", "cancers_treated", {}, "side_effects"),  # not the product list
    ("what is the number", "nci", {}, "nci"),  # the organisation's answer gives it
    ("ok and after that?", "cell_collection", {}, "manufacturing"),
    ("then what happens to them", "cell_collection", {}, "manufacturing"),  # set AC
    # set AE
    ("how would we know if they're still there", "cell_persistence", {}, "cell_persistence"),
    ("and if its still there at 3 months?", "response_check", {}, "relapse"),
    ("and who makes the final call", "eligibility", {}, "eligibility"),
    ("how long does the approval take", "insurance", {}, "insurance"), ("what if they deny it", "insurance", {}, "insurance"),
    ("what do they give for it", "crs", {}, "crs_treatment"),
])
def test_ninth_round_follow_ups_in_context(text, topic, slots, expected):
    from actions.follow_ups import build_context, resolve

    ctx = build_context({"text": text}, {"topic": topic, **slots})
    assert resolve(follow_ups().aspect(text), ctx, follow_ups()) == ("topic", expected)


def test_asking_for_help_after_a_refusal_is_no_question_about_the_refusal():
    """Set Y: "and if they turn me down is there any help out there" after insurance asks for help, not
    what happens when insurance says no (it was "did you mean" before the `denied` aspect, and stays so)."""
    assert follow_ups().aspect("and if they turn me down is there any help out there") != "denied"


def test_what_a_product_is_approved_for_is_its_approved_uses():
    messages, _ = follow_up("what is it approved for?", topic="approved_products", product="Kymriah")
    assert "follicular lymphoma" in messages[0]["text"]


# Blind set AH of 2026-12-06 (tenth round: long runs of follow-ups), measured first.
@pytest.mark.parametrize("text, topic, slots, expected", [
    ("and if it didnt can he get it again", "eligibility", {}, "second_car_t"),
    ("does it hurt going in?", "central_line", {}, "central_line"),
    ("does it hurt?", "cell_collection", {}, "cell_collection"),  # `pain` is no aspect there: the topic again
    ("do i need any shots for that", "daily_life", {}, "vaccines"),
    ("what about the kids' flu shots", "daily_life", {}, "vaccines"),  # not the children's answer
    ("is it normal that i cry almost every day", "recovery", {}, "coping"),
    ("whats their number now", "advocacy_groups", {}, "advocacy_groups"),
    ("do they ever have to do it twice?", "cell_collection", {}, "cell_collection"),  # not a second CAR T
    # set AN
    ("can i shower or swim with it", "central_line", {}, "central_line"),
    ("will it ever grow back", "hair_loss", {}, "hair_loss"),
    # fifteenth round, set CI: a bare "swimming?" is the line's question after the line, everyday life elsewhere
    ("swimming?", "central_line", {}, "central_line"), ("swimming?", "crs", {}, "daily_life"),
    ("what about swimming", "recovery", {}, "daily_life"),
    ("and if it's back, what then", "response_check", {}, "relapse"),
])
def test_tenth_round_follow_ups_in_context(text, topic, slots, expected):
    from actions.follow_ups import build_context, resolve

    ctx = build_context({"text": text}, {"topic": topic, **slots})
    assert resolve(follow_ups().aspect(text), ctx, follow_ups()) == ("topic", expected)


def test_does_it_hurt_with_nothing_said_before_asks_what_is_meant():
    from actions.follow_ups import build_context, resolve

    assert resolve(follow_ups().aspect("does it hurt"), build_context({"text": "does it hurt"}, {}), follow_ups()) is None


def ranked(*topics):
    """A parse whose classifier ranks these FAQ answers, likeliest first (the first is the answer chosen)."""
    ranking = [{"intent_response_key": f"basics/{t}", "confidence": c} for t, c in zip(topics, (0.59, 0.06, 0.01))]
    return {"intent": {"name": "basics", "confidence": 0.59},
            "response_selector": {"all_retrieval_intents": ["basics"], "default": {"ranking": ranking}}}


@pytest.mark.parametrize("text, topic, ranking, expected", [
    ("does it hurt going in?", "central_line", ("infusion", "central_line"), True),
    ("does it hurt going in?", "central_line", ("infusion", "benefits"), False),  # the line not among its likeliest
    ("does it hurt going in?", "side_effects", ("infusion", "side_effects"), False),  # no answer of its own for that
    ("how long does the infusion itself take, and does it hurt going in?", "central_line",
     ("infusion", "central_line"), False),  # longer than a follow-up
    ("does Kymriah hurt going in?", "central_line", ("infusion", "central_line"), False),  # names its own subject
    # an aspect only the line answers, whatever the classifier ranks (thirteenth round, set BK)
    ("When do they take it out?", "central_line", ("cell_collection", "response_check"), True),
    ("When do they take it out?", "manufacturing", ("cell_collection", "response_check"), False),
    # ...with no "it" to point back (fifteenth round, set CI)
    ("he wants to shower, can he?", "central_line", ("daily_life", "recovery"), True),
    ("he wants to shower, can he?", "hospital_stay", ("daily_life", "recovery"), False),
    ("he wants to go to the gym, can he?", "central_line", ("daily_life", "recovery"), False),
])
def test_a_short_follow_up_of_the_last_answer_outranks_the_classifiers_topic(text, topic, ranking, expected):
    """Set AH: "does it hurt going in?" after the central line's answer got the infusion's (the
    classifier, 0.59; the central line second)."""
    from actions.follow_ups import answers_the_last_topic

    entities = [{"entity": "product", "value": "Kymriah"}] if "Kymriah" in text else []
    assert answers_the_last_topic({**ranked(*ranking), "text": text, "entities": entities}, {"topic": topic}) == expected


def test_blood_cancers_after_solid_tumours_are_the_cancers_it_treats():
    """Set AQ (eleventh round): "ok and for blood cancers, which ones is it approved for" after the solid-tumour
    answer got that answer again (the approval aspect read it as a question about solid tumours). The classifier
    ranked the cancers it treats next after the follow-up."""
    _, events = new_subject("ok and for blood cancers, which ones is it approved for", ["cancers_treated"],
                            topic="solid_tumors")
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "cancers_treated"}]


@pytest.mark.parametrize("topic", ["driving", "second_car_t", "stay_nearby"])
def test_who_decides_is_asked_of_the_topic_just_answered(topic):
    """Set AR (eleventh round): "who decides that?" after driving or a second CAR T got the eligibility answer."""
    _, events = follow_up("who decides that?", topic=topic)
    assert events in ([], [{"event": "slot", "timestamp": None, "name": "topic", "value": topic}])


def test_who_decides_after_eligibility_is_still_eligibility():
    _, events = follow_up("who decides that?", topic="eligibility")
    assert events in ([], [{"event": "slot", "timestamp": None, "name": "topic", "value": "eligibility"}])


@pytest.mark.parametrize("topic, answer", [("response_check", "relapse"), ("hair_loss", "hair_loss"),
                                           ("vaccines", "vaccines")])
def test_what_if_it_does_not_is_asked_of_what_it_is(topic, answer):
    """Set AR (eleventh round): "what if it doesn't?" after the response check is the cancer not responding (relapse);
    after hair loss or vaccines, "it" is the hair or the vaccine."""
    _, events = follow_up("what if it doesn't?", topic=topic)
    assert events in ([], [{"event": "slot", "timestamp": None, "name": "topic", "value": answer}])
    if topic != answer:
        assert events


@pytest.mark.parametrize("text", ["and if it hasn't?", "and if it doesn't last?"])
def test_and_if_it_has_not_after_the_response_check_is_the_cancer_not_responding(text):
    """Sets AW, BE (twelfth round): "and if it hasn't?" (without "what"), "and if it doesn't last?" after the response
    check got that answer again."""
    _, events = follow_up(text, topic="response_check")
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "relapse"}]


@pytest.mark.parametrize("topic", ["secondary_cancers", "crs", "central_line"])
def test_signs_of_that_are_the_signs_of_the_topic_just_answered(topic):
    """Set AX (twelfth round): "what signs of that should I look out for" after secondary cancers got the warning signs
    (the classifier was sure); it is asked of that answer's subject."""
    _, events = follow_up("what signs of that should I look out for", topic=topic)
    assert events in ([], [{"event": "slot", "timestamp": None, "name": "topic", "value": topic}])
