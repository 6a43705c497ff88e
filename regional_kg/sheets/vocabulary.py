"""The sheet vocabulary: which fields each part of a sheet has, and what each field holds.

One table drives three things, so they cannot drift apart: the JSON Schema that checks a
sheet's shape (:func:`json_schema`, written to ``schema.json``), the compiler that reads the
fields (:mod:`regional_kg.sheets.compile`) and ``rkg sheet from-rdf``, which writes them.

Field types:

``text``      any text                 ``int``      a whole number
``date``      ``2019``, ``2019-11`` or ``2019-11-29`` (typed at that precision)
``year``      ``2019``                 ``bool``     true / false
``amount``    money as published, ``$1.5 billion``, ``$700.5 million``
``percent``   ``79.8``, ``79.8%``, ``19 percent``
``entity:T``  one entity of type T (state, person, place, org, agent, any), named as written
``entities:T`` a list of them (a single name is a list of one)
``ref``       another fact of the sheet (its ``id``) or an event already in the graph
``concept:S`` a word of the concept scheme S (``state`` for visit types …)
``paragraphs`` a list of paragraph numbers; ``paraphrase`` text, or a mapping paragraph → text
``list``      nested items (participants, results, agreements), described by their own table
``statements`` predicate → values in general form (:mod:`regional_kg.sheets.statements`)
``value``     one value in that general form   ``decimal``  a number, its digits as written
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text``: a scheme's concepts, written as a line of words."""
    return tuple(text.split())


#: Concept schemes a sheet names by their last word (``type: state`` → visit-type/state).
SCHEMES: dict[str, tuple[str, ...]] = {
    "visit-type": _words("state official working"),
    "agreement-type": _words(
        "agreement joint-statement programme-of-cooperation joint-plan interagency-document "
        "trade-contract investment-agreement bilateral-document treaty declaration memorandum "
        "protocol roadmap regulation"
    ),
    "role": _words(
        "president first-president deputy-foreign-minister foreign-minister speaker head-of-state "
        "head-of-government member non-permanent-member chair council-president "
        "vice-prime-minister representative acting-president prime-minister"
    ),
    "event-type": _words(
        "visit summit ministerial-meeting ceremony business-forum sports-event cultural-year "
        "signing election inauguration resignation armed-clash"
    ),
    "format": _words("pentalateral bilateral"),
    "status": _words("proposed agreed-to-establish established planned implemented"),
    "decision-type": _words(
        "establish-body hold-event coordinate intend set-target adopt-document set-priority "
        "express-position"
    ),
    "attribution": _words("stated inferred"),
    "document-kind": _words("official agency news scholarly mirror"),
    "topic": _words(
        "security terrorism religious-extremism extremism drug-trafficking organised-crime "
        "border-security illegal-migration nuclear-weapon-free-zone water-energy trade investment "
        "culture migration transport-corridors environment digital-economy tariff-policy "
        "transit-transport border-delimitation strategic-partnership foreign-policy-coordination "
        "economic-cooperation cultural-humanitarian-cooperation cross-border-cooperation "
        "regional-cooperation allied-relations friendship"
    ),
    "event-status": _words("scheduled cancelled postponed rescheduled moved-online"),
}

FieldTable = dict[str, str]

#: Fields every fact may carry, whatever its kind.
COMMON: FieldTable = {
    "kind": "text",
    "id": "text",
    "paragraphs": "paragraphs",
    "paraphrase": "paraphrase",
    "note": "text",
    "label": "text",
    "topics": "concepts:topic",
    "status": "text",  # draft | final (a sheet status, not rkg:status)
    "cue": "text",  # the cue word a draft was made from
    "defaults": "bool",  # false: state no default value (agreement type, event type ...)
}

#: Agreements given inside a visit or meeting (they inherit occasion, place, date, paragraphs).
AGREEMENT: FieldTable = {
    "title": "text",
    "type": "concept:agreement-type",
    "parties": "entities:agent",
    "signatories": "entities:person",
    "signed": "date",
    "at": "entity:place",
    "occasion": "ref",
    "count": "int",
    "items": "int",
    "valid_from": "year",
    "valid_until": "year",
    "alt_titles": "list:text",
    "distance": "text",  # a length the agreement fixes, as printed ("1006.84 km")
    "id": "text",
    "label": "text",
    "note": "text",
    "topics": "concepts:topic",
    "paragraphs": "paragraphs",
    "paraphrase": "paraphrase",
}

PARTICIPANT: FieldTable = {
    "who": "entity:agent",
    "for": "entity:state",
    "role": "concept:role",
    "on_behalf_of": "entity:person",
    "id": "text",
    "label": "text",
    "note": "text",
    "paragraphs": "paragraphs",
    "paraphrase": "paraphrase",
}

RESULT: FieldTable = {
    "candidate": "entity:person",
    "share": "percent",
    "elected": "bool",
    "id": "text",
    "paragraphs": "paragraphs",
    "paraphrase": "paraphrase",
}

#: Each kind's own fields (besides :data:`COMMON`); a ``*`` marks a required field.
KINDS: dict[str, FieldTable] = {
    "visit": {
        "visitor*": "entity:person",
        "from*": "entity:state",
        "to*": "entity:state",
        "type*": "concept:visit-type",
        "start*": "date",
        "end": "date",
        "place": "entity:place",
        "name": "text",
        "occasion": "ref",
        "agreements": "list:agreement",
        "event_status": "concept:event-status",
    },
    "meeting": {
        "date": "date",
        "end": "date",
        "name": "text",
        "place": "entity:place",
        "format": "concept:format",
        "type": "concept:event-type",
        "participants": "list:participant",
        "states": "entities:state",
        "first_of_its_kind": "bool",
        "planned": "bool",
        "organizer": "entity:org",
        "part_of": "ref",
        "agreements": "list:agreement",
        "event_status": "concept:event-status",
    },
    "agreement": {"title*": "text", **{k: v for k, v in AGREEMENT.items() if k != "title"}},
    "term": {
        "person*": "entity:person",
        "office*": "concept:role",
        "of*": "entity:agent",
        "attested": "date",
        "from": "date",
        "until": "date",
        "planned_end": "date",
    },
    "membership": {
        "member*": "entity:state",
        "organisation*": "entity:org",
        "role": "concept:role",
        "attested": "date",
        "from": "date",
        "until": "date",
    },
    "chairmanship": {
        "member*": "entity:state",
        "organisation*": "entity:org",
        "role": "concept:role",
        "from*": "date",
        "until": "date",
    },
    "decision": {
        "label*": "text",
        "type*": "concept:decision-type",
        "by": "entities:agent",
        "at": "ref",
        "concerns": "entities:any",
        "planned_event": "ref",
        "based_on": "ref",
    },
    "initiative": {
        "name*": "text",
        "by": "entities:agent",
        "realised_as": "entity:any",
        "stage": "concept:status",
        "concerns": "entities:any",
        "parts": "list:text",
        "period": "text",
    },
    "trade": {
        "reporter*": "entity:area",
        "partner*": "entity:area",
        "year*": "year",
        "value": "amount",
        "change": "percent",
        "number": "decimal",  # the figure in USD million (per cent) when not read from value
        "precision": "decimal",  # its half-width when not the printed digits' half unit
        "flow": "text",
        "attribution": "concept:attribution",
        "dataset": "text",
    },
    "target": {
        "parties*": "entities:state",
        "value*": "amount",
        "number": "decimal",
        "deadline": "year",
        "horizon": "text",
        "horizon_from": "year",
        "horizon_to": "year",
        "set_by": "entities:agent",
        "occasion": "ref",
    },
    "cultural-year": {
        "featured*": "entity:state",
        "host*": "entity:state",
        "year*": "year",
        "start": "date",
        "end": "date",
        "name": "text",
        "launch": "ref",
        "first_of_its_kind": "bool",
        "planned": "bool",
    },
    # one source's value for one property of a contested fact (rkg:Claim)
    "claim": {
        "about*": "ref",
        "property*": "text",
        "value*": "value",
        "preferred": "bool",
        "contested": "bool",
    },
    # statements about one node in general form, for what no other kind has a field for
    "node": {
        "id*": "text",
        "statements": "statements",
    },
    "election": {
        "state*": "entity:state",
        "date*": "date",
        "office": "concept:role",
        "turnout": "percent",
        "name": "text",
        "results": "list:result",
    },
}

DOCUMENT: FieldTable = {
    "id*": "text",
    "title*": "text",
    "title_language": "text",
    "url": "text",
    "citation": "text",
    "publisher": "entity:org",
    "original_publisher": "entity:org",
    "published": "date",
    "modified": "date",
    "language": "text",
    "kind": "concept:document-kind",
    "paragraphs*": "int",
    "about": "entities:any",
    "author": "entity:person",
    "label": "text",
    "note": "text",
    "graph_label": "text-or-false",
}

ENTITY: FieldTable = {
    "type*": "text",
    "id": "text",
    "name": "text",
    "also": "list:text",
    "code": "text",
    "in": "entity:state",
    "nationality": "entity:state",
    "note": "text",
    "stage": "concept:status",
    "topics": "concepts:topic",
    "paragraphs": "paragraphs",
    "paraphrase": "paraphrase",
}

#: Entity types a sheet may declare, and the class each gets.
ENTITY_TYPES = {
    "state": "State",
    "person": "Person",
    "place": "Place",
    "organisation": "Organisation",
    "intergovernmental-organisation": "IntergovernmentalOrganisation",
    "government-body": "GovernmentBody",
    "forum": "Forum",
    "working-group": "WorkingGroup",
    "business-council": "BusinessCouncil",
    "publisher": "Organisation",
    "region": "Region",
}

NESTED = {
    "agreement": {"title*": "text", **AGREEMENT},
    "participant": PARTICIPANT,
    "result": RESULT,
}


def fields_of(table: FieldTable) -> dict[str, tuple[str, bool]]:
    """``{"visitor*": "entity:person"}`` → ``{"visitor": ("entity:person", True)}``."""
    return {k.rstrip("*"): (v, k.endswith("*")) for k, v in table.items()}


def kind_fields(kind: str) -> dict[str, tuple[str, bool]]:
    """All fields a fact of ``kind`` may have (its own and the common ones)."""
    own = fields_of(KINDS[kind])
    common = {k: (v, k in ("kind", "paragraphs")) for k, v in COMMON.items() if k not in own}
    return {**common, **own}


# --- the JSON Schema -------------------------------------------------------------------------

_DATE = {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}


_TEXT = {"type": "string", "minLength": 1}
_PARAGRAPH = {"type": "integer", "minimum": 1}
#: field types whose schema takes no argument (``text``, ``date`` …)
_FIXED_SCHEMAS: dict[str, dict] = {
    "text": _TEXT,
    "text-or-false": {"oneOf": [_TEXT, {"const": False}]},
    "statements": {"type": "object", "minProperties": 1},
    "value": {"type": ["string", "integer", "boolean", "object"]},
    "decimal": {"type": ["string", "number"]},
    "ref": _TEXT,
    "int": {"type": "integer", "minimum": 0},
    "date": _DATE,
    "year": {"type": ["string", "integer"], "pattern": r"^\d{4}$"},
    "bool": {"type": "boolean"},
    "amount": {"type": ["string", "integer"]},
    "percent": {"type": ["string", "integer"]},
    "entity": _TEXT,
    "entities": {"oneOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}]},
    "paragraphs": {"oneOf": [_PARAGRAPH, {"type": "array", "items": _PARAGRAPH, "minItems": 1}]},
    "paraphrase": {
        "oneOf": [
            _TEXT,
            {
                "type": "object",
                "patternProperties": {r"^\d+$": _TEXT},
                "additionalProperties": False,
            },
        ]
    },
}


def _concept_schema(scheme: str) -> dict:
    return {"type": "string", "enum": list(SCHEMES[scheme])}


def _concepts_schema(scheme: str) -> dict:
    enum = _concept_schema(scheme)
    return {"oneOf": [enum, {"type": "array", "items": enum}]}


def _list_schema(item: str) -> dict:
    if item == "text":
        return {"type": "array", "items": {"type": "string"}}
    return {"type": "array", "items": {"$ref": f"#/$defs/{item}"}}


#: field types written ``type:argument`` (``concept:visit-type``, ``list:participant``)
_ARGUMENT_SCHEMAS: dict[str, Callable[[str], dict]] = {
    "concept": _concept_schema,
    "concepts": _concepts_schema,
    "list": _list_schema,
}


def _field_schema(type_: str) -> dict:
    """The JSON Schema of a field of ``type_`` (a fresh copy: callers may extend it)."""
    base, _, arg = type_.partition(":")
    if base in _FIXED_SCHEMAS:
        return copy.deepcopy(_FIXED_SCHEMAS[base])
    if base in _ARGUMENT_SCHEMAS:
        return _ARGUMENT_SCHEMAS[base](arg)
    raise ValueError(f"unknown field type {type_!r}")


def _object(fields: dict[str, tuple[str, bool]], extra: dict | None = None) -> dict:
    schema: dict = {
        "type": "object",
        "properties": {name: _field_schema(t) for name, (t, _) in fields.items()},
        "additionalProperties": False,
    }
    required = [name for name, (_, req) in fields.items() if req]
    if required:
        schema["required"] = required
    if extra:
        schema.update(extra)
    return schema


def json_schema() -> dict:
    """The JSON Schema of a sheet (what ``schema.json`` holds)."""
    defs: dict[str, dict] = {}
    for name, table in NESTED.items():
        defs[name] = _object(fields_of(table))
    defs["entity"] = _object(fields_of(ENTITY))
    defs["entity"]["properties"]["type"] = {"type": "string", "enum": list(ENTITY_TYPES)}
    branches = []
    for kind in KINDS:
        fields = kind_fields(kind)
        fact = _object(fields)
        # a node's statements may carry their own derivations: paragraphs is optional there
        base = ["kind"] if kind == "node" else ["kind", "paragraphs"]
        own = [name for name in fact.pop("required") if name not in base]
        fact["required"] = base
        if own:  # a fact with an id: may state less (another document states the rest)
            fact["if"] = {"not": {"required": ["id"]}}
            fact["then"] = {"required": own}
        fact["properties"]["kind"] = {"const": kind}
        fact["properties"]["status"] = {"enum": ["draft", "final"]}
        defs[f"fact-{kind}"] = fact
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind}}},
                "then": {"$ref": f"#/$defs/fact-{kind}"},
            }
        )
    defs["fact"] = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(KINDS)}},
        "allOf": branches,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://w3id.org/regional-kg/sheet.schema.json",
        "title": "regional-kg sheet",
        "description": "One source document and the facts it states (docs/sheets.md).",
        "type": "object",
        "required": ["document", "facts"],
        "additionalProperties": False,
        "properties": {
            "document": _object(fields_of(DOCUMENT)),
            "entities": {"type": "object", "additionalProperties": {"$ref": "#/$defs/entity"}},
            "facts": {"type": "array", "items": {"$ref": "#/$defs/fact"}},
        },
        "$defs": defs,
    }


SCHEMA_PATH = Path(__file__).with_name("schema.json")


def write_schema(path: Path = SCHEMA_PATH) -> None:
    """Regenerate ``schema.json`` (``python -m regional_kg.sheets.vocabulary``)."""
    path.write_text(json.dumps(json_schema(), indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_schema()
