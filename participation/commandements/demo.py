"""Demo content: on the 19e's charter (the first draft every mairie's set-up publishes, setup.py),
a consultation open around now with a few amendments (one already adopted and published, one not
retained), some signatures and the mairie's reports; the 20e keeps the first draft as it came.
Idempotent: once the 19e's charter has amendments, nothing is added."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from . import services, setup
from .models import Amendment, CharterPage, CommitmentReport

CHARTER_INTRO = (
    "<p>Dix-neuf engagements de la mairie, dix-neuf engagements des habitantes et des habitants, "
    "face à face. Ils disent, légèrement mais tous les jours, comment on se parle et comment on "
    "s'aide au guichet comme en ligne.</p>"
    "<p>Cette charte n'est jamais finie : pendant chaque consultation, habitants et agents "
    "proposent de nouvelles formulations, les soutiennent et en discutent ; les meilleures entrent "
    "dans la version suivante.</p>"
)

REPORTS = [
    (2, 40, "Un coin café et des prises électriques ont ouvert dans le hall ; un SMS prévient désormais quand "
            "votre tour approche, aux services de l'état civil et des affaires générales."),
    (7, 25, "Nocturne le jeudi jusqu'à 19 h 30 pour l'état civil, et une permanence le samedi matin, "
            "affichées à l'entrée, sur le site et sur les formulaires."),
    (10, 12, "Les listes de pièces des douze démarches les plus fréquentes sont relues, datées et "
             "disponibles à l'accueil comme en ligne."),
    (16, 5, "Ce trimestre, 9 courriers sur 10 ont reçu une première réponse en moins de quinze jours."),
]


def seed(ctx):
    for slug, home in ctx.homes.items():
        setup.set_up(ctx.mairies[slug], home)  # made with the mairies' sections; found again here
    charter = setup.charter_for(ctx.mairies["paris19"])
    if Amendment.objects.filter(charter=charter).exists():
        return
    # Wagtail re-indexes a page's references for every child row it saves; index the charter
    # once at the end instead (the seeder stays well under its time budget).
    with disable_reference_index_auto_update():
        _seed(ctx, charter)
    ReferenceIndex.create_or_update_for_object(CharterPage.objects.get(pk=charter.pk))


def _seed(ctx, charter):
    users = ctx.users
    now = timezone.now()
    # The 19e's editor adapted the first draft's introduction and opened a consultation.
    charter.intro = CHARTER_INTRO
    charter.consultation_opens_at, charter.consultation_closes_at = now - timedelta(days=10), now + timedelta(days=30)
    charter.save_revision(user=users["editeur"]).publish(user=users["editeur"])
    charter.refresh_from_db()

    # One amendment already went through: adopted by the editor, then published as version 2.
    adopted = services.amendment_submit(
        user=users["agent"], charter=charter, number=3,
        proposed_resident_commitment="Vous dites « je n'ai pas compris » sans gêne, autant de fois qu'il le faut : "
                                     "une question posée au guichet en évite trois au téléphone.",
        rationale="À l'accueil, on voit des personnes repartir sans oser redemander. Dire qu'une question "
                  "fait gagner du temps à tout le monde, agents compris, aide à la poser.")
    services.charter_sign(user=users["habitant"], charter=charter)
    services.charter_sign(user=users["agent"], charter=charter)
    services.amendment_adopt(actor=users["editeur"], amendment=adopted,
                             note="Adopté tel quel : la formulation est plus concrète.")
    charter.refresh_from_db()
    charter.get_latest_revision().publish(user=users["editeur"])
    charter.refresh_from_db()

    # Amendments still in consultation.
    waiting = services.amendment_submit(
        user=users["habitant"], charter=charter, number=2,
        proposed_resident_commitment="Vous prenez l'attente comme une respiration, un livre ou une conversation, "
                                     "et vous cédez votre tour à qui est plus pressé que vous.",
        rationale="« Laisser passer qui en a plus besoin » est juste, mais on ne sait jamais qui en a besoin. "
                  "Céder son tour à quelqu'un de pressé, ça se voit et ça se fait.")
    calm = services.amendment_submit(
        user=users["agent"], charter=charter, number=12,
        proposed_mairie_commitment="La mairie garde son calme et son respect ; quand le ton monte, l'agent peut "
                                   "proposer une pause, un verre d'eau ou un autre interlocuteur.",
        rationale="Un principe ne suffit pas quand la tension monte : les collègues ont besoin d'un geste "
                  "concret à proposer, qui ne soit pas vécu comme un refus.")
    services.amendment_submit(
        user=users["habitant"], charter=charter, number=8, kind="wording",
        proposed_mairie_commitment="La mairie met ses démarches en ligne sans jamais fermer son guichet, prête "
                                   "un ordinateur dans le hall et s'assoit à côté de vous si vous le souhaitez.",
        proposed_resident_commitment="Vous essayez en ligne avec l'aide proposée, à votre rythme, puis vous "
                                     "passez l'astuce à un voisin.",
        rationale="Beaucoup de voisins n'ont pas d'ordinateur chez eux : il faut pouvoir essayer sur place.",
        anonymous=True)
    replacement = services.amendment_submit(
        user=users["habitant"], charter=charter, number=19, kind="replacement",
        proposed_title="La fête", proposed_mairie_commitment="La mairie ouvre sa cour et son parvis aux fêtes "
                                                             "des habitants.",
        proposed_resident_commitment="Vous rangez après la fête et vous invitez vos voisins.",
        rationale="Finir la charte sur une fête plutôt qu'un merci, pour donner envie de revenir.")
    services.amendment_reject(
        actor=users["editeur"], amendment=replacement,
        reason="La fête a toute sa place à la mairie, mais elle relève de l'appel Occupai : ce dernier "
               "commandement garde le merci, qui vaut pour toutes les démarches.")

    from participation import services as engine

    engine.support_add(user=users["agent"], target=waiting)
    engine.support_add(user=users["habitant"], target=calm)
    engine.support_add(user=users["organisateur"], target=calm)
    engine.comment_post(user=users["agent"], target=waiting,
                        text="Oui ! Et on pourrait afficher l'attente estimée à l'entrée pour que chacun choisisse.")

    today = timezone.localdate()
    for number, days_ago, text in REPORTS:
        CommitmentReport.objects.create(charter=charter, number=number, date=today - timedelta(days=days_ago),
                                        text=text, created_by=users["editeur"])
