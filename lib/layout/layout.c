/* layout.c - captions laid out on the frame, as data (layout.h).
 *
 * Layout is done here, not left to libass: every page of text gets an
 * explicit alignment and anchor point inside the safe area, because a box
 * drawn behind the text (libass 0.17.1 has no rounded or
 * translucent-without-artefacts box of its own: BorderStyle 3 draws one
 * box per glyph run, overlapping where lines meet, and the libass-only
 * BorderStyle 4 has square corners) is a separate drawing that must land
 * exactly where the text is. libass would move a caption out of the way of
 * another one shown at the same time, but not its box; so pages that
 * overlap in time are stacked here, the way libass stacks them.
 *
 * Text is measured with the widths libass will use (measure.h): with the
 * font context's db, or with a db of a fontconfig file's own. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyword.h"
#include "layout.h"
#include "linebreak.h"
#include "measure.h"
#include "sbuf.h"
#include "shown.h"

/* Word markers put into the text before wrapping: "{\k<BASE+i>}" before
 * word i and "{\K<BASE+i>}" after it. Override blocks are never split and
 * take no width, and the wrapper does not repeat karaoke blocks on later
 * pages, so each marker comes out exactly once, where its word is. */
#define MARK_BASE 1000000000L
/* The title and cover are shown whatever the time (source times start at
 * 0; 100 hours is longer than any clip, and still an ordinary ASS time
 * when the track is written out as text). */
#define ALWAYS_START 0LL
#define ALWAYS_DURATION (100LL * 3600 * 1000)

typedef zimu_lrect rect;

typedef struct placed {
    int64_t start, end;
    rect vis;
} placed;

typedef struct gen {
    zimu_ctx *c;
    int W, H;
    double below_pic; /* y where captions below the picture start, or -1 */
    rect safe;
    zimu_safe_area sa;
    int highlight, max_lines;
    placed *pl;
    size_t npl, plcap;
    zimu_fonts *fonts;  /* NULL: measure with a db of the conf file's own */
    zimu_lstyle *ts;    /* the styles, ZIMU__TS_N of them ... */
    zimu_measure *m[ZIMU__TS_N]; /* ... and their measurers */
    zimu_pages *pages;  /* where the pages laid out go */
    const char *conf;   /* fontconfig file to measure with */
    const char *font;   /* zimu_layout.font */
    int han_caption;    /* zimu_layout.han_caption, for looks */
    const zimu_style *st; /* the layout's style, looks start from */
    zimu_laid *laid;    /* its looks ... */
    zimu_measure **lm;  /* ... and their measurers */
    /* pages of text too long for their cue's time, not shown: how many,
     * in how many cues, and the first such cue (one warning) */
    long hidden, hidden_cues;
    const zimu_cue *hidden_first;
    size_t hidden_pages; /* its pages */
} gen;

/* ------------------------------------------------------------------------
 * Styles resolved for the frame.
 */

/* The flash-look lengths of a style (L: the frame's long side). */
static void resolve_look_keys(zimu_lstyle *ts, double L)
{
    const zimu_text_style *s = ts->s;
    ts->outline2 = s->outline2_color.a ? zimu__len_px(s->outline2, L) : 0;
    ts->glow = s->glow_color.a ? zimu__len_px(s->glow, L) : 0;
    ts->shadow_x = zimu__len_px(s->shadow_x, L);
    ts->shadow_y = zimu__len_px(s->shadow_y, L);
    /* the bubble's tail: as tall as a third of a line, at least the
     * corner radius so the box's corner does not eat it */
    ts->tail = s->box == ZIMU__BOX_BUBBLE ? fmax(ts->fs * 0.32, ts->radius) : 0;
    ts->first_scale = s->first_line_scale > 100 ? s->first_line_scale / 100.0 : 1;
}

static int resolve(gen *g, zimu_lstyle *ts, zimu_measure **m, const zimu_text_style *s,
                   const char *conf)
{
    double L = g->W > g->H ? g->W : g->H;
    ts->s = s;
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
    resolve_look_keys(ts, L);
    if (!m) /* the lengths only */
        return 0;
    if (g->fonts)
        return zimu__fonts_measure(g->fonts, g->c, m, s->font, s->bold ? 1 : 0, ts->fs);
    return zimu__measure_new(g->c, m, s->font, s->bold ? 1 : 0, ts->fs, conf);
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
static void look_extents(const zimu_lstyle *ts, double *l, double *r, double *t, double *b);

static void extents(const zimu_lstyle *ts, double *l, double *r, double *t, double *b)
{
    double o = ts->outline, sh = ts->shadow;
    if (ts->outline2 > 0 || ts->glow > 0 || ts->shadow_x > 0 || ts->shadow_y > 0) {
        look_extents(ts, l, r, t, b);
        return;
    }
    if (ts->s->box == ZIMU__BOX_NONE) {
        *l = *t = o + 2;
        *r = *b = o + sh + 2;
    } else {
        double p = ts->pad > o + sh + 2 ? ts->pad : o + sh + 2;
        *l = *r = *t = *b = p;
    }
    *b += ts->tail;
}

/* extents() for a flash look with a second outline, a glow or a hard
 * shadow: what reaches furthest past the advance box on each side. A
 * glow is drawn with \bord outline + glow / 2 and \blur glow / 2 (assgen.c),
 * whose faint tail reaches about the glow's width further. */
static void look_extents(const zimu_lstyle *ts, double *l, double *r, double *t, double *b)
{
    double o = ts->outline + ts->outline2;
    double g = ts->glow > 0 ? ts->outline + ts->glow * 1.6 : 0;
    double reach = (o > g ? o : g) + 2;
    double sx = ts->shadow_x, sy = ts->shadow_y;
    if (sx <= 0 && sy <= 0)
        sx = sy = ts->shadow;
    *l = *t = reach;
    *r = reach + sx;
    *b = reach + sy;
    if (ts->s->box != ZIMU__BOX_NONE) {
        if (ts->pad > *l) *l = ts->pad;
        if (ts->pad > *t) *t = ts->pad;
        if (ts->pad > *r) *r = ts->pad;
        if (ts->pad > *b) *b = ts->pad;
    }
    *b += ts->tail;
}

/* How much taller than the font size a line of a highlighted page is
 * drawn. A popped (scaled) word makes its line taller, and libass moves
 * the lines of a bottom-aligned page up when one grows: so every line of
 * such a page carries an invisible strut as tall as a popped word
 * (assgen.c), and lines stay where they are whichever word pops. */
static double pop_scale(const zimu_lstyle *ts, int hl)
{
    int scale = ts->s->highlight_scale;
    return hl && scale > 100 ? scale / 100.0 : 1;
}

/* The region a style's blocks stay in: the safe area inside the style's
 * margins; for centred text, narrowed to be symmetric about the frame's
 * centre, so that centred captions are centred on the screen. The cover
 * also stays inside the middle 3:4 of a vertical frame, what the apps'
 * profile grids show of a cover. */
static rect region(const gen *g, const zimu_lstyle *ts, int an, int cover)
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
static double text_width(const zimu_lstyle *ts, rect R)
{
    double l, r, t, b;
    extents(ts, &l, &r, &t, &b);
    double w = ts->s->box == ZIMU__BOX_BAR ? (R.x1 - R.x0) - ts->accent - 2 * l
                                           : (R.x1 - R.x0) - l - r;
    /* a box's edges go to whole pixels (place()), a pixel out each side
     * at most, and text as wide as the region must keep its box in it */
    if (ts->s->box != ZIMU__BOX_NONE && ts->s->box != ZIMU__BOX_BAR && ts->s->box_color.a)
        w -= 2;
    return w > 1 ? w : 1;
}

/* Place a text block tw x th for alignment an in region R (or at the
 * anchor px, py when px >= 0). A bottom-aligned block hangs from top_at
 * instead (>= 0) when it fits between there and the region's bottom. */
static void place(const zimu_lstyle *ts, rect R, int an, double tw, double th, double px,
                  double py, double top_at, block *bk)
{
    double l, r, t, b;
    extents(ts, &l, &r, &t, &b);
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
        y = row == 0 ? R.y1 - b : row == 2 ? R.y0 + t : (R.y0 + t + R.y1 - b) / 2;
        if (row == 0 && top_at >= R.y0 && top_at + t + th + b <= R.y1) {
            y = top_at + t + th;
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
    bk->vis = (rect){tx0 - l, ty0 - t, tx0 + tw + r, ty0 + th + b};
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

/* How much wider a line gets when its widest marked word is popped to
 * scale percent. */
static double pop_width(const zimu_lstyle *ts, zimu_measure *m, const char *s, size_t n,
                        int scale)
{
    if (scale <= 100)
        return 0;
    double widest = 0;
    const char *word = NULL;
    for (size_t i = 0; i < n; i++) {
        long w;
        int end;
        size_t len = s[i] == '{' ? zimu__mark_at(s + i, &w, &end) : 0;
        if (!len)
            continue;
        if (word) {
            size_t wn = (size_t)(s + i - word);
            double ww = zimu__measure_text(m, word, wn) +
                        ts->spacing * (double)count_chars(word, wn);
            if (ww > widest)
                widest = ww;
        }
        word = end ? NULL : s + i + len;
        i += len - 1;
    }
    if (word) { /* a word that goes on to the next line */
        size_t wn = (size_t)(s + n - word);
        double ww = zimu__measure_text(m, word, wn) +
                    ts->spacing * (double)count_chars(word, wn);
        if (ww > widest)
            widest = ww;
    }
    return widest * (scale - 100) / 100.0;
}

/* Widest line of a page, with letter spacing and, for scale > 100, with
 * its widest word popped. */
static double page_width(const zimu_lstyle *ts, zimu_measure *m, const char *text,
                         int *lines, int scale)
{
    double widest = 0;
    int key_open = 0, key_has = 0;
    *lines = 0;
    for (const char *s = text;;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        double w = zimu__measure_text(m, s, n) + ts->spacing * (double)count_chars(s, n) +
                   pop_width(ts, m, s, n, scale) +
                   zimu__key_line(m, s, n, ts->spacing, zimu__key_scale(ts->s), &key_open,
                                  &key_has);
        if (w > widest)
            widest = w;
        ++*lines;
        if (!e)
            break;
        s = e + 1;
    }
    return widest;
}

/* The height lines of a page take beyond lines x font size: a line with
 * a keyword is as high as the keyword's scale makes it. */
static double key_height(const zimu_lstyle *ts, zimu_measure *m, const char *text)
{
    if (!zimu__has_keys(text))
        return 0;
    int scale = zimu__key_scale(ts->s), open = 0;
    double extra = 0;
    for (const char *s = text;;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        int has = 0;
        zimu__key_line(m, s, n, ts->spacing, scale, &open, &has);
        if (has && scale > 100)
            extra += ts->fs * (scale - 100) / 100.0;
        if (!e)
            return extra;
        s = e + 1;
    }
}

/* Wrap to max_w, narrower again while letter spacing, a popped word or a
 * keyword makes a line too wide. */
static int wrap(gen *g, const zimu_lstyle *ts, zimu_measure *m, const char *text,
                double max_w, int max_lines, int scale, zimu_wrap_result *w)
{
    double target = max_w;
    for (int attempt = 0;; attempt++) {
        int r = zimu__wrap(g->c, m, text, strlen(text), target, max_lines, w);
        if (r < 0 || (ts->spacing <= 0 && scale <= 100 && !zimu__has_keys(text)))
            return r;
        double worst = 0;
        for (size_t p = 0; p < w->n_pages; p++) {
            int lines;
            double pw = page_width(ts, m, w->pages[p].text, &lines, scale);
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
 * Flash looks: a cue's own look, and a big first line.
 */

/* The look settings of a cue (cue->look) on top of lk->st (the layout's
 * style): "base=NAME,key=value,...", or a bare preset name first. */
static int parse_look(gen *g, const zimu_cue *cue, long ci, zimu_look *lk)
{
    char where[64];
    snprintf(where, sizeof where, zimu__tr("cue %ld look"), ci + 1);
    const char *p = lk->spec;
    for (int first = 1; *p; first = 0) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        const char *k = p, *v = eq ? eq + 1 : p;
        size_t kn = eq ? (size_t)(eq - p) : 0, vn = eq ? n - kn - 1 : n;
        while (kn && *k == ' ')
            k++, kn--;
        while (kn && k[kn - 1] == ' ')
            kn--;
        while (vn && *v == ' ')
            v++, vn--;
        while (vn && v[vn - 1] == ' ')
            vn--;
        char key[64], val[512];
        if (kn >= sizeof key || vn >= sizeof val || !vn || (eq && !kn))
            return zimu__fail(g->c, ZIMU_ESTYLE, "%s '%s': '%.*s' is not key=value or a "
                              "preset name", where, lk->spec, (int)(n > 60 ? 60 : n), p);
        memcpy(key, k, kn);
        key[kn] = 0;
        memcpy(val, v, vn);
        val[vn] = 0;
        int r;
        if (!eq || !strcmp(key, "base")) {
            if (!first)
                return zimu__fail(g->c, ZIMU_ESTYLE, "%s '%s': the preset (base) must come "
                                  "first", where, lk->spec);
            if (zimu__style_preset(val, &lk->st) < 0)
                return zimu__fail(g->c, ZIMU_ESTYLE, "%s '%s': '%s' is not a look or preset "
                                  "(%s)", where, lk->spec, val, zimu__style_preset_names());
            if (g->font && *g->font)
                snprintf(lk->st.caption.font, sizeof lk->st.caption.font, "%s", g->font);
            else
                zimu__style_han_faces(&lk->st, g->han_caption, ZIMU__HAN_UNSET);
            r = 0;
        } else {
            r = zimu__style_set(g->c, &lk->st, key, val, where);
        }
        if (r < 0)
            return r;
        p = end ? end + 1 : p + n;
    }
    return 0;
}

/* At most this many distinct looks in one layout (each is an ASS style;
 * finding a cue's look is linear in them). */
#define MAX_LOOKS 1000

/* The measurer of look n: one of an earlier look in the same font, weight
 * and size, or a new one. */
static int look_measurer(gen *g, size_t n)
{
    const zimu_lstyle *ts = &g->laid->looks[n]->ts;
    for (size_t j = 0; j < n; j++) {
        const zimu_lstyle *o = &g->laid->looks[j]->ts;
        if (o->fs == ts->fs && !o->s->bold == !ts->s->bold && !strcmp(o->s->font, ts->s->font)) {
            g->lm[n] = g->lm[j];
            return 0;
        }
    }
    if (g->fonts)
        return zimu__fonts_measure(g->fonts, g->c, &g->lm[n], ts->s->font, ts->s->bold ? 1 : 0,
                                   ts->fs);
    return zimu__measure_new(g->c, &g->lm[n], ts->s->font, ts->s->bold ? 1 : 0, ts->fs, g->conf);
}

/* Free the looks' measurers, each once. */
static void free_look_measurers(gen *g)
{
    for (size_t i = g->laid->n_looks; i-- > 0;) {
        int shared = 0;
        for (size_t j = 0; j < i && !shared; j++)
            shared = g->lm[j] == g->lm[i];
        if (!shared)
            zimu__measure_free(&g->lm[i]);
    }
    free(g->lm);
    g->lm = NULL;
}

/* The look of a cue: *look = -1 (none) or its index in g->laid->looks,
 * resolved (and measured with) once for every distinct look. */
static int cue_look(gen *g, const zimu_cue *cue, long ci, int *look)
{
    *look = -1;
    if (!cue->look || !*cue->look)
        return 0;
    zimu_laid *L = g->laid;
    for (size_t i = 0; i < L->n_looks; i++)
        if (!strcmp(L->looks[i]->spec, cue->look)) {
            *look = (int)i;
            return 0;
        }
    size_t n = L->n_looks;
    if (n >= MAX_LOOKS)
        return zimu__fail(g->c, ZIMU_ESTYLE, "cue %ld look '%s': more than %d different looks",
                          ci + 1, cue->look, MAX_LOOKS);
    zimu_measure **lm = realloc(g->lm, (n + 1) * sizeof *lm);
    if (lm)
        g->lm = lm;
    zimu_look **v = realloc(L->looks, (n + 1) * sizeof *v);
    if (v)
        L->looks = v;
    zimu_look *lk = lm && v ? calloc(1, sizeof *lk) : NULL;
    if (!lk || !(lk->spec = strdup(cue->look))) {
        free(lk);
        return ZIMU_ENOMEM;
    }
    g->lm[n] = NULL;
    lk->st = *g->st;
    int r = parse_look(g, cue, ci, lk);
    if (r == 0)
        r = resolve(g, &lk->ts, NULL, &lk->st.caption, g->conf);
    L->looks[n] = lk;
    if (r == 0)
        r = look_measurer(g, n);
    if (r < 0) {
        free(lk->spec);
        free(lk);
        return r;
    }
    L->n_looks = n + 1;
    *look = (int)n;
    return 0;
}

/* A page whose first lines are big starts with FIRST_ON (the scale in
 * percent, twice) and its first normal line with FIRST_OFF. */
#define FIRST_ON "{\\fscx%d\\fscy%d}"
#define FIRST_OFF "{\\fscx100\\fscy100}"

/* How many lines at the start of a page's text are big. */
static size_t first_lines(const zimu_lstyle *ts, const char *text)
{
    char on[48];
    int pct = ts->s->first_line_scale;
    snprintf(on, sizeof on, FIRST_ON, pct, pct);
    if (strncmp(text, on, strlen(on)))
        return 0;
    size_t n = 1;
    for (const char *q = text; (q = strchr(q, '\n')); q++) {
        if (!strncmp(q + 1, FIRST_OFF, strlen(FIRST_OFF)))
            break;
        n++;
    }
    return n;
}

/* Wrap a text whose first line (up to its first '\n', or all of it) is
 * drawn first_scale times larger: that part to the width divided by the
 * scale, the rest to the full width; the last page of the first part and
 * the first of the rest share a page when their lines fit. */
static int first_line_wrap(gen *g, const zimu_lstyle *ts, zimu_measure *m, const char *text,
                           double max_w, int max_lines, int scale, zimu_wrap_result *out)
{
    memset(out, 0, sizeof *out);
    const char *nl = strchr(text, '\n');
    size_t hn = nl ? (size_t)(nl - text) : strlen(text);
    char *head = strndup(text, hn);
    if (!head)
        return ZIMU_ENOMEM;
    zimu_wrap_result hw = {0}, tw = {0};
    int r = wrap(g, ts, m, head, max_w / ts->first_scale, max_lines, scale, &hw);
    free(head);
    if (r == 0 && nl)
        r = wrap(g, ts, m, nl + 1, max_w, max_lines, scale, &tw);
    if (r == 0 && !hw.n_pages) { /* nothing big: the rest as usual */
        *out = tw;
        memset(&tw, 0, sizeof tw);
    } else if (r == 0) {
        size_t last = hw.n_pages - 1, tn = nl ? strlen(nl + 1) : 0;
        double hs = tw.n_pages ? (double)hn / (double)(hn + tn) : 1;
        int merge = tw.n_pages &&
                    (max_lines <= 0 || hw.pages[last].n_lines + tw.pages[0].n_lines <= max_lines);
        size_t n = hw.n_pages + tw.n_pages - (size_t)merge;
        int pct = ts->s->first_line_scale;
        out->pages = calloc(n, sizeof *out->pages);
        for (size_t p = 0; out->pages && p < n; p++) {
            zimu_wrap_page *wp = &out->pages[p];
            zimu_sbuf b = {0};
            if (p < hw.n_pages) {
                zimu__sb_printf(&b, FIRST_ON "%s", pct, pct, hw.pages[p].text);
                wp->n_lines = hw.pages[p].n_lines;
                wp->weight = hw.pages[p].weight * hs;
            }
            size_t tp = p < hw.n_pages ? (p == last && merge ? 0 : SIZE_MAX)
                                       : p - hw.n_pages + (size_t)merge;
            if (tp != SIZE_MAX) {
                if (p < hw.n_pages)
                    zimu__sb_adds(&b, "\n" FIRST_OFF);
                zimu__sb_adds(&b, tw.pages[tp].text);
                wp->n_lines += tw.pages[tp].n_lines;
                wp->weight += tw.pages[tp].weight * (1 - hs);
            }
            if (!(wp->text = zimu__sb_take(&b)))
                break;
            wp->len = strlen(wp->text);
            out->n_pages = p + 1;
        }
        if (out->n_pages < n) {
            zimu__wrap_free(out);
            r = ZIMU_ENOMEM;
        }
    }
    zimu__wrap_free(&hw);
    zimu__wrap_free(&tw);
    return r;
}

/* The advance box of a page with big first lines (lines at least popf
 * times the font size high: pop_scale()). */
static void first_line_size(const zimu_lstyle *ts, zimu_measure *m, const char *text,
                            double popf, double *tw, double *th)
{
    size_t big = first_lines(ts, text), k = 0;
    *tw = *th = 0;
    for (const char *s = text;; k++) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        double w = zimu__measure_text(m, s, n) + ts->spacing * (double)count_chars(s, n);
        double f = k < big ? ts->first_scale : 1;
        if (w * f > *tw)
            *tw = w * f;
        *th += ts->fs * fmax(f, popf);
        if (!e)
            break;
        s = e + 1;
    }
}

/* A recorded page's line boxes when its first lines are big. */
static void first_line_boxes(const zimu_lstyle *ts, double popf, zimu_page *pg)
{
    size_t big = first_lines(ts, pg->text);
    int col = (pg->an - 1) % 3;
    double y = pg->y;
    for (size_t k = 0; k < pg->n_lines; k++) {
        zimu_page_line *L = &pg->lines[k];
        double f = k < big ? ts->first_scale : 1;
        L->w *= f;
        L->h = ts->fs * fmax(f, popf);
        L->y = y;
        L->x = col == 0 ? pg->x : col == 1 ? pg->x + (pg->w - L->w) / 2 : pg->x + pg->w - L->w;
        y += L->h;
    }
}

/* ------------------------------------------------------------------------
 * Word markers.
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

/* A marker block at s ("{\k123}" or "{\K123}"), or 0 if the block is not
 * a marker. */
size_t zimu__mark_at(const char *s, long *word, int *is_end)
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

size_t zimu__page_words(const char *text, long *out, size_t max)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        long w;
        int end;
        size_t len = zimu__mark_at(p, &w, &end);
        if (len && !end && n < max)
            out[n++] = w;
        if (len)
            p += len - 1;
    }
    return n;
}

/* ------------------------------------------------------------------------
 * The pages.
 */

static void page_free(zimu_page *pg)
{
    for (size_t k = 0; k < pg->n_lines; k++)
        free(pg->lines[k].text);
    free(pg->lines);
    free(pg->text);
}

void zimu__pages_clear(zimu_pages *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        page_free(&p->v[i]);
    free(p->v);
    memset(p, 0, sizeof *p);
}

int zimu__pages_move(zimu_pages *dst, zimu_pages *src)
{
    if (!src->n)
        return 0;
    if (!dst->n) {
        zimu__pages_clear(dst);
        *dst = *src;
        memset(src, 0, sizeof *src);
        return 0;
    }
    if (dst->cap - dst->n < src->n) {
        size_t cap = dst->n + src->n;
        zimu_page *v = realloc(dst->v, cap * sizeof *v);
        if (!v)
            return ZIMU_ENOMEM;
        dst->v = v;
        dst->cap = cap;
    }
    memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    free(src->v);
    memset(src, 0, sizeof *src);
    return 0;
}

/* Record a placed page: its text, placement and boxes, and its lines
 * without override blocks, each measured and aligned in the block's text
 * box as libass aligns lines. */
static int record_page(gen *g, int style, int look, long cue, int hl, const block *bk,
                       const char *text, double wrap_w, int64_t start, int64_t end)
{
    zimu_pages *P = g->pages;
    const zimu_lstyle *ts = look >= 0 ? &g->laid->looks[look]->ts : &g->ts[style];
    zimu_measure *lm = look >= 0 ? g->lm[look] : g->m[style];
    double popf = pop_scale(ts, hl);
    if (P->n == P->cap) {
        size_t cap = P->cap ? P->cap * 2 : 16;
        zimu_page *v = realloc(P->v, cap * sizeof *v);
        if (!v)
            return ZIMU_ENOMEM;
        P->v = v;
        P->cap = cap;
    }
    zimu_page *pg = &P->v[P->n];
    *pg = (zimu_page){.start_ms = start, .end_ms = end, .x = bk->text.x0, .y = bk->text.y0,
                      .w = bk->text.x1 - bk->text.x0, .h = bk->text.y1 - bk->text.y0,
                      .style = style, .cue = cue, .highlight = hl, .an = bk->an,
                      .pos_x = bk->x, .pos_y = bk->y, .vis = bk->vis, .has_box = bk->has_box,
                      .look = look, .wrap_w = wrap_w};
    size_t nl = 1;
    for (const char *q = text; *q; q++)
        nl += *q == '\n';
    pg->text = strdup(text);
    pg->lines = calloc(nl, sizeof *pg->lines);
    if (!pg->text || !pg->lines) {
        page_free(pg);
        return ZIMU_ENOMEM;
    }
    P->n++;
    int col = (bk->an - 1) % 3;
    int key_open = 0;
    double key_dy = 0; /* what keyword lines above add */
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
        double w = zimu__measure_text(lm, q, n);
        int key_has = 0;
        w += zimu__key_line(lm, q, n, 0, zimu__key_scale(ts->s), &key_open, &key_has);
        zimu_page_line *L = &pg->lines[pg->n_lines++];
        L->text = line;
        L->w = w;
        L->h = ts->fs * fmax(key_has ? zimu__key_scale(ts->s) / 100.0 : 1, popf);
        L->x = col == 0 ? pg->x : col == 1 ? pg->x + (pg->w - w) / 2 : pg->x + pg->w - w;
        L->y = pg->y + key_dy;
        key_dy += L->h;
        q = e ? e + 1 : q + n;
    }
    if (ts->first_scale > 1)
        first_line_boxes(ts, popf, pg);
    return 0;
}

/* ------------------------------------------------------------------------
 * Cues and the title.
 */

/* Lay out one text (cue number ci, or the title: cue NULL, ci -1) over
 * [start, end) in style `style`: wrap, split into pages, place, stack,
 * and record the pages. */
static int add_text(gen *g, int style, int look, const zimu_cue *cue, long ci,
                    const char *text, int max_lines, int64_t start, int64_t end, int cover)
{
    if (end <= start)
        return 0;
    const zimu_lstyle *ts = look >= 0 ? &g->laid->looks[look]->ts : &g->ts[style];
    zimu_measure *m = look >= 0 ? g->lm[look] : g->m[style];
    int an = cue && cue->align >= 1 && cue->align <= 9 ? cue->align : ts->s->align;
    int positioned = cue && cue->pos_x >= 0 && cue->pos_y >= 0;
    int hl = g->highlight && cue && cue->n_words;
    rect R = region(g, ts, an, cover);
    zimu_wrap_result w = {0};
    int scale = hl ? ts->s->highlight_scale : 100;
    double wrap_w = text_width(ts, R);
    int r = ts->first_scale > 1
                ? first_line_wrap(g, ts, m, text, wrap_w, max_lines, scale, &w)
                : wrap(g, ts, m, text, wrap_w, max_lines, scale, &w);
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
        /* A page that starts part-way through its cue starts on a 10 ms
         * step, a time ASS text can say, so the script zimu convert writes
         * switches pages on the very frames a burn does. */
        ps[p] = p == w.n_pages ? end
                               : llround((double)start / 10 + acc * (double)(end - start) / 10) * 10;
        if (hl && p < w.n_pages &&
            zimu__page_words(w.pages[p].text, pw, cue->n_words)) {
            int64_t ws = cue->words[pw[0]].start_ms;
            if (ws > ps[p - 1] && ws < end)
                ps[p] = ws;
        }
        if (ps[p] < ps[p - 1])
            ps[p] = ps[p - 1];
    }
    free(pw);
    long hidden = 0;
    for (size_t p = 0; p < w.n_pages && r == 0; p++) {
        if (ps[p + 1] <= ps[p]) {
            hidden++;
            continue;
        }
        int lines;
        double tw = page_width(ts, m, w.pages[p].text, &lines, scale);
        double th = lines * ts->fs * pop_scale(ts, hl) + key_height(ts, m, w.pages[p].text);
        if (ts->first_scale > 1)
            first_line_size(ts, m, w.pages[p].text, pop_scale(ts, hl), &tw, &th);
        /* Below the picture only when a full page (max_lines) fits there,
         * so that captions do not jump between the two places. */
        double el, er, et, eb, top_at = -1;
        extents(ts, &el, &er, &et, &eb);
        if (cue && g->below_pic >= 0 &&
            g->below_pic + et + g->max_lines * ts->fs * pop_scale(ts, hl) + eb <= R.y1)
            top_at = g->below_pic;
        block bk = {0};
        place(ts, R, an, tw, th, positioned ? cue->pos_x * g->W : -1,
              positioned ? cue->pos_y * g->H : -1, top_at, &bk);
        if (!positioned) {
            stack(g, &bk, ps[p], ps[p + 1], ts->fs * 0.15);
            r = remember(g, &bk, ps[p], ps[p + 1]);
        }
        if (r == 0)
            r = record_page(g, style, look, ci, hl, &bk, w.pages[p].text, wrap_w, ps[p],
                            ps[p + 1]);
    }
    if (hidden && cue) {
        if (!g->hidden_cues++) {
            g->hidden_first = cue;
            g->hidden_pages = w.n_pages;
        }
        g->hidden += hidden;
    }
    free(ps);
    zimu__wrap_free(&w);
    return r;
}

/* The one warning about pages not shown (gen.hidden). */
static void warn_hidden(const gen *g, const zimu_cues *cues)
{
    if (!g->hidden)
        return;
    const zimu_cue *q = g->hidden_first;
    char where[96];
    zimu__caption_where(where, sizeof where, q->line, q->start_ms);
    zimu__log(g->c, ZIMU_LOG_WARNING,
              "%s%s: %zu pages of text in %lld.%03d s: pages of less than 10 ms are not "
              "shown (%ld in all; captions with such pages: %ld); split the text into "
              "more captions or give it more time",
              cues && cues->name ? cues->name : "captions", where, g->hidden_pages,
              (long long)((q->end_ms - q->start_ms) / 1000),
              (int)((q->end_ms - q->start_ms) % 1000), g->hidden, g->hidden_cues);
}

static int add_cue(gen *g, const zimu_cue *cue, long ci)
{
    if (cue->end_ms <= cue->start_ms || !cue->text)
        return 0;
    int look = -1;
    int r = cue_look(g, cue, ci, &look);
    if (r < 0)
        return r;
    if (!(g->highlight && cue->n_words))
        return add_text(g, ZIMU__TS_CAPTION, look, cue, ci, cue->text, g->max_lines,
                        cue->start_ms, cue->end_ms, 0);
    char *m = marked_text(cue);
    if (!m)
        return ZIMU_ENOMEM;
    r = add_text(g, ZIMU__TS_CAPTION, look, cue, ci, m, g->max_lines, cue->start_ms,
                 cue->end_ms, 0);
    free(m);
    return r;
}


typedef struct start_ix {
    int64_t start;
    size_t i;
} start_ix;

static int cmp_start(const void *a, const void *b)
{
    const start_ix *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Cue order by start time (stable), for stacking. */
static size_t *start_order(const zimu_cues *cues)
{
    size_t n = cues->n ? cues->n : 1;
    size_t *ix = malloc(n * sizeof *ix);
    start_ix *s = malloc(n * sizeof *s);
    if (!ix || !s) {
        free(ix);
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < cues->n; i++)
        s[i] = (start_ix){cues->v[i].start_ms, i};
    if (cues->n > 1) /* the array may be NULL when empty */
        qsort(s, cues->n, sizeof *s, cmp_start);
    for (size_t i = 0; i < cues->n; i++)
        ix[i] = s[i].i;
    free(s);
    return ix;
}

int zimu__layout_run(zimu_ctx *c, const zimu_cues *cues, const zimu_layout *lay,
                     zimu_laid *out)
{
    memset(out, 0, sizeof *out);
    if (lay->width < 1 || lay->height < 1)
        return zimu__fail(c, ZIMU_EINVAL, "frame size %dx%d is not valid", lay->width,
                          lay->height);
    const zimu_capopts *cap = lay->cap;
    gen g = {.c = c, .W = lay->width, .H = lay->height, .fonts = lay->fonts,
             .ts = out->ts, .pages = &out->pages, .conf = lay->fonts_conf,
             .font = lay->font, .han_caption = lay->han_caption, .st = &out->st,
             .laid = out};
    zimu_style *st = &out->st;
    int r = zimu__style_resolve(c, cap, lay->font, st);
    if (r < 0)
        return r;
    zimu__style_han_faces(st, lay->han_caption, lay->han_title);
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
    g.highlight = (cap && cap->highlight) || st->caption.highlight;
    const char *title = cap && cap->title && *cap->title ? cap->title : NULL;

    const zimu_text_style *src[ZIMU__TS_N] = {&st->caption, &st->title, &st->cover};
    for (int i = 0; i < ZIMU__TS_N && r == 0; i++)
        r = resolve(&g, &out->ts[i], &g.m[i], src[i], lay->fonts_conf);
    if (r < 0)
        goto done;

    if (lay->mode == ZIMU__LAYOUT_COVER) {
        if (title)
            r = add_text(&g, ZIMU__TS_COVER, -1, NULL, -1, title, 0, ALWAYS_START,
                         ALWAYS_START + ALWAYS_DURATION, 1);
    } else {
        /* The title first: captions at the top are stacked below it. */
        if (title)
            r = add_text(&g, ZIMU__TS_TITLE, -1, NULL, -1, title, 0, ALWAYS_START,
                         ALWAYS_START + ALWAYS_DURATION, 0);
        if (r == 0 && lay->mode == ZIMU__LAYOUT_CAPTIONS && cues && cues->n) {
            /* At most ZIMU_MAX_SHOWN cues at once (shown.h): stacking is
             * quadratic in them, and a screen cannot show more. */
            size_t *ix = start_order(cues);
            unsigned char *keep = malloc(cues->n);
            if (!ix || !keep ||
                zimu__cues_cap_shown(c, cues, ZIMU_MAX_SHOWN, "caption", keep) < 0)
                r = ZIMU_ENOMEM;
            for (size_t i = 0; r == 0 && i < cues->n; i++)
                if (keep[ix[i]])
                    r = zimu__cancelled(c) ? zimu__fail_cancel(c)
                                           : add_cue(&g, &cues->v[ix[i]], (long)ix[i]);
            free(ix);
            free(keep);
            if (r == 0)
                warn_hidden(&g, cues);
        }
    }
    if (r == ZIMU_ENOMEM)
        zimu__fail(c, r, "out of memory");
done:
    for (int i = 0; i < ZIMU__TS_N; i++)
        zimu__measure_free(&g.m[i]);
    free_look_measurers(&g);
    free(g.pl);
    return r < 0 ? r : 0;
}

void zimu__laid_free(zimu_laid *l)
{
    if (!l)
        return;
    zimu__pages_clear(&l->pages);
    for (size_t i = 0; i < l->n_looks; i++) {
        free(l->looks[i]->spec);
        free(l->looks[i]);
    }
    free(l->looks);
    l->looks = NULL;
    l->n_looks = 0;
}
