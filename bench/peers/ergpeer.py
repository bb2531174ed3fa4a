"""Shared set-up of erg's Python peer scripts: BLAS configuration and timing.

Every PyTorch peer (bench/peers/*.py, scripts/*/..._torch.py) calls configure_blas()
before importing torch, reports blas_info() with its figures, and times workloads
with fastest(). `erg bench` unpacks all of bench/peers into one directory, so the
embedded scripts import this module; scripts elsewhere in the repository add
bench/peers to sys.path first.
"""
import math
import os
import sys
import time

OPENMP_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def configure_blas():
    """Give PyTorch its best BLAS set-up on this machine, re-executing once if needed.

    Debian's python3-torch uses the system BLAS. OpenBLAS's OpenMP build shares
    torch's thread pool (the pthread build adds its own threads on top of torch's);
    OpenBLAS 0.3.21 does not recognise some virtual CPUs and falls back to SSE3
    kernels (5x slower), so the kernel is chosen from /proc/cpuinfo unless
    OPENBLAS_CORETYPE is set; and OpenMP threads that spin while waiting (the default)
    make torch 10-20x slower when other programs share the CPUs, so OMP_WAIT_POLICY
    is PASSIVE unless set.
    """
    if os.environ.get("ERG_BENCH_BLAS_SET"):
        return
    env = dict(os.environ, ERG_BENCH_BLAS_SET="1")
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if os.path.exists(os.path.join(OPENMP_BLAS, "libblas.so.3")):
        env["LD_LIBRARY_PATH"] = OPENMP_BLAS + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    if "OPENBLAS_CORETYPE" not in env:
        try:
            flags = set(next(l for l in open("/proc/cpuinfo") if l.startswith("flags")).split(":")[1].split())
        except (OSError, StopIteration):
            flags = set()
        if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
            env["OPENBLAS_CORETYPE"] = "Cooperlake" if "avx512_bf16" in flags else "SkylakeX"
        elif {"avx2", "fma"} <= flags:
            env["OPENBLAS_CORETYPE"] = "Haswell"
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def blas_info():
    """The BLAS library torch loaded, and OpenBLAS's kernel, as a string."""
    libs = set()
    try:
        for line in open("/proc/self/maps"):
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                libs.add(path)
    except OSError:
        pass
    core = ""
    for path in libs:
        if "openblas" in path:
            try:
                import ctypes
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                core = " " + lib.openblas_get_corename().decode()
            except (OSError, AttributeError):
                pass
    return (", ".join(sorted(libs)) or "unknown") + core


def fastest(f, warmup, iters, rounds):
    """Runs f warmup times untimed, then rounds rounds of iters calls; returns the
    fastest round's mean in milliseconds (erg's bench suites do the same)."""
    for _ in range(warmup):
        f()
    best = math.inf
    for _ in range(max(rounds, 1)):
        start = time.perf_counter()
        for _ in range(iters):
            f()
        best = min(best, (time.perf_counter() - start) * 1e3 / iters)
    return best
