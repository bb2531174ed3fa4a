// Package run manages a training run's directory: runs/<time>-<name>/ holding the
// resolved configuration (config.json), one JSON object per logged step
// (metrics.jsonl), checkpoints, the energy report (energy.json), plots, a summary
// (summary.json) and report.html, which embeds the plots.
//
// Every file is written atomically, so an interrupted run never leaves a torn file;
// metrics.jsonl is append-only and is cut back to the last checkpoint when a run resumes.
package run
