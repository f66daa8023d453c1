"""Occupai's demo content for the 19e: four spaces, a call in its voting phase with a dozen
proposals, and a finished call with its programme. Dates are relative to the first seeding, so
the demo opens in the voting phase; seeding again changes nothing."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from participation import services as engine
from participation.models import Quartier

from . import services, setup
from .models import CallPage, Proposal, ProposalSlot, Space

SPACES = [
    ("Salle des fêtes", True, 300, "Au premier étage, grand escalier ou ascenseur",
     "Ascenseur, boucle magnétique, toilettes adaptées au même étage.",
     "Scène de 8 m sur 5 m\nSonorisation 2 kW\nÉclairage scénique\n40 tables et 300 chaises\nOffice avec réfrigérateurs",
     "La grande salle de la mairie, parquet et lustres, pour les bals, concerts et repas."),
    ("Salon d'honneur", True, 80, "Rez-de-chaussée, à droite du hall",
     "De plain-pied depuis la place ; chaises avec accoudoirs sur demande.",
     "Cimaises pour exposer\nÉcran et vidéoprojecteur\n10 tables",
     "Une salle claire et calme pour les ateliers, les expositions et les rencontres."),
    ("Parvis avant", False, 500, "Place Armand-Carrel, face au parc des Buttes-Chaumont",
     "De plain-pied, sol pavé ; pas d'abri en cas de pluie.",
     "Deux prises 16 A\nBarrières de sécurité\nPodium démontable",
     "Le grand parvis ouvert sur la place, pour les événements qui font venir tout le quartier."),
    ("Parvis arrière", False, 200, "Côté rue Meynadier, à l'abri de la circulation",
     "De plain-pied ; bancs ombragés.",
     "Point d'eau\nUne prise 16 A\nBancs",
     "Une cour tranquille derrière la mairie, idéale pour les repas et les ateliers en plein air."),
]

# (title, kind, proposer type, shown name, audience, spaces, needs, day offset, start hour, hours, quartier, text)
SUMMER = [
    ("Battle de hip-hop sur le parvis", "sport", "collective", "Flandre Breakers", 250, ["Parvis avant"],
     ["sound", "power", "security"], 1, 17, 4, "pont-de-flandre",
     "Un cercle, un DJ, et les meilleurs danseurs et danseuses du 19e qui s'affrontent en un contre un. "
     "Initiation ouverte aux enfants l'après-midi, battle officielle en fin de journée, jury composé de "
     "danseurs du quartier."),
    ("Grand repas de quartier", "meal", "association", "Les Voisins de Crimée", 200, ["Parvis arrière"],
     ["tables", "water", "kitchen"], 2, 12, 4, "amerique",
     "Chacun apporte un plat de chez lui et on partage tout sur de grandes tables. L'association fournit "
     "les boissons et s'occupe du tri des déchets. Un coin calme est prévu pour les plus âgés."),
    ("Fanfare du canal en concert", "concert", "collective", "La Fanfare de l'Ourcq", 300, ["Parvis avant"],
     ["power"], 3, 18, 2, "villette",
     "Trente musiciennes et musiciens amateurs, des cuivres, des percussions et un répertoire qui va du "
     "jazz de La Nouvelle-Orléans aux musiques des Balkans. On finit en déambulation autour de la place."),
    ("Exposition « Nos immeubles racontent »", "exhibition", "resident", "", 80, ["Salon d'honneur"],
     ["projector"], 4, 10, 8, "combat",
     "Des photos et des récits recueillis auprès des habitant·es des grands ensembles du quartier : les "
     "premiers jours, les fêtes, les voisins partis. Vernissage en présence des personnes photographiées."),
    ("Atelier réparation de vélos", "workshop", "association", "Cyclo-Villette", 40, ["Parvis arrière"],
     ["tables", "power"], 5, 14, 4, "villette",
     "Apportez votre vélo, on vous apprend à le réparer : crevaisons, freins, dérailleur. Outils et pièces "
     "d'occasion fournis, pas besoin de savoir quoi que ce soit."),
    ("Bal populaire de l'été", "concert", "resident", "", 300, ["Salle des fêtes"],
     ["sound", "lighting", "stage"], 6, 20, 4, "",
     "Un vrai bal comme autrefois, avec un orchestre, de la valse au madison en passant par la salsa. "
     "Une demi-heure d'initiation pour celles et ceux qui n'osent pas."),
    ("Tournoi de ping-pong intergénérationnel", "sport", "association", "Club pongiste des Buttes", 60,
     ["Salle des fêtes", "Parvis arrière"], ["tables"], 7, 14, 5, "combat",
     "Des équipes de deux, obligatoirement composées d'une personne de plus de 60 ans et d'une de moins de "
     "18 ans. Quatre tables, des raquettes prêtées, des médailles en carton pour tout le monde."),
    ("La mairie de demain : on en parle", "debate", "collective", "Collectif Mairie ouverte", 100,
     ["Salle des fêtes", "Salon d'honneur"], ["sound", "projector"], 8, 19, 2, "",
     "Une soirée pour discuter de ce que devrait être une mairie d'arrondissement : horaires, accueil, "
     "lieux partagés. Les idées retenues seront déposées au Bureau de l'intelligence citoyenne."),
    ("Ciné-club en plein air", "other", "association", "Les Écrans du 19e", 150, ["Parvis avant"],
     ["projector", "power", "sound"], 2, 21, 3, "villette",
     "Un grand écran gonflable sur le parvis et un film choisi par les habitant·es parmi trois propositions. "
     "Apportez votre coussin, les transats sont prêtés."),
    ("Atelier cuisine du monde", "workshop", "resident", "", 30, ["Salle des fêtes"],
     ["kitchen", "water", "tables"], 9, 15, 3, "pont-de-flandre",
     "Des voisines originaires du Sénégal, du Vietnam et du Pérou montrent chacune une recette de chez elles. "
     "On cuisine ensemble et on goûte tout à la fin."),
    ("Scène ouverte slam et poésie", "concert", "collective", "Les Mots du Canal", 100, ["Salon d'honneur"],
     ["sound"], 5, 19, 3, "",
     "Un micro, trois minutes chacun, tous les styles sont bienvenus. Atelier d'écriture d'une heure avant la "
     "scène pour celles et ceux qui veulent se lancer."),
    ("Initiation aux échecs sur le parvis", "sport", "association", "L'Échiquier de Belleville", 40,
     ["Parvis arrière"], ["tables"], 1, 10, 4, "amerique",
     "Vingt échiquiers géants et petits, des joueurs du club pour expliquer les règles, et une partie simultanée "
     "contre le champion du club en fin de matinée."),
]

PENDING = ("Atelier couture et réparation de vêtements", "workshop", "resident", "", 25, ["Salon d'honneur"],
           ["tables", "power"], 3, 14, 3, "combat",
           "Des machines à coudre, des bénévoles qui savent s'en servir, et vos vêtements abîmés qui retrouvent "
           "une seconde vie. On apprend aussi à faire un ourlet à la main.")

# (title, kind, proposer type, shown name, audience, space, day offset, start hour, hours, quartier, text, selected?)
SPRING = [
    ("Chorale des Buttes", "concert", "association", "Chorale des Buttes-Chaumont", 200, "Salle des fêtes", 0, 18, 2,
     "combat", "Soixante choristes amateurs pour un répertoire de chansons françaises reprises en chœur avec "
     "le public : les paroles sont distribuées à l'entrée.", ""),
    ("Vide-grenier solidaire", "other", "association", "Secours du 19e", 400, "Parvis avant", 1, 9, 8,
     "villette", "Quarante stands d'habitant·es ; les bénéfices de la buvette vont à l'épicerie solidaire du "
     "quartier.", ""),
    ("Fresque participative", "workshop", "collective", "Collectif Couleurs Flandre", 60, "Parvis arrière", 2, 14,
     4, "pont-de-flandre", "Une grande fresque sur panneaux de bois, dessinée avec les enfants du quartier, "
     "exposée ensuite dans le hall de la mairie.", ""),
    ("Goûter-concert pour les tout-petits", "concert", "resident", "", 50, "Salon d'honneur", 3, 16, 1,
     "amerique", "Des comptines et des instruments à toucher pour les moins de 4 ans et leurs parents, "
     "suivis d'un goûter.", ""),
    ("Soirée karaoké", "concert", "resident", "", 150, "Salle des fêtes", 2, 20, 3, "",
     "Un karaoké géant avec écran et deux micros, des chansons dans toutes les langues du quartier.",
     "Trop proche du concert de la chorale la même semaine : nous vous proposons de la présenter à l'automne."),
    ("Marché de créateurs", "other", "collective", "Fait main dans le 19e", 300, "Parvis avant", 4, 10, 7,
     "villette", "Une vingtaine de créatrices et créateurs du quartier : bijoux, céramique, textile.",
     "Le parvis était déjà réservé au vide-grenier ; la mairie vous propose le marché de Noël."),
]


def _at(base_day, days, hour, minute=0):
    moment = datetime.combine(base_day + timedelta(days=days), time(hour, minute))
    return timezone.make_aware(moment, timezone.get_default_timezone())


# The demo space that each of the set-up's default spaces (setup.DEFAULT_SPACES) becomes.
FROM_DEFAULT = {"Salle des fêtes": "Salle des fêtes", "Parvis de la mairie": "Parvis avant"}


def _spaces(mairie):
    """The 19e's four spaces. The mairie's set-up may have made its default spaces (a salle des fêtes and
    a parvis, to complete) already: those still as the set-up left them become the demo's, so the demo
    has its four spaces and no other."""
    defaults = {name: description for name, _i, _c, _l, description in setup.DEFAULT_SPACES}
    untouched = {space.name: space for space in Space.objects.filter(mairie=mairie, name__in=defaults)
                 if space.description == defaults[space.name]}
    taken_over = {demo: untouched[default] for default, demo in FROM_DEFAULT.items() if default in untouched}
    spaces = {}
    for name, indoor, capacity, location, access, equipment, description in SPACES:
        fields = {"is_indoor": indoor, "capacity": capacity, "location": location, "accessibility_notes": access,
                  "equipment": equipment, "description": description}
        space = Space.objects.filter(mairie=mairie, name=name).first()
        if space is None or space == taken_over.get(name):
            space = taken_over.get(name) or Space(mairie=mairie)
            space.name = name
            for field, value in fields.items():
                setattr(space, field, value)
            space.save()
        spaces[name] = space
    return spaces


def _call(index, spaces, **fields):
    call = CallPage(**fields)
    call.spaces = list(spaces.values())
    index.add_child(instance=call)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)


def _proposal(call, spec, *, author, status, quartiers, spaces):
    title, kind, ptype, name, audience, wanted, needs, day, hour, hours, quartier, text = spec
    start = _at(call.event_starts_on, day, hour)
    proposal = Proposal.objects.create(
        call=call, mairie=call.mairie, author=author, title=title, description=text, kind=kind, proposer_type=ptype,
        proposer_name=name, expected_audience=audience, needs=needs, quartier=quartiers.get(quartier),
        accessibility="Entrée libre et gratuite, accessible en fauteuil.", status=status,
        submitted_at=call.submission_opens_at + timedelta(days=day + 1),
        decided_at=None if status == Proposal.Status.SUBMITTED else call.submission_closes_at)
    proposal.preferred_spaces.set([spaces[w] for w in wanted])
    ProposalSlot.objects.create(proposal=proposal, starts_at=start, ends_at=start + timedelta(hours=hours))
    if author is not None:
        engine.follow_add(user=author, target=proposal)
    return proposal


def _summer(index, spaces, ctx, quartiers):
    today = timezone.localdate()
    call = _call(
        index, spaces, title="Occupai : l'été de la mairie", slug="ete",
        intro="Cet été, la mairie est à vous : proposez un événement pour la salle des fêtes ou les parvis.",
        description="<p>Concerts, repas, ateliers, tournois, débats : pendant dix jours, la salle des fêtes, le "
                    "salon d'honneur et les deux parvis accueillent les événements imaginés par les habitant·es, "
                    "les associations et les collectifs du 19e.</p><p>Chaque habitant·e dispose de trois soutiens "
                    "pour choisir ses préférés ; l'équipe de la mairie compose ensuite le programme en tenant "
                    "compte des votes, des besoins et des espaces disponibles.</p>",
        eligibility="Habitant·es, associations et collectifs du 19e. Événements gratuits et ouverts à toutes et à tous.",
        submission_opens_at=_at(today, -40, 9), submission_closes_at=_at(today, -12, 18),
        voting_opens_at=_at(today, -10, 9), voting_closes_at=_at(today, 18, 20),
        results_at=_at(today, 25, 12), event_starts_on=today + timedelta(days=35),
        event_ends_on=today + timedelta(days=44), vote_budget=3, selection_count=8, show_counts_during_voting=True)
    resident = ctx.users["habitant"]
    proposals = []
    for i, spec in enumerate(SUMMER):
        author = resident if spec[2] == "resident" and i % 2 == 1 else None
        proposals.append(_proposal(call, spec, author=author, status=Proposal.Status.ACCEPTED, quartiers=quartiers,
                                   spaces=spaces))
    _proposal(call, PENDING, author=resident, status=Proposal.Status.SUBMITTED, quartiers=quartiers, spaces=spaces)
    # A few supports from the 19e's demo accounts; the resident keeps two to try the vote.
    plan = {"organisateur": [0, 2, 8], "agent": [0, 1, 4], "editeur": [0, 2, 1], "habitant": [2]}
    for username, picks in plan.items():
        for pick in picks:
            engine.support_add(user=ctx.users[username], target=proposals[pick])
    return call


def _spring(index, spaces, ctx, quartiers):
    today = timezone.localdate()
    call = _call(
        index, spaces, title="Occupai : le printemps des voisins", slug="printemps",
        intro="La première occupation de la mairie : six propositions, quatre événements, un parvis plein.",
        description="<p>Pour sa première édition, Occupai a ouvert la mairie pendant une semaine de printemps. "
                    "Merci aux habitant·es, associations et collectifs qui l'ont fait vivre.</p>",
        eligibility="Habitant·es, associations et collectifs du 19e.",
        submission_opens_at=_at(today, -150, 9), submission_closes_at=_at(today, -120, 18),
        voting_opens_at=_at(today, -115, 9), voting_closes_at=_at(today, -100, 20),
        results_at=_at(today, -95, 12), event_starts_on=today - timedelta(days=80),
        event_ends_on=today - timedelta(days=74), vote_budget=3, selection_count=4)
    organiser = ctx.users["organisateur"]
    for title, kind, ptype, name, audience, space, day, hour, hours, quartier, text, refusal in SPRING:
        spec = (title, kind, ptype, name, audience, [space], [], day, hour, hours, quartier, text)
        proposal = _proposal(call, spec, author=None, status=Proposal.Status.ACCEPTED, quartiers=quartiers,
                             spaces=spaces)
        if refusal:
            services.proposal_decline(actor=organiser, proposal=proposal, reason=refusal)
        else:
            start = _at(call.event_starts_on, day, hour)
            services.proposal_schedule(actor=organiser, proposal=proposal, space=spaces[space], starts_at=start,
                                       ends_at=start + timedelta(hours=hours))
    return call


def seed(ctx):
    mairie, home = ctx.mairies["paris19"], ctx.homes["paris19"]
    spaces = _spaces(mairie)
    index = setup.set_up(mairie, home)  # made with the mairie's sections; found again here
    quartiers = {q.slug: q for q in Quartier.objects.filter(mairie=mairie)}
    if not CallPage.objects.child_of(index).filter(slug="ete").exists():
        _summer(index, spaces, ctx, quartiers)
    if not CallPage.objects.child_of(index).filter(slug="printemps").exists():
        _spring(index, spaces, ctx, quartiers)
