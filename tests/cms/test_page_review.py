"""Page review per mairie (cms.moderation): in a mairie whose pages are reviewed, an editor's page is
submitted, another editor of the mairie approves it, which publishes it; its author cannot approve it,
nor can an editor of another mairie; turned off, editors publish again. Through Wagtail's own admin
views, as editors meet them."""

from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms import mairie_setup
from cms.models import SecondEditorApprovalTask, StandardPage
from cms.moderation import review_workflow
from tests.conftest import HOST20, client_as
from tests.factories import editor


def _page_form(**changes):
    return nested_form_data({"title": "Le marché de Noël", "slug": "marche-de-noel", "intro": "Place des Fêtes",
                             "body": streamfield([]), "comments": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
                             **changes})


def _reviewed(mairie):
    return mairie_setup.mairie_update(mairie=mairie, pages_reviewed=True)


def test_a_page_is_published_when_another_editor_approves_it(site_ctx, mairie19):
    _reviewed(mairie19)
    home = site_ctx.homes["paris19"]
    author, reviewer = editor(mairie19, username="autrice"), editor(mairie19, username="relectrice")
    writer = client_as(author)
    add = reverse("wagtailadmin_pages:add", args=["cms", "standardpage", home.pk])
    assert writer.post(add, {**_page_form(), "action-publish": "1"}).status_code == 302
    page = StandardPage.objects.get(slug="marche-de-noel")
    assert not page.live  # no publish permission: kept as a draft

    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = writer.post(edit, {**_page_form(), "action-submit": "1"})
    assert response.status_code == 302, response.context["form"].errors
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    task_state = state.current_task_state
    assert isinstance(task_state.task.specific, SecondEditorApprovalTask) and not page.live

    action = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    refused = writer.post(action, {})
    assert refused.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live  # the author cannot approve their own page
    outsider = client_as(editor(site_ctx.mairies["paris20"], username="editrice20"), host=HOST20)
    outsider.post(action, {})
    page.refresh_from_db()
    assert not page.live  # nor an editor of the 20e

    approved = client_as(reviewer).post(action, {})
    assert approved.status_code in (200, 302), approved
    page.refresh_from_db()
    assert page.live and WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_APPROVED
    assert page.title == "Le marché de Noël"


def test_the_review_is_a_choice_of_each_mairie_and_can_be_turned_off(site_ctx, mairie19, mairie20):
    _reviewed(mairie19)
    workflow = review_workflow(mairie19)
    assert workflow is not None and workflow.active and review_workflow(mairie20) is None
    home19 = Page.objects.get(pk=site_ctx.homes["paris19"].pk)
    assert home19.get_workflow() == workflow
    ed19, ed20 = editor(mairie19, username="ed-a"), editor(mairie20, username="ed-b")
    assert not home19.permissions_for_user(ed19).can_publish()
    assert Page.objects.get(pk=site_ctx.homes["paris20"].pk).permissions_for_user(ed20).can_publish()

    mairie_setup.mairie_update(mairie=mairie19, pages_reviewed=False)
    workflow.refresh_from_db()
    assert not workflow.active and Page.objects.get(pk=home19.pk).get_workflow() != workflow
    ed19 = type(ed19).objects.get(pk=ed19.pk)  # permissions are cached on the user object
    assert Page.objects.get(pk=home19.pk).permissions_for_user(ed19).can_publish()
    _reviewed(mairie19)  # on again: the same workflow, active
    assert review_workflow(mairie19).pk == workflow.pk and review_workflow(mairie19).active


def test_the_review_panel_lists_only_what_others_submitted(site_ctx, mairie19):
    _reviewed(mairie19)
    home = site_ctx.homes["paris19"]
    author, reviewer = editor(mairie19, username="auteur-p"), editor(mairie19, username="relecteur-p")
    page = home.add_child(instance=StandardPage(title="Vide-grenier", slug="vide-grenier", live=False))
    page.save_revision(user=author)
    review_workflow(mairie19).start(page, author)
    task = SecondEditorApprovalTask.objects.get()
    assert not task.get_task_states_user_can_moderate(author).exists()
    assert task.get_task_states_user_can_moderate(reviewer).count() == 1
    assert task.get_actions(Page.objects.get(pk=page.pk).specific, author) == []
    assert [name for name, *_rest in task.get_actions(Page.objects.get(pk=page.pk).specific, reviewer)] == [
        "reject", "approve", "approve"]
