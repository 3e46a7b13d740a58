"""Account forms. Every form is a FlaskForm, so CSRF is checked on every POST."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from xtq.models import StaffTitle


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=40)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=200)])
    remember = BooleanField(_l("记住我"))


class RegisterForm(FlaskForm):
    username = StringField(
        _l("用户名"),
        validators=[DataRequired(_l("请输入用户名。")), Length(3, 30, _l("用户名须为 3–30 位。"))],
        description=_l("字母、数字或下划线，登录时使用"),
    )
    display_name = StringField(
        _l("昵称"),
        validators=[DataRequired(_l("请输入昵称。")), Length(max=20, message=_l("昵称最多 20 个字。"))],
        description=_l("公开显示的名字"),
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(8, 200, _l("密码至少 8 位。"))]
    )
    confirm = PasswordField(
        _l("确认密码"),
        validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))],
    )


class EmailForm(FlaskForm):
    email = EmailField(
        _l("电子邮箱"),
        validators=[DataRequired(_l("请填写电子邮箱。")), Length(max=200)],
        description=_l("我们会发一封确认邮件，打开其中的链接后才开始使用这个邮箱。"),
    )


class ForgotForm(FlaskForm):
    email = EmailField(_l("注册时确认过的电子邮箱"), validators=[DataRequired(_l("请填写电子邮箱。")), Length(max=200)])


class ResetForm(FlaskForm):
    password = PasswordField(
        _l("新密码"), validators=[DataRequired(_l("请输入密码。")), Length(8, 200, _l("密码至少 8 位。"))]
    )
    confirm = PasswordField(
        _l("确认新密码"),
        validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))],
    )


class PreferencesForm(FlaskForm):
    """One switch per notification topic (xtq.domain.notifications.Topic), filled by the view."""

    reply = BooleanField()
    followup = BooleanField()
    overdue = BooleanField()
    progress = BooleanField()
    outage = BooleanField()


class DistrictsForm(FlaskForm):
    districts = SelectMultipleField(_l("区县"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    streets = StringField(
        _l("街道或小区（可选）"),
        validators=[Length(max=400)],
        description=_l("用空格分隔，例如：建设路 桐柏路。填写后只提醒写明这些地方的公告。"),
    )


# ---- the office's staff accounts and a department's profile (issue 13) ----

TITLE_CHOICES = [SelectChoice(t.value, LazyString(lambda t=t: t.label)) for t in StaffTitle]


class StaffForm(FlaskForm):
    """A new spokesperson or liaison; department choices are filled by the view."""

    username = StringField(
        _l("用户名"),
        validators=[DataRequired(_l("请输入用户名。")), Length(3, 30, _l("用户名须为 3–30 位。"))],
        description=_l("字母、数字或下划线，登录时使用"),
    )
    display_name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=40)])
    department = SelectField(_l("部门"), validators=[DataRequired(_l("请选择部门。"))])
    title = SelectField(_l("职务"), choices=TITLE_CHOICES, validators=[DataRequired(_l("请选择职务。"))])
    email = StringField(
        _l("电子邮箱（选填）"),
        validators=[Optional(), Length(max=200)],
        description=_l("配置了邮件服务器时，设置密码的链接会发到这里"),
    )


class StaffImportForm(FlaskForm):
    file = FileField(
        _l("CSV 文件"),
        validators=[FileRequired(_l("请选择 CSV 文件。"))],
        description=_l("UTF-8 编码，第一行为列名：username,display_name,department,title,email"),
    )


class MoveForm(FlaskForm):
    department = SelectField(_l("调到部门"), validators=[DataRequired(_l("请选择部门。"))])


class TitleForm(FlaskForm):
    title = SelectField(_l("职务"), choices=TITLE_CHOICES, validators=[DataRequired(_l("请选择职务。"))])


class BylinesForm(FlaskForm):
    show = BooleanField(_l("署名时显示工作人员姓名"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("新密码"), validators=[DataRequired(_l("请输入密码。")), Length(8, 200, _l("密码至少 8 位。"))]
    )
    confirm = PasswordField(
        _l("确认密码"),
        validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))],
    )


class ProfileForm(FlaskForm):
    description = TextAreaField(_l("部门简介"), validators=[Optional(), Length(max=1000)])
    phone = StringField(_l("电话"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("地址"), validators=[Optional(), Length(max=200)])
    hours = StringField(
        _l("办公时间"), validators=[Optional(), Length(max=100)], description=_l("例如：工作日 9:00–17:00")
    )
