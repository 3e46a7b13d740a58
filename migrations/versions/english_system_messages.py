"""system texts as message keys: question events, notifications and audit entries

Each of the three tables gets `message_key` and `message_params` (see xtq.domain.messages), so a
sentence the system wrote is shown in the reader's language. Rows written before are converted
where their text is exactly one of the sentences below (a frozen copy of the source texts of this
revision: later edits to xtq.domain.messages must not change what this migration does); any other
row keeps its text, which is what the pages show for a row without a key.

Revision ID: a7d3e9f2c611
Revises: e5f1a9c04b21
Create Date: 2026-11-29 14:20:00

"""
import re

import sqlalchemy as sa
from alembic import op

revision = 'a7d3e9f2c611'
down_revision = 'e5f1a9c04b21'
branch_labels = None
depends_on = None

TABLES = ("question_event", "notification", "audit_log")
EVENTS = {
    "event.closed.satisfied": "网友评价满意，问题办结。",
    "event.reopened.unsatisfied": "网友评价不满意，问题重新办理。",
    "event.closed.stale": "答复后 %(days)s 天内未评价，系统自动办结。",
    "event.remind.accept.overdue": "已超过受理期限（%(day)s），请尽快办理。",
    "event.remind.reply.overdue": "已超过答复期限（%(day)s），请尽快办理。",
    "event.remind.followup.overdue": "已超过答复追问期限（%(day)s），请尽快办理。",
    "event.remind.accept.last_day": "今天是受理期限（%(day)s）的最后一个工作日，请抓紧办理。",
    "event.remind.reply.last_day": "今天是答复期限（%(day)s）的最后一个工作日，请抓紧办理。",
    "event.remind.followup.last_day": "今天是答复追问期限（%(day)s）的最后一个工作日，请抓紧办理。",
}
NOTIFICATIONS = {
    "notify.asked": "您的问题「%(title)s」已提交给%(department)s，查询码 %(code)s。",
    "notify.new_question": "新问题待受理：「%(title)s」",
    "notify.accepted": "%(department)s已受理您的问题「%(title)s」。",
    "notify.declined": "%(department)s对您的问题「%(title)s」不予受理：%(reason)s",
    "notify.transferred": "您的问题「%(title)s」已由%(source)s转交%(target)s办理：%(reason)s",
    "notify.transferred_in": "%(source)s转来问题待受理：「%(title)s」",
    "notify.progress": "%(department)s更新了您的问题「%(title)s」的办理进展。",
    "notify.replied": "%(department)s答复了您的问题「%(title)s」，欢迎评价。",
    "notify.followup": "网友追问了「%(title)s」",
    "notify.satisfied": "网友对「%(title)s」的答复表示满意，问题已办结。",
    "notify.unsatisfied": "网友对「%(title)s」的答复不满意，问题已重新办理，请再次答复。",
    "notify.closed_stale": "您的问题「%(title)s」答复后 %(days)s 天未评价，已自动办结。",
    "notify.reminder": "催办「%(title)s」：%(reminder)s",
}
AUDIT = {
    "audit.demo_advance": "演示时钟前进 %(days)s 个工作日",
    "audit.launch_schedule": "计划上线：%(at)s",
    "audit.launch_unschedule": "取消上线计划，发布厅直接公开",
    "audit.ceremony_open": "开始上线仪式：%(seats)s",
    "audit.rehearsal_open": "开始彩排：%(seats)s",
    "audit.ceremony_cancel": "取消仪式",
    "audit.rehearsed": "彩排完成。%(presses)s",
    "audit.launched": "发布厅正式上线。%(presses)s",
    "moderation.auto_hide": "多名网友举报，等待管理员处理",
    "audit.post_publish_draft": "发布草稿",
    "audit.question_redact": "删去 %(count)s 个字符；理由：%(reason)s",
}
PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")  # %(name)s, once escaped by re.escape


def _patterns(templates: dict[str, str]) -> list[tuple[str, re.Pattern]]:
    return [(key, re.compile(PLACEHOLDER.sub(r"(?P<\1>.*?)", re.escape(source)), re.DOTALL))
            for key, source in templates.items()]


def _match(text: str, patterns) -> tuple[str, dict] | None:
    for key, pattern in patterns:
        if found := pattern.fullmatch(text or ""):
            return key, found.groupdict()
    return None


def _convert(table: str, column: str, where: str, patterns) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE message_key IS NULL{where}"))
    events = _patterns(EVENTS)
    updates = []
    for row_id, text in rows:
        if (found := _match(text, patterns)) is None:
            continue
        key, params = found
        if (nested := _match(params.get("reminder"), events)) is not None:
            params["reminder"] = {"key": nested[0], "params": nested[1]}
        updates.append({"id": row_id, "key": key, "params": params})
    table_ = sa.table(table, sa.column("id", sa.Integer), sa.column("message_key", sa.String),
                      sa.column("message_params", sa.JSON))
    for update in updates:
        connection.execute(table_.update().where(table_.c.id == update["id"])
                           .values(message_key=update["key"], message_params=update["params"]))


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('message_key', sa.String(length=60), nullable=True))
            batch_op.add_column(sa.Column('message_params', sa.JSON(), nullable=True))
    _convert("question_event", "text", " AND actor_id IS NULL", _patterns(EVENTS))
    _convert("notification", "text", "", _patterns(NOTIFICATIONS))
    _convert("audit_log", "detail", "", _patterns(AUDIT))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('message_params')
            batch_op.drop_column('message_key')
