"""PostgreSQL backend: a tsvector of the same pre-tokenized text, with a GIN index.

Tokens go in as tsvector and tsquery literals, so PostgreSQL's own parser (which knows no
Chinese words) never splits them again; positions keep phrases working (<->).
"""

from datetime import UTC, datetime

from sqlalchemy import text

from xtq.extensions import db
from xtq.search import CANDIDATES, exact_params, filters
from xtq.search.tokens import index_tokens, term_tokens

_UPSERT = text(
    "INSERT INTO search_doc (rowid, tokens, kind, ref_id, question_id, department_id, published_at, title, body)"
    " VALUES (:rowid, CAST(:tokens AS tsvector), :kind, :ref_id, :question_id, :department_id, :published_at, :title, :body)"
    " ON CONFLICT (rowid) DO UPDATE SET tokens = EXCLUDED.tokens, kind = EXCLUDED.kind, ref_id = EXCLUDED.ref_id,"
    " question_id = EXCLUDED.question_id, department_id = EXCLUDED.department_id,"
    " published_at = EXCLUDED.published_at, title = EXCLUDED.title, body = EXCLUDED.body"
)


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(text_: str) -> str:
    # tsvector positions stop at 16383; later tokens share the last position (still found, unranked).
    return " ".join(f"{_lexeme(t)}:{min(i, 16383)}" for i, t in enumerate(index_tokens(text_).split(), start=1))


def tsquery_literal(terms: list[str]) -> str:
    parts = []
    for term in terms:
        phrase, scattered = term_tokens(term)
        exact = " <-> ".join(_lexeme(t) for t in phrase)
        loose = " & ".join(_lexeme(t) for t in scattered)
        parts.append(f"(({exact}) | ({loose}))")
    return " & ".join(parts)


def write(connection, documents, removed_rowids) -> None:
    if removed_rowids:
        connection.execute(text("DELETE FROM search_doc WHERE rowid = ANY(:ids)"), {"ids": list(removed_rowids)})
    if documents:
        connection.execute(
            _UPSERT, [d.row(tsvector_literal(f"{d.title} {d.body}"), _naive(d.published_at)) for d in documents]
        )


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def find(terms, *, rowids, now, department_id, since, until, limit):
    """As the SQLite backend's: one kind's hits, among its newest CANDIDATES matches."""
    where, params = filters(
        "tokens @@ CAST(:query AS tsquery)",
        _naive,
        now=now,
        rowids=rowids,
        department_id=department_id,
        since=since,
        until=until,
    )
    params.update(query=tsquery_literal(terms), **exact_params(terms))
    exact = " + ".join(f"(strpos(lower(title || ' ' || body), :t{i}) > 0)::int" for i in range(len(terms)))
    sql = (
        f"SELECT kind, ref_id, question_id, department_id, published_at, title, body, {exact} AS exact FROM"
        f" (SELECT * FROM search_doc WHERE {' AND '.join(where)} ORDER BY rowid DESC LIMIT :candidates) AS newest"
        " ORDER BY exact DESC, published_at DESC LIMIT :limit"
    )
    rows = db.session.execute(text(sql), {**params, "candidates": CANDIDATES, "limit": limit}).all()
    return [{**r._asdict(), "published_at": r.published_at.replace(tzinfo=UTC)} for r in rows]


def optimize(connection) -> None:
    """Nothing to do: a GIN index needs no merging after a bulk write (autovacuum tidies it)."""


def clear(connection) -> None:
    connection.execute(text("DELETE FROM search_doc"))
