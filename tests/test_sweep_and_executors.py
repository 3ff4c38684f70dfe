"""Sweeps and executors: the same games, byte for byte, whatever runs them."""

import contextlib
import json

import pytest
from helpers import TUTORIAL, shipped

from game.analysis.executors import DaskCluster, ExecutorError, ProcessPool, Serial, make_executor
from game.analysis.simulate import run_batch
from game.analysis.sweep import run_sweep, to_json
from game.analysis.variants import VariantError, apply, parse_sets
from game.cli.main import main

SETS = ["tension.start=30,70", "us.capital.start=1,5"]


def sweep_json(executor, batch=None) -> bytes:
    loaded = shipped(TUTORIAL)
    bots = {r.id: "random" for r in loaded.scenario.roles}
    return to_json(run_sweep(loaded, parse_sets(SETS), 60, 3, bots, executor, batch)).encode()


def test_the_same_sweep_serially_on_a_process_pool_and_on_dask_is_byte_for_byte_the_same():
    serial = sweep_json(Serial(), batch=60)
    with ProcessPool(2) as pool:
        assert sweep_json(pool, batch=7) == serial
    pytest.importorskip("distributed")
    with DaskCluster(None, 2) as dask:
        assert sweep_json(dask, batch=13) == serial
        # The same cluster by its scheduler's address, as `--executor dask://HOST:PORT` reaches one.
        address = dask.cluster.scheduler_address.removeprefix("tcp://")
        with make_executor(f"dask://{address}") as remote:
            assert remote.name == "dask" and remote.workers == 2
            assert sweep_json(remote) == serial
    data = json.loads(serial)
    assert [v["set"] for v in data["variants"]] == [
        {"tension.start": "30", "us.capital.start": "1"},
        {"tension.start": "30", "us.capital.start": "5"},
        {"tension.start": "70", "us.capital.start": "1"},
        {"tension.start": "70", "us.capital.start": "5"},
    ]
    assert all(v["games"] == 60 for v in data["variants"])


def test_a_variant_changes_the_games_as_it_says():
    """Tension starting at 70 rather than 30 gives more open conflict and less calm."""
    data = json.loads(sweep_json(Serial()))
    low, high = data["variants"][0]["outcomes"], data["variants"][2]["outcomes"]
    assert high["conflict"] > low["conflict"] and high["calm"] < low["calm"]
    variant = apply(shipped(TUTORIAL), (("tension.start", "70"), ("turns.max", "2"), ("protest.chance", "0")))
    assert variant.scenario.tracks[0].start == 70 and variant.scenario.turns.max == 2
    assert variant.scenario.injects[1].chance == 0
    assert shipped(TUTORIAL).scenario.tracks[0].start == 40  # the scenario itself is untouched


def test_batches_of_games_are_the_same_through_every_executor():
    loaded = shipped(TUTORIAL)
    bots = {r.id: "doctrine" for r in loaded.scenario.roles}
    here = run_batch(loaded, 30, 5, bots, detail=True)
    assert run_batch(loaded, 30, 5, bots, executor=Serial(), batch=4, detail=True) == here
    with ProcessPool(2) as pool:
        assert run_batch(loaded, 30, 5, bots, executor=pool, batch=11, detail=True) == here


@pytest.mark.parametrize(
    "sets, message",
    [
        (["tension.start=130"], "the track's start must stay within 0..100"),
        (["nothing.start=1"], "no track 'nothing'"),
        (["turns.max=0"], "outside 1..100"),
        # past what a scenario file may hold; its start's message was a 309-digit number
        (["tension.per_turn=1e308"], "1e308 is outside -1000000000000..1000000000000"),
        (["us.capital.start=-1e308"], "-1e308 is outside"),
        (["talks_open.start=maybe"], "a flag starts true or false"),
        (["tension.colour=red"], "cannot set 'tension.colour'"),
        # 101 x 11 = 1,111 variants: hours of loading for a slip of the keyboard
        (
            ["tension.start=" + ",".join(map(str, range(101))), "attacks.start=" + ",".join("0" * 11)],
            "1,111 combinations",
        ),
    ],
)
def test_impossible_variants_are_refused_before_any_game(sets, message):
    loaded = shipped(TUTORIAL)
    with pytest.raises(VariantError, match=message):
        run_sweep(loaded, parse_sets(sets), 5, 1, {r.id: "random" for r in loaded.scenario.roles}, Serial())


def test_sweep_command_output_and_errors(tmp_path, capsys):
    code = main(["sweep", str(TUTORIAL), "--set", "tension.start=30,70", "--runs", "20", "--executor", "serial"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[3].startswith("tension.start=30 ")
    assert "40 games in" in out and "(serial executor, 1 worker)" in out
    assert main(["sweep", str(tmp_path / "none.yaml"), "--set", "tension.start=1"]) == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text(TUTORIAL.read_text(encoding="utf-8").replace("start: friction", "start: nowhere"), "utf-8")
    assert main(["sweep", str(broken), "--set", "tension.start=1"]) == 1
    assert "unknown level 'nowhere'" in capsys.readouterr().err
    assert main(["sweep", str(TUTORIAL), "--set", "tension.start"]) == 2
    assert main(["sweep", str(TUTORIAL), "--set", "tension.start=500", "--executor", "serial"]) == 1
    assert main(["sweep", str(TUTORIAL), "--set", "tension.start=5", "--executor", "cloud"]) == 2
    err = capsys.readouterr().err
    assert "unknown executor 'cloud'" in err and "must stay within 0..100" in err


def test_executors_by_name():
    assert make_executor(None, 1).name == "serial"
    with make_executor(None, 2) as pool:
        assert pool.name == "process" and pool.workers == 2
    with pytest.raises(ValueError):
        make_executor("cloud", 1)


def test_an_address_where_something_else_answers_is_an_executor_error():
    """A web server at a dask:// address made Dask allocate what it read as a length: MemoryError."""
    import socket
    import threading

    pytest.importorskip("distributed")
    server = socket.create_server(("127.0.0.1", 0))

    def answer_like_a_web_server():
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                with conn:
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
                    conn.recv(1)

    threading.Thread(target=answer_like_a_web_server, daemon=True).start()
    try:
        with pytest.raises(ExecutorError, match="does not answer as a Dask scheduler"):
            make_executor(f"dask://127.0.0.1:{server.getsockname()[1]}", 1)
    finally:
        server.close()
