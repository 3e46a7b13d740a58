"""Rules that views and templates used to decide for themselves, pinned where they now live: the domain."""

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers import sh
from xtq.config import ROOT
from xtq.domain import questions
from xtq.domain.config import Settings, Terms, settings
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.models import Department, PostStatus, Question, QuestionStatus, StaffTitle, User

MONDAY = sh(day=16, hour=9)
STATES = (
    "asked",
    "pending",
    "withdrawn",
    "at_office",
    "declined",
    "appealed",
    "upheld",
    "hidden",
    "private",
    "accepted",
    "replied",
    "replied_followup",
    "closed",
)


# ---------------------------------------------------------------- the deadline on a question's page


@pytest.mark.parametrize(
    ("state", "label"),
    [
        ("asked", "受理期限"),
        ("at_office", "分拨期限"),
        ("appealed", "复核期限"),
        ("accepted", "答复期限"),
        ("replied_followup", "追问答复期限"),
    ],
)
def test_the_deadline_is_named_by_the_step_that_runs(make_question, cal, state, label):
    q = make_question(state, at=MONDAY)
    assert questions.deadline_label(q) == label
    timing = questions.timing(q, MONDAY + timedelta(hours=12), cal)
    assert timing.due_at == q.due_at and not timing.overdue and timing.days_left >= 0


def test_an_overdue_deadline_keeps_its_name_and_counts_the_days_late(make_question, cal):
    q = make_question("accepted", at=MONDAY)
    later = q.due_at + timedelta(days=14)
    timing = questions.timing(q, later, cal)
    assert questions.deadline_label(q) == "答复期限"
    assert timing.overdue and timing.days_late > 0 and timing.days_left == 0


@pytest.mark.parametrize("state", ["replied", "closed", "declined", "withdrawn"])
def test_no_deadline_runs_once_the_department_has_answered(make_question, cal, state):
    q = make_question(state, at=MONDAY)
    assert questions.timing(q, MONDAY + timedelta(hours=12), cal) == questions.NO_DEADLINE


def test_the_label_needs_no_database():
    assert questions.deadline_label(Question(status=QuestionStatus.ASKED, department_id=None)) == "分拨期限"
    assert questions.deadline_label(Question(status=QuestionStatus.ASKED, department_id=3)) == "受理期限"
    followup = Question(status=QuestionStatus.REPLIED, department_id=3, due_at=MONDAY)
    assert questions.deadline_label(followup) == "追问答复期限"


# ---------------------------------------------------------------- the inbox's 待办


def test_the_inbox_holds_what_the_department_must_still_do(make_question):
    made = {state: make_question(state, at=MONDAY) for state in STATES}
    waiting = set(db.session.scalars(db.select(Question.id).where(questions.waiting_on_department())))
    assert {state for state, q in made.items() if q.id in waiting} == {
        "asked",
        "at_office",  # waiting too, but in no department's inbox: the office dispatches it
        "hidden",
        "private",
        "accepted",
        "replied_followup",
    }
    assert made["pending"].status == QuestionStatus.ASKED  # held for review: it reaches the inbox on approval


# ---------------------------------------------------------------- the posts a reply may cite


def test_a_reply_may_cite_its_departments_public_posts_only(make_question, make_post, cal, spokesperson, other_staff):
    q = make_question("accepted", at=MONDAY)
    now = MONDAY + timedelta(days=1)
    older = make_post(spokesperson, "较早的微博", published_at=MONDAY - timedelta(days=2))
    newer = make_post(spokesperson, "较新的微博", published_at=MONDAY - timedelta(days=1))
    make_post(spokesperson, "定时发布", published_at=now + timedelta(hours=1))
    make_post(spokesperson, "草稿", published_at=MONDAY, status=PostStatus.DRAFT)
    make_post(spokesperson, "已删除", published_at=MONDAY, status=PostStatus.DELETED)
    make_post(other_staff, "别的部门", published_at=MONDAY)
    hidden = make_post(spokesperson, "被隐藏", published_at=MONDAY)
    hidden.hidden_at = MONDAY + timedelta(hours=1)
    db.session.commit()

    assert list(db.session.scalars(questions.citeable_posts(q, now))) == [newer, older]  # newest first
    with pytest.raises(DomainError) as refused:
        questions.reply(q, spokesperson, "见微博", post_ids=[newer.id, hidden.id], now=now, cal=cal)
    assert refused.value.field == "posts"
    db.session.rollback()


# ---------------------------------------------------------------- the reply's signature


@pytest.mark.parametrize(
    ("title", "show_names", "signature"),
    [
        (StaffTitle.SPOKESPERSON, False, "市公安局 网络新闻发言人"),
        (StaffTitle.LIAISON, True, "市公安局 联络员 张三"),
        (None, False, "市公安局"),
        (None, True, "市公安局 张三"),
    ],
)
def test_a_reply_is_signed_by_the_department_the_title_and_the_name_if_shown(title, show_names, signature):
    department = Department(name="市公安局", show_staff_names=show_names)
    assert department.signature(User(title=title, display_name="张三")) == signature


# ---------------------------------------------------------------- enums in templates


def test_templates_compare_enum_members_by_name():
    assert QuestionStatus.ASKED.is_("ASKED") and QuestionStatus.ASKED.is_("REPLIED", "ASKED")
    assert not QuestionStatus.ASKED.is_("REPLIED")
    with pytest.raises(KeyError):
        QuestionStatus.ASKED.is_("asked")  # a misspelt name fails the page instead of hiding a branch


# ---------------------------------------------------------------- the settings the rules read


def test_outside_an_app_the_rules_use_the_defaults():
    assert settings() == Settings()
    assert settings().terms == Terms(accept_days=1, reply_days=5, stale_rating_days=7, appeal_days=5, dispatch_days=1)
    assert settings().mail is None and settings().instance_path is None


@pytest.mark.parametrize(
    "app_config", [{"ACCEPT_DAYS": 2, "REPLY_DAYS": 10, "SITE_URL": "https://wzt.example.gov.cn/"}], indirect=True
)
def test_the_rules_read_the_apps_config_through_one_object(app):
    current = settings()
    assert current.terms == replace(Terms(), accept_days=2, reply_days=10)
    assert current.site_url == "https://wzt.example.gov.cn" and current.mail is None
    assert current.secret_key == "test-secret" and "test-secret" not in repr(current)
    assert current.instance_path == Path(app.instance_path)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=2525, REPLY_DAYS=3)  # obeyed at once
    assert settings().mail["MAIL_PORT"] == 2525 and settings().terms.reply_days == 3


# ---------------------------------------------------------------- guards


def test_the_domain_reads_the_app_only_through_the_settings_accessor():
    readers = {
        p.name
        for p in (ROOT / "xtq" / "domain").glob("*.py")
        if re.search(r"\bcurrent_app\b|has_app_context", p.read_text(encoding="utf-8"))
    }
    assert readers == {"config.py"}


def test_templates_decide_no_rule_from_enum_values_or_config():
    found = []
    for path in (ROOT / "xtq" / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m}" for m in re.findall(r"\.value\s*[!=]=", text)]
        found += [f"{path.name}: {m}" for m in re.findall(r"\bconfig\.[A-Z_]*DAYS\b", text)]
    assert found == []
