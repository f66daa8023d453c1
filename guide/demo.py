"""Demo content of the guide: the guide index of both demo mairies (with their services), and, for
the 19e, six life situations and thirteen démarches written for this project (general French
procedures as they run in Paris; an editor checks costs and delays against service-public.fr before
publishing for real). The demo agent of the 19e works at the état civil and the Relais informations
familles; the demo resident has one carnet (a crèche), shared with the Relais informations familles."""

from django.db import transaction

from .models import Carnet, CarnetShare, DemarchePage, LifeSituationPage, Service
from .setup import set_up

ID = ("Une pièce d'identité", "Carte d'identité, passeport ou titre de séjour, en cours de validité.")
HOME = ("Un justificatif de domicile de moins de trois mois",
        "Facture d'électricité, de gaz ou de téléphone fixe, quittance de loyer d'un bailleur, avis d'imposition. "
        "Hébergé·e : l'attestation de la personne qui vous héberge, sa pièce d'identité et son justificatif.")
FAMILY_BOOK = ("Le livret de famille", "S'il en existe un.")
NO_READING = ("Je ne sais pas lire, pouvez-vous m'aider ?", "Lire les documents avec la personne, remplir avec elle.")
SLOWLY = ("Je parle un peu français. Pouvez-vous parler lentement ?", "Phrases courtes, montrer les documents.")
LIST = ("Pouvez-vous m'écrire la liste des papiers à apporter ?", "Ouvrir un carnet du citoyen avec la personne.")

SITUATIONS = [
    ("devenir-majeur", "Devenir majeur", "Entre 16 et 18 ans, quelques démarches ouvrent vos droits de citoyen·ne.",
     "<p>À 16 ans, on se fait recenser ; à 18 ans, on vote. Entre les deux, une carte d'identité à jour et un acte "
     "de naissance sous la main vous éviteront bien des allers-retours (examens, permis, premier emploi).</p>",
     [("tip", "Faites-vous recenser dès vos 16 ans : l'attestation est demandée pour le bac, le permis de conduire "
              "et les concours jusqu'à 25 ans."),
      ("memo", "Recensé·e, vous serez inscrit·e d'office sur les listes électorales à vos 18 ans.")],
     [("Je viens pour me faire recenser.", "Recensement citoyen, affaires générales."),
      ("Je viens pour faire ma carte d'identité.", "Vérifier le rendez-vous et la pré-demande."), NO_READING]),
    ("se-marier-se-pacser", "Se marier, se pacser", "Deux façons de s'engager, deux dossiers différents.",
     "<p>Le mariage est célébré à la mairie par un·e officier·e d'état civil, après la publication des bans. "
     "Le PACS est un contrat enregistré à la mairie (ou chez un notaire). Dans les deux cas, un rendez-vous est "
     "nécessaire : prévoyez large.</p>",
     [("memo", "Les actes de naissance demandés doivent dater de moins de trois mois (six mois s'ils viennent de "
               "l'étranger)."),
      ("tip", "Pour le mariage, déposez le dossier au moins deux mois avant la date souhaitée.")],
     [("Nous voulons nous marier : par où commencer ?", "Remettre la liste des pièces, proposer un rendez-vous."),
      ("Nous voulons nous pacser.", "Convention et déclaration conjointe, rendez-vous à l'état civil."), SLOWLY]),
    ("avoir-un-enfant", "Avoir un enfant", "De la naissance à la crèche : les démarches des premiers mois.",
     "<p>Une naissance se déclare dans les cinq jours. Ensuite viennent l'acte de naissance, le livret de famille, "
     "et très tôt la demande de place en crèche, qui se fait dès la grossesse.</p>",
     [("tip", "Beaucoup de maternités parisiennes accueillent une permanence de l'état civil : vous pouvez y "
              "déclarer la naissance sans venir à la mairie."),
      ("memo", "La demande de crèche se fait dès le sixième mois de grossesse ; elle se confirme chaque trimestre.")],
     [("Je viens pour inscrire mon enfant à la crèche.", "Relais informations familles."),
      ("Je viens déclarer la naissance de mon enfant.", "État civil, dans les cinq jours."), NO_READING]),
    ("chercher-un-logement", "Chercher un logement", "Demander un logement social et être accompagné·e.",
     "<p>La demande de logement social se fait une fois, pour toute l'Île-de-France, et se renouvelle chaque année. "
     "Les délais sont longs à Paris : déposez-la tôt et tenez-la à jour.</p>",
     [("memo", "Sans renouvellement chaque année à la date anniversaire, la demande est annulée."),
      ("tip", "Tout changement (naissance, revenus, travail) se signale : il peut rendre la demande prioritaire.")],
     [("Je cherche un logement social.", "Urbanisme et logement : numéro unique, pièces."), LIST, SLOWLY]),
    ("faire-des-travaux", "Faire des travaux", "Façade, fenêtres, véranda : ce qu'il faut déclarer avant.",
     "<p>Changer ses fenêtres, ravaler une façade, créer une ouverture : beaucoup de travaux extérieurs demandent "
     "une déclaration préalable, et les plus importants un permis de construire. À Paris, de nombreux secteurs "
     "sont protégés : renseignez-vous avant de signer un devis.</p>",
     [("memo", "Sans réponse dans le délai d'instruction, l'autorisation est en principe accordée : gardez le "
               "récépissé de dépôt."),
      ("tip", "En copropriété, l'accord de l'assemblée générale est aussi nécessaire pour les parties communes.")],
     [("Je veux faire des travaux chez moi : faut-il une autorisation ?", "Urbanisme : type de travaux, secteur."),
      LIST]),
    ("periode-difficile", "Traverser une période difficile",
     "Perte d'emploi, séparation, dettes, plus d'adresse : la mairie peut aider.",
     "<p>Le Centre d'action sociale de la Ville de Paris (CASVP) reçoit toute personne qui traverse une période "
     "difficile : aides financières, accompagnement par un·e travailleur·se social·e, domiciliation pour recevoir "
     "son courrier. On peut venir sans rendez-vous pour un premier accueil.</p>",
     [("tip", "Venez même sans tous vos papiers : le premier accueil sert justement à faire le point."),
      ("memo", "Le carnet du citoyen, partagé avec le CASVP, vous évite de raconter votre histoire à chaque service.")],
     [("J'ai besoin d'aide pour payer mon loyer.", "Orienter vers le CASVP, premier accueil."),
      ("Je n'ai pas d'adresse pour recevoir mon courrier.", "Domiciliation administrative au CASVP."),
      NO_READING, SLOWLY]),
]

# (situation, slug, title, intro, what, who, where_when, documents, cost, delay, service, steps, notes, postits)
DEMARCHES = [
    ("devenir-majeur", "recensement-citoyen", "Se faire recenser (recensement citoyen)",
     "Obligatoire entre 16 ans et la fin du troisième mois qui suit.",
     "<p>Le recensement vous inscrit pour la Journée défense et citoyenneté (JDC) et vous donne une attestation "
     "demandée pour les examens et le permis de conduire.</p>",
     "<p>Tout·e jeune Français·e de 16 ans, ou un parent pour lui ou elle.</p>",
     "<p>À la mairie de votre domicile, au service des affaires générales, ou en ligne sur service-public.fr.</p>",
     [ID, FAMILY_BOOK, ("Un justificatif de domicile", "Celui de vos parents si vous habitez chez eux.", True)],
     "Gratuit", "Attestation remise sur place", "affaires-generales",
     [("Venir avec vos papiers", "Sans rendez-vous aux heures d'ouverture."),
      ("Recevoir l'attestation", "Gardez-la précieusement : la mairie ne délivre pas de duplicata.")],
     [("memo", "Attestation perdue ? Le centre du service national peut en délivrer une autre.")],
     [("Je voudrais me faire recenser.", "")]),
    ("devenir-majeur", "listes-electorales", "S'inscrire sur les listes électorales",
     "Pour voter, il faut être inscrit·e ; les jeunes recensés le sont d'office à 18 ans.",
     "<p>L'inscription vous permet de voter dans votre arrondissement. Vous pouvez vérifier votre inscription en "
     "ligne.</p>",
     "<p>Les personnes de nationalité française de 18 ans et plus ; les citoyen·nes de l'Union européenne pour les "
     "élections municipales et européennes.</p>",
     "<p>En ligne, par courrier ou à la mairie d'arrondissement. Jusqu'au sixième vendredi avant le scrutin.</p>",
     [ID, HOME], "Gratuit", "Quelques jours ; la carte électorale arrive par courrier", "affaires-generales",
     [("Vérifier votre situation", "Sur service-public.fr : « Interroger sa situation électorale »."),
      ("Déposer la demande", "En ligne ou au guichet, avec vos pièces.")],
     [("tip", "Vous avez déménagé dans l'arrondissement ? Signalez votre nouvelle adresse : votre bureau de vote "
              "peut changer.")],
     [("Je voudrais m'inscrire pour voter.", "")]),
    ("devenir-majeur", "carte-identite", "Demander une carte d'identité",
     "Sur rendez-vous, avec une pré-demande en ligne.",
     "<p>La carte nationale d'identité prouve votre identité et votre nationalité ; elle sert aussi de document "
     "de voyage dans l'Union européenne.</p>",
     "<p>Toute personne de nationalité française, quel que soit son âge (un parent accompagne les mineur·es).</p>",
     "<p>Dans n'importe quelle mairie équipée, sur rendez-vous. Faites d'abord la pré-demande sur le site de "
     "l'ANTS et notez son numéro.</p>",
     [("Le numéro de pré-demande ANTS", "Ou le formulaire papier rempli au guichet."),
      ("Une photo d'identité de moins de six mois", "Aux normes ; certaines cabines transmettent un code."),
      HOME, ("L'ancienne carte", "S'il s'agit d'un renouvellement.", True),
      ("La déclaration de perte ou de vol et un timbre fiscal de 25 €", "Seulement si l'ancienne carte est perdue "
       "ou volée.", True)],
     "Gratuit (25 € en cas de perte ou de vol)", "Plusieurs semaines selon la période", "affaires-generales",
     [("Faire la pré-demande", "Sur le site de l'ANTS."), ("Prendre rendez-vous", "En ligne ou par téléphone."),
      ("Venir au rendez-vous", "Prise d'empreintes, signature."),
      ("Retirer la carte", "En personne, dans les trois mois après l'avis de mise à disposition.")],
     [("memo", "Les délais s'allongent avant l'été : demandez votre carte au printemps.")],
     [("Je viens pour faire ma carte d'identité.", ""), ("J'ai perdu mes papiers.", "Déclaration de perte.")]),
    ("devenir-majeur", "acte-de-naissance", "Demander un acte de naissance",
     "La copie intégrale ou l'extrait, demandé à la mairie du lieu de naissance.",
     "<p>L'acte de naissance est demandé pour la carte d'identité dans certains cas, le mariage, le PACS ou "
     "une succession.</p>",
     "<p>La personne elle-même, ses parents, ses grands-parents, ses enfants, son époux ou épouse ; d'autres "
     "personnes, seulement pour un extrait sans filiation.</p>",
     "<p>À la mairie du lieu de naissance (à Paris, celle de l'arrondissement), au guichet ou en ligne. "
     "Né·e à l'étranger : le service central d'état civil, à Nantes.</p>",
     [ID, ("Vos date et lieu de naissance, les noms de vos parents", "Pour retrouver l'acte.")],
     "Gratuit", "Immédiat au guichet, quelques jours par courrier", "etat-civil",
     [("Faire la demande", "Au guichet de l'état civil ou en ligne, sans frais."),
      ("Recevoir l'acte", "Sur place ou par courrier.")],
     [("memo", "Méfiez-vous des sites qui font payer la demande : elle est gratuite.")],
     [("Je voudrais un acte de naissance.", "")]),
    ("se-marier-se-pacser", "mariage", "Se marier à la mairie",
     "Un dossier, des bans publiés dix jours, puis la cérémonie.",
     "<p>Le mariage civil est célébré à la mairie, en présence de deux à quatre témoins.</p>",
     "<p>Deux personnes majeures, dont l'une au moins a son domicile (ou ses parents le leur) dans "
     "l'arrondissement.</p>",
     "<p>Dossier à déposer au service de l'état civil, sur rendez-vous, au moins deux mois avant la date.</p>",
     [("Les pièces d'identité des deux futur·es époux", ""),
      ("Les actes de naissance des deux futur·es époux", "De moins de trois mois, ou six mois s'ils sont étrangers."),
      ("Un justificatif de domicile par personne", ""),
      ("La liste des témoins et leurs pièces d'identité", "Nom, prénoms, date et lieu de naissance, profession, "
       "adresse."),
      ("Le certificat du notaire", "Seulement si vous faites un contrat de mariage.", True)],
     "Gratuit", "Publication des bans : dix jours ; dossier deux mois avant", "etat-civil",
     [("Retirer le dossier", "À l'état civil ou en ligne."), ("Déposer le dossier", "Sur rendez-vous, ensemble."),
      ("Audition éventuelle", "L'officier·e d'état civil peut vous recevoir."),
      ("La cérémonie", "À la date réservée, avec vos témoins.")],
     [("tip", "Les samedis partent vite : réservez la date dès que possible.")],
     [("Nous voulons nous marier.", "")]),
    ("se-marier-se-pacser", "pacs", "Conclure un PACS",
     "Un contrat, enregistré à la mairie sur rendez-vous.",
     "<p>Le pacte civil de solidarité organise la vie commune de deux partenaires.</p>",
     "<p>Deux personnes majeures, sans lien de parenté proche, ni mariées ni déjà pacsées.</p>",
     "<p>À la mairie de votre résidence commune (service de l'état civil), ou chez un notaire.</p>",
     [("La convention de PACS", "Le formulaire Cerfa n° 15726 ou une convention rédigée par vous."),
      ("La déclaration conjointe", "Le formulaire Cerfa n° 15725."),
      ("L'acte de naissance de chaque partenaire", "De moins de trois mois."),
      ("La pièce d'identité de chaque partenaire", "")],
     "Gratuit à la mairie", "Le jour du rendez-vous", "etat-civil",
     [("Préparer les formulaires", "Vous pouvez faire vérifier le dossier avant le rendez-vous."),
      ("Venir ensemble au rendez-vous", "Le PACS est enregistré sur place.")],
     [("memo", "Le PACS est mentionné en marge de vos actes de naissance.")],
     [("Nous voulons nous pacser.", "")]),
    ("avoir-un-enfant", "declarer-une-naissance", "Déclarer une naissance",
     "Dans les cinq jours qui suivent l'accouchement.",
     "<p>La déclaration crée l'acte de naissance de l'enfant ; le livret de famille est remis ou mis à jour.</p>",
     "<p>Le père, la mère, ou toute personne qui a assisté à l'accouchement.</p>",
     "<p>À la mairie du lieu de naissance, ou à la permanence de l'état civil de la maternité.</p>",
     [("Le certificat d'accouchement", "Remis par la maternité."), ID, FAMILY_BOOK,
      ("La déclaration conjointe de choix de nom", "Si vous choisissez le nom de l'enfant.", True),
      ("L'acte de reconnaissance", "Si l'enfant a été reconnu avant la naissance.", True)],
     "Gratuit", "Cinq jours après la naissance au plus tard", "etat-civil",
     [("Déclarer", "À la maternité ou à la mairie."), ("Recevoir les actes", "Demandez plusieurs copies.")],
     [("memo", "Le jour de l'accouchement ne compte pas dans les cinq jours.")],
     [("Je viens déclarer la naissance de mon enfant.", "")]),
    ("avoir-un-enfant", "inscription-creche", "Demander une place en crèche",
     "Une demande au Relais informations familles, dès la grossesse.",
     "<p>La demande est examinée par la commission d'attribution de l'arrondissement, qui tient compte de votre "
     "situation. Le tarif dépend de vos revenus.</p>",
     "<p>Les parents domiciliés dans l'arrondissement, à partir du sixième mois de grossesse.</p>",
     "<p>Au Relais informations familles de la mairie, sur rendez-vous.</p>",
     [ID, HOME, ("Le livret de famille ou une attestation de grossesse", ""),
      ("Le dernier avis d'imposition", "Pour calculer le tarif.")],
     "Dépôt gratuit ; tarif selon vos revenus", "Réponse après la commission d'attribution", "relais-familles",
     [("Prendre rendez-vous", "Au Relais informations familles."),
      ("Déposer la demande", "Avec vos pièces, et vos souhaits de crèches."),
      ("Confirmer la demande", "Chaque trimestre, sans quoi elle n'est plus examinée.")],
     [("tip", "Demandez aussi les autres modes d'accueil : assistantes maternelles, haltes-garderies.")],
     [("Je viens pour inscrire mon enfant à la crèche.", "")]),
    ("chercher-un-logement", "logement-social", "Demander un logement social",
     "Une demande unique pour l'Île-de-France, à renouveler chaque année.",
     "<p>La demande vous donne un numéro unique ; les propositions viennent des bailleurs et des réservataires "
     "(Ville, État, employeurs).</p>",
     "<p>Les personnes en situation régulière dont les revenus ne dépassent pas les plafonds.</p>",
     "<p>En ligne, ou au service du logement de la mairie avec le formulaire Cerfa n° 14069.</p>",
     [("Une pièce d'identité ou un titre de séjour de chaque personne majeure", ""),
      ("Le dernier avis d'imposition de chaque personne du foyer", ""),
      ("Un justificatif de votre situation actuelle", "Bail, attestation d'hébergement, jugement d'expulsion...",
       True)],
     "Gratuit", "Plusieurs années à Paris ; numéro unique sous un mois", "urbanisme",
     [("Déposer la demande", "En ligne ou au guichet."), ("Recevoir le numéro unique", "Gardez-le."),
      ("Renouveler chaque année", "À la date anniversaire.")],
     [("memo", "Signalez tout changement de situation : il peut rendre la demande prioritaire.")],
     [("Je cherche un logement social.", "")]),
    ("faire-des-travaux", "declaration-travaux", "Déposer une déclaration préalable de travaux",
     "Pour les travaux qui changent l'aspect extérieur d'un bâtiment.",
     "<p>Ravalement, changement de fenêtres ou de volets, petite extension : la déclaration préalable permet à la "
     "Ville de vérifier que le projet respecte les règles d'urbanisme.</p>",
     "<p>Le ou la propriétaire, ou une personne qu'il ou elle autorise (locataire, syndic).</p>",
     "<p>En ligne ou auprès du service de l'urbanisme de la Ville de Paris ; la mairie d'arrondissement vous "
     "oriente.</p>",
     [("Le formulaire Cerfa rempli", "N° 13703 pour une maison individuelle, n° 13404 dans les autres cas."),
      ("Un plan de situation et un plan de masse", ""), ("Des photos et une représentation de l'aspect extérieur",
                                                         "Avant et après travaux."),
      ("L'accord de la copropriété", "Si les travaux touchent les parties communes.", True)],
     "Gratuit", "Un mois d'instruction, deux en secteur protégé", "urbanisme",
     [("Constituer le dossier", ""), ("Déposer et recevoir le récépissé", ""),
      ("Afficher l'autorisation sur place", "Pendant toute la durée des travaux.")],
     [("memo", "Dans un secteur protégé, l'architecte des Bâtiments de France donne son avis.")],
     [("Je veux faire des travaux chez moi.", "")]),
    ("periode-difficile", "aide-casvp", "Demander une aide du CASVP",
     "Aides financières de la Ville et accompagnement social.",
     "<p>Le CASVP étudie votre situation et peut accorder des aides de la Ville (loyer, énergie, aide "
     "exceptionnelle) ou vous orienter vers d'autres droits.</p>",
     "<p>Toute personne qui habite Paris, ou qui y est domiciliée.</p>",
     "<p>À la permanence sociale de l'arrondissement : premier accueil sans rendez-vous, puis rendez-vous avec "
     "un·e travailleur·se social·e.</p>",
     [("Une pièce d'identité ou un titre de séjour", ""),
      ("Un justificatif de domicile ou l'attestation de domiciliation", ""),
      ("Vos ressources des trois derniers mois", "Bulletins de salaire, allocations, pensions."),
      ("Le dernier avis d'imposition", ""), ("Une quittance de loyer", "Pour une aide au logement.", True),
      ("Un RIB", "")],
     "Gratuit", "Quelques semaines selon l'aide", "casvp",
     [("Premier accueil", "On fait le point ensemble."), ("Rendez-vous social", "Le dossier est monté avec vous."),
      ("Décision", "Par courrier.")],
     [("tip", "Le carnet du citoyen partagé avec le CASVP garde la liste de vos papiers d'un rendez-vous à "
              "l'autre.")],
     [("J'ai besoin d'aide pour payer mon loyer.", "")]),
    ("periode-difficile", "domiciliation", "Obtenir une adresse (domiciliation administrative)",
     "Pour recevoir son courrier et faire valoir ses droits sans logement stable.",
     "<p>La domiciliation vous donne une adresse pour votre courrier et vos démarches (allocations, papiers, "
     "banque).</p>",
     "<p>Toute personne sans domicile stable ayant un lien avec l'arrondissement.</p>",
     "<p>Au CASVP de l'arrondissement.</p>",
     [("Une pièce d'identité si vous en avez une", "Sinon, venez quand même.", True)],
     "Gratuit", "Attestation valable un an, renouvelable", "casvp",
     [("Demander la domiciliation", "Un entretien au CASVP."),
      ("Retirer votre courrier", "Régulièrement, au lieu indiqué.")],
     [("memo", "Passez au moins une fois tous les trois mois, sans quoi la domiciliation peut être retirée.")],
     [("Je n'ai pas d'adresse pour recevoir mon courrier.", "")]),
    ("periode-difficile", "acte-de-deces", "Déclarer un décès et obtenir l'acte",
     "Dans les 24 heures, souvent avec l'aide des pompes funèbres.",
     "<p>La déclaration de décès crée l'acte de décès, demandé pour toutes les démarches qui suivent (banque, "
     "caisse de retraite, succession).</p>",
     "<p>Un proche, ou l'entreprise de pompes funèbres qui s'en charge le plus souvent.</p>",
     "<p>À la mairie du lieu du décès, au service de l'état civil.</p>",
     [("Le certificat de décès", "Établi par le médecin."), ("Une pièce d'identité du défunt", ""),
      ("Le livret de famille du défunt", "", True), ("Votre pièce d'identité", "")],
     "Gratuit", "Dans les 24 heures", "etat-civil",
     [("Déclarer le décès", "Ou le confier aux pompes funèbres."), ("Demander plusieurs copies de l'acte", "")],
     [("tip", "Le CASVP peut vous aider si vous ne pouvez pas payer les obsèques.")],
     [("Un proche est décédé, que dois-je faire ?", "")]),
]


def _stream(kind, values, keys):
    return [(kind, dict(zip(keys, value, strict=False))) for value in values]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed(ctx):
    with transaction.atomic():
        indexes = {slug: set_up(mairie, ctx.homes[slug]) for slug, mairie in ctx.mairies.items() if slug in ctx.homes}
        mairie = ctx.mairies.get("paris19")
        if mairie is None or "paris19" not in indexes:
            return
        index = indexes["paris19"]
        situations = {}
        for slug, title, intro, body, notes, postits in SITUATIONS:
            page = LifeSituationPage.objects.child_of(index).filter(slug=slug).first()
            if page is None:
                page = _publish(index, LifeSituationPage(
                    title=title, slug=slug, intro=intro, body=body,
                    notes=_stream("note", notes, ("kind", "text")),
                    postits=_stream("postit", postits, ("sentence", "hint"))))
            situations[slug] = page
        services = {s.slug: s for s in Service.objects.filter(mairie=mairie)}
        for (situation, slug, title, intro, what, who, where_when, documents, cost, delay, service, steps, notes,
             postits) in DEMARCHES:
            parent = situations[situation]
            if DemarchePage.objects.child_of(parent).filter(slug=slug).exists():
                continue
            _publish(parent, DemarchePage(
                title=title, slug=slug, intro=intro, what=what, who=who, where_when=where_when,
                documents=_stream("document", documents, ("name", "detail", "optional")), cost=cost, delay=delay,
                service=services.get(service), steps=_stream("step", steps, ("title", "text")),
                notes=_stream("note", notes, ("kind", "text")),
                postits=_stream("postit", postits, ("sentence", "hint"))))
        _people(ctx, mairie)


def _people(ctx, mairie):
    """The demo agents in their services; the demo resident's carnet for a crèche, shared with the
    Relais informations familles."""
    agent, resident = ctx.users.get("agent"), ctx.users.get("habitant")
    for slug in ("etat-civil", "relais-familles"):
        service = Service.objects.filter(mairie=mairie, slug=slug).first()
        if service is not None and agent is not None:
            service.agents.add(agent)
    agent20, m20 = ctx.users.get("agent20"), ctx.mairies.get("paris20")
    if agent20 is not None and m20 is not None:
        for service in Service.objects.filter(mairie=m20, slug="etat-civil"):
            service.agents.add(agent20)
    demarche = DemarchePage.objects.filter(mairie=mairie, slug="inscription-creche").first()
    if resident is None or demarche is None or Carnet.objects.filter(owner=resident, demarche=demarche).exists():
        return
    from .services import carnet_build

    carnet = carnet_build(owner=resident, mairie=mairie, demarche=demarche, opened_by=resident)
    first = carnet.items.order_by("position").first()
    if first is not None:
        first.state = first.State.BROUGHT
        first.save(update_fields=["state"])
    service = Service.objects.get(mairie=mairie, slug="relais-familles")
    CarnetShare.objects.create(carnet=carnet, service=service, recorded_by=resident)
