"""The spaCy pipeline built from content/*.yml: entities, lemmas and the red-flag matcher."""
from __future__ import annotations

import pytest

from helpers import ROOT, load_yaml
from nlu_components.red_flags import RedFlagMatcher
from scripts.build_spacy_pipeline import build_pipeline

HOLDOUT = ROOT / "tests" / "holdout"


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


@pytest.fixture(scope="module")
def matcher():
    return RedFlagMatcher()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("which car t is approved for multiple myeloma?", [("multiple myeloma", "cancer", "multiple myeloma")]),
        ("is there cart for myeloma", [("myeloma", "cancer", "multiple myeloma")]),
        ("what is axi-cel used for", [("axi-cel", "product", "Yescarta")]),
        ("What is Yescarta used for?", [("Yescarta", "product", "Yescarta")]),
        ("does tisagenlecleucel work", [("tisagenlecleucel", "product", "Kymriah")]),
        ("my son has ALL", [("ALL", "cancer", "acute lymphoblastic leukemia")]),
        ("can car t treat all kinds of cancer", []),
        ("dad has DLBCL and got CRS", [("DLBCL", "cancer", "large B-cell lymphoma"),
                                        ("CRS", "side_effect", "cytokine release syndrome")]),
        ("car t for pancreatic cancer?", [("pancreatic cancer", "cancer", "pancreatic cancer")]),
        ("what is ICANS", [("ICANS", "side_effect", "neurotoxicity")]),
        # a family of lymphomas, not one of them; "blood cancers" is no cancer type at all
        ("is there car t for NHL", [("NHL", "cancer", "non-Hodgkin lymphoma")]),
        ("mum has non-hodgkin's lymphoma", [("non-hodgkin's lymphoma", "cancer", "non-Hodgkin lymphoma")]),
        ("which blood cancers can be treated with car t", []),
        ("husband is 45 with relapsed ALL", [("ALL", "cancer", "acute lymphoblastic leukemia")]),
        ("car t for oesophageal cancer", [("oesophageal cancer", "cancer", "esophageal cancer")]),
        ("does car t work for skin cancer", [("skin cancer", "cancer", "skin cancer")]),
        ("is there car t for waldenstrom", [("waldenstrom", "cancer", "Waldenström macroglobulinemia")]),
        # T-cell ALL is not the B-cell ALL every ALL product is approved for
        ("car t for T-ALL?", [("T-ALL", "cancer", "T-cell acute lymphoblastic leukemia")]),
        # a brand name with one typo is still the product
        ("abekma side effects", [("abekma", "product", "Abecma")]),
        ("tecartis for mantle cell", [("tecartis", "product", "Tecartus"), ("mantle cell", "cancer", "mantle cell lymphoma")]),
        # a phone's dictation splits a brand name (content/products.yml `aliases`)
        ("yes carta side effects", [("yes carta", "product", "Yescarta")]),
        # "large b cell" without "lymphoma", as people type it
        ("ok and what about for large b cell", [("large b cell", "cancer", "large B-cell lymphoma")]),
        # Parkinson's as people write it is the parkinsonism of Carvykti's label (twelfth round, set AX)
        ("does car t ever cause parkinsons-type stuff", [("parkinsons", "side_effect", "parkinsonism")]),
    ],
)
def test_entity_ruler_finds_canonical_entities(nlp, text, expected):
    assert [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents] == expected


def test_lookup_lemmas(nlp):
    doc = nlp("they collected my cells and I was having seizures")
    assert [t.lemma_ for t in doc][1] == "collect"
    assert [t.lemma_ for t in doc][-2:] == ["have", "seizure"]


def test_every_holdout_red_flag_matches(matcher):
    messages = load_yaml(HOLDOUT / "red_flags.yml")["messages"]
    messages += load_yaml(HOLDOUT / "red_flags_blind.yml")["messages"]
    assert len(messages) >= 40
    missed = [m for m in messages if not matcher.is_red_flag(m)]
    assert not missed


def test_general_symptom_questions_are_not_red_flags(matcher):
    questions = load_yaml(HOLDOUT / "red_flags_blind.yml")["not_red_flags"]
    topics = load_yaml(HOLDOUT / "topics.yml")["topics"]
    questions += [q for topic, qs in topics.items() if topic not in {"emergency", "crisis"} for q in qs]
    flagged = [q for q in questions if matcher.is_red_flag(q)]
    assert not flagged


@pytest.mark.parametrize(
    "text",
    ["temp 38.6", "101.3F and chills", "my wife is confused since this morning",
     "he's having a seizure", "she can't breathe", "heart rate 140 while resting, my watch says"],
)
def test_red_flag_examples(matcher, text):
    assert matcher.is_red_flag(text)


@pytest.mark.parametrize(
    "text",
    ["what are the signs of CRS?", "will I get a fever after the infusion?", "my temp is 37.1, fine",
     "is it true 85% of patients respond?", "how is ICANS treated"],
)
def test_not_red_flags(matcher, text):
    assert not matcher.is_red_flag(text)
