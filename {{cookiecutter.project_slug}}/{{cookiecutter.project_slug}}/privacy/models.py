from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.models import UserDateAbstractModel


class ProcessingActivity(UserDateAbstractModel):
    """One entry of the records of processing activities that GDPR Art. 30(1) asks a controller to keep."""

    name = models.CharField(_("processing activity"), max_length=200, unique=True)
    purpose = models.TextField(_("purposes of the processing"))
    legal_basis = models.TextField(_("legal basis"), help_text=_("GDPR Art. 6 (and 9), and the law that asks for it."))
    data_subjects = models.TextField(_("categories of data subjects"), help_text=_("Applicants, employees..."))
    data_categories = models.TextField(_("categories of personal data"), help_text=_("Names, tax numbers..."))
    recipients = models.TextField(_("categories of recipients"), blank=True)
    transfers = models.TextField(_("transfers to third countries"), blank=True)
    retention = models.TextField(
        _("time limits for erasure"),
        help_text=_("With how long the change history keeps old versions: history_years in the code."),
    )
    security_measures = models.TextField(_("technical and organisational security measures"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("processing activity")
        verbose_name_plural = _("records of processing activities")

    def __str__(self):
        return self.name
