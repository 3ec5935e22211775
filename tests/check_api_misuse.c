/* check_api_misuse.c - every public function (each ZIMU_API in
 * include/zimu.h) given NULL, a handle of the wrong kind, something that is
 * no handle at all, or arguments out of range: an error code (or the
 * documented no-op, "" or NULL), never a crash, and the handle it was
 * wrongly given is left as it was.
 *
 * Every call goes through CALL(), which notes the function's name; the
 * case every_function_exercised runs all the other cases in one process
 * and fails naming each ZIMU_API function of include/zimu.h that none of
 * them called, so a function added to the header without a case here
 * fails the suite. */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util_clip.h"
#include "zimu.h"

/* ---- which functions were called ---------------------------------------- */

#define MAX_FNS 400
static char called[MAX_FNS][64];
static int n_called;

static void note(const char *fn)
{
    for (int i = 0; i < n_called; i++)
        if (!strcmp(called[i], fn))
            return;
    ck_assert(n_called < MAX_FNS);
    snprintf(called[n_called++], sizeof called[0], "%s", fn);
}

/* fn(args...), noting fn as exercised. */
#define CALL(fn, ...) (note(#fn), fn(__VA_ARGS__))

/* ---- the handles, one of each kind, and something that is none ---------- */

enum { K_JOB, K_SUBS, K_RENDERER, K_FONTS, K_BEATS, K_BATCH, K_DOCTOR, K_JUNK, K_STR, K_N };
static const char *const kname[K_N] = {"job", "subs", "renderer", "fonts", "beats",
                                       "batch", "doctor", "zeroed buffer", "string"};
static void *h[K_N];
/* Larger than any handle, so that even a function reading past the first
 * word of a wrong handle reads memory it may. */
static _Alignas(16) unsigned char junk[1 << 16];
static char text[1 << 16];

static void make_handles(void)
{
    h[K_JOB] = zimu_job_new();
    h[K_SUBS] = zimu_subs_new();
    h[K_RENDERER] = zimu_renderer_new();
    h[K_FONTS] = zimu_fonts_new();
    h[K_BEATS] = zimu_beats_new();
    h[K_BATCH] = zimu_batch_new();
    h[K_DOCTOR] = zimu_doctor_new();
    memset(junk, 0, sizeof junk);
    h[K_JUNK] = junk;
    memset(text, 'z', sizeof text - 1);
    text[sizeof text - 1] = 0;
    h[K_STR] = text;
    for (int k = 0; k < K_N; k++)
        ck_assert_msg(h[k] != NULL, "no %s", kname[k]);
}

/* Each handle still works (none was freed or changed through a call that
 * took it for another kind), and each is freed. */
static void check_and_free_handles(void)
{
    ck_assert_int_eq(zimu_job_set_crf(h[K_JOB], 20), 0);
    ck_assert_int_eq(zimu_subs_add(h[K_SUBS], 0, 1000, "仍然可用"), 0);
    ck_assert_int_eq(zimu_subs_count(h[K_SUBS]), 1);
    ck_assert_int_eq(zimu_renderer_set_size(h[K_RENDERER], 320, 568), 0);
    ck_assert_int_eq(zimu_fonts_set_dir(h[K_FONTS], NULL), 0);
    ck_assert_int_eq(zimu_beats_set_bpm(h[K_BEATS], 120), 0);
    ck_assert_int_eq(zimu_batch_set_jobs(h[K_BATCH], 1), 0);
    ck_assert_int_eq(zimu_doctor_set_fonts_dir(h[K_DOCTOR], NULL), 0);
    for (size_t i = 0; i < sizeof junk; i++)
        ck_assert_msg(junk[i] == 0, "the zeroed buffer was written at %zu", i);
    ck_assert(strlen(text) == sizeof text - 1);
    zimu_job *job = h[K_JOB];
    zimu_subs *subs = h[K_SUBS];
    zimu_renderer *r = h[K_RENDERER];
    zimu_fonts *f = h[K_FONTS];
    zimu_beats *b = h[K_BEATS];
    zimu_batch *ba = h[K_BATCH];
    zimu_doctor *d = h[K_DOCTOR];
    zimu_job_free(&job);
    zimu_subs_free(&subs);
    zimu_renderer_free(&r);
    zimu_fonts_free(&f);
    zimu_beats_free(&b);
    zimu_batch_free(&ba);
    zimu_doctor_free(&d);
    ck_assert(!job && !subs && !r && !f && !b && !ba && !d);
}

static void setup(void)
{
    make_handles();
}

static void teardown(void)
{
    check_and_free_handles();
}

/* fn(handle, args...) returning an error code: ZIMU_EBADHANDLE for every
 * handle of another kind and for what is no handle, ZIMU_EINVAL (or
 * ZIMU_EBADHANDLE) for NULL. BAD0 for a function of the handle alone. */
#define BAD_LOOP(kind, fn, call)                                                     \
    do {                                                                             \
        note(#fn);                                                                   \
        for (int k_ = 0; k_ < K_N; k_++) {                                           \
            if (k_ == (kind))                                                        \
                continue;                                                            \
            void *x_ = h[k_];                                                        \
            int64_t rc_ = (int64_t)(call);                                           \
            ck_assert_msg(rc_ == ZIMU_EBADHANDLE, "%s given a %s: %lld, expected "  \
                          "ZIMU_EBADHANDLE", #fn, kname[k_], (long long)rc_);        \
        }                                                                            \
        void *x_ = NULL;                                                             \
        int64_t rc_ = (int64_t)(call);                                               \
        ck_assert_msg(rc_ == ZIMU_EINVAL || rc_ == ZIMU_EBADHANDLE,                  \
                      "%s given NULL: %lld", #fn, (long long)rc_);                   \
    } while (0)
#define BAD(kind, fn, ...) BAD_LOOP(kind, fn, fn(x_, __VA_ARGS__))
#define BAD0(kind, fn) BAD_LOOP(kind, fn, fn(x_))

/* A string getter given a wrong handle or NULL: "" or, where allowed,
 * NULL; never a crash. */
#define BAD_STR_LOOP(kind, fn, may_be_null, call)                                    \
    do {                                                                             \
        note(#fn);                                                                   \
        for (int k_ = 0; k_ <= K_N; k_++) {                                          \
            if (k_ == (kind))                                                        \
                continue;                                                            \
            void *x_ = k_ < K_N ? h[k_] : NULL;                                      \
            const char *s_ = (call);                                                 \
            ck_assert_msg(s_ ? !*s_ : (may_be_null), "%s given %s: \"%.60s\"", #fn,   \
                          k_ < K_N ? kname[k_] : "NULL", s_ ? s_ : "(null)");        \
        }                                                                            \
    } while (0)
#define BAD_STR(kind, fn, may_be_null, ...) BAD_STR_LOOP(kind, fn, may_be_null, fn(x_, __VA_ARGS__))
#define BAD_STR0(kind, fn, may_be_null) BAD_STR_LOOP(kind, fn, may_be_null, fn(x_))

/* A double getter given a wrong handle or NULL: exactly want. */
#define BAD_DBL(kind, fn, want, ...)                                                 \
    do {                                                                             \
        note(#fn);                                                                   \
        for (int k_ = 0; k_ <= K_N; k_++) {                                          \
            if (k_ == (kind))                                                        \
                continue;                                                            \
            void *x_ = k_ < K_N ? h[k_] : NULL;                                      \
            double v_ = fn(x_ __VA_OPT__(,) __VA_ARGS__);                            \
            ck_assert_msg(v_ == (want), "%s given %s: %g", #fn,                      \
                          k_ < K_N ? kname[k_] : "NULL", v_);                        \
        }                                                                            \
    } while (0)

/* A void function (free, cancel) given a wrong handle: left alone (the
 * teardown checks every handle still works). */
#define BAD_VOID(kind, fn)                                                           \
    do {                                                                             \
        note(#fn);                                                                   \
        for (int k_ = 0; k_ < K_N; k_++) {                                           \
            if (k_ == (kind))                                                        \
                continue;                                                            \
            fn(h[k_]);                                                               \
        }                                                                            \
        fn(NULL);                                                                    \
    } while (0)
/* The same for a zimu_x_free(zimu_x **): the caller's pointer is kept. */
#define BAD_FREE(kind, fn)                                                           \
    do {                                                                             \
        note(#fn);                                                                   \
        for (int k_ = 0; k_ < K_N; k_++) {                                           \
            if (k_ == (kind))                                                        \
                continue;                                                            \
            void *p_ = h[k_];                                                        \
            fn((void *)&p_);                                                         \
            ck_assert_msg(p_ == h[k_], "%s given a %s set the pointer to %p",      \
                          #fn, kname[k_], p_);                                       \
        }                                                                            \
        fn(NULL);                                                                    \
        void *n_ = NULL;                                                             \
        fn((void *)&n_);                                                             \
    } while (0)

static int log_cb_calls;
static void log_cb(void *opaque, int level, const char *msg) { log_cb_calls++; }
static int progress_cb(void *opaque, const zimu_progress *p) { return 0; }
static int read_cb(void *opaque, uint8_t *buf, int size) { return 0; }
static int write_cb(void *opaque, const uint8_t *buf, int size) { return size; }
static int64_t seek_cb(void *opaque, int64_t off, int whence) { return -1; }
static int setup_cb(void *opaque, zimu_job *job, int i) { return 0; }
static int batch_progress_cb(void *opaque, const zimu_batch_progress *p) { return 0; }
static void clip_cb(void *opaque, int clip, int started) {}

/* ---- handles of the wrong kind, and NULL -------------------------------- */

static void wrong_job(void)
{
    int64_t t0;
    int fw, fh, rect[4];
    BAD_STR0(K_JOB, zimu_job_errmsg, 0);
    BAD(K_JOB, zimu_job_set_log, log_cb, NULL, ZIMU_LOG_DEBUG);
    BAD(K_JOB, zimu_job_set_progress, progress_cb, NULL);
    BAD_VOID(K_JOB, zimu_job_cancel);
    BAD(K_JOB, zimu_job_set_input, "in.mp4");
    BAD(K_JOB, zimu_job_set_input_io, read_cb, seek_cb, NULL, "in.mp4");
    BAD(K_JOB, zimu_job_set_output, "out.mp4");
    BAD(K_JOB, zimu_job_set_output_io, write_cb, NULL);
    BAD(K_JOB, zimu_job_set_overwrite, 1);
    BAD(K_JOB, zimu_job_set_null_output, 1);
    BAD(K_JOB, zimu_job_set_subtitles, "in.srt");
    BAD(K_JOB, zimu_job_set_subtitles_data, "x", 1, "x.srt");
    BAD(K_JOB, zimu_job_set_charenc, "GBK");
    BAD(K_JOB, zimu_job_set_subtitle_stream, 0);
    BAD(K_JOB, zimu_job_set_reading_speed, 5);
    BAD(K_JOB, zimu_job_set_max_file_size, 1 << 20);
    BAD(K_JOB, zimu_job_set_shift, 100);
    BAD(K_JOB, zimu_job_set_time_scale, 1.0);
    BAD(K_JOB, zimu_job_set_overlap, ZIMU_OVERLAP_KEEP);
    BAD(K_JOB, zimu_job_set_min_duration, 100);
    BAD(K_JOB, zimu_job_set_style, "classic");
    BAD(K_JOB, zimu_job_set_style_option, "font.size", "60");
    BAD(K_JOB, zimu_job_set_style_options, "font.size=60");
    BAD(K_JOB, zimu_job_set_safe_area, "douyin");
    BAD(K_JOB, zimu_job_set_max_lines, 2);
    BAD(K_JOB, zimu_job_set_highlight, 1);
    BAD(K_JOB, zimu_job_set_title, "标题");
    BAD(K_JOB, zimu_job_set_logo, "logo.png", ZIMU_CORNER_TOP_RIGHT, 0.2);
    BAD(K_JOB, zimu_job_set_fonts, h[K_FONTS]);
    BAD(K_JOB, zimu_job_set_font, "Noto Sans CJK SC");
    BAD(K_JOB, zimu_job_set_fonts_dir, "/tmp");
    BAD(K_JOB, zimu_job_set_chinese, "s2t");
    BAD(K_JOB, zimu_job_set_missing_glyphs, ZIMU_GLYPHS_WARN);
    BAD(K_JOB, zimu_job_set_flash, "cards.txt");
    BAD(K_JOB, zimu_job_set_flash_data, "x", 1, "cards.txt");
    BAD(K_JOB, zimu_job_set_frame_rate, 30, 1);
    BAD(K_JOB, zimu_job_flash_card_time, 0);
    BAD(K_JOB, zimu_job_set_music, "song.m4a", ZIMU_MUSIC_MIX);
    BAD(K_JOB, zimu_job_set_loudnorm, 1);
    BAD(K_JOB, zimu_job_set_loudness_target, -14, -1);
    BAD(K_JOB, zimu_job_set_size, 1080, 1920);
    BAD(K_JOB, zimu_job_set_fit, ZIMU_FIT_AUTO);
    BAD(K_JOB, zimu_job_set_trim, 0, 1000);
    BAD(K_JOB, zimu_job_set_crf, 23);
    BAD(K_JOB, zimu_job_set_preset, "fast");
    BAD0(K_JOB, zimu_job_run);
    BAD(K_JOB, zimu_job_preview, 0, "x.png");
    BAD(K_JOB, zimu_job_set_strict, 1);
    BAD0(K_JOB, zimu_job_damage_count);
    BAD(K_JOB, zimu_job_damage, 0, &t0, &t0);
    BAD(K_JOB, zimu_job_cover, 0, "x.png");
    BAD(K_JOB, zimu_job_save_captions, "x.srt");
    BAD(K_JOB, zimu_job_probe, &fw, &fh, rect);
    note("zimu_job_stats");
    for (int k = 0; k < K_N; k++)
        if (k != K_JOB)
            ck_assert_msg(zimu_job_stats(h[k]) == NULL, "zimu_job_stats of a %s", kname[k]);
    ck_assert_ptr_null(zimu_job_stats(NULL));
    BAD_FREE(K_JOB, zimu_job_free);
}

static void wrong_subs(void)
{
    int64_t a;
    const char *t;
    int al;
    double x;
    size_t o;
    BAD_STR0(K_SUBS, zimu_subs_errmsg, 0);
    BAD(K_SUBS, zimu_subs_set_log, log_cb, NULL, 1);
    BAD(K_SUBS, zimu_subs_set_charenc, "GBK");
    BAD(K_SUBS, zimu_subs_set_reading_speed, 4);
    BAD(K_SUBS, zimu_subs_set_max_file_size, 1 << 20);
    BAD(K_SUBS, zimu_subs_set_chinese, "t2s");
    BAD(K_SUBS, zimu_subs_load, "x.srt");
    BAD(K_SUBS, zimu_subs_load_data, "x", 1, "x.srt");
    BAD0(K_SUBS, zimu_subs_count);
    BAD0(K_SUBS, zimu_subs_is_ass);
    BAD(K_SUBS, zimu_subs_cue, 0, &a, &a, &t);
    BAD(K_SUBS, zimu_subs_cue_style, 0, &t, &al, &x, &x);
    BAD(K_SUBS, zimu_subs_word_count, 0);
    BAD(K_SUBS, zimu_subs_word, 0, 0, &a, &a, &o, &o);
    BAD(K_SUBS, zimu_subs_add, 0, 1000, "x");
    BAD(K_SUBS, zimu_subs_set, 0, 0, 1000, "x");
    BAD(K_SUBS, zimu_subs_set_style, 0, "Default", 2, 0.5, 0.5);
    BAD(K_SUBS, zimu_subs_remove, 0);
    BAD(K_SUBS, zimu_subs_retime, 1.0, 0, ZIMU_OVERLAP_KEEP, 0);
    BAD(K_SUBS, zimu_subs_shift, 100);
    BAD(K_SUBS, zimu_subs_clamp, 0, 1000);
    BAD(K_SUBS, zimu_subs_set_size, 1080, 1920);
    BAD(K_SUBS, zimu_subs_save, "x.srt", 1);
    BAD_FREE(K_SUBS, zimu_subs_free);
}

static void wrong_renderer(void)
{
    int64_t a;
    int n, box[4];
    uint8_t px[16 * 16 * 4];
    uint8_t *planes[3] = {px, px, px};
    int strides[3] = {16, 8, 8};
    BAD(K_RENDERER, zimu_renderer_set_log, log_cb, NULL, 1);
    BAD(K_RENDERER, zimu_renderer_set_fonts, h[K_FONTS]);
    BAD(K_RENDERER, zimu_renderer_set_captions, h[K_SUBS]);
    BAD(K_RENDERER, zimu_renderer_set_size, 320, 568);
    BAD(K_RENDERER, zimu_renderer_set_picture, 0, 0, 320, 568);
    BAD(K_RENDERER, zimu_renderer_set_style, "classic");
    BAD(K_RENDERER, zimu_renderer_set_style_option, "font.size", "60");
    BAD(K_RENDERER, zimu_renderer_set_style_options, "font.size=60");
    BAD(K_RENDERER, zimu_renderer_set_safe_area, "douyin");
    BAD(K_RENDERER, zimu_renderer_set_max_lines, 2);
    BAD(K_RENDERER, zimu_renderer_set_highlight, 1);
    BAD(K_RENDERER, zimu_renderer_set_title, "标题");
    BAD(K_RENDERER, zimu_renderer_set_logo, "logo.png", ZIMU_CORNER_TOP_LEFT, 0.2);
    BAD(K_RENDERER, zimu_renderer_set_font, "Noto Sans CJK SC");
    BAD(K_RENDERER, zimu_renderer_set_chinese, "s2t");
    BAD(K_RENDERER, zimu_renderer_set_cover, 1);
    BAD0(K_RENDERER, zimu_renderer_prepare);
    BAD(K_RENDERER, zimu_renderer_draw_yuv420, 0, planes, strides, ZIMU_MATRIX_BT709, 0);
    BAD(K_RENDERER, zimu_renderer_draw_rgba, 0, px, 64);
    BAD(K_RENDERER, zimu_renderer_visible, 0, 1000);
    BAD0(K_RENDERER, zimu_renderer_page_count);
    BAD(K_RENDERER, zimu_renderer_page, 0, &a, &a, &n, box);
    BAD_STR(K_RENDERER, zimu_renderer_line, 1, 0, 0, box);
    BAD(K_RENDERER, zimu_renderer_save_ass, "x.ass", 1);
    BAD_FREE(K_RENDERER, zimu_renderer_free);
}

static void wrong_fonts_beats_doctor(void)
{
    BAD(K_FONTS, zimu_fonts_set_dir, "/tmp");
    BAD0(K_FONTS, zimu_fonts_load);
    BAD_FREE(K_FONTS, zimu_fonts_free);

    BAD(K_BEATS, zimu_beats_set_bpm_range, 60, 180);
    BAD(K_BEATS, zimu_beats_set_bpm, 120);
    BAD(K_BEATS, zimu_beats_set_first_beat, 0.5);
    BAD(K_BEATS, zimu_beats_analyze, "song.m4a");
    BAD0(K_BEATS, zimu_beats_count);
    BAD0(K_BEATS, zimu_beats_downbeat_count);
    /* doubles: 0 for the tempo and the confidence, -1 for a time */
    BAD_DBL(K_BEATS, zimu_beats_bpm, 0);
    BAD_DBL(K_BEATS, zimu_beats_confidence, 0);
    BAD_DBL(K_BEATS, zimu_beats_time, -1, 0);
    BAD_DBL(K_BEATS, zimu_beats_downbeat_time, -1, 0);
    BAD_FREE(K_BEATS, zimu_beats_free);

    BAD(K_DOCTOR, zimu_doctor_set_fonts_dir, "/tmp");
    BAD0(K_DOCTOR, zimu_doctor_run);
    BAD0(K_DOCTOR, zimu_doctor_count);
    BAD(K_DOCTOR, zimu_doctor_status, 0);
    BAD(K_DOCTOR, zimu_doctor_error, 0);
    BAD_STR(K_DOCTOR, zimu_doctor_text, 1, 0, ZIMU_DOCTOR_KEY);
    BAD_FREE(K_DOCTOR, zimu_doctor_free);
}

static void wrong_batch(void)
{
    int64_t d;
    double s;
    int j, e;
    BAD(K_BATCH, zimu_batch_set_input_dir, "/tmp");
    BAD(K_BATCH, zimu_batch_set_output_dir, "/tmp");
    BAD(K_BATCH, zimu_batch_set_recursive, 1);
    BAD(K_BATCH, zimu_batch_set_jobs, 1);
    BAD(K_BATCH, zimu_batch_set_overwrite, 1);
    BAD(K_BATCH, zimu_batch_set_dry_run, 1);
    BAD(K_BATCH, zimu_batch_set_shard, 1, 2);
    BAD(K_BATCH, zimu_batch_set_title, "标题");
    BAD(K_BATCH, zimu_batch_set_manifest, "m.csv");
    BAD(K_BATCH, zimu_batch_set_fonts, h[K_FONTS]);
    BAD(K_BATCH, zimu_batch_set_setup, setup_cb, NULL);
    BAD(K_BATCH, zimu_batch_set_progress, batch_progress_cb, NULL);
    BAD(K_BATCH, zimu_batch_set_clip_cb, clip_cb, NULL);
    BAD0(K_BATCH, zimu_batch_run);
    BAD_VOID(K_BATCH, zimu_batch_cancel);
    BAD0(K_BATCH, zimu_batch_merge_reports);
    BAD0(K_BATCH, zimu_batch_count);
    BAD_STR(K_BATCH, zimu_batch_clip_input, 1, 0);
    BAD_STR(K_BATCH, zimu_batch_clip_captions, 1, 0);
    BAD_STR(K_BATCH, zimu_batch_clip_output, 1, 0);
    BAD(K_BATCH, zimu_batch_clip_status, 0);
    BAD(K_BATCH, zimu_batch_clip_code, 0);
    BAD_STR(K_BATCH, zimu_batch_clip_error, 0, 0);
    BAD_STR(K_BATCH, zimu_batch_clip_note, 0, 0);
    BAD(K_BATCH, zimu_batch_clip_times, 0, &d, &s);
    BAD(K_BATCH, zimu_batch_threads, &j, &e);
    BAD_STR(K_BATCH, zimu_batch_clip_fingerprint, 0, 0);
    BAD_FREE(K_BATCH, zimu_batch_free);
}

/* Handles of the right kind given to functions that take any handle, and
 * the wrong ones: the generic errmsg/errfile. */
static void any_handle(void)
{
    for (int k = 0; k < K_N; k++) {
        const char *m = CALL(zimu_errmsg, h[k]);
        ck_assert_msg(m && !*m, "zimu_errmsg of a fresh %s: \"%s\"", kname[k], m ? m : "");
        ck_assert_msg(CALL(zimu_errfile, h[k]) == NULL, "zimu_errfile of a %s", kname[k]);
    }
    ck_assert_str_eq(CALL(zimu_errmsg, NULL), "");
    ck_assert_ptr_null(CALL(zimu_errfile, NULL));
}

/* ---- arguments out of range on live handles ------------------------------ */

/* A value a setter may take as a flag or refuse: 0 or ZIMU_EINVAL. */
#define ZERO_OR_EINVAL(call)                                                         \
    do {                                                                             \
        int rc_ = (call);                                                            \
        ck_assert_msg(rc_ == 0 || rc_ == ZIMU_EINVAL, "%s: %d", #call, rc_);         \
    } while (0)

static void args_free_functions(void)
{
    int64_t ms;
    int w, hh;
    double v;
    ck_assert_ptr_nonnull(CALL(zimu_version));
    ck_assert_int_eq(CALL(zimu_version_int), ZIMU_VERSION_INT);
    const int codes[] = {INT_MIN, -1000, -20, -1, 0, 1, INT_MAX};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        const char *s = CALL(zimu_strerror, codes[i]);
        ck_assert_msg(s && *s, "zimu_strerror(%d)", codes[i]);
    }
    /* out-of-range levels, then FFmpeg's own log again */
    CALL(zimu_set_ffmpeg_log, log_cb, NULL, INT_MIN);
    CALL(zimu_set_ffmpeg_log, log_cb, NULL, INT_MAX);
    CALL(zimu_set_ffmpeg_log, NULL, NULL, 0);

    /* parsers: NULL text, NULL results, empty and overlong text */
    static char longtext[100000];
    memset(longtext, '9', sizeof longtext - 1);
    const char *texts[] = {NULL, "", "-", "x", longtext, "1e999", "nan", "inf", "99999999999999999999:00"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const char *t = texts[i];
        ck_assert_int_lt(CALL(zimu_parse_time, t, &ms), 0);
        ck_assert_int_lt(CALL(zimu_parse_offset, t, &ms), 0);
        ck_assert_int_lt(CALL(zimu_parse_size, t, &w, &hh), 0);
        ck_assert_int_lt(CALL(zimu_parse_ratio, t, &v), 0);
        int64_t b;
        ck_assert_int_lt(CALL(zimu_parse_bytes, t, &b), 0);
    }
    /* a good text with nowhere to put the result */
    ck_assert_int_eq(zimu_parse_time("1.5", NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_parse_offset("-1.5", NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_parse_size("320x568", NULL, &hh), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_parse_size("320x568", &w, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_parse_ratio("1.25", NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_parse_bytes("64M", NULL), ZIMU_EINVAL);

    /* named values: kinds and indexes out of range, NULL names */
    const int ints[] = {INT_MIN, -1, 1000, INT_MAX};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_ptr_null(CALL(zimu_name, ints[i], 0));
        ck_assert_ptr_null(CALL(zimu_name, ZIMU_NAMES_FIT, ints[i]));
        ck_assert_ptr_null(CALL(zimu_name_description, ints[i], 0));
        ck_assert_ptr_null(CALL(zimu_name_description, ZIMU_NAMES_STYLE, ints[i]));
        ck_assert_int_eq(CALL(zimu_name_value, ints[i], "auto"), ZIMU_EINVAL);
        ck_assert_ptr_null(CALL(zimu_style_name, ints[i]));
        ck_assert_ptr_null(CALL(zimu_style_description, ints[i]));
        ck_assert_ptr_null(CALL(zimu_batch_status_name, ints[i]));
    }
    ck_assert_int_gt(CALL(zimu_style_count), 0);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_FIT, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_name_value(ZIMU_NAMES_FIT, ""), ZIMU_EINVAL);
    const char *names[] = {"classic", "flash", NULL};
    ck_assert_ptr_null(CALL(zimu_nearest_name, NULL, names));
    ck_assert_ptr_null(zimu_nearest_name("flsh", NULL));
    ck_assert_ptr_null(zimu_nearest_name(longtext, names));
    ck_assert_int_eq(CALL(zimu_file_kind, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_file_kind(""), ZIMU_ENOENT);
    ck_assert_int_eq(zimu_file_kind("/nonexistent/x.mp4"), ZIMU_ENOENT);
    int k = zimu_file_kind("/");
    ck_assert_msg(k == ZIMU_FILE_OTHER || k == ZIMU_ENOENT, "a folder: %d", k);
}

static void args_job(void)
{
    zimu_job *job = CALL(zimu_job_new);
    ck_assert_ptr_nonnull(job);
    /* NULL where a path, a name or data is needed */
    ck_assert_int_lt(zimu_job_set_input(job, NULL), 0);
    ck_assert_int_lt(zimu_job_set_input(job, ""), 0);
    ck_assert_int_lt(zimu_job_set_input_io(job, NULL, NULL, NULL, "x"), 0);
    ck_assert_int_lt(zimu_job_set_output(job, ""), 0);
    ck_assert_int_lt(zimu_job_set_subtitles_data(job, NULL, 10, "x.srt"), 0);
    ck_assert_int_lt(zimu_job_set_flash_data(job, NULL, 10, "x.txt"), 0);
    ck_assert_int_lt(zimu_job_set_style_option(job, NULL, "1"), 0);
    ck_assert_int_lt(zimu_job_set_style_option(job, "font.size", NULL), 0);
    ck_assert_int_lt(zimu_job_set_style_options(job, NULL), 0);
    ck_assert_int_lt(zimu_job_set_logo(job, "x.png", -1, 0.2), 0);
    /* a fraction out of range is the default's (documented for <= 0) */
    ZERO_OR_EINVAL(zimu_job_set_logo(job, "x.png", ZIMU_CORNER_TOP_LEFT, NAN));
    ZERO_OR_EINVAL(zimu_job_set_logo(job, "x.png", ZIMU_CORNER_TOP_LEFT, 1e308));
    ck_assert_int_eq(zimu_job_set_logo(job, NULL, 0, 0), 0);
    ck_assert_int_lt(zimu_job_set_chinese(job, "xx"), 0);
    ZERO_OR_EINVAL(zimu_job_set_charenc(job, "no-such-charset")); /* or at the run */
    /* numbers out of range */
    ck_assert_int_lt(zimu_job_set_subtitle_stream(job, -2), 0);
    ck_assert_int_lt(zimu_job_set_reading_speed(job, NAN), 0);
    ck_assert_int_lt(zimu_job_set_reading_speed(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_reading_speed(job, INFINITY), 0);
    ck_assert_int_lt(zimu_job_set_max_file_size(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_max_file_size(job, INT64_MAX), 0);
    ck_assert_int_lt(zimu_job_set_shift(job, INT64_MIN), 0);
    ck_assert_int_lt(zimu_job_set_shift(job, INT64_MAX), 0);
    ck_assert_int_lt(zimu_job_set_time_scale(job, 0), 0);
    ck_assert_int_lt(zimu_job_set_time_scale(job, NAN), 0);
    ck_assert_int_lt(zimu_job_set_time_scale(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_overlap(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_overlap(job, INT_MAX), 0);
    ck_assert_int_lt(zimu_job_set_min_duration(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_min_duration(job, INT64_MAX), 0);
    ck_assert_int_lt(zimu_job_set_max_lines(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_max_lines(job, INT_MAX), 0);
    ck_assert_int_lt(zimu_job_set_missing_glyphs(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_frame_rate(job, 0, 1), 0);
    ck_assert_int_lt(zimu_job_set_frame_rate(job, 30, 0), 0);
    ck_assert_int_lt(zimu_job_set_frame_rate(job, INT_MAX, 1), 0);
    ck_assert_int_lt(zimu_job_set_frame_rate(job, -30, -1), 0);
    ck_assert_int_lt(zimu_job_set_music(job, "song.m4a", -1), 0);
    ck_assert_int_lt(zimu_job_set_loudness_target(job, NAN, -1), 0);
    ck_assert_int_lt(zimu_job_set_loudness_target(job, -14, NAN), 0);
    ck_assert_int_lt(zimu_job_set_loudness_target(job, 1000, -1), 0);
    ck_assert_int_lt(zimu_job_set_size(job, INT_MAX, INT_MAX), 0);
    ck_assert_int_lt(zimu_job_set_size(job, 1, 1), 0);
    ck_assert_int_lt(zimu_job_set_fit(job, -1), 0);
    ck_assert_int_lt(zimu_job_set_trim(job, -1, 1000), 0);
    ck_assert_int_lt(zimu_job_set_trim(job, 1000, 10), 0);
    ck_assert_int_lt(zimu_job_set_crf(job, INT_MIN), 0);
    ck_assert_int_lt(zimu_job_set_crf(job, INT_MAX), 0);
    ck_assert_int_lt(zimu_job_set_fonts(job, h[K_SUBS]), 0);
    /* the job still runs as it was: no input */
    ck_assert_int_eq(zimu_job_run(job), ZIMU_EINVAL);
    ck_assert_int_lt(zimu_job_preview(job, -1, NULL), 0);
    ck_assert_int_lt(zimu_job_cover(job, -1, NULL), 0);
    ck_assert_int_lt(zimu_job_save_captions(job, NULL), 0);
    ck_assert_int_lt(zimu_job_probe(job, NULL, NULL, NULL), 0);
    ck_assert_int_lt(zimu_job_flash_card_time(job, -1), 0);
    ck_assert_int_lt(zimu_job_flash_card_time(job, INT_MAX), 0);
    ck_assert_int_eq(zimu_job_damage_count(job), 0);
    ck_assert_int_eq(zimu_job_damage(job, -1, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_damage(job, 0, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_damage(job, INT_MAX, NULL, NULL), ZIMU_EINVAL);
    ZERO_OR_EINVAL(zimu_job_set_input_io(job, read_cb, seek_cb, NULL, NULL));
    ck_assert_int_lt(zimu_job_set_output_io(job, NULL, NULL), 0);
    /* cleared settings: NULL where NULL means "none" */
    ZERO_OR_EINVAL(zimu_job_set_log(job, NULL, NULL, INT_MAX));
    ck_assert_int_eq(zimu_job_set_progress(job, NULL, NULL), 0);
    ZERO_OR_EINVAL(zimu_job_set_title(job, NULL));
    ck_assert_int_eq(zimu_job_set_charenc(job, NULL), 0);
    ck_assert_ptr_nonnull(zimu_job_stats(job));
    ck_assert(*zimu_job_errmsg(job));
    zimu_job_cancel(job);
    zimu_job_cancel(job);
    CALL(zimu_job_free, &job);
    ck_assert_ptr_null(job);
    zimu_job_free(&job);
}

static void args_subs(void)
{
    zimu_subs *s = CALL(zimu_subs_new);
    ck_assert_ptr_nonnull(s);
    int64_t a;
    const char *t;
    ck_assert_int_lt(zimu_subs_load(s, NULL), 0);
    ck_assert_int_lt(zimu_subs_load(s, ""), 0);
    ck_assert_int_lt(zimu_subs_load_data(s, NULL, 5, "x.srt"), 0);
    ck_assert_int_lt(zimu_subs_set_reading_speed(s, NAN), 0);
    ck_assert_int_lt(zimu_subs_set_max_file_size(s, -5), 0);
    ck_assert_int_lt(zimu_subs_set_chinese(s, "xx"), 0);
    ck_assert_int_lt(zimu_subs_add(s, -1, 10, "x"), 0);
    ck_assert_int_lt(zimu_subs_add(s, 10, 10, "x"), 0);
    ck_assert_int_lt(zimu_subs_add(s, 0, 10, NULL), 0);
    ck_assert_int_lt(zimu_subs_add(s, 0, 10, "\xff\xfe"), 0);
    ck_assert_int_lt(zimu_subs_add(s, INT64_MIN, INT64_MAX, "x"), 0);
    ck_assert_int_eq(zimu_subs_add(s, 0, 1000, "一"), 0);
    const int idx[] = {INT_MIN, -1, 1, INT_MAX};
    for (int i = 0; i < 4; i++) {
        int x = idx[i];
        ck_assert_int_eq(zimu_subs_cue(s, x, &a, &a, &t), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_cue_style(s, x, &t, NULL, NULL, NULL), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_word_count(s, x), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_word(s, x, 0, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_word(s, 0, x, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_set(s, x, 0, 10, "x"), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_set_style(s, x, NULL, 0, -1, -1), ZIMU_EINVAL);
        ck_assert_int_eq(zimu_subs_remove(s, x), ZIMU_EINVAL);
    }
    ck_assert_int_eq(zimu_subs_cue(s, 0, NULL, NULL, NULL), 0);
    ck_assert_int_eq(zimu_subs_word(s, 0, 0, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_lt(zimu_subs_set(s, 0, 10, 5, NULL), 0);
    ck_assert_int_lt(zimu_subs_set_style(s, 0, NULL, 10, -1, -1), 0);
    ck_assert_int_lt(zimu_subs_set_style(s, 0, NULL, 2, NAN, 0.5), 0);
    ck_assert_int_lt(zimu_subs_retime(s, 0, 0, 0, 0), 0);
    ck_assert_int_lt(zimu_subs_retime(s, NAN, 0, 0, 0), 0);
    ck_assert_int_lt(zimu_subs_retime(s, 1, 0, -1, 0), 0);
    ck_assert_int_lt(zimu_subs_retime(s, 1, 0, 0, -1), 0);
    ck_assert_int_lt(zimu_subs_shift(s, INT64_MIN), 0);
    ck_assert_int_lt(zimu_subs_shift(s, INT64_MAX), 0);
    ck_assert_int_lt(zimu_subs_clamp(s, 1000, 10), 0);
    ck_assert_int_lt(zimu_subs_set_size(s, -1, -1), 0);
    ck_assert_int_lt(zimu_subs_set_size(s, INT_MAX, INT_MAX), 0);
    ck_assert_int_lt(zimu_subs_save(s, NULL, 1), 0);
    ck_assert_int_lt(zimu_subs_save(s, "", 1), 0);
    /* the cue is as it was */
    ck_assert_int_eq(zimu_subs_count(s), 1);
    ck_assert_int_eq(zimu_subs_is_ass(s), 0);
    ck_assert_int_eq(zimu_subs_cue(s, 0, &a, NULL, &t), 0);
    ck_assert(a == 0 && !strcmp(t, "一"));
    ZERO_OR_EINVAL(zimu_subs_set_log(s, NULL, NULL, -5));
    ck_assert_int_eq(zimu_subs_set_log(s, NULL, NULL, ZIMU_LOG_DEBUG), 0);
    ck_assert_int_eq(zimu_subs_set_charenc(s, NULL), 0);
    zimu_subs_free(&s);
    ck_assert_ptr_null(s);
}

static void args_renderer(void)
{
    zimu_renderer *r = CALL(zimu_renderer_new);
    ck_assert_ptr_nonnull(r);
    int box[4], n;
    int64_t a;
    /* before any size: drawing and the layout are errors */
    uint8_t px[64 * 64 * 4];
    ck_assert_int_lt(zimu_renderer_draw_rgba(r, 0, px, 256), 0);
    ck_assert_int_lt(zimu_renderer_page_count(r), 0);
    ck_assert_int_lt(zimu_renderer_page(r, 0, &a, &a, &n, box), 0);
    ck_assert_ptr_null(zimu_renderer_line(r, 0, 0, box));
    ck_assert_int_lt(zimu_renderer_set_size(r, 0, 0), 0);
    ck_assert_int_lt(zimu_renderer_set_size(r, -64, 64), 0);
    ck_assert_int_lt(zimu_renderer_set_size(r, INT_MAX, INT_MAX), 0);
    ck_assert_int_lt(zimu_renderer_set_picture(r, -1, -1, 10, 10), 0);
    ck_assert_int_lt(zimu_renderer_set_picture(r, 0, 0, INT_MAX, INT_MAX), 0);
    ck_assert_int_lt(zimu_renderer_set_style_option(r, NULL, NULL), 0);
    ck_assert_int_lt(zimu_renderer_set_style_options(r, NULL), 0);
    ck_assert_int_lt(zimu_renderer_set_max_lines(r, -1), 0);
    ck_assert_int_lt(zimu_renderer_set_logo(r, "x.png", 99, 0.2), 0);
    ck_assert_int_lt(zimu_renderer_set_chinese(r, "xx"), 0);
    ck_assert_int_lt(zimu_renderer_set_fonts(r, h[K_JOB]), 0);
    ck_assert_int_lt(zimu_renderer_set_captions(r, h[K_JOB]), 0);
    ZERO_OR_EINVAL(zimu_renderer_set_log(r, NULL, NULL, 99));
    ck_assert_int_eq(zimu_renderer_set_captions(r, NULL), 0);
    ZERO_OR_EINVAL(zimu_renderer_set_title(r, NULL));
    ZERO_OR_EINVAL(zimu_renderer_set_font(r, NULL));
    ZERO_OR_EINVAL(zimu_renderer_set_highlight(r, 5));
    ZERO_OR_EINVAL(zimu_renderer_set_cover(r, 5));
    /* a frame 64x64, nothing to draw: NULL pixels are errors */
    ck_assert_int_eq(zimu_renderer_set_size(r, 64, 64), 0);
    ck_assert_int_eq(zimu_renderer_prepare(r), 0);
    ck_assert_int_lt(zimu_renderer_draw_rgba(r, 0, NULL, 256), 0);
    ck_assert_int_lt(zimu_renderer_draw_rgba(r, 0, px, 10), 0);
    ck_assert_int_lt(zimu_renderer_draw_rgba(r, 0, px, -256), 0);
    uint8_t *planes[3] = {px, NULL, px};
    int strides[3] = {64, 32, 32};
    ck_assert_int_lt(zimu_renderer_draw_yuv420(r, 0, NULL, strides, 0, 0), 0);
    ck_assert_int_lt(zimu_renderer_draw_yuv420(r, 0, planes, strides, 0, 0), 0);
    planes[1] = px;
    ck_assert_int_lt(zimu_renderer_draw_yuv420(r, 0, planes, NULL, 0, 0), 0);
    ck_assert_int_lt(zimu_renderer_draw_yuv420(r, 0, planes, strides, 99, 0), 0);
    ZERO_OR_EINVAL(zimu_renderer_draw_yuv420(r, 0, planes, strides, 0, 7)); /* non-zero: full */
    strides[0] = 3;
    ck_assert_int_lt(zimu_renderer_draw_yuv420(r, 0, planes, strides, 0, 0), 0);
    ZERO_OR_EINVAL(zimu_renderer_visible(r, 10, 5)); /* an empty range */
    ck_assert_int_eq(zimu_renderer_page_count(r), 0);
    ck_assert_int_eq(zimu_renderer_page(r, 0, NULL, NULL, NULL, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_renderer_page(r, -1, &a, &a, &n, box), ZIMU_EINVAL);
    ck_assert_ptr_null(zimu_renderer_line(r, -1, -1, box));
    ck_assert_ptr_null(zimu_renderer_line(r, INT_MAX, 0, NULL));
    ck_assert_int_lt(zimu_renderer_save_ass(r, NULL, 1), 0);
    /* a picture larger than the frame: drawn without a crash */
    ck_assert_int_eq(zimu_renderer_set_picture(r, 16, 16, 16384, 16384), 0);
    ck_assert_int_eq(zimu_renderer_set_title(r, "标题 title"), 0);
    ck_assert_int_ge(zimu_renderer_draw_rgba(r, 0, px, 256), 0);
    ck_assert_int_ge(zimu_renderer_draw_rgba(r, INT64_MAX, px, 256), 0);
    ck_assert_int_ge(zimu_renderer_draw_rgba(r, INT64_MIN, px, 256), 0);
    zimu_renderer_free(&r);
    ck_assert_ptr_null(r);
    /* settings checked when the renderer is prepared: refused there */
    const char *bad[2][2] = {{"safe_area", "nowhere"}, {"option", "no.such.key"}};
    for (int i = 0; i < 2; i++) {
        r = zimu_renderer_new();
        ck_assert_int_eq(zimu_renderer_set_size(r, 64, 64), 0);
        int rc = i ? zimu_renderer_set_style_option(r, bad[i][1], "1")
                   : zimu_renderer_set_safe_area(r, bad[i][1]);
        if (rc == 0)
            rc = zimu_renderer_prepare(r);
        ck_assert_msg(rc < 0 && strstr(zimu_errmsg(r), bad[i][1]), "%s %s: %d \"%s\"",
                      bad[i][0], bad[i][1], rc, zimu_errmsg(r));
        ck_assert_int_lt(zimu_renderer_draw_rgba(r, 0, px, 256), 0);
        zimu_renderer_free(&r);
    }
}

static void args_fonts_beats_doctor(void)
{
    zimu_fonts *f = CALL(zimu_fonts_new);
    ck_assert_ptr_nonnull(f);
    /* a folder that is not there fails the load, naming it */
    ck_assert_int_eq(zimu_fonts_set_dir(f, "/nonexistent/fonts"), 0);
    ck_assert_int_eq(zimu_fonts_load(f), ZIMU_EFONT);
    ck_assert_str_eq(zimu_errfile(f), "/nonexistent/fonts");
    zimu_fonts_free(&f);
    ck_assert_ptr_null(f);

    zimu_beats *b = CALL(zimu_beats_new);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(zimu_beats_set_bpm_range(b, NAN, NAN), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm_range(b, 200, 100), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm_range(b, -INFINITY, INFINITY), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm(b, NAN), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm(b, -120), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_bpm(b, 1e300), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_first_beat(b, NAN), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_set_first_beat(b, INFINITY), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_analyze(b, NULL), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_beats_analyze(b, ""), ZIMU_ENOENT);
    ck_assert_int_eq(zimu_beats_count(b), 0);
    ck_assert_int_eq(zimu_beats_downbeat_count(b), 0);
    ck_assert(zimu_beats_bpm(b) == 0 && zimu_beats_confidence(b) == 0);
    ck_assert(zimu_beats_time(b, -1) == -1 && zimu_beats_time(b, INT_MAX) == -1);
    ck_assert(zimu_beats_downbeat_time(b, INT_MIN) == -1);
    zimu_beats_free(&b);
    ck_assert_ptr_null(b);

    zimu_doctor *d = CALL(zimu_doctor_new);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(zimu_doctor_count(d), 0);
    ck_assert_int_eq(zimu_doctor_status(d, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_doctor_error(d, -1), ZIMU_EINVAL);
    ck_assert_ptr_null(zimu_doctor_text(d, 0, ZIMU_DOCTOR_KEY));
    ck_assert_int_eq(zimu_doctor_set_fonts_dir(d, "/nonexistent/fonts"), 0);
    ck_assert_int_eq(zimu_doctor_run(d), ZIMU_EFONT);
    ck_assert_int_eq(zimu_doctor_count(d), 0);
    ck_assert_ptr_null(zimu_doctor_text(d, INT_MAX, INT_MAX));
    ck_assert_ptr_null(zimu_doctor_text(d, -1, -1));
    zimu_doctor_free(&d);
    ck_assert_ptr_null(d);
}

static void args_batch(void)
{
    zimu_batch *b = CALL(zimu_batch_new);
    ck_assert_ptr_nonnull(b);
    int64_t dms;
    double s;
    ck_assert_int_lt(zimu_batch_set_input_dir(b, NULL), 0);
    ck_assert_int_lt(zimu_batch_set_output_dir(b, NULL), 0);
    ck_assert_int_lt(zimu_batch_set_jobs(b, -1), 0);
    ck_assert_int_lt(zimu_batch_set_jobs(b, INT_MAX), 0);
    ck_assert_int_lt(zimu_batch_set_shard(b, 0, 2), 0);
    ck_assert_int_lt(zimu_batch_set_shard(b, 3, 2), 0);
    ck_assert_int_lt(zimu_batch_set_shard(b, -1, -1), 0);
    ck_assert_int_lt(zimu_batch_set_fonts(b, h[K_SUBS]), 0);
    ZERO_OR_EINVAL(zimu_batch_set_title(b, NULL));
    ZERO_OR_EINVAL(zimu_batch_set_manifest(b, NULL));
    ck_assert_int_eq(zimu_batch_set_setup(b, NULL, NULL), 0);
    ck_assert_int_eq(zimu_batch_set_progress(b, NULL, NULL), 0);
    ck_assert_int_eq(zimu_batch_set_clip_cb(b, NULL, NULL), 0);
    ZERO_OR_EINVAL(zimu_batch_set_recursive(b, 7));
    ZERO_OR_EINVAL(zimu_batch_set_overwrite(b, -7));
    ZERO_OR_EINVAL(zimu_batch_set_dry_run(b, 9));
    /* no folders: errors, not crashes */
    ck_assert_int_lt(zimu_batch_run(b), 0);
    ck_assert_int_lt(zimu_batch_merge_reports(b), 0);
    ck_assert_int_eq(zimu_batch_count(b), 0);
    const int idx[] = {INT_MIN, -1, 0, INT_MAX};
    for (int i = 0; i < 4; i++) {
        int x = idx[i];
        ck_assert_ptr_null(zimu_batch_clip_input(b, x));
        ck_assert_ptr_null(zimu_batch_clip_captions(b, x));
        ck_assert_ptr_null(zimu_batch_clip_output(b, x));
        ck_assert_int_eq(zimu_batch_clip_status(b, x), ZIMU_EINVAL);
        ck_assert_int_lt(zimu_batch_clip_code(b, x), 0);
        ck_assert_str_eq(zimu_batch_clip_error(b, x), "");
        ck_assert_str_eq(zimu_batch_clip_note(b, x), "");
        ck_assert_str_eq(zimu_batch_clip_fingerprint(b, x), "");
        ck_assert_int_eq(zimu_batch_clip_times(b, x, &dms, &s), ZIMU_EINVAL);
    }
    ZERO_OR_EINVAL(zimu_batch_threads(b, NULL, NULL));
    zimu_batch_cancel(b);
    zimu_batch_free(&b);
    ck_assert_ptr_null(b);
}

/* ---- the cases ----------------------------------------------------------- */

START_TEST(wrong_kind_job) { wrong_job(); }
END_TEST
START_TEST(wrong_kind_subs) { wrong_subs(); }
END_TEST
START_TEST(wrong_kind_renderer) { wrong_renderer(); }
END_TEST
START_TEST(wrong_kind_fonts_beats_doctor) { wrong_fonts_beats_doctor(); }
END_TEST
START_TEST(wrong_kind_batch) { wrong_batch(); }
END_TEST
START_TEST(generic_handle_functions) { any_handle(); }
END_TEST
START_TEST(out_of_range_free_functions) { args_free_functions(); }
END_TEST
START_TEST(out_of_range_job) { args_job(); }
END_TEST
START_TEST(out_of_range_subs) { args_subs(); }
END_TEST
START_TEST(out_of_range_renderer) { args_renderer(); }
END_TEST
START_TEST(out_of_range_fonts_beats_doctor) { args_fonts_beats_doctor(); }
END_TEST
START_TEST(out_of_range_batch) { args_batch(); }
END_TEST

/* The public header's functions: each "ZIMU_API <type> name(" outside
 * the macro's own definition. */
static int header_functions(char names[][64], int max)
{
    static const char *const tries[] = {"include/zimu.h", "../include/zimu.h"};
    FILE *f = NULL;
    for (int i = 0; i < 2 && !f; i++)
        f = fopen(tries[i], "r");
    ck_assert_msg(f != NULL, "include/zimu.h not found from %s", getcwd(NULL, 0));
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "ZIMU_API ");
        if (!p || strstr(line, "#define"))
            continue;
        const char *paren = strchr(p, '(');
        ck_assert_msg(paren != NULL, "a ZIMU_API line without '(': %s", line);
        const char *e = paren;
        while (e > p && (e[-1] == ' '))
            e--;
        const char *b = e;
        while (b > p && (b[-1] == '_' || (b[-1] >= 'a' && b[-1] <= 'z') ||
                         (b[-1] >= '0' && b[-1] <= '9')))
            b--;
        ck_assert(n < max && e - b > 5 && e - b < 64);
        snprintf(names[n++], 64, "%.*s", (int)(e - b), b);
    }
    fclose(f);
    return n;
}

/* Run every case above in this one process, then compare the functions
 * they called with the header's: none may be left out. */
START_TEST(every_function_exercised)
{
    void (*const all[])(void) = {wrong_job, wrong_subs, wrong_renderer,
                                 wrong_fonts_beats_doctor, wrong_batch, any_handle,
                                 args_free_functions, args_job, args_subs, args_renderer,
                                 args_fonts_beats_doctor, args_batch};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        all[i]();
    static char names[MAX_FNS][64];
    int n = header_functions(names, MAX_FNS);
    ck_assert_msg(n >= 150, "only %d ZIMU_API functions found in include/zimu.h", n);
    char missing[4096] = "";
    int n_missing = 0;
    for (int i = 0; i < n; i++) {
        int found = 0;
        for (int k = 0; k < n_called && !found; k++)
            found = !strcmp(names[i], called[k]);
        if (!found) {
            n_missing++;
            size_t len = strlen(missing);
            snprintf(missing + len, sizeof missing - len, " %.63s", names[i]);
        }
    }
    ck_assert_msg(n_missing == 0, "%d of the %d public functions are not exercised by "
                  "tests/check_api_misuse.c:%s", n_missing, n, missing);
    /* and nothing is noted that the header does not declare (a typo in a
     * CALL would otherwise not compile, but a BAD() name is a string) */
    for (int k = 0; k < n_called; k++) {
        int found = 0;
        for (int i = 0; i < n && !found; i++)
            found = !strcmp(names[i], called[k]);
        ck_assert_msg(found, "%s is not in include/zimu.h", called[k]);
    }
}
END_TEST

static Suite *misuse_suite(void)
{
    Suite *s = suite_create("api_misuse");
    TCase *tc = tcase_create("wrong_handles");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, wrong_kind_job);
    tcase_add_test(tc, wrong_kind_subs);
    tcase_add_test(tc, wrong_kind_renderer);
    tcase_add_test(tc, wrong_kind_fonts_beats_doctor);
    tcase_add_test(tc, wrong_kind_batch);
    tcase_add_test(tc, generic_handle_functions);
    suite_add_tcase(s, tc);
    tc = tcase_create("out_of_range");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, out_of_range_free_functions);
    tcase_add_test(tc, out_of_range_job);
    tcase_add_test(tc, out_of_range_subs);
    tcase_add_test(tc, out_of_range_renderer);
    tcase_add_test(tc, out_of_range_fonts_beats_doctor);
    tcase_add_test(tc, out_of_range_batch);
    suite_add_tcase(s, tc);
    tc = tcase_create("coverage");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_function_exercised);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(misuse_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
