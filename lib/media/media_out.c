/* media_out.c - encode H.264 (libx264) and mux, audio copied or AAC.
 *
 * The output is always written to a real temporary file first: movenc's
 * faststart pass re-opens the output by its URL to move the index to the
 * front, and a half-written file must never appear at the output path. On
 * success the temporary file is renamed over the path, or streamed through
 * the caller's write callback and removed.
 *
 * Timestamps pass through: the encoder and the output stream use the source
 * stream's time base, so a variable-frame-rate clip keeps every frame at its
 * own time. movenc may scale the track timescale up (it doubles a small
 * denominator until it reaches 10000), which only multiplies the ticks, so
 * packets rescaled to the stream's final time base stay exact.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/version.h>
#include <libswresample/swresample.h>

#include "media_out.h"
#include "tmpfile.h"

/* A video frame handed to the encoder whose packet has not come out yet:
 * its pts and the duration to give that packet once it does. */
typedef struct pending_frame {
    int64_t pts;
    int64_t dur_hint; /* the frame's own duration, 0 if unknown */
    int done;         /* packet written */
} pending_frame;

struct zimu_media_out {
    zimu_ctx *c;
    int err; /* first failure; every later call returns it */

    char *path;     /* final path, NULL with write_cb */
    int overwrite;  /* replace a file that appears at path meanwhile */
    char *tmp;      /* temporary file, exists while non-NULL */
    const char *shown; /* name used in messages: path, or "output" */
    zimu_write_fn write_cb;
    void *write_opaque;

    AVFormatContext *fmt;
    AVPacket *pkt;

    /* video */
    AVCodecContext *venc;
    AVStream *vst;
    int width, height;
    int64_t last_pts;
    int have_pts;
    int64_t last_dur; /* pts step between the last two frames */
    int64_t rate_dur; /* one frame at the average rate, 0 if unknown */
    pending_frame *pend;
    size_t npend, cappend;
    int video_flushed;

    /* audio */
    int audio;
    AVStream *ast;
    AVRational audio_tb;
    AVCodecContext *aenc;
    const AVCodecParameters *apar;
    SwrContext *swr;
    int swr_fmt, swr_rate;
    AVChannelLayout swr_layout;
    AVAudioFifo *fifo;
    uint8_t **abuf;
    int abuf_cap;
    int64_t apts_next;
    int apts_started;
    int audio_flushed;
};

/* ------------------------------------------------------------------------
 * Errors
 */

/* Errors that mean the bytes could not be stored: the output's fault, not
 * FFmpeg's. */
static int is_io_error(int averr)
{
    return averr == AVERROR(ENOSPC) || averr == AVERROR(EIO) ||
           averr == AVERROR(EDQUOT) || averr == AVERROR(EFBIG) ||
           averr == AVERROR(EROFS) || averr == AVERROR(EACCES) ||
           averr == AVERROR(EPERM) || averr == AVERROR(ENOENT);
}

static int out_fail_av(zimu_media_out *out, int averr, const char *what)
{
    int code = averr == AVERROR(ENOMEM) ? ZIMU_ENOMEM : ZIMU_EFFMPEG;
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(averr, buf, sizeof buf);
    if (!out->err)
        out->err = zimu__fail(out->c, code, "%s: %s: %s", out->shown, zimu__tr(what), buf);
    return out->err;
}

/* A failure while writing the file: disk full and the like are
 * ZIMU_EOUTPUT, anything else an FFmpeg error. */
static int out_fail_write(zimu_media_out *out, int averr, const char *what)
{
    if (!is_io_error(averr))
        return out_fail_av(out, averr, what);
    if (averr == AVERROR(EFBIG)) {
        /* RLIMIT_FSIZE (ulimit -f) or the file system's largest file: the
         * caller ignored SIGXFSZ, so the write failed instead of killing. */
        if (!out->err)
            out->err = zimu__fail_file(out->c, ZIMU_EOUTPUT, out->path,
                                       "%s: file too large (a limit on file size: "
                                       "ulimit -f, or the file system's)", out->shown);
        return out->err;
    }
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(averr, buf, sizeof buf);
    if (!out->err)
        out->err = zimu__fail_file(out->c, ZIMU_EOUTPUT, out->path, "%s: %s: %s",
                                   out->shown, zimu__tr(what), buf);
    return out->err;
}

static int out_fail(zimu_media_out *out, int code, const char *what)
{
    if (!out->err)
        out->err = zimu__fail_file(out->c, code, code == ZIMU_EOUTPUT ? out->path : NULL,
                                   "%s: %s", out->shown, zimu__tr(what));
    return out->err;
}

/* ------------------------------------------------------------------------
 * Temporary file
 */

/* The temporary file beside path: ".<name>.zimu-XXXXXXXX.part". The
 * container is named explicitly, so the extension does not matter. */
static int make_temp_beside(zimu_media_out *out, const char *path)
{
    size_t len = strlen(path);
    if (!len || path[len - 1] == '/')
        return out_fail(out, ZIMU_EOUTPUT, "not a file name");
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return out_fail(out, ZIMU_EOUTPUT, "is a directory");

    out->tmp = zimu__temp_beside(path);
    if (!out->tmp) {
        int e = errno;
        return out_fail(out, e == ENOMEM ? ZIMU_ENOMEM : ZIMU_EOUTPUT,
                        e == ENOMEM ? zimu__tr("out of memory") : strerror(e));
    }
    return 0;
}

static int make_temp_private(zimu_media_out *out)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    /* ".zimu-HOST-PID-XXXXXXXX.mp4.part": those of runs of this host that
     * were killed are removed first. */
    zimu__temp_remove_stale(dir, ".zimu-", ".mp4.part");
    out->tmp = zimu__temp_owned(dir, ".zimu-", ".mp4.part");
    if (!out->tmp) {
        int e = errno;
        if (!out->err)
            out->err = zimu__fail(out->c, e == ENOMEM ? ZIMU_ENOMEM : ZIMU_EOUTPUT,
                                  "output: cannot create a temporary file in '%s': %s",
                                  dir, strerror(e));
        return out->err;
    }
    return 0;
}

static void remove_temp(zimu_media_out *out)
{
    if (out->tmp) {
        unlink(out->tmp);
        free(out->tmp);
        out->tmp = NULL;
    }
}

/* ------------------------------------------------------------------------
 * Options
 */

static const char *const x264_presets[] = {
    "ultrafast", "superfast", "veryfast", "faster", "fast",
    "medium", "slow", "slower", "veryslow", "placebo", NULL,
};

const char *zimu__out_container(const char *path)
{
    if (!path)
        return "mp4";
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) /* no extension, or a name like ".out" */
        return "mp4";
    if (!strcasecmp(dot, ".mp4") || !strcasecmp(dot, ".m4v"))
        return "mp4";
    if (!strcasecmp(dot, ".mov"))
        return "mov";
    if (!strcasecmp(dot, ".mkv"))
        return "matroska";
    return NULL;
}

int zimu__out_check_name(zimu_ctx *c, const char *path)
{
    if (zimu__out_container(path))
        return 0;
    return zimu__fail_file(c, ZIMU_EINVAL, path,
                           "%s: '%s' is not a video container zimu writes; name the output "
                           ".mp4, .m4v, .mov or .mkv (no extension: MP4)",
                           path, strrchr(path, '.'));
}

/* H.264 level 6.2, the highest: MaxFS 139264 macroblocks. libx264 takes
 * at most 16384 a side. */
#define MAX_SIDE 16384
#define MAX_MBS 139264

int zimu__out_check_size(zimu_ctx *c, int width, int height)
{
    long mbs = (long)((width + 15) / 16) * ((height + 15) / 16);
    if (width > MAX_SIDE || height > MAX_SIDE)
        return zimu__fail(c, ZIMU_EINVAL, "output size %dx%d is too large: libx264 takes at "
                          "most %d pixels a side", width, height, MAX_SIDE);
    if (mbs > MAX_MBS)
        return zimu__fail(c, ZIMU_EINVAL, "output size %dx%d is too large for H.264: it has "
                          "%ld macroblocks of 16x16, the largest level (6.2) allows %d, "
                          "e.g. 8192x4352 or 4352x8192", width, height, mbs, MAX_MBS);
    return 0;
}

static int valid_q(AVRational q)
{
    return q.num > 0 && q.den > 0;
}

static int check_opts(zimu_ctx *c, const zimu_out_opts *o)
{
    if (!o)
        return zimu__fail(c, ZIMU_EINVAL, "output: no options");
    if (!!o->path == !!o->write_cb)
        return zimu__fail(c, ZIMU_EINVAL,
                          "output: give exactly one of a path and a write callback");
    if (o->path && !*o->path)
        return zimu__fail(c, ZIMU_EINVAL, "output: empty path");
    int r;
    if (o->path && (r = zimu__out_check_name(c, o->path)) < 0)
        return r;
    if (o->width <= 0 || o->height <= 0 || (o->width & 1) || (o->height & 1))
        return zimu__fail(c, ZIMU_EINVAL, "output: frame size %dx%d is not positive and even",
                          o->width, o->height);
    if ((r = zimu__out_check_size(c, o->width, o->height)) < 0)
        return r;
    if (!valid_q(o->time_base))
        return zimu__fail(c, ZIMU_EINVAL, "output: video time base %d/%d is not valid",
                          o->time_base.num, o->time_base.den);
    if (o->crf < 0 || o->crf > 51)
        return zimu__fail(c, ZIMU_EINVAL, "output: crf %d is not in 0..51", o->crf);
    if (o->preset) {
        int found = 0;
        for (int i = 0; x264_presets[i]; i++)
            found |= !strcmp(o->preset, x264_presets[i]);
        if (!found)
            return zimu__fail(c, ZIMU_EINVAL, "output: unknown x264 preset '%s'", o->preset);
    }
    if (o->audio != ZIMU_AUDIO_NONE) {
        if (o->audio != ZIMU_AUDIO_COPY && o->audio != ZIMU_AUDIO_ENCODE)
            return zimu__fail(c, ZIMU_EINVAL, "output: unknown audio mode %d", (int)o->audio);
        if (!o->audio_par || o->audio_par->codec_type != AVMEDIA_TYPE_AUDIO)
            return zimu__fail(c, ZIMU_EINVAL, "output: audio parameters missing");
        if (!valid_q(o->audio_tb))
            return zimu__fail(c, ZIMU_EINVAL, "output: audio time base %d/%d is not valid",
                              o->audio_tb.num, o->audio_tb.den);
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Video
 */

static int open_video(zimu_media_out *out, const zimu_out_opts *o)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        return out_fail(out, ZIMU_EFFMPEG, "the libx264 encoder is not available");
    AVCodecContext *e = out->venc = avcodec_alloc_context3(codec);
    if (!e)
        return out_fail(out, ZIMU_ENOMEM, "out of memory");

    e->width = o->width;
    e->height = o->height;
    e->pix_fmt = AV_PIX_FMT_YUV420P;
    e->time_base = o->time_base;
    /* The rate is only a hint (rate control, and the level x264 writes),
     * timestamps decide. Without a usable one x264 would take the time
     * base for the frame rate (90000 fps for 1/90000: level 6.2, which
     * phones refuse), so assume 30. */
    int rate_ok = valid_q(o->frame_rate) && av_cmp_q(o->frame_rate, (AVRational){ 240, 1 }) <= 0;
    e->framerate = rate_ok ? o->frame_rate : (AVRational){ 30, 1 };
    if (valid_q(o->sample_aspect_ratio))
        av_reduce(&e->sample_aspect_ratio.num, &e->sample_aspect_ratio.den,
                  o->sample_aspect_ratio.num, o->sample_aspect_ratio.den, 65535);
    e->colorspace = o->colorspace;
    e->color_primaries = o->color_primaries;
    e->color_trc = o->color_trc;
    e->color_range = o->color_range;
    e->thread_count = o->threads > 0 ? o->threads : 0; /* 0: as many as x264 finds useful */
    if (out->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

    AVDictionary *opt = NULL;
    av_dict_set(&opt, "preset", o->preset ? o->preset : "medium", 0);
    if (o->crf == 0) {
        /* Lossless: constant qp 0 rather than crf 0, which x264 does not
         * promise to keep bit-exact. x264 then writes High 4:4:4
         * Predictive, the only profile with lossless coding. */
        av_dict_set(&opt, "qp", "0", 0);
    } else {
        av_dict_set_int(&opt, "crf", o->crf, 0);
        av_dict_set(&opt, "profile", "high", 0);
    }
    /* x264's own messages go through av_log at every level; silence them at
     * the source so nothing reaches stderr whatever FFmpeg's log level. */
    av_dict_set(&opt, "x264-params", "log=-1", 0);

    /* FFmpeg reads the options with av_strtod() and x264 writes its
     * settings into the stream ("crf=23.0") with sprintf: in C's form. */
    zimu_cnum num;
    zimu__cnum_begin(&num);
    int ret = avcodec_open2(e, codec, &opt);
    zimu__cnum_end(&num);
    av_dict_free(&opt);
    if (ret < 0)
        return out_fail_av(out, ret, "cannot open the libx264 encoder");

    AVStream *st = out->vst = avformat_new_stream(out->fmt, NULL);
    if (!st)
        return out_fail(out, ZIMU_ENOMEM, "out of memory");
    ret = avcodec_parameters_from_context(st->codecpar, e);
    if (ret < 0)
        return out_fail_av(out, ret, "cannot set the video stream parameters");
    st->time_base = e->time_base;
    st->sample_aspect_ratio = e->sample_aspect_ratio;
    if (rate_ok)
        st->avg_frame_rate = o->frame_rate;

    out->width = o->width;
    out->height = o->height;
    out->rate_dur = av_rescale_q(1, av_inv_q(e->framerate), o->time_base);
    return 0;
}

static int pend_push(zimu_media_out *out, int64_t pts, int64_t dur)
{
    if (out->npend == out->cappend) {
        size_t cap = out->cappend ? out->cappend * 2 : 64;
        pending_frame *p = realloc(out->pend, cap * sizeof *p);
        if (!p)
            return out_fail(out, ZIMU_ENOMEM, "out of memory");
        out->pend = p;
        out->cappend = cap;
    }
    out->pend[out->npend++] = (pending_frame){ pts, dur, 0 };
    return 0;
}

/* The duration of the frame whose packet has pts `pts`: up to the next
 * frame's pts when that frame has been sent, else the frame's own duration,
 * else the last step, else one frame at the average rate. */
static int64_t pend_take(zimu_media_out *out, int64_t pts)
{
    int64_t dur = 0;
    size_t i;
    for (i = 0; i < out->npend; i++)
        if (out->pend[i].pts == pts)
            break;
    if (i < out->npend) {
        if (i + 1 < out->npend)
            dur = out->pend[i + 1].pts - pts;
        else if (out->pend[i].dur_hint > 0)
            dur = out->pend[i].dur_hint;
        out->pend[i].done = 1;
    }
    if (dur <= 0)
        dur = out->last_dur > 0 ? out->last_dur : out->rate_dur;
    /* Drop the finished frames at the front; a frame's successor stays
     * until the frame itself is done, since it gives its duration. */
    size_t k = 0;
    while (k < out->npend && out->pend[k].done)
        k++;
    if (k) {
        memmove(out->pend, out->pend + k, (out->npend - k) * sizeof *out->pend);
        out->npend -= k;
    }
    return dur;
}

static int drain_video(zimu_media_out *out)
{
    for (;;) {
        int ret = avcodec_receive_packet(out->venc, out->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return out_fail_av(out, ret, "video encoding failed");
        if (out->pkt->pts != AV_NOPTS_VALUE)
            out->pkt->duration = pend_take(out, out->pkt->pts);
        out->pkt->stream_index = out->vst->index;
        av_packet_rescale_ts(out->pkt, out->venc->time_base, out->vst->time_base);
        ret = av_interleaved_write_frame(out->fmt, out->pkt);
        if (ret < 0)
            return out_fail_write(out, ret, "cannot write video");
    }
}

static int frame_duration(const AVFrame *f)
{
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    return f->duration > 0 && f->duration <= INT32_MAX ? (int)f->duration : 0;
#else
    return f->pkt_duration > 0 && f->pkt_duration <= INT32_MAX ? (int)f->pkt_duration : 0;
#endif
}

int zimu__out_video(zimu_media_out *out, AVFrame *frame)
{
    if (!out)
        return ZIMU_EINVAL;
    if (out->err)
        return out->err;
    if (out->video_flushed) {
        if (!frame)
            return 0;
        return out_fail(out, ZIMU_EINVAL, "video frame after the end of the video");
    }
    int ret;
    if (!frame) {
        out->video_flushed = 1;
        ret = avcodec_send_frame(out->venc, NULL);
        if (ret < 0)
            return out_fail_av(out, ret, "cannot flush the video encoder");
        return drain_video(out);
    }

    if (frame->format != AV_PIX_FMT_YUV420P || frame->width != out->width ||
        frame->height != out->height) {
        const char *name = av_get_pix_fmt_name(frame->format);
        char msg[160];
        snprintf(msg, sizeof msg, zimu__tr("video frame is %s %dx%d, expected yuv420p %dx%d"),
                 name ? name : "?", frame->width, frame->height, out->width, out->height);
        return out_fail(out, ZIMU_EINVAL, msg);
    }
    if (frame->pts == AV_NOPTS_VALUE)
        return out_fail(out, ZIMU_EINVAL, "video frame without a timestamp");
    if (out->have_pts && frame->pts <= out->last_pts) {
        char msg[160];
        snprintf(msg, sizeof msg, zimu__tr("video frame pts %" PRId64 " does not follow %" PRId64),
                 frame->pts, out->last_pts);
        return out_fail(out, ZIMU_EINVAL, msg);
    }
    if (out->have_pts)
        out->last_dur = frame->pts - out->last_pts;
    out->last_pts = frame->pts;
    out->have_pts = 1;

    if ((ret = pend_push(out, frame->pts, frame_duration(frame))) < 0)
        return ret;

    /* libx264 obeys a frame's picture type; a decoded frame carries the
     * source's, which must not dictate our GOP. Restore it afterwards: the
     * frame stays the caller's. */
    enum AVPictureType type = frame->pict_type;
    frame->pict_type = AV_PICTURE_TYPE_NONE;
    ret = avcodec_send_frame(out->venc, frame);
    frame->pict_type = type;
    if (ret < 0)
        return out_fail_av(out, ret, "cannot encode a video frame");
    return drain_video(out);
}

/* ------------------------------------------------------------------------
 * Audio
 */

static int open_audio_copy(zimu_media_out *out, const zimu_out_opts *o)
{
    const AVCodecParameters *par = o->audio_par;
    int q = avformat_query_codec(out->fmt->oformat, par->codec_id, FF_COMPLIANCE_NORMAL);
    if (q == 0) {
        char msg[160];
        snprintf(msg, sizeof msg, zimu__tr("%s audio cannot be copied into %s"),
                 avcodec_get_name(par->codec_id), out->fmt->oformat->name);
        return out_fail(out, ZIMU_EFFMPEG, msg);
    }
    AVStream *st = out->ast = avformat_new_stream(out->fmt, NULL);
    if (!st)
        return out_fail(out, ZIMU_ENOMEM, "out of memory");
    int ret = avcodec_parameters_copy(st->codecpar, par);
    if (ret < 0)
        return out_fail_av(out, ret, "cannot copy the audio stream parameters");
    st->codecpar->codec_tag = 0;
    st->time_base = o->audio_tb;
    return 0;
}

static int open_audio_encode(zimu_media_out *out, const zimu_out_opts *o)
{
    const AVCodecParameters *par = o->audio_par;
    const AVCodec *codec = avcodec_find_encoder_by_name("aac");
    if (!codec)
        return out_fail(out, ZIMU_EFFMPEG, "the aac encoder is not available");
    AVCodecContext *e = out->aenc = avcodec_alloc_context3(codec);
    if (!e)
        return out_fail(out, ZIMU_ENOMEM, "out of memory");

    int rate = par->sample_rate > 0 ? par->sample_rate : 48000;
    if (codec->supported_samplerates) {
        int ok = 0;
        for (const int *r = codec->supported_samplerates; *r; r++)
            ok |= *r == rate;
        if (!ok)
            rate = 48000;
    }
    int channels = par->ch_layout.nb_channels == 1 ? 1 : 2;
    av_channel_layout_default(&e->ch_layout, channels);
    e->sample_rate = rate;
    e->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    e->bit_rate = channels == 2 ? 128000 : 64000;
    e->profile = FF_PROFILE_AAC_LOW;
    e->time_base = (AVRational){ 1, rate };
    if (out->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int ret = avcodec_open2(e, codec, NULL);
    if (ret < 0)
        return out_fail_av(out, ret, "cannot open the AAC encoder");

    AVStream *st = out->ast = avformat_new_stream(out->fmt, NULL);
    if (!st)
        return out_fail(out, ZIMU_ENOMEM, "out of memory");
    ret = avcodec_parameters_from_context(st->codecpar, e);
    if (ret < 0)
        return out_fail_av(out, ret, "cannot set the audio stream parameters");
    st->time_base = e->time_base;

    out->fifo = av_audio_fifo_alloc(e->sample_fmt, channels,
                                    e->frame_size > 0 ? 2 * e->frame_size : 2048);
    if (!out->fifo)
        return out_fail(out, ZIMU_ENOMEM, "out of memory");
    out->swr_fmt = AV_SAMPLE_FMT_NONE;
    return 0;
}

static int drain_audio(zimu_media_out *out)
{
    for (;;) {
        int ret = avcodec_receive_packet(out->aenc, out->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return out_fail_av(out, ret, "audio encoding failed");
        out->pkt->stream_index = out->ast->index;
        av_packet_rescale_ts(out->pkt, out->aenc->time_base, out->ast->time_base);
        ret = av_interleaved_write_frame(out->fmt, out->pkt);
        if (ret < 0)
            return out_fail_write(out, ret, "cannot write audio");
    }
}

/* Encode whole encoder frames from the FIFO; with final, the rest too. */
static int encode_fifo(zimu_media_out *out, int final)
{
    AVCodecContext *e = out->aenc;
    int fs = e->frame_size > 0 ? e->frame_size : 1024;
    for (;;) {
        int avail = av_audio_fifo_size(out->fifo);
        if (avail <= 0 || (avail < fs && !final))
            return 0;
        int n = avail < fs ? avail : fs;
        AVFrame *f = av_frame_alloc();
        if (!f)
            return out_fail(out, ZIMU_ENOMEM, "out of memory");
        f->nb_samples = n;
        f->format = e->sample_fmt;
        f->sample_rate = e->sample_rate;
        int ret = av_channel_layout_copy(&f->ch_layout, &e->ch_layout);
        if (ret >= 0)
            ret = av_frame_get_buffer(f, 0);
        if (ret >= 0 && av_audio_fifo_read(out->fifo, (void **)f->extended_data, n) != n)
            ret = AVERROR_BUG;
        if (ret < 0) {
            av_frame_free(&f);
            return out_fail_av(out, ret, "cannot prepare audio for encoding");
        }
        f->pts = out->apts_next;
        out->apts_next += n;
        ret = avcodec_send_frame(e, f);
        av_frame_free(&f);
        if (ret < 0)
            return out_fail_av(out, ret, "cannot encode audio");
        if ((ret = drain_audio(out)) < 0)
            return ret;
    }
}

static int ensure_abuf(zimu_media_out *out, int samples)
{
    if (samples <= out->abuf_cap)
        return 0;
    if (out->abuf) {
        av_freep(&out->abuf[0]);
        av_freep(&out->abuf);
    }
    out->abuf_cap = 0;
    int ret = av_samples_alloc_array_and_samples(&out->abuf, NULL,
                                                 out->aenc->ch_layout.nb_channels,
                                                 samples, out->aenc->sample_fmt, 0);
    if (ret < 0)
        return out_fail_av(out, ret, "cannot allocate audio buffer");
    out->abuf_cap = samples;
    return 0;
}

/* Push whatever the resampler still holds into the FIFO. */
static int drain_swr(zimu_media_out *out)
{
    if (!out->swr)
        return 0;
    for (;;) {
        int want = swr_get_out_samples(out->swr, 0);
        if (want <= 0)
            return 0;
        int ret = ensure_abuf(out, want);
        if (ret < 0)
            return ret;
        int n = swr_convert(out->swr, out->abuf, want, NULL, 0);
        if (n < 0)
            return out_fail_av(out, n, "audio resampling failed");
        if (n == 0)
            return 0;
        if (av_audio_fifo_write(out->fifo, (void **)out->abuf, n) != n)
            return out_fail(out, ZIMU_ENOMEM, "out of memory");
    }
}

/* (Re)configure the resampler for what this frame carries. */
static int setup_swr(zimu_media_out *out, const AVFrame *f)
{
    AVChannelLayout in = { 0 };
    int ret;
    if (f->ch_layout.nb_channels > 0)
        ret = av_channel_layout_copy(&in, &f->ch_layout);
    else
        ret = av_channel_layout_copy(&in, &out->apar->ch_layout);
    if (ret < 0)
        return out_fail_av(out, ret, "bad audio channel layout");
    if (in.nb_channels <= 0) {
        av_channel_layout_uninit(&in);
        return out_fail(out, ZIMU_EINVAL, "audio frame without channels");
    }
    if (in.order == AV_CHANNEL_ORDER_UNSPEC) {
        int n = in.nb_channels;
        av_channel_layout_uninit(&in);
        av_channel_layout_default(&in, n);
    }
    int rate = f->sample_rate > 0 ? f->sample_rate : out->apar->sample_rate;
    if (rate <= 0) {
        av_channel_layout_uninit(&in);
        return out_fail(out, ZIMU_EINVAL, "audio frame without a sample rate");
    }

    if (out->swr && out->swr_fmt == f->format && out->swr_rate == rate &&
        !av_channel_layout_compare(&out->swr_layout, &in)) {
        av_channel_layout_uninit(&in);
        return 0;
    }
    if ((ret = drain_swr(out)) < 0) {
        av_channel_layout_uninit(&in);
        return ret;
    }
    swr_free(&out->swr);
    av_channel_layout_uninit(&out->swr_layout);

    AVCodecContext *e = out->aenc;
    ret = swr_alloc_set_opts2(&out->swr, &e->ch_layout, e->sample_fmt, e->sample_rate,
                              &in, f->format, rate, 0, NULL);
    if (ret >= 0)
        ret = swr_init(out->swr);
    if (ret < 0) {
        av_channel_layout_uninit(&in);
        swr_free(&out->swr);
        return out_fail_av(out, ret, "cannot set up audio resampling");
    }
    out->swr_fmt = f->format;
    out->swr_rate = rate;
    out->swr_layout = in; /* takes it over */
    return 0;
}

int zimu__out_audio_frame(zimu_media_out *out, AVFrame *frame)
{
    if (!out)
        return ZIMU_EINVAL;
    if (out->err)
        return out->err;
    if (out->audio != ZIMU_AUDIO_ENCODE)
        return out_fail(out, ZIMU_EINVAL, "audio frame but audio is not encoded");
    if (out->audio_flushed) {
        if (!frame)
            return 0;
        return out_fail(out, ZIMU_EINVAL, "audio frame after the end of the audio");
    }
    int ret;
    if (!frame) {
        out->audio_flushed = 1;
        if ((ret = drain_swr(out)) < 0 || (ret = encode_fifo(out, 1)) < 0)
            return ret;
        ret = avcodec_send_frame(out->aenc, NULL);
        if (ret < 0)
            return out_fail_av(out, ret, "cannot flush the audio encoder");
        return drain_audio(out);
    }
    if (frame->nb_samples <= 0)
        return 0;
    if ((ret = setup_swr(out, frame)) < 0)
        return ret;
    if (!out->apts_started) {
        /* Continuous from the first frame's time: gaps and jitter in later
         * timestamps are not carried into the AAC stream. */
        out->apts_next = frame->pts == AV_NOPTS_VALUE ? 0
                       : av_rescale_q(frame->pts, out->audio_tb, out->aenc->time_base);
        out->apts_started = 1;
    }
    int want = swr_get_out_samples(out->swr, frame->nb_samples);
    if (want < 0)
        return out_fail_av(out, want, "audio resampling failed");
    if ((ret = ensure_abuf(out, want > 0 ? want : 1)) < 0)
        return ret;
    int n = swr_convert(out->swr, out->abuf, want, (const uint8_t **)frame->extended_data,
                        frame->nb_samples);
    if (n < 0)
        return out_fail_av(out, n, "audio resampling failed");
    if (n > 0 && av_audio_fifo_write(out->fifo, (void **)out->abuf, n) != n)
        return out_fail(out, ZIMU_ENOMEM, "out of memory");
    return encode_fifo(out, 0);
}

int zimu__out_audio_packet(zimu_media_out *out, AVPacket *pkt)
{
    if (!out)
        return ZIMU_EINVAL;
    if (out->err)
        return out->err;
    if (out->audio != ZIMU_AUDIO_COPY)
        return out_fail(out, ZIMU_EINVAL, "audio packet but audio is not copied");
    if (!pkt)
        return 0;
    /* A reference of our own: the muxer takes what it is given, and the
     * caller's packet stays the caller's. */
    int ret = av_packet_ref(out->pkt, pkt);
    if (ret < 0)
        return out_fail_av(out, ret, "cannot copy an audio packet");
    out->pkt->stream_index = out->ast->index;
    out->pkt->pos = -1;
    av_packet_rescale_ts(out->pkt, out->audio_tb, out->ast->time_base);
    ret = av_interleaved_write_frame(out->fmt, out->pkt);
    av_packet_unref(out->pkt);
    if (ret < 0)
        return out_fail_write(out, ret, "cannot write audio");
    return 0;
}

/* ------------------------------------------------------------------------
 * Open and close
 */

static void out_free(zimu_media_out *out)
{
    if (out->fmt) {
        if (out->fmt->pb)
            avio_closep(&out->fmt->pb);
        avformat_free_context(out->fmt);
    }
    remove_temp(out);
    avcodec_free_context(&out->venc);
    avcodec_free_context(&out->aenc);
    av_packet_free(&out->pkt);
    swr_free(&out->swr);
    av_channel_layout_uninit(&out->swr_layout);
    av_audio_fifo_free(out->fifo);
    if (out->abuf) {
        av_freep(&out->abuf[0]);
        av_freep(&out->abuf);
    }
    free(out->pend);
    free(out->path);
    free(out);
}

int zimu__out_open(zimu_ctx *c, zimu_media_out **outp, const zimu_out_opts *o)
{
    if (!outp)
        return zimu__fail(c, ZIMU_EINVAL, "output: no handle");
    *outp = NULL;
    int ret = check_opts(c, o);
    if (ret < 0)
        return ret;

    zimu_media_out *out = calloc(1, sizeof *out);
    if (!out)
        return zimu__fail(c, ZIMU_ENOMEM, "output: out of memory");
    out->c = c;
    out->write_cb = o->write_cb;
    out->write_opaque = o->write_opaque;
    out->overwrite = o->overwrite;
    out->audio = o->audio;
    out->audio_tb = o->audio_tb;
    out->apar = o->audio_par;
    out->swr_fmt = AV_SAMPLE_FMT_NONE;
    if (o->path) {
        out->path = strdup(o->path);
        if (!out->path) {
            free(out);
            return zimu__fail(c, ZIMU_ENOMEM, "output: out of memory");
        }
        out->shown = out->path;
        ret = make_temp_beside(out, o->path);
    } else {
        out->shown = "output";
        ret = make_temp_private(out);
    }
    if (ret < 0)
        goto fail;

    const char *format = zimu__out_container(o->path);
    /* "file:" so that a name with a colon is never taken for a protocol;
     * movenc re-opens this URL for faststart. */
    size_t ul = strlen(out->tmp) + 6;
    char *url = av_malloc(ul);
    if (!url) {
        ret = out_fail(out, ZIMU_ENOMEM, "out of memory");
        goto fail;
    }
    snprintf(url, ul, "file:%s", out->tmp);
    ret = avformat_alloc_output_context2(&out->fmt, NULL, format, url);
    if (ret < 0 || !out->fmt) {
        av_free(url);
        ret = out_fail_av(out, ret < 0 ? ret : AVERROR(ENOMEM), "cannot set up the muxer");
        goto fail;
    }
    av_free(url);
    /* Matroska cannot say that an AAC encoder's first 1024 samples are
     * priming, so by default the muxer would shift every stream by them
     * (video starting at 21 ms). Negative block times are valid there:
     * keep the video's timestamps as they came. */
    if (!strcmp(format, "matroska"))
        out->fmt->avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED;
    out->pkt = av_packet_alloc();
    if (!out->pkt) {
        ret = out_fail(out, ZIMU_ENOMEM, "out of memory");
        goto fail;
    }

    if ((ret = open_video(out, o)) < 0)
        goto fail;
    if (o->audio == ZIMU_AUDIO_COPY)
        ret = open_audio_copy(out, o);
    else if (o->audio == ZIMU_AUDIO_ENCODE)
        ret = open_audio_encode(out, o);
    if (ret < 0)
        goto fail;

    ret = avio_open(&out->fmt->pb, out->fmt->url, AVIO_FLAG_WRITE);
    if (ret < 0) {
        ret = out_fail_write(out, ret, "cannot open the temporary file");
        goto fail;
    }
    AVDictionary *mopt = NULL;
    if (!strcmp(format, "mp4") || !strcmp(format, "mov"))
        av_dict_set(&mopt, "movflags", "+faststart", 0);
    ret = avformat_write_header(out->fmt, &mopt);
    av_dict_free(&mopt);
    if (ret < 0) {
        ret = out_fail_write(out, ret, "cannot write the header");
        goto fail;
    }
    zimu__log(c, ZIMU_LOG_DEBUG, "output: %s (%s) via %s, video time base %d/%d -> %d/%d",
              out->shown, format, out->tmp, o->time_base.num, o->time_base.den,
              out->vst->time_base.num, out->vst->time_base.den);
    *outp = out;
    return 0;

fail:
    ret = out->err ? out->err : ret;
    out_free(out);
    return ret;
}

/* Stream the finished temporary file through the write callback. */
static int deliver(zimu_media_out *out)
{
    int fd = open(out->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        char msg[256];
        snprintf(msg, sizeof msg, zimu__tr("cannot read back the temporary file: %s"), strerror(errno));
        return out_fail(out, ZIMU_EOUTPUT, msg);
    }
    enum { CHUNK = 1 << 16 };
    uint8_t *buf = malloc(CHUNK);
    if (!buf) {
        close(fd);
        return out_fail(out, ZIMU_ENOMEM, "out of memory");
    }
    int ret = 0;
    for (;;) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            char msg[256];
            snprintf(msg, sizeof msg, zimu__tr("cannot read back the temporary file: %s"),
                     strerror(errno));
            ret = out_fail(out, ZIMU_EOUTPUT, msg);
            break;
        }
        if (n == 0)
            break;
        ssize_t off = 0;
        while (off < n) {
            int w = out->write_cb(out->write_opaque, buf + off, (int)(n - off));
            if (w <= 0 || w > n - off) {
                ret = out_fail(out, ZIMU_EOUTPUT, "the write callback failed");
                break;
            }
            off += w;
        }
        if (ret < 0)
            break;
    }
    free(buf);
    close(fd);
    return ret;
}

static int finish(zimu_media_out *out)
{
    int ret;
    if (!out->video_flushed && (ret = zimu__out_video(out, NULL)) < 0)
        return ret;
    if (out->audio == ZIMU_AUDIO_ENCODE && !out->audio_flushed &&
        (ret = zimu__out_audio_frame(out, NULL)) < 0)
        return ret;
    ret = av_write_trailer(out->fmt);
    if (ret < 0)
        return out_fail_write(out, ret, "cannot finish the file");
    ret = avio_closep(&out->fmt->pb);
    if (ret < 0)
        return out_fail_write(out, ret, "cannot close the file");

    if (out->path) {
        ret = zimu__temp_publish(out->c, out->tmp, out->path, out->overwrite); /* removes tmp on failure */
        free(out->tmp);
        out->tmp = NULL;
        if (ret < 0)
            out->err = ret;
        return ret;
    }
    return deliver(out); /* the temporary file is removed by out_free */
}

int zimu__out_close(zimu_ctx *c, zimu_media_out **outp, int ok)
{
    if (!outp || !*outp)
        return 0;
    zimu_media_out *out = *outp;
    *outp = NULL;
    if (c)
        out->c = c;
    int ret = 0;
    if (ok)
        ret = out->err ? out->err : finish(out);
    out_free(out); /* removes the temporary file unless it was renamed */
    return ret;
}
