/* check_names.c - what a program needs to behave like the zimu command,
 * through the public API only: the parsers (times, offsets, sizes,
 * ratios), the named values and their lists, and the generic handle
 * errors (zimu_errmsg(), zimu_errfile()) naming the file a failure is
 * about. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* ------------------------------------------------------------------------
 * Parsers.
 */

static void size_ok(const char *text, int w, int h)
{
    int gw = -1, gh = -1;
    int r = zimu_parse_size(text, &gw, &gh);
    ck_assert_msg(r == 0 && gw == w && gh == h, "'%s': %d, %dx%d, want %dx%d", text, r, gw,
                  gh, w, h);
}

static void size_bad(const char *text)
{
    int w = -7, h = -7;
    int r = zimu_parse_size(text, &w, &h);
    ck_assert_msg(r == ZIMU_EINVAL, "'%s' was taken (%d: %dx%d)", text ? text : "NULL", r,
                  w, h);
    ck_assert_msg(w == -7 && h == -7, "'%s': outputs changed on failure", text);
}

START_TEST(sizes)
{
    size_ok("1080x1920", 1080, 1920);
    size_ok("1080X1920", 1080, 1920);
    size_ok("1920x1080", 1920, 1080);
    size_ok("16x16", 16, 16);
    size_ok("16384x16384", 16384, 16384);
    size_ok("0720x1280", 720, 1280);
    size_bad("15x100");
    size_bad("100x15");
    size_bad("16385x100");
    size_bad("100x16385");
    size_bad("0x0");
    size_bad("99999999999x100");
    size_bad("100x99999999999");
    size_bad("");
    size_bad(NULL);
    size_bad("x");
    size_bad("1080");
    size_bad("1080x");
    size_bad("x1920");
    size_bad("1080*1920");
    size_bad("1080:1920");
    size_bad("1080xx1920");
    size_bad("1080x1920x3");
    size_bad(" 1080x1920");
    size_bad("1080x1920 ");
    size_bad("1080 x 1920");
    size_bad("-1080x1920");
    size_bad("+1080x1920");
    size_bad("1080x-1920");
    size_bad("1080x+1920");
    size_bad("1080.5x1920");
    size_bad("1e3x1920");
    size_bad("0x400x1920");
}
END_TEST

static void ratio_ok(const char *text, double want)
{
    double v = -1;
    int r = zimu_parse_ratio(text, &v);
    ck_assert_msg(r == 0 && fabs(v - want) < 1e-12, "'%s': %d, %.15g, want %.15g", text, r,
                  v, want);
}

static void ratio_bad(const char *text)
{
    double v = -7;
    int r = zimu_parse_ratio(text, &v);
    ck_assert_msg(r == ZIMU_EINVAL, "'%s' was taken (%d: %g)", text ? text : "NULL", r, v);
    ck_assert_msg(v == -7, "'%s': output changed on failure", text);
}

START_TEST(ratios)
{
    ratio_ok("23.976/25", 23.976 / 25);
    ratio_ok("25/23.976", 25 / 23.976);
    ratio_ok("1.25", 1.25);
    ratio_ok("2", 2);
    ratio_ok("1.001", 1.001);
    ratio_ok(".5", 0.5);
    ratio_ok("3.", 3);
    ratio_ok("1000/1001", 1000.0 / 1001);
    ratio_bad("0");
    ratio_bad("0.0");
    ratio_bad("0/5");
    ratio_bad("-1");
    ratio_bad("-1/2");
    ratio_bad("1/-2");
    ratio_bad("1/0");
    ratio_bad("1/0.0");
    ratio_bad("abc");
    ratio_bad("");
    ratio_bad(NULL);
    ratio_bad(".");
    ratio_bad("1/");
    ratio_bad("/2");
    ratio_bad("1/2/3");
    ratio_bad("1.2.3");
    ratio_bad("1e3");
    ratio_bad("0x10");
    ratio_bad("inf");
    ratio_bad("nan");
    ratio_bad(" 1");
    ratio_bad("1 ");
    ratio_bad("+1");
    ratio_bad("1,5");
    /* More digits than a double holds: not finite, so not a number. */
    char big[420];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = 0;
    ratio_bad(big);
}
END_TEST

static void offset_ok(const char *text, int64_t want)
{
    int64_t v = 12345;
    int r = zimu_parse_offset(text, &v);
    ck_assert_msg(r == 0 && v == want, "'%s': %d, %lld, want %lld", text, r, (long long)v,
                  (long long)want);
}

static void offset_bad(const char *text)
{
    int64_t v = 12345;
    int r = zimu_parse_offset(text, &v);
    ck_assert_msg(r == ZIMU_EINVAL, "'%s' was taken (%d: %lld)", text ? text : "NULL", r,
                  (long long)v);
    ck_assert_msg(v == 12345, "'%s': output changed on failure", text);
}

START_TEST(offsets)
{
    offset_ok("-1.5", -1500);
    offset_ok("-00:02", -2000);
    offset_ok("+2", 2000);
    offset_ok("2.5", 2500);
    offset_ok("0", 0);
    offset_ok("-0", 0);
    offset_ok("90", 90000);
    offset_ok("-1:02:03.250", -3723250);
    offset_ok("01:30", 90000);
    offset_bad("");
    offset_bad(NULL);
    offset_bad("-");
    offset_bad("+");
    offset_bad("--1");
    offset_bad("+-1");
    offset_bad("-+1");
    offset_bad("- 1");
    offset_bad("1.5s");
    offset_bad("-.5");
    offset_bad("abc");
    offset_bad("1:60");
    /* a time is never negative; an offset may be */
    int64_t t;
    ck_assert_int_eq(zimu_parse_time("-1", &t), ZIMU_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------------
 * Named values.
 */

static const int kinds[] = {ZIMU_NAMES_FIT, ZIMU_NAMES_OVERLAP, ZIMU_NAMES_CORNER,
                            ZIMU_NAMES_SAFE_AREA, ZIMU_NAMES_STYLE, ZIMU_NAMES_PRESET,
                            ZIMU_NAMES_MISSING_GLYPHS};
#define N_KINDS (int)(sizeof kinds / sizeof *kinds)

static int count(int kind)
{
    int n = 0;
    while (zimu_name(kind, n))
        n++;
    return n;
}

/* Index of name in kind's list, or -1. */
static int index_of(int kind, const char *name)
{
    const char *n;
    for (int i = 0; (n = zimu_name(kind, i)); i++)
        if (!strcmp(n, name))
            return i;
    return -1;
}

START_TEST(names_round_trip)
{
    for (int k = 0; k < N_KINDS; k++) {
        int kind = kinds[k];
        int n = count(kind);
        ck_assert_msg(n > 0, "kind %d lists no names", kind);
        for (int i = 0; i < n; i++) {
            const char *name = zimu_name(kind, i);
            const char *what = zimu_name_description(kind, i);
            ck_assert_msg(*name, "kind %d name %d is empty", kind, i);
            ck_assert_msg(what && *what, "kind %d '%s' has no description", kind, name);
            ck_assert_msg(!strchr(what, '\n'), "kind %d '%s': description is not one line",
                          kind, name);
            int v = zimu_name_value(kind, name);
            ck_assert_msg(v >= 0, "kind %d '%s': value %d", kind, name, v);
            /* Values are the enum constants, which are the list's order; for
             * the other kinds the index: name -> value -> name. */
            ck_assert_msg(zimu_name(kind, v) && !strcmp(zimu_name(kind, v), name),
                          "kind %d: '%s' -> %d -> '%s'", kind, name, v,
                          zimu_name(kind, v) ? zimu_name(kind, v) : "NULL");
            for (int j = 0; j < i; j++)
                ck_assert_msg(strcmp(zimu_name(kind, j), name), "kind %d lists '%s' twice",
                              kind, name);
        }
        ck_assert_ptr_null(zimu_name(kind, n));
        ck_assert_ptr_null(zimu_name_description(kind, n));
        ck_assert_ptr_null(zimu_name(kind, -1));
        ck_assert_ptr_null(zimu_name_description(kind, -1));
    }
}
END_TEST

START_TEST(names_values)
{
    ck_assert_int_eq(count(ZIMU_NAMES_FIT), 5);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_FIT, "auto"), ZIMU_FIT_AUTO);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_FIT, "keep"), ZIMU_FIT_KEEP);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_FIT, "pad"), ZIMU_FIT_PAD);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_FIT, "blur"), ZIMU_FIT_BLUR);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_FIT, "crop"), ZIMU_FIT_CROP);

    ck_assert_int_eq(count(ZIMU_NAMES_OVERLAP), 3);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_OVERLAP, "keep"), ZIMU_OVERLAP_KEEP);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_OVERLAP, "merge"), ZIMU_OVERLAP_MERGE);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_OVERLAP, "drop"), ZIMU_OVERLAP_DROP);

    ck_assert_int_eq(count(ZIMU_NAMES_CORNER), 4);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "tl"), ZIMU_CORNER_TOP_LEFT);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "tr"), ZIMU_CORNER_TOP_RIGHT);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "bl"), ZIMU_CORNER_BOTTOM_LEFT);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "br"), ZIMU_CORNER_BOTTOM_RIGHT);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "top-left"), ZIMU_CORNER_TOP_LEFT);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "top-right"), ZIMU_CORNER_TOP_RIGHT);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "bottom-left"),
                     ZIMU_CORNER_BOTTOM_LEFT);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "bottom-right"),
                     ZIMU_CORNER_BOTTOM_RIGHT);
    /* the long names are accepted, not listed */
    ck_assert_int_eq(index_of(ZIMU_NAMES_CORNER, "top-left"), -1);

    /* Safe areas: the layout's table, the default ones among them. */
    ck_assert_int_eq(count(ZIMU_NAMES_SAFE_AREA), 7);
    const char *apps[] = {"douyin", "kuaishou", "tiktok", "reels", "channels", "xiaohongshu",
                          "none"};
    for (int i = 0; i < 7; i++)
        ck_assert_msg(zimu_name_value(ZIMU_NAMES_SAFE_AREA, apps[i]) >= 0, "%s", apps[i]);
    /* WeChat Channels also by its other name, which is not listed */
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_SAFE_AREA, "wechat"),
                     zimu_name_value(ZIMU_NAMES_SAFE_AREA, "channels"));
    ck_assert_int_eq(index_of(ZIMU_NAMES_SAFE_AREA, "wechat"), -1);

    /* Style presets: the same list as zimu_style_name(). */
    ck_assert_int_eq(count(ZIMU_NAMES_STYLE), zimu_style_count());
    for (int i = 0; i < zimu_style_count(); i++) {
        ck_assert_str_eq(zimu_name(ZIMU_NAMES_STYLE, i), zimu_style_name(i));
        ck_assert_str_eq(zimu_name_description(ZIMU_NAMES_STYLE, i), zimu_style_description(i));
    }
    ck_assert_int_ge(zimu_name_value(ZIMU_NAMES_STYLE, "classic"), 0);

    /* libx264 presets, fastest first; every one is taken by a job. */
    ck_assert_int_eq(count(ZIMU_NAMES_PRESET), 9);
    ck_assert_str_eq(zimu_name(ZIMU_NAMES_PRESET, 0), "ultrafast");
    ck_assert_str_eq(zimu_name(ZIMU_NAMES_PRESET, 8), "veryslow");
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    for (int i = 0; zimu_name(ZIMU_NAMES_PRESET, i); i++)
        ck_assert_int_eq(zimu_job_set_preset(job, zimu_name(ZIMU_NAMES_PRESET, i)), 0);
    zimu_job_free(&job);
}
END_TEST

START_TEST(names_unknown)
{
    for (int k = 0; k < N_KINDS; k++) {
        ck_assert_int_eq(zimu_name_value(kinds[k], "nosuch"), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_name_value(kinds[k], ""), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_name_value(kinds[k], NULL), ZIMU_EINVAL);
        /* exact match: no case folding, no prefixes, no spaces */
        const char *first = zimu_name(kinds[k], 0);
        char buf[64];
        snprintf(buf, sizeof buf, "%s ", first);
        ck_assert_int_eq(zimu_name_value(kinds[k], buf), ZIMU_EINVAL);
        snprintf(buf, sizeof buf, "%.*s", (int)strlen(first) - 1, first);
        ck_assert_int_eq(zimu_name_value(kinds[k], buf), ZIMU_EINVAL);
        snprintf(buf, sizeof buf, "%s", first);
        buf[0] = (char)(buf[0] - 'a' + 'A');
        ck_assert_int_eq(zimu_name_value(kinds[k], buf), ZIMU_EINVAL);
    }
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_CORNER, "top"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_PRESET, "placebo"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_SAFE_AREA, "youtube"), ZIMU_EINVAL);
    /* an unknown kind */
    ck_assert_int_eq(zimu_name_value(99, "keep"), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_name_value(-1, "keep"), ZIMU_EINVAL);
    ck_assert_ptr_null(zimu_name(99, 0));
    ck_assert_ptr_null(zimu_name(-1, 0));
    ck_assert_ptr_null(zimu_name_description(99, 0));
}
END_TEST

/* ------------------------------------------------------------------------
 * Handle errors.
 */

START_TEST(errmsg_any_handle)
{
    ck_assert_str_eq(zimu_errmsg(NULL), "");
    ck_assert_ptr_null(zimu_errfile(NULL));
    /* pointers that are not handles */
    static const uint32_t zeros[64];
    ck_assert_str_eq(zimu_errmsg(zeros), "");
    ck_assert_ptr_null(zimu_errfile(zeros));
    static const char text[] = "a job? no, just text";
    ck_assert_str_eq(zimu_errmsg(text), "");
    ck_assert_ptr_null(zimu_errfile(text));

    zimu_job *job = zimu_job_new();
    zimu_subs *subs = zimu_subs_new();
    ck_assert(job && subs);
    ck_assert_str_eq(zimu_errmsg(job), "");
    ck_assert_ptr_null(zimu_errfile(job));
    ck_assert_str_eq(zimu_errmsg(subs), "");
    ck_assert_ptr_null(zimu_errfile(subs));
    /* a failure about no file: the message, no file */
    ck_assert_int_eq(zimu_job_set_crf(job, 99), ZIMU_EINVAL);
    ck_assert_str_eq(zimu_errmsg(job), zimu_job_errmsg(job));
    ck_assert_msg(strstr(zimu_errmsg(job), "99"), "'%s'", zimu_errmsg(job));
    ck_assert_ptr_null(zimu_errfile(job));
    ck_assert_int_eq(zimu_subs_set_size(subs, 1, 1), ZIMU_EINVAL);
    ck_assert_str_eq(zimu_errmsg(subs), zimu_subs_errmsg(subs));
    ck_assert(*zimu_errmsg(subs));
    ck_assert_ptr_null(zimu_errfile(subs));
    /* a handle of another kind where a job belongs */
    zimu_job *not_job = (zimu_job *)(void *)subs;
    ck_assert_int_eq(zimu_job_set_crf(not_job, 20), ZIMU_EBADHANDLE);
    ck_assert_int_eq(zimu_job_set_input(not_job, "x.mp4"), ZIMU_EBADHANDLE);
    ck_assert_int_eq(zimu_job_run(not_job), ZIMU_EBADHANDLE);
    ck_assert_int_eq(zimu_job_preview(not_job, 0, "x.png"), ZIMU_EBADHANDLE);
    ck_assert_str_eq(zimu_job_errmsg(not_job), zimu_errmsg(subs)); /* its own, untouched */
    ck_assert_ptr_null(zimu_job_stats(not_job));
    ck_assert_int_eq(zimu_job_set_crf(NULL, 20), ZIMU_EINVAL);
    zimu_job_free(&job);
    zimu_subs_free(&subs);
    ck_assert_ptr_null(job);
    ck_assert_ptr_null(subs);

    ck_assert_str_eq(zimu_version(), "0.4.0");
    ck_assert_int_eq(zimu_version_int(), ZIMU_VERSION_INT);
    ck_assert_str_ne(zimu_strerror(ZIMU_EBADHANDLE), zimu_strerror(-1000));
}
END_TEST

static char *good_clip(void)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 6;
    o.audio = TU_AUDIO_NONE;
    char *p = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(p, &o));
    return p;
}

static char *good_srt(void)
{
    char *p = tu_write_text(dir, "ok.srt", "1\n00:00:00,000 --> 00:00:00,100\n好\n");
    ck_assert_msg(p != NULL, "%s", tu_err());
    return p;
}

/* The job fails with code, its error file is file exactly (NULL: none) and
 * the message is the job's own. */
static void expect_file(zimu_job *job, int rc, int code, const char *file, const char *what)
{
    ck_assert_msg(rc == code, "%s: returned %d (%s), want %d", what, rc, zimu_errmsg(job),
                  code);
    const char *f = zimu_errfile(job);
    if (!file)
        ck_assert_msg(!f, "%s: error file '%s', want none", what, f);
    else
        ck_assert_msg(f && !strcmp(f, file), "%s: error file '%s', want '%s'", what,
                      f ? f : "NULL", file);
    ck_assert_str_eq(zimu_errmsg(job), zimu_job_errmsg(job));
    ck_assert_msg(*zimu_errmsg(job), "%s: no message", what);
}

START_TEST(errfile_inputs)
{
    char *in = good_clip(), *srt = good_srt();
    char *out = tu_path(dir, "out.mp4");
    char *gone = tu_path(dir, "gone.mp4");
    zimu_job *job = tu_job(gone, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    expect_file(job, zimu_job_run(job), ZIMU_ENOENT, gone, "missing input");

    /* a setter failure after it is about no file */
    ck_assert_int_eq(zimu_job_set_crf(job, 99), ZIMU_EINVAL);
    ck_assert_ptr_null(zimu_errfile(job));

    /* the caption file, missing and then not parseable */
    char *nosrt = tu_path(dir, "gone.srt");
    ck_assert_int_eq(zimu_job_set_input(job, in), 0);
    ck_assert_int_eq(zimu_job_set_subtitles(job, nosrt), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ESUBS, nosrt, "missing captions");
    char *badsrt = tu_write_text(dir, "bad.srt", "1\n00:00:01,000 --> garbage\nx\n");
    ck_assert_int_eq(zimu_job_set_subtitles(job, badsrt), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ESUBS, badsrt, "bad captions");

    /* the logo */
    char *nologo = tu_path(dir, "gone.png");
    ck_assert_int_eq(zimu_job_set_subtitles(job, srt), 0);
    ck_assert_int_eq(zimu_job_set_logo(job, nologo, ZIMU_CORNER_TOP_RIGHT, 0), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ENOENT, nologo, "missing logo");
    ck_assert_int_eq(zimu_job_set_logo(job, NULL, 0, 0), 0);

    /* a style file with a bad line, and one that does not exist */
    char *style = tu_write_text(dir, "my.style", "size = 0.05\ncolor = banana\n");
    ck_assert_int_eq(zimu_job_set_style(job, style), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ESTYLE, style, "bad style file");
    ck_assert_msg(strstr(zimu_errmsg(job), ":2:"), "no line in '%s'", zimu_errmsg(job));
    char *nostyle = tu_path(dir, "gone.style");
    ck_assert_int_eq(zimu_job_set_style(job, nostyle), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ESTYLE, nostyle, "missing style file");
    /* a bad style option is about no file */
    ck_assert_int_eq(zimu_job_set_style(job, "classic"), 0);
    ck_assert_int_eq(zimu_job_set_style_option(job, "color", "banana"), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ESTYLE, NULL, "bad style option");
    zimu_job_free(&job);

    /* the fonts directory */
    char *nofonts = tu_path(dir, "nofonts");
    job = tu_job(in, srt, out);
    ck_assert_int_eq(zimu_job_set_fonts_dir(job, nofonts), 0);
    expect_file(job, zimu_job_run(job), ZIMU_EFONT, nofonts, "missing fonts dir");
    ck_assert_int_eq(zimu_job_set_fonts_dir(job, NULL), 0);

    /* and a run that works forgets the last failure */
    ck_assert_int_eq(zimu_job_run(job), 0);
    ck_assert_str_eq(zimu_errmsg(job), "");
    ck_assert_ptr_null(zimu_errfile(job));
    zimu_job_free(&job);
    free(in); free(srt); free(out); free(gone); free(nosrt); free(badsrt); free(nologo);
    free(style); free(nostyle); free(nofonts);
}
END_TEST

START_TEST(errfile_outputs)
{
    char *in = good_clip(), *srt = good_srt();
    /* exists, without overwrite */
    char *other = tu_write_text(dir, "other.mp4", "someone else's");
    ck_assert_msg(other != NULL, "%s", tu_err());
    zimu_job *job = tu_job(in, srt, other);
    ck_assert_msg(job != NULL, "%s", tu_err());
    expect_file(job, zimu_job_run(job), ZIMU_EEXIST, other, "existing output");
    /* the caption file as output, even with overwrite: by its name (.srt
     * is no video container), and under a video's name (a hard link) */
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    ck_assert_int_eq(zimu_job_set_output(job, srt), 0);
    expect_file(job, zimu_job_run(job), ZIMU_EINVAL, srt, "captions as output");
    char *linked = tu_path(dir, "captions.mp4");
    ck_assert_int_eq(link(srt, linked), 0);
    ck_assert_int_eq(zimu_job_set_output(job, linked), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ESAME, linked, "captions as output");
    free(linked);
    free(other);
    /* the input as output */
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    ck_assert_int_eq(zimu_job_set_output(job, in), 0);
    expect_file(job, zimu_job_run(job), ZIMU_ESAME, in, "output is input");
    /* in a directory that does not exist: the video and a preview */
    char *out = tu_path(dir, "nosuchdir/out.mp4");
    ck_assert_int_eq(zimu_job_set_output(job, out), 0);
    expect_file(job, zimu_job_run(job), ZIMU_EOUTPUT, out, "unwritable output");
    char *png = tu_path(dir, "nosuchdir/f.png");
    expect_file(job, zimu_job_preview(job, 0, png), ZIMU_EOUTPUT, png, "unwritable preview");
    zimu_job_free(&job);

    /* captions on their own */
    zimu_subs *subs = zimu_subs_new();
    ck_assert_ptr_nonnull(subs);
    char *gone = tu_path(dir, "gone.srt");
    ck_assert_int_eq(zimu_subs_load(subs, gone), ZIMU_ESUBS);
    ck_assert_str_eq(zimu_errfile(subs) ? zimu_errfile(subs) : "NULL", gone);
    ck_assert_str_eq(zimu_errmsg(subs), zimu_subs_errmsg(subs));
    char *bad = tu_write_text(dir, "bad.srt", "1\n00:00:01,000 --> garbage\nx\n");
    ck_assert_int_eq(zimu_subs_load(subs, bad), ZIMU_ESUBS);
    ck_assert_str_eq(zimu_errfile(subs) ? zimu_errfile(subs) : "NULL", bad);
    ck_assert_int_eq(zimu_subs_load(subs, srt), 0);
    ck_assert_ptr_null(zimu_errfile(subs));
    char *vtt = tu_path(dir, "nosuchdir/x.vtt");
    ck_assert_int_eq(zimu_subs_save(subs, vtt, 0), ZIMU_EOUTPUT);
    ck_assert_str_eq(zimu_errfile(subs) ? zimu_errfile(subs) : "NULL", vtt);
    zimu_subs_free(&subs);
    free(in); free(srt); free(out); free(png); free(gone); free(bad); free(vtt);
}
END_TEST

static Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("parsers");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, sizes);
    tcase_add_test(tc, ratios);
    tcase_add_test(tc, offsets);
    suite_add_tcase(s, tc);
    tc = tcase_create("names");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, names_round_trip);
    tcase_add_test(tc, names_values);
    tcase_add_test(tc, names_unknown);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, errmsg_any_handle);
    tcase_add_test(tc, errfile_inputs);
    tcase_add_test(tc, errfile_outputs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(names_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
