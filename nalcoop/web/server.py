"""`nalcoop serve`: Datasette over the published copy of the ledger, never over the ledger itself.

The copy is made into a private temporary folder and served immutable (read-only, no locks, nothing can be
written through it). With a refresh, a new copy is made every N minutes beside the old one, each moved into
place whole (nalcoop.publish), and the server switches to it between two requests: a page is always made from
one whole copy. The copy before is closed and deleted at the next switch, once the requests reading it are
long done. Datasette and uvicorn are imported here only (the `web` extra)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from nalcoop.publish import publish_from
from nalcoop.web import site


def made_now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


class Site:
    """The Datasette instance and the copies it has served."""

    def __init__(self, ledger: Path, folder: Path, lang: str):
        from datasette.app import Datasette

        from nalcoop.web import plugin

        plugin.LANG["lang"] = lang
        self.ledger, self.folder, self.lang = ledger, folder, lang
        self.generation = 0
        self.retired: list = []  # (Database, path) served before the current copy
        self.datasette = Datasette([], metadata=site.metadata(lang, "…"), settings=site.SETTINGS)
        self.datasette.remove_database("_memory")  # Datasette's scratch database: only the copy is shown
        from datasette.plugins import pm

        if not pm.is_registered(plugin):
            pm.register(plugin, name="nalcoop")

    def new_copy(self) -> Path:
        """Make the next copy of the ledger (in the calling thread)."""
        self.generation += 1
        return publish_from(self.ledger, self.folder / f"ledger-{self.generation}.db")

    def switch(self, path: Path) -> None:
        """Serve `path` from the next request on (called on the event loop: no request runs meanwhile)."""
        from datasette.database import Database

        for database, old in self.retired:  # the copy before the current one: its requests are long done
            database.close()
            old.unlink(missing_ok=True)
        self.retired = []
        current = self.datasette.databases.get(site.DATABASE)
        if current is not None:
            self.retired.append((current, Path(current.path)))
            self.datasette.remove_database(site.DATABASE)
        self.datasette._metadata_local = site.metadata(self.lang, made_now())
        self.datasette.add_database(Database(self.datasette, path=str(path), is_mutable=False),
                                    name=site.DATABASE)


async def _refresh(served: Site, minutes: float) -> None:
    while True:
        await asyncio.sleep(minutes * 60)
        try:
            path = await asyncio.to_thread(served.new_copy)
        except Exception as exc:  # the ledger busy or being restored: keep serving the copy there is
            print(f"nalcoop serve: the copy was not refreshed ({exc}); the one from before is still served",
                  flush=True)
            continue
        served.switch(path)


async def _serve(served: Site, host: str, port: int, refresh: float | None) -> None:
    import uvicorn

    await served.datasette.invoke_startup()
    config = uvicorn.Config(served.datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(_refresh(served, refresh)) if refresh else None
    try:
        await server.serve()
    finally:
        if task is not None:
            task.cancel()


def serve(ledger: Path, host: str, port: int, refresh: float | None, lang: str,
          announce=print) -> None:
    """Publish the ledger, serve the copy at http://host:port/ until interrupted, then delete the copies."""
    folder = Path(tempfile.mkdtemp(prefix="nalcoop-web-"))  # 0700: the copies are the user's alone on disk
    try:
        served = Site(ledger, folder, lang)
        served.switch(served.new_copy())
        announce(f"http://{host}:{port}/")
        asyncio.run(_serve(served, host, port, refresh))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
