"""Demo Bureau for the 19e: projects at every step, on the Bureau page the mairie's set-up made
(idempotent)."""

from datetime import timedelta

from django.utils import timezone

from participation import services as engine
from participation.models import Quartier

from . import setup
from .models import Project, ProjectUpdate, Status

PROJECTS = [
    ("Un composteur partagé au square de la Villette", "Transformer nos épluchures en terreau pour les jardinières "
     "du quartier.", "Nous sommes une douzaine de voisins prêts à tenir un composteur collectif. Il nous faut un "
     "emplacement, une formation de maître-composteur et un peu d'aide pour le bac.", "villette",
     ["compost", "jardin"], ["space", "technical"], Status.INCUBATED),
    ("Une bibliothèque d'objets rue de Crimée", "Prêter perceuses, tentes et appareils à raclette plutôt que d'en "
     "acheter chacun un.", "Un local de 20 m² ouvert deux soirs par semaine, tenu par des bénévoles, avec un "
     "inventaire en ligne. Nous cherchons un local et une assurance.", "amerique", ["partage", "solidarité"],
     ["space", "legal"], Status.UNDER_REVIEW),
    ("Des cours de vélo pour adultes le dimanche", "Apprendre à rouler en ville quand on n'a jamais appris.",
     "Sur le parvis, le dimanche matin, avec des vélos prêtés par une association. Les cours sont gratuits et "
     "ouverts à toutes et tous.", "pont-de-flandre", ["vélo", "mobilité"], ["space", "contacts"], Status.LAUNCHED),
    ("Une fresque participative sur le mur de l'école Tandou", "Les enfants dessinent, une artiste du quartier "
     "met en couleurs.", "Un projet sur trois mercredis avec l'école et le centre de loisirs.", "combat",
     ["art", "enfants"], ["funding", "contacts"], Status.UNDER_REVIEW),
    ("Un marché de nuit sur le canal", "Un marché de créateurs en soirée, une fois par mois l'été.",
     "Nous proposons un marché nocturne le long du canal, avec des stands de créateurs du quartier.", "villette",
     ["marché", "canal"], ["legal", "space"], Status.DECLINED),
    ("Des bancs à l'ombre rue de Meaux", "Pouvoir s'asseoir et souffler entre deux courses.",
     "Les personnes âgées du quartier manquent de bancs ombragés. Nous proposons trois emplacements.",
     "combat", ["bancs", "personnes âgées"], ["technical"], Status.SUBMITTED),
]


def seed(ctx):
    for slug, home in ctx.homes.items():
        setup.set_up(ctx.mairies[slug], home)  # made with the mairies' sections; found again here
    mairie = ctx.mairies["paris19"]
    if Project.objects.filter(mairie=mairie).exists():
        return
    author, organiser, agent = ctx.users["habitant"], ctx.users["organisateur"], ctx.users["agent"]
    now = timezone.now()
    for i, (title, summary, description, quartier, tags, needs, final) in enumerate(PROJECTS):
        project = Project.objects.create(
            mairie=mairie, author=author if i % 2 == 0 else agent, title=title, summary=summary,
            description=description, needs=needs, status=Status.SUBMITTED, submitted_at=now - timedelta(days=40 - i),
            quartier=Quartier.objects.filter(mairie=mairie, slug=quartier).first(), author_anonymous=(i == 3))
        project.tags.set(tags)
        engine.follow_add(user=project.author, target=project)
        path = {Status.SUBMITTED: [], Status.UNDER_REVIEW: [Status.UNDER_REVIEW],
                Status.INCUBATED: [Status.UNDER_REVIEW, Status.INCUBATED],
                Status.LAUNCHED: [Status.UNDER_REVIEW, Status.INCUBATED, Status.LAUNCHED],
                Status.DECLINED: [Status.UNDER_REVIEW, Status.DECLINED]}[final]
        reasons = {Status.UNDER_REVIEW: "Projet accepté : l'équipe de la mairie l'étudie avec vous.",
                   Status.INCUBATED: "La mairie accompagne le projet : un local et un référent sont trouvés.",
                   Status.LAUNCHED: "C'est parti ! Le projet fonctionne désormais sans nous.",
                   Status.DECLINED: "La berge dépend de la Ville et non de la mairie d'arrondissement : nous vous "
                                    "orientons vers le service des canaux."}
        for step in path:
            project = _transition(organiser, project, step, reasons[step])
        if final in (Status.UNDER_REVIEW, Status.INCUBATED, Status.LAUNCHED):
            engine.support_add(user=ctx.users["agent"] if project.author_id != agent.pk else author, target=project)
        if final == Status.INCUBATED:
            ProjectUpdate.objects.create(project=project, author=project.author,
                                         text="Le bac est installé ! Première formation samedi à 10 h.")
            engine.comment_post(user=agent, target=project, text="Bravo ! Le jardinier du square peut vous aider "
                                                                 "pour le broyat.")


def _transition(organiser, project, step, reason):
    from .services import project_transition

    return project_transition(actor=organiser, project=project, to_status=step, rationale=reason)
