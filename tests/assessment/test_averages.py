"""The marking rules, against cases worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817  (hand-worked figures read better short)

import pytest

from app.assessment.averages import (
    WeightedSubject,
    annual_average,
    baccalaureate,
    college_certificate,
    round_mark,
    semester_average,
    subject_average,
)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (D("12.345"), D("12.35")),
        (D("12.344"), D("12.34")),
        (D("9.995"), D("10.00")),
        (D("0.005"), D("0.01")),
    ],
)
def test_rounding_is_half_up(value: D, rounded: D) -> None:
    assert round_mark(value) == rounded


def test_subject_average_is_the_mean_of_the_marks_present() -> None:
    # (12 + 15.5 + 9) / 3 = 36.5 / 3 = 12.1666… → 12.17
    assert subject_average([D("12"), D("15.5"), D("9")]) == D("12.17")


def test_a_missed_test_is_left_out() -> None:
    # The pupil was absent for test 2: (14 + 11) / 2 = 12.5
    assert subject_average([D("14"), None, D("11")]) == D("12.50")


def test_no_mark_means_no_average() -> None:
    assert subject_average([]) is None
    assert subject_average([None, None]) is None


def test_semester_average_weights_by_coefficient() -> None:
    # Maths 14 × 4, French 11 × 3, English 16.5 × 2 → (56 + 33 + 33) / 9 = 122 / 9 = 13.555… → 13.56
    result = semester_average(
        [
            WeightedSubject("MATH", D("14"), D("4")),
            WeightedSubject("FR", D("11"), D("3")),
            WeightedSubject("ANG", D("16.5"), D("2")),
        ]
    )
    assert result.value == D("13.56")
    assert result.left_out == ()


def test_a_subject_without_average_is_left_out_and_named() -> None:
    # SVT has no mark yet: (12 × 2 + 8 × 1) / 3 = 32 / 3 = 10.666… → 10.67
    result = semester_average(
        [
            WeightedSubject("MATH", D("12"), D("2")),
            WeightedSubject("SVT", None, D("2")),
            WeightedSubject("EPS", D("8"), D("1")),
        ]
    )
    assert result.value == D("10.67")
    assert result.left_out == ("SVT",)


def test_no_subject_average_at_all() -> None:
    result = semester_average([WeightedSubject("MATH", None, D("4"))])
    assert result.value is None
    assert result.left_out == ("MATH",)


def test_annual_average() -> None:
    # (11.25 + 12.40) / 2 = 11.825 → 11.83 (half up)
    assert annual_average(D("11.25"), D("12.40")) == D("11.83")
    assert annual_average(D("13"), None) == D("13.00")
    assert annual_average(None, None) is None


def test_college_certificate() -> None:
    # (4 × 12.5 + 3 × 14 + 3 × 15.75) / 10 = (50 + 42 + 47.25) / 10 = 13.925 → 13.93
    assert college_certificate(D("12.5"), D("14"), D("15.75")) == D("13.93")


def test_baccalaureate() -> None:
    # 0.25 × 15.2 + 0.25 × 13.1 + 0.5 × 11.33 = 3.8 + 3.275 + 5.665 = 12.74
    assert baccalaureate(D("15.2"), D("13.1"), D("11.33")) == D("12.74")
    # 0.25 × 10.01 + 0.25 × 10.01 + 0.5 × 10.01 = 10.01
    assert baccalaureate(D("10.01"), D("10.01"), D("10.01")) == D("10.01")
