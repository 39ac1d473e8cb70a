"""The pgfplots backend: a Figure record as a complete `tikzpicture`, with no dependency.

Why pgfplots: lecture notes are LaTeX, and a figure written as pgfplots code is typeset in
the document's own fonts, scales cleanly and can be edited by hand. The picture needs only
`\\usepackage{pgfplots}` and `\\pgfplotsset{compat=1.18}` in the preamble (no TikZ library:
the arrow tip is the built-in `latex`). Coordinates are printed to 5 significant digits,
the data is already cut to the window (so TeX never meets a huge number), and the axis is
10 cm wide with the legend below it, so it fits an article's text width.
"""
from __future__ import annotations



__all__ = ["render_tikz"]

_STYLE = {"solid": "", "dashed": ", dashed", "dotted": ", dotted"}
_WIDTH_CM = 10


def _n(v: float) -> str:
    s = f"{v:.5g}"
    return "0" if s in ("-0", "0") else s


def _color(hex_color: str) -> str:
    """An inline xcolor spec for #rrggbb."""
    h = hex_color.lstrip("#")
    return "{rgb,255:red,%d;green,%d;blue,%d}" % (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def render_tikz(fig) -> str:
    (x0, x1), (y0, y1) = fig.xlim, fig.ylim
    opts = [f"width={_WIDTH_CM}cm", f"height={_WIDTH_CM if fig.equal_aspect else 7}cm",
            f"xmin={_n(x0)}", f"xmax={_n(x1)}", f"ymin={_n(y0)}", f"ymax={_n(y1)}",
            f"title={{{fig.title.tex}}}", f"xlabel={{${fig.xlabel.tex}$}}",
            f"ylabel={{${fig.ylabel.tex}$}}", "grid=major", "grid style={gray!20}",
            "legend cell align=left",
            "legend style={font=\\footnotesize, at={(0.5,-0.16)}, anchor=north, draw=gray!50}",
            "tick label style={font=\\footnotesize}", "clip=true"]
    if fig.equal_aspect:
        opts.append("axis equal image")
    out = ["\\begin{tikzpicture}", "\\begin{axis}[", "  " + ",\n  ".join(opts), "]"]
    seen = set()
    for b in fig.bands:
        c = _color(b.color)
        out.append(f"\\addplot[draw=none, fill={c}, fill opacity=0.14, forget plot] coordinates "
                   f"{{({_n(b.lo)},{_n(y0)}) ({_n(b.hi)},{_n(y0)}) ({_n(b.hi)},{_n(y1)}) "
                   f"({_n(b.lo)},{_n(y1)})}} --cycle;")
        if b.hi - b.lo >= 0.18 * (x1 - x0):   # wide enough: its word at the top, too
            out.append(f"\\node[below, font=\\footnotesize, color={c}] at "
                       f"(axis cs:{_n((b.lo + b.hi) / 2)},{_n(y1)}) {{{b.kind}}};")
        if b.kind not in seen:
            seen.add(b.kind)
            out.append(f"\\addlegendimage{{area legend, draw=none, fill={c}, fill opacity=0.3}}")
            out.append(f"\\addlegendentry{{{b.label.tex}}}")
    for c in fig.curves:
        style = f"color={_color(c.color)}, line width={c.width * 0.5:.2f}pt{_STYLE[c.style]}"
        style += ", mark=*, mark size=1.3pt" if c.marks else ", no marks"
        for j, piece in enumerate(c.pieces):
            legend = j == 0 and c.label is not None
            coords = " ".join(f"({_n(x)},{_n(y)})" for x, y in piece)
            out.append(f"\\addplot[{style}{'' if legend else ', forget plot'}] coordinates {{{coords}}};")
            if legend:
                out.append(f"\\addlegendentry{{{c.label.tex}}}")
    for a in fig.arrows:
        c = _color(a.color)
        out.append(f"\\draw[-latex, line width=1.1pt, color={c}] (axis cs:{_n(a.x)},{_n(a.y)}) -- "
                   f"(axis cs:{_n(a.x + a.dx)},{_n(a.y + a.dy)});")
        out.append(f"\\addlegendimage{{line width=1.1pt, color={c}}}")
        out.append(f"\\addlegendentry{{{a.label.tex}}}")
    for m in fig.markers:
        c = _color(m.color)
        out.append(f"\\addplot[only marks, mark=*, mark size=1.8pt, color={c}, forget plot] "
                   f"coordinates {{({_n(m.x)},{_n(m.y)})}};")
        if m.label is not None:
            out.append(f"\\node[above right, font=\\footnotesize, color={c}] at "
                       f"(axis cs:{_n(m.x)},{_n(m.y)}) {{{m.label.tex}}};")
    out += ["\\end{axis}", "\\end{tikzpicture}"]
    return "\n".join(out) + "\n"
