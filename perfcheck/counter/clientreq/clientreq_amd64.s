#include "textflag.h"

// func clientRequest(args *[6]uintptr) uintptr
//
// Valgrind recognises a client request by a "magic" preamble that is a
// no-op on real hardware: four rotations of RDI adding up to 128 bits,
// followed by XCHGQ BX, BX. RAX points at the request block, RDX carries
// the default result in and the answer out (valgrind.h,
// VALGRIND_DO_CLIENT_REQUEST_EXPR for amd64).
TEXT ·clientRequest(SB), NOSPLIT, $0-16
	MOVQ	args+0(FP), AX
	XORL	DX, DX
	ROLQ	$3, DI
	ROLQ	$13, DI
	ROLQ	$61, DI
	ROLQ	$51, DI
	XCHGQ	BX, BX
	MOVQ	DX, ret+8(FP)
	RET
