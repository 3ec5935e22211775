/* subs.h - caption sources: bytes in any supported format -> cues. */
#ifndef ZIMU_SUBS_H
#define ZIMU_SUBS_H

#include "cue.h"
#include "internal.h"
#include "sbuf.h"

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

/* Default reading speed of plain text, characters per second. */
#define ZIMU__TXT_DEFAULT_CPS 4.0
/* How long the last line of an LRC file stays when nothing says. */
#define ZIMU__LRC_LAST_MS 5000

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

/* One parser per format. data is UTF-8 without BOM, need not be
 * NUL-terminated. Each appends to out and returns 0 or a ZIMU_E* code with
 * "name:LINE: reason" in c. */
int zimu__parse_srt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out);
int zimu__parse_ass(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out);
int zimu__parse_vtt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out);
/* last_ms: end of the last line when later than its start, else +5 s. */
int zimu__parse_lrc(zimu_ctx *c, const char *name, const char *data,
                    size_t size, int64_t last_ms, zimu_cues *out);
int zimu__parse_whisper(zimu_ctx *c, const char *name, const char *data,
                        size_t size, zimu_cues *out);
/* Captions spread over clip_ms (0: as long as reading needs) at cps
 * characters per second (<= 0: the default). */
int zimu__parse_txt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, double cps, int64_t clip_ms, zimu_cues *out);

/* The Dialogue events of an ASS/SSA script as cues (for conversion to other
 * formats and for karaoke timing): times, style name, layer, text with its
 * override blocks kept and \N turned into '\n'. zimu__parse_ass must have
 * accepted the script. */
int zimu__ass_to_cues(zimu_ctx *c, const char *name, const char *data,
                      size_t size, zimu_cues *out);

/* ---- helpers shared by the parsers ---- */

/* 1 if the n bytes at s equal lit (lower case) in ASCII case-insensitive
 * comparison. */
int zimu__eq_ci(const char *s, size_t n, const char *lit);

/* Next line of data from *pos: sets *line and *len (without the line end) and
 * moves *pos past CR, LF or CRLF. 0 at the end of data, else 1. */
int zimu__next_line(const char *data, size_t size, size_t *pos,
                    const char **line, size_t *len);

/* 0 if data holds no NUL byte (cue text is a C string), else ZIMU_ECHARSET
 * "name:LINE: NUL character in the text". Every parser checks its input;
 * zimu__subs_parse has already refused such text at conversion. */
int zimu__subs_check_nul(zimu_ctx *c, const char *name, const char *data,
                         size_t size);

/* Append text to b the way cue text is kept: a literal '{' or '}' becomes
 * its fullwidth form (U+FF5B, U+FF5D). */
void zimu__sb_add_text(zimu_sbuf *b, const char *s, size_t n);

/* Flags of zimu__markup_to_ass. */
enum {
    ZIMU__MARKUP_FONT = 1,    /* <font color=...> (SRT) */
    ZIMU__MARKUP_VTT = 2,     /* <v Name>, <c.x>, <lang>, <ruby>, <rt> and
                                 <hh:mm:ss.ttt> timestamps (WebVTT) */
    ZIMU__MARKUP_SRT_AN = 4,  /* {\anN} sets *align (SRT convention) */
};
/* Turn one cue's HTML-like markup (<i> <b> <u> <s>, flags for the rest,
 * entities &amp; &lt; &gt; &nbsp; ...) into cue text appended to b: tags
 * become ASS override blocks, unknown tags are dropped, literal braces
 * become fullwidth. *align (may be NULL) receives an {\anN} position. */
void zimu__markup_to_ass(zimu_sbuf *b, const char *s, size_t n, int flags,
                         int *align);

/* Trim b: trailing spaces and tabs of every line, blank lines at the start
 * and end. Returns 1 if nothing visible is left (only whitespace and
 * override blocks). */
int zimu__cue_text_finish(zimu_sbuf *b);

#endif
