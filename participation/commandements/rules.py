"""The charter's fixed rules, in one place: how many commandements, how long a wording may be,
and what makes a numbering publishable."""

from django.utils.translation import gettext as _

COMMANDEMENTS_COUNT = 19
TITLE_MAX_LENGTH = 100
COMMITMENT_MAX_LENGTH = 400
RATIONALE_MAX_LENGTH = 1000
DECISION_MAX_LENGTH = 1000
REPORT_MAX_LENGTH = 600


def numbering_problems(numbers, *, publishing: bool) -> list[str]:
    """French messages saying why these commandement numbers cannot stand.

    Drafts may hold any count while editors work; a duplicate or out-of-range number is always
    refused, because amendments cite a commandement by its number. Publishing needs exactly
    COMMANDEMENTS_COUNT commandements numbered 1 to COMMANDEMENTS_COUNT.
    """
    problems = []
    numbers = [n for n in numbers if n is not None]
    seen, duplicates = set(), set()
    for number in numbers:
        if number in seen:
            duplicates.add(number)
        seen.add(number)
    for number in sorted(duplicates):
        problems.append(_("Le numéro %(n)d est utilisé par plusieurs commandements : chaque numéro ne sert "
                          "qu'une fois.") % {"n": number})
    out_of_range = sorted(n for n in seen if not 1 <= n <= COMMANDEMENTS_COUNT)
    if out_of_range:
        problems.append(_("Les numéros vont de 1 à %(max)d : %(bad)s n'en fait pas partie.") % {
            "max": COMMANDEMENTS_COUNT, "bad": ", ".join(str(n) for n in out_of_range)})
    if publishing:
        count = len(numbers)
        if count != COMMANDEMENTS_COUNT:
            problems.insert(0, _("Une charte se publie avec exactement %(required)d commandements : celle-ci en "
                                 "compte %(count)d.") % {"required": COMMANDEMENTS_COUNT, "count": count})
        elif not duplicates and not out_of_range:
            missing = sorted(set(range(1, COMMANDEMENTS_COUNT + 1)) - seen)
            if missing:
                problems.append(_("Il manque le numéro %(missing)s.") % {
                    "missing": ", ".join(str(n) for n in missing)})
    return problems
