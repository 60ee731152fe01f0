"""``lexicons/dialogue.yaml``: the cues of the rules over a whole conversation (institution
names, third parties, debt details, speaker roles), read and checked with file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.categories import category_table
from pipeline.detect.lexicon_file import DIALOGUE_FILE
from pipeline.detect.sound import SoundRegex, checked_regex, sound_text
from pipeline.yamldoc import YamlDoc


@dataclass
class RoleCue:
    role: str
    regex: SoundRegex
    weight: float


@dataclass
class Reveal:
    """Debt details an agent must not tell a third party, matched on the repaired text only:
    by sound, 账单 would be 张丹 and 一块 would be 以快."""

    label: str
    score: float
    regex: re.Pattern


@dataclass
class DialogueRules:
    suffixes: re.Pattern
    staff: list[str]
    not_names: frozenset[str]
    not_name_endings: list[str]
    not_institutions: list[str]
    name_starts: list[str]
    brands: list[str]
    business_words: list[str]  # 信息咨询, 商务服务: what kind of company, stripped to its trade name
    introductions: list[re.Pattern]  # the act of introducing an organisation; group `name` is its name
    bare_introductions: list[re.Pattern]  # ... where only the name's kind shows it is an organisation's
    kinds: list[str]  # bare kinds of institution and departments: a name made only of these is none
    brand_endings: list[str]  # kinds that after one character of its own make a brand (悦分期)
    not_name_parts: list[str]  # a candidate name holding one of these is talk, not a name
    poses_as_authority: (
        re.Pattern
    )  # by sound: the agent introduces themselves as a court, the police...; group `authority`
    # ... as written: a one-syllable authority word (局) must be heard as written, by sound it is
    # any syllable (我是居美装修贷的 is no 我是局)
    poses_as_authority_written: re.Pattern
    filler: re.Pattern
    asks_who_calls: SoundRegex  # the listener asks who is calling (你哪位, 你是哪里的)
    not_debtor: SoundRegex
    agent_addresses_third_party: SoundRegex
    asks_for_household: re.Pattern  # 是冯勇家吗, on the written text: 欧阳佳吗 sounds the same
    names_someone_of_theirs: re.Pattern  # 你们村的吴长林, written text: by sound a surname is most syllables
    addresses_as_relative: SoundRegex  # 您是他什么人: only to a listener not confirmed as the debtor
    denies: SoundRegex  # a plain 不是 right after an identity question
    no_answer: re.Pattern  # a reply that says nothing to the name asked (喂？喂？, 听不清, 什么？), written text
    tells_someone_elses_debt: re.Pattern  # on the written text: 王 by sound would be 网 too
    asks_for_someone: SoundRegex
    guarantor: SoundRegex
    # liability claimed from being a contact or relation (紧急联系人要承担连带责任, 他填了你就是担保人),
    # written text: no guarantor made by it
    guarantor_by_relation: re.Pattern
    # who is listening (listener.py): the agent asks whether this is the debtor, or asks for
    # someone else (是X家吗, written text), or for the debtor himself (本人吗, 身份证后四位是…吗);
    # the listener confirms in words or with a plain yes (written text); the agent says the check is done
    identity_questions: SoundRegex
    questions_for_others: re.Pattern
    asks_the_debtor: re.Pattern
    confirms: SoundRegex
    plain_yes: re.Pattern
    misheard_yes: list[str]  # short answers recognition mishears by sound (是我 as 指握)
    agent_verified: SoundRegex
    wrong_number: SoundRegex
    knows_debtor: SoundRegex
    is_debtor: SoundRegex
    offers_to_pay: SoundRegex
    hands_over: SoundRegex  # the listener calls the debtor to the phone (立伟！电话！)
    says_who_they_are: SoundRegex  # 我是她儿媳妇: undoes a confirmation that was someone else's
    debtor_consents: SoundRegex  # the debtor lets someone else hear the details (你跟她讲)
    debtor_asked: SoundRegex  # a third party says the debtor asked them to pay (他让我帮他还)
    consent_noted: re.Pattern  # the agent says the debtor consented (汪师傅同意了), on the written text
    who_is_this: re.Pattern  # the listener asks who the caller is or whom they want (你哪位, 你找谁), written text
    unsaid: re.Pattern  # before a debt detail in its clause: it is denied (没有说, 不需要), on the written text
    declines: re.Pattern  # the agent declines to tell (只能跟他本人讲): no detail in that sentence, written text
    principal: re.Pattern  # the commissioning lender's name before 委托, on the written text
    titles: re.Pattern  # department and job titles (信用卡中心, 催收专员): no debt detail
    names_self: re.Pattern  # the listener giving their own name; group `name`
    # Dialect words read as Mandarin before the cues are matched (佢 as 他, 唔系 as 不是): each
    # replacement as long as what it replaces, so spans stay those of the text.
    dialect: list[tuple[re.Pattern, str]]
    reveals: list[Reveal]
    role_cues: list[RoleCue]
    vocabulary: set[str]
    kept_as_written: set[str]  # everyday words that sound like a word repair puts back (同时, 同事)
    third_party_clauses: list[str]  # the clauses a leak breaks: some of the category table's


def read_as_mandarin(rules: DialogueRules, text: str) -> str:
    """``text`` with its dialect words replaced by Mandarin ones of the same length."""
    for regex, mandarin in rules.dialect:
        text = regex.sub(
            lambda m, mandarin=mandarin: mandarin if len(m.group(0)) == len(mandarin) else m.group(0), text
        )
    return text


def alternation(doc: YamlDoc, items: list[str], keys: tuple) -> SoundRegex:
    """One regex from a list of patterns; each bad pattern is reported with its own line."""
    good = [p for i, p in enumerate(items) if checked_regex(doc, p, keys + (i,))]
    return SoundRegex("|".join(f"(?:{p})" for p in good) or r"(?!x)x")


def _third_party_clauses(doc: YamlDoc, value) -> list[str]:
    table = category_table()
    if value is None:
        return table["third_party_leak"].clauses
    clauses = doc.strings(value, ("third_party", "clauses"), required=True)
    for clause in table.check_clauses("third_party_leak", clauses):
        doc.problem(("third_party", "clauses"), f"{clause!r} is not a clause of third_party_leak in {table.path.name}")
    return clauses


def load_dialogue_rules(lexicon_dir: Path) -> DialogueRules:
    doc = YamlDoc(Path(lexicon_dir) / DIALOGUE_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        doc.problem((), "must be a mapping with disclosure, third_party and roles")
    doc.unknown_keys(data, ("disclosure", "third_party", "roles", "domain_words", "kept_as_written"), ())
    sections = {}
    for name in ("disclosure", "third_party", "roles"):
        section = data.get(name)
        if not isinstance(section, dict):
            doc.problem((name,), "is required (a mapping)")
            section = {}
        sections[name] = section
    disclosure, third, roles = sections["disclosure"], sections["third_party"], sections["roles"]
    disclosure_keys = (
        "suffixes",
        "staff",
        "not_names",
        "not_name_endings",
        "not_institutions",
        "name_starts",
        "brands",
        "business_words",
        "introductions",
        "bare_introductions",
        "kinds",
        "brand_endings",
        "not_name_parts",
        "poses_as_authority",
        "filler",
        "asks_who_calls",
    )
    doc.unknown_keys(disclosure, disclosure_keys, ("disclosure",))
    third_party_keys = (
        "not_debtor",
        "agent_addresses_third_party",
        "asks_for_household",
        "names_someone_of_theirs",
        "addresses_as_relative",
        "denies",
        "no_answer",
        "tells_someone_elses_debt",
        "asks_for_someone",
        "guarantor",
        "guarantor_by_relation",
        "identity_questions",
        "questions_for_others",
        "asks_the_debtor",
        "confirms",
        "plain_yes",
        "misheard_yes",
        "agent_verified",
        "wrong_number",
        "knows_debtor",
        "is_debtor",
        "offers_to_pay",
        "hands_over",
        "says_who_they_are",
        "debtor_asked",
        "debtor_consents",
        "consent_noted",
        "who_is_this",
        "unsaid",
        "declines",
        "principal",
        "titles",
        "names_self",
        "relations",
        "surnames",
        "dialect",
        "reveals",
        "clauses",
    )
    doc.unknown_keys(third, third_party_keys, ("third_party",))
    doc.unknown_keys(roles, ("agent", "customer"), ("roles",))

    def words(key: str, required: bool = False) -> list[str]:
        return doc.strings(disclosure.get(key), ("disclosure", key), required)

    # {relation} in a third-party cue stands for every relation (父亲, 姐夫, 房东...), listed once
    relations = doc.strings(third.get("relations"), ("third_party", "relations"))
    relation = "(?:" + "|".join(sorted(relations, key=len, reverse=True)) + ")"

    # {surname} stands for any one common surname (王, 李, 欧...), listed once
    surname = "[" + re.escape(str(third.get("surnames", ""))) + "]"

    def third_party_cues(key: str, required: bool = False) -> SoundRegex:
        patterns = doc.strings(third.get(key), ("third_party", key), required)
        patterns = [p.replace("{relation}", relation).replace("{surname}", surname) for p in patterns]
        return alternation(doc, patterns, ("third_party", key))

    def written_cues(key: str) -> re.Pattern:
        return re.compile(third_party_cues(key).pattern)

    suffixes = words("suffixes", required=True)
    brands = words("brands")
    filler = checked_regex(doc, str(disclosure.get("filler", "^$")), ("disclosure", "filler"))

    def introductions(key: str) -> list[re.Pattern]:
        found = []
        for i, pattern in enumerate(words(key)):
            regex = checked_regex(doc, pattern, ("disclosure", key, i))
            if regex and "name" not in regex.groupindex:
                doc.problem(("disclosure", key, i), "needs a group (?P<name>...) around the name")
            elif regex:
                found.append(regex)
        return found

    poses_as_authority = poses_as_authority_written = re.compile(r"(?!x)x")
    if "poses_as_authority" in disclosure:
        regex = checked_regex(doc, str(disclosure["poses_as_authority"]), ("disclosure", "poses_as_authority"))
        if regex and "authority" not in regex.groupindex:
            doc.problem(("disclosure", "poses_as_authority"), "needs a group (?P<authority>...) around the authority")
        elif regex:
            poses_as_authority = re.compile(sound_text(regex.pattern))
            poses_as_authority_written = regex

    reveals = []
    for i, raw in enumerate(third.get("reveals") or []):
        keys = ("third_party", "reveals", i)
        if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
            doc.problem(keys, "must be {label, score, pattern}")
            continue
        doc.unknown_keys(raw, ("label", "score", "pattern"), keys)
        score = raw.get("score", 0.9)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 < score <= 1:
            doc.problem(keys + ("score",), f"must be a number above 0 and at most 1, got {score!r}")
            continue
        regex = checked_regex(doc, raw["pattern"], keys + ("pattern",))
        if regex:
            reveals.append(Reveal(str(raw.get("label", "债务信息")), float(score), regex))

    dialect = []
    raw_dialect = third.get("dialect") or {}
    if not isinstance(raw_dialect, dict):
        doc.problem(("third_party", "dialect"), "must be a mapping of dialect pattern to Mandarin")
        raw_dialect = {}
    for pattern, mandarin in raw_dialect.items():
        keys = ("third_party", "dialect", pattern)
        regex = doc.regex(str(pattern), keys)
        if regex and (not isinstance(mandarin, str) or not mandarin):
            doc.problem(keys, "must map to the Mandarin word")
        elif regex:
            dialect.append((regex, mandarin))

    role_cues = []
    for role in ("agent", "customer"):
        for i, raw in enumerate(roles.get(role) or []):
            keys = ("roles", role, i)
            if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
                doc.problem(keys, "must be {pattern, weight}")
                continue
            weight = raw.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
                doc.problem(keys + ("weight",), f"must be a positive number, got {weight!r}")
                continue
            if checked_regex(doc, raw["pattern"], keys + ("pattern",)):
                role_cues.append(RoleCue(role, SoundRegex(raw["pattern"]), float(weight)))

    rules = DialogueRules(
        suffixes=re.compile("|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True)) or r"(?!x)x"),
        staff=words("staff"),
        not_names=frozenset(words("not_names")),
        not_name_endings=words("not_name_endings"),
        not_institutions=words("not_institutions"),
        name_starts=sorted(words("name_starts"), key=len, reverse=True),
        brands=brands,
        business_words=sorted(words("business_words"), key=len, reverse=True),
        introductions=introductions("introductions"),
        bare_introductions=introductions("bare_introductions"),
        kinds=sorted(words("kinds"), key=len, reverse=True),
        brand_endings=words("brand_endings"),
        not_name_parts=words("not_name_parts"),
        poses_as_authority=poses_as_authority,
        poses_as_authority_written=poses_as_authority_written,
        filler=filler or re.compile("^$"),
        asks_who_calls=alternation(doc, words("asks_who_calls"), ("disclosure", "asks_who_calls")),
        not_debtor=third_party_cues("not_debtor", required=True),
        agent_addresses_third_party=third_party_cues("agent_addresses_third_party"),
        asks_for_household=written_cues("asks_for_household"),
        names_someone_of_theirs=written_cues("names_someone_of_theirs"),
        addresses_as_relative=third_party_cues("addresses_as_relative"),
        denies=third_party_cues("denies"),
        no_answer=written_cues("no_answer"),
        tells_someone_elses_debt=written_cues("tells_someone_elses_debt"),
        asks_for_someone=third_party_cues("asks_for_someone"),
        guarantor=third_party_cues("guarantor"),
        guarantor_by_relation=written_cues("guarantor_by_relation"),
        identity_questions=third_party_cues("identity_questions", required=True),
        questions_for_others=written_cues("questions_for_others"),
        asks_the_debtor=written_cues("asks_the_debtor"),
        confirms=third_party_cues("confirms", required=True),
        plain_yes=written_cues("plain_yes"),
        misheard_yes=doc.strings(third.get("misheard_yes"), ("third_party", "misheard_yes")),
        agent_verified=third_party_cues("agent_verified"),
        wrong_number=third_party_cues("wrong_number"),
        knows_debtor=third_party_cues("knows_debtor"),
        is_debtor=third_party_cues("is_debtor"),
        offers_to_pay=third_party_cues("offers_to_pay"),
        hands_over=third_party_cues("hands_over"),
        says_who_they_are=third_party_cues("says_who_they_are"),
        debtor_asked=third_party_cues("debtor_asked"),
        debtor_consents=third_party_cues("debtor_consents"),
        consent_noted=written_cues("consent_noted"),
        who_is_this=written_cues("who_is_this"),
        unsaid=written_cues("unsaid"),
        declines=written_cues("declines"),
        principal=written_cues("principal"),
        titles=written_cues("titles"),
        names_self=re.compile(third_party_cues("names_self").pattern),
        dialect=dialect,
        reveals=reveals,
        role_cues=role_cues,
        vocabulary=set(doc.strings(data.get("domain_words"), ("domain_words",))) | set(suffixes) | set(brands),
        kept_as_written=set(doc.strings(data.get("kept_as_written"), ("kept_as_written",))),
        third_party_clauses=_third_party_clauses(doc, third.get("clauses")),
    )
    doc.raise_problems()
    return rules
