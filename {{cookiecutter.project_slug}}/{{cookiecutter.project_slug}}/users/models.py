from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The project's user, in place from the first migration so it can grow fields later."""
