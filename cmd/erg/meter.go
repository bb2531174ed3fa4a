package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/meter"
)

// meterOpts are the flags of the meter commands.
type meterOpts struct {
	country   string
	cloud     string
	intensity float64
	pue       float64
	noGPU     bool
	csv       string
	out       string
	project   string
	runID     string
}

func printSources(out io.Writer, r meter.Report, joules bool) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "source\tstatus\tJ\tmethod / note")
	for _, s := range r.Sources {
		text := s.Method
		if s.Note != "" {
			text = strings.TrimPrefix(text+"; "+s.Note, "; ")
		}
		j := "-"
		if joules && s.Status != meter.StatusUnavailable {
			j = fmt.Sprintf("%.4g", s.Joules)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.Name, s.Status, j, text)
	}
	w.Flush()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown CPU"
	}
	return s
}

// config turns the flags into a meter.Config.
func (f *meterOpts) config() (meter.Config, error) {
	cfg := meter.Config{Country: f.country, CarbonIntensity: f.intensity, PUE: f.pue, DisableGPU: f.noGPU}
	if f.cloud != "" {
		p, r, ok := strings.Cut(f.cloud, ":")
		if !ok || p == "" || r == "" {
			return cfg, usagef("erg meter: --cloud %q: want PROVIDER:REGION, e.g. aws:eu-west-3 or gcp:europe-west1", f.cloud)
		}
		cfg.CloudProvider, cfg.CloudRegion = p, r
		if _, ok := meter.CloudIntensity(p, r); !ok {
			return cfg, usagef("erg meter: --cloud %q: region not in the built-in table (give --intensity instead)", f.cloud)
		}
	}
	if f.country != "" {
		if _, ok := meter.CountryIntensity(f.country); !ok {
			return cfg, usagef("erg meter: --country %q: not in the built-in table (ISO-3166 alpha-3 or alpha-2; known: %s; or give --intensity)",
				f.country, strings.Join(meter.Countries(), " "))
		}
	}
	if f.pue != 0 && f.pue < 1 {
		return cfg, usagef("erg meter: --pue %g: must be >= 1", f.pue)
	}
	if f.intensity < 0 {
		return cfg, usagef("erg meter: --intensity %g: must be >= 0", f.intensity)
	}
	return cfg, nil
}

// newMeterCmd returns the meter command group.
func newMeterCmd() *cobra.Command {
	meterFlags := &meterOpts{}
	meterCmd := &cobra.Command{
		Use:   "meter",
		Short: "energy and carbon metering: the sources this machine offers, and metering a command",
		Long: `Energy comes from RAPL counters (/sys/class/powercap) and NVIDIA GPUs (NVML, in binaries
	built with -tags nvml) when they are readable, otherwise from an estimate: process CPU time
	times a per-core power from a CPU table, plus 0.375 W per GB of peak resident memory. Every
	figure is labelled measured or estimated. Carbon = energy x PUE x grid intensity
	(--intensity, --cloud, --country, or the world average of 475 gCO2e/kWh).`,
		Example: "  erg meter info\n  erg meter run --country FRA -- sleep 1",
	}

	meterInfoCmd := &cobra.Command{
		Use:     "info",
		Short:   "which energy sources are available here, the CPU power used, and the carbon intensity",
		Example: "  erg meter info\n  erg meter info --country DEU --pue 1.58 --json",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("erg meter info: takes no arguments, got %q", args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := meterFlags.config()
			if err != nil {
				return err
			}
			r, err := meter.Probe(cfg)
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), struct {
					NVMLCompiled bool `json:"nvml_compiled"`
					meter.Report
				}{meter.NVMLCompiled, r})
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(w, "cpu\t%s, %d logical CPUs\n", orUnknown(r.CPUModel), r.CPUCount)
			fmt.Fprintf(w, "cpu power\t%g W per busy logical CPU (%s)\n", r.WattsPerCore, r.CPUPower)
			fmt.Fprintf(w, "ram\t%.1f GB total; estimate %g W/GB of peak resident memory\n", r.RAMTotalGB, meter.RAMWattsPerGB)
			fmt.Fprintf(w, "carbon\t%g gCO2e/kWh (%s), PUE %g\n", r.CarbonIntensity, r.CarbonSource, r.PUE)
			fmt.Fprintf(w, "nvml\tcompiled in: %v\n", meter.NVMLCompiled)
			fmt.Fprintf(w, "status\t%s (tracking mode %s)\n", r.Status, r.TrackingMode)
			w.Flush()
			printSources(os.Stdout, r, false)
			return nil
		},
	}

	meterRunCmd := &cobra.Command{
		Use:   "run [flags] -- CMD [ARGS...]",
		Short: "run a command and report its energy and carbon",
		Long: `Runs CMD with erg's standard input, output and error, meters it, and prints the report.
	Without RAPL the CPU energy is estimated from the command's CPU time (getrusage of the
	waited-for children), so the figures appear when it exits. With --json the command's
	standard output goes to standard error and stdout holds one JSON object.`,
		Example: "  erg meter run -- sleep 2\n  erg meter run --country FRA --csv emissions.csv --out energy.json -- ./bin/erg demo",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("erg meter run: missing command (erg meter run [flags] -- CMD [ARGS...])")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			cfg, err := meterFlags.config()
			if err != nil {
				return err
			}
			cfg.Process = meter.Children()
			m, err := meter.Start(cfg)
			if err != nil {
				return err
			}
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
			if jsonOutput(c) {
				cmd.Stdout = os.Stderr
			}
			// The terminal sends Ctrl-C to the child too; erg stays alive to report.
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
			defer signal.Stop(sig)
			if err := cmd.Start(); err != nil {
				m.Stop()
				return fmt.Errorf("erg meter run: %w", err)
			}
			go func() {
				for s := range sig {
					if s == syscall.SIGTERM {
						cmd.Process.Signal(s)
					}
				}
			}()
			runErr := cmd.Wait()
			r := m.Stop()
			code := 0
			var ee *exec.ExitError
			if errors.As(runErr, &ee) {
				code = ee.ExitCode()
			} else if runErr != nil {
				return fmt.Errorf("erg meter run: %w", runErr)
			}
			if meterFlags.out != "" {
				if err := r.WriteJSON(meterFlags.out); err != nil {
					return err
				}
			}
			if meterFlags.csv != "" {
				id := meterFlags.runID
				if id == "" {
					id = r.Start.UTC().Format("20060102T150405Z")
				}
				if err := meter.AppendEmissionsCSV(meterFlags.csv, r, meterFlags.project, id); err != nil {
					return err
				}
			}
			if jsonOutput(c) {
				if err := writeJSON(c.OutOrStdout(), struct {
					Command  []string     `json:"command"`
					ExitCode int          `json:"exit_code"`
					Report   meter.Report `json:"report"`
				}{args, code, r}); err != nil {
					return err
				}
			} else {
				fmt.Printf("%s: %s\n", strings.Join(args, " "), r)
				printSources(os.Stdout, r, true)
				fmt.Printf("carbon: %.4g gCO2e = %.4g kWh (IT %.4g J x PUE %g) x %g gCO2e/kWh (%s)\n",
					r.GCO2e, r.KWh, r.Joules, r.PUE, r.CarbonIntensity, r.CarbonSource)
			}
			if code != 0 {
				return fmt.Errorf("erg meter run: %s exited with status %d", args[0], code)
			}
			return nil
		},
	}

	// printSources writes one line per source; with joules, the energy of each.
	for _, c := range []*cobra.Command{meterInfoCmd, meterRunCmd} {
		fl := c.Flags()
		fl.StringVar(&meterFlags.country, "country", "", "country for the grid carbon intensity, ISO-3166 alpha-3 or alpha-2 (FRA, DE, ...)")
		fl.StringVar(&meterFlags.cloud, "cloud", "", "cloud region for the carbon intensity, PROVIDER:REGION (aws:eu-west-3, gcp:europe-west1, azure:westeurope)")
		fl.Float64Var(&meterFlags.intensity, "intensity", 0, "carbon intensity in gCO2e/kWh (overrides --country and --cloud)")
		fl.Float64Var(&meterFlags.pue, "pue", 0, "power usage effectiveness of the data centre (default 1; carbontracker uses 1.58)")
		fl.BoolVar(&meterFlags.noGPU, "no-gpu", false, "do not look for NVIDIA GPUs")
	}
	fl := meterRunCmd.Flags()
	fl.StringVar(&meterFlags.out, "out", "", "also write the report as JSON to this file (atomically), e.g. energy.json")
	fl.StringVar(&meterFlags.csv, "csv", "", "also append a CodeCarbon-style row to this emissions.csv")
	fl.StringVar(&meterFlags.project, "project", "erg", "project_name column of the --csv row")
	fl.StringVar(&meterFlags.runID, "run-id", "", "run_id column of the --csv row (default: the start time)")
	fl.SetInterspersed(false) // everything after CMD belongs to CMD
	meterCmd.AddCommand(meterInfoCmd, meterRunCmd, meterIntegrateCmd())
	return meterCmd
}
