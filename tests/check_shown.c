/* check_shown.c - the bound on what is on screen at once (ZIMU_MAX_SHOWN,
 * ZIMU_MAX_ASS_SHOWN): 50,000 cues at the same moment preview and burn in
 * bounded time, at most the cap is shown (the earliest-starting, file order
 * on ties), one warning says how many were dropped and where; 50,000 cues
 * one after another are all laid out, quickly.
 *
 * Time limits are generous (several times the figures measured on the
 * development machine: 0.5 s for the preview, 2 s for the 3-second burn,
 * 0.6 s CPU to lay out 50,000 cues in a row): they catch the minutes the
 * unbounded version took, not a slow machine. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util_clip.h"
#include "zimu.h"

#define N_CUES 50000

static char *dir;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

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

typedef struct logbook {
    int warnings;
    char text[4096];
} logbook;

static void on_log(void *opaque, int level, const char *msg)
{
    logbook *b = opaque;
    if (level != ZIMU_LOG_WARNING)
        return;
    b->warnings++;
    size_t used = strlen(b->text);
    snprintf(b->text + used, sizeof b->text - used, "%s\n", msg);
}

static void srt_time(char *buf, int64_t ms)
{
    sprintf(buf, "%02d:%02d:%02d,%03d", (int)(ms / 3600000), (int)(ms / 60000 % 60),
            (int)(ms / 1000 % 60), (int)(ms % 1000));
}

/* n cues; cue i from start(i) to end(i), text "c<i>". */
static char *write_srt(const char *name, int n, int64_t (*start)(int), int64_t (*end)(int))
{
    char *p = tu_path(dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < n; i++) {
        char a[32], b[32];
        srt_time(a, start(i));
        srt_time(b, end(i));
        fprintf(f, "%d\n%s --> %s\nc%d\n\n", i + 1, a, b, i);
    }
    ck_assert_int_eq(fclose(f), 0);
    return p;
}

static int64_t at_1s(int i) { (void)i; return 1000; }
static int64_t at_3s(int i) { (void)i; return 3000; }
static int64_t seq_start(int i) { return (int64_t)i * 100; }
static int64_t seq_end(int i) { return (int64_t)i * 100 + 90; }

/* A black 320x568 clip of 4 s, no sound. */
static char *make_clip(void)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 120;
    o.bg = TU_BG_BLACK;
    o.markers = 0;
    o.audio = 0;
    char *p = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(p, &o));
    return p;
}

/* The laid-out track a burn of subs on a 320x568 frame draws (the ASS
 * zimu convert writes): which of the cues "c<i>" are in it. Returns the
 * number of Dialogue lines. */
static int laid_out(const char *subs, unsigned char *seen, int n, logbook *b)
{
    char *ass = tu_path(dir, "laid.ass");
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_subtitles(job, subs), 0);
    ck_assert_int_eq(zimu_job_set_size(job, 320, 568), 0);
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    ck_assert_int_eq(zimu_job_set_log(job, on_log, b, ZIMU_LOG_WARNING), 0);
    int r = zimu_job_save_captions(job, ass);
    ck_assert_msg(r == 0, "save: %s", zimu_job_errmsg(job));
    zimu_job_free(&job);
    uint8_t *d;
    size_t size;
    TU_OK(tu_read_file(ass, &d, &size));
    int lines = 0;
    memset(seen, 0, (size_t)n);
    /* Line by line, each search bounded by its line (a strstr over the
     * rest of the file for every line is quadratic under ASan, whose
     * strstr measures the whole haystack first). */
    const char *s = (const char *)d, *end = s + size;
    while (s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e)
            e = end;
        size_t len = (size_t)(e - s);
        if (len > 9 && !memcmp(s, "Dialogue:", 9)) {
            lines++;
            const char *t = memmem(s, len, "}c", 2);
            if (t) {
                int i = atoi(t + 2);
                if (i >= 0 && i < n)
                    seen[i] = 1;
            }
        }
        s = e + 1;
    }
    free(d);
    free(ass);
    return lines;
}

START_TEST(srt_50000_at_once)
{
    char *clip = make_clip();
    char *srt = write_srt("t.srt", N_CUES, at_1s, at_3s);
    logbook b = {0};
    zimu_job *job = tu_job(clip, srt, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_log(job, on_log, &b, ZIMU_LOG_WARNING), 0);
    char *png = tu_path(dir, "p.png");
    double t0 = now_s();
    ck_assert_msg(zimu_job_preview(job, 2000, png) == 0, "%s", zimu_job_errmsg(job));
    double dt = now_s() - t0;
    ck_assert_msg(dt < 25, "one preview frame took %.1f s", dt);
    ck_assert_msg(b.warnings == 1 &&
                      strstr(b.text, "t.srt: 49,936 captions overlap others at "
                                     "0:00:01-0:00:03 and are not shown; at most 64 are "
                                     "shown at once"),
                  "warnings: %s", b.text);
    zimu_job_free(&job);

    /* A 3-second burn. */
    char *out = tu_path(dir, "out.mp4");
    job = tu_job(clip, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_trim(job, 0, 3000), 0);
    t0 = now_s();
    TU_RUN_OK(job);
    dt = now_s() - t0;
    ck_assert_msg(dt < 100, "a 3-second burn took %.1f s", dt);
    ck_assert_int_eq(zimu_job_stats(job)->frames, 90);
    zimu_job_free(&job);

    /* What is drawn: the first 64 cues. */
    unsigned char *seen = malloc(N_CUES);
    memset(&b, 0, sizeof b);
    int lines = laid_out(srt, seen, N_CUES, &b);
    ck_assert_int_eq(lines, ZIMU_MAX_SHOWN);
    for (int i = 0; i < N_CUES; i++)
        ck_assert_msg(seen[i] == (i < ZIMU_MAX_SHOWN), "cue %d %s", i,
                      seen[i] ? "shown" : "not shown");
    free(seen);
    free(png);
    free(out);
    free(srt);
    free(clip);
}
END_TEST

static int64_t one_early_start(int i) { return i == ZIMU_MAX_SHOWN ? 500 : 1000; }

/* One over the cap: the cue that starts latest (the last in file order
 * among equal starts) is the one not shown, and the warning is singular;
 * at the cap, nothing is dropped. */
START_TEST(srt_one_over_the_cap)
{
    logbook b = {0};
    unsigned char seen[ZIMU_MAX_SHOWN + 1];
    char *srt = write_srt("one.srt", ZIMU_MAX_SHOWN + 1, one_early_start, at_3s);
    ck_assert_int_eq(laid_out(srt, seen, ZIMU_MAX_SHOWN + 1, &b), ZIMU_MAX_SHOWN);
    ck_assert_msg(seen[ZIMU_MAX_SHOWN] && !seen[ZIMU_MAX_SHOWN - 1] && seen[0],
                  "the wrong cue was dropped");
    ck_assert_msg(b.warnings == 1 && strstr(b.text, "one.srt: 1 caption overlaps others at "
                                                    "0:00:01-0:00:03 and is not shown"),
                  "warnings: %s", b.text);
    free(srt);
    memset(&b, 0, sizeof b);
    srt = write_srt("cap.srt", ZIMU_MAX_SHOWN, at_1s, at_3s);
    ck_assert_int_eq(laid_out(srt, seen, ZIMU_MAX_SHOWN, &b), ZIMU_MAX_SHOWN);
    ck_assert_msg(b.warnings == 0, "warnings: %s", b.text);
    free(srt);
}
END_TEST

/* 50,000 cues one after another: every one laid out, no warning, fast. */
START_TEST(srt_50000_in_a_row)
{
    char *srt = write_srt("seq.srt", N_CUES, seq_start, seq_end);
    logbook b = {0};
    unsigned char *seen = malloc(N_CUES);
    double t0 = now_s();
    int lines = laid_out(srt, seen, N_CUES, &b);
    double dt = now_s() - t0;
    ck_assert_int_eq(lines, N_CUES);
    for (int i = 0; i < N_CUES; i++)
        ck_assert_msg(seen[i], "cue %d not laid out", i);
    ck_assert_msg(b.warnings == 0, "warnings: %s", b.text);
    ck_assert_msg(dt < 30, "laying out 50,000 cues in a row took %.1f s", dt);
    free(seen);
    free(srt);
}
END_TEST

/* An ASS script of 50,000 events at the same moment, event i a white
 * square in grid cell i % 300 (20 x 15 cells of 16 x 37 px): the first 256
 * events are shown, so cells 0..255 are white and 256..299 stay black. */
#define CELLS 300
START_TEST(ass_50000_at_once)
{
    char *clip = make_clip();
    char *ass = tu_path(dir, "t.ass");
    FILE *f = fopen(ass, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 568\n\n"
          "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
          "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
          "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
          "MarginV, Encoding\nStyle: Default,Noto Sans CJK SC,20,&H00FFFFFF,&H000000FF,"
          "&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,0,0,7,0,0,0,1\n\n"
          "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
          "Effect, Text\n", f);
    for (int i = 0; i < N_CUES; i++) {
        int cell = i % CELLS;
        fprintf(f, "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,"
                   "{\\an7\\pos(%d,%d)\\p1}m 0 0 l 8 0 8 8 0 8{\\p0}\n",
                cell % 20 * 16 + 4, cell / 20 * 37 + 14);
    }
    ck_assert_int_eq(fclose(f), 0);

    logbook b = {0};
    zimu_job *job = tu_job(clip, ass, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_log(job, on_log, &b, ZIMU_LOG_WARNING), 0);
    char *png = tu_path(dir, "p.png");
    double t0 = now_s();
    ck_assert_msg(zimu_job_preview(job, 2000, png) == 0, "%s", zimu_job_errmsg(job));
    double dt = now_s() - t0;
    ck_assert_msg(dt < 25, "one preview frame took %.1f s", dt);
    ck_assert_msg(b.warnings == 1 &&
                      strstr(b.text, "t.ass: 49,744 events overlap others at "
                                     "0:00:01-0:00:03 and are not shown; at most 256 are "
                                     "shown at once"),
                  "warnings: %s", b.text);
    zimu_job_free(&job);
    int w, h;
    uint8_t *rgb;
    TU_OK(tu_read_image_rgb(png, &w, &h, &rgb));
    ck_assert(w == 320 && h == 568);
    for (int cell = 0; cell < CELLS; cell++) {
        int x = cell % 20 * 16 + 8, y = cell / 20 * 37 + 18;
        const uint8_t *p = rgb + ((size_t)y * w + x) * 3;
        int white = p[0] > 200 && p[1] > 200 && p[2] > 200;
        ck_assert_msg(white == (cell < ZIMU_MAX_ASS_SHOWN), "cell %d is %s", cell,
                      white ? "white" : "black");
    }
    free(rgb);

    char *out = tu_path(dir, "out.mp4");
    job = tu_job(clip, ass, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_trim(job, 0, 3000), 0);
    t0 = now_s();
    TU_RUN_OK(job);
    dt = now_s() - t0;
    ck_assert_msg(dt < 100, "a 3-second burn took %.1f s", dt);
    zimu_job_free(&job);
    free(out);
    free(png);
    free(ass);
    free(clip);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("shown");
    TCase *tc = tcase_create("shown");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, srt_50000_at_once);
    tcase_add_test(tc, srt_one_over_the_cap);
    tcase_add_test(tc, srt_50000_in_a_row);
    tcase_add_test(tc, ass_50000_at_once);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
