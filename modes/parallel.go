package modes

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// Replicates calls fn(i, rng) for i = 0..n-1 on up to workers goroutines (0 means
// GOMAXPROCS). Replicate i draws from its own stream rand.NewPCG(seed, i+1), so results
// depend only on seed and i, never on the number of workers or the scheduling. fn must
// write only to storage owned by replicate i (for example out[i]).
func Replicates(n int, seed uint64, workers int, fn func(i int, rng *rand.Rand)) {
	if n <= 0 {
		return
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src := rand.NewPCG(seed, 0)
			rng := rand.New(src)
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				src.Seed(seed, uint64(i)+1)
				fn(i, rng)
			}
		}()
	}
	wg.Wait()
}
