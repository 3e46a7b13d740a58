"""Search over posts, questions and replies, behind one small interface.

    results = search.find(query, now=..., kind=None, department_id=None, since=None, until=None, page=1)

The index follows every change by itself (see `sync`): visible text is indexed when it is
written or edited; hidden, deleted or redacted-away text leaves the index in the same
transaction. Each database engine has its own backend (SQLite FTS5, PostgreSQL tsvector + GIN);
both use the tokens of xtq.search.tokens.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.orm import Session, joinedload, lazyload

from xtq.extensions import db
from xtq.search.tokens import query_terms

KINDS = {"post": _l("微博"), "question": _l("提问"), "reply": _l("答复")}
PAGE_SIZE = 20
MAX_PAGE = 50
# Each kind owns a range of index rowids, in the order of its ids: rowid = KIND_SPAN × kind + id.
KIND_SPAN = 2**40
# Of each kind, the newest this many matches are ranked. A common word matches a third of a city's
# texts; ranking all of them reads every one (seconds), these a few milliseconds.
CANDIDATES = 500


def rowid(kind: str, ref_id: int) -> int:
    return list(KINDS).index(kind) * KIND_SPAN + ref_id


def rowid_range(kind: str) -> tuple[int, int]:
    low = rowid(kind, 0)
    return low, low + KIND_SPAN - 1


@dataclass(frozen=True)
class Document:
    kind: str  # post, question or reply
    ref_id: int  # the post's, question's or reply event's id
    question_id: int | None
    department_id: int
    published_at: datetime
    title: str
    body: str

    def row(self, tokens: str, published_at: Any) -> dict:
        """The index row both backends write, with their own token and time formats."""
        return {
            "rowid": self.rowid,
            "tokens": tokens,
            "kind": self.kind,
            "ref_id": self.ref_id,
            "question_id": self.question_id,
            "department_id": self.department_id,
            "published_at": published_at,
            "title": self.title,
            "body": self.body,
        }

    @property
    def rowid(self) -> int:
        return rowid(self.kind, self.ref_id)


@dataclass(frozen=True)
class Hit:
    kind: str
    ref_id: int
    question_id: int | None
    department_id: int
    published_at: datetime
    title: str
    snippet: Markup


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    page: int
    has_next: bool


def _backend():
    if db.engine.dialect.name == "postgresql":
        from xtq.search import postgres as backend
    else:
        from xtq.search import sqlite as backend
    return backend


def find(
    query: str,
    *,
    now: datetime,
    kind: str | None = None,
    department_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
) -> Results:
    """Hits for `query`, among the newest CANDIDATES matches of each kind: texts holding every word
    as typed first, then texts holding all its characters; newest first within each."""
    terms = query_terms(query)
    page = min(max(page, 1), MAX_PAGE)
    if not terms:
        return Results([], page, False)
    backend, start = _backend(), (page - 1) * PAGE_SIZE
    rows = []
    for each in [kind] if kind else KINDS:
        rows += backend.find(
            terms,
            rowids=rowid_range(each),
            now=now,
            department_id=department_id,
            since=since,
            until=until,
            limit=start + PAGE_SIZE + 1,
        )
    rows.sort(key=lambda r: (r["exact"], r["published_at"], r["ref_id"]), reverse=True)
    rows = rows[start : start + PAGE_SIZE + 1]
    hits = [
        Hit(snippet=snippet(row.pop("body"), terms), **{k: v for k, v in row.items() if k != "exact"})
        for row in rows[:PAGE_SIZE]
    ]
    return Results(hits, page, len(rows) > PAGE_SIZE)


def filters(
    match: str,
    stamp: Callable[[datetime], Any],
    *,
    now: datetime,
    rowids: tuple[int, int],
    department_id: int | None,
    since: datetime | None,
    until: datetime | None,
) -> tuple[list[str], dict]:
    """The WHERE terms both backends share: one kind's rowids, visible by `now`, and the reader's filters."""
    terms = [match, "rowid BETWEEN :low AND :high", "published_at <= :now"]
    params = {"now": stamp(now), "low": rowids[0], "high": rowids[1]}
    for value, term, name in (
        (department_id, "department_id = :department_id", "department_id"),
        (since, "published_at >= :since", "since"),
        (until, "published_at < :until", "until"),
    ):
        if value:
            terms.append(term)
            params[name] = stamp(value) if isinstance(value, datetime) else value
    return terms, params


def exact_params(terms: list[str]) -> dict[str, str]:
    """:t0, :t1, … — each query word, lower-cased, for ranking exact matches first."""
    return {f"t{i}": t.lower() for i, t in enumerate(terms)}


def snippet(text: str, terms: list[str], width: int = 60) -> Markup:
    """A window of `text` around the first match, with every matched word in <mark>."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 3)
    window = text[start : start + width]
    parts, last = [], 0
    for m in pattern.finditer(window):
        parts += [escape(window[last : m.start()]), Markup("<mark>%s</mark>") % window[m.start() : m.end()]]
        last = m.end()
    parts.append(escape(window[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return Markup(prefix) + Markup("").join(parts) + Markup(suffix)


def sync(session: Session, documents: list[Document], removed_rowids: list[int]) -> None:
    unique = list({d.rowid: d for d in documents}.values())  # one flush may name a document twice
    _backend().write(session.connection(), unique, removed_rowids)


def _follow_changes(session: Session, _context) -> None:
    from xtq.search.documents import changes

    documents, removed = changes(session)
    if documents or removed:
        sync(session, documents, removed)


def init_app(app) -> None:
    """Keep the index in step with every flush (once per process, for every app)."""
    if not event.contains(Session, "after_flush", _follow_changes):
        event.listen(Session, "after_flush", _follow_changes)


def rebuild(batch: int = 2000, progress=None) -> int:
    """Index every visible post, question and reply again from scratch. Returns the count."""
    from xtq.models import EventKind, Post, Question, QuestionEvent
    from xtq.search.documents import post_document, question_document, reply_document

    backend = _backend()
    connection = db.session.connection()
    backend.clear(connection)
    total = 0
    bare = lazyload("*")  # documents need only the rows' own columns (and a reply its question)
    sources = (
        (db.select(Post).options(bare), post_document),
        (db.select(Question).options(bare), question_document),
        (
            db.select(QuestionEvent)
            .where(QuestionEvent.kind == EventKind.REPLIED)
            .options(bare, joinedload(QuestionEvent.question).options(bare)),
            reply_document,
        ),
    )
    for select, make in sources:
        for chunk in db.session.scalars(select.execution_options(yield_per=batch)).partitions(batch):
            documents = [d for d in map(make, chunk) if d]
            backend.write(connection, documents, [])
            total += len(documents)
            if progress:
                progress(total)
    backend.optimize(connection)
    return total
