"""The deploy's checks (operations/checks.py, manage.py compile_templates): hashed static files on every
server, migrations that suit the running release, templates that compile."""

import io

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import migrations, models

from ..checks import (
    check_migrations_keep_the_running_release_working,
    check_static_files_storage,
    required_columns_added,
)


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django.contrib.staticfiles.storage.StaticFilesStorage", ["core.W007"]),
        ("django.contrib.staticfiles.storage.ManifestStaticFilesStorage", []),
    ],
)
def test_deployments_need_manifest_static_files(settings, backend, expected):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    assert [message.id for message in check_static_files_storage()] == expected


def test_static_files_storage_is_a_deploy_check():
    """The test settings use plain storage: only ``check --deploy`` reports it."""
    assert "core.W007" not in [message.id for message in checks.run_checks()]
    assert "core.W007" in [message.id for message in checks.run_checks(include_deployment_checks=True)]


def migration(name, app_label, *operations):
    made = migrations.Migration(name, app_label)
    made.operations = list(operations)
    return made


def test_a_column_added_not_null_without_a_database_default_is_named():
    adding = migration(
        "0009_contact",
        "users",
        migrations.AddField("user", "phone", models.CharField(max_length=20, default="")),
        migrations.AddField("user", "fax", models.CharField(max_length=20, null=True)),
        migrations.AddField("user", "mobile", models.CharField(max_length=20, db_default="")),
    )
    (warning,) = required_columns_added([adding])
    assert warning.id == "core.W011"
    assert "users.0009_contact adds user.phone NOT NULL" in warning.msg


def test_a_column_of_a_table_the_same_deploy_creates_is_nobodys_yet():
    creating = migration(
        "0009_badges", "users", migrations.CreateModel("Badge", [("id", models.AutoField(primary_key=True))])
    )
    adding = migration(
        "0010_badge_name", "users", migrations.AddField("badge", "name", models.CharField(max_length=20))
    )
    assert list(required_columns_added([creating, adding])) == []


def test_only_the_projects_own_migrations_are_judged():
    adding = migration("0099_x", "auth", migrations.AddField("group", "code", models.CharField(max_length=20)))
    assert list(required_columns_added([adding])) == []


@pytest.mark.django_db
def test_a_migrated_database_has_nothing_to_say_and_the_check_needs_one():
    assert check_migrations_keep_the_running_release_working(databases=["default"]) == []
    assert "core.W011" not in [message.id for message in checks.run_checks()]


def test_every_template_compiles_and_one_that_does_not_is_named(settings, tmp_path):
    output = io.StringIO()
    call_command("compile_templates", stdout=output)
    assert int(output.getvalue().split()[1]) > 20
    broken = tmp_path / "templates"
    (broken / "reports").mkdir(parents=True)
    # An if tag never closed, written in pieces so that the renderer of the template this project came from
    # leaves it as it is.
    (broken / "reports" / "monthly.html").write_text("{" + "% if rows %" + "}<table>", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [broken]}]
    with pytest.raises(CommandError, match=r"reports/monthly\.html: Unclosed tag .*'if'"):
        call_command("compile_templates", stdout=io.StringIO())
