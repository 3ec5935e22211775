/* linebreak.h - Chinese and mixed-text line breaking for captions.
 *
 * libass 0.17.1 on Debian breaks lines only at spaces, so a Chinese line
 * never wraps; zimu breaks the lines itself, measuring with the widths
 * libass will use (measure.h), and gives libass explicit breaks (emit
 * WrapStyle: 2 so that libass adds none of its own). */
#ifndef ZIMU_LINEBREAK_H
#define ZIMU_LINEBREAK_H

#include <stddef.h>

#include "internal.h"
#include "measure.h"

/* One caption's worth of wrapped text. */
typedef struct zimu_wrap_page {
    char *text;     /* UTF-8, NUL-terminated; lines separated by '\n' */
    size_t len;     /* strlen(text) */
    int n_lines;
    double width;   /* the widest line, measured as a whole (pixels) */
    double weight;  /* this page's share of the visible characters; the
                       weights of a result add up to 1. Split the cue's
                       time in proportion. */
} zimu_wrap_page;

typedef struct zimu_wrap_result {
    zimu_wrap_page *pages;
    size_t n_pages; /* 0 when the text shows nothing */
} zimu_wrap_result;

/* Break text[0..len) into lines no wider than max_width pixels (as measured
 * by m) and the lines into pages of at most max_lines lines (max_lines <= 0:
 * one page, any number of lines). What it does:
 * - '\n' in text is a forced break; empty lines and leading or trailing
 *   spaces of every line are dropped; "\r" and tabs are spaces;
 * - breaks between Han (and other CJK) characters, and at spaces; never
 *   inside a Latin word or a number ("COVID-19", "3.5%", a URL) unless that
 *   word alone is wider than a line;
 * - no line starts with a closing mark (，。、！？；：）》」』”’…— and
 *   ASCII ,.!?;:) and so on) and none ends with an opening one （《「『“‘ (;
 * - between words (ICU's zh_CN dictionary words; a number with its unit;
 *   a highlighted word, between the word markers of layout.h, never
 *   breaks): a word is broken only when no break between words keeps the
 *   lines within the balance tolerance (two lines within 1.7 of each
 *   other);
 * - the fewest lines (one more on a page that has room for it, when that
 *   keeps the words whole), and then the most even lines: two lines of
 *   about the same width rather than a full one and a short one; breaks
 *   after punctuation are preferred;
 * - the fewest pages, each ending at clause punctuation (，。；：！？、 ...)
 *   when one lies within 6 characters of where even pages would end, else
 *   between words; one page more when the fewest would end a page between
 *   words where a comma was within reach, or break a word, and one more
 *   does neither;
 * - ASS override blocks "{...}" are never split and take no width; blocks
 *   of earlier pages are repeated at the start of later ones (karaoke \k
 *   tags excepted), so a colour set on page 1 holds on page 2.
 * *out is filled (zeroed first); free it with zimu__wrap_free().
 * Returns 0, ZIMU_EINVAL or ZIMU_ENOMEM (message in c). */
int zimu__wrap(zimu_ctx *c, zimu_measure *m, const char *text, size_t len,
               double max_width, int max_lines, zimu_wrap_result *out);

/* Free the pages; the result is empty afterwards. NULL is a no-op. */
void zimu__wrap_free(zimu_wrap_result *r);

#endif
