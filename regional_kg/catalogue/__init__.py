"""The SPARQL query catalogue: ``queries/*.rq`` files, their headers, and safe parameter binding.

Every catalogue query is a plain SPARQL 1.1 SELECT file that runs as it is in any engine (it
declares its own prefixes). What makes it a *catalogue* entry is a header of ``#`` comment lines at
the top of the file, before the first line of SPARQL::

    # title: Agreements of a state
    # description: Every agreement a state is party to, optionally with one partner.
    # description: (a second description line continues the first)
    # param: state   state  required  The state (label, ISO code or IRI)
    # param: partner state  optional  Only agreements that also include this party
    # param: limit   integer optional default=10  At most this many rows
    # list-columns: parties signatories
    # example: rkg query agreements --param state=KZ --param partner=KG

Keys:

``title``
    One line, required.
``description``
    Required; repeated lines are joined with a space.
``param``
    ``NAME TYPE required|optional [default=VALUE] [values=A|B|C] DESCRIPTION``. ``NAME`` is the
    SPARQL variable (``?NAME``) the value is bound to. ``default="two words"`` may be quoted.
    ``values=`` closes the set of values the parameter takes (compared ignoring case): any other
    value is an error listing the allowed ones, rather than a query that quietly matches
    nothing (``--param direction=sideways`` used to give no rows and exit 0).
``list-columns``
    Result columns holding ``GROUP_CONCAT(...; separator="; ")`` lists. SPARQL leaves the order of
    a group's values to the engine, so the catalogue sorts those lists (numerically when every item
    is a number); that is what makes every engine return the same text.
``example``
    A command line showing the query in use; repeatable.

Parameter types, and what a value may look like:

=========  ===========================================================================
state      a state: English or Russian label or alt label (any case), ISO code, or IRI
entity     anything with a label: label, alt label, name, ISO code, or IRI
iri        an IRI, full (``https://…``, ``<…>``) or with a known prefix (``rkgd:state/KZ``)
string     any text (a plain ``xsd:string`` literal)
integer    ``xsd:integer``
decimal    ``xsd:decimal``
year       ``xsd:gYear`` (``2017``)
date       ``xsd:date`` (``2017-12-25``), or at lower precision ``xsd:gYearMonth`` (``2017-12``)
           or ``xsd:gYear`` (``2017``) -- the source dates events at all three precisions
boolean    ``true``/``false`` (also ``yes``/``no``, ``1``/``0``)
=========  ===========================================================================

Values become rdflib terms and go to the store as *bindings* (``store.select(text, bindings)``);
the store substitutes them (or injects a ``VALUES`` block), so user input is never pasted into
query text. A ``state``/``entity`` value is resolved against the store with a SPARQL lookup; an
unknown one is a :class:`~regional_kg.errors.ParameterError` listing close matches.

Optional parameters that are not given stay unbound, so queries must work with the variable
unbound *and* with it bound by substitution or by a ``VALUES`` block. Oxigraph folds ``BOUND(?x)``
to false when ``?x`` occurs in no pattern, even when ``?x`` is substituted, so catalogue queries
never test ``BOUND`` on a parameter: they use ``COALESCE(<test using ?x>, true)`` or
``FILTER EXISTS { … ?x … }`` (which, unbound, matches anything), and they use parameters only
in the top-level group (not inside ``UNION`` branches' filters or sub-selects), where all three
semantics agree.

The package, by concern: :mod:`.spec` (the types), :mod:`.headers` (parsing the header),
:mod:`.literals` (values to RDF terms, no store), :mod:`.files` (the catalogue folder, files and
texts), :mod:`.resolve` (binding parameters, entity lookups) and :mod:`.run` (running). The names
below are the public API; import them from ``regional_kg.catalogue``.
"""

from __future__ import annotations

from regional_kg.catalogue.files import (
    UnknownQueryError,
    catalogue,
    get_query,
    load_file,
    looks_like_query,
    resolve_spec,
    user_positions,
    with_prologue,
)
from regional_kg.catalogue.headers import QueryHeaderError, parse_query
from regional_kg.catalogue.literals import convert_literal, parse_iri

# The lookup texts the server's fast path recognises, and the per-store cache the query benchmark
# clears between runs: private, but read by name there, so they stay reachable here.
from regional_kg.catalogue.resolve import _ENTITY_LABELS as _ENTITY_LABELS
from regional_kg.catalogue.resolve import _RESOLVED as _RESOLVED
from regional_kg.catalogue.resolve import _STATE_EXISTS as _STATE_EXISTS
from regional_kg.catalogue.resolve import _STATE_LABELS as _STATE_LABELS
from regional_kg.catalogue.resolve import bind_params, resolve_entity
from regional_kg.catalogue.run import normalise_lists, run_query
from regional_kg.catalogue.spec import (
    LIST_SEPARATOR,
    PARAM_TYPES,
    Param,
    QuerySpec,
    describe_params,
    example_args,
)

__all__ = [
    "LIST_SEPARATOR",
    "PARAM_TYPES",
    "Param",
    "QueryHeaderError",
    "QuerySpec",
    "UnknownQueryError",
    "bind_params",
    "catalogue",
    "convert_literal",
    "describe_params",
    "example_args",
    "get_query",
    "load_file",
    "looks_like_query",
    "normalise_lists",
    "parse_iri",
    "parse_query",
    "resolve_entity",
    "resolve_spec",
    "run_query",
    "user_positions",
    "with_prologue",
]
