//go:build !nvml || !cgo

package meter

// NVMLCompiled reports whether this binary was built with NVML support (-tags nvml, cgo).
const NVMLCompiled = false

func openGPUs(cfg Config) ([]gpuDevice, func(), []Source) {
	if cfg.DisableGPU {
		return nil, nil, []Source{{Name: "nvml", Component: "gpu", Status: StatusUnavailable, Note: "disabled by Config.DisableGPU"}}
	}
	note, _ := nvidiaDriverNote(cfg.ProcRoot)
	return nil, nil, []Source{{Name: "nvml", Component: "gpu", Status: StatusUnavailable,
		Note: "NVML not compiled in (build with -tags nvml, needs cgo); " + note}}
}
