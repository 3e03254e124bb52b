#!/usr/bin/env python3
"""Compares command outputs against a baseline taken before the JSON contract (issue 15).

usage: compare-baseline.py COMMANDS BEFORE_DIR AFTER_DIR

Text outputs must be byte-identical, apart from the one deliberate change: the sign-flip test
is named "signflip" everywhere (it was "sign_flip" in test's table). JSON outputs must carry
every leaf of the baseline at the same path with the same value (numbers compared as numbers, so
462.0 and 462 agree); keys the contract added are ignored, and the restructuring is mapped:
test's top-level "tests" (a repeat of endpoints[].tests) is gone, plan's "command" (the
recommended command line) is "recommended_command", "sign_flip" is "signflip", power's "test" is
"tests"[0], coverage's "n" is "sizes"[0] and its "bootstrap_mode" is on each row. plan's measured
time predictions (keys with "seconds", and the reason quoting them) vary between runs and are
skipped.
"""
import json
import sys


def leaves(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, path + (i,))
    else:
        yield path, value


def measured(command, path):
    """plan's time predictions are measured on this machine at run time (pilots), as is the
    reason that quotes them: they differ from run to run and are not compared."""
    if command != "plan":
        return False
    last = path[-1] if path else ""
    return isinstance(last, str) and ("seconds" in last or last == "reason")


def mapped(command, path):
    if command == "test" and path[:1] == ("tests",):
        return None  # listed once now, under endpoints[].tests
    if command == "plan" and path == ("command",):
        return ("recommended_command",)
    # power and coverage take grids: the one test and the one n of a baseline run are the first of
    # "tests" and "sizes", and coverage's bootstrap mode is per n, on every row of "methods".
    if command == "power" and path == ("test",):
        return ("tests", 0)
    if command == "coverage" and path == ("n",):
        return ("sizes", 0)
    if command == "coverage" and path == ("bootstrap_mode",):
        return ("methods", 0, "bootstrap_mode")
    return path


def lookup(value, path):
    for p in path:
        if isinstance(value, dict) and p in value:
            value = value[p]
        elif isinstance(value, list) and isinstance(p, int) and p < len(value):
            value = value[p]
        else:
            raise KeyError(path)
    return value


def same(a, b):
    if isinstance(a, str) and a == "sign_flip":
        a = "signflip"
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return a == b


def main():
    commands, before, after = sys.argv[1:4]
    lines = [l.split() for l in open(commands).read().splitlines() if l.strip()]
    failures = 0
    for i, words in enumerate(lines, start=1):
        command = words[0]
        old = open(f"{before}/out{i}.txt", "rb").read()
        new = open(f"{after}/out{i}.txt", "rb").read()
        problems = []
        for name in ("rc", "err"):
            if open(f"{before}/{name}{i}.txt", "rb").read() != open(f"{after}/{name}{i}.txt", "rb").read():
                problems.append(f"{name} differs")
        if old.lstrip().startswith(b"{"):
            a, b = json.loads(old), json.loads(new)
            count = 0
            for path, value in leaves(a):
                target = mapped(command, path)
                if target is None or measured(command, path):
                    continue
                count += 1
                try:
                    got = lookup(b, target)
                except KeyError:
                    problems.append(f"missing {'/'.join(map(str, path))}")
                    continue
                if not same(value, got):
                    problems.append(f"{'/'.join(map(str, path))}: {value!r} -> {got!r}")
            kind = f"json, {count} leaves"
        else:
            if command == "test":
                # The name column keeps its width: "sign_flip " -> "signflip  ".
                old = old.replace(b"sign_flip ", b"signflip  ").replace(b"sign_flip", b"signflip")
            if old != new:
                problems.append("text differs")
            kind = "text"
        status = "ok" if not problems else "DIFFERS"
        print(f"{i:2} {status:7} {kind:18} {' '.join(words)}")
        for p in problems[:10]:
            print(f"     {p}")
        failures += bool(problems)
    print(f"{len(lines) - failures} of {len(lines)} outputs match the baseline")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
