/* check_bounds.c - bounded work: the size limit on caption and style files
 * (read in bounded memory, whatever the path names) and cancelling in any
 * phase (zimu_job_cancel, and the zimu program's signals).
 *
 * Time limits here are generous ceilings that catch a hang or a phase that
 * ignores a cancel, never speed targets.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zimu.h>

#include "util_clip.h"

static char zimu_bin[PATH_MAX];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Peak resident memory of this process, bytes. */
static long long max_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (long long)ru.ru_maxrss * 1024;
}

/* Built with AddressSanitizer (gcc says __SANITIZE_ADDRESS__, clang
 * __has_feature(address_sanitizer)). */
#if defined(__SANITIZE_ADDRESS__)
#define ZT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZT_ASAN 1
#endif
#endif

/* The paths a test makes (tu_path, tu_write_text): kept here and freed
 * with the test's folder (test_dir_done), so that paths written inline in
 * arguments are not leaked (the AddressSanitizer run checks for leaks). */
static char *kept[64];
static int n_kept;
static char *keep(char *p)
{
    ck_assert(n_kept < (int)(sizeof kept / sizeof *kept));
    return kept[n_kept++] = p;
}
#define tu_path(d, n) keep(tu_path(d, n))
#define tu_write_text(d, n, t) keep(tu_write_text(d, n, t))
static void test_dir_done(char *dir)
{
    while (n_kept)
        free(kept[--n_kept]);
    tu_test_dir_done(dir);
}

/* An SRT of n cues, each on screen from 1 s to 9 s (so all at once). */
static char *many_cues_srt(const char *dir, const char *name, long n)
{
    char *p = tu_path(dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert(f);
    for (long i = 0; i < n; i++)
        fprintf(f, "%ld\n00:00:01,000 --> 00:00:09,000\n\xe5\xad\x97\xe5\xb9\x95 %ld\n\n",
                i + 1, i);
    ck_assert(fclose(f) == 0);
    return p;
}

/* ------------------------------------------------------------------------
 * Sizes.
 */

START_TEST(test_parse_bytes)
{
    static const struct {
        const char *text;
        int64_t v;
    } good[] = {
        {"0", 0}, {"65536", 65536}, {"64M", 64LL << 20}, {"1G", 1LL << 30},
        {"1g", 1LL << 30}, {"512KiB", 512LL << 10}, {"2MB", 2LL << 20}, {"3k", 3072},
        {"10B", 10}, {"1T", 1LL << 40},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t v = -1;
        ck_assert_msg(zimu_parse_bytes(good[i].text, &v) == 0, "'%s' refused", good[i].text);
        ck_assert_msg(v == good[i].v, "'%s' = %lld", good[i].text, (long long)v);
    }
    static const char *const bad[] = {"", "M", "-1", "1.5G", "64 M", "1X", "1GG",
                                      "99999999999999999999", "8388608T", "1b", NULL};
    for (int i = 0; bad[i]; i++) {
        int64_t v = 77;
        ck_assert_msg(zimu_parse_bytes(bad[i], &v) == ZIMU_EINVAL, "'%s' taken", bad[i]);
        ck_assert(v == 77);
    }
    ck_assert(zimu_parse_bytes(NULL, NULL) == ZIMU_EINVAL);
}
END_TEST

/* /dev/zero never ends: refused once 64 MiB are read, in bounded memory
 * (an address-space limit makes a runaway read fail here instead of
 * taking the machine), and soon. */
START_TEST(test_dev_zero_bounded)
{
#if !defined(ZT_ASAN) && !defined(__SANITIZE_THREAD__)
    /* (the sanitizers reserve terabytes of address space for themselves:
     * under them, the peak memory below is the bound) */
    struct rlimit rl = {(rlim_t)2 << 30, (rlim_t)2 << 30};
    ck_assert(setrlimit(RLIMIT_AS, &rl) == 0);
#endif
    zimu_subs *s = zimu_subs_new();
    ck_assert(s);
    double t = now();
    int r = zimu_subs_load(s, "/dev/zero");
    t = now() - t;
    ck_assert_msg(r == ZIMU_ESUBS, "got %d: %s", r, zimu_subs_errmsg(s));
    ck_assert_msg(strstr(zimu_subs_errmsg(s),
                         "/dev/zero: larger than 64 MiB, the most zimu reads of a caption "
                         "or style file (zimu_job_set_max_file_size, --max-file-size)"),
                  "message: %s", zimu_subs_errmsg(s));
    ck_assert_str_eq(zimu_errfile(s), "/dev/zero");
    /* 64 MiB of buffer, the libraries and a little more. */
#if defined(__SANITIZE_THREAD__)
    /* its shadow memory: several times the memory used */
    ck_assert_msg(max_rss() < (1500LL << 20), "peak memory %lld MiB", max_rss() >> 20);
#elif defined(ZT_ASAN)
    /* its shadow memory and red zones: about twice */
    ck_assert_msg(max_rss() < (600LL << 20), "peak memory %lld MiB", max_rss() >> 20);
#else
    ck_assert_msg(max_rss() < (300LL << 20), "peak memory %lld MiB", max_rss() >> 20);
#endif
    ck_assert_msg(t < 10 * tu_time_scale(), "took %.1f s", t);
    zimu_subs_free(&s);
}
END_TEST

/* A 2 GB sparse file is refused from its size, before a byte is read. */
START_TEST(test_sparse_refused_at_once)
{
    char *dir = tu_test_dir();
    char *p = tu_path(dir, "sparse.srt");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert(fd >= 0);
    ck_assert(ftruncate(fd, (off_t)2 << 30) == 0);
    close(fd);
    zimu_subs *s = zimu_subs_new();
    long long before = max_rss();
    double t = now();
    int r = zimu_subs_load(s, p);
    t = now() - t;
    ck_assert_msg(r == ZIMU_ESUBS, "got %d: %s", r, zimu_subs_errmsg(s));
    ck_assert(strstr(zimu_subs_errmsg(s), "larger than 64 MiB"));
    ck_assert_msg(max_rss() - before < (8LL << 20), "read %lld MiB of it",
                  (max_rss() - before) >> 20);
    ck_assert_msg(t < 2, "took %.1f s", t);

    /* The same through a job (zimu convert's path), its own setter. */
    zimu_job *job = zimu_job_new();
    ck_assert(zimu_job_set_subtitles(job, p) == 0);
    ck_assert(zimu_job_set_size(job, 1080, 1920) == 0);
    r = zimu_job_save_captions(job, tu_path(dir, "out.srt"));
    ck_assert_msg(r == ZIMU_ESUBS, "got %d: %s", r, zimu_errmsg(job));
    ck_assert(strstr(zimu_errmsg(job), "larger than 64 MiB"));
    ck_assert_str_eq(zimu_errfile(job), p);
    zimu_job_free(&job);
    zimu_subs_free(&s);
    test_dir_done(dir);
}
END_TEST

/* A file of exactly the limit is read; one byte more is refused. */
START_TEST(test_limit_setters)
{
    char *dir = tu_test_dir();
    char text[600];
    int n = snprintf(text, sizeof text, "1\n00:00:00,000 --> 00:00:01,000\n%0480d\n", 7);
    ck_assert(n > 480);
    char *p = tu_write_text(dir, "c.srt", text);
    zimu_subs *s = zimu_subs_new();
    ck_assert(zimu_subs_set_max_file_size(s, -1) == ZIMU_EINVAL);
    ck_assert(zimu_subs_set_max_file_size(s, n) == 0);
    ck_assert_msg(zimu_subs_load(s, p) == 0, "%s", zimu_subs_errmsg(s));
    ck_assert(zimu_subs_count(s) == 1);
    ck_assert(zimu_subs_set_max_file_size(s, n - 1) == 0);
    ck_assert(zimu_subs_load(s, p) == ZIMU_ESUBS);
    char want[64];
    snprintf(want, sizeof want, "larger than %d bytes", n - 1);
    ck_assert_msg(strstr(zimu_subs_errmsg(s), want), "%s", zimu_subs_errmsg(s));
    ck_assert(zimu_subs_count(s) == 1); /* what was loaded stays */

    zimu_job *job = zimu_job_new();
    ck_assert(zimu_job_set_max_file_size(job, -5) == ZIMU_EINVAL);
    ck_assert(zimu_job_set_max_file_size(job, (int64_t)1 << 41) == ZIMU_EINVAL);
    ck_assert(zimu_job_set_subtitles(job, p) == 0);
    ck_assert(zimu_job_set_size(job, 1080, 1920) == 0);
    ck_assert(zimu_job_set_max_file_size(job, n) == 0);
    ck_assert_msg(zimu_job_save_captions(job, tu_path(dir, "a.srt")) == 0, "%s",
                  zimu_errmsg(job));
    ck_assert(zimu_job_set_max_file_size(job, n - 1) == 0);
    ck_assert(zimu_job_save_captions(job, tu_path(dir, "b.srt")) == ZIMU_ESUBS);
    ck_assert(strstr(zimu_errmsg(job), want));
    ck_assert(!tu_exists(tu_path(dir, "b.srt")));

    /* A style file: the same limit, a style error. */
    char style[700];
    int sn = snprintf(style, sizeof style, "# %0500d\nsize = 0.05\n", 0);
    char *sp = tu_write_text(dir, "big.style", style);
    ck_assert(zimu_job_set_max_file_size(job, 0) == 0); /* the default again */
    ck_assert(zimu_job_set_style(job, sp) == 0);
    ck_assert_msg(zimu_job_save_captions(job, tu_path(dir, "c.ass")) == 0, "%s",
                  zimu_errmsg(job));
    ck_assert(zimu_job_set_max_file_size(job, sn - 1) == 0);
    /* the caption file is smaller than the style file */
    ck_assert(n < sn);
    ck_assert(zimu_job_save_captions(job, tu_path(dir, "d.ass")) == ZIMU_ESTYLE);
    ck_assert_msg(strstr(zimu_errmsg(job), "big.style: larger than"), "%s", zimu_errmsg(job));
    ck_assert_str_eq(zimu_errfile(job), sp);
    zimu_job_free(&job);
    zimu_subs_free(&s);
    test_dir_done(dir);
}
END_TEST

/* ------------------------------------------------------------------------
 * zimu_job_cancel in the library.
 */

START_TEST(test_cancel_sticky)
{
    char *dir = tu_test_dir();
    char *p = tu_write_text(dir, "c.srt", "1\n00:00:00,000 --> 00:00:01,000\nhi\n");
    zimu_job_cancel(NULL); /* no-op */
    zimu_job *job = zimu_job_new();
    ck_assert(zimu_job_set_subtitles(job, p) == 0);
    ck_assert(zimu_job_set_size(job, 1080, 1920) == 0);
    zimu_job_cancel(job);
    ck_assert(zimu_job_save_captions(job, tu_path(dir, "a.srt")) == ZIMU_ECANCEL);
    ck_assert_str_eq(zimu_errmsg(job), "cancelled");
    ck_assert(zimu_job_save_captions(job, tu_path(dir, "a.srt")) == ZIMU_ECANCEL);
    ck_assert(zimu_job_preview(job, 0, tu_path(dir, "a.png")) == ZIMU_ECANCEL);
    ck_assert(!tu_exists(tu_path(dir, "a.srt")) && !tu_exists(tu_path(dir, "a.png")));
    zimu_job_free(&job);
    test_dir_done(dir);
}
END_TEST

/* Cancel from inside the parse: the log callback runs on the parsing
 * thread when the parser warns about cue 1000 (it ends before it starts),
 * so the parse must stop on its own, long before its 20,000th cue. */
static void cancel_on_warning(void *opaque, int level, const char *msg)
{
    if (level == ZIMU_LOG_WARNING && strstr(msg, "ends before it starts"))
        zimu_job_cancel(opaque);
}

START_TEST(test_cancel_while_parsing)
{
    char *dir = tu_test_dir();
    char *p = tu_path(dir, "many.srt");
    FILE *f = fopen(p, "wb");
    ck_assert(f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%d\n00:00:0%d,000 --> 00:00:02,000\ncue %d\n\n", i + 1, i == 999 ? 3 : 1,
                i);
    ck_assert(fclose(f) == 0);
    for (int cancel = 0; cancel < 2; cancel++) {
        zimu_job *job = zimu_job_new();
        ck_assert(zimu_job_set_subtitles(job, p) == 0);
        ck_assert(zimu_job_set_size(job, 1080, 1920) == 0);
        if (cancel)
            zimu_job_set_log(job, cancel_on_warning, job, ZIMU_LOG_WARNING);
        char *out = tu_path(dir, cancel ? "b.srt" : "a.srt");
        int r = zimu_job_save_captions(job, out);
        if (!cancel) { /* uncancelled: the file is good */
            ck_assert_msg(r == 0, "%s", zimu_errmsg(job));
            ck_assert(zimu_job_stats(job)->captions == 19999);
        } else {
            ck_assert_msg(r == ZIMU_ECANCEL, "got %d (%s)", r, zimu_errmsg(job));
            ck_assert(!tu_exists(out));
        }
        zimu_job_free(&job);
    }
    test_dir_done(dir);
}
END_TEST

struct canceller {
    zimu_job *job;
    double delay, at;
};

static void *cancel_later(void *arg)
{
    struct canceller *c = arg;
    usleep((useconds_t)(c->delay * 1e6));
    c->at = now();
    zimu_job_cancel(c->job);
    return NULL;
}

/* From another thread, while frames are encoded: the run stops within a
 * second, leaving no output and no temporary file. */
START_TEST(test_cancel_from_thread)
{
    char *dir = tu_test_dir();
    char *clip = tu_path(dir, "long.mp4");
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.frames = 600;
    TU_OK(tu_make_clip(clip, &co));
    char *srt = tu_write_text(dir, "c.srt", "1\n00:00:00,000 --> 00:00:20,000\nx\n");
    char *outdir = tu_path(dir, "out");
    ck_assert(mkdir(outdir, 0700) == 0);
    zimu_job *job = zimu_job_new();
    ck_assert(zimu_job_set_input(job, clip) == 0);
    ck_assert(zimu_job_set_subtitles(job, srt) == 0);
    ck_assert(zimu_job_set_output(job, tu_path(outdir, "o.mp4")) == 0);
    ck_assert(zimu_job_set_preset(job, "veryslow") == 0);
    struct canceller c = {.job = job, .delay = 1.0};
    pthread_t th;
    ck_assert(pthread_create(&th, NULL, cancel_later, &c) == 0);
    int r = zimu_job_run(job);
    double end = now();
    pthread_join(th, NULL);
    ck_assert_msg(r == ZIMU_ECANCEL, "got %d (%s)", r, zimu_errmsg(job));
    ck_assert_msg(end - c.at < 1.0 * tu_time_scale(), "stopped %.2f s after the cancel",
                  end - c.at);
    char names[1024];
    ck_assert_msg(tu_dir_list(outdir, names, sizeof names) == 0, "left behind: %s", names);
    zimu_job_free(&job);
    test_dir_done(dir);
}
END_TEST

/* ------------------------------------------------------------------------
 * The zimu program and its signals.
 */

/* Start zimu with args (NULL-ended); stderr into err (may be NULL), stdin
 * and stdout on /dev/null. fsize > 0: RLIMIT_FSIZE in the child. */
static pid_t spawn_zimu(const char *const *args, FILE *err, rlim_t fsize)
{
    const char *argv[48] = {zimu_bin};
    int n = 1;
    for (; args[n - 1] && n < 47; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(err ? fileno(err) : null, 2);
        /* As from a shell: nothing ignored (an ignored signal stays
         * ignored in zimu, as nohup needs). */
        int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
        for (int i = 0; i < 5; i++)
            signal(sigs[i], SIG_DFL);
        if (fsize) {
            struct rlimit rl = {fsize, fsize};
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        execv(zimu_bin, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Wait at most limit seconds for pid; its exit status (128 + signal), or
 * -1 after killing it when it ran on. */
static int wait_at_most(pid_t pid, double limit)
{
    double end = now() + limit;
    int st;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (now() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        usleep(10000);
    }
}

static void read_err(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

/* Send sig to a zimu started with args after delay seconds: it exits with
 * status 8 ("cancelled") within 1.5 s and outdir stays empty. */
/* Whether process pid catches signal sig yet (its SigCgt mask in /proc). */
static int catches(pid_t pid, int sig)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    unsigned long long mask = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "SigCgt: %llx", &mask) == 1)
            break;
    if (f)
        fclose(f);
    return (mask >> (sig - 1)) & 1;
}

static void signal_stops(const char *const *args, const char *outdir, double delay, int sig)
{
    FILE *err = tmpfile();
    pid_t pid = spawn_zimu(args, err, 0);
    usleep((useconds_t)(delay * 1e6));
    /* On a loaded machine zimu may still be starting (loading its
     * libraries) after the delay: a signal before its handler is there
     * would kill it outright, which is not what is tested. */
    for (int i = 0; i < 200 && !catches(pid, sig); i++)
        usleep(50000);
    int st;
    ck_assert_msg(waitpid(pid, &st, WNOHANG) == 0, "zimu ended before the signal");
    double t = now();
    kill(pid, sig);
    double limit = 1.5 * tu_time_scale();
    int status = wait_at_most(pid, limit);
    t = now() - t;
    char msg[4096];
    read_err(err, msg, sizeof msg);
    ck_assert_msg(status != -1, "still running %.1f s after signal %d; stderr [%s]", limit, sig,
                  msg);
    ck_assert_msg(status == 8, "exit %d after %.2f s; stderr [%s]", status, t, msg);
    ck_assert_msg(strstr(msg, "cancelled"), "stderr [%s]", msg);
    char names[1024];
    ck_assert_msg(tu_dir_list(outdir, names, sizeof names) == 0, "left behind: %s", names);
}

/* A FIFO fed a line at a time: the caption read blocks; SIGTERM ends it. */
START_TEST(test_sigterm_during_slow_read)
{
    char *dir = tu_test_dir();
    char *clip = tu_path(dir, "clip.mp4");
    tu_clip_opts co;
    tu_clip_defaults(&co);
    TU_OK(tu_make_clip(clip, &co));
    char *fifo = tu_path(dir, "slow.srt");
    ck_assert(mkfifo(fifo, 0600) == 0);
    char *outdir = tu_path(dir, "out");
    ck_assert(mkdir(outdir, 0700) == 0);
    pid_t writer = fork();
    ck_assert(writer >= 0);
    if (writer == 0) {
        int fd = open(fifo, O_WRONLY);
        for (int i = 0; fd >= 0 && i < 600; i++) {
            char line[64];
            int n = snprintf(line, sizeof line, "%d\n00:00:00,000 --> 00:00:01,000\nx\n\n",
                             i + 1);
            if (write(fd, line, (size_t)n) != n)
                break;
            usleep(100000);
        }
        _exit(0);
    }
    signal_stops((const char *const[]){"burn", clip, "-s", fifo, "-o",
                                       tu_path(outdir, "o.mp4"), NULL},
                 outdir, 1.0, SIGTERM);
    kill(writer, SIGKILL);
    waitpid(writer, NULL, 0);
    /* Nobody writing at all: the open itself waits, and a signal ends it. */
    signal_stops((const char *const[]){"burn", clip, "-s", fifo, "-o",
                                       tu_path(outdir, "o.mp4"), NULL},
                 outdir, 0.5, SIGHUP);
    test_dir_done(dir);
}
END_TEST

/* 50,000 cues, all at once: SIGTERM while they are parsed and laid out. */
START_TEST(test_sigterm_during_parsing)
{
    char *dir = tu_test_dir();
    char *clip = tu_path(dir, "clip.mp4");
    tu_clip_opts co;
    tu_clip_defaults(&co);
    /* Since at most 64 cues are laid out at once, 50,000 cues parse and lay
     * out in a fraction of a second: a long clip keeps the run going, so
     * the signal lands in parsing, layout or frames, whichever the machine
     * has reached (parsing alone: check_bounds' parser test above). */
    co.frames = 900;
    TU_OK(tu_make_clip(clip, &co));
    char *srt = many_cues_srt(dir, "many.srt", 50000);
    char *outdir = tu_path(dir, "out");
    ck_assert(mkdir(outdir, 0700) == 0);
    signal_stops((const char *const[]){"burn", clip, "-s", srt, "-o",
                                       tu_path(outdir, "o.mp4"), NULL},
                 outdir, 0.4, SIGTERM);
    test_dir_done(dir);
}
END_TEST

/* SIGHUP (the terminal closed) and SIGPIPE while frames are encoded. */
START_TEST(test_sighup_sigpipe_during_burn)
{
    char *dir = tu_test_dir();
    char *clip = tu_path(dir, "long.mp4");
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.frames = 600;
    TU_OK(tu_make_clip(clip, &co));
    char *srt = tu_write_text(dir, "c.srt", "1\n00:00:00,000 --> 00:00:20,000\n\xe5\xad\x97\n");
    char *outdir = tu_path(dir, "out");
    ck_assert(mkdir(outdir, 0700) == 0);
    int sigs[] = {SIGHUP, SIGPIPE, SIGINT};
    for (int i = 0; i < 3; i++)
        signal_stops((const char *const[]){"burn", clip, "-s", srt, "-o",
                                           tu_path(outdir, "o.mp4"), "--preset", "veryslow",
                                           NULL},
                     outdir, 1.5, sigs[i]);
    test_dir_done(dir);
}
END_TEST

/* --max-file-size: the library reads the size; /dev/zero under a small
 * limit fails at once naming the file and the option; a bad size is a
 * usage error. */
START_TEST(test_max_file_size_option)
{
    char *dir = tu_test_dir();
    char *clip = tu_path(dir, "clip.mp4");
    tu_clip_opts co;
    tu_clip_defaults(&co);
    TU_OK(tu_make_clip(clip, &co));
    char err[4096];
    int st = tu_zimu(dir, (const char *const[]){"burn", clip, "-s", "/dev/zero", "-o",
                                                tu_path(dir, "o.mp4"), "--max-file-size",
                                                "1M", NULL},
                     err, sizeof err);
    ck_assert_msg(st == 6, "exit %d [%s]", st, err);
    ck_assert_msg(strstr(err, "/dev/zero: larger than 1 MiB") && strstr(err, "--max-file-size"),
                  "[%s]", err);
    st = tu_zimu(dir, (const char *const[]){"convert", "/dev/zero", "-o", tu_path(dir, "o.srt"),
                                            NULL},
                 err, sizeof err);
    ck_assert_msg(st == 6 && strstr(err, "larger than 64 MiB"), "exit %d [%s]", st, err);
    static const char *const bad[] = {"1x", "0", "-1", "2T"};
    for (int i = 0; i < 4; i++) {
        st = tu_zimu(dir, (const char *const[]){"burn", clip, "-s", "/dev/zero", "-o",
                                                tu_path(dir, "o.mp4"), "--max-file-size",
                                                bad[i], NULL},
                     err, sizeof err);
        ck_assert_msg(st == 1 && strstr(err, "--max-file-size"), "'%s': exit %d [%s]", bad[i],
                      st, err);
    }
    ck_assert(!tu_exists(tu_path(dir, "o.mp4")) && !tu_exists(tu_path(dir, "o.srt")));
    test_dir_done(dir);
}
END_TEST

/* A write past RLIMIT_FSIZE: "file too large", exit 7, nothing left. */
START_TEST(test_file_size_limit)
{
    char *dir = tu_test_dir();
    char *clip = tu_path(dir, "clip.mp4");
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.frames = 120;
    TU_OK(tu_make_clip(clip, &co));
    char *outdir = tu_path(dir, "out");
    ck_assert(mkdir(outdir, 0700) == 0);
    char *srt = tu_write_text(dir, "c.srt", "1\n00:00:00,000 --> 00:00:02,000\nx\n");
    FILE *err = tmpfile();
    pid_t pid = spawn_zimu((const char *const[]){"burn", clip, "-s", srt, "-o",
                                                 tu_path(outdir, "o.mp4"),
                                                 "--crf", "0", "--preset", "ultrafast",
                                                 "--size", "1080x1920", NULL},
                           err, 1 << 20); /* room for the font set-up's own file */
    int status = wait_at_most(pid, 60);
    char msg[4096];
    read_err(err, msg, sizeof msg);
    ck_assert_msg(status == 7, "exit %d; stderr [%s]", status, msg);
    ck_assert_msg(strstr(msg, "o.mp4: file too large"), "stderr [%s]", msg);
    char names[1024];
    ck_assert_msg(tu_dir_list(outdir, names, sizeof names) == 0, "left behind: %s", names);
    test_dir_done(dir);
}
END_TEST

static Suite *bounds_suite(void)
{
    Suite *s = suite_create("bounds");
    TCase *tc = tcase_create("limits");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_parse_bytes);
    tcase_add_test(tc, test_dev_zero_bounded);
    tcase_add_test(tc, test_sparse_refused_at_once);
    tcase_add_test(tc, test_limit_setters);
    tcase_add_test(tc, test_cancel_sticky);
    tcase_add_test(tc, test_cancel_while_parsing);
    tcase_add_test(tc, test_cancel_from_thread);
    suite_add_tcase(s, tc);

    tc = tcase_create("signals");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_sigterm_during_slow_read);
    tcase_add_test(tc, test_sigterm_during_parsing);
    tcase_add_test(tc, test_sighup_sigpipe_during_burn);
    tcase_add_test(tc, test_file_size_limit);
    tcase_add_test(tc, test_max_file_size_option);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    const char *bin = getenv("ZIMU_BIN");
    if (!bin || !*bin)
        bin = "build/zimu";
    if (!realpath(bin, zimu_bin))
        snprintf(zimu_bin, sizeof zimu_bin, "%s", bin); /* the CLI tests then fail */
    SRunner *sr = srunner_create(bounds_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
