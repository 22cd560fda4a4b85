"""A throwaway PostgreSQL cluster in a folder, started from Debian's server binaries.

Tests, ``make fleet-demo`` and the fleet benchmark use it: ``initdb`` into the folder,
``pg_ctl start`` with the socket in the same folder and a free TCP port on loopback, trust
authentication (nothing listens beyond 127.0.0.1), and ``pg_ctl stop -m fast`` at the end.

PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the
``postgres`` system user (which Debian's package creates) through ``runuser``, and the
folder is handed to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

SERVER_USER = "postgres"
SUPERUSER = "postgres"


class ClusterError(RuntimeError):
    """The cluster could not be created or started; the message says why."""


def server_bindir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` live: ``$PG_BINDIR``, else ``pg_config --bindir``."""
    override = os.environ.get("PG_BINDIR")
    if override:
        return Path(override)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").exists():
            return bindir
    # pg_config from libpq-dev may name /usr/bin, where Debian has no initdb.
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise ClusterError(
        "PostgreSQL's server binaries were not found: install Debian's `postgresql` package "
        "(apt-get install postgresql) or set PG_BINDIR"
    )


def available() -> bool:
    """True when a cluster can be started on this machine."""
    try:
        server_bindir()
    except ClusterError:
        return False
    return os.geteuid() != 0 or _has_user(SERVER_USER)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One PostgreSQL server over ``folder`` (a new temporary folder when not given)."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        port: int | None = None,
        settings: dict[str, str] | None = None,
    ) -> None:
        """``settings``: extra server settings (``-c name=value``), e.g. the benchmark's."""
        self._own_folder = folder is None
        self.settings = dict(settings or {})
        self.folder = Path(folder or tempfile.mkdtemp(prefix="smartizen-pg-"))
        self.data = self.folder / "data"
        self.port = port or _free_port()
        self.bindir = server_bindir()
        self.running = False

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> Cluster:
        """Create the cluster (first time) and start the server; returns self."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            if not _has_user(SERVER_USER):
                raise ClusterError(
                    f"running as root, and there is no `{SERVER_USER}` user to run the "
                    "server as (Debian's postgresql package creates it)"
                )
            user = pwd.getpwnam(SERVER_USER)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.folder.chmod(0o700)
        if not (self.data / "PG_VERSION").exists():
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} "
            "-c max_connections=300 -c fsync=on -c shared_buffers=64MB"
            # The default (shared_buffers / 32 = 2 MB) fills in under a second at 2,500 plays/s
            # with page images after a checkpoint (~10 MB/s): during a slow flush, backends
            # would then wait to write the log themselves. As deploy/postgresql-fleet.conf.
            " -c wal_buffers=16MB"
        ) + "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
        )
        self.running = True
        return self

    def stop(self) -> None:
        """Stop the server (fast: open sessions are rolled back) and remove a temp folder."""
        if self.running:
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data), check=False)
            self.running = False
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would (tests of a service that vanishes)."""
        self._run("pg_ctl", "kill", "KILL", self._postmaster_pid(), check=False)
        self.running = False

    def crash(self) -> None:
        """``pg_ctl stop -m immediate``: every server process quits at once, without a
        checkpoint or a flush, as a power cut would leave the log (what was only in the WAL
        buffers is gone). The next :meth:`start` runs crash recovery."""
        self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        self.running = False

    def _postmaster_pid(self) -> str:
        return (self.data / "postmaster.pid").read_text().splitlines()[0].strip()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- databases -----------------------------------------------------------------------

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq connection string for ``dbname`` over loopback TCP."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    def url(self, dbname: str = "postgres") -> str:
        """The same as :meth:`dsn`, as a ``postgresql://`` URL (for config files)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """Create an empty database (dropped first if it exists); returns its DSN."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    # -- plumbing ------------------------------------------------------------------------

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if check and done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            log_file = self.folder / "server.log"
            if log_file.exists():
                tail += log_file.read_text(errors="replace").strip().splitlines()[-5:]
            raise ClusterError(f"{tool} failed ({done.returncode}): " + " | ".join(tail))
