"""An admin panel on the charter's edit page: the amendments adopted into the drafts and not
yet published, so that the editor who publishes knows what goes live."""

from wagtail.admin.panels import Panel


class AdoptedAmendmentsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "commandements/admin/adopted_amendments_panel.html"

        def _pending(self):
            from .models import Amendment

            if not getattr(self.instance, "pk", None):
                return []
            return list(Amendment.objects.filter(charter_id=self.instance.pk, status=Amendment.Status.ADOPTED,
                                                 wording__isnull=True).select_related("author", "charter"))

        def is_shown(self):
            self.pending = self._pending()
            return bool(self.pending) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["pending"] = getattr(self, "pending", None) or self._pending()
            return context
