#include "model/model_loader.h"
