"""The visit photos field: photos of children checked from their header before
anything decodes them, and kept shrunk."""

import io
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images.fields import WagtailImageField

from cms.images import too_many_pixels


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# A visit photo is kept at most this many pixels on its longer side (about 3 MP).
PHOTO_MAX_SIDE = 2048


def shrunk(upload) -> ContentFile:
    """The photo as kept: at most PHOTO_MAX_SIDE pixels a side, upright, as JPEG and
    without its EXIF data (which says where it was taken). The original is decoded
    once, here (a JPEG straight at a fraction of its size when draft can), and shrunk
    by a whole factor, which needs no full-size intermediate as a resize would; every
    later check and every thumbnail of the visit page decodes the small copy. Raises
    OSError or ValueError for a file Pillow cannot read."""
    photo = ImageOps.exif_transpose(_reduced(upload), in_place=False).convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{Path(upload.name).stem}.jpg")


def _reduced(upload) -> PILImage.Image:
    """The upload at most PHOTO_MAX_SIDE a side; the full-size pixels are freed on
    return."""
    with PILImage.open(upload) as original:
        original.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        if original.mode not in ("RGB", "RGBA", "L", "LA"):
            original = original.convert("RGB")  # palette or CMYK: reduce() needs this
        factor = -(-max(original.size) // PHOTO_MAX_SIDE)  # rounded up
        return original.reduce(factor) if factor > 1 else original.copy()


class PhotosField(forms.FileField):
    """Several photos in one input. Each must be an image Wagtail accepts (JPG, PNG,
    GIF, WEBP...) of at most WAGTAILIMAGES_MAX_UPLOAD_SIZE and
    WAGTAILIMAGES_MAX_IMAGE_PIXELS; each is kept shrunk."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        image_field = WagtailImageField()
        errors, images = [], []
        for upload in files:
            if too_many_pixels(upload):
                errors.append(
                    _(
                        "%(name)s has more than %(max)d megapixels. Use the camera's normal "
                        "setting (12 MP), or send the photo through WhatsApp first: it "
                        "makes photos smaller."
                    )
                    % {"name": upload.name, "max": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 10**6}
                )
                continue
            if upload.size > image_field.max_upload_size:
                errors.append(
                    _("%(name)s is %(size)s; a photo may be at most %(max)s.")
                    % {
                        "name": upload.name,
                        "size": filesizeformat(upload.size),
                        "max": filesizeformat(image_field.max_upload_size),
                    }
                )
                continue
            try:
                images.append(image_field.clean(shrunk(upload)))
            except (ValidationError, OSError, ValueError, SyntaxError):
                errors.append(
                    _("%(name)s is not a photo (use JPG, PNG, GIF or WEBP).")
                    % {"name": upload.name}
                )
        if errors:
            errors.append(_("Choose the photos again: files are not kept after an error."))
            raise ValidationError(errors)
        return images
