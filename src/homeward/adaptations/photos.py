"""Photos of hazards: checked by their content (not their name or stated type), limited in size, and
re-encoded from the pixels alone so that no metadata (EXIF, GPS location, camera, comments) is stored."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from homeward.core.errors import ValidationFailed

#: Largest upload accepted, and the most pixels decoded (a decompression bomb is refused, not decoded).
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
#: Content formats accepted, and the format each is stored as.
FORMATS = {"JPEG": ("JPEG", "image/jpeg"), "PNG": ("PNG", "image/png"), "WEBP": ("JPEG", "image/jpeg")}


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    width: int
    height: int


def clean_photo(raw: bytes, *, field: str = "photo") -> CleanPhoto:
    """The photo re-encoded without metadata, or ValidationFailed naming `field`: empty, over the size
    limit, not an image by its content, or too many pixels."""
    if not raw:
        raise ValidationFailed.single(field, "Choose a photo to upload")
    if len(raw) > MAX_BYTES:
        raise ValidationFailed.single(
            field,
            f"The photo must be {MAX_BYTES // (1024 * 1024)} MB or smaller ({len(raw) / 1048576:.1f} MB)",
        )
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format or ""
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed.single(field, "The photo has too many pixels; take it at a lower size")
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed.single(
            field, "The file is not a photo: upload a JPEG, PNG or WebP image"
        ) from None
    if fmt not in FORMATS:
        raise ValidationFailed.single(field, "The file is not a photo: upload a JPEG, PNG or WebP image")
    out_format, content_type = FORMATS[fmt]
    # Only the pixels are copied into a new image: nothing of the original's info or EXIF comes with them.
    mode = "RGB" if out_format == "JPEG" else ("RGBA" if "A" in upright.getbands() else "RGB")
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, format=out_format, **({"quality": 85} if out_format == "JPEG" else {}))
    return CleanPhoto(buffer.getvalue(), content_type, clean.width, clean.height)
