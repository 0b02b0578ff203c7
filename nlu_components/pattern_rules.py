"""Regular-expression rules kept in a YAML file (content/dose_questions.yml, content/crisis.yml,
content/safety_window.yml: one set per `section` of it).

A message matches when every pattern of one rule matches it and no `unless` pattern
does. Patterns see the message lower-cased, with typographic apostrophes made plain
("don’t" -> "don't"), runs of whitespace made one space and common misspellings spelt right
("confussed" -> "confused": content/spellings.yml), so a rule is written once.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Optional, Text

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SPACES = re.compile(r"\s+")
SPELLINGS_FILE = CONTENT_DIR / "spellings.yml"


def _spellings() -> Dict[Text, Text]:
    """Misspelling -> the word meant (content/spellings.yml)."""
    words = yaml.safe_load(SPELLINGS_FILE.read_text(encoding="utf-8"))["words"]
    return {wrong: right for right, wrongs in words.items() for wrong in wrongs}


_MISSPELT = _spellings()
_MISSPELLING = re.compile(r"\b(%s)\b" % "|".join(map(re.escape, sorted(_MISSPELT, key=len, reverse=True))))


def normalise(text: Text) -> Text:
    """Lower case, plain apostrophes, single spaces, and known misspellings spelt right."""
    plain = _SPACES.sub(" ", text.lower().translate(_APOSTROPHES)).strip()
    return _MISSPELLING.sub(lambda m: _MISSPELT[m.group(1)], plain)


class PatternRules:
    def __init__(self, path: Path, section: Optional[Text] = None) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = data[section] if section else data
        self.data = data  # the file's (or section's) other entries, for the component that owns them
        self.rules: List[List[re.Pattern]] = [
            [re.compile(p) for p in ([rule] if isinstance(rule, str) else rule)] for rule in data["rules"]
        ]
        self.unless = [re.compile(p) for p in data.get("unless") or []]

    def patterns(self, key: Text) -> List[re.Pattern]:
        """Another list of patterns kept beside the rules ("denials" in content/crisis.yml)."""
        return [re.compile(p) for p in self.data.get(key) or []]

    def match(self, text: Text) -> bool:
        text = normalise(text)
        return not self._excluded(text) and any(all(p.search(text) for p in rule) for rule in self.rules)

    def excluded(self, text: Text) -> bool:
        """An `unless` pattern matches."""
        return self._excluded(normalise(text))

    def _excluded(self, plain: Text) -> bool:
        return any(p.search(plain) for p in self.unless)

    def matching_rules(self, text: Text) -> List[int]:
        """Indexes of the rules that match (for tests and audits)."""
        text = normalise(text)
        return [i for i, rule in enumerate(self.rules) if all(p.search(text) for p in rule)]
