"""A DNS server on 127.0.0.1 (UDP) that reads every query and never answers, and a resolver that
asks it: a real lookup that hangs, as one does when an agency's DNS server is down.

The fetcher resolves through the system resolver (getaddrinfo), which cannot be pointed at
another server from inside a test, so the tests hand the fetcher `SilentDnsServer.resolver`
(Fetcher's `resolver` argument): a plain DNS query over UDP to this server, waiting for an answer.
When the server stops it answers every query it kept with SERVFAIL, so no lookup thread outlives
the test by more than a moment.
"""
from __future__ import annotations

import socket
import struct
import threading
from typing import Self


def dns_query(host: str, query_id: int = 0x4848) -> bytes:
    """A DNS query for the A record of `host` (RFC 1035: header, name, type A, class IN)."""
    name = b"".join(bytes([len(label)]) + label for label in host.encode("idna").split(b".")) + b"\0"
    return struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + name + struct.pack("!HH", 1, 1)


class SilentDnsServer:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.queries: list[tuple[bytes, tuple]] = []
        self.lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        self._thread.join()
        with self.lock:
            for query, client in self.queries:  # SERVFAIL: the waiting lookups end now
                self.sock.sendto(query[:2] + b"\x81\x82" + query[4:], client)
        self.sock.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                query, client = self.sock.recvfrom(512)
            except TimeoutError:
                continue
            with self.lock:
                self.queries.append((query, client))

    def asked_for(self, host: str) -> bool:
        wanted = dns_query(host)[12:]
        with self.lock:
            return any(query[12:] == wanted for query, _ in self.queries)

    def resolver(self, host: str, port: int) -> list[str]:
        """Ask this server for `host` and wait (up to 60 s) for an answer that never comes."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(60)
            sock.sendto(dns_query(host), ("127.0.0.1", self.port))
            sock.recv(512)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
