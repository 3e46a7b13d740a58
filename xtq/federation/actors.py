"""Remote accounts: fetched from their servers (through fetch's guards), cached with their key,
and given a local stand-in user that their comments and questions are written under."""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from xtq.extensions import db
from xtq.federation import fetch
from xtq.federation.models import RemoteActor
from xtq.models import Role, User


def _text(value, limit: int) -> str:
    return str(value or "")[:limit]


def refresh(uri: str, now: datetime) -> RemoteActor:
    """Fetch the actor document at `uri` and store what we need of it (raises fetch.Refused).
    A key document ({id, owner, publicKeyPem}) leads to its owner."""
    document = fetch.get_json(uri)
    if "publicKeyPem" in document and isinstance(document.get("owner"), str) and document["owner"] != uri:
        document = fetch.get_json(document["owner"])
    key = document.get("publicKey") or {}
    if isinstance(key, list):
        key = key[0] if key else {}
    actor_id = document.get("id")
    if not isinstance(actor_id, str) or urlsplit(actor_id).netloc != urlsplit(uri).netloc:
        raise fetch.Refused("actor id is missing or on another host")
    if not key.get("publicKeyPem") or key.get("owner", actor_id) != actor_id or not document.get("inbox"):
        raise fetch.Refused("actor has no usable public key or inbox")
    actor = db.session.scalar(db.select(RemoteActor).where(RemoteActor.uri == actor_id))
    if actor is None:
        actor = RemoteActor(uri=actor_id, fetched_at=now)
        db.session.add(actor)
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    actor.host = urlsplit(actor_id).netloc.lower()
    actor.key_id = _text(key.get("id") or actor_id, 500)
    actor.public_key_pem = str(key["publicKeyPem"])
    actor.inbox = _text(document["inbox"], 500)
    actor.shared_inbox = _text(endpoints.get("sharedInbox"), 500) or None
    actor.username = _text(document.get("preferredUsername") or actor_id.rstrip("/").rsplit("/", 1)[-1], 100)
    actor.url = _text(document.get("url") if isinstance(document.get("url"), str) else actor_id, 500)
    actor.fetched_at = now
    _stand_in(actor, now)
    db.session.flush()
    return actor


def _stand_in(actor: RemoteActor, now: datetime) -> None:
    """The local user the remote account writes as: a citizen that cannot log in (no password
    matches "!"). It stays active: the rules treat it as a signed-in citizen."""
    if actor.user is None:
        name = "fedi-" + hashlib.sha256(actor.uri.encode()).hexdigest()[:16]
        actor.user = User(username=name, display_name="", password_hash="!", role=Role.CITIZEN, created_at=now)
        db.session.add(actor.user)
    actor.user.display_name = actor.handle[:40]


def by_uri(uri: str, now: datetime) -> RemoteActor:
    known = db.session.scalar(db.select(RemoteActor).where(RemoteActor.uri == uri))
    return known or refresh(uri, now)


def by_key_id(key_id: str, now: datetime) -> RemoteActor:
    """The actor that owns a signature's keyId: from the cache, else fetched (keyId without its fragment)."""
    known = db.session.scalar(db.select(RemoteActor).where(RemoteActor.key_id == key_id))
    return known or refresh(key_id.split("#", 1)[0], now)
