/* check_glyphs.c - characters no font can draw: reported once each, with
 * the caption and the code point, as a warning by default and as
 * ZIMU_EGLYPH on request, before anything is drawn or written; ordinary
 * Chinese, Latin and emoji text gives no report.
 *
 * The fonts are this machine's (Noto CJK, DejaVu, Symbola: DEB_PKGS),
 * looked up as libass looks them up. None of them has U+13000 (an Egyptian
 * hieroglyph), U+E000 (private use) or U+1F9A9 (flamingo, newer than
 * Symbola); libass draws an empty box for each (checked below on the
 * rendered frame). */
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

/* The warnings a job logs. */
typedef struct logged {
    char msg[16][512];
    int n;
} logged;

static void on_log(void *opaque, int level, const char *msg)
{
    logged *l = opaque;
    if (level == ZIMU_LOG_WARNING && l->n < 16)
        snprintf(l->msg[l->n++], sizeof l->msg[0], "%s", msg);
}

/* How many warnings mention "has no glyph". */
static int glyph_warnings(const logged *l)
{
    int n = 0;
    for (int i = 0; i < l->n; i++)
        n += strstr(l->msg[i], "has no glyph") != NULL;
    return n;
}

static char *clip(void)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 30;
    o.audio = 0;
    o.bg = TU_BG_BLACK;
    o.markers = 0;
    char *in = tu_path(dir, "in.mp4");
    ck_assert_msg(tu_make_clip(in, &o) == 0, "%s", tu_err());
    return in;
}

static char *srt(const char *name, const char *a, const char *b)
{
    char text[1024];
    snprintf(text, sizeof text,
             "1\n00:00:00,000 --> 00:00:00,500\n%s\n\n"
             "2\n00:00:00,500 --> 00:00:01,000\n%s\n", a, b);
    char *p = tu_write_text(dir, name, text);
    ck_assert_ptr_nonnull(p);
    return p;
}

static zimu_job *job_for(const char *in, const char *subs, logged *l)
{
    zimu_job *job = tu_job(in, subs, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_log(job, on_log, l, ZIMU_LOG_WARNING), 0);
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    return job;
}

/* Four characters no font has (a C1 control among them: libass draws a
 * box for it too), one of them twice: four warnings, each naming the
 * first caption that shows it, with its code point. */
START_TEST(missing_reported_once_each)
{
    char *in = clip();
    char *subs = srt("sub.srt", "大家好，象形文字\xF0\x93\x80\x80（圣书体）\xC2\x85",
                     "私用区\xEE\x80\x80，火烈鸟\xF0\x9F\xA6\xA9，再来\xF0\x93\x80\x80");
    logged l = {0};
    zimu_job *job = job_for(in, subs, &l);
    char *png = tu_path(dir, "p.png");
    int rc = zimu_job_preview(job, 700, png);
    ck_assert_msg(rc == 0, "%s", zimu_job_errmsg(job));
    ck_assert_int_eq(glyph_warnings(&l), 4);
    static const char *const want[4] = {
        "caption 1 at 0:00:00.000: U+13000 (\xF0\x93\x80\x80) has no glyph in any font; it "
        "would show as an empty box",
        "caption 1 at 0:00:00.000: U+0085 has no glyph in any font; it would show as an "
        "empty box",
        "caption 2 at 0:00:00.500: U+E000 (\xEE\x80\x80) has no glyph in any font; it would "
        "show as an empty box",
        "caption 2 at 0:00:00.500: U+1F9A9 (\xF0\x9F\xA6\xA9) has no glyph in any font; it "
        "would show as an empty box",
    };
    int k = 0;
    for (int i = 0; i < l.n; i++) {
        if (!strstr(l.msg[i], "has no glyph"))
            continue;
        /* "/tmp/.../sub.srt: caption ..." */
        const char *m = strstr(l.msg[i], "sub.srt: ");
        ck_assert_msg(m && !strcmp(m + 9, want[k]), "warning %d: '%s', want '...sub.srt: %s'",
                      k, l.msg[i], want[k]);
        k++;
    }
    /* libass's own line about each is not repeated as a warning */
    for (int i = 0; i < l.n; i++)
        ck_assert_msg(!strstr(l.msg[i], "fontselect"), "%s", l.msg[i]);
    zimu_job_free(&job);
    free(png);
    free(subs);
    free(in);
}
END_TEST

/* What is reported is what libass draws as a box: a caption of the
 * missing character alone inks pixels (the box), one of a space none. */
START_TEST(missing_draws_a_box)
{
    char *in = clip();
    char *a = srt("a.srt", "\xEE\x80\x80", "x");
    char *b = srt("b.srt", " ", "x");
    logged l = {0};
    uint8_t *rgb[2];
    int w = 0, h = 0;
    const char *s[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        zimu_job *job = job_for(in, s[i], &l);
        char *png = tu_path(dir, i ? "b.png" : "a.png");
        ck_assert_msg(zimu_job_preview(job, 100, png) == 0, "%s", zimu_job_errmsg(job));
        ck_assert_int_eq(tu_read_image_rgb(png, &w, &h, &rgb[i]), 0);
        zimu_job_free(&job);
        free(png);
    }
    long ink[2] = {0, 0};
    for (int i = 0; i < 2; i++)
        for (size_t p = 0; p < (size_t)w * h; p++)
            ink[i] += rgb[i][p * 3] > 128;
    ck_assert_msg(ink[0] > 50 && ink[1] == 0, "box %ld px, space %ld px", ink[0], ink[1]);
    ck_assert_int_eq(glyph_warnings(&l), 1);
    free(rgb[0]);
    free(rgb[1]);
    free(a);
    free(b);
    free(in);
}
END_TEST

/* Ordinary text: Simplified and Traditional Chinese, fullwidth
 * punctuation, Latin with accents, digits, emoji Symbola has, a
 * zero-width joiner, variation selectors (U+E0100 after 葛: an
 * ideographic variation sequence), a tag (U+E0001) and a C0 control
 * character (U+0001); no font here has the last three, and libass draws
 * them as nothing: no report. */
START_TEST(ordinary_text_no_warning)
{
    char *in = clip();
    char *subs = srt("ok.srt", "大家好，歡迎收看本週的法律講堂！《民法典》第1123条……「注意」",
                     "Café naïve 😀👍\xE2\x9D\xA4\xEF\xB8\x8F a\xE2\x80\x8D" "b ①② ℃ ¥100 "
                     "葛\xF3\xA0\x84\x80城\x01 \xF3\xA0\x80\x81");
    logged l = {0};
    zimu_job *job = job_for(in, subs, &l);
    char *png = tu_path(dir, "p.png");
    ck_assert_msg(zimu_job_preview(job, 100, png) == 0, "%s", zimu_job_errmsg(job));
    ck_assert_msg(glyph_warnings(&l) == 0, "%s", l.msg[0]);
    zimu_job_free(&job);
    free(png);
    free(subs);
    free(in);
}
END_TEST

/* On request the first missing character fails the run, the preview and
 * the cover (its title), before anything is written. */
START_TEST(missing_is_an_error_on_request)
{
    char *in = clip();
    char *subs = srt("sub.srt", "第一句", "火烈鸟\xF0\x9F\xA6\xA9和\xF0\x93\x80\x80");
    logged l = {0};
    zimu_job *job = job_for(in, subs, &l);
    ck_assert_int_eq(zimu_job_set_missing_glyphs(job, 2), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_missing_glyphs(job, ZIMU_GLYPHS_ERROR), 0);
    char *png = tu_path(dir, "p.png"), *out = tu_path(dir, "out.mp4");
    ck_assert_int_eq(zimu_job_preview(job, 100, png), ZIMU_EGLYPH);
    const char *m = strstr(zimu_job_errmsg(job), "sub.srt: ");
    ck_assert_msg(m && !strcmp(m, "sub.srt: caption 2 at 0:00:00.500: U+1F9A9 "
                                  "(\xF0\x9F\xA6\xA9) has no glyph in any font; it would "
                                  "show as an empty box"), "%s", zimu_job_errmsg(job));
    ck_assert_int_eq(tu_exists(png), 0);
    ck_assert_int_eq(zimu_job_set_output(job, out), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_EGLYPH);
    ck_assert_int_eq(tu_exists(out), 0);
    ck_assert_int_eq(glyph_warnings(&l), 0);
    /* the title, on a cover */
    ck_assert_int_eq(zimu_job_set_title(job, "标题\xEE\x80\x81"), 0);
    ck_assert_int_eq(zimu_job_cover(job, 100, png), ZIMU_EGLYPH);
    ck_assert_str_eq(zimu_job_errmsg(job), "title: U+E001 (\xEE\x80\x81) has no glyph in any "
                                           "font; it would show as an empty box");
    ck_assert_int_eq(tu_exists(png), 0);
    /* back to warnings: it runs */
    ck_assert_int_eq(zimu_job_set_missing_glyphs(job, ZIMU_GLYPHS_WARN), 0);
    ck_assert_msg(zimu_job_preview(job, 100, png) == 0, "%s", zimu_job_errmsg(job));
    ck_assert_int_eq(glyph_warnings(&l), 3);
    ck_assert_str_eq(zimu_strerror(ZIMU_EGLYPH), "a caption character has no glyph in any font");
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_MISSING_GLYPHS, "error"), ZIMU_GLYPHS_ERROR);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_MISSING_GLYPHS, "warn"), ZIMU_GLYPHS_WARN);
    zimu_job_free(&job);
    free(png);
    free(out);
    free(subs);
    free(in);
}
END_TEST

/* ASS: what override blocks and drawings hold is not text. */
START_TEST(ass_overrides_and_drawings_not_text)
{
    char *in = clip();
    char *ass = tu_write_text(
        dir, "s.ass",
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 568\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
        "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
        "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
        "MarginV, Encoding\n"
        "Style: Default,Noto Sans CJK SC,30,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,"
        "0,0,100,100,0,0,1,2,0,2,10,10,10,1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
        "Text\n"
        "Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,{\\fn\xEE\x80\x80}中文\\N字幕\\h"
        "{\\p1}m 0 0 l 10 0 10 10{\\p0}好\n"
        "Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,{\\pos(10,10)}第二\xF0\x93\x80\x80\n");
    ck_assert_ptr_nonnull(ass);
    logged l = {0};
    zimu_job *job = job_for(in, ass, &l);
    char *png = tu_path(dir, "p.png");
    ck_assert_msg(zimu_job_preview(job, 100, png) == 0, "%s", zimu_job_errmsg(job));
    ck_assert_int_eq(glyph_warnings(&l), 1);
    ck_assert_msg(strstr(l.msg[0], "s.ass: caption 2 at 0:00:00.000: U+13000"), "%s",
                  l.msg[0]);
    zimu_job_free(&job);
    free(png);
    free(ass);
    free(in);
}
END_TEST

/* Flash cards: the script named, the card by its number and time. */
START_TEST(flash_cards_checked)
{
    static const char script[] = "size: 320x568\nin: none\nout: none\n"
                                 "第一张 | at: 0.5, dur: 0.5\n"
                                 "第二张\xEE\x80\x80 | at: 1, dur: 0.5\n";
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_flash_data(job, script, strlen(script), "card.txt"), 0);
    ck_assert_int_eq(zimu_job_set_missing_glyphs(job, ZIMU_GLYPHS_ERROR), 0);
    char *png = tu_path(dir, "p.png");
    ck_assert_int_eq(zimu_job_preview(job, 700, png), ZIMU_EGLYPH);
    ck_assert_str_eq(zimu_job_errmsg(job), "card.txt: caption 2 at 0:00:01.000: U+E000 "
                                           "(\xEE\x80\x80) has no glyph in any font; it "
                                           "would show as an empty box");
    ck_assert_int_eq(tu_exists(png), 0);
    zimu_job_free(&job);
    free(png);
}
END_TEST

/* The command line: --missing-glyphs warn|error on preview (burn, flash
 * and batch share the option). */
START_TEST(cli_missing_glyphs)
{
    char *in = clip();
    char *subs = srt("sub.srt", "你好", "\xF0\x93\x80\x80");
    char *png = tu_path(dir, "p.png");
    char err[4096];
    const char *warn[] = {"preview", in, "-s", subs, "-t", "0.6", "-o", png, NULL};
    ck_assert_int_eq(tu_zimu(dir, warn, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "zimu: warning: ") &&
                  strstr(err, "sub.srt: caption 2 at 0:00:00.500: U+13000"), "%s", err);
    ck_assert_int_eq(tu_exists(png), 1);
    remove(png);
    const char *error[] = {"preview", in, "-s", subs, "-t", "0.6", "-o", png,
                           "--missing-glyphs", "error", NULL};
    ck_assert_int_eq(tu_zimu(dir, error, err, sizeof err), 6);
    ck_assert_msg(strstr(err, "sub.srt: caption 2 at 0:00:00.500: U+13000") &&
                  !strstr(err, "warning"), "%s", err);
    ck_assert_int_eq(tu_exists(png), 0);
    const char *bad[] = {"preview", in, "-s", subs, "-t", "0.6", "-o", png,
                         "--missing-glyphs", "ignore", NULL};
    ck_assert_int_eq(tu_zimu(dir, bad, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "--missing-glyphs: 'ignore' is not one of warn, error"), "%s",
                  err);
    free(png);
    free(subs);
    free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glyphs");
    TCase *tc = tcase_create("glyphs");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, missing_reported_once_each);
    tcase_add_test(tc, missing_draws_a_box);
    tcase_add_test(tc, ordinary_text_no_warning);
    tcase_add_test(tc, missing_is_an_error_on_request);
    tcase_add_test(tc, ass_overrides_and_drawings_not_text);
    tcase_add_test(tc, flash_cards_checked);
    tcase_add_test(tc, cli_missing_glyphs);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
