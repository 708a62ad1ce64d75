"""Cleanup of scraped text: the two seed articles paragraph by paragraph, and each repair rule on its own."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.library.cleanup import clean, drop_repeat, ends_sentence, normalise
from tui.library.importers.text import split_header
from tui.resources import seeds_dir

FRENCH_SEED = "000_2d6c18cd48965ace.txt"
ITALIAN_SEED = "002_555e5ba141d07459.txt"

# Proofread by hand against the file: every sentence of the original is here once, in order; the sentences
# cut across blank lines are whole again; "pacifisme traditionnel." and "déploiement des forces." appear once.
# The last paragraph starts in lowercase after a complete sentence: text is missing in the source itself, and
# nothing can be joined without inventing it, so it stays as it is.
FRENCH_CLEANED = [
    "Le Japon et la France ont déclaré vendredi qu'ils souhaitaient approfondir leur coopération bilatérale "
    "après avoir convenu au début du mois d'accélérer les discussions sur un cadre d'exercices militaires "
    "conjoints, Paris espérant faire pression pour obtenir des accords d'accès réciproques.",
    "S'exprimant à la veille d'un sommet du Groupe des Sept dans la ville japonaise d'Hiroshima, le Premier "
    "ministre Fumio Kishida a déclaré qu'il s'agissait d'une occasion de développer un \"partenariat "
    'exceptionnel".',
    "Au début du mois, les ministres des deux alliés avaient donné pour instruction à leurs ministères "
    "respectifs d'accélérer les progrès sur les points suivants des discussions ... pour un cadre permanent qui "
    "améliorerait les procédures administratives, juridiques et politiques pour mener des exercices militaires "
    "conjoints.",
    "Cette décision intervient après que le Japon a annoncé, en décembre, son plus important renforcement "
    "militaire depuis la Seconde Guerre mondiale, s'éloignant ainsi de son pacifisme traditionnel.",
    "Le Japon a signé des accords d'accès réciproque (RAA) avec l'Australie et le Royaume-Uni.",
    "Ces accords créent des cadres destinés à faciliter la coopération militaire, notamment en facilitant "
    "l'entrée de personnel et d'équipement étrangers pour la force en visite.",
    "Le ministre français de la défense, Sébastien Lecornu, a déclaré le mois dernier que Paris espérait "
    "conclure des RAA avec le Japon, ce qui permettrait aux deux parties de renforcer leur opérabilité et leurs "
    "échanges militaires.",
    '"Je souhaite également que nous puissions poursuivre la feuille de route bilatérale définie ensemble, qui '
    "a été finalisée, ce qui nous permettra de rendre notre coopération bilatérale encore plus forte pour les "
    "années à venir\", a déclaré le président Emmanuel Macron avant de s'entretenir avec M. Kishida.",
    "Tokyo a cherché à renforcer les liens en matière de défense en raison des inquiétudes suscitées par la "
    "Chine, notamment ses pressions sur Taïwan, la liberté de navigation dans la région et les différends "
    "commerciaux.",
    "Le Japon et la France ont déjà organisé de nombreux exercices militaires conjoints au cours des dernières "
    "années, de manière bilatérale et dans le cadre d'un groupe plus large.",
    "Les deux pays ont également convenu de renforcer leur coopération en matière d'équipements et de "
    "technologies de défense, en mettant l'accent sur la nouvelle génération d'équipements de détection des "
    "mines.",
    "La France possède des territoires d'outre-mer dans l'Indo-Pacifique et des forces armées stationnées dans "
    "la région. Elle a cherché à développer sa présence dans l'Indo-Pacifique.",
    "Elle souhaite également souligner comment elle peut jouer un rôle plus important dans l'industrie de la "
    "défense japonaise, comme elle l'a fait dans le secteur de l'énergie nucléaire civile, alors que M. Kishida "
    "adopte une politique militaire plus musclée dans la région.",
    "Après avoir signé des accords de coopération en matière de défense avec Canberra et Londres, le Japon "
    "pourrait en signer un avec les Philippines. Ces accords devraient permettre un déploiement plus rapide des "
    "forces armées lors d'exercices militaires conjoints et en cas de catastrophes naturelles.",
    "Un représentant du ministère japonais des affaires étrangères a refusé de qualifier le cadre que les "
    'gouvernements français et japonais sont en train de mettre en place de "cadre de coopération".',
    "que les gouvernements français et japonais travaillent à l'élaboration d'un RAA, mais il a indiqué qu'ils "
    "accéléraient les pourparlers en vue de rationaliser les processus administratifs liés au déploiement des "
    "forces.",
]


def _seed(name: str) -> str:
    return (seeds_dir() / name).read_text(encoding="utf-8")


def test_french_seed_cleaned_exactly() -> None:
    meta, body = split_header(_seed(FRENCH_SEED))
    assert meta == {"date": "2023-05"}
    assert clean(body, "fr") == FRENCH_CLEANED


def test_french_seed_keeps_every_word_but_the_repeats() -> None:
    """Nothing lost: the words of the source minus the two repeated fragments are the words of the result."""
    _, body = split_header(_seed(FRENCH_SEED))
    source_words = body.split()
    cleaned_words = " ".join(FRENCH_CLEANED).split()
    repeated = "pacifisme traditionnel.".split() + "déploiement des forces.".split()
    assert len(source_words) - len(cleaned_words) == len(repeated)
    assert " ".join(FRENCH_CLEANED).count("pacifisme traditionnel.") == 1
    assert " ".join(FRENCH_CLEANED).count("déploiement des forces.") == 1


def test_italian_seed_paragraphs_unchanged() -> None:
    text = _seed(ITALIAN_SEED)
    expected = [p.strip() for p in text.split("\n\n") if p.strip()]
    cleaned = clean(text, "it")
    assert cleaned == expected
    assert len(cleaned) == 14
    assert cleaned[4].startswith("Una dichiarazione del governo giapponese") and "l'ARA" in cleaned[4]


def test_whitespace_and_control_characters() -> None:
    raw = "Un\u00a0texte\u202favec   des espaces\r\net\tdes\x07 contr\u00f4les\x1b[31m.\r\n\r\nSuite\u200b ici."
    assert clean(raw, "fr") == ["Un texte avec des espaces et des contrôles[31m.", "Suite ici."]


def test_nfc_and_old_mac_line_endings() -> None:
    assert clean("Cafe\u0301 noir.\r\rDeuxième.", "fr") == ["Café noir.", "Deuxième."]


def test_sentence_cut_across_blank_line_is_joined() -> None:
    raw = "Le ministre a déclaré le mois dernier\n\nque Paris espérait un accord.\n\nAutre paragraphe."
    assert clean(raw, "fr") == [
        "Le ministre a déclaré le mois dernier que Paris espérait un accord.",
        "Autre paragraphe.",
    ]


def test_capitalised_paragraph_after_unfinished_one_is_not_joined() -> None:
    """A heading (no final punctuation) followed by a sentence stays two paragraphs."""
    raw = "Politique étrangère\n\nLe Japon et la France."
    assert clean(raw, "fr") == ["Politique étrangère", "Le Japon et la France."]


def test_repeated_fragment_at_cut_is_dropped_once() -> None:
    raw = "Il s'éloigne de son pacifisme traditionnel.\n\npacifisme traditionnel. Le Japon a signé."
    assert clean(raw, "fr") == ["Il s'éloigne de son pacifisme traditionnel.", "Le Japon a signé."]


def test_paragraph_repeating_the_end_of_the_previous_is_dropped() -> None:
    raw = "Les pourparlers portent sur le déploiement des forces.\n\ndéploiement des forces."
    assert clean(raw, "fr") == ["Les pourparlers portent sur le déploiement des forces."]


def test_whole_paragraph_repeated_is_dropped() -> None:
    assert clean("Same paragraph here.\n\nSame paragraph here.\n\nNext one.", "en") == [
        "Same paragraph here.",
        "Next one.",
    ]


def test_repeat_inside_a_cut_sentence_then_joined() -> None:
    raw = "He said on Monday that the\n\nthat the talks would resume."
    assert clean(raw, "en") == ["He said on Monday that the talks would resume."]


def test_single_word_echo_is_not_a_repeat() -> None:
    """One repeated word is normal prose, not scraping damage."""
    assert drop_repeat("It rained in Paris.", "Paris. The city") == "Paris. The city"
    assert drop_repeat("Tout va bien,", "bien, merci") == "bien, merci"


def test_name_said_twice_is_not_a_repeat() -> None:
    """Sentence-per-line text: a headline ending with a name, then a sentence starting with it."""
    raw = (
        "Patrick Dwyer scored twice for the Giants against the Dundee Stars\n"
        "Dundee Stars won the return game on Saturday.\nIt was their third win."
    )
    assert clean(raw, "en") == raw.split("\n")
    raw = "Due gol per i Giants contro i Dundee\nI Dundee Stars hanno vinto sabato.\nTerza vittoria."
    assert clean(raw, "it") == raw.split("\n")


def test_repeat_must_match_whole_words() -> None:
    assert drop_repeat("Le mot est préforces armées.", "forces armées. Puis") == "forces armées. Puis"


def test_orphan_line_rejoins_its_sentence() -> None:
    raw = "M. Kishida adopte une politique plus musclée\n\ndans la région.\n\nAprès cela, rien."
    assert clean(raw, "fr") == ["M. Kishida adopte une politique plus musclée dans la région.", "Après cela, rien."]


def test_one_paragraph_per_line() -> None:
    """JSON corpora often put one paragraph per line with no blank line between."""
    raw = "First sentence here.\nSecond one starts here.\nA subheading without full stop\nThird paragraph."
    assert clean(raw, "en") == [
        "First sentence here.",
        "Second one starts here.",
        "A subheading without full stop",
        "Third paragraph.",
    ]


def test_hard_wrapped_prose_is_unwrapped() -> None:
    raw = (
        "The harbour reopened on Tuesday after a storm had damaged\n"
        "two of its piers last week, the port authority said in a\n"
        "statement.\n\nFerries resume on Friday."
    )
    assert clean(raw, "en") == [
        "The harbour reopened on Tuesday after a storm had damaged two of its piers last week, the port "
        "authority said in a statement.",
        "Ferries resume on Friday.",
    ]


def test_list_items_stay_apart() -> None:
    assert clean("Points to note\n- first item\n- second item", "en") == [
        "Points to note",
        "- first item",
        "- second item",
    ]


def test_closing_quotes_end_sentences() -> None:
    assert ends_sentence("« C'est trop horrible. »")
    assert ends_sentence("Das liegt bei den Mitgliedern selbst.“")
    assert ends_sentence('He said "no."')
    assert not ends_sentence("sur les points suivants")
    raw = "Er sagte: „Wir bleiben hier.“\nDie Sitzung endete."
    assert clean(raw, "de") == ["Er sagte: „Wir bleiben hier.“", "Die Sitzung endete."]


def test_comma_continuation_joins_without_space() -> None:
    assert clean("il criait qu'il avait été mordu\n,\net qu'il saignait.", "fr") == [
        "il criait qu'il avait été mordu, et qu'il saignait."
    ]


def test_chinese_lines_join_without_space() -> None:
    assert clean("日本和法国周五表示希望深化双边合作并加快讨论联合军事演习的\n框架。", "zh") == [
        "日本和法国周五表示希望深化双边合作并加快讨论联合军事演习的框架。"
    ]


def test_empty_and_blank_text() -> None:
    assert clean("", "en") == []
    assert clean(" \n\u00a0\n\t\r\n\x00", "en") == []


def test_normalise_keeps_newlines_only() -> None:
    assert normalise("a\x00b\x0bc\x7fd\x85e") == "ab\ncd\ne"


def test_hostile_markup_is_kept_literally() -> None:
    raw = "[bold red]not markup[/] <script>alert(1)</script> '); DROP TABLE articles; --"
    assert clean(raw, "en") == [raw]


def test_cleanup_is_idempotent_on_seeds() -> None:
    for name, lang in ((FRENCH_SEED, "fr"), (ITALIAN_SEED, "it")):
        once = clean(split_header(_seed(name))[1], lang)
        assert clean("\n\n".join(once), lang) == once


def test_seeds_exist() -> None:
    assert Path(seeds_dir(), FRENCH_SEED).is_file() and Path(seeds_dir(), ITALIAN_SEED).is_file()


_PIECES = st.sampled_from(
    list("abc ABC.,!?\n\n\n\t\u00a0\x00\x1b-…»«\"'") + ["pacifisme traditionnel.", "Le ", "que ", "- ", "日本"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_cleanup_properties(raw: str) -> None:
    """Paragraphs are never empty, never padded, single-line, free of control characters; cleaning the
    cleaned text again changes nothing."""
    out = clean(raw, "fr")
    for paragraph in out:
        assert paragraph and paragraph == paragraph.strip() and "\n" not in paragraph and "  " not in paragraph
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in paragraph)
    assert clean("\n\n".join(out), "fr") == out
