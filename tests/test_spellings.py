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
