from django.urls import path

from entraide.notifications import reminder_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("non-lues/", views.unread_count, name="unread-count"),
    path("tout-lu/", views.mark_all_read, name="mark-all-read"),
    path("<uuid:notification_id>/lue/", views.mark_read, name="mark-read"),
    path("<uuid:notification_id>/ouvrir/", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
    path("desabonnement/<str:unsubscribe_token>/", views.unsubscribe, name="unsubscribe"),
    path("rappel/<str:reminder_token>/", reminder_views.reminder_action, name="reminder-action"),
]
