/* check_hints.c - what a program needs to name a user's mistake, through
 * the public API: the nearest name to a mistyped word
 * (zimu_nearest_name()) and what a file holds by its content
 * (zimu_file_kind()), so that a video given as the captions, or captions
 * given as the video, can be called what they are. */
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

static void nearest_is(const char *word, const char *const *names, const char *want)
{
    const char *got = zimu_nearest_name(word, names);
    ck_assert_msg(got == want || (got && want && !strcmp(got, want)),
                  "'%s': nearest '%s', want '%s'", word, got ? got : "(none)",
                  want ? want : "(none)");
}

START_TEST(nearest_names)
{
    const char *styles[64];
    int n = 0;
    while (n < 63 && (styles[n] = zimu_name(ZIMU_NAMES_STYLE, n)))
        n++;
    styles[n] = NULL;
    nearest_is("flsh", styles, "flash");
    nearest_is("FLASH", styles, "flash"); /* case: the same name */
    nearest_is("clasic", styles, "classic");
    nearest_is("karoake", styles, "karaoke"); /* two changes */
    nearest_is("watercolour", styles, NULL);  /* far from all */
    const char *opts[] = {"preset", "size", "style", "safe-area", NULL};
    nearest_is("presets", opts, "preset");
    nearest_is("saf-area", opts, "safe-area");
    nearest_is("sise", opts, "size");
    /* no more edits than the name has letters: "x" is not "tl" */
    const char *corners[] = {"tl", "tr", "bl", "br", NULL};
    nearest_is("x", corners, NULL);
    nearest_is("tx", corners, "tl"); /* the first of equals */
    const char *empty[] = {NULL};
    nearest_is("flash", empty, NULL);
    ck_assert_ptr_null(zimu_nearest_name(NULL, styles));
    ck_assert_ptr_null(zimu_nearest_name("flash", NULL));
}
END_TEST

static void kind_is(const char *path, int want)
{
    int got = zimu_file_kind(path);
    ck_assert_msg(got == want, "%s: kind %d, want %d", path, got, want);
}

START_TEST(file_kinds)
{
    /* names that say nothing: the content decides */
    char *video = tu_path(dir, "video.srt");
    char *mkv = tu_path(dir, "clip.mkv");
    char *m4a = tu_path(dir, "song.m4a");
    char *audio = tu_path(dir, "song.txt");
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 5;
    TU_OK(tu_make_clip(mkv, &o));
    char *mp4 = tu_path(dir, "clip.mp4");
    TU_OK(tu_make_clip(mp4, &o));
    ck_assert_int_eq(rename(mp4, video), 0);
    TU_OK(tu_make_audio_only(m4a, 0.5));
    ck_assert_int_eq(rename(m4a, audio), 0);
    kind_is(video, ZIMU_FILE_VIDEO);
    kind_is(mkv, ZIMU_FILE_VIDEO);
    kind_is(audio, ZIMU_FILE_AUDIO);

    char *srt = tu_write_text(dir, "talk.mp4",
                              "\xEF\xBB\xBF" "1\n00:00:00,000 --> 00:00:01,000\n你好\n");
    char *vtt = tu_write_text(dir, "a.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n");
    char *ass = tu_write_text(dir, "a.ass", "[Script Info]\nScriptType: v4.00+\n");
    char *lrc = tu_write_text(dir, "a.lrc", "[00:01.00]第一句\n[00:02.50]第二句\n");
    char *txt = tu_write_text(dir, "a.txt", "第一句\n第二句\n");
    char *nul = tu_write_text(dir, "empty.srt", "");
    kind_is(srt, ZIMU_FILE_CAPTIONS);
    kind_is(vtt, ZIMU_FILE_CAPTIONS);
    kind_is(ass, ZIMU_FILE_CAPTIONS);
    kind_is(lrc, ZIMU_FILE_CAPTIONS);
    kind_is(txt, ZIMU_FILE_OTHER); /* any text reads as plain captions */
    kind_is(nul, ZIMU_FILE_OTHER);
    kind_is(dir, ZIMU_FILE_OTHER); /* a folder */
    char *none = tu_path(dir, "none.mp4");
    kind_is(none, ZIMU_ENOENT);
    ck_assert_int_eq(zimu_file_kind(NULL), ZIMU_EINVAL);
    free(video), free(mkv), free(m4a), free(mp4), free(audio), free(srt), free(vtt), free(ass);
    free(lrc), free(txt), free(nul), free(none);
}
END_TEST

static Suite *hints_suite(void)
{
    Suite *s = suite_create("hints");
    TCase *tc = tcase_create("nearest");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, nearest_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("kinds");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, file_kinds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hints_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
