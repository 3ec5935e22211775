/* check_hdr.c - colour: 10-bit HLG phone clips are tone-mapped to 8-bit SDR
 * BT.709, and untagged SDR input gets the matrix of its size, tagged.
 *
 * The HLG clip is flat HLG 38 % (10-bit Y 397), the BT.2408 level of an
 * 18 % grey card. The SDR rendering of an 18 % grey is BT.709 OETF(0.18) =
 * 0.409 of the signal range: 8-bit limited luma 16 + 0.409 * 219 = 106. We
 * accept 106 +- 20 (86..126). For scale, what the ffmpeg program's usual
 * chains make of this clip on this machine:
 *   zscale=t=bt709 alone (HLG OOTF at 100 nits, no tone map)     141  washed out
 *   zscale npl=100, tonemap=hable                                 99  ok
 *   zscale npl=203, tonemap=mobius / reinhard / clip          108-109 ok
 *   zscale npl=1000, tonemap=hable                                49  far too dark
 * (Plainly reading the 10-bit values as 8-bit BT.709 gives 99 for grey;
 * grey alone cannot tell that from a tone map, colours could.) */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/pixfmt.h>

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

static void plane_means(const tu_video *v, int i, double *y, double *u,
                        double *vv)
{
    const tu_frame *f = &v->f[i];
    double sy = 0, su = 0, sv = 0;
    size_t ny = (size_t)v->width * v->height, nc = (size_t)v->cw * v->ch;
    for (size_t k = 0; k < ny; k++)
        sy += f->y[k];
    for (size_t k = 0; k < nc; k++) {
        su += f->u[k];
        sv += f->v[k];
    }
    *y = sy / ny;
    *u = su / nc;
    *vv = sv / nc;
}

START_TEST(hlg_10bit_to_sdr_bt709)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.hlg = 1;
    o.frames = 20;
    o.audio = 0;
    char *in = tu_path(dir, "hlg.mp4");
    TU_OK(tu_make_clip(in, &o));
    tu_video src;
    TU_OK(tu_read_video(in, &src, 0));
    ck_assert_msg(src.bits == 10 && src.color_trc == AVCOL_TRC_ARIB_STD_B67 &&
                      src.color_primaries == AVCOL_PRI_BT2020,
                  "test premise: source is %d-bit, trc %d, primaries %d",
                  src.bits, src.color_trc, src.color_primaries);
    int64_t st = 300, en = 500;
    const char *tx = "高动态 HDR";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    /* default encoder settings: what a user gets */
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_input(job, in), 0);
    ck_assert_int_eq(zimu_job_set_subtitles(job, srt), 0);
    ck_assert_int_eq(zimu_job_set_output(job, out), 0);
    TU_RUN_OK(job);

    tu_video v;
    TU_OK(tu_read_video(out, &v, 1));
    ck_assert_msg(v.n == src.n, "output has %d frames, source %d", v.n, src.n);
    ck_assert_msg(v.pix_fmt == AV_PIX_FMT_YUV420P && v.bits == 8,
                  "output pixel format %d (%d bits), expected yuv420p 8-bit",
                  v.pix_fmt, v.bits);
    ck_assert_msg(v.codec_id == AV_CODEC_ID_H264 && v.profile == FF_PROFILE_H264_HIGH,
                  "output codec %s profile %d, expected H.264 High",
                  avcodec_get_name(v.codec_id), v.profile);
    ck_assert_msg(v.color_primaries == AVCOL_PRI_BT709 &&
                      v.color_trc == AVCOL_TRC_BT709 &&
                      v.colorspace == AVCOL_SPC_BT709,
                  "output tagged primaries %d, transfer %d, matrix %d; "
                  "expected BT.709 (1, 1, 1)",
                  v.color_primaries, v.color_trc, v.colorspace);
    ck_assert_msg(v.color_range != AVCOL_RANGE_JPEG, "output tagged full range");

    for (int i = 0; i < v.n; i++) {
        int64_t t = tu_frame_ms(&v, i);
        if (t >= st - 40 && t < en + 40)
            continue; /* caption frames: grey measured elsewhere */
        double y, u, vv;
        plane_means(&v, i, &y, &u, &vv);
        ck_assert_msg(y >= 86 && y <= 126,
                      "frame %d: HLG mid-grey became luma %.1f; SDR mid-grey "
                      "is 106 (accepted 86..126): %s",
                      i, y, y > 126 ? "washed out / too bright" : "too dark");
        ck_assert_msg(fabs(u - 128) <= 4 && fabs(vv - 128) <= 4,
                      "frame %d: grey got a tint: U %.1f V %.1f", i, u, vv);
    }
    /* captions are still drawn on the tone-mapped frames, in white */
    int found = 0;
    for (int i = 0; i < v.n; i++) {
        int64_t t = tu_frame_ms(&v, i);
        if (t < st + 40 || t >= en - 40)
            continue;
        long bright = 0;
        for (int y = v.height / 2; y < v.height; y++)
            for (int x = 0; x < v.width; x++)
                bright += v.f[i].y[(size_t)y * v.width + x] > 220;
        ck_assert_msg(bright >= 30, "frame %d (%lld ms): no white caption "
                      "pixels in the lower half", i, (long long)t);
        found++;
    }
    ck_assert_msg(found > 0, "test premise: caption frames");
    tu_video_free(&v);
    tu_video_free(&src);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Untagged 8-bit input: BT.601 below 720 lines, BT.709 at 720 and above;
 * the output is tagged with the matrix it was composed in, limited range.
 * Pixels away from the caption are unchanged (no needless conversion). */
START_TEST(untagged_sdr_gets_tagged)
{
    static const struct { int w, h, bt709; } cases[2] = {
        {320, 568, 0},
        {720, 1280, 1},
    };
    for (int c = 0; c < 2; c++) {
        tu_clip_opts o;
        tu_clip_defaults(&o);
        o.width = cases[c].w;
        o.height = cases[c].h;
        o.frames = 3;
        o.audio = 0;
        char *in = tu_path(dir, c ? "hd.mp4" : "sd.mp4");
        char *out = tu_path(dir, c ? "hd_out.mp4" : "sd_out.mp4");
        TU_OK(tu_make_clip(in, &o));
        zimu_job *job = tu_job(in, NULL, out);
        ck_assert_msg(job != NULL, "%s", tu_err());
        TU_RUN_OK(job);
        tu_video src, v;
        TU_OK(tu_read_video(in, &src, 1));
        TU_OK(tu_read_video(out, &v, 1));
        ck_assert_msg(src.colorspace == AVCOL_SPC_UNSPECIFIED,
                      "test premise: source tagged %d", src.colorspace);
        if (cases[c].bt709)
            ck_assert_msg(v.colorspace == AVCOL_SPC_BT709,
                          "%dx%d untagged: output matrix %d, expected BT.709 (1)",
                          o.width, o.height, v.colorspace);
        else
            ck_assert_msg(v.colorspace == AVCOL_SPC_SMPTE170M ||
                              v.colorspace == AVCOL_SPC_BT470BG,
                          "%dx%d untagged: output matrix %d, expected BT.601 "
                          "(6 or 5)", o.width, o.height, v.colorspace);
        ck_assert_msg(v.color_range == AVCOL_RANGE_MPEG,
                      "%dx%d: output range tag %d, expected limited (1)",
                      o.width, o.height, v.color_range);
        int vis[3] = {0, 0, 0};
        ck_assert_msg(tu_check_caption_frames(&v, &src, 0, vis, 3, 20, NULL) == 0,
                      "%dx%d: %s", o.width, o.height, tu_err());
        tu_video_free(&src);
        tu_video_free(&v);
        zimu_job_free(&job);
        free(in); free(out);
    }
}
END_TEST

static Suite *hdr_suite(void)
{
    Suite *s = suite_create("hdr");
    TCase *tc = tcase_create("colour");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, hlg_10bit_to_sdr_bt709);
    tcase_add_test(tc, untagged_sdr_gets_tagged);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hdr_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
