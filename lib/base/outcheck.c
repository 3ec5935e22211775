/* outcheck.c - the rules every output obeys before it is written. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "outcheck.h"

int zimu__check_output_folder(zimu_ctx *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    char dir[4096];
    size_t n = (size_t)(slash - path);
    if (n >= sizeof dir)
        return 0;
    memcpy(dir, path, n);
    dir[n] = 0;
    struct stat sd;
    if (stat(dir, &sd) != 0) {
        if (errno == ENOENT)
            return zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: the folder %s does not exist",
                                   path, dir);
        return 0; /* the writer's own message says what is wrong */
    }
    if (!S_ISDIR(sd.st_mode))
        return zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: %s is not a folder", path, dir);
    return 0;
}

int zimu__check_output(zimu_ctx *c, const char *path, int overwrite,
                       const char *const *inputs, size_t n_inputs)
{
    struct stat so, si;
    if (stat(path, &so) != 0)
        return errno == ENOENT || errno == ENOTDIR ? zimu__check_output_folder(c, path) : 0;
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
