"""Photos: what an upload must be to be accepted (images), and where the re-encoded files live (storage).

    processed = images.process(data)            # ImageRefused with a Chinese reason, or clean JPEGs
    put(db.session, key, processed.full)        # into the storage; deleted again if the session rolls back

The storage is a folder in instance/ unless PHOTO_STORAGE = "s3" (any S3-compatible server).
Files are written before the rows that name them are committed; `put` remembers them in the
database session, and a transaction that rolls back deletes them again, so no file is left
that no row names.
"""

import logging

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from xtq.media.storage import Storage, from_config

log = logging.getLogger(__name__)
_WRITTEN = "xtq_photo_files"


def storage() -> Storage:
    """The app's photo storage, made once per app from its config."""
    if "xtq_photo_storage" not in current_app.extensions:
        current_app.extensions["xtq_photo_storage"] = from_config(current_app.config, current_app.instance_path)
    return current_app.extensions["xtq_photo_storage"]


def put(session: Session, key: str, data: bytes) -> None:
    """Store a JPEG under `key`, to be deleted again if the session's transaction rolls back."""
    storage().put(key, data, "image/jpeg")
    session.info.setdefault(_WRITTEN, []).append(key)


@event.listens_for(Session, "after_commit")
def _keep(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    for key in session.info.pop(_WRITTEN, []):
        try:
            storage().delete(key)
        except Exception:  # the storage being down must not hide the error that rolled back
            log.exception("could not delete photo file %s", key)
