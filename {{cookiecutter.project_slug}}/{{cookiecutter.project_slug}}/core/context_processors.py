from django.conf import settings


def project(request):
    # "debug" lets templates switch on development-only helpers; unlike Django's own debug
    # context processor it needs no INTERNAL_IPS.
    return {"project_name": settings.PROJECT_NAME, "debug": settings.DEBUG}
