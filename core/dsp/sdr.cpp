#include "dsp/sdr.h"
