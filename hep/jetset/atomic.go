package jetset

import "sync/atomic"

type atomicInt struct{ v atomic.Int64 }

func (a *atomicInt) add(d int) int { return int(a.v.Add(int64(d))) }
