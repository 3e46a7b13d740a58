"""Similar questions before asking: what the hall already holds that looks like a title being typed.

Built on the search index (xtq.search): each of the title's words (a Chinese run's bigrams, a
Latin word or number) is looked up among public questions; a question found by enough of them
is similar. Answered ones and those of the chosen department come first: the answer may be there.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime

from xtq import search
from xtq.extensions import db
from xtq.models import Question, QuestionStatus
from xtq.search.tokens import CJK_RE, query_terms

MAX_TERMS = 12
LIMIT = 5
ANSWERED = (QuestionStatus.REPLIED, QuestionStatus.CLOSED)


def _terms(title: str) -> list[str]:
    terms: list[str] = []
    for run in query_terms(title):
        pieces = [run[i : i + 2] for i in range(len(run) - 1)] if CJK_RE.match(run) and len(run) > 2 else [run]
        terms += [p for p in pieces if p not in terms]
    return terms[:MAX_TERMS]


def find(title: str, *, now: datetime, department_id: int | None = None, limit: int = LIMIT) -> list[Question]:
    """Up to `limit` public questions like `title`, the most alike first (answered and same department ahead)."""
    terms = _terms(title or "")
    if not terms:
        return []
    found: Counter[int] = Counter()
    for term in terms:
        found.update({hit.ref_id for hit in search.find(term, now=now, kind="question").hits})
    enough = 1 if len(terms) == 1 else max(2, math.ceil(len(terms) * 0.4))
    ids = [qid for qid, n in found.items() if n >= enough]
    if not ids:
        return []
    candidates = db.session.scalars(db.select(Question).where(Question.id.in_(ids), Question.hidden_at.is_(None)))

    def score(q: Question) -> tuple:
        return (
            found[q.id] / len(terms) + 0.3 * (q.status in ANSWERED) + 0.2 * (q.department_id == department_id),
            q.last_activity_at,
        )

    return sorted(candidates, key=score, reverse=True)[:limit]
