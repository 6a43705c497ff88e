"""Synthetic regions: deterministic, model-conforming RDF at any size, for tests and benchmarks.

Why: the curated graph holds a few hundred facts; users load whole regions and event feeds. To
measure (and keep) the tool fast at 100k-10M triples we need data of the *same shape* as the
curated graph -- the same classes, properties, concept IRIs and provenance -- that passes
``ontology/shapes.ttl``, and the same bytes every time for the same seed.

Shape of a region (see docs/model.md), for ``states`` states over ``years`` years:

* graph ``rkgg:synthetic/entities`` (gazetteer): the region, states (ISO-like codes that are *not*
  assigned by ISO 3166, so they never clash with the curated or reference graphs; labels en/ru),
  capitals and cities, ministries, organisations, trade data sets, and the gazetteer document;
* graph ``rkgg:synthetic/<year>`` per year (a "chronicle" document each): leaders and foreign
  ministers with terms of office, memberships and yearly chairmanships, visits with agreements
  signed during them, bilateral and multilateral meetings with participations and decisions,
  trade observations (every reporter x partner x year, both directions) with occasional published
  changes, trade targets, cultural years, initiatives.

Every fact node (and every person, organisation, place) has a ``prov:qualifiedDerivation`` to
its graph's document with a paragraph number; each graph states ``prov:wasDerivedFrom`` it.

Output is streamed line by line (N-Quads, or TriG written as one block per graph), so 10M triples
need no more memory than 10k. About :data:`TRIPLES_PER_STATE_YEAR` triples per state and year.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from regional_kg import namespaces as ns
from regional_kg.errors import ParameterError

# --- namespaces (as plain strings: the writer never builds rdflib terms) ---------------------
# taken from regional_kg.namespaces, the one place that names them
RKG = str(ns.RKG)
RKGC = str(ns.RKGC)
RKGD = str(ns.RKGD)
RKGG = str(ns.RKGG)
SCHEMA = str(ns.SCHEMA)
ORG = str(ns.ORG)
PROV = str(ns.PROV)
QB = str(ns.QB)
SKOS = str(ns.SKOS)
TIME = str(ns.TIME)
RDF_TYPE = str(ns.RDF.type)
RDFS_LABEL = f"<{ns.RDFS.label}>"
XSD = str(ns.XSD)
SDMX_UNIT = str(ns.SDMX_ATTRIBUTE["unitMeasure"])

#: Measured average (see docs/benchmarks.md); used by :func:`size_for` to reach a triple count.
TRIPLES_PER_STATE_YEAR = 249
#: Fixed part per state (gazetteer: state, places, ministries, data set).
TRIPLES_PER_STATE = 47

FIRST_YEAR_END = 2020  # the last year generated; years run backwards from it

#: ISO 3166-1 alpha-2 codes assigned to countries, plus exceptionally/transitionally reserved
#: and commonly used user-assigned ones. Synthetic states take the *other* two-letter codes.
_ASSIGNED = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
ZW AC CP DG EA EU EZ FX IC SU TA UK UN XK AN BU CS DD NT TP YU ZR
""".split()
CODES: tuple[str, ...] = tuple(
    a + b
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a + b not in set(_ASSIGNED)
)
MAX_STATES = len(CODES)

# Latin / Cyrillic syllable pairs for names in two languages.
_SYLLABLES = (
    ("ka", "ка"), ("ra", "ра"), ("to", "то"), ("mi", "ми"), ("sa", "са"), ("nu", "ну"),
    ("be", "бе"), ("lo", "ло"), ("da", "да"), ("ri", "ри"), ("va", "ва"), ("zo", "зо"),
    ("ul", "ул"), ("an", "ан"), ("ol", "ол"), ("ta", "та"), ("gu", "гу"), ("shi", "ши"),
    ("dor", "дор"), ("kan", "кан"), ("mar", "мар"), ("sul", "сул"), ("bek", "бек"), ("tem", "тем"),
)  # fmt: skip
_STATE_SUFFIXES = (("stan", "стан"), ("ia", "ия"), ("land", "ландия"), ("ovia", "овия"))
_SURNAME_SUFFIXES = (("ov", "ов"), ("ev", "ев"), ("bekov", "беков"), ("yan", "ян"))

VISIT_TYPES = ("state", "official", "working")
AGREEMENT_TYPES = (
    "agreement", "joint-statement", "programme-of-cooperation", "interagency-document",
    "trade-contract", "investment-agreement", "bilateral-document",
)  # fmt: skip
TOPICS = (
    "security", "trade", "investment", "culture", "water-energy", "transport-corridors",
    "environment", "digital-economy", "border-delimitation", "economic-cooperation",
    "cross-border-cooperation", "transit-transport", "migration", "strategic-partnership",
)  # fmt: skip
DECISION_TYPES = ("establish-body", "hold-event", "coordinate", "intend", "adopt-document")
ORG_KINDS = ("IntergovernmentalOrganisation", "Forum", "IntergovernmentalOrganisation")


def _iri(value: str) -> str:
    return f"<{value}>"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _str(text: str) -> str:
    return f'"{_esc(text)}"'


def _lang(text: str, lang: str) -> str:
    return f'"{_esc(text)}"@{lang}'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def _dec(value: float) -> str:
    return f'"{value:.1f}"^^<{XSD}decimal>'


def _int(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def _date(year: int, month: int, day: int) -> str:
    return _typed(f"{year:04d}-{month:02d}-{day:02d}", "date")


def _year(year: int) -> str:
    return _typed(f"{year:04d}", "gYear")


# frequently used terms, pre-serialised
A = _iri(RDF_TYPE)
PREF = _iri(SKOS + "prefLabel")
NAME = _iri(SCHEMA + "name")
QDERIV = _iri(PROV + "qualifiedDerivation")


def K(local: str) -> str:  # noqa: N802 - reads like a prefix
    return _iri(RKG + local)


def C(scheme_code: str) -> str:  # noqa: N802
    return _iri(RKGC + scheme_code)


def D(path: str) -> str:  # noqa: N802
    return _iri(RKGD + path)


@dataclass
class SynthStats:
    """What a run wrote."""

    triples: int = 0
    graphs: int = 0
    states: int = 0
    years: int = 0
    facts: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _State:
    code: str
    iri: str
    name_en: str
    name_ru: str
    places: list[str]  # place IRIs (capital first)
    mfa: str  # ministry IRI
    dataset: str
    partners: list[int] = field(default_factory=list)
    president: str = ""
    president_name: str = ""
    president_until: int = 0
    minister: str = ""
    minister_until: int = 0


class _Writer:
    """Streams statements as N-Quads lines or TriG graph blocks, counting them."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.graph = ""
        self.buffer: list[str] = []
        self.triples = 0
        self.graphs = 0

    def open_graph(self, graph_iri: str) -> None:
        self.close_graph()
        self.graph = graph_iri
        self.graphs += 1
        if self.fmt == "trig":
            self.buffer.append(f"{graph_iri} {{\n")

    def close_graph(self) -> None:
        if self.graph and self.fmt == "trig":
            self.buffer.append("}\n")
        self.graph = ""
        self.flush()

    def t(self, s: str, p: str, o: str) -> None:
        if self.fmt == "trig":
            self.buffer.append(f"{s} {p} {o} .\n")
        else:
            self.buffer.append(f"{s} {p} {o} {self.graph} .\n")
        self.triples += 1
        if len(self.buffer) >= 20000:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.out.write("".join(self.buffer))
            self.buffer.clear()


class _Generator:
    def __init__(self, w: _Writer, states: int, years: int, seed: int) -> None:
        self.w = w
        self.rng = random.Random(seed)
        self.n, self.y = states, years
        self.first_year = FIRST_YEAR_END - years + 1
        self.states: list[_State] = []
        self.orgs: list[tuple[str, list[int]]] = []  # (IRI, member state indexes)
        self.doc = ""
        self.paragraph = 0
        self.blank = 0
        self.person_no = 0
        self.counts: dict[str, int] = {}
        self.facts = 0
        self.seq = 0  # makes every fact IRI unique

    # --- helpers ---------------------------------------------------------------------------
    def count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def word(self, syllables: int) -> tuple[str, str]:
        parts = [self.rng.choice(_SYLLABLES) for _ in range(syllables)]
        return "".join(p[0] for p in parts), "".join(p[1] for p in parts)

    def cite(self, subject: str, *, fact: bool = True, new_paragraph: bool = True) -> None:
        """``subject prov:qualifiedDerivation [ prov:entity doc ; rkg:paragraph N ]``."""
        if new_paragraph or not self.paragraph:
            self.paragraph += 1
        self.blank += 1
        node = f"_:d{self.blank}"
        w = self.w
        w.t(subject, QDERIV, node)
        w.t(node, A, _iri(PROV + "Derivation"))
        w.t(node, _iri(PROV + "entity"), self.doc)
        w.t(node, K("paragraph"), _int(self.paragraph))
        if fact:
            self.facts += 1

    def start_document(self, graph_local: str, doc_local: str) -> None:
        self.w.open_graph(_iri(RKGG + graph_local))
        self.doc = D(f"doc/{doc_local}")
        self.paragraph = 0
        self.w.t(_iri(RKGG + graph_local), _iri(PROV + "wasDerivedFrom"), self.doc)

    def end_document(self, title: str, created: str) -> None:
        w, doc = self.w, self.doc
        w.t(doc, A, K("SourceDocument"))
        w.t(doc, NAME, _str(title))
        w.t(doc, PREF, _lang(title, "en"))
        w.t(doc, _iri(SCHEMA + "dateCreated"), created)
        w.t(doc, _iri(SCHEMA + "inLanguage"), _str("en"))
        w.t(doc, K("paragraphCount"), _int(max(1, self.paragraph)))
        self.w.close_graph()

    def instant(self, value: str) -> str:
        self.blank += 1
        node = f"_:t{self.blank}"
        self.w.t(node, A, _iri(TIME + "Instant"))
        pred = "inXSDgYear" if "gYear>" in value else "inXSDDate"
        self.w.t(node, _iri(TIME + pred), value)
        return node

    def interval(self, subject: str, begin: str | None, end: str | None) -> None:
        self.blank += 1
        node = f"_:i{self.blank}"
        w = self.w
        w.t(subject, _iri(ORG + "memberDuring"), node)
        w.t(node, A, _iri(TIME + "Interval"))
        if begin:
            w.t(node, _iri(TIME + "hasBeginning"), self.instant(begin))
        if end:
            w.t(node, _iri(TIME + "hasEnd"), self.instant(end))

    def date_in(self, year: int) -> tuple[int, int, int]:
        return year, self.rng.randint(1, 12), self.rng.randint(1, 28)

    # --- gazetteer -------------------------------------------------------------------------
    def gazetteer(self) -> None:
        """The region, its states (places, foreign ministry, turnover data set), the trade
        partner links and the regional organisations, in one synthetic document."""
        w, rng = self.w, self.rng
        self.start_document("synthetic/entities", "synthetic-gazetteer")
        codes = sorted(rng.sample(CODES, self.n))
        region = D("region/synthetic-region")
        w.t(region, A, K("Region"))
        w.t(region, PREF, _lang("Synthetic Region", "en"))
        w.t(region, PREF, _lang("Синтетический регион", "ru"))
        used_names: set[str] = set()
        for code in codes:
            self.state(code, region, used_names)
        # changes data set (one for the region)
        self.change_ds = D("dataset/synthetic-turnover-change")
        w.t(self.change_ds, A, _iri(QB + "DataSet"))
        w.t(self.change_ds, _iri(QB + "structure"), K("tradeChangeStructure"))
        w.t(self.change_ds, PREF, _lang("Published year-on-year changes of turnover", "en"))
        for a, b in sorted(self.partner_links()):
            if a != b:
                self.states[a].partners.append(b)
                self.states[b].partners.append(a)
        for k in range(max(3, self.n // 8)):
            self.organisation(k)
        self.end_document("Synthetic gazetteer of the region", _year(self.first_year))

    def state_name(self, used_names: set[str]) -> tuple[str, str]:
        """A new state name (English, Russian), none used before."""
        while True:
            (en, ru), (sen, sru) = (
                self.word(self.rng.randint(2, 3)),
                self.rng.choice(_STATE_SUFFIXES),
            )
            en, ru = (en + sen).capitalize(), (ru + sru).capitalize()
            if en not in used_names:
                used_names.add(en)
                return en, ru

    def state(self, code: str, region: str, used_names: set[str]) -> None:
        w = self.w
        en, ru = self.state_name(used_names)
        s = D(f"state/{code}")
        w.t(s, A, K("State"))
        w.t(s, K("isoCode"), _str(code))
        w.t(s, PREF, _lang(en, "en"))
        w.t(s, PREF, _lang(ru, "ru"))
        w.t(s, _iri(SKOS + "altLabel"), _lang(f"Republic of {en}", "en"))
        w.t(region, K("memberState"), s)
        places = [self.place(code, s, j) for j in range(3)]
        mfa = D(f"org/{code.lower()}-mfa")
        w.t(mfa, A, K("GovernmentBody"))
        w.t(mfa, PREF, _lang(f"Ministry of Foreign Affairs of {en}", "en"))
        w.t(mfa, _iri(ORG + "subOrganizationOf"), s)
        w.t(mfa, K("basedIn"), s)
        self.cite(mfa, fact=False, new_paragraph=False)
        ds = D(f"dataset/synthetic-{code.lower()}-turnover")
        w.t(ds, A, _iri(QB + "DataSet"))
        w.t(ds, _iri(QB + "structure"), K("tradeStructure"))
        w.t(ds, PREF, _lang(f"Turnover reported by {en}", "en"))
        w.t(ds, K("reporter"), s)
        w.t(ds, _iri(SDMX_UNIT), C("unit/usd-million"))
        self.states.append(_State(code, s, en, ru, places, mfa, ds))
        self.count("State")

    def place(self, code: str, state: str, j: int) -> str:
        """The ``j``-th place of a state (the first a "-grad", the others "-abad")."""
        w = self.w
        pen, pru = self.word(2)
        pen, pru = pen.capitalize() + ("abad" if j else "grad"), pru.capitalize()
        p = D(f"place/{code.lower()}-{pen.lower()}")
        w.t(p, A, K("Place"))
        w.t(p, RDFS_LABEL, _str(pen))
        w.t(p, PREF, _lang(pen, "en"))
        w.t(p, PREF, _lang(pru + ("град" if not j else "абад"), "ru"))
        w.t(p, _iri(SCHEMA + "containedInPlace"), state)
        self.cite(p, fact=False)
        return p

    def partner_links(self) -> set[tuple[int, int]]:
        """Trade partners: a ring plus random chords, symmetric, at most 8 per state."""
        n, rng = self.n, self.rng
        links: set[tuple[int, int]] = set()
        for i in range(n):
            if n > 1:
                links.add((min(i, (i + 1) % n), max(i, (i + 1) % n)))
        wanted = min(n - 1, 6) if n > 1 else 0
        for i in range(n):
            tries = 0
            while sum(1 for a, b in links if i in (a, b)) < wanted and tries < 50:
                j = rng.randrange(n)
                tries += 1
                if j != i:
                    links.add((min(i, j), max(i, j)))
        return links

    def organisation(self, k: int) -> None:
        """The ``k``-th regional body, with overlapping memberships."""
        w, rng, n = self.w, self.rng, self.n
        en, _ru = self.word(2)
        acronym = (en[:3] + str(k)).upper()
        o = D(f"org/synthetic-{acronym.lower()}")
        kind = ORG_KINDS[k % len(ORG_KINDS)]
        w.t(o, A, K(kind))
        w.t(o, PREF, _lang(f"{en.capitalize()} Cooperation Organisation {k + 1}", "en"))
        w.t(o, _iri(SKOS + "altLabel"), _str(acronym))
        seat = rng.randrange(n)
        w.t(o, K("basedIn"), self.states[seat].iri)
        w.t(o, K("status"), C("status/established"))
        self.cite(o, fact=False)
        size = min(n, rng.randint(3, max(3, min(12, n))))
        members = sorted(rng.sample(range(n), size))
        if k == 0 and 0 not in members:  # the first state belongs somewhere (tests rely on it)
            members = sorted(members[1:] + [0])
        self.orgs.append((o, members))
        self.count("Organisation")

    # --- people ----------------------------------------------------------------------------
    def person(self, state: _State) -> tuple[str, str]:
        w, rng = self.w, self.rng
        (fen, fru), (sen, sru) = self.word(2), self.word(2)
        suf_en, suf_ru = rng.choice(_SURNAME_SUFFIXES)
        en = f"{fen.capitalize()} {sen.capitalize()}{suf_en}"
        ru = f"{fru.capitalize()} {sru.capitalize()}{suf_ru}"
        self.person_no += 1
        slug = en.lower().replace(" ", "-")
        p = D(f"person/{slug}-{self.person_no}")
        w.t(p, A, K("Person"))
        w.t(p, NAME, _str(en))
        w.t(p, PREF, _lang(en, "en"))
        w.t(p, PREF, _lang(ru, "ru"))
        w.t(p, _iri(SCHEMA + "nationality"), state.iri)
        self.cite(p, fact=False)
        self.count("Person")
        return p, en

    def term(self, person: str, organisation: str, role: str, label: str, y0: int, y1: int):
        w = self.w
        t = D(f"term/{person[len(RKGD) + 8 : -1]}-{role}-{y0}")
        w.t(t, A, K("TermOfOffice"))
        w.t(t, PREF, _lang(label, "en"))
        w.t(t, _iri(ORG + "member"), person)
        w.t(t, _iri(ORG + "organization"), organisation)
        w.t(t, _iri(ORG + "role"), C(f"role/{role}"))
        w.t(t, K("attestedOn"), _year(y0))
        end = _year(y1) if y1 <= FIRST_YEAR_END else None
        self.interval(t, _date(y0, 1, self.rng.randint(1, 28)), end)
        self.cite(t, new_paragraph=False)
        self.count("TermOfOffice")

    def leaders(self, year: int) -> None:
        rng = self.rng
        for s in self.states:
            if s.president_until < year:
                p, name = self.person(s)
                until = year + rng.randint(4, 9)
                self.term(p, s.iri, "president", f"{name}, President of {s.name_en}", year, until)
                s.president, s.president_name, s.president_until = p, name, until
            if s.minister_until < year:
                p, name = self.person(s)
                until = year + rng.randint(2, 6)
                label = f"{name}, Minister of Foreign Affairs of {s.name_en}"
                self.term(p, s.mfa, "foreign-minister", label, year, until)
                s.minister, s.minister_until = p, until

    # --- memberships -----------------------------------------------------------------------
    def member_of(self, node: str, kind: str, label: str, s: _State, org: str, role: str) -> None:
        """``node``: ``s`` in organisation ``org`` as ``role`` (a Membership or Chairmanship)."""
        w = self.w
        w.t(node, A, K(kind))
        w.t(node, PREF, _lang(label, "en"))
        w.t(node, _iri(ORG + "member"), s.iri)
        w.t(node, _iri(ORG + "organization"), org)
        w.t(node, _iri(ORG + "role"), C(f"role/{role}"))

    def memberships(self, year: int) -> None:
        rng = self.rng
        for k, (o, members) in enumerate(self.orgs):
            olocal = o[len(RKGD) + 5 : -1]
            if year == self.first_year:
                for i in members:
                    s = self.states[i]
                    m = D(f"membership/{s.code.lower()}-{olocal}")
                    label = f"{s.name_en} in {olocal.upper()}"
                    self.member_of(m, "Membership", label, s, o, "member")
                    self.interval(m, _year(year - rng.randint(0, 20)), None)
                    self.cite(m, new_paragraph=False)
                    self.count("Membership")
            chair = self.states[members[(year + k) % len(members)]]
            c = D(f"membership/{chair.code.lower()}-{olocal}-chair-{year}")
            label = f"{chair.name_en} chairs {olocal.upper()} in {year}"
            self.member_of(c, "Chairmanship", label, chair, o, "chair")
            self.interval(c, _year(year), _year(year))
            self.cite(c)
            self.count("Chairmanship")

    # --- visits and agreements -------------------------------------------------------------
    def agreement(
        self,
        year: int,
        month: int,
        day: int,
        parties: list[_State],
        place: str,
        occasion: str | None,
        signatories: list[str],
        slug: str,
    ) -> str:
        w, rng = self.w, self.rng
        kind = rng.choice(AGREEMENT_TYPES)
        topic = rng.choice(TOPICS)
        self.seq += 1
        a = D(f"agreement/{year:04d}-{month:02d}-{day:02d}-{slug}-{kind}-{self.seq}")
        names = " and ".join(p.name_en for p in parties)
        title = (
            f"{kind.replace('-', ' ').capitalize()} on {topic.replace('-', ' ')} between {names}"
        )
        w.t(a, A, K("Agreement"))
        w.t(a, NAME, _str(title))
        w.t(a, PREF, _lang(title, "en"))
        w.t(a, K("agreementType"), C(f"agreement-type/{kind}"))
        for p in parties:
            w.t(a, K("party"), p.iri)
        for person in signatories:
            w.t(a, K("signatory"), person)
        w.t(a, K("signedOn"), _date(year, month, day))
        w.t(a, K("signedAt"), place)
        if occasion:
            w.t(a, K("occasion"), occasion)
        w.t(a, K("topic"), C(f"topic/{topic}"))
        if kind == "programme-of-cooperation":
            w.t(a, K("validFrom"), _year(year))
            w.t(a, K("validUntil"), _year(year + rng.randint(1, 5)))
            w.t(a, K("itemCount"), _int(rng.randint(5, 150)))
        self.cite(a, new_paragraph=False)
        self.count("Agreement")
        return a

    def visits(self, year: int) -> None:
        w, rng = self.w, self.rng
        for s in self.states:
            if not s.partners:
                continue
            for trip in range(2):
                host = self.states[rng.choice(s.partners)]
                yy, mm, dd = self.date_in(year)
                kind = rng.choice(VISIT_TYPES)
                v = D(
                    f"visit/{yy:04d}-{mm:02d}-{dd:02d}-{s.code.lower()}-{host.code.lower()}"
                    f"-{kind}-{trip + 1}"
                )
                place = host.places[rng.randrange(len(host.places))]
                w.t(v, A, K("Visit"))
                w.t(
                    v,
                    NAME,
                    _str(f"{kind.capitalize()} visit of {s.president_name} to {host.name_en}"),
                )
                w.t(v, PREF, _lang(f"{s.name_en} to {host.name_en}, {yy}-{mm:02d}-{dd:02d}", "en"))
                w.t(v, K("eventType"), C("event-type/visit"))
                w.t(v, K("visitType"), C(f"visit-type/{kind}"))
                w.t(v, K("visitor"), s.president)
                w.t(v, K("visitingState"), s.iri)
                w.t(v, K("hostState"), host.iri)
                w.t(v, _iri(SCHEMA + "location"), place)
                w.t(v, _iri(SCHEMA + "startDate"), _date(yy, mm, dd))
                w.t(v, _iri(SCHEMA + "endDate"), _date(yy, mm, min(28, dd + rng.randint(0, 2))))
                w.t(v, K("topic"), C(f"topic/{rng.choice(TOPICS)}"))
                self.cite(v)
                self.count("Visit")
                if self.counts["Visit"] % 10 == 1:  # one visit in ten: its sources disagree
                    self.contested_visit_type(v, kind)
                for k in range(rng.choice((0, 1, 1, 2))):
                    self.agreement(
                        yy, mm, dd, [s, host], place, v, [s.president, host.president],
                        f"{s.code.lower()}-{host.code.lower()}-{k}",
                    )  # fmt: skip

    def contested_visit_type(self, visit: str, kind: str) -> None:
        """Two claims on the visit's type, the stated one preferred (as curators record it)."""
        w = self.w
        other = VISIT_TYPES[(VISIT_TYPES.index(kind) + 1) % len(VISIT_TYPES)]
        w.t(visit, K("contested"), f'"true"^^<{XSD}boolean>')
        for value, preferred in ((kind, True), (other, False)):
            claim = f"{visit[:-1]}-claim-{value}>"
            w.t(visit, K("claim"), claim)
            w.t(claim, A, K("Claim"))
            w.t(claim, K("claimProperty"), K("visitType"))
            w.t(claim, K("claimValue"), C(f"visit-type/{value}"))
            if preferred:
                w.t(claim, K("preferred"), f'"true"^^<{XSD}boolean>')
            self.cite(claim, fact=False)
        self.count("Claim")

    # --- meetings --------------------------------------------------------------------------
    def meeting(self, year: int, parties: list[_State], number: int) -> None:
        w, rng = self.w, self.rng
        yy, mm, dd = self.date_in(year)
        host = parties[0]
        fmt = "bilateral" if len(parties) == 2 else "pentalateral"
        kind = "summit" if fmt == "pentalateral" else "ministerial-meeting"
        ev = D(f"event/{yy:04d}-{mm:02d}-{dd:02d}-{host.code.lower()}-meeting-{number}")
        place = host.places[0]
        w.t(ev, A, K("Meeting"))
        label = f"Meeting of {len(parties)} states in {host.name_en}, {yy}-{mm:02d}-{dd:02d}"
        w.t(ev, NAME, _str(label))
        w.t(ev, PREF, _lang(label, "en"))
        w.t(ev, K("eventType"), C(f"event-type/{kind}"))
        w.t(ev, K("meetingFormat"), C(f"format/{fmt}"))
        w.t(ev, _iri(SCHEMA + "location"), place)
        w.t(ev, _iri(SCHEMA + "startDate"), _date(yy, mm, dd))
        w.t(ev, _iri(SCHEMA + "endDate"), _date(yy, mm, dd))
        for p in parties:
            w.t(ev, K("participatingState"), p.iri)
            part = D(f"participation/{ev[len(RKGD) + 7 : -1]}-{p.code.lower()}")
            w.t(ev, K("participation"), part)
            w.t(part, A, K("Participation"))
            if fmt == "bilateral":
                w.t(part, K("participant"), p.minister)
                w.t(part, _iri(ORG + "role"), C("role/foreign-minister"))
            else:
                w.t(part, K("participant"), p.president)
                w.t(part, _iri(ORG + "role"), C("role/head-of-state"))
            w.t(part, K("representing"), p.iri)
        self.cite(ev)
        self.count("Meeting")
        # a decision taken there
        d = D(f"decision/{ev[len(RKGD) + 7 : -1]}")
        dtype = rng.choice(DECISION_TYPES)
        w.t(d, A, K("Decision"))
        w.t(d, PREF, _lang(f"Decision ({dtype.replace('-', ' ')}) at {label}", "en"))
        w.t(d, K("decisionType"), C(f"decision-type/{dtype}"))
        w.t(d, K("decidedAt"), ev)
        for p in parties:
            w.t(d, K("decidedBy"), p.iri)
        w.t(d, K("topic"), C(f"topic/{rng.choice(TOPICS)}"))
        self.cite(d, new_paragraph=False)
        self.count("Decision")
        if rng.random() < 0.5:
            self.agreement(
                yy, mm, dd, parties, place, ev, [],
                f"{host.code.lower()}-meeting-{number}",
            )  # fmt: skip

    def meetings(self, year: int) -> None:
        rng = self.rng
        number = 0
        for s in self.states:  # one bilateral ministerial meeting per state and year
            if not s.partners:
                continue
            number += 1
            self.meeting(year, [s, self.states[rng.choice(s.partners)]], number)
        for _ in range(max(1, self.n // 6)):  # summits
            if self.n < 3:
                break
            number += 1
            size = rng.randint(3, min(6, self.n))
            self.meeting(year, [self.states[i] for i in rng.sample(range(self.n), size)], number)

    # --- trade -----------------------------------------------------------------------------
    def trade(self, year: int) -> None:
        rng = self.rng
        for s in self.states:
            for j in s.partners:
                p = self.states[j]
                # a stable base per pair, growing and wobbling; each side reports its own figure
                a, b = sorted((s.code, p.code))
                base = 50 + (ord(a[0]) * 31 + ord(b[0]) * 17 + ord(a[1]) * 7 + ord(b[1])) % 2000
                value = base * (1.03 ** (year - self.first_year)) * rng.uniform(0.85, 1.15)
                o = D(f"obs/{s.code.lower()}-turnover-{p.code.lower()}-{year}")
                figure = [
                    (K("value"), _dec(value)),
                    (_iri(SDMX_UNIT), C("unit/usd-million")),
                    (K("publishedAs"), _str(f"${value:.1f} million")),
                ]
                self.observation(o, "TradeObservation", s.dataset, s, p, year, figure)
                if rng.random() < 0.05 and year > self.first_year:
                    c = D(f"obs/{s.code.lower()}-turnover-change-{p.code.lower()}-{year}")
                    change = [(K("changePercent"), _dec(rng.uniform(-30, 30)))]
                    self.observation(
                        c, "TradeChangeObservation", self.change_ds, s, p, year, change
                    )
            self.paragraph += 1

    def observation(
        self,
        o: str,
        kind: str,
        dataset: str,
        s: _State,
        p: _State,
        year: int,
        figure: list[tuple[str, str]],
    ) -> None:
        """Trade observation ``o`` (``kind``) that ``s`` reports of ``p`` for ``year``, in
        ``dataset``; ``figure``: the (predicate, object) pairs of what it measured."""
        w = self.w
        w.t(o, A, K(kind))
        w.t(o, _iri(QB + "dataSet"), dataset)
        w.t(o, K("reporter"), s.iri)
        w.t(o, K("partner"), p.iri)
        w.t(o, K("refPeriod"), _year(year))
        w.t(o, K("flow"), C("flow/turnover"))
        for predicate, value in figure:
            w.t(o, predicate, value)
        w.t(o, K("precision"), _dec(0.05))
        w.t(o, K("attribution"), C("attribution/stated"))
        self.cite(o, new_paragraph=False)
        self.count(kind)

    def some_pairs(self, year: int, share: float) -> Iterator[tuple[_State, _State]]:
        """About ``share`` of the states that have partners, each with a partner drawn at
        random; the first state always in the first year, so that a small region has the fact."""
        rng = self.rng
        for s in self.states:
            forced = year == self.first_year and s is self.states[0]
            if not s.partners or (rng.random() > share and not forced):
                continue
            yield s, self.states[rng.choice(s.partners)]

    def targets(self, year: int) -> None:
        w, rng = self.w, self.rng
        for s, p in self.some_pairs(year, 0.15):
            a, b = sorted((s, p), key=lambda x: x.code)
            deadline = year + rng.randint(2, 6)
            self.seq += 1
            t = D(f"target/{a.code.lower()}-{b.code.lower()}-trade-{deadline}-{self.seq}")
            value = rng.randint(5, 100) * 100
            w.t(t, A, K("TradeTarget"))
            w.t(t, PREF, _lang(f"{a.name_en}-{b.name_en} trade target by {deadline}", "en"))
            w.t(t, K("party"), a.iri)
            w.t(t, K("party"), b.iri)
            w.t(t, K("targetValue"), _dec(float(value)))
            w.t(t, _iri(SDMX_UNIT), C("unit/usd-million"))
            w.t(t, K("publishedAs"), _str(f"${value / 1000:.1f} billion"))
            w.t(t, K("deadline"), _year(deadline))
            w.t(t, K("setBy"), s.president)
            self.cite(t)
            self.count("TradeTarget")

    # --- culture and initiatives -----------------------------------------------------------
    def cultural_years(self, year: int) -> None:
        w, rng = self.w, self.rng
        for s, host in self.some_pairs(year, 0.1):
            cy = D(f"event/{year}-year-of-{s.code.lower()}-in-{host.code.lower()}")
            name = f"Year of {s.name_en} in {host.name_en}"
            w.t(cy, A, K("CulturalYear"))
            w.t(cy, NAME, _str(name))
            w.t(cy, PREF, _lang(f"{name} ({year})", "en"))
            w.t(cy, K("eventType"), C("event-type/cultural-year"))
            w.t(cy, K("featuredState"), s.iri)
            w.t(cy, K("hostState"), host.iri)
            w.t(cy, K("year"), _year(year))
            w.t(cy, _iri(SCHEMA + "startDate"), _date(year, 3, rng.randint(1, 28)))
            w.t(cy, _iri(SCHEMA + "location"), host.iri)
            w.t(cy, K("firstOfItsKind"), '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>')
            w.t(cy, K("topic"), C("topic/culture"))
            self.cite(cy)
            self.count("CulturalYear")
            self.agreement(
                year, 3, 1, [s, host], host.places[0], cy, [],
                f"year-of-{s.code.lower()}-in-{host.code.lower()}",
            )  # fmt: skip

    def initiatives(self, year: int) -> None:
        w, rng = self.w, self.rng
        for _ in range(max(1, self.n // 20)):
            s = self.states[rng.randrange(self.n)]
            topic = rng.choice(TOPICS)
            self.seq += 1
            i = D(f"initiative/{year}-{s.code.lower()}-{topic}-{self.seq}")
            w.t(i, A, K("Initiative"))
            w.t(i, NAME, _str(f"{s.name_en} initiative on {topic.replace('-', ' ')}"))
            w.t(i, K("proposedBy"), s.president)
            w.t(i, K("status"), C(f"status/{rng.choice(('proposed', 'implemented'))}"))
            w.t(i, K("topic"), C(f"topic/{topic}"))
            if self.orgs and rng.random() < 0.3:
                w.t(i, K("realisedAs"), self.orgs[rng.randrange(len(self.orgs))][0])
            self.cite(i)
            self.count("Initiative")

    # --- driver ----------------------------------------------------------------------------
    def run(self) -> None:
        self.gazetteer()
        for year in range(self.first_year, self.first_year + self.y):
            self.start_document(f"synthetic/{year}", f"synthetic-chronicle-{year}")
            self.leaders(year)
            self.memberships(year)
            self.visits(year)
            self.meetings(year)
            self.trade(year)
            self.targets(year)
            self.cultural_years(year)
            self.initiatives(year)
            self.end_document(f"Synthetic chronicle of the region, {year}", _year(year + 1))


FORMATS = ("nq", "trig")


def check_size(states: int, years: int) -> None:
    if not 2 <= states <= MAX_STATES:
        raise ParameterError(f"--states must be between 2 and {MAX_STATES} (got {states})")
    if not 1 <= years <= 1000:
        raise ParameterError(f"--years must be between 1 and 1000 (got {years})")


def size_for(triples: int) -> tuple[int, int]:
    """``(states, years)`` that produce about ``triples`` triples.

    Keeps the region wide rather than long: roughly 4 states per year of history, within the
    code space, so 10k ≈ 13 states x 3 years, 1M ≈ 126 x 32 and 10M ≈ 390 x 103.
    """
    if triples < 1000:
        raise ParameterError(f"--triples must be at least 1000 (got {triples})")
    state_years = max(2, triples / TRIPLES_PER_STATE_YEAR)
    years = max(2, round(math.sqrt(state_years / 4)))
    states = min(MAX_STATES - 16, max(3, round(state_years / years)))
    # correct for the fixed per-state part, then recompute years for capped widths
    years = max(
        1, round((triples - states * TRIPLES_PER_STATE) / (states * TRIPLES_PER_STATE_YEAR))
    )
    return states, years


def generate(out: TextIO, states: int, years: int, seed: int = 0, fmt: str = "nq") -> SynthStats:
    """Write a synthetic region to the text stream ``out``; return what was written."""
    check_size(states, years)
    if fmt not in FORMATS:
        raise ParameterError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    w = _Writer(out, fmt)
    gen = _Generator(w, states, years, seed)
    gen.run()
    w.close_graph()
    return SynthStats(
        triples=w.triples,
        graphs=w.graphs,
        states=states,
        years=years,
        facts=gen.facts,
        counts=dict(sorted(gen.counts.items())),
    )


def write_file(path: str | Path, states: int, years: int, seed: int = 0, fmt: str | None = None):
    """Write to ``path`` atomically (a temporary file renamed at the end: nothing half-written)."""
    path = Path(path)
    fmt = fmt or ("trig" if path.suffix.lower() == ".trig" else "nq")
    check_size(states, years)
    tmp = path.with_name(f".{path.name}.part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            stats = generate(out, states, years, seed, fmt)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return stats


def generate_text(states: int, years: int, seed: int = 0, fmt: str = "nq") -> str:
    """The whole output as a string (small sizes: tests)."""
    buffer = io.StringIO()
    generate(buffer, states, years, seed, fmt)
    return buffer.getvalue()


def iter_lines(states: int, years: int, seed: int = 0) -> Iterator[str]:
    yield from generate_text(states, years, seed).splitlines()


# --- parameters for the catalogue on a synthetic region ---------------------------------------

_PREFIXES = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
"""
#: The first state (by IRI) featured in a cultural year: the generator always makes one.
_PICK_STATE = (
    _PREFIXES
    + """
SELECT ?state WHERE {
  ?cy a rkg:CulturalYear ; rkg:featuredState ?state .
  FILTER(STRSTARTS(STR(?state), "https://w3id.org/regional-kg/id/state/"))
} ORDER BY ?state LIMIT 1
"""
)
_PICK_PARTNER = (
    _PREFIXES
    + """
SELECT ?partner ?signed WHERE {
  ?agreement a rkg:Agreement ; rkg:party ?state, ?partner ; rkg:signedOn ?signed .
  FILTER(?state != ?partner)
} ORDER BY ?signed ?partner LIMIT 1
"""
)
_PICK_PRESIDENT = (
    _PREFIXES
    + """
SELECT ?president WHERE {
  ?initiative a rkg:Initiative ; rkg:proposedBy ?president .
} ORDER BY ?president LIMIT 1
"""
)
_PICK_MEETING = (
    _PREFIXES
    + """
SELECT ?meeting WHERE {
  ?meeting a rkg:Meeting ; rkg:participatingState ?state .
  FILTER EXISTS { ?decision rkg:decidedAt ?meeting }
} ORDER BY ?meeting LIMIT 1
"""
)


def catalogue_params(store) -> dict[str, dict[str, str]]:
    """Parameters for every catalogue query that select real rows of a synthetic region.

    One state (the first featured in a cultural year; it has agreements, a trade target, a
    membership and meetings with decisions), its first partner in an agreement, the year they
    signed it, one of its meetings, and the first proposer of an initiative. Values are IRIs,
    ISO codes or years, as a user would type them.
    """
    rows = store.select(_PICK_STATE).rows
    if not rows:
        raise ParameterError("the store holds no synthetic region (rkg synth) to pick parameters")
    state = rows[0]["state"]
    bound = {"state": state}
    first = store.select(_PICK_PARTNER, bound).rows[0]
    partner, year = str(first["partner"]), str(first["signed"])[:4]
    president = str(store.select(_PICK_PRESIDENT).rows[0]["president"])
    meeting = str(store.select(_PICK_MEETING, bound).rows[0]["meeting"])
    code, partner_code = str(state).rsplit("/", 1)[1], partner.rsplit("/", 1)[1]
    return {
        "agreements": {"state": code, "partner": partner_code},
        "conflicts": {},
        "corroboration": {},
        "cultural-years": {"state": code},
        "decisions": {"at": meeting},
        "entities": {"text": "ministry", "class": "rkg:GovernmentBody"},
        "initiatives": {"by": president},
        "leaders": {"organisation": code},
        "meetings": {"state": code, "from": year, "to": year},
        "memberships": {"member": code},
        "partners": {"state": code},
        "provenance": {"entity": partner_code},
        "sources": {},
        "timeline": {"state": code, "from": year, "to": year},
        "trade-targets": {"state": code},
        "trade-turnover": {"reporter": code, "partner": partner_code},
        "visits": {"state": code},
    }
