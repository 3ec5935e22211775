/* cue.c - the cue list every caption source fills. */
#include <stdlib.h>
#include <string.h>

#include "cue.h"
#include "internal.h"

zimu_cue *zimu__cues_add(zimu_cues *l, int64_t start_ms, int64_t end_ms,
                         const char *text, size_t text_len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        zimu_cue *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    char *t = malloc(text_len + 1);
    if (!t)
        return NULL;
    memcpy(t, text, text_len);
    t[text_len] = 0;
    zimu_cue *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    c->start_ms = start_ms;
    c->end_ms = end_ms;
    c->text = t;
    c->pos_x = c->pos_y = -1;
    return c;
}

int zimu__cue_add_word(zimu_cue *c, int64_t start_ms, int64_t end_ms,
                       size_t off, size_t len)
{
    zimu_word *w = realloc(c->words, (c->n_words + 1) * sizeof *w);
    if (!w)
        return ZIMU_ENOMEM;
    c->words = w;
    w[c->n_words++] = (zimu_word){start_ms, end_ms, off, len};
    return 0;
}

static int cmp_start(const void *a, const void *b)
{
    const zimu_cue *x = a, *y = b;
    if (x->start_ms != y->start_ms)
        return x->start_ms < y->start_ms ? -1 : 1;
    /* Keep the input order of equal starts: layer holds no order, so the
     * caller's order is kept by the merge below (qsort is not stable). */
    return 0;
}

void zimu__cues_sort(zimu_cues *l)
{
    /* Insertion sort: stable, and caption files are nearly sorted. */
    for (size_t i = 1; i < l->n; i++) {
        zimu_cue tmp = l->v[i];
        size_t j = i;
        while (j > 0 && cmp_start(&l->v[j - 1], &tmp) > 0) {
            l->v[j] = l->v[j - 1];
            j--;
        }
        l->v[j] = tmp;
    }
}

void zimu__cues_clear(zimu_cues *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].text);
        free(l->v[i].style);
        free(l->v[i].words);
    }
    free(l->v);
    free(l->ass_script);
    memset(l, 0, sizeof *l);
}
