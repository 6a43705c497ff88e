"""RDF terms as text for people: project IRIs compacted with the project's prefixes.

One home for the conversion, so that tables, messages and warnings name a node the same way
(``rkgd:state/KZ``) wherever they are printed.
"""

from __future__ import annotations

from regional_kg.namespaces import PREFIXES

#: Longest namespace first, so ``rkgd:`` wins over a shorter prefix of the same IRI.
_NAMESPACES = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def compact(iri: str) -> str:
    """``rkgd:state/KZ`` for a project IRI, the full IRI in angle brackets otherwise.

    >>> compact("https://w3id.org/regional-kg/id/state/KZ")
    'rkgd:state/KZ'
    """
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"
