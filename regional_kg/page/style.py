"""How kinds of entity and layers of relation look on the page: one place to change the palette.

Colours come from the Okabe-Ito and Tableau palettes, which stay distinguishable for the common
forms of colour blindness; shapes repeat the kind so that colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Iterable

#: kind of entity -> (vis-network shape, colour). Keys are matched case-insensitively.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "state": ("dot", "#0072B2"),
    "person": ("diamond", "#E69F00"),
    "organisation": ("square", "#009E73"),
    "organization": ("square", "#009E73"),
    "region": ("hexagon", "#56B4E9"),
    "place": ("triangle", "#CC79A7"),
    "event": ("star", "#D55E00"),
    "agreement": ("triangleDown", "#8C564B"),
}
# The ontology's subclasses look like their family (docs/model.md).
for _name in (
    "IntergovernmentalOrganisation",
    "GovernmentBody",
    "Forum",
    "WorkingGroup",
    "BusinessCouncil",
):
    KIND_STYLE[_name.lower()] = KIND_STYLE["organisation"]
for _name in ("Visit", "Meeting", "CulturalYear", "BusinessForum", "EventTally"):
    KIND_STYLE[_name.lower()] = KIND_STYLE["event"]
KIND_STYLE["agreementgroup"] = KIND_STYLE["agreement"]
OTHER_KIND = ("dot", "#7F7F7F")

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
