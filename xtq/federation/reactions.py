"""Likes and boosts (Announce) of a post from the fediverse, as counts for its page."""

from sqlalchemy import func

from xtq.extensions import db
from xtq.federation.models import ReactionKind, RemoteReaction


def counts(post_id: int) -> dict[str, int]:
    rows = db.session.execute(
        db.select(RemoteReaction.kind, func.count())
        .where(RemoteReaction.post_id == post_id)
        .group_by(RemoteReaction.kind)
    ).all()
    found = {kind.value: n for kind, n in rows}
    return {kind.value: found.get(kind.value, 0) for kind in ReactionKind}
