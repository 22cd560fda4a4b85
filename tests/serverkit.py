"""A WSGI app served for real: waitress on 127.0.0.1 at a free port, in a thread.

The claim server's tests and the end-to-end claim test (Chromium) talk to it over HTTP.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from waitress.server import create_server


@contextlib.contextmanager
def local_server(app: Any, threads: int = 16, **options: Any) -> Iterator[str]:
    """``app`` on waitress at 127.0.0.1 and a free port, in a thread; yields the base URL.
    ``options``: more waitress settings (as ``smartizen serve-claims`` passes them)."""
    server = create_server(app, host="127.0.0.1", port=0, threads=threads, **options)

    def run() -> None:
        with contextlib.suppress(OSError, ValueError):  # sockets closed under the loop at exit
            server.run()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        # A single-socket server's close() leaves its worker threads waiting for tasks
        # (waitress stops them only when run() ends on Ctrl-C): 16 a server, hundreds a
        # session.
        server.task_dispatcher.shutdown()
        thread.join(timeout=5)
