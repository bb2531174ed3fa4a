// erg patch (see third_party/README.md).

#include "textflag.h"

// func ergVZeroUpper()
TEXT ·ergVZeroUpper(SB), NOSPLIT, $0-0
	VZEROUPPER
	RET
