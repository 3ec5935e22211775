/* log.c - messages to a handle's log callback, and FFmpeg's process-wide
 * log (quiet by default, or routed to the caller's callback). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libavutil/log.h>

#include "internal.h"

void zimu__vlog(zimu_ctx *c, int level, const char *fmt, va_list ap)
{
    if (!c || !c->log_cb || level > c->log_level)
        return;
    char buf[1024];
    zimu__vsnprintf(buf, sizeof buf, zimu__tr(fmt), ap);
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
static pthread_mutex_t ff_lock = PTHREAD_MUTEX_INITIALIZER;
static zimu_log_fn ff_cb;
static void *ff_opaque;
static int ff_level;
static int ff_taken; /* the caller called zimu_set_ffmpeg_log() */

static void ff_log_bridge(void *avcl, int level, const char *fmt, va_list vl)
{
    pthread_mutex_lock(&ff_lock);
    zimu_log_fn cb = ff_cb;
    void *opaque = ff_opaque;
    int max = ff_level;
    pthread_mutex_unlock(&ff_lock);
    if (!cb || level > max)
        return;
    char line[1024];
    int print_prefix = 1;
    zimu_cnum num;
    zimu__cnum_begin(&num);
    av_log_format_line(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
    zimu__cnum_end(&num);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = 0;
    if (!n)
        return;
    int zl = level <= AV_LOG_ERROR ? ZIMU_LOG_ERROR
           : level <= AV_LOG_WARNING ? ZIMU_LOG_WARNING
           : level <= AV_LOG_INFO ? ZIMU_LOG_INFO : ZIMU_LOG_DEBUG;
    cb(opaque, zl, line);
}

void zimu_set_ffmpeg_log(zimu_log_fn cb, void *opaque, int level)
{
    pthread_mutex_lock(&ff_lock);
    ff_taken = 1;
    ff_cb = cb;
    ff_opaque = opaque;
    ff_level = level <= ZIMU_LOG_ERROR ? AV_LOG_ERROR
             : level == ZIMU_LOG_WARNING ? AV_LOG_WARNING
             : level == ZIMU_LOG_INFO ? AV_LOG_INFO : AV_LOG_DEBUG;
    pthread_mutex_unlock(&ff_lock);
    if (cb) {
        av_log_set_level(AV_LOG_DEBUG);
        av_log_set_callback(ff_log_bridge);
    } else {
        av_log_set_callback(av_log_default_callback);
    }
}

/* Once per process, and never after the caller took the log over: jobs on
 * several threads do not race on FFmpeg's level. */
static void ff_quiet_once(void)
{
    pthread_mutex_lock(&ff_lock);
    if (!ff_taken)
        av_log_set_level(AV_LOG_QUIET);
    pthread_mutex_unlock(&ff_lock);
}

void zimu__ffmpeg_log_default(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ff_quiet_once);
}
