"""Pictures people upload for their own recipes: checked, then re-encoded before they are stored.

Pure (Pillow, no ORM). A picture is accepted when Pillow reads it as JPEG, PNG or WebP (its
content decides, not its name or the browser's content type), it is at most MAX_PICTURE_BYTES
and at most MAX_PICTURE_PIXELS (a small file can decode to gigabytes). What is stored is a new
JPEG drawn from the pixels, turned upright by its EXIF orientation and at most STORED_MAX_SIDE
pixels a side: no metadata (a phone photo's GPS position) and nothing but an image survives, and
the pages load a picture of the size they show.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000
STORED_MAX_SIDE = 1600
JPEG_QUALITY = 85


class PictureError(ValueError):
    """The upload is not a picture we store; the message says why, for the form."""


def stored_picture(upload) -> ContentFile:
    """The JPEG to store for an uploaded file (anything with `size` and `read`), or PictureError."""
    if upload.size > MAX_PICTURE_BYTES:
        raise PictureError(f"The picture is {upload.size / 1024 / 1024:.1f} MB; at most "
                           f"{MAX_PICTURE_BYTES // 1024 // 1024} MB, please.")
    try:
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise PictureError("Upload a JPEG, PNG or WebP picture.")
            if image.width * image.height > MAX_PICTURE_PIXELS:
                raise PictureError(f"The picture is {image.width} × {image.height} pixels; "
                                   f"at most {MAX_PICTURE_PIXELS // 1_000_000} megapixels, please.")
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
            encoded = BytesIO()
            flattened(upright).save(encoded, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except PictureError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise PictureError("That file is not a picture we can read: upload a JPEG, PNG or WebP.") from error
    return ContentFile(encoded.getvalue(), name="picture.jpg")


def flattened(image: Image.Image) -> Image.Image:
    """RGB pixels for JPEG: a transparent picture is laid on white, as the page shows it."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
