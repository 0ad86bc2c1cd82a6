#include "dsp/overlap_add.h"
