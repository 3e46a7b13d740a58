"""Account forms. Every form is a FlaskForm, so CSRF is checked on every POST."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=40)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=200)])
    remember = BooleanField(_l("记住我"))


class RegisterForm(FlaskForm):
    username = StringField(
        _l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(3, 30, _l("用户名须为 3–30 位。"))],
        description=_l("字母、数字或下划线，登录时使用"),
    )
    display_name = StringField(
        _l("昵称"), validators=[DataRequired(_l("请输入昵称。")), Length(max=20, message=_l("昵称最多 20 个字。"))],
        description=_l("公开显示的名字"),
    )
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(8, 200, _l("密码至少 8 位。"))])
    confirm = PasswordField(_l("确认密码"), validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))])


class EmailForm(FlaskForm):
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(_l("请填写电子邮箱。")), Length(max=200)],
                       description=_l("我们会发一封确认邮件，打开其中的链接后才开始使用这个邮箱。"))


class ForgotForm(FlaskForm):
    email = EmailField(_l("注册时确认过的电子邮箱"), validators=[DataRequired(_l("请填写电子邮箱。")), Length(max=200)])


class ResetForm(FlaskForm):
    password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入密码。")), Length(8, 200, _l("密码至少 8 位。"))])
    confirm = PasswordField(_l("确认新密码"), validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))])


class PreferencesForm(FlaskForm):
    """One switch per notification topic (xtq.domain.notifications.Topic), filled by the view."""

    reply = BooleanField()
    followup = BooleanField()
    overdue = BooleanField()
    progress = BooleanField()
    outage = BooleanField()


class DistrictsForm(FlaskForm):
    districts = SelectMultipleField(_l("区县"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    streets = StringField(_l("街道或小区（可选）"), validators=[Length(max=400)],
                          description=_l("用空格分隔，例如：建设路 桐柏路。填写后只提醒写明这些地方的公告。"))
