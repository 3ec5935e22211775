/* internal.h - shared by every file in lib/. Never installed. */
#ifndef ZIMU_INTERNAL_H
#define ZIMU_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "zimu.h"

#define ZIMU_ERRMSG_MAX 1024

/* What every handle carries: the detailed message of its last failure and
 * where its log messages go. */
typedef struct zimu_ctx {
    char errmsg[ZIMU_ERRMSG_MAX];
    zimu_log_fn log_cb;
    void *log_opaque;
    int log_level;
} zimu_ctx;

/* Set the detailed message (printf-style) and return code, so that
 * `return zimu__fail(c, ZIMU_ESUBS, "%s:%d: ...", name, line);` reads well. */
int zimu__fail(zimu_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Clear the message. */
void zimu__clear(zimu_ctx *c);
/* Log through the handle's callback, if any and if level allows. */
void zimu__log(zimu_ctx *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void zimu__vlog(zimu_ctx *c, int level, const char *fmt, va_list ap);
/* Map an FFmpeg AVERROR to the detailed message of c, return the zimu code. */
int zimu__fail_av(zimu_ctx *c, int code, int averr, const char *what);

/* Silence FFmpeg's log once, unless the caller took it over. */
void zimu__ffmpeg_log_default(void);

/* Monotonic clock in seconds. */
double zimu__now(void);
/* CPU time of the calling thread in seconds: what a step costs, whatever
 * the encoder's threads do meanwhile. */
double zimu__cpu_now(void);

/* Read a whole file into memory (malloc'd, NUL-terminated for convenience,
 * *size excludes the NUL). Missing file: ZIMU_ENOENT with the path. */
int zimu__read_file(zimu_ctx *c, const char *path, char **data, size_t *size);

char *zimu__strdup(const char *s);

/* May an output be written at path? Nothing there: 0. The same file as
 * one of the n_inputs inputs (compared by st_dev and st_ino, so a symlink
 * or hard link is caught): ZIMU_ESAME. A directory: ZIMU_EOUTPUT. Any other
 * existing file: ZIMU_EEXIST unless overwrite. "path: reason" in c.
 * inputs may hold NULLs. */
int zimu__check_output(zimu_ctx *c, const char *path, int overwrite,
                       const char *const *inputs, size_t n_inputs);

#endif
