from django.urls import path

from cms.ratelimit import ratelimit

from . import views

urlpatterns = [
    path("participer/soutenir/", ratelimit("support")(views.support), name="participation-support"),
    path("participer/retirer-mon-soutien/", ratelimit("support")(views.withdraw), name="participation-withdraw"),
    path("participer/suivre/", views.follow, name="participation-follow"),
    path("participer/ne-plus-suivre/", views.unfollow, name="participation-unfollow"),
    path("participer/commenter/", ratelimit("comment")(views.comment), name="participation-comment"),
    path("participer/signaler/", ratelimit("report")(views.report), name="participation-report"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/preferences/", views.notification_preferences, name="notification-preferences"),
    path("notifications/desabonnement/<str:token>/", views.notification_unsubscribe,
         name="notification-unsubscribe"),
    path("moderation/", views.moderation, name="moderation"),
]
