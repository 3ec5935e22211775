/* cuetext.h - helpers the caption parsers share: line splitting, cue text,
 * HTML-like markup to ASS override blocks. */
#ifndef ZIMU_CUETEXT_H
#define ZIMU_CUETEXT_H

#include "internal.h"
#include "sbuf.h"

/* ASCII character classes (the C library's follow the locale). */
static inline int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

static inline int is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static inline int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static inline int is_space(int ch)
{
    return ch == ' ' || ch == '\t';
}



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
    ZIMU__MARKUP_SRT_ASS = 4, /* ASS override blocks inline ({\b1} {\an8}
                                 {\pos(x,y)}, SRT convention): see
                                 zimu__markup_to_ass */
};

/* Where a cue's own markup places it ({\anN}, {\pos(x,y)} in SRT). */
typedef struct zimu_markup_place {
    int align;           /* 1..9, 0: not given */
    double pos_x, pos_y; /* fractions of the frame, < 0: not given */
} zimu_markup_place;

/* Turn one cue's HTML-like markup (<i> <b> <u> <s>, also written with
 * stray spaces "< i>" "</ b >"; flags for the rest; entities &amp; &lt;
 * &gt; &nbsp; ...) into cue text appended to b: tags become ASS override
 * blocks, unknown tags are dropped, literal braces become fullwidth.
 *
 * With ZIMU__MARKUP_SRT_ASS, a '{' followed by a backslash and closed by a
 * '}' on the same line is an override block, as SRT files carry them. Its
 * tags that style text without depending on the ASS canvas are kept (\b
 * \i \u \s, colours \c \1c..\4c, alpha \alpha \1a..\4a, \be \blur,
 * \fad \fade, \r); \anN (and legacy \aN) and \pos(x,y) place the cue in
 * *place (first one wins, as in libass; \pos in the 384x288 canvas
 * that ffmpeg and players give SRT); a drawing (\p1 ... \p0) is dropped
 * with its commands; every other tag (\fs \fn \move \clip \t \k ...)
 * is dropped. Any other '{' ("{hello}", an unclosed "{\b1") is text.
 * place may be NULL. */
void zimu__markup_to_ass(zimu_sbuf *b, const char *s, size_t n, int flags,
                         zimu_markup_place *place);

/* The next tag of an override block's content s[0..n) (between the
 * braces) from *pos: *tag and *len without its backslash; a tag's
 * parentheses are taken whole (\t(\frz30), \clip(...)). 0 when there is
 * none left, else 1 with *pos past it. */
int zimu__ass_next_tag(const char *s, size_t n, size_t *pos, const char **tag, size_t *len);

/* Trim b: trailing spaces and tabs of every line, blank lines at the start
 * and end. Returns 1 if nothing visible is left (only whitespace and
 * override blocks). */
int zimu__cue_text_finish(zimu_sbuf *b);

#endif
