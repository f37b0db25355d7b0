"""Another person's action, committed while this test's reader holds what it read: the action runs
in another thread with its own session (another request, or a shell), as two people at once do."""
from __future__ import annotations

import threading

from app.extensions import db


def in_background(app, action) -> tuple[threading.Thread, list[str]]:
    """Start ``action()`` in another thread's app context and session (another request, or a shell);
    the thread, and the errors it raised (read once joined)."""
    errors: list[str] = []

    def run():
        with app.app_context():
            try:
                action()
            except Exception as error:  # noqa: BLE001 - reported by the test thread
                errors.append(repr(error))
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def elsewhere(app, action) -> list[str]:
    """Run ``action()`` in another thread's app context and session, committed before returning;
    the errors it raised (an empty list: it went through)."""
    thread, errors = in_background(app, action)
    thread.join(timeout=60)
    assert not thread.is_alive(), "the other person's action did not finish in 60 s"
    return errors
