"""Demo content: the 19e's published charter (written for this project), a consultation open
around now with a few amendments (one already adopted and published, one not retained), some
signatures and the mairie's reports; the 20e has a short draft. Idempotent: once the 19e's
charter exists, nothing is added."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from . import services
from .models import CharterPage, Commandement, CommitmentReport

CHARTER_TITLE = "Les 19 commandements"
CHARTER_SLUG = "19-commandements"
CHARTER_INTRO = (
    "<p>Dix-neuf engagements de la mairie, dix-neuf engagements des habitantes et des habitants, "
    "face à face. Ils disent, légèrement mais tous les jours, comment on se parle et comment on "
    "s'aide au guichet comme en ligne.</p>"
    "<p>Cette charte n'est jamais finie : pendant chaque consultation, habitants et agents "
    "proposent de nouvelles formulations, les soutiennent et en discutent ; les meilleures entrent "
    "dans la version suivante.</p>"
)

# (title, the mairie's commitment, the resident's commitment)
COMMANDEMENTS_19 = [
    ("Le bonjour",
     "La mairie vous accueille d'un bonjour et d'un regard, avant de vous demander un numéro.",
     "Vous rendez le bonjour : derrière le guichet, quelqu'un commence sa journée comme vous."),
    ("L'attente",
     "La mairie annonce honnêtement le temps d'attente et le rend doux : une chaise, un café, une "
     "prise, un message quand votre tour approche.",
     "Vous faites de l'attente une pause plutôt qu'une perte, et vous laissez passer qui en a plus besoin."),
    ("Les mots clairs",
     "La mairie parle et écrit avec des mots de tous les jours ; quand un sigle lui échappe, elle le traduit.",
     "Vous dites « je n'ai pas compris » autant de fois qu'il le faut : aucune question n'est de trop."),
    ("L'écoute",
     "La mairie écoute votre situation jusqu'au bout avant de répondre, sans regarder l'horloge.",
     "Vous racontez l'essentiel, papiers en main, et vous écoutez la réponse jusqu'au bout, elle aussi."),
    ("L'erreur permise",
     "La mairie peut se tromper ; elle le reconnaît, s'en excuse et répare vite.",
     "Vous pouvez vous tromper dans un formulaire : on corrige ensemble, sans soupir ni sanction."),
    ("La transparence",
     "La mairie vous dit où en est votre demande, qui s'en occupe et ce qui la retient.",
     "Vous dites franchement ce que vous attendez et ce qui vous manque, pour qu'on puisse vraiment vous aider."),
    ("Les horaires",
     "La mairie tient ses horaires, les affiche partout de la même façon, et ouvre aussi quand vous ne "
     "travaillez pas.",
     "Vous venez à l'heure de votre rendez-vous, ou vous le libérez à temps pour quelqu'un d'autre."),
    ("Le numérique pour tous",
     "La mairie met ses démarches en ligne sans jamais fermer son guichet, et s'assoit à côté de vous "
     "devant l'écran si vous le souhaitez.",
     "Vous essayez une fois en ligne avec l'aide proposée, puis vous passez l'astuce à un voisin."),
    ("Le bon guichet",
     "La mairie vous oriente du premier coup, avec des panneaux simples et des pictogrammes qu'on reconnaît.",
     "Vous dites dès l'entrée ce qui vous amène, pour qu'on vous envoie au bon endroit."),
    ("La liste complète",
     "La mairie vous donne une fois pour toutes la liste complète des pièces à apporter, écrite et datée.",
     "Vous rassemblez les pièces avant de venir, et vous gardez la liste pour la prochaine fois."),
    ("La discrétion",
     "La mairie protège ce que vous lui confiez : un coin à l'abri des oreilles, des données gardées "
     "le temps qu'il faut, pas plus.",
     "Vous respectez la discrétion des autres dans la file, comme vous aimeriez qu'on respecte la vôtre."),
    ("Le calme",
     "La mairie garde son calme et son respect, même quand la journée est lourde et la file longue.",
     "Vous gardez votre calme aussi : la colère se comprend, mais ce sont les mots posés qui règlent "
     "les dossiers."),
    ("Toutes les langues",
     "La mairie cherche les mots dans votre langue : un collègue qui la parle, un interprète, un document traduit.",
     "Vous venez accompagné si vous le pouvez, et vous traduisez pour un autre quand vous le pouvez."),
    ("L'accès pour chacun",
     "La mairie s'ouvre à tous les corps : une rampe, une boucle magnétique, de grands caractères, une "
     "chaise pour qui ne peut pas attendre debout.",
     "Vous laissez la place, l'ascenseur et la priorité à qui en a besoin, même quand cela ne se voit pas."),
    ("Le fil du dossier",
     "La mairie garde le fil de votre dossier : vous n'avez pas à raconter votre histoire à chaque guichet.",
     "Vous gardez votre numéro de dossier et vous prévenez quand votre situation change."),
    ("La réponse",
     "La mairie répond à chaque courrier, même pour dire « pas encore » ou « pas nous, mais voici qui ».",
     "Vous écrivez votre demande en précisant comment vous joindre, et vous lisez la réponse avant de relancer."),
    ("La même attention",
     "La mairie accorde la même attention à chacun, quels que soient son nom, son âge, sa langue ou sa tenue.",
     "Vous accordez la même attention à chaque agent, à l'accueil, à l'entretien comme à la direction."),
    ("Les idées",
     "La mairie ouvre ses portes et ses décisions aux idées des habitants, et dit ce qu'elle en a fait.",
     "Vous proposez, vous soutenez, vous discutez : la mairie de demain s'écrit aussi avec vos mots."),
    ("Le merci",
     "La mairie vous remercie de votre patience et de vos idées, et se réjouit de vous revoir.",
     "Vous dites merci quand c'est mérité, et vous revenez, pour une démarche ou pour une fête."),
]

DRAFT_20 = COMMANDEMENTS_19[:5]

REPORTS = [
    (2, 40, "Un coin café et des prises électriques ont ouvert dans le hall ; un SMS prévient désormais quand "
            "votre tour approche, aux services de l'état civil et des affaires générales."),
    (7, 25, "Nocturne le jeudi jusqu'à 19 h 30 pour l'état civil, et une permanence le samedi matin, "
            "affichées à l'entrée, sur le site et sur les formulaires."),
    (10, 12, "Les listes de pièces des douze démarches les plus fréquentes sont relues, datées et "
             "disponibles à l'accueil comme en ligne."),
    (16, 5, "Ce trimestre, 9 courriers sur 10 ont reçu une première réponse en moins de quinze jours."),
]


def _add_charter(home, title, slug, intro, pairs, *, opens=None, closes=None):
    page = CharterPage(title=title, slug=slug, intro=intro, consultation_opens_at=opens,
                       consultation_closes_at=closes, live=False)
    for number, (short, mairie_side, resident_side) in enumerate(pairs, start=1):
        page.commandements.add(Commandement(number=number, title=short, mairie_commitment=mairie_side,
                                            resident_commitment=resident_side))
    return home.add_child(instance=page)


def seed(ctx):
    if CharterPage.objects.filter(mairie=ctx.mairies["paris19"]).exists():
        return
    # Wagtail re-indexes a page's references for every child row it saves; index each charter
    # once at the end instead (the seeder stays well under its time budget).
    with disable_reference_index_auto_update():
        charters = _seed(ctx)
    for charter in charters:
        ReferenceIndex.create_or_update_for_object(CharterPage.objects.get(pk=charter.pk))


def _seed(ctx):
    users = ctx.users
    now = timezone.now()
    charter = _add_charter(ctx.homes["paris19"], CHARTER_TITLE, CHARTER_SLUG, CHARTER_INTRO, COMMANDEMENTS_19,
                           opens=now - timedelta(days=10), closes=now + timedelta(days=30))
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

    # The 20e starts with a short draft, not published (a charter needs its 19).
    charters = [charter]
    if not CharterPage.objects.filter(mairie=ctx.mairies["paris20"]).exists():
        draft = _add_charter(ctx.homes["paris20"], CHARTER_TITLE, CHARTER_SLUG,
                             "<p>Brouillon : la charte du 20e s'écrit avec ses habitants.</p>", DRAFT_20)
        draft.save_revision()
        charters.append(draft)
    return charters
