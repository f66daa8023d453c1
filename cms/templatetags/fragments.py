"""`{% shared_fragment %}`: a part of a page rendered once and shared by every visitor who would
see it the same, for as long as a cached anonymous page (PAGE_CACHE_SECONDS, and until the page
cache's platform-wide version or the version of the request's mairie changes: cms.cache).

    {% load fragments %}
    {% shared_fragment "call-proposals" page.pk page_obj.number supported_ids supports_left_zero %}
      ... the proposal cards ...
    {% endshared_fragment %}

The key is the fragment's name and every value given after it, plus what any fragment may depend
on: the language, the request's path and query string, and whether the visitor is logged in. Pass
every other thing about the visitor that the fragment shows (what they support, their roles): what
is not in the key must be the same for everyone. CSRF tokens are never shared: the fragment is
rendered with a placeholder, replaced on the way out by this visitor's own token.
`unless=<value>` (last): when the value is true, the fragment is rendered for this request alone,
e.g. a form bound to what the visitor typed: `{% shared_fragment "rate" obj.pk unless=form.is_bound %}`.
With the page cache off (the test settings), and in a Wagtail preview, the fragment is rendered
every time.
"""

import hashlib

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.cache import remember

register = template.Library()
CSRF_PLACEHOLDER = "__SHARED_FRAGMENT_CSRF_TOKEN__"


def _part(value):
    """A stable text for one part of the key (model instances by their primary key)."""
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return f"{value._meta.label}:{value.pk}"
    if isinstance(value, (set, frozenset)):
        return repr(sorted(value, key=repr))
    return repr(value)


class SharedFragmentNode(template.Node):
    def __init__(self, name, vary_on, nodelist, unless=None):
        self.name, self.vary_on, self.nodelist, self.unless = name, vary_on, nodelist, unless

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)  # a draft in preview is never shared
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        user = getattr(request, "user", None)
        parts = [self.name.resolve(context), *(v.resolve(context) for v in self.vary_on), get_language(),
                 request.get_full_path(),
                 bool(getattr(user, "is_authenticated", False))]
        key = "fragment:" + hashlib.sha256("|".join(map(_part, parts)).encode()).hexdigest()

        def compute():
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                return str(self.nodelist.render(context))

        html = remember(key, compute)
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when it was rendered


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% shared_fragment %} needs a name: {% shared_fragment \"name\" … %}")
    unless = None
    if bits[-1].startswith("unless="):
        unless = parser.compile_filter(bits.pop().removeprefix("unless="))
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist,
                              unless)
