"""Inter-rater agreement: Krippendorff's alpha with the ordinal metric, in pure Python.

The debrief reports how far interviewers agree beyond what chance alone would give.
Krippendorff's alpha fits a loop's data: any number of raters, each rating only some
units (an interviewer rates only the competencies of their stage), on an ordered scale.
It lives apart from the debrief so it can be checked on its own against the reference
``krippendorff`` package, and it is written without numpy because the debrief runs on
the bot's request path for a handful of values, where a plain loop is faster than
building arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def ordinal_alpha(units: Iterable[Sequence[int]]) -> float | None:
    """Krippendorff's alpha (ordinal) for ``units``, each the values its raters gave.

    A unit lists one value per rater who rated it; raters who did not are simply absent,
    which is how missing ratings are handled. Only the order of values matters, so any
    increasing integer codes (the kit's level values) give the same alpha.

    Coincidence matrix: within a unit rated by ``m >= 2`` raters, every ordered pair of
    two *different* raters' values ``(c, k)`` adds ``1 / (m - 1)`` to ``o[c][k]``, so each
    unit contributes exactly ``m`` pairable values whatever its size. A unit with fewer
    than two ratings has no pairs and is dropped. The margins ``n_c = sum_k o[c][k]`` count
    the pairable values of each level and ``n = sum_c n_c`` all of them.

    Ordinal distance (Krippendorff 2011, "Computing Krippendorff's alpha-reliability")::

        delta(c, k) = (sum of n_g for g from c to k inclusive  -  (n_c + n_k) / 2) ** 2

    Two levels are far apart when many of the values given fall between them; a level
    nobody used adds nothing, which is why only the order of the codes matters.

    Then, with both sums over pairs of different levels ``c < k`` (the matrix and the
    distance are symmetric and ``delta(c, c) = 0``)::

        alpha = 1 - (n - 1) * sum o[c][k] * delta(c, k) / sum n_c * n_k * delta(c, k)

    i.e. ``1 - D_observed / D_expected``. 1 is perfect agreement, 0 is chance level and
    negative values mean systematic disagreement.

    Returns None when no unit has two ratings: with no overlap between raters there is
    nothing to agree on. When the observed disagreement is zero (every unit unanimous)
    it returns 1.0, even if the expected disagreement is zero as well (everyone used the
    same level), where the formula itself would be 0/0.
    """
    pairable = [unit for unit in units if len(unit) >= 2]
    if not pairable:
        return None
    levels = sorted({value for unit in pairable for value in unit})
    position = {value: index for index, value in enumerate(levels)}
    size = len(levels)

    coincidences = [[0.0] * size for _ in range(size)]
    for unit in pairable:
        counts = [0] * size
        for value in unit:
            counts[position[value]] += 1
        share = 1.0 / (len(unit) - 1)
        present = [index for index, count in enumerate(counts) if count]
        for c in present:
            row = coincidences[c]
            for k in present:
                pairs = counts[c] * (counts[k] - 1) if c == k else counts[c] * counts[k]
                row[k] += pairs * share

    margins = [sum(row) for row in coincidences]
    total = sum(margins)
    observed = 0.0
    expected = 0.0
    for c in range(size):
        between = margins[c]  # running sum of n_g for g from c to k
        for k in range(c + 1, size):
            between += margins[k]
            delta = (between - (margins[c] + margins[k]) / 2) ** 2
            observed += coincidences[c][k] * delta
            expected += margins[c] * margins[k] * delta
    if observed == 0.0:
        return 1.0
    return 1.0 - (total - 1) * observed / expected
