"""Commands that make documents to take home: report (of one game, or several
side by side) and handouts (the briefings, printable)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.common import count, load_or_report, restore_path, write_output

# Kinds of document a report file might be named for that it is not (it is HTML or Markdown).
OTHER_DOCUMENTS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".epub")


def report_format(args: argparse.Namespace) -> str:
    """--format, else the output file's suffix (Markdown for .md and plain .txt), else HTML."""
    if args.format:
        return args.format
    return "md" if args.output and Path(args.output).suffix.lower() in (".md", ".markdown", ".txt") else "html"


def cmd_report(args: argparse.Namespace) -> int:
    from game.reports import html, markdown
    from game.reports.compare import build_comparison
    from game.reports.report import render_report
    from game.workshop.saves import verify

    suffix = Path(args.output).suffix.lower() if args.output else ""
    if not args.format and suffix in OTHER_DOCUMENTS:
        # It wrote HTML into report.pdf, which no PDF reader opens.
        print(
            f"crisis report: error: cannot write a {suffix} report: name it .html or .md (or give --format); "
            "to get a PDF, print the HTML report from a browser",
            file=sys.stderr,
        )
        return 2
    fmt = report_format(args)
    games = []
    for path in args.saves:
        restored = restore_path(path, args.scenario, "report")
        if restored is None:
            return 1
        save, game = restored
        problems = verify(save, game)
        if problems:
            print(f"crisis report: error: {path}: the replay does not match the save: {problems[0]}", file=sys.stderr)
            return 1
        games.append((Path(path).name, game, save.players))
    if len(games) == 1:
        _, game, players = games[0]
        text = render_report(game, players, fmt)
    else:
        try:
            comparison = build_comparison(games)
        except ValueError as exc:
            print(f"crisis report: error: {exc}", file=sys.stderr)
            return 1
        text = html.comparison_page(comparison) if fmt == "html" else markdown.comparison_text(comparison)
    inputs = [*args.saves, *([args.scenario] if args.scenario else [])]
    code = write_output(text, args.output, "report", inputs, private=True)  # every team's secrets
    if code == 0 and args.output:
        print(f"Wrote the report to {args.output}", file=sys.stderr)
    return code


def cmd_handouts(args: argparse.Namespace) -> int:
    from game.reports.handouts import handouts
    from game.reports.html import handout_page
    from game.workshop.saves import atomic_write

    loaded = load_or_report(Path(args.scenario))
    if loaded is None:
        return 1
    folder = Path(args.output or f"handouts-{loaded.scenario.id}")
    if folder.exists() and not folder.is_dir():
        print(f"crisis handouts: error: {folder} is a file; give a folder", file=sys.stderr)
        return 1
    if not folder.parent.is_dir():
        print(f"crisis handouts: error: no folder {folder.parent} to make {folder.name} in", file=sys.stderr)
        return 1
    pages = handouts(loaded)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)  # a new folder is its owner's only, as a saves folder is
        for handout in pages:
            # A team's page holds its private briefing: its owner's only (0600), as a save is.
            written = folder / f"{handout.name}.html"
            atomic_write(written, handout_page(handout).encode("utf-8"), mode=0o600)
            print(f"{written}  ({handout.audience})")
    except OSError as exc:
        print(f"crisis handouts: error: cannot write in {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{count(len(pages), 'page')} in {folder}: print each team's page for that team only.", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="the after-action report of a saved game, or several games of one scenario side by side",
        description="Write the after-action report of a saved game (HTML or Markdown). Given several saves "
        "of one scenario, compare them: outcomes, scores and where they diverged.",
    )
    p.add_argument("saves", metavar="SAVE", nargs="+")
    p.add_argument("--format", choices=("html", "md"), help="html (default) or md; by default from -o's suffix")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--scenario", metavar="SCENARIO", help="the scenario file, if not where it was")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("handouts", help="the public briefing and each team's private briefing as printable pages")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("-o", "--output", metavar="DIR", help="the folder to write them in (default: handouts-ID)")
    p.set_defaults(run=cmd_handouts)
