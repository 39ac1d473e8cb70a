"""Where Lark keeps a grammar's built LALR tables between runs: one private cache per user.

Why: building the tables of grammar/calc.lark and grammar/latex.lark takes a third and two
thirds of a second at first use in every new process (the CLI, each service worker), far
more than anything the input then costs; Lark's own `cache=` option stores them, and a
later process loads them in milliseconds. Why not Lark's default (`cache=True`): that is a
file in the shared temporary directory, and the cache is a pickle, so a file planted there
by another user would run code here. So the file lives in the user's own cache directory
($XDG_CACHE_HOME or ~/.cache, then tutor/), used only when it is the user's own and not
writable by others.

Safe when the cache is unusable, by construction: no directory, an unwritable one, or one
that is not private gives {} (Lark then builds the tables as before); a stale file (another
grammar, Lark or Python version) fails Lark's SHA-256 check of grammar + options + versions
and is rebuilt and replaced; an unreadable or truncated one is logged by Lark at a level
nobody sees and rebuilt. TUTOR_GRAMMAR_CACHE=0 turns the cache off.
"""
from __future__ import annotations

import os
import sys

__all__ = ["lark_cache"]


def lark_cache(name: str) -> dict:
    """Keyword arguments for Lark(...): {"cache": path} or {} (no usable private cache)."""
    if os.environ.get("TUTOR_GRAMMAR_CACHE", "1") == "0":
        return {}
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "tutor")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return {}   # not private: a pickle from there is not to be trusted
        if not os.access(folder, os.W_OK | os.X_OK):
            return {}
    except OSError:
        return {}
    from lark import __version__ as lark_version
    py = "%d%d" % sys.version_info[:2]
    return {"cache": os.path.join(folder, f"{name}-lark{lark_version}-py{py}.tables")}
