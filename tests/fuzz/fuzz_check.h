/* fuzz_check.h - what every fuzz target checks after each parse. Included
 * by each tests/fuzz/fuzz_<fmt>.c, and once by tests/check_fuzz_corpus.c,
 * which includes all the targets. */
#ifndef ZIMU_FUZZ_CHECK_H
#define ZIMU_FUZZ_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "parsers.h"
#include "subs.h"
#include "write_subs.h"

/* What every parse must leave, checked after each input: times in order,
 * words inside their cue's text, a message on failure. */
static void check_cues(const zimu_cues *l, int utf8)
{
    if (l->ass_header && (l->ass_header[l->ass_header_len] != 0 ||
                          l->ass_events_at > l->ass_header_len))
        abort();
    for (size_t i = 0; i < l->n; i++) {
        const zimu_cue *q = &l->v[i];
        if (!q->text || q->start_ms < 0 || q->end_ms <= q->start_ms)
            abort();
        size_t len = strlen(q->text);
        if (utf8 && zimu__utf8_check(q->text, len) != len)
            abort();
        for (size_t k = 0; k < q->n_words; k++) {
            const zimu_word *w = &q->words[k];
            if (w->off > len || w->len > len - w->off || w->end_ms < w->start_ms)
                abort();
        }
        if (i && l->v[i - 1].start_ms > q->start_ms && utf8)
            abort(); /* zimu__subs_parse sorts */
    }
}

static void check_result(zimu_ctx *c, int r, zimu_cues *l, int utf8)
{
    if (r < 0) {
        if (!c->errmsg[0])
            abort();
    } else {
        check_cues(l, utf8);
    }
    zimu__cues_clear(l);
}

/* Written in fmt (as `zimu convert` writes), read back and written again,
 * the captions give the same file: what convert writes, it reads as the
 * same cues. */
__attribute__((unused)) static void check_rewrite(const zimu_cues *l, int fmt)
{
    zimu_ctx c = {0};
    zimu_sbuf b1 = {0}, b2 = {0};
    zimu_cues again = {0};
    if (zimu__subs_write(&c, l, fmt, NULL, &b1) < 0 || b1.oom)
        abort();
    zimu_subs_opts o = {.format = fmt};
    if (zimu__subs_parse(&c, "rewrite", b1.s ? b1.s : "", b1.len, &o, &again) == 0) {
        check_cues(&again, 1);
        if (zimu__subs_write(&c, &again, fmt, NULL, &b2) < 0 || b1.len != b2.len ||
            memcmp(b1.s, b2.s, b1.len))
            abort();
    } else if (again.n) {
        abort();
    }
    zimu__cues_clear(&again);
    zimu__sb_free(&b1);
    zimu__sb_free(&b2);
}

#endif
