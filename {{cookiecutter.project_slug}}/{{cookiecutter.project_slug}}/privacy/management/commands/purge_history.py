"""manage.py purge_history: the change history forgets what it keeps past each model's retention (a scheduled
job: SCHEDULED_JOBS' purge-old-history)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...search import declared_models

DAYS_A_YEAR = 365.2425


class Command(BaseCommand):
    help = "Deletes the old versions the change history keeps longer than each model's PersonalData.history_years."

    def handle(self, **options):
        now = timezone.now()
        for model in declared_models():
            years = model.personal_data.history_years
            if years is None or not hasattr(model, "history"):
                continue
            cutoff = now - datetime.timedelta(days=round(years * DAYS_A_YEAR))
            deleted, _ = model.history.filter(history_date__lt=cutoff).delete()
            self.stdout.write(f"{model._meta.label}: {deleted} versions older than {years} years deleted.")
