"""One check for every uploaded file: its size, and its content (magic bytes), not only its name or Content-Type.

``check_upload(upload, kinds=..., max_bytes=..., field=...)`` returns the detected MIME type or raises
``ApplicationError`` (400, a Chinese message, ``fields[field]``) when

- the file is larger than ``max_bytes``;
- its extension is not one of the allowed kinds (``.exe``, ``.html``, ``.svg`` … are never allowed);
- its content is not what the extension says: a ``.pdf`` must start with ``%PDF-``, a ``.docx`` must be a zip with
  ``word/document.xml``, a ``.txt`` must be UTF-8 or GB18030 text without markup, and so on; executables (MZ,
  ELF, scripts with ``#!``), HTML and SVG never pass, whatever their name.

The browser-facing Content-Type the client sent is ignored. Photos may omit the extension (some phone browsers
send ``image``), in which case the content alone decides.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.errors import ApplicationError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps (the old compound-file format)
MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe", b"<object")
HEAD_BYTES = 2048


def _is_jpeg(head, _upload):
    return head.startswith(b"\xff\xd8\xff")


def _is_png(head, _upload):
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_webp(head, _upload):
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _is_pdf(head, _upload):
    return head.startswith(b"%PDF-")


def _is_ole2(head, _upload):
    return head.startswith(OLE2)


def _zip_with(member_prefix):
    def check(head, upload):
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(name.startswith(member_prefix) for name in names)

    return check


def _is_text(head, upload):
    upload.seek(0)
    data = upload.read(64 * 1024)
    upload.seek(0)
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # A cut in the middle of a character at the 64 KB boundary is not a reason to refuse.
            data.decode(encoding) if len(data) < 64 * 1024 else data[:-4].decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    return not _looks_dangerous(data)


def _looks_dangerous(data):
    """Text a browser or a shell could run: a script, an executable header, or HTML / SVG / XML markup."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"#!", b"mz", b"\x7felf")) or any(tag in start[:HEAD_BYTES] for tag in MARKUP)


# kind -> (extensions, MIME type, content check)
KINDS = {
    "jpeg": ({".jpg", ".jpeg"}, "image/jpeg", _is_jpeg),
    "png": ({".png"}, "image/png", _is_png),
    "webp": ({".webp"}, "image/webp", _is_webp),
    "pdf": ({".pdf"}, "application/pdf", _is_pdf),
    "doc": ({".doc"}, "application/msword", _is_ole2),
    "xls": ({".xls"}, "application/vnd.ms-excel", _is_ole2),
    "wps": ({".wps"}, "application/vnd.ms-works", _is_ole2),
    "docx": (
        {".docx"},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("word/"),
    ),
    "xlsx": ({".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _zip_with("xl/")),
    "text": ({".txt"}, "text/plain", _is_text),
}
PHOTOS = ("jpeg", "png")
DOCUMENTS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "jpeg", "png", "text")

KIND_LABELS = {
    "jpeg": "JPG",
    "png": "PNG",
    "webp": "WebP",
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "wps": "WPS",
    "text": gettext_lazy("文本"),
}


def allowed_label(kinds):
    labels = []
    for kind in kinds:
        label = str(KIND_LABELS[kind])
        if label not in labels:
            labels.append(label)
    return "、".join(labels)


def _refuse(message, code, field):
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


def check_upload(upload, *, kinds=DOCUMENTS, max_bytes, field="file", extension_required=True):
    """Size, extension and content of ``upload``; returns the detected MIME type. See the module docstring."""
    name = Path(upload.name or "").name
    if upload.size is not None and upload.size > max_bytes:
        raise _refuse(
            _("“%(name)s”超过 %(mb)s MB。") % {"name": name, "mb": f"{max_bytes / (1024 * 1024):g}"},
            "upload_too_large",
            field,
        )
    suffix = Path(name).suffix.lower()
    by_extension = [kind for kind in kinds if suffix in KINDS[kind][0]]
    if suffix and not by_extension or not suffix and extension_required:
        raise _refuse(
            _("“%(name)s”的文件类型不允许，只能上传 %(types)s 文件。") % {"name": name, "types": allowed_label(kinds)},
            "upload_type_not_allowed",
            field,
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    candidates = by_extension or list(kinds)
    for kind in candidates:  # each check looks at the start of the file, so MZ / ELF / #! / <html never match
        if KINDS[kind][2](head, upload):
            upload.checked_type = KINDS[kind][1]  # the model field's UploadCheck need not read it again
            return upload.checked_type
    raise _refuse(
        _("“%(name)s”的内容与文件类型不符（可能是伪装的程序或网页），已拒绝。") % {"name": name},
        "upload_content_mismatch",
        field,
    )


@deconstructible
class UploadCheck:
    """:func:`check_upload` as a model field validator, so every way a file reaches a ``FileField`` (the admin's
    forms, ``full_clean``) is checked like the services' uploads. A stored file is not read again."""

    def __init__(self, kinds=DOCUMENTS, max_bytes=10 * 1024 * 1024, extension_required=True):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        self.extension_required = extension_required

    def __call__(self, value):
        if not value or getattr(value, "_committed", False):
            return
        if getattr(getattr(value, "file", value), "checked_type", None):  # a service already checked this upload
            return
        try:
            check_upload(value, kinds=self.kinds, max_bytes=self.max_bytes, extension_required=self.extension_required)
        except ApplicationError as exc:
            raise ValidationError(exc.message, code=exc.code) from None

    def __eq__(self, other):
        return isinstance(other, UploadCheck) and (self.kinds, self.max_bytes, self.extension_required) == (
            other.kinds,
            other.max_bytes,
            other.extension_required,
        )

    def __hash__(self):
        return hash((self.kinds, self.max_bytes, self.extension_required))
