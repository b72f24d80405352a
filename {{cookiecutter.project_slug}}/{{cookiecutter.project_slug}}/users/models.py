from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The project's user, in place from the first migration so it can grow fields later."""

    def __str__(self):
        # How people see each other everywhere (tables, selects, "by whom"): their name, else the username.
        return self.get_full_name() or self.get_username()
