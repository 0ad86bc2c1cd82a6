#include "model/tfc_tdf_net.h"
