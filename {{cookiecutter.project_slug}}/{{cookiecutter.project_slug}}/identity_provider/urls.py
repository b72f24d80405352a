from django.urls import path

from . import views

app_name = "identity_provider"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("callback/", views.callback, name="callback"),
]
