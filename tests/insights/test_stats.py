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
