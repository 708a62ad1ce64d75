"""Index worker processes: Whoosh's analysis is pure Python, so a second core needs a second process.

The parent (the one Whoosh writer, holding the write lock) reads the articles from the store and sends each
worker ready-made index documents; a worker analyses them into a segment of its own and, when asked, finishes
the segment and hands back the segment object and the words it saw. The parent commits the workers' segments
together with its own deletions (`commit_segments`) and only then marks the articles indexed.

Why not Whoosh's MpWriter: it forks, and a forked child inherits the parent's open SQLite connections (one
closed in a child can checkpoint or remove the WAL under the parent). Here a worker is a fresh interpreter
(`python -m tui.search.index_pool`, no inherited descriptors, no re-run of the caller's main script) that never
opens the library at all: it only sees the documents sent to it. An earlier version in which the workers read the
articles themselves through read-only connections made a crash test find the library "malformed".

Protocol: length-prefixed pickle frames (both ends are this module). Parent -> worker: ("docs", [doc, ...]),
("finish", None). Worker -> parent: ("done", n) after each "docs"; ("segment", (segment or None, {lang: words}))
after each "finish".
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from tui.errors import DiglotError

STOP_GRACE = 2.0  # seconds a worker gets to exit on its own before it is killed
_HEADER = struct.Struct("<Q")

Doc = dict[str, Any]


class PoolError(DiglotError):
    """A worker process failed; the articles stay stale for the next sync."""


def _frame(message: object) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


class _Worker:
    def __init__(self, proc: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self.proc = proc
        self.errors = errors
        self.jobs: deque[int] = deque()  # sizes of the jobs sent, not yet answered
        assert proc.stdout is not None
        self.fd = proc.stdout.fileno()
        self.buffer = bytearray()  # our own buffer over the raw pipe (a selector sees only the pipe)

    def fill(self) -> None:
        """Read what the pipe holds (blocks until something comes)."""
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            try:
                self.proc.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                pass
            raise PoolError(f"An indexing worker stopped ({self.reason()}); run the import again.")
        self.buffer += chunk

    def has_message(self) -> bool:
        if len(self.buffer) < _HEADER.size:
            return False
        (size,) = _HEADER.unpack_from(self.buffer)
        return len(self.buffer) >= _HEADER.size + size

    def take(self) -> tuple[str, Any]:
        (size,) = _HEADER.unpack_from(self.buffer)
        body = bytes(self.buffer[_HEADER.size : _HEADER.size + size])
        del self.buffer[: _HEADER.size + size]
        message: tuple[str, Any] = pickle.loads(body)  # noqa: S301 - our own worker, our own pipe
        return message

    def receive(self) -> tuple[str, Any]:
        while not self.has_message():
            self.fill()
        return self.take()

    def send(self, op: str, payload: object) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(_frame((op, payload)))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as err:
            raise PoolError(f"An indexing worker stopped ({self.reason()}); run the import again.") from err

    def reason(self) -> str:
        """The last line the worker wrote to stderr (its exception), else its exit status."""
        try:
            self.errors.seek(0)
            lines = [x for x in self.errors.read().decode("utf-8", "replace").splitlines() if x.strip()]
        except (OSError, ValueError):
            lines = []
        if lines:
            return lines[-1][:200]
        code = self.proc.poll()
        return f"exit status {code}" if code is not None else "no answer"


class IndexPool:
    """Worker processes for one sync; `with IndexPool(...) as pool:` always stops them, also on errors.

    Work is handed out as jobs of documents built on demand (`make_docs(ids)`, called in this process when a
    worker has room), so a long queue of ids costs no memory for documents.
    """

    def __init__(
        self, index_dir: Path, make_docs: Callable[[list[str]], list[Doc]], *, procs: int, limitmb: int,
        job: int = 100, outstanding: int = 4,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.make_docs = make_docs
        self.procs = procs
        self.limitmb = limitmb
        self.job = job
        self.outstanding = outstanding
        self.workers: list[_Worker] = []
        self._selector = selectors.DefaultSelector()
        self._queue: deque[list[str]] = deque()
        self.done = 0  # documents the workers have analysed in the current batch

    def __enter__(self) -> IndexPool:
        try:
            for _ in range(self.procs):
                self.workers.append(self._start())
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        import tui

        env = dict(os.environ)
        # The worker imports the same `tui` package as this process (also when run from a checkout).
        root = str(Path(tui.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        errors = tempfile.TemporaryFile()
        proc = subprocess.Popen(  # noqa: S603 - our own module, run by our own interpreter
            [sys.executable, "-m", "tui.search.index_pool", str(os.getpid()), str(self.index_dir),
             str(self.limitmb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, close_fds=True, env=env, bufsize=0,
        )
        worker = _Worker(proc, errors)
        assert proc.stdout is not None
        self._selector.register(proc.stdout, selectors.EVENT_READ, worker)
        return worker

    def close(self) -> None:
        """Stop every worker: end of input first, then SIGKILL for any still busy or slow."""
        for worker in self.workers:
            try:
                if worker.proc.stdin is not None:
                    worker.proc.stdin.close()
            except OSError:
                pass
        deadline = time.monotonic() + STOP_GRACE
        for worker in self.workers:
            if worker.jobs:  # busy (cancel, error): do not wait for it to finish its job
                worker.proc.kill()
            try:
                worker.proc.wait(timeout=max(0.05, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.proc.kill()
                worker.proc.wait()
            if worker.proc.stdout is not None:
                worker.proc.stdout.close()
            worker.errors.close()
        self.workers = []
        self._selector.close()

    # -- jobs ---------------------------------------------------------------------------------------------
    def submit(self, ids: list[str]) -> None:
        """Queue articles for the current batch; returns at once."""
        self._queue.extend(ids[i : i + self.job] for i in range(0, len(ids), self.job))
        self._dispatch()

    def poll(self, timeout: float = 0.0) -> None:
        """Take the answers that are ready (waiting up to `timeout`) and hand out more jobs."""
        if not any(w.has_message() for w in self.workers):
            for key, _ in self._selector.select(timeout=timeout):
                key.data.fill()
        for worker in self.workers:
            while worker.jobs and worker.has_message():
                op, count = worker.take()
                if op != "done":
                    raise PoolError(f"An indexing worker answered {op!r}; run the import again.")
                worker.jobs.popleft()
                self.done += count
        self._dispatch()

    def busy(self) -> bool:
        return bool(self._queue) or any(w.jobs for w in self.workers)

    def collect(self, wait: Callable[[], None] | None = None) -> tuple[list[Any], dict[str, set[str]]]:
        """Wait for the batch; returns the new segments and the words seen. `wait()` runs between polls
        (progress, cancel checks). The segments are complete on disk but in no index: the caller commits them
        (or they stay orphans, removed by Whoosh's next commit)."""
        while self.busy():
            self.poll(0.2)
            if wait is not None:
                wait()
        for worker in self.workers:
            worker.send("finish", None)
        segments: list[Any] = []
        vocab: dict[str, set[str]] = {}
        for worker in self.workers:
            op, payload = worker.receive()
            if op != "segment":
                raise PoolError(f"An indexing worker answered {op!r}; run the import again.")
            segment, words = payload
            if segment is not None:
                segments.append(segment)
            for code, found in words.items():
                vocab.setdefault(code, set()).update(found)
        self.done = 0
        return segments, vocab

    def _dispatch(self) -> None:
        """Hand queued jobs to the least busy workers (each segment gets a fair share)."""
        while self._queue:
            worker = min(self.workers, key=lambda w: len(w.jobs))
            if len(worker.jobs) >= self.outstanding:
                return
            docs = self.make_docs(self._queue.popleft())
            worker.jobs.append(len(docs))
            worker.send("docs", docs)


def commit_segments(writer: SegmentWriter, segments: list[Any], *, merge: bool) -> None:
    """Commit `writer` (its deletions, its own documents if any) together with the workers' segments.

    MpWriter's multisegment commit, minus its processes: the merge policy runs over the existing segments only.
    """
    finalsegments = writer._merge_segments(None, None, merge)  # noqa: SLF001
    finalsegments += segments
    if writer._added:  # noqa: SLF001 - the merge policy merged small segments into this writer
        finalsegments.append(writer._finalize_segment())  # noqa: SLF001
    else:
        writer._close_segment()  # noqa: SLF001
    writer._commit_toc(finalsegments)  # noqa: SLF001
    writer._finish()  # noqa: SLF001


# -- the worker process ---------------------------------------------------------------------------------------
def _die_with_parent(parent: int) -> None:
    """Ctrl+C is the parent's to handle; and a worker never outlives its parent (SIGKILLed parent included)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent was already gone before the call above
        os._exit(1)


def _worker_writer(ix: FileIndex, limitmb: int) -> tuple[SegmentWriter, dict[str, set[str]]]:
    from tui.search.fused import install
    from tui.search.indexer import _attach_vocab, _bulk_lengths

    # No Whoosh lock (the parent holds it); a scratch folder of our own (Whoosh's default "MAIN.tmp" is shared
    # by every writer and removed by whichever finishes first).
    storage = ix.storage
    scratch = f"w{os.getpid()}.tmp"
    storage.temp_storage = lambda name=None: type(storage)(os.path.join(storage.folder, scratch)).create()
    writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
    _bulk_lengths(writer)
    install(writer.schema)  # this writer's schema is never saved (the parent commits): no undo needed
    return writer, _attach_vocab(writer)


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    data = stream.read(size)
    if len(data) < size:
        return None  # end of input: the parent stopped
    return data


def _worker(parent: int, index_dir: Path, limitmb: int) -> int:
    from tui.search.indexer import open_index

    _die_with_parent(parent)
    ix = open_index(index_dir)
    stdin, out = sys.stdin.buffer, sys.stdout.buffer
    writer: SegmentWriter | None = None
    vocab: dict[str, set[str]] = {}
    while True:
        header = _read_exactly(stdin, _HEADER.size)
        if header is None:
            break
        body = _read_exactly(stdin, _HEADER.unpack(header)[0])
        if body is None:
            break
        op, payload = pickle.loads(body)  # noqa: S301 - our own parent, our own pipe
        if op == "docs":
            if writer is None:
                writer, vocab = _worker_writer(ix, limitmb)
            for doc in payload:
                writer.add_document(**doc)
            answer: tuple[str, Any] = ("done", len(payload))
        elif op == "finish":
            segment = None
            if writer is not None:
                if writer.doc_count():
                    segment = writer._finalize_segment()  # noqa: SLF001
                else:
                    writer._close_segment()  # noqa: SLF001
                writer._tempstorage.destroy()  # noqa: SLF001
                writer = None
            answer = ("segment", (segment, {k: v for k, v in vocab.items() if v}))
            vocab = {}
        else:
            raise ValueError(f"unknown message {op!r}")
        out.write(_frame(answer))
        out.flush()
    # End of input without "finish": the parent stopped (cancel, error); nothing of ours is committed.
    if writer is not None:
        writer._close_segment()  # noqa: SLF001
        writer._tempstorage.destroy()  # noqa: SLF001
    return 0


if __name__ == "__main__":
    raise SystemExit(_worker(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
