/* check_burn.c - the burn pipeline end to end: captions in exactly the
 * right frames, pixels unchanged elsewhere, caption colours, placement,
 * preview, caller-supplied I/O, a silent default burn.
 *
 * Every clip is made at test time (util_clip.c) and encoded losslessly, and
 * the pipeline runs with CRF 0, so "unchanged" means bit-identical. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libavcodec/avcodec.h>
#include <libavutil/pixfmt.h>

#include "util_ass.h"
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
 * Captions appear in exactly the frames inside each cue's [start, end):
 * every other output frame is bit-identical to its source frame; frames
 * inside differ, only in the lower half, and each cue draws its own text
 * (a short and a long cue give boxes of clearly different widths). */
START_TEST(captions_in_exact_frames)
{
    tu_clip_opts o;
    tu_clip_defaults(&o); /* 320x568, 30 fps, 60 frames, distinct frames */
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st[3] = {300, 700, 1500}, en[3] = {700, 1200, 1800};
    const char *tx[3] = {"OK", "OK OK OK OK", "OK"};
    char *srt = tu_write_srt(dir, "in.srt", 3, st, en, tx);
    ck_assert_msg(srt != NULL, "%s", tu_err());
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);

    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(src.n, 60);
    ck_assert_msg(dst.n == src.n, "output has %d frames, source %d", dst.n,
                  src.n);
    const zimu_stats *s = zimu_job_stats(job);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->frames, src.n);
    ck_assert_int_eq(s->width, 320);
    ck_assert_int_eq(s->height, 568);

    int *vis = tu_visible_frames(&src, 3, st, en);
    tu_box boxes[60];
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, boxes);
    ck_assert_msg(bad == 0, "%s", tu_err());

    /* which cue is on screen: cue 1 and 3 are "OK", cue 2 four times wider */
    int w_short = -1, w_long = -1;
    for (int i = 0; i < src.n; i++) {
        if (!vis[i])
            continue;
        int64_t t = tu_frame_ms(&src, i);
        int w = boxes[i].x1 - boxes[i].x0;
        int *ref = (t >= st[1] && t < en[1]) ? &w_long : &w_short;
        if (*ref < 0)
            *ref = w;
        ck_assert_msg(abs(w - *ref) <= 2,
                      "frame %d (%lld ms): caption box %d px wide, other "
                      "frames of the same cue %d px",
                      i, (long long)t, w, *ref);
    }
    ck_assert_msg(w_long > w_short * 2,
                  "the long cue's box (%d px) is not clearly wider than the "
                  "short cue's (%d px): wrong cue on screen?",
                  w_long, w_short);
    free(vis);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    ck_assert_ptr_null(job);
    free(in); free(srt); free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * Cue edges 1 ms either side of a frame time land on the right frame.
 * At 30 fps frame k is at k * 33.333 ms: frame 30 at 1000 ms, 33 at 1100,
 * 39 at 1300, 42 at 1400, 48 at 1600, 51 at 1700, 54 at 1800, 57 at 1900.
 * A frame shows a cue when start <= floor(frame time in ms) < end. */
START_TEST(cue_edges_1ms)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    /* start 1 ms before a frame / 1 ms after / exactly on; end 1 ms after
     * a frame / exactly on / 1 ms before */
    int64_t st[4] = {999, 1301, 1600, 1801}, en[4] = {1101, 1400, 1699, 1899};
    const char *tx[4] = {"Edge A", "Edge B", "Edge C", "Edge D"};
    char *srt = tu_write_srt(dir, "edges.srt", 4, st, en, tx);
    ck_assert_ptr_nonnull(srt);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);

    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(src.n, 60);
    /* the premise: frame times as computed above */
    ck_assert_int_eq(tu_frame_ms(&src, 30), 1000);
    ck_assert_int_eq(tu_frame_ms(&src, 39), 1300);
    ck_assert_int_eq(tu_frame_ms(&src, 51), 1700);
    int *vis = tu_visible_frames(&src, 4, st, en);
    static const int want[] = {30, 31, 32, 33, 40, 41, 48, 49, 50, 55, 56};
    for (int i = 0, j = 0; i < src.n; i++) {
        int expect = j < (int)(sizeof want / sizeof *want) && want[j] == i;
        if (expect)
            j++;
        ck_assert_msg(vis[i] == expect, "test premise: frame %d", i);
    }
    ck_assert_msg(dst.n == src.n, "output has %d frames, source %d", dst.n,
                  src.n);
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    free(vis);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * Colour inside the glyph strokes. Black background, so a dark outline or
 * shadow is (nearly) invisible. Stroke pixels are those whose luma moved at
 * least half way from the background towards the style colour's luma (so
 * anti-aliased seams where two strokes almost touch are not counted as
 * stroke), eroded by 3 px so that only pixels at least 3 px inside a stroke
 * remain. Each of those must be within 8 per channel of the style colour
 * after the YUV round trip. The texts use glyphs with open strokes (工口田),
 * and the frames are large enough for strokes several pixels wide. */
static void check_stroke_colour(const tu_video *dst, const tu_video *src,
                                int i, const uint8_t want[3], tu_box *box_out)
{
    int w = dst->width, h = dst->height;
    ck_assert_int_eq(w, src->width);
    ck_assert_int_eq(h, src->height);
    int bt709 = tu_video_is_bt709(dst);
    double kr = bt709 ? 0.2126 : 0.299, kb = bt709 ? 0.0722 : 0.114;
    double want_y = 16 + 219 * (kr * want[0] + (1 - kr - kb) * want[1] +
                                kb * want[2]) / 255.0;
    uint8_t *mask = calloc((size_t)w * h, 1), *core = calloc((size_t)w * h, 1);
    ck_assert(mask && core);
    const tu_frame *a = &dst->f[i], *b = &src->f[i];
    tu_box box = {0, 0, 0, 0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t o = (size_t)y * w + x;
            double full = want_y - b->y[o];
            ck_assert_msg(fabs(full) >= 20, "test premise: background luma %d "
                          "too close to the style's %.0f", b->y[o], want_y);
            int m = (a->y[o] - b->y[o]) / full >= 0.5;
            mask[o] = (uint8_t)m;
            if (m) {
                if (box.x1 <= box.x0)
                    box = (tu_box){x, y, x + 1, y + 1};
                if (x < box.x0) box.x0 = x;
                if (y < box.y0) box.y0 = y;
                if (x >= box.x1) box.x1 = x + 1;
                if (y >= box.y1) box.y1 = y + 1;
            }
        }
    tu_mask_erode(mask, w, h, 3, core);
    long n = tu_mask_count(core, w, h), badn = 0;
    int worst = 0, wx = 0, wy = 0;
    uint8_t wrgb[3] = {0, 0, 0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!core[(size_t)y * w + x])
                continue;
            uint8_t rgb[3];
            tu_pixel_rgb(dst, i, x, y, rgb);
            int d = 0;
            for (int k = 0; k < 3; k++)
                if (abs(rgb[k] - want[k]) > d)
                    d = abs(rgb[k] - want[k]);
            if (d > 8)
                badn++;
            if (d > worst) {
                worst = d; wx = x; wy = y;
                memcpy(wrgb, rgb, 3);
            }
        }
    ck_assert_msg(n >= 100,
                  "frame %d: only %ld pixels lie 3 px inside the strokes "
                  "(caption box x %d-%d y %d-%d): caption missing or thin",
                  i, n, box.x0, box.x1, box.y0, box.y1);
    ck_assert_msg(badn == 0,
                  "frame %d: %ld of %ld stroke pixels are more than 8 off "
                  "(%d,%d,%d); worst at (%d,%d): (%d,%d,%d), off by %d "
                  "(output tagged colorspace %d, read as %s)",
                  i, badn, n, want[0], want[1], want[2], wx, wy, wrgb[0],
                  wrgb[1], wrgb[2], worst, dst->colorspace,
                  bt709 ? "BT.709" : "BT.601");
    if (box_out)
        *box_out = box;
    free(mask);
    free(core);
}

START_TEST(default_style_strokes_white)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 1080; /* default size is 8 % of the width: 86 px glyphs */
    o.height = 1920;
    o.frames = 2;
    o.bg = TU_BG_BLACK;
    o.markers = 0;
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 0, en = 10000;
    const char *tx = "工口田 HI";
    char *srt = tu_write_srt(dir, "white.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(dst.n, src.n);
    static const uint8_t white[3] = {255, 255, 255};
    check_stroke_colour(&dst, &src, 0, white, NULL);
    check_stroke_colour(&dst, &src, dst.n - 1, white, NULL);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* An ASS file's own style: red, no outline, top-centre (alignment 8). The
 * strokes read red and the caption sits in the top half. */
static const char RED_ASS[] =
    "[Script Info]\n"
    "ScriptType: v4.00+\n"
    "PlayResX: 720\n"
    "PlayResY: 1280\n"
    "WrapStyle: 2\n"
    "ScaledBorderAndShadow: yes\n"
    "\n"
    "[V4+ Styles]\n"
    TU_ASS_STYLE_FORMAT
    "Style: Red,Noto Sans CJK SC,110,&H000000FF,&H000000FF,&H00000000,"
    "&H00000000,-1,0,0,0,100,100,0,0,1,0,0,8,20,20,120,1\n"
    "\n"
    "[Events]\n"
    TU_ASS_EVENT_FORMAT
    "Dialogue: 0,0:00:00.00,0:00:10.00,Red,,0,0,0,,工口田 HI\n";

START_TEST(ass_style_strokes_red)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 720;
    o.height = 1280;
    o.frames = 4;
    o.bg = TU_BG_BLACK;
    o.markers = 0;
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    char *ass = tu_write_text(dir, "red.ass", RED_ASS);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, ass, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(dst.n, src.n);
    static const uint8_t red[3] = {255, 0, 0};
    tu_box box;
    check_stroke_colour(&dst, &src, 0, red, &box);
    ck_assert_msg(box.y1 <= dst.height / 2,
                  "the style's alignment 8 (top) was not respected: caption "
                  "box y %d-%d in a %d px high frame",
                  box.y0, box.y1, dst.height);
    ck_assert_msg(box.y0 >= 60 && box.y0 <= 240,
                  "MarginV 120 at PlayResY 1280 on a 1280 px frame: caption "
                  "top at y %d, expected near 120",
                  box.y0);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(ass); free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * Default placement on a vertical frame: centred, in the lower half, and
 * clear of the bottom fifth where the app's description and buttons sit. */
START_TEST(default_caption_placement)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 4;
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 0, en = 10000;
    const char *tx = "字幕位置 Caption";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    int vis[4] = {1, 1, 1, 1};
    tu_box b[4];
    ck_assert_int_eq(dst.n, 4);
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, 4, 20, b);
    ck_assert_msg(bad == 0, "%s", tu_err());
    int w = dst.width, h = dst.height;
    ck_assert_msg(b[0].y1 <= h * 4 / 5 + 2,
                  "caption box y %d-%d reaches into the bottom fifth "
                  "(below y %d) of a %dx%d frame",
                  b[0].y0, b[0].y1, h * 4 / 5, w, h);
    /* roughly centred (the layout may keep the right-hand column of
     * like/comment buttons clear), and clear of both edges */
    int cx2 = b[0].x0 + b[0].x1;
    ck_assert_msg(abs(cx2 - w) <= w / 5 && b[0].x0 > 0 && b[0].x1 < w,
                  "caption box x %d-%d is off-centre or at an edge of %d px",
                  b[0].x0, b[0].x1, w);
    ck_assert_msg(b[0].y1 - b[0].y0 < h / 4,
                  "one short line makes a box %d px high", b[0].y1 - b[0].y0);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * A default burn (no log callback, default CRF and preset) writes nothing
 * to stderr: FFmpeg, x264 and libass stay quiet. */
START_TEST(default_burn_writes_nothing_to_stderr)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 15;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 100, en = 400;
    const char *tx = "安静 Quiet";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    char *err = tu_path(dir, "stderr.txt");

    int saved = tu_stderr_to(err);
    ck_assert_msg(saved >= 0, "%s", tu_err());
    zimu_job *job = zimu_job_new();
    int rc = job ? zimu_job_set_input(job, in) : -100;
    if (rc == 0)
        rc = zimu_job_set_subtitles(job, srt);
    if (rc == 0)
        rc = zimu_job_set_output(job, out);
    if (rc == 0)
        rc = zimu_job_run(job);
    char msg[1100];
    snprintf(msg, sizeof msg, "%s", job ? zimu_job_errmsg(job) : "no job");
    zimu_job_free(&job);
    tu_stderr_restore(saved);

    ck_assert_msg(rc == 0, "default burn failed: %d (%s): %s", rc,
                  zimu_strerror(rc), msg);
    uint8_t *text;
    size_t n;
    TU_OK(tu_read_file(err, &text, &n));
    ck_assert_msg(n == 0, "a default burn wrote %zu bytes to stderr: %.*s", n,
                  (int)(n > 600 ? 600 : n), (const char *)text);
    free(text);
    free(in); free(srt); free(out); free(err);
}
END_TEST

/* Default encoding settings suit a Douyin upload: H.264 High, yuv420p,
 * MP4 with the index first (faststart), no display matrix. */
START_TEST(default_output_h264_high_faststart)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 15;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 100, en = 400;
    const char *tx = "默认 Default";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_input(job, in), 0);
    ck_assert_int_eq(zimu_job_set_subtitles(job, srt), 0);
    ck_assert_int_eq(zimu_job_set_output(job, out), 0);
    TU_RUN_OK(job);
    tu_video v;
    TU_OK(tu_read_video(out, &v, 0));
    ck_assert_msg(strstr(v.format, "mp4") != NULL, "container %s", v.format);
    ck_assert_msg(v.codec_id == AV_CODEC_ID_H264, "codec %s",
                  avcodec_get_name(v.codec_id));
    ck_assert_msg(v.profile == FF_PROFILE_H264_HIGH,
                  "H.264 profile %d, expected High (%d)", v.profile,
                  FF_PROFILE_H264_HIGH);
    ck_assert_msg(v.pix_fmt == AV_PIX_FMT_YUV420P, "pixel format %d", v.pix_fmt);
    ck_assert_int_eq(v.n, 15);
    ck_assert_msg(!v.has_displaymatrix, "output carries a display matrix");
    int fs = tu_mp4_faststart(out);
    ck_assert_msg(fs == 1, "output is not faststart (moov after mdat): %d %s",
                  fs, fs < 0 ? tu_err() : "");
    tu_video_free(&v);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * Preview: a PNG of the asked size, with the caption when t is inside a
 * cue and without it outside, written without leftovers. */
static long bright_pixels(const uint8_t *rgb, int w, int h, int *min_y)
{
    long n = 0;
    *min_y = h;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            if (p[0] > 200 && p[1] > 200 && p[2] > 200) {
                n++;
                if (y < *min_y)
                    *min_y = y;
            }
        }
    return n;
}

START_TEST(preview_png_size_and_caption)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 568; /* landscape source, vertical preview */
    o.height = 320;
    o.frames = 30;
    o.bg = TU_BG_BLACK;
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 500, en = 1000;
    const char *tx = "预览 Preview";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *p_on = tu_path(dir, "on.png"), *p_off = tu_path(dir, "off.png");
    zimu_job *job = tu_job(in, srt, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_size(job, 320, 568), 0);
    ck_assert_int_eq(zimu_job_set_fit(job, ZIMU_FIT_PAD), 0);
    int rc = zimu_job_preview(job, 700, p_on);
    ck_assert_msg(rc == 0, "preview at 700 ms: %d (%s): %s", rc,
                  zimu_strerror(rc), zimu_job_errmsg(job));
    rc = zimu_job_preview(job, 200, p_off);
    ck_assert_msg(rc == 0, "preview at 200 ms: %d (%s): %s", rc,
                  zimu_strerror(rc), zimu_job_errmsg(job));

    int w, h, miny;
    uint8_t *rgb;
    TU_OK(tu_read_image_rgb(p_on, &w, &h, &rgb));
    ck_assert_msg(w == 320 && h == 568, "preview is %dx%d, asked 320x568", w, h);
    long n_on = bright_pixels(rgb, w, h, &miny);
    ck_assert_msg(n_on >= 50, "preview inside the cue: %ld white pixels", n_on);
    ck_assert_msg(miny >= h / 2, "caption pixels reach up to y %d", miny);
    /* pad: the top bar is black (the red/green markers sit inside the
     * picture, which starts at y 194) */
    for (int y = 0; y < 180; y++)
        for (int x = 0; x < w; x++) {
            const uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            ck_assert_msg(p[0] <= 24 && p[1] <= 24 && p[2] <= 24,
                          "pad bar pixel (%d,%d) is (%d,%d,%d), not black", x,
                          y, p[0], p[1], p[2]);
        }
    free(rgb);
    TU_OK(tu_read_image_rgb(p_off, &w, &h, &rgb));
    ck_assert_msg(w == 320 && h == 568, "preview is %dx%d, asked 320x568", w, h);
    long n_off = bright_pixels(rgb, w, h, &miny);
    ck_assert_msg(n_off == 0, "preview outside the cue has %ld white pixels",
                  n_off);
    free(rgb);
    char names[512];
    int n = tu_dir_list(dir, names, sizeof names);
    ck_assert_msg(n == 4, "directory holds %d entries, expected in.mp4 in.srt "
                  "on.png off.png: %s", n, names);
    zimu_job_free(&job);
    free(in); free(srt); free(p_on); free(p_off);
}
END_TEST

/* ------------------------------------------------------------------------
 * Input from a memory buffer through read/seek callbacks, output collected
 * in memory through the write callback: a valid faststart MP4 with every
 * frame and the caption. Nothing is written beside the input. */
START_TEST(io_callbacks_memory)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 20;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 200, en = 400;
    const char *tx = "内存 Memory";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    tu_membuf src = {0}, dst = {0};
    TU_OK(tu_read_file(in, &src.data, &src.size));

    zimu_job *job = tu_job(NULL, srt, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_input_io(job, tu_mem_read, tu_mem_seek, &src,
                                           "memory.mp4"), 0);
    ck_assert_int_eq(zimu_job_set_output_io(job, tu_mem_write, &dst), 0);
    char *tmp = tu_tmpdir_push(dir); /* temporary files, if any, land here */
    int rc = zimu_job_run(job);
    tu_tmpdir_pop(tmp);
    ck_assert_msg(rc == 0, "zimu_job_run: %d (%s): %s", rc, zimu_strerror(rc),
                  zimu_job_errmsg(job));
    ck_assert_msg(dst.size > 1000, "wrote %zu bytes through the callback",
                  dst.size);
    ck_assert_msg(dst.pos == dst.size, "callback output not written in order");
    char *got = tu_path(dir, "got.mp4");
    TU_OK(tu_write_file(got, dst.data, dst.size));
    ck_assert_msg(!memcmp(dst.data + 4, "ftyp", 4), "output does not start "
                  "with an ftyp box");
    ck_assert_msg(tu_mp4_faststart(got) == 1, "callback output is not faststart");

    tu_video a, b;
    TU_OK(tu_read_video(in, &a, 1));
    TU_OK(tu_read_video(got, &b, 1));
    ck_assert_msg(strstr(b.format, "mp4") != NULL, "container %s", b.format);
    ck_assert_msg(b.n == a.n, "output has %d frames, source %d", b.n, a.n);
    int *vis = tu_visible_frames(&a, 1, &st, &en);
    int bad = tu_check_caption_frames(&b, &a, 0, vis, a.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    free(vis);
    char names[512];
    int n = tu_dir_list(dir, names, sizeof names);
    ck_assert_msg(n == 3, "directory holds: %s (expected in.mp4 in.srt got.mp4)",
                  names);
    tu_video_free(&a);
    tu_video_free(&b);
    tu_membuf_free(&src);
    tu_membuf_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(got);
}
END_TEST

/* Captions given from memory (zimu_job_set_subtitles_data) burn the same
 * frames as the same bytes from a file. */
START_TEST(subtitles_from_memory)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 20;
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    static const char srt[] = "1\n00:00:00,200 --> 00:00:00,400\n内存字幕\n\n";
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_subtitles_data(job, srt, strlen(srt), "mem.srt"), 0);
    TU_RUN_OK(job);
    tu_video a, b;
    TU_OK(tu_read_video(in, &a, 1));
    TU_OK(tu_read_video(out, &b, 1));
    ck_assert_int_eq(b.n, a.n);
    int64_t st = 200, en = 400;
    int *vis = tu_visible_frames(&a, 1, &st, &en);
    int bad = tu_check_caption_frames(&b, &a, 0, vis, a.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    free(vis);
    tu_video_free(&a);
    tu_video_free(&b);
    zimu_job_free(&job);
    free(in); free(out);
}
END_TEST

/* The last frame is on screen until its end: on a 2 s clip at 30 fps a
 * preview at 1.99 s shows frame 59 (from 1.9667 s to 2.0 s), the same
 * picture as a preview at 1.967 s; 2.0 s is past the end. */
/* A preview job for a clip made with o and one cue [st, en) of text tx;
 * *in and *srt receive the files' paths (malloc'd). */
static zimu_job *preview_job(const tu_clip_opts *o, int64_t st, int64_t en, const char *tx,
                             char **in, char **srt)
{
    *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(*in, o));
    *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    zimu_job *job = tu_job(*in, *srt, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    return job;
}

/* The preview at t_ms as RGB (malloc'd), its size in *w, *h. */
static uint8_t *preview_rgb(zimu_job *job, int64_t t_ms, int *w, int *h)
{
    char *png = tu_path(dir, "p.png");
    int rc = zimu_job_preview(job, t_ms, png);
    ck_assert_msg(rc == 0, "preview at %lld ms: %s", (long long)t_ms, zimu_job_errmsg(job));
    uint8_t *rgb;
    TU_OK(tu_read_image_rgb(png, w, h, &rgb));
    free(png);
    return rgb;
}

START_TEST(preview_last_frame_until_its_end)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 60;
    o.audio = 0;
    char *in, *srt;
    zimu_job *job = preview_job(&o, 0, 100, "末帧", &in, &srt);
    static const int64_t at[3] = {1967, 1990, 1930};
    uint8_t *rgb[3];
    int w = 0, h = 0;
    for (int i = 0; i < 3; i++)
        rgb[i] = preview_rgb(job, at[i], &w, &h);
    size_t bytes = (size_t)w * h * 3;
    ck_assert_msg(memcmp(rgb[0], rgb[1], bytes) == 0, "1.99 s is not the last frame");
    ck_assert_msg(memcmp(rgb[0], rgb[2], bytes) != 0, "frames 58 and 59 look the same");
    char *png = tu_path(dir, "end.png");
    ck_assert_int_eq(zimu_job_preview(job, 2000, png), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_preview(job, 2500, png), ZIMU_EINVAL);
    for (int i = 0; i < 3; i++)
        free(rgb[i]);
    free(png);
    zimu_job_free(&job);
    free(in);
    free(srt);
}
END_TEST

/* The frame on screen at time t is the last one that starts at or before
 * t. On a 25 fps clip whose frames each have their own flat colour, a
 * preview at 1.5 s shows frame 37 (1.48 s to 1.52 s), not 38; at exactly
 * 1.52 s, frame 38. Its captions are those of that frame's time, as in a
 * burn: a cue from 1.49 s is not on frame 37 (which starts before it) and
 * is on frame 38. */
static int nearest_frame(const uint8_t *px, int frames)
{
    int best = -1;
    long best_d = 0;
    for (int k = 0; k < frames; k++)
        for (int bt709 = 0; bt709 < 2; bt709++) {
            uint8_t yuv[3], rgb[3];
            tu_clip_bg(TU_BG_CYCLE, k, yuv);
            tu_yuv_to_rgb(yuv[0], yuv[1], yuv[2], bt709, 0, rgb);
            long d = 0;
            for (int c = 0; c < 3; c++)
                d += labs((long)px[c] - rgb[c]);
            if (best < 0 || d < best_d)
                best = k, best_d = d;
        }
    return best;
}

START_TEST(preview_shows_frame_on_screen)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.fps_num = 25;
    o.frames = 60;
    o.audio = 0;
    o.markers = 0;
    char *in, *srt;
    zimu_job *job = preview_job(&o, 1490, 1700, "第三十八帧", &in, &srt);
    static const struct {
        int64_t t;
        int frame, caption;
    } at[] = {{1500, 37, 0}, {1519, 37, 0}, {1520, 38, 1}, {1530, 38, 1},
              {0, 0, 0}, {10, 0, 0}, {40, 1, 0}, {2390, 59, 0}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        int w, h;
        uint8_t *rgb = preview_rgb(job, at[i].t, &w, &h);
        /* the top left corner is never under a caption */
        int k = nearest_frame(rgb + ((size_t)10 * w + 10) * 3, o.frames);
        ck_assert_msg(k == at[i].frame, "preview at %lld ms shows frame %d, want %d",
                      (long long)at[i].t, k, at[i].frame);
        /* caption: pixels far from the frame's flat colour */
        long inked = 0;
        for (size_t p = 0; p < (size_t)w * h; p++) {
            long d = 0;
            for (int c = 0; c < 3; c++)
                d += labs((long)rgb[p * 3 + c] - rgb[((size_t)10 * w + 10) * 3 + c]);
            inked += d > 60;
        }
        ck_assert_msg((inked > 50) == at[i].caption, "preview at %lld ms: %ld pixels of caption",
                      (long long)at[i].t, inked);
        free(rgb);
    }
    zimu_job_free(&job);
    free(in);
    free(srt);
}
END_TEST

/* The output video and a preview PNG get the usual permissions of a new
 * file (0666 less the umask), like any other file the user creates, even
 * though they are written under a temporary name first. */
START_TEST(outputs_honour_umask)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 4;
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 0, en = 1000;
    const char *tx = "权限";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4"), *png = tu_path(dir, "out.png");
    umask(022);
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    int rc = zimu_job_preview(job, 100, png);
    ck_assert_msg(rc == 0, "preview: %d (%s): %s", rc, zimu_strerror(rc),
                  zimu_job_errmsg(job));
    struct stat sv, sp;
    ck_assert_int_eq(stat(out, &sv), 0);
    ck_assert_int_eq(stat(png, &sp), 0);
    ck_assert_msg((sv.st_mode & 0777) == 0644, "video output mode %03o with "
                  "umask 022, expected 644", (unsigned)(sv.st_mode & 0777));
    ck_assert_msg((sp.st_mode & 0777) == 0644, "preview PNG mode %03o with "
                  "umask 022, expected 644", (unsigned)(sp.st_mode & 0777));
    zimu_job_free(&job);
    free(in); free(srt); free(out); free(png);
}
END_TEST

static Suite *burn_suite(void)
{
    Suite *s = suite_create("burn");
    TCase *tc = tcase_create("burn");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, captions_in_exact_frames);
    tcase_add_test(tc, cue_edges_1ms);
    tcase_add_test(tc, default_style_strokes_white);
    tcase_add_test(tc, ass_style_strokes_red);
    tcase_add_test(tc, default_caption_placement);
    tcase_add_test(tc, default_burn_writes_nothing_to_stderr);
    tcase_add_test(tc, default_output_h264_high_faststart);
    tcase_add_test(tc, preview_png_size_and_caption);
    tcase_add_test(tc, preview_last_frame_until_its_end);
    tcase_add_test(tc, preview_shows_frame_on_screen);
    tcase_add_test(tc, io_callbacks_memory);
    tcase_add_test(tc, subtitles_from_memory);
    tcase_add_test(tc, outputs_honour_umask);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(burn_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
