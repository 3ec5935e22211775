/* words.h - where Chinese (and other) words begin and end, as ICU's
 * dictionary-based word break iterator for zh_CN finds them. The line
 * breaker (linebreak.c) prefers to break between words. */
#ifndef ZIMU_WORDS_H
#define ZIMU_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

enum {
    ZIMU__WB_START = 1, /* a segment starts at this unit */
    ZIMU__WB_WORD = 2,  /* ... and it is a word (letters, digits, ideographs,
                           kana), not spaces or punctuation */
};

/* Segment u[0..n) (UTF-16): flags[i] (n + 1 of them, zeroed first) gets
 * ZIMU__WB_START where a segment starts at unit i (flags[n] marks the
 * end), with ZIMU__WB_WORD when that segment is a word. The iterator is
 * set up once per process and cloned per call, so any number of threads
 * may call this at once. Returns 0; ZIMU_ENOMEM (message in c); or 1 when
 * ICU cannot segment the text (its data missing: a warning is logged
 * through c; or text too long): then no segment is marked. */
int zimu__words(zimu_ctx *c, const uint16_t *u, size_t n, unsigned char *flags);

#endif
