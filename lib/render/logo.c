/* logo.c - a PNG with alpha, scaled and drawn in a corner of every frame.
 *
 * The PNG is decoded once with libavcodec and kept as premultiplied RGBA.
 * Premultiplying before scaling matters: scaling straight RGBA mixes the
 * colour of fully transparent pixels (often black or junk) into the edge of
 * the opaque part, which shows as a dark fringe. Each premultiplied channel
 * is scaled as a grey plane by libswscale, so no colour conversion happens
 * on the way; the compositor then converts to the frame's Y'CbCr once. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "compose.h"
#include "logo.h"

struct zimu_logo {
    int w, h;            /* decoded size */
    uint8_t *rgba;       /* premultiplied, w * h * 4 */
    zimu_compose *comp;  /* the scaled logo as an overlay */
    uint8_t *scaled;     /* the scaled logo, premultiplied RGBA, */
    int sx, sy, sw, sh;  /* at (sx, sy) of the frame */
};

static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static uint8_t mul255(unsigned a, unsigned b)
{
    unsigned t = a * b + 128;
    return (uint8_t)((t + (t >> 8)) >> 8);
}

static uint8_t hi16(const uint8_t *p)
{
    /* 16-bit big-endian sample to 8 bits, rounded */
    unsigned v = (unsigned)p[0] << 8 | p[1];
    return (uint8_t)((v * 255u + 32767u) / 65535u);
}

/* One decoded pixel of the formats libavcodec's PNG decoder gives, as
 * straight RGBA. 0 if the format is not one of them. */
static int unpack_row(const AVFrame *f, int y, uint8_t *out)
{
    const uint8_t *s = f->data[0] + (ptrdiff_t)y * f->linesize[0];
    int w = f->width;
    switch (f->format) {
    case AV_PIX_FMT_RGBA:
        memcpy(out, s, (size_t)w * 4);
        return 1;
    case AV_PIX_FMT_RGB24:
        for (int x = 0; x < w; x++)
            out[4 * x] = s[3 * x], out[4 * x + 1] = s[3 * x + 1],
            out[4 * x + 2] = s[3 * x + 2], out[4 * x + 3] = 255;
        return 1;
    case AV_PIX_FMT_GRAY8:
        for (int x = 0; x < w; x++)
            out[4 * x] = out[4 * x + 1] = out[4 * x + 2] = s[x], out[4 * x + 3] = 255;
        return 1;
    case AV_PIX_FMT_YA8:
        for (int x = 0; x < w; x++)
            out[4 * x] = out[4 * x + 1] = out[4 * x + 2] = s[2 * x],
            out[4 * x + 3] = s[2 * x + 1];
        return 1;
    case AV_PIX_FMT_PAL8: {
        const uint32_t *pal = (const uint32_t *)f->data[1]; /* native ARGB */
        for (int x = 0; x < w; x++) {
            uint32_t c = pal[s[x]];
            out[4 * x] = (uint8_t)(c >> 16), out[4 * x + 1] = (uint8_t)(c >> 8),
            out[4 * x + 2] = (uint8_t)c, out[4 * x + 3] = (uint8_t)(c >> 24);
        }
        return 1;
    }
    case AV_PIX_FMT_MONOBLACK:
        for (int x = 0; x < w; x++) {
            uint8_t v = (s[x >> 3] >> (7 - (x & 7)) & 1) ? 255 : 0;
            out[4 * x] = out[4 * x + 1] = out[4 * x + 2] = v, out[4 * x + 3] = 255;
        }
        return 1;
    case AV_PIX_FMT_RGB48BE:
        for (int x = 0; x < w; x++)
            out[4 * x] = hi16(s + 6 * x), out[4 * x + 1] = hi16(s + 6 * x + 2),
            out[4 * x + 2] = hi16(s + 6 * x + 4), out[4 * x + 3] = 255;
        return 1;
    case AV_PIX_FMT_RGBA64BE:
        for (int x = 0; x < w; x++)
            for (int k = 0; k < 4; k++)
                out[4 * x + k] = hi16(s + 8 * x + 2 * k);
        return 1;
    case AV_PIX_FMT_GRAY16BE:
        for (int x = 0; x < w; x++)
            out[4 * x] = out[4 * x + 1] = out[4 * x + 2] = hi16(s + 2 * x),
            out[4 * x + 3] = 255;
        return 1;
    case AV_PIX_FMT_YA16BE:
        for (int x = 0; x < w; x++)
            out[4 * x] = out[4 * x + 1] = out[4 * x + 2] = hi16(s + 4 * x),
            out[4 * x + 3] = hi16(s + 4 * x + 2);
        return 1;
    default:
        return 0;
    }
}

/* Decode the PNG bytes into l->rgba (premultiplied). */
static int decode(zimu_ctx *c, const char *path, const uint8_t *data, size_t size,
                  zimu_logo *l)
{
    const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
    AVCodecContext *dec = codec ? avcodec_alloc_context3(codec) : NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int r = ZIMU_ENOMEM;
    if (!codec) {
        r = zimu__fail(c, ZIMU_EFFMPEG, "%s: FFmpeg here has no PNG decoder", path);
        goto done;
    }
    if (!dec || !pkt || !f || size > INT32_MAX - AV_INPUT_BUFFER_PADDING_SIZE ||
        av_new_packet(pkt, (int)size) < 0)
        goto done;
    memcpy(pkt->data, data, size);
    int e = avcodec_open2(dec, codec, NULL);
    if (e >= 0)
        e = avcodec_send_packet(dec, pkt);
    if (e >= 0)
        e = avcodec_send_packet(dec, NULL);
    if (e >= 0)
        e = avcodec_receive_frame(dec, f);
    if (e < 0 || f->width <= 0 || f->height <= 0) {
        r = zimu__fail_file(c, ZIMU_EINVAL, path,
                            "%s: PNG image is damaged and cannot be decoded", path);
        goto done;
    }
    if (f->width > 16384 || f->height > 16384) {
        r = zimu__fail_file(c, ZIMU_EINVAL, path,
                            "%s: PNG image of %dx%d is too large for a logo", path,
                            f->width, f->height);
        goto done;
    }
    l->w = f->width;
    l->h = f->height;
    l->rgba = malloc((size_t)l->w * l->h * 4);
    if (!l->rgba)
        goto done;
    for (int y = 0; y < l->h; y++) {
        uint8_t *row = l->rgba + (size_t)y * l->w * 4;
        if (!unpack_row(f, y, row)) {
            r = zimu__fail_file(c, ZIMU_EINVAL, path,
                                "%s: PNG pixel format %s is not supported", path,
                                av_get_pix_fmt_name(f->format)
                                    ? av_get_pix_fmt_name(f->format) : "?");
            goto done;
        }
        for (int x = 0; x < l->w; x++) {
            uint8_t *p = row + 4 * x;
            p[0] = mul255(p[0], p[3]);
            p[1] = mul255(p[1], p[3]);
            p[2] = mul255(p[2], p[3]);
        }
    }
    r = 0;
done:
    if (r == ZIMU_ENOMEM)
        zimu__fail(c, r, "out of memory");
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    return r;
}

int zimu__logo_load(zimu_ctx *c, const char *path, int64_t max, zimu_logo **out)
{
    *out = NULL;
    char *data;
    size_t size;
    int r = zimu__read_file(c, path, max, ZIMU_EINVAL, N_("a logo"), &data, &size);
    if (r == ZIMU_ENOENT) {
        /* A missing or unreadable logo is a missing input file, as the
         * video is: ZIMU_ENOENT, and zimu_errfile() tells them apart. */
        char why[ZIMU_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", c->errmsg);
        return zimu__fail_file(c, ZIMU_ENOENT, path, "logo %s", why);
    }
    if (r < 0)
        return r;
    if (size < sizeof png_sig || memcmp(data, png_sig, sizeof png_sig)) {
        free(data);
        return zimu__fail_file(c, ZIMU_EINVAL, path, "%s: not a PNG image", path);
    }
    zimu_logo *l = calloc(1, sizeof *l);
    if (!l) {
        free(data);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    r = decode(c, path, (const uint8_t *)data, size, l);
    free(data);
    if (r < 0) {
        zimu__logo_free(&l);
        return r;
    }
    *out = l;
    return 0;
}

void zimu__logo_free(zimu_logo **pl)
{
    if (!pl || !*pl)
        return;
    free((*pl)->rgba);
    free((*pl)->scaled);
    zimu__compose_free(&(*pl)->comp);
    free(*pl);
    *pl = NULL;
}

void zimu__logo_size(const zimu_logo *l, int *w, int *h)
{
    *w = l->w;
    *h = l->h;
}

static int inset(double frac, int dim, int min)
{
    int v = (int)(frac * dim + 0.5);
    return v > min ? v : min;
}

void zimu__logo_rect(const zimu_logo_place *p, int src_w, int src_h,
                     int *x, int *y, int *w, int *h)
{
    int W = p->frame_w, H = p->frame_h;
    int m = (int)(ZIMU__LOGO_MARGIN * W + 0.5);
    /* Left and top insets rounded up to even: see below. */
    int il = (inset(p->left, W, m) + 1) & ~1, ir = inset(p->right, W, m);
    int it = (inset(p->top, H, m) + 1) & ~1, ib = inset(p->bottom, H, m);
    int room_w = W - il - ir, room_h = H - it - ib;
    if (room_w < 2) room_w = 2;
    if (room_h < 2) room_h = 2;
    double frac = p->width_fraction > 0 && p->width_fraction <= 1 ? p->width_fraction : 0.15;
    double lw = frac * W, lh = lw * src_h / src_w;
    if (lw > room_w) {
        lh *= room_w / lw;
        lw = room_w;
    }
    if (lh > room_h) {
        lw *= room_h / lh;
        lh = room_h;
    }
    int iw = (int)(lw + 0.5), ih = (int)(lh + 0.5);
    *w = iw < 2 ? 2 : iw;
    *h = ih < 2 ? 2 : ih;
    /* Even positions keep the logo's edges on whole chroma samples; round
     * towards the middle of the frame, so insets are never less. */
    int left = p->corner == ZIMU_CORNER_TOP_LEFT || p->corner == ZIMU_CORNER_BOTTOM_LEFT;
    int upper = p->corner == ZIMU_CORNER_TOP_LEFT || p->corner == ZIMU_CORNER_TOP_RIGHT;
    *x = left ? il : (W - ir - *w) & ~1;
    *y = upper ? it : (H - ib - *h) & ~1;
    if (*x < 0) *x = 0;
    if (*y < 0) *y = 0;
}

#define ROW_ALIGN(n) (((n) + 63) & ~63)

/* Scale channel k of RGBA src (sw x sh) into channel k of dst (dw x dh)
 * through grey planes with aligned rows (tmp_in, tmp_out). */
static int scale_channel(struct SwsContext *sws, const uint8_t *src, int sw, int sh,
                         uint8_t *dst, int dw, int dh, int k, uint8_t *tmp_in,
                         uint8_t *tmp_out)
{
    int ils = ROW_ALIGN(sw), ols = ROW_ALIGN(dw);
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++)
            tmp_in[(size_t)y * ils + x] = src[4 * ((size_t)y * sw + x) + k];
    const uint8_t *in[4] = {tmp_in};
    int in_ls[4] = {ils};
    uint8_t *outp[4] = {tmp_out};
    int out_ls[4] = {ols};
    if (sws_scale(sws, in, in_ls, 0, sh, outp, out_ls) != dh)
        return -1;
    for (int y = 0; y < dh; y++)
        for (int x = 0; x < dw; x++)
            dst[4 * ((size_t)y * dw + x) + k] = tmp_out[(size_t)y * ols + x];
    return 0;
}

int zimu__logo_prepare(zimu_ctx *c, zimu_logo *l, const zimu_logo_place *p,
                       enum AVColorSpace cs, enum AVColorRange range)
{
    int x, y, w, h;
    zimu__logo_rect(p, l->w, l->h, &x, &y, &w, &h);
    if (!l->comp && !(l->comp = zimu__compose_new()))
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    uint8_t *scaled = malloc((size_t)w * h * 4);
    uint8_t *tin = av_malloc((size_t)ROW_ALIGN(l->w) * (l->h + 1));
    uint8_t *tout = av_malloc((size_t)ROW_ALIGN(w) * (h + 1));
    struct SwsContext *sws = NULL;
    int r = ZIMU_ENOMEM;
    if (!scaled || !tin || !tout)
        goto done;
    if (w == l->w && h == l->h) {
        memcpy(scaled, l->rgba, (size_t)w * h * 4);
    } else {
        /* Area averaging when shrinking (no ringing at the logo's sharp
         * edges), bicubic when enlarging. */
        int flags = (w < l->w ? SWS_AREA : SWS_BICUBIC) | SWS_ACCURATE_RND;
        sws = sws_getContext(l->w, l->h, AV_PIX_FMT_GRAY8, w, h, AV_PIX_FMT_GRAY8, flags, NULL,
                             NULL, NULL);
        if (!sws) {
            r = zimu__fail(c, ZIMU_EFFMPEG, "the logo cannot be scaled to %dx%d", w, h);
            goto done;
        }
        for (int k = 0; k < 4; k++)
            if (scale_channel(sws, l->rgba, l->w, l->h, scaled, w, h, k, tin, tout) < 0) {
                r = zimu__fail(c, ZIMU_EFFMPEG, "the logo cannot be scaled to %dx%d", w, h);
                goto done;
            }
        /* Filters may overshoot: a premultiplied colour never exceeds
         * its alpha. */
        for (size_t i = 0; i < (size_t)w * h; i++) {
            uint8_t *q = scaled + 4 * i;
            for (int k = 0; k < 3; k++)
                if (q[k] > q[3])
                    q[k] = q[3];
        }
    }
    if (zimu__compose_update_image(l->comp, scaled, w * 4, x, y, w, h, p->frame_w, p->frame_h,
                                   cs, range) < 0)
        goto done;
    free(l->scaled);
    l->scaled = scaled;
    scaled = NULL;
    l->sx = x;
    l->sy = y;
    l->sw = w;
    l->sh = h;
    r = 0;
done:
    if (r == ZIMU_ENOMEM)
        zimu__fail(c, r, "out of memory");
    sws_freeContext(sws);
    free(scaled);
    av_free(tin);
    av_free(tout);
    return r;
}

int zimu__logo_box(const zimu_logo *l, int *x, int *y, int *w, int *h)
{
    return l && l->comp ? zimu__compose_box(l->comp, x, y, w, h) : 0;
}

void zimu__logo_blend_rgba(const zimu_logo *l, uint8_t *rgba, int stride, int fw, int fh)
{
    if (!l || !l->scaled)
        return;
    for (int y = 0; y < l->sh; y++) {
        int fy = l->sy + y;
        if (fy < 0 || fy >= fh)
            continue;
        for (int x = 0; x < l->sw; x++) {
            int fx = l->sx + x;
            if (fx < 0 || fx >= fw)
                continue;
            const uint8_t *q = l->scaled + ((size_t)y * l->sw + x) * 4;
            uint8_t *d = rgba + (ptrdiff_t)fy * stride + (ptrdiff_t)fx * 4;
            for (int k = 0; k < 3; k++) /* premultiplied over */
                d[k] = (uint8_t)(q[k] + mul255(d[k], 255u - q[3]));
        }
    }
}

void zimu__logo_blend(const zimu_logo *l, AVFrame *frame)
{
    if (l && l->comp)
        zimu__compose_blend(l->comp, frame);
}
