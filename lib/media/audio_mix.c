/* audio_mix.c - the sound of an output: the clip's own audio and/or a song,
 * the song ducked under speech and faded out, the mix brought to a
 * loudness target with a true-peak limiter (audio_mix.h).
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything runs at 48 kHz stereo float. The inputs are decoded here
 * (libavformat, libavcodec, libswresample) and streamed, never held
 * whole, so a long lecture costs no more memory than a short clip; each
 * pass below opens them again (input through callbacks cannot be used).
 *
 * Passes, as needed:
 *  1. music under a clip's sound: the clip's speech, 20 ms blocks of the
 *     300-3400 Hz band against an adaptive floor (the lowest smoothed
 *     level within 3 s), so steady noise and hum are not speech; a block
 *     10 dB over the floor and over -50 dBFS, whose level swings by 6 dB
 *     within 250 ms (syllables; a hum that starts does not), is speech,
 *     held 300 ms.
 *     The ducking curve (dB per block): down by duck_db during speech,
 *     reached 100 ms before it starts (we know the future), back up over
 *     500 ms after the hold. The same pass measures the loudness of both
 *     inputs, to set the song 6 LU under the clip's sound (before ducking).
 *  2. loudness target: the mix is measured (ITU-R BS.1770 / EBU R128
 *     integrated loudness by libavfilter's ebur128 filter, loudness.h:
 *     the meter the output is checked with) and the gain to the target
 *     is the difference; none when it is too quiet to measure. When the
 *     limiter will have work to do (the sample peak after the gain is over
 *     the ceiling) the limited mix is measured again and the gain
 *     corrected (at most twice).
 *  3. the output: mix, gain, limiter; frames of 1024 samples.
 * The limiter: 4x oversampled peaks (a 12-tap windowed-sinc interpolator
 * per phase), the gain each sample needs to stay under the ceiling, the
 * minimum of that over a 5 ms look-ahead, a 150 ms release, smoothed by a
 * 5 ms moving average (which never exceeds what any sample in the window
 * needs). The ceiling is 1 dB under the true-peak target: AAC encoding
 * raises peaks a little.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
#include <libswresample/swresample.h>

#include "audio_mix.h"
#include "loudness.h"

#define SR 48000
#define FRAME 1024
#define CHUNK 4096          /* samples mixed at a time */
#define BLOCK 960           /* speech-detection block: 20 ms */
#define BLOCKS_PER_S (SR / BLOCK)
/* At most this much of a song is read: the start of a longer file. */
#define MUSIC_MAX_S (20 * 60)

/* ------------------------------------------------------------------------
 * A decoded input: stereo float at SR, output sample 0 at the source time
 * from_ms (after the file's start time), at most limit samples, silence
 * after its end.
 */

typedef struct src {
    zimu_ctx *c;
    const char *path;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    SwrContext *swr;
    AVPacket *pkt;
    AVFrame *fr;
    int si;
    float *buf;             /* resampled stereo samples waiting */
    int nbuf, pos, cap;
    int64_t from_us;        /* source time of output sample 0 */
    int64_t pad, drop;      /* silence to give / samples to skip first */
    int64_t given, limit;
    int started, eof;
} src;

static void src_close(src *s)
{
    swr_free(&s->swr);
    avcodec_free_context(&s->dec);
    avformat_close_input(&s->fmt);
    av_packet_free(&s->pkt);
    av_frame_free(&s->fr);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

/* Open path's sound. music: the file must have sound ("not an audio file"
 * otherwise); else a file without an audio stream returns 0 with s->fmt
 * NULL (no sound: silence). */
static int src_open(zimu_ctx *c, src *s, const char *path, int64_t from_ms, int64_t limit,
                    int music)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->path = path;
    s->limit = limit;
    struct stat sb;
    if (stat(path, &sb) != 0 || access(path, R_OK) != 0)
        return zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: is a directory, not an audio file",
                               path);
    if (avformat_open_input(&s->fmt, path, NULL, NULL) < 0 ||
        avformat_find_stream_info(s->fmt, NULL) < 0) {
        src_close(s);
        return zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: not an audio file", path);
    }
    const AVCodec *codec = NULL;
    int si = av_find_best_stream(s->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (si == AVERROR_STREAM_NOT_FOUND) {
        src_close(s);
        if (!music)
            return 0;
        return zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: not an audio file (no sound in it)",
                               path);
    }
    if (si < 0 || !codec) {
        src_close(s);
        return zimu__fail_file(c, ZIMU_ECODEC, path, "%s: no decoder for its sound", path);
    }
    s->si = si;
    for (unsigned i = 0; i < s->fmt->nb_streams; i++)
        s->fmt->streams[i]->discard = (int)i == si ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    if (!(s->dec = avcodec_alloc_context3(codec)) ||
        avcodec_parameters_to_context(s->dec, s->fmt->streams[si]->codecpar) < 0 ||
        avcodec_open2(s->dec, codec, NULL) < 0) {
        src_close(s);
        return zimu__fail_file(c, ZIMU_ECODEC, path, "%s: cannot open its audio decoder", path);
    }
    if (!(s->pkt = av_packet_alloc()) || !(s->fr = av_frame_alloc())) {
        src_close(s);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    int64_t start = s->fmt->start_time != AV_NOPTS_VALUE ? s->fmt->start_time : 0;
    s->from_us = start + from_ms * 1000;
    /* Land before the cut; what comes before it is decoded and dropped. */
    if (from_ms > 0 && av_seek_frame(s->fmt, -1, s->from_us, AVSEEK_FLAG_BACKWARD) < 0)
        av_seek_frame(s->fmt, -1, start, AVSEEK_FLAG_BACKWARD);
    return 0;
}

static int src_fail(src *s, int code, const char *what)
{
    return zimu__fail_file(s->c, code, s->path, "%s: %s", s->path, zimu__tr(what));
}

static int buf_room(src *s, int more)
{
    if (s->pos > 0 && s->pos == s->nbuf)
        s->pos = s->nbuf = 0;
    if (s->nbuf + more <= s->cap)
        return 0;
    int cap = s->cap ? s->cap : 8192;
    while (cap < s->nbuf + more)
        cap *= 2;
    float *nb = realloc(s->buf, sizeof *nb * 2 * (size_t)cap);
    if (!nb)
        return zimu__fail(s->c, ZIMU_ENOMEM, "out of memory");
    s->buf = nb;
    s->cap = cap;
    return 0;
}

/* Resample f (NULL: what the resampler still holds) into the buffer. */
static int src_resample(src *s, const AVFrame *f)
{
    int want = swr_get_out_samples(s->swr, f ? f->nb_samples : 0);
    if (want < 0)
        return src_fail(s, ZIMU_EFFMPEG, "cannot resample its sound");
    if (want == 0)
        return 0;
    int r = buf_room(s, want);
    if (r < 0)
        return r;
    uint8_t *out[1] = {(uint8_t *)(s->buf + 2 * (size_t)s->nbuf)};
    int n = swr_convert(s->swr, out, want, f ? (const uint8_t **)f->extended_data : NULL,
                        f ? f->nb_samples : 0);
    if (n < 0)
        return src_fail(s, ZIMU_EFFMPEG, "cannot resample its sound");
    s->nbuf += n;
    /* Sound before the cut. */
    int d = s->drop < s->nbuf - s->pos ? (int)s->drop : s->nbuf - s->pos;
    s->pos += d;
    s->drop -= d;
    return 0;
}

static int src_frame(src *s, AVFrame *f)
{
    if (!s->swr) {
        AVChannelLayout in = {0}, stereo = AV_CHANNEL_LAYOUT_STEREO;
        if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
            av_channel_layout_default(&in, f->ch_layout.nb_channels);
        else if (av_channel_layout_copy(&in, &f->ch_layout) < 0)
            return zimu__fail(s->c, ZIMU_ENOMEM, "out of memory");
        int r = swr_alloc_set_opts2(&s->swr, &stereo, AV_SAMPLE_FMT_FLT, SR, &in, f->format,
                                    f->sample_rate, 0, NULL);
        av_channel_layout_uninit(&in);
        if (r < 0 || swr_init(s->swr) < 0)
            return src_fail(s, ZIMU_EFFMPEG, "cannot resample its sound");
    }
    if (!s->started) {
        /* Where the first frame lies against output sample 0. */
        s->started = 1;
        AVStream *st = s->fmt->streams[s->si];
        int64_t pts = f->best_effort_timestamp;
        int64_t at = pts == AV_NOPTS_VALUE ? 0
                   : av_rescale_q(pts, st->time_base, (AVRational){1, SR}) -
                     av_rescale(s->from_us, SR, 1000000);
        if (pts == AV_NOPTS_VALUE) {
            int64_t start = s->fmt->start_time != AV_NOPTS_VALUE ? s->fmt->start_time : 0;
            at = -av_rescale(s->from_us - start, SR, 1000000);
        }
        if (at > 0)
            s->pad = at;
        else
            s->drop = -at;
    }
    return src_resample(s, f);
}

/* Decode until some sound is waiting or the input ends. */
static int src_more(src *s)
{
    while (s->pos == s->nbuf && !s->eof) {
        int r = avcodec_receive_frame(s->dec, s->fr);
        if (r == 0) {
            r = src_frame(s, s->fr);
            av_frame_unref(s->fr);
            if (r < 0)
                return r;
            continue;
        }
        if (r == AVERROR_EOF) {
            s->eof = 1;
            if (s->swr)
                return src_resample(s, NULL);
            return 0;
        }
        if (r != AVERROR(EAGAIN) && r != AVERROR_INVALIDDATA)
            return src_fail(s, ZIMU_EDECODE, "cannot decode its sound");
        r = av_read_frame(s->fmt, s->pkt);
        if (r == AVERROR_EOF) {
            avcodec_send_packet(s->dec, NULL);
            continue;
        }
        if (r < 0)
            return src_fail(s, ZIMU_EDECODE, "read error");
        if (s->pkt->stream_index == s->si) {
            r = avcodec_send_packet(s->dec, s->pkt);
            (void)r; /* a damaged packet: skipped */
        }
        av_packet_unref(s->pkt);
    }
    return 0;
}

/* The next n stereo samples into out (silence where there is no sound). */
static int src_fill(src *s, float *out, int n)
{
    int done = 0;
    while (done < n) {
        if (!s->fmt || s->given >= s->limit) {
            memset(out + 2 * done, 0, sizeof *out * 2 * (size_t)(n - done));
            s->given += n - done;
            return 0;
        }
        int64_t left = s->limit - s->given;
        int k = n - done < left ? n - done : (int)left;
        if (s->pad > 0) {
            if (k > s->pad)
                k = (int)s->pad;
            memset(out + 2 * done, 0, sizeof *out * 2 * (size_t)k);
            s->pad -= k;
        } else {
            int r = src_more(s);
            if (r < 0)
                return r;
            if (s->pos == s->nbuf) { /* the end of its sound */
                s->limit = s->given;
                continue;
            }
            if (k > s->nbuf - s->pos)
                k = s->nbuf - s->pos;
            memcpy(out + 2 * done, s->buf + 2 * (size_t)s->pos, sizeof *out * 2 * (size_t)k);
            s->pos += k;
        }
        done += k;
        s->given += k;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * The true-peak limiter.
 */

#define LIM_LOOK 240        /* 5 ms */
#define TP_HALF 6           /* interpolator taps each side */
#define LIM_RING 1024       /* > LIM_LOOK + 2 * TP_HALF, a power of 2 */

typedef struct limiter {
    double ceiling;         /* linear */
    double rel;             /* release coefficient per sample */
    float coef[3][2 * TP_HALF];
    float x[LIM_RING][2];   /* input */
    double r[LIM_RING];     /* gain each sample needs */
    double h[LIM_RING];     /* look-ahead minimum with release */
    int64_t dq[LIM_RING];   /* indices of a rising sequence of r (sliding min) */
    int dq_head, dq_n;
    double hsum, hprev;
    int64_t n_in;           /* samples pushed */
    double quiet;           /* a sample under this cannot make a peak over
                               the ceiling (ceiling / the taps' sum of |c|) */
    int64_t loud_at;        /* the last sample pushed over quiet */
    double min_gain;        /* the lowest gain applied */
} limiter;

static void lim_init(limiter *l, double ceiling_db)
{
    memset(l, 0, sizeof *l);
    l->ceiling = pow(10, ceiling_db / 20);
    l->rel = 1 - exp(-1.0 / (0.150 * SR));
    l->hsum = LIM_LOOK;
    l->hprev = 1;
    l->min_gain = 1;
    /* Phase p/4 between two samples: taps at x[n-TP_HALF+1 .. n+TP_HALF]. */
    for (int p = 1; p < 4; p++) {
        double sum = 0;
        for (int j = 0; j < 2 * TP_HALF; j++) {
            double t = (j - TP_HALF + 1) - p / 4.0; /* tap position - point */
            double sinc = t == 0 ? 1 : sin(M_PI * t) / (M_PI * t);
            double w = 0.5 * (1 + cos(M_PI * t / (TP_HALF + 0.5)));
            l->coef[p - 1][j] = (float)(sinc * w);
            sum += sinc * w;
        }
        double abs_sum = 0;
        for (int j = 0; j < 2 * TP_HALF; j++) {
            l->coef[p - 1][j] = (float)(l->coef[p - 1][j] / sum);
            abs_sum += fabs(l->coef[p - 1][j]);
        }
        if (l->ceiling / abs_sum < l->quiet || p == 1)
            l->quiet = l->ceiling / abs_sum;
    }
    l->loud_at = -1000;
    for (int i = 0; i < LIM_RING; i++)
        l->r[i] = l->h[i] = 1;
}

/* Push one stereo sample (x0, x1); when a limited sample is ready (after
 * LIM_LOOK + TP_HALF - 1 samples of delay), write it to y and return 1. */
static int lim_push(limiter *l, float x0, float x1, float *y)
{
    int64_t n = l->n_in++;
    l->x[n & (LIM_RING - 1)][0] = x0;
    l->x[n & (LIM_RING - 1)][1] = x1;
    if (fabsf(x0) > l->quiet || fabsf(x1) > l->quiet)
        l->loud_at = n;
    int64_t m = n - TP_HALF; /* its neighbours up to m + TP_HALF are in */
    if (m < 0)
        return 0;
    double pk = 0;
    /* Quiet neighbours (the usual case) cannot add up to a peak over it. */
    for (int ch = 0; ch < 2 && l->loud_at > n - 2 * TP_HALF; ch++) {
        double v = fabs(l->x[m & (LIM_RING - 1)][ch]);
        if (v > pk)
            pk = v;
        for (int p = 0; p < 3; p++) {
            double s = 0;
            for (int j = 0; j < 2 * TP_HALF; j++) {
                int64_t k = m - TP_HALF + 1 + j;
                if (k >= 0)
                    s += l->coef[p][j] * l->x[k & (LIM_RING - 1)][ch];
            }
            if (fabs(s) > pk)
                pk = fabs(s);
        }
    }
    double need = pk > l->ceiling ? l->ceiling / pk : 1;
    l->r[m & (LIM_RING - 1)] = need;
    /* Sliding minimum of r over [m - LIM_LOOK + 1, m]. */
    while (l->dq_n > 0 &&
           l->r[l->dq[(l->dq_head + l->dq_n - 1) & (LIM_RING - 1)] & (LIM_RING - 1)] >= need)
        l->dq_n--;
    l->dq[(l->dq_head + l->dq_n++) & (LIM_RING - 1)] = m;
    int64_t j = m - LIM_LOOK + 1;
    while (l->dq[l->dq_head & (LIM_RING - 1)] < j) {
        l->dq_head++;
        l->dq_n--;
    }
    if (j < 0)
        return 0;
    double mn = l->r[l->dq[l->dq_head & (LIM_RING - 1)] & (LIM_RING - 1)];
    double h = l->hprev + (1 - l->hprev) * l->rel;
    if (mn < h)
        h = mn;
    l->hprev = h;
    /* Moving average of h over [j - LIM_LOOK + 1, j]. */
    l->hsum += h - l->h[(j - LIM_LOOK) & (LIM_RING - 1)];
    l->h[j & (LIM_RING - 1)] = h;
    double g = l->hsum / LIM_LOOK;
    if (g > 1)
        g = 1;
    if (g < l->min_gain)
        l->min_gain = g;
    y[0] = (float)(l->x[j & (LIM_RING - 1)][0] * g);
    y[1] = (float)(l->x[j & (LIM_RING - 1)][1] * g);
    return 1;
}

#define LIM_DELAY (LIM_LOOK + TP_HALF - 1)

/* ------------------------------------------------------------------------
 * The mix.
 */

struct zimu_audio_mix {
    zimu_ctx *c;
    zimu_audio_mix_opts o;
    char *clip_path, *music_path;
    int use_clip;           /* the clip's sound is in the mix */
    int64_t total;          /* samples in the output */
    int64_t fade;           /* samples of fade-out */
    double music_gain;      /* linear, before ducking */
    float *duck;            /* linear gain per speech block (NULL: none) */
    int64_t nduck;
    double gain_db;         /* loudness gain */
    double ceiling_db;
    double measured_lufs;   /* the mix before the gain (-HUGE_VAL: silent) */
    AVCodecParameters *par;
    /* the output pass */
    src clip, music;
    limiter lim;
    int64_t mixed;          /* samples mixed so far */
    int64_t out_n;          /* samples given out */
    float *in, *mbuf, *obuf;
    int obuf_n, obuf_pos;
};

static int open_inputs(zimu_audio_mix *m, src *clip, src *music)
{
    int r = 0;
    memset(clip, 0, sizeof *clip);
    memset(music, 0, sizeof *music);
    if (m->use_clip)
        r = src_open(m->c, clip, m->clip_path, m->o.clip_from_ms, m->total, 0);
    if (r >= 0 && m->music_path) {
        int64_t cap = (int64_t)MUSIC_MAX_S * SR;
        r = src_open(m->c, music, m->music_path, 0, m->total < cap ? m->total : cap, 1);
    }
    if (r < 0) {
        src_close(clip);
        src_close(music);
    }
    return r;
}

/* The ducking gain at sample t: linear between block centres. */
static double duck_at(const zimu_audio_mix *m, int64_t t)
{
    if (!m->duck || m->nduck == 0)
        return 1;
    double b = (t - BLOCK / 2) / (double)BLOCK;
    if (b <= 0)
        return m->duck[0];
    int64_t k = (int64_t)b;
    if (k >= m->nduck - 1)
        return m->duck[m->nduck - 1];
    double f = b - k;
    return m->duck[k] * (1 - f) + m->duck[k + 1] * f;
}

/* Mix n samples starting at sample t into out, from the open inputs. */
static int mix_chunk(zimu_audio_mix *m, src *clip, src *music, int64_t t, float *out,
                     float *mbuf, int n)
{
    int r = src_fill(clip, out, n);
    if (r < 0 || !m->music_path)
        return r;
    if ((r = src_fill(music, mbuf, n)) < 0)
        return r;
    for (int i = 0; i < n; i++) {
        int64_t s = t + i;
        double g = m->music_gain * duck_at(m, s);
        int64_t left = m->total - s;
        if (left < m->fade) {
            double f = (double)left / m->fade;
            g *= f * f;
        }
        out[2 * i] += (float)(mbuf[2 * i] * g);
        out[2 * i + 1] += (float)(mbuf[2 * i + 1] * g);
    }
    return 0;
}

/* ---- pass 1: speech in the clip, loudness of each input ---------------- */

typedef struct bq {
    double b0, b1, b2, a1, a2, z0, z1;
} bq;

/* A second-order Butterworth high pass (hp 1) or low pass (hp 0) at f Hz
 * (bilinear transform of the analogue prototype). */
static void bq_design(bq *q, double f, int hp)
{
    double w = 2 * M_PI * f / SR, cw = cos(w), al = sin(w) / (2 * M_SQRT1_2);
    double a0 = 1 + al;
    double k = hp ? (1 + cw) / 2 : (1 - cw) / 2;
    memset(q, 0, sizeof *q);
    q->b0 = k / a0;
    q->b1 = (hp ? -2 * k : 2 * k) / a0;
    q->b2 = k / a0;
    q->a1 = -2 * cw / a0;
    q->a2 = (1 - al) / a0;
}

static double bq_run(bq *q, double x)
{
    double y = q->b0 * x + q->z0;
    q->z0 = q->b1 * x - q->a1 * y + q->z1;
    q->z1 = q->b2 * x - q->a2 * y;
    return y;
}

#define SPEECH_OVER_DB 10.0     /* over the floor */
#define SPEECH_MIN_DB -50.0     /* band level (dBFS) below which nothing is speech */
#define FLOOR_WIN (3 * BLOCKS_PER_S)
#define SWING_WIN (BLOCKS_PER_S / 4)            /* 250 ms each side */
#define SWING_DB 6.0
#define HOLD_BLOCKS (BLOCKS_PER_S * 3 / 10)     /* 300 ms */
#define ATTACK_BLOCKS (BLOCKS_PER_S / 10)       /* 100 ms */
#define RELEASE_BLOCKS (BLOCKS_PER_S / 2)       /* 500 ms */

/* From the band level per block (dB), the ducking gain per block. */
static int duck_curve(zimu_audio_mix *m, const float *e, int64_t nb, double duck_db)
{
    float *sm = malloc(sizeof *sm * (size_t)(nb ? nb : 1));
    unsigned char *sp = calloc((size_t)(nb ? nb : 1), 1);
    float *g = malloc(sizeof *g * (size_t)(nb ? nb : 1));
    if (!sm || !sp || !g) {
        free(sm);
        free(sp);
        free(g);
        return zimu__fail(m->c, ZIMU_ENOMEM, "out of memory");
    }
    /* Levels smoothed over 3 blocks (in power), for the floor. */
    for (int64_t k = 0; k < nb; k++) {
        double p = 0;
        int c = 0;
        for (int64_t j = k - 1; j <= k + 1; j++)
            if (j >= 0 && j < nb) {
                p += pow(10, e[j] / 10);
                c++;
            }
        sm[k] = (float)(10 * log10(p / c + 1e-20));
    }
    /* Raw decisions: over the floor (lowest smoothed level within 3 s). */
    unsigned char *raw = sp; /* reused: raw first, then held */
    unsigned char *tmp = calloc((size_t)(nb ? nb : 1), 1);
    if (!tmp) {
        free(sm);
        free(sp);
        free(g);
        return zimu__fail(m->c, ZIMU_ENOMEM, "out of memory");
    }
    for (int64_t k = 0; k < nb; k++) {
        float fl = sm[k];
        int64_t a = k - FLOOR_WIN > 0 ? k - FLOOR_WIN : 0;
        int64_t b = k + FLOOR_WIN < nb - 1 ? k + FLOOR_WIN : nb - 1;
        for (int64_t j = a; j <= b; j++)
            if (sm[j] < fl)
                fl = sm[j];
        /* Speech comes in syllables: its level swings within 250 ms;
         * a hum or a fan that starts after silence does not. */
        float lo = e[k], hi = e[k];
        for (int64_t j = k - SWING_WIN; j <= k + SWING_WIN; j++)
            if (j >= 0 && j < nb) {
                lo = e[j] < lo ? e[j] : lo;
                hi = e[j] > hi ? e[j] : hi;
            }
        tmp[k] = e[k] > fl + SPEECH_OVER_DB && e[k] > SPEECH_MIN_DB && hi - lo > SWING_DB;
    }
    /* A lone block (a click) is not speech; then the hold. */
    int64_t hold = -1;
    for (int64_t k = 0; k < nb; k++) {
        int on = tmp[k] && ((k > 0 && tmp[k - 1]) || (k + 1 < nb && tmp[k + 1]));
        if (on)
            hold = k + HOLD_BLOCKS;
        raw[k] = k <= hold;
    }
    free(tmp);
    /* Gain in dB: down during speech, released after, attack ahead. */
    double prev = 0;
    for (int64_t k = 0; k < nb; k++) {
        double d = sp[k] ? -duck_db : 0;
        double up = prev + duck_db / RELEASE_BLOCKS;
        g[k] = (float)(d < up ? d : up);
        if (g[k] > 0)
            g[k] = 0;
        prev = g[k];
    }
    for (int64_t k = nb - 2; k >= 0; k--) {
        double ahead = g[k + 1] + duck_db / ATTACK_BLOCKS;
        if (ahead < g[k])
            g[k] = (float)ahead;
    }
    for (int64_t k = 0; k < nb; k++)
        g[k] = (float)pow(10, g[k] / 20);
    free(sm);
    free(sp);
    m->duck = g;
    m->nduck = nb;
    return 0;
}

static int pass_speech(zimu_audio_mix *m)
{
    src clip, music;
    int r = open_inputs(m, &clip, &music);
    if (r < 0)
        return r;
    int64_t nb = (m->total + BLOCK - 1) / BLOCK;
    float *e = malloc(sizeof *e * (size_t)(nb ? nb : 1));
    float *x = malloc(sizeof *x * 2 * BLOCK);
    zimu_loudness *mc = NULL, *mm = NULL;
    bq hp, lp;
    bq_design(&hp, 300, 1);
    bq_design(&lp, 3400, 0);
    if (!e || !x) {
        r = zimu__fail(m->c, ZIMU_ENOMEM, "out of memory");
        goto done;
    }
    if ((r = zimu__loudness_new(m->c, &mc)) < 0 || (r = zimu__loudness_new(m->c, &mm)) < 0)
        goto done;
    for (int64_t k = 0; k < nb; k++) {
        if (zimu__cancelled(m->c)) {
            r = zimu__fail_cancel(m->c);
            goto done;
        }
        if ((r = src_fill(&clip, x, BLOCK)) < 0)
            goto done;
        if ((r = zimu__loudness_add(mc, x, BLOCK)) < 0)
            goto done;
        double p = 0;
        for (int i = 0; i < BLOCK; i++) {
            double v = bq_run(&lp, bq_run(&hp, 0.5 * (x[2 * i] + x[2 * i + 1])));
            p += v * v;
        }
        e[k] = (float)(10 * log10(p / BLOCK + 1e-20));
        if ((r = src_fill(&music, x, BLOCK)) < 0)
            goto done;
        if ((r = zimu__loudness_add(mm, x, BLOCK)) < 0)
            goto done;
    }
    double duck = m->o.duck_db > 0 ? m->o.duck_db : 10;
    if ((r = duck_curve(m, e, nb, duck)) < 0)
        goto done;
    /* The song 6 LU under the clip's sound, when the clip has some. */
    double lc, lm;
    if ((r = zimu__loudness_lufs(mc, &lc)) < 0 || (r = zimu__loudness_lufs(mm, &lm)) < 0)
        goto done;
    if (lc > -60 && lm > -70) {
        double db = lc - 6 - lm;
        db = db < -30 ? -30 : db > 12 ? 12 : db;
        m->music_gain = pow(10, db / 20);
    }
done:
    free(e);
    free(x);
    zimu__loudness_free(&mc);
    zimu__loudness_free(&mm);
    src_close(&clip);
    src_close(&music);
    return r;
}

/* ---- pass 2: loudness of the mix (limited: with gain_db, else raw) ----- */

static int pass_measure(zimu_audio_mix *m, int limited, double *lufs, double *peak)
{
    src clip, music;
    int r = open_inputs(m, &clip, &music);
    if (r < 0)
        return r;
    float *x = malloc(sizeof *x * 2 * CHUNK), *mb = malloc(sizeof *mb * 2 * CHUNK);
    float *y = malloc(sizeof *y * 2 * (CHUNK + LIM_DELAY));
    limiter *lim = malloc(sizeof *lim);
    zimu_loudness *mt = NULL;
    double pk = 0;
    if (!x || !mb || !y || !lim) {
        r = zimu__fail(m->c, ZIMU_ENOMEM, "out of memory");
        goto done;
    }
    if ((r = zimu__loudness_new(m->c, &mt)) < 0)
        goto done;
    double g = pow(10, m->gain_db / 20);
    lim_init(lim, m->ceiling_db);
    int64_t metered = 0;
    for (int64_t t = 0; t < m->total; t += CHUNK) {
        if (zimu__cancelled(m->c)) {
            r = zimu__fail_cancel(m->c);
            goto done;
        }
        int n = m->total - t < CHUNK ? (int)(m->total - t) : CHUNK;
        if ((r = mix_chunk(m, &clip, &music, t, x, mb, n)) < 0)
            goto done;
        int ny = n;
        if (limited) {
            /* at the end, zeros push the last samples out */
            int flush = t + n >= m->total ? LIM_DELAY : 0;
            ny = 0;
            for (int i = 0; i < n + flush; i++) {
                float a = i < n ? (float)(x[2 * i] * g) : 0;
                float b = i < n ? (float)(x[2 * i + 1] * g) : 0;
                if (lim_push(lim, a, b, y + 2 * ny))
                    ny++;
            }
        } else {
            memcpy(y, x, sizeof *x * 2 * (size_t)n);
        }
        if (metered + ny > m->total)
            ny = (int)(m->total - metered);
        metered += ny;
        for (int i = 0; i < 2 * ny; i++)
            if (fabsf(y[i]) > pk)
                pk = fabsf(y[i]);
        if ((r = zimu__loudness_add(mt, y, ny)) < 0)
            goto done;
    }
    if ((r = zimu__loudness_lufs(mt, lufs)) < 0)
        goto done;
    *peak = pk;
done:
    free(x);
    free(mb);
    free(y);
    free(lim);
    zimu__loudness_free(&mt);
    src_close(&clip);
    src_close(&music);
    return r;
}

static int pass_loudness(zimu_audio_mix *m)
{
    double target = m->o.lufs != 0 ? m->o.lufs : -14;
    double lufs, peak;
    m->gain_db = 0;
    int r = pass_measure(m, 0, &lufs, &peak);
    if (r < 0)
        return r;
    m->measured_lufs = lufs;
    if (!(lufs > -70)) /* silence: nothing to bring up */
        return 0;
    double gain = target - lufs;
    m->gain_db = gain > 40 ? 40 : gain;
    if (peak <= 0 || 20 * log10(peak) + m->gain_db <= m->ceiling_db)
        return 0; /* the limiter will not touch it */
    /* The limiter takes some loudness away: measure it and make up. */
    for (int i = 0; i < 2; i++) {
        if ((r = pass_measure(m, 1, &lufs, &peak)) < 0)
            return r;
        double err = target - lufs;
        if (!(lufs > -70) || fabs(err) < 0.3)
            break;
        m->gain_db += err;
        if (m->gain_db > 40)
            m->gain_db = 40;
    }
    return 0;
}

/* ---- the mix ----------------------------------------------------------- */

#define MAX_MIX_MS (24 * 3600000)

int zimu__audio_mix_open(zimu_ctx *c, zimu_audio_mix **out, const zimu_audio_mix_opts *o)
{
    *out = NULL;
    if (!o->clip_path && !o->music_path)
        return zimu__fail(c, ZIMU_EINVAL, "audio mix: no clip and no music");
    if (o->duration_ms <= 0)
        return zimu__fail(c, ZIMU_EINVAL, "audio mix: the length of the video is not known");
    /* The passes over the sound read all of it (three times with a
     * loudness target): a length past a day is a file's header that lies. */
    if (o->duration_ms > MAX_MIX_MS)
        return zimu__fail(c, ZIMU_EINVAL, "audio mix: the video is said to last %lld hours; "
                          "music and loudness work on videos up to %d hours",
                          (long long)(o->duration_ms / 3600000), MAX_MIX_MS / 3600000);
    double lufs = o->lufs != 0 ? o->lufs : -14, tp = o->true_peak != 0 ? o->true_peak : -1;
    if (!(lufs >= -40 && lufs <= -5) || !(tp >= -9 && tp <= 0))
        return zimu__fail(c, ZIMU_EINVAL, "loudness target %g LUFS, %g dBTP: -40 to -5 LUFS, "
                          "-9 to 0 dBTP", lufs, tp);
    zimu__ffmpeg_log_default();
    zimu_audio_mix *m = calloc(1, sizeof *m);
    if (!m)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    m->c = c;
    m->o = *o;
    m->clip_path = o->clip_path ? strdup(o->clip_path) : NULL;
    m->music_path = o->music_path ? strdup(o->music_path) : NULL;
    m->o.clip_path = m->clip_path;
    m->o.music_path = m->music_path;
    m->use_clip = o->clip_path && !(o->music_path && o->music_replace);
    m->total = av_rescale(o->duration_ms, SR, 1000);
    if (o->clip_to_ms > o->clip_from_ms) {
        int64_t t = av_rescale(o->clip_to_ms - o->clip_from_ms, SR, 1000);
        if (t < m->total)
            m->total = t;
    }
    /* The fade: 2 s, at most a quarter of the video. */
    int64_t fade_ms = o->fade_ms > 0 ? o->fade_ms : 2000;
    if (fade_ms > o->duration_ms / 4)
        fade_ms = o->duration_ms / 4;
    m->fade = av_rescale(fade_ms, SR, 1000);
    if (m->fade < 1)
        m->fade = 1;
    m->music_gain = 1;
    m->measured_lufs = -HUGE_VAL;
    /* The ceiling: 1 dB under the true-peak target (AAC adds peaks). */
    m->ceiling_db = tp - 1;
    int r = 0;
    if ((o->clip_path && !m->clip_path) || (o->music_path && !m->music_path) ||
        !(m->par = avcodec_parameters_alloc())) {
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        goto fail;
    }
    m->par->codec_type = AVMEDIA_TYPE_AUDIO;
    m->par->codec_id = AV_CODEC_ID_PCM_F32LE;
    m->par->format = AV_SAMPLE_FMT_FLT;
    m->par->sample_rate = SR;
    av_channel_layout_default(&m->par->ch_layout, 2);

    /* Fail early on inputs that cannot be read. */
    src a, b;
    if ((r = open_inputs(m, &a, &b)) < 0)
        goto fail;
    int clip_sound = a.fmt != NULL;
    src_close(&a);
    src_close(&b);
    if (!clip_sound)
        m->use_clip = 0;
    if (m->use_clip && m->music_path && (r = pass_speech(m)) < 0)
        goto fail;
    if (o->loudnorm && (r = pass_loudness(m)) < 0)
        goto fail;
    if ((r = open_inputs(m, &m->clip, &m->music)) < 0)
        goto fail;
    lim_init(&m->lim, m->ceiling_db);
    m->in = malloc(sizeof *m->in * 2 * CHUNK);
    m->mbuf = malloc(sizeof *m->mbuf * 2 * CHUNK);
    m->obuf = malloc(sizeof *m->obuf * 2 * (CHUNK + LIM_DELAY));
    if (!m->in || !m->mbuf || !m->obuf) {
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        goto fail;
    }
    if (o->loudnorm)
        zimu__log(c, ZIMU_LOG_INFO, "loudness: %.1f LUFS measured, %+.1f dB to %.1f LUFS",
                  m->measured_lufs, m->gain_db, lufs);
    *out = m;
    return 0;
fail:
    zimu__audio_mix_free(&m);
    return r;
}

const AVCodecParameters *zimu__audio_mix_par(const zimu_audio_mix *m)
{
    return m ? m->par : NULL;
}

void zimu__audio_mix_loudness(const zimu_audio_mix *m, double *measured_lufs, double *gain_db)
{
    *measured_lufs = m ? m->measured_lufs : -HUGE_VAL;
    *gain_db = m ? m->gain_db : 0;
}

/* Mix, gain and limit the next chunk into obuf. */
static int fill_obuf(zimu_audio_mix *m)
{
    int64_t t = m->mixed;
    int n = m->total - t < CHUNK ? (int)(m->total - t) : CHUNK;
    int r = mix_chunk(m, &m->clip, &m->music, t, m->in, m->mbuf, n);
    if (r < 0)
        return r;
    m->mixed += n;
    double g = pow(10, m->gain_db / 20);
    int flush = m->mixed >= m->total ? LIM_DELAY : 0;
    m->obuf_n = m->obuf_pos = 0;
    for (int i = 0; i < n + flush; i++) {
        float a = i < n ? (float)(m->in[2 * i] * g) : 0;
        float b = i < n ? (float)(m->in[2 * i + 1] * g) : 0;
        if (lim_push(&m->lim, a, b, m->obuf + 2 * m->obuf_n))
            m->obuf_n++;
    }
    return 0;
}

int zimu__audio_mix_read(zimu_audio_mix *m, AVFrame **frame)
{
    *frame = NULL;
    if (m->out_n >= m->total)
        return 0;
    if (zimu__cancelled(m->c))
        return zimu__fail_cancel(m->c);
    int64_t want = m->total - m->out_n < FRAME ? m->total - m->out_n : FRAME;
    AVFrame *f = av_frame_alloc();
    if (!f)
        return zimu__fail(m->c, ZIMU_ENOMEM, "out of memory");
    f->format = AV_SAMPLE_FMT_FLT;
    f->sample_rate = SR;
    f->nb_samples = (int)want;
    f->pts = m->out_n;
    f->time_base = (AVRational){1, SR};
    int r = av_channel_layout_copy(&f->ch_layout, &m->par->ch_layout);
    if (r < 0 || av_frame_get_buffer(f, 0) < 0) {
        av_frame_free(&f);
        return zimu__fail(m->c, ZIMU_ENOMEM, "out of memory");
    }
    float *dst = (float *)f->data[0];
    int got = 0;
    while (got < want) {
        if (m->obuf_pos == m->obuf_n) {
            if (m->mixed >= m->total)
                break; /* the flush gave every sample */
            if ((r = fill_obuf(m)) < 0) {
                av_frame_free(&f);
                return r;
            }
            continue;
        }
        int k = m->obuf_n - m->obuf_pos;
        if (k > want - got)
            k = (int)(want - got);
        memcpy(dst + 2 * got, m->obuf + 2 * m->obuf_pos, sizeof *dst * 2 * (size_t)k);
        m->obuf_pos += k;
        got += k;
    }
    f->nb_samples = got;
    m->out_n += got;
    if (got == 0) {
        av_frame_free(&f);
        return 0;
    }
    *frame = f;
    return 1;
}

void zimu__audio_mix_free(zimu_audio_mix **pm)
{
    zimu_audio_mix *m = pm ? *pm : NULL;
    if (!m)
        return;
    *pm = NULL;
    src_close(&m->clip);
    src_close(&m->music);
    avcodec_parameters_free(&m->par);
    free(m->duck);
    free(m->in);
    free(m->mbuf);
    free(m->obuf);
    free(m->clip_path);
    free(m->music_path);
    free(m);
}
