/* util_check.c - test helpers that fail the test through Check's
 * assertions (util_clip.c reports through tu_err() instead). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_clip.h"

int tu_zimu(const char *dir, const char *const *args, char *err, size_t errsize)
{
    const char *bin = getenv("ZIMU_BIN") ? getenv("ZIMU_BIN") : "build/zimu";
    const char *argv[40];
    int n = 0;
    argv[n++] = bin;
    for (int i = 0; args[i] && n < 39; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char *errpath = tu_path(dir, "stderr.txt");
    fflush(NULL);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(null, 0);
        dup2(null, 1);
        dup2(fd, 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ck_assert(errno == EINTR);
    uint8_t *data = NULL;
    size_t size = 0;
    err[0] = 0;
    if (tu_read_file(errpath, &data, &size) == 0) {
        snprintf(err, errsize, "%.*s", (int)size, (const char *)data);
        free(data);
    }
    free(errpath);
    ck_assert_msg(WIFEXITED(st), "%s did not exit normally", bin);
    return WEXITSTATUS(st);
}

int *tu_visible_frames(const tu_video *v, int n, const int64_t *st, const int64_t *en)
{
    int *vis = calloc((size_t)v->n + 1, sizeof *vis);
    ck_assert_ptr_nonnull(vis);
    for (int i = 0; i < v->n; i++) {
        int64_t t = tu_frame_ms(v, i);
        for (int c = 0; c < n; c++)
            if (t >= st[c] && t < en[c])
                vis[i] = 1;
    }
    return vis;
}

char *tu_clip_at(const char *dir, const char *name, int frames)
{
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.frames = frames;
    char *p = tu_path(dir, name);
    TU_OK(tu_make_clip(p, &co));
    return p;
}
