"""The speaker's role on a mono recording: every segment's speaker is ``unknown``; each one is
assigned to the agent or the customer from cues (the collector introduces, asks and demands; the
customer answers), ties going to whoever did not speak last."""

from __future__ import annotations

from pipeline.detect.dialogue_file import DialogueRules

TURN_TAKING = "与上一句轮流"  # the reason of a role guessed from turn order alone, without any cue


class RoleGuesser:
    """Agent or customer for each ``unknown`` segment, with the reason in Chinese."""

    def __init__(self, rules: DialogueRules):
        self.cues = rules.role_cues
        self.filler = rules.filler

    def guess(self, texts: list[str], sounds: list[str], speakers: list[str]) -> list[tuple[str, str | None]]:
        """(role, reason) per segment; ``sounds`` are the texts spelt by sound (lexicon.sound_text)."""
        out: list[tuple[str, str | None]] = []
        for text, sound, speaker in zip(texts, sounds, speakers):
            if speaker != "unknown":
                out.append((speaker, None))
                continue
            totals = {"agent": 0.0, "customer": 0.0}
            first_cue: dict[str, str] = {}
            for cue in self.cues:
                span = cue.regex.span(sound)
                if span:
                    totals[cue.role] += cue.weight
                    first_cue.setdefault(cue.role, text[span[0] : span[1]])
            if totals["agent"] != totals["customer"]:
                role = max(totals, key=totals.get)
                who = "坐席" if role == "agent" else "客户"
                out.append((role, f"{who}话术“{first_cue[role]}”"))
            elif out:
                previous = out[-1][0]
                out.append(("customer" if previous == "agent" else "agent", TURN_TAKING))
            else:
                role = "customer" if self.filler.match(text) else "agent"
                out.append((role, "开场第一句"))
        return out
