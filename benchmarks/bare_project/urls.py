"""Replaces the bare project's urls.py: the one page it is compared on."""

from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [path("", TemplateView.as_view(template_name="home.html"))]
