"""What the index holds: the visible text of posts, questions and replies, found in a flush."""

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from xtq.models import EventKind, Post, PostStatus, Question, QuestionEvent, QuestionStatus
from xtq.search import Document, rowid

POST_FIELDS = ("body", "status", "published_at", "hidden_at", "deleted_at", "department_id")
QUESTION_FIELDS = ("title", "body", "hidden_at", "department_id", "private", "status", "review_state")
EVENT_FIELDS = ("text", "hidden_at")


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return state.pending or any(state.attrs[f].history.has_changes() for f in fields)


def post_document(post: Post) -> Document | None:
    if post.status != PostStatus.PUBLISHED or post.hidden_at or post.deleted_at or not post.published_at:
        return None
    return Document("post", post.id, None, post.department_id, post.published_at, "", post.body)


def _public(q: Question) -> bool:
    """Only what anyone may read is indexed (the masked text): see questions.public_texts."""
    return not (
        q.hidden_at
        or q.private
        or q.review_state is not None
        or q.status == QuestionStatus.WITHDRAWN
        or q.department_id is None
    )  # waiting at the office for dispatch


def question_document(q: Question) -> Document | None:
    if not _public(q):
        return None
    return Document("question", q.id, q.id, q.department_id, q.created_at, q.title, q.body)


def reply_document(e: QuestionEvent) -> Document | None:
    q = e.question
    if e.hidden_at or q is None or not _public(q):
        return None
    return Document("reply", e.id, q.id, q.department_id, e.created_at, q.title, e.text)


def changes(session: Session) -> tuple[list[Document], list[int]]:
    """(documents to write, rowids to remove) for what this flush changed."""
    documents: list[Document] = []
    removed: list[int] = []

    def put(kind, obj, document):
        if document:
            documents.append(document)
        else:
            removed.append(rowid(kind, obj.id))

    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Post) and _changed(obj, POST_FIELDS):
            put("post", obj, post_document(obj))
        elif isinstance(obj, Question) and _changed(obj, QUESTION_FIELDS):
            put("question", obj, question_document(obj))
            for e in obj.events:  # a question hidden or moved takes its replies with it
                if e.kind == EventKind.REPLIED and e not in session.new:
                    put("reply", e, reply_document(e))
        elif isinstance(obj, QuestionEvent) and obj.kind == EventKind.REPLIED and _changed(obj, EVENT_FIELDS):
            put("reply", obj, reply_document(obj))
    for obj in session.deleted:
        for kind, cls in (("post", Post), ("question", Question), ("reply", QuestionEvent)):
            if isinstance(obj, cls):
                removed.append(rowid(kind, obj.id))
    return documents, removed
