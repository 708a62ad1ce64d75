"""Batched CTranslate2 over installed Argos packages: load each model once, sort sentences by length, batch.

Why not `argostranslate.translate.translate()`: it calls the model about once per sentence (32-token batches)
at beam 4, returns joined text (no sentence alignment), pivots silently, and its decode turns "_" into spaces.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.errors import DiglotError
from tui.machine import usable_cores
from tui.paths import Paths
from tui.progress import CancelToken
from tui.translate.packages import PackageInfo, argos_package_module

Result = tuple[str | None, str | None]  # (target text or None, flag or None)
OnResult = Callable[[int, str | None, str | None], None]


def default_threads() -> int:
    """One parallel batch per usable core, at most 4: CTranslate2 shares the weights between its workers, so
    more threads cost little memory, and a sorted batch splits into sub-batches of equal work."""
    return min(4, usable_cores())


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """Knobs of the batched path. Only `beam_size` and `compute_type` change the output (the cache key)."""

    beam_size: int = 2
    compute_type: str = "int8"
    intra_threads: int = 1  # 0 ("all cores") sometimes stalls for seconds on small machines
    inter_threads: int = field(default_factory=default_threads)  # batches decoded in parallel
    # Padded source tokens (sentences x longest) per translate_batch call; progress and cancel between calls.
    # Measured on the Argos-size bench model (docs/PERFORMANCE.md): 1024-8192 all land within noise of each
    # other once sentences are sorted by length; the cost is the model's, not the batching's.
    max_batch_tokens: int = 4096
    max_batch_size: int = 256  # sentences per call
    length_penalty: float = 0.2  # as Argos

    def cache_signature(self) -> str:
        return f"beam={self.beam_size};ct={self.compute_type}"


class Engine:
    """One loaded package. `batch_calls` counts translate_batch calls (tests assert the cache avoids them)."""

    def __init__(self, info: PackageInfo, options: TranslateOptions, paths: Paths | None = None) -> None:
        import ctranslate2

        assert info.path is not None
        package = argos_package_module(paths)
        self.info = info
        self.options = options
        hint = f"Reinstall it with `diglot models install FILE.argosmodel` (translate-{info.from_code}_{info.to_code})."
        try:
            self.pkg = package.Package(info.path)
            tokenizer = getattr(self.pkg, "tokenizer", None)
            if not hasattr(tokenizer, "lazy_processor"):
                raise DiglotError(f"The package {info.pair} has no SentencePiece model (older BPE packages are "
                                  f"not supported). {hint}")
            self.processor = tokenizer.lazy_processor()  # sentencepiece, loaded once
            self.translator = ctranslate2.Translator(
                str(info.path / "model"), device="cpu", compute_type=options.compute_type,
                intra_threads=options.intra_threads, inter_threads=options.inter_threads,
            )
        except (OSError, RuntimeError, ValueError) as err:
            raise DiglotError(f"The package {info.pair} does not load ({' '.join(str(err).split())[:160]}). "
                              f"{hint}") from err
        self.target_prefix: str = self.pkg.target_prefix or ""
        self.batch_calls = 0
        self.lock = threading.Lock()  # one translate_batch at a time per model (the UI and a CLI job)

    def translate(
        self, sentences: Sequence[str], *, options: TranslateOptions | None = None,
        cancel: CancelToken | None = None, on_result: OnResult | None = None,
    ) -> list[Result]:
        """Translate sentences; results in input order. `on_result(i, target, flag)` fires as batches finish."""
        opts = options or self.options
        results: list[Result | None] = [None] * len(sentences)
        tokens: list[list[str]] = [[] for _ in sentences]
        nonempty = [i for i, s in enumerate(sentences) if s.strip()]
        if nonempty:  # one SentencePiece call for all sentences
            for i, toks in zip(nonempty, self.processor.encode([sentences[i] for i in nonempty], out_type=str),
                               strict=True):
                tokens[i] = toks

        def done(index: int, result: Result) -> None:
            results[index] = result
            if on_result:
                on_result(index, *result)

        order = []
        for index, toks in enumerate(tokens):
            if toks:
                order.append(index)
            else:
                done(index, (None, "empty"))
        order.sort(key=lambda i: len(tokens[i]))
        for batch in self._batches(order, tokens, opts):
            if cancel:
                cancel.check()
            for index, result in zip(batch, self._run([tokens[i] for i in batch], opts), strict=True):
                done(index, result)
        return [r if r is not None else (None, "failed") for r in results]

    def _batches(self, order: list[int], tokens: list[list[str]], opts: TranslateOptions) -> list[list[int]]:
        batches: list[list[int]] = []
        current: list[int] = []
        for index in order:
            # Sorted ascending, so the last sentence is the longest: padded cost = count * longest.
            if current and (
                len(current) >= opts.max_batch_size
                or (len(current) + 1) * len(tokens[index]) > opts.max_batch_tokens
            ):
                batches.append(current)
                current = []
            current.append(index)
        if current:
            batches.append(current)
        return batches

    def _run(self, batch: list[list[str]], opts: TranslateOptions) -> list[Result]:
        longest = max(len(t) for t in batch)
        prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
        threads = max(1, self.options.inter_threads)  # fixed when the model was loaded
        kwargs: dict[str, Any] = dict(
            target_prefix=prefix, beam_size=opts.beam_size, num_hypotheses=1, replace_unknowns=True,
            length_penalty=opts.length_penalty,
            # A bound relative to the input: a runaway model stops instead of decoding 256+ steps.
            max_decoding_length=2 * longest + 10 + (1 if self.target_prefix else 0),
            # Split the call so inter_threads > 1 decodes sub-batches in parallel.
            max_batch_size=max(1, -(-len(batch) // threads)), batch_type="examples", return_scores=False,
        )
        with self.lock:
            self.batch_calls += 1
            try:
                outputs = self.translator.translate_batch(batch, **kwargs)
            except (RuntimeError, ValueError):
                outputs = None
        if outputs is None:  # retry one by one so a single bad sentence only fails itself
            return [self._run_one(toks, kwargs) for toks in batch]
        bound = kwargs["max_decoding_length"]
        hyps = [self._strip_prefix(out.hypotheses[0]) for out in outputs]
        texts = self.processor.decode_pieces(hyps) if hyps else []  # one call for the batch
        return [self._result(src, hyp, text, bound) for src, hyp, text in zip(batch, hyps, texts, strict=True)]

    def _run_one(self, toks: list[str], kwargs: dict[str, Any]) -> Result:
        one = dict(kwargs, target_prefix=[[self.target_prefix]] if self.target_prefix else None,
                   max_decoding_length=2 * len(toks) + 10 + (1 if self.target_prefix else 0), max_batch_size=1)
        with self.lock:
            self.batch_calls += 1
            try:
                out = self.translator.translate_batch([toks], **one)[0]
            except (RuntimeError, ValueError):
                return (None, "failed")
        return self._decode(toks, out.hypotheses[0], one["max_decoding_length"])

    def _strip_prefix(self, output: list[str]) -> list[str]:
        if self.target_prefix and output and output[0] == self.target_prefix:
            return output[1:]
        return output

    def _decode(self, source: list[str], output: list[str], bound: int) -> Result:
        output = self._strip_prefix(output)
        return self._result(source, output, self.processor.decode_pieces(output), bound)

    def _result(self, source: list[str], output: list[str], text: str, bound: int) -> Result:
        # decode_pieces, not Argos's tokenizer.decode, which also turns every "_" into a space.
        text = text.replace("\u2581", " ").strip()
        if not text:
            return (None, "empty")
        return (text, judge(source, output, bound))


def judge(source: list[str], output: list[str], bound: int) -> str | None:
    """Flag outputs that are probably garbage: a repetition loop, or far longer than the input."""
    if _max_repeats(output) >= 4 and _max_repeats(output) > _max_repeats(source) + 2:
        return "repetition"
    if len(output) >= bound - 1 or len(output) > 3 * len(source) + 8:
        return "too_long"
    return None


def _max_repeats(tokens: list[str], max_n: int = 6) -> int:
    """The most consecutive repetitions of any n-gram (n <= max_n) in tokens."""
    best = 1
    length = len(tokens)
    for n in range(1, max_n + 1):
        i = 0
        while i + 2 * n <= length:
            count = 1
            while i + (count + 1) * n <= length and tokens[i + count * n : i + (count + 1) * n] == tokens[i : i + n]:
                count += 1
            best = max(best, count)
            i += max(1, (count - 1) * n) if count > 1 else 1
    return best


# -- loaded models, kept for the life of the process --------------------------------------------------------
_engines: dict[tuple[str, str, int, int], Engine] = {}
_engines_lock = threading.Lock()


def get_engine(info: PackageInfo, options: TranslateOptions, paths: Paths | None = None) -> Engine:
    """The loaded model for a package (loaded on first use, then reused)."""
    key = (info.fingerprint, options.compute_type, options.intra_threads, options.inter_threads)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None or engine.info.path != info.path:
            engine = Engine(info, options, paths)
            _engines[key] = engine
        return engine  # beam and batch sizes are per call: pass options to translate()


def loaded_engines() -> list[Engine]:
    with _engines_lock:
        return list(_engines.values())


def total_batch_calls() -> int:
    """Model calls made so far by every loaded engine (tests: a cached article makes none)."""
    return _unloaded_calls + sum(e.batch_calls for e in loaded_engines())


_unloaded_calls = 0


def unload_all() -> None:
    global _unloaded_calls
    with _engines_lock:
        _unloaded_calls += sum(e.batch_calls for e in _engines.values())
        _engines.clear()
