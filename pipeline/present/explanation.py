"""Why a detector flagged something: kept structured inside the engine, rendered to the Chinese
sentence reviewers read here and nowhere else (Presidio's ``AnalysisExplanation``).

Each detector fills in an ``Explanation``: its sentence (``text``, what it saw, worded by
``sentence`` from ``SENTENCES`` below, so that every sentence a reviewer reads is written here),
the terms it matched, the homophone repairs and by-sound matches it relied on, the cancelling cues it checked,
whether the speaker's role was guessed (and from what), and how its score was made up. A finding
several detectors agree on carries each one's explanation; ``render`` joins them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ROLE_GUESSED = "说话人由话术推断"
SEPARATOR = "；"  # between the parts of one sentence, and between detectors' sentences

# What each detector says it saw, by key; ``sentence`` fills in the facts.
SENTENCES = {
    "classifier": "分类器判断为{label} (概率 {probability:.2f})",
    "lexicon": "坐席说“{snippet}”：{rules}",
    "disclosure.missing": "坐席开场{count}句（{start:.1f}–{end:.1f}秒）未表明所代表的机构名称",
    "disclosure.posed": "坐席开场自称“{posed}”，冒用公权力机构身份，未表明所代表的机构",
    "disclosure.introduction": "自我介绍“{introduction}”没有说明机构",
    "disclosure.named_later": "第{at:.1f}秒才提到机构",
    # the rule found a name where the opening model is sure none was said (a garbled word taken for one)
    "disclosure.read_by_model": "分类器据开场整体判断坐席开场{count}句（{start:.1f}–{end:.1f}秒）未表明所代表的机构名称（概率 {probability:.2f}）",
    "recording_notice.missing": (
        "双方都有发言的通话（坐席{agent}句、客户{customer}句），坐席始终未告知通话录音（如“本次通话将被录音”）"
    ),
    "third_party.customer_said": "客户在{at:.1f}秒说“{said}”",
    "third_party.agent_addressed": "坐席在{at:.1f}秒称对方“{said}”",
    "third_party.someone_elses_debt": "坐席在{at:.1f}秒说起他人的欠款“{said}”",
    "third_party.told_then_heard": "坐席透露了{details}；{cue}（非债务人本人），听到的是第三人",
    "third_party.heard_then_told": "{cue}（非债务人本人）；坐席随后透露了{details}",
    "third_party.unconfirmed": "对方未被确认为债务人本人",
    "third_party.read_by_model": "分类器据整句判断坐席在向非债务人本人透露他人欠款（概率 {probability:.2f}）",
    "unverified_identity": "对方尚未确认是债务人本人，坐席在{at:.1f}秒就告知了{details}",
    "detail": "{label}（“{said}”）",  # a personal or debt detail the agent told
    # one no rule read in the words as heard: the model read the line
    "detail.read_by_model": "欠款信息（分类器据整句判断，概率 {probability:.2f}）",
    "quiet_hours": (
        "通话开始于当地时间 {time}（{date}），在 {start}–{end} 的禁止催收时段内，"
        "且清单中没有与债务人约定的时间（agreed_time）"
    ),
    "call_frequency": (
        "{whom}在当地日期 {day} 共有 {total} 次{counted}，超过每日 {most} 次的上限；"
        "本通话是第 {crossing} 次，即越限的那一次。当日计入的通话：{listing}"
    ),
    "contact_after_refusal": (
        "号码 {number} 的接听人在通话 {refused_in}（{refused_at}）中表明不是债务人，"
        "并说「{refusal}」；本通话（{started_at}）仍再次拨打了该号码"
    ),
    "premature_third_party.never_tried": (
        "本通话（{when}）拨打债务人 {debtor} 的第三人，此前没有拨打债务人本人的记录，也未记录号码无效：债务人并非无法联系"
    ),
    "premature_third_party.answered": "最近 {tried} 次拨打中接通的有：{answered}",
    "premature_third_party.unanswered": "只拨打过 {tried} 次（均未接通）",
    "premature_third_party.reachable": (
        "本通话（{when}）拨打债务人 {debtor} 的第三人，而此前对债务人本人{found}；"
        "须连续 {needed} 次未接通或号码无效才可联系第三人，债务人并非无法联系"
    ),
}


def sentence(key: str, **facts) -> str:
    """The sentence ``SENTENCES[key]`` with ``facts`` filled in; a list of facts is enumerated (、)."""
    return SENTENCES[key].format(**{k: "、".join(v) if isinstance(v, list) else v for k, v in facts.items()})


def joined(*parts: str | None) -> str:
    """Parts of one sentence (from ``sentence``), the empty ones left out."""
    return SEPARATOR.join(part for part in parts if part)


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
        out += f"{SEPARATOR}{ROLE_GUESSED}" + (f"（{explanation.role_reason}）" if explanation.role_reason else "")
    return out


def render(explanations: list[Explanation]) -> str:
    """The sentence a finding stores: each detector's explanation, joined by "；"."""
    return SEPARATOR.join(render_one(e) for e in explanations)
