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
