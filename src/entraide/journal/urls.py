from django.urls import path

from entraide.journal.views import checkins, entries, indicators, insights, settings

app_name = "journal"
urlpatterns = [
    path("", checkins.today, name="today"),
    path("points/", checkins.checkin_list, name="checkins"),
    path("point/nouveau/", checkins.checkin_new, name="checkin-new"),
    path("point/<uuid:checkin_id>/", checkins.checkin_edit, name="checkin-edit"),
    path("point/<uuid:checkin_id>/prive/", checkins.checkin_private, name="checkin-private"),
    path("point/<uuid:checkin_id>/supprimer/", checkins.checkin_delete, name="checkin-delete"),
    path("carnet/", entries.entry_list, name="entries"),
    path("carnet/nouveau/", entries.entry_new, name="entry-new"),
    path("carnet/<uuid:entry_id>/", entries.entry_detail, name="entry"),
    path("carnet/<uuid:entry_id>/modifier/", entries.entry_edit, name="entry-edit"),
    path("carnet/<uuid:entry_id>/prive/", entries.entry_private, name="entry-private"),
    path("carnet/<uuid:entry_id>/supprimer/", entries.entry_delete, name="entry-delete"),
    path("indicateurs/", indicators.indicator_list, name="indicators"),
    path("indicateurs/nouveau/", indicators.indicator_new, name="indicator-new"),
    path("indicateurs/<uuid:indicator_id>/", indicators.indicator_edit, name="indicator-edit"),
    path("indicateurs/<uuid:indicator_id>/deplacer/", indicators.indicator_move, name="indicator-move"),
    path("indicateurs/<uuid:indicator_id>/archiver/", indicators.indicator_archive, name="indicator-archive"),
    path("reglages/", settings.journal_settings, name="settings"),
    path("apercu/", insights.overview, name="overview"),
    path("tendances/", insights.trends, name="trends"),
    path("historique/", insights.history, name="history"),
    path("comparer/", insights.compare, name="compare"),
    path("semaine/", insights.week, name="week"),
]
