"""The disclosure family (``missing_disclosure``): the agent's opening names no institution."""

from __future__ import annotations

import re

from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result, lowered_if_guessed, span_result
from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.institutions import InstitutionFinder, agency_names
from pipeline.detect.resources import Resources
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, joined, sentence

INTRODUCTION = re.compile(r"我(?:是|叫|姓)[^，。？！,.?!]{1,12}")  # quoted in the explanation
ASKED_ABOUT = re.compile(r"[^，。？！,.?!\s]{0,6}[吗么嘛]")  # after a name: the company called, not the caller's


class DisclosureRecognizer(Detector):
    """``missing_disclosure``: no institution named in the agent's opening window.

    The window is the agent's first ``agent_turns`` substantive turns (greetings and
    喂喂听得到吗 do not count) and every agent turn that starts within ``seconds`` of the
    call's start, whichever reaches further: a name given a little late is still a disclosure.
    An agent who introduces themselves as an authority (a court, the police, a mediation
    committee) before naming an institution of their own fakes it, whatever lender they name
    beside the pose. A call that reached
    a wrong number before the window closed owes the stranger no name.
    """

    family = "disclosure"
    name = "rule:missing_disclosure"
    categories = ("missing_disclosure",)

    def __init__(
        self,
        rules: DialogueRules,
        finder: InstitutionFinder,
        severity: str,
        agent_turns: int = 3,
        seconds: float = 20.0,
        score: float = 0.8,
        guessed_role_factor: float = 0.9,
    ):
        self.rules = rules
        self.finder = finder
        self.severity = severity
        self.agent_turns = agent_turns
        self.seconds = seconds
        self.score = score
        self.guessed_role_factor = guessed_role_factor

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        settings = resources.settings
        return [
            cls(
                resources.dialogue,
                resources.finder,
                severity=settings.severity("missing_disclosure"),
                agent_turns=settings.disclosure.agent_turns,
                seconds=settings.disclosure.seconds,
                guessed_role_factor=settings.lexicon.guessed_role_factor,
            )
        ]

    def window(self, view: CallView) -> list[Utterance]:
        agent = [u for u in view.utterances if u.role == "agent"]
        if not agent:
            return []
        call_start = view.utterances[0].segment.start
        window, substantive = [], 0
        for u in agent:
            if substantive >= self.agent_turns and u.segment.start - call_start > self.seconds:
                break
            window.append(u)
            if not self.rules.filler.match(u.text):
                substantive += 1
        return window if substantive else []

    def _wrong_number(self, view: CallView, until: float) -> bool:
        answers = [u for u in view.utterances if u.role == "customer" and u.segment.start <= until]
        return any(self.rules.wrong_number.span(u.sound) for u in answers) and not any(
            self.rules.knows_debtor.span(u.sound) for u in answers
        )

    def _own_names(self, u: Utterance, extra: list[str]) -> list[tuple[int, int]]:
        """Names the agent gives as its own: not the company it asks for (是华腾科技吗)."""
        return [span for span in self.finder.spans(u, extra) if not ASKED_ABOUT.match(u.text, span[1])]

    def analyze(self, view: CallView) -> list[Result]:
        window = self.window(view)
        if not window or self._wrong_number(view, window[-1].segment.end):
            return []
        extra = agency_names(view.call, self.rules)
        posed = None
        for u in window:
            if match := self.rules.poses_as_authority.search(u.text):
                posed = match.group(0)  # a pose before any name of its own hides the institution
                break
            if self._own_names(u, extra):
                return []
        first, last = window[0].segment, window[-1].segment
        text = sentence("disclosure.missing", count=len(window), start=first.start, end=last.end)
        intro = next((m.group(0) for u in window for m in [INTRODUCTION.search(u.text)] if m), None)
        if posed:
            text = sentence("disclosure.posed", posed=posed)
        elif intro:
            text = joined(text, sentence("disclosure.introduction", introduction=intro))
        after_window = view.utterances[window[-1].index + 1 :]
        later = next((u for u in after_window if u.role == "agent" and self._own_names(u, extra)), None)
        if later:
            text = joined(text, sentence("disclosure.named_later", at=later.segment.start))
        guessed = any(u.role_reason for u in window)
        score, parts = lowered_if_guessed("rule", self.score, guessed, self.guessed_role_factor)
        explanation = Explanation(detector=self.name, text=text, role_guessed=guessed, score_parts=parts)
        evidence = " / ".join(u.segment.text for u in window)[:300]
        return [
            span_result(
                view,
                window[0],
                window[-1],
                "missing_disclosure",
                self.severity,
                round(score, 3),
                category_table()["missing_disclosure"].clauses,
                evidence,
                explanation,
            )
        ]
