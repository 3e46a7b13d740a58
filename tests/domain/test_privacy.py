"""Personal data masking (xtq.domain.privacy): generated valid numbers are always masked, in mixed
Chinese text, full-width or with spaces and dashes inside; dates, amounts, bus lines and 查询码 never are."""

import re
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xtq.domain import privacy
from xtq.domain.questions import CODE_ALPHABET, CODE_LENGTH

FAST = settings(max_examples=150, deadline=None)

# Chinese filler: common characters and punctuation, never a digit or a Latin letter.
HAN = st.text(
    st.sampled_from(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
        "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
        "，。！？、：；（）“”《》 "
    ),
    max_size=12,
)


def digits(n):
    return st.text(st.sampled_from("0123456789"), min_size=n, max_size=n)


@st.composite
def mobiles(draw):
    return "1" + draw(st.sampled_from("3456789")) + draw(digits(9))


@st.composite
def id_numbers(draw):
    region = draw(st.sampled_from(["410105", "410102", "110101", "440303", "320102"]))
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)))
    first17 = region + born.strftime("%Y%m%d") + draw(digits(3))
    return first17 + privacy.id_check_char(first17)


@st.composite
def card_numbers(draw):
    length = draw(st.sampled_from([16, 17, 19]))
    body = draw(st.sampled_from(["62", "4", "5"])) + ""
    body += draw(digits(length - 1 - len(body)))
    for check in "0123456789":
        if privacy.luhn_ok(body + check):
            return body + check
    raise AssertionError("no Luhn digit")  # pragma: no cover (one of ten always fits)


FULL_WIDTH = str.maketrans("0123456789-X ", "０１２３４５６７８９－Ｘ　")


@st.composite
def as_typed(draw, number):
    """A number as a person might type it: grouped with spaces or dashes, maybe in full-width forms."""
    if draw(st.booleans()):
        sep = draw(st.sampled_from([" ", "-"]))
        cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=4)))
        parts, last = [], 0
        for cut in cuts:
            parts.append(number[last:cut])
            last = cut
        number = sep.join(parts + [number[last:]])
    if draw(st.booleans()):
        number = number.translate(FULL_WIDTH)
    return number


def _digits_only(text: str) -> str:
    return re.sub(r"[^0-9X*]", "", privacy.fold(text))


@st.composite
def embedded(draw, numbers):
    number = draw(numbers)
    typed = draw(as_typed(number))
    return number, draw(HAN) + typed + draw(HAN)


def check_mobile(number: str, text: str) -> None:
    masked = privacy.mask(text)
    assert number not in _digits_only(masked)
    assert f"{number[:3]}****{number[-4:]}" in masked


@FAST
@given(embedded(mobiles()))
@example(("13812345678", "电话13812345678谢谢"))
def test_mobile_numbers_are_masked(case):
    check_mobile(*case)


@FAST
@given(embedded(id_numbers()))
def test_id_numbers_are_masked(case):
    number, text = case
    masked = privacy.mask(text)
    assert number[3:14] not in _digits_only(masked)
    assert f"{number[:3]}{'*' * 11}{number[-4:]}" in masked


@FAST
@given(embedded(card_numbers()))
@example(("62000000010100006", "6 20000000101000 06"))  # begins with what reads as a 15-digit ID
def test_bank_card_numbers_are_masked(case):
    number, text = case
    masked = privacy.mask(text)
    assert number[4:-4] not in _digits_only(masked)
    assert masked.count("*") == len(number) - 8


def test_old_id_numbers_landlines_email_and_plates():
    assert privacy.mask("老身份证410105491231002") == "老身份证410********1002"
    assert privacy.mask("座机0371-67123456，北京（010）8765 4321") == "座机0371-****3456，北京010-****4321"
    assert privacy.mask("邮箱 zhang.san@example.com 谢谢") == "邮箱 z***@example.com 谢谢"
    assert privacy.mask("车牌豫A12345和豫A·D1234") == "车牌豫A***45和豫A***34"


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-29上午十点",
        "2026年11月29日 13:00-14:00",
        "缴费1234.56元",
        "补贴 100000000000 元",
        "乘B12路、906路到站",
        "查询码K7M2Q9XP",
        "热线12345",
        "邮编450000",
        "身份证410105194912310021（末位错了）",
        "卡号6222021234567890129（校验不对）",
        "编号 1234567890123456",
        "豫ABCDEF不是车牌",
    ],
)
def test_no_false_masking(text):
    assert privacy.mask(text) == text


@FAST
@given(
    st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.dates().map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
        st.decimals(min_value=0, max_value=10**9, places=2).map(lambda d: f"{d}元"),
        st.integers(1, 999).map(lambda n: f"{n}路"),
        st.integers(1, 99).map(lambda n: f"B{n}路"),
        st.text(st.sampled_from(CODE_ALPHABET), min_size=CODE_LENGTH, max_size=CODE_LENGTH),
    ),
    HAN,
    HAN,
)
def test_dates_amounts_bus_lines_and_tracking_codes_are_never_masked(value, before, after):
    text = before + value + after
    assert privacy.mask(text) == text


def test_split_keeps_what_was_typed_only_when_something_was_masked():
    assert privacy.split("路灯不亮") == ("路灯不亮", None)
    assert privacy.split("电话13812345678") == ("电话138****5678", "电话13812345678")


def test_a_mask_can_fail():
    """Positive control: a masker that lets one kind through is caught by the same assertions."""
    original = privacy._DETECTORS
    privacy._DETECTORS = tuple(d for d in original if d[0] != "mobile")
    try:
        with pytest.raises(AssertionError):
            check_mobile("13812345678", "电话13812345678")
    finally:
        privacy._DETECTORS = original
