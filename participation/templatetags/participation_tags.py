import functools

from django import template

from .. import registry, selectors, services
from ..models import Report

register = template.Library()


@register.inclusion_tag("participation/_panel.html", takes_context=True)
def participation_panel(context, obj, supports=True, follow=True, report=True):
    """The support button and count, the follow button and the report link, as plain forms."""
    request = context["request"]
    user = request.user
    rule = obj.support_rule() if supports and hasattr(obj, "support_rule") else None
    return {
        "request": request, "obj": obj, "ref": f"{registry.key_for(obj)}:{obj.pk}", "user": user,
        "show_supports": rule is not None and not rule.closed_reason,
        "show_count": rule is not None and rule.counts_visible_to(user),
        "rule": rule,
        "supported": selectors.has_supported(user, obj) if rule is not None else False,
        "supports_left": services.supports_left(user=user, target=obj) if rule is not None else None,
        "following": selectors.is_following(user, obj) if follow else False,
        "show_follow": follow, "show_report": report, "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("participation/_comments.html", takes_context=True)
def comments_block(context, obj):
    """The discussion of `obj`. Shared by the visitors who see it the same (keyed by the comment count,
    so a new comment shows at once); the threads are loaded only when it is rendered."""
    request = context["request"]
    return {
        "request": request, "obj": obj, "ref": f"{registry.key_for(obj)}:{obj.pk}", "user": request.user,
        "threads": functools.cache(lambda: selectors.comments_for(obj)), "next": request.get_full_path(),
        "count": getattr(obj, "comments_count", None), "csrf_token": context.get("csrf_token"),
        "reasons": Report.Reason.choices, "share": selectors.comments_viewer_key(request.user, obj),
    }


@register.inclusion_tag("participation/_timeline.html")
def public_timeline(obj):
    return {"entries": selectors.public_timeline(obj)}
