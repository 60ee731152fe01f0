"""Stratified random samples of a year's calls for the self-check, reproducible and recorded.

The population is every ok call started in the year, sorted by call id. Strata come from any
of agency, agent, month and flagged (the call has a machine finding or not). Sizes are split
over the strata proportionally to their populations or equally, optionally weighting flagged
strata up, with largest-remainder rounding so they add up exactly; then one
``numpy.random.default_rng(seed)`` draws each stratum in sorted stratum order. The same seed
and the same calls therefore give the same sample on any machine.

Each sample is stored in ``samples`` (parameters, population and sample size per stratum, a
digest of the population) and ``sample_calls``, so an auditor can draw it again
(``rederive``) and see whether it matches.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import sqlite_utils

from pipeline.errors import CallqaError
from pipeline.present.labels import STRATUM_LABELS, category_label
from pipeline.selfcheck.stats import sample_size_for_margin
from pipeline.selfcheck.verdicts import Scope
from pipeline.spreadsheet import FORMATS as EXPORT_FORMATS
from pipeline.spreadsheet import write_table
from pipeline.store import now_iso, writing

STRATUM_KEYS = tuple(STRATUM_LABELS)
ALLOCATIONS = ("proportional", "equal")
UNKNOWN = "(未填)"
FLAGGED = {True: "有机器发现", False: "无机器发现"}


class SamplingError(CallqaError, ValueError):
    pass


@dataclass(frozen=True)
class SamplingPlan:
    """Everything that decides a sample; stored as the sample's ``parameters``.

    ``size`` may be None when ``margin`` is given: the size then comes from the margin of
    error for a proportion over the population (see ``stats.sample_size_for_margin``).
    """

    year: int
    seed: int
    size: int | None = None
    by: tuple[str, ...] = ()
    allocation: str = "proportional"
    oversample_flagged: float = 1.0
    margin: float | None = None
    confidence: float = 0.95
    expected_rate: float = 0.5

    def __post_init__(self):
        unknown = [key for key in self.by if key not in STRATUM_KEYS]
        if unknown:
            raise SamplingError(f"unknown stratum {', '.join(unknown)}: choose from {', '.join(STRATUM_KEYS)}")
        if len(set(self.by)) != len(self.by):
            raise SamplingError(f"a stratum is named twice in {','.join(self.by)}")
        if self.allocation not in ALLOCATIONS:
            raise SamplingError(f"allocation must be one of {', '.join(ALLOCATIONS)}, got {self.allocation!r}")
        if not math.isfinite(self.oversample_flagged) or self.oversample_flagged <= 0:
            raise SamplingError(f"--oversample-flagged must be a positive number, got {self.oversample_flagged}")
        if self.size is None and self.margin is None:
            raise SamplingError("give a sample size or a margin of error")
        if self.size is not None and self.size < 1:
            raise SamplingError(f"sample size must be at least 1, got {self.size}")
        # Weighting flagged calls up is only unbiased to estimate from when it is a stratum.
        if self.oversample_flagged != 1.0 and "flagged" not in self.by:
            object.__setattr__(self, "by", (*self.by, "flagged"))

    def to_json(self) -> dict:
        return {**asdict(self), "by": list(self.by)}

    @classmethod
    def from_json(cls, data: dict) -> SamplingPlan:
        return cls(**{**data, "by": tuple(data["by"])})


@dataclass(frozen=True)
class PopulationCall:
    call_id: str
    started_at: str | None
    agency: str | None
    agent_id: str | None
    duration: float | None
    categories: tuple[str, ...]  # of its machine findings, sorted

    @property
    def flagged(self) -> bool:
        return bool(self.categories)

    def stratum(self, by: tuple[str, ...]) -> tuple[str, ...]:
        values = {
            "agency": self.agency or UNKNOWN,
            "agent": self.agent_id or UNKNOWN,
            "month": (self.started_at or "")[:7] or UNKNOWN,
            "flagged": FLAGGED[self.flagged],
        }
        return tuple(values[key] for key in by)


@dataclass
class StratumSize:
    key: tuple[str, ...]
    population: int
    sample: int

    @property
    def label(self) -> str:
        return " | ".join(self.key) or "全部"


@dataclass
class Sample:
    plan: SamplingPlan
    size: int
    strata: list[StratumSize]
    calls: list[tuple[str, str]]  # (call id, stratum label), in sample order
    population_digest: str
    # numpy promises the same stream from the same seed only within a version: recorded so an
    # auditor redrawing with another numpy knows why a sample might differ.
    numpy_version: str = np.__version__
    sample_id: int | None = None
    created_at: str | None = None
    created_by: str | None = None
    members: dict[str, PopulationCall] = field(default_factory=dict, repr=False)

    @property
    def call_ids(self) -> list[str]:
        return [call_id for call_id, _ in self.calls]


def load_population(db: sqlite_utils.Database, year: int) -> list[PopulationCall]:
    """Ok calls started in ``year``, sorted by id (never SQLite's row order)."""
    where, params = Scope(year=year).where()
    rows = db.execute(
        "SELECT c.id, c.started_at, c.agency, c.agent_id, c.duration, "
        "(SELECT group_concat(DISTINCT f.category) FROM findings f WHERE f.call_id = c.id) "
        f"FROM calls c WHERE {where}",
        params,
    ).fetchall()
    population = [
        PopulationCall(
            call_id=row[0],
            started_at=row[1],
            agency=row[2],
            agent_id=row[3],
            duration=row[4],
            categories=tuple(sorted(row[5].split(","))) if row[5] else (),
        )
        for row in rows
    ]
    return sorted(population, key=lambda c: c.call_id)


def population_digest(population: list[PopulationCall]) -> str:
    """sha256 over the sorted call ids and their flagged state: changes when the population does."""
    digest = hashlib.sha256()
    for call in population:
        digest.update(f"{call.call_id}\t{int(call.flagged)}\n".encode())
    return digest.hexdigest()


def allocate(population_sizes: dict[tuple, int], total: int, weights: dict[tuple, float]) -> dict[tuple, int]:
    """Split ``total`` over strata in proportion to ``weights``, never above a stratum's size.

    A stratum whose share reaches its population is taken whole and the rest is shared again;
    the remaining shares are rounded down and the calls left over go to the largest fractional
    parts (ties: stratum order), so the sizes add up to ``total`` exactly.
    """
    if total > sum(population_sizes.values()):
        raise SamplingError(
            f"sample size {total} is larger than the population ({sum(population_sizes.values())} calls)"
        )
    sizes: dict[tuple, int] = {}
    open_strata = sorted(key for key, n in population_sizes.items() if n > 0)
    remaining = total
    while True:
        weight_sum = sum(weights[key] for key in open_strata)
        shares = {key: remaining * weights[key] / weight_sum for key in open_strata} if open_strata else {}
        full = [key for key in open_strata if shares[key] >= population_sizes[key]]
        if not full:
            break
        for key in full:
            sizes[key] = population_sizes[key]
            remaining -= population_sizes[key]
            open_strata.remove(key)
    floors = {key: math.floor(share) for key, share in shares.items()}
    left_over = remaining - sum(floors.values())
    by_remainder = sorted(open_strata, key=lambda key: (-(shares[key] - floors[key]), key))
    for key in by_remainder[:left_over]:
        floors[key] += 1
    sizes.update(floors)
    return {key: sizes.get(key, 0) for key in sorted(population_sizes)}


def draw_sample(db: sqlite_utils.Database, plan: SamplingPlan) -> Sample:
    """Draw (without storing) the sample ``plan`` describes."""
    population = load_population(db, plan.year)
    if not population:
        raise SamplingError(f"no ok calls started in {plan.year}: nothing to sample")
    size = plan.size
    if size is None:
        size = sample_size_for_margin(plan.margin, plan.confidence, plan.expected_rate, len(population))
    members: dict[tuple, list[PopulationCall]] = defaultdict(list)
    for call in population:
        members[call.stratum(plan.by)].append(call)
    population_sizes = {key: len(calls) for key, calls in members.items()}
    flagged_position = plan.by.index("flagged") if "flagged" in plan.by else None

    def weight(key: tuple) -> float:
        base = population_sizes[key] if plan.allocation == "proportional" else 1.0
        if flagged_position is not None and key[flagged_position] == FLAGGED[True]:
            return base * plan.oversample_flagged
        return base

    sizes = allocate(population_sizes, size, {key: weight(key) for key in population_sizes})
    rng = np.random.default_rng(plan.seed)
    strata = []
    calls = []
    for key in sorted(members):
        stratum = StratumSize(key=key, population=population_sizes[key], sample=sizes[key])
        strata.append(stratum)
        picked = rng.choice(len(members[key]), size=sizes[key], replace=False)
        calls.extend((members[key][i].call_id, stratum.label) for i in sorted(picked))
    return Sample(
        plan=plan,
        size=size,
        strata=strata,
        calls=calls,
        population_digest=population_digest(population),
        members={c.call_id: c for c in population},
    )


def record_sample(
    db: sqlite_utils.Database, sample: Sample, created_by: str | None, out: str | Path | None = None
) -> int:
    """Store the sample in ``samples`` and ``sample_calls``; returns its id.

    With ``out`` the sample list is written there inside the same transaction: a sample whose
    file cannot be written is not recorded.
    """
    created_at = now_iso()
    parameters = {
        **sample.plan.to_json(),
        "population_digest": sample.population_digest,
        "numpy_version": sample.numpy_version,
    }
    population = {
        "total": sum(s.population for s in sample.strata),
        "strata": [
            {
                "stratum": s.label,
                "key": dict(zip(sample.plan.by, s.key)),
                "population": s.population,
                "sample": s.sample,
            }
            for s in sample.strata
        ],
    }
    with writing(db):
        sample_id = (
            db["samples"]
            .insert(
                {
                    "created_at": created_at,
                    "created_by": created_by,
                    "seed": sample.plan.seed,
                    "size": sample.size,
                    "parameters": json.dumps(parameters, ensure_ascii=False),
                    "population": json.dumps(population, ensure_ascii=False),
                }
            )
            .last_pk
        )
        db["sample_calls"].insert_all(
            {"sample_id": sample_id, "call_id": call_id, "stratum": stratum, "position": position}
            for position, (call_id, stratum) in enumerate(sample.calls, 1)
        )
        sample.sample_id, sample.created_at, sample.created_by = sample_id, created_at, created_by
        if out is not None:
            write_sample(out, db, sample)
    return sample_id


def take_sample(
    db: sqlite_utils.Database, plan: SamplingPlan, created_by: str | None, out: str | Path | None = None
) -> Sample:
    """``callqa sample``: the plan's sample drawn and recorded (its id in ``sample_id``), its list
    written to ``out`` if given. A file name callqa cannot write is refused before drawing."""
    if out is not None and Path(out).suffix.lower() not in EXPORT_FORMATS:
        raise SamplingError(f"{out}: write the sample as .xlsx or .csv")
    sample = draw_sample(db, plan)
    record_sample(db, sample, created_by, out)
    return sample


def load_sample(db: sqlite_utils.Database, sample_id: int) -> Sample:
    """A stored sample as it was recorded."""
    row = None
    if 0 < sample_id < 2**63:  # SQLite's integers; a larger id cannot be stored, so it is no sample
        row = db.execute(
            "SELECT seed, size, parameters, population, created_at, created_by FROM samples WHERE id = ?", [sample_id]
        ).fetchone()
    if row is None:
        raise SamplingError(f"no sample with id {sample_id}")
    seed, size, parameters, population, created_at, created_by = row
    parameters = json.loads(parameters)
    digest = parameters.pop("population_digest")
    numpy_version = parameters.pop("numpy_version")
    plan = SamplingPlan.from_json(parameters)
    strata = [
        StratumSize(key=tuple(s["key"][k] for k in plan.by), population=s["population"], sample=s["sample"])
        for s in json.loads(population)["strata"]
    ]
    calls = [
        (r[0], r[1])
        for r in db.execute(
            "SELECT call_id, stratum FROM sample_calls WHERE sample_id = ? ORDER BY position", [sample_id]
        )
    ]
    return Sample(plan, size, strata, calls, digest, numpy_version, sample_id, created_at, created_by)


def latest_sample_id(db: sqlite_utils.Database, year: int) -> int | None:
    """The newest sample drawn from ``year``'s calls."""
    row = db.execute(
        "SELECT id FROM samples WHERE json_extract(parameters, '$.year') = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        [year],
    ).fetchone()
    return row[0] if row else None


@dataclass
class Rederivation:
    stored: Sample
    redrawn: Sample

    @property
    def same_population(self) -> bool:
        return self.stored.population_digest == self.redrawn.population_digest

    @property
    def same_numpy(self) -> bool:
        return self.stored.numpy_version == self.redrawn.numpy_version

    @property
    def same_calls(self) -> bool:
        return self.stored.calls == self.redrawn.calls


def rederive(db: sqlite_utils.Database, sample_id: int) -> Rederivation:
    """Draw a stored sample again from its stored parameters, to compare with what was stored.

    The stored size is reused, so a size computed from a margin is not recomputed. A different
    population digest means calls were added or rescanned since: the draw cannot match then.
    """
    stored = load_sample(db, sample_id)
    plan = SamplingPlan.from_json({**stored.plan.to_json(), "size": stored.size})
    return Rederivation(stored=stored, redrawn=draw_sample(db, plan))


SAMPLE_HEADERS = ["序号", "通话编号", "分层", "机构", "坐席", "通话开始时间", "时长（秒）", "机器发现类别"]


def sample_rows(db: sqlite_utils.Database, sample: Sample) -> list[list]:
    """One row per sampled call, in sample order, under ``SAMPLE_HEADERS``."""
    members = sample.members or {c.call_id: c for c in load_population(db, sample.plan.year)}
    rows = []
    for position, (call_id, stratum) in enumerate(sample.calls, 1):
        call = members.get(call_id)
        if call is None:  # removed from the database since the sample was drawn
            rows.append([position, call_id, stratum, "", "", "", "", ""])
            continue
        rows.append(
            [
                position,
                call_id,
                stratum,
                call.agency or "",
                call.agent_id or "",
                call.started_at or "",
                call.duration if call.duration is not None else "",
                "、".join(category_label(c) for c in call.categories),
            ]
        )
    return rows


def write_sample(path: str | Path, db: sqlite_utils.Database, sample: Sample) -> None:
    """The sample list as ``.xlsx`` (with a sheet of its parameters) or ``.csv``."""
    path = Path(path)
    if path.suffix.lower() not in EXPORT_FORMATS:
        raise SamplingError(f"{path}: write the sample as .xlsx or .csv")
    write_table(
        path,
        SAMPLE_HEADERS,
        sample_rows(db, sample),
        "抽样清单",
        extra_sheets={"抽样参数": sample_parameters_table(sample)},
    )


def sample_parameters_table(sample: Sample) -> list[tuple[str, str]]:
    """The sample's parameters in Chinese, for the export and the report."""
    plan = sample.plan
    rows = [
        ("样本编号", str(sample.sample_id or "")),
        ("抽样年度", str(plan.year)),
        ("随机种子", str(plan.seed)),
        ("样本量", str(sample.size)),
        ("总体通话数", str(sum(s.population for s in sample.strata))),
        ("分层依据", "、".join(STRATUM_LABELS[k] for k in plan.by) or "不分层"),
        ("分配方式", {"proportional": "按比例分配", "equal": "等量分配"}[plan.allocation]),
        ("有机器发现通话加权", f"{plan.oversample_flagged:g}"),
    ]
    if plan.margin is not None:
        rows += [
            ("允许误差", f"±{plan.margin:.1%}"),
            ("置信水平", f"{plan.confidence:.0%}"),
            ("预期违规率", f"{plan.expected_rate:.0%}"),
        ]
    rows += [
        ("总体摘要（SHA-256）", sample.population_digest),
        ("随机数库", f"numpy {sample.numpy_version}（PCG64）"),
        ("创建人", sample.created_by or ""),
        ("创建时间", sample.created_at or ""),
    ]
    return rows
