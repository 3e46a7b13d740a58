"""Questions in the read-only API (validated against the OpenAPI document) and in Atom feeds."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from tests.helpers import NOW, validated

ATOM = "{http://www.w3.org/2005/Atom}"


def test_question_list_and_detail_validate_and_show_the_history(client, openapi, make_question):
    closed = make_question("closed", at=NOW - timedelta(days=3), title="路灯不亮<b>")
    asked = make_question("asked", at=NOW - timedelta(days=1), department="jiaoyu", anonymous=True)
    hidden = make_question("hidden", at=NOW - timedelta(hours=5))

    listing = validated(openapi, client.get("/api/v1/questions")).json
    assert [q["id"] for q in listing["items"]] == [asked.id, closed.id]
    assert listing["items"][0]["asker"].startswith("网友") and listing["items"][0]["status"] == "asked"

    detail = validated(openapi, client.get(f"/api/v1/questions/{closed.id}")).json
    assert detail["title"] == "路灯不亮<b>" and detail["status"] == "closed" and detail["rating"] == "satisfied"
    assert [e["kind"] for e in detail["events"]] == ["asked", "accepted", "replied", "rated", "closed"]
    assert detail["events"][2]["actor"].startswith("郑州市公安局")
    assert validated(openapi, client.get(f"/api/v1/questions/{hidden.id}")).status_code == 404


def test_question_filters_and_cursor(client, openapi, make_question):
    made = [make_question("asked", at=NOW - timedelta(hours=i + 1)) for i in range(5)]
    make_question("asked", at=NOW - timedelta(days=1), department="jiaoyu")
    seen, url = [], "/api/v1/questions?department=gongan&status=asked&limit=2"
    while url:
        body = validated(openapi, client.get(url)).json
        seen += [q["id"] for q in body["items"]]
        url = (
            body["next_cursor"]
            and f"/api/v1/questions?department=gongan&status=asked&limit=2&cursor={body['next_cursor']}"
        )
    assert seen == [q.id for q in made]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("department=nosuch", "department"), ("status=lost", "status"), ("limit=0", "limit"), ("cursor=xyz", "cursor")],
)
def test_bad_question_parameters_are_a_chinese_400(client, openapi, query, parameter):
    response = validated(openapi, client.get(f"/api/v1/questions?{query}"))
    assert response.status_code == 400 and response.json["error"]["parameter"] == parameter


def test_question_feeds_parse_and_are_announced(client, make_question):
    q = make_question("replied", at=NOW - timedelta(days=1), title="公交站牌<script>")
    make_question("hidden", at=NOW - timedelta(hours=2), title="不应出现")
    for url in ("/timeline.atom", "/hall/gongan/questions.atom"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/atom+xml"
        titles = [e.findtext(f"{ATOM}title") for e in ET.fromstring(response.data).iter(f"{ATOM}entry")]
        assert titles == ["［已答复］公交站牌<script>"]
    assert b"<script>" not in client.get("/timeline.atom").data.replace(b"&lt;script&gt;", b"")
    assert 'href="/timeline.atom"' in client.get("/timeline").get_data(as_text=True)
    assert 'href="/hall/gongan/questions.atom"' in client.get("/hall/gongan").get_data(as_text=True)
    assert client.get("/hall/nosuch/questions.atom").status_code == 404
    assert q.id
