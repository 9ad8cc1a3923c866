"""Realtime benchmark: the real ASGI server (uvicorn, one worker) on loopback, real websockets.

    .venv/bin/python tests/bench/bench_realtime.py [--quick] [--only latency,connect,lossless,memory]

Scenarios (each bounded in time):
1. latency: submit-to-screen with 100, 500 and 1,000 operator sockets, on the in-memory and the Redis
   channel layers: a report POSTed to /api/v1/reports/ until each socket has its `report.created`;
   beside, interleaved in the same run, a bare group_send of a prebuilt message to the same group and
   sockets (bench endpoint: HTTP request + one group_send, no database). p50/p99 over every
   (event, socket) pair. Client and server share this machine's cores, so client time is included in
   both columns alike.
2. connect: 1,000 simultaneous connects on the Redis layer, every one must get its `hello`.
3. lossless: 10,000 events through the real event log while 20 clients drop at random (abort or
   close) and reconnect with `?after=<last seq>`: each must end with every seq exactly once.
4. memory: server RSS after 10,000 connect/auth/hello/close cycles vs after a 1,000-cycle warm-up.

Redis: uses $REDIS_URL if set, else starts its own redis-server on a free loopback port.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    ws: str
    pid: int
    operator: str
    citizen: str

    def cpu_seconds(self) -> float:
        """CPU time all threads of the server process have used so far (ns resolution, from schedstat).

        On a machine shared with other work, wall-clock latency swings with the load; CPU time per
        event does not, so it is the figure to compare two versions of the code by."""
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                total += int((task / "schedstat").read_text().split()[0])
        return total / 1e9

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run([PY, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


@contextlib.contextmanager
def database() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "EMBEDDED_DEFAULT": "true", "VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
               "LOG_LEVEL": "WARNING", "REALTIME_HEARTBEAT_SECONDS": "30", "REALTIME_SEND_BUFFER": "2000",
               # every gap must be served by replay here (a "reload" would count as missing)
               "REALTIME_REPLAY_MAX": "1000000",
               # one citizen submits every event: the per-citizen limits (tested in the suite) would
               # answer 429 once the shared cache (Redis) has counted a few runs
               "REPORTS_PER_USER_PER_HOUR": "1000000000", "REPORTS_PER_USER_PER_DAY": "1000000000"}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "-v0")
        manage(env, "load_reference_data")
        env["BENCH_OPERATOR"] = manage(env, "issue_token", "bench-ops", "--role", "operator").split()[-1]
        env["BENCH_CITIZEN"] = manage(env, "issue_token", "+84905888000", "--role", "citizen").split()[-1]
        yield env


@contextlib.contextmanager
def server(env: dict[str, str], redis_url: str | None, extra_args: tuple[str, ...] = ()) -> Iterator[Server]:
    env = dict(env)
    if redis_url:
        env["REDIS_URL"] = redis_url
    port = free_port()
    proc = subprocess.Popen(
        [PY, "-m", "uvicorn", "tests.bench.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--no-access-log", "--lifespan", "off", "--backlog", "4096",
         # as production runs it (docker-compose.yml, manage.py serve)
         "--ws-per-message-deflate", "false", *extra_args],
        env=env, cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(f"{url}/api/v1/health/", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        yield Server(url, f"ws://127.0.0.1:{port}", proc.pid, env["BENCH_OPERATOR"], env["BENCH_CITIZEN"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a graceful stop with thousands of closed sockets can lag
            proc.kill()
            proc.wait(timeout=10)


@contextlib.contextmanager
def redis() -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found and REDIS_URL not set")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--maxclients", "20000"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def post(url: str, *, token: str | None = None, fields: dict[str, str] | None = None) -> dict:
    headers = {"Accept": "application/json"}
    data = b""
    if token:
        headers["Authorization"] = f"Token {token}"
    if fields is not None:
        boundary = uuid.uuid4().hex
        data = ("".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                        for k, v in fields.items()) + f"--{boundary}--\r\n").encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    req = urllib.request.Request(url, data=data, method="POST", headers=headers)
    with urllib.request.urlopen(req, timeout=180) as res:
        return json.loads(res.read() or b"{}")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def open_socket(srv: Server, path: str = "/ws/ops/", after: int | None = None, timeout: float = 30):
    query = f"?token={srv.operator}" + (f"&after={after}" if after is not None else "")
    ws = await websockets.connect(srv.ws + path + query, max_size=None, open_timeout=timeout,
                                  ping_interval=None, max_queue=None)
    hello = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    if hello.get("type") != "hello":
        raise RuntimeError(f"expected hello, got {hello}")
    return ws, hello


# --- 1. latency ---------------------------------------------------------------------------------------


@dataclass
class Probe:
    marker: str = ""
    t0: float = 0.0
    arrivals: list[float] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    expected: int = 0


async def latency(srv: Server, sockets: int, events: int) -> dict[str, float]:
    conns = []
    for start in range(0, sockets, 100):
        conns += [c for c, _ in await asyncio.gather(*(open_socket(srv) for _ in range(min(100, sockets - start))))]
    probe = Probe()

    async def reader(ws) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in ws:
                if probe.marker and probe.marker in raw:
                    probe.arrivals.append(time.perf_counter() - probe.t0)
                    if len(probe.arrivals) == probe.expected:
                        probe.done.set()

    readers = [asyncio.create_task(reader(ws)) for ws in conns]
    gc_before = json.loads(urllib.request.urlopen(f"{srv.url}/bench/gc/", timeout=30).read())
    results: dict[str, list[float]] = {"bare": [], "submit": []}
    # Per event: when the first socket had it (the request's own work) and how long the fan-out took.
    firsts: dict[str, list[float]] = {"bare": [], "submit": []}
    cpu: dict[str, list[float]] = {"bare": [], "submit": []}
    spreads: dict[str, list[float]] = {"bare": [], "submit": []}
    missing = {"bare": 0, "submit": 0}
    for index in range(events * 2 + 2):
        kind = "bare" if index % 2 == 0 else "submit"
        marker = uuid.uuid4().hex[:12]
        probe.marker, probe.arrivals, probe.done, probe.expected = marker, [], asyncio.Event(), len(conns)
        probe.t0, cpu0 = time.perf_counter(), srv.cpu_seconds()
        if kind == "bare":
            await asyncio.to_thread(post, f"{srv.url}/bench/realtime/group_send/?marker={marker}")
        else:
            await asyncio.to_thread(post, f"{srv.url}/api/v1/reports/", token=srv.citizen, fields={
                "description": f"Ổ gà lớn trên đường Lê Lợi gần trường Quốc Học, mã {marker}",
                "latitude": "16.4637", "longitude": "107.5909"})
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(probe.done.wait(), 20)
        spent = srv.cpu_seconds() - cpu0
        if index >= 2:  # the first pair warms up
            cpu[kind].append(spent)
            results[kind] += probe.arrivals
            missing[kind] += len(conns) - len(probe.arrivals)
            if probe.arrivals:
                firsts[kind].append(min(probe.arrivals))
                spreads[kind].append(max(probe.arrivals) - min(probe.arrivals))
        probe.marker = ""
        await asyncio.sleep(0.05)
    gc_after = json.loads(urllib.request.urlopen(f"{srv.url}/bench/gc/", timeout=30).read())
    for ws in conns:
        await ws.close()
    for task in readers:
        task.cancel()
    out: dict[str, float] = {"gc_seconds": sum(gc_after["seconds"]) - sum(gc_before["seconds"]),
                             **{f"gc_gen{g}": [round((gc_after["seconds"][g] - gc_before["seconds"][g]) * 1000),
                                               gc_after["counts"][g] - gc_before["counts"][g]] for g in range(3)},
                             "gc_longest_ms": max(gc_after["longest"]) * 1000, "heap_objects": gc_after["objects"]}
    for kind in ("bare", "submit"):
        out[f"{kind}_p50"] = pct(results[kind], 50) * 1000
        out[f"{kind}_p99"] = pct(results[kind], 99) * 1000
        out[f"{kind}_missing"] = missing[kind]
        out[f"{kind}_first_p50"] = pct(firsts[kind], 50) * 1000
        out[f"{kind}_spread_p50"] = pct(spreads[kind], 50) * 1000
        out[f"{kind}_server_cpu_ms"] = pct(cpu[kind], 50) * 1000
    return out


# --- 2. simultaneous connects ------------------------------------------------------------------------


async def connect_storm(srv: Server, count: int) -> dict[str, float]:
    started, server_cpu, client_cpu = time.perf_counter(), srv.cpu_seconds(), time.process_time()
    results = await asyncio.gather(*(open_socket(srv, timeout=60) for _ in range(count)), return_exceptions=True)
    elapsed = time.perf_counter() - started
    server_cpu, client_cpu = srv.cpu_seconds() - server_cpu, time.process_time() - client_cpu
    ok = [r for r in results if not isinstance(r, BaseException)]
    errors = [repr(r)[:120] for r in results if isinstance(r, BaseException)]
    for ws, _ in ok:
        await ws.close()
    return {"ok": len(ok), "failed": len(errors), "seconds": elapsed, "first_error": errors[0] if errors else "",
            "server_cpu_seconds": server_cpu, "client_cpu_seconds": client_cpu}


# --- 3. lossless under random drops ------------------------------------------------------------------


async def lossless(srv: Server, total: int, clients: int, seed: int = 5) -> dict[str, int]:
    rng = random.Random(seed)
    start_head = (await open_socket(srv))[1]["seq"]
    received: list[list[int]] = [[] for _ in range(clients)]
    last_seq = [start_head] * clients
    drops = [0] * clients
    reloads = [0] * clients
    finished = asyncio.Event()
    final = {"last": 0}

    async def client(i: int) -> None:
        while True:
            try:
                ws, _ = await open_socket(srv, after=last_seq[i])
            except Exception:
                await asyncio.sleep(0.1)
                continue
            try:
                async for raw in ws:
                    msg = json.loads(raw)
                    if msg["type"] == "reload":
                        reloads[i] += 1
                    if msg["type"] == "report.updated":
                        received[i].append(msg["seq"])
                        last_seq[i] = max(last_seq[i], msg["seq"])
                        if rng.random() < 1 / 400:  # the network drops, sometimes rudely
                            drops[i] += 1
                            if rng.random() < 0.5:
                                ws.transport.abort()
                            else:
                                await ws.close()
                            break
                    if final["last"] and last_seq[i] >= final["last"]:
                        await ws.close()
                        return
            except websockets.ConnectionClosed:
                pass
            await asyncio.sleep(rng.random() * 0.2)

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    first = last = 0
    for _ in range(total // 100):
        result = await asyncio.to_thread(post, f"{srv.url}/bench/realtime/emit/?n=100")
        first, last = first or result["first"], result["last"]
    final["last"] = last
    done, pending = await asyncio.wait(tasks, timeout=120)
    for task in pending:
        task.cancel()
    expected = set(range(first, last + 1))
    missing = sum(len(expected - set(r)) for r in received)
    duplicated = sum(len(r) - len(set(r)) for r in received)
    out_of_order = sum(any(b <= a for a, b in zip(r, r[1:], strict=False)) for r in received)
    finished.set()
    return {"events": last - first + 1, "clients": clients, "drops": sum(drops), "missing": missing,
            "duplicated": duplicated, "clients_out_of_order": out_of_order, "unfinished": len(pending),
            "reloads": sum(reloads)}


# --- 4. memory ---------------------------------------------------------------------------------------


async def cycles(srv: Server, count: int, concurrency: int = 50) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            ws, _ = await open_socket(srv)
            await ws.close()

    for start in range(0, count, 1000):
        await asyncio.gather(*(one() for _ in range(min(1000, count - start))))


async def memory(srv: Server, total: int) -> dict[str, float]:
    await cycles(srv, 1000)
    await asyncio.sleep(1)
    before = srv.rss_kib()
    started = time.perf_counter()
    await cycles(srv, total)
    await asyncio.sleep(1)
    after = srv.rss_kib()
    return {"cycles": total, "rss_before_mib": before / 1024, "rss_after_mib": after / 1024,
            "growth_pct": (after - before) / before * 100, "seconds": time.perf_counter() - started}


@contextlib.contextmanager
def profiled(folder: str, srv: Server, name: str) -> Iterator[None]:
    """py-spy samples the server process while the block runs (nothing when `folder` is empty)."""
    if not folder:
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    spy = subprocess.Popen([shutil.which("py-spy") or str(Path(PY).parent / "py-spy"), "record", "--pid", str(srv.pid),
                            "--format", "raw", "--threads", "--gil", "--rate", "200", "-o", str(Path(folder) / f"{name}.txt")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    try:
        yield
    finally:
        spy.send_signal(2)  # SIGINT: py-spy writes its file and exits
        spy.wait(timeout=60)


# Redis layers the benchmark can compare (tests/bench/settings.py reads BENCH_REDIS_LAYER); "" = as configured.
REDIS_LAYERS = {
    "redis": "",
    "redis-core": "channels_redis.core.RedisChannelLayer",
    "redis-fanout": "realtime.layers.FanoutRedisChannelLayer",
    "redis-pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}


# --- main --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer events and sockets (smoke run)")
    parser.add_argument("--only", default="latency,connect,lossless,memory")
    parser.add_argument("--layers", default="memory,redis",
                        help="channel layers to run: memory, redis (the configured Redis layer), and for comparison "
                             "redis-core (channels-redis' RedisChannelLayer), redis-fanout (realtime.layers.FanoutRedisChannelLayer), "
                             "redis-pubsub (channels-redis' RedisPubSubChannelLayer)")
    parser.add_argument("--sizes", default="", help="socket counts for latency (default 100,500,1000)")
    parser.add_argument("--events", type=int, default=0, help="events per size and kind (default 20)")
    parser.add_argument("--uvicorn-args", default="", help="extra uvicorn options for the server, space-separated")
    parser.add_argument("--py-spy", default="", metavar="DIR",
                        help="record the server with py-spy (pip install py-spy) into DIR/<scenario>.txt (collapsed stacks)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    layers = set(args.layers.split(","))
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else [100, 500] if args.quick else [100, 500, 1000]
    events = args.events or (5 if args.quick else 20)
    report: dict[str, object] = {}
    with database() as env, redis() as redis_url:
        for layer, url in (("memory", None), *((name, redis_url) for name in REDIS_LAYERS)):
            if layer not in layers:
                continue
            layer_env = {**env, "BENCH_REDIS_LAYER": REDIS_LAYERS[layer]} if REDIS_LAYERS.get(layer) else env
            with server(layer_env, url, tuple(args.uvicorn_args.split())) as srv:
                if "latency" in only:
                    for n in sizes:
                        with profiled(args.py_spy, srv, f"latency-{layer}-{n}"):
                            r = asyncio.run(latency(srv, n, events))
                        report[f"latency/{layer}/{n}"] = r
                        print(f"latency  {layer:12} {n:5} sockets: submit p50 {r['submit_p50']:7.1f} ms  p99 "
                              f"{r['submit_p99']:7.1f} ms | bare group_send p50 {r['bare_p50']:7.1f} ms  p99 "
                              f"{r['bare_p99']:7.1f} ms | p99 ratio {r['submit_p99'] / r['bare_p99']:.2f}x | missing "
                              f"{r['submit_missing']}/{r['bare_missing']} | first socket p50 submit "
                              f"{r['submit_first_p50']:.1f} / bare {r['bare_first_p50']:.1f} ms, fan-out p50 submit "
                              f"{r['submit_spread_p50']:.1f} / bare {r['bare_spread_p50']:.1f} ms | server CPU per event"
                              f" p50 submit {r['submit_server_cpu_ms']:.1f} / bare {r['bare_server_cpu_ms']:.1f} ms | server GC "
                              f"{r['gc_seconds'] * 1000:.0f} ms in all, longest pause {r['gc_longest_ms']:.0f} ms, "
                              f"{r['heap_objects']:,} objects; per generation [ms, runs] {r['gc_gen0']} {r['gc_gen1']} {r['gc_gen2']}",
                              flush=True)
                if "connect" in only and layer.startswith("redis"):
                    with profiled(args.py_spy, srv, f"connect-{layer}-1000"):
                        r = asyncio.run(connect_storm(srv, 1000))
                    report[f"connect/{layer}/1000"] = r
                    print(f"connect  {layer}  1000 simultaneous: ok {r['ok']}  failed {r['failed']}  in "
                          f"{r['seconds']:.1f} s (CPU: server {r['server_cpu_seconds']:.1f} s, bench client "
                          f"{r['client_cpu_seconds']:.1f} s) {r['first_error']}", flush=True)
                if "lossless" in only:
                    r = asyncio.run(lossless(srv, 2000 if args.quick else 10_000, 20))
                    report[f"lossless/{layer}"] = r
                    print(f"lossless {layer:6} {r['events']} events x {r['clients']} clients, {r['drops']} drops: "
                          f"missing {r['missing']}  duplicated {r['duplicated']}  out of order "
                          f"{r['clients_out_of_order']}  unfinished {r['unfinished']}  reloads {r['reloads']}", flush=True)
                if "memory" in only:
                    r = asyncio.run(memory(srv, 2000 if args.quick else 10_000))
                    report[f"memory/{layer}"] = r
                    print(f"memory   {layer:6} {r['cycles']} connect/disconnect cycles: RSS {r['rss_before_mib']:.1f}"
                          f" -> {r['rss_after_mib']:.1f} MiB ({r['growth_pct']:+.1f}%) in {r['seconds']:.0f} s", flush=True)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "realtime.json").write_text(json.dumps(report, indent=2))
    print(f"median of all p99 ratios: {statistics.median([v['submit_p99'] / v['bare_p99'] for k, v in report.items() if k.startswith('latency')] or [0]):.2f}x")


if __name__ == "__main__":
    main()
