/* words.c - word boundaries from ICU (words.h).
 *
 * ubrk_open() for a word iterator with a dictionary costs about 8 us
 * once ICU has loaded its data (the first open in a process loads the CJK
 * dictionary, about 10 ms); ubrk_clone() of an open iterator costs about
 * 0.25 us, and segmenting a 30-character sentence about 7 us (measured on
 * the 2-core build machine, ICU 72). So one template iterator is opened
 * per process and each call works on its own clone: an iterator holds its
 * text and position and must not be shared between threads, while
 * cloning only reads the template. */
#include <pthread.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utypes.h>

#include "words.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static UBreakIterator *tmpl;
static UErrorCode tmpl_err;

static void open_template(void)
{
    UErrorCode e = U_ZERO_ERROR;
    tmpl = ubrk_open(UBRK_WORD, "zh_CN", NULL, 0, &e);
    tmpl_err = e;
    if (U_FAILURE(e))
        tmpl = NULL;
}

int zimu__words(zimu_ctx *c, const uint16_t *u, size_t n, unsigned char *flags)
{
    memset(flags, 0, n + 1);
    if (n > INT32_MAX) /* ICU counts in int32_t: no words in 2 GiB of text */
        return 1;
    pthread_once(&once, open_template);
    if (!tmpl) {
        if (tmpl_err == U_MEMORY_ALLOCATION_ERROR)
            return zimu__fail(c, ZIMU_ENOMEM, "word breaks: out of memory");
        zimu__log(c, ZIMU_LOG_WARNING, "ICU cannot find words (%s): lines break between "
                  "any characters", u_errorName(tmpl_err));
        return 1;
    }
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_clone(tmpl, &e);
    if (U_SUCCESS(e))
        ubrk_setText(bi, (const UChar *)u, (int32_t)n, &e);
    if (U_FAILURE(e)) {
        ubrk_close(bi);
        if (e == U_MEMORY_ALLOCATION_ERROR)
            return zimu__fail(c, ZIMU_ENOMEM, "word breaks: out of memory");
        zimu__log(c, ZIMU_LOG_WARNING, "ICU cannot find words (%s): lines break between "
                  "any characters", u_errorName(e));
        return 1;
    }
    int32_t a = ubrk_first(bi);
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; a = b, b = ubrk_next(bi)) {
        /* the rule status of the segment [a, b) that ends at b */
        int32_t st = ubrk_getRuleStatus(bi);
        flags[a] = ZIMU__WB_START | (st >= UBRK_WORD_NONE_LIMIT ? ZIMU__WB_WORD : 0);
    }
    flags[n] = ZIMU__WB_START;
    ubrk_close(bi);
    return 0;
}
