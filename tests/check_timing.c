/* check_timing.c - time in the burn pipeline: frame counts and timestamps
 * pass through (also for variable frame rate), audio is copied bit for bit,
 * trim cuts exactly the frames in [from, to) and shifts the captions, and a
 * stream that does not start at 0 still gets its captions on time. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>

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


/* Output timestamps equal the source's within half a source tick. */
static void check_same_pts(const tu_video *src, const tu_video *dst)
{
    ck_assert_msg(tu_check_same_pts(src, dst) == 0, "output: %s", tu_err());
}

/* Audio packets bit-identical, at the same times (half a tick). */
static void check_same_audio(const char *in, const char *out)
{
    tu_audio a, b;
    TU_OK(tu_read_audio(in, &a));
    TU_OK(tu_read_audio(out, &b));
    ck_assert_msg(a.present, "test premise: source has audio");
    ck_assert_msg(tu_check_same_audio(&a, &b) == 0, "output: %s", tu_err());
    tu_audio_free(&a);
    tu_audio_free(&b);
}

/* ------------------------------------------------------------------------
 * Constant frame rate MP4 with B-frames and AAC: same frame count, same
 * timestamps, audio packets copied bit for bit. */
START_TEST(cfr_frames_pts_and_audio_copy)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 500, en = 1000;
    const char *tx = "时间 Time";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    check_same_pts(&src, &dst);
    int *vis = tu_visible_frames(&src, 1, &st, &en);
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    free(vis);
    check_same_audio(in, out);
    const zimu_stats *s = zimu_job_stats(job);
    ck_assert_int_eq(s->frames, src.n);
    ck_assert_msg(s->audio == 1, "stats.audio %d, expected 1 (copied)", s->audio);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Variable frame rate (durations 33.3, 50, 16.7, 66.7, 30 ms in turn, time
 * base 1/90000): every frame keeps its own time; captions follow the real
 * frame times. */
START_TEST(vfr_keeps_every_frame_time)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.vfr = 1;
    char *in = tu_path(dir, "vfr.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st[2] = {400, 1500}, en[2] = {900, 2000};
    const char *tx[2] = {"可变帧率", "VFR"};
    char *srt = tu_write_srt(dir, "vfr.srt", 2, st, en, tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    /* premise: the source really is VFR */
    ck_assert_int_eq(src.f[1].pts - src.f[0].pts, 3000);
    ck_assert_int_eq(src.f[2].pts - src.f[1].pts, 4500);
    ck_assert_int_eq(src.f[3].pts - src.f[2].pts, 1500);
    check_same_pts(&src, &dst);
    int *vis = tu_visible_frames(&src, 2, st, en);
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    free(vis);
    check_same_audio(in, out);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Matroska input (time base 1/1000, no edit list: video starts at 21 ms
 * after the B-frame delay): every frame, captions by the frames' times from
 * the file start, AAC copied bit for bit into MP4. */
START_TEST(mkv_input_frames_and_audio_copy)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    char *in = tu_path(dir, "in.mkv");
    TU_OK(tu_make_clip(in, &o));
    /* cue edges half way between frames (frames at 21 + 33.3 k ms) */
    int64_t st = 505, en = 1005;
    const char *tx = "Matroska";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_msg(dst.n == src.n, "output has %d frames, source %d", dst.n,
                  src.n);
    int *vis = tu_visible_frames(&src, 1, &st, &en);
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    free(vis);
    check_same_audio(in, out);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * Trim [1000, 2000) of a 2.5 s clip: exactly source frames 30..59, in
 * order and unchanged away from the caption; the output starts at 0; the
 * cue at 1.5-2.0 s shows at output 0.5-1.0 s (output frames 15..29); cues
 * outside the segment never show; audio is re-encoded to the segment. */
START_TEST(trim_cuts_frames_and_shifts_captions)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 75;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st[3] = {200, 1500, 2100}, en[3] = {800, 2000, 2400};
    const char *tx[3] = {"Early", "Shown", "Late"};
    char *srt = tu_write_srt(dir, "in.srt", 3, st, en, tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_trim(job, 1000, 2000), 0);
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(tu_frame_ms(&src, 30), 1000);
    ck_assert_int_eq(tu_frame_ms(&src, 60), 2000);
    ck_assert_msg(dst.n == 30, "trim [1000, 2000) gave %d frames, expected 30 "
                  "(source frames 30..59)", dst.n);
    int vis[30];
    for (int i = 0; i < 30; i++)
        vis[i] = i >= 15; /* source 45..59 = 1500..1966 ms */
    int bad = tu_check_caption_frames(&dst, &src, 30, vis, 30, 20, NULL);
    ck_assert_msg(bad == 0, "output frame i must be source frame 30 + i, "
                  "captioned from output frame 15: %s", tu_err());
    /* the output starts at 0 and keeps the source's spacing */
    double half = 0.5 * src.time_base.num / src.time_base.den;
    for (int i = 0; i < dst.n; i++) {
        double want = tu_pts_sec(src.f[30 + i].pts, src.time_base) - 1.0;
        double got = tu_pts_sec(dst.f[i].pts, dst.time_base);
        ck_assert_msg(fabs(want - got) <= half + 1e-9,
                      "output frame %d at %.6f s, expected %.6f s", i, got, want);
    }
    const zimu_stats *s = zimu_job_stats(job);
    ck_assert_int_eq(s->frames, 30);
    ck_assert_msg(s->audio == 2, "stats.audio %d, expected 2 (re-encoded)",
                  s->audio);
    tu_audio a;
    TU_OK(tu_read_audio(out, &a));
    ck_assert_msg(a.present && a.n > 0, "trimmed output has no audio");
    ck_assert_msg(a.codec_id == AV_CODEC_ID_AAC, "audio codec %s",
                  avcodec_get_name(a.codec_id));
    double a0 = tu_pts_sec(a.p[0].pts, a.time_base);
    double a1 = tu_pts_sec(a.p[a.n - 1].pts + a.p[a.n - 1].duration, a.time_base);
    ck_assert_msg(a0 > -0.05 && a0 < 0.03 && a1 > 0.95 && a1 < 1.07,
                  "audio covers %.3f-%.3f s, expected about 0-1 s", a0, a1);
    tu_audio_free(&a);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Trim edges 1 ms either side of a frame time (frame 30 at 1000 ms, frame
 * 60 at 2000 ms): [1001, 1999) is frames 31..59; [999, 1001) is frame 30
 * alone. */
START_TEST(trim_edges_1ms)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 75;
    o.audio = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    tu_video src;
    TU_OK(tu_read_video(in, &src, 1));
    static const struct { int64_t from, to; int first, n; } cases[] = {
        {1001, 1999, 31, 29},
        {999, 1001, 30, 1},
        {1000, -1, 30, 45},
    };
    for (int c = 0; c < 3; c++) {
        char name[32];
        snprintf(name, sizeof name, "out%d.mp4", c);
        char *out = tu_path(dir, name);
        zimu_job *job = tu_job(in, NULL, out);
        ck_assert_msg(job != NULL, "%s", tu_err());
        ck_assert_int_eq(zimu_job_set_trim(job, cases[c].from, cases[c].to), 0);
        TU_RUN_OK(job);
        tu_video dst;
        TU_OK(tu_read_video(out, &dst, 1));
        ck_assert_msg(dst.n == cases[c].n,
                      "trim [%lld, %lld): %d frames, expected %d (source "
                      "frames %d..%d)",
                      (long long)cases[c].from, (long long)cases[c].to, dst.n,
                      cases[c].n, cases[c].first, cases[c].first + cases[c].n - 1);
        int vis[75] = {0};
        int bad = tu_check_caption_frames(&dst, &src, cases[c].first, vis,
                                          cases[c].n, 20, NULL);
        ck_assert_msg(bad == 0, "trim [%lld, %lld): output frame i must be "
                      "source frame %d + i: %s", (long long)cases[c].from,
                      (long long)cases[c].to, cases[c].first, tu_err());
        tu_video_free(&dst);
        zimu_job_free(&job);
        free(out);
    }
    tu_video_free(&src);
    free(in);
}
END_TEST

/* ------------------------------------------------------------------------
 * A transport stream starting at 10 s: subtitle time 0 is the file's
 * start, so a cue at 0.495-0.995 s shows on the frames 0.5-1.0 s into the
 * file. The audio of this file starts 21 ms before the video; the cue edges
 * sit 5 ms before a frame on either reading of "start" (file or video
 * stream), so both give frames 15..29. */
START_TEST(ts_starting_at_10s_captions_on_time)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.ts_offset = 10.0;
    char *in = tu_path(dir, "in.ts");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 495, en = 995;
    const char *tx = "十秒 TS";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_msg(src.fmt_start_us > 9900000 && src.fmt_start_us < 10100000,
                  "test premise: the file starts at %lld us", (long long)src.fmt_start_us);
    ck_assert_msg(dst.n == src.n, "output has %d frames, source %d", dst.n,
                  src.n);
    int vis[60];
    ck_assert_int_eq(src.n, 60);
    for (int i = 0; i < 60; i++)
        vis[i] = i >= 15 && i <= 29;
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* The same transport stream read through a read callback with no seek
 * function (a pipe): every frame comes out, captions on time. */
START_TEST(ts_through_unseekable_callback)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.ts_offset = 10.0;
    o.frames = 30;
    char *in = tu_path(dir, "in.ts");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 495, en = 795;
    const char *tx = "管道 Pipe";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    tu_membuf mem = {0};
    TU_OK(tu_read_file(in, &mem.data, &mem.size));
    zimu_job *job = tu_job(NULL, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_input_io(job, tu_mem_read, NULL, &mem, "pipe.ts"), 0);
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_msg(dst.n == src.n, "output has %d frames, source %d", dst.n,
                  src.n);
    int vis[30];
    for (int i = 0; i < 30; i++)
        vis[i] = i >= 15 && i <= 23;
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    tu_video_free(&src);
    tu_video_free(&dst);
    tu_membuf_free(&mem);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

static Suite *timing_suite(void)
{
    Suite *s = suite_create("timing");
    TCase *tc = tcase_create("timing");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, cfr_frames_pts_and_audio_copy);
    tcase_add_test(tc, vfr_keeps_every_frame_time);
    tcase_add_test(tc, mkv_input_frames_and_audio_copy);
    tcase_add_test(tc, trim_cuts_frames_and_shifts_captions);
    tcase_add_test(tc, trim_edges_1ms);
    tcase_add_test(tc, ts_starting_at_10s_captions_on_time);
    tcase_add_test(tc, ts_through_unseekable_callback);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(timing_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
