/* check_audio_mix.c - the audio mix (lib/media/audio_mix.c) and the job's
 * music and loudness settings (zimu burn --music, --loudnorm).
 *
 * Sound is generated here and written as 16-bit WAV at 44.1 kHz (or muxed
 * under a test clip by the ffmpeg program): a "speaker" (band-limited
 * noise 500-2500 Hz, amplitude-modulated at a syllable rate, in bursts),
 * "music" (a 100 Hz sine only the music has, a soft chord, hi-hat ticks).
 * The mix is written as float WAV and encoded to AAC by the ffmpeg program
 * (the encoder the job uses); outputs are measured by the ffmpeg program:
 * loudness with its ebur128 filter, levels of a frequency by Goertzel over
 * the decoded samples.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_mix.h"
#include "util_clip.h"
#include "zimu.h"

#define RATE 44100
#define ORATE 48000

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

/* ---- sound ------------------------------------------------------------- */

static uint32_t rng = 1;
static double noise(void)
{
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) / (double)(1 << 24) * 2 - 1;
}

typedef struct {
    double b0, b1, b2, a1, a2, z0, z1;
} flt;

static void flt_init(flt *q, double f, int hp)
{
    double w = 2 * M_PI * f / RATE, cw = cos(w), al = sin(w) / M_SQRT2, a0 = 1 + al;
    double k = hp ? (1 + cw) / 2 : (1 - cw) / 2;
    *q = (flt){k / a0, (hp ? -2 : 2) * k / a0, k / a0, -2 * cw / a0, (1 - al) / a0, 0, 0};
}

static double flt_run(flt *q, double x)
{
    double y = q->b0 * x + q->z0;
    q->z0 = q->b1 * x - q->a1 * y + q->z1;
    q->z1 = q->b2 * x - q->a2 * y;
    return y;
}

/* Speech-like bursts: from each start in on[], 1 s of noise in 500-2500 Hz
 * modulated at 4 Hz, peak amplitude amp. */
static void speech(float *s, int n, const double *on, int non, double amp)
{
    flt h1, h2, l1, l2;
    flt_init(&h1, 500, 1);
    flt_init(&h2, 500, 1);
    flt_init(&l1, 2500, 0);
    flt_init(&l2, 2500, 0);
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE;
        double v = flt_run(&l2, flt_run(&l1, flt_run(&h2, flt_run(&h1, noise()))));
        double env = 0;
        for (int k = 0; k < non; k++)
            if (t >= on[k] && t < on[k] + 1)
                env = 0.5 * (1 - cos(2 * M_PI * 4 * (t - on[k])));
        s[i] += (float)(amp * 3 * v * env);
    }
}

/* Music: a 100 Hz sine (amplitude amp), a chord, hi-hat ticks. */
static void music(float *s, int n, double amp)
{
    const double chord[] = {262, 330, 392};
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE;
        double v = amp * sin(2 * M_PI * 100 * t);
        for (int k = 0; k < 3; k++)
            v += amp * 0.3 * sin(2 * M_PI * chord[k] * t);
        double ph = fmod(t, 0.25);
        if (ph < 0.03)
            v += amp * 0.3 * noise() * exp(-ph / 0.008);
        s[i] += (float)v;
    }
}

static void tone(float *s, int n, double f, double amp)
{
    for (int i = 0; i < n; i++)
        s[i] += (float)(amp * sin(2 * M_PI * f * i / RATE));
}

static void put16(FILE *f, unsigned v) { fputc(v & 255, f); fputc(v >> 8 & 255, f); }
static void put32(FILE *f, unsigned v) { put16(f, v & 0xffff); put16(f, v >> 16); }

/* Mono 16-bit WAV at RATE (clipped to full scale). */
static char *write_wav(const char *name, const float *s, int n)
{
    char *p = tu_path(dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite("RIFF", 1, 4, f);
    put32(f, 36 + 2 * (unsigned)n);
    fwrite("WAVEfmt ", 1, 8, f);
    put32(f, 16);
    put16(f, 1);
    put16(f, 1);
    put32(f, RATE);
    put32(f, RATE * 2);
    put16(f, 2);
    put16(f, 16);
    fwrite("data", 1, 4, f);
    put32(f, 2 * (unsigned)n);
    for (int i = 0; i < n; i++) {
        double v = s[i] > 1 ? 1 : s[i] < -1 ? -1 : s[i];
        put16(f, (unsigned)(int16_t)lrint(v * 32767) & 0xffff);
    }
    fclose(f);
    return p;
}

static float *buf(double seconds, int *n)
{
    *n = (int)(seconds * RATE);
    float *s = calloc((size_t)*n, sizeof *s);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* ---- running the mix --------------------------------------------------- */

/* The mix of o into dir/name (.m4a: AAC 128k by the ffmpeg program, from a
 * float WAV of the frames). Returns the path; *nsamples the samples. */
static char *mix_to(const zimu_audio_mix_opts *o, const char *name, int64_t *nsamples)
{
    zimu_ctx c = {0};
    zimu_audio_mix *m = NULL;
    int r = zimu__audio_mix_open(&c, &m, o);
    ck_assert_msg(r == 0, "open: %d %s", r, c.errmsg);
    const AVCodecParameters *par = zimu__audio_mix_par(m);
    ck_assert_int_eq(par->sample_rate, ORATE);
    ck_assert_int_eq(par->ch_layout.nb_channels, 2);
    ck_assert_int_eq(par->format, AV_SAMPLE_FMT_FLT);
    char *wav = tu_path(dir, "mix.wav");
    FILE *f = fopen(wav, "wb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 44, SEEK_SET);
    int64_t n = 0;
    AVFrame *fr;
    while ((r = zimu__audio_mix_read(m, &fr)) > 0) {
        ck_assert_int_eq(fr->pts, n);
        fwrite(fr->data[0], sizeof(float) * 2, (size_t)fr->nb_samples, f);
        n += fr->nb_samples;
        av_frame_free(&fr);
    }
    ck_assert_msg(r == 0, "read: %d %s", r, c.errmsg);
    zimu__audio_mix_free(&m);
    fseek(f, 0, SEEK_SET);
    fwrite("RIFF", 1, 4, f);
    put32(f, 36 + 8 * (unsigned)n);
    fwrite("WAVEfmt ", 1, 8, f);
    put32(f, 16);
    put16(f, 3); /* IEEE float */
    put16(f, 2);
    put32(f, ORATE);
    put32(f, ORATE * 8);
    put16(f, 8);
    put16(f, 32);
    fwrite("data", 1, 4, f);
    put32(f, 8 * (unsigned)n);
    fclose(f);
    char *out = tu_path(dir, name);
    const char *argv[] = {"ffmpeg", "-nostdin", "-y", "-v", "error", "-i", wav, "-c:a", "aac",
                          "-b:a", "128k", out, NULL};
    TU_OK(tu_run(argv));
    free(wav);
    if (nsamples)
        *nsamples = n;
    return out;
}

/* Integrated loudness and true peak of a file, by the ffmpeg program. */
static void loudness(const char *path, double *lufs, double *tp)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -nostats -hide_banner -i '%s' -af ebur128=peak=true -f null - 2>&1",
             path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char line[512];
    int in_summary = 0;
    *lufs = *tp = NAN;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, "Summary:"))
            in_summary = 1;
        if (!in_summary)
            continue;
        char *s;
        if ((s = strstr(line, "I:")))
            *lufs = atof(s + 2);
        if ((s = strstr(line, "Peak:")))
            *tp = atof(s + 5);
    }
    pclose(p);
    ck_assert_msg(!isnan(*lufs) && !isnan(*tp), "no loudness measured for %s", path);
}

/* The file's sound as mono float at ORATE (decoded by the ffmpeg program). */
static float *decode(const char *path, int *n)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -v error -i '%s' -map 0:a:0 -ac 1 -ar %d -f f32le -", path, ORATE);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t cap = ORATE * 8, len = 0;
    float *s = malloc(cap * sizeof *s);
    size_t got;
    while ((got = fread(s + len, sizeof *s, cap - len, p)) > 0) {
        len += got;
        if (len == cap)
            s = realloc(s, (cap *= 2) * sizeof *s);
    }
    pclose(p);
    *n = (int)len;
    return s;
}

/* Level (dB) of frequency f in [t0, t1) seconds: Goertzel, Hann window. */
static double level(const float *s, int n, double f, double t0, double t1)
{
    int a = (int)(t0 * ORATE), b = (int)(t1 * ORATE);
    if (b > n)
        b = n;
    ck_assert_int_gt(b - a, 100);
    double w = 2 * M_PI * f / ORATE, c = 2 * cos(w), s1 = 0, s2 = 0;
    for (int i = a; i < b; i++) {
        double win = 0.5 * (1 - cos(2 * M_PI * (i - a) / (b - a)));
        double v = s[i] * win + c * s1 - s2;
        s2 = s1;
        s1 = v;
    }
    double pw = s1 * s1 + s2 * s2 - c * s1 * s2;
    return 10 * log10(pw / ((b - a) * (double)(b - a)) + 1e-30);
}

/* ---- (a) ducking -------------------------------------------------------- */

static void check_ducking(const float *o, int n, double *duck_db)
{
    /* speech in [1, 2) and [3.5, 4.5); music before, between, after */
    double before = level(o, n, 100, 0.2, 0.8);
    double during1 = level(o, n, 100, 1.2, 1.9);
    double during2 = level(o, n, 100, 3.7, 4.4);
    double after1 = level(o, n, 100, 3.0, 3.4); /* 1 s after the first burst */
    double steady = level(o, n, 100, 2.6, 3.4);
    *duck_db = before - during1;
    ck_assert_msg(before - during1 >= 6, "ducked %.1f dB (%.1f -> %.1f)", before - during1,
                  before, during1);
    ck_assert_msg(before - during2 >= 6, "ducked %.1f dB", before - during2);
    ck_assert_msg(fabs(after1 - before) < 1.5, "1 s after speech: %.1f dB vs %.1f", after1,
                  before);
    ck_assert_msg(fabs(steady - before) < 1.5, "between: %.1f dB vs %.1f", steady, before);
}

START_TEST(test_ducking)
{
    int n;
    float *sp = buf(6, &n), *mu = buf(8, &n);
    const double on[] = {1.0, 3.5};
    n = 6 * RATE;
    speech(sp, n, on, 2, 0.3);
    char *clip = write_wav("speech.wav", sp, n);
    n = 8 * RATE;
    music(mu, n, 0.2);
    char *song = write_wav("song.wav", mu, n);
    zimu_audio_mix_opts o = {.clip_path = clip, .music_path = song, .duration_ms = 6000,
                             .loudnorm = 1};
    char *out = mix_to(&o, "out.m4a", NULL);
    float *d = decode(out, &n);
    double db;
    check_ducking(d, n, &db);
    fprintf(stderr, "ducking: %.1f dB\n", db);
    /* The speech itself is kept. */
    ck_assert_double_gt(level(d, n, 1000, 1.2, 1.9), level(d, n, 1000, 2.3, 3.3) + 20);
    free(d);
    free(out);
    free(sp);
    free(mu);
    free(clip);
    free(song);
}
END_TEST

/* Steady hum and noise in the clip are not speech: the music is not
 * ducked for them, only for the speech over them (at 3.5-4.5 s). */
START_TEST(test_no_duck_for_hum)
{
    int n;
    float *cl = buf(5, &n), *mu = buf(5, &n);
    for (int h = 1; h <= 8; h++)
        tone(cl, n, 60 * h, 0.08 / h);
    for (int i = 0; i < n; i++)
        cl[i] += (float)(0.01 * noise());
    const double on[] = {3.5};
    speech(cl, n, on, 1, 0.3);
    char *clip = write_wav("hum.wav", cl, n);
    music(mu, n, 0.2);
    char *song = write_wav("song.wav", mu, n);
    zimu_audio_mix_opts o = {.clip_path = clip, .music_path = song, .duration_ms = 5000};
    char *out = mix_to(&o, "out.m4a", NULL);
    float *d = decode(out, &n);
    double a = level(d, n, 100, 0.3, 1.0);
    for (double t = 1.0; t < 3.0; t += 0.4) {
        double b = level(d, n, 100, t, t + 0.4);
        ck_assert_msg(fabs(a - b) < 1.5, "music at %.1f s: %.1f dB vs %.1f", t, b, a);
    }
    double sp = level(d, n, 100, 3.7, 4.3);
    ck_assert_msg(sp < a - 6, "music during speech over hum: %.1f dB vs %.1f", sp, a);
    free(d);
    free(out);
    free(cl);
    free(mu);
    free(clip);
    free(song);
}
END_TEST

/* ---- (b) loudness ------------------------------------------------------ */

/* _i: 0 quiet music, 1 loud clipped music, 2 quiet speech under music,
 * 3 quiet speech with loud clicks (a desk knocked) alone */
START_TEST(test_loudness)
{
    int n;
    float *mu = buf(5, &n), *sp = buf(5, &n);
    double amp = _i == 1 ? 1.6 : 0.01;
    music(mu, n, amp);
    char *song = write_wav("song.wav", mu, n);
    char *clip = NULL;
    if (_i >= 2) {
        const double on[] = {0.5, 2.0, 3.5};
        speech(sp, n, on, 3, 0.02);
        if (_i == 3)
            for (int k = 0; k < 4; k++)
                for (int j = 0; j < 40; j++)
                    sp[(int)((0.3 + 1.1 * k) * RATE) + j] += (float)(0.6 * (j % 2 ? -1 : 1));
        clip = write_wav("speech.wav", sp, n);
    }
    zimu_audio_mix_opts o = {.clip_path = clip, .music_path = _i == 3 ? NULL : song,
                             .duration_ms = 5000,
                             .loudnorm = 1};
    char *out = mix_to(&o, "out.m4a", NULL);
    double lufs, tp;
    loudness(out, &lufs, &tp);
    fprintf(stderr, "loudness %d: %.1f LUFS, %.1f dBTP\n", _i, lufs, tp);
    ck_assert_msg(fabs(lufs + 14) <= 1, "%.1f LUFS", lufs);
    ck_assert_msg(tp <= -1, "%.1f dBTP", tp);
    /* Another target. */
    o.lufs = -20;
    o.true_peak = -3;
    free(out);
    out = mix_to(&o, "out2.m4a", NULL);
    loudness(out, &lufs, &tp);
    ck_assert_msg(fabs(lufs + 20) <= 1, "%.1f LUFS", lufs);
    ck_assert_msg(tp <= -3, "%.1f dBTP", tp);
    free(out);
    free(mu);
    free(sp);
    free(song);
    free(clip);
}
END_TEST

/* ---- (c) trim and fade ------------------------------------------------- */

START_TEST(test_trim_fade)
{
    int n;
    float *mu = buf(10, &n);
    music(mu, n, 0.2);
    char *song = write_wav("song.wav", mu, n);
    zimu_audio_mix_opts o = {.music_path = song, .duration_ms = 4000};
    int64_t ns;
    char *out = mix_to(&o, "out.m4a", &ns);
    ck_assert_int_eq(ns, 4 * ORATE);
    float *d = decode(out, &n);
    ck_assert_msg(abs(n - 4 * ORATE) < 2048, "%d samples", n);
    double mid = level(d, n, 100, 1.0, 2.0), early = level(d, n, 100, 0.1, 0.9);
    double late = level(d, n, 100, 3.75, 3.98);
    ck_assert_msg(fabs(mid - early) < 1, "%.1f vs %.1f dB", mid, early);
    ck_assert_msg(late < mid - 15, "fade: %.1f dB at the end vs %.1f", late, mid);
    /* halfway through the 1 s fade (a quarter of 4 s): about -12 dB */
    double half = level(d, n, 100, 3.4, 3.6);
    ck_assert_msg(half < mid - 6 && half > mid - 20, "fade: %.1f at 3.5 s vs %.1f", half, mid);
    /* A clip's trim: the clip's sound from clip_from_ms. */
    float *cl = buf(6, &n);
    for (int i = 0; i < n; i++)
        cl[i] = (float)(0.3 * sin(2 * M_PI * (i < 3 * RATE ? 700 : 1300) * i / RATE));
    char *clip = write_wav("clip.wav", cl, n);
    zimu_audio_mix_opts o2 = {.clip_path = clip, .clip_from_ms = 3000, .clip_to_ms = 5000,
                              .duration_ms = 9000};
    free(out);
    out = mix_to(&o2, "out2.m4a", &ns);
    ck_assert_int_eq(ns, 2 * ORATE);
    free(d);
    d = decode(out, &n);
    ck_assert_double_gt(level(d, n, 1300, 0.1, 1.9), level(d, n, 700, 0.1, 1.9) + 30);
    free(d);
    free(out);
    free(mu);
    free(cl);
    free(song);
    free(clip);
}
END_TEST

/* ---- (d) replace ------------------------------------------------------- */

START_TEST(test_replace)
{
    int n;
    float *cl = buf(4, &n), *mu = buf(4, &n);
    tone(cl, n, 1000, 0.3);
    music(mu, n, 0.2);
    char *clip = write_wav("clip.wav", cl, n);
    char *song = write_wav("song.wav", mu, n);
    zimu_audio_mix_opts o = {.clip_path = clip, .music_path = song, .music_replace = _i,
                             .duration_ms = 3000, .loudnorm = 1};
    char *out = mix_to(&o, "out.m4a", NULL);
    float *d = decode(out, &n);
    double tone_db = level(d, n, 1000, 0.5, 2.0), mus = level(d, n, 100, 0.5, 2.0);
    if (_i)
        ck_assert_msg(tone_db < mus - 50, "clip tone %.1f dB, music %.1f", tone_db, mus);
    else
        ck_assert_msg(tone_db > mus, "clip tone %.1f dB, music %.1f", tone_db, mus);
    free(d);
    free(out);
    free(cl);
    free(mu);
    free(clip);
    free(song);
}
END_TEST

/* ---- (f) errors -------------------------------------------------------- */

START_TEST(test_errors)
{
    zimu_ctx c = {0};
    zimu_audio_mix *m = NULL;
    char *missing = tu_path(dir, "nope.mp3");
    zimu_audio_mix_opts o = {.music_path = missing, .duration_ms = 2000};
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_ENOENT);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(c.errmsg, "nope.mp3"));
    char *txt = tu_write_text(dir, "song.txt", "not a song at all\nreally not\n");
    o.music_path = txt;
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_ENOTVIDEO);
    ck_assert_msg(strstr(c.errmsg, "song.txt: not an audio file") != NULL, "%s", c.errmsg);
    o.music_path = dir;
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_ENOTVIDEO);
    o.music_path = NULL;
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_EINVAL);
    int n;
    float *mu = buf(1, &n);
    music(mu, n, 0.2);
    char *song = write_wav("song.wav", mu, n);
    o.music_path = song;
    o.duration_ms = 0;
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_EINVAL);
    o.duration_ms = 2000;
    o.lufs = -3;
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_EINVAL);
    o.lufs = 0;
    /* A video without sound. */
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.audio = TU_AUDIO_NONE;
    co.frames = 10;
    char *silent = tu_path(dir, "silent.mp4");
    TU_OK(tu_make_clip(silent, &co));
    o.music_path = silent;
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_ENOTVIDEO);
    ck_assert_msg(strstr(c.errmsg, "silent.mp4: not an audio file") != NULL, "%s", c.errmsg);
    /* As a clip it is silence: the music alone. */
    o.clip_path = silent;
    o.music_path = song;
    int64_t ns;
    free(mix_to(&o, "o1.m4a", &ns));
    ck_assert_int_eq(ns, 2 * ORATE);
    o.clip_path = NULL;
    free(silent);
    /* A song shorter than the video: silence after it. */
    char *out = mix_to(&o, "out.m4a", &ns);
    ck_assert_int_eq(ns, 2 * ORATE);
    float *d = decode(out, &n);
    ck_assert_double_lt(level(d, n, 100, 1.2, 1.9), level(d, n, 100, 0.2, 0.8) - 40);
    free(d);
    free(out);
    free(mu);
    free(song);
    free(missing);
    free(txt);
}
END_TEST

static Suite *mix_suite(void)
{
    Suite *s = suite_create("audio_mix");
    TCase *tc = tcase_create("mix");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_ducking);
    tcase_add_test(tc, test_no_duck_for_hum);
    tcase_add_loop_test(tc, test_loudness, 0, 4);
    tcase_add_test(tc, test_trim_fade);
    tcase_add_loop_test(tc, test_replace, 0, 2);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mix_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
