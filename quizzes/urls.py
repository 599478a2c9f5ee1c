from django.urls import path

from quizzes import teacher_views, views

app_name = "quizzes"

urlpatterns = [
    path("q/<str:code>/", views.take, name="take"),
    path("q/<str:code>/hasil/<str:token>/", views.result, name="result"),
    path("q/<str:code>/berikutnya/", views.next_student, name="next_student"),
    path("q/<str:code>/qr.svg", views.qr_svg, name="qr_svg"),
    path("q/<str:code>/qr.png", views.qr_png, name="qr_png"),
    path("q/<str:code>/poster.pdf", views.poster, name="poster"),
    path("v/<str:code>/", views.verify, name="verify"),
    path("sertifikat/<str:key>.pdf", views.certificate_download, name="certificate"),
    path("guru/<str:key>/", teacher_views.teacher_page, name="teacher"),
    path(
        "guru/<str:key>/sertifikat/",
        teacher_views.certificates_page,
        name="teacher_certificates",
    ),
    path(
        "guru/<str:key>/sertifikat.pdf",
        teacher_views.certificates_pdf,
        name="teacher_certificates_pdf",
    ),
]
