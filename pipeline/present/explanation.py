"""Why a detector flagged something: kept structured inside the engine, rendered to the Chinese
sentence reviewers read here and nowhere else (Presidio's ``AnalysisExplanation``).

Each detector fills in an ``Explanation``: its own sentence (``text``, what it saw), the terms it
matched, the homophone repairs and by-sound matches it relied on, the cancelling cues it checked,
whether the speaker's role was guessed (and from what), and how its score was made up. A finding
several detectors agree on carries each one's explanation; ``render`` joins them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ROLE_GUESSED = "说话人由话术推断"


@dataclass(frozen=True)
class Explanation:
    detector: str  # e.g. lexicon:threat, classifier, rule:missing_disclosure
    text: str  # the detector's own sentence, in Chinese
    matched: tuple[str, ...] = ()  # the words of the text a rule matched
    repairs: tuple[str, ...] = ()  # homophone repairs a match relied on: 发院→法院 (fa yuan)
    by_sound: tuple[str, ...] = ()  # rules that matched only with the text spelt by sound
    cancels_checked: tuple[str, ...] = ()  # cancelling cues (negation, reported speech) looked for and not found
    role_guessed: bool = False  # the speaker's role was guessed (mono recording)
    role_reason: str | None = None  # from what, when one utterance's cue decided it
    score_parts: tuple[tuple[str, float], ...] = ()  # e.g. (("rule", 0.9), ("homophone", 0.85))

    def guessed(self, reason: str | None = None) -> Explanation:
        """This explanation, saying the speaker's role was guessed (from ``reason``)."""
        return replace(self, role_guessed=True, role_reason=reason)


def render_one(explanation: Explanation) -> str:
    out = explanation.text
    if explanation.matched:
        out += f"（命中词: {'、'.join(explanation.matched)}"
        if explanation.repairs:
            out += "；拼音匹配 " + "，".join(explanation.repairs)
        if explanation.by_sound:  # name the rule: the text itself does not show the words
            out += "；按读音匹配规则“" + "、".join(explanation.by_sound) + "”"
        out += "）"
    if explanation.role_guessed:
        out += f"；{ROLE_GUESSED}" + (f"（{explanation.role_reason}）" if explanation.role_reason else "")
    return out


def render(explanations: list[Explanation]) -> str:
    """The sentence a finding stores: each detector's explanation, joined by "；"."""
    return "；".join(render_one(e) for e in explanations)
