"""The documents app's background work (background/tasks.py)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from ..background.tasks import enqueue, user_task
from ..core.current_user import get_current_request
from .models import Document


@user_task
def mail_reviewers(document_id, url):
    """Tells the reviewers of a new document, those with an email address, where it is (``url``)."""
    document = Document.objects.get(pk=document_id)
    recipients = list(document.reviewers.exclude(email="").values_list("email", flat=True))
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Document “%(title)s” was created.") % {"title": document.title}
        send_mail(subject, url, None, recipients)
    return len(recipients)


@receiver(post_save, sender=Document, dispatch_uid="mail_reviewers_of_new_documents")
def mail_reviewers_of_new_documents(sender, instance, created, **kwargs):
    """A document made through a page (not a script or a fixture) is mailed to its reviewers, once they are saved:
    the worker sees the enqueued task when the request's transaction, reviewers included, commits."""
    request = get_current_request()
    if created and request is not None:
        enqueue(mail_reviewers, instance.pk, request.build_absolute_uri(instance.get_absolute_url()))
