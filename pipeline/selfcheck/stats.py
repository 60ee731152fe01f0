"""Intervals and sample sizes. scipy does the maths; this module only picks the formulas.

- ``wilson``: a binomial proportion with its Wilson score interval (scipy's ``binomtest``).
- ``sample_size_for_margin``: Cochran's size for estimating a proportion, with the finite
  population correction.
- ``stratified_estimate``: the population rate from a stratified sample, each stratum weighted
  by its share of the population N_h/N, with a normal interval from the estimator's variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import binomtest, norm


@dataclass(frozen=True)
class Proportion:
    """k of n, with a confidence interval. ``rate``, ``low`` and ``high`` are None when n is 0."""

    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None

    def to_json(self) -> dict:
        return {"k": self.k, "n": self.n, "rate": self.rate, "low": self.low, "high": self.high}


def z_value(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (0.95 -> 1.96)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return float(norm.ppf(1 - (1 - confidence) / 2))


def wilson(k: int, n: int, confidence: float = 0.95) -> Proportion:
    if n == 0:
        return Proportion(k=0, n=0, rate=None, low=None, high=None)
    ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return Proportion(k=k, n=n, rate=k / n, low=float(ci.low), high=float(ci.high))


def weighted_wilson(counted: list[float], not_counted: list[float], confidence: float = 0.95) -> Proportion:
    """A proportion over units that carry design weights (the weights of the units counted, then
    of the others): the weighted rate, with a Wilson interval on Kish's effective sample size
    (Σw)² / Σw². With equal weights this is the plain Wilson interval."""
    weights = counted + not_counted
    if not weights:
        return Proportion(k=0, n=0, rate=None, low=None, high=None)
    rate = sum(counted) / sum(weights)
    n_effective = max(1, round(sum(weights) ** 2 / sum(w * w for w in weights)))
    ci = binomtest(round(rate * n_effective), n_effective).proportion_ci(confidence_level=confidence, method="wilson")
    # Rounding the effective counts can move the interval a hair off the weighted rate.
    return Proportion(
        k=len(counted), n=len(weights), rate=rate, low=min(float(ci.low), rate), high=max(float(ci.high), rate)
    )


def sample_size_for_margin(
    margin: float, confidence: float = 0.95, expected_rate: float = 0.5, population: int | None = None
) -> int:
    """Calls to sample so a proportion's interval is ±``margin`` wide.

    Cochran: n0 = z² p(1−p) / e²; with a finite population N, n = n0 / (1 + (n0 − 1)/N),
    rounded up (e = 0.05 at 95 % with p = 0.5 gives 385; for N = 1000, 278).
    """
    if not 0 < margin < 1:
        raise ValueError(f"margin of error must be between 0 and 1, got {margin}")
    if not 0 < expected_rate < 1:
        raise ValueError(f"expected rate must be between 0 and 1, got {expected_rate}")
    n0 = z_value(confidence) ** 2 * expected_rate * (1 - expected_rate) / margin**2
    if population is not None:
        if population < 1:
            raise ValueError(f"population must be at least 1, got {population}")
        n0 = n0 / (1 + (n0 - 1) / population)
    # Round away float noise before rounding up, so an exact 278.0 does not become 279.
    return math.ceil(round(n0, 9))


@dataclass(frozen=True)
class Stratum:
    """One stratum's population size, calls sampled, and sampled calls found violating."""

    population: int
    sampled: int
    violating: int


@dataclass(frozen=True)
class StratifiedEstimate:
    rate: float | None
    low: float | None
    high: float | None
    std_error: float | None
    population: int  # N of the strata that were sampled
    sampled: int
    violating: int
    unsampled_population: int  # calls in strata with no sampled call: not covered by the estimate

    def to_json(self) -> dict:
        return dict(self.__dict__)


def stratified_estimate(strata: list[Stratum], confidence: float = 0.95) -> StratifiedEstimate:
    """p̂ = Σ W_h p_h with W_h = N_h/N; Var(p̂) = Σ W_h² (1 − n_h/N_h) p_h(1 − p_h)/(n_h − 1).

    A stratum with a single sampled call has no variance estimate; it is given the largest
    possible one, p(1−p) = 1/4, so the interval errs wide. Strata with no sampled call are left
    out and their size reported, since nothing is known about them.
    """
    covered = [s for s in strata if s.sampled > 0]
    unsampled = sum(s.population for s in strata if s.sampled == 0)
    total = sum(s.population for s in covered)
    sampled = sum(s.sampled for s in covered)
    violating = sum(s.violating for s in covered)
    if total == 0:
        return StratifiedEstimate(None, None, None, None, 0, sampled, violating, unsampled)
    rate = 0.0
    variance = 0.0
    for s in covered:
        weight = s.population / total
        p = s.violating / s.sampled
        rate += weight * p
        finite_correction = 1 - s.sampled / s.population
        unit_variance = p * (1 - p) / (s.sampled - 1) if s.sampled > 1 else 0.25
        variance += weight**2 * finite_correction * unit_variance
    std_error = math.sqrt(variance)
    half_width = z_value(confidence) * std_error
    return StratifiedEstimate(
        rate=rate,
        low=max(0.0, rate - half_width),
        high=min(1.0, rate + half_width),
        std_error=std_error,
        population=total,
        sampled=sampled,
        violating=violating,
        unsampled_population=unsampled,
    )
