package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ergml/erg/bench"
)

// newBenchCmd returns the group of side-by-side speed comparisons with peer programs.
// Each suite's subcommand (erg bench core, erg bench fem, ...) is in its
// bench_<suite>.go file; the suites themselves are library packages returning a
// bench.Report.
func newBenchCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "bench",
		Short: "side-by-side speed comparisons of erg and its peers (PyTorch, FEniCS, R, ...)",
		Long: `Each subcommand runs the same workloads in erg and in the peer program in one invocation,
prints milliseconds for both and the ratio erg/peer (below 1 means erg is faster), with the
machine's load average before and after (figures taken on a busy machine are flagged).
The peer scripts are embedded in erg (bench/peers) and run with Debian's /usr/bin/python3
or Rscript; scripts/install-peers.sh installs the peers. Without its peer a suite prints
erg's figures and the reason (--require-peer makes that an error; --no-peer skips it).

With --json every suite prints one JSON object of the same shape:
  {"suite", "machine", "load": {"before", "after"}, "busy", "peer", "peer_error",
   "workloads": [{"name", "title", "erg_ms", "peer_ms", "ratio", "goal"}],
   "erg", "peer_info", "notes", "extra"}
(peer_ms, ratio and goal are 0 when absent; see package bench).`,
		Example: "  erg bench core --json\n  erg bench fem --n 16 --reps 2 --no-peer",
	}
	c.AddCommand(newBenchCoreCmd(), newBenchTscCmd(), newBenchEbmCmd(), newBenchFemCmd(), newBenchModesCmd(), newBenchSweepCmd(), newBenchVisionCmd(),
		newBenchHepCmd(), newBenchGraphCmd(), newBenchPinnCmd())
	return c
}

// benchPeerFlags are the peer flags every bench suite has.
type benchPeerFlags struct {
	noPeer, requirePeer bool
	script              string
}

func (p *benchPeerFlags) register(f *pflag.FlagSet, script string) {
	f.BoolVar(&p.noPeer, "no-peer", false, "time erg only")
	f.BoolVar(&p.requirePeer, "require-peer", false, "fail if the peer cannot run")
	f.StringVar(&p.script, "peer-script", "", "run this peer script instead of the embedded "+script+" (development)")
}

func (p *benchPeerFlags) check() error {
	if p.noPeer && p.requirePeer {
		return usagef("--no-peer and --require-peer exclude each other")
	}
	return nil
}

// printBenchReport prints a suite's report (a table, or one JSON object with --json)
// and fails after printing it when the peer was required but did not run.
func printBenchReport(cmd *cobra.Command, rep *bench.Report, p *benchPeerFlags) error {
	var err error
	if jsonOutput(cmd) {
		err = writeJSON(cmd.OutOrStdout(), rep)
	} else {
		err = rep.WriteTable(cmd.OutOrStdout())
	}
	if err == nil && p.requirePeer && rep.PeerError != "" {
		err = fmt.Errorf("bench %s: peer: %s", rep.Suite, rep.PeerError)
	}
	return err
}
