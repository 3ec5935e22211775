/* check_faults_output.c - outputs that cannot be written, or must not be:
 * a read-only folder (read-only even for root: a read-only bind mount or
 * tmpfs in a private mount namespace), a full disk (a 64 KiB tmpfs, and
 * RLIMIT_FSIZE), an output that is an input through a symbolic or hard
 * link, and output names with odd characters. Each a clear error (or,
 * for the names, exactly that name made), no partial output, no
 * temporary left, no input changed.
 *
 * The mounts are made in a mount namespace of the test's own process
 * (Check runs each test in a child), so nothing is seen or left outside
 * it. Where mounting is not allowed the read-only folder falls back to
 * chmod (which stops everyone but root) and the tmpfs cases are skipped,
 * each saying why on standard output. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_clip.h"

static char *dir;

static void setup(void)
{
    dir = tu_test_dir();
    ck_assert_msg(dir != NULL, "%s", tu_err());
    /* zimu's TMPDIR (zimu_run) */
    char *tmp = tu_path(dir, "tmp");
    ck_assert_int_eq(mkdir(tmp, 0700), 0);
    free(tmp);
}

static void teardown(void)
{
    tu_test_dir_done(dir);
    dir = NULL;
}

static const char *zimu_bin(void)
{
    static char abs[4096];
    const char *b = getenv("ZIMU_BIN") ? getenv("ZIMU_BIN") : "build/zimu";
    /* absolute: the program is run from other folders */
    if (b[0] != '/' && realpath(b, abs))
        return abs;
    return b;
}

/* ---- running zimu ------------------------------------------------------- */

typedef struct run_opts {
    const char *cwd;  /* NULL: the test's */
    const char *tmp;  /* TMPDIR, NULL: the test folder's tmp/ */
    rlim_t fsize;     /* RLIMIT_FSIZE in bytes, 0: none */
} run_opts;

static char err_text[16384];

/* Run zimu with args (NULL-ended); its exit status; its stderr in
 * err_text. */
static int zimu_run(const run_opts *o, const char *const *args)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = zimu_bin();
    for (int i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char *errpath = tu_path(dir, "stderr.txt");
    char *deftmp = tu_path(dir, "tmp");
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int fe = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (null < 0 || fe < 0)
            _exit(127);
        dup2(null, 0);
        dup2(null, 1);
        dup2(fe, 2);
        setenv("TMPDIR", o && o->tmp ? o->tmp : deftmp, 1);
        if (o && o->cwd && chdir(o->cwd) != 0)
            _exit(126);
        if (o && o->fsize) {
            struct rlimit rl = {o->fsize, o->fsize};
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ck_assert(errno == EINTR);
    uint8_t *d = NULL;
    size_t len = 0;
    err_text[0] = 0;
    if (tu_read_file(errpath, &d, &len) == 0) {
        snprintf(err_text, sizeof err_text, "%.*s", (int)len, (const char *)d);
        free(d);
    }
    unlink(errpath);
    free(errpath);
    free(deftmp);
    ck_assert_msg(WIFEXITED(st), "zimu was killed by signal %d", WTERMSIG(st));
    return WEXITSTATUS(st);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- folders ----------------------------------------------------------- */

static char listing[8192];

/* The names in folder d, hidden ones too, sorted, "|a|b|" ("|" empty). */
static const char *names_in(const char *d)
{
    struct dirent **list;
    int n = scandir(d, &list, NULL, alphasort);
    ck_assert_msg(n >= 0, "scandir %s: %s", d, strerror(errno));
    size_t len = (size_t)snprintf(listing, sizeof listing, "|");
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, ".."))
            len += (size_t)snprintf(listing + len, len < sizeof listing ? sizeof listing - len : 0,
                                    "%s|", list[i]->d_name);
        free(list[i]);
    }
    free(list);
    return listing;
}

static char *subdir(const char *name)
{
    char *p = tu_path(dir, name);
    ck_assert_msg(mkdir(p, 0755) == 0, "mkdir %s: %s", p, strerror(errno));
    return p;
}

static const char *SRT = "1\n00:00:00,000 --> 00:00:01,500\n一句字幕 a caption\n\n"
                         "2\n00:00:01,500 --> 00:00:02,000\n第二句\n";

/* An SRT file of n cues (about 60 bytes each). */
static char *big_srt(const char *d, const char *name, int n)
{
    size_t cap = (size_t)n * 80 + 1;
    char *t = malloc(cap);
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        int s = i * 2;
        len += (size_t)snprintf(t + len, cap - len,
                                "%d\n00:%02d:%02d,000 --> 00:%02d:%02d,900\n第%d句字幕\n\n", i + 1,
                                s / 60 % 60, s % 60, (s + 1) / 60 % 60, (s + 1) % 60, i + 1);
    }
    char *p = tu_path(d, name);
    ck_assert_int_eq(tu_write_file(p, t, len), 0);
    free(t);
    return p;
}

/* Whether path decodes to frames frames. */
static int complete(const char *path, int frames)
{
    tu_video v;
    if (tu_read_video(path, &v, 0) < 0)
        return 0;
    int ok = v.n == frames;
    tu_video_free(&v);
    return ok;
}

/* ---- mounts ------------------------------------------------------------ */

static int ns_ready = -1;
static char ns_why[256];

/* This test process's own mount namespace, mounts not propagated out:
 * 1, or 0 with the reason in ns_why. */
static int private_mounts(void)
{
    if (ns_ready >= 0)
        return ns_ready;
    ns_ready = 0;
    if (unshare(CLONE_NEWNS) != 0)
        snprintf(ns_why, sizeof ns_why, "unshare(CLONE_NEWNS): %s", strerror(errno));
    else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        snprintf(ns_why, sizeof ns_why, "making / private: %s", strerror(errno));
    else
        ns_ready = 1;
    return ns_ready;
}

/* A tmpfs of size ("2m") at d, read-only when ro: 1, or 0 with the
 * reason in ns_why. */
static int mount_tmpfs(const char *d, const char *size, int ro)
{
    if (!private_mounts())
        return 0;
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s,mode=0755", size);
    if (mount("tmpfs", d, "tmpfs", ro ? MS_RDONLY : 0, opts) != 0) {
        snprintf(ns_why, sizeof ns_why, "mount tmpfs on %s: %s", d, strerror(errno));
        return 0;
    }
    return 1;
}

/* d bound onto itself read-only (its content stays visible): 1 or 0. */
static int bind_read_only(const char *d)
{
    if (!private_mounts())
        return 0;
    if (mount(d, d, NULL, MS_BIND, NULL) != 0) {
        snprintf(ns_why, sizeof ns_why, "bind mount %s: %s", d, strerror(errno));
        return 0;
    }
    if (mount(NULL, d, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0) {
        snprintf(ns_why, sizeof ns_why, "read-only remount of %s: %s", d, strerror(errno));
        umount2(d, MNT_DETACH);
        return 0;
    }
    return 1;
}

static void skip(const char *test, const char *why)
{
    printf("SKIP %s: %s\n", test, why);
    fflush(stdout);
}

/* ---- a folder no one may write to ---------------------------------------- */

/* Burn, preview, convert and batch into a folder that cannot be written
 * (a read-only bind mount of a folder holding one file, a read-only
 * tmpfs; chmod 0555 when not root and mounting is not allowed): exit 7
 * naming the output and saying why, the folder as it was, nothing in
 * TMPDIR. */
START_TEST(read_only_folder)
{
    char *clip = tu_clip_at(dir, "clip.mp4", 10);
    char *srt = tu_write_text(dir, "c.srt", SRT);
    char *ro1 = subdir("ro-bind"), *ro2 = subdir("ro-tmpfs");
    char *keep = tu_write_text(ro1, "keep.txt", "precious\n");
    char *folders[2] = {ro1, ro2};
    int n_folders = 0;
    const char *how = NULL;
    if (bind_read_only(ro1)) {
        n_folders = 1;
        how = "read-only bind mount";
        if (mount_tmpfs(ro2, "1m", 1))
            n_folders = 2;
    } else if (geteuid() != 0) {
        ck_assert_int_eq(chmod(ro1, 0555), 0);
        n_folders = 1;
        how = "chmod 0555";
    } else {
        skip("read_only_folder", ns_why);
        n_folders = 0;
    }
    char *tmp = tu_path(dir, "tmp");
    for (int f = 0; f < n_folders; f++) {
        const char *ro = folders[f];
        char before[8192];
        snprintf(before, sizeof before, "%s", names_in(ro));
        char *o = tu_path(ro, "o.mp4"), *png = tu_path(ro, "o.png"), *vtt = tu_path(ro, "o.vtt");
        char *bout = tu_path(ro, "batch");
        struct {
            const char *what, *needle;
            const char *const *args;
        } runs[] = {
            {"burn", "o.mp4", ARGS("burn", clip, "-s", srt, "-o", o)},
            {"burn -y", "o.mp4", ARGS("burn", clip, "-s", srt, "-o", o, "-y")},
            {"preview", "o.png", ARGS("preview", clip, "-s", srt, "-t", "0.1", "-o", png)},
            {"convert", "o.vtt", ARGS("convert", srt, "-o", vtt)},
            {"batch", "batch", ARGS("batch", dir, "-o", bout)},
        };
        for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
            int st = zimu_run(NULL, runs[i].args);
            ck_assert_msg(st == 7, "%s into a %s: exit %d (expected 7): %s", runs[i].what,
                          f ? "read-only tmpfs" : how, st, err_text);
            ck_assert_msg(strstr(err_text, runs[i].needle) &&
                              (strstr(err_text, "Read-only file system") ||
                               strstr(err_text, "Permission denied")),
                          "%s: the message does not name the output and the reason: %s",
                          runs[i].what, err_text);
            ck_assert_msg(!strchr(strchr(err_text, '\n') ? strchr(err_text, '\n') + 1 : "", '\n'),
                          "%s: more than one line: %s", runs[i].what, err_text);
            ck_assert_str_eq(names_in(ro), before);
            ck_assert_str_eq(names_in(tmp), "|");
        }
        free(o);
        free(png);
        free(vtt);
        free(bout);
    }
    if (n_folders && !strcmp(how, "chmod 0555"))
        chmod(ro1, 0755);
    else if (n_folders) {
        umount2(ro1, MNT_DETACH);
        if (n_folders == 2)
            umount2(ro2, MNT_DETACH);
    }
    uint8_t *d;
    size_t n;
    TU_OK(tu_read_file(keep, &d, &n));
    ck_assert(n == 9 && !memcmp(d, "precious\n", 9));
    free(d);
    free(keep);
    free(tmp);
    free(ro1);
    free(ro2);
    free(clip);
    free(srt);
}
END_TEST

/* ---- a full disk ---------------------------------------------------------- */

/* A 64 KiB tmpfs: a burn far larger than that, a convert into the little
 * room a big file leaves, and a batch: each a clear "No space left on
 * device" naming the output, exit 7 (10 for the batch, whose every clip
 * failed), and nothing left on the tmpfs but what was there. */
START_TEST(disk_full_tmpfs)
{
    char *full = subdir("full");
    /* too small even for what a flat test clip compresses to */
    if (!mount_tmpfs(full, "64k", 0)) {
        skip("disk_full_tmpfs", ns_why);
        free(full);
        return;
    }
    char *clip = tu_clip_at(dir, "clip.mp4", 60);
    char *srt = tu_write_text(dir, "c.srt", SRT);
    char *tmp = tu_path(dir, "tmp");
    char *o = tu_path(full, "o.mp4");
    int st = zimu_run(NULL, ARGS("burn", clip, "-s", srt, "-o", o, "--size", "1080x1920",
                                 "--crf", "0", "--preset", "ultrafast"));
    ck_assert_msg(st == 7, "burn onto a full disk: exit %d: %s", st, err_text);
    ck_assert_msg(strstr(err_text, "o.mp4") && strstr(err_text, "No space left on device"),
                  "burn: %s", err_text);
    ck_assert_str_eq(names_in(full), "|");
    ck_assert_str_eq(names_in(tmp), "|");
    struct statvfs sv;
    ck_assert_int_eq(statvfs(full, &sv), 0);
    ck_assert_msg(sv.f_bfree == sv.f_blocks, "%lu of %lu blocks still used",
                  (unsigned long)(sv.f_blocks - sv.f_bfree), (unsigned long)sv.f_blocks);

    /* convert: a file fills all but 8 KiB; the output needs far more */
    char *big = big_srt(dir, "big.srt", 4000);
    char *filler = tu_path(full, "filler.bin");
    size_t room = (size_t)sv.f_bavail * sv.f_frsize;
    size_t fill = room - 8192;
    char *zeros = calloc(1, fill);
    ck_assert_int_eq(tu_write_file(filler, zeros, fill), 0);
    free(zeros);
    char *ov = tu_path(full, "big.vtt");
    st = zimu_run(NULL, ARGS("convert", big, "-o", ov));
    ck_assert_msg(st == 7, "convert onto a full disk: exit %d: %s", st, err_text);
    ck_assert_msg(strstr(err_text, "big.vtt") && strstr(err_text, "No space left on device"),
                  "convert: %s", err_text);
    ck_assert_str_eq(names_in(full), "|filler.bin|");
    unlink(filler);

    /* batch: both clips fail for want of room, each saying so; no
     * temporary and no partial video remain */
    char *in = subdir("in");
    free(tu_clip_at(in, "a.mp4", 60));
    free(tu_clip_at(in, "b.mp4", 60));
    free(tu_write_text(in, "a.srt", SRT));
    free(tu_write_text(in, "b.srt", SRT));
    char *bout = tu_path(full, "out");
    st = zimu_run(NULL, ARGS("batch", in, "-o", bout, "-j", "1", "--size", "1080x1920", "--crf",
                             "0", "--preset", "ultrafast"));
    ck_assert_msg(st == 10 || st == 7, "batch onto a full disk: exit %d: %s", st, err_text);
    ck_assert_msg(strstr(err_text, "No space left on device"), "batch: %s", err_text);
    if (tu_exists(bout)) {
        const char *left = names_in(bout);
        ck_assert_msg(!strstr(left, ".part") && !strstr(left, "a.mp4|") &&
                          !strstr(left, "b.mp4|"),
                      "batch left %s", left);
    }
    ck_assert_str_eq(names_in(tmp), "|");
    umount2(full, MNT_DETACH);
    free(bout);
    free(in);
    free(ov);
    free(filler);
    free(big);
    free(o);
    free(tmp);
    free(clip);
    free(srt);
    free(full);
}
END_TEST

/* RLIMIT_FSIZE (ulimit -f) in the child: convert and batch fail with
 * "file too large" and leave nothing (check_bounds.c has the burn). */
START_TEST(file_size_limit)
{
    char *big = big_srt(dir, "big.srt", 4000);
    char *out = subdir("out");
    char *ov = tu_path(out, "big.vtt");
    run_opts o = {.fsize = 16384};
    int st = zimu_run(&o, ARGS("convert", big, "-o", ov));
    ck_assert_msg(st == 7, "convert past RLIMIT_FSIZE: exit %d: %s", st, err_text);
    ck_assert_msg(strstr(err_text, "big.vtt") && strcasestr(err_text, "file too large"),
                  "convert: %s", err_text);
    ck_assert_str_eq(names_in(out), "|");

    char *in = subdir("in");
    free(tu_clip_at(in, "a.mp4", 60));
    free(tu_write_text(in, "a.srt", SRT));
    char *bout = tu_path(dir, "bout");
    o.fsize = 1 << 20; /* room for the reports, the page and the font set-up */
    st = zimu_run(&o, ARGS("batch", in, "-o", bout, "--size", "1080x1920", "--crf", "0",
                           "--preset", "ultrafast"));
    ck_assert_msg(st == 10, "batch past RLIMIT_FSIZE: exit %d: %s", st, err_text);
    ck_assert_msg(strcasestr(err_text, "file too large"), "batch: %s", err_text);
    const char *left = names_in(bout);
    ck_assert_msg(!strstr(left, ".part") && !strstr(left, "|a.mp4|"), "batch left %s", left);
    char *tmp = tu_path(dir, "tmp");
    ck_assert_str_eq(names_in(tmp), "|");
    free(tmp);
    free(bout);
    free(in);
    free(ov);
    free(out);
    free(big);
}
END_TEST

/* ---- output is an input, through a link ------------------------------------ */

static void file_state(const char *path, struct stat *st, uint8_t **data, size_t *n)
{
    ck_assert_int_eq(lstat(path, st), 0);
    TU_OK(tu_read_file(path, data, n));
}

static void same_state(const char *path, const struct stat *st, const uint8_t *data, size_t n,
                       const char *what)
{
    struct stat now;
    uint8_t *d;
    size_t m;
    file_state(path, &now, &d, &m);
    ck_assert_msg(now.st_ino == st->st_ino && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
                      now.st_mtim.tv_nsec == st->st_mtim.tv_nsec && m == n &&
                      !memcmp(d, data, n),
                  "%s: %s was changed", what, path);
    free(d);
}

/* Burn: -o a symbolic link to, and a hard link of, the video and the
 * caption file; convert: -o a link to its input; with and without -y.
 * ZIMU_ESAME (exit 7, "is the input file"), the inputs and the links as
 * they were, nothing else in the folder. */
START_TEST(output_is_input_through_links)
{
    char *clip = tu_clip_at(dir, "clip.mp4", 10);
    char *srt = tu_write_text(dir, "c.srt", SRT);
    struct stat s_clip, s_srt;
    uint8_t *d_clip, *d_srt;
    size_t n_clip, n_srt;
    file_state(clip, &s_clip, &d_clip, &n_clip);
    file_state(srt, &s_srt, &d_srt, &n_srt);
    /* links with the output's extension, to each input */
    char *sym_clip = tu_path(dir, "sym-clip.mp4"), *hard_clip = tu_path(dir, "hard-clip.mp4");
    char *sym_srt = tu_path(dir, "sym-srt.mp4"), *hard_srt = tu_path(dir, "hard-srt.mp4");
    char *sym_conv = tu_path(dir, "sym.srt"), *hard_conv = tu_path(dir, "hard.srt");
    ck_assert_int_eq(symlink("clip.mp4", sym_clip), 0);
    ck_assert_int_eq(link(clip, hard_clip), 0);
    ck_assert_int_eq(symlink(srt, sym_srt), 0);
    ck_assert_int_eq(link(srt, hard_srt), 0);
    ck_assert_int_eq(symlink("c.srt", sym_conv), 0);
    ck_assert_int_eq(link(srt, hard_conv), 0);
    char before[8192];
    snprintf(before, sizeof before, "%s", names_in(dir));
    const char *outs[4] = {sym_clip, hard_clip, sym_srt, hard_srt};
    for (int i = 0; i < 4; i++)
        for (int y = 0; y < 2; y++) {
            int st = y ? zimu_run(NULL, ARGS("burn", clip, "-s", srt, "-o", outs[i], "-y"))
                       : zimu_run(NULL, ARGS("burn", clip, "-s", srt, "-o", outs[i]));
            ck_assert_msg(st == 7 && strstr(err_text, "output is the input file"),
                          "burn -o %s%s: exit %d: %s", outs[i], y ? " -y" : "", st, err_text);
            same_state(clip, &s_clip, d_clip, n_clip, outs[i]);
            same_state(srt, &s_srt, d_srt, n_srt, outs[i]);
            ck_assert_str_eq(names_in(dir), before);
        }
    /* preview of a flash script and convert: the same rule */
    const char *convs[2] = {sym_conv, hard_conv};
    for (int i = 0; i < 2; i++)
        for (int y = 0; y < 2; y++) {
            int st = y ? zimu_run(NULL, ARGS("convert", srt, "-o", convs[i], "-y"))
                       : zimu_run(NULL, ARGS("convert", srt, "-o", convs[i]));
            ck_assert_msg(st == 7 && strstr(err_text, "output is the input file"),
                          "convert -o %s%s: exit %d: %s", convs[i], y ? " -y" : "", st,
                          err_text);
            same_state(srt, &s_srt, d_srt, n_srt, convs[i]);
            ck_assert_str_eq(names_in(dir), before);
        }
    /* a hard link is still a link of the input after all that */
    struct stat h;
    ck_assert_int_eq(stat(hard_clip, &h), 0);
    ck_assert(h.st_ino == s_clip.st_ino && h.st_nlink == 2);
    free(d_clip);
    free(d_srt);
    free(sym_clip);
    free(hard_clip);
    free(sym_srt);
    free(hard_srt);
    free(sym_conv);
    free(hard_conv);
    free(clip);
    free(srt);
}
END_TEST

/* Batch: an output name that is a hard link of its clip or of its caption
 * file, and a manifest whose row's output is a symbolic or hard link of
 * the manifest, even with --force: that clip fails as "output is the
 * input", the inputs are as they were, the other clips are done. */
START_TEST(batch_output_is_input_through_links)
{
    char *in = subdir("in"), *out = subdir("out");
    char *a = tu_clip_at(in, "a.mp4", 10), *b = tu_clip_at(in, "b.mp4", 10);
    char *c = tu_clip_at(in, "c.mp4", 10);
    char *as = tu_write_text(in, "a.srt", SRT), *bs = tu_write_text(in, "b.srt", SRT);
    char *cs = tu_write_text(in, "c.srt", SRT);
    struct stat sa, sb;
    uint8_t *da, *db;
    size_t na, nb;
    file_state(a, &sa, &da, &na);
    file_state(bs, &sb, &db, &nb);
    char *oa = tu_path(out, "a.mp4"), *ob = tu_path(out, "b.mp4"), *oc = tu_path(out, "c.mp4");
    ck_assert_int_eq(link(a, oa), 0);  /* out/a.mp4 is in/a.mp4 */
    ck_assert_int_eq(link(bs, ob), 0); /* out/b.mp4 is in/b.srt */
    int st = zimu_run(NULL, ARGS("batch", in, "-o", out, "--force", "-j", "1"));
    ck_assert_msg(st == 10, "batch: exit %d: %s", st, err_text);
    ck_assert_msg(strstr(err_text, "failed a.mp4: its output") &&
                      strstr(err_text, "failed b.mp4: its output") &&
                      strstr(err_text, "is an input of the batch"),
                  "batch: %s", err_text);
    same_state(a, &sa, da, na, "batch, a.mp4");
    same_state(bs, &sb, db, nb, "batch, b.mp4");
    same_state(oa, &sa, da, na, "batch, out/a.mp4");
    ck_assert_msg(complete(oc, 10), "c.mp4 was not made");

    /* a manifest: row 2's output is a symbolic link to the manifest, row
     * 3's a hard link of it */
    char *mdir = subdir("m");
    char *mout = subdir("mout");
    free(tu_clip_at(mdir, "x.mp4", 10));
    char *man = tu_write_text(mdir, "list.csv",
                              "clip,text,output\nx.mp4,第一,sym.mp4\nx.mp4,第二,hard.mp4\n"
                              "x.mp4,第三,fine.mp4\n");
    struct stat sm;
    uint8_t *dm;
    size_t nm;
    file_state(man, &sm, &dm, &nm);
    char *sym = tu_path(mout, "sym.mp4"), *hard = tu_path(mout, "hard.mp4");
    ck_assert_int_eq(symlink(man, sym), 0);
    ck_assert_int_eq(link(man, hard), 0);
    st = zimu_run(NULL, ARGS("batch", mdir, "-o", mout, "--manifest", man, "--force"));
    ck_assert_msg(st == 10, "manifest batch: exit %d: %s", st, err_text);
    same_state(man, &sm, dm, nm, "manifest batch");
    struct stat l;
    ck_assert_int_eq(lstat(sym, &l), 0);
    ck_assert_msg(S_ISLNK(l.st_mode), "the symbolic link was replaced");
    ck_assert_int_eq(stat(hard, &l), 0);
    ck_assert_msg(l.st_ino == sm.st_ino, "the hard link was replaced");
    char *fine = tu_path(mout, "fine.mp4");
    ck_assert_msg(complete(fine, 10), "the good row was not made: %s", err_text);
    free(fine);
    free(sym);
    free(hard);
    free(dm);
    free(man);
    free(mout);
    free(mdir);
    free(da);
    free(db);
    free(oa);
    free(ob);
    free(oc);
    free(a);
    free(b);
    free(c);
    free(as);
    free(bs);
    free(cs);
    free(in);
    free(out);
}
END_TEST

/* ---- odd names ----------------------------------------------------------- */

/* Output names with spaces, quotes, a colon, a backslash, Chinese, a
 * leading dash, percent signs and (where the file system allows) a
 * newline: burn, preview and convert make exactly that name, run from
 * the output's folder with the name as given. */
START_TEST(odd_output_names)
{
    char *clip = tu_clip_at(dir, "clip.mp4", 10);
    char *srt = tu_write_text(dir, "c.srt", SRT);
    char *out = subdir("out");
    static const char *const stems[] = {
        "two  spaces", "it's \"quoted\"", "a:b", "back\\slash", "中文 字幕", "-dash",
        "100%", "%d %s %n %%", "new\nline", "[brackets]{x}", "semi;colon,comma=eq",
    };
    run_opts o = {.cwd = out};
    int made = 0, expected = 0;
    for (size_t i = 0; i < sizeof stems / sizeof *stems; i++) {
        static const char *const exts[3] = {".mp4", ".png", ".vtt"};
        /* a name the file system itself refuses is no test of zimu */
        char *probe = tu_path(out, stems[i]);
        int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) {
            char why[512];
            snprintf(why, sizeof why, "the file system refuses the name '%s': %s", stems[i],
                     strerror(errno));
            skip("odd_output_names", why);
            free(probe);
            continue;
        }
        close(fd);
        unlink(probe);
        free(probe);
        expected += 3;
        for (int e = 0; e < 3; e++) {
            char name[256], optv[300];
            snprintf(name, sizeof name, "%s%s", stems[i], exts[e]);
            /* a name starting with '-' is given as --output=NAME */
            snprintf(optv, sizeof optv, "--output=%s", name);
            int st = e == 0   ? zimu_run(&o, ARGS("burn", clip, "-s", srt, optv))
                     : e == 1 ? zimu_run(&o, ARGS("preview", clip, "-s", srt, "-t", "0.1", optv))
                              : zimu_run(&o, ARGS("convert", srt, optv));
            ck_assert_msg(st == 0, "'%s': exit %d: %s", name, st, err_text);
            char want[300];
            snprintf(want, sizeof want, "|%s|", name);
            ck_assert_msg(!strcmp(names_in(out), want), "'%s': the folder holds %s", name,
                          listing);
            char *p = tu_path(out, name);
            if (e == 0)
                ck_assert_msg(complete(p, 10), "'%s' is not the burnt clip", name);
            else if (e == 1) {
                int w, h;
                uint8_t *rgb;
                ck_assert_msg(tu_read_image_rgb(p, &w, &h, &rgb) >= 0, "'%s': %s", name,
                              tu_err());
                free(rgb);
            } else {
                uint8_t *d;
                size_t n;
                TU_OK(tu_read_file(p, &d, &n));
                ck_assert_msg(n > 6 && !memcmp(d, "WEBVTT", 6) &&
                                  memmem(d, n, "一句字幕", strlen("一句字幕")),
                              "'%s' is not the converted captions", name);
                free(d);
            }
            ck_assert_int_eq(unlink(p), 0);
            free(p);
            made++;
        }
    }
    ck_assert_int_eq(made, expected);
    ck_assert_int_ge(made, 3 * 10); /* all but the newline, on any Linux file system */
    free(out);
    free(clip);
    free(srt);
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("faults_output");
    TCase *tc = tcase_create("unwritable");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, read_only_folder);
    tcase_add_test(tc, disk_full_tmpfs);
    tcase_add_test(tc, file_size_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("links");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, output_is_input_through_links);
    tcase_add_test(tc, batch_output_is_input_through_links);
    suite_add_tcase(s, tc);
    tc = tcase_create("names");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, odd_output_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(output_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
