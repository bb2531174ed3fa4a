package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/sweep"
)

// natsFlags are the flags naming a NATS server and its credentials. Secrets may also
// come from $NATS_USER/$NATS_PASSWORD, $NATS_TOKEN and $NATS_CREDS; they are never
// written to a sweep directory or printed.
type natsFlags struct {
	url                          string
	user, password, token, creds string
	tlsCA, tlsCert, tlsKey       string
}

func (f *natsFlags) register(fs *pflag.FlagSet, urlHelp string) {
	fs.StringVar(&f.url, "nats", "", urlHelp)
	fs.StringVar(&f.user, "user", "", "NATS user (or $NATS_USER)")
	fs.StringVar(&f.password, "password", "", "NATS password (or $NATS_PASSWORD; prefer the variable: flags show in ps)")
	fs.StringVar(&f.token, "token", "", "NATS token (or $NATS_TOKEN)")
	fs.StringVar(&f.creds, "creds", "", "NATS credentials file (or $NATS_CREDS)")
	fs.StringVar(&f.tlsCA, "tls-ca", "", "CA certificate to verify the server with (or $NATS_CA)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "TLS client certificate (or $NATS_CERT)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "TLS client key (or $NATS_KEY)")
}

// options returns the connection options, from the flags then the environment.
func (f *natsFlags) options(name string) (sweep.ConnectOptions, error) {
	o := sweep.ConnectOptions{User: f.user, Password: f.password, Token: f.token, Creds: f.creds,
		TLSCA: f.tlsCA, TLSCert: f.tlsCert, TLSKey: f.tlsKey, Name: name}.FromEnv()
	if err := o.Check(); err != nil {
		return o, usagef("%v", err)
	}
	return o, nil
}

// newSweepCmd returns the sweep command group.
func newSweepCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "sweep",
		Short: "grids of cells (tsc benchmark cells, ebm training runs, ...) on NATS JetStream, on one machine or many",
		Long: `A sweep runs a grid of cells — a capability, a configuration and an explicit seed each — on a
NATS JetStream work queue: an embedded server by default (its store in the sweep directory, so a
killed coordinator resumes), or an external server or cluster with --nats, to which erg worker
processes on other machines connect. Each result is stored once, a finished cell never runs
again, a cell whose worker died runs again after --ack-wait, and a cell failing --attempts times
is recorded failed with its error (erg sweep retry runs it again). See docs/sweep.md.

A grid file is JSON, or YAML when named *.yaml / *.yml (the same keys):
  {"id": "demo", "cells": [{"id": "a", "capability": "sleep", "seed": 1, "config": {"ms": 100}}, ...]}
Capabilities: ` + strings.Join(sweep.Capabilities(), ", ") + `.`,
		Example: "  erg sweep run grid.json --dir sweeps/demo --workers 2\n  erg sweep status --dir sweeps/demo\n  erg sweep results --dir sweeps/demo --csv > results.csv",
	}
	c.AddCommand(sweepRunCmd(), sweepServeCmd(), sweepStatusCmd(), sweepResultsCmd(), sweepRetryCmd())
	return c
}

func sweepRunCmd() *cobra.Command {
	var (
		nf                natsFlags
		dir, root, listen string
		workers, attempts int
		ackWait           time.Duration
	)
	cmd := &cobra.Command{
		Use:   "run [GRID] [--dir SWEEPDIR] [--workers N]",
		Short: "run a grid: embedded server (or --nats), local workers, progress, summary; resumes a sweep directory",
		Long: `Validates GRID (an error names the file, line and field; nothing is enqueued), starts an embedded
NATS server with its store in the sweep directory (listening on 127.0.0.1, random port, unless
--listen), or connects to --nats, starts --workers local workers, enqueues every cell without a
result and shows progress (cells done, running, failed, ETA; quiet under --json) until every cell
has a result. The sweep directory (--dir, default --root/<time>-sweep-<id>) is a run directory:
config.json, grid.json, results.jsonl, summary.json, report.html. Run again with the same --dir
(GRID optional) to resume after a kill: finished cells never run again. erg worker processes
join with --nats URL (printed at the start); give --listen HOST:PORT so that they find a
restarted coordinator. Exit 1 when cells failed (erg sweep retry runs them again).`,
		Example: `  erg sweep run grid.json --dir sweeps/demo --workers 2
  erg sweep run --dir sweeps/demo                        # resume
  erg sweep run grid.json --dir sweeps/demo --workers 0 --listen 0.0.0.0:4222 --user erg   # workers elsewhere
  erg sweep run grid.json --nats nats://hub:4222 --creds erg.creds --workers 0 --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if workers < 0 {
				return flagError("workers", "%d: must not be negative", workers)
			}
			if attempts < 1 {
				return flagError("attempts", "%d: must be at least 1", attempts)
			}
			if ackWait <= 0 {
				return flagError("ack-wait", "%v: must be positive", ackWait)
			}
			if len(args) == 0 && dir == "" {
				return usagef("erg sweep run: give a GRID file, or --dir of a sweep to resume")
			}
			if nf.url != "" && listen != "" {
				return usagef("--listen is for the embedded server; --nats uses an external one")
			}
			var g *sweep.Grid
			if len(args) == 1 {
				var err error
				if g, err = sweep.ReadGrid(args[0]); err != nil {
					return invalidConfig(err)
				}
			}
			opt, err := nf.options("erg sweep run")
			if err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			quiet := jsonOutput(cmd)
			sum, err := sweep.Run(ctx, sweep.RunConfig{Grid: g, Dir: dir, Root: root, NATS: nf.url, Connect: opt, Listen: listen,
				Workers: workers, Settings: sweep.Settings{AckWait: ackWait, Attempts: attempts},
				Progress: cmd.ErrOrStderr(), Quiet: quiet})
			if err != nil {
				return invalidConfig(err)
			}
			return sweepSummary(cmd, sum)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "sweep directory (resumed when it holds a sweep; default --root/<time>-sweep-<id>)")
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories, for a new sweep without --dir")
	f.IntVar(&workers, "workers", runtime.NumCPU(), "local worker goroutines (0: only erg worker processes run cells)")
	f.IntVar(&attempts, "attempts", 3, "runs of a failing cell before it is recorded failed (a resumed sweep keeps its own)")
	f.DurationVar(&ackWait, "ack-wait", 30*time.Second, "a cell whose worker sent no heartbeat for this long is run again (a resumed sweep keeps its own)")
	f.StringVar(&listen, "listen", "", "embedded server's address HOST:PORT (default 127.0.0.1, random port)")
	nf.register(f, "URL of an external NATS server with JetStream (default: an embedded one)")
	return cmd
}

// sweepSummary prints a finished sweep's summary; failed cells make it an error.
func sweepSummary(cmd *cobra.Command, sum *sweep.Summary) error {
	var ferr error
	if sum.Failed > 0 {
		var ids []string
		for _, f := range sum.FailedCells {
			ids = append(ids, f.Cell)
		}
		if len(ids) > 5 {
			ids = append(ids[:5], "...")
		}
		ferr = fmt.Errorf("sweep %s: %d of %d cells failed (%s): see erg sweep results --dir %s --failed; re-run them with erg sweep retry --dir %s",
			sum.Sweep, sum.Failed, sum.Cells, strings.Join(ids, ", "), sum.Dir, sum.Dir)
	}
	if jsonOutput(cmd) {
		if ferr != nil {
			return ferr // one JSON object: the error
		}
		return writeJSON(cmd.OutOrStdout(), sum)
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "sweep %s: %d cells, %d done, %d failed (%d had results before this session)\n", sum.Sweep, sum.Cells, sum.Done, sum.Failed, sum.Before)
	fmt.Fprintf(w, "%.1f s wall, %.1f s in cells, %d local workers, server %s\n", sum.Seconds, sum.CellSeconds, sum.Workers, sum.Server)
	for _, f := range sum.FailedCells {
		fmt.Fprintf(w, "  FAILED %s: %s\n", f.Cell, firstLine(f.Error))
	}
	fmt.Fprintf(w, "sweep directory %s (results %s, report %s)\n", sum.Dir, sweep.ResultsFile, run.ReportFile)
	return ferr
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func sweepServeCmd() *cobra.Command {
	var dir, listen, user, password, token string
	cmd := &cobra.Command{
		Use:   "serve --dir DIR [--listen 127.0.0.1:4222]",
		Short: "run the embedded NATS server with JetStream for coordinators and workers elsewhere",
		Long: `Serves NATS with JetStream, its store in DIR, until interrupted (exit 0). Coordinators
(erg sweep run --nats URL) and workers (erg worker --nats URL) on this or other machines connect
to it. Listening beyond loopback (--listen 0.0.0.0:4222) asks for authentication: --user with
--password (or $NATS_USER/$NATS_PASSWORD), or --token ($NATS_TOKEN). A production cluster is
better served by nats-server itself (docs/sweep.md).`,
		Example: "  erg sweep serve --dir sweeps/server\n  NATS_USER=erg NATS_PASSWORD=... erg sweep serve --dir sweeps/server --listen 0.0.0.0:4222",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return flagError("dir", "required: the directory of the server's store")
			}
			env := func(v *string, name string) {
				if *v == "" {
					*v = os.Getenv(name)
				}
			}
			env(&user, "NATS_USER")
			env(&password, "NATS_PASSWORD")
			env(&token, "NATS_TOKEN")
			if (user == "") != (password == "") {
				return usagef("--user and --password go together")
			}
			if user != "" && token != "" {
				return usagef("give --user/--password or --token, not both")
			}
			host := "127.0.0.1"
			if listen != "" {
				if h, _, ok := strings.Cut(listen, ":"); ok {
					host = h
				}
			}
			if user == "" && token == "" && host != "127.0.0.1" && host != "localhost" && host != "::1" {
				fmt.Fprintf(cmd.ErrOrStderr(), "erg sweep serve: warning: serving %s without authentication\n", listen)
			}
			ctx, stop := signalContext()
			defer stop()
			return sweep.Serve(ctx, dir, sweep.ServerConfig{Listen: listen, User: user, Password: password, Token: token}, func(url string) {
				if jsonOutput(cmd) {
					writeJSON(cmd.OutOrStdout(), map[string]string{"url": url, "dir": dir})
					return
				}
				fmt.Fprintf(cmd.OutOrStdout(), "serving NATS with JetStream on %s (store %s/%s); Ctrl-C stops\n", url, dir, sweep.StoreDir)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "directory of the server's store")
	f.StringVar(&listen, "listen", "127.0.0.1:4222", "address HOST:PORT to serve on")
	f.StringVar(&user, "user", "", "require this user (or $NATS_USER)")
	f.StringVar(&password, "password", "", "and this password (or $NATS_PASSWORD)")
	f.StringVar(&token, "token", "", "require this token (or $NATS_TOKEN)")
	return cmd
}

// sweepTarget is how status, results and retry find a sweep: a sweep directory, or
// a server and a sweep id.
type sweepTarget struct {
	dir, id string
	nf      natsFlags
}

func (t *sweepTarget) register(fs *pflag.FlagSet) {
	fs.StringVar(&t.dir, "dir", "", "sweep directory (as given to erg sweep run)")
	fs.StringVar(&t.id, "sweep", "", "sweep id, with --nats")
	t.nf.register(fs, "URL of the NATS server holding the sweep (instead of --dir)")
}

// open opens the sweep; close releases it. With --nats and no --sweep, sw is nil
// and conn lists the sweeps.
func (t *sweepTarget) open(ctx context.Context, what string) (sw *sweep.Sweep, conn *sweep.Conn, closeFn func(), err error) {
	opt, err := t.nf.options(what)
	if err != nil {
		return nil, nil, nil, err
	}
	switch {
	case t.dir != "" && t.nf.url != "":
		return nil, nil, nil, usagef("give --dir, or --nats with --sweep, not both")
	case t.dir != "":
		sw, closeFn, err := sweep.OpenDir(ctx, t.dir, opt)
		if err != nil {
			return nil, nil, nil, invalidConfig(err)
		}
		return sw, nil, closeFn, nil
	case t.nf.url != "":
		conn, err := sweep.Connect(t.nf.url, opt)
		if err != nil {
			return nil, nil, nil, err
		}
		if t.id == "" {
			return nil, conn, conn.Close, nil
		}
		sw, err := conn.OpenSweep(ctx, t.id)
		if err != nil {
			conn.Close()
			return nil, nil, nil, flagError("sweep", "%v", err)
		}
		return sw, conn, conn.Close, nil
	}
	return nil, nil, nil, usagef("%s: give --dir SWEEPDIR, or --nats URL --sweep ID", what)
}

func sweepStatusCmd() *cobra.Command {
	var t sweepTarget
	cmd := &cobra.Command{
		Use:   "status (--dir SWEEPDIR | --nats URL [--sweep ID])",
		Short: "cells of a sweep: done, failed, running, queued; or the sweeps of a server",
		Long: `Shows a sweep's state: cells done, failed, running (delivered to a worker), queued and idle (not
enqueued: its coordinator is not running). With --dir it reads the sweep directory's store (through
its coordinator's server when one runs); with --nats and no --sweep it lists the server's sweeps.`,
		Example: "  erg sweep status --dir sweeps/demo\n  erg sweep status --nats nats://hub:4222 --json\n  erg sweep status --nats nats://hub:4222 --sweep demo",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signalContext()
			defer stop()
			sw, conn, closeFn, err := t.open(ctx, "erg sweep status")
			if err != nil {
				return err
			}
			defer closeFn()
			w := cmd.OutOrStdout()
			if sw == nil {
				infos, err := conn.Sweeps(ctx)
				if err != nil {
					return err
				}
				if jsonOutput(cmd) {
					return writeJSON(w, map[string]any{"sweeps": infos})
				}
				if len(infos) == 0 {
					fmt.Fprintln(w, "no sweeps")
				}
				for _, in := range infos {
					fmt.Fprintf(w, "%-24s %5d cells  created %s\n", in.ID, in.Cells, in.Created.Local().Format("2006-01-02 15:04"))
				}
				return nil
			}
			st, err := sw.Status(ctx)
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				return writeJSON(w, st)
			}
			fmt.Fprintf(w, "sweep %s: %d cells: %d done, %d failed, %d running, %d queued, %d idle\n", st.Sweep, st.Cells, st.Done, st.Failed, st.Running, st.Queued, st.Idle)
			fmt.Fprintf(w, "attempts %d, ack wait %v\n", st.Settings.Attempts, st.Settings.AckWait)
			return nil
		},
	}
	t.register(cmd.Flags())
	return cmd
}

func sweepResultsCmd() *cobra.Command {
	var (
		t              sweepTarget
		asCSV, failed  bool
		cells, outPath string
	)
	cmd := &cobra.Command{
		Use:   "results (--dir SWEEPDIR | --nats URL --sweep ID) [--csv] [--failed]",
		Short: "the stored results of a sweep's cells, as a table, JSON or CSV",
		Long: `Prints one line per cell with a result (sorted by cell id): status, attempt, worker, seconds
and the output (or the error). --csv writes CSV (cell, capability, seed, status, attempt, worker,
seconds, error, output) to standard output or --out; --json one object {"sweep", "results"}.`,
		Example: "  erg sweep results --dir sweeps/demo\n  erg sweep results --dir sweeps/demo --csv --out results.csv\n  erg sweep results --nats nats://hub:4222 --sweep demo --failed --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if asCSV && jsonOutput(cmd) {
				return usagef("--csv and --json exclude each other")
			}
			ctx, stop := signalContext()
			defer stop()
			sw, _, closeFn, err := t.open(ctx, "erg sweep results")
			if err != nil {
				return err
			}
			defer closeFn()
			if sw == nil {
				return flagError("sweep", "required with --nats")
			}
			res, err := sw.Results(ctx)
			if err != nil {
				return err
			}
			want := map[string]bool{}
			for _, c := range strings.Split(cells, ",") {
				if c = strings.TrimSpace(c); c != "" {
					want[c] = true
				}
			}
			var rs []sweep.Result
			for _, r := range res {
				if (failed && r.Status != sweep.StatusFailed) || (len(want) > 0 && !want[r.Cell]) {
					continue
				}
				rs = append(rs, r)
			}
			sort.Slice(rs, func(i, j int) bool { return rs[i].Cell < rs[j].Cell })
			var w io.Writer = cmd.OutOrStdout()
			if outPath != "" {
				f, err := os.Create(outPath)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			if jsonOutput(cmd) {
				if rs == nil {
					rs = []sweep.Result{}
				}
				return writeJSON(w, map[string]any{"sweep": sw.ID, "results": rs})
			}
			if asCSV {
				cw := csv.NewWriter(w)
				cw.Write([]string{"cell", "capability", "seed", "status", "attempt", "worker", "seconds", "error", "output"})
				for _, r := range rs {
					cw.Write([]string{r.Cell, r.Capability, strconv.FormatUint(r.Seed, 10), r.Status, strconv.Itoa(r.Attempt), r.Worker,
						strconv.FormatFloat(r.Seconds, 'f', 3, 64), r.Error, string(r.Output)})
				}
				cw.Flush()
				return cw.Error()
			}
			for _, r := range rs {
				out := string(r.Output)
				if r.Status != sweep.StatusDone {
					out = firstLine(r.Error)
				}
				if len(out) > 120 {
					out = out[:117] + "..."
				}
				fmt.Fprintf(w, "%-24s %-6s attempt %d %-20s %8.2f s  %s\n", r.Cell, r.Status, r.Attempt, r.Worker, r.Seconds, out)
			}
			if len(rs) == 0 {
				fmt.Fprintln(w, "no results")
			}
			return nil
		},
	}
	f := cmd.Flags()
	t.register(f)
	f.BoolVar(&asCSV, "csv", false, "write CSV")
	f.BoolVar(&failed, "failed", false, "only the failed cells")
	f.StringVar(&cells, "cells", "", "only these cells (comma-separated ids)")
	f.StringVar(&outPath, "out", "", "write to this file instead of standard output")
	return cmd
}

func sweepRetryCmd() *cobra.Command {
	var (
		t     sweepTarget
		cells string
	)
	cmd := &cobra.Command{
		Use:   "retry (--dir SWEEPDIR | --nats URL --sweep ID) [--cells a,b]",
		Short: "re-enqueue the failed cells of a sweep (their results are deleted)",
		Long: `Deletes the results of the failed cells (all, or --cells) and puts them on the queue again, with
a fresh message id. Workers of the sweep then run them: with an embedded server, resume the
coordinator (erg sweep run --dir SWEEPDIR) to run them.`,
		Example: "  erg sweep retry --dir sweeps/demo && erg sweep run --dir sweeps/demo\n  erg sweep retry --nats nats://hub:4222 --sweep demo --cells c01,c07 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signalContext()
			defer stop()
			sw, _, closeFn, err := t.open(ctx, "erg sweep retry")
			if err != nil {
				return err
			}
			defer closeFn()
			if sw == nil {
				return flagError("sweep", "required with --nats")
			}
			var only []string
			for _, c := range strings.Split(cells, ",") {
				if c = strings.TrimSpace(c); c != "" {
					only = append(only, c)
				}
			}
			ids, err := sw.Retry(ctx, only...)
			if err != nil {
				return err
			}
			if ids == nil {
				ids = []string{}
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), map[string]any{"sweep": sw.ID, "retried": ids})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "sweep %s: %d failed cells enqueued again %s\n", sw.ID, len(ids), strings.Join(ids, " "))
			return nil
		},
	}
	t.register(cmd.Flags())
	cmd.Flags().StringVar(&cells, "cells", "", "only these failed cells (comma-separated ids)")
	return cmd
}

// newWorkerCmd returns erg worker.
func newWorkerCmd() *cobra.Command {
	var (
		nf            natsFlags
		id, workDir   string
		workers       int
		exitWhenDone  bool
		threadsPerRun int
	)
	cmd := &cobra.Command{
		Use:   "worker --nats URL [--sweep ID]",
		Short: "join a sweep (or every sweep of a server) and run its cells until stopped",
		Long: `Connects to the NATS server at --nats (or $NATS_URL; credentials by flag or $NATS_USER/$NATS_PASSWORD,
$NATS_TOKEN, $NATS_CREDS), pulls cells of --sweep (default: every sweep in the server's registry)
one at a time per worker and runs them with the capabilities built into erg (` + strings.Join(sweep.Capabilities(), ", ") + `),
sending a heartbeat while a cell runs. Data files a cell names (tsc datasets, ebm CSV files) must
exist at the same paths here, or tsc datasets under $ERG_DATA/ucr. SIGINT/SIGTERM stops it: the
cells it runs go back to the queue at once, and it exits 0 with its counts.`,
		Example: "  erg worker --nats nats://hub:4222 --sweep demo\n  NATS_TOKEN=... erg worker --nats nats://hub:4222 --workers 2\n  erg worker --nats nats://127.0.0.1:4222 --sweep demo --exit-when-done --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if nf.url == "" {
				nf.url = os.Getenv("NATS_URL")
			}
			if nf.url == "" {
				return flagError("nats", "required (or $NATS_URL): the server of the sweep")
			}
			if workers < 1 {
				return flagError("workers", "%d: must be at least 1", workers)
			}
			if exitWhenDone && id == "" {
				return flagError("exit-when-done", "needs --sweep")
			}
			opt, err := nf.options("erg worker")
			if err != nil {
				return err
			}
			opt.Retry = true // the coordinator's server may not be up yet
			conn, err := sweep.Connect(nf.url, opt)
			if err != nil {
				return err
			}
			defer conn.Close()
			ctx, stop := signalContext()
			defer stop()
			var log io.Writer
			if !jsonOutput(cmd) {
				log = cmd.ErrOrStderr()
				what := "every sweep"
				if id != "" {
					what = "sweep " + id
				}
				fmt.Fprintf(log, "erg worker: %d workers on %s at %s\n", workers, what, sweep.Redact(nf.url))
			}
			threads := threadsPerRun
			if threads <= 0 {
				threads = max(1, runtime.NumCPU()/workers)
			}
			name := sweep.DefaultWorkerName()
			ws := make([]*sweep.Worker, workers)
			errs := make(chan error, workers)
			for i := range ws {
				ws[i] = &sweep.Worker{Conn: conn, Sweep: id, Name: fmt.Sprintf("%s/%d", name, i), WorkDir: workDir,
					Threads: threads, Log: log, ExitWhenDone: exitWhenDone}
				go func(w *sweep.Worker) { errs <- w.Run(ctx) }(ws[i])
			}
			var firstErr error
			for range ws {
				if err := <-errs; err != nil && firstErr == nil {
					firstErr = err
				}
			}
			total := sweep.WorkerStats{Worker: name}
			for _, w := range ws {
				s := w.Stats()
				total.Ran += s.Ran
				total.Done += s.Done
				total.Failed += s.Failed
				total.Retried += s.Retried
				total.Skipped += s.Skipped
				total.Lost += s.Lost
				total.Stopped += s.Stopped
			}
			if firstErr != nil {
				return firstErr
			}
			if jsonOutput(cmd) {
				b, _ := json.Marshal(total)
				var m map[string]any
				json.Unmarshal(b, &m)
				m["workers"] = workers
				return writeJSON(cmd.OutOrStdout(), m)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "erg worker %s: ran %d cells (%d done, %d failed), %d given back when stopping, %d already done, %d stored first by another worker\n",
				name, total.Ran, total.Done, total.Failed, total.Stopped, total.Skipped, total.Lost)
			return nil
		},
	}
	f := cmd.Flags()
	nf.register(f, "URL of the NATS server (or $NATS_URL); comma-separated for a cluster")
	f.StringVar(&id, "sweep", "", "work on this sweep only (default: every sweep of the server)")
	f.IntVar(&workers, "workers", 1, "cells run at once in this process")
	f.IntVar(&threadsPerRun, "threads", 0, "CPU threads per cell (0: cores / --workers)")
	f.BoolVar(&exitWhenDone, "exit-when-done", false, "exit once every cell of --sweep has a result")
	f.StringVar(&workDir, "work-dir", "", "directory for the cells' scratch files (default: a temporary directory)")
	return cmd
}
