"""A real directory for the tests: Debian's slapd, on a free port of 127.0.0.1, with people and groups."""

import shutil
import socket
import subprocess
import time
from string import Template

import pytest

SUFFIX = "dc=example,dc=org"
# slapd's configuration, as slapadd loads it; $data and $suffix are filled in.
CONFIG = Template("""dn: cn=config
objectClass: olcGlobal
cn: config

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


@pytest.fixture(scope="session")
def directory_uri(tmp_path_factory):
    slapd, slapadd = (shutil.which(name, path="/usr/sbin:/usr/bin") for name in ("slapd", "slapadd"))
    if not (slapd and slapadd):
        pytest.skip("slapd is not installed (apt-get install slapd): the directory tests need a real one")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "config").mkdir()
    (folder / "data").mkdir()
    (folder / "config.ldif").write_text(CONFIG.substitute(data=folder / "data", suffix=SUFFIX), encoding="utf-8")
    (folder / "data.ldif").write_text("\n".join(entries()), encoding="utf-8")
    for number, ldif in ((0, "config.ldif"), (1, "data.ldif")):
        subprocess.run([slapadd, f"-n{number}", "-F", folder / "config", "-l", folder / ldif], check=True)
    port = free_port()
    server = subprocess.Popen([slapd, "-d", "0", "-h", f"ldap://127.0.0.1:{port}/", "-F", folder / "config"])
    try:
        deadline = time.monotonic() + 10
        while not answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("slapd did not start")
            time.sleep(0.05)
        yield f"ldap://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def directory(settings, directory_uri):
    settings.DIRECTORY = {
        "SERVER_URI": directory_uri,
        "USER_SEARCH_BASE": f"ou=people,{SUFFIX}",
        "GROUP_SEARCH_BASE": f"ou=groups,{SUFFIX}",
        "REQUIRE_GROUP": f"cn=staff,ou=groups,{SUFFIX}",
        "GROUPS": {f"cn=clerks,ou=groups,{SUFFIX}": "Clerks"},
        "CREATE_USERS": True,
        "TIMEOUT": 2,
    }
    return settings.DIRECTORY
