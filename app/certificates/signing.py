"""PAdES signatures with pyHanko, from the PKCS#12 that CERT_SIGNING_P12 names (optional).

A PDF reader then shows who signed the certificate and that it is unchanged since.
"""
import asyncio
import io
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

from cryptography.utils import CryptographyDeprecationWarning

# pyHanko 0.38 (the newest) imports cryptography's DSAPrivateKey to recognise DSA keys, and cryptography 51
# warns on that import: every CLI command printed "CryptographyDeprecationWarning: DSA is deprecated".
# Hadir never signs with DSA (a PKCS#12 of RSA or EC). Only that warning, from that pyHanko module, is
# ignored; any other deprecation still shows. Remove when pyHanko no longer imports DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning,
                        module=r"pyhanko\.sign\.signers\.pdf_cms")

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402 (after the filter)
from pyhanko.sign import fields, signers  # noqa: E402

_cache: dict = {}
_lock = threading.Lock()


class PdfSigner:
    def __init__(self, p12_path, password):
        passphrase = password.encode() if password else None
        self.signer = signers.SimpleSigner.load_pkcs12(pfx_file=p12_path, passphrase=passphrase)
        if self.signer is None:
            raise ValueError(f"cannot read the PKCS#12 file {p12_path} (wrong password?)")
        # Room for the CMS container, reserved up front: without it pyHanko signs every PDF twice
        # (a dry run to measure, then the real one). The container holds the certificates, the
        # signed attributes and one signature: their sizes, doubled, and 8 KiB to spare.
        certificates = [self.signer.signing_cert, *self.signer.cert_registry]
        self.bytes_reserved = 2 * sum(len(certificate.dump()) for certificate in certificates) + 8192

    def sign(self, pdf_bytes, *, reason=""):
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        metadata = signers.PdfSignatureMetadata(
            field_name="TandaTanganSertifikat", subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256", reason=reason or None,
        )
        out = _outside_any_event_loop(
            lambda: signers.sign_pdf(writer, metadata, signer=self.signer, bytes_reserved=self.bytes_reserved)
        )
        return out.getvalue()


def _outside_any_event_loop(call):
    """Run `call` here, or in a thread of its own when this thread runs an event loop: pyHanko's
    synchronous API starts one with asyncio.run(), which a running loop refuses (an async server, or
    Playwright's sync API in the same test process)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def signer_from_config(config):
    """The PdfSigner of CERT_SIGNING_P12 / CERT_SIGNING_P12_PASSWORD, loaded once per process; None if unset."""
    path = config.get("CERT_SIGNING_P12")
    if not path:
        return None
    key = (path, config.get("CERT_SIGNING_P12_PASSWORD") or "")
    with _lock:
        if key not in _cache:
            _cache[key] = PdfSigner(*key)
        return _cache[key]
