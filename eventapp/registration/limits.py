"""Limits on the public registration form: per client address and per address prefix.

One office behind one NAT address registers 30 colleagues in an hour; one client taking every seat with
made-up addresses is stopped by the limit per address, and spreading over the neighbouring addresses of its
network by the limit per prefix (REGISTRATION_RATE_LIMIT, REGISTRATION_PREFIX_RATE_LIMIT).
"""

import ipaddress

from flask_limiter.util import get_remote_address

IPV4_PREFIX = 24  # one organisation's or one household's network
IPV6_PREFIX = 56  # what a provider hands one customer (RIPE-690), so the whole of it counts as one


def address_prefix(address: str) -> str:
    """The network an address belongs to: 203.0.113.7 -> 203.0.113.0/24, 2001:db8:1:2ff::1 -> 2001:db8:1:200::/56.

    An IPv4 address written as IPv6 (::ffff:203.0.113.7) counts in its IPv4 network; anything that is not an
    address (a test client's name) counts as itself.
    """
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    bits = IPV4_PREFIX if parsed.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{parsed}/{bits}", strict=False))


def client_prefix() -> str:
    """The rate limit key of the request's client network (behind the proxy: ProxyFix has set remote_addr)."""
    return address_prefix(get_remote_address() or "")
