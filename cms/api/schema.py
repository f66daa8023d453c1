def platform_endpoints_only(endpoints, **kwargs):
    """The schema documents the platform's REST API; Wagtail's API v2 and admin API have their own."""
    return [e for e in endpoints if e[0].startswith("/api/") and not e[0].startswith("/api/v2/")]
