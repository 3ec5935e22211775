/* loudness.c - integrated loudness by libavfilter's ebur128 filter
 * (loudness.h).
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The graph: abuffer (48 kHz stereo float) -> ebur128=metadata=1 ->
 * abuffersink; the graph converts float to the double the filter takes.
 * How the filter reports (FFmpeg 5.1, libavfilter/f_ebur128.c): with
 * metadata on it takes its input in frames of 100 ms (4800 samples); at
 * the end of each 100 ms it closes a 400 ms block (K-weighted mean square,
 * none before the first 400 ms), and a block of at least -70 LUFS updates
 * the integrated loudness (block loudnesses kept in a histogram of 0.01 LU
 * steps, gated at -70 LUFS and 10 LU under the mean of those blocks); the
 * frame then carries "lavfi.r128.I" (and M, S, LRA), "%.3f". It starts at
 * -70 and stays there while no block reaches -70 LUFS. The last frame,
 * shorter than 100 ms at the end of the input, carries no metadata: the
 * value is the last one seen. Its frame log goes to FFmpeg's log at the
 * verbose level and its summary, when the graph is freed, at info (FFmpeg
 * 5.1 has no quiet setting for them); zimu keeps FFmpeg's log quiet unless
 * the caller took it over.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>

#include "loudness.h"

#define RATE 48000
/* What the filter's integrated loudness is while no block passed the
 * -70 LUFS gate. */
#define SILENT_LUFS -70.0

struct zimu_loudness {
    zimu_ctx *c;
    AVFilterGraph *graph;
    AVFilterContext *src, *sink;
    AVFrame *in, *out;
    int64_t pts;        /* samples given */
    double lufs;        /* the last integrated loudness reported */
    int ended;
};

static int add_filter(zimu_loudness *l, AVFilterContext **f, const char *name,
                      const char *args, AVFilterContext *prev)
{
    int r = avfilter_graph_create_filter(f, avfilter_get_by_name(name), NULL, args, NULL,
                                         l->graph);
    if (r >= 0 && prev)
        r = avfilter_link(prev, 0, *f, 0);
    return r;
}

int zimu__loudness_new(zimu_ctx *c, zimu_loudness **out)
{
    *out = NULL;
    zimu__ffmpeg_log_default();
    zimu_loudness *l = calloc(1, sizeof *l);
    if (!l)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    l->c = c;
    l->lufs = SILENT_LUFS;
    l->graph = avfilter_graph_alloc();
    l->in = av_frame_alloc();
    l->out = av_frame_alloc();
    if (!l->graph || !l->in || !l->out) {
        zimu__loudness_free(&l);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    l->graph->nb_threads = 1;
    AVFilterContext *meter = NULL;
    int r = add_filter(l, &l->src, "abuffer",
                       "sample_rate=48000:sample_fmt=flt:channel_layout=stereo:time_base=1/48000",
                       NULL);
    if (r >= 0)
        r = add_filter(l, &meter, "ebur128", "metadata=1", l->src);
    if (r >= 0)
        r = add_filter(l, &l->sink, "abuffersink", NULL, meter);
    if (r >= 0)
        r = avfilter_graph_config(l->graph, NULL);
    if (r < 0) {
        zimu__loudness_free(&l);
        return zimu__fail_av(c, r == AVERROR(ENOMEM) ? ZIMU_ENOMEM : ZIMU_EFFMPEG, r,
                             "loudness meter (ebur128 filter)");
    }
    *out = l;
    return 0;
}

/* Take what the filter let through, keeping its integrated loudness. */
static int drain(zimu_loudness *l)
{
    for (;;) {
        int r = av_buffersink_get_frame(l->sink, l->out);
        if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
            return 0;
        if (r < 0)
            return zimu__fail_av(l->c, ZIMU_EFFMPEG, r, "loudness meter");
        const AVDictionaryEntry *e = av_dict_get(l->out->metadata, "lavfi.r128.I", NULL, 0);
        if (e)
            l->lufs = zimu__strtod(e->value, NULL);
        av_frame_unref(l->out);
    }
}

int zimu__loudness_add(zimu_loudness *l, const float *x, int n)
{
    if (l->ended)
        return zimu__fail(l->c, ZIMU_EINVAL, "loudness meter: sound added after the end");
    if (n <= 0)
        return 0;
    AVFrame *f = l->in;
    f->format = AV_SAMPLE_FMT_FLT;
    f->sample_rate = RATE;
    f->nb_samples = n;
    f->pts = l->pts;
    av_channel_layout_default(&f->ch_layout, 2);
    if (av_frame_get_buffer(f, 0) < 0) {
        av_frame_unref(f);
        return zimu__fail(l->c, ZIMU_ENOMEM, "out of memory");
    }
    memcpy(f->data[0], x, sizeof *x * 2 * (size_t)n);
    l->pts += n;
    /* The filter writes its loudness with "%.3f", in the thread's locale */
    zimu_cnum num;
    zimu__cnum_begin(&num);
    int r = av_buffersrc_add_frame(l->src, f); /* takes the frame's data */
    if (r < 0) {
        zimu__cnum_end(&num);
        av_frame_unref(f);
        return zimu__fail_av(l->c, r == AVERROR(ENOMEM) ? ZIMU_ENOMEM : ZIMU_EFFMPEG, r,
                             "loudness meter");
    }
    r = drain(l);
    zimu__cnum_end(&num);
    return r;
}

int zimu__loudness_lufs(zimu_loudness *l, double *lufs)
{
    *lufs = -HUGE_VAL;
    if (l->ended)
        return zimu__fail(l->c, ZIMU_EINVAL, "loudness meter: already ended");
    l->ended = 1;
    zimu_cnum num;
    zimu__cnum_begin(&num);
    int r = av_buffersrc_add_frame(l->src, NULL); /* the end: flush */
    if (r < 0)
        r = zimu__fail_av(l->c, ZIMU_EFFMPEG, r, "loudness meter");
    else
        r = drain(l);
    zimu__cnum_end(&num);
    if (r < 0)
        return r;
    if (l->lufs > SILENT_LUFS)
        *lufs = l->lufs;
    return 0;
}

void zimu__loudness_free(zimu_loudness **pl)
{
    zimu_loudness *l = pl ? *pl : NULL;
    if (!l)
        return;
    *pl = NULL;
    avfilter_graph_free(&l->graph);
    av_frame_free(&l->in);
    av_frame_free(&l->out);
    free(l);
}
