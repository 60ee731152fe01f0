"""The category lexicons: ``lexicons/<category>.yaml`` files of phrases an analyst edits (see the
comment at the top of ``lexicons/threat.yaml`` for the format).

Loading validates every file against its schema and the category table, and reports every
mistake with its file, line and reason (``LexiconError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.categories import CATEGORY_FILE, SEVERITIES, CategoryTable
from pipeline.detect.sound import checked_regex, cue_sound_text, sound_text
from pipeline.patterns import compiled
from pipeline.yamldoc import LexiconError, YamlDoc

SPEAKER_SCOPES = ("agent", "customer", "any")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Small words that carry a rule's context rather than its meaning (see Rule.keywords).
CONTEXT_CHARACTERS = frozenset(
    "你您我们是的就了在会要把给让找去到说这那他她也都还不没有很吧吗呢啊个人家里和跟被对过来着能想再已经边属于代表现今刚才"
)
DIALOGUE_FILE = "dialogue.yaml"


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
    # Cues that cancel this rule's hits only, besides the file's (a condition, 如果 or 的话,
    # makes a claimed proceeding a lawful possibility; it does not soften 再不还就坐牢).
    cancels: list[CancelCue] = field(default_factory=list)
    # What a hit needs in its sentence (the hit included) to count: a fee named with its price is
    # a charge only when someone is told to pay it (交/转过来/你来出). None: nothing.
    needs: re.Pattern | None = None
    # What the other party's turn just before must hold for a hit to count: a sale urged right
    # after the customer said the thing is not theirs (那是我姐的车). None: nothing.
    answers: re.Pattern | None = None
    # A hit's last sum must be at least this many times the last sum said before it on the line
    # (a balance said to have grown from one to the other: 三万，现在连本带利六万了). None: no sums.
    grown_from: float | None = None
    # False: the rule does not fire on a turn heard by someone known not to be the debtor (said
    # to his mother, 找您儿子 is the debtor looked for, not his family threatened).
    to_third_party: bool = True
    # The patterns and terms of ``sound_regex`` as written (what a match by sound is checked on).
    sound_pattern: str = ""


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
    # The cue also counts inside a pattern's own match (我们的人不会上门 matched from 我们的人):
    # a span that holds its own negation is negated. A term is never cancelled from inside
    # (不是东西 is an insult, not a denial).
    within: bool = False
    # The cue counts only on calls whose calling company (the call's ``agency``) names one of
    # these: 我是某某律师事务所的 is the truth on a call the phone system records as a law firm's.
    agency: list[str] = field(default_factory=list)
    # The cue counts only where the hit's sentence also holds one of these words: a judgment and
    # its non-performance are a lawful condition when framed as one (判决以后还不履行，才可能…),
    # and a claim when said as done (已经判决了，你没有履行，现在进入强制执行).
    framed_by: list[str] = field(default_factory=list)

    def applies_on(self, agency: str) -> bool:
        return not self.agency or any(kind in agency for kind in self.agency)

    def framed_in(self, sentence: str) -> bool:
        return not self.framed_by or any(word in sentence for word in self.framed_by)

    def __post_init__(self):
        self.spelt = {
            False: (self.cues, self.unless),
            True: ([cue_sound_text(c) for c in self.cues], [cue_sound_text(u) for u in self.unless]),
        }

    def found_in(self, window: str, by_sound: bool = False, written: str | None = None) -> str | None:
        """The cue in ``window`` (both spelt by sound when ``by_sound``: ``window`` by ``cue_sound_text``).
        By sound, with ``written`` (the window as written): a cue of two characters or more that keeps
        one of its own characters in place there, as homophone repair is guarded (不回 for 不会, not
        写上 for 协商 nor 待不 for 逮捕)."""
        cues, _ = self.spelt[by_sound]
        window = self.without_exceptions(window, by_sound)
        for i, cue in enumerate(cues):
            at = window.find(cue)
            while at >= 0:
                if written is None or _keeps_own(self.cues[i], written[at : at + len(cue)]):
                    return self.cues[i]
                at = window.find(cue, at + 1)
        return None

    def without_exceptions(self, text: str, by_sound: bool = False) -> str:
        """``text`` with the ``unless`` phrases blanked, same length: blanked in a whole sentence
        before a window is cut from it, a phrase that the window's edge cuts (跟她|说) still
        keeps its cue from counting."""
        for phrase in self.spelt[by_sound][1]:
            text = text.replace(phrase, "□" * len(phrase))
        return text


def _keeps_own(cue: str, heard: str) -> bool:
    return len(cue) >= 2 and any(a == b for a, b in zip(cue, heard))


@dataclass
class CategoryLexicon:
    category: str
    speaker: str
    rules: list[Rule]
    cancels: list[CancelCue]
    vocabulary: set[str] = field(default_factory=set)  # words homophone repair puts back
    kept: set[str] = field(default_factory=set)  # words it holds where written (the cancelling cues)


_CATEGORY_KEYS = ("category", "score", "speaker", "clauses", "sets", "rules", "cancel", "domain_words")
_RULE_KEYS = (
    "id",
    "label",
    "terms",
    "patterns",
    "severity",
    "score",
    "clauses",
    "cancel",
    "by_sound",
    "needs",
    "answers",
    "grown_from",
    "to_third_party",
)
_CANCEL_KEYS = ("name", "cues", "before", "after", "unless", "sentence", "within", "agency", "framed_by")


def _ratio(doc: YamlDoc, value: Any, keys: tuple) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 1:
        doc.problem(keys, f"must be a number above 1 (how many times the earlier sum), got {value!r}")
        return None
    return float(value)


def _score(doc: YamlDoc, value: Any, keys: tuple, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        doc.problem(keys, f"must be a number above 0 and at most 1, got {value!r}")
        return default
    return float(value)


def _flag(doc: YamlDoc, value: Any, keys: tuple) -> bool:
    if not isinstance(value, bool):
        doc.problem(keys, f"must be true or false, got {value!r}")
        return True
    return value


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
            doc.problem(
                keys,
                f"{clause!r} is not a clause of {category} in {table.path.name} ({', '.join(table[category].clauses)})",
            )
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
        doc.problem(
            ("category",), f"{category!r} is not a category of {table.path} (known: {', '.join(table.categories)})"
        )
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
                regex=compiled("|".join(alternatives)),
                # by_sound: false for rules whose open slots would let any homophone through
                # (八十八天了 read as 把…填了)
                sound_regex=compiled(sound_text("|".join(by_sound)))
                if by_sound and raw.get("by_sound", True) is not False
                else None,
                sound_pattern="|".join(by_sound),
                keywords=frozenset(
                    run for run in HAN_RUN.findall("|".join(alternatives)) if not set(run) <= CONTEXT_CHARACTERS
                ),
                terms=frozenset(terms),
                severity=_severity(doc, raw.get("severity"), keys + ("severity",)),
                score=_score(doc, raw.get("score"), keys + ("score",), default_score),
                clauses=_clauses(doc, raw["clauses"], keys + ("clauses",), table, category)
                if "clauses" in raw
                else clauses,
                cancels=_cancels(doc, raw.get("cancel"), keys + ("cancel",)),
                needs=_needs(doc, raw.get("needs"), sets, keys + ("needs",)),
                answers=_needs(doc, raw.get("answers"), sets, keys + ("answers",)),
                grown_from=_ratio(doc, raw.get("grown_from"), keys + ("grown_from",)),
                to_third_party=_flag(doc, raw.get("to_third_party", True), keys + ("to_third_party",)),
            )
        )

    cancels = _cancels(doc, data.get("cancel"), ("cancel",))
    domain = doc.strings(data.get("domain_words"), ("domain_words",))
    doc.raise_problems()
    # Homophone repair puts back the terms and the longer words of `sets` (律师事务所); short set
    # words (人事, 朋友...) are too common to repair towards unless an analyst lists them in
    # domain_words. The cancelling cues it only holds where written (homophones.py says why).
    vocabulary = set(domain)
    for rule_terms in (r.terms for r in rules):
        vocabulary.update(rule_terms)
    for items in sets.values():
        vocabulary.update(word for word in items if len(word) >= 3)
    kept = {cue for cancel in [*cancels, *(c for r in rules for c in r.cancels)] for cue in cancel.cues}
    return CategoryLexicon(
        category=category,
        speaker=speaker,
        rules=rules,
        cancels=cancels,
        vocabulary=vocabulary,
        kept=kept,
    )


def _cancels(doc: YamlDoc, value: Any, where: tuple) -> list[CancelCue]:
    """The cancelling cues of a file or of one rule."""
    cancels: list[CancelCue] = []
    raw_cancels = value or []
    if not isinstance(raw_cancels, list):
        doc.problem(where, "must be a list of {name, cues, before/after}")
        raw_cancels = []
    for i, raw in enumerate(raw_cancels):
        keys = where + (i,)
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
                within=raw.get("within") is True,
                agency=doc.strings(raw.get("agency"), keys + ("agency",)),
                framed_by=doc.strings(raw.get("framed_by"), keys + ("framed_by",)),
            )
        )
    return cancels


def _needs(doc: YamlDoc, value: Any, sets: dict[str, list[str]], keys: tuple) -> re.Pattern | None:
    """A rule's ``needs`` or ``answers``: patterns of which one must be in a hit's sentence, or in
    the other party's turn before it (None: none given)."""
    patterns = [
        expanded
        for j, pattern in enumerate(doc.strings(value, keys))
        if (expanded := _expand_sets(doc, pattern, sets, keys + (j,))) is not None
        and doc.regex(expanded, keys + (j,)) is not None
    ]
    return compiled("|".join(f"(?:{p})" for p in patterns)) if patterns else None


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
