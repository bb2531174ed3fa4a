//go:build nvml && cgo

package meter

import (
	"fmt"
	"time"

	"github.com/NVIDIA/go-nvml/pkg/nvml"
)

// NVMLCompiled reports whether this binary was built with NVML support (-tags nvml, cgo).
const NVMLCompiled = true

// openGPUs initialises NVML (which dlopens libnvidia-ml.so.1; without a driver it
// returns ERROR_LIBRARY_NOT_FOUND and nothing fails) and opens every device.
func openGPUs(cfg Config) ([]gpuDevice, func(), []Source) {
	if cfg.DisableGPU {
		return nil, nil, []Source{{Name: "nvml", Component: "gpu", Status: StatusUnavailable, Note: "disabled by Config.DisableGPU"}}
	}
	if ret := nvml.Init(); ret != nvml.SUCCESS {
		note := "nvml init: " + nvml.ErrorString(ret)
		if ret == nvml.ERROR_LIBRARY_NOT_FOUND {
			note = "libnvidia-ml.so.1 not found (no NVIDIA driver)"
		}
		return nil, nil, []Source{{Name: "nvml", Component: "gpu", Status: StatusUnavailable, Note: note}}
	}
	shutdown := func() { nvml.Shutdown() }
	n, ret := nvml.DeviceGetCount()
	if ret != nvml.SUCCESS {
		return nil, shutdown, []Source{{Name: "nvml", Component: "gpu", Status: StatusUnavailable,
			Note: "nvml device count: " + nvml.ErrorString(ret)}}
	}
	var devs []gpuDevice
	var skipped []Source
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("nvml:%d", i)
		d, ret := nvml.DeviceGetHandleByIndex(i)
		if ret != nvml.SUCCESS {
			skipped = append(skipped, Source{Name: name, Component: "gpu", Status: StatusUnavailable,
				Note: "nvml handle: " + nvml.ErrorString(ret)})
			continue
		}
		g := &nvmlGPU{idx: i, dev: d}
		if m, ret := d.GetName(); ret == nvml.SUCCESS {
			g.modelName = m
		}
		if e, ret := d.GetTotalEnergyConsumption(); ret == nvml.SUCCESS {
			g.counter, g.start = true, e
		} else if p, ret := d.GetPowerUsage(); ret == nvml.SUCCESS {
			g.lastW, g.lastT = float64(p)/1000, time.Now()
		} else {
			skipped = append(skipped, Source{Name: name, Component: "gpu", Status: StatusUnavailable,
				Note: "neither total energy nor power usage readable: " + nvml.ErrorString(ret)})
			continue
		}
		devs = append(devs, g)
	}
	if n == 0 {
		skipped = append(skipped, Source{Name: "nvml", Component: "gpu", Status: StatusUnavailable, Note: "NVML reports no devices"})
	}
	return devs, shutdown, skipped
}

type nvmlGPU struct {
	idx       int
	dev       nvml.Device
	modelName string
	counter   bool   // total-energy counter available
	start     uint64 // mJ at Start
	joules    float64
	lastW     float64
	lastT     time.Time
}

func (g *nvmlGPU) name() string   { return fmt.Sprintf("nvml:%d", g.idx) }
func (g *nvmlGPU) model() string  { return g.modelName }
func (g *nvmlGPU) fastPoll() bool { return !g.counter }

func (g *nvmlGPU) method() string {
	if g.counter {
		return "nvml total energy counter (mJ)"
	}
	return "nvml power.draw sampled every 1s, trapezoid rule"
}

func (g *nvmlGPU) poll(now time.Time) (float64, error) {
	if g.counter {
		e, ret := g.dev.GetTotalEnergyConsumption()
		if ret != nvml.SUCCESS {
			return g.joules, fmt.Errorf("nvml total energy: %s", nvml.ErrorString(ret))
		}
		if e >= g.start {
			g.joules = float64(e-g.start) / 1000
		}
		return g.joules, nil
	}
	p, ret := g.dev.GetPowerUsage()
	if ret != nvml.SUCCESS {
		return g.joules, fmt.Errorf("nvml power usage: %s", nvml.ErrorString(ret))
	}
	w := float64(p) / 1000
	if dt := now.Sub(g.lastT).Seconds(); dt > 0 {
		g.joules += 0.5 * (w + g.lastW) * dt
	}
	g.lastW, g.lastT = w, now
	return g.joules, nil
}
