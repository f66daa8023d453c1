from django.urls import path

from . import views

urlpatterns = [
    path("participer/soutenir/", views.support, name="participation-support"),
    path("participer/retirer-mon-soutien/", views.withdraw, name="participation-withdraw"),
    path("participer/suivre/", views.follow, name="participation-follow"),
    path("participer/ne-plus-suivre/", views.unfollow, name="participation-unfollow"),
    path("participer/commenter/", views.comment, name="participation-comment"),
    path("participer/signaler/", views.report, name="participation-report"),
    path("notifications/", views.notifications, name="notifications"),
    path("moderation/", views.moderation, name="moderation"),
]
