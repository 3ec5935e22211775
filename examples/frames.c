/* frames.c - caption frames that you decode yourself.
 *
 * Decodes INPUT with libavformat and libavcodec, draws the captions of SUBS
 * onto every frame with a zimu renderer and writes the frames as a
 * YUV4MPEG2 file. For 8-bit 4:2:0 limited-range video (what phones and
 * cameras record) these are the pixels `zimu burn` gives, before encoding.
 * Other formats are converted to 8-bit 4:2:0 here and keep their range
 * (a burn converts full range to limited).
 *
 *   cc frames.c -o frames \
 *      $(pkg-config --cflags --libs zimu libavformat libavcodec libswscale libavutil)
 *   ./frames in.mp4 in.srt out.y4m
 *   ffplay out.y4m
 *
 * Frames are captioned as stored: unlike a burn, this program does not
 * turn a phone clip upright by its display matrix, scale, or tone-map HDR
 * to SDR (those are libavfilter's job: rotate first, then caption).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
#include <zimu.h>

typedef struct state {
    const char *in_path, *out_path;
    AVFormatContext *fmt;
    AVStream *st;
    AVCodecContext *dec;
    struct SwsContext *sws;
    AVFrame *frame, *conv;      /* decoded; converted to yuv420p if needed */
    zimu_renderer *r;
    FILE *out;
    int width, height;          /* of the first frame: the y4m's size */
    int64_t frames;
} state;

static int av_fail(const char *path, const char *what, int err)
{
    fprintf(stderr, "frames: %s: %s: %s\n", path, what, av_err2str(err));
    return -1;
}

/* A frame's time as a burn counts it: milliseconds from the start of the
 * file (the earliest start of its streams), rounded down. Cue times are
 * in the same clock. */
static int64_t frame_ms(const state *s, int64_t pts)
{
    int64_t us = av_rescale_q_rnd(pts, s->st->time_base, AV_TIME_BASE_Q, AV_ROUND_DOWN);
    int64_t start = s->fmt->start_time != AV_NOPTS_VALUE ? s->fmt->start_time : 0;
    int64_t rel = us - start;
    return rel >= 0 ? rel / 1000 : -((-rel + 999) / 1000);
}

/* The y4m header, from the first frame. The chroma siting names the
 * layout: H.264 and most video put chroma left (mpeg2), JPEG centred. */
static int write_header(state *s, const AVFrame *f)
{
    AVRational fps = s->st->avg_frame_rate;
    if (fps.num <= 0 || fps.den <= 0)
        fps = s->st->r_frame_rate;
    if (fps.num <= 0 || fps.den <= 0)
        fps = (AVRational){25, 1};
    AVRational sar = f->sample_aspect_ratio;
    if (sar.num <= 0 || sar.den <= 0)
        sar = (AVRational){0, 0};
    const char *siting = f->chroma_location == AVCHROMA_LOC_CENTER ? "420jpeg" : "420mpeg2";
    s->width = f->width;
    s->height = f->height;
    fprintf(s->out, "YUV4MPEG2 W%d H%d F%d:%d Ip A%d:%d C%s%s\n", f->width, f->height,
            fps.num, fps.den, sar.num, sar.den, siting,
            f->color_range == AVCOL_RANGE_JPEG ? " XCOLORRANGE=FULL" : "");
    return ferror(s->out) ? -1 : 0;
}

static int write_frame(state *s, const AVFrame *f)
{
    int cw = (f->width + 1) / 2, ch = (f->height + 1) / 2;
    fputs("FRAME\n", s->out);
    for (int p = 0; p < 3; p++) {
        int w = p ? cw : f->width, h = p ? ch : f->height;
        for (int y = 0; y < h; y++)
            fwrite(f->data[p] + (ptrdiff_t)y * f->linesize[p], 1, w, s->out);
    }
    if (ferror(s->out)) {
        fprintf(stderr, "frames: %s: write error\n", s->out_path);
        return -1;
    }
    return 0;
}

/* The colour matrix a frame is in: its tag, else BT.709 for HD and BT.601
 * below 720 lines, as a burn reads untagged video. */
static int frame_matrix(const AVFrame *f)
{
    switch (f->colorspace) {
    case AVCOL_SPC_BT709:
        return ZIMU_MATRIX_BT709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
        return ZIMU_MATRIX_BT601;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return ZIMU_MATRIX_BT2020;
    default:
        return FFMIN(f->width, f->height) >= 720 ? ZIMU_MATRIX_BT709 : ZIMU_MATRIX_BT601;
    }
}

/* Caption one decoded frame and write it. */
static int caption_frame(state *s, AVFrame *f)
{
    int full_range = f->format == AV_PIX_FMT_YUVJ420P || f->color_range == AVCOL_RANGE_JPEG;
    if (f->format != AV_PIX_FMT_YUV420P && f->format != AV_PIX_FMT_YUVJ420P) {
        /* Anything else (10-bit, 4:2:2, ...) to 8-bit 4:2:0. swscale
         * keeps the range, except that it expands the old yuvj formats. */
        if (f->format == AV_PIX_FMT_YUVJ422P || f->format == AV_PIX_FMT_YUVJ444P ||
            f->format == AV_PIX_FMT_YUVJ440P || f->format == AV_PIX_FMT_YUVJ411P)
            full_range = 0;
        s->sws = sws_getCachedContext(s->sws, f->width, f->height, f->format, f->width,
                                      f->height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL,
                                      NULL);
        if (!s->sws) {
            fprintf(stderr, "frames: %s: cannot convert %s frames\n", s->in_path,
                    av_get_pix_fmt_name(f->format));
            return -1;
        }
        av_frame_unref(s->conv);
        s->conv->format = AV_PIX_FMT_YUV420P;
        s->conv->width = f->width;
        s->conv->height = f->height;
        int e = av_frame_get_buffer(s->conv, 0);
        if (e < 0 || (e = av_frame_copy_props(s->conv, f)) < 0)
            return av_fail(s->in_path, "converting a frame", e);
        sws_scale(s->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height,
                  s->conv->data, s->conv->linesize);
        s->conv->color_range = full_range ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
        f = s->conv;
    } else if (av_frame_make_writable(f) < 0) {
        /* The decoder may still use this picture as a reference. */
        fprintf(stderr, "frames: out of memory\n");
        return -1;
    }

    if (s->frames == 0) {
        if (write_header(s, f) < 0) {
            fprintf(stderr, "frames: %s: write error\n", s->out_path);
            return -1;
        }
        if (zimu_renderer_set_size(s->r, f->width, f->height) < 0) {
            fprintf(stderr, "frames: %s: %s\n", s->in_path, zimu_errmsg(s->r));
            return -1;
        }
    } else if (f->width != s->width || f->height != s->height) {
        fprintf(stderr, "frames: %s: frame size changes from %dx%d to %dx%d; a y4m file "
                "has one size\n", s->in_path, s->width, s->height, f->width, f->height);
        return -1;
    }

    int64_t pts = f->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE)
        pts = f->pts;
    if (pts == AV_NOPTS_VALUE) {
        fprintf(stderr, "frames: %s: frame %" PRId64 " has no timestamp\n", s->in_path,
                s->frames);
        return -1;
    }
    int strides[3] = {f->linesize[0], f->linesize[1], f->linesize[2]};
    int r = zimu_renderer_draw_yuv420(s->r, frame_ms(s, pts), f->data, strides,
                                      frame_matrix(f), full_range);
    if (r < 0) {
        /* Style, font and logo problems show here; the message names the
         * file they are about. */
        fprintf(stderr, "frames: %s\n", zimu_errmsg(s->r));
        return -1;
    }
    s->frames++;
    return write_frame(s, f);
}

/* Send pkt (NULL: drain) and caption every frame that comes out. */
static int decode(state *s, const AVPacket *pkt)
{
    int e = avcodec_send_packet(s->dec, pkt);
    if (e < 0 && e != AVERROR_EOF)
        return av_fail(s->in_path, "decoding", e);
    for (;;) {
        e = avcodec_receive_frame(s->dec, s->frame);
        if (e == AVERROR(EAGAIN) || e == AVERROR_EOF)
            return 0;
        if (e < 0)
            return av_fail(s->in_path, "decoding", e);
        int r = caption_frame(s, s->frame);
        av_frame_unref(s->frame);
        if (r < 0)
            return r;
    }
}

static int open_input(state *s)
{
    int e = avformat_open_input(&s->fmt, s->in_path, NULL, NULL);
    if (e < 0)
        return av_fail(s->in_path, "cannot open", e);
    if ((e = avformat_find_stream_info(s->fmt, NULL)) < 0)
        return av_fail(s->in_path, "cannot read stream info", e);
    const AVCodec *codec = NULL;
    int idx = av_find_best_stream(s->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (idx < 0)
        return av_fail(s->in_path, "no video stream", idx);
    if (!codec) {
        fprintf(stderr, "frames: %s: no decoder for its video\n", s->in_path);
        return -1;
    }
    s->st = s->fmt->streams[idx];
    if (!(s->dec = avcodec_alloc_context3(codec)))
        return av_fail(s->in_path, "opening the decoder", AVERROR(ENOMEM));
    if ((e = avcodec_parameters_to_context(s->dec, s->st->codecpar)) < 0)
        return av_fail(s->in_path, "opening the decoder", e);
    s->dec->pkt_timebase = s->st->time_base;
    s->dec->thread_count = 0; /* as many as the machine has */
    if ((e = avcodec_open2(s->dec, codec, NULL)) < 0)
        return av_fail(s->in_path, "opening the decoder", e);
    return 0;
}

/* The captions: loaded into a zimu_subs and handed (copied) to the
 * renderer. Style, safe area and so on are the renderer's defaults, as
 * for `zimu burn` without options. */
static int setup_captions(state *s, const char *subs_path)
{
    zimu_subs *subs = zimu_subs_new();
    s->r = zimu_renderer_new();
    if (!subs || !s->r) {
        zimu_subs_free(&subs);
        fprintf(stderr, "frames: out of memory\n");
        return -1;
    }
    int r = zimu_subs_load(subs, subs_path);
    if (r < 0)
        fprintf(stderr, "frames: %s\n", zimu_subs_errmsg(subs)); /* names the file */
    else if ((r = zimu_renderer_set_captions(s->r, subs)) < 0)
        fprintf(stderr, "frames: %s: %s\n", subs_path, zimu_errmsg(s->r));
    zimu_subs_free(&subs); /* the renderer keeps its own copy */
    return r < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s INPUT SUBS OUTPUT.y4m\n", argv[0]);
        return 2;
    }
    state s = {.in_path = argv[1], .out_path = argv[3]};
    int ok = -1;
    AVPacket *pkt = av_packet_alloc();
    s.frame = av_frame_alloc();
    s.conv = av_frame_alloc();
    if (!pkt || !s.frame || !s.conv) {
        fprintf(stderr, "frames: out of memory\n");
        goto done;
    }
    if (setup_captions(&s, argv[2]) < 0 || open_input(&s) < 0)
        goto done;
    if (!(s.out = fopen(s.out_path, "wb"))) {
        fprintf(stderr, "frames: %s: %s\n", s.out_path, strerror(errno));
        goto done;
    }

    int e;
    while ((e = av_read_frame(s.fmt, pkt)) >= 0) {
        int r = pkt->stream_index == s.st->index ? decode(&s, pkt) : 0;
        av_packet_unref(pkt);
        if (r < 0)
            goto done;
    }
    if (e != AVERROR_EOF) {
        av_fail(s.in_path, "reading", e);
        goto done;
    }
    if (decode(&s, NULL) < 0)
        goto done;
    if (s.frames == 0) {
        fprintf(stderr, "frames: %s: no video frames\n", s.in_path);
        goto done;
    }
    ok = 0;
done:
    if (s.out) {
        if (fclose(s.out) != 0 && ok == 0) {
            fprintf(stderr, "frames: %s: %s\n", s.out_path, strerror(errno));
            ok = -1;
        }
        if (ok < 0)
            remove(s.out_path); /* no half-written file */
    }
    zimu_renderer_free(&s.r);
    sws_freeContext(s.sws);
    av_frame_free(&s.frame);
    av_frame_free(&s.conv);
    av_packet_free(&pkt);
    avcodec_free_context(&s.dec);
    avformat_close_input(&s.fmt);
    return ok < 0;
}
