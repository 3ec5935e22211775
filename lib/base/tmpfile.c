/* tmpfile.c - unique temporary files beside an output. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* This process's mark in a temporary's name: "HOST-PID-". The host name
 * keeps letters, digits, '.', '_' and '-' (others become '_'), at most 64
 * bytes, so a name can be read back from its end whatever the host. */
static void owner_tag(char *buf, size_t size)
{
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) < 0 || !host[0])
        snprintf(host, sizeof host, "unknown");
    host[64] = 0;
    for (char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            *p = '_';
    snprintf(buf, size, "%s-%ld-", host, (long)getpid());
}

char *zimu__temp_owned(const char *dir, const char *prefix, const char *suffix)
{
    char tag[96], full[512];
    owner_tag(tag, sizeof tag);
    snprintf(full, sizeof full, "%s%s", prefix, tag);
    return zimu__temp_create(dir, full, suffix);
}

/* name is "<prefix>HOST-PID-XXXXXXXX<suffix>" for this host (tag "HOST-")
 * and a process that is gone: its pid, else 0. */
static long stale_pid(const char *name, const char *prefix, const char *suffix,
                      const char *host_tag)
{
    size_t nl = strlen(name), pl = strlen(prefix), sl = strlen(suffix);
    size_t hl = strlen(host_tag);
    if (nl < pl + hl + sl + 10 || strncmp(name, prefix, pl) ||
        strcmp(name + nl - sl, suffix) || strncmp(name + pl, host_tag, hl))
        return 0;
    const char *p = name + pl + hl, *end = name + nl - sl - 9; /* at "-XXXXXXXX" */
    if (*end != '-' || p == end)
        return 0;
    for (const char *q = end + 1; q < end + 9; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
            return 0;
    long pid = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9' || pid > 100000000)
            return 0;
        pid = pid * 10 + (*p - '0');
    }
    if (pid <= 0 || pid == (long)getpid())
        return 0;
    return kill((pid_t)pid, 0) < 0 && errno == ESRCH ? pid : 0;
}

int zimu__temp_remove_stale(const char *dir, const char *prefix, const char *suffix)
{
    char tag[96];
    owner_tag(tag, sizeof tag);
    char *dash = strrchr(tag, '-');        /* "HOST-PID-": keep "HOST-" */
    *dash = 0;
    dash = strrchr(tag, '-');
    dash[1] = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0, e = errno;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!stale_pid(de->d_name, prefix, suffix, tag))
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode) && unlinkat(dirfd(d), de->d_name, 0) == 0)
            n++;
    }
    closedir(d);
    errno = e;
    return n;
}

/* The folder and the name of the temporaries beside path. */
static int beside_parts(const char *path, char **dir, char *prefix, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *base;
    if (!slash) {
        *dir = strdup(".");
        base = path;
    } else {
        size_t dl = (size_t)(slash - path);
        *dir = dl ? strndup(path, dl) : strdup("/");
        base = slash + 1;
    }
    if (!*dir) {
        errno = ENOMEM;
        return -1;
    }
    /* Keep the name under NAME_MAX (255) with room for the decoration
     * (host, pid, random part); cut at a UTF-8 character boundary. */
    size_t bl = strlen(base);
    if (bl > 150) {
        bl = 150;
        while (bl && ((unsigned char)base[bl] & 0xC0) == 0x80)
            bl--;
    }
    snprintf(prefix, size, ".%.*s.zimu-", (int)bl, base);
    return 0;
}

int zimu__temp_remove_stale_beside(const char *path)
{
    char *dir, prefix[256];
    if (beside_parts(path, &dir, prefix, sizeof prefix) < 0)
        return 0;
    int n = zimu__temp_remove_stale(dir, prefix, ".part");
    free(dir);
    return n;
}

char *zimu__temp_beside(const char *path)
{
    char *dir, prefix[256];
    if (beside_parts(path, &dir, prefix, sizeof prefix) < 0)
        return NULL;
    zimu__temp_remove_stale(dir, prefix, ".part");
    char *name = zimu__temp_owned(dir, prefix, ".part");
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

/* Give tmp the name path unless path exists: 0, or -1 with errno (EEXIST
 * when it does). */
static int link_noreplace(const char *tmp, const char *path, int how)
{
    if (how != ZIMU__PUBLISH_LINK) {
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
            return 0;
        /* Refused by the file system (NFS, older kernels): a hard link
         * fails with EEXIST just as well. */
        if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            return -1;
    }
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
    /* No hard links either (FAT and the like): look, then rename. Only
     * here is there a moment in which a new file could still be
     * replaced. */
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
        return -1;
    struct stat st;
    if (lstat(path, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, path);
}

int zimu__temp_publish_how(zimu_ctx *c, const char *tmp, const char *path, int overwrite,
                           int how)
{
    int e = 0;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0)
        e = errno;
    if (fd >= 0)
        close(fd);
    if (!e && (overwrite ? rename(tmp, path) : link_noreplace(tmp, path, how)) < 0)
        e = errno;
    if (e) {
        unlink(tmp);
        if (e == EEXIST && !overwrite)
            return zimu__fail_file(c, ZIMU_EEXIST, path,
                                   "%s: appeared while zimu was writing; nothing was replaced "
                                   "(use overwrite, -y, to replace it)", path);
        return zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: cannot write: %s", path,
                               strerror(e));
    }
    sync_dir_of(path);
    return 0;
}

int zimu__temp_publish(zimu_ctx *c, const char *tmp, const char *path, int overwrite)
{
    return zimu__temp_publish_how(c, tmp, path, overwrite, ZIMU__PUBLISH_AUTO);
}

int zimu__write_file_atomic(zimu_ctx *c, const char *path, const void *data, size_t size,
                            int overwrite)
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
        r = zimu__temp_publish(c, tmp, path, overwrite);
    }
    free(tmp);
    return r;
}
