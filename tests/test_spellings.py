"""Common misspellings are read as the word meant by every rule set (content/spellings.yml)."""
from __future__ import annotations

import yaml

from nlu_components.pattern_rules import CONTENT_DIR, normalise


def test_a_misspelling_is_read_as_the_word_meant_and_only_as_a_whole_word():
    assert normalise("Im  having truble brething") == "im having trouble breathing"
    assert normalise("Hartford") == "hartford"  # not "heart" inside another word


def test_each_misspelling_is_listed_once_and_is_no_word_it_would_hide():
    words = yaml.safe_load((CONTENT_DIR / "spellings.yml").read_text(encoding="utf-8"))["words"]
    wrongs = [w for ws in words.values() for w in ws]
    assert len(wrongs) == len(set(wrongs))
    assert not set(wrongs) & set(words)


def test_texting_shorthand_is_spelt_out_for_the_rules_and_the_topic_classifier():
    from rasa.shared.nlu.training_data.message import Message

    from helpers import ROOT, load_yaml
    from nlu_components.lexical_topic_classifier import LexicalTopicClassifier, classified_text
    from scripts.cross_validate_sources import component_config

    assert normalise("what r the side effects i shud know abt") == "what are the side effects i should know about"
    assert normalise("Your turn, run") == "your turn, run"  # "r" and "u" only as whole words
    config = component_config(load_yaml(ROOT / "config.yml")["pipeline"], LexicalTopicClassifier)
    assert config["spellings"]  # the classifier reads the message as the rules do
    assert classified_text(Message(data={"text": "can u drive b4 2 weeks"}), config) == "can you drive before 2 weeks"
