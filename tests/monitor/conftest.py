"""Monitor test fixtures: the real local feed server (see feed_server.py)."""
from .feed_server import feed_server, feed_server_session  # noqa: F401
