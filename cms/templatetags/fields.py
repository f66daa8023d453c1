"""`{% fields form "title" "summary" %}`: the named fields of a form, each through cms/_field.html (the site's
one field template), with what the surrounding context says of them (`fieldset_class`, `choices_class`)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def fields(context, form, *names):
    field_template = context.template.engine.get_template("cms/_field.html")
    parts = []
    for name in names:
        with context.push(field=form[name]):
            parts.append(field_template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered by the template engine, escaped there
