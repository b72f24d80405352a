from django.contrib import admin

from .models import Category, Document


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "created_by", "created_on", "modified_on"]
    list_filter = ["category"]
    list_select_related = ["category", "created_by"]
    search_fields = ["title"]
    readonly_fields = ["created_on", "created_by", "modified_on", "modified_by"]
    autocomplete_fields = ["category"]
