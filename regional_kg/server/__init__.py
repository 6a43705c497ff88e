"""``rkg serve``: the graph as a SPARQL 1.1 Protocol endpoint, a query page and a catalogue API.

See :mod:`regional_kg.server.app` for the routes and the reasons behind the design, and
:mod:`regional_kg.server.engine` for how answers are computed and written.
"""

from regional_kg.server.app import ServerConfig, SparqlServer, make_server

__all__ = ["ServerConfig", "SparqlServer", "make_server"]
