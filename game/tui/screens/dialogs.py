"""Small modal dialogs: confirm, ask for text, choose from a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.tui.hanging import Hanging

R = TypeVar("R")


class Dialog(ModalScreen[R]):
    """A dialog box over the game. While another dialog covers it (a question the White
    Cell's menu asks), its box is hidden: two boxes drawn one over the other cross their
    borders and mix their lines. It shows again when the one on top closes."""

    context = ""  # whose question it is, on the box's top border (e.g. "White Cell")

    def on_mount(self) -> None:
        if self.context:
            self.query_one(".dialog").border_title = self.context

    def on_screen_suspend(self) -> None:
        self.add_class("covered")

    def on_screen_resume(self) -> None:
        self.remove_class("covered")


class Confirm(Dialog[bool]):
    """Yes or no; dismisses with True for yes."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str, detail: str = ""):
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title")
            if self.detail:
                yield Static(Text(self.detail), classes="dialog-detail")
            yield Label("y: yes    n: no", classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Ask(Dialog[str | None]):
    """A line of text; dismisses with it, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, question: str, value: str = "", placeholder: str = "", allow_empty: bool = False, password: bool = False
    ):
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.allow_empty = allow_empty
        self.password = password

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="answer", password=self.password)
            yield Label("enter: done    escape: cancel", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text or self.allow_empty:
            self.dismiss(text)
        else:
            self.notify("Please write something, or press escape to cancel.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choose(Dialog[str | None]):
    """One of several choices (id, label); dismisses with the id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], detail: str = ""):
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self.title_text), classes="dialog-title")
            if self.detail:
                yield Static(Text(self.detail), classes="dialog-detail")
            # The keys first: a long list must not push them off a small screen.
            yield Label("↑↓ move    enter: choose    escape: cancel", classes="dialog-keys")
            yield OptionList(*[Option(Text(label), id=key) for key, label in self.choices], id="choices")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(Dialog[None]):
    """A page of text over the game: help, sources, the facilitator's reveal."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, text, hint: str = "↑↓ scroll    escape: close", text_id: str = "page-text"):
        super().__init__()
        self.text = text
        self.hint = hint
        self.text_id = text_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            with VerticalScroll():
                yield Static(Hanging(self.text if isinstance(self.text, Text) else Text(self.text)), id=self.text_id)
            yield Static(Text(self.hint), classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)


class TooSmallScreen(Screen):
    """Covers everything while the terminal is below the smallest size the game is laid out for."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", priority=True)]

    def __init__(self, minimum: tuple[int, int], check_size: Callable[[], None]):
        super().__init__()
        self.minimum = minimum
        self.check_size = check_size  # the app's: it takes this message away once the game fits

    def compose(self) -> ComposeResult:
        yield Static(self.message(), id="too-small")

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(self.message())

    def on_screen_resume(self) -> None:
        """Uncovered (a screen opened over it, by a key or the network, has closed): the
        terminal may have grown meanwhile, which the app saw with another screen on top."""
        self.check_size()

    def message(self) -> Text:
        width, height = self.minimum
        return Text(
            f"The terminal is {self.app.size.width}×{self.app.size.height}: crisis-sim needs at least "
            f"{width}×{height}.\nMake the window larger (or the font smaller); the game waits."
        )


class WaitingScreen(Screen):
    """A plain screen while the table waits (the dice are rolling); keys do nothing here."""

    def __init__(self, message: str):
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(Text(self.message), id="waiting")
