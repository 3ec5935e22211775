/* assgen.c - the one writer: cues -> libass track.
 *
 * The header (play size, wrap style, styles) goes through libass's own
 * parser; events are created in memory so their times keep milliseconds
 * (ASS text has 10 ms steps).
 *
 * Layout is done here, not left to libass: every page of text gets an
 * explicit \an and \pos inside the safe area, because a box drawn behind
 * the text (libass 0.17.1 has no rounded or translucent-without-artefacts
 * box of its own: BorderStyle 3 draws one box per glyph run, overlapping
 * where lines meet, and the libass-only BorderStyle 4 has square corners)
 * is a separate drawing event that must land exactly where the text is.
 * libass would move a caption out of the way of another one shown at the
 * same time, but not its box; so pages that overlap in time are stacked
 * here, the way libass stacks them.
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

#include "assgen.h"
#include "fontctx.h"
#include "sbuf.h"
#include "linebreak.h"
#include "measure.h"
#include "style.h"

/* Word markers put into the text before wrapping: "{\k<BASE+i>}" before
 * word i and "{\K<BASE+i>}" after it. Override blocks are never split and
 * take no width, and the wrapper does not repeat karaoke blocks on later
 * pages, so each marker comes out exactly once, where its word is. */
#define MARK_BASE 1000000000L
/* A pause shorter than this between two words keeps the first one
 * highlighted until the next starts (no flicker between words). */
#define HOLD_MS 250
/* The title and cover are shown whatever the time (source times start at
 * 0; 100 hours is longer than any clip, and still an ordinary ASS time
 * when the track is written out as text). */
#define ALWAYS_START 0LL
#define ALWAYS_DURATION (100LL * 3600 * 1000)

enum { LAYER_BOX = 0, LAYER_ACCENT = 1, LAYER_TEXT = 2 };

/* ASS colour &HBBGGRR& and alpha &HAA& (AA: 255 - opacity). */
static uint32_t ass_bgr(zimu_color c)
{
    return (uint32_t)c.b << 16 | (uint32_t)c.g << 8 | c.r;
}

static unsigned ass_alpha(zimu_color c)
{
    return 255u - c.a;
}

/* ------------------------------------------------------------------------
 * Styles resolved for the frame.
 */

typedef struct tstyle {
    const zimu_text_style *s;
    const char *name;      /* ASS style name */
    int index;             /* in the track */
    double fs, outline, shadow, spacing, pad, radius, accent, mv, mh;
    zimu_measure *m;
} tstyle;

typedef struct rect {
    double x0, y0, x1, y1;
} rect;

typedef struct placed {
    int64_t start, end;
    rect vis;
} placed;

typedef struct gen {
    zimu_ctx *c;
    ASS_Track *t;
    int W, H;
    double below_pic; /* y where captions below the picture start, or -1 */
    rect safe;
    zimu_safe_area sa;
    int highlight, max_lines;
    placed *pl;
    size_t npl, plcap;
    zimu_fonts *fonts;  /* NULL: measure with a db of the conf file's own */
    zimu_pages *pages;  /* NULL, or where the pages laid out are recorded */
} gen;

static int resolve(gen *g, tstyle *ts, const zimu_text_style *s, const char *name,
                   const char *conf)
{
    double L = g->W > g->H ? g->W : g->H;
    ts->s = s;
    ts->name = name;
    ts->fs = zimu__len_px(s->size, L);
    if (ts->fs < 1)
        ts->fs = 1;
    ts->outline = zimu__len_px(s->outline, L);
    ts->shadow = zimu__len_px(s->shadow, L);
    ts->spacing = zimu__len_px(s->spacing, L);
    ts->pad = zimu__len_px(s->box_padding, L);
    ts->radius = zimu__len_px(s->box_radius, L);
    ts->accent = s->accent_color.a ? zimu__len_px(s->accent_width, L) : 0;
    ts->mv = zimu__len_px(s->margin_v, g->H);
    ts->mh = zimu__len_px(s->margin_h, g->W);
    if (g->fonts)
        return zimu__fonts_measure(g->fonts, g->c, &ts->m, s->font, s->bold ? 1 : 0, ts->fs);
    return zimu__measure_new(g->c, &ts->m, s->font, s->bold ? 1 : 0, ts->fs, conf);
}

static void style_line(zimu_sbuf *h, const tstyle *ts)
{
    const zimu_text_style *s = ts->s;
    zimu__sb_printf(h, "Style: %s,%s,%.2f,&H%02X%06X,&H%02X%06X,&H%02X%06X,&H%02X%06X,%d,%d,0,0,"
                 "100,100,%.2f,0,1,%.2f,%.2f,2,0,0,0,1\n",
              ts->name, s->font, ts->fs, ass_alpha(s->color), ass_bgr(s->color),
              ass_alpha(s->highlight_color), ass_bgr(s->highlight_color),
              ass_alpha(s->outline_color), ass_bgr(s->outline_color),
              ass_alpha(s->shadow_color), ass_bgr(s->shadow_color), s->bold ? -1 : 0,
              s->italic ? -1 : 0, ts->spacing, ts->outline, ts->shadow);
}

/* ------------------------------------------------------------------------
 * Placement.
 */

typedef struct block {
    int an;             /* \an of the text */
    double x, y;        /* its \pos */
    rect vis;           /* everything drawn: box, or text and outline */
    rect text;          /* the lines' advance box */
    int has_box;
    int down;           /* stacked downwards (top-anchored) */
} block;

/* How far what is drawn reaches past the text's advance box on each side:
 * the outline and shadow (and a pixel or two of glyph overhang), or the
 * box padding, which must cover the outline. */
static void extents(const tstyle *ts, double *l, double *r, double *t, double *b)
{
    double o = ts->outline, sh = ts->shadow;
    if (ts->s->box == ZIMU__BOX_NONE) {
        *l = *t = o + 2;
        *r = *b = o + sh + 2;
    } else {
        double p = ts->pad > o + sh + 2 ? ts->pad : o + sh + 2;
        *l = *r = *t = *b = p;
    }
}

/* The extra height a popped (scaled) word adds to its line. */
static double pop_extra(const tstyle *ts, int hl)
{
    int scale = ts->s->highlight_scale;
    return hl && scale > 100 ? ts->fs * (scale - 100) / 100.0 : 0;
}

/* The region a style's blocks stay in: the safe area inside the style's
 * margins; for centred text, narrowed to be symmetric about the frame's
 * centre, so that centred captions are centred on the screen. The cover
 * also stays inside the middle 3:4 of a vertical frame, what the apps'
 * profile grids show of a cover. */
static rect region(const gen *g, const tstyle *ts, int an, int cover)
{
    rect R = g->safe;
    R.x0 += ts->mh;
    R.x1 -= ts->mh;
    R.y0 += ts->mv;
    R.y1 -= ts->mv;
    if (cover && g->H > g->W) {
        double ch = g->W * 4.0 / 3.0, y0 = (g->H - ch) / 2;
        if (R.y0 < y0)
            R.y0 = y0;
        if (R.y1 > y0 + ch)
            R.y1 = y0 + ch;
    }
    if ((an - 1) % 3 == 1) {
        double m = R.x0 > g->W - R.x1 ? R.x0 : g->W - R.x1;
        R.x0 = m;
        R.x1 = g->W - m;
    }
    if (R.x1 < R.x0 + 1)
        R.x1 = R.x0 + 1;
    if (R.y1 < R.y0 + 1)
        R.y1 = R.y0 + 1;
    return R;
}

/* The width lines may take in region R. */
static double text_width(const tstyle *ts, rect R)
{
    double l, r, t, b;
    extents(ts, &l, &r, &t, &b);
    double w = ts->s->box == ZIMU__BOX_BAR ? (R.x1 - R.x0) - ts->accent - 2 * l
                                           : (R.x1 - R.x0) - l - r;
    return w > 1 ? w : 1;
}

/* Place a text block tw x th for alignment an in region R (or at the
 * anchor px, py when px >= 0). A bottom-aligned block hangs from top_at
 * instead (>= 0) when it fits between there and the region's bottom. */
static void place(const tstyle *ts, rect R, int an, double tw, double th, double px,
                  double py, int hl, double top_at, block *bk)
{
    double l, r, t, b;
    extents(ts, &l, &r, &t, &b);
    double pe = pop_extra(ts, hl);
    int col = (an - 1) % 3, row = (an - 1) / 3; /* row 0 bottom, 1 middle, 2 top */
    int bar = ts->s->box == ZIMU__BOX_BAR && px < 0;
    double ax0 = bar ? R.x0 + ts->accent + l : R.x0 + l;
    double ax1 = bar ? R.x1 - r : R.x1 - r;
    double x, y;
    if (px >= 0) {
        x = px;
        y = py;
    } else {
        x = col == 0 ? ax0 : col == 1 ? (ax0 + ax1) / 2 : ax1;
        y = row == 0 ? R.y1 - b : row == 2 ? R.y0 + t + pe : (R.y0 + t + pe + R.y1 - b) / 2;
        if (row == 0 && top_at >= R.y0 && top_at + t + pe + th + b <= R.y1) {
            y = top_at + t + pe + th;
            bk->down = 1;
        }
    }
    x = round(x);
    y = round(y);
    double tx0 = col == 0 ? x : col == 1 ? x - tw / 2 : x - tw;
    double ty0 = row == 0 ? y - th : row == 2 ? y : y - th / 2;
    bk->down = row == 2 || (bk->down && px < 0 && row == 0);
    bk->an = an;
    bk->x = x;
    bk->y = y;
    bk->has_box = ts->s->box != ZIMU__BOX_NONE && ts->s->box_color.a;
    bk->vis = (rect){tx0 - l, ty0 - t - pe, tx0 + tw + r, ty0 + th + b};
    bk->text = (rect){tx0, ty0, tx0 + tw, ty0 + th};
    if (bar) {
        bk->vis.x0 = R.x0;
        bk->vis.x1 = R.x1;
    }
    if (bk->has_box) { /* whole pixels: crisp edges */
        bk->vis.x0 = floor(bk->vis.x0);
        bk->vis.y0 = floor(bk->vis.y0);
        bk->vis.x1 = ceil(bk->vis.x1);
        bk->vis.y1 = ceil(bk->vis.y1);
    }
    if (px < 0) {
        /* rounding to whole pixels must not push it out of the region */
        double dx = bk->vis.x1 > R.x1 ? -ceil(bk->vis.x1 - R.x1)
                  : bk->vis.x0 < R.x0 ? ceil(R.x0 - bk->vis.x0) : 0;
        double dy = bk->vis.y1 > R.y1 ? -ceil(bk->vis.y1 - R.y1)
                  : bk->vis.y0 < R.y0 ? ceil(R.y0 - bk->vis.y0) : 0;
        if (bar)
            dx = 0;
        bk->x += dx;
        bk->vis.x0 += dx;
        bk->vis.x1 += dx;
        bk->text.x0 += dx;
        bk->text.x1 += dx;
        bk->y += dy;
        bk->vis.y0 += dy;
        bk->vis.y1 += dy;
        bk->text.y0 += dy;
        bk->text.y1 += dy;
        if (bar) { /* a bar is the region's width, inside it */
            bk->vis.x0 = ceil(R.x0);
            bk->vis.x1 = floor(R.x1);
        }
    }
}

static void shift(block *bk, double dy)
{
    bk->y += dy;
    bk->vis.y0 += dy;
    bk->vis.y1 += dy;
    bk->text.y0 += dy;
    bk->text.y1 += dy;
}

/* Move a block clear of the blocks shown during [start, end): up for
 * bottom and middle alignment, down for top, as libass does. */
static void stack(gen *g, block *bk, int64_t start, int64_t end, double gap)
{
    int down = bk->down;
    for (size_t guard = 0; guard <= g->npl; guard++) {
        int moved = 0;
        for (size_t i = 0; i < g->npl; i++) {
            const placed *p = &g->pl[i];
            if (p->end <= start || p->start >= end)
                continue;
            if (p->vis.x1 <= bk->vis.x0 || p->vis.x0 >= bk->vis.x1)
                continue;
            if (p->vis.y1 + gap <= bk->vis.y0 || p->vis.y0 - gap >= bk->vis.y1)
                continue;
            shift(bk, down ? p->vis.y1 + gap - bk->vis.y0 : p->vis.y0 - gap - bk->vis.y1);
            moved = 1;
        }
        if (!moved)
            break;
    }
}

static int remember(gen *g, const block *bk, int64_t start, int64_t end)
{
    /* blocks that ended before this one started no longer matter (pages
     * come in start order) */
    size_t k = 0;
    for (size_t i = 0; i < g->npl; i++)
        if (g->pl[i].end > start)
            g->pl[k++] = g->pl[i];
    g->npl = k;
    if (g->npl == g->plcap) {
        size_t cap = g->plcap ? g->plcap * 2 : 16;
        placed *p = realloc(g->pl, cap * sizeof *p);
        if (!p)
            return ZIMU_ENOMEM;
        g->pl = p;
        g->plcap = cap;
    }
    g->pl[g->npl++] = (placed){start, end, bk->vis};
    return 0;
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

/* The box (and accent) behind a block, shown during [start, end). */
static int add_box(gen *g, const tstyle *ts, int box_style, const block *bk, int64_t start,
                   int64_t end)
{
    if (!bk->has_box)
        return 0;
    const zimu_text_style *s = ts->s;
    double radius = s->box == ZIMU__BOX_ROUNDED ? ts->radius : 0;
    /* libass's antialiasing reaches a pixel past a drawing's edges */
    rect v = {bk->vis.x0 + 1, bk->vis.y0 + 1, bk->vis.x1 - 1, bk->vis.y1 - 1};
    int r = add_event(g->t, LAYER_BOX, box_style, start, end, drawing(v, radius,
                                                                       s->box_color));
    if (r == 0 && ts->accent >= 1) {
        rect a = v;
        a.x1 = a.x0 + round(ts->accent);
        r = add_event(g->t, LAYER_ACCENT, box_style, start, end, drawing(a, 0,
                                                                          s->accent_color));
    }
    return r;
}

/* ------------------------------------------------------------------------
 * Wrapping.
 */

/* Code points of a line outside override blocks (libass adds the letter
 * spacing after each glyph). */
static size_t count_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '{') {
            const char *e = memchr(s + i, '}', n - i);
            if (e) {
                i = (size_t)(e - s);
                continue;
            }
        }
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return k;
}

static size_t marker_at(const char *s, long *word, int *is_end);

/* How much wider a line gets when its widest marked word is popped to
 * scale percent. */
static double pop_width(const tstyle *ts, const char *s, size_t n, int scale)
{
    if (scale <= 100)
        return 0;
    double widest = 0;
    const char *word = NULL;
    for (size_t i = 0; i < n; i++) {
        long w;
        int end;
        size_t len = s[i] == '{' ? marker_at(s + i, &w, &end) : 0;
        if (!len)
            continue;
        if (word) {
            size_t wn = (size_t)(s + i - word);
            double ww = zimu__measure_text(ts->m, word, wn) +
                        ts->spacing * (double)count_chars(word, wn);
            if (ww > widest)
                widest = ww;
        }
        word = end ? NULL : s + i + len;
        i += len - 1;
    }
    if (word) { /* a word that goes on to the next line */
        size_t wn = (size_t)(s + n - word);
        double ww = zimu__measure_text(ts->m, word, wn) +
                    ts->spacing * (double)count_chars(word, wn);
        if (ww > widest)
            widest = ww;
    }
    return widest * (scale - 100) / 100.0;
}

/* Widest line of a page, with letter spacing and, for scale > 100, with
 * its widest word popped. */
static double page_width(const tstyle *ts, const char *text, int *lines, int scale)
{
    double widest = 0;
    *lines = 0;
    for (const char *s = text;;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        double w = zimu__measure_text(ts->m, s, n) + ts->spacing * (double)count_chars(s, n) +
                   pop_width(ts, s, n, scale);
        if (w > widest)
            widest = w;
        ++*lines;
        if (!e)
            break;
        s = e + 1;
    }
    return widest;
}

/* Wrap to max_w, narrower again while letter spacing or a popped word
 * makes a line too wide. */
static int wrap(gen *g, const tstyle *ts, const char *text, double max_w, int max_lines,
                int scale, zimu_wrap_result *w)
{
    double target = max_w;
    for (int attempt = 0;; attempt++) {
        int r = zimu__wrap(g->c, ts->m, text, strlen(text), target, max_lines, w);
        if (r < 0 || (ts->spacing <= 0 && scale <= 100))
            return r;
        double worst = 0;
        for (size_t p = 0; p < w->n_pages; p++) {
            int lines;
            double pw = page_width(ts, w->pages[p].text, &lines, scale);
            if (pw > worst)
                worst = pw;
        }
        if (worst <= max_w + 1e-6 || attempt == 4 || target < ts->fs)
            return 0;
        zimu__wrap_free(w);
        target -= worst - max_w + 1;
        if (target < 1)
            target = 1;
    }
}

/* ------------------------------------------------------------------------
 * Word highlight.
 */

/* Cue text with the word markers in, and any karaoke tags of the source
 * taken out (the highlight is drawn here instead). NULL when out of
 * memory. */
static char *marked_text(const zimu_cue *cue)
{
    zimu_sbuf b = {0};
    const char *s = cue->text;
    size_t n = strlen(s);
    for (size_t i = 0; i <= n; i++) {
        for (size_t w = cue->n_words; w-- > 0;) { /* ends before starts */
            const zimu_word *wd = &cue->words[w];
            if (wd->len && wd->off + wd->len == i && wd->off + wd->len <= n)
                zimu__sb_printf(&b, "{\\K%ld}", MARK_BASE + (long)w);
        }
        for (size_t w = 0; w < cue->n_words; w++) {
            const zimu_word *wd = &cue->words[w];
            if (wd->len && wd->off == i && wd->off + wd->len <= n)
                zimu__sb_printf(&b, "{\\k%ld}", MARK_BASE + (long)w);
        }
        if (i == n)
            break;
        if (s[i] == '{') {
            const char *e = memchr(s + i, '}', n - i);
            if (e) {
                /* copy the block without \k \K \kf \ko tags */
                size_t j = i, end = (size_t)(e - s);
                zimu__sb_add(&b, "{", 1);
                j++;
                while (j < end) {
                    if (s[j] == '\\' && j + 1 < end && (s[j + 1] == 'k' || s[j + 1] == 'K')) {
                        size_t q = j + 2;
                        if (q < end && (s[q] == 'f' || s[q] == 'o'))
                            q++;
                        if (q < end && s[q] >= '0' && s[q] <= '9') {
                            while (q < end && s[q] != '\\')
                                q++;
                            j = q;
                            continue;
                        }
                    }
                    zimu__sb_add(&b, s + j, 1);
                    j++;
                }
                zimu__sb_add(&b, "}", 1);
                /* words never start inside a block; move past it */
                i = end;
                continue;
            }
        }
        zimu__sb_add(&b, s + i, 1);
    }
    return zimu__sb_take(&b);
}

/* A marker block at s ("{\k123}" or "{\K123}"): its length, the word and
 * whether it ends the word; 0 if the block is not a marker. */
static size_t marker_at(const char *s, long *word, int *is_end)
{
    if (s[0] != '{' || s[1] != '\\' || (s[2] != 'k' && s[2] != 'K'))
        return 0;
    char *e;
    long v = strtol(s + 3, &e, 10);
    if (e == s + 3 || *e != '}' || v < MARK_BASE)
        return 0;
    *word = v - MARK_BASE;
    *is_end = s[2] == 'K';
    return (size_t)(e - s) + 1;
}

/* Words whose start marker is in text, in order; returns their count. */
static size_t page_words(const char *text, long *out, size_t max)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        long w;
        int end;
        size_t len = marker_at(p, &w, &end);
        if (len && !end && n < max)
            out[n++] = w;
        if (len)
            p += len - 1;
    }
    return n;
}

/* Event text of a page: placement, then the text with '\n' as \N and the
 * markers replaced by highlight tags. Words (by page position) up to
 * `filled` are coloured in fill mode; word `current` in either mode, and
 * popped. -1: none. */
static char *page_event_text(const tstyle *ts, const block *bk, const char *text,
                             const long *pw, size_t npw, long filled, long current)
{
    const zimu_text_style *s = ts->s;
    zimu_sbuf b = {0};
    zimu__sb_printf(&b, "{\\an%d\\pos(%.0f,%.0f)}", bk->an, bk->x, bk->y);
    size_t on = 0; /* the word now coloured, + 1 */
    for (const char *p = text; *p; p++) {
        long w;
        int end;
        size_t len = marker_at(p, &w, &end);
        if (len) {
            long q = -1;
            for (size_t k = 0; k < npw; k++)
                if (pw[k] == w)
                    q = (long)k;
            if (!end && q >= 0 &&
                (q == current || (s->highlight_mode == ZIMU__HL_FILL && q <= filled))) {
                zimu__sb_printf(&b, "{\\1c&H%06X&\\1a&H%02X&", ass_bgr(s->highlight_color),
                          ass_alpha(s->highlight_color));
                if (q == current && s->highlight_scale > 100)
                    zimu__sb_printf(&b, "\\fscx%d\\fscy%d", s->highlight_scale, s->highlight_scale);
                zimu__sb_add(&b, "}", 1);
                on = (size_t)w + 1;
            } else if (end && on == (size_t)w + 1) {
                zimu__sb_printf(&b, "{\\1c&H%06X&\\1a&H%02X&\\fscx100\\fscy100}", ass_bgr(s->color),
                          ass_alpha(s->color));
                on = 0;
            }
            p += len - 1;
        } else if (*p == '\n') {
            zimu__sb_add(&b, "\\N", 2);
        } else if (*p != '\r') {
            zimu__sb_add(&b, p, 1);
        }
    }
    return zimu__sb_take(&b);
}

/* The page's events: one, or one per highlight state. */
static int add_page_events(gen *g, const tstyle *ts, int layer, const zimu_cue *cue,
                           const char *text, const block *bk, int64_t start, int64_t end,
                           int hl)
{
    long *pw = NULL;
    size_t npw = 0;
    if (hl) {
        pw = malloc(cue->n_words * sizeof *pw);
        if (!pw)
            return ZIMU_ENOMEM;
        npw = page_words(text, pw, cue->n_words);
    }
    int r = 0;
    if (!npw) {
        r = add_event(g->t, layer, ts->index, start, end,
                      page_event_text(ts, bk, text, pw, 0, -1, -1));
        free(pw);
        return r;
    }
    int64_t t = start;
    for (size_t q = 0; q <= npw && r == 0; q++) {
        /* from t to the start of word q: the state after word q - 1 */
        int64_t ws = q < npw ? cue->words[pw[q]].start_ms : end;
        if (ws > end)
            ws = end;
        if (ws > t) {
            r = add_event(g->t, layer, ts->index, t, ws,
                          page_event_text(ts, bk, text, pw, npw, (long)q - 1, -1));
            t = ws;
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
        if (we > t) {
            r = add_event(g->t, layer, ts->index, t, we,
                          page_event_text(ts, bk, text, pw, npw, (long)q, (long)q));
            t = we;
        }
    }
    free(pw);
    return r;
}

/* ------------------------------------------------------------------------
 * Cues and the title.
 */

/* Lay out one text (a cue, or the title) over [start, end): wrap, split
 * into pages, place, stack, and add its boxes and text events. */
/* ------------------------------------------------------------------------
 * The layout as data.
 */

void zimu__pages_clear(zimu_pages *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        for (size_t k = 0; k < p->v[i].n_lines; k++)
            free(p->v[i].lines[k].text);
        free(p->v[i].lines);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* Record a placed page: its lines without override blocks, each measured
 * and aligned in the block's text box as libass aligns lines. */
static int record_page(gen *g, const tstyle *ts, const block *bk, const char *text,
                       int64_t start, int64_t end)
{
    zimu_pages *P = g->pages;
    if (!P)
        return 0;
    if (P->n == P->cap) {
        size_t cap = P->cap ? P->cap * 2 : 16;
        zimu_page *v = realloc(P->v, cap * sizeof *v);
        if (!v)
            return ZIMU_ENOMEM;
        P->v = v;
        P->cap = cap;
    }
    zimu_page *pg = &P->v[P->n];
    *pg = (zimu_page){start, end, bk->text.x0, bk->text.y0, bk->text.x1 - bk->text.x0,
                      bk->text.y1 - bk->text.y0, NULL, 0};
    size_t nl = 1;
    for (const char *q = text; *q; q++)
        nl += *q == '\n';
    if (!(pg->lines = calloc(nl, sizeof *pg->lines)))
        return ZIMU_ENOMEM;
    P->n++;
    int col = (bk->an - 1) % 3;
    const char *q = text;
    for (size_t k = 0; k < nl; k++) {
        const char *e = strchr(q, '\n');
        size_t n = e ? (size_t)(e - q) : strlen(q);
        zimu_sbuf b = {0};
        for (size_t i = 0; i < n; i++) {
            const char *close = q[i] == '{' ? memchr(q + i, '}', n - i) : NULL;
            if (close)
                i = (size_t)(close - q);
            else
                zimu__sb_addc(&b, q[i]);
        }
        char *line = zimu__sb_take(&b);
        if (!line)
            return ZIMU_ENOMEM;
        double w = zimu__measure_text(ts->m, q, n);
        zimu_page_line *L = &pg->lines[pg->n_lines++];
        L->text = line;
        L->w = w;
        L->h = ts->fs;
        L->x = col == 0 ? pg->x : col == 1 ? pg->x + (pg->w - w) / 2 : pg->x + pg->w - w;
        L->y = pg->y + (double)k * ts->fs;
        q = e ? e + 1 : q + n;
    }
    return 0;
}

static int add_text(gen *g, const tstyle *ts, int box_style, const zimu_cue *cue,
                    const char *text, int max_lines, int64_t start, int64_t end, int cover)
{
    if (end <= start)
        return 0;
    int an = cue && cue->align >= 1 && cue->align <= 9 ? cue->align : ts->s->align;
    int positioned = cue && cue->pos_x >= 0 && cue->pos_y >= 0;
    int hl = g->highlight && cue && cue->n_words;
    rect R = region(g, ts, an, cover);
    zimu_wrap_result w = {0};
    int scale = hl ? ts->s->highlight_scale : 100;
    int r = wrap(g, ts, text, text_width(ts, R), max_lines, scale, &w);
    if (r < 0)
        return r;
    /* With word timings, pages change when their first word starts;
     * otherwise in proportion to their length. */
    int64_t *ps = calloc(w.n_pages + 1, sizeof *ps);
    long *pw = hl ? malloc(cue->n_words * sizeof *pw) : NULL;
    if (!ps || (hl && !pw)) {
        free(ps);
        free(pw);
        zimu__wrap_free(&w);
        return ZIMU_ENOMEM;
    }
    double acc = 0;
    ps[0] = start;
    for (size_t p = 1; p <= w.n_pages; p++) {
        acc += w.pages[p - 1].weight;
        ps[p] = p == w.n_pages ? end : start + llround(acc * (double)(end - start));
        if (hl && p < w.n_pages &&
            page_words(w.pages[p].text, pw, cue->n_words)) {
            int64_t ws = cue->words[pw[0]].start_ms;
            if (ws > ps[p - 1] && ws < end)
                ps[p] = ws;
        }
        if (ps[p] < ps[p - 1])
            ps[p] = ps[p - 1];
    }
    free(pw);
    for (size_t p = 0; p < w.n_pages && r == 0; p++) {
        if (ps[p + 1] <= ps[p])
            continue;
        int lines;
        double tw = page_width(ts, w.pages[p].text, &lines, scale);
        double th = lines * ts->fs;
        /* Below the picture only when a full page (max_lines) fits there,
         * so that captions do not jump between the two places. */
        double el, er, et, eb, top_at = -1;
        extents(ts, &el, &er, &et, &eb);
        if (cue && g->below_pic >= 0 &&
            g->below_pic + et + pop_extra(ts, hl) + g->max_lines * ts->fs + eb <= R.y1)
            top_at = g->below_pic;
        block bk = {0};
        place(ts, R, an, tw, th, positioned ? cue->pos_x * g->W : -1,
              positioned ? cue->pos_y * g->H : -1, hl, top_at, &bk);
        if (!positioned) {
            stack(g, &bk, ps[p], ps[p + 1], ts->fs * 0.15);
            r = remember(g, &bk, ps[p], ps[p + 1]);
        }
        if (r == 0)
            r = add_box(g, ts, box_style, &bk, ps[p], ps[p + 1]);
        if (r == 0)
            r = add_page_events(g, ts, LAYER_TEXT + (cue ? cue->layer : 0), cue,
                                w.pages[p].text, &bk, ps[p], ps[p + 1], hl);
        if (r == 0)
            r = record_page(g, ts, &bk, w.pages[p].text, ps[p], ps[p + 1]);
    }
    free(ps);
    zimu__wrap_free(&w);
    return r;
}

static int add_cue(gen *g, const tstyle *ts, int box_style, const zimu_cue *cue)
{
    if (cue->end_ms <= cue->start_ms || !cue->text)
        return 0;
    if (!(g->highlight && cue->n_words))
        return add_text(g, ts, box_style, cue, cue->text, g->max_lines, cue->start_ms,
                        cue->end_ms, 0);
    char *m = marked_text(cue);
    if (!m)
        return ZIMU_ENOMEM;
    int r = add_text(g, ts, box_style, cue, m, g->max_lines, cue->start_ms, cue->end_ms, 0);
    free(m);
    return r;
}

/* Cue order by start time (stable), for stacking. */
static size_t *start_order(const zimu_cues *cues)
{
    size_t *ix = malloc((cues->n ? cues->n : 1) * sizeof *ix);
    if (!ix)
        return NULL;
    for (size_t i = 0; i < cues->n; i++) {
        size_t j = i;
        while (j > 0 && cues->v[ix[j - 1]].start_ms > cues->v[i].start_ms) {
            ix[j] = ix[j - 1];
            j--;
        }
        ix[j] = i;
    }
    return ix;
}

int zimu__assgen_track(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                       const zimu_layout *lay, ASS_Track **out)
{
    *out = NULL;
    if (lay->width < 1 || lay->height < 1)
        return zimu__fail(c, ZIMU_EINVAL, "frame size %dx%d is not valid", lay->width,
                          lay->height);
    const zimu_capopts *cap = lay->cap;
    gen g = {.c = c, .W = lay->width, .H = lay->height, .fonts = lay->fonts,
             .pages = lay->pages};
    zimu_style st;
    int r = zimu__style_resolve(c, cap, lay->font, &st);
    if (r < 0)
        return r;
    if ((r = zimu__safe_area(c, cap ? cap->safe_area : NULL, g.W, g.H, &g.sa)) < 0)
        return r;
    g.safe = (rect){g.sa.left * g.W, g.sa.top * g.H, g.W - g.sa.right * g.W,
                    g.H - g.sa.bottom * g.H};
    g.max_lines = cap && cap->max_lines > 0 ? cap->max_lines : 2;
    /* A picture with room below it inside the safe area (a landscape clip
     * on a vertical frame): captions start just below it. */
    g.below_pic = -1;
    if (g.H > g.W && lay->pic_w > 0 && lay->pic_h > 0 && lay->pic_h < g.H * 0.8) {
        double y = lay->pic_y + lay->pic_h + 0.015 * g.H;
        if (y < g.safe.y1 - 0.05 * g.H)
            g.below_pic = y;
    }
    g.highlight = (cap && cap->highlight) || st.caption.highlight;
    const char *title = cap && cap->title && *cap->title ? cap->title : NULL;

    tstyle ts[3] = {{0}};
    const char *names[3] = {"Caption", "Title", "Cover"};
    const zimu_text_style *src[3] = {&st.caption, &st.title, &st.cover};
    for (int i = 0; i < 3 && r == 0; i++)
        r = resolve(&g, &ts[i], src[i], names[i], lay->fonts_conf);
    if (r < 0)
        goto done;

    zimu_sbuf h = {0};
    zimu__sb_printf(&h, "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
                  "WrapStyle: 2\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n",
              g.W, g.H);
    zimu__sb_adds(&h, "[V4+ Styles]\n" ZIMU__ASS_STYLE_FORMAT);
    for (int i = 0; i < 3; i++)
        style_line(&h, &ts[i]);
    zimu__sb_printf(&h, "Style: Box,%s,20,&H00000000,&H00000000,&H00000000,&H00000000,0,0,0,0,"
                  "100,100,0,0,1,0,0,7,0,0,0,1\n\n", st.caption.font);
    zimu__sb_adds(&h, "[Events]\n" ZIMU__ASS_EVENT_FORMAT);
    char *hs = zimu__sb_take(&h);
    g.t = hs ? ass_new_track(lib) : NULL;
    if (!g.t) {
        free(hs);
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        goto done;
    }
    ass_process_codec_private(g.t, hs, (int)strlen(hs));
    free(hs);
    int box_style = 0;
    for (int s = 0; s < g.t->n_styles; s++) {
        const char *nm = g.t->styles[s].Name;
        for (int i = 0; i < 3; i++)
            if (nm && !strcmp(nm, names[i]))
                ts[i].index = s;
        if (nm && !strcmp(nm, "Box"))
            box_style = s;
    }
    g.t->default_style = ts[0].index;

    if (lay->mode == ZIMU__LAYOUT_COVER) {
        if (title)
            r = add_text(&g, &ts[2], box_style, NULL, title, 0, ALWAYS_START,
                         ALWAYS_START + ALWAYS_DURATION, 1);
    } else {
        /* The title first: captions at the top are stacked below it. */
        if (title)
            r = add_text(&g, &ts[1], box_style, NULL, title, 0, ALWAYS_START,
                         ALWAYS_START + ALWAYS_DURATION, 0);
        if (r == 0 && lay->mode == ZIMU__LAYOUT_CAPTIONS && cues && cues->n) {
            size_t *ix = start_order(cues);
            if (!ix)
                r = ZIMU_ENOMEM;
            for (size_t i = 0; ix && i < cues->n && r == 0; i++)
                r = add_cue(&g, &ts[0], box_style, &cues->v[ix[i]]);
            free(ix);
        }
    }
    if (r == ZIMU_ENOMEM)
        zimu__fail(c, r, "out of memory");
done:
    for (int i = 0; i < 3; i++)
        zimu__measure_free(&ts[i].m);
    free(g.pl);
    if (r < 0) {
        if (g.t)
            ass_free_track(g.t);
        return r;
    }
    *out = g.t;
    return 0;
}
