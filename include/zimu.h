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
 *   text of a code; zimu_errmsg() gives the detailed message of the last
 *   failure on any handle ("sub.srt:14: timestamp '00:01:02,5x' is not
 *   valid") and zimu_errfile() the file it is about.
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
 * - Messages are English, or Chinese in a program running in a zh_CN
 *   locale (see "Messages and the locale" at zimu_strerror()).
 *
 * Thread safety
 * -------------
 * Distinct handles may be used from distinct threads at the same time. One
 * handle must be used from one thread at a time. The exception is the font
 * context (zimu_fonts): once loaded it is read only and may be used by any
 * number of jobs and renderers on any threads at once. Callbacks run on the
 * thread that called the function that calls them (zimu_job_run() ...).
 * zimu_set_ffmpeg_log() changes process-wide state: call it before
 * starting jobs on other threads.
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
#define ZIMU_VERSION_MINOR 4
#define ZIMU_VERSION_PATCH 0
/** (major << 16) | (minor << 8) | patch */
#define ZIMU_VERSION_INT \
    ((ZIMU_VERSION_MAJOR << 16) | (ZIMU_VERSION_MINOR << 8) | ZIMU_VERSION_PATCH)

/** The version of the library actually linked, "0.4.0". Static string. */
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
    ZIMU_ECANCEL = -11,    /**< cancelled (progress callback, zimu_job_cancel()) */
    ZIMU_EDECODE = -12,    /**< input is damaged beyond decoding */
    ZIMU_EFFMPEG = -13,    /**< an FFmpeg library call failed */
    ZIMU_ECHARSET = -14,   /**< subtitle bytes are not valid in their encoding */
    ZIMU_EFONT = -15,      /**< fonts cannot be set up */
    ZIMU_ESTYLE = -16,     /**< style file or style setting is not valid */
    ZIMU_EBADHANDLE = -17, /**< a handle of another kind, or freed (since 0.2) */
    ZIMU_EBATCH = -18,     /**< some clips of a batch failed (since 0.3) */
    ZIMU_EGLYPH = -19,     /**< a caption character has no glyph in any font
                                (zimu_job_set_missing_glyphs(); since 0.4) */
};

/* Messages and the locale (since 0.4): the library's messages - the text
 * of zimu_strerror(), the detailed message of zimu_errmsg(), what goes to
 * a log callback, zimu_name_description() and the texts of zimu_doctor -
 * are in the language of the calling program's LC_MESSAGES locale, from
 * the library's own gettext text domain, "libzimu", so whatever text
 * domain the program itself uses does not matter. The library never calls
 * setlocale(): a program that has not called setlocale(LC_ALL, "") (or
 * another locale) is in the C locale and gets English. With a zh_CN locale
 * it gets simplified Chinese (LANGUAGE=zh_CN also picks Chinese under any
 * locale but C). The "file:LINE: " a message starts with, the numbers in
 * it and the names a user types (keys, styles, presets, safe areas) stay
 * as they are; numbers never follow the locale. The catalogue is
 * zh_CN/LC_MESSAGES/libzimu.mo, found beside the library (the build tree's
 * build/locale, or PREFIX/share/locale for a library installed in
 * PREFIX/lib), else under the LOCALEDIR it was built for. Programs that
 * read messages should test codes and zimu_errfile(), not the text. */

/** Short text of an error code, in the language of the locale (see
 *  above; English in the C locale). Static string; never NULL. */
ZIMU_API const char *zimu_strerror(int code);

/** The detailed message of the last failure on any zimu handle (a job,
 *  captions, a renderer, a font context): "" if none, and "" for NULL or
 *  for a pointer that is not a live zimu handle. Valid until the next call
 *  on that handle. Since 0.2.
 *
 *  A handle is recognised by its first word, which zimu_x_new() sets and
 *  zimu_x_free() clears: a pointer to anything else gives "" (NULL from
 *  zimu_errfile()), as long as at least 4 bytes may be read there. Passing
 *  a freed handle is undefined behaviour (its memory may be reused); the
 *  cleared word only catches the common case of a handle used again just
 *  after it was freed. */
ZIMU_API const char *zimu_errmsg(const void *handle);
/** The file the last failure on a handle is about, exactly as the caller
 *  named it (the input video, a caption file, the logo, a style file, a
 *  fonts directory, the output), or NULL when it is about no file. A
 *  program can tell "the captions are missing" from "the video is
 *  missing" by comparing it with the paths it set, without parsing the
 *  message. Valid until the next call on that handle. Since 0.2. */
ZIMU_API const char *zimu_errfile(const void *handle);

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
 *  Returns 0, or ZIMU_EINVAL if the text is not a time. These parsers
 *  return ZIMU_EINVAL for a NULL text or result pointer. */
ZIMU_API int zimu_parse_time(const char *text, int64_t *ms);
/** A time that may be negative ("-1.5", "-00:02"), as a shift is. 0 or
 *  ZIMU_EINVAL. Since 0.2. */
ZIMU_API int zimu_parse_offset(const char *text, int64_t *ms);
/** A frame size "WxH" (or "WXH"): whole numbers from 16 to 16384 each.
 *  0 or ZIMU_EINVAL. Since 0.2. */
ZIMU_API int zimu_parse_size(const char *text, int *width, int *height);
/** A positive finite number, as a decimal ("1.25") or a ratio
 *  ("23.976/25"). 0 or ZIMU_EINVAL. Since 0.2. */
ZIMU_API int zimu_parse_ratio(const char *text, double *value);
/** A number of bytes: a whole number with an optional unit K, M, G or T
 *  (powers of 1024; "Ki"/"KiB"/"KB" alike, any case), or "B": "65536",
 *  "64M", "1G", "512KiB". As the limits zimu_job_set_max_file_size()
 *  takes. 0 or ZIMU_EINVAL (no number, another unit, past 2^63). Since 0.2. */
ZIMU_API int zimu_parse_bytes(const char *text, int64_t *bytes);

/* ------------------------------------------------------------------------
 * Named values: the names a command line or a settings file uses for the
 * library's choices, listable so that help texts print the library's own
 * lists. Since 0.2.
 */
enum {
    ZIMU_NAMES_FIT = 0,       /**< "auto" "keep" "pad" "blur" "crop": ZIMU_FIT_* */
    ZIMU_NAMES_OVERLAP = 1,   /**< "keep" "merge" "drop": ZIMU_OVERLAP_* */
    ZIMU_NAMES_CORNER = 2,    /**< "tl" "tr" "bl" "br": ZIMU_CORNER_* */
    ZIMU_NAMES_SAFE_AREA = 3, /**< "douyin" "kuaishou" ... "none": index */
    ZIMU_NAMES_STYLE = 4,     /**< style presets "classic" "box" ...: index */
    ZIMU_NAMES_PRESET = 5,    /**< libx264 presets "ultrafast" ... "veryslow" */
    ZIMU_NAMES_CHINESE = 6,   /**< Chinese conversions "s2t" "t2s" ...: index
                                   (zimu_job_set_chinese(); since 0.4) */
    ZIMU_NAMES_MISSING_GLYPHS = 7, /**< "warn" "error": ZIMU_GLYPHS_* (since 0.4) */
};
/** Name i (0, 1, ...) of a kind, or NULL past the last. Static string. */
ZIMU_API const char *zimu_name(int kind, int i);
/** One line saying what name i of a kind means, or NULL; in the language
 *  of the locale (see "Messages and the locale"; English in the C locale).
 *  Static string. */
ZIMU_API const char *zimu_name_description(int kind, int i);
/** The value of a name: the ZIMU_FIT_* / ZIMU_OVERLAP_* / ZIMU_CORNER_* /
 *  ZIMU_GLYPHS_* constant, or the index for the other kinds. Names are matched exactly
 *  (corners also as "top-left" ... "bottom-right"). ZIMU_EINVAL if the
 *  name is not one of the kind's. */
ZIMU_API int zimu_name_value(int kind, const char *name);
/** The name of names (NULL-terminated) nearest to word, for a "did you
 *  mean ...?" after a typing slip: at most 2 letters inserted, deleted or
 *  changed (ASCII letters of word compared in lower case; names written in
 *  lower case), and fewer than the name has. NULL when none is that near,
 *  or for NULL arguments. One of names (not a copy). Since 0.4.
 *
 *     const char *styles[] = {"classic", "flash", NULL};
 *     zimu_nearest_name("flsh", styles);    // "flash"
 */
ZIMU_API const char *zimu_nearest_name(const char *word, const char *const *names);

/** What a file holds, from its first bytes (zimu_file_kind()). */
enum {
    ZIMU_FILE_OTHER = 0,    /**< neither, or cannot be told */
    ZIMU_FILE_VIDEO = 1,    /**< a media file with a video stream */
    ZIMU_FILE_AUDIO = 2,    /**< a media file with sound only */
    ZIMU_FILE_CAPTIONS = 3, /**< captions zimu reads (SRT, ASS, WebVTT, LRC,
                                 Whisper JSON; plain text is OTHER) */
};
/** Sniff path's content (never its name) to tell a video or a sound file
 *  from a caption file, so that a command line can say "lecture.mp4 is a
 *  video, not captions" when the two are swapped. Reads the first 64 KiB
 *  for captions; a media file is probed with FFmpeg (its header only).
 *  ZIMU_FILE_*, or ZIMU_ENOENT when path cannot be opened, ZIMU_EINVAL for
 *  NULL. Thread-safe; nothing is logged. Since 0.4. */
ZIMU_API int zimu_file_kind(const char *path);

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
typedef struct zimu_fonts zimu_fonts;
typedef struct zimu_subs zimu_subs;
typedef struct zimu_renderer zimu_renderer;

/** A new job with default settings, or NULL when out of memory. */
ZIMU_API zimu_job *zimu_job_new(void);
/** Free *job and set it to NULL. NULL or *job == NULL is a no-op. Every
 *  zimu_job_* function given a pointer that is not a live job (another kind
 *  of handle; a job freed through another copy of the pointer, as far as
 *  its memory has not been reused) returns ZIMU_EBADHANDLE (NULL from
 *  zimu_job_stats(), "" from zimu_job_errmsg()), and this function leaves
 *  it alone. */
ZIMU_API void zimu_job_free(zimu_job **job);

/** Detailed message of the last failure on this job ("" if none). Valid
 *  until the next call on the job. */
ZIMU_API const char *zimu_job_errmsg(const zimu_job *job);

/** Messages of this job (libass's among them) go to cb. Default: none. */
ZIMU_API int zimu_job_set_log(zimu_job *job, zimu_log_fn cb, void *opaque,
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
ZIMU_API int zimu_job_set_progress(zimu_job *job, zimu_progress_fn cb,
                                    void *opaque);
/** Stop the job's work as soon as it can: zimu_job_run(), zimu_job_preview()
 *  and the rest return ZIMU_ECANCEL ("cancelled"), leaving no output and no
 *  temporary file. Checked while a caption or style file is read (between
 *  64 KiB chunks, and a blocked read of a FIFO ends at the signal that
 *  called this), every few thousand lines while captions are parsed, between
 *  captions while they are laid out, and between frames, so a run stops
 *  well within a second in any of those phases (setting up fonts is one
 *  call into fontconfig and is not cut short).
 *
 *  Unlike every other function here, this one may be called from a signal
 *  handler (it only stores to a lock-free atomic flag: async-signal-safe)
 *  and from another thread while the job runs. A cancelled job stays
 *  cancelled: every later run on it returns ZIMU_ECANCEL at once; make a
 *  new job to run again. NULL, or a pointer that is not a live job: no-op.
 *  Since 0.2. */
ZIMU_API void zimu_job_cancel(zimu_job *job);

/* Input and output -------------------------------------------------------- */

ZIMU_API int zimu_job_set_input(zimu_job *job, const char *path);
/** Input through callbacks. seek may be NULL for a non-seekable stream
 *  (then MP4 files with the index at the end cannot be read). name is used
 *  in messages and may be NULL. */
ZIMU_API int zimu_job_set_input_io(zimu_job *job, zimu_read_fn read,
                                   zimu_seek_fn seek, void *opaque,
                                   const char *name);

/** Output path. The container is chosen from the extension: .mp4 or .m4v
 *  (MP4), .mov, .mkv, any case; no extension: MP4. Since 0.2 any other
 *  extension (.srt, .png ...) makes zimu_job_run() fail with ZIMU_EINVAL
 *  before any work. The file is written under a temporary name beside it
 *  (".NAME.zimu-HOST-PID-XXXXXXXX.part"; a run removes those of processes
 *  gone on this host) and given its name when complete. */
ZIMU_API int zimu_job_set_output(zimu_job *job, const char *path);
/** Output through a write callback: the finished MP4 is written through it
 *  in order, from first byte to last, only when the job succeeds. */
ZIMU_API int zimu_job_set_output_io(zimu_job *job, zimu_write_fn write,
                                    void *opaque);
/** Allow replacing an existing output file. Default 0: refuse (ZIMU_EEXIST),
 *  both when the job starts and, since 0.2, when the finished file is
 *  given its name: a file that appeared there meanwhile is kept and the
 *  job fails with ZIMU_EEXIST ("appeared while zimu was writing"). The
 *  same holds for zimu_job_preview(), zimu_job_cover() and
 *  zimu_job_save_captions(). */
ZIMU_API int zimu_job_set_overwrite(zimu_job *job, int overwrite);
/** Decode, rotate, render and compose every frame but encode and write
 *  nothing (for measuring). No output needs to be set. */
ZIMU_API int zimu_job_set_null_output(zimu_job *job, int null_output);

/* Captions ---------------------------------------------------------------- */

/** Captions from a file (.srt, .ass, .ssa; the format is taken from the
 *  content first, the extension second). NULL: no captions. A caption file
 *  that is missing or unreadable makes zimu_job_run() fail with ZIMU_ESUBS
 *  (ZIMU_ENOENT is kept for the input video and the logo); zimu_errfile()
 *  names the caption file, also when it cannot be parsed. */
ZIMU_API int zimu_job_set_subtitles(zimu_job *job, const char *path);
/** Captions from memory. The bytes are copied. name is used in messages
 *  ("sub.srt:14: ...") and as a format hint; it may be NULL. */
ZIMU_API int zimu_job_set_subtitles_data(zimu_job *job, const void *data,
                                         size_t size, const char *name);

/** Encoding of the caption file (an iconv name: "GB18030", "BIG5",
 *  "UTF-16LE"...). NULL (the default): detected (BOM, UTF-8 validity,
 *  uchardet; GB2312/GBK guesses are read as GB18030; Big5 that does not
 *  decode is read as Big5-HKSCS, also when "BIG5" is named). A detected
 *  file whose lines are in two encodings (UTF-8 lines in a GBK or Latin-1
 *  file) fails with ZIMU_ECHARSET naming the line where the encoding
 *  changes (since 0.4). Every ZIMU_ECHARSET message ends with a hint to
 *  name the encoding (--charenc / zimu_job_set_charenc). */
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

/** The most bytes zimu reads of a caption file, a style file or the logo
 *  (default, and 0: 64 MiB; at most 1 TiB, else ZIMU_EINVAL). A regular
 *  file larger than this fails the run at once from its size; anything
 *  else (a FIFO, /dev/zero, a device) fails when that many bytes have been
 *  read, so memory stays bounded whatever the path names: ZIMU_ESUBS for
 *  captions, ZIMU_ESTYLE for a style file, ZIMU_EINVAL for the logo, the
 *  message "FILE: larger than 64 MiB, the most zimu reads of a caption or
 *  style file (...)", zimu_errfile() naming the file. zimu_parse_bytes()
 *  reads "64M" and the like. Since 0.2. */
ZIMU_API int zimu_job_set_max_file_size(zimu_job *job, int64_t bytes);

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
 *  "flash", "karaoke", and since 0.3 the flash looks "yellow",
 *  "redblock", "double", "glow", "offset", "bubble", "number", "neon",
 *  "tape") or the path of a style file of "key = value" lines
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
/** Several style keys at once, as a command line or a settings file gives
 *  them: "size=0.05, color=#FFD700, box=rounded" (spaces around keys and
 *  values are dropped; a value may not hold a comma). Each pair as
 *  zimu_job_set_style_option(); a piece that is not key=value is
 *  ZIMU_EINVAL here ("'size' is not key=value ..."). Since 0.2. */
ZIMU_API int zimu_job_set_style_options(zimu_job *job, const char *settings);
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
 *  missing or unreadable makes zimu_job_run() and zimu_job_preview() fail
 *  with ZIMU_ENOENT (since 0.2; ZIMU_EINVAL before), one that is not a PNG
 *  image with ZIMU_EINVAL ("logo.png: not a PNG image"); zimu_errfile()
 *  names the logo either way. */
ZIMU_API int zimu_job_set_logo(zimu_job *job, const char *png_path, int corner,
                               double width_fraction);

/** The font context the job's renderer uses (see "Font context"): the job
 *  takes a reference, so the caller may free its own at once. Jobs run on
 *  several threads may share one context; that saves setting fonts up for
 *  every job. NULL (the default): the job makes its own at each run, with
 *  the fonts directory of zimu_job_set_fonts_dir(). A shared context
 *  brings its own fonts directory: the job's is then not used. Since 0.2. */
ZIMU_API int zimu_job_set_fonts(zimu_job *job, zimu_fonts *fonts);

/** Font family for generated captions (and the title and cover): it
 *  wins over the style's. NULL (the default): the style's font, in the
 *  presets Noto Sans CJK SC, or for Traditional Chinese text Noto Sans CJK
 *  TC or HK (see zimu_job_set_chinese()). */
ZIMU_API int zimu_job_set_font(zimu_job *job, const char *family);
/** An extra directory of font files that libass may use. */
ZIMU_API int zimu_job_set_fonts_dir(zimu_job *job, const char *dir);

/** Convert the text between Simplified and Traditional Chinese with
 *  OpenCC, as zimu_subs_set_chinese() does (the same modes): the captions
 *  (a file, data or the input's subtitle stream), the cards of a flash
 *  script and the title, in zimu_job_run(), zimu_job_preview(),
 *  zimu_job_cover() and zimu_job_save_captions(). NULL or "none": no
 *  conversion (the default). A mode that is not one is ZIMU_EINVAL, and
 *  OpenCC's data missing ZIMU_ESUBS, both here (the converter is opened
 *  now, once per mode for the job's life). Since 0.4.
 *
 *  Faces. Chinese text in a style whose font no one chose (no
 *  zimu_job_set_font(), no "font" key in the style file or options) is
 *  drawn in Noto Sans CJK SC, unless it is Traditional: then in Noto Sans
 *  CJK TC (full-width punctuation centred, as Taiwan and Hong Kong set
 *  it), or Noto Sans CJK HK after "s2hk" or "t2hk". The captions (all of
 *  them together) and the title are judged each on its own: after a
 *  conversion by the mode's target script; else by their Han characters:
 *  T of them OpenCC's t2s would change and S of them its s2t would change
 *  (each character on its own), Traditional when T > S. So a Big5 file
 *  or a Traditional transcript is drawn in TC (detected text is never
 *  taken for HK), a Simplified one or one that mixes both evenly in SC.
 *  The generated ASS (zimu_job_save_captions(), zimu_renderer_save_ass())
 *  names that face in its styles. An ASS script keeps its own fonts. */
ZIMU_API int zimu_job_set_chinese(zimu_job *job, const char *mode);
/** What to do about a caption character that no font can draw (libass
 *  would draw an empty box, or nothing). Before any frame is drawn (by
 *  zimu_job_run(), zimu_job_preview(), zimu_job_cover()), every character
 *  the captions and the title show is looked up in the fonts libass would
 *  use: the captions' family, then every font of the fallback order
 *  (system fonts and zimu_job_set_fonts_dir()'s). Each character that none
 *  has is reported once, at the first caption that shows it, with its code
 *  point:
 *    "sub.srt: caption 14 at 0:01:02.500: U+13000 (𓀀) has no glyph in any
 *    font; it would show as an empty box"
 *  (the cue model keeps no source lines: captions are numbered from 1 in
 *  time order among those the output shows, with their start time after
 *  zimu_job_set_shift() and the trim; the title is named "title"). ZIMU_GLYPHS_WARN (the default): as a warning through
 *  the log callback, and the job goes on. ZIMU_GLYPHS_ERROR: the first such
 *  character fails the run with ZIMU_EGLYPH and that message, before any
 *  output is written. Text inside ASS override blocks and vector drawings
 *  is not looked at, nor are C0 control characters and Unicode's
 *  default-ignorable ones (joiners, variation selectors, tags), which
 *  libass draws as nothing. 0, or ZIMU_EINVAL for another action. Since 0.4. */
enum {
    ZIMU_GLYPHS_WARN = 0,  /**< log a warning per missing character (default) */
    ZIMU_GLYPHS_ERROR = 1, /**< fail with ZIMU_EGLYPH */
};
ZIMU_API int zimu_job_set_missing_glyphs(zimu_job *job, int action);

/* Flash text, music and loudness ------------------------------------------ */

/** A flash text (快闪) script as the captions instead of subtitles (the
 *  format: docs/flash.md): each card a short phrase on screen for a moment,
 *  timed by the script, by reading speed or by the beats of its music, with
 *  its animations and look. With an input, the cards go over the clip (its
 *  size, frames, timestamps and sound kept). With no input, the video is
 *  stand-alone: the cards on coloured or gradient backgrounds, of the
 *  script's size (default 1080x1920; zimu_job_set_size() wins) and frame
 *  rate (default 30; zimu_job_set_frame_rate() wins), as long as the cards
 *  run. zimu_job_preview() draws one frame of it as a PNG without making
 *  the video. A script that cannot be read or parsed makes the run fail
 *  with ZIMU_ESUBS, the message "script.txt:LINE: ...". NULL: none.
 *  The script takes the place of the subtitles (zimu_job_set_subtitles()
 *  is then not read). The cards' style is the script's "look", else the
 *  "flash" preset; zimu_job_set_style() wins over both; a card shows up
 *  to 4 lines unless zimu_job_set_max_lines() says otherwise. The sound
 *  of a stand-alone video is the music (zimu_job_set_music(), else the
 *  script's "music"), trimmed to the video and faded out; without music
 *  the video has no sound (no audio stream). Progress reports give
 *  frames_est in stand-alone mode. Since 0.3. */
ZIMU_API int zimu_job_set_flash(zimu_job *job, const char *path);
/** A flash script from memory (bytes copied). name is used in messages
 *  and may be NULL; relative paths in it (music) are relative to the
 *  current directory. Since 0.3. */
ZIMU_API int zimu_job_set_flash_data(zimu_job *job, const void *data, size_t size,
                                     const char *name);
/** Frame rate of a stand-alone flash video, num/den frames a second (1 to
 *  240). Ignored over a clip. Since 0.3. */
ZIMU_API int zimu_job_set_frame_rate(zimu_job *job, int num, int den);
/** The time (ms, on the output's timeline) at which card number card (0 =
 *  the first) of the flash script stands complete, its in-animation over:
 *  the frame to preview or take as a cover. Reads the script (and the
 *  music's beats when the cards follow them). >= 0, or a negative
 *  ZIMU_E... (ZIMU_EINVAL: no such card). Since 0.3. */
ZIMU_API int64_t zimu_job_flash_card_time(zimu_job *job, int card);

enum {
    ZIMU_MUSIC_MIX = 0,     /**< under the clip's own sound */
    ZIMU_MUSIC_REPLACE = 1, /**< instead of the clip's own sound */
};
/** A song (any audio or video file FFmpeg reads) as the soundtrack: from
 *  its start, trimmed to the video and faded out at its end (2 s; a
 *  quarter of a video shorter than 8 s); a song shorter than the video
 *  leaves silence after it; at most its first 20 minutes are used. With
 *  ZIMU_MUSIC_MIX it lies under the clip's own sound, set 6 LU under it,
 *  and is ducked (10 dB quieter, at least 6) while someone speaks in the
 *  clip: speech is found in the clip's sound (steady noise and hum are
 *  not speech), the music goes down 100 ms before it and comes back within
 *  a second after it. With ZIMU_MUSIC_REPLACE the clip's sound is left
 *  out. The output's sound is then AAC, 48 kHz stereo, as long as the
 *  video (the trim of zimu_job_set_trim() applies to the clip's sound).
 *  Turns the loudness target on unless zimu_job_set_loudnorm() said
 *  otherwise. A flash script's "music" header is used when this is not
 *  set. NULL: none. ZIMU_EINVAL for an empty path or another mode.
 *  The file is read by zimu_job_run(): a missing file is ZIMU_ENOENT, one
 *  without sound ZIMU_ENOTVIDEO ("song.txt: not an audio file"); it may
 *  not be the output (ZIMU_ESAME). Mixing reads the clip's sound again, so
 *  it needs the input as a file: with zimu_job_set_input_io() the run
 *  fails with ZIMU_EINVAL (ZIMU_MUSIC_REPLACE works). Since 0.3. */
ZIMU_API int zimu_job_set_music(zimu_job *job, const char *path, int mode);
/** Bring the output's sound to a loudness target for phone playback
 *  (EBU R128, measured over the whole sound in a first pass): 1 on, 0 off.
 *  Default: on with music, off otherwise (the clip's sound is copied).
 *  The sound (the clip's, or the mix with music) is measured (integrated
 *  loudness, ITU-R BS.1770), brought to the target by one gain and held
 *  under the true-peak target by a limiter with 1 dB to spare for the AAC
 *  encoding; the output file measures within 1 LU of the target. Silence
 *  is left as it is. Like music, it needs the input as a file (see
 *  zimu_job_set_music()); a clip without sound is left without. The
 *  passes read the clip's sound two or three times before the video
 *  starts (seconds for a long lecture). Since 0.3. */
ZIMU_API int zimu_job_set_loudnorm(zimu_job *job, int on);
/** The target: integrated loudness in LUFS (-40 to -5, default -14) and
 *  the highest true peak in dBTP (-9 to 0, default -1); ZIMU_EINVAL
 *  outside. Since 0.3. */
ZIMU_API int zimu_job_set_loudness_target(zimu_job *job, double lufs, double true_peak);

/* Geometry and time ------------------------------------------------------- */

enum {
    ZIMU_FIT_AUTO = 0, /**< keep without a size; blur when the size changes
                            the aspect, pad otherwise */
    ZIMU_FIT_KEEP = 1, /**< source size (after rotation); size ignored */
    ZIMU_FIT_PAD = 2,  /**< scale to fit, black bars */
    ZIMU_FIT_BLUR = 3, /**< scale to fit over a blurred fill of the frame */
    ZIMU_FIT_CROP = 4, /**< scale to fill, crop the overflow */
};
/** Output size (rounded to even numbers); 0x0 means the source size.
 *  16 to 16384 a side, and since 0.2 at most 139264 macroblocks of 16x16
 *  (H.264 level 6.2; e.g. 8192x4352 or 4352x8192): ZIMU_EINVAL otherwise,
 *  naming the limit. A source frame beyond it fails when the output opens. */
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
 *  input as path (ZIMU_ESAME); a time past the end is ZIMU_EINVAL. Since
 *  0.2 a path with another extension than .png (any case; none is fine) is
 *  ZIMU_EINVAL. */
ZIMU_API int zimu_job_preview(zimu_job *job, int64_t t_ms, const char *path);
/* The frame is the one on screen at t_ms: the last frame is shown until its
 * end (its time plus its duration), so on a 20 s clip at 30 fps any time
 * before 20.0 s gives a frame (since 0.2). */

/** Bounds on what is on screen at once (since 0.2). A caption file may
 *  hold any number of cues at the same moment, but laying out and drawing
 *  them costs time on every frame, and a phone screen shows a few dozen at
 *  most: so at most ZIMU_MAX_SHOWN cues (with their pages) are shown at
 *  any moment (the title comes on top), and at most ZIMU_MAX_ASS_SHOWN
 *  events of an ASS script (more: typeset scripts draw one sign with many
 *  layered events). Those shown are the ones that start earliest (file
 *  order on equal starts); the others are not drawn, and one
 *  ZIMU_LOG_WARNING says how many and where ("t.srt: 49,936 captions
 *  overlap others at 0:00:01-0:00:03 and are not shown; at most 64 are
 *  shown at once"). The cues themselves stay as they are (zimu_subs,
 *  zimu convert to SRT). Renderers, burns and previews all apply it. */
#define ZIMU_MAX_SHOWN 64
#define ZIMU_MAX_ASS_SHOWN 256

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
    int64_t captions;         /**< cues written by zimu_job_save_captions()
                                   (since 0.2) */
    int64_t damaged_ranges;   /**< damaged time ranges found in the input
                                   (zimu_job_damage()); since 0.2 */
    int64_t damaged_ms;       /**< their total length, ms; since 0.2 */
} zimu_stats;
ZIMU_API const zimu_stats *zimu_job_stats(const zimu_job *job);

/** Damage in the input. A run counts the input's decoding errors and missing
 *  time: video or audio packets the decoders refuse or flag as damaged,
 *  jumps in the video's timestamps of more than a few frames, and a video
 *  that ends well before the duration the file declares (a file cut off).
 *  By default the run goes on (what can be decoded is burned; damaged
 *  audio that is copied stays as it is) and ends with 0; each damaged
 *  range is a ZIMU_LOG_WARNING ("clip.mp4: 0:00:07.2-0:00:09.0 could not
 *  be decoded (garbage in the file?)") and is listed here. Since 0.2. */
/** Strict: the first damage found fails the run with ZIMU_EDECODE (the
 *  message names the range; no output is written). Default 0. 0 or
 *  ZIMU_EINVAL / ZIMU_EBADHANDLE for a bad handle. */
ZIMU_API int zimu_job_set_strict(zimu_job *job, int strict);
/** Number of damaged ranges the last zimu_job_run() found (in strict mode:
 *  those found when it stopped; 0 before a run; nearby ranges are merged,
 *  at most 256 are kept), or a negative ZIMU_E* code for a bad handle. */
ZIMU_API int zimu_job_damage_count(const zimu_job *job);
/** Range i (0 <= i < count), as milliseconds from the input's start,
 *  [*from_ms, *to_ms), in the order of time; either pointer may be NULL.
 *  0, or ZIMU_EINVAL when i is out of range. */
ZIMU_API int zimu_job_damage(const zimu_job *job, int i, int64_t *from_ms, int64_t *to_ms);

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
 * Captions: a list of cues, loaded from any supported format, read, edited,
 * retimed and saved (`zimu convert`). Since 0.1; cue access, editing and
 * retiming since 0.2.
 *
 * A cue has a start and an end (milliseconds, [start, end)), UTF-8 text
 * ('\n' is a line break; inline styling as ASS override blocks such as
 * "{\i1}"; a literal brace of the source is its fullwidth form), an
 * optional style name, an optional place, and optional word timings. An
 * ASS/SSA script loads as its events, one cue each, in file order, with
 * the script's header (play size, styles, fonts) kept: editing or retiming
 * the cues changes what a renderer draws and what zimu_subs_save() writes.
 * (Comment lines are no events: they are not kept.) A cue added to a
 * script is an event of its "Default" style.
 *
 * Cue indexes run from 0 to zimu_subs_count() - 1 in start order (equal
 * starts keep file order); adding, changing a start or removing a cue
 * renumbers the cues after it. Strings returned for a cue are owned by the
 * handle and valid until the next change or load.
 */
ZIMU_API zimu_subs *zimu_subs_new(void);
ZIMU_API void zimu_subs_free(zimu_subs **subs);
/** Detailed message of the last failure ("" if none). */
ZIMU_API const char *zimu_subs_errmsg(const zimu_subs *subs);
/** Messages (warnings about skipped cues ...) go to cb. Since 0.2. */
ZIMU_API int zimu_subs_set_log(zimu_subs *subs, zimu_log_fn cb, void *opaque,
                               int max_level);
/** Encoding of files loaded after this call; NULL: detect. */
ZIMU_API int zimu_subs_set_charenc(zimu_subs *subs, const char *charenc);
/** Reading speed of plain-text files loaded after this call, characters a
 *  second (default 4). Since 0.2. */
ZIMU_API int zimu_subs_set_reading_speed(zimu_subs *subs, double chars_per_second);
/** The most bytes zimu_subs_load() reads of a file, as
 *  zimu_job_set_max_file_size() (default 64 MiB; a larger file fails with
 *  ZIMU_ESUBS and what was loaded before stays). Since 0.2. */
ZIMU_API int zimu_subs_set_max_file_size(zimu_subs *subs, int64_t bytes);
/** Convert between Simplified and Traditional Chinese with OpenCC, by its
 *  phrase tables first, then character by character (头发 -> 頭髮, not
 *  頭發): the cues loaded now and every cue loaded, added or given new
 *  text later. mode is one of OpenCC's standard conversions,
 *  zimu_name(ZIMU_NAMES_CHINESE, i): "s2t" (to OpenCC's standard
 *  Traditional), "t2s", "s2tw" (Taiwan character forms), "tw2s", "s2twp"
 *  (Taiwan forms and words: 软件 -> 軟體, 鼠标 -> 滑鼠), "tw2sp", "s2hk"
 *  (Hong Kong forms), "hk2s", "t2tw", "tw2t", "t2hk", "hk2t". "t2s" also
 *  makes a transcript that mixes both scripts (as speech recognisers'
 *  often do) all Simplified. NULL or "none": no conversion from now on
 *  (cues already converted stay as they are).
 *
 *  What is converted: the text outside override blocks (a font named in
 *  {\fn...} stays as it is), of ASS events too; word timings keep their
 *  words (a stretch whose length a phrase changes, U盘 -> 隨身碟, is
 *  converted word by word). A renderer given the cues draws them in the
 *  face of the target script (see zimu_job_set_chinese()).
 *
 *  0; ZIMU_EINVAL for an unknown mode (the message lists the modes, and
 *  the nearest for a near miss: "did you mean 's2tw'?"); ZIMU_ESUBS when
 *  OpenCC's data is missing (the message names the Debian package
 *  libopencc-data); ZIMU_ENOMEM. On failure the cues and the mode are as
 *  they were. A converter is opened once per mode and handle (up to about
 *  40 ms) and freed with the handle. Since 0.4. */
ZIMU_API int zimu_subs_set_chinese(zimu_subs *subs, const char *mode);
/** Load a caption file (any format zimu_job_set_subtitles() takes),
 *  replacing what was loaded. On failure what was loaded before stays. */
ZIMU_API int zimu_subs_load(zimu_subs *subs, const char *path);
ZIMU_API int zimu_subs_load_data(zimu_subs *subs, const void *data, size_t size,
                                 const char *name);
/** Number of cues loaded (events, for an ASS script). */
ZIMU_API int zimu_subs_count(const zimu_subs *subs);
/** 1 if the cues came from an ASS/SSA script (whose styles they keep). */
ZIMU_API int zimu_subs_is_ass(const zimu_subs *subs);

/** Cue i: its times and text (any pointer may be NULL). 0, or ZIMU_EINVAL
 *  when i is out of range. Since 0.2. */
ZIMU_API int zimu_subs_cue(const zimu_subs *subs, int i, int64_t *start_ms,
                           int64_t *end_ms, const char **text);
/** Cue i's style name (an ASS style, or NULL for the default style) and
 *  place: align 1..9 as on a numeric keypad, 0 for the style's; x and y
 *  the anchor as fractions of the frame, or -1 when not set. 0 or
 *  ZIMU_EINVAL. Since 0.2. */
ZIMU_API int zimu_subs_cue_style(const zimu_subs *subs, int i, const char **style,
                                 int *align, double *x, double *y);
/** Number of timed words of cue i (0 if none), or ZIMU_EINVAL. */
ZIMU_API int zimu_subs_word_count(const zimu_subs *subs, int i);
/** Word k of cue i: its times, and where it lies in the cue's text (byte
 *  offset and length). 0 or ZIMU_EINVAL. Since 0.2. */
ZIMU_API int zimu_subs_word(const zimu_subs *subs, int i, int k, int64_t *start_ms,
                            int64_t *end_ms, size_t *offset, size_t *length);

/** Add a cue (text copied; it may hold '\n' and override blocks). Returns
 *  its index (>= 0), or ZIMU_EINVAL (end <= start, start < 0, text NULL or
 *  not UTF-8) / ZIMU_ENOMEM. A handle with nothing loaded holds an empty
 *  list of plain cues. Since 0.2. */
ZIMU_API int zimu_subs_add(zimu_subs *subs, int64_t start_ms, int64_t end_ms,
                           const char *text);
/** Change cue i: times, and text unless text is NULL. Its word timings are
 *  dropped when the text changes. Returns its new index, or ZIMU_EINVAL.
 *  Since 0.2. */
ZIMU_API int zimu_subs_set(zimu_subs *subs, int i, int64_t start_ms, int64_t end_ms,
                           const char *text);
/** Set cue i's style name (NULL: the default style) and place (align 0..9,
 *  x and y fractions of the frame or -1). 0 or ZIMU_EINVAL. An ASS event
 *  is placed by the override tags of its text: for it only align 0 and
 *  x = y = -1 are accepted. Since 0.2. */
ZIMU_API int zimu_subs_set_style(zimu_subs *subs, int i, const char *style, int align,
                                 double x, double y);
/** Remove cue i. 0 or ZIMU_EINVAL. Since 0.2. */
ZIMU_API int zimu_subs_remove(zimu_subs *subs, int i);

/** Retime every cue, in this order: multiply by scale (1: none; must be
 *  > 0), move by shift_ms, apply the overlap rule (ZIMU_OVERLAP_*),
 *  lengthen cues shorter than min_ms (0: none) up to the next cue's start.
 *  Word timings move with their cue. A cue that ends at or before 0 goes;
 *  one that starts before 0 starts at 0. ASS events are scaled, moved and
 *  kept at or after 0 the same way, in milliseconds; the overlap rule and
 *  the minimum duration leave them as they are. 0, ZIMU_EINVAL or
 *  ZIMU_ENOMEM. Since 0.2. */
ZIMU_API int zimu_subs_retime(zimu_subs *subs, double scale, int64_t shift_ms,
                              int overlap, int64_t min_ms);
/** Move every cue by shift_ms: zimu_subs_retime(subs, 1, shift_ms,
 *  ZIMU_OVERLAP_KEEP, 0). */
ZIMU_API int zimu_subs_shift(zimu_subs *subs, int64_t shift_ms);
/** Keep only [from_ms, to_ms) (to_ms < 0: no end): cues are cut to it and
 *  those outside go. Times stay as they are. Since 0.2. */
ZIMU_API int zimu_subs_clamp(zimu_subs *subs, int64_t from_ms, int64_t to_ms);

/** Play size of the plain ASS script zimu_subs_save() writes for cues
 *  that did not come from an ASS script. Default 1080x1920. */
ZIMU_API int zimu_subs_set_size(zimu_subs *subs, int width, int height);
/** Write to path; the format comes from its extension (.srt, .vtt, .ass,
 *  .lrc). ASS: a loaded ASS script with its header and the (edited)
 *  events; other cues as a plain script (play size of
 *  zimu_subs_set_size(), one Default style in Noto Sans CJK SC, or since
 *  0.4 TC or HK for Traditional text as zimu_job_set_chinese() tells it,
 *  lines broken only where the cues break them). The script a burn
 *  renders, wrapped, styled and placed, comes from zimu_renderer_save_ass() or
 *  zimu_job_save_captions(). Written under a temporary name, then renamed;
 *  an existing file is refused (ZIMU_EEXIST) unless overwrite is 1 (also
 *  one that appears while writing, see zimu_job_set_overwrite()), and so
 *  is the loaded file itself under any name (ZIMU_ESAME), whatever
 *  overwrite says. Since 0.2 with overwrite; in 0.1 plain cues were laid
 *  out as a burn lays them out. */
ZIMU_API int zimu_subs_save(zimu_subs *subs, const char *path, int overwrite);

/* ------------------------------------------------------------------------
 * Font context: the fontconfig configuration zimu hands libass (with the
 * Chinese font-name mapping: 微软雅黑, 黑体, 宋体, PingFang SC ... are drawn
 * with Noto Sans/Serif CJK SC, and the SC face, not the Japanese one, is
 * the fallback for Han text), an extra fonts directory, and the faces text
 * is measured with for line breaking. Since 0.2.
 *
 *     zimu_fonts *fonts = zimu_fonts_new();
 *     if (zimu_fonts_load(fonts) < 0)
 *         fprintf(stderr, "%s\n", zimu_errmsg(fonts));
 *     zimu_job_set_fonts(job1, fonts);     // any number of jobs and
 *     zimu_renderer_set_fonts(r, fonts);   // renderers, on any threads
 *     zimu_fonts_free(&fonts);             // the caller's reference
 *
 * Thread safety: after zimu_fonts_load() returned 0 the context is read
 * only and may be used by any number of renderers and jobs on any threads
 * at the same time. It is reference counted: a job or renderer given it
 * holds a reference, and it is freed when the last holder lets go, so the
 * caller may call zimu_fonts_free() whenever it is done with it itself.
 * The configuration file libass reads lives in memory (a memfd), so no
 * file is left behind whatever happens to the process.
 */
/** A new, unloaded context, or NULL when out of memory. */
ZIMU_API zimu_fonts *zimu_fonts_new(void);
/** Drop the caller's reference and set *fonts to NULL; NULL is a no-op. */
ZIMU_API void zimu_fonts_free(zimu_fonts **fonts);
/** An extra directory of font files (before zimu_fonts_load()). A
 *  directory that does not exist fails the load with ZIMU_EFONT, naming
 *  it (zimu_errfile()). */
ZIMU_API int zimu_fonts_set_dir(zimu_fonts *fonts, const char *dir);
/** Read the fonts: the system's and the extra directory's. Takes most of a
 *  renderer's set-up time; call once. 0, ZIMU_EFONT or ZIMU_ENOMEM.
 *  Calling it again is a no-op returning 0. */
ZIMU_API int zimu_fonts_load(zimu_fonts *fonts);

/* ------------------------------------------------------------------------
 * Renderer: captions drawn onto the caller's own frames, the same pixels a
 * burn gives. Made from captions (a zimu_subs), settings and a font
 * context. Since 0.2.
 *
 *     zimu_renderer *r = zimu_renderer_new();
 *     zimu_renderer_set_captions(r, subs);
 *     zimu_renderer_set_size(r, 1080, 1920);
 *     zimu_renderer_set_style(r, "box");
 *     for each frame:
 *         zimu_renderer_draw_yuv420(r, t_ms, planes, strides,
 *                                   ZIMU_MATRIX_BT709, 0);
 *     zimu_renderer_free(&r);
 *
 * Settings may be changed at any time; the renderer lays the captions out
 * again at the next draw (or zimu_renderer_prepare()). The layout step
 * wraps Chinese and mixed text to the safe area, pages long cues and
 * places every page; its result can be read (zimu_renderer_page()).
 * Captions from an ASS script keep their own styles and places; the title
 * and logo are added to them.
 *
 * Thread safety: one renderer, one thread at a time; distinct renderers
 * may draw on distinct threads, sharing one font context.
 */
ZIMU_API zimu_renderer *zimu_renderer_new(void);
ZIMU_API void zimu_renderer_free(zimu_renderer **r);
/** Messages (libass's among them) go to cb. Default: none. */
ZIMU_API int zimu_renderer_set_log(zimu_renderer *r, zimu_log_fn cb, void *opaque,
                                   int max_level);
/** The font context to use (a reference is taken). NULL (the default): a
 *  context of the renderer's own, made at the first prepare. */
ZIMU_API int zimu_renderer_set_fonts(zimu_renderer *r, zimu_fonts *fonts);
/** The captions to draw: the cues of subs as they are now (copied; later
 *  changes to subs are not seen until this is called again). NULL: none
 *  (a title or logo alone may still be drawn). Cue times are the times
 *  zimu_renderer_draw_*() is called with. */
ZIMU_API int zimu_renderer_set_captions(zimu_renderer *r, const zimu_subs *subs);
/** Frame size, 16..16384 each. Required before drawing. */
ZIMU_API int zimu_renderer_set_size(zimu_renderer *r, int width, int height);
/** Where the video's picture lies in the frame when it does not fill it (a
 *  16:9 lecture fitted into a 9:16 frame): captions of a vertical frame go
 *  just below it when they fit there, and an ASS script of the picture's
 *  aspect is drawn into it. 0x0 (the default): the whole frame. */
ZIMU_API int zimu_renderer_set_picture(zimu_renderer *r, int x, int y, int width,
                                       int height);
/** The same settings as the job's setters of the same names (see there). */
ZIMU_API int zimu_renderer_set_style(zimu_renderer *r, const char *name_or_file);
ZIMU_API int zimu_renderer_set_style_option(zimu_renderer *r, const char *key,
                                            const char *value);
/** Several style keys at once, as zimu_job_set_style_options(). */
ZIMU_API int zimu_renderer_set_style_options(zimu_renderer *r, const char *settings);
ZIMU_API int zimu_renderer_set_safe_area(zimu_renderer *r, const char *name);
ZIMU_API int zimu_renderer_set_max_lines(zimu_renderer *r, int max_lines);
ZIMU_API int zimu_renderer_set_highlight(zimu_renderer *r, int highlight);
ZIMU_API int zimu_renderer_set_title(zimu_renderer *r, const char *text);
ZIMU_API int zimu_renderer_set_logo(zimu_renderer *r, const char *png_path, int corner,
                                    double width_fraction);
ZIMU_API int zimu_renderer_set_font(zimu_renderer *r, const char *family);
/** Convert the title between Simplified and Traditional Chinese, as
 *  zimu_job_set_chinese() does (the same modes and errors); the captions
 *  come converted from their zimu_subs (zimu_subs_set_chinese()), which
 *  also tells the renderer their script. The faces follow the rule of
 *  zimu_job_set_chinese(). NULL or "none": off (the default). Since 0.4. */
ZIMU_API int zimu_renderer_set_chinese(zimu_renderer *r, const char *mode);
/** 1: draw the cover (the title in the cover style, no captions) instead
 *  of the captions. Default 0. */
ZIMU_API int zimu_renderer_set_cover(zimu_renderer *r, int cover);

/** Lay the captions out and set libass up now (the first draw does it
 *  otherwise): style, safe-area, font and logo errors show here. 0 or a
 *  ZIMU_E* code (ZIMU_ESTYLE, ZIMU_EFONT, ZIMU_ENOENT for a missing logo,
 *  ...) with zimu_errmsg() and zimu_errfile(). */
ZIMU_API int zimu_renderer_prepare(zimu_renderer *r);

/** Colour matrices of YUV frames. */
enum {
    ZIMU_MATRIX_BT601 = 0,
    ZIMU_MATRIX_BT709 = 1,
    ZIMU_MATRIX_BT2020 = 2,
};
/** Draw the captions of time t_ms onto an 8-bit YUV 4:2:0 frame of the
 *  renderer's size: planes[0..2] = Y, U, V with strides[0..2] bytes per
 *  row, matrix ZIMU_MATRIX_*, full_range 0 (limited, 16-235) or 1. Only the
 *  captions' box is touched. Returns 1 if what is drawn differs from the
 *  previous draw's (0 if the same), or a negative ZIMU_E* code.
 *  To get a burn's pixels, do as a burn does: t_ms is the frame's time
 *  from the start of the file (pts minus the file's start time, floored to
 *  milliseconds), and a frame with no matrix tag is BT.709 when it is at
 *  least 720 lines (the short side), else BT.601 (examples/frames.c). */
ZIMU_API int zimu_renderer_draw_yuv420(zimu_renderer *r, int64_t t_ms,
                                       uint8_t *const planes[3], const int strides[3],
                                       int matrix, int full_range);
/** The same onto an RGBA image (8 bits each, R G B A in memory order, rows
 *  stride bytes apart) of the renderer's size; alpha is left as it is.
 *  Returns 1 if changed, 0 if not, or a ZIMU_E* code. */
ZIMU_API int zimu_renderer_draw_rgba(zimu_renderer *r, int64_t t_ms, uint8_t *rgba,
                                     int stride);
/** 1 if anything (a caption, the title, the logo) is on screen at some
 *  time in [t0_ms, t1_ms), 0 if nothing is, or a ZIMU_E* code. */
ZIMU_API int zimu_renderer_visible(zimu_renderer *r, int64_t t0_ms, int64_t t1_ms);

/** The layout, after prepare: the number of pages (one caption shown on
 *  screen; a long cue becomes several consecutive pages), or a ZIMU_E*
 *  code. Captions of an ASS script are not laid out by zimu: 0 pages. */
ZIMU_API int zimu_renderer_page_count(zimu_renderer *r);
/** Page i: its time, its number of lines and its box in frame pixels
 *  (box[0..3] = x, y, width, height of the lines' advance box; the outline
 *  and shadow reach a little further). 0 or ZIMU_EINVAL. */
ZIMU_API int zimu_renderer_page(zimu_renderer *r, int i, int64_t *start_ms,
                                int64_t *end_ms, int *n_lines, int box[4]);
/** Line k of page i: its text (UTF-8, owned by the renderer, valid until
 *  the next prepare) and box in frame pixels, or NULL if out of range. */
ZIMU_API const char *zimu_renderer_line(zimu_renderer *r, int i, int k, int box[4]);

/** Write the ASS script this renderer draws (play size = frame size, the
 *  styles, every page wrapped and placed, the title): burning it gives the
 *  same pixels as burning the captions with these settings. Times have
 *  10 ms steps in ASS text. Under a temporary name, then renamed; an
 *  existing path is refused (ZIMU_EEXIST) unless overwrite is 1 (also one
 *  that appears while writing, see zimu_job_set_overwrite()). */
ZIMU_API int zimu_renderer_save_ass(zimu_renderer *r, const char *path, int overwrite);

/** Write the job's captions as a caption file instead of burning them
 *  (`zimu convert`): read, retimed and clamped exactly as zimu_job_run()
 *  reads them, the format taken from path's extension. .ass: the script a
 *  burn renders (play size = the output frame, the style, every page
 *  wrapped and placed inside the safe area, the title): burning it on the
 *  same clip, with no style settings, gives the same pixels. The frame is
 *  the input's, fitted as a burn fits it (zimu_job_set_size/_fit), or,
 *  with no input set, the size given. .srt, .vtt, .lrc: the retimed cues.
 *  ASS text has 10 ms steps. The same output rules as a run (temporary
 *  name, ZIMU_EEXIST without overwrite, ZIMU_ESAME for any input file).
 *  zimu_job_stats() gives the number of captions. Since 0.2. */
ZIMU_API int zimu_job_save_captions(zimu_job *job, const char *path);

/** Where the job's input picture lands in its output frame: opens the
 *  input, decodes its first frame (after rotation, fit and size, as a burn
 *  does) and gives the output frame size and the picture's rectangle
 *  (rect[0..3] = x, y, width, height), for zimu_renderer_set_picture() when
 *  captions are laid out without burning (zimu convert --input). 0 or the
 *  input errors of zimu_job_run(). Since 0.2. */
ZIMU_API int zimu_job_probe(zimu_job *job, int *frame_w, int *frame_h, int rect[4]);

/* ------------------------------------------------------------------------
 * Beat tracking: the tempo, beat times and downbeats (bar starts) of the
 * sound of any audio or video file, for cutting and cards on the beat.
 * Since 0.2.
 *
 *     zimu_beats *b = zimu_beats_new();
 *     if (zimu_beats_analyze(b, "song.m4a") < 0)
 *         fprintf(stderr, "%s\n", zimu_errmsg(b));
 *     for (int i = 0; i < zimu_beats_count(b); i++)
 *         printf("%.3f\n", zimu_beats_time(b, i));
 *     zimu_beats_free(&b);
 *
 * The sound (all channels mixed, at most its first 20 minutes) is
 * analysed at 22050 Hz: onset strength by spectral flux, the tempo from
 * the onset envelope's autocorrelation weighted by a tempo prior (log-
 * normal around 120 BPM, an octave wide) and by accents in the low bands
 * (so a kick on each beat with a hat between reads as the kick's tempo),
 * beats placed by dynamic programming (after Ellis, 2007) and each moved
 * to its onset; times are in seconds, rounded to 1 ms. Downbeats are
 * given only where one beat of every 4 (or 3) clearly carries the most
 * low-band onset energy. Sound with no steady pulse (silence, noise, under
 * 4 seconds, or a confidence below 0.25) gives no beats and a tempo of 0:
 * beats are never invented.
 *
 * Thread safety: one handle, one thread at a time; distinct handles may
 * work on distinct threads.
 */
typedef struct zimu_beats zimu_beats;
/** A new handle with the default settings (60-180 BPM, no given tempo or
 *  first beat), or NULL when out of memory. */
ZIMU_API zimu_beats *zimu_beats_new(void);
/** Free the handle and its results and set *b to NULL; NULL is a no-op. */
ZIMU_API void zimu_beats_free(zimu_beats **b);
/** The range the tempo is looked for in, in BPM (default 60-180): both
 *  within 30-300 and max at least 1.25 times min, else ZIMU_EINVAL. The
 *  reported tempo may lie a little outside it once refined on the beats. */
ZIMU_API int zimu_beats_set_bpm_range(zimu_beats *b, double min_bpm, double max_bpm);
/** A known tempo (30-300 BPM; 0, the default: none): beats are placed at
 *  this period instead of the one found (sound without a pulse still
 *  gives none). ZIMU_EINVAL out of range. */
ZIMU_API int zimu_beats_set_bpm(zimu_beats *b, double bpm);
/** A known first beat, in seconds (negative, the default: none): the beats
 *  go through it, and none are given before it. */
ZIMU_API int zimu_beats_set_first_beat(zimu_beats *b, double seconds);
/** Analyse the first audio stream of path (any file FFmpeg reads), forgetting
 *  earlier results. 0 (also when no beats are found), or: ZIMU_ENOENT
 *  (missing or unreadable), ZIMU_ENOTVIDEO (not a media file), ZIMU_ENOVIDEO
 *  (here: the file has no audio stream), ZIMU_ECODEC (no decoder for its
 *  audio), ZIMU_EDECODE, ZIMU_EFFMPEG, ZIMU_ENOMEM, ZIMU_EINVAL (path
 *  NULL); the message names the file and zimu_errfile() gives it. */
ZIMU_API int zimu_beats_analyze(zimu_beats *b, const char *path);
/** The tempo in BPM (0.1 BPM steps), 0 when there are no beats. */
ZIMU_API double zimu_beats_bpm(const zimu_beats *b);
/** How sure the tracker is, 0 to 1 (0.01 steps): how periodic the onsets
 *  are and how many beats land on one. 0 when there are no beats. */
ZIMU_API double zimu_beats_confidence(const zimu_beats *b);
/** The number of beats found (0: none); ZIMU_EBADHANDLE (since 0.4; 0
 *  before) for NULL or a handle of another kind, as every int function
 *  here. The doubles give 0 (tempo, confidence) or -1 (times) for one. */
ZIMU_API int zimu_beats_count(const zimu_beats *b);
/** Beat i's time in seconds (increasing with i), or -1 for an i out of
 *  range. */
ZIMU_API double zimu_beats_time(const zimu_beats *b, int i);
/** The number of downbeats (0 when the bars do not show), or ZIMU_EBADHANDLE. */
ZIMU_API int zimu_beats_downbeat_count(const zimu_beats *b);
/** Downbeat i's time in seconds (each also a beat's), or -1 for an i out of
 *  range. */
ZIMU_API double zimu_beats_downbeat_time(const zimu_beats *b, int i);

/* ------------------------------------------------------------------------
 * Batch: caption a folder of clips, each with the caption source beside
 * it, several clips at once. Since 0.3.
 *
 *     zimu_batch *b = zimu_batch_new();
 *     zimu_batch_set_input_dir(b, "clips");
 *     zimu_batch_set_output_dir(b, "out");
 *     zimu_batch_set_setup(b, my_settings, NULL);   // style, size ... per job
 *     int r = zimu_batch_run(b);                    // ZIMU_EBATCH: some failed
 *     for (int i = 0; i < zimu_batch_count(b); i++)
 *         printf("%s %s\n", zimu_batch_clip_input(b, i),
 *                zimu_batch_status_name(zimu_batch_clip_status(b, i)));
 *     zimu_batch_free(&b);
 *
 * Clips: the files of the input folder (and, recursive, of its
 * subfolders) whose extension (any case) is .mp4 .mov .m4v .mkv .webm .avi
 * .flv .ts .mts .m2ts .3gp .mpg .mpeg .wmv; names starting with '.' (hidden
 * files, zimu's temporaries) are not read, nor is the output folder when it
 * lies inside the input folder. Clips are taken in byte order of their
 * path relative to the input folder.
 *
 * Caption source of clip.mp4: a file beside it named clip.EXT or
 * clip.TAG.EXT, EXT one of flash.txt (a flash script, zimu_job_set_flash()
 * over the clip), ass, ssa, srt, vtt, json, lrc, txt, TAG a language tag
 * (letters, digits and '-', as zh, zh-CN, zh-Hans, en). When several are
 * there, the one used is chosen by extension first, in the order just
 * given (flash.txt, ass, ssa, srt, vtt, json, lrc, txt), then by tag: no
 * tag, then zh-CN, zh-Hans, zh, then the other tags in byte order. The
 * others are listed as "also found, not used" (zimu_batch_clip_note()).
 * clip.flash.txt is never taken for a plain-text clip.txt source, nor
 * clip.zh.txt for a source tagged "zh" of clip.flash... : a name is read
 * from its end. A clip with no caption source is skipped
 * (ZIMU_BATCH_SKIPPED) unless a common title is set
 * (zimu_batch_set_title()): then it is burned with the title alone.
 *
 * Output of INDIR/sub/clip.mov: OUTDIR/sub/clip.mp4 (folders made as
 * needed, never through a symbolic link: a batch writes only inside
 * OUTDIR). Two clips whose outputs would have one name (clip.mov and
 * clip.mp4) are not both made: the second in order fails. An output is
 * never any input clip or caption source (ZIMU_ESAME), and a file at an
 * output name that the batch did not make is not replaced unless
 * overwrite is on (ZIMU_EEXIST for that clip, see "Resume"). Each output
 * is written under a temporary name and published as a burn publishes
 * (zimu_job_set_output(): flushed to disk, given its name without
 * replacing anything, the folder flushed).
 *
 * Resume: beside the outputs, OUTDIR/.zimu/<output name>.fp records the
 * fingerprint (SHA-256) of what the output was made from: zimu's version,
 * the clip (its size and modification time, and its bytes: all of them up
 * to 4 MiB, else its first and last MiB, so a rerun over 100 large clips
 * reads 2 MiB of each instead of all), the caption source's bytes, and
 * every setting that changes the output (those the setup callback made,
 * with the contents of a style file, logo or music), and the fingerprint
 * of the finished output. A rerun does not make again an output that is
 * still the one recorded and whose inputs are unchanged
 * (ZIMU_BATCH_UNCHANGED); it makes again, replacing it, an output of its
 * own whose inputs changed; and it fails the clip (ZIMU_EEXIST) for a file
 * at an output name that it did not make or that was changed since,
 * unless overwrite is on. The record says "pending" while its output is
 * made, so an output published by a run killed before it wrote the record
 * is still known as its own. Temporaries of killed runs (of processes
 * gone, on this host) are removed when their output is made again or
 * found up to date.
 *
 * Manifest (zimu_batch_set_manifest(), since 0.3): a CSV file whose rows
 * are the clips instead of the folder's (format: docs/batch.md,
 * "Manifest"). Each row is one output: "clip" (relative to the input
 * folder), "subs" (a caption file relative to the manifest's folder; a
 * name ending in .flash.txt is a flash script) or "text" (the captions
 * themselves: plain text, one caption a line, spread over the clip or its
 * part as a .txt caption file is; so a one-line text is one caption
 * shown the whole time), "style", "title" (over the batch's title),
 * "from"/"to" (zimu_job_set_trim()) and "output" (relative to the output
 * folder; default the clip's name with .mp4). A row's style, title and
 * part are set after the setup callback and win over its settings; a row
 * with text reads it as UTF-8 whatever zimu_job_set_charenc() says. All
 * of them are in the fingerprint, so editing one row makes only its
 * output again. The clips are the rows in their order (the folder is not
 * scanned); zimu_batch_clip_captions() is then the row's subs as written,
 * or for a row with text "list.csv:3 (text)" (the manifest as given).
 * A bad row is a FAILED clip whose error starts with the manifest's name
 * and the row ("list.csv:7: 'from' '1:6x' is not a time ..."): a row the
 * reader refused (its input is then "list.csv:7" and it has no output),
 * a clip or output name that leads out of its folder (also through a
 * symbolic link), an output name an earlier row has (the same clip on
 * several rows needs an "output" on each but the first), and any failure
 * of the row's run. The other rows are done; the run returns ZIMU_EBATCH.
 * A row without subs, text or title is skipped unless the batch has a
 * title. A manifest that cannot be read at all (missing, a workbook, no
 * "clip" column ...) stops the batch before any clip.
 *
 * Thread safety: one batch, one thread at a time, except
 * zimu_batch_cancel(). The callbacks are called from the batch's worker
 * threads, one call at a time (never two at once), in no fixed order of
 * clips.
 */
typedef struct zimu_batch zimu_batch;

/** Status of a clip. */
enum {
    ZIMU_BATCH_PENDING = 0, /**< not run (yet); after a cancel: never started */
    ZIMU_BATCH_DONE = 1,    /**< output written */
    ZIMU_BATCH_SKIPPED = 2, /**< no caption source (and no common title) */
    ZIMU_BATCH_FAILED = 3,  /**< failed: zimu_batch_clip_error() says why */
    ZIMU_BATCH_CANCELLED = 4, /**< in flight when the batch was cancelled;
                                   nothing left at its output name */
    ZIMU_BATCH_UNCHANGED = 5, /**< its output, made by an earlier run, is
                                   complete and up to date: not made again */
};

/** A new batch (no folders set), or NULL when out of memory. */
ZIMU_API zimu_batch *zimu_batch_new(void);
/** Free *b (and its results) and set it to NULL; NULL is a no-op. */
ZIMU_API void zimu_batch_free(zimu_batch **b);
/** The folder of clips (required). */
ZIMU_API int zimu_batch_set_input_dir(zimu_batch *b, const char *dir);
/** The folder outputs go to (required; made if missing, its parent must
 *  exist). It may lie inside the input folder; it may not be the input
 *  folder itself (ZIMU_EINVAL at run). */
ZIMU_API int zimu_batch_set_output_dir(zimu_batch *b, const char *dir);
/** 1: also the clips in subfolders, mirrored into the output folder
 *  (symbolic links to folders are not followed). Default 0. */
ZIMU_API int zimu_batch_set_recursive(zimu_batch *b, int recursive);
/** Clips at once, 1 to 256; 0 (the default): from the cores the process
 *  may run on (C): C for C <= 2, else max(2, C / 2). Each clip's encoder
 *  then gets max(1, C / clips at once) threads, so the cores are used but
 *  not oversubscribed. */
ZIMU_API int zimu_batch_set_jobs(zimu_batch *b, int jobs);
/** 1: make every output again, and replace files at output names that
 *  the batch did not make (default 0: outputs found up to date are kept,
 *  and a clip whose output name holds someone else's file fails with
 *  ZIMU_EEXIST; see "Resume"). */
ZIMU_API int zimu_batch_set_overwrite(zimu_batch *b, int overwrite);
/** 1: plan only: match clips, choose outputs, compare fingerprints, run
 *  nothing, write nothing (zimu_batch_clip_* give the plan: PENDING for
 *  the clips that would be made, UNCHANGED for outputs up to date, SKIPPED,
 *  or FAILED for what is already known: an output name taken twice,
 *  someone else's file there ...). The setup callback is called as in a
 *  run; the callbacks of clips too. zimu_batch_run() then returns 0 unless
 *  the batch cannot start. Default 0. */
ZIMU_API int zimu_batch_set_dry_run(zimu_batch *b, int dry_run);
/** Take only share k of n of the clips (1 <= k <= n <= 1000), so that n
 *  machines can split one folder on shared storage without talking to
 *  each other, each running its own batch with its own k and the same n.
 *  A clip's share is chosen by its path relative to the input folder (the
 *  first 8 bytes of its SHA-256, big-endian, mod n, plus 1), not by its
 *  place in the folder: a clip added or removed never moves another clip
 *  to another share. Every share is planned as the whole folder is (an
 *  output name two clips would share is refused the same way in every
 *  share), then cut to its clips. The report is then
 *  zimu-report.K-of-N.json and .csv (with "shard": K, "shards": N in the
 *  JSON), so shards never write over each other's report;
 *  zimu_batch_merge_reports() makes one report of them. 0, 0: every clip
 *  (the default). ZIMU_EINVAL for other values. Since 0.3. */
ZIMU_API int zimu_batch_set_shard(zimu_batch *b, int k, int n);
/** A title for clips that have no caption source: they are burned with it
 *  alone instead of being skipped. NULL: none (the default). */
ZIMU_API int zimu_batch_set_title(zimu_batch *b, const char *text);
/** Take the clips from the manifest at path (a CSV file, see "Manifest"
 *  above) instead of scanning the input folder; NULL (the default): scan.
 *  The file is read at run (errors then: ZIMU_ENOENT, ZIMU_EINVAL,
 *  ZIMU_ECHARSET with zimu_errmsg(b)); recursive is ignored with a
 *  manifest. The path is copied. Since 0.3. */
ZIMU_API int zimu_batch_set_manifest(zimu_batch *b, const char *path);
/** The font context every clip uses (a reference is taken). NULL (the
 *  default): the batch makes one at run and shares it among its clips. */
ZIMU_API int zimu_batch_set_fonts(zimu_batch *b, zimu_fonts *fonts);

/** The burn settings of every clip. setup is called once for each clip's
 *  job, after the batch has set its input, output, captions (or flash
 *  script) and, for a clip without captions, the common title; it sets
 *  the rest (style, safe area, size, fit, CRF, preset, logo, music ...)
 *  with the zimu_job_set_* functions, and should not change the input,
 *  output or captions. clip is the clip's index. It returns 0, or a
 *  negative ZIMU_E* code, which fails that clip with the job's message.
 *  Called from worker threads, one call at a time. NULL: defaults. */
typedef int (*zimu_batch_setup_fn)(void *opaque, zimu_job *job, int clip);
ZIMU_API int zimu_batch_set_setup(zimu_batch *b, zimu_batch_setup_fn setup, void *opaque);

/** Progress of a batch. Owned by the library, valid during the call. New
 *  fields may be added at the end. */
typedef struct zimu_batch_progress {
    int clip;            /**< the clip this report is about */
    const zimu_progress *job; /**< its job's progress (frames, ms ...) */
    int total;           /**< clips in the batch */
    int done, skipped, failed; /**< clips finished so far, by outcome */
    int running;         /**< clips in flight */
    double elapsed;      /**< seconds since the batch started */
    int unchanged;       /**< clips found up to date (ZIMU_BATCH_UNCHANGED) */
} zimu_batch_progress;
/** Called about every 100 ms of each clip's work; return non-zero to
 *  cancel the whole batch (as zimu_batch_cancel()). */
typedef int (*zimu_batch_progress_fn)(void *opaque, const zimu_batch_progress *p);
ZIMU_API int zimu_batch_set_progress(zimu_batch *b, zimu_batch_progress_fn cb,
                                     void *opaque);
/** Called when clip starts (started 1) and when it ends (started 0; its
 *  status, error and output are then readable with zimu_batch_clip_*). */
typedef void (*zimu_batch_clip_fn)(void *opaque, int clip, int started);
ZIMU_API int zimu_batch_set_clip_cb(zimu_batch *b, zimu_batch_clip_fn cb, void *opaque);

/** Plan and run: every clip, jobs at once. 0 when no clip failed (done or
 *  skipped), ZIMU_EBATCH when some failed, ZIMU_ECANCEL when cancelled
 *  (the clips in flight are abandoned, their temporaries removed, and the
 *  results so far are readable), or an error that stopped the batch
 *  before any clip (ZIMU_EINVAL: no folder set, or output folder = input
 *  folder; ZIMU_ENOENT: input folder missing; ZIMU_EOUTPUT: output folder
 *  cannot be made; ZIMU_EFONT) with zimu_errmsg(b). A batch can be run
 *  again; each run forgets the results of the last. */
ZIMU_API int zimu_batch_run(zimu_batch *b);
/** Stop the batch: no new clip starts, the clips in flight are cancelled
 *  (zimu_job_cancel()). Async-signal-safe, and may be called from another
 *  thread or a callback while zimu_batch_run() runs. A cancelled batch
 *  stays cancelled. NULL or not a live batch: no-op. */
ZIMU_API void zimu_batch_cancel(zimu_batch *b);

/** Merge the shards' reports in the batch's output folder (set with
 *  zimu_batch_set_output_dir()): every zimu-report.K-of-N.json there, which
 *  must all be of one N with none of shards 1 to N missing, becomes one
 *  zimu-report.json and zimu-report.csv (each written atomically, replacing
 *  the last), as a batch over the whole folder would have written them:
 *  every clip once, in the order of its input's path. The merged clips are
 *  then the batch's results (zimu_batch_count(), zimu_batch_clip_*; the
 *  report keeps no error codes: a failed or cancelled clip's code is
 *  ZIMU_EBATCH); the batch's input folder and shard are not used. Nothing
 *  is written on an error. 0 when every clip was done, unchanged or
 *  skipped; ZIMU_EBATCH when merged but some clips failed or were not
 *  finished; ZIMU_ENOENT when there is no shard report or shards are
 *  missing (the message lists them); ZIMU_EINVAL for no output folder set,
 *  reports of different N, a report that does not parse or whose content
 *  is of another shard, or one clip (input and output) in two shards'
 *  reports (the message names both); ZIMU_EOUTPUT, ZIMU_ENOMEM. Since 0.3. */
ZIMU_API int zimu_batch_merge_reports(zimu_batch *b);

/** After a run (or dry run): the number of clips. */
ZIMU_API int zimu_batch_count(const zimu_batch *b);
/** Clip i's path relative to the input folder, its caption source relative
 *  to the input folder (NULL: none), its output path (OUTDIR joined with
 *  the relative output name), owned by the batch, valid until the next
 *  run or free; NULL for i out of range. */
ZIMU_API const char *zimu_batch_clip_input(const zimu_batch *b, int i);
ZIMU_API const char *zimu_batch_clip_captions(const zimu_batch *b, int i);
ZIMU_API const char *zimu_batch_clip_output(const zimu_batch *b, int i);
/** Clip i's ZIMU_BATCH_* status, or ZIMU_EINVAL (ZIMU_EBADHANDLE for a
 *  handle of another kind, as for every zimu_batch_* int function). */
ZIMU_API int zimu_batch_clip_status(const zimu_batch *b, int i);
/** Clip i's error: the ZIMU_E* code (0 if none) and its message ("" if
 *  none; "" for i out of range). */
ZIMU_API int zimu_batch_clip_code(const zimu_batch *b, int i);
ZIMU_API const char *zimu_batch_clip_error(const zimu_batch *b, int i);
/** What else the plan says of clip i: the caption sources also found and
 *  not used ("also found, not used: clip.srt, clip.zh.srt"), or ""; never
 *  NULL. */
ZIMU_API const char *zimu_batch_clip_note(const zimu_batch *b, int i);
/** Clip i's output duration (ms) and the wall seconds its run took (0
 *  when not run). 0 or ZIMU_EINVAL. */
ZIMU_API int zimu_batch_clip_times(const zimu_batch *b, int i, int64_t *duration_ms,
                                   double *seconds);
/** The clips at once and encoder threads per clip of the last run (its
 *  plan for a dry run). 0 or ZIMU_EINVAL. */
ZIMU_API int zimu_batch_threads(const zimu_batch *b, int *jobs, int *encoder_threads);
/** The fingerprint of what clip i's output is made from, 64 hex digits
 *  (SHA-256), or "" when it was not run; never NULL. */
ZIMU_API const char *zimu_batch_clip_fingerprint(const zimu_batch *b, int i);
/** "pending", "done", "skipped", "failed", "cancelled", "unchanged"; NULL
 *  for others. */
ZIMU_API const char *zimu_batch_status_name(int status);

/* ------------------------------------------------------------------------
 * Doctor: what zimu needs on this machine, and what it can use, checked
 * the way the library itself finds them. Since 0.4.
 *
 *     zimu_doctor *d = zimu_doctor_new();
 *     int missing = zimu_doctor_run(d);     // required items missing
 *     for (int i = 0; i < zimu_doctor_count(d); i++)
 *         printf("%s: %s\n", zimu_doctor_text(d, i, ZIMU_DOCTOR_WHAT),
 *                zimu_doctor_text(d, i, ZIMU_DOCTOR_FOUND));
 *     zimu_doctor_free(&d);
 *
 * The items, in this order (keys are stable; more may be appended):
 * - "font-sc", "font-tc": Noto Sans CJK SC and TC (fonts-noto-cjk), looked
 *   up in the configuration a font context (zimu_fonts) hands libass, with
 *   the fonts directory of zimu_doctor_set_fonts_dir(); required;
 * - "font-symbols": the emoji and symbol fallback, Symbola (fonts-symbola;
 *   libass 0.17.1 draws outline glyphs only) or else Noto Color Emoji;
 *   required;
 * - "libass": the linked libass's version; required;
 * - "libass-wrap-unicode": whether libass can break lines itself
 *   (ASS_FEATURE_WRAP_UNICODE, libass built with libunibreak); optional:
 *   zimu breaks Chinese lines itself;
 * - "libavformat", "libavcodec", "libavfilter", "libswscale",
 *   "libswresample", "libavutil": the linked FFmpeg libraries' versions;
 * - "libx264": the H.264 encoder every output is made with; required;
 * - "icu-zh-words": ICU's Chinese word dictionary; optional: without it
 *   lines break between any two characters rather than between words;
 * - "opencc": OpenCC's data (s2t.json); optional: without it --chinese
 *   conversions fail and Traditional text is drawn with the SC face;
 * - "locale-zh_CN": the zh_CN.UTF-8 locale (newlocale()); optional.
 */
typedef struct zimu_doctor zimu_doctor;

/** Item status (zimu_doctor_status()). */
enum {
    ZIMU_DOCTOR_OK = 0,               /**< found */
    ZIMU_DOCTOR_MISSING = 1,          /**< missing, and zimu needs it */
    ZIMU_DOCTOR_OPTIONAL_MISSING = 2, /**< missing; zimu works without it */
};
/** The texts of an item (zimu_doctor_text()). */
enum {
    ZIMU_DOCTOR_KEY = 0,   /**< stable name: "font-sc", "libx264" ... */
    ZIMU_DOCTOR_WHAT = 1,  /**< what it is: "font Noto Sans CJK SC" */
    ZIMU_DOCTOR_FOUND = 2, /**< what was found (version, file, face) or
                                what was looked for */
    ZIMU_DOCTOR_IMPACT = 3, /**< what zimu cannot do without it; NULL when
                                 found */
    ZIMU_DOCTOR_FIX = 4,   /**< the Debian command that installs it
                                ("sudo apt-get install fonts-noto-cjk");
                                NULL when found */
};
/* WHAT, FOUND and IMPACT are worded in the language of the locale when
 * zimu_doctor_run() ran (see "Messages and the locale"); KEY and FIX
 * never are. */

/** A new handle, or NULL when out of memory. */
ZIMU_API zimu_doctor *zimu_doctor_new(void);
/** Free the handle and its results and set *d to NULL; NULL is a no-op. */
ZIMU_API void zimu_doctor_free(zimu_doctor **d);
/** An extra fonts directory, as zimu_fonts_set_dir() (before
 *  zimu_doctor_run(); NULL: none). 0, ZIMU_EINVAL or ZIMU_ENOMEM. */
ZIMU_API int zimu_doctor_set_fonts_dir(zimu_doctor *d, const char *dir);
/** Check everything (again; earlier results are dropped). Returns how
 *  many required items are missing (0: zimu has all it needs), or a
 *  negative code: ZIMU_EFONT when the fonts directory does not exist (no
 *  item is made; the message names it), ZIMU_ENOMEM, ZIMU_EINVAL. Takes
 *  as long as zimu_fonts_load() and opening an OpenCC converter (a tenth
 *  of a second or so). */
ZIMU_API int zimu_doctor_run(zimu_doctor *d);
/** The number of items of the last run (0 before one). Every zimu_doctor_*
 *  int function given NULL gives ZIMU_EINVAL, and a handle of another kind
 *  ZIMU_EBADHANDLE (since 0.4: ZIMU_EINVAL or 0 before). */
ZIMU_API int zimu_doctor_count(const zimu_doctor *d);
/** Item i's ZIMU_DOCTOR_* status, or ZIMU_EINVAL (i out of range). */
ZIMU_API int zimu_doctor_status(const zimu_doctor *d, int i);
/** The class of failure a missing required item i is, as a ZIMU_E* code
 *  for a program's exit status: ZIMU_EFONT for a font (a job still runs,
 *  drawing with another face or empty boxes), ZIMU_EFFMPEG for libx264
 *  (what every job then fails with); 0 when the item is found or
 *  optional, ZIMU_EINVAL for i out of range. */
ZIMU_API int zimu_doctor_error(const zimu_doctor *d, int i);
/** Text field (ZIMU_DOCTOR_KEY ...) of item i, owned by d and valid until
 *  the next zimu_doctor_run() or zimu_doctor_free(); NULL when the item
 *  has no such text, or i or field is out of range. */
ZIMU_API const char *zimu_doctor_text(const zimu_doctor *d, int i, int field);

#ifdef __cplusplus
}
#endif
#endif /* ZIMU_H */
