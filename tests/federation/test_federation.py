"""Federation without a peer: discovery documents, content negotiation, keys, the admin page,
the signature rules, the SSRF guard, and delivery retries against a port nobody answers on."""

import json
from datetime import timedelta
from email.utils import format_datetime

import pytest

from tests.helpers import NOW
from tests.servers import free_port
from xtq import clock
from xtq.extensions import db
from xtq.federation import delivery, fetch, signatures
from xtq.federation.models import Delivery, DeliveryStatus
from xtq.models import PostKind

SITE = "https://hall.example.gov.cn"
AP = {"Accept": "application/activity+json"}
DEAD_PORT = free_port()  # nothing listens here


@pytest.fixture
def app_config():
    return {"SITE_URL": SITE, "FEDERATION_ALLOWED_PRIVATE_HOSTS": [f"127.0.0.1:{DEAD_PORT}"], "FEDERATION_TIMEOUT": 2}


def test_webfinger_finds_a_department_and_nothing_else(client):
    doc = client.get("/.well-known/webfinger?resource=acct:gongan@hall.example.gov.cn").json
    assert doc["subject"] == "acct:gongan@hall.example.gov.cn"
    assert {"rel": "self", "type": "application/activity+json", "href": f"{SITE}/hall/gongan"} in doc["links"]
    assert client.get(f"/.well-known/webfinger?resource={SITE}/hall/gongan").status_code == 200
    assert client.get("/.well-known/webfinger?resource=acct:gongan@elsewhere.example").status_code == 404
    assert client.get("/.well-known/webfinger?resource=acct:nobody@hall.example.gov.cn").status_code == 404
    assert client.get("/.well-known/webfinger").status_code == 400


def test_nodeinfo_and_host_meta(client):
    link = client.get("/.well-known/nodeinfo").json["links"][0]
    assert link["href"] == f"{SITE}/nodeinfo/2.1"
    info = client.get("/nodeinfo/2.1").json
    assert info["version"] == "2.1" and info["protocols"] == ["activitypub"] and info["usage"]["users"]["total"] == 57
    xml = client.get("/.well-known/host-meta").get_data(as_text=True)
    assert f'template="{SITE}/.well-known/webfinger?resource={{uri}}"' in xml


@pytest.mark.parametrize(
    "accept", ["application/activity+json", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"']
)
def test_the_hall_page_is_the_actor_when_asked_for_activitypub(client, accept):
    response = client.get("/hall/gongan", headers={"Accept": accept})
    actor = response.json
    assert response.content_type == "application/activity+json" and "Accept" in response.headers["Vary"]
    assert actor["id"] == f"{SITE}/hall/gongan" and actor["type"] == "Organization"
    assert actor["inbox"] == f"{SITE}/hall/gongan/inbox" and actor["endpoints"]["sharedInbox"] == f"{SITE}/inbox"
    assert actor["publicKey"]["id"] == f"{SITE}/hall/gongan#main-key"
    assert actor["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert client.get("/hall/gongan").content_type.startswith("text/html")  # a browser still gets the page


def test_the_key_is_made_once_and_rotated_by_command(client, runner):
    first = client.get("/hall/gongan", headers=AP).json["publicKey"]["publicKeyPem"]
    assert client.get("/hall/gongan", headers=AP).json["publicKey"]["publicKeyPem"] == first
    result = runner.invoke(args=["federation", "rotate-key", "gongan"])
    assert result.exit_code == 0, result.output
    assert client.get("/hall/gongan", headers=AP).json["publicKey"]["publicKeyPem"] != first
    assert runner.invoke(args=["federation", "rotate-key", "nosuch"]).exit_code != 0


def test_posts_questions_and_collections_by_content_negotiation(client, spokesperson, make_post, make_question):
    post = make_post(spokesperson, "停水通知 #停水#")
    note = client.get(f"/p/{post.id}", headers=AP).json
    assert note["id"] == f"{SITE}/p/{post.id}" and note["attributedTo"] == f"{SITE}/hall/gongan"
    assert note["tag"][0]["name"] == "#停水"
    question = make_question("asked", at=clock.now() - timedelta(hours=1))
    assert client.get(f"/q/{question.id}", headers=AP).json["type"] == "Note"
    outbox = client.get("/hall/gongan/outbox").json
    assert outbox["totalItems"] == 1
    page = client.get(outbox["first"].removeprefix(SITE)).json
    assert [item["object"]["id"] for item in page["orderedItems"]] == [note["id"]]
    assert client.get("/hall/gongan/followers").json["totalItems"] == 0
    assert client.get("/p/999999", headers=AP).status_code == 404


def test_an_outage_notice_keeps_its_structure(app, spokesperson):
    from xtq.domain.publishing import Notice, compose
    from xtq.federation import documents
    from xtq.models import NoticeType

    start = clock.now() + timedelta(days=1)
    post = compose(
        spokesperson,
        PostKind.OUTAGE,
        "管道抢修。",
        now=clock.now(),
        notice=Notice(
            type=NoticeType.WATER_OUTAGE,
            districts=["jinshui", "erqi"],
            streets="金水路",
            start=start,
            end=start + timedelta(hours=6),
        ),
    )
    content = documents.post_note(post)["content"]
    assert (
        "【停水】" in content
        and "区县：金水区、二七区" in content
        and "范围：金水路" in content
        and "时间：" in content
    )


def test_a_department_turned_off_is_not_on_the_fediverse(client, auth, admin):
    auth.login(admin)
    assert client.post("/admin/federation/departments/gongan", data={"on": "0"}).status_code == 302
    assert client.get("/hall/gongan", headers=AP).status_code == 404
    assert client.get("/.well-known/webfinger?resource=acct:gongan@hall.example.gov.cn").status_code == 404
    page = client.get("/admin/federation").get_data(as_text=True)
    assert "已关闭" in page
    client.post("/admin/federation/blocks", data={"host": "https://Spam.Example/users/x", "reason": "广告"})
    assert "spam.example" in client.get("/admin/federation").get_data(as_text=True)
    assert fetch.is_blocked("mail.spam.example") and not fetch.is_blocked("example")


def test_signature_rules_around_the_cryptography(app):
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = NOW
    body = b'{"type": "Follow"}'
    headers = {
        k.lower(): v
        for k, v in signatures.sign(
            "POST", "https://hall.example.gov.cn/inbox", body, key_id="https://x.example/a#k", key=key, now=now
        ).items()
    }

    def check(h, b=body, at=now):
        return signatures.check_request("POST", "https://hall.example.gov.cn/inbox", h, b, now=at, window=300)

    assert check(headers)["keyId"] == "https://x.example/a#k"  # positive control
    with pytest.raises(signatures.BadSignature, match="Digest"):
        check(headers, b'{"type": "Delete"}')
    with pytest.raises(signatures.BadSignature, match="window"):
        check(headers, at=now + timedelta(minutes=10))
    with pytest.raises(signatures.BadSignature, match="unsigned"):
        check({k: v for k, v in headers.items() if k != "signature"})
    lax = {
        **headers,
        "signature": headers["signature"].replace(
            'headers="(request-target) date host digest"', 'headers="(request-target) date"'
        ),
    }
    with pytest.raises(signatures.BadSignature, match="must sign"):
        check(lax)
    with pytest.raises(signatures.BadSignature):
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
        from cryptography.hazmat.primitives import serialization

        pem = other.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        signatures.verify("POST", "https://hall.example.gov.cn/inbox", headers, pem)
    assert format_datetime(now, usegmt=True) == headers["date"]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/inbox",
        "https://localhost/inbox",
        "https://10.1.2.3/x",
        "https://[::1]/x",
        "https://169.254.169.254/latest",
        "http://example.com/inbox",
        "file:///etc/passwd",
        "http://127.0.0.1:{next_to_allowed}/inbox",  # a loopback port beside the test allowlist's
    ],
)
def test_outgoing_requests_never_reach_private_addresses(app, url):
    with pytest.raises(fetch.Refused):
        fetch.check(url.format(next_to_allowed=DEAD_PORT + 1))


def test_the_test_allowlist_is_the_only_way_to_loopback(app):
    fetch.check(f"http://127.0.0.1:{DEAD_PORT}/inbox")  # positive control: allowed, raises nothing


def _delivery(department_id, **times) -> Delivery:
    row = Delivery(
        department_id=department_id,
        inbox=f"http://127.0.0.1:{DEAD_PORT}/inbox",
        host=f"127.0.0.1:{DEAD_PORT}",
        activity=json.dumps({"id": "https://hall.example.gov.cn/p/1#create"}),
        **times,
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_a_failing_delivery_backs_off_then_becomes_a_dead_letter(app, spokesperson):
    row = _delivery(spokesperson.department_id, created_at=NOW, next_attempt_at=NOW)
    assert delivery.attempt(row.id, NOW) == "retry"  # nobody listens on that port
    db.session.refresh(row)
    assert row.status == DeliveryStatus.PENDING and row.attempts == 1 and "ConnectionError" in row.last_error
    assert row.next_attempt_at == NOW + timedelta(minutes=1) and row.locked_until is None
    assert delivery.attempt(row.id, NOW + timedelta(seconds=30)) == "not due"
    assert delivery.attempt(row.id, NOW + timedelta(minutes=1)) == "retry"
    db.session.refresh(row)
    assert row.next_attempt_at == NOW + timedelta(minutes=3)  # then 2 minutes later, 4, 8 … at most 6 hours
    assert delivery.attempt(row.id, NOW + timedelta(days=2, minutes=1)) == "dead"
    db.session.refresh(row)
    assert row.status == DeliveryStatus.DEAD and "gave up after 3 attempts" in row.last_error
    assert [d.id for d in delivery.dead_letters()] == [row.id]
    assert delivery.backoff(20) == timedelta(hours=6)


def test_the_sweep_puts_lost_and_lapsed_deliveries_back_on_the_queue(app, spokesperson):
    from xtq import jobs

    lost = _delivery(
        spokesperson.department_id,
        created_at=NOW,
        next_attempt_at=NOW - timedelta(minutes=5),
        locked_until=NOW - timedelta(minutes=1),
        attempts=1,
    )  # its worker was killed
    held = _delivery(
        spokesperson.department_id,
        created_at=NOW,
        next_attempt_at=NOW - timedelta(minutes=5),
        locked_until=NOW + timedelta(minutes=1),
        attempts=1,
    )  # a worker is on it now
    _delivery(spokesperson.department_id, created_at=NOW, next_attempt_at=NOW + timedelta(minutes=5))  # not yet
    app.config["JOBS_IMMEDIATE"] = False  # a real queue (huey's SQLite file): see what the sweep puts on it
    jobs.init_app(app)
    try:
        assert delivery.sweep(NOW) == 2
        prompts = {task.args[0]: task.eta for task in jobs.huey.pending()}
        assert prompts.keys() == {lost.id, held.id}
        assert prompts[lost.id] is None and prompts[held.id] is not None  # now; `held` when its lease lapses
    finally:
        app.config["JOBS_IMMEDIATE"] = True
        jobs.init_app(app)


def test_an_activity_whose_prompt_was_lost_is_applied_by_the_sweep(app):
    from xtq.federation import inbox
    from xtq.federation.models import ReceivedActivity, RemoteActor, RemoteFollower

    alice = RemoteActor(
        uri="https://social.example/users/alice",
        host="social.example",
        key_id="k",
        public_key_pem="",
        inbox=f"http://127.0.0.1:{DEAD_PORT}/inbox",
        username="alice",
        fetched_at=NOW,
    )
    follow = {"id": "https://social.example/f/1", "type": "Follow", "actor": alice.uri, "object": f"{SITE}/hall/gongan"}
    received = ReceivedActivity(
        activity_id=follow["id"],
        actor_uri=alice.uri,
        type="Follow",
        payload=json.dumps(follow),
        received_at=NOW - timedelta(minutes=5),
    )
    db.session.add_all([alice, received])
    db.session.commit()
    inbox.apply_left_over.call_local()
    assert db.session.scalar(db.select(RemoteFollower.follow_activity_id)) == follow["id"]
    assert inbox.process(received.id, NOW) == "done before"  # applied once


def test_a_scheduled_post_goes_out_when_it_comes_due_and_mentions_become_mentions(app, spokesperson):
    from xtq.domain.publishing import compose
    from xtq.federation import documents, outbox

    post = compose(
        spokesperson, PostKind.SERVICE, "明天起与 @市交通委 联合整治。", now=NOW, publish_at=NOW + timedelta(hours=1)
    )
    db.session.commit()
    assert outbox.sync_post(post.id, NOW) is None  # not due yet: nothing goes out
    assert outbox.sync_post(post.id, NOW + timedelta(hours=1)) == "Create"
    assert outbox.sync_post(post.id, NOW + timedelta(hours=1)) is None  # once
    mention = [t for t in documents.post_note(post)["tag"] if t["type"] == "Mention"]
    assert mention == [{"type": "Mention", "href": f"{SITE}/hall/jiaotong", "name": "@jiaotong@hall.example.gov.cn"}]


@pytest.mark.parametrize(
    "app_config", [{"SITE_URL": SITE, "RATELIMIT_ENABLED": True, "FEDERATION_INBOX_LIMIT": "2 per minute"}]
)
def test_the_inbox_is_rate_limited_per_remote_server(client):
    def post(host):
        signature = f'keyId="https://{host}/users/a#main-key",algorithm="rsa-sha256",headers="date",signature="eA=="'
        return client.post(
            "/inbox",
            data=b'{"id": "x", "type": "Like", "actor": "a"}',
            headers={"Signature": signature, "Content-Type": "application/activity+json"},
        ).status_code

    assert [post("noisy.example") for _ in range(3)] == [401, 401, 429]
    assert post("quiet.example") == 401  # another server has its own allowance
