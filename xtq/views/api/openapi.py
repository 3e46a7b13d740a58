"""The OpenAPI 3.1 document of the API, written by hand and served at /api/v1/openapi.json.

Tests validate real responses against it, so it has to say what the API really answers.
"""

from flask import request

from xtq.pagination import CURSOR_PATTERN
from xtq.views.api import MAX_LIMIT, bp


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(name: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "next_cursor": {
                "type": ["string", "null"],
                "pattern": f"^{CURSOR_PATTERN}$",
                "description": "下一页的 cursor；没有下一页时为 null",
            },
        },
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "404": {"$ref": "#/components/responses/NotFound"},
}
PAGING = [{"$ref": "#/components/parameters/cursor"}, {"$ref": "#/components/parameters/limit"}]
SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "部门标识，如 gongan",
}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS = {
    "DepartmentRef": {
        "type": "object",
        "required": ["slug", "name", "short_name"],
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}, "short_name": {"type": "string"}},
    },
    "Department": {
        "allOf": [
            _ref("DepartmentRef"),
            {
                "type": "object",
                "required": ["group", "group_label", "description", "phone", "address", "url", "feed_url", "posts_url"],
                "properties": {
                    "group": {"type": "string", "enum": ["bureau", "district", "utility"]},
                    "group_label": {"type": "string"},
                    "description": {"type": "string"},
                    "phone": {"type": "string"},
                    "address": {"type": "string"},
                    "url": {"type": "string"},
                    "feed_url": {"type": "string"},
                    "posts_url": {"type": "string"},
                },
            },
        ]
    },
    "Notice": {
        "type": "object",
        "description": "服务公告（停水、停电等）的结构化信息",
        "required": ["type", "type_label", "districts", "streets", "start", "end"],
        "properties": {
            "type": {
                "type": "string",
                "enum": ["water_outage", "power_outage", "gas_outage", "heating_outage", "bus_change", "roadwork"],
            },
            "type_label": {"type": "string"},
            "districts": {"type": "array", "items": {"type": "string"}, "description": "受影响区县的部门标识"},
            "streets": {"type": "string"},
            "start": DATETIME,
            "end": DATETIME,
        },
    },
    "Post": {
        "type": "object",
        "required": [
            "id",
            "url",
            "department",
            "kind",
            "kind_label",
            "body",
            "body_html",
            "byline",
            "published_at",
            "edited_at",
            "pinned",
            "comment_count",
            "notice",
        ],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "department": _ref("DepartmentRef"),
            "kind": {"type": "string", "enum": ["decision", "service", "notice", "daily", "outage"]},
            "kind_label": {"type": "string"},
            "body": {"type": "string", "description": "原文，纯文本"},
            "body_html": {"type": "string", "description": "已转义的 HTML，只含本站生成的链接"},
            "byline": {"type": ["string", "null"]},
            "published_at": DATETIME,
            "edited_at": NULLABLE_DATETIME,
            "pinned": {"type": "boolean"},
            "comment_count": {"type": "integer"},
            "notice": {"anyOf": [_ref("Notice"), {"type": "null"}]},
        },
    },
    "Event": {
        "type": "object",
        "description": "问题办理过程中的一步（提问、受理、转办、答复、评价……）",
        "required": [
            "id",
            "kind",
            "kind_label",
            "actor",
            "created_at",
            "from_department",
            "to_department",
            "text",
            "text_html",
            "rating",
            "hidden",
            "hidden_reason",
        ],
        "properties": {
            "id": {"type": "integer"},
            "kind": {
                "type": "string",
                "enum": [
                    "asked",
                    "accepted",
                    "declined",
                    "transferred",
                    "progress",
                    "replied",
                    "followup",
                    "rated",
                    "reopened",
                    "closed",
                    "reminded",
                    "hidden",
                    "redacted",
                    "edited",
                    "appealed",
                    "appeal_upheld",
                    "appeal_reopened",
                    "approved",
                    "dispatched",
                    "returned",
                ],
            },
            "kind_label": {"type": "string"},
            "actor": {"type": "string", "description": "公开署名：部门与职务、网友昵称或“系统”"},
            "created_at": DATETIME,
            "from_department": {"anyOf": [_ref("DepartmentRef"), {"type": "null"}]},
            "to_department": {"anyOf": [_ref("DepartmentRef"), {"type": "null"}]},
            "text": {"type": "string"},
            "text_html": {"type": "string"},
            "rating": {"type": ["string", "null"], "enum": ["satisfied", "unsatisfied", None]},
            "hidden": {"type": "boolean"},
            "hidden_reason": {"type": ["string", "null"]},
            "photos": {"type": "array", "items": _ref("Photo")},
        },
    },
    "Photo": {
        "type": "object",
        "required": ["url", "thumbnail_url", "width", "height"],
        "properties": {
            "url": {"type": "string", "description": "重新编码的 JPEG，不含 EXIF 等拍摄信息"},
            "thumbnail_url": {"type": "string"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
        },
    },
    "Question": {
        "type": "object",
        "required": [
            "id",
            "url",
            "department",
            "district",
            "category",
            "title",
            "body",
            "body_html",
            "asker",
            "status",
            "status_label",
            "created_at",
            "last_activity_at",
            "due_at",
            "overdue",
            "rating",
            "metoo_count",
        ],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "department": _ref("DepartmentRef"),
            "district": {"anyOf": [_ref("DepartmentRef"), {"type": "null"}]},
            "category": {"type": "string"},
            "title": {"type": "string"},
            "body": {"type": "string"},
            "body_html": {"type": "string"},
            "asker": {"type": "string", "description": "昵称；匿名提问时为“网友”加四位代码"},
            "status": {"type": "string", "enum": ["asked", "accepted", "declined", "replied", "closed", "appealed"]},
            "status_label": {"type": "string"},
            "created_at": DATETIME,
            "last_activity_at": DATETIME,
            "due_at": {**NULLABLE_DATETIME, "description": "当前环节的办理期限（工作日计算）"},
            "overdue": {"type": "boolean"},
            "rating": {"type": ["string", "null"], "enum": ["satisfied", "unsatisfied", None]},
            "metoo_count": {"type": "integer", "description": "同问人数"},
            "photos": {"type": "array", "items": _ref("Photo")},
            "events": {"type": "array", "items": _ref("Event")},
        },
    },
    "QuestionDetail": {"allOf": [_ref("Question"), {"type": "object", "required": ["events", "photos"]}]},
    "QuestionPage": _page_of("Question"),
    "DepartmentPage": _page_of("Department"),
    "PostPage": _page_of("Post"),
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "integer"},
                    "message": {"type": "string", "description": "中文说明"},
                    "parameter": {"type": "string"},
                },
            }
        },
    },
}


def document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "心通桥 微博发布厅 API",
            "version": "1.0.0",
            "description": "只读 JSON 接口，供其他平台同步显示发布厅的内容。列表按时间倒序，用 cursor 翻页。",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/departments": {
                "get": {
                    "operationId": "listDepartments",
                    "summary": "全部部门",
                    "responses": {"200": _json(_ref("DepartmentPage"), "部门列表")},
                }
            },
            "/departments/{slug}": {
                "get": {
                    "operationId": "getDepartment",
                    "summary": "一个部门",
                    "parameters": [SLUG],
                    "responses": {"200": _json(_ref("Department"), "部门"), "404": ERRORS["404"]},
                }
            },
            "/departments/{slug}/posts": {
                "get": {
                    "operationId": "listDepartmentPosts",
                    "summary": "部门的微博",
                    "parameters": [SLUG, *PAGING],
                    "responses": {"200": _json(_ref("PostPage"), "微博列表"), **ERRORS},
                }
            },
            "/posts": {
                "get": {
                    "operationId": "listPosts",
                    "summary": "全部微博",
                    "parameters": PAGING,
                    "responses": {"200": _json(_ref("PostPage"), "微博列表"), "400": ERRORS["400"]},
                }
            },
            "/posts/{id}": {
                "get": {
                    "operationId": "getPost",
                    "summary": "一条微博",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {"200": _json(_ref("Post"), "微博"), "404": ERRORS["404"]},
                }
            },
            "/questions": {
                "get": {
                    "operationId": "listQuestions",
                    "summary": "网友提问（按最新进展倒序）",
                    "parameters": [
                        {
                            "name": "department",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "部门标识",
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "string",
                                "enum": ["asked", "accepted", "declined", "replied", "closed", "appealed"],
                            },
                        },
                        *PAGING,
                    ],
                    "responses": {"200": _json(_ref("QuestionPage"), "问题列表"), "400": ERRORS["400"]},
                }
            },
            "/questions/{id}": {
                "get": {
                    "operationId": "getQuestion",
                    "summary": "一个问题及其全部办理过程",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {"200": _json(_ref("QuestionDetail"), "问题"), "404": ERRORS["404"]},
                }
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "parameters": {
                "cursor": {
                    "name": "cursor",
                    "in": "query",
                    "required": False,
                    "allowEmptyValue": True,
                    "schema": {"type": "string", "pattern": f"^({CURSOR_PATTERN})?$"},
                    "description": "上一页返回的 next_cursor（微秒时间戳-编号）；不填或留空为第一页",
                },
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20},
                },
            },
            "responses": {
                "BadRequest": _json(_ref("Error"), "参数有误"),
                "NotFound": _json(_ref("Error"), "不存在"),
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document of this API."""
    return document(request.url_root.rstrip("/") + bp.url_prefix)
