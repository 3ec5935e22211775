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
 * the decoded samples. Our loudness meter (loudness.c) is checked against
 * the ffmpeg program's and BS.1770's calibration.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>

#include "audio_mix.h"
#include "loudness.h"
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

/* The header of a stereo float WAV at ORATE with n samples. */
static void wav_f32_header(FILE *f, int64_t n)
{
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
    wav_f32_header(f, n);
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
 * ducked for them, only for the speech over them (at 3.5-4.5 s). _i 1:
 * the hum starts at 0.9 s, after silence (the music dips at its start, up
 * again a second later). */
START_TEST(test_no_duck_for_hum)
{
    int n;
    float *cl = buf(5, &n), *mu = buf(5, &n);
    for (int h = 1; h <= 8; h++)
        tone(cl, n, 60 * h, 0.08 / h);
    if (_i)
        memset(cl, 0, sizeof *cl * (size_t)(0.9 * RATE));
    for (int i = _i ? (int)(0.9 * RATE) : 0; i < n; i++)
        cl[i] += (float)(0.01 * noise());
    const double on[] = {3.5};
    speech(cl, n, on, 1, 0.3);
    char *clip = write_wav("hum.wav", cl, n);
    music(mu, n, 0.2);
    char *song = write_wav("song.wav", mu, n);
    zimu_audio_mix_opts o = {.clip_path = clip, .music_path = song, .duration_ms = 5000};
    char *out = mix_to(&o, "out.m4a", NULL);
    float *d = decode(out, &n);
    double a = level(d, n, 100, 0.2, 0.8);
    /* after the start of a hum: a short dip */
    for (double t = 1.0 + 1.0 * _i; t < 3.0; t += 0.4) {
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

/* ---- (g) the loudness meter (loudness.c) ------------------------------- */

/* The integrated loudness of n stereo samples by our meter, given to it
 * in pieces of the given size. */
static double meter_of(const float *x, int n, int piece)
{
    zimu_ctx c = {0};
    zimu_loudness *l = NULL;
    ck_assert_msg(zimu__loudness_new(&c, &l) == 0, "%s", c.errmsg);
    for (int i = 0; i < n; i += piece) {
        int k = n - i < piece ? n - i : piece;
        ck_assert_msg(zimu__loudness_add(l, x + 2 * (size_t)i, k) == 0, "%s", c.errmsg);
    }
    double lufs = 0;
    ck_assert_msg(zimu__loudness_lufs(l, &lufs) == 0, "%s", c.errmsg);
    zimu__loudness_free(&l);
    ck_assert_ptr_null(l);
    return lufs;
}

/* A sine of frequency f and amplitude amp in the left and/or right channel
 * of n stereo samples at ORATE. */
static float *stereo_sine(int n, double f, double amp, int left, int right)
{
    float *x = calloc(2 * (size_t)n, sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (int i = 0; i < n; i++) {
        float v = (float)(amp * sin(2 * M_PI * f * i / ORATE));
        x[2 * i] = left ? v : 0;
        x[2 * i + 1] = right ? v : 0;
    }
    return x;
}

/* Our meter reads what the ffmpeg program's ebur128 reads: a sound whose
 * loudness changes (a first second under the -70 LUFS gate, a quiet part
 * partly under the relative gate, a loud end), not a whole number of
 * 100 ms, given in odd pieces. */
START_TEST(test_meter_ffmpeg)
{
    int n = (int)(4.03 * ORATE);
    float *a = calloc((size_t)n, sizeof *a), *b = calloc((size_t)n, sizeof *b);
    float *x = malloc(sizeof *x * 2 * (size_t)n);
    ck_assert(a && b && x);
    const double on[] = {1.0, 2.2, 3.0};
    speech(a, n, on, 3, 0.05);
    music(b, n, 0.05);
    for (int i = 0; i < n; i++) {
        double g = i < ORATE ? 0.002 : i < 2.5 * ORATE ? 0.25 : 1;
        x[2 * i] = (float)(g * (a[i] + 0.3 * b[i]));
        x[2 * i + 1] = (float)(g * b[i]);
    }
    char *wav = tu_path(dir, "meter.wav");
    FILE *f = fopen(wav, "wb");
    ck_assert_ptr_nonnull(f);
    wav_f32_header(f, n);
    ck_assert_int_eq(fwrite(x, sizeof *x * 2, (size_t)n, f), n);
    fclose(f);
    double ff, tp;
    loudness(wav, &ff, &tp);
    double ours = meter_of(x, n, 777), whole = meter_of(x, n, n);
    fprintf(stderr, "meter: %.3f LUFS (in one piece %.3f), the ffmpeg program %.1f\n", ours,
            whole, ff);
    ck_assert_msg(fabs(ours - ff) <= 0.1, "ours %.3f, ffmpeg %.1f", ours, ff);
    ck_assert_msg(fabs(whole - ours) < 0.001, "%.3f in one piece, %.3f in pieces", whole, ours);
    free(a);
    free(b);
    free(x);
    free(wav);
}
END_TEST

/* BS.1770's calibration: a full-scale 1 kHz sine in one channel reads
 * -3.01 LUFS (the K-weighting's +0.691 dB at 1 kHz cancels the -0.691 of
 * the formula: 10 log10(1/2) = -3.01); in both channels +3.01 LU more;
 * 20 dB lower reads 20 LU lower. */
START_TEST(test_meter_sine)
{
    int n = 3 * ORATE;
    const struct { double amp; int left, right; double want; } t[] = {
        {1.0, 1, 0, -3.01}, {1.0, 0, 1, -3.01}, {1.0, 1, 1, 0.0}, {0.1, 1, 1, -20.0},
    };
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        float *x = stereo_sine(n, 1000, t[k].amp, t[k].left, t[k].right);
        double lufs = meter_of(x, n, 4096);
        ck_assert_msg(fabs(lufs - t[k].want) <= 0.02, "sine %g (%d%d): %.3f LUFS, want %.2f",
                      t[k].amp, t[k].left, t[k].right, lufs, t[k].want);
        free(x);
    }
}
END_TEST

/* Too quiet to measure: silence, a sound under the -70 LUFS gate, less
 * than one 400 ms block; the mix leaves such a sound as it is. */
START_TEST(test_meter_quiet)
{
    int n = 2 * ORATE;
    float *x = calloc(2 * (size_t)n, sizeof *x);
    ck_assert_ptr_nonnull(x);
    ck_assert(meter_of(x, n, 1000) == -HUGE_VAL);
    free(x);
    x = stereo_sine(n, 1000, 1e-4, 1, 1); /* -80 LUFS */
    ck_assert(meter_of(x, n, 1000) == -HUGE_VAL);
    free(x);
    x = stereo_sine(ORATE * 35 / 100, 1000, 1, 1, 1); /* 350 ms, loud */
    ck_assert(meter_of(x, ORATE * 35 / 100, 1000) == -HUGE_VAL);
    /* Ended: no more sound, no second reading. */
    zimu_ctx c = {0};
    zimu_loudness *l = NULL;
    double lufs;
    ck_assert_int_eq(zimu__loudness_new(&c, &l), 0);
    ck_assert_int_eq(zimu__loudness_add(l, x, 100), 0);
    ck_assert_int_eq(zimu__loudness_lufs(l, &lufs), 0);
    ck_assert_int_eq(zimu__loudness_add(l, x, 100), ZIMU_EINVAL);
    ck_assert_int_eq(zimu__loudness_lufs(l, &lufs), ZIMU_EINVAL);
    ck_assert_ptr_nonnull(strstr(c.errmsg, "loudness meter"));
    zimu__loudness_free(&l);
    zimu__loudness_free(&l);
    free(x);

    /* A song at -80 dBFS with loudnorm: measured too quiet, no gain. */
    float *mu = buf(3, &n);
    tone(mu, n, 440, 1e-4);
    char *song = write_wav("quiet.wav", mu, n);
    zimu_audio_mix_opts o = {.music_path = song, .duration_ms = 3000, .loudnorm = 1};
    zimu_audio_mix *m = NULL;
    ck_assert_msg(zimu__audio_mix_open(&c, &m, &o) == 0, "%s", c.errmsg);
    double measured, gain;
    zimu__audio_mix_loudness(m, &measured, &gain);
    ck_assert(measured == -HUGE_VAL);
    ck_assert(gain == 0);
    AVFrame *fr;
    double peak = 0;
    int r;
    while ((r = zimu__audio_mix_read(m, &fr)) > 0) {
        const float *s = (const float *)fr->data[0];
        for (int i = 0; i < 2 * fr->nb_samples; i++) {
            ck_assert(isfinite(s[i]));
            peak = fmax(peak, fabs(s[i]));
        }
        av_frame_free(&fr);
    }
    ck_assert_int_eq(r, 0);
    ck_assert_msg(peak > 5e-5 && peak < 2e-4, "peak %g", peak);
    zimu__audio_mix_free(&m);
    free(mu);
    free(song);
}
END_TEST

/* ---- the job and zimu burn -------------------------------------------- */

static int clip_w = 320, clip_h = 568;

/* A clip_w x clip_h clip of the given length with the sound of wav (AAC). */
static char *clip_with(const char *name, const char *wav, double seconds)
{
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.width = clip_w;
    co.height = clip_h;
    co.audio = TU_AUDIO_NONE;
    co.bg = TU_BG_GREY;
    co.markers = 0;
    co.frames = (int)lround(seconds * 30);
    char *v = tu_path(dir, "video-only.mp4");
    TU_OK(tu_make_clip(v, &co));
    char *out = tu_path(dir, name);
    const char *argv[] = {"ffmpeg", "-nostdin", "-y", "-v", "error", "-i", v, "-i", wav,
                          "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac",
                          "-b:a", "192k", out, NULL};
    TU_OK(tu_run(argv));
    free(v);
    return out;
}

/* The most the sound and the picture drift apart in the file's order. */
static double interleave_gap(const char *path)
{
    AVFormatContext *fmt = NULL;
    ck_assert_int_eq(avformat_open_input(&fmt, path, NULL, NULL), 0);
    ck_assert_int_ge(avformat_find_stream_info(fmt, NULL), 0);
    AVPacket *pkt = av_packet_alloc();
    double t[2] = {0, 0}, gap = 0;
    while (av_read_frame(fmt, pkt) >= 0) {
        AVStream *st = fmt->streams[pkt->stream_index];
        int k = st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
        t[k] = pkt->dts * av_q2d(st->time_base);
        if (fabs(t[0] - t[1]) > gap)
            gap = fabs(t[0] - t[1]);
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    avformat_close_input(&fmt);
    return gap;
}

static char *subs_file(void)
{
    const int64_t st[] = {500}, en[] = {1500};
    const char *text[] = {"字幕"};
    char *p = tu_write_srt(dir, "a.srt", 1, st, en, text);
    ck_assert_ptr_nonnull(p);
    return p;
}

/* (a) and (b) through the job: speech in the clip, music under it. */
START_TEST(test_job_music)
{
    int n;
    float *sp = buf(6, &n), *mu = buf(9, &n);
    const double on[] = {1.0, 3.5};
    n = 6 * RATE;
    speech(sp, n, on, 2, 0.3);
    char *wav = write_wav("speech.wav", sp, n);
    char *clip = clip_with("clip.mp4", wav, 6);
    n = 9 * RATE;
    music(mu, n, 0.5);
    char *song = write_wav("song.wav", mu, n);
    char *srt = subs_file();
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(clip, srt, out);
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_music(job, song, ZIMU_MUSIC_MIX), 0);
    TU_RUN_OK(job);
    ck_assert_int_eq(zimu_job_stats(job)->audio, 2);
    zimu_job_free(&job);
    tu_audio a;
    TU_OK(tu_read_audio(out, &a));
    ck_assert_int_eq(a.sample_rate, ORATE);
    ck_assert_int_eq(a.channels, 2);
    tu_audio_free(&a);

    double lufs, tp;
    loudness(out, &lufs, &tp);
    float *d = decode(out, &n);
    ck_assert_msg(abs(n - 6 * ORATE) < 2048, "%d samples", n);
    double db;
    check_ducking(d, n, &db);
    fprintf(stderr, "job with music: %.1f LUFS, %.1f dBTP, ducking %.1f dB\n", lufs, tp, db);
    ck_assert_msg(fabs(lufs + 14) <= 1 && tp <= -1, "%.1f LUFS %.1f dBTP", lufs, tp);
    free(d);
    free(sp);
    free(mu);
    free(wav);
    free(clip);
    free(song);
    free(srt);
    free(out);
}
END_TEST

/* The mixed sound is written along with the picture, not after it (the
 * muxer would hold up to 10 s, so the clip is longer than that). */
START_TEST(test_job_interleave)
{
    int n;
    float *cl = buf(12, &n), *mu = buf(3, &n);
    n = 12 * RATE;
    tone(cl, n, 1000, 0.1);
    char *wav = write_wav("tone.wav", cl, n);
    clip_w = 64;
    clip_h = 112;
    char *clip = clip_with("clip.mp4", wav, 12);
    n = 3 * RATE;
    music(mu, n, 0.2);
    char *song = write_wav("song.wav", mu, n);
    char *srt = subs_file();
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(clip, srt, out);
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_music(job, song, ZIMU_MUSIC_MIX), 0);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    double gap = interleave_gap(out);
    fprintf(stderr, "interleave: %.2f s\n", gap);
    ck_assert_msg(gap < 0.5, "sound and picture %.2f s apart in the file", gap);
    free(cl);
    free(mu);
    free(wav);
    free(clip);
    free(song);
    free(srt);
    free(out);
}
END_TEST

/* (e) a quiet lecture, --loudnorm, and the trim: output time 0 is --from. */
START_TEST(test_job_loudnorm_trim)
{
    int n;
    float *sp = buf(4, &n);
    const double on[] = {0.1, 1.3, 2.5};
    speech(sp, n, on, 3, 0.015);
    for (int i = 0; i < n; i++) /* 700 Hz before 2 s, 1300 Hz after */
        sp[i] += (float)(0.004 * sin(2 * M_PI * (i < 2 * RATE ? 700 : 1300) * i / RATE));
    char *wav = write_wav("lecture.wav", sp, n);
    char *clip = clip_with("lecture.mp4", wav, 4);
    char *srt = subs_file();
    char *out = tu_path(dir, "out.mp4");
    char err[2048];
    const char *args[] = {"burn", clip, "-s", srt, "-o", out, "--loudnorm", "-q", NULL};
    ck_assert_msg(tu_zimu(dir, args, err, sizeof err) == 0, "%s", err);
    double lufs, tp;
    loudness(out, &lufs, &tp);
    fprintf(stderr, "lecture --loudnorm: %.1f LUFS, %.1f dBTP\n", lufs, tp);
    ck_assert_msg(fabs(lufs + 14) <= 1, "%.1f LUFS", lufs);
    ck_assert_msg(tp <= -1, "%.1f dBTP", tp);
    /* trimmed */
    const char *args2[] = {"burn", clip, "-s", srt, "-o", out, "-y", "--loudnorm", "--from", "2",
                           "--to", "3.5", "--lufs", "-18", "--true-peak", "-2", "-q", NULL};
    ck_assert_msg(tu_zimu(dir, args2, err, sizeof err) == 0, "%s", err);
    float *d = decode(out, &n);
    ck_assert_msg(abs(n - 3 * ORATE / 2) < 2048, "%d samples", n);
    double hi = level(d, n, 1300, 0.05, 1.4), lo = level(d, n, 700, 0.05, 1.4);
    ck_assert_msg(hi > lo + 25, "1300 Hz %.1f dB, 700 Hz %.1f dB", hi, lo);
    loudness(out, &lufs, &tp);
    ck_assert_msg(fabs(lufs + 18) <= 1 && tp <= -2, "%.1f LUFS %.1f dBTP", lufs, tp);
    /* without: the clip's sound is copied */
    zimu_job *job = tu_job(clip, srt, out);
    ck_assert_ptr_nonnull(job);
    zimu_job_set_overwrite(job, 1);
    ck_assert_int_eq(zimu_job_set_loudnorm(job, 0), 0);
    TU_RUN_OK(job);
    ck_assert_int_eq(zimu_job_stats(job)->audio, 1);
    zimu_job_free(&job);
    free(d);
    free(sp);
    free(wav);
    free(clip);
    free(srt);
    free(out);
}
END_TEST

/* With a trim the sound starts where the picture does: at the first frame
 * kept (30 fps: --from 1.02 keeps frames from 31/30 s on). A tone starts
 * at 2 s of the clip: at 2 - 31/30 s of the output. */
START_TEST(test_job_trim_sync)
{
    int n;
    float *cl = buf(3, &n);
    for (int i = 2 * RATE; i < n; i++)
        cl[i] = (float)(0.3 * sin(2 * M_PI * 1000 * (i - 2 * RATE) / RATE));
    for (int i = 0; i < n; i++)
        cl[i] += (float)(0.001 * noise());
    char *wav = write_wav("tone.wav", cl, n);
    char *clip = clip_with("clip.mp4", wav, 3);
    char *srt = subs_file();
    char *out = tu_path(dir, "out.mp4");
    char err[2048];
    const char *args[] = {"burn", clip, "-s", srt, "-o", out, "--from", "1.02", "--loudnorm",
                          "-q", NULL};
    ck_assert_msg(tu_zimu(dir, args, err, sizeof err) == 0, "%s", err);
    tu_video v;
    TU_OK(tu_read_video(out, &v, 0));
    ck_assert_int_eq(v.n, 90 - 31);
    tu_video_free(&v);
    float *d = decode(out, &n);
    double peak = 0;
    for (int i = 0; i < n; i++)
        peak = fmax(peak, fabs(d[i]));
    int at = 0;
    while (at < n && fabs(d[at]) < peak / 2)
        at++;
    double want = 2.0 - 31.0 / 30;
    fprintf(stderr, "tone at %.4f s, want %.4f\n", (double)at / ORATE, want);
    ck_assert_msg(fabs((double)at / ORATE - want) < 0.004, "tone at %.4f s, want %.4f",
                  (double)at / ORATE, want);
    free(d);
    free(cl);
    free(wav);
    free(clip);
    free(srt);
    free(out);
}
END_TEST

/* (d) --music-replace through zimu burn; input through callbacks. */
START_TEST(test_job_replace_io)
{
    int n;
    float *cl = buf(3, &n), *mu = buf(3, &n);
    tone(cl, n, 1000, 0.3);
    music(mu, n, 0.2);
    char *wav = write_wav("tone.wav", cl, n);
    char *clip = clip_with("clip.mp4", wav, 3);
    char *song = write_wav("song.wav", mu, n);
    char *srt = subs_file();
    char *out = tu_path(dir, "out.mp4");
    char err[2048];
    const char *args[] = {"burn", clip, "-s", srt, "-o", out, "--music", song,
                          "--music-replace", "-q", NULL};
    ck_assert_msg(tu_zimu(dir, args, err, sizeof err) == 0, "%s", err);
    float *d = decode(out, &n);
    double t = level(d, n, 1000, 0.3, 2.0), m = level(d, n, 100, 0.3, 2.0);
    ck_assert_msg(t < m - 50, "clip tone %.1f dB, music %.1f", t, m);
    free(d);
    /* Input through callbacks: the clip's sound cannot be read again. */
    tu_membuf mb = {0};
    TU_OK(tu_read_file(clip, &mb.data, &mb.size));
    zimu_job *job = tu_job(NULL, srt, out);
    ck_assert_ptr_nonnull(job);
    zimu_job_set_overwrite(job, 1);
    ck_assert_int_eq(zimu_job_set_input_io(job, tu_mem_read, tu_mem_seek, &mb, "clip.mp4"), 0);
    ck_assert_int_eq(zimu_job_set_music(job, song, ZIMU_MUSIC_MIX), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "callbacks") != NULL, "%s", zimu_job_errmsg(job));
    ck_assert_int_eq(zimu_job_set_music(job, NULL, ZIMU_MUSIC_MIX), 0);
    ck_assert_int_eq(zimu_job_set_loudnorm(job, 1), 0);
    mb.pos = 0;
    ck_assert_int_eq(zimu_job_run(job), ZIMU_EINVAL);
    /* ... but the song alone needs only the song */
    ck_assert_int_eq(zimu_job_set_music(job, song, ZIMU_MUSIC_REPLACE), 0);
    mb.pos = 0;
    TU_RUN_OK(job);
    zimu_job_free(&job);
    d = decode(out, &n);
    ck_assert_double_lt(level(d, n, 1000, 0.3, 2.0), level(d, n, 100, 0.3, 2.0) - 50);
    free(d);
    free(mb.data);
    free(cl);
    free(mu);
    free(wav);
    free(clip);
    free(song);
    free(srt);
    free(out);
}
END_TEST

/* (f) errors through the job and zimu burn. */
START_TEST(test_job_errors)
{
    int n;
    float *cl = buf(2, &n);
    tone(cl, n, 1000, 0.3);
    char *wav = write_wav("tone.wav", cl, n);
    char *clip = clip_with("clip.mp4", wav, 2);
    char *srt = subs_file();
    char *out = tu_path(dir, "out.mp4");
    char *missing = tu_path(dir, "missing.mp3");
    char *txt = tu_write_text(dir, "song.txt", "la la la\n");
    zimu_job *job = tu_job(clip, srt, out);
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_music(job, wav, 7), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_music(job, "", ZIMU_MUSIC_MIX), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_loudnorm(job, 2), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_loudness_target(job, -3, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_loudness_target(job, -14, 0.5), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_loudness_target(job, -14, -1), 0);
    ck_assert_int_eq(zimu_job_set_music(job, missing, ZIMU_MUSIC_MIX), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ENOENT);
    ck_assert_ptr_nonnull(strstr(zimu_job_errmsg(job), "missing.mp3"));
    ck_assert_int_eq(tu_exists(out), 0);
    ck_assert_int_eq(zimu_job_set_music(job, txt, ZIMU_MUSIC_MIX), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ENOTVIDEO);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "song.txt: not an audio file") != NULL, "%s",
                  zimu_job_errmsg(job));
    /* the output may not be the music (a video's sound as the song) */
    uint8_t *data;
    size_t size;
    TU_OK(tu_read_file(clip, &data, &size));
    char *song = tu_path(dir, "song.mp4");
    TU_OK(tu_write_file(song, data, size));
    free(data);
    ck_assert_int_eq(zimu_job_set_music(job, song, ZIMU_MUSIC_MIX), 0);
    zimu_job_set_overwrite(job, 1);
    ck_assert_int_eq(zimu_job_set_output(job, song), 0);
    ck_assert_int_eq(zimu_job_run(job), ZIMU_ESAME);
    ck_assert_int_eq(zimu_job_set_output(job, out), 0);
    zimu_job_free(&job);
    /* zimu burn */
    char err[2048];
    const char *a1[] = {"burn", clip, "-s", srt, "-o", out, "--music", txt, NULL};
    ck_assert_int_ne(tu_zimu(dir, a1, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "song.txt: not an audio file") != NULL, "%s", err);
    const char *a2[] = {"burn", clip, "-s", srt, "-o", out, "--music-replace", NULL};
    ck_assert_int_eq(tu_zimu(dir, a2, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "--music-replace needs --music") != NULL, "%s", err);
    const char *a3[] = {"burn", clip, "-s", srt, "-o", out, "--lufs", "loud", NULL};
    ck_assert_int_eq(tu_zimu(dir, a3, err, sizeof err), 1);
    const char *a4[] = {"burn", clip, "-s", srt, "-o", out, "--lufs", "-50", NULL};
    ck_assert_int_eq(tu_zimu(dir, a4, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "--lufs") != NULL, "%s", err);
    const char *a5[] = {"burn", clip, "-s", srt, "-o", song, "-y", "--music", song, NULL};
    ck_assert_int_ne(tu_zimu(dir, a5, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "song.mp4") != NULL, "%s", err);
    free(song);
    const char *a6[] = {"burn", "--help", NULL};
    ck_assert_int_eq(tu_zimu(dir, a6, err, sizeof err), 0);
    ck_assert_int_eq(tu_exists(out), 0);
    free(cl);
    free(wav);
    free(clip);
    free(srt);
    free(out);
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
    tcase_add_loop_test(tc, test_no_duck_for_hum, 0, 2);
    tcase_add_loop_test(tc, test_loudness, 0, 4);
    tcase_add_test(tc, test_trim_fade);
    tcase_add_loop_test(tc, test_replace, 0, 2);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_meter_ffmpeg);
    tcase_add_test(tc, test_meter_sine);
    tcase_add_test(tc, test_meter_quiet);
    tcase_add_test(tc, test_job_music);
    tcase_add_test(tc, test_job_loudnorm_trim);
    tcase_add_test(tc, test_job_interleave);
    tcase_add_test(tc, test_job_trim_sync);
    tcase_add_test(tc, test_job_replace_io);
    tcase_add_test(tc, test_job_errors);
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
