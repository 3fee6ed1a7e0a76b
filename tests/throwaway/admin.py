from django.contrib import admin

from ecosystem.core.admin.base import PublishableAdmin
from tests.throwaway.models import Call

admin.site.register(Call, PublishableAdmin)
