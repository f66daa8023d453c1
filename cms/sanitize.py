"""Sanitising user-supplied HTML with nh3 (Rust's ammonia): an allow-list of tags, attributes and
URL schemes; scripts, event handlers, styles, iframes and javascript: links are removed.

Use it wherever HTML that a person (not the code) wrote is shown:

    from cms.sanitize import clean_html
    safe = clean_html(untrusted)                 # a SafeString, ready for a template

    {% load sanitize %}
    {{ proposal.description|clean_html }}
    {{ page.body_richtext|richtext_clean }}      # Wagtail rich text: expand links/images, then clean

Plain text needs none of this: Django's autoescape already makes it safe.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "small",
    "ul", "ol", "li", "blockquote", "q", "cite", "code", "pre", "hr", "abbr",
    "h2", "h3", "h4", "h5", "h6", "a", "span", "div", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
IMAGE_ATTRIBUTES = {"img": {"src", "alt", "width", "height", "class"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "noopener noreferrer nofollow ugc"


def clean_html(html, *, allow_images: bool = False) -> SafeString:
    """The allowed subset of `html` (a str or anything with __html__), safe to render."""
    if html is None:
        return mark_safe("")  # noqa: S308 -- empty
    text = html.__html__() if hasattr(html, "__html__") else str(html)
    tags = TAGS | ({"img"} if allow_images else set())
    attributes = {**ATTRIBUTES, **(IMAGE_ATTRIBUTES if allow_images else {})}
    cleaned = nh3.clean(text, tags=tags, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=LINK_REL,
                        strip_comments=True)
    return mark_safe(cleaned)  # noqa: S308 -- nh3 output is sanitised


def clean_richtext(value) -> SafeString:
    """Wagtail rich text (a RichText or its database HTML): expand internal links and images as
    Wagtail does, then clean. For rich text that did not go through the admin's editor."""
    from wagtail.rich_text import expand_db_html

    source = value.source if hasattr(value, "source") else (value or "")
    return clean_html(expand_db_html(str(source)), allow_images=True)
