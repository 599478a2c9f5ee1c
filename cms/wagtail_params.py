"""Query parameters that Wagtail's own admin views hand to the database unchecked."""

from django.http import Http404, HttpResponseBadRequest
from wagtail.api.v2.views import BaseAPIViewSet

from cms.forms import id_param


class WagtailParamsMiddleware:
    """Wagtail's bulk actions query their ?id= as given, so "²" (a digit to
    str.isdigit(), not to int()) or a NUL byte raised ValueError or DataError in the
    ORM; its admin API slices by ?offset= as given, so an offset beyond a bigint
    overflowed the database. Both were server errors: here a bad id is "not found"
    and an offset no table reaches a bad request, before Wagtail's view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name == "wagtail_bulk_action":
            ids = request.GET.getlist("id")
            if any(value != "all" and id_param(value) is None for value in ids):
                raise Http404
        elif issubclass(getattr(view_func, "cls", object), BaseAPIViewSet):
            for name in ("offset", "limit"):
                value = request.GET.get(name)
                if value is not None and id_param(value) is None:
                    return HttpResponseBadRequest(f"{name} must be a positive integer")
        return None
