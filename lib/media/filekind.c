/* filekind.c - zimu_file_kind(): is a file a video, a sound file or
 * captions, by its content, so that swapped arguments can be named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>

#include "internal.h"
#include "subs.h"

#define HEAD_BYTES (64 * 1024)

/* The streams of a media file whose format was probed from its head. */
static int media_kind(const char *path, const AVInputFormat *fmt)
{
    AVFormatContext *ctx = NULL;
    if (avformat_open_input(&ctx, path, fmt, NULL) < 0)
        return ZIMU_FILE_OTHER;
    /* Formats without a header (MPEG-TS, raw streams) find their streams
     * by reading packets. */
    if (ctx->nb_streams == 0 && avformat_find_stream_info(ctx, NULL) < 0) {
        avformat_close_input(&ctx);
        return ZIMU_FILE_OTHER;
    }
    int kind = ZIMU_FILE_OTHER;
    for (unsigned i = 0; i < ctx->nb_streams; i++) {
        const AVStream *st = ctx->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            kind = ZIMU_FILE_VIDEO;
        else if (st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO && kind == ZIMU_FILE_OTHER)
            kind = ZIMU_FILE_AUDIO;
    }
    avformat_close_input(&ctx);
    return kind;
}

int zimu_file_kind(const char *path)
{
    if (!path)
        return ZIMU_EINVAL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ZIMU_ENOENT;
    unsigned char *buf = calloc(1, HEAD_BYTES + AVPROBE_PADDING_SIZE);
    if (!buf) {
        fclose(f);
        return ZIMU_ENOMEM;
    }
    size_t n = fread(buf, 1, HEAD_BYTES, f);
    int err = ferror(f);
    fclose(f); /* a folder opens, then fails to read */
    if (err || n == 0) {
        free(buf);
        return ZIMU_FILE_OTHER;
    }
    size_t bom = n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    int fmt = zimu__subs_detect(NULL, (const char *)buf + bom, n - bom);
    if (fmt != ZIMU__SUBS_AUTO && fmt != ZIMU__SUBS_TXT) {
        free(buf);
        return ZIMU_FILE_CAPTIONS;
    }
    /* The content only: no file name, so no guess from an extension. */
    AVProbeData pd = {.filename = "", .buf = buf, .buf_size = (int)n};
    int score = 0;
    const AVInputFormat *in = av_probe_input_format3(&pd, 1, &score);
    free(buf);
    if (!in || score < AVPROBE_SCORE_MAX / 4)
        return ZIMU_FILE_OTHER;
    return media_kind(path, in);
}
