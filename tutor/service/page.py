"""What the classroom page at `/` needs from the server: its files, and the work of its two
own endpoints (`/v1/read`, `/v1/plot`; the routes' HTML is `format: "html"` in `jobs`).

    routes(metrics) -> [Route, ...]   GET /, /static/{page.css,page.js,favicon.svg,tutor.css}
    read_input(text, input) -> dict   tutor.reading/1: the reading as MathML, or the parse error
    plot_svg(args) -> (status, dict)  tutor.plot/1: an SVG that needs no inline style

Why a static page over the JSON API, not server-made pages: the page is the API's first client,
so every answer it shows went through the same validation, worker pool and deadline as an
LMS's request. Nothing is loaded from elsewhere (no CDN, no maths library: the browser renders
MathML itself), so the page works with the network unplugged, and the Content-Security-Policy
says so to the browser: `default-src 'self'`, no inline script, no inline style. A plot's
`style="..."` attributes are therefore rewritten as the equivalent presentation attributes
(`fill="..."`), which CSP does not govern. The files are read once, when the app is made.
Starlette is imported by `routes` only: the worker processes import this module for the work.
"""
from __future__ import annotations

import pathlib
import re

import tutor

STATIC = pathlib.Path(__file__).with_name("static")
TYPES = {"index.html": "text/html; charset=utf-8", "tutor.css": "text/css; charset=utf-8",
         "page.css": "text/css; charset=utf-8",
         "page.js": "text/javascript; charset=utf-8", "favicon.svg": "image/svg+xml"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}
MATHML_NS = "http://www.w3.org/1998/Math/MathML"


def renderer_css() -> bytes:
    """The HTML renderer's own stylesheet (its standalone pages inline it; under this page's
    CSP it is a file), so its fragments look here as they do there; empty before it exists."""
    try:
        from tutor.render.html_common import CSS
    except ImportError:
        return b"/* the HTML renderer has no stylesheet of its own */\n"
    return CSS.encode("utf-8")


def routes(metrics) -> list:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    blobs = {name: (STATIC / name).read_bytes() for name in TYPES if name != "tutor.css"}
    blobs["tutor.css"] = renderer_css()

    def serve(name: str):
        async def handle(request: Request) -> Response:
            metrics.request("page", 200, 0.0)
            return Response(blobs[name], media_type=TYPES[name], headers=HEADERS)
        return handle

    return [Route("/", serve("index.html"), methods=["GET"])] + [
        Route(f"/static/{name}", serve(name), methods=["GET"]) for name in TYPES if name != "index.html"]


# ------------------------------------------------------------------ /v1/read

def _inner(m: str) -> str:
    return m[m.index(">") + 1:m.rindex("</math>")]


def _read_side(text: str, offset: int, inp: str, whole: str):
    """One side of the input, read; a parse error's column counts from the whole input."""
    try:
        return tutor.parse(text, inp)
    except tutor.ParseError as exc:
        if offset and exc.line == 1 and "\n" not in whole:
            raise type(exc)(exc.message, text=whole, line=1, column=exc.column + offset,
                            hint=exc.hint, code=exc.code) from None
        raise


def read_input(text: str, inp: str = "auto") -> dict:
    """What the page shows back as the student types: the reading, or the error with its caret.
    Both are a 200: an unreadable input is the normal answer here, as an invalid answer is.
    An equation (`x^2 + y^2 = 25`, for the implicit and tangent routes) is read side by side."""
    from tutor.expr import free_symbols
    from tutor.printing.mathml import to_mathml
    from tutor.routes.implicit import split_equation
    try:
        if "=" in text:
            left, right = split_equation(text)
            sides = (_read_side(left, 0, inp, text), _read_side(right, len(left) + 1, inp, text))
        else:
            sides = (_read_side(text, 0, inp, text),)
    except tutor.TutorError as exc:
        return {"schema": "tutor.reading/1", "ok": False, "error": {
            "code": exc.code, "message": exc.message, "line": getattr(exc, "line", None),
            "column": getattr(exc, "column", None), "hint": exc.hint, "field": "expr",
            "context": getattr(exc, "context", None)}}
    if len(sides) == 1:
        mathml = to_mathml(sides[0])
    else:
        mathml = f'<math xmlns="{MATHML_NS}">' + "<mo>=</mo>".join(_inner(to_mathml(e)) for e in sides) + "</math>"
    shown = {k: " = ".join(f(e) for e in sides) for k, f in
             (("text", tutor.to_text), ("unicode", tutor.to_unicode), ("latex", tutor.to_latex))}
    names = tuple(dict.fromkeys(n for e in sides for n in free_symbols(e)))
    return {"schema": "tutor.reading/1", "ok": True, "equation": len(sides) == 2, **shown,
            "mathml": mathml, "variables": list(names), "echo": f"you entered {shown['unicode']}"}


# ------------------------------------------------------------------ /v1/plot

_PROPS = {"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
          "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
          "stroke-dashoffset", "opacity", "font-family", "font-size", "font-weight", "font-style",
          "text-anchor", "dominant-baseline", "clip-path", "display", "visibility", "color"}
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def _attributes(css: str) -> str:
    out = []
    for decl in css.split(";"):
        prop, colon, value = decl.partition(":")
        prop, value = prop.strip().lower(), value.strip().replace('"', "'")
        if colon and prop in _PROPS and value:
            out.append(f' {prop}="{value}"')
    return "".join(out)


def presentational(svg: str) -> str:
    """The SVG with every style attribute as presentation attributes, `<style>` rules for `*`
    moved onto the root, the XML prolog dropped: it then draws the same under `style-src 'self'`
    when put inline in the page."""
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", svg).strip()
    root = "".join(_attributes(body) for body in re.findall(r"\*\s*\{([^}]*)\}", " ".join(
        _STYLE_ELEMENT.findall(svg))))
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTR.sub(lambda m: _attributes(m.group(1)), svg)
    return re.sub(r"<svg\b", "<svg" + root, svg, count=1) if root else svg


def plot_svg(a: dict) -> tuple[int, dict]:
    """The function (with f' and a tangent) drawn by tutor.plotting, or 501 when the server
    cannot draw (the plot extra, or the plotting module itself, is not there)."""
    import importlib
    try:
        plotting = importlib.import_module("tutor.plotting")
        plot = getattr(plotting, "plot", None) or tutor.plot
    except (ImportError, AttributeError) as exc:
        missing = getattr(exc, "name", None) or "tutor.plotting"
        return 501, {"schema": "tutor.error/1", "error": {
            "code": "missing-extra", "field": None, "line": None, "column": None,
            "message": f"Plots are not available on this server: {missing} cannot be imported.",
            "hint": "install the plot extra (pip install 'derivative-tutor[plot]') and restart tutor serve"}}
    # the range ("-pi,pi" or [-2, 3]) and the tangent point ("1", "pi/4") are read by plot itself
    fig = plot(tutor.parse(a["expr"], a.get("input", "auto")), a.get("var"), range=a.get("range"),
               derivative=a.get("derivative", False), tangent_at=a.get("tangent_at"))
    return 200, {"schema": "tutor.plot/1", "svg": presentational(fig.to_svg())}
