"""A held conference of agency A for the follow-up tests (questions, commitments, photos,
coverage), through the real services. Use with ``conference_fixtures.conf``."""
from __future__ import annotations

from app.services.conferences import MoveRequest, move_conference


def held(conf, **plan):
    """A conference of A planned for today at 00:00 (local) and marked held by A's staff."""
    conference = conf.plan(days=0, time="00:00", **plan)
    return move_conference(conference.id, MoveRequest(to_status="held"), conf.staff)
