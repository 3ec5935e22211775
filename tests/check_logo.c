/* check_logo.c - a PNG logo with alpha drawn in a corner of every frame.
 *
 * Logos are made here with libavcodec's PNG encoder (RGBA, grey, palette
 * with transparency, 16-bit), burnt losslessly (CRF 0) on 320x568 clips
 * whose frames are all different, and the output is compared with the
 * source: the logo's opaque pixels have its colour, its transparent hole
 * and everything outside it are bit-identical, it has the width asked for
 * and sits in the chosen corner of the safe area; it is drawn over the
 * captions, shows in previews, and bad files fail with their name. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>

#include "compose.h"
#include "logo.h"
#include "style.h"
#include "util_clip.h"
#include "zimu.h"

static char *dir;

static void setup(void)
{
    dir = tu_test_dir();
    ck_assert_msg(dir != NULL, "%s", tu_err());
}

static void teardown(void)
{
    tu_test_dir_done(dir);
    dir = NULL;
}

/* ------------------------------------------------------------------------
 * Making logos.
 */

/* Write w x h RGBA pixels (straight alpha) as a PNG of pixel format fmt:
 * RGBA, RGBA64BE (each byte doubled up), GRAY8 (R used, alpha ignored) or
 * PAL8 (a palette of the distinct colours, alpha kept). */
static char *write_png(const char *name, int w, int h, const uint8_t *rgba, int fmt)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    ck_assert_ptr_nonnull(codec);
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    enc->width = w;
    enc->height = h;
    enc->pix_fmt = fmt;
    enc->time_base = (AVRational){1, 25};
    ck_assert_int_ge(avcodec_open2(enc, codec, NULL), 0);
    AVFrame *f = av_frame_alloc();
    f->format = fmt;
    f->width = w;
    f->height = h;
    ck_assert_int_ge(av_frame_get_buffer(f, 0), 0);
    uint32_t pal[256];
    int npal = 0;
    for (int y = 0; y < h; y++) {
        uint8_t *row = f->data[0] + (size_t)y * f->linesize[0];
        for (int x = 0; x < w; x++) {
            const uint8_t *p = rgba + 4 * ((size_t)y * w + x);
            switch (fmt) {
            case AV_PIX_FMT_RGBA:
                memcpy(row + 4 * x, p, 4);
                break;
            case AV_PIX_FMT_RGBA64BE:
                for (int k = 0; k < 4; k++)
                    row[8 * x + 2 * k] = row[8 * x + 2 * k + 1] = p[k];
                break;
            case AV_PIX_FMT_GRAY8:
                row[x] = p[0];
                break;
            case AV_PIX_FMT_PAL8: {
                uint32_t c = (uint32_t)p[3] << 24 | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 |
                             p[2];
                int k = 0;
                while (k < npal && pal[k] != c)
                    k++;
                if (k == npal) {
                    ck_assert_int_lt(npal, 256);
                    pal[npal++] = c;
                }
                row[x] = (uint8_t)k;
                break;
            }
            default:
                ck_abort_msg("format %d", fmt);
            }
        }
    }
    if (fmt == AV_PIX_FMT_PAL8)
        memcpy(f->data[1], pal, sizeof pal);
    AVPacket *pkt = av_packet_alloc();
    ck_assert_int_ge(avcodec_send_frame(enc, f), 0);
    ck_assert_int_ge(avcodec_send_frame(enc, NULL), 0);
    ck_assert_int_ge(avcodec_receive_packet(enc, pkt), 0);
    char *path = tu_path(dir, name);
    TU_OK(tu_write_file(path, pkt->data, (size_t)pkt->size));
    av_packet_free(&pkt);
    av_frame_free(&f);
    avcodec_free_context(&enc);
    return path;
}

/* The test logo: 200x100 of colour col, opaque, with a fully transparent
 * hole [50, 150) x [30, 70) whose RGB is black. */
#define LW 200
#define LH 100
static uint8_t *hole_logo(const uint8_t col[3])
{
    uint8_t *p = malloc(LW * LH * 4);
    ck_assert_ptr_nonnull(p);
    for (int y = 0; y < LH; y++)
        for (int x = 0; x < LW; x++) {
            uint8_t *q = p + 4 * (y * LW + x);
            int hole = x >= 50 && x < 150 && y >= 30 && y < 70;
            q[0] = hole ? 0 : col[0];
            q[1] = hole ? 0 : col[1];
            q[2] = hole ? 0 : col[2];
            q[3] = hole ? 0 : 255;
        }
    return p;
}

static const uint8_t ORANGE[3] = {255, 128, 0};

/* A clip: 320x568 (or as given), frames all different, no sound. */
static char *make_clip(const char *name, int w, int h, int frames, int bg)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = w;
    o.height = h;
    o.frames = frames;
    o.bg = bg;
    o.audio = TU_AUDIO_NONE;
    char *p = tu_path(dir, name);
    TU_OK(tu_make_clip(p, &o));
    return p;
}

static zimu_job *logo_job(const char *in, const char *subs, const char *out,
                          const char *logo, int corner, double width)
{
    zimu_job *job = tu_job(in, subs, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    int r = zimu_job_set_logo(job, logo, corner, width);
    ck_assert_msg(r == 0, "zimu_job_set_logo: %d %s", r, zimu_job_errmsg(job));
    return job;
}

/* Where the logo must be: the corner of the safe area, each edge at least
 * 4% of the width from the frame's, w = fraction of the width. */
static tu_box expected_box(int W, int H, const char *safe, int corner, double frac,
                           double aspect)
{
    zimu_ctx c = {0};
    zimu_safe_area sa;
    ck_assert_int_eq(zimu__safe_area(&c, safe, W, H, &sa), 0);
    double m = 0.04 * W;
    double l = fmax(sa.left * W, m), r = fmax(sa.right * W, m);
    double t = fmax(sa.top * H, m), b = fmax(sa.bottom * H, m);
    double w = frac * W, h = w / aspect;
    tu_box box;
    int left = corner == ZIMU_CORNER_TOP_LEFT || corner == ZIMU_CORNER_BOTTOM_LEFT;
    int top = corner == ZIMU_CORNER_TOP_LEFT || corner == ZIMU_CORNER_TOP_RIGHT;
    box.x0 = (int)lround(left ? l : W - r - w);
    box.y0 = (int)lround(top ? t : H - b - h);
    box.x1 = box.x0 + (int)lround(w);
    box.y1 = box.y0 + (int)lround(h);
    return box;
}

/* The box of pixels that differ between two previews (RGB) by more than
 * 60 in a channel: the PNG's chroma upsampling spreads a little colour a
 * few pixels past a sharp edge; the logo itself differs far more. */
static tu_box rgb_diff_box(const uint8_t *a, const uint8_t *b, int w, int h, long *count)
{
    tu_box box = {w, h, 0, 0};
    long n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const uint8_t *p = a + 3 * ((size_t)y * w + x), *q = b + 3 * ((size_t)y * w + x);
            if (abs(p[0] - q[0]) > 60 || abs(p[1] - q[1]) > 60 || abs(p[2] - q[2]) > 60) {
                n++;
                if (x < box.x0) box.x0 = x;
                if (y < box.y0) box.y0 = y;
                if (x + 1 > box.x1) box.x1 = x + 1;
                if (y + 1 > box.y1) box.y1 = y + 1;
            }
        }
    *count = n;
    return box;
}

#define BOX_NEAR(got, want, tol)                                                       \
    ck_assert_msg(abs((got).x0 - (want).x0) <= (tol) && abs((got).x1 - (want).x1) <= (tol) && \
                  abs((got).y0 - (want).y0) <= (tol) && abs((got).y1 - (want).y1) <= (tol), \
                  "logo at x %d-%d y %d-%d, expected about x %d-%d y %d-%d", (got).x0,        \
                  (got).x1, (got).y0, (got).y1, (want).x0, (want).x1, (want).y0, (want).y1)

#define ZIMU(err, ...) tu_zimu(dir, (const char *const[]){__VA_ARGS__, NULL}, err, sizeof err)

/* ------------------------------------------------------------------------
 * The burn, pixel by pixel.
 */
START_TEST(logo_pixels)
{
    char *in = make_clip("in.mp4", 320, 568, 12, TU_BG_CYCLE);
    uint8_t *rgba = hole_logo(ORANGE);
    char *png = write_png("logo.png", LW, LH, rgba, AV_PIX_FMT_RGBA);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = logo_job(in, NULL, out, png, ZIMU_CORNER_TOP_RIGHT, 0.3);
    TU_RUN_OK(job);
    zimu_job_free(&job);

    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(dst.n, src.n);
    tu_box want = expected_box(320, 568, NULL, ZIMU_CORNER_TOP_RIGHT, 0.3, 2.0);
    int W = 320, cw = W / 2;
    for (int i = 0; i < src.n; i++) {
        tu_box box;
        long d = tu_frame_diff(&dst, i, &src, i, 0, &box);
        ck_assert_msg(d > 3000, "frame %d: only %ld pixels changed", i, d);
        /* nothing changed outside the logo: the box of changes is it */
        BOX_NEAR(box, want, 1);
        ck_assert_msg(abs((box.x1 - box.x0) - 96) <= 1, "logo %d px wide, asked 96",
                      box.x1 - box.x0);
        /* the opaque part has the logo's colour; the hole is untouched */
        int n_opaque = 0, n_hole = 0;
        double sx = (box.x1 - box.x0) / (double)LW, sy = (box.y1 - box.y0) / (double)LH;
        for (int y = box.y0; y < box.y1; y++)
            for (int x = box.x0; x < box.x1; x++) {
                double lx = (x - box.x0 + 0.5) / sx, ly = (y - box.y0 + 0.5) / sy;
                int in_hole = lx > 50 + 3 / sx && lx < 150 - 3 / sx && ly > 30 + 3 / sy &&
                              ly < 70 - 3 / sy;
                int in_solid = (lx < 50 - 3 / sx || lx > 150 + 3 / sx || ly < 30 - 3 / sy ||
                                ly > 70 + 3 / sy) &&
                               x >= box.x0 + 3 && x < box.x1 - 3 && y >= box.y0 + 3 &&
                               y < box.y1 - 3;
                size_t o = (size_t)y * W + x, oc = (size_t)(y / 2) * cw + x / 2;
                if (in_hole) {
                    n_hole++;
                    ck_assert_msg(dst.f[i].y[o] == src.f[i].y[o] &&
                                  dst.f[i].u[oc] == src.f[i].u[oc] &&
                                  dst.f[i].v[oc] == src.f[i].v[oc],
                                  "frame %d: hole pixel %d,%d changed", i, x, y);
                } else if (in_solid) {
                    n_opaque++;
                    uint8_t rgb[3];
                    tu_pixel_rgb(&dst, i, x, y, rgb);
                    for (int k = 0; k < 3; k++)
                        ck_assert_msg(abs(rgb[k] - ORANGE[k]) <= 6,
                                      "frame %d pixel %d,%d: RGB %d %d %d, logo %d %d %d", i,
                                      x, y, rgb[0], rgb[1], rgb[2], ORANGE[0], ORANGE[1],
                                      ORANGE[2]);
                }
            }
        ck_assert_msg(n_hole > 300 && n_opaque > 1500, "test premise: %d hole, %d solid px",
                      n_hole, n_opaque);
    }
    tu_video_free(&src);
    tu_video_free(&dst);
    free(rgba); free(png); free(in); free(out);
}
END_TEST

/* Scaling keeps the alpha's meaning: a white disc with soft edges, its
 * transparent pixels black, over grey: no pixel may come out darker than
 * the grey (a straight-alpha scale mixes the black in: a dark fringe). */
START_TEST(no_dark_fringe)
{
    char *in = make_clip("in.mp4", 320, 568, 3, TU_BG_GREY);
    int S = 400;
    uint8_t *p = calloc((size_t)S * S * 4, 1);
    ck_assert_ptr_nonnull(p);
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            double d = hypot(x + 0.5 - S / 2.0, y + 0.5 - S / 2.0);
            double a = d < 150 ? 1 : d > 190 ? 0 : (190 - d) / 40;
            uint8_t *q = p + 4 * ((size_t)y * S + x);
            q[3] = (uint8_t)lround(a * 255);
            q[0] = q[1] = q[2] = q[3] ? 255 : 0;
        }
    char *png = write_png("disc.png", S, S, p, AV_PIX_FMT_RGBA);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = logo_job(in, NULL, out, png, ZIMU_CORNER_TOP_LEFT, 0.2);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    tu_box box;
    long d = tu_frame_diff(&dst, 0, &src, 0, 0, &box);
    ck_assert_msg(d > 1000, "only %ld pixels changed", d);
    int brighter = 0;
    for (int y = box.y0; y < box.y1; y++)
        for (int x = box.x0; x < box.x1; x++) {
            int a = dst.f[0].y[(size_t)y * 320 + x], b = src.f[0].y[(size_t)y * 320 + x];
            ck_assert_msg(a >= b - 1, "pixel %d,%d: luma %d under the background's %d", x, y,
                          a, b);
            brighter += a > b + 10;
        }
    ck_assert_int_gt(brighter, 1000);
    tu_video_free(&src);
    tu_video_free(&dst);
    free(p); free(png); free(in); free(out);
}
END_TEST

/* Grey, palette-with-transparency and 16-bit PNGs give the same colours. */
START_TEST(png_formats)
{
    char *in = make_clip("in.mp4", 320, 568, 2, TU_BG_GREY);
    static const struct {
        int fmt;
        uint8_t col[3];
        int hole; /* the format keeps alpha */
    } t[] = {
        {AV_PIX_FMT_GRAY8, {200, 200, 200}, 0},
        {AV_PIX_FMT_PAL8, {40, 200, 90}, 1},
        {AV_PIX_FMT_RGBA64BE, {30, 60, 230}, 1},
    };
    for (size_t k = 0; k < sizeof t / sizeof *t; k++) {
        uint8_t *rgba = hole_logo(t[k].col);
        char name[32];
        snprintf(name, sizeof name, "logo%zu.png", k);
        char *png = write_png(name, LW, LH, rgba, t[k].fmt);
        snprintf(name, sizeof name, "out%zu.mp4", k);
        char *out = tu_path(dir, name);
        zimu_job *job = logo_job(in, NULL, out, png, ZIMU_CORNER_TOP_LEFT, 0.5);
        TU_RUN_OK(job);
        zimu_job_free(&job);
        tu_video v;
        TU_OK(tu_read_video(out, &v, 1));
        tu_box b = expected_box(320, 568, NULL, ZIMU_CORNER_TOP_LEFT, 0.5, 2.0);
        int w = b.x1 - b.x0, h = b.y1 - b.y0;
        uint8_t rgb[3];
        tu_pixel_rgb(&v, 0, b.x0 + w / 8, b.y0 + h / 2, rgb); /* solid, left of the hole */
        for (int c = 0; c < 3; c++)
            ck_assert_msg(abs(rgb[c] - t[k].col[c]) <= 6, "format %d: RGB %d %d %d, want %d %d %d",
                          t[k].fmt, rgb[0], rgb[1], rgb[2], t[k].col[0], t[k].col[1],
                          t[k].col[2]);
        tu_pixel_rgb(&v, 0, b.x0 + w / 2, b.y0 + h / 2, rgb); /* the hole's middle */
        if (t[k].hole) /* the grey frame shows through */
            ck_assert_msg(abs(rgb[0] - 130) < 12 && abs(rgb[1] - 130) < 12 &&
                          abs(rgb[2] - 130) < 12,
                          "format %d: hole shows %d %d %d, not the grey frame", t[k].fmt,
                          rgb[0], rgb[1], rgb[2]);
        else /* no alpha: the hole's black is drawn */
            ck_assert_msg(rgb[0] < 8, "grey PNG: its black 'hole' is not drawn, got %d",
                          rgb[0]);
        tu_video_free(&v);
        free(rgba); free(png); free(out);
    }
    free(in);
}
END_TEST

/* ------------------------------------------------------------------------
 * Placement, in previews (which must show the logo as a burn does).
 */
static void preview_box(const char *in, const char *logo, const char *safe, int corner,
                        double frac, int W, int H)
{
    char *with = tu_path(dir, "with.png"), *without = tu_path(dir, "without.png");
    zimu_job *job = tu_job(in, NULL, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    zimu_job_set_overwrite(job, 1);
    if (safe)
        ck_assert_int_eq(zimu_job_set_safe_area(job, safe), 0);
    int r = zimu_job_preview(job, 0, without);
    ck_assert_msg(r == 0, "%d %s", r, zimu_job_errmsg(job));
    ck_assert_int_eq(zimu_job_set_logo(job, logo, corner, frac), 0);
    r = zimu_job_preview(job, 0, with);
    ck_assert_msg(r == 0, "%d %s", r, zimu_job_errmsg(job));
    zimu_job_free(&job);
    int w1, h1, w2, h2;
    uint8_t *a, *b;
    TU_OK(tu_read_image_rgb(with, &w1, &h1, &a));
    TU_OK(tu_read_image_rgb(without, &w2, &h2, &b));
    ck_assert(w1 == W && h1 == H && w2 == W && h2 == H);
    long n;
    tu_box got = rgb_diff_box(a, b, W, H, &n);
    ck_assert_msg(n > 100, "corner %d: the preview shows no logo", corner);
    tu_box want = expected_box(W, H, safe, corner, frac > 0 ? frac : 0.15, 1.0);
    BOX_NEAR(got, want, 2);
    free(a); free(b); free(with); free(without);
}

START_TEST(corners_in_safe_area)
{
    /* a square logo, fully opaque */
    uint8_t *sq = malloc(64 * 64 * 4);
    ck_assert_ptr_nonnull(sq);
    for (int i = 0; i < 64 * 64; i++)
        sq[4 * i] = 250, sq[4 * i + 1] = 20, sq[4 * i + 2] = 200, sq[4 * i + 3] = 255;
    char *png = write_png("sq.png", 64, 64, sq, AV_PIX_FMT_RGBA);
    char *tall = make_clip("tall.mp4", 320, 568, 2, TU_BG_GREY);
    char *wide = make_clip("wide.mp4", 568, 320, 2, TU_BG_GREY);
    for (int corner = 0; corner < 4; corner++) {
        preview_box(tall, png, NULL, corner, 0.2, 320, 568);     /* douyin */
        preview_box(tall, png, "none", corner, 0.1, 320, 568);
        preview_box(wide, png, NULL, corner, 0.1, 568, 320);     /* none */
        preview_box(tall, png, "reels", corner, 0.25, 320, 568);
    }
    /* the default width is 15% */
    preview_box(tall, png, NULL, ZIMU_CORNER_BOTTOM_RIGHT, 0, 320, 568);
    free(sq); free(png); free(tall); free(wide);
}
END_TEST

/* A logo too large for the safe area is shrunk into it. */
START_TEST(rect_shrinks_to_fit)
{
    zimu_logo_place p = {.frame_w = 320, .frame_h = 568, .corner = ZIMU_CORNER_BOTTOM_LEFT,
                         .width_fraction = 1.0, .top = 0.12, .bottom = 0.25, .left = 0.06,
                         .right = 0.16};
    int x, y, w, h;
    zimu__logo_rect(&p, 100, 100, &x, &y, &w, &h);
    ck_assert_int_eq(x, 20);                   /* 6% of 320 = 19.2, even */
    ck_assert_int_le(x + w, 320 - 51);         /* right 16% */
    ck_assert_int_eq(w, h);
    ck_assert_int_ge(w, 320 - 19 - 51 - 2);
    ck_assert_int_le(y + h, 568 - 142);
    /* a tall thin logo is limited by the height */
    zimu__logo_rect(&p, 10, 1000, &x, &y, &w, &h);
    ck_assert_int_le(h, 568 - 68 - 142);
    ck_assert_int_ge(h, 568 - 68 - 142 - 2);
    ck_assert_int_ge(y, 68);
    ck_assert_int_le(w, 4);
}
END_TEST

/* ------------------------------------------------------------------------
 * The logo is drawn over the captions.
 */
START_TEST(logo_over_captions)
{
    char *in = make_clip("in.mp4", 320, 568, 30, TU_BG_CYCLE);
    static const int64_t st[1] = {300}, en[1] = {700};
    const char *tx[1] = {"一二三四五六七八九十"};
    char *srt = tu_write_srt(dir, "in.srt", 1, st, en, tx);
    ck_assert_ptr_nonnull(srt);
    uint8_t *rgba = hole_logo(ORANGE);
    char *png = write_png("logo.png", LW, LH, rgba, AV_PIX_FMT_RGBA);
    char *caps = tu_path(dir, "caps.mp4"), *both = tu_path(dir, "both.mp4");
    zimu_job *job = tu_job(in, srt, caps);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    zimu_job_free(&job);
    job = logo_job(in, srt, both, png, ZIMU_CORNER_BOTTOM_LEFT, 0.7);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    tu_video src, vc, vb;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(caps, &vc, 1));
    TU_OK(tu_read_video(both, &vb, 1));
    /* frame 15 (500 ms) has the caption, frame 0 has not */
    tu_box cbox, lbox;
    ck_assert_int_gt(tu_frame_diff(&vc, 15, &src, 15, 0, &cbox), 100);
    ck_assert_int_gt(tu_frame_diff(&vb, 0, &src, 0, 0, &lbox), 100);
    /* premise: the caption reaches into the logo's opaque bottom band */
    int overlap = 0;
    for (int y = lbox.y1 - 12; y < lbox.y1 - 3; y++)
        for (int x = lbox.x0 + 3; x < lbox.x1 - 3; x++)
            overlap += vc.f[15].y[(size_t)y * 320 + x] != src.f[15].y[(size_t)y * 320 + x];
    ck_assert_msg(overlap > 50, "test premise: caption box x %d-%d y %d-%d does not cross "
                  "the logo's band y %d-%d", cbox.x0, cbox.x1, cbox.y0, cbox.y1,
                  lbox.y1 - 12, lbox.y1 - 3);
    /* there the frame shows the logo, not the caption */
    for (int y = lbox.y1 - 12; y < lbox.y1 - 3; y++)
        for (int x = lbox.x0 + 3; x < lbox.x1 - 3; x++) {
            uint8_t rgb[3];
            tu_pixel_rgb(&vb, 15, x, y, rgb);
            for (int k = 0; k < 3; k++)
                ck_assert_msg(abs(rgb[k] - ORANGE[k]) <= 6, "pixel %d,%d: %d %d %d: the "
                              "caption is drawn over the logo", x, y, rgb[0], rgb[1], rgb[2]);
        }
    tu_video_free(&src);
    tu_video_free(&vc);
    tu_video_free(&vb);
    free(rgba); free(png); free(in); free(srt); free(caps); free(both);
}
END_TEST

/* ------------------------------------------------------------------------
 * The compositor's picture entry point, exactly.
 */
START_TEST(compose_image_exact)
{
    AVFrame *f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = 16;
    f->height = 8;
    ck_assert_int_ge(av_frame_get_buffer(f, 0), 0);
    for (int y = 0; y < 8; y++)
        memset(f->data[0] + y * f->linesize[0], 100, 16);
    for (int y = 0; y < 4; y++) {
        memset(f->data[1] + y * f->linesize[1], 90, 8);
        memset(f->data[2] + y * f->linesize[2], 160, 8);
    }
    /* 8x4 picture at (-2, 2): columns 0-1 fall off the left edge. 2x2
     * blocks: opaque red, transparent, half-transparent blue, opaque
     * white. Premultiplied. */
    uint8_t img[4 * 8 * 4];
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 8; x++) {
            uint8_t *q = img + 4 * (y * 8 + x);
            int blk = x / 2;
            static const uint8_t px[4][4] = {{255, 0, 0, 255}, {0, 0, 0, 0},
                                             {0, 0, 128, 128}, {255, 255, 255, 255}};
            memcpy(q, px[blk], 4);
        }
    zimu_compose *c = zimu__compose_new();
    ck_assert_int_eq(zimu__compose_update_image(c, img, 32, -2, 2, 8, 4, 16, 8,
                                                AVCOL_SPC_SMPTE170M, AVCOL_RANGE_MPEG), 0);
    ck_assert(!zimu__compose_empty(c));
    AVFrame *orig = av_frame_clone(f);
    ck_assert_int_ge(av_frame_make_writable(f), 0);
    zimu__compose_blend(c, f);
    /* BT.601 limited: white 235/128/128; blue 41/240/110 at half alpha */
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 16; x++) {
            int got = f->data[0][y * f->linesize[0] + x];
            int want = 100;
            int lx = x + 2; /* picture column */
            if (y >= 2 && y < 6 && lx < 8) {
                int blk = lx / 2;
                want = blk == 0 ? 81 : blk == 1 ? 100 : blk == 2 ? (41 * 128 + 100 * 127 + 127) / 255
                                                                  : 235;
            }
            ck_assert_msg(abs(got - want) <= 1, "Y at %d,%d: %d, want %d", x, y, got, want);
        }
    /* chroma: block at luma x 0-1 is the picture's transparent block */
    ck_assert_int_eq(f->data[1][1 * f->linesize[1] + 0], 90);
    ck_assert_int_eq(f->data[2][1 * f->linesize[2] + 0], 160);
    ck_assert_msg(abs(f->data[1][1 * f->linesize[1] + 2] - 128) <= 1, "white Cb %d",
                  f->data[1][1 * f->linesize[1] + 2]);
    /* rows outside the picture untouched */
    ck_assert(!memcmp(f->data[0], orig->data[0], 16));
    ck_assert(!memcmp(f->data[0] + 7 * f->linesize[0], orig->data[0] + 7 * orig->linesize[0], 16));
    ck_assert(!memcmp(f->data[0] + 2 * f->linesize[0] + 6, orig->data[0] + 2 * orig->linesize[0] + 6, 10));
    /* a picture wholly outside the frame draws nothing */
    ck_assert_int_eq(zimu__compose_update_image(c, img, 32, 20, 0, 8, 4, 16, 8,
                                                AVCOL_SPC_SMPTE170M, AVCOL_RANGE_MPEG), 0);
    ck_assert(zimu__compose_empty(c));
    zimu__compose_free(&c);
    av_frame_free(&orig);
    av_frame_free(&f);
}
END_TEST

/* ------------------------------------------------------------------------
 * Bad logos and settings.
 */
/* A run and a preview with this logo fail with code, naming the logo in
 * the message (with want) and as the error file. */
static void run_fails(const char *in, const char *logo, int code, const char *want)
{
    char *out = tu_path(dir, "never.mp4");
    zimu_job *job = logo_job(in, NULL, out, logo, ZIMU_CORNER_TOP_RIGHT, 0.2);
    int r = zimu_job_run(job);
    ck_assert_msg(r == code, "%s: run returned %d (%s)", logo, r, zimu_job_errmsg(job));
    const char *m = zimu_job_errmsg(job);
    ck_assert_msg(strstr(m, logo) && strstr(m, want), "message: '%s', want '%s' and '%s'", m,
                  logo, want);
    ck_assert_msg(zimu_errfile(job) && !strcmp(zimu_errfile(job), logo),
                  "error file '%s', want '%s'", zimu_errfile(job) ? zimu_errfile(job) : "(null)",
                  logo);
    ck_assert_str_eq(zimu_errmsg(job), m);
    ck_assert(!tu_exists(out));
    char *png = tu_path(dir, "never.png");
    r = zimu_job_preview(job, 0, png);
    ck_assert_int_eq(r, code);
    ck_assert_str_eq(zimu_errfile(job) ? zimu_errfile(job) : "(null)", logo);
    ck_assert(!tu_exists(png));
    zimu_job_free(&job);
    free(out);
    free(png);
}

START_TEST(bad_logos)
{
    char *in = make_clip("in.mp4", 320, 568, 2, TU_BG_GREY);
    /* Missing or unreadable: an input file is missing (as the video). */
    char *missing = tu_path(dir, "missing.png");
    run_fails(in, missing, ZIMU_ENOENT, "No such file");
    run_fails(in, dir, ZIMU_ENOENT, "");
    /* There but not a usable PNG: a bad setting. */
    char *text = tu_write_text(dir, "logo.png", "this is not a picture\n");
    run_fails(in, text, ZIMU_EINVAL, ": not a PNG image");
    char *jpg = tu_path(dir, "photo.png");
    static const uint8_t jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
    TU_OK(tu_write_file(jpg, jpeg, sizeof jpeg));
    run_fails(in, jpg, ZIMU_EINVAL, ": not a PNG image");
    char *broken = tu_path(dir, "broken.png");
    static const uint8_t bad[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                  'I', 'H', 'D', 'R', 1, 2, 3};
    TU_OK(tu_write_file(broken, bad, sizeof bad));
    run_fails(in, broken, ZIMU_EINVAL, "damaged");

    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_logo(job, "x.png", 4, 0.2), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_logo(job, "x.png", -1, 0.2), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_logo(job, "x.png", 0, 1.5), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_logo(job, NULL, 0, 0), 0);
    zimu_job_free(&job);
    free(in); free(missing); free(text); free(jpg); free(broken);
}
END_TEST

/* ------------------------------------------------------------------------
 * The command line.
 */
START_TEST(cli_logo)
{
    char *in = make_clip("in.mp4", 320, 568, 6, TU_BG_GREY);
    uint8_t *rgba = hole_logo(ORANGE);
    char *png = write_png("logo.png", LW, LH, rgba, AV_PIX_FMT_RGBA);
    char *srt = tu_write_text(dir, "in.srt", "1\n00:00:00,000 --> 00:00:01,000\nhi\n");
    char *out = tu_path(dir, "out.mp4"), *ref = tu_path(dir, "ref.mp4");
    char err[4096];
    int st = ZIMU(err, "burn", in, "-s", srt, "-o", out, "--crf", "0", "--preset",
                  "ultrafast", "--logo", png, "--logo-corner", "bl", "--logo-width", "0.25",
                  "-q");
    ck_assert_msg(st == 0, "exit %d: %s", st, err);
    zimu_job *job = tu_job(in, srt, ref);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_logo(job, png, ZIMU_CORNER_BOTTOM_LEFT, 0.25), 0);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    tu_video a, b;
    TU_OK(tu_read_video(out, &a, 1));
    TU_OK(tu_read_video(ref, &b, 1));
    ck_assert_int_eq(a.n, b.n);
    for (int i = 0; i < a.n; i++)
        ck_assert_int_eq(tu_frame_diff(&a, i, &b, i, 0, NULL), 0);
    tu_video_free(&a);
    tu_video_free(&b);

    char *p = tu_path(dir, "p.png");
    st = ZIMU(err, "preview", in, "-s", srt, "-t", "0", "-o", p, "--logo", png, "-q");
    ck_assert_msg(st == 0 && tu_exists(p), "preview: exit %d: %s", st, err);

    char *never = tu_path(dir, "never.mp4");
    st = ZIMU(err, "burn", in, "-s", srt, "-o", never, "--logo", png, "--logo-corner", "top");
    ck_assert_msg(st == 1 && strstr(err, "--logo-corner") && strstr(err, "top"), "exit %d: %s",
                  st, err);
    st = ZIMU(err, "burn", in, "-s", srt, "-o", never, "--logo", png, "--logo-width", "2");
    ck_assert_msg(st == 1 && strstr(err, "--logo-width"), "exit %d: %s", st, err);
    st = ZIMU(err, "burn", in, "-s", srt, "-o", never, "--logo-width", "0.2");
    ck_assert_msg(st == 1 && strstr(err, "--logo"), "exit %d: %s", st, err);
    st = ZIMU(err, "burn", in, "-s", srt, "-o", never, "--logo", srt);
    ck_assert_msg(st != 0 && strstr(err, "not a PNG image") && strstr(err, srt), "exit %d: %s",
                  st, err);
    /* A missing logo is a missing input file: exit 2, naming the logo. */
    char *gone = tu_path(dir, "gone.png");
    st = ZIMU(err, "burn", in, "-s", srt, "-o", never, "--logo", gone);
    ck_assert_msg(st == 2 && strstr(err, gone), "exit %d: %s", st, err);
    char *never_png = tu_path(dir, "never.png");
    st = ZIMU(err, "preview", in, "-s", srt, "-t", "0", "-o", never_png, "--logo", gone);
    ck_assert_msg(st == 2 && strstr(err, gone), "exit %d: %s", st, err);
    free(gone);
    ck_assert(!tu_exists(never) && !tu_exists(never_png));
    free(never_png);
    free(rgba); free(png); free(in); free(srt); free(out); free(ref); free(p); free(never);
}
END_TEST

static Suite *logo_suite(void)
{
    Suite *s = suite_create("logo");
    TCase *tc = tcase_create("logo");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, logo_pixels);
    tcase_add_test(tc, no_dark_fringe);
    tcase_add_test(tc, png_formats);
    tcase_add_test(tc, corners_in_safe_area);
    tcase_add_test(tc, rect_shrinks_to_fit);
    tcase_add_test(tc, logo_over_captions);
    tcase_add_test(tc, compose_image_exact);
    tcase_add_test(tc, bad_logos);
    tcase_add_test(tc, cli_logo);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(logo_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
