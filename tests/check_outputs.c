/* check_outputs.c - outputs never replace what they should not, are only
 * written in a format their name allows, and leave nothing beside them:
 * a file that appears at the output name while a job runs is kept
 * (ZIMU_EEXIST, lib/base/tmpfile.c, also by its link() fallback); an
 * extension the job cannot write is refused before any work; temporaries
 * carry their owner (host, pid) and a later run removes those of processes
 * that are gone on this host; the fontconfig file libass reads likewise;
 * an output size H.264 cannot encode is refused up front. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libavformat/avformat.h>

#include "fontctx.h"
#include "internal.h"
#include "tmpfile.h"
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

static char *clip(const char *name, int frames)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = frames;
    char *p = tu_path(dir, name);
    TU_OK(tu_make_clip(p, &o));
    return p;
}

static char *srt(void)
{
    int64_t st = 100, en = 900;
    const char *tx = "输出 Output";
    char *p = tu_write_srt(dir, "s.srt", 1, &st, &en, &tx);
    ck_assert_msg(p != NULL, "%s", tu_err());
    return p;
}

static const char PRECIOUS[] = "someone else's file\n";

/* The file at p holds exactly PRECIOUS. */
static void assert_precious(const char *p, const char *what)
{
    uint8_t *data = NULL;
    size_t size = 0;
    ck_assert_msg(tu_read_file(p, &data, &size) == 0, "%s: %s is gone: %s", what, p, tu_err());
    ck_assert_msg(size == strlen(PRECIOUS) && !memcmp(data, PRECIOUS, size),
                  "%s: %s was replaced (%zu bytes)", what, p, size);
    free(data);
}

/* The directory holds exactly n entries. */
static void assert_entries(const char *d, int n, const char *what)
{
    char names[2048];
    int got = tu_dir_list(d, names, sizeof names);
    ck_assert_msg(got == n, "%s: %d entries beside the output, expected %d: %s", what, got, n,
                  names);
}

/* This host's name as the library writes it in a temporary's name. */
static void host_tag(char *buf, size_t size)
{
    char host[256] = "";
    ck_assert_int_eq(gethostname(host, sizeof host - 1), 0);
    host[64] = 0;
    for (char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            *p = '_';
    snprintf(buf, size, "%s", host[0] ? host : "unknown");
}

/* A process id that no longer exists: a child that has exited and been
 * reaped. */
static long dead_pid(void)
{
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        _exit(0);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(kill(pid, 0) < 0 && errno == ESRCH, "pid %ld still exists", (long)pid);
    return (long)pid;
}

/* ------------------------------------------------------------------------
 * A file appears at the output name while the job runs.
 */

struct race {
    const char *path;
    int fired;
    char part_seen[2048]; /* the names beside the output, while running */
};

static void intrude(struct race *r)
{
    if (r->fired++)
        return;
    TU_OK(tu_write_file(r->path, PRECIOUS, strlen(PRECIOUS)));
    char names[2048];
    tu_dir_list(dir, names, sizeof names);
    snprintf(r->part_seen, sizeof r->part_seen, "%s", names);
}

static int on_progress(void *opaque, const zimu_progress *p)
{
    (void)p;
    intrude(opaque);
    return 0;
}

static void on_log(void *opaque, int level, const char *msg)
{
    (void)level, (void)msg;
    intrude(opaque);
}

START_TEST(burn_race_keeps_new_file)
{
    char *in = clip("in.mp4", 30), *s = srt(), *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, s, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    struct race r = {.path = out};
    zimu_job_set_progress(job, on_progress, &r);
    int rc = zimu_job_run(job);
    ck_assert_msg(r.fired, "the progress callback never ran");
    ck_assert_msg(rc == ZIMU_EEXIST, "burn returned %d (%s): %s", rc, zimu_strerror(rc),
                  zimu_job_errmsg(job));
    ck_assert_msg(strstr(zimu_job_errmsg(job), "appeared while zimu was writing") &&
                  strstr(zimu_job_errmsg(job), "out.mp4"), "message: %s",
                  zimu_job_errmsg(job));
    ck_assert_str_eq(zimu_errfile(job), out);
    assert_precious(out, "burn");
    assert_entries(dir, 3, "burn refused at publishing"); /* in.mp4 s.srt out.mp4 */

    /* While it ran, its temporary carried its host and process id. */
    char tag[300];
    host_tag(tag, sizeof tag);
    char mark[400];
    snprintf(mark, sizeof mark, ".out.mp4.zimu-%s-%ld-", tag, (long)getpid());
    ck_assert_msg(strstr(r.part_seen, mark), "no temporary named %s... among: %s", mark,
                  r.part_seen);

    /* With overwrite the same race replaces the file, as asked. */
    TU_OK(unlink(out) == 0 ? 0 : -1);
    r.fired = 0;
    zimu_job_set_overwrite(job, 1);
    rc = zimu_job_run(job);
    ck_assert_msg(rc == 0 && r.fired, "overwrite: %d %s", rc, zimu_job_errmsg(job));
    struct stat st;
    ck_assert(stat(out, &st) == 0 && st.st_size > (off_t)strlen(PRECIOUS) + 100);
    assert_entries(dir, 3, "burn with overwrite");
    zimu_job_free(&job);
    free(in), free(s), free(out);
}
END_TEST

/* The same for convert (zimu_job_save_captions): the file appears when the
 * first message is logged, after the output was checked and before it is
 * written (reading a GBK caption file logs its text encoding). */
START_TEST(convert_race_keeps_new_file)
{
    static const char gbk[] = "1\r\n00:00:00,100 --> 00:00:00,900\r\n\xca\xe4\xb3\xf6\r\n";
    char *s = tu_path(dir, "gbk.srt"), *out = tu_path(dir, "out.vtt");
    TU_OK(tu_write_file(s, gbk, strlen(gbk)));
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_subtitles(job, s), 0);
    ck_assert_int_eq(zimu_job_set_charenc(job, "GBK"), 0);
    struct race r = {.path = out};
    zimu_job_set_log(job, on_log, &r, ZIMU_LOG_DEBUG);
    int rc = zimu_job_save_captions(job, out);
    ck_assert_msg(r.fired, "nothing was logged: no moment to create the file");
    ck_assert_msg(rc == ZIMU_EEXIST, "convert returned %d (%s): %s", rc, zimu_strerror(rc),
                  zimu_job_errmsg(job));
    ck_assert_msg(strstr(zimu_job_errmsg(job), "appeared while"), "%s", zimu_job_errmsg(job));
    assert_precious(out, "convert");
    assert_entries(dir, 2, "convert refused at publishing"); /* gbk.srt out.vtt */
    zimu_job_free(&job);
    free(s), free(out);
}
END_TEST

/* zimu__temp_publish's link() fallback (the path taken where the file
 * system refuses RENAME_NOREPLACE, as NFS does), forced. */
START_TEST(publish_link_fallback)
{
    zimu_ctx c = {0};
    char *out = tu_path(dir, "x.txt");
    for (int how = ZIMU__PUBLISH_AUTO; how <= ZIMU__PUBLISH_LINK; how++) {
        /* Nothing there: published, temporary gone. */
        char *tmp = zimu__temp_beside(out);
        ck_assert_ptr_nonnull(tmp);
        TU_OK(tu_write_file(tmp, "new", 3));
        ck_assert_int_eq(zimu__temp_publish_how(&c, tmp, out, 0, how), 0);
        ck_assert(!tu_exists(tmp));
        free(tmp);
        assert_entries(dir, 1, "published");
        /* A file there: kept, ZIMU_EEXIST, temporary gone. */
        TU_OK(tu_write_file(out, PRECIOUS, strlen(PRECIOUS)));
        tmp = zimu__temp_beside(out);
        TU_OK(tu_write_file(tmp, "new", 3));
        ck_assert_int_eq(zimu__temp_publish_how(&c, tmp, out, 0, how), ZIMU_EEXIST);
        ck_assert_msg(strstr(c.errmsg, "appeared while") && strstr(c.errmsg, "x.txt"), "%s",
                      c.errmsg);
        assert_precious(out, how ? "link fallback" : "renameat2");
        ck_assert(!tu_exists(tmp));
        /* With overwrite: replaced. */
        TU_OK(tu_write_file(tmp, "new", 3));
        ck_assert_int_eq(zimu__temp_publish_how(&c, tmp, out, 1, how), 0);
        struct stat st;
        ck_assert(stat(out, &st) == 0 && st.st_size == 3 && !tu_exists(tmp));
        free(tmp);
        assert_entries(dir, 1, "replaced");
        unlink(out);
    }
    free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * Output names.
 */

START_TEST(burn_refuses_other_extensions)
{
    char *in = clip("in.mp4", 10), *s = srt();
    /* The caption file itself as output, even with overwrite: refused by
     * its extension before anything is read or written. */
    zimu_job *job = tu_job(in, s, s);
    ck_assert_msg(job != NULL, "%s", tu_err());
    zimu_job_set_overwrite(job, 1);
    int rc = zimu_job_run(job);
    ck_assert_msg(rc == ZIMU_EINVAL, "burn to .srt: %d %s", rc, zimu_job_errmsg(job));
    const char *m = zimu_job_errmsg(job);
    ck_assert_msg(strstr(m, "s.srt") && strstr(m, ".srt'") && strstr(m, ".mp4") &&
                  strstr(m, ".mov") && strstr(m, ".mkv"), "message: %s", m);
    ck_assert_int_eq(zimu_job_stats(job)->frames, 0);
    /* Before any work: before the input is even opened. */
    char *missing = tu_path(dir, "missing.mp4");
    ck_assert_int_eq(zimu_job_set_input(job, missing), 0);
    rc = zimu_job_run(job);
    ck_assert_msg(rc == ZIMU_EINVAL, "missing input, .srt output: %d %s", rc,
                  zimu_job_errmsg(job));
    ck_assert_int_eq(zimu_job_set_input(job, in), 0);
    free(missing);
    static const char *const bad[] = {"o.png", "o.txt", "o.SRT", "o.webm"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *o = tu_path(dir, bad[i]);
        zimu_job_set_output(job, o);
        rc = zimu_job_run(job);
        ck_assert_msg(rc == ZIMU_EINVAL && strstr(zimu_job_errmsg(job), bad[i]),
                      "%s: %d %s", bad[i], rc, zimu_job_errmsg(job));
        ck_assert(!tu_exists(o));
        free(o);
    }
    assert_entries(dir, 2, "refused outputs");
    /* What the job writes: MP4 (.mp4 .m4v, or no extension), MOV, MKV. */
    static const char *const good[][2] = {
        {"o.M4V", "mp4"}, {"noext", "mp4"}, {"o.MOV", "mov"}, {"o.mkv", "matroska"}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char *o = tu_path(dir, good[i][0]);
        zimu_job_set_output(job, o);
        rc = zimu_job_run(job);
        ck_assert_msg(rc == 0, "%s: %d %s", good[i][0], rc, zimu_job_errmsg(job));
        AVFormatContext *fc = NULL;
        ck_assert_int_eq(avformat_open_input(&fc, o, NULL, NULL), 0);
        ck_assert_msg(strstr(fc->iformat->name, good[i][1]), "%s written as %s", good[i][0],
                      fc->iformat->name);
        avformat_close_input(&fc);
        free(o);
    }
    zimu_job_free(&job);
    free(in), free(s);
}
END_TEST

START_TEST(preview_refuses_other_extensions)
{
    char *in = clip("in.mp4", 10), *s = srt();
    zimu_job *job = tu_job(in, s, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    char *jpg = tu_path(dir, "f.jpg"), *png = tu_path(dir, "f.PNG"), *bare = tu_path(dir, "f");
    int rc = zimu_job_preview(job, 100, jpg);
    ck_assert_msg(rc == ZIMU_EINVAL && strstr(zimu_job_errmsg(job), "f.jpg") &&
                  strstr(zimu_job_errmsg(job), ".png"), "%d %s", rc, zimu_job_errmsg(job));
    rc = zimu_job_cover(job, 100, jpg);
    ck_assert_msg(rc == ZIMU_EINVAL, "cover: %d %s", rc, zimu_job_errmsg(job));
    ck_assert(!tu_exists(jpg));
    ck_assert_msg(zimu_job_preview(job, 100, png) == 0, "%s", zimu_job_errmsg(job));
    ck_assert_msg(zimu_job_cover(job, 100, bare) == 0, "%s", zimu_job_errmsg(job));
    assert_entries(dir, 4, "previews");
    zimu_job_free(&job);
    free(in), free(s), free(jpg), free(png), free(bare);
}
END_TEST

/* ------------------------------------------------------------------------
 * Stale temporaries.
 */

START_TEST(stale_temporaries_removed)
{
    char *in = clip("in.mp4", 10), *s = srt(), *out = tu_path(dir, "out.mp4");
    char tag[300], name[600];
    host_tag(tag, sizeof tag);
    long gone = dead_pid();
    snprintf(name, sizeof name, ".out.mp4.zimu-%s-%ld-abcd1234.part", tag, gone);
    char *stale = tu_path(dir, name);
    snprintf(name, sizeof name, ".out.mp4.zimu-%s-%ld-abcd1234.part", "elsewhere.invalid", gone);
    char *other_host = tu_path(dir, name);
    snprintf(name, sizeof name, ".out.mp4.zimu-%s-%ld-abcd1234.part", tag, (long)getpid());
    char *live = tu_path(dir, name);
    snprintf(name, sizeof name, ".other.mp4.zimu-%s-%ld-abcd1234.part", tag, gone);
    char *other_output = tu_path(dir, name);
    snprintf(name, sizeof name, ".out.mp4.zimu-%s-%ld-abcd1234.part", tag, (long)getppid());
    char *live_parent = tu_path(dir, name);
    const char *const all[] = {stale, other_host, live, other_output, live_parent};
    for (int i = 0; i < 5; i++)
        TU_OK(tu_write_file(all[i], "partial", 7));

    zimu_job *job = tu_job(in, s, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_msg(zimu_job_run(job) == 0, "%s", zimu_job_errmsg(job));
    ck_assert_msg(!tu_exists(stale), "the stale temporary %s is still there", stale);
    ck_assert_msg(tu_exists(other_host), "another host's temporary was removed");
    ck_assert_msg(tu_exists(live), "a live process's temporary was removed");
    ck_assert_msg(tu_exists(other_output), "another output's temporary was removed");
    ck_assert_msg(tu_exists(live_parent), "a live process's temporary was removed");
    /* Nothing but the output is left of the run. */
    for (int i = 1; i < 5; i++)
        unlink(all[i]);
    assert_entries(dir, 3, "after a successful burn"); /* in.mp4 s.srt out.mp4 */

    /* A preview's and a caption file's too. */
    char *png = tu_path(dir, "f.png"), *vtt = tu_path(dir, "c.vtt");
    snprintf(name, sizeof name, ".f.png.zimu-%s-%ld-abcd1234.part", tag, gone);
    char *stale_png = tu_path(dir, name);
    snprintf(name, sizeof name, ".c.vtt.zimu-%s-%ld-abcd1234.part", tag, gone);
    char *stale_vtt = tu_path(dir, name);
    TU_OK(tu_write_file(stale_png, "partial", 7));
    TU_OK(tu_write_file(stale_vtt, "partial", 7));
    ck_assert_msg(zimu_job_preview(job, 100, png) == 0, "%s", zimu_job_errmsg(job));
    ck_assert_msg(zimu_job_save_captions(job, vtt) == 0, "%s", zimu_job_errmsg(job));
    ck_assert(!tu_exists(stale_png) && !tu_exists(stale_vtt));
    assert_entries(dir, 5, "after preview and convert");
    zimu_job_free(&job);
    for (int i = 0; i < 5; i++)
        free((char *)all[i]);
    free(in), free(s), free(out), free(png), free(vtt), free(stale_png), free(stale_vtt);
}
END_TEST

static int discard(void *opaque, const uint8_t *buf, int size)
{
    (void)opaque, (void)buf;
    return size;
}

/* An output through a write callback is made in $TMPDIR first: owned and
 * cleaned up the same way. */
START_TEST(stale_private_temporaries_removed)
{
    char *tmpd = tu_path(dir, "tmp");
    ck_assert_int_eq(mkdir(tmpd, 0700), 0);
    char tag[300], name[600];
    host_tag(tag, sizeof tag);
    long gone = dead_pid();
    snprintf(name, sizeof name, ".zimu-%s-%ld-abcd1234.mp4.part", tag, gone);
    char *stale = tu_path(tmpd, name);
    snprintf(name, sizeof name, ".zimu-%s-%ld-abcd1234.mp4.part", tag, (long)getppid());
    char *live = tu_path(tmpd, name);
    TU_OK(tu_write_file(stale, "partial", 7));
    TU_OK(tu_write_file(live, "partial", 7));
    char *in = clip("in.mp4", 5), *s = srt();
    zimu_job *job = tu_job(in, s, NULL);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_output_io(job, discard, NULL), 0);
    char *saved = tu_tmpdir_push(tmpd);
    int rc = zimu_job_run(job);
    tu_tmpdir_pop(saved);
    ck_assert_msg(rc == 0, "%s", zimu_job_errmsg(job));
    ck_assert_msg(!tu_exists(stale), "the stale temporary is still there");
    ck_assert_msg(tu_exists(live), "a live process's temporary was removed");
    unlink(live);
    assert_entries(tmpd, 0, "$TMPDIR after a burn through a callback");
    zimu_job_free(&job);
    free(tmpd), free(stale), free(live), free(in), free(s);
}
END_TEST

/* The fontconfig file: named with host and pid, removed once libass has
 * read it; stale ones of this host removed when a font context loads. */
START_TEST(stale_font_configs_removed)
{
    char *tmpd = tu_path(dir, "tmp");
    ck_assert_int_eq(mkdir(tmpd, 0700), 0);
    char *saved = tu_tmpdir_push(tmpd);
    char tag[300], name[600];
    host_tag(tag, sizeof tag);
    long gone = dead_pid();
    snprintf(name, sizeof name, "zimu-fonts-%s-%ld-abcd1234.conf", tag, gone);
    char *stale = tu_path(tmpd, name);
    snprintf(name, sizeof name, "zimu-fonts-%s-%ld-abcd1234.conf", "elsewhere.invalid", gone);
    char *other_host = tu_path(tmpd, name);
    snprintf(name, sizeof name, "zimu-fonts-%s-%ld-abcd1234.conf", tag, (long)getpid());
    char *live = tu_path(tmpd, name);
    TU_OK(tu_write_file(stale, "<fontconfig/>", 13));
    TU_OK(tu_write_file(other_host, "<fontconfig/>", 13));
    TU_OK(tu_write_file(live, "<fontconfig/>", 13));

    zimu_fonts *f = zimu_fonts_new();
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(zimu_fonts_load(f) == 0, "%s", zimu_errmsg(f));
    ck_assert_msg(!tu_exists(stale), "the stale configuration is still there");
    ck_assert(tu_exists(other_host) && tu_exists(live));

    /* The configuration a renderer writes carries host and pid, and is
     * gone once libass has read it. */
    zimu_ctx c = {0};
    char *conf = NULL;
    ck_assert_int_eq(zimu__fonts_conf_file(f, &c, &conf), 0);
    snprintf(name, sizeof name, "/zimu-fonts-%s-%ld-", tag, (long)getpid());
    ck_assert_msg(strstr(conf, name), "%s has no owner mark %s", conf, name);
    unlink(conf);
    free(conf);
    unlink(other_host);
    unlink(live);
    char *in = clip("in.mp4", 5), *s = srt(), *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, s, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_msg(zimu_job_run(job) == 0, "%s", zimu_job_errmsg(job));
    assert_entries(tmpd, 0, "$TMPDIR after a burn");
    zimu_job_free(&job);
    zimu_fonts_free(&f);
    tu_tmpdir_pop(saved);
    free(tmpd), free(stale), free(other_host), free(live), free(in), free(s), free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * Sizes.
 */

START_TEST(size_limits)
{
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    /* Level 6.2: 139264 macroblocks; 8192x4352 is exactly that. */
    ck_assert_int_eq(zimu_job_set_size(job, 8192, 4352), 0);
    ck_assert_int_eq(zimu_job_set_size(job, 4352, 8192), 0);
    ck_assert_int_eq(zimu_job_set_size(job, 16384, 2176), 0);
    static const int bad[][2] = {{16384, 16384}, {8208, 4352}, {8192, 4368}, {16384, 2192}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = zimu_job_set_size(job, bad[i][0], bad[i][1]);
        char size[32];
        snprintf(size, sizeof size, "%dx%d", bad[i][0], bad[i][1]);
        const char *m = zimu_job_errmsg(job);
        ck_assert_msg(rc == ZIMU_EINVAL && strstr(m, size) && strstr(m, "139264") &&
                      strstr(m, "8192x4352"), "%s: %d %s", size, rc, m);
    }
    ck_assert_int_eq(zimu_job_set_size(job, 16386, 16), ZIMU_EINVAL);
    zimu_job_free(&job);
}
END_TEST

static Suite *outputs_suite(void)
{
    Suite *s = suite_create("outputs");
    TCase *tc = tcase_create("publish");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, burn_race_keeps_new_file);
    tcase_add_test(tc, convert_race_keeps_new_file);
    tcase_add_test(tc, publish_link_fallback);
    suite_add_tcase(s, tc);
    tc = tcase_create("names");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, burn_refuses_other_extensions);
    tcase_add_test(tc, preview_refuses_other_extensions);
    tcase_add_test(tc, size_limits);
    suite_add_tcase(s, tc);
    tc = tcase_create("leftovers");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, stale_temporaries_removed);
    tcase_add_test(tc, stale_private_temporaries_removed);
    tcase_add_test(tc, stale_font_configs_removed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(outputs_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
