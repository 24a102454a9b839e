from django.urls import path

from bedside.education import views

urlpatterns = [
    path("p/<slug:slug>/articles/<int:post_id>/", views.article_detail, name="article_detail"),
    path("p/<slug:slug>/answers/<int:post_id>/", views.answer_detail, name="answer_detail"),
    path("p/<slug:slug>/ask/", views.ask, name="ask_question"),
    path(
        "p/<slug:slug>/ask/<int:question_id>/decline/",
        views.question_decline,
        name="question_decline",
    ),
    path("p/<slug:slug>/studio/articles/new/", views.studio_article_new, name="studio_article_new"),
    path(
        "p/<slug:slug>/studio/articles/<int:post_id>/edit/",
        views.studio_article_edit,
        name="studio_article_edit",
    ),
    path(
        "p/<slug:slug>/studio/articles/<int:post_id>/review/",
        views.studio_article_review,
        name="studio_article_review",
    ),
    path(
        "p/<slug:slug>/studio/articles/<int:post_id>/sources/<int:citation_id>/approve/",
        views.studio_citation_approve,
        name="studio_citation_approve",
    ),
    path("p/<slug:slug>/studio/reviews/", views.studio_review_queue, name="studio_review_queue"),
    path("p/<slug:slug>/studio/questions/", views.studio_questions, name="studio_questions"),
    path(
        "p/<slug:slug>/studio/questions/<int:question_id>/answer/",
        views.studio_question_answer,
        name="studio_question_answer",
    ),
    path(
        "p/<slug:slug>/studio/questions/<int:question_id>/close/",
        views.studio_question_close,
        name="studio_question_close",
    ),
    path(
        "p/<slug:slug>/studio/answers/<int:post_id>/edit/",
        views.studio_answer_edit,
        name="studio_answer_edit",
    ),
    path(
        "p/<slug:slug>/studio/sources/", views.studio_trusted_sources, name="studio_trusted_sources"
    ),
    path(
        "p/<slug:slug>/studio/sources/<int:source_id>/remove/",
        views.studio_trusted_source_remove,
        name="studio_trusted_source_remove",
    ),
    path(
        "p/<slug:slug>/studio/sources/settings/",
        views.studio_education_settings,
        name="studio_education_settings",
    ),
]
