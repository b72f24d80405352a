import pytest
from django.db import connection

from .models import Note


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Note)
        editor.create_model(Note.history.model)
