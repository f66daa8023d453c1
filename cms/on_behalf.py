"""Acts one person does for another, with that person's recorded consent: an ambassador opening a carnet
du citoyen or taking a queue ticket for a neighbour. The feature that owns the act registers it here
(guide: « carnet », accueil: « ticket »); the feature that records the consent (accueil.ambassadeurs)
calls it by kind, so that neither imports the other (tests/test_layers.py).

    register_on_behalf("carnet", order=10, label=lambda: _("Ouvrir un carnet"), consent=...,
                       choice_label=lambda: _("Démarche"), choices=lambda mairie: [(page.pk, page.title), ...],
                       run=open_carnet)   # run(*, owner, mairie, choice, by) -> Done

`run` checks its own rules and raises ServiceError / ValidationError like any service; `choice` is
the id the user picked among `choices(mairie)` (a wrong one: ValidationError on "choice")."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Done:
    text: str  # what was done, for the thread: « Ticket E012 pris au service État civil. »
    url: str  # the page where the owner finds it


@dataclass(frozen=True)
class Act:
    kind: str
    order: int
    label: Callable[[], str]  # the button: « Ouvrir un carnet pour vous »
    consent: Callable[[], str]  # what the owner agrees to: « ouvrir un carnet du citoyen à mon nom »
    choice_label: Callable[[], str]  # what is chosen: « Démarche », « Service »
    choices: Callable[..., list]  # choices(mairie) -> [(id, label)]
    run: Callable[..., Done]


_ACTS: dict[str, Act] = {}


def register_on_behalf(kind: str, *, order: int, label, consent, choice_label, choices, run) -> None:
    _ACTS[kind] = Act(kind=kind, order=order, label=label, consent=consent, choice_label=choice_label,
                      choices=choices, run=run)


def acts() -> list[Act]:
    return sorted(_ACTS.values(), key=lambda act: act.order)


def act_for(kind: str) -> Act | None:
    return _ACTS.get(kind)
