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
} gen;

/* ------------------------------------------------------------------------
 * Styles resolved for the frame.
 */

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
static void extents(const zimu_lstyle *ts, double *l, double *r, double *t, double *b)
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
static double pop_extra(const zimu_lstyle *ts, int hl)
{
    int scale = ts->s->highlight_scale;
    return hl && scale > 100 ? ts->fs * (scale - 100) / 100.0 : 0;
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
    return w > 1 ? w : 1;
}

/* Place a text block tw x th for alignment an in region R (or at the
 * anchor px, py when px >= 0). A bottom-aligned block hangs from top_at
 * instead (>= 0) when it fits between there and the region's bottom. */
static void place(const zimu_lstyle *ts, rect R, int an, double tw, double th, double px,
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
static int record_page(gen *g, int style, long cue, int hl, const block *bk,
                       const char *text, int64_t start, int64_t end)
{
    zimu_pages *P = g->pages;
    const zimu_lstyle *ts = &g->ts[style];
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
                      .pos_x = bk->x, .pos_y = bk->y, .vis = bk->vis, .has_box = bk->has_box};
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
        double w = zimu__measure_text(g->m[style], q, n);
        int key_has = 0;
        w += zimu__key_line(g->m[style], q, n, 0, zimu__key_scale(ts->s), &key_open, &key_has);
        zimu_page_line *L = &pg->lines[pg->n_lines++];
        L->text = line;
        L->w = w;
        L->h = key_has ? ts->fs * zimu__key_scale(ts->s) / 100.0 : ts->fs;
        L->x = col == 0 ? pg->x : col == 1 ? pg->x + (pg->w - w) / 2 : pg->x + pg->w - w;
        L->y = pg->y + (double)k * ts->fs + key_dy;
        key_dy += L->h - ts->fs;
        q = e ? e + 1 : q + n;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Cues and the title.
 */

/* Lay out one text (cue number ci, or the title: cue NULL, ci -1) over
 * [start, end) in style `style`: wrap, split into pages, place, stack,
 * and record the pages. */
static int add_text(gen *g, int style, const zimu_cue *cue, long ci, const char *text,
                    int max_lines, int64_t start, int64_t end, int cover)
{
    if (end <= start)
        return 0;
    const zimu_lstyle *ts = &g->ts[style];
    zimu_measure *m = g->m[style];
    int an = cue && cue->align >= 1 && cue->align <= 9 ? cue->align : ts->s->align;
    int positioned = cue && cue->pos_x >= 0 && cue->pos_y >= 0;
    int hl = g->highlight && cue && cue->n_words;
    rect R = region(g, ts, an, cover);
    zimu_wrap_result w = {0};
    int scale = hl ? ts->s->highlight_scale : 100;
    int r = wrap(g, ts, m, text, text_width(ts, R), max_lines, scale, &w);
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
    for (size_t p = 0; p < w.n_pages && r == 0; p++) {
        if (ps[p + 1] <= ps[p])
            continue;
        int lines;
        double tw = page_width(ts, m, w.pages[p].text, &lines, scale);
        double th = lines * ts->fs + key_height(ts, m, w.pages[p].text);
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
            r = record_page(g, style, ci, hl, &bk, w.pages[p].text, ps[p], ps[p + 1]);
    }
    free(ps);
    zimu__wrap_free(&w);
    return r;
}

static int add_cue(gen *g, const zimu_cue *cue, long ci)
{
    if (cue->end_ms <= cue->start_ms || !cue->text)
        return 0;
    if (!(g->highlight && cue->n_words))
        return add_text(g, ZIMU__TS_CAPTION, cue, ci, cue->text, g->max_lines,
                        cue->start_ms, cue->end_ms, 0);
    char *m = marked_text(cue);
    if (!m)
        return ZIMU_ENOMEM;
    int r = add_text(g, ZIMU__TS_CAPTION, cue, ci, m, g->max_lines, cue->start_ms,
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
             .ts = out->ts, .pages = &out->pages};
    zimu_style *st = &out->st;
    int r = zimu__style_resolve(c, cap, lay->font, st);
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
    g.highlight = (cap && cap->highlight) || st->caption.highlight;
    const char *title = cap && cap->title && *cap->title ? cap->title : NULL;

    const zimu_text_style *src[ZIMU__TS_N] = {&st->caption, &st->title, &st->cover};
    for (int i = 0; i < ZIMU__TS_N && r == 0; i++)
        r = resolve(&g, &out->ts[i], &g.m[i], src[i], lay->fonts_conf);
    if (r < 0)
        goto done;

    if (lay->mode == ZIMU__LAYOUT_COVER) {
        if (title)
            r = add_text(&g, ZIMU__TS_COVER, NULL, -1, title, 0, ALWAYS_START,
                         ALWAYS_START + ALWAYS_DURATION, 1);
    } else {
        /* The title first: captions at the top are stacked below it. */
        if (title)
            r = add_text(&g, ZIMU__TS_TITLE, NULL, -1, title, 0, ALWAYS_START,
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
        }
    }
    if (r == ZIMU_ENOMEM)
        zimu__fail(c, r, "out of memory");
done:
    for (int i = 0; i < ZIMU__TS_N; i++)
        zimu__measure_free(&g.m[i]);
    free(g.pl);
    return r < 0 ? r : 0;
}

void zimu__laid_free(zimu_laid *l)
{
    if (l)
        zimu__pages_clear(&l->pages);
}
