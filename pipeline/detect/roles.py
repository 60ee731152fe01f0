"""The speaker's role on a mono recording: every segment's speaker is ``unknown``; each one is
assigned to the agent or the customer from cues (the collector introduces, asks and demands; the
customer answers) and from turn-taking (the speakers mostly alternate), read over the whole call
at once: the roles that earn the most cue weight plus a bonus for every change of speaker. So a
run of turns without a cue takes its roles from the cued turns on both sides, not only from the
turn before it, and one weak cue does not outweigh the alternation around it. A segment that ends
on a clause break (a comma: the sentence is unfinished, the recogniser cut the speaker's breath)
is followed by the same speaker: there the bonus goes to keeping the speaker instead.

Besides the cues, every turn weighs its wording (``RoleWords``, ``models/role_words.json``): how
much more often each character, and each run of two or three, is said by collectors than by the
people they call, counted over the tune writers' calls where the speakers are written (both sides
talk about the same debt, but the collector says 您, 逾期, 核实, 处理 and the customer 我, 没钱,
啥, 下个月). A turn without any cue still leans one way, so a run of uncued turns no longer takes
its roles from turn order alone, and one turn of two by the same speaker (a customer going on
about their troubles) does not shift every role after it until the next cue.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.detect.dialogue_file import DialogueRules
from pipeline.resources import data_path

TURN_TAKING = "与上一句轮流"  # the reason of a role guessed from turn order alone, without any cue
ROLES = ("agent", "customer")
# What a change of speaker between two turns is worth, in cue weight: more than a weak cue (0.5,
# 1), less than a clear one (2) with the turns around it agreeing. The opening turn is the
# agent's (the agent placed the call) unless it is only a 喂 or a greeting: the callee's.
SWITCH = 1.5
UNFINISHED = ("，", ",", "、")
OPENING = 2.0
# A question is answered: the change of speaker after a turn that is one question is worth more.
# Not after a turn of several sentences: on a mono call it may hold both parties (喂，是X？是，
# 你哪位？), and the question closing it is then not the turn's speaker's.
ANSWERED = 2.5
QUESTION = re.compile(r"(?:[？?]|[吗呢](?:[，。！,.!\s]*))$")
SEVERAL_SENTENCES = re.compile(r"[。？！?!][，。？！?!,.\s]*[^，。？！?!,.\s]")
KNOWN = 1e6  # a speaker the transcript names is not guessed


WORDS_FILE = "role_words.json"
# What a turn's wording is worth: the sum of its n-grams' log-odds (which counts each word about
# three times, once per n-gram holding it) times SCALE, at most CLIP either way: a clear cue (2)
# plus the alternation around a turn outweighs wording alone. Chosen on the fresh4 writers, whose
# calls the counts do not hold (share of lines wrong with scale 0.05-0.1 and clip 2-3 within 0.1%).
WORDS_SCALE = 0.07
WORDS_CLIP = 3.0
WORDED = 1.0  # a turn whose wording leans this far to its guessed role gives that as the reason
WORDS_MIN_COUNT = 5  # an n-gram said fewer times over both roles is not weighed
_SPACE = re.compile(r"[\s，。？！、,.?!~～…:：;；\"“”'‘’（）()]")


def grams(text: str) -> set[str]:
    """The characters of a turn, and its runs of two and three, punctuation and spaces left out;
    ``^`` and ``$`` mark its start and end (嗯 said alone is not 嗯 opening a sentence)."""
    marked = "^" + _SPACE.sub("", text) + "$"
    return {marked[i : i + n] for n in (1, 2, 3) for i in range(len(marked) - n + 1)} - {"^", "$"}


@dataclass(frozen=True)
class RoleWords:
    """Log-odds that a turn holding each n-gram is the agent's (negative: the customer's)."""

    log_odds: dict[str, float]
    scale: float = WORDS_SCALE
    clip: float = WORDS_CLIP

    def lean(self, text: str) -> float:
        """How far the wording leans to the agent (positive) or the customer (negative)."""
        total = sum(self.log_odds.get(gram, 0.0) for gram in grams(text))
        return max(-self.clip, min(self.clip, total * self.scale))

    @classmethod
    def counted(cls, turns: Iterable[tuple[str, str]], min_count: int = WORDS_MIN_COUNT) -> RoleWords:
        """Counted from (role, text) turns: each n-gram's share of agent turns holding it against
        its share of customer turns (add-one smoothed)."""
        held = {"agent": Counter(), "customer": Counter()}
        turns_of = Counter()
        for role, text in turns:
            turns_of[role] += 1
            held[role].update(grams(text))
        log_odds = {}
        for gram in sorted(set(held["agent"]) | set(held["customer"])):
            agent, customer = held["agent"][gram], held["customer"][gram]
            if agent + customer >= min_count:
                log_odds[gram] = round(
                    math.log((agent + 1) / (turns_of["agent"] + 2))
                    - math.log((customer + 1) / (turns_of["customer"] + 2)),
                    2,
                )
        return cls(log_odds)

    def write(self, path: Path, source: str) -> None:
        data = {"source": source, "scale": self.scale, "clip": self.clip, "log_odds": self.log_odds}
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> RoleWords:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({str(k): float(v) for k, v in data["log_odds"].items()}, float(data["scale"]), float(data["clip"]))


@functools.lru_cache(maxsize=1)
def shipped_words() -> RoleWords | None:
    """The shipped counts (``models/role_words.json``), or None where the file is absent."""
    path = data_path("models", WORDS_FILE)
    return RoleWords.read(path) if path.is_file() else None


class RoleGuesser:
    """Agent or customer for each ``unknown`` segment, with the reason in Chinese."""

    def __init__(self, rules: DialogueRules, words: RoleWords | None = None, use_words: bool = True):
        self.cues = rules.role_cues
        self.filler = rules.filler
        self.words = (words or shipped_words()) if use_words else None

    def guess(
        self, texts: list[str], sounds: list[str], speakers: list[str], within: list[bool] | None = None
    ) -> list[tuple[str, str | None]]:
        """(role, reason) per segment; ``sounds`` are the texts spelt by sound (lexicon.sound_text).
        ``within``: per pair of neighbouring texts, whether they are sentences of one recognised
        segment (``pipeline.transcribe.split_mixed_turns``): one voice mostly goes on there, so
        the bonus goes to keeping the speaker, except after a question (its answer may have run
        into the same segment), where neither is favoured."""
        if not texts:
            return []
        weights, first_cues, leans = [], [], []
        for sound, text, speaker in zip(sounds, texts, speakers):
            totals = {"agent": 0.0, "customer": 0.0}
            first_cue: dict[str, str] = {}
            if speaker in ROLES:
                totals[speaker] = KNOWN
            for cue in self.cues if speaker == "unknown" else ():
                span = cue.regex.span(sound)
                if span:
                    totals[cue.role] += cue.weight
                    first_cue.setdefault(cue.role, text[span[0] : span[1]])
            lean = self.words.lean(text) if self.words is not None and speaker == "unknown" else 0.0
            totals["agent" if lean > 0 else "customer"] += abs(lean)
            leans.append(lean)
            weights.append(totals)
            first_cues.append(first_cue)
        opener = "customer" if self.filler.match(texts[0]) else "agent"
        weights[0][opener] += OPENING
        within = within or [False] * (len(texts) - 1)
        goes_on = [text.endswith(UNFINISHED) or inside for text, inside in zip(texts, within)]
        switch = [
            (0.0 if inside else SWITCH if SEVERAL_SENTENCES.search(text) else ANSWERED)
            if QUESTION.search(text)
            else SWITCH
            for text, inside in zip(texts, within)
        ]
        roles = best_roles(weights, goes_on, switch)
        out: list[tuple[str, str | None]] = []
        for i, (role, speaker, first_cue) in enumerate(zip(roles, speakers, first_cues)):
            if speaker != "unknown":
                out.append((speaker, None))
            elif role in first_cue and weights[i][role] - (OPENING if i == 0 else 0) > weights[i][other(role)]:
                out.append((role, f"{'坐席' if role == 'agent' else '客户'}话术“{first_cue[role]}”"))
            elif i == 0 and role == opener:
                out.append((role, "开场第一句"))
            elif (leans[i] if role == "agent" else -leans[i]) >= WORDED:
                out.append((role, f"用词像{'坐席' if role == 'agent' else '客户'}"))
            else:
                out.append((role, TURN_TAKING))
        return out


def other(role: str) -> str:
    return "customer" if role == "agent" else "agent"


def best_roles(weights: list[dict[str, float]], goes_on: list[bool], switch: list[float] | None = None) -> list[str]:
    """The roles with the most cue weight plus ``SWITCH`` per change of speaker, or per speaker
    kept after a segment that ``goes_on`` (Viterbi over the turns; a tie keeps the expected
    turn)."""
    best = dict(weights[0])
    back: list[dict[str, str]] = []
    for totals, same_speaker, worth in zip(weights[1:], goes_on, switch or [SWITCH] * len(goes_on)):

        def bonus(previous: str, role: str) -> float:
            return worth if (previous == role) == same_speaker else 0.0

        came_from = {role: max(ROLES, key=lambda p: (best[p] + bonus(p, role), bonus(p, role))) for role in ROLES}
        best = {role: best[came_from[role]] + bonus(came_from[role], role) + totals[role] for role in ROLES}
        back.append(came_from)
    role = max(ROLES, key=best.get)
    roles = [role]
    for came_from in reversed(back):
        role = came_from[role]
        roles.append(role)
    return roles[::-1]
