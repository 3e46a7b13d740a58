"""Accepting an uploaded image: decode it with Pillow and make new JPEGs from its pixels.

What is stored is never the upload: EXIF (and GPS) and every other metadata are left behind,
the orientation is applied to the pixels, the longest side is bounded and a thumbnail made.
Refused, with a reason to show: anything that is not a JPEG, PNG, WebP or HEIC/HEIF photo by
its first bytes (SVG, HTML, PDF …), files with markup or an archive inside (polyglots),
more pixels than MAX_PIXELS (decompression bombs), and files Pillow cannot decode.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps

try:  # phone photos (HEIC); the hall works without it, refusing them
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    HEIF = False

MAX_BYTES = 12 * 1024 * 1024
MAX_PIXELS = 64_000_000  # a 64-megapixel phone photo; beyond is a bomb, or nothing citizens send
MAX_SIDE = 2048
THUMB_SIDE = 360
QUALITY = 85
FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
_SIGNATURES = (
    re.compile(rb"^\xff\xd8\xff"),  # JPEG
    re.compile(rb"^\x89PNG\r\n\x1a\n"),  # PNG
    re.compile(rb"^RIFF....WEBP", re.DOTALL),  # WebP
    re.compile(rb"^....ftyp(heic|heix|hevc|hevx|heim|heis|mif1|msf1|avif)", re.DOTALL),  # HEIC/HEIF
)
# Markup or script anywhere, or a ZIP's end record near the end: a file that is also something else.
_POLYGLOT = re.compile(rb"<\s*(script|html|svg|body|iframe|object|embed|\?php|!doctype)|javascript:", re.IGNORECASE)
_ZIP_END = b"PK\x05\x06"


class ImageRefused(ValueError):
    """An upload that is not accepted; `str()` is the reason to show."""


@dataclass(frozen=True)
class Processed:
    full: bytes
    thumb: bytes
    width: int
    height: int


def process(data: bytes) -> Processed:
    """Clean JPEGs (full size and thumbnail) from an uploaded image, or ImageRefused."""
    if not data:
        raise ImageRefused(_("文件是空的。"))
    if len(data) > MAX_BYTES:
        raise ImageRefused(_("图片太大，请不要超过 %(mb)s MB。", mb=MAX_BYTES // (1024 * 1024)))
    if not any(signature.match(data[:32]) for signature in _SIGNATURES):
        raise ImageRefused(_("只能上传 JPEG、PNG、WebP 或 HEIC 格式的照片。"))
    if _POLYGLOT.search(data) or _ZIP_END in data[-65_557:]:
        raise ImageRefused(_("这个文件除了图片还含有其他内容，不能上传。"))
    image = _decode(data)
    image = ImageOps.exif_transpose(image)  # turn the pixels as the camera meant; the tag itself goes
    image = _flatten(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Processed(_jpeg(image), _jpeg(thumb), image.width, image.height)


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(FORMATS if HEIF else FORMATS - {"HEIF"}))
            if image.width * image.height > MAX_PIXELS:
                raise ImageRefused(
                    _("图片像素太多（超过 %(mp)s 百万像素），请缩小后再上传。", mp=MAX_PIXELS // 1_000_000)
                )
            image.load()
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(
                _("图片像素太多（超过 %(mp)s 百万像素），请缩小后再上传。", mp=MAX_PIXELS // 1_000_000)
            ) from None
        except Exception:  # Pillow raises many kinds for broken files: all mean "not an image we can read"
            raise ImageRefused(_("无法识别这张图片，文件可能已损坏。")) from None
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency goes onto white (JPEG has none)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)  # no exif=, no icc: nothing carried over
    return out.getvalue()
