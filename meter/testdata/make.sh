#!/bin/sh
# Makes the fake procfs trees (cpuinfo, meminfo, driver/nvidia) the meter tests
# read. Run from meter/:  sh testdata/make.sh
# The fake powercap (sysfs) trees are the hand-written manifests powercap/*.txt,
# which the tests materialise in t.TempDir(): sysfs zone names contain ':', which
# Go module zips do not allow in file names.
set -eu
cd "$(dirname "$0")"
rm -rf proc

# /proc/cpuinfo and /proc/meminfo samples (abridged to the fields erg reads plus a
# few neighbours, in the kernel's format).
cpu() { # cpu DIR MODEL PHYSID...
	d=$1 model=$2; shift 2
	case $model in AMD*) vendor=AuthenticAMD ;; *) vendor=GenuineIntel ;; esac
	mkdir -p proc/$d
	i=0
	: >proc/$d/cpuinfo
	for p in "$@"; do
		printf 'processor\t: %d\nvendor_id\t: %s\ncpu family\t: 6\nmodel name\t: %s\nphysical id\t: %s\nsiblings\t: %d\ncpu cores\t: %d\nflags\t\t: fpu vme de pse tsc msr\n\n' \
			$i "$vendor" "$model" "$p" $# $# >>proc/$d/cpuinfo
		i=$((i + 1))
	done
	printf 'MemTotal:       16323208 kB\nMemFree:         1234567 kB\nMemAvailable:    9876543 kB\n' >proc/$d/meminfo
}
cpu xeon-gold-6148 'Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz' 0 0 1 1
cpu epyc-7742 'AMD EPYC 7742 64-Core Processor' 0 0 0 0
cpu i7-8700k 'Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz' 0 0
cpu vm-unknown 'Intel(R) Xeon(R) Processor' 0 0
mkdir -p proc/vm-unknown/driver/nvidia
echo 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.129.03' >proc/vm-unknown/driver/nvidia/version
