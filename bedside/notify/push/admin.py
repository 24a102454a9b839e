from django.contrib import admin

from bedside.notify.push.models import PushDelivery, PushSubscription


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin[PushSubscription]):
    list_display = ["id", "user", "created_at", "last_success_at"]
    raw_id_fields = ["user"]


@admin.register(PushDelivery)
class PushDeliveryAdmin(admin.ModelAdmin[PushDelivery]):
    list_display = ["id", "notification", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    raw_id_fields = ["notification", "subscription"]
