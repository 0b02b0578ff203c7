"""When the assistant is unsure, offers the likeliest topics as buttons.

Candidates combine both levels of the NLU: the intent ranking and, for retrieval
intents (groups of FAQ topics), the ranking of answers (`response_selector`)
(score = group confidence x the answer's share of its group's answers), so a confident
group with an unsure answer still yields the right shortlist, and an FAQ answer competes
on equal terms with a plain intent. Small talk, "are you a bot?" and privacy are never offered
for a question the assistant did not understand. The answers about side effects the message
names come first (content/side_effects.yml), and a message that tells something and asks
nothing is asked what the person would like to know (content/statements.yml).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import safety_net_reminder, send_answer, topic_titles
from actions.content import CONTENT_DIR, catalog, load_yaml
from nlu_components.pattern_rules import PatternRules, normalise

# Five buttons, down to a 3% chance: the right topic among them in 37 of 47 clarifications
# instead of 32 with four (30 with three), on real questions of sites not trained on (`make
# cross-validate`, chosen there so that the hold-outs stay untouched; docs/quality-history.md).
# A message whose likeliest topic is below 8% was not understood at all ("blorp", "hmm"):
# it gets "say it another way" rather than four guesses (on those real questions, one
# clarification loses its guesses, which did not hold the right topic).
MAX_SUGGESTIONS = 5
MIN_SCORE = 0.03
MIN_BEST_SCORE = 0.08
# Condolences are never a guess: "I'm so sorry for your loss" to someone who lost no one.
NOT_SUGGESTED = {"nlu_fallback", "follow_up", "greet", "goodbye", "thank", "out_of_scope", "help", "bot_challenge",
                 "privacy", "bereavement"}
# An answer given with less than 70% confidence offers the next likeliest topics as its first
# buttons ("Not what you asked?"), so that a wrong answer can be one click from the right one:
# on real questions of sites not trained on (`make cross-validate`), 11 of 40 wrong answers then
# offer the right topic (9 at 60%, 13 at 80%), and a quarter of the right answers (64 of 254)
# carry the two extra buttons and the line (docs/quality-history.md).
ALTERNATIVES_BELOW = 0.7
MAX_ALTERNATIVES = 2


def answer_ranking(selectors: Dict[Text, Any], intent: Text) -> List[Dict[Text, Any]]:
    """The ranked answers of a retrieval intent: its own selection, else its share of
    the catch-all ranking ("default")."""
    if intent in selectors:
        return selectors[intent].get("ranking") or []
    prefix = f"{intent}/"
    return [a for a in (selectors.get("default") or {}).get("ranking") or []
            if (a.get("intent_response_key") or "").startswith(prefix)]


def candidate_topics(parse_data: Dict[Text, Any], titles: Dict[Text, Text]) -> List[Tuple[str, str]]:
    """(topic id, payload) pairs of topics with a title, likeliest first."""
    selectors = parse_data.get("response_selector") or {}
    retrieval_intents = selectors.get("all_retrieval_intents") or []
    intents = [i for i in parse_data.get("intent_ranking") or [] if i.get("name") != "nlu_fallback"]
    if intents and max(intents, key=lambda i: i.get("confidence") or 0.0).get("name") == "out_of_scope":
        return []  # likeliest not about CAR T at all ("blorp wibble"): no medical guesses
    scored: Dict[Tuple[str, str], float] = {}
    for intent in parse_data.get("intent_ranking") or []:
        name, confidence = intent.get("name"), intent.get("confidence") or 0.0
        if name in NOT_SUGGESTED:
            continue
        if name in retrieval_intents:
            answers = answer_ranking(selectors, name)
            total = sum(a.get("confidence") or 0.0 for a in answers) or 1.0
            for answer in answers:
                key = answer["intent_response_key"]
                scored[(key.split("/", 1)[-1], f"/{key}")] = confidence * (answer.get("confidence") or 0.0) / total
        else:
            scored[(name, f"/{name}")] = confidence
    ranked = sorted(scored.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < MIN_BEST_SCORE:
        return []
    # The crisis reply only as the likeliest topic, and only for a message with words of despair
    # (content/crisis.yml `distress`): beside "can he bring his own pillow?" or before "I'd like to
    # fly to Spain this summer", offering it alarms and helps no one.
    text = normalise(parse_data.get("text") or "")
    despair = any(p.search(text) for p in distress_patterns())
    ranked = [(c, score) for i, (c, score) in enumerate(ranked) if c[0] != "crisis" or (i == 0 and despair)]
    return [c for c, score in ranked if score >= MIN_SCORE and c[1] in titles][:MAX_SUGGESTIONS]


def alternative_topics(parse_data: Dict[Text, Any], titles: Dict[Text, Text], topic: Text) -> List[Tuple[str, str]]:
    """(topic id, payload) of the likeliest other topics when `topic` is the answer the
    classifier chose for this message, unsure; none when it was sure, when a button chose it,
    or when a custom action chose `topic` (a follow-up)."""
    # the answer as utter_<intent> reads it: the intent's own selection, else the catch-all one
    # (nlu_components/base.py `answer_selection`, which this action server does not import)
    intent = (parse_data.get("intent") or {}).get("name")
    selectors = parse_data.get("response_selector") or {}
    answer = (selectors.get(intent) or selectors.get("default") or {}).get("response") or {}
    if ((answer.get("intent_response_key") or "").split("/", 1)[-1] != topic
            or (answer.get("confidence") or 0.0) >= ALTERNATIVES_BELOW):
        return []
    return [c for c in candidate_topics(parse_data, titles) if c[0] != topic][:MAX_ALTERNATIVES]


class ActionClarify(Action):
    def name(self) -> Text:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        # imported here: actions.follow_ups builds on this module's candidates
        from actions.follow_ups import ActionAnswerFollowUp, follows_the_last_answer, remind_of_safety_advice

        reminded = remind_of_safety_advice(dispatcher, tracker)  # "she says she'll sleep it off" a message later
        net_reminder = None if reminded else safety_net_reminder(tracker.latest_message)
        if net_reminder:  # "Ma da's no right the day ... cannae mind where he is": the advice, then the topics
            dispatcher.utter_message(response=net_reminder)
            reminded = True
        if not reminded and follows_the_last_answer(tracker):  # "how long do you have to wait?" after the fertility answer
            return ActionAnswerFollowUp().run(dispatcher, tracker, domain)
        payloads = [payload for _, payload in clarify_topics(tracker.latest_message, topic_titles(domain))]
        buttons = [{"payload": payload} for payload in payloads] + [{"payload": "/help"}]
        if reminded:
            # the advice first; a new question it could not place still gets its likeliest topics
            # ("whatever. how long do people usually live after car t fails")
            if payloads:
                send_answer(dispatcher, domain, "clarify_after_safety_advice", buttons=buttons)
        elif statements().match(tracker.latest_message.get("text") or ""):
            # "my dad has multiple myeloma": a story told first, nothing asked yet
            send_answer(dispatcher, domain, "clarify_statement", buttons=buttons)
        elif payloads:
            send_answer(dispatcher, domain, "clarify", buttons=buttons)
        else:
            send_answer(dispatcher, domain, "not_understood")
        return []


def clarify_topics(parse_data: Dict[Text, Any], titles: Dict[Text, Text]) -> List[Tuple[str, str]]:
    """(topic id, payload) of the "did you mean" buttons: the answers about the side effects the
    message names (content/side_effects.yml `topic`; "in hospital he was confused for a couple of
    days, that all cleared up" is about ICANS whatever else the classifier thought likely), then
    the likeliest topics."""
    named = [term.topic for e in parse_data.get("entities") or [] if e.get("entity") == "side_effect"
             for term in catalog().side_effects if term.name == e.get("value") and term.topic]
    side_effects = [(topic, payload) for topic in dict.fromkeys(named) for payload in titles
                    if payload == f"/{topic}" or payload.endswith(f"/{topic}")]
    return list(dict.fromkeys(side_effects + candidate_topics(parse_data, titles)))[:MAX_SUGGESTIONS]


@lru_cache(maxsize=1)
def distress_patterns() -> List[re.Pattern]:
    return [re.compile(p) for p in load_yaml("crisis.yml").get("distress") or []]


@lru_cache(maxsize=1)
def statements() -> PatternRules:
    """Messages that tell something and ask nothing (content/statements.yml)."""
    return PatternRules(CONTENT_DIR / "statements.yml")
