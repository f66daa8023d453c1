"""The demo content: a dozen bricolages of both mairies, seeded twice without change."""

import time

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_comments_xtd.models import XtdComment
from wagtail.images import get_image_model
from wagtail.models import Revision

from bricolages import demo, selectors
from bricolages.models import BricolageAttachment, BricolageChange, BricolagePage, Feedback, Rating


def _counts():
    return {model.__name__: model.objects.count() for model in (
        BricolagePage, BricolageChange, BricolageAttachment, Rating, Feedback, Revision, XtdComment,
        get_image_model())}


def test_demo_seed_is_quick_complete_and_idempotent(site_ctx):
    reverse("bricolages:list")  # load the URL conf first: not the seeder's cost
    started = time.process_time()  # CPU time: the machine may be busy with other work
    demo.seed(site_ctx)
    assert time.process_time() - started < 5
    first = _counts()
    demo.seed(site_ctx)
    assert _counts() == first
    pages = BricolagePage.objects.all()
    assert pages.count() == 12
    assert {p.mairie.slug for p in pages} == {"paris19", "paris20"}
    assert all(p.step_list for p in pages)
    with_pictures = [s for p in pages for s in p.step_list if s["image"]]
    assert len(with_pictures) >= 12 and all(s["alt"] for s in with_pictures)
    queue = BricolagePage.objects.get(slug="demo-file-attente-etat-civil")
    improved = BricolagePage.objects.get(slug="demo-file-attente-ecran")
    assert improved.variant_of == queue and improved.mairie.slug == "paris20"
    root, size = selectors.family_tree(improved)
    assert root.bricolage == queue and size == 3
    assert queue.revisions.count() == 2 and queue.attachments.count() == 1
    assert improved.attachments.count() == 2  # its parent's template and its own tab
    assert first["Rating"] >= 15 and first["Feedback"] >= 5
    assert XtdComment.objects.filter(content_type=ContentType.objects.get_for_model(BricolagePage)).count() >= 3
    assert selectors.stats_for(queue)["adoption_count"] == 1
    ranked = [b.slug for b in selectors.bricolage_list(site_ctx.users["agent"])]
    assert ranked.index("demo-fiches-langues") < ranked.index("demo-boite-idees-qr")
