/* check_formats.c - containers, video codecs and audio codecs the pipeline
 * reads: captions land in the right frames whatever the source's format,
 * AAC and MP3 are copied into MP4 bit for bit, other audio becomes AAC. */
#include <check.h>
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

static const struct {
    const char *name;
    int codec, audio;
    const char *what;
} FMT[] = {
    {"in.webm", TU_CODEC_VP9, TU_AUDIO_OPUS, "WebM, VP9 + Opus"},
    {"in.mkv", TU_CODEC_HEVC, TU_AUDIO_AAC, "Matroska, HEVC + AAC"},
    {"in.mp4", TU_CODEC_HEVC, TU_AUDIO_AAC, "MP4, HEVC (hvc1) + AAC"},
    {"in.flv", TU_CODEC_H264, TU_AUDIO_AAC, "FLV, H.264 + AAC"},
    {"in.mov", TU_CODEC_H264, TU_AUDIO_PCM, "QuickTime, H.264 + PCM"},
    {"av1.mp4", TU_CODEC_AV1, TU_AUDIO_OPUS, "MP4, AV1 + Opus"},
};

/* Every frame comes out; the cue at 300-600 ms shows on exactly the frames
 * whose time from the file start is inside it; the audio is there, as AAC
 * unless the source's was AAC or MP3 (then copied). */
START_TEST(formats_burn_right_frames)
{
    int i = _i;
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 24;
    o.codec = FMT[i].codec;
    o.audio = FMT[i].audio;
    char *in = tu_path(dir, FMT[i].name);
    TU_OK(tu_make_clip(in, &o));
    int64_t st = 300, en = 600;
    const char *tx = "格式 Format";
    char *srt = tu_write_srt(dir, "in.srt", 1, &st, &en, &tx);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    int rc = zimu_job_run(job);
    ck_assert_msg(rc == 0, "%s: zimu_job_run: %d (%s): %s", FMT[i].what, rc,
                  zimu_strerror(rc), zimu_job_errmsg(job));
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_msg(dst.n == src.n, "%s: output has %d frames, source %d",
                  FMT[i].what, dst.n, src.n);
    int vis[24];
    ck_assert_int_eq(src.n, 24);
    int shown = 0;
    for (int k = 0; k < 24; k++) {
        int64_t t = tu_frame_ms(&src, k);
        vis[k] = t >= st && t < en;
        shown += vis[k];
    }
    ck_assert_msg(shown >= 8, "test premise: %d caption frames", shown);
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, 24, 20, NULL);
    ck_assert_msg(bad == 0, "%s: %s", FMT[i].what, tu_err());
    tu_audio a;
    TU_OK(tu_read_audio(out, &a));
    ck_assert_msg(a.present, "%s: output has no audio", FMT[i].what);
    ck_assert_msg(a.codec_id == AV_CODEC_ID_AAC, "%s: output audio %s, "
                  "expected AAC", FMT[i].what, avcodec_get_name(a.codec_id));
    const zimu_stats *s = zimu_job_stats(job);
    int want = FMT[i].audio == TU_AUDIO_AAC ? 1 : 2;
    ck_assert_msg(s->audio == want, "%s: stats.audio %d, expected %d",
                  FMT[i].what, s->audio, want);
    tu_audio_free(&a);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* MP3 from Matroska is copied into the MP4 bit for bit. */
START_TEST(mp3_copied_into_mp4)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 30;
    o.audio = TU_AUDIO_MP3;
    char *in = tu_path(dir, "in.mkv");
    TU_OK(tu_make_clip(in, &o));
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_audio a, b;
    TU_OK(tu_read_audio(in, &a));
    TU_OK(tu_read_audio(out, &b));
    ck_assert_msg(a.codec_id == AV_CODEC_ID_MP3, "test premise: source audio %s",
                  avcodec_get_name(a.codec_id));
    ck_assert_msg(tu_check_same_audio(&a, &b) == 0, "MP3: %s", tu_err());
    ck_assert_msg(zimu_job_stats(job)->audio == 1, "stats.audio %d, expected 1",
                  zimu_job_stats(job)->audio);
    tu_audio_free(&a);
    tu_audio_free(&b);
    zimu_job_free(&job);
    free(in); free(out);
}
END_TEST

/* PCM audio (not allowed in MP4 as is) is encoded to AAC covering the
 * video's duration; a clip without audio gives an output without audio. */
START_TEST(pcm_encoded_and_silent_stays_silent)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 30;
    o.audio = TU_AUDIO_PCM;
    char *in = tu_path(dir, "in.mov"), *out = tu_path(dir, "out.mp4");
    TU_OK(tu_make_clip(in, &o));
    zimu_job *job = tu_job(in, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    tu_audio a;
    TU_OK(tu_read_audio(out, &a));
    ck_assert_msg(a.present && a.codec_id == AV_CODEC_ID_AAC,
                  "PCM source: output audio %s", a.present ?
                  avcodec_get_name(a.codec_id) : "missing");
    double end = tu_pts_sec(a.p[a.n - 1].pts + a.p[a.n - 1].duration, a.time_base);
    ck_assert_msg(end > 0.95 && end < 1.07, "PCM source: AAC ends at %.3f s, "
                  "the video at 1.0 s", end);
    ck_assert_int_eq(a.sample_rate, 48000);
    tu_audio_free(&a);
    zimu_job_free(&job);
    remove(out);

    o.audio = TU_AUDIO_NONE;
    char *in2 = tu_path(dir, "silent.mp4");
    TU_OK(tu_make_clip(in2, &o));
    job = tu_job(in2, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    TU_RUN_OK(job);
    TU_OK(tu_read_audio(out, &a));
    ck_assert_msg(!a.present, "a silent clip got an audio stream");
    ck_assert_msg(zimu_job_stats(job)->audio == 0, "stats.audio %d, expected 0",
                  zimu_job_stats(job)->audio);
    tu_audio_free(&a);
    zimu_job_free(&job);
    free(in); free(in2); free(out);
}
END_TEST

static Suite *formats_suite(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, formats_burn_right_frames, 0,
                        (int)(sizeof FMT / sizeof *FMT));
    tcase_add_test(tc, mp3_copied_into_mp4);
    tcase_add_test(tc, pcm_encoded_and_silent_stays_silent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(formats_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
