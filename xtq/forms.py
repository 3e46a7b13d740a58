"""Account forms. Every form is a FlaskForm, so CSRF is checked on every POST."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

# WTForms' own messages ("Not a valid choice.") in Chinese, from the catalogue WTForms ships.
# Used while WTF_I18N_ENABLED is False (xtq/config.py); with Flask-Babel, flip it to follow the locale.
FlaskForm.Meta.locales = ("zh",)


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=40)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。"), Length(max=200)])
    remember = BooleanField("记住我")


class RegisterForm(FlaskForm):
    username = StringField(
        "用户名", validators=[DataRequired("请输入用户名。"), Length(3, 30, "用户名须为 3–30 位。")],
        description="字母、数字或下划线，登录时使用",
    )
    display_name = StringField(
        "昵称", validators=[DataRequired("请输入昵称。"), Length(max=20, message="昵称最多 20 个字。")],
        description="公开显示的名字",
    )
    password = PasswordField("密码", validators=[DataRequired("请输入密码。"), Length(8, 200, "密码至少 8 位。")])
    confirm = PasswordField("确认密码", validators=[DataRequired("请再次输入密码。"), EqualTo("password", "两次输入的密码不一致。")])
