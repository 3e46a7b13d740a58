"""Sentences the system writes into stored rows, kept as a message key plus parameters.

A question event note (网友评价不满意，问题重新办理。), a notification, an audit entry are written
once, when they happen, but read later by people in either language. So a row that holds such a
sentence stores its key and parameters (`message_key`, `message_params`) and is read through
`text_of(row)`, which renders it in the reader's language (Flask-Babel). The row's text column
(`text`, or `detail` for the audit log) still receives the sentence in the source language
(Chinese): it is what e-mail, search, the audit trail and older rows rely on.

To add a kind of system text:

1. add one line to MESSAGES below: a stable key (never reuse or rename one: rows keep it) and
   the Chinese sentence inside N_(), with %(name)s placeholders;
2. where the domain stores the sentence, pass `msg("the.key", name=value)` instead of a string:
   `questions._event(..., text)`, `notifications.notify(user, text)` and
   `audit.record(..., detail)` accept either a Message or the user's own words;
3. run `python -m xtq.cli.catalogues`, translate the new entry in the English catalogue, run it again.

Parameters are plain JSON values and shown as they are (a question's title, a department's
name, a date), except a nested Message (stored as {"key": ..., "params": ...}), which is
rendered in the reader's language too. Rows stored before keys existed were given theirs by the
migration english_system_messages. A few system texts are stored as plain text in a column
people write too (the default launch seats, the reason on what many reports hid): `known(text)`
translates one that is exactly a parameterless message, and leaves anything else as written.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask_babel import gettext

from xtq.i18n import N_

MESSAGES: dict[str, str] = {
    # question events written by the system
    "event.closed.satisfied": N_("网友评价满意，问题办结。"),
    "event.reopened.unsatisfied": N_("网友评价不满意，问题重新办理。"),
    "event.closed.stale": N_("答复后 %(days)s 天内未评价，系统自动办结。"),
    "event.remind.accept.overdue": N_("已超过受理期限（%(day)s），请尽快办理。"),
    "event.remind.reply.overdue": N_("已超过答复期限（%(day)s），请尽快办理。"),
    "event.remind.followup.overdue": N_("已超过答复追问期限（%(day)s），请尽快办理。"),
    "event.remind.accept.last_day": N_("今天是受理期限（%(day)s）的最后一个工作日，请抓紧办理。"),
    "event.remind.reply.last_day": N_("今天是答复期限（%(day)s）的最后一个工作日，请抓紧办理。"),
    "event.remind.followup.last_day": N_("今天是答复追问期限（%(day)s）的最后一个工作日，请抓紧办理。"),
    # internal notes the system writes on a question (for the department and the office)
    "note.assigned": N_("指定承办人：%(name)s"),
    "note.extension_requested": N_("申请延期 %(days)s 个工作日：%(reason)s"),
    "note.extension_refused": N_("延期申请未批准：%(reason)s"),
    "note.intake.phone": N_("电话代录。来电人：%(caller)s"),
    "note.intake.letter": N_("来信代录。来信人：%(caller)s"),
    "note.intake.visit": N_("来访代录。来访人：%(caller)s"),
    "note.assist_invited": N_("邀请%(name)s协办。"),
    "note.assist_done": N_("%(name)s已完成协办。"),
    # notifications (the bell and its e-mail copy)
    "notify.asked": N_("您的问题「%(title)s」已提交给%(department)s，查询码 %(code)s。"),
    "notify.new_question": N_("新问题待受理：「%(title)s」"),
    "notify.accepted": N_("%(department)s已受理您的问题「%(title)s」。"),
    "notify.declined": N_("%(department)s对您的问题「%(title)s」不予受理：%(reason)s"),
    "notify.transferred": N_("您的问题「%(title)s」已由%(source)s转交%(target)s办理：%(reason)s"),
    "notify.transferred_in": N_("%(source)s转来问题待受理：「%(title)s」"),
    "notify.progress": N_("%(department)s更新了您的问题「%(title)s」的办理进展。"),
    "notify.replied": N_("%(department)s答复了您的问题「%(title)s」，欢迎评价。"),
    "notify.followup": N_("网友追问了「%(title)s」"),
    "notify.satisfied": N_("网友对「%(title)s」的答复表示满意，问题已办结。"),
    "notify.unsatisfied": N_("网友对「%(title)s」的答复不满意，问题已重新办理，请再次答复。"),
    "notify.closed_stale": N_("您的问题「%(title)s」答复后 %(days)s 天未评价，已自动办结。"),
    "notify.reminder": N_("催办「%(title)s」：%(reminder)s"),
    "notify.followup_answered": N_("%(department)s答复了您对「%(title)s」的追问，欢迎评价。"),
    "notify.overdue.accept": N_("您的问题「%(title)s」已超过受理期限（%(day)s），已向%(department)s催办。"),
    "notify.overdue.reply": N_("您的问题「%(title)s」已超过答复期限（%(day)s），已向%(department)s催办。"),
    "notify.overdue.followup": N_("您的问题「%(title)s」已超过答复追问期限（%(day)s），已向%(department)s催办。"),
    "notify.dispatch_waiting": N_("问题待分拨：「%(title)s」"),
    "notify.dispatched": N_("您的问题「%(title)s」已由市网信办分拨给%(department)s办理。"),
    "notify.dispatched_in": N_("市网信办分拨问题待受理：「%(title)s」"),
    "notify.returned": N_("%(department)s将您的问题「%(title)s」退回市网信办重新分拨：%(reason)s"),
    "notify.assigned": N_("您被指定为「%(title)s」的承办人。"),
    "notify.extension_requested": N_("%(department)s申请延期：「%(title)s」"),
    "notify.extended": N_("「%(title)s」的办理期限经市网信办批准延长 %(days)s 个工作日。"),
    "notify.extension_approved": N_("延期申请已批准：「%(title)s」"),
    "notify.extension_refused": N_("延期申请未批准：「%(title)s」：%(reason)s"),
    "notify.supervised": N_("督办「%(title)s」：%(reason)s"),
    "notify.assist_invited": N_("%(department)s邀请协办：「%(title)s」"),
    "notify.assist_done": N_("%(department)s已完成协办：「%(title)s」"),
    "notify.asked_office": N_("您的问题「%(title)s」已提交，市网信办将分拨给相关部门办理，查询码 %(code)s。"),
    "notify.asked_held": N_("您的问题「%(title)s」已提交，审核通过后公开并交%(department)s办理，查询码 %(code)s。"),
    "notify.approved": N_("您的问题「%(title)s」已通过审核并公开，交%(department)s办理。"),
    "notify.rejected": N_("您的问题「%(title)s」未通过审核：%(reason)s"),
    "notify.comment_rejected": N_("您的评论未通过审核：%(reason)s"),
    "notify.text_rejected": N_("您在「%(title)s」中的留言未通过审核：%(reason)s"),
    "notify.withdrawn": N_("网友撤回了问题「%(title)s」"),
    "notify.appealed": N_("网友对「%(title)s」的不予受理申请复核"),
    "notify.appeal_upheld": N_("您对「%(title)s」的复核申请已办结，维持不予受理：%(reason)s"),
    "notify.appeal_reopened": N_("您对「%(title)s」的复核申请已通过，问题交%(department)s重新办理。"),
    # audit entries (and the reason shown on what many reports hid)
    "audit.demo_advance": N_("演示时钟前进 %(days)s 个工作日"),
    "audit.launch_schedule": N_("计划上线：%(at)s"),
    "audit.launch_unschedule": N_("取消上线计划，发布厅直接公开"),
    "audit.ceremony_open": N_("开始上线仪式：%(seats)s"),
    "audit.rehearsal_open": N_("开始彩排：%(seats)s"),
    "audit.ceremony_cancel": N_("取消仪式"),
    "audit.rehearsed": N_("彩排完成。%(presses)s"),
    "audit.launched": N_("发布厅正式上线。%(presses)s"),
    "moderation.auto_hide": N_("多名网友举报，等待管理员处理"),
    "audit.post_publish_draft": N_("发布草稿"),
    "audit.question_redact": N_("删去 %(count)s 个字符；理由：%(reason)s"),
    "audit.comment_redact": N_("删去 %(count)s 个字符；理由：%(reason)s"),
    "audit.question_edit": N_("原标题：%(title)s\n原内容：%(body)s"),
    # labels the system suggests (stored as plain text, translated by known())
    "seat.city_leader": N_("市领导"),
    "seat.province_leader": N_("省领导"),
    "seat.citizen": N_("网友代表"),
}
_PLAIN = {source for source in MESSAGES.values() if "%(" not in source}


class Message(NamedTuple):
    """A system sentence to store: a key of MESSAGES and its parameters."""

    key: str
    params: dict[str, Any]

    def source_text(self) -> str:
        """The sentence in the source language (Chinese), for the row's text column and e-mail."""
        return _fill(MESSAGES[self.key], self.params, translate=False)


def msg(key: str, **params: Any) -> Message:
    """The message `key` with its parameters; a nested Message is stored as its key and parameters."""
    if key not in MESSAGES:
        raise KeyError(f"no message {key!r} in xtq.domain.messages.MESSAGES")
    return Message(key, {name: _stored(value) for name, value in params.items()})


def render(key: str, params: dict[str, Any] | None) -> str:
    """A stored message in the reader's language."""
    return _fill(MESSAGES[key], params or {}, translate=True)


def text_of(row: Any) -> str:
    """What a stored row (question event, notification, audit entry) says, in the reader's language.

    A row without a key (a person's words, or a sentence the migration could not recognise) says
    what it stored.
    """
    if row.message_key in MESSAGES:
        return render(row.message_key, row.message_params)
    return row.detail if hasattr(row, "detail") else row.text


def known(text: str | None) -> str:
    """A plain stored text in the reader's language when it is one of ours, else as written."""
    return gettext(text) if text in _PLAIN else (text or "")


def source_of(text: str) -> str:
    """The source text of a label typed in the reader's language (City leader → 市领导), else the text."""
    return next((source for source in _PLAIN if text in (source, gettext(source))), text)


def split(value: str | Message) -> tuple[str, str | None, dict[str, Any] | None]:
    """(source text, key, params) to store for a row's text: the user's words, or a Message."""
    if isinstance(value, Message):
        return value.source_text(), value.key, value.params
    return value, None, None


def _stored(value: Any) -> Any:
    return {"key": value.key, "params": value.params} if isinstance(value, Message) else value


def _fill(source: str, params: dict[str, Any], *, translate: bool) -> str:
    values = {
        name: _fill(MESSAGES[v["key"]], v["params"], translate=translate)
        if isinstance(v, dict) and v.get("key") in MESSAGES
        else v
        for name, v in params.items()
    }
    text = gettext(source) if translate else source
    return text % values if values else text
