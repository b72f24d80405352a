@echo off
rem Activates the virtualenv and selects the dev settings, as the guidelines suggest.
call "%~dp0.venv\Scripts\activate.bat"
set DJANGO_SETTINGS_MODULE={{ cookiecutter.project_slug }}.settings.dev
