from django.db.models import Prefetch, QuerySet

from cms.models import Audience, MaterialFile, MaterialPage, Topic


def material_list(
    *,
    index_page=None,
    query: str = "",
    topic: Topic | None = None,
    audience: Audience | None = None,
    material_format: str = "",
) -> QuerySet[MaterialPage]:
    """Live, public materials, newest first, narrowed by any combination of filters."""
    materials = MaterialPage.objects.live().public()
    if index_page is not None:
        materials = materials.child_of(index_page)
    if topic is not None:
        materials = materials.filter(topics=topic)
    if audience is not None:
        materials = materials.filter(audiences=audience)
    if material_format:
        materials = materials.filter(format=material_format)
    if query:
        # Wagtail search cannot filter on many-to-many fields, so search first and
        # narrow the filtered queryset to the matches.
        matches = MaterialPage.objects.live().search(query, operator="and")
        materials = materials.filter(pk__in=[page.pk for page in matches])
    return (
        materials.select_related("cover_image")
        .prefetch_related("topics", Prefetch("files", queryset=file_queryset()))
        .order_by("-first_published_at", "-pk")
    )


def file_queryset() -> QuerySet[MaterialFile]:
    return MaterialFile.objects.select_related("document").order_by("sort_order")
