"""Chinese-aware tokens for full-text search, shared by every backend.

Chinese has no spaces, so a run of CJK characters is indexed as its character bigrams (in order,
so that a longer word is a phrase of overlapping bigrams, as CJK analyzers do) followed by its
single characters (so that one-character queries work too). Latin words and numbers are indexed
lower-cased, as they are.
"""

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN_RE = re.compile(rf"[{CJK}]+|[^\W{CJK}_]+")
CJK_RE = re.compile(rf"[{CJK}]")


def _run_tokens(run: str) -> list[str]:
    if not CJK_RE.match(run):
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + list(run)


def index_tokens(text: str) -> str:
    """The text as a space-separated token string for the index."""
    return " ".join(t for run in RUN_RE.findall(text) for t in _run_tokens(run))


def query_terms(query: str) -> list[str]:
    """The words of a query: runs of Chinese characters, Latin words and numbers (at most 8)."""
    return RUN_RE.findall(query)[:8]


def term_tokens(term: str) -> tuple[list[str], list[str]]:
    """(phrase, scattered) tokens for one query term.

    The phrase finds the term as written (its bigrams, adjacent); the scattered form finds texts
    that hold all its characters anywhere, ranked after exact matches.
    """
    if not CJK_RE.match(term):
        return [term.lower()], [term.lower()]
    if len(term) == 1:
        return [term], [term]
    return [term[i : i + 2] for i in range(len(term) - 1)], list(dict.fromkeys(term))
