/* fuzz_flash.c - libFuzzer target: the flash script parser (lib/flash/
 * script.c, options.c) and what a flash job does next with a script that
 * parses: time its cards without music and on a beat grid, turn them into
 * cues and backgrounds.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/flash/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "flash.h"

/* The keyword marks of a card's text alternate, on first. */
static void flash_check_keys(const char *t)
{
    int on = 0;
    const char *p = t;
    while ((p = strstr(p, "{\\zimukey"))) {
        if (!strncmp(p, ZIMU__KEY_ON, strlen(ZIMU__KEY_ON))) {
            if (on)
                abort();
            on = 1;
            p += strlen(ZIMU__KEY_ON);
        } else if (!strncmp(p, ZIMU__KEY_OFF, strlen(ZIMU__KEY_OFF))) {
            if (!on)
                abort();
            on = 0;
            p += strlen(ZIMU__KEY_OFF);
        } else {
            abort();
        }
    }
    if (on)
        abort(); /* "a mark left open is an error" */
}

/* Schedule s, then check what a flash job gets from it: cards in order,
 * none of zero length, each ending before the next starts; cues of valid
 * UTF-8; backgrounds covering [0, length) without a gap. */
static void flash_check_plan(zimu_flash_script *s, const double *beats, size_t nb,
                             const double *downs, size_t nd, double bpm, int64_t music_ms)
{
    zimu_ctx c = {0};
    int r = zimu__flash_schedule(&c, s, beats, nb, downs, nd, bpm, music_ms);
    if (r < 0) {
        if (!c.errmsg[0] || zimu__flash_length_ms(s) != 0)
            abort();
        return;
    }
    zimu_cues cues = {0};
    zimu_bgs bgs = {0};
    if (zimu__flash_cues(&c, s, &cues) < 0 || zimu__flash_backgrounds(&c, s, &bgs) < 0)
        abort();
    int64_t len = zimu__flash_length_ms(s);
    if (cues.n != (size_t)zimu__flash_info(s)->n_cards || len <= 0)
        abort();
    for (size_t i = 0; i < cues.n; i++) {
        const zimu_cue *q = &cues.v[i];
        if (q->start_ms < 0 || q->end_ms <= q->start_ms || q->end_ms > len)
            abort();
        if (i + 1 < cues.n && cues.v[i + 1].start_ms < q->end_ms)
            abort();
        size_t n = strlen(q->text);
        if (zimu__utf8_check(q->text, n) != n || !q->fx)
            abort();
        if (q->fx->in < 0 || q->fx->in >= ZIMU__FX_COUNT || q->fx->out < 0 ||
            q->fx->out >= ZIMU__FX_COUNT || q->fx->loop < 0 || q->fx->loop >= ZIMU__FX_COUNT ||
            q->fx->in_ms < 0 || q->fx->out_ms < 0 || q->fx->loop_ms < 0 || q->fx->beat_ms < 0)
            abort();
        if (q->align != 0 && q->align != 2 && q->align != 5 && q->align != 8)
            abort();
        flash_check_keys(q->text);
    }
    if (cues.n && cues.v[cues.n - 1].end_ms != len)
        abort();
    if (!bgs.n || bgs.v[0].start_ms != 0 || bgs.v[bgs.n - 1].end_ms != len)
        abort();
    for (size_t i = 0; i < bgs.n; i++)
        if (bgs.v[i].end_ms <= bgs.v[i].start_ms ||
            (i + 1 < bgs.n && bgs.v[i + 1].start_ms != bgs.v[i].end_ms) ||
            (bgs.v[i].kind != ZIMU__BG_SOLID && bgs.v[i].kind != ZIMU__BG_GRADIENT))
            abort();
    zimu__cues_clear(&cues);
    free(bgs.v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zimu_ctx c = {0};
    zimu_flash_script *s = NULL;
    int r = zimu__flash_parse(&c, "fuzz.txt", NULL, (const char *)data, size, &s);
    if (r < 0) {
        /* "fuzz.txt:LINE: ..." or "fuzz.txt: ...", no script */
        if (s || strncmp(c.errmsg, "fuzz.txt", 8) || (c.errmsg[8] != ':' && r != ZIMU_ENOMEM))
            abort();
        return 0;
    }
    const zimu_flash_info *in = zimu__flash_info(s);
    if (in->n_cards < 1 || in->width < 0 || in->height < 0 || in->fps < 0 ||
        in->beat_step < 1 || in->bpm < 0)
        abort();
    /* no music, then a song of 20 s at 120 BPM with a bar of 4 beats */
    flash_check_plan(s, NULL, 0, NULL, 0, 0, 0);
    double beats[40], downs[10];
    for (int i = 0; i < 40; i++)
        beats[i] = 0.25 + 0.5 * i;
    for (int i = 0; i < 10; i++)
        downs[i] = beats[4 * i];
    flash_check_plan(s, beats, 40, downs, 10, 120, 20000);
    flash_check_plan(s, beats, 1, NULL, 0, 0, 20000);
    zimu__flash_free(&s);
    return 0;
}
