import factory
from factory.django import DjangoModelFactory

from cms.models import MaterialDocument, MaterialFile, MaterialPage, Topic


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topik {n}")
    slug = factory.Sequence(lambda n: f"topik-{n}")


class MaterialDocumentFactory(DjangoModelFactory):
    class Meta:
        model = MaterialDocument

    title = factory.Sequence(lambda n: f"Dokumen {n}")
    file = factory.django.FileField(filename="materi.pdf", data=b"%PDF-1.4\n% test file\n")
    file_size = 21


def make_material(parent, *, topics=(), audiences=(), documents=None, **fields) -> MaterialPage:
    """A published material under `parent` with one file unless `documents` is given."""
    fields.setdefault("title", f"Materi {MaterialPage.objects.count() + 1}")
    fields.setdefault("summary", "Ringkasan materi.")
    fields.setdefault("format", "poster")
    page = MaterialPage(**fields)
    page.topics = list(topics)
    page.audiences = list(audiences)
    documents = [MaterialDocumentFactory()] if documents is None else documents
    page.files = [MaterialFile(document=document) for document in documents]
    parent.add_child(instance=page)
    return page
