"""The client's address behind a reverse proxy, trusting X-Forwarded-For only from configured proxies.

``TRUSTED_PROXIES`` (setting, from the environment; empty by default) lists the addresses or networks of the
reverse proxies in front of the application. With it empty, ``X-Forwarded-For`` is ignored and the client is
``REMOTE_ADDR``. Otherwise, when the request comes from a trusted proxy, the header is read from the right (the
entries that trusted proxies appended) and the first address that is not a trusted proxy is the client; whatever a
client wrote further left is never believed.
"""

import ipaddress

from django.conf import settings


def trusted_proxy_networks():
    networks = []
    for entry in getattr(settings, "TRUSTED_PROXIES", None) or []:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue
    return networks


def _address(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address


def _trusted(address, networks):
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request):
    """The address of whoever sent ``request``, as a string (or None when there is no valid one)."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    networks = trusted_proxy_networks()
    if remote is None:
        return None
    if not networks or not _trusted(remote, networks):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return None  # not written by a trusted proxy: nothing to the left of it can be believed
        if not _trusted(address, networks):
            return str(address)
    return str(_address(hops[0])) if hops else str(remote)
