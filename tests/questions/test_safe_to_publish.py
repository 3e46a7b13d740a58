"""Safe to publish (issue 16), over every public surface: personal data masked for the public and in
full for the department and the office; nothing held for review or private leaks; withdrawal,
appeal and edits through the web; sensitive words; hostile payloads through review and masking."""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, send
from xtq import clock, search
from xtq.domain import figures, privacy, questions, review, screening
from xtq.domain.departments import by_slug as dept
from xtq.extensions import db
from xtq.models import Question, QuestionStatus, Role

MOBILE = "13812345678"
ID_NUMBER = "41010519491231002" + privacy.id_check_char("41010519491231002")
CARD = "6222021234567890128"  # passes the Luhn check
assert privacy.luhn_ok(CARD)
SECRETS = (MOBILE, ID_NUMBER, CARD)
MASKED = ("138****5678", "410***********" + ID_NUMBER[-4:], "6222" + "*" * 11 + "0128")


def public_surfaces(q: Question) -> list[str]:
    """Every place the public reads question text: pages, feeds, the API, search, the screen."""
    return [
        "/",
        f"/q/{q.id}",
        "/timeline",
        f"/hall/{q.department.slug}",
        "/timeline.atom",
        f"/hall/{q.department.slug}/questions.atom",
        "/api/v1/questions",
        f"/api/v1/questions/{q.id}",
        "/search?q=路灯",
        "/screen",
        "/screen/data.json",
        f"/track?code={q.tracking_code}",
    ]


def read(app, user, url) -> str:
    client = app.test_client()
    if user is not None:
        assert send(client, "POST", "/login", {"username": user.username, "password": PASSWORD}).status_code == 302
    response = send(client, "GET", url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.get_data(as_text=True)


def ask(citizen, title="路灯不亮", body="晚上很黑。", *, private=False, at=None):
    now = at or clock.now()
    q = questions.ask(
        citizen,
        dept("gongan"),
        title=title,
        body=body,
        category="城市管理",
        private=private,
        now=now,
        cal=clock.work_calendar(),
    )
    db.session.commit()
    return q


def answer(q, liaison, spokesperson):
    cal = clock.work_calendar()
    questions.accept(q, liaison, now=clock.now(), cal=cal)
    questions.reply(q, spokesperson, "已安排维修。", now=clock.now(), cal=cal)
    db.session.commit()


# ---------------------------------------------------------------- masking


def test_personal_data_is_masked_on_every_public_surface_and_full_for_the_department(
    app, citizen, liaison, spokesperson, other_staff, admin, make_user
):
    q = ask(
        citizen,
        title=f"路灯不亮，电话{MOBILE}",
        body=f"我的电话 {MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}，身份证{ID_NUMBER}，银行卡{CARD}，请联系。",
    )
    answer(q, liaison, spokesperson)
    questions.followup(q, citizen, "也可以打１３８１２３４５６７８", now=clock.now(), cal=clock.work_calendar())
    db.session.commit()
    other_citizen = make_user(Role.CITIZEN)

    for reader in (None, other_citizen, other_staff):
        for url in public_surfaces(q):
            html = read(app, reader, url)
            leaked = [s for s in SECRETS + ("１３８１２３４５６７８", "138-1234-5678") if s in html]
            assert not leaked, f"{url} shows {leaked} to {reader}"
    assert not search.find(MOBILE, now=clock.now()).hits  # the index holds the masked text only
    page = read(app, None, f"/q/{q.id}")
    assert all(m in page for m in MASKED)
    assert MASKED[0] in read(app, None, "/screen/data.json")
    for staff in (liaison, spokesperson, admin):
        page = read(app, staff, f"/q/{q.id}")
        assert all(s in page for s in SECRETS) and "１３８１２３４５６７８" in page, staff


def test_the_surface_walk_sees_a_leak(app, citizen, liaison, spokesperson):
    """Positive control: text written without masking shows up in the walk."""
    q = ask(citizen)
    q.body = q.body_html = f"电话{MOBILE}"
    db.session.commit()
    assert MOBILE in read(app, None, f"/q/{q.id}")


def test_comments_are_masked_for_the_public_and_full_for_the_department(app, citizen, spokesperson, make_post):
    from xtq.domain import comments

    post = make_post(spokesperson, "停水通知")
    comments.add(citizen, post, f"我家停水了，电话{MOBILE}", now=clock.now())
    db.session.commit()
    assert MOBILE not in read(app, None, f"/p/{post.id}") and MASKED[0] in read(app, None, f"/p/{post.id}")
    assert MOBILE in read(app, spokesperson, f"/p/{post.id}")


def test_redaction_reaches_the_text_as_typed(app, citizen, admin):
    q = ask(citizen, body=f"电话{MOBILE}，住在幸福小区3号楼")
    questions.redact(q, admin, "幸福小区3号楼", "住址", now=clock.now())
    db.session.commit()
    assert "幸福小区" not in q.body and "幸福小区" not in q.unmasked_body and MOBILE in q.unmasked_body


# ---------------------------------------------------------------- review before publishing


@pytest.fixture
def review_everything(app):
    screening.set_mode(screening.ALL)
    db.session.commit()


def test_with_review_everything_nothing_is_public_before_approval(
    app, review_everything, citizen, liaison, spokesperson, admin, make_user
):
    q = ask(citizen, title="待审的提问甲乙丙", body="待审的内容丁戊己")
    assert q.review_state.value == "pending" and q.due_at is None and not q.deadlines
    other_citizen = make_user(Role.CITIZEN)
    for reader in (None, other_citizen):
        for url in public_surfaces(q):
            html = read(app, reader, url)
            if url.startswith("/track"):
                continue  # the 查询码 is the asker's own
            assert "甲乙丙" not in html and "丁戊己" not in html, (url, reader)
    assert not search.find("甲乙丙", now=clock.now()).hits
    assert "待审核" in read(app, citizen, f"/q/{q.id}") and "甲乙丙" in read(app, citizen, f"/q/{q.id}")
    assert "待审核" in read(app, None, f"/track?code={q.tracking_code}")
    # the department cannot act before approval
    assert questions.Action.ACCEPT not in questions.allowed_actions(q, liaison, clock.now())

    queue = read(app, admin, "/admin/review")
    assert "甲乙丙" in queue and "全部先审后发" in queue
    later = clock.now() + timedelta(hours=3)
    review.approve(q, admin, now=later, cal=clock.work_calendar())
    db.session.commit()
    assert q.review_state is None and q.reviewed_at == later and q.deadlines[0].started_at == later
    assert q.due_at == questions.deadlines.due_at(later, questions.settings().terms.accept_days, clock.work_calendar())
    assert "甲乙丙" in read(app, None, "/timeline") and search.find("甲乙丙", now=later).hits
    assert review.figures(later).decided == 1


def test_with_review_everything_follow_ups_and_comments_wait_too(
    app, citizen, liaison, spokesperson, admin, make_post, make_user
):
    from xtq.domain import comments

    q = ask(citizen)
    answer(q, liaison, spokesperson)
    post = make_post(spokesperson, "停水通知")
    screening.set_mode(screening.ALL)
    event = questions.followup(q, citizen, "追问甲乙丙", now=clock.now(), cal=clock.work_calendar())
    comment = comments.add(citizen, post, f"评论丁戊己，电话{MOBILE}", now=clock.now())
    db.session.commit()
    assert q.due_at is None and post.comment_count == 0  # no deadline, no count before approval
    for reader in (None, make_user(Role.CITIZEN)):
        for url in (f"/q/{q.id}", f"/api/v1/questions/{q.id}", f"/p/{post.id}", "/timeline.atom", "/"):
            html = read(app, reader, url)
            assert "甲乙丙" not in html and "丁戊己" not in html, (url, reader)
    assert "甲乙丙" in read(app, citizen, f"/q/{q.id}") and "甲乙丙" in read(app, liaison, f"/q/{q.id}")
    queue = read(app, admin, "/admin/review")
    assert "甲乙丙" in queue and "丁戊己" in queue and MOBILE in queue

    review.approve(event, admin, now=clock.now(), cal=clock.work_calendar())
    review.approve(comment, admin, now=clock.now(), cal=clock.work_calendar(), fragment="丁戊己", reason="无关")
    db.session.commit()
    assert q.due_at is not None and post.comment_count == 1
    assert "甲乙丙" in read(app, None, f"/q/{q.id}")
    page = read(app, None, f"/p/{post.id}")
    assert questions.REDACTED_MARK in page and MASKED[0] in page and MOBILE not in page


def test_approve_with_redaction_and_reject(app, review_everything, citizen, admin):
    kept = ask(citizen, title="小区噪音", body="楼下张三每晚唱歌")
    dropped = ask(citizen, title="无关内容", body="广告")
    client = app.test_client()
    send(client, "POST", "/login", {"username": admin.username, "password": PASSWORD})
    send(client, "POST", f"/admin/review/question/{kept.id}/approve", {"fragment": "张三", "reason": "他人姓名"})
    send(client, "POST", f"/admin/review/question/{dropped.id}/reject", {"reason": "与政务无关"})
    db.session.expire_all()
    assert kept.review_state is None and "张三" not in kept.body and questions.REDACTED_MARK in kept.body
    assert dropped.review_state.value == "rejected"
    assert "与政务无关" in read(app, citizen, f"/q/{dropped.id}")
    assert "无关内容" not in read(app, None, "/timeline") and "小区噪音" in read(app, None, "/timeline")


def test_review_mode_is_set_on_admin(app, admin):
    client = app.test_client()
    send(client, "POST", "/login", {"username": admin.username, "password": PASSWORD})
    assert screening.mode() == screening.FLAGGED  # the default for a new deployment
    assert "仅审核命中敏感词的内容" in send(client, "GET", "/admin").get_data(as_text=True)
    send(client, "POST", "/admin/review/mode", {"mode": "none"})
    assert screening.mode() == screening.AT_ONCE


# ---------------------------------------------------------------- sensitive words


def test_sensitive_words_hold_for_review_normalised_and_reloaded(app, citizen, admin):
    words = Path(app.instance_path) / screening.WORDS_FILE
    words.write_text("# 每行一个词\n发票\nＶＰＮ\n", encoding="utf-8")
    clean = ask(citizen, title="路灯不亮")
    held = ask(citizen, title="代開發票", body="联系我")  # traditional characters
    wide = ask(citizen, title="翻墙", body="好用的 v p n")  # spaces and lower case
    assert clean.review_state is None
    assert held.review_reasons == "word:发票" and wide.review_reasons == "word:ＶＰＮ"
    queue = read(app, admin, "/admin/review")
    assert "命中敏感词「发票」" in queue and "代開發票" in queue
    assert "代開發票" not in read(app, None, "/timeline")

    questions.edit(clean, citizen, title="路灯不亮", body="顺便代开发票", now=clean.created_at + timedelta(minutes=1))
    assert clean.review_state.value == "pending" and clean.due_at is None  # an edit is screened again
    words.write_text("路灯\n", encoding="utf-8")
    os.utime(words, ns=(words.stat().st_mtime_ns + 10**9,) * 2)
    assert ask(citizen, title="路灯又不亮了").review_reasons == "word:路灯"
    assert ask(citizen, title="发票").review_state is None


def test_the_word_matcher_is_fast_enough_for_every_write():
    import time

    words = screening.WordList.parse("\n".join(f"词{i:05d}" for i in range(20000)))
    text = "市民反映路灯不亮，晚上很黑，" * 100
    started = time.perf_counter()
    for _ in range(100):
        assert words.find(text) == []
    assert (time.perf_counter() - started) / 100 < 0.02


# ---------------------------------------------------------------- private questions


def test_private_questions_stay_with_the_asker_the_department_and_the_office(
    app, citizen, liaison, spokesperson, admin, other_staff, make_user
):
    q = ask(citizen, title="家庭困难申请救助", body="家中老人患病", private=True)
    answer(q, liaison, spokesperson)
    for url in public_surfaces(q):
        for reader in (None, make_user(Role.CITIZEN), other_staff):
            if url.startswith("/track"):
                continue  # whoever holds the 查询码 has it from the asker
            assert "家庭困难" not in read(app, reader, url), (url, reader)
    timeline = read(app, None, "/timeline")
    assert "仅部门可见的问题" in timeline and "已答复" in timeline
    for reader in (citizen, liaison, admin):
        assert "家庭困难" in read(app, reader, f"/q/{q.id}")
    counted = figures.city(figures.Period.THIS_YEAR, clock.now())
    assert counted.received == 1 and counted.replied.part == 1  # a private question counts


# ---------------------------------------------------------------- withdraw, appeal, edit on the web


def login(app, user):
    client = app.test_client()
    send(client, "POST", "/login", {"username": user.username, "password": PASSWORD})
    return client


def test_edit_within_ten_minutes_then_withdraw(app, citizen, liaison):
    q = ask(citizen, title="路灯不亮", body=f"电话{MOBILE}")
    client = login(app, citizen)
    page = send(client, "GET", f"/q/{q.id}").get_data(as_text=True)
    assert "修改问题" in page and MOBILE in page  # the asker's own form holds what they typed
    send(client, "POST", f"/q/{q.id}/edit", {"edit-title": "路灯不亮（更正）", "edit-body": "在幸福路口"})
    db.session.expire_all()
    assert q.title == "路灯不亮（更正）" and q.edited_at is not None and q.events[-1].kind.value == "edited"
    assert "提问人在受理前修改了标题或内容" in read(app, None, f"/q/{q.id}")

    late = ask(citizen, at=clock.now() - timedelta(minutes=11))
    send(client, "POST", f"/q/{late.id}/edit", {"edit-title": "改", "edit-body": "改"})
    db.session.expire_all()
    assert late.title == "路灯不亮"

    send(client, "POST", f"/q/{q.id}/withdraw", {})
    db.session.expire_all()
    assert q.status == QuestionStatus.WITHDRAWN and q.closed_at is not None
    assert "路灯不亮（更正）" not in read(app, None, "/timeline")
    assert "提问人已撤回此问题" in read(app, None, f"/q/{q.id}")
    assert "路灯不亮（更正）" in read(app, liaison, f"/q/{q.id}")  # kept for the record


def test_appeal_once_then_reopen_to_another_department(app, citizen, liaison, admin):
    q = ask(citizen)
    questions.decline(q, liaison, "不属于本部门职责", now=clock.now(), cal=clock.work_calendar())
    db.session.commit()
    client = login(app, citizen)
    assert "申请复核" in send(client, "GET", f"/q/{q.id}").get_data(as_text=True)
    send(client, "POST", f"/q/{q.id}/appeal", {"appeal-reason": f"路灯在辖区内，电话{MOBILE}"})
    db.session.expire_all()
    assert q.status == QuestionStatus.APPEALED and q.due_at is not None
    assert MOBILE not in read(app, None, f"/q/{q.id}")  # an appeal's reason is citizen text: masked

    office = login(app, admin)
    send(
        office,
        "POST",
        f"/admin/questions/{q.id}/reopen",
        {"reopen-department": "chengguan", "reopen-reason": "路灯归城管"},
    )
    db.session.expire_all()
    assert q.status == QuestionStatus.ASKED and q.department.slug == "chengguan" and q.due_at is not None
    assert "路灯归城管" in read(app, None, f"/q/{q.id}")


def test_appeal_upheld_is_final(app, citizen, liaison, admin):
    q = ask(citizen)
    cal = clock.work_calendar()
    questions.decline(q, liaison, "不属于本部门职责", now=clock.now(), cal=cal)
    questions.appeal(q, citizen, "属于", now=clock.now(), cal=cal)
    questions.uphold(q, admin, "确不属于", now=clock.now())
    db.session.commit()
    assert q.status == QuestionStatus.DECLINED
    refused = questions.refusal(q, citizen, questions.Action.APPEAL, clock.now())
    assert refused is not None and "一次" in refused.message


# ---------------------------------------------------------------- the checks are seen to fail when removed


def test_removing_the_appeal_limit_or_the_edit_window_breaks_the_state_matrix(monkeypatch, make_question, citizen):
    from tests.domain.test_question_transitions import AT

    upheld = make_question("upheld", at=AT)
    asked = make_question("asked", at=AT)
    assert questions.Action.APPEAL not in questions.allowed_actions(upheld, citizen, AT + timedelta(days=1))
    assert questions.Action.EDIT not in questions.allowed_actions(asked, citizen, AT + timedelta(minutes=11))
    monkeypatch.setattr(questions, "_recourse_refusal", lambda q, a, now: None)
    assert questions.Action.APPEAL in questions.allowed_actions(upheld, citizen, AT + timedelta(days=1))
    assert questions.Action.EDIT in questions.allowed_actions(asked, citizen, AT + timedelta(minutes=11))


def test_the_matrix_sees_a_missing_asker_check(app, monkeypatch, citizen, spokesperson, liaison, other_staff, admin):
    from tests.web import test_authorization_matrix as matrix

    users = {
        "anonymous": None,
        "citizen": citizen,
        "dept_staff": spokesperson,
        "dept_liaison": liaison,
        "other_staff": other_staff,
        "admin": admin,
    }
    monkeypatch.setattr(questions, "is_asker", lambda user, q: bool(user and user.is_authenticated))
    with pytest.raises(AssertionError, match="expected 403, got ok"):
        matrix.test_authorization_matrix(app, users, "recourse.withdraw")


def test_private_questions_leak_when_the_check_is_removed(app, monkeypatch, citizen):
    q = ask(citizen, title="家庭困难申请救助", private=True)
    monkeypatch.setattr(questions, "shows_text", lambda q, user: True)
    assert "家庭困难" in read(app, None, f"/q/{q.id}")


# ---------------------------------------------------------------- hostile payloads through review and masking


def test_payloads_come_back_inert_through_review_and_masking(app, review_everything, citizen, liaison, admin):
    from tests.web.test_markup_inert import PAYLOADS, assert_inert

    if not PAYLOADS:
        pytest.skip("shared/security-payloads not found")
    held = [ask(citizen, title=p[:40], body=f"{p} 电话{MOBILE} {p}") for p in PAYLOADS]
    assert_inert(read(app, admin, "/admin/review"), "/admin/review")
    for q in held[::2]:
        review.approve(q, admin, now=clock.now(), cal=clock.work_calendar())
    review.approve(held[1], admin, now=clock.now(), cal=clock.work_calendar(), fragment=MOBILE, reason=PAYLOADS[0])
    review.reject(held[3], admin, PAYLOADS[2][:200], now=clock.now())
    db.session.commit()
    for q in held[:6]:
        for reader in (None, liaison, admin, citizen):
            assert_inert(read(app, reader, f"/q/{q.id}"), f"/q/{q.id} as {reader}")
    for url in ("/timeline", "/admin/review", "/"):
        assert_inert(read(app, admin, url), url)


def test_text_written_before_masking_is_masked_once_by_the_command(
    app, runner, citizen, liaison, spokesperson, make_post
):
    from xtq.domain import comments

    q = ask(citizen, body="路灯不亮")
    answer(q, liaison, spokesperson)
    post = make_post(spokesperson, "停水通知")
    c = comments.add(citizen, post, "停水了", now=clock.now())
    db.session.commit()
    q.body = q.body_html = f"电话{MOBILE}"  # as an older release stored it
    c.body = c.body_html = f"电话{MOBILE}"
    db.session.commit()
    assert "遮盖了 2 条" in runner.invoke(args=["mask-personal-data"]).output
    assert MOBILE not in read(app, None, f"/q/{q.id}") and MOBILE in read(app, liaison, f"/q/{q.id}")
    assert MOBILE not in read(app, None, f"/p/{post.id}")
    assert not search.find(MOBILE, now=clock.now()).hits
    assert "遮盖了 0 条" in runner.invoke(args=["mask-personal-data"]).output


def test_the_new_pages_read_in_english(app, citizen, admin):
    from tests.web.test_i18n import CJK, _chrome, _data_names

    private = ask(citizen, title="家庭困难", private=True)
    withdrawn = ask(citizen, title="撤回的问题")
    questions.withdraw(withdrawn, citizen, now=clock.now())
    db.session.commit()
    pages = [
        (admin, "/admin"),
        (admin, "/admin/review"),
        (None, f"/q/{private.id}"),
        (None, f"/q/{withdrawn.id}"),
        (None, "/timeline"),
    ]
    for user, url in pages:
        client = app.test_client()
        client.set_cookie("lang", "en")
        if user is not None:
            send(client, "POST", "/login", {"username": user.username, "password": PASSWORD})
        html = send(client, "GET", url).get_data(as_text=True)
        left = CJK.findall(_chrome(html, _data_names()))
        assert not left, f"{url}: {''.join(left)}"
