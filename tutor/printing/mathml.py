"""STUB until the MathML printer is merged: the expression's unicode text in one <mtext>."""
from __future__ import annotations

from html import escape

from ..expr import Expr
from . import to_unicode

NS = "http://www.w3.org/1998/Math/MathML"


def to_mathml(expr: Expr | str, display: bool = False) -> str:
    from ..language import parse
    e = parse(expr) if isinstance(expr, str) else expr
    block = ' display="block"' if display else ""
    return f'<math xmlns="{NS}"{block}><mtext>{escape(to_unicode(e))}</mtext></math>'
