"""Settings: base.py, a module per environment (dev, test, uat, prod), and this machine's local.py last."""

import importlib


def load_local(settings):
    """Let this machine's local.py override ``settings`` (the globals() of an environment module).

    Each environment calls it at its end, so local.py has the last word. A machine without local.py
    gets the environment's settings; an error inside local.py stops the start, as it should.
    """
    try:
        local = importlib.import_module(f"{__name__}.local")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.local":
            raise
        return
    settings.update((name, value) for name, value in vars(local).items() if name.isupper())
