/* check_damage.c - a damaged clip is reported, not passed off as whole.
 *
 * Clips are made at test time by the ffmpeg program (lossless H.264 + AAC,
 * 6 s at 30 fps), then damaged here: 200 KB in the middle overwritten with
 * random bytes (a fixed seed), or a faststart MP4 (index at the start) cut
 * off at half. A burn goes on with a warning naming the time range, the
 * ranges are in zimu_job_damage() and the stats, the CLI lists them in
 * --json, and strict mode (zimu_job_set_strict, --strict) fails instead.
 * A clean clip reports nothing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <json-c/json.h>

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

/* A 6-second lossless clip with sound: path is dir/name. */
static char *make_clip(const char *name, int faststart)
{
    char *p = tu_path(dir, name);
    const char *argv[32] = {"ffmpeg", "-v", "error", "-y",
                            "-f", "lavfi", "-i", "testsrc2=s=320x568:r=30:d=6",
                            "-f", "lavfi", "-i", "sine=f=440:d=6",
                            "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-g", "30",
                            "-c:a", "aac", "-shortest"};
    int n = 0;
    while (argv[n])
        n++;
    if (faststart) {
        argv[n++] = "-movflags";
        argv[n++] = "+faststart";
    }
    argv[n++] = p;
    TU_OK(tu_run(argv));
    return p;
}

/* Overwrite 200 KB in the middle with random bytes. */
static void garble_middle(const char *p)
{
    uint8_t *d;
    size_t n;
    TU_OK(tu_read_file(p, &d, &n));
    ck_assert_msg(n > 1000000, "clip is only %zu bytes", n);
    unsigned s = 12345;
    for (size_t i = n / 2; i < n / 2 + 200000; i++) {
        s = s * 1103515245u + 12345u;
        d[i] = (uint8_t)(s >> 16);
    }
    TU_OK(tu_write_file(p, d, n));
    free(d);
}

static void cut_half(const char *p)
{
    uint8_t *d;
    size_t n;
    TU_OK(tu_read_file(p, &d, &n));
    TU_OK(tu_write_file(p, d, n / 2));
    free(d);
}

typedef struct logged {
    char text[8192];
    int warnings;
} logged;

static void on_log(void *opaque, int level, const char *msg)
{
    logged *l = opaque;
    if (level != ZIMU_LOG_WARNING)
        return;
    l->warnings++;
    size_t used = strlen(l->text);
    snprintf(l->text + used, sizeof l->text - used, "%s\n", msg);
}

static zimu_job *job_for(const char *clip, const char *out, logged *l)
{
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_input(job, clip), 0);
    char *srt = tu_write_text(dir, "s.srt", "1\n00:00:00,500 --> 00:00:05,000\n字幕\n");
    ck_assert_ptr_nonnull(srt);
    ck_assert_int_eq(zimu_job_set_subtitles(job, srt), 0);
    free(srt);
    ck_assert_int_eq(zimu_job_set_output(job, out), 0);
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    ck_assert_int_eq(zimu_job_set_preset(job, "ultrafast"), 0);
    ck_assert_int_eq(zimu_job_set_log(job, on_log, l, ZIMU_LOG_WARNING), 0);
    return job;
}

/* One burn: 0 or its error; the ranges it found in from/to (at most 8). */
static int burn(const char *clip, int strict, logged *l, int *n, int64_t from[8],
                int64_t to[8], const zimu_stats **st_copy, zimu_stats *st)
{
    char *out = tu_path(dir, strict ? "strict.mp4" : "out.mp4");
    zimu_job *job = job_for(clip, out, l);
    if (strict)
        ck_assert_int_eq(zimu_job_set_strict(job, 1), 0);
    int r = zimu_job_run(job);
    *n = zimu_job_damage_count(job);
    ck_assert_int_ge(*n, 0);
    for (int i = 0; i < *n && i < 8; i++)
        ck_assert_int_eq(zimu_job_damage(job, i, &from[i], &to[i]), 0);
    ck_assert_int_eq(zimu_job_damage(job, *n, NULL, NULL), ZIMU_EINVAL);
    if (st) {
        *st = *zimu_job_stats(job);
        if (st_copy)
            *st_copy = st;
    }
    if (r == ZIMU_EDECODE) {
        ck_assert_msg(!tu_exists(out), "strict failure left an output");
        ck_assert_msg(strstr(zimu_job_errmsg(job), "strict") != NULL, "message: %s",
                      zimu_job_errmsg(job));
    }
    zimu_job_free(&job);
    free(out);
    return r;
}

static void garbage_case(const char *name)
{
    char *clip = make_clip(name, 0);
    garble_middle(clip);
    logged l = {{0}, 0};
    int n;
    int64_t from[8], to[8];
    zimu_stats st;
    int r = burn(clip, 0, &l, &n, from, to, NULL, &st);
    ck_assert_msg(r == 0, "a damaged clip still burns: %d", r);
    ck_assert_msg(n >= 1 && n <= 3, "%s: %d damaged ranges", name, n);
    /* The garbage is in the middle of the bytes: about 3 s in. */
    ck_assert_msg(from[0] >= 1500 && from[0] <= 4500 && to[n - 1] <= 5500 &&
                      to[n - 1] > from[0],
                  "%s: damage at %lld-%lld ms", name, (long long)from[0], (long long)to[n - 1]);
    ck_assert_int_eq(st.damaged_ranges, n);
    int64_t total = 0;
    for (int i = 0; i < n; i++)
        total += to[i] - from[i];
    ck_assert_int_eq(st.damaged_ms, total);
    ck_assert_msg(l.warnings >= n && strstr(l.text, name) &&
                      strstr(l.text, "could not be decoded") && strstr(l.text, "0:00:0"),
                  "warnings: %s", l.text);

    /* Strict: the same clip fails, and says where it stopped. */
    logged l2 = {{0}, 0};
    r = burn(clip, 1, &l2, &n, from, to, NULL, NULL);
    ck_assert_int_eq(r, ZIMU_EDECODE);
    ck_assert_msg(n >= 1 && from[0] >= 1500 && from[0] <= 4500, "strict: %d ranges", n);
    free(clip);
}

START_TEST(garbage_in_ts)
{
    garbage_case("g.ts");
}
END_TEST

START_TEST(garbage_in_mp4)
{
    garbage_case("g.mp4");
}
END_TEST

/* Cut at half with the index at the start: the index promises 6 s. */
START_TEST(cut_off_mp4)
{
    char *clip = make_clip("cut.mp4", 1);
    cut_half(clip);
    logged l = {{0}, 0};
    int n;
    int64_t from[8], to[8];
    zimu_stats st;
    ck_assert_int_eq(burn(clip, 0, &l, &n, from, to, NULL, &st), 0);
    ck_assert_msg(n >= 1, "no damage found in a clip cut at half");
    ck_assert_msg(from[n - 1] >= 1500 && from[n - 1] <= 4500 && to[n - 1] >= 5800 &&
                      to[n - 1] <= 6200,
                  "missing %lld-%lld ms", (long long)from[n - 1], (long long)to[n - 1]);
    ck_assert_msg(st.damaged_ms >= 1500, "%lld ms lost", (long long)st.damaged_ms);
    ck_assert_msg(strstr(l.text, "cut off") && strstr(l.text, "0:00:06.0"), "warnings: %s",
                  l.text);
    ck_assert_int_eq(burn(clip, 1, &l, &n, from, to, NULL, NULL), ZIMU_EDECODE);
    free(clip);
}
END_TEST

/* A whole clip: nothing to report, strict or not; a trimmed burn neither. */
START_TEST(clean_clip)
{
    static const char *names[] = {"c.mp4", "c.ts"};
    for (int k = 0; k < 2; k++) {
        char *clip = make_clip(names[k], 0);
        logged l = {{0}, 0};
        int n;
        int64_t from[8], to[8];
        zimu_stats st;
        ck_assert_int_eq(burn(clip, 1, &l, &n, from, to, NULL, &st), 0);
        ck_assert_int_eq(n, 0);
        ck_assert_int_eq(st.damaged_ranges, 0);
        ck_assert_int_eq(st.damaged_ms, 0);
        ck_assert_msg(l.warnings == 0, "warnings: %s", l.text);
        char *out = tu_path(dir, "trim.mp4");
        zimu_job *job = job_for(clip, out, &l);
        ck_assert_int_eq(zimu_job_set_strict(job, 1), 0);
        ck_assert_int_eq(zimu_job_set_trim(job, 1000, 4000), 0);
        ck_assert_int_eq(zimu_job_run(job), 0);
        ck_assert_int_eq(zimu_job_damage_count(job), 0);
        zimu_job_free(&job);
        free(out);
        free(clip);
    }
}
END_TEST

/* Whole clips of the kinds the other suites make (variable frame rate, a
 * transport stream that starts at 10 s, a rotated MOV, Matroska, B-frames,
 * sound longer or shorter than the video): strict burns find no damage. */
START_TEST(varied_whole_clips)
{
    static const struct {
        const char *name;
        int vfr, xform, bframes, audio;
        double ts_offset;
    } kinds[] = {
        {"vfr.mp4", 1, TU_XF_NONE, 0, 1, 0},
        {"late.ts", 0, TU_XF_NONE, -1, 1, 10},
        {"rot.mov", 0, TU_XF_ROT90, -1, 1, 0},
        {"b.mkv", 0, TU_XF_NONE, 3, 1, 0},
        {"silent.mp4", 0, TU_XF_NONE, -1, 0, 0},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        tu_clip_opts o;
        tu_clip_defaults(&o);
        o.frames = 45;
        o.vfr = kinds[k].vfr;
        o.xform = kinds[k].xform;
        o.bframes = kinds[k].bframes;
        o.ts_offset = kinds[k].ts_offset;
        if (!kinds[k].audio)
            o.audio = 0;
        char *clip = tu_path(dir, kinds[k].name);
        TU_OK(tu_make_clip(clip, &o));
        logged l = {{0}, 0};
        int n;
        int64_t from[8], to[8];
        int r = burn(clip, 1, &l, &n, from, to, NULL, NULL);
        ck_assert_msg(r == 0 && n == 0, "%s: %d, %d ranges, first %lld-%lld: %s",
                      kinds[k].name, r, n, n ? (long long)from[0] : 0LL,
                      n ? (long long)to[0] : 0LL, l.text);
        free(clip);
    }
    /* Sound 2 s longer than the video: the file's duration is the sound's,
     * and the video is whole. */
    static const char *const names[] = {"long.mp4", "long.ts"};
    for (int k = 0; k < 2; k++) {
        char *clip = tu_path(dir, names[k]);
        const char *argv[] = {"ffmpeg", "-v", "error", "-y",
                              "-f", "lavfi", "-i", "testsrc2=s=320x568:r=30:d=3",
                              "-f", "lavfi", "-i", "sine=f=440:d=5",
                              "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                              clip, NULL};
        TU_OK(tu_run(argv));
        logged l = {{0}, 0};
        int n;
        int64_t from[8], to[8];
        int r = burn(clip, 1, &l, &n, from, to, NULL, NULL);
        ck_assert_msg(r == 0 && n == 0, "%s: %d, %d ranges: %s", names[k], r, n, l.text);
        free(clip);
    }
}
END_TEST

static const char *zimu_bin(void)
{
    const char *b = getenv("ZIMU_BIN");
    return b && *b ? b : "build/zimu";
}

/* Run the CLI with stdout captured; returns its exit status. */
static int cli(const char *args, char *out, size_t size)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>/dev/null", zimu_bin(), args);
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(out, 1, size - 1, f);
    out[n] = 0;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(cli_json_and_strict)
{
    char *clip = make_clip("g.ts", 0);
    garble_middle(clip);
    char *srt = tu_write_text(dir, "s.srt", "1\n00:00:00,500 --> 00:00:05,000\nx\n");
    char *out = tu_path(dir, "o.mp4");
    char args[2048], buf[8192];
    snprintf(args, sizeof args, "burn '%s' -s '%s' -o '%s' -y -q --json --preset ultrafast",
             clip, srt, out);
    ck_assert_int_eq(cli(args, buf, sizeof buf), 0);
    json_object *j = json_tokener_parse(buf);
    ck_assert_msg(j != NULL, "not JSON: %s", buf);
    json_object *v, *d;
    ck_assert(json_object_object_get_ex(j, "ok", &v) && json_object_get_boolean(v));
    ck_assert_msg(json_object_object_get_ex(j, "damaged", &d) &&
                      json_object_is_type(d, json_type_array) &&
                      json_object_array_length(d) >= 1,
                  "no damaged list: %s", buf);
    json_object *e = json_object_array_get_idx(d, 0), *a, *b;
    ck_assert(json_object_object_get_ex(e, "from", &a) && json_object_object_get_ex(e, "to", &b));
    double fa = json_object_get_double(a), fb = json_object_get_double(b);
    ck_assert_msg(fa >= 1.5 && fa <= 4.5 && fb > fa && fb <= 5.5, "damaged %f-%f", fa, fb);
    json_object_put(j);

    snprintf(args, sizeof args, "burn '%s' -s '%s' -o '%s' -y -q --json --strict "
             "--preset ultrafast", clip, srt, out);
    ck_assert_int_eq(cli(args, buf, sizeof buf), 3);
    ck_assert_msg(strstr(buf, "\"ok\": false") && strstr(buf, "could not be decoded"),
                  "strict: %s", buf);
    free(clip);
    free(srt);
    free(out);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("damage");
    TCase *tc = tcase_create("damage");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, garbage_in_ts);
    tcase_add_test(tc, garbage_in_mp4);
    tcase_add_test(tc, cut_off_mp4);
    tcase_add_test(tc, clean_clip);
    tcase_add_test(tc, varied_whole_clips);
    tcase_add_test(tc, cli_json_and_strict);
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
