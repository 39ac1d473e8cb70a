"""The `tutor` command: argparse subcommands, printing and exit codes only.

Each subcommand's handler lives in `tutor.commands` and imports the library module it needs
only when it runs (cold start stays small). A handler takes the parsed arguments and returns
(output text, exit code). Any TutorError becomes its message on stderr and exit 2:
never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from importlib import import_module

from .errors import TutorError

#: subcommand -> "module:function" of its handler; arguments are declared in _build_parser
HANDLERS = {name: f"tutor.commands:{name}_command"
            for name in ("parse", "diff", "numeric", "grad", "dual", "backprop", "descend", "check",
                         "implicit", "tangent")}

FORMATS = ("text", "latex", "markdown", "json")


def _expr_arg(p: argparse.ArgumentParser, name: str = "expr", help: str = "the function; - reads stdin") -> None:
    p.add_argument(name, help=help)
    p.add_argument("--input", choices=("auto", "calc", "latex"), default="auto",
                   help="input language (default: LaTeX if it has a backslash, else calculator syntax)")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Step-by-step differentiation tutor: worked solutions, numeric and "
                    "automatic differentiation, gradients, and a grader.")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("parse", help="show how an expression was read")
    _expr_arg(p)
    p.add_argument("--format", choices=("text", "latex", "sympy", "tree", "json"), default="text")

    p = sub.add_parser("diff", help="worked solution of a derivative")
    _expr_arg(p)
    p.add_argument("--var", help="variable (x), or x,y for the mixed partial d2f/dxdy")
    p.add_argument("--order", type=int, default=1, help="order of the derivative (default 1)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "full"), default="normal")
    p.add_argument("--at", help="evaluate the derivative at a point, e.g. w=4 or x=1,y=2")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a compilable document")

    p = sub.add_parser("numeric", help="finite differences, as the lab does them")
    _expr_arg(p)
    p.add_argument("--at", required=True, help="the point, e.g. w=3")
    p.add_argument("--var", help="variable (default: the only one, or the one in --at)")
    p.add_argument("--eps", default="0.001", help="the small change epsilon (default 0.001)")
    p.add_argument("--digits", default="6",
                   help="decimals of k in the lab line (default 6), or 'full' for Python's repr")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("grad", help="gradient, directional derivative, Hessian")
    _expr_arg(p)
    p.add_argument("--vars", help="variables in order, e.g. w1,w2 (default: all, in order of appearance)")
    p.add_argument("--at", help="a point, e.g. w1=0,w2=0.5")
    p.add_argument("--along", help="a direction vector, e.g. 2,3,-1 (normalised)")
    p.add_argument("--hessian", action="store_true", help="also the Hessian matrix")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "full"), default="brief")

    p = sub.add_parser("dual", help="forward-mode AD with dual numbers, line by line")
    _expr_arg(p)
    p.add_argument("--wrt", required=True, help="the variable seeded with derivative 1")
    p.add_argument("--at", required=True, help="values of every variable, e.g. x=2,y=3,z=-1")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("backprop", help="reverse-mode AD on the computation graph")
    _expr_arg(p)
    p.add_argument("--at", required=True, help="values of every variable")
    p.add_argument("--format", choices=FORMATS + ("dot", "tikz"), default="text")

    p = sub.add_parser("descend", help="gradient descent with the symbolic derivative")
    _expr_arg(p)
    p.add_argument("--var", help="variable(s), e.g. w or w1,w2")
    p.add_argument("--start", default="0", help="start point, e.g. 0 or 0,1 (one value per variable)")
    p.add_argument("--rate", default="0.1", help="learning rate alpha")
    p.add_argument("--steps", type=int, default=10, help="most iterations")
    p.add_argument("--tol", default="1e-10", help="stop when the step is smaller than this")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("check", help="grade a student's derivative (exit 0 correct, 1 incorrect, 2 unreadable, 3 undetermined)")
    p.add_argument("function", help="the function to differentiate")
    p.add_argument("answer", nargs="?", help="the student's answer (or use --work FILE)")
    p.add_argument("--work", help="a file of the student's working, one '= ...' line each")
    p.add_argument("--var")
    p.add_argument("--order", type=int, default=1)
    p.add_argument("--input", choices=("auto", "calc", "latex"), default="auto")
    p.add_argument("--allow-calculus", action="store_true", help="accept d/dx and ' in answers")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("implicit", help="implicit differentiation: dy/dx of an equation in x and y")
    _expr_arg(p, "equation", "the equation, e.g. \"x^2 + y^2 = 25\"; - reads stdin")
    p.add_argument("--dep", default="y", help="the dependent variable (default y)")
    p.add_argument("--var", default="x", help="the variable (default x)")
    p.add_argument("--at", help="a point on the curve, e.g. x=3,y=4: the slope and the tangent line")
    p.add_argument("--order", type=int, default=1, help="1 (dy/dx) or 2 (also d2y/dx2)")
    p.add_argument("--prime", action="store_true", help="write y' instead of dy/dx")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "full"), default="normal")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a compilable document")

    p = sub.add_parser("tangent", help="tangent (and normal) line at a point")
    _expr_arg(p, "expr", "the function, or an equation such as \"x^2 + y^2 = 25\"; - reads stdin")
    p.add_argument("--at", required=True, help="the point, e.g. x=2 (a curve: x=3,y=4)")
    p.add_argument("--normal", action="store_true", help="also the normal line")
    p.add_argument("--var", help="variable (default: the only one; x for an equation)")
    p.add_argument("--dep", default="y", help="for an equation: the dependent variable (default y)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "full"), default="normal")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a compilable document")
    return parser


class _Version(argparse.Action):
    """--version, looked up only when asked (importlib.metadata costs ~15 ms of cold start)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"tutor {_version()}")
        parser.exit()


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("derivative-tutor")
    except Exception:  # running from a source checkout without installing
        return "0.1.0"


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    module_name, func_name = HANDLERS[args.command].split(":")
    handler = getattr(import_module(module_name), func_name)
    from ._deep import run_deep
    try:
        output, code = run_deep(handler, args)
    except TutorError as exc:
        print(f"tutor {args.command}: {exc}", file=sys.stderr)
        return 2
    except (RecursionError, MemoryError) as exc:  # a safety net; limits should catch these first
        print(f"tutor {args.command}: input too large to handle ({type(exc).__name__}); "
              f"see the limits in README", file=sys.stderr)
        return 2
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
