"""Demo bricolages (idempotent): a dozen tools from agents of the 19e and the 20e, with steps and
pictures drawn at seed time, ratings, feedback, comments and one family (the état civil queue
spreadsheet, its improved variant from the 20e, and a variant of that one)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from participation import services as engine

from . import services
from .models import BricolagePage, Feedback
from .services import BricolageInput, StepInput

PALETTE = {"blue": (11, 79, 156), "green": (29, 107, 47), "orange": (200, 110, 20), "red": (164, 22, 26),
           "grey": (90, 90, 100), "paper": (250, 248, 242)}


def _picture(kind, colour="blue", name="etape.png"):
    """A small drawing: a spreadsheet grid, a sign, a screen, a sheet of paper or a box."""
    ink = PALETTE[colour]
    image = Image.new("RGB", (480, 300), PALETTE["paper"])
    draw = ImageDraw.Draw(image)
    if kind == "grid":
        draw.rectangle((40, 40, 440, 260), outline=ink, width=3)
        for x in range(40, 441, 80):
            draw.line((x, 40, x, 260), fill=ink, width=2)
        for y in range(40, 261, 36):
            draw.line((40, y, 440, y), fill=ink, width=2)
        draw.rectangle((42, 42, 438, 74), fill=ink)
    elif kind == "sign":
        draw.rectangle((150, 30, 330, 150), fill=ink)
        draw.polygon([(200, 90), (280, 90), (280, 70), (310, 100), (280, 130), (280, 110), (200, 110)],
                     fill=PALETTE["paper"])
        draw.rectangle((235, 150, 245, 270), fill=PALETTE["grey"])
    elif kind == "screen":
        draw.rectangle((60, 30, 420, 230), outline=PALETTE["grey"], width=10, fill=ink)
        draw.text((200, 110), "A 042", fill=PALETTE["paper"])
        draw.rectangle((220, 230, 260, 270), fill=PALETTE["grey"])
    elif kind == "paper":
        draw.rectangle((140, 20, 340, 280), outline=ink, width=3, fill=(255, 255, 255))
        for y in range(60, 260, 24):
            draw.line((165, y, 315, y), fill=ink, width=3)
    else:  # box
        draw.polygon([(120, 110), (240, 60), (360, 110), (240, 160)], fill=ink)
        draw.polygon([(120, 110), (240, 160), (240, 270), (120, 220)], fill=PALETTE["grey"])
        draw.polygon([(360, 110), (240, 160), (240, 270), (360, 220)], outline=ink, width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _csv(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


QUEUE_CSV = ("heure_arrivee;numero;demarche;guichet;heure_appel;attente_minutes\n"
             "09:02;A001;acte de naissance;1;09:05;3\n09:04;A002;reconnaissance;2;09:16;12\n")

BRICOLAGES = [
    {
        "slug": "demo-file-attente-etat-civil", "author": "agent",
        "title": "Tableur de gestion de la file d'attente à l'état civil",
        "summary": "Un classeur qui donne un numéro à chaque usager, appelle le suivant au bon guichet et "
                   "mesure l'attente, sans logiciel à acheter.",
        "problem": "Le samedi matin, la salle de l'état civil se remplit et personne ne sait qui est arrivé "
                   "avant qui. Les usagers s'inquiètent, les agents perdent du temps à arbitrer.",
        "materials": "LibreOffice Calc (ou tout tableur), un ordinateur au pupitre d'accueil, des tickets "
                     "papier numérotés (un carnet à souches suffit).",
        "tools": ["Tableur", "Carnet à souches"], "tags": ["état civil", "accueil", "file d'attente"],
        "steps": [
            ("Ouvrez le modèle joint et enregistrez-le sous le nom du jour. Chaque ligne est un usager.",
             ("grid", "blue"), "Une grille de tableur avec une ligne d'en-tête colorée"),
            ("À l'arrivée, l'agent d'accueil tape l'heure (Ctrl+Maj+;) et la démarche ; la colonne "
             "« numéro » se remplit seule.", None, ""),
            ("Quand un guichet se libère, l'agent du guichet inscrit son numéro de guichet sur la première "
             "ligne sans heure d'appel, puis appelle le numéro à voix haute.", None, ""),
            ("En fin de journée, l'onglet « bilan » donne l'attente moyenne par heure : de quoi ajuster les "
             "plannings du samedi suivant.", ("grid", "green"), "Un tableau de bilan avec des colonnes vertes"),
        ],
        "files": [("file-attente-modele.csv", QUEUE_CSV)],
    },
    {
        "slug": "demo-file-attente-ecran", "author": "agent20", "variant_of": "demo-file-attente-etat-civil",
        "title": "File d'attente de l'état civil, avec écran d'appel et temps estimé",
        "summary": "La version du 20e : le numéro appelé et le temps d'attente estimé s'affichent sur un "
                   "écran de la salle, calculés par le même classeur.",
        "problem": "Avec le tableur seul, les usagers entendaient mal les appels et demandaient sans cesse "
                   "combien de temps il restait.",
        "materials": "Le classeur d'origine, un second écran (un vieux moniteur fait l'affaire), un câble "
                     "HDMI, LibreOffice Calc en mode plein écran.",
        "tools": ["Tableur", "Écran"], "tags": ["état civil", "accueil", "file d'attente", "affichage"],
        "steps": [
            ("Reprenez le modèle du 19e et ajoutez l'onglet « écran » joint : il lit la dernière ligne "
             "appelée.", ("grid", "orange"), "La grille du tableur avec un onglet orange ajouté"),
            ("Branchez le second écran, étendez le bureau et ouvrez l'onglet « écran » dans une nouvelle "
             "fenêtre, en plein écran (Ctrl+Maj+J).", ("screen", "blue"),
             "Un écran bleu qui affiche le numéro A 042"),
            ("Le temps estimé est la moyenne des dix dernières attentes, multipliée par le nombre de "
             "personnes avant soi. Affichez-le arrondi aux cinq minutes : c'est plus honnête.", None, ""),
        ],
        "files": [("onglet-ecran.csv", "case;formule\nB2;=dernier_appel()\nB4;=attente_estimee()\n")],
    },
    {
        "slug": "demo-file-attente-mariages", "author": "organisateur", "variant_of": "demo-file-attente-ecran",
        "title": "File d'attente des dossiers de mariage",
        "summary": "L'écran d'appel du 20e, adapté aux rendez-vous de dépôt des dossiers de mariage.",
        "problem": "Les couples venaient tous à l'heure ronde et attendaient debout dans le couloir.",
        "materials": "Le classeur avec écran, la liste des rendez-vous exportée de l'agenda.",
        "tools": ["Tableur", "Écran", "Agenda partagé"], "tags": ["état civil", "mariage", "file d'attente"],
        "steps": [
            ("Collez chaque matin la liste des rendez-vous dans l'onglet « rendez-vous ».", None, ""),
            ("Un couple en avance reçoit un numéro « R » : il passe à son heure, avant les numéros sans "
             "rendez-vous.", ("screen", "green"), "L'écran d'appel avec un numéro en vert"),
        ],
    },
    {
        "slug": "demo-signaletique-carton-plume", "author": "editeur",
        "title": "Kit de signalétique du hall en carton plume",
        "summary": "Des panneaux lisibles, fléchés et faciles à changer, fabriqués en une après-midi.",
        "problem": "Les usagers se perdaient entre l'accueil, l'état civil et les salles de réunion ; les "
                   "affichettes scotchées se décollaient.",
        "materials": "Carton plume A3 5 mm, imprimante A3, colle en bombe, cutter et règle métallique, "
                     "pieds de présentoir récupérés.",
        "tools": ["Carton plume", "Imprimante A3", "Cutter"], "tags": ["accueil", "signalétique"],
        "steps": [
            ("Imprimez les gabarits joints : un pictogramme, un mot, une flèche. Pas plus.", ("paper", "blue"),
             "Une feuille avec des lignes de texte"),
            ("Collez l'impression sur le carton plume et découpez à la règle, lame neuve.", None, ""),
            ("Fixez les panneaux à hauteur des yeux d'une personne en fauteuil (1,20 m à 1,40 m).",
             ("sign", "blue"), "Un panneau bleu avec une flèche blanche, sur un pied"),
        ],
    },
    {
        "slug": "demo-macro-lettres-rendez-vous", "author": "agent20",
        "title": "Macro de publipostage des lettres de rendez-vous",
        "summary": "Une macro qui prépare en une fois toutes les lettres de convocation à partir du tableau "
                   "des rendez-vous.",
        "problem": "Chaque lettre était copiée à la main depuis un modèle : une heure par jour et des "
                   "erreurs de date.",
        "materials": "LibreOffice Writer et Calc, le code de la macro joint (à coller dans Outils > Macros).",
        "tools": ["Traitement de texte", "Tableur", "Macro"], "tags": ["courrier", "rendez-vous"],
        "steps": [
            ("Préparez le tableau des rendez-vous : nom, adresse, date, heure, service.", ("grid", "grey"),
             "Une grille de tableur grise"),
            ("Collez le code joint dans un nouveau module de macro et adaptez le chemin du modèle de lettre.",
             None, ""),
            ("Lancez la macro : elle crée un PDF par personne dans le dossier du jour.", ("paper", "green"),
             "Une lettre imprimée"),
        ],
        "files": [("publipostage.bas", "Sub Publipostage()\n  ' Lit le tableau et remplit le modele\nEnd Sub\n")],
    },
    {
        "slug": "demo-registre-cles-salles", "author": "organisateur",
        "title": "Registre des clés et des salles prêtées",
        "summary": "Qui a la clé de la salle des fêtes ? Un registre partagé qui répond en deux secondes.",
        "problem": "Les clés des salles prêtées aux associations disparaissaient et personne ne savait à qui "
                   "les réclamer.",
        "materials": "Un tableur partagé, des porte-clés numérotés, une boîte à clés fermée.",
        "tools": ["Tableur", "Boîte à clés"], "tags": ["salles", "associations"],
        "steps": [
            ("Numérotez chaque porte-clé et reportez les numéros dans le registre.", ("box", "orange"),
             "Une boîte orange fermée"),
            ("À chaque prêt : numéro, association, nom, téléphone, date de retour prévue.", None, ""),
            ("Une mise en forme conditionnelle colore en rouge les retours en retard.", None, ""),
        ],
    },
    {
        "slug": "demo-fiches-langues", "author": "agent",
        "title": "Fiches d'accueil en plusieurs langues",
        "summary": "Six fiches plastifiées avec les phrases et pictogrammes de l'accueil, en arabe, anglais, "
                   "chinois, espagnol, tamoul et roumain.",
        "problem": "À l'accueil, beaucoup d'usagers ne parlent pas français et repartaient sans avoir pu "
                   "expliquer leur démarche.",
        "materials": "Imprimante couleur, plastifieuse, anneaux de reliure.",
        "tools": ["Plastifieuse", "Imprimante"], "tags": ["accueil", "langues"],
        "steps": [
            ("Imprimez les fiches en couleur, une langue par fiche, le français en regard.", ("paper", "red"),
             "Une fiche imprimée avec des lignes rouges"),
            ("Plastifiez et reliez-les par un anneau au comptoir.", None, ""),
        ],
    },
    {
        "slug": "demo-boite-idees-qr", "author": "agent20",
        "title": "Boîte à idées des agents par QR code",
        "summary": "Un QR code affiché en salle de pause ouvre un formulaire anonyme : les idées arrivent "
                   "dans un tableau partagé.",
        "problem": "La boîte à idées en carton restait vide : il fallait du papier, un stylo, et l'on "
                   "craignait d'être reconnu à son écriture.",
        "materials": "Un formulaire en ligne de la Ville, un générateur de QR code, une affiche A4.",
        "tools": ["Formulaire en ligne", "QR code"], "tags": ["agents", "idées"],
        "steps": [
            ("Créez un formulaire à trois questions : l'idée, pour qui, ce qu'il faudrait.", None, ""),
            ("Générez le QR code du lien et imprimez l'affiche.", ("paper", "blue"), "Une affiche avec du texte"),
            ("Chaque mois, lisez les idées en réunion de service et affichez ce qui en est fait.", None, ""),
        ],
    },
    {
        "slug": "demo-planning-permanences", "author": "editeur",
        "title": "Planning partagé des permanences",
        "summary": "Un agenda partagé où chaque service voit les permanences des élus et des partenaires, "
                   "et où l'accueil oriente sans téléphoner.",
        "problem": "L'accueil devait appeler trois services pour savoir qui tenait la permanence logement.",
        "materials": "L'agenda partagé de la messagerie, un code couleur par thème.",
        "tools": ["Agenda partagé"], "tags": ["accueil", "permanences"],
        "steps": [
            ("Créez un agenda « Permanences » partagé en lecture avec tous les agents.", None, ""),
            ("Un événement par permanence, avec le lieu et la couleur du thème.", ("grid", "green"),
             "Une grille de calendrier verte"),
        ],
    },
    {
        "slug": "demo-compteur-passages", "author": "agent",
        "title": "Compteur de passages à l'accueil",
        "summary": "Un compteur à main et une feuille de relevé pour connaître enfin les heures de pointe.",
        "problem": "On pensait que le lundi était le jour le plus chargé ; personne ne pouvait le prouver.",
        "materials": "Un compteur manuel (cliqueur), une feuille de relevé horaire, un tableur pour le bilan.",
        "tools": ["Cliqueur", "Tableur"], "tags": ["accueil", "mesure"],
        "steps": [
            ("Un clic par personne accueillie. À chaque heure pile, notez le chiffre et remettez à zéro.",
             ("box", "grey"), "Un petit boîtier gris"),
            ("Le vendredi, reportez la semaine dans le tableur : le graphique se met à jour.", None, ""),
        ],
    },
    {
        "slug": "demo-courrier-facile-a-lire", "author": "agent20",
        "title": "Modèle de courrier facile à lire et à comprendre",
        "summary": "Un modèle de lettre en « facile à lire et à comprendre » : phrases courtes, une idée par "
                   "ligne, ce qu'il faut faire en premier.",
        "problem": "Beaucoup de personnes revenaient au guichet avec notre courrier pour qu'on le leur "
                   "explique.",
        "materials": "Traitement de texte, police sans empattement en corps 14, le logo FALC.",
        "tools": ["Traitement de texte"], "tags": ["courrier", "accessibilité"],
        "steps": [
            ("Commencez par ce que la personne doit faire, et avant quelle date.", ("paper", "green"),
             "Une lettre avec de grandes lignes vertes"),
            ("Une phrase, une idée. Pas d'abréviation, pas de sigle.", None, ""),
            ("Faites relire par une personne qui ne connaît pas le sujet.", None, ""),
        ],
    },
    {
        "slug": "demo-kit-nouveaux-agents", "author": "organisateur",
        "title": "Boîte d'accueil des nouveaux agents",
        "summary": "Une boîte prête à offrir le premier jour : plan de la mairie, contacts utiles, codes, "
                   "badge et un mot de l'équipe.",
        "problem": "Les nouveaux arrivants passaient leur première semaine à demander où étaient les choses.",
        "materials": "Une boîte d'archive, le plan du bâtiment imprimé, la liste des contacts, un badge.",
        "tools": ["Imprimante", "Boîte d'archive"], "tags": ["agents", "accueil"],
        "steps": [
            ("Imprimez le plan et la liste des contacts, mettez-les à jour à chaque arrivée.", None, ""),
            ("Ajoutez un mot manuscrit de l'équipe : c'est ce qui compte le plus.", ("box", "blue"),
             "Une boîte bleue fermée"),
        ],
    },
]

RATINGS = [  # (slug, username, stars)
    ("demo-file-attente-etat-civil", "agent20", 5), ("demo-file-attente-etat-civil", "editeur", 4),
    ("demo-file-attente-etat-civil", "organisateur", 5),
    ("demo-file-attente-ecran", "agent", 5), ("demo-file-attente-ecran", "organisateur", 4),
    ("demo-file-attente-mariages", "agent20", 4),
    ("demo-signaletique-carton-plume", "agent", 4), ("demo-signaletique-carton-plume", "agent20", 3),
    ("demo-macro-lettres-rendez-vous", "agent", 5), ("demo-macro-lettres-rendez-vous", "editeur", 4),
    ("demo-registre-cles-salles", "agent20", 3),
    ("demo-fiches-langues", "agent20", 5), ("demo-fiches-langues", "organisateur", 5),
    ("demo-boite-idees-qr", "editeur", 2),
    ("demo-courrier-facile-a-lire", "agent", 5), ("demo-courrier-facile-a-lire", "organisateur", 4),
    ("demo-compteur-passages", "agent20", 4),
]

FEEDBACK = [  # (slug, username, outcome, note)
    ("demo-file-attente-etat-civil", "agent20", Feedback.Outcome.WORKED,
     "Installé au 20e en une matinée. L'attente moyenne du samedi est passée de 40 à 25 minutes ; nous y "
     "avons ajouté un écran d'appel (voir la variante)."),
    ("demo-file-attente-ecran", "agent", Feedback.Outcome.WORKED,
     "Repris au 19e avec un vieux moniteur : les usagers ne demandent plus « c'est bientôt ? »."),
    ("demo-signaletique-carton-plume", "agent20", Feedback.Outcome.PARTLY,
     "Très bien dans le hall, mais le carton plume gondole près des fenêtres : nous avons pris du PVC expansé."),
    ("demo-macro-lettres-rendez-vous", "agent", Feedback.Outcome.WORKED,
     "Fonctionne avec notre modèle, après avoir changé le chemin du dossier."),
    ("demo-boite-idees-qr", "editeur", Feedback.Outcome.FAILED,
     "Peu de réponses chez nous : beaucoup d'agents n'ont pas de téléphone professionnel. Nous avons gardé "
     "la boîte en carton à côté."),
    ("demo-fiches-langues", "agent20", Feedback.Outcome.WORKED,
     "Nous avons ajouté une fiche en portugais. Indispensable au guichet."),
]

COMMENTS = [  # (slug, username, text)
    ("demo-file-attente-etat-civil", "agent20",
     "Bravo ! Est-ce que le classeur tient une journée entière sans ralentir ?"),
    ("demo-file-attente-etat-civil", "agent", "Oui, 300 lignes sans souci. Au-delà, on archive l'onglet."),
    ("demo-macro-lettres-rendez-vous", "editeur",
     "Pensez à signer la macro, sinon LibreOffice la bloque avec la sécurité par défaut."),
    ("demo-signaletique-carton-plume", "organisateur", "Les gabarits marchent aussi pour les soirs d'élection."),
]

EDITS = [  # a second version, to show the history: (slug, username, change, note)
    ("demo-file-attente-etat-civil", "agent20",
     {"materials": "LibreOffice Calc (ou tout tableur), un ordinateur au pupitre d'accueil, des tickets "
                   "papier numérotés (un carnet à souches suffit), un minuteur de cuisine pour les appels."},
     "Ajout du minuteur, pratique pour rappeler un numéro absent"),
]


def _input(spec):
    steps = []
    for index, (text, picture, alt) in enumerate(spec["steps"], start=1):
        upload = _picture(picture[0], picture[1], name=f"{spec['slug']}-{index}.png") if picture else None
        steps.append(StepInput(text=text, upload=upload, alt=alt))
    return BricolageInput(
        title=spec["title"], problem=spec["problem"], summary=spec["summary"], materials=spec["materials"],
        tags=spec["tags"], tools=spec["tools"], steps=steps,
        add_attachments=[_csv(name, text) for name, text in spec.get("files", [])],
    )


def seed(ctx):
    users = ctx.users
    created = set()
    for spec in BRICOLAGES:
        if BricolagePage.objects.filter(slug=spec["slug"]).exists():
            continue
        parent = BricolagePage.objects.get(slug=spec["variant_of"]) if spec.get("variant_of") else None
        data = _input(spec)  # a variant also inherits its parent's files
        services.bricolage_create(author=users[spec["author"]], data=data, variant_of=parent, slug=spec["slug"])
        created.add(spec["slug"])
    pages = {p.slug: p for p in BricolagePage.objects.filter(slug__in=[s["slug"] for s in BRICOLAGES])}
    for slug, username, change, note in EDITS:
        if slug in created:
            page = pages[slug]
            data = BricolageInput.from_page(page)
            for name, value in change.items():
                setattr(data, name, value)
            services.bricolage_update(user=users[username], bricolage=page, data=data, change_note=note)
    pages = {p.slug: p for p in BricolagePage.objects.filter(slug__in=[s["slug"] for s in BRICOLAGES])}
    for slug, username, stars in RATINGS:
        services.rating_set(user=users[username], bricolage=pages[slug], stars=stars)
    for slug, username, outcome, note in FEEDBACK:
        services.feedback_record(user=users[username], bricolage=pages[slug], outcome=outcome, note=note)
    for slug, username, text in COMMENTS:
        if slug in created:
            engine.comment_post(user=users[username], target=pages[slug], text=text)
    from .explorations import demo as explorations

    explorations.seed(ctx)
    from .openbricolage import demo as openbricolage

    openbricolage.seed(ctx)
