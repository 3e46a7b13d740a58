"""HTTP Signatures as Mastodon sends and expects them: draft-cavage-http-signatures with
rsa-sha256 over (request-target), host, date and digest (SHA-256 of the body).

Signing and the cryptographic check are apsig's (a maintained library of the signatures used
in ActivityPub, on `cryptography`); this module adds what a server must insist on around it:
which headers must be signed, the Date window, the Digest, and where the key comes from.

Dates here are the wall clock (xtq.clock.wall_now), never the demo clock: they are checked
by other servers against theirs."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from apsig.draft import Signer, Verifier
from apsig.exceptions import SignatureError
from cryptography.hazmat.primitives.asymmetric import rsa

REQUIRED = {"(request-target)", "host", "date"}


class BadSignature(Exception):
    """The request is unsigned, or its signature does not hold: answer 401."""


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def sign(method: str, url: str, body: bytes, *, key_id: str, key: rsa.RSAPrivateKey, now: datetime) -> dict:
    """Headers for a signed request (Host, Date, Digest for a body, Signature)."""
    headers = {"Host": urlsplit(url).netloc, "Date": format_datetime(now, usegmt=True)}
    if method.upper() != "GET":
        headers["Digest"] = digest(body)
        headers["Content-Type"] = "application/activity+json"
    signed = Signer(headers=headers, private_key=key, method=method, url=url, key_id=key_id, body=body).sign()
    signed.pop("Authorization", None)  # apsig adds a copy there; Mastodon reads Signature
    return signed


def parse(header: str | None) -> dict[str, str]:
    """The fields of a Signature header (keyId, algorithm, headers, signature)."""
    if not header:
        raise BadSignature("unsigned")
    fields = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        fields[name.strip()] = value.strip().strip('"')
    if not fields.get("keyId") or not fields.get("signature"):
        raise BadSignature("malformed Signature header")
    return fields


def check_request(method: str, url: str, headers: dict, body: bytes, *, now: datetime, window: int) -> dict[str, str]:
    """Everything but the key: required headers signed, Date within `window` seconds, Digest right.
    Returns the Signature fields."""
    fields = parse(headers.get("signature"))
    signed = set(fields.get("headers", "date").lower().split())
    required = REQUIRED | ({"digest"} if method.upper() != "GET" else set())
    if not required <= signed:
        raise BadSignature(f"must sign {' '.join(sorted(required - signed))}")
    if fields.get("algorithm", "rsa-sha256") != "rsa-sha256":
        raise BadSignature("unsupported algorithm")
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError):
        raise BadSignature("bad Date") from None
    if sent.tzinfo is None or abs((now - sent).total_seconds()) > window:
        raise BadSignature("Date outside the accepted window")
    if method.upper() != "GET" and not _digest_matches(headers.get("digest", ""), body):
        raise BadSignature("Digest does not match the body")
    return fields


def _digest_matches(header: str, body: bytes) -> bool:
    """Digest: SHA-256=… (the algorithm's name in any case, as servers differ), among others."""
    expected = digest(body).partition("=")[2]
    for item in header.split(","):
        algorithm, _, value = item.strip().partition("=")
        if algorithm.lower() == "sha-256" and value == expected:
            return True
    return False


def verify(method: str, url: str, headers: dict, public_key_pem: str) -> None:
    """Raise BadSignature unless the signature was made by the key."""
    try:
        # Date window and Digest were checked above (apsig would read the clock itself, and wants
        # the digest's algorithm name in capitals)
        result = Verifier(
            public_pem=public_key_pem, method=method, url=url, headers=headers, body=None, clock_skew=10**9
        ).verify(raise_on_fail=True)
    except (SignatureError, ValueError, KeyError) as error:
        raise BadSignature(str(error) or "invalid signature") from error
    if not result:
        raise BadSignature("invalid signature")
