"""The hall against a real ActivityPub peer on loopback (tests/fedipeer.py, built on bovine):
discovery, follow, a post arriving signed, a reply, a mention that becomes a question answered in
its thread, likes, unfollow; refusals; and a worker killed mid-delivery."""

import json

import pytest
from sqlalchemy import func

from tests.fedipeer import Peer
from tests.servers import Worker, free_port, live_app, wait_for
from xtq import clock
from xtq.domain import publishing, questions
from xtq.extensions import db
from xtq.federation.models import Delivery, DeliveryStatus, ReceivedActivity, RemoteFollower, RemoteReaction
from xtq.models import Comment, PostKind, Question, QuestionStatus

HALL_PORT, PEER_PORT = free_port(), free_port()
HALL = f"http://127.0.0.1:{HALL_PORT}"
GONGAN = f"{HALL}/hall/gongan"


@pytest.fixture
def app_config():
    return {
        "SITE_URL": HALL,
        "FEDERATION_ALLOWED_PRIVATE_HOSTS": [f"127.0.0.1:{PEER_PORT}"],
        "FEDERATION_TIMEOUT": 5,
        "FEDERATION_LEASE_SECONDS": 3,
    }


@pytest.fixture
def peer():
    peer = Peer(PEER_PORT).start()
    yield peer
    peer.stop()


@pytest.fixture
def hall(app):
    with live_app(app, HALL_PORT) as url:
        yield url


def follow(peer):
    actor = peer.fetch(peer.webfinger(f"gongan@127.0.0.1:{HALL_PORT}", HALL))
    follow = peer.activity("Follow", actor["id"])
    assert peer.send(actor["inbox"], follow) == 202
    return actor, follow


def count(model) -> int:
    db.session.rollback()  # see what the server's threads committed
    return db.session.scalar(db.select(func.count()).select_from(model))


def test_follow_post_reply_like_and_unfollow(hall, peer, spokesperson):
    actor, follow_activity = follow(peer)
    assert (
        actor["id"] == GONGAN
        and actor["type"] == "Organization"
        and actor["endpoints"]["sharedInbox"] == f"{HALL}/inbox"
    )
    accept = wait_for(lambda: peer.of_type("Accept"))[0]  # arrived, and bovine verified our signature
    assert accept["object"]["id"] == follow_activity["id"] and accept["actor"] == GONGAN
    assert count(RemoteFollower) == 1

    post = publishing.compose(spokesperson, PostKind.SERVICE, "今天起 #户籍办理# 可以网上预约。", now=clock.now())
    db.session.commit()
    create = wait_for(lambda: peer.of_type("Create", "Note"))[0]
    note = create["object"]
    assert note["id"] == f"{HALL}/p/{post.id}" and create["actor"] == GONGAN
    assert "户籍办理" in note["content"] and f'href="{HALL}/topic/' in note["content"]
    assert note["tag"] == [{"type": "Hashtag", "name": "#户籍办理", "href": f"{HALL}/topic/户籍办理"}]
    assert (
        db.session.scalar(
            db.select(Delivery.inbox).where(Delivery.status == DeliveryStatus.DONE).order_by(Delivery.id.desc())
        )
        == f"{peer.base}/inbox"
    )  # the shared inbox

    reply = peer.note("<p>请问周末能办吗？<script>alert(1)</script></p>", inReplyTo=note["id"])
    create_reply = peer.activity("Create", reply)
    assert peer.send(f"{HALL}/inbox", create_reply) == 202
    assert peer.send(f"{HALL}/inbox", create_reply) == 202  # the same activity again: applied once
    comment = db.session.scalar(db.select(Comment).where(Comment.post_id == post.id))
    assert comment.body == "请问周末能办吗？alert(1)" and "<script>" not in comment.body_html
    assert comment.author.display_name == f"@alice@127.0.0.1:{PEER_PORT}" and count(Comment) == 1
    page = hall_page(f"/p/{post.id}")
    assert "请问周末能办吗" in page and f"@alice@127.0.0.1:{PEER_PORT}" in page

    assert peer.send(f"{HALL}/inbox", peer.activity("Like", note["id"])) == 202
    assert peer.send(f"{HALL}/inbox", peer.activity("Announce", note["id"])) == 202
    assert count(RemoteReaction) == 2 and "1 赞 · 1 转发" in hall_page(f"/p/{post.id}")
    assert peer.send(f"{HALL}/inbox", peer.activity("Update", {**reply, "content": "<p>周末能办吗？谢谢</p>"})) == 202
    db.session.refresh(comment)
    assert comment.body == "周末能办吗？谢谢"

    publishing.edit(spokesperson, post, "今天起 #户籍办理# 可以网上预约，周末也可以。", now=clock.now())
    db.session.commit()
    update = wait_for(lambda: peer.of_type("Update", "Note"))[0]
    assert "周末也可以" in update["object"]["content"]

    assert peer.send(f"{HALL}/inbox", peer.activity("Undo", follow_activity)) == 202
    assert count(RemoteFollower) == 0
    publishing.delete(spokesperson, post, now=clock.now())
    db.session.commit()
    assert not peer.of_type("Delete")  # no follower left to tell


def count_where(*conditions) -> int:
    db.session.rollback()
    return db.session.scalar(db.select(func.count()).select_from(Delivery).where(*conditions))


def hall_page(path: str) -> str:
    import requests

    return requests.get(HALL + path, timeout=10).text


def test_a_mention_becomes_a_question_answered_in_its_thread(hall, peer, liaison, spokesperson, cal):
    follow(peer)
    mention = peer.note(
        f'<p><a href="{GONGAN}" class="mention">@gongan</a> 我家门口的路灯坏了一周，谁来修？</p>',
        tag=[{"type": "Mention", "href": GONGAN, "name": f"@gongan@127.0.0.1:{HALL_PORT}"}],
    )
    assert peer.send(f"{HALL}/inbox", peer.activity("Create", mention)) == 202
    db.session.rollback()
    question = db.session.scalar(db.select(Question).order_by(Question.id.desc()))
    assert question.department.slug == "gongan" and question.status == QuestionStatus.ASKED
    assert question.body == "@gongan 我家门口的路灯坏了一周，谁来修？".replace("@gongan ", "")
    ack = wait_for(lambda: [a for a in peer.of_type("Create", "Note") if a["object"].get("inReplyTo") == mention["id"]])
    assert question.tracking_code in ack[0]["object"]["content"]

    questions.accept(question, liaison, now=clock.now(), cal=cal)
    db.session.commit()
    questions.reply(question, spokesperson, "已安排维修，今晚修好。", now=clock.now(), cal=cal)
    db.session.commit()
    thread = wait_for(lambda: len(notes_in_thread(peer, mention["id"])) == 3 and notes_in_thread(peer, mention["id"]))
    answer = thread[-1]["object"]
    assert "已安排维修，今晚修好。" in answer["content"] and answer["tag"][0]["href"] == peer.actor_id
    assert peer.actor_id in answer["to"]

    followup = peer.note("<p>修好了，谢谢！还有一盏也坏了。</p>", inReplyTo=answer["id"])
    assert peer.send(f"{HALL}/inbox", peer.activity("Create", followup)) == 202
    db.session.refresh(question)
    assert question.events[-1].text == "修好了，谢谢！还有一盏也坏了。"

    delete = peer.activity("Delete", {"id": mention["id"], "type": "Tombstone"})
    assert peer.send(f"{HALL}/inbox", delete) == 202
    db.session.refresh(question)
    assert question.hidden_at is not None


def notes_in_thread(peer, note_id):
    return [a for a in peer.of_type("Create", "Note") if a["object"].get("inReplyTo") == note_id]


def test_unsigned_or_wrongly_signed_requests_get_401_and_change_nothing(hall, peer):
    import requests
    from bovine.crypto import generate_rsa_public_private_key
    from bovine.crypto.types import CryptographicSecret

    before = count(ReceivedActivity)
    follow_activity = peer.activity("Follow", GONGAN)
    response = requests.post(
        f"{HALL}/inbox",
        data=json.dumps(follow_activity),
        timeout=10,
        headers={"Content-Type": "application/activity+json"},
    )
    assert response.status_code == 401
    _, other_private = generate_rsa_public_private_key()
    forged = CryptographicSecret.from_pem(peer.secret.key_id, other_private)  # alice's key id, someone else's key
    assert peer.send(f"{HALL}/inbox", follow_activity, secret=forged) == 401
    assert count(ReceivedActivity) == before and count(RemoteFollower) == 0
    assert peer.send(f"{HALL}/inbox", follow_activity) == 202  # positive control: alice's own signature
    assert count(RemoteFollower) == 1


def test_a_blocked_domain_is_refused_both_ways(hall, peer, admin, spokesperson):
    from xtq.federation import admin as federation_admin

    follow(peer)
    mention = peer.note("<p>@gongan 小区门口的垃圾没人清</p>", tag=[{"type": "Mention", "href": GONGAN}])
    assert peer.send(f"{HALL}/inbox", peer.activity("Create", mention)) == 202
    question = db.session.scalar(db.select(Question).order_by(Question.id.desc()))
    assert question.hidden_at is None
    federation_admin.block(admin, "127.0.0.1", "测试", now=clock.now())
    db.session.commit()
    assert count(RemoteFollower) == 0
    db.session.refresh(question)
    assert question.hidden_reason == "来源域名已被屏蔽"  # it was still waiting to be accepted
    assert peer.send(f"{HALL}/inbox", peer.activity("Follow", GONGAN)) == 403
    received = len(peer.received)
    publishing.compose(spokesperson, PostKind.SERVICE, "屏蔽之后的微博", now=clock.now())
    db.session.commit()
    assert len(peer.received) == received and not count_where(
        Delivery.host == f"127.0.0.1:{PEER_PORT}", Delivery.status == DeliveryStatus.PENDING
    )


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "SITE_URL": HALL,
            "FEDERATION_ALLOWED_PRIVATE_HOSTS": [f"127.0.0.1:{PEER_PORT}"],
            "FEDERATION_TIMEOUT": 30,
            "FEDERATION_LEASE_SECONDS": 3,
            "JOBS_IMMEDIATE": False,
        }
    ],
)
def test_a_worker_killed_mid_delivery_loses_nothing(app, hall, peer, spokesperson):
    from xtq import jobs
    from xtq.federation import actors, outbox

    jobs.init_app(app)  # a real queue (huey's SQLite file in the test's instance folder)

    def start_worker() -> Worker:
        return Worker(
            app,
            FEDERATION_ALLOWED_PRIVATE_HOSTS=[f"127.0.0.1:{PEER_PORT}"],
            FEDERATION_LEASE_SECONDS=3,
            FEDERATION_TIMEOUT=30,
        ).start()

    remote = actors.refresh(peer.actor_id, clock.now())
    db.session.add(
        RemoteFollower(
            department_id=spokesperson.department_id,
            remote_actor_id=remote.id,
            follow_activity_id=peer.new_id(),
            created_at=clock.now(),
        )
    )
    post = publishing.compose(spokesperson, PostKind.SERVICE, "送达途中工作进程被杀也不会丢。", now=clock.now())
    db.session.commit()
    # The delivery is made here, and the queue emptied, rather than left to the worker's sync job:
    # the worker's clock is the real one, the test's is pinned (XTQ_TEST_DATE), and the post is
    # published as of the test's. With its prompt gone, the worker finds the delivery by its sweep.
    assert outbox.sync_post(post.id, clock.now()) == "Create" and count(Delivery) == 1
    jobs.huey.flush()
    peer.hang = True
    worker = start_worker()
    try:
        wait_for(lambda: peer.started, timeout=60)  # the worker is in the middle of the POST
        worker.kill()
        assert count(Delivery) == 1 and db.session.scalar(db.select(Delivery.status)) == DeliveryStatus.PENDING
        peer.hang = False
        worker = start_worker()
        wait_for(lambda: peer.of_type("Create"), timeout=60)
        wait_for(lambda: count(Delivery) and db.session.scalar(db.select(Delivery.status)) == DeliveryStatus.DONE)
    finally:
        worker.stop()
        app.config["JOBS_IMMEDIATE"] = True
        jobs.init_app(app)
    delivery = db.session.scalar(db.select(Delivery))
    assert delivery.attempts == 2 and [a["object"]["id"] for a in peer.of_type("Create")] == [f"{HALL}/p/{post.id}"]
