// Package sweep runs grids of cells — a capability run once with a configuration and
// a seed — on NATS JetStream, on one machine or across many.
//
// A Grid (read from a JSON or YAML grid file with ReadGrid, or made in code) lists cells:
// an id, a registered capability, a configuration and an explicit seed. A
// coordinator (Run, or erg sweep run) validates the grid before anything is
// enqueued — an unknown capability, a missing field or a duplicate id is a
// *run.FieldError naming the file, line and field — then puts every cell without a
// result on a work-queue stream. Workers (Worker, erg worker, or Run's local
// goroutines) pull cells one at a time, run them with the capability's Runner and
// store the results in a key-value bucket keyed by cell id.
//
// The guarantees, and the JetStream features that give them:
//
//   - A result is stored once: Sweep.Store is a key-value Create, which fails when
//     the key exists, so a redelivered cell racing a slow worker keeps the first
//     result.
//   - A finished cell never runs again: the coordinator enqueues only cells without a
//     result, with Nats-Msg-Id sweep/cell (the stream drops duplicates) on a stream
//     holding at most one message per cell subject; a worker checks the result key
//     before it runs a delivered cell.
//   - A cell whose worker died runs again: the consumer's AckWait (Settings, 30 s by
//     default) passes without the heartbeat (msg.InProgress every AckWait/3) that a
//     live worker sends, and the server delivers it to another worker. A stopping
//     worker (SIGTERM) gives its cell back at once.
//   - Failures are bounded: a cell is run at most Settings.Attempts times (the
//     consumer's MaxDeliver is Attempts+1, the last delivery recording the failure)
//     and then recorded failed with its last error; Sweep.Retry (erg sweep retry)
//     runs the failed cells again.
//   - A coordinator killed at any point resumes: the embedded server's file store
//     lives in the sweep directory, so Run on the same directory finds the results
//     and the queue as they were; the cells its workers held run again at once (the
//     consumer is made anew on the restarted server), not after the ack wait.
//
// Streams and buckets of a sweep with id ID: the work-queue stream ERG_SWEEP_ID
// (subjects erg.sweep.ID.cell.<cell>), its durable pull consumer "workers", the
// key-value bucket erg_sweep_ID (cell.<cell>, result.<cell>, error.<cell>), an object
// store erg_sweep_ID for the files cells leave (Cell.Dir), and the registry bucket
// erg_sweeps (one Info per sweep) from which workers without a sweep id pick their
// work.
//
// Capabilities register a Runner with Register in an init function: this package
// registers the test capabilities "noop", "sleep" and "spin"; tsc/tscsweep
// registers "tsc" (one cell of erg tsc bench) and ebm/ebmsweep "ebm" (one training
// run of erg ebm compare). A process that runs cells must import the packages of
// the capabilities of the grid (erg does).
//
// The embedded server (StartServer, Serve) is nats-server run in process; an
// external NATS server or cluster with JetStream works the same (Connect, with the
// credentials of ConnectOptions). docs/sweep.md shows a sweep across machines.
package sweep
