package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/ergml/erg/backend"
	"github.com/spf13/cobra"
)

// newVersionCmd returns erg version.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "print erg's version, Go version and default backend",
		Example: "  erg version --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := versionOut{Erg: Version, Go: runtime.Version(), Backend: backend.Name(backendFlag(cmd)),
				OSArch: runtime.GOOS + "/" + runtime.GOARCH, PatchedCompute: backend.Patched()}
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, d := range bi.Deps {
					if d.Path == "github.com/gomlx/gomlx" {
						v.GoMLX = d.Version
					}
				}
				for _, s := range bi.Settings {
					if s.Key == "GOEXPERIMENT" {
						v.GoExperiment = s.Value
					}
				}
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), v)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "erg %s (%s, %s, gomlx %s, backend %s, GOEXPERIMENT=%s, patched compute %v)\n",
				v.Erg, v.Go, v.OSArch, v.GoMLX, v.Backend, v.GoExperiment, v.PatchedCompute)
			return nil
		},
	}
}

type versionOut struct {
	Erg            string `json:"erg"`
	Go             string `json:"go"`
	Backend        string `json:"backend"`
	OSArch         string `json:"os_arch"`
	GoMLX          string `json:"gomlx,omitempty"`
	GoExperiment   string `json:"goexperiment,omitempty"`
	PatchedCompute bool   `json:"patched_compute"`
}
