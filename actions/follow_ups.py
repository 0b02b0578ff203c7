"""Answers follow-up questions ("how is it treated?", "who makes it?", "and for kids?") in
the conversation's context: the slots `topic`, `product` and `cancer`, and the aspect the
message asks about (content/follow_ups.yml, which explains the mapping).

The answer is what the same question with its subject spelled out would get: a topic's
answer (with the product's own fact, nlg/answers.py), a product or cancer answer from the
product table (actions/indications.py), or, when nothing fits, "did you mean" buttons.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (about_the_advice, advice_of, events_before_latest_message, safety_reminder, send_answer,
                             topic_titles, with_safety_advice)
from actions.clarify import NOT_SUGGESTED, candidate_topics
from actions.content import Cancer, Product, catalog, load_yaml, places
from actions.indications import (GENERAL_ANSWERS, answer_approval, answer_cancer, answer_product, cancer_topic,
                                 product_lines)

# Aspects about a product even when the last answer was a topic ("who makes it?" after CRS with
# Yescarta); "and for kids?" is about the product only when the last answer was the product's.
PRODUCT_ASPECTS = ("maker", "target", "approval", "indications")
NEW_SUBJECT = "new_subject"  # "what about <something no aspect names>" (content/follow_ups.yml)
# ...is still about the last answer when that answer is among the message's three likeliest
# topics: "what about pets?" after everyday life (its second; the classifier knows no pets),
# "what about visitors?" after the hospital stay (third), not "what about the brain stuff?" after CRS.
NEW_SUBJECT_CONTINUES_WITHIN = 3
AGE_ASPECTS = ("children", "adults")
# "and Breyanzi?", "what about Yescarta then?": a product named with no question of its own asks
# the question before again for it; a longer message asks something else
NAMES_ONLY_WORDS = 6
# A follow-up that names no aspect is about the subject under discussion when it has a few words
# ("does it hurt?" after cell collection), or a few more with a word that points back ("is it more
# common with some products than others?" after CRS), or when the classifier ranks that subject's
# topic among its likeliest. A longer one ranked elsewhere asks something new, which "did you mean"
# serves better than the last answer again: "the nurse said he needs to see a dentist first, why
# is that?" after cell collection, "does he need somebody with him 24/7 after" once lymphoma had
# been named ("he" and "they" are mostly people, not the subject).
ELLIPTICAL_WORDS = 5
# An unsure message of at most this many words whose aspect has its own answer for the topic just
# answered ("how long after do you have to wait?" after the fertility answer) is that follow-up.
CONTEXT_FOLLOW_UP_WORDS = 10
POINTS_BACK = re.compile(r"\b(it|its|it's|that|this|those|these)\b")
# ...unless the classifier gives its own likeliest topic this probability (as config.yml's
# AnswerConfidenceGate would answer it): "can she go to church on Sunday? it's always packed" after
# hair loss is about everyday life (0.34), whatever "it" points to.
OWN_QUESTION = 0.3
NOT_ANSWERED = "not_answered"  # "that didn't answer my question" (content/follow_ups.yml)
SIMPLER = "simpler"  # "can you explain that more simply" (content/follow_ups.yml)
ACKNOWLEDGED = "acknowledged"  # "ok", "got it": nothing asked (content/follow_ups.yml)
DISAGREED = "disagreed"  # "my doctor said something else": whose advice counts, then the answer again
PICKED = "picked"  # "the second one": a button of the last reply, by its place (content/follow_ups.yml)
PLACES = {"first": 0, "1st": 0, "top": 0, "1": 0, "second": 1, "2nd": 1, "2": 1, "third": 2, "3rd": 2, "3": 2,
          "fourth": 3, "4th": 3, "4": 3, "fifth": 4, "5th": 4, "5": 4, "last": -1}


@dataclass(frozen=True)
class FollowUps:
    aspects: List[Tuple[str, List["re.Pattern"]]]
    any_topic: Dict[str, str]
    topics: Dict[str, Dict[str, str]]
    age_groups: Dict[str, str]
    explicit_ages: Dict[str, List["re.Pattern"]]
    needs_context: Tuple[str, ...] = ()
    topic_only: Tuple[str, ...] = ()  # aspects only the topics that map them answer ("does it hurt")
    own_subject: Tuple[str, ...] = ()  # ...of which those that can only be about that topic ("take it out")

    def aspect(self, text: str) -> Optional[str]:
        text = text.lower()
        return next((name for name, patterns in self.aspects if any(p.search(text) for p in patterns)), None)

    def in_context(self, aspect: Optional[str], topic: Optional[str]) -> Optional[str]:
        """The aspect as the topic under discussion reads it: one of `topic_only` that the topic does
        not map is no aspect there ("does it hurt?" after cell collection is about cell collection)."""
        return None if aspect in self.topic_only and not self.topic_answer(topic, aspect) else aspect

    def topic_answer(self, topic: Optional[str], aspect: Optional[str]) -> Optional[str]:
        """The answer a topic gives to this aspect of a follow-up (`topics`), if it has its own."""
        return (self.topics.get(topic) or {}).get(aspect)

    def age(self, text: str) -> Optional[str]:
        """The age group a question names outright ("in children", "a 45 year old"), or None."""
        text = text.lower()
        found = [name for name, patterns in self.explicit_ages.items() if any(p.search(text) for p in patterns)]
        return found[0] if len(found) == 1 else None  # both named: no choice to make


@lru_cache(maxsize=1)
def follow_ups() -> FollowUps:
    data = load_yaml("follow_ups.yml")
    return FollowUps(
        # a place outside the US is the outside_us aspect: the same places that make an answer say
        # it is about the US (content/places.yml), written there once
        aspects=[(name, [re.compile(p) for p in patterns] + (places()["places"] if name == "outside_us" else []))
                 for name, patterns in data["aspects"].items()],
        any_topic=data["any_topic"],
        topics=data["topics"],
        age_groups=data["age_groups"],
        explicit_ages={age: [re.compile(p) for p in patterns] for age, patterns in data["explicit_ages"].items()},
        needs_context=tuple(data.get("needs_context") or ()),
        topic_only=tuple(data.get("topic_only") or ()),
        own_subject=tuple(data.get("own_subject") or ()),
    )


@dataclass(frozen=True)
class Context:
    topic: Optional[str]  # the answer given last
    product: Optional[Product]  # the product named last (maybe in this message)
    cancer: Optional[Cancer]
    new_products: Tuple[Product, ...]  # named in this message, in order ("how is Tecartus different from Yescarta")
    new_cancer: Optional[Cancer]
    product_before: Optional[Product] = None  # the product named before this message
    words: int = 0  # the message's length
    points_back: bool = False  # says "it", "that", ... (POINTS_BACK)
    likeliest_topics: Tuple[str, ...] = ()  # this message's likeliest topics, follow-ups aside
    own_confidence: float = 0.0  # the probability of the first of them

    @property
    def new_product(self) -> Optional[Product]:
        """The first product this message names."""
        return next(iter(self.new_products), None)

    @property
    def subject(self) -> Optional[str]:
        """What "it" refers to: the product or cancer the last answer was about, else its topic."""
        if self.topic == "approved_products" and self.product:
            return "product"
        if self.topic in ("cancers_treated", "solid_tumors") and self.cancer:
            return "cancer"
        if self.topic:
            return "topic"
        return "product" if self.product else "cancer" if self.cancer else None


# A resolution: (kind, value) with kind topic | product | products | cancer | approval | cancer_age.
Resolution = Tuple[str, Any]
# The topic a resolution's answer is about (kept in the `topic` slot for the next follow-up).
RESOLVED_TOPICS = {"product": "approved_products", "products": "approved_products", "approval": "approved_products",
                   "cancer_age": "cancers_treated"}


def resolved_topic(resolution: Resolution) -> str:
    kind, value = resolution
    if kind == "cancer":
        return cancer_topic(value)
    return value if kind == "topic" else RESOLVED_TOPICS[kind]


def build_context(message: Dict[Text, Any], slots: Dict[Text, Any]) -> Context:
    """The context of a message: the slots of the conversation so far and what it names itself."""
    c = catalog()

    def named(entity: str, to_item) -> tuple:
        values = [e.get("value") for e in message.get("entities") or [] if e.get("entity") == entity]
        return tuple(item for item in map(to_item, dict.fromkeys(v for v in values if v)) if item)

    scored = scored_topics(message)
    return Context(topic=slots.get("topic"), product=c.product(slots.get("product")),
                   cancer=c.cancer(slots.get("cancer")), new_products=named("product", c.product),
                   new_cancer=next(iter(named("cancer", c.cancer)), None),
                   words=len((message.get("text") or "").split()),
                   points_back=bool(POINTS_BACK.search((message.get("text") or "").lower())),
                   likeliest_topics=tuple(topic for _, topic in scored[:NEW_SUBJECT_CONTINUES_WITHIN]),
                   own_confidence=scored[0][0] if scored else 0.0)


def tracker_context(tracker: Tracker) -> Context:
    """The context of the conversation's latest message."""
    ctx = build_context(tracker.latest_message, {s: tracker.get_slot(s) for s in ("topic", "product", "cancer")})
    return replace(ctx, product_before=catalog().product(slot_before_latest_message(tracker, "product")))


def slot_before_latest_message(tracker: Tracker, slot: str) -> Optional[Any]:
    """A slot's value before the latest message filled it again."""
    return next((e.get("value") for e in reversed(events_before_latest_message(tracker))
                 if e.get("event") == "slot" and e.get("name") == slot), None)


def resolve(aspect: Optional[str], ctx: Context, rules: FollowUps) -> Optional[Resolution]:
    """The answer a follow-up gets, or None when it cannot be resolved in this context."""
    cancer = ctx.new_cancer or ctx.cancer
    aspect = rules.in_context(aspect, ctx.topic)
    if aspect in rules.needs_context and not (ctx.topic or ctx.product or ctx.cancer):
        return None
    if aspect == NEW_SUBJECT:
        # "what about Abecma?" names its new subject; "what about pets?" after everyday life, or
        # "what about lung?" after solid tumours, is still about the last answer's topic. Anything
        # else ("what about the hospital food?" after fertility) is not the last answer again.
        if not (ctx.new_product or ctx.new_cancer or (ctx.topic and ctx.topic in ctx.likeliest_topics)):
            return None
        if not (ctx.new_product or ctx.new_cancer) and ctx.subject in ("product", "cancer"):
            # a subject it does not name is not the product or cancer of the last answer: "what
            # about lung?" after breast cancer is the topic's general answer, not breast cancer's
            return "topic", ctx.topic
        aspect = None
    if (aspect == "compare" and len(ctx.new_products) == 1 and ctx.product_before
            and ctx.product_before.brand != ctx.new_product.brand):
        return "products", (ctx.product_before, ctx.new_product)  # "how's it different from Abecma?"
    if aspect == "compare" and len(ctx.new_products) < 2:
        aspect = None  # "is that different between products?" after cell persistence: that topic again
    if aspect == "products":  # "which products?": those for the cancer under discussion
        return ("cancer", cancer) if cancer else ("topic", "approved_products")
    if len(ctx.new_products) > 1 and aspect in (None, "maker", "target", "compare") and not ctx.new_cancer:
        # "how is Tecartus different from Yescarta?": each one's answer, not "Yes: ..." for the
        # cancer under discussion (with a cancer named, each one's approval for it, below)
        return "products", ctx.new_products
    if ctx.new_product and cancer and (aspect == "approval" or (aspect is None and ctx.subject != "topic"
                                                                 and ctx.words <= NAMES_ONLY_WORDS)):
        # "is Carvykti approved for it?", "and Breyanzi?"; not "is that something that happens with
        # Kymriah or was it something we did" ("Yes: Kymriah is approved ..."). "And for Carvykti?"
        # after the hospital stay is that topic's question again, answered with Carvykti's fact (below)
        return "approval", (ctx.new_product, cancer)
    if ctx.subject == "product" or (ctx.product and aspect in PRODUCT_ASPECTS and ctx.subject != "cancer"):
        answer = product_follow_up(aspect, ctx)
        if answer:
            return answer
    if ctx.subject == "cancer":
        if aspect in AGE_ASPECTS:
            return "cancer_age", (ctx.cancer, aspect)
        if aspect == "approval" or (aspect is None and stays_on_subject(ctx, cancer_topic(cancer))):
            return "cancer", cancer
    target = rules.topic_answer(ctx.topic, aspect)
    if target and target != ctx.topic and moves_elsewhere(ctx, target):
        # "what happens after that, how often do we keep coming back" after the cure answer: "how
        # often" would be its success rates, but the message asks its own question (follow-up care)
        return "topic", ctx.likeliest_topics[0]
    if target:  # the topic's own answer to it, also after a product's or cancer's answer ("what are the odds?")
        return "topic", target
    if ctx.subject == "topic" and aspect is None and stays_on_subject(ctx, ctx.topic):
        # "does it hurt?" after cell collection, "and for myeloma?" after success rates: a question
        # about the same subject that no aspect names is answered by that subject's answer
        return "topic", ctx.topic
    if aspect in rules.any_topic and (ctx.words <= CONTEXT_FOLLOW_UP_WORDS or rules.any_topic[aspect] in ctx.likeliest_topics):
        # a word such as "where" or "hotel" in a longer message is no question about where CAR T is
        # given or help with lodging: "its gone a bit red and sore round where it goes in today"
        return "topic", rules.any_topic[aspect]
    if aspect == "children" and ctx.subject == "topic":
        return "topic", "children"
    if ctx.new_cancer and aspect is None:
        return "cancer", ctx.new_cancer  # "and for myeloma?"
    if ctx.new_cancer and aspect in AGE_ASPECTS:
        return "cancer_age", (ctx.new_cancer, aspect)  # "what about adults with ALL?" after children
    if aspect == "adults" and ctx.subject == "topic":
        return "topic", "eligibility"  # "he's 71, is that too old?" after clinical trials
    return None


def moves_elsewhere(ctx: Context, target: str) -> bool:
    """Whether a longer message the classifier gives a likely topic of its own asks that topic,
    rather than the one its aspect would lead to from the last answer."""
    return (ctx.words > ELLIPTICAL_WORDS and ctx.own_confidence >= OWN_QUESTION
            and ctx.likeliest_topics[0] not in (target, ctx.topic))


def stays_on_subject(ctx: Context, topic: Optional[str]) -> bool:
    """Whether a follow-up that names no aspect is about the subject under discussion (ELLIPTICAL_WORDS)."""
    if topic in ctx.likeliest_topics or ctx.new_cancer or ctx.new_products:
        return True
    elliptical = ctx.words <= ELLIPTICAL_WORDS or (ctx.words <= CONTEXT_FOLLOW_UP_WORDS and ctx.points_back)
    return elliptical and ctx.own_confidence < OWN_QUESTION


def product_follow_up(aspect: Optional[str], ctx: Context) -> Optional[Resolution]:
    if aspect == "target":  # as "what does Carvykti target?": the receptor answer, with its target
        return "topic", "car_receptor"
    if aspect in ("maker", "indications") or (aspect in ("approval", *AGE_ASPECTS) and not ctx.new_cancer):
        return "product", ctx.product  # its maker, target and approved uses (with ages)
    if aspect is None and ctx.new_product and not ctx.new_cancer:
        return "product", ctx.new_product  # "and Abecma?" after the answer about Carvykti
    if ctx.new_cancer and aspect in (None, "approval"):
        return "approval", (ctx.product, ctx.new_cancer)  # "is it approved for lymphoma too?"
    return None


def ranked_answers(message: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """The answers the classifier ranks for the message, likeliest first, whatever intent it
    chose: what the message is about once "and"/"what about" is set aside."""
    ranking = ((message.get("response_selector") or {}).get("default") or {}).get("ranking") or []
    return [r for r in ranking if r.get("intent_response_key")]


def answer_ranking_keys(message: Dict[Text, Any]) -> List[str]:
    """The keys of `ranked_answers` ("risks/crs")."""
    return [r["intent_response_key"] for r in ranked_answers(message)]


def scored_topics(message: Dict[Text, Any]) -> List[Tuple[float, str]]:
    """(probability, topic) of the topics the classifier ranks for the message once the follow-up
    and small talk are set aside, likeliest first: answers ("daily_life") and plain intents
    ("solid_tumors") together, each by its own probability (the classifier scores both kinds of
    class on one scale)."""
    groups = set((message.get("response_selector") or {}).get("all_retrieval_intents") or [])
    scored = [(r.get("confidence") or 0.0, r["intent_response_key"].split("/", 1)[-1]) for r in ranked_answers(message)]
    scored += [(i.get("confidence") or 0.0, i["name"]) for i in message.get("intent_ranking") or []
               if i.get("name") not in NOT_SUGGESTED and i.get("name") not in groups]
    return sorted(scored, key=lambda s: -s[0])


# "sorry, I meant Yescarta" names what the question before was about; with more words than this
# after its opening it asks a question of its own, about the topic the classifier sees in it.
REPAIR_NAMES_ONLY = 4


def repaired(tracker: Tracker, ctx: Context) -> Tuple[Optional[str], Context]:
    """"Sorry, I meant CRS": the aspect of the message before ("how is it treated?"), about the
    subject this one names: a product or cancer, else the topic the classifier saw in it. A
    repair with a question of its own is that question, about that topic."""
    aspect = follow_ups().aspect(message_before_latest(tracker).get("text") or "")
    rest = (tracker.latest_message.get("text") or "").lower()
    for opening in dict(follow_ups().aspects)["repair"]:
        rest = opening.sub("", rest, count=1)
    own_question = len(rest.split()) > REPAIR_NAMES_ONLY
    if (ctx.new_product or ctx.new_cancer) and not own_question:
        return aspect, replace(ctx, topic=None)
    ranking = answer_ranking_keys(tracker.latest_message)
    topic = ranking[0].split("/", 1)[-1] if ranking else None
    if aspect in follow_ups().any_topic and not own_question:
        aspect = None  # "no, I meant the cost" after "my insurance denied it": the cost, not insurance again
    if own_question:  # "no I mean if the lymphoma comes back after Yescarta, can they give another?"
        aspect = follow_ups().aspect(rest)
    return aspect, replace(ctx, topic=topic or ctx.topic)


FEW_WORDS = 3


def follows_the_last_answer(tracker: Tracker) -> bool:
    """Whether a message the classifier was unsure of is a follow-up of the last answer's topic
    (content/follow_ups.yml `topics`): the conversation recognises what the classifier did not.
    Aspects that fit any topic (`any_topic`: cost, driving, ...) do not count: said without
    context they are new questions, which "did you mean" serves better. Nor does a message whose
    likeliest topics hold neither the last answer's nor the follow-up's: "how long does Carvykti
    work before relapse" after the ICANS answer asks about relapse, not how long ICANS lasts."""
    text = tracker.latest_message.get("text") or ""
    topic = tracker.get_slot("topic")
    if not topic or len(text.split()) > CONTEXT_FOLLOW_UP_WORDS:
        return False
    aspect = follow_ups().in_context(follow_ups().aspect(text), topic)
    target = follow_ups().topic_answer(topic, aspect)
    ctx = tracker_context(tracker)
    if aspect is None and not target:
        # "can i shower" after the central line's answer, "swimming?": no aspect names it, but the
        # last answer's topic is the message's likeliest (or one of its three likeliest, for a
        # message of a few words)
        likeliest = ctx.likeliest_topics[:3 if ctx.words <= FEW_WORDS else 1]
        return topic in likeliest and resolve(None, ctx, follow_ups()) == ("topic", topic)
    if not target or not {topic, target} & set(ctx.likeliest_topics):
        return False
    return resolve(aspect, ctx, follow_ups()) == ("topic", target)


def answers_the_last_topic(message: Dict[Text, Any], slots: Dict[Text, Any]) -> bool:
    """Whether a message the classifier gave another topic is, in a few words that point back, a
    follow-up of the last answer that its topic answers itself (content/follow_ups.yml `topics`):
    "does it hurt going in?" after the central line's answer read as the infusion (0.59), with the
    central line second. Only when the last answer's topic is among the message's likeliest and
    the follow-up resolves to that answer as an unsure one would (a longer message the classifier
    gives a likely topic of its own keeps it: `moves_elsewhere`). Tenth round, set AH. An aspect that
    can only be about the last topic's subject (`own_subject`) needs no such ranking: "When do they
    take it out?" after the central line's answer is about the line, whatever the classifier makes
    of "take it out" (the cells, at 49%; thirteenth round, set BK), and it needs no "it" to point
    back: "he wants to shower, can he?" (everyday life, at 51%; fifteenth round, set CI)."""
    text = message.get("text") or ""
    topic = slots.get("topic")
    if not topic or len(text.split()) > CONTEXT_FOLLOW_UP_WORDS:
        return False
    aspect = follow_ups().aspect(text)
    own_subject = aspect in follow_ups().own_subject and bool(follow_ups().topic_answer(topic, aspect))
    if not (own_subject or POINTS_BACK.search(text.lower())):
        return False
    ctx = build_context(message, slots)
    if ctx.new_products or ctx.new_cancer or not (own_subject or topic in ctx.likeliest_topics[1:]):
        return False
    target = follow_ups().topic_answer(topic, aspect)
    return bool(target) and target != ctx.likeliest_topics[0] and resolve(aspect, ctx, follow_ups()) == ("topic", target)


def message_before_latest(tracker: Tracker) -> Dict[Text, Any]:
    """The user event before the latest message ({} if there is none)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return users[-2] if len(users) > 1 else {}


def picked(tracker: Tracker) -> Optional[Resolution]:
    """("topic", id) of the button that "the second one" or "option 2" picks in the assistant's
    last reply, or None when that reply had no such button."""
    places = [PLACES[w] for w in re.findall(r"[a-z0-9]+", (tracker.latest_message.get("text") or "").lower()) if w in PLACES]
    buttons = next((e.get("data", {}).get("buttons") or [] for e in reversed(events_before_latest_message(tracker))
                    if e.get("event") == "bot"), [])
    if not places or not -len(buttons) <= places[-1] < len(buttons):
        return None
    return "topic", (buttons[places[-1]].get("payload") or "").split("{", 1)[0].rsplit("/", 1)[-1]


def remind_of_safety_advice(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Shortly after the emergency or crisis reply (SAFETY_WINDOW), that advice again instead of
    anything else; False when there was none, or when the message shows it was taken ("we're at the
    hospital now. they made her write a sentence, what's that for?")."""
    reminder = safety_reminder(reversed(events_before_latest_message(tracker)))
    if reminder and about_the_advice(advice_of(reminder)).excluded(tracker.latest_message.get("text") or ""):
        reminder = None
    if reminder:
        dispatcher.utter_message(response=reminder)
    return bool(reminder)


def aspect_payloads(aspect: Optional[str], titles: Dict[str, str]) -> List[str]:
    """"How is it treated?" with nothing to refer to: the topics that question fits
    (content/follow_ups.yml `topics`, in its order: How is CRS treated?, ICANS, ...)."""
    targets = dict.fromkeys(t[aspect] for t in follow_ups().topics.values() if aspect in t)
    return [payload for topic in targets for payload in titles if payload.endswith("/" + topic)]


def answer_responses(domain: Dict[Text, Any]) -> Dict[str, str]:
    """Topic id -> its response name in the domain: an FAQ answer (crs -> utter_risks/crs) or a
    plain intent's (personal_advice -> utter_personal_advice)."""
    names = domain.get("responses") or {}
    plain = {name[len("utter_"):]: name for name in names if "/" not in name and name.startswith("utter_")}
    return {**plain, **{name.split("/", 1)[1]: name for name in names if "/" in name}}


def first_variation(domain: Dict[Text, Any], response: Optional[str]) -> Dict[Text, Any]:
    """A domain response's first variation (its text, buttons and metadata), {} if there is none."""
    return ((domain.get("responses") or {}).get(response) or [{}])[0] if response else {}


def answer_topic(dispatcher: CollectingDispatcher, response: str, ctx: Context) -> None:
    """A topic's answer, with the fact of the product under discussion where it has one."""
    dispatcher.utter_message(response=response, product=ctx.product.brand if ctx.product else None)


def answer_cancer_age(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], cancer: Cancer, age: str) -> None:
    group = follow_ups().age_groups[age]
    approved = {brand: [i for i in uses if age in i.ages] for brand, uses in catalog().products_for(cancer).items()}
    approved = {brand: uses for brand, uses in approved.items() if uses}
    fda = catalog().fda_list_url
    if approved:
        send_answer(dispatcher, domain, "cancer_products_for_age", topic="cancers_treated", cancer=cancer.name, group=group,
                    products=product_lines(approved, cancer), fda_list_url=fda)
        return
    others = catalog().products_for(cancer)
    other_ages = f"For {cancer.name}, the approved ones are:\n{product_lines(others, cancer)}" if others else ""
    send_answer(dispatcher, domain, "cancer_none_for_age", topic="cancers_treated", cancer=cancer.name, group=group, others=other_ages,
                fda_list_url=fda)


class ActionAnswerFollowUp(Action):
    def name(self) -> Text:
        return "action_answer_follow_up"

    @with_safety_advice
    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        ctx = tracker_context(tracker)
        aspect = follow_ups().aspect(tracker.latest_message.get("text") or "")
        if aspect == NOT_ANSWERED:
            return self.not_answered(dispatcher, tracker, domain, ctx.topic)
        if aspect == ACKNOWLEDGED and (ctx.new_products or ctx.new_cancer):
            aspect = None  # "ok found my papers its DLBCL": the last question for what it names
        if aspect == ACKNOWLEDGED:
            return self.acknowledged(dispatcher, tracker, domain, answer_responses(domain).get(ctx.topic or ""))
        responses = answer_responses(domain)
        if aspect == DISAGREED and ctx.topic in responses:  # whose advice counts, then the last answer again
            send_answer(dispatcher, domain, "follow_up_disagreed")
            answer_topic(dispatcher, responses[ctx.topic], ctx)
            return []
        answered_before = ctx.topic
        if aspect == "repair":
            aspect, ctx = repaired(tracker, ctx)
        if aspect == SIMPLER:
            if self.simpler(dispatcher, domain, ctx.topic, responses.get(ctx.topic or "")):
                return []
            aspect = "more"  # no summary to give: the pages the answer was written from, as "tell me more"
        resolution = picked(tracker) if aspect == PICKED else resolve(aspect, ctx, follow_ups())
        if resolution is None or (resolution[0] == "topic" and resolution[1] not in responses
                                  and resolution[1] not in GENERAL_ANSWERS):
            if remind_of_safety_advice(dispatcher, tracker):  # "it started this week" after "call your team now"
                return []
            # a new subject is not about the last answer: its buttons are the message's own topics
            new_subject = aspect == NEW_SUBJECT or not stays_on_subject(ctx, ctx.topic)
            if new_subject:  # nor is it about what its words suggest ("hotel": help with costs)
                return self.clarify(dispatcher, tracker, domain, None, None)
            return self.clarify(dispatcher, tracker, domain, responses.get(ctx.topic or ""), aspect)

        kind, value = resolution
        if kind == "topic" and value in GENERAL_ANSWERS:
            send_answer(dispatcher, domain, value, topic=value)
        elif kind == "topic":
            answer_topic(dispatcher, responses[value], ctx)
        elif kind == "product":
            answer_product(dispatcher, domain, value)
        elif kind == "products":
            for product in value:
                answer_product(dispatcher, domain, product)
        elif kind == "approval":
            answer_approval(dispatcher, domain, *value)
        elif kind == "cancer":
            answer_cancer(dispatcher, domain, value)
        else:  # cancer_age
            answer_cancer_age(dispatcher, domain, *value)
        topic = resolved_topic(resolution)
        return [SlotSet("topic", topic)] if topic != answered_before else []

    @staticmethod
    def not_answered(dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
                     answered: Optional[str]) -> List[Dict[Text, Any]]:
        """"That didn't answer my question": not the same answer again, but the other topics the
        question before could have meant (its likeliest ones but the one `answered`) and a person."""
        before = message_before_latest(tracker).get("parse_data") or {}
        titles = topic_titles(domain)
        # the likely ones first; after a sure answer there are none, so the next in its ranking
        likely = [payload for _, payload in candidate_topics(before, titles)] + ["/" + k for k in answer_ranking_keys(before)]
        others = [p for p in dict.fromkeys(likely) if p in titles and p.rsplit("/", 1)[-1] != answered]
        buttons = [{"payload": p} for p in others[:3]] + [{"payload": "/human_handoff"}, {"payload": "/help"}]
        send_answer(dispatcher, domain, "follow_up_not_answered", buttons=buttons)
        return []

    @staticmethod
    def acknowledged(dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
                     response: Optional[str]) -> List[Dict[Text, Any]]:
        """"ok", "got it": not the last answer again, but an invitation to ask more, with that
        answer's related topics. Right after the emergency or crisis reply, that advice again."""
        if remind_of_safety_advice(dispatcher, tracker):
            return []
        related = [{"payload": b["payload"]} for b in first_variation(domain, response).get("buttons") or []]
        send_answer(dispatcher, domain, "follow_up_acknowledged", buttons=related)
        return []

    @staticmethod
    def simpler(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], topic: Optional[str],
                response: Optional[str]) -> bool:
        """"Can you explain that more simply?": the last answer's summary (its metadata), with the
        answer's related topics; False when there is none to give."""
        answer = first_variation(domain, response)
        summary = (answer.get("metadata") or {}).get("summary")
        if not summary:
            return False
        buttons = [{"payload": b["payload"]} for b in answer.get("buttons") or []]
        send_answer(dispatcher, domain, "follow_up_simpler", buttons=buttons, summary=summary.strip(), topic=topic)
        return True

    @staticmethod
    def clarify(dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
                response: Optional[str], aspect: Optional[str]) -> List[Dict[Text, Any]]:
        """Did you mean: the topics related to the last answer (its `response`), else the NLU's
        likeliest topics. "Tell me more" about that answer gets the pages it was written from,
        with them as what else to ask."""
        titles = topic_titles(domain)
        answer = first_variation(domain, response)
        related = [b["payload"] for b in answer.get("buttons") or []]
        payloads = (related or [payload for _, payload in candidate_topics(tracker.latest_message, titles)]
                    or aspect_payloads(aspect, titles)
                    or ["/" + key for key in answer_ranking_keys(tracker.latest_message)])
        buttons = [{"payload": p} for p in payloads if p in titles][:3] + [{"payload": "/help"}]
        title = titles.get("/" + response[len("utter_"):]) if response else None
        reading = further_reading(answer)
        if aspect == "more" and title and reading:
            # there is no longer answer: the sources it was written from go deeper
            send_answer(dispatcher, domain, "follow_up_more", buttons=buttons, title=title, sources=reading,
                        topic=response.split("/")[-1])
        else:
            send_answer(dispatcher, domain, "follow_up_unclear", buttons=buttons)
        return []


def further_reading(answer: Dict[Text, Any]) -> str:
    """The answer's sources that a reader can open ("Name - https://..." in its metadata),
    one per line: what "tell me more" offers."""
    lines = []
    for source in (answer.get("metadata") or {}).get("sources") or []:
        name, _, url = source.rpartition(" - ")
        if url.startswith(("https://", "http://")):
            lines.append(f"- {name}: {url}")
    return "\n".join(lines)
