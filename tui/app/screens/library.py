"""The library: every article (paged), search as you type with highlighted snippets, facet filters, sorting."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from tui.app import core
from tui.app.screens.base import BackgroundMixin
from tui.app.textutil import one_line
from tui.app.widgets.article_list import PAGE_SIZE, SEARCH_PAGE_SIZE, ArticleList, ListHeader
from tui.app.widgets.facets import FacetList
from tui.app.widgets.jobbar import Job, JobBar, JobProgress
from tui.errors import Cancelled
from tui.library.library import Library
from tui.paths import Paths

if TYPE_CHECKING:
    from tui.app.app import DiglotApp

SORT_LABELS = {"date": "newest first", "title": "title", "lang": "language", "source": "source",
               "imported": "recently imported"}
# How long the first screen waits, once, for the store and first page read in a thread (started by the app before
# the screen was built; at mount it is done or a few ms from done: 0-6 ms waited at 10k and 100k). With them, the
# first frame shows the rows instead of an empty list repainted later. A slow open (a lock, a migration) shows the
# empty screen after this wait and delivers through a worker as before.
FIRST_PAGE_WAIT_S = 0.1


class LibraryScreen(BackgroundMixin, Screen):
    """The home screen; opening the library happens here, in a worker, so the first paint is instant."""

    BINDINGS = [
        # Priority: run when the app receives the key, before the keys typed after it are routed. A normal
        # binding runs only once `/` has bubbled up from the focused list, and while the UI thread is busy
        # (first start) the next keys were meanwhile sent to the list, which dropped them ("Kishida" -> "shida").
        Binding("slash", "focus_search", "Search", tooltip="Type to search every language", id="library.search",
                priority=True),
        Binding("escape", "escape", "Clear", show=False, id="library.escape"),
        Binding("f", "toggle_facets", "Filters", tooltip="Show or hide the facet panel", id="library.facets"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="library.clear_filters"),
        Binding("s", "cycle_sort", "Sort", tooltip="Cycle the sort order (when not searching)", id="library.sort"),
        Binding("ctrl+c", "cancel_job", "Cancel", show=False, id="library.cancel"),
    ]

    # Focused in the same step as compose (Textual's auto focus, synchronous): in the first frame, not the next.
    AUTO_FOCUS = "#articles"

    app: DiglotApp

    class ResultsShown(Message):
        """A query's or filter's first page is in the list (for instrumentation: benchmarks, tests)."""

        def __init__(self, generation: int, query: str, total: int) -> None:
            super().__init__()
            self.generation = generation
            self.query = query
            self.total = total
            self.shown_at = time.perf_counter()

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.filters: dict[str, str] = {}
        self.sort = "date"
        self.generation = 0
        # Search as you type, leading edge + coalescing: a key starts its search at once when none runs; while
        # one runs only the latest text is kept (`_pending`) and runs when it ends. No fixed delay.
        self._query_worker: Worker | None = None
        self._query_busy = False  # the latest reload's first page is not delivered yet
        self._pending = False
        self._job: Job | None = None
        self._footer = False
        self._shown_query: str | None = None
        self._opening: Future[tuple[Library, bool, core.Page | None]] | None = None
        self._resumed = False

    def start_opening(self, paths: Paths | None) -> None:
        """Read the store and the first page in a thread now, before this screen is composed and mounted."""
        self._opening = core.start_open_store_with_page(paths, sort=self.sort, limit=PAGE_SIZE)

    def compose(self) -> ComposeResult:
        yield Static(Text("Diglot", style="bold"), id="topbar")
        yield Input(placeholder="Search all languages…  (/ to focus, enter to list)", id="search")
        with Horizontal(id="library-body"):
            yield FacetList(id="facets")
            with Vertical(id="list-column"):
                articles = ArticleList(id="articles")
                yield ListHeader(articles, id="list-header")
                yield articles
                yield Static("", id="list-message")
        yield Static("", id="status")
        yield JobBar(id="jobbar")
        # The Footer is mounted after the first rows are painted (_ensure_footer): its key widgets are the
        # costliest part of the screen to style, and the list is what the first frame is for.

    def on_mount(self) -> None:
        self.query_one("#list-message", Static).display = False
        self.query_one("#facets", FacetList).display = self.size.width >= 100
        if self.app.library is not None:
            self.reload()
            return
        opened = self._opened_in_time()
        if opened is not None:
            self._store_opened(opened)  # before the first frame: it shows the rows
        else:
            self._open_library()

    def _opened_in_time(self) -> tuple[Library, bool, core.Page | None] | None:
        """The result of `start_opening` if it is ready within FIRST_PAGE_WAIT_S (errors: left to the worker)."""
        if self._opening is None:
            return None
        try:
            return self._opening.result(timeout=FIRST_PAGE_WAIT_S)  # the read itself runs in its thread
        except FutureTimeout:
            return None
        except Exception:  # noqa: BLE001 - reported by _open_library's worker, which re-raises it
            return None

    # -- opening the library -----------------------------------------------------------------------------------
    def _open_library(self) -> None:
        """Two steps: the store and its first page (instant, the list shows), then seeding + index sync as a
        job with progress."""
        paths = self.app.library_paths
        self._message("Opening the library…")
        sort = self.sort
        opening = self._opening

        def open_store() -> tuple[Library, bool, core.Page | None]:
            if opening is not None:  # started before the screen (slower than FIRST_PAGE_WAIT_S, or failed)
                return opening.result()
            return core.open_store_with_page(paths, sort=sort, limit=PAGE_SIZE)

        # Its own group: _prepare's exclusive "library" worker may start while this one is still winding down.
        self.background(open_store, self._store_opened, group="open-store", failed=self._open_failed)

    def _store_opened(self, opened: tuple[Library, bool, core.Page | None]) -> None:
        library, first_start, page = opened
        self.app.set_library(library)
        if first_start:
            self._message("Importing the sample articles…")
            self._ensure_footer()
            self._prepare()
            return
        # The index check (opening Whoosh, the stale scan) waits for the first page to be painted: run
        # alongside, it competes for the one Python thread that also builds the first screen.
        untouched = not self.query_text.strip() and not self.filters
        self.reload(then=self._prepare, ready=page if untouched else None)

    def _open_failed(self, err: BaseException) -> None:
        self._ensure_footer()
        self.app.show_error(err)
        self._message(one_line(f"The library could not be opened: {err}"))

    def _ensure_footer(self) -> None:
        """Mount the footer after the next paint (once)."""
        if not self._footer:
            self._footer = True
            self.call_after_refresh(self._mount_footer)

    async def _mount_footer(self) -> None:
        from textual.widgets import Footer

        await self.mount(Footer(compact=True))
        self.refresh_bindings()  # a Footer shows keys only once told the bindings changed (it missed the first)

    def _prepare(self) -> None:
        """pipeline.open_library: the samples on first start, then the index brought up to date."""
        job = self._job = Job("Opening the library")
        self.query_one(JobBar).start("Preparing the library…")
        report = job.progress_to(self)
        paths = self.app.library_paths
        session = self.app.search_session

        def work() -> None:
            prepared = core.open_library(paths, progress=report, cancel=job.cancel)
            prepared.close()  # the UI keeps the Library it opened first; this one's connection is this thread's
            if session is not None:
                session.refresh()
                session.warm()  # word lists for prefix/fuzzy/did-you-mean, before the first keystroke

        def done(_: None) -> None:
            if self.app.screen is self:  # not while another screen (closed later, its objects garbage) is open
                self.app.freeze_long_lived()  # the index, its searcher and word lists live as long as the app
            self._job_done()
            self.reload(keep_cursor=True)
            if self.app.analyse_on_open:
                self.analyse_pending()

        def failed(err: BaseException) -> None:
            # A cancelled or failed index sync leaves a usable store: the list works, search may lag behind.
            self._job_done()
            if not isinstance(err, Cancelled):
                self.app.show_error(err)
            self.reload(keep_cursor=True)

        self.background(work, done, group="library", exclusive=True, failed=failed)

    def analyse_pending(self) -> None:
        """Find names in articles not analysed yet (first start, after an import), then index them."""
        library = self.app.library
        if library is None or self._job is not None:
            return
        job = self._job = Job("names")
        self.query_one(JobBar).start("Finding names…")
        report = job.progress_to(self)

        session = self.app.search_session  # read here: `self.app` is not for worker threads

        def work() -> int:
            count = core.analyse_pending(library, progress=report, cancel=job.cancel)
            if count:
                core.sync_index(library, progress=report)
                if session is not None:
                    session.refresh()
            return count

        def done(count: int) -> None:
            self._job_done()
            if count:
                self.reload(keep_cursor=True)

        def failed(err: BaseException) -> None:
            self._job_done()
            if not isinstance(err, Cancelled):
                self.app.show_error(err)

        self.background(work, done, group="names", exclusive=True, failed=failed)

    def on_job_progress(self, message: JobProgress) -> None:
        if self._job is not None and message.job_id == self._job.id:
            self.query_one(JobBar).show(message.progress)

    def _job_done(self) -> None:
        self._job = None
        self.query_one(JobBar).finish()

    def action_cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel.cancel()
            self.notify("Cancelling…")

    # -- listing and searching ---------------------------------------------------------------------------------
    def reload(self, *, keep_cursor: bool = False, then: Callable[[], None] | None = None,
               ready: core.Page | None = None) -> None:
        """Run the current query / filters / sort now (new generation: older results are dropped).

        `then` runs once the first page is painted (or failed), whatever the generation by then. `ready` is
        that first page when it was already read (with the store, at start)."""
        if self.app.library is None:
            return
        self._pending = False
        self.generation += 1
        generation = self.generation
        query, filters, sort = self.query_text.strip(), dict(self.filters), self.sort
        library = self.app.library
        session = self.app.search_session

        def first_page() -> core.Page:
            if query:
                assert session is not None
                page = session.search(query, offset=0, limit=SEARCH_PAGE_SIZE, filters=filters)
                core.label_facets(library, page)
                return page
            # Rows first; facet counts (a few GROUP BYs, slow on a big library) follow in their own worker.
            return core.browse_page(library, offset=0, limit=PAGE_SIZE, sort=sort, filters=filters, with_facets=False)

        def browse_facets() -> core.Page:
            page = core.Page(0, [], core.browse_facets(library, filters))
            core.label_facets(library, page)
            return page

        def facets_shown(page: core.Page) -> None:
            if generation == self.generation:
                self.query_one("#facets", FacetList).show(page.facets, self.filters, page.labels)

        articles = self.query_one("#articles", ArticleList)
        cursor = articles.cursor if keep_cursor else 0

        def later() -> None:
            # Facet counts and `then` (the index check) after the rows are painted, not competing with them.
            if not query and generation == self.generation:
                self.background(browse_facets, facets_shown, group="facets", exclusive=True)
            if then is not None:
                then()

        def shown(page: core.Page) -> None:
            if generation == self.generation:
                self._show_page(generation, query, page)
                if cursor and cursor < page.total:
                    articles.cursor = cursor
            self.call_after_refresh(later)
            self._query_delivered(worker)

        def failed(err: BaseException) -> None:
            self._ensure_footer()
            if generation == self.generation:
                self._show_error(query, err)
            if then is not None:
                then()
            self._query_delivered(worker)

        worker: Worker | None = None
        if ready is not None:
            self._query_worker = None
            shown(ready)
            return
        # Not exclusive: a thread cannot be stopped anyway, stale pages are dropped by generation, and the
        # coalescing below needs to know when the search in flight has delivered.
        self._query_busy = True
        worker = self._query_worker = self.background(first_page, shown, group="query", failed=failed)

    def _query_delivered(self, worker: Worker | None) -> None:
        if worker is self._query_worker:
            self._query_busy = False
            self._run_pending()

    def _request_search(self) -> None:
        """A new query text: run it now, or after the search in flight (whose results are then stale)."""
        if self._query_busy:
            self._pending = True
            self.generation += 1  # the running search's results no longer match the box: dropped on arrival
        else:
            self.reload()

    def _run_pending(self) -> None:
        if self._pending:
            self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Safety net: a query worker that ended without delivering (cancelled) must not strand a pending text.
        if event.worker is self._query_worker and event.state in (WorkerState.CANCELLED, WorkerState.ERROR):
            self._query_busy = False
            self._run_pending()

    def _show_page(self, generation: int, query: str, page: core.Page) -> None:
        articles = self.query_one("#articles", ArticleList)
        articles.reset(generation, page.total, page.rows, snippets=bool(query))
        self._shown_query = query
        if query:
            self.query_one("#facets", FacetList).show(page.facets, self.filters, page.labels)
        self._update_header()
        if page.total == 0:
            if query:
                message = Text("No articles match ")
                message.append(one_line(query), style="bold")
                if page.suggestion:
                    message.append(" — did you mean ")
                    message.append(one_line(page.suggestion), style="bold underline")
                    message.append("?")
                if self.filters:
                    message.append("  (filters active: x clears them)")
            elif self.filters:
                message = Text("No articles with these filters (x clears them).")
            else:
                message = Text("The library is empty. Press i to import articles.")
            self._message(message)
        else:
            self._message(None)
        self._update_status(page, query)
        self._ensure_footer()
        self.post_message(self.ResultsShown(generation, query, page.total))

    def _show_error(self, query: str, err: BaseException) -> None:
        if query and self._job is not None and self._job.name == "Opening the library":
            self._message("Search works once the library is indexed (progress below).")
        elif query:
            self._message(Text(one_line(f"Search failed: {err}")))
        else:
            self.app.show_error(err)

    def _update_status(self, page: core.Page, query: str) -> None:
        parts = []
        noun = "hit" if query else "article"
        parts.append(f"{page.total:,} {noun}{'' if page.total == 1 else 's'}")
        if query:
            timed = page.elapsed_ms and self.app.show_timings
            parts.append(f"{page.elapsed_ms:.0f} ms" if timed else "by relevance")
            if page.suggestion and page.total:
                parts.append(f"did you mean {page.suggestion}?")
        else:
            parts.append(f"sorted by {SORT_LABELS.get(self.sort, self.sort)}")
        if self.filters:
            parts.append("filters: " + ", ".join(f"{k}={v}" for k, v in self.filters.items()))
        self.query_one("#status", Static).update(Text(one_line(" · ".join(parts))))

    def _update_header(self) -> None:
        self.query_one("#list-header", ListHeader).refresh()  # laid out for the list's width when painted

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_header)

    def _message(self, message: str | Text | None) -> None:
        widget = self.query_one("#list-message", Static)
        if message is None:
            widget.display = False
            return
        widget.update(Text(message) if isinstance(message, str) else message)
        widget.display = True

    def on_article_list_page_wanted(self, message: ArticleList.PageWanted) -> None:
        if self.app.library is None:
            return
        generation, offset = message.generation, message.offset
        query, filters, sort = (self._shown_query or "").strip(), dict(self.filters), self.sort
        library, session = self.app.library, self.app.search_session
        articles = self.query_one("#articles", ArticleList)
        total = articles.total  # known since the first page: no count per page
        size = articles.page_size

        def page() -> core.Page:
            if query:
                assert session is not None
                return session.search(query, offset=offset, limit=size, filters=filters)
            return core.browse_page(library, offset=offset, limit=PAGE_SIZE, sort=sort, filters=filters,
                                    with_facets=False, total=total)

        self.background(
            page, lambda p: articles.add_page(generation, offset, p.rows), group="pages",
            failed=lambda err: articles.page_failed(generation, offset),
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        if event.value == self.query_text:
            return  # set by the screen itself (escape clears the box and reloads)
        self.query_text = event.value
        self._request_search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            # Enter only moves to the list: as-you-type already runs (or has queued) this exact text.
            if event.value != self.query_text:
                self.query_text = event.value
                self._request_search()
            self.set_focus(self.query_one("#articles", ArticleList))  # now, not deferred: the next key is j/k

    def on_article_list_opened(self, message: ArticleList.Opened) -> None:
        self.app.open_article(message.article_id, query=self._shown_query or "")

    def on_facet_list_toggled(self, message: FacetList.Toggled) -> None:
        if self.filters.get(message.key) == message.value:
            del self.filters[message.key]
        else:
            self.filters[message.key] = message.value
        self.reload()

    # -- actions -----------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/` typed in the box is a character of the query (the priority binding would take it otherwise).
        if action == "focus_search":
            return not self.query_one("#search", Input).has_focus
        return True

    def action_focus_search(self) -> None:
        # Synchronous, not widget.focus() (deferred): keys typed right after `/` must land in the box, not be
        # taken as commands (the `i` of "Kishida" would open the import dialog).
        self.set_focus(self.query_one("#search", Input))

    def action_escape(self) -> None:
        if self._job is not None:
            self.action_cancel_job()
            return
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one("#articles", ArticleList).focus()
        elif search.value:
            search.value = ""
            self.query_text = ""
            self.reload()

    def action_toggle_facets(self) -> None:
        facets = self.query_one("#facets", FacetList)
        facets.display = not facets.display
        if facets.display:
            facets.focus()
        else:
            self.query_one("#articles", ArticleList).focus()
        self.call_after_refresh(self._update_header)

    def action_clear_filters(self) -> None:
        if self.filters:
            self.filters = {}
            self.reload()

    def action_cycle_sort(self) -> None:
        keys = list(core.SORTS)
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        if self.query_text.strip():
            self.notify(f"Sort: {SORT_LABELS[self.sort]} (search results stay by relevance)")
        self.reload()

    def refresh_after_import(self) -> None:
        def done(_: object) -> None:
            self.reload()
            if self.app.analyse_on_open:
                self.analyse_pending()

        if self.app.search_session is not None:
            self.background(self.app.search_session.refresh, done, group="refresh")
        else:
            done(None)

    def on_screen_resume(self) -> None:
        first, self._resumed = not self._resumed, True
        # Back from the reader: a translation or new names may have changed the ✓ and entity columns.
        if self.app.library is not None and self.generation and not first:
            self.reload(keep_cursor=True)
