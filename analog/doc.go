// Package analog simulates training on analog in-memory crossbars (resistive
// processing units, RPU) the way IBM's aihwkit does, in plain Go float32, and adds
// a time-resolved charge-trap-flash (CTF) device (subpackage ctf) whose program time
// is not conserved.
//
// # Devices
//
// Device holds aihwkit's pulsed device parameters (PulsedDevice and its subclasses in
// src/aihwkit/simulator/configs/devices.py): ConstantStep, LinearStep, SoftBounds,
// ExpStep, PowStep and PiecewiseStep, with dw_min, its device-to-device (dw_min_dtod)
// and cycle-to-cycle (dw_min_std) spread, up_down(_dtod), w_max/w_min(_dtod) and
// write noise. Preset gives the class defaults and aihwkit's presets (idealized,
// gokmen-vlasov, ecram, ecram-mo, capacitor, reram-es, reram-sb). An Array draws the
// hidden per-device parameters as PulsedRPUDevice::populate (rpu_pulsed_device.cpp)
// and applies one pulse with the update rule of the model's rpu_*_device.cpp;
// ClosedForm is the noise-free response from the documented formulas
// (TestClosedForms: within 1e-6 over 1000 up and 1000 down pulses).
//
// # Tiles
//
// A Tile is an Out×In crossbar. Forward and Backward follow aihwkit's
// ForwardBackwardPassIOManaged (rpu_forward_backward_pass.cpp) with IO parameters
// (DefaultIO: 7-bit DAC, 9-bit ADC, out_bound 12, out_noise 0.06): AbsMax noise
// management x/max|x|, DAC round-to-even and clip to ±inp_bound, output noise, ADC
// and clip to ±out_bound, and iterative bound management that halves the input scale
// while an output saturates; resolutions act as res·2·bound (checkAndSetRes).
// Update applies W ← W − lr·d·xᵀ by StochasticCompressed pulse trains as
// SparseBitLineMaker (sparse_bit_line_maker.cpp) with the update management of
// PulsedUpdateMetaParameter (rpu_pulsed_meta_parameter.cpp): BL = min(ceil(lr·max|x|·
// max|d|/dw_min), 31), A = B = sqrt(lr/(dw_min·BL)), A·=√(x_max/d_max),
// B·=√(d_max/x_max); x bits with p = B|x|, d bits with p = A|d|; each coincidence is one
// device pulse, downwards for a positive x·d. The pulse trains are BL-bit masks per
// row and column and the coincidences of device (i, j) are the set bits of their AND
// (counted with popcount, or visited in slot order for the CTF device, which needs
// the time of every pulse). Rows are updated by two goroutines, each row with its own
// random stream, so results do not depend on scheduling. Pulse types none (exact
// update) and mean-count (the rounded mean number of coincidences) are also there.
// CoincidenceTest checks the pulse statistics of a 1×1 tile against Binomial(BL,
// p_x·p_d) with a χ² test.
//
// # CTF devices
//
// CTFDevice drives the cell of package ctf in time: slot s of an update starts at
// s·(pw+gap); the trap state of every device relaxes lazily from its last pulse. The
// weight is the cell's V_T shift in units of one pulse's shift at the saturated trap
// state, so with κ = 0 the device is a soft-bounded device of step dw_min. Two
// compensations: gap compaction (a device's pulses of one update are issued back to
// back at the minimum gap) and calibrated BL (the learning rate of an update is
// divided by the efficiency of the measured shift table ΔV(n, pw, gap)).
//
// # Training
//
// Train trains aihwkit's examples/03_mnist_training.py network (784-256-128-10,
// sigmoid, log-softmax, analog biases; SGD lr 0.05 halved every 10 epochs, 30 epochs,
// batch 64) on Fashion-MNIST (package imageset) in a run directory of package run,
// checkpointing weights, device state and every random stream (math/rand/v2 PCG
// states) per epoch, so a resumed run is bit-identical (TestResumeBitIdentical).
// Study trains the CTF device with each non-ideality alone and each compensation.
//
// References:
//   - Rasch, M. J. et al. (2021). A flexible and fast PyTorch toolkit for simulating
//     training and inference on analog crossbar arrays. IEEE AICAS. github.com/IBM/aihwkit.
//   - Gokmen, T., Vlasov, Y. (2016). Acceleration of deep neural network training with
//     resistive cross-point devices. Front. Neurosci. 10:333.
//   - Shrivastava, S. et al. (2023). Non-ideal program-time conservation in charge trap
//     flash for deep learning. arXiv:2307.06088.
package analog
