/* assgen.c - the one writer: cues -> libass track.
 *
 * The header (play size, wrap style, styles) goes through libass's own
 * parser; events are created in memory so their times keep milliseconds
 * (ASS text has 10 ms steps). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assgen.h"
#include "linebreak.h"
#include "measure.h"

#define DEFAULT_FONT "Noto Sans CJK SC"

/* Append to a growing string; returns 0 or ZIMU_ENOMEM. */
typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static int sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return ZIMU_ENOMEM;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
    return 0;
}

static int sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return ZIMU_EINVAL;
    return sb_add(b, tmp, (size_t)n);
}

/* Event text for (a page of) a cue: '\n' -> \N, placement overrides in
 * front. */
static char *event_text(const zimu_cue *cue, const char *text, const zimu_layout *lay)
{
    sbuf b = {0};
    int r = 0;
    if (cue->align >= 1 && cue->align <= 9)
        r |= sb_printf(&b, "{\\an%d}", cue->align);
    if (cue->pos_x >= 0 && cue->pos_y >= 0)
        r |= sb_printf(&b, "{\\pos(%d,%d)}", (int)lround(cue->pos_x * lay->width),
                       (int)lround(cue->pos_y * lay->height));
    for (const char *p = text; *p && !r; p++) {
        if (*p == '\n')
            r |= sb_add(&b, "\\N", 2);
        else if (*p != '\r')
            r |= sb_add(&b, p, 1);
    }
    if (!r && !b.s)
        r = sb_add(&b, "", 0);
    if (r) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static int add_event(ASS_Track *t, const zimu_cue *cue, int64_t start, int64_t end,
                     char *text)
{
    int id = ass_alloc_event(t);
    if (id < 0) {
        free(text);
        return ZIMU_ENOMEM;
    }
    ASS_Event *e = &t->events[id];
    e->Start = start;
    e->Duration = end - start;
    e->ReadOrder = id;
    e->Layer = cue->layer;
    e->Style = 0;
    if (cue->style)
        for (int s = 0; s < t->n_styles; s++)
            if (t->styles[s].Name && !strcmp(t->styles[s].Name, cue->style))
                e->Style = s;
    e->Name = strdup("");
    e->Effect = strdup("");
    e->Text = text;
    return e->Name && e->Effect ? 0 : ZIMU_ENOMEM;
}

/* One cue: wrapped into lines; what does not fit in two lines becomes
 * consecutive events sharing the cue's time in proportion to length. */
static int add_cue(zimu_ctx *c, ASS_Track *t, zimu_measure *m, const zimu_cue *cue,
                   const zimu_layout *lay, double max_w)
{
    if (cue->end_ms <= cue->start_ms)
        return 0;
    zimu_wrap_result w = {0};
    int r = zimu__wrap(c, m, cue->text, strlen(cue->text), max_w, 2, &w);
    if (r < 0)
        return r;
    int64_t dur = cue->end_ms - cue->start_ms, start = cue->start_ms;
    double acc = 0;
    for (size_t p = 0; p < w.n_pages && r >= 0; p++) {
        acc += w.pages[p].weight;
        int64_t end = p + 1 == w.n_pages ? cue->end_ms : cue->start_ms + llround(acc * dur);
        if (end <= start)
            continue;
        char *text = event_text(cue, w.pages[p].text, lay);
        r = text ? add_event(t, cue, start, end, text) : ZIMU_ENOMEM;
        start = end;
    }
    zimu__wrap_free(&w);
    return r == ZIMU_ENOMEM ? zimu__fail(c, r, "out of memory") : r;
}

int zimu__assgen_track(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                       const zimu_layout *lay, ASS_Track **out)
{
    *out = NULL;
    const char *font = lay->font && *lay->font ? lay->font : DEFAULT_FONT;
    if (strpbrk(font, ",\r\n{}"))
        return zimu__fail(c, ZIMU_EINVAL, "font name '%s' may not contain , { } or line breaks",
                          font);
    int W = lay->width, H = lay->height, short_side = W < H ? W : H;
    int vertical = H > W;
    /* Sized for a phone screen: \fs of 0.08 of the short side (libass
     * makes a Han character 0.69 of that: 60 px at 1080x1920). Bottom
     * margin: above the bottom quarter of a vertical frame, where the app's
     * description and buttons sit; the right margin leaves the
     * like/comment column free. */
    int fs = (int)lround(0.08 * short_side);
    int outline = fs / 14 > 1 ? fs / 14 : 1;
    int shadow = fs / 40;
    int mv = (vertical ? (int)lround(0.25 * H) : (int)lround(0.07 * H)) + outline + 1;
    int ml = vertical ? (int)lround(0.08 * W) : (int)lround(0.05 * W);
    int mr = vertical ? (int)lround(0.16 * W) : (int)lround(0.05 * W);

    sbuf h = {0};
    int r = sb_printf(&h, "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
                          "WrapStyle: 2\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n", W, H);
    r |= sb_printf(&h, "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, "
                       "SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, "
                       "StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
                       "Alignment, MarginL, MarginR, MarginV, Encoding\n");
    r |= sb_printf(&h, "Style: Default,%s,%d,&H00FFFFFF,&H0000FFFF,&H00101010,&H80000000,"
                       "-1,0,0,0,100,100,0,0,1,%d,%d,2,%d,%d,%d,1\n\n",
                   font, fs, outline, shadow, ml, mr, mv);
    r |= sb_printf(&h, "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, "
                       "MarginV, Effect, Text\n");
    ASS_Track *t = r ? NULL : ass_new_track(lib);
    if (!t) {
        free(h.s);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    ass_process_codec_private(t, h.s, (int)h.n);
    free(h.s);

    /* Lines are broken here, measured with the face libass will pick:
     * libass on Debian cannot break Chinese text. The outline reaches past
     * the line box on both sides. */
    zimu_measure *m = NULL;
    int e = zimu__measure_new(c, &m, font, 1, fs, lay->fonts_conf);
    if (e < 0) {
        ass_free_track(t);
        return e;
    }
    double max_w = W - ml - mr - 2.0 * outline - 2;
    for (size_t i = 0; i < cues->n && e >= 0; i++)
        e = add_cue(c, t, m, &cues->v[i], lay, max_w);
    zimu__measure_free(&m);
    if (e < 0) {
        ass_free_track(t);
        return e;
    }
    /* The style we made is the one to use for events without a match. */
    t->default_style = 0;
    for (int s = 0; s < t->n_styles; s++)
        if (t->styles[s].Name && !strcmp(t->styles[s].Name, "Default"))
            t->default_style = s;
    for (int i = 0; i < t->n_events; i++)
        if (t->events[i].Style == 0)
            t->events[i].Style = t->default_style;
    *out = t;
    return 0;
}
