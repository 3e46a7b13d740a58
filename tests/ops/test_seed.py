"""seed_bureaus.json: the 57 departments, validation before writing, idempotence."""

import json

import pytest
from sqlalchemy import func

from xtq.domain.departments import by_slug as department
from xtq.extensions import db
from xtq.models import Department, DeptGroup, Post, Role, StaffTitle


def count_departments():
    return db.session.scalar(db.select(func.count()).select_from(Department))


def test_seed_file_has_57_departments_in_three_groups(app):
    by_group = dict(db.session.execute(db.select(Department.group, func.count()).group_by(Department.group)).all())
    assert by_group == {DeptGroup.BUREAU: 38, DeptGroup.DISTRICT: 12, DeptGroup.UTILITY: 7}
    names = set(db.session.scalars(db.select(Department.name)))
    for required in (
        "郑州市公安局",
        "郑州市司法局",
        "郑州市教育局",
        "郑州市城市管理局",
        "郑州市民政局",
        "郑州市食品药品监督管理局",
        "管城回族区人民政府",
        "中牟县人民政府",
    ):
        assert required in names


def test_seed_twice_changes_nothing(runner):
    before = count_departments()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "新增 0，更新 0" in result.output
    assert count_departments() == before == 57


def test_seed_updates_changed_entry_and_keeps_its_posts(runner, tmp_path, make_user, make_post, app):
    staff = make_user(Role.STAFF, slug="gongan", title=StaffTitle.SPOKESPERSON)
    post = make_post(staff, "户籍办理新规")
    data = seed_data(app)
    data["departments"][0]["phone"] = "0371-60000000"
    data["departments"][0]["description"] = "新的简介"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    result = runner.invoke(args=["seed", "--file", str(changed)])

    assert result.exit_code == 0, result.output
    assert "更新 1" in result.output
    db.session.expire_all()
    gongan = department("gongan")
    assert gongan.phone == "0371-60000000" and gongan.description == "新的简介"
    assert db.session.get(Post, post.id).department_id == gongan.id
    assert count_departments() == 57


def seed_data(app, mutate=lambda departments: None):
    with open(app.root_path + "/../seed_bureaus.json", encoding="utf-8") as f:
        data = json.load(f)
    mutate(data["departments"])
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d[4].update(group="ministry"), "第 5 个部门（minzheng）：未知分组“ministry”"),
        (lambda d: d[5].update(slug="gongan"), "第 6 个部门（gongan）：slug 重复"),
        (lambda d: d[2].update(name=""), "第 3 个部门（jiaoyu）：缺少 name"),
        (lambda d: d[2].pop("name"), "第 3 个部门（jiaoyu）：缺少 name"),
        (lambda d: d[7].update(slug="Bad Slug"), "slug 只能用小写字母、数字和连字符"),
        (lambda d: d[9].update(short_name="市公安局"), "简称“市公安局”重复"),
        (lambda d: d[1].update(phone=123), "phone 应为文本"),
    ],
)
def test_broken_seed_gives_one_line_error_and_changes_nothing(runner, app, tmp_path, mutate, message):
    data = seed_data(app, mutate)
    data["departments"].append({"slug": "newdept", "name": "新部门", "short_name": "新部门", "group": "bureau"})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    result = runner.invoke(args=["seed", "--file", str(bad)])

    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert count_departments() == 57
    assert department("newdept") is None


def test_malformed_json_names_line_and_column(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"departments": [\n  {"slug": "a",}\n]}', encoding="utf-8")
    result = runner.invoke(args=["seed", "--file", str(bad)])
    assert result.exit_code != 0
    assert "第 2 行第 16 列" in result.output
    assert count_departments() == 57
