"""Confidence grade → optimism-bias reduction, as in the Greater Manchester (GMCA) CBA method.

Source of the method: HM Treasury, Public Service Transformation Network and New Economy
(now the GMCA Research Team), "Supporting public service transformation: cost benefit analysis
guidance for local partnerships", April 2014, ISBN 978-1-909790-72-8, adopted as supplementary
guidance to the HM Treasury Green Book; the Green Book's optimism-bias section (para 5.45 and
footnote 11 of a recent edition) points to it as the example of adjusting *benefits* for optimism
bias at a local level. Each benefit's evidence gets a confidence grade from 1 (best) to 6
(weakest) and the benefit is reduced by the optimism-bias correction that the guidance's table
gives for that grade.

We could not read the guidance's table of percentages from a source available to us when this
engine was written, so **no grade has a shipped default**: a figure we cannot cite is a figure we
would be inventing. A model that uses `confidence_grade` must therefore either give an explicit
`optimism_bias` for the outcome or carry its own `confidence_grade_table` (for example, the
organisation's copy of the GMCA table), and the engine says so, naming the path, rather than
guessing. Add a grade here only with its citation (document, table, page and year).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

GRADES = range(1, 7)

GRADE_TABLE_SOURCE = (
    "HM Treasury / Public Service Transformation Network / New Economy (GMCA Research Team), "
    "'Supporting public service transformation: cost benefit analysis guidance for local "
    "partnerships', April 2014 (ISBN 978-1-909790-72-8): optimism-bias correction by confidence "
    "grade 1-6. Default percentages not shipped: not verified from a source; supply them with "
    "confidence_grade_table or give optimism_bias explicitly."
)

#: Sourced defaults only (grade → fraction by which a benefit is reduced). Empty until each value is
#: checked against the guidance; see the module docstring.
DEFAULT_GRADE_TABLE: Mapping[int, float] = MappingProxyType({})


def grade_table(overrides: Mapping[int, float] | None = None) -> dict[int, float]:
    """The grade table in force: the sourced defaults with a model's or caller's overrides on top."""
    table = dict(DEFAULT_GRADE_TABLE)
    if overrides:
        table.update(overrides)
    return table
