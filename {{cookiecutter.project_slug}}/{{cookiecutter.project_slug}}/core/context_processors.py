from django.conf import settings


def project(request):
    return {"project_name": settings.PROJECT_NAME}
