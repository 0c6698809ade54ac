// A library file that breaks both rules the layering test enforces (see CMakeLists.txt,
// layering_refuses): it starts a process and includes a folder its library does not build on.
#include <unistd.h>

#include "launch/helper.h"

int Start() { return fork(); }
