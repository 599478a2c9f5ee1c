"""Images uploaded by people (visit photos, attachments, photos of answer sheets) are
checked for their size before anything decodes their pixels."""

import warnings

from django.conf import settings
from PIL import Image


def too_many_pixels(file) -> bool:
    """Whether the image's header declares more than WAGTAILIMAGES_MAX_IMAGE_PIXELS,
    read before anything decodes its pixels; False for what is not an image (the
    caller's own check says so). (Pillow's own check, at the same limit, raises a
    warning that cms.apps turns into an error; it is made one here too so the check
    does not rest on that.) Leaves the file at its start."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return True
    except (OSError, ValueError, SyntaxError):
        return False
    finally:
        file.seek(0)
    return width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
