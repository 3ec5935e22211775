/* internal.h - shared by every file in lib/. Never installed. */
#ifndef ZIMU_INTERNAL_H
#define ZIMU_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "zimu.h"

#define ZIMU_ERRMSG_MAX 1024
#define ZIMU_ERRFILE_MAX 4096

/* The first word of every handle, one value per kind, so that
 * zimu_errmsg() and zimu_errfile() can take any handle. Set by _new and
 * cleared by _free: a freed handle is not memory the library may read (so
 * using one is undefined behaviour), but the cleared word catches the
 * common mistake of using a handle again while its memory still holds it. */
enum {
    /* Not text: a string is never taken for a handle. */
    ZIMU__MAGIC_JOB = 0x9a17e501,
    ZIMU__MAGIC_SUBS = 0x9a17e502,
    ZIMU__MAGIC_RENDERER = 0x9a17e503,
    ZIMU__MAGIC_FONTS = 0x9a17e504,
};

/* What every handle carries, as its first member: its kind, the detailed
 * message of its last failure and the file that failure is about, and
 * where its log messages go. */
typedef struct zimu_ctx {
    uint32_t magic;
    char errmsg[ZIMU_ERRMSG_MAX];
    char errfile[ZIMU_ERRFILE_MAX]; /* "" when the failure is about no file */
    zimu_log_fn log_cb;
    void *log_opaque;
    int log_level;
} zimu_ctx;

/* Set the detailed message (printf-style) and return code, so that
 * `return zimu__fail(c, ZIMU_ESUBS, "%s:%d: ...", name, line);` reads well. */
int zimu__fail(zimu_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, for a failure about a file: file (as the caller named it; NULL:
 * none) is what zimu_errfile() gives until the next failure or clear.
 * zimu__fail() and zimu__clear() forget it. */
int zimu__fail_file(zimu_ctx *c, int code, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Name the file the last failure is about, keeping its message (a parser
 * that does not know it read a file failed; NULL: none). Returns code. */
int zimu__set_errfile(zimu_ctx *c, int code, const char *file);
/* Clear the message and the file. */
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
 * *size excludes the NUL). Missing or unreadable file: ZIMU_ENOENT with
 * the path in the message and as the error file. */
int zimu__read_file(zimu_ctx *c, const char *path, char **data, size_t *size);

char *zimu__strdup(const char *s);

#endif
