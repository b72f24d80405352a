from django.conf import settings


def site(request):
    # "debug" lets templates switch on development-only helpers; unlike Django's own debug
    # context processor it needs no INTERNAL_IPS.
    return {"site_name": settings.SITE_NAME, "debug": settings.DEBUG}
