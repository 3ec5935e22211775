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

/* Event text for a cue: '\n' -> \N, placement overrides in front. */
static char *event_text(const zimu_cue *cue, const zimu_layout *lay)
{
    sbuf b = {0};
    int r = 0;
    if (cue->align >= 1 && cue->align <= 9)
        r |= sb_printf(&b, "{\\an%d}", cue->align);
    if (cue->pos_x >= 0 && cue->pos_y >= 0)
        r |= sb_printf(&b, "{\\pos(%d,%d)}", (int)lround(cue->pos_x * lay->width),
                       (int)lround(cue->pos_y * lay->height));
    for (const char *p = cue->text; *p && !r; p++) {
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

int zimu__assgen_track(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                       const zimu_layout *lay, ASS_Track **out)
{
    *out = NULL;
    const char *font = lay->font && *lay->font ? lay->font : DEFAULT_FONT;
    if (strpbrk(font, ",\r\n{}")) {
        return zimu__fail(c, ZIMU_EINVAL, "font name '%s' may not contain , { } or line breaks", font);
    }
    int W = lay->width, H = lay->height, m = W < H ? W : H;
    int vertical = H > W;
    /* Sized for a phone screen: about 0.055 of the width on a vertical
     * frame (60 px Han characters at 1080x1920). Bottom margin: above the
     * bottom quarter of a vertical frame, where the app's description and
     * buttons sit; the right margin leaves the like/comment column free. */
    int fs = (int)lround(0.08 * m);
    int outline = fs / 14 > 1 ? fs / 14 : 1;
    int shadow = fs / 40;
    int mv = vertical ? (int)lround(0.25 * H) : (int)lround(0.07 * H);
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

    for (size_t i = 0; i < cues->n; i++) {
        const zimu_cue *cue = &cues->v[i];
        if (cue->end_ms <= cue->start_ms)
            continue;
        int id = ass_alloc_event(t);
        char *text = event_text(cue, lay);
        if (id < 0 || !text) {
            free(text);
            ass_free_track(t);
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        }
        ASS_Event *e = &t->events[id];
        e->Start = cue->start_ms;
        e->Duration = cue->end_ms - cue->start_ms;
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
        if (!e->Name || !e->Effect) {
            ass_free_track(t);
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        }
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
