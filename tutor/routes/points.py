"""Points, vectors and variable lists as users type them, read once for every route."""
from __future__ import annotations

from ..errors import TutorError


def parse_point(text: str | None) -> dict:
    """`w=4` or `x=1,y=0.5` (values in either language: `pi/2`, `1/3`, `\\frac{1}{2}`)."""
    if not text:
        return {}
    from ..language import parse
    point = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise TutorError(f"a point is name=value pairs like w=4 or x=1,y=2, not '{part.strip()}'",
                             code="point")
        name, value = part.split("=", 1)
        point[name.strip()] = parse(value.strip())
    return point
