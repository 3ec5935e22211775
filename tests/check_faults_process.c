/* check_faults_process.c - the zimu program stopped from outside while it
 * encodes: SIGINT and SIGTERM during `zimu burn`, `zimu flash` and
 * `zimu batch` end it with exit status 8 and leave neither a partial
 * output nor a temporary file, in the output folder or in the temporary
 * folder it uses (TMPDIR: font configurations, private temporaries); and
 * a batch killed outright (SIGKILL) resumes when run again: the clips
 * done before are not made again, the rest are done, the report lists
 * every clip.
 *
 * (check_cli.c has Ctrl-C during a burn, check_bounds.c signals during
 * caption reading and parsing and SIGHUP/SIGPIPE while encoding,
 * check_batch.c the library's batch cancel and a killed batch whose
 * outputs are complete.) */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util_clip.h"

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

static const char *zimu_bin(void)
{
    const char *b = getenv("ZIMU_BIN");
    return b ? b : "build/zimu";
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Start zimu with args (NULL-ended) in its own process group, TMPDIR set
 * to tmp, stderr into errpath, signals as a shell leaves them. */
static pid_t start(const char *const *args, const char *tmp, const char *errpath)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = zimu_bin();
    for (int i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_RDWR);
        int fe = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (null < 0 || fe < 0)
            _exit(127);
        dup2(null, 0);
        dup2(null, 1);
        dup2(fe, 2);
        int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
        for (int i = 0; i < 4; i++)
            signal(sigs[i], SIG_DFL);
        if (tmp)
            setenv("TMPDIR", tmp, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

/* The exit status (128 + signal when killed), or -1 after killing a pid
 * still running after limit seconds. */
static int wait_at_most(pid_t pid, double limit)
{
    double end = now() + limit;
    int st;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (now() > end) {
            kill(-pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        nap(0.01);
    }
}

static char *slurp(const char *path)
{
    uint8_t *d = NULL;
    size_t n = 0;
    if (tu_read_file(path, &d, &n) < 0)
        return strdup("");
    char *s = strndup((const char *)d, n);
    free(d);
    return s;
}

/* Every file and folder under d (relative names, one per line, into
 * list; "" when empty). */
static char tree_buf[8192];
static size_t tree_len, tree_root;
static int tree_add(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    if (f->level == 0)
        return 0;
    tree_len += (size_t)snprintf(tree_buf + tree_len, sizeof tree_buf - tree_len, "%s\n",
                                 path + tree_root);
    if (tree_len >= sizeof tree_buf)
        tree_len = sizeof tree_buf - 1;
    return 0;
}
static const char *tree(const char *d)
{
    tree_len = 0;
    tree_buf[0] = 0;
    tree_root = strlen(d) + 1;
    if (nftw(d, tree_add, 16, FTW_PHYS) != 0)
        ck_assert_msg(errno == ENOENT, "nftw %s: %s", d, strerror(errno));
    return tree_buf;
}

/* Whether a temporary of zimu (".NAME.zimu-HOST-PID-XXXXXXXX.part", or
 * one of its private ".zimu-" files) is in d, not looking deeper. */
static int has_temp(const char *d)
{
    DIR *dd = opendir(d);
    if (!dd)
        return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(dd)))
        found |= strstr(e->d_name, ".zimu-") != NULL || strstr(e->d_name, ".part") != NULL;
    closedir(dd);
    return found;
}

static char *subdir(const char *name)
{
    char *p = tu_path(dir, name);
    ck_assert_msg(mkdir(p, 0700) == 0, "mkdir %s: %s", p, strerror(errno));
    return p;
}

/* Start args; once a temporary appears in watch (the output being
 * encoded), let it encode a little, then send sig: zimu exits with 8
 * within 15 s, saying it was cancelled. Returns zimu's stderr. */
static char *stop_while_encoding(const char *const *args, const char *watch, const char *tmp,
                                 int sig, const char *what)
{
    char *errpath = tu_path(dir, "stderr.txt");
    pid_t pid = start(args, tmp, errpath);
    double end = now() + 60;
    while (!has_temp(watch) && now() < end && waitpid(pid, NULL, WNOHANG) == 0)
        nap(0.02);
    nap(0.3);
    int st;
    if (waitpid(pid, &st, WNOHANG) != 0) {
        char *e = slurp(errpath);
        ck_abort_msg("%s: zimu ended before the signal (status %d): %s", what,
                     WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st), e);
    }
    ck_assert_msg(has_temp(watch), "%s: no temporary appeared in %s in 60 s", what, watch);
    double t = now();
    kill(pid, sig);
    int status = wait_at_most(pid, 15);
    t = now() - t;
    char *err = slurp(errpath);
    ck_assert_msg(status != -1, "%s: still running 15 s after signal %d; stderr [%s]", what,
                  sig, err);
    ck_assert_msg(status == 8, "%s: exit %d %.1f s after signal %d (expected 8, cancelled); "
                  "stderr [%s]", what, status, t, sig, err);
    ck_assert_msg(strstr(err, "cancel"), "%s: stderr does not say cancelled: [%s]", what, err);
    free(errpath);
    return err;
}

static const int sigs[2] = {SIGINT, SIGTERM};
static const char *const sig_names[2] = {"SIGINT", "SIGTERM"};

/* `zimu burn`, stopped while encoding: no output, no temporary in the
 * output folder or in TMPDIR. */
START_TEST(burn_sigint_sigterm)
{
    char *clip = tu_clip_at(dir, "clip.mp4", 300);
    char *srt = tu_write_text(dir, "c.srt", "1\n00:00:00,000 --> 00:00:10,000\n字幕 captions\n");
    for (int i = 0; i < 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "out%d", i);
        char *out = subdir(name);
        snprintf(name, sizeof name, "tmp%d", i);
        char *tmp = subdir(name);
        char *o = tu_path(out, "o.mp4");
        char *err = stop_while_encoding(
            (const char *const[]){"burn", clip, "-s", srt, "-o", o, "--size", "720x1280",
                                  "--preset", "veryslow", NULL},
            out, tmp, sigs[i], sig_names[i]);
        const char *left = tree(out);
        ck_assert_msg(!*left, "burn, %s: left in the output folder:\n%s", sig_names[i], left);
        left = tree(tmp);
        ck_assert_msg(!*left, "burn, %s: left in TMPDIR:\n%s", sig_names[i], left);
        free(err);
        free(o);
        free(out);
        free(tmp);
    }
    free(clip);
    free(srt);
}
END_TEST

/* `zimu flash` stand-alone (cards only) and over a clip, stopped while
 * encoding. */
START_TEST(flash_sigint_sigterm)
{
    char *clip = tu_clip_at(dir, "clip.mp4", 300);
    char script[4096];
    size_t n = (size_t)snprintf(script, sizeof script, "size: 720x1280\nfps: 30\n");
    for (int k = 0; k < 30; k++)
        n += (size_t)snprintf(script + n, sizeof script - n, "第%d张 card %d | dur: 1\n", k + 1,
                              k + 1);
    char *sp = tu_write_text(dir, "cards.txt", script);
    for (int i = 0; i < 2; i++)
        for (int over = 0; over < 2; over++) {
            char name[32];
            snprintf(name, sizeof name, "out%d%d", i, over);
            char *out = subdir(name);
            snprintf(name, sizeof name, "tmp%d%d", i, over);
            char *tmp = subdir(name);
            char *o = tu_path(out, "快闪 flash.mp4");
            char what[64];
            snprintf(what, sizeof what, "flash%s, %s", over ? " over a clip" : "",
                     sig_names[i]);
            const char *alone[] = {"flash", sp, "-o", o, "--preset", "veryslow", NULL};
            const char *on[] = {"flash", sp, "-i", clip, "-o", o, "--size", "720x1280",
                                "--preset", "veryslow", NULL};
            char *err = stop_while_encoding(over ? on : alone, out, tmp, sigs[i], what);
            const char *left = tree(out);
            ck_assert_msg(!*left, "%s: left in the output folder:\n%s", what, left);
            left = tree(tmp);
            ck_assert_msg(!*left, "%s: left in TMPDIR:\n%s", what, left);
            free(err);
            free(o);
            free(out);
            free(tmp);
        }
    free(clip);
    free(sp);
}
END_TEST

/* Whether the file at path decodes to frames frames. */
static int complete(const char *path, int frames)
{
    tu_video v;
    if (tu_read_video(path, &v, 0) < 0)
        return 0;
    int ok = v.n == frames;
    tu_video_free(&v);
    return ok;
}

static char *batch_folder(int clips, int frames)
{
    char *in = subdir("in");
    for (int k = 0; k < clips; k++) {
        char name[32];
        snprintf(name, sizeof name, "c%d.mp4", k);
        free(tu_clip_at(in, name, frames));
        snprintf(name, sizeof name, "c%d.srt", k);
        free(tu_write_text(in, name, "1\n00:00:00,000 --> 00:00:09,000\n第一句 first\n"));
    }
    return in;
}

/* `zimu batch`, stopped while a clip encodes: exit 8; every video in the
 * output folder is complete (clips finished before the signal may stay),
 * none is partial, no temporary anywhere under it or in TMPDIR; the
 * report says which clips were cancelled. */
START_TEST(batch_sigint_sigterm)
{
    char *in = batch_folder(3, 90);
    for (int i = 0; i < 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "out%d", i);
        char *out = tu_path(dir, name);
        snprintf(name, sizeof name, "tmp%d", i);
        char *tmp = subdir(name);
        char what[32];
        snprintf(what, sizeof what, "batch, %s", sig_names[i]);
        /* the output folder is made by zimu: watch it once it is there */
        char *err = stop_while_encoding(
            (const char *const[]){"batch", in, "-o", out, "-j", "1", "--size", "720x1280",
                                  "--preset", "veryslow", NULL},
            out, tmp, sigs[i], what);
        ck_assert_msg(strstr(err, "no partial output was left"), "%s: [%s]", what, err);
        const char *left = tree(out);
        ck_assert_msg(!strstr(left, ".part") && !strstr(left, ".zimu-"),
                      "%s: a temporary was left in the output folder:\n%s", what, left);
        int outputs = 0;
        for (int k = 0; k < 3; k++) {
            snprintf(name, sizeof name, "c%d.mp4", k);
            char *p = tu_path(out, name);
            if (tu_exists(p)) {
                outputs++;
                ck_assert_msg(complete(p, 90), "%s: %s is partial", what, name);
            }
            free(p);
        }
        ck_assert_msg(outputs < 3, "%s: every clip was finished: the signal came too late",
                      what);
        char *rp = tu_path(out, "zimu-report.json");
        char *report = slurp(rp);
        ck_assert_msg(strstr(report, "\"cancelled\""), "%s: the report says no clip was "
                      "cancelled: %s", what, report);
        left = tree(tmp);
        ck_assert_msg(!*left, "%s: left in TMPDIR:\n%s", what, left);
        free(report);
        free(rp);
        free(err);
        free(out);
        free(tmp);
    }
    free(in);
}
END_TEST

/* SIGKILL (no chance to clean up) while the second of four clips
 * encodes, then the same command again: the first clip is not made again
 * (same file, "unchanged"), the others are made, each complete; the
 * report lists all four; what the killed run left (its temporaries in
 * the output folder and in TMPDIR) is gone. */
START_TEST(batch_sigkill_then_rerun_resumes)
{
    char *in = batch_folder(4, 30);
    char *out = tu_path(dir, "out"), *tmp = subdir("tmp");
    char *errpath = tu_path(dir, "stderr.txt");
    const char *args[] = {"batch", in, "-o", out, "-j", "1", "--preset", "slow", NULL};
    pid_t pid = start(args, tmp, errpath);
    char *first = tu_path(out, "c0.mp4");
    double end = now() + 120;
    while (!tu_exists(first) && now() < end)
        nap(0.005);
    ck_assert_msg(tu_exists(first), "no output appeared in 120 s");
    while (!has_temp(out) && now() < end)
        nap(0.005);
    ck_assert_msg(has_temp(out), "the second clip was never in flight");
    kill(-pid, SIGKILL);
    int status = wait_at_most(pid, 10);
    ck_assert_int_eq(status, 128 + SIGKILL);
    struct stat before;
    ck_assert_int_eq(stat(first, &before), 0);
    ck_assert_msg(complete(first, 30), "c0.mp4, done before the kill, is not complete");
    /* the killed run's leftovers are there: that is what the rerun tidies */
    ck_assert_msg(has_temp(out), "no temporary left by the kill: the test proves nothing");

    char *jp = tu_path(dir, "summary.json");
    /* the same command (the settings are in each clip's fingerprint) */
    const char *args2[] = {"batch", in, "-o", out, "-j", "1", "--preset", "slow", "--json",
                           NULL};
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(jp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fo, 1);
        const char *argv[16] = {zimu_bin()};
        for (int i = 0; args2[i]; i++)
            argv[i + 1] = args2[i];
        setenv("TMPDIR", tmp, 1);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    status = wait_at_most(pid, 120);
    char *summary = slurp(jp);
    ck_assert_msg(status == 0, "rerun: exit %d; %s", status, summary);
    struct stat after;
    ck_assert_int_eq(stat(first, &after), 0);
    ck_assert_msg(after.st_ino == before.st_ino && after.st_mtime == before.st_mtime &&
                      after.st_size == before.st_size,
                  "c0.mp4 was made again");
    ck_assert_msg(strstr(summary, "\"done\": 3, \"unchanged\": 1"), "summary: %s", summary);
    for (int k = 0; k < 4; k++) {
        char name[16];
        snprintf(name, sizeof name, "c%d.mp4", k);
        char *p = tu_path(out, name);
        ck_assert_msg(complete(p, 30), "%s is not complete after the rerun", name);
        free(p);
    }
    /* the report: every clip, and no temporaries anywhere */
    char *rp = tu_path(out, "zimu-report.json");
    char *report = slurp(rp);
    for (int k = 0; k < 4; k++) {
        char key[64];
        snprintf(key, sizeof key, "\"input\": \"c%d.mp4\"", k);
        ck_assert_msg(strstr(report, key), "the report misses c%d.mp4: %s", k, report);
    }
    ck_assert_msg(strstr(report, "\"total\": 4, \"done\": 3, \"unchanged\": 1"), "%s", report);
    const char *left = tree(out);
    ck_assert_msg(!strstr(left, ".part") && !strstr(left, ".zimu-"),
                  "a temporary is left in the output folder:\n%s", left);
    left = tree(tmp);
    ck_assert_msg(!*left, "left in TMPDIR:\n%s", left);
    free(report);
    free(rp);
    free(summary);
    free(jp);
    free(first);
    free(errpath);
    free(in);
    free(out);
    free(tmp);
}
END_TEST

static Suite *process_suite(void)
{
    Suite *s = suite_create("faults_process");
    TCase *tc = tcase_create("signals");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    /* each run encodes a few seconds at most before the signal; a loaded
     * machine may take several times that */
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, burn_sigint_sigterm);
    tcase_add_test(tc, flash_sigint_sigterm);
    tcase_add_test(tc, batch_sigint_sigterm);
    suite_add_tcase(s, tc);
    tc = tcase_create("kill");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, batch_sigkill_then_rerun_resumes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(process_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
