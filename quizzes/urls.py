from django.urls import path

from quizzes import teacher_views, views

app_name = "quizzes"

# Keys and tokens are URL-safe base64 (secrets.token_urlsafe): `slug` matches exactly those
# characters, so an address holding anything else (a NUL byte, which PostgreSQL refuses
# to compare) is a 404 before any query.
urlpatterns = [
    path("q/<str:code>/", views.take, name="take"),
    path("q/<str:code>/hasil/<slug:token>/", views.result, name="result"),
    path("q/<str:code>/berikutnya/", views.next_student, name="next_student"),
    path("q/<str:code>/qr.svg", views.qr_svg, name="qr_svg"),
    path("q/<str:code>/qr.png", views.qr_png, name="qr_png"),
    path("q/<str:code>/poster.pdf", views.poster, name="poster"),
    path("v/<str:code>/", views.verify, name="verify"),
    path("sertifikat/<slug:key>.pdf", views.certificate_download, name="certificate"),
    path("guru/<slug:key>/", teacher_views.teacher_page, name="teacher"),
    path(
        "guru/<slug:key>/sertifikat/",
        teacher_views.certificates_page,
        name="teacher_certificates",
    ),
    path(
        "guru/<slug:key>/sertifikat.pdf",
        teacher_views.certificates_pdf,
        name="teacher_certificates_pdf",
    ),
]
