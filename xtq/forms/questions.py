"""Forms of the closed loop. Every one is a FlaskForm, so CSRF is checked on every POST.

Lengths are checked here for a friendly message at the field and again by the domain,
which is the rule; choices are filled by the view from the database.
"""

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from xtq.domain.questions import BODY_MAX, REASON_MAX, TEXT_MAX, TITLE_MAX
from xtq.models import CATEGORIES, QuestionStatus, Rating

PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"


def photos_field() -> MultipleFileField:
    """Up to four photos; checked and re-encoded by xtq.domain.photos, which gives the errors."""
    return MultipleFileField(
        _l("照片（选填，最多 4 张）"),
        render_kw={"accept": PHOTO_TYPES},
        description=_l("JPEG、PNG、WebP 或手机的 HEIC 照片。位置等拍摄信息会自动去除。"),
    )


class AskForm(FlaskForm):
    department = SelectField(_l("向哪个部门提问"), validators=[DataRequired(_l("请选择要提问的部门。"))])
    title = StringField(
        _l("标题"),
        validators=[
            DataRequired(_l("请填写标题。")),
            Length(max=TITLE_MAX, message=_l("标题最多 %(TITLE_MAX)s 个字。", TITLE_MAX=TITLE_MAX)),
        ],
        description=_l("一句话说清问题，最多 %(TITLE_MAX)s 个字", TITLE_MAX=TITLE_MAX),
    )
    body = TextAreaField(
        _l("问题内容"),
        validators=[
            DataRequired(_l("请填写问题内容。")),
            Length(max=BODY_MAX, message=_l("问题内容最多 %(BODY_MAX)s 个字。", BODY_MAX=BODY_MAX)),
        ],
        description=_l("时间、地点、经过写清楚，部门更好办理。请不要填写身份证号、电话等个人信息。"),
    )
    category = SelectField(
        _l("分类"),
        choices=[SelectChoice("", _l("请选择"))] + [SelectChoice(c, LazyString(lambda c=c: _(c))) for c in CATEGORIES],
        validators=[DataRequired(_l("请选择问题分类。"))],
    )
    district = SelectField(_l("所在区县（选填）"), validators=[Optional()])
    photos = photos_field()
    anonymous = BooleanField(_l("公开时隐藏我的昵称（部门工作人员仍能看到账号）"))
    private = BooleanField(_l("仅部门可见（涉及个人情况时选择：只有您、办理部门和管理员能看到内容）"))
    submit_token = HiddenField(validators=[DataRequired(_l("表单已失效，请刷新页面后重新提交。")), Length(max=64)])


class ReasonForm(FlaskForm):
    """Decline with a public reason."""

    reason = TextAreaField(
        _l("不予受理的理由（公开）"), validators=[DataRequired(_l("请填写理由。")), Length(max=REASON_MAX)]
    )


class TransferForm(FlaskForm):
    department = SelectField(_l("转办到"), validators=[DataRequired(_l("请选择部门。"))])
    reason = TextAreaField(
        _l("转办理由（公开）"), validators=[DataRequired(_l("请填写转办理由。")), Length(max=REASON_MAX)]
    )


class TextForm(FlaskForm):
    """Progress updates and follow-up questions."""

    text = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写内容。")), Length(max=TEXT_MAX)])
    photos = photos_field()


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("答复内容"), validators=[DataRequired(_l("请填写答复内容。")), Length(max=TEXT_MAX)])
    posts = SelectMultipleField(
        _l("关联本部门微博（选填）"), coerce=int, validators=[Optional()], description=_l("答复和所选微博会互相链接")
    )
    photos = photos_field()


class RateForm(FlaskForm):
    rating = RadioField(
        _l("您对答复满意吗？"),
        choices=[SelectChoice(r.value, LazyString(lambda r=r: r.label)) for r in Rating],
        validators=[DataRequired(_l("请选择满意或不满意。"))],
    )
    comment = TextAreaField(
        _l("说明（选填）"),
        validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("不满意时，问题会重新交给部门办理"),
    )


class RedactForm(FlaskForm):
    target = SelectField(_l("在哪里"), default="question")
    fragment = StringField(
        _l("要删去的文字"),
        validators=[DataRequired(_l("请填写要删去的文字。")), Length(max=200)],
        description=_l("原样复制要删去的文字，例如误填的电话号码"),
    )
    reason = StringField(_l("理由（公开）"), validators=[DataRequired(_l("请填写理由。")), Length(max=REASON_MAX)])


class TrackForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup that changes nothing

    code = StringField(_l("查询码"), validators=[DataRequired(_l("请输入查询码。")), Length(max=20)])


STATUS_FILTERS = (
    [SelectChoice("", _l("全部状态"))]
    + [
        SelectChoice(s.value, LazyString(lambda s=s: s.label)) for s in QuestionStatus if s != QuestionStatus.WITHDRAWN
    ]  # never public
    + [SelectChoice("overdue", _l("逾期"))]
)


class TimelineFilterForm(FlaskForm):
    class Meta:
        csrf = False  # GET filters

    department = SelectField(_l("部门"), validators=[Optional()])
    group = SelectField(_l("分组"), validators=[Optional()])
    status = SelectField(_l("状态"), choices=STATUS_FILTERS, validators=[Optional()])
    category = SelectField(
        _l("分类"),
        choices=[SelectChoice("", _l("全部分类"))]
        + [SelectChoice(c, LazyString(lambda c=c: _(c))) for c in CATEGORIES],
        validators=[Optional()],
    )


# ---------------------------------------------------------------- the asker's recourse, the office's review (issue 16)


class EditForm(FlaskForm):
    """The asker corrects the title or text within minutes of asking."""

    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题。")), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("问题内容"), validators=[DataRequired(_l("请填写问题内容。")), Length(max=BODY_MAX)])


class AppealForm(FlaskForm):
    reason = TextAreaField(
        _l("申请复核的理由"),
        validators=[DataRequired(_l("请填写理由。")), Length(max=REASON_MAX)],
        description=_l("每个问题只能申请一次复核，由管理员复核。"),
    )


class UpholdForm(FlaskForm):
    reason = TextAreaField(
        _l("维持的理由（公开）"), validators=[DataRequired(_l("请填写理由。")), Length(max=REASON_MAX)]
    )


class ReopenForm(FlaskForm):
    department = SelectField(_l("交由哪个部门办理"), validators=[DataRequired(_l("请选择部门。"))])
    reason = TextAreaField(
        _l("重新交办的理由（公开）"), validators=[DataRequired(_l("请填写理由。")), Length(max=REASON_MAX)]
    )


class ApproveForm(FlaskForm):
    """Approve a held question, optionally removing a fragment first (with a public reason)."""

    fragment = StringField(_l("删去的文字（选填）"), validators=[Optional(), Length(max=200)])
    reason = StringField(_l("删去的理由（公开，删去文字时必填）"), validators=[Optional(), Length(max=REASON_MAX)])


class RejectForm(FlaskForm):
    reason = StringField(
        _l("不通过的理由（提问人可见）"), validators=[DataRequired(_l("请填写理由。")), Length(max=REASON_MAX)]
    )


class ReviewModeForm(FlaskForm):
    mode = RadioField(_l("发布前审核"), validators=[DataRequired()])


# ---- the coordinating office and the work inside a department (issue 13) ----


class DispatchForm(FlaskForm):
    department = SelectField(_l("分拨到"), validators=[DataRequired(_l("请选择部门。"))])
    note = StringField(_l("说明（公开，选填）"), validators=[Optional(), Length(max=REASON_MAX)])


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("退回理由（公开）"),
        validators=[DataRequired(_l("请填写退回理由。")), Length(max=REASON_MAX)],
        description=_l("说明为什么不属于本部门职责；市网信办会重新分拨"),
    )


class AssignForm(FlaskForm):
    handler = SelectField(_l("承办人"), coerce=int)  # a select always sends one of its choices


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("内部备注（仅本部门工作人员和市网信办可见）"),
        validators=[DataRequired(_l("请填写备注内容。")), Length(max=TEXT_MAX)],
    )


class ExtensionForm(FlaskForm):
    days = IntegerField(
        _l("延长几个工作日"),
        default=5,
        validators=[DataRequired(_l("请填写天数。")), NumberRange(1, 15, _l("延期天数须为 1–15 个工作日。"))],
    )
    reason = TextAreaField(
        _l("延期理由（批准后公开）"), validators=[DataRequired(_l("请填写延期理由。")), Length(max=REASON_MAX)]
    )


class SuperviseForm(FlaskForm):
    reason = TextAreaField(
        _l("督办理由（公开）"), validators=[DataRequired(_l("请填写督办理由。")), Length(max=REASON_MAX)]
    )
    days = IntegerField(
        _l("督办期限（工作日）"),
        default=3,
        validators=[DataRequired(_l("请填写天数。")), NumberRange(1, 15, _l("督办期限须为 1–15 个工作日。"))],
    )


class RefuseExtensionForm(FlaskForm):
    reason = StringField(_l("不批准的理由"), validators=[DataRequired(_l("请填写理由。")), Length(max=REASON_MAX)])


class IntakeForm(FlaskForm):
    """A question recorded for a caller (代录); department choices are filled by the view (the office only)."""

    channel = RadioField(
        _l("来源"),
        choices=[
            SelectChoice(c, label)
            for c, label in (("phone", _l("电话")), ("letter", _l("来信")), ("visit", _l("来访")))
        ],
        default="phone",
        validators=[DataRequired(_l("请选择来源。"))],
    )
    department = SelectField(_l("承办部门"), validators=[Optional()])
    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题。")), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("问题内容"), validators=[DataRequired(_l("请填写问题内容。")), Length(max=BODY_MAX)])
    category = SelectField(
        _l("分类"),
        choices=[SelectChoice("", _l("请选择"))] + [SelectChoice(c, LazyString(lambda c=c: _(c))) for c in CATEGORIES],
        validators=[DataRequired(_l("请选择问题分类。"))],
    )
    caller = StringField(
        _l("来电人姓名和联系方式（不公开）"),
        validators=[DataRequired(_l("请填写来电人姓名和联系方式。")), Length(max=REASON_MAX)],
        description=_l("只记在内部备注里，本部门工作人员和市网信办可见"),
    )


class AssistForm(FlaskForm):
    department = SelectField(_l("协办部门"), validators=[DataRequired(_l("请选择部门。"))])
