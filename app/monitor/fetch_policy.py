"""What a feed fetch obeys (`FetchPolicy`, from the config) and what it gives (`FetchResult`): apart
from the fetcher (app/monitor/fetch.py) so that the commands and pages that read the policy or a
result do not load httpx at start (~0.2 s of CPU a process, session 48); fetch.py exports both."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FetchPolicy:
    """The limits every fetch obeys (seconds, bytes); one per installation, from the config."""

    connect_timeout: float = 10
    read_timeout: float = 30  # per read: a silent server
    total_timeout: float = 60  # the whole fetch, redirects included: a trickling server
    max_bytes: int = 15 * 1024 * 1024  # after decompression
    max_redirects: int = 5
    user_agent: str = "Hamzaban/0.1 (+media-relations desk; feed monitor)"
    allow_private: tuple[str, ...] = ()  # CIDRs or exact host names exempt from the guard
    per_host_limit: int = 2
    max_entries: int = 1000  # of one fetched feed, the newest kept (app.monitor.parse.parse_feed)

    @classmethod
    def from_config(cls, config: Mapping) -> FetchPolicy:
        """Read FEED_<FIELD> keys (e.g. FEED_TOTAL_TIMEOUT); absent keys keep the defaults."""
        values = {f.name: config[f"FEED_{f.name.upper()}"] for f in dataclasses.fields(cls)
                  if f"FEED_{f.name.upper()}" in config}
        allow = values.get("allow_private")
        if isinstance(allow, str):
            allow = allow.split(",")
        if allow is not None:
            values["allow_private"] = tuple(entry.strip() for entry in allow if entry.strip())
        return cls(**values)


@dataclass
class FetchResult:
    """What one fetch gave: a body, "not modified", or an error code with a Persian message."""

    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names; the body's own
    body: bytes | None = None  # decoded (no Content-Encoding left); None on failure or 304
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    error_code: str | None = None
    error_message_fa: str | None = None
    error_detail: dict | None = None  # {"key", "values"}: the message in any language
    retry_after: float | None = None  # seconds
    elapsed_ms: int = 0
    permanent_redirect: bool = False  # every hop was 301/308: the feed's URL may be updated

    @property
    def ok(self) -> bool:
        return self.error_code is None
