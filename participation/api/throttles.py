from rest_framework.throttling import UserRateThrottle


class SupportThrottle(UserRateThrottle):
    scope = "support"


class WriteThrottle(UserRateThrottle):
    scope = "write"
