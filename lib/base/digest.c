/* digest.c - SHA-256 of settings and files (libavutil's SHA). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <libavutil/mem.h>
#include <libavutil/sha.h>

#include "digest.h"
#include "internal.h"

struct zimu_digest {
    struct AVSHA *sha;
};

zimu_digest *zimu__digest_new(void)
{
    zimu_digest *d = calloc(1, sizeof *d);
    if (!d || !(d->sha = av_sha_alloc()) || av_sha_init(d->sha, 256) < 0) {
        if (d)
            av_free(d->sha);
        free(d);
        return NULL;
    }
    return d;
}

void zimu__digest_free(zimu_digest **d)
{
    if (!d || !*d)
        return;
    av_free((*d)->sha);
    free(*d);
    *d = NULL;
}

void zimu__digest_add(zimu_digest *d, const void *data, size_t size)
{
    const uint8_t *p = data;
    while (size) {
        unsigned n = size > (1u << 30) ? 1u << 30 : (unsigned)size;
        av_sha_update(d->sha, p, n);
        p += n;
        size -= n;
    }
}

void zimu__digest_str(zimu_digest *d, const char *label, const char *s)
{
    char head[128];
    int n = snprintf(head, sizeof head, "\n%s %" PRId64 ":", label,
                     s ? (int64_t)strlen(s) : (int64_t)-1);
    zimu__digest_add(d, head, (size_t)n);
    if (s)
        zimu__digest_add(d, s, strlen(s));
}

void zimu__digest_int(zimu_digest *d, const char *label, int64_t v)
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, "\n%s=%" PRId64, label, v);
    zimu__digest_add(d, buf, (size_t)n);
}

void zimu__digest_num(zimu_digest *d, const char *label, double v)
{
    char buf[128];
    int n = zimu__snprintf(buf, sizeof buf, "\n%s=%.17g", label, v);
    zimu__digest_add(d, buf, (size_t)n);
}

/* Hash size bytes of fd from offset. 0 or -1. */
static int add_range(zimu_digest *d, int fd, off_t offset, off_t size)
{
    static const size_t chunk = 1 << 16;
    uint8_t *buf = malloc(chunk);
    if (!buf)
        return -1;
    while (size > 0) {
        ssize_t r = pread(fd, buf, size < (off_t)chunk ? (size_t)size : chunk, offset);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            if (r == 0)
                errno = EIO; /* shorter than it said: changing under us */
            return -1;
        }
        zimu__digest_add(d, buf, (size_t)r);
        offset += r;
        size -= r;
    }
    free(buf);
    return 0;
}

int zimu__digest_file(zimu_digest *d, const char *label, const char *path, int with_mtime)
{
    static const off_t whole = (off_t)4 << 20, part = (off_t)1 << 20;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        zimu__digest_str(d, label, "missing");
        errno = e;
        return -1;
    }
    char head[256];
    int n = snprintf(head, sizeof head, "\n%s file %" PRId64, label, (int64_t)st.st_size);
    zimu__digest_add(d, head, (size_t)n);
    if (with_mtime) {
        n = snprintf(head, sizeof head, " mtime %" PRId64 ".%09ld", (int64_t)st.st_mtim.tv_sec,
                     (long)st.st_mtim.tv_nsec);
        zimu__digest_add(d, head, (size_t)n);
    }
    int r;
    if (st.st_size <= whole)
        r = add_range(d, fd, 0, st.st_size);
    else
        r = add_range(d, fd, 0, part) < 0 ? -1 : add_range(d, fd, st.st_size - part, part);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

void zimu__digest_hex(zimu_digest *d, char hex[65])
{
    uint8_t out[32];
    av_sha_final(d->sha, out);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", out[i]);
    zimu__digest_free(&d);
}
