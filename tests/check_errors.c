/* check_errors.c - every bad input gives its own error code and a message
 * naming the file; no failure and no cancel leaves a partial output or a
 * temporary file behind, and the input is never touched. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static char *good_clip(const char *name, int frames)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = frames;
    char *p = tu_path(dir, name);
    TU_OK(tu_make_clip(p, &o));
    return p;
}

static char *good_srt(void)
{
    int64_t st = 100, en = 500;
    const char *tx = "错误 Error";
    char *p = tu_write_srt(dir, "ok.srt", 1, &st, &en, &tx);
    ck_assert_msg(p != NULL, "%s", tu_err());
    return p;
}

/* The directory holds exactly n entries (what the test put there). */
static void check_dir_entries(const char *d, int n, const char *what)
{
    char names[1024];
    int got = tu_dir_list(d, names, sizeof names);
    ck_assert_msg(got == n, "%s: the directory holds %d entries, expected %d: %s",
                  what, got, n, names);
}

/* Run a job that must fail with code, naming needle in its message, and
 * leaving nothing at out. */
static void expect_fail(zimu_job *job, int code, const char *needle,
                        const char *out, const char *what)
{
    int rc = zimu_job_run(job);
    const char *msg = zimu_job_errmsg(job);
    ck_assert_msg(rc == code, "%s: zimu_job_run returned %d (%s), expected %d "
                  "(%s); message: %s", what, rc, zimu_strerror(rc), code,
                  zimu_strerror(code), msg);
    ck_assert_msg(msg && *msg, "%s: no error message", what);
    ck_assert_msg(!needle || strstr(msg, needle) != NULL, "%s: message \"%s\" "
                  "does not name \"%s\"", what, msg, needle);
    if (out)
        ck_assert_msg(!tu_exists(out), "%s: an output file was left at %s",
                      what, out);
}

START_TEST(missing_input_enoent)
{
    char *srt = good_srt();
    char *in = tu_path(dir, "missing.mp4"), *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    expect_fail(job, ZIMU_ENOENT, "missing.mp4", out, "missing input");
    check_dir_entries(dir, 1, "missing input");
    zimu_job_free(&job);
    free(srt); free(in); free(out);
}
END_TEST

/* A text file, with a neutral and with a video extension. */
START_TEST(text_file_enotvideo)
{
    char *srt = good_srt();
    static const char *names[2] = {"notes.txt", "notes.mp4"};
    for (int i = 0; i < 2; i++) {
        char *in = tu_write_text(dir, names[i],
                                 "Meeting notes\nThis is not a video.\n");
        char *out = tu_path(dir, "out.mp4");
        zimu_job *job = tu_job(in, srt, out);
        ck_assert_msg(job != NULL, "%s", tu_err());
        expect_fail(job, ZIMU_ENOTVIDEO, names[i], out, names[i]);
        zimu_job_free(&job);
        free(in); free(out);
    }
    check_dir_entries(dir, 3, "text file");
    free(srt);
}
END_TEST

START_TEST(audio_only_enovideo)
{
    char *srt = good_srt();
    char *in = tu_path(dir, "voice.m4a"), *out = tu_path(dir, "out.mp4");
    TU_OK(tu_make_audio_only(in, 1.0));
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    expect_fail(job, ZIMU_ENOVIDEO, "voice.m4a", out, "audio-only input");
    check_dir_entries(dir, 2, "audio-only input");
    zimu_job_free(&job);
    free(srt); free(in); free(out);
}
END_TEST

/* AVS2 video in Matroska: FFmpeg 5.1 demuxes it but has no AVS2 decoder. */
START_TEST(unsupported_codec_ecodec)
{
    char *srt = good_srt();
    char *in = tu_path(dir, "avs2.mkv"), *out = tu_path(dir, "out.mp4");
    TU_OK(tu_make_avs2_mkv(in));
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    expect_fail(job, ZIMU_ECODEC, "avs2.mkv", out, "AVS2 input");
    check_dir_entries(dir, 2, "AVS2 input");
    zimu_job_free(&job);
    free(srt); free(in); free(out);
}
END_TEST

/* A broken timestamp on line 6: ZIMU_ESUBS with "bad.srt:6". */
START_TEST(broken_srt_esubs_with_line)
{
    char *in = good_clip("in.mp4", 10);
    char *srt = tu_write_text(dir, "bad.srt",
                              "1\n"
                              "00:00:00,100 --> 00:00:00,500\n"
                              "Hello\n"
                              "\n"
                              "2\n"
                              "00:00:01,000 --> 00:00:0x,500\n"
                              "World\n"
                              "\n");
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    /* the error may come from the setter or from the run */
    int rc = zimu_job_set_subtitles(job, srt);
    if (rc == 0) {
        expect_fail(job, ZIMU_ESUBS, "bad.srt:6", out, "broken SRT");
    } else {
        ck_assert_msg(rc == ZIMU_ESUBS, "set_subtitles returned %d (%s)", rc,
                      zimu_strerror(rc));
        ck_assert_msg(strstr(zimu_job_errmsg(job), "bad.srt:6") != NULL,
                      "message \"%s\" does not name bad.srt:6",
                      zimu_job_errmsg(job));
    }
    check_dir_entries(dir, 2, "broken SRT");
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* A subtitle file that does not exist: an error naming it (ZIMU_ENOENT or
 * ZIMU_ESUBS), no output. */
START_TEST(missing_subtitles)
{
    char *in = good_clip("in.mp4", 10);
    char *srt = tu_path(dir, "nosuch.srt"), *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    int rc = zimu_job_set_subtitles(job, srt);
    if (rc == 0)
        rc = zimu_job_run(job);
    ck_assert_msg(rc == ZIMU_ENOENT || rc == ZIMU_ESUBS,
                  "missing subtitle file: %d (%s)", rc, zimu_strerror(rc));
    ck_assert_msg(strstr(zimu_job_errmsg(job), "nosuch.srt") != NULL,
                  "message \"%s\" does not name nosuch.srt", zimu_job_errmsg(job));
    ck_assert(!tu_exists(out));
    check_dir_entries(dir, 1, "missing subtitles");
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Output in a directory that does not exist, or under a regular file, or
 * (when not running as root) in a read-only directory: ZIMU_EOUTPUT with
 * the output's name. */
START_TEST(unwritable_output_eoutput)
{
    char *in = good_clip("in.mp4", 10), *srt = good_srt();
    char *out1 = tu_path(dir, "nosuchdir/out.mp4");
    zimu_job *job = tu_job(in, srt, out1);
    ck_assert_msg(job != NULL, "%s", tu_err());
    expect_fail(job, ZIMU_EOUTPUT, "nosuchdir/out.mp4", out1, "missing directory");
    zimu_job_free(&job);
    char *out2 = tu_path(dir, "ok.srt/out.mp4");
    job = tu_job(in, srt, out2);
    ck_assert_msg(job != NULL, "%s", tu_err());
    expect_fail(job, ZIMU_EOUTPUT, "out.mp4", NULL, "output under a file");
    zimu_job_free(&job);
    if (geteuid() != 0) {
        char *ro = tu_path(dir, "ro");
        ck_assert_int_eq(mkdir(ro, 0555), 0);
        char *out3 = tu_path(ro, "out.mp4");
        job = tu_job(in, srt, out3);
        ck_assert_msg(job != NULL, "%s", tu_err());
        expect_fail(job, ZIMU_EOUTPUT, "ro/out.mp4", out3, "read-only directory");
        zimu_job_free(&job);
        check_dir_entries(ro, 0, "read-only directory");
        rmdir(ro);
        free(ro);
        free(out3);
    }
    check_dir_entries(dir, 2, "unwritable output");
    free(in); free(srt); free(out1); free(out2);
}
END_TEST

/* An existing output is refused without overwrite and left as it was;
 * with overwrite it is replaced by the burnt clip. */
START_TEST(existing_output_eexist)
{
    char *in = good_clip("in.mp4", 10), *srt = good_srt();
    char *out = tu_write_text(dir, "out.mp4", "precious\n");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    int rc = zimu_job_run(job);
    ck_assert_msg(rc == ZIMU_EEXIST, "existing output: %d (%s): %s", rc,
                  zimu_strerror(rc), zimu_job_errmsg(job));
    ck_assert_msg(strstr(zimu_job_errmsg(job), "out.mp4") != NULL,
                  "message \"%s\" does not name out.mp4", zimu_job_errmsg(job));
    uint8_t *data;
    size_t n;
    TU_OK(tu_read_file(out, &data, &n));
    ck_assert_msg(n == 9 && !memcmp(data, "precious\n", 9),
                  "the existing output was changed");
    free(data);
    check_dir_entries(dir, 3, "existing output");
    zimu_job_set_overwrite(job, 1);
    TU_RUN_OK(job);
    tu_video v;
    TU_OK(tu_read_video(out, &v, 0));
    ck_assert_int_eq(v.n, 10);
    tu_video_free(&v);
    check_dir_entries(dir, 3, "overwritten output");
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Output == input, by the same path, another spelling of it, and a
 * symbolic link to it: ZIMU_ESAME even with overwrite on; the input is
 * untouched. */
START_TEST(output_is_input_esame)
{
    char *in = good_clip("in.mp4", 10), *srt = good_srt();
    uint8_t *before, *after;
    size_t nb, na;
    TU_OK(tu_read_file(in, &before, &nb));
    char *alias = tu_path(dir, "./in.mp4"), *link = tu_path(dir, "link.mp4");
    ck_assert_int_eq(symlink(in, link), 0);
    const char *outs[3] = {in, alias, link};
    for (int i = 0; i < 3; i++) {
        zimu_job *job = tu_job(in, srt, outs[i]);
        ck_assert_msg(job != NULL, "%s", tu_err());
        zimu_job_set_overwrite(job, 1);
        expect_fail(job, ZIMU_ESAME, NULL, NULL, outs[i]);
        const char *base = strrchr(outs[i], '/') + 1;
        ck_assert_msg(strstr(zimu_job_errmsg(job), "in.mp4") ||
                          strstr(zimu_job_errmsg(job), base),
                      "%s: message \"%s\" names neither file", outs[i],
                      zimu_job_errmsg(job));
        zimu_job_free(&job);
        TU_OK(tu_read_file(in, &after, &na));
        ck_assert_msg(na == nb && !memcmp(before, after, nb),
                      "%s: the input was changed", outs[i]);
        free(after);
    }
    check_dir_entries(dir, 3, "output is input");
    free(before);
    free(in); free(srt); free(alias); free(link);
}
END_TEST

/* ------------------------------------------------------------------------
 * Cancel from the progress callback. */
typedef struct cancel_state {
    int calls, cancel_after, at_end;
    int64_t total, last_frames;
} cancel_state;

static int on_progress(void *opaque, const zimu_progress *p)
{
    cancel_state *s = opaque;
    s->calls++;
    s->last_frames = p->frames;
    if (s->at_end)
        return p->frames >= s->total;
    return s->calls >= s->cancel_after;
}

/* Cancel on the first progress report: ZIMU_ECANCEL, no output, nothing
 * left in the directory. */
START_TEST(cancel_early_leaves_nothing)
{
    char *in = good_clip("in.mp4", 60), *srt = good_srt();
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    zimu_job_set_preset(job, "medium");
    cancel_state s = {0, 1, 0, 60, 0};
    zimu_job_set_progress(job, on_progress, &s);
    int rc = zimu_job_run(job);
    ck_assert_msg(s.calls >= 1, "the progress callback was never called");
    ck_assert_msg(rc == ZIMU_ECANCEL, "cancel: %d (%s): %s", rc,
                  zimu_strerror(rc), zimu_job_errmsg(job));
    ck_assert_msg(s.calls == 1, "progress called %d times after the cancel",
                  s.calls);
    ck_assert_msg(!tu_exists(out), "a cancelled job left %s", out);
    check_dir_entries(dir, 2, "cancel");
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Cancel on the last report (all frames done, "called ... at the end"):
 * still ZIMU_ECANCEL and nothing left, so no output is renamed into place
 * before the final report. */
START_TEST(cancel_at_end_leaves_nothing)
{
    char *in = good_clip("in.mp4", 20), *srt = good_srt();
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    cancel_state s = {0, 0, 1, 20, 0};
    zimu_job_set_progress(job, on_progress, &s);
    int rc = zimu_job_run(job);
    ck_assert_msg(rc == ZIMU_ECANCEL, "cancel at the last report (frames %lld "
                  "of 20, %d calls): %d (%s): %s", (long long)s.last_frames,
                  s.calls, rc, zimu_strerror(rc), zimu_job_errmsg(job));
    ck_assert_msg(!tu_exists(out), "a cancelled job left %s", out);
    check_dir_entries(dir, 2, "cancel at end");
    zimu_job_free(&job);
    free(in); free(srt); free(out);
}
END_TEST

/* Cancel with output through a callback: nothing is written through it. */
START_TEST(cancel_with_output_callback_writes_nothing)
{
    char *in = good_clip("in.mp4", 20), *srt = good_srt();
    zimu_job *job = tu_job(in, srt, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    tu_membuf m = {0};
    ck_assert_int_eq(zimu_job_set_output_io(job, tu_mem_write, &m), 0);
    char *tmp = tu_tmpdir_push(dir); /* temporary files, if any, land here */
    cancel_state s = {0, 0, 1, 20, 0};
    zimu_job_set_progress(job, on_progress, &s);
    int rc = zimu_job_run(job);
    tu_tmpdir_pop(tmp);
    ck_assert_msg(rc == ZIMU_ECANCEL, "cancel: %d (%s): %s", rc,
                  zimu_strerror(rc), zimu_job_errmsg(job));
    ck_assert_msg(m.calls == 0, "a cancelled job wrote %zu bytes in %d calls "
                  "through the output callback", m.size, m.calls);
    check_dir_entries(dir, 2, "cancel with callback");
    tu_membuf_free(&m);
    zimu_job_free(&job);
    free(in); free(srt);
}
END_TEST

/* A failing write callback fails the job with ZIMU_EOUTPUT, leaves no
 * temporary file. */
START_TEST(failing_write_callback_eoutput)
{
    char *in = good_clip("in.mp4", 10), *srt = good_srt();
    zimu_job *job = tu_job(in, srt, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    tu_membuf m = {0};
    m.fail = 1;
    ck_assert_int_eq(zimu_job_set_output_io(job, tu_mem_write, &m), 0);
    char *tmp = tu_tmpdir_push(dir); /* temporary files, if any, land here */
    int rc = zimu_job_run(job);
    tu_tmpdir_pop(tmp);
    ck_assert_msg(rc == ZIMU_EOUTPUT, "failing write callback: %d (%s): %s", rc,
                  zimu_strerror(rc), zimu_job_errmsg(job));
    check_dir_entries(dir, 2, "failing write callback");
    zimu_job_free(&job);
    free(in); free(srt);
}
END_TEST

/* Bad settings are refused by the setters with ZIMU_EINVAL; a job without
 * input or output fails with ZIMU_EINVAL; freeing NULL is harmless. */
START_TEST(bad_settings_einval)
{
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_crf(job, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_crf(job, 52), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_preset(job, "warp9"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_fit(job, 99), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_size(job, -2, 100), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_trim(job, 2000, 1000), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_input(job, NULL), ZIMU_EINVAL);
    int rc = zimu_job_run(job);
    ck_assert_msg(rc == ZIMU_EINVAL, "run without input: %d (%s)", rc,
                  zimu_strerror(rc));
    char *in = good_clip("in.mp4", 4);
    ck_assert_int_eq(zimu_job_set_input(job, in), 0);
    rc = zimu_job_run(job);
    ck_assert_msg(rc == ZIMU_EINVAL, "run without output: %d (%s)", rc,
                  zimu_strerror(rc));
    ck_assert_msg(*zimu_job_errmsg(job), "no message for a job without output");
    check_dir_entries(dir, 1, "bad settings");
    zimu_job_free(&job);
    ck_assert_ptr_null(job);
    zimu_job_free(&job);
    zimu_job_free(NULL);
    free(in);
}
END_TEST

/* Public functions check their arguments: a NULL handle is ZIMU_EINVAL,
 * not a crash (DESIGN.md: "every public function checks its arguments"). */
START_TEST(null_handle_einval)
{
    ck_assert_int_eq(zimu_job_set_input(NULL, "x.mp4"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_output(NULL, "x.mp4"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_subtitles(NULL, "x.srt"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_crf(NULL, 20), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_run(NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_preview(NULL, 0, "x.png"), ZIMU_EINVAL);
    ck_assert_ptr_nonnull(zimu_job_errmsg(NULL));
}
END_TEST

static Suite *errors_suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("inputs");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, missing_input_enoent);
    tcase_add_test(tc, text_file_enotvideo);
    tcase_add_test(tc, audio_only_enovideo);
    tcase_add_test(tc, unsupported_codec_ecodec);
    tcase_add_test(tc, broken_srt_esubs_with_line);
    tcase_add_test(tc, missing_subtitles);
    tcase_add_test(tc, bad_settings_einval);
    tcase_add_test(tc, null_handle_einval);
    suite_add_tcase(s, tc);
    tc = tcase_create("outputs");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, unwritable_output_eoutput);
    tcase_add_test(tc, existing_output_eexist);
    tcase_add_test(tc, output_is_input_esame);
    tcase_add_test(tc, cancel_early_leaves_nothing);
    tcase_add_test(tc, cancel_at_end_leaves_nothing);
    tcase_add_test(tc, cancel_with_output_callback_writes_nothing);
    tcase_add_test(tc, failing_write_callback_eoutput);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(errors_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
