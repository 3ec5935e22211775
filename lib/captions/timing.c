/* timing.c - caption timing: scale, shift, overlapping cues, minimum
 * display time, clamping to the clip.
 *
 * Cue times stay in milliseconds throughout, for every format: the events
 * of an ASS script are cues too (only scaled, shifted and kept at or after
 * 0: their own tags place and animate them). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "timing.h"

/* Times are kept well inside int64_t, so that sums of a time and a shift
 * cannot overflow: about 140 000 years either way. */
#define TIME_MAX ((int64_t)1 << 52)

static int64_t clamp_time(int64_t t)
{
    return t > TIME_MAX ? TIME_MAX : t < -TIME_MAX ? -TIME_MAX : t;
}

/* One time through scale and shift. */
static int64_t retime(int64_t t, double scale, int64_t shift)
{
    if (scale != 1.0) {
        double v = (double)t * scale;
        t = v >= (double)TIME_MAX ? TIME_MAX : v <= -(double)TIME_MAX ? -TIME_MAX
                                                                     : llround(v);
    }
    return clamp_time(clamp_time(t) + clamp_time(shift));
}

void zimu__timing_from_capopts(zimu_timing *t, const zimu_capopts *o)
{
    memset(t, 0, sizeof *t);
    t->scale = o->time_scale > 0 ? o->time_scale : 1.0;
    t->shift_ms = o->shift_ms;
    t->overlap = o->overlap;
    t->min_ms = o->min_ms > 0 ? o->min_ms : 0;
}

/* Cues at the same place on screen: same style, alignment and position. */
static int same_place(const zimu_cue *a, const zimu_cue *b)
{
    if ((a->style == NULL) != (b->style == NULL))
        return 0;
    if (a->style && strcmp(a->style, b->style) != 0)
        return 0;
    return a->align == b->align && a->pos_x == b->pos_x && a->pos_y == b->pos_y;
}

/* Keep the words inside their cue. */
static void clamp_words(zimu_cue *q)
{
    for (size_t w = 0; w < q->n_words; w++) {
        zimu_word *wd = &q->words[w];
        if (wd->start_ms < q->start_ms)
            wd->start_ms = q->start_ms;
        if (wd->start_ms > q->end_ms)
            wd->start_ms = q->end_ms;
        if (wd->end_ms > q->end_ms)
            wd->end_ms = q->end_ms;
        if (wd->end_ms < wd->start_ms)
            wd->end_ms = wd->start_ms;
    }
}


/* Remove the cues marked in gone (freeing them), keeping the order. */
static void compact(zimu_cues *l, const unsigned char *gone)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (gone[i]) {
            zimu__cue_free(&l->v[i]);
            continue;
        }
        if (w != i)
            l->v[w] = l->v[i];
        w++;
    }
    l->n = w;
}

/* Is text one or more whole lines of have ("A" in "X\nA", not in "AB")? */
static int has_lines(const char *have, const char *text)
{
    size_t tl = strlen(text);
    if (!tl)
        return 1;
    for (const char *p = have; (p = strstr(p, text)) != NULL; p++) {
        int at_start = p == have || p[-1] == '\n' ||
                       (p - have >= 4 && !memcmp(p - 4, "{\\r}", 4) &&
                        (p - 4 == have || p[-5] == '\n'));
        if (at_start && (p[tl] == 0 || p[tl] == '\n'))
            return 1;
    }
    return 0;
}

/* Append b's text to a's as new lines (unless a shows them already) and
 * b's words with it. A "{\r}" in between ends styling a's text left open. */
static int join(zimu_cue *a, const zimu_cue *b)
{
    if (has_lines(a->text, b->text))
        return 0;
    size_t al = strlen(a->text), bl = strlen(b->text);
    int reset = strchr(a->text, '{') != NULL;
    size_t base = al + 1 + (reset ? 4 : 0);
    char *t = malloc(base + bl + 1);
    if (!t)
        return ZIMU_ENOMEM;
    memcpy(t, a->text, al);
    t[al] = '\n';
    if (reset)
        memcpy(t + al + 1, "{\\r}", 4);
    memcpy(t + base, b->text, bl + 1);
    if (b->n_words) {
        zimu_word *w = realloc(a->words, (a->n_words + b->n_words) * sizeof *w);
        if (!w) {
            free(t);
            return ZIMU_ENOMEM;
        }
        a->words = w;
        for (size_t k = 0; k < b->n_words; k++) {
            w[a->n_words + k] = b->words[k];
            w[a->n_words + k].off += base;
        }
        a->n_words += b->n_words;
    }
    free(a->text);
    a->text = t;
    return 0;
}

static int merge_overlaps(zimu_cues *l, unsigned char *gone)
{
    for (size_t i = 0; i < l->n; i++) {
        if (gone[i])
            continue;
        zimu_cue *a = &l->v[i];
        if (a->ass)
            continue;
        /* Sorted by start: every cue that can overlap the group starts
         * before the group's end, which only grows. */
        for (size_t j = i + 1; j < l->n && l->v[j].start_ms < a->end_ms; j++) {
            zimu_cue *b = &l->v[j];
            if (gone[j] || b->ass || !same_place(a, b))
                continue;
            if (join(a, b) < 0)
                return ZIMU_ENOMEM;
            if (b->end_ms > a->end_ms)
                a->end_ms = b->end_ms;
            gone[j] = 1;
        }
    }
    return 0;
}

/* The next cue after i at the same place (starting at or after i's start),
 * or NULL. */
static const zimu_cue *next_same_place(const zimu_cues *l, const unsigned char *gone,
                                       size_t i, int strictly_later)
{
    const zimu_cue *a = &l->v[i];
    for (size_t j = i + 1; j < l->n; j++) {
        const zimu_cue *b = &l->v[j];
        if (gone[j] || b->ass || !same_place(a, b))
            continue;
        if (strictly_later && b->start_ms <= a->start_ms)
            continue;
        return b;
    }
    return NULL;
}

static int is_sorted(const zimu_cues *l)
{
    for (size_t i = 1; i < l->n; i++)
        if (l->v[i].start_ms < l->v[i - 1].start_ms)
            return 0;
    return 1;
}

int zimu__timing_apply(zimu_ctx *c, zimu_cues *l, const zimu_timing *t)
{
    if (!l->n)
        return 0;
    double scale = t->scale > 0 && isfinite(t->scale) ? t->scale : 1.0;
    int64_t shift = t->shift_ms;

    /* 1, 2: scale, then shift. */
    if (scale != 1.0 || shift != 0) {
        for (size_t i = 0; i < l->n; i++) {
            zimu_cue *q = &l->v[i];
            q->start_ms = retime(q->start_ms, scale, shift);
            q->end_ms = retime(q->end_ms, scale, shift);
            for (size_t w = 0; w < q->n_words; w++) {
                q->words[w].start_ms = retime(q->words[w].start_ms, scale, shift);
                q->words[w].end_ms = retime(q->words[w].end_ms, scale, shift);
            }
        }
    }
    if (!is_sorted(l))
        zimu__cues_sort(l);

    unsigned char *gone = calloc(l->n, 1);
    if (!gone)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");

    /* 3: overlapping cues. */
    if (t->overlap == ZIMU_OVERLAP_MERGE) {
        if (merge_overlaps(l, gone) < 0) {
            free(gone);
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        }
    } else if (t->overlap == ZIMU_OVERLAP_DROP) {
        for (size_t i = 0; i < l->n; i++) {
            zimu_cue *a = &l->v[i];
            if (a->ass)
                continue;
            const zimu_cue *b = next_same_place(l, gone, i, 0);
            if (b && a->end_ms > b->start_ms) {
                a->end_ms = b->start_ms;
                if (a->end_ms <= a->start_ms)
                    gone[i] = 1;
                clamp_words(a);
            }
        }
    }

    /* 4: minimum display time, up to the next cue's start. */
    if (t->min_ms > 0) {
        for (size_t i = 0; i < l->n; i++) {
            zimu_cue *a = &l->v[i];
            if (gone[i] || a->ass || a->end_ms - a->start_ms >= t->min_ms)
                continue;
            int64_t want = clamp_time(a->start_ms + t->min_ms);
            const zimu_cue *b = next_same_place(l, gone, i, 1);
            if (b && want > b->start_ms)
                want = b->start_ms;
            if (want > a->end_ms)
                a->end_ms = want;
        }
    }

    /* 5: clamp to the clip; what has no time left goes. An ASS event is
     * only kept at or after 0 (its tags animate it from its own start),
     * and goes when it shows nowhere in the clip: libass looks at every
     * event of a track on every frame, so a script of a million events
     * would cost every frame of a short clip. */
    int64_t lo0 = t->clip_from, hi0 = t->clip_to > t->clip_from ? t->clip_to : TIME_MAX;
    for (size_t i = 0; i < l->n; i++) {
        zimu_cue *a = &l->v[i];
        if (gone[i])
            continue;
        if (a->ass && (a->end_ms <= lo0 || a->start_ms >= hi0)) {
            gone[i] = 1;
            continue;
        }
        int64_t lo = a->ass ? 0 : lo0, hi = a->ass ? TIME_MAX : hi0;
        if (a->start_ms < lo)
            a->start_ms = lo;
        if (a->end_ms > hi)
            a->end_ms = hi;
        if (a->end_ms <= a->start_ms) {
            gone[i] = 1;
            continue;
        }
        clamp_words(a);
    }
    compact(l, gone);
    free(gone);
    return 0;
}

int zimu__captions_retime(zimu_ctx *c, const zimu_capopts *o, int64_t clip_from,
                          int64_t clip_to, zimu_cues *cues)
{
    zimu_timing t;
    zimu__timing_from_capopts(&t, o);
    t.clip_from = clip_from > 0 ? clip_from : 0;
    t.clip_to = clip_to;
    return zimu__timing_apply(c, cues, &t);
}

void zimu__timing_clamp(zimu_cues *l, int64_t from_ms, int64_t to_ms)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        zimu_cue *a = &l->v[i];
        if (a->start_ms < from_ms)
            a->start_ms = from_ms;
        if (to_ms >= 0 && a->end_ms > to_ms)
            a->end_ms = to_ms;
        if (a->end_ms <= a->start_ms) {
            zimu__cue_free(a);
            continue;
        }
        clamp_words(a);
        if (w != i)
            l->v[w] = *a;
        w++;
    }
    l->n = w;
}
