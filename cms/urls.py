from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("unduh/<int:document_id>/<str:document_filename>", views.download, name="download"),
    # Wagtail's own document address serves the same files: count those downloads too.
    path("documents/<int:document_id>/<str:document_filename>", views.download),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("campaigns.urls")),
    path("", include("quizzes.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
