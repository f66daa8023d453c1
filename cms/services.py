"""Account services: the HTML views and the API call these, never the models directly."""


from .models import User


def user_tokens_revoke(*, user: User) -> int:
    """Delete the account's API tokens (after a password change or reset: whoever held one is out)."""
    from rest_framework.authtoken.models import Token

    deleted, _detail = Token.objects.filter(user=user).delete()
    return deleted
