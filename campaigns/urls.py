from django.urls import path

from campaigns import views
from campaigns.calendar.views import calendar_feed

urlpatterns = [
    path("sosialisasi/ajukan/", views.visit_request, name="visit_request"),
    path("sosialisasi/ajukan/terkirim/", views.visit_request_sent, name="visit_request_sent"),
    path("kalender/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
