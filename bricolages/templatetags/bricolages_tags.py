from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def bricolage_image_url(image, size="etape"):
    """A step picture's URL, served to agents only."""
    if image is None:
        return ""
    return reverse("bricolages:image", args=[image.pk, size])


@register.simple_tag
def stars(value, count=None):
    """★★★★☆ for the eye, « 4,2 sur 5 » for screen readers."""
    if value is None:
        return format_html('<span class="stars stars-none">{}</span>', _("pas encore noté"))
    full = max(0, min(5, round(float(value))))
    label = _("%(value)s sur 5") % {"value": number_format(value, 1 if float(value) % 1 else 0)}
    if count is not None:
        label = _("%(label)s (%(count)s notes)") % {"label": label, "count": count} if count != 1 else \
            _("%(label)s (1 note)") % {"label": label}
    return format_html('<span class="stars"><span aria-hidden="true">{}{}</span><span class="visually-hidden">{}</span></span>',
                       "★" * full, "☆" * (5 - full), label)
