"""Serializer fields for ids in request bodies: only values a 64-bit primary key can hold reach the
database (see cms.validation); anything else is a 400 with a French message."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cms.validation import MAX_ID

ID_MESSAGES = {
    "invalid": _("Identifiant invalide : un nombre entier est attendu."),
    "min_value": _("Identifiant invalide : un nombre entier à partir de {min_value} est attendu."),
    "max_value": _("Identifiant invalide : un nombre entier jusqu'à {max_value} est attendu."),
}


class IdField(serializers.IntegerField):
    """An integer id, from 1 to 2^63-1."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs["error_messages"] = {**ID_MESSAGES, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """PrimaryKeyRelatedField that refuses an out-of-range id before looking it up: a page's
    primary key is a foreign key (page_ptr), which Django does not guard against overflow."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and data.strip().isascii() and data.strip().isdigit():
            data = int(data.strip())
        if isinstance(data, int) and not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
