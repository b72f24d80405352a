"""Media in S3-compatible object storage (SeaweedFS, MinIO, Ceph, Garage, AWS S3), shared by every app server.

The bucket stays private and out of the clients' reach: no page, link or header carries its address.
Django decides who may have a file, then hands nginx a signed URL that works for a minute
(X-Accel-Redirect to the internal location of deploy/nginx-media.conf); nginx fetches the bytes from
the store and sends them, as it sends them from the disk on a single server. Public media take the
same way, through files.media. The deployed settings use it; the store's address and keys are this
host's, in local.py (docs/operate.md, "Growing past one server"). Development and tests keep the disk.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from botocore.config import Config
from django.conf import settings
from django.http import HttpResponse
from django.utils.encoding import filepath_to_uri
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

# nginx's internal location that proxies to the store (deploy/nginx-media.conf).
NGINX_LOCATION = "/object_storage_{{ cookiecutter.project_slug }}"
# A store that stops answering makes an upload fail within seconds (two tries of 2 s to connect and 5 s to
# read), well inside gunicorn's 30 s, instead of holding the worker until gunicorn kills it.
TIMEOUTS = Config(connect_timeout=2, read_timeout=5, retries={"total_max_attempts": 2, "mode": "standard"})


class ObjectStorage(S3Storage):
    # A name that is taken gets a suffix, as on the disk: an upload never replaces another's file.
    file_overwrite = False
    # Private objects: only a signed URL reads one.
    default_acl = None
    querystring_auth = True
    querystring_expire = 60
    # http://store/bucket/key: the form every S3-compatible store answers, and nginx's location proxies.
    addressing_style = "path"
    signature_version = "s3v4"

    def __init__(self, **settings):
        super().__init__(**settings)
        self.client_config = self.client_config.merge(TIMEOUTS)

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The file's address on this site (MEDIA_URL, as on the disk), never the store's."""
        return settings.MEDIA_URL + filepath_to_uri(name)

    def download_response(self, name, filename=None, *, attachment=True):
        """A response that nginx completes with the object's bytes, fetched from the store."""
        headers = {
            "Content-Type": mimetypes.guess_type(name)[0] or "application/octet-stream",
            "Content-Disposition": content_disposition_header(attachment, filename or PurePosixPath(name).name),
        }
        # nginx passes on the store's own headers: signed into the URL, they are the ones decided here.
        answer_with = {
            "ResponseContentType": headers["Content-Type"],
            "ResponseContentDisposition": headers["Content-Disposition"],
        }
        signed = urlsplit(super().url(name, parameters=answer_with))
        return HttpResponse(headers={"X-Accel-Redirect": f"{NGINX_LOCATION}{signed.path}?{signed.query}", **headers})
