"""Atom feeds and the read-only JSON API, validated against their own OpenAPI document."""

import xml.etree.ElementTree as ET

import pytest

from tests.helpers import NOW, validated
from xtq.domain import publishing
from xtq.extensions import db
from xtq.models import NoticeType, PostKind, Role, StaffTitle

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    "url, alternate",
    [
        ("/feed.atom", "/"),
        ("/hall/gongan/feed.atom", "/hall/gongan"),
        ("/topic/冬季供暖/feed.atom", "/topic/冬季供暖"),
    ],
)
def test_feeds_parse_contain_the_post_and_are_announced(client, spokesperson, make_post, url, alternate):
    post = make_post(spokesperson, "#冬季供暖# 公安提醒：注意防火")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [f"http://localhost/p/{post.id}"]
    assert "公安提醒：注意防火" in entries[0].find(f"{ATOM}content").text
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "郑州市公安局"
    page = client.get(alternate).get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in page and f'href="{url}"' in page.replace(
        "%E5%86%AC%E5%AD%A3%E4%BE%9B%E6%9A%96", "冬季供暖"
    )


def test_feed_of_an_unknown_department_is_404_and_an_empty_feed_is_valid(client):
    assert client.get("/hall/nosuch/feed.atom").status_code == 404
    feed = ET.fromstring(client.get("/topic/没有的话题/feed.atom").data)
    assert feed.findall(f"{ATOM}entry") == []


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").json)


def test_api_answers_validate_against_the_document(client, openapi, make_user):
    staff = make_user(Role.STAFF, slug="zilaishui", title=StaffTitle.SPOKESPERSON)
    from datetime import timedelta

    from xtq import clock

    now = clock.now()
    notice = publishing.Notice(NoticeType.WATER_OUTAGE, ["jinshui"], "花园路", now, now + timedelta(hours=3))
    outage = publishing.compose(staff, PostKind.OUTAGE, "停水", now=now - timedelta(minutes=1), notice=notice)
    plain = publishing.compose(staff, PostKind.DAILY, "日常", now=now - timedelta(minutes=2), byline=True)
    publishing.edit(staff, plain, "日常（更正）", now=now - timedelta(minutes=1))
    db.session.commit()
    departments = validated(openapi, client.get("/api/v1/departments")).json
    assert len(departments["items"]) == 57 and departments["next_cursor"] is None
    assert validated(openapi, client.get("/api/v1/departments/zilaishui")).json["group"] == "utility"
    posts = validated(openapi, client.get("/api/v1/departments/zilaishui/posts")).json
    assert [p["id"] for p in posts["items"]] == [outage.id, plain.id]
    assert posts["items"][0]["notice"]["districts"] == ["jinshui"]
    assert posts["items"][1]["byline"] == "网络新闻发言人" and posts["items"][1]["edited_at"]
    one = validated(openapi, client.get(f"/api/v1/posts/{plain.id}")).json
    assert one["body"] == "日常（更正）" and one["department"]["slug"] == "zilaishui"
    validated(openapi, client.get("/api/v1/posts"))
    assert validated(openapi, client.get("/api/v1/posts/99999")).status_code == 404
    assert validated(openapi, client.get("/api/v1/departments/nosuch")).status_code == 404


def test_api_cursor_pagination_walks_every_post_once(client, openapi, spokesperson, make_post):
    from datetime import timedelta

    made = [make_post(spokesperson, f"第{i}条", published_at=NOW - timedelta(minutes=i)) for i in range(5)]
    made += [make_post(spokesperson, "同一时刻", published_at=NOW - timedelta(minutes=10)) for _ in range(2)]
    seen, cursor = [], None
    while True:
        url = "/api/v1/departments/gongan/posts?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = validated(openapi, client.get(url)).json
        seen += [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(p.id for p in made) and len(seen) == len(set(seen))


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("cursor=abc", "cursor"),
        ("cursor=1-", "cursor"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("cursor=" + "9" * 40 + "-1", "cursor"),
    ],
)
def test_bad_parameters_are_a_chinese_400_never_a_500(client, openapi, query, parameter):
    for url in ("/api/v1/posts", "/api/v1/departments/gongan/posts"):
        response = validated(openapi, client.get(f"{url}?{query}"))
        assert response.status_code == 400, url
        assert response.json["error"]["parameter"] == parameter
        assert "参数" in response.json["error"]["message"]


# OpenAPI deprecates allowEmptyValue but it is the one way to say that `cursor=` is accepted.
@pytest.mark.filterwarnings("ignore:Use of allowEmptyValue property is deprecated:DeprecationWarning")
def test_the_document_declares_the_cursor_format_the_api_accepts(client, openapi, spokesperson, make_post):
    """A generic client validating its requests against the document sends what the API accepts."""
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
    from openapi_core.validation.request.exceptions import RequestValidationError

    for _ in range(3):
        make_post(spokesperson, "翻页")
    first = client.get("/api/v1/posts?limit=2").json
    empty = client.get("/api/v1/posts?limit=2&cursor=")
    assert empty.status_code == 200 and empty.json == first  # an empty cursor is the first page
    for query in (f"cursor={first['next_cursor']}", "cursor="):
        openapi.validate_request(WerkzeugOpenAPIRequest(client.get(f"/api/v1/posts?{query}").request))
    for query in ("cursor=abc", "cursor=1-", "cursor=" + "9" * 40 + "-1"):
        response = client.get(f"/api/v1/posts?{query}")
        assert response.status_code == 400
        with pytest.raises(RequestValidationError):  # the document refuses it as well
            openapi.validate_request(WerkzeugOpenAPIRequest(response.request))


@pytest.mark.parametrize(
    "method, url, allow",
    [
        ("TRACE", "/api/v1/questions/0", {"GET", "HEAD", "OPTIONS"}),
        ("POST", "/api/v1/posts", {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", "/healthz", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_every_405_says_which_methods_are_allowed(client, method, url, allow):
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allow
    assert client.get(url).status_code != 405  # positive control: the allowed method is answered


def test_drafts_and_hidden_posts_stay_out_of_the_api(client, liaison, spokesperson, make_post):
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿", now=NOW, draft=True)
    hidden = make_post(spokesperson, "已隐藏")
    hidden.hidden_at, hidden.hidden_reason = NOW, "核实中"
    db.session.commit()
    assert client.get(f"/api/v1/posts/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/posts/{hidden.id}").status_code == 404
    assert client.get("/api/v1/posts").json["items"] == []
