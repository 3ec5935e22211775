/* check_compose.c - the compositor: hand-made ASS_Image lists blended onto
 * synthetic YUV 4:2:0 frames, and one real libass rendering.
 *
 * Expected colours come from this file's own RGB -> YUV reference (double
 * precision), cross-checked against published code values for white and
 * red, so a wrong matrix in compose.c cannot hide behind the same mistake
 * here. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ass/ass.h>
#include <libavutil/frame.h>

#include "compose.h"
#include "util_ass.h"

/* Check's assertions record a mark point on every call, which costs a
 * write per call; per-pixel loops use this instead, which calls into Check
 * only on failure. */
#define EXPECT(cond, ...)                      \
    do {                                       \
        if (!(cond))                           \
            ck_abort_msg(__VA_ARGS__);         \
    } while (0)

/* ---- colour spaces under test ------------------------------------------ */

typedef struct {
    enum AVColorSpace cs;
    enum AVColorRange range;
    double kr, kb;
    const char *name;
} csp;

static const csp CSPS[4] = {
    {AVCOL_SPC_BT470BG, AVCOL_RANGE_MPEG, 0.299, 0.114, "601 limited"},
    {AVCOL_SPC_SMPTE170M, AVCOL_RANGE_JPEG, 0.299, 0.114, "601 full"},
    {AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, 0.2126, 0.0722, "709 limited"},
    {AVCOL_SPC_BT709, AVCOL_RANGE_JPEG, 0.2126, 0.0722, "709 full"},
};

#define RGB(r, g, b) (((uint32_t)(r) << 24) | ((uint32_t)(g) << 16) | ((uint32_t)(b) << 8))
#define WHITE RGB(255, 255, 255)
#define RED RGB(255, 0, 0)
#define GREEN RGB(0, 255, 0)
#define BLUE RGB(0, 0, 255)
#define TEAL RGB(0x33, 0x99, 0xcc)

/* RGB (0..255) -> Y, U, V code values, unrounded. */
static void ref_yuv(const csp *s, uint32_t rgba, double o[3])
{
    double r = (rgba >> 24) / 255.0, g = ((rgba >> 16) & 255) / 255.0,
           b = ((rgba >> 8) & 255) / 255.0;
    double y = s->kr * r + (1 - s->kr - s->kb) * g + s->kb * b;
    double u = (b - y) / (2 * (1 - s->kb)), v = (r - y) / (2 * (1 - s->kr));
    int full = s->range == AVCOL_RANGE_JPEG;
    o[0] = full ? 255 * y : 16 + 219 * y;
    o[1] = 128 + (full ? 255 : 224) * u;
    o[2] = 128 + (full ? 255 : 224) * v;
    for (int i = 0; i < 3; i++)
        o[i] = o[i] < 0 ? 0 : o[i] > 255 ? 255 : o[i];
}

/* Y, U, V code values -> RGB 0..255 (unclamped). */
static void ref_rgb(const csp *s, int Y, int U, int V, double rgb[3])
{
    int full = s->range == AVCOL_RANGE_JPEG;
    double y = full ? Y / 255.0 : (Y - 16) / 219.0;
    double u = (U - 128) / (full ? 255.0 : 224.0);
    double v = (V - 128) / (full ? 255.0 : 224.0);
    double r = y + 2 * (1 - s->kr) * v, b = y + 2 * (1 - s->kb) * u;
    double g = (y - s->kr * r - s->kb * b) / (1 - s->kr - s->kb);
    rgb[0] = 255 * r;
    rgb[1] = 255 * g;
    rgb[2] = 255 * b;
}

START_TEST(reference_matches_published_values)
{
    /* White and red in each matrix/range, from BT.601 / BT.709 tables. */
    static const int want[4][2][3] = {
        {{235, 128, 128}, {81, 90, 240}},
        {{255, 128, 128}, {76, 85, 255}},
        {{235, 128, 128}, {63, 102, 240}},
        {{255, 128, 128}, {54, 99, 255}},
    };
    double o[3];
    for (int c = 0; c < 2; c++) {
        ref_yuv(&CSPS[_i], c ? RED : WHITE, o);
        for (int k = 0; k < 3; k++)
            ck_assert_int_eq((int)lround(o[k]), want[_i][c][k]);
    }
}
END_TEST

/* ---- frames ------------------------------------------------------------- */

static AVFrame *new_frame(int w, int h)
{
    AVFrame *f = av_frame_alloc();
    ck_assert_ptr_nonnull(f);
    f->format = AV_PIX_FMT_YUV420P;
    f->width = w;
    f->height = h;
    ck_assert_int_eq(av_frame_get_buffer(f, 0), 0);
    /* A pattern, so a blend at the wrong place or a stray write shows. */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            f->data[0][y * f->linesize[0] + x] = (uint8_t)(16 + (x * 3 + y * 5) % 220);
    for (int y = 0; y < (h + 1) / 2; y++)
        for (int x = 0; x < (w + 1) / 2; x++) {
            f->data[1][y * f->linesize[1] + x] = (uint8_t)(16 + (x * 7 + y * 3) % 225);
            f->data[2][y * f->linesize[2] + x] = (uint8_t)(16 + (x * 2 + y * 11) % 225);
        }
    return f;
}

static AVFrame *copy_frame(const AVFrame *src)
{
    AVFrame *f = av_frame_alloc();
    ck_assert_ptr_nonnull(f);
    f->format = src->format;
    f->width = src->width;
    f->height = src->height;
    ck_assert_int_eq(av_frame_get_buffer(f, 0), 0);
    ck_assert_int_eq(av_frame_copy(f, src), 0);
    return f;
}

static void fill_plane(AVFrame *f, int p, int v)
{
    int w = p ? (f->width + 1) / 2 : f->width, h = p ? (f->height + 1) / 2 : f->height;
    for (int y = 0; y < h; y++)
        memset(f->data[p] + y * f->linesize[p], v, w);
}

static int px(const AVFrame *f, int p, int x, int y)
{
    return f->data[p][y * f->linesize[p] + x];
}

static int frames_equal(const AVFrame *a, const AVFrame *b)
{
    for (int p = 0; p < 3; p++) {
        int w = p ? (a->width + 1) / 2 : a->width, h = p ? (a->height + 1) / 2 : a->height;
        for (int y = 0; y < h; y++)
            if (memcmp(a->data[p] + y * a->linesize[p], b->data[p] + y * b->linesize[p], w))
                return 0;
    }
    return 1;
}

/* ---- hand-made ASS_Image lists ------------------------------------------ */

typedef struct { int x0, y0, x1, y1; } rect;

/* An image of constant coverage cov. The stride is padded with garbage
 * bytes and the last row is not padded (as libass does), in an allocation
 * of exactly that size, so reading padding shows as wrong pixels and
 * reading past the end shows under ASan. */
static ASS_Image *img(int x, int y, int w, int h, uint32_t color, int cov)
{
    ASS_Image *im = calloc(1, sizeof *im);
    ck_assert_ptr_nonnull(im);
    im->w = w;
    im->h = h;
    im->stride = w + 7;
    size_t size = (size_t)im->stride * (h - 1) + w;
    im->bitmap = malloc(size);
    ck_assert_ptr_nonnull(im->bitmap);
    memset(im->bitmap, 0xa5, size);
    for (int r = 0; r < h; r++)
        memset(im->bitmap + (size_t)r * im->stride, cov, w);
    im->color = color;
    im->dst_x = x;
    im->dst_y = y;
    return im;
}

/* Chain images back to front; the list ends at NULL. */
static ASS_Image *chain(ASS_Image *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (ASS_Image *im = first, *n; im; im = n) {
        n = va_arg(ap, ASS_Image *);
        im->next = n;
    }
    va_end(ap);
    return first;
}

static void free_imgs(ASS_Image *im)
{
    while (im) {
        ASS_Image *n = im->next;
        free(im->bitmap);
        free(im);
        im = n;
    }
}

static int in_rects(const rect *r, int n, int x, int y)
{
    for (int i = 0; i < n; i++)
        if (x >= r[i].x0 && x < r[i].x1 && y >= r[i].y0 && y < r[i].y1)
            return 1;
    return 0;
}

/* Every luma pixel outside the rects, and every chroma sample whose 2x2
 * block touches none of them, is bit-identical to orig. */
static void assert_untouched_outside(const AVFrame *orig, const AVFrame *f,
                                     const rect *r, int n)
{
    for (int y = 0; y < f->height; y++)
        for (int x = 0; x < f->width; x++)
            if (!in_rects(r, n, x, y))
                EXPECT(px(f, 0, x, y) == px(orig, 0, x, y),
                       "luma (%d,%d) changed %d -> %d", x, y,
                       px(orig, 0, x, y), px(f, 0, x, y));
    for (int y = 0; y < (f->height + 1) / 2; y++)
        for (int x = 0; x < (f->width + 1) / 2; x++) {
            if (in_rects(r, n, 2 * x, 2 * y) || in_rects(r, n, 2 * x + 1, 2 * y) ||
                in_rects(r, n, 2 * x, 2 * y + 1) || in_rects(r, n, 2 * x + 1, 2 * y + 1))
                continue;
            for (int p = 1; p < 3; p++)
                EXPECT(px(f, p, x, y) == px(orig, p, x, y),
                       "chroma %d (%d,%d) changed", p, x, y);
        }
}

/* Luma inside the rect and chroma of blocks wholly inside it equal the
 * expected code values within tol. */
static void assert_colour_inside(const AVFrame *f, rect r, const double want[3],
                                 double tol)
{
    for (int y = r.y0; y < r.y1; y++)
        for (int x = r.x0; x < r.x1; x++)
            EXPECT(fabs(px(f, 0, x, y) - want[0]) <= tol,
                   "Y (%d,%d) = %d, want %.1f", x, y, px(f, 0, x, y), want[0]);
    for (int y = (r.y0 + 1) / 2; 2 * y + 1 < r.y1; y++)
        for (int x = (r.x0 + 1) / 2; 2 * x + 1 < r.x1; x++)
            for (int p = 1; p < 3; p++)
                EXPECT(fabs(px(f, p, x, y) - want[p]) <= tol,
                       "%c (%d,%d) = %d, want %.1f", p == 1 ? 'U' : 'V', x, y,
                       px(f, p, x, y), want[p]);
}

/* Update c from imgs for f's size in colour space s, blend onto f. */
static void compose_onto(zimu_compose *c, const ASS_Image *imgs, AVFrame *f,
                         const csp *s)
{
    ck_assert_int_eq(zimu__compose_update(c, imgs, f->width, f->height, s->cs, s->range), 0);
    zimu__compose_blend(c, f);
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(opaque_rect_exact_colour)
{
    const csp *s = &CSPS[_i];
    static const uint32_t colours[] = {WHITE, RED, GREEN, BLUE, TEAL, 0};
    for (int k = 0; k < 6; k++) {
        AVFrame *f = new_frame(320, 240), *orig = copy_frame(f);
        zimu_compose *c = zimu__compose_new();
        ASS_Image *im = img(40, 60, 100, 50, colours[k], 255);
        rect r = {40, 60, 140, 110};
        double want[3];
        ref_yuv(s, colours[k], want);

        compose_onto(c, im, f, s);
        ck_assert(!zimu__compose_empty(c));
        assert_colour_inside(f, r, want, 1);
        assert_untouched_outside(orig, f, &r, 1);

        free_imgs(im);
        zimu__compose_free(&c);
        ck_assert_ptr_null(c);
        av_frame_free(&f);
        av_frame_free(&orig);
    }
}
END_TEST

START_TEST(odd_offsets_and_sizes)
{
    const csp *s = &CSPS[_i];
    AVFrame *f = new_frame(320, 240), *orig = copy_frame(f);
    zimu_compose *c = zimu__compose_new();
    ASS_Image *im = img(37, 51, 21, 17, RED, 255);
    rect r = {37, 51, 58, 68};
    double want[3];
    ref_yuv(s, RED, want);

    compose_onto(c, im, f, s);
    assert_colour_inside(f, r, want, 1);
    assert_untouched_outside(orig, f, &r, 1);
    /* Column 36 is outside, 37 inside: the chroma sample of block x = 18 is
     * half covered, so it is half way between the frame and red. */
    for (int y = 26; y < 34; y++)
        for (int p = 1; p < 3; p++) {
            double half = (px(orig, p, 18, y) + want[p]) / 2;
            EXPECT(fabs(px(f, p, 18, y) - half) <= 2, "half-covered chroma %d at y %d: %d, want %.1f",
                   p, y, px(f, p, 18, y), half);
        }

    free_imgs(im);
    zimu__compose_free(&c);
    av_frame_free(&f);
    av_frame_free(&orig);
}
END_TEST

START_TEST(partial_coverage_mixes)
{
    const csp *s = &CSPS[_i];
    /* Coverage 0..255 along x, for an opaque colour and for one whose ASS
     * alpha is 0x80 (opacity 127). */
    static const uint32_t alphas[] = {0x00, 0x80};
    for (int k = 0; k < 2; k++) {
        AVFrame *f = new_frame(320, 64), *orig = copy_frame(f);
        zimu_compose *c = zimu__compose_new();
        ASS_Image *im = img(20, 10, 256, 40, TEAL | alphas[k], 0);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 256; x++)
                im->bitmap[y * im->stride + x] = (uint8_t)x;
        double want[3];
        ref_yuv(s, TEAL, want);

        compose_onto(c, im, f, s);
        /* The overlay is 8-bit: rounding its premultiplied value, its alpha
         * and the blend itself each cost up to half a step, hence 1.5 (and 2
         * for chroma, which also averages 2x2). */
        for (int y = 10; y < 50; y++)
            for (int x = 20; x < 276; x++) {
                double a = (x - 20) / 255.0 * (255 - alphas[k]) / 255.0;
                double e = px(orig, 0, x, y) * (1 - a) + want[0] * a;
                EXPECT(fabs(px(f, 0, x, y) - e) <= 1.5, "Y (%d,%d) = %d, want %.2f",
                       x, y, px(f, 0, x, y), e);
            }
        /* Chroma: a block averages the alphas of its two columns. */
        for (int y = 5; y < 25; y++)
            for (int x = 10; x < 138; x++) {
                double a = (2 * x - 20 + 0.5) / 255.0 * (255 - alphas[k]) / 255.0;
                for (int p = 1; p < 3; p++) {
                    double e = px(orig, p, x, y) * (1 - a) + want[p] * a;
                    EXPECT(fabs(px(f, p, x, y) - e) <= 2, "chroma %d (%d,%d) = %d, want %.2f",
                           p, x, y, px(f, p, x, y), e);
                }
            }
        rect r = {20, 10, 276, 50};
        assert_untouched_outside(orig, f, &r, 1);
        /* Zero coverage in column 20: its luma is untouched too. */
        for (int y = 10; y < 50; y++)
            EXPECT(px(f, 0, 20, y) == px(orig, 0, 20, y), "luma (20,%d) changed", y);

        free_imgs(im);
        zimu__compose_free(&c);
        av_frame_free(&f);
        av_frame_free(&orig);
    }
}
END_TEST

START_TEST(later_image_on_top)
{
    const csp *s = &CSPS[_i];
    double red[3], blue[3];
    ref_yuv(s, RED, red);
    ref_yuv(s, BLUE, blue);
    for (int rev = 0; rev < 2; rev++) {
        AVFrame *f = new_frame(160, 120), *orig = copy_frame(f);
        zimu_compose *c = zimu__compose_new();
        ASS_Image *a = img(10, 10, 60, 40, RED, 255), *b = img(40, 30, 60, 40, BLUE, 255);
        ASS_Image *list = rev ? chain(b, a, NULL) : chain(a, b, NULL);

        compose_onto(c, list, f, s);
        /* The overlap takes the colour of the image listed last. */
        assert_colour_inside(f, (rect){40, 30, 70, 50}, rev ? red : blue, 1);
        assert_colour_inside(f, (rect){10, 10, 40, 30}, red, 1);
        assert_colour_inside(f, (rect){70, 50, 100, 70}, blue, 1);
        rect r[2] = {{10, 10, 70, 50}, {40, 30, 100, 70}};
        assert_untouched_outside(orig, f, r, 2);

        free_imgs(list);
        zimu__compose_free(&c);
        av_frame_free(&f);
        av_frame_free(&orig);
    }
}
END_TEST

START_TEST(semi_transparent_over_colour_and_frame)
{
    const csp *s = &CSPS[_i];
    AVFrame *f = new_frame(200, 100), *orig = copy_frame(f);
    zimu_compose *c = zimu__compose_new();
    /* Green at ASS alpha 0x40 (opacity 191/255) over opaque red, and
     * sticking out over the frame. */
    ASS_Image *list = chain(img(20, 20, 60, 40, RED, 255),
                            img(50, 30, 80, 20, GREEN | 0x40, 255), NULL);
    double red[3], green[3], mix[3];
    ref_yuv(s, RED, red);
    ref_yuv(s, GREEN, green);
    double a = 191 / 255.0;
    for (int k = 0; k < 3; k++)
        mix[k] = a * green[k] + (1 - a) * red[k];

    compose_onto(c, list, f, s);
    assert_colour_inside(f, (rect){50, 30, 80, 50}, mix, 2);
    for (int y = 30; y < 50; y++)
        for (int x = 80; x < 130; x++) {
            double e = a * green[0] + (1 - a) * px(orig, 0, x, y);
            EXPECT(fabs(px(f, 0, x, y) - e) <= 1.5, "Y (%d,%d) = %d, want %.2f",
                   x, y, px(f, 0, x, y), e);
        }
    for (int y = 15; y < 25; y++)
        for (int x = 40; x < 65; x++)
            for (int p = 1; p < 3; p++) {
                double e = a * green[p] + (1 - a) * px(orig, p, x, y);
                EXPECT(fabs(px(f, p, x, y) - e) <= 2, "chroma %d (%d,%d) = %d, want %.2f",
                       p, x, y, px(f, p, x, y), e);
            }
    rect r[2] = {{20, 20, 80, 60}, {50, 30, 130, 50}};
    assert_untouched_outside(orig, f, r, 2);

    free_imgs(list);
    zimu__compose_free(&c);
    av_frame_free(&f);
    av_frame_free(&orig);
}
END_TEST

START_TEST(separate_regions_leave_middle_alone)
{
    /* Captions at the top and the bottom: one box spans the middle, which
     * must come out bit-identical. */
    const csp *s = &CSPS[0];
    AVFrame *f = new_frame(320, 568), *orig = copy_frame(f);
    zimu_compose *c = zimu__compose_new();
    ASS_Image *list = chain(img(30, 20, 100, 40, WHITE, 255), img(181, 500, 99, 41, RED, 200), NULL);
    compose_onto(c, list, f, s);
    rect r[2] = {{30, 20, 130, 60}, {181, 500, 280, 541}};
    assert_untouched_outside(orig, f, r, 2);
    double white[3];
    ref_yuv(s, WHITE, white);
    assert_colour_inside(f, r[0], white, 1);

    free_imgs(list);
    zimu__compose_free(&c);
    av_frame_free(&f);
    av_frame_free(&orig);
}
END_TEST

START_TEST(clipped_at_every_edge)
{
    const csp *s = &CSPS[_i];
    int W = 330, H = 250; /* linesize > width */
    AVFrame *f = new_frame(W, H), *orig = copy_frame(f);
    zimu_compose *c = zimu__compose_new();
    ASS_Image *list = chain(img(-11, -7, 31, 20, WHITE, 255),      /* top left */
                            img(W - 13, 100, 40, 11, WHITE, 255),  /* right */
                            img(150, H - 5, 21, 30, WHITE, 255),   /* bottom */
                            img(-100, -100, 50, 50, RED, 255),     /* all off */
                            img(W + 3, 10, 20, 20, RED, 255),      /* all off */
                            img(10, H, 20, 20, RED, 255),          /* all off */
                            img(2147483600, 5, 100, 10, RED, 255), /* int overflow bait */
                            img(5, -2147483600, 10, 100, RED, 255), NULL);
    double white[3];
    ref_yuv(s, WHITE, white);

    compose_onto(c, list, f, s);
    rect r[3] = {{0, 0, 20, 13}, {W - 13, 100, W, 111}, {150, H - 5, 171, H}};
    for (int i = 0; i < 3; i++)
        assert_colour_inside(f, r[i], white, 1);
    assert_untouched_outside(orig, f, r, 3);

    free_imgs(list);
    zimu__compose_free(&c);
    av_frame_free(&f);
    av_frame_free(&orig);
}
END_TEST

START_TEST(image_larger_than_frame)
{
    const csp *s = &CSPS[_i];
    AVFrame *f = new_frame(64, 48);
    zimu_compose *c = zimu__compose_new();
    ASS_Image *im = img(-30, -20, 200, 100, BLUE, 255);
    double blue[3];
    ref_yuv(s, BLUE, blue);
    compose_onto(c, im, f, s);
    assert_colour_inside(f, (rect){0, 0, 64, 48}, blue, 1);
    free_imgs(im);
    zimu__compose_free(&c);
    av_frame_free(&f);
}
END_TEST

START_TEST(odd_frame_size)
{
    const csp *s = &CSPS[_i];
    int W = 321, H = 567;
    AVFrame *f = new_frame(W, H), *orig = copy_frame(f);
    zimu_compose *c = zimu__compose_new();
    ASS_Image *im = img(301, 551, 40, 30, RED, 255);
    double red[3];
    ref_yuv(s, RED, red);
    compose_onto(c, im, f, s);
    rect r = {301, 551, W, H};
    assert_colour_inside(f, r, red, 1);
    assert_untouched_outside(orig, f, &r, 1);
    /* The last chroma column and row (one luma pixel wide) are tinted. */
    ck_assert_int_ne(px(f, 2, W / 2, H / 2), px(orig, 2, W / 2, H / 2));
    free_imgs(im);
    zimu__compose_free(&c);
    av_frame_free(&f);
    av_frame_free(&orig);
}
END_TEST

START_TEST(empty_overlays_change_nothing)
{
    const csp *s = &CSPS[_i];
    AVFrame *f = new_frame(320, 240), *orig = copy_frame(f);
    zimu_compose *c = zimu__compose_new();

    /* Nothing before the first update. */
    ck_assert(zimu__compose_empty(c));
    zimu__compose_blend(c, f);
    ck_assert(frames_equal(f, orig));

    ASS_Image *lists[4] = {
        NULL,
        img(10, 10, 50, 50, WHITE, 0),          /* zero coverage */
        img(10, 10, 50, 50, WHITE | 0xff, 255), /* fully transparent */
        img(400, 10, 50, 50, WHITE, 255),       /* off the frame */
    };
    for (int k = 0; k < 4; k++) {
        /* A visible overlay first, so that emptiness must replace it. */
        ASS_Image *vis = img(0, 0, 32, 32, RED, 255);
        ck_assert_int_eq(zimu__compose_update(c, vis, 320, 240, s->cs, s->range), 0);
        ck_assert(!zimu__compose_empty(c));
        free_imgs(vis);

        compose_onto(c, lists[k], f, s);
        ck_assert_msg(zimu__compose_empty(c), "list %d not empty", k);
        ck_assert_msg(frames_equal(f, orig), "list %d changed the frame", k);
        free_imgs(lists[k]);
    }
    zimu__compose_free(&c);
    zimu__compose_free(&c); /* freeing NULL is a no-op */
    zimu__compose_free(NULL);
    av_frame_free(&f);
    av_frame_free(&orig);
}
END_TEST

START_TEST(update_replaces_overlay)
{
    const csp *s = &CSPS[_i];
    AVFrame *f = new_frame(320, 240), *orig = copy_frame(f);
    zimu_compose *c = zimu__compose_new();
    ASS_Image *a = img(10, 10, 300, 100, WHITE, 255), *b = img(50, 200, 20, 10, RED, 255);
    ck_assert_int_eq(zimu__compose_update(c, a, 320, 240, s->cs, s->range), 0);
    compose_onto(c, b, f, s); /* smaller than a: the buffer is reused */
    rect r = {50, 200, 70, 210};
    assert_untouched_outside(orig, f, &r, 1);
    double red[3];
    ref_yuv(s, RED, red);
    assert_colour_inside(f, r, red, 1);

    /* The overlay stays until the next update: blending again applies the
     * same overlay again (opaque, so the result is the same). */
    AVFrame *once = copy_frame(f);
    zimu__compose_blend(c, f);
    ck_assert(frames_equal(f, once));

    free_imgs(a);
    free_imgs(b);
    zimu__compose_free(&c);
    av_frame_free(&f);
    av_frame_free(&orig);
    av_frame_free(&once);
}
END_TEST

/* Moving the overlay gives exactly what rebuilding it at the new place
 * gives; an odd step, other bitmaps or a part off the frame refuse to
 * move (the caller then rebuilds). */
START_TEST(move_equals_rebuild)
{
    const csp *s = &CSPS[_i];
    ASS_Image *out = img(41, 31, 60, 20, 0x20202000, 255);
    ASS_Image *in = img(45, 35, 52, 12, 0xff000040, 180); /* partial, translucent */
    ASS_Image *list = chain(out, in, NULL);
    zimu_compose *c = zimu__compose_new(), *ref = zimu__compose_new();
    ck_assert_int_eq(zimu__compose_update(c, list, 320, 240, s->cs, s->range), 0);

    out->dst_x += 6; out->dst_y += 4; in->dst_x += 6; in->dst_y += 4;
    ck_assert_int_eq(zimu__compose_move(c, list, 320, 240), 1);
    ck_assert_int_eq(zimu__compose_update(ref, list, 320, 240, s->cs, s->range), 0);
    AVFrame *a = new_frame(320, 240), *b = copy_frame(a);
    zimu__compose_blend(c, a);
    zimu__compose_blend(ref, b);
    ck_assert(frames_equal(a, b));

    out->dst_y += 1; in->dst_y += 1; /* odd step */
    ck_assert_int_eq(zimu__compose_move(c, list, 320, 240), 0);
    out->dst_y += 1; in->dst_y += 3; /* not the same step for all */
    ck_assert_int_eq(zimu__compose_move(c, list, 320, 240), 0);
    in->dst_y -= 2;
    uint8_t *keep = in->bitmap; /* other bitmap */
    in->bitmap = malloc((size_t)in->stride * in->h);
    memcpy(in->bitmap, keep, (size_t)in->stride * (in->h - 1) + in->w);
    ck_assert_int_eq(zimu__compose_move(c, list, 320, 240), 0);
    free(in->bitmap);
    in->bitmap = keep;
    out->dst_x = in->dst_x = 300; /* partly off the frame */
    ck_assert_int_eq(zimu__compose_move(c, list, 320, 240), 0);

    free_imgs(list);
    zimu__compose_free(&c);
    zimu__compose_free(&ref);
    av_frame_free(&a);
    av_frame_free(&b);
}
END_TEST

/* An image whose coverage runs 0..255 along x. */
static ASS_Image *ramp(int w, int h, uint32_t color)
{
    ASS_Image *im = img(0, 0, w, h, color, 0);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            im->bitmap[y * im->stride + x] = (uint8_t)x;
    return im;
}

START_TEST(extremes_never_wrap)
{
    /* Full range, every coverage: white over Y = 255 stays 255, black over
     * Y = 0 stays 0, red over V = 255 stays 255. An overflow or a rounding
     * slip in the blend would wrap or drift. */
    const csp *s = &CSPS[1];
    static const struct { uint32_t colour; int plane, bg; } cases[] = {
        {WHITE, 0, 255}, {RGB(0, 0, 0), 0, 0}, {RED, 2, 255},
    };
    for (int k = 0; k < 3; k++) {
        AVFrame *f = new_frame(256, 16);
        fill_plane(f, cases[k].plane, cases[k].bg);
        zimu_compose *c = zimu__compose_new();
        ASS_Image *im = ramp(256, 16, cases[k].colour);
        compose_onto(c, im, f, s);
        int w = cases[k].plane ? 128 : 256;
        for (int x = 0; x < w; x++)
            EXPECT(px(f, cases[k].plane, x, 3) == cases[k].bg, "case %d x %d: %d", k, x,
                   px(f, cases[k].plane, x, 3));
        free_imgs(im);
        zimu__compose_free(&c);
        av_frame_free(&f);
    }
}
END_TEST

START_TEST(unspecified_is_bt601)
{
    AVFrame *a = new_frame(64, 64), *b = copy_frame(a);
    zimu_compose *c = zimu__compose_new();
    ASS_Image *im = img(8, 8, 40, 40, TEAL, 255);
    ck_assert_int_eq(zimu__compose_update(c, im, 64, 64, AVCOL_SPC_UNSPECIFIED,
                                          AVCOL_RANGE_UNSPECIFIED), 0);
    zimu__compose_blend(c, a);
    compose_onto(c, im, b, &CSPS[0]);
    ck_assert(frames_equal(a, b));
    free_imgs(im);
    zimu__compose_free(&c);
    av_frame_free(&a);
    av_frame_free(&b);
}
END_TEST

/* ---- real text through libass ------------------------------------------- */

static void quiet(int level, const char *fmt, va_list va, void *data)
{
    (void)level, (void)fmt, (void)va, (void)data;
}

START_TEST(libass_text_colours)
{
    const csp *s = &CSPS[_i];
    enum { W = 320, H = 568 };
    static const char script[] =
        "[Script Info]\n"
        "ScriptType: v4.00+\n"
        "PlayResX: 320\n"
        "PlayResY: 568\n"
        "WrapStyle: 2\n"
        "ScaledBorderAndShadow: yes\n"
        "YCbCr Matrix: None\n"
        "\n"
        "[V4+ Styles]\n"
        TU_ASS_STYLE_FORMAT
        "Style: White,Noto Sans CJK SC,150,&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,"
        "-1,0,0,0,100,100,0,0,1,4,3,8,10,10,30,1\n"
        "Style: Red,Noto Sans CJK SC,150,&H000000FF,&H000000FF,&H00000000,&H80000000,"
        "-1,0,0,0,100,100,0,0,1,4,3,2,10,10,30,1\n"
        "\n"
        "[Events]\n"
        TU_ASS_EVENT_FORMAT
        "Dialogue: 0,0:00:00.00,0:00:05.00,White,,0,0,0,,\xe7\x94\xb0\xe5\x9b\xbd\n" /* 田国 */
        "Dialogue: 0,0:00:00.00,0:00:05.00,Red,,0,0,0,,{\\fs170}\xe7\x8e\x8b\xe4\xb8\xad\n"; /* 王中 */

    ASS_Library *lib = ass_library_init();
    ck_assert_ptr_nonnull(lib);
    ass_set_message_cb(lib, quiet, NULL);
    ASS_Renderer *r = ass_renderer_init(lib);
    ck_assert_ptr_nonnull(r);
    ass_set_frame_size(r, W, H);
    ass_set_fonts(r, NULL, "Noto Sans CJK SC", ASS_FONTPROVIDER_FONTCONFIG, NULL, 1);
    char *buf = strdup(script);
    ASS_Track *t = ass_read_memory(lib, buf, sizeof script - 1, NULL);
    free(buf);
    ck_assert_ptr_nonnull(t);
    int changed = 0;
    ASS_Image *imgs = ass_render_frame(r, t, 1000, &changed);
    ck_assert_ptr_nonnull(imgs);

    /* Where the glyph (not outline, not shadow) fully covers, and which
     * colour it is. The glyph is the topmost layer of its event and the
     * two events do not overlap. */
    static uint8_t cov[H][W];
    static uint32_t col[H][W];
    memset(cov, 0, sizeof cov);
    for (const ASS_Image *im = imgs; im; im = im->next) {
        if (im->type != IMAGE_TYPE_CHARACTER)
            continue;
        for (int y = 0; y < im->h; y++)
            for (int x = 0; x < im->w; x++) {
                int fx = im->dst_x + x, fy = im->dst_y + y;
                if (fx < 0 || fy < 0 || fx >= W || fy >= H)
                    continue;
                if (im->bitmap[y * im->stride + x] >= cov[fy][fx]) {
                    cov[fy][fx] = im->bitmap[y * im->stride + x];
                    col[fy][fx] = im->color;
                }
            }
    }

    AVFrame *f = new_frame(W, H);
    zimu_compose *c = zimu__compose_new();
    compose_onto(c, imgs, f, s);

    int n[2] = {0, 0};
    for (int y = 3; y < H - 3; y++)
        for (int x = 3; x < W - 3; x++) {
            /* Stroke interior: full coverage 3 px around in every direction. */
            int inside = 1;
            for (int dy = -3; dy <= 3 && inside; dy++)
                for (int dx = -3; dx <= 3 && inside; dx++)
                    inside = cov[y + dy][x + dx] == 255 && col[y + dy][x + dx] == col[y][x];
            if (!inside)
                continue;
            uint32_t want = col[y][x] & 0xffffff00;
            EXPECT(want == WHITE || want == RED, "glyph colour %08x", (unsigned)want);
            double rgb[3];
            ref_rgb(s, px(f, 0, x, y), px(f, 1, x / 2, y / 2), px(f, 2, x / 2, y / 2), rgb);
            for (int k = 0; k < 3; k++) {
                double w = (want >> (24 - 8 * k)) & 255;
                EXPECT(fabs(rgb[k] - w) <= 8, "%s: (%d,%d) channel %d = %.1f, want %.0f",
                       s->name, x, y, k, rgb[k], w);
            }
            n[want == RED]++;
        }
    /* Enough interior pixels of each colour that the check means something. */
    ck_assert_msg(n[0] >= 200 && n[1] >= 200, "interior pixels: white %d, red %d", n[0], n[1]);

    zimu__compose_free(&c);
    av_frame_free(&f);
    ass_free_track(t);
    ass_renderer_done(r);
    ass_library_done(lib);
}
END_TEST

static Suite *compose_suite(void)
{
    Suite *s = suite_create("compose");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_loop_test(tc, reference_matches_published_values, 0, 4);
    tcase_add_loop_test(tc, opaque_rect_exact_colour, 0, 4);
    tcase_add_loop_test(tc, odd_offsets_and_sizes, 0, 4);
    tcase_add_loop_test(tc, partial_coverage_mixes, 0, 4);
    tcase_add_loop_test(tc, later_image_on_top, 0, 4);
    tcase_add_loop_test(tc, semi_transparent_over_colour_and_frame, 0, 4);
    tcase_add_test(tc, separate_regions_leave_middle_alone);
    tcase_add_loop_test(tc, clipped_at_every_edge, 0, 4);
    tcase_add_loop_test(tc, image_larger_than_frame, 0, 4);
    tcase_add_loop_test(tc, odd_frame_size, 0, 4);
    tcase_add_loop_test(tc, empty_overlays_change_nothing, 0, 4);
    tcase_add_loop_test(tc, update_replaces_overlay, 0, 4);
    tcase_add_loop_test(tc, move_equals_rebuild, 0, 4);
    tcase_add_test(tc, extremes_never_wrap);
    tcase_add_test(tc, unspecified_is_bt601);
    suite_add_tcase(s, tc);

    TCase *tl = tcase_create("libass");
    tcase_set_timeout(tl, 60); /* the first fontconfig scan can be slow */
    tcase_add_loop_test(tl, libass_text_colours, 0, 4);
    suite_add_tcase(s, tl);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(compose_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
