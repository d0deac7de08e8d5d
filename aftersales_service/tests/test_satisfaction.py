import pytest

from aftersales_service import satisfaction
from aftersales_service.satisfaction import Tally


def test_formulas_on_hand_built_answers():
    # Four customers, three indicators, scores 1-5 (seed 002: Likert 5 levels).
    tallies = {
        # expected 5 5 4 4 -> 18/4 = 4.5; actual 5 5 5 5 -> 20/4 = 5.0
        "attitude": Tally.of(expected=[5, 5, 4, 4], actual=[5, 5, 5, 5]),
        # expected 4 4 4 4 -> 4.0; actual 3 2 3 4 -> 12/4 = 3.0
        "speed": Tally.of(expected=[4, 4, 4, 4], actual=[3, 2, 3, 4]),
        # expected 1 2 1 2 -> 6/4 = 1.5; actual 2 1 2 1 -> 1.5
        "price": Tally.of(expected=[1, 2, 1, 2], actual=[2, 1, 2, 1]),
    }
    result = satisfaction.index_from_tallies(tallies)
    attitude, speed, price = (result.indicators[k] for k in tallies)
    assert (attitude.expected_mean, attitude.actual_mean) == (4.5, 5.0)
    assert (speed.expected_mean, speed.actual_mean) == (4.0, 3.0)
    # (2) sum of expected means 4.5 + 4.0 + 1.5 = 10: W = .45, .40, .15
    assert attitude.weight == pytest.approx(0.45)
    assert speed.weight == pytest.approx(0.40)
    assert price.weight == pytest.approx(0.15)
    # (4) C = 5/4.5 = 1.1111, 3/4 = 0.75, 1.5/1.5 = 1
    assert attitude.satisfaction == pytest.approx(10 / 9)
    assert speed.satisfaction == pytest.approx(0.75)
    assert price.satisfaction == pytest.approx(1.0)
    # Σ Wi·Ci = .45 x 10/9 + .40 x .75 + .15 x 1 = .50 + .30 + .15 = .95
    assert attitude.contribution == pytest.approx(0.50)
    assert result.value == pytest.approx(0.95)
    # ... which is Σ actual means / Σ expected means = 9.5 / 10.
    assert result.value == pytest.approx((5.0 + 3.0 + 1.5) / (4.5 + 4.0 + 1.5))
    assert sum(r.weight for r in result.indicators.values()) == pytest.approx(1.0)


def test_service_attitude_as_in_the_seed():
    # 30 customers: expected 20 x 5 + 5 x 4 + 5 x 1 = 125, actual 22 x 5 + 8 x 4
    # = 142; C = (142/30) / (125/30) = 142/125 = 1.136, the seed's 113.60 %.
    attitude = Tally.of(
        expected=[5] * 20 + [4] * 5 + [1] * 5, actual=[5] * 22 + [4] * 8
    )
    result = satisfaction.index_from_tallies({"attitude": attitude})
    assert round(result.indicators["attitude"].satisfaction * 100, 2) == 113.60
    # Alone, the indicator weighs 1 and the index is its satisfaction.
    assert result.indicators["attitude"].weight == 1.0
    assert result.value == pytest.approx(1.136)


def test_tallies_add_up_before_the_means():
    # Station A: expected 4 4, actual 2 2; station B: expected 2, actual 2.
    a = Tally.of(expected=[4, 4], actual=[2, 2])
    b = Tally.of(expected=[2], actual=[2])
    region = a + b
    # Region means from the sums (10/3, 6/3), not the mean of means (3, 2).
    assert region.expected_mean == pytest.approx(10 / 3)
    assert region.actual_mean == pytest.approx(2.0)
    assert region == Tally(10.0, 3, 6.0, 3)


def test_no_answers_gives_no_index():
    result = satisfaction.index_from_tallies({"attitude": Tally(), "speed": Tally()})
    assert result.value is None
    assert result.rated == []
    assert result.indicators["attitude"].satisfaction is None
    assert satisfaction.satisfaction_index({}).value is None


def test_zero_expected_is_not_rated():
    # Nobody cares about the price (0 on a 0-10 scale): no C, no weight; speed
    # alone: 3 / 4.
    result = satisfaction.satisfaction_index({"price": (0.0, 5.0), "speed": (4.0, 3.0)})
    assert not result.indicators["price"].rated
    assert result.indicators["price"].satisfaction is None
    assert result.indicators["speed"].weight == 1.0
    assert result.value == pytest.approx(0.75)


def test_indicator_missing_a_score_leaves_the_weighing():
    # Speed has no expected answer, price no actual answer: only attitude
    # (4 / 5 = 0.8) and quality (5 / 5 = 1.0) are weighed: W = 5/10 each,
    # index = .5 x .8 + .5 x 1 = .9.
    result = satisfaction.satisfaction_index(
        {
            "attitude": (5.0, 4.0),
            "speed": (None, 4.0),
            "price": (3.0, None),
            "quality": (5.0, 5.0),
        }
    )
    assert result.rated == ["attitude", "quality"]
    assert result.indicators["attitude"].weight == pytest.approx(0.5)
    assert result.indicators["price"].expected_mean == 3.0
    assert result.indicators["price"].weight is None
    assert result.value == pytest.approx(0.9)


@pytest.mark.parametrize(
    "means",
    [
        {"a": (-1.0, 2.0)},
        {"a": (2.0, float("nan"))},
        {"a": (float("inf"), 2.0)},
        {"a": ("4", 2.0)},
    ],
)
def test_bad_scores_are_refused(means):
    with pytest.raises(ValueError):
        satisfaction.satisfaction_index(means)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError):
        satisfaction.mean(10, -1)
    with pytest.raises(ValueError):
        Tally.of(expected=[-2])
    assert satisfaction.mean(0, 0) is None


def test_competition_rank():
    ranks = satisfaction.competition_rank(
        {"li": 0.9, "wang": 1.05, "zhao": 0.9, "chen": 0.7, "sun": None}
    )
    # 1.05 first; the two 0.9 share 2nd; 0.7 is 4th; no index, no rank.
    assert ranks == {"wang": 1, "li": 2, "zhao": 2, "chen": 4}


def test_rank_ignores_float_noise():
    ranks = satisfaction.competition_rank({"a": 0.1 + 0.2, "b": 0.3})
    assert ranks == {"a": 1, "b": 1}
