/* error.c - error codes, per-handle messages, logging, small utilities. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavutil/error.h>
#include <libavutil/log.h>

#include "internal.h"

#define ZIMU__STR(x) #x
#define ZIMU__XSTR(x) ZIMU__STR(x)

const char *zimu_version(void)
{
    /* From the header's numbers, so the two cannot disagree. */
    return ZIMU__XSTR(ZIMU_VERSION_MAJOR) "." ZIMU__XSTR(ZIMU_VERSION_MINOR) "."
           ZIMU__XSTR(ZIMU_VERSION_PATCH);
}

int zimu_version_int(void)
{
    return ZIMU_VERSION_INT;
}

const char *zimu_strerror(int code)
{
    switch (code) {
    case ZIMU_OK: return "success";
    case ZIMU_ENOMEM: return "out of memory";
    case ZIMU_EINVAL: return "invalid argument";
    case ZIMU_ENOENT: return "file not found or not readable";
    case ZIMU_ENOTVIDEO: return "not a video file";
    case ZIMU_ENOVIDEO: return "no video stream";
    case ZIMU_ECODEC: return "unsupported codec";
    case ZIMU_ESUBS: return "subtitle file cannot be parsed";
    case ZIMU_EOUTPUT: return "output cannot be written";
    case ZIMU_EEXIST: return "output exists";
    case ZIMU_ESAME: return "output is the input";
    case ZIMU_ECANCEL: return "cancelled";
    case ZIMU_EDECODE: return "input cannot be decoded";
    case ZIMU_EFFMPEG: return "FFmpeg library error";
    case ZIMU_ECHARSET: return "subtitle text is not valid in its encoding";
    case ZIMU_EFONT: return "fonts cannot be set up";
    case ZIMU_ESTYLE: return "style is not valid";
    case ZIMU_EBADHANDLE: return "not a live zimu handle of the right kind";
    }
    return "unknown error";
}

static int vfail(zimu_ctx *c, int code, const char *file, const char *fmt, va_list ap)
{
    if (c) {
        vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
        zimu__set_errfile(c, code, file);
        zimu__log(c, ZIMU_LOG_ERROR, "%s", c->errmsg);
    }
    return code;
}

int zimu__fail(zimu_ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

int zimu__fail_file(zimu_ctx *c, int code, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, code, file, fmt, ap);
    va_end(ap);
    return code;
}

int zimu__set_errfile(zimu_ctx *c, int code, const char *file)
{
    if (c && file != c->errfile)
        snprintf(c->errfile, sizeof c->errfile, "%s", file ? file : "");
    return code;
}

/* The context of a live handle, or NULL: only the first word is looked at
 * (see ZIMU__MAGIC_JOB). */
static const zimu_ctx *handle_ctx(const void *handle)
{
    if (!handle)
        return NULL;
    uint32_t magic;
    memcpy(&magic, handle, sizeof magic);
    switch (magic) {
    case ZIMU__MAGIC_JOB:
    case ZIMU__MAGIC_SUBS:
    case ZIMU__MAGIC_RENDERER:
    case ZIMU__MAGIC_FONTS:
        return handle;
    }
    return NULL;
}

const char *zimu_errmsg(const void *handle)
{
    const zimu_ctx *c = handle_ctx(handle);
    return c ? c->errmsg : "";
}

const char *zimu_errfile(const void *handle)
{
    const zimu_ctx *c = handle_ctx(handle);
    return c && c->errfile[0] ? c->errfile : NULL;
}

int zimu__fail_av(zimu_ctx *c, int code, int averr, const char *what)
{
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(averr, buf, sizeof buf);
    return zimu__fail(c, code, "%s: %s", what, buf);
}

void zimu__clear(zimu_ctx *c)
{
    c->errmsg[0] = 0;
    c->errfile[0] = 0;
}

void zimu__vlog(zimu_ctx *c, int level, const char *fmt, va_list ap)
{
    if (!c || !c->log_cb || level > c->log_level)
        return;
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = 0;
    c->log_cb(c->log_opaque, level, buf);
}

void zimu__log(zimu_ctx *c, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zimu__vlog(c, level, fmt, ap);
    va_end(ap);
}

/* FFmpeg's log: process-wide. */
static zimu_log_fn ff_cb;
static void *ff_opaque;
static int ff_level;
static int ff_taken; /* the caller called zimu_set_ffmpeg_log() */

static void ff_log_bridge(void *avcl, int level, const char *fmt, va_list vl)
{
    if (level > ff_level)
        return;
    char line[1024];
    int print_prefix = 1;
    av_log_format_line(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = 0;
    if (!n)
        return;
    int zl = level <= AV_LOG_ERROR ? ZIMU_LOG_ERROR
           : level <= AV_LOG_WARNING ? ZIMU_LOG_WARNING
           : level <= AV_LOG_INFO ? ZIMU_LOG_INFO : ZIMU_LOG_DEBUG;
    ff_cb(ff_opaque, zl, line);
}

void zimu_set_ffmpeg_log(zimu_log_fn cb, void *opaque, int level)
{
    ff_taken = 1;
    ff_cb = cb;
    ff_opaque = opaque;
    ff_level = level <= ZIMU_LOG_ERROR ? AV_LOG_ERROR
             : level == ZIMU_LOG_WARNING ? AV_LOG_WARNING
             : level == ZIMU_LOG_INFO ? AV_LOG_INFO : AV_LOG_DEBUG;
    if (cb) {
        av_log_set_level(AV_LOG_DEBUG);
        av_log_set_callback(ff_log_bridge);
    } else {
        av_log_set_callback(av_log_default_callback);
    }
}

void zimu__ffmpeg_log_default(void)
{
    if (!ff_taken)
        av_log_set_level(AV_LOG_QUIET);
}

double zimu__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

double zimu__cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

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
