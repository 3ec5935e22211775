/* readfile.c - a whole (caption, style) file into memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

char *zimu__strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

int zimu__read_file(zimu_ctx *c, const char *path, char **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", path);
    }
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                fclose(f);
                return zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(e));
            }
            break;
        }
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            fclose(f);
            return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", path);
        }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    buf[n] = 0;
    *data = buf;
    *size = n;
    return 0;
}
