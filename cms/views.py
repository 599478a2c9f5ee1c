from django.shortcuts import render
from wagtail.documents.views.serve import serve

from cms.services import document_count_download


def download(request, document_id: int, document_filename: str):
    """/unduh/<id>/<filename>: Wagtail's document serving (privacy checks, storage
    redirects, ETags) plus a download count for each successful download."""
    response = serve(request, document_id, document_filename)
    if response.status_code in (200, 302):
        document_count_download(document_id=document_id)
    return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
