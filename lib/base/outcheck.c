/* outcheck.c - may an output file be written at path? The one rule for
 * burns, previews, covers and caption conversions. */
#include <sys/stat.h>

#include "internal.h"

int zimu__check_output(zimu_ctx *c, const char *path, int overwrite,
                       const char *const *inputs, size_t n_inputs)
{
    struct stat so;
    if (!path || stat(path, &so) != 0)
        return 0; /* nothing there (or nothing reachable): the write will tell */
    /* The same file under any name: a symlink or a hard link to an input. */
    for (size_t i = 0; i < n_inputs; i++) {
        struct stat si;
        if (inputs && inputs[i] && stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino)
            return zimu__fail(c, ZIMU_ESAME, "%s: output is the input file; choose another name",
                              path);
    }
    if (S_ISDIR(so.st_mode))
        return zimu__fail(c, ZIMU_EOUTPUT, "%s: is a directory", path);
    if (!overwrite)
        return zimu__fail(c, ZIMU_EEXIST, "%s: exists; use overwrite (-y) to replace it", path);
    return 0;
}
