"""Every request the hall makes to another server: HTTPS only, never to a private, loopback or
link-local address (SSRF), no redirects, a timeout and a size limit. FEDERATION_ALLOWED_PRIVATE_HOSTS
("127.0.0.1:8123") lets the tests reach a real peer on loopback; deployments leave it empty."""

from __future__ import annotations

import ipaddress
import json
import socket
from urllib.parse import urlsplit

import requests
from flask import current_app

from xtq.extensions import db
from xtq.federation.models import BlockedDomain

ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
USER_AGENT = "xintongqiao (+https://github.com/)"


class Refused(Exception):
    """The address may not be fetched, or the answer was not acceptable."""


def is_blocked(netloc: str) -> bool:
    """A blocked domain (or host:port), or any subdomain of one."""
    parts = netloc.lower().split(":")[0].split(".")
    candidates = [netloc.lower()] + [".".join(parts[i:]) for i in range(len(parts))]
    return (
        db.session.scalar(db.select(BlockedDomain.host).where(BlockedDomain.host.in_(candidates)).limit(1)) is not None
    )


def check(url: str) -> None:
    """Raise Refused unless `url` may be requested."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise Refused(f"not an http(s) address: {url[:100]}")
    if is_blocked(parts.hostname):
        raise Refused(f"blocked domain: {parts.hostname}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if f"{parts.hostname}:{port}" in current_app.config["FEDERATION_ALLOWED_PRIVATE_HOSTS"]:
        return
    if parts.scheme != "https":
        raise Refused(f"plain http is refused: {url[:100]}")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)}
    except OSError as error:
        raise Refused(f"cannot resolve {parts.hostname}: {error}") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise Refused(f"{parts.hostname} resolves to a non-public address ({ip})")


def _limits() -> tuple[float, int]:
    config = current_app.config
    return float(config["FEDERATION_TIMEOUT"]), int(config["FEDERATION_MAX_BYTES"])


def _body(response: requests.Response, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(16384):
        size += len(chunk)
        if size > limit:
            raise Refused(f"answer larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def get_json(url: str) -> dict:
    """An ActivityPub (or WebFinger) document from another server."""
    check(url)
    timeout, limit = _limits()
    try:
        with requests.get(
            url,
            headers={"Accept": ACCEPT, "User-Agent": USER_AGENT},
            timeout=timeout,
            allow_redirects=False,
            stream=True,
        ) as response:
            if response.status_code != 200:
                raise Refused(f"GET {url[:100]}: HTTP {response.status_code}")
            document = json.loads(_body(response, limit))
    except (requests.RequestException, ValueError) as error:
        raise Refused(f"GET {url[:100]}: {error}") from error
    if not isinstance(document, dict):
        raise Refused(f"GET {url[:100]}: not a JSON object")
    return document


def post(url: str, body: bytes, headers: dict) -> int:
    """POST a signed activity; the HTTP status (connection errors raise requests' exceptions)."""
    check(url)
    timeout, limit = _limits()
    with requests.post(
        url,
        data=body,
        headers={**headers, "User-Agent": USER_AGENT},
        timeout=timeout,
        allow_redirects=False,
        stream=True,
    ) as response:
        _body(response, limit)  # read (and bound) the answer so the connection can be reused
        return response.status_code
