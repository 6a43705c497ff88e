"""Which part of the network a command works on, the same way for every command that projects
one. Apart from :mod:`~regional_kg.commands.common` because it imports the projection (and so
networkx), which ``rkg query`` and the others that draw no network do without."""

from __future__ import annotations

import argparse

from regional_kg.commands.common import add_period
from regional_kg.network.projection import LAYERS, VIEWS


def add_network_selection(parser: argparse._ActionsContainer, *, layer_default: str) -> None:
    """``--layer``, ``--view``, ``--year``, ``--since``, ``--until``: which part of the network.

    Shared by ``rkg centrality`` and ``rkg export --format graphml|gexf`` so the two select the
    same relations the same way; ``layer_default`` says in the help what no ``--layer`` means.
    """
    parser.add_argument(
        "--layer",
        action="append",
        metavar="L",
        help=f"layer: {', '.join(LAYERS)}, all (repeatable; default: {layer_default})",
    )
    parser.add_argument("--view", default="partners", metavar="VIEW", help=" | ".join(VIEWS))
    parser.add_argument("--year", type=int, help="only relations of this year")
    add_period(parser, "relations")
