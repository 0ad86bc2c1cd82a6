#include "dsp/stft.h"
