"""STUB until the HTML renderer is merged: the record's text in a <pre>."""
from __future__ import annotations

from html import escape


def to_html(record, detail: str = "normal", standalone: bool = False) -> str:
    try:
        text = record.to_text(detail)
    except TypeError:
        text = record.to_text()
    kind = type(record).__name__.lower()
    body = f'<section class="tutor-{kind}"><pre>{escape(text)}</pre></section>'
    if standalone:
        return f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>tutor</title>{body}</html>'
    return body
