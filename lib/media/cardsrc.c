/* cardsrc.c - frames of coloured cards (solid or two-colour gradients) for
 * a stand-alone flash video.
 *
 * A background does not change within its span, so each is drawn once into
 * a cached frame and every frame of the span hands out a reference to it
 * (a few backgrounds are kept, so cards that alternate two colours are not
 * drawn again). The frames are 4:2:0 in BT.709 limited range, tagged so,
 * like the decoded frames of a clip. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/mathematics.h>

#include "cardsrc.h"

#define CACHE 4

typedef struct cached {
    zimu_bg bg;       /* its look (times ignored) */
    AVFrame *f;
    uint64_t used;    /* when it was last handed out */
} cached;

struct zimu_cardsrc {
    zimu_ctx *c;
    zimu_cardsrc_opts o;
    zimu_bg *bgs;
    size_t n_bgs;
    size_t cur_bg;         /* search hint: times only grow */
    int64_t first, end;    /* frames [first, end) are handed out */
    int64_t next;
    AVFrame *out;
    cached cache[CACHE];
    uint64_t clock;
};

/* ---- drawing -------------------------------------------------------------- */

/* RGB 0..255 to BT.709 limited-range Y, Cb, Cr (not rounded). */
static void rgb_to_yuv(double r, double g, double b, double yuv[3])
{
    const double kr = 0.2126, kb = 0.0722;
    r /= 255.0, g /= 255.0, b /= 255.0;
    double y = kr * r + (1.0 - kr - kb) * g + kb * b;
    yuv[0] = 16.0 + 219.0 * y;
    yuv[1] = 128.0 + 224.0 * (b - y) / (2.0 * (1.0 - kb));
    yuv[2] = 128.0 + 224.0 * (r - y) / (2.0 * (1.0 - kr));
}

static uint8_t clamp8(double v)
{
    return v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)v;
}

/* 4x4 ordered dither, so a gradient's steps of one code value do not show
 * as bands: thresholds in (0, 1). */
static const double bayer[4][4] = {
    {0.5 / 16, 8.5 / 16, 2.5 / 16, 10.5 / 16},
    {12.5 / 16, 4.5 / 16, 14.5 / 16, 6.5 / 16},
    {3.5 / 16, 11.5 / 16, 1.5 / 16, 9.5 / 16},
    {15.5 / 16, 7.5 / 16, 13.5 / 16, 5.5 / 16},
};

/* Where (x, y) lies along a gradient, 0 at the c1 edge to 1 at the c2
 * edge: the projection on the direction (0 degrees: down, 90: right). */
typedef struct ramp {
    double dx, dy, cx, cy, half;
} ramp;

static ramp make_ramp(int w, int h, int angle)
{
    double a = angle * M_PI / 180.0;
    ramp r = {.dx = sin(a), .dy = cos(a), .cx = w / 2.0, .cy = h / 2.0};
    r.half = fabs(r.dx) * w / 2.0 + fabs(r.dy) * h / 2.0;
    if (r.half <= 0)
        r.half = 1;
    return r;
}

static double ramp_at(const ramp *r, double x, double y)
{
    double t = ((x - r->cx) * r->dx + (y - r->cy) * r->dy + r->half) / (2.0 * r->half);
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

void zimu__cardsrc_draw(AVFrame *f, const zimu_bg *bg)
{
    int w = f->width, h = f->height;
    if (bg->kind != ZIMU__BG_GRADIENT ||
        !memcmp(bg->c1, bg->c2, sizeof bg->c1)) {
        double yuv[3];
        rgb_to_yuv(bg->c1[0], bg->c1[1], bg->c1[2], yuv);
        for (int p = 0; p < 3; p++) {
            int pw = p ? (w + 1) / 2 : w, ph = p ? (h + 1) / 2 : h;
            uint8_t v = clamp8(yuv[p] + 0.5);
            for (int y = 0; y < ph; y++)
                memset(f->data[p] + (ptrdiff_t)y * f->linesize[p], v, (size_t)pw);
        }
        return;
    }
    /* The colour varies along one direction only: Y, Cb, Cr are linear in
     * the position t, so they are computed from their ends per pixel. */
    double a[3], b[3];
    rgb_to_yuv(bg->c1[0], bg->c1[1], bg->c1[2], a);
    rgb_to_yuv(bg->c2[0], bg->c2[1], bg->c2[2], b);
    ramp r = make_ramp(w, h, bg->angle);
    for (int y = 0; y < h; y++) {
        uint8_t *row = f->data[0] + (ptrdiff_t)y * f->linesize[0];
        for (int x = 0; x < w; x++) {
            double t = ramp_at(&r, x + 0.5, y + 0.5);
            row[x] = clamp8(a[0] + (b[0] - a[0]) * t + bayer[y & 3][x & 3]);
        }
    }
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    for (int y = 0; y < ch; y++) {
        uint8_t *u = f->data[1] + (ptrdiff_t)y * f->linesize[1];
        uint8_t *v = f->data[2] + (ptrdiff_t)y * f->linesize[2];
        for (int x = 0; x < cw; x++) {
            double t = ramp_at(&r, 2.0 * x + 1.0, 2.0 * y + 1.0);
            double d = bayer[y & 3][x & 3];
            u[x] = clamp8(a[1] + (b[1] - a[1]) * t + d);
            v[x] = clamp8(a[2] + (b[2] - a[2]) * t + d);
        }
    }
}

/* ---- the source ----------------------------------------------------------- */

static int same_look(const zimu_bg *x, const zimu_bg *y)
{
    if (x->kind != y->kind || memcmp(x->c1, y->c1, sizeof x->c1))
        return 0;
    return x->kind != ZIMU__BG_GRADIENT ||
           (!memcmp(x->c2, y->c2, sizeof x->c2) && x->angle == y->angle);
}

/* The frame of background bg: from the cache, or drawn into the least
 * recently used slot. */
static AVFrame *background_frame(zimu_cardsrc *s, const zimu_bg *bg)
{
    cached *slot = &s->cache[0];
    s->clock++;
    for (int i = 0; i < CACHE; i++) {
        cached *e = &s->cache[i];
        if (e->f && same_look(&e->bg, bg)) {
            e->used = s->clock;
            return e->f;
        }
        if (!e->f || (slot->f && e->used < slot->used))
            slot = e;
    }
    av_frame_free(&slot->f);
    AVFrame *f = av_frame_alloc();
    if (!f)
        return NULL;
    f->format = AV_PIX_FMT_YUV420P;
    f->width = s->o.width;
    f->height = s->o.height;
    if (av_frame_get_buffer(f, 0) < 0) {
        av_frame_free(&f);
        return NULL;
    }
    f->colorspace = AVCOL_SPC_BT709;
    f->color_primaries = AVCOL_PRI_BT709;
    f->color_trc = AVCOL_TRC_BT709;
    f->color_range = AVCOL_RANGE_MPEG;
    f->sample_aspect_ratio = (AVRational){1, 1};
    zimu__cardsrc_draw(f, bg);
    slot->bg = *bg;
    slot->f = f;
    slot->used = s->clock;
    return f;
}

/* Time of frame k, ms from the start, floored. */
static int64_t frame_ms(const zimu_cardsrc *s, int64_t k)
{
    AVRational fr = s->o.frame_rate;
    return av_rescale_rnd(k, 1000LL * fr.den, fr.num, AV_ROUND_DOWN);
}

/* The first frame at or after ms. */
static int64_t frame_at(const zimu_cardsrc *s, int64_t ms)
{
    AVRational fr = s->o.frame_rate;
    return av_rescale_rnd(ms, fr.num, 1000LL * fr.den, AV_ROUND_UP);
}

int zimu__cardsrc_open(zimu_ctx *c, zimu_cardsrc **out, const zimu_cardsrc_opts *o)
{
    *out = NULL;
    if (o->width < 16 || o->height < 16 || (o->width & 1) || (o->height & 1))
        return zimu__fail(c, ZIMU_EINVAL, "card size %dx%d is not valid", o->width, o->height);
    if (o->frame_rate.num <= 0 || o->frame_rate.den <= 0 ||
        av_q2d(o->frame_rate) > 240 || av_q2d(o->frame_rate) < 1)
        return zimu__fail(c, ZIMU_EINVAL, "frame rate %d/%d is not valid (1 to 240)",
                          o->frame_rate.num, o->frame_rate.den);
    zimu_cardsrc *s = calloc(1, sizeof *s);
    if (!s)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    s->c = c;
    s->o = *o;
    s->o.bgs = NULL;
    if (o->n_bgs) {
        if (!(s->bgs = malloc(o->n_bgs * sizeof *s->bgs))) {
            free(s);
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        }
        memcpy(s->bgs, o->bgs, o->n_bgs * sizeof *s->bgs);
        s->n_bgs = o->n_bgs;
    }
    if (!(s->out = av_frame_alloc())) {
        zimu__cardsrc_free(&s);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    int64_t n = o->length_ms > 0 ? frame_at(s, o->length_ms) : 0;
    int64_t to = o->to_ms >= 0 && o->to_ms < o->length_ms ? o->to_ms : o->length_ms;
    s->first = frame_at(s, o->from_ms > 0 ? o->from_ms : 0);
    s->end = to > 0 ? frame_at(s, to) : 0;
    if (s->end > n)
        s->end = n;
    /* A preview: the frame on screen at from, the last one that starts at
     * or before it (past the last frame's start, that frame while it
     * shows). */
    if (o->hold_last) {
        int64_t on = av_rescale_rnd(o->from_ms > 0 ? o->from_ms : 0, o->frame_rate.num,
                                    1000LL * o->frame_rate.den, AV_ROUND_DOWN);
        if (on < n) {
            s->first = on;
            if (s->end <= on)
                s->end = on + 1;
        }
    }
    if (s->end < s->first)
        s->end = s->first;
    s->next = s->first;
    *out = s;
    return 0;
}

void zimu__cardsrc_free(zimu_cardsrc **ps)
{
    zimu_cardsrc *s = ps ? *ps : NULL;
    if (!s)
        return;
    for (int i = 0; i < CACHE; i++)
        av_frame_free(&s->cache[i].f);
    av_frame_free(&s->out);
    free(s->bgs);
    free(s);
    *ps = NULL;
}

static const zimu_bg *bg_at(zimu_cardsrc *s, int64_t ms)
{
    static const zimu_bg black = {.kind = ZIMU__BG_SOLID};
    if (s->cur_bg >= s->n_bgs || s->bgs[s->cur_bg].start_ms > ms)
        s->cur_bg = 0;
    for (size_t i = s->cur_bg; i < s->n_bgs; i++)
        if (s->bgs[i].start_ms <= ms && ms < s->bgs[i].end_ms) {
            s->cur_bg = i;
            return &s->bgs[i];
        }
    return &black;
}

int zimu__cardsrc_read(zimu_cardsrc *s, AVFrame **frame, int64_t *src_ms)
{
    av_frame_unref(s->out);
    if (s->next >= s->end)
        return 0;
    int64_t ms = frame_ms(s, s->next);
    AVFrame *bg = background_frame(s, bg_at(s, ms));
    if (!bg || av_frame_ref(s->out, bg) < 0)
        return zimu__fail(s->c, ZIMU_ENOMEM, "out of memory");
    s->out->pts = s->next - s->first;
    *frame = s->out;
    *src_ms = ms;
    s->next++;
    return 1;
}

int64_t zimu__cardsrc_frames(const zimu_cardsrc *s)
{
    return s->end - s->first;
}

int64_t zimu__cardsrc_duration_ms(const zimu_cardsrc *s)
{
    if (s->end <= s->first)
        return 0;
    return frame_ms(s, s->end) - frame_ms(s, s->first);
}
