from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "bedside.posts"
    label = "posts"
