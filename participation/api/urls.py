from django.urls import path

from . import views

urlpatterns = [
    path("comments/", views.CommentsView.as_view(), name="api-comments"),
    path("follows/", views.FollowsView.as_view(), name="api-follows"),
    path("reports/", views.ReportsView.as_view(), name="api-reports"),
    path("moderation/hide/", views.ModerationView.as_view(action="hide"), name="api-moderation-hide"),
    path("moderation/restore/", views.ModerationView.as_view(action="restore"), name="api-moderation-restore"),
    path("moderation/queue/", views.ModerationQueueView.as_view(), name="api-moderation-queue"),
    path("notifications/", views.NotificationsView.as_view(), name="api-notifications"),
    path("notification-preferences/", views.NotificationPreferencesView.as_view(),
         name="api-notification-preferences"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="api-notifications-read"),
    path("quartiers/", views.QuartiersView.as_view(), name="api-quartiers"),
    path("timeline/", views.TimelineView.as_view(), name="api-timeline"),
]
