"""The turn screen: one team chooses its orders, secretly.

Tabs keep it readable at 80x24: Orders (the actions, what each costs and why
one is not available), Situation (ladder, public tracks, history), News (what
happened last turn) and Team (own tracks, objectives, private briefing).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, OptionList, Static
from textual.widgets.option_list import Option

from game.engine import events as ev
from game.engine.game import Option as ActionOption
from game.engine.views import Seat
from game.reports.timeline import EventText
from game.scenario.text import format_number
from game.tui.screens.dialogs import Confirm
from game.tui.text import basis_tag, mark, paragraph, track_line
from game.tui.widgets.footer import KeyFooter
from game.tui.widgets.situation import situation_text
from game.tui.widgets.tabbar import TabBar
from game.workshop.session import Session

TABS = [("orders", "Orders"), ("situation", "Situation"), ("news", "News"), ("team", "Team")]
WIDE = 130  # columns from which the situation and news show beside the orders


def cost_text(option: ActionOption, labels: dict[str, str]) -> str:
    if not option.action.cost:
        return "free"
    return ", ".join(f"{format_number(v)} {labels[f'{option.role}.{k}']}" for k, v in option.action.cost.items())


def last_turn_news(session: Session, role: str) -> Text:
    """What this team may see of the last turn (orders revealed, rolls, injects,
    ladder, news), and of this turn so far (the White Cell's news and injects)."""
    game = session.game
    seat = Seat(game, role)
    text, out = EventText(game), Text()

    def add(events) -> None:
        for e in events:
            if type(e) in (ev.OrdersSubmitted, ev.OrdersOpened, ev.TurnBegan, ev.ActionTaken, ev.FacilitatorNoted):
                continue
            if not seat.visible(e):
                continue
            line = text.line(e)
            if line:
                out.append(
                    ("• " if type(e) is ev.NewsPublished else "  ") + line + "\n",
                    style="bold" if type(e) in (ev.NewsPublished, ev.LadderMoved) else "",
                )

    began = [e for e in game.log if type(e) is ev.TrackChanged and e.turn == game.turn and e.cause == "per turn"]
    if began and game.turn > 1:
        out.append("As this turn began, on their own\n", style="bold underline")
        add(began)
        out.append("\n")
    now = [e for e in session.turn_events(game.turn) if type(e) in (ev.NewsPublished, ev.InjectFired, ev.TrackChanged)]
    if now:
        out.append("This turn so far\n", style="bold underline")
        add(now)
        out.append("\n")
    last = session.turn_events(game.turn - 1) if game.turn > 1 else []
    if last:
        out.append(f"Last turn (turn {game.turn - 1})\n", style="bold underline")
        add(last)
    if not now and not last:
        out.append("Nothing has happened yet: this is the first turn.", style="italic")
    return out


class OrdersScreen(Screen):
    BINDINGS = [
        Binding("space", "toggle", "Choose / unchoose", show=True),
        Binding("c", "confirm", "Confirm orders"),
        Binding("1", "tab('orders')", "Orders", show=False),
        Binding("2", "tab('situation')", "Situation", show=False),
        Binding("3", "tab('news')", "News", show=False),
        Binding("4", "tab('team')", "Team", show=False),
        Binding("i", "app.sources", "Sources"),
    ]

    def __init__(self, session: Session, role: str):
        super().__init__()
        self.session = session
        self.role = role
        self.seat = Seat(session.game, role)
        self.turn = session.game.turn
        self.chosen: list[str] = []
        self.seconds_left: int | None = None
        self.detail_height = 0
        self.pages: dict[str, Text] = {}

    # -------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Header()
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
        """The text of an information tab (the state does not change while a team chooses)."""
        if tab not in self.pages:
            if tab == "situation":
                self.pages[tab] = situation_text(self.session.game)
            elif tab == "news":
                self.pages[tab] = last_turn_news(self.session, self.role)
            else:
                self.pages[tab] = self.team_text(self.seat.view())
        return self.pages[tab]

    def refresh_after_white_cell(self) -> None:
        """The White Cell changed the game during this team's turn: show it, keep the choices."""
        self.pages.clear()
        self.chosen = [a for a in self.chosen if any(o.available for o in self.seat.options() if o.action.id == a)]
        self.refresh_actions()
        if self.query_one(TabBar).active != "orders":
            self.action_tab(self.query_one(TabBar).active)

    def on_resize(self, event) -> None:
        wide = event.size.width >= WIDE
        if wide and not self.has_class("wide"):
            side = situation_text(self.session.game, label_width=20, basis=False)
            side.append("\n")
            side.append_text(self.page_text("news"))
            self.query_one("#side-text", Static).update(side)
        if wide != self.has_class("wide"):
            self.set_class(wide, "wide")
            self.call_after_refresh(self.refresh_actions)  # the list's width changed

    def on_mount(self) -> None:
        view = self.seat.view()
        self.title = f"Turn {view.turn} of {view.max_turns} · {view.date}"
        self.sub_title = view.name
        self.refresh_actions()
        self.query_one("#actions", OptionList).focus()
        minutes = self.session.settings.timer_minutes
        if minutes:
            self.seconds_left = minutes * 60
            self.set_interval(1, self.tick)
        self.update_title()

    def team_text(self, view) -> Text:
        out = Text(f"{view.name}\n", style="bold")
        out.append("Your tracks\n", style="bold underline")
        for track in view.tracks:
            if track.key.startswith(self.role + "."):
                out.append_text(track_line(track))
                out.append("\n")
        out.append("\nObjectives (would they hold if the game ended now?)\n", style="bold underline")
        for objective in view.objectives:
            out.append(f"{mark(objective.holds_now)}  {objective.text} ({objective.points} pt)\n")
        out.append("\nPrivate briefing\n", style="bold underline")
        for shown in view.private_briefing:
            out.append_text(paragraph(shown.text, shown.basis, shown.note))
            out.append("\n")
        return out

    # ------------------------------------------------------------- actions

    def options(self) -> list[ActionOption]:
        spent: dict[str, float] = {}
        for action_id in self.chosen:
            for track, amount in self.session.game.rules.actions[f"{self.role}.{action_id}"].cost.items():
                key = f"{self.role}.{track}"
                spent[key] = spent.get(key, 0) + amount
        # Each option is checked as if it were added to the orders already chosen.
        base = {o.action.id: o for o in self.seat.options()}
        with_spending = {o.action.id: o for o in self.seat.options(spent)}
        return [
            base[a.id] if a.id in self.chosen else with_spending[a.id]
            for a in self.session.game.rules.roles[self.role].actions
        ]

    def refresh_actions(self) -> None:
        listing = self.query_one("#actions", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        room = (52 if self.has_class("wide") else 44) - 4  # the list's width (app.tcss) inside border and scrollbar
        for option in self.options():
            chosen = option.action.id in self.chosen
            box = "[x]" if chosen else ("[ ]" if option.available else " - ")
            # One line each: the label gives way to the cost (the detail panel has both in full).
            cost = (
                (" · " + "+".join(format_number(v) for v in option.action.cost.values())) if option.action.cost else ""
            )
            label = option.action.label
            if len(box) + 1 + len(label) + len(cost) > room:
                label = label[: max(room - len(box) - 2 - len(cost), 5)] + "…"
            line = Text(f"{box} {label}", style="bold" if chosen else ("" if option.available else "dim"))
            line.append(cost, style="dim")
            listing.add_option(Option(line, id=option.action.id))
        listing.highlighted = highlighted if highlighted is not None else 0
        self.update_chosen()
        self.show_detail(listing.highlighted)

    def update_chosen(self) -> None:
        limit = self.seat.orders_per_turn
        rules = self.session.game.rules
        names = ", ".join(rules.actions[f"{self.role}.{a}"].label for a in self.chosen) or "none yet"
        line = Text(no_wrap=True, overflow="ellipsis")
        clock = self.clock()
        if clock:  # first: it must never be cut off
            line.append(clock + "  ", style="bold reverse")
            self.query_one(TabBar).show(extra=clock)  # on every tab too
        line.append("c: confirm  ", style="bold")
        summary = f"Orders {len(self.chosen)} of {limit}: {names}"
        room = max(self.size.width - len(line) - 2, 10)
        line.append(summary if len(summary) <= room else summary[: room - 1] + "…")
        self.query_one("#chosen", Static).update(line, layout=False)

    def clock(self) -> str:
        if self.seconds_left is None:
            return ""
        minutes, seconds = divmod(max(self.seconds_left, 0), 60)
        return f"⏱ {minutes:02d}:{seconds:02d}" + (" paused" if self.app.clock_paused else "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "actions":
            self.show_detail(event.option_index)

    def show_detail(self, index: int | None) -> None:
        if index is None:
            return
        options = self.options()
        if not 0 <= index < len(options):
            return
        option = options[index]
        action, game = option.action, self.session.game
        text = Text(action.label + "\n", style="bold")
        if not option.available:  # first, so it is never below the fold
            text.append(f"Not available: {option.reason}\n", style="bold reverse")
        text.append(f"{action.category} · cost: {cost_text(option, game.rules.track_labels)}")
        if action.max_uses:
            used = game.state.uses.get(option.key, 0)
            text.append(f" · used {used} of {action.max_uses}")
        text.append("\n\n")
        text.append(" ".join(action.description.render(game.state).split()) + "\n")
        if action.provenance:  # its note stays for the review: it may tell what happened later
            text.append("\n")
            text.append_text(basis_tag(action.provenance.basis))
            text.append(
                " this move was made in reality"
                if action.provenance.basis != "fictional"
                else " a move written for the game",
                style="dim",
            )
            text.append("\n")
        chances = [format_number(r.chance) for r in action.results]
        if len(chances) == 1 and chances[0] != "100":
            text.append(f"\nChance of success: {chances[0]}% before modifiers.\n", style="dim")
        elif len(chances) > 1:
            text.append(
                f"\n{len(chances)} results, each rolled for: "
                + ", ".join(f"{c}%" for c in chances)
                + " before modifiers.\n",
                style="dim",
            )
        detail = self.query_one("#action-detail", Static)
        # A new layout only when the text's height changes: it is the costly part.
        height = len(text.wrap(self.app.console, max(detail.size.width, 1)))
        detail.update(text, layout=height != self.detail_height)
        self.detail_height = height

    def action_toggle(self) -> None:
        listing = self.query_one("#actions", OptionList)
        if listing.highlighted is None or not listing.has_focus:
            return
        option = self.options()[listing.highlighted]
        action_id = option.action.id
        if action_id in self.chosen:
            self.chosen.remove(action_id)
        elif not option.available:
            self.notify(f"{option.action.label} is not available: {option.reason}", severity="warning")
            return
        elif len(self.chosen) >= self.seat.orders_per_turn:
            self.notify(
                f"You may give {self.seat.orders_per_turn} orders this turn; unchoose one first.", severity="warning"
            )
            return
        else:
            self.chosen.append(action_id)
        self.refresh_actions()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabBar).show(tab)
        switcher = self.query_one(ContentSwitcher)
        if tab == "orders":
            switcher.current = "orders-page"
            self.query_one("#actions", OptionList).focus()
            return
        self.query_one("#info-text", Static).update(self.page_text(tab))
        page = self.query_one("#info-page", VerticalScroll)
        switcher.current = "info-page"
        page.scroll_home(animate=False)
        page.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "actions":  # enter on an action
            self.action_toggle()

    def action_confirm(self) -> None:
        rules = self.session.game.rules
        names = "\n".join(f"• {rules.actions[f'{self.role}.{a}'].label}" for a in self.chosen) or "• no orders"
        short = len(self.chosen) < self.seat.orders_per_turn
        detail = names + ("\n\nYou may still choose more." if short else "")

        def answered(yes: bool | None) -> None:
            if yes:
                self.send()

        self.app.push_screen(Confirm(f"Send these orders for {rules.role_label(self.role)}?", detail), answered)

    def send(self) -> None:
        self.seconds_left = None
        self.app.orders_given(self.role, list(self.chosen))

    # --------------------------------------------------------------- timer

    def tick(self) -> None:
        if self.seconds_left is None or self.app.clock_paused:
            self.update_title()
            return
        self.seconds_left -= 1
        self.update_title()
        if self.seconds_left <= 0:
            self.seconds_left = None
            self.notify("Time is up.", severity="warning")
            self.app.time_up(self.role, list(self.chosen))

    def update_title(self) -> None:
        self.sub_title = self.session.game.rules.roles[self.role].name
        if self.seconds_left is not None:
            self.update_chosen()
