"""Lexicon detectors: per-category YAML files of phrases, with homophone-tolerant matching.

An analyst edits ``lexicons/<category>.yaml`` (see the comment at the top of
``lexicons/threat.yaml`` for the format). Loading validates every file and reports a mistake
with its file, line and reason. Matching works on the text after ``HomophoneRepairer`` has
put lexicon words back where speech recognition wrote a homophone (发院 → 法院, 预期 → 逾期,
律诗 → 律师): toneless pinyin of whole multi-syllable words that do not cut through a
dictionary word, so one shared syllable never counts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from ..calls import Finding
from ..categories import CATEGORY_FILE, CategoryTable
from ..text import is_word
from .prefilter import with_start_filter
from .view import CallView, Repair, Utterance, ViewDetector
from ..yamldoc import LexiconError, YamlDoc

SEVERITIES = ("high", "medium", "low")
SPEAKER_SCOPES = ("agent", "customer", "any")
CLAUSE_BREAKS = "，。？！；,.?!;…~"
SENTENCE_ENDS = "。？！.?!"
HAN = re.compile(r"^[\u4e00-\u9fff]+$")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Small words that carry a rule's context rather than its meaning (see Rule.keywords).
CONTEXT_CHARACTERS = frozenset("你您我们是的就了在会要把给让找去到说这那他她也都还不没有很吧吗呢啊个人家里和跟被对过来着能想再已经边属于代表现今刚才")
HAN_RANGE = re.compile(r"[\u4e00-\u9fff]-[\u4e00-\u9fff]")  # [一-龥] has no meaning spelt by sound
DIALOGUE_FILE = "dialogue.yaml"


# --- homophone repair ----------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _reading(char: str) -> str:
    """The toneless pinyin of one character's usual reading; "" if it is not Han.

    Only the usual reading: pypinyin also lists rare ones (款 xin, 担 jie) that would make
    unrelated words sound alike. Polyphones in lexicon words are covered from the other side:
    each word is indexed under its phrase reading (银行 yin hang) and its per-character one.
    """
    if not HAN.match(char):
        return ""
    from pypinyin import Style, pinyin

    return pinyin(char, style=Style.NORMAL)[0][0]


def _fuzzy(syllable: str) -> str:
    """Merge the sounds Mandarin speakers and recognisers confuse most: zh/z, ch/c, sh/s, n/l, -ng/-n."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
    if syllable.startswith("n") and len(syllable) > 1 and syllable[1] != "g":
        syllable = "l" + syllable[1:]
    if syllable.endswith("ng") and len(syllable) > 2:
        syllable = syllable[:-1]
    return syllable


def _fuzzy_reading(char: str) -> str:
    return _fuzzy(_reading(char))


class _SoundSpelling(dict):
    """str.translate table: one private-use character per syllable, filled on demand.

    ``reading`` gives a character's syllable (``_reading``, or ``_fuzzy_reading`` for the
    spelling in which zh/z, n/l, -ng/-n... sound the same).
    """

    def __init__(self, reading: Callable[[str], str], first_codepoint: int):
        super().__init__()
        self.reading = reading
        self.first_codepoint = first_codepoint
        self.by_syllable: dict[str, int] = {}

    def syllable(self, syllable: str) -> str:
        return chr(self.by_syllable.setdefault(syllable, self.first_codepoint + len(self.by_syllable)))

    def __missing__(self, codepoint: int) -> int:
        syllable = self.reading(chr(codepoint))
        value = ord(self.syllable(syllable)) if syllable else codepoint
        self[codepoint] = value
        return value


_SOUND_SPELLING = _SoundSpelling(_reading, 0xE000)
_FUZZY_SPELLING = _SoundSpelling(_fuzzy_reading, 0xF000)


def sound_text(text: str) -> str:
    """``text`` spelt by sound, character for character (same length, punctuation kept):
    你 and 拟 both become the private-use character for ni.

    Regular expressions spelt the same way match whatever homophones the recogniser wrote,
    context words included (拟再不还 for 你再不还).
    """
    return text.translate(_SOUND_SPELLING)


def checked_regex(doc: YamlDoc, pattern: str, keys: tuple) -> re.Pattern | None:
    """``doc.regex`` (it compiles, no nested repeats), and it must also compile spelt by sound."""
    compiled = doc.regex(pattern, keys)
    if compiled is None:
        return None
    try:
        if HAN_RANGE.search(pattern):
            raise re.error("a range of Chinese characters")
        re.compile(sound_text(pattern))
    except re.error as exc:
        doc.problem(keys, f"{pattern!r} cannot be matched by sound ({exc.msg}): list the characters instead")
        return None
    return compiled


class SoundRegex:
    """A regular expression matched on the text spelt by sound (``sound_text``).

    Spelt by sound, the pattern matches the words as written and every homophone of them, so
    one search covers both; the span is the same in the text.
    """

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.sound_regex = re.compile(with_start_filter(sound_text(pattern)))

    def span(self, sound: str) -> tuple[int, int] | None:
        match = self.sound_regex.search(sound)
        return match.span() if match else None


@dataclass(frozen=True)
class _Sound:
    word: str
    syllables: tuple[str, ...]
    spelt: str  # the syllables spelt as in sound_text (or its fuzzy spelling)
    fuzzy: bool


class HomophoneRepairer:
    """Puts vocabulary words back where the text holds a homophone of them.

    A word of two syllables must match its toneless pinyin exactly, keep one of its
    characters (发院, 律诗, 预期 do; 老李 for 牢里 does not: two sounds alike by chance), and
    not cut through a dictionary word, so 办法院子 (办法|院子) never yields 法院. A longer
    word may also match with the fuzzy sounds of ``_fuzzy``, and needs neither check: three
    syllables in a row rarely sound alike by chance, while garbled text cuts badly (度消满的
    is not cut at 满|的). Each Han character is one syllable, so a repair keeps the text's
    length and every offset.
    """

    def __init__(self, vocabulary: Iterable[str]):
        from pypinyin import lazy_pinyin

        is_word("")  # load jieba's dictionary now, with the lexicons (and before workers fork)
        # words by the spelling of their first two syllables, in each spelling
        self.by_start: dict[bool, dict[str, list[_Sound]]] = {False: {}, True: {}}
        for word in sorted(set(vocabulary)):
            if len(word) < 2 or not HAN.match(word):
                continue
            variants = {tuple(lazy_pinyin(word)), tuple(_reading(ch) for ch in word)}
            for fuzzy in (False, True) if len(word) >= 3 else (False,):
                spelling = _FUZZY_SPELLING if fuzzy else _SOUND_SPELLING
                for variant in variants:
                    syllables = tuple(_fuzzy(x) for x in variant) if fuzzy else variant
                    spelt = "".join(spelling.syllable(x) for x in syllables)
                    sound = _Sound(word, syllables, spelt, fuzzy)
                    starts = self.by_start[fuzzy].setdefault(spelt[:2], [])
                    if sound not in starts:
                        starts.append(sound)

    def _candidates(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, word, pinyin) of every vocabulary word whose sound appears in ``text``."""
        found = []
        for fuzzy, spelling in ((False, _SOUND_SPELLING), (True, _FUZZY_SPELLING)):
            table = self.by_start[fuzzy]
            spelt = text.translate(spelling)
            for i in range(len(spelt) - 1):
                for sound in table.get(spelt[i : i + 2], ()):
                    if spelt.startswith(sound.spelt, i):
                        found.append((i, i + len(sound.spelt), sound.word, " ".join(sound.syllables)))
        return found

    def repair(self, text: str) -> tuple[str, list[Repair]]:
        candidates = self._candidates(text)
        if not candidates:
            return text, []
        # Literal occurrences first, then longer words; overlapping later candidates lose.
        candidates.sort(key=lambda c: (text[c[0] : c[1]] != c[2], -(c[1] - c[0]), c[0]))
        taken = [False] * len(text)
        repairs: list[Repair] = []
        for start, end, word, sound in candidates:
            if any(taken[start:end]):
                continue
            heard = text[start:end]
            if heard != word:
                if end - start == 2 and (
                    not set(heard) & set(word) or _inside_word(text, start) or _inside_word(text, end)
                ):
                    continue
                repairs.append(Repair(start, end, heard, word, sound))
            for k in range(start, end):
                taken[k] = True
        if not repairs:
            return text, []
        chars = list(text)
        for r in repairs:
            chars[r.start : r.end] = r.word
        return "".join(chars), sorted(repairs, key=lambda r: r.start)


def _inside_word(text: str, position: int, longest: int = 4) -> bool:
    """Whether a dictionary word (jieba's) spans ``position``, as 办法 spans 办|法 in 办法院子.

    A dictionary look-up rather than a full cut: cutting every segment would cost more than
    everything else detection does.
    """
    for start in range(max(0, position - longest + 1), position):
        for end in range(position + 1, min(len(text), start + longest) + 1):
            if is_word(text[start:end]):
                return True
    return False


def clean_text(text: str) -> str:
    """Whitespace (Whisper's phrase breaks) becomes a clause break; offsets stay the same."""
    return re.sub(r"\s", "，", text)


# --- category lexicons ---------------------------------------------------------------------


@dataclass
class Rule:
    id: str
    label: str
    regex: re.Pattern
    sound_regex: re.Pattern | None  # patterns and terms of 3+ characters, spelt by sound
    # Words of the rule that carry meaning (法院, 领导, 上门; not 我是, 你的): a match by
    # sound must contain one as written (or repaired), or names would pass for keywords
    # (王静 sounds like 网警, 中原 like 中院).
    keywords: frozenset[str]
    terms: frozenset[str]
    severity: str | None  # None: the category's
    score: float
    clauses: list[str]


@dataclass
class CancelCue:
    name: str
    cues: list[str]
    before: int | None
    after: int | None
    unless: list[str] = field(default_factory=list)  # phrases in which a cue does not count
    # A cue before the hit may be anywhere in its sentence, not only in its clause: a lawful
    # condition (经法院判决后拒不履行的，可能被列为失信被执行人) governs the whole sentence.
    sentence: bool = False

    def __post_init__(self):
        self.spelt = {
            False: (self.cues, self.unless),
            True: ([sound_text(c) for c in self.cues], [sound_text(u) for u in self.unless]),
        }

    def found_in(self, window: str, by_sound: bool = False) -> str | None:
        """The cue in ``window`` (both spelt by sound when ``by_sound``)."""
        cues, unless = self.spelt[by_sound]
        for phrase in unless:
            window = window.replace(phrase, "□" * len(phrase))
        return next((self.cues[i] for i, cue in enumerate(cues) if cue in window), None)


@dataclass
class CategoryLexicon:
    category: str
    speaker: str
    rules: list[Rule]
    cancels: list[CancelCue]
    vocabulary: set[str] = field(default_factory=set)  # words for homophone repair


_CATEGORY_KEYS = ("category", "score", "speaker", "clauses", "sets", "rules", "cancel", "domain_words")
_RULE_KEYS = ("id", "label", "terms", "patterns", "severity", "score", "clauses")
_CANCEL_KEYS = ("name", "cues", "before", "after", "unless", "sentence")


def _score(doc: YamlDoc, value: Any, keys: tuple, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        doc.problem(keys, f"must be a number above 0 and at most 1, got {value!r}")
        return default
    return float(value)


def _severity(doc: YamlDoc, value: Any, keys: tuple) -> str | None:
    """A rule's own severity (None: the category's)."""
    if value is not None and value not in SEVERITIES:
        doc.problem(keys, f"must be one of {', '.join(SEVERITIES)}, got {value!r}")
        return None
    return value


def _clauses(doc: YamlDoc, value: Any, keys: tuple, table: CategoryTable, category: str | None) -> list[str]:
    """Clauses a file or rule cites: some of those the category table gives the category."""
    clauses = doc.strings(value, keys, required=True)
    if category in table:
        for clause in table.check_clauses(category, clauses):
            doc.problem(keys, f"{clause!r} is not a clause of {category} in {table.path.name} ({', '.join(table[category].clauses)})")
    return clauses


def parse_category_lexicon(doc: YamlDoc, table: CategoryTable) -> CategoryLexicon:
    data = doc.data
    if not isinstance(data, dict):
        doc.problem((), "must be a mapping with category, rules, ...")
        doc.raise_problems()
    doc.unknown_keys(data, _CATEGORY_KEYS, ())
    category = data.get("category")
    if not isinstance(category, str) or not category:
        doc.problem(("category",), "is required (a category id such as threat)")
    elif category not in table:
        doc.problem(("category",), f"{category!r} is not a category of {table.path} (known: {', '.join(table.categories)})")
    elif "lexicon" not in table[category].families:
        doc.problem(("category",), f"{table.path.name} does not list lexicon among the families that feed {category}")
    default_score = _score(doc, data.get("score"), ("score",), 0.9)
    speaker = data.get("speaker", "agent")
    if speaker not in SPEAKER_SCOPES:
        doc.problem(("speaker",), f"must be one of {', '.join(SPEAKER_SCOPES)}, got {speaker!r}")
    # A file may cite fewer clauses than the table gives its category; by default it cites them all.
    if "clauses" in data:
        clauses = _clauses(doc, data["clauses"], ("clauses",), table, category)
    else:
        clauses = table[category].clauses if category in table else []

    sets: dict[str, list[str]] = {}
    raw_sets = data.get("sets") or {}
    if not isinstance(raw_sets, dict):
        doc.problem(("sets",), "must be a mapping of name: [words]")
    else:
        for name, items in raw_sets.items():
            sets[str(name)] = doc.strings(items, ("sets", name), required=True)

    rules: list[Rule] = []
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        doc.problem(("rules",), "is required (a list of rules with terms or patterns)")
        raw_rules = []
    for i, raw in enumerate(raw_rules):
        keys = ("rules", i)
        if not isinstance(raw, dict):
            doc.problem(keys, "must be a mapping with id and terms or patterns")
            continue
        doc.unknown_keys(raw, _RULE_KEYS, keys)
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            doc.problem(keys + ("id",), "is required (a short name for the rule)")
            rule_id = f"rule{i}"
        terms = doc.strings(raw.get("terms"), keys + ("terms",))
        alternatives = [re.escape(t) for t in sorted(terms, key=len, reverse=True)]
        # Two-character terms stay out of the by-sound regex: too many words sound like them
        # (牢里 like 老李); homophone repair covers them, guarded by the dictionary.
        by_sound = [re.escape(t) for t in sorted(terms, key=len, reverse=True) if len(t) >= 3]
        for j, pattern in enumerate(doc.strings(raw.get("patterns"), keys + ("patterns",))):
            expanded = _expand_sets(doc, pattern, sets, keys + ("patterns", j))
            if expanded is not None and checked_regex(doc, expanded, keys + ("patterns", j)):
                alternatives.append(f"(?:{expanded})")
                by_sound.append(f"(?:{expanded})")
        if not terms and "patterns" not in raw:
            doc.problem(keys, "needs terms or patterns")
        if not alternatives:
            continue
        rules.append(
            Rule(
                id=rule_id,
                label=str(raw.get("label") or rule_id),
                regex=re.compile("|".join(alternatives)),
                sound_regex=re.compile(sound_text("|".join(by_sound))) if by_sound else None,
                keywords=frozenset(
                    run
                    for run in HAN_RUN.findall("|".join(alternatives))
                    if not set(run) <= CONTEXT_CHARACTERS
                ),
                terms=frozenset(terms),
                severity=_severity(doc, raw.get("severity"), keys + ("severity",)),
                score=_score(doc, raw.get("score"), keys + ("score",), default_score),
                clauses=_clauses(doc, raw["clauses"], keys + ("clauses",), table, category) if "clauses" in raw else clauses,
            )
        )

    cancels: list[CancelCue] = []
    raw_cancels = data.get("cancel") or []
    if not isinstance(raw_cancels, list):
        doc.problem(("cancel",), "must be a list of {name, cues, before/after}")
        raw_cancels = []
    for i, raw in enumerate(raw_cancels):
        keys = ("cancel", i)
        if not isinstance(raw, dict):
            doc.problem(keys, "must be a mapping with name, cues and before or after")
            continue
        doc.unknown_keys(raw, _CANCEL_KEYS, keys)
        windows = {}
        for side in ("before", "after"):
            value = raw.get(side)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                doc.problem(keys + (side,), f"must be a whole number of characters, got {value!r}")
                value = None
            windows[side] = value
        if windows["before"] is None and windows["after"] is None:
            doc.problem(keys, "needs before or after (how many characters from the hit)")
        cancels.append(
            CancelCue(
                name=str(raw.get("name") or "cancel"),
                cues=doc.strings(raw.get("cues"), keys + ("cues",), required=True),
                before=windows["before"],
                after=windows["after"],
                unless=doc.strings(raw.get("unless"), keys + ("unless",)),
                sentence=raw.get("sentence") is True,
            )
        )

    domain = doc.strings(data.get("domain_words"), ("domain_words",))
    doc.raise_problems()
    # Homophone repair uses the terms, the cancel cues (不回 is 不会 misheard) and the longer
    # words of `sets` (律师事务所); short set words (人事, 朋友...) are too common to repair
    # towards unless an analyst lists them in domain_words.
    vocabulary = set(domain)
    for rule_terms in (r.terms for r in rules):
        vocabulary.update(rule_terms)
    for cancel in cancels:
        vocabulary.update(cancel.cues)
    for items in sets.values():
        vocabulary.update(word for word in items if len(word) >= 3)
    return CategoryLexicon(
        category=category,
        speaker=speaker,
        rules=rules,
        cancels=cancels,
        vocabulary=vocabulary,
    )


def _expand_sets(doc: YamlDoc, pattern: str, sets: dict[str, list[str]], keys: tuple) -> str | None:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in sets:
            raise KeyError(name)
        return "|".join(re.escape(w) for w in sorted(sets[name], key=len, reverse=True))

    try:
        return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", replace, pattern)
    except KeyError as exc:
        doc.problem(keys, f"uses {{{exc.args[0]}}} but sets has no {exc.args[0]!r}")
        return None


def load_category_lexicons(lexicon_dir: Path, table: CategoryTable) -> list[CategoryLexicon]:
    """Every ``*.yaml`` with a ``category:`` key (dialogue.yaml has its own reader); each names a
    category of ``table`` that the lexicon family feeds.

    All files are checked before anything is reported, so one run lists every mistake.
    """
    lexicons: list[CategoryLexicon] = []
    problems: list[str] = []
    for path in sorted(Path(lexicon_dir).glob("*.yaml")):
        if path.name in (DIALOGUE_FILE, CATEGORY_FILE.name):
            continue
        try:
            doc = YamlDoc(path)
            if isinstance(doc.data, dict) and "category" not in doc.data and "rules" not in doc.data:
                continue  # another stage's word list, not a category lexicon
            lexicons.append(parse_category_lexicon(doc, table))
        except LexiconError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LexiconError(problems)
    return lexicons


# --- the detector --------------------------------------------------------------------------


@dataclass
class Hit:
    rule: Rule
    start: int
    end: int
    score: float
    repairs: list[Repair]
    by_sound: bool = False  # found only when the text was compared by sound


def _clause_start(text: str, start: int) -> int:
    return max((text.rfind(ch, 0, start) for ch in CLAUSE_BREAKS), default=-1) + 1


def _sentence_start(text: str, start: int) -> int:
    return max((text.rfind(ch, 0, start) for ch in SENTENCE_ENDS), default=-1) + 1


def _sentence_end(text: str, end: int) -> int:
    return min((i for i in (text.find(ch, end) for ch in SENTENCE_ENDS) if i >= 0), default=len(text))


def cancelled_by(lexicon: CategoryLexicon, utterance: Utterance, start: int, end: int) -> str | None:
    """The cue that cancels a hit at [start, end) (negation, reported speech...), if any.

    Cues are compared by sound as well, so a misheard cue (不回 for 不会) still cancels.
    """
    text, sound = utterance.text, utterance.sound
    # A cue before the hit must be in its clause (你不还，我们就上门 is no negation); a denial
    # after it may close the sentence (黑名单，我们公司是没有的).
    clause, right = _clause_start(text, start), _sentence_end(text, end)
    for cancel in lexicon.cancels:
        longest = max(map(len, cancel.cues), default=0)
        windows = []
        if cancel.before is not None:
            left = _sentence_start(text, start) if cancel.sentence else clause
            windows.append(slice(max(left, start - cancel.before - longest), start))
        if cancel.after is not None:
            windows.append(slice(end, min(right, end + cancel.after + longest)))
        for window in windows:
            cue = cancel.found_in(text[window]) or cancel.found_in(sound[window], by_sound=True)
            if cue:
                return f"{cancel.name}“{cue}”"
    return None


class LexiconDetector(ViewDetector):
    """One category's lexicon over the utterances of the speaker it applies to."""

    def __init__(self, lexicon: CategoryLexicon, severity: str, homophone_factor: float = 0.85, guessed_role_factor: float = 0.9):
        self.lexicon = lexicon
        self.severity = severity  # of a rule that gives none
        self.name = f"lexicon:{lexicon.category}"
        self.homophone_factor = homophone_factor
        self.guessed_role_factor = guessed_role_factor
        # One search over all rules, spelt by sound (so it also finds what the rules find as
        # written), tells whether an utterance needs the rule-by-rule pass: most match nothing.
        # Each rule sits behind its own start filter, so that where one rule can begin the
        # search does not try all the others.
        self.any_rule = SoundRegex("|".join(with_start_filter(f"(?:{r.regex.pattern})") for r in lexicon.rules))

    def applies_to(self, utterance: Utterance) -> bool:
        return self.lexicon.speaker == "any" or utterance.role == self.lexicon.speaker

    def hits(self, utterance: Utterance) -> list[Hit]:
        """Each rule's matches on the repaired text; a rule that finds nothing there is tried
        again with text and rule both spelt by sound (lower score)."""
        hits: list[Hit] = []
        if not self.any_rule.span(utterance.sound):
            return hits
        for rule in self.lexicon.rules:
            by_sound = False
            found = self._matches(rule.regex, utterance.text, utterance)
            if not found and rule.sound_regex is not None:
                found = [
                    (start, end)
                    for start, end in self._matches(rule.sound_regex, utterance.sound, utterance)
                    if any(word in utterance.text[start:end] for word in rule.keywords)
                ]
                by_sound = bool(found)
            for start, end in found:
                repairs = utterance.repairs_in(start, end)
                score = rule.score * (self.homophone_factor if repairs or by_sound else 1.0)
                if utterance.role_reason:
                    score *= self.guessed_role_factor
                hits.append(Hit(rule, start, end, score, repairs, by_sound))
        return hits

    def _matches(self, regex: re.Pattern, text: str, utterance: Utterance) -> list[tuple[int, int]]:
        """Spans of ``regex`` in ``text`` (the utterance's text or its sound) not cancelled."""
        return [
            m.span()
            for m in regex.finditer(text)
            if m.end() > m.start() and not cancelled_by(self.lexicon, utterance, m.start(), m.end())
        ]

    def analyze_view(self, view: CallView) -> list[Finding]:
        findings = []
        for utterance in view.utterances:
            if not self.applies_to(utterance):
                continue
            hits = self.hits(utterance)
            if hits:
                findings.append(self._finding(view, utterance, hits))
        return findings

    def _finding(self, view: CallView, utterance: Utterance, hits: list[Hit]) -> Finding:
        best = max(hits, key=lambda h: h.score)
        segment = utterance.segment
        matched = list(dict.fromkeys(utterance.text[h.start : h.end] for h in hits))
        labels = list(dict.fromkeys(h.rule.label for h in hits))
        quote = _snippet(segment.text, best.start, best.end)
        explanation = f"坐席说“{quote}”：{'、'.join(labels)}（命中词: {'、'.join(matched)}"
        repairs = list({(r.heard, r.word, r.pinyin): r for h in hits for r in h.repairs}.values())
        if repairs:
            explanation += "；拼音匹配 " + "，".join(f"{r.heard}→{r.word} ({r.pinyin})" for r in repairs)
        if any(h.by_sound for h in hits):  # name the rule: the text itself does not show the words
            explanation += "；按读音匹配规则“" + "、".join(dict.fromkeys(h.rule.label for h in hits if h.by_sound)) + "”"
        explanation += "）"
        if utterance.role_reason:
            explanation += f"；说话人由话术推断（{utterance.role_reason}）"
        return Finding(
            call_id=view.call.call_id,
            category=self.lexicon.category,
            severity=max((h.rule.severity or self.severity for h in hits), key=SEVERITIES[::-1].index),
            score=round(best.score, 3),
            start=segment.start,
            end=segment.end,
            speaker=utterance.role,
            segment_index=utterance.index,
            evidence=segment.text,
            clauses=best.rule.clauses,
            detector=self.name,
            explanation=explanation,
        )


def _snippet(text: str, start: int, end: int, margin: int = 12) -> str:
    """The hit with some context, cut at the segment's ends (offsets are the same in both texts)."""
    left = max(0, start - margin)
    right = min(len(text), end + margin)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")
