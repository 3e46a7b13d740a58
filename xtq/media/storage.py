"""Where photo files live, behind one small interface: a folder (default) or S3-compatible storage.

Keys are made by the hall (random hex and a suffix), never taken from a request.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

KEY_RE = re.compile(r"^[0-9a-f]{32}(-thumb)?\.jpg$")


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def delete(self, key: str) -> None: ...


def _checked(key: str) -> str:
    if not KEY_RE.match(key):
        raise ValueError(f"not a photo key: {key!r}")
    return key


class FolderStorage:
    """Files in one folder (instance/photos by default)."""

    def __init__(self, root: Path):
        self.root = root

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / _checked(key)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file

    def get(self, key: str) -> bytes | None:
        path = self.root / _checked(key)
        return path.read_bytes() if path.is_file() else None

    def delete(self, key: str) -> None:
        (self.root / _checked(key)).unlink(missing_ok=True)


class S3Storage:
    """Objects in a bucket of an S3-compatible server (AWS S3, MinIO, Ceph, a city's cloud …)."""

    def __init__(self, bucket: str, prefix: str = "", **client_options: Any):
        import boto3  # only deployments that use S3 need it loaded

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client("s3", **client_options)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + _checked(key), Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + _checked(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + _checked(key))


def from_config(config: Any, instance_path: str) -> Storage:
    if config.get("PHOTO_STORAGE") == "s3":
        return S3Storage(
            config["PHOTO_S3_BUCKET"],
            config.get("PHOTO_S3_PREFIX") or "",
            endpoint_url=config.get("PHOTO_S3_ENDPOINT") or None,
            region_name=config.get("PHOTO_S3_REGION") or None,
            aws_access_key_id=config.get("PHOTO_S3_ACCESS_KEY") or None,
            aws_secret_access_key=config.get("PHOTO_S3_SECRET_KEY") or None,
        )
    return FolderStorage(Path(config.get("PHOTO_FOLDER") or Path(instance_path) / "photos"))
