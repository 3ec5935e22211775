/*
 * zimu.h - libzimu: burn styled captions and subtitles into short videos.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libzimu itself is LGPL-2.1-or-later. It links FFmpeg's libraries; Debian's
 * FFmpeg build includes GPL parts (libx264), so a program linking libzimu
 * with Debian's FFmpeg is, as a whole, distributed under the GPL.
 *
 * This header is the whole public API.
 *
 * Conventions
 * -----------
 * - Functions returning int return 0 (or a non-negative count) on success
 *   and a negative ZIMU_E* code on failure. zimu_strerror() gives the short
 *   text of a code; zimu_job_errmsg() gives the detailed message of the last
 *   failure on a handle ("sub.srt:14: timestamp '00:01:02,5x' is not valid").
 * - Handles are opaque. zimu_x_new() creates, zimu_x_free(&h) frees and sets
 *   the pointer to NULL; freeing NULL is a harmless no-op.
 * - Settings are made through typed setters, so new settings never change
 *   the layout of anything a caller allocates.
 * - Times are milliseconds (int64_t) unless a name says otherwise.
 * - Strings are UTF-8 and copied by the setter: the caller may free them as
 *   soon as the setter returns.
 * - The library never prints. Messages go to the log callback; FFmpeg's own
 *   log is process-wide and is only captured when the caller asks
 *   (zimu_set_ffmpeg_log()).
 *
 * Thread safety
 * -------------
 * Distinct handles may be used from distinct threads at the same time. One
 * handle must be used from one thread at a time. Callbacks run on the thread
 * that called zimu_job_run(). zimu_set_ffmpeg_log() changes process-wide
 * state: call it before starting jobs on other threads.
 */
#ifndef ZIMU_H
#define ZIMU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ZIMU_BUILDING) && defined(__GNUC__)
#define ZIMU_API __attribute__((visibility("default")))
#else
#define ZIMU_API
#endif

#define ZIMU_VERSION_MAJOR 0
#define ZIMU_VERSION_MINOR 1
#define ZIMU_VERSION_PATCH 0
/** (major << 16) | (minor << 8) | patch */
#define ZIMU_VERSION_INT \
    ((ZIMU_VERSION_MAJOR << 16) | (ZIMU_VERSION_MINOR << 8) | ZIMU_VERSION_PATCH)

/** The version of the library actually linked, "0.1.0". Static string. */
ZIMU_API const char *zimu_version(void);
/** The ZIMU_VERSION_INT of the library actually linked. */
ZIMU_API int zimu_version_int(void);

/* ------------------------------------------------------------------------
 * Errors. Codes are only ever appended, never renumbered.
 */
enum {
    ZIMU_OK = 0,
    ZIMU_ENOMEM = -1,      /**< out of memory */
    ZIMU_EINVAL = -2,      /**< invalid argument or setting */
    ZIMU_ENOENT = -3,      /**< input file missing or unreadable */
    ZIMU_ENOTVIDEO = -4,   /**< input is not a media file FFmpeg can read */
    ZIMU_ENOVIDEO = -5,    /**< input has no video stream */
    ZIMU_ECODEC = -6,      /**< no decoder for the input's video codec */
    ZIMU_ESUBS = -7,       /**< subtitle file cannot be read or parsed */
    ZIMU_EOUTPUT = -8,     /**< output cannot be written */
    ZIMU_EEXIST = -9,      /**< output exists and overwrite is off */
    ZIMU_ESAME = -10,      /**< output is the input */
    ZIMU_ECANCEL = -11,    /**< cancelled by the progress callback */
    ZIMU_EDECODE = -12,    /**< input is damaged beyond decoding */
    ZIMU_EFFMPEG = -13,    /**< an FFmpeg library call failed */
    ZIMU_ECHARSET = -14,   /**< subtitle bytes are not valid in their encoding */
    ZIMU_EFONT = -15,      /**< fonts cannot be set up */
    ZIMU_ESTYLE = -16,     /**< style file or style setting is not valid */
};

/** Short English text of an error code. Static string; never NULL. */
ZIMU_API const char *zimu_strerror(int code);

/* ------------------------------------------------------------------------
 * Logging.
 */
enum {
    ZIMU_LOG_ERROR = 0,
    ZIMU_LOG_WARNING = 1,
    ZIMU_LOG_INFO = 2,
    ZIMU_LOG_DEBUG = 3,
};

/** A log message: one line, no trailing newline, valid during the call. */
typedef void (*zimu_log_fn)(void *opaque, int level, const char *msg);

/**
 * Route FFmpeg's own log (process-wide) to cb, messages at or above level.
 * cb == NULL restores FFmpeg's default callback. Until a caller calls this,
 * zimu sets FFmpeg's log level to quiet when the first job runs, so a
 * default burn writes nothing to stderr; after a call zimu leaves FFmpeg's
 * log level and callback as the caller set them.
 */
ZIMU_API void zimu_set_ffmpeg_log(zimu_log_fn cb, void *opaque, int level);

/* ------------------------------------------------------------------------
 * Caller-supplied I/O, for clips held in memory or object storage.
 * Same contract as read(2)/write(2)/lseek(2) on a regular file:
 * read returns bytes read (0 at end, negative on error); write returns bytes
 * written (negative on error); seek takes SEEK_SET/SEEK_CUR/SEEK_END and
 * returns the new position, and with whence == ZIMU_SEEK_SIZE returns the
 * total size (or negative if unknown).
 */
#define ZIMU_SEEK_SIZE 0x10000
typedef int (*zimu_read_fn)(void *opaque, uint8_t *buf, int size);
typedef int (*zimu_write_fn)(void *opaque, const uint8_t *buf, int size);
typedef int64_t (*zimu_seek_fn)(void *opaque, int64_t offset, int whence);

/* ------------------------------------------------------------------------
 * Parsing helpers shared by tools.
 */

/** Parse "90", "1.5", "01:30", "1:02:03.250" into milliseconds.
 *  Returns 0, or ZIMU_EINVAL if the text is not a time. */
ZIMU_API int zimu_parse_time(const char *text, int64_t *ms);

/* ------------------------------------------------------------------------
 * A burn job: one input clip, one caption source, one output.
 *
 * Minimal use:
 *     zimu_job *job = zimu_job_new();
 *     zimu_job_set_input(job, "in.mp4");
 *     zimu_job_set_subtitles(job, "in.srt");
 *     zimu_job_set_output(job, "out.mp4");
 *     if (zimu_job_run(job) < 0)
 *         fprintf(stderr, "%s\n", zimu_job_errmsg(job));
 *     zimu_job_free(&job);
 *
 * Setters may be called in any order before zimu_job_run(); a job can be
 * run again after changing settings.
 */
typedef struct zimu_job zimu_job;

/** A new job with default settings, or NULL when out of memory. */
ZIMU_API zimu_job *zimu_job_new(void);
/** Free *job and set it to NULL. NULL or *job == NULL is a no-op. */
ZIMU_API void zimu_job_free(zimu_job **job);

/** Detailed message of the last failure on this job ("" if none). Valid
 *  until the next call on the job. */
ZIMU_API const char *zimu_job_errmsg(const zimu_job *job);

/** Messages of this job (libass's among them) go to cb. Default: none. */
ZIMU_API void zimu_job_set_log(zimu_job *job, zimu_log_fn cb, void *opaque,
                               int max_level);

/** Progress of a running job. Owned by the library, valid during the call.
 *  New fields may be added at the end. */
typedef struct zimu_progress {
    int64_t frames;      /**< frames done so far */
    int64_t frames_est;  /**< estimated frames in all (0 if unknown) */
    int64_t pos_ms;      /**< output time reached */
    int64_t duration_ms; /**< output duration (0 if unknown) */
    double elapsed;      /**< seconds since the job started */
} zimu_progress;

/** Called about every 100 ms of work and at the end; return non-zero to
 *  cancel (zimu_job_run() then returns ZIMU_ECANCEL and leaves no output). */
typedef int (*zimu_progress_fn)(void *opaque, const zimu_progress *p);
ZIMU_API void zimu_job_set_progress(zimu_job *job, zimu_progress_fn cb,
                                    void *opaque);

/* Input and output -------------------------------------------------------- */

ZIMU_API int zimu_job_set_input(zimu_job *job, const char *path);
/** Input through callbacks. seek may be NULL for a non-seekable stream
 *  (then MP4 files with the index at the end cannot be read). name is used
 *  in messages and may be NULL. */
ZIMU_API int zimu_job_set_input_io(zimu_job *job, zimu_read_fn read,
                                   zimu_seek_fn seek, void *opaque,
                                   const char *name);

/** Output path. The container is chosen from the extension (.mp4, .mov,
 *  .mkv; default MP4). The file is written under a temporary name beside it
 *  and renamed when complete. */
ZIMU_API int zimu_job_set_output(zimu_job *job, const char *path);
/** Output through a write callback: the finished MP4 is written through it
 *  in order, from first byte to last, only when the job succeeds. */
ZIMU_API int zimu_job_set_output_io(zimu_job *job, zimu_write_fn write,
                                    void *opaque);
/** Allow replacing an existing output file. Default 0: refuse (ZIMU_EEXIST). */
ZIMU_API void zimu_job_set_overwrite(zimu_job *job, int overwrite);
/** Decode, rotate, render and compose every frame but encode and write
 *  nothing (for measuring). No output needs to be set. */
ZIMU_API void zimu_job_set_null_output(zimu_job *job, int null_output);

/* Captions ---------------------------------------------------------------- */

/** Captions from a file (.srt, .ass, .ssa; the format is taken from the
 *  content first, the extension second). NULL: no captions. A caption file
 *  that is missing or unreadable makes zimu_job_run() fail with ZIMU_ESUBS
 *  (ZIMU_ENOENT is kept for the input video). */
ZIMU_API int zimu_job_set_subtitles(zimu_job *job, const char *path);
/** Captions from memory. The bytes are copied. name is used in messages
 *  ("sub.srt:14: ...") and as a format hint; it may be NULL. */
ZIMU_API int zimu_job_set_subtitles_data(zimu_job *job, const void *data,
                                         size_t size, const char *name);

/** Encoding of the caption file (an iconv name: "GB18030", "BIG5",
 *  "UTF-16LE"...). NULL (the default): detected (BOM, UTF-8 validity,
 *  uchardet; GB2312/GBK guesses are read as GB18030). */
ZIMU_API int zimu_job_set_charenc(zimu_job *job, const char *charenc);

/** Take the captions from the input's own subtitle stream number index
 *  (0 = its first subtitle stream: mov_text in MP4, SubRip/ASS in MKV)
 *  instead of a caption file. -1 (the default): off. Text streams only:
 *  a picture stream (PGS, DVD) or a number past the last subtitle stream
 *  makes zimu_job_run() fail with ZIMU_ESUBS, the message naming the file
 *  (and how many subtitle streams it has). An ASS stream keeps its styles
 *  like an ASS file, and the fonts attached to the file (Matroska
 *  attachments) are there for its styles to name. Input through callbacks is read twice and needs a
 *  seek callback (else ZIMU_EINVAL). */
ZIMU_API int zimu_job_set_subtitle_stream(zimu_job *job, int index);

/** Reading speed for plain-text captions (.txt, one caption per line), in
 *  characters per second. Default 4. */
ZIMU_API int zimu_job_set_reading_speed(zimu_job *job, double chars_per_second);

/* Caption timing: applied to every cue of SRT, WebVTT, LRC, whisper JSON
 * and plain text files, in this order: scale, shift, overlap, minimum
 * duration; cues are always clamped to the clip. ASS scripts are shifted
 * and scaled only. */

/** Move every cue by shift_ms (may be negative). Default 0. */
ZIMU_API int zimu_job_set_shift(zimu_job *job, int64_t shift_ms);
/** Multiply every cue time by factor. Captions timed for a 23.976 fps copy
 *  of a film shown on its sped-up 25 fps copy need 23.976/25. Default 1. */
ZIMU_API int zimu_job_set_time_scale(zimu_job *job, double factor);
enum {
    ZIMU_OVERLAP_KEEP = 0,  /**< show overlapping cues together (default) */
    ZIMU_OVERLAP_MERGE = 1, /**< join overlapping cues into one, lines stacked */
    ZIMU_OVERLAP_DROP = 2,  /**< end each cue where the next one starts */
};
ZIMU_API int zimu_job_set_overlap(zimu_job *job, int mode);
/** Show every cue at least min_ms (lengthened up to the next cue's start).
 *  Default 0. */
ZIMU_API int zimu_job_set_min_duration(zimu_job *job, int64_t min_ms);

/* Styles and layout of generated captions (everything but ASS scripts,
 * which keep their own styles). */

/** A preset name (see zimu_style_name(): "classic", "box", "news",
 *  "flash", "karaoke") or the path of a style file of "key = value" lines
 *  (docs/styles.md; a name that is a preset is the preset). Default
 *  "classic". Style settings are checked when the job runs (or a preview
 *  or cover is made), before any output is written: errors are
 *  ZIMU_ESTYLE and name the file, line and key ("my.style:3: key 'size':
 *  ..."). */
ZIMU_API int zimu_job_set_style(zimu_job *job, const char *name_or_file);
/** Override one style key after the preset or file (and after
 *  zimu_job_set_font()): "size" ("0.05" of the frame's long side, the
 *  height of a vertical frame, or "60px"), "color" ("#FFD700" or
 *  "#RRGGBBAA"), "font", "bold", "outline", "outline_color", "shadow",
 *  "box" (none, rect, rounded, bar), "box_color", "align", "margin_v",
 *  "highlight_color" ... (the keys of a style file); "title.KEY" and
 *  "cover.KEY" style the title and the cover. May be called many times;
 *  applied in order. Bad keys and values fail the run (ZIMU_ESTYLE,
 *  "style option: key 'x': reason"); only an empty key or a NULL value is
 *  refused here (ZIMU_EINVAL). */
ZIMU_API int zimu_job_set_style_option(zimu_job *job, const char *key,
                                       const char *value);
/** The app whose buttons and description the captions must keep clear of:
 *  "douyin", "kuaishou", "tiktok", "reels", or "none" (a 5% margin only).
 *  NULL (the default): "douyin" on vertical output, "none" otherwise.
 *  Captions, the title, the cover's title and the logo stay inside what
 *  it leaves free (table: docs/styles.md). Another name fails the run
 *  with ZIMU_ESTYLE. */
ZIMU_API int zimu_job_set_safe_area(zimu_job *job, const char *name);
/** Most lines a caption shows at once, 1..10 (default 2); longer text
 *  becomes consecutive captions sharing the cue's time in proportion to
 *  length (with word timings: each starts when its first word is
 *  spoken). Text is never shrunk to fit. */
ZIMU_API int zimu_job_set_max_lines(zimu_job *job, int max_lines);
/** 1: highlight each word as it is spoken, from word timings (whisper.cpp
 *  JSON, enhanced LRC): the style's highlight colour (and size) changes at
 *  each word's exact millisecond. Captions without word timings are drawn
 *  as usual. An ASS script draws its own karaoke tags (\k, \kf) in any
 *  case. Default 0; the "karaoke" style turns it on by itself. */
ZIMU_API int zimu_job_set_highlight(zimu_job *job, int highlight);
/** A title shown at the top of the safe area for the whole clip, in its
 *  own style (the style's "title.*" keys), wrapped to the safe area's
 *  width; also beside an ASS script. It is the text of the cover
 *  (zimu_job_cover()). NULL: none. */
ZIMU_API int zimu_job_set_title(zimu_job *job, const char *text);
enum {
    ZIMU_CORNER_TOP_LEFT = 0,
    ZIMU_CORNER_TOP_RIGHT = 1,
    ZIMU_CORNER_BOTTOM_LEFT = 2,
    ZIMU_CORNER_BOTTOM_RIGHT = 3,
};
/** A logo or account mark: a PNG (with alpha) drawn in a corner, inside the
 *  safe area, scaled to width_fraction of the frame width (default 0.15
 *  when <= 0). NULL path: none. It is drawn over the captions, in previews
 *  too, at least 4% of the frame width from every edge. A file that is
 *  missing or not a PNG image makes zimu_job_run() and zimu_job_preview()
 *  fail with ZIMU_EINVAL ("logo.png: not a PNG image"). */
ZIMU_API int zimu_job_set_logo(zimu_job *job, const char *png_path, int corner,
                               double width_fraction);

/** Font family for generated captions. Default "Noto Sans CJK SC". */
ZIMU_API int zimu_job_set_font(zimu_job *job, const char *family);
/** An extra directory of font files that libass may use. */
ZIMU_API int zimu_job_set_fonts_dir(zimu_job *job, const char *dir);

/* Geometry and time ------------------------------------------------------- */

enum {
    ZIMU_FIT_AUTO = 0, /**< keep without a size; blur when the size changes
                            the aspect, pad otherwise */
    ZIMU_FIT_KEEP = 1, /**< source size (after rotation); size ignored */
    ZIMU_FIT_PAD = 2,  /**< scale to fit, black bars */
    ZIMU_FIT_BLUR = 3, /**< scale to fit over a blurred fill of the frame */
    ZIMU_FIT_CROP = 4, /**< scale to fill, crop the overflow */
};
/** Output size (rounded to even numbers); 0x0 means the source size. */
ZIMU_API int zimu_job_set_size(zimu_job *job, int width, int height);
ZIMU_API int zimu_job_set_fit(zimu_job *job, int fit);

/** Cut the segment [from_ms, to_ms) of the input: exactly the frames whose
 *  time (from the file's start) falls in it. to_ms < 0: to the end. The
 *  captions shift with it. A segment with no frame in it makes the run fail
 *  with ZIMU_EINVAL. */
ZIMU_API int zimu_job_set_trim(zimu_job *job, int64_t from_ms, int64_t to_ms);

/* Encoding ---------------------------------------------------------------- */

/** libx264 CRF, 0 to 51. Default 20. 0 is lossless (qp 0). */
ZIMU_API int zimu_job_set_crf(zimu_job *job, int crf);
/** libx264 preset name ("ultrafast" ... "veryslow"). Default "medium". */
ZIMU_API int zimu_job_set_preset(zimu_job *job, const char *preset);

/* Running ----------------------------------------------------------------- */

/** Run the job: burn the captions into the output. 0 or a ZIMU_E* code. */
ZIMU_API int zimu_job_run(zimu_job *job);

/** Write one captioned frame, at time t_ms of the (trimmed) output, as PNG
 *  to path (written under a temporary name, then renamed). Like a run it
 *  refuses an existing path unless overwrite is on (ZIMU_EEXIST) and the
 *  input as path (ZIMU_ESAME); a time past the end is ZIMU_EINVAL. */
ZIMU_API int zimu_job_preview(zimu_job *job, int64_t t_ms, const char *path);

/** Figures of the last run. Owned by the job, valid until the next run or
 *  free. New fields may be added at the end. */
typedef struct zimu_stats {
    int64_t frames;           /**< video frames written (or composed) */
    int64_t duration_ms;      /**< output duration */
    int width, height;        /**< output frame size */
    double elapsed;           /**< wall seconds of the run */
    double render_ms_total;   /**< CPU time in libass rendering */
    double compose_ms_total;  /**< CPU time building and blending overlays
                                   (and the logo) */
    int64_t overlay_updates;  /**< frames on which the captions changed */
    int audio;                /**< 0 none, 1 copied, 2 re-encoded */
} zimu_stats;
ZIMU_API const zimu_stats *zimu_job_stats(const zimu_job *job);

/** Like zimu_job_preview(), but the frame is the cover the platform shows
 *  before playing: the frame at t_ms with the title (if set) drawn big in
 *  the cover style ("cover.*" keys), centred in the safe area and in the
 *  middle 3:4 of a vertical frame (what the apps' grids show), and no
 *  captions (no caption file is read). Without a title: the plain frame. */
ZIMU_API int zimu_job_cover(zimu_job *job, int64_t t_ms, const char *path);

/* ------------------------------------------------------------------------
 * Style presets.
 */

/** Number of style presets. */
ZIMU_API int zimu_style_count(void);
/** Name of preset i (0 <= i < count), or NULL. Static string. */
ZIMU_API const char *zimu_style_name(int i);
/** One-line description of preset i, or NULL. Static string. */
ZIMU_API const char *zimu_style_description(int i);

/* ------------------------------------------------------------------------
 * Caption files on their own: read any supported format, retime, write
 * SRT, WebVTT, ASS or LRC (`zimu convert`).
 */
typedef struct zimu_subs zimu_subs;

ZIMU_API zimu_subs *zimu_subs_new(void);
ZIMU_API void zimu_subs_free(zimu_subs **subs);
/** Detailed message of the last failure ("" if none). */
ZIMU_API const char *zimu_subs_errmsg(const zimu_subs *subs);
/** Encoding of files loaded after this call; NULL: detect. */
ZIMU_API int zimu_subs_set_charenc(zimu_subs *subs, const char *charenc);
/** Load a caption file (any format zimu_job_set_subtitles() takes),
 *  replacing what was loaded. */
ZIMU_API int zimu_subs_load(zimu_subs *subs, const char *path);
ZIMU_API int zimu_subs_load_data(zimu_subs *subs, const void *data, size_t size,
                                 const char *name);
/** Number of cues loaded (events, for an ASS script). */
ZIMU_API int zimu_subs_count(const zimu_subs *subs);
/** Move every cue by shift_ms. */
ZIMU_API int zimu_subs_shift(zimu_subs *subs, int64_t shift_ms);
/** Frame size the ASS writer wraps and styles for. Default 1080x1920. */
ZIMU_API int zimu_subs_set_size(zimu_subs *subs, int width, int height);
/** Write to path; the format comes from its extension (.srt, .vtt, .ass,
 *  .lrc). Written under a temporary name, then renamed. */
ZIMU_API int zimu_subs_save(zimu_subs *subs, const char *path);

#ifdef __cplusplus
}
#endif
#endif /* ZIMU_H */
