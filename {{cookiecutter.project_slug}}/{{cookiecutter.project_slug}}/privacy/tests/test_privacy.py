import datetime
import io
import json
import os

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from ...core.personal_data import PersonalData
from ...users.models import ExternalIdentity, User
from ..models import ProcessingActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(django_user_model):
    maria = django_user_model.objects.create_user(
        "maria", first_name="Μαρία", last_name="=HYPERLINK(evil)", tax_number="094259216"
    )
    ExternalIdentity.objects.create(user=maria, source="directory", identifier="mpapadopoulou")
    return maria


@pytest.fixture
def nikos(django_user_model):
    nikos = django_user_model.objects.create_user("nikos", tax_number="068933130")
    ExternalIdentity.objects.create(user=nikos, source="directory", identifier="ngeorgiou")
    return nikos


def created():
    """How the history names a row's creation in the project's language, the file's."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(dict(ExternalIdentity.history.model._meta.get_field("history_type").choices)["+"])


def table(found, model, history=False):
    """The rows of the table of ``model`` ("users.User") in a written file, or of its history; None if none."""
    title = next(
        (title for title in found["tables"] if f"({model})" in title and title.endswith(": history") == history), None
    )
    return found["tables"].get(title)


def written(tmp_path, *arguments):
    output = tmp_path / "maria.json"
    call_command("personal_data", str(output), *arguments, stdout=io.StringIO())
    return json.loads(output.read_text(encoding="utf-8"))


@pytest.mark.parametrize("arguments", [["--user", "Maria"], ["--tax-number", "EL 094 259 216"]])
def test_a_person_is_found_by_their_account_or_their_tax_number_and_no_one_else(tmp_path, maria, nikos, arguments):
    found = written(tmp_path, *arguments)
    users = table(found, "users.User")
    assert [(row["id"], row["username"], row["tax_number"]) for row in users] == [(maria.pk, "maria", "094259216")]
    if "--user" in arguments:
        assert [row["identifier"] for row in table(found, "users.ExternalIdentity")] == ["mpapadopoulou"]
        history = table(found, "users.ExternalIdentity", history=True)
        assert [(row["identifier"], row["change"]) for row in history] == [("mpapadopoulou", created())]
    assert "nikos" not in json.dumps(found) and "ngeorgiou" not in json.dumps(found)


def test_the_old_versions_are_found_after_the_row_moved_on(tmp_path, maria, nikos):
    link = maria.external_identities.get()
    link.user = nikos
    link.save()
    found = written(tmp_path, "--user", "maria")
    assert table(found, "users.ExternalIdentity") is None
    history = table(found, "users.ExternalIdentity", history=True)
    assert [row["user"] for row in history] == ["Μαρία =HYPERLINK(evil)"]


def test_the_excel_file_is_its_owners_alone_and_its_text_is_never_a_formula(tmp_path, maria):
    output = tmp_path / "maria.xlsx"
    previous = os.umask(0o022)
    try:
        call_command("personal_data", str(output), "--user", "maria", stdout=io.StringIO())
    finally:
        os.umask(previous)
    assert output.stat().st_mode & 0o777 == 0o600
    workbook = load_workbook(output)
    assert workbook.sheetnames[0] == "Request"
    with translation.override(settings.LANGUAGE_CODE):
        heading = str(User._meta.get_field("tax_number").verbose_name)
    assert heading in [cell.value for sheet in workbook for cell in next(sheet.iter_rows())], "headings for people"
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    formulas = [cell for cell in cells if str(cell.value).startswith("=")]
    assert formulas and all(cell.data_type == "s" for cell in formulas)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--user", "nobody"], "No user here is named 'nobody'."),
        (["--tax-number", "094259217"], "check digit"),
        (["--social-security-number", "123"], "11 digits"),
        ([], "Name the person"),
    ],
)
def test_a_request_that_names_no_one_is_refused_in_one_line_and_writes_nothing(tmp_path, maria, arguments, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("personal_data", str(tmp_path / "out.json"), *arguments)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(("name", "message"), [("maria.xlsx", "exists already"), ("maria.csv", "neither")])
def test_an_existing_file_is_never_overwritten_nor_another_format_written(tmp_path, maria, name, message):
    (tmp_path / "maria.xlsx").write_text("someone else's")
    with pytest.raises(CommandError, match=message):
        call_command("personal_data", str(tmp_path / name), "--user", "maria")
    assert (tmp_path / "maria.xlsx").read_text() == "someone else's"


def test_the_history_forgets_versions_older_than_the_models_retention(maria):
    link = maria.external_identities.get()
    link.identifier = "maria.p"
    link.save()
    old, recent = link.history.order_by("history_date")
    ExternalIdentity.history.filter(pk=old.pk).update(history_date=timezone.now() - datetime.timedelta(days=3660))
    ExternalIdentity.history.filter(pk=recent.pk).update(history_date=timezone.now() - datetime.timedelta(days=3640))
    output = io.StringIO()
    call_command("purge_history", stdout=output)
    assert list(link.history.values_list("identifier", flat=True)) == ["maria.p"]
    assert "users.ExternalIdentity: 1 versions older than 10 years deleted." in output.getvalue()


def messages():
    return {message.id: message.msg for message in checks.run_checks() if message.id.startswith("privacy.")}


def test_check_says_when_a_declaration_is_wrong_or_keeps_history_for_ever(monkeypatch):
    assert messages() == {}
    monkeypatch.setattr(ExternalIdentity, "personal_data", PersonalData(identify=["user"]))
    assert "keeps it for ever" in messages()["privacy.W001"]
    monkeypatch.setattr(ExternalIdentity, "personal_data", PersonalData(identify=["source"], describe=["nickname"]))
    assert set(messages()) >= {"privacy.E001", "privacy.E002"}
    monkeypatch.delattr(User, "personal_data")
    assert messages()["privacy.W002"].startswith("Keeps tax_number, personal data")


def test_the_records_of_processing_are_kept_and_exported_from_the_admin(admin_client):
    activity = ProcessingActivity.objects.create(
        name="Οικοδομικές άδειες",
        purpose="Έκδοση αδειών",
        legal_basis="GDPR 6(1)(e)",
        data_subjects="Αιτούντες",
        data_categories="Ονοματεπώνυμο, ΑΦΜ",
        retention="10 έτη",
    )
    assert admin_client.get(reverse("admin:privacy_processingactivity_changelist")).status_code == 200
    data = {"action": "export", "_selected_action": [activity.pk]}
    response = admin_client.post(reverse("admin:privacy_processingactivity_changelist"), data)
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert row[header.index("legal basis")] == "GDPR 6(1)(e)"
    assert row[header.index("processing activity")] == "Οικοδομικές άδειες"
