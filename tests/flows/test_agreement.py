"""Krippendorff's alpha (ordinal): pinned by hand and cross-checked with the reference package."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flows.agreement import ordinal_alpha

NAN = float("nan")


def units_of(matrix: list[list[float]]) -> list[list[int]]:
    """Rows are raters, columns units (the package's layout); NaN is a missing rating."""
    return [
        [int(row[unit]) for row in matrix if not math.isnan(row[unit])]
        for unit in range(len(matrix[0]))
    ]


def reference_alpha(matrix: list[list[float]]) -> float | None:
    """The package's alpha, or None where it refuses (no overlap, a single value)."""
    try:
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 comes back as NaN
            value = krippendorff.alpha(
                reliability_data=np.array(matrix, dtype=float), level_of_measurement="ordinal"
            )
    except ValueError:
        return None
    return float(value)


def test_krippendorffs_own_example() -> None:
    # Krippendorff (2011), p. 8: four coders, twelve units, missing values; ordinal 0.815.
    matrix = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
    alpha = ordinal_alpha(units_of(matrix))
    assert alpha is not None
    assert alpha == pytest.approx(0.8153875037548814, abs=1e-12)
    assert round(alpha, 3) == 0.815


def test_small_case_by_hand() -> None:
    # Units [4, 1] and [4, 3, 3]. Coincidences: o(1,4) = o(4,1) = 1/(2-1) = 1 from the first
    # unit; o(3,4) = o(4,3) = 1*2/(3-1) = 1 and o(3,3) = 2*1/2 = 1 from the second.
    # Margins n1 = 1, n3 = 2, n4 = 2, n = 5 (level 2 unused, so n2 = 0).
    # Ordinal distances: d(1,3) = (1+0+2 - 1.5)^2 = 2.25, d(1,4) = (1+0+2+2 - 1.5)^2 = 12.25,
    # d(3,4) = (2+2 - 2)^2 = 4.
    # alpha = 1 - (n-1) * sum o*d / sum n*n*d = 1 - 4 * (12.25 + 4) / (2*2.25 + 2*12.25 + 4*4)
    #       = 1 - 65 / 45 = -4/9.
    assert ordinal_alpha([[4, 1], [4, 3, 3]]) == pytest.approx(-4 / 9, abs=1e-12)


def test_only_the_order_of_values_matters() -> None:
    units = [[1, 2], [2, 2, 4], [4, 1, 2]]
    recoded = [[{1: 10, 2: 11, 4: 50}[v] for v in unit] for unit in units]
    assert ordinal_alpha(units) == ordinal_alpha(recoded)


def test_no_overlap_gives_none() -> None:
    assert ordinal_alpha([]) is None
    assert ordinal_alpha([[3], [1], []]) is None


def test_unanimous_units_give_one_even_when_chance_is_undefined() -> None:
    assert ordinal_alpha([[2, 2], [2, 2, 2]]) == 1.0  # expected disagreement is 0 too
    assert ordinal_alpha([[2, 2], [4, 4], [1]]) == 1.0


matrices = st.integers(min_value=2, max_value=6).flatmap(
    lambda raters: st.integers(min_value=1, max_value=8).flatmap(
        lambda units: st.lists(
            st.lists(
                st.one_of(st.just(NAN), st.integers(min_value=1, max_value=5).map(float)),
                min_size=units,
                max_size=units,
            ),
            min_size=raters,
            max_size=raters,
        )
    )
)


@settings(max_examples=400, deadline=None)
@given(matrices)
def test_matches_the_krippendorff_package(matrix: list[list[float]]) -> None:
    expected = reference_alpha(matrix)
    assume(expected is not None and not math.isnan(expected))
    actual = ordinal_alpha(units_of(matrix))
    assert actual is not None
    assert actual == pytest.approx(expected, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(matrices)
def test_where_the_package_cannot_answer(matrix: list[list[float]]) -> None:
    units = units_of(matrix)
    actual = ordinal_alpha(units)
    if not any(len(unit) >= 2 for unit in units):
        assert actual is None  # the package raises: nobody overlaps
        return
    expected = reference_alpha(matrix)
    if expected is None or math.isnan(expected):
        # A single value overall, or chance disagreement of zero: every unit is unanimous.
        assert actual == 1.0
