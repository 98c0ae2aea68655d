"""Django admin for superusers only (staff use the Homeward pages)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from homeward.core.models import Hospital, Membership, Organisation, Property, Team, Tenancy, User, Ward

admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser  # type: ignore[method-assign]

admin.site.register(User, UserAdmin)
for model in (Organisation, Team, Hospital, Ward, Membership, Property, Tenancy):
    admin.site.register(model)
