package meter_test

import (
	"fmt"
	"time"

	"github.com/ergml/erg/meter"
)

// Meter a piece of work on a machine without RAPL: the CPU energy is estimated from
// the process's CPU time. Here the process is a stand-in that has used one CPU-second
// by the time the meter stops, on a CPU that is not in the power table (12.5 W per
// logical CPU).
func Example() {
	var used time.Duration
	proc := meter.ProcessFunc(func() (meter.Usage, error) {
		return meter.Usage{CPU: used}, nil
	})
	m, err := meter.Start(meter.Config{
		PowercapRoot: "testdata/no-powercap-here",
		ProcRoot:     "testdata/proc/vm-unknown",
		Process:      proc,
		DisableGPU:   true,
		Country:      "FRA",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	used = time.Second // ... the work ...
	r := m.Stop()
	fmt.Printf("%.4g J %s, %.4g gCO2e at %g g/kWh\n", r.Joules, r.Status, r.GCO2e, r.CarbonIntensity)
	for _, s := range r.Sources {
		if s.Status == meter.StatusUnavailable {
			fmt.Printf("%s: %s: %s\n", s.Name, s.Status, s.Note)
		} else {
			fmt.Printf("%s: %s: %s\n", s.Name, s.Status, s.Method)
		}
	}
	// Output:
	// 12.5 J estimated, 0.000234 gCO2e at 67.39 g/kWh
	// cpu-time: estimated: cpu-time x 12.5 W/core (table: unknown CPU default)
	// ram: estimated: peak RSS x 0.375 W/GB x wall time (CodeCarbon 3 W per 8 GB)
	// rapl: unavailable: no testdata/no-powercap-here (no powercap/RAPL driver: usual in VMs, containers and on non-x86 CPUs); using the estimate
	// nvml: unavailable: disabled by Config.DisableGPU
}

// Carbon intensity by country (ISO-3166 alpha-3 or alpha-2) or cloud region.
func ExampleCountryIntensity() {
	fr, _ := meter.CountryIntensity("FR")
	gcp, _ := meter.CloudIntensity("gcp", "europe-west1")
	fmt.Println(fr.CountryName, fr.GCO2ePerKWh)
	fmt.Println(gcp.Region, gcp.CountryName, gcp.GCO2ePerKWh)
	// Output:
	// France 67.39
	// europe-west1 Belgium 62.7
}
