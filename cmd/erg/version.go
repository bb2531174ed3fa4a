package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/ergml/erg/backend"
	"github.com/spf13/cobra"
)

func init() {
	rootCmd.AddCommand(&cobra.Command{
		Use:     "version",
		Short:   "print erg's version, Go version and default backend",
		Example: "  erg version --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := map[string]string{
				"erg":     Version,
				"go":      runtime.Version(),
				"backend": backend.Name(flagBackend),
				"os_arch": runtime.GOOS + "/" + runtime.GOARCH,
			}
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, d := range bi.Deps {
					if d.Path == "github.com/gomlx/gomlx" {
						v["gomlx"] = d.Version
					}
				}
				for _, s := range bi.Settings {
					if s.Key == "GOEXPERIMENT" {
						v["goexperiment"] = s.Value
					}
				}
			}
			if flagJSON {
				return printJSON(v)
			}
			fmt.Printf("erg %s (%s, %s, gomlx %s, backend %s, GOEXPERIMENT=%s)\n",
				v["erg"], v["go"], v["os_arch"], v["gomlx"], v["backend"], v["goexperiment"])
			return nil
		},
	})
}
