/* error.c - error codes, the detailed message and file of a handle's last
 * failure, and telling handles apart. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/error.h>

#include "internal.h"

/* The English text of a code (the message id of its translation). */
static const char *strerror_en(int code)
{
    switch (code) {
    case ZIMU_OK: return N_("success");
    case ZIMU_ENOMEM: return N_("out of memory");
    case ZIMU_EINVAL: return N_("invalid argument");
    case ZIMU_ENOENT: return N_("file not found or not readable");
    case ZIMU_ENOTVIDEO: return N_("not a video file");
    case ZIMU_ENOVIDEO: return N_("no video stream");
    case ZIMU_ECODEC: return N_("unsupported codec");
    case ZIMU_ESUBS: return N_("subtitle file cannot be parsed");
    case ZIMU_EOUTPUT: return N_("output cannot be written");
    case ZIMU_EEXIST: return N_("output exists");
    case ZIMU_ESAME: return N_("output is the input");
    case ZIMU_ECANCEL: return N_("cancelled");
    case ZIMU_EDECODE: return N_("input cannot be decoded");
    case ZIMU_EFFMPEG: return N_("FFmpeg library error");
    case ZIMU_ECHARSET: return N_("subtitle text is not valid in its encoding");
    case ZIMU_EFONT: return N_("fonts cannot be set up");
    case ZIMU_ESTYLE: return N_("style is not valid");
    case ZIMU_EBADHANDLE: return N_("not a live zimu handle of the right kind");
    case ZIMU_EBATCH: return N_("some clips of the batch failed");
    case ZIMU_EGLYPH: return N_("a caption character has no glyph in any font");
    }
    return N_("unknown error");
}

const char *zimu_strerror(int code)
{
    return zimu__tr(strerror_en(code));
}

static int vfail(zimu_ctx *c, int code, const char *file, const char *fmt, va_list ap)
{
    if (c) {
        zimu__vsnprintf(c->errmsg, sizeof c->errmsg, zimu__tr(fmt), ap);
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
    case ZIMU__MAGIC_BEATS:
    case ZIMU__MAGIC_BATCH:
    case ZIMU__MAGIC_DOCTOR:
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
    return zimu__fail(c, code, "%s: %s", zimu__tr(what), buf);
}

void zimu__clear(zimu_ctx *c)
{
    c->errmsg[0] = 0;
    c->errfile[0] = 0;
}

int zimu__fail_cancel(zimu_ctx *c)
{
    return zimu__fail(c, ZIMU_ECANCEL, "cancelled");
}
