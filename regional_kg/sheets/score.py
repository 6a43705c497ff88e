"""Score drafted facts against curated ones: precision and recall per kind.

Why a rule of its own: a draft is useful when it puts the right fact in front of the curator, not
when every field is right (the curator checks the fields). So a drafted fact *matches* a curated
fact of the same kind on **date** and **participants**:

* date: equal at the coarser of the two precisions (``2017-12`` matches ``2017-12-25``); a
  curated fact the source leaves undated accepts any draft date;
* participants: visits, the visiting and host state as a set, exactly; meetings, the
  participating states, agreements, the parties (an organisation counts as the state it is based
  in), overlapping by at least half of their union.

Each curated fact is matched to at most one draft (preferring a draft citing one of its
paragraphs), so duplicates count as false positives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF

from regional_kg.namespaces import RKG, RKGD, SCHEMA
from regional_kg.sheets.draft import draft

KINDS = ("visit", "meeting", "agreement")


@dataclass(frozen=True)
class Key:
    """What a fact is matched on."""

    kind: str
    date: str | None
    states: frozenset[str]
    paragraphs: frozenset[int] = field(default=frozenset())
    label: str = ""


#: the classes of curated facts that are scored, and the kind each counts as
_CURATED_CLASSES = {
    RKG.Visit: "visit",
    RKG.Meeting: "meeting",
    RKG.Agreement: "agreement",
    RKG.AgreementGroup: "agreement",
}
#: per kind, the properties naming its states and the one giving its date
_CURATED_FIELDS: dict[str, tuple[tuple[URIRef, ...], URIRef]] = {
    "visit": ((RKG.visitingState, RKG.hostState), SCHEMA.startDate),
    "meeting": ((RKG.participatingState,), SCHEMA.startDate),
    "agreement": ((RKG.party,), RKG.signedOn),
}


def curated_keys(dataset: Dataset, doc: URIRef) -> list[Key]:
    """The visits, meetings and agreements a curated graph records from ``doc``."""
    curated = _Curated(dataset, doc)
    keys = []
    seen = set()
    for cls, kind in _CURATED_CLASSES.items():
        for node, _, _, _ in dataset.quads((None, RDF.type, cls, None)):
            if node in seen or not curated.paragraphs(node):
                continue
            seen.add(node)
            keys.append(curated.key(node, kind))
    return sorted(keys, key=lambda k: (k.kind, k.label))


@dataclass
class _Curated:
    """Reads one curated fact's key from the dataset (any graph)."""

    g: Dataset
    doc: URIRef

    def first(self, node, prop) -> str | None:
        values = [o for _, _, o, _ in self.g.quads((node, prop, None, None))]
        return str(values[0]) if values else None

    def state_of(self, node) -> str | None:
        """A state's code; for an organisation, the code of the state it is based in."""
        text = str(node)
        if "/state/" in text:
            return text.rsplit("/", 1)[-1]
        based = self.first(node, RKG.basedIn)
        return based.rsplit("/", 1)[-1] if based else None

    def paragraphs(self, node) -> frozenset[int]:
        """The paragraphs of ``doc`` the node cites."""
        out = set()
        for _, _, d, _ in self.g.quads((node, PROV.qualifiedDerivation, None, None)):
            paragraph = self.first(d, RKG.paragraph)
            if self.first(d, PROV.entity) == str(self.doc) and paragraph:
                out.add(int(paragraph))
        return frozenset(out)

    def key(self, node, kind: str) -> Key:
        props, date_prop = _CURATED_FIELDS[kind]
        states = {
            s
            for p in props
            for _, _, o, _ in self.g.quads((node, p, None, None))
            if (s := self.state_of(o))
        }
        label = str(node)[len(str(RKGD)) :]
        return Key(
            kind, self.first(node, date_prop), frozenset(states), self.paragraphs(node), label
        )


def draft_keys(facts: list[dict]) -> list[Key]:
    """The same keys for drafted facts (states named by ISO code, as the drafter writes them)."""
    keys = []
    for fact in facts:
        kind = fact["kind"]
        if kind not in KINDS:
            continue
        if kind == "visit":
            states, date = [fact.get("from"), fact.get("to")], fact.get("start")
        elif kind == "meeting":
            listed = [p.get("for") for p in fact.get("participants") or []]
            states, date = [*(fact.get("states") or []), *listed], fact.get("date")
        else:
            states, date = fact.get("parties") or [], fact.get("signed")
        codes = frozenset(str(s) for s in states if s and len(str(s)) == 2)
        label = fact.get("title") or fact.get("visitor") or fact.get("place") or ""
        keys.append(Key(kind, date and str(date), codes, frozenset(fact["paragraphs"]), label))
    return keys


def dates_match(curated: str | None, drafted: str | None) -> bool:
    if curated is None:
        return True
    if drafted is None:
        return False
    n = min(len(curated), len(drafted))
    return curated[:n] == drafted[:n]


def states_match(kind: str, curated: frozenset[str], drafted: frozenset[str]) -> bool:
    if kind == "visit":
        return curated == drafted
    union = curated | drafted
    return bool(union) and len(curated & drafted) * 2 >= len(union)


def matches(curated: Key, drafted: Key) -> bool:
    return (
        curated.kind == drafted.kind
        and dates_match(curated.date, drafted.date)
        and states_match(curated.kind, curated.states, drafted.states)
    )


@dataclass
class KindScore:
    kind: str
    curated: int
    drafted: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.drafted if self.drafted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.curated if self.curated else 0.0


def score(curated: list[Key], drafted: list[Key]) -> dict[str, KindScore]:
    """Precision and recall per kind, each curated fact matched to at most one draft."""
    used: set[int] = set()
    matched: dict[str, int] = {k: 0 for k in KINDS}
    for c in curated:
        candidates = [
            (len(c.paragraphs & d.paragraphs), -i, i)
            for i, d in enumerate(drafted)
            if i not in used and matches(c, d)
        ]
        if candidates:
            used.add(max(candidates)[2])
            matched[c.kind] += 1
    return {
        k: KindScore(
            k,
            sum(1 for c in curated if c.kind == k),
            sum(1 for d in drafted if d.kind == k),
            matched[k],
        )
        for k in KINDS
    }


GOAL_RECALL, GOAL_PRECISION = 0.8, 0.5


def run_case(text_path: Path, trig: Path, doc: str, published: str) -> dict[str, KindScore]:
    """Draft ``text_path`` and score it against the curated ``trig`` of document ``doc``."""
    text = Path(text_path).read_text(encoding="utf-8")
    drafted = draft(text, slug=doc, published=published)["facts"]
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    return score(curated_keys(dataset, RKGD[f"doc/{doc}"]), draft_keys(drafted))
