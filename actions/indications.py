"""Answers "which CAR T for my cancer / what is this product for" from content/products.yml."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import send_answer
from actions.content import Cancer, Product, catalog

# The general answer of each intent, for questions that name nothing specific.
GENERAL_ANSWERS = ("cancers_treated", "approved_products", "solid_tumors")


def named(tracker: Tracker, entity: str) -> List[str]:
    """Values of an entity in the latest message, in order, without repeats."""
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]
    return list(dict.fromkeys(v for v in values if v))


class ActionAnswerIndications(Action):
    def name(self) -> Text:
        return "action_answer_indications"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        c = catalog()
        products = [p for p in map(c.product, named(tracker, "product")) if p]
        cancers = [x for x in map(c.cancer, named(tracker, "cancer")) if x]
        intent = tracker.get_intent_of_latest_message()

        if products:
            for product in products:
                self.answer_product(dispatcher, domain, product)
        elif cancers:
            for cancer in cancers:
                self.answer_cancer(dispatcher, domain, cancer)
        else:
            send_answer(dispatcher, domain, intent if intent in GENERAL_ANSWERS else "cancers_treated")
        return []

    @staticmethod
    def answer_product(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], product: Product) -> None:
        send_answer(
            dispatcher,
            domain,
            "product_info",
            brand=product.brand,
            generic=product.generic,
            maker=product.maker,
            target=product.target,
            uses="\n".join(f"- {i.use}" for i in product.indications),
            fda_list_url=catalog().fda_list_url,
        )

    @staticmethod
    def answer_cancer(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], cancer: Cancer) -> None:
        approved = catalog().products_for(cancer)
        if not approved:
            answer = "solid_tumor_not_approved" if cancer.kind == "solid" else "cancer_not_approved"
            send_answer(dispatcher, domain, answer, cancer=cancer.name)
            return
        # A broad word ("lymphoma") lists which kinds each product treats; a specific
        # cancer says for whom it is approved.
        lines = [
            f"- {brand} ({catalog().product(brand).generic}): "
            + "; ".join(i.cancer if cancer.includes else i.use for i in uses)
            for brand, uses in approved.items()
        ]
        send_answer(
            dispatcher,
            domain,
            "cancer_products",
            cancer=cancer.name,
            products="\n".join(lines),
            fda_list_url=catalog().fda_list_url,
        )
