"""The lexicon family: one category's lexicon file over the utterances of the speaker it applies to.

Matching works on the text after homophone repair; a rule that finds nothing there is tried again
by sound (lower score), the text spelt by sound only where it sounds like one of the rule's
keywords or a context word (``heard_text``). On a recogniser's text a rule that finds nothing
is tried once more with the commas between two words read as the pauses they are
(``joined_over_pauses``). A hit is dropped when a cancelling cue
(negation, reported speech, a lawful condition) stands next to it, or when the rule needs a phrase
in the hit's sentence and the sentence has none (a priced fee needs someone told to pay it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from os.path import commonprefix

from pipeline.categories import SEVERITIES
from pipeline.detect.amounts import grown
from pipeline.detect.base import Detector, Result, utterance_result
from pipeline.detect.homophones import inside_word
from pipeline.detect.lexicon_file import CONTEXT_CHARACTERS, CategoryLexicon, Rule
from pipeline.detect.prefilter import with_start_filter
from pipeline.detect.resources import Resources
from pipeline.detect.settings import LexiconSettings
from pipeline.detect.sound import (
    CLAUSE_BREAKS,
    SoundRegex,
    cue_sound_text,
    sentence_bounds,
    sound_text,
    spelt_both_ways,
)
from pipeline.detect.view import CallView, Repair, Utterance
from pipeline.patterns import compiled
from pipeline.present.explanation import Explanation, sentence


@dataclass
class Hit:
    rule: Rule
    start: int
    end: int
    parts: tuple[tuple[str, float], ...]  # the rule's score and the factors that lowered it
    repairs: list[Repair]
    by_sound: bool = False  # found only when the text was compared by sound

    @property
    def score(self) -> float:
        score = 1.0
        for _, factor in self.parts:
            score *= factor
        return score


# A comma between two words or numbers: where a recogniser wrote it, the speaker paused there, which
# they do inside a phrase as well as between clauses (上报到，我们这儿了; 快递，员).
PAUSE = re.compile(r"(?<=\w)[，,](?=\w)")
FILLER = "□"


# A character class that excludes Chinese characters ([^，。不没]), spelt by sound, excludes their
# homophones too: 部 sounds like 不, so 我是银行法务部的律师 never passed a gap that refuses 不.
NEGATED_CLASS = re.compile(r"\[\^([^\]]*)\]")
HAN_CHARACTER = re.compile(r"[\u4e00-\u9fff]")


def han_free_gaps(pattern: str) -> str:
    """``pattern`` with the Chinese characters taken out of its negated classes: spelt by sound,
    it matches wherever the pattern as written does (the prefilter must never skip a hit)."""

    def widened(match: re.Match) -> str:
        kept = HAN_CHARACTER.sub("", match.group(1))
        return f"[^{kept}]" if kept else "."

    return NEGATED_CLASS.sub(widened, pattern)


def reads_pauses(utterance: Utterance) -> bool:
    """Whether the punctuation of ``utterance`` is a recogniser's (the segment has its confidence),
    which marks where the speaker paused, not a writer's."""
    return utterance.segment.confidence is not None


def _clause_start(text: str, start: int) -> int:
    return max((text.rfind(ch, 0, start) for ch in CLAUSE_BREAKS), default=-1) + 1


def cancelled_by(
    lexicon: CategoryLexicon,
    utterance: Utterance,
    start: int,
    end: int,
    term: bool = False,
    agency: str = "",
    rule: Rule | None = None,
) -> tuple[str, str] | None:
    """The cancel and its cue that cancel a hit at [start, end) (negation, reported speech...), if
    any: the file's cues, and those of the ``rule`` that found it.
    ``term``: the hit is one of a rule's fixed phrases, never cancelled from inside; ``agency``:
    the call's calling company, for cues that hold only on some companies' calls.

    Cues are compared by sound as well, so a misheard cue (不回 for 不会) still cancels; numerals
    are read as written (``Utterance.cue_sound``). A cue written in dialect cancels as its Mandarin
    reading does (唔会 as 不会), the hit being found on that reading.
    """
    text = utterance.text
    # each text a cue is looked for in: as written, and read as Mandarin (唔会 as 不会) where it differs
    readings = [(text, utterance.cue_sound)]
    if utterance.mandarin != text:
        readings.append((utterance.mandarin, cue_sound_text(utterance.mandarin)))
    # A cue before the hit must be in its clause (你不还，我们就上门 is no negation); a denial
    # after it may close the sentence (黑名单，我们公司是没有的).
    clause, (sentence_start, right) = _clause_start(text, start), sentence_bounds(text, start, end)
    for cancel in [*lexicon.cancels, *(rule.cancels if rule else ())]:
        if not cancel.applies_on(agency):
            continue
        if not cancel.framed_in(text[sentence_start:right]):
            continue
        longest = max(map(len, cancel.cues), default=0)
        windows = []
        if cancel.before is not None:
            left = sentence_start if cancel.sentence else clause
            windows.append(slice(max(left, start - cancel.before - longest), start))
        if cancel.after is not None:
            windows.append(slice(end, min(right, end + cancel.after + longest)))
        if cancel.within and not term:
            windows.append(slice(start, end))
        for reading, sound in readings:
            written, spelt = cancel.without_exceptions(reading), cancel.without_exceptions(sound, by_sound=True)
            for window in windows:
                cue = cancel.found_in(written[window]) or cancel.found_in(
                    spelt[window], by_sound=True, written=written[window]
                )
                if cue:
                    return cancel.name, cue
    return None


@dataclass
class Joined:
    """An utterance read with its pauses closed: ``utterance`` without the commas ``PAUSE`` finds,
    ``offsets`` the place in the original text of each of its characters, ``cuts`` where a comma
    was taken out (before which of its characters); ``filled`` the original with each of those
    commas a character that is no break (``FILLER``)."""

    utterance: Utterance
    offsets: list[int]
    cuts: list[int]
    source: Utterance  # the utterance as recognised
    pauses: list[int]  # the commas' places in its text

    @functools.cached_property
    def filled(self) -> Utterance:
        def fill(text: str) -> str:
            chars = list(text)
            for at in self.pauses:
                chars[at] = FILLER
            return "".join(chars)

        return _each_reading(self.source, fill)

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1

    def spans_a_cut(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` holds a closed pause and does not end inside a word begun after
        it: 派人去拖，车门 closed reads 拖车 only by cutting 车门."""
        inside = [cut for cut in self.cuts if start < cut < end]
        if not inside:
            return False
        after = self.utterance.text[inside[-1] :]  # a word begun at the last cut or later
        return not inside_word(after, end - inside[-1])

    def gap_over_pause(self, start: int, end: int, filled_spans: list[tuple[int, int]]) -> bool:
        """Whether a span of the rule on ``filled`` takes a pause of ``[start, end)`` (original
        offsets) into one of its gaps: the rule reads a break there (its gaps stop at a comma),
        so the recogniser's comma, a pause in a phrase or not, is read as one."""
        return any(s <= pause < e and start <= pause < end for s, e in filled_spans for pause in self.pauses)


def joined_over_pauses(utterance: Utterance) -> Joined | None:
    """``utterance`` with its pauses closed (``Joined``); None where it has none."""
    removed = {m.start() for m in PAUSE.finditer(utterance.text)}
    if not removed:
        return None
    offsets = [i for i in range(len(utterance.text)) if i not in removed]

    def closed(text: str) -> str:
        return "".join(text[i] for i in offsets)

    cuts = [j for j in range(1, len(offsets)) if offsets[j] - offsets[j - 1] > 1]
    return Joined(_each_reading(utterance, closed), offsets, cuts, utterance, sorted(removed))


def _each_reading(u: Utterance, change: Callable[[str], str]) -> Utterance:
    """``u`` with ``change`` made to each of its readings (as repaired, by sound, as Mandarin, as heard)."""
    return Utterance(
        u.index,
        u.segment,
        u.role,
        u.role_reason,
        change(u.text),
        change(u.sound),
        mandarin=change(u.mandarin),
        heard=change(u.heard),
    )


CONTEXT_SOUNDS = frozenset(sound_text("".join(CONTEXT_CHARACTERS)))


def heard_text(utterance: Utterance, keywords: frozenset[str]) -> str:
    """``utterance``'s text as a match by sound reads it: spelt by sound where it sounds like one
    of ``keywords`` (at that keyword's own place: 店话 for 电话) or like a small context word (拟
    for 你), as written elsewhere, so that a single word a rule needs (借, 收, 钱) is never taken
    from a homophone that stands for no keyword (杰 in a name, 受 of 受托, 前 of 之前)."""
    sound = utterance.heard
    heard = [s if s in CONTEXT_SOUNDS else ch for ch, s in zip(utterance.mandarin, sound)]
    for keyword in keywords:
        spelt = sound_text(keyword)
        at = sound.find(spelt)
        while at >= 0:
            heard[at : at + len(spelt)] = sound[at : at + len(spelt)]
            at = sound.find(spelt, at + 1)
    return "".join(heard)


def said_in_name(text: str, start: int, end: int, names: list[str]) -> bool:
    """Whether ``text[start:end]`` is said as part of one of ``names`` (the call's agency, its
    lender): two or more of the name's own characters stand around it as the name has them
    (典当 in 鼎丰典当的小王, the caller 沈阳鼎丰典当行有限公司), so it names who calls, not what
    the agent says."""
    word = text[start:end]
    for name in names:
        at = name.find(word)
        while at >= 0:
            before = len(commonprefix([text[:start][::-1], name[:at][::-1]]))
            after = len(commonprefix([text[end:], name[at + len(word) :]]))
            if before + after >= 2:
                return True
            at = name.find(word, at + 1)
    return False


def has_needed(rule: Rule, utterance: Utterance, start: int, end: int) -> bool:
    """Whether the sentence of ``utterance.mandarin[start:end]`` (the hit included) holds what ``rule`` needs
    there, as written: what a rule needs is a word of its own (交, 转过来), and spelt by sound
    it would be any of its homophones (叫, 较)."""
    if rule.needs is None:
        return True
    text = utterance.mandarin
    left, right = sentence_bounds(text, start, end)
    return rule.needs.search(text, left, right) is not None


class LexiconRecognizer(Detector):
    """One category's lexicon over the utterances of the speaker it applies to."""

    family = "lexicon"

    def __init__(
        self,
        lexicon: CategoryLexicon,
        severity: str,
        homophone_factor: float = LexiconSettings.homophone_factor,
        guessed_role_factor: float = LexiconSettings.guessed_role_factor,
    ):
        self.lexicon = lexicon
        self.categories = (lexicon.category,)
        self.severity = severity  # of a rule that gives none
        self.name = f"lexicon:{lexicon.category}"
        self.homophone_factor = homophone_factor
        self.guessed_role_factor = guessed_role_factor
        # One search over all rules, spelt by sound (so it also finds what the rules find as
        # written), tells whether an utterance needs the rule-by-rule pass: most match nothing.
        # Each rule sits behind its own start filter, so that where one rule can begin the
        # search does not try all the others.
        self.any_rule = SoundRegex(
            "|".join(with_start_filter(f"(?:{han_free_gaps(r.regex.pattern)})") for r in lexicon.rules)
        )

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        """One recognizer per lexicon file (in file order) whose category runs."""
        settings = resources.settings
        return [
            cls(
                lexicon,
                severity=settings.severity(lexicon.category),
                homophone_factor=settings.lexicon.homophone_factor,
                guessed_role_factor=settings.lexicon.guessed_role_factor,
            )
            for lexicon in resources.lexicons
            if lexicon.category in categories
        ]

    def applies_to(self, utterance: Utterance) -> bool:
        return self.lexicon.speaker == "any" or utterance.role == self.lexicon.speaker

    def hits(self, utterance: Utterance, agency: str = "", third_party: bool = False, answered: str = "") -> list[Hit]:
        """Each rule's matches on the repaired text read as Mandarin (the dialect words the
        dialogue file lists: 俺 as 我, 唔 as 不, 佢 as 他); a rule that finds nothing there is
        tried again by sound (lower score), and on a recogniser's text with its pauses closed
        (``Joined``). ``third_party``: the turn
        was heard by someone known not to be the debtor (rules that say so do not apply);
        ``answered``: the other party's turn just before (for rules with ``answers``)."""
        hits: list[Hit] = []
        whole = self.any_rule.span(utterance.heard) is not None
        joined = joined_over_pauses(utterance) if reads_pauses(utterance) else None
        if joined is not None and self.any_rule.span(joined.utterance.heard) is None:
            joined = None
        if not whole and joined is None:
            return hits
        for rule in self.lexicon.rules:
            if third_party and not rule.to_third_party:
                continue
            if rule.answers is not None and not rule.answers.search(answered):
                continue
            found, by_sound = self._found(rule, utterance, agency) if whole else ([], False)
            if not found and joined is not None:
                spans, by_sound = self._found(rule, joined.utterance, agency)
                found = [joined.original(start, end) for start, end in spans if joined.spans_a_cut(start, end)]
                if found:
                    filled = self._found(rule, joined.filled, agency)[0]
                    found = [(start, end) for start, end in found if not joined.gap_over_pause(start, end, filled)]
            for start, end in found:
                repairs = utterance.repairs_in(start, end)
                parts = [("rule", rule.score)]
                if repairs or by_sound:
                    parts.append(("homophone", self.homophone_factor))
                if utterance.role_reason:
                    parts.append(("guessed_role", self.guessed_role_factor))
                hits.append(Hit(rule, start, end, tuple(parts), repairs, by_sound))
        return hits

    def _found(self, rule: Rule, utterance: Utterance, agency: str) -> tuple[list[tuple[int, int]], bool]:
        """``rule``'s spans on ``utterance`` read as Mandarin, or else by sound; and whether by sound."""
        found = self._matches(rule, rule.regex, utterance.mandarin, utterance, agency)
        if found or rule.sound_regex is None or not rule.sound_regex.search(utterance.heard):
            return found, False
        both_ways = compiled(spelt_both_ways(rule.sound_pattern))
        heard = heard_text(utterance, rule.keywords)
        found = [
            (start, end)
            for start, end in self._matches(rule, both_ways, heard, utterance, agency)
            if any(word in utterance.mandarin[start:end] for word in rule.keywords)
        ]
        return found, bool(found)

    def cancelled_on(self, utterance: Utterance, agency: str = "") -> list[tuple[str, str]]:
        """(cancel name, cue) of each rule's match, as written, that a cancel took on ``utterance``."""
        taken = []
        for rule in self.lexicon.rules:
            for start, end, term in self._spans(rule, rule.regex, utterance.mandarin, utterance):
                cancelled = cancelled_by(self.lexicon, utterance, start, end, term, agency, rule)
                if cancelled:
                    taken.append(cancelled)
        return taken

    def _matches(
        self, rule: Rule, regex: re.Pattern, text: str, utterance: Utterance, agency: str
    ) -> list[tuple[int, int]]:
        """Spans of ``regex`` (``rule``'s, as written or by sound) in ``text`` not cancelled."""
        return [
            (start, end)
            for start, end, term in self._spans(rule, regex, text, utterance)
            if not cancelled_by(self.lexicon, utterance, start, end, term=term, agency=agency, rule=rule)
        ]

    @staticmethod
    def _spans(rule: Rule, regex: re.Pattern, text: str, utterance: Utterance) -> Iterator[tuple[int, int, bool]]:
        """Each non-empty span of ``regex`` in ``text`` holding what ``rule`` needs (and a sum grown
        as ``grown_from`` asks), with whether it is one of the rule's terms."""
        for m in regex.finditer(text):
            start, end = m.span()
            if (
                end > start
                and has_needed(rule, utterance, start, end)
                and (rule.grown_from is None or grown(utterance.text, start, end, rule.grown_from))
            ):
                yield start, end, utterance.mandarin[start:end] in rule.terms

    def analyze(self, view: CallView) -> list[Result]:
        findings = []
        last_turns: dict[str, tuple[int, str]] = {}  # each role's latest turn: its place and text
        for i, utterance in enumerate(view.utterances):
            answered = max((t for role, t in last_turns.items() if role != utterance.role), default=(-1, ""))[1]
            last_turns[utterance.role] = (i, utterance.text)
            if not self.applies_to(utterance):
                continue
            hearing = view.listening.hearings.get(utterance.index)
            third_party = hearing is not None and hearing.third_party is not None
            hits = [
                h
                for h in self.hits(utterance, view.call.agency or "", third_party, answered)
                if not said_in_name(utterance.text, h.start, h.end, view.call.names)
            ]
            if hits:
                findings.append(self._finding(view, utterance, hits))
        return findings

    def _finding(self, view: CallView, utterance: Utterance, hits: list[Hit]) -> Result:
        best = max(hits, key=lambda h: h.score)
        segment = utterance.segment
        labels = list(dict.fromkeys(h.rule.label for h in hits))
        repairs = list({(r.heard, r.word, r.pinyin): r for h in hits for r in h.repairs}.values())
        explanation = Explanation(
            detector=self.name,
            text=sentence("lexicon", snippet=_snippet(segment.text, best.start, best.end), rules=labels),
            matched=tuple(dict.fromkeys(utterance.text[h.start : h.end] for h in hits)),
            repairs=tuple(f"{r.heard}→{r.word} ({r.pinyin})" for r in repairs),
            by_sound=tuple(dict.fromkeys(h.rule.label for h in hits if h.by_sound)),
            cancels_checked=tuple(cancel.name for cancel in self.lexicon.cancels),
            role_guessed=bool(utterance.role_reason),
            role_reason=utterance.role_reason,
            score_parts=best.parts,
        )
        severity = max((h.rule.severity or self.severity for h in hits), key=SEVERITIES[::-1].index)
        return utterance_result(
            view,
            utterance,
            self.lexicon.category,
            severity,
            round(best.score, 3),
            best.rule.clauses,
            explanation,
            span=(best.start, best.end),
        )


def _snippet(text: str, start: int, end: int, margin: int = 12) -> str:
    """The hit with some context, cut at the segment's ends (offsets are the same in both texts)."""
    left = max(0, start - margin)
    right = min(len(text), end + margin)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")
