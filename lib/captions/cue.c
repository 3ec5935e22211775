/* cue.c - the cue list every caption source fills. */
#include <stdio.h>
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

char *zimu__ass_text_from_cue(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n' ? 2 : *p == '\r' ? 0 : 1;
    char *s = malloc(n + 1), *o = s;
    if (!s)
        return NULL;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            *o++ = '\\';
            *o++ = 'N';
        } else if (*p != '\r') {
            *o++ = *p;
        }
    }
    *o = 0;
    return s;
}

int zimu__cue_make_ass(zimu_cue *q, int64_t order)
{
    zimu_ass_event *e = calloc(1, sizeof *e);
    if (!e)
        return ZIMU_ENOMEM;
    e->style = strdup(q->style ? q->style : "Default");
    e->name = strdup("");
    e->effect = strdup("");
    e->text = zimu__ass_text_from_cue(q->text ? q->text : "");
    e->order = order;
    if (!e->style || !e->name || !e->effect || !e->text) {
        free(e->style);
        free(e->name);
        free(e->effect);
        free(e->text);
        free(e);
        return ZIMU_ENOMEM;
    }
    q->ass = e;
    return 0;
}

void zimu__cue_free(zimu_cue *q)
{
    free(q->text);
    free(q->style);
    free(q->words);
    free(q->fx);
    free(q->look);
    if (q->ass) {
        free(q->ass->style);
        free(q->ass->name);
        free(q->ass->effect);
        free(q->ass->text);
        free(q->ass);
    }
    q->text = q->style = NULL;
    q->words = NULL;
    q->ass = NULL;
    q->n_words = 0;
    q->fx = NULL;
    q->look = NULL;
}

void zimu__cues_clear(zimu_cues *l)
{
    for (size_t i = 0; i < l->n; i++)
        zimu__cue_free(&l->v[i]);
    free(l->v);
    free(l->ass_header);
    for (size_t i = 0; i < l->n_fonts; i++) {
        free(l->fonts[i].name);
        free(l->fonts[i].data);
    }
    free(l->fonts);
    free(l->name);
    memset(l, 0, sizeof *l);
}

static char *dup_or_null(const char *s, int *oom)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *oom = 1;
    return d;
}

int zimu__cues_copy(zimu_cues *dst, const zimu_cues *src)
{
    memset(dst, 0, sizeof *dst);
    int oom = 0;
    for (size_t i = 0; i < src->n && !oom; i++) {
        const zimu_cue *s = &src->v[i];
        zimu_cue *c = zimu__cues_add(dst, s->start_ms, s->end_ms, s->text, strlen(s->text));
        if (!c)
            goto nomem;
        char *text = c->text;
        *c = *s;
        c->text = text;
        c->words = NULL;
        c->n_words = 0;
        c->ass = NULL;
        c->fx = NULL;
        c->style = dup_or_null(s->style, &oom);
        c->look = dup_or_null(s->look, &oom);
        if (s->fx && !oom) {
            if ((c->fx = malloc(sizeof *c->fx)))
                *c->fx = *s->fx;
            else
                oom = 1;
        }
        for (size_t k = 0; k < s->n_words && !oom; k++)
            oom = zimu__cue_add_word(c, s->words[k].start_ms, s->words[k].end_ms,
                                     s->words[k].off, s->words[k].len) < 0;
        if (s->ass && !oom) {
            zimu_ass_event *e = malloc(sizeof *e);
            if (!e)
                goto nomem;
            *e = *s->ass;
            e->style = dup_or_null(s->ass->style, &oom);
            e->name = dup_or_null(s->ass->name, &oom);
            e->effect = dup_or_null(s->ass->effect, &oom);
            e->text = dup_or_null(s->ass->text, &oom);
            c->ass = e;
        }
    }
    if (oom)
        goto nomem;
    if (src->ass_header) {
        if (!(dst->ass_header = malloc(src->ass_header_len + 1)))
            goto nomem;
        memcpy(dst->ass_header, src->ass_header, src->ass_header_len);
        dst->ass_header[src->ass_header_len] = 0;
        dst->ass_header_len = src->ass_header_len;
        dst->ass_events_at = src->ass_events_at;
    }
    for (size_t i = 0; i < src->n_fonts; i++)
        if (zimu__cues_add_font(dst, src->fonts[i].name, src->fonts[i].data,
                                src->fonts[i].size) < 0)
            goto nomem;
    if (src->name && !(dst->name = strdup(src->name)))
        goto nomem;
    dst->han = src->han;
    return 0;
nomem:
    zimu__cues_clear(dst);
    return ZIMU_ENOMEM;
}

void zimu__caption_where(char *buf, size_t size, size_t line, int64_t at_ms)
{
    if (line)
        snprintf(buf, size, ":%zu", line);
    else if (at_ms >= 0)
        snprintf(buf, size, zimu__tr(": the caption at %lld.%03d s"),
                 (long long)(at_ms / 1000), (int)(at_ms % 1000));
    else if (size)
        buf[0] = 0;
}
