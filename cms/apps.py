from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        from cms import lookups

        lookups.register()
        _escape_formulas_in_wagtail_exports()


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
