"""Forms for publishing, comments, reports and moderation. All FlaskForms: CSRF on every POST.

Times are typed as Beijing time (datetime-local); `utc()` turns them into aware UTC for the rules.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from xtq.domain.comments import MAX_COMMENT, MAX_REASON
from xtq.domain.publishing import MAX_BODY, MAX_STREETS
from xtq.forms.questions import photos_field
from xtq.models import NoticeType, PostKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATETIME_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def utc(beijing: datetime | None) -> datetime | None:
    """A naive Beijing time from a form, as aware UTC."""
    return None if beijing is None else beijing.replace(tzinfo=SHANGHAI).astimezone(UTC)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PostForm(FlaskForm):
    kind = SelectField(
        _l("类别"),
        choices=[SelectChoice(k.value, LazyString(lambda k=k: k.label)) for k in PostKind],
        default=PostKind.DAILY.value,
    )
    body = TextAreaField(
        _l("内容"),
        validators=[Length(max=MAX_BODY * 2, message=_l("内容太长了。"))],  # the rule gives the exact message
        description=_l("最多 %(MAX_BODY)s 字。#话题# 和 @部门简称 会自动变成链接。", MAX_BODY=MAX_BODY),
    )
    photos = photos_field()
    byline = BooleanField(_l("署名（显示发言人的职务）"))
    cites = StringField(
        _l("由哪些网友提问促成（可不填）"),
        validators=[Length(max=200, message=_l("内容太长了。"))],
        description=_l("填问题编号，多个用逗号分隔，如 12, 15。问题页和微博会互相链接。"),
    )
    when = RadioField(
        _l("发布方式"),
        choices=[
            SelectChoice("now", _l("立即发布")),
            SelectChoice("later", _l("定时发布")),
            SelectChoice("draft", _l("存为草稿")),
        ],
        default="now",
    )
    publish_at = DateTimeLocalField(_l("定时发布时间（北京时间）"), format=DATETIME_FORMAT, validators=[Optional()])
    notice_type = SelectField(
        _l("公告类型"),
        choices=[SelectChoice("", _l("请选择"))]
        + [SelectChoice(t.value, LazyString(lambda t=t: t.label)) for t in NoticeType],
        default="",
    )
    notice_districts = CheckboxesField(
        _l("受影响区县"), choices=[], validate_choice=False
    )  # the rule names unknown ones
    notice_streets = StringField(
        _l("受影响街道、线路"), validators=[Length(max=MAX_STREETS * 2, message=_l("内容太长了。"))]
    )
    notice_start = DateTimeLocalField(_l("开始时间（北京时间）"), format=DATETIME_FORMAT, validators=[Optional()])
    notice_end = DateTimeLocalField(_l("结束时间（北京时间）"), format=DATETIME_FORMAT, validators=[Optional()])


class EditForm(FlaskForm):
    body = TextAreaField(
        _l("内容"),
        validators=[Length(max=MAX_BODY * 2, message=_l("内容太长了。"))],
        description=_l("最多 %(MAX_BODY)s 字。原文会保留在修改记录中。", MAX_BODY=MAX_BODY),
    )
    byline = BooleanField(_l("署名（显示发言人的职务）"))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("评论"),
        validators=[Length(max=MAX_COMMENT * 2, message=_l("内容太长了。"))],
        description=_l("最多 %(MAX_COMMENT)s 字，文明发言。", MAX_COMMENT=MAX_COMMENT),
    )


class ReportForm(FlaskForm):
    reason = StringField(_l("举报理由（可不填）"), validators=[Length(max=MAX_REASON, message=_l("理由最多 200 字。"))])
    next = StringField()


class DecisionForm(FlaskForm):
    reason = StringField(
        _l("处理理由（公开显示）"), validators=[Length(max=MAX_REASON, message=_l("理由最多 200 字。"))]
    )
    hide = SubmitField(_l("隐藏"))
    dismiss = SubmitField(_l("驳回举报"))
