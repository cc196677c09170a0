"""file_url fetching: public https hosts only, certificate checked, size and time bounded."""

from __future__ import annotations

import pytest

from invoicing.adapters.remote_files import PublicHttpsFiles, is_public_address
from invoicing.services.ports import FileRefused
from tests.support.https_files import PDF, FileServer, https_file_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with https_file_server(tmp_path_factory.mktemp("pki")) as running:
        yield running


def files(server: FileServer, **options) -> PublicHttpsFiles:
    """The fetcher as deployed, but with the test DNS and CA, and loopback let through."""
    return PublicHttpsFiles(
        resolve=server.resolve, allowed=lambda _: True, ca_certs=server.ca_file, **options
    )


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.0.1",
        "::1",
        "10.0.0.8",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "fd00::1",
        "100.64.0.1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "224.0.0.1",
        "255.255.255.255",
        "192.0.2.10",
    ],
)
def test_addresses_that_are_not_public_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://files.example.test/invoice.pdf",
        "ftp://files.example.test/invoice.pdf",
        "https://user:secret@files.example.test/invoice.pdf",
        "https:///invoice.pdf",
        "file:///etc/passwd",
        "https://127.0.0.1/invoice.pdf",
        "https://[::1]/invoice.pdf",
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost/invoice.pdf",
        "https://2130706433/invoice.pdf",
        "https://0x7f.1/invoice.pdf",
        "https://no-such-host.invalid/invoice.pdf",
    ],
)
def test_urls_that_are_not_public_https_are_refused_before_any_connection(url):
    with pytest.raises(FileRefused) as refused:
        PublicHttpsFiles().fetch(url)
    assert refused.value.field == "file_url"


def test_the_file_is_fetched_with_its_certificate_checked(server):
    assert files(server).fetch(server.url("/invoice.pdf")) == PDF
    untrusting = PublicHttpsFiles(resolve=server.resolve, allowed=lambda _: True)
    with pytest.raises(FileRefused, match="SSLError"):
        untrusting.fetch(server.url("/invoice.pdf"))


def test_the_server_address_rule_applies_to_what_the_name_resolves_to(server):
    with pytest.raises(FileRefused, match="not public"):
        PublicHttpsFiles(resolve=server.resolve, ca_certs=server.ca_file).fetch(server.url("/invoice.pdf"))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/big", "over 1 MB"),
        ("/endless", "over 1 MB"),
        ("/slow", "took over 1 s"),
        ("/moved", "redirects are not followed"),
        ("/missing", "HTTP 404"),
    ],
)
def test_size_time_redirects_and_errors_are_refused(server, path, message):
    with pytest.raises(FileRefused, match=message):
        files(server, max_bytes=1024 * 1024, timeout=1.0).fetch(server.url(path))
