"""A team joins from a browser tab: headless Chromium against `crisis host --web`.

The test drives Chromium through its DevTools protocol (over a WebSocket, with
the `websockets` library the game already uses): it opens the page, types the
US team's code, presses Enter, and checks the host's side (the team joined,
then read its briefing) and the screen (a screenshot that is not blank, and
not the code prompt any more). Without Chromium, or without the [web] extra,
it skips and says why; CI installs both (.ci/run)."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import signal
import sys
import urllib.error
import urllib.request

import pytest
from helpers import ROOT, TUTORIAL
from net_harness import run_bounded
from test_net_resume import CODE, SEATS, free_port
from test_report_browser import FLAGS, browser, ink, pixels
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from game.workshop.saves import read_save

pytest.importorskip("textual_serve", reason="the browser front needs the web extra: pip install 'crisis-sim[web]'")


class DevTools:
    """The few DevTools calls the test needs, on one page."""

    def __init__(self, ws):
        self.ws = ws
        self.n = 0
        self.session: str | None = None

    async def call(self, method: str, **params):
        self.n += 1
        message = {"id": self.n, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        await self.ws.send(json.dumps(message))
        while True:
            answer = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
            if answer.get("id") == self.n:
                assert "error" not in answer, answer
                return answer.get("result", {})

    async def open(self, url: str) -> None:
        target = await self.call("Target.createTarget", url="about:blank")
        self.session = (await self.call("Target.attachToTarget", targetId=target["targetId"], flatten=True))[
            "sessionId"
        ]
        await self.call("Page.enable")
        await self.call("Page.bringToFront")  # keys go to the page in front
        await self.call("Page.navigate", url=url)

    async def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    async def type(self, text: str) -> None:
        for ch in text:
            await self.call("Input.dispatchKeyEvent", type="keyDown", text=ch, key=ch)
            await self.call("Input.dispatchKeyEvent", type="keyUp", key=ch)

    async def enter(self) -> None:
        await self.call(
            "Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r"
        )
        await self.call("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)

    async def screenshot(self, path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))


async def lines_until(stream, pattern: str, seconds: float = 30) -> list[str]:
    lines: list[str] = []
    while not lines or not re.search(pattern, lines[-1]):
        line = await asyncio.wait_for(stream.readline(), seconds)
        if not line:
            raise AssertionError("the process stopped:\n" + "\n".join(lines))
        lines.append(line.decode(errors="replace").rstrip())
    return lines


async def devtools_address(log) -> str:
    for _ in range(300):
        found = re.search(r"DevTools listening on (ws://\S+)", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        await asyncio.sleep(0.1)
    raise AssertionError("Chromium did not start: " + log.read_text(errors="replace")[-2000:])


async def eventually(test, seconds: float = 30) -> None:
    for _ in range(int(seconds * 10)):
        if test():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


JOINED = "host: United States joined from a browser at 127.0.0.1"


def test_a_team_joins_from_a_browser_tab_and_plays_its_briefing(tmp_path):
    chromium = browser()
    port, web = free_port(), free_port()

    async def run():
        host = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "game", "host", str(TUTORIAL), "--port", str(port), "--web", str(web),
            "--saves", str(tmp_path / "saves"), cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        profile = tmp_path / "profile"
        profile.mkdir()
        chrome_log = (tmp_path / "chromium.log").open("wb")  # a file: a pipe left unread would stall the browser
        chrome = await asyncio.create_subprocess_exec(
            chromium, *FLAGS[:-1], "--remote-debugging-port=0", f"--user-data-dir={profile}",
            "--window-size=1000,700", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=chrome_log,
        )  # fmt: skip
        try:
            lines = await lines_until(host.stdout, "^Ctrl\\+C")
            codes = {SEATS[m.group(1)]: m.group(2) for line in lines if (m := CODE.match(line))}
            autosave = next(line.split(": ", 1)[1] for line in lines if line.startswith("Autosave: "))
            assert f"Or in a browser:   http://127.0.0.1:{web}/" in lines
            devtools = await devtools_address(tmp_path / "chromium.log")
            log: list[str] = []

            async def read_log():
                while line := await host.stderr.readline():
                    log.append(line.decode(errors="replace").rstrip())

            reader = asyncio.create_task(read_log())
            async with connect(devtools, max_size=None) as ws:
                page = DevTools(ws)
                await page.open(f"http://127.0.0.1:{web}/")
                await asyncio.sleep(1)
                prompt = tmp_path / "prompt.png"
                for _ in range(150):  # the tab's own join client starts, and asks for the code in a framed box
                    await page.screenshot(prompt)
                    if ink(prompt)[0] > 0.1:
                        break
                    await asyncio.sleep(0.2)
                await asyncio.sleep(1)  # keys just after a new screen are dropped
                for _attempt in range(3):  # a machine under load may still be drawing: type again
                    await page.click(500, 300)  # the code field: the terminal takes the keys
                    await asyncio.sleep(0.5)
                    await page.type(codes["us"])
                    await page.enter()
                    try:
                        await eventually(lambda: JOINED in log, 10)
                        break
                    except AssertionError:
                        continue
                # The tab's join client gave the host its ticket: wrong codes typed in one
                # browser count against that browser, not every tab (all connect from here).
                assert JOINED in log
                await asyncio.sleep(1.5)  # keys just after a new screen are dropped
                shown = tmp_path / "briefing.png"
                await page.screenshot(shown)
                share, colours = ink(shown)
                assert share > 0.05 and colours > 10, f"only {share:.1%} drawn"
                assert pixels(shown) != pixels(prompt)  # the prompt gave way to the team's screen
                await page.enter()  # done with the public briefing: the host records it
                await eventually(lambda: "us" in read_save(autosave).workshop["public_read"])
                # Another site's page may not drive a join client, nor a name reach the page.
                with pytest.raises(InvalidStatus) as refused:
                    async with connect(f"ws://127.0.0.1:{web}/ws", origin="http://evil.example"):
                        pass
                assert refused.value.response.status_code == 403
                renamed = urllib.request.Request(f"http://127.0.0.1:{web}/", headers={"Host": f"rebind.example:{web}"})
                with pytest.raises(urllib.error.HTTPError) as refused_page:
                    await asyncio.to_thread(urllib.request.urlopen, renamed, timeout=10)
                assert refused_page.value.code == 403
                await page.call("Page.close")
            await eventually(lambda: "host: United States left" in log)
            reader.cancel()
        finally:
            for process in (chrome, host):
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(process.wait(), 20)
            chrome_log.close()

    run_bounded(run(), 90)  # Chromium, the host and a join client per tab to start


def processes_running(text: str) -> dict[int, tuple[list[str], list[str]]]:
    """This user's processes whose command line holds `text`: pid -> (command line, environment)."""
    from pathlib import Path

    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")
            if any(text in word for word in command):
                found[int(proc.name)] = (command, (proc / "environ").read_bytes().decode(errors="replace").split("\0"))
        except OSError:  # gone meanwhile, or another user's
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the processes' command lines in /proc")
def test_a_tabs_ticket_is_in_its_join_clients_environment_never_on_its_command_line(tmp_path):
    """`crisis join --tab TICKET` showed every browser tab's ticket to every user of the host's
    machine (`ps` shows each process's command line to all). The ticket now travels in the
    client's environment, which only its owner may read."""
    from game.net.codes import WebTabs
    from game.net.web import TAB_VARIABLE, start_web

    async def run():
        tabs, web = WebTabs(), free_port()
        uri = f"ws://127.0.0.1:{free_port()}"  # no host needed: the client keeps trying meanwhile
        runner = await start_web(uri, "127.0.0.1", web, "Test", tabs)
        try:
            async with connect(f"ws://127.0.0.1:{web}/ws", origin=f"http://127.0.0.1:{web}"):
                await eventually(lambda: any("join" in c for c, _ in processes_running(uri).values()), 20)
                [ticket] = tabs.browsers
                clients = processes_running(uri)
                assert not [c for c, _ in clients.values() if any(ticket in word for word in c)]
                assert any(f"{TAB_VARIABLE}={ticket}" in environment for _, environment in clients.values())
        finally:
            await runner.cleanup()
            # The tab's client is stopped as its page closes: waited for here, in this loop (its
            # process's transport, left to a later test, warned of a closed loop).
            await eventually(lambda: not processes_running(uri), 10)
            await asyncio.sleep(0.1)

    run_bounded(run(), 40)


def test_a_browser_cannot_open_tabs_without_end():
    """Each tab starts a join client, a process of its own: tabs are bounded per browser
    and in all, and one over the bound is refused before any process is started."""
    from game.net.codes import WebTabs
    from game.net.web import start_web

    tabs = WebTabs(most=3, most_per_browser=2)
    assert tabs.open("192.0.2.7") and tabs.open("192.0.2.7") and tabs.open("192.0.2.7") is None
    assert tabs.open("127.0.0.1") and tabs.open("192.0.2.8") is None  # three in all
    tabs.close(next(iter(tabs.browsers)))
    assert tabs.open("192.0.2.8") is not None  # a closed tab frees its place

    async def run():
        web = free_port()
        runner = await start_web("ws://127.0.0.1:1", "127.0.0.1", web, "Test", tabs)
        try:
            with pytest.raises(InvalidStatus) as refused:
                async with connect(f"ws://127.0.0.1:{web}/ws", origin=f"http://127.0.0.1:{web}"):
                    pass
            assert refused.value.response.status_code == 429
            assert len(tabs.browsers) == 3
        finally:
            await runner.cleanup()

    run_bounded(run(), 30)
