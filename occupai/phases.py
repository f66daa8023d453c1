"""A call's phases, computed from its dates (never stored): the one place that says which phase
a call is in at a given moment and what comes next."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Bientôt")
    SUBMISSION = "submission", _("Propositions ouvertes")
    REVIEW = "review", _("Examen des propositions")
    VOTING = "voting", _("Vote en cours")
    SELECTION = "selection", _("Sélection en cours")
    PROGRAMME = "programme", _("Programme publié")
    ONGOING = "ongoing", _("C'est maintenant !")
    FINISHED = "finished", _("Terminé")


# What happens when a phase begins: "Ouverture du vote : le 3 juin (dans 2 jours)".
TRANSITION_LABELS = {
    Phase.SUBMISSION: _("Ouverture des propositions"),
    Phase.REVIEW: _("Fin du dépôt des propositions"),
    Phase.VOTING: _("Ouverture du vote"),
    Phase.SELECTION: _("Clôture du vote"),
    Phase.PROGRAMME: _("Publication du programme"),
    Phase.ONGOING: _("Premier jour des événements"),
    Phase.FINISHED: _("Fin des événements"),
}

ORDER = list(Phase)


@dataclass(frozen=True)
class PhaseState:
    phase: Phase
    next_phase: Phase | None
    next_at: datetime | None

    @property
    def label(self):
        return self.phase.label

    @property
    def next_label(self):
        return TRANSITION_LABELS.get(self.next_phase, "") if self.next_phase else ""

    def at_least(self, phase: Phase) -> bool:
        return ORDER.index(self.phase) >= ORDER.index(phase)


def boundaries(call):
    """(moment, phase that begins then), in chronological order of the phases."""
    return [
        (call.submission_opens_at, Phase.SUBMISSION),
        (call.submission_closes_at, Phase.REVIEW),
        (call.voting_opens_at, Phase.VOTING),
        (call.voting_closes_at, Phase.SELECTION),
        (call.results_at, Phase.PROGRAMME),
        (call.event_starts_at, Phase.ONGOING),
        (call.event_ends_at, Phase.FINISHED),
    ]


def phase_at(call, now: datetime) -> PhaseState:
    """Windows are half-open: a phase begins at its moment and ends just before the next one.
    When two moments are equal (voting opens as submission closes), the later phase wins."""
    current, next_phase, next_at = Phase.UPCOMING, None, None
    for moment, phase in boundaries(call):
        if moment is None:
            continue
        if moment <= now:
            current = phase
        elif next_at is None or moment == next_at:
            next_phase, next_at = phase, moment
    return PhaseState(current, next_phase, next_at)
