"""Renderers: records in, text, LaTeX, Markdown and JSON out. They never differentiate or simplify."""
from .solution import render_dict, render_latex, render_markdown, render_text

__all__ = ["render_text", "render_latex", "render_markdown", "render_dict"]
