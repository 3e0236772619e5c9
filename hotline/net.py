"""Outbound HTTP to hotline systems, refusing anything that could reach internal services (SSRF).

A URL is checked when staff save a client and again on every send: https only (unless HOTLINE_REQUIRE_HTTPS is
False), no credentials in the URL, and every address the host name resolves to must be public — no loopback,
link-local, private, multicast, reserved or unspecified address. The connection is then made to the checked
address itself (the Host header and TLS server name stay the host name), so a DNS answer that changes between the
check and the connection cannot redirect the request. Redirects are not followed. Timeouts: connect 3 s, read 10 s.
Tests set HOTLINE_ALLOW_PRIVATE_URLS=True to talk to a fake hotline on 127.0.0.1; nothing else should.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from liaison.errors import ApplicationError

CONNECT_TIMEOUT = 3
READ_TIMEOUT = 10
MAX_RESPONSE_BYTES = 1024 * 1024


class UnsafeUrl(ApplicationError):
    def __init__(self, message, code="unsafe_url"):
        super().__init__(message, code=code, extra={"fields": {"endpoint_url": [str(message)]}})


@dataclass
class CheckedUrl:
    scheme: str
    host: str
    port: int
    path: str  # path + query, what is signed
    address: str


def _allow_private():
    return bool(getattr(settings, "HOTLINE_ALLOW_PRIVATE_URLS", False))


def _require_https():
    return bool(getattr(settings, "HOTLINE_REQUIRE_HTTPS", not settings.DEBUG))


def address_is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, *, resolve=True) -> CheckedUrl:
    """Raise UnsafeUrl unless ``url`` may be called; return the address to connect to."""
    parts = urlsplit(url or "")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl(_("推送地址须以 https:// 开头。"), code="url_scheme")
    if scheme != "https" and _require_https():
        raise UnsafeUrl(_("推送地址须以 https:// 开头。"), code="url_scheme")
    if parts.username or parts.password:
        raise UnsafeUrl(_("推送地址不能包含用户名或密码。"), code="url_credentials")
    host = parts.hostname or ""
    if not host:
        raise UnsafeUrl(_("推送地址缺少主机名。"), code="url_host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl(_("推送地址的端口无效。"), code="url_port")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not resolve:
        return CheckedUrl(scheme, host, port, path, "")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeUrl(_("推送地址的主机名无法解析。"), code="url_unresolvable")
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise UnsafeUrl(_("推送地址的主机名无法解析。"), code="url_unresolvable")
    if not _allow_private():
        for address in addresses:
            if not address_is_public(address):
                raise UnsafeUrl(
                    _("推送地址指向内网、本机或保留地址（%(address)s），不允许。") % {"address": address},
                    code="url_not_public",
                )
    return CheckedUrl(scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, checked: CheckedUrl):
        super().__init__(checked.host, checked.port, timeout=CONNECT_TIMEOUT)
        self._address = checked.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        self.sock.settimeout(READ_TIMEOUT)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, checked: CheckedUrl):
        super().__init__(checked.host, checked.port, timeout=CONNECT_TIMEOUT, context=ssl.create_default_context())
        self._address = checked.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        self.sock.settimeout(READ_TIMEOUT)


@dataclass
class Response:
    status: int
    body: bytes


def post(url: str, body: bytes, headers: dict) -> Response:
    """POST ``body`` to a checked URL. Raises UnsafeUrl, or OSError / http.client errors on network failure."""
    checked = check_url(url)
    connection_class = _PinnedHTTPSConnection if checked.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(checked)
    try:
        connection.request("POST", checked.path, body=body, headers=headers)
        response = connection.getresponse()
        return Response(status=response.status, body=response.read(MAX_RESPONSE_BYTES))
    finally:
        connection.close()


def signed_path(url: str) -> str:
    return check_url(url, resolve=False).path
