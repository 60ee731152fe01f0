"""The reviewer-facing Chinese for the refusals that ``queries``, ``team``, ``appeals`` and
``auth`` raise in English (the command line prints those as they are)."""

from __future__ import annotations

import re

from pipeline.errors import CallqaError

# (pattern of the English message, its Chinese); groups are carried over.
MESSAGES = [
    (r"call (.+) is held by (.+)", r"通话已由 \2 负责"),
    (r"no call '?(.+?)'?", r"没有这通电话"),
    (r"no active reviewer '?(.+?)'?", r"没有在职质检员 \1"),
    (r"an appeal needs a reason", "申诉需要写明理由"),
    (r"no finding \d+ on a call of .+", "没有这条发现，或不是本机构的通话"),
    (r"only a confirmed finding can be appealed", "只能对结论为「属实」的发现申诉"),
    (r"this finding already has an appeal waiting for a decision", "这条发现已有待复议的申诉"),
    (r"decision must be one of .+", "复议结论无效"),
    (r"no appeal \d+", "没有这条申诉"),
    (r"appeal \d+ was already decided", "这条申诉已复议过"),
    (r"an appeal is decided by a second reviewer.+", "申诉须由另一位质检员复议（不能是原结论的质检员）"),
    (r"verdict must be one of .+", "结论无效"),
    (r"no finding \d+", "没有这条发现"),
    (r"a missed finding needs a category", "补充漏检需要选择类别"),
    (r"unknown category .+", "类别无效"),
    (r"password must have at least (\d+) characters", r"密码至少 \1 个字符"),
    (r"an appellant account needs .+", "申诉账号需要填写所属机构"),
    (r"username must not be empty", "用户名不能为空"),
    (r"role must be one of .+", "角色无效"),
    (r"time span (.+)–(.+) s is not valid", r"时间段 \1–\2 秒无效（需从 0 开始、结束不早于开始）"),
]


def chinese(exc: CallqaError | str) -> str:
    text = str(exc)
    for pattern, replacement in MESSAGES:
        match = re.fullmatch(pattern, text)
        if match:
            return match.expand(replacement)
    return text
