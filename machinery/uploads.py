"""Uploaded files: what is accepted, and how it is handed back.

Accepted files are sniffed by their content (the `filetype` library, plus ZIP/OLE inspection for office files); the
name's extension is never trusted on its own and must agree with what the content is. Files are stored through
Django's default storage under MEDIA_ROOT, which is never served directly: every download goes through a view that
has checked access and then calls `protected_download`.
"""

from __future__ import annotations

import mimetypes
import os
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# kind → {extension: mime} the kind accepts
KINDS: dict[str, dict[str, str]] = {
    "pdf": {"pdf": "application/pdf"},
    "image": {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"},
    "office": {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "doc": "application/msword",
        "xls": "application/vnd.ms-excel",
        "ppt": "application/vnd.ms-powerpoint",
    },
}
KIND_LABELS = {"pdf": "PDF", "image": "图片（JPG、PNG、GIF、WEBP）", "office": "Office 文档（Word、Excel、PowerPoint）"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PREFIXES = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
OLE_EXTENSIONS = {"doc", "xls", "ppt"}
SNIFF_BYTES = 64 * 1024


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _read_head(f) -> bytes:
    pos = f.tell() if hasattr(f, "tell") else 0
    f.seek(0)
    head = f.read(SNIFF_BYTES)
    f.seek(pos)
    return bytes(head)


def _ooxml_kind(f) -> str | None:
    """docx/xlsx/pptx from the ZIP's member names, whatever order the archive lists them in."""
    pos = f.tell()
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        f.seek(pos)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, ext in OOXML_PREFIXES.items():
        if any(n.startswith(prefix) for n in names):
            return ext
    return None


def sniff(f) -> str | None:
    """The extension the file's content really has (None when unknown)."""
    head = _read_head(f)
    if not head:
        return None
    guess = filetype.guess(head)
    ext = guess.extension if guess else None
    if ext in {"zip", "docx", "xlsx", "pptx"} or head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(f) or ext
    if ext is None and head.startswith(OLE_MAGIC):
        return "ole"  # a legacy Office compound file (doc/xls/ppt); which one is decided by the name
    if ext == "jpeg":
        return "jpg"
    return ext


def validate_upload(f, *, kinds: tuple[str, ...] = ("pdf", "image", "office"), max_mb: int = 20) -> str:
    """Refuse (ValidationError in Chinese) a file too large, of a type not among `kinds`, or whose extension
    disagrees with its content. Returns the content's extension."""
    if f is None:
        raise ValidationError(_("请选择要上传的文件"))
    size = getattr(f, "size", None)
    if size is not None and size > max_mb * 1024 * 1024:
        raise ValidationError(_("文件过大：不能超过 %(mb)s MB") % {"mb": max_mb})
    if size == 0:
        raise ValidationError(_("文件是空的"))
    allowed: dict[str, str] = {}
    for kind in kinds:
        allowed.update(KINDS[kind])
    labels = "、".join(KIND_LABELS[k] for k in kinds)
    name_ext = _extension(getattr(f, "name", ""))
    if name_ext not in allowed:
        raise ValidationError(_("不支持的文件类型，只能上传：%(labels)s") % {"labels": labels})
    real = sniff(f)
    if real == "ole":
        real = name_ext if name_ext in OLE_EXTENSIONS else None
    if real not in allowed:
        raise ValidationError(_("文件内容不是允许的类型（只能上传：%(labels)s）") % {"labels": labels})
    same = {real, name_ext} <= {"jpg", "jpeg"} or real == name_ext
    if not same:
        raise ValidationError(_("文件扩展名与文件内容不符，请上传原始文件"))
    return real


def content_type_for(filename: str) -> str:
    ext = _extension(filename)
    for kind in KINDS.values():
        if ext in kind:
            return kind[ext]
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def protected_download(request, file_field, filename: str | None = None) -> FileResponse:
    """Hand the stored file back as an attachment. The caller has already checked that the user may see it."""
    if not file_field:
        raise Http404
    name = filename or os.path.basename(file_field.name)
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type_for(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
