package runtest

import "context"

// StopAfter returns a context that reports itself cancelled (Err returns
// context.Canceled) from its n+1st call of Err on. Training loops check ctx.Err()
// once per step or iteration, so it interrupts a run at a chosen, reproducible
// point without timing. Its Done channel is the parent's: loops that select on it
// are not interrupted.
func StopAfter(parent context.Context, n int) context.Context {
	return &stopAfter{Context: parent, n: n}
}

type stopAfter struct {
	context.Context
	n int
}

func (c *stopAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return c.Context.Err()
}
