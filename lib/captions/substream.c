/* substream.c - captions from a subtitle stream inside the input file.
 *
 * The stream is read in a pass of its own before the video is decoded (the
 * renderer needs every cue before the first frame): its packets are
 * collected, decoded with FFmpeg's subtitle decoders, which turn every text
 * format into ASS event text, and the events become cues, or, for an ASS/SSA
 * track, the script the track was made from.
 *
 * Times: a packet's pts (plus the decoder's start_display_time) and its
 * duration, on the file's timeline with the file's start time as 0, which
 * is where media_in puts frames (zimu_in_item.src_ms). An event without a
 * duration lasts until the next one starts (the last: to the file's end).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "charset.h"
#include "cuetext.h"
#include "parsers.h"
#include "substream.h"

#define IO_BUF 65536
#define NO_END INT64_MIN
#define LAST_DEFAULT_MS 5000

typedef struct event {
    int64_t start_ms, end_ms;   /* end NO_END: until the next event */
    int64_t order;              /* ReadOrder: the event's place in its script */
    char *ass;                  /* "ReadOrder,Layer,Style,Name,...,Text" */
} event;

typedef struct reader {
    zimu_ctx *c;
    const zimu_substream_src *src;
    char name[512];             /* "in.mkv" */
    char what[600];             /* "in.mkv: subtitle stream 0 (subrip)" */
    AVFormatContext *fmt;
    AVIOContext *avio;
    AVCodecContext *dec;
    AVStream *st;
    int64_t start_us;           /* the file's start time */
    AVPacket **pkts;
    size_t n_pkts, cap_pkts;
    event *ev;
    size_t n_ev, cap_ev;
} reader;

static int io_read(void *opaque, uint8_t *buf, int size)
{
    const zimu_substream_src *s = opaque;
    int n = s->read_cb(s->io_opaque, buf, size);
    if (n == 0)
        return AVERROR_EOF;
    return n < 0 ? AVERROR(EIO) : n;
}

static int64_t io_seek(void *opaque, int64_t off, int whence)
{
    const zimu_substream_src *s = opaque;
    if (whence & AVSEEK_SIZE)
        return s->seek_cb(s->io_opaque, 0, ZIMU_SEEK_SIZE);
    int64_t r = s->seek_cb(s->io_opaque, off, whence & ~AVSEEK_FORCE);
    return r < 0 ? AVERROR(EIO) : r;
}

/* Open the file the way media_in does, with the same errors. */
static int open_file(reader *R)
{
    const zimu_substream_src *s = R->src;
    zimu_ctx *c = R->c;
    if (s->path) {
        struct stat sb;
        if (stat(s->path, &sb) != 0 || access(s->path, R_OK) != 0)
            return zimu__fail(c, ZIMU_ENOENT, "%s: %s", R->name, strerror(errno));
        if (S_ISDIR(sb.st_mode))
            return zimu__fail(c, ZIMU_ENOTVIDEO, "%s: is a directory, not a video", R->name);
    } else if (!s->read_cb) {
        return zimu__fail(c, ZIMU_EINVAL, "no input set");
    } else if (!s->seek_cb) {
        return zimu__fail(c, ZIMU_EINVAL,
                          "%s: captions from a subtitle stream need an input that can be "
                          "read twice: give a path or a seek callback", R->name);
    }
    R->fmt = avformat_alloc_context();
    if (!R->fmt)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    if (!s->path) {
        if (s->seek_cb(s->io_opaque, 0, SEEK_SET) < 0)
            return zimu__fail(c, ZIMU_EINVAL, "%s: cannot seek to the start of the input",
                              R->name);
        uint8_t *buf = av_malloc(IO_BUF);
        R->avio = buf ? avio_alloc_context(buf, IO_BUF, 0, (void *)s, io_read, NULL, io_seek)
                      : NULL;
        if (!R->avio) {
            av_free(buf);
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        }
        R->fmt->pb = R->avio;
        R->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    }
    if (avformat_open_input(&R->fmt, s->path ? s->path : "", NULL, NULL) < 0)
        return zimu__fail(c, ZIMU_ENOTVIDEO, "%s: not a video file FFmpeg can read", R->name);
    if (avformat_find_stream_info(R->fmt, NULL) < 0)
        return zimu__fail(c, ZIMU_ENOTVIDEO, "%s: cannot read the streams of this file",
                          R->name);
    R->start_us = R->fmt->start_time != AV_NOPTS_VALUE ? R->fmt->start_time : 0;
    return 0;
}

/* The index-th subtitle stream, checked to be one we can read. */
static int pick_stream(reader *R, int index)
{
    zimu_ctx *c = R->c;
    int count = 0;
    for (unsigned i = 0; i < R->fmt->nb_streams; i++) {
        AVStream *st = R->fmt->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE)
            continue;
        if (count++ == index)
            R->st = st;
    }
    if (!R->st) {
        if (count == 0)
            return zimu__fail(c, ZIMU_ESUBS, "%s: has no subtitle stream (subtitle stream %d "
                              "was asked for)", R->name, index);
        if (count == 1)
            return zimu__fail(c, ZIMU_ESUBS, "%s: has no subtitle stream %d: it has 1 "
                              "subtitle stream (number 0)", R->name, index);
        return zimu__fail(c, ZIMU_ESUBS, "%s: has no subtitle stream %d: it has %d subtitle "
                          "streams (numbers 0 to %d)", R->name, index, count, count - 1);
    }
    enum AVCodecID id = R->st->codecpar->codec_id;
    const AVCodecDescriptor *d = avcodec_descriptor_get(id);
    const char *cn = avcodec_get_name(id);
    snprintf(R->what, sizeof R->what, zimu__tr("%s: subtitle stream %d (%s)"), R->name, index,
             cn);
    if (d && (d->props & AV_CODEC_PROP_BITMAP_SUB))
        return zimu__fail(c, ZIMU_ESUBS,
                          "%s: subtitle stream %d is %s, made of pictures; only text "
                          "subtitle streams (mov_text, SubRip, ASS, WebVTT) can be used",
                          R->name, index, cn);
    const AVCodec *codec = avcodec_find_decoder(id);
    if (!codec)
        return zimu__fail(c, ZIMU_ESUBS, "%s: subtitle stream %d is %s, which FFmpeg here "
                          "cannot decode", R->name, index, cn);
    R->dec = avcodec_alloc_context3(codec);
    if (!R->dec)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    int r = avcodec_parameters_to_context(R->dec, R->st->codecpar);
    R->dec->pkt_timebase = R->st->time_base;
    if (r >= 0)
        r = avcodec_open2(R->dec, codec, NULL);
    if (r < 0)
        return zimu__fail_av(c, ZIMU_ESUBS, r, R->what);
    for (unsigned i = 0; i < R->fmt->nb_streams; i++)
        if (R->fmt->streams[i] != R->st)
            R->fmt->streams[i]->discard = AVDISCARD_ALL;
    return 0;
}

static int read_packets(reader *R)
{
    AVPacket *pkt = av_packet_alloc();
    if (!pkt)
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    int r;
    while ((r = av_read_frame(R->fmt, pkt)) >= 0) {
        if (pkt->stream_index != R->st->index || pkt->size <= 0) {
            av_packet_unref(pkt);
            continue;
        }
        if (R->n_pkts == R->cap_pkts) {
            size_t cap = R->cap_pkts ? 2 * R->cap_pkts : 64;
            AVPacket **v = realloc(R->pkts, cap * sizeof *v);
            if (!v)
                break;
            R->pkts = v;
            R->cap_pkts = cap;
        }
        R->pkts[R->n_pkts] = av_packet_alloc();
        if (!R->pkts[R->n_pkts])
            break;
        av_packet_move_ref(R->pkts[R->n_pkts++], pkt);
    }
    av_packet_free(&pkt);
    if (r >= 0)
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    if (r != AVERROR_EOF)
        zimu__log(R->c, ZIMU_LOG_WARNING, "%s: the file ends early; using the captions read "
                  "so far", R->name);
    return 0;
}

/* Codecs whose packets are the text itself (UTF-8 by their specs, but
 * stream copies of old files carry whatever the file had). */
static int plain_text_codec(enum AVCodecID id)
{
    switch (id) {
    case AV_CODEC_ID_SUBRIP: case AV_CODEC_ID_WEBVTT: case AV_CODEC_ID_ASS:
    case AV_CODEC_ID_SSA: case AV_CODEC_ID_TEXT: case AV_CODEC_ID_MICRODVD:
    case AV_CODEC_ID_SUBVIEWER: case AV_CODEC_ID_SUBVIEWER1: case AV_CODEC_ID_MPL2:
    case AV_CODEC_ID_VPLAYER: case AV_CODEC_ID_PJS: case AV_CODEC_ID_JACOSUB:
    case AV_CODEC_ID_REALTEXT: case AV_CODEC_ID_SAMI: case AV_CODEC_ID_STL:
        return 1;
    default:
        return 0;
    }
}

static int64_t pkt_ms(const reader *R, int64_t ts)
{
    int64_t us = av_rescale_q(ts, R->st->time_base, AV_TIME_BASE_Q) - R->start_us;
    return av_rescale_rnd(us, 1, 1000, AV_ROUND_NEAR_INF);
}

/* Packets of plain-text codecs that are not UTF-8 are converted, all in one
 * encoding: the one given, else the one detected on all their text. */
static int fix_encoding(reader *R)
{
    if (!plain_text_codec(R->st->codecpar->codec_id))
        return 0;
    size_t bad = R->n_pkts, total = 0;
    for (size_t i = 0; i < R->n_pkts; i++) {
        const AVPacket *p = R->pkts[i];
        total += (size_t)p->size + 1;
        if (bad == R->n_pkts && zimu__utf8_check((const char *)p->data, p->size) != (size_t)p->size)
            bad = i;
    }
    if (bad == R->n_pkts)
        return 0;
    const char *enc = R->src->charenc;
    if (!enc) {
        char *all = malloc(total + 1), *w = all;
        if (!all)
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        for (size_t i = 0; i < R->n_pkts; i++) {
            memcpy(w, R->pkts[i]->data, R->pkts[i]->size);
            w += R->pkts[i]->size;
            *w++ = '\n';
        }
        enc = zimu__charset_detect(all, total);
        free(all);
        if (!enc) {
            const AVPacket *p = R->pkts[bad];
            return zimu__fail(R->c, ZIMU_ECHARSET, "%s: the text at %.3f s is not UTF-8 and its "
                              "encoding cannot be told; name it (charenc)", R->what,
                              pkt_ms(R, p->pts != AV_NOPTS_VALUE ? p->pts : p->dts) / 1000.0);
        }
    }
    zimu__log(R->c, ZIMU_LOG_INFO, "%s: text encoding %s", R->what, enc);
    for (size_t i = 0; i < R->n_pkts; i++) {
        AVPacket *p = R->pkts[i];
        char where[700], *u;
        size_t len;
        const char *used;
        zimu__snprintf(where, sizeof where, "%s at %.3f s", R->what,
                 pkt_ms(R, p->pts != AV_NOPTS_VALUE ? p->pts : p->dts) / 1000.0);
        int r = zimu__charset_to_utf8(R->c, where, (const char *)p->data, p->size, enc, &u,
                                      &len, &used);
        if (r < 0)
            return r;
        AVPacket *q = av_packet_alloc();
        if (!q || av_new_packet(q, (int)len) < 0 || av_packet_copy_props(q, p) < 0) {
            free(u);
            av_packet_free(&q);
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        }
        memcpy(q->data, u, len);
        free(u);
        av_packet_free(&R->pkts[i]);
        R->pkts[i] = q;
    }
    return 0;
}

static int add_event(reader *R, int64_t start_ms, int64_t end_ms, const char *ass)
{
    if (R->n_ev == R->cap_ev) {
        size_t cap = R->cap_ev ? 2 * R->cap_ev : 64;
        event *v = realloc(R->ev, cap * sizeof *v);
        if (!v)
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        R->ev = v;
        R->cap_ev = cap;
    }
    char *copy = zimu__strdup(ass);
    if (!copy)
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    R->ev[R->n_ev++] = (event){start_ms, end_ms, atoll(ass), copy};
    return 0;
}

/* One decoded subtitle: its ASS rects become events. pkt is NULL when
 * flushing (times then come from the subtitle itself). */
static int take(reader *R, const AVSubtitle *sub, const AVPacket *pkt)
{
    int64_t base_ms, end_ms = NO_END;
    if (pkt && pkt->pts != AV_NOPTS_VALUE)
        base_ms = pkt_ms(R, pkt->pts);
    else if (pkt && pkt->dts != AV_NOPTS_VALUE)
        base_ms = pkt_ms(R, pkt->dts);
    else if (sub->pts != AV_NOPTS_VALUE)
        base_ms = av_rescale_rnd(sub->pts - R->start_us, 1, 1000, AV_ROUND_NEAR_INF);
    else {
        zimu__log(R->c, ZIMU_LOG_WARNING, "%s: a caption without a time is left out", R->what);
        return 0;
    }
    int64_t start_ms = base_ms + sub->start_display_time;
    if (pkt && pkt->duration > 0)
        end_ms = base_ms + av_rescale_q(pkt->duration, R->st->time_base, (AVRational){1, 1000});
    else if (sub->end_display_time > sub->start_display_time && sub->end_display_time != UINT32_MAX)
        end_ms = base_ms + sub->end_display_time;
    for (unsigned i = 0; i < sub->num_rects; i++) {
        const AVSubtitleRect *rc = sub->rects[i];
        if (rc->type == SUBTITLE_BITMAP)
            return zimu__fail(R->c, ZIMU_ESUBS, "%s: is made of pictures; only text subtitle "
                              "streams (mov_text, SubRip, ASS, WebVTT) can be used", R->what);
        if (rc->type == SUBTITLE_ASS && rc->ass) {
            int r = add_event(R, start_ms, end_ms, rc->ass);
            if (r < 0)
                return r;
        } else if (rc->type == SUBTITLE_TEXT && rc->text) {
            /* Not made by FFmpeg's decoders today; kept as plain text. */
            zimu_sbuf b = {0};
            zimu__sb_adds(&b, "0,0,Default,,0,0,0,,");
            for (const char *t = rc->text; *t; t++) {
                if (*t == '\n')
                    zimu__sb_adds(&b, "\\N");
                else if (*t == '{' || *t == '}')
                    zimu__sb_printf(&b, "\\%c", *t);
                else
                    zimu__sb_addc(&b, *t);
            }
            int r = b.oom ? zimu__fail(R->c, ZIMU_ENOMEM, "out of memory")
                          : add_event(R, start_ms, end_ms, b.s);
            zimu__sb_free(&b);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

static int decode_all(reader *R)
{
    for (size_t i = 0; i < R->n_pkts; i++) {
        AVPacket *p = R->pkts[i];
        AVSubtitle sub;
        int got = 0;
        int r = avcodec_decode_subtitle2(R->dec, &sub, &got, p);
        if (r < 0) {
            int64_t ts = p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
            char where[700];
            zimu__snprintf(where, sizeof where, zimu__tr("%s: the caption at %.3f s cannot be decoded"),
                     R->what, ts != AV_NOPTS_VALUE ? pkt_ms(R, ts) / 1000.0 : 0.0);
            return zimu__fail_av(R->c, ZIMU_ESUBS, r, where);
        }
        if (!got)
            continue;
        r = take(R, &sub, p);
        avsubtitle_free(&sub);
        if (r < 0)
            return r;
    }
    if (R->dec->codec->capabilities & AV_CODEC_CAP_DELAY) {
        AVPacket *flush = av_packet_alloc();
        if (!flush)
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        for (int k = 0; k < 64; k++) {
            AVSubtitle sub;
            int got = 0;
            if (avcodec_decode_subtitle2(R->dec, &sub, &got, flush) < 0 || !got)
                break;
            int r = take(R, &sub, NULL);
            avsubtitle_free(&sub);
            if (r < 0) {
                av_packet_free(&flush);
                return r;
            }
        }
        av_packet_free(&flush);
    }
    return 0;
}

static int cmp_start(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->start_ms != y->start_ms)
        return x->start_ms < y->start_ms ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_order(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->start_ms < y->start_ms ? -1 : x->start_ms > y->start_ms;
}

/* Events without an end last until the next later start, the last one to
 * the end of the file. */
static void fill_ends(reader *R)
{
    if (R->n_ev > 1) /* the array may be NULL when empty */
        qsort(R->ev, R->n_ev, sizeof *R->ev, cmp_start);
    int64_t file_end = R->fmt->duration > 0 ? R->fmt->duration / 1000 : -1;
    for (size_t i = 0; i < R->n_ev; i++) {
        event *e = &R->ev[i];
        if (e->end_ms != NO_END)
            continue;
        size_t j = i + 1;
        while (j < R->n_ev && R->ev[j].start_ms <= e->start_ms)
            j++;
        if (j < R->n_ev)
            e->end_ms = R->ev[j].start_ms;
        else
            e->end_ms = file_end > e->start_ms ? file_end : e->start_ms + LAST_DEFAULT_MS;
    }
}

/* Field k (0-based) of "a,b,c,...": start and length; the last field asked
 * for may be the rest of the line (rest != 0). 0 if there are too few. */
static int field(const char *s, int k, int rest, const char **f, size_t *n)
{
    for (int i = 0; i < k; i++) {
        s = strchr(s, ',');
        if (!s)
            return 0;
        s++;
    }
    const char *e = rest ? s + strlen(s) : strchr(s, ',');
    if (!e)
        e = s + strlen(s);
    *f = s;
    *n = (size_t)(e - s);
    return 1;
}

void zimu__substream_text(zimu_sbuf *b, const char *s, size_t n, int *align)
{
    size_t i = 0;
    while (i < n) {
        char ch = s[i];
        if (ch == '\\' && i + 1 < n) {
            char nx = s[i + 1];
            if (nx == 'N' || nx == 'n' || nx == 'h' || nx == '{' || nx == '}') {
                zimu__sb_adds(b, nx == 'N' ? "\n" : nx == 'n' ? " " : nx == 'h' ? "\xC2\xA0"
                                 : nx == '{' ? "\xEF\xBD\x9B" : "\xEF\xBD\x9D");
                i += 2;
                continue;
            }
        }
        if (ch == '{') {
            const char *close = memchr(s + i, '}', n - i);
            size_t len = close ? (size_t)(close - (s + i)) + 1 : 0;
            if (len && memchr(s + i, '\\', len)) {
                if (len == 6 && !memcmp(s + i, "{\\an", 4) && s[i + 4] >= '1' &&
                    s[i + 4] <= '9' && align) {
                    *align = s[i + 4] - '0';
                } else {
                    zimu__sb_add(b, s + i, len);
                }
                i += len;
                continue;
            }
        }
        if (ch == '{' || ch == '}') {
            zimu__sb_add_text(b, s + i, 1);
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && s[j] != '{' && s[j] != '}' && s[j] != '\\')
            j++;
        zimu__sb_add(b, s + i, j - i);
        i = j;
    }
}

static int to_cues(reader *R, zimu_cues *out)
{
    for (size_t i = 0; i < R->n_ev; i++) {
        const event *e = &R->ev[i];
        const char *f, *t;
        size_t fn, tn;
        if (!field(e->ass, 8, 1, &t, &tn)) {
            zimu__log(R->c, ZIMU_LOG_WARNING, "%s: a caption at %.3f s is not in the form "
                      "FFmpeg gives; left out", R->what, e->start_ms / 1000.0);
            continue;
        }
        if (e->end_ms <= e->start_ms)
            continue;
        zimu_sbuf b = {0};
        int align = 0;
        zimu__substream_text(&b, t, tn, &align);
        if (b.oom) {
            zimu__sb_free(&b);
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        }
        if (!b.s || zimu__cue_text_finish(&b)) {
            zimu__sb_free(&b);
            continue;
        }
        zimu_cue *cue = zimu__cues_add(out, e->start_ms, e->end_ms, b.s, b.len);
        zimu__sb_free(&b);
        if (!cue)
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        cue->align = align;
        if (field(e->ass, 1, 0, &f, &fn))
            cue->layer = atoi(f);
    }
    zimu__cues_sort(out);
    return 0;
}

/* "H:MM:SS.cc" */
static void ass_time(zimu_sbuf *b, int64_t ms)
{
    int64_t cs = (ms < 0 ? 0 : ms + 5) / 10;
    zimu__sb_printf(b, "%d:%02d:%02d.%02d", (int)(cs / 360000), (int)(cs / 6000 % 60),
                    (int)(cs / 100 % 60), (int)(cs % 100));
}

/* Start of the line holding a section header "[name]" (case-insensitive),
 * or NULL. */
static const char *find_section(const char *s, const char *name)
{
    size_t n = strlen(name);
    for (const char *l = s; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        const char *p = l;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!strncasecmp(p, name, n))
            return l;
    }
    return NULL;
}

/* The track's header with its [Events] section replaced by one made of the
 * events, in their ReadOrder: the script the track was muxed from. */
static int to_script(reader *R, zimu_cues *out)
{
    const char *hdr = (const char *)R->st->codecpar->extradata;
    size_t hlen = R->st->codecpar->extradata_size;
    if (!hdr || !hlen) {
        hdr = (const char *)R->dec->subtitle_header;
        hlen = R->dec->subtitle_header_size;
    }
    char *h = malloc(hlen + 1);
    if (!h)
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    if (hlen)
        memcpy(h, hdr, hlen);
    h[hlen] = 0;
    h[strlen(h)] = 0; /* the header may carry a NUL of its own */

    zimu_sbuf b = {0};
    const char *ev = find_section(h, "[Events]");
    const char *after = NULL;
    if (ev) {
        const char *next = strchr(ev, '\n');
        after = next ? find_section(next + 1, "[") : NULL;
    }
    zimu__sb_add(&b, h, ev ? (size_t)(ev - h) : strlen(h));
    if (b.len && b.s[b.len - 1] != '\n')
        zimu__sb_addc(&b, '\n');
    if (after) {
        zimu__sb_adds(&b, after);
        if (b.s[b.len - 1] != '\n')
            zimu__sb_addc(&b, '\n');
    }
    free(h);
    zimu__sb_adds(&b, "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, "
                      "MarginV, Effect, Text\n");
    if (R->n_ev > 1) /* the array may be NULL when empty */
        qsort(R->ev, R->n_ev, sizeof *R->ev, cmp_order);
    size_t kept = 0;
    for (size_t i = 0; i < R->n_ev; i++) {
        const event *e = &R->ev[i];
        const char *layer, *rest;
        size_t ln, rn;
        if (!field(e->ass, 1, 0, &layer, &ln) || !field(e->ass, 2, 1, &rest, &rn) ||
            e->end_ms <= e->start_ms)
            continue;
        if (ln >= 7 && !strncasecmp(layer, "Marked=", 7)) /* SSA */
            layer = "0", ln = 1;
        zimu__sb_adds(&b, "Dialogue: ");
        zimu__sb_add(&b, layer, ln);
        zimu__sb_addc(&b, ',');
        ass_time(&b, e->start_ms);
        zimu__sb_addc(&b, ',');
        ass_time(&b, e->end_ms);
        zimu__sb_addc(&b, ',');
        /* an event's text is one line: drop any stray line ends */
        for (size_t k = 0; k < rn; k++)
            if (rest[k] != '\n' && rest[k] != '\r')
                zimu__sb_addc(&b, rest[k]);
        zimu__sb_addc(&b, '\n');
        kept++;
    }
    if (b.oom) {
        zimu__sb_free(&b);
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    }
    int r = zimu__parse_ass(R->c, R->what, b.s, b.len, out);
    zimu__sb_free(&b);
    if (r >= 0 && !kept)
        zimu__log(R->c, ZIMU_LOG_WARNING, "%s: has no captions", R->what);
    return r;
}

/* A Matroska attachment that is a font: by its codec (TTF/OTF, which the
 * demuxer takes from the MIME type), a MIME type naming a font, or the
 * file name's extension. */
static int is_font(const AVStream *st, const char *filename)
{
    const AVCodecParameters *p = st->codecpar;
    if (p->codec_type != AVMEDIA_TYPE_ATTACHMENT || p->extradata_size <= 0)
        return 0;
    if (p->codec_id == AV_CODEC_ID_TTF || p->codec_id == AV_CODEC_ID_OTF)
        return 1;
    const AVDictionaryEntry *m = av_dict_get(st->metadata, "mimetype", NULL, 0);
    if (m && (strstr(m->value, "font") || strstr(m->value, "opentype")))
        return 1;
    const char *dot = filename ? strrchr(filename, '.') : NULL;
    return dot && (!strcasecmp(dot, ".ttf") || !strcasecmp(dot, ".otf") ||
                   !strcasecmp(dot, ".ttc"));
}

/* The file's fonts go with an ASS script, whose styles ask for them by
 * family name (the ffmpeg program's subtitles filter does the same). */
static int take_fonts(reader *R, zimu_cues *out)
{
    for (unsigned i = 0; i < R->fmt->nb_streams; i++) {
        const AVStream *st = R->fmt->streams[i];
        const AVDictionaryEntry *f = av_dict_get(st->metadata, "filename", NULL, 0);
        if (!is_font(st, f ? f->value : NULL))
            continue;
        if (zimu__cues_add_font(out, f ? f->value : "attachment", st->codecpar->extradata,
                                (size_t)st->codecpar->extradata_size) < 0)
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    }
    return 0;
}

static void reader_free(reader *R)
{
    for (size_t i = 0; i < R->n_pkts; i++)
        av_packet_free(&R->pkts[i]);
    free(R->pkts);
    for (size_t i = 0; i < R->n_ev; i++)
        free(R->ev[i].ass);
    free(R->ev);
    avcodec_free_context(&R->dec);
    avformat_close_input(&R->fmt);
    if (R->avio) {
        av_freep(&R->avio->buffer);
        avio_context_free(&R->avio);
    }
}

int zimu__substream_read(zimu_ctx *c, const zimu_substream_src *src, int index,
                         zimu_cues *out)
{
    reader R = {.c = c, .src = src};
    snprintf(R.name, sizeof R.name, "%s",
             src->name ? src->name : src->path ? src->path : "input");
    snprintf(R.what, sizeof R.what, "%s", R.name);
    if (index < 0)
        return zimu__fail(c, ZIMU_EINVAL, "subtitle stream %d is not valid", index);
    /* Caller-supplied input may already be in use by the video reader. */
    int64_t saved_pos = !src->path && src->seek_cb ? src->seek_cb(src->io_opaque, 0, SEEK_CUR)
                                                   : -1;
    int r = open_file(&R);
    if (r >= 0)
        r = pick_stream(&R, index);
    if (r >= 0)
        r = read_packets(&R);
    if (r >= 0)
        r = fix_encoding(&R);
    if (r >= 0)
        r = decode_all(&R);
    if (r >= 0) {
        fill_ends(&R);
        enum AVCodecID id = R.st->codecpar->codec_id;
        r = id == AV_CODEC_ID_ASS || id == AV_CODEC_ID_SSA ? to_script(&R, out)
                                                          : to_cues(&R, out);
        if (r >= 0 && out->ass_header)
            r = take_fonts(&R, out);
    }
    if (r >= 0 && !out->ass_header && !out->n)
        zimu__log(c, ZIMU_LOG_WARNING, "%s: has no captions", R.what);
    reader_free(&R);
    /* The video reader goes on through the same callbacks from where it
     * was. */
    if (!src->path && src->seek_cb && saved_pos >= 0 &&
        src->seek_cb(src->io_opaque, saved_pos, SEEK_SET) < 0 && r >= 0)
        r = zimu__fail(c, ZIMU_EINVAL, "%s: cannot seek the input back", R.name);
    if (r < 0)
        zimu__cues_clear(out);
    return r < 0 ? r : 0;
}
