"""The terms of an explained figure: the inputs and report figures its formula names.

A formula is written over short names (``explain.short_names``); this maps them back to
dotted keys so that each term can be explained in turn (a report figure with a formula) or
traced to where its value came from (an input, ``scenario.provenance``). A figure that a
search finds names itself as its expression: its terms are those of its rule and checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .explain import _FUNCS, _IDENT, _all_paths, namespace, short_names
from .formulas import FORMULAS

#: In a rule's words, dotted paths ("throughput.step_time_*_ms") and functions of the
#: searched variable ("step_time_ms(B)": the step at batch B, not the figure) are not terms.
_NOT_TERMS = re.compile(r"\b[a-z_]+\.[A-Za-z0-9_*]+|\b[A-Za-z_][A-Za-z0-9_]*\(")
_LITERAL = re.compile(r"'[^']*'")


def term_keys(key: str, values: Mapping[str, Any], report: Mapping[str, Any]) -> list[str]:
    """The dotted keys the formula of ``key`` uses, in order of first use, itself left out
    ([] for a key without a formula)."""
    f = FORMULAS.get(key)
    if f is None:
        return []
    ns = namespace(values, report)
    by_short = {short: path for path, short in short_names(_all_paths(values, report)).items()}
    texts = [f.expression(ns)]
    rule = f.rule_text(ns)
    if rule is not None:
        texts.append(_NOT_TERMS.sub(" ", rule))
        texts += [side for c in f.check_list(ns) for side in (c.lhs, c.rhs)]
    out: list[str] = []
    for text in texts:
        for name in _IDENT.findall(_LITERAL.sub(" ", text)):
            path = by_short.get(name)
            if path and name not in _FUNCS and path != key and path not in out:
                out.append(path)
    return out
