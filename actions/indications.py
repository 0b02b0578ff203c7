"""Answers "which CAR T for my cancer / what is this product for / is it approved for X"
from content/products.yml, never claiming an approval the table does not hold."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import send_answer, with_safety_advice
from actions.content import Cancer, Product, catalog, product_facts

# The general answer of each intent, for questions that name nothing specific.
GENERAL_ANSWERS = ("cancers_treated", "approved_products", "solid_tumors")
# Asking whether a product is approved for a cancer (not only naming both): "is it FDA-approved
# for myeloma?", "is Kymriah indicated in ALL?"
ASKS_APPROVAL = re.compile(r"\b(approv\w*|fda|indicat\w*|licen[sc]ed)\b")
# "it" in a question about a cancer: the product under discussion ("is it approved for CLL?")
PRODUCT_PRONOUN = re.compile(r"\b(it|that one|this one|that product|this product|that drug|this drug)\b")
# "the dr mentioned yescarta for his DLBCL?? what even is that": the product's answer, not "Yes:
# Yescarta is approved for large B-cell lymphoma", which only fits "is it approved for ..."
ASKS_WHAT_IT_IS = re.compile(r"\bwhat( even| exactly| actually)?(.?s| is| are)( even| exactly| actually)?"
                             r"( it| that| this| they| those| these| (the )?productname)?\W*$")
# "approved as a first treatment?", "first-line", "newly diagnosed", "instead of chemo"
ASKS_FIRST_LINE = re.compile(r"\b(first|1st|initial|front)[- ]?(line|treatment|therapy|option)\b|\bnewly diagnosed\b"
                             r"|\binstead of (chemo|chemotherapy|r-?chop)\b|\bbefore (any )?(other )?(chemo|chemotherapy|treatment)\b")
# a product table use that comes after earlier treatment
AFTER_EARLIER_TREATMENT = re.compile(r"\b(earlier treatments?|second treatment|did not respond|came back|relapsed|refractory"
                                     r"|after \d+ or more)\b")


def named(tracker: Tracker, entity: str) -> List[str]:
    """Values of an entity in the latest message, in order, without repeats."""
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]
    return list(dict.fromkeys(v for v in values if v))


def listing(items: List[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def product_lines(approved: Dict[str, list], cancer: Cancer) -> str:
    # A broad word ("lymphoma") lists which kinds each product treats; a specific cancer
    # says for whom it is approved.
    return "\n".join(
        f"- {brand} ({catalog().product(brand).generic}): "
        + "; ".join(catalog().cancer(i.cancer).name if cancer.includes else i.use for i in uses)
        for brand, uses in approved.items())


def approved_for(cancer: Cancer) -> str:
    """What the product table holds for a cancer: the products approved for it, or that none is."""
    approved = catalog().products_for(cancer)
    if approved:
        return f"For {cancer.name}, these are approved:\n{product_lines(approved, cancer)}"
    if cancer.general:
        return "No CAR T is FDA-approved for any solid tumor."
    if cancer.kind == "solid":
        return f"No CAR T is FDA-approved for {cancer.name} or any other solid tumor. {cancer.note}".strip()
    return f"No CAR T is FDA-approved for {cancer.name}; clinical trials may study it."


def cancer_fact(topic: str, cancer: Cancer) -> str:
    """For a topic whose product fact is the label population (eligibility, children), the same
    fact for a cancer the question names: "Does NHL qualify for CAR T?" -> the eligibility answer
    and `approved_for` the cancer."""
    return approved_for(cancer) if topic in product_facts()["label_topics"] else ""


def answer_product(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], product: Product) -> None:
    send_answer(dispatcher, domain, "product_info", topic="approved_products", brand=product.brand, generic=product.generic,
                maker=product.maker, target=product.target,
                uses="\n".join(f"- {i.use}" for i in product.indications), fda_list_url=catalog().fda_list_url)


def cancer_topic(cancer: Cancer) -> str:
    """The topic of a cancer's answer: solid tumours have their own."""
    return "solid_tumors" if cancer.kind == "solid" else "cancers_treated"


def answer_cancer(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], cancer: Cancer) -> None:
    if cancer.general:  # "CAR T for solid tumors?": the general answer, not "for solid tumors or any other"
        send_answer(dispatcher, domain, cancer_topic(cancer), topic=cancer_topic(cancer))
        return
    approved = catalog().products_for(cancer)
    if not approved:
        answer = "solid_tumor_not_approved" if cancer.kind == "solid" else "cancer_not_approved"
        send_answer(dispatcher, domain, answer, note=cancer.note, topic=cancer_topic(cancer), cancer=cancer.name)
        return
    send_answer(dispatcher, domain, "cancer_products", topic="cancers_treated", cancer=cancer.name,
                products=product_lines(approved, cancer), fda_list_url=catalog().fda_list_url)


def answer_approval(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], product: Product,
                    cancer: Cancer, first_line: bool = False) -> None:
    """Yes or no to "is <product> approved for <cancer>?" (`first_line`: "... as a first
    treatment?"), from the product table."""
    approved = catalog().products_for(cancer)
    uses = approved.get(product.brand)
    if uses:
        after_earlier = first_line and all(AFTER_EARLIER_TREATMENT.search(i.use) for i in uses)
        send_answer(dispatcher, domain, "product_not_first_line" if after_earlier else "product_approved",
                    topic="approved_products", brand=product.brand, generic=product.generic,
                    cancer=cancer.name, uses="\n".join(f"- {i.use}" for i in uses),
                    fda_list_url=catalog().fda_list_url)
        return
    product_cancers = list(dict.fromkeys(catalog().cancer(i.cancer).name for i in product.indications))
    send_answer(dispatcher, domain, "product_not_approved", topic="approved_products", brand=product.brand, generic=product.generic,
                cancer=cancer.name, product_cancers=listing(product_cancers), alternatives=approved_for(cancer),
                fda_list_url=catalog().fda_list_url)


def products_as_placeholder(message: Dict[Text, Any]) -> str:
    """The lower-cased message with each product it names read as "productname"."""
    text = message.get("text") or ""
    for entity in sorted((e for e in message.get("entities") or [] if e.get("entity") == "product" and "start" in e),
                         key=lambda e: -e["start"]):
        text = text[:entity["start"]] + "productname" + text[entity["end"]:]
    return text.lower()


class ActionAnswerIndications(Action):
    def name(self) -> Text:
        return "action_answer_indications"

    @with_safety_advice
    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        c = catalog()
        products = [p for p in map(c.product, named(tracker, "product")) if p]
        cancers = [x for x in map(c.cancer, named(tracker, "cancer")) if x]
        intent = tracker.get_intent_of_latest_message()
        text = (tracker.latest_message.get("text") or "").lower()
        if cancers and not products and PRODUCT_PRONOUN.search(text):
            # "can it be used for CLL?" while Yescarta is discussed: is Yescarta approved for CLL?
            products = [p for p in [c.product(tracker.get_slot("product"))] if p]

        asks_what_it_is = ASKS_WHAT_IT_IS.search(products_as_placeholder(tracker.latest_message))
        if products and cancers and (ASKS_APPROVAL.search(text) or (len(products) == 1 and not asks_what_it_is)):
            topic = "approved_products"
            for product in products:
                for cancer in cancers:
                    answer_approval(dispatcher, domain, product, cancer, first_line=bool(ASKS_FIRST_LINE.search(text)))
        elif products:  # also several with a cancer but no approval question ("Carvykti or Abecma for
            topic = "approved_products"  # my myeloma, what's the difference?"): each one's answer, not "Yes: ..." twice
            for product in products:
                answer_product(dispatcher, domain, product)
        elif cancers:
            # imported here: actions/follow_ups.py builds on this module
            from actions.follow_ups import answer_cancer_age, follow_ups

            age = follow_ups().age(tracker.latest_message.get("text") or "")
            topics = {cancer_topic(cancer) for cancer in cancers}
            topic = topics.pop() if len(topics) == 1 else "cancers_treated"
            for cancer in cancers:
                if age and catalog().products_for(cancer):  # "which car t is approved for ALL in children?"
                    answer_cancer_age(dispatcher, domain, cancer, age)
                else:
                    answer_cancer(dispatcher, domain, cancer)
        else:
            topic = intent if intent in GENERAL_ANSWERS else "cancers_treated"
            send_answer(dispatcher, domain, topic, topic=topic)
        # ConversationContextPolicy set the `topic` slot to the intent; the answer given is what a
        # follow-up refers to ("and for lymphoma?" after "is Breyanzi approved for MZL?": Breyanzi)
        return [SlotSet("topic", topic)] if topic != intent else []
