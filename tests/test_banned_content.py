"""No reply repeats what the fact sheet bans (../shared/reference/car-t-facts.md B10)."""
from __future__ import annotations

import re

import pytest

from helpers import ROOT, load_yaml

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
# Old REMS-era rules may appear only as the old rule, never as current.
OLD_RULES = re.compile(r"\b(4|four|8|eight) weeks\b|\b60 days\b", re.IGNORECASE)


def sentences(text):
    return re.split(r"(?<=[.!?])\s+|\n+", text)


def replies():
    domain = load_yaml(ROOT / "domain.yml")
    for name, variations in domain["responses"].items():
        for variation in variations:
            yield name, variation["text"]
    for name, answer in load_yaml(ROOT / "content" / "action_answers.yml")["answers"].items():
        yield name, answer["text"]
    for product in load_yaml(ROOT / "content" / "products.yml")["products"]:
        for indication in product["indications"]:
            yield product["brand"], indication["use"]


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
            if OLD_RULES.search(sentence):
                assert re.search(r"\bold\b|\bwas\b|\bused to\b", sentence, re.I), (name, sentence)


def test_banned_patterns_do_catch_the_seed_claims():
    seed = (ROOT.parent / "shared" / "seed").glob("*.txt")
    text = "\n".join(p.read_text(encoding="utf-8") for p in seed)
    caught = {why for pattern, why in BANNED if re.search(pattern, text, re.I)}
    assert {
        "the seed's made-up ASCO survey figures",
        "the seed's unverifiable success stories",
        "CAR T does not spare healthy cells",
        "CAR T is not non-invasive",
        "the assistant never sells or orders",
    } <= caught
