# Source this file (". ./dovenv.sh"): activates the virtualenv and selects the dev settings.
. "$(dirname -- "${BASH_SOURCE[0]:-$0}")/.venv/bin/activate"
export DJANGO_SETTINGS_MODULE={{ cookiecutter.project_slug }}.settings.dev
