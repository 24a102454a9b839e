"""A GIN index for searching published articles and answers, on PostgreSQL only.

The index is on the posts table but belongs to education's search: it indexes exactly the
document ``bedside.education.search.document()`` builds (title weight A, body weight C,
``english``), for published posts of kind article or answer, so the planner can use it for
``document @@ websearch_to_tsquery(...)``. SQLite searches with ``icontains`` and gets no index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Q

INDEX_NAME = "education_post_search"


def _index() -> GinIndex:
    return GinIndex(
        SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="C", config="english"),
        name=INDEX_NAME,
        condition=Q(status="published", kind__in=["article", "answer"]),
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("posts", "Post"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("posts", "Post"), _index())


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0001_initial"),
        ("posts", "0004_announcements_video_scheduling"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
