from collections import defaultdict
from datetime import date

from django.db.models import Count, Prefetch, QuerySet, Sum

from cms.models import (
    Audience,
    DocumentDownloadDay,
    MaterialDocument,
    MaterialFile,
    MaterialPage,
    Topic,
)
from cms.search import material_query


def material_list(
    *,
    index_page=None,
    query: str = "",
    topic: Topic | None = None,
    audience: Audience | None = None,
    material_format: str = "",
    synonyms: dict[str, list[str]] | None = None,
) -> QuerySet[MaterialPage]:
    """Live, public materials, newest first, narrowed by any combination of filters.
    `query` is searched in Indonesian: by word roots, and by the `synonyms` of its
    words (SearchSettings.synonym_map; see cms/search.py)."""
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
        search = material_query(query, synonyms or {})
        if search is None:  # only punctuation: no word to look for
            return materials.none()
        # Wagtail search cannot filter on many-to-many fields, so search first and
        # narrow the filtered queryset to the matches.
        matches = MaterialPage.objects.live().search(search)
        materials = materials.filter(pk__in=[page.pk for page in matches])
    return (
        materials.select_related("cover_image")
        .prefetch_related("topics", Prefetch("files", queryset=file_queryset()))
        .order_by("-first_published_at", "-pk")
    )


def file_queryset() -> QuerySet[MaterialFile]:
    return MaterialFile.objects.select_related("document").order_by("sort_order")


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.all()


def downloads_by_topic(
    *, starts_on: date, ends_on: date, materials: QuerySet[MaterialPage] | None = None
) -> tuple[list, int]:
    """Downloads of the material files (of `materials` only, if given) from `starts_on`
    to `ends_on` (local days, both included) by topic, in topic order, and in all:
    ([(topic name, downloads), ...], total). A file counts once per topic of its
    material, and once in the total. Two queries."""
    files = MaterialFile.objects.all()
    if materials is not None:
        files = files.filter(page__in=materials)
    pairs = files.values_list("page__topics__name", "page__topics__sort_order", "document_id")
    by_topic: dict[tuple, set] = defaultdict(set)
    documents: set[int] = set()
    for name, order, document_id in pairs.distinct().order_by():
        documents.add(document_id)
        if name is not None:
            by_topic[(order, name)].add(document_id)
    counts = dict(
        DocumentDownloadDay.objects.filter(
            document_id__in=documents, day__gte=starts_on, day__lte=ends_on
        )
        .values_list("document_id")
        .annotate(Sum("count"))
        .order_by()
    )
    downloads = [
        (name, sum(counts.get(pk, 0) for pk in ids))
        for (_order, name), ids in sorted(by_topic.items())
    ]
    return downloads, sum(counts.values())


def downloads_fingerprint() -> dict:
    """Something that changes with every download and every document added or removed
    (one small query), for caches of download figures."""
    return MaterialDocument.objects.aggregate(downloads=Sum("download_count"), n=Count("pk"))
