//go:build unix

package sweep

import (
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on dir/lock, so that two coordinators (or a
// coordinator and erg sweep serve) never open one store. The lock goes with the
// process, even when it is killed.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(dir+"/lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, ErrLocked
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
