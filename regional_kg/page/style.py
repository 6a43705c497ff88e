"""How kinds of entity and layers of relation look on the page: one place to change the palette.

Colours come from the Okabe-Ito and Tableau palettes, which stay distinguishable for the common
forms of colour blindness; shapes repeat the kind so that colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Iterable

#: kind of entity -> (vis-network shape, colour, hollow). Keys are matched case-insensitively.
#: Every kind of the ontology has a symbol of its own (no two share shape, colour and fill), and
#: a family keeps one trait so it reads as a family: organisations are green, events warm
#: (red-orange), agreements brown; a *group* or a body of a kind is drawn hollow (white inside,
#: coloured border), e.g. an agreement group is a hollow agreement triangle.
KIND_SYMBOLS: dict[str, tuple[str, str, bool]] = {
    "state": ("dot", "#0072B2", False),
    "region": ("hexagon", "#56B4E9", False),
    "place": ("triangle", "#CC79A7", False),
    "person": ("diamond", "#E69F00", False),
    "organisation": ("square", "#009E73", False),
    "organization": ("square", "#009E73", False),
    "intergovernmentalorganisation": ("hexagon", "#009E73", False),
    "governmentbody": ("square", "#009E73", True),
    "forum": ("diamond", "#009E73", True),
    "workinggroup": ("triangle", "#009E73", True),
    "businesscouncil": ("triangleDown", "#009E73", True),
    "event": ("star", "#D55E00", True),
    "meeting": ("star", "#D55E00", False),
    "visit": ("triangle", "#D55E00", False),
    "culturalyear": ("star", "#F0A30A", False),
    "businessforum": ("diamond", "#D55E00", False),
    "eventtally": ("hexagon", "#D55E00", True),
    "agreement": ("triangleDown", "#8C564B", False),
    "agreementgroup": ("triangleDown", "#8C564B", True),
}
OTHER_SYMBOL = ("dot", "#7F7F7F", True)
#: (shape, colour) per kind, as before hollow symbols existed (kept for callers of kind_style).
KIND_STYLE: dict[str, tuple[str, str]] = {k: (v[0], v[1]) for k, v in KIND_SYMBOLS.items()}
OTHER_KIND = (OTHER_SYMBOL[0], OTHER_SYMBOL[1])

#: preferred colours for the layers we know; other layers take the next free colour.
LAYER_COLOURS: dict[str, str] = {
    "treaty": "#1F77B4",
    "diplomatic": "#FF7F0E",
    "institutional": "#9467BD",
    "agreement": "#1F77B4",
    "agreements": "#1F77B4",
    "visit": "#FF7F0E",
    "visits": "#FF7F0E",
    "meeting": "#2CA02C",
    "meetings": "#2CA02C",
    "trade": "#D62728",
    "membership": "#9467BD",
    "memberships": "#9467BD",
    "term": "#8C564B",
    "cultural": "#E377C2",
    "border": "#7F7F7F",
    "initiative": "#BCBD22",
    "decision": "#17BECF",
}
SPARE_COLOURS = (
    "#17BECF",
    "#BCBD22",
    "#E377C2",
    "#8C564B",
    "#9467BD",
    "#7F7F7F",
    "#AEC7E8",
    "#FFBB78",
    "#98DF8A",
    "#FF9896",
)


def kind_style(kind: str | None) -> tuple[str, str]:
    """Shape and colour for a kind of entity (grey dot for kinds the palette does not know)."""
    return KIND_STYLE.get((kind or "").strip().lower(), OTHER_KIND)


def kind_symbol(kind: str | None) -> tuple[str, str, bool]:
    """Shape, colour and whether it is drawn hollow, for a kind of entity."""
    return KIND_SYMBOLS.get((kind or "").strip().lower(), OTHER_SYMBOL)


def node_colour(kind: str | None) -> str | dict[str, object]:
    """The vis-network ``color`` of a node: the colour, or for a hollow symbol a white inside
    with a coloured border (and the same when highlighted, so selection does not fill it)."""
    _, colour, hollow = kind_symbol(kind)
    if not hollow:
        return colour
    plain = {"background": "#ffffff", "border": colour}
    return {**plain, "highlight": dict(plain), "hover": dict(plain)}


def layer_colours(layers: Iterable[str]) -> dict[str, str]:
    """A colour per layer, stable for known layers and distinct for the rest (in sorted order)."""
    result: dict[str, str] = {}
    used: set[str] = set()
    names = sorted(set(layers))
    for name in names:
        colour = LAYER_COLOURS.get(name.lower())
        if colour and colour not in used:
            result[name] = colour
            used.add(colour)
    spare = [c for c in SPARE_COLOURS + tuple(LAYER_COLOURS.values()) if c not in used]
    for name in names:
        if name not in result:
            result[name] = spare.pop(0) if spare else "#333333"
            used.add(result[name])
    return result
