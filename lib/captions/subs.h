/* subs.h - caption sources: bytes in any supported format -> cues. */
#ifndef ZIMU_SUBS_H
#define ZIMU_SUBS_H

#include "cue.h"
#include "internal.h"

/* Caption file formats. */
enum {
    ZIMU__SUBS_AUTO = 0, /* detect: content first, then the name's extension */
    ZIMU__SUBS_SRT,
    ZIMU__SUBS_ASS,      /* ASS or SSA, kept as a script */
    ZIMU__SUBS_VTT,
    ZIMU__SUBS_LRC,
    ZIMU__SUBS_WHISPER,  /* whisper.cpp JSON (-oj / -ojf) */
    ZIMU__SUBS_TXT,      /* plain text, one caption per line */
};

/* Options of loading; zero-initialised means the defaults. */
typedef struct zimu_subs_opts {
    const char *charenc; /* force this encoding (iconv name), NULL: detect */
    int format;          /* ZIMU__SUBS_*; 0: detect */
    int64_t clip_ms;     /* duration of the clip the captions go on, 0 if
                            unknown. Plain text is spread over it; the last
                            LRC line ends at it (when it is later than the
                            line's start) */
    double cps;          /* plain text: characters per second, 0: default */
} zimu_subs_opts;

/* Turn the bytes of a caption file into cues (or a kept ASS script).
 * name is used in messages ("name:LINE: ...") and its extension is a
 * format hint when the content is ambiguous. The data need not be
 * NUL-terminated. On failure: ZIMU_ESUBS / ZIMU_ECHARSET / ZIMU_ENOMEM with
 * the message in c; out is left empty. */
int zimu__subs_parse(zimu_ctx *c, const char *name, const char *data,
                     size_t size, const zimu_subs_opts *opts, zimu_cues *out);

/* The format of UTF-8 data (no BOM) by its content, then by the extension of
 * name; ZIMU__SUBS_AUTO when neither tells. */
int zimu__subs_detect(const char *name, const char *data, size_t size);
/* "srt", "ass", "vtt", "lrc", "whisper", "txt"; "auto" for 0. */
const char *zimu__subs_format_name(int fmt);
/* The format named by a file extension or a format name ("srt", ".vtt",
 * "x/y/sub.ass", "json"), ZIMU__SUBS_AUTO if none. */
int zimu__subs_format_from_name(const char *name);

/* The cues a zimu_subs handle holds (owned by it). */
const zimu_cues *zimu__subs_cues(const zimu_subs *s);

#endif
