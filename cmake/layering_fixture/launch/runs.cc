// The running library may start processes and include the deciding one.
#include <unistd.h>

#include "proxy_config/proxy_plan.h"

int Start() { return fork(); }
