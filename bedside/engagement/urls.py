from django.urls import path

from bedside.engagement import views

urlpatterns = [
    path("p/<slug:slug>/polls/<int:post_id>/", views.poll_detail, name="poll_detail"),
    path("p/<slug:slug>/polls/<int:post_id>/vote/", views.poll_vote, name="poll_vote"),
    path("p/<slug:slug>/quizzes/<int:post_id>/", views.quiz_detail, name="quiz_detail"),
    path(
        "p/<slug:slug>/quizzes/<int:post_id>/questions/<int:question_id>/answer/",
        views.quiz_answer,
        name="quiz_answer",
    ),
    path(
        "p/<slug:slug>/quizzes/<int:post_id>/leaderboard/",
        views.quiz_leaderboard,
        name="quiz_leaderboard",
    ),
    path("p/<slug:slug>/studio/polls/new/", views.studio_poll_new, name="studio_poll_new"),
    path(
        "p/<slug:slug>/studio/polls/<int:post_id>/edit/",
        views.studio_poll_edit,
        name="studio_poll_edit",
    ),
    path(
        "p/<slug:slug>/studio/polls/<int:post_id>/close/",
        views.studio_poll_close,
        name="studio_poll_close",
    ),
    path("p/<slug:slug>/studio/quizzes/new/", views.studio_quiz_new, name="studio_quiz_new"),
    path(
        "p/<slug:slug>/studio/quizzes/<int:post_id>/edit/",
        views.studio_quiz_edit,
        name="studio_quiz_edit",
    ),
    path(
        "p/<slug:slug>/studio/quizzes/<int:post_id>/questions/new/",
        views.studio_question_new,
        name="studio_question_new",
    ),
    path(
        "p/<slug:slug>/studio/quizzes/<int:post_id>/questions/<int:question_id>/edit/",
        views.studio_question_edit,
        name="studio_question_edit",
    ),
    path(
        "p/<slug:slug>/studio/quizzes/<int:post_id>/questions/<int:question_id>/delete/",
        views.studio_question_delete,
        name="studio_question_delete",
    ),
]
