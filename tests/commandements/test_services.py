"""Amendments: the consultation window, bad input, withdrawal, adoption into a draft revision,
rejection with a public reason, and what publication records."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import PageLogEntry

from cms.errors import Conflict, NotAllowed, ServiceError
from participation import selectors as engine_selectors
from participation import services as engine
from participation.commandements import rules, selectors, services
from participation.commandements.models import Amendment
from participation.models import Notification
from tests.factories import resident
from tests.factories.commandements import publish_latest


def _propose(user, charter, number=3, **kwargs):
    kwargs.setdefault("proposed_mairie_commitment", "La mairie répond dans la semaine.")
    kwargs.setdefault("rationale", "Une semaine, c'est concret.")
    return services.amendment_submit(user=user, charter=charter, number=number, **kwargs)


def test_a_resident_proposes_and_follows_the_amendment(charter19, resident19):
    amendment = _propose(resident19, charter19)
    assert amendment.status == Amendment.Status.OPEN
    assert amendment.author_kind == Amendment.AuthorKind.RESIDENT
    assert amendment.mairie == charter19.mairie
    assert amendment.based_on == selectors.current_wordings(charter19)[3]
    assert engine_selectors.is_following(resident19, amendment)


def test_an_agents_contribution_is_labelled_and_signed(charter19, agent19):
    amendment = _propose(agent19, charter19)
    assert amendment.author_kind == Amendment.AuthorKind.AGENT
    assert not amendment.author_anonymous
    assert "Agent de la mairie" in amendment.public_author_label


def test_an_agent_asking_for_anonymity_is_refused_not_ignored(charter19, agent19):
    with pytest.raises(ValidationError) as caught:
        _propose(agent19, charter19, anonymous=True)
    assert "ne publient pas anonymement" in caught.value.message_dict["anonymous"][0]
    assert not Amendment.objects.exists()


def test_proposing_before_the_window_names_the_opening_date(mairie19, resident19):
    from tests.factories.commandements import make_charter

    opens = timezone.now() + timedelta(days=3)
    charter = make_charter(mairie19, opens=opens, closes=opens + timedelta(days=10))
    with pytest.raises(ServiceError, match="La consultation ouvre le"):
        _propose(resident19, charter)
    assert not Amendment.objects.exists()


def test_proposing_after_the_window_is_refused(charter19, resident19):
    with time_machine.travel(charter19.consultation_closes_at + timedelta(minutes=1)), \
            pytest.raises(ServiceError, match="close depuis"):
        _propose(resident19, charter19)
    assert not Amendment.objects.exists()


def test_proposing_without_a_window_is_refused(mairie19, resident19):
    from tests.factories.commandements import make_charter

    charter = make_charter(mairie19, opens=None, closes=None)
    with pytest.raises(ServiceError, match="Aucune consultation"):
        _propose(resident19, charter)


def test_the_window_opens_and_closes_on_time(charter19, resident19):
    with time_machine.travel(charter19.consultation_opens_at - timedelta(seconds=1)), pytest.raises(ServiceError):
        _propose(resident19, charter19)
    with time_machine.travel(charter19.consultation_opens_at):
        assert _propose(resident19, charter19).pk


@pytest.mark.parametrize("number", [0, 20, 25])
def test_a_number_that_does_not_exist_is_refused(charter19, resident19, number):
    with pytest.raises(ValidationError) as exc:
        _propose(resident19, charter19, number=number)
    assert f"n° {number} n'existe pas" in exc.value.message_dict["number"][0]


def test_an_empty_proposal_is_refused(charter19, resident19):
    with pytest.raises(ValidationError) as exc:
        _propose(resident19, charter19, proposed_mairie_commitment="   ", proposed_resident_commitment="",
                 rationale="")
    assert set(exc.value.message_dict) == {"proposed_mairie_commitment", "rationale"}


def test_the_length_limit_is_400_characters(charter19, resident19):
    with pytest.raises(ValidationError) as exc:
        _propose(resident19, charter19, proposed_resident_commitment="a" * 401)
    assert "400 caractères au plus (ce texte en compte 401)" in exc.value.message_dict[
        "proposed_resident_commitment"][0]
    assert _propose(resident19, charter19, proposed_resident_commitment="a" * rules.COMMITMENT_MAX_LENGTH).pk


def test_the_current_wording_is_not_an_amendment(charter19, resident19):
    with pytest.raises(ValidationError, match="formulation actuelle"):
        _propose(resident19, charter19, proposed_mairie_commitment="La mairie s'engage, n° 3.")


def test_a_replacement_needs_a_title_and_both_sides(charter19, resident19):
    with pytest.raises(ValidationError) as exc:
        _propose(resident19, charter19, kind="replacement", proposed_title="Nouveau")
    assert "proposed_resident_commitment" in exc.value.message_dict
    amendment = _propose(resident19, charter19, kind="replacement", proposed_title="Nouveau",
                         proposed_resident_commitment="Vous aussi.")
    assert amendment.kind == Amendment.Kind.REPLACEMENT


def test_residents_of_another_mairie_cannot_amend(charter19, mairie20):
    with pytest.raises(NotAllowed, match="mairie du 19e"):
        _propose(resident(mairie20), charter19)


def test_an_unconfirmed_account_cannot_amend(charter19, mairie19):
    with pytest.raises(NotAllowed, match="Confirmez"):
        _propose(resident(mairie19, email_confirmed=False), charter19)


def test_the_author_withdraws_once(charter19, resident19, agent19):
    amendment = _propose(resident19, charter19)
    with pytest.raises(NotAllowed):
        services.amendment_withdraw(user=agent19, amendment=amendment)
    services.amendment_withdraw(user=resident19, amendment=amendment)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.WITHDRAWN
    with pytest.raises(Conflict):
        services.amendment_withdraw(user=resident19, amendment=amendment)
    with pytest.raises(ServiceError, match="plus en consultation"):
        engine.support_add(user=agent19, target=amendment)


def test_supports_follow_the_consultation_window(charter19, resident19, agent19):
    amendment = _propose(resident19, charter19)
    assert engine.support_add(user=agent19, target=amendment) == 1
    with pytest.raises(Conflict):
        engine.support_add(user=agent19, target=amendment)
    other = resident(charter19.mairie)
    with time_machine.travel(charter19.consultation_closes_at + timedelta(seconds=1)), \
            pytest.raises(ServiceError, match="fermés"):
        engine.support_add(user=other, target=amendment)


# --- adoption ------------------------------------------------------------------------------------


def test_adoption_creates_a_draft_revision_with_the_wording(charter19, resident19, agent19, editor19):
    amendment = _propose(resident19, charter19, proposed_resident_commitment="Vous répondez aussi.")
    engine.support_add(user=agent19, target=amendment)
    revisions_before = charter19.revisions.count()
    revision = services.amendment_adopt(actor=editor19, amendment=amendment, note="Bonne idée.")

    assert charter19.revisions.count() == revisions_before + 1
    draft = revision.as_object()
    assert draft.commandement(3).mairie_commitment == "La mairie répond dans la semaine."
    assert draft.commandement(3).resident_commitment == "Vous répondez aussi."
    charter19.refresh_from_db()
    assert charter19.has_unpublished_changes
    assert charter19.commandement(3).mairie_commitment == "La mairie s'engage, n° 3."  # live page unchanged
    amendment.refresh_from_db()
    assert (amendment.status, amendment.adopted_revision, amendment.decided_by) == ("adopted", revision, editor19)
    assert amendment.wording is None
    entry = engine_selectors.public_timeline(amendment)[-1]
    assert (entry.action, entry.reason) == ("adopted", "Bonne idée.")
    assert PageLogEntry.objects.filter(page=charter19, action=services.ADOPT_LOG_ACTION, revision=revision).exists()
    notified = set(Notification.objects.filter(verb="adopted").values_list("user__username", flat=True))
    assert notified == {resident19.username, agent19.username}


def test_adoption_by_a_non_editor_changes_nothing(charter19, resident19, agent19, organiser19, mairie20):
    from tests.factories import editor

    amendment = _propose(resident19, charter19)
    revisions = charter19.revisions.count()
    for user in (resident19, agent19, organiser19, editor(mairie20)):
        with pytest.raises(NotAllowed, match="éditeur·rices"):
            services.amendment_adopt(actor=user, amendment=amendment)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.OPEN
    assert charter19.revisions.count() == revisions


def test_an_amendment_is_adopted_once(charter19, resident19, editor19):
    amendment = _propose(resident19, charter19)
    services.amendment_adopt(actor=editor19, amendment=amendment)
    with pytest.raises(Conflict, match="déjà été traité"):
        services.amendment_adopt(actor=editor19, amendment=amendment)
    with pytest.raises(Conflict):
        services.amendment_reject(actor=editor19, amendment=amendment, reason="Non.")


def test_adoption_is_refused_while_another_editor_locks_the_page(charter19, resident19, editor19, mairie19):
    from tests.factories import editor

    charter19.locked, charter19.locked_by = True, editor(mairie19)
    charter19.save(update_fields=["locked", "locked_by"], clean=False)
    with pytest.raises(Conflict, match="verrouillée"):
        services.amendment_adopt(actor=editor19, amendment=_propose(resident19, charter19))


def test_rejection_needs_a_public_reason(charter19, resident19, agent19, editor19):
    amendment = _propose(resident19, charter19)
    engine.support_add(user=agent19, target=amendment)
    with pytest.raises(ValidationError):
        services.amendment_reject(actor=editor19, amendment=amendment, reason="  ")
    services.amendment_reject(actor=editor19, amendment=amendment, reason="Déjà dit au n° 6.")
    amendment.refresh_from_db()
    assert (amendment.status, amendment.decision_reason) == ("rejected", "Déjà dit au n° 6.")
    assert engine_selectors.public_timeline(amendment)[-1].reason == "Déjà dit au n° 6."
    assert Notification.objects.filter(verb="rejected", user__in=[resident19, agent19]).count() == 2


# --- publication and history ----------------------------------------------------------------------


def test_publishing_the_adopted_revision_writes_history_with_provenance(charter19, resident19, editor19):
    amendment = _propose(resident19, charter19)
    services.amendment_adopt(actor=editor19, amendment=amendment)
    charter19.refresh_from_db()
    charter19.get_latest_revision().publish(user=editor19)

    charter19.refresh_from_db()
    assert charter19.commandement(3).mairie_commitment == "La mairie répond dans la semaine."
    assert selectors.current_version(charter19).number == 2
    history = selectors.wording_history(charter19, 3)
    assert [w.version.number for w in history] == [1, 2]
    assert history[0].mairie_commitment == "La mairie s'engage, n° 3."
    assert list(history[1].amendments.all()) == [amendment]
    assert list(history[0].amendments.all()) == []
    assert selectors.contributions_counts(charter19) == {3: 1}
    assert selectors.wording_history(charter19, 4)[-1].version.number == 1
    assert Notification.objects.filter(verb="published", user=resident19).exists()


def test_two_adoptions_on_one_commandement_combine_into_one_wording(charter19, resident19, agent19, editor19):
    first = _propose(resident19, charter19)
    second = _propose(agent19, charter19, proposed_mairie_commitment="", proposed_resident_commitment="Et vous ?")
    services.amendment_adopt(actor=editor19, amendment=first)
    services.amendment_adopt(actor=editor19, amendment=second)
    publish_latest(charter19)
    charter19.refresh_from_db()
    assert charter19.commandement(3).wording()[1:] == ("La mairie répond dans la semaine.", "Et vous ?")
    assert selectors.contributions_counts(charter19) == {3: 2}


def test_an_adopted_amendment_not_yet_published_stays_pending(charter19, resident19, editor19):
    amendment = _propose(resident19, charter19)
    published_before = charter19.get_latest_revision()
    services.amendment_adopt(actor=editor19, amendment=amendment)
    published_before.publish()  # an older revision: the adopted wording is not in it
    amendment.refresh_from_db()
    assert amendment.wording is None
    assert selectors.current_version(charter19).number == 1


# --- signatures -----------------------------------------------------------------------------------


def test_signing_is_once_per_account_and_withdrawable(charter19, resident19):
    assert services.charter_sign(user=resident19, charter=charter19) == 1
    with pytest.raises(Conflict, match="déjà signé"):
        services.charter_sign(user=resident19, charter=charter19)
    assert services.charter_unsign(user=resident19, charter=charter19) == 0
    with pytest.raises(Conflict, match="pas signé"):
        services.charter_unsign(user=resident19, charter=charter19)


def test_only_the_mairies_people_sign_a_published_charter(charter19, mairie19, mairie20):
    with pytest.raises(NotAllowed, match="mairie du 19e"):
        services.charter_sign(user=resident(mairie20), charter=charter19)
    from tests.factories.commandements import make_charter

    draft = make_charter(mairie20, publish=False)
    with pytest.raises(NotAllowed, match="pas publiée"):
        services.charter_sign(user=resident(mairie20), charter=draft)


def test_signers_hear_about_a_new_version(charter19, resident19, agent19, editor19):
    services.charter_sign(user=agent19, charter=charter19)
    services.amendment_adopt(actor=editor19, amendment=_propose(resident19, charter19))
    publish_latest(charter19)
    assert Notification.objects.filter(verb="charter_version", user=agent19).exists()
