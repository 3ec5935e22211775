/* fuzz_ass.c - libFuzzer target: the ASS/SSA checker and zimu__ass_to_cues.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/ass/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "subs.h"

/* What every parse must leave, checked after each input: times in order,
 * words inside their cue's text, a message on failure. */
static void check_cues(const zimu_cues *l, int utf8)
{
    if (l->ass_script && l->ass_script[l->ass_size] != 0)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    zimu_ctx c = {0};
    zimu_cues l = {0};
    int r;
    r = zimu__parse_ass(&c, "fuzz.ass", d, size, &l);
    int ok = r == 0;
    check_result(&c, r, &l, 0);
    r = zimu__ass_to_cues(&c, "fuzz.ass", d, size, &l);
    if ((r == 0) != ok) /* both walk the same checks */
        abort();
    check_result(&c, r, &l, 0);
    zimu_subs_opts o = {.format = ZIMU__SUBS_ASS};
    r = zimu__subs_parse(&c, "fuzz.ass", d, size, &o, &l);
    if (r == 0 && (!l.ass_script || l.n))
        abort();
    check_result(&c, r, &l, 1);
    return 0;
}
