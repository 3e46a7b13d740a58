"""Load the departments from seed_bureaus.json: validate the whole file, then upsert by slug."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from xtq.extensions import db
from xtq.models import Department, DeptGroup

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
FIELDS = ("slug", "name", "short_name", "group", "description", "phone", "address")
REQUIRED = ("slug", "name", "short_name", "group")


class SeedError(ValueError):
    """The seed file is wrong; the message names the entry and the problem, on one line."""


@dataclass(frozen=True)
class DepartmentSpec:
    slug: str
    name: str
    short_name: str
    group: DeptGroup
    description: str
    phone: str
    address: str
    position: int


def load(path: str | Path) -> list[DepartmentSpec]:
    """Read and validate every entry; raise SeedError before anything is written."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(f"{path}：文件不存在") from None
    except UnicodeDecodeError:
        raise SeedError(f"{path}：不是 UTF-8 编码的文本") from None
    except json.JSONDecodeError as e:
        raise SeedError(f"{path} 第 {e.lineno} 行第 {e.colno} 列：JSON 格式错误（{e.msg}）") from None
    entries = raw.get("departments") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SeedError(f'{path}：应为 {{"departments": [...]}}，且至少有一个部门')

    specs, slugs, short_names = [], set(), set()
    for index, entry in enumerate(entries, start=1):
        spec = _spec(entry, index)
        label = f"第 {index} 个部门（{spec.slug}）"
        if spec.slug in slugs:
            raise SeedError(f"{path} {label}：slug 重复")
        if spec.short_name in short_names:
            raise SeedError(f"{path} {label}：简称“{spec.short_name}”重复")
        slugs.add(spec.slug)
        short_names.add(spec.short_name)
        specs.append(spec)
    return specs


def _spec(entry: object, index: int) -> DepartmentSpec:
    if not isinstance(entry, dict):
        raise SeedError(f"第 {index} 个部门：应为一个对象")
    label = f"第 {index} 个部门（{entry.get('slug') or '无 slug'}）"
    unknown = set(entry) - set(FIELDS)
    if unknown:
        raise SeedError(f"{label}：未知字段 {', '.join(sorted(unknown))}")
    for field in FIELDS:
        if not isinstance(entry.get(field, ""), str):
            raise SeedError(f"{label}：{field} 应为文本")
    for field in REQUIRED:
        if not entry.get(field, "").strip():
            raise SeedError(f"{label}：缺少 {field}")
    if not SLUG_RE.match(entry["slug"]):
        raise SeedError(f"{label}：slug 只能用小写字母、数字和连字符")
    try:
        group = DeptGroup(entry["group"])
    except ValueError:
        raise SeedError(f"{label}：未知分组“{entry['group']}”，应为 bureau、district 或 utility") from None
    return DepartmentSpec(
        slug=entry["slug"],
        name=entry["name"].strip(),
        short_name=entry["short_name"].strip(),
        group=group,
        description=entry.get("description", "").strip(),
        phone=entry.get("phone", "").strip(),
        address=entry.get("address", "").strip(),
        position=index,
    )


def apply(specs: list[DepartmentSpec]) -> tuple[int, int]:
    """Insert new departments and update changed ones by slug; never delete. Returns (added, updated)."""
    existing = {d.slug: d for d in db.session.scalars(db.select(Department))}
    added = updated = 0
    for spec in specs:
        values = {
            f: getattr(spec, f) for f in ("name", "short_name", "group", "description", "phone", "address", "position")
        }
        department = existing.get(spec.slug)
        if department is None:
            db.session.add(Department(slug=spec.slug, **values))
            added += 1
        elif any(getattr(department, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(department, k, v)
            updated += 1
    return added, updated
