"""Whole journeys through the real UI in headless Chromium, with the keyboard where people use it.

A citizen registers, follows a department and asks; its liaison accepts and transfers; the other
department's spokesperson replies; the citizen rates the reply and the question shows closed
on the timeline. Beside it, citizens report a comment and the admin hides it.
"""

import re

import pytest

from tests.browser.helpers import login, screenshot
from xtq.models import Role, StaffTitle

pytestmark = pytest.mark.browser


def navigates(page, action):
    """Do something that loads a new page (a submit, a click) and wait for that page."""
    with page.expect_navigation():
        action()


def logout(page):
    navigates(page, lambda: page.get_by_role("button", name="退出").click())


def flash(page) -> str:
    return page.locator(".flashes").inner_text()


def type_into(page, selector, text):
    """Focus a field and type into it, as a person does."""
    page.focus(selector)
    page.keyboard.type(text)


@pytest.fixture(scope="module")
def staff(live_server):
    live_server.make_user("j_lly", Role.STAFF, slug="gongan", title=StaffTitle.LIAISON, display_name="公安联络员")
    live_server.make_user(
        "j_gongan_fyr", Role.STAFF, slug="gongan", title=StaffTitle.SPOKESPERSON, display_name="公安发言人"
    )
    live_server.make_user(
        "j_jiaoyu_fyr", Role.STAFF, slug="jiaoyu", title=StaffTitle.SPOKESPERSON, display_name="教育发言人"
    )
    live_server.make_user("j_admin", Role.ADMIN, display_name="网信办")
    live_server.make_user("j_troll", Role.CITIZEN, display_name="路人甲")
    return live_server


def test_a_question_goes_round_the_closed_loop(staff, page_factory):
    base = staff.url
    page, watch = page_factory(width=390, height=844)

    # A citizen registers, from the keyboard.
    page.goto(f"{base}/register")
    type_into(page, "input[name=username]", "laozhang")
    page.keyboard.press("Tab")
    page.keyboard.type("老张")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-1")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-1")
    navigates(page, lambda: page.keyboard.press("Enter"))
    assert "注册成功" in flash(page)

    # ... follows the police department, pressing Enter on the button ...
    page.goto(f"{base}/hall/gongan")
    page.get_by_role("button", name="＋ 关注").focus()
    navigates(page, lambda: page.keyboard.press("Enter"))
    assert "已关注" in flash(page)
    assert page.get_by_role("button", name=re.compile("已关注")).is_visible()

    # ... and asks it from its hall.
    navigates(page, lambda: page.get_by_role("link", name="向市公安局提问").click())
    assert page.locator("select[name=department]").input_value() == "gongan"
    type_into(page, "input[name=title]", "学校门口早高峰无人疏导")
    type_into(page, "textarea[name=body]", "每天早上七点半，文化路小学门口车辆拥堵，希望安排交警疏导。")
    page.select_option("select[name=category]", "交通出行")
    navigates(page, lambda: page.get_by_role("button", name="提交问题").click())
    assert "提问成功" in flash(page)
    question_url = page.url
    assert re.search(r"/q/\d+$", question_url)
    assert "待受理" in page.locator("main").inner_text()
    logout(page)

    # The police liaison finds it in the inbox, accepts it, then transfers it to education.
    login(page, base, "j_lly")
    page.goto(f"{base}/console/questions")
    navigates(page, lambda: page.get_by_role("link", name="学校门口早高峰无人疏导").click())
    navigates(page, lambda: page.get_by_role("button", name="受理").click())
    assert "已受理" in flash(page)
    page.locator("summary", has_text="转办到其他部门").focus()
    page.keyboard.press("Enter")  # opens the <details>
    page.select_option("select[name=transfer-department]", "jiaoyu")
    type_into(page, "textarea[name=transfer-reason]", "校园周边秩序由教育局牵头协调。")
    navigates(page, lambda: page.get_by_role("button", name="转办", exact=True).click())
    assert "已转办" in flash(page)
    logout(page)

    # Education's spokesperson accepts and replies.
    login(page, base, "j_jiaoyu_fyr")
    page.goto(question_url)
    navigates(page, lambda: page.get_by_role("button", name="受理").click())
    type_into(page, "textarea[name=reply-text]", "已协调学校安排护学岗，并请交警早高峰在校门口值守。")
    navigates(page, lambda: page.get_by_role("button", name="发布答复").click())
    assert "答复已发布" in flash(page)
    logout(page)

    # The citizen rates the reply from the keyboard: satisfied closes it.
    login(page, base, "laozhang", "correct-horse-1")
    page.goto(question_url)
    page.get_by_label("满意", exact=True).focus()
    page.keyboard.press("Space")
    type_into(page, "textarea[name=rate-comment]", "谢谢，已经有人值守了。")
    page.get_by_role("button", name="提交评价").focus()
    navigates(page, lambda: page.keyboard.press("Enter"))
    assert "感谢您的评价" in flash(page)
    history = page.locator("main").inner_text()
    for step in ("转办", "答复", "已办结"):
        assert step in history, step
    screenshot(page, "journey-question-closed")

    # Closed, on the public timeline.
    logout(page)
    page.goto(f"{base}/timeline?status=closed")
    row = page.locator(".question-row, li, article", has_text="学校门口早高峰无人疏导").first
    assert "已办结" in row.inner_text()
    assert watch.external_requests == [] and watch.console_errors == []


def test_citizens_report_a_comment_and_the_admin_hides_it(staff, page_factory):
    base = staff.url
    page, watch = page_factory(width=1280)

    # The police spokesperson publishes a post.
    login(page, base, "j_gongan_fyr")
    page.goto(f"{base}/console/compose")
    type_into(page, "textarea[name=body]", "冬季夜间出行请注意安全。#平安郑州#")
    navigates(page, lambda: page.get_by_role("button", name="提交").click())
    assert "微博已发布" in flash(page)
    logout(page)

    # A troll comments under it.
    login(page, base, "j_troll")
    page.goto(f"{base}/hall/gongan")
    navigates(
        page, lambda: page.locator("article", has_text="冬季夜间出行请注意安全").locator("a.comments-link").click()
    )
    post_url = page.url
    type_into(page, "textarea[name=body]", "全是废话，加微信 spam123 领红包")
    navigates(page, lambda: page.get_by_role("button", name=re.compile("发表")).click())
    assert "评论已发表" in flash(page)
    logout(page)

    # A citizen reports it, from the keyboard.
    login(page, base, "laozhang", "correct-horse-1")
    page.goto(post_url)
    comment = page.locator("li.comment", has_text="spam123")
    comment.locator("summary", has_text="举报").focus()
    page.keyboard.press("Enter")
    comment.get_by_label("举报理由（可不填）").fill("广告")
    navigates(page, lambda: comment.get_by_role("button", name="提交举报").click())
    assert "已收到您的举报" in flash(page)
    logout(page)

    # The admin hides it with a public reason.
    login(page, base, "j_admin")
    page.goto(f"{base}/admin/reports")
    item = page.locator("article.report-item", has_text="spam123")
    item.get_by_label(re.compile("处理理由")).fill("广告引流")
    navigates(page, lambda: item.get_by_role("button", name="隐藏").click())
    assert "已隐藏" in flash(page)
    logout(page)

    page.goto(post_url)
    main = page.locator("main").inner_text()
    assert "spam123" not in main and "广告引流" in main
    assert watch.external_requests == [] and watch.console_errors == []
