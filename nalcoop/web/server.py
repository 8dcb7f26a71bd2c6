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

from nalcoop.i18n import _
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
        self.datasette = Datasette([], metadata=site.metadata(lang, "…"), settings=site.SETTINGS,
                                   template_dir=str(titled_templates(folder / "templates")))
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
        self.datasette._metadata_local = site.metadata(self.lang, made_now(), site.columns_of(path))
        self.datasette.add_database(Database(self.datasette, path=str(path), is_mutable=False),
                                    name=site.DATABASE)


# Datasette's lists of tables name each table by its name; these show its title (the name stays in the address).
_TITLED = {"database.html": ("{{ table.name }}</a>", "{{ view.name }}</a>"),
           "index.html": ("{{ table.name }}</a>",)}


def titled_templates(folder: Path) -> Path:
    """Datasette's own index and database templates, with each table's title where they show its name.
    Where a template reads otherwise (another Datasette), it is left as it is: only the names show."""
    import datasette

    folder.mkdir(parents=True, exist_ok=True)
    source = Path(datasette.__file__).parent / "templates"
    for name, shown in _TITLED.items():
        text = (source / name).read_text(encoding="utf-8")
        for original in shown:
            variable = original.split()[1]  # table.name or view.name
            text = text.replace(original, "{{ nalcoop_titles.get(" + variable + ", " + variable + ") }}</a>")
        (folder / name).write_text(text, encoding="utf-8")
    return folder


async def _refresh(served: Site, minutes: float) -> None:
    while True:
        await asyncio.sleep(minutes * 60)
        try:
            path = await asyncio.to_thread(served.new_copy)
        except Exception as exc:  # the ledger busy or being restored: keep serving the copy there is
            print(_("nalcoop serve: the copy was not refreshed ({reason}); the one from before is still served")
                  .format(reason=exc), flush=True)
            continue
        served.switch(path)


async def _serve(served: Site, host: str, port: int, refresh: float | None) -> None:
    import datasette.handle_exception
    import uvicorn

    # Datasette prints every error it answers (a colleague's mistyped SQL included) as a full traceback with
    # its local variables on the server's terminal; the page already says what was wrong.
    datasette.handle_exception.rich = None
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
