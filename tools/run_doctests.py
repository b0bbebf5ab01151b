#!/usr/bin/env python3
"""Runs every shell example of README.md and docs/*.md and checks its output against the
page, as Rust's doctests check a crate's documentation.

An example is a fenced block whose lines start with `$ `: each such command runs (bash, in
a scratch folder holding SampleData and docs/examples as examples/, with `hostfit` and the
project's venv on PATH), and the lines under it up to
the next `$ ` line are its expected output: stdout and stderr as a terminal shows them
(each stream in order; the page may interleave them). Every page runs in a folder of its
own, its examples in page order, so later ones see the files earlier ones wrote.

Matching, trycmd-style:
- a line `...` stands for any number of lines;
- `[..]` within a line stands for any text;
- durations (`0.08 s`, `12 ms`) match any duration, so run times need no marking.
A command ending in ` &` starts in the background (a server): its expected lines are the
first it prints, and it is stopped when the page ends. A block whose fence says
`console no-run` is shown, not run (give the reason beside it on the page).

Usage: run_doctests.py --hostfit PATH [--serve PATH] [PAGE ...]
Prints one line per example and closes with 'N passed, N failed'.
"""
import argparse
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DURATION = re.compile(r"\b\d+(?:\.\d+)? ?(?:s|ms|seconds)\b")


def pages(paths):
    if paths:
        return paths
    found = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    found += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return found


def examples(path):
    """(line number, command, expected lines, runs) for every `$ ` line of the page."""
    found = []
    fence, runs, current = None, True, None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            stripped = line.strip()
            if fence is None:
                if stripped.startswith("```"):
                    fence = stripped[:3]
                    runs = "no-run" not in stripped
                continue
            if stripped.startswith(fence):
                fence, current = None, None
                continue
            if line.startswith("$ "):
                command = line[2:]
                while command.endswith("\\"):  # a command continued on the next line
                    command = command[:-1] + " "
                    number_next = next(f).rstrip("\n")
                    command += number_next.strip()
                current = [number, command, [], runs]
                found.append(current)
            elif current is not None:
                current[2].append(line)
    return found


def normalize(line):
    return DURATION.sub("<duration>", line.rstrip())


def line_matches(expected, actual):
    expected, actual = normalize(expected), normalize(actual)
    if "[..]" not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("[..]"))
    return re.fullmatch(pattern, actual) is not None


def matches(expected, out, err):
    """Whether the expected lines are an interleaving of stdout's and stderr's lines, each in
    order, with `...` standing for any lines of either."""
    memo = {}

    def go(e, o, r):
        key = (e, o, r)
        if key in memo:
            return memo[key]
        if e == len(expected):
            result = o == len(out) and r == len(err)
        elif expected[e].strip() == "...":
            # Skip any number of lines of either stream.
            result = any(go(e + 1, o2, r2) for o2 in range(o, len(out) + 1) for r2 in range(r, len(err) + 1))
        else:
            result = (o < len(out) and line_matches(expected[e], out[o]) and go(e + 1, o + 1, r)) or \
                     (r < len(err) and line_matches(expected[e], err[r]) and go(e + 1, o, r + 1))
        memo[key] = result
        return result

    return go(0, 0, 0)


def lines(text):
    return [l for l in text.split("\n")][:-1] if text.endswith("\n") else text.split("\n") if text else []


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hostfit", required=True)
    parser.add_argument("--serve", help="hostfit-serve (default: beside --hostfit)")
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args()

    bin_dir = tempfile.mkdtemp(prefix="hostfit-doctest-bin-")
    os.symlink(os.path.abspath(args.hostfit), os.path.join(bin_dir, "hostfit"))
    serve = args.serve or os.path.join(os.path.dirname(os.path.abspath(args.hostfit)), "hostfit-serve")
    if os.path.exists(serve):
        os.symlink(os.path.abspath(serve), os.path.join(bin_dir, "hostfit-serve"))
    # The project's venv (requests, for the client example) before the system's Python.
    venv = os.path.join(ROOT, ".venv", "bin")
    path = bin_dir + os.pathsep + (venv + os.pathsep if os.path.isdir(venv) else "") + os.environ.get("PATH", "")
    env = dict(os.environ, PATH=path, COLUMNS="80", LC_ALL="C.UTF-8")

    passed = failed = 0
    for page in pages(args.pages):
        found = examples(page)
        if not found:
            continue
        name = os.path.relpath(page, ROOT)
        work = tempfile.mkdtemp(prefix="hostfit-doctest-")
        os.symlink(os.path.join(ROOT, "SampleData"), os.path.join(work, "SampleData"))
        os.symlink(os.path.join(ROOT, "docs", "examples"), os.path.join(work, "examples"))
        background = []
        try:
            for number, command, expected, runs in found:
                if not runs:
                    continue
                where = f"{name}:{number}"
                if command.endswith(" &"):
                    ok, shown = start_background(command[:-2], expected, work, env, background)
                else:
                    run = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=600)
                    out, err = lines(run.stdout), lines(run.stderr)
                    ok = matches(expected, out, err)
                    shown = "stdout:\n" + run.stdout + "stderr:\n" + run.stderr + f"(exit {run.returncode})"
                if ok:
                    passed += 1
                    print(f"ok   {where}: $ {command[:90]}")
                else:
                    failed += 1
                    print(f"FAIL {where}: $ {command}\n--- the page shows:\n" + "\n".join(expected) + "\n--- the command printed:\n" + shown + "\n---")
        finally:
            for process in background:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(bin_dir, ignore_errors=True)
    print(f"doctests: {passed} passed, {failed} failed")
    return 1 if failed else 0


def start_background(command, expected, work, env, background):
    """Starts a server and waits for as many output lines as the page shows (60 s at most)."""
    process = subprocess.Popen(["bash", "-c", "exec " + command], cwd=work, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    background.append(process)
    wanted = len([l for l in expected if l.strip() != "..."])
    data = b""
    deadline = time.time() + 60
    while data.count(b"\n") < wanted and time.time() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            data += chunk
    got = lines(data.decode("utf-8", "replace"))
    return matches(expected, got, []), "\n".join(got)


if __name__ == "__main__":
    sys.exit(main())
