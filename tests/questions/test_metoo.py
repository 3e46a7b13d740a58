"""同问 (me too) and hot questions: the rule, the pages that show the count, the hot lists."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq.domain import metoo, questions
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.questions import Action
from xtq.extensions import db
from xtq.models import Role


@pytest.fixture
def neighbour(make_user):
    return make_user(Role.CITIZEN, username="neighbour", display_name="邻居")


def test_once_and_undo(make_question, neighbour, citizen):
    q = make_question("accepted", at=NOW - timedelta(hours=5))
    metoo.me_too(q, neighbour, now=NOW)
    db.session.flush()
    assert q.metoo_count == 1
    assert questions.allowed_actions(q, neighbour) & questions.METOO_ACTIONS == {Action.UNMETOO}
    with pytest.raises(DomainError, match="已经同问"):
        metoo.me_too(q, neighbour, now=NOW)
    with pytest.raises(PermissionDenied, match="提问人以外"):
        metoo.me_too(q, citizen, now=NOW)
    metoo.undo(q, neighbour)
    db.session.flush()
    assert q.metoo_count == 0 and Action.METOO in questions.allowed_actions(q, neighbour)


def test_closed_and_hidden_questions_take_no_metoo(make_question, neighbour):
    for state in ("closed", "declined", "hidden"):
        with pytest.raises(DomainError, match="不能"):
            metoo.me_too(make_question(state, at=NOW - timedelta(hours=9)), neighbour, now=NOW)


def test_button_count_in_lists_and_the_inbox(client, auth, make_question, neighbour, liaison):
    q = make_question("accepted", at=NOW - timedelta(hours=5))
    page = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert "0 人同问" in page and "登录后同问" in page
    auth.login(neighbour)
    response = client.post(f"/q/{q.id}/metoo")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/q/{q.id}#metoo")
    page = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert "1 人同问" in page and "取消同问" in page and "我也想问" not in page
    assert "1 人同问" in client.get("/timeline").get_data(as_text=True)
    auth.logout()
    auth.login(liaison)
    assert "1 人同问" in client.get("/console/questions").get_data(as_text=True)
    auth.logout()
    auth.login(neighbour)
    client.post(f"/q/{q.id}/unmetoo")
    assert "0 人同问" in client.get(f"/q/{q.id}").get_data(as_text=True)


def test_hot_questions_rank_recent_metoo_and_followups(client, make_question, make_user):
    quiet = make_question("accepted", at=NOW - timedelta(hours=9), title="安静的问题")
    warm = make_question("accepted", at=NOW - timedelta(hours=9), title="一人同问的问题")
    hot = make_question("replied_followup", at=NOW - timedelta(hours=9), title="很多人同问的问题")
    old = make_question("accepted", at=NOW - timedelta(days=30), title="上个月的热门问题")
    for _ in range(3):
        metoo.me_too(hot, make_user(), now=NOW - timedelta(hours=1))
    metoo.me_too(warm, make_user(), now=NOW - timedelta(hours=1))
    metoo.me_too(old, make_user(), now=NOW - timedelta(days=20))  # outside the last 7 days
    db.session.commit()
    assert metoo.hot(NOW) == [hot, warm]  # hot: 3 同问 + 1 follow-up
    timeline = client.get("/timeline?sort=hot").get_data(as_text=True)
    assert timeline.index("很多人同问的问题") < timeline.index("一人同问的问题")
    assert quiet.title not in timeline and old.title not in timeline
    assert "很多人同问的问题" not in client.get("/timeline?sort=hot&department=jiaotong").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "热门问题" in home and "3 人同问" in home and 'href="/timeline?sort=hot"' in home
    screen = client.get("/screen/data.json").get_json()
    assert {r["title"]: r["metoo"] for r in screen["replies"]}.get("很多人同问的问题") == "3 人同问"
