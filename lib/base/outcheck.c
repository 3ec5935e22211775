/* outcheck.c - the rules every output obeys before it is written. */
#include <sys/stat.h>

#include "outcheck.h"

int zimu__check_output(zimu_ctx *c, const char *path, int overwrite,
                       const char *const *inputs, size_t n_inputs)
{
    struct stat so, si;
    if (stat(path, &so) != 0)
        return 0;
    for (size_t i = 0; i < n_inputs; i++)
        if (inputs[i] && stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino)
            return zimu__fail_file(c, ZIMU_ESAME, path, "%s: output is the input file %s; choose another name",
                              path, inputs[i]);
    if (S_ISDIR(so.st_mode))
        return zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: is a directory", path);
    if (!overwrite)
        return zimu__fail_file(c, ZIMU_EEXIST, path, "%s: exists; use overwrite (-y) to replace it", path);
    return 0;
}
