"""One request-free way to turn a template into a PDF.

Only local files and data: URIs are fetched (no network): a PDF is built the same on
a worker with no internet as on a laptop, and user input cannot make the server fetch
a URL.

WeasyPrint is imported on first use: loading it (Pango through cffi) takes about half
a second and tens of megabytes, which every other process (commands, most web requests)
does without.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cms.district import district_zone, profile


def render_to_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_pdf_html(template_name, context))


def render_pdf_html(template_name: str, context: dict) -> str:
    """The HTML of a PDF: `template_name`, which also gets `district_profile` (naming
    the office), with times in the district's zone."""
    with timezone.override(district_zone()):
        return render_to_string(template_name, {"district_profile": profile(), **context})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    base_url = (settings.BASE_DIR / "static").as_uri() + "/"
    # A fetcher per document: it keeps per-request state, and web threads share code.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
