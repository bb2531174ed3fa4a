package meter

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/ergml/erg/internal/atomicfile"
)

// String is one short human line, e.g.
// "12.5 J estimated (cpu-time, ram) in 3.2 s, 0.001649 gCO2e".
func (r Report) String() string {
	var names []string
	for _, s := range r.Sources {
		if s.Status != StatusUnavailable {
			names = append(names, s.Name)
		}
	}
	return fmt.Sprintf("%.4g J %s (%s) in %.3g s, %.4g gCO2e",
		r.Joules, r.Status, strings.Join(names, ", "), r.Seconds, r.GCO2e)
}

// WriteJSON writes the report as indented JSON to path atomically (temporary file
// in the same directory, then rename).
func (r Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("meter: encoding %s: %w", path, err)
	}
	if err := atomicfile.Write(path, append(b, '\n')); err != nil {
		return fmt.Errorf("meter: %w", err)
	}
	return nil
}

// EmissionsColumns are the columns AppendEmissionsCSV writes: CodeCarbon's
// emissions.csv columns in CodeCarbon's order (codecarbon/output_methods/
// emissions_data.py), python_version becoming go_version, without the ones erg has no
// figure for (experiment_id, utilisation percentages, ram_used_gb, water_consumed,
// codecarbon_version, longitude, latitude, wue); then three erg columns.
var EmissionsColumns = []string{
	"timestamp", "project_name", "run_id", "duration", "emissions", "emissions_rate",
	"cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy",
	"energy_consumed", "country_name", "country_iso_code", "region", "cloud_provider",
	"cloud_region", "os", "go_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model",
	"ram_total_size", "tracking_mode", "on_cloud", "pue",
	"erg_status", "erg_carbon_intensity", "erg_methods",
}

// emissionsRow renders r as one emissions.csv record. Units as in CodeCarbon:
// duration s; emissions kg CO2e; emissions_rate kg/s; powers W (mean over the run,
// IT power); energies kWh including the PUE; ram_total_size GB (2^30 bytes).
func emissionsRow(r Report, project, runID string) []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	mean := func(j float64) float64 {
		if r.Seconds <= 0 {
			return 0
		}
		return j / r.Seconds
	}
	kwh := func(j float64) float64 { return j * r.PUE / 3.6e6 }
	kg := r.GCO2e / 1000
	rate := 0.0
	if r.Seconds > 0 {
		rate = kg / r.Seconds
	}
	ram := r.DRAMJoules + r.MemJoules
	onCloud := "N"
	if r.CloudProvider != "" {
		onCloud = "Y"
	}
	var methods []string
	for _, s := range r.Sources {
		if s.Status != StatusUnavailable {
			methods = append(methods, s.Name+": "+s.Method)
		}
	}
	return []string{
		r.End.UTC().Format("2006-01-02T15:04:05"), project, runID, f(r.Seconds), f(kg), f(rate),
		f(mean(r.CPUJoules)), f(mean(r.GPUJoules)), f(mean(ram)),
		f(kwh(r.CPUJoules)), f(kwh(r.GPUJoules)), f(kwh(ram)), f(r.KWh),
		r.CountryName, r.Country, "", r.CloudProvider, r.CloudRegion,
		r.OS, r.GoVersion, strconv.Itoa(r.CPUCount), r.CPUModel, strconv.Itoa(r.GPUCount), r.GPUModel,
		f(r.RAMTotalGB), r.TrackingMode, onCloud, f(r.PUE),
		r.Status, f(r.CarbonIntensity), strings.Join(methods, "; "),
	}
}

// AppendEmissionsCSV appends one row for r to the emissions.csv at path, writing the
// header first when the file is new or empty. An existing file whose header differs
// from EmissionsColumns is left untouched and reported as an error. Header and row
// go out in a single write on a file opened with O_APPEND, so concurrent appenders
// (several runs sharing one emissions.csv) do not interleave within a row.
func AppendEmissionsCSV(path string, r Report, project, runID string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("meter: %w", err)
	}
	defer f.Close()
	head, err := bufio.NewReader(io.NewSectionReader(f, 0, 1<<20)).ReadString('\n')
	switch {
	case err != nil && !errors.Is(err, io.EOF):
		return fmt.Errorf("meter: reading %s: %w", path, err)
	case head == "":
		w.Write(EmissionsColumns)
	default:
		got, perr := csv.NewReader(strings.NewReader(head)).Read()
		if perr != nil {
			return fmt.Errorf("meter: %s:1: header: %w", path, perr)
		}
		if strings.Join(got, ",") != strings.Join(EmissionsColumns, ",") {
			return fmt.Errorf("meter: %s:1: header has %d columns starting %q, want erg's emissions.csv columns (%d, starting %q): %w",
				path, len(got), got[0], len(EmissionsColumns), EmissionsColumns[0], fs.ErrInvalid)
		}
	}
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			buf.WriteByte('\n') // close a row cut short by a crash
		}
	}
	w.Write(emissionsRow(r, project, runID))
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("meter: %s: %w", path, err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("meter: appending to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("meter: %s: %w", path, err)
	}
	return nil
}
