/* compose.c - libass images -> one premultiplied YUVA 4:2:0 overlay -> frame.
 *
 * libass hands us a back-to-front list of coverage masks, each with one
 * colour. Blending each mask into the frame on every frame (what the ffmpeg
 * program's subtitles filter does) costs a pass per glyph layer per frame.
 * Instead, when the images change, we composite them once into a small
 * overlay already converted to the frame's colour space, and every frame
 * pays only one pass over the overlay's box.
 *
 * Why compositing directly in YUV is exact: RGB -> YUV code values is an
 * affine map, and "over" with premultiplied values is linear in the colour
 * with weights that sum to one, so converting each image's colour first and
 * compositing the premultiplied code values gives the same result as
 * compositing in RGB and converting afterwards.
 *
 * Fixed point while compositing: alpha a in 0..65025 (= coverage * opacity,
 * both 0..255, so no rounding at all for a single layer) and premultiplied
 * code values p = a * value / 255, also 0..65025. Every step keeps p <= a,
 * and the 8-bit overlay keeps P <= A, which is what makes the blend below
 * unable to overflow without any clamping.
 */
#include <stdlib.h>
#include <string.h>

#include <libavutil/csp.h>

#include "compose.h"
#include "internal.h"

#define A_MAX 65025u /* 255 * 255: full opacity in the compositing scale */

/* One image of the list, ready to composite: clipped to the frame, its
 * colour converted once per update. */
struct layer {
    const ASS_Image *im;
    int x0, y0, x1, y1;   /* the visible part, frame coordinates */
    uint16_t opa;         /* opacity 0..255 */
    uint16_t g[3];        /* 1 - (Y, U, V code value / 255), times 65536 */
};

struct zimu_compose {
    int x, y, w, h;   /* overlay box in luma pixels; x, y, w, h even;
                         w = h = 0: nothing to draw */
    /* 8-bit overlay planes, each packed (stride = its width): premultiplied
     * Y and alpha at luma resolution (w x h), premultiplied U, V and their
     * alpha at chroma resolution (w/2 x h/2). */
    uint8_t *py, *pa, *pu, *pv, *pca;
    /* Per row [lo, hi) of pixels with non-zero alpha: h luma rows, then
     * h/2 chroma rows. Blending skips the rest, which is a no-op anyway;
     * it matters when captions sit at the top and bottom of the frame and
     * the box spans the empty middle. */
    int *span;
    /* Compositing scratch for one pair of luma rows (one chroma row): a, y,
     * u, v planes of 2 x w each. Building the overlay a row pair at a time
     * keeps the scratch in the first-level cache, where a whole-box
     * scratch (8 bytes a pixel) would be cleared, written and read back
     * through memory on every update. */
    uint16_t *work;
    void *mem;        /* one allocation holding work, span and the planes,
                         kept between updates (animated captions update
                         on every frame) */
    size_t cap;
    struct layer *layers;
    int n_layers, layers_cap;
    /* What the overlay was built from, to recognise a pure move. */
    struct seen { const void *bitmap; int w, h, stride, x, y; uint32_t color; } *seen;
    int n_seen, seen_cap;
};

zimu_compose *zimu__compose_new(void)
{
    return calloc(1, sizeof(zimu_compose));
}

void zimu__compose_free(zimu_compose **c)
{
    if (!c || !*c)
        return;
    free((*c)->mem);
    free((*c)->layers);
    free((*c)->seen);
    free(*c);
    *c = NULL;
}

int zimu__compose_empty(const zimu_compose *c)
{
    return !c || c->w == 0 || c->h == 0;
}

int zimu__compose_box(const zimu_compose *c, int *x, int *y, int *w, int *h)
{
    if (zimu__compose_empty(c))
        return 0;
    *x = c->x;
    *y = c->y;
    *w = c->w;
    *h = c->h;
    return 1;
}

/* Fractional bits kept in an image's Y, U, V while compositing: rounding
 * the colour to whole code values would add up to half a step of error on
 * top of the overlay's own rounding. */
#define COL_FRAC 4
#define COL_ONE (1 << COL_FRAC)

/* The colour of an image (RGB, full 0..255 as libass gives it) as Y, U, V
 * code values of the frame's matrix and range, times COL_ONE. Done once
 * per image per update, so floating point here costs nothing. */
static void to_yuv(uint32_t rgba, double kr, double kb, int full, uint32_t yuv[3])
{
    double r = (rgba >> 24) / 255.0;
    double g = ((rgba >> 16) & 255) / 255.0;
    double b = ((rgba >> 8) & 255) / 255.0;
    double y = kr * r + (1.0 - kr - kb) * g + kb * b;
    double u = (b - y) / (2.0 * (1.0 - kb));
    double v = (r - y) / (2.0 * (1.0 - kr));
    double f[3];
    if (full) {
        f[0] = 255.0 * y;
        f[1] = 128.0 + 255.0 * u;
        f[2] = 128.0 + 255.0 * v;
    } else {
        f[0] = 16.0 + 219.0 * y;
        f[1] = 128.0 + 224.0 * u;
        f[2] = 128.0 + 224.0 * v;
    }
    for (int i = 0; i < 3; i++) {
        /* Full-range chroma of a pure primary reaches 255.5: clamp. */
        double q = f[i] < 0.0 ? 0.0 : f[i] > 255.0 ? 255.0 : f[i];
        yuv[i] = (uint32_t)(q * COL_ONE + 0.5);
    }
}

/* The matrix of cs; anything that is not a Y'CbCr matrix (unspecified,
 * RGB, YCgCo...) is read as BT.601, as the header promises. */
static void luma_coeffs(enum AVColorSpace cs, double *kr, double *kb)
{
    const AVLumaCoefficients *k = NULL;
    if (cs != AVCOL_SPC_UNSPECIFIED)
        k = av_csp_luma_coeffs_from_avcsp(cs);
    if (k && k->cr.num > 0 && k->cb.num > 0 && k->cr.den > 0 && k->cb.den > 0) {
        *kr = av_q2d(k->cr);
        *kb = av_q2d(k->cb);
        if (*kr < 1.0 && *kb < 1.0 && *kr + *kb < 1.0)
            return;
    }
    *kr = 0.299;
    *kb = 0.114;
}

/* x * y / 65536, rounded down: what SIMD multiply-high instructions do. */
static inline uint16_t mulhi(uint16_t x, uint16_t y)
{
    return (uint16_t)(((uint32_t)x * y) >> 16);
}

/* Set L's opacity and colour for rgba (RGB, full 0..255 as libass gives
 * it, and libass's inverted alpha). */
static void layer_colour(struct layer *L, uint32_t rgba, double kr, double kb, int full)
{
    uint32_t yuv[3];
    to_yuv(rgba, kr, kb, full, yuv);
    L->opa = (uint16_t)(255 - (rgba & 0xff)); /* libass alpha: 0 is opaque */
    for (int k = 0; k < 3; k++) {
        uint32_t g = ((255 * COL_ONE - yuv[k]) * 65536u + 255 * COL_ONE / 2) / (255 * COL_ONE);
        L->g[k] = (uint16_t)(g > 65535 ? 65535 : g);
    }
}

/* "Over" for n pixels of coverage s: dst = src + dst * (1 - src_alpha),
 * in 16-bit multiply-highs so that it vectorises. With a = s * opa
 * (0..65025, exact), 1 - src_alpha is (65025 - a) / 65025, applied as
 * keep = (65025 - a) * (1 + 1/128) / 65536: the factor is a hair under
 * 65536 / 65025, so results come out a hair low (under 2 / 65025 of full
 * scale) and never overflow. The premultiplied colour a * value / 255 is
 * taken as a - a * g / 65536, which keeps it <= a and exact for the
 * brightest value (255: g = 0; white stays white over white); g is clamped
 * at 65535, so a value of 0 comes out 1 / 65025 of full scale high. The
 * 8-bit overlay rounds all of this away but for the odd 1-step
 * difference. n is a constant where it matters (16), so that gcc's -O2
 * cost model vectorises the loop; the exact scalar form (32-bit divisions
 * by constants, skipping empty and solid pixels) cost twice as much on
 * the benchmark's animated captions. */
static inline void over(uint16_t *restrict wa, uint16_t *restrict wy,
                        uint16_t *restrict wu, uint16_t *restrict wv,
                        const uint8_t *restrict s, int n,
                        uint16_t opa, uint16_t g0, uint16_t g1, uint16_t g2)
{
    for (int k = 0; k < n; k++) {
        uint16_t a = (uint16_t)(s[k] * opa);
        uint16_t keep = (uint16_t)(A_MAX - a);
        keep = (uint16_t)(keep + (keep >> 7));
        wa[k] = (uint16_t)(a + mulhi(wa[k], keep));
        wy[k] = (uint16_t)(a - mulhi(a, g0) + mulhi(wy[k], keep));
        wu[k] = (uint16_t)(a - mulhi(a, g1) + mulhi(wu[k], keep));
        wv[k] = (uint16_t)(a - mulhi(a, g2) + mulhi(wv[k], keep));
    }
}

/* Composite layer L's part of frame rows [y, y + 2) over the scratch row
 * pair, 16 pixels at a time; blocks with no coverage (most of a glyph's
 * bitmap) are skipped. */
static void composite(zimu_compose *c, const struct layer *L, int y)
{
    const ASS_Image *im = L->im;
    size_t plane = 2 * (size_t)c->w;
    int ya = L->y0 > y ? L->y0 : y, yb = L->y1 < y + 2 ? L->y1 : y + 2;
    int n = L->x1 - L->x0;
    uint16_t opa = L->opa, g0 = L->g[0], g1 = L->g[1], g2 = L->g[2];

    for (int yy = ya; yy < yb; yy++) {
        const uint8_t *src = im->bitmap + (size_t)(yy - im->dst_y) * im->stride
                             + (L->x0 - im->dst_x);
        size_t o = (size_t)(yy - y) * c->w + (L->x0 - c->x);
        uint16_t *wa = c->work + o, *wy = wa + plane, *wu = wy + plane, *wv = wu + plane;
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            uint64_t q[2];
            memcpy(q, src + i, 16);
            if (q[0] | q[1])
                over(wa + i, wy + i, wu + i, wv + i, src + i, 16, opa, g0, g1, g2);
        }
        over(wa + i, wy + i, wu + i, wv + i, src + i, n - i, opa, g0, g1, g2);
    }
}

/* [lo, hi) of the non-zero bytes of row, n if none (then lo == hi).
 * Returns 1 if the row has any. */
static int row_span(const uint8_t *row, int n, int *span)
{
    int lo = 0, hi = n;
    while (lo < n && !row[lo])
        lo++;
    while (hi > lo && !row[hi - 1])
        hi--;
    span[0] = lo;
    span[1] = hi;
    return lo < hi;
}

/* round(x / 255) for x <= 65025, in 16 bits: the exact
 * (t + (t >> 8)) >> 8 form with t = x + 128 (see blend_row). */
static inline uint8_t to_8(uint16_t x)
{
    uint16_t t = (uint16_t)(x + 128);
    return (uint8_t)((t + (t >> 8)) >> 8);
}

/* The n compositing-scale values of x into 8 bits. In fixed blocks of 16
 * so that gcc vectorises it at -O2 (see blend_row). */
static void to_8bit(uint8_t *restrict d, const uint16_t *restrict x, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++)
            d[i + k] = to_8(x[i + k]);
    for (; i < n; i++)
        d[i] = to_8(x[i]);
}

static inline uint16_t avg(uint16_t x, uint16_t y)
{
    return (uint16_t)(((uint32_t)x + y + 1) >> 1);
}

/* One chroma row from two rows of n pairs: each sample the mean of its 2x2
 * block (as two rounded halvings, within a unit of the exact mean), into 8
 * bits. Averaging premultiplied values is what keeps a half-covered chroma
 * sample correctly weighted. */
static void chroma_8bit(uint8_t *restrict d, const uint16_t *restrict r0,
                        const uint16_t *restrict r1, int n)
{
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) {
            int j = 2 * (i + k);
            d[i + k] = to_8(avg(avg(r0[j], r0[j + 1]), avg(r1[j], r1[j + 1])));
        }
    for (; i < n; i++)
        d[i] = to_8(avg(avg(r0[2 * i], r0[2 * i + 1]), avg(r1[2 * i], r1[2 * i + 1])));
}

/* Scratch row pair -> 8-bit overlay rows r, r + 1 (r even) and chroma row
 * r / 2, with their spans. Returns 1 if anything in these rows is
 * visible. */
static int finish_rows(zimu_compose *c, int r)
{
    int w = c->w, cw = w / 2;
    size_t plane = 2 * (size_t)w, o = (size_t)r * w, co = (size_t)(r / 2) * cw;
    const uint16_t *wa = c->work, *wy = wa + plane, *wu = wy + plane,
                   *wv = wu + plane;

    to_8bit(c->pa + o, wa, plane);
    to_8bit(c->py + o, wy, plane);
    chroma_8bit(c->pca + co, wa, wa + w, cw);
    chroma_8bit(c->pu + co, wu, wu + w, cw);
    chroma_8bit(c->pv + co, wv, wv + w, cw);
    int visible = row_span(c->pa + o, w, c->span + 2 * r);
    visible |= row_span(c->pa + o + w, w, c->span + 2 * (r + 1));
    visible |= row_span(c->pca + co, cw, c->span + 2 * c->h + r);
    return visible;
}

/* Fills the scratch row pair for frame rows [y, y + 2) (zeroed before). */
typedef void fill_rows_fn(zimu_compose *c, const void *arg, int y);

/* Build the overlay over the current box a row pair at a time. If nothing
 * at all is visible (e.g. only zero-coverage bitmaps) the overlay becomes
 * empty. */
static void build(zimu_compose *c, fill_rows_fn *fill, const void *arg)
{
    int visible = 0;
    for (int r = 0; r < c->h; r += 2) {
        memset(c->work, 0, 8 * (size_t)c->w * sizeof *c->work);
        fill(c, arg, c->y + r);
        visible |= finish_rows(c, r);
    }
    if (!visible)
        c->w = c->h = 0;
}

/* The part of im inside the frame, as [x0, x1) x [y0, y1); 0 if none or if
 * the image draws nothing. 64-bit sums: positions come from scripts. */
static int clip(const ASS_Image *im, int fw, int fh,
                int *x0, int *y0, int *x1, int *y1)
{
    if (im->w <= 0 || im->h <= 0 || !im->bitmap || im->stride < im->w ||
        (im->color & 0xff) == 0xff)
        return 0;
    long long l = im->dst_x, t = im->dst_y;
    long long r = l + im->w, b = t + im->h;
    if (l < 0) l = 0;
    if (t < 0) t = 0;
    if (r > fw) r = fw;
    if (b > fh) b = fh;
    if (l >= r || t >= b)
        return 0;
    *x0 = (int)l, *y0 = (int)t, *x1 = (int)r, *y1 = (int)b;
    return 1;
}

/* Make [bx0, bx1) x [by0, by1), widened to even coordinates, the overlay
 * box, with buffers sized (kept between updates). 0 or ZIMU_ENOMEM (then
 * the overlay is empty). */
static int set_box(zimu_compose *c, int bx0, int by0, int bx1, int by1)
{
    bx0 &= ~1;
    by0 &= ~1;
    bx1 += bx1 & 1;
    by1 += by1 & 1;
    int w = bx1 - bx0, h = by1 - by0;
    size_t plane = (size_t)w * h, cplane = plane / 4;

    /* work first, then spans (2 per luma row, 2 per chroma row), then the
     * byte planes, so every part is suitably aligned. */
    size_t work_sz = 8 * (size_t)w * sizeof *c->work;
    size_t span_sz = (size_t)3 * h * sizeof *c->span;
    size_t need = work_sz + span_sz + 2 * plane + 3 * cplane;
    if (need > c->cap) {
        /* Room to grow: animated captions change size on every frame, and
         * a fresh large block costs page faults each time. */
        free(c->mem);
        c->mem = malloc(need + need / 2);
        c->cap = c->mem ? need + need / 2 : 0;
        if (!c->mem)
            return ZIMU_ENOMEM;
    }
    c->work = c->mem;
    c->span = (int *)((char *)c->mem + work_sz);
    c->py = (uint8_t *)c->mem + work_sz + span_sz;
    c->pa = c->py + plane;
    c->pu = c->pa + plane;
    c->pv = c->pu + cplane;
    c->pca = c->pv + cplane;
    c->x = bx0;
    c->y = by0;
    c->w = w;
    c->h = h;
    return 0;
}

/* 1 if im lies wholly inside the frame (so moving it clips nothing). */
static int inside(const ASS_Image *im, int fw, int fh)
{
    return im->dst_x >= 0 && im->dst_y >= 0 && (long long)im->dst_x + im->w <= fw &&
           (long long)im->dst_y + im->h <= fh;
}

/* Note the images the overlay was built from; a list that cannot be moved
 * as a whole (parts off the frame) is not noted. */
static void remember(zimu_compose *c, const ASS_Image *imgs, int fw, int fh)
{
    int n = 0;
    c->n_seen = 0;
    for (const ASS_Image *im = imgs; im; im = im->next, n++)
        if (!inside(im, fw, fh))
            return;
    if (n > c->seen_cap) {
        struct seen *s = realloc(c->seen, n * sizeof *s);
        if (!s)
            return;
        c->seen = s;
        c->seen_cap = n;
    }
    n = 0;
    for (const ASS_Image *im = imgs; im; im = im->next, n++)
        c->seen[n] = (struct seen){im->bitmap, im->w, im->h, im->stride, im->dst_x,
                                   im->dst_y, im->color};
    c->n_seen = n;
}

static void fill_layers(zimu_compose *c, const void *arg, int y)
{
    (void)arg;
    for (int i = 0; i < c->n_layers; i++)
        if (c->layers[i].y0 < y + 2 && c->layers[i].y1 > y)
            composite(c, &c->layers[i], y);
}

int zimu__compose_update(zimu_compose *c, const ASS_Image *imgs,
                         int frame_w, int frame_h,
                         enum AVColorSpace cs, enum AVColorRange range)
{
    c->x = c->y = c->w = c->h = 0;
    c->n_seen = c->n_layers = 0;
    if (frame_w <= 0 || frame_h <= 0)
        return 0;
    int n = 0;
    for (const ASS_Image *im = imgs; im; im = im->next)
        n++;
    if (n > c->layers_cap) {
        struct layer *l = realloc(c->layers, (size_t)n * sizeof *l);
        if (!l)
            return ZIMU_ENOMEM;
        c->layers = l;
        c->layers_cap = n;
    }

    /* The visible layers and their union box, widened to even coordinates
     * so each 2x2 chroma block of the frame is either wholly in it or
     * wholly out. With an odd frame size the box may reach one pixel past
     * the frame; that column or row is never covered and never blended,
     * but it counts as uncovered in the last chroma sample's 2x2 average (a
     * half-strength tint at the frame's very edge; 4:2:0 video is
     * even-sized in practice). */
    double kr, kb;
    luma_coeffs(cs, &kr, &kb);
    int full = range == AVCOL_RANGE_JPEG;
    int bx0 = frame_w, by0 = frame_h, bx1 = 0, by1 = 0;
    for (const ASS_Image *im = imgs; im; im = im->next) {
        struct layer *L = &c->layers[c->n_layers];
        if (!clip(im, frame_w, frame_h, &L->x0, &L->y0, &L->x1, &L->y1))
            continue;
        L->im = im;
        layer_colour(L, im->color, kr, kb, full);
        if (L->x0 < bx0) bx0 = L->x0;
        if (L->y0 < by0) by0 = L->y0;
        if (L->x1 > bx1) bx1 = L->x1;
        if (L->y1 > by1) by1 = L->y1;
        c->n_layers++;
    }
    if (!c->n_layers)
        return 0;
    if (set_box(c, bx0, by0, bx1, by1) < 0)
        return ZIMU_ENOMEM;
    build(c, fill_layers, NULL);
    remember(c, imgs, frame_w, frame_h);
    return 0;
}

int zimu__compose_move(zimu_compose *c, const ASS_Image *imgs, int frame_w, int frame_h)
{
    if (c->n_seen <= 0 || zimu__compose_empty(c))
        return 0;
    int i = 0, dx = 0, dy = 0;
    for (const ASS_Image *im = imgs; im; im = im->next, i++) {
        if (i >= c->n_seen)
            return 0;
        const struct seen *s = &c->seen[i];
        if (s->bitmap != im->bitmap || s->w != im->w || s->h != im->h ||
            s->stride != im->stride || s->color != im->color || !inside(im, frame_w, frame_h))
            return 0;
        if (!i) {
            dx = im->dst_x - s->x;
            dy = im->dst_y - s->y;
        } else if (im->dst_x - s->x != dx || im->dst_y - s->y != dy) {
            return 0;
        }
    }
    /* An odd step would split the 2x2 chroma blocks differently. */
    if (i != c->n_seen || (dx & 1) || (dy & 1))
        return 0;
    c->x += dx;
    c->y += dy;
    for (i = 0; i < c->n_seen; i++) {
        c->seen[i].x += dx;
        c->seen[i].y += dy;
    }
    return 1;
}

struct picture {
    const uint8_t *rgba;
    int stride, x, y;       /* its top-left corner in the frame */
    int l, r, t, b;         /* its visible part, frame coordinates */
    double kr, kg, kb;
    double ys, cs, yo;      /* luma scale, chroma scale, luma offset */
};

static void fill_picture(zimu_compose *c, const void *arg, int y)
{
    const struct picture *p = arg;
    size_t plane = 2 * (size_t)c->w;
    uint16_t *wa = c->work, *wy = wa + plane, *wu = wy + plane, *wv = wu + plane;
    int ya = p->t > y ? p->t : y, yb = p->b < y + 2 ? p->b : y + 2;
    for (int yy = ya; yy < yb; yy++) {
        const uint8_t *src = p->rgba + (ptrdiff_t)(yy - p->y) * p->stride
                             + 4 * (ptrdiff_t)(p->l - p->x);
        size_t o = (size_t)(yy - y) * c->w + (size_t)(p->l - c->x);
        for (int xx = p->l; xx < p->r; xx++, o++, src += 4) {
            unsigned A = src[3];
            if (!A)
                continue;
            double amax = 255.0 * A;
            double R = src[0] > A ? A : src[0], G = src[1] > A ? A : src[1],
                   B = src[2] > A ? A : src[2];
            double Y = p->kr * R + p->kg * G + p->kb * B;
            double v[3] = {
                p->yo * A + p->ys * Y,
                128.0 * A + p->cs * (B - Y) / (2.0 * (1.0 - p->kb)),
                128.0 * A + p->cs * (R - Y) / (2.0 * (1.0 - p->kr)),
            };
            uint16_t q[3];
            for (int k = 0; k < 3; k++) {
                double z = v[k] < 0.0 ? 0.0 : v[k] > amax ? amax : v[k];
                q[k] = (uint16_t)(z + 0.5);
            }
            wa[o] = (uint16_t)(255u * A);
            wy[o] = q[0];
            wu[o] = q[1];
            wv[o] = q[2];
        }
    }
}

/* A premultiplied RGBA picture as the overlay. In the compositing scale a
 * pixel of alpha A (0..255) has a = 255 * A, and its premultiplied code
 * values follow from the premultiplied R, G, B directly, since RGB -> Y'CbCr
 * is affine: Y * a / 255 = off * A + scale * (kr R + kg G + kb B), and
 * likewise for Cb and Cr about 128. Each is rounded and kept within
 * [0, a], as the blend needs. */
int zimu__compose_update_image(zimu_compose *c, const uint8_t *rgba, int stride,
                               int x, int y, int w, int h, int frame_w, int frame_h,
                               enum AVColorSpace cs, enum AVColorRange range)
{
    c->x = c->y = c->w = c->h = 0;
    if (frame_w <= 0 || frame_h <= 0 || w <= 0 || h <= 0 || !rgba)
        return 0;
    long long l = x, t = y, r = (long long)x + w, b = (long long)y + h;
    if (l < 0) l = 0;
    if (t < 0) t = 0;
    if (r > frame_w) r = frame_w;
    if (b > frame_h) b = frame_h;
    if (l >= r || t >= b)
        return 0;
    if (set_box(c, (int)l, (int)t, (int)r, (int)b) < 0)
        return ZIMU_ENOMEM;

    double kr, kb;
    luma_coeffs(cs, &kr, &kb);
    int full = range == AVCOL_RANGE_JPEG;
    struct picture pic = {rgba, stride, x, y, (int)l, (int)r, (int)t, (int)b,
                          kr, 1.0 - kr - kb, kb,
                          full ? 255.0 : 219.0, full ? 255.0 : 224.0, full ? 0.0 : 16.0};
    build(c, fill_picture, &pic);
    return 0;
}

/* dst = round(dst * (255 - a) / 255) + p. The rounding divide by 255 is the
 * exact (t + (t >> 8)) >> 8 form with t = x + 128, valid for x <= 255 * 255;
 * every intermediate fits in 16 bits. The result cannot exceed 255 because
 * p <= a. Written as fixed blocks of 16 so that gcc vectorises the inner
 * loop even at -O2 (whose cost model only vectorises loops of known
 * length). */
static void blend_row(uint8_t *restrict d, const uint8_t *restrict p,
                      const uint8_t *restrict a, int n)
{
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) {
            uint16_t t = (uint16_t)(d[i + k] * (255 - a[i + k]) + 128);
            d[i + k] = (uint8_t)(((t + (t >> 8)) >> 8) + p[i + k]);
        }
    for (; i < n; i++) {
        uint16_t t = (uint16_t)(d[i] * (255 - a[i]) + 128);
        d[i] = (uint8_t)(((t + (t >> 8)) >> 8) + p[i]);
    }
}

void zimu__compose_blend(const zimu_compose *c, AVFrame *frame)
{
    if (zimu__compose_empty(c) || !frame || frame->format != AV_PIX_FMT_YUV420P)
        return;
    /* Clip to the frame actually given, so a frame of another size than the
     * last update's can be drawn wrongly but never out of bounds. */
    int fw = frame->width, fh = frame->height;
    int cfw = (fw + 1) / 2, cfh = (fh + 1) / 2;
    int cw = c->w / 2, ch = c->h / 2, cx = c->x / 2, cy = c->y / 2;

    for (int y = 0; y < c->h && c->y + y < fh; y++) {
        const int *s = c->span + 2 * y;
        int hi = s[1] < fw - c->x ? s[1] : fw - c->x;
        if (s[0] >= hi)
            continue;
        size_t o = (size_t)y * c->w + s[0];
        blend_row(frame->data[0] + (ptrdiff_t)(c->y + y) * frame->linesize[0]
                      + c->x + s[0],
                  c->py + o, c->pa + o, hi - s[0]);
    }
    for (int y = 0; y < ch && cy + y < cfh; y++) {
        const int *s = c->span + 2 * c->h + 2 * y;
        int hi = s[1] < cfw - cx ? s[1] : cfw - cx;
        if (s[0] >= hi)
            continue;
        size_t o = (size_t)y * cw + s[0];
        ptrdiff_t fo1 = (ptrdiff_t)(cy + y) * frame->linesize[1] + cx + s[0];
        ptrdiff_t fo2 = (ptrdiff_t)(cy + y) * frame->linesize[2] + cx + s[0];
        blend_row(frame->data[1] + fo1, c->pu + o, c->pca + o, hi - s[0]);
        blend_row(frame->data[2] + fo2, c->pv + o, c->pca + o, hi - s[0]);
    }
}
