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


# ---------------------------------------------------------------------------------------------------
# New hotspots: this period against the same ward's previous 12 months


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (Numerical Recipes' betacf, Lentz's method)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, _MAX_ITERATIONS):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPSILON:
            break
    return h


def regularised_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) where X is binomial(n, p): I_p(k, n - k + 1)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return min(1.0, max(0.0, regularised_beta(float(k), float(n - k + 1), p)))


def binomial_upper_tail_by_sum(k: int, n: int, p: float) -> float:
    """The same tail summed term by term (for checking the above on small n)."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(max(k, 0), n + 1))


def is_new_hotspot(current: int, previous: int, current_days: int, previous_days: int) -> tuple[bool, float | None]:
    """Whether a ward's count in a period is well above its own previous 12 months: the conditional binomial
    test of two Poisson counts. If the daily rate had not changed, then given the n = current + previous
    incidents, current ~ binomial(n, p) with p = current_days / (current_days + previous_days); flagged when
    current >= 3, current is above what the previous rate predicts, and P(X >= current) < 0.01.

    The exact tail is worked out only where it could be below the threshold (the p-value is None elsewhere):
    not for a count at or below what the previous rate predicts, nor for one less than 1.5 standard deviations
    above it when the standard deviation is 5 or more (there the tail is above 0.06)."""
    n = current + previous
    p = current_days / (current_days + previous_days)
    above = current * previous_days > previous * current_days
    if current < HOTSPOT_MIN_COUNT or not above:
        return False, None
    spread = math.sqrt(n * p * (1 - p))
    if spread >= 5 and (current - n * p) / spread < 1.5:
        return False, None
    p_value = binomial_upper_tail(current, n, p)
    return p_value < HOTSPOT_P_VALUE, p_value
