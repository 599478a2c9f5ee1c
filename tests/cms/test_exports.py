import io

from openpyxl import load_workbook
from wagtail.models import Page

from tests.downloads import csv_rows

FORMULA = '=HYPERLINK("http://contoh.test","klik")'


def test_wagtails_own_exports_neutralise_formulas(admin_client, home_page):
    """The site history lists page titles that editors typed: a title that is a
    formula stays text in the CSV and in the XLSX."""
    page = home_page.add_child(instance=Page(title=FORMULA, slug="rumus"))
    page.save_revision(log_action=True).publish()

    response = admin_client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    cells = [cell for row in csv_rows(response) for cell in row if "HYPERLINK" in cell]
    assert cells and all(cell.startswith("'=") for cell in cells)

    response = admin_client.get("/admin/reports/site-history/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    formulas = [cell for cell in cells if "HYPERLINK" in cell]
    assert formulas and all(cell.startswith("'=") for cell in formulas)
