"""Page review per mairie: when a mairie asks for it (Mairie.pages_reviewed), a page its editors
write is published once another of its editors approves it.

Wagtail lets whoever holds `publish_page` publish directly, workflow or not; so in such a mairie the
editors' group keeps add/change/lock but loses `publish_page` (cms.apps grants it per mairie), and
the mairie's home page (so its whole tree) gets the workflow « Relecture · <slug> », one
SecondEditorApprovalTask whose group is the mairie's editors' group: any of them but the one who
submitted approves, which publishes. Turned off, the workflow is deactivated (pages in review go
back to draft, Wagtail's own behaviour) and the editors publish again.

Other writes that publish a page through a service (a charter adopting its amendments, an
organiser's call under Occupai) follow their own rules, not this one."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from . import roles
from .mairie_groups import group_name, mairie_group
from .models import SecondEditorApprovalTask


def workflow_name(mairie) -> str:
    return _("Relecture · %(slug)s") % {"slug": mairie.slug}


def review_workflow(mairie):
    """The mairie's review workflow, when it has one (active or not): the one whose task its
    editors' group approves."""
    link = (WorkflowTask.objects.filter(task__in=SecondEditorApprovalTask.objects.filter(
        groups__name=group_name(mairie, roles.EDITORS))).select_related("workflow").first())
    return link.workflow if link is not None else None


@transaction.atomic
def sync_review(mairie):
    """The mairie's review workflow as its `pages_reviewed` says (idempotent). Wagtail's
    deactivate() also takes it off the pages and sends the pages in review back to draft."""
    workflow = review_workflow(mairie)
    if not mairie.pages_reviewed:
        if workflow is not None and workflow.active:
            workflow.deactivate()
        return workflow
    if workflow is None:
        editors = mairie_group(mairie, roles.EDITORS)
        workflow = Workflow.objects.create(name=workflow_name(mairie))
        task = SecondEditorApprovalTask.objects.create(name=_("Relecture par un·e second·e éditeur·rice"))
        task.groups.set([editors])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
        workflow.tasks.filter(active=False).update(active=True)
    WorkflowPage.objects.update_or_create(page_id=mairie.site.root_page_id, defaults={"workflow": workflow})
    return workflow


def on_mairie_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.site_id and instance.site.root_page_id:
        sync_review(instance)

