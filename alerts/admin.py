from django.contrib import admin

from alerts.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """What visitors asked for, to look at or delete (someone who writes in to be
    removed): staff never add or change an alert, only its owner's links do."""

    list_display = ["email", "followed", "query", "frequency", "language", "created", "confirmed"]
    list_filter = ["followed", "frequency", "language", ("confirmed", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = [f.name for f in Subscription._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
