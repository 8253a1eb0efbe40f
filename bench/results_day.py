"""Results day over HTTP: `GET /student/marks` with wrk at 50 connections against running
services, a 200 and a 304 (If-None-Match with the ETag just served), each next to the floor
(`bench/floor.py`) measured in the same run. Besides throughput and p99 it reports the server's
CPU per request, read from /proc (the figure that holds on a shared machine).

    .venv/bin/python bench/results_day.py --floor http://127.0.0.1:18499=PID \\
        --service http://127.0.0.1:8000=PID [--service ...] --seconds 15
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess

import httpx

PUPIL = "D130000001@taalim.ma"
DEMO_PASSWORD = "Massar-demo-2026"
MARKS = "/api/v1/student/marks"


def _cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    # Our own arguments: the URLs and the token this script was given.
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "rate": rate,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def _measure(name: str, target: str, headers: dict[str, str], args: argparse.Namespace) -> float:
    url, pid = target.rsplit("=", 1)
    before = _cpu_seconds(int(pid))
    result = _wrk(url, headers, args.seconds, args.connections)
    cpu_ms = (_cpu_seconds(int(pid)) - before) * 1000 / max(result["requests"], 1)
    print(
        f"{name:<34} {result['rate']:8.1f} req/s  p99 {result['p99_ms']:7.1f} ms  "
        f"CPU {cpu_ms:5.2f} ms/request  non-2xx/3xx {result['errors']:.0f}"
    )
    return float(result["rate"])


def _login(base: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/token", json={"username": PUPIL, "password": DEMO_PASSWORD}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", required=True, help="URL=PID of bench/floor.py")
    parser.add_argument("--service", action="append", required=True, help="URL=PID of massar")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    for service in args.service:
        base, pid = service.rsplit("=", 1)
        token = {"Authorization": f"Bearer {_login(base)}"}
        etag = httpx.get(f"{base}{MARKS}", headers=token).headers["etag"]
        floor_url, floor_pid = args.floor.rsplit("=", 1)
        floor = _measure(
            "floor (decode + 1 PK select)", f"{floor_url}/floor={floor_pid}", token, args
        )
        for name, headers in (("200", token), ("304", {**token, "If-None-Match": etag})):
            rate = _measure(f"{base} marks {name}", f"{base}{MARKS}={pid}", headers, args)
            print(f"{'':<34} {rate / floor:8.2f} x the floor")


if __name__ == "__main__":
    main()
