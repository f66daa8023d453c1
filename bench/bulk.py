"""Fast writers for the benchmark's data set (`manage.py seed_scale`, bench app): rows cloned from the
demo's own objects, written with bulk_create, and COPY (PostgreSQL) / executemany (SQLite) for the
biggest tables."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

BATCH = 2_000


def chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fast_insert(model, columns, rows):
    """Insert plain rows (tuples of database-ready values) into model's table: COPY on PostgreSQL,
    executemany elsewhere. No signals, no save(): for the big join tables only."""
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608
            for chunk in chunks(rows, 20_000):
                cursor.executemany(sql, chunk)


def db_value(model, field_name, value):
    return model._meta.get_field(field_name).get_db_prep_save(value, connection)


def clone(template, overrides, index):
    """A new unsaved object of template's model with every concrete field copied, then
    `overrides` applied, then any unique text field made unique with the index."""
    model = type(template)
    obj = model()
    parent_links = {f.attname for f in model._meta.concrete_fields
                    if f.primary_key or (f.is_relation and f.one_to_one and f.remote_field.parent_link)}
    for field in model._meta.concrete_fields:
        if field.attname not in parent_links:
            setattr(obj, field.attname, getattr(template, field.attname))
    for name, value in overrides.items():
        setattr(obj, name, value)
    _uniquify(obj, overrides, index)
    return obj


def _unique_field_names(model):
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    for together in model._meta.unique_together:
        names.update(together)
    return names


def _uniquify(obj, overrides, index):
    model = type(obj)
    for name in _unique_field_names(model):
        if name in overrides:
            continue
        field = model._meta.get_field(name)
        if isinstance(field, models.UUIDField):
            setattr(obj, field.attname, uuid.uuid4())
        elif isinstance(field, models.CharField | models.SlugField) and not field.choices:
            value = str(getattr(obj, field.attname) or "x")
            suffix = f"-s{index}"
            setattr(obj, field.attname, value[: field.max_length - len(suffix)] + suffix)


def bulk_insert(model, objs, before_children=None):
    """bulk_create that also works for multi-table inheritance (Wagtail pages, XtdComment):
    the root table through bulk_create (which returns the ids), then each child table
    (`before_children(chunk)` may fill fields that need the new ids first)."""
    chain = [*reversed(model._meta.get_parent_list()), model]
    chain = [m for m in chain if not m._meta.abstract and not m._meta.proxy]
    root = chain[0]
    if len(chain) == 1:
        for chunk in chunks(objs):
            model.objects.bulk_create(chunk)
        return objs
    for chunk in chunks(objs):
        roots = [root(**{f.attname: getattr(o, f.attname) for f in root._meta.concrete_fields if not f.primary_key})
                 for o in chunk]
        root.objects.bulk_create(roots)
        for obj, saved in zip(chunk, roots, strict=True):
            for link in chain[1:]:
                ptr = link._meta.pk
                setattr(obj, ptr.attname, saved.pk)
            obj.pk = saved.pk
        if before_children is not None:
            before_children(chunk)
        for link in chain[1:]:
            link._base_manager._insert(chunk, fields=list(link._meta.local_concrete_fields), using=connection.alias)
    for obj in objs:
        obj._state.adding = False
    return objs


def bulk_add_child_pages(parent, objs):
    """Add many pages under `parent` in one go: tree paths computed here, rows bulk-inserted,
    no revision (pages are live as created)."""
    from wagtail.models import Page

    parent = Page.objects.get(pk=parent.pk)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen:]) + 1 if last else 1
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(type(objs[0]))
    for offset, obj in enumerate(objs):
        obj.path = Page._get_path(parent.path, parent.depth + 1, step + offset)
        obj.depth, obj.numchild = parent.depth + 1, 0
        obj.url_path = f"{parent.url_path}{obj.slug}/"
        obj.locale_id, obj.translation_key = parent.locale_id, uuid.uuid4()
        obj.content_type = content_type
        obj.draft_title = obj.title
        obj.live, obj.has_unpublished_changes, obj.expired, obj.locked = True, False, False, False
        obj.first_published_at = obj.last_published_at = now
        obj.live_revision_id = obj.latest_revision_id = None
    bulk_insert(type(objs[0]), objs)
    Page.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + len(objs))
    return objs
