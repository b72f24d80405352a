import tempfile

from django.contrib import admin
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from ..core.admin import SaveConflictAdminMixin
from ..lists.export import add_sheet, cell_value, xlsx_workbook
from .models import ProcessingActivity

EXPORTED = [field.name for field in ProcessingActivity._meta.fields if field.name != "id"]


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(SaveConflictAdminMixin, admin.ModelAdmin):
    list_display = ["name", "legal_basis", "retention", "modified_on"]
    search_fields = ["name", "purpose", "data_categories"]
    readonly_fields = ["created_on", "created_by", "modified_on", "modified_by"]
    actions = ["export"]

    @admin.action(description=_("Export the selected activities as Excel (the records of processing)"))
    def export(self, request, queryset):
        title = str(ProcessingActivity._meta.verbose_name_plural).capitalize()
        fields = [ProcessingActivity._meta.get_field(name) for name in EXPORTED]
        rows = [
            [str(field.verbose_name) for field in fields],
            *([cell_value(getattr(activity, field.name)) for field in fields] for activity in queryset),
        ]
        workbook = xlsx_workbook(title)
        add_sheet(workbook, title, iter(rows))
        output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
        workbook.save(output)
        output.seek(0)
        return FileResponse(output, as_attachment=True, filename=f"{title}.xlsx")
