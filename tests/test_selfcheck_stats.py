import math

import pytest

from pipeline.selfcheck.stats import (
    Stratum,
    sample_size_for_margin,
    stratified_estimate,
    weighted_wilson,
    wilson,
    z_value,
)


def test_z_for_95_percent():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize(
    "margin, confidence, rate, population, expected",
    [
        (0.05, 0.95, 0.5, None, 385),  # the textbook figure
        (0.05, 0.95, 0.5, 1000, 278),  # with the finite population correction
        (0.03, 0.95, 0.5, None, 1068),
        (0.05, 0.99, 0.5, None, 664),
        (0.05, 0.95, 0.1, None, 139),  # a lower expected rate needs fewer calls
        (0.05, 0.95, 0.5, 100, 80),
    ],
)
def test_sample_size_for_margin(margin, confidence, rate, population, expected):
    assert sample_size_for_margin(margin, confidence, rate, population) == expected


def test_sample_size_never_exceeds_a_small_population():
    assert sample_size_for_margin(0.01, 0.95, 0.5, 50) <= 50


@pytest.mark.parametrize("bad", [0, 1, -0.1])
def test_sample_size_rejects_a_margin_outside_0_1(bad):
    with pytest.raises(ValueError, match="margin"):
        sample_size_for_margin(bad)


@pytest.mark.parametrize(
    "k, n, low, high",
    [
        (8, 10, 0.4902, 0.9433),  # Wilson score interval, worked by hand
        (5, 10, 0.2366, 0.7634),
        (0, 20, 0.0, 0.1611),
    ],
)
def test_wilson_interval(k, n, low, high):
    p = wilson(k, n)
    assert p.rate == k / n
    assert p.low == pytest.approx(low, abs=1e-4)
    assert p.high == pytest.approx(high, abs=1e-4)


def test_wilson_of_nothing_has_no_rate():
    p = wilson(0, 0)
    assert (p.rate, p.low, p.high) == (None, None, None)


def test_stratified_estimate_weights_strata_by_population():
    est = stratified_estimate([Stratum(100, 10, 2), Stratum(300, 10, 5)])
    # W = 1/4, 3/4; p = 1/4 * 0.2 + 3/4 * 0.5
    assert est.rate == pytest.approx(0.425)
    variance = (0.25**2) * (1 - 10 / 100) * 0.2 * 0.8 / 9 + (0.75**2) * (1 - 10 / 300) * 0.5 * 0.5 / 9
    assert est.std_error == pytest.approx(math.sqrt(variance))
    assert est.low == pytest.approx(0.425 - 1.959964 * math.sqrt(variance), abs=1e-6)
    assert est.high == pytest.approx(0.425 + 1.959964 * math.sqrt(variance), abs=1e-6)
    assert (est.population, est.sampled, est.violating) == (400, 20, 7)


def test_a_census_has_no_sampling_error():
    est = stratified_estimate([Stratum(10, 10, 3)])
    assert (est.rate, est.low, est.high, est.std_error) == (0.3, 0.3, 0.3, 0.0)


def test_unsampled_strata_are_left_out_and_reported():
    est = stratified_estimate([Stratum(100, 10, 1), Stratum(50, 0, 0)])
    assert est.rate == pytest.approx(0.1)
    assert est.population == 100
    assert est.unsampled_population == 50


def test_interval_stays_within_0_and_1():
    est = stratified_estimate([Stratum(1000, 5, 0), Stratum(1000, 1, 1)])
    assert 0.0 <= est.low <= est.rate <= est.high <= 1.0


def test_weighted_wilson_with_equal_weights_is_the_plain_wilson_interval():
    plain = wilson(7, 10)
    weighted = weighted_wilson([3.0] * 7, [3.0] * 3)
    assert (weighted.k, weighted.n, weighted.rate) == (7, 10, pytest.approx(0.7))
    assert (weighted.low, weighted.high) == (pytest.approx(plain.low), pytest.approx(plain.high))


def test_weighted_wilson_uses_the_weighted_rate_and_the_effective_sample_size():
    # weights 1,1 counted and 8 not: rate 2/10; Kish n = 10² / (1 + 1 + 64) = 1.5 -> 2
    weighted = weighted_wilson([1.0, 1.0], [8.0])
    assert weighted.rate == pytest.approx(0.2) and (weighted.k, weighted.n) == (2, 3)
    ci = wilson(0, 2)  # round(0.2 * 2) = 0 of 2
    assert weighted.low == pytest.approx(min(ci.low, 0.2)) and weighted.high == pytest.approx(ci.high)
    assert weighted_wilson([], []).rate is None
