"""The third-party family (``third_party_leak``): after the listener turns out not to be the
debtor, the agent tells them about the debt or asks them to pay."""

from __future__ import annotations

from pipeline.detect.base import Detector, Result, lowered_if_guessed, utterance_result
from pipeline.detect.classifier import TrainedClassifier
from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.institutions import (
    InstitutionFinder,
    blank,
    call_names,
    declined_blanked,
    details_blanked,
    details_told,
)
from pipeline.detect.listener import Hearing
from pipeline.detect.recognizers.classifier import line_probabilities, trained_model
from pipeline.detect.resources import Resources
from pipeline.detect.settings import LexiconSettings
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, joined, sentence


class ThirdPartyRecognizer(Detector):
    """``third_party_leak``: debt details told to someone who is not the debtor.

    The listener is known to be a third party once the customer says so (我是他老婆, 他在开会,
    这号码是我新办的) or the agent shows it knows (您是他什么人, 你作为他的同事, 您朋友把您留成了
    紧急联系人) or speaks of someone else's debt (他在某某的借款逾期了); details in that agent
    turn after the cue, and in later ones, are leaks. A listener who confirmed their name is
    the debtor, unless the agent then asks for someone else (我们找一下林涛). Details the agent gave just
    before the customer said so (请问是张伟吗？你的借款逾期了 / 我是他老婆) reached the third
    party too. Naming the agent's own institution is required, so institution names are blanked
    out before looking for debt words (某某小额贷款公司 does not reveal a 贷款). Once the third
    party offers to pay, the repayment details they need are allowed.

    Who is listening is read once per call in the prepared view (``listener.py``). Where
    ``unverified_identity`` runs too, each leak is also that: the details reached someone never
    confirmed as the debtor (GB 5.2.2.2).
    """

    family = "third_party"
    name = "rule:third_party_leak"
    categories = ("third_party_leak",)

    def __init__(
        self,
        rules: DialogueRules,
        finder: InstitutionFinder,
        severities: dict[str, str],
        guessed_role_factor: float = LexiconSettings.guessed_role_factor,
        unverified_clauses: list[str] = (),
        offer_needs_consent: bool = True,
        model: TrainedClassifier | None = None,
        read_at: float | None = None,
        addressed_at: float | None = None,
        max_chars: int | None = None,
    ):
        self.rules = rules
        self.finder = finder
        self.severities = severities  # of the categories this instance reports: the leak, and unverified_identity
        self.categories = tuple(severities)
        self.guessed_role_factor = guessed_role_factor
        self.unverified_clauses = list(unverified_clauses)
        # GB (5.2.1.1) wants the debtor's consent before a third party who offers to pay is told
        # the repayment details (the ruling in categories.md); NIFA and HN allow them on the offer.
        self.offer_needs_consent = offer_needs_consent
        # the model reads the turns where no rule reads a leak (None: it does not)
        self.model = model
        self.read_at = read_at if model is not None else None
        self.addressed_at = addressed_at if model is not None else None
        self.max_chars = max_chars

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        settings = resources.settings
        return [
            cls(
                resources.dialogue,
                resources.finder,
                {c: settings.severity(c) for c in categories},
                settings.lexicon.guessed_role_factor,
                resources.table["unverified_identity"].clauses,
                offer_needs_consent=bool(settings.cited(["GB 5.2.1.1"])),
                model=trained_model(settings),
                read_at=settings.classifier.read_at,
                addressed_at=settings.classifier.addressed_at,
                max_chars=settings.max_segment_chars,
            )
        ]

    def analyze(self, view: CallView) -> list[Result]:
        return self.analyze_many([view])[0]

    def analyze_many(self, views: list[CallView]) -> list[list[Result]]:
        """Results per call. Where the rules read no leak in a turn, the model reads the line (all
        of the batch's such turns in one call): a turn heard by a third party may tell of the debt
        in words recognition garbled (帮她垫一下 heard 帮她点一下), a leak at ``read_at``; a turn to
        a listener nobody has shown to be the debtor or anyone else may itself show it is said to a
        third party (你跟他说，他那三万六逾期了, where the listener's cue was lost or never said),
        a leak at ``addressed_at``."""
        found: list[list[Result]] = []
        unread: list[tuple[int, Utterance, Hearing]] = []
        for k, view in enumerate(views):
            results, turns = self._read_by_rules(view)
            found.append(results)
            unread.extend((k, u, hearing) for u, hearing in turns)
        if not unread:
            return found
        probabilities = line_probabilities(self.model, [u for _, u, _ in unread], self.max_chars)
        for (k, u, hearing), p in zip(unread, probabilities):
            probability = p.get("third_party_leak", 0.0)
            if hearing.third_party is not None and probability >= self.read_at:
                reveal = sentence("detail.read_by_model", probability=probability)
                found[k].extend(self._leak(views[k], u, hearing, [(probability, reveal)]))
            elif hearing.third_party is None and probability >= self.addressed_at:
                text = sentence("third_party.read_by_model", probability=probability)
                found[k].extend(self._results(views[k], u, text, probability, bool(u.role_reason), told_first=False))
        return found

    def _read_by_rules(self, view: CallView) -> tuple[list[Result], list[tuple[Utterance, Hearing]]]:
        """The leaks the rules read in ``view``, and the turns left to the model: those heard by a
        known third party where the rules read no detail, and those to a listener nobody has shown
        to be the debtor or anyone else."""
        listening = view.listening
        # the details the listener is owed from here on: a guarantor's, with the debtor's consent,
        # sent by the debtor to pay, or offering to pay where only NIFA and HN bind
        reasons = ["guarantor", "consent", "sent"] + ([] if self.offer_needs_consent else ["offer"])
        stop = min(
            (listening.allowed_from[r] for r in reasons if r in listening.allowed_from), default=len(view.utterances)
        )
        findings = []
        unread = []
        names: list[str] | None = None  # the call's institution names, found when first needed
        for u in view.utterances:
            hearing = listening.hearings.get(u.index)
            if hearing is None:
                continue
            why = hearing.third_party
            if why is None:
                # (not details said in the same breath as the debtor's name asked: 喂，祁玉兰，你一万六
                # 的借款今天到期了 reaches the one called, whoever confirms next; see listener.in_breath)
                unconfirmed = not hearing.confirmed and hearing.breath_from is None
                if self.addressed_at is not None and unconfirmed and u.index < stop:
                    unread.append((u, hearing))
                continue
            if (why.utterance.index if hearing.told_first else u.index) >= stop:
                continue
            reveals = []
            # most turns reveal nothing: institution names are looked for only where a reveal matches
            if any(r.regex.search(blank(u.text, [(0, hearing.after)])) for r in self.rules.reveals):
                if names is None:
                    names = call_names(view, self.finder, self.rules)
                text = declined_blanked(details_blanked(u, self.finder, self.rules, names, hearing.after), self.rules)
                reveals = [
                    (r.score, sentence("detail", label=r.label, said=m.group(0)))
                    for r, m in details_told(text, self.rules)
                ]
            if reveals:
                findings.extend(self._leak(view, u, hearing, reveals))
            elif self.read_at is not None:
                unread.append((u, hearing))
        return findings, unread

    def _leak(self, view: CallView, u: Utterance, hearing: Hearing, reveals: list[tuple[float, str]]) -> list[Result]:
        """The findings of details (``reveals``: score and sentence) told in ``u`` to the third party
        ``hearing`` knows of, before or after it was known."""
        why = hearing.third_party
        cue = sentence(f"third_party.{why.kind}", at=why.utterance.segment.start, said=why.said)
        details = [what for _, what in reveals]
        key = "third_party.told_then_heard" if hearing.told_first else "third_party.heard_then_told"
        guessed = bool(u.role_reason or why.utterance.role_reason)
        score = max(score for score, _ in reveals)
        return self._results(view, u, sentence(key, details=details, cue=cue), score, guessed, hearing.told_first)

    def _results(
        self, view: CallView, u: Utterance, text: str, score: float, guessed: bool, told_first: bool
    ) -> list[Result]:
        """The leak in ``u`` and, where it runs, its unverified_identity twin."""
        score, parts = lowered_if_guessed("reveal", score, guessed, self.guessed_role_factor)
        results = []
        if "third_party_leak" in self.severities:
            explanation = Explanation(detector=self.name, text=text, role_guessed=guessed, score_parts=parts)
            results.append(
                utterance_result(
                    view,
                    u,
                    "third_party_leak",
                    self.severities["third_party_leak"],
                    round(score, 3),
                    self.rules.third_party_clauses,
                    explanation,
                    speaker="agent",
                )
            )
            results[-1].hindsight = told_first
        if "unverified_identity" in self.severities:
            explanation = Explanation(
                detector=self.name,
                text=joined(text, sentence("third_party.unconfirmed")),
                role_guessed=guessed,
                score_parts=parts,
            )
            results.append(
                utterance_result(
                    view,
                    u,
                    "unverified_identity",
                    self.severities["unverified_identity"],
                    round(score, 3),
                    self.unverified_clauses,
                    explanation,
                    speaker="agent",
                )
            )
            results[-1].hindsight = told_first  # so that a floor on this twin spares what its leak is spared
        return results
