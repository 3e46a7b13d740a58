"""Each department's RSA key pair: made on first use, kept in the database, rotated on demand."""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.exc import IntegrityError

from xtq.extensions import db
from xtq.federation.models import FederationActor
from xtq.models import Department


def _new_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return public, private


def actor_for(department: Department, now: datetime) -> FederationActor:
    """The department's federation record, made (with a fresh key) the first time it is needed."""
    actor = db.session.get(FederationActor, department.id)
    if actor is None:
        public, private = _new_pair()
        actor = FederationActor(
            department_id=department.id,
            enabled=True,
            public_key_pem=public,
            private_key_pem=private,
            key_created_at=now,
        )
        try:
            with db.session.begin_nested():  # another process may make it at the same moment
                db.session.add(actor)
        except IntegrityError:
            actor = db.session.get(FederationActor, department.id)
    return actor


def rotate(department: Department, now: datetime) -> FederationActor:
    """A new key pair for the department; remote servers pick it up when they next fetch the actor."""
    actor = actor_for(department, now)
    actor.public_key_pem, actor.private_key_pem = _new_pair()
    actor.key_created_at = now
    return actor


def private_key(actor: FederationActor) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(actor.private_key_pem.encode(), password=None)
