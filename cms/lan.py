"""`make run HOST=0.0.0.0:8000`: the settings a classroom demo on a local network needs,
printed as NAME=value words for `env`.

QR codes and printed addresses come from WAGTAILADMIN_BASE_URL (127.0.0.1 by default),
and Django answers only the hosts in DJANGO_ALLOWED_HOSTS: served on all interfaces,
both must name this machine's address on the network, or phones open nothing. What the
environment or .env already sets is left alone; a loopback HOST needs nothing.

    python -m cms.lan 0.0.0.0:8000   # WAGTAILADMIN_BASE_URL=http://192.168.1.20:8000 ...
"""

import os
import socket
import sys
from pathlib import Path

import environ

from cms.links import is_loopback

ALL_INTERFACES = {"0.0.0.0", "::", "0"}  # noqa: S104 (compared with, not bound)
DEFAULT_ALLOWED_HOSTS = "localhost,127.0.0.1,[::1]"


def lan_address() -> str:
    """This machine's address on its network: the source address of the route out.
    A UDP "connection" sends nothing, so this works without internet access too."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed, never reached
            return probe.getsockname()[0]
        except OSError:  # no network at all
            return "127.0.0.1"


def demo_environment(host: str, environment: dict[str, str]) -> dict[str, str]:
    """The variables to set for serving on `host` (runserver's "addr:port" or "port")."""
    address, _, port = host.rpartition(":")
    address = address.strip("[]") or "127.0.0.1"
    if address in ALL_INTERFACES:
        address = lan_address()
    if is_loopback(address):
        return {}
    netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    wanted = {
        "WAGTAILADMIN_BASE_URL": f"http://{netloc}",
        "DJANGO_ALLOWED_HOSTS": f"{DEFAULT_ALLOWED_HOSTS},{netloc.rpartition(':')[0]}",
    }
    return {name: value for name, value in wanted.items() if name not in environment}


def main(host: str) -> None:
    environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env")
    found = demo_environment(host, dict(os.environ))
    for name, value in found.items():
        print(f"{name}={value}")
    if "WAGTAILADMIN_BASE_URL" in found:
        print(f"QR codes and printed addresses: {found['WAGTAILADMIN_BASE_URL']}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
