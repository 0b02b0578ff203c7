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

from nlu_components.pattern_rules import normalise as normalise_text

ROOT = Path(__file__).resolve().parent.parent
RULES_FILE = ROOT / "content" / "red_flags.yml"
DEFAULT_PIPELINE = Path("build") / "spacy_pipeline"  # relative to ROOT, as in config.yml

# What names a warning sign (as opposed to a cue that someone has it now, or a frame).
SIGNS = {"urgent", "urgent_patterns", "symptoms", "change_signs", "readings", "bare_readings"}
# Recent cues that date the treatment as often as a sign ("CAR T eight months ago", "I'm starting CAR
# T next month"): they do not make a sign new in the sentence a general question is asked about.
DATE_THE_TREATMENT = {"ago", "start", "started", "starting", "begin", "began", "beginning", "new"}
# Two or three digits; not the second of "118/76" (a blood pressure is read by its first number).
_NUMBER = re.compile(r"(?<![\d./])(\d{2,3}(?:[.,]\d+)?)(?!\d)")  # not part of a year: "a stent in 2019"


# Readings said in words, as voice typing writes them: "her temperature is one hundred point six",
# "thirty eight point five". Only a hundred or a tens word makes a number (not "one day").
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SPOKEN = re.compile(rf"\b(?=\w)(?:(?P<hundred>(?:one|a) hundred)(?: and)? ?)?(?:(?P<tens>{'|'.join(_TENS)})[ -]?)?"
                     rf"(?P<units>{'|'.join(_UNITS)})?(?: ?point (?P<decimal>{'|'.join(_UNITS[:10])}|oh))?\b")


def _spoken_number(match: re.Match) -> str:
    hundred, tens, units, decimal = match.group("hundred", "tens", "units", "decimal")
    if not (hundred or tens):
        return match.group(0)
    value = (100 if hundred else 0) + (10 * (_TENS.index(tens) + 2) if tens else 0) + (_UNITS.index(units) if units else 0)
    return f"{value}.{0 if decimal == 'oh' else _UNITS.index(decimal)}" if decimal else str(value)


# A word said twice for emphasis counts once: "his heart is going very very fast" (tenth round, set AF).
_REPEATED = re.compile(r"\b(very|so|really|super|too|much)(?:\s+\1\b)+")


def normalise(text: str) -> str:
    """The message as the rules see it: lower case, plain apostrophes, numbers in digits, an
    intensifier said twice once."""
    return _REPEATED.sub(r"\1", _SPOKEN.sub(_spoken_number, normalise_text(text)))


# At most this many characters between a word of now and the words that say an episode is over,
# for the first to open the second ("today she's fine", "this morning he was back to himself").
OPENS_OVER = 12
# A present tense someone cannot tell: "he can't exactly tell us he's confused" is a worry, not a sign told now.
_CANNOT_SAY = re.compile(r"\b(can.?t|cannot|couldn.?t|won.?t|not able to|unable to)( \w+){0,2} (tell|say|explain|show)"
                         r"( \w+){0,2} (that )?(he|she|they|i)(.s|.re|.m| is| are| am) $")
# Words that say a sign is back ("Now that confusion is back"; not an appetite coming back).
_BACK = re.compile(r"(?<!appetite )(?<!hair )(?<!energy )\b(is|are|it.?s|came|comes|has come) back\b|\b(returned|started again)\b")
# A sign named again after the words that say its episode is over, pointing back at it: "Steroids
# sorted it within a couple of days. Does that confusion thing tend to come back?"
_POINTS_BACK = re.compile(r"\b(that|this|the same|such)\s+$")


# A comma before "and now", "but today" ... starts a new sentence for the frames: "hypothetically if he
# gets a fever what then, and now he's confused since lunch" tells a sign now after a what-if (tenth round).
_TURNING = {"and", "but"}
_NOW = {"now", "today", "tonight", "since", "this"}


# Where a clause ends, besides a sentence: a sign's clause tells its tense (`_without_anchored_signs`).
_CLAUSE_ENDS = {",", ":", "and", "but", "(", ")", "\u2014", "\u2013"}


def _without(found: dict, groups: tuple, dropped) -> dict:
    """The matches of these groups but those `dropped(group, match)` says; a group left with none is gone."""
    for group in groups:
        kept = [match for match in found.get(group, []) if not dropped(group, match)]
        if kept:
            found[group] = kept
        else:
            found.pop(group, None)
    return found


def _turns_to_now(doc, i: int) -> bool:
    return (doc[i].text == "," and i + 2 < len(doc) and doc[i + 1].text in _TURNING and doc[i + 2].text in _NOW)


class RedFlagMatcher:
    """Matches lemmas of the lower-cased message (lookup lemmas are case-sensitive)."""

    GROUPS = ("urgent", "symptoms", "now_cues", "general_frames", "change_signs", "recent_cues", "not_now_frames", "idioms")

    def __init__(self, pipeline_path: Path = DEFAULT_PIPELINE, rules_file: Path = RULES_FILE):
        with open(rules_file, encoding="utf-8") as f:
            rules = yaml.safe_load(f)
        # Only tokenizer and lemmatizer are needed; the entity ruler is not.
        self.nlp = spacy.load(ROOT / pipeline_path, exclude=["entity_ruler"])
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        for group in self.GROUPS:
            self.matcher.add(group, list(self.nlp.pipe(p.lower() for p in rules[group])))
        self.readings = rules["readings"]
        # a reading's number written without its word ("has 38.2"), and the words before it that make it something else
        self.bare = {name: (re.compile(reading["bare"]), re.compile(reading.get("bare_unless_after", "(?!)")))
                     for name, reading in self.readings.items() if reading.get("bare")}
        self.ages = [re.compile(p) for p in rules["ages"]]
        self.patterns = {group: [re.compile(p) for p in rules[group]]
                         for group in ("urgent_patterns", "general_patterns", "reading_questions")}
        self.idiom_patterns = [re.compile(p) for p in rules["idiom_patterns"]]
        self.sign_doubts = [re.compile(p) for p in rules["sign_doubts"]]
        self.present_tense = re.compile(rules["present_tense"])
        self.resolved = {kind: [re.compile(p) for p in patterns] for kind, patterns in rules["resolved_patterns"].items()}
        self.ongoing = [re.compile(p) for p in rules["ongoing_patterns"]]
        self.anchors = {kind: [re.compile(p) for p in patterns] for kind, patterns in rules["not_now_anchors"].items()}
        self.present_clause = re.compile(rules["present_clause"])
        self.carers_own = {name: re.compile(p) for name, p in rules["carers_own_signs"].items()}

    def matches(self, text: str) -> dict:
        """Rule group -> matched phrases; "readings" -> names of worrying readings."""
        return {group: [phrase for phrase, *_ in found] for group, found in self._matches(text).items()}

    def _matches(self, text: str) -> dict:
        """Rule group -> (phrase, sentence number, token index, character offset) of each match,
        all in the normalised message (lower case, plain apostrophes)."""
        text = normalise(text)
        doc = self.nlp(text)
        sentence, sentences, clause, clauses = 0, [], 0, []
        for token in doc:
            sentences.append(sentence)
            clauses.append(clause)
            ends = token.text in {".", "!", "?", ";"} or _turns_to_now(doc, token.i)
            sentence += ends
            clause += ends or token.text in _CLAUSE_ENDS
        found: dict = {}
        matches = [(self.nlp.vocab.strings[match_id], start, end) for match_id, start, end in self.matcher(doc)]
        # the everyday phrases that hold a sign's words without the sign: a sign inside an idiom, or
        # overlapping an idiom pattern's match ("i'm sick" in "i'm sick and tired of ..."), is none
        idioms = [(start, end) for group, start, end in matches if group == "idioms"]
        idiom_spans = [m.span() for p in self.idiom_patterns for m in p.finditer(text)]
        doubts = [m.span() for p in self.sign_doubts for m in p.finditer(text)]
        for group, start, end in matches:
            first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            if group in ("urgent", "symptoms", "change_signs") and (any(s <= start and end <= e for s, e in idioms)
                                                          or any(first < e and s < last for s, e in idiom_spans)):
                continue  # "understand what I'm going through" is not trouble understanding
            if group == "general_frames" and any(s <= first < e for s, e in doubts):
                continue  # "could it just be a pinched nerve?" doubts a sign told, it asks nothing general
            if group != "idioms":
                found.setdefault(group, []).append((doc[start:end].text, sentences[start], start, doc[start].idx))
            if (group in ("symptoms", "change_signs") and self.present_tense.search(text[:first])
                    and not _CANNOT_SAY.search(text[:first])):
                # "He's confused. Will it pass?": said in the present tense, the sign is new for the frames
                found.setdefault("told_now", []).append((doc[start:end].text, sentences[start], start, first))
        # "Hypothetical: 37.9 °C is ...": no reading inside an idiom's span
        numbers = self._without_ages(text)
        for group, readings in (("readings", self._readings(text, numbers)), ("bare_readings", self._bare_readings(numbers))):
            readings = [(name, offset) for name, offset in readings if not any(s <= offset < e for s, e in idiom_spans)]
            if readings:
                found[group] = [(name, 0, 0, offset) for name, offset in readings]
        def token_at(offset): return next((t.i for t in doc if t.idx >= offset), len(doc) - 1)
        for group, patterns in self.patterns.items():
            for match in filter(None, (p.search(text) for p in patterns)):
                token = token_at(match.start())
                found.setdefault(group, []).append((match.group(0), sentences[token], token, match.start()))
        for kind, patterns in self.anchors.items():
            for match in (m for p in patterns for m in p.finditer(text)):
                token = token_at(match.start())
                found.setdefault("not_now_anchors", []).append((kind, sentences[token], token, match.start()))
        carers = self.carers_own["carer"].search(text) and not self.carers_own["patient"].search(text)
        if "not_now_anchors" not in found and not carers:
            return found  # most messages: neither rule reads clauses
        clause_texts = [""] * (clause + 1)
        for token in doc:
            clause_texts[clauses[token.i]] += token.text_with_ws
        found = self._without_anchored_signs(found, [clause_texts[c] for c in clauses])
        if carers:
            found = self._without_the_carers_own_signs(found, doc, sentences, clauses, clause_texts)
        return found

    def _without_the_carers_own_signs(self, found: dict, doc, sentences: list, clauses: list, clause_texts: list) -> dict:
        """The matches without the signs of the clauses that tell of the writer alone, in a message whose writer is the
        carer ("I'm the caregiver. I've had a pounding headache"): content/red_flags.yml `carers_own_signs`."""
        sentence_of = dict(zip(clauses, sentences))
        writers, whose = set(), None
        for c, clause_text in enumerate(clause_texts):
            if sentence_of.get(c) != sentence_of.get(c - 1):
                whose = None  # a clause that names nobody tells of whom the one before it tells, in its sentence
            if self.carers_own["others"].search(clause_text):
                whose = "others"
            elif self.carers_own["writer"].search(clause_text):
                whose = "writer"
            if whose == "writer":
                writers.add(c)
        def token_at(offset): return next((t.i for t in doc if t.idx + len(t) > offset), len(doc) - 1)
        # a reading is found by its offset, the other signs by their token
        def the_writers(group, match): return clauses[token_at(match[3]) if "readings" in group else match[2]] in writers
        return _without(found, ("urgent", "symptoms", "change_signs", "readings", "bare_readings"), the_writers)

    def _without_anchored_signs(self, found: dict, clause_of: list) -> dict:
        """The matches without the signs of a sentence set in another time ("had a fever off her MMR jab last year", "a
        seizure once at 19", "if Grandad gets muddled ... next month"), unless the message tells a sign as new or in the
        present tense anywhere ("last year she had a fever, and since this morning she has one again"), or a past time's
        sign is told in a clause in the present tense ("had Yescarta in 2022 and he can't get his words out"): a missed
        sign costs more than a false alarm. `clause_of`: the text of each token's clause."""
        if self._new_cues(found) or "told_now" in found:
            return found
        anchors = found.get("not_now_anchors", [])
        future = {sentence for kind, sentence, *_ in anchors if kind == "future"}
        past = {sentence for kind, sentence, *_ in anchors if kind == "past"}
        def anchored(_, match):
            return match[1] in future or (match[1] in past and not self.present_clause.search(clause_of[match[2]]))
        return _without(found, ("urgent", "symptoms", "change_signs"), anchored)

    def is_red_flag(self, text: str) -> bool:
        found = self._matches(text)
        if "reading_questions" in found or self._told_as_over(text, found):
            return False
        if found.keys() & {"readings", "urgent_patterns"} or any(not self._framed_as_not_now(phrase, found) for phrase in found.get("urgent", [])):
            return True
        if "general_patterns" in found and not (self._told_now_outside(found, "general_patterns")
                                                or self._back_in_a_later_sentence(text, found["general_patterns"])):
            return False
        # a number written only as a temperature, told as new beside a general question: "When can I get my flu shot
        # after Kymriah? Oh and I've had 38.5 since this morning" (thirteenth round, set BU)
        if "bare_readings" in found and self._new_cues(found):
            return True
        if self._framed_as_general(found):
            return False
        # a number written only as a temperature is written ("the older one now has 38.2"), unless the message is
        # general ("I've come down with flu, 38.9 ... my brother is doing the nights with Mum")
        if "bare_readings" in found:
            return True
        return {"symptoms", "now_cues"} <= set(found) or {"change_signs", "now_cues", "recent_cues"} <= set(found)

    def names_a_sign_now(self, text: str) -> bool:
        """Whether the message names a warning sign (an urgent phrase, a symptom, a change sign or
        a worrying reading) that it does not frame as general, hypothetical or over: what a
        classifier's `emergency` needs before it is believed (RedFlagDetector)."""
        found = self._matches(text)
        if found.keys() & {"reading_questions", "general_patterns"} or self._framed_as_general(found) or self._told_as_over(text, found):
            return False
        # a number in a worrying range counts even without its word: "she's at 38.6 right now"
        return bool(found.keys() & SIGNS or self._numbers_in_range(normalise(text)))

    @staticmethod
    def _told_now_outside(found: dict, group: str) -> bool:
        """A sign said in the present tense in a sentence the group's matches are not in: "her teeth are chattering, but
        her forehead is burning. ... what number should I be looking for?" (seventeenth round, set CV)."""
        framed = {sentence for _, sentence, *_ in found.get(group, [])}
        return any(sentence not in framed for _, sentence, *_ in found.get("told_now", []))

    @staticmethod
    def _back_in_a_later_sentence(text: str, general: list) -> bool:
        """Words that say a sign is back, in a sentence after the last general pattern's: "the steroids cleared it up in two
        days. Now that confusion is back." (seventeenth round)."""
        text = normalise(text)
        last = max(offset for *_, offset in general)
        return any(re.search(r"[.!?]", text[last:m.start()]) for m in _BACK.finditer(text, last))

    @staticmethod
    def _new_cues(found: dict) -> list:
        """(sentence, token position) of each recent cue that tells a sign as new ("since this morning", "today"; not the
        treatment's date, "3 weeks ago")."""
        return [(sentence, position) for cue, sentence, position, _ in found.get("recent_cues", [])
                if cue.split()[0] not in DATE_THE_TREATMENT]

    @staticmethod
    def _framed_as_general(found: dict) -> bool:
        """Whether a general question ("what are the signs of confusion?", "will it pass?") frames
        every sign the message names. It frames the signs of its own sentence, and those of other
        sentences unless they are told as new ("He's been confused since this morning. Will it
        pass?" and "My husband is confused and shaky. Will it pass?" are a warning sign now; "He
        couldn't write his name for two days. He recovered. Will it come back?" is not)."""
        def sentences(group): return {sentence for _, sentence, *_ in found.get(group, [])}
        frames = sentences("general_frames")
        cues = RedFlagMatcher._new_cues(found)
        cued = {sentence for sentence, _ in cues}
        # a cue also tells the next sentence as new: "Since yesterday she's just... different. Very sleepy, ..."
        new = cued | {sentence + 1 for sentence in cued} | sentences("told_now")
        # ...and a cue and a sign before the question in its own sentence tell it as news: "he has had a fever since this
        # morning, is it a sign of crs?" (not "what are the signs of CRS to watch for this week?", nor a sign the question
        # asks about: "once we're home after the infusion, if I get a fever at 3am who picks up the phone?")
        first_frame = {}
        for _, sentence, position, _ in found.get("general_frames", []):
            first_frame[sentence] = min(position, first_frame.get(sentence, position))
        def before_frame(pairs): return {s for s, position in pairs if position < first_frame.get(s, -1)}
        signs = [(s, position) for group in ("symptoms", "change_signs") for _, s, position, _ in found.get(group, [])]
        told_first = before_frame(cues) & before_frame(signs)
        return bool(frames) and all((s in frames and s not in told_first) or s not in new
                                    for s in sentences("symptoms") | sentences("change_signs"))

    def _told_as_over(self, text: str, found: dict) -> bool:
        """An episode told as over ("a seizure on day 6 in hospital but nothing since"): every sign
        the message names comes before the words that say so, and none is back or still there
        ("it went away but now she's confused again", "the fever went away but he had a seizure")."""
        text = normalise(text)
        def starts(patterns): return [m.start() for p in patterns for m in p.finditer(text)]
        over = starts(self.resolved["over"])
        if starts(self.resolved["then"]):
            over += starts(self.resolved["over_then"])
        # "today he's back to himself": a word of now that opens the words saying it is over is no
        # sign that it is back
        ongoing = [m for p in self.ongoing for m in p.finditer(text) if not any(0 <= o - m.end() <= OPENS_OVER for o in over)]
        if not over or ongoing:
            return False
        last = max(over)
        return all(offset < last or _POINTS_BACK.search(text[max(last, offset - 12):offset])
                   for group in SIGNS for *_, offset in found.get(group, []))

    @staticmethod
    def _framed_as_not_now(urgent: tuple, found: dict) -> bool:
        """An urgent phrase after a `not_now_frame` of its sentence: "what if she has a seizure",
        "our dog had a seizure". Not one before it: "she is having a seizure, what if it goes on"."""
        _, sentence, position, _ = urgent
        return any(s == sentence and p < position for _, s, p, _ in found.get("not_now_frames", []))

    def _without_ages(self, text: str) -> str:
        """The text with ages and day counts blanked, offsets kept: "36.6 °C and I'm day +40" reads 36.6, not 40."""
        for age in self.ages:
            text = age.sub(lambda m: " " * len(m.group(0)), text)
        return text

    def _numbers_in_range(self, text: str) -> bool:
        text = self._without_ages(text)
        return any(low <= float(n.group(1).replace(",", ".")) <= high for n in _NUMBER.finditer(text)
                   for reading in self.readings.values() for low, high in reading["ranges"])

    def _readings(self, text: str, numbers: str) -> list:
        """(name, offset) of the worrying readings in the text, e.g. "fever" for "temp 39.2". A number
        belongs to the reading whose word is nearest to it: in "oxygen 98% and heart rate 72"
        the 72 is a heart rate (normal), not an oxygen level. `numbers` is the text with ages blanked
        (`_without_ages`), where the numbers are read."""
        words = [(m.start(), m.end(), name) for name, reading in self.readings.items() for w in reading["words"]
                 for m in re.finditer(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text)]
        if not words:
            return []
        found = {}
        for number in _NUMBER.finditer(numbers):
            value = float(number.group(1).replace(",", "."))
            # the gap between the word and the number, whichever comes first
            *_, name = min(words, key=lambda w: max(w[0] - number.end(), number.start() - w[1]))
            if any(low <= value <= high for low, high in self.readings[name]["ranges"]):
                found[name] = number.start()  # the last such number
        return list(found.items())

    def _bare_readings(self, numbers: str) -> list:
        """(name, offset) of the worrying numbers written the way only this reading is written ("has 38.2"),
        whatever the words around them, except after a word that makes them something else ("crp 38.5")."""
        return [(name, m.start()) for name, (bare, unless_after) in self.bare.items() for m in bare.finditer(numbers)
                if any(low <= float(m.group(0).replace(",", ".")) <= high for low, high in self.readings[name]["ranges"])
                and not unless_after.search(numbers[:m.start()])]
