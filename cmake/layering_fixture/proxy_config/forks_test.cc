// Tests are exempt from NEVER_USES: they may start processes.
#include <unistd.h>

int StartInTest() { return fork(); }
