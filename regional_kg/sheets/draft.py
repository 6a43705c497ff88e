"""Draft a sheet from a document's text (``rkg draft DOCUMENT.txt -o draft.yaml``).

Why drafts and not facts: reading a document is the curator's job, and a wrong fact in the graph
is worse than a missing one. The drafter does the tedious part, so the curator only checks: it
numbers the paragraphs as sheets cite them (the N-th non-empty line), finds the entities the graph
knows (its labels and spelling variants, surnames, country names and adjectives through the
pinned ``countrynames`` package), reads dates, amounts and percentages, and proposes candidate
facts where cue words stand (visit, talks, summit, signed, treaty, agreement, memorandum,
turnover, elected, inaugurated), with participants, date and place from the same sentence or
paragraph. Every fact is ``status: draft`` with its ``cue:``, which ``rkg build`` refuses until a
person has checked it and removed the mark.

``benchmarks/draft.py`` measures precision and recall of the drafts against curated sheets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from rdflib import URIRef
from rdflib.term import Node

from regional_kg.extras import require
from regional_kg.namespaces import RKGD
from regional_kg.resources import graph_dir
from regional_kg.sheets.resolve import lookup_store
from regional_kg.sheets.values import ValueProblem, parse_amount, parse_percent


def _countrynames() -> Any:
    """The pinned ``countrynames`` package: optional (the sheets extra), imported when a draft
    first looks up a country name."""
    return require("countrynames", "drafting a source sheet")


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:\s*[-–]\s*(?P<day2>\d{{1,2}}))?,\s*(?P<year>\d{{4}})",
        re.I,
    ),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:\s*[-–]\s*(?P<day2>\d{{1,2}}))?\s+{_MONTH}\s+(?P<year>\d{{4}})",
        re.I,
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})\b(?!,?\s*\d{{4}})", re.I),
    re.compile(
        r"(?<![\d$-])(?<!by )(?<!until )\b(?P<year>(?:19|20)\d{2})\b"
        r"(?![-–]\d)(?!\s*(?:million|billion))"
    ),
]
_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?\s*(?:billion|million|thousand|bn|mln)?", re.I)
_PERCENT = re.compile(r"[+-]?\d+(?:\.\d+)?\s*(?:%|percent|per cent)", re.I)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_REGION_WORDS = re.compile(
    r"Central Asian? (?:countries|states)|countries of (?:the region|Central Asia)|"
    r"(?:Heads|heads) of (?:the )?States? of Central Asia|Central Asian states|region's states",
)
_TITLE_START = re.compile(
    r"\b(?:(?:[A-Z][\w-]*|of|on) )*?(?:Agreement|Joint Statement|Joint Declaration|Declaration|"
    r"Programme|Program|Treaty|Memorandum|Joint Plan|Roadmap|Protocol|Statement)\b"
)
_TITLE_END = re.compile(
    r",? as well as|\s+(?:were|was|have been|has been) (?:signed|adopted|approved)|\s+signed\b|"
    r"\s+and the (?=(?:[A-Z][\w-]* )*"
    r"(?:Agreement|Joint|Programme|Treaty|Memorandum|Declaration|Roadmap|Protocol)\b)"
    r"|\s\(|\.(?:\s|$)|;|,\s+(?=[a-z])|\s+in the frame\b|\s+totals?\b"
)
_GROUP = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s+(?P<what>(?:[a-z-]+\s+){0,2}?"
    r"(?:agreements|documents|memoranda|treaties)(?:\s+(?:on|of)\s+[a-z]+(?:\s+levels?)?"
    r"(?:\s+of\s+various\s+levels)?)?)",
)
_VISIT = re.compile(r"\b(?:(?P<type>official|state|working)\s+)?visit\b(?!s)", re.I)
_MEETING_STRONG = re.compile(r"\b(?:summit|meeting|met|consultations)\b(?!s)", re.I)
_MEETING_WEAK = re.compile(r"\b(?:talks|negotiations)\b", re.I)
_TRADE = re.compile(r"\b(?:turnover|trade)\b", re.I)
_ELECTION = re.compile(r"\b(?:elected|inaugurated|re-elected)\b", re.I)


@dataclass
class Found:
    """Something recognised in a paragraph: where, and what it stands for."""

    start: int
    end: int
    text: str
    value: object
    kind: str = ""


def _span(date: Found) -> tuple[str, str | None]:
    """A date's value: its (start, end or None)."""
    return cast(tuple[str, str | None], date.value)


@dataclass
class Gazetteer:
    """The graph's names: label → (IRI, kind), persons' surnames, places' states."""

    names: dict[str, tuple[Node, str]] = field(default_factory=dict)
    place_state: dict[Node, Node] = field(default_factory=dict)
    person_state: dict[Node, Node] = field(default_factory=dict)
    labels: dict[Node, str] = field(default_factory=dict)
    pattern: re.Pattern | None = None


_GAZ_QUERY = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?s ?kind ?label ?pref WHERE {
  VALUES (?class ?kind) { (rkg:State "state") (rkg:Person "person") (rkg:Place "place") }
  ?s a ?class .
  { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?label } UNION { ?s rdfs:label ?label }
  UNION { ?s schema:name ?label }
  OPTIONAL { ?s skos:prefLabel ?pref FILTER(LANGMATCHES(LANG(?pref), "en")) }
  FILTER(LANG(?label) IN ("", "en"))
}
"""
_PLACES = """
PREFIX schema: <https://schema.org/>
SELECT ?p ?s WHERE { ?p schema:containedInPlace ?s }
"""
_TERMS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?p ?s WHERE {
  { ?t a rkg:TermOfOffice ; org:member ?p ; org:organization ?s . ?s a rkg:State }
  UNION { ?p schema:nationality ?s }
  UNION { ?x rkg:participant ?p ; rkg:representing ?s }
}
"""


def gazetteer() -> Gazetteer:
    """The names of states, people and places in the curated graph, as one regex."""
    return _gazetteer(str(graph_dir()))


@cache
def _gazetteer(graph_folder: str) -> Gazetteer:
    """Built once per graph folder (``graph_folder`` is the cache key)."""
    store = lookup_store()
    gaz = Gazetteer()
    surnames: dict[str, set[Node]] = {}
    for row in store.select(_GAZ_QUERY).rows:
        iri, kind, label = row["s"], str(row["kind"]), str(row["label"])
        if row.get("pref") is not None:
            gaz.labels[iri] = str(row["pref"])
        if len(label) >= 3:
            gaz.names.setdefault(label, (iri, kind))
        if kind == "person":
            surnames.setdefault(label.split()[-1], set()).add(iri)
    for surname, iris in surnames.items():
        if len(iris) == 1 and surname not in gaz.names:
            gaz.names[surname] = (next(iter(iris)), "person")
    for row in store.select(_PLACES).rows:
        gaz.place_state[row["p"]] = row["s"]
    for row in store.select(_TERMS).rows:
        gaz.person_state.setdefault(row["p"], row["s"])
    words = sorted(gaz.names, key=len, reverse=True)
    gaz.pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])")
    return gaz


_CAPITALISED = re.compile(
    r"\b(?:Republic of (?:the )?)?[A-Z][a-z]+(?:\s+Republic)?"
    r"|\b[A-Z][a-z]+(?=-[A-Z])|(?<=-)[A-Z][a-z]+"
)


def _state_iri(code: str) -> URIRef | None:
    iri = RKGD[f"state/{code}"]
    return iri if iri in gazetteer().labels else None


def entities(text: str) -> list[Found]:
    """States, people and places named in ``text`` (graph labels, then country names)."""
    gaz = gazetteer()
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    assert gaz.pattern is not None
    for match in gaz.pattern.finditer(text):
        iri, kind = gaz.names[match.group(1)]
        found.append(Found(match.start(), match.end(), match.group(1), iri, kind))
        taken.append((match.start(), match.end()))
    for match in _CAPITALISED.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        code = _countrynames().to_code(match.group(0), fuzzy=False)
        state = _state_iri(code) if code else None
        if state is not None:
            found.append(Found(match.start(), match.end(), match.group(0), state, "state"))
    for match in _REGION_WORDS.finditer(text):
        for code in ("KZ", "KG", "TJ", "TM", "UZ"):
            found.append(
                Found(match.start(), match.end(), match.group(0), RKGD[f"state/{code}"], "state")
            )
    return sorted(found, key=lambda f: f.start)


def dates(text: str, year: int | None) -> list[Found]:
    """Dates in ``text`` at their printed precision: value is (start, end or None)."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
                continue
            groups = m.groupdict()
            y = groups.get("year") or (str(year) if year else None)
            if y is None:
                continue
            month = groups.get("mnum") or (
                f"{MONTHS[groups['month'].lower()]:02d}" if groups.get("month") else None
            )
            day, day2 = groups.get("day"), groups.get("day2")
            if day and month:
                start = f"{y}-{month}-{int(day):02d}"
                end = f"{y}-{month}-{int(day2):02d}" if day2 else None
            elif month:
                start, end = f"{y}-{month}", None
            else:
                start, end = y, None
            found.append(Found(m.start(), m.end(), m.group(0), (start, end), "date"))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def sentences(paragraph: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; no split after month abbreviations (``Sept. 22``) or initials."""
    out, start = [], 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z(])", paragraph):
        before = paragraph[max(0, m.start() - 5) : m.start()].split()[-1:] or [""]
        if before[0].lower().rstrip(".") in MONTHS or len(before[0]) <= 1:
            continue
        out.append((start, paragraph[start : m.end()]))
        start = m.end() + 1
    out.append((start, paragraph[start:]))
    return [(o, s) for o, s in out if s.strip()]


def paragraphs(text: str) -> list[str]:
    """The document's paragraphs as sheets cite them: paragraph N is the N-th non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class Drafter:
    """Goes through the paragraphs once, keeping the last event for agreements signed at it."""

    text: str
    year: int | None
    facts: list[dict] = field(default_factory=list)
    last_event: dict | None = None
    last_meeting: dict | None = None

    def name(self, iri: Node) -> str:
        if "/state/" in str(iri):
            return str(iri).rsplit("/", 1)[-1]
        return gazetteer().labels.get(iri, str(iri))

    def run(self) -> list[dict]:
        for number, paragraph in enumerate(paragraphs(self.text), start=1):
            para_dates = dates(paragraph, self.year)
            para_states = self.states(entities(paragraph))
            for offset, sentence in sentences(paragraph):
                self.sentence(number, sentence, para_dates, para_states, offset)
        return self.facts

    def states(self, found: list[Found]) -> list[Node]:
        # a state's value is its IRI
        return list(dict.fromkeys(cast(Node, f.value) for f in found if f.kind == "state"))

    def sentence(
        self, number: int, text: str, para_dates: list[Found], para_states: list, offset: int
    ) -> None:
        found = entities(text)
        when = dates(text, self.year)
        people = [f for f in found if f.kind == "person"]
        places = [f for f in found if f.kind == "place"]
        states = self.states(found)
        for m in _VISIT.finditer(text):
            self.visit(number, m, when or para_dates, people, places, states, text)
        strong = _MEETING_STRONG.search(text)
        weak = _MEETING_WEAK.search(text) if when else None
        if strong or weak:
            self.meeting(number, (strong or weak), when, places, states or para_states, people)
        self.agreements(number, text, when, para_dates, found, para_states)
        if _TRADE.search(text) and _AMOUNT.search(text):
            self.trade(number, text, when or para_dates, states)
        if _ELECTION.search(text):
            self.election(number, text, when or para_dates, people, states)

    def add(self, fact: dict) -> dict:
        fact["status"] = "draft"
        self.facts.append(fact)
        return fact

    def visit(self, number, m, when, people, places, states, text) -> None:
        if not when:
            return
        nearest = min(people, key=lambda p: abs(p.start - m.start()), default=None)
        if nearest is None:
            return
        gaz = gazetteer()
        origin = gaz.person_state.get(nearest.value)
        place = min(places, key=lambda p: abs(p.start - m.end()), default=None)
        host = gaz.place_state.get(place.value) if place else None
        if host is None:
            host = next((s for s in states if s != origin), None)
        if origin is None:
            origin = next((s for s in states if s != host), None)
        start, end = when[0].value
        fact = {"kind": "visit", "cue": m.group(0), "paragraphs": [number]}
        fact["visitor"] = self.name(nearest.value)
        if origin is not None:
            fact["from"] = self.name(origin)
        if host is not None:
            fact["to"] = self.name(host)
        fact["type"] = (m.group("type") or "official").lower()
        fact["start"] = start
        if end:
            fact["end"] = end
        if place is not None:
            fact["place"] = self.name(place.value)
        self.last_event = self.add(fact)

    def meeting(self, number, m, when, places, states, people) -> None:
        """A meeting per place the sentence names (each with its nearest date); an undated
        mention right after a meeting is taken to be about it (paragraph and states added)."""
        if not when:
            if self.merge_into_last_meeting(number, states):
                return
            if m.group(0).lower() not in ("meeting", "summit"):
                return
        gaz = gazetteer()
        participants = self.participants(people)
        if not states:
            states = [gaz.person_state[p.value] for p in people if p.value in gaz.person_state]
        targets = places or [None]
        for place in targets:
            only = participants if len(targets) == 1 else []
            self.meeting_at(number, m, when, place, states, only)

    def merge_into_last_meeting(self, number: int, states: list) -> bool:
        """Add the paragraph and states to the meeting drafted in this or the previous
        paragraph, if there is one (``True``: merged)."""
        merged = self.last_meeting
        if merged is None or merged["paragraphs"][-1] < number - 1:
            return False
        if number not in merged["paragraphs"]:
            merged["paragraphs"].append(number)
        for s in states:
            if self.name(s) not in merged.setdefault("states", []):
                merged["states"].append(self.name(s))
        return True

    def participants(self, people: list[Found]) -> list[dict]:
        """Each person named once, with the state the graph says they hold office in."""
        gaz = gazetteer()
        people_iris = dict.fromkeys(cast(Node, f.value) for f in people)  # a person's value: IRI
        return [
            {"who": self.name(iri), "for": self.name(gaz.person_state[iri])}
            if iri in gaz.person_state
            else {"who": self.name(iri)}
            for iri in people_iris
        ]

    def meeting_at(self, number, m, when, place, states, participants) -> None:
        """One drafted meeting (at ``place`` if any), dated by the date nearest to its place or
        cue; ``participants`` only when the sentence names one place."""
        fact = {"kind": "meeting", "cue": m.group(0).lower(), "paragraphs": [number]}
        if when:
            anchor = place.start if place else m.start()
            date = min(when, key=lambda d: abs(d.start - anchor)).value
            fact["date"] = date[0]
            if date[1]:
                fact["end"] = date[1]
        if place is not None:
            fact["place"] = self.name(place.value)
        involved_names = self.involved(states)
        if participants:
            fact["participants"] = participants
            listed = {p["for"] for p in participants if "for" in p}
            involved_names = [n for n in involved_names if n not in listed]
        if involved_names:
            fact["states"] = list(dict.fromkeys(involved_names))
        self.last_meeting = self.add(fact)
        if "date" in fact:
            self.last_event = fact

    def involved(self, states: list) -> list[str]:
        """The states' names; none named, those of the last dated meeting ("the next
        consultations")."""
        previous = self.last_event if (self.last_event or {}).get("kind") == "meeting" else None
        if not states and previous is not None:
            return list(previous.get("states", []))
        return [self.name(s) for s in states]

    def agreements(self, number, text, when, para_dates, found, para_states) -> None:
        titles: list[tuple[int, int, str]] = []
        for m in _TITLE_START.finditer(text):
            if any(a <= m.start() < b for a, b, _ in titles):
                continue
            rest = text[m.start() :]
            close = _TITLE_END.search(rest, len(m.group(0)) - 1)
            title = rest[: close.start()] if close else rest
            title = title.strip().rstrip(",.")
            if title.split()[0] in ("The", "A", "An"):
                title = " ".join(title.split()[1:])
            titles.append((m.start(), m.start() + len(title), title))
        groups = [
            (
                m.start(),
                m.end(),
                m.group(0),
                int(
                    _NUMBER_WORDS.get(m.group("n"), m.group("n"))
                    if not m.group("n").isdigit()
                    else m.group("n")
                ),
            )
            for m in _GROUP.finditer(text)
        ]
        spans: list[tuple[int, int, str] | tuple[int, int, str, int]] = [*titles, *groups]
        for start, end, title, *count in spans:
            inside = [f for f in found if start <= f.start < end and f.kind == "state"]
            fact: dict = {
                "kind": "agreement",
                "cue": "agreement",
                "paragraphs": [number],
                "title": title,
            }
            if count:
                fact["count"] = count[0]
                fact["type"] = "agreement"
            signed = self.signed(start, when, para_dates)
            if signed:
                fact["signed"] = signed
            parties = self.states(inside)
            if (
                not parties
                and self.last_event is not None
                and self.last_event.get("paragraphs", [0])[0] >= number - 10
            ):
                event = self.last_event
                parties_names = [event[k] for k in ("from", "to") if k in event] or [
                    *event.get("states", []),
                    *(p["for"] for p in event.get("participants", []) if "for" in p),
                ]
            else:
                parties_names = [self.name(p) for p in (parties or para_states)]
            if parties_names:
                fact["parties"] = list(dict.fromkeys(parties_names))
            cue = re.search(
                r"\b(signed|adopted|approved|treaty|agreement|memorandum)\b", text, re.I
            )
            fact["cue"] = cue.group(1).lower() if cue else "agreement"
            self.add(fact)

    def signed(self, position: int, when: list[Found], para_dates: list[Found]) -> str | None:
        start: str | None
        end: str | None
        if when:
            start, end = _span(min(when, key=lambda d: abs(d.start - position)))
        elif para_dates:
            start, end = _span(para_dates[0])
        elif self.last_event is not None and self.last_event["paragraphs"][0] >= 0:
            event = self.last_event
            start, end = event.get("start") or event.get("date"), event.get("end")
            assert start is not None  # the last event is a visit (start) or a dated meeting
        else:
            return None
        if end and end != start and len(start) == 10:
            return start[:7]  # a signing during a visit of several days: its month
        return start

    def trade(self, number, text, when, states) -> None:
        amount = _AMOUNT.search(text)
        if amount is None:
            return
        try:
            parse_amount(amount.group(0))
        except ValueProblem:
            return
        fact = {"kind": "trade", "cue": "trade", "paragraphs": [number]}
        if states:
            fact["reporter"] = self.name(states[0])
        if len(states) > 1:
            fact["partner"] = self.name(states[1])
        if when:
            fact["year"] = when[0].value[0][:4]
        fact["value"] = amount.group(0).strip()
        percent = _PERCENT.search(text)
        if percent:
            try:
                fact["note"] = f"change given as {parse_percent(percent.group(0))[2]}"
            except ValueProblem:
                pass
        self.add(fact)

    def election(self, number, text, when, people, states) -> None:
        if not when or not states:
            return
        fact = {"kind": "election", "cue": "elected", "paragraphs": [number]}
        fact["state"] = self.name(states[0])
        fact["date"] = when[0].value[0]
        if people:
            fact["results"] = [{"candidate": self.name(people[0].value), "elected": True}]
        self.add(fact)


def draft(
    text: str,
    *,
    slug: str,
    url: str | None = None,
    published: str | None = None,
    title: str | None = None,
) -> dict:
    """The draft sheet (Python data) for a document's text."""
    paras = paragraphs(text)
    year = int(published[:4]) if published else _guess_year(text)
    document: dict = {"id": slug, "title": title or (paras[0] if paras else slug)}
    entities: dict = {}
    if url:
        host = re.sub(r"^www\.", "", re.sub(r"^https?://([^/]+).*", r"\1", url))
        document.update({"url": url, "publisher": host, "kind": "news"})
        entities[host] = {"type": "publisher", "paragraphs": [1]}  # check: maybe in the graph
    else:
        document["citation"] = "(author, title, where published)"
    if published:
        document["published"] = published
    document["language"] = "en"
    document["paragraphs"] = len(paras)
    facts = Drafter(text, year).run()
    out: dict = {"document": document}
    if entities:
        out["entities"] = entities
    out["facts"] = facts
    return out


def _guess_year(text: str) -> int | None:
    years = re.findall(r"\b(?:19|20)\d{2}\b", text)
    return max(int(y) for y in years) if years else None


def draft_file(path: str | Path, **options: str | None) -> str:
    """``rkg draft``: the draft sheet of the text file at ``path``, as YAML."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    data = draft(text, slug=slug, **options)
    header = (
        f"# Draft sheet of {path.name}, written by `rkg draft` (docs/sheets.md).\n"
        "# Every fact is status: draft: check it against the paragraph it cites, fix it, and\n"
        "# delete its status line; rkg build refuses drafts.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
