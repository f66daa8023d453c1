"""What a mairie needs from les 19 commandements when it is set up (cms.mairie_setup): its charter,
under its home page, holding a first draft of the 19 commandements for the mairie's editors to adapt
with its residents.

The charter is published, so that the section answers from the first day and residents can read
where the mairie starts from; its introduction says it is a draft, and no consultation is open
until an editor sets its dates. Idempotent: a mairie that has a charter (published or not) keeps it.
"""

from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from .models import CharterPage, Commandement

TITLE = "Les 19 commandements"
SLUG = "19-commandements"
INTRO = (
    "<p>Voici le premier brouillon de notre charte : dix-neuf engagements de la mairie et dix-neuf "
    "engagements des habitantes et des habitants, face à face. La mairie l'adapte avec vous : pendant "
    "chaque consultation, chacun propose de nouvelles formulations, les soutient et en discute ; les "
    "meilleures entrent dans la version suivante.</p>"
)

# The first draft every new mairie starts from (written for this project; the 19e's demo charter
# is this text): (title, the mairie's commitment, the resident's commitment).
DRAFT_COMMANDEMENTS = [
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


def charter_for(mairie):
    return CharterPage.objects.filter(mairie=mairie).first()


def set_up(mairie, home, **options):
    """The mairie's charter: the existing one, or a new one with the first draft, published."""
    charter = charter_for(mairie)
    if charter is not None:
        return charter
    page = CharterPage(title=TITLE, slug=SLUG, intro=INTRO, live=False)
    for number, (title, mairie_side, resident_side) in enumerate(DRAFT_COMMANDEMENTS, start=1):
        page.commandements.add(Commandement(number=number, title=title, mairie_commitment=mairie_side,
                                            resident_commitment=resident_side))
    # Wagtail re-indexes a page's references for every child row it saves: once at the end instead.
    with disable_reference_index_auto_update():
        page = home.add_child(instance=page)
        page.save_revision().publish()
    charter = CharterPage.objects.get(pk=page.pk)
    ReferenceIndex.create_or_update_for_object(charter)
    return charter
