/* check_beats.c - beat tracking (zimu_beats) through the public API, and
 * `zimu beats`: music generated here (click tracks, kick and off-beat hat,
 * a fuller pattern with bass, chords, snare on 2 and 4 and swing, a tempo
 * change), written as 16-bit WAV at 44.1 kHz; the tempo must be within
 * 1 BPM and every beat within 20 ms of the truth (the first and last beat
 * of a file may be missing); silence and noise give no beats. */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_clip.h"
#include "zimu.h"

#define RATE 44100

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

typedef struct {
    float *s;
    int n;
    double truth[1024]; /* beat times */
    int nt;
    double bars[256];   /* bar starts, when the pattern marks them */
    int nbars;
} song;

static void song_init(song *g, double seconds)
{
    g->n = (int)(seconds * RATE);
    g->s = calloc((size_t)g->n, sizeof *g->s);
    ck_assert_ptr_nonnull(g->s);
    g->nt = g->nbars = 0;
}

static uint32_t rng = 12345;
static double noise(void)
{
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) / (double)(1 << 24) * 2 - 1;
}

/* A short 1.5 kHz click (accent: 2.5 kHz and an 80 Hz thump under it). */
static void click(song *g, double t, int accent)
{
    int s0 = (int)lround(t * RATE);
    for (int i = 0; i < RATE / 20 && s0 + i < g->n; i++) {
        double x = (double)i / RATE;
        double v = 0.5 * sin(2 * M_PI * (accent ? 2500 : 1500) * x) * exp(-x / 0.008);
        if (accent)
            v += 0.6 * sin(2 * M_PI * 80 * x) * exp(-x / 0.03);
        g->s[s0 + i] += (float)v;
    }
}

static void kick(song *g, double t, double amp)
{
    int s0 = (int)lround(t * RATE);
    double ph = 0;
    for (int i = 0; i < RATE / 4 && s0 + i < g->n; i++) {
        double x = (double)i / RATE;
        ph += 2 * M_PI * (50 + 100 * exp(-x / 0.03)) / RATE;
        g->s[s0 + i] += (float)(amp * sin(ph) * exp(-x / 0.12));
    }
}

static void hat(song *g, double t, double amp)
{
    int s0 = (int)lround(t * RATE);
    double prev = 0;
    for (int i = 0; i < RATE / 20 && s0 + i < g->n; i++) {
        double x = (double)i / RATE, w = noise();
        g->s[s0 + i] += (float)(amp * (w - prev) * 0.5 * exp(-x / 0.015));
        prev = w;
    }
}

static void snare(song *g, double t)
{
    int s0 = (int)lround(t * RATE);
    for (int i = 0; i < RATE / 5 && s0 + i < g->n; i++) {
        double x = (double)i / RATE;
        g->s[s0 + i] += (float)((0.3 * noise() + 0.3 * sin(2 * M_PI * 190 * x)) *
                                exp(-x / 0.06));
    }
}

/* A held note (soft 10 ms attack) of frequency f from t for d seconds. */
static void note(song *g, double t, double d, double f, double amp)
{
    int s0 = (int)lround(t * RATE), n = (int)(d * RATE);
    for (int i = 0; i < n && s0 + i < g->n; i++) {
        double x = (double)i / RATE;
        double env = fmin(1, x / 0.01) * fmin(1, (d - x) / 0.02);
        g->s[s0 + i] += (float)(amp * env * sin(2 * M_PI * f * x));
    }
}

static void clicks(song *g, double bpm, double start, double end, int accent_bars)
{
    double p = 60 / bpm;
    for (int k = 0; start + k * p < end - 0.05; k++) {
        double t = start + k * p;
        click(g, t, accent_bars && k % 4 == 0);
        g->truth[g->nt++] = t;
        if (accent_bars && k % 4 == 0)
            g->bars[g->nbars++] = t;
    }
}

static void kick_hat(song *g, double bpm, double start)
{
    double p = 60 / bpm;
    for (int k = 0; start + k * p < g->n / (double)RATE - 0.05; k++) {
        double t = start + k * p;
        kick(g, t, 0.7);
        hat(g, t + p / 2, 0.6);
        g->truth[g->nt++] = t;
    }
}

/* Kick on 1 and 3, snare on 2 and 4, swung eighth hats, a bass note on
 * every beat, a chord held over each bar. */
static void fuller(song *g, double bpm, double start)
{
    static const double roots[4] = {55, 43.65, 49, 41.2};
    double p = 60 / bpm;
    for (int k = 0; start + k * p < g->n / (double)RATE - 0.05; k++) {
        double t = start + k * p;
        int beat = k % 4, bar = k / 4;
        if (beat == 0 || beat == 2)
            kick(g, t, 0.6);
        else
            snare(g, t);
        hat(g, t, 0.25);
        hat(g, t + p * 0.58, 0.2);
        note(g, t, p * 0.9, roots[bar % 4] * (beat == 3 ? 1.5 : 1), 0.25);
        if (beat == 0)
            for (int j = 0; j < 3; j++)
                note(g, t, 4 * p * 0.95, roots[bar % 4] * 4 * pow(2, (j * 3.5 + 0.5) / 12),
                     0.06);
        g->truth[g->nt++] = t;
    }
}

static void put16(FILE *f, unsigned v) { fputc(v & 255, f); fputc(v >> 8 & 255, f); }
static void put32(FILE *f, unsigned v) { put16(f, v & 0xffff); put16(f, v >> 16); }

static char *write_wav(const song *g, const char *name)
{
    char *path = tu_path(dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite("RIFF", 1, 4, f);
    put32(f, 36 + 2 * (unsigned)g->n);
    fwrite("WAVEfmt ", 1, 8, f);
    put32(f, 16);
    put16(f, 1);
    put16(f, 1);
    put32(f, RATE);
    put32(f, RATE * 2);
    put16(f, 2);
    put16(f, 16);
    fwrite("data", 1, 4, f);
    put32(f, 2 * (unsigned)g->n);
    for (int i = 0; i < g->n; i++) {
        double v = g->s[i] * 0.8;
        v = v > 1 ? 1 : v < -1 ? -1 : v;
        put16(f, (unsigned)(int16_t)lround(v * 32767));
    }
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static zimu_beats *analyze(const song *g, double bpm_given)
{
    char *path = write_wav(g, "song.wav");
    zimu_beats *b = zimu_beats_new();
    ck_assert_ptr_nonnull(b);
    if (bpm_given > 0)
        ck_assert_int_eq(zimu_beats_set_bpm(b, bpm_given), 0);
    int r = zimu_beats_analyze(b, path);
    ck_assert_msg(r == 0, "%d %s", r, zimu_errmsg(b));
    free(path);
    return b;
}

static double nearest(const double *t, int n, double x)
{
    double best = 1e9;
    for (int i = 0; i < n; i++)
        if (fabs(t[i] - x) < fabs(best))
            best = t[i] - x;
    return best;
}

/* Every found beat within tol of a true one; every true beat from
 * truth[from] on (but the last) found within tol. */
static void beats_match(const zimu_beats *b, const song *g, int from, double tol,
                        const char *what)
{
    int n = zimu_beats_count(b);
    ck_assert_msg(n > 0, "%s: no beats", what);
    double *t = malloc(sizeof *t * (size_t)n);
    for (int i = 0; i < n; i++) {
        t[i] = zimu_beats_time(b, i);
        if (i > 0)
            ck_assert_msg(t[i] > t[i - 1], "%s: beats out of order", what);
        if (t[i] < g->truth[from] - tol)
            continue;
        double d = nearest(g->truth, g->nt, t[i]);
        ck_assert_msg(fabs(d) <= tol, "%s: beat %d at %.3f is %.0f ms from the nearest true one",
                      what, i, t[i], d * 1000);
    }
    for (int k = from > 0 ? from : 1; k < g->nt - 1; k++) {
        double d = nearest(t, n, g->truth[k]);
        ck_assert_msg(fabs(d) <= tol, "%s: true beat %d at %.3f: nearest found %.0f ms off",
                      what, k, g->truth[k], d * 1000);
    }
    free(t);
}

static void tempo_ok(const zimu_beats *b, double bpm, const char *what)
{
    ck_assert_msg(fabs(zimu_beats_bpm(b) - bpm) <= 1, "%s: tempo %.1f, want %.1f", what,
                  zimu_beats_bpm(b), bpm);
    double c = zimu_beats_confidence(b);
    ck_assert_msg(c > 0.25 && c <= 1, "%s: confidence %.2f", what, c);
}

/* 172: as far above 120 as 84 is below it; every click (kick) the same
 * must still read as the fast tempo, not half of it. */
static const double tempos[6] = {60, 90, 120, 128, 150, 172};

START_TEST(test_clicks)
{
    double bpm = tempos[_i];
    song g;
    song_init(&g, 20);
    clicks(&g, bpm, 0.37, 20, 0);
    zimu_beats *b = analyze(&g, 0);
    char what[64];
    snprintf(what, sizeof what, "clicks at %g BPM", bpm);
    tempo_ok(b, bpm, what);
    beats_match(b, &g, 0, 0.020, what);
    /* Even clicks show no bars. */
    ck_assert_int_eq(zimu_beats_downbeat_count(b), 0);
    zimu_beats_free(&b);
    ck_assert_ptr_null(b);
    free(g.s);
}
END_TEST

START_TEST(test_kick_hat)
{
    double bpm = tempos[_i];
    song g;
    song_init(&g, 20);
    kick_hat(&g, bpm, 0.52);
    zimu_beats *b = analyze(&g, 0);
    char what[64];
    snprintf(what, sizeof what, "kick and hat at %g BPM", bpm);
    tempo_ok(b, bpm, what);
    beats_match(b, &g, 0, 0.020, what);
    zimu_beats_free(&b);
    free(g.s);
}
END_TEST

START_TEST(test_fuller)
{
    static const double fb[3] = {96, 124, 140};
    double bpm = fb[_i];
    song g;
    song_init(&g, 24);
    fuller(&g, bpm, 0.61);
    zimu_beats *b = analyze(&g, 0);
    char what[64];
    snprintf(what, sizeof what, "full pattern at %g BPM", bpm);
    tempo_ok(b, bpm, what);
    beats_match(b, &g, 0, 0.020, what);
    zimu_beats_free(&b);
    free(g.s);
}
END_TEST

START_TEST(test_downbeats)
{
    song g;
    song_init(&g, 20);
    clicks(&g, 110, 0.45, 20, 1);
    zimu_beats *b = analyze(&g, 0);
    tempo_ok(b, 110, "accented clicks");
    int nd = zimu_beats_downbeat_count(b);
    ck_assert_msg(nd >= g.nbars - 2, "%d downbeats, %d bars", nd, g.nbars);
    for (int i = 0; i < nd; i++) {
        double d = nearest(g.bars, g.nbars, zimu_beats_downbeat_time(b, i));
        ck_assert_msg(fabs(d) <= 0.020, "downbeat %d %.0f ms from a bar start", i, d * 1000);
    }
    ck_assert_double_eq(zimu_beats_downbeat_time(b, nd), -1);
    zimu_beats_free(&b);
    free(g.s);
}
END_TEST

START_TEST(test_tempo_change)
{
    song g;
    song_init(&g, 30);
    clicks(&g, 100, 0.4, 15, 0);
    int change = g.nt;
    double t0 = g.truth[change - 1] + 60 / 130.0;
    clicks(&g, 130, t0, 30, 0);
    zimu_beats *b = analyze(&g, 0);
    ck_assert_msg(zimu_beats_count(b) > 0, "no beats");
    /* From the third beat after the change on. */
    beats_match(b, &g, change + 2, 0.030, "100 -> 130 BPM");
    /* And before the change, from the second beat to the last but one. */
    for (int k = 1; k < change - 1; k++) {
        double best = 1e9;
        for (int i = 0; i < zimu_beats_count(b); i++)
            if (fabs(zimu_beats_time(b, i) - g.truth[k]) < fabs(best))
                best = zimu_beats_time(b, i) - g.truth[k];
        ck_assert_msg(fabs(best) <= 0.030, "100 BPM beat %d at %.3f: nearest %.0f ms off", k,
                      g.truth[k], best * 1000);
    }
    zimu_beats_free(&b);
    free(g.s);
}
END_TEST

START_TEST(test_given_bpm)
{
    song g;
    song_init(&g, 20);
    kick_hat(&g, 90, 0.3);
    zimu_beats *b = analyze(&g, 90);
    tempo_ok(b, 90, "given 90 BPM");
    beats_match(b, &g, 0, 0.020, "given 90 BPM");
    zimu_beats_free(&b);
    free(g.s);
}
END_TEST

START_TEST(test_first_beat)
{
    song g;
    song_init(&g, 16);
    kick_hat(&g, 120, 0.52);
    char *path = write_wav(&g, "first.wav");
    zimu_beats *b = zimu_beats_new();
    ck_assert_int_eq(zimu_beats_set_first_beat(b, g.truth[6]), 0);
    ck_assert_int_eq(zimu_beats_analyze(b, path), 0);
    ck_assert_int_gt(zimu_beats_count(b), 0);
    ck_assert_msg(fabs(zimu_beats_time(b, 0) - g.truth[6]) <= 0.020, "first beat %.3f, want %.3f",
                  zimu_beats_time(b, 0), g.truth[6]);
    beats_match(b, &g, 6, 0.020, "first beat given");
    zimu_beats_free(&b);
    free(path);
    free(g.s);
}
END_TEST

static void no_beats(song *g, const char *what)
{
    zimu_beats *b = analyze(g, 0);
    ck_assert_msg(zimu_beats_count(b) == 0, "%s: %d beats at %.1f BPM (confidence %.2f)", what,
                  zimu_beats_count(b), zimu_beats_bpm(b), zimu_beats_confidence(b));
    ck_assert_double_eq(zimu_beats_bpm(b), 0);
    ck_assert_int_eq(zimu_beats_downbeat_count(b), 0);
    ck_assert_double_eq(zimu_beats_time(b, 0), -1);
    zimu_beats_free(&b);
}

START_TEST(test_silence_noise)
{
    song g;
    song_init(&g, 15);
    no_beats(&g, "silence");
    for (int i = 0; i < g.n; i++)
        g.s[i] = (float)(0.3 * noise());
    no_beats(&g, "white noise");
    /* Pink-ish: a sum of octave-spaced random walks (Voss). */
    double rows[8] = {0};
    for (int i = 0; i < g.n; i++) {
        double s = 0;
        for (int k = 0; k < 8; k++) {
            if (i % (1 << k) == 0)
                rows[k] = noise();
            s += rows[k];
        }
        g.s[i] = (float)(0.08 * s);
    }
    no_beats(&g, "pink noise");
    /* Steady tones: one sine, then a held chord. */
    for (int i = 0; i < g.n; i++)
        g.s[i] = (float)(0.9 * sin(2 * M_PI * 440 * i / RATE));
    no_beats(&g, "a 440 Hz sine");
    for (int i = 0; i < g.n; i++)
        g.s[i] = (float)(0.3 * sin(2 * M_PI * 200 * i / RATE) + 0.3 * sin(2 * M_PI * 333 * i / RATE) +
                         0.2 * sin(2 * M_PI * 1234 * i / RATE));
    no_beats(&g, "a held chord");
    free(g.s);
}
END_TEST

START_TEST(test_video_and_errors)
{
    song g;
    song_init(&g, 12);
    clicks(&g, 120, 0.5, 12, 0);
    char *wav = write_wav(&g, "clicks.wav");
    char *mp4 = tu_path(dir, "clip.mp4");
    const char *argv[] = {"ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi",
                          "-i", "color=c=blue:s=160x284:r=25:d=12", "-i", wav, "-c:v",
                          "mpeg4", "-c:a", "aac", "-b:a", "128k", "-shortest", mp4, NULL};
    ck_assert_msg(tu_run(argv) == 0, "%s", tu_err());
    zimu_beats *b = zimu_beats_new();
    ck_assert_int_eq(zimu_beats_analyze(b, mp4), 0);
    tempo_ok(b, 120, "video");
    beats_match(b, &g, 0, 0.030, "video (AAC)");

    /* A file without sound. */
    char *silent = tu_path(dir, "nosound.mp4");
    const char *argv2[] = {"ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi",
                           "-i", "color=c=red:s=160x284:r=25:d=2", "-c:v", "mpeg4", silent,
                           NULL};
    ck_assert_msg(tu_run(argv2) == 0, "%s", tu_err());
    ck_assert_int_eq(zimu_beats_analyze(b, silent), ZIMU_ENOVIDEO);
    ck_assert_msg(strstr(zimu_errmsg(b), silent) && strstr(zimu_errmsg(b), "no audio"), "%s",
                  zimu_errmsg(b));
    ck_assert_str_eq(zimu_errfile(b), silent);
    ck_assert_int_eq(zimu_beats_count(b), 0); /* earlier results forgotten */

    char *missing = tu_path(dir, "missing.wav");
    ck_assert_int_eq(zimu_beats_analyze(b, missing), ZIMU_ENOENT);
    ck_assert_msg(strstr(zimu_errmsg(b), missing), "%s", zimu_errmsg(b));
    ck_assert_str_eq(zimu_errfile(b), missing);

    char *text = tu_write_text(dir, "notes.txt", "not a sound\n");
    ck_assert_int_eq(zimu_beats_analyze(b, text), ZIMU_ENOTVIDEO);
    ck_assert_msg(strstr(zimu_errmsg(b), text), "%s", zimu_errmsg(b));

    /* Settings. */
    ck_assert_int_eq(zimu_beats_set_bpm_range(b, 100, 90), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm_range(b, 10, 90), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm(b, 500), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm_range(NULL, 60, 180), ZIMU_EBADHANDLE);
    zimu_beats_free(&b);
    free(wav);
    free(mp4);
    free(silent);
    free(missing);
    free(text);
    free(g.s);
}
END_TEST

START_TEST(test_bpm_range)
{
    /* 150 BPM clicks looked for in 60-100 BPM: the half tempo, 75. */
    song g;
    song_init(&g, 20);
    clicks(&g, 150, 0.3, 20, 0);
    char *path = write_wav(&g, "fast.wav");
    zimu_beats *b = zimu_beats_new();
    ck_assert_int_eq(zimu_beats_set_bpm_range(b, 60, 100), 0);
    ck_assert_int_eq(zimu_beats_analyze(b, path), 0);
    ck_assert_msg(fabs(zimu_beats_bpm(b) - 75) <= 1, "tempo %.1f", zimu_beats_bpm(b));
    zimu_beats_free(&b);
    free(path);
    free(g.s);
}
END_TEST

/* ---- the command ------------------------------------------------------- */

static char *run_out(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - 1 - n, p)) > 0)
        n += k;
    buf[n] = 0;
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

START_TEST(test_cli)
{
    const char *bin = getenv("ZIMU_BIN") ? getenv("ZIMU_BIN") : "build/zimu";
    song g;
    song_init(&g, 12);
    kick_hat(&g, 120, 0.5);
    char *wav = write_wav(&g, "kh.wav");
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd, "'%s' beats '%s' --json", bin, wav);
    char *out = run_out(cmd, &st);
    ck_assert_int_eq(st, 0);
    struct json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, out, (int)strlen(out));
    ck_assert_msg(o && json_object_is_type(o, json_type_object), "not JSON: %s", out);
    size_t used = (size_t)json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    ck_assert_msg(strspn(out + used, " \n") == strlen(out + used), "more than one object: %s",
                  out);
    json_object *v;
    ck_assert(json_object_object_get_ex(o, "bpm", &v));
    ck_assert(fabs(json_object_get_double(v) - 120) <= 1);
    ck_assert(json_object_object_get_ex(o, "confidence", &v));
    ck_assert(json_object_get_double(v) > 0.25);
    ck_assert(json_object_object_get_ex(o, "downbeats", &v));
    ck_assert(json_object_is_type(v, json_type_array));
    ck_assert(json_object_object_get_ex(o, "beats", &v));
    ck_assert(json_object_is_type(v, json_type_array));
    ck_assert_int_ge(json_object_array_length(v), g.nt - 2);
    double t1 = json_object_get_double(json_object_array_get_idx(v, 1));
    ck_assert_msg(fabs(nearest(g.truth, g.nt, t1)) <= 0.020, "beat 1 at %.3f", t1);
    json_object_put(o);
    ck_assert_msg(strstr(out, ".000") || strchr(out, '.'), "%s", out);
    free(out);

    /* Text. */
    snprintf(cmd, sizeof cmd, "'%s' beats '%s'", bin, wav);
    out = run_out(cmd, &st);
    ck_assert_int_eq(st, 0);
    ck_assert_msg(strstr(out, "Tempo: 120") || strstr(out, "Tempo: 119.") ||
                  strstr(out, "Tempo: 121"), "%s", out);
    ck_assert_msg(strstr(out, "Confidence: ") && strstr(out, "Beats: "), "%s", out);
    free(out);

    /* Silence: "beats": []. */
    song q;
    song_init(&q, 6);
    char *sil = write_wav(&q, "silence.wav");
    snprintf(cmd, sizeof cmd, "'%s' beats '%s' --json", bin, sil);
    out = run_out(cmd, &st);
    ck_assert_int_eq(st, 0);
    ck_assert_msg(strstr(out, "\"beats\": []") && strstr(out, "\"bpm\": 0.0"), "%s", out);
    free(out);

    /* Errors: exit codes as the other commands, the file named. */
    char err[4096];
    char *missing = tu_path(dir, "nope.wav");
    const char *a1[] = {"beats", missing, NULL};
    ck_assert_int_eq(tu_zimu(dir, a1, err, sizeof err), 2);
    ck_assert_msg(strstr(err, missing), "%s", err);
    const char *a2[] = {"beats", wav, "--bpm", "abc", NULL};
    ck_assert_int_eq(tu_zimu(dir, a2, err, sizeof err), 1);
    const char *a3[] = {"beats", NULL};
    ck_assert_int_eq(tu_zimu(dir, a3, err, sizeof err), 1);
    const char *a4[] = {"beats", wav, "--min-bpm", "100", "--max-bpm", "90", NULL};
    ck_assert_int_eq(tu_zimu(dir, a4, err, sizeof err), 1);
    free(missing);
    free(sil);
    free(q.s);
    free(wav);
    free(g.s);
}
END_TEST

static Suite *beats_suite(void)
{
    Suite *s = suite_create("beats");
    TCase *tc = tcase_create("beats");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_clicks, 0, 6);
    tcase_add_loop_test(tc, test_kick_hat, 0, 6);
    tcase_add_loop_test(tc, test_fuller, 0, 3);
    tcase_add_test(tc, test_downbeats);
    tcase_add_test(tc, test_tempo_change);
    tcase_add_test(tc, test_given_bpm);
    tcase_add_test(tc, test_first_beat);
    tcase_add_test(tc, test_silence_noise);
    tcase_add_test(tc, test_video_and_errors);
    tcase_add_test(tc, test_bpm_range);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(beats_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
