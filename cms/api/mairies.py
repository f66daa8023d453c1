"""API viewsets over one mairie's objects: those of the mairie answering the request (by its host)."""

from cms.mairies import require_mairie


class MairieQuerysetMixin:
    """`mairie_queryset(mairie)` gives the viewset's objects on the request's mairie (404 on a host
    that is no mairie's). Schema generation has no request mairie: it gets an empty queryset of
    the output serializer's model."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.mairie_queryset(require_mairie(self.request))

    def mairie_queryset(self, mairie):
        raise NotImplementedError
