"""What a follow-up action's attachment holds, checked against its extension: a file is
served back as the type its name says (application/pdf for .pdf), so a program or a
text file under a document's name is refused. Each check reads what it needs (a few
bytes, a zip's directory and one small part, an image's header), never the whole
upload."""

import zipfile
from pathlib import PurePath

from PIL import Image

from cms.images import too_many_pixels

# Microsoft Office 97-2003 files (.doc, .xls, .ppt) are OLE compound files.
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# The main part of an Office Open XML file and the content type
# [Content_Types].xml gives it.
OOXML_MAIN = {
    ".docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    ".xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    ".pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
# An OpenDocument file's first part, "mimetype", says what it is.
ODF_MIMETYPE = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
IMAGE_FORMAT = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# [Content_Types].xml lists a few dozen parts; more than this is not an Office file.
CONTENT_TYPES_MAX_BYTES = 256 * 1024
# What a damaged, encrypted or foreign zip raises while read (KeyError: no such part).
ZIP_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, RuntimeError,
              NotImplementedError)  # fmt: skip


class TooManyPixels(Exception):
    pass


def attachment_matches(upload) -> bool:
    """Whether `upload` holds what its extension (one of meeting_forms.ATTACHMENT_TYPES)
    says. Raises TooManyPixels for an image over WAGTAILIMAGES_MAX_IMAGE_PIXELS. Leaves
    the upload at its start."""
    suffix = PurePath(upload.name).suffix.lower()
    try:
        upload.seek(0)
        if suffix == ".pdf":
            return upload.read(5) == b"%PDF-"
        if suffix in (".doc", ".xls", ".ppt"):
            return upload.read(len(OLE_MAGIC)) == OLE_MAGIC
        if suffix in IMAGE_FORMAT:
            return _image_format(upload) == IMAGE_FORMAT[suffix]
        if suffix in OOXML_MAIN:
            return _ooxml_is(upload, *OOXML_MAIN[suffix])
        if suffix in ODF_MIMETYPE:
            return _odf_is(upload, ODF_MIMETYPE[suffix])
        return False
    finally:
        upload.seek(0)


def _image_format(upload) -> str | None:
    """The image's format, from its header and Pillow's verify() (which checks its
    structure without decoding the pixels), or None if Pillow cannot read it."""
    if too_many_pixels(upload):
        raise TooManyPixels
    try:
        with Image.open(upload) as image:
            image.verify()
            return image.format
    except (OSError, ValueError, SyntaxError):
        return None


def _ooxml_is(upload, main_part: str, content_type: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if main_part not in names or "[Content_Types].xml" not in names:
                return False
            with package.open("[Content_Types].xml") as types:
                return content_type.encode() in types.read(CONTENT_TYPES_MAX_BYTES)
    except ZIP_ERRORS:
        return False


def _odf_is(upload, mimetype: bytes) -> bool:
    try:
        with zipfile.ZipFile(upload) as package, package.open("mimetype") as part:
            return part.read(len(mimetype) + 1) == mimetype
    except ZIP_ERRORS:
        return False
