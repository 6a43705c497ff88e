"""What a build made: the store, the validation report, triples per graph and time per phase."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from regional_kg.build.sources import ParsedSource
from regional_kg.build.validation import ValidationReport, short
from regional_kg.namespaces import INFERRED_GRAPH
from regional_kg.stores.base import Store


@dataclass
class BuildResult:
    """What :func:`build` made: the store, the validation report, counts and timings."""

    store: Store
    report: ValidationReport | None
    counts: dict[URIRef, int] = field(default_factory=dict)  # triples per named graph
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    sources: list[ParsedSource] = field(default_factory=list)
    #: True when a persistent store is read as it is (nothing built, validated or written).
    reused: bool = False

    @property
    def triples(self) -> int:
        return sum(self.counts.values())

    @property
    def inferred(self) -> int:
        return self.counts.get(INFERRED_GRAPH, 0)

    def summary(self) -> str:
        """A few lines for people: graphs, triples, validation, time per phase."""
        lines = [f"store: {self.store.spec}"]
        lines.append(f"graphs: {len(self.counts)}, triples: {self.triples:,}")
        for name, count in sorted(self.counts.items()):
            lines.append(f"  {short(name):<40} {count:>9,}")
        if self.report is None:
            lines.append("validation: skipped")
        else:
            lines.append(f"validation: {self.report.summary()}")
            if self.report.results:
                lines.extend(self.report.text.splitlines()[1:])
        total = sum(self.timings.values())
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items())
        lines.append(f"time: {total:.2f} s ({phases})")
        return "\n".join(lines)
