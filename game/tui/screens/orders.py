"""The turn screen: one team chooses its orders, secretly.

Tabs keep it readable at 80x24: Orders (the actions, what each costs and why
one is not available), Situation (ladder, tracks, history), News (the
headlines) and Team (own tracks, objectives, private briefing). Everything on
it comes from the team's own views (see `game.tui.desk`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.scenario.text import format_number
from game.tui import render
from game.tui.hanging import Hanging
from game.tui.screens.dialogs import Dialog
from game.tui.widgets.footer import KeyFooter
from game.tui.widgets.header import SeatHeader
from game.tui.widgets.tabbar import TabBar, tab_bindings
from game.workshop.present import OrdersView

if TYPE_CHECKING:
    from game.tui.base import SeatApp

TABS = [("orders", "Orders"), ("situation", "Situation"), ("news", "News"), ("team", "Team")]
WIDE = 130  # columns from which the situation and news show beside the orders


def clock_text(seconds: float | None, paused: bool) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(max(seconds, 0) + 0.999), 60)
    return f"⏱ {minutes:02d}:{secs:02d}" + (" paused" if paused else "")


class ConfirmOrders(Dialog[tuple[str, str] | None]):
    """Send these orders? With the team's one-line reason, for the review."""

    BINDINGS = [Binding("escape", "back", "Back to the orders")]

    def __init__(self, team: str, labels: list[str], short: bool, ask_intent: bool = False):
        super().__init__()
        self.team = team
        self.labels = labels
        self.short = short
        self.ask_intent = ask_intent

    def compose(self) -> ComposeResult:
        detail = Text(
            "\n".join(f"• {label}" for label in self.labels) or "• no orders: your team does nothing this turn"
        )
        if self.short:
            detail.append("\n\nYou may still choose more.", style="italic")
        # Nothing chosen is a choice too, but said outright: c then Enter, a double tap, sent an empty turn.
        title = f"Send these orders for {self.team}?" if self.labels else f"Send NO orders for {self.team} this turn?"
        with Vertical(classes="dialog"):
            yield Label(Text(title), classes="dialog-title")
            yield Static(detail, classes="dialog-detail")
            yield Label("Why? One line for the after-action review (optional):")
            yield Input(id="why", max_length=200)
            if self.ask_intent:
                yield Label("What do you think the others intend? (optional)")
                yield Input(id="intent", max_length=200)
            # With two questions, Enter on the first goes on to the second.
            keys = "enter: next question, then send" if self.ask_intent else "enter: send"
            yield Label(f"{keys}    escape: back to the orders", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "why" and self.ask_intent:
            self.query_one("#intent", Input).focus()
            return
        self.action_send()

    def action_send(self) -> None:
        if not self.is_current:  # a second Enter queued before the dialog closed
            return
        intent = self.query_one("#intent", Input).value if self.ask_intent else ""
        self.dismiss((self.query_one("#why", Input).value, intent))

    def action_back(self) -> None:
        self.dismiss(None)


class OrdersScreen(Screen):
    BINDINGS = [
        Binding("space", "choose", "Choose / unchoose", show=True),
        Binding("c", "confirm", "Confirm orders"),
        *tab_bindings(TABS),
        Binding("i", "app.sources", "Sources"),
    ]

    if TYPE_CHECKING:  # either app: it takes the orders given here
        app = getters.app(SeatApp)

    def __init__(self, desk, role: str):
        super().__init__()
        self.desk = desk
        self.role = role
        self.view: OrdersView = desk.orders(role)
        self.turn = self.view.header.turn
        self.chosen: list[str] = list(self.view.draft)
        self.detail_height = 0
        self.pages: dict[str, Text] = {}
        self.confirming = False  # the confirmation dialog is open (or opening)

    # -------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.view.header, "orders")
        yield TabBar(TABS, "orders", id="tabs")
        with ContentSwitcher(initial="orders-page"):
            with Vertical(id="orders-page"):
                with Horizontal():
                    yield OptionList(id="actions")
                    with VerticalScroll(id="action-detail-box"):
                        yield Static(id="action-detail")
                    # On a wide screen the situation and the news stand beside the orders.
                    with VerticalScroll(id="side"):
                        yield Static(id="side-text")
                yield Static(id="chosen")
            with VerticalScroll(id="info-page"):
                yield Static(id="info-text")
        yield KeyFooter()

    def page_text(self, tab: str) -> Text:
        """The text of an information tab (built once; the state does not change while a team chooses)."""
        if tab not in self.pages:
            if tab == "situation":
                self.pages[tab] = render.situation(self.desk.situation(self.role))
            elif tab == "news":
                self.pages[tab] = render.news(self.desk.news(self.role))
            else:
                self.pages[tab] = render.team(self.desk.team(self.role))
        return self.pages[tab]

    def refresh_after_white_cell(self) -> None:
        """The White Cell changed the game during this team's turn: show it, keep the choices."""
        self.view = self.desk.orders(self.role)
        self.pages.clear()
        available = dict(zip([a.id for a in self.view.actions], self.view.availability([]), strict=True))
        self.chosen = [a for a in self.chosen if available.get(a, (False, None))[0]]
        self.refresh_actions()
        self.show_side()
        if self.query_one(TabBar).active != "orders":
            self.action_tab(self.query_one(TabBar).active)

    def on_resize(self, event) -> None:
        wide = event.size.width >= WIDE
        if wide != self.has_class("wide"):
            self.set_class(wide, "wide")
            self.show_side()
        self.call_after_refresh(self.refresh_actions)  # the list's width follows the screen's

    def show_side(self) -> None:
        if self.has_class("wide"):
            side = render.situation(self.desk.situation(self.role), label_width=30, basis=False)
            side.append("\n")
            side.append_text(self.page_text("news"))
            self.query_one("#side-text", Static).update(Hanging(side))

    def on_mount(self) -> None:
        if not self.query("#actions"):
            return  # replaced before it was drawn (a networked seat's next frame came first)
        self.refresh_actions()
        self.call_after_refresh(self.refresh_actions)  # again once the list has its width
        self.query_one("#actions", OptionList).focus()
        self.update_clock()

    # ------------------------------------------------------------- actions

    def refresh_actions(self) -> None:
        if not self.query("#actions"):
            return  # a screen already replaced: nothing to fill
        listing = self.query_one("#actions", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        # The room the list has, inside its border and scrollbar: labels use all of it.
        width = listing.scrollable_content_region.width  # inside its border, padding and scrollbar
        room = max(width, 16) if width else 40
        # Costs in full where every line has room for them, else as bare numbers on every line
        # (the detail panel names them): one way of reading costs down the whole list.
        full = all(4 + len(a.label) + len(f" · {a.cost_text()}") <= room for a in self.view.actions if a.cost)
        for action, (available, _why) in zip(self.view.actions, self.view.availability(self.chosen), strict=True):
            chosen = action.id in self.chosen
            box = "[x]" if chosen else ("[ ]" if available else " - ")
            # One line each: the label gives way to the cost (the detail panel has both in full).
            if not action.cost:
                cost = ""
            elif full:
                cost = f" · {action.cost_text()}"
            else:
                cost = " · " + "+".join(format_number(c.amount) for c in action.cost)
            label = action.label
            if len(box) + 1 + len(label) + len(cost) > room:
                label = label[: max(room - len(box) - 2 - len(cost), 5)] + "…"
            line = Text(f"{box} {label}", style="bold" if chosen else ("" if available else "dim"))
            line.append(cost, style="dim")
            listing.add_option(Option(line, id=action.id))
        listing.highlighted = highlighted if highlighted is not None else 0
        self.update_chosen()
        self.show_detail(listing.highlighted)

    def update_chosen(self) -> None:
        limit = self.view.orders_per_turn
        names = ", ".join(self.view.label(a) for a in self.chosen) or "none yet"
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("c: confirm  ", style="bold")
        summary = f"Orders {len(self.chosen)} of {limit}: {names}"
        room = max(self.size.width - len(line) - 2, 10)
        line.append(summary if len(summary) <= room else summary[: room - 1] + "…")
        self.query_one("#chosen", Static).update(line, layout=False)

    def update_clock(self) -> None:
        """The clock, on the header of every tab (it must never be cut off)."""
        clock = clock_text(self.desk.seconds_left(self.role), self.desk.paused)
        # The app's once-a-second tick can come while this screen is still being composed or
        # is already being taken down: then there is no header to show the clock on.
        for header in self.query(SeatHeader):
            header.show(extra=clock)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "actions":
            self.show_detail(event.option_index)

    def show_detail(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.view.actions):
            return
        available, reason = self.view.availability(self.chosen)[index]
        text = render.action_detail(self.view.actions[index], available, reason)
        detail = self.query_one("#action-detail", Static)
        # A new layout only when the text's height changes: it is the costly part.
        height = len(text.wrap(self.app.console, max(detail.size.width, 1)))
        detail.update(text, layout=height != self.detail_height)
        self.detail_height = height

    def action_choose(self) -> None:
        listing = self.query_one("#actions", OptionList)
        if listing.highlighted is None or not listing.has_focus or self.confirming or not self.is_current:
            return
        index = listing.highlighted
        action = self.view.actions[index]
        available, reason = self.view.availability(self.chosen)[index]
        if action.id in self.chosen:
            self.chosen.remove(action.id)
        elif not available:
            self.app.tell(f"{action.label} is not available: {reason}", "warning")
            return
        elif len(self.chosen) >= self.view.orders_per_turn:
            self.app.tell(f"You may give {self.view.orders_per_turn} orders this turn; unchoose one first.", "warning")
            return
        else:
            self.chosen.append(action.id)
        self.desk.draft(self.role, list(self.chosen))
        self.refresh_actions()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabBar).show(tab)
        switcher = self.query_one(ContentSwitcher)
        if tab == "orders":
            switcher.current = "orders-page"
            self.query_one("#actions", OptionList).focus()
            return
        self.query_one("#info-text", Static).update(Hanging(self.page_text(tab)))
        page = self.query_one("#info-page", VerticalScroll)
        switcher.current = "info-page"
        page.scroll_home(animate=False)
        page.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "actions":  # enter on an action
            self.action_choose()

    def action_confirm(self) -> None:
        if self.confirming or not self.is_current:
            return
        # The orders as they stand now: keys typed ahead before the dialog shows must not change them.
        chosen = list(self.chosen)
        self.confirming = True
        short = len(chosen) < self.view.orders_per_turn

        def answered(reasons: tuple[str, str] | None) -> None:
            self.confirming = False
            if reasons is not None:
                self.app.orders_given(self.role, chosen, *reasons)
            else:
                self.chosen = chosen
                self.refresh_actions()

        labels = [self.view.label(a) for a in chosen]
        self.app.push_screen(ConfirmOrders(self.view.header.seat_name, labels, short, self.view.ask_intent), answered)
