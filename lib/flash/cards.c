/* cards.c - a scheduled flash script's cards as cues (animations, look,
 * position) and the backgrounds of a stand-alone video. Each option comes
 * from the card, else its section, else the headers (script.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "script.h"

/* The animation of a card: given, else the default (dflt). */
static void anim(const zimu_flash_script *s, const zimu_flash_card *k, int field,
                 int dflt, int *fx, int *ms)
{
    const zimu_flash_opts *o = zimu__flash_pick(s, k, field);
    const zimu_flash_anim *a = !o ? NULL : field == ZIMU__FO_IN ? &o->in
                               : field == ZIMU__FO_OUT ? &o->out : &o->loop;
    *fx = a ? a->fx : dflt;
    *ms = a ? a->ms : 0;
}

/* "base=NAME,color=#RRGGBB,outline_color=#RRGGBB" for what the card's
 * section or the card sets (and colours of the headers: the job's style
 * knows only the header look), NULL in *out when nothing. */
static int card_look(const zimu_flash_script *s, const zimu_flash_card *k, char **out)
{
    *out = NULL;
    const zimu_flash_opts *lk = zimu__flash_pick(s, k, ZIMU__FO_LOOK);
    const zimu_flash_opts *co = zimu__flash_pick(s, k, ZIMU__FO_COLOR);
    const zimu_flash_opts *ol = zimu__flash_pick(s, k, ZIMU__FO_OUTLINE);
    if (!lk && !co && !ol)
        return 0;
    zimu_sbuf b = {0};
    const char *base = lk ? lk->look : s->look;
    if (base)
        zimu__sb_printf(&b, "base=%s", base);
    if (co)
        zimu__sb_printf(&b, "%scolor=#%02X%02X%02X", b.len ? "," : "", co->color[0],
                        co->color[1], co->color[2]);
    if (ol)
        zimu__sb_printf(&b, "%soutline_color=#%02X%02X%02X", b.len ? "," : "",
                        ol->outline[0], ol->outline[1], ol->outline[2]);
    *out = zimu__sb_take(&b);
    return *out ? 0 : ZIMU_ENOMEM;
}

int zimu__flash_cues(zimu_ctx *c, const zimu_flash_script *s, zimu_cues *out)
{
    for (size_t i = 0; i < s->n_cards; i++) {
        const zimu_flash_card *k = &s->cards[i];
        zimu_cue *q = zimu__cues_add(out, k->start_ms, k->end_ms, k->text, strlen(k->text));
        if (!q)
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        q->line = (size_t)k->line;
        q->fx = calloc(1, sizeof *q->fx);
        if (!q->fx || card_look(s, k, &q->look) < 0)
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        anim(s, k, ZIMU__FO_IN, ZIMU__FX_POP, &q->fx->in, &q->fx->in_ms);
        anim(s, k, ZIMU__FO_OUT, ZIMU__FX_NONE, &q->fx->out, &q->fx->out_ms);
        anim(s, k, ZIMU__FO_LOOP, ZIMU__FX_NONE, &q->fx->loop, &q->fx->loop_ms);
        q->fx->beat_ms = k->beat_ms;
        const zimu_flash_opts *al = zimu__flash_pick(s, k, ZIMU__FO_ALIGN);
        q->align = al ? al->align : 0;
        q->pos_x = q->pos_y = -1;
    }
    return 0;
}

/* The background of card i. */
static zimu_bg card_bg(const zimu_flash_script *s, size_t i)
{
    const zimu_flash_card *k = &s->cards[i];
    if (k->o.n_bg)
        return k->o.bg[0];
    if (k->section >= 0) {
        const zimu_flash_opts *so = &s->sections[k->section].o;
        if (so->n_bg)
            return so->bg[(size_t)k->index_in_section % (size_t)so->n_bg];
    }
    if (s->defaults.n_bg)
        return s->defaults.bg[i % (size_t)s->defaults.n_bg];
    zimu_bg d = {.kind = ZIMU__BG_SOLID};
    unsigned v = ZIMU__FLASH_DEFAULT_BG;
    d.c1[0] = d.c2[0] = (uint8_t)(v >> 16);
    d.c1[1] = d.c2[1] = (uint8_t)(v >> 8);
    d.c1[2] = d.c2[2] = (uint8_t)v;
    return d;
}

static int same_bg(const zimu_bg *a, const zimu_bg *b)
{
    if (a->kind != b->kind || memcmp(a->c1, b->c1, 3))
        return 0;
    return a->kind == ZIMU__BG_SOLID || (!memcmp(a->c2, b->c2, 3) && a->angle == b->angle);
}

int zimu__flash_backgrounds(zimu_ctx *c, const zimu_flash_script *s, zimu_bgs *out)
{
    int64_t len = zimu__flash_length_ms(s);
    for (size_t i = 0; i < s->n_cards; i++) {
        zimu_bg bg = card_bg(s, i);
        /* card i's background from its start (0 for the first) until the
         * next card starts (the end for the last) */
        bg.start_ms = i ? s->cards[i].start_ms : 0;
        bg.end_ms = i + 1 < s->n_cards ? s->cards[i + 1].start_ms : len;
        if (bg.end_ms <= bg.start_ms)
            continue;
        zimu_bg *last = out->n ? &out->v[out->n - 1] : NULL;
        if (last && last->end_ms == bg.start_ms && same_bg(last, &bg)) {
            last->end_ms = bg.end_ms;
            continue;
        }
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 16;
            zimu_bg *v = realloc(out->v, cap * sizeof *v);
            if (!v)
                return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
            out->v = v;
            out->cap = cap;
        }
        out->v[out->n++] = bg;
    }
    return 0;
}
