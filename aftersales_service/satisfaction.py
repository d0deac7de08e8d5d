"""The customer satisfaction index of seed 002 example 6.

Every indicator i (service attitude, response speed…) is asked twice: how much it
matters to the customer (the *expected* score, Y'ij) and how well we did (the
*actual* score, Yij), on the same scale. Over the n customers who answered:

(1) mean expected score      Y'i = Σj Y'ij / n
(2) weight                   Wi  = Y'i / Σk Y'k        (Σ Wi = 1)
(3) mean actual score        Yi  = Σj Yij / n
(4) satisfaction             Ci  = Yi / Y'i            (1.136 reads 113.60 %)
    index                    I   = Σ Wi·Ci

Since Wi·Ci = Yi / Σk Y'k, the index is also Σ Yi / Σ Y'i: the actual means over
the expected means. The tests check both ways.

Edges, decided here once:

- An indicator is *rated* when it has a mean expected score above zero and a mean
  actual score. Only rated indicators are weighed: the weights are taken over
  them, so that they still sum to 1 and formula (2) holds among them.
- No expected answer, or an expected mean of 0 (nobody cares, on a 0-10 scale):
  Ci has no meaning (a division by zero); the indicator is not rated.
- Expected answers but no actual one (every customer skipped "how did we do"):
  nothing is known of satisfaction; the indicator is not rated rather than
  counted as 0 %, which would read a silence as dissatisfaction.
- No rated indicator at all (no answers): the index is ``None``, not 0.
- Negative or non-finite scores are refused (``ValueError``): a scale runs from 0.
"""

import math
from dataclasses import dataclass

# Two indices closer than this share a rank (float noise, not a difference).
RANK_DIGITS = 9


def _check_score(value, label):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{label} must be a number, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{label} must be a finite number from 0, not {value!r}")
    return float(value)


def mean(total, count):
    """``total / count``, or ``None`` when nobody answered."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"a count of answers is a whole number from 0, not {count!r}")
    if not count:
        return None
    return _check_score(total, "a sum of scores") / count


@dataclass(frozen=True)
class Tally:
    """The answers of one indicator in one scope: sums and counts of the
    expected and actual scores. Tallies add up (a region is the sum of its
    stations), means do not: aggregate tallies, then take the means."""

    expected_sum: float = 0.0
    expected_count: int = 0
    actual_sum: float = 0.0
    actual_count: int = 0

    @classmethod
    def of(cls, expected=(), actual=()):
        """The tally of lists of single scores."""
        expected = [_check_score(score, "an expected score") for score in expected]
        actual = [_check_score(score, "an actual score") for score in actual]
        return cls(sum(expected), len(expected), sum(actual), len(actual))

    def __add__(self, other):
        return Tally(
            self.expected_sum + other.expected_sum,
            self.expected_count + other.expected_count,
            self.actual_sum + other.actual_sum,
            self.actual_count + other.actual_count,
        )

    @property
    def expected_mean(self):
        return mean(self.expected_sum, self.expected_count)

    @property
    def actual_mean(self):
        return mean(self.actual_sum, self.actual_count)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's figures; ``weight``, ``satisfaction`` (Ci) and
    ``contribution`` (Wi·Ci) are ``None`` when it is not rated."""

    expected_mean: float | None
    actual_mean: float | None
    weight: float | None = None
    satisfaction: float | None = None
    contribution: float | None = None

    @property
    def rated(self):
        return self.weight is not None


@dataclass(frozen=True)
class IndexResult:
    """The index (``None`` without any rated indicator) and each indicator's
    figures, by the keys the caller gave."""

    value: float | None
    indicators: dict

    @property
    def rated(self):
        """Keys of the indicators that were weighed."""
        return [key for key, result in self.indicators.items() if result.rated]


def is_rated(expected_mean, actual_mean):
    return expected_mean is not None and expected_mean > 0 and actual_mean is not None


def satisfaction_index(means):
    """The index from ``{indicator: (mean expected, mean actual)}``; a mean is
    ``None`` when nobody gave that score."""
    checked = {
        key: (
            _check_score(expected, "a mean expected score"),
            _check_score(actual, "a mean actual score"),
        )
        for key, (expected, actual) in means.items()
    }
    total_expected = sum(
        expected for expected, actual in checked.values() if is_rated(expected, actual)
    )
    indicators = {}
    value = None
    for key, (expected, actual) in checked.items():
        if not is_rated(expected, actual):
            indicators[key] = IndicatorResult(expected, actual)
            continue
        weight = expected / total_expected  # (2)
        satisfaction = actual / expected  # (4)
        contribution = weight * satisfaction
        indicators[key] = IndicatorResult(
            expected, actual, weight, satisfaction, contribution
        )
        value = (value or 0.0) + contribution
    return IndexResult(value, indicators)


def index_from_tallies(tallies):
    """The index from ``{indicator: Tally}`` (formulas (1) and (3) first)."""
    return satisfaction_index(
        {
            key: (tally.expected_mean, tally.actual_mean)
            for key, tally in tallies.items()
        }
    )


def competition_rank(values):
    """Ranks of ``{key: index}``, best (highest) first, equal indices sharing
    a rank and the next rank skipping as many ("1, 2, 2, 4"). Keys whose
    index is ``None`` get no rank."""
    ordered = sorted(
        (
            (round(value, RANK_DIGITS), key)
            for key, value in values.items()
            if value is not None
        ),
        key=lambda item: -item[0],
    )
    ranks = {}
    previous = None
    rank = 0
    for position, (value, key) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks
