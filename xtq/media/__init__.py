"""Photos: what an upload must be to be accepted (images), and where the re-encoded files live (storage).

    processed = images.process(data)            # ImageRefused with a Chinese reason, or clean JPEGs
    storage().put(key, processed.full, "image/jpeg")

The storage is a folder in instance/ unless PHOTO_STORAGE = "s3" (any S3-compatible server).
"""

from flask import current_app

from xtq.media.storage import Storage, from_config


def storage() -> Storage:
    """The app's photo storage, made once per app from its config."""
    if "xtq_photo_storage" not in current_app.extensions:
        current_app.extensions["xtq_photo_storage"] = from_config(current_app.config, current_app.instance_path)
    return current_app.extensions["xtq_photo_storage"]
