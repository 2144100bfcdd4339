"""The small pieces of statistics the analysis needs, in plain Python (no SciPy).

- ``poisson_upper_tail(k, mean)``: P(X >= k) for X ~ Poisson(mean), through the regularised lower
  incomplete gamma function P(k, mean) (the two are equal for whole k >= 1). Series expansion below
  ``mean < k + 1`` (where small tail probabilities live, accurately), continued fraction above it.
- ``median`` and ``percentile``: the median is the middle value (the mean of the two middle values
  when there is an even number); other percentiles use the nearest-rank method.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

HOTSPOT_P_VALUE = 0.01
HOTSPOT_MIN_COUNT = 3

_EPSILON = 1e-15
_MAX_ITERATIONS = 100_000


def _lower_gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    n = a
    for _ in range(_MAX_ITERATIONS):
        n += 1
        term *= x / n
        total += term
        if abs(term) < abs(total) * _EPSILON:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_gamma_fraction(a: float, x: float) -> float:
    """Q(a, x) by Lentz's continued fraction (Numerical Recipes' gcf)."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITERATIONS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < tiny:
            d = tiny
        c = b + an / c
        if abs(c) < tiny:
            c = tiny
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPSILON:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def regularised_lower_gamma(a: float, x: float) -> float:
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0:
        return 0.0
    if x < a + 1.0:
        return min(1.0, _lower_gamma_series(a, x))
    return max(0.0, 1.0 - _upper_gamma_fraction(a, x))


def poisson_upper_tail(k: int, mean: float) -> float:
    """P(X >= k) where X is Poisson with the given mean."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    return regularised_lower_gamma(float(k), float(mean))


def poisson_upper_tail_by_sum(k: int, mean: float) -> float:
    """The same tail as 1 - sum of P(X = i) for i < k: exact enough for small k, used to check the above."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    below = sum(math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1)) for i in range(k))
    return max(0.0, 1.0 - below)


def is_hotspot(observed: int, expected: float | None) -> tuple[bool, float | None]:
    """Whether a count is unusually high for its expectation: observed >= 3 and P(X >= observed) < 0.01."""
    if expected is None or expected <= 0:
        return False, None
    p_value = poisson_upper_tail(observed, expected)
    return observed >= HOTSPOT_MIN_COUNT and p_value < HOTSPOT_P_VALUE, p_value


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank p-th percentile: the smallest value with at least p% of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def share(count: int, of: int) -> float | None:
    """count / of as a percentage, or None when there is nothing to divide by."""
    return 100.0 * count / of if of else None
