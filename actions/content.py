"""Loads the content tables in content/*.yml (products, cancers, side effects, product facts).

One loader for everyone who needs them: the custom actions, the spaCy pipeline
build script and the tests. Canonical names are the values the NLU resolves
entities to; aliases are matched case-insensitively unless written in capitals
(so "ALL" the leukemia is not "all" the word).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


def load_yaml(name: str) -> dict:
    with open(CONTENT_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass(frozen=True)
class Indication:
    cancer: str
    use: str
    ages: tuple = ("adults",)  # who the label covers: adults, children (up to 25 for Kymriah's ALL)


@dataclass(frozen=True)
class Product:
    brand: str
    generic: str
    maker: str
    target: str
    aliases: List[str]
    indications: List[Indication]
    sources: List[str]

    @property
    def surface_forms(self) -> List[str]:
        return [self.brand, self.generic, *self.aliases]


@dataclass(frozen=True)
class Cancer:
    name: str
    kind: str  # blood | blood_unapproved | solid
    aliases: List[str]
    includes: List[str] = field(default_factory=list)
    note: str = ""
    general: bool = False  # the name of a whole kind ("solid tumors"), not one cancer

    @property
    def surface_forms(self) -> List[str]:
        return [self.name, *self.aliases]


@dataclass(frozen=True)
class Term:
    name: str
    aliases: List[str]
    topic: str = ""  # the answer about it (side effects)

    @property
    def surface_forms(self) -> List[str]:
        return [self.name, *self.aliases]


class Catalog:
    """Products, cancers and side effects, with lookups from any surface form."""

    def __init__(self) -> None:
        product_data = load_yaml("products.yml")
        self.fda_list_url: str = product_data["fda_list_url"]
        self.products = [
            Product(
                brand=p["brand"],
                generic=p["generic"],
                maker=p["maker"],
                target=p["target"],
                aliases=p.get("aliases") or [],
                indications=[Indication(i["cancer"], i["use"], tuple(i.get("ages", ("adults",))))
                             for i in p["indications"]],
                sources=p["sources"],
            )
            for p in product_data["products"]
        ]
        self.cancers = [
            Cancer(
                name=c["name"],
                kind=c["kind"],
                aliases=c.get("aliases") or [],
                includes=c.get("includes") or [],
                note=c.get("note") or "",
                general=bool(c.get("general")),
            )
            for c in load_yaml("cancers.yml")["cancers"]
        ]
        self.side_effects = [
            Term(name=s["name"], aliases=s.get("aliases") or [], topic=s.get("topic") or "")
            for s in load_yaml("side_effects.yml")["side_effects"]
        ]
        self._products_by_form = _index(self.products)
        self._cancers_by_form = _index(self.cancers)

    # Entity values are usually strings, but a typed payload such as
    # /approved_products{"product": 5} hands the action any JSON value.
    def product(self, text: Any) -> Optional[Product]:
        """The product a name, alias or brand name with one typo ("kymria", "abekma") names."""
        form = str(text or "").strip().lower()
        if form in self._products_by_form:
            return self._products_by_form[form]
        typos = [p for p in self.products if one_edit_apart(form, p.brand.lower())]
        return typos[0] if len(typos) == 1 else None

    def cancer(self, text: Any) -> Optional[Cancer]:
        return self._cancers_by_form.get(str(text or "").strip().lower())

    def products_for(self, cancer: Cancer) -> Dict[str, List[Indication]]:
        """Approved products for a cancer (or the specific cancers it includes)."""
        names = {n.lower() for n in (cancer.name, *cancer.includes)}
        found: Dict[str, List[Indication]] = {}
        for product in self.products:
            matching = [i for i in product.indications if i.cancer.lower() in names]
            if matching:
                found[product.brand] = matching
        return found


def product_fact(topic: str, product: Product) -> str:
    """The product's own fact for a topic (content/product_facts.yml), or ""."""
    table = product_facts()
    if topic in table["label_topics"]:
        uses = "\n".join(f"- {i.use}" for i in product.indications)
        return f"For {product.brand}, the FDA label (US) covers:\n{uses}"
    if topic in table.get("target_topics", []):
        return f"{product.brand}'s CAR targets {product.target}."
    facts, fallback = table["facts"], (table.get("fact_fallbacks") or {}).get(topic)
    return (facts.get(topic) or {}).get(product.brand) or (facts.get(fallback) or {}).get(product.brand, "")


@lru_cache(maxsize=1)
def product_facts() -> dict:
    return load_yaml("product_facts.yml")


@lru_cache(maxsize=1)
def places() -> dict:
    """content/places.yml, its patterns compiled (used by nlg/answers.py)."""
    data = load_yaml("places.yml")
    return {**data, "us_facts": re.compile(data["us_facts"]), "places": [re.compile(p) for p in data["places"]]}


def _index(items) -> dict:
    index = {}
    for item in items:
        for form in item.surface_forms:
            index[form.lower()] = item
    return index


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return Catalog()


# Brand names also match with one letter added, dropped or changed (`one_edit_apart`), as spaCy's
# FUZZY1 token patterns do (scripts/build_spacy_pipeline.py): "kymria", "abekma", "tecartis".
BRAND_TYPOS = 1


def one_edit_apart(a: str, b: str) -> bool:
    """True if a and b differ by exactly one inserted, deleted or replaced character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]
