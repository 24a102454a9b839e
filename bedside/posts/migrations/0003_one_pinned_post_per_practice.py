from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0002_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="post",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_pinned", True)),
                fields=("practice",),
                name="one_pinned_post_per_practice",
            ),
        ),
    ]
