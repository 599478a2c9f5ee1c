from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cms.urls import urlpatterns as project_urlpatterns


@csrf_exempt
def bare_insert(request):
    """The baseline: a Django view that reads one field and inserts one row."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (token) VALUES (%s)", [request.POST.get("token")])
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare_insert), *project_urlpatterns]
