"""manage.py compile_templates: every template of the project compiled, so a syntax error stops a deploy
(deploy/release.py) instead of the page it belongs to. Templates of installed packages are theirs to test."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template import TemplateSyntaxError, engines
from django.template.backends.django import DjangoTemplates

from ....core.checks import is_project_path

SUFFIXES = {".html", ".txt", ".xml"}


class Command(BaseCommand):
    help = "Compiles every template in the project's template folders and names each that does not compile."

    def handle(self, *args, **options):
        compiled, failed = 0, []
        for engine in engines.all():
            if not isinstance(engine, DjangoTemplates):
                continue
            for folder in map(Path, engine.template_dirs):
                if not is_project_path(folder):
                    continue
                for path in sorted(folder.rglob("*")):
                    if path.suffix not in SUFFIXES or not path.is_file():
                        continue
                    try:
                        engine.engine.from_string(path.read_text(encoding="utf-8"))
                        compiled += 1
                    except (TemplateSyntaxError, UnicodeDecodeError) as error:
                        failed.append(f"{path.relative_to(folder).as_posix()}: {error}")
        if failed:
            raise CommandError("Templates that do not compile:\n" + "\n".join(failed))
        self.stdout.write(f"Compiled {compiled} templates.")
