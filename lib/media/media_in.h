/* media_in.h - read a clip: demux, decode, rotate, tone-map, fit, trim. */
#ifndef ZIMU_MEDIA_IN_H
#define ZIMU_MEDIA_IN_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>

#include "cardsrc.h"
#include "internal.h"

typedef struct zimu_in_opts {
    const char *path;          /* or read_cb (+ seek_cb) */
    zimu_read_fn read_cb;
    zimu_seek_fn seek_cb;
    void *io_opaque;
    const char *name;          /* for messages */
    int out_w, out_h;          /* 0x0: source size (after rotation) */
    int fit;                   /* ZIMU_FIT_* */
    int64_t from_ms, to_ms;    /* trim; to_ms < 0: to the end */
    int hold_last;             /* a preview: hand out the frame on screen
                                  at from_ms, the last one that starts at
                                  or before it (the first frame when none
                                  does; past the last frame's start, that
                                  frame if it is still on screen then:
                                  its pts + duration > from_ms) */
    const zimu_cardsrc_opts *cards; /* not NULL: no file is read; the
                                  frames are generated cards (cardsrc.h,
                                  its from/to/hold_last taken from here),
                                  and there is no audio */
} zimu_in_opts;

enum { ZIMU_AUDIO_OFF, ZIMU_AUDIO_PACKETS, ZIMU_AUDIO_FRAMES };

/* What zimu__in_read() hands out. */
typedef struct zimu_in_item {
    enum { ZIMU_ITEM_VIDEO = 1, ZIMU_ITEM_AUDIO_PACKET, ZIMU_ITEM_AUDIO_FRAME } type;
    AVFrame *frame;  /* VIDEO: yuv420p, output size, pts on the output
                        timeline in video_tb; AUDIO_FRAME: decoded, trimmed,
                        pts in audio_tb on the output timeline. Owned by the
                        reader until the next call. */
    AVPacket *pkt;   /* AUDIO_PACKET: pts/dts on the output timeline */
    int64_t src_ms;  /* VIDEO: the frame's time from the file's start,
                        floored to ms: the time captions are rendered at */
} zimu_in_item;

typedef struct zimu_media_in zimu_media_in;

/* Open and probe. Errors: ZIMU_ENOENT, ZIMU_ENOTVIDEO, ZIMU_ENOVIDEO,
 * ZIMU_ECODEC, each naming the file. */
int zimu__in_open(zimu_ctx *c, zimu_media_in **in, const zimu_in_opts *o);
void zimu__in_free(zimu_media_in **in);

/* After open. */
AVRational zimu__in_video_tb(const zimu_media_in *in);
AVRational zimu__in_frame_rate(const zimu_media_in *in);
/* Audio stream parameters, or NULL if the clip has none. */
const AVCodecParameters *zimu__in_audio_par(const zimu_media_in *in);
AVRational zimu__in_audio_tb(const zimu_media_in *in);
/* 1 if nothing else reads a handed-out video frame while the caller holds
 * it (the decoder is not frame-threaded), so the caller may draw on it and
 * put the pixels back before the next read. */
int zimu__in_frames_private(const zimu_media_in *in);
/* Choose what audio zimu__in_read() returns; FRAMES needs a decoder:
 * returns ZIMU_ECODEC if there is none. Default OFF. */
int zimu__in_set_audio(zimu_media_in *in, int mode);
/* Estimated output duration and frame count (0 if unknown). */
int64_t zimu__in_duration_ms(const zimu_media_in *in);
int64_t zimu__in_frames_est(const zimu_media_in *in);

/* Next item; 1 with *item filled, 0 at the end, or a ZIMU_E* code. */
int zimu__in_read(zimu_media_in *in, zimu_in_item *item);

/* Known once the first video frame was read: the output geometry and the
 * colour of the frames handed out. */
typedef struct zimu_in_geometry {
    int width, height;                 /* output frame */
    int pic_x, pic_y, pic_w, pic_h;    /* the source picture inside it */
    AVRational sar;
    enum AVColorSpace colorspace;
    enum AVColorPrimaries primaries;
    enum AVColorTransferCharacteristic trc;
    enum AVColorRange range;
} zimu_in_geometry;
const zimu_in_geometry *zimu__in_geometry(const zimu_media_in *in);

/* Damage seen so far: time ranges of the source timeline (ms from the
 * file's start, [from, to)) where video could not be decoded, frames are
 * missing (a jump in the video timestamps of more than a few frames), audio
 * packets could not be decoded, or, once the video has ended, where the
 * video stops well before the duration the file declares. Overlapping and
 * nearby ranges are merged; at most ZIMU__IN_MAX_DAMAGE are kept (the last
 * one grows). */
#define ZIMU__IN_MAX_DAMAGE 256
typedef struct zimu_in_range {
    int64_t from_ms, to_ms;
    int cut;          /* the file ends early here (cut off) */
} zimu_in_range;
int zimu__in_damage(const zimu_media_in *in, const zimu_in_range **ranges);
/* Number of packets or frames the decoders refused or flagged. */
int64_t zimu__in_decode_errors(const zimu_media_in *in);

#endif
