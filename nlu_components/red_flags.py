"""Red-flag matcher: finds warning signs happening now in a message.

Rules and phrases live in content/red_flags.yml; this module only applies them.
It does not depend on Rasa, so it can be tested without a trained model.
"""
from __future__ import annotations

import re
from pathlib import Path

import spacy
import yaml
from spacy.matcher import PhraseMatcher

ROOT = Path(__file__).resolve().parent.parent
RULES_FILE = ROOT / "content" / "red_flags.yml"
DEFAULT_PIPELINE = Path("build") / "spacy_pipeline"  # relative to ROOT, as in config.yml

_NUMBER = re.compile(r"(?<![\d.])(\d{2,3}(?:[.,]\d+)?)")
# Words (also units glued to numbers: "39c" -> "c") and the degree sign.
_WORD = re.compile(r"[a-z][a-z0-9]*|°")


class RedFlagMatcher:
    """Matches lemmas of the lower-cased message (lookup lemmas are case-sensitive)."""

    GROUPS = ("urgent", "symptoms", "now_cues", "general_frames")

    def __init__(self, pipeline_path: Path = DEFAULT_PIPELINE, rules_file: Path = RULES_FILE):
        with open(rules_file, encoding="utf-8") as f:
            rules = yaml.safe_load(f)
        # Only tokenizer and lemmatizer are needed; the entity ruler is not.
        self.nlp = spacy.load(ROOT / pipeline_path, exclude=["entity_ruler"])
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        for group in self.GROUPS:
            self.matcher.add(group, list(self.nlp.pipe(p.lower() for p in rules[group])))
        self.readings = rules["readings"]

    def matches(self, text: str) -> dict:
        """Rule group -> matched phrases; "readings" -> names of worrying readings."""
        doc = self.nlp(text.lower())
        found: dict = {}
        for match_id, start, end in self.matcher(doc):
            found.setdefault(self.nlp.vocab.strings[match_id], []).append(doc[start:end].text)
        readings = self._readings(text.lower())
        if readings:
            found["readings"] = readings
        return found

    def is_red_flag(self, text: str) -> bool:
        found = self.matches(text).keys()
        if found & {"urgent", "readings"}:
            return True
        return {"symptoms", "now_cues"} <= set(found) and "general_frames" not in found

    def _readings(self, text: str) -> list:
        """Names of the readings in the text, e.g. "fever" for "temp 39.2"."""
        numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(text)]
        words = set(_WORD.findall(text))
        return [
            name
            for name, reading in self.readings.items()
            if any(w in words or (" " in w and w in text) for w in reading["words"])
            and any(low <= n <= high for n in numbers for low, high in reading["ranges"])
        ]
