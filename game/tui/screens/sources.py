"""The scenario's sources, and which facts in play are reported or invented."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from game.scenario.fields import walk
from game.scenario.model import Provenance, Scenario
from game.tui.screens.dialogs import TextScreen


def sources_text(scenario: Scenario) -> Text:
    cited: dict[str, int] = {}
    for prov in walk(scenario, Provenance):
        for ref in prov.cite:
            cited[ref] = cited.get(ref, 0) + 1
    out = Text.assemble(("Where the facts come from\n", "bold"))
    out.append(
        "Items marked [reported] are sourced facts, [disputed] ones are told differently "
        "by different sources, and [fiction] is written for the game.\n\n",
        style="italic",
    )
    for src in scenario.sources:
        out.append(f"[{src.id}] ", style="bold")
        out.append(f"{src.title}. {src.outlet}, {src.date}.")
        if src.url:
            out.append(f"\n    {src.url}", style="dim")
        if src.note:
            out.append(f"\n    {src.note}", style="italic")
        uses = cited.get(src.id, 0)
        out.append(f"\n    cited {uses} time{'s' * (uses != 1)} in the scenario\n\n", style="dim")
    if not scenario.sources:
        out.append("This scenario cites no sources: everything in it is written for the game.\n")
    return out


class SourcesScreen(TextScreen):
    BINDINGS = [Binding("escape,i,q", "close", "Close")]

    def __init__(self, scenario: Scenario):
        super().__init__(sources_text(scenario), text_id="sources-text")
