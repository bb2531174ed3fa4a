package train

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress shows the loop's advance: a redrawn bar on a terminal, plain lines otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	total    int
	start    time.Time
	startSt  int
	last     time.Time
	every    time.Duration
	name     string
	disabled bool
}

func newProgress(w io.Writer, name string, total, startStep int, quiet bool) *progress {
	p := &progress{w: w, total: total, start: time.Now(), startSt: startStep, name: name, disabled: quiet}
	if w == nil {
		p.w = os.Stderr
		p.tty = term.IsTerminal(int(os.Stderr.Fd()))
	}
	p.every = 10 * time.Second
	if p.tty {
		p.every = 200 * time.Millisecond
	}
	return p
}

func fmtDur(d time.Duration) string {
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

// update draws the state after `step` steps; force draws regardless of the rate limit.
func (p *progress) update(step int, loss, joules float64, energyStatus string, force bool) {
	if p.disabled {
		return
	}
	now := time.Now()
	if !force && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	done := step - p.startSt
	rate := float64(done) / el.Seconds()
	eta := time.Duration(0)
	if rate > 0 {
		eta = time.Duration(float64(p.total-step) / rate * float64(time.Second))
	}
	est := ""
	if energyStatus == "estimated" {
		est = " est."
	}
	msg := fmt.Sprintf("%s step %d/%d loss %.5g %.1f step/s elapsed %s ETA %s energy %.4g J%s",
		p.name, step, p.total, loss, rate, fmtDur(el), fmtDur(eta), joules, est)
	if p.tty {
		const width = 24
		f := float64(step) / float64(max(p.total, 1))
		n := int(f * width)
		bar := strings.Repeat("█", n) + strings.Repeat("·", width-n)
		fmt.Fprintf(p.w, "\r\033[K[%s] %3.0f%% %s", bar, 100*f, msg)
		return
	}
	fmt.Fprintf(p.w, "%s %s\n", now.Format("15:04:05"), msg)
}

func (p *progress) finish() {
	if p.tty && !p.disabled {
		fmt.Fprintln(p.w)
	}
}
