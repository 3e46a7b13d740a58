"""The launch ceremony's state machine: single-use codes, any order, one launch, rehearsals reset."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq.domain import launch, settings
from xtq.domain.errors import DomainError, NotFound, PermissionDenied
from xtq.extensions import db
from xtq.models import AuditLog


def state():
    return settings.read()


def open_ceremony(admin, *, rehearsal=False, labels=launch.DEFAULT_SEATS):
    ceremony = launch.open_new(admin, labels, rehearsal=rehearsal, now=NOW, state=state())
    db.session.commit()
    return ceremony


def press(code, minutes=1):
    ceremony = launch.press(code, now=NOW + timedelta(minutes=minutes))
    db.session.commit()
    return ceremony


def actions():
    return [a for (a,) in db.session.execute(db.select(AuditLog.action).order_by(AuditLog.id))]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_every_seat_in_any_order_launches_the_hall_once(admin, order):
    launch.schedule(admin, NOW + timedelta(hours=1), now=NOW, state=state())
    db.session.commit()
    assert not state().is_public
    ceremony = open_ceremony(admin)
    codes = [s.code for s in ceremony.seats]
    for n, i in enumerate(order, 1):
        assert state().launched_at is None
        press(codes[i], minutes=n)
    assert ceremony.completed_at == NOW + timedelta(minutes=3)
    assert state().launched_at == NOW + timedelta(minutes=3)
    assert state().is_public  # the cover is gone
    assert actions()[-1] == "launch.launched"


def test_a_code_works_once(admin):
    ceremony = open_ceremony(admin)
    code = ceremony.seats[0].code
    press(code)
    with pytest.raises(DomainError, match="只能用一次"):
        launch.press(code, now=NOW)
    assert launch.pressed_count(ceremony) == 1


def test_codes_are_read_forgivingly_and_unknown_codes_are_refused(admin):
    ceremony = open_ceremony(admin)
    code = ceremony.seats[1].code
    press(launch.spaced(code).lower())
    assert ceremony.seats[1].pressed_at is not None
    with pytest.raises(NotFound):
        launch.press("NOSUCHCODE", now=NOW)


def test_a_hall_cannot_be_launched_twice(admin):
    ceremony = open_ceremony(admin, labels=["市领导"])
    press(ceremony.seats[0].code)
    with pytest.raises(DomainError, match="已经上线"):
        launch.open_new(admin, ["市领导"], rehearsal=False, now=NOW, state=state())
    with pytest.raises(DomainError, match="已经上线"):
        launch.schedule(admin, NOW + timedelta(days=1), now=NOW, state=state())
    with pytest.raises(DomainError, match="只能用一次"):
        launch.press(ceremony.seats[0].code, now=NOW)


def test_a_rehearsal_plays_through_then_leaves_the_hall_waiting(admin):
    launch.schedule(admin, NOW + timedelta(hours=1), now=NOW, state=state())
    db.session.commit()
    rehearsal = open_ceremony(admin, rehearsal=True)
    for seat in rehearsal.seats:
        press(seat.code)
    assert rehearsal.completed_at is not None
    assert state().launched_at is None and not state().is_public
    assert "launch.rehearsed" in actions()
    with pytest.raises(DomainError):  # its codes are spent
        launch.press(rehearsal.seats[0].code, now=NOW)
    real = open_ceremony(admin)  # and the real ceremony starts afresh, with new codes
    assert {s.code for s in real.seats}.isdisjoint({s.code for s in rehearsal.seats})
    for seat in real.seats:
        press(seat.code)
    assert state().launched_at is not None


def test_one_ceremony_at_a_time_and_a_cancelled_one_is_dead(admin):
    ceremony = open_ceremony(admin)
    with pytest.raises(DomainError, match="正在进行"):
        launch.open_new(admin, ["市领导"], rehearsal=True, now=NOW, state=state())
    launch.cancel(admin, ceremony, now=NOW)
    db.session.commit()
    with pytest.raises(DomainError, match="已取消"):
        launch.press(ceremony.seats[0].code, now=NOW)
    assert open_ceremony(admin, rehearsal=True).is_open


@pytest.mark.parametrize("who", ["citizen", "spokesperson", "nobody"])
def test_only_the_admin_runs_the_launch(request, admin, who):
    user = None if who == "nobody" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        launch.open_new(user, ["市领导"], rehearsal=False, now=NOW, state=state())
    with pytest.raises(PermissionDenied):
        launch.schedule(user, NOW + timedelta(hours=1), now=NOW, state=state())
    ceremony = open_ceremony(admin)
    with pytest.raises(PermissionDenied):
        launch.cancel(user, ceremony, now=NOW)


@pytest.mark.parametrize("labels", [[], ["  "], ["席"] * 7, ["很长" * 11]])
def test_seats_must_be_sensible(admin, labels):
    with pytest.raises(DomainError) as caught:
        launch.open_new(admin, labels, rehearsal=False, now=NOW, state=state())
    assert caught.value.field == "seats"


def test_schedule_must_be_in_the_future_and_can_be_called_off(admin):
    with pytest.raises(DomainError, match="晚于现在"):
        launch.schedule(admin, NOW - timedelta(minutes=1), now=NOW, state=state())
    launch.schedule(admin, NOW + timedelta(hours=2), now=NOW, state=state())
    db.session.commit()
    assert state().launch_at == NOW + timedelta(hours=2)
    launch.unschedule(admin, now=NOW, state=state())
    db.session.commit()
    assert state().is_public and state().launched_at is None
