#!/usr/bin/env python3
"""make test: runs every notebook in Notebooks/ headless with nbclient, as Jupyter would,
and fails when a cell fails. Committed notebooks carry no outputs (so diffs stay
readable): a notebook with outputs fails too; `--strip` removes them.

  run_notebooks.py [--strip] [NOTEBOOK ...]
"""
import argparse, pathlib, sys, time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = pathlib.Path(__file__).resolve().parent.parent


def has_outputs(book):
    return any(c.get("outputs") or c.get("execution_count") for c in book.cells if c.cell_type == "code")


def strip(book):
    for c in book.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    return book


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--strip", action="store_true", help="remove outputs from the notebooks instead of running them")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args()
    paths = [pathlib.Path(p) for p in args.notebooks] or sorted((ROOT / "Notebooks").glob("*.ipynb"))
    if not paths:
        sys.exit("run_notebooks: no notebooks in Notebooks/")
    failed = []
    for path in paths:
        book = nbformat.read(path, as_version=4)
        if args.strip:
            nbformat.write(strip(book), path)
            print(f"stripped {path.name}")
            continue
        if has_outputs(book):
            failed.append(path.name)
            print(f"FAIL {path.name}: committed with outputs; run tools/run_notebooks.py --strip", flush=True)
            continue
        start = time.time()
        client = NotebookClient(book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
            print(f"ok   {path.name}: {len(book.cells)} cells in {time.time() - start:.1f} s", flush=True)
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"FAIL {path.name}:\n{error}", flush=True)
    if failed:
        sys.exit(f"run_notebooks: {len(failed)} of {len(paths)} notebooks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
