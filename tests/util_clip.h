/* util_clip.h - test helpers: temporary directories, test clips made at
 * test time, decoding outputs, comparing frames.
 *
 * Helpers return 0 (or a pointer) on success and a negative number (or
 * NULL) on failure, with the reason in tu_err(). They never abort, so they
 * can be used outside a Check test too; the TU_OK() macro turns a failure
 * into a test failure with that reason.
 *
 * Clips are made by the ffmpeg program (which the library never runs) from
 * raw frames generated here, so every pixel of every source frame is known;
 * rotation side data, variable frame rates and codecs the ffmpeg program
 * cannot write are added through libavformat.
 */
#ifndef ZIMU_TESTS_UTIL_CLIP_H
#define ZIMU_TESTS_UTIL_CLIP_H

#include <stddef.h>
#include <stdint.h>

#include <libavutil/rational.h>

/* The reason of the last helper failure ("" if none). */
const char *tu_err(void);

#define TU_OK(call)                                                        \
    do {                                                                   \
        int tu_rc_ = (call);                                               \
        ck_assert_msg(tu_rc_ >= 0, "%s failed: %s", #call, tu_err());      \
    } while (0)

/* How many times slower than the plain build the code under test runs:
 * CK_TIMEOUT_MULTIPLIER (which the sanitizer runs set, and which scales
 * Check's timeouts too), else 1. Bounds on time in tests multiply by it. */
double tu_time_scale(void);

/* ---- files and directories --------------------------------------------- */

/* A new empty directory (mkdtemp under $TMPDIR or /tmp); malloc'd path. */
char *tu_mkdtemp(void);
/* Remove dir and everything under it. Returns 0 or -1. */
int tu_rmtree(const char *dir);
/* Per-test temporary directories. A failing Check assertion ends the
 * forked test with _exit(), so a test cannot clean up after itself; so
 * every TCase gets an unchecked fixture (run in the parent process)
 * tu_suite_setup / tu_suite_teardown that makes and removes one base
 * directory, and each test makes its own directory inside it with
 * tu_test_dir (removed at once by tu_test_dir_done when the test passes).
 * Without the fixture, tu_test_dir makes a directory under $TMPDIR. */
void tu_suite_setup(void);
void tu_suite_teardown(void);
char *tu_test_dir(void);
void tu_test_dir_done(char *dir);

/* dir + "/" + name, malloc'd (never NULL: aborts when out of memory). */
char *tu_path(const char *dir, const char *name);
int tu_write_file(const char *path, const void *data, size_t size);
/* Write text into dir/name; returns the malloc'd path or NULL. */
char *tu_write_text(const char *dir, const char *name, const char *text);
/* Read a whole file; *data malloc'd. */
int tu_read_file(const char *path, uint8_t **data, size_t *size);
int tu_exists(const char *path);
/* Number of entries in dir (without . and ..), and their names joined by
 * spaces into names (if not NULL). Negative on error. */
int tu_dir_list(const char *dir, char *names, size_t names_size);

/* Point $TMPDIR at dir (so temporary files a library makes, if it follows
 * $TMPDIR, land where a test can see them); returns what to pass to
 * tu_tmpdir_pop to restore it. */
char *tu_tmpdir_push(const char *dir);
void tu_tmpdir_pop(char *saved);

/* Redirect file descriptor 2 to path; returns the saved descriptor for
 * tu_stderr_restore, or -1. */
int tu_stderr_to(const char *path);
void tu_stderr_restore(int saved);

/* Run a program (argv[0] looked up in PATH) with stdin from /dev/null and
 * stdout/stderr into a temporary log; 0 if it exits 0, else -1 with the
 * end of its log in tu_err(). */
int tu_run(const char *const argv[]);
/* Run the zimu program ($ZIMU_BIN or build/zimu) with args (NULL-ended),
 * stdin and stdout on /dev/null; its stderr goes into err (a file in dir
 * holds it meanwhile). Returns the exit status; a crash fails the test. */
int tu_zimu(const char *dir, const char *const *args, char *err, size_t errsize);

/* ---- test clips -------------------------------------------------------- */

enum {
    TU_BG_CYCLE = 0,  /* flat colour, a different one on every frame */
    TU_BG_BLACK,      /* flat black (Y 16, U V 128) */
    TU_BG_GREY,       /* flat grey (Y 128) */
    TU_BG_CHECKER,    /* 40x40 checkerboard of two bright colours */
};

enum { TU_AUDIO_NONE = 0, TU_AUDIO_AAC, TU_AUDIO_MP3, TU_AUDIO_PCM,
       TU_AUDIO_OPUS };
/* H.264 (libx264 -qp 0), HEVC (libx265 lossless), VP9 (libvpx lossless),
 * AV1 (libaom lossless) */
enum { TU_CODEC_H264 = 0, TU_CODEC_HEVC, TU_CODEC_VP9, TU_CODEC_AV1 };

/* How the stored picture is shown: the display picture is the stored one
 * rotated clockwise by 90/180/270 degrees or mirrored left-right. */
enum { TU_XF_NONE = 0, TU_XF_ROT90, TU_XF_ROT180, TU_XF_ROT270, TU_XF_HFLIP };

typedef struct tu_clip_opts {
    int width, height;       /* display size (after the transform); even */
    int fps_num, fps_den;    /* frame rate; default 30/1 */
    int frames;              /* frame count; default 60 */
    int bg;                  /* TU_BG_* */
    int markers;             /* red 40x40 square top-left and green 40x40
                                square top-right, in display space */
    int audio;               /* TU_AUDIO_*: a 440 Hz sine as long as the
                                video, 48 kHz mono */
    int codec;               /* TU_CODEC_*: lossless video codec */
    int bframes;             /* -1: encoder default (3), else this many */
    int xform;               /* TU_XF_*: stored = inverse transform of the
                                display picture, plus a display matrix */
    int vfr;                 /* 1: frame durations cycle through 33.3, 50,
                                16.7, 66.7, 30 ms (time base 1/90000);
                                forces bframes 0 */
    double ts_offset;        /* seconds: -output_ts_offset (for .ts) */
    int hlg;                 /* 1: 10-bit HEVC (libx265), HLG BT.2020
                                tagged, flat HLG mid-grey (38 %, 10-bit
                                Y 397); bg and markers are ignored */
} tu_clip_opts;

/* 320x568, 30 fps, 60 frames, TU_BG_CYCLE, markers, audio, B-frames. */
void tu_clip_defaults(tu_clip_opts *o);

/* Make a clip at path; the container follows the extension (.mp4 .mkv .ts
 * .mov .webm .flv). Video is lossless yuv420p, untagged (H.264 by default),
 * unless hlg is set. */
int tu_make_clip(const char *path, const tu_clip_opts *o);
/* A clip of the default options with `frames` frames at dir/name; its path
 * (free it). Fails the running test when it cannot be made (util_check.c). */
char *tu_clip_at(const char *dir, const char *name, int frames);

/* The display-space frame k of a clip made with o (8-bit yuv420p planes of
 * o->width x o->height, caller-allocated: w*h, (w/2)*(h/2) twice). This is
 * what an upright decode of the clip must show. Not for hlg clips. */
void tu_clip_frame(const tu_clip_opts *o, int k, uint8_t *y, uint8_t *u,
                   uint8_t *v);
/* The flat background colour of frame k (for TU_BG_CYCLE/BLACK/GREY). */
void tu_clip_bg(int bg, int k, uint8_t yuv[3]);

/* An audio-only file (AAC sine, duration seconds). */
int tu_make_audio_only(const char *path, double seconds);
/* A Matroska file with an AVS2 video stream: FFmpeg demuxes it but has no
 * AVS2 decoder in Debian 12's build. The packets are not real AVS2. */
int tu_make_avs2_mkv(const char *path);

/* Copy in to out through libavformat (stream copy) with the display matrix
 * of xform on the video stream (TU_XF_NONE: none) and, with vfr, the video
 * timestamps rewritten to the VFR cycle (needs a stream without B-frames).
 * Used by tu_make_clip; exposed for tests. */
int tu_remux(const char *in, const char *out, int xform, int vfr);

/* Plane transform: dst (display) from src (stored sw x sh) under xform. */
void tu_xform_plane(const uint8_t *src, int sw, int sh, uint8_t *dst,
                    int xform);
int tu_xform_inverse(int xform);

/* ---- reading media back ------------------------------------------------ */

typedef struct tu_frame {
    int64_t pts;            /* best-effort timestamp, stream time base */
    uint8_t *y, *u, *v;     /* 8-bit yuv420p, packed planes (see tu_video) */
} tu_frame;

typedef struct tu_video {
    char format[64];        /* demuxer name, "mov,mp4,m4a,3gp,3g2,mj2" */
    int64_t fmt_start_us;   /* AVFormatContext.start_time (0 if unset) */
    int width, height;      /* coded size of the stream */
    int pix_fmt;            /* AVPixelFormat of the stream */
    int bits;               /* bits per component of pix_fmt */
    int codec_id, profile;
    int color_primaries, color_trc, colorspace, color_range;
    int has_displaymatrix;  /* stream side data AV_PKT_DATA_DISPLAYMATRIX */
    double rotation;        /* av_display_rotation_get of it, else 0 */
    AVRational time_base;
    int64_t stream_start;   /* stream start_time (AV_NOPTS_VALUE if none) */
    int n;                  /* frames decoded */
    tu_frame *f;            /* n frames, converted to 8-bit yuv420p */
    int cw, ch;             /* chroma plane size: (w+1)/2 x (h+1)/2 */
} tu_video;

/* Decode every frame of the first video stream. Frames in other formats
 * are converted to 8-bit yuv420p (swscale). keep_pixels 0: timestamps and
 * stream facts only. */
int tu_read_video(const char *path, tu_video *v, int keep_pixels);
void tu_video_free(tu_video *v);

/* Frame i's time as the pipeline defines it: pts relative to the file's
 * start time, floored to milliseconds. */
int64_t tu_frame_ms(const tu_video *v, int i);
/* pts * time_base in seconds (exact enough for comparisons). */
double tu_pts_sec(int64_t pts, AVRational tb);

/* An image (PNG...) as packed RGB24; *rgb malloc'd. */
int tu_read_image_rgb(const char *path, int *w, int *h, uint8_t **rgb);

typedef struct tu_packet {
    int64_t pts, dts, duration;
    int size, flags;
    uint8_t *data;
} tu_packet;

typedef struct tu_audio {
    int present;            /* 0: no audio stream */
    int codec_id, sample_rate, channels;
    AVRational time_base;
    int n;
    tu_packet *p;
} tu_audio;

/* Every packet of the first audio stream, in file order. */
int tu_read_audio(const char *path, tu_audio *a);
void tu_audio_free(tu_audio *a);

/* 1 if the file's top-level 'moov' box comes before 'mdat' (faststart),
 * 0 if after, negative if either is missing. */
int tu_mp4_faststart(const char *path);

/* ---- comparing pixels -------------------------------------------------- */

typedef struct tu_box {
    int x0, y0, x1, y1;     /* inclusive-exclusive; empty: x1 <= x0 */
} tu_box;

/* Compare frame a (of va) with frame b (of vb), same size: the number of
 * luma positions where Y differs, or the co-sited chroma sample differs,
 * by more than thresh; box receives their bounding box. */
long tu_frame_diff(const tu_video *va, int a, const tu_video *vb, int b,
                   int thresh, tu_box *box);
/* The same against raw planes of the same size. */
long tu_frame_diff_planes(const tu_video *va, int a, const uint8_t *y,
                          const uint8_t *u, const uint8_t *v, int thresh,
                          tu_box *box);

/* Y'CbCr (8-bit) to R'G'B'; bt709 selects the matrix (else BT.601), full
 * the range (else limited). */
void tu_yuv_to_rgb(int y, int u, int v, int bt709, int full, uint8_t rgb[3]);
/* The matrix to read frames of v with: its tag, else BT.709 at 720 lines
 * and above, BT.601 below. */
int tu_video_is_bt709(const tu_video *v);
/* RGB of pixel (x, y) of frame i. */
void tu_pixel_rgb(const tu_video *v, int i, int x, int y, uint8_t rgb[3]);

/* Mask helpers: mask is w*h bytes, 1 = set. */
/* Pixels set whose every neighbour within Chebyshev distance r is set. */
void tu_mask_erode(const uint8_t *mask, int w, int h, int r, uint8_t *out);
long tu_mask_count(const uint8_t *mask, int w, int h);

/* ---- memory I/O (signatures of zimu_read_fn / seek / write) ------------ */

typedef struct tu_membuf {
    uint8_t *data;
    size_t size, cap, pos;
    int calls, fail;        /* write calls seen; fail: writes return -1 */
} tu_membuf;

int tu_mem_read(void *opaque, uint8_t *buf, int size);
int64_t tu_mem_seek(void *opaque, int64_t offset, int whence);
int tu_mem_write(void *opaque, const uint8_t *buf, int size);
void tu_membuf_free(tu_membuf *m);

/* ---- subtitles and jobs ------------------------------------------------ */

/* "HH:MM:SS,mmm" of ms into buf (at least 16 bytes). */
void tu_srt_time(char *buf, int64_t ms);
/* Write an SRT file with n cues [start[i], end[i]) and text[i] to dir/name;
 * the malloc'd path or NULL. */
char *tu_write_srt(const char *dir, const char *name, int n,
                   const int64_t *start, const int64_t *end,
                   const char *const *text);

/* visible[i] = 1 if frame i's time (ms from the file start, see
 * tu_frame_ms) lies in one of the n cues [st[c], en[c]). calloc'd, v->n + 1
 * entries. */
int *tu_visible_frames(const tu_video *v, int n, const int64_t *st, const int64_t *en);

/* Frames of out against frames of ref starting at ref_first, n of them:
 * where visible[i] is 0, out frame i must be bit-identical to the ref
 * frame; where it is 1, they must differ in at least min_px pixels, all in
 * the lower half of the frame. Returns the number of frames that break
 * this (a description of the first ones in tu_err()); boxes (optional, n)
 * receives each frame's box of differing pixels. */
int tu_check_caption_frames(const tu_video *out, const tu_video *ref,
                            int ref_first, const int *visible, int n,
                            int min_px, tu_box *boxes);

/* Same frame count and every frame's time within half a tick of a's time
 * base. Returns the number of mismatches (first ones described in
 * tu_err()). */
int tu_check_same_pts(const tu_video *a, const tu_video *b);
/* Audio packets of b bit-identical to a's, same count, codec, and times
 * within half a tick of a's time base. Returns the number of mismatches. */
int tu_check_same_audio(const tu_audio *a, const tu_audio *b);

/* Assert zimu_job_run(job) returns 0, else fail with code and message. */
#define TU_RUN_OK(job)                                                      \
    do {                                                                    \
        int tu_rc_ = zimu_job_run(job);                                     \
        ck_assert_msg(tu_rc_ == 0, "zimu_job_run: %d (%s): %s", tu_rc_,     \
                      zimu_strerror(tu_rc_), zimu_job_errmsg(job));         \
    } while (0)

struct zimu_job;
/* A job with input, subtitles (NULL: none) and output (NULL: none) set,
 * lossless (CRF 0) with the ultrafast preset; NULL with the reason in
 * tu_err() if a setter fails. */
struct zimu_job *tu_job(const char *in, const char *subs, const char *out);

#endif
