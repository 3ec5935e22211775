/* tmpfile.c - unique temporary files beside an output. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "internal.h"
#include "tmpfile.h"

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t random64(void)
{
    static uint64_t counter;
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
        return r;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    return mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
                 ((uint64_t)getpid() << 16) ^ (n * 0x2545f4914f6cdd1dull) ^
                 (uint64_t)(uintptr_t)&r);
}

char *zimu__temp_create(const char *dir, const char *prefix, const char *suffix)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t n = strlen(dir) + strlen(prefix) + strlen(suffix) + 16;
    char *name = malloc(n);
    if (!name) {
        errno = ENOMEM;
        return NULL;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        uint64_t r = random64();
        char x[9];
        for (int i = 0; i < 8; i++) {
            x[i] = digits[r % 36];
            r /= 36;
        }
        x[8] = 0;
        snprintf(name, n, "%s/%s%s%s", dir, prefix, x, suffix);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            close(fd);
            return name;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(name);
    errno = e;
    return NULL;
}

char *zimu__temp_beside(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    const char *base;
    if (!slash) {
        dir = strdup(".");
        base = path;
    } else {
        size_t dl = (size_t)(slash - path);
        dir = dl ? strndup(path, dl) : strdup("/");
        base = slash + 1;
    }
    if (!dir) {
        errno = ENOMEM;
        return NULL;
    }
    /* Keep the name under NAME_MAX (255) with room for the decoration;
     * cut at a UTF-8 character boundary. */
    size_t bl = strlen(base);
    if (bl > 200) {
        bl = 200;
        while (bl && ((unsigned char)base[bl] & 0xC0) == 0x80)
            bl--;
    }
    char prefix[256];
    snprintf(prefix, sizeof prefix, ".%.*s.zimu-", (int)bl, base);
    char *name = zimu__temp_create(dir, prefix, ".part");
    int e = errno;
    free(dir);
    errno = e;
    return name;
}

/* Flush the folder holding path, so that a rename into it survives a
 * crash. Best effort: some file systems refuse fsync on a folder. */
static void sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int zimu__temp_publish(zimu_ctx *c, const char *tmp, const char *path)
{
    int e = 0;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0)
        e = errno;
    if (fd >= 0)
        close(fd);
    if (!e && rename(tmp, path) < 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: cannot write: %s", path,
                               strerror(e));
    }
    sync_dir_of(path);
    return 0;
}

int zimu__write_file_atomic(zimu_ctx *c, const char *path, const void *data, size_t size)
{
    struct stat st;
    size_t pl = strlen(path);
    if (!pl || path[pl - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: is a directory, not a file name",
                               path);
    char *tmp = zimu__temp_beside(path);
    if (!tmp) {
        int e = errno;
        return zimu__fail_file(c, e == ENOMEM ? ZIMU_ENOMEM : ZIMU_EOUTPUT,
                               e == ENOMEM ? NULL : path,
                               "%s: cannot create a file beside it: %s", path, strerror(e));
    }
    int fd = open(tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
    int e = fd < 0 ? errno : 0;
    const char *p = data;
    size_t left = size;
    while (!e && left) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fd >= 0 && close(fd) < 0 && !e)
        e = errno;
    int r;
    if (e) {
        unlink(tmp);
        r = zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: cannot write: %s", path,
                            strerror(e));
    } else {
        r = zimu__temp_publish(c, tmp, path);
    }
    free(tmp);
    return r;
}
