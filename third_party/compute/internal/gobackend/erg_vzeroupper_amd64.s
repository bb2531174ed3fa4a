// erg patch (see third_party/README.md).

#include "textflag.h"

// func ErgVZeroUpper()
TEXT ·ErgVZeroUpper(SB), NOSPLIT, $0-0
	VZEROUPPER
	RET
