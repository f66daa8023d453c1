"""Path parameters of the permission matrix: how each route's {params} are filled from the demo
data (the longest key prefix wins; page types, {app.model}, are filled by the matrix itself)."""


from participation.preferences import make_unsubscribe_token


def _project(d, **filters):
    from participation.bureau.models import Project

    return Project.objects.filter(mairie=d.m19, **filters).order_by("pk").first()


def extra_objects(d):
    """Objects the demo does not have and the matrix needs."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from participation.bureau.models import Project, Status
    from participation.models import Notification

    draft = Project.objects.create(mairie=d.m19, author=d.users["habitant"], title="Brouillon de la matrice",
                                   summary="Un brouillon.", description="Un brouillon.", status=Status.DRAFT)
    document = get_document_model().objects.create(title="Compte rendu", file=ContentFile(b"%PDF-1.4\n", "cr.pdf"))
    note = Notification.objects.filter(user=d.users["habitant"]).first()
    return {"draft": draft, "document": document, "notification": note, "ticket": _waiting_ticket(d)}


def _ambassador(d, username):
    from accueil.models import Ambassador

    return Ambassador.objects.get(user__username=username)


def _help_request(d):
    from accueil.models import HelpRequest

    return HelpRequest.objects.get(neighbour__username="habitant")


def _waiting_ticket(d):
    """A ticket waiting today in the 19e's état civil (made directly: the demo's hours may be closed now)."""
    from django.utils import timezone

    from accueil.models import Service, Ticket

    service = Service.objects.get(mairie=d.m19, slug="etat-civil")
    return Ticket.objects.create(mairie=d.m19, service=service, day=timezone.localdate(), seq=900, number="E900",
                                 queued_at=timezone.now(), email="matrice@example.org")


def _counter19(d):
    return _first("accueil.Counter", mairie=d.m19, service__slug="etat-civil")


def _coworking19(d):
    return _first("accueil.CoworkingSpace", mairie=d.m19, occupai_space__isnull=True)


def _agent_booking(d):
    """A booking of the demo agent (the demo books them in the 20e: agents book in any mairie)."""
    return _first("accueil.Booking", user=d.users["agent"], cancelled_at__isnull=True)


def _feed_key(d):
    from accueil.coworking.selectors import feed_key_for

    return feed_key_for(d.users["agent"])


def _invitation19(d):
    return _first("accueil.Invitation", mairie=d.m19, revoked_at__isnull=True)


def _invitee_booking(d):
    if "invitee_booking" not in d.extra:
        from datetime import timedelta

        from django.utils import timezone

        from accueil.models import Booking

        space = _coworking19(d)
        day = timezone.localdate() + timedelta(days=1)
        while str(day.weekday()) not in space.weekdays:
            day += timedelta(days=1)
        d.extra["invitee_booking"] = Booking.objects.create(space=space, date=day, half="pm", desk=space.capacity,
                                                            invitation=_invitation19(d))
    return d.extra["invitee_booking"]


def _carnet19(d):
    """The demo resident's carnet (a crèche), shared with the 19e's Relais informations familles, where the
    demo agent works: its item and its sharing fill the carnet's sub-routes."""
    carnet = _first("guide.Carnet", owner=d.users["habitant"], mairie=d.m19)
    return {"pk": carnet.pk, "item_id": carnet.items.order_by("pk").first().pk,
            "share_id": carnet.shares.order_by("pk").first().pk}


def _carnet19_document(d):
    """The demo carnet's first item with a PDF attached (one fixed private file, written once), so that
    its download answers the owner and the service's agent."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from guide.models import CarnetItem, document_storage

    values = _carnet19(d)
    name, storage = "carnets/matrice/scan.pdf", document_storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    CarnetItem.objects.filter(pk=values["item_id"]).update(
        document=name, document_name="scan.pdf", document_type="application/pdf", document_size=15,
        document_added_at=timezone.now())
    return values


def _public_project(d):
    from participation.bureau.models import Status

    return _project(d, status=Status.INCUBATED)


def _email_confirmation_key(user):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    return EmailConfirmationHMAC(EmailAddress.objects.get(user=user, primary=True)).key


def _password_reset_kwargs(user):
    from allauth.account.forms import default_token_generator as allauth_tokens
    from allauth.account.utils import user_pk_to_url_str

    return {"uidb36": user_pk_to_url_str(user), "key": allauth_tokens.make_token(user)}


FILLERS = {
    "carnets/{pk}/": _carnet19,
    "api/carnets/{pk}/": _carnet19,
    "carnets/{pk}/documents/{item_id}/fichier/": _carnet19_document,
    # without a carnet opened with its code in the session, every role gets a 404 (the code's own tests do the rest)
    "carnets/code/partages/": lambda d: {"share_id": _carnet19(d)["share_id"]},
    "api/carnets/{pk}/items/{item_id}/document/": _carnet19_document,
    "api/guide/demarches/{pk}/": lambda d: {"pk": _first("guide.DemarchePage", mairie=d.m19).pk},
    "api/guide/situations/{pk}/": lambda d: {"pk": _first("guide.LifeSituationPage", mairie=d.m19).pk},
    "compte/e-mail/confirmer/": lambda d: {"key": _email_confirmation_key(d.users["habitant"])},
    "notifications/desabonnement/": lambda d: {"token": make_unsubscribe_token(d.users["habitant"], ["followed"])},
    "compte/mot-de-passe/nouveau/": lambda d: _password_reset_kwargs(d.users["habitant"]),
    "api/v2/pages/{pk}/": lambda d: {"pk": d.ctx.homes["paris19"].pk},
    "donnees-ouvertes/": lambda d: {"key": "bureau-projets"},  # an open dataset (cms.opendata)
    "api/v2/documents/{pk}/": lambda d: {"pk": d.extra["document"].pk},
    "api/v2/images/{pk}/": lambda d: {"pk": _image(d).pk},
    "images/": lambda d: {"name": _image(d).file.name},  # a public image's original (cms.views.image_file)
    "documents/": lambda d: {"arg1": d.extra["document"].pk, "arg2": d.extra["document"].filename},
    "api/bureau/projects/{pk}/": lambda d: {"pk": _public_project(d).pk},
    "api/bureau/projects/{pk}/submit/": lambda d: {"pk": d.extra["draft"].pk},
    "{bureau.bureauindexpage}/projets/{pk}/": lambda d: {"pk": _public_project(d).pk},
    "{bureau.bureauindexpage}/projets/{pk}/modifier/": lambda d: {"pk": d.extra["draft"].pk},
    "{bureau.bureauindexpage}/projets/{pk}/deposer/": lambda d: {"pk": d.extra["draft"].pk},
    "api/participation/comments/": lambda d: {"_query": f"target={_public_project(d).target_ref}"},
    "api/participation/timeline/": lambda d: {"_query": f"target={_public_project(d).target_ref}"},
    "participer/signaler/": lambda d: {"_query": f"target={_public_project(d).target_ref}"},
    # Bricolages (the HTML routes and the API): a demo bricolage with an attachment.
    "api/bricolages/{pk}/": lambda d: {"pk": _bricolage(d).pk,
                                       "revision_id": _bricolage(d).revisions.order_by("pk").first().pk},
    "bricolages/{pk}/": lambda d: {"pk": _bricolage(d).pk,
                                   "revision_id": _bricolage(d).revisions.order_by("pk").first().pk,
                                   "attachment_id": _bricolage(d).attachments.order_by("pk").first().pk},
    "bricolages/images/": lambda d: {"image_id": _bricolage_image(d).pk, "size": "vignette"},
    # Explorations: a 20e day with free seats (agents of other mairies apply), the demo agent's past
    # exploration (accepted, its logbook with a photo shared with the 20e, its summary).
    "bricolages/explorations/journees/{pk}/": lambda d: {"pk": _exploration_day20(d).pk},
    "api/bricolages/explorations/days/{pk}/": lambda d: {"pk": _exploration_day20(d).pk},
    "bricolages/explorations/{pk}/": lambda d: _agent_exploration(d),
    "api/bricolages/explorations/applications/{pk}/": lambda d: _agent_exploration(d),
    "bricolages/explorations/syntheses/{pk}/": lambda d: {"pk": _first("bricolages.ExplorationSummary").pk},
    "api/bricolages/explorations/summaries/{pk}/": lambda d: {"pk": _first("bricolages.ExplorationSummary").pk},
    # Open Bricolage: the demo's coming edition (the 19e's agent is not registered to it) and its first workshop.
    "open-bricolage/{pk}/": lambda d: {"pk": _openbricolage_edition(d).pk},
    "api/bricolages/open-bricolage/editions/{pk}/": lambda d: {"pk": _openbricolage_edition(d).pk},
    "open-bricolage/ateliers/{pk}/": lambda d: {"pk": _openbricolage_edition(d).workshops.order_by("pk").first().pk},
    "api/bricolages/open-bricolage/workshops/{pk}/": lambda d: {
        "pk": _openbricolage_edition(d).workshops.order_by("pk").first().pk},
    # Les 19 commandements
    "api/commandements/amendments/{pk}/": lambda d: {"pk": _charter_amendment(d).pk},
    "api/commandements/{number}/": lambda d: {"number": 1},
    "{commandements.charterpage}/amendements/{pk}/": lambda d: {"pk": _charter_amendment(d).pk, "action": "retirer"},
    "{commandements.charterpage}/commandement/{number}/": lambda d: {"number": 1},
    # Service lab
    "api/hackathon/complaints/{pk}/": lambda d: {"pk": _first("hackathon.Complaint", mairie=d.m19).pk},
    "service-lab/agents/courriers/{pk}/": lambda d: {"pk": _first("hackathon.Complaint", mairie=d.m19).pk},
    "api/hackathon/issues/{pk}/": lambda d: {"pk": _supported_issue(d).pk},
    "service-lab/sujets/{pk}/": lambda d: {"pk": _first("hackathon.RecurringIssue", mairie=d.m19).pk},
    "api/hackathon/draws/{pk}/": lambda d: {"pk": _first("hackathon.Draw", mairie=d.m19).pk},
    "service-lab/tirages/{pk}/": lambda d: {"pk": _first("hackathon.Draw", mairie=d.m19).pk},
    "api/hackathon/sessions/{pk}/": lambda d: {"pk": _first("hackathon.HackathonSession", mairie=d.m19).pk},
    "service-lab/hackathons/{pk}/": lambda d: {"pk": _first("hackathon.HackathonSession", mairie=d.m19).pk},
    "api/hackathon/outcomes/{pk}/": lambda d: {"pk": _first("hackathon.Outcome", mairie=d.m19).pk},
    "service-lab/agents/lettres/{pk}/": lambda d: {"pk": _first("hackathon.Letter", mairie=d.m19).pk},
    # Accueil (the hall's queues): the 19e's waiting ticket and a counter of its service.
    "accueil/ticket/{token}/": lambda d: {"token": d.extra["ticket"].token},
    "api/accueil/tickets/{token}/": lambda d: {"token": d.extra["ticket"].token},
    "accueil/guichets/{pk}/": lambda d: {"pk": _counter19(d).pk, "action": "appeler"},
    "api/accueil/counters/{pk}/": lambda d: {"pk": _counter19(d).pk},
    # Co-working: the 19e's space, the demo agent's booking and feed, the 19e's invitation and its booking.
    "accueil/coworking/{pk}/": lambda d: {"pk": _coworking19(d).pk},
    "api/accueil/coworking/spaces/{pk}/": lambda d: {"pk": _coworking19(d).pk},
    "accueil/coworking/reservations/{pk}/": lambda d: {"pk": _agent_booking(d).pk},
    "api/accueil/coworking/bookings/{pk}/": lambda d: {"pk": _agent_booking(d).pk},
    "accueil/coworking/agenda/": lambda d: {"key": _feed_key(d)},
    "accueil/coworking/invitations/{pk}/": lambda d: {"pk": _invitation19(d).pk},
    "accueil/coworking/invitation/": lambda d: {"key": _invitation19(d).key, "pk": _invitee_booking(d).pk},
    "api/accueil/coworking/invitations/{key}/": lambda d: {"key": _invitation19(d).key,
                                                           "pk": _invitee_booking(d).pk},
    # Ambassadeurs: Mariam (19e, accepted) and the demo's thread between her and « habitant », Moussa's pending
    # application.
    "accueil/ambassadeurs/{pk}/": lambda d: {"pk": _ambassador(d, "mariam").pk},
    "api/accueil/ambassadors/{pk}/": lambda d: {"pk": _ambassador(d, "mariam").pk},
    "api/accueil/ambassadors/{pk}/decision/": lambda d: {"pk": _ambassador(d, "moussa").pk},
    "accueil/ambassadeurs/candidatures/{pk}/": lambda d: {"pk": _ambassador(d, "moussa").pk, "decision": "accepter"},
    "accueil/ambassadeurs/demandes/{pk}/": lambda d: {"pk": _help_request(d).pk, "action": "contact"},
    "api/accueil/help-requests/{pk}/": lambda d: {"pk": _help_request(d).pk},
    # Occupai
    "api/occupai/calls/{pk}/": lambda d: {"pk": _call(d).pk},
    "api/occupai/events/{pk}/": lambda d: {"pk": _first("occupai.Event").pk},
    "api/occupai/proposals/{pk}/": lambda d: {"pk": _proposal(d).pk},
    "api/occupai/spaces/{pk}/": lambda d: {"pk": _first("occupai.Space", mairie=d.m19).pk},
    "{occupai.callpage}/organisation/{pk}/": lambda d: {"pk": _proposal(d).pk, "action": "accepter"},
    "{occupai.callpage}/programme/{pk}/": lambda d: {"occupai.callpage": _event_call_path(d),
                                                     "pk": _first("occupai.Event").proposal_id},
    "{occupai.callpage}/propositions/{pk}/": lambda d: {"pk": _proposal(d).pk},
    "{page_path}agenda.ics": lambda d: {"page_path": _occupai_index_path(d)},
    "occupai/photos/": lambda d: {"name": _proposal_photo(d)},  # a published proposal's photo
    "{page_path}programme": lambda d: {"page_path": _event_call_path(d) + "/", "pk": _first("occupai.Event").proposal_id},
}


def _first(model_path, **filters):
    from django.apps import apps

    obj = apps.get_model(model_path).objects.filter(**filters).order_by("pk").first()
    if obj is None:
        raise LookupError(f"no {model_path} matching {filters} in the demo")
    return obj


def _exploration_day20(d):
    from django.utils import timezone

    return _first("bricolages.ExplorationDay", mairie=d.m20, date__gte=timezone.localdate())


def _openbricolage_edition(d):
    from django.utils import timezone

    return _first("bricolages.OpenBricolageEdition", date__gte=timezone.localdate())


def _agent_exploration(d):
    application = _first("bricolages.ExplorationApplication", agent=d.users["agent"], summary__isnull=False)
    return {"pk": application.pk, "entry_id": application.logbook.exclude(photo="").order_by("pk").first().pk}


def _bricolage(d):
    return _first("bricolages.BricolagePage", live=True, attachments__isnull=False, is_hidden=False)


def _bricolage_image(d):
    for page in type(_bricolage(d)).objects.live().order_by("pk"):
        for step in page.step_list:
            if step["image"] is not None:
                return step["image"]
    raise LookupError("no bricolage step with an image in the demo")


def _supported_issue(d):
    """The first 19e issue the demo resident said « moi aussi » to that is not solved. The demo's past
    draws solve one issue, and which one depends on the rows' ids (they are in the drawn list), which
    on PostgreSQL depend on the tests that ran before."""
    from django.contrib.contenttypes.models import ContentType

    from hackathon.models import RecurringIssue
    from participation.models import Support

    supported = Support.objects.filter(user__username="habitant",
                                       content_type=ContentType.objects.get_for_model(RecurringIssue))
    issue = (RecurringIssue.objects.filter(mairie=d.m19, pk__in=[int(pk) for pk in supported.values_list(
        "object_id", flat=True)]).exclude(status=RecurringIssue.Status.SOLVED).order_by("pk").first())
    if issue is None:
        raise LookupError("no open issue supported by the demo resident")
    return issue


def _charter_amendment(d):
    return _first("commandements.Amendment", charter__mairie=d.m19, status="open")


def _call(d):
    return _first("occupai.CallPage", live=True, mairie=d.m19)


def _proposal(d):
    return _first("occupai.Proposal", mairie=d.m19, status="accepted")


def _proposal_photo(d):
    """The file name (in its URL) of a photo given to the demo's published proposal."""
    import io
    import posixpath

    from django.core.files.base import ContentFile
    from PIL import Image

    proposal = _proposal(d)
    if not proposal.image:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
        proposal.image.save("affiche.png", ContentFile(buffer.getvalue()), save=False)
        proposal.image_alt = "Une affiche blanche"
        proposal.save(update_fields=["image", "image_alt"])
    return posixpath.basename(proposal.image.name)


def _event_call_path(d):
    """The path of the call whose programme holds the demo's first event (results published)."""
    return _first("occupai.Event").call.get_url_parts()[2].strip("/")


def _occupai_index_path(d):
    return d.page_path("occupai.occupaiindexpage") + "/"


def _image(d):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    if "image" not in d.extra:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
        d.extra["image"] = get_image_model().objects.create(title="Affiche", file=ImageFile(buffer, name="a.png"))
    return d.extra["image"]
