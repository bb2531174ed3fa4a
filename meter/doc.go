// Package meter measures or estimates the energy and carbon footprint of a run.
//
// Start begins metering; Read returns the figures so far (cheap enough to call once
// a second from a progress bar, and safe from another goroutine); Stop returns the
// final figures. Every figure says whether it was measured or estimated and how.
//
// # Sources
//
// CPU packages: Intel and AMD RAPL counters through the Linux powercap interface
// (/sys/class/powercap/intel-rapl:N/energy_uj, and the DRAM subzone
// intel-rapl:N:M whose name is "dram" when present). Other "*-rapl:N" control
// types (for example amd-rapl) are read the same way; intel-rapl-mmio zones
// duplicate the MSR package zones and psys covers the whole SoC, so both are
// skipped. The counters are whole-package, so they include other processes
// (tracking mode "machine"). A counter wraps to zero after max_energy_range_uj; a
// decrease between two samples is taken as exactly one wrap (delta = max - prev +
// cur, as Kepler and CodeCarbon do). Counters are sampled at Start, at every
// Read/Stop and on a background ticker (Config.Interval, default 10 s). A typical
// package range is 262,143 J, which at 250 W wraps every ~17 minutes, about 100
// sampling intervals, so two wraps between samples cannot happen in practice; when
// a zone's constraint_0_max_power_uw says it could wrap within two intervals the
// source carries a note. Since the CVE-2020-8694 fix energy_uj is readable by root
// only; an unreadable zone is reported with the reason and the CPU falls back to
// the estimate below (the CPU is measured only when every package zone is
// readable, so a partial sum is never passed off as a measurement).
//
// NVIDIA GPUs: NVML through github.com/NVIDIA/go-nvml, which needs cgo and dlopens
// libnvidia-ml.so.1 at run time. It is compiled in only with the build tag "nvml"
// (go build -tags nvml); without the tag, or without a driver, the GPU source is
// reported unavailable with the reason (and a warning when an NVIDIA driver is
// present, since GPU energy is then not counted). NVML's total-energy counter (mJ,
// Volta and later) is used when the device has it, otherwise power.draw is sampled
// every second and integrated with the trapezoid rule.
//
// Estimate (no readable RAPL, as in most VMs and containers): the process's CPU
// time (user + system, all threads, from getrusage) times a per-logical-CPU power
// taken from a small embedded table of TDPs by model name (/proc/cpuinfo "model
// name"; W per logical CPU = TDP / hardware threads of that model, which stays
// right inside VMs that show only a few vCPUs). An unknown CPU uses
// DefaultWattsPerCore = 12.5 W per logical CPU, deliberately on the high side (a
// 100 W, 8-thread desktop part; the table's entries give 1.5 to 16 W), so unknown
// machines are over- rather than under-estimated. A busy logical CPU is charged its
// full TDP share and idle power is not charged to the run.
//
// Concurrent work in one process: a Meter charges whatever the process uses, so two
// Meters around two goroutines' work would each count both. Shared is a ledger of
// Shares, one per piece of work (Start, Stop), that splits each interval of process
// CPU time equally among the shares running during it, at the estimate's power per
// core; the pieces' figures then add up to the process's CPU energy. Its figures are
// always estimated. erg's time-series benchmark (package tsc) meters its parallel
// cells this way.
//
// Memory: DRAM RAPL when every package has a readable dram zone; otherwise
// RAMWattsPerGB = 0.375 W per GB (CodeCarbon's pre-v3 rule of 3 W per 8 GB of DDR3
// or DDR4, from Crucial; CodeCarbon v3 uses 5 W per DIMM, which needs the DIMM
// count that an unprivileged process cannot see) times the peak resident set of
// the metered process times the wall time. Exactly one of DRAMJoules and MemJoules
// is non-zero.
//
// # Energy, PUE and carbon
//
// Report.Joules is IT energy: CPU + DRAM or RAM estimate + GPU. FacilityJoules is
// Joules × PUE (power usage effectiveness, Config.PUE, default 1.0, i.e. no
// data-centre overhead; carbontracker defaults to 1.58, the Uptime Institute's 2018
// global average). KWh is facility energy, and GCO2e = KWh × CarbonIntensity.
// Carbon intensity comes from Config.CarbonIntensity when positive, else from the
// cloud region table (CloudIntensity), else from the country table
// (CountryIntensity), else the world average WorldIntensity = 475 gCO2e/kWh
// (CodeCarbon's default).
//
// # Outputs
//
// Report.WriteJSON writes energy.json atomically. AppendEmissionsCSV appends one
// row to an emissions.csv whose columns are CodeCarbon's (python_version becomes
// go_version) followed by three erg columns; as in CodeCarbon, energies are in kWh
// and include the PUE, emissions are in kg CO2e and powers are mean watts over the
// run.
//
// References:
//   - S. del Rey, S. Martínez-Fernández, L. Cruz, X. Franch, "Do DL models and
//     training environments have an impact on energy consumption?", SEAA 2023,
//     arXiv:2307.05520 (the reason every erg run is metered).
//   - CodeCarbon (mlco2/codecarbon): emissions.csv columns, RAM 3 W per 8 GB, world
//     default 475 g/kWh, country intensities (data/private_infra/global_energy_mix.json,
//     Our World in Data / Ember, year 2021) and cloud regions (data/cloud/impact.csv).
//   - L. F. W. Anthony, B. Kanding, R. Selvan, "Carbontracker: tracking and predicting
//     the carbon footprint of training deep learning models", ICML workshop 2020,
//     arXiv:2007.03051 (PUE 1.58).
//   - Kepler (sustainable-computing-io/kepler): RAPL wraparound through
//     max_energy_range_uj; attribution by CPU time.
//   - Intel 64 and IA-32 Architectures Software Developer's Manual, vol. 3B, ch. 15.10
//     (RAPL); Linux Documentation/power/powercap/powercap.rst.
package meter
