#include "mw_shim.h"
