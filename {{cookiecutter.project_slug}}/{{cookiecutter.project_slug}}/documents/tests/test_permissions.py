"""Who may do what with someone's document: reading is not changing, changing is not deleting."""

import pytest

from ...core.testing import RowPermissionTests, formset_data

pytestmark = pytest.mark.django_db


class TestDocumentPermissions(RowPermissionTests):
    namespace = "documents"
    ACTIONS = {**RowPermissionTests.ACTIONS, "history": "view", "download": "view", "cover_sheet": "view"}

    @pytest.fixture
    def row(self, document):
        return document

    def edit_data(self, row):
        return {"title": "Changed", "category": row.category_id, **formset_data("reviews")}
