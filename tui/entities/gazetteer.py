"""Known names: CLDR countries and regions, a GeoNames city list, a few organisations, events, titles and dates.

Everything is keyed by a token tuple (see `tokens()`), case-folded, so that one matcher serves every language.
Built once per process (about 0.1 s) and shared.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from tui.resources import assets_dir

LANGS = ("fr", "it", "en", "de", "es")

# Word tokens (letters/digits) and single punctuation marks; apostrophes split elisions (l'Australie).
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN_RE.finditer(text.replace("\u2019", "'")))


def fold(text: str) -> str:
    """Lower case without accents: 'Pékin' -> 'pekin'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def key(text: str) -> tuple[str, ...]:
    return tuple(m.group(0).casefold() for m in tokens(text))


@dataclass(frozen=True, slots=True)
class Entry:
    """What a known name links to."""

    id: str
    type: str
    name: str  # display name (English where known)
    rank: int = 0  # lower wins when two entries claim the same name


# Extra names CLDR does not give, per country code (any language; all link to place:CODE).
COUNTRY_EXTRAS: dict[str, list[str]] = {
    "GB": [
        "Grande-Bretagne",
        "Gran Bretagna",
        "Great Britain",
        "Britain",
        "Großbritannien",
        "Gran Bretaña",
        "UK",
        "Royaume Uni",
        "Regno unito",
        "Vereinigte Königreich",
        "Vereinigten Königreich",
        "Vereinigten Königreichs",
    ],
    "US": [
        "USA",
        "U.S.",
        "U.S.A.",
        "Etats-Unis",
        "Stati Uniti d'America",
        "United States of America",
        "EE.UU.",
        "Vereinigten Staaten",
        "Vereinigte Staaten",
    ],
    "NL": ["Hollande", "Olanda", "Holland", "Holanda"],
    "CD": [
        "RDC",
        "RDC Congo",
        "République démocratique du Congo",
        "Repubblica Democratica del Congo",
        "Democratic Republic of the Congo",
        "DR Congo",
    ],
    "KR": ["Corée", "Corea", "Korea"],
    "CN": [
        "Chine populaire",
        "République populaire de Chine",
        "Repubblica Popolare Cinese",
        "People's Republic of China",
    ],
    "RU": ["Russie", "Russland", "Fédération de Russie", "Federazione Russa", "Russian Federation"],
    "VA": ["Vatican", "Vaticano", "Vatikan", "Santa Sede", "Saint-Siège", "Holy See"],
    "CZ": ["République tchèque", "Repubblica Ceca", "Czech Republic"],
    "CI": ["Côte d'Ivoire", "Costa d'Avorio", "Ivory Coast"],
    "TW": ["Taïwan", "Taiwan"],
    "MK": ["Macédoine", "Macedonia", "Mazedonien"],
    "IR": ["Perse"],
    "MM": ["Birmanie", "Birmania", "Burma"],
    "AE": ["Emirats arabes unis", "Émirats", "Emirati"],
}

# Sub-national and supranational places (id, type, display name, names in any language).
PLACES: list[tuple[str, str, list[str]]] = [
    (
        "place:indo-pacific",
        "Indo-Pacific",
        [
            "Indo-Pacifique",
            "Indo-Pacifico",
            "Indo-Pacific",
            "Indopazifik",
            "Indo-Pazifik",
            "Indo-Pacífico",
            "Indopacifico",
        ],
    ),
    (
        "place:middle-east",
        "Middle East",
        ["Moyen-Orient", "Medio Oriente", "Middle East", "Nahost", "Naher Osten", "Oriente Medio", "Mideast"],
    ),
    ("place:near-east", "Near East", ["Proche-Orient", "Vicino Oriente", "Near East", "Oriente Próximo"]),
    (
        "place:asia-pacific",
        "Asia-Pacific",
        ["Asie-Pacifique", "Asia-Pacifico", "Asia-Pacific", "Asien-Pazifik", "Asia-Pacífico"],
    ),
    ("place:balkans", "Balkans", ["Balkans", "Balcani", "Balkan", "Balcanes"]),
    ("place:sahel", "Sahel", ["Sahel"]),
    ("place:arctic", "Arctic", ["Arctique", "Artico", "Arctic", "Arktis", "Ártico"]),
    ("place:scandinavia", "Scandinavia", ["Scandinavie", "Scandinavia", "Skandinavien", "Escandinavia"]),
    ("place:GB-ENG", "England", ["Angleterre", "Inghilterra", "England", "Inglaterra"]),
    ("place:GB-SCT", "Scotland", ["Écosse", "Ecosse", "Scozia", "Scotland", "Schottland", "Escocia"]),
    ("place:GB-WLS", "Wales", ["Pays de Galles", "Galles", "Wales", "Gales"]),
    (
        "place:GB-NIR",
        "Northern Ireland",
        ["Irlande du Nord", "Irlanda del Nord", "Northern Ireland", "Nordirland", "Irlanda del Norte"],
    ),
    ("place:crimea", "Crimea", ["Crimée", "Crimea", "Krim"]),
    (
        "place:gaza",
        "Gaza",
        ["Gaza", "Bande de Gaza", "Striscia di Gaza", "Gaza Strip", "Gazastreifen", "Franja de Gaza"],
    ),
    ("place:kashmir", "Kashmir", ["Cachemire", "Kashmir", "Kaschmir", "Cachemira"]),
    (
        "place:pacific-ocean",
        "Pacific Ocean",
        [
            "Pacifique",
            "Pacifico",
            "Pacific",
            "Pazifik",
            "Pacífico",
            "océan Pacifique",
            "Oceano Pacifico",
            "Pacific Ocean",
        ],
    ),
    ("place:atlantic-ocean", "Atlantic Ocean", ["Atlantique", "Atlantico", "Atlantic", "Atlantik", "Atlántico"]),
    (
        "place:mediterranean",
        "Mediterranean",
        ["Méditerranée", "Mediterraneo", "Mediterranean", "Mittelmeer", "Mediterráneo"],
    ),
    (
        "place:south-china-sea",
        "South China Sea",
        [
            "mer de Chine méridionale",
            "Mar Cinese Meridionale",
            "South China Sea",
            "Südchinesisches Meer",
            "Mar de China Meridional",
        ],
    ),
    ("place:silicon-valley", "Silicon Valley", ["Silicon Valley"]),
    ("place:wall-street", "Wall Street", ["Wall Street"]),
]

ORGS: list[tuple[str, str, list[str]]] = [
    (
        "org:g7",
        "G7",
        [
            "G7",
            "G-7",
            "Groupe des Sept",
            "Groupe des sept",
            "Gruppo dei Sette",
            "Group of Seven",
            "Gruppe der Sieben",
            "Grupo de los Siete",
        ],
    ),
    ("org:g20", "G20", ["G20", "G-20", "Groupe des Vingt", "Gruppo dei Venti", "Group of Twenty"]),
    (
        "org:un",
        "United Nations",
        [
            "ONU",
            "UN",
            "Organisation des Nations unies",
            "Organizzazione delle Nazioni Unite",
            "Vereinten Nationen",
            "Organización de las Naciones Unidas",
        ],
    ),
    ("org:nato", "NATO", ["OTAN", "NATO", "Alliance atlantique", "Alleanza Atlantica"]),
    ("org:eu", "European Union", ["UE", "EU", "Union Européenne", "Unione Europea"]),
    (
        "org:european-commission",
        "European Commission",
        [
            "Commission européenne",
            "Commissione europea",
            "European Commission",
            "Europäische Kommission",
            "Comisión Europea",
        ],
    ),
    (
        "org:european-parliament",
        "European Parliament",
        [
            "Parlement européen",
            "Parlamento europeo",
            "European Parliament",
            "Europäisches Parlament",
            "Europaparlament",
        ],
    ),
    (
        "org:ecb",
        "European Central Bank",
        [
            "BCE",
            "ECB",
            "EZB",
            "Banque centrale européenne",
            "Banca centrale europea",
            "European Central Bank",
            "Europäische Zentralbank",
            "Banco Central Europeo",
        ],
    ),
    (
        "org:imf",
        "International Monetary Fund",
        [
            "FMI",
            "IMF",
            "IWF",
            "Fonds monétaire international",
            "Fondo monetario internazionale",
            "International Monetary Fund",
            "Internationaler Währungsfonds",
            "Fondo Monetario Internacional",
        ],
    ),
    (
        "org:who",
        "World Health Organization",
        [
            "OMS",
            "WHO",
            "Organisation mondiale de la santé",
            "Organizzazione mondiale della sanità",
            "World Health Organization",
            "Weltgesundheitsorganisation",
            "Organización Mundial de la Salud",
        ],
    ),
    (
        "org:wto",
        "World Trade Organization",
        [
            "OMC",
            "WTO",
            "Organisation mondiale du commerce",
            "Organizzazione mondiale del commercio",
            "World Trade Organization",
            "Welthandelsorganisation",
            "Organización Mundial del Comercio",
        ],
    ),
    ("org:world-bank", "World Bank", ["Banque mondiale", "Banca Mondiale", "World Bank", "Weltbank", "Banco Mundial"]),
    (
        "org:white-house",
        "White House",
        ["Maison Blanche", "Maison-Blanche", "Casa Bianca", "White House", "Weißes Haus", "Weiße Haus", "Casa Blanca"],
    ),
    ("org:kremlin", "Kremlin", ["Kremlin", "Cremlino", "Kreml"]),
    ("org:pentagon", "Pentagon", ["Pentagone", "Pentagono", "Pentagon", "Pentágono"]),
    ("org:fbi", "FBI", ["FBI"]),
    ("org:cia", "CIA", ["CIA"]),
    ("org:nasa", "NASA", ["NASA"]),
    ("org:opec", "OPEC", ["OPEP", "OPEC", "OPEC+"]),
    ("org:bbc", "BBC", ["BBC"]),
    ("org:reuters", "Reuters", ["Reuters"]),
    ("org:afp", "AFP", ["AFP", "Agence France-Presse"]),
    ("org:ap", "Associated Press", ["Associated Press"]),
    ("org:interpol", "Interpol", ["Interpol"]),
    ("org:google", "Google", ["Google"]),
    ("org:facebook", "Facebook", ["Facebook"]),
    ("org:twitter", "Twitter", ["Twitter"]),
    ("org:amazon", "Amazon", ["Amazon"]),
    ("org:apple", "Apple", ["Apple"]),
    ("org:microsoft", "Microsoft", ["Microsoft"]),
    (
        "org:us-congress",
        "US Congress",
        ["Congrès américain", "Congresso americano", "Congresso degli Stati Uniti", "US Congress", "U.S. Congress"],
    ),
    ("org:us-senate", "US Senate", ["Sénat américain", "Senato americano", "US Senate", "U.S. Senate"]),
]
# Companies and media that news names by one word (the id is the slug of the name).
COMPANIES = """Airbus Alibaba Alitalia Amazon Apple Audi Barclays BMW Boeing BP Citroën Daimler Disney Enel ENI
    Ericsson Facebook Ferrari Fiat Gazprom Google Honda HSBC Huawei IBM Ikea Instagram Intel Lufthansa Mediaset
    Mercedes-Benz Michelin Microsoft Motorola Netflix Nike Nintendo Nissan Nokia Novartis Oracle Peugeot Pfizer
    Porsche Qualcomm Renault Ryanair Samsung Shell Siemens Sony Spotify Tesla Toyota Uber UniCredit Volkswagen
    Volvo WhatsApp YouTube Snapchat Sainsbury's Tesco Walmart McDonald's Starbucks Coca-Cola PepsiCo Nestlé
    Danone L'Oréal LVMH TotalEnergies Vodafone CNN Bloomberg RAI Rai Euronews""".split()
MEDIA = [
    "New York Times",
    "Washington Post",
    "Wall Street Journal",
    "Financial Times",
    "Le Monde",
    "Le Figaro",
    "Libération",
    "Corriere della Sera",
    "La Repubblica",
    "La Stampa",
    "Il Sole 24 Ore",
    "The Guardian",
    "Daily Mail",
    "The Times",
    "Der Spiegel",
    "El País",
    "Fox News",
    "Goldman Sachs",
    "JPMorgan",
    "Deutsche Bank",
    "Morgan Stanley",
    "General Motors",
    "Ford Motor",
]

OTHERS: list[tuple[str, str, list[str]]] = [
    (
        "other:ww2",
        "Second World War",
        [
            "Seconde Guerre mondiale",
            "Deuxième Guerre mondiale",
            "Seconda guerra mondiale",
            "Second World War",
            "World War II",
            "World War Two",
            "Zweiter Weltkrieg",
            "Zweiten Weltkrieg",
            "Segunda Guerra Mundial",
        ],
    ),
    (
        "other:ww1",
        "First World War",
        [
            "Première Guerre mondiale",
            "Prima guerra mondiale",
            "First World War",
            "World War I",
            "World War One",
            "Ersten Weltkrieg",
            "Erster Weltkrieg",
            "Primera Guerra Mundial",
            "Grande Guerre",
            "Grande Guerra",
        ],
    ),
    (
        "other:cold-war",
        "Cold War",
        ["Guerre froide", "Guerra fredda", "Cold War", "Kalter Krieg", "Kalten Krieg", "Guerra Fría"],
    ),
    ("other:brexit", "Brexit", ["Brexit"]),
    (
        "other:olympics",
        "Olympic Games",
        [
            "Jeux olympiques",
            "Giochi olimpici",
            "Olimpiadi",
            "Olympic Games",
            "Olympics",
            "Olympische Spiele",
            "Juegos Olímpicos",
        ],
    ),
    ("other:raa", "Reciprocal Access Agreement", ["RAA"]),
    ("other:covid-19", "COVID-19", ["Covid-19", "COVID-19", "Covid", "coronavirus"]),
]

# Expansions of acronyms for display and for the acronym-permutation rule (see link.py).
ACRONYM_EXPANSIONS: dict[str, dict[str, list[str]]] = {
    "other:raa": {
        "fr": ["accord d'accès réciproque"],
        "it": ["accordo di accesso reciproco"],
        "en": ["reciprocal access agreement"],
        "de": ["Abkommen über gegenseitigen Zugang"],
        "es": ["acuerdo de acceso recíproco"],
    },
}

# CLDR codes that are not places worth linking ("Monde" is also a newspaper; EZ/QO/ZZ are not entities).
_SKIP_CODES = {"001", "ZZ", "QO", "EZ", "XA", "XB"}
_CODE_AS_ORG = {"EU": "org:eu", "UN": "org:un"}

# Titles that precede a person's name (lower-cased token tuples are built from these).
TITLES: dict[str, list[str]] = {
    "fr": [
        "M.",
        "MM.",
        "Mme",
        "Mmes",
        "Mlle",
        "Dr",
        "Pr",
        "Me",
        "président",
        "présidente",
        "Premier ministre",
        "premier ministre",
        "ministre",
        "général",
        "générale",
        "pape",
        "roi",
        "reine",
        "prince",
        "princesse",
        "sénateur",
        "sénatrice",
        "juge",
        "maire",
        "chancelier",
        "chancelière",
        "secrétaire d'État",
        "porte-parole",
        "ambassadeur",
        "député",
        "députée",
        "patron",
        "entraîneur",
        "monseigneur",
    ],
    "it": [
        "Sig.",
        "Sig.ra",
        "Dott.",
        "Dr.",
        "Prof.",
        "On.",
        "presidente",
        "Presidente",
        "Primo Ministro",
        "primo ministro",
        "premier",
        "ministro",
        "Ministro",
        "papa",
        "Papa",
        "re",
        "regina",
        "principe",
        "principessa",
        "senatore",
        "senatrice",
        "generale",
        "cancelliere",
        "cancelliera",
        "sindaco",
        "giudice",
        "segretario di Stato",
        "portavoce",
        "ambasciatore",
        "deputato",
        "deputata",
        "allenatore",
        "signor",
        "signora",
    ],
    "en": [
        "Mr",
        "Mr.",
        "Mrs",
        "Mrs.",
        "Ms",
        "Ms.",
        "Dr",
        "Dr.",
        "Prof.",
        "President",
        "Prime Minister",
        "Minister",
        "Senator",
        "Sen.",
        "Rep.",
        "Gov.",
        "Governor",
        "Judge",
        "Justice",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "General",
        "Gen.",
        "Secretary",
        "Chancellor",
        "Mayor",
        "Sir",
        "Lord",
        "Lady",
        "Dame",
        "Chairman",
        "Commissioner",
        "Ambassador",
        "Detective",
        "Officer",
        "Sgt.",
        "Coach",
        "president",
        "minister",
        "spokesman",
        "spokeswoman",
    ],
    "de": [
        "Herr",
        "Herrn",
        "Frau",
        "Dr.",
        "Prof.",
        "Präsident",
        "Präsidentin",
        "Bundeskanzlerin",
        "Bundeskanzler",
        "Kanzlerin",
        "Kanzler",
        "Minister",
        "Ministerin",
        "Premierminister",
        "Premierministerin",
        "König",
        "Königin",
        "Papst",
        "Senator",
        "Senatorin",
        "Richter",
        "Richterin",
        "Bürgermeister",
        "Sprecher",
    ],
    "es": [
        "Sr.",
        "Sra.",
        "Dr.",
        "presidente",
        "presidenta",
        "primer ministro",
        "primera ministra",
        "ministro",
        "ministra",
        "rey",
        "reina",
        "papa",
        "senador",
        "senadora",
        "juez",
        "jueza",
        "alcalde",
        "alcaldesa",
        "portavoz",
        "don",
        "doña",
    ],
}

# Words that make a capitalised run an organisation or a place when no list knows it.
ORG_WORDS = {
    "université",
    "universita",
    "università",
    "university",
    "universität",
    "universidad",
    "parti",
    "partito",
    "party",
    "partei",
    "partido",
    "banque",
    "banca",
    "bank",
    "banco",
    "ministère",
    "ministero",
    "ministry",
    "ministerium",
    "ministerio",
    "fédération",
    "federazione",
    "federation",
    "federación",
    "club",
    "fc",
    "ac",
    "società",
    "société",
    "company",
    "inc",
    "ltd",
    "corp",
    "group",
    "groupe",
    "gruppo",
    "gruppe",
    "grupo",
    "association",
    "associazione",
    "asociación",
    "comité",
    "comitato",
    "committee",
    "conseil",
    "consiglio",
    "council",
    "rat",
    "consejo",
    "cour",
    "corte",
    "court",
    "gericht",
    "tribunal",
    "tribunale",
    "commission",
    "commissione",
    "agence",
    "agenzia",
    "agency",
    "agentur",
    "agencia",
    "institut",
    "istituto",
    "institute",
    "instituto",
    "école",
    "scuola",
    "school",
    "schule",
    "escuela",
    "college",
    "collège",
    "académie",
    "accademia",
    "academy",
    "union",
    "unione",
    "unión",
    "league",
    "ligue",
    "lega",
    "liga",
    "assemblée",
    "assemblea",
    "assembly",
    "parlement",
    "parlamento",
    "parliament",
    "parlament",
    "senato",
    "sénat",
    "senate",
    "congress",
    "congrès",
    "congresso",
    "army",
    "armée",
    "esercito",
    "armee",
    "ejército",
    "police",
    "polizia",
    "polizei",
    "policía",
    "journal",
    "times",
    "post",
    "news",
    "press",
    "airlines",
    "records",
    "motors",
    "foundation",
    "fondation",
    "fondazione",
    "stiftung",
    "fundación",
    "orchestra",
    "orchestre",
    "band",
    "team",
    "équipe",
    "squadra",
    "calcio",
    "sporting",
    "juventus",
    "inter",
    "department",
    "département",
    "dipartimento",
    "office",
    "bureau",
    "ufficio",
    "service",
    "servizio",
    "organisation",
    "organizzazione",
    "organization",
}
PLACE_WORDS = {
    "mont",
    "monte",
    "mount",
    "berg",
    "lac",
    "lago",
    "lake",
    "see",
    "fleuve",
    "fiume",
    "river",
    "fluss",
    "río",
    "rio",
    "île",
    "isola",
    "island",
    "insel",
    "isla",
    "îles",
    "isole",
    "islands",
    "golfe",
    "golfo",
    "gulf",
    "mer",
    "mare",
    "sea",
    "meer",
    "mar",
    "val",
    "valle",
    "valley",
    "tal",
    "province",
    "provincia",
    "provinz",
    "région",
    "regione",
    "region",
    "comté",
    "contea",
    "county",
    "cap",
    "capo",
    "cape",
    "baie",
    "baia",
    "bay",
    "canal",
    "canale",
    "détroit",
    "stretto",
    "strait",
    "désert",
    "deserto",
    "desert",
    "piazza",
    "place",
    "rue",
    "via",
    "street",
    "avenue",
    "strasse",
    "straße",
    "calle",
    "parc",
    "parco",
    "park",
    "stazione",
    "gare",
    "station",
    "aéroport",
    "aeroporto",
    "airport",
    "flughafen",
    "aeropuerto",
    "porto",
    "port",
    "puerto",
    "pont",
    "ponte",
    "bridge",
    "brücke",
    "puente",
    "castello",
    "château",
    "castle",
    "palazzo",
    "palais",
    "palace",
    "torre",
    "tour",
    "tower",
    "colline",
    "collina",
    "hill",
    "foresta",
    "forêt",
    "forest",
    "wald",
    "bosque",
    "città",
    "ville",
    "city",
    "stadt",
    "ciudad",
    "comune",
    "commune",
    "quartier",
    "quartiere",
    "district",
    "distretto",
    "borough",
    "museum",
    "musée",
    "museo",
    "teatro",
    "théâtre",
    "theatre",
    "hospital",
    "hôpital",
    "ospedale",
    "church",
    "église",
    "chiesa",
    "kirche",
    "iglesia",
    "océan",
    "oceano",
    "ocean",
    "pic",
    "picco",
    "peak",
    "cathédrale",
    "cattedrale",
    "cathedral",
    "basilique",
    "basilica",
    "abbaye",
    "abbazia",
    "abbey",
    "stade",
    "stadio",
    "stadium",
}


def _city_rows() -> list[tuple[str, int, str, list[str]]]:
    rows = []
    path = assets_dir() / "cities.tsv"
    if not path.exists():
        return rows
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            ident, _cc, pop, name, aliases = line.rstrip("\n").split("\t")
            rows.append((ident, int(pop), name, aliases.split("|")))
    return rows


def _variants(name: str) -> list[str]:
    """'Myanmar (Birmanie)' -> both; 'Congo - Kinshasa' -> 'Congo-Kinshasa'."""
    out = [name]
    match = re.match(r"^(.*?)\s*\((.*)\)$", name)
    if match:
        out = [match.group(1), match.group(2)]
    return out


class Gazetteer:
    """Token-tuple -> Entry, plus the names of each entry per language (aliases for display)."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], Entry] = {}
        self.by_id: dict[str, Entry] = {}
        self.names: dict[str, dict[str, list[str]]] = {}
        self.max_len = 1
        self.first_len: dict[str, int] = {}  # longest key starting with this token: most tokens start none
        # Keys known only from all-capital names (UN, EU): "Un", "Eu" in running text are not them.
        self.upper_only: set[tuple[str, ...]] = set()
        self._build()

    def add(self, name: str, entry: Entry, lang: str | None = None) -> None:
        k = key(name)
        if not k:
            return
        held = self.entries.get(k)
        if name.isupper():
            if held is None:
                self.upper_only.add(k)
        else:
            self.upper_only.discard(k)
        if held is None or entry.rank < held.rank:
            self.entries[k] = entry
            self.max_len = max(self.max_len, len(k))
            self.first_len[k[0]] = max(self.first_len.get(k[0], 0), len(k))
        self.by_id.setdefault(entry.id, entry)
        if lang:
            bucket = self.names.setdefault(entry.id, {}).setdefault(lang, [])
            if name not in bucket:
                bucket.append(name)

    def _build(self) -> None:
        from babel import Locale

        english = Locale("en").territories
        for lang in LANGS:
            for code, name in Locale(lang).territories.items():
                if code in _SKIP_CODES or code.startswith("Q") and len(code) == 2:
                    continue
                if code in _CODE_AS_ORG:
                    ident = _CODE_AS_ORG[code]
                    entry = Entry(ident, "ORG", english[code], 0)
                else:
                    entry = Entry(f"place:{code}", "PLACE", english.get(code, name), 1 if code.isalpha() else 2)
                for variant in _variants(name):
                    self.add(variant, entry, lang)
                    if " - " in variant:
                        self.add(variant.replace(" - ", "-"), entry, lang)
        for code, extras in COUNTRY_EXTRAS.items():
            entry = Entry(f"place:{code}", "PLACE", english[code], 1)
            for name in extras:
                self.add(name, entry)
        for name in COMPANIES + MEDIA:
            self.add(name, Entry(f"org:{slug(name)}", "ORG", name, 3))
        for table, etype in ((PLACES, "PLACE"), (ORGS, "ORG"), (OTHERS, "OTHER")):
            for ident, display, names in table:
                entry = Entry(ident, etype, display, 0)
                for name in names:
                    self.add(name, entry)
        for ident, pop, name, aliases in _city_rows():
            # Countries (rank 1) win over cities of the same name; bigger cities win over smaller ones.
            entry = Entry(ident, "PLACE", name, 10 if pop >= 1_000_000 else 20)
            for alias in aliases:
                self.add(alias, entry)
        for ident, per_lang in ACRONYM_EXPANSIONS.items():
            for lang, names in per_lang.items():
                self.names.setdefault(ident, {}).setdefault(lang, []).extend(names)

    def lookup(self, text: str) -> Entry | None:
        k = key(text)
        if k in self.upper_only and not text.isupper():
            return None
        return self.entries.get(k)


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()


@cache
def title_firsts(lang: str) -> frozenset[str]:
    return frozenset(k[0] for k in title_keys(lang))


@cache
def title_keys(lang: str) -> frozenset[tuple[str, ...]]:
    """Title phrases for a language (all languages' titles for unknown ones), as case-folded token tuples."""
    names = TITLES.get(lang) or [t for values in TITLES.values() for t in values]
    return frozenset(key(t) for t in names)


# -- dates -----------------------------------------------------------------------------------------------------
@cache
def month_names(lang: str) -> dict[str, int]:
    """Folded month name -> month number (wide forms: abbreviations such as French 'sept' are words too)."""
    from babel import Locale

    out: dict[str, int] = {}
    try:
        loc = Locale(lang)
    except Exception:  # noqa: BLE001 - unknown language code: English names
        loc = Locale("en")
    for number, name in loc.months["format"]["wide"].items():
        out[fold(name)] = number
        out[name.casefold()] = number  # looked up by the case-folded token, with or without its accents
    return out


@cache
def day_names(lang: str) -> dict[str, int]:
    """Folded weekday name -> ISO weekday (1 = Monday)."""
    from babel import Locale

    try:
        loc = Locale(lang)
    except Exception:  # noqa: BLE001
        loc = Locale("en")
    out = {fold(name): number + 1 for number, name in loc.days["format"]["wide"].items()}
    out.update({name.casefold(): number + 1 for number, name in loc.days["format"]["wide"].items()})
    return out
