from django.urls import path

from campaigns import views

urlpatterns = [
    path("sosialisasi/ajukan/", views.visit_request, name="visit_request"),
    path("sosialisasi/ajukan/terkirim/", views.visit_request_sent, name="visit_request_sent"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
