"""Handlers of `tutor parse` and `tutor diff`: arguments in, (output, exit code) out."""
from __future__ import annotations

import json

from .cli import read_expr_arg
from .errors import TutorError


def parse_command(args) -> tuple[str, int]:
    from .parse import parse
    from .printing import expr_json, to_latex, to_sympy, to_text, to_tree
    e = parse(read_expr_arg(args.expr), args.input)
    show = {"text": to_text, "latex": to_latex, "sympy": to_sympy, "tree": to_tree}
    if args.format == "json":
        return json.dumps({"schema": "tutor.expr/1", **expr_json(e)}, indent=2, ensure_ascii=False), 0
    return show[args.format](e), 0


def parse_point(text: str | None) -> dict:
    """`w=4` or `x=1,y=0.5` (values in either language: `pi/2`, `1/3`, `\\frac{1}{2}`)."""
    if not text:
        return {}
    from .parse import parse
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


def diff_command(args) -> tuple[str, int]:
    from .solve import differentiate
    var = args.var
    sol = differentiate(read_expr_arg(args.expr), var, args.order, input=args.input)
    if args.at:
        at = sol.at(parse_point(args.at))
        renders = {"text": at.to_text, "latex": at.to_latex, "markdown": at.to_markdown,
                   "json": lambda: json.dumps(at.to_dict(), indent=2, ensure_ascii=False)}
        return renders[args.format](), 0
    if args.format == "text":
        return sol.to_text(args.detail), 0
    if args.format == "latex":
        return sol.to_latex(args.detail, standalone=args.standalone), 0
    if args.format == "markdown":
        return sol.to_markdown(args.detail), 0
    return json.dumps(sol.to_dict(), indent=2, ensure_ascii=False), 0
