"""Dispatch and return, the handler and internal notes: through the pages, as the office, a
department's staff and a citizen would use them; and an internal note never reaches the public."""

import csv
import io

import pytest

from tests.helpers import NOW, PASSWORD, send
from xtq import clock, search
from xtq.domain import office, questions
from xtq.extensions import db
from xtq.models import EventKind, Question, QuestionNote


def _login(client, user):
    assert send(client, "POST", "/login", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def _page(client, url):
    response = send(client, "GET", url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_citizen_asks_the_city_and_the_office_dispatches(app, citizen, admin, liaison):
    asker = _login(app.test_client(), citizen)
    answer = send(
        asker,
        "POST",
        "/ask",
        {
            "department": "office",
            "title": "小区门口的井盖坏了",
            "body": "不知道归谁管。",
            "category": "城市管理",
            "submit_token": "t-city",
        },
    )
    q = db.session.scalar(db.select(Question).where(Question.submit_token == "t-city"))
    assert answer.status_code == 302 and q.department_id is None and q.due_at is not None
    assert "待分拨" in _page(asker, f"/q/{q.id}")
    assert q.title not in _page(app.test_client(), "/timeline"), "not listed while it waits for the office"

    office_client = _login(app.test_client(), admin)
    assert q.title in _page(office_client, "/admin/dispatch")
    send(
        office_client,
        "POST",
        f"/admin/questions/{q.id}/dispatch",
        {"dispatch-department": "gongan", "dispatch-note": "井盖归属待查，先由公安核实"},
    )
    db.session.expire_all()
    assert q.department.slug == "gongan" and [e.kind for e in q.events][-1] == EventKind.DISPATCHED
    public = _page(app.test_client(), f"/q/{q.id}")
    assert "市网信办分拨给 市公安局" in public and q.title in _page(app.test_client(), "/timeline")
    # the department accepts it as any other question
    staff = _login(app.test_client(), liaison)
    assert send(staff, "POST", f"/console/questions/{q.id}/accept", {}).status_code == 302
    db.session.expire_all()
    assert q.status.value == "accepted"


def test_a_department_returns_a_misrouted_question_in_public(app, make_question, liaison, admin):
    q = make_question("accepted", at=NOW)
    staff = _login(app.test_client(), liaison)
    send(staff, "POST", f"/console/questions/{q.id}/return", {"return-reason": "属于燃气公司的职责"})
    db.session.expire_all()
    assert q.department_id is None and q.status.value == "asked"
    assert "市公安局 退回市网信办重新分拨" in _page(app.test_client(), f"/q/{q.id}")
    assert "属于燃气公司的职责" in _page(_login(app.test_client(), admin), "/admin/dispatch")
    # the old department's deadline ended unmet at the return; the office's own deadline runs
    assert all(d.ended_at is not None for d in q.deadlines)


def test_return_needs_a_reason_and_the_department(app, make_question, liaison, other_staff, cal):
    q = make_question("asked", at=NOW)
    with pytest.raises(questions.DomainError):
        office.return_to_office(q, liaison, "  ", now=NOW, cal=cal)
    with pytest.raises(questions.PermissionDenied):
        office.return_to_office(q, other_staff, "不是我们的", now=NOW, cal=cal)


def test_the_inbox_shows_mine(app, make_question, liaison, spokesperson):
    mine = make_question("accepted", at=NOW, title="分给联络员的问题")
    make_question("accepted", at=NOW, title="没有承办人的问题")
    staff = _login(app.test_client(), spokesperson)
    send(staff, "POST", f"/console/questions/{mine.id}/assign", {"assign-handler": str(liaison.id)})
    db.session.expire_all()
    assert mine.handler_id == liaison.id
    page = _page(_login(app.test_client(), liaison), "/console/questions?status=mine")
    assert "分给联络员的问题" in page and "没有承办人的问题" not in page


MARKER = "INTERNAL-NOTE-MARKER-7f3a"


def test_an_internal_note_never_reaches_a_public_surface(app, make_question, liaison, admin, other_staff, citizen):
    q = make_question("replied", at=NOW, title="公交站台的顶棚漏雨")
    staff = _login(app.test_client(), liaison)
    send(staff, "POST", f"/q/{q.id}/notes", {"note-text": f"已联系公交公司 {MARKER}"})
    send(_login(app.test_client(), admin), "POST", f"/q/{q.id}/notes", {"note-text": f"市网信办跟进 {MARKER}"})
    assert db.session.scalar(db.select(db.func.count()).select_from(QuestionNote)) == 2
    # positive control: the department's staff and the office read it on the question page
    assert MARKER in _page(staff, f"/q/{q.id}")
    assert MARKER in _page(_login(app.test_client(), admin), f"/q/{q.id}")
    surfaces = [
        f"/q/{q.id}",
        "/",
        "/timeline",
        "/hall/gongan",
        "/directory",
        "/stats",
        "/stats.csv",
        "/screen",
        "/screen/data.json",
        "/search?q=公交",
        "/search?q=公交&kind=reply",
        "/feed.atom",
        "/timeline.atom",
        "/hall/gongan/feed.atom",
        "/hall/gongan/questions.atom",
        "/api/v1/questions",
        f"/api/v1/questions/{q.id}",
        "/api/v1/departments/gongan",
        f"/track?code={q.tracking_code}",
    ]
    readers = {
        "anonymous": app.test_client(),
        "asker": _login(app.test_client(), citizen),
        "other department": _login(app.test_client(), other_staff),
    }
    leaks = []
    for reader, client in readers.items():
        for url in surfaces:
            response = send(client, "GET", url)
            if MARKER in response.get_data(as_text=True):
                leaks.append(f"{reader} {url}")
    assert not leaks
    # The search page repeats the query, so search itself is asked: the note is not in the index,
    # while a reply with the same marker is (the control that the search can find it at all).
    assert not search.find(MARKER, now=clock.now()).hits
    other = make_question("accepted", at=NOW, title="另一个问题")
    questions.reply(other, liaison, f"公开答复 {MARKER}", now=NOW, cal=clock.work_calendar())
    db.session.commit()
    assert [h.question_id for h in search.find(MARKER, now=clock.now()).hits] == [other.id]


def test_an_approved_extension_moves_the_deadline_in_public_and_counts_on_stats(
    app, make_question, liaison, admin, cal
):
    q = make_question("accepted", at=NOW)
    due = q.due_at
    staff = _login(app.test_client(), liaison)
    send(
        staff,
        "POST",
        f"/console/questions/{q.id}/extension",
        {"extend-days": "3", "extend-reason": "需要会同燃气公司现场勘查"},
    )
    row = questions.pending_extension(q)
    assert row is not None and row.days == 3
    assert "需要会同燃气公司现场勘查" not in _page(app.test_client(), f"/q/{q.id}"), "a request is not public"
    office_client = _login(app.test_client(), admin)
    assert "需要会同燃气公司现场勘查" in _page(office_client, "/admin/extensions")
    send(office_client, "POST", f"/admin/extensions/{row.id}/approve", {})
    db.session.expire_all()
    assert q.due_at > due and row.status.value == "approved"
    assert [d.due_at for d in q.deadlines if d.ended_at is None] == [q.due_at], (
        "on-time counts use the approved deadline"
    )
    public = _page(app.test_client(), f"/q/{q.id}")
    assert "市网信办批准 市公安局 延期办理" in public and "需要会同燃气公司现场勘查" in public
    assert office.counts_by_department(None, clock.now())[q.department_id]["extensions"] == 1
    header, *lines = csv.reader(io.StringIO(_page(app.test_client(), "/stats.csv?period=all").lstrip("\ufeff")))
    assert header[-3:] == ["批准延期（次）", "申请延期（次）", "督办（次）"]
    assert next(line for line in lines if line[1] == q.department.name)[-3:] == ["1", "1", "0"]


def test_a_refused_extension_keeps_the_deadline(app, make_question, liaison, admin):
    q = make_question("accepted", at=NOW)
    due = q.due_at
    row = office.request_extension(q, liaison, 5, "人手不足", now=NOW)
    with pytest.raises(questions.DomainError, match="不能再申请"):
        office.request_extension(q, liaison, 5, "再申请一次", now=NOW)
    office.refuse_extension(row, admin, "人手不足不是延期理由", now=NOW)
    db.session.commit()
    assert q.due_at == due and row.status.value == "refused"
    with pytest.raises(questions.DomainError, match="已经处理过"):
        office.approve_extension(row, admin, now=NOW, cal=clock.work_calendar())


def test_a_supervision_notice_is_public_with_its_own_deadline(app, make_question, admin):
    q = make_question("accepted", at=NOW)
    office_client = _login(app.test_client(), admin)
    send(
        office_client,
        "POST",
        f"/admin/questions/{q.id}/supervise",
        {"supervise-reason": "群众反映强烈，请加快办理", "supervise-days": "3"},
    )
    public = _page(app.test_client(), f"/q/{q.id}")
    assert "督办：群众反映强烈，请加快办理" in public and "市网信办对 市公安局 发出督办" in public
    assert office.counts_by_department(None, clock.now())[q.department_id]["supervisions"] == 1


def test_a_phone_call_is_recorded_and_the_caller_stays_private(app, spokesperson, admin):
    staff = _login(app.test_client(), spokesperson)
    page = send(
        staff,
        "POST",
        "/console/intake",
        {
            "channel": "phone",
            "title": "夜里工地噪音扰民",
            "body": "每天凌晨还在施工。",
            "category": "环境",
            "caller": "张先生 13912345678",
        },
    ).get_data(as_text=True)
    q = db.session.scalar(db.select(Question).where(Question.title == "夜里工地噪音扰民"))
    assert q.channel.value == "phone" and q.department.slug == "gongan" and q.anonymous
    assert q.tracking_code[:4] in page, "the code is shown to read out"
    public = _page(app.test_client(), f"/q/{q.id}")
    assert "电话代录" in public and "张先生" not in public and "13912345678" not in public
    assert "13912345678" in _page(staff, f"/q/{q.id}"), "the department reads who called (internal note)"
    assert send(app.test_client(), "POST", "/login", {"username": q.asker.username, "password": ""}).status_code == 200
    assert "电话 1" in _page(app.test_client(), "/stats?period=all")


def test_co_handling_from_invitation_to_done(app, make_question, spokesperson, other_staff):
    q = make_question("accepted", at=NOW)
    lead = _login(app.test_client(), spokesperson)
    send(lead, "POST", f"/console/questions/{q.id}/assist", {"assist-department": "jiaoyu"})
    public = _page(app.test_client(), f"/q/{q.id}")
    assert "由 市公安局 主办，市教育局 协办" in public
    helper = _login(app.test_client(), other_staff)
    assert q.title in _page(helper, "/console/questions?status=assisting")
    send(helper, "POST", f"/q/{q.id}/notes", {"note-text": f"教育局意见：学校周边由我局配合 {MARKER}"})
    assert MARKER in _page(lead, f"/q/{q.id}") and MARKER not in _page(app.test_client(), f"/q/{q.id}")
    send(helper, "POST", f"/console/questions/{q.id}/assist/done", {})
    assert office.assists(q)[0].done_at is not None
    # done: the assisting department still reads the thread but no longer writes to it
    assert MARKER in _page(helper, f"/q/{q.id}")
    assert send(helper, "POST", f"/q/{q.id}/notes", {"note-text": "再补充"}).status_code == 403


def test_the_demo_shows_the_office_at_work(app, runner):
    from xtq.models import EventKind, ExtensionStatus, MonthlyReport, QuestionAssist, QuestionEvent, QuestionExtension

    assert runner.invoke(args=["demo", "--reset"]).exit_code == 0
    kinds = set(db.session.scalars(db.select(QuestionEvent.kind)))
    assert {EventKind.DISPATCHED, EventKind.RETURNED, EventKind.EXTENDED, EventKind.SUPERVISED} <= kinds
    assert db.session.scalars(office.queue()).first() is not None, "the returned question waits for dispatch"
    assert db.session.scalar(db.select(QuestionAssist.done_at)) is not None
    assert set(db.session.scalars(db.select(QuestionExtension.status))) == {
        ExtensionStatus.APPROVED,
        ExtensionStatus.REFUSED,
    }
    assert db.session.scalar(db.select(Question.id).where(Question.channel == "phone")) is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(MonthlyReport)) == 1
