/* beats.c - beat tracking (zimu_beats): tempo, beat times and downbeats of
 * the sound track of any audio or video file.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The method (after D. Ellis, "Beat Tracking by Dynamic Programming",
 * 2007), in five steps:
 *  1. decode, mix to mono and resample to 22050 Hz (libswresample);
 *  2. onset strength: spectral flux of the log magnitude (a 1024-point
 *     Hann-windowed real FFT from av_tx every 220 samples, about 10 ms),
 *     half-wave rectified (increases under 1.7 dB ignored: steady tones
 *     ripple that much), less a short local mean; under a floor of mean
 *     flux the sound has no onsets (silence, held notes); a second envelope of
 *     the bands below 200 Hz carries the accents (kick, bass);
 *  3. tempo: the autocorrelation of the accent-weighted envelope, weighted
 *     by a log-normal prior around 120 BPM (one octave wide) inside the BPM
 *     range; the peak refined to a fraction of a frame;
 *  4. beats: dynamic programming (each frame's best score is its onset
 *     strength plus the best earlier beat's score less a penalty for how
 *     far the gap is from the period, on a log scale), backtraced from the
 *     best end, each beat then moved to the onset peak nearby;
 *  5. downbeats: the phase of 4 (or 3) beats whose beats carry clearly the
 *     most low-band onset energy; none when no phase stands out.
 * The confidence combines how peaked the autocorrelation is with how well
 * the beats land on onsets; below ZIMU__BEATS_MIN_CONF there are no beats.
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
#include <libavutil/mem.h>
#include <libavutil/opt.h>
#include <libavutil/tx.h>
#include <libswresample/swresample.h>

#include "internal.h"

#define SR 22050
#define NFFT 1024
#define HOP 220
#define FPS ((double)SR / HOP)
/* At most this much sound is analysed (the start of a longer file). */
#define MAX_SECONDS (20 * 60)
#define MIN_CONF 0.25
#define LOW_HZ 200.0
/* Calibration of onset times (seconds), measured on clicks and kicks. */
#define ZIMU__BEATS_LAG 0.0

struct zimu_beats {
    zimu_ctx ctx;
    double min_bpm, max_bpm;
    double given_bpm;   /* 0: none */
    double first_beat;  /* < 0: none */
    double bpm, conf;
    double *beats;
    int n_beats;
    double *down;
    int n_down;
};

zimu_beats *zimu_beats_new(void)
{
    zimu_beats *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->ctx.magic = ZIMU__MAGIC_BEATS;
    b->min_bpm = 60;
    b->max_bpm = 180;
    b->first_beat = -1;
    return b;
}

static void reset(zimu_beats *b)
{
    free(b->beats);
    free(b->down);
    b->beats = b->down = NULL;
    b->n_beats = b->n_down = 0;
    b->bpm = b->conf = 0;
}

static int bad(const zimu_beats *b)
{
    return !b || b->ctx.magic != ZIMU__MAGIC_BEATS;
}

void zimu_beats_free(zimu_beats **pb)
{
    zimu_beats *b = pb ? *pb : NULL;
    if (bad(b)) /* not a live beats handle: left alone */
        return;
    *pb = NULL;
    reset(b);
    b->ctx.magic = 0;
    free(b);
}

int zimu_beats_set_bpm_range(zimu_beats *b, double min_bpm, double max_bpm)
{
    if (bad(b))
        return ZIMU_EBADHANDLE;
    if (!(min_bpm >= 30 && max_bpm <= 300 && max_bpm >= min_bpm * 1.25))
        return zimu__fail(&b->ctx, ZIMU_EINVAL,
                          "BPM range %g-%g: both within 30-300, the highest at least "
                          "1.25 times the lowest", min_bpm, max_bpm);
    b->min_bpm = min_bpm;
    b->max_bpm = max_bpm;
    return 0;
}

int zimu_beats_set_bpm(zimu_beats *b, double bpm)
{
    if (bad(b))
        return ZIMU_EBADHANDLE;
    if (!(bpm == 0 || (bpm >= 30 && bpm <= 300)))
        return zimu__fail(&b->ctx, ZIMU_EINVAL, "BPM %g: 30-300, or 0 for none", bpm);
    b->given_bpm = bpm;
    return 0;
}

int zimu_beats_set_first_beat(zimu_beats *b, double seconds)
{
    if (bad(b))
        return ZIMU_EBADHANDLE;
    if (!(seconds < 0 || seconds <= MAX_SECONDS))
        return zimu__fail(&b->ctx, ZIMU_EINVAL, "first beat %g s: out of range", seconds);
    b->first_beat = seconds < 0 ? -1 : seconds;
    return 0;
}

double zimu_beats_bpm(const zimu_beats *b) { return bad(b) ? 0 : b->bpm; }
double zimu_beats_confidence(const zimu_beats *b) { return bad(b) ? 0 : b->conf; }
int zimu_beats_count(const zimu_beats *b) { return bad(b) ? ZIMU_EBADHANDLE : b->n_beats; }
int zimu_beats_downbeat_count(const zimu_beats *b) { return bad(b) ? ZIMU_EBADHANDLE : b->n_down; }
double zimu_beats_time(const zimu_beats *b, int i)
{
    return bad(b) || i < 0 || i >= b->n_beats ? -1 : b->beats[i];
}
double zimu_beats_downbeat_time(const zimu_beats *b, int i)
{
    return bad(b) || i < 0 || i >= b->n_down ? -1 : b->down[i];
}

/* ------------------------------------------------------------------------
 * Decoding: the whole sound track as mono float at SR.
 */

typedef struct {
    float *s;
    size_t n, cap;
} pcm;

static int pcm_add(pcm *p, const float *s, size_t n)
{
    size_t max = (size_t)MAX_SECONDS * SR;
    if (p->n + n > max)
        n = max - p->n;
    if (p->n + n > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : (size_t)SR * 16;
        while (cap < p->n + n)
            cap *= 2;
        float *ns = realloc(p->s, cap * sizeof *ns);
        if (!ns)
            return ZIMU_ENOMEM;
        p->s = ns;
        p->cap = cap;
    }
    memcpy(p->s + p->n, s, n * sizeof *s);
    p->n += n;
    return 0;
}

/* Convert frame f (NULL: flush what the resampler holds) into p. */
static int resample_out(zimu_ctx *c, SwrContext *swr, const AVFrame *f, pcm *p)
{
    int cap = swr_get_out_samples(swr, f ? f->nb_samples : 0);
    if (cap < 0)
        return zimu__fail_av(c, ZIMU_EFFMPEG, cap, "resampling");
    if (cap == 0)
        return 0;
    float *buf = malloc(sizeof *buf * (size_t)cap);
    if (!buf)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    uint8_t *out[1] = {(uint8_t *)buf};
    int n = swr_convert(swr, out, cap, f ? (const uint8_t **)f->extended_data : NULL,
                        f ? f->nb_samples : 0);
    int r = 0;
    if (n < 0)
        r = zimu__fail_av(c, ZIMU_EFFMPEG, n, "resampling");
    else if (pcm_add(p, buf, (size_t)n) < 0)
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    free(buf);
    return r;
}

static int decode_audio(zimu_ctx *c, const char *path, pcm *p)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || access(path, R_OK) != 0)
        return zimu__fail_file(c, ZIMU_ENOENT, path, "%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: is a directory, not a media file",
                               path);
    zimu__ffmpeg_log_default();
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    SwrContext *swr = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *fr = av_frame_alloc();
    int r = 0;
    if (!pkt || !fr) {
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        goto done;
    }
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0) {
        r = zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: not a media file FFmpeg can read",
                            path);
        goto done;
    }
    if (avformat_find_stream_info(fmt, NULL) < 0) {
        r = zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: cannot read its streams", path);
        goto done;
    }
    const AVCodec *codec = NULL;
    int si = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (si == AVERROR_STREAM_NOT_FOUND) {
        r = zimu__fail_file(c, ZIMU_ENOVIDEO, path, "%s: no audio stream", path);
        goto done;
    }
    if (si < 0 || !codec) {
        r = zimu__fail_file(c, ZIMU_ECODEC, path, "%s: no decoder for its audio", path);
        goto done;
    }
    if (!(dec = avcodec_alloc_context3(codec)) ||
        avcodec_parameters_to_context(dec, fmt->streams[si]->codecpar) < 0 ||
        avcodec_open2(dec, codec, NULL) < 0) {
        r = zimu__fail_file(c, ZIMU_ECODEC, path, "%s: cannot open its audio decoder", path);
        goto done;
    }
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    for (;;) {
        if (zimu__cancelled(c)) {
            r = zimu__fail_cancel(c);
            goto done;
        }
        int rr = av_read_frame(fmt, pkt);
        if (rr == AVERROR_EOF || p->n >= (size_t)MAX_SECONDS * SR)
            rr = avcodec_send_packet(dec, NULL);
        else if (rr < 0) {
            r = zimu__fail_file(c, ZIMU_EDECODE, path, "%s: read error", path);
            goto done;
        } else {
            if (pkt->stream_index != si) {
                av_packet_unref(pkt);
                continue;
            }
            rr = avcodec_send_packet(dec, pkt);
            av_packet_unref(pkt);
            if (rr < 0 && rr != AVERROR(EAGAIN))
                continue; /* a damaged packet: skip it */
        }
        int eof = 0;
        for (;;) {
            int d = avcodec_receive_frame(dec, fr);
            if (d == AVERROR(EAGAIN))
                break;
            if (d == AVERROR_EOF) {
                eof = 1;
                break;
            }
            if (d < 0)
                break;
            if (!swr) {
                /* A layout without channel names: the usual one for the count. */
                AVChannelLayout in = {0};
                if (fr->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
                    av_channel_layout_default(&in, fr->ch_layout.nb_channels);
                else
                    av_channel_layout_copy(&in, &fr->ch_layout);
                int sr = swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_FLT, SR, &in,
                                             fr->format, fr->sample_rate, 0, NULL);
                av_channel_layout_uninit(&in);
                if (sr < 0 ||
                    swr_init(swr) < 0) {
                    r = zimu__fail_file(c, ZIMU_EFFMPEG, path, "%s: cannot resample its audio",
                                        path);
                    av_frame_unref(fr);
                    goto done;
                }
            }
            r = resample_out(c, swr, fr, p);
            av_frame_unref(fr);
            if (r < 0)
                goto done;
        }
        if (eof)
            break;
    }
    if (swr)
        r = resample_out(c, swr, NULL, p);
done:
    swr_free(&swr);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&fr);
    return r;
}

/* ------------------------------------------------------------------------
 * Analysis.
 */

/* Onset envelopes (full band and below LOW_HZ), n frames each. */
static int onsets(const pcm *p, float **full, float **low, int *nf)
{
    int n = p->n > NFFT ? (int)((p->n - NFFT) / HOP) + 1 : 0;
    *nf = n;
    *full = calloc((size_t)n + 1, sizeof **full);
    *low = calloc((size_t)n + 1, sizeof **low);
    AVTXContext *tx = NULL;
    av_tx_fn fn;
    float scale = 1.0f;
    float *in = av_malloc(sizeof(float) * (NFFT + 2));
    AVComplexFloat *out = av_malloc(sizeof(AVComplexFloat) * (NFFT / 2 + 1));
    float *prev = calloc(NFFT / 2 + 1, sizeof *prev), *cur = calloc(NFFT / 2 + 1, sizeof *cur);
    float win[NFFT];
    int r = 0;
    if (!*full || !*low || !in || !out || !prev || !cur ||
        av_tx_init(&tx, &fn, AV_TX_FLOAT_RDFT, 0, NFFT, &scale, 0) < 0) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    for (int i = 0; i < NFFT; i++)
        win[i] = (float)(0.5 - 0.5 * cos(2 * M_PI * i / NFFT));
    int low_bins = (int)(LOW_HZ * NFFT / SR) + 1;
    for (int t = 0; t < n; t++) {
        const float *s = p->s + (size_t)t * HOP;
        for (int i = 0; i < NFFT; i++)
            in[i] = s[i] * win[i];
        fn(tx, out, in, sizeof(AVComplexFloat));
        double fl = 0, lo = 0;
        for (int k = 1; k <= NFFT / 2; k++) {
            float m = sqrtf(out[k].re * out[k].re + out[k].im * out[k].im);
            cur[k] = logf(1.0f + 100.0f * m);
            /* Increases under 0.2 (about 1.7 dB) are the ripple of steady
             * tones, not onsets. */
            float d = cur[k] - prev[k];
            if (t > 0 && d > 0.2f) {
                fl += d;
                if (k <= low_bins)
                    lo += d;
            }
        }
        (*full)[t] = (float)fl;
        (*low)[t] = (float)lo;
        float *tmp = prev;
        prev = cur;
        cur = tmp;
    }
done:
    av_tx_uninit(&tx);
    av_free(in);
    av_free(out);
    free(prev);
    free(cur);
    return r;
}

/* x less its local mean over +-w frames, half-wave rectified. */
static void less_local_mean(const float *x, float *y, int n, int w)
{
    double sum = 0;
    int lo = 0, hi = 0; /* window [lo, hi) */
    for (int t = 0; t < n; t++) {
        while (hi < n && hi <= t + w)
            sum += x[hi++];
        while (lo < t - w)
            sum -= x[lo++];
        double m = sum / (hi - lo);
        y[t] = x[t] > m ? (float)(x[t] - m) : 0;
    }
}

static double prior(double bpm)
{
    double o = log2(bpm / 120.0);
    return exp(-0.5 * o * o);
}

/* Parabolic interpolation of the peak of y at i. */
static double parabolic(const double *y, int i, int n)
{
    if (i <= 0 || i >= n - 1)
        return i;
    double a = y[i - 1], b = y[i], c = y[i + 1];
    double d = a - 2 * b + c;
    if (d >= 0)
        return i;
    double off = 0.5 * (a - c) / d;
    return i + (off > 0.5 ? 0.5 : off < -0.5 ? -0.5 : off);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Is there an onset (a peak well above the mean) within 35 ms of frame t? */
static int on_onset(const float *env, int nf, int t, double mean)
{
    int w = (int)(0.035 * FPS);
    for (int u = t - w; u <= t + w; u++)
        if (u >= 0 && u < nf && env[u] > mean + 1.0)
            return 1;
    return 0;
}

static int analyze(zimu_beats *b, const pcm *p)
{
    float *full = NULL, *low = NULL, *env = NULL, *envl = NULL;
    double *ac = NULL, *acl = NULL, *score = NULL;
    int *back = NULL, *bf = NULL;
    int nf = 0, r = 0;
    if (onsets(p, &full, &low, &nf) < 0) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    if (nf < (int)(4 * FPS))
        goto done; /* under 4 s: too short to tell */
    env = calloc((size_t)nf, sizeof *env);
    envl = calloc((size_t)nf, sizeof *envl);
    if (!env || !envl) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    less_local_mean(low, envl, nf, 8);
    less_local_mean(full, env, nf, 8);
    /* Accent weighting: the low bands count as much again as the whole
     * spectrum, each scaled to its own mean. */
    double mf = 0, ml = 0;
    for (int t = 0; t < nf; t++)
        mf += env[t], ml += envl[t];
    mf /= nf;
    ml /= nf;
    if (mf < 1.0)
        goto done; /* silence, or steady tones: no onsets worth the name */
    double sd = 0;
    for (int t = 0; t < nf; t++) {
        env[t] = (float)(env[t] / mf + (ml > 1e-9 * mf ? envl[t] / ml : 0));
        sd += (double)env[t] * env[t];
    }
    sd = sqrt(sd / nf);
    for (int t = 0; t < nf; t++)
        env[t] = (float)(env[t] / sd);

    /* Tempo: the weighted, unbiased autocorrelation of the envelope less
     * its mean, over the lags of the range (and twice the longest lag). */
    double mean = 0;
    for (int t = 0; t < nf; t++)
        mean += env[t];
    mean /= nf;
    int maxlag = (int)(FPS * 60 / b->min_bpm * 2) + 2;
    if (maxlag > nf / 2)
        maxlag = nf / 2;
    ac = calloc((size_t)maxlag + 1, sizeof *ac);
    acl = calloc((size_t)maxlag + 1, sizeof *acl);
    if (!ac || !acl) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    for (int l = 0; l <= maxlag; l++) {
        double s = 0;
        for (int t = 0; t + l < nf; t++)
            s += (env[t] - mean) * (env[t + l] - mean);
        ac[l] = s / (nf - l);
    }
    double meanl = 0;
    for (int t = 0; t < nf; t++)
        meanl += envl[t];
    meanl /= nf;
    for (int l = 0; l <= maxlag; l++) {
        double s = 0;
        for (int t = 0; t + l < nf; t++)
            s += (envl[t] - meanl) * (envl[t + l] - meanl);
        acl[l] = s / (nf - l);
    }
    if (ac[0] <= 0)
        goto done;
    double period; /* frames */
    int lmin = (int)floor(FPS * 60 / b->max_bpm), lmax = (int)ceil(FPS * 60 / b->min_bpm);
    if (lmax > maxlag - 1)
        lmax = maxlag - 1;
    if (lmin < 2)
        lmin = 2;
    if (b->given_bpm > 0) {
        period = FPS * 60 / b->given_bpm;
    } else {
        if (lmin >= lmax)
            goto done;
        int best = -1;
        double bw = 0;
        for (int l = lmin; l <= lmax; l++) {
            if (!(ac[l] > ac[l - 1] && ac[l] >= ac[l + 1]))
                continue; /* local peaks only */
            double w = ac[l] * prior(FPS * 60 / l);
            if (best < 0 || w > bw)
                best = l, bw = w;
        }
        if (best < 0)
            goto done;
        /* Accents: a beat shows in the low bands (kick, bass) when they
         * have a pulse at all. When they pulse at twice the lag found but
         * hardly at the lag itself (a kick on each beat, a hat between),
         * the beat is the slower one. */
        int l2 = 2 * best;
        if (l2 + 2 <= maxlag && l2 <= lmax + 1 && acl[0] > 0) {
            int m = l2;
            for (int l = l2 - 2; l <= l2 + 2; l++)
                if (ac[l] > ac[m])
                    m = l;
            double at1 = fmax(acl[best - 1], fmax(acl[best], acl[best + 1]));
            double at2 = fmax(acl[m - 1], fmax(acl[m], acl[m + 1]));
            if (at2 > 0.2 * acl[0] && at1 < 0.3 * at2)
                best = m;
        }
        /* The other way: at half the lag (in range), onsets as strong as
         * at the lag, in the whole spectrum and in the low bands alike
         * (every click the same): each of them is a beat. */
        int h = (best + 1) / 2;
        if (h - 1 >= lmin && h + 1 <= lmax && acl[0] > 0) {
            int m = h;
            for (int l = h - 1; l <= h + 1; l++)
                if (ac[l] > ac[m])
                    m = l;
            double lo1 = fmax(acl[m - 1], fmax(acl[m], acl[m + 1]));
            double lo2 = fmax(acl[best - 1], fmax(acl[best], acl[best + 1]));
            if (ac[m] >= 0.9 * ac[best] && lo1 >= 0.7 * lo2)
                best = m;
        }
        period = parabolic(ac, best, maxlag + 1);
        /* Sharper: the peak at twice the lag, when there is one, halved. */
        l2 = (int)lround(2 * period);
        if (l2 + 1 <= maxlag) {
            int m = l2;
            for (int l = l2 - 2; l <= l2 + 2 && l < maxlag; l++)
                if (l > 0 && ac[l] > ac[m])
                    m = l;
            if (ac[m] > 0.5 * ac[best])
                period = parabolic(ac, m, maxlag + 1) / 2;
        }
    }
    int pl = (int)lround(period);
    double peak = pl <= maxlag ? ac[pl] : 0;
    for (int l = pl - 1; l <= pl + 1; l++)
        if (l > 0 && l <= maxlag && ac[l] > peak)
            peak = ac[l];
    double conf_ac = peak / ac[0];
    if (conf_ac < 0)
        conf_ac = 0;

    /* Beats by dynamic programming. */
    score = calloc((size_t)nf, sizeof *score);
    back = calloc((size_t)nf, sizeof *back);
    if (!score || !back) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    int f0 = b->first_beat >= 0 ? (int)lround(b->first_beat * FPS) : -1;
    const double alpha = 20;
    int gmin = (int)floor(period / 2), gmax = (int)ceil(period * 2);
    for (int t = 0; t < nf; t++) {
        double o = env[t] + (t == f0 ? 1e6 : 0);
        double bs = 0;
        int bi = -1;
        for (int g = gmin; g <= gmax && g <= t; g++) {
            double lg = log(g / period);
            double s = score[t - g] - alpha * lg * lg;
            if (bi < 0 || s > bs)
                bs = s, bi = t - g;
        }
        if (bi >= 0 && bs > 0) {
            score[t] = o + bs;
            back[t] = bi;
        } else {
            score[t] = o;
            back[t] = -1;
        }
    }
    /* The end: the best score in the last period, among frames whose
     * score is near the best local maxima (Ellis's choice). */
    int end = nf - 1;
    {
        double bs = -1;
        for (int t = nf - 1; t >= 0 && t >= nf - 1 - (int)ceil(period); t--)
            if (score[t] > bs)
                bs = score[t], end = t;
    }
    int nb = 0;
    for (int t = end; t >= 0; t = back[t]) {
        nb++;
        if (back[t] < 0)
            break;
    }
    bf = malloc(sizeof *bf * (size_t)(nb ? nb : 1));
    if (!bf) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    {
        int i = nb;
        for (int t = end; t >= 0 && i > 0; t = back[t]) {
            bf[--i] = t;
            if (back[t] < 0)
                break;
        }
    }
    /* The first and last beats must land on an onset: none are made up in
     * a silent or fading start or end. */
    int lo = 0, hi = nb;
    while (lo < hi && !on_onset(env, nf, bf[lo], mean))
        lo++;
    while (hi > lo && !on_onset(env, nf, bf[hi - 1], mean))
        hi--;
    if (f0 >= 0) /* nothing before the given first beat */
        while (lo < hi && bf[lo] < f0 - 1)
            lo++;
    int n = hi - lo;
    if (n < 4)
        goto done;
    /* How well beats land on onsets: share of beats at a local peak of
     * the envelope above its mean. */
    int hits = 0;
    b->beats = malloc(sizeof *b->beats * (size_t)n);
    if (!b->beats) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    double *ibi = malloc(sizeof *ibi * (size_t)n);
    if (!ibi) {
        r = ZIMU_ENOMEM;
        goto done;
    }
    int w = (int)(0.035 * FPS); /* search +-35 ms for the onset peak */
    for (int i = 0; i < n; i++) {
        int t = bf[lo + i], m = t;
        for (int u = t - w; u <= t + w; u++)
            if (u >= 0 && u < nf && env[u] > env[m])
                m = u;
        if (env[m] > mean + 1.0)
            hits++;
        else
            m = t;
        double y[3] = {m > 0 ? env[m - 1] : 0, env[m], m + 1 < nf ? env[m + 1] : 0};
        double pos = m + parabolic(y, 1, 3) - 1;
        /* A frame's flux belongs to the sound that entered its window: the
         * onset is at about the middle of the frame's first hop. */
        double tm = (pos * HOP + NFFT - HOP) / (double)SR - ZIMU__BEATS_LAG;
        if (tm < 0)
            tm = 0;
        b->beats[i] = floor(tm * 1000 + 0.5) / 1000;
    }
    b->n_beats = n;
    for (int i = 1; i < n; i++)
        ibi[i - 1] = b->beats[i] - b->beats[i - 1];
    qsort(ibi, (size_t)n - 1, sizeof *ibi, cmp_double);
    double med = ibi[(n - 1) / 2];
    free(ibi);
    /* Tempo: the least-squares slope of the beats over their index among
     * the beats at about the median gap, else the autocorrelation's. */
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            double x = i, y = b->beats[i];
            sx += x, sy += y, sxx += x * x, sxy += x * y;
            k++;
        }
        double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
        double bpm = fabs(slope - med) < 0.03 * med ? 60 / slope : 60 / med;
        b->bpm = floor(bpm * 10 + 0.5) / 10;
    }
    double conf_hit = (double)hits / n;
    b->conf = fmin(1, 1.2 * conf_ac) * (0.5 + 0.5 * conf_hit);
    if (b->conf < MIN_CONF) {
        reset(b);
        goto done;
    }
    b->conf = floor(b->conf * 100 + 0.5) / 100;

    /* Downbeats: of 4 (or 3) phases, the one whose beats carry the most
     * low-band onset energy, if it stands out from every other phase. */
    {
        double best_ratio = 0;
        int best_m = 0, best_p = 0;
        for (int M = 4; M >= 3; M--) {
            if (n < 3 * M)
                continue;
            double e[4] = {0}, cnt[4] = {0};
            for (int i = 0; i < n; i++) {
                int t = bf[lo + i];
                double v = 0;
                for (int u = t - 2; u <= t + 2; u++)
                    if (u >= 0 && u < nf && envl[u] > v)
                        v = envl[u];
                e[i % M] += v;
                cnt[i % M]++;
            }
            int bp = 0;
            for (int q = 0; q < M; q++) {
                e[q] /= cnt[q];
                if (e[q] > e[bp])
                    bp = q;
            }
            double second = 0;
            for (int q = 0; q < M; q++)
                if (q != bp && e[q] > second)
                    second = e[q];
            double ratio = second > 0 ? e[bp] / second : (e[bp] > 0 ? 10 : 0);
            if (ratio > best_ratio)
                best_ratio = ratio, best_m = M, best_p = bp;
        }
        if (best_m && best_ratio >= 1.5) {
            int nd = (n - best_p + best_m - 1) / best_m;
            b->down = malloc(sizeof *b->down * (size_t)(nd ? nd : 1));
            if (!b->down) {
                r = ZIMU_ENOMEM;
                goto done;
            }
            for (int i = best_p; i < n; i += best_m)
                b->down[b->n_down++] = b->beats[i];
        }
    }
done:
    free(full);
    free(low);
    free(env);
    free(envl);
    free(ac);
    free(acl);
    free(score);
    free(back);
    free(bf);
    if (r == ZIMU_ENOMEM)
        reset(b);
    return r;
}

int zimu_beats_analyze(zimu_beats *b, const char *path)
{
    if (bad(b))
        return ZIMU_EBADHANDLE;
    zimu__clear(&b->ctx);
    reset(b);
    if (!path)
        return zimu__fail(&b->ctx, ZIMU_EINVAL, "no file to analyse");
    pcm p = {0};
    int r = decode_audio(&b->ctx, path, &p);
    if (r >= 0) {
        r = analyze(b, &p);
        if (r == ZIMU_ENOMEM)
            zimu__fail(&b->ctx, r, "out of memory");
    }
    free(p.s);
    return r < 0 ? r : 0;
}
