/* check_media_out.c - H.264 encoding and muxing (lib/media_out.c).
 *
 * Frames are generated here; outputs are read back with libavformat and
 * decoded with libavcodec. The AAC/MP3 sources for the audio-copy tests are
 * made with the ffmpeg program at test time.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>

#include "media_out.h"

/* ------------------------------------------------------------------------
 * Helpers
 */

static char tdir[256];

static void setup(void)
{
    av_log_set_level(AV_LOG_QUIET);
    snprintf(tdir, sizeof tdir, "/tmp/zimu-mout-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tdir));
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            chmod(p, 0755);
            rm_tree(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
    rmdir(dir);
}

static void teardown(void)
{
    rm_tree(tdir);
}

static const char *tpath(const char *name)
{
    static char buf[4][1024];
    static int k;
    char *p = buf[k++ & 3];
    snprintf(p, sizeof buf[0], "%s/%s", tdir, name);
    return p;
}

/* Names in dir, sorted-insensitive count; fills names joined by '|'. */
static int list_dir(const char *dir, char *names, size_t cap)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    names[0] = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        strncat(names, e->d_name, cap - strlen(names) - 2);
        strncat(names, "|", cap - strlen(names) - 1);
    }
    closedir(d);
    return n;
}

static int file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? n : 1);
    ck_assert(fread(b, 1, n, f) == (size_t)n);
    fclose(f);
    *size = n;
    return b;
}

/* A deterministic picture for frame idx: gradients that move with idx. */
static void fill_frame(AVFrame *f, int idx)
{
    for (int y = 0; y < f->height; y++)
        for (int x = 0; x < f->width; x++)
            f->data[0][y * f->linesize[0] + x] =
                (uint8_t)(16 + ((x * 3 + y * 2 + idx * 7) % 200) +
                          (((x / 8 + y / 8 + idx) & 1) ? 20 : 0));
    for (int y = 0; y < f->height / 2; y++)
        for (int x = 0; x < f->width / 2; x++) {
            f->data[1][y * f->linesize[1] + x] = (uint8_t)(64 + ((x + idx * 5) & 127));
            f->data[2][y * f->linesize[2] + x] = (uint8_t)(64 + ((y * 3 + idx) & 127));
        }
}

static AVFrame *make_frame(int w, int h, int idx, int64_t pts)
{
    AVFrame *f = av_frame_alloc();
    ck_assert_ptr_nonnull(f);
    f->format = AV_PIX_FMT_YUV420P;
    f->width = w;
    f->height = h;
    ck_assert_int_ge(av_frame_get_buffer(f, 0), 0);
    fill_frame(f, idx);
    f->pts = pts;
    return f;
}

static zimu_out_opts base_opts(const char *path, int w, int h, AVRational tb,
                               AVRational fr, int crf)
{
    zimu_out_opts o;
    memset(&o, 0, sizeof o);
    o.path = path;
    o.width = w;
    o.height = h;
    o.time_base = tb;
    o.frame_rate = fr;
    o.sample_aspect_ratio = (AVRational){ 1, 1 };
    o.colorspace = AVCOL_SPC_BT709;
    o.color_primaries = AVCOL_PRI_BT709;
    o.color_trc = AVCOL_TRC_BT709;
    o.color_range = AVCOL_RANGE_MPEG;
    o.crf = crf;
    o.preset = "ultrafast";
    o.audio = ZIMU_AUDIO_NONE;
    return o;
}

/* VFR timestamps: steps of unit * (1, 2, 1, 3, ...) from start. */
static void vfr_pts(int64_t *pts, int n, int64_t start, int64_t unit)
{
    static const int steps[] = { 1, 2, 1, 3 };
    pts[0] = start;
    for (int i = 1; i < n; i++)
        pts[i] = pts[i - 1] + unit * steps[(i - 1) % 4];
}

/* Open, send n frames, close(ok). Returns the first error or 0. */
static int encode_frames(zimu_ctx *c, const zimu_out_opts *o, int n,
                         const int64_t *pts, int64_t last_dur, int ok)
{
    zimu_media_out *out = NULL;
    int ret = zimu__out_open(c, &out, o);
    if (ret < 0)
        return ret;
    ck_assert_ptr_nonnull(out);
    for (int i = 0; i < n && ret >= 0; i++) {
        AVFrame *f = make_frame(o->width, o->height, i, pts[i]);
        f->pkt_duration = i == n - 1 ? last_dur : pts[i + 1] - pts[i];
        ret = zimu__out_video(out, f);
        av_frame_free(&f);
    }
    if (ret < 0) {
        zimu__out_close(c, &out, 0);
        return ret;
    }
    ret = zimu__out_close(c, &out, ok);
    ck_assert_ptr_null(out);
    return ret;
}

/* What a file holds, read back through libavformat. */
typedef struct probe {
    AVFormatContext *fmt;
    int vi, ai;                      /* stream indexes, -1 if none */
    AVCodecParameters *vpar_raw;     /* video codecpar before find_stream_info */
    AVRational sar_raw;              /* and the stream's aspect ratio then */
    int64_t vpts[512];
    int nv, vkey;
    AVPacket *apkt[512];
    int na;
} probe;

static void probe_open(probe *p, const char *path)
{
    memset(p, 0, sizeof *p);
    p->vi = p->ai = -1;
    ck_assert_int_eq(avformat_open_input(&p->fmt, path, NULL, NULL), 0);
    for (unsigned i = 0; i < p->fmt->nb_streams; i++) {
        if (p->fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && p->vi < 0) {
            p->vi = (int)i;
            p->vpar_raw = avcodec_parameters_alloc();
            avcodec_parameters_copy(p->vpar_raw, p->fmt->streams[i]->codecpar);
            p->sar_raw = p->fmt->streams[i]->sample_aspect_ratio;
        }
    }
    ck_assert_int_ge(avformat_find_stream_info(p->fmt, NULL), 0);
    p->ai = av_find_best_stream(p->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    AVPacket *pkt = av_packet_alloc();
    while (av_read_frame(p->fmt, pkt) >= 0) {
        if (pkt->stream_index == p->vi) {
            ck_assert_int_lt(p->nv, 512);
            p->vpts[p->nv++] = pkt->pts;
            p->vkey += !!(pkt->flags & AV_PKT_FLAG_KEY);
        } else if (pkt->stream_index == p->ai) {
            ck_assert_int_lt(p->na, 512);
            p->apkt[p->na++] = av_packet_clone(pkt);
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
}

static void probe_close(probe *p)
{
    for (int i = 0; i < p->na; i++)
        av_packet_free(&p->apkt[i]);
    avcodec_parameters_free(&p->vpar_raw);
    avformat_close_input(&p->fmt);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Every source pts appears in the output, within half a source tick. */
static void check_pts(probe *p, const int64_t *pts, int n, AVRational tb)
{
    ck_assert_int_eq(p->nv, n);
    AVRational otb = p->fmt->streams[p->vi]->time_base;
    int64_t got[512];
    for (int i = 0; i < n; i++)
        got[i] = av_rescale_q(p->vpts[i], otb, tb);
    qsort(got, n, sizeof *got, cmp64);
    for (int i = 0; i < n; i++)
        ck_assert_msg(got[i] == pts[i], "frame %d: pts %lld, expected %lld (out tb %d/%d)",
                      i, (long long)got[i], (long long)pts[i], otb.num, otb.den);
}

/* Decode the video of path; compare each picture with the generated one
 * (exactly when exact, else only count). Returns frames decoded; fills the
 * first frame's colour tags. */
static int decode_video(const char *path, int exact, AVFrame *first_out)
{
    AVFormatContext *fmt = NULL;
    ck_assert_int_eq(avformat_open_input(&fmt, path, NULL, NULL), 0);
    ck_assert_int_ge(avformat_find_stream_info(fmt, NULL), 0);
    int vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    ck_assert_int_ge(vi, 0);
    const AVCodec *dec = avcodec_find_decoder(fmt->streams[vi]->codecpar->codec_id);
    AVCodecContext *d = avcodec_alloc_context3(dec);
    avcodec_parameters_to_context(d, fmt->streams[vi]->codecpar);
    d->thread_count = 1;
    ck_assert_int_eq(avcodec_open2(d, dec, NULL), 0);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int n = 0, eof = 0;
    while (!eof) {
        int r = av_read_frame(fmt, pkt);
        if (r < 0) {
            avcodec_send_packet(d, NULL);
            eof = 1;
        } else if (pkt->stream_index != vi) {
            av_packet_unref(pkt);
            continue;
        } else {
            ck_assert_int_ge(avcodec_send_packet(d, pkt), 0);
            av_packet_unref(pkt);
        }
        while (avcodec_receive_frame(d, f) >= 0) {
            if (n == 0 && first_out)
                av_frame_ref(first_out, f);
            if (exact) {
                AVFrame *ref = make_frame(f->width, f->height, n, 0);
                ck_assert_int_eq(f->format, AV_PIX_FMT_YUV420P);
                for (int pl = 0; pl < 3; pl++) {
                    int ph = pl ? f->height / 2 : f->height, pw = pl ? f->width / 2 : f->width;
                    for (int y = 0; y < ph; y++)
                        ck_assert_msg(!memcmp(f->data[pl] + y * f->linesize[pl],
                                              ref->data[pl] + y * ref->linesize[pl], pw),
                                      "frame %d plane %d row %d differs", n, pl, y);
                }
                av_frame_free(&ref);
            }
            n++;
            av_frame_unref(f);
        }
    }
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&d);
    avformat_close_input(&fmt);
    return n;
}

/* Top-level MP4 boxes: the first two types. */
static void top_boxes(const uint8_t *b, size_t n, char first[5], char second[5])
{
    ck_assert_uint_ge(n, 16);
    uint32_t s1 = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
    memcpy(first, b + 4, 4);
    first[4] = 0;
    ck_assert_uint_ge(n, s1 + 8);
    memcpy(second, b + s1 + 4, 4);
    second[4] = 0;
}

/* ------------------------------------------------------------------------
 * Video
 */

START_TEST(test_vfr_high_profile)
{
    zimu_ctx c = { 0 };
    enum { N = 30 };
    int64_t pts[N];
    AVRational tb = { 1, 30000 };
    vfr_pts(pts, N, 0, 1001);
    zimu_out_opts o = base_opts(tpath("vfr.mp4"), 320, 568, tb, (AVRational){ 30000, 1001 }, 20);
    o.preset = "medium";
    ck_assert_int_eq(encode_frames(&c, &o, N, pts, 2002, 1), 0);

    probe p;
    probe_open(&p, o.path);
    ck_assert_int_ge(p.vi, 0);
    AVStream *st = p.fmt->streams[p.vi];
    /* The track timescale follows the source. */
    ck_assert_int_eq(st->time_base.num, 1);
    ck_assert_int_eq(st->time_base.den, 30000);
    check_pts(&p, pts, N, tb);
    /* The presentation lasts to the end of the last frame, whose own
     * duration is kept (the movie header counts milliseconds). */
    ck_assert_msg(llabs(p.fmt->duration - av_rescale_q(pts[N - 1] + 2002 - pts[0], tb,
                                                       AV_TIME_BASE_Q)) <= 1000,
                  "duration %lld us", (long long)p.fmt->duration);
    ck_assert_int_eq(st->codecpar->codec_id, AV_CODEC_ID_H264);
    ck_assert_int_eq(st->codecpar->format, AV_PIX_FMT_YUV420P);
    ck_assert_int_eq(st->codecpar->profile, FF_PROFILE_H264_HIGH);
    ck_assert_int_ge(st->codecpar->extradata_size, 4);
    ck_assert_int_eq(st->codecpar->extradata[1], 100); /* avcC profile_idc */
    ck_assert_int_eq(st->codecpar->width, 320);
    ck_assert_int_eq(st->codecpar->height, 568);
    /* B-frames: decode order differs from presentation order somewhere. */
    int reordered = 0;
    for (int i = 1; i < p.nv; i++)
        reordered |= p.vpts[i] < p.vpts[i - 1];
    ck_assert(reordered);
    probe_close(&p);
    ck_assert_int_eq(decode_video(o.path, 0, NULL), N);
}
END_TEST

START_TEST(test_lossless_tick_steps)
{
    /* One-tick steps at 1/90000: the strictest pass-through. */
    zimu_ctx c = { 0 };
    enum { N = 30 };
    int64_t pts[N];
    AVRational tb = { 1, 90000 };
    vfr_pts(pts, N, 0, 1);
    zimu_out_opts o = base_opts(tpath("ll.mp4"), 64, 64, tb, (AVRational){ 0, 0 }, 0);
    ck_assert_int_eq(encode_frames(&c, &o, N, pts, 1, 1), 0);

    probe p;
    probe_open(&p, o.path);
    AVStream *st = p.fmt->streams[p.vi];
    ck_assert_int_eq(st->time_base.den, 90000);
    check_pts(&p, pts, N, tb);
    ck_assert_int_eq(st->codecpar->extradata[1], 244); /* High 4:4:4 Predictive */
    /* No frame rate given: x264 must not take 90000 fps from the time base
     * (that would write level 5+ for a 64x64 picture). */
    ck_assert_int_le(st->codecpar->extradata[3], 30);
    probe_close(&p);
    ck_assert_int_eq(decode_video(o.path, 1, NULL), N);
}
END_TEST

START_TEST(test_lossless_vertical_bit_identical)
{
    zimu_ctx c = { 0 };
    enum { N = 30 };
    int64_t pts[N];
    AVRational tb = { 1, 30 };
    for (int i = 0; i < N; i++)
        pts[i] = i;
    zimu_out_opts o = base_opts(tpath("ll2.mp4"), 320, 568, tb, (AVRational){ 30, 1 }, 0);
    ck_assert_int_eq(encode_frames(&c, &o, N, pts, 1, 1), 0);
    probe p;
    probe_open(&p, o.path);
    /* movenc scales a small timescale up; the ticks must still map exactly. */
    ck_assert_int_ge(p.fmt->streams[p.vi]->time_base.den, 10000);
    check_pts(&p, pts, N, tb);
    probe_close(&p);
    ck_assert_int_eq(decode_video(o.path, 1, NULL), N);
}
END_TEST

START_TEST(test_mov_nonzero_start)
{
    zimu_ctx c = { 0 };
    enum { N = 24 };
    int64_t pts[N];
    AVRational tb = { 1, 600 };
    vfr_pts(pts, N, 1200, 20);
    zimu_out_opts o = base_opts(tpath("clip.MOV"), 128, 96, tb, (AVRational){ 30, 1 }, 0);
    ck_assert_int_eq(encode_frames(&c, &o, N, pts, 20, 1), 0);
    probe p;
    probe_open(&p, o.path);
    ck_assert_str_eq(p.fmt->iformat->name, "mov,mp4,m4a,3gp,3g2,mj2");
    ck_assert_int_eq(p.fmt->streams[p.vi]->time_base.den % 600, 0);
    check_pts(&p, pts, N, tb);
    probe_close(&p);
    ck_assert_int_eq(decode_video(o.path, 1, NULL), N);
    /* QuickTime brand, not isom. */
    size_t n;
    uint8_t *b = slurp(o.path, &n);
    ck_assert_ptr_nonnull(b);
    ck_assert(!memcmp(b + 4, "ftypqt  ", 8));
    free(b);
}
END_TEST

START_TEST(test_mkv)
{
    zimu_ctx c = { 0 };
    enum { N = 20 };
    int64_t pts[N];
    AVRational tb = { 1, 1000 };
    vfr_pts(pts, N, 0, 33);
    zimu_out_opts o = base_opts(tpath("out.mkv"), 96, 64, tb, (AVRational){ 30, 1 }, 0);
    ck_assert_int_eq(encode_frames(&c, &o, N, pts, 33, 1), 0);
    probe p;
    probe_open(&p, o.path);
    ck_assert_str_eq(p.fmt->iformat->name, "matroska,webm");
    check_pts(&p, pts, N, tb);
    probe_close(&p);
    ck_assert_int_eq(decode_video(o.path, 1, NULL), N);
}
END_TEST

START_TEST(test_colour_tags_and_sar)
{
    zimu_ctx c = { 0 };
    enum { N = 6 };
    int64_t pts[N];
    for (int i = 0; i < N; i++)
        pts[i] = i * 512;
    /* BT.601 (SMPTE 170M), full range: not what anything defaults to. */
    zimu_out_opts o = base_opts(tpath("tags.mp4"), 64, 48, (AVRational){ 1, 15360 },
                                (AVRational){ 30, 1 }, 23);
    o.colorspace = AVCOL_SPC_SMPTE170M;
    o.color_primaries = AVCOL_PRI_SMPTE170M;
    o.color_trc = AVCOL_TRC_SMPTE170M;
    o.color_range = AVCOL_RANGE_JPEG;
    o.sample_aspect_ratio = (AVRational){ 8, 6 }; /* reduced to 4:3 */
    ck_assert_int_eq(encode_frames(&c, &o, N, pts, 512, 1), 0);

    probe p;
    probe_open(&p, o.path);
    /* Container (colr/pasp), read before any decoding. */
    AVCodecParameters *raw = p.vpar_raw;
    ck_assert_int_eq(raw->color_space, AVCOL_SPC_SMPTE170M);
    ck_assert_int_eq(raw->color_primaries, AVCOL_PRI_SMPTE170M);
    ck_assert_int_eq(raw->color_trc, AVCOL_TRC_SMPTE170M);
    ck_assert_int_eq(raw->color_range, AVCOL_RANGE_JPEG);
    ck_assert_int_eq(p.sar_raw.num, 4); /* pasp */
    ck_assert_int_eq(p.sar_raw.den, 3);
    probe_close(&p);
    /* Bitstream VUI, as the decoder sees it. */
    AVFrame *f = av_frame_alloc();
    ck_assert_int_eq(decode_video(o.path, 0, f), N);
    ck_assert_int_eq(f->colorspace, AVCOL_SPC_SMPTE170M);
    ck_assert_int_eq(f->color_primaries, AVCOL_PRI_SMPTE170M);
    ck_assert_int_eq(f->color_trc, AVCOL_TRC_SMPTE170M);
    ck_assert_int_eq(f->color_range, AVCOL_RANGE_JPEG);
    ck_assert_int_eq(f->sample_aspect_ratio.num, 4);
    ck_assert_int_eq(f->sample_aspect_ratio.den, 3);
    av_frame_free(&f);
}
END_TEST

START_TEST(test_source_pict_type_ignored)
{
    /* Decoded frames carry the source's picture types; they must not force
     * every frame to be a keyframe (libx264 obeys pict_type). */
    zimu_ctx c = { 0 };
    enum { N = 30 };
    zimu_out_opts o = base_opts(tpath("pt.mp4"), 64, 64, (AVRational){ 1, 30 },
                                (AVRational){ 30, 1 }, 20);
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    for (int i = 0; i < N; i++) {
        AVFrame *f = make_frame(64, 64, i, i);
        f->pict_type = AV_PICTURE_TYPE_I;
        ck_assert_int_eq(zimu__out_video(out, f), 0);
        ck_assert_int_eq(f->pict_type, AV_PICTURE_TYPE_I); /* left as it was */
        av_frame_free(&f);
    }
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), 0);
    probe p;
    probe_open(&p, o.path);
    ck_assert_int_eq(p.nv, N);
    ck_assert_int_le(p.vkey, 2);
    probe_close(&p);
}
END_TEST

/* x264's own messages reach av_log with the codec context as their class.
 * The one line libavcodec's wrapper logs itself (the "x264 - core ..."
 * version string from the SEI) is FFmpeg's, under FFmpeg's log level. */
static int x264_msgs;
static void count_x264_log(void *avcl, int level, const char *fmt, va_list vl)
{
    if (avcl && level <= AV_LOG_INFO) {
        AVClass *cls = *(AVClass **)avcl;
        if (cls && cls->item_name && !strcmp(cls->item_name(avcl), "libx264")) {
            char line[1024];
            vsnprintf(line, sizeof line, fmt, vl);
            if (!strstr(line, "264 - core "))
                x264_msgs++;
        }
    }
}

START_TEST(test_x264_silent)
{
    zimu_ctx c = { 0 };
    av_log_set_level(AV_LOG_INFO);
    av_log_set_callback(count_x264_log);
    int64_t pts[10];
    for (int i = 0; i < 10; i++)
        pts[i] = i;
    zimu_out_opts o = base_opts(tpath("q.mp4"), 64, 64, (AVRational){ 1, 25 },
                                (AVRational){ 25, 1 }, 20);
    ck_assert_int_eq(encode_frames(&c, &o, 10, pts, 1, 1), 0);
    av_log_set_callback(av_log_default_callback);
    ck_assert_int_eq(x264_msgs, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * Files: temporary name, rename, failures
 */

START_TEST(test_success_leaves_only_output)
{
    zimu_ctx c = { 0 };
    int64_t pts[5] = { 0, 1, 2, 3, 4 };
    zimu_out_opts o = base_opts(tpath("only.mp4"), 64, 64, (AVRational){ 1, 25 },
                                (AVRational){ 25, 1 }, 20);
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    /* While writing: the target does not exist; one hidden temporary beside it. */
    char names[1024];
    ck_assert(!file_exists(o.path));
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 1);
    ck_assert_msg(!strncmp(names, ".only.mp4.zimu-", 15), "temp name: %s", names);
    ck_assert_msg(strstr(names, ".part|") != NULL, "temp name: %s", names);
    for (int i = 0; i < 5; i++) {
        AVFrame *f = make_frame(64, 64, i, pts[i]);
        ck_assert_int_eq(zimu__out_video(out, f), 0);
        av_frame_free(&f);
    }
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), 0);
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 1);
    ck_assert_str_eq(names, "only.mp4|");
    /* An ordinary file: 0666 minus the umask, not mkstemp's 0600. */
    struct stat sb;
    ck_assert_int_eq(stat(o.path, &sb), 0);
    mode_t um = umask(0);
    umask(um);
    ck_assert_int_eq(sb.st_mode & 0777, 0666 & ~um);
    /* faststart: the index before the media. */
    size_t n;
    uint8_t *b = slurp(o.path, &n);
    char b1[5], b2[5];
    top_boxes(b, n, b1, b2);
    ck_assert_str_eq(b1, "ftyp");
    ck_assert_str_eq(b2, "moov");
    free(b);
}
END_TEST

START_TEST(test_long_and_odd_names)
{
    /* A name near NAME_MAX still gets a temporary name that fits; a colon
     * is not taken for a protocol; a name without a directory works in
     * the current one. */
    zimu_ctx c = { 0 };
    int64_t pts[3] = { 0, 1, 2 };
    char name[300];
    memset(name, 'a', 250);
    strcpy(name + 250, ".mp4");
    zimu_out_opts o = base_opts(tpath(name), 64, 64, (AVRational){ 1, 25 },
                                (AVRational){ 25, 1 }, 20);
    ck_assert_int_eq(encode_frames(&c, &o, 3, pts, 1, 1), 0);
    ck_assert(file_exists(o.path));
    o.path = tpath("http:x.mp4");
    ck_assert_int_eq(encode_frames(&c, &o, 3, pts, 1, 1), 0);
    ck_assert(file_exists(o.path));
    char cwd[512];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(tdir), 0);
    o.path = "here.mp4";
    ck_assert_int_eq(encode_frames(&c, &o, 3, pts, 1, 1), 0);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert(file_exists(tpath("here.mp4")));
    char names[2048];
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 3);
}
END_TEST

START_TEST(test_cancel_leaves_target_untouched)
{
    zimu_ctx c = { 0 };
    const char *path = tpath("keep.mp4");
    FILE *f0 = fopen(path, "wb");
    fputs("previous content", f0);
    fclose(f0);
    int64_t pts[8];
    for (int i = 0; i < 8; i++)
        pts[i] = i;
    zimu_out_opts o = base_opts(path, 64, 64, (AVRational){ 1, 25 }, (AVRational){ 25, 1 }, 20);
    ck_assert_int_eq(encode_frames(&c, &o, 8, pts, 1, 0), 0);
    size_t n;
    uint8_t *b = slurp(path, &n);
    ck_assert_uint_eq(n, 16);
    ck_assert(!memcmp(b, "previous content", 16));
    free(b);
    char names[1024];
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 1);
    ck_assert_str_eq(names, "keep.mp4|");

    /* No existing file: nothing at all afterwards. */
    o.path = tpath("new.mp4");
    ck_assert_int_eq(encode_frames(&c, &o, 8, pts, 1, 0), 0);
    ck_assert(!file_exists(o.path));
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 1);

    /* Closed right after opening, with nothing sent. */
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    ck_assert_int_eq(zimu__out_close(&c, &out, 0), 0);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 1);
}
END_TEST

START_TEST(test_failure_leaves_nothing)
{
    zimu_ctx c = { 0 };
    zimu_out_opts o = base_opts(tpath("bad.mp4"), 64, 64, (AVRational){ 1, 25 },
                                (AVRational){ 25, 1 }, 20);
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    AVFrame *f = make_frame(64, 64, 0, 5);
    ck_assert_int_eq(zimu__out_video(out, f), 0);
    f->pts = 5; /* not after the last one */
    ck_assert_int_eq(zimu__out_video(out, f), ZIMU_EINVAL);
    ck_assert_msg(strstr(c.errmsg, "bad.mp4") && strstr(c.errmsg, "pts"), "%s", c.errmsg);
    f->pts = 6;
    ck_assert_int_eq(zimu__out_video(out, f), ZIMU_EINVAL); /* stays failed */
    av_frame_free(&f);
    /* close(ok=1) after a failure reports it and delivers nothing. */
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), ZIMU_EINVAL);
    char names[1024];
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 0);

    /* A frame of the wrong size. */
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    f = make_frame(66, 64, 0, 0);
    ck_assert_int_eq(zimu__out_video(out, f), ZIMU_EINVAL);
    ck_assert_msg(strstr(c.errmsg, "66x64"), "%s", c.errmsg);
    av_frame_free(&f);
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), ZIMU_EINVAL);
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 0);
}
END_TEST

START_TEST(test_unwritable_output)
{
    zimu_ctx c = { 0 };
    zimu_out_opts o = base_opts(NULL, 64, 64, (AVRational){ 1, 25 }, (AVRational){ 25, 1 }, 20);
    zimu_media_out *out = NULL;

    /* Missing directory. */
    o.path = tpath("no/such/dir/out.mp4");
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EOUTPUT);
    ck_assert_ptr_null(out);
    ck_assert_msg(strstr(c.errmsg, o.path) && strstr(c.errmsg, strerror(ENOENT)), "%s",
                  c.errmsg);

    /* A parent that is a file. */
    FILE *f = fopen(tpath("plain"), "wb");
    fclose(f);
    o.path = tpath("plain/out.mp4");
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EOUTPUT);
    ck_assert_msg(strstr(c.errmsg, o.path) && strstr(c.errmsg, strerror(ENOTDIR)), "%s",
                  c.errmsg);

    /* The output path is a directory. */
    ck_assert_int_eq(mkdir(tpath("adir"), 0755), 0);
    o.path = tpath("adir");
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EOUTPUT);
    ck_assert_msg(strstr(c.errmsg, o.path), "%s", c.errmsg);

    /* A read-only directory. Root ignores permissions, so there sysfs,
     * where nobody can create a file, stands in. */
    ck_assert_int_eq(mkdir(tpath("ro"), 0555), 0);
    o.path = tpath("ro/out.mp4");
    int r = zimu__out_open(&c, &out, &o);
    if (geteuid() != 0) {
        ck_assert_int_eq(r, ZIMU_EOUTPUT);
        ck_assert_msg(strstr(c.errmsg, o.path) && strstr(c.errmsg, strerror(EACCES)), "%s",
                      c.errmsg);
    } else {
        if (r == 0)
            zimu__out_close(&c, &out, 0);
        o.path = "/sys/zimu-check-out.mp4";
        ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EOUTPUT);
        ck_assert_msg(strstr(c.errmsg, o.path), "%s", c.errmsg);
    }
    ck_assert_ptr_null(out);
    ck_assert(!file_exists(tpath("ro/out.mp4")));
}
END_TEST

START_TEST(test_bad_options)
{
    zimu_ctx c = { 0 };
    zimu_media_out *out = NULL;
    zimu_out_opts o = base_opts(tpath("x.mp4"), 65, 64, (AVRational){ 1, 25 },
                                (AVRational){ 25, 1 }, 20);
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EINVAL);
    o.width = 64;
    o.crf = 52;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EINVAL);
    o.crf = 20;
    o.preset = "warpspeed";
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EINVAL);
    ck_assert_msg(strstr(c.errmsg, "warpspeed"), "%s", c.errmsg);
    o.preset = NULL; /* default: medium */
    o.time_base = (AVRational){ 0, 1 };
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EINVAL);
    o.time_base = (AVRational){ 1, 25 };
    o.audio = ZIMU_AUDIO_COPY; /* without parameters */
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EINVAL);
    o.audio = ZIMU_AUDIO_NONE;
    o.write_cb = (zimu_write_fn)1; /* both a path and a callback */
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EINVAL);
    ck_assert_ptr_null(out);
    char names[256];
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 0);
    /* Free of NULL is harmless. */
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), 0);
    ck_assert_int_eq(zimu__out_close(&c, NULL, 1), 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * Write callback
 */

typedef struct membuf {
    uint8_t *data;
    size_t size, cap;
    int calls;
    int fail_after; /* fail on this call (1-based), 0: never */
} membuf;

static int mem_write(void *opaque, const uint8_t *buf, int size)
{
    membuf *m = opaque;
    m->calls++;
    if (m->fail_after && m->calls >= m->fail_after)
        return -1;
    if (size > 1000)
        size = 1000; /* short writes must be carried on */
    if (m->size + size > m->cap) {
        m->cap = (m->size + size) * 2;
        m->data = realloc(m->data, m->cap);
    }
    memcpy(m->data + m->size, buf, size);
    m->size += size;
    return size;
}

START_TEST(test_write_cb_matches_file)
{
    zimu_ctx c = { 0 };
    enum { N = 20 };
    int64_t pts[N];
    vfr_pts(pts, N, 0, 1001);
    setenv("TMPDIR", tdir, 1);
    zimu_out_opts o = base_opts(tpath("ref.mp4"), 160, 284, (AVRational){ 1, 30000 },
                                (AVRational){ 30000, 1001 }, 20);
    ck_assert_int_eq(encode_frames(&c, &o, N, pts, 1001, 1), 0);

    membuf m = { 0 };
    o.path = NULL;
    o.write_cb = mem_write;
    o.write_opaque = &m;
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    char names[1024];
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 2); /* ref.mp4 + temp */
    for (int i = 0; i < N; i++) {
        AVFrame *f = make_frame(o.width, o.height, i, pts[i]);
        f->pkt_duration = i == N - 1 ? 1001 : pts[i + 1] - pts[i];
        ck_assert_int_eq(zimu__out_video(out, f), 0);
        av_frame_free(&f);
    }
    ck_assert_int_eq(m.calls, 0); /* nothing before the end */
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), 0);
    ck_assert_int_gt(m.calls, 1);

    size_t n;
    uint8_t *ref = slurp(tpath("ref.mp4"), &n);
    ck_assert_uint_eq(m.size, n);
    ck_assert(!memcmp(ref, m.data, n));
    char b1[5], b2[5];
    top_boxes(m.data, m.size, b1, b2);
    ck_assert_str_eq(b1, "ftyp");
    ck_assert_str_eq(b2, "moov");
    free(ref);
    free(m.data);
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 1);
    ck_assert_str_eq(names, "ref.mp4|");
}
END_TEST

START_TEST(test_write_cb_failure_and_cancel)
{
    zimu_ctx c = { 0 };
    setenv("TMPDIR", tdir, 1);
    int64_t pts[6] = { 0, 1, 2, 3, 4, 5 };
    membuf m = { 0 };
    m.fail_after = 3;
    zimu_out_opts o = base_opts(NULL, 64, 64, (AVRational){ 1, 25 }, (AVRational){ 25, 1 }, 20);
    o.write_cb = mem_write;
    o.write_opaque = &m;
    ck_assert_int_eq(encode_frames(&c, &o, 6, pts, 1, 1), ZIMU_EOUTPUT);
    ck_assert_msg(strstr(c.errmsg, "write callback"), "%s", c.errmsg);
    char names[256];
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 0);

    membuf m2 = { 0 };
    o.write_opaque = &m2;
    ck_assert_int_eq(encode_frames(&c, &o, 6, pts, 1, 0), 0);
    ck_assert_int_eq(m2.calls, 0);
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 0);
    free(m.data);

    /* No usable temporary directory. */
    setenv("TMPDIR", tpath("missing"), 1);
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), ZIMU_EOUTPUT);
    ck_assert_msg(strstr(c.errmsg, "missing"), "%s", c.errmsg);
}
END_TEST

/* ------------------------------------------------------------------------
 * Audio
 */

static int run_ffmpeg(const char *args, const char *out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -v error -y %s '%s'", args, out);
    return system(cmd);
}

/* Copy every audio packet of src into a 1 s video clip; the read-back
 * audio packets must be the source's, byte for byte. */
static void check_audio_copy(const char *src, const char *dst, int strip)
{
    zimu_ctx c = { 0 };
    AVFormatContext *in = NULL;
    ck_assert_int_eq(avformat_open_input(&in, src, NULL, NULL), 0);
    ck_assert_int_ge(avformat_find_stream_info(in, NULL), 0);
    int ai = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    ck_assert_int_ge(ai, 0);
    AVStream *ist = in->streams[ai];

    AVPacket *src_pkts[512];
    int ns = 0;
    AVPacket *pkt = av_packet_alloc();
    while (av_read_frame(in, pkt) >= 0) {
        if (pkt->stream_index == ai) {
            ck_assert_int_lt(ns, 512);
            src_pkts[ns++] = av_packet_clone(pkt);
        }
        av_packet_unref(pkt);
    }
    ck_assert_int_gt(ns, 10);

    enum { N = 30 };
    AVRational tb = { 1, 30 };
    zimu_out_opts o = base_opts(dst, 64, 64, tb, (AVRational){ 30, 1 }, 20);
    o.audio = ZIMU_AUDIO_COPY;
    o.audio_par = ist->codecpar;
    o.audio_tb = ist->time_base;
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    int a = 0;
    for (int i = 0; i < N; i++) {
        while (a < ns && av_compare_ts(src_pkts[a]->pts, ist->time_base, i, tb) <= 0) {
            ck_assert_int_eq(zimu__out_audio_packet(out, src_pkts[a]), 0);
            ck_assert_int_gt(src_pkts[a]->size, 0); /* still the caller's */
            a++;
        }
        AVFrame *f = make_frame(64, 64, i, i);
        ck_assert_int_eq(zimu__out_video(out, f), 0);
        av_frame_free(&f);
    }
    for (; a < ns; a++)
        ck_assert_int_eq(zimu__out_audio_packet(out, src_pkts[a]), 0);
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), 0);

    probe p;
    probe_open(&p, dst);
    ck_assert_int_ge(p.ai, 0);
    AVStream *ost = p.fmt->streams[p.ai];
    ck_assert_int_eq(ost->codecpar->codec_id, ist->codecpar->codec_id);
    ck_assert_int_eq(ost->codecpar->sample_rate, ist->codecpar->sample_rate);
    ck_assert_int_eq(p.na, ns);
    for (int i = 0; i < ns; i++) {
        ck_assert_int_eq(p.apkt[i]->size, src_pkts[i]->size - strip);
        ck_assert_msg(!memcmp(p.apkt[i]->data, src_pkts[i]->data + strip,
                              src_pkts[i]->size - strip),
                      "audio packet %d differs", i);
        /* Exact where the output's time base is as fine as the source's
         * (MP4); rounded to it where it is coarser (Matroska's 1 ms). */
        ck_assert_int_eq(p.apkt[i]->pts,
                         av_rescale_q(src_pkts[i]->pts, ist->time_base, ost->time_base));
    }
    int64_t vpts[N];
    for (int i = 0; i < N; i++)
        vpts[i] = i;
    check_pts(&p, vpts, N, tb);
    probe_close(&p);
    for (int i = 0; i < ns; i++)
        av_packet_free(&src_pkts[i]);
    av_packet_free(&pkt);
    avformat_close_input(&in);
}

START_TEST(test_audio_copy_aac)
{
    const char *src = tpath("src.m4a");
    ck_assert_int_eq(run_ffmpeg("-f lavfi -i sine=frequency=440:duration=1:sample_rate=44100 "
                                "-ac 2 -c:a aac -b:a 96k", src), 0);
    check_audio_copy(src, tpath("copy.mp4"), 0);
}
END_TEST

START_TEST(test_audio_copy_aac_mkv)
{
    const char *src = tpath("src.m4a");
    ck_assert_int_eq(run_ffmpeg("-f lavfi -i sine=frequency=440:duration=1:sample_rate=48000 "
                                "-ac 1 -c:a aac -b:a 64k", src), 0);
    check_audio_copy(src, tpath("copy.mkv"), 0);
}
END_TEST

START_TEST(test_audio_copy_adts)
{
    /* AAC from a transport stream or .aac file comes with ADTS headers;
     * MP4 keeps the raw frames (the muxer converts), payload unchanged. */
    const char *src = tpath("src.aac");
    ck_assert_int_eq(run_ffmpeg("-f lavfi -i sine=frequency=440:duration=1:sample_rate=44100 "
                                "-ac 2 -c:a aac -b:a 96k -f adts", src), 0);
    check_audio_copy(src, tpath("copyadts.mp4"), 7);
}
END_TEST

START_TEST(test_audio_copy_mp3)
{
    if (!avcodec_find_encoder_by_name("libmp3lame")) {
        fprintf(stderr, "check_media_out: no libmp3lame, MP3 copy not tested\n");
        return;
    }
    const char *src = tpath("src.mp3");
    ck_assert_int_eq(run_ffmpeg("-f lavfi -i sine=frequency=660:duration=1:sample_rate=48000 "
                                "-c:a libmp3lame -b:a 128k", src), 0);
    check_audio_copy(src, tpath("copy3.mp4"), 0);
}
END_TEST

typedef struct audio_case {
    int rate, channels, fmt, chunk;
    double seconds, start;
    int want_rate, want_channels;
} audio_case;

static void check_audio_encode(const audio_case *ac, const char *dst)
{
    zimu_ctx c = { 0 };
    AVCodecParameters *par = avcodec_parameters_alloc();
    par->codec_type = AVMEDIA_TYPE_AUDIO;
    par->codec_id = AV_CODEC_ID_PCM_S16LE;
    par->sample_rate = ac->rate;
    par->format = ac->fmt;
    av_channel_layout_default(&par->ch_layout, ac->channels);
    AVRational atb = { 1, ac->rate };

    enum { N = 30 };
    AVRational tb = { 1, 30 };
    int64_t v0 = (int64_t)(ac->start * 30 + 0.5);
    zimu_out_opts o = base_opts(dst, 64, 64, tb, (AVRational){ 30, 1 }, 20);
    o.audio = ZIMU_AUDIO_ENCODE;
    o.audio_par = par;
    o.audio_tb = atb;
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);

    int64_t total = (int64_t)(ac->seconds * ac->rate);
    int64_t a0 = (int64_t)(ac->start * ac->rate);
    int64_t sent = 0;
    for (int i = 0; i < N || sent < total; i++) {
        if (i < N) {
            AVFrame *f = make_frame(64, 64, i, v0 + i);
            ck_assert_int_eq(zimu__out_video(out, f), 0);
            av_frame_free(&f);
        }
        /* audio up to the video's time */
        while (sent < total && (i >= N || sent * 30 < (int64_t)(i + 1) * ac->rate)) {
            int n = (int)(total - sent < ac->chunk ? total - sent : ac->chunk);
            AVFrame *f = av_frame_alloc();
            f->nb_samples = n;
            f->format = ac->fmt;
            f->sample_rate = ac->rate;
            av_channel_layout_default(&f->ch_layout, ac->channels);
            ck_assert_int_ge(av_frame_get_buffer(f, 0), 0);
            for (int ch = 0; ch < ac->channels; ch++)
                for (int s = 0; s < n; s++) {
                    double v = 0.3 * sin(2 * 3.14159265 * 440 * (sent + s) / ac->rate + ch);
                    if (ac->fmt == AV_SAMPLE_FMT_S16)
                        ((int16_t *)f->data[0])[s * ac->channels + ch] = (int16_t)(v * 32767);
                    else if (ac->fmt == AV_SAMPLE_FMT_FLTP)
                        ((float *)f->extended_data[ch])[s] = (float)v;
                }
            f->pts = a0 + sent;
            ck_assert_int_eq(zimu__out_audio_frame(out, f), 0);
            av_frame_free(&f);
            sent += n;
        }
    }
    ck_assert_int_eq(zimu__out_close(&c, &out, 1), 0);

    probe p;
    probe_open(&p, dst);
    ck_assert_int_ge(p.ai, 0);
    AVStream *st = p.fmt->streams[p.ai];
    ck_assert_int_eq(st->codecpar->codec_id, AV_CODEC_ID_AAC);
    ck_assert_int_eq(st->codecpar->profile, FF_PROFILE_AAC_LOW);
    ck_assert_int_eq(st->codecpar->sample_rate, ac->want_rate);
    ck_assert_int_eq(st->codecpar->ch_layout.nb_channels, ac->want_channels);
    /* The video keeps its timestamps whatever the audio's priming. */
    int64_t vpts[N];
    for (int i = 0; i < N; i++)
        vpts[i] = v0 + i;
    check_pts(&p, vpts, N, tb);
    /* The AAC encoder's first packet starts 1024 samples (its priming)
     * before the first sample sent. */
    double prime = 1024.0 / ac->want_rate;
    AVPacket *first = p.apkt[0], *last = p.apkt[p.na - 1];
    double start = first->pts * av_q2d(st->time_base) + prime;
    ck_assert_msg(fabs(start - ac->start) < 0.002, "audio starts at %.4f s, expected %.4f",
                  start, ac->start);
    double dur = (last->pts + last->duration - first->pts) * av_q2d(st->time_base) - prime;
    ck_assert_msg(dur >= ac->seconds - 0.002 && dur < ac->seconds + prime + 0.002,
                  "audio lasts %.4f s, expected %.4f", dur, ac->seconds);
    /* Decodes, and the decoded sound has about the length sent. */
    const AVCodec *dec = avcodec_find_decoder(AV_CODEC_ID_AAC);
    AVCodecContext *d = avcodec_alloc_context3(dec);
    avcodec_parameters_to_context(d, st->codecpar);
    ck_assert_int_eq(avcodec_open2(d, dec, NULL), 0);
    AVFrame *f = av_frame_alloc();
    int64_t samples = 0;
    double energy = 0;
    for (int i = 0; i <= p.na; i++) {
        ck_assert_int_ge(avcodec_send_packet(d, i < p.na ? p.apkt[i] : NULL), 0);
        while (avcodec_receive_frame(d, f) >= 0) {
            samples += f->nb_samples;
            for (int s = 0; s < f->nb_samples; s++)
                energy += fabs(((float *)f->extended_data[0])[s]);
            av_frame_unref(f);
        }
    }
    double want = ac->seconds * ac->want_rate;
    ck_assert_msg(fabs(samples - want) <= 2048 + 0.01 * want, "decoded %lld samples, sent %.0f",
                  (long long)samples, want);
    ck_assert_msg(energy / samples > 0.05, "the sound is missing (mean level %.4f)",
                  energy / samples);
    av_frame_free(&f);
    avcodec_free_context(&d);
    probe_close(&p);
    avcodec_parameters_free(&par);
}

START_TEST(test_audio_encode_stereo)
{
    audio_case ac = { 44100, 2, AV_SAMPLE_FMT_S16, 700, 1.0, 0.0, 44100, 2 };
    check_audio_encode(&ac, tpath("enc2.mp4"));
}
END_TEST

START_TEST(test_audio_encode_surround_downmix)
{
    audio_case ac = { 48000, 6, AV_SAMPLE_FMT_FLTP, 1536, 1.2, 0.0, 48000, 2 };
    check_audio_encode(&ac, tpath("enc6.mp4"));
}
END_TEST

START_TEST(test_audio_encode_mono_late_start)
{
    audio_case ac = { 22050, 1, AV_SAMPLE_FMT_S16, 333, 0.8, 0.5, 22050, 1 };
    check_audio_encode(&ac, tpath("enc1.mp4"));
}
END_TEST

START_TEST(test_audio_encode_odd_rate)
{
    /* 44000 Hz is not an AAC rate: resampled to 48000. */
    audio_case ac = { 44000, 2, AV_SAMPLE_FMT_S16, 1000, 1.0, 0.0, 48000, 2 };
    check_audio_encode(&ac, tpath("encr.mkv"));
}
END_TEST

START_TEST(test_audio_wrong_mode)
{
    zimu_ctx c = { 0 };
    zimu_out_opts o = base_opts(tpath("wm.mp4"), 64, 64, (AVRational){ 1, 25 },
                                (AVRational){ 25, 1 }, 20);
    zimu_media_out *out = NULL;
    ck_assert_int_eq(zimu__out_open(&c, &out, &o), 0);
    AVPacket *pkt = av_packet_alloc();
    ck_assert_int_eq(zimu__out_audio_packet(out, pkt), ZIMU_EINVAL);
    av_packet_free(&pkt);
    zimu__out_close(&c, &out, 0);
    char names[256];
    ck_assert_int_eq(list_dir(tdir, names, sizeof names), 0);
}
END_TEST

static Suite *media_out_suite(void)
{
    Suite *s = suite_create("media_out");
    TCase *t = tcase_create("video");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_vfr_high_profile);
    tcase_add_test(t, test_lossless_tick_steps);
    tcase_add_test(t, test_lossless_vertical_bit_identical);
    tcase_add_test(t, test_mov_nonzero_start);
    tcase_add_test(t, test_mkv);
    tcase_add_test(t, test_colour_tags_and_sar);
    tcase_add_test(t, test_source_pict_type_ignored);
    tcase_add_test(t, test_x264_silent);
    suite_add_tcase(s, t);

    t = tcase_create("files");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_success_leaves_only_output);
    tcase_add_test(t, test_long_and_odd_names);
    tcase_add_test(t, test_cancel_leaves_target_untouched);
    tcase_add_test(t, test_failure_leaves_nothing);
    tcase_add_test(t, test_unwritable_output);
    tcase_add_test(t, test_bad_options);
    tcase_add_test(t, test_write_cb_matches_file);
    tcase_add_test(t, test_write_cb_failure_and_cancel);
    suite_add_tcase(s, t);

    t = tcase_create("audio");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_audio_copy_aac);
    tcase_add_test(t, test_audio_copy_aac_mkv);
    tcase_add_test(t, test_audio_copy_adts);
    tcase_add_test(t, test_audio_copy_mp3);
    tcase_add_test(t, test_audio_encode_stereo);
    tcase_add_test(t, test_audio_encode_surround_downmix);
    tcase_add_test(t, test_audio_encode_mono_late_start);
    tcase_add_test(t, test_audio_encode_odd_rate);
    tcase_add_test(t, test_audio_wrong_mode);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(media_out_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
