"""Uploaded images (a company's logo): only PNG and JPEG, small, and really images.

The type is read from the bytes, never from the file name or what the
browser claims, and Pillow must decode the whole picture. SVG is refused:
it is a document that can carry scripts and links to other files, and the
logo is shown in pages and printed into PDFs.
"""
from __future__ import annotations

import io
import warnings

from flask_babel import lazy_gettext as _l

MAX_LOGO_BYTES = 512 * 1024
#: width × height; a small file can still unpack into a huge picture (a "decompression bomb")
MAX_LOGO_PIXELS = 16_000_000
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png", "PNG"), (b"\xff\xd8\xff", "image/jpeg", "JPEG"))


class ImageProblem(ValueError):
    """The upload is not an image Bottega takes; ``str()`` says why, for the person who sent it."""


def check_logo(data: bytes) -> str:
    """The media type of ``data`` (``image/png`` or ``image/jpeg``), or :class:`ImageProblem`."""
    if not data:
        raise ImageProblem(_l("The file is empty."))
    if len(data) > MAX_LOGO_BYTES:
        raise ImageProblem(_l("The image is too big: %(size)s KB, at most %(limit)s KB.",
                              size=-(-len(data) // 1024), limit=MAX_LOGO_BYTES // 1024))
    found = next(((media, name) for signature, media, name in SIGNATURES if data.startswith(signature)), None)
    if found is None:
        if b"<svg" in data[:4096].lower():
            raise ImageProblem(_l("SVG images are not accepted (they can carry scripts): upload a PNG or JPEG."))
        raise ImageProblem(_l("This file is not a PNG or JPEG image."))
    media, name = found
    _decode(data, name)
    return media


def _decode(data: bytes, name: str) -> None:
    """Pillow reads the whole file: ``verify`` first, as it refuses a cut file even once WeasyPrint (imported
    anywhere in the process) has told Pillow to load truncated images, then ``load`` decodes the pixels."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[name]) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    raise ImageProblem(_l("The image is too large: %(width)s × %(height)s pixels, at most "
                                          "%(limit)s million pixels.", width=width, height=height,
                                          limit=MAX_LOGO_PIXELS // 1_000_000))
                image.verify()
            with Image.open(io.BytesIO(data), formats=[name]) as image:
                image.load()
    except ImageProblem:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ImageProblem(_l("The image is damaged or incomplete: it cannot be read.")) from None
