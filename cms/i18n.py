"""Translation helpers."""

from django.utils.functional import lazy


def _interpolate(text, values):
    return str(text) % values


# `gettext_lazy("... %(n)d ...") % {...}` at class level translates once, at import, in whatever
# language is active then; this keeps the interpolation lazy, so each request gets its language.
lazy_interpolate = lazy(_interpolate, str)
