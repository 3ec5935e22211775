/* check_locale.c - numbers never follow the locale. A program that called
 * setlocale(LC_ALL, "de_DE.UTF-8") (decimal comma) gets from the library
 * exactly what a program in the C locale gets: the same cues from caption
 * files with fractional times, the same parsed times and sizes, the same
 * bytes of ASS/SRT/VTT written, a batch report whose JSON and CSV use "."
 * (and the same fingerprints), the same loudness measured, the same
 * messages, and the same burn of a fractionally trimmed clip. The tool, run
 * in that locale, writes its JSON with decimal points.
 *
 * Each test runs the operation in the C locale and then in de_DE.UTF-8 and
 * compares. The locale comes from `make deps` (tools/deps.sh); when it is
 * missing the tests say so and pass without checking. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "util_clip.h"
#include "zimu.h"

#define COMMA_LOCALE "de_DE.UTF-8"

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

/* Switch the whole process to the comma locale; 0 (after saying why) when
 * it is not installed. Checks that it really writes a decimal comma, so a
 * test that passes has been run where a locale-following number would
 * show. */
static int comma_locale(void)
{
    if (!setlocale(LC_ALL, COMMA_LOCALE)) {
        fprintf(stderr, "check_locale: SKIPPED: locale %s is not installed "
                        "(run `make deps`, which generates it)\n", COMMA_LOCALE);
        return 0;
    }
    char b[16];
    snprintf(b, sizeof b, "%.1f", 1.5);
    ck_assert_str_eq(b, "1,5");
    return 1;
}

static void c_locale(void)
{
    ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
}

static char *slurp(const char *path)
{
    uint8_t *d;
    size_t n;
    ck_assert_msg(tu_read_file(path, &d, &n) == 0, "%s", tu_err());
    char *s = realloc(d, n + 1);
    ck_assert_ptr_nonnull(s);
    s[n] = 0;
    return s;
}

/* ---- parsing ------------------------------------------------------------ */

START_TEST(test_parse)
{
    if (!comma_locale())
        return;
    int64_t ms;
    ck_assert_int_eq(zimu_parse_time("1.5", &ms), 0);
    ck_assert_int_eq(ms, 1500);
    ck_assert_int_eq(zimu_parse_time("00:01:02.250", &ms), 0);
    ck_assert_int_eq(ms, 62250);
    ck_assert_int_eq(zimu_parse_offset("-0.75", &ms), 0);
    ck_assert_int_eq(ms, -750);
    double r;
    ck_assert_int_eq(zimu_parse_ratio("1.5", &r), 0);
    ck_assert(r == 1.5);
    ck_assert_int_eq(zimu_parse_ratio("23.976/25", &r), 0);
    ck_assert(fabs(r - 23.976 / 25) < 1e-12);
    int w, h;
    ck_assert_int_eq(zimu_parse_size("1080x1920", &w, &h), 0);
    ck_assert(w == 1080 && h == 1920);
    int64_t bytes;
    ck_assert_int_eq(zimu_parse_bytes("64M", &bytes), 0);
    ck_assert_int_eq(bytes, 64 << 20);
}
END_TEST

/* ---- caption files in and out ------------------------------------------- */

static const char SRT[] =
    "1\n00:00:00,500 --> 00:00:01,750\nErste Zeile 第一句\n\n"
    "2\n00:00:02.125 --> 00:00:03.5\nZweite {\\pos(10.5,20.25)}Zeile\n\n";
static const char VTT[] =
    "WEBVTT\n\n00:00.500 --> 00:01.750 position:12.5% line:80.5% size:50.5%\n"
    "Erste Zeile\n\n00:00:02.125 --> 00:00:03.500\nZweite Zeile\n";
static const char ASS[] =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n"
    "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
    "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
    "Encoding\n"
    "Style: Default,Noto Sans CJK SC,36.5,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,"
    "0,0,100.5,99.5,0.5,0.25,1,2.5,1.5,2,10,10,20,1\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
    "Text\n"
    "Dialogue: 0,0:00:00.50,0:00:01.75,Default,,0,0,0,,{\\fscx120.5\\pos(320.5,300.25)}"
    "Erste Zeile\n"
    "Dialogue: 0,0:00:02.12,0:00:03.50,Default,,0,0,0,,{\\t(0,500,0.5,\\frz12.5)}"
    "Zweite Zeile\n";

typedef struct cues {
    int n;
    int64_t st[8], en[8];
    char text[8][128];
} cues;

static void load(const char *name, const char *data, cues *out)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    int r = zimu_subs_load_data(s, data, strlen(data), name);
    ck_assert_msg(r == 0, "%s: %d %s", name, r, zimu_subs_errmsg(s));
    memset(out, 0, sizeof *out);
    out->n = zimu_subs_count(s);
    ck_assert_int_le(out->n, 8);
    for (int i = 0; i < out->n; i++) {
        const char *t;
        ck_assert_int_eq(zimu_subs_cue(s, i, &out->st[i], &out->en[i], &t), 0);
        snprintf(out->text[i], sizeof out->text[i], "%s", t);
    }
    zimu_subs_free(&s);
}

/* Each format, loaded in C and in the comma locale: the same cues, with
 * the fractional times read as written. */
START_TEST(test_load)
{
    static const struct { const char *name, *data; } in[] = {
        {"a.srt", SRT}, {"a.vtt", VTT}, {"a.ass", ASS}};
    static const int64_t st[2] = {500, 2125}, en[2] = {1750, 3500};
    for (int f = 0; f < 3; f++) {
        cues c, d;
        c_locale();
        load(in[f].name, in[f].data, &c);
        if (!comma_locale())
            return;
        load(in[f].name, in[f].data, &d);
        ck_assert_int_eq(c.n, 2);
        ck_assert_int_eq(d.n, 2);
        for (int i = 0; i < 2; i++) {
            int64_t want = f == 2 && i == 1 ? 2120 : st[i]; /* ASS: 10 ms steps */
            ck_assert_msg(d.st[i] == want && d.en[i] == en[i],
                          "%s cue %d: %lld-%lld ms", in[f].name, i, (long long)d.st[i],
                          (long long)d.en[i]);
            ck_assert_int_eq(c.st[i], d.st[i]);
            ck_assert_int_eq(c.en[i], d.en[i]);
            ck_assert_str_eq(c.text[i], d.text[i]);
        }
    }
}
END_TEST

/* Save the cues of data as each format (plain zimu_subs_save and the
 * burn's layout zimu_job_save_captions): byte for byte what C writes, and
 * the burn's ASS script has decimals with a point. */
static void save_all(const char *tag, const char *srcname, const char *data, char *out[6])
{
    static const char *const ext[3] = {"ass", "srt", "vtt"};
    for (int k = 0; k < 3; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s-subs.%s", tag, ext[k]);
        char *p = tu_path(dir, name);
        zimu_subs *s = zimu_subs_new();
        ck_assert_int_eq(zimu_subs_load_data(s, data, strlen(data), srcname), 0);
        int r = zimu_subs_save(s, p, 1);
        ck_assert_msg(r == 0, "%s: %s", name, zimu_subs_errmsg(s));
        zimu_subs_free(&s);
        out[k] = slurp(p);
        free(p);

        snprintf(name, sizeof name, "%s-job.%s", tag, ext[k]);
        p = tu_path(dir, name);
        zimu_job *job = zimu_job_new();
        ck_assert_int_eq(zimu_job_set_subtitles_data(job, data, strlen(data), srcname), 0);
        ck_assert_int_eq(zimu_job_set_size(job, 1080, 1920), 0);
        ck_assert_int_eq(zimu_job_set_style(job, "bubble"), 0);
        ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
        r = zimu_job_save_captions(job, p);
        ck_assert_msg(r == 0, "%s: %s", name, zimu_job_errmsg(job));
        zimu_job_free(&job);
        out[3 + k] = slurp(p);
        free(p);
    }
}

START_TEST(test_save)
{
    static const struct { const char *name, *data; } in[] = {
        {"a.srt", SRT}, {"a.vtt", VTT}, {"a.ass", ASS}};
    for (int f = 0; f < 3; f++) {
        char *c[6], *d[6];
        c_locale();
        save_all("c", in[f].name, in[f].data, c);
        if (!comma_locale())
            return;
        save_all("de", in[f].name, in[f].data, d);
        for (int k = 0; k < 6; k++) {
            ck_assert_msg(!strcmp(c[k], d[k]), "%s, output %d: in C:\n%s\nin %s:\n%s",
                          in[f].name, k, c[k], COMMA_LOCALE, d[k]);
            free(c[k]);
            free(d[k]);
        }
    }
}
END_TEST

/* The burn's script has numbers with decimals (the bubble's drawing, the
 * style's outline): look for them written with a point. */
START_TEST(test_ass_points)
{
    if (!comma_locale())
        return;
    char *p = tu_path(dir, "b.ass");
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_subtitles_data(job, SRT, strlen(SRT), "a.srt"), 0);
    ck_assert_int_eq(zimu_job_set_size(job, 1080, 1920), 0);
    ck_assert_int_eq(zimu_job_set_style(job, "bubble"), 0);
    ck_assert_int_eq(zimu_job_save_captions(job, p), 0);
    zimu_job_free(&job);
    char *s = slurp(p);
    const char *style = strstr(s, "\nStyle: Caption,");
    ck_assert_msg(style != NULL, "%s", s);
    /* Style: Name,Font,Size,4 colours,Bold,Italic,U,S,ScaleX,ScaleY,Spacing,
     * Angle,BorderStyle,Outline,Shadow,Alignment,L,R,V,Encoding: 23 fields,
     * the size a decimal ("126.72") */
    char size[32];
    int fields = 1;
    const char *q = style + 1, *f3 = NULL;
    for (; *q && *q != '\n'; q++)
        if (*q == ',' && ++fields == 3)
            f3 = q + 1;
    ck_assert_msg(fields == 23 && f3, "%d fields in %.200s", fields, style + 1);
    ck_assert_int_eq(sscanf(f3, "%31[0-9.]", size), 1);
    ck_assert_msg(strchr(size, '.') != NULL, "font size %s in %.200s", size, style + 1);
    free(s);
    free(p);
}
END_TEST

/* ---- messages ----------------------------------------------------------- */

START_TEST(test_messages)
{
    if (!comma_locale())
        return;
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_time_scale(job, -0.5), ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "-0.5") != NULL, "%s", zimu_job_errmsg(job));
    ck_assert_int_eq(zimu_job_set_loudness_target(job, -2.5, -1), ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "-2.5") != NULL, "%s", zimu_job_errmsg(job));
    zimu_job_free(&job);
}
END_TEST

/* ---- batch report ------------------------------------------------------- */

static int fast(void *opaque, zimu_job *job, int clip)
{
    (void)opaque;
    (void)clip;
    return zimu_job_set_preset(job, "ultrafast");
}

typedef struct report {
    char *json, *csv, *page;
    char fp[2][128];
    double duration[2];
} report;

static void run_batch(const char *tag, const char *in, report *rep)
{
    char name[32];
    snprintf(name, sizeof name, "out-%s", tag);
    char *out = tu_path(dir, name);
    zimu_batch *b = zimu_batch_new();
    ck_assert_int_eq(zimu_batch_set_input_dir(b, in), 0);
    ck_assert_int_eq(zimu_batch_set_output_dir(b, out), 0);
    ck_assert_int_eq(zimu_batch_set_setup(b, fast, NULL), 0);
    int r = zimu_batch_run(b);
    ck_assert_msg(r == 0, "batch: %d %s", r, zimu_errmsg(b));
    ck_assert_int_eq(zimu_batch_count(b), 2);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(zimu_batch_clip_status(b, i), ZIMU_BATCH_DONE);
        snprintf(rep->fp[i], sizeof rep->fp[i], "%s", zimu_batch_clip_fingerprint(b, i));
    }
    zimu_batch_free(&b);
    char *p = tu_path(out, "zimu-report.json");
    rep->json = slurp(p);
    free(p);
    p = tu_path(out, "zimu-report.csv");
    rep->csv = slurp(p);
    free(p);
    p = tu_path(out, "index.html");
    rep->page = tu_exists(p) ? slurp(p) : NULL;
    free(p);
    /* json-c reads numbers in the C form whatever the locale */
    json_object *root = json_tokener_parse(rep->json);
    ck_assert_msg(root != NULL, "%s: the report is not JSON:\n%s", tag, rep->json);
    json_object *clips = json_object_object_get(root, "clips");
    ck_assert_int_eq(json_object_array_length(clips), 2);
    for (int i = 0; i < 2; i++) {
        json_object *c = json_object_array_get_idx(clips, i);
        json_object *d = json_object_object_get(c, "duration");
        ck_assert_msg(json_object_is_type(d, json_type_double), "%s", rep->json);
        rep->duration[i] = json_object_get_double(d);
    }
    json_object_put(root);
    free(out);
}

START_TEST(test_batch)
{
    char *in = tu_path(dir, "in");
    ck_assert_int_eq(mkdir(in, 0755), 0);
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 160;
    o.height = 284;
    o.frames = 45; /* 1.5 s */
    o.audio = TU_AUDIO_NONE;
    static const int64_t st[1] = {250}, en[1] = {1250};
    static const char *const tx[1] = {"第一句"};
    for (int i = 0; i < 2; i++) {
        char name[16];
        snprintf(name, sizeof name, "clip%d.mp4", i);
        char *p = tu_path(in, name);
        TU_OK(tu_make_clip(p, &o));
        free(p);
        snprintf(name, sizeof name, "clip%d.srt", i);
        free(tu_write_srt(in, name, 1, st, en, tx));
    }
    report c, d;
    c_locale();
    run_batch("c", in, &c);
    if (!comma_locale())
        return;
    run_batch("de", in, &d);
    for (int i = 0; i < 2; i++) {
        ck_assert_msg(d.duration[i] == 1.5, "duration %g", d.duration[i]);
        ck_assert_str_eq(c.fp[i], d.fp[i]);
    }
    ck_assert_msg(strstr(d.json, "\"duration\": 1.500,") != NULL, "%s", d.json);
    ck_assert_msg(strstr(d.csv, "\"1.500\"") != NULL, "%s", d.csv);
    ck_assert_msg(!c.page == !d.page, "page written in one locale only");
    if (d.page)
        ck_assert_msg(strstr(d.page, "1.5 s") != NULL, "%s", d.page);
    free(c.json), free(c.csv), free(c.page);
    free(d.json), free(d.csv), free(d.page);
    free(in);
}
END_TEST

/* ---- burning ------------------------------------------------------------ */

typedef struct logged {
    char lufs[160];
} logged;

static void on_log(void *opaque, int level, const char *msg)
{
    logged *l = opaque;
    (void)level;
    if (!strncmp(msg, "loudness:", 9))
        snprintf(l->lufs, sizeof l->lufs, "%s", msg);
}

/* A burn with a fractional trim, the bubble style (its drawing has
 * fractional coordinates), and loudness normalisation (FFmpeg's meter
 * reports the loudness as text), encoded at CRF 23: the same file as in C,
 * byte for byte, and the same loudness measured. */
static char *burn(const char *tag, const char *clip, const char *srt, logged *lg, tu_video *v)
{
    char name[32];
    snprintf(name, sizeof name, "%s.mp4", tag);
    char *out = tu_path(dir, name);
    zimu_job *job = tu_job(clip, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    int64_t from, to;
    ck_assert_int_eq(zimu_parse_time("0.5", &from), 0);
    ck_assert_int_eq(zimu_parse_time("1.75", &to), 0);
    ck_assert_int_eq(zimu_job_set_trim(job, from, to), 0);
    /* not lossless: x264 then writes its rate-control settings, with
     * decimals, into the stream */
    ck_assert_int_eq(zimu_job_set_crf(job, 23), 0);
    ck_assert_int_eq(zimu_job_set_style(job, "bubble"), 0);
    ck_assert_int_eq(zimu_job_set_loudnorm(job, 1), 0);
    ck_assert_int_eq(zimu_job_set_log(job, on_log, lg, ZIMU_LOG_INFO), 0);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    TU_OK(tu_read_video(out, v, 1));
    return out;
}

START_TEST(test_burn)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 75; /* 2.5 s */
    o.audio = TU_AUDIO_AAC;
    char *clip = tu_path(dir, "clip.mp4");
    TU_OK(tu_make_clip(clip, &o));
    static const int64_t st[2] = {250, 1000}, en[2] = {1000, 2000};
    static const char *const tx[2] = {"第一句字幕", "第二句"};
    char *srt = tu_write_srt(dir, "clip.srt", 2, st, en, tx);
    ck_assert_ptr_nonnull(srt);

    logged lc = {{0}}, ld = {{0}};
    tu_video vc, vd;
    c_locale();
    char *oc = burn("c", clip, srt, &lc, &vc);
    if (!comma_locale())
        return;
    char *od = burn("de", clip, srt, &ld, &vd);
    /* frames 15..52 of 75 at 30 fps lie in [0.5, 1.75) */
    ck_assert_int_eq(vc.n, 38);
    ck_assert_int_eq(vd.n, vc.n);
    for (int i = 0; i < vd.n; i++) {
        tu_box box;
        long px = tu_frame_diff(&vc, i, &vd, i, 0, &box);
        ck_assert_msg(px == 0, "frame %d: %ld pixels differ from C's", i, px);
    }
    ck_assert_msg(lc.lufs[0], "no loudness line logged");
    ck_assert_msg(!strcmp(lc.lufs, ld.lufs), "in C: %s; in %s: %s", lc.lufs, COMMA_LOCALE,
                  ld.lufs);
    uint8_t *bc, *bd;
    size_t nc, nd;
    TU_OK(tu_read_file(oc, &bc, &nc));
    TU_OK(tu_read_file(od, &bd, &nd));
    ck_assert_msg(nc == nd && !memcmp(bc, bd, nc), "the files differ (%zu and %zu bytes)", nc,
                  nd);
    free(bc);
    free(bd);
    tu_video_free(&vc);
    tu_video_free(&vd);
    free(oc);
    free(od);
    free(clip);
    free(srt);
}
END_TEST

/* ---- the tool ------------------------------------------------------------ */

/* Run the zimu program ($ZIMU_BIN or build/zimu) with LC_ALL set to the
 * comma locale and the arguments in args (a shell word list, quoted by the
 * caller); its standard output, malloc'd. */
static char *zimu_out(const char *args)
{
    const char *bin = getenv("ZIMU_BIN") ? getenv("ZIMU_BIN") : "build/zimu";
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "LC_ALL=%s LANGUAGE= '%s' %s 2>/dev/null", COMMA_LOCALE, bin,
             args);
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = 0, cap = 4096;
    char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    size_t k;
    while ((k = fread(out + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n < 2) {
            out = realloc(out, cap *= 2);
            ck_assert_ptr_nonnull(out);
        }
    }
    out[n] = 0;
    int st = pclose(f);
    ck_assert_msg(st == 0, "%s: status %d, output:\n%s", cmd, st, out);
    return out;
}

/* A number member of a JSON object, read by json-c (which reads the C form
 * whatever the locale): the object must parse. */
static double json_number(const char *json, const char *key)
{
    json_object *root = json_tokener_parse(json);
    ck_assert_msg(root != NULL, "not JSON:\n%s", json);
    json_object *v = json_object_object_get(root, key);
    ck_assert_msg(v && (json_object_is_type(v, json_type_double) ||
                        json_object_is_type(v, json_type_int)),
                  "no number '%s' in\n%s", key, json);
    double d = json_object_get_double(v);
    json_object_put(root);
    return d;
}

/* The tool run in the comma locale (as a user's shell would have it) writes
 * its JSON with decimal points: burn --json and beats --json. */
START_TEST(test_cli_json)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 160;
    o.height = 284;
    o.frames = 45;
    char *clip = tu_path(dir, "clip.mp4");
    TU_OK(tu_make_clip(clip, &o));
    static const int64_t st[1] = {250}, en[1] = {1250};
    static const char *const tx[1] = {"第一句"};
    char *srt = tu_write_srt(dir, "clip.srt", 1, st, en, tx);
    char *out = tu_path(dir, "out.mp4");
    if (!comma_locale())
        return;
    char args[3000];
    snprintf(args, sizeof args, "burn '%s' -s '%s' -o '%s' --preset ultrafast --from 0.5 -q --json",
             clip, srt, out);
    char *j = zimu_out(args);
    ck_assert_msg(json_number(j, "duration") == 1.0, "%s", j);
    ck_assert_msg(strstr(j, "\"duration\": 1.000") != NULL, "%s", j);
    free(j);
    snprintf(args, sizeof args, "beats '%s' --json", clip);
    j = zimu_out(args);
    ck_assert_msg(json_number(j, "confidence") >= 0, "%s", j);
    ck_assert_msg(strstr(j, "\"bpm\": ") != NULL && !strstr(j, ",0"), "%s", j);
    free(j);
    free(clip);
    free(srt);
    free(out);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("locale");
    TCase *tc = tcase_create("text");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_parse);
    tcase_add_test(tc, test_load);
    tcase_add_test(tc, test_save);
    tcase_add_test(tc, test_ass_points);
    tcase_add_test(tc, test_messages);
    suite_add_tcase(s, tc);
    tc = tcase_create("media");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_batch);
    tcase_add_test(tc, test_burn);
    tcase_add_test(tc, test_cli_json);
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
