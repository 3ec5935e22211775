/* util_clip.c - test helpers (see util_clip.h). */
#include "util_clip.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "zimu.h"

extern char **environ;

static char tu_errbuf[2048];

const char *tu_err(void)
{
    return tu_errbuf;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tu_errbuf, sizeof tu_errbuf, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_av(int err, const char *what, const char *path)
{
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(err, buf, sizeof buf);
    return fail("%s %s: %s", what, path ? path : "", buf);
}

/* Open path and read its stream info. 0, or -1 with the reason in
 * tu_err(). */
static int open_file(const char *path, AVFormatContext **ic)
{
    int ret = avformat_open_input(ic, path, NULL, NULL);
    if (ret < 0)
        return fail_av(ret, "cannot open", path);
    if ((ret = avformat_find_stream_info(*ic, NULL)) < 0)
        return fail_av(ret, "no stream info in", path);
    return 0;
}

/* An opened decoder for stream st of path. 0, or -1 with the reason in
 * tu_err() (*dec may then be set, for the caller to free). */
static int open_decoder(const char *path, const AVStream *st, AVCodecContext **dec)
{
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        return fail("%s: no decoder for %s", path, avcodec_get_name(st->codecpar->codec_id));
    *dec = avcodec_alloc_context3(codec);
    if (!*dec || avcodec_parameters_to_context(*dec, st->codecpar) < 0)
        return fail("out of memory");
    (*dec)->pkt_timebase = st->time_base;
    int ret = avcodec_open2(*dec, codec, NULL);
    return ret < 0 ? fail_av(ret, "cannot open decoder for", path) : 0;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

/* ---- files and directories --------------------------------------------- */

char *tu_mkdtemp(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char *t = tu_path(base, "zimu-test-XXXXXX");
    if (!mkdtemp(t)) {
        fail("mkdtemp %s: %s", t, strerror(errno));
        free(t);
        return NULL;
    }
    return t;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p) ? -1 : 0;
}

int tu_rmtree(const char *dir)
{
    if (!dir)
        return 0;
    if (nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        return fail("cannot remove %s: %s", dir, strerror(errno));
    return 0;
}

static char *suite_dir;

void tu_suite_setup(void)
{
    if (!suite_dir)
        suite_dir = tu_mkdtemp();
    if (!suite_dir) {
        fprintf(stderr, "tu_suite_setup: %s\n", tu_err());
        abort();
    }
}

void tu_suite_teardown(void)
{
    if (suite_dir) {
        tu_rmtree(suite_dir);
        free(suite_dir);
        suite_dir = NULL;
    }
}

char *tu_test_dir(void)
{
    if (!suite_dir)
        return tu_mkdtemp();
    char *t = tu_path(suite_dir, "t-XXXXXX");
    if (!mkdtemp(t)) {
        fail("mkdtemp %s: %s", t, strerror(errno));
        free(t);
        return NULL;
    }
    return t;
}

void tu_test_dir_done(char *dir)
{
    if (!dir)
        return;
    tu_rmtree(dir);
    free(dir);
}

char *tu_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = xmalloc(a + b + 2);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

int tu_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return fail("cannot create %s: %s", path, strerror(errno));
    size_t n = fwrite(data, 1, size, f);
    if (fclose(f) != 0 || n != size)
        return fail("cannot write %s", path);
    return 0;
}

char *tu_write_text(const char *dir, const char *name, const char *text)
{
    char *p = tu_path(dir, name);
    if (tu_write_file(p, text, strlen(text)) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

int tu_read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail("cannot open %s: %s", path, strerror(errno));
    size_t cap = 65536, n = 0;
    uint8_t *b = xmalloc(cap);
    for (;;) {
        if (n == cap)
            b = xrealloc(b, cap *= 2);
        size_t r = fread(b + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(b);
        return fail("cannot read %s", path);
    }
    *data = b;
    *size = n;
    return 0;
}

int tu_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int tu_dir_list(const char *dir, char *names, size_t names_size)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail("cannot open directory %s: %s", dir, strerror(errno));
    int n = 0;
    size_t used = 0;
    if (names && names_size)
        names[0] = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        if (names && names_size > used + 1) {
            int w = snprintf(names + used, names_size - used, "%s%s",
                             used ? " " : "", e->d_name);
            if (w > 0)
                used += (size_t)w;
            if (used >= names_size)
                used = names_size - 1;
        }
    }
    closedir(d);
    return n;
}

char *tu_tmpdir_push(const char *dir)
{
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", dir, 1);
    return saved;
}

void tu_tmpdir_pop(char *saved)
{
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
}

int tu_stderr_to(const char *path)
{
    fflush(stderr);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return fail("cannot create %s: %s", path, strerror(errno));
    int saved = dup(2);
    if (saved < 0 || dup2(fd, 2) < 0) {
        close(fd);
        return fail("dup: %s", strerror(errno));
    }
    close(fd);
    return saved;
}

void tu_stderr_restore(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
}

/* Spawn argv with stdin from in_fd (-1: /dev/null) and output into log. */
static int spawn(const char *const argv[], int in_fd, int close_fd,
                 const char *log, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (in_fd >= 0) {
        posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
        posix_spawn_file_actions_addclose(&fa, in_fd);
    } else {
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    }
    if (close_fd >= 0)
        posix_spawn_file_actions_addclose(&fa, close_fd);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    int rc = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return fail("cannot run %s: %s", argv[0], strerror(rc));
    return 0;
}

/* Wait for pid; on failure put the command and the log's tail in tu_err. */
static int finish(pid_t pid, const char *const argv[], const char *log)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return fail("waitpid: %s", strerror(errno));
    }
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        char cmd[1024] = "";
        size_t u = 0;
        for (int i = 0; argv[i] && u < sizeof cmd - 1; i++) {
            int w = snprintf(cmd + u, sizeof cmd - u, "%s ", argv[i]);
            if (w < 0)
                break;
            u += (size_t)w;
        }
        char tail[800] = "";
        FILE *f = fopen(log, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            long sz = ftell(f);
            fseek(f, sz > 700 ? sz - 700 : 0, SEEK_SET);
            size_t r = fread(tail, 1, sizeof tail - 1, f);
            tail[r] = 0;
            fclose(f);
        }
        unlink(log);
        return fail("command failed (status %d): %s\n%s", status, cmd, tail);
    }
    unlink(log);
    return 0;
}

static char *log_path(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char *p = tu_path(base, "zimu-test-log-XXXXXX");
    int fd = mkstemp(p);
    if (fd >= 0)
        close(fd);
    return p;
}

int tu_run(const char *const argv[])
{
    char *log = log_path();
    pid_t pid;
    int rc = spawn(argv, -1, -1, log, &pid);
    if (rc == 0)
        rc = finish(pid, argv, log);
    else
        unlink(log);
    free(log);
    return rc;
}

/* ---- frames ------------------------------------------------------------ */

static const uint8_t RED[3] = {81, 90, 240};   /* BT.601 limited */
static const uint8_t GREEN[3] = {145, 54, 34};

void tu_clip_bg(int bg, int k, uint8_t yuv[3])
{
    switch (bg) {
    case TU_BG_BLACK:
        yuv[0] = 16; yuv[1] = 128; yuv[2] = 128;
        break;
    case TU_BG_GREY:
        yuv[0] = 128; yuv[1] = 128; yuv[2] = 128;
        break;
    default: /* cycle: Y in [40, 180), 140 distinct values in a row */
        yuv[0] = (uint8_t)(40 + (k * 23) % 140);
        yuv[1] = (uint8_t)(96 + (k * 7) % 64);
        yuv[2] = (uint8_t)(96 + (k * 13) % 64);
        break;
    }
}

static void fill_rect(uint8_t *y, uint8_t *u, uint8_t *v, int w, int h,
                      int x0, int y0, int rw, int rh, const uint8_t c[3])
{
    int cw = (w + 1) / 2;
    for (int j = y0; j < y0 + rh && j < h; j++)
        memset(y + (size_t)j * w + x0, c[0], (size_t)rw);
    for (int j = y0 / 2; j < (y0 + rh) / 2 && j < (h + 1) / 2; j++) {
        memset(u + (size_t)j * cw + x0 / 2, c[1], (size_t)rw / 2);
        memset(v + (size_t)j * cw + x0 / 2, c[2], (size_t)rw / 2);
    }
}

void tu_clip_frame(const tu_clip_opts *o, int k, uint8_t *y, uint8_t *u,
                   uint8_t *v)
{
    int w = o->width, h = o->height, cw = (w + 1) / 2, ch = (h + 1) / 2;
    if (o->bg == TU_BG_CHECKER) {
        static const uint8_t A[3] = {200, 80, 160}, B[3] = {90, 170, 100};
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++)
                y[(size_t)j * w + i] = (((i / 40) + (j / 40)) & 1) ? B[0] : A[0];
        for (int j = 0; j < ch; j++)
            for (int i = 0; i < cw; i++) {
                int b = ((i / 20) + (j / 20)) & 1;
                u[(size_t)j * cw + i] = b ? B[1] : A[1];
                v[(size_t)j * cw + i] = b ? B[2] : A[2];
            }
    } else {
        uint8_t c[3];
        tu_clip_bg(o->bg, k, c);
        memset(y, c[0], (size_t)w * h);
        memset(u, c[1], (size_t)cw * ch);
        memset(v, c[2], (size_t)cw * ch);
    }
    if (o->markers && w >= 80 && h >= 40) {
        fill_rect(y, u, v, w, h, 0, 0, 40, 40, RED);
        fill_rect(y, u, v, w, h, w - 40, 0, 40, 40, GREEN);
    }
}

int tu_xform_inverse(int xform)
{
    if (xform == TU_XF_ROT90)
        return TU_XF_ROT270;
    if (xform == TU_XF_ROT270)
        return TU_XF_ROT90;
    return xform;
}

void tu_xform_plane(const uint8_t *src, int sw, int sh, uint8_t *dst,
                    int xform)
{
    int swap = xform == TU_XF_ROT90 || xform == TU_XF_ROT270;
    int dw = swap ? sh : sw, dh = swap ? sw : sh;
    for (int dy = 0; dy < dh; dy++)
        for (int dx = 0; dx < dw; dx++) {
            int sx, sy;
            switch (xform) {
            case TU_XF_ROT90:  sx = dy;          sy = sh - 1 - dx; break;
            case TU_XF_ROT180: sx = sw - 1 - dx; sy = sh - 1 - dy; break;
            case TU_XF_ROT270: sx = sw - 1 - dy; sy = dx;          break;
            case TU_XF_HFLIP:  sx = sw - 1 - dx; sy = dy;          break;
            default:           sx = dx;          sy = dy;          break;
            }
            dst[(size_t)dy * dw + dx] = src[(size_t)sy * sw + sx];
        }
}

/* ---- making clips ------------------------------------------------------ */

void tu_clip_defaults(tu_clip_opts *o)
{
    memset(o, 0, sizeof *o);
    o->width = 320;
    o->height = 568;
    o->fps_num = 30;
    o->fps_den = 1;
    o->frames = 60;
    o->bg = TU_BG_CYCLE;
    o->markers = 1;
    o->audio = TU_AUDIO_AAC;
    o->bframes = -1;
}

static const char *ext_of(const char *path)
{
    const char *s = strrchr(path, '/');
    const char *d = strrchr(s ? s : path, '.');
    return d ? d : "";
}

static int write_all(int fd, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Encode the raw frames of o to path with the ffmpeg program. */
static int encode_clip(const char *path, const tu_clip_opts *o)
{
    int swap = o->xform == TU_XF_ROT90 || o->xform == TU_XF_ROT270;
    int sw = swap ? o->height : o->width, sh = swap ? o->width : o->height;
    char size[32], rate[32], sine[128], bf[16], offs[32];
    snprintf(size, sizeof size, "%dx%d", sw, sh);
    snprintf(rate, sizeof rate, "%d/%d", o->fps_num, o->fps_den);
    double secs = (double)o->frames * o->fps_den / o->fps_num;
    snprintf(sine, sizeof sine,
             "sine=frequency=440:sample_rate=48000:duration=%.6f", secs);
    int bframes = o->vfr ? 0 : o->bframes;
    snprintf(bf, sizeof bf, "%d", bframes);
    snprintf(offs, sizeof offs, "%.6f", o->ts_offset);
    const char *ext = ext_of(path);
    int isomp4 = !strcmp(ext, ".mp4") || !strcmp(ext, ".mov");

    const char *argv[80];
    int n = 0;
#define A(s) (argv[n++] = (s))
    A("ffmpeg"); A("-hide_banner"); A("-nostdin"); A("-nostats");
    A("-loglevel"); A("error"); A("-y");
    A("-f"); A("rawvideo"); A("-pix_fmt"); A(o->hlg ? "yuv420p10le" : "yuv420p");
    A("-s"); A(size); A("-framerate"); A(rate); A("-i"); A("pipe:0");
    if (o->audio) {
        A("-f"); A("lavfi"); A("-i"); A(sine);
    }
    A("-map"); A("0:v");
    if (o->audio) {
        A("-map"); A("1:a");
    }
    if (o->hlg) {
        A("-c:v"); A("libx265"); A("-preset"); A("ultrafast");
        A("-x265-params"); A("log-level=error");
        A("-pix_fmt"); A("yuv420p10le");
        A("-color_primaries"); A("bt2020"); A("-color_trc"); A("arib-std-b67");
        A("-colorspace"); A("bt2020nc"); A("-color_range"); A("tv");
        if (isomp4) {
            A("-tag:v"); A("hvc1");
        }
    } else if (o->codec == TU_CODEC_HEVC) {
        A("-c:v"); A("libx265"); A("-preset"); A("ultrafast");
        A("-x265-params"); A("lossless=1:log-level=error");
        A("-pix_fmt"); A("yuv420p");
        if (isomp4) {
            A("-tag:v"); A("hvc1");
        }
    } else if (o->codec == TU_CODEC_VP9) {
        A("-c:v"); A("libvpx-vp9"); A("-lossless"); A("1");
        A("-deadline"); A("realtime"); A("-cpu-used"); A("8");
        A("-pix_fmt"); A("yuv420p");
    } else if (o->codec == TU_CODEC_AV1) {
        A("-c:v"); A("libaom-av1"); A("-aom-params"); A("lossless=1");
        A("-cpu-used"); A("8"); A("-pix_fmt"); A("yuv420p");
    } else {
        A("-c:v"); A("libx264"); A("-preset"); A("veryfast"); A("-qp"); A("0");
        A("-pix_fmt"); A("yuv420p");
        if (bframes >= 0) {
            A("-bf"); A(bf);
        }
    }
    switch (o->audio) {
    case TU_AUDIO_AAC: A("-c:a"); A("aac"); A("-b:a"); A("96k"); break;
    case TU_AUDIO_MP3: A("-c:a"); A("libmp3lame"); A("-b:a"); A("96k"); break;
    case TU_AUDIO_PCM: A("-c:a"); A("pcm_s16le"); break;
    case TU_AUDIO_OPUS: A("-c:a"); A("libopus"); A("-b:a"); A("64k"); break;
    }
    if (isomp4 && o->vfr) {
        A("-video_track_timescale"); A("90000");
    }
    if (o->ts_offset != 0) {
        A("-output_ts_offset"); A(offs);
    }
    if (!strcmp(ext, ".ts")) {
        /* no 1.4 s mux delay: the stream starts at ts_offset */
        A("-muxdelay"); A("0"); A("-muxpreload"); A("0");
    }
    A(path);
    A(NULL);
#undef A

    int fds[2];
    if (pipe(fds) < 0)
        return fail("pipe: %s", strerror(errno));
    signal(SIGPIPE, SIG_IGN);
    char *log = log_path();
    pid_t pid;
    if (spawn(argv, fds[0], fds[1], log, &pid) < 0) {
        close(fds[0]);
        close(fds[1]);
        unlink(log);
        free(log);
        return -1;
    }
    close(fds[0]);

    int dw = o->width, dh = o->height;
    size_t ysz = (size_t)dw * dh, csz = (size_t)((dw + 1) / 2) * ((dh + 1) / 2);
    int werr = 0;
    if (o->hlg) {
        /* HLG 38 % (BT.2408 18 % grey): 10-bit narrow Y 64 + 0.38 * 876 */
        size_t tot = ysz + 2 * csz;
        uint16_t *buf = xmalloc(tot * 2);
        for (size_t i = 0; i < tot; i++)
            buf[i] = i < ysz ? 397 : 512;
        for (int k = 0; k < o->frames && !werr; k++)
            werr = write_all(fds[1], buf, tot * 2);
        free(buf);
    } else {
        uint8_t *d = xmalloc(ysz + 2 * csz), *s = xmalloc(ysz + 2 * csz);
        int inv = tu_xform_inverse(o->xform);
        for (int k = 0; k < o->frames && !werr; k++) {
            tu_clip_frame(o, k, d, d + ysz, d + ysz + csz);
            const uint8_t *out = d;
            if (o->xform != TU_XF_NONE) {
                /* display (dw x dh) -> stored (sw x sh) */
                tu_xform_plane(d, dw, dh, s, inv);
                tu_xform_plane(d + ysz, (dw + 1) / 2, (dh + 1) / 2, s + ysz, inv);
                tu_xform_plane(d + ysz + csz, (dw + 1) / 2, (dh + 1) / 2,
                               s + ysz + csz, inv);
                out = s;
            }
            werr = write_all(fds[1], out, ysz + 2 * csz);
        }
        free(d);
        free(s);
    }
    close(fds[1]);
    int rc = finish(pid, argv, log);
    free(log);
    if (rc == 0 && werr)
        rc = fail("writing frames to ffmpeg failed");
    return rc;
}

int tu_make_clip(const char *path, const tu_clip_opts *o)
{
    if (o->width <= 0 || o->height <= 0 || (o->width | o->height) & 1 ||
        o->frames <= 0 || o->fps_num <= 0 || o->fps_den <= 0)
        return fail("tu_make_clip: bad options");
    if (o->hlg && (o->xform || o->vfr || o->codec))
        return fail("tu_make_clip: hlg with xform/vfr/codec not supported");
    if (o->vfr && o->codec)
        return fail("tu_make_clip: vfr needs H.264 (no B-frames)");
    if (!o->xform && !o->vfr)
        return encode_clip(path, o);
    const char *ext = ext_of(path);
    size_t n = strlen(path);
    char *stage = xmalloc(n + 32);
    snprintf(stage, n + 32, "%.*s.stage%s", (int)(n - strlen(ext)), path, ext);
    int rc = encode_clip(stage, o);
    if (rc == 0)
        rc = tu_remux(stage, path, o->xform, o->vfr);
    unlink(stage);
    free(stage);
    return rc;
}

int tu_make_audio_only(const char *path, double seconds)
{
    char sine[128];
    snprintf(sine, sizeof sine,
             "sine=frequency=440:sample_rate=48000:duration=%.3f", seconds);
    const char *argv[] = {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel",
                          "error", "-y", "-f", "lavfi", "-i", sine, "-c:a",
                          "aac", "-b:a", "96k", path, NULL};
    return tu_run(argv);
}

/* VFR durations in 1/90000: 33.3, 50, 16.7, 66.7, 30 ms. */
static const int64_t VFR_DUR[5] = {3000, 4500, 1500, 6000, 2700};

int tu_remux(const char *in, const char *out, int xform, int vfr)
{
    AVFormatContext *ic = NULL, *oc = NULL;
    AVPacket *pkt = av_packet_alloc();
    int rc = -1, ret, vidx = -1;
    int64_t vcount = 0, vtime = 0;
    if (!pkt)
        return fail("out of memory");
    if (open_file(in, &ic) < 0)
        goto end;
    if ((ret = avformat_alloc_output_context2(&oc, NULL, NULL, out)) < 0) {
        fail_av(ret, "cannot create muxer for", out);
        goto end;
    }
    for (unsigned i = 0; i < ic->nb_streams; i++) {
        AVStream *is = ic->streams[i], *os = avformat_new_stream(oc, NULL);
        if (!os) {
            fail("out of memory");
            goto end;
        }
        avcodec_parameters_copy(os->codecpar, is->codecpar);
        os->codecpar->codec_tag = 0;
        os->time_base = is->time_base;
        if (is->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && vidx < 0) {
            vidx = (int)i;
            os->avg_frame_rate = is->avg_frame_rate;
            if (xform != TU_XF_NONE) {
                uint8_t *sd = av_stream_new_side_data(
                    os, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t));
                if (!sd) {
                    fail("out of memory");
                    goto end;
                }
                int32_t *m = (int32_t *)sd;
                switch (xform) {
                /* A phone clip shown rotated 90 degrees clockwise (old tag
                 * rotate=90) has av_display_rotation_get() == -90, which
                 * ffprobe prints as "rotation of -90.00 degrees";
                 * av_display_rotation_set(m, 90) makes that matrix (set
                 * takes the clockwise angle, get returns the
                 * counterclockwise one). Checked against the ffmpeg
                 * program's autorotate in check_clips.c. */
                case TU_XF_ROT90:  av_display_rotation_set(m, 90);  break;
                case TU_XF_ROT180: av_display_rotation_set(m, 180); break;
                case TU_XF_ROT270: av_display_rotation_set(m, -90); break;
                case TU_XF_HFLIP:
                    av_display_rotation_set(m, 0);
                    av_display_matrix_flip(m, 1, 0);
                    break;
                }
            }
        }
    }
    if (!(oc->oformat->flags & AVFMT_NOFILE) &&
        (ret = avio_open(&oc->pb, out, AVIO_FLAG_WRITE)) < 0) {
        fail_av(ret, "cannot create", out);
        goto end;
    }
    if ((ret = avformat_write_header(oc, NULL)) < 0) {
        fail_av(ret, "cannot write header of", out);
        goto end;
    }
    while ((ret = av_read_frame(ic, pkt)) >= 0) {
        int si = pkt->stream_index;
        AVStream *is = ic->streams[si], *os = oc->streams[si];
        if (si == vidx && vfr) {
            if (pkt->pts != pkt->dts) {
                av_packet_unref(pkt);
                fail("tu_remux: vfr needs a stream without B-frames");
                goto end;
            }
            AVRational k90 = {1, 90000};
            int64_t d = VFR_DUR[vcount % 5];
            pkt->pts = pkt->dts = av_rescale_q(vtime, k90, is->time_base);
            pkt->duration = av_rescale_q(vtime + d, k90, is->time_base) - pkt->pts;
            vtime += d;
            vcount++;
        }
        av_packet_rescale_ts(pkt, is->time_base, os->time_base);
        pkt->pos = -1;
        if ((ret = av_interleaved_write_frame(oc, pkt)) < 0) {
            fail_av(ret, "cannot write packet to", out);
            goto end;
        }
    }
    if ((ret = av_write_trailer(oc)) < 0) {
        fail_av(ret, "cannot finish", out);
        goto end;
    }
    rc = 0;
end:
    av_packet_free(&pkt);
    avformat_close_input(&ic);
    if (oc) {
        if (!(oc->oformat->flags & AVFMT_NOFILE))
            avio_closep(&oc->pb);
        avformat_free_context(oc);
    }
    if (rc < 0)
        unlink(out);
    return rc;
}

int tu_make_avs2_mkv(const char *path)
{
    AVFormatContext *oc = NULL;
    AVPacket *pkt = av_packet_alloc();
    int rc = -1, ret;
    if (!pkt)
        return fail("out of memory");
    if ((ret = avformat_alloc_output_context2(&oc, NULL, "matroska", path)) < 0) {
        fail_av(ret, "cannot create muxer for", path);
        goto end;
    }
    AVStream *st = avformat_new_stream(oc, NULL);
    if (!st) {
        fail("out of memory");
        goto end;
    }
    st->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
    st->codecpar->codec_id = AV_CODEC_ID_AVS2;
    st->codecpar->width = 320;
    st->codecpar->height = 568;
    st->time_base = (AVRational){1, 1000};
    if ((ret = avio_open(&oc->pb, path, AVIO_FLAG_WRITE)) < 0) {
        fail_av(ret, "cannot create", path);
        goto end;
    }
    if ((ret = avformat_write_header(oc, NULL)) < 0) {
        fail_av(ret, "cannot write header of", path);
        goto end;
    }
    for (int k = 0; k < 10; k++) {
        if ((ret = av_new_packet(pkt, 64)) < 0) {
            fail_av(ret, "av_new_packet", NULL);
            goto end;
        }
        /* an AVS2 sequence header start code, then filler */
        static const uint8_t start[4] = {0, 0, 1, 0xB0};
        memset(pkt->data, 0x5A, 64);
        memcpy(pkt->data, start, 4);
        pkt->pts = pkt->dts = k * 40;
        pkt->duration = 40;
        pkt->flags = k == 0 ? AV_PKT_FLAG_KEY : 0;
        pkt->stream_index = 0;
        av_packet_rescale_ts(pkt, (AVRational){1, 1000}, st->time_base);
        if ((ret = av_interleaved_write_frame(oc, pkt)) < 0) {
            fail_av(ret, "cannot write packet to", path);
            goto end;
        }
    }
    if ((ret = av_write_trailer(oc)) < 0) {
        fail_av(ret, "cannot finish", path);
        goto end;
    }
    rc = 0;
end:
    av_packet_free(&pkt);
    if (oc) {
        avio_closep(&oc->pb);
        avformat_free_context(oc);
    }
    if (rc < 0)
        unlink(path);
    return rc;
}

/* ---- reading media back ------------------------------------------------ */

static int store_frame(tu_video *v, const AVFrame *fr, struct SwsContext **sws,
                       int keep)
{
    if (v->n % 64 == 0)
        v->f = xrealloc(v->f, sizeof *v->f * (size_t)(v->n + 64));
    tu_frame *t = &v->f[v->n];
    memset(t, 0, sizeof *t);
    t->pts = fr->best_effort_timestamp;
    if (keep) {
        int w = fr->width, h = fr->height;
        if (v->n == 0) {
            v->cw = (w + 1) / 2;
            v->ch = (h + 1) / 2;
        } else if (w != v->width || h != v->height) {
            return fail("frame %d is %dx%d, stream is %dx%d", v->n, w, h,
                        v->width, v->height);
        }
        size_t ysz = (size_t)w * h, csz = (size_t)v->cw * v->ch;
        uint8_t *buf = xmalloc(ysz + 2 * csz);
        t->y = buf;
        t->u = buf + ysz;
        t->v = buf + ysz + csz;
        if (fr->format == AV_PIX_FMT_YUV420P) {
            av_image_copy_plane(t->y, w, fr->data[0], fr->linesize[0], w, h);
            av_image_copy_plane(t->u, v->cw, fr->data[1], fr->linesize[1], v->cw, v->ch);
            av_image_copy_plane(t->v, v->cw, fr->data[2], fr->linesize[2], v->cw, v->ch);
        } else {
            *sws = sws_getCachedContext(*sws, w, h, fr->format, w, h,
                                        AV_PIX_FMT_YUV420P, SWS_POINT, NULL,
                                        NULL, NULL);
            if (!*sws) {
                free(buf);
                return fail("no conversion from %s",
                            av_get_pix_fmt_name(fr->format));
            }
            uint8_t *dst[4] = {t->y, t->u, t->v, NULL};
            int dls[4] = {w, v->cw, v->cw, 0};
            sws_scale(*sws, (const uint8_t *const *)fr->data, fr->linesize, 0,
                      h, dst, dls);
        }
    }
    v->n++;
    return 0;
}

int tu_read_video(const char *path, tu_video *v, int keep)
{
    memset(v, 0, sizeof *v);
    AVFormatContext *ic = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *fr = av_frame_alloc();
    struct SwsContext *sws = NULL;
    int rc = -1, ret;
    if (!pkt || !fr) {
        fail("out of memory");
        goto end;
    }
    if (open_file(path, &ic) < 0)
        goto end;
    int si = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (si < 0) {
        fail("%s: no video stream", path);
        goto end;
    }
    AVStream *st = ic->streams[si];
    AVCodecParameters *par = st->codecpar;
    snprintf(v->format, sizeof v->format, "%s", ic->iformat->name);
    v->fmt_start_us = ic->start_time == AV_NOPTS_VALUE ? 0 : ic->start_time;
    v->width = par->width;
    v->height = par->height;
    v->pix_fmt = par->format;
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(par->format);
    v->bits = d ? d->comp[0].depth : 0;
    v->codec_id = par->codec_id;
    v->profile = par->profile;
    v->color_primaries = par->color_primaries;
    v->color_trc = par->color_trc;
    v->colorspace = par->color_space;
    v->color_range = par->color_range;
    v->time_base = st->time_base;
    v->stream_start = st->start_time;
    size_t sdsize = 0;
    const uint8_t *sd = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &sdsize);
    if (sd && sdsize >= 9 * sizeof(int32_t)) {
        v->has_displaymatrix = 1;
        v->rotation = av_display_rotation_get((const int32_t *)sd);
    }
    v->cw = (v->width + 1) / 2;
    v->ch = (v->height + 1) / 2;

    if (open_decoder(path, st, &dec) < 0)
        goto end;
    int eof = 0;
    while (!eof) {
        ret = av_read_frame(ic, pkt);
        if (ret == AVERROR_EOF) {
            eof = 1;
            ret = avcodec_send_packet(dec, NULL);
        } else if (ret < 0) {
            fail_av(ret, "read error in", path);
            goto end;
        } else if (pkt->stream_index != si) {
            av_packet_unref(pkt);
            continue;
        } else {
            ret = avcodec_send_packet(dec, pkt);
            av_packet_unref(pkt);
        }
        if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) {
            fail_av(ret, "decode error in", path);
            goto end;
        }
        for (;;) {
            ret = avcodec_receive_frame(dec, fr);
            if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
                break;
            if (ret < 0) {
                fail_av(ret, "decode error in", path);
                goto end;
            }
            if (v->n == 0 && keep) {
                v->width = fr->width;
                v->height = fr->height;
            }
            int r2 = store_frame(v, fr, &sws, keep);
            av_frame_unref(fr);
            if (r2 < 0)
                goto end;
        }
    }
    rc = 0;
end:
    sws_freeContext(sws);
    av_frame_free(&fr);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&ic);
    if (rc < 0) {
        char keep_err[sizeof tu_errbuf];
        memcpy(keep_err, tu_errbuf, sizeof keep_err);
        tu_video_free(v);
        memcpy(tu_errbuf, keep_err, sizeof keep_err);
    }
    return rc;
}

void tu_video_free(tu_video *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->n; i++)
        free(v->f[i].y);
    free(v->f);
    memset(v, 0, sizeof *v);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int64_t tu_frame_ms(const tu_video *v, int i)
{
    /* (pts * num / den - start_us / 1e6) * 1000, floored, exactly */
    int64_t num = v->time_base.num, den = v->time_base.den;
    int64_t us_den = v->f[i].pts * num * 1000000 - v->fmt_start_us * den;
    return floor_div(us_den, 1000 * den);
}

double tu_pts_sec(int64_t pts, AVRational tb)
{
    return (double)pts * tb.num / tb.den;
}

int tu_read_image_rgb(const char *path, int *w, int *h, uint8_t **rgb)
{
    AVFormatContext *ic = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *fr = av_frame_alloc();
    struct SwsContext *sws = NULL;
    int rc = -1, ret;
    if (!pkt || !fr) {
        fail("out of memory");
        goto end;
    }
    if (open_file(path, &ic) < 0)
        goto end;
    int si = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (si < 0) {
        fail("%s: no image stream", path);
        goto end;
    }
    if (open_decoder(path, ic->streams[si], &dec) < 0)
        goto end;
    int got = 0;
    while (!got && (ret = av_read_frame(ic, pkt)) >= 0) {
        if (pkt->stream_index == si) {
            avcodec_send_packet(dec, pkt);
            if (avcodec_receive_frame(dec, fr) == 0)
                got = 1;
        }
        av_packet_unref(pkt);
    }
    if (!got) {
        avcodec_send_packet(dec, NULL);
        if (avcodec_receive_frame(dec, fr) == 0)
            got = 1;
    }
    if (!got) {
        fail("%s: no frame decoded", path);
        goto end;
    }
    *w = fr->width;
    *h = fr->height;
    sws = sws_getContext(fr->width, fr->height, fr->format, fr->width,
                         fr->height, AV_PIX_FMT_RGB24, SWS_POINT, NULL, NULL, NULL);
    if (!sws) {
        fail("%s: no conversion to RGB", path);
        goto end;
    }
    *rgb = xmalloc((size_t)fr->width * fr->height * 3);
    uint8_t *dst[4] = {*rgb, NULL, NULL, NULL};
    int dls[4] = {fr->width * 3, 0, 0, 0};
    sws_scale(sws, (const uint8_t *const *)fr->data, fr->linesize, 0,
              fr->height, dst, dls);
    rc = 0;
end:
    sws_freeContext(sws);
    av_frame_free(&fr);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&ic);
    return rc;
}

int tu_read_audio(const char *path, tu_audio *a)
{
    memset(a, 0, sizeof *a);
    AVFormatContext *ic = NULL;
    AVPacket *pkt = av_packet_alloc();
    int rc = -1, ret;
    if (!pkt) {
        fail("out of memory");
        goto end;
    }
    if (open_file(path, &ic) < 0)
        goto end;
    int si = av_find_best_stream(ic, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (si < 0) {
        rc = 0;
        goto end;
    }
    AVStream *st = ic->streams[si];
    a->present = 1;
    a->codec_id = st->codecpar->codec_id;
    a->sample_rate = st->codecpar->sample_rate;
    a->channels = st->codecpar->ch_layout.nb_channels;
    a->time_base = st->time_base;
    while ((ret = av_read_frame(ic, pkt)) >= 0) {
        if (pkt->stream_index == si) {
            if (a->n % 64 == 0)
                a->p = xrealloc(a->p, sizeof *a->p * (size_t)(a->n + 64));
            tu_packet *p = &a->p[a->n++];
            p->pts = pkt->pts;
            p->dts = pkt->dts;
            p->duration = pkt->duration;
            p->size = pkt->size;
            p->flags = pkt->flags;
            p->data = xmalloc((size_t)pkt->size);
            memcpy(p->data, pkt->data, (size_t)pkt->size);
        }
        av_packet_unref(pkt);
    }
    if (ret != AVERROR_EOF) {
        fail_av(ret, "read error in", path);
        tu_audio_free(a);
        goto end;
    }
    rc = 0;
end:
    av_packet_free(&pkt);
    avformat_close_input(&ic);
    return rc;
}

void tu_audio_free(tu_audio *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->n; i++)
        free(a->p[i].data);
    free(a->p);
    memset(a, 0, sizeof *a);
}

int tu_mp4_faststart(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail("cannot open %s: %s", path, strerror(errno));
    long long pos = 0;
    int moov = -1, mdat = -1, idx = 0;
    for (;;) {
        uint8_t h[16];
        if (fseeko(f, pos, SEEK_SET) != 0 || fread(h, 1, 8, f) != 8)
            break;
        uint64_t size = ((uint64_t)h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
        if (size == 1) {
            if (fread(h + 8, 1, 8, f) != 8)
                break;
            size = 0;
            for (int i = 8; i < 16; i++)
                size = (size << 8) | h[i];
        }
        if (!memcmp(h + 4, "moov", 4) && moov < 0)
            moov = idx;
        if (!memcmp(h + 4, "mdat", 4) && mdat < 0)
            mdat = idx;
        idx++;
        if (size == 0 || size < 8)
            break;
        pos += (long long)size;
    }
    fclose(f);
    if (moov < 0 || mdat < 0)
        return fail("%s: no %s box", path, moov < 0 ? "moov" : "mdat");
    return moov < mdat;
}

/* ---- comparing pixels -------------------------------------------------- */

static void box_add(tu_box *b, int x, int y)
{
    if (b->x1 <= b->x0) {
        b->x0 = x; b->y0 = y; b->x1 = x + 1; b->y1 = y + 1;
        return;
    }
    if (x < b->x0) b->x0 = x;
    if (y < b->y0) b->y0 = y;
    if (x + 1 > b->x1) b->x1 = x + 1;
    if (y + 1 > b->y1) b->y1 = y + 1;
}

long tu_frame_diff_planes(const tu_video *va, int a, const uint8_t *y,
                          const uint8_t *u, const uint8_t *v, int thresh,
                          tu_box *box)
{
    const tu_frame *fa = &va->f[a];
    int w = va->width, h = va->height, cw = va->cw;
    long n = 0;
    tu_box b = {0, 0, 0, 0};
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            size_t o = (size_t)j * w + i, c = (size_t)(j / 2) * cw + i / 2;
            if (abs(fa->y[o] - y[o]) > thresh || abs(fa->u[c] - u[c]) > thresh ||
                abs(fa->v[c] - v[c]) > thresh) {
                n++;
                box_add(&b, i, j);
            }
        }
    if (box)
        *box = b;
    return n;
}

long tu_frame_diff(const tu_video *va, int a, const tu_video *vb, int b,
                   int thresh, tu_box *box)
{
    if (va->width != vb->width || va->height != vb->height) {
        if (box)
            *box = (tu_box){0, 0, va->width, va->height};
        return (long)va->width * va->height;
    }
    const tu_frame *fb = &vb->f[b];
    return tu_frame_diff_planes(va, a, fb->y, fb->u, fb->v, thresh, box);
}

int tu_check_caption_frames(const tu_video *out, const tu_video *ref,
                            int ref_first, const int *visible, int n,
                            int min_px, tu_box *boxes)
{
    int bad = 0;
    size_t used = 0;
    char msg[sizeof tu_errbuf];
    msg[0] = 0;
    if (out->width != ref->width || out->height != ref->height) {
        fail("output is %dx%d, reference %dx%d", out->width, out->height,
             ref->width, ref->height);
        return n ? n : 1;
    }
    for (int i = 0; i < n; i++) {
        int r = ref_first + i;
        tu_box b;
        if (i >= out->n || r >= ref->n) {
            bad++;
            if (used < sizeof msg - 200)
                used += (size_t)snprintf(msg + used, sizeof msg - used,
                                         "frame %d missing; ", i);
            continue;
        }
        long d = tu_frame_diff(out, i, ref, r, 0, &b);
        if (boxes)
            boxes[i] = b;
        const char *why = NULL;
        if (!visible[i] && d != 0)
            why = "no caption expected but pixels differ";
        else if (visible[i] && d < min_px)
            why = "caption expected but (almost) nothing differs";
        else if (visible[i] && b.y0 < out->height / 2)
            why = "differences reach into the upper half";
        if (why) {
            bad++;
            if (used < sizeof msg - 200)
                used += (size_t)snprintf(
                    msg + used, sizeof msg - used,
                    "frame %d (ref %d, %lld ms): %s (%ld px, box x %d-%d y %d-%d); ",
                    i, r, (long long)tu_frame_ms(ref, r), why, d, b.x0, b.x1,
                    b.y0, b.y1);
        }
    }
    if (bad)
        fail("%d of %d frames wrong: %s", bad, n, msg);
    return bad;
}

int tu_check_same_pts(const tu_video *a, const tu_video *b)
{
    if (a->n != b->n) {
        fail("%d frames, expected %d", b->n, a->n);
        return 1 + abs(a->n - b->n);
    }
    double half = 0.5 * a->time_base.num / a->time_base.den;
    int bad = 0;
    for (int i = 0; i < a->n; i++) {
        double ta = tu_pts_sec(a->f[i].pts, a->time_base);
        double tb = tu_pts_sec(b->f[i].pts, b->time_base);
        if (fabs(ta - tb) > half + 1e-9) {
            if (!bad)
                fail("frame %d at %.6f s (pts %lld in %d/%d), expected %.6f s "
                     "(pts %lld in %d/%d)",
                     i, tb, (long long)b->f[i].pts, b->time_base.num,
                     b->time_base.den, ta, (long long)a->f[i].pts,
                     a->time_base.num, a->time_base.den);
            bad++;
        }
    }
    if (bad) {
        char first[sizeof tu_errbuf];
        memcpy(first, tu_errbuf, sizeof first);
        fail("%d of %d frames at other times; first: %.1900s", bad, a->n, first);
    }
    return bad;
}

int tu_check_same_audio(const tu_audio *a, const tu_audio *b)
{
    if (!b->present) {
        fail("no audio stream");
        return 1;
    }
    if (b->codec_id != a->codec_id) {
        fail("audio codec %s, expected %s", avcodec_get_name(b->codec_id),
             avcodec_get_name(a->codec_id));
        return 1;
    }
    if (b->n != a->n) {
        fail("%d audio packets, expected %d", b->n, a->n);
        return 1 + abs(a->n - b->n);
    }
    double half = 0.5 * a->time_base.num / a->time_base.den;
    int bad = 0;
    for (int i = 0; i < a->n; i++) {
        const tu_packet *p = &a->p[i], *q = &b->p[i];
        double ta = tu_pts_sec(p->pts, a->time_base);
        double tb = tu_pts_sec(q->pts, b->time_base);
        int same = p->size == q->size && !memcmp(p->data, q->data, (size_t)p->size);
        if (!same || fabs(ta - tb) > half + 1e-9) {
            if (!bad)
                fail("audio packet %d: %s, at %.6f s (expected %.6f s)", i,
                     same ? "same bytes" : "different bytes", tb, ta);
            bad++;
        }
    }
    if (bad) {
        char first[sizeof tu_errbuf];
        memcpy(first, tu_errbuf, sizeof first);
        fail("%d of %d audio packets differ; first: %.1900s", bad, a->n, first);
    }
    return bad;
}

void tu_yuv_to_rgb(int y, int u, int v, int bt709, int full, uint8_t rgb[3])
{
    double kr = bt709 ? 0.2126 : 0.299, kb = bt709 ? 0.0722 : 0.114;
    double kg = 1 - kr - kb;
    double Y, Cb, Cr;
    if (full) {
        Y = y / 255.0; Cb = (u - 128) / 255.0; Cr = (v - 128) / 255.0;
    } else {
        Y = (y - 16) / 219.0; Cb = (u - 128) / 224.0; Cr = (v - 128) / 224.0;
    }
    double R = Y + 2 * (1 - kr) * Cr, B = Y + 2 * (1 - kb) * Cb;
    double G = (Y - kr * R - kb * B) / kg;
    double c[3] = {R, G, B};
    for (int i = 0; i < 3; i++) {
        double x = c[i] * 255 + 0.5;
        rgb[i] = (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x);
    }
}

int tu_video_is_bt709(const tu_video *v)
{
    if (v->colorspace == AVCOL_SPC_BT709)
        return 1;
    if (v->colorspace == AVCOL_SPC_BT470BG || v->colorspace == AVCOL_SPC_SMPTE170M)
        return 0;
    return v->height >= 720;
}

void tu_pixel_rgb(const tu_video *v, int i, int x, int y, uint8_t rgb[3])
{
    const tu_frame *f = &v->f[i];
    size_t o = (size_t)y * v->width + x, c = (size_t)(y / 2) * v->cw + x / 2;
    tu_yuv_to_rgb(f->y[o], f->u[c], f->v[c], tu_video_is_bt709(v),
                  v->color_range == AVCOL_RANGE_JPEG, rgb);
}

void tu_mask_erode(const uint8_t *mask, int w, int h, int r, uint8_t *out)
{
    /* separable: a square window is a row window of a column window */
    uint8_t *tmp = xmalloc((size_t)w * h);
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            uint8_t m = 1;
            for (int d = -r; d <= r && m; d++) {
                int x = i + d;
                m = x >= 0 && x < w && mask[(size_t)j * w + x];
            }
            tmp[(size_t)j * w + i] = m;
        }
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            uint8_t m = 1;
            for (int d = -r; d <= r && m; d++) {
                int y = j + d;
                m = y >= 0 && y < h && tmp[(size_t)y * w + i];
            }
            out[(size_t)j * w + i] = m;
        }
    free(tmp);
}

long tu_mask_count(const uint8_t *mask, int w, int h)
{
    long n = 0;
    for (size_t i = 0; i < (size_t)w * h; i++)
        n += mask[i] != 0;
    return n;
}

/* ---- memory I/O -------------------------------------------------------- */

int tu_mem_read(void *opaque, uint8_t *buf, int size)
{
    tu_membuf *m = opaque;
    if (size < 0)
        return -1;
    size_t left = m->pos < m->size ? m->size - m->pos : 0;
    size_t n = (size_t)size < left ? (size_t)size : left;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (int)n;
}

int64_t tu_mem_seek(void *opaque, int64_t offset, int whence)
{
    tu_membuf *m = opaque;
    int64_t base;
    switch (whence) {
    case ZIMU_SEEK_SIZE: return (int64_t)m->size;
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)m->pos; break;
    case SEEK_END: base = (int64_t)m->size; break;
    default: return -1;
    }
    if (base + offset < 0)
        return -1;
    m->pos = (size_t)(base + offset);
    return (int64_t)m->pos;
}

int tu_mem_write(void *opaque, const uint8_t *buf, int size)
{
    tu_membuf *m = opaque;
    m->calls++;
    if (m->fail || size < 0)
        return -1;
    if (m->pos + (size_t)size > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->pos + (size_t)size)
            cap *= 2;
        m->data = xrealloc(m->data, cap);
        m->cap = cap;
    }
    memcpy(m->data + m->pos, buf, (size_t)size);
    m->pos += (size_t)size;
    if (m->pos > m->size)
        m->size = m->pos;
    return size;
}

void tu_membuf_free(tu_membuf *m)
{
    free(m->data);
    memset(m, 0, sizeof *m);
}

/* ---- subtitles and jobs ------------------------------------------------ */

void tu_srt_time(char *buf, int64_t ms)
{
    snprintf(buf, 16, "%02d:%02d:%02d,%03d", (int)(ms / 3600000),
             (int)(ms / 60000 % 60), (int)(ms / 1000 % 60), (int)(ms % 1000));
}

char *tu_write_srt(const char *dir, const char *name, int n,
                   const int64_t *start, const int64_t *end,
                   const char *const *text)
{
    size_t cap = 256, len = 0;
    for (int i = 0; i < n; i++)
        cap += 64 + strlen(text[i]);
    char *buf = xmalloc(cap);
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        char a[16], b[16];
        tu_srt_time(a, start[i]);
        tu_srt_time(b, end[i]);
        len += (size_t)snprintf(buf + len, cap - len, "%d\n%s --> %s\n%s\n\n",
                                i + 1, a, b, text[i]);
    }
    char *p = tu_write_text(dir, name, buf);
    free(buf);
    return p;
}

zimu_job *tu_job(const char *in, const char *subs, const char *out)
{
    zimu_job *job = zimu_job_new();
    if (!job) {
        fail("zimu_job_new returned NULL");
        return NULL;
    }
    int rc = 0;
    const char *what = "";
    if (in && (rc = zimu_job_set_input(job, in)) < 0)
        what = "zimu_job_set_input";
    else if (subs && (rc = zimu_job_set_subtitles(job, subs)) < 0)
        what = "zimu_job_set_subtitles";
    else if (out && (rc = zimu_job_set_output(job, out)) < 0)
        what = "zimu_job_set_output";
    else if ((rc = zimu_job_set_crf(job, 0)) < 0)
        what = "zimu_job_set_crf(0)";
    else if ((rc = zimu_job_set_preset(job, "ultrafast")) < 0)
        what = "zimu_job_set_preset(ultrafast)";
    if (rc < 0) {
        fail("%s: %d (%s) %s", what, rc, zimu_strerror(rc), zimu_job_errmsg(job));
        zimu_job_free(&job);
        return NULL;
    }
    return job;
}

double tu_time_scale(void)
{
    const char *e = getenv("CK_TIMEOUT_MULTIPLIER");
    double k = e ? atof(e) : 1;
    return k > 1 ? k : 1;
}
