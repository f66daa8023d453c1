"""HTML routes of the Service lab, under /service-lab/ on every mairie's site."""

from django.urls import path

from cms.ratelimit import ratelimit

from . import organiser_views, views

app_name = "hackathon"

urlpatterns = [
    path("service-lab/", views.index, name="index"),
    path("service-lab/sujets/", views.issue_list, name="issues"),
    path("service-lab/sujets/<int:pk>/", views.issue_detail, name="issue"),
    path("service-lab/sujets/<int:pk>/moi-aussi/", ratelimit("support")(views.issue_me_too), name="issue-me-too"),
    path("service-lab/sujets/<int:pk>/modifier/", views.issue_edit, name="issue-edit"),
    path("service-lab/tirages/", views.draw_list, name="draws"),
    path("service-lab/tirages/<int:pk>/", views.draw_detail, name="draw"),
    path("service-lab/tirages/<int:pk>/liste.json", views.draw_record_file, name="draw-record"),
    path("service-lab/tirages/<int:pk>/verifier.py", views.draw_script, name="draw-script"),
    path("service-lab/tirages/<int:pk>/tirer/", organiser_views.draw_run, name="draw-run"),
    path("service-lab/tirages/<int:pk>/refaire/", organiser_views.draw_redraw, name="draw-redraw"),
    path("service-lab/tirages/<int:pk>/cloturer/", organiser_views.draw_close, name="draw-close"),
    path("service-lab/tirages/<int:pk>/journee/", organiser_views.session_new, name="session-new"),
    path("service-lab/hackathons/", views.session_list, name="sessions"),
    path("service-lab/hackathons/<int:pk>/", views.session_detail, name="session"),
    path("service-lab/hackathons/<int:pk>/inscription/", views.session_registration, name="session-registration"),
    path("service-lab/hackathons/<int:pk>/modifier/", organiser_views.session_edit, name="session-edit"),
    path("service-lab/hackathons/<int:pk>/suite/", organiser_views.outcome_publish, name="outcome-publish"),
    path("service-lab/hackathons/<int:pk>/suite/etape/", organiser_views.outcome_advance, name="outcome-advance"),
    path("service-lab/ecrire/", ratelimit("complaint")(views.complaint_submit), name="complaint-submit"),
    path("service-lab/mes-courriers/", views.my_complaints, name="my-complaints"),
    path("service-lab/agents/courriers/", views.complaint_list, name="complaints"),
    path("service-lab/agents/courriers/nouveau/", views.complaint_new, name="complaint-new"),
    path("service-lab/agents/courriers/<int:pk>/", views.complaint_detail, name="complaint"),
    path("service-lab/agents/courriers/<int:pk>/scan/", views.complaint_scan, name="complaint-scan"),
    path("service-lab/agents/sujets/nouveau/", views.issue_new, name="issue-new"),
    path("service-lab/agents/lettres/", views.letter_list, name="letters"),
    path("service-lab/agents/lettres/<int:pk>/lettre.pdf", views.letter_pdf, name="letter-pdf"),
    path("service-lab/agents/lettres/<int:pk>/envoyee/", views.letter_sent, name="letter-sent"),
    path("service-lab/organisation/", organiser_views.organiser_dashboard, name="organiser"),
]
