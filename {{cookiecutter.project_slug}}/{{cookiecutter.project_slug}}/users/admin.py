from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import ExternalIdentity, User


class ExternalIdentityInline(admin.TabularInline):
    """Links made here let a person with a password or staff rights here log in through the directory too."""

    model = ExternalIdentity
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ExternalIdentityInline]
