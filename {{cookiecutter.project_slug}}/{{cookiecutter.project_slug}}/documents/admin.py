from django.contrib import admin

from ..core.admin import SaveConflictAdminMixin
from ..core.forms import InlineFormSet
from .forms import ReviewForm
from .models import Category, Document, Review, ReviewRole


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ReviewRole)
class ReviewRoleAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ReviewInline(admin.TabularInline):
    model = Review
    form = ReviewForm
    formset = InlineFormSet
    fields = ["reviewer", "role", "due_on"]
    autocomplete_fields = ["reviewer", "role"]
    extra = 0


@admin.register(Document)
class DocumentAdmin(SaveConflictAdminMixin, admin.ModelAdmin):
    list_display = ["title", "category", "created_by", "created_on", "modified_on"]
    list_filter = ["category"]
    list_select_related = ["category", "created_by"]
    search_fields = ["title"]
    readonly_fields = ["created_on", "created_by", "modified_on", "modified_by"]
    autocomplete_fields = ["category"]
    inlines = [ReviewInline]
