import pytest
from django.core.exceptions import ValidationError

from cms.errors import Conflict, NotAllowed
from participation import selectors as engine_selectors
from participation import services as engine
from participation.bureau import selectors, services
from participation.bureau.models import Project, Status
from participation.models import AuditEntry, Notification, Quartier
from tests.factories import resident
from tests.factories.bureau import ProjectFactory

DATA = {"title": "Des jardinières rue de Tanger", "summary": "Fleurir la rue avec les voisins.",
        "description": "Six jardinières entretenues par les habitants de l'immeuble."}


@pytest.fixture
def villette(mairie19):
    return Quartier.objects.create(mairie=mairie19, name="Villette", slug="villette")


def test_a_resident_creates_a_draft_then_submits_it(resident19, mairie19, villette):
    project = services.project_create(author=resident19, mairie=mairie19, data={**DATA, "quartier": villette},
                                      tags=["jardin", "rue"])
    assert project.status == Status.DRAFT and not project.is_public()
    assert set(project.tags.names()) == {"jardin", "rue"}
    assert engine_selectors.is_following(resident19, project)
    services.project_submit(actor=resident19, project=project)
    project.refresh_from_db()
    assert project.status == Status.SUBMITTED and not project.is_public()


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "titre"), ("summary", "   ", "phrase"), ("title", "x" * 121, "120"),
    ("needs", ["wishes"], "inconnu"),
])
def test_bad_input_is_refused_and_nothing_is_saved(resident19, mairie19, field, value, message):
    with pytest.raises(ValidationError, match=message):
        services.project_create(author=resident19, mairie=mairie19, data={**DATA, field: value})
    assert not Project.objects.exists()


def test_a_quartier_of_another_mairie_is_refused(resident19, mairie19, mairie20):
    elsewhere = Quartier.objects.create(mairie=mairie20, name="Belleville", slug="belleville")
    with pytest.raises(ValidationError, match="quartier"):
        services.project_create(author=resident19, mairie=mairie19, data={**DATA, "quartier": elsewhere})


def test_residents_of_another_mairie_cannot_submit_here(resident20, mairie19):
    with pytest.raises(NotAllowed):
        services.project_create(author=resident20, mairie=mairie19, data=DATA)


def test_organiser_accepts_then_the_project_is_public_with_its_timeline(resident19, organiser19, mairie19,
                                                                        on_commit, mailoutbox):
    project = services.project_create(author=resident19, mairie=mairie19, data=DATA, submit=True)
    with on_commit(execute=True):
        services.project_transition(actor=organiser19, project=project, to_status=Status.UNDER_REVIEW,
                                    rationale="Bienvenue au Bureau : nous étudions votre projet.")
    project.refresh_from_db()
    assert project.is_public() and project.published_at is not None
    timeline = engine_selectors.public_timeline(project)
    assert [e.action for e in timeline] == ["submitted", "transition"]
    assert timeline[-1].reason.startswith("Bienvenue")
    note = Notification.objects.get(user=resident19, verb="status")
    assert "À l'étude" in note.title
    assert [m.to for m in mailoutbox] == [[resident19.email]]


def test_the_pipeline_refuses_a_transition_it_does_not_allow(organiser19, mairie19):
    project = ProjectFactory(mairie=mairie19, status=Status.LAUNCHED)
    with pytest.raises(Conflict, match="ne peut pas passer"):
        services.project_transition(actor=organiser19, project=project, to_status=Status.SUBMITTED, rationale="Oups")
    project.refresh_from_db()
    assert project.status == Status.LAUNCHED
    assert not AuditEntry.objects.exists()


def test_declined_is_possible_from_submitted_or_under_review_only(organiser19, mairie19):
    for start, ok in [(Status.SUBMITTED, True), (Status.UNDER_REVIEW, True), (Status.INCUBATED, False)]:
        project = ProjectFactory(mairie=mairie19, status=start)
        if ok:
            services.project_transition(actor=organiser19, project=project, to_status=Status.DECLINED,
                                        rationale="Hors du champ de la mairie.")
        else:
            with pytest.raises(Conflict):
                services.project_transition(actor=organiser19, project=project, to_status=Status.DECLINED,
                                            rationale="Non.")


def test_a_transition_needs_a_rationale_and_an_organiser_of_that_mairie(organiser19, agent19, mairie20):
    project = ProjectFactory(mairie=organiser19.mairie, status=Status.SUBMITTED)
    with pytest.raises(ValidationError, match="Expliquez"):
        services.project_transition(actor=organiser19, project=project, to_status=Status.UNDER_REVIEW, rationale=" ")
    with pytest.raises(NotAllowed):
        services.project_transition(actor=agent19, project=project, to_status=Status.UNDER_REVIEW, rationale="ok")
    other = ProjectFactory(mairie=mairie20, status=Status.SUBMITTED)
    with pytest.raises(NotAllowed):
        services.project_transition(actor=organiser19, project=other, to_status=Status.UNDER_REVIEW, rationale="ok")


def test_votes_on_declined_or_hidden_projects_are_refused(mairie19):
    from cms.errors import ServiceError

    declined = ProjectFactory(mairie=mairie19, status=Status.DECLINED)
    with pytest.raises(ServiceError, match="ne reçoit pas"):
        engine.support_add(user=resident(mairie19), target=declined)
    hidden = ProjectFactory(mairie=mairie19, is_hidden=True)
    with pytest.raises(NotAllowed):
        engine.support_add(user=resident(mairie19), target=hidden)


def test_authors_edit_only_until_the_first_support(resident19, mairie19, on_commit):
    project = ProjectFactory(mairie=mairie19, author=resident19, status=Status.UNDER_REVIEW)
    services.project_update(actor=resident19, project=project, data={"title": "Un meilleur titre"})
    supporter = resident(mairie19)
    engine.support_add(user=supporter, target=project)
    with pytest.raises(Conflict, match="soutiens"):
        services.project_update(actor=resident19, project=project, data={"title": "Encore un autre"})
    project.refresh_from_db()
    assert project.title == "Un meilleur titre"


def test_supporters_are_told_when_the_project_is_edited(resident19, mairie19):
    project = ProjectFactory(mairie=mairie19, author=resident19, status=Status.UNDER_REVIEW)
    follower = resident(mairie19)
    engine.follow_add(user=follower, target=project)
    services.project_update(actor=resident19, project=project, data={"summary": "Plus clair."})
    assert Notification.objects.filter(user=follower, verb="edited").exists()
    assert not Notification.objects.filter(user=resident19, verb="edited").exists()


def test_anonymous_publication_hides_the_name_from_the_public(resident19, mairie19):
    project = ProjectFactory(mairie=mairie19, author=resident19, author_anonymous=True)
    assert project.proposer_label == "un·e habitant·e du quartier"
    assert resident19.public_name not in str(project.proposer_label)


def test_similar_projects_are_suggested(mairie19):
    ProjectFactory(mairie=mairie19, title="Un composteur partagé square de la Villette",
                   summary="Composter nos épluchures ensemble.")
    ProjectFactory(mairie=mairie19, title="Des cours de vélo", summary="Apprendre à rouler.")
    found = selectors.similar_projects(mairie19, "Composteur collectif à la Villette", "")
    assert [p.title for p in found] == ["Un composteur partagé square de la Villette"]


def test_author_news_only_on_incubated_projects(resident19, mairie19):
    project = ProjectFactory(mairie=mairie19, author=resident19, status=Status.UNDER_REVIEW)
    with pytest.raises(NotAllowed):
        services.project_post_update(actor=resident19, project=project, text="Ça avance")
    project.status = Status.INCUBATED
    project.save()
    update = services.project_post_update(actor=resident19, project=project, text="Le local est trouvé.")
    assert update.project == project
