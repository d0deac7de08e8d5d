from datetime import date, datetime

import pytest

from aftersales_service.periods import NOT_A_DATE, NOT_A_REAL_DAY, parse_day


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 2, 28), date(2026, 2, 28)),
        (datetime(2026, 2, 28, 23, 59), date(2026, 2, 28)),
        ("2026-02-28", date(2026, 2, 28)),
        (" 2024-02-29 ", date(2024, 2, 29)),
        ("2026-02-28 10:00:00", date(2026, 2, 28)),
    ],
)
def test_days_read(value, expected):
    assert parse_day(value) == expected


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10"]
)
def test_days_no_calendar_has(value):
    with pytest.raises(ValueError, match=NOT_A_REAL_DAY):
        parse_day(value)


@pytest.mark.parametrize(
    "value",
    [
        20260601,
        0,
        True,
        None,
        [2026, 6, 1],
        {"y": 2026},
        "tomorrow",
        "",
        1.5,
        # Digits of other scripts: strptime refuses them, so must the fast path.
        "\uff12\uff10\uff12\uff16-\uff10\uff11-\uff10\uff11",
        "\u0662\u0660\u0662\u0666-01-01",
    ],
)
def test_what_is_not_a_date(value):
    with pytest.raises(ValueError, match=NOT_A_DATE):
        parse_day(value)
