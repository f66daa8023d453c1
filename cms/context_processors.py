from . import roles
from .mairies import all_mairies, mairie_for_request
from .sections import account_links, sections_for


def platform(request):
    user = getattr(request, "user", None)
    return {
        "current_mairie": mairie_for_request(request),
        "all_mairies": all_mairies(request),
        "nav_sections": sections_for(request) if user is not None else [],
        "account_links": account_links() if getattr(user, "is_authenticated", False) else [],
        "is_agent": roles.is_agent(user),
        "is_organiser": roles.is_organiser(user),
        "is_editor": roles.is_editor(user),
    }
