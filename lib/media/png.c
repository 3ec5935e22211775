/* png.c - write one frame as a PNG file (libavcodec's PNG encoder). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>

#include "png.h"
#include "tmpfile.h"

static int to_rgb(const AVFrame *f, AVFrame *rgb)
{
    rgb->format = AV_PIX_FMT_RGB24;
    rgb->width = f->width;
    rgb->height = f->height;
    if (av_frame_get_buffer(rgb, 0) < 0)
        return ZIMU_ENOMEM;
    struct SwsContext *sws = sws_getContext(f->width, f->height, f->format, f->width, f->height,
                                            AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND |
                                            SWS_FULL_CHR_H_INT, NULL, NULL, NULL);
    if (!sws)
        return ZIMU_ENOMEM;
    int cs = f->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    sws_setColorspaceDetails(sws, sws_getCoefficients(cs), f->color_range == AVCOL_RANGE_JPEG,
                             sws_getCoefficients(cs), 1, 0, 1 << 16, 1 << 16);
    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, rgb->data,
              rgb->linesize);
    sws_freeContext(sws);
    return 0;
}

int zimu__png_check_name(zimu_ctx *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base || !strcasecmp(dot, ".png"))
        return 0;
    return zimu__fail_file(c, ZIMU_EINVAL, path,
                           "%s: a frame is written as PNG only; name it .png, not '%s'", path,
                           dot);
}

int zimu__write_png(zimu_ctx *c, const AVFrame *f, const char *path, int overwrite)
{
    int r = ZIMU_ENOMEM;
    AVFrame *rgb = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    AVCodecContext *enc = NULL;
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    char *tmp = NULL;
    FILE *fp = NULL;
    if (!rgb || !pkt || !codec || to_rgb(f, rgb) < 0 || !(enc = avcodec_alloc_context3(codec)))
        goto fail;
    enc->width = f->width;
    enc->height = f->height;
    enc->pix_fmt = AV_PIX_FMT_RGB24;
    enc->time_base = (AVRational){1, 25};
    if (avcodec_open2(enc, codec, NULL) < 0 || avcodec_send_frame(enc, rgb) < 0 ||
        avcodec_send_frame(enc, NULL) < 0 || avcodec_receive_packet(enc, pkt) < 0) {
        r = zimu__fail(c, ZIMU_EFFMPEG, "%s: PNG encoding failed", path);
        goto fail;
    }
    tmp = zimu__temp_beside(path);
    if (!tmp || !(fp = fopen(tmp, "wb"))) {
        r = zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: cannot write: %s", path,
                            strerror(errno));
        goto fail;
    }
    if (fwrite(pkt->data, 1, pkt->size, fp) != (size_t)pkt->size || fclose(fp) != 0) {
        fp = NULL;
        r = zimu__fail_file(c, ZIMU_EOUTPUT, path, "%s: cannot write: %s", path,
                            strerror(errno));
        goto fail;
    }
    fp = NULL;
    r = zimu__temp_publish(c, tmp, path, overwrite); /* removes tmp if it fails */
    free(tmp);
    tmp = NULL;
fail:
    if (r == ZIMU_ENOMEM && !c->errmsg[0])
        zimu__fail(c, r, "out of memory");
    if (fp)
        fclose(fp);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    avcodec_free_context(&enc);
    av_packet_free(&pkt);
    av_frame_free(&rgb);
    return r;
}
