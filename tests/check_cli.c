/* check_cli.c - the zimu command as a user runs it: arguments, messages,
 * exit status, files left (or not) behind.
 *
 * Runs the program as a subprocess: $ZIMU_BIN, or build/zimu from the
 * current directory (make test runs from the top of the tree).
 *
 * tc_args needs no working pipeline (only zimu_parse_time); tc_files makes
 * small clips with the ffmpeg program and needs a working library. Those
 * tests fail, with the program's stderr in the message, when the library
 * is broken; they are never skipped.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include <zimu.h>

static char zimu_bin[PATH_MAX];

/* ------------------------------------------------------------------------
 * Running a program.
 */

struct result {
    int status; /* exit status, or 128 + signal */
    char out[1 << 16];
    char err[1 << 16];
};

static void slurp(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

/* Start prog with args (NULL-terminated) in cwd (NULL: here); stdout and
 * stderr go to out/err (may be NULL: /dev/null); stdin is /dev/null. */
static pid_t spawn(const char *prog, const char *const *args, const char *cwd, FILE *out,
                   FILE *err)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = prog;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(out ? fileno(out) : null, 1);
        dup2(err ? fileno(err) : null, 2);
        if (cwd && chdir(cwd) != 0)
            _exit(126);
        execvp(prog, (char *const *)argv);
        dprintf(2, "check_cli: cannot run %s: %s\n", prog, strerror(errno));
        _exit(127);
    }
    return pid;
}

static int wait_status(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ck_assert_msg(errno == EINTR, "waitpid: %s", strerror(errno));
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run_in(struct result *r, const char *cwd, const char *const *args)
{
    FILE *out = tmpfile(), *err = tmpfile();
    ck_assert(out && err);
    r->status = wait_status(spawn(zimu_bin, args, cwd, out, err));
    slurp(out, r->out, sizeof r->out);
    slurp(err, r->err, sizeof r->err);
    return r->status;
}

#define ZIMU(r, ...) run_in((r), NULL, (const char *const[]){__VA_ARGS__, NULL})
#define ZIMU_IN(r, cwd, ...) run_in((r), (cwd), (const char *const[]){__VA_ARGS__, NULL})

/* ffmpeg, quietly; 0 on success. */
static int ffmpeg(const char *const *args)
{
    const char *full[48] = {"-nostdin", "-v", "error", "-y"};
    int n = 4;
    for (int i = 0; args[i] && n < 47; i++)
        full[n++] = args[i];
    full[n] = NULL;
    return wait_status(spawn("ffmpeg", full, NULL, NULL, NULL));
}
#define FFMPEG(...) ffmpeg((const char *const[]){__VA_ARGS__, NULL})

/* ------------------------------------------------------------------------
 * Files.
 */

static char tmpdir[64]; /* per test (checked fixture) */

static const char *path(const char *name)
{
    static char bufs[8][PATH_MAX];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, PATH_MAX, "%s/%s", tmpdir, name);
    return b;
}

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "wb");
    ck_assert_msg(f != NULL, "%s: %s", p, strerror(errno));
    fputs(text, f);
    ck_assert(fclose(f) == 0);
}

/* Whole file, malloc'd; NULL if it cannot be read. */
static char *read_all(const char *p, size_t *size)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *size = n;
    return buf;
}

static int exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

/* Names in dir, one per line, sorted by readdir order (for messages). */
static int list_dir(const char *dir, char *buf, size_t size)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "%s: %s", dir, strerror(errno));
    int count = 0;
    buf[0] = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        count++;
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "%s%s", n ? ", " : "", e->d_name);
    }
    closedir(d);
    return count;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void rm_rf(const char *dir)
{
    if (dir[0])
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zimu-check-cli-XXXXXX");
    ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp: %s", strerror(errno));
}

static void teardown_tmp(void)
{
    rm_rf(tmpdir);
}

/* ------------------------------------------------------------------------
 * Assertions on a result.
 */

/* stderr is exactly one line "zimu: ...". */
static void assert_one_line(const struct result *r)
{
    size_t n = strlen(r->err);
    ck_assert_msg(n > 7 && !strncmp(r->err, "zimu: ", 6),
                  "stderr should be one line starting 'zimu: ', got: [%s]", r->err);
    ck_assert_msg(r->err[n - 1] == '\n' && memchr(r->err, '\n', n - 1) == NULL,
                  "stderr should be exactly one line, got: [%s]", r->err);
}

static void assert_fail(const struct result *r, int status, const char *needle)
{
    ck_assert_msg(r->status == status, "exit status %d, expected %d; stderr: [%s]", r->status,
                  status, r->err);
    assert_one_line(r);
    if (needle)
        ck_assert_msg(strstr(r->err, needle) != NULL, "stderr should name '%s', got: [%s]",
                      needle, r->err);
}

#define assert_usage(r, needle)                                                        \
    do {                                                                               \
        assert_fail((r), 1, (needle));                                                 \
        ck_assert_msg((r)->out[0] == 0, "stdout should be empty, got [%s]", (r)->out); \
    } while (0)

/* ------------------------------------------------------------------------
 * Command line: no pipeline needed.
 */

START_TEST(test_no_args)
{
    struct result r;
    run_in(&r, NULL, (const char *const[]){NULL});
    assert_usage(&r, "help");
}
END_TEST

START_TEST(test_unknown_command)
{
    struct result r;
    ZIMU(&r, "frobnicate", "in.mp4");
    assert_usage(&r, "frobnicate");
    ZIMU(&r, "--frobnicate");
    assert_usage(&r, "--frobnicate");
}
END_TEST

START_TEST(test_unknown_option)
{
    struct result r;
    /* The option is wrong before any file is looked at: 1, not 2. */
    ZIMU(&r, "burn", "nothere.mp4", "-s", "nothere.srt", "-o", path("o.mp4"), "--bogus");
    assert_usage(&r, "--bogus");
    ZIMU(&r, "burn", "nothere.mp4", "--bogus=3", "-s", "nothere.srt", "-o", path("o.mp4"));
    assert_usage(&r, "--bogus");
    ZIMU(&r, "burn", "nothere.mp4", "-Z", "-s", "nothere.srt", "-o", path("o.mp4"));
    assert_usage(&r, "-Z");
    /* No abbreviations. */
    ZIMU(&r, "burn", "nothere.mp4", "-s", "x.srt", "-o", path("o.mp4"), "--pre", "fast");
    assert_usage(&r, "--pre");
    /* Burn-only options are refused by preview, by name. */
    ZIMU(&r, "preview", "nothere.mp4", "-s", "x.srt", "-t", "1", "-o", path("f.png"),
         "--crf", "20");
    assert_usage(&r, "--crf");
    ck_assert(!exists(path("o.mp4")) && !exists(path("f.png")));
}
END_TEST

START_TEST(test_missing_required)
{
    struct result r;
    ZIMU(&r, "burn", "nothere.mp4", "-s", "nothere.srt");
    assert_usage(&r, "-o");
    ZIMU(&r, "burn", "nothere.mp4", "-o", path("o.mp4"));
    assert_usage(&r, "-s");
    ZIMU(&r, "burn", "-s", "nothere.srt", "-o", path("o.mp4"));
    assert_usage(&r, "input");
    ZIMU(&r, "burn", "nothere.mp4", "-s", "nothere.srt", "-o");
    assert_usage(&r, "-o");
    ZIMU(&r, "preview", "nothere.mp4", "-s", "nothere.srt", "-o", path("f.png"));
    assert_usage(&r, "-t");
    ZIMU(&r, "preview", "nothere.mp4", "-s", "nothere.srt", "-t", "1");
    assert_usage(&r, "-o");
    /* Two inputs: probably a forgotten -o. */
    ZIMU(&r, "burn", "a.mp4", "b.mp4", "-s", "nothere.srt");
    assert_usage(&r, "b.mp4");
    /* --null writes nothing: -o makes no sense with it. */
    ZIMU(&r, "burn", "nothere.mp4", "-s", "nothere.srt", "--null", "-o", path("o.mp4"));
    assert_usage(&r, "--null");
    ck_assert(!exists(path("o.mp4")));
}
END_TEST

START_TEST(test_bad_time)
{
    struct result r;
    ZIMU(&r, "burn", "nothere.mp4", "-s", "x.srt", "-o", path("o.mp4"), "--from", "1:xx");
    assert_usage(&r, "1:xx");
    ck_assert_msg(strstr(r.err, "--from"), "should name the option: [%s]", r.err);
    ZIMU(&r, "burn", "nothere.mp4", "-s", "x.srt", "-o", path("o.mp4"), "--to=1:xx");
    assert_usage(&r, "1:xx");
    ck_assert_msg(strstr(r.err, "--to"), "should name the option: [%s]", r.err);
    ZIMU(&r, "preview", "nothere.mp4", "-s", "x.srt", "-o", path("f.png"), "-t", "1:xx");
    assert_usage(&r, "1:xx");
    ZIMU(&r, "burn", "nothere.mp4", "-s", "x.srt", "-o", path("o.mp4"), "--from", "20",
         "--to", "10");
    assert_usage(&r, "--to");
    ck_assert(!exists(path("o.mp4")) && !exists(path("f.png")));
}
END_TEST

START_TEST(test_bad_values)
{
    struct result r;
    static const char *const bad[][2] = {
        {"--size", "1080"},  {"--size", "x1920"}, {"--size", "1080x-2"},
        {"--size", "axb"},   {"--fit", "stretch"}, {"--crf", "abc"},
        {"--crf", "52"},     {"--crf", "-1"},     {"--crf", "2.5"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ZIMU(&r, "burn", "nothere.mp4", "-s", "x.srt", "-o", path("o.mp4"), bad[i][0],
             bad[i][1]);
        assert_usage(&r, bad[i][0]);
        ck_assert_msg(strstr(r.err, bad[i][1]), "should quote '%s': [%s]", bad[i][1], r.err);
    }
}
END_TEST

/* A file name starting with '-' after an option: say how to give one. */
START_TEST(test_dash_names)
{
    struct result r;
    ZIMU(&r, "burn", "nothere.mp4", "-s", "x.srt", "-o", "-x.mp4");
    assert_usage(&r, "'-o' needs a value");
    ck_assert_msg(strstr(r.err, "./-x.mp4") && strstr(r.err, "--output=-x.mp4") &&
                  strstr(r.err, "'--'"), "should say how to write the name: [%s]", r.err);
    ZIMU(&r, "burn", "nothere.mp4", "-o", "o.mp4", "--subs", "-s.srt");
    assert_usage(&r, "./-s.srt");
    /* Another option after one that needs a value: just the missing value. */
    ZIMU(&r, "burn", "nothere.mp4", "-s", "-o", "o.mp4");
    assert_usage(&r, "option '-s' needs a value (");
}
END_TEST

/* Sizes H.264 cannot encode, and outputs the burn cannot write, are
 * refused at once with the limit named, before any file is opened. */
START_TEST(test_output_limits)
{
    struct result r;
    ZIMU(&r, "burn", "nothere.mp4", "-s", "x.srt", "-o", path("o.mp4"), "--size",
         "16384x16384");
    assert_usage(&r, "16384x16384");
    ck_assert_msg(strstr(r.err, "139264") && strstr(r.err, "8192x4352"),
                  "should name the limit: [%s]", r.err);
    write_file(path("s.srt"), "1\n00:00:00,000 --> 00:00:01,000\nhi\n");
    ZIMU(&r, "burn", "nothere.mp4", "-s", path("s.srt"), "-o", path("s.srt"), "-y");
    assert_usage(&r, "s.srt");
    ck_assert_msg(strstr(r.err, ".mp4") && strstr(r.err, ".mkv"), "[%s]", r.err);
    size_t n;
    char *text = read_all(path("s.srt"), &n);
    ck_assert_msg(n == 35 && !strncmp(text, "1\n00:", 5), "s.srt was changed");
    free(text);
    ck_assert(!exists(path("o.mp4")));
}
END_TEST

static void assert_help(const struct result *r, const char *const *needles)
{
    ck_assert_msg(r->status == 0, "exit %d; stderr [%s]", r->status, r->err);
    ck_assert_msg(r->err[0] == 0, "help should print nothing on stderr: [%s]", r->err);
    for (int i = 0; needles[i]; i++)
        ck_assert_msg(strstr(r->out, needles[i]), "help should mention '%s':\n%s", needles[i],
                      r->out);
}

START_TEST(test_help)
{
    struct result r;
    const char *const main_words[] = {"zimu burn", "zimu preview", "--version",
                                      "Exit status", "  9  ", NULL};
    ZIMU(&r, "--help");
    assert_help(&r, main_words);
    ZIMU(&r, "-h");
    assert_help(&r, main_words);
    ZIMU(&r, "help");
    assert_help(&r, main_words);

    const char *const burn_words[] = {"-s", "-o", "--crf", "--preset", "--size", "--fit",
                                      "--from", "--to", "--font", "--fonts-dir", "--null",
                                      "-y", "-q", "--json", "Exit status", "  7  ", NULL};
    ZIMU(&r, "burn", "--help");
    assert_help(&r, burn_words);
    /* --help wins over missing arguments. */
    ZIMU(&r, "burn", "x.mp4", "-h");
    assert_help(&r, burn_words);
    ZIMU(&r, "help", "burn");
    assert_help(&r, burn_words);

    const char *const preview_words[] = {"-t", "-o", "--size", "Exit status", NULL};
    ZIMU(&r, "preview", "--help");
    assert_help(&r, preview_words);
    ZIMU(&r, "help", "preview");
    assert_help(&r, preview_words);

    ZIMU(&r, "help", "nosuch");
    assert_usage(&r, "nosuch");
}
END_TEST

START_TEST(test_version)
{
    struct result r;
    char want[64];
    snprintf(want, sizeof want, "zimu %d.%d.%d", ZIMU_VERSION_MAJOR, ZIMU_VERSION_MINOR,
             ZIMU_VERSION_PATCH);
    ZIMU(&r, "--version");
    ck_assert_msg(r.status == 0, "exit %d; stderr [%s]", r.status, r.err);
    ck_assert_msg(!strncmp(r.out, want, strlen(want)), "want '%s...', got [%s]", want, r.out);
    ck_assert_msg(strstr(r.out, zimu_version()), "should name the library version [%s]", r.out);
    ck_assert(r.err[0] == 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * Files: clips made once per run with the ffmpeg program.
 */

static char clipdir[64]; /* made by the unchecked fixture */
static int clips_ok;
static char clip[PATH_MAX], audio_only[PATH_MAX], subs[PATH_MAX];

static const char good_srt[] =
    "1\n00:00:00,000 --> 00:00:00,500\n\xe4\xbd\xa0\xe5\xa5\xbd Hello\n\n"
    "2\n00:00:00,500 --> 00:00:01,000\n\xe5\xad\x97\xe5\xb9\x95 World\n";

static void make_clips(void)
{
    snprintf(clipdir, sizeof clipdir, "/tmp/zimu-check-cli-clips-XXXXXX");
    if (!mkdtemp(clipdir))
        return;
    snprintf(clip, sizeof clip, "%s/clip.mp4", clipdir);
    snprintf(audio_only, sizeof audio_only, "%s/audio.m4a", clipdir);
    snprintf(subs, sizeof subs, "%s/subs.srt", clipdir);
    FILE *f = fopen(subs, "wb");
    if (!f)
        return;
    fputs(good_srt, f);
    fclose(f);
    clips_ok = FFMPEG("-f", "lavfi", "-i", "testsrc2=s=320x568:r=30:d=1", "-f", "lavfi", "-i",
                      "sine=d=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                      "yuv420p", "-c:a", "aac", "-shortest", clip) == 0 &&
               FFMPEG("-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", audio_only) == 0;
}

static void remove_clips(void)
{
    rm_rf(clipdir);
}

#define NEED_CLIPS() ck_assert_msg(clips_ok, "the ffmpeg program could not make test clips")

START_TEST(test_missing_input)
{
    NEED_CLIPS();
    struct result r;
    ZIMU(&r, "burn", path("nothere.mp4"), "-s", subs, "-o", path("o.mp4"));
    assert_fail(&r, 2, "nothere.mp4");
    ZIMU(&r, "preview", path("nothere.mp4"), "-s", subs, "-t", "0.5", "-o", path("f.png"));
    assert_fail(&r, 2, "nothere.mp4");
    /* A missing subtitle file is a subtitle problem, and is named. */
    ZIMU(&r, "burn", clip, "-s", path("nosubs.srt"), "-o", path("o.mp4"));
    assert_fail(&r, 6, "nosubs.srt");
    char names[1024];
    ck_assert_msg(list_dir(tmpdir, names, sizeof names) == 0, "left behind: %s", names);
}
END_TEST

START_TEST(test_not_a_video)
{
    NEED_CLIPS();
    struct result r;
    write_file(path("text.mp4"), "this is not a video, just some words\n");
    ZIMU(&r, "burn", path("text.mp4"), "-s", subs, "-o", path("o.mp4"));
    assert_fail(&r, 3, "text.mp4");
    ZIMU(&r, "burn", audio_only, "-s", subs, "-o", path("o.mp4"));
    assert_fail(&r, 4, "audio.m4a");
    ck_assert(!exists(path("o.mp4")));
}
END_TEST

START_TEST(test_bad_subtitles)
{
    NEED_CLIPS();
    struct result r;
    /* Line 6 holds a timestamp that is not one. */
    write_file(path("bad.srt"), "1\n00:00:00,000 --> 00:00:00,500\nHello\n\n"
                                "2\n00:00:00,6x0 --> 00:00:01,000\nWorld\n");
    ZIMU(&r, "burn", clip, "-s", path("bad.srt"), "-o", path("o.mp4"));
    assert_fail(&r, 6, "bad.srt:6");
    ck_assert(!exists(path("o.mp4")));
}
END_TEST

START_TEST(test_existing_output_refused)
{
    NEED_CLIPS();
    struct result r;
    write_file(path("o.mp4"), "keep me");
    ZIMU(&r, "burn", clip, "-s", subs, "-o", path("o.mp4"));
    assert_fail(&r, 7, "o.mp4");
    ck_assert_msg(strstr(r.err, "-y"), "should tell about -y: [%s]", r.err);
    size_t n;
    char *data = read_all(path("o.mp4"), &n);
    ck_assert_msg(data && n == 7 && !memcmp(data, "keep me", 7), "existing output was changed");
    free(data);
    char names[1024];
    ck_assert_msg(list_dir(tmpdir, names, sizeof names) == 1, "left behind: %s", names);

    /* With -y it is replaced. */
    ZIMU(&r, "burn", clip, "-s", subs, "-o", path("o.mp4"), "-y", "-q");
    ck_assert_msg(r.status == 0, "exit %d with -y; stderr [%s]", r.status, r.err);
    data = read_all(path("o.mp4"), &n);
    ck_assert_msg(data && n > 1000, "output not replaced (%zu bytes)", data ? n : 0);
    free(data);
}
END_TEST

/* Four burns to one name at once, without -y: one writes it, the three
 * others fail with exit 7 (refused when they start, or when they find the
 * name taken at the end), and nothing else is left. */
START_TEST(test_four_burns_one_name)
{
    NEED_CLIPS();
    FILE *errs[4];
    pid_t pids[4];
    for (int i = 0; i < 4; i++) {
        errs[i] = tmpfile();
        ck_assert(errs[i]);
        pids[i] = spawn(zimu_bin, (const char *const[]){"burn", clip, "-s", subs, "-o",
                                                         path("o.mp4"), "-q", NULL},
                        NULL, NULL, errs[i]);
    }
    int wrote = 0;
    for (int i = 0; i < 4; i++) {
        struct result r;
        r.status = wait_status(pids[i]);
        slurp(errs[i], r.err, sizeof r.err);
        if (r.status == 0) {
            wrote++;
            continue;
        }
        assert_fail(&r, 7, "o.mp4");
        ck_assert_msg(strstr(r.err, "-y"), "should tell about -y: [%s]", r.err);
    }
    ck_assert_msg(wrote == 1, "%d burns report writing o.mp4", wrote);
    char names[1024];
    ck_assert_msg(list_dir(tmpdir, names, sizeof names) == 1, "left behind: %s", names);
    size_t n;
    char *data = read_all(path("o.mp4"), &n);
    ck_assert_msg(data && n > 1000, "o.mp4 has %zu bytes", data ? n : 0);
    free(data);
}
END_TEST

START_TEST(test_output_is_input_refused)
{
    NEED_CLIPS();
    struct result r;
    size_t n0, n1;
    char *before = read_all(clip, &n0);
    ck_assert(before != NULL);
    char same[PATH_MAX];
    /* Spelled as given, spelled differently, relative, and through a link. */
    ZIMU(&r, "burn", clip, "-s", subs, "-o", clip, "-y");
    assert_fail(&r, 7, "clip.mp4");
    snprintf(same, sizeof same, "%s/./clip.mp4", clipdir);
    ZIMU(&r, "burn", clip, "-s", subs, "-o", same, "-y");
    assert_fail(&r, 7, "clip.mp4");
    ZIMU_IN(&r, clipdir, "burn", clip, "-s", subs, "-o", "clip.mp4", "-y");
    assert_fail(&r, 7, "clip.mp4");
    ck_assert(symlink(clip, path("link.mp4")) == 0);
    ZIMU(&r, "burn", path("link.mp4"), "-s", subs, "-o", clip, "-y");
    assert_fail(&r, 7, NULL);

    char *after = read_all(clip, &n1);
    ck_assert_msg(after && n0 == n1 && !memcmp(before, after, n0), "the input was changed");
    free(before);
    free(after);
    char names[1024];
    int count = list_dir(clipdir, names, sizeof names);
    ck_assert_msg(count == 3, "clip directory changed: %s", names);
}
END_TEST

/* --json: one object, valid JSON even for names with quotes and Chinese. */
START_TEST(test_json_summary)
{
    NEED_CLIPS();
    struct result r;
    const char *out = path("\xe8\xbe\x93\xe5\x87\xba \"q\\.mp4"); /* 输出 "q\.mp4 */
    ZIMU(&r, "burn", clip, "-s", subs, "-o", out, "--json", "-q");
    ck_assert_msg(r.status == 0, "exit %d; stderr [%s]", r.status, r.err);
    ck_assert_msg(r.err[0] == 0, "-q: stderr should be empty: [%s]", r.err);
    ck_assert_msg(exists(out), "no output file");

    json_object *j = json_tokener_parse(r.out);
    ck_assert_msg(j != NULL && json_object_is_type(j, json_type_object),
                  "stdout is not one JSON object: [%s]", r.out);
    json_object *v;
    ck_assert(json_object_object_get_ex(j, "ok", &v) && json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(j, "output", &v));
    ck_assert_str_eq(json_object_get_string(v), out);
    ck_assert(json_object_object_get_ex(j, "input", &v));
    ck_assert_str_eq(json_object_get_string(v), clip);
    ck_assert(json_object_object_get_ex(j, "frames", &v));
    ck_assert_int_eq(json_object_get_int64(v), 30);
    ck_assert(json_object_object_get_ex(j, "width", &v));
    ck_assert_int_eq(json_object_get_int(v), 320);
    ck_assert(json_object_object_get_ex(j, "height", &v));
    ck_assert_int_eq(json_object_get_int(v), 568);
    ck_assert(json_object_object_get_ex(j, "size", &v));
    ck_assert_str_eq(json_object_get_string(v), "320x568");
    ck_assert(json_object_object_get_ex(j, "audio", &v));
    ck_assert_str_eq(json_object_get_string(v), "copy");
    static const char *const numbers[] = {
        "duration", "elapsed", "fps", "render_ms_total", "compose_ms_total",
        "render_ms_per_frame", "compose_ms_per_frame", "overlay_updates", NULL};
    for (int i = 0; numbers[i]; i++) {
        ck_assert_msg(json_object_object_get_ex(j, numbers[i], &v) &&
                          (json_object_is_type(v, json_type_double) ||
                           json_object_is_type(v, json_type_int)),
                      "missing number '%s' in [%s]", numbers[i], r.out);
        ck_assert_msg(json_object_get_double(v) >= 0, "%s < 0", numbers[i]);
    }
    ck_assert(json_object_object_get_ex(j, "duration", &v));
    ck_assert_msg(json_object_get_double(v) > 0.9 && json_object_get_double(v) < 1.1,
                  "duration %f", json_object_get_double(v));
    ck_assert(json_object_object_get_ex(j, "overlay_updates", &v));
    ck_assert_msg(json_object_get_int64(v) >= 2, "two cues, %lld overlay updates",
                  (long long)json_object_get_int64(v));
    json_object_put(j);

    /* A failure with --json is an object too, with the exit status. */
    ZIMU(&r, "burn", path("nothere.mp4"), "-s", subs, "-o", path("o.mp4"), "--json");
    ck_assert_int_eq(r.status, 2);
    j = json_tokener_parse(r.out);
    ck_assert_msg(j != NULL, "failure: stdout is not JSON: [%s]", r.out);
    ck_assert(json_object_object_get_ex(j, "ok", &v) && !json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(j, "exit_code", &v));
    ck_assert_int_eq(json_object_get_int(v), 2);
    ck_assert(json_object_object_get_ex(j, "error", &v));
    ck_assert_msg(strstr(json_object_get_string(v), "nothere.mp4"), "error: %s",
                  json_object_get_string(v));
    /* the file it is about, as given */
    ck_assert(json_object_object_get_ex(j, "error_file", &v));
    ck_assert_str_eq(json_object_get_string(v), path("nothere.mp4"));
    json_object_put(j);
    /* missing captions: exit 6, and the caption file is the one */
    ZIMU(&r, "burn", clip, "-s", path("nothere.srt"), "-o", path("o.mp4"), "--json");
    ck_assert_int_eq(r.status, 6);
    j = json_tokener_parse(r.out);
    ck_assert_msg(j != NULL, "failure: stdout is not JSON: [%s]", r.out);
    ck_assert(json_object_object_get_ex(j, "error_file", &v));
    ck_assert_str_eq(json_object_get_string(v), path("nothere.srt"));
    json_object_put(j);
    /* a usage error is about no file */
    ZIMU(&r, "burn", clip, "-s", subs, "-o", path("o.mp4"), "--json", "--size", "8x8");
    ck_assert_int_eq(r.status, 1);
    j = json_tokener_parse(r.out);
    ck_assert_msg(j != NULL, "failure: stdout is not JSON: [%s]", r.out);
    ck_assert(json_object_object_get_ex(j, "error_file", &v) && v == NULL);
    json_object_put(j);
}
END_TEST

START_TEST(test_null_output)
{
    NEED_CLIPS();
    struct result r;
    ZIMU_IN(&r, tmpdir, "burn", clip, "-s", subs, "--null", "--json");
    ck_assert_msg(r.status == 0, "exit %d; stderr [%s]", r.status, r.err);
    json_object *j = json_tokener_parse(r.out), *v;
    ck_assert_msg(j != NULL, "stdout is not JSON: [%s]", r.out);
    ck_assert(json_object_object_get_ex(j, "output", &v) && v == NULL);
    ck_assert(json_object_object_get_ex(j, "frames", &v));
    ck_assert_int_eq(json_object_get_int64(v), 30);
    json_object_put(j);
    char names[1024];
    ck_assert_msg(list_dir(tmpdir, names, sizeof names) == 0, "--null wrote: %s", names);
}
END_TEST

/* On a pipe: no progress line; the done line unless -q. */
START_TEST(test_quiet_on_pipe)
{
    NEED_CLIPS();
    struct result r;
    ZIMU(&r, "burn", clip, "-s", subs, "-o", path("o.mp4"));
    ck_assert_msg(r.status == 0, "exit %d; stderr [%s]", r.status, r.err);
    assert_one_line(&r);
    ck_assert_msg(!strchr(r.err, '\r') && strstr(r.err, "o.mp4"), "stderr: [%s]", r.err);
    ck_assert(r.out[0] == 0);
    ZIMU(&r, "burn", clip, "-s", subs, "-o", path("o2.mp4"), "-q");
    ck_assert_msg(r.status == 0 && r.err[0] == 0 && r.out[0] == 0, "-q printed [%s][%s]",
                  r.out, r.err);
}
END_TEST

START_TEST(test_preview)
{
    NEED_CLIPS();
    struct result r;
    ZIMU(&r, "preview", clip, "-s", subs, "-t", "0.25", "-o", path("f.png"), "-q");
    ck_assert_msg(r.status == 0, "exit %d; stderr [%s]", r.status, r.err);
    ck_assert(r.err[0] == 0);
    size_t n;
    char *png = read_all(path("f.png"), &n);
    ck_assert_msg(png && n > 8 && !memcmp(png, "\x89PNG\r\n\x1a\n", 8), "not a PNG");
    free(png);
    /* Same options as burn, same refusal to replace a file. */
    ZIMU(&r, "preview", clip, "-s", subs, "-t", "0:00.5", "-o", path("f.png"));
    assert_fail(&r, 7, "f.png");
    ZIMU(&r, "preview", clip, "-s", subs, "-t", "0.5", "-o", path("f.png"), "-y", "-q",
         "--size", "360x640", "--fit", "blur");
    ck_assert_msg(r.status == 0, "exit %d; stderr [%s]", r.status, r.err);
}
END_TEST

/* Ctrl-C: exit 8, one line, and neither the output nor a temporary file. */
START_TEST(test_sigint_cancels)
{
    NEED_CLIPS();
    /* Long enough that the burn is surely still running when interrupted. */
    char longclip[PATH_MAX];
    snprintf(longclip, sizeof longclip, "%s/long.mp4", tmpdir);
    ck_assert(FFMPEG("-f", "lavfi", "-i", "testsrc2=s=720x1280:r=30:d=10", "-c:v", "libx264",
                     "-preset", "ultrafast", longclip) == 0);
    char outdir[PATH_MAX];
    snprintf(outdir, sizeof outdir, "%s/out", tmpdir);
    ck_assert(mkdir(outdir, 0700) == 0);
    char out[PATH_MAX + 16];
    snprintf(out, sizeof out, "%s/o.mp4", outdir);

    FILE *err = tmpfile();
    pid_t pid = spawn(zimu_bin,
                      (const char *const[]){"burn", longclip, "-s", subs, "-o", out,
                                            "--preset", "veryslow", NULL},
                      NULL, NULL, err);
    /* Wait for the temporary output to appear (at most 5 s), then a bit. */
    char names[1024];
    for (int i = 0; i < 100 && list_dir(outdir, names, sizeof names) == 0; i++)
        usleep(50000);
    usleep(300000);
    int st;
    ck_assert_msg(waitpid(pid, &st, WNOHANG) == 0, "burn ended before it was interrupted");
    kill(pid, SIGINT);
    /* It must stop soon, not finish the job first. */
    int stopped = 0;
    for (int i = 0; i < 300 && !(stopped = waitpid(pid, &st, WNOHANG) == pid); i++)
        usleep(50000);
    if (!stopped) {
        kill(pid, SIGKILL);
        wait_status(pid);
        ck_abort_msg("burn still running 15 s after Ctrl-C");
    }
    struct result r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    slurp(err, r.err, sizeof r.err);
    assert_fail(&r, 8, "cancel");
    ck_assert_msg(list_dir(outdir, names, sizeof names) == 0, "left behind: %s", names);
}
END_TEST

/* ------------------------------------------------------------------------ */

static Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    /* Each run of the program costs a few tenths of a second (FFmpeg's
     * libraries load), more on a busy machine: Check's 4 s default is short. */
    TCase *tc = tcase_create("args");
    tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_no_args);
    tcase_add_test(tc, test_unknown_command);
    tcase_add_test(tc, test_unknown_option);
    tcase_add_test(tc, test_missing_required);
    tcase_add_test(tc, test_bad_time);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_dash_names);
    tcase_add_test(tc, test_output_limits);
    tcase_add_test(tc, test_help);
    tcase_add_test(tc, test_version);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_unchecked_fixture(tc, make_clips, remove_clips);
    tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_missing_input);
    tcase_add_test(tc, test_not_a_video);
    tcase_add_test(tc, test_bad_subtitles);
    tcase_add_test(tc, test_existing_output_refused);
    tcase_add_test(tc, test_four_burns_one_name);
    tcase_add_test(tc, test_output_is_input_refused);
    tcase_add_test(tc, test_json_summary);
    tcase_add_test(tc, test_null_output);
    tcase_add_test(tc, test_quiet_on_pipe);
    tcase_add_test(tc, test_preview);
    tcase_add_test(tc, test_sigint_cancels);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    const char *bin = getenv("ZIMU_BIN");
    if (!bin || !*bin)
        bin = "build/zimu";
    if (!realpath(bin, zimu_bin)) {
        fprintf(stderr, "check_cli: %s: %s (set ZIMU_BIN or run from the top of the tree)\n",
                bin, strerror(errno));
        snprintf(zimu_bin, sizeof zimu_bin, "%s", bin); /* every test then fails */
    }
    SRunner *sr = srunner_create(cli_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
