#!/usr/bin/env python3
"""Where a CPU profile's time goes, by kind of work (issue 21).

Usage: go tool pprof -top -nodecount=100000 BINARY PROFILE | scripts/perf/buckets.py [--json]

Reads pprof's -top table (flat seconds per function) and sums the flat time into kinds:
matrix products (the backend's dot/matmul kernels), elementwise and reduction kernels (the
backend's ops package, split by op), transposes, executor dispatch and scheduling (the
executable's node loop, worker pool, channels, goroutine parking), allocation and GC
(mallocgc, memclr, madvise, GC marking and sweeping, stack scans of preemption), the GoMLX
graph layer (tensors, trainers) and the rest. Flat time only, so the kinds add up to the total.
"""
import json, re, sys

KINDS = [
    ("matmul", r"gobackend/dot|fusedops\.(fusedDense|execFusedDense)"),
    ("transpose", r"transpose"),
    ("elementwise/reduce", r"gobackend/ops\.|gobackend/fusedops|simd/archsimd|fastmath|^math\."),
    ("executor dispatch", r"gobackend\.\(\*FunctionExecutable\)|gobackend\.|workerspool|runtime\.(makechan|chansend|chanrecv|selectgo|gopark|goready|schedule|findRunnable|park_m|futex|lock2|unlock2|notesleep|notewakeup|semacquire|semrelease|ready|runqget|runqput|newproc|goexit|mcall|systemstack|stealWork|wakep|startm|stopm|nanotime|usleep|procyield|osyield|casgstatus|execute|resetspinning|checkTimers)|sync\.|internal/sync|atomic"),
    ("allocation, GC and preemption", r"runtime\.(mallocgc|memclr|madvise|gc|scan|markroot|greyobject|findObject|heapBits|typePointers|pageAlloc|\(\*pageAlloc\)|\(\*mheap\)|\(\*mspan\)|\(\*mcache\)|\(\*mcentral\)|nextFreeFast|sweep|bgsweep|bgscavenge|\(\*gcWork\)|\(\*gcBits\)|wbBuf|tryDefer|asyncPreempt|\(\*unwinder\)|pcvalue|findfunc|step|\(\*stkframe\)|funcInfo|stackpool|stackalloc|stackfree|copystack|newstack|morestack|scavenge|sysUnused|sysUsed|memmove|growslice|makeslice|newobject|\(\*spanSet\)|spanOf|heapSetType|mProf|profilealloc|deductAssist|\(\*gcControllerState\))|gcWriteBarrier|wbBufFlush"),
    ("GoMLX graph layer", r"github.com/gomlx/gomlx|github.com/gomlx/compute/(shapes|dtypes|tensors)|github.com/ergml"),
]

def main():
    rows, total = [], None
    for line in sys.stdin:
        m = re.match(r"Duration: .*Total samples = ([\d.]+)(ms|s)", line.strip())
        if m:
            total = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
        m = re.match(r"\s*([\d.]+)(ms|s)\s+[\d.]+%\s+[\d.]+%\s+[\d.]+(?:ms|s)\s+[\d.]+%\s+(.+)$", line)
        if m:
            rows.append((float(m.group(1)) / (1000 if m.group(2) == "ms" else 1), m.group(3)))
    sums = {k: 0.0 for k, _ in KINDS}
    sums["other"] = 0.0
    ops = {}
    for sec, fn in rows:
        for k, rx in KINDS:
            if re.search(rx, fn):
                sums[k] += sec
                if k == "elementwise/reduce":
                    m = re.search(r"ops\.(?:exec)?([A-Za-z0-9]+?)(?:Generic|\[|\.|$)", fn)
                    op = m.group(1) if m else "simd/other"
                    ops[op] = ops.get(op, 0.0) + sec
                break
        else:
            sums["other"] += sec
    total = total or sum(s for s, _ in rows)
    if "--json" in sys.argv:
        print(json.dumps({"total_s": total, "kinds": sums, "elementwise_ops": ops}))
        return
    print("| kind | seconds | share |\n|---|---|---|")
    for k, v in sums.items():
        print(f"| {k} | {v:.2f} | {100*v/total:.1f}% |")
    top = sorted(ops.items(), key=lambda kv: -kv[1])[:8]
    print("\nelementwise/reduce by op: " + ", ".join(f"{k} {100*v/total:.1f}%" for k, v in top))

main()
