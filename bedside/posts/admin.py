from django.contrib import admin

from bedside.posts.models import Comment, Post, PostImage, Reaction


class PostImageInline(admin.TabularInline[PostImage, Post]):
    model = PostImage
    extra = 0
    fields = ["image", "alt_text", "caption", "position", "width", "height"]
    readonly_fields = ["width", "height"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["title", "practice", "kind", "topic", "status", "visibility", "published_at"]
    list_filter = ["status", "kind", "topic", "visibility"]
    search_fields = ["title", "practice__name"]
    list_select_related = ["practice"]
    raw_id_fields = ["practice", "author", "spotlight"]
    # Body and pin go through the services (Markdown rendering, one pin per practice).
    readonly_fields = ["body", "is_pinned", "reaction_count", "comment_count", "published_at"]
    inlines = [PostImageInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ["__str__", "post", "author", "is_hidden", "created_at"]
    list_filter = ["is_hidden"]
    raw_id_fields = ["post", "author"]


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin[Reaction]):
    list_display = ["kind", "post", "user", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["post", "user"]
