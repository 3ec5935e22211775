/* media_in.c - read a clip: demux, decode, rotate, tone-map, fit, trim.
 *
 * Frames leave here upright, 8-bit 4:2:0, at the output size, tagged with
 * the matrix and range they are in, and with timestamps on the output
 * timeline. The libavfilter graph is built from the first decoded frame
 * (its real format, colour and side data) and rebuilt if the stream changes
 * size or format. Filter arguments are made from numbers only. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/avassert.h>
#include <libavutil/display.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/samplefmt.h>

#include "media_in.h"

#define IO_BUF 65536
#define MAX_PENDING_AUDIO 512

struct zimu_media_in {
    zimu_ctx *c;
    zimu_in_opts o;
    char *name;
    AVFormatContext *fmt;
    AVIOContext *avio;
    int vidx, aidx;
    AVStream *vst, *ast;
    AVCodecContext *vdec, *adec;
    int audio_mode;
    AVPacket *pkt, *apkt;
    AVFrame *dec, *out, *afr, *aout;

    /* filter graph */
    AVFilterGraph *graph;
    AVFilterContext *src, *sink;
    int g_w, g_h, g_fmt;                 /* what the graph was built for */
    const int32_t *frame_matrix_used;    /* side data taken from frames */
    int32_t matrix[9];
    int have_matrix;
    zimu_in_geometry geo;
    int geo_ready;

    /* timeline */
    int64_t start_us;     /* file start, AV_TIME_BASE units */
    int64_t zero_vts;     /* output zero in video tb (set with trim: first
                             kept frame; without: the file start if > 0) */
    int zero_known;
    int64_t end_us;       /* trim end (absolute, AV_TIME_BASE), or INT64_MAX */
    int64_t length_us;    /* the file's length as far as it can be believed
                             (see file_length), 0 if unknown */
    int trimming;
    int demux_eof, vdec_eof, graph_eof, adec_eof;
    int video_done;

    AVFrame *pending[MAX_PENDING_AUDIO]; /* audio frames before zero known */
    int n_pending;

    AVFrame *held;        /* hold_last: the last frame before the trim */
    int64_t seek_us;      /* where the latest seek aimed (AV_TIME_BASE), 0:
                             no seek */
    int64_t seek_back;    /* how far before the cut it aimed, 0 at first */
    int seek_checked;     /* the first frame after the seek was looked at */

    /* damage (see media_in.h) */
    zimu_in_range damage[ZIMU__IN_MAX_DAMAGE];
    int n_damage;
    int64_t n_errors;
    int64_t v_end;        /* end of the latest decoded frame (video tb), or
                             AV_NOPTS_VALUE before the first */
    int64_t v_dur;        /* the latest frame's duration */
    int64_t a_last;       /* time of the latest audio packet decoded */
    int end_checked;
    AVCodecContext *acheck; /* decodes copied audio packets to check them */
    AVFrame *acheck_fr;

    zimu_cardsrc *cards;  /* generated cards instead of a file */
    AVRational card_rate;
};

/* ---- damage -------------------------------------------------------------- */

/* Ranges closer than this are one range. */
#define DAMAGE_MERGE_MS 500

static int64_t src_ms(const zimu_media_in *in, int64_t ts, AVRational tb)
{
    int64_t us = av_rescale_q(ts, tb, AV_TIME_BASE_Q) - in->start_us;
    return us > 0 ? us / 1000 : 0;
}

static int cmp_range(const void *a, const void *b)
{
    const zimu_in_range *x = a, *y = b;
    return x->from_ms < y->from_ms ? -1 : x->from_ms > y->from_ms;
}

static void add_damage(zimu_media_in *in, int64_t from_ms, int64_t to_ms, int cut)
{
    if (to_ms <= from_ms)
        to_ms = from_ms + 1;
    if (in->n_damage == ZIMU__IN_MAX_DAMAGE) {
        zimu_in_range *l = &in->damage[in->n_damage - 1];
        l->from_ms = FFMIN(l->from_ms, from_ms);
        l->to_ms = FFMAX(l->to_ms, to_ms);
        l->cut |= cut;
    } else {
        in->damage[in->n_damage++] = (zimu_in_range){from_ms, to_ms, cut};
    }
    /* Sorted, then merged with neighbours (ranges come nearly in order,
     * and there are few). */
    if ((size_t)in->n_damage > 1) /* the array may be NULL when empty */
        qsort(in->damage, (size_t)in->n_damage, sizeof *in->damage, cmp_range);
    int n = 0;
    for (int i = 0; i < in->n_damage; i++) {
        if (n && in->damage[i].from_ms <= in->damage[n - 1].to_ms + DAMAGE_MERGE_MS) {
            in->damage[n - 1].to_ms = FFMAX(in->damage[n - 1].to_ms, in->damage[i].to_ms);
            in->damage[n - 1].cut |= in->damage[i].cut;
        } else
            in->damage[n++] = in->damage[i];
    }
    in->n_damage = n;
}

/* A packet a decoder refused: its time is damaged. */
static void damaged_packet(zimu_media_in *in, const AVPacket *p, AVRational tb)
{
    in->n_errors++;
    int64_t t = p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
    if (t == AV_NOPTS_VALUE) {
        /* No time: the latest video time is the best guess. */
        if (in->v_end == AV_NOPTS_VALUE)
            return;
        t = in->v_end;
        tb = in->vst->time_base;
    }
    int64_t a = src_ms(in, t, tb);
    add_damage(in, a, p->duration > 0 ? src_ms(in, t + p->duration, tb) : a + 1, 0);
}

/* The duration of a decoded video frame, in the video time base. */
static int64_t frame_dur(const zimu_media_in *in, const AVFrame *f)
{
    if (f->pkt_duration > 0)
        return f->pkt_duration;
    AVRational fr = in->vst->avg_frame_rate;
    if (fr.num <= 0 || fr.den <= 0)
        fr = in->vst->r_frame_rate;
    if (fr.num <= 0 || fr.den <= 0)
        fr = (AVRational){25, 1};
    int64_t d = av_rescale_q(1, av_inv_q(fr), in->vst->time_base);
    return d > 0 ? d : 1;
}

/* Every decoded video frame: flagged as damaged by the decoder, or after a
 * jump in time of more than a few frames (frames the decoder could not
 * make, or packets the file lost). */
static void note_video_frame(zimu_media_in *in, const AVFrame *f)
{
    AVRational tb = in->vst->time_base;
    int64_t dur = frame_dur(in, f);
    if (f->decode_error_flags || (f->flags & AV_FRAME_FLAG_CORRUPT)) {
        in->n_errors++;
        add_damage(in, src_ms(in, f->pts, tb), src_ms(in, f->pts + dur, tb), 0);
    }
    if (in->v_end != AV_NOPTS_VALUE && f->pts - in->v_end > 3 * dur)
        add_damage(in, src_ms(in, in->v_end, tb), src_ms(in, f->pts, tb), 0);
    if (in->v_end == AV_NOPTS_VALUE || f->pts + dur > in->v_end)
        in->v_end = f->pts + dur;
    in->v_dur = dur;
}

/* The video has ended: does it end well before the file says it does? */
static void check_video_end(zimu_media_in *in)
{
    if (in->end_checked || in->v_end == AV_NOPTS_VALUE)
        return;
    in->end_checked = 1;
    AVRational tb = in->vst->time_base;
    int64_t end_us, slack_us;
    if (in->vst->duration != AV_NOPTS_VALUE && in->vst->duration > 0) {
        int64_t st = in->vst->start_time != AV_NOPTS_VALUE ? in->vst->start_time : 0;
        end_us = av_rescale_q(st + in->vst->duration, tb, AV_TIME_BASE_Q);
        slack_us = 250000;
    } else if (in->length_us > 0) {
        /* The longest stream's: audio may run on a little after video. */
        end_us = in->start_us + in->length_us;
        slack_us = 1000000;
    } else {
        return; /* a stream: no declared end */
    }
    if (in->end_us < end_us)
        end_us = in->end_us;
    int64_t v_us = av_rescale_q(in->v_end, tb, AV_TIME_BASE_Q);
    slack_us = FFMAX(slack_us, 3 * av_rescale_q(in->v_dur, tb, AV_TIME_BASE_Q));
    if (end_us - v_us > slack_us)
        add_damage(in, (v_us - in->start_us) / 1000, (end_us - in->start_us) / 1000, 1);
}

int zimu__in_damage(const zimu_media_in *in, const zimu_in_range **ranges)
{
    *ranges = in->damage;
    return in->n_damage;
}

int64_t zimu__in_decode_errors(const zimu_media_in *in)
{
    return in->n_errors;
}

/* A copied audio packet goes through a decoder too, only to learn whether
 * it is damaged (AAC and MP3 decode at a small fraction of a video frame's
 * cost). */
static void check_audio_packet(zimu_media_in *in, const AVPacket *p)
{
    if (!in->acheck)
        return;
    int r = avcodec_send_packet(in->acheck, p);
    if (r == AVERROR_INVALIDDATA)
        damaged_packet(in, p, in->ast->time_base);
    while ((r = avcodec_receive_frame(in->acheck, in->acheck_fr)) >= 0 ||
           r == AVERROR_INVALIDDATA) {
        if (r == AVERROR_INVALIDDATA)
            damaged_packet(in, p, in->ast->time_base);
        av_frame_unref(in->acheck_fr);
    }
}

static int io_read(void *opaque, uint8_t *buf, int size)
{
    zimu_media_in *in = opaque;
    int n = in->o.read_cb(in->o.io_opaque, buf, size);
    if (n == 0)
        return AVERROR_EOF;
    return n < 0 ? AVERROR(EIO) : n;
}

static int64_t io_seek(void *opaque, int64_t off, int whence)
{
    zimu_media_in *in = opaque;
    if (whence & AVSEEK_SIZE)
        return in->o.seek_cb(in->o.io_opaque, 0, ZIMU_SEEK_SIZE);
    int64_t r = in->o.seek_cb(in->o.io_opaque, off, whence & ~AVSEEK_FORCE);
    return r < 0 ? AVERROR(EIO) : r;
}

static int open_decoder(zimu_media_in *in, AVStream *st, AVCodecContext **out,
                        int thread_type)
{
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        return ZIMU_ECODEC;
    AVCodecContext *ctx = avcodec_alloc_context3(codec);
    if (!ctx)
        return ZIMU_ENOMEM;
    int r = avcodec_parameters_to_context(ctx, st->codecpar);
    ctx->pkt_timebase = st->time_base;
    ctx->thread_count = 0;
    if (thread_type)
        ctx->thread_type = thread_type;
    if (r >= 0)
        r = avcodec_open2(ctx, codec, NULL);
    if (r < 0) {
        avcodec_free_context(&ctx);
        return ZIMU_ECODEC;
    }
    *out = ctx;
    return 0;
}

/* The error for a file FFmpeg cannot open, saying why where the bytes
 * tell: an empty file, or an MP4/MOV that starts right ('ftyp') but whose
 * index is missing (a recording or a copy cut off before the end: the
 * index is written last). */
static int not_readable(zimu_ctx *c, const char *path, const char *name)
{
    unsigned char head[12] = {0};
    size_t n = 0;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    if (f && n == 0)
        return zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: the file is empty (0 bytes)",
                               name);
    if (n == sizeof head && !memcmp(head + 4, "ftyp", 4))
        return zimu__fail_file(c, ZIMU_EDECODE, path,
                               "%s: the MP4 file's index ('moov') is missing or damaged: "
                               "the file was probably cut off while it was recorded or "
                               "copied", name);
    return zimu__fail_file(c, ZIMU_ENOTVIDEO, path, "%s: not a video file FFmpeg can read",
                           name);
}

/* Fewer bytes a second than this cannot be a video with its sound: a file
 * header that says so is wrong (1 KB a second is a still picture with
 * sound at the lowest bit rates; this is a quarter of that). */
#define MIN_BYTES_PER_S 250

/* How long the file is, in AV_TIME_BASE units (0: unknown). A header may
 * state any length: a clip of a few seconds whose header claims days must
 * not make the music and loudness passes (or the progress estimate) work
 * through days. The lengths of the streams used, where the container
 * gives them (MP4 and MOV count them from the sample tables, which list
 * every frame the file holds), win over the file's declared length; a
 * declared length alone is believed only if the file's size can hold it. */
static int64_t file_length(zimu_media_in *in)
{
    int64_t best = 0;
    const AVStream *used[2] = {in->vst, in->ast};
    for (int i = 0; i < 2; i++) {
        const AVStream *st = used[i];
        if (!st || st->duration == AV_NOPTS_VALUE || st->duration <= 0)
            continue;
        int64_t d = av_rescale_q(st->duration, st->time_base, AV_TIME_BASE_Q);
        best = FFMAX(best, d);
    }
    if (best > 0)
        return best;
    int64_t d = in->fmt->duration;
    if (d == AV_NOPTS_VALUE || d <= 0)
        return 0;
    int64_t size = in->fmt->pb ? avio_size(in->fmt->pb) : -1;
    if (size > 0 && d / AV_TIME_BASE > size / MIN_BYTES_PER_S) {
        int64_t s = d / AV_TIME_BASE;
        zimu__log(in->c, ZIMU_LOG_WARNING,
                  "%s: the file says it lasts %lld:%02lld:%02lld but holds only %lld KB; "
                  "its length is taken as unknown",
                  in->name, (long long)(s / 3600), (long long)(s / 60 % 60),
                  (long long)(s % 60), (long long)((size + 1023) / 1024));
        return 0;
    }
    return d;
}

int zimu__in_open(zimu_ctx *c, zimu_media_in **pin, const zimu_in_opts *o)
{
    *pin = NULL;
    zimu_media_in *in = av_mallocz(sizeof *in);
    if (!in)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    in->c = c;
    in->o = *o;
    in->name = av_strdup(o->name ? o->name : o->path ? o->path : "input");
    in->vidx = in->aidx = -1;
    in->v_end = in->a_last = AV_NOPTS_VALUE;
    int r;
    const char *name = in->name;

    if (o->cards) {
        zimu_cardsrc_opts co = *o->cards;
        co.from_ms = o->from_ms;
        co.to_ms = o->to_ms;
        co.hold_last = o->hold_last;
        if ((r = zimu__cardsrc_open(c, &in->cards, &co)) < 0)
            goto fail;
        in->card_rate = co.frame_rate;
        in->o.cards = NULL; /* the caller's: not kept */
        in->geo = (zimu_in_geometry){
            .width = co.width, .height = co.height, .pic_w = co.width, .pic_h = co.height,
            .sar = {1, 1}, .colorspace = AVCOL_SPC_BT709, .primaries = AVCOL_PRI_BT709,
            .trc = AVCOL_TRC_BT709, .range = AVCOL_RANGE_MPEG,
        };
        in->geo_ready = 1;
        *pin = in;
        return 0;
    }
    if (o->path) {
        struct stat sb;
        if (stat(o->path, &sb) != 0 || access(o->path, R_OK) != 0) {
            r = zimu__fail_file(c, ZIMU_ENOENT, o->path, "%s: %s", name, strerror(errno));
            goto fail;
        }
        if (S_ISDIR(sb.st_mode)) {
            r = zimu__fail_file(c, ZIMU_ENOTVIDEO, o->path, "%s: is a directory, not a video",
                                name);
            goto fail;
        }
    }
    in->fmt = avformat_alloc_context();
    in->pkt = av_packet_alloc();
    in->apkt = av_packet_alloc();
    in->dec = av_frame_alloc();
    in->out = av_frame_alloc();
    in->afr = av_frame_alloc();
    in->aout = av_frame_alloc();
    if (!in->fmt || !in->pkt || !in->apkt || !in->dec || !in->out || !in->afr || !in->aout) {
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        goto fail;
    }
    if (!o->path) {
        uint8_t *buf = av_malloc(IO_BUF);
        in->avio = buf ? avio_alloc_context(buf, IO_BUF, 0, in, io_read, NULL,
                                            o->seek_cb ? io_seek : NULL) : NULL;
        if (!in->avio) {
            av_free(buf);
            r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
            goto fail;
        }
        in->avio->seekable = o->seek_cb ? AVIO_SEEKABLE_NORMAL : 0;
        in->fmt->pb = in->avio;
        in->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    }
    r = avformat_open_input(&in->fmt, o->path ? o->path : "", NULL, NULL);
    if (r < 0) {
        /* avformat_open_input frees the context on failure */
        r = not_readable(c, o->path, name);
        goto fail;
    }
    r = avformat_find_stream_info(in->fmt, NULL);
    if (r < 0) {
        r = zimu__fail_file(c, ZIMU_ENOTVIDEO, o->path,
                            "%s: cannot read the streams of this file", name);
        goto fail;
    }
    /* Pick the main video stream; cover art is not video. */
    for (unsigned i = 0; i < in->fmt->nb_streams; i++)
        if (in->fmt->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC)
            in->fmt->streams[i]->discard = AVDISCARD_ALL;
    int vidx = -1, best_area = -1;
    for (unsigned i = 0; i < in->fmt->nb_streams; i++) {
        AVStream *st = in->fmt->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO ||
            (st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            continue;
        int area = st->codecpar->width * st->codecpar->height;
        if (st->disposition & AV_DISPOSITION_DEFAULT)
            area += 1 << 30;
        if (area > best_area) {
            best_area = area;
            vidx = (int)i;
        }
    }
    if (vidx < 0) {
        r = zimu__fail_file(c, ZIMU_ENOVIDEO, o->path, "%s: has no video stream", name);
        goto fail;
    }
    in->vidx = vidx;
    in->vst = in->fmt->streams[vidx];
    /* Display matrix from the stream; frames may carry one too (H.264 SEI),
     * used only when the stream has none. */
    const uint8_t *sd = av_stream_get_side_data(in->vst, AV_PKT_DATA_DISPLAYMATRIX, NULL);
    if (sd) {
        memcpy(in->matrix, sd, sizeof in->matrix);
        in->have_matrix = 1;
    }

    /* Frames that pass through the filter graph untouched are the
     * decoder's own pictures. With frame threads, other threads read them
     * while we hold them, so they must be copied before a caption is drawn
     * (3 MB a frame at 1080x1920); without, the caption's rows can be drawn
     * over and put back. Decoding itself costs the same CPU either way, and
     * the encoder keeps both cores busy. */
    const AVCodecParameters *vp = in->vst->codecpar;
    int passthrough = (!o->out_w || o->fit == ZIMU_FIT_KEEP) && !in->have_matrix &&
                      vp->format == AV_PIX_FMT_YUV420P && vp->color_range != AVCOL_RANGE_JPEG &&
                      vp->color_trc != AVCOL_TRC_SMPTE2084 && vp->color_trc != AVCOL_TRC_ARIB_STD_B67;
    r = open_decoder(in, in->vst, &in->vdec, passthrough ? FF_THREAD_SLICE : 0);
    if (r < 0) {
        const char *cn = avcodec_get_name(in->vst->codecpar->codec_id);
        r = zimu__fail_file(c, r == ZIMU_ENOMEM ? r : ZIMU_ECODEC,
                            r == ZIMU_ENOMEM ? NULL : o->path,
                            "%s: video codec '%s' is not supported (no decoder)", name, cn);
        goto fail;
    }
    int aidx = av_find_best_stream(in->fmt, AVMEDIA_TYPE_AUDIO, -1, vidx, NULL, 0);
    if (aidx >= 0) {
        in->aidx = aidx;
        in->ast = in->fmt->streams[aidx];
    }
    for (unsigned i = 0; i < in->fmt->nb_streams; i++)
        if ((int)i != in->vidx && (int)i != in->aidx)
            in->fmt->streams[i]->discard = AVDISCARD_ALL;

    in->start_us = in->fmt->start_time != AV_NOPTS_VALUE ? in->fmt->start_time : 0;
    in->length_us = file_length(in);
    in->end_us = o->to_ms >= 0 ? in->start_us + o->to_ms * 1000 : INT64_MAX;
    in->trimming = o->from_ms > 0 || o->to_ms >= 0;
    if (!in->trimming) {
        /* Timestamps pass through; a file that starts late (transport
         * streams) is moved to start at zero. */
        int64_t s = in->start_us > 0 ? in->start_us : 0;
        in->zero_vts = av_rescale_q(s, AV_TIME_BASE_Q, in->vst->time_base);
        in->zero_known = 1;
    }
    if (o->from_ms > 0) {
        int64_t ts = in->start_us + o->from_ms * 1000;
        /* Land on the keyframe at or before the cut; frames before it are
         * decoded and dropped. If seeking fails we decode from the start. */
        if (av_seek_frame(in->fmt, -1, ts, AVSEEK_FLAG_BACKWARD) < 0)
            zimu__log(c, ZIMU_LOG_WARNING, "%s: cannot seek, decoding from the start", name);
        else
            in->seek_us = ts;
    }
    *pin = in;
    return 0;
fail:
    zimu__in_free(&in);
    return r;
}

void zimu__in_free(zimu_media_in **pin)
{
    zimu_media_in *in = pin ? *pin : NULL;
    if (!in)
        return;
    avfilter_graph_free(&in->graph);
    avcodec_free_context(&in->vdec);
    avcodec_free_context(&in->adec);
    avformat_close_input(&in->fmt);
    if (in->avio) {
        av_freep(&in->avio->buffer);
        avio_context_free(&in->avio);
    }
    av_packet_free(&in->pkt);
    av_packet_free(&in->apkt);
    av_frame_free(&in->dec);
    av_frame_free(&in->out);
    av_frame_free(&in->afr);
    av_frame_free(&in->aout);
    av_frame_free(&in->held);
    avcodec_free_context(&in->acheck);
    av_frame_free(&in->acheck_fr);
    zimu__cardsrc_free(&in->cards);
    for (int i = 0; i < in->n_pending; i++)
        av_frame_free(&in->pending[i]);
    av_free(in->name);
    av_free(in);
    *pin = NULL;
}

int zimu__in_frames_private(const zimu_media_in *in)
{
    if (in->cards)
        return 1; /* the cached background: put back before the next */
    /* A decoder with threads of its own (libdav1d for AV1) may still be
     * reading a picture it has returned, as a reference for the next. */
    return !(in->vdec->active_thread_type & FF_THREAD_FRAME) &&
           !(in->vdec->codec->capabilities & AV_CODEC_CAP_OTHER_THREADS);
}

AVRational zimu__in_video_tb(const zimu_media_in *in)
{
    return in->cards ? av_inv_q(in->card_rate) : in->vst->time_base;
}

AVRational zimu__in_frame_rate(const zimu_media_in *in)
{
    if (in->cards)
        return in->card_rate;
    AVRational r = in->vst->avg_frame_rate;
    if (r.num <= 0 || r.den <= 0)
        r = in->vst->r_frame_rate;
    return r;
}

const AVCodecParameters *zimu__in_audio_par(const zimu_media_in *in)
{
    return in->ast ? in->ast->codecpar : NULL;
}

AVRational zimu__in_audio_tb(const zimu_media_in *in)
{
    return in->ast ? in->ast->time_base : (AVRational){1, 1};
}

int zimu__in_set_audio(zimu_media_in *in, int mode)
{
    if (mode != ZIMU_AUDIO_OFF && !in->ast)
        return ZIMU_EINVAL;
    if (mode == ZIMU_AUDIO_FRAMES && !in->adec) {
        int r = open_decoder(in, in->ast, &in->adec, 0);
        if (r < 0)
            return r;
    }
    if (mode == ZIMU_AUDIO_PACKETS && !in->acheck &&
        open_decoder(in, in->ast, &in->acheck, 0) == 0 &&
        !(in->acheck_fr = av_frame_alloc()))
        avcodec_free_context(&in->acheck); /* no check then */
    in->audio_mode = mode;
    return 0;
}

int64_t zimu__in_duration_ms(const zimu_media_in *in)
{
    if (in->cards)
        return zimu__cardsrc_duration_ms(in->cards);
    int64_t d = in->length_us;
    if (d <= 0)
        return 0;
    int64_t total = d / 1000;
    int64_t end = in->o.to_ms >= 0 && in->o.to_ms < total ? in->o.to_ms : total;
    int64_t from = in->o.from_ms > 0 ? in->o.from_ms : 0;
    return end > from ? end - from : 0;
}

int64_t zimu__in_frames_est(const zimu_media_in *in)
{
    if (in->cards)
        return zimu__cardsrc_frames(in->cards);
    AVRational fr = zimu__in_frame_rate(in);
    if (fr.num <= 0 || fr.den <= 0)
        return 0;
    return (int64_t)llround(zimu__in_duration_ms(in) / 1000.0 * av_q2d(fr));
}

const zimu_in_geometry *zimu__in_geometry(const zimu_media_in *in)
{
    return in->geo_ready ? &in->geo : NULL;
}

/* ---- the filter graph ---------------------------------------------------- */

typedef struct gb {
    zimu_media_in *in;
    int err;
} gb;

/* Add a filter with numeric-only args and link last -> it. */
static AVFilterContext *add(gb *b, AVFilterContext *last, const char *name,
                            const char *args)
{
    if (b->err)
        return NULL;
    AVFilterContext *f = NULL;
    int r = avfilter_graph_create_filter(&f, avfilter_get_by_name(name), NULL,
                                         args, NULL, b->in->graph);
    if (r >= 0 && last)
        r = avfilter_link(last, 0, f, 0);
    if (r < 0) {
        b->err = r;
        return NULL;
    }
    return f;
}

static int is_hdr(enum AVColorTransferCharacteristic trc)
{
    return trc == AVCOL_TRC_SMPTE2084 || trc == AVCOL_TRC_ARIB_STD_B67;
}

/* The smallest frame side the renderer and libx264 take. */
#define MIN_SIDE 16

static int even(int v)
{
    v &= ~1;
    return v < 2 ? 2 : v;
}

/* Size of a w x h picture (pixel aspect sar) scaled into / over W x H. */
static void fit_size(int w, int h, AVRational sar, int W, int H, int cover,
                     int *ow, int *oh)
{
    double dw = w * (sar.num > 0 && sar.den > 0 ? av_q2d(sar) : 1.0), dh = h;
    double s = cover ? fmax(W / dw, H / dh) : fmin(W / dw, H / dh);
    *ow = even((int)lround(dw * s));
    *oh = even((int)lround(dh * s));
    if (!cover) {
        if (*ow > W) *ow = W;
        if (*oh > H) *oh = H;
    }
}

static const char *matrix_name(enum AVColorSpace cs)
{
    return cs == AVCOL_SPC_BT709 ? "bt709" : "bt601";
}

static int build_graph(zimu_media_in *in, const AVFrame *f)
{
    avfilter_graph_free(&in->graph);
    in->graph = avfilter_graph_alloc();
    if (!in->graph)
        return ZIMU_ENOMEM;
    in->graph->nb_threads = 1;
    gb b = {in, 0};
    char a[256];
    AVRational tb = in->vst->time_base;
    AVRational sar = f->sample_aspect_ratio.num > 0 ? f->sample_aspect_ratio
                   : in->vst->sample_aspect_ratio.num > 0 ? in->vst->sample_aspect_ratio
                   : (AVRational){1, 1};
    snprintf(a, sizeof a, "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d",
             f->width, f->height, f->format, tb.num, tb.den, sar.num, sar.den);
    AVFilterContext *last = in->src = add(&b, NULL, "buffer", a);
    in->g_w = f->width;
    in->g_h = f->height;
    in->g_fmt = f->format;

    /* What we hand out: 8-bit 4:2:0, limited range, BT.709 for HD and HDR
     * sources, BT.601 below 720p unless the source says otherwise. */
    int hdr = is_hdr(f->color_trc);
    enum AVColorSpace cs = f->colorspace;
    if (hdr)
        cs = AVCOL_SPC_BT709;
    else if (cs != AVCOL_SPC_BT709 && cs != AVCOL_SPC_BT470BG && cs != AVCOL_SPC_SMPTE170M)
        cs = FFMIN(f->width, f->height) >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
    enum AVColorRange in_range = f->color_range == AVCOL_RANGE_JPEG ||
                                 f->format == AV_PIX_FMT_YUVJ420P ||
                                 f->format == AV_PIX_FMT_YUVJ422P ||
                                 f->format == AV_PIX_FMT_YUVJ444P
                                 ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    if (hdr) {
        /* Tone-map to SDR BT.709: linear light, BT.709 primaries, Hable
         * curve, then back to a BT.709 signal. npl=100 takes the HDR
         * reference white as SDR white. */
        last = add(&b, last, "zscale", "t=linear:npl=100");
        last = add(&b, last, "format", "gbrpf32le");
        last = add(&b, last, "zscale", "p=bt709");
        last = add(&b, last, "tonemap", "tonemap=hable:desat=0");
        last = add(&b, last, "zscale", "t=bt709:m=bt709:r=tv");
        last = add(&b, last, "format", "yuv420p");
        in_range = AVCOL_RANGE_MPEG;
    }

    /* Orientation: the signs of the display matrix's 2x2 part say which of
     * the eight upright transforms the picture needs. */
    int w = f->width, h = f->height;
    if (in->have_matrix) {
        int sa = (in->matrix[0] > 0) - (in->matrix[0] < 0);
        int sb = (in->matrix[1] > 0) - (in->matrix[1] < 0);
        int sc = (in->matrix[3] > 0) - (in->matrix[3] < 0);
        int sd = (in->matrix[4] > 0) - (in->matrix[4] < 0);
        if (!sb && !sc) {
            if (sa < 0) last = add(&b, last, "hflip", NULL);
            if (sd < 0) last = add(&b, last, "vflip", NULL);
        } else if (!sa && !sd) {
            const char *dir = sc > 0 && sb > 0 ? "dir=cclock_flip"
                            : sc < 0 && sb > 0 ? "dir=clock"
                            : sc > 0 && sb < 0 ? "dir=cclock" : "dir=clock_flip";
            last = add(&b, last, "transpose", dir);
            int t = w; w = h; h = t;
            sar = (AVRational){sar.den, sar.num};
        } else {
            zimu__log(in->c, ZIMU_LOG_WARNING,
                      "%s: rotation is not a multiple of 90 degrees; ignored", in->name);
        }
    }

    /* Fit. */
    int W = in->o.out_w, H = in->o.out_h, fit = in->o.fit;
    if (!W || !H || fit == ZIMU_FIT_KEEP) {
        /* Square pixels, even size. */
        if (sar.num != sar.den) {
            w = (int)lround(w * av_q2d(sar));
            sar = (AVRational){1, 1};
            W = even(w); H = even(h);
            snprintf(a, sizeof a, "w=%d:h=%d", W, H);
            last = add(&b, last, "scale", a);
        } else {
            W = even(w); H = even(h);
        }
        fit = ZIMU_FIT_KEEP;
        /* A picture this small holds no caption (the renderer and the
         * encoder need 16x16): say so, naming the file, and the way out. */
        if (W < MIN_SIDE || H < MIN_SIDE)
            return zimu__fail_file(in->c, ZIMU_EINVAL, in->o.path,
                                   "%s: the picture is only %dx%d pixels, too small for "
                                   "captions (at least %dx%d); an output size "
                                   "(--size 1080x1920) scales it up",
                                   in->name, w, h, MIN_SIDE, MIN_SIDE);
    } else if (fit == ZIMU_FIT_AUTO) {
        double src_aspect = (double)w * av_q2d(sar) / h, dst_aspect = (double)W / H;
        fit = fabs(src_aspect - dst_aspect) < 0.01 ? ZIMU_FIT_PAD : ZIMU_FIT_BLUR;
    }
    int px = 0, py = 0, pw = W, ph = H;
    if (fit == ZIMU_FIT_KEEP) {
        if (W != w || H != h) {
            snprintf(a, sizeof a, "w=%d:h=%d:x=0:y=0", W, H);
            last = add(&b, last, "crop", a);
        }
    } else if (fit == ZIMU_FIT_CROP) {
        int sw, sh;
        fit_size(w, h, sar, W, H, 1, &sw, &sh);
        snprintf(a, sizeof a, "w=%d:h=%d", sw, sh);
        last = add(&b, last, "scale", a);
        snprintf(a, sizeof a, "w=%d:h=%d:x=%d:y=%d", W, H, (sw - W) / 2, (sh - H) / 2);
        last = add(&b, last, "crop", a);
    } else {
        fit_size(w, h, sar, W, H, 0, &pw, &ph);
        px = ((W - pw) / 2) & ~1;
        py = ((H - ph) / 2) & ~1;
        if (fit == ZIMU_FIT_PAD) {
            snprintf(a, sizeof a, "w=%d:h=%d", pw, ph);
            last = add(&b, last, "scale", a);
            last = add(&b, last, "format", "yuv420p");
            snprintf(a, sizeof a, "w=%d:h=%d:x=%d:y=%d:color=black", W, H, px, py);
            last = add(&b, last, "pad", a);
        } else {
            /* Blur: the picture scaled to fill, blurred cheaply at a
             * sixteenth of the size, behind the picture scaled to fit. */
            AVFilterContext *split = add(&b, last, "split", "2");
            int bw, bh;
            fit_size(w, h, sar, W, H, 1, &bw, &bh);
            snprintf(a, sizeof a, "w=%d:h=%d", bw, bh);
            AVFilterContext *bg = add(&b, split, "scale", a);
            snprintf(a, sizeof a, "w=%d:h=%d:x=%d:y=%d", W, H, (bw - W) / 2, (bh - H) / 2);
            bg = add(&b, bg, "crop", a);
            snprintf(a, sizeof a, "w=%d:h=%d", even(W / 16), even(H / 16));
            bg = add(&b, bg, "scale", a);
            bg = add(&b, bg, "format", "yuv420p");
            bg = add(&b, bg, "boxblur", "luma_radius=4:luma_power=2:chroma_radius=2:chroma_power=2");
            snprintf(a, sizeof a, "w=%d:h=%d:flags=bilinear", W, H);
            bg = add(&b, bg, "scale", a);
            snprintf(a, sizeof a, "w=%d:h=%d", pw, ph);
            AVFilterContext *fg = add(&b, NULL, "scale", a);
            if (!b.err && avfilter_link(split, 1, fg, 0) < 0)
                b.err = AVERROR(EINVAL);
            fg = add(&b, fg, "format", "yuv420p");
            snprintf(a, sizeof a, "x=%d:y=%d:format=yuv420", px, py);
            AVFilterContext *ov = add(&b, bg, "overlay", a);
            if (!b.err && avfilter_link(fg, 0, ov, 1) < 0)
                b.err = AVERROR(EINVAL);
            last = ov;
        }
        sar = (AVRational){1, 1};
    }
    if (in_range == AVCOL_RANGE_JPEG || f->format != AV_PIX_FMT_YUV420P) {
        /* One conversion to limited-range 8-bit 4:2:0 in the same matrix. */
        snprintf(a, sizeof a, "in_color_matrix=%s:out_color_matrix=%s:in_range=%s:out_range=tv",
                 matrix_name(cs), matrix_name(cs), in_range == AVCOL_RANGE_JPEG ? "pc" : "tv");
        last = add(&b, last, "scale", a);
    }
    last = add(&b, last, "format", "yuv420p");
    in->sink = add(&b, last, "buffersink", NULL);
    if (b.err)
        return zimu__fail_av(in->c, ZIMU_EFFMPEG, b.err, "building the video filter graph");
    int r = avfilter_graph_config(in->graph, NULL);
    if (r < 0)
        return zimu__fail_av(in->c, ZIMU_EFFMPEG, r, "configuring the video filter graph");
    if (in->geo_ready && (in->geo.width != W || in->geo.height != H))
        return zimu__fail(in->c, ZIMU_EDECODE, "%s: picture size changes mid-stream in a way zimu cannot follow", in->name);
    in->geo = (zimu_in_geometry){
        .width = W, .height = H, .pic_x = px, .pic_y = py, .pic_w = pw, .pic_h = ph,
        .sar = sar, .colorspace = cs,
        .primaries = cs == AVCOL_SPC_BT709 ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M,
        .trc = cs == AVCOL_SPC_BT709 ? AVCOL_TRC_BT709 : AVCOL_TRC_SMPTE170M,
        .range = AVCOL_RANGE_MPEG,
    };
    if (!hdr && f->color_primaries != AVCOL_PRI_UNSPECIFIED && f->color_primaries != AVCOL_PRI_RESERVED0)
        in->geo.primaries = f->color_primaries;
    if (!hdr && f->color_trc != AVCOL_TRC_UNSPECIFIED && f->color_trc != AVCOL_TRC_RESERVED0)
        in->geo.trc = f->color_trc;
    in->geo_ready = 1;
    return 0;
}

/* ---- reading ------------------------------------------------------------- */

static void end_demux(zimu_media_in *in)
{
    if (in->demux_eof)
        return;
    in->demux_eof = 1;
    if (!in->vdec_eof)
        avcodec_send_packet(in->vdec, NULL);
    if (in->adec)
        avcodec_send_packet(in->adec, NULL);
}

/* Feed one packet to the right decoder, or hand an audio packet out.
 * Returns 1 if *item was filled, 0 to go on, <0 on error. */
static int demux_one(zimu_media_in *in, zimu_in_item *item)
{
    int r = av_read_frame(in->fmt, in->pkt);
    if (r == AVERROR_EOF || (r < 0 && avio_feof(in->fmt->pb))) {
        end_demux(in);
        return 0;
    }
    if (r < 0)
        return zimu__fail_av(in->c, ZIMU_EDECODE, r, in->name);
    AVPacket *p = in->pkt;
    if (p->stream_index == in->vidx && !in->vdec_eof) {
        r = avcodec_send_packet(in->vdec, p);
        if (r == AVERROR_INVALIDDATA)
            damaged_packet(in, p, in->vst->time_base);
        av_packet_unref(p);
        if (r < 0 && r != AVERROR(EAGAIN) && r != AVERROR_INVALIDDATA)
            return zimu__fail_av(in->c, ZIMU_EDECODE, r, in->name);
        return 0;
    }
    if (p->stream_index != in->aidx || in->audio_mode == ZIMU_AUDIO_OFF) {
        av_packet_unref(p);
        if (in->vdec_eof && in->audio_mode == ZIMU_AUDIO_OFF)
            end_demux(in);
        return 0;
    }
    if (in->end_us != INT64_MAX && p->pts != AV_NOPTS_VALUE &&
        av_compare_ts(p->pts, in->ast->time_base, in->end_us, AV_TIME_BASE_Q) >= 0) {
        /* Audio has passed the trim end: nothing more to read once the
         * video has too (a decoder may still wait for a keyframe, or
         * video may come later in the file). */
        av_packet_unref(p);
        if (in->vdec_eof)
            end_demux(in);
        return 0;
    }
    if (in->audio_mode == ZIMU_AUDIO_PACKETS) {
        /* Copy mode is only used without trim: shift and hand out. */
        check_audio_packet(in, p);
        int64_t shift = av_rescale_q(in->zero_vts, in->vst->time_base, in->ast->time_base);
        av_packet_unref(in->apkt);
        av_packet_move_ref(in->apkt, p);
        if (in->apkt->pts != AV_NOPTS_VALUE) in->apkt->pts -= shift;
        if (in->apkt->dts != AV_NOPTS_VALUE) in->apkt->dts -= shift;
        item->type = ZIMU_ITEM_AUDIO_PACKET;
        item->pkt = in->apkt;
        return 1;
    }
    r = avcodec_send_packet(in->adec, p);
    if (r == AVERROR_INVALIDDATA)
        damaged_packet(in, p, in->ast->time_base);
    in->a_last = p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
    av_packet_unref(p);
    if (r < 0 && r != AVERROR(EAGAIN) && r != AVERROR_INVALIDDATA)
        return zimu__fail_av(in->c, ZIMU_EDECODE, r, in->name);
    return 0;
}

/* Cut a decoded audio frame to [zero, end) on the output timeline and put
 * it in in->aout. Returns 1 if anything is left, 0 if nothing, <0 error. */
static int trim_audio(zimu_media_in *in, AVFrame *f)
{
    AVRational atb = in->ast->time_base;
    int sr = f->sample_rate;
    if (f->pts == AV_NOPTS_VALUE || sr <= 0)
        return 0;
    AVRational sr_tb = {1, sr};
    /* Everything in samples, absolute. */
    int64_t f0 = av_rescale_q(f->pts, atb, sr_tb);
    int64_t z = av_rescale_q(in->zero_vts, in->vst->time_base, sr_tb);
    int64_t e = in->end_us == INT64_MAX ? INT64_MAX
              : av_rescale_q(in->end_us, AV_TIME_BASE_Q, sr_tb);
    int64_t a = FFMAX(f0, z), b = FFMIN(f0 + f->nb_samples, e);
    if (b <= a)
        return 0;
    av_frame_unref(in->aout);
    if (a == f0 && b == f0 + f->nb_samples) {
        av_frame_ref(in->aout, f);
    } else {
        in->aout->format = f->format;
        in->aout->sample_rate = sr;
        av_channel_layout_copy(&in->aout->ch_layout, &f->ch_layout);
        in->aout->nb_samples = (int)(b - a);
        if (av_frame_get_buffer(in->aout, 0) < 0)
            return zimu__fail(in->c, ZIMU_ENOMEM, "out of memory");
        av_samples_copy(in->aout->extended_data, f->extended_data, 0, (int)(a - f0),
                        (int)(b - a), f->ch_layout.nb_channels, f->format);
    }
    in->aout->pts = a - z;
    in->aout->time_base = sr_tb;
    return 1;
}

/* Hand out a decoded audio frame if there is one. */
static int next_audio(zimu_media_in *in, zimu_in_item *item)
{
    if (!in->adec || in->audio_mode != ZIMU_AUDIO_FRAMES)
        return 0;
    for (;;) {
        if (in->zero_known && in->n_pending) {
            AVFrame *p = in->pending[0];
            memmove(in->pending, in->pending + 1, --in->n_pending * sizeof *in->pending);
            int r = trim_audio(in, p);
            av_frame_free(&p);
            if (r < 0) return r;
            if (r) goto out;
            continue;
        }
        if (in->adec_eof)
            return 0;
        int r = avcodec_receive_frame(in->adec, in->afr);
        if (r == AVERROR(EAGAIN))
            return 0;
        if (r == AVERROR_EOF) {
            in->adec_eof = 1;
            return 0;
        }
        if (r == AVERROR_INVALIDDATA) {
            /* About the latest packet sent, or one just before it. */
            AVPacket at = {.pts = in->a_last, .dts = AV_NOPTS_VALUE};
            damaged_packet(in, &at, in->ast->time_base);
            continue;
        }
        if (r < 0)
            return zimu__fail_av(in->c, ZIMU_EDECODE, r, in->name);
        in->afr->pts = in->afr->best_effort_timestamp;
        if (!in->zero_known && in->o.from_ms > 0 && !in->o.hold_last &&
            in->afr->pts != AV_NOPTS_VALUE &&
            in->afr->sample_rate > 0 &&
            av_rescale_q(in->afr->pts, in->ast->time_base, AV_TIME_BASE_Q) +
                    av_rescale(in->afr->nb_samples, AV_TIME_BASE, in->afr->sample_rate) <=
                in->start_us + in->o.from_ms * 1000) {
            /* Wholly before the trim: no kept frame can come earlier (the
             * file could not seek, or the seek landed far before it). */
            av_frame_unref(in->afr);
            continue;
        }
        if (!in->zero_known) {
            if (in->n_pending == MAX_PENDING_AUDIO)
                return zimu__fail(in->c, ZIMU_EDECODE, "%s: audio runs far ahead of the video", in->name);
            in->pending[in->n_pending++] = av_frame_clone(in->afr);
            av_frame_unref(in->afr);
            continue;
        }
        r = trim_audio(in, in->afr);
        av_frame_unref(in->afr);
        if (r < 0) return r;
        if (r) goto out;
    }
out:
    item->type = ZIMU_ITEM_AUDIO_FRAME;
    item->frame = in->aout;
    return 1;
}

/* Decode frames into the graph until one comes out of it. */
/* The first frame decoded after a seek comes after the cut: the seek
 * landed past the keyframe before it. Transport streams do that (FFmpeg
 * seeks them by timestamps alone, to any packet, and the decoder waits
 * for the next keyframe). Seek again, further back each time (2 s, 4 s,
 * 8 s ... before the cut, at most to the start), and start over. */
static int seek_again(zimu_media_in *in, int64_t from_us)
{
    in->seek_back = in->seek_back ? 2 * in->seek_back : 2 * AV_TIME_BASE;
    int64_t target = from_us - in->seek_back;
    if (target <= in->start_us)
        target = in->start_us;
    int r = av_seek_frame(in->fmt, -1, target, AVSEEK_FLAG_BACKWARD);
    if (r < 0 && target == in->start_us)
        r = av_seek_frame(in->fmt, -1, INT64_MIN, AVSEEK_FLAG_BACKWARD);
    if (r < 0)
        return zimu__fail_av(in->c, ZIMU_EDECODE, r, in->name);
    avcodec_flush_buffers(in->vdec);
    if (in->adec)
        avcodec_flush_buffers(in->adec);
    if (in->acheck)
        avcodec_flush_buffers(in->acheck);
    for (int i = 0; i < in->n_pending; i++)
        av_frame_free(&in->pending[i]);
    in->n_pending = 0;
    if (in->held)
        av_frame_unref(in->held);
    /* What was decoded so far lies before the cut: its damage is not the
     * output's (and the jump back in time is none). */
    in->v_end = in->a_last = AV_NOPTS_VALUE;
    in->n_damage = 0;
    in->n_errors = 0;
    in->seek_us = target > in->start_us ? target : 0;
    in->seek_checked = 0;
    return 0;
}

static int next_video(zimu_media_in *in, zimu_in_item *item)
{
    for (;;) {
        int r = in->sink ? av_buffersink_get_frame(in->sink, in->out) : AVERROR(EAGAIN);
        if (r >= 0) {
            /* Tag what we asked the graph for. */
            in->out->colorspace = in->geo.colorspace;
            in->out->color_range = in->geo.range;
            in->out->color_primaries = in->geo.primaries;
            in->out->color_trc = in->geo.trc;
            in->out->sample_aspect_ratio = in->geo.sar;
            int64_t us = av_rescale_rnd(in->out->pts, in->vst->time_base.num * 1000000LL,
                                        in->vst->time_base.den, AV_ROUND_DOWN);
            int64_t rel = us - in->start_us;
            item->src_ms = rel >= 0 ? rel / 1000 : -((-rel + 999) / 1000);
            in->out->pts -= in->zero_vts;
            item->type = ZIMU_ITEM_VIDEO;
            item->frame = in->out;
            return 1;
        }
        if (r != AVERROR(EAGAIN) && r != AVERROR_EOF)
            return zimu__fail_av(in->c, ZIMU_EFFMPEG, r, "filtering video");
        if (r == AVERROR_EOF) {
            in->video_done = 1;
            check_video_end(in);
            return 0;
        }
        if (in->vdec_eof) {
            if (!in->sink) {
                in->video_done = 1;
                check_video_end(in);
                return 0;
            }
            if (!in->graph_eof) {
                in->graph_eof = 1;
                r = av_buffersrc_add_frame(in->src, NULL);
                if (r < 0)
                    return zimu__fail_av(in->c, ZIMU_EFFMPEG, r, "filtering video");
                continue;
            }
            in->video_done = 1;
            check_video_end(in);
            return 0;
        }
        int64_t from_us = in->start_us + (in->o.from_ms > 0 ? in->o.from_ms * 1000 : 0);
        AVFrame *f = in->dec;
        r = avcodec_receive_frame(in->vdec, in->dec);
        if (r == AVERROR(EAGAIN))
            return 0;
        if (r == AVERROR_EOF) {
            in->vdec_eof = 1;
            /* A preview past the last frame's start: that frame, if it is
             * still on screen at the time asked for. */
            if (!in->held || !in->held->buf[0] || in->zero_known ||
                av_compare_ts(in->held->pts + frame_dur(in, in->held), in->vst->time_base,
                              from_us, AV_TIME_BASE_Q) <= 0)
                continue;
            av_frame_move_ref(f, in->held);
        } else if (r == AVERROR_INVALIDDATA) {
            in->n_errors++; /* the jump in time that follows shows where */
            continue;
        } else if (r < 0) {
            return zimu__fail_av(in->c, ZIMU_EDECODE, r, in->name);
        } else {
            f->pts = f->best_effort_timestamp;
            if (f->pts == AV_NOPTS_VALUE) {
                av_frame_unref(f);
                continue;
            }
            if (in->seek_us && !in->seek_checked && !in->zero_known) {
                in->seek_checked = 1;
                if (av_compare_ts(f->pts, in->vst->time_base, from_us, AV_TIME_BASE_Q) > 0) {
                    av_frame_unref(f);
                    if ((r = seek_again(in, from_us)) < 0)
                        return r;
                    continue;
                }
            }
            note_video_frame(in, f);
            /* Trim on the source timeline: keep [start+from, start+to). */
            int before = in->trimming ? av_compare_ts(f->pts, in->vst->time_base, from_us,
                                                      AV_TIME_BASE_Q) : 0;
            if (before < 0) {
                if (in->o.hold_last && (in->held || (in->held = av_frame_alloc()))) {
                    av_frame_unref(in->held);
                    av_frame_move_ref(in->held, f);
                } else {
                    av_frame_unref(f);
                }
                continue;
            }
            /* A preview: the frame on screen at from is the last one that
             * starts at or before it; one starting after it is not shown
             * yet. Only that frame is wanted. */
            if (before > 0 && in->o.hold_last && in->held && in->held->buf[0]) {
                av_frame_unref(f);
                av_frame_move_ref(f, in->held);
                in->vdec_eof = 1;
            }
        }
        if (in->end_us != INT64_MAX &&
            av_compare_ts(f->pts, in->vst->time_base, in->end_us, AV_TIME_BASE_Q) >= 0) {
            /* Past the end: stop reading video (frames come out in order). */
            av_frame_unref(f);
            in->vdec_eof = 1;
            continue;
        }
        if (!in->zero_known) {
            in->zero_vts = f->pts;
            in->zero_known = 1;
        }
        if (!in->have_matrix) {
            AVFrameSideData *sd = av_frame_get_side_data(f, AV_FRAME_DATA_DISPLAYMATRIX);
            if (sd && sd->size >= sizeof in->matrix) {
                memcpy(in->matrix, sd->data, sizeof in->matrix);
                in->have_matrix = 1; /* applied once, for the whole stream */
            }
        }
        if (!in->graph || f->width != in->g_w || f->height != in->g_h || f->format != in->g_fmt) {
            if (in->graph) {
                /* Drain the old graph first: nothing is lost. */
                if (av_buffersrc_add_frame(in->src, NULL) < 0)
                    zimu__log(in->c, ZIMU_LOG_WARNING, "%s: cannot flush the filter graph", in->name);
                AVFrame *tmp = av_frame_alloc();
                while (tmp && av_buffersink_get_frame(in->sink, tmp) >= 0)
                    av_frame_unref(tmp); /* rare; such frames are dropped */
                av_frame_free(&tmp);
            }
            r = build_graph(in, f);
            if (r < 0)
                return r;
        }
        r = av_buffersrc_add_frame_flags(in->src, f, AV_BUFFERSRC_FLAG_KEEP_REF);
        av_frame_unref(f);
        if (r < 0)
            return zimu__fail_av(in->c, ZIMU_EFFMPEG, r, "filtering video");
    }
}

static int audio_left(const zimu_media_in *in)
{
    if (!in->zero_known)
        return 0; /* no video frame in range: no audio either */
    if (in->audio_mode == ZIMU_AUDIO_PACKETS)
        return !in->demux_eof;
    if (in->audio_mode == ZIMU_AUDIO_FRAMES)
        return !in->adec_eof || in->n_pending;
    return 0;
}

int zimu__in_read(zimu_media_in *in, zimu_in_item *item)
{
    memset(item, 0, sizeof *item);
    if (in->cards) {
        int r = zimu__cardsrc_read(in->cards, &item->frame, &item->src_ms);
        if (r > 0)
            item->type = ZIMU_ITEM_VIDEO;
        return r;
    }
    for (;;) {
        int r;
        if (!in->video_done) {
            r = next_video(in, item);
            if (r)
                return r;
        }
        r = next_audio(in, item);
        if (r)
            return r;
        if (in->video_done && !audio_left(in))
            return 0;
        if (in->demux_eof)
            continue; /* decoders are draining */
        r = demux_one(in, item);
        if (r)
            return r;
    }
}
