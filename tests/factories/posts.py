import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from bedside.core.sanitizer import render_markdown
from bedside.posts.models import Comment, Kind, Post, PostImage, Status, Topic, Visibility
from bedside.posts.services import ImageUpload
from tests.factories.practices import PracticeFactory, UserFactory


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    color: str = "teal",
    exif: bytes | None = None,
) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


class PostFactory(factory.django.DjangoModelFactory):
    """A published post; pass ``status=Status.DRAFT, published_at=None`` for a draft."""

    class Meta:
        model = Post

    practice = factory.SubFactory(PracticeFactory)
    author = factory.SubFactory(UserFactory)
    kind = Kind.ANNOUNCEMENT
    topic = Topic.NON_MEDICAL
    status = Status.PUBLISHED
    visibility = Visibility.PUBLIC
    title = factory.Sequence(lambda n: f"News from the office, part {n}")
    body = "We have **new** opening hours on Saturdays."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    published_at = factory.LazyFunction(timezone.now)


class PostImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostImage

    post = factory.SubFactory(PostFactory)
    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.jpg"))
    alt_text = "The front desk team smiling at the camera"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = "Thank you for sharing!"
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


def image_upload(
    alt_text: str = "Our nurses at the health fair",
    caption: str = "",
    data: bytes | None = None,
    size: int | None = None,
    **image_kwargs: object,
) -> ImageUpload:
    """An upload as the composer hands it to ``add_post_images``; ``size`` may lie, cheaply."""
    raw = data if data is not None else image_bytes(**image_kwargs)  # type: ignore[arg-type]
    return ImageUpload(
        file=io.BytesIO(raw),
        size=len(raw) if size is None else size,
        alt_text=alt_text,
        caption=caption,
    )
