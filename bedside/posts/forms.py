"""Forms that parse what people type; the rules themselves live in the services."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from bedside.core.errors import Invalid
from bedside.posts.models import (
    COMPOSER_KINDS,
    AnnouncementType,
    Kind,
    Post,
    PostImage,
    Topic,
    Visibility,
)
from bedside.posts.services import (
    MAX_ALT_TEXT,
    MAX_CAPTION,
    MAX_COMMENT,
    MAX_IMAGES,
    ImageUpload,
    VideoUpload,
)
from bedside.practices.models import Practice, StaffProfile

IMAGE_ROWS = 4


class PostForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in COMPOSER_KINDS])
    topic = forms.ChoiceField(
        choices=Topic.choices,
        widget=forms.RadioSelect,
        help_text="Every post is marked medical or non-medical, to see what engages patients.",
        error_messages={"required": "Say whether this post is medical or non-medical."},
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.PUBLIC
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: **bold**, *italic*, [a link](https://example.org), lists with -.",
    )
    spotlight = forms.ModelChoiceField(
        queryset=StaffProfile.objects.none(),
        required=False,
        empty_label="Nobody",
        label="Team member in the spotlight",
        help_text="For team posts: links the post to their profile.",
    )
    is_pinned = forms.BooleanField(
        required=False,
        label="Pin to the top of the practice page",
        help_text="Unpins the post pinned now, if any.",
    )
    announcement_type = forms.ChoiceField(
        choices=AnnouncementType.choices,
        required=False,
        initial=AnnouncementType.GENERAL,
        label="Announcement of",
        help_text="For announcements: what the news is about.",
    )
    video = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
        help_text="MP4 or WebM. Or paste a YouTube or Vimeo link below instead.",
    )
    video_embed_url = forms.CharField(
        required=False,
        max_length=500,
        label="Video link",
        help_text=(
            "A YouTube or Vimeo link. Patients see a play button; the video loads from "
            "YouTube or Vimeo only when they press it."
        ),
    )
    transcript = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is said in the video, for people who cannot hear it. "
        "Required for interviews. Markdown works.",
    )
    remove_video = forms.BooleanField(required=False, label="Remove the video")

    def __init__(
        self,
        *args: Any,
        practice: Practice,
        can_pin: bool,
        has_video: bool = False,
        kind: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if kind is not None and kind not in COMPOSER_KINDS:
            # Posts made elsewhere (an event) keep their kind: the composer cannot offer it,
            # and letting the select fall back to its first choice would change it silently.
            kind_field = self.fields["kind"]
            assert isinstance(kind_field, forms.ChoiceField)
            kind_field.choices = [(kind, Kind(kind).label)]
            kind_field.initial = kind
            kind_field.disabled = True
        if not has_video:
            del self.fields["remove_video"]
        # Live preview: only the body goes to the sanitizer, never the chosen files.
        self.fields["body"].widget.attrs.update(
            {
                "hx-post": reverse("studio_preview", kwargs={"slug": practice.slug}),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#preview",
                "hx-swap": "outerHTML",
                "hx-params": "body",
            }
        )
        spotlight = self.fields["spotlight"]
        assert isinstance(spotlight, forms.ModelChoiceField)
        spotlight.queryset = StaffProfile.objects.filter(practice=practice)
        if not can_pin:
            del self.fields["is_pinned"]

    def post_fields(self) -> dict[str, Any]:
        """The cleaned values, named as the services take them."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("title", "kind", "topic", "visibility", "body")}
        fields["spotlight"] = data["spotlight"]
        return fields

    def media_fields(self) -> dict[str, Any]:
        """Announcement type, video and transcript, named as the services take them."""
        data = self.cleaned_data
        upload = data.get("video")
        return {
            "announcement_type": data.get("announcement_type") or "",
            "video": (
                VideoUpload(file=upload, size=upload.size or 0)
                if isinstance(upload, UploadedFile)
                else None
            ),
            "video_embed_url": data.get("video_embed_url") or "",
            "transcript": data.get("transcript") or "",
        }

    def add_invalid(self, error: Invalid) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


class ImageRowForm(forms.Form):
    image = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
        help_text="JPEG, PNG, GIF or WebP, up to 10 MB. Location data is removed.",
    )
    alt_text = forms.CharField(
        required=False,
        max_length=MAX_ALT_TEXT,
        label="Alt text",
        help_text="Required with an image: what it shows, for people who cannot see it.",
    )
    caption = forms.CharField(required=False, max_length=MAX_CAPTION)


def image_formset(
    existing: int, data: Any = None, files: Any = None
) -> forms.BaseFormSet[ImageRowForm]:
    """Up to four empty image rows, fewer when the post is close to the maximum."""
    rows = max(0, min(IMAGE_ROWS, MAX_IMAGES - existing))
    formset_class = forms.formset_factory(ImageRowForm, extra=rows, max_num=rows)
    return formset_class(data, files, prefix="images")


class ChosenImages:
    """The image rows that hold a file, remembering which form row each came from."""

    def __init__(self, formset: forms.BaseFormSet[ImageRowForm]) -> None:
        self.formset = formset
        self.rows: list[int] = []
        self.uploads: list[ImageUpload] = []
        for row, form in enumerate(formset.forms):
            upload = form.cleaned_data.get("image")
            if isinstance(upload, UploadedFile):
                self.rows.append(row)
                self.uploads.append(
                    ImageUpload(
                        file=upload,
                        size=upload.size or 0,
                        alt_text=form.cleaned_data.get("alt_text", ""),
                        caption=form.cleaned_data.get("caption", ""),
                    )
                )

    def add_invalid(self, error: Invalid) -> bool:
        """Put an ``images-<i>-<field>`` error next to its row; False if it is not ours."""
        parts = (error.field or "").split("-")
        if len(parts) != 3 or parts[0] != "images" or not parts[1].isdigit():
            return False
        index = int(parts[1])
        if index >= len(self.rows):
            return False
        self.formset.forms[self.rows[index]].add_error(parts[2], error.message)
        return True


class ImageChoiceField(forms.ModelMultipleChoiceField[PostImage]):
    def label_from_instance(self, obj: PostImage) -> str:
        return obj.alt_text


class RemoveImagesForm(forms.Form):
    remove = ImageChoiceField(
        queryset=PostImage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Remove images",
    )

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remove = self.fields["remove"]
        assert isinstance(remove, forms.ModelMultipleChoiceField)
        remove.queryset = post.images.all()


class CommentForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_COMMENT,
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Please share no one's private health details. Markdown works.",
    )
