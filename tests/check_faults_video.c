/* check_faults_video.c - video inputs that are broken or unusual, and a
 * trim near the end of a two-hour recording (issue 13, fault cases).
 *
 * Each case asserts what a user sees: the ZIMU_E* code and the CLI's exit
 * status, the one-line message naming the file, no output and no
 * temporary file left on failure, and on success an output with the right
 * size, about the right number of frames, and captions in it.
 *
 * Cases covered elsewhere, not repeated here:
 *   - a text file named .mp4, audio only (library), an AVS2 stream:
 *     check_errors.c (text_file_enotvideo, audio_only_enovideo,
 *     unsupported_codec_ecodec);
 *   - 200 KB of garbage in the middle of an MP4 / TS, a faststart MP4 cut
 *     at half (index promises more than the file holds), strict mode:
 *     check_damage.c (garbage_in_mp4, garbage_in_ts, cut_off_mp4);
 *   - variable frame rate, every frame time passed through:
 *     check_timing.c (vfr_keeps_every_frame_time), and VFR burns find no
 *     damage: check_damage.c (varied_whole_clips);
 *   - 10-bit HLG HEVC tone-mapped to SDR: check_hdr.c.
 *
 * Clips are made at test time: by the ffmpeg program from raw frames
 * generated here (so every pixel is known), and damaged here byte by byte.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "audio_mix.h"
#include "util_clip.h"
#include "zimu.h"

static char *dir;

static void setup(void)
{
    dir = tu_test_dir();
    ck_assert_msg(dir != NULL, "%s", tu_err());
}

static void teardown(void)
{
    tu_test_dir_done(dir);
    dir = NULL;
}

/* Sanitizer builds run slower: time bounds scale as Check's timeouts do. */
static double slow(void)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    double f = m ? atof(m) : 1;
    return f >= 1 ? f : 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process, all threads. */
static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static char *srt_file(void)
{
    char *p = tu_write_text(dir, "s.srt", "1\n00:00:00,000 --> 00:59:00,000\n字幕 Caption\n");
    ck_assert_ptr_nonnull(p);
    return p;
}

typedef struct logged {
    char text[8192];
    int warnings;
} logged;

static void on_log(void *opaque, int level, const char *msg)
{
    logged *l = opaque;
    if (level > ZIMU_LOG_WARNING)
        return;
    l->warnings += level == ZIMU_LOG_WARNING;
    size_t used = strlen(l->text);
    snprintf(l->text + used, sizeof l->text - used, "%s\n", msg);
}

static zimu_job *job_for(const char *in, const char *out, logged *l)
{
    char *srt = srt_file();
    zimu_job *job = tu_job(in, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    free(srt);
    ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
    if (l)
        ck_assert_int_eq(zimu_job_set_log(job, on_log, l, ZIMU_LOG_WARNING), 0);
    return job;
}

/* The names in dir, other than the CLI's captured stderr. */
static int entries(char *names, size_t size)
{
    char all[4096];
    int n = tu_dir_list(dir, all, sizeof all);
    ck_assert_int_ge(n, 0);
    names[0] = 0;
    int kept = 0;
    for (char *t = strtok(all, " "); t; t = strtok(NULL, " ")) {
        if (!strcmp(t, "stderr.txt"))
            continue;
        size_t u = strlen(names);
        snprintf(names + u, size - u, "%s%s", kept ? " " : "", t);
        kept++;
    }
    return kept;
}

/* A run that fails: code, message naming file and holding needle, and the
 * directory holds only what it held before (no output, no temporary). */
static void expect_fail(zimu_job *job, int code, const char *file, const char *needle)
{
    char before[4096], after[4096];
    int nb = entries(before, sizeof before);
    int rc = zimu_job_run(job);
    const char *msg = zimu_job_errmsg(job);
    ck_assert_msg(rc == code, "%s: returned %d (%s), expected %d (%s): %s", file, rc,
                  zimu_strerror(rc), code, zimu_strerror(code), msg);
    ck_assert_msg(strstr(msg, file) && strstr(msg, needle) && !strchr(msg, '\n'),
                  "%s: message \"%s\" should name the file and say \"%s\" on one line", file,
                  msg, needle);
    int na = entries(after, sizeof after);
    ck_assert_msg(na == nb && !strcmp(before, after), "%s: files before: %s; after: %s", file,
                  before, after);
}

/* The CLI on the same input: exit status, and one line on stderr naming
 * the file and holding needle; no output. */
static void expect_cli_fail(const char *in, int status, const char *needle)
{
    char *srt = srt_file(), *out = tu_path(dir, "cli.mp4");
    const char *args[] = {"burn", in, "-s", srt, "-o", out, "--preset", "ultrafast", NULL};
    char err[4096];
    int st = tu_zimu(dir, args, err, sizeof err);
    const char *base = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
    ck_assert_msg(st == status, "zimu burn %s: exit %d, expected %d: %s", base, st, status, err);
    ck_assert_msg(strstr(err, base) && strstr(err, needle), "zimu burn %s: stderr: %s", base,
                  err);
    char *nl = strchr(err, '\n');
    ck_assert_msg(nl && nl[1] == 0, "zimu burn %s: more than one line: %s", base, err);
    ck_assert_msg(!tu_exists(out), "zimu burn %s left %s", base, out);
    free(srt);
    free(out);
}

/* ---- clips made from raw frames ---------------------------------------- */

/* Fills frame k of a w x h picture (planes as pix_fmt wants). */
typedef void (*paint_fn)(void *opaque, int k, uint8_t *buf, size_t size);

/* Pipe frames raw frames (pix_fmt, w x h, 30 fps) into the ffmpeg program,
 * with extra (output options, shell words) and path. */
static void make_raw_clip(const char *path, const char *pix_fmt, int w, int h, int frames,
                          size_t frame_size, paint_fn paint, void *opaque, const char *extra)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -hide_banner -loglevel error -y -f rawvideo -pix_fmt %s "
             "-s %dx%d -framerate 30 -i pipe:0 %s '%s'",
             pix_fmt, w, h, extra, path);
    FILE *f = popen(cmd, "w");
    ck_assert_ptr_nonnull(f);
    uint8_t *buf = malloc(frame_size);
    ck_assert_ptr_nonnull(buf);
    int werr = 0;
    for (int k = 0; k < frames && !werr; k++) {
        paint(opaque, k, buf, frame_size);
        werr = fwrite(buf, 1, frame_size, f) != frame_size;
    }
    free(buf);
    int st = pclose(f);
    ck_assert_msg(!werr && WIFEXITED(st) && WEXITSTATUS(st) == 0, "ffmpeg failed: %s", cmd);
}

/* 8-bit 4:4:4: flat mid grey, frame number in the first luma byte. */
static void paint_444(void *opaque, int k, uint8_t *buf, size_t size)
{
    (void)opaque;
    memset(buf, 128, size);
    buf[0] = (uint8_t)(64 + k);
}

/* 10-bit 4:2:0, little-endian: luma 512 (8-bit 128), chroma 512; a block
 * of luma 800 (8-bit 200) in the top left 64x64. */
typedef struct ten_bit {
    int w, h;
} ten_bit;

static void paint_10bit(void *opaque, int k, uint8_t *buf, size_t size)
{
    (void)k;
    const ten_bit *t = opaque;
    uint16_t *p = (uint16_t *)buf;
    size_t n = size / 2;
    for (size_t i = 0; i < n; i++)
        p[i] = 512;
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 64; x++)
            p[(size_t)y * t->w + x] = 800;
}

/* ---- video fault cases ------------------------------------------------- */

START_TEST(empty_file)
{
    char *in = tu_path(dir, "empty.mp4"), *out = tu_path(dir, "out.mp4");
    TU_OK(tu_write_file(in, "", 0));
    zimu_job *job = job_for(in, out, NULL);
    expect_fail(job, ZIMU_ENOTVIDEO, "empty.mp4", "empty (0 bytes)");
    zimu_job_free(&job);
    expect_cli_fail(in, 3, "empty (0 bytes)");
    free(in);
    free(out);
}
END_TEST

/* An MP4 whose index comes last (the ffmpeg program's default, and what a
 * phone writes when it stops recording), cut at half: nothing to decode
 * without the index. A cut-off faststart MP4 still burns: check_damage.c. */
START_TEST(truncated_mp4_without_index)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 45;
    char *whole = tu_path(dir, "whole.mp4"), *in = tu_path(dir, "cut.mp4");
    char *out = tu_path(dir, "out.mp4");
    TU_OK(tu_make_clip(whole, &o));
    ck_assert_msg(tu_mp4_faststart(whole) == 0, "premise: index after the media data");
    uint8_t *d;
    size_t n;
    TU_OK(tu_read_file(whole, &d, &n));
    TU_OK(tu_write_file(in, d, n / 2));
    free(d);
    zimu_job *job = job_for(in, out, NULL);
    expect_fail(job, ZIMU_EDECODE, "cut.mp4", "cut off");
    zimu_job_free(&job);
    expect_cli_fail(in, 3, "index ('moov') is missing");
    free(whole);
    free(in);
    free(out);
}
END_TEST

/* Random bytes named .mp4 (several seeds: FFmpeg's probing may take some
 * of them for a raw stream of some kind). */
START_TEST(garbage_named_mp4)
{
    char *in = tu_path(dir, "garbage.mp4"), *out = tu_path(dir, "out.mp4");
    size_t n = 256 * 1024;
    uint8_t *d = malloc(n);
    ck_assert_ptr_nonnull(d);
    for (unsigned seed = 1; seed <= 4; seed++) {
        unsigned s = seed * 2654435761u;
        for (size_t i = 0; i < n; i++) {
            s = s * 1103515245u + 12345u;
            d[i] = (uint8_t)(s >> 16);
        }
        TU_OK(tu_write_file(in, d, n));
        zimu_job *job = job_for(in, out, NULL);
        int rc = zimu_job_run(job);
        const char *msg = zimu_job_errmsg(job);
        ck_assert_msg(rc == ZIMU_ENOTVIDEO || rc == ZIMU_EDECODE || rc == ZIMU_ENOVIDEO,
                      "seed %u: %d (%s): %s", seed, rc, zimu_strerror(rc), msg);
        ck_assert_msg(strstr(msg, "garbage.mp4") && !strchr(msg, '\n'), "seed %u: %s", seed,
                      msg);
        ck_assert_msg(!tu_exists(out), "seed %u: output left", seed);
        zimu_job_free(&job);
        char names[4096];
        ck_assert_msg(entries(names, sizeof names) == 2, "seed %u: files: %s", seed, names);
    }
    free(d);
    expect_cli_fail(in, 3, "garbage.mp4");
    free(in);
    free(out);
}
END_TEST

/* One frame of a clip overwritten with random bytes (the packet's payload
 * after its first quarter): the burn goes on, the damage is one warning
 * naming the file and the time of that frame, the output has every frame
 * (the decoder conceals the broken one), and captions are burned. */
START_TEST(corrupt_frame_in_middle)
{
    char *in = tu_path(dir, "broken.mp4"), *out = tu_path(dir, "out.mp4");
    const char *argv[] = {"ffmpeg", "-v", "error", "-y",
                          "-f", "lavfi", "-i", "testsrc2=s=320x568:r=30:d=4",
                          "-f", "lavfi", "-i", "sine=f=440:d=4",
                          "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-bf", "0",
                          "-c:a", "aac", in, NULL};
    TU_OK(tu_run(argv));
    tu_video src;
    TU_OK(tu_read_video(in, &src, 1));
    ck_assert_int_eq(src.n, 120);

    /* Packet 41 (1.367 s): where it lies in the file. */
    AVFormatContext *fc = NULL;
    ck_assert_int_ge(avformat_open_input(&fc, in, NULL, NULL), 0);
    ck_assert_int_ge(avformat_find_stream_info(fc, NULL), 0);
    int vi = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    AVPacket *p = av_packet_alloc();
    int64_t pos = -1, size = 0, seen = 0, pts = 0;
    while (av_read_frame(fc, p) >= 0) {
        if (p->stream_index == vi && seen++ == 41) {
            pos = p->pos;
            size = p->size;
            pts = p->pts;
        }
        av_packet_unref(p);
    }
    int64_t at_ms = av_rescale_q(pts, fc->streams[vi]->time_base, (AVRational){1, 1000});
    av_packet_free(&p);
    avformat_close_input(&fc);
    ck_assert_msg(pos > 0 && size > 1000, "packet 41 at %" PRId64 ", %" PRId64 " bytes", pos,
                  size);
    uint8_t *d;
    size_t n;
    TU_OK(tu_read_file(in, &d, &n));
    unsigned s = 7;
    for (int64_t i = pos + size / 4; i < pos + size; i++) {
        s = s * 1103515245u + 12345u;
        d[i] = (uint8_t)(s >> 16);
    }
    TU_OK(tu_write_file(in, d, n));
    free(d);

    logged l = {{0}, 0};
    zimu_job *job = job_for(in, out, &l);
    TU_RUN_OK(job);
    int nd = zimu_job_damage_count(job);
    int64_t from = 0, to = 0;
    ck_assert_msg(nd == 1, "%d damaged ranges: %s", nd, l.text);
    ck_assert_int_eq(zimu_job_damage(job, 0, &from, &to), 0);
    ck_assert_msg(from <= at_ms && to > at_ms && to - from <= 500,
                  "damage %" PRId64 "-%" PRId64 " ms, the broken frame is at %" PRId64 " ms",
                  from, to, at_ms);
    ck_assert_msg(l.warnings == 1 && strstr(l.text, "broken.mp4: 0:00:01.3-0:00:01.4 could not "
                                                    "be decoded"),
                  "warnings: %s", l.text);
    const zimu_stats *st = zimu_job_stats(job);
    ck_assert_int_eq(st->damaged_ranges, 1);
    zimu_job_free(&job);

    tu_video v;
    TU_OK(tu_read_video(out, &v, 1));
    ck_assert_msg(v.n >= 117 && v.n <= 120, "output has %d frames of 120", v.n);
    ck_assert_int_eq(v.width, 320);
    ck_assert_int_eq(v.height, 568);
    /* Captions: the lower half differs from the source, the upper half
     * (away from the damage) does not, on a frame before the damage. */
    tu_box box;
    long diff = tu_frame_diff(&v, 10, &src, 10, 40, &box);
    ck_assert_msg(diff > 200 && box.y0 >= 568 / 2, "frame 10: %ld pixels differ, from y %d",
                  diff, box.y0);
    tu_video_free(&v);
    tu_video_free(&src);

    /* The CLI: the same warning (not with -q: "nothing but errors"),
     * exit 0, the output written. */
    char *srt = srt_file();
    const char *args[] = {"burn", in, "-s", srt, "-o", out, "-y", "--preset", "ultrafast",
                          NULL};
    char err[4096];
    int code = tu_zimu(dir, args, err, sizeof err);
    ck_assert_msg(code == 0 && strstr(err, "warning") &&
                      strstr(err, "broken.mp4: 0:00:01.3-0:00:01.4 could not be decoded"),
                  "exit %d: %s", code, err);
    ck_assert(tu_exists(out));
    free(srt);
    free(in);
    free(out);
}
END_TEST

/* Audio only, through the CLI (the library's code: check_errors.c). */
START_TEST(audio_only_cli)
{
    char *in = tu_path(dir, "voice.m4a");
    TU_OK(tu_make_audio_only(in, 1.0));
    expect_cli_fail(in, 4, "has no video stream");
    char names[4096];
    ck_assert_msg(entries(names, sizeof names) == 2, "files: %s", names);
    free(in);
}
END_TEST

/* No audio: a silent output, every frame, captions. */
START_TEST(no_audio)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 40;
    o.audio = TU_AUDIO_NONE;
    char *in = tu_path(dir, "silent.mp4"), *out = tu_path(dir, "out.mp4");
    TU_OK(tu_make_clip(in, &o));
    logged l = {{0}, 0};
    zimu_job *job = job_for(in, out, &l);
    TU_RUN_OK(job);
    ck_assert_msg(l.warnings == 0, "warnings: %s", l.text);
    ck_assert_int_eq(zimu_job_stats(job)->audio, 0);
    zimu_job_free(&job);
    tu_audio a;
    TU_OK(tu_read_audio(out, &a));
    ck_assert_msg(!a.present, "a silent clip's output has an audio stream");
    tu_audio_free(&a);
    tu_video v, src;
    TU_OK(tu_read_video(out, &v, 1));
    TU_OK(tu_read_video(in, &src, 1));
    ck_assert_int_eq(v.n, 40);
    ck_assert_msg(tu_check_same_pts(&src, &v) == 0, "%s", tu_err());
    tu_box box;
    ck_assert_msg(tu_frame_diff(&v, 5, &src, 5, 30, &box) > 200, "no caption on frame 5");
    tu_video_free(&v);
    tu_video_free(&src);
    free(in);
    free(out);
}
END_TEST

/* 1x1 and 3x5 cannot hold a caption: refused, naming the file, the size
 * and the way out (an output size), which then works. 319x567 (odd, for
 * a 4:2:0 encoder) is cropped by its last column and row: 318x566, every
 * frame, captions. Sources are lossless H.264 4:4:4 (odd sizes allowed). */
START_TEST(tiny_and_odd_sizes)
{
    static const struct {
        int w, h;
    } tiny[] = {{1, 1}, {3, 5}};
    for (int i = 0; i < 2; i++) {
        char name[32], size[32];
        snprintf(name, sizeof name, "tiny%dx%d.mp4", tiny[i].w, tiny[i].h);
        snprintf(size, sizeof size, "%dx%d pixels", tiny[i].w, tiny[i].h);
        char *in = tu_path(dir, name), *out = tu_path(dir, "out.mp4");
        make_raw_clip(in, "yuv444p", tiny[i].w, tiny[i].h, 10,
                      (size_t)tiny[i].w * tiny[i].h * 3, paint_444, NULL,
                      "-c:v libx264 -qp 0 -preset ultrafast -pix_fmt yuv444p");
        zimu_job *job = job_for(in, out, NULL);
        expect_fail(job, ZIMU_EINVAL, name, size);
        ck_assert_msg(strstr(zimu_job_errmsg(job), "--size"), "%s", zimu_job_errmsg(job));
        /* ... and with an output size it burns */
        ck_assert_int_eq(zimu_job_set_size(job, 360, 640), 0);
        TU_RUN_OK(job);
        zimu_job_free(&job);
        tu_video v;
        TU_OK(tu_read_video(out, &v, 0));
        ck_assert_msg(v.n == 10 && v.width == 360 && v.height == 640, "%s: %d frames %dx%d",
                      name, v.n, v.width, v.height);
        tu_video_free(&v);
        TU_OK(unlink(out));
        expect_cli_fail(in, 1, "too small for captions");
        free(in);
        free(out);
    }

    char *in = tu_path(dir, "odd.mp4"), *out = tu_path(dir, "out.mp4");
    make_raw_clip(in, "yuv444p", 319, 567, 20, (size_t)319 * 567 * 3, paint_444, NULL,
                  "-c:v libx264 -qp 0 -preset ultrafast -pix_fmt yuv444p");
    logged l = {{0}, 0};
    zimu_job *job = job_for(in, out, &l);
    TU_RUN_OK(job);
    const zimu_stats *st = zimu_job_stats(job);
    ck_assert_msg(st->width == 318 && st->height == 566 && st->frames == 20,
                  "stats: %dx%d, %" PRId64 " frames", st->width, st->height, st->frames);
    ck_assert_msg(l.warnings == 0, "warnings: %s", l.text);
    zimu_job_free(&job);
    tu_video v;
    TU_OK(tu_read_video(out, &v, 1));
    ck_assert_msg(v.n == 20 && v.width == 318 && v.height == 566, "%d frames %dx%d", v.n,
                  v.width, v.height);
    /* Grey (Y 128) where no caption is, bright and dark caption pixels
     * in the lower part. */
    int top = v.f[3].y[10 * 318 + 150], lo = 255, hi = 0;
    for (int y = 566 / 2; y < 566; y++)
        for (int x = 0; x < 318; x++) {
            int yy = v.f[3].y[(size_t)y * 318 + x];
            lo = yy < lo ? yy : lo;
            hi = yy > hi ? yy : hi;
        }
    ck_assert_msg(abs(top - 128) <= 2 && hi > 200 && lo < 60,
                  "top Y %d, lower half Y %d..%d: no caption?", top, lo, hi);
    tu_video_free(&v);
    free(in);
    free(out);
}
END_TEST

/* 10-bit 4:2:0 H.264 (High 10) and HEVC (Main 10), SDR: an 8-bit
 * output of the same picture (10-bit 512 is 8-bit 128, 800 is 200). */
START_TEST(ten_bit_input)
{
    static const char *const enc[] = {
        "-c:v libx264 -qp 0 -preset ultrafast -pix_fmt yuv420p10le",
        "-c:v libx265 -preset ultrafast -x265-params lossless=1:log-level=error "
        "-pix_fmt yuv420p10le -tag:v hvc1",
    };
    for (int i = 0; i < 2; i++) {
        char *in = tu_path(dir, i ? "hevc10.mp4" : "h264_10.mp4");
        char *out = tu_path(dir, "out.mp4");
        ten_bit t = {320, 568};
        make_raw_clip(in, "yuv420p10le", 320, 568, 30, (size_t)320 * 568 * 3, paint_10bit, &t,
                      enc[i]);
        tu_video sv;
        TU_OK(tu_read_video(in, &sv, 0));
        ck_assert_msg(sv.bits == 10, "premise: a 10-bit source, got %d bits", sv.bits);
        tu_video_free(&sv);
        logged l = {{0}, 0};
        zimu_job *job = job_for(in, out, &l);
        TU_RUN_OK(job);
        ck_assert_msg(l.warnings == 0, "warnings: %s", l.text);
        zimu_job_free(&job);
        tu_video v;
        TU_OK(tu_read_video(out, &v, 1));
        ck_assert_msg(v.n == 30 && v.bits == 8 && v.width == 320 && v.height == 568,
                      "%s: %d frames, %d bits, %dx%d", in, v.n, v.bits, v.width, v.height);
        int grey = v.f[5].y[100 * 320 + 200], block = v.f[5].y[20 * 320 + 20];
        ck_assert_msg(abs(grey - 128) <= 1 && abs(block - 200) <= 1, "%s: Y %d and %d", in,
                      grey, block);
        int hi = 0;
        for (int y = 284; y < 568; y++)
            for (int x = 0; x < 320; x++)
                hi = v.f[5].y[(size_t)y * 320 + x] > hi ? v.f[5].y[(size_t)y * 320 + x] : hi;
        ck_assert_msg(hi > 200, "%s: no caption in the lower half", in);
        tu_video_free(&v);
        free(in);
        free(out);
    }
}
END_TEST

/* Set the 32-bit duration of every version-0 'mvhd' box of an MP4 (the
 * length the file declares) to about 49 days. */
static void mp4_declare_days(uint8_t *d, size_t n)
{
    int found = 0;
    for (size_t i = 4; i + 24 <= n; i++) {
        if (memcmp(d + i, "mvhd", 4) || d[i + 4] != 0)
            continue;
        /* version+flags 4, creation 4, modification 4, timescale 4 */
        memset(d + i + 20, 0xff, 3);
        d[i + 23] = 0xf0;
        found++;
    }
    ck_assert_msg(found == 1, "%d mvhd boxes", found);
}

/* The same for Matroska: the Segment Info's Duration (8-byte float). */
static void mkv_declare_days(uint8_t *d, size_t n)
{
    int found = 0;
    for (size_t i = 0; i + 11 <= n; i++) {
        if (d[i] != 0x44 || d[i + 1] != 0x89 || d[i + 2] != 0x88)
            continue;
        double v = 4.0e9; /* ms at the default timecode scale */
        uint64_t u;
        memcpy(&u, &v, 8);
        for (int b = 0; b < 8; b++)
            d[i + 3 + b] = (uint8_t)(u >> (56 - 8 * b));
        found++;
        break;
    }
    ck_assert_msg(found == 1, "no Matroska Duration");
}

typedef struct progress_seen {
    int64_t max_est, max_duration;
    double first_frame_wall, first_frame_cpu, t0, cpu0;
} progress_seen;

static int on_progress(void *opaque, const zimu_progress *p)
{
    progress_seen *s = opaque;
    if (p->frames_est > s->max_est)
        s->max_est = p->frames_est;
    if (p->duration_ms > s->max_duration)
        s->max_duration = p->duration_ms;
    if (p->frames > 0 && s->first_frame_wall == 0) {
        s->first_frame_wall = now() - s->t0;
        s->first_frame_cpu = cpu_now() - s->cpu0;
    }
    return 0;
}

/* A 4-second clip whose header says it lasts about 49 days. The plain
 * burn, and the burn with a loudness target (which reads the sound in
 * passes over the whole length), take seconds, not days: MP4 states the
 * streams' lengths, which win; a Matroska file states only its own, and a
 * length its size cannot hold is taken as unknown (a warning), so the
 * loudness target is refused, clearly. Nothing is reported as damaged. */
START_TEST(huge_declared_duration)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 120;
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "days.mkv" : "days.mp4";
        char *in = tu_path(dir, name), *out = tu_path(dir, "out.mp4");
        TU_OK(tu_make_clip(in, &o));
        uint8_t *d;
        size_t n;
        TU_OK(tu_read_file(in, &d, &n));
        if (k)
            mkv_declare_days(d, n);
        else
            mp4_declare_days(d, n);
        TU_OK(tu_write_file(in, d, n));
        free(d);
        AVFormatContext *fc = NULL;
        ck_assert_int_ge(avformat_open_input(&fc, in, NULL, NULL), 0);
        ck_assert_int_ge(avformat_find_stream_info(fc, NULL), 0);
        ck_assert_msg(fc->duration > (int64_t)40 * 86400 * AV_TIME_BASE,
                      "premise: %s declares %" PRId64 " us", name, fc->duration);
        avformat_close_input(&fc);

        for (int loud = 0; loud < 2; loud++) {
            logged l = {{0}, 0};
            zimu_job *job = job_for(in, out, &l);
            progress_seen ps = {.t0 = now(), .cpu0 = cpu_now()};
            ck_assert_int_eq(zimu_job_set_progress(job, on_progress, &ps), 0);
            if (loud)
                ck_assert_int_eq(zimu_job_set_loudnorm(job, 1), 0);
            double t0 = now();
            int rc = zimu_job_run(job);
            double took = now() - t0;
            ck_assert_msg(took < 30 * slow(), "%s%s: %.1f s", name, loud ? " --loudnorm" : "",
                          took);
            if (k && loud) {
                ck_assert_msg(rc == ZIMU_EINVAL &&
                                  strstr(zimu_job_errmsg(job), "days.mkv: the length of the "
                                                               "clip is not known"),
                              "%d: %s", rc, zimu_job_errmsg(job));
                ck_assert_msg(!tu_exists(out), "output left");
            } else {
                ck_assert_msg(rc == 0, "%s%s: %d %s", name, loud ? " loudnorm" : "", rc,
                              zimu_job_errmsg(job));
                const zimu_stats *st = zimu_job_stats(job);
                ck_assert_int_eq(st->frames, 120);
                ck_assert_int_eq(st->damaged_ranges, 0);
                ck_assert_msg(st->duration_ms >= 3900 && st->duration_ms <= 4100, "%" PRId64,
                              st->duration_ms);
                ck_assert_int_eq(st->audio, loud ? 2 : 1);
                /* progress estimates from the real length (or none) */
                ck_assert_msg(ps.max_est <= 130 && ps.max_duration <= 4100,
                              "%s: progress estimated %" PRId64 " frames, %" PRId64 " ms", name,
                              ps.max_est, ps.max_duration);
                tu_audio a;
                TU_OK(tu_read_audio(out, &a));
                double end = a.n ? tu_pts_sec(a.p[a.n - 1].pts + a.p[a.n - 1].duration,
                                              a.time_base)
                                 : 0;
                ck_assert_msg(end > 3.5 && end < 4.5, "%s: audio ends at %.2f s", name, end);
                tu_audio_free(&a);
                TU_OK(unlink(out));
            }
            if (k)
                ck_assert_msg(strstr(l.text, "days.mkv: the file says it lasts 1111:06:40 but "
                                             "holds only"),
                              "warnings: %s", l.text);
            else
                ck_assert_msg(l.warnings == 0, "warnings: %s", l.text);
            zimu_job_free(&job);
        }
        free(in);
        free(out);
    }
}
END_TEST

/* Variable frame rate with a trim (the whole clip: check_timing.c): the
 * frames whose time lies in [500, 1500) ms, each with its own duration,
 * the output starting at 0. */
START_TEST(vfr_trim_keeps_frame_times)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 60;
    o.vfr = 1;
    char *in = tu_path(dir, "vfr.mp4"), *out = tu_path(dir, "out.mp4");
    TU_OK(tu_make_clip(in, &o));
    zimu_job *job = job_for(in, out, NULL);
    ck_assert_int_eq(zimu_job_set_trim(job, 500, 1500), 0);
    TU_RUN_OK(job);
    ck_assert_int_eq(zimu_job_damage_count(job), 0);
    zimu_job_free(&job);
    tu_video src, v;
    TU_OK(tu_read_video(in, &src, 0));
    TU_OK(tu_read_video(out, &v, 0));
    int first = 0, n = 0;
    while (first < src.n && tu_frame_ms(&src, first) < 500)
        first++;
    while (first + n < src.n && tu_frame_ms(&src, first + n) < 1500)
        n++;
    ck_assert_msg(v.n == n && n > 20, "output has %d frames, the segment %d", v.n, n);
    double s0 = tu_pts_sec(src.f[first].pts, src.time_base);
    for (int i = 0; i < v.n; i++) {
        double want = tu_pts_sec(src.f[first + i].pts, src.time_base) - s0;
        double got = tu_pts_sec(v.f[i].pts, v.time_base) - tu_pts_sec(v.f[0].pts, v.time_base);
        ck_assert_msg(fabs(got - want) < 0.0006, "frame %d at %.4f s, source %.4f s", i, got,
                      want);
    }
    ck_assert_msg(tu_frame_ms(&v, 0) == 0, "output starts at %" PRId64 " ms", tu_frame_ms(&v, 0));
    tu_video_free(&src);
    tu_video_free(&v);
    free(in);
    free(out);
}
END_TEST

/* The last guard: the music and loudness passes refuse a video said to
 * last more than a day at once (a length that got past file_length's
 * checks would otherwise be read through, three times). */
START_TEST(mix_refuses_a_day)
{
    char *song = tu_path(dir, "song.m4a");
    TU_OK(tu_make_audio_only(song, 1.0));
    zimu_ctx c = {0};
    zimu_audio_mix *m = NULL;
    zimu_audio_mix_opts o = {.music_path = song, .duration_ms = 25 * 3600000LL, .loudnorm = 1};
    double t0 = now();
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), ZIMU_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_msg(now() - t0 < 2 * slow(), "took %.1f s", now() - t0);
    ck_assert_msg(strstr(c.errmsg, "said to last 25 hours") && strstr(c.errmsg, "up to 24 hours"),
                  "%s", c.errmsg);
    o.duration_ms = 2000;
    ck_assert_int_eq(zimu__audio_mix_open(&c, &m, &o), 0);
    zimu__audio_mix_free(&m);
    free(song);
}
END_TEST

/* A trim 15 s into a transport stream (keyframes 8.3 s apart, B-frames,
 * sound), read from the file and through a read callback that cannot seek
 * (a pipe): exactly the 30 frames of [15 s, 16 s), the first one the frame
 * at 15 s, and the sound of that second. FFmpeg seeks a transport stream
 * by timestamps alone, to any packet, and the decoder then waits for the
 * next keyframe, which came after the cut: the trim had no frame at all
 * ("no video frame in the chosen time range"). Without seeking, the sound
 * decoded before the cut piled up until the run failed ("audio runs far
 * ahead of the video"). */
START_TEST(trim_ts_frame_accurate)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = 600;
    char *in = tu_path(dir, "rec.ts"), *out = tu_path(dir, "out.mp4");
    TU_OK(tu_make_clip(in, &o));
    tu_video src;
    TU_OK(tu_read_video(in, &src, 0));
    int k = 0;
    while (k < src.n && tu_frame_ms(&src, k) < 15000)
        k++;
    ck_assert_msg(k > 400 && k + 30 < src.n, "premise: frame %d of %d", k, src.n);
    char *srt = tu_write_text(dir, "p.srt", "1\n00:00:14,000 --> 00:00:17,000\n管道 Pipe\n");
    ck_assert_ptr_nonnull(srt);
    size_t fs = (size_t)o.width * o.height * 3 / 2;
    uint8_t *want = malloc(fs);
    ck_assert_ptr_nonnull(want);
    for (int pipe = 0; pipe < 2; pipe++) {
        tu_membuf mem = {0};
        zimu_job *job = tu_job(pipe ? NULL : in, srt, out);
        ck_assert_msg(job != NULL, "%s", tu_err());
        if (pipe) {
            TU_OK(tu_read_file(in, &mem.data, &mem.size));
            ck_assert_int_eq(zimu_job_set_input_io(job, tu_mem_read, NULL, &mem, "pipe.ts"), 0);
        }
        ck_assert_int_eq(zimu_job_set_overwrite(job, 1), 0);
        ck_assert_int_eq(zimu_job_set_trim(job, 15000, 16000), 0);
        TU_RUN_OK(job);
        ck_assert_int_eq(zimu_job_stats(job)->frames, 30);
        ck_assert_int_eq(zimu_job_damage_count(job), 0);
        zimu_job_free(&job);
        tu_membuf_free(&mem);
        tu_video v;
        TU_OK(tu_read_video(out, &v, 1));
        ck_assert_int_eq(v.n, 30);
        /* the top rows hold no caption: they are the source's frame */
        for (int i = 0; i < 30; i += 29) {
            tu_clip_frame(&o, k + i, want, want + o.width * o.height,
                          want + o.width * o.height + o.width * o.height / 4);
            int got = v.f[i].y[100 * o.width + o.width / 2], exp = want[100 * o.width + o.width / 2];
            ck_assert_msg(got == exp, "%s: output frame %d has luma %d, source frame %d has %d",
                          pipe ? "pipe" : "file", i, got, k + i, exp);
        }
        tu_video_free(&v);
        tu_audio a;
        TU_OK(tu_read_audio(out, &a));
        ck_assert_msg(a.present && a.n > 0, "no sound");
        double a0 = tu_pts_sec(a.p[0].pts, a.time_base);
        double a1 = tu_pts_sec(a.p[a.n - 1].pts + a.p[a.n - 1].duration, a.time_base);
        ck_assert_msg(a0 < 0.05 && a1 > 0.9 && a1 < 1.1, "sound covers %.3f-%.3f s", a0, a1);
        tu_audio_free(&a);
    }
    tu_video_free(&src);
    free(want);
    free(in);
    free(out);
    free(srt);
}
END_TEST

/* ---- scale: a trim near the end of a two-hour recording ---------------- */

#define SEG_FRAMES 300 /* 10 s at 30 fps */
#define SEG_COPIES 720 /* two hours */

/* Frame k of the segment: flat grey 480x270 with a 16x16 block whose luma
 * is 40 + 23k mod 140 (distinct for 140 frames in a row; neighbours
 * differ by 23 or more). Scaled 4x (nearest) to 1080p by the ffmpeg
 * program. */
static int seg_luma(int k)
{
    return 40 + (k * 23) % 140;
}

static void paint_seg(void *opaque, int k, uint8_t *buf, size_t size)
{
    (void)opaque;
    const int w = 480; /* x 270 */
    memset(buf, 128, size);
    for (int y = 8; y < 24; y++)
        memset(buf + (size_t)y * w + 8, seg_luma(k), 16);
}

typedef struct watchdog {
    zimu_job *job;
    double limit;
    int fired;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
} watchdog;

/* Cancel the job if it runs past limit (a decode from the start would take
 * minutes; the test says so in seconds instead). */
static void *watch(void *opaque)
{
    watchdog *w = opaque;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)w->limit;
    pthread_mutex_lock(&w->mu);
    while (!w->done)
        if (pthread_cond_timedwait(&w->cv, &w->mu, &ts) == ETIMEDOUT) {
            w->fired = 1;
            zimu_job_cancel(w->job);
            break;
        }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* A two-hour 1080p recording (a 10-second clip with sound, keyframes every
 * 2 s, stream-copied 720 times: about 50 MB, made in seconds). A trim of
 * 1.5 s at 1:59:01.5 must seek: the first frame is encoded within 2 s of
 * CPU (decoding the two hours before it would take minutes), and it is
 * exactly the frame at the trim point. The CLI's --from/--to does the same
 * in a few seconds. */
START_TEST(trim_near_end_of_two_hours)
{
    char *seg = tu_path(dir, "seg.mp4"), *list = tu_path(dir, "list.txt");
    char *rec = tu_path(dir, "recording.mp4"), *out = tu_path(dir, "out.mp4");
    make_raw_clip(seg, "gray", 480, 270, SEG_FRAMES, (size_t)480 * 270, paint_seg, NULL,
                  "-f lavfi -i sine=f=440:d=10 -vf scale=1920:1080:flags=neighbor "
                  "-c:v libx264 -preset ultrafast -crf 30 -g 60 -pix_fmt yuv420p "
                  "-c:a aac -b:a 24k -shortest");
    /* Each copy lasts exactly 10 s (the sound's last AAC frame would
     * overhang it), so frame j of the recording is frame j % 300 of the
     * clip. */
    FILE *f = fopen(list, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < SEG_COPIES; i++)
        fprintf(f, "file '%s'\nduration 10\noutpoint 10\n", seg);
    ck_assert_int_eq(fclose(f), 0);
    const char *argv[] = {"ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "concat",
                          "-safe", "0", "-i", list, "-c", "copy", rec, NULL};
    TU_OK(tu_run(argv));

    /* Where frame 0 of the video lies on the file's timeline (the sound's
     * encoder delay moves it a little). */
    AVFormatContext *fc = NULL;
    ck_assert_int_ge(avformat_open_input(&fc, rec, NULL, NULL), 0);
    ck_assert_int_ge(avformat_find_stream_info(fc, NULL), 0);
    int vi = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    ck_assert_int_ge(vi, 0);
    AVStream *vs = fc->streams[vi];
    int64_t v0_us = av_rescale_q(vs->start_time, vs->time_base, AV_TIME_BASE_Q) -
                    (fc->start_time != AV_NOPTS_VALUE ? fc->start_time : 0);
    ck_assert_msg(vs->nb_frames == SEG_FRAMES * SEG_COPIES && vs->codecpar->height == 1080,
                  "premise: %" PRId64 " frames, height %d", vs->nb_frames, vs->codecpar->height);
    ck_assert_msg(fc->duration > 7190 * (int64_t)AV_TIME_BASE, "premise: %" PRId64,
                  fc->duration);
    avformat_close_input(&fc);

    const int64_t from_ms = 7141500, to_ms = 7143000; /* 1:59:01.5 - 1:59:03 */
    /* The first frame at or after from_ms (frame times as the pipeline
     * reads them: milliseconds, floored). */
    double jf = (from_ms * 1000.0 - v0_us) * 30 / 1e6;
    int64_t j = (int64_t)ceil(jf);
    ck_assert_msg(j - jf > 0.05, "premise: the trim point is not on a frame's time");
    int k = (int)(j % SEG_FRAMES);
    ck_assert_msg(k % 60 != 0, "premise: the trim point (frame %d of the clip) is not a "
                               "keyframe", k);

    /* A caption over the end of the recording (the trim shifts it). */
    char *srt = tu_write_text(dir, "end.srt", "1\n01:59:00,000 --> 02:00:00,000\n字幕 Caption\n");
    ck_assert_ptr_nonnull(srt);
    logged l = {{0}, 0};
    zimu_job *job = tu_job(rec, srt, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_log(job, on_log, &l, ZIMU_LOG_WARNING), 0);
    ck_assert_int_eq(zimu_job_set_crf(job, 23), 0);
    ck_assert_int_eq(zimu_job_set_trim(job, from_ms, to_ms), 0);
    progress_seen ps = {.t0 = now(), .cpu0 = cpu_now()};
    ck_assert_int_eq(zimu_job_set_progress(job, on_progress, &ps), 0);
    watchdog w = {.job = job, .limit = 60 * slow(), .mu = PTHREAD_MUTEX_INITIALIZER,
                  .cv = PTHREAD_COND_INITIALIZER};
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, watch, &w), 0);
    ps.t0 = now();
    ps.cpu0 = cpu_now();
    int rc = zimu_job_run(job);
    pthread_mutex_lock(&w.mu);
    w.done = 1;
    pthread_cond_signal(&w.cv);
    pthread_mutex_unlock(&w.mu);
    pthread_join(th, NULL);
    ck_assert_msg(!w.fired, "the trim ran past %.0f s: decoding from the start?", w.limit);
    ck_assert_msg(rc == 0, "%d %s", rc, zimu_job_errmsg(job));
    ck_assert_msg(ps.first_frame_wall > 0, "no progress with a frame");
    printf("trim_near_end_of_two_hours: first frame after %.2f s CPU, %.2f s wall\n",
           ps.first_frame_cpu, ps.first_frame_wall);
    ck_assert_msg(ps.first_frame_cpu < 2 * slow() && ps.first_frame_wall < 15 * slow(),
                  "first frame after %.2f s CPU, %.2f s: decoding from the start?",
                  ps.first_frame_cpu, ps.first_frame_wall);
    ck_assert_msg(l.warnings == 0, "warnings: %s", l.text);
    const zimu_stats *st = zimu_job_stats(job);
    ck_assert_int_eq(st->frames, 45);
    zimu_job_free(&job);

    tu_video v;
    TU_OK(tu_read_video(out, &v, 1));
    ck_assert_msg(v.n == 45 && v.width == 1920 && v.height == 1080, "%d frames %dx%d", v.n,
                  v.width, v.height);
    /* Frame i shows clip frame k + i: the block (at 32..96, scaled 4x). */
    for (int i = 0; i < 3; i++) {
        int y = v.f[i].y[64 * 1920 + 64], want = seg_luma(k + i);
        ck_assert_msg(abs(y - want) <= 6,
                      "output frame %d: block luma %d, expected %d (clip frame %d; frame %d "
                      "would be %d, frame %d %d)",
                      i, y, want, k + i, k + i - 1, seg_luma(k + i - 1), k + i + 1,
                      seg_luma(k + i + 1));
    }
    ck_assert_msg(tu_frame_ms(&v, 0) == 0, "output starts at %" PRId64 " ms",
                  tu_frame_ms(&v, 0));
    /* captions: bright pixels in the lower half */
    int hi = 0;
    for (int y = 540; y < 1080; y += 2)
        for (int x = 0; x < 1920; x += 2)
            hi = v.f[10].y[(size_t)y * 1920 + x] > hi ? v.f[10].y[(size_t)y * 1920 + x] : hi;
    ck_assert_msg(hi > 200, "no caption");
    tu_video_free(&v);
    tu_audio a;
    TU_OK(tu_read_audio(out, &a));
    ck_assert_msg(a.present && a.n > 40, "trimmed output's sound: %d packets", a.n);
    tu_audio_free(&a);
    TU_OK(unlink(out));

    /* The CLI, --from/--to in the user's notation. */
    const char *args[] = {"burn", rec, "-s", srt, "-o", out, "-q", "--preset", "ultrafast",
                          "--from", "1:59:01.5", "--to", "1:59:03", NULL};
    char err[4096];
    double t0 = now();
    int code = tu_zimu(dir, args, err, sizeof err);
    double took = now() - t0;
    ck_assert_msg(code == 0 && err[0] == 0, "exit %d: %s", code, err);
    ck_assert_msg(took < 20 * slow(), "zimu burn --from 1:59:01.5 took %.1f s", took);
    TU_OK(tu_read_video(out, &v, 0));
    ck_assert_int_eq(v.n, 45);
    tu_video_free(&v);
    free(srt);
    free(seg);
    free(list);
    free(rec);
    free(out);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("faults_video");
    TCase *tc = tcase_create("inputs");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, empty_file);
    tcase_add_test(tc, truncated_mp4_without_index);
    tcase_add_test(tc, garbage_named_mp4);
    tcase_add_test(tc, corrupt_frame_in_middle);
    tcase_add_test(tc, audio_only_cli);
    tcase_add_test(tc, no_audio);
    tcase_add_test(tc, tiny_and_odd_sizes);
    tcase_add_test(tc, ten_bit_input);
    tcase_add_test(tc, huge_declared_duration);
    tcase_add_test(tc, vfr_trim_keeps_frame_times);
    tcase_add_test(tc, mix_refuses_a_day);
    tcase_add_test(tc, trim_ts_frame_accurate);
    suite_add_tcase(s, tc);

    tc = tcase_create("scale");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, trim_near_end_of_two_hours);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
