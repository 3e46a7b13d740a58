"""A second ActivityPub server for the tests, on loopback: one account, alice, built on bovine
(a maintained ActivityPub library we did not write). bovine makes alice's key, signs what she
sends (draft-cavage HTTP Signatures), looks departments up by WebFinger and verifies every
request that reaches her inbox; an activity that fails bovine's check is not kept. The few lines
here only serve her actor document and keep what arrives, once per activity id."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid

import aiohttp
from aiohttp import web
from bovine.clients import lookup_uri_with_webfinger
from bovine.clients.signed_http import legacy_digest_method
from bovine.clients.signed_http_methods import signed_post
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret

AP = "application/activity+json"


class Peer:
    def __init__(self, port: int):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.actor_id = f"{self.base}/users/alice"
        self.public_pem, private_pem = generate_rsa_public_private_key()
        self.secret = CryptographicSecret.from_pem(self.actor_id + "#main-key", private_pem)
        self.received: dict[str, dict] = {}  # activity id → activity, verified by bovine, each once
        self.rejected = 0
        self.started = 0  # inbox requests begun (before any answer)
        self.hang = False  # while True, the inbox does not answer (a slow server)
        self.loop = asyncio.new_event_loop()
        self._validate = build_validate_http_signature_raw(self._key)

    # ---- the server ------------------------------------------------------------------------
    def actor(self) -> dict:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor_id,
            "type": "Person",
            "preferredUsername": "alice",
            "name": "Alice",
            "inbox": self.actor_id + "/inbox",
            "outbox": self.actor_id + "/outbox",
            "endpoints": {"sharedInbox": self.base + "/inbox"},
            "url": self.actor_id,
            "publicKey": {"id": self.secret.key_id, "owner": self.actor_id, "publicKeyPem": self.public_pem},
        }

    async def _key(self, key_id: str):
        async with self.session.get(key_id.split("#")[0], headers={"Accept": AP}) as response:
            document = await response.json(content_type=None)
        key = document["publicKey"]
        return CryptographicIdentifier.from_pem(key["publicKeyPem"], key["owner"])

    async def _actor_view(self, request):
        return web.json_response(self.actor(), content_type=AP)

    async def _inbox(self, request):
        self.started += 1
        while self.hang:
            await asyncio.sleep(0.05)
        body = await request.read()

        async def get_body():
            return body

        headers = {k.lower(): v for k, v in request.headers.items()}
        owner = await self._validate(request.method, str(request.url), headers, get_body)
        if owner is None:
            self.rejected += 1
            return web.Response(status=401)
        activity = json.loads(body)
        self.received.setdefault(activity["id"], activity)
        return web.Response(status=202)

    def start(self) -> Peer:
        ready = threading.Event()

        async def serve():
            self.session = aiohttp.ClientSession()
            app = web.Application()
            app.router.add_get("/users/alice", self._actor_view)
            app.router.add_post("/users/alice/inbox", self._inbox)
            app.router.add_post("/inbox", self._inbox)
            self.runner = web.AppRunner(app)
            await self.runner.setup()
            await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
            ready.set()

        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(serve(), self.loop)
        ready.wait(10)
        return self

    def stop(self) -> None:
        self.hang = False

        async def close():
            await self.session.close()
            await self.runner.cleanup()

        self.call(close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    def call(self, coroutine, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    # ---- alice's actions, through bovine ----------------------------------------------------
    def webfinger(self, handle: str, server: str) -> str | None:
        uri, _ = self.call(lookup_uri_with_webfinger(self.session, "acct:" + handle, domain=server))
        return uri

    def fetch(self, url: str) -> dict:
        async def get():
            async with self.session.get(url, headers={"Accept": AP}) as response:
                return await response.json(content_type=None)

        return self.call(get())

    def send(self, inbox: str, activity: dict, secret: CryptographicSecret | None = None) -> int:
        """POST an activity signed as alice (or with another key, to test refusals); the status."""

        async def post():
            response = await signed_post(
                self.session, secret or self.secret, inbox, json.dumps(activity), digest_method=legacy_digest_method
            )
            async with response:
                return response.status

        return self.call(post())

    def new_id(self) -> str:
        return f"{self.actor_id}/activities/{uuid.uuid4()}"

    def activity(self, kind: str, obj, **extra) -> dict:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self.new_id(),
            "type": kind,
            "actor": self.actor_id,
            "object": obj,
            **extra,
        }

    def note(self, content: str, **extra) -> dict:
        return {
            "id": f"{self.actor_id}/statuses/{uuid.uuid4()}",
            "type": "Note",
            "attributedTo": self.actor_id,
            "content": content,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            **extra,
        }

    def of_type(self, kind: str, object_type: str | None = None) -> list[dict]:
        return [
            a
            for a in self.received.values()
            if a["type"] == kind
            and (object_type is None or isinstance(a.get("object"), dict) and a["object"].get("type") == object_type)
        ]
