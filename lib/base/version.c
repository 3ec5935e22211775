/* version.c - the version of the library linked. */
#include "internal.h"

#define ZIMU__STR(x) #x
#define ZIMU__XSTR(x) ZIMU__STR(x)

const char *zimu_version(void)
{
    /* From the header's numbers, so the two cannot disagree. */
    return ZIMU__XSTR(ZIMU_VERSION_MAJOR) "." ZIMU__XSTR(ZIMU_VERSION_MINOR) "."
           ZIMU__XSTR(ZIMU_VERSION_PATCH);
}

int zimu_version_int(void)
{
    return ZIMU_VERSION_INT;
}
