"""A real directory for the tests: Debian's slapd on 127.0.0.1, with people and groups, over LDAP with StartTLS
and over LDAPS, its certificate issued by a certificate authority made for the test run (openssl)."""

import shutil
import socket
import subprocess
import time
from string import Template
from types import SimpleNamespace

import pytest

SUFFIX = "dc=example,dc=org"
# slapd's configuration, as slapadd loads it; $data and $suffix are filled in.
CONFIG = Template("""dn: cn=config
objectClass: olcGlobal
cn: config
olcTLSCACertificateFile: $certificates/ca.pem
olcTLSCertificateFile: $certificates/directory.pem
olcTLSCertificateKeyFile: $certificates/directory.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: $data
olcSuffix: $suffix
olcRootDN: cn=admin,$suffix
olcRootPW: admin-password
olcAccess: {0}to attrs=userPassword by anonymous auth by * none
olcAccess: {1}to * by * read
""")
PEOPLE = [
    ("maria", "Μαρία", "Παπαδοπούλου", "maria-password", ["staff", "clerks"]),
    ("nikos", "Νίκος", "Γεωργίου", "nikos-password", ["staff"]),
    ("outsider", "Outside", "Person", "outsider-password", []),
]
GROUPS = ["staff", "clerks"]


def entries():
    yield f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n"
    for unit in ("people", "groups"):
        yield f"dn: ou={unit},{SUFFIX}\nobjectClass: organizationalUnit\nou: {unit}\n"
    for uid, given, surname, password, _ in PEOPLE:
        yield (
            f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
            f"cn: {given} {surname}\ngivenName: {given}\nsn: {surname}\nmail: {uid}@example.org\n"
            f"userPassword: {password}\n"
        )
    for group in GROUPS:
        members = "".join(f"member: uid={uid},ou=people,{SUFFIX}\n" for uid, *_, groups in PEOPLE if group in groups)
        yield f"dn: cn={group},ou=groups,{SUFFIX}\nobjectClass: groupOfNames\ncn: {group}\n{members}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def make_certificates(folder):
    """ca.pem, and directory.pem with its key: a certificate for the name "localhost" only, issued by that CA."""
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is not installed: the directory tests need it for the directory's certificate")

    def run(*arguments):
        subprocess.run([openssl, *arguments], cwd=folder, check=True, capture_output=True)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    authority = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    run("req", "-x509", *key, *authority, "-days", "2", "-subj", "/CN=Test CA", "-keyout", "ca.key", "-out", "ca.pem")
    run("req", *key, "-subj", "/CN=localhost", "-keyout", "directory.key", "-out", "directory.csr")
    (folder / "extensions.cnf").write_text(
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
    )
    issue = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "extensions.cnf"]
    run("x509", "-req", *issue, "-in", "directory.csr", "-out", "directory.pem")
    return folder / "ca.pem"


@pytest.fixture(scope="session")
def directory_server(tmp_path_factory):
    """The running slapd: ``port`` (LDAP, StartTLS offered), ``tls_port`` (LDAPS), ``ca_file`` (its CA)."""
    slapd, slapadd = (shutil.which(name, path="/usr/sbin:/usr/bin") for name in ("slapd", "slapadd"))
    if not (slapd and slapadd):
        pytest.skip("slapd is not installed (apt-get install slapd): the directory tests need a real one")
    folder = tmp_path_factory.mktemp("slapd")
    ca_file = make_certificates(folder)
    (folder / "config").mkdir()
    (folder / "data").mkdir()
    config = CONFIG.substitute(data=folder / "data", suffix=SUFFIX, certificates=folder)
    (folder / "config.ldif").write_text(config, encoding="utf-8")
    (folder / "data.ldif").write_text("\n".join(entries()), encoding="utf-8")
    for number, ldif in ((0, "config.ldif"), (1, "data.ldif")):
        subprocess.run([slapadd, f"-n{number}", "-F", folder / "config", "-l", folder / ldif], check=True)
    port, tls_port = free_port(), free_port()
    listen = f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"
    server = subprocess.Popen([slapd, "-d", "0", "-h", listen, "-F", folder / "config"])
    try:
        deadline = time.monotonic() + 10
        while not (answers(port) and answers(tls_port)):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("slapd did not start")
            time.sleep(0.05)
        yield SimpleNamespace(port=port, tls_port=tls_port, ca_file=str(ca_file))
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def directory(settings, directory_server):
    """DIRECTORY as a server's local.py has it: plain LDAP upgraded with StartTLS, the certificate checked."""
    settings.DIRECTORY = {
        "SERVER_URI": f"ldap://localhost:{directory_server.port}",
        "CA_FILE": directory_server.ca_file,
        "USER_SEARCH_BASE": f"ou=people,{SUFFIX}",
        "GROUP_SEARCH_BASE": f"ou=groups,{SUFFIX}",
        "REQUIRE_GROUP": f"cn=staff,ou=groups,{SUFFIX}",
        "GROUPS": {f"cn=clerks,ou=groups,{SUFFIX}": "Clerks"},
        "CREATE_USERS": True,
        "TIMEOUT": 2,
    }
    return settings.DIRECTORY
