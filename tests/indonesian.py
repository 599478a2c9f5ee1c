"""The admin's text as users read it, for tests of strings the catalogue may not have
yet: the lead translates new strings after merging."""

from django.utils import translation


def indonesian(msgid: str, **values) -> str:
    """`msgid` as the Indonesian admin shows it, with `values` filled in."""
    with translation.override("id"):
        text = translation.gettext(msgid)
    return text % values if values else text
