"""{% load sanitize %}: {{ html|clean_html }} and {{ richtext|richtext_clean }} (see cms.sanitize)."""

from django import template

from cms import sanitize

register = template.Library()


@register.filter(name="clean_html")
def clean_html(value):
    return sanitize.clean_html(value)


@register.filter(name="richtext_clean")
def richtext_clean(value):
    return sanitize.clean_richtext(value)
