// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0

//go:build amd64 && goexperiment.simd

#include "textflag.h"

// STEP6x16 performs one contracting step of the 6x16 float32 micro-kernel:
// 2 loads of the packed RHS (16 floats at B_OFF(DI)), 6 broadcasts of the packed LHS
// (6 floats at A_OFF(SI)) and 12 FMAs into the accumulators Y0-Y11.
#define STEP6x16(A_OFF, B_OFF) \
	VMOVUPS      B_OFF(DI), Y12         \
	VMOVUPS      (B_OFF+32)(DI), Y13    \
	VBROADCASTSS (A_OFF+0)(SI), Y14     \
	VFMADD231PS  Y14, Y12, Y0           \
	VFMADD231PS  Y14, Y13, Y1           \
	VBROADCASTSS (A_OFF+4)(SI), Y14     \
	VFMADD231PS  Y14, Y12, Y2           \
	VFMADD231PS  Y14, Y13, Y3           \
	VBROADCASTSS (A_OFF+8)(SI), Y14     \
	VFMADD231PS  Y14, Y12, Y4           \
	VFMADD231PS  Y14, Y13, Y5           \
	VBROADCASTSS (A_OFF+12)(SI), Y14    \
	VFMADD231PS  Y14, Y12, Y6           \
	VFMADD231PS  Y14, Y13, Y7           \
	VBROADCASTSS (A_OFF+16)(SI), Y14    \
	VFMADD231PS  Y14, Y12, Y8           \
	VFMADD231PS  Y14, Y13, Y9           \
	VBROADCASTSS (A_OFF+20)(SI), Y14    \
	VFMADD231PS  Y14, Y12, Y10          \
	VFMADD231PS  Y14, Y13, Y11

// ACCROW adds the output row at (DX) to the accumulators R0, R1.
#define ACCROW(R0, R1) \
	VADDPS (DX), R0, R0   \
	VADDPS 32(DX), R1, R1

#define STOREROW(R0, R1) \
	VMOVUPS R0, (DX)   \
	VMOVUPS R1, 32(DX) \
	ADDQ    R8, DX

// func avx2Kernel6x16Float32Asm(kc int, a, b, c unsafe.Pointer, ldcBytes uintptr, accumulate bool)
TEXT ·avx2Kernel6x16Float32Asm(SB), NOSPLIT, $0-41
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldcBytes+32(FP), R8

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

loop4:
	CMPQ CX, $4
	JLT  tail
	STEP6x16(0, 0)
	STEP6x16(24, 64)
	STEP6x16(48, 128)
	STEP6x16(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	SUBQ $4, CX
	JMP  loop4

tail:
	TESTQ CX, CX
	JEQ   done
	STEP6x16(0, 0)
	ADDQ  $24, SI
	ADDQ  $64, DI
	DECQ  CX
	JMP   tail

done:
	MOVBLZX accumulate+40(FP), AX
	TESTL   AX, AX
	JEQ     store
	MOVQ    DX, R9
	ACCROW(Y0, Y1)
	ADDQ    R8, DX
	ACCROW(Y2, Y3)
	ADDQ    R8, DX
	ACCROW(Y4, Y5)
	ADDQ    R8, DX
	ACCROW(Y6, Y7)
	ADDQ    R8, DX
	ACCROW(Y8, Y9)
	ADDQ    R8, DX
	ACCROW(Y10, Y11)
	MOVQ    R9, DX

store:
	STOREROW(Y0, Y1)
	STOREROW(Y2, Y3)
	STOREROW(Y4, Y5)
	STOREROW(Y6, Y7)
	STOREROW(Y8, Y9)
	STOREROW(Y10, Y11)
	VZEROUPPER
	RET
