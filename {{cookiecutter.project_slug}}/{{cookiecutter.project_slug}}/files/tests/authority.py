"""A certificate authority made for a test: its root certificate, and signers' PKCS#12 files it certifies."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from fpdf import FPDF

PASSWORD = "test-password"


def usage(*, ca):
    purposes = dict.fromkeys(["key_encipherment", "data_encipherment", "key_agreement"], False)
    purposes.update(encipher_only=False, decipher_only=False)
    return x509.KeyUsage(
        digital_signature=not ca, content_commitment=not ca, key_cert_sign=ca, crl_sign=ca, **purposes
    )


class Authority:
    def __init__(self, folder, name="Test Root CA"):
        self.folder, self.name = folder, name
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.certificate = self.certify(name, self.key.public_key(), ca=True, days=(-10, 3650))
        self.root_file = folder / f"{name}.pem"
        self.root_file.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def certify(self, subject, public_key, *, ca, days):
        now = datetime.datetime.now(datetime.UTC)
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.name)]))
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + datetime.timedelta(days=days[0]))
            .not_valid_after(now + datetime.timedelta(days=days[1]))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage(ca=ca), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    def signer(self, name, days=(-1, 365)):
        """The PKCS#12 file (key, certificate, this root) of a signer certified for ``days`` around today."""
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = self.certify(name, key.public_key(), ca=False, days=days)
        path = self.folder / f"{name}-{days[1]}.p12"
        encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
        chain = [self.certificate]
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", key, certificate, chain, encryption))
        return path


def unsigned_pdf(text="Decision 17/2026"):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def signed_pdf(settings, signer_file, data=None, visible=False):
    """``data`` (an unsigned PDF by default) signed by ``signer_file``, as the project signs its own PDFs."""
    from ..signatures import sign_pdf

    settings.PDF_SIGNING = {"PKCS12": str(signer_file), "PASSWORD": PASSWORD, "VISIBLE": visible}
    return sign_pdf(data or unsigned_pdf())
