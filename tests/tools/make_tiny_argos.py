# Provenance: copied on 2026-11-21 from the team's shared tools (/work/shared/tools/make_tiny_argos.py), written
# for the Diglot project (no third-party code; its SentencePiece corpus is original text written for it).
# Licence: the project's (MIT). Owned by the translation room's tests: edit it here, not the shared copy.
# Unchanged from the shared version except for these comment lines.
#!/usr/bin/env python3
"""Build a tiny but *real* Argos Translate package (.argosmodel) fully offline.

The package is a zip with one top-level folder holding:
  metadata.json        (type "translate", from/to codes and names, versions)
  sentencepiece.model  (trained here on a small built-in French/English corpus)
  model/               (a real CTranslate2 Transformer: config.json, model.bin,
                        shared_vocabulary.json) built from numpy weights
  minisbd/rule_sbd.onnx  (default --sbd minisbd: a 1.3 KB rule-based ONNX model in
                        MiniSBD's format, so argostranslate's DEFAULT sentence
                        splitter works offline: splits after . ! ? ... followed by
                        a space/end.  Without it argostranslate downloads
                        <lang>.onnx from GitHub on the first translate().)
  spacy/               (--sbd spacy instead: blank spaCy "xx" pipeline, no components;
                        only used with ARGOS_CHUNK_TYPE=SPACY)
  README.md

The Transformer weights are hand-constructed (not trained) so that the model
*copies its input*: for every source SentencePiece token it emits the same
token, then </s>.  So, with the argostranslate API,
    translate("Le chat dort.", "fr", "en") == "Le chat dort."
(modulo SentencePiece normalisation and argostranslate's decode, which turns
"_" into " ").  Optionally --map SRC=TGT substitutes pieces (e.g. --map chat=cat
gives "Le cat dort."), and --marker "[EN]" adds a fixed first output piece.

How the copy works (1 encoder + 1 decoder layer, 1 head, d_model = E + P):
  * token subspace (E dims): each vocab id v has a random zero-mean unit code C[v]
  * position subspace (P dims): custom position-encoding table; pos(t) is a
    zero-mean unit vector built from mirrored sin/cos pairs, so that
    pos(t).pos(s) == 1 iff t == s and <= ~0.6 otherwise.
  * encoder: x_s = C[src_s] + pos(s); all attention/FFN output weights are 0,
    so the encoder output is just LayerNorm(x_s).
  * decoder: target embeddings are 0, so y_t = pos(t); cross-attention
    queries/keys read the position subspace (scaled by ALPHA -> hard attention
    on source position t), values read the token subspace -> C[src_t].
    The output projection row for token v is BETA * C[v] -> argmax = src_t.
  * config add_source_eos=True appends </s> to the source, so at t = n the
    decoder copies </s> and stops.
  Every vector is zero-mean, so LayerNorm only rescales it.

Usage:
  python make_tiny_argos.py OUT.argosmodel [--from fr] [--to en] [--sbd minisbd|spacy|none]
Library:
  from make_tiny_argos import build_argosmodel
  build_argosmodel("out/fr_en.argosmodel", "fr", "en")

Needs: numpy, sentencepiece, ctranslate2 (+ spacy only for --sbd spacy,
+ onnx only for --regen-sbd).
Output is deterministic (fixed seed, fixed zip timestamps).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

LANG_NAMES = {
    "fr": "French", "en": "English", "de": "German", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "ru": "Russian",
    "zh": "Chinese", "ja": "Japanese", "ar": "Arabic", "pl": "Polish",
}

# Small built-in corpus (written for this script) used to train SentencePiece.
CORPUS = """\
Le gouvernement a annoncé mardi une nouvelle réforme des retraites.
Les syndicats appellent à la grève dans toute la France jeudi prochain.
La ville de Paris accueille un grand festival de musique cet été.
Le président de la République s'est exprimé devant l'Assemblée nationale.
Des orages violents ont frappé le sud du pays pendant le week-end.
La Banque centrale européenne maintient ses taux d'intérêt inchangés.
Les prix de l'énergie continuent d'augmenter dans toute l'Europe.
Un nouveau musée ouvrira ses portes à Lyon au printemps prochain.
Les élèves passent le baccalauréat à partir de lundi matin.
Le chat dort sur le canapé pendant que le chien joue dans le jardin.
Selon le ministère, le chômage a baissé de deux points cette année.
Les agriculteurs manifestent contre la baisse des prix du lait.
Une entreprise française a présenté une voiture électrique moins chère.
Le match de football s'est terminé sur un score nul, un partout.
Les scientifiques observent une hausse des températures dans les océans.
Bonjour à tous, voici les nouvelles du jour et la météo de demain.
Il fera beau et chaud sur la côte, avec quelques nuages au nord.
The government announced a new pension reform on Tuesday.
Unions are calling for a strike across the country next Thursday.
The city hosts a large music festival this summer.
Violent storms hit the south of the country over the weekend.
Energy prices keep rising across Europe, according to the ministry.
The cat sleeps on the sofa while the dog plays in the garden.
Hello everyone, here is the news of the day and tomorrow's weather.
Vraiment ? Oui ! Non ; peut-être : « bien sûr » (voir page 12) [note] – 3,5 % — 10 € ou 20 $.
0 1 2 3 4 5 6 7 8 9 "quote" 'apostrophe' / \\ & @ # * + = < > _ ~ | { } … “ ” ‘ ’
À Â Ä Ç É È Ê Ë Î Ï Ô Ö Ù Û Ü Ÿ Œ Æ à â ä ç é è ê ë î ï ô ö ù û ü ÿ œ æ ñ ß Zürich Straße
"""

# Construction constants (see module docstring).
E_DIM = 48          # token-code subspace
N_FREQ = 16         # position subspace = 4 * N_FREQ dims (sin/cos, mirrored)
ALPHA = 30.0        # query scale -> sharpness of the hard cross-attention
BETA = 10.0         # output projection scale -> logit margin
FFN_DIM = 4         # FFN weights are all zero; keep them tiny


# Rule-based sentence splitter in MiniSBD's ONNX format (inputs "units" int64 [B,N],
# "features" float [B,N,F]; output logits [B,N,5]; metadata: config/vocab/lexicon).
# Graph: logits = Gather(base, units) + 4*[class 2] where char in {. ! ? …} and the
# next unit is " " or <PAD>.  Regenerate with `--regen-sbd FILE` (needs `pip install onnx`).
RULE_SBD_ONNX_B64 = """
CAgSDXRpbnktcnVsZS1zYmQ6vAYKJQoEYmFzZQoFdW5pdHMSAWIiBkdhdGhlcioLCgRheGlzGACg
AQIKJQoEdGVybQoFdW5pdHMSAXQiBkdhdGhlcioLCgRheGlzGACgAQIKJgoFc3BhY2UKBXVuaXRz
EgFzIgZHYXRoZXIqCwoEYXhpcxgAoAECCiIKAXMKA29uZQoDYmlnCgNheDESB3NfbmV4dDAiBVNs
aWNlCjkKB3NfbmV4dDAKBHBhZHMKBnBhZHZhbBIGc19uZXh0IgNQYWQqEwoEbW9kZSIIY29uc3Rh
bnSgAQMKGgoBdAoGc19uZXh0Eghib3VuZGFyeSIDTXVsChwKCGJvdW5kYXJ5CgRidW1wEgVleHRy
YSIDTXVsChcKAWIKBWV4dHJhEgZsb2dpdHMiA0FkZBIIcnVsZV9zYmQqmwEIBwgFEAFCBGJhc2VK
jAEAAAAAAACAPwAAAAAAAAAAAAAAAAAAAAAAAIA/AAAAAAAAAAAAAAAAAAAAAAAAgD8AAAAAAAAA
AAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAAAAAAAAAAIA/AAAAAAAAAAAAAAAAAAAAAAAAgD8AAAAA
AAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAACoqCAcIARABQgR0ZXJtShwAAAAAAAAAAAAAAAAA
AIA/AACAPwAAgD8AAIA/KisIBwgBEAFCBXNwYWNlShwAAIA/AAAAAAAAgD8AAAAAAAAAAAAAAAAA
AAAAKiQIAQgBCAUQAUIEYnVtcEoUAAAAAAAAAAAAAIBAAAAAAAAAAAAqEwgBEAdCA29uZUoIAQAA
AAAAAAAqEwgBEAdCA2JpZ0oIAAAAAAAAAEAqEwgBEAdCA2F4MUoIAQAAAAAAAAAqPAgGEAdCBHBh
ZHNKMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAACoQEAFC
BnBhZHZhbEoEAACAP1oZCgV1bml0cxIQCg4IBxIKCgMSAUIKAxIBTlohCghmZWF0dXJlcxIVChMI
ARIPCgMSAUIKAxIBTgoDEgFGYh4KBmxvZ2l0cxIUChIIARIOCgMSAUIKAxIBTgoCCAVCBAoAEA1y
DwoJbGFuZ19jb2RlEgJ4eHKpAQoGY29uZmlnEp4BeyJza2lwX25ld2xpbmUiOiBmYWxzZSwgIm1h
eF9zZXFsZW4iOiAxMDAwLCAibm9fc3NwbGl0IjogZmFsc2UsICJiYXRjaF9zaXplIjogMzIsICJm
ZWF0X2Z1bmNzIjogWyJzcGFjZV9iZWZvcmUiXSwgInVzZV9kaWN0aW9uYXJ5IjogZmFsc2UsICJu
dW1fZGljdF9mZWF0IjogMH1y0AEKBXZvY2FiEsYBeyJsYW5nIjogInh4IiwgImlkeCI6IDAsICJj
dXRvZmYiOiAwLCAibG93ZXIiOiBmYWxzZSwgIl91bml0MmlkIjogeyI8UEFEPiI6IDAsICI8VU5L
PiI6IDEsICIgIjogMiwgIi4iOiAzLCAiISI6IDQsICI/IjogNSwgIlx1MjAyNiI6IDZ9LCAiX2lk
MnVuaXQiOiBbIjxQQUQ+IiwgIjxVTks+IiwgIiAiLCAiLiIsICIhIiwgIj8iLCAiXHUyMDI2Il19
cg8KB2xleGljb24SBG51bGw=
"""


def build_rule_sbd_onnx() -> bytes:
    """Rebuild RULE_SBD_ONNX_B64 from scratch (requires the `onnx` package)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    id2unit = ["<PAD>", "<UNK>", " ", ".", "!", "?", "\u2026"]
    unit2id = {u: i for i, u in enumerate(id2unit)}
    V = len(id2unit)
    base = np.zeros((V, 5), np.float32)
    base[:, 1] = 1.0                                   # every char ends a token
    term = np.zeros((V, 1), np.float32)
    term[[3, 4, 5, 6], 0] = 1.0
    space = np.zeros((V, 1), np.float32)
    space[[0, 2], 0] = 1.0                             # <PAD> or space
    bump = np.array([[[0, 0, 4.0, 0, 0]]], np.float32)
    inits = [numpy_helper.from_array(a, n) for a, n in [
        (base, "base"), (term, "term"), (space, "space"), (bump, "bump"),
        (np.array([1], np.int64), "one"), (np.array([2**62], np.int64), "big"),
        (np.array([1], np.int64), "ax1"), (np.array([0, 0, 0, 0, 1, 0], np.int64), "pads"),
        (np.array(1.0, np.float32), "padval")]]
    nodes = [
        helper.make_node("Gather", ["base", "units"], ["b"], axis=0),
        helper.make_node("Gather", ["term", "units"], ["t"], axis=0),
        helper.make_node("Gather", ["space", "units"], ["s"], axis=0),
        helper.make_node("Slice", ["s", "one", "big", "ax1"], ["s_next0"]),
        helper.make_node("Pad", ["s_next0", "pads", "padval"], ["s_next"], mode="constant"),
        helper.make_node("Mul", ["t", "s_next"], ["boundary"]),
        helper.make_node("Mul", ["boundary", "bump"], ["extra"]),
        helper.make_node("Add", ["b", "extra"], ["logits"]),
    ]
    g = helper.make_graph(
        nodes, "rule_sbd",
        [helper.make_tensor_value_info("units", TensorProto.INT64, ["B", "N"]),
         helper.make_tensor_value_info("features", TensorProto.FLOAT, ["B", "N", "F"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "N", 5])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="tiny-rule-sbd")
    m.ir_version = 8
    config = {"skip_newline": False, "max_seqlen": 1000, "no_ssplit": False, "batch_size": 32,
              "feat_funcs": ["space_before"], "use_dictionary": False, "num_dict_feat": 0}
    vocab = {"lang": "xx", "idx": 0, "cutoff": 0, "lower": False, "_unit2id": unit2id, "_id2unit": id2unit}
    for k, v in {"lang_code": "xx", "config": json.dumps(config), "vocab": json.dumps(vocab),
                 "lexicon": "null"}.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(m)
    return m.SerializeToString()


def train_sentencepiece(corpus: str, vocab_size: int, user_symbols=()) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    lines = [l for l in corpus.splitlines() if l.strip()]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 3),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,          # small corpus: vocab may be < vocab_size
        normalization_rule_name="identity",  # keeps the model ~1 KB (nmt_nfkc adds ~240 KB)
        user_defined_symbols=list(user_symbols),
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


def _token_codes(vocab_size: int, rng) -> np.ndarray:
    c = rng.standard_normal((vocab_size, E_DIM))
    c -= c.mean(axis=1, keepdims=True)          # zero-mean rows
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    g = c @ c.T
    np.fill_diagonal(g, -1)
    coh = g.max()
    assert coh < 0.8, f"token codes too coherent ({coh:.2f}); raise E_DIM"
    return c


def _position_codes(max_positions: int) -> np.ndarray:
    # Frequencies pi*frac(sqrt(prime)): "incommensurate", so no two positions
    # < max_positions get similar codes (max off-diagonal dot ~0.62 for 16 freqs).
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89]
    w = np.pi * (np.sqrt(np.array(primes[:N_FREQ], dtype=np.float64)) % 1.0)
    t = np.arange(max_positions)[:, None] * w[None, :]
    half = np.concatenate([np.cos(t), np.sin(t)], axis=1)
    p = np.concatenate([half, -half], axis=1)   # mirrored -> exactly zero-mean
    p /= np.linalg.norm(p, axis=1, keepdims=True)
    return p


def _check_position_margin(p: np.ndarray, span: int = 1100) -> float:
    n = min(len(p), span)
    g = p[:n] @ p[:n].T
    np.fill_diagonal(g, -1)
    return float(g.max())


def build_ct2_model(vocab: list[str], out_dir: str, *, mapping: dict[int, int] | None = None,
                    max_positions: int = 1024, seed: int = 1234,
                    quantization: str | None = None, add_source_bos: bool = False) -> None:
    import ctranslate2
    from ctranslate2.specs import transformer_spec

    V = len(vocab)
    rng = np.random.default_rng(seed)
    C = _token_codes(V, rng)
    P = _position_codes(max_positions)
    coh_pos = _check_position_margin(P)
    assert coh_pos < 0.75, f"position codes too coherent ({coh_pos:.2f})"
    Pd = P.shape[1]
    D = E_DIM + Pd
    tok = slice(0, E_DIM)
    pos = slice(E_DIM, D)
    f32 = np.float32

    spec = transformer_spec.TransformerSpec.from_config(num_layers=1, num_heads=1)
    spec.config.add_source_eos = True
    spec.config.add_source_bos = add_source_bos

    def ln(l):
        l.gamma = np.ones(D, f32)
        l.beta = np.zeros(D, f32)

    def zero_linear(l, n_out, n_in):
        l.weight = np.zeros((n_out, n_in), f32)

    pe = np.zeros((max_positions, D), f32)
    pe[:, pos] = P

    # ---- encoder: identity (embeddings + positions, then final LayerNorm)
    enc = spec.encoder
    emb = np.zeros((V, D), f32)
    emb[:, tok] = C
    enc.embeddings[0].weight = emb
    enc.scale_embeddings = False
    enc.position_encodings.encodings = pe
    ln(enc.layer_norm)
    for layer in enc.layer:
        ln(layer.self_attention.layer_norm)
        zero_linear(layer.self_attention.linear[0], 3 * D, D)
        zero_linear(layer.self_attention.linear[1], D, D)
        ln(layer.ffn.layer_norm)
        zero_linear(layer.ffn.linear_0, FFN_DIM, D)
        zero_linear(layer.ffn.linear_1, D, FFN_DIM)

    # ---- decoder: zero target embeddings, hard positional cross-attention
    dec = spec.decoder
    dec.embeddings.weight = np.zeros((V, D), f32)
    dec.scale_embeddings = False
    dec.position_encodings.encodings = pe.copy()
    ln(dec.layer_norm)
    for layer in dec.layer:
        ln(layer.self_attention.layer_norm)
        zero_linear(layer.self_attention.linear[0], 3 * D, D)
        zero_linear(layer.self_attention.linear[1], D, D)
        att = layer.attention
        ln(att.layer_norm)
        wq = np.zeros((D, D), f32)
        wq[pos, pos] = ALPHA * np.eye(Pd)
        wkv = np.zeros((2 * D, D), f32)
        wkv[:D][pos, pos] = np.eye(Pd)                  # keys: positions
        wkv[D:][tok, tok] = np.eye(E_DIM)               # values: token codes
        wo = np.zeros((D, D), f32)
        wo[tok, tok] = np.eye(E_DIM)
        att.linear[0].weight = wq
        att.linear[1].weight = wkv
        att.linear[2].weight = wo
        ln(layer.ffn.layer_norm)
        zero_linear(layer.ffn.linear_0, FFN_DIM, D)
        zero_linear(layer.ffn.linear_1, D, FFN_DIM)

    proj_codes = np.zeros((V, E_DIM))
    mapping = mapping or {}
    for u in range(V):
        proj_codes[mapping.get(u, u)] += C[u]            # source u -> target f(u)
    proj = np.zeros((V, D), f32)
    proj[:, tok] = BETA * proj_codes
    dec.projection.weight = proj
    dec.projection.bias = np.zeros(V, f32)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)

    class _SpecConverter(ctranslate2.converters.Converter):
        def _load(self):
            return spec

    _SpecConverter().convert(out_dir, quantization=quantization, force=True)


def build_argosmodel(output: str | os.PathLike, from_code: str = "fr", to_code: str = "en", *,
                     vocab_size: int = 200, sbd: str = "minisbd", spacy_lang: str = "xx", mapping: dict[str, str] | None = None,
                     marker: str | None = None, max_positions: int = 1024, seed: int = 1234,
                     quantization: str | None = None, package_version: str = "0.0.1",
                     corpus: str = CORPUS) -> Path:
    """Write a tiny copy-model .argosmodel to `output` and return its path."""
    import sentencepiece as spm

    output = Path(output)
    name = f"translate-{from_code}_{to_code}-tiny"
    mapping = dict(mapping or {})
    user_symbols = []
    if marker:
        user_symbols.append(marker)
    # Mapped strings become SentencePiece user-defined symbols, so they are always
    # single pieces ("chat" inside "chateau" is split out too: this is a test toy).
    for src, tgt in mapping.items():
        for w in (src, tgt):
            if w not in user_symbols and not w.startswith("\u2581"):
                user_symbols.append(w)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        root.mkdir()
        sp_bytes = train_sentencepiece(corpus, vocab_size, user_symbols)
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        assert vocab[:3] == ["<unk>", "<s>", "</s>"], vocab[:3]
        idx = {p: i for i, p in enumerate(vocab)}
        id_map = {}
        for src, tgt in mapping.items():
            if src not in idx or tgt not in idx:
                raise SystemExit(f"--map pieces must be in the vocab: {src!r}->{tgt!r}; "
                                 f"e.g. {vocab[3:40]}")
            id_map[idx[src]] = idx[tgt]
        if marker:
            id_map[idx["<s>"]] = idx[marker]            # BOS copied -> marker piece
        build_ct2_model(vocab, str(root / "model"), mapping=id_map, max_positions=max_positions,
                        seed=seed, quantization=quantization, add_source_bos=bool(marker))
        metadata = {
            "package_name": f"tiny {from_code}->{to_code} copy model (tests)",
            "package_version": package_version,
            "argos_version": "1.9.0",
            "from_code": from_code,
            "from_name": LANG_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": LANG_NAMES.get(to_code, to_code),
            "type": "translate",
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
        (root / "README.md").write_text(
            "Tiny synthetic Argos Translate package for offline tests. "
            "The CTranslate2 model copies its SentencePiece input tokens.\n")
        # Package() picks ONE sbd folder: minisbd/ > stanza/ > spacy/ (so never ship both).
        if sbd == "minisbd":
            import base64
            (root / "minisbd").mkdir()
            (root / "minisbd" / "rule_sbd.onnx").write_bytes(base64.b64decode(RULE_SBD_ONNX_B64))
        elif sbd == "spacy":
            import spacy
            # Blank pipeline, *no* components: argostranslate's SpacySentencizerSmall
            # calls nlp.add_pipe("sentencizer") itself (E007 if one already exists).
            # "xx" (multi-language) is ~80 KB; spacy.blank("fr") is ~1.5 MB (tokenizer exceptions).
            spacy.blank(spacy_lang).to_disk(root / "spacy")
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp_zip = output.with_suffix(output.suffix + ".part")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).rglob("*")):
                arc = path.relative_to(tmp).as_posix()
                zi = zipfile.ZipInfo(arc + ("/" if path.is_dir() else ""), date_time=(1980, 1, 1, 0, 0, 0))
                if path.is_dir():
                    zi.external_attr = (0o40755 << 16) | 0x10
                    zf.writestr(zi, b"")
                else:
                    zi.external_attr = 0o644 << 16
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(zi, path.read_bytes())
        os.replace(tmp_zip, output)
    return output


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", nargs="?", help="path of the .argosmodel to write")
    ap.add_argument("--from", dest="from_code", default="fr")
    ap.add_argument("--to", dest="to_code", default="en")
    ap.add_argument("--vocab-size", type=int, default=200)
    ap.add_argument("--sbd", choices=["minisbd", "spacy", "none"], default="minisbd",
                    help="sentence splitter shipped in the package (default: 1.3 KB rule-based MiniSBD onnx)")
    ap.add_argument("--spacy-lang", default="xx", help="language of the blank spaCy pipeline (--sbd spacy)")
    ap.add_argument("--regen-sbd", metavar="FILE", help="rebuild the rule SBD onnx into FILE (needs onnx) and exit")
    ap.add_argument("--map", action="append", default=[], metavar="SRC=TGT",
                    help="substitute a word/piece, e.g. chat=cat (both become SentencePiece user symbols)")
    ap.add_argument("--marker", default=None, help="extra piece emitted first, e.g. '[EN]'")
    ap.add_argument("--max-positions", type=int, default=1024)
    ap.add_argument("--quantization", default=None, help="e.g. float16, int8 (default float32)")
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args(argv)
    if a.regen_sbd:
        Path(a.regen_sbd).write_bytes(build_rule_sbd_onnx())
        return
    if not a.output:
        ap.error("output path required")
    mapping = dict(m.split("=", 1) for m in a.map)
    t0 = time.perf_counter()
    out = build_argosmodel(a.output, a.from_code, a.to_code, vocab_size=a.vocab_size,
                           sbd=a.sbd, spacy_lang=a.spacy_lang, mapping=mapping, marker=a.marker,
                           max_positions=a.max_positions, seed=a.seed, quantization=a.quantization)
    print(f"wrote {out} ({out.stat().st_size} bytes) in {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    main()
