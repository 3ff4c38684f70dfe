"""Browsers join through textual-serve (`crisis host --web PORT`, the optional extra `[web]`).

textual-serve runs one join client per browser tab, as a subprocess that
talks to the host like a terminal does; the page itself holds nothing of the
game. textual-serve has no checks of its own, so every request here must
come to an address by number or `localhost` (a name could be a rebinding
attack's) and the tab's WebSocket must come from the page's own origin (no
other site may drive a join client).
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from game.net.codes import WebTabs

HERE = Path(__file__).resolve().parent

# The ticket of the browser tab whose WebSocket is being served: each request is served
# in a task of its own, so each sees its own.
_tab: ContextVar[str | None] = ContextVar("tab", default=None)
# Where a tab's join client finds its ticket: in its environment, which only its owner may
# read, not on its command line, which `ps` shows every user of the machine.
TAB_VARIABLE = "CRISIS_TAB"


def join_command(host_uri: str) -> str:
    """The shell command a browser tab runs: a join client of the host at `host_uri` (its
    ticket is in its environment: `tab_environment`)."""
    return shlex.join([sys.executable, "-m", "game", "join", host_uri])


def tab_environment(environment: dict[str, str], tab: str | None) -> dict[str, str]:
    """A tab's join client's environment: `environment`, with the ticket (`tab`) that tells the
    host which browser it speaks for."""
    return {**environment, TAB_VARIABLE: tab} if tab else environment


def _tickets_in_the_environment() -> None:
    """textual-serve (pinned) builds each tab's environment in `AppService._build_environment`,
    within the task serving the tab's WebSocket, where `_tab` holds its ticket: the ticket
    goes in there. Its Server makes the AppService it names, so that name is pointed at ours
    (it changes nothing for a server without a ticket)."""
    from textual_serve import server
    from textual_serve.app_service import AppService

    if getattr(server.AppService, "gives_tickets", False):
        return

    class TabService(AppService):
        gives_tickets = True

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            return tab_environment(super()._build_environment(width, height), _tab.get())

    server.AppService = TabService


def trusted_host(host_header: str, names: frozenset[str] = frozenset({"localhost"})) -> bool:
    """Whether a Host header names this machine by number, or by a name we were told to trust."""
    name = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    name = name.strip("[]").lower()
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def font_size(asked: str) -> int:
    """The page's font size from its ?fontsize=: 8 to 48, else 16. (`isdigit` alone let
    '²' through to int(), and the page failed with a server error.)"""
    if asked.isascii() and asked.isdecimal() and 8 <= int(asked) <= 48:
        return int(asked)
    return 16


def same_origin(origin: str | None, host_header: str) -> bool:
    return origin is not None and origin in (f"http://{host_header}", f"https://{host_header}")


async def start_web(host_uri: str, bind: str, port: int, title: str, tabs: WebTabs | None = None) -> Any:
    """Serve the join client to browsers on `bind`:`port`, in the running event loop; returns the
    aiohttp runner (`await runner.cleanup()` stops it). Raises ImportError without the [web] extra.
    Each tab's client is given a ticket from `tabs` (the host's), naming the tab's browser."""
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server

    browsers = tabs if tabs is not None else WebTabs()
    _tickets_in_the_environment()

    class WebFront(Server):
        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            ticket = browsers.open(request.remote or "?")
            if ticket is None:  # before a join client is started for it
                raise web.HTTPTooManyRequests(text="Too many tabs are open: close one, then reload this page.")
            token = _tab.set(ticket)
            try:
                return await super().handle_websocket(request)
            finally:
                _tab.reset(token)
                browsers.close(ticket)

        async def _make_app(self) -> web.Application:  # textual-serve is pinned: its app, with our checks
            app = await super()._make_app()
            app.middlewares.append(checks)
            return app

        async def on_startup(self, app: web.Application) -> None:
            """Quiet: the host prints its own lines."""

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """The page, with addresses relative to wherever the browser found it."""
            context = {
                "font_size": font_size(request.query.get("fontsize", "")),
                "config": {"static": {"url": "/static/"}},
                "application": {"name": self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

    @web.middleware
    async def checks(request: web.Request, handler):
        if not trusted_host(request.host):
            raise web.HTTPForbidden(text="Use this machine's address by number (or localhost).")
        if request.path == "/ws" and not same_origin(request.headers.get("Origin"), request.host):
            raise web.HTTPForbidden(text="This page's connection must come from the page itself.")
        return await handler(request)

    front = WebFront(join_command(host_uri), host=bind, port=port, title=title, templates_path=HERE)
    app = await front._make_app()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, bind, port).start()
    return runner
