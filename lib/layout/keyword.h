/* keyword.h - keyword spans of flash cards (ZIMU__KEY_ON ... ZIMU__KEY_OFF
 * in cue text, cue.h): recognised, and measured at their scale, so that a
 * line with a keyword still fits where the layout puts it. */
#ifndef ZIMU_KEYWORD_H
#define ZIMU_KEYWORD_H

#include <stddef.h>

#include "cue.h"
#include "measure.h"
#include "style.h"

/* The keyword marker at s: its length (and *on: 1 for ZIMU__KEY_ON, 0 for
 * ZIMU__KEY_OFF), or 0 if there is none at s. */
size_t zimu__key_at(const char *s, int *on);

/* 1 if text holds a keyword marker. */
int zimu__has_keys(const char *text);

/* The size of keywords in percent: the style's highlight_scale, or 120
 * when that is 0 or 100 (a keyword of a flash card stands out). */
int zimu__key_scale(const zimu_text_style *s);

/* How much wider line s[0..n) gets with its keyword spans at scale percent
 * (letter spacing included; each character is followed by spacing pixels,
 * which libass scales with the text). *open is the keyword state at the
 * line's start (a span may go on from the line before) and is left as it
 * is at the end; *has is set to 1 when a visible character of the line is
 * in a span (the line is then scale percent high), else left as it is. */
double zimu__key_line(zimu_measure *m, const char *s, size_t n, double spacing,
                      int scale, int *open, int *has);

#endif
