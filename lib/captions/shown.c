/* shown.c - a bound on what is on screen at once (shown.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shown.h"

typedef struct ord {
    int64_t start, tie;
    size_t i;
} ord;

static int cmp_ord(const void *a, const void *b)
{
    const ord *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->tie != y->tie)
        return x->tie < y->tie ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* A min-heap of the end times of the kept cues on screen. */
static void heap_push(int64_t *h, size_t *n, int64_t v)
{
    size_t k = (*n)++;
    while (k > 0 && h[(k - 1) / 2] > v) {
        h[k] = h[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    h[k] = v;
}

static void heap_pop(int64_t *h, size_t *n)
{
    int64_t v = h[--*n];
    size_t k = 0;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (h[c] >= v)
            break;
        h[k] = h[c];
        k = c;
    }
    if (*n)
        h[k] = v;
}

/* "0:00:01" or "0:00:01.5" */
static void clock_text(char *buf, size_t size, int64_t ms)
{
    if (ms < 0)
        ms = 0;
    int64_t s = ms / 1000;
    int n = snprintf(buf, size, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60),
                     (int)(s % 60));
    if (ms % 1000 && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ".%03d", (int)(ms % 1000));
}

/* 49936 as "49,936" */
static void count_text(char *buf, size_t size, long v)
{
    char d[32];
    int n = snprintf(d, sizeof d, "%ld", v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = d[i];
    }
    buf[o] = 0;
}

long zimu__cues_cap_shown(zimu_ctx *c, const zimu_cues *l, size_t max, const char *what,
                          unsigned char *keep)
{
    for (size_t i = 0; i < l->n; i++)
        keep[i] = 1;
    if (l->n <= max)
        return 0;
    ord *o = malloc(l->n * sizeof *o);
    int64_t *h = malloc((max + 1) * sizeof *h);
    if (!o || !h) {
        free(o);
        free(h);
        return ZIMU_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const zimu_cue *q = &l->v[i];
        if (q->end_ms > q->start_ms)
            o[n++] = (ord){q->start_ms, q->ass ? q->ass->order : (int64_t)i, i};
    }
    if (n > 1) /* the array may be NULL when empty */
        qsort(o, n, sizeof *o, cmp_ord);
    size_t nh = 0;
    long dropped = 0;
    int64_t from = 0, to = 0;
    for (size_t k = 0; k < n; k++) {
        const zimu_cue *q = &l->v[o[k].i];
        while (nh && h[0] <= q->start_ms)
            heap_pop(h, &nh);
        if (nh < max) {
            heap_push(h, &nh, q->end_ms);
            continue;
        }
        keep[o[k].i] = 0;
        if (!dropped++ || q->start_ms < from)
            from = q->start_ms;
        if (dropped == 1 || q->end_ms > to)
            to = q->end_ms;
    }
    free(o);
    free(h);
    if (dropped) {
        char a[32], b[32], num[32];
        clock_text(a, sizeof a, from);
        clock_text(b, sizeof b, to);
        count_text(num, sizeof num, dropped);
        /* whole sentences, each translated as one */
        static const char *const fmt[2][2] = {
            {N_("%s: %s caption overlaps others at %s-%s and is not shown; at most %zu "
                "are shown at once"),
             N_("%s: %s captions overlap others at %s-%s and are not shown; at most %zu "
                "are shown at once")},
            {N_("%s: %s event overlaps others at %s-%s and is not shown; at most %zu "
                "are shown at once"),
             N_("%s: %s events overlap others at %s-%s and are not shown; at most %zu "
                "are shown at once")}};
        zimu__log(c, ZIMU_LOG_WARNING, fmt[!strcmp(what, "event")][dropped != 1],
                  l->name ? l->name : zimu__tr("captions"), num, a, b, max);
    }
    return dropped;
}
