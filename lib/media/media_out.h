/* media_out.h - encode H.264 (libx264) and mux, audio copied or AAC. */
#ifndef ZIMU_MEDIA_OUT_H
#define ZIMU_MEDIA_OUT_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>

#include "internal.h"

typedef struct zimu_out_opts {
    /* Where: exactly one of path / write_cb. With path the file is written
     * to a temporary name in the same directory and renamed over path by
     * zimu__out_close(ok=1). With write_cb the finished file (MP4 with
     * faststart) is written to a temporary file in $TMPDIR
     * (".zimu-HOST-PID-XXXXXXXX.mp4.part", zimu__temp_owned), then streamed
     * through write_cb in order. */
    const char *path;
    zimu_write_fn write_cb;
    void *write_opaque;
    /* With path: 0 = a file that appears at path while writing is never
     * replaced (ZIMU_EEXIST at the end, zimu__temp_publish); 1 = replace. */
    int overwrite;

    /* Video. Frames arrive as AV_PIX_FMT_YUV420P, width x height (even),
     * pts in time_base (= the source video stream's time base), possibly
     * variable frame rate: pts are passed through untouched. */
    int width, height;
    AVRational time_base;
    AVRational frame_rate;         /* average, a hint for rate control */
    AVRational sample_aspect_ratio;
    enum AVColorSpace colorspace;  /* tagged on the output */
    enum AVColorPrimaries color_primaries;
    enum AVColorTransferCharacteristic color_trc;
    enum AVColorRange color_range;
    int crf;                       /* 0..51; 0 = lossless (qp 0) */
    const char *preset;            /* libx264 preset */
    int threads;                   /* libx264 threads; 0: as many as x264
                                      finds useful (a batch gives each of
                                      its clips a share of the cores) */

    /* Audio: none, copy, or encode to AAC.
     * copy: audio_par/audio_tb describe the source stream; packets arrive
     *       with timestamps already in audio_tb and shifted as needed.
     * encode: decoded frames arrive (any sample format / rate / layout,
     *       described by audio_par), pts in audio_tb; they are resampled
     *       and encoded to AAC-LC at the source rate (or 48000 if AAC
     *       cannot take it), stereo or mono as the source. */
    enum { ZIMU_AUDIO_NONE, ZIMU_AUDIO_COPY, ZIMU_AUDIO_ENCODE } audio;
    const AVCodecParameters *audio_par;
    AVRational audio_tb;
} zimu_out_opts;

typedef struct zimu_media_out zimu_media_out;

/* The container for an output path, from its extension: "mp4" (.mp4, .m4v,
 * or no extension), "mov" (.mov), "matroska" (.mkv), any case; NULL for
 * any other extension. */
const char *zimu__out_container(const char *path);
/* Refuse an extension zimu__out_container does not know: ZIMU_EINVAL with
 * "path: ..." naming the extensions allowed. */
int zimu__out_check_name(zimu_ctx *c, const char *path);
/* Refuse a frame size libx264 and H.264 cannot encode: ZIMU_EINVAL naming
 * the size and the limit (16384 a side, 139264 macroblocks of 16x16 a
 * frame, level 6.2's MaxFS). */
int zimu__out_check_size(zimu_ctx *c, int width, int height);

/* Open encoder(s) and the temporary output. Errors: ZIMU_EOUTPUT (cannot
 * create the file, with its path), ZIMU_EFFMPEG, ZIMU_ENOMEM. */
int zimu__out_open(zimu_ctx *c, zimu_media_out **out, const zimu_out_opts *o);
/* Encode one video frame (NULL flushes the encoder, once, at the end). */
int zimu__out_video(zimu_media_out *out, AVFrame *frame);
/* Copy mode: write one source audio packet (timestamps in audio_tb). */
int zimu__out_audio_packet(zimu_media_out *out, AVPacket *pkt);
/* Encode mode: one decoded audio frame (NULL flushes, once, at the end). */
int zimu__out_audio_frame(zimu_media_out *out, AVFrame *frame);
/* Finish. ok=1: flush what is left, write the trailer, rename / deliver;
 * returns 0 or an error (then nothing is left at the output path).
 * ok=0: remove the temporary file, leave the output path untouched.
 * Frees *out and sets it to NULL in both cases. */
int zimu__out_close(zimu_ctx *c, zimu_media_out **out, int ok);

#endif
