"""Demo content of the Service lab (19e): 40 complaints in 8 recurring issues, three past draws
(two hackathons with their outcomes, one implemented), an upcoming hackathon day.

Idempotent: nothing is added when the 19e already has recurring issues. Demo contacts are
fictional and recognisable (emails end with @contact-prive.example) so that privacy tests can
look for them in public output. Draws are computed by the real procedure; their entropy
sources say they are demonstration values."""

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

from participation import services as engine
from participation.models import AuditEntry, Quartier

from . import drawing
from .models import Complaint, ComplaintPersonalData, Draw, HackathonSession, Letter, Outcome, RecurringIssue
from .services import build_record, eligible_issues

PRIVATE_DOMAIN = "contact-prive.example"

# title, description, quartier, tags, outcome decision, carried by
ISSUES = [
    ("Justificatifs de domicile refusés pour les démarches",
     "Beaucoup d'habitant·es n'ont ni facture d'électricité ni quittance de loyer à leur nom : hébergé·es, "
     "colocataires, jeunes. Leurs démarches à l'état civil et pour la carte d'identité bloquent.",
     None, ["état civil", "justificatifs"],
     "Les factures de téléphone mobile sont désormais acceptées comme justificatif de domicile, à l'accueil "
     "comme pour les démarches en ligne ; une attestation d'hébergement simplifiée est disponible à l'accueil.",
     "Service de l'état civil"),
    ("Attente trop longue au service de l'état civil",
     "Files d'attente de plus d'une heure le matin, rendez-vous introuvables en ligne, aucune information "
     "sur le temps d'attente.",
     None, ["état civil", "accueil"],
     "Des créneaux de rendez-vous le samedi matin et un écran qui affiche le temps d'attente à l'accueil.",
     "Direction de l'accueil de la mairie"),
    ("Passage sombre derrière le marché couvert",
     "Le passage piéton derrière le marché couvert n'est presque plus éclairé le soir : plusieurs lampadaires "
     "sont éteints depuis des mois.",
     "Villette", ["éclairage", "sécurité"],
     "Six lampadaires à LED remplacés et un éclairage maintenu jusqu'à une heure du matin.",
     "Section territoriale de voirie"),
    ("Bruit nocturne autour d'un bar de la place",
     "Musique et conversations en terrasse bien après la fermeture, le week-end surtout.",
     "Combat", ["bruit", "vie nocturne"],
     "Une médiation avec l'établissement, une charte de la vie nocturne signée et un passage des "
     "correspondants de nuit le vendredi et le samedi.",
     "Mission vie nocturne"),
    ("Encombrants laissés des jours sur le trottoir",
     "Matelas, meubles et cartons restent plusieurs jours sur les trottoirs malgré les signalements.",
     "Pont-de-Flandre", ["propreté", "encombrants"],
     "Une collecte d'encombrants sans rendez-vous le premier samedi de chaque mois, dans chaque quartier.",
     "Service de la propreté"),
    ("Inscription à la cantine scolaire trop compliquée",
     "Plusieurs formulaires, des pièces à fournir deux fois, des délais mal connus des familles.",
     None, ["écoles", "démarches"],
     "Un formulaire unique pour la cantine et le périscolaire, en ligne et à l'accueil, avec une aide sur place "
     "en septembre.",
     "Caisse des écoles"),
    ("Pas de bancs à l'ombre au square",
     "Le square n'a presque aucun banc à l'ombre : les personnes âgées et les parents ne peuvent pas s'y "
     "reposer l'été.",
     "Amérique", ["espaces verts", "personnes âgées"],
     "Quatre bancs installés à l'ombre et deux arbres plantés à l'automne.",
     "Direction des espaces verts"),
    ("Horaires d'ouverture de la mairie incompatibles avec le travail",
     "Les personnes qui travaillent en journée ne trouvent pas de créneau pour leurs démarches.",
     None, ["accueil", "horaires"],
     "L'accueil de la mairie ouvre jusqu'à 19 h le jeudi.",
     "Direction de l'accueil de la mairie"),
]

# per issue: (channel, subject, full text, public summary, contact kind) — contact kind: "email", "post", "account"
COMPLAINTS = [
    [
        ("paper", "Refus de mon dossier de carte d'identité",
         "Je suis hébergée chez ma sœur depuis deux ans et je n'ai aucune facture à mon nom. L'agent m'a dit que "
         "l'attestation d'hébergement ne suffisait pas sans sa facture d'électricité, qu'elle ne retrouve pas.",
         "Personne hébergée sans facture à son nom, dossier de carte d'identité refusé.", "post"),
        ("email", "Justificatif pour une colocation",
         "Nous sommes quatre en colocation et le bail est au nom d'un seul. Les trois autres ne peuvent rien "
         "prouver pour leur inscription sur les listes électorales.",
         "Colocataires sans justificatif à leur nom pour s'inscrire sur les listes électorales.", "email"),
        ("in_person", "Facture de portable refusée",
         "J'ai présenté ma facture de téléphone portable, la seule que je reçois à mon adresse, elle a été refusée.",
         "Une facture de téléphone mobile a été refusée comme justificatif.", "post"),
        ("online", "Démarche bloquée pour un jeune adulte",
         "Mon fils de 19 ans vit chez nous et n'a aucun papier à son nom pour prouver son adresse.",
         "Jeune adulte vivant chez ses parents sans justificatif de domicile.", "account"),
        ("paper", "Justificatif de domicile pour mon passeport",
         "Je vis en foyer de travailleurs, le foyer délivre une attestation mais elle n'est pas acceptée.",
         "Attestation d'un foyer de travailleurs non acceptée.", "post"),
        ("email", "Quelles pièces pour prouver mon adresse ?",
         "Je ne comprends pas la liste des justificatifs acceptés, elle change selon le guichet.",
         "Liste des justificatifs acceptés jugée floue et variable selon les guichets.", "email"),
        ("paper", "Facture d'internet refusée",
         "Mon abonnement internet est à mon nom, la facture a pourtant été refusée car elle était dématérialisée.",
         "Facture d'internet dématérialisée refusée.", "post"),
    ],
    [
        ("paper", "Une heure et demie d'attente",
         "Venu à 8 h 30 pour un acte de naissance, j'ai été reçu à 10 h, sans savoir combien de temps attendre.",
         "Environ quatre-vingt-dix minutes avant d'être reçu pour un acte, sans information sur le délai.", "post"),
        ("online", "Aucun rendez-vous disponible",
         "Le site de rendez-vous n'affiche aucun créneau pour les trois prochaines semaines.",
         "Aucun créneau de rendez-vous en ligne sur plusieurs semaines.", "account"),
        ("email", "Attente debout avec un bébé",
         "J'ai attendu longtemps debout avec mon bébé, il n'y avait plus de chaises dans la salle.",
         "Attente debout, faute de sièges, avec un nourrisson.", "email"),
        ("in_person", "Ticket perdu",
         "Mon numéro est passé pendant que j'étais aux toilettes, j'ai dû reprendre un ticket.",
         "Un passage de numéro manqué oblige à tout recommencer.", "post"),
        ("email", "Demande d'ouverture le samedi",
         "Ne pourrait-on pas ouvrir l'état civil le samedi matin pour désengorger la semaine ?",
         "Demande d'un accueil de l'état civil le samedi.", "email"),
        ("paper", "Attente pour un mariage",
         "Pour déposer notre dossier de mariage, nous sommes venus trois fois avant d'être reçus.",
         "Trois passages nécessaires pour déposer un dossier de mariage.", "post"),
    ],
    [
        ("paper", "Lampadaires éteints derrière le marché",
         "Depuis l'hiver, trois lampadaires sont éteints dans le passage derrière le marché. Je rentre du travail "
         "tard et je fais le grand tour.",
         "Plusieurs lampadaires éteints depuis l'hiver dans le passage.", "post"),
        ("email", "Passage dangereux le soir",
         "Ma fille a peur de prendre ce passage le soir, il fait complètement noir au milieu.",
         "Passage perçu comme dangereux à la nuit tombée.", "email"),
        ("in_person", "Chute dans le passage",
         "Je suis tombé sur une marche que je ne voyais pas à cause du manque de lumière.",
         "Une chute due au manque de lumière.", "post"),
        ("online", "Éclairage du passage",
         "Il faudrait un éclairage qui reste allumé au moins jusqu'à minuit.",
         "Demande d'un éclairage maintenu plus tard.", "account"),
        ("paper", "Signalement déjà fait sans suite",
         "J'ai signalé l'éclairage en panne il y a six mois, rien n'a bougé.",
         "Signalement de panne resté sans suite.", "post"),
    ],
    [
        ("email", "Bruit jusqu'à 3 heures",
         "Tous les vendredis, la terrasse reste bruyante jusqu'à 3 h du matin, je dors avec des bouchons.",
         "Terrasse bruyante jusqu'au milieu de la nuit le vendredi.", "email"),
        ("paper", "Musique forte le week-end",
         "La musique s'entend fenêtres fermées au troisième étage.",
         "Musique audible fenêtres fermées dans les étages.", "post"),
        ("paper", "Clients sur le trottoir",
         "Après la fermeture, les clients restent sur le trottoir et parlent fort sous nos fenêtres.",
         "Attroupements bruyants après la fermeture.", "post"),
        ("email", "Enfants réveillés",
         "Mes enfants sont réveillés plusieurs fois par nuit le samedi.",
         "Sommeil d'enfants perturbé le samedi.", "email"),
        ("in_person", "Demande de médiation",
         "Nous voudrions une rencontre avec le gérant plutôt que des plaintes.",
         "Souhait d'une médiation avec l'établissement.", "post"),
    ],
    [
        ("online", "Matelas depuis une semaine",
         "Un matelas est posé contre l'arbre devant mon immeuble depuis une semaine.",
         "Un matelas abandonné plus d'une semaine.", "account"),
        ("paper", "Trottoir encombré",
         "Les meubles déposés bloquent le trottoir, je ne peux plus passer avec mon fauteuil.",
         "Trottoir rendu impraticable en fauteuil roulant.", "post"),
        ("email", "Rendez-vous encombrants trop lointain",
         "Le premier rendez-vous pour enlever mon canapé était dans trois semaines.",
         "Délai de trois semaines pour un enlèvement sur rendez-vous.", "email"),
        ("paper", "Dépôts répétés au coin de la rue",
         "Chaque week-end, de nouveaux dépôts apparaissent au même endroit.",
         "Dépôts sauvages récurrents au même endroit.", "post"),
        ("in_person", "Cartons et électroménager",
         "Un frigo et des cartons sont restés quatre jours devant l'école.",
         "Électroménager abandonné devant une école.", "post"),
    ],
    [
        ("email", "Trois formulaires pour la cantine",
         "Il a fallu remplir trois formulaires différents pour la cantine, le centre de loisirs et l'étude.",
         "Trois formulaires distincts pour la cantine et le périscolaire.", "email"),
        ("paper", "Inscription refusée faute de pièce",
         "Le dossier de cantine de ma fille a été refusé car il manquait l'avis d'imposition, déjà fourni à l'école.",
         "Pièce déjà fournie redemandée pour la cantine.", "post"),
        ("online", "Dates d'inscription inconnues",
         "Nous avons appris trop tard que les inscriptions étaient closes.",
         "Dates d'inscription mal connues des familles.", "account"),
        ("email", "Tarif de cantine",
         "Le calcul du tarif n'est pas expliqué et je ne sais pas à qui m'adresser.",
         "Calcul du tarif de cantine peu compréhensible.", "email"),
        ("paper", "Aide pour remplir le dossier",
         "Je ne lis pas bien le français, personne n'a pu m'aider à remplir le dossier de cantine.",
         "Besoin d'aide pour remplir le dossier de cantine.", "post"),
    ],
    [
        ("paper", "Aucun banc à l'ombre",
         "À mon âge, je ne peux pas rester au soleil, et les seuls bancs sont en plein soleil.",
         "Personne âgée ne trouvant aucun banc ombragé.", "post"),
        ("email", "Square invivable l'été",
         "Avec la poussette, impossible de s'asseoir à l'ombre au square cet été.",
         "Parents sans ombre pour s'asseoir l'été.", "email"),
        ("in_person", "Planter des arbres",
         "Pourquoi ne pas planter quelques arbres près des jeux ?",
         "Suggestion de planter des arbres près des jeux.", "post"),
        ("paper", "Bancs cassés",
         "Deux des bancs sont cassés depuis le printemps.",
         "Deux bancs hors d'usage depuis le printemps.", "post"),
    ],
    [
        ("email", "Mairie fermée quand je sors du travail",
         "Je finis à 18 h, la mairie est fermée quand j'arrive.",
         "Accueil fermé à la sortie du travail.", "email"),
        ("paper", "Congé posé pour une démarche",
         "J'ai dû poser une demi-journée de congé pour un simple acte.",
         "Demi-journée de congé nécessaire pour une démarche simple.", "post"),
        ("online", "Ouverture tardive un soir",
         "Une ouverture un soir par semaine jusqu'à 19 h ou 20 h changerait tout.",
         "Demande d'une ouverture en soirée.", "account"),
    ],
]

FIRST_NAMES = ["Aminata", "Bernard", "Chloé", "Djamel", "Élise", "Farid", "Gisèle", "Hugo", "Inès", "Jacques",
               "Karima", "Louis", "Mariam", "Nicolas", "Odile", "Pierre", "Rachida", "Sébastien", "Thi", "Yacine"]
LAST_NAMES = ["Traoré", "Lefèvre", "Nguyen", "Benali", "Moreau", "Haddad", "Rousseau", "Diallo", "Petit", "Martin"]
STREETS = ["rue de Flandre", "avenue Jean-Jaurès", "rue de Crimée", "rue Manin", "boulevard de la Villette",
           "rue de Meaux", "rue d'Hautpoul", "avenue Secrétan"]

DEMO_OUTCOMES = ["implemented", "in_progress"]  # the outcomes of the two earlier hackathons


def _contact(n):
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 3) % len(LAST_NAMES)]
    email = f"{slugify(first)}.{slugify(last)}.{n}@{PRIVATE_DOMAIN}"
    address = f"{first} {last}\n{10 + n} {STREETS[n % len(STREETS)]}\n75019 Paris"
    return f"{first} {last}", email, f"01 40 99 {n:02d} {(n * 7) % 100:02d}", address


def _aware(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _months_ago(today, k):
    first = today.replace(day=1)
    for _ in range(k):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def seed(ctx):
    mairie = ctx.mairies["paris19"]
    if RecurringIssue.objects.filter(mairie=mairie).exists():
        return
    agent, organiser, resident = ctx.users["agent"], ctx.users["organisateur"], ctx.users["habitant"]
    today = timezone.localdate()
    quartiers = {q.name: q for q in Quartier.objects.filter(mairie=mairie)}
    issues, n = [], 0
    for (title, description, quartier, tags, _decision, _who), letters in zip(ISSUES, COMPLAINTS, strict=True):
        issue = RecurringIssue.objects.create(mairie=mairie, author=agent, title=title, description=description,
                                              quartier=quartiers.get(quartier))
        issue.tags.set(tags)
        for channel, subject, text, summary, kind in letters:
            n += 1
            received = today - dt.timedelta(days=150 - 3 * n)
            complaint = Complaint.objects.create(
                mairie=mairie, quartier=issue.quartier, issue=issue, channel=channel, received_on=received,
                public_summary=summary, summary_approved_at=_aware(received, 12), summary_approved_by=agent,
                recorded_by=None if kind == "account" else agent, grouped_at=_aware(received, 12))
            complaint.tags.set(tags[:1])
            name, email, phone, address = _contact(n)
            personal = ComplaintPersonalData(complaint=complaint, subject=subject, full_text=text,
                                             acknowledged_at=_aware(received, 13))
            if kind == "account":
                personal.author, personal.contact_name = resident, resident.public_name
                engine.follow_add(user=resident, target=issue)
            else:
                personal.contact_name, personal.contact_phone = name, phone
                personal.postal_address = address if kind == "post" else ""
                personal.contact_email = email if kind == "email" else ""
            personal.save()
        issue.complaints_count = len(letters)
        issue.save(update_fields=["complaints_count"])
        issues.append(issue)
    for issue in (issues[0], issues[2]):
        engine.support_add(user=resident, target=issue)
    _past_draws(mairie, organiser, today, issues)


def _past_draws(mairie, organiser, today, issues):
    decisions = {issue.pk: (spec[4], spec[5]) for issue, spec in zip(issues, ISSUES, strict=True)}
    for months_back, outcome_status in ((3, "implemented"), (2, "in_progress"), (1, None)):
        month = _months_ago(today, months_back)
        loto_day = month + dt.timedelta(days=4)
        frozen_at = _aware(month + dt.timedelta(days=1), 10)
        source = (f"Démonstration : les 5 numéros du tirage du Loto FDJ du {loto_day:%d/%m/%Y}, dans l'ordre "
                  f"croissant, séparés par des espaces, suivis du dé lancé en public dans le hall de la mairie")
        record = build_record(mairie=mairie, month=month, sequence=1, issues=list(eligible_issues(mairie)),
                              entropy_source=source, entropy_available_at=_aware(loto_day, 21), frozen_at=frozen_at)
        record_json = drawing.canonical_bytes(record).decode("utf-8")
        draw = Draw.objects.create(mairie=mairie, month=month, record_json=record_json,
                                   list_hash=drawing.list_hash(record), entropy_source=record["entropy_source"],
                                   entropy_available_at=_aware(loto_day, 21), opened_at=frozen_at,
                                   opened_by=organiser)
        value = " ".join(str(x) for x in sorted({(months_back * 7 + i * 11) % 49 + 1 for i in range(5)})) + \
            f" {months_back + 2}"
        result = drawing.recompute(record_json.encode("utf-8"), value)
        winner = RecurringIssue.objects.get(pk=result["winner_id"])
        drawn_at = _aware(loto_day + dt.timedelta(days=1), 18)
        draw.entropy_value, draw.seed, draw.winner = value, result["seed"], winner
        draw.status, draw.drawn_at, draw.drawn_by = Draw.Status.DRAWN, drawn_at, organiser
        draw.save()
        winner.status = RecurringIssue.Status.DRAWN
        winner.save(update_fields=["status"])
        _timeline(organiser, winner, "drawn", f"Tiré au sort (tirage du {month:%m/%Y})", "", drawn_at,
                  {"draw": draw.pk})
        _letters(winner, f"draw:{draw.pk}", Letter.Kind.DRAW, "Votre courrier a été tiré au sort",
                 f"Le sujet « {winner.title} » a été tiré au sort le {drawn_at:%d/%m/%Y}. Il a fait l'objet "
                 "d'une journée hackathon à la mairie, ouverte à toutes et à tous.", sent_on=drawn_at)
        if outcome_status is None:
            day = today + dt.timedelta(days=18)
            HackathonSession.objects.create(
                mairie=mairie, draw=draw, issue=winner, title=f"Hackathon : {winner.title}",
                starts_at=_aware(day, 9), ends_at=_aware(day, 18), place="Salle des fêtes de la mairie du 19e",
                capacity=40, programme=_PROGRAMME, tools=_TOOLS)
            continue
        day = month + dt.timedelta(days=20)
        session = HackathonSession.objects.create(
            mairie=mairie, draw=draw, issue=winner, title=f"Hackathon : {winner.title}",
            starts_at=_aware(day, 9), ends_at=_aware(day, 18), place="Salle des fêtes de la mairie du 19e",
            capacity=40, programme=_PROGRAMME, tools=_TOOLS)
        decision, who = decisions[winner.pk]
        outcome = Outcome.objects.create(mairie=mairie, session=session, issue=winner, decision=decision,
                                         carried_by=who, due_on=day + dt.timedelta(days=60),
                                         published_at=_aware(day + dt.timedelta(days=3), 11))
        _timeline(organiser, winner, "outcome_decided", "Suite donnée : décidé",
                  "Décision prise à l'issue de la journée, avec les participant·es.", outcome.published_at,
                  {"outcome": outcome.pk, "status": "decided"})
        steps = [("in_progress", "Suite donnée : en cours", "Le service a commencé la mise en œuvre.", 20)]
        if outcome_status == "implemented":
            steps.append(("implemented", "Suite donnée : réalisé", "C'est en place depuis cette semaine.", 45))
        for status, label, note, after in steps:
            _timeline(organiser, winner, f"outcome_{status}", label, note,
                      outcome.published_at + dt.timedelta(days=after), {"outcome": outcome.pk, "status": status})
        outcome.status = outcome_status
        outcome.save(update_fields=["status"])
        if outcome_status == "implemented":
            winner.status = RecurringIssue.Status.SOLVED
            winner.save(update_fields=["status"])
        _letters(winner, f"outcome:{outcome.pk}:{outcome_status}", Letter.Kind.OUTCOME,
                 "Ce que la mairie a décidé sur votre sujet",
                 f"Suite donnée à « {winner.title} » : {decision} (porté par : {who}).",
                 sent_on=None if outcome_status == "in_progress" else outcome.published_at)


def _timeline(actor, issue, action, label, note, when, data):
    entry = engine.audit_record(actor=actor, target=issue, action=action, label=label, reason=note, public=True,
                                data=data)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)


def _letters(issue, key, kind, subject, body, sent_on):
    for complaint in Complaint.objects.filter(issue=issue).select_related("personal"):
        personal = complaint.personal
        if personal.author_id or personal.contact_email or not personal.postal_address:
            continue
        Letter.objects.get_or_create(complaint=complaint, event_key=key, defaults={
            "mairie": issue.mairie, "kind": kind, "subject": subject, "body": body, "sent_at": sent_on})


_PROGRAMME = """9 h : accueil, café et présentation du sujet par les agents qui reçoivent les courriers.
9 h 30 : témoignages d'habitant·es, puis équipes mixtes habitant·es, agents, élu·es.
12 h 30 : déjeuner partagé.
14 h : prototypes (affiches, formulaires, parcours) et tests avec des personnes concernées.
17 h : présentation des propositions et décision de la mairie."""

_TOOLS = """Post-it, feutres, grandes feuilles, imprimante, quelques ordinateurs portables, les formulaires
actuels du service concerné, et la boîte à outils des Bricolages de la mairie."""
