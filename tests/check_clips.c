/* check_clips.c - the test helpers themselves (util_clip.c): clips decode
 * to exactly the frames they were made from, and the checkers that the
 * pipeline tests rely on accept a known-good burn (the ffmpeg program's own
 * subtitles filter) and catch the mistakes they are there to catch. The
 * library is not used here. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void check_frames_as_made(const tu_video *v, const tu_clip_opts *o)
{
    ck_assert_int_eq(v->n, o->frames);
    ck_assert_int_eq(v->width, o->width);
    ck_assert_int_eq(v->height, o->height);
    size_t ys = (size_t)o->width * o->height, cs = ys / 4;
    uint8_t *b = malloc(ys + 2 * cs);
    ck_assert_ptr_nonnull(b);
    for (int k = 0; k < v->n; k++) {
        tu_clip_frame(o, k, b, b + ys, b + ys + cs);
        ck_assert_msg(tu_frame_diff_planes(v, k, b, b + ys, b + ys + cs, 0, NULL) == 0,
                      "frame %d is not the frame it was made from", k);
    }
    /* consecutive frames differ (each frame is recognisable) */
    for (int k = 1; k < v->n && o->bg == TU_BG_CYCLE; k++)
        ck_assert_msg(tu_frame_diff(v, k, v, k - 1, 0, NULL) > 0,
                      "frames %d and %d are the same", k - 1, k);
    free(b);
}

START_TEST(clips_decode_as_made)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 20;
    static const char *names[3] = {"a.mp4", "a.mkv", "a.ts"};
    for (int i = 0; i < 3; i++) {
        tu_clip_opts c = o;
        if (i == 2)
            c.ts_offset = 10;
        char *p = tu_path(dir, names[i]);
        TU_OK(tu_make_clip(p, &c));
        tu_video v;
        TU_OK(tu_read_video(p, &v, 1));
        check_frames_as_made(&v, &c);
        if (i == 0) {
            ck_assert_int_eq(tu_frame_ms(&v, 3), 100);
            ck_assert_int_eq(tu_frame_ms(&v, 4), 133);
        }
        if (i == 2) {
            ck_assert_msg(v.fmt_start_us > 9900000 && v.fmt_start_us < 10100000,
                          "TS starts at %lld us", (long long)v.fmt_start_us);
            ck_assert_msg(tu_frame_ms(&v, 0) >= 0 && tu_frame_ms(&v, 0) < 40,
                          "first TS frame at %lld ms from the file start",
                          (long long)tu_frame_ms(&v, 0));
        }
        tu_audio a;
        TU_OK(tu_read_audio(p, &a));
        ck_assert_msg(a.present && a.n > 10, "%s: audio", names[i]);
        tu_audio_free(&a);
        tu_video_free(&v);
        free(p);
    }
}
END_TEST

START_TEST(vfr_clip_has_its_durations)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 12;
    o.vfr = 1;
    char *p = tu_path(dir, "vfr.mp4");
    TU_OK(tu_make_clip(p, &o));
    tu_video v;
    TU_OK(tu_read_video(p, &v, 1));
    check_frames_as_made(&v, &o);
    static const int64_t d[5] = {3000, 4500, 1500, 6000, 2700};
    ck_assert_int_eq(v.time_base.den, 90000);
    for (int k = 1; k < v.n; k++)
        ck_assert_msg(v.f[k].pts - v.f[k - 1].pts == d[(k - 1) % 5],
                      "frame %d: duration %lld", k - 1,
                      (long long)(v.f[k].pts - v.f[k - 1].pts));
    tu_video_free(&v);
    free(p);
}
END_TEST

START_TEST(special_inputs)
{
    char *a = tu_path(dir, "a.m4a"), *b = tu_path(dir, "b.mkv");
    TU_OK(tu_make_audio_only(a, 0.5));
    tu_video v;
    ck_assert_msg(tu_read_video(a, &v, 0) < 0, "audio-only file has video");
    tu_audio au;
    TU_OK(tu_read_audio(a, &au));
    ck_assert(au.present);
    tu_audio_free(&au);
    TU_OK(tu_make_avs2_mkv(b));
    ck_assert_msg(tu_read_video(b, &v, 0) < 0, "AVS2 decoded?");
    ck_assert_msg(strstr(tu_err(), "no decoder for avs2") != NULL,
                  "AVS2 clip: %s", tu_err());
    free(a);
    free(b);
}
END_TEST

/* ------------------------------------------------------------------------
 * The caption checker against the ffmpeg program's subtitles filter: a cue
 * at 500-1000 ms shows on frames 15..29. Correct expectations pass; an
 * expectation one frame off, none at all, or a dropped frame fail. The
 * timestamp and audio checkers pass on the same output (audio copied). */
START_TEST(checkers_accept_ffmpeg_burn_and_catch_errors)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 40;
    char *in = tu_path(dir, "in.mp4"), *ff = tu_path(dir, "ff.mp4");
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 500, en = 1000;
    const char *tx = "Reference";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char vf[4200];
    snprintf(vf, sizeof vf, "subtitles=filename=%s", srt);
    const char *argv[] = {"ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                          "-i", in, "-vf", vf, "-c:v", "libx264", "-qp", "0",
                          "-preset", "ultrafast", "-c:a", "copy", ff, NULL};
    TU_OK(tu_run(argv));
    tu_video src, out;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(ff, &out, 1));
    int vis[40], shifted[40], none[40] = {0};
    for (int i = 0; i < 40; i++) {
        vis[i] = i >= 15 && i <= 29;
        shifted[i] = i >= 16 && i <= 30;
    }
    ck_assert_msg(tu_check_caption_frames(&out, &src, 0, vis, 40, 20, NULL) == 0,
                  "ffmpeg's burn: %s", tu_err());
    ck_assert_msg(tu_check_caption_frames(&out, &src, 0, shifted, 40, 20, NULL) == 2,
                  "one frame late: expected 2 bad frames");
    ck_assert_msg(tu_check_caption_frames(&out, &src, 0, none, 40, 20, NULL) == 15,
                  "no captions: expected 15 bad frames");
    ck_assert_msg(tu_check_caption_frames(&out, &src, 1, vis, 39, 20, NULL) > 20,
                  "a frame dropped: expected most frames bad");
    ck_assert_msg(tu_check_same_pts(&src, &out) == 0, "%s", tu_err());
    tu_audio a, b;
    TU_OK(tu_read_audio(in, &a));
    TU_OK(tu_read_audio(ff, &b));
    ck_assert_msg(tu_check_same_audio(&a, &b) == 0, "%s", tu_err());
    tu_audio_free(&a);
    tu_audio_free(&b);
    tu_video_free(&src);
    tu_video_free(&out);
    free(in); free(ff); free(srt);
}
END_TEST

/* The timestamp checker catches what the ffmpeg program of 5.1 does to a
 * VFR clip written to MP4 by default (constant rate: frames duplicated or
 * dropped, times moved); the audio checker catches re-encoded audio. */
START_TEST(checkers_catch_cfr_and_reencoded_audio)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 30;
    o.vfr = 1;
    char *in = tu_path(dir, "vfr.mp4"), *ff = tu_path(dir, "ff.mp4");
    TU_OK(tu_make_clip(in, &o));
    const char *argv[] = {"ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                          "-i", in, "-c:v", "libx264", "-qp", "0", "-preset",
                          "ultrafast", "-c:a", "aac", ff, NULL};
    TU_OK(tu_run(argv));
    tu_video src, out;
    TU_OK(tu_read_video(in, &src, 0));
    TU_OK(tu_read_video(ff, &out, 0));
    ck_assert_msg(tu_check_same_pts(&src, &out) > 0,
                  "CFR conversion not caught");
    ck_assert_msg(tu_check_same_pts(&src, &src) == 0, "%s", tu_err());
    tu_audio a, b;
    TU_OK(tu_read_audio(in, &a));
    TU_OK(tu_read_audio(ff, &b));
    ck_assert_msg(tu_check_same_audio(&a, &b) > 0, "re-encoded audio not caught");
    tu_audio_free(&a);
    tu_audio_free(&b);
    tu_video_free(&src);
    tu_video_free(&out);
    free(in); free(ff);
}
END_TEST

/* The memory I/O callbacks follow read(2)/lseek(2)/write(2). */
START_TEST(memory_io)
{
    tu_membuf m = {0};
    ck_assert_int_eq(tu_mem_write(&m, (const uint8_t *)"hello", 5), 5);
    ck_assert_int_eq(tu_mem_write(&m, (const uint8_t *)" world", 6), 6);
    ck_assert_int_eq(m.size, 11);
    ck_assert_int_eq(tu_mem_seek(&m, 0, ZIMU_SEEK_SIZE), 11);
    ck_assert_int_eq(tu_mem_seek(&m, 6, SEEK_SET), 6);
    uint8_t buf[16];
    ck_assert_int_eq(tu_mem_read(&m, buf, 16), 5);
    ck_assert(!memcmp(buf, "world", 5));
    ck_assert_int_eq(tu_mem_read(&m, buf, 16), 0);
    ck_assert_int_eq(tu_mem_seek(&m, -5, SEEK_END), 6);
    ck_assert_int_eq(tu_mem_seek(&m, -1, SEEK_CUR), 5);
    ck_assert_int_eq(tu_mem_seek(&m, -20, SEEK_CUR), -1);
    m.fail = 1;
    ck_assert_int_eq(tu_mem_write(&m, buf, 1), -1);
    tu_membuf_free(&m);
}
END_TEST

static Suite *clips_suite(void)
{
    Suite *s = suite_create("clips");
    TCase *tc = tcase_create("helpers");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, clips_decode_as_made);
    tcase_add_test(tc, vfr_clip_has_its_durations);
    tcase_add_test(tc, special_inputs);
    tcase_add_test(tc, checkers_accept_ffmpeg_burn_and_catch_errors);
    tcase_add_test(tc, checkers_catch_cfr_and_reencoded_audio);
    tcase_add_test(tc, memory_io);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(clips_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
