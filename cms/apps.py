from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        from cms import lookups

        lookups.register()
        _read_the_district_profile_again_when_saved()
        _refuse_images_over_the_pixel_limit()
        _escape_formulas_in_wagtail_exports()


def _read_the_district_profile_again_when_saved():
    from django.db.models.signals import post_delete, post_save

    from cms import district
    from cms.district import DistrictProfile

    post_save.connect(district.forget, sender=DistrictProfile)
    post_delete.connect(district.forget, sender=DistrictProfile)


def _refuse_images_over_the_pixel_limit():
    """Wagtail checks an upload's pixels only after Willow has decoded the whole image
    (a 435 KB PNG of 12000 x 12000 took 550 MB to refuse), and renders renditions of
    whatever it holds. Pillow checks the size in the header when it opens a file, but
    only warns below twice its limit: with the limit at WAGTAILIMAGES_MAX_IMAGE_PIXELS
    and that warning an error, every image over the limit is refused on opening, before
    its pixels are decoded, wherever it is opened."""
    import warnings

    from django.conf import settings
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)


def _escape_formulas_in_wagtail_exports():
    """Wagtail's own CSV/XLSX exports (site history, page reports, listings) write cells
    as they are, so a school renamed "=HYPERLINK(...)" would run as a formula in the
    spreadsheet of whoever opens the export. Every value they write goes through the
    same escape as our own exports (cms.spreadsheets)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from cms.spreadsheets import formula_safe

    preprocess = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_formula_safe(self, field, value, export_format):
        return formula_safe(preprocess(self, field, value, export_format))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_formula_safe
