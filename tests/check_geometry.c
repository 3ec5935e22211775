/* check_geometry.c - rotation from the display matrix, fit modes and sizes.
 *
 * Rotated clips are made by storing the picture turned the other way and
 * adding a display matrix (util_clip.c); the test clip's red square marks
 * the top-left corner of the upright picture, the green one the top-right.
 * The helper's rotation sense is checked against the ffmpeg program's own
 * autorotate in helper_rotation_matches_ffmpeg. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const struct {
    int xform;
    const char *name;
    int w, h; /* display size */
} XF[4] = {
    {TU_XF_ROT90, "rotate 90", 320, 568},
    {TU_XF_ROT180, "rotate 180", 568, 320},
    {TU_XF_ROT270, "rotate 270", 320, 568},
    {TU_XF_HFLIP, "mirror", 568, 320},
};

static int is_red(const uint8_t c[3])
{
    return c[0] > 180 && c[1] < 80 && c[2] < 80;
}

static int is_green(const uint8_t c[3])
{
    return c[1] > 180 && c[0] < 80 && c[2] < 80;
}

/* Every decoded frame of v equals the display frames of o. */
static void check_display_frames(const tu_video *v, const tu_clip_opts *o,
                                 const char *what)
{
    ck_assert_msg(v->width == o->width && v->height == o->height,
                  "%s: %dx%d, expected %dx%d", what, v->width, v->height,
                  o->width, o->height);
    ck_assert_msg(v->n == o->frames, "%s: %d frames, expected %d", what, v->n,
                  o->frames);
    size_t ys = (size_t)o->width * o->height, cs = ys / 4;
    uint8_t *b = malloc(ys + 2 * cs);
    ck_assert_ptr_nonnull(b);
    for (int k = 0; k < v->n; k++) {
        tu_clip_frame(o, k, b, b + ys, b + ys + cs);
        tu_box box;
        long d = tu_frame_diff_planes(v, k, b, b + ys, b + ys + cs, 0, &box);
        ck_assert_msg(d == 0, "%s: frame %d differs from the upright picture "
                      "in %ld px (x %d-%d y %d-%d)", what, k, d, box.x0, box.x1,
                      box.y0, box.y1);
    }
    free(b);
}

/* ------------------------------------------------------------------------
 * The helper's rotated clips look upright through the ffmpeg program's
 * autorotate (which applies the display matrix, flips included, in 5.1):
 * without this, the rotation tests below could agree with a pipeline that
 * turns the wrong way. */
START_TEST(helper_rotation_matches_ffmpeg)
{
    int i = _i;
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = XF[i].w;
    o.height = XF[i].h;
    o.frames = 5;
    o.audio = 0;
    o.xform = XF[i].xform;
    char *rot = tu_path(dir, "rot.mp4"), *ff = tu_path(dir, "ff.mp4");
    TU_OK(tu_make_clip(rot, &o));
    tu_video v;
    TU_OK(tu_read_video(rot, &v, 0));
    ck_assert_msg(v.has_displaymatrix, "no display matrix on the clip");
    tu_video_free(&v);
    const char *argv[] = {"ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                          "-i", rot, "-c:v", "libx264", "-qp", "0", "-preset",
                          "ultrafast", ff, NULL};
    TU_OK(tu_run(argv));
    TU_OK(tu_read_video(ff, &v, 1));
    check_display_frames(&v, &o, XF[i].name);
    tu_video_free(&v);
    free(rot);
    free(ff);
}
END_TEST

/* ------------------------------------------------------------------------
 * A clip with a display matrix comes out upright: the output of the rotated
 * clip is bit-identical, frame for frame and caption included, to the
 * output of the same picture stored upright; that output shows the markers
 * in their corners, the caption in the lower part, wider than tall; and the
 * output carries no display matrix. */
START_TEST(rotated_clip_comes_out_upright)
{
    int i = _i;
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = XF[i].w;
    o.height = XF[i].h;
    o.frames = 20;
    o.audio = 0;
    tu_clip_opts up = o;
    o.xform = XF[i].xform;
    char *rot = tu_path(dir, "rot.mp4"), *upr = tu_path(dir, "upright.mp4");
    TU_OK(tu_make_clip(rot, &o));
    TU_OK(tu_make_clip(upr, &up));
    int64_t st = 200, en = 500;
    const char *tx = "正向 Upright";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out_rot = tu_path(dir, "out_rot.mp4"), *out_up = tu_path(dir, "out_up.mp4");
    zimu_job *job = tu_job(rot, srt, out_rot);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    const zimu_stats *s = zimu_job_stats(job);
    ck_assert_msg(s->width == XF[i].w && s->height == XF[i].h,
                  "%s: stats say %dx%d, expected %dx%d", XF[i].name, s->width,
                  s->height, XF[i].w, XF[i].h);
    zimu_job_free(&job);
    job = tu_job(upr, srt, out_up);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    zimu_job_free(&job);

    tu_video a, b, src;
    TU_OK(tu_read_video(out_rot, &a, 1));
    TU_OK(tu_read_video(out_up, &b, 1));
    TU_OK(tu_read_video(upr, &src, 1));
    ck_assert_msg(!a.has_displaymatrix, "%s: output carries a display matrix "
                  "(rotation %.0f)", XF[i].name, a.rotation);
    ck_assert_msg(a.width == XF[i].w && a.height == XF[i].h,
                  "%s: output is %dx%d, expected %dx%d upright", XF[i].name,
                  a.width, a.height, XF[i].w, XF[i].h);
    ck_assert_int_eq(a.n, o.frames);
    /* corners of the upright picture */
    uint8_t c[3];
    tu_pixel_rgb(&a, 0, 20, 20, c);
    ck_assert_msg(is_red(c), "%s: top-left is (%d,%d,%d), expected the red "
                  "marker", XF[i].name, c[0], c[1], c[2]);
    tu_pixel_rgb(&a, 0, a.width - 20, 20, c);
    ck_assert_msg(is_green(c), "%s: top-right is (%d,%d,%d), expected the green "
                  "marker", XF[i].name, c[0], c[1], c[2]);
    /* the reference output: captions where they belong */
    int *vis = calloc((size_t)src.n, sizeof *vis);
    for (int k = 0; k < src.n; k++) {
        int64_t t = tu_frame_ms(&src, k);
        vis[k] = t >= st && t < en;
    }
    tu_box *box = calloc((size_t)src.n, sizeof *box);
    int bad = tu_check_caption_frames(&b, &src, 0, vis, src.n, 20, box);
    ck_assert_msg(bad == 0, "upright reference: %s", tu_err());
    for (int k = 0; k < src.n; k++)
        if (vis[k])
            ck_assert_msg(box[k].x1 - box[k].x0 > box[k].y1 - box[k].y0,
                          "caption box %dx%d is taller than wide",
                          box[k].x1 - box[k].x0, box[k].y1 - box[k].y0);
    /* and the rotated clip's output is the same, pixel for pixel */
    for (int k = 0; k < a.n && k < b.n; k++) {
        tu_box d;
        long n = tu_frame_diff(&a, k, &b, k, 0, &d);
        ck_assert_msg(n == 0, "%s: output frame %d (%s) differs from the "
                      "upright clip's in %ld px (x %d-%d y %d-%d)",
                      XF[i].name, k, vis[k] ? "captioned" : "no caption", n,
                      d.x0, d.x1, d.y0, d.y1);
    }
    free(vis);
    free(box);
    tu_video_free(&a);
    tu_video_free(&b);
    tu_video_free(&src);
    free(rot); free(upr); free(srt); free(out_rot); free(out_up);
}
END_TEST

/* ------------------------------------------------------------------------
 * Fit modes: a 568x320 (16:9-ish) source into a 320x568 output. The source
 * is a 40 px checkerboard of two bright colours (sharp edges, no black).
 * Fitted picture: 320x180, centred, rows 194..373. */
static void make_checker(const char *path, int frames)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 568;
    o.height = 320;
    o.frames = frames;
    o.bg = TU_BG_CHECKER;
    o.audio = 0;
    TU_OK(tu_make_clip(path, &o));
}

static tu_video run_fit(const char *in, int w, int h, int fit, int set_fit)
{
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    if (w || h)
        ck_assert_int_eq(zimu_job_set_size(job, w, h), 0);
    if (set_fit)
        ck_assert_int_eq(zimu_job_set_fit(job, fit), 0);
    TU_RUN_OK(job);
    const zimu_stats *s = zimu_job_stats(job);
    tu_video v;
    TU_OK(tu_read_video(out, &v, 1));
    ck_assert_msg(s->width == v.width && s->height == v.height,
                  "stats say %dx%d, file is %dx%d", s->width, s->height,
                  v.width, v.height);
    zimu_job_free(&job);
    remove(out);
    free(out);
    return v;
}

static double row_mean_y(const tu_video *v, int i, int y)
{
    long s = 0;
    for (int x = 0; x < v->width; x++)
        s += v->f[i].y[(size_t)y * v->width + x];
    return (double)s / v->width;
}

/* Largest luma step between neighbours (right and down) in rows [y0, y1). */
static int max_step(const tu_video *v, int i, int y0, int y1)
{
    int m = 0, w = v->width;
    const uint8_t *p = v->f[i].y;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < w; x++) {
            int c = p[(size_t)y * w + x];
            if (x + 1 < w && abs(c - p[(size_t)y * w + x + 1]) > m)
                m = abs(c - p[(size_t)y * w + x + 1]);
            if (y + 1 < y1 && abs(c - p[(size_t)(y + 1) * w + x]) > m)
                m = abs(c - p[(size_t)(y + 1) * w + x]);
        }
    return m;
}

static int is_black_rows(const tu_video *v, int i, int y0, int y1, int *bx, int *by)
{
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < v->width; x++) {
            size_t o = (size_t)y * v->width + x, c = (size_t)(y / 2) * v->cw + x / 2;
            if (v->f[i].y[o] > 18 || abs(v->f[i].u[c] - 128) > 2 ||
                abs(v->f[i].v[c] - 128) > 2) {
                *bx = x;
                *by = y;
                return 0;
            }
        }
    return 1;
}

START_TEST(fit_pad_black_bars)
{
    char *in = tu_path(dir, "in.mp4");
    make_checker(in, 10);
    tu_video v = run_fit(in, 320, 568, ZIMU_FIT_PAD, 1);
    ck_assert_msg(v.width == 320 && v.height == 568, "pad: %dx%d", v.width, v.height);
    ck_assert_int_eq(v.n, 10);
    int bx, by;
    for (int i = 0; i < v.n; i++) {
        ck_assert_msg(is_black_rows(&v, i, 0, 190, &bx, &by),
                      "pad: top bar not black at (%d,%d): Y %d", bx, by,
                      v.f[i].y[(size_t)by * v.width + bx]);
        ck_assert_msg(is_black_rows(&v, i, 378, 568, &bx, &by),
                      "pad: bottom bar not black at (%d,%d): Y %d", bx, by,
                      v.f[i].y[(size_t)by * v.width + bx]);
        for (int y = 198; y < 370; y++)
            ck_assert_msg(row_mean_y(&v, i, y) > 80,
                          "pad: row %d of the picture is dark (mean Y %.1f)", y,
                          row_mean_y(&v, i, y));
    }
    tu_video_free(&v);
    free(in);
}
END_TEST

START_TEST(fit_crop_no_bars)
{
    char *in = tu_path(dir, "in.mp4");
    make_checker(in, 10);
    tu_video v = run_fit(in, 320, 568, ZIMU_FIT_CROP, 1);
    ck_assert_msg(v.width == 320 && v.height == 568, "crop: %dx%d", v.width, v.height);
    ck_assert_int_eq(v.n, 10);
    for (int i = 0; i < v.n; i++)
        for (int y = 0; y < v.height; y++)
            ck_assert_msg(row_mean_y(&v, i, y) > 80,
                          "crop: row %d is dark (mean Y %.1f): a bar?", y,
                          row_mean_y(&v, i, y));
    /* scaled to fill: the 40 px squares become 71 px, so the picture's
     * middle row has sharp steps, no blur */
    ck_assert_msg(max_step(&v, 0, 270, 300) > 60, "crop: the picture is not sharp");
    tu_video_free(&v);
    free(in);
}
END_TEST

/* Blur: the bar areas hold a blurred, scaled-up copy of the picture: not
 * black, and smooth (no step between neighbours above a third of the
 * source's sharp 110-level steps), while the fitted picture stays sharp. */
static void check_blur(const tu_video *v, const char *what)
{
    ck_assert_msg(v->width == 320 && v->height == 568, "%s: %dx%d", what,
                  v->width, v->height);
    for (int i = 0; i < v->n; i++) {
        for (int y = 0; y < 190; y++)
            ck_assert_msg(row_mean_y(v, i, y) > 40,
                          "%s: row %d of the top area is dark (mean Y %.1f)",
                          what, y, row_mean_y(v, i, y));
        for (int y = 378; y < 568; y++)
            ck_assert_msg(row_mean_y(v, i, y) > 40,
                          "%s: row %d of the bottom area is dark (mean Y %.1f)",
                          what, y, row_mean_y(v, i, y));
        int top = max_step(v, i, 0, 190), bot = max_step(v, i, 378, 568);
        int mid = max_step(v, i, 200, 368);
        ck_assert_msg(top <= 36 && bot <= 36,
                      "%s: the fill is not blurred: steps of %d (top) and %d "
                      "(bottom) levels between neighbours", what, top, bot);
        ck_assert_msg(mid > 60, "%s: the fitted picture is not sharp (largest "
                      "step %d)", what, mid);
    }
}

START_TEST(fit_blur_fill)
{
    char *in = tu_path(dir, "in.mp4");
    make_checker(in, 6);
    tu_video v = run_fit(in, 320, 568, ZIMU_FIT_BLUR, 1);
    ck_assert_int_eq(v.n, 6);
    check_blur(&v, "blur");
    tu_video_free(&v);
    free(in);
}
END_TEST

/* Without a fit mode, a size that changes the aspect means blur. */
START_TEST(fit_auto_is_blur_when_aspect_changes)
{
    char *in = tu_path(dir, "in.mp4");
    make_checker(in, 6);
    tu_video v = run_fit(in, 320, 568, 0, 0);
    check_blur(&v, "size 320x568 without a fit mode");
    tu_video_free(&v);
    free(in);
}
END_TEST

/* keep: the source size, with or without a size asked, pixels unchanged. */
START_TEST(fit_keep_keeps_size)
{
    char *in = tu_path(dir, "in.mp4");
    make_checker(in, 6);
    tu_video src;
    TU_OK(tu_read_video(in, &src, 1));
    int vis[6] = {0};
    tu_video v = run_fit(in, 0, 0, 0, 0);
    ck_assert_msg(v.width == 568 && v.height == 320, "no size: %dx%d", v.width,
                  v.height);
    ck_assert_msg(tu_check_caption_frames(&v, &src, 0, vis, 6, 20, NULL) == 0,
                  "no size, no captions: %s", tu_err());
    tu_video_free(&v);
    v = run_fit(in, 320, 568, ZIMU_FIT_KEEP, 1);
    ck_assert_msg(v.width == 568 && v.height == 320, "keep with size 320x568: "
                  "%dx%d", v.width, v.height);
    ck_assert_msg(tu_check_caption_frames(&v, &src, 0, vis, 6, 20, NULL) == 0,
                  "keep, no captions: %s", tu_err());
    tu_video_free(&v);
    tu_video_free(&src);
    free(in);
}
END_TEST

/* Odd sizes are rounded to even numbers. */
START_TEST(size_rounded_to_even)
{
    char *in = tu_path(dir, "in.mp4");
    make_checker(in, 3);
    tu_video v = run_fit(in, 321, 567, ZIMU_FIT_PAD, 1);
    ck_assert_msg(v.width % 2 == 0 && v.height % 2 == 0 &&
                      abs(v.width - 321) == 1 && abs(v.height - 567) == 1,
                  "size 321x567 gave %dx%d", v.width, v.height);
    tu_video_free(&v);
    free(in);
}
END_TEST

/* A rotated phone clip fitted to a size: rotation first, then the fit; a
 * 90-degree clip (upright 320x568) fitted to 360x640 (same aspect) fills
 * the frame with the upright picture, red marker top-left. */
START_TEST(rotated_then_fitted)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 4;
    o.audio = 0;
    o.xform = TU_XF_ROT90;
    char *in = tu_path(dir, "rot.mp4");
    TU_OK(tu_make_clip(in, &o));
    tu_video v = run_fit(in, 360, 640, ZIMU_FIT_PAD, 1);
    ck_assert_msg(v.width == 360 && v.height == 640, "%dx%d", v.width, v.height);
    uint8_t c[3];
    tu_pixel_rgb(&v, 0, 20, 20, c);
    ck_assert_msg(is_red(c), "top-left is (%d,%d,%d), expected the red marker",
                  c[0], c[1], c[2]);
    tu_pixel_rgb(&v, 0, v.width - 20, 20, c);
    ck_assert_msg(is_green(c), "top-right is (%d,%d,%d), expected the green "
                  "marker", c[0], c[1], c[2]);
    tu_video_free(&v);
    free(in);
}
END_TEST

/* A 16:9 ASS script (PlayRes 1920x1080, bottom-centre, MarginV 60) on a
 * 568x320 source blur-fitted to 320x568: the script is rendered into the
 * fitted picture (rows 194..373), so its line stays on the picture instead
 * of landing at the bottom of the tall frame; it keeps the script's
 * proportions (a 1080-line script's 80 px font is about 13 px at 180
 * lines, not 42). The caption is found by comparing with the same job
 * without captions. */
static const char WIDE_ASS[] =
    "[Script Info]\n"
    "ScriptType: v4.00+\n"
    "PlayResX: 1920\n"
    "PlayResY: 1080\n"
    "ScaledBorderAndShadow: yes\n"
    "\n"
    "[V4+ Styles]\n"
    TU_ASS_STYLE_FORMAT
    "Style: Wide,Noto Sans CJK SC,80,&H00FFFFFF,&H00FFFFFF,&H00000000,"
    "&H00000000,-1,0,0,0,100,100,0,0,1,3,0,2,40,40,60,1\n"
    "\n"
    "[Events]\n"
    TU_ASS_EVENT_FORMAT
    "Dialogue: 0,0:00:00.00,0:00:10.00,Wide,,0,0,0,,横屏字幕 Wide\n";

START_TEST(wide_ass_script_stays_on_fitted_picture)
{
    char *in = tu_path(dir, "in.mp4");
    make_checker(in, 3);
    char *ass = tu_write_text(dir, "wide.ass", WIDE_ASS);
    char *out = tu_path(dir, "out.mp4"), *ref = tu_path(dir, "ref.mp4");
    zimu_job *job = tu_job(in, ass, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_size(job, 320, 568), 0);
    ck_assert_int_eq(zimu_job_set_fit(job, ZIMU_FIT_BLUR), 0);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    job = tu_job(in, NULL, ref);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_size(job, 320, 568), 0);
    ck_assert_int_eq(zimu_job_set_fit(job, ZIMU_FIT_BLUR), 0);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    tu_video a, b;
    TU_OK(tu_read_video(out, &a, 1));
    TU_OK(tu_read_video(ref, &b, 1));
    ck_assert_int_eq(a.n, b.n);
    tu_box box;
    long n = tu_frame_diff(&a, 0, &b, 0, 0, &box);
    ck_assert_msg(n >= 20, "no caption drawn (%ld px differ)", n);
    ck_assert_msg(box.y0 >= 194 && box.y1 <= 374,
                  "the 16:9 script's caption is at y %d-%d, outside the fitted "
                  "picture (y 194-373)", box.y0, box.y1);
    ck_assert_msg(box.y1 - box.y0 <= 30,
                  "the caption is %d px high: not scaled to the 180 px picture",
                  box.y1 - box.y0);
    tu_video_free(&a);
    tu_video_free(&b);
    free(in); free(ass); free(out); free(ref);
}
END_TEST

static Suite *geometry_suite(void)
{
    Suite *s = suite_create("geometry");
    TCase *tc = tcase_create("rotation");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, helper_rotation_matches_ffmpeg, 0, 4);
    tcase_add_loop_test(tc, rotated_clip_comes_out_upright, 0, 4);
    tcase_add_test(tc, rotated_then_fitted);
    suite_add_tcase(s, tc);
    tc = tcase_create("fit");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, fit_pad_black_bars);
    tcase_add_test(tc, fit_crop_no_bars);
    tcase_add_test(tc, fit_blur_fill);
    tcase_add_test(tc, fit_auto_is_blur_when_aspect_changes);
    tcase_add_test(tc, fit_keep_keeps_size);
    tcase_add_test(tc, size_rounded_to_even);
    tcase_add_test(tc, wide_ass_script_stays_on_fitted_picture);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(geometry_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
