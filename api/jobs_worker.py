"""Run the server's scheduled jobs (offer expiry, clean-up, the outbox) every
`jobs_interval_seconds` until told to stop: `python -m api.jobs_worker`.

`waitlist serve` starts this in a child process beside each server process (api.jobs), at a
lower priority than the pages, as it does the solver (api.recommend_worker): sending a round's
notices (seconds of CPU per thousand) then takes neither the interpreter nor the CPU from the
pages. The settings come from the environment (WAITLIST_*), which the server fills with its
own. The child ends on SIGTERM, after the batch it is sending, or once the server that started
it is gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

from api import jobs
from api.logs import configure_logging
from waitlist import bootstrap
from waitlist.config import get_settings
from waitlist.storage.db import make_engine

NICENESS = 10  # as the solver's: the pages come first


def main() -> int:
    """Run a tick, rest for the interval, again; the number of ticks run."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICENESS)
    configure_logging()  # the server's format: the child writes to the same log
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    parent = os.getppid()
    settings = get_settings()
    engine = make_engine(settings.database_url)
    sender = bootstrap.notice_sender(settings)
    interval = max(1, settings.jobs_interval_seconds)
    ticks = 0
    try:
        while not stop.is_set():
            jobs.tick(engine, settings, sender, stop)
            ticks += 1
            rest_until = time.monotonic() + interval
            # Look at the parent every second: an orphan must not keep sending.
            while not stop.wait(min(1.0, max(0.0, rest_until - time.monotonic()))):
                if os.getppid() != parent:
                    stop.set()
                elif time.monotonic() >= rest_until:
                    break
    finally:
        engine.dispose()
    return ticks


if __name__ == "__main__":
    main()
