import datetime

from reports.figures.period import Period, period_from_params

TODAY = datetime.date(2024, 5, 20)


def test_year_quarter_and_range_know_their_previous_period():
    assert Period.year(2024).previous() == Period.year(2023)
    assert Period.quarter(2024, 1).previous() == Period.quarter(2023, 4)
    q2 = Period.quarter(2024, 2)
    assert (q2.start, q2.end) == (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
    assert q2.previous() == Period.quarter(2024, 1)
    custom = Period("range", datetime.date(2024, 3, 11), datetime.date(2024, 3, 20))
    before = custom.previous()
    assert (before.start, before.end) == (datetime.date(2024, 3, 1), datetime.date(2024, 3, 10))


def test_labels_are_chinese():
    assert Period.year(2024).label == "2024年"
    assert Period.quarter(2024, 3).label == "2024年第3季度"


def test_params_default_to_this_year_and_reject_nonsense():
    assert period_from_params({}, today=TODAY) == Period.year(2024)
    assert period_from_params({"period": "quarter"}, today=TODAY) == Period.quarter(2024, 2)
    assert period_from_params({"period": "quarter", "year": "2023", "quarter": "4"}, today=TODAY) == Period.quarter(
        2023, 4
    )
    assert period_from_params({"period": "range", "start": "2024-05-01", "end": "2024-04-01"}, today=TODAY) == (
        Period.year(2024)
    )
    assert period_from_params({"year": "abc"}, today=TODAY) == Period.year(2024)
