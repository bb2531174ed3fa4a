package run

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Progress shows the advance of a long piece of work (training steps, epochs, cells of
// a benchmark): a redrawn bar on a terminal, one plain line every ten seconds
// otherwise, each with the rate, elapsed time and an ETA. A nil *Progress, or one made
// quiet, prints nothing. It is safe for concurrent use.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	total    int
	start    time.Time
	startAt  int
	last     time.Time
	every    time.Duration
	name     string
	unit     string
	disabled bool
	drawn    bool
}

// NewProgress returns a progress display of name over total units (steps, epochs,
// cells) starting at done, writing to w (nil: standard error). quiet disables it.
func NewProgress(w io.Writer, name, unit string, total, done int, quiet bool) *Progress {
	p := &Progress{w: w, total: total, start: time.Now(), startAt: done, name: name, unit: unit, disabled: quiet}
	if unit == "" {
		p.unit = "step"
	}
	if w == nil {
		p.w = os.Stderr
	}
	if f, ok := p.w.(*os.File); ok {
		p.tty = term.IsTerminal(int(f.Fd()))
	}
	p.every = 10 * time.Second
	if p.tty {
		p.every = 200 * time.Millisecond
	}
	return p
}

// FormatDuration writes d rounded to seconds as 5s, 3m07s or 2h05m.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	d = d.Round(time.Second)
	if d >= time.Hour {
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	if d >= time.Minute {
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

// Update shows the state after done units; detail (for example "loss 0.12 energy 3 J")
// follows the counts. Lines are rate-limited unless force is set; the last unit
// (done == total) is always shown.
func (p *Progress) Update(done int, detail string, force bool) {
	if p == nil || p.disabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !force && done < p.total && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	rate := float64(done-p.startAt) / el.Seconds()
	eta := "?"
	if rate > 0 {
		eta = FormatDuration(time.Duration(float64(p.total-done) / rate * float64(time.Second)))
	}
	rateS := fmt.Sprintf("%.3g %s/s", rate, p.unit)
	if rate > 0 && rate < 1 {
		rateS = fmt.Sprintf("%.3g s/%s", 1/rate, p.unit)
	}
	msg := fmt.Sprintf("%s %s %d/%d", p.name, p.unit, done, p.total)
	if detail != "" {
		msg += " " + detail
	}
	msg += fmt.Sprintf(" %s elapsed %s ETA %s", rateS, FormatDuration(el), eta)
	if p.tty {
		const width = 24
		f := float64(done) / float64(max(p.total, 1))
		n := min(width, max(0, int(f*width)))
		bar := strings.Repeat("█", n) + strings.Repeat("·", width-n)
		fmt.Fprintf(p.w, "\r\033[K[%s] %3.0f%% %s", bar, 100*f, msg)
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "%s %s\n", now.Format("15:04:05"), msg)
}

// Printf writes a line of its own (a note between updates), keeping the bar intact.
func (p *Progress) Printf(format string, a ...any) {
	if p == nil || p.disabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, format, a...)
	if !strings.HasSuffix(format, "\n") {
		fmt.Fprintln(p.w)
	}
}

// Finish ends the display (a newline after a terminal bar).
func (p *Progress) Finish() {
	if p == nil || p.disabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
