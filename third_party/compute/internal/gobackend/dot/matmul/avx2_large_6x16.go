// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0

//go:build amd64 && goexperiment.simd

package matmul

import (
	"runtime"
	"sync"
	"unsafe"

	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/internal/gobackend/dot"
	"github.com/gomlx/compute/support/envutil"
)

// AVX2Params6x16Float32 are the blocking parameters of the 6x16 float32 AVX2 kernel
// (BLIS/OpenBLAS Haswell-style: 12 YMM accumulators, 2 loads of packed RHS and
// 6 broadcasts of packed LHS per contracting step).
var AVX2Params6x16Float32 = CacheParams{
	LHSL1KernelRows:      6,    // Mr: 6 rows x 2 YMM = 12 accumulators.
	RHSL1KernelCols:      16,   // Nr: 2 YMM registers of 8 float32.
	PanelContractingSize: 256,  // Kc: a 256x16 RHS micro-panel (16KB) stays in L1.
	LHSPanelCrossSize:    96,   // Mc: 96x256 LHS block (96KB) stays in L2. Multiple of Mr.
	RHSPanelCrossSize:    1024, // Nc: 256x1024 RHS panel (1MB). Multiple of Nr.
}

// UseAVX2Kernel6x16Float32 selects the 6x16 float32 kernel for AVX2 matmuls.
// If false, the original routing (small path, or the 4x16 kernel avx2LargeFloat32) is used.
// It can be disabled with GOMLX_AVX2_KERNEL_6X16=false.
var UseAVX2Kernel6x16Float32 = envutil.MustReadBool("GOMLX_AVX2_KERNEL_6X16", true)

const (
	avx2K6x16Rows = 6
	avx2K6x16Cols = 16
)

// avx2Route6x16Float32 runs the matmul with the 6x16 kernel and returns true if it is enabled and suitable
// for the sizes, or if ForceLargeVariant is set. Otherwise, it returns false.
func avx2Route6x16Float32(
	backend *gobackend.Backend,
	layout dot.Layout,
	lhs, rhs []float32,
	batchSize, lhsCrossSize, rhsCrossSize, contractingSize int,
	output []float32,
) bool {
	if !UseAVX2Kernel6x16Float32 || ForceSmallVariant ||
		!(ForceLargeVariant || avx2Use6x16Float32(lhsCrossSize, rhsCrossSize, contractingSize)) {
		return false
	}
	avx2Large6x16Float32(backend, layout, lhs, rhs, batchSize, lhsCrossSize, rhsCrossSize, contractingSize, output)
	return true
}

// avx2Use6x16Float32 decides whether the packed 6x16 kernel is used for a (per-example) matmul of the given sizes.
// It beats the non-packing "small" AVX2 path already at ~64K multiply-adds (measured on AMD Zen4/AVX2),
// except for matrix-vector-like shapes (few lhs rows or rhs columns), which are left to the small path.
func avx2Use6x16Float32(lhsCrossSize, rhsCrossSize, contractingSize int) bool {
	size := lhsCrossSize * rhsCrossSize * contractingSize
	return size >= noSIMDSmallMatMulSizeThreshold ||
		(size >= 64*1024 && lhsCrossSize >= 8 && rhsCrossSize >= avx2K6x16Cols)
}

// avx2Large6x16Float32 is the large (packing) float32 matmul using the 6x16 micro-kernel.
func avx2Large6x16Float32(
	backend *gobackend.Backend,
	layout dot.Layout,
	lhs, rhs []float32,
	batchSize, lhsCrossSize, rhsCrossSize, contractingSize int,
	output []float32,
) {
	params := AVX2Params6x16Float32
	maxWorkers := backend.Workers.AdjustedMaxParallelism()
	lhsBatchStride := lhsCrossSize * contractingSize
	rhsBatchStride := rhsCrossSize * contractingSize
	outputBatchStride := lhsCrossSize * rhsCrossSize
	packedLHSSize := params.LHSPanelCrossSize * params.PanelContractingSize
	packedRHSSize := params.PanelContractingSize * params.RHSPanelCrossSize

	doItems := func(items func(yield func(workItem) bool)) {
		packedLHSRef, packedLHS, ok := GetBuffer[float32](backend, packedLHSSize)
		if !ok {
			return
		}
		defer ReleaseBuffer(packedLHSRef)
		packedRHSRef, packedRHS, ok := GetBuffer[float32](backend, packedRHSSize)
		if !ok {
			return
		}
		defer ReleaseBuffer(packedRHSRef)
		for item := range items {
			for batchIdx := item.batchStart; batchIdx < item.batchEnd; batchIdx++ {
				avx2Large6x16MatrixSliceFloat32(
					layout,
					lhs[batchIdx*lhsBatchStride:(batchIdx+1)*lhsBatchStride],
					rhs[batchIdx*rhsBatchStride:(batchIdx+1)*rhsBatchStride],
					output[batchIdx*outputBatchStride:(batchIdx+1)*outputBatchStride],
					rhsCrossSize, contractingSize,
					item.lhsRowStart, item.lhsRowEnd, item.rhsColStart, item.rhsColEnd,
					params, packedLHS, packedRHS)
			}
		}
	}

	if maxWorkers <= 1 {
		doItems(func(yield func(workItem) bool) {
			yield(workItem{0, batchSize, 0, lhsCrossSize, 0, rhsCrossSize})
		})
		return
	}

	workChan := make(chan workItem, max(64, 2*maxWorkers))
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(workChan)
		if batchSize >= 2*maxWorkers {
			batchStep := batchSize / maxWorkers
			for b := 0; b < batchSize; b += batchStep {
				workChan <- workItem{b, min(b+batchStep, batchSize), 0, lhsCrossSize, 0, rhsCrossSize}
			}
			return
		}
		// Split each example evenly among the workers, along the larger cross dimension,
		// in multiples of the micro-kernel size.
		for b := range batchSize {
			if lhsCrossSize >= rhsCrossSize {
				step := avx2K6x16Rows * max(1, (lhsCrossSize/avx2K6x16Rows+maxWorkers-1)/maxWorkers)
				for r := 0; r < lhsCrossSize; r += step {
					workChan <- workItem{b, b + 1, r, min(r+step, lhsCrossSize), 0, rhsCrossSize}
				}
			} else {
				step := avx2K6x16Cols * max(1, (rhsCrossSize/avx2K6x16Cols+maxWorkers-1)/maxWorkers)
				for c := 0; c < rhsCrossSize; c += step {
					workChan <- workItem{b, b + 1, 0, lhsCrossSize, c, min(c+step, rhsCrossSize)}
				}
			}
		}
	})
	backend.Workers.Saturate(func() {
		doItems(func(yield func(workItem) bool) {
			for item := range workChan {
				if !yield(item) {
					return
				}
			}
		})
	})
	wg.Wait()
}

// avx2Large6x16MatrixSliceFloat32 computes output[rowStart:rowEnd, colStart:colEnd] for one (non-batched) matrix.
// The output is written directly (no intermediate packed output), except for partial edge tiles.
func avx2Large6x16MatrixSliceFloat32(
	layout dot.Layout,
	lhs, rhs, output []float32,
	rhsCrossSize, contractingSize int,
	rowStart, rowEnd, colStart, colEnd int,
	params CacheParams,
	packedLHS, packedRHS []float32,
) {
	if params.LHSL1KernelRows != avx2K6x16Rows || params.RHSL1KernelCols != avx2K6x16Cols ||
		params.LHSPanelCrossSize%avx2K6x16Rows != 0 || params.RHSPanelCrossSize%avx2K6x16Cols != 0 {
		panic("avx2Large6x16MatrixSliceFloat32: invalid CacheParams")
	}
	if rowEnd <= rowStart || colEnd <= colStart {
		return
	}
	if contractingSize == 0 {
		for r := rowStart; r < rowEnd; r++ {
			clear(output[r*rhsCrossSize+colStart : r*rhsCrossSize+colEnd])
		}
		return
	}
	for jc := colStart; jc < colEnd; jc += params.RHSPanelCrossSize {
		nc := min(params.RHSPanelCrossSize, colEnd-jc)
		for pc := 0; pc < contractingSize; pc += params.PanelContractingSize {
			kc := min(params.PanelContractingSize, contractingSize-pc)
			if layout == dot.LayoutNonTransposed {
				avx2PackRHSNonTransposed(rhs, packedRHS, pc, jc, rhsCrossSize, kc, nc, avx2K6x16Cols)
			} else {
				// rhs is [rhsCross, contracting], the same layout as lhs.
				unsafePackLHS(rhs, packedRHS, jc, pc, contractingSize, nc, kc, avx2K6x16Cols)
			}
			accumulate := pc > 0
			for ic := rowStart; ic < rowEnd; ic += params.LHSPanelCrossSize {
				mc := min(params.LHSPanelCrossSize, rowEnd-ic)
				avx2PackLHS6Float32(lhs, packedLHS, ic, pc, contractingSize, mc, kc)
				avx2Macro6x16Float32(packedLHS, packedRHS, output, kc, mc, nc, ic, jc, rhsCrossSize, accumulate)
			}
		}
	}
	runtime.KeepAlive(lhs)
	runtime.KeepAlive(rhs)
	runtime.KeepAlive(output)
}

// avx2PackLHS6Float32 packs lhs[rowStart:rowStart+rows, colStart:colStart+cols] (row stride lhsCols) into
// strips of 6 rows laid out as [ceil(rows/6), cols, 6], zero-padding the last strip.
func avx2PackLHS6Float32(lhs, panel []float32, rowStart, colStart, lhsCols, rows, cols int) {
	_ = lhs[(rowStart+rows-1)*lhsCols+colStart+cols-1]
	_ = panel[((rows+avx2K6x16Rows-1)/avx2K6x16Rows)*avx2K6x16Rows*cols-1]
	const es = 4
	stride := uintptr(lhsCols) * es
	dst := unsafe.Pointer(unsafe.SliceData(panel))
	src := unsafe.Pointer(&lhs[rowStart*lhsCols+colStart])
	r := 0
	for ; r+avx2K6x16Rows <= rows; r += avx2K6x16Rows {
		p0 := src
		p1 := unsafe.Add(p0, stride)
		p2 := unsafe.Add(p1, stride)
		p3 := unsafe.Add(p2, stride)
		p4 := unsafe.Add(p3, stride)
		p5 := unsafe.Add(p4, stride)
		k := 0
		// 4 columns at a time: 4x(6 floats) = 24 floats written contiguously.
		for ; k+4 <= cols; k += 4 {
			d := (*[24]float32)(dst)
			s0 := (*[4]float32)(p0)
			s1 := (*[4]float32)(p1)
			s2 := (*[4]float32)(p2)
			s3 := (*[4]float32)(p3)
			s4 := (*[4]float32)(p4)
			s5 := (*[4]float32)(p5)
			for j := range 4 {
				d[j*6+0] = s0[j]
				d[j*6+1] = s1[j]
				d[j*6+2] = s2[j]
				d[j*6+3] = s3[j]
				d[j*6+4] = s4[j]
				d[j*6+5] = s5[j]
			}
			dst = unsafe.Add(dst, 24*es)
			p0 = unsafe.Add(p0, 4*es)
			p1 = unsafe.Add(p1, 4*es)
			p2 = unsafe.Add(p2, 4*es)
			p3 = unsafe.Add(p3, 4*es)
			p4 = unsafe.Add(p4, 4*es)
			p5 = unsafe.Add(p5, 4*es)
		}
		for ; k < cols; k++ {
			d := (*[6]float32)(dst)
			d[0] = *(*float32)(p0)
			d[1] = *(*float32)(p1)
			d[2] = *(*float32)(p2)
			d[3] = *(*float32)(p3)
			d[4] = *(*float32)(p4)
			d[5] = *(*float32)(p5)
			dst = unsafe.Add(dst, 6*es)
			p0 = unsafe.Add(p0, es)
			p1 = unsafe.Add(p1, es)
			p2 = unsafe.Add(p2, es)
			p3 = unsafe.Add(p3, es)
			p4 = unsafe.Add(p4, es)
			p5 = unsafe.Add(p5, es)
		}
		src = unsafe.Add(src, avx2K6x16Rows*stride)
	}
	if valid := rows - r; valid > 0 {
		for k := range cols {
			d := (*[6]float32)(dst)
			p := unsafe.Add(src, uintptr(k)*es)
			for i := range avx2K6x16Rows {
				if i < valid {
					d[i] = *(*float32)(p)
					p = unsafe.Add(p, stride)
				} else {
					d[i] = 0
				}
			}
			dst = unsafe.Add(dst, 6*es)
		}
	}
	runtime.KeepAlive(lhs)
	runtime.KeepAlive(panel)
}

// avx2Macro6x16Float32 multiplies a packed LHS block [mc x kc] by a packed RHS panel [kc x nc] into
// output[ic:ic+mc, jc:jc+nc] (row stride ldc), overwriting if !accumulate, adding otherwise.
func avx2Macro6x16Float32(packedLHS, packedRHS, output []float32, kc, mc, nc, ic, jc, ldc int, accumulate bool) {
	const es = 4
	_ = packedLHS[((mc+avx2K6x16Rows-1)/avx2K6x16Rows)*avx2K6x16Rows*kc-1]
	_ = packedRHS[((nc+avx2K6x16Cols-1)/avx2K6x16Cols)*avx2K6x16Cols*kc-1]
	_ = output[(ic+mc-1)*ldc+jc+nc-1]
	var tmp [avx2K6x16Rows * avx2K6x16Cols]float32
	aBase := unsafe.Pointer(unsafe.SliceData(packedLHS))
	bBase := unsafe.Pointer(unsafe.SliceData(packedRHS))
	ldcBytes := uintptr(ldc) * es
	for jr := 0; jr < nc; jr += avx2K6x16Cols {
		b := unsafe.Add(bBase, uintptr(jr*kc)*es)
		cols := min(avx2K6x16Cols, nc-jr)
		for ir := 0; ir < mc; ir += avx2K6x16Rows {
			a := unsafe.Add(aBase, uintptr(ir*kc)*es)
			rows := min(avx2K6x16Rows, mc-ir)
			cIdx := (ic+ir)*ldc + jc + jr
			if rows == avx2K6x16Rows && cols == avx2K6x16Cols {
				avx2Kernel6x16Float32Asm(kc, a, b, unsafe.Pointer(&output[cIdx]), ldcBytes, accumulate)
				continue
			}
			// Edge tile: compute into tmp, then copy the valid part.
			avx2Kernel6x16Float32Asm(kc, a, b, unsafe.Pointer(&tmp[0]), avx2K6x16Cols*es, false)
			for i := range rows {
				dst := output[cIdx+i*ldc : cIdx+i*ldc+cols]
				src := tmp[i*avx2K6x16Cols : i*avx2K6x16Cols+cols]
				if accumulate {
					for j, v := range src {
						dst[j] += v
					}
				} else {
					copy(dst, src)
				}
			}
		}
	}
	runtime.KeepAlive(packedLHS)
	runtime.KeepAlive(packedRHS)
	runtime.KeepAlive(output)
}

// avx2Kernel6x16Float32Asm is the 6x16 micro-kernel (avx2_kernel6x16_amd64.s):
// c[0:6, 0:16] (= or +=) a x b, where a is packed as [kc][6] and b as [kc][16], and ldcBytes is the row stride of c.
//
// It is written in Go assembly because with archsimd (Go 1.26) the compiler maps MulAdd to VFMADD213PS (which
// clobbers a multiplicand, forcing register copies) and schedules all broadcasts ahead of the FMAs, spilling
// accumulators to the stack: the archsimd version of this kernel ran no faster than the 4x16 one.
//
//go:noescape
func avx2Kernel6x16Float32Asm(kc int, a, b, c unsafe.Pointer, ldcBytes uintptr, accumulate bool)
