"""The wiki's rules: revisions with notes, restore, no empty edit, variants, feedback and adoption."""

import pytest
from django.core.exceptions import ValidationError

from bricolages import content, selectors, services
from bricolages.models import BricolageChange, BricolagePage, Feedback
from bricolages.services import BricolageInput, StepInput
from cms.errors import NotAllowed
from participation.models import Follow, Notification
from tests.factories import agent, resident
from tests.factories.bricolages import bricolage, bricolage_input, png_upload


def _edit(page, user, note="Une amélioration", **changes):
    data = BricolageInput.from_page(BricolagePage.objects.get(pk=page.pk))
    for name, value in changes.items():
        setattr(data, name, value)
    return services.bricolage_update(user=user, bricolage=page, data=data, change_note=note)


def test_publishing_creates_a_live_page_outside_every_site_with_its_first_revision(queue_tool, agent19, mairie19):
    assert queue_tool.live
    assert queue_tool.get_parent().specific_class.__name__ == "BricolageIndexPage"
    assert queue_tool.get_parent().depth == 2  # beside the mairies' home pages, in no Site
    assert queue_tool.author == agent19 and queue_tool.mairie == mairie19
    change = BricolageChange.objects.get(bricolage=queue_tool)
    assert change.kind == "created" and change.note == "Première version" and change.user == agent19
    assert queue_tool.get_absolute_url() == f"/bricolages/{queue_tool.pk}/"
    assert queue_tool.get_url().endswith(f"/bricolages/{queue_tool.pk}/")
    assert Follow.objects.filter(user=agent19, object_id=queue_tool.pk).exists()


def test_any_agent_of_any_mairie_improves_any_bricolage_as_a_new_revision(queue_tool, agent20, mairie20):
    updated = _edit(queue_tool, agent20, note="Ajout d'un minuteur", materials="Un tableur et un minuteur.")
    assert updated.materials == "Un tableur et un minuteur."
    assert updated.author_id == queue_tool.author_id  # the author stays the author
    revisions = list(selectors.revisions(updated))
    assert len(revisions) == 2
    assert revisions[0].user == agent20
    assert revisions[0].bricolage_change.note == "Ajout d'un minuteur"
    assert revisions[0].bricolage_change.mairie == mairie20
    assert [p.pk for p in selectors.contributors(updated)] == [queue_tool.author_id, agent20.pk]


def test_the_author_is_notified_when_someone_improves_their_bricolage(queue_tool, agent19, agent20):
    _edit(queue_tool, agent20, title="Tableur de file d'attente, version 2")
    note = Notification.objects.get(user=agent19, verb="bricolage_edited")
    assert "version 2" in note.title and note.url == f"/bricolages/{queue_tool.pk}/"
    assert not Notification.objects.filter(user=agent20, verb="bricolage_edited").exists()


def test_an_edit_that_changes_nothing_is_refused_and_leaves_no_revision(queue_tool, agent20):
    with pytest.raises(ValidationError, match="Aucune modification"):
        _edit(queue_tool, agent20)
    with pytest.raises(ValidationError, match="Aucune modification"):
        _edit(queue_tool, agent20, tags=["Accueil", "ÉTAT CIVIL"])  # same tags, other case
    assert queue_tool.revisions.count() == 1
    assert BricolageChange.objects.count() == 1


def test_an_edit_needs_a_change_note(queue_tool, agent20):
    with pytest.raises(ValidationError) as error:
        _edit(queue_tool, agent20, note="  ", title="Autre titre")
    assert "change_note" in error.value.message_dict
    assert BricolagePage.objects.get(pk=queue_tool.pk).title == "Tableur de file d'attente"


def test_restoring_an_old_version_is_a_new_revision_and_keeps_the_whole_bricolage_fields(queue_tool, agent20, agent19):
    first = queue_tool.live_revision
    _edit(queue_tool, agent20, title="Titre changé", steps=[StepInput(text="Une seule étape.")])
    BricolagePage.objects.filter(pk=queue_tool.pk).update(comments_count=7)
    restored = services.bricolage_restore(user=agent19, bricolage=queue_tool, revision=first)
    assert restored.title == "Tableur de file d'attente"
    assert len(restored.step_list) == 2 and restored.step_list[0]["image"] is not None
    assert [a.title for a in restored.attachments.all()] == ["modele.csv"]
    assert restored.comments_count == 7  # the engine's counters are not rolled back
    assert restored.author_id == agent19.pk
    assert restored.revisions.count() == 3
    change = restored.revisions.order_by("-created_at", "-id").first().bricolage_change
    assert change.kind == "restored" and change.restored_from == first and change.note.startswith("Restauration")


def test_restoring_the_current_version_is_refused(queue_tool, agent20):
    with pytest.raises(ValidationError, match="identique"):
        services.bricolage_restore(user=agent20, bricolage=queue_tool, revision=queue_tool.live_revision)
    assert queue_tool.revisions.count() == 1


def test_a_revision_of_another_bricolage_cannot_be_restored(queue_tool, agent19, agent20):
    other = bricolage(agent20)
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.bricolage_restore(user=agent19, bricolage=queue_tool, revision=other.live_revision)


def test_the_difference_between_two_versions_lists_only_what_changed(queue_tool, agent20):
    first = queue_tool.live_revision
    updated = _edit(queue_tool, agent20, materials="Un tableur et un minuteur.")
    sections = content.diff(first.as_object(), updated.live_revision.as_object())
    assert [s.label for s in sections] == ["Outils et matériel"]
    assert ("delete", "Un tableur, une imprimante.") in sections[0].lines
    assert ("insert", "Un tableur et un minuteur.") in sections[0].lines


def test_steps_keep_their_order_and_pictures_need_an_alternative_text(agent19):
    with pytest.raises(ValidationError) as error:
        bricolage(agent19, steps=[StepInput(text="Photographier.", upload=png_upload(), alt="")])
    assert "texte alternatif" in " ".join(error.value.message_dict["steps"])
    with pytest.raises(ValidationError) as error:
        bricolage(agent19, steps=[StepInput(text=" ")])
    assert "au moins une étape" in " ".join(error.value.message_dict["steps"])
    page = bricolage(agent19, steps=[StepInput(text="Un"), StepInput(text=""), StepInput(text="Deux")])
    assert [s["text"] for s in page.step_list] == ["Un", "Deux"]
    assert BricolagePage.objects.count() == 1


def test_a_step_image_must_come_from_the_bricolages_collection(agent19):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    foreign = get_image_model().objects.create(title="Affiche", file=png_upload(), collection=Collection.get_first_root_node())
    with pytest.raises(ValidationError, match="n'appartient pas aux bricolages"):
        bricolage(agent19, steps=[StepInput(text="Un", image=foreign, alt="Une affiche")])


def test_residents_and_agents_without_mairie_cannot_publish(mairie19):
    with pytest.raises(NotAllowed):
        services.bricolage_create(author=resident(mairie19), data=bricolage_input())
    nomad = agent(None)
    with pytest.raises(NotAllowed, match="aucune mairie"):
        services.bricolage_create(author=nomad, data=bricolage_input())
    assert not BricolagePage.objects.exists()


# --- variants --------------------------------------------------------------------------------


def test_a_variant_links_both_ways_and_inherits_files(queue_tool, agent20):
    data = BricolageInput.from_page(queue_tool, title="File d'attente avec écran")
    variant = services.bricolage_create(author=agent20, data=data, variant_of=queue_tool)
    assert variant.variant_of == queue_tool
    assert list(selectors.variants(queue_tool)) == [variant]
    assert [a.title for a in variant.attachments.all()] == ["modele.csv"]
    assert variant.attachments.first().pk != queue_tool.attachments.first().pk
    assert BricolageChange.objects.get(bricolage=variant).note == "Variante de « Tableur de file d'attente »"
    assert selectors.stats_for(queue_tool)["variants_count"] == 1


def test_a_variant_identical_to_its_parent_is_refused(queue_tool, agent20):
    with pytest.raises(ValidationError, match="identique au bricolage d'origine"):
        services.bricolage_create(author=agent20, data=BricolageInput.from_page(queue_tool), variant_of=queue_tool)


def test_the_family_tree_goes_from_the_original_to_every_descendant(queue_tool, agent19, agent20, organiser19):
    child = bricolage(agent20, variant_of=queue_tool, title="Enfant")
    grandchild = bricolage(organiser19, variant_of=child, title="Petit-enfant")
    sibling = bricolage(agent19, variant_of=queue_tool, title="Frère")
    unrelated = bricolage(agent19, title="Sans rapport")
    assert selectors.ancestors(grandchild) == [queue_tool, child]
    root, size = selectors.family_tree(grandchild)
    assert size == 4 and unrelated.pk not in {root.bricolage.pk}
    assert root.bricolage == queue_tool
    assert [n.bricolage for n in root.children] == [child, sibling]
    assert root.children[0].children[0].bricolage == grandchild and root.children[0].children[0].current
    sections = content.diff(child, grandchild)
    assert sections[0].label == "Titre"


def test_related_bricolages_share_tags_or_tools_or_family(queue_tool, agent20):
    same_tag = bricolage(agent20, title="Affiche d'accueil", tags=["accueil"], tools=["Plastifieuse"])
    unrelated = bricolage(agent20, title="Autre chose", tags=["salles"], tools=["Boîte à clés"])
    variant = bricolage(agent20, variant_of=queue_tool, title="Variante", tags=["salles"], tools=["Boîte à clés"])
    suggestions = selectors.related(queue_tool)
    assert same_tag in suggestions and variant in suggestions
    assert unrelated not in suggestions and queue_tool not in suggestions


# --- feedback and adoption -------------------------------------------------------------------


def test_adoption_counts_mairies_where_it_works_not_agents(queue_tool, agent19, agent20, mairie20, mairie19):
    second20 = agent(mairie20, username="agent20c")
    services.feedback_record(user=agent20, bricolage=queue_tool, outcome="worked", note="Adopté au 20e.")
    services.feedback_record(user=second20, bricolage=queue_tool, outcome="partly", note="Adapté.")
    assert selectors.stats_for(queue_tool)["adoption_count"] == 1
    assert [(r["mairie"], r["agents"]) for r in selectors.adoption(queue_tool)] == [(mairie20, 2)]
    failing = agent(mairie19, username="agent19b")
    services.feedback_record(user=failing, bricolage=queue_tool, outcome="failed", note="Pas pour nous.")
    assert selectors.stats_for(queue_tool)["adoption_count"] == 1
    services.feedback_record(user=agent19, bricolage=queue_tool, outcome="worked", note="On l'utilise.")
    assert selectors.stats_for(queue_tool)["adoption_count"] == 2
    assert [r["mairie"] for r in selectors.adoption(queue_tool)] == [mairie19, mairie20]


def test_recording_feedback_again_updates_it(queue_tool, agent20):
    services.feedback_record(user=agent20, bricolage=queue_tool, outcome="failed", note="Bloqué.")
    services.feedback_record(user=agent20, bricolage=queue_tool, outcome="worked", note="Ça marche finalement.")
    feedback = Feedback.objects.get()
    assert feedback.outcome == "worked" and feedback.note == "Ça marche finalement."


@pytest.mark.parametrize(("outcome", "note", "field"), [("maybe", "Une note", "outcome"), ("worked", "  ", "note")])
def test_bad_feedback_is_refused(queue_tool, agent20, outcome, note, field):
    with pytest.raises(ValidationError) as error:
        services.feedback_record(user=agent20, bricolage=queue_tool, outcome=outcome, note=note)
    assert field in error.value.message_dict
    assert not Feedback.objects.exists()


def test_hidden_bricolages_disappear_for_agents_but_not_for_the_mairies_organisers(queue_tool, agent20, organiser19):
    from participation import services as engine

    engine.moderation_hide(actor=organiser19, target=queue_tool, reason="Données personnelles dans l'image")
    assert not selectors.bricolage_list(agent20).exists()
    with pytest.raises(Exception) as error:
        selectors.get_bricolage(agent20, queue_tool.pk)
    assert error.type.__name__ == "Http404"
    assert selectors.get_bricolage(organiser19, queue_tool.pk) == queue_tool
    with pytest.raises(NotAllowed):
        services.rating_set(user=agent20, bricolage=BricolagePage.objects.get(pk=queue_tool.pk), stars=4)
