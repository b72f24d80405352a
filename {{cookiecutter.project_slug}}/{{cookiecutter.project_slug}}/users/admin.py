from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ExternalIdentity, User


class ExternalIdentityInline(admin.TabularInline):
    """Links made here let a person with a password or staff rights here log in through the directory too."""

    model = ExternalIdentity
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ExternalIdentityInline]
    fieldsets = [
        DjangoUserAdmin.fieldsets[0],
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "tax_number", "organisation"]}),
        *DjangoUserAdmin.fieldsets[2:],
    ]
    search_fields = [*DjangoUserAdmin.search_fields, "tax_number"]
