"""The operators of the analyst rule language, each a small class that evaluates itself on one
call and describes itself in Chinese (the explanation of a finding is built from these).

A condition evaluated on a call gives an ``Outcome``: whether it holds, and the hits that make it
hold (an utterance and what matched in it). Conditions that hold by absence (``keyword: none``,
``not``) hold without hits; a rule whose condition holds without hits gives one whole-call
finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.acoustics import CallMeasures, measure_call
from pipeline.detect.view import CallView, Utterance

ROLE_LABELS = {"agent": "坐席", "customer": "客户", "any": "任一方"}
_NOT_SPOKEN = re.compile(r"[\W_]+", re.UNICODE)


def squeezed(text: str) -> str:
    """Text without spaces and punctuation: Whisper's spacing (本次 通话) must not hide a keyword."""
    return _NOT_SPOKEN.sub("", text)


@dataclass(frozen=True)
class Hit:
    index: int  # the utterance
    detail: str  # what matched there, in Chinese
    start: float | None = None  # a measured event's own span, when it is not the utterance's
    end: float | None = None


@dataclass(frozen=True)
class Outcome:
    holds: bool
    hits: tuple[Hit, ...] = ()


@dataclass
class CallContext:
    """One call as every condition of every rule reads it; measures are taken once, when asked."""

    view: CallView

    @cached_property
    def measures(self) -> CallMeasures:
        return measure_call(self.view.call)

    @cached_property
    def duration(self) -> float:
        return max((u.segment.end for u in self.view.utterances), default=0.0)


@dataclass(frozen=True)
class Scope:
    """Whose utterances, and where in the call: ``role`` and at most one position."""

    role: str = "any"
    first_turns: int | None = None
    last_turns: int | None = None
    first_seconds: float | None = None
    last_seconds: float | None = None

    def select(self, context: CallContext) -> list[Utterance]:
        chosen = [u for u in context.view.utterances if self.role == "any" or u.role == self.role]
        if self.first_turns is not None:
            chosen = chosen[: self.first_turns]
        if self.last_turns is not None:
            chosen = chosen[-self.last_turns :] if self.last_turns else []
        if self.first_seconds is not None:
            chosen = [u for u in chosen if u.segment.start < self.first_seconds]
        if self.last_seconds is not None:
            chosen = [u for u in chosen if u.segment.end > context.duration - self.last_seconds]
        return chosen

    def describe(self) -> str:
        who = ROLE_LABELS[self.role]
        if self.first_turns is not None:
            return f"{who}前 {self.first_turns} 句"
        if self.last_turns is not None:
            return f"{who}最后 {self.last_turns} 句"
        if self.first_seconds is not None:
            return f"开场 {_number(self.first_seconds)} 秒内{who}"
        if self.last_seconds is not None:
            return f"最后 {_number(self.last_seconds)} 秒内{who}"
        return f"全通{who}"


class Condition:
    def evaluate(self, context: CallContext) -> Outcome:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Keyword(Condition):
    """``any``: each utterance with one of the words; ``all``: every word somewhere in the scope;
    ``at_least`` N different words in the scope; ``none``: no word anywhere in the scope."""

    mode: str  # any, all, at_least, none
    words: tuple[str, ...]
    scope: Scope = field(default_factory=Scope)
    at_least: int = 1

    def evaluate(self, context: CallContext) -> Outcome:
        wanted = [(word, squeezed(word)) for word in self.words]
        hits, found = [], set()
        for u in self.scope.select(context):
            text = squeezed(u.text)
            said = [word for word, key in wanted if key in text]
            if said:
                found.update(said)
                hits.append(Hit(u.index, f"{_turn(u)}说了“{'”“'.join(said)}”"))
        if self.mode == "none":
            return Outcome(not found)
        needed = {"any": 1, "all": len(self.words), "at_least": self.at_least}[self.mode]
        return Outcome(len(found) >= needed, tuple(hits))

    def describe(self) -> str:
        words = "、".join(self.words)
        what = {
            "any": f"说了以下任一词：{words}",
            "all": f"说全了以下各词：{words}",
            "at_least": f"说了以下词中至少 {self.at_least} 个：{words}",
            "none": f"没有说以下任何词：{words}",
        }[self.mode]
        return f"{self.scope.describe()}{what}"


@dataclass(frozen=True)
class Regex(Condition):
    """Each utterance matching ``pattern`` and not ``unless``."""

    pattern: re.Pattern
    unless: re.Pattern | None = None
    scope: Scope = field(default_factory=Scope)

    def evaluate(self, context: CallContext) -> Outcome:
        hits = []
        for u in self.scope.select(context):
            match = self.pattern.search(u.text)
            if match and not (self.unless and self.unless.search(u.text)):
                hits.append(Hit(u.index, f"{_turn(u)}“{match.group(0)}”符合规则"))
        return Outcome(bool(hits), tuple(hits))

    def describe(self) -> str:
        unless = f"（排除符合 {self.unless.pattern} 的句子）" if self.unless else ""
        return f"{self.scope.describe()}说的话符合 {self.pattern.pattern}{unless}"


MEASURES = {
    # name: (what it is, unit)
    "silence": ("双方静音", "秒"),
    "overtalk": ("在对方说话时开口（抢话）", "秒重叠"),
    "speech_rate": ("语速", "字/分钟"),
    "loudness": ("音量高于本人中位数", "dB"),
}


@dataclass(frozen=True)
class Measure(Condition):
    """Events of an acoustic measure (``pipeline.acoustics``) of the scope's speakers, each larger
    than ``above``; holds when there are more than ``count_above`` of them. Not measurable on this
    call (overtalk on mono, loudness without audio): does not hold."""

    name: str
    above: float | None = None
    count_above: int = 0
    scope: Scope = field(default_factory=Scope)

    def evaluate(self, context: CallContext) -> Outcome:
        if not context.measures.measurable(self.name):
            return Outcome(False)
        utterances = {u.index: u for u in self.scope.select(context)}
        events = [
            e
            for e in context.measures.events[self.name]
            if e.segment_index in utterances and (self.above is None or e.value > self.above)
        ]
        if len(events) <= self.count_above:
            return Outcome(False)
        what, unit = MEASURES[self.name]
        hits = tuple(
            Hit(e.segment_index, f"{_clock(e.start)} {what} {_number(e.value)} {unit}", e.start, e.end) for e in events
        )
        return Outcome(True, hits)

    def describe(self) -> str:
        what, unit = MEASURES[self.name]
        size = f"超过 {_number(self.above)} {unit}" if self.above is not None else ""
        if self.name == "silence":
            where = self.scope.describe().replace("任一方", "")  # silence is nobody's: whose turn ends it
            text = f"{where}{what}{size}"
        else:
            text = f"{self.scope.describe()}{what}{size}"
        return text + (f"，超过 {self.count_above} 次" if self.count_above else "")


@dataclass(frozen=True)
class Sequence(Condition):
    """Hits of ``then`` that come within ``within_turns`` utterances after a hit of ``first``."""

    first: Condition
    then: Condition
    within_turns: int

    def evaluate(self, context: CallContext) -> Outcome:
        earlier = [h.index for h in self.first.evaluate(context).hits]
        hits = tuple(
            h for h in self.then.evaluate(context).hits if any(0 < h.index - i <= self.within_turns for i in earlier)
        )
        return Outcome(bool(hits), hits)

    def describe(self) -> str:
        return f"先{self.first.describe()}，随后 {self.within_turns} 句内{self.then.describe()}"


@dataclass(frozen=True)
class WithoutBefore(Condition):
    """Hits of ``match`` with no hit of ``without`` earlier in the call."""

    match: Condition
    without: Condition

    def evaluate(self, context: CallContext) -> Outcome:
        guards = [h.index for h in self.without.evaluate(context).hits]
        first_guard = min(guards, default=None)
        hits = tuple(h for h in self.match.evaluate(context).hits if first_guard is None or h.index < first_guard)
        return Outcome(bool(hits), hits)

    def describe(self) -> str:
        return f"{self.match.describe()}，而此前没有：{self.without.describe()}"


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, context: CallContext) -> Outcome:
        outcomes = [part.evaluate(context) for part in self.parts]
        if not all(o.holds for o in outcomes):
            return Outcome(False)
        return Outcome(True, _union(outcomes))

    def describe(self) -> str:
        return "同时满足：" + "；".join(f"（{part.describe()}）" for part in self.parts)


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, context: CallContext) -> Outcome:
        holding = [o for o in (part.evaluate(context) for part in self.parts) if o.holds]
        return Outcome(bool(holding), _union(holding))

    def describe(self) -> str:
        return "满足其一：" + "；".join(f"（{part.describe()}）" for part in self.parts)


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def evaluate(self, context: CallContext) -> Outcome:
        return Outcome(not self.part.evaluate(context).holds)

    def describe(self) -> str:
        return f"并非：{self.part.describe()}"


def _union(outcomes: list[Outcome]) -> tuple[Hit, ...]:
    """Every hit once per utterance (the first detail given for it), in call order."""
    by_index: dict[int, Hit] = {}
    for outcome in outcomes:
        for hit in outcome.hits:
            by_index.setdefault(hit.index, hit)
    return tuple(by_index[i] for i in sorted(by_index))


def _turn(u: Utterance) -> str:
    return f"第 {u.index + 1} 句{ROLE_LABELS.get(u.role, u.role)}"


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"


def _number(value: float) -> str:
    return f"{value:g}"
