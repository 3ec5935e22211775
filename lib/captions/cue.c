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

/* Stable sort by start time: a merge sort through a scratch array, so a
 * hostile file in reverse order costs n log n, and cues that start together
 * keep the file's order. */
static void merge_sort(zimu_cue *v, zimu_cue *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(v, tmp, h);
    merge_sort(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = v[j].start_ms < v[i].start_ms ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

int zimu__cues_sort(zimu_cues *l)
{
    if (l->n < 2)
        return 0;
    zimu_cue *tmp = malloc(l->n * sizeof *tmp);
    if (!tmp)
        return ZIMU_ENOMEM;
    merge_sort(l->v, tmp, l->n);
    free(tmp);
    return 0;
}

int zimu__cues_add_font(zimu_cues *l, const char *name, const void *data, size_t size)
{
    zimu_font *f = realloc(l->fonts, (l->n_fonts + 1) * sizeof *f);
    if (!f)
        return ZIMU_ENOMEM;
    l->fonts = f;
    f += l->n_fonts;
    f->name = strdup(name);
    f->data = malloc(size ? size : 1);
    f->size = size;
    if (!f->name || !f->data) {
        free(f->name);
        free(f->data);
        return ZIMU_ENOMEM;
    }
    memcpy(f->data, data, size);
    l->n_fonts++;
    return 0;
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
    for (size_t i = 0; i < l->n_fonts; i++) {
        free(l->fonts[i].name);
        free(l->fonts[i].data);
    }
    free(l->fonts);
    memset(l, 0, sizeof *l);
}

int zimu__cues_copy(zimu_cues *dst, const zimu_cues *src)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->n; i++) {
        const zimu_cue *s = &src->v[i];
        zimu_cue *c = zimu__cues_add(dst, s->start_ms, s->end_ms, s->text, strlen(s->text));
        if (!c)
            goto nomem;
        char *text = c->text;
        *c = *s;
        c->text = text;
        c->style = NULL;
        c->words = NULL;
        c->n_words = 0;
        if (s->style && !(c->style = strdup(s->style)))
            goto nomem;
        for (size_t k = 0; k < s->n_words; k++)
            if (zimu__cue_add_word(c, s->words[k].start_ms, s->words[k].end_ms,
                                   s->words[k].off, s->words[k].len) < 0)
                goto nomem;
    }
    if (src->ass_script) {
        if (!(dst->ass_script = malloc(src->ass_size + 1)))
            goto nomem;
        memcpy(dst->ass_script, src->ass_script, src->ass_size);
        dst->ass_script[src->ass_size] = 0;
        dst->ass_size = src->ass_size;
    }
    for (size_t i = 0; i < src->n_fonts; i++)
        if (zimu__cues_add_font(dst, src->fonts[i].name, src->fonts[i].data,
                                src->fonts[i].size) < 0)
            goto nomem;
    return 0;
nomem:
    zimu__cues_clear(dst);
    return ZIMU_ENOMEM;
}
