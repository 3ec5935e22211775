/* assgen.c - the one writer: a layout (layout.h) -> libass track.
 *
 * The header (play size, wrap style, styles) goes through libass's own
 * parser; events are created in memory so their times keep milliseconds
 * (ASS text has 10 ms steps).
 *
 * Where everything goes is the layout's: every page is written with its
 * \an and \pos, and the box drawn behind it (libass 0.17.1 has no rounded
 * or translucent-without-artefacts box of its own) is a drawing event on
 * a lower layer over the page's drawn box.
 *
 * Word highlight: a page with timed words becomes one event per state
 * (before the first word, word i being spoken, the pause after it), each
 * with the colour (and size) tags of its state. Events keep exact
 * milliseconds; karaoke tags (\k, \kf) count in 10 ms steps and cannot
 * tell "the word being spoken" from "the words already spoken". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anim.h"
#include "ass_limits.h"
#include "assgen.h"
#include "sbuf.h"

/* A pause shorter than this between two words keeps the first one
 * highlighted until the next starts (no flicker between words). */
#define HOLD_MS 250

enum { LAYER_BOX = 0, LAYER_ACCENT = 1, LAYER_TEXT = 2 };

typedef zimu_lrect rect;

/* ASS colour &HBBGGRR& and alpha &HAA& (AA: 255 - opacity). */
static uint32_t ass_bgr(zimu_color c)
{
    return (uint32_t)c.b << 16 | (uint32_t)c.g << 8 | c.r;
}

static unsigned ass_alpha(zimu_color c)
{
    return 255u - c.a;
}

static void style_line(zimu_sbuf *h, const char *name, const zimu_lstyle *ts)
{
    const zimu_text_style *s = ts->s;
    zimu__sb_printf(h, "Style: %s,%s,%.2f,&H%02X%06X,&H%02X%06X,&H%02X%06X,&H%02X%06X,%d,%d,0,0,"
                 "100,100,%.2f,0,1,%.2f,%.2f,2,0,0,0,1\n",
              name, s->font, ts->fs, ass_alpha(s->color), ass_bgr(s->color),
              ass_alpha(s->highlight_color), ass_bgr(s->highlight_color),
              ass_alpha(s->outline_color), ass_bgr(s->outline_color),
              ass_alpha(s->shadow_color), ass_bgr(s->shadow_color), s->bold ? -1 : 0,
              s->italic ? -1 : 0, ts->spacing, ts->outline, ts->shadow);
}

/* ------------------------------------------------------------------------
 * Events.
 */

static int add_event(ASS_Track *t, int layer, int style, int64_t start, int64_t end,
                     char *text)
{
    if (!text)
        return ZIMU_ENOMEM;
    int id = ass_alloc_event(t);
    if (id < 0) {
        free(text);
        return ZIMU_ENOMEM;
    }
    ASS_Event *e = &t->events[id];
    e->Start = start;
    e->Duration = end - start;
    e->ReadOrder = id;
    e->Layer = layer;
    e->Style = style;
    e->Name = strdup("");
    e->Effect = strdup("");
    e->Text = text;
    return e->Name && e->Effect ? 0 : ZIMU_ENOMEM;
}

/* A rectangle w x h with corners of radius r, as an ASS drawing with its
 * top-left corner at the origin. */
static void rounded_path(zimu_sbuf *b, double w, double h, double r)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (r < 0.5) {
        zimu__sb_printf(b, "m 0 0 l %.0f 0 %.0f %.0f 0 %.0f", w, w, h, h);
        return;
    }
    double k = r * (1 - 0.5523); /* control points of a quarter circle */
    zimu__sb_printf(b, "m %.2f 0 l %.2f 0 b %.2f 0 %.2f %.2f %.2f %.2f ", r, w - r, w - k, w, k, w, r);
    zimu__sb_printf(b, "l %.2f %.2f b %.2f %.2f %.2f %.2f %.2f %.2f ", w, h - r, w, h - k, w - k, h,
              w - r, h);
    zimu__sb_printf(b, "l %.2f %.2f b %.2f %.2f %.2f %.2f %.2f %.2f ", r, h, k, h, 0.0, h - k, 0.0,
              h - r);
    zimu__sb_printf(b, "l 0 %.2f b 0 %.2f %.2f 0 %.2f 0", r, k, k, r);
}

static char *drawing(rect a, double radius, zimu_color col)
{
    zimu_sbuf b = {0};
    zimu__sb_printf(&b, "{\\an7\\pos(%.0f,%.0f)\\bord0\\shad0\\blur0\\1c&H%06X&\\1a&H%02X&\\p1}",
              a.x0, a.y0, ass_bgr(col), ass_alpha(col));
    rounded_path(&b, a.x1 - a.x0, a.y1 - a.y0, radius);
    zimu__sb_add(&b, "{\\p0}", 5);
    return zimu__sb_take(&b);
}

static int add_bubble(ASS_Track *t, const zimu_lstyle *ts, int box_style,
                      const zimu_page *pg);
static void bubble_path(zimu_sbuf *b, double w, double h, double r, double tail);

/* The box (and accent) behind a page, shown while it is. */
static int add_box(ASS_Track *t, const zimu_lstyle *ts, int box_style, const zimu_page *pg)
{
    if (!pg->has_box)
        return 0;
    int64_t start = pg->start_ms, end = pg->end_ms;
    const zimu_text_style *s = ts->s;
    if (s->box == ZIMU__BOX_BUBBLE)
        return add_bubble(t, ts, box_style, pg);
    double radius = s->box == ZIMU__BOX_ROUNDED ? ts->radius : 0;
    /* libass's antialiasing reaches a pixel past a drawing's edges */
    rect v = {pg->vis.x0 + 1, pg->vis.y0 + 1, pg->vis.x1 - 1, pg->vis.y1 - 1};
    int r = add_event(t, LAYER_BOX, box_style, start, end, drawing(v, radius, s->box_color));
    if (r == 0 && ts->accent >= 1) {
        rect a = v;
        a.x1 = a.x0 + round(ts->accent);
        r = add_event(t, LAYER_ACCENT, box_style, start, end,
                      drawing(a, 0, s->accent_color));
    }
    return r;
}

/* At the start of every line of a page whose words pop: an invisible
 * strut (an ideographic space, no width) as tall as a popped word, so that
 * every line is always as tall as it is with a popped word in it, and a
 * word popping moves no line (layout.c counts the lines that tall). Then
 * the scale the text goes on with. Not on a page with big first lines
 * (their scale is in the page's text): layout.c leaves room for their
 * lines to move. */
static void pop_strut(zimu_sbuf *b, int scale, int popped)
{
    int now = popped ? scale : 100;
    zimu__sb_printf(b, "{\\fscx0\\fscy%d}\xe3\x80\x80{\\fscx%d\\fscy%d}", scale, now, now);
}

/* Event text of a page: placement, then the text with '\n' as \N and the
 * markers replaced by highlight tags. Words (by page position) up to
 * `filled` are coloured in fill mode; word `current` in either mode, and
 * popped. -1: none. */
static char *page_event_text(const zimu_lstyle *ts, const zimu_page *pg, const long *pw,
                             size_t npw, long filled, long current)
{
    const zimu_text_style *s = ts->s;
    zimu_sbuf b = {0};
    zimu__sb_printf(&b, "{\\an%d\\pos(%.0f,%.0f)}", pg->an, pg->pos_x, pg->pos_y);
    int pops = npw && s->highlight_scale > 100 && ts->first_scale <= 1, popped = 0;
    if (pops)
        pop_strut(&b, s->highlight_scale, 0);
    size_t on = 0; /* the word now coloured, + 1 */
    for (const char *p = pg->text; *p; p++) {
        long w;
        int end;
        size_t len = zimu__mark_at(p, &w, &end);
        if (len) {
            long q = -1;
            for (size_t k = 0; k < npw; k++)
                if (pw[k] == w)
                    q = (long)k;
            if (!end && q >= 0 &&
                (q == current || (s->highlight_mode == ZIMU__HL_FILL && q <= filled))) {
                zimu__sb_printf(&b, "{\\1c&H%06X&\\1a&H%02X&", ass_bgr(s->highlight_color),
                          ass_alpha(s->highlight_color));
                if (q == current && s->highlight_scale > 100) {
                    zimu__sb_printf(&b, "\\fscx%d\\fscy%d", s->highlight_scale, s->highlight_scale);
                    popped = 1;
                }
                zimu__sb_add(&b, "}", 1);
                on = (size_t)w + 1;
            } else if (end && on == (size_t)w + 1) {
                zimu__sb_printf(&b, "{\\1c&H%06X&\\1a&H%02X&\\fscx100\\fscy100}", ass_bgr(s->color),
                          ass_alpha(s->color));
                on = 0;
                popped = 0;
            }
            p += len - 1;
        } else if (*p == '\n') {
            zimu__sb_add(&b, "\\N", 2);
            if (pops)
                pop_strut(&b, s->highlight_scale, popped);
        } else if (*p != '\r') {
            zimu__sb_add(&b, p, 1);
        }
    }
    return zimu__sb_take(&b);
}

/* The page's events (style number `style` in t, cue the page's cue or
 * NULL): one, or one per highlight state. */
static int add_page_events(ASS_Track *t, const zimu_lstyle *ts, int style,
                           const zimu_cue *cue, const zimu_page *pg)
{
    int layer = LAYER_TEXT + (cue ? cue->layer : 0);
    int64_t start = pg->start_ms, end = pg->end_ms;
    long *pw = NULL;
    size_t npw = 0;
    if (pg->highlight && cue) {
        pw = malloc(cue->n_words * sizeof *pw);
        if (!pw)
            return ZIMU_ENOMEM;
        npw = zimu__page_words(pg->text, pw, cue->n_words);
    }
    int r = 0;
    if (!npw) {
        r = add_event(t, layer, style, start, end, page_event_text(ts, pg, pw, 0, -1, -1));
        free(pw);
        return r;
    }
    int64_t at = start;
    for (size_t q = 0; q <= npw && r == 0; q++) {
        /* from t to the start of word q: the state after word q - 1 */
        int64_t ws = q < npw ? cue->words[pw[q]].start_ms : end;
        if (ws > end)
            ws = end;
        if (ws > at) {
            r = add_event(t, layer, style, at, ws,
                          page_event_text(ts, pg, pw, npw, (long)q - 1, -1));
            at = ws;
        }
        if (q == npw || r)
            break;
        /* word q being spoken: to its end, or to the next word's start
         * when the pause between them is short */
        int64_t next = q + 1 < npw ? cue->words[pw[q + 1]].start_ms : end;
        if (next > end)
            next = end;
        int64_t we = cue->words[pw[q]].end_ms;
        if (we > next || next - we < HOLD_MS)
            we = next;
        if (we > at) {
            r = add_event(t, layer, style, at, we,
                          page_event_text(ts, pg, pw, npw, (long)q, (long)q));
            at = we;
        }
    }
    free(pw);
    return r;
}

/* The box (and accent) of an animated page during one of its events,
 * with the tags anim.c gives it. */
static int add_anim_box(ASS_Track *t, const zimu_lstyle *ts, int box_style, const zimu_page *pg,
                        const zimu_anim_event *e)
{
    const zimu_text_style *s = ts->s;
    double w = pg->vis.x1 - pg->vis.x0 - 2, h = pg->vis.y1 - pg->vis.y0 - 2;
    zimu_sbuf b = {0};
    zimu__sb_printf(&b, "{%s\\bord0\\shad0\\blur0\\1c&H%06X&\\1a&H%02X&\\p1}", e->box,
                    ass_bgr(s->box_color), ass_alpha(s->box_color));
    if (s->box == ZIMU__BOX_BUBBLE) /* the same bounds, its tail in them */
        bubble_path(&b, w, h - ts->tail, ts->radius, ts->tail);
    else
        rounded_path(&b, w, h, s->box == ZIMU__BOX_ROUNDED ? ts->radius : 0);
    zimu__sb_add(&b, "{\\p0}", 5);
    int r = add_event(t, LAYER_BOX, box_style, e->start, e->end, zimu__sb_take(&b));
    if (r == 0 && ts->accent >= 1) {
        zimu__sb_printf(&b, "{%s\\bord0\\shad0\\blur0\\1c&H%06X&\\1a&H%02X&\\p1}", e->box,
                        ass_bgr(s->accent_color), ass_alpha(s->accent_color));
        zimu__sb_printf(&b, "m 0 0 m %.2f %.2f ", w, h); /* the box's bounds */
        rounded_path(&b, round(ts->accent), h, 0);
        zimu__sb_add(&b, "{\\p0}", 5);
        r = add_event(t, LAYER_ACCENT, box_style, e->start, e->end, zimu__sb_take(&b));
    }
    return r;
}

/* The events of a page of a cue with animations or keywords (anim.h),
 * on the cue's text layer, and its box. */
static int add_anim_events(ASS_Track *t, const zimu_lstyle *ts, int style, int box_style,
                           const zimu_cue *cue, const zimu_page *pg, const zimu_layout *lay)
{
    zimu_anim_page a = {.pg = pg, .fx = cue->fx && (cue->fx->in || cue->fx->out ||
                                                    cue->fx->loop) ? cue->fx : NULL,
                        .width = lay->width, .height = lay->height, .fs = ts->fs, .s = ts->s};
    zimu_anim_events ev = {0};
    int r = a.fx ? 0 : add_box(t, ts, box_style, pg); /* still: as any page's */
    if (r == 0)
        r = zimu__anim_page_events(&a, &ev);
    for (size_t i = 0; i < ev.n && r == 0; i++) {
        if (ev.v[i].box)
            r = add_anim_box(t, ts, box_style, pg, &ev.v[i]);
        if (r == 0)
            r = add_event(t, LAYER_TEXT + cue->layer, style, ev.v[i].start, ev.v[i].end,
                          ev.v[i].text);
        ev.v[i].text = NULL; /* the track's now (or freed) */
    }
    zimu__anim_events_free(&ev);
    return r;
}

/* ------------------------------------------------------------------------
 * Flash looks: a speech bubble, the events under the text (a second
 * outline, a glow) and a hard shadow.
 */

/* A rounded box w x h with a tail of height tail hanging from its bottom
 * edge a fifth of the way in, its tip a little to the left: one closed
 * outline, clockwise, so nothing overlaps. */
static void bubble_path(zimu_sbuf *b, double w, double h, double r, double tail)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    double k = r * (1 - 0.5523);
    double base = tail * 1.1, x0 = fmax(r + 1, w * 0.2), x1 = x0 + base;
    if (x1 > w - r - 1) { /* a narrow bubble: the tail in its middle */
        x0 = fmax(0, (w - base) / 2);
        x1 = fmin(w, x0 + base);
    }
    double tip = x0 - tail * 0.35;
    if (tip < 0)
        tip = 0;
    zimu__sb_printf(b, "m %.2f 0 l %.2f 0 b %.2f 0 %.2f %.2f %.2f %.2f ", r, w - r, w - k, w, k,
                    w, r);
    zimu__sb_printf(b, "l %.2f %.2f b %.2f %.2f %.2f %.2f %.2f %.2f ", w, h - r, w, h - k,
                    w - k, h, w - r, h);
    zimu__sb_printf(b, "l %.2f %.2f l %.2f %.2f l %.2f %.2f ", x1, h, tip, h + tail, x0, h);
    zimu__sb_printf(b, "l %.2f %.2f b %.2f %.2f %.2f %.2f %.2f %.2f ", r, h, k, h, 0.0, h - k,
                    0.0, h - r);
    zimu__sb_printf(b, "l 0 %.2f b 0 %.2f %.2f 0 %.2f 0", r, k, k, r);
}

/* The speech bubble behind a page: the box over the page's drawn box but
 * its tail, which hangs below it. */
static int add_bubble(ASS_Track *t, const zimu_lstyle *ts, int box_style, const zimu_page *pg)
{
    const zimu_text_style *s = ts->s;
    rect v = {pg->vis.x0 + 1, pg->vis.y0 + 1, pg->vis.x1 - 1, pg->vis.y1 - 1 - ts->tail};
    zimu_sbuf b = {0};
    zimu__sb_printf(&b, "{\\an7\\pos(%.0f,%.0f)\\bord0\\shad0\\blur0\\1c&H%06X&\\1a&H%02X&\\p1}",
                    v.x0, v.y0, ass_bgr(s->box_color), ass_alpha(s->box_color));
    bubble_path(&b, v.x1 - v.x0, v.y1 - v.y0, ts->radius, ts->tail);
    zimu__sb_add(&b, "{\\p0}", 5);
    return add_event(t, LAYER_BOX, box_style, pg->start_ms, pg->end_ms, zimu__sb_take(&b));
}

/* text with tags added at the end of its first override block (every
 * page event starts with one: its \an and \pos). NULL: out of memory. */
static char *with_tags(const char *text, const char *tags)
{
    const char *close = text[0] == '{' ? strchr(text, '}') : NULL;
    zimu_sbuf b = {0};
    if (close) {
        zimu__sb_add(&b, text, (size_t)(close - text));
        zimu__sb_adds(&b, tags);
        zimu__sb_adds(&b, close);
    } else {
        zimu__sb_printf(&b, "{%s}%s", tags, text);
    }
    return zimu__sb_take(&b);
}

/* The page events t->events[first..] of a look: each gets, on the layers
 * below it, a glow (the text with a wide blurred border in glow_color)
 * and a second outline (the text with a border outline + outline2 wide in
 * outline2_color), which carries the shadow; or, with neither, the hard
 * shadow (\xshad \yshad) itself. Nothing for other styles, nor for the
 * boxes among the events (box_style). */
static int look_events(ASS_Track *t, const zimu_lstyle *ts, int first, int box_style)
{
    const zimu_text_style *s = ts->s;
    int glow = ts->glow > 0, o2 = ts->outline2 > 0;
    int hard = ts->shadow_x > 0 || ts->shadow_y > 0;
    if (!glow && !o2 && !hard)
        return 0;
    char shadow[64], tags[256];
    if (hard)
        zimu__snprintf(shadow, sizeof shadow, "\\xshad%.2f\\yshad%.2f", ts->shadow_x, ts->shadow_y);
    else
        zimu__snprintf(shadow, sizeof shadow, "\\shad%.2f", ts->shadow);
    int last = t->n_events, r = 0;
    for (int i = first; i < last && r == 0; i++) {
        if (t->events[i].Style == box_style) /* a box (of an animated page) */
            continue;
        /* t->events moves as events are added */
        int layer = t->events[i].Layer, style = t->events[i].Style;
        int64_t start = t->events[i].Start, end = start + t->events[i].Duration;
        if (glow) {
            zimu__snprintf(tags, sizeof tags,
                     "\\bord%.2f\\blur%.2f\\shad0\\1c&H%06X&\\1a&H%02X&\\3c&H%06X&\\3a&H%02X&",
                     ts->outline + ts->glow / 2, ts->glow / 2, ass_bgr(s->glow_color),
                     ass_alpha(s->glow_color), ass_bgr(s->glow_color), ass_alpha(s->glow_color));
            r = add_event(t, layer, style, start, end, with_tags(t->events[i].Text, tags));
        }
        if (r == 0 && o2) {
            zimu__snprintf(tags, sizeof tags, "\\bord%.2f\\1c&H%06X&\\3c&H%06X&\\3a&H%02X&%s",
                     ts->outline + ts->outline2, ass_bgr(s->outline2_color),
                     ass_bgr(s->outline2_color), ass_alpha(s->outline2_color), shadow);
            r = add_event(t, layer + glow, style, start, end,
                          with_tags(t->events[i].Text, tags));
        }
        if (r == 0) {
            char *text = with_tags(t->events[i].Text, glow || o2 ? "\\shad0" : shadow);
            if (!text)
                return ZIMU_ENOMEM;
            free(t->events[i].Text);
            t->events[i].Text = text;
            t->events[i].Layer = layer + glow + o2;
        }
    }
    return r;
}

/* The styles of the cues' looks, "Look1" ... in the order of L->looks. */
static void look_style_lines(zimu_sbuf *h, const zimu_laid *L)
{
    for (size_t i = 0; i < L->n_looks; i++) {
        char name[32];
        snprintf(name, sizeof name, "Look%zu", i + 1);
        style_line(h, name, &L->looks[i]->ts);
    }
}

/* Their numbers in t: *out (malloc'd, L->n_looks of them). 0 or
 * ZIMU_ENOMEM. */
static int look_style_index(const ASS_Track *t, const zimu_laid *L, int **out)
{
    *out = calloc(L->n_looks ? L->n_looks : 1, sizeof **out);
    if (!*out)
        return ZIMU_ENOMEM;
    for (int s = 0; s < t->n_styles; s++) {
        const char *nm = t->styles[s].Name;
        size_t i;
        if (nm && sscanf(nm, "Look%zu", &i) == 1 && i >= 1 && i <= L->n_looks)
            (*out)[i - 1] = s;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * The track.
 */

int zimu__assgen_track(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                       const zimu_layout *lay, ASS_Track **out)
{
    *out = NULL;
    zimu_laid L;
    int r = zimu__layout_run(c, cues, lay, &L);
    if (r < 0) {
        zimu__laid_free(&L);
        return r;
    }
    static const char *const names[ZIMU__TS_N] = {"Caption", "Title", "Cover"};
    zimu_sbuf h = {0};
    zimu__sb_printf(&h, "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
                  "WrapStyle: 2\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n",
              lay->width, lay->height);
    zimu__sb_adds(&h, "[V4+ Styles]\n" ZIMU__ASS_STYLE_FORMAT);
    for (int i = 0; i < ZIMU__TS_N; i++)
        style_line(&h, names[i], &L.ts[i]);
    zimu__sb_printf(&h, "Style: Box,%s,20,&H00000000,&H00000000,&H00000000,&H00000000,0,0,0,0,"
                  "100,100,0,0,1,0,0,7,0,0,0,1\n", L.st.caption.font);
    look_style_lines(&h, &L);
    zimu__sb_adds(&h, "\n");
    zimu__sb_adds(&h, "[Events]\n" ZIMU__ASS_EVENT_FORMAT);
    char *hs = zimu__sb_take(&h);
    ASS_Track *t = hs ? ass_new_track(lib) : NULL;
    if (!t) {
        free(hs);
        zimu__laid_free(&L);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    ass_process_codec_private(t, hs, (int)strlen(hs));
    free(hs);
    int index[ZIMU__TS_N] = {0}, box_style = 0;
    for (int s = 0; s < t->n_styles; s++) {
        const char *nm = t->styles[s].Name;
        for (int i = 0; i < ZIMU__TS_N; i++)
            if (nm && !strcmp(nm, names[i]))
                index[i] = s;
        if (nm && !strcmp(nm, "Box"))
            box_style = s;
    }
    t->default_style = index[ZIMU__TS_CAPTION];
    int *look_index = NULL;
    r = look_style_index(t, &L, &look_index);

    /* Each page's box, then its text, in the order the pages were laid
     * out. */
    for (size_t i = 0; i < L.pages.n && r == 0; i++) {
        const zimu_page *pg = &L.pages.v[i];
        const zimu_lstyle *ts = pg->look >= 0 ? &L.looks[pg->look]->ts : &L.ts[pg->style];
        int style = pg->look >= 0 ? look_index[pg->look] : index[pg->style];
        const zimu_cue *cue = pg->cue >= 0 ? &cues->v[pg->cue] : NULL;
        if (ZIMU__CANCEL_CHECK(c, i + 1)) {
            r = zimu__fail_cancel(c);
            break;
        }
        int first = t->n_events;
        if (zimu__anim_wanted(cue)) {
            r = add_anim_events(t, ts, style, box_style, cue, pg, lay);
        } else {
            r = add_box(t, ts, box_style, pg);
            first = t->n_events;
            if (r == 0)
                r = add_page_events(t, ts, style, cue, pg);
        }
        if (r == 0)
            r = look_events(t, ts, first, box_style);
    }
    free(look_index);
    if (r == 0) {
        /* Override tags a cue carries (SRT's {\blur}, a look's sizes)
         * clamped to what the frame can show, as for ASS scripts. */
        zimu_ass_clamped k = {0};
        zimu__ass_clamp_styles(t, &k);
        for (int i = 0; i < t->n_events && r == 0; i++) {
            ASS_Event *e = &t->events[i];
            char *text = zimu__ass_clamp_text(t, e->Style, e->Text, &k, 0, e->Start);
            if (!text)
                r = ZIMU_ENOMEM;
            else {
                free(e->Text);
                e->Text = text;
            }
        }
        if (r == 0)
            zimu__ass_clamped_warn(c, cues->name, &k);
    }
    if (r == 0 && lay->pages)
        r = zimu__pages_move(lay->pages, &L.pages);
    zimu__laid_free(&L);
    if (r < 0) {
        ass_free_track(t);
        return r == ZIMU_ENOMEM ? zimu__fail(c, r, "out of memory") : r;
    }
    *out = t;
    return 0;
}
