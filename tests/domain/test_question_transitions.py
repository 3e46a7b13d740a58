"""The transition matrix: every state × every action × every role, allowed or refused with a reason.

The expectations are written out by hand below (not derived from the code under test); each
cell calls the real domain function on a fresh question and checks `allowed_actions` agrees.
"""

from datetime import UTC, datetime, timedelta

import pytest

from tests.question_fixtures import STATES, dept
from xtq.domain import metoo, office, questions
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.questions import Action
from xtq.models import Rating, Role, StaffTitle

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Zhengzhou
LATER = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
ROLES = ("asker", "other_citizen", "liaison", "spokesperson", "other_staff", "admin", "anonymous")
STAFF, ASKER, ADMIN = {"liaison", "spokesperson"}, {"asker"}, {"admin"}
ALL = set(STATES)

# action → (who may do it, in which states); EDIT is tried five minutes after asking (see _when)
RULES = {
    Action.ACCEPT: (STAFF, {"asked", "hidden", "private"}),
    Action.DECLINE: (STAFF, {"asked", "hidden", "private"}),
    Action.TRANSFER: (STAFF, {"asked", "hidden", "accepted", "private"}),
    Action.PROGRESS: (STAFF, {"accepted"}),
    Action.REPLY: (STAFF, {"accepted", "replied_followup"}),
    Action.FOLLOWUP: (ASKER, {"replied"}),
    Action.RATE: (ASKER, {"replied", "replied_followup"}),
    Action.HIDE: (ADMIN, ALL - {"hidden"}),
    Action.UNHIDE: (ADMIN, {"hidden"}),
    Action.REDACT: (ADMIN, ALL),
    Action.EDIT: (ASKER, {"asked", "hidden", "pending", "private", "at_office"}),
    Action.WITHDRAW: (ASKER, {"asked", "hidden", "pending", "private", "at_office"}),
    Action.APPEAL: (ASKER, {"declined"}),
    Action.UPHOLD: (ADMIN, {"appealed"}),
    Action.REOPEN: (ADMIN, {"appealed"}),
    Action.METOO: ({"other_citizen"}, {"asked", "accepted", "replied", "replied_followup"}),
    Action.UNMETOO: ({"other_citizen"}, set()),  # only after a 同问 of one's own (test_metoo.py)
    # the coordinating office (issue 13)
    Action.DISPATCH: (ADMIN, {"at_office"}),
    Action.RETURN: (STAFF, {"asked", "hidden", "accepted", "private"}),
    Action.ASSIGN: (STAFF, {"asked", "hidden", "accepted", "replied_followup", "private"}),
    Action.NOTE: (STAFF | ADMIN, ALL),
    Action.EXTEND: (STAFF, {"accepted", "replied_followup"}),
    Action.SUPERVISE: (ADMIN, {"asked", "hidden", "accepted", "replied_followup", "private"}),
    Action.ASSIST: (STAFF, {"asked", "hidden", "accepted", "private"}),
    Action.ASSIST_DONE: (set(), set()),  # only an assisting department: see tests/office/test_dispatch.py
}


def _when(action, q):
    """The moment each action is tried: an edit soon after asking, everything else the next day."""
    return q.created_at + timedelta(minutes=5) if action == Action.EDIT else LATER


def _who(who, state):
    """At the office no department holds the question, so nobody acts as its department's staff."""
    return who - STAFF if state == "at_office" else who


def test_rules_cover_every_action():
    assert set(RULES) == set(Action)


def _do(action, q, user, cal):
    kw = {"now": LATER, "cal": cal}
    return {
        Action.ACCEPT: lambda: questions.accept(q, user, **kw),
        Action.DECLINE: lambda: questions.decline(q, user, "不属于本部门职责范围", **kw),
        Action.TRANSFER: lambda: questions.transfer(q, user, dept("jiaotong"), "属交通部门职责", **kw),
        Action.PROGRESS: lambda: questions.progress(q, user, "已派人现场查看", **kw),
        Action.REPLY: lambda: questions.reply(q, user, "已修复。", **kw),
        Action.FOLLOWUP: lambda: questions.followup(q, user, "还有一盏不亮", **kw),
        Action.RATE: lambda: questions.rate(q, user, Rating.UNSATISFIED, "没修好", **kw),
        Action.HIDE: lambda: questions.hide(q, user, "含个人信息", now=LATER),
        Action.UNHIDE: lambda: questions.unhide(q, user, now=LATER),
        Action.REDACT: lambda: questions.redact(q, user, "很黑", "含不实描述", now=LATER),
        Action.EDIT: lambda: questions.edit(
            q, user, title="小区门口路灯不亮", body="晚上很黑，请修理。", now=_when(action, q)
        ),
        Action.WITHDRAW: lambda: questions.withdraw(q, user, now=LATER),
        Action.APPEAL: lambda: questions.appeal(q, user, "路灯在本部门辖区", **kw),
        Action.UPHOLD: lambda: questions.uphold(q, user, "确不属于本部门职责", now=LATER),
        Action.REOPEN: lambda: questions.reopen(q, user, dept("chengguan"), "路灯归城管", **kw),
        Action.METOO: lambda: metoo.me_too(q, user, now=LATER),
        Action.UNMETOO: lambda: metoo.undo(q, user),
        Action.DISPATCH: lambda: office.dispatch(q, user, dept("jiaotong"), "属交通部门职责", **kw),
        Action.RETURN: lambda: office.return_to_office(q, user, "不属于本部门职责", **kw),
        Action.ASSIGN: lambda: office.assign(
            q, user, next((u for u in office.assignable(q) if u.id != q.handler_id), None), now=LATER
        ),
        Action.NOTE: lambda: office.add_note(q, user, "内部备注", now=LATER),
        Action.EXTEND: lambda: office.request_extension(q, user, 3, "需要现场勘查", now=LATER),
        Action.SUPERVISE: lambda: office.supervise(q, user, "群众反映强烈，请加快办理", 3, **kw),
        Action.ASSIST: lambda: office.add_assist(q, user, dept("jiaotong"), now=LATER),
        Action.ASSIST_DONE: lambda: office.assist_done(q, user, now=LATER),
    }[action]()


@pytest.mark.parametrize("state", STATES)
def test_transition_matrix(state, make_question, make_user, citizen, liaison, spokesperson, other_staff, admin, cal):
    users = {
        "asker": citizen,
        "other_citizen": make_user(Role.CITIZEN),
        "liaison": liaison,
        "spokesperson": spokesperson,
        "other_staff": other_staff,
        "admin": admin,
        "anonymous": None,
    }
    wrong = []
    q = make_question(state, at=AT)  # committed once: every attempt below is rolled back
    for action, (who, states) in RULES.items():
        who = _who(who, state)
        q = make_question(state, at=AT)  # each cell rolls back what it did, so the next finds it as made
        for role in ROLES:
            user = users[role]
            expected = role in who and state in states
            if (action in questions.allowed_actions(q, user, _when(action, q))) != expected:
                wrong.append(f"allowed_actions {state} {action} {role}: expected {expected}")
            try:
                _do(action, q, user, cal)
            except PermissionDenied as e:
                ok = (
                    not expected
                    and role not in who
                    and "只有" in e.message
                    or (role == "anonymous" and "登录" in e.message)
                )
                if not ok:
                    wrong.append(f"{state} {action} {role}: refused as permission ({e.message})")
            except DomainError as e:
                if (
                    expected
                    or role not in who
                    or "不能" not in e.message
                    and "已经" not in e.message
                    and "还在" not in e.message
                ):
                    wrong.append(f"{state} {action} {role}: refused as state ({e.message})")
            else:
                if not expected:
                    wrong.append(f"{state} {action} {role}: allowed but should be refused")
            finally:
                questions.db.session.rollback()
    assert not wrong, "\n".join(wrong)


def test_each_transition_writes_an_event_and_moves_the_state(make_question, liaison, spokesperson, citizen, cal):
    q = make_question("asked", at=AT)
    assert [e.kind.value for e in q.events] == ["asked"]
    questions.transfer(q, liaison, dept("chengguan"), "路灯归城管", now=LATER, cal=cal)
    event = q.events[-1]
    assert (event.kind.value, event.actor, event.from_department.slug, event.to_department.slug, event.text) == (
        "transferred",
        liaison,
        "gongan",
        "chengguan",
        "路灯归城管",
    )
    assert q.department.slug == "chengguan" and q.status.value == "asked"
    # the old department's staff may no longer act; the new one's may
    assert Action.ACCEPT not in questions.allowed_actions(q, spokesperson)


def test_reply_signature_and_asker_steps(make_question, citizen, spokesperson, cal):
    q = make_question("replied", at=AT)
    reply = [e for e in q.events if e.kind.value == "replied"][-1]
    assert reply.actor.title == StaffTitle.SPOKESPERSON and reply.from_department.slug == "gongan"
    questions.rate(q, citizen, Rating.UNSATISFIED, "没修好", now=LATER, cal=cal)
    assert [e.kind.value for e in q.events][-2:] == ["rated", "reopened"]
    assert q.status.value == "accepted" and q.due_at is not None
    questions.reply(q, spokesperson, "重新修好了。", now=LATER, cal=cal)
    questions.rate(q, citizen, "satisfied", now=LATER, cal=cal)
    assert q.status.value == "closed" and q.closed_at == LATER and [e.kind.value for e in q.events][-1] == "closed"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda q, s, c: questions.decline(q, s, "   ", now=LATER, cal=c), "reason"),
        (lambda q, s, c: questions.transfer(q, s, None, "原因", now=LATER, cal=c), "department"),
        (lambda q, s, c: questions.transfer(q, s, dept("gongan"), "原因", now=LATER, cal=c), "department"),
        (lambda q, s, c: questions.transfer(q, s, dept("jiaotong"), "", now=LATER, cal=c), "reason"),
    ],
)
def test_refusals_name_the_field(make_question, liaison, cal, call, field):
    q = make_question("asked", at=AT)
    with pytest.raises(DomainError) as info:
        call(q, liaison, cal)
    assert info.value.field == field and info.value.message


def test_ask_validates_and_refuses_official_accounts(citizen, spokesperson, admin, cal):
    good = dict(title="标题", body="内容", category="其他", now=AT, cal=cal)
    for user in (spokesperson, admin):
        with pytest.raises(PermissionDenied, match="网友账号"):
            questions.ask(user, dept("gongan"), **good)
    with pytest.raises(PermissionDenied, match="登录"):
        questions.ask(None, dept("gongan"), **good)
    cases = [({"title": "长" * 61}, "title"), ({"body": ""}, "body"), ({"category": "八卦"}, "category")]
    for change, field in cases:
        with pytest.raises(DomainError) as info:
            questions.ask(citizen, dept("gongan"), **(good | change))
        assert info.value.field == field
    with pytest.raises(DomainError, match="区县"):
        questions.ask(citizen, dept("gongan"), district=dept("jiaoyu"), **good)
    with pytest.raises(DomainError, match="部门"):
        questions.ask(citizen, None, **good)


def test_tracking_codes_are_short_unambiguous_and_unique(citizen, cal):
    codes = {
        questions.ask(
            citizen, dept("gongan"), title=f"问题{i}", body="内容", category="其他", now=AT, cal=cal
        ).tracking_code
        for i in range(50)
    }
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 8 and not set(code) & set("01OIL")


def test_same_submit_token_gives_back_the_first_question(citizen, make_user, cal):
    kw = dict(title="标题", body="内容", category="其他", submit_token="tok-1", now=AT, cal=cal)
    first = questions.ask(citizen, dept("gongan"), **kw)
    questions.db.session.flush()
    assert questions.ask(citizen, dept("gongan"), **kw) is first
    with pytest.raises(DomainError, match="表单已失效"):
        questions.ask(make_user(Role.CITIZEN), dept("gongan"), **kw)


# Who may read a question's text, by state (issue 16): everyone, or only the asker, the
# department's staff and the office ("insiders").
INSIDERS = {"asker", "liaison", "spokesperson", "admin"}
READERS = {state: set(ROLES) for state in STATES} | {
    "hidden": INSIDERS,
    "pending": INSIDERS,
    "withdrawn": INSIDERS,
    "private": INSIDERS,
}


@pytest.mark.parametrize("state", STATES)
def test_who_reads_each_state(state, make_question, make_user, citizen, liaison, spokesperson, other_staff, admin):
    q = make_question(state, at=AT)
    users = {
        "asker": citizen,
        "other_citizen": make_user(Role.CITIZEN),
        "liaison": liaison,
        "spokesperson": spokesperson,
        "other_staff": other_staff,
        "admin": admin,
        "anonymous": None,
    }
    readers = {role for role, user in users.items() if questions.shows_text(q, user)}
    assert readers == READERS[state]
