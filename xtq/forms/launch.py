"""Forms of the launch ceremony and the demo clock. All FlaskForms: CSRF on every POST."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from xtq.demo import clock as demo_clock
from xtq.domain import launch, messages
from xtq.forms.publishing import DATETIME_FORMAT

SEPARATORS = "、，,;；\n"


class ScheduleForm(FlaskForm):
    at = DateTimeLocalField(
        _l("计划上线时间（北京时间）"), format=DATETIME_FORMAT, validators=[DataRequired(_l("请填写时间。"))]
    )


class CeremonyForm(FlaskForm):
    seats = StringField(
        _l("席位"),
        default=lambda: _("、").join(map(messages.known, launch.DEFAULT_SEATS)),
        validators=[Length(max=200)],
        description=_l("用顿号分隔，每个席位一个启动按钮，例如：市领导、省领导、网友代表"),
    )
    rehearsal = BooleanField(_l("彩排：按完后复原，发布厅不上线"))

    def labels(self) -> list[str]:
        text = self.seats.data or ""
        for separator in SEPARATORS:
            text = text.replace(separator, "\n")
        # a suggested seat kept as shown (City leader) is stored as itself (市领导): shown in each reader's language
        return [messages.source_of(label.strip()) for label in text.split("\n") if label.strip()]


class AdvanceForm(FlaskForm):
    days = IntegerField(
        _l("前进几个工作日"),
        default=3,
        validators=[NumberRange(1, demo_clock.MAX_DAYS, _l("1 到 %(MAX_DAYS)s 之间。", MAX_DAYS=demo_clock.MAX_DAYS))],
    )
