import pytest

from aftersales_service import planning


def test_abc_classes_by_share_of_value():
    # 1000 in all: A takes the first 80%, B up to 95%, the rest is C.
    values = {"pump": 600.0, "valve": 250.0, "seal": 100.0, "bolt": 40.0, "nut": 10.0}
    assert planning.abc_classes(values) == {
        "pump": "A",  # starts at 0%
        "valve": "A",  # starts at 60%
        "seal": "B",  # starts at 85%
        "bolt": "C",  # starts at 95%
        "nut": "C",
    }


def test_abc_classes_thresholds_are_configurable():
    values = {"pump": 600.0, "valve": 250.0, "seal": 150.0}
    assert planning.abc_classes(values, a_share=0.5, b_share=0.7) == {
        "pump": "A",
        "valve": "B",
        "seal": "C",
    }


def test_abc_classes_edge_cases():
    assert planning.abc_classes({}) == {}
    assert planning.abc_classes({"only": 5.0}) == {"only": "A"}
    assert planning.abc_classes({"a": 0.0, "b": 0.0}) == {"a": "C", "b": "C"}
    # Ties are ordered by key: the result does not depend on dict order.
    assert planning.abc_classes({"y": 1.0, "x": 1.0}, 0.5, 0.5) == {
        "x": "A",
        "y": "C",
    }


@pytest.mark.parametrize(
    "values, a_share, b_share",
    [
        ({"a": 1.0}, 0.0, 0.5),
        ({"a": 1.0}, 0.9, 0.8),
        ({"a": -1.0}, 0.8, 0.95),
        ({"a": float("nan")}, 0.8, 0.95),
        ({"a": float("inf")}, 0.8, 0.95),
    ],
)
def test_abc_classes_refuses_bad_input(values, a_share, b_share):
    with pytest.raises(ValueError):
        planning.abc_classes(values, a_share, b_share)


def test_propose_covers_consumption_and_safety():
    # 12 months, 120 used: 10 a month; class A keeps 1.5 months of safety.
    proposal = planning.propose(
        [10.0] * 12, on_hand=8.0, incoming=2.0, safety_months=1.5, klass="A"
    )
    assert proposal.average == 10.0
    assert proposal.safety == 15.0
    assert proposal.needed == 15.0
    assert proposal.quantity == 15.0
    assert proposal.explanation == (
        "10/month over 12 months + safety 15 (class A, 1.5 months) "
        "- on hand 8 - incoming 2 = 15 -> 15"
    )


def test_propose_rounds_up_to_the_unit():
    proposal = planning.propose([1.0, 2.0, 0.0], safety_months=0.5)
    assert proposal.average == 1.0
    assert proposal.quantity == 2.0  # 1.5 rounded up
    boxes = planning.propose([7.0], rounding=5.0)
    assert boxes.quantity == 10.0
    exact = planning.propose([0.1 * 3], rounding=0.1)
    assert exact.quantity == pytest.approx(0.3)


def test_propose_nothing_when_stock_covers_it():
    proposal = planning.propose([4.0, 6.0], on_hand=30.0, safety_months=1.0)
    assert proposal.needed == -20.0
    assert proposal.quantity == 0.0


@pytest.mark.parametrize(
    "history, kwargs",
    [
        ([], {}),
        ([1.0], {"safety_months": -1}),
        ([1.0], {"rounding": 0}),
        ([float("nan")], {}),
        ([1.0], {"on_hand": float("inf")}),
        ([1.0], {"rounding": float("nan")}),
    ],
)
def test_propose_refuses_bad_input(history, kwargs):
    with pytest.raises(ValueError):
        planning.propose(history, **kwargs)


def test_propose_explains_with_two_decimals():
    proposal = planning.propose([1.0, 0.0, 0.0], safety_months=1.5, klass="A")
    assert proposal.explanation == (
        "0.33/month over 3 months + safety 0.5 (class A, 1.5 months) "
        "- on hand 0 - incoming 0 = 0.83 -> 1"
    )
