"""The Poisson tail and the percentiles the pages state, checked against direct computation."""

import pytest

from insights import stats


@pytest.mark.parametrize(
    ("k", "mean"),
    [
        (1, 0.5),
        (3, 0.2),
        (5, 1.3),
        (8, 2.75),
        (10, 3.0),
        (20, 25.0),
        (50, 30.0),
        (3, 3.0),
        (7, 20.0),
        (2, 0.005),
        (120, 100.0),
    ],
)
def test_the_poisson_tail_matches_the_exact_sum(k, mean):
    assert stats.poisson_upper_tail(k, mean) == pytest.approx(
        stats.poisson_upper_tail_by_sum(k, mean), rel=1e-9, abs=1e-15
    )


def test_known_poisson_tails():
    assert stats.poisson_upper_tail(0, 4.0) == 1.0
    assert stats.poisson_upper_tail(1, 2.0) == pytest.approx(1 - 0.1353352832366127)
    assert stats.poisson_upper_tail(3, 0.0) == 0.0
    assert 0 < stats.poisson_upper_tail(40_000, 39_000.0) < 1e-6  # large counts stay quick and sane


def test_the_hotspot_rule_needs_both_a_small_p_and_three_cases():
    assert stats.is_hotspot(8, 2.75)[0]
    assert not stats.is_hotspot(2, 0.005)[0]  # p is tiny, but two cases are too few
    assert not stats.is_hotspot(3, 3.0)[0]
    assert stats.is_hotspot(5, None) == (False, None)


def test_median_and_nearest_rank_percentile():
    assert stats.median([]) is None
    assert stats.percentile([], 90) is None
    assert stats.median([4, 1, 2, 1]) == 1.5
    assert stats.median([1, 3, 19]) == 3
    assert stats.percentile([1, 1, 2, 4], 90) == 4
    assert stats.percentile(list(range(1, 11)), 90) == 9
    assert stats.percentile(list(range(1, 21)), 90) == 18
    assert stats.percentile([7], 90) == 7


def test_the_binomial_tail_matches_the_sum_of_its_terms():
    for k, n, p in [(5, 10, 0.5), (9, 12, 0.5), (30, 40, 0.48), (3, 3, 0.5), (2, 60, 0.02), (100, 150, 0.5)]:
        assert stats.binomial_upper_tail(k, n, p) == pytest.approx(stats.binomial_upper_tail_by_sum(k, n, p), rel=1e-9)


def test_a_new_hotspot_needs_three_a_rise_and_a_tail_below_one_in_a_hundred():
    assert stats.is_new_hotspot(7, 0, 365, 365)[0]  # P = 0.5^7 = 0.0078
    assert not stats.is_new_hotspot(6, 0, 365, 365)[0]  # P = 0.5^6 = 0.0156
    assert not stats.is_new_hotspot(2, 0, 30, 365)[0]  # fewer than three, however unlikely
    assert not stats.is_new_hotspot(8, 8, 365, 365)[0]  # the same as the year before


def test_the_shortcut_never_changes_a_decision():
    """Where the exact tail is skipped, computing it would not have flagged the count either."""
    for current_days, previous_days in ((365, 365), (31, 365), (90, 365)):
        for previous in (0, 5, 40, 200, 1500):
            for current in range(0, 400, 3):
                flagged, p_value = stats.is_new_hotspot(current, previous, current_days, previous_days)
                n, p = current + previous, current_days / (current_days + previous_days)
                exact = (
                    current >= 3
                    and current * previous_days > previous * current_days
                    and stats.binomial_upper_tail(current, n, p) < 0.01
                )
                assert flagged == exact, (current, previous, current_days)
