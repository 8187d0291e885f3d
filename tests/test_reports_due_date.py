import datetime

import pytest

from reports.selectors import quarter_due_date, quarter_of


def test_it_puts_the_due_date_on_the_20th_of_the_third_month():
    assert [quarter_due_date(2026, q) for q in (1, 2, 3, 4)] == [
        datetime.date(2026, 3, 20),
        datetime.date(2026, 6, 20),
        datetime.date(2026, 9, 20),
        datetime.date(2026, 12, 20),
    ]


def test_it_refuses_a_fifth_quarter():
    with pytest.raises(ValueError):
        quarter_due_date(2026, 5)


def test_it_finds_the_quarter_of_a_day():
    assert quarter_of(datetime.date(2026, 11, 25)) == (2026, 4)
    assert quarter_of(datetime.date(2026, 1, 1)) == (2026, 1)
