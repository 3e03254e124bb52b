"""The GIL is released during engine calls, and Ctrl-C stops a long Monte Carlo run."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np

import pairedresample as pr

DATA = np.random.default_rng(3).normal(0.3, 1.0, size=200)


def test_two_python_threads_run_the_engine_concurrently():
    results = [None, None]

    def work(k):
        results[k] = pr.sign_flip_test(DATA, method="mc", resamples=300_000, seed=42, threads=1).to_dict()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    # While both run, this thread keeps executing Python code: it could not if the engine held the GIL.
    ticks = 0
    while any(t.is_alive() for t in threads):
        ticks += 1
        time.sleep(0.001)
    for t in threads:
        t.join()
    assert results[0] is not None and results[0] == results[1]
    assert ticks > 5


def test_same_numbers_on_any_thread_count():
    one = pr.bootstrap(DATA[:40], method="mc", resamples=5000, seed=9, threads=1).to_dict()
    two = pr.bootstrap(DATA[:40], method="mc", resamples=5000, seed=9, threads=2).to_dict()
    assert one == two


def test_ctrl_c_stops_a_monte_carlo_run():
    child = textwrap.dedent(
        """
        import sys, numpy as np, pairedresample as pr
        x = np.random.default_rng(1).normal(size=300)
        print("started", flush=True)
        try:
            pr.sign_flip_test(x, method="mc", resamples=10**12, seed=1)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
        sys.exit(0)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert p.stdout.readline().strip() == "started"
        time.sleep(1.0)
        start = time.monotonic()
        p.send_signal(signal.SIGINT)
        rc = p.wait(timeout=30)
        elapsed = time.monotonic() - start
    finally:
        if p.poll() is None:
            p.kill()
    assert rc == 3
    assert p.stdout.read().strip() == "interrupted"
    assert elapsed < 10
