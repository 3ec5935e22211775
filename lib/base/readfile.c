/* readfile.c - a whole (caption, style) file into memory, bounded.
 *
 * st_size is only believed to refuse a regular file early: /dev/zero,
 * /dev/urandom and FIFOs have no size, and a sparse file's size is all
 * holes that read as zeros, so the limit is enforced on the bytes read. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define CHUNK ((size_t)1 << 16)

char *zimu__strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

void zimu__bytes_text(int64_t bytes, char *buf, size_t size)
{
    static const char *const unit[] = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < 3; i++) {
        int64_t u = (int64_t)1 << (30 - 10 * i);
        if (bytes >= u && bytes % u == 0) {
            snprintf(buf, size, "%" PRId64 " %s", bytes / u, unit[i]);
            return;
        }
    }
    snprintf(buf, size, "%" PRId64 " byte%s", bytes, bytes == 1 ? "" : "s");
}

static int too_big(zimu_ctx *c, const char *path, int64_t max, int code, const char *kind)
{
    char lim[64];
    zimu__bytes_text(max, lim, sizeof lim);
    return zimu__fail_file(c, code, path,
                           "%s: larger than %s, the most zimu reads of %s "
                           "(zimu_job_set_max_file_size, --max-file-size)",
                           path, lim, zimu__tr(kind ? kind : N_("a caption or style file")));
}

int zimu__read_file(zimu_ctx *c, const char *path, int64_t max, int too_big_code,
                    const char *kind, char **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    if (max <= 0)
        max = ZIMU__MAX_FILE_DEFAULT;
    int fd;
    /* Opening a FIFO waits for a writer: a signal ends the wait (EINTR);
     * one that came before the open has already cancelled. */
    if (zimu__cancelled(c))
        return zimu__fail_cancel(c);
    while ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 && errno == EINTR)
        if (zimu__cancelled(c))
            return zimu__fail_cancel(c);
    if (fd < 0)
        return zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(EISDIR));
    }
    if (S_ISREG(st.st_mode) && st.st_size > max) {
        close(fd);
        return too_big(c, path, max, too_big_code, kind);
    }
    /* A regular file's size is a good first guess (it may still grow). */
    size_t cap = CHUNK;
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size + 1 > cap)
        cap = (size_t)st.st_size + 1;
    size_t n = 0;
    char *buf = malloc(cap + 1);
    int r = 0;
    if (!buf) {
        r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    for (;;) {
        if (zimu__cancelled(c)) {
            r = zimu__fail_cancel(c);
            goto done;
        }
        if (n == cap) {
            /* One byte past max is enough to know the file is too big. */
            size_t ncap = cap * 2 > (uint64_t)max + 1 ? (size_t)max + 1 : cap * 2;
            if (ncap <= cap) {
                r = too_big(c, path, max, too_big_code, kind);
                goto done;
            }
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        size_t want = cap - n < CHUNK ? cap - n : CHUNK;
        ssize_t got = read(fd, buf + n, want);
        if (got < 0) {
            if (errno == EINTR)
                continue; /* the check above sees a cancel */
            r = zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(errno));
            goto done;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if ((int64_t)n > max) {
            r = too_big(c, path, max, too_big_code, kind);
            goto done;
        }
    }
    buf[n] = 0;
    *data = buf;
    *size = n;
    buf = NULL;
done:
    free(buf);
    close(fd);
    return r;
}
