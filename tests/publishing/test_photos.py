"""Photos: every upload re-encoded (no EXIF or GPS, orientation applied, bounded), bombs, SVG and
polyglots refused with nothing stored, served safely, private where the question is; the same
checks against the instance folder and a real S3-compatible server (moto) on loopback."""

import io
import struct
import zlib
from datetime import timedelta

import boto3
import pytest
from PIL import Image

from tests.helpers import NOW
from tests.mail_server import free_port
from xtq.domain import photos, questions
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.media import storage
from xtq.media.images import ImageRefused, process
from xtq.models import Photo, Question

GPS_IFD, ORIENTATION = 0x8825, 0x0112


def jpeg_with_gps(size=(80, 40), orientation=6) -> bytes:
    """A phone photo: GPS position in its EXIF, taken with the phone turned (orientation 6: 90° clockwise)."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (34.0, 45.0, 36.0), 3: "E", 4: (113.0, 39.0, 54.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bomb(side=100_000) -> bytes:
    """A tiny PNG that claims side × side pixels (a decompression bomb)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * (side // 8)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * 16))
        + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def test_a_phone_photo_is_re_encoded_without_exif_turned_upright_and_bounded():
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the positive control: the GPS is there
    done = process(data)
    out = Image.open(io.BytesIO(done.full))
    assert out.format == "JPEG" and not out.getexif() and b"Exif" not in done.full and b"PhoneMaker" not in done.full
    assert (out.width, out.height) == (done.width, done.height) == (40, 80)  # turned as the camera meant
    big = io.BytesIO()
    Image.new("RGB", (5000, 3000)).save(big, "PNG")
    large = process(big.getvalue())
    assert max(large.width, large.height) == 2048 and max(Image.open(io.BytesIO(large.thumb)).size) == 360


@pytest.mark.parametrize(
    "data, reason",
    [
        (png_bomb(), "像素太多"),
        (SVG, "只能上传"),
        (b"<html><body>hello</body></html>", "只能上传"),
        (b"%PDF-1.7 ...", "只能上传"),
        (jpeg_with_gps() + b"<script>alert(1)</script>", "其他内容"),
        (jpeg_with_gps() + b"PK\x05\x06" + b"\x00" * 18, "其他内容"),  # a ZIP's end record: JPEG and archive at once
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "无法识别"),  # a JPEG's first bytes, then nothing
    ],
)
def test_what_is_refused(data, reason):
    with pytest.raises(ImageRefused, match=reason):
        process(data)


def test_png_webp_and_heic_are_accepted():
    for fmt in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGBA", (30, 20), (0, 0, 255, 128)).save(out, fmt)
        assert Image.open(io.BytesIO(process(out.getvalue()).full)).format == "JPEG"
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), (10, 120, 10))).save(out, format="HEIF")
    assert process(out.getvalue()).width == 64


# ---- through the pages, on both storages --------------------------------------------------------


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


S3_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(params=["folder", "s3"])
def app_config(request, tmp_path):
    if request.param == "folder":
        return {"PHOTO_FOLDER": str(tmp_path / "photos")}
    endpoint = request.getfixturevalue("s3_server")
    bucket = f"photos-{free_port()}"
    boto3.client("s3", endpoint_url=endpoint, **S3_KEYS).create_bucket(Bucket=bucket)
    return {
        "PHOTO_STORAGE": "s3",
        "PHOTO_S3_BUCKET": bucket,
        "PHOTO_S3_ENDPOINT": endpoint,
        "PHOTO_S3_REGION": "us-east-1",
        "PHOTO_S3_ACCESS_KEY": "testing",
        "PHOTO_S3_SECRET_KEY": "testing",
    }


def stored_keys(app) -> set[str]:
    store = storage()
    if app.config.get("PHOTO_STORAGE") == "s3":
        listed = store.client.list_objects_v2(Bucket=app.config["PHOTO_S3_BUCKET"]).get("Contents", [])
        return {o["Key"] for o in listed}
    return {p.name for p in store.root.glob("*")} if store.root.exists() else set()


def ask(client, *files, title="路灯坏了"):
    return client.post(
        "/ask",
        content_type="multipart/form-data",
        data={
            "department": "chengguan",
            "title": title,
            "body": "文化路北段路灯不亮，见照片。",
            "category": "城市管理",
            "submit_token": f"tok-{title}",
            "photos": [(io.BytesIO(data), name) for data, name in files],
        },
    )


def test_a_gps_photo_asked_with_is_served_without_exif(app, client, auth, citizen):
    auth.login(citizen)
    response = ask(client, (jpeg_with_gps(), "IMG_0001.HEIC.jpg"))
    assert response.status_code == 302
    q = db.session.scalar(db.select(Question))
    photo = photos.of_question(q)[0]
    assert stored_keys(app) == {photo.key, photo.thumb_key} and "IMG" not in photo.key
    page = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert f'href="/photos/{photo.id}.jpg"' in page and f'src="/photos/{photo.id}/thumb.jpg"' in page
    client.post("/logout")
    served = client.get(f"/photos/{photo.id}.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff" and "public" in served.headers["Cache-Control"]
    assert b"Exif" not in served.data and not Image.open(io.BytesIO(served.data)).getexif()
    assert client.get(f"/photos/{photo.id}/thumb.jpg").status_code == 200


@pytest.mark.parametrize("bad", [png_bomb(), SVG])
def test_a_bomb_or_a_scripted_svg_is_refused_with_nothing_stored(app, client, auth, citizen, bad):
    auth.login(citizen)
    response = ask(client, (jpeg_with_gps(), "ok.jpg"), (bad, "evil.png"))
    assert response.status_code == 200 and "第 2 张照片" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Photo)) == 0
    assert stored_keys(app) == set()


def test_hidden_questions_keep_their_photos_private(app, client, auth, citizen, admin, liaison):
    auth.login(citizen)
    ask(client, (jpeg_with_gps(), "a.jpg"))
    q = db.session.scalar(db.select(Question))
    photo = photos.of_question(q)[0]
    questions.hide(q, admin, "含他人隐私", now=NOW)
    db.session.commit()
    assert client.get(f"/photos/{photo.id}.jpg").headers["Cache-Control"] == "private, no-store"  # the asker
    client.post("/logout")
    assert client.get(f"/photos/{photo.id}.jpg").status_code == 404
    assert client.get(f"/photos/{photo.id}/thumb.jpg").status_code == 404


def test_private_and_held_questions_keep_their_photos_private(app, client, auth, citizen, liaison):
    auth.login(citizen)
    ask(client, (jpeg_with_gps(), "a.jpg"), title="公开的问题")
    private = client.post(
        "/ask",
        content_type="multipart/form-data",
        data={
            "department": "chengguan",
            "title": "家里的事",
            "body": "涉及个人情况。",
            "category": "城市管理",
            "submit_token": "tok-private",
            "private": "y",
            "photos": [(io.BytesIO(jpeg_with_gps()), "b.jpg")],
        },
    )
    assert private.status_code == 302
    public, private = db.session.scalars(db.select(Question).order_by(Question.id)).all()
    assert private.private and not public.private
    shown, kept = photos.of_question(public)[0], photos.of_question(private)[0]
    assert client.get(f"/photos/{kept.id}.jpg").status_code == 200  # the asker sees their own
    client.post("/logout")
    assert client.get(f"/photos/{shown.id}.jpg").status_code == 200  # the control: a public question's photo
    assert client.get(f"/photos/{kept.id}.jpg").status_code == 404
    assert client.get(f"/photos/{kept.id}/thumb.jpg").status_code == 404


def test_a_reply_carries_photos_and_more_than_four_are_refused(app, client, auth, make_question, liaison):
    q = make_question("accepted", at=NOW - timedelta(hours=5))
    auth.login(liaison)
    five = [(io.BytesIO(jpeg_with_gps()), f"{i}.jpg") for i in range(5)]
    refused = client.post(
        f"/console/questions/{q.id}/reply",
        content_type="multipart/form-data",
        data={"reply-text": "已修好", "reply-photos": five},
    )
    assert refused.status_code == 400 and "最多上传 4 张" in refused.get_data(as_text=True)
    client.post(
        f"/console/questions/{q.id}/reply",
        content_type="multipart/form-data",
        data={"reply-text": "已修好，见照片", "reply-photos": [(io.BytesIO(jpeg_with_gps()), "done.jpg")]},
    )
    reply = q.events[-1]
    assert [p.event_id for p in db.session.scalars(db.select(Photo))] == [reply.id]
    assert "/photos/" in client.get(f"/q/{q.id}").get_data(as_text=True)


def test_prepare_counts_and_names_the_refused_photo():
    with pytest.raises(DomainError, match="第 1 张照片") as info:
        photos.prepare([SVG])
    assert info.value.field == "photos"
    assert photos.prepare([b"", b""]) == []  # empty file inputs are no photos


def test_only_views_that_take_photos_take_large_requests(app, client, auth, citizen):
    import os

    noise = io.BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(noise, "PNG")
    assert noise.tell() > app.config["MAX_CONTENT_LENGTH"]
    from werkzeug.test import encode_multipart  # in memory: the test client would leave a temporary file open

    auth.login(citizen)
    boundary, body = encode_multipart(
        {
            "department": "chengguan",
            "title": "大照片",
            "body": "见照片。",
            "category": "城市管理",
            "submit_token": "tok-big",
            "photos": (io.BytesIO(noise.getvalue()), "big.png"),
        }
    )
    assert client.post("/ask", data=body, content_type=f"multipart/form-data; boundary={boundary}").status_code == 302
    assert client.post("/account/districts", data={"streets": "x" * noise.tell()}).status_code == 413


def test_photos_are_links_in_the_feed_and_api_and_thumbnails_on_the_screen(
    app, client, auth, citizen, make_user, openapi
):
    from xtq.models import Role, StaffTitle

    spokesperson = make_user(Role.STAFF, slug="chengguan", title=StaffTitle.SPOKESPERSON)
    from tests.helpers import validated  # the OpenAPI document checks the answer
    from xtq import clock

    auth.login(citizen)
    ask(client, (jpeg_with_gps(), "a.jpg"))
    client.post("/logout")
    q = db.session.scalar(db.select(Question))
    photo = photos.of_question(q)[0]
    assert f"/photos/{photo.id}.jpg" in client.get("/timeline.atom").get_data(as_text=True)
    detail = validated(openapi, client.get(f"/api/v1/questions/{q.id}")).json
    assert detail["photos"][0]["url"].endswith(f"/photos/{photo.id}.jpg") and detail["metoo_count"] == 0
    questions.accept(q, spokesperson, now=clock.now(), cal=clock.work_calendar())
    questions.reply(q, spokesperson, "已修好", now=clock.now(), cal=clock.work_calendar())
    db.session.commit()
    replies = client.get("/screen/data.json").get_json()["replies"]
    assert replies[0]["thumb"] == f"/photos/{photo.id}/thumb.jpg"


def test_a_spokesperson_posts_with_a_photo(app, client, auth, spokesperson):
    auth.login(spokesperson)
    client.post(
        "/console/compose",
        content_type="multipart/form-data",
        data={
            "kind": "daily",
            "body": "文化路路灯已全部修复",
            "when": "now",
            "photos": [(io.BytesIO(jpeg_with_gps()), "fixed.jpg")],
        },
    )
    photo = db.session.scalar(db.select(Photo))
    assert photo.post_id is not None
    client.post("/logout")
    assert f"/photos/{photo.id}/thumb.jpg" in client.get(f"/p/{photo.post_id}").get_data(as_text=True)
    assert client.get(f"/photos/{photo.id}.jpg").status_code == 200


def test_a_photo_form_still_refuses_huge_text(app, client, auth, citizen):
    from werkzeug.test import encode_multipart

    auth.login(citizen)
    boundary, body = encode_multipart(
        {
            "department": "chengguan",
            "title": "长",
            "body": "长" * 400_000,
            "category": "城市管理",
            "submit_token": "tok-huge",
        }
    )
    response = client.post("/ask", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413


def test_a_reported_photo_hidden_by_the_admin_leaves_public_view(app, client, auth, citizen, make_user, admin):
    auth.login(citizen)
    ask(client, (jpeg_with_gps(), "a.jpg"))
    photo = photos.of_question(db.session.scalar(db.select(Question)))[0]
    client.post("/logout")
    auth.login(make_user())
    client.post(f"/report/photo/{photo.id}", data={"reason": "拍到了别人的脸", "next": "/"})
    client.post("/logout")
    auth.login(admin)
    queue = client.get("/admin/reports").get_data(as_text=True)
    assert f'src="/photos/{photo.id}/thumb.jpg"' in queue and "拍到了别人的脸" in queue
    client.post(f"/admin/reports/photo/{photo.id}", data={"reason": "含他人肖像", "hide": "y"})
    client.post("/logout")
    assert client.get(f"/photos/{photo.id}.jpg").status_code == 404
    assert f"/photos/{photo.id}/thumb.jpg" not in client.get(f"/q/{photo.question_id}").get_data(as_text=True)


def test_files_of_a_rolled_back_change_are_deleted(app, citizen, make_question):
    q = make_question("asked", at=NOW - timedelta(hours=1))
    photos.store(photos.prepare([jpeg_with_gps()]), citizen, now=NOW, question=q)
    assert len(stored_keys(app)) == 2  # the positive control: written before the commit
    db.session.rollback()
    assert stored_keys(app) == set()
    photos.store(photos.prepare([jpeg_with_gps()]), citizen, now=NOW, question=db.session.merge(q))
    db.session.commit()
    db.session.rollback()  # a later rollback leaves committed files alone
    assert len(stored_keys(app)) == 2
