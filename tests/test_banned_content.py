"""No reply repeats what the fact sheet bans (../shared/reference/car-t-facts.md B10)."""
from __future__ import annotations

import re

import pytest

from helpers import ROOT, load_yaml, merged_domain, require_shared

# (pattern, why) - matched case-insensitively against every sentence of every reply.
# Claims in DENIABLE may appear denied ("No CAR T is approved for any solid tumor").
BANNED = [
    (r"\b(85|60|65) ?%", "the seed's made-up ASCO survey figures"),
    (r"satisfaction rate", "the seed's made-up survey"),
    (r"\bSarah\b|\bJohn\b|Emily(?![ -]Whitehead)", "the seed's unverifiable success stories"),
    (r"spar(e|es|ed|ing)\b[^.]*\b(healthy|normal) (cells|tissue)", "CAR T does not spare healthy cells"),
    (r"non-?invasive", "CAR T is not non-invasive"),
    (r"fewer side effects than|gentler than", "CAR T is not gentler across the board"),
    (r"\bis a cure\b|\bwill cure\b|\bcures (your )?cancer|guarantee", "no cure is promised"),
    (r"tailored to (your|the) (tumou?r|cancer)'?s? genetic|genetic makeup", "not designed around tumour genetics"),
    (r"approved for (a |any )?solid tumou?rs?", "no CAR T is approved for solid tumours"),
    (r"make an order|order (now|online|here)|buy (now|online)|high-quality meds|discount",
     "the assistant never sells or orders"),
    (r"\b\d+(\.\d+)? ?(mg|mcg|ml|mL|g/m2|mg/m2)\b", "no doses"),
    (r"(?<!formerly the )Leukemia (&|and) Lymphoma Society", "it is Blood Cancer United now"),
]
DENIABLE = {
    "CAR T does not spare healthy cells",
    "CAR T is not gentler across the board",
    "no cure is promised",
    "no CAR T is approved for solid tumours",
}
NEGATION = re.compile(r"\b(no|not|never|cannot|can't|isn't|doesn't|no one)\b", re.IGNORECASE)
# Old REMS-era rules (stay near the centre 4 weeks, no driving 8 weeks / 60 days) may appear
# only as the old rule, never as current. Other periods of 4 weeks (a response check) are fine.
OLD_RULES = re.compile(r"\b(4|four|8|eight) weeks\b|\b60 days\b", re.IGNORECASE)
STAY_OR_DRIVE = re.compile(r"\b(stay|near|nearby|close to|driv)", re.IGNORECASE)


def sentences(text):
    return re.split(r"(?<=[.!?])\s+|\n+", text)


def replies():
    """Every text a reply can hold: responses as Rasa merges them (domain.yml and data/faq, with
    their summaries),
    the custom actions' answers, the product table's uses, product facts and cancer notes."""
    for name, variations in merged_domain()["responses"].items():
        for variation in variations:
            yield name, variation["text"]
            if (variation.get("metadata") or {}).get("summary"):  # "explain that more simply"
                yield f"{name} (summary)", variation["metadata"]["summary"]
    for name, answer in load_yaml(ROOT / "content" / "action_answers.yml")["answers"].items():
        yield name, answer["text"]
    for product in load_yaml(ROOT / "content" / "products.yml")["products"]:
        for indication in product["indications"]:
            yield product["brand"], indication["use"]
    for topic, facts in load_yaml(ROOT / "content" / "product_facts.yml")["facts"].items():
        for brand, fact in facts.items():
            yield f"{topic}/{brand}", fact
    for cancer in load_yaml(ROOT / "content" / "cancers.yml")["cancers"]:
        if cancer.get("note"):
            yield cancer["name"], cancer["note"]


@pytest.mark.parametrize("pattern, why", BANNED)
def test_no_reply_contains_banned_content(pattern, why):
    hits = [
        (name, sentence)
        for name, text in replies()
        for sentence in sentences(text)
        if re.search(pattern, sentence, re.I)
        and not (why in DENIABLE and NEGATION.search(sentence))
    ]
    assert not hits, f"{why}: {hits}"


def test_old_stay_and_driving_rules_only_as_old_rules():
    for name, text in replies():
        for sentence in sentences(text):
            if OLD_RULES.search(sentence) and STAY_OR_DRIVE.search(sentence):
                assert re.search(r"\bold\b|\bwas\b|\bused to\b", sentence, re.I), (name, sentence)


def test_banned_patterns_do_catch_the_seed_claims():
    seed = require_shared("seed").glob("*.txt")
    text = "\n".join(p.read_text(encoding="utf-8") for p in seed)
    caught = {why for pattern, why in BANNED if re.search(pattern, text, re.I)}
    assert {
        "the seed's made-up ASCO survey figures",
        "the seed's unverifiable success stories",
        "CAR T does not spare healthy cells",
        "CAR T is not non-invasive",
        "the assistant never sells or orders",
    } <= caught
