"""The address a request really comes from, trusting X-Forwarded-For only from our own proxy.

Behind the documented reverse proxy every request arrives from the proxy's address (127.0.0.1
on one machine), so anything keyed on REMOTE_ADDR (the sign-in lock-out, per-address
throttling) would treat every visitor as one. The proxy appends the address it saw to
X-Forwarded-For; a client can put anything it likes in front of that. So the header is read
only when the connection comes from a proxy named in DEALWATCH_TRUSTED_PROXIES, and then from
the right: the first address that is not one of our proxies is the client.
"""

from ipaddress import ip_address, ip_network

from django.conf import settings


def _trusted_networks():
    networks = []
    for entry in getattr(settings, "DEALWATCH_TRUSTED_PROXIES", ()):
        try:
            networks.append(ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_trusted(address: str, networks) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_ip(request) -> str:
    """The client's address (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted_networks()
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ip_address(address))
            except ValueError:
                # A malformed entry added by the client: it is not an address we can key on.
                return remote
    return remote
