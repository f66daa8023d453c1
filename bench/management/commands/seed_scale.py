"""The benchmark's data set: `manage.py seed_scale --scale 1` on top of `seed_demo`.

At scale 1 (issue 9): 2 mairies, 10,000 Occupai proposals, 5,000 Bureau projects, 100,000
complaints (with their personal data), 5,000 bricolages, 500,000 supports (and the follows that
go with them), 50,000 comments and 100,000 notifications; `--scale 0.01` makes a quick set.

The feature apps change while this is written, so rows are made by cloning the demo's own objects
(every concrete field copied, then titles, texts, statuses, dates, authors and unique values
changed), with bulk_create, and COPY (PostgreSQL) / executemany (SQLite) for the biggest tables.
A model that is not installed, or that the demo has no object of, is skipped and reported.
Counters the engine keeps (supports_count, comments_count) are recomputed from the rows, and the
search index is rebuilt at the end. Deterministic: the same scale gives the same data.
"""

import json
import random
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from bench.bulk import BATCH, bulk_add_child_pages, bulk_insert, chunks, clone, db_value, fast_insert

BASE_COUNTS = {
    "occupai.proposal": 10_000,
    "bureau.project": 5_000,
    "hackathon.complaint": 100_000,
    "bricolages.bricolagepage": 5_000,
    "supports": 500_000,
    "comments": 50_000,
    "notifications": 100_000,
    "users": 5_000,
}

_WORDS = (
    "jardin partagé fête quartier concert atelier vélo réparation lecture cuisine musique danse "
    "exposition débat enfants jeunes aînés solidarité marché brocante propreté arbres compost "
    "potager bibliothèque cinéma plein-air sport football basket théâtre conte photo graffiti "
    "fresque école collège crèche parc square canal bassin villette belleville combat amérique "
    "flandre médiation voisins entraide numérique accueil accessibilité fauteuil langue signes "
    "traduction bénévoles association collectif goûter repas partage mémoire histoire patrimoine "
    "balade découverte nature oiseaux abeilles ruches lumière éclairage bancs fontaine eau "
    "sécurité trottoir poubelles bruit nuit rue piétonne marché-nocturne fanfare chorale rap"
)
_ADJECTIVES = "ouvert solidaire joyeux gratuit familial nocturne estival partagé local musical vert"
WORDS, ADJECTIVES = _WORDS.split(), _ADJECTIVES.split()


def _sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _text(rng, sentences=3, words=12):
    return " ".join(_sentence(rng, words) for _ in range(sentences))


def _title(rng, i):
    return f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {rng.choice(ADJECTIVES)} n°{i}"


def get_model(label):
    """The model named "app_label.model", or None when that app or model is not installed."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


# --- the data set --------------------------------------------------------------------------------


class Scale:
    """The generator; `counts` overrides BASE_COUNTS (before scaling) for a partial set, as the
    EXPLAIN tests make one."""

    def __init__(self, scale, seed=42, log=print, counts=None):
        self.scale, self.rng, self.log = scale, random.Random(seed), log
        self.base_counts = {**BASE_COUNTS, **(counts or {})}
        self.report = {"scale": scale, "made": {}, "skipped": {}}
        self.now = timezone.now()
        self.targets = []  # (model, [pk...]) that receive supports and comments

    def count(self, key, minimum=1):
        return max(minimum, int(self.base_counts[key] * self.scale))

    def made(self, key, n):
        self.report["made"][key] = self.report["made"].get(key, 0) + n
        self.log(f"  {key}: {n}")

    def skip(self, key, why):
        self.report["skipped"][key] = why
        self.log(f"  {key}: skipped ({why})")

    def when(self, days=400):
        return self.now - timedelta(seconds=self.rng.randrange(days * 86400))

    # users
    def users(self):
        from cms import roles
        from cms.models import Mairie, User

        mairies = list(Mairie.objects.order_by("arrondissement"))
        if not mairies:
            raise CommandError("No mairie: run `manage.py seed_demo` first.")
        self.mairies = mairies
        n = self.count("users", minimum=200)
        start = User.objects.filter(username__startswith="foule").count()
        password = make_password(settings.DEMO_PASSWORD)
        rows = [User(username=f"foule{i}", email=f"foule{i}@bench.mairie-de-demain.localhost", password=password,
                     display_name=f"Habitant·e {i}", mairie=mairies[i % len(mairies)], email_confirmed=True,
                     is_active=True) for i in range(start, n)]
        for chunk in chunks(rows):
            User.objects.bulk_create(chunk)
        from django.contrib.auth.models import Group

        group = Group.objects.get(name=roles.RESIDENTS)
        new_ids = User.objects.filter(username__in=[u.username for u in rows]).values_list("pk", flat=True)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=pk, group_id=group.pk) for pk in new_ids], batch_size=BATCH)
        self.crowd = list(User.objects.filter(username__startswith="foule").order_by("pk")
                          .values_list("pk", "mairie_id"))
        self.crowd_by_mairie = {m.pk: [pk for pk, mid in self.crowd if mid == m.pk] for m in mairies}
        self.made("users", len(rows))

    def quartiers(self, mairie_id):
        from participation.models import Quartier

        if not hasattr(self, "_quartiers"):
            self._quartiers = {}
            for q in Quartier.objects.all():
                self._quartiers.setdefault(q.mairie_id, []).append(q.pk)
        return self._quartiers.get(mairie_id, [None])

    def tag(self, model, objs, per_object=2):
        from django.core.exceptions import FieldDoesNotExist
        from django.utils.text import slugify
        from taggit.models import Tag, TaggedItem

        try:
            field = model._meta.get_field("tags")
        except FieldDoesNotExist:
            return
        if getattr(field, "through", None) is not TaggedItem:
            return
        tags = [Tag.objects.filter(models.Q(name=w) | models.Q(slug=slugify(w))).first()
                or Tag.objects.create(name=w, slug=slugify(w)) for w in WORDS[:30]]
        ct = ContentType.objects.get_for_model(model)
        rows = []
        for obj in objs:
            for tag in self.rng.sample(tags, per_object):
                rows.append(TaggedItem(tag_id=tag.pk, content_type_id=ct.pk, object_id=obj.pk))
        TaggedItem.objects.bulk_create(rows, batch_size=BATCH)

    # Bureau
    def projects(self):
        Project = get_model("bureau.project")
        template = Project and Project.objects.exclude(status="draft").order_by("pk").first()
        if template is None:
            return self.skip("bureau.project", "model or demo project missing")
        statuses = ["under_review", "incubated", "launched", "declined", "submitted"]
        objs = []
        for i in range(self.count("bureau.project")):
            mairie = self.mairies[0] if i % 10 < 7 else self.mairies[-1]
            status = self.rng.choices(statuses, weights=[50, 25, 10, 10, 5])[0]
            published = self.when() if status != "submitted" else None
            objs.append(clone(template, {
                "title": _title(self.rng, i)[:120], "summary": _sentence(self.rng, 10)[:200],
                "description": _text(self.rng), "status": status, "mairie_id": mairie.pk,
                "quartier_id": self.rng.choice(self.quartiers(mairie.pk)),
                "author_id": self.rng.choice(self.crowd_by_mairie[mairie.pk]), "published_at": published,
                "submitted_at": published, "is_hidden": False, "supports_count": 0, "comments_count": 0,
                "reports_count": 0, "image_id": None,
            }, i))
        bulk_insert(Project, objs)
        self.tag(Project, objs)
        self.targets.append((Project, [o.pk for o in objs if o.status in ("under_review", "incubated", "launched")]))
        self.made("bureau.project", len(objs))

    # Occupai
    def proposals(self):
        Proposal = get_model("occupai.proposal")
        template = Proposal and Proposal.objects.filter(status="accepted").order_by("pk").first()
        if template is None:
            return self.skip("occupai.proposal", "model or demo proposal missing")
        calls = self.calls(template.call, self.count("occupai.proposal"))
        statuses = ["accepted", "selected", "not_selected", "submitted", "rejected"]
        objs = []
        for i in range(self.count("occupai.proposal")):
            call = calls[i % len(calls)]
            mairie_id = call.mairie_id or template.mairie_id
            crowd = self.crowd_by_mairie.get(mairie_id) or [pk for pk, _m in self.crowd]
            objs.append(clone(template, {
                "title": _title(self.rng, i)[:120], "description": _text(self.rng), "call_id": call.pk,
                "mairie_id": mairie_id, "status": self.rng.choices(statuses, weights=[70, 8, 8, 9, 5])[0],
                "quartier_id": self.rng.choice(self.quartiers(mairie_id)), "author_id": self.rng.choice(crowd),
                "expected_audience": self.rng.randint(10, 400), "is_hidden": False, "supports_count": 0,
                "comments_count": 0, "reports_count": 0, "image": "",
                "submitted_at": self.when(), "created_at": self.when(),
            }, i))
        bulk_insert(Proposal, objs)
        self.tag(Proposal, objs)
        self.targets.append((Proposal, [o.pk for o in objs if o.status in ("accepted", "selected", "not_selected")]))
        self.made("occupai.proposal", len(objs))

    def calls(self, base, proposals, per_call=200):
        """Calls for projects like the demo's `base` (same phase, spaces and budget), enough for about
        `per_call` proposals each: a call page shows a call's proposals, and a real call gathers
        a few hundred at most, not thousands."""
        wanted = max(1, -(-proposals // per_call))
        objs = [clone(base, {"title": f"{base.title} — appel n° {i}", "slug": f"{base.slug}-{i}",
                             "seo_title": "", "search_description": ""}, i) for i in range(1, wanted)]
        if objs:
            bulk_add_child_pages(base.get_parent(), objs)
            if hasattr(base, "spaces"):
                through = type(base).spaces.through
                space_ids = list(base.spaces.values_list("pk", flat=True))
                through.objects.bulk_create([through(callpage_id=call.pk, space_id=space)
                                             for call in objs for space in space_ids])
        self.made("occupai.callpage", len(objs))
        return [base, *objs]

    # Service lab
    def complaints(self):
        Complaint = get_model("hackathon.complaint")
        template = Complaint and Complaint.objects.order_by("pk").first()
        if template is None:
            return self.skip("hackathon.complaint", "model or demo complaint missing")
        Personal = get_model("hackathon.complaintpersonaldata")
        personal_template = Personal and Personal.objects.filter(complaint=template).first()
        Issue = get_model("hackathon.recurringissue")
        issues = {}
        if Issue is not None:
            for pk, mairie_id in Issue.objects.values_list("pk", "mairie_id"):
                issues.setdefault(mairie_id, []).append(pk)
        total = self.count("hackathon.complaint")
        for start in range(0, total, 10_000):
            objs = []
            for i in range(start, min(total, start + 10_000)):
                mairie = self.mairies[i % len(self.mairies)]
                grouped = self.rng.random() < 0.6 and issues.get(mairie.pk)
                objs.append(clone(template, {
                    "mairie_id": mairie.pk, "quartier_id": self.rng.choice(self.quartiers(mairie.pk)),
                    "issue_id": self.rng.choice(issues[mairie.pk]) if grouped else None,
                    "received_on": self.when().date(), "public_summary": _sentence(self.rng, 14),
                    "created_at": self.when(), "personal_data_purged_at": None,
                }, i))
            bulk_insert(Complaint, objs)
            if personal_template is not None:
                bulk_insert(Personal, [clone(personal_template, {
                    "complaint_id": c.pk, "subject": _sentence(self.rng, 6)[:200], "full_text": _text(self.rng, 4),
                    "contact_name": f"Personne {c.pk}", "contact_email": f"courrier{c.pk}@example.org",
                    "scan": "", "author_id": None}, c.pk) for c in objs])
        self.made("hackathon.complaint", total)

    # Bricolages (Wagtail pages under the wiki's index)
    def bricolages(self):
        Bricolage = get_model("bricolages.bricolagepage")
        Index = get_model("bricolages.bricolageindexpage")
        template = Bricolage and Bricolage.objects.live().order_by("pk").first()
        index = Index and Index.objects.first()
        if template is None or index is None:
            return self.skip("bricolages.bricolagepage", "model, index or demo bricolage missing")
        agents = list(get_model("cms.user").objects.filter(is_staff=True).values_list("pk", flat=True))
        objs = []
        start = Bricolage.objects.count()
        for i in range(start, start + self.count("bricolages.bricolagepage")):
            title = _title(self.rng, i)[:255]
            values = {"title": title, "slug": f"bricolage-{i}", "seo_title": "", "search_description": "",
                      "summary": _sentence(self.rng, 18), "problem": _text(self.rng, 2),
                      "is_hidden": False, "supports_count": 0, "comments_count": 0, "reports_count": 0,
                      "author_id": self.rng.choice(agents) if agents else None,
                      "mairie_id": self.mairies[i % len(self.mairies)].pk, "variant_of_id": None,
                      "locked_by_id": None, "locked_at": None, "alias_of_id": None}
            objs.append(clone(template, {k: v for k, v in values.items() if hasattr(template, k)}, i))
        for chunk in chunks(objs, 1000):
            bulk_add_child_pages(index, chunk)
        self.targets.append((Bricolage, [o.pk for o in objs]))
        self.made("bricolages.bricolagepage", len(objs))

    # The engine's rows
    def _contexts(self, model, pks):
        """Each target's support context (its vote budget's scope), as its support_rule() says."""
        contexts = {}
        for chunk in chunks(pks):
            for obj in model._default_manager.filter(pk__in=chunk).select_related():
                try:
                    contexts[obj.pk] = obj.support_rule().context or ""
                except Exception:  # noqa: BLE001 - a rule that needs more than the row: no context
                    contexts[obj.pk] = ""
        return contexts

    def supports(self):
        from participation.models import Follow, Support

        targets = [(m, pks) for m, pks in self.targets if pks]
        if not targets:
            return self.skip("supports", "no participatory objects were made")
        all_targets = [(m, pk) for m, pks in targets for pk in pks]
        wanted = self.count("supports")
        users = [pk for pk, _m in self.crowd]
        # A long tail: a few objects gather many supports, most a few.
        weights = [1.0 / (rank + 10) for rank in range(len(all_targets))]
        self.rng.shuffle(weights)
        scale = wanted / sum(weights)
        stamps = [db_value(Support, "created_at", self.when(120)) for _ in range(500)]
        support_rows, follow_rows = [], []
        cts = {m: ContentType.objects.get_for_model(m, for_concrete_model=False).pk for m, _p in targets}
        contexts = {m: self._contexts(m, pks) for m, pks in targets}
        for (model, pk), weight in zip(all_targets, weights, strict=True):
            n = min(len(users), max(0, round(weight * scale)))
            for user_id in self.rng.sample(users, n):
                stamp = self.rng.choice(stamps)
                support_rows.append((cts[model], pk, user_id, contexts[model].get(pk, ""), stamp))
                follow_rows.append((cts[model], pk, user_id, stamp))
        fast_insert(Support, ["content_type_id", "object_id", "user_id", "context", "created_at"], support_rows)
        fast_insert(Follow, ["content_type_id", "object_id", "user_id", "created_at"], follow_rows)
        self.made("supports", len(support_rows))
        self.made("follows", len(follow_rows))

    def comments(self):
        """Threads of depth 2 as django-comments-xtd stores them: a top comment is its own thread
        and parent; a reply points at its top comment, level 1, order 2, 3..."""
        XtdComment = get_model("django_comments_xtd.xtdcomment")
        targets = [(m, pks) for m, pks in self.targets if pks]
        if XtdComment is None or not targets:
            return self.skip("comments", "django-comments-xtd or participatory objects missing")
        total = self.count("comments")
        users = dict(get_model("cms.user").objects.filter(username__startswith="foule")
                     .values_list("pk", "display_name"))
        user_ids = list(users)
        cts = {m: ContentType.objects.get_for_model(m, for_concrete_model=False).pk for m, _p in targets}
        tops, replies, by_target = [], [], {}
        for i in range(total):
            user_id = self.rng.choice(user_ids)
            parent = None
            if i % 10 >= 7 and tops:
                parent = self.rng.choice(tops)
                ct, object_pk = parent.content_type_id, parent.object_pk
            else:
                model, pks = self.rng.choice(targets)
                ct, object_pk = cts[model], str(self.rng.choice(pks))
            comment = XtdComment(
                content_type_id=ct, object_pk=object_pk, site_id=settings.SITE_ID, user_id=user_id,
                user_name=users[user_id][:50], user_email="", user_url="", comment=_text(self.rng, 2),
                submit_date=self.when(90), ip_address=None, is_public=True, is_removed=False, level=0,
                order=1, followup=False, nested_count=0, thread_id=0, parent_id=0)
            if parent is None:
                tops.append(comment)
                by_target.setdefault((ct, object_pk), []).append(comment)
            else:
                parent.nested_count += 1
                comment.level, comment.order = 1, parent.nested_count + 1
                replies.append((comment, parent))

        def own_thread(chunk):
            for top in chunk:
                top.thread_id = top.parent_id = top.pk

        bulk_insert(XtdComment, tops, before_children=own_thread)
        for reply, parent in replies:
            reply.thread_id = reply.parent_id = parent.pk
        bulk_insert(XtdComment, [reply for reply, _parent in replies])
        self.made("comments", len(tops) + len(replies))

    def notifications(self):
        from participation.models import Notification

        targets = [(m, pks) for m, pks in self.targets if pks]
        if not targets:
            return self.skip("notifications", "no participatory objects were made")
        users = [pk for pk, _m in self.crowd]
        rows = []
        for i in range(self.count("notifications")):
            model, pks = self.rng.choice(targets)
            ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
            rows.append(Notification(user_id=self.rng.choice(users), content_type_id=ct.pk,
                                     object_id=self.rng.choice(pks), verb=self.rng.choice(["comment", "status"]),
                                     title=f"Du nouveau n°{i}", message=_sentence(self.rng, 10), url="/",
                                     read_at=self.when(30) if self.rng.random() < 0.5 else None,
                                     emailed_at=self.now))
        for chunk in chunks(rows):
            Notification.objects.bulk_create(chunk)
        self.made("notifications", len(rows))

    def counters(self):
        """supports_count and comments_count from the rows, as the engine would have kept them."""
        from django.db.models import Count

        from participation.models import Support

        comment_model = get_model("django_comments_xtd.xtdcomment")
        for model, _pks in self.targets:
            ct = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
            # order_by(): a model's default ordering would split the GROUP BY.
            counts = {"supports_count": dict(Support.objects.filter(content_type_id=ct).order_by()
                                             .values_list("object_id").annotate(n=Count("id"))
                                             .values_list("object_id", "n"))}
            if comment_model is not None:
                rows = (comment_model.objects.filter(content_type_id=ct, is_public=True, is_removed=False)
                        .order_by().values_list("object_pk").annotate(n=Count("pk")).values_list("object_pk", "n"))
                counts["comments_count"] = {int(pk): n for pk, n in rows}
            table, pk = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
            with connection.cursor() as cursor:
                for field, values in counts.items():
                    cursor.executemany(f"UPDATE {table} SET {field} = %s WHERE {pk} = %s",  # noqa: S608
                                       [(n, object_id) for object_id, n in values.items()])

    def search_index(self):
        if not apps.is_installed("search"):
            return self.skip("search index", "search app not installed")
        started = time.monotonic()
        try:
            call_command("rebuild_search_index", stdout=_Null())
        except Exception as exc:  # noqa: BLE001 - report, keep the data set
            return self.skip("search index", f"rebuild failed: {exc!r}"[:200])
        SearchEntry = get_model("search.searchentry")
        n = SearchEntry.objects.count() if SearchEntry else 0
        self.report["search_documents"] = n
        self.made("search documents", n)
        self.log(f"  (index rebuilt in {time.monotonic() - started:.0f} s)")

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


STEPS = ("users", "projects", "proposals", "complaints", "bricolages", "supports", "comments", "notifications")


def build(scale, *, seed=42, log=print, index=True):
    """Make the data set (in one transaction per step); return the report (counts, skips, times)."""
    data = Scale(scale, seed=seed, log=log)
    times = {}
    for step in STEPS:
        started = time.monotonic()
        with transaction.atomic():
            getattr(data, step)()
        times[step] = round(time.monotonic() - started, 1)
    with transaction.atomic():
        data.counters()
    if index:
        started = time.monotonic()
        data.search_index()
        times["search index"] = round(time.monotonic() - started, 1)
    data.analyze()
    data.report["seconds"] = times
    return data.report


class Command(BaseCommand):
    help = ("Load the benchmark's scaled data set on top of the demo (run seed_demo first). "
            "--scale 1 is issue 9's size (10,000 proposals, 500,000 supports...); 0.01 a quick one.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--no-index", action="store_true", help="Do not rebuild the search index.")
        parser.add_argument("--report", help="Write the JSON report (counts, skipped models, times) here.")

    def handle(self, *args, scale, seed, no_index, report, **options):
        if settings.PLATFORM_ENV == "production" and not settings.DATABASES["default"]["NAME"].endswith("bench"):
            self.stdout.write(self.style.WARNING("Production settings: the data set goes into "
                                                 f"{settings.DATABASES['default']['NAME']}."))
        if get_model("cms.user").objects.filter(username__startswith="foule").exists():
            raise CommandError("This database already holds a scaled data set (users foule*): use a fresh one.")
        started = time.monotonic()
        result = build(scale, seed=seed, log=self.stdout.write, index=not no_index)
        result["total_seconds"] = round(time.monotonic() - started, 1)
        if report:
            with open(report, "w") as fh:
                json.dump(result, fh, indent=2)
        self.stdout.write(self.style.SUCCESS(f"Scaled data set ready in {result['total_seconds']} s."))
