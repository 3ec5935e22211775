/* internal.h - shared by every file in lib/. Never installed. */
#ifndef ZIMU_INTERNAL_H
#define ZIMU_INTERNAL_H

#include <locale.h>
#include <stdarg.h>
#include <stdatomic.h>
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
    ZIMU__MAGIC_BEATS = 0x9a17e505,
    ZIMU__MAGIC_BATCH = 0x9a17e506,
    ZIMU__MAGIC_DOCTOR = 0x9a17e507,
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
    /* Set by zimu_job_cancel(), from a signal handler or another thread
     * (lock-free, so async-signal-safe); never cleared. A renderer working
     * for a job uses the job's context, so the job's flag reaches it. */
    atomic_int cancel;
} zimu_ctx;

/* Has the work of c been cancelled? Cheap: loops check it every few
 * thousand steps (lines, cues) or every chunk or frame. */
static inline int zimu__cancelled(zimu_ctx *c)
{
    return c && atomic_load_explicit(&c->cancel, memory_order_relaxed);
}
/* Every 4096th step (line, cue) of a loop: cancelled? */
#define ZIMU__CANCEL_CHECK(c, step) (((step) & 4095) == 0 && zimu__cancelled(c))
/* ZIMU_ECANCEL with "cancelled" in c. */
int zimu__fail_cancel(zimu_ctx *c);
/* A plain decimal s[0..n) ("12", "0.045", ".5": no sign, no exponent, at
 * most 12 digits; the locale never matters) into *out: 0, or -1. */
int zimu__parse_decimal(const char *s, size_t n, double *out);

/* The library's translation of msgid (English) in the calling program's
 * LC_MESSAGES locale, from the text domain "libzimu" (i18n.c); msgid itself
 * when there is none. Static storage. The functions below that take a
 * message (zimu__fail, zimu__fail_file, zimu__log, zimu__fail_av ...)
 * translate it themselves: pass them the English literal. */
const char *zimu__tr(const char *msgid);
/* Marks a literal for translation where it cannot be translated yet (a
 * static table): translate it with zimu__tr() where it is used.
 * Messages are extracted by xgettext with the keywords in
 * po/libzimu/xgettext.args: a new function that takes a message (a file's
 * own fail() helper) translates it and gets a --keyword there, and every
 * message needs its Chinese in po/libzimu/zh_CN.po (tests/i18n.sh fails
 * otherwise). Build sentences whole, not from English pieces ("1 column"
 * / "2 columns": two messages). */
#define N_(msgid) msgid
/* Numbers in the C locale's form whatever the program's locale (cnum.c):
 * every number the library writes or reads as text goes through these, or
 * through zimu__sb_printf(), zimu__fail() and zimu__log(), which use them.
 * zimu__vsnprintf/zimu__snprintf: vsnprintf/snprintf with "." as the
 * decimal point. zimu__strtod: strtod in the C locale. */
int zimu__vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int zimu__snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
double zimu__strtod(const char *s, char **end);
/* A scope in which the calling thread's numbers are C's (LC_NUMERIC "C",
 * the other categories unchanged): around calls into FFmpeg and x264 that
 * print or read numbers. Nothing to do (and no allocation) when the
 * locale already writes "."; begin/end pair up on one thread. */
typedef struct zimu_cnum {
    locale_t old, made;
} zimu_cnum;
void zimu__cnum_begin(zimu_cnum *scope);
void zimu__cnum_end(zimu_cnum *scope);

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

/* The most zimu__read_file() reads by default: 64 MiB. */
#define ZIMU__MAX_FILE_DEFAULT ((int64_t)64 << 20)
/* The highest limit a setter takes: 1 TiB. */
#define ZIMU__MAX_FILE_MAX ((int64_t)1 << 40)

/* Read a whole file into memory (malloc'd, NUL-terminated for convenience,
 * *size excludes the NUL). Missing or unreadable file: ZIMU_ENOENT with
 * the path in the message and as the error file. More than max bytes:
 * too_big (ZIMU_ESUBS, ZIMU_ESTYLE ...) with "PATH: larger than 64 MiB,
 * the most zimu reads of KIND (...)"; a regular file fails from its size
 * before reading, anything else (a FIFO, /dev/zero) once max bytes are
 * read, so memory stays within max whatever the file. Read in chunks,
 * checking zimu__cancelled(c) between them (ZIMU_ECANCEL). kind NULL: "a
 * caption or style file". */
int zimu__read_file(zimu_ctx *c, const char *path, int64_t max, int too_big,
                    const char *kind, char **data, size_t *size);
/* "64 MiB", "1 GiB", "1536 KiB", "1000 bytes": a size limit in messages. */
void zimu__bytes_text(int64_t bytes, char *buf, size_t size);

char *zimu__strdup(const char *s);

/* May an output be written at path? Nothing there: 0. The same file as
 * one of the n_inputs inputs (compared by st_dev and st_ino, so a symlink
 * or hard link is caught): ZIMU_ESAME. A directory: ZIMU_EOUTPUT. Any other
 * existing file: ZIMU_EEXIST unless overwrite. "path: reason" in c.
 * inputs may hold NULLs. */
int zimu__check_output(zimu_ctx *c, const char *path, int overwrite,
                       const char *const *inputs, size_t n_inputs);

#endif
