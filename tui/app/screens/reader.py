"""The reader: original, translation, or side by side; sentences stream in as the translator finishes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.app import core
from tui.app.screens.base import BackgroundMixin
from tui.app.textutil import one_line
from tui.app.widgets.aligned import FLAG_MARK, AlignedView, ReaderDoc, Sentence
from tui.app.widgets.jobbar import Job, JobBar, JobProgress
from tui.errors import Cancelled
from tui.library.model import Article

if TYPE_CHECKING:
    from tui.app.app import DiglotApp

VIEW_NAMES = {"original": "Original", "translation": "Translation", "side": "Side by side"}


class SentenceArrived(Message):
    """One translated sentence, posted from the translation worker."""

    def __init__(self, job_id: int, paragraph: int, index: int, pair: Any) -> None:
        super().__init__()
        self.job_id = job_id
        self.paragraph = paragraph
        self.index = index
        self.pair = pair


@dataclass(slots=True)
class Loaded:
    article: Article
    doc: ReaderDoc
    translation: Any
    analysed: bool


def _marks(mentions: list[Any], hits: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    marks = [(m.start, m.end, m.type) for m in mentions]
    marks.extend((start, end, "hit") for start, end in hits)
    return marks


def _doc_from_translation(article: Article, translation: Any, target: str) -> ReaderDoc:
    paragraphs = [
        [Sentence((p.src_start, p.src_end), p.target, p.flag) for p in para] for para in translation.paragraphs
    ]
    doc = ReaderDoc(article.text, article.lang, paragraphs, target)
    doc.assemble_translation()
    return doc


class ReaderScreen(BackgroundMixin, Screen):
    """Views: o original, t translation, s side by side. Sentence cursor: up/down or j/k."""

    BINDINGS = [
        Binding("o", "view('original')", "Original", tooltip="Show the original text", id="reader.original"),
        Binding("t", "view('translation')", "Translation", tooltip="Show the translation", id="reader.translation"),
        Binding("s", "view('side')", "Both", tooltip="Original and translation aligned by sentence",
                id="reader.side"),
        Binding("e", "entities", "Names", tooltip="People, places and organisations named here",
                id="reader.entities"),
        Binding("r", "related", "Related", tooltip="Stories naming the same entities", id="reader.related"),
        Binding("n", "next_hit(1)", "Next hit", show=False, tooltip="Next sentence matching the search",
                id="reader.next_hit"),
        Binding("N", "next_hit(-1)", "Previous hit", show=False, tooltip="Previous sentence matching the search",
                id="reader.prev_hit"),
        Binding("l", "next_target", "Language", show=False,
                tooltip="Translate into the next language you have packages for", id="reader.target"),
        Binding("h", "toggle_entities", "Colours", show=False, tooltip="Entity colours on or off",
                id="reader.highlight"),
        Binding("escape", "back", "Back", show=False, tooltip="Cancel the running job, or go back",
                id="reader.back"),
        Binding("ctrl+c", "cancel_job", "Cancel", show=False, tooltip="Cancel the translation",
                id="reader.cancel"),
    ]

    app: DiglotApp

    def __init__(self, article_id: str, *, query: str = "", view: str | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.query_text = query
        self.initial_view = view
        self.article: Article | None = None
        self.doc: ReaderDoc | None = None
        self.translation: Any = None
        self.target = "en"
        self.mode = "original"
        self.route: list[str] = []
        self._job: Job | None = None
        self._arrived = 0
        self._flush_pending = False
        self._analysing = False
        self._notice: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading…"), id="reader-title")
        yield Static("", id="notice")
        yield AlignedView(id="text")
        yield Static("", id="reader-status")
        yield Static("", id="legend")
        yield JobBar(id="jobbar")
        # The palette (ctrl+p) still works; its footer hint would push the view keys out at 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.target = self.app.ui_config.target
        self.mode = self.initial_view or self.app.ui_config.view
        self.query_one("#notice", Static).display = False
        self.query_one(AlignedView).focus()
        self._show_legend()
        self._load()

    @property
    def view(self) -> AlignedView:
        return self.query_one(AlignedView)

    # -- loading ---------------------------------------------------------------------------------------
    def _load(self) -> None:
        library = self.app.library
        if library is None:
            return
        article_id, target, query = self.article_id, self.target, self.query_text

        def load() -> Loaded:
            # One read of the store; a cached translation needs neither the translator nor the splitter.
            data = core.reader_data(library, article_id, target)
            article, translation = data.article, data.translation
            if translation is not None:
                doc = _doc_from_translation(article, translation, target)
            else:
                spans = core.split_paragraph_sentences(article)
                doc = ReaderDoc(article.text, article.lang, [[Sentence(s) for s in para] for para in spans], target)
            doc.src_marks = _marks(data.src_mentions, core.match_spans(article.text, article.lang, query))
            if translation is not None:
                doc.tgt_marks = _marks(data.tgt_mentions, core.match_spans(doc.translation_text, target, query))
            return Loaded(article, doc, translation, bool(data.src_mentions))

        self.background(load, self._loaded, group="load", exclusive=True, failed=self._load_failed)

    def _load_failed(self, err: BaseException) -> None:
        self.app.show_error(err)
        self.query_one("#reader-title", Static).update(Text(one_line(f"Could not open this article: {err}")))

    def _loaded(self, loaded: Loaded) -> None:
        self.article = loaded.article
        self.doc = loaded.doc
        self.translation = loaded.translation
        if loaded.translation is not None:
            self.route = list(loaded.translation.route)
        self._show_title()
        self.view.mode = self.mode
        self.view.set_doc(loaded.doc)
        self._update_status()
        if self.mode in ("translation", "side"):
            self._ensure_translation()
        if not loaded.analysed:
            self._analyse()

    def _show_title(self) -> None:
        article = self.article
        assert article is not None
        text = Text(one_line(article.title), style="bold")
        meta = [article.lang, article.date or "", one_line(article.source)]
        text.append("   " + " · ".join(m for m in meta if m), style="dim")
        self.query_one("#reader-title", Static).update(text)

    # -- views -----------------------------------------------------------------------------------------
    def action_view(self, mode: str) -> None:
        self.mode = mode
        self.view.set_mode(mode)
        self._update_status()
        if mode in ("translation", "side"):
            self._ensure_translation()

    def action_next_target(self) -> None:
        """Cycle the target language among English and every language an installed package translates into."""
        if self._job is not None or self.article is None:
            return
        paths, source = self.app.paths, self.article.lang

        def targets() -> list[str]:
            codes = {"en"} | {p.to_code for p in core.list_packages(paths) if getattr(p, "installed", True)}
            return sorted(codes - {source})

        def chosen(codes: list[str]) -> None:
            if not codes:
                return
            index = codes.index(self.target) + 1 if self.target in codes else 0
            self.set_target(codes[index % len(codes)])

        self.background(targets, chosen, group="targets", exclusive=True)

    def set_target(self, target: str) -> None:
        """Read the article in another language: the cached translation if any, else translate on demand."""
        self.target = target
        self.translation = None
        self.route = []
        self._set_notice(None)
        self.notify(f"Translation target: {target}")
        self._load()

    def hit_sentences(self) -> list[int]:
        """Indices of the sentences holding a search hit (in the original or in the translation)."""
        if self.doc is None:
            return []
        src = [(a, b) for a, b, kind in self.doc.src_marks if kind == "hit"]
        tgt = [(a, b) for a, b, kind in self.doc.tgt_marks if kind == "hit"]
        found = []
        for index, sentence in enumerate(self.doc.sentences):
            s0, s1 = sentence.src
            t0, t1 = sentence.tgt or (0, 0)
            if any(a < s1 and b > s0 for a, b in src) or any(a < t1 and b > t0 for a, b in tgt):
                found.append(index)
        return found

    def action_next_hit(self, direction: int) -> None:
        hits = self.hit_sentences()
        if not hits:
            self.notify("No search hits in this article.", severity="warning")
            return
        cursor = self.view.cursor
        if direction > 0:
            target = next((i for i in hits if i > cursor), hits[0])
        else:
            target = next((i for i in reversed(hits) if i < cursor), hits[-1])
        self.view.move_cursor(target)

    def action_toggle_entities(self) -> None:
        self.view.set_show_entities(not self.view.show_entities)
        self._show_legend()

    def on_aligned_view_cursor_moved(self, _: AlignedView.CursorMoved) -> None:
        self._update_status()

    # -- translation -----------------------------------------------------------------------------------
    def _ensure_translation(self) -> None:
        if self.article is None or self.translation is not None or self._job is not None:
            return
        if self.article.lang == self.target:
            self._set_notice(Text(f"This article is already in {self.target}; nothing to translate."))
            if self.doc is not None:
                self.doc.pending = "·"
                self.view.rebuild()
            return
        self._translate()

    def _translate(self) -> None:
        library, article, target = self.app.library, self.article, self.target
        assert library is not None and article is not None
        job = self._job = Job("translate")
        self._arrived = 0
        self._set_notice(None)
        if self.doc is not None:
            self.doc.pending = "…"
        self.query_one(JobBar).start(f"Translating {article.lang} → {target}…")
        report = job.progress_to(self)

        def on_sentence(paragraph: int, index: int, pair: Any) -> None:
            if not job.cancel.cancelled:  # cancelled also when the reader closed: nobody to tell
                self.post_message(SentenceArrived(job.id, paragraph, index, pair))

        self.background(
            lambda: core.translate_article(library, article, target, progress=report, cancel=job.cancel,
                                           on_sentence=on_sentence),
            self._translated, group="translate", exclusive=True, failed=self._translate_failed,
        )
        self._update_status()

    def on_sentence_arrived(self, message: SentenceArrived) -> None:
        if self._job is None or message.job_id != self._job.id or self.doc is None:
            return
        paragraphs = self.doc.paragraphs
        while len(paragraphs) <= message.paragraph:
            paragraphs.append([])
        row = paragraphs[message.paragraph]
        pair = message.pair
        while len(row) <= message.index:
            row.append(Sentence((pair.src_start, pair.src_end)))
        sentence = row[message.index]
        sentence.src = (pair.src_start, pair.src_end)
        sentence.target = pair.target
        sentence.flag = pair.flag
        self._arrived += 1
        # Sentences come in bursts: redraw at most every 100 ms (less often for a long article).
        if not self._flush_pending:
            self._flush_pending = True
            self.set_timer(0.1 if len(paragraphs) < 40 else 0.4, self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        if self.doc is not None:
            self.doc.assemble_translation()
            self.view.rebuild()
            self._update_status()

    def on_job_progress(self, message: JobProgress) -> None:
        if self._job is not None and message.job_id == self._job.id:
            self.query_one(JobBar).show(message.progress)

    def _translated(self, translation: Any) -> None:
        self._job = None
        self.query_one(JobBar).finish()
        assert self.article is not None
        self.translation = translation
        self.route = list(translation.route)
        doc = _doc_from_translation(self.article, translation, self.target)
        if self.doc is not None:
            doc.src_marks = self.doc.src_marks
        self.doc = doc
        self.view.set_doc(doc)
        self._update_status()
        if translation.flagged:
            self.notify(f"{translation.flagged} sentence(s) flagged ({FLAG_MARK}): check them against the original.",
                        severity="warning")
        self._after_translation()

    def _translate_failed(self, err: BaseException) -> None:
        self._job = None
        self.query_one(JobBar).finish()
        if self.doc is not None:
            self.doc.pending = "·"
            self._flush()
        if core.is_missing_package(err):
            notice = Text("⚠ ", style="bold")
            notice.append(one_line(str(err)))
            notice.append("\n  Press m to see installed packages.", style="dim")
            self._set_notice(notice)
            self.notify(one_line(str(err)), title="Missing language package", severity="error", markup=False)
        elif isinstance(err, Cancelled):
            self._set_notice(Text(f"Translation cancelled after {self._arrived} sentence(s). "
                                  "Press t or s to start again."))
        else:
            self.app.show_error(err)
            self._set_notice(Text(one_line(f"Translation failed: {err}")))
        self._update_status()

    def _after_translation(self) -> None:
        """Find names in the new translation layer, mark hits, and index it, in the background."""
        library, article, target, query = self.app.library, self.article, self.target, self.query_text
        assert library is not None and article is not None
        doc = self.doc
        assert doc is not None
        text = doc.translation_text
        session, app = self.app.search_session, self.app  # `self.app` is not for worker threads

        def work() -> list[tuple[int, int, str]]:
            try:
                core.analyse_article(library, article)
            except Exception as err:  # noqa: BLE001 - names are a bonus; the translation is already shown
                app.log_exception(err)
            marks = _marks(core.mentions(library, article.id, target), core.match_spans(text, target, query))
            core.sync_index(library)
            if session is not None:
                session.refresh()
            return marks

        def done(marks: list[tuple[int, int, str]]) -> None:
            if self.doc is doc:
                doc.tgt_marks = marks
                self.view.rebuild()

        self.background(work, done, group="post-translation", failed=self.app.log_exception)

    def _analyse(self) -> None:
        """No entity mentions stored yet for this article: find them now (first use loads the models)."""
        library, article, query = self.app.library, self.article, self.query_text
        if library is None or article is None or self._analysing:
            return
        self._analysing = True
        self._update_status()

        def work() -> list[Any]:
            if core.ensure_analysed(library, article):
                core.sync_index(library)
            return core.mentions(library, article.id, "original")

        def done(mentions: list[Any]) -> None:
            self._analysing = False
            if self.doc is not None and self.article is not None:
                self.doc.src_marks = _marks(mentions, core.match_spans(self.doc.text, self.article.lang, query))
                self.view.rebuild()
            self._update_status()

        def failed(err: BaseException) -> None:
            self._analysing = False
            self._update_status()

        self.background(work, done, group="entities", exclusive=True, failed=failed)

    def action_cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel.cancel()
            self.query_one(JobBar).start("Cancelling…", cancellable=False)

    def action_back(self) -> None:
        if self._job is not None:
            self.action_cancel_job()
            return
        self.dismiss()

    def on_unmount(self) -> None:
        if self._job is not None:
            self._job.cancel.cancel()

    # -- side panels -----------------------------------------------------------------------------------
    def action_entities(self) -> None:
        from tui.app.screens.entities import EntityScreen

        title = self.article.title if self.article else self.article_id
        self.app.push_screen(EntityScreen(self.article_id, title))

    def action_related(self) -> None:
        from tui.app.screens.entities import RelatedScreen

        title = self.article.title if self.article else self.article_id
        self.app.push_screen(RelatedScreen(self.article_id, title))

    # -- status lines ----------------------------------------------------------------------------------
    def _set_notice(self, notice: Text | None) -> None:
        self._notice = notice
        widget = self.query_one("#notice", Static)
        widget.display = notice is not None
        if notice is not None:
            widget.update(notice)

    def notice_text(self) -> str:
        return self._notice.plain if self._notice is not None else ""

    def _update_status(self) -> None:
        view = self.view
        parts = [VIEW_NAMES.get(self.mode, self.mode)]
        total = view.sentence_count()
        if total:
            parts.append(f"sentence {view.cursor + 1}/{total}")
        if self.article is not None:
            route = self.route or ([self.article.lang, self.target] if self.article.lang != self.target else [])
            if route:
                parts.append(" → ".join(route))
        if self._job is not None:
            parts.append(f"translating {self._arrived}/{total or '?'}")
        if self.doc is not None:
            flagged = sum(1 for s in self.doc.sentences if s.flag)
            if flagged:
                parts.append(f"{FLAG_MARK} {flagged} flagged")
        if self._analysing:
            parts.append("finding names…")
        self.query_one("#reader-status", Static).update(Text(" · ".join(parts)))

    def _show_legend(self) -> None:
        view = self.view
        legend = Text()
        if view.show_entities:
            for kind in core.ENTITY_TYPES:
                legend.append(f" {kind} ", style=view.get_component_rich_style(f"aligned--{kind.lower()}"))
                legend.append(" ")
        legend.append(" hit ", style=view.get_component_rich_style("aligned--hit"))
        legend.append(f"  {FLAG_MARK} flagged", style=view.get_component_rich_style("aligned--flag"))
        self.query_one("#legend", Static).update(legend)
