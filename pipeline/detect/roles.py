"""The speaker's role on a mono recording: every segment's speaker is ``unknown``; each one is
assigned to the agent or the customer from cues (the collector introduces, asks and demands; the
customer answers) and from turn-taking (the speakers mostly alternate), read over the whole call
at once: the roles that earn the most cue weight plus a bonus for every change of speaker. So a
run of turns without a cue takes its roles from the cued turns on both sides, not only from the
turn before it, and one weak cue does not outweigh the alternation around it. A segment that ends
on a clause break (a comma: the sentence is unfinished, the recogniser cut the speaker's breath)
is followed by the same speaker: there the bonus goes to keeping the speaker instead."""

from __future__ import annotations

from pipeline.detect.dialogue_file import DialogueRules

TURN_TAKING = "与上一句轮流"  # the reason of a role guessed from turn order alone, without any cue
ROLES = ("agent", "customer")
# What a change of speaker between two turns is worth, in cue weight: more than a weak cue (0.5,
# 1), less than a clear one (2) with the turns around it agreeing. The opening turn is the
# agent's (the agent placed the call) unless it is only a 喂 or a greeting: the callee's.
SWITCH = 1.5
UNFINISHED = ("，", ",", "、")
OPENING = 2.0
KNOWN = 1e6  # a speaker the transcript names is not guessed


class RoleGuesser:
    """Agent or customer for each ``unknown`` segment, with the reason in Chinese."""

    def __init__(self, rules: DialogueRules):
        self.cues = rules.role_cues
        self.filler = rules.filler

    def guess(self, texts: list[str], sounds: list[str], speakers: list[str]) -> list[tuple[str, str | None]]:
        """(role, reason) per segment; ``sounds`` are the texts spelt by sound (lexicon.sound_text)."""
        if not texts:
            return []
        weights, first_cues = [], []
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
            weights.append(totals)
            first_cues.append(first_cue)
        opener = "customer" if self.filler.match(texts[0]) else "agent"
        weights[0][opener] += OPENING
        goes_on = [text.endswith(UNFINISHED) for text in texts[:-1]]
        roles = best_roles(weights, goes_on)
        out: list[tuple[str, str | None]] = []
        for i, (role, speaker, first_cue) in enumerate(zip(roles, speakers, first_cues)):
            if speaker != "unknown":
                out.append((speaker, None))
            elif role in first_cue and weights[i][role] - (OPENING if i == 0 else 0) > weights[i][other(role)]:
                out.append((role, f"{'坐席' if role == 'agent' else '客户'}话术“{first_cue[role]}”"))
            elif i == 0 and role == opener:
                out.append((role, "开场第一句"))
            else:
                out.append((role, TURN_TAKING))
        return out


def other(role: str) -> str:
    return "customer" if role == "agent" else "agent"


def best_roles(weights: list[dict[str, float]], goes_on: list[bool]) -> list[str]:
    """The roles with the most cue weight plus ``SWITCH`` per change of speaker, or per speaker
    kept after a segment that ``goes_on`` (Viterbi over the turns; a tie keeps the expected
    turn)."""
    best = dict(weights[0])
    back: list[dict[str, str]] = []
    for totals, same_speaker in zip(weights[1:], goes_on):

        def bonus(previous: str, role: str) -> float:
            return SWITCH if (previous == role) == same_speaker else 0.0

        came_from = {role: max(ROLES, key=lambda p: (best[p] + bonus(p, role), bonus(p, role))) for role in ROLES}
        best = {role: best[came_from[role]] + bonus(came_from[role], role) + totals[role] for role in ROLES}
        back.append(came_from)
    role = max(ROLES, key=best.get)
    roles = [role]
    for came_from in reversed(back):
        role = came_from[role]
        roles.append(role)
    return roles[::-1]
