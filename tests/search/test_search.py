"""Search: Chinese words of one, two and three characters, ranking, filters, and an index that
follows every change."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq import search
from xtq.extensions import db
from xtq.models import PostStatus, Role, StaffTitle
from xtq.search.tokens import index_tokens


@pytest.fixture
def bus(make_user):
    return make_user(Role.STAFF, slug="gongjiao", title=StaffTitle.SPOKESPERSON)


@pytest.fixture
def heat(make_user):
    return make_user(Role.STAFF, slug="reli", title=StaffTitle.SPOKESPERSON)


def found(query, **filters):
    return [(h.kind, h.ref_id) for h in search.find(query, now=NOW, **filters).hits]


def test_tokens_are_bigrams_then_characters_and_latin_words():
    assert index_tokens("停车难，BRT 12路") == "停车 车难 停 车 难 brt 12 路"


def test_two_character_word_inside_a_longer_sentence(bus, heat, make_post):
    a = make_post(bus, "今天早上的公交车特别挤，希望增加班次")
    make_post(heat, "小区暖气不热，室温只有十五度")
    assert found("公交") == [("post", a.id)]
    assert found("暖气") != []
    assert found("地铁") == []


def test_one_character_and_latin_words_and_numbers(bus, make_post):
    a = make_post(bus, "BRT快速公交B1路 明日起调整首班车时间")
    assert found("车") == [("post", a.id)]
    assert found("brt") == [("post", a.id)]
    assert found("B1") == [("post", a.id)]


def test_exact_phrase_ranks_above_scattered_characters(bus, heat, make_post):
    scattered = make_post(heat, "车位太少，停放很难，建议多建立体车库", published_at=NOW - timedelta(minutes=5))
    exact = make_post(bus, "老城区停车难的问题，我们正在研究", published_at=NOW - timedelta(hours=5))
    assert found("停车难") == [("post", exact.id), ("post", scattered.id)]


def test_every_query_word_must_match(bus, make_post):
    both = make_post(bus, "公交和地铁换乘优惠")
    make_post(bus, "公交线路调整")
    assert found("公交 地铁") == [("post", both.id)]


def test_hidden_deleted_and_scheduled_posts_are_never_found(bus, make_post):
    hidden = make_post(bus, "公交甲")
    deleted = make_post(bus, "公交乙")
    make_post(bus, "公交丙", published_at=NOW + timedelta(hours=2))
    make_post(bus, "公交丁", status=PostStatus.DRAFT)
    shown = make_post(bus, "公交戊")  # the control: a post that is public is found
    hidden.hidden_at = NOW
    deleted.status, deleted.deleted_at = PostStatus.DELETED, NOW
    db.session.commit()
    assert found("公交") == [("post", shown.id)]


def test_edit_reindexes(bus, make_post):
    post = make_post(bus, "原来的内容：暖气")
    post.body = "改过的内容：地铁"
    db.session.commit()
    assert found("暖气") == [] and found("地铁") == [("post", post.id)]


def test_filters_by_kind_department_and_date(bus, heat, make_post, app):
    old = make_post(bus, "公交卡年审", published_at=NOW - timedelta(days=40))
    new = make_post(heat, "公交站旁供热站检修", published_at=NOW - timedelta(days=1))
    gongjiao = bus.department_id
    assert found("公交", department_id=gongjiao) == [("post", old.id)]
    assert found("公交", since=NOW - timedelta(days=7)) == [("post", new.id)]
    assert found("公交", until=NOW - timedelta(days=7)) == [("post", old.id)]
    assert found("公交", kind="question") == []


def test_rebuild_restores_the_index(bus, make_post, runner):
    post = make_post(bus, "公交线路")
    db.session.execute(
        db.text("DELETE FROM search_index" if db.engine.dialect.name == "sqlite" else "DELETE FROM search_doc")
    )
    db.session.commit()
    assert found("公交") == []
    result = runner.invoke(args=["search-reindex"])
    assert result.exit_code == 0 and "搜索索引已重建：1 条" in result.output
    assert found("公交") == [("post", post.id)]


def test_search_page_highlights_matches_and_keeps_markup_inert(client, bus, make_post):
    make_post(bus, "<script>alert(1)</script> 公交车<b>准点</b>")
    html = client.get("/search?q=公交").get_data(as_text=True)
    assert "<mark>公交</mark>" in html
    assert "<script>" not in html and "&lt;/script&gt;" in html


def test_search_page_filters_and_bad_date(client, bus, make_post):
    make_post(bus, "公交")
    assert "没有找到" in client.get("/search?q=公交&dept=reli").get_data(as_text=True)
    response = client.get("/search?q=公交&since=2026-13-45")
    assert response.status_code == 200 and "日期格式应为" in response.get_data(as_text=True)
    assert client.get("/search?q=" + "长" * 500 + "&page=abc").status_code == 200
    assert client.get("/search").status_code == 200


def test_questions_and_replies_are_found_and_leave_the_index_when_hidden(client, make_question, admin):
    q = make_question(
        "replied", at=NOW - timedelta(days=1), title="小区暖气不热", body="家里只有十五度，暖气片是凉的。"
    )
    assert ("question", q.id) in found("暖气")
    assert [h.kind for h in search.find("维修", now=NOW).hits] == ["reply"]  # the reply says 已安排维修
    html = client.get("/search?q=维修").get_data(as_text=True)
    reply = search.find("维修", now=NOW).hits[0]
    assert f'href="/q/{q.id}#event-{reply.ref_id}"' in html and "小区暖气不热" in html
    from xtq.domain import questions

    questions.hide(q, admin, "含有他人隐私", now=NOW)
    db.session.commit()
    assert found("暖气") == [] and found("维修") == []
