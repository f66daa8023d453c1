"""Open Bricolage in a real browser: a resident reads the public programme (no agent's name, no
registration form); an agent of the 20e registers to a workshop as a first-timer; the organiser
sees the counts and the registrant."""

from bricolages.models import Registration
from tests.factories import agent, organiser, resident
from tests.factories.bricolages import bricolage
from tests.factories.openbricolage import edition, workshop


def test_an_agent_registers_as_a_first_timer_and_the_organiser_sees_the_count(e2e_ctx, page_as):
    mairie19, mairie20 = e2e_ctx.mairies["paris19"], e2e_ctx.mairies["paris20"]
    lucie = agent(mairie19, username="lucie", display_name="Lucie Tableurs")
    paul = agent(mairie20, username="paul", display_name="Paul du 20e")
    chef = organiser(mairie19, username="chef", display_name="Chef d'orchestre")
    resident(mairie19, username="awa")
    day = edition(chef, title="Open Bricolage de printemps")
    atelier = workshop(chef, day, bricolage(lucie, title="Tableur de file d'attente"), title="Atelier tableur",
                       capacity=4)

    # A resident reads the programme, without the leader's name and without a registration form.
    awa = page_as("awa", f"{e2e_ctx.url}/open-bricolage/")
    awa.get_by_role("link", name="Open Bricolage de printemps").click()
    awa.get_by_role("heading", name="Atelier tableur").wait_for()
    assert "Lucie Tableurs" not in awa.content()
    awa.get_by_text("Les inscriptions sont réservées aux agents des mairies").wait_for()
    assert awa.get_by_role("button", name="M'inscrire").count() == 0

    # An agent of the 20e registers to the workshop, saying they never used the wiki.
    page = page_as("paul", f"{e2e_ctx.url20}{day.get_absolute_url()}")
    page.get_by_text("Animé par Lucie Tableurs").wait_for()
    page.get_by_label("Atelier tableur").check()
    page.get_by_label("Je n'ai jamais utilisé le wiki des bricolages").check()
    page.get_by_role("button", name="M'inscrire").click()
    page.get_by_text("Vous êtes inscrit·e : à bientôt !").wait_for()
    registration = Registration.objects.get(edition=day, agent=paul)
    assert registration.first_time and registration.workshop == atelier

    # The organiser sees the count of registrations and first-timers, and the registrant.
    host = page_as("chef", f"{e2e_ctx.url}{day.get_absolute_url()}")
    host.get_by_text("1 agent inscrit").wait_for()
    host.get_by_text("dont 1 qui n'a jamais utilisé le wiki").wait_for()
    host.get_by_role("cell", name="Paul du 20e").wait_for()
