"""Which client a request comes from, behind a reverse proxy only when the operator trusts it.

Served behind nginx or Caddy, every connection comes from the proxy, so sign-in throttling per
client would count every editor as one. The proxy names the client in `X-Forwarded-For`, but so
can anyone who reaches the app directly: the header is read only when the connection comes from
an address the operator listed in `ERFARINGSBANKEN_TRUSTED_PROXIES` (`--trusted-proxies` of
`python -m ui.serve`), and then from the right, where the trusted proxies appended what they saw.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence

TRUSTED_PROXIES_ENV = "ERFARINGSBANKEN_TRUSTED_PROXIES"
FORWARDED_FOR = "x-forwarded-for"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Streamlit reports a connection from 127.0.0.1 or ::1 as no address at all (st.context.ip_address).
_LOOPBACK = "127.0.0.1"


def parse_networks(value: str | None) -> list[Network]:
    """The trusted proxies, from a comma-separated list of addresses or networks ('127.0.0.1, 10.0.0.0/24').

    Raises:
        ValueError: An entry is not an address or a network (Danish message naming it).
    """
    networks: list[Network] = []
    for entry in (value or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"»{entry}« i {TRUSTED_PROXIES_ENV} er ikke en IP-adresse eller et netværk "
                             "(fx 127.0.0.1 eller 10.0.0.0/24).") from exc
    return networks


def trusted_proxies(environ: Mapping[str, str] | None = None) -> list[Network]:
    """The proxies the operator trusts (none unless configured; a bad entry trusts nothing)."""
    env = os.environ if environ is None else environ
    try:
        return parse_networks(env.get(TRUSTED_PROXIES_ENV))
    except ValueError:
        return []


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(peer: str | None, headers: Mapping[str, str], trusted: Sequence[Network]) -> str | None:
    """The client's address, for throttling and the log.

    Args:
        peer: The address the connection came from (None: this machine, as Streamlit reports it).
        headers: The request's headers (names in any case).
        trusted: The proxies whose `X-Forwarded-For` is believed.

    Returns:
        The peer, unless it is a trusted proxy that forwarded the request: then the right-most address
        in `X-Forwarded-For` that is not itself a trusted proxy. None when nothing better is known.
    """
    direct = _address(peer or _LOOPBACK)
    if direct is None or not trusted or not _trusted(direct, trusted):
        return peer
    forwarded = next((v for k, v in headers.items() if k.lower() == FORWARDED_FOR), None)
    if not forwarded:
        return peer
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            return peer  # a hop no proxy of ours wrote: believe nothing further left
        if not _trusted(address, trusted):
            return str(address)
    return peer
