/* check_batch.c - captioning a folder of clips (zimu_batch): which caption
 * source each clip gets, output names, the clips run on worker threads
 * (every output present and captioned, a corrupt clip reported while the
 * others are done), recursive folders mirrored, the output folder inside
 * the input folder, no writes through a symbolic link, cancel, shards
 * (--shard K/N) and their merged reports. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <pty.h>

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

static const char srt[] = "1\n00:00:00,000 --> 00:00:01,000\n字幕测试 caption\n";
static const char vtt[] = "WEBVTT\n\n00:00.000 --> 00:01.000\n网页字幕\n";
static const char ass[] =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 568\n\n"
    "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
    "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
    "Encoding\nStyle: Default,Noto Sans CJK SC,40,&H00FFFFFF,&H00FFFFFF,&H00000000,"
    "&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,40,1\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
    "Text\nDialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,特效字幕\n";
static const char flash[] = "in: none\nout: none\n快闪测试 | at: 0, dur: 1\n";

static void touch(const char *d, const char *name, const char *text)
{
    char *p = tu_write_text(d, name, text ? text : "x");
    ck_assert_msg(p != NULL, "%s", tu_err());
    free(p);
}

static int find(const zimu_batch *b, const char *rel)
{
    for (int i = 0; i < zimu_batch_count(b); i++)
        if (!strcmp(zimu_batch_clip_input(b, i), rel))
            return i;
    ck_abort_msg("no clip %s in the batch", rel);
    return -1;
}

static const char *caps_of(const zimu_batch *b, const char *rel)
{
    const char *c = zimu_batch_clip_captions(b, find(b, rel));
    return c ? c : "(none)";
}

START_TEST(matching_rules)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    /* several sources: extension first, then tag */
    touch(in, "a.mp4", NULL);
    touch(in, "a.srt", srt);
    touch(in, "a.zh-CN.srt", srt);
    touch(in, "a.vtt", vtt);
    touch(in, "a.json", "{}");
    /* a flash script wins over everything; clip.txt is not confused with it */
    touch(in, "b.mp4", NULL);
    touch(in, "b.flash.txt", flash);
    touch(in, "b.txt", "text");
    touch(in, "c.MP4", NULL);
    touch(in, "c.txt", "text");
    /* tags only: zh-CN before zh before others */
    touch(in, "d.mov", NULL);
    touch(in, "d.en.srt", srt);
    touch(in, "d.zh.srt", srt);
    touch(in, "e.mkv", NULL);
    touch(in, "e.zh.srt", srt);
    touch(in, "e.zh-CN.srt", srt);
    /* "f.g.srt" belongs to the clip f.g.mp4, not to f.mp4 (tag g) */
    touch(in, "f.mp4", NULL);
    touch(in, "f.g.mp4", NULL);
    touch(in, "f.g.srt", srt);
    /* hidden files and temporaries are not clips */
    touch(in, ".h.mp4", NULL);
    touch(in, ".k.mp4.zimu-host-1-abcdefgh.part", NULL);
    touch(in, "notes.srt", srt);
    /* two clips with one output name: the second in order fails */
    touch(in, "m.mov", NULL);
    touch(in, "m.mp4", NULL);
    touch(in, "m.srt", srt);
    /* the chinese names, spaces and quotes */
    touch(in, "社区 讲座'1\".mp4", NULL);
    touch(in, "社区 讲座'1\".zh-Hans.vtt", vtt);

    zimu_batch *b = zimu_batch_new();
    ck_assert_int_eq(zimu_batch_set_input_dir(b, in), 0);
    ck_assert_int_eq(zimu_batch_set_output_dir(b, out), 0);
    ck_assert_int_eq(zimu_batch_set_dry_run(b, 1), 0);
    int r = zimu_batch_run(b);
    ck_assert_msg(r == 0, "dry run: %d %s", r, zimu_errmsg(b));
    ck_assert_int_eq(zimu_batch_count(b), 10);
    /* byte order of the relative path */
    ck_assert_str_eq(zimu_batch_clip_input(b, 0), "a.mp4");
    ck_assert_str_eq(zimu_batch_clip_input(b, 9), "社区 讲座'1\".mp4");
    ck_assert_str_eq(caps_of(b, "a.mp4"), "a.srt");
    ck_assert_str_eq(zimu_batch_clip_note(b, find(b, "a.mp4")),
                     "also found, not used: a.json, a.vtt, a.zh-CN.srt");
    ck_assert_str_eq(caps_of(b, "b.mp4"), "b.flash.txt");
    ck_assert_str_eq(zimu_batch_clip_note(b, find(b, "b.mp4")),
                     "also found, not used: b.txt");
    ck_assert_str_eq(caps_of(b, "c.MP4"), "c.txt");
    ck_assert_str_eq(caps_of(b, "d.mov"), "d.zh.srt");
    ck_assert_str_eq(caps_of(b, "e.mkv"), "e.zh-CN.srt");
    ck_assert_str_eq(caps_of(b, "f.mp4"), "(none)");
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "f.mp4")), ZIMU_BATCH_SKIPPED);
    ck_assert_str_eq(caps_of(b, "f.g.mp4"), "f.g.srt");
    ck_assert_str_eq(caps_of(b, "社区 讲座'1\".mp4"), "社区 讲座'1\".zh-Hans.vtt");
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "a.mp4")), ZIMU_BATCH_PENDING);
    /* outputs: OUTDIR/name.mp4 */
    char *want = tu_path(out, "d.mp4");
    ck_assert_str_eq(zimu_batch_clip_output(b, find(b, "d.mov")), want);
    free(want);
    /* m.mov keeps m.mp4; m.mp4 fails, naming both */
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "m.mov")), ZIMU_BATCH_PENDING);
    int m = find(b, "m.mp4");
    ck_assert_int_eq(zimu_batch_clip_status(b, m), ZIMU_BATCH_FAILED);
    ck_assert_int_eq(zimu_batch_clip_code(b, m), ZIMU_EEXIST);
    ck_assert_msg(strstr(zimu_batch_clip_error(b, m), "m.mov"), "%s",
                  zimu_batch_clip_error(b, m));
    /* a dry run writes nothing, not even the output folder */
    ck_assert(!tu_exists(out));
    /* with a common title, the clip without captions is done too */
    ck_assert_int_eq(zimu_batch_set_title(b, "标题"), 0);
    zimu_batch_run(b);
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "f.mp4")), ZIMU_BATCH_PENDING);
    zimu_batch_free(&b);
    ck_assert(b == NULL);
    zimu_batch_free(&b);
    free(in);
    free(out);
}
END_TEST

/* A grey clip (so caption pixels stand out), 320x568, n frames, no sound. */
static void make_clip_n(const char *d, const char *name, int n)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.frames = n;
    o.bg = TU_BG_GREY;
    o.markers = 0;
    o.audio = TU_AUDIO_NONE;
    char *p = tu_path(d, name);
    TU_OK(tu_make_clip(p, &o));
    free(p);
}

static void make_clip(const char *d, const char *name)
{
    make_clip_n(d, name, 20);
}

/* Pixels of frame 10 (at 333 ms: every test caption is on) far from the
 * grey background. */
static long caption_pixels(const char *path)
{
    tu_video v;
    int r = tu_read_video(path, &v, 1);
    ck_assert_msg(r >= 0, "%s: %s", path, tu_err());
    ck_assert_int_ge(v.n, 11);
    long n = 0;
    for (int i = 0; i < v.width * v.height; i++)
        n += abs((int)v.f[10].y[i] - 128) > 60;
    tu_video_free(&v);
    return n;
}

static int fast_settings(void *opaque, zimu_job *job, int clip)
{
    (void)opaque;
    (void)clip;
    return zimu_job_set_preset(job, "ultrafast");
}

static int fast_crf30(void *opaque, zimu_job *job, int clip)
{
    (void)opaque;
    (void)clip;
    int r = zimu_job_set_preset(job, "ultrafast");
    return r < 0 ? r : zimu_job_set_crf(job, 30);
}

/* Regular files under d (any depth). */
static int nfiles;
static int count_file(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)p;
    (void)st;
    (void)f;
    nfiles += flag == FTW_F;
    return 0;
}

static int files_under(const char *d)
{
    nfiles = 0;
    ck_assert_int_eq(nftw(d, count_file, 16, FTW_PHYS), 0);
    return nfiles;
}

typedef struct events {
    int started, ended;
} events;

static void on_clip(void *opaque, int clip, int started)
{
    events *e = opaque;
    (void)clip;
    if (started)
        e->started++;
    else
        e->ended++;
}

START_TEST(folder_all_captioned_one_corrupt)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    make_clip(in, "s.mp4");
    touch(in, "s.srt", srt);
    make_clip(in, "a.mp4");
    touch(in, "a.ass", ass);
    make_clip(in, "v.mp4");
    touch(in, "v.vtt", vtt);
    make_clip(in, "f.mp4");
    touch(in, "f.flash.txt", flash);
    make_clip(in, "z.mp4");
    touch(in, "z.zh-CN.srt", srt);
    make_clip(in, "none.mp4");
    touch(in, "bad.mp4", "this is not a video at all, just some bytes");
    touch(in, "bad.srt", srt);
    /* a GBK name (from a Windows zip), not UTF-8, without captions */
    touch(in, "\xC9\xE7.mp4", NULL);

    zimu_batch *b = zimu_batch_new();
    events ev = {0};
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_jobs(b, 2);
    zimu_batch_set_setup(b, fast_settings, NULL);
    zimu_batch_set_clip_cb(b, on_clip, &ev);
    int r = zimu_batch_run(b);
    ck_assert_msg(r == ZIMU_EBATCH, "run: %d %s", r, zimu_errmsg(b));
    ck_assert_int_eq(zimu_batch_count(b), 8);
    int jobs, threads;
    zimu_batch_threads(b, &jobs, &threads);
    ck_assert_int_eq(jobs, 2);
    ck_assert_int_ge(threads, 1);
    ck_assert_int_eq(ev.started, 6);
    ck_assert_int_eq(ev.ended, 6);
    int bad = find(b, "bad.mp4");
    ck_assert_int_eq(zimu_batch_clip_status(b, bad), ZIMU_BATCH_FAILED);
    ck_assert_int_eq(zimu_batch_clip_code(b, bad), ZIMU_ENOTVIDEO);
    ck_assert_msg(strstr(zimu_batch_clip_error(b, bad), "bad.mp4"), "%s",
                  zimu_batch_clip_error(b, bad));
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "none.mp4")), ZIMU_BATCH_SKIPPED);
    const char *done[] = {"s", "a", "v", "f", "z"};
    for (int k = 0; k < 5; k++) {
        char rel[16], name[16];
        snprintf(rel, sizeof rel, "%s.mp4", done[k]);
        int i = find(b, rel);
        ck_assert_msg(zimu_batch_clip_status(b, i) == ZIMU_BATCH_DONE, "%s: %s", rel,
                      zimu_batch_clip_error(b, i));
        int64_t dur;
        double secs;
        zimu_batch_clip_times(b, i, &dur, &secs);
        ck_assert_int_gt(dur, 600);
        ck_assert(secs > 0);
        snprintf(name, sizeof name, "%s.mp4", done[k]);
        char *o = tu_path(out, name);
        long px = caption_pixels(o);
        ck_assert_msg(px > 150, "%s: only %ld caption pixels", name, px);
        free(o);
    }
    /* nothing for the skipped and the failed clip, no temporaries: the
     * outputs, their records and thumbnails, the reports and the page */
    ck_assert_int_eq(tu_dir_list(out, NULL, 0), 9);
    ck_assert_int_eq(files_under(out), 18);
    /* the reports */
    char *rp = tu_path(out, "zimu-report.json");
    json_object *rep = json_object_from_file(rp);
    ck_assert_msg(rep != NULL, "%s does not parse", rp);
    json_object *clips, *v;
    ck_assert(json_object_object_get_ex(rep, "clips", &clips));
    ck_assert_int_eq(json_object_array_length(clips), 8);
    ck_assert(json_object_object_get_ex(rep, "failed", &v));
    ck_assert_int_eq(json_object_get_int(v), 1);
    ck_assert(json_object_object_get_ex(rep, "done", &v));
    ck_assert_int_eq(json_object_get_int(v), 5);
    int seen_bad = 0, seen_gbk = 0;
    for (size_t k = 0; k < json_object_array_length(clips); k++) {
        json_object *e = json_object_array_get_idx(clips, k), *in_v, *st_v, *err_v, *fp_v;
        ck_assert(json_object_object_get_ex(e, "input", &in_v));
        ck_assert(json_object_object_get_ex(e, "status", &st_v));
        ck_assert(json_object_object_get_ex(e, "error", &err_v));
        ck_assert(json_object_object_get_ex(e, "fingerprint", &fp_v));
        const char *name = json_object_get_string(in_v);
        const char *st = json_object_get_string(st_v);
        if (!strcmp(name, "bad.mp4")) {
            seen_bad = 1;
            ck_assert_str_eq(st, "failed");
            ck_assert(strstr(json_object_get_string(err_v), "bad.mp4"));
        } else if (!strcmp(name, "\\xC9\\xE7.mp4")) {
            seen_gbk = 1;
            ck_assert_str_eq(st, "skipped");
        } else if (!strcmp(name, "s.mp4")) {
            ck_assert_str_eq(st, "done");
            ck_assert_int_eq(strlen(json_object_get_string(fp_v)), 64);
        }
    }
    ck_assert(seen_bad && seen_gbk);
    json_object_put(rep);
    free(rp);
    rp = tu_path(out, "zimu-report.csv");
    uint8_t *csv;
    size_t csv_size;
    TU_OK(tu_read_file(rp, &csv, &csv_size));
    char *txt = strndup((char *)csv, csv_size);
    free(csv);
    ck_assert(csv_size > 3 && !memcmp(txt, "\xEF\xBB\xBFstatus,input,", 16));
    ck_assert_msg(strstr(txt, "\"failed\",\"bad.mp4\",\"bad.srt\",\"bad.mp4\""), "%s",
                  txt);
    ck_assert(strstr(txt, "\"skipped\",\"\\xC9\\xE7.mp4\""));
    free(txt);
    free(rp);
    /* the inputs are untouched: the source clip has no caption */
    char *src = tu_path(in, "s.mp4");
    ck_assert_int_lt(caption_pixels(src), 10);
    free(src);
    zimu_batch_free(&b);
    free(in);
    free(out);
}
END_TEST

START_TEST(recursive_output_inside_input)
{
    char *in = tu_path(dir, "in"), *sub = tu_path(dir, "in/课程 1"),
         *out = tu_path(dir, "in/out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    make_clip(in, "top.mp4");
    touch(in, "top.srt", srt);
    make_clip(sub, "x.mov");
    touch(sub, "x.srt", srt);

    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_setup(b, fast_settings, NULL);
    /* not recursive: the subfolder's clip is not taken */
    zimu_batch_set_dry_run(b, 1);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_count(b), 1);
    zimu_batch_set_dry_run(b, 0);
    zimu_batch_set_recursive(b, 1);
    int r = zimu_batch_run(b);
    ck_assert_msg(r == 0, "run: %d %s", r, zimu_errmsg(b));
    ck_assert_int_eq(zimu_batch_count(b), 2);
    char *o1 = tu_path(out, "top.mp4"), *o2 = tu_path(out, "课程 1/x.mp4");
    ck_assert(tu_exists(o1));
    ck_assert(tu_exists(o2));
    ck_assert_str_eq(zimu_batch_clip_output(b, find(b, "课程 1/x.mov")), o2);
    ck_assert_int_gt(caption_pixels(o2), 150);
    /* again, with the outputs inside the input folder: they are not taken
     * as clips, and are up to date */
    r = zimu_batch_run(b);
    ck_assert_msg(r == 0, "rerun: %d %s", r, zimu_errmsg(b));
    ck_assert_int_eq(zimu_batch_count(b), 2);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_UNCHANGED);
    ck_assert_int_eq(zimu_batch_clip_status(b, 1), ZIMU_BATCH_UNCHANGED);
    zimu_batch_set_overwrite(b, 1);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_count(b), 2);
    ck_assert_int_eq(zimu_batch_clip_status(b, 1), ZIMU_BATCH_DONE);
    /* the output folder as the input folder is refused */
    zimu_batch_set_output_dir(b, in);
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_errmsg(b), "input folder"), "%s", zimu_errmsg(b));
    zimu_batch_free(&b);
    free(o1);
    free(o2);
    free(in);
    free(sub);
    free(out);
}
END_TEST

START_TEST(never_writes_through_a_symlink)
{
    char *in = tu_path(dir, "in"), *sub = tu_path(dir, "in/sub"), *out = tu_path(dir, "out"),
         *away = tu_path(dir, "away"), *link = tu_path(dir, "out/sub");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    ck_assert_int_eq(mkdir(out, 0777), 0);
    ck_assert_int_eq(mkdir(away, 0777), 0);
    ck_assert_int_eq(symlink(away, link), 0);
    make_clip(sub, "x.mp4");
    touch(sub, "x.srt", srt);
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_recursive(b, 1);
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_EBATCH);
    ck_assert_int_eq(zimu_batch_clip_code(b, 0), ZIMU_EOUTPUT);
    ck_assert_msg(strstr(zimu_batch_clip_error(b, 0), "symbolic link"), "%s",
                  zimu_batch_clip_error(b, 0));
    ck_assert_int_eq(tu_dir_list(away, NULL, 0), 0);
    zimu_batch_free(&b);
    free(in);
    free(sub);
    free(out);
    free(away);
    free(link);
}
END_TEST

static void stat_of(const char *d, const char *name, struct stat *st)
{
    char *p = tu_path(d, name);
    ck_assert_msg(stat(p, st) == 0, "%s missing", p);
    free(p);
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

START_TEST(rerun_resumes)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    make_clip(in, "a.mp4");
    touch(in, "a.srt", srt);
    make_clip(in, "b.mp4");
    touch(in, "b.srt", srt);
    make_clip(in, "c.mp4");
    touch(in, "c.vtt", vtt);
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_setup(b, fast_settings, NULL);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    struct stat a1, b1, c1, a2, b2, c2;
    stat_of(out, "a.mp4", &a1);
    stat_of(out, "b.mp4", &b1);
    stat_of(out, "c.mp4", &c1);
    ck_assert_int_eq(strlen(zimu_batch_clip_fingerprint(b, 0)), 64);
    /* a temporary of a process that is gone, as a killed run leaves it */
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    for (char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            *p = '_';
    char stale[512];
    snprintf(stale, sizeof stale, ".a.mp4.zimu-%s-3999999-abcdefgh.part", host);
    touch(out, stale, "half a file");

    /* rerun: everything up to date, outputs untouched */
    double t0 = 0;
    {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        t0 = ts.tv_sec + ts.tv_nsec / 1e9;
    }
    ck_assert_int_eq(zimu_batch_run(b), 0);
    {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double t = ts.tv_sec + ts.tv_nsec / 1e9 - t0;
        ck_assert_msg(t < 10, "a rerun of 3 clips took %.1f s", t);
    }
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(zimu_batch_clip_status(b, i), ZIMU_BATCH_UNCHANGED);
        /* the length, from the record, for the report and the page */
        int64_t ms = 0;
        ck_assert_int_eq(zimu_batch_clip_times(b, i, &ms, NULL), 0);
        ck_assert_int_eq(ms, 667);
    }
    stat_of(out, "a.mp4", &a2);
    stat_of(out, "b.mp4", &b2);
    ck_assert(same_file(&a1, &a2) && same_file(&b1, &b2));
    char *sp = tu_path(out, stale);
    ck_assert_msg(!tu_exists(sp), "the stale temporary is still there");
    free(sp);

    /* one caption file edited: only its clip is made again */
    touch(in, "b.srt", "1\n00:00:00,000 --> 00:00:01,000\n改过的字幕\n");
    /* a dry run says so, and writes nothing */
    zimu_batch_set_dry_run(b, 1);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_UNCHANGED);
    ck_assert_int_eq(zimu_batch_clip_status(b, 1), ZIMU_BATCH_PENDING);
    ck_assert_int_eq(zimu_batch_clip_status(b, 2), ZIMU_BATCH_UNCHANGED);
    stat_of(out, "b.mp4", &b2);
    ck_assert(same_file(&b1, &b2));
    zimu_batch_set_dry_run(b, 0);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_UNCHANGED);
    ck_assert_int_eq(zimu_batch_clip_status(b, 1), ZIMU_BATCH_DONE);
    ck_assert_int_eq(zimu_batch_clip_status(b, 2), ZIMU_BATCH_UNCHANGED);
    stat_of(out, "a.mp4", &a2);
    stat_of(out, "b.mp4", &b2);
    stat_of(out, "c.mp4", &c2);
    ck_assert(same_file(&a1, &a2) && same_file(&c1, &c2));
    ck_assert(!same_file(&b1, &b2));

    /* a flash script's own song is one of its clip's inputs: a new song
     * makes the clip again */
    touch(in, "d.flash.txt", "music: song.m4a\nin: none\nout: none\n快闪 | at: 0, dur: 1\n");
    char *song = tu_path(in, "song.m4a");
    TU_OK(tu_make_audio_only(song, 1.0));
    make_clip(in, "d.mp4");
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "d.mp4")), ZIMU_BATCH_DONE);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "d.mp4")), ZIMU_BATCH_UNCHANGED);
    TU_OK(tu_make_audio_only(song, 2.0));
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "d.mp4")), ZIMU_BATCH_DONE);
    ck_assert_int_eq(zimu_batch_clip_status(b, find(b, "a.mp4")), ZIMU_BATCH_UNCHANGED);
    free(song);
    char *dp = tu_path(in, "d.mp4");
    unlink(dp);
    free(dp);

    /* a common title is for clips without captions: these are unchanged */
    zimu_batch_set_title(b, "新标题");
    ck_assert_int_eq(zimu_batch_run(b), 0);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_UNCHANGED);
    zimu_batch_set_title(b, NULL);
    /* a changed setting makes them all again */
    zimu_batch_set_setup(b, fast_crf30, NULL);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(zimu_batch_clip_status(b, i), ZIMU_BATCH_DONE);
    stat_of(out, "a.mp4", &a1);

    /* someone else's file at an output name: that clip fails, kept as it is */
    char *cp = tu_path(out, "c.mp4");
    unlink(cp);
    touch(out, "c.mp4", "someone else's file");
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_EBATCH);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_UNCHANGED);
    ck_assert_int_eq(zimu_batch_clip_status(b, 2), ZIMU_BATCH_FAILED);
    ck_assert_int_eq(zimu_batch_clip_code(b, 2), ZIMU_EEXIST);
    ck_assert_msg(strstr(zimu_batch_clip_error(b, 2), "not made by this batch"), "%s",
                  zimu_batch_clip_error(b, 2));
    uint8_t *data;
    size_t size;
    TU_OK(tu_read_file(cp, &data, &size));
    ck_assert_int_eq(size, strlen("someone else's file"));
    free(data);
    /* force: every clip made again, the file replaced */
    zimu_batch_set_overwrite(b, 1);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(zimu_batch_clip_status(b, i), ZIMU_BATCH_DONE);
    ck_assert_int_gt(caption_pixels(cp), 150);
    stat_of(out, "a.mp4", &a2);
    ck_assert(!same_file(&a1, &a2));
    free(cp);
    zimu_batch_free(&b);
    free(in);
    free(out);
}
END_TEST

/* ---- the command ------------------------------------------------------ */

static const char *zimu_bin(void)
{
    const char *b = getenv("ZIMU_BIN");
    return b && *b ? b : "build/zimu";
}

/* Start zimu with args (NULL-ended) in its own process group, stdout and
 * stderr into the files out and err. Returns its pid. */
static pid_t start_zimu(const char *const *args, const char *out, const char *err)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = zimu_bin();
    for (int i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int fi = open("/dev/null", O_RDONLY);
        if (fo < 0 || fe < 0 || fi < 0)
            _exit(127);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

static int wait_zimu(pid_t pid)
{
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st), "zimu did not exit normally (signal %d)",
                  WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return WEXITSTATUS(st);
}

/* Run zimu; its stdout and stderr as NUL-terminated text (malloc'd). */
static int run_zimu(const char *const *args, char **out, char **err)
{
    char *po = tu_path(dir, "stdout.txt"), *pe = tu_path(dir, "stderr.txt");
    int st = wait_zimu(start_zimu(args, po, pe));
    uint8_t *d;
    size_t n;
    TU_OK(tu_read_file(po, &d, &n));
    *out = strndup((char *)d, n);
    free(d);
    TU_OK(tu_read_file(pe, &d, &n));
    *err = strndup((char *)d, n);
    free(d);
    free(po);
    free(pe);
    return st;
}

START_TEST(command_dry_run_and_failures)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    make_clip(in, "a.mp4");
    touch(in, "a.srt", srt);
    touch(in, "a.vtt", vtt);
    make_clip(in, "b.mp4");
    touch(in, "bad.mp4", "not a video");
    touch(in, "bad.srt", srt);
    char *o, *e;
    const char *dry[] = {"batch", in, "-o", out, "--dry-run", NULL};
    int st = run_zimu(dry, &o, &e);
    ck_assert_msg(st == 0, "dry run: %d %s", st, e);
    char want[4096];
    snprintf(want, sizeof want,
             "a.mp4: burn a.srt -> %s/a.mp4 (also found, not used: a.vtt)\n"
             "b.mp4: skip, no caption source\n"
             "bad.mp4: burn bad.srt -> %s/bad.mp4\n", out, out);
    ck_assert_str_eq(o, want);
    ck_assert(!tu_exists(out));
    free(o);
    free(e);
    /* an empty folder: nothing to do, still 0 */
    char *empty = tu_path(dir, "empty");
    ck_assert_int_eq(mkdir(empty, 0777), 0);
    const char *dry2[] = {"batch", empty, "-o", out, "--dry-run", NULL};
    ck_assert_int_eq(run_zimu(dry2, &o, &e), 0);
    ck_assert_str_eq(o, "");
    free(o);
    free(e);
    /* the run: the bad clip fails, the rest is done: exit status 10 */
    const char *run[] = {"batch", in, "-o", out, "--preset", "ultrafast", "-j", "2", NULL};
    st = run_zimu(run, &o, &e);
    ck_assert_msg(st == 10, "run: %d %s", st, e);
    ck_assert_msg(strstr(e, "failed bad.mp4: ") && strstr(e, "skipped b.mp4") &&
                  strstr(e, "3 clips: 1 done, 0 unchanged, 1 skipped, 1 failed"), "%s", e);
    char *oa = tu_path(out, "a.mp4");
    ck_assert_int_gt(caption_pixels(oa), 150);
    free(o);
    free(e);
    /* a dry run with the same options now keeps the done clip */
    const char *dry3[] = {"batch", in, "-o", out, "--preset", "ultrafast", "--dry-run", NULL};
    st = run_zimu(dry3, &o, &e);
    ck_assert_int_eq(st, 0);
    snprintf(want, sizeof want, "a.mp4: keep %s/a.mp4, up to date\n", out);
    ck_assert_msg(!strncmp(o, want, strlen(want)), "%s", o);
    free(o);
    free(e);
    /* rerun: the done clip is up to date; --json says so */
    const char *again[] = {"batch", in, "-o", out, "--preset", "ultrafast", "--json", NULL};
    st = run_zimu(again, &o, &e);
    ck_assert_int_eq(st, 10);
    json_object *j = json_tokener_parse(o);
    ck_assert_msg(j != NULL, "not JSON: %s", o);
    json_object *clips, *c0, *stv;
    ck_assert(json_object_object_get_ex(j, "clips", &clips));
    c0 = json_object_array_get_idx(clips, 0);
    ck_assert(json_object_object_get_ex(c0, "status", &stv));
    ck_assert_str_eq(json_object_get_string(stv), "unchanged");
    /* the clips at once and threads a clip: what zimu_batch_threads() says */
    json_object *jobs, *threads;
    ck_assert(json_object_object_get_ex(j, "jobs", &jobs) &&
              json_object_object_get_ex(j, "encoder_threads", &threads));
    ck_assert_int_ge(json_object_get_int(jobs), 1);
    ck_assert_int_ge(json_object_get_int(threads), 1);
    json_object_put(j);
    free(o);
    free(e);
    /* a bad option value is a usage error before any clip */
    const char *bad[] = {"batch", in, "-o", out, "--crf", "99", NULL};
    ck_assert_int_eq(run_zimu(bad, &o, &e), 1);
    free(o);
    free(e);
    free(oa);
    free(empty);
    free(in);
    free(out);
}
END_TEST

/* Columns a terminal gives s (three-byte UTF-8, the Han characters here:
 * two). */
static int columns_of(const char *s, size_t n)
{
    int cols = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            cols++;
        else if ((c & 0xF0) == 0xE0)
            cols += 2;
        else if ((c & 0xE0) == 0xC0 || (c & 0xF8) == 0xF0)
            cols += 1;
    }
    return cols;
}

/* On a terminal 60 columns wide: one line rewritten in place that never
 * wraps, showing the clips in flight by name (a long Chinese name cut) with
 * their share done, an ETA, then the summary. In English (_i 0) and in
 * Chinese (_i 1), whose words take two columns a character. */
START_TEST(progress_on_a_terminal)
{
    int zh = _i == 1;
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    const char *names[] = {"a", "b", "居民来稿第一段很长很长的名字"};
    for (int k = 0; k < 3; k++) {
        char name[128];
        snprintf(name, sizeof name, "%s.mp4", names[k]);
        make_clip_n(in, name, 150);
        snprintf(name, sizeof name, "%s.srt", names[k]);
        touch(in, name, srt);
    }
    struct winsize ws = {.ws_row = 24, .ws_col = 60};
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        unsetenv("LANGUAGE");
        unsetenv("LC_ALL");
        unsetenv("LC_MESSAGES");
        setenv("LANG", zh ? "zh_CN.UTF-8" : "C.UTF-8", 1);
        execl(zimu_bin(), zimu_bin(), "batch", in, "-o", out, "-j", "2", "--size",
              "720x1280", "--preset", "ultrafast", (char *)NULL);
        _exit(127);
    }
    char *text = NULL;
    size_t len = 0;
    for (;;) {
        char buf[4096];
        ssize_t got = read(master, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break; /* EIO when the child has gone */
        text = realloc(text, len + (size_t)got + 1);
        ck_assert(text != NULL);
        memcpy(text + len, buf, (size_t)got);
        len += (size_t)got;
        text[len] = 0;
    }
    close(master);
    ck_assert_int_eq(wait_zimu(pid), 0);
    ck_assert_msg(text && strstr(text, zh ? "共 3 个片段：3 个完成" : "3 clips: 3 done"), "%s",
                  text ? text : "");
    /* the progress lines: what \r rewrites, up to the next \r or newline */
    int lines = 0, two_in_flight = 0, eta = 0, cut = 0;
    for (char *p = strchr(text, '\r'); p; p = strchr(p + 1, '\r')) {
        size_t n = strcspn(p + 1, "\r\n");
        while (n > 0 && p[n] == ' ')
            n--; /* the padding that wipes a longer line */
        if (n == 0 || (strncmp(p + 1, "0/3", 3) && strncmp(p + 1, "1/3", 3) &&
                           strncmp(p + 1, "2/3", 3)))
            continue;
        lines++;
        ck_assert_msg(columns_of(p + 1, n) <= 59, "wider than the terminal: %.*s", (int)n,
                      p + 1);
        char *seg = strndup(p + 1, n);
        int bars = 0;
        for (char *q = strstr(seg, " | "); q; q = strstr(q + 3, " | "))
            bars++;
        two_in_flight |= bars == 2 && strchr(seg, '%') != NULL;
        eta |= strstr(seg, zh ? "，还需约 " : ", ETA ") != NULL;
        /* the long name cut to what fits: "居民来稿.." or, beside the
         * longer Chinese counts and another clip, just "居.." */
        cut |= strstr(seg, "居") && strstr(seg, "..") && !strstr(seg, "名字");
        if (zh)
            ck_assert_msg(strstr(seg, "已完成"), "not Chinese: %s", seg);
        free(seg);
    }
    ck_assert_msg(lines >= 2 && two_in_flight && eta && cut, "%d lines, two in flight %d, "
                  "ETA %d, cut name %d:\n%s", lines, two_in_flight, eta, cut, text);
    free(text);
    free(in);
    free(out);
}
END_TEST

/* The thumbnail shows captions when only part of the clip has them: a
 * caption over the first 200 ms of a 2 s clip is not on at its middle. */
START_TEST(thumbnail_shows_captions)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    make_clip_n(in, "a.mp4", 60);
    touch(in, "a.srt", "1\n00:00:00,000 --> 00:00:00,200\n开头的字幕\n");
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_setup(b, fast_settings, NULL);
    ck_assert_int_eq(zimu_batch_run(b), 0);
    char *png = tu_path(out, ".zimu/thumbs/a.mp4.png");
    int w, h;
    uint8_t *rgb;
    TU_OK(tu_read_image_rgb(png, &w, &h, &rgb));
    long ink = 0; /* white and black caption pixels on the grey clip */
    for (int i = 0; i < w * h; i++)
        ink += abs((int)rgb[3 * i + 1] - 128) > 60;
    ck_assert_msg(ink > 30, "%ld caption pixels in the thumbnail", ink);
    free(rgb);
    free(png);
    zimu_batch_free(&b);
    free(in);
    free(out);
}
END_TEST

/* 1 if dir holds a temporary of output name (".NAME.zimu-...part"). */
static int temp_of(const char *d, const char *name)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, ".%s.zimu-", name);
    DIR *dd = opendir(d);
    if (!dd)
        return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(dd)))
        found |= !strncmp(e->d_name, prefix, strlen(prefix));
    closedir(dd);
    return found;
}

/* SIGKILL of the whole process group as soon as the first output has its
 * name (a later clip then in flight), then a rerun: at no time a partial
 * file at an output name, and all outputs complete at the end. */
START_TEST(killed_then_rerun)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    tu_clip_opts co;
    tu_clip_defaults(&co);
    co.frames = 45;
    co.bg = TU_BG_GREY;
    co.markers = 0;
    const char *names[] = {"k1", "k2", "k3", "k4"};
    for (int k = 0; k < 4; k++) {
        char name[32];
        snprintf(name, sizeof name, "%s.mp4", names[k]);
        char *p = tu_path(in, name);
        TU_OK(tu_make_clip(p, &co));
        free(p);
        snprintf(name, sizeof name, "%s.srt", names[k]);
        touch(in, name, srt);
    }
    char *po = tu_path(dir, "o.txt"), *pe = tu_path(dir, "e.txt");
    const char *args[] = {"batch", in, "-o", out, "-j", "1", NULL};
    pid_t pid = start_zimu(args, po, pe);
    char *first = tu_path(out, "k1.mp4");
    struct timespec nap = {0, 2 * 1000 * 1000};
    for (int t = 0; t < 30000 && !tu_exists(first); t++)
        nanosleep(&nap, NULL);
    ck_assert_msg(tu_exists(first), "no output appeared");
    /* and the next clip is being written: its temporary is there */
    for (int t = 0; t < 30000 && !temp_of(out, "k2.mp4"); t++)
        nanosleep(&nap, NULL);
    ck_assert_msg(temp_of(out, "k2.mp4"), "k2.mp4 was never in flight");
    kill(-pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    /* whatever has an output name is complete */
    int complete = 0;
    for (int k = 0; k < 4; k++) {
        char name[32];
        snprintf(name, sizeof name, "%s.mp4", names[k]);
        char *p = tu_path(out, name);
        if (tu_exists(p)) {
            tu_video v;
            ck_assert_msg(tu_read_video(p, &v, 0) >= 0 && v.n == 45, "%s is partial", name);
            tu_video_free(&v);
            complete++;
        }
        free(p);
    }
    ck_assert_int_ge(complete, 1);
    ck_assert_int_lt(complete, 4);
    ck_assert(temp_of(out, "k2.mp4")); /* left by the killed run */
    /* the rerun finishes what is missing */
    char *o, *e;
    st = run_zimu(args, &o, &e);
    ck_assert_msg(st == 0, "rerun: %d %s", st, e);
    ck_assert_msg(strstr(e, "4 clips: "), "%s", e);
    free(o);
    free(e);
    for (int k = 0; k < 4; k++) {
        char name[32];
        snprintf(name, sizeof name, "%s.mp4", names[k]);
        char *p = tu_path(out, name);
        tu_video v;
        ck_assert_msg(tu_read_video(p, &v, 0) >= 0 && v.n == 45, "%s is not complete", name);
        tu_video_free(&v);
        free(p);
    }
    /* no temporary left: 4 outputs, 4 records, 4 thumbnails, 2 reports,
     * the page */
    ck_assert_int_eq(files_under(out), 15);
    free(first);
    free(po);
    free(pe);
    free(in);
    free(out);
}
END_TEST

/* ---- shards ----------------------------------------------------------- */

/* The clips of a dry run of shard k of n (0, 0: all), "|a.mp4|b.mp4|". */
static void share_of(const char *in, const char *out, int k, int n, char *buf, size_t size)
{
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_dry_run(b, 1);
    ck_assert_int_eq(zimu_batch_set_shard(b, k, n), 0);
    int r = zimu_batch_run(b);
    ck_assert_msg(r == 0, "dry run of shard %d/%d: %d %s", k, n, r, zimu_errmsg(b));
    size_t len = (size_t)snprintf(buf, size, "|");
    for (int i = 0; i < zimu_batch_count(b); i++)
        len += (size_t)snprintf(buf + len, size - len, "%s|", zimu_batch_clip_input(b, i));
    zimu_batch_free(&b);
}

/* How many of the shares' lists hold "|name|". */
static int shares_with(char shares[][1024], int n, const char *name)
{
    char key[256];
    snprintf(key, sizeof key, "|%s|", name);
    int c = 0;
    for (int k = 0; k < n; k++)
        c += strstr(shares[k], key) != NULL;
    return c;
}

START_TEST(shards_cover_every_clip_once_and_stay)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    const char *names[] = {"a.mp4", "b.mp4", "c.mov", "社区 讲座.mp4", "e.mp4", "f.mkv",
                           "g.mp4", "新增.mp4"};
    for (int i = 0; i < 7; i++) {
        touch(in, names[i], NULL);
        char s[64];
        snprintf(s, sizeof s, "%.*s.srt", (int)(strrchr(names[i], '.') - names[i]),
                 names[i]);
        touch(in, s, srt);
    }
    char shares[3][1024], again[3][1024], all[1024];
    share_of(in, out, 0, 0, all, sizeof all);
    int total = 0;
    for (int k = 0; k < 3; k++) {
        share_of(in, out, k + 1, 3, shares[k], sizeof shares[k]);
        for (const char *p = shares[k]; (p = strchr(p + 1, '|'));)
            total++;
    }
    ck_assert_msg(total == 7, "the shares hold %d clips: %s %s %s", total, shares[0],
                  shares[1], shares[2]);
    for (int i = 0; i < 7; i++)
        ck_assert_msg(shares_with(shares, 3, names[i]) == 1, "%s in %d shares: %s %s %s",
                      names[i], shares_with(shares, 3, names[i]), shares[0], shares[1],
                      shares[2]);
    /* 7 clips over 3 shares: not all in one */
    for (int k = 0; k < 3; k++)
        ck_assert_msg(strcmp(shares[k], all), "shard %d/3 took every clip: %s", k + 1, all);
    /* a clip added: no other clip moves */
    touch(in, names[7], NULL);
    touch(in, "新增.srt", srt);
    for (int k = 0; k < 3; k++)
        share_of(in, out, k + 1, 3, again[k], sizeof again[k]);
    for (int i = 0; i < 7; i++) {
        char key[256];
        snprintf(key, sizeof key, "|%s|", names[i]);
        for (int k = 0; k < 3; k++)
            ck_assert_msg(!strstr(shares[k], key) == !strstr(again[k], key),
                          "%s moved: %s %s %s", names[i], again[0], again[1], again[2]);
    }
    ck_assert_int_eq(shares_with(again, 3, names[7]), 1);
    /* shard 1 of 1 is every clip */
    char one[1024];
    share_of(in, out, 1, 1, one, sizeof one);
    share_of(in, out, 0, 0, all, sizeof all);
    ck_assert_str_eq(one, all);
    /* bad shards */
    zimu_batch *b = zimu_batch_new();
    const int bad[][2] = {{0, 3}, {4, 3}, {1, 0}, {-1, 3}, {1, 1001}, {0, 1}};
    for (int i = 0; i < 6; i++)
        ck_assert_msg(zimu_batch_set_shard(b, bad[i][0], bad[i][1]) == ZIMU_EINVAL,
                      "shard %d/%d accepted", bad[i][0], bad[i][1]);
    ck_assert_int_eq(zimu_batch_set_shard(b, 1000, 1000), 0);
    ck_assert_int_eq(zimu_batch_set_shard(b, 0, 0), 0);
    ck_assert_int_eq(zimu_batch_set_shard(NULL, 1, 1), ZIMU_EINVAL);
    zimu_batch_free(&b);
    free(in);
    free(out);
}
END_TEST

/* A process id that no longer exists: a child that has exited and been
 * reaped. */
static long dead_pid(void)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    return (long)pid;
}

static json_object *report_at(const char *d, const char *name)
{
    char *p = tu_path(d, name);
    json_object *j = json_object_from_file(p);
    ck_assert_msg(j != NULL, "%s does not parse", p);
    free(p);
    return j;
}

/* The "clips" of a report. */
static json_object *clips_of(json_object *rep)
{
    json_object *c;
    ck_assert(json_object_object_get_ex(rep, "clips", &c));
    return c;
}

static int merge_in(const char *out, char *msg, size_t size)
{
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_output_dir(b, out);
    int r = zimu_batch_merge_reports(b);
    snprintf(msg, size, "%s", zimu_errmsg(b));
    zimu_batch_free(&b);
    return r;
}

START_TEST(shards_run_report_and_merge)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    ck_assert_int_eq(mkdir(out, 0777), 0);
    const char *clips[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "%s.mp4", clips[i]);
        make_clip(in, name);
        snprintf(name, sizeof name, "%s.srt", clips[i]);
        touch(in, name, srt);
    }
    touch(in, "none.mp4", NULL);       /* skipped: no captions */
    touch(in, "bad.mp4", "not a video"); /* failed */
    touch(in, "bad.srt", srt);
    /* Temporaries beside a.mp4: one of a process gone on this host (a
     * killed shard's: removed), and those of other hosts, even one whose
     * name begins with this host's name (left: their owners may live). */
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    host[64] = 0;
    for (char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            *p = '_';
    long gone = dead_pid();
    char own[512], other[512], prefixed[512];
    snprintf(own, sizeof own, ".a.mp4.zimu-%s-%ld-abcdefgh.part", host, gone);
    snprintf(other, sizeof other, ".a.mp4.zimu-node7.cluster-%ld-abcdefgh.part", gone);
    snprintf(prefixed, sizeof prefixed, ".a.mp4.zimu-%s-2-%ld-abcdefgh.part", host, gone);
    touch(out, own, "half");
    touch(out, other, "half");
    touch(out, prefixed, "half");

    char msg[2048];
    int r;
    for (int k = 1; k <= 3; k++) {
        if (k == 3) {
            /* shard 3 not run yet: the merge says which is missing */
            r = merge_in(out, msg, sizeof msg);
            ck_assert_msg(r == ZIMU_ENOENT, "merge without shard 3: %d %s", r, msg);
            ck_assert_msg(strstr(msg, "shard 3 ") && strstr(msg, "1 of 3"), "%s", msg);
            char *m = tu_path(out, "zimu-report.json");
            ck_assert_msg(!tu_exists(m), "a merged report was written with a shard missing");
            free(m);
        }
        zimu_batch *b = zimu_batch_new();
        zimu_batch_set_input_dir(b, in);
        zimu_batch_set_output_dir(b, out);
        zimu_batch_set_jobs(b, 1);
        zimu_batch_set_setup(b, fast_settings, NULL);
        ck_assert_int_eq(zimu_batch_set_shard(b, k, 3), 0);
        r = zimu_batch_run(b);
        ck_assert_msg(r == 0 || r == ZIMU_EBATCH, "shard %d: %d %s", k, r, zimu_errmsg(b));
        zimu_batch_free(&b);
        char name[64];
        snprintf(name, sizeof name, "zimu-report.%d-of-3.csv", k);
        char *p = tu_path(out, name);
        ck_assert_msg(tu_exists(p), "no %s", name);
        free(p);
        snprintf(name, sizeof name, "index.%d-of-3.html", k); /* its own page */
        p = tu_path(out, name);
        ck_assert_msg(tu_exists(p), "no %s", name);
        free(p);
        snprintf(name, sizeof name, "zimu-report.%d-of-3.json", k);
        json_object *rep = report_at(out, name), *v;
        ck_assert(json_object_object_get_ex(rep, "shard", &v));
        ck_assert_int_eq(json_object_get_int(v), k);
        ck_assert(json_object_object_get_ex(rep, "shards", &v));
        ck_assert_int_eq(json_object_get_int(v), 3);
        json_object_put(rep);
    }
    /* the shards wrote no unsharded report */
    char *whole = tu_path(out, "zimu-report.json");
    ck_assert(!tu_exists(whole));
    char *page = tu_path(out, "index.html");
    ck_assert(!tu_exists(page));
    /* every output made once, by its shard */
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "%s.mp4", clips[i]);
        char *o = tu_path(out, name);
        ck_assert_int_gt(caption_pixels(o), 150);
        free(o);
    }
    char *p = tu_path(out, own);
    ck_assert_msg(!tu_exists(p), "the stale temporary of this host is still there");
    free(p);
    p = tu_path(out, other);
    ck_assert_msg(tu_exists(p), "another host's temporary was removed");
    free(p);
    p = tu_path(out, prefixed);
    ck_assert_msg(tu_exists(p), "the temporary of host %s-2 was removed", host);
    free(p);

    /* merged: every clip once, in order; the failed one makes it ZIMU_EBATCH */
    zimu_batch *m = zimu_batch_new();
    zimu_batch_set_output_dir(m, out);
    r = zimu_batch_merge_reports(m);
    ck_assert_msg(r == ZIMU_EBATCH, "merge: %d %s", r, zimu_errmsg(m));
    ck_assert_int_eq(zimu_batch_count(m), 7);
    const char *order[] = {"a.mp4", "b.mp4", "bad.mp4", "c.mp4", "d.mp4", "e.mp4", "none.mp4"};
    for (int i = 0; i < 7; i++)
        ck_assert_str_eq(zimu_batch_clip_input(m, i), order[i]);
    ck_assert_int_eq(zimu_batch_clip_status(m, 2), ZIMU_BATCH_FAILED);
    ck_assert_int_eq(zimu_batch_clip_code(m, 2), ZIMU_EBATCH);
    ck_assert_msg(strstr(zimu_batch_clip_error(m, 2), "bad.mp4"), "%s",
                  zimu_batch_clip_error(m, 2));
    ck_assert_int_eq(zimu_batch_clip_status(m, 6), ZIMU_BATCH_SKIPPED);
    ck_assert_int_eq(zimu_batch_clip_status(m, 0), ZIMU_BATCH_DONE);
    ck_assert_int_eq(strlen(zimu_batch_clip_fingerprint(m, 0)), 64);
    char *oa = tu_path(out, "a.mp4");
    ck_assert_str_eq(zimu_batch_clip_output(m, 0), oa);
    free(oa);
    zimu_batch_free(&m);
    ck_assert_msg(tu_exists(page), "the merge wrote no index.html");
    free(page);
    json_object *rep = report_at(out, "zimu-report.json"), *v;
    json_object *arr = clips_of(rep);
    ck_assert_int_eq(json_object_array_length(arr), 7);
    for (int i = 0; i < 7; i++) {
        json_object *e = json_object_array_get_idx(arr, (size_t)i), *iv;
        ck_assert(json_object_object_get_ex(e, "input", &iv));
        ck_assert_str_eq(json_object_get_string(iv), order[i]);
    }
    ck_assert(!json_object_object_get_ex(rep, "shard", &v));
    ck_assert(json_object_object_get_ex(rep, "done", &v));
    ck_assert_int_eq(json_object_get_int(v), 5);
    ck_assert(json_object_object_get_ex(rep, "failed", &v));
    ck_assert_int_eq(json_object_get_int(v), 1);
    json_object_put(rep);
    char *cp = tu_path(out, "zimu-report.csv");
    uint8_t *csv;
    size_t csv_size;
    TU_OK(tu_read_file(cp, &csv, &csv_size));
    int lines = 0;
    for (size_t i = 0; i < csv_size; i++)
        lines += csv[i] == '\n';
    ck_assert_int_eq(lines, 8);
    ck_assert(csv_size > 3 && !memcmp(csv, "\xEF\xBB\xBF", 3));
    free(csv);
    free(cp);

    /* the command: exit status 10 (a clip failed), a summary */
    char *o, *e;
    const char *merge[] = {"batch", "--merge-reports", out, NULL};
    int st = run_zimu(merge, &o, &e);
    ck_assert_msg(st == 10 && strstr(e, "7 clips: 5 done"), "merge: %d %s", st, e);
    free(o);
    free(e);

    /* one clip in two shards' reports: an error naming both */
    json_object *r1 = report_at(out, "zimu-report.1-of-3.json");
    json_object *r2 = report_at(out, "zimu-report.2-of-3.json");
    json_object *c1 = clips_of(r1);
    ck_assert_int_ge(json_object_array_length(c1), 1);
    json_object_array_add(clips_of(r2), json_object_get(json_object_array_get_idx(c1, 0)));
    char *p2 = tu_path(out, "zimu-report.2-of-3.json"), *saved = tu_path(dir, "saved.json");
    ck_assert_int_eq(rename(p2, saved), 0);
    ck_assert_int_eq(json_object_to_file(p2, r2), 0);
    json_object_put(r1);
    json_object_put(r2);
    unlink(whole);
    r = merge_in(out, msg, sizeof msg);
    ck_assert_msg(r == ZIMU_EINVAL, "duplicate: %d %s", r, msg);
    ck_assert_msg(strstr(msg, "zimu-report.1-of-3.json") && strstr(msg, "zimu-report.2-of-3.json"),
                  "%s", msg);
    ck_assert(!tu_exists(whole));
    ck_assert_int_eq(rename(saved, p2), 0);
    /* reports of another split beside them */
    touch(out, "zimu-report.1-of-2.json", "{\"shard\": 1, \"shards\": 2, \"clips\": []}");
    r = merge_in(out, msg, sizeof msg);
    ck_assert_msg(r == ZIMU_EINVAL && strstr(msg, "of 2 shards") && strstr(msg, "of 3 shards"),
                  "mixed: %d %s", r, msg);
    char *p12 = tu_path(out, "zimu-report.1-of-2.json");
    unlink(p12);
    /* two reports that swapped names */
    char *p1 = tu_path(out, "zimu-report.1-of-3.json");
    ck_assert_int_eq(rename(p1, saved), 0);
    ck_assert_int_eq(rename(p2, p1), 0);
    ck_assert_int_eq(rename(saved, p2), 0);
    r = merge_in(out, msg, sizeof msg);
    ck_assert_msg(r == ZIMU_EINVAL && strstr(msg, "not the report of shard"), "renamed: %d %s",
                  r, msg);
    ck_assert(!tu_exists(whole));
    free(p1), free(p2), free(p12), free(saved);
    free(whole);
    free(in);
    free(out);
}
END_TEST

START_TEST(command_shards)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    touch(in, "solo.mp4", NULL);
    touch(in, "solo.srt", srt);
    char *o, *e;
    /* one clip, three shards: it is printed by one, the others print
     * nothing and exit 0 */
    int printed = 0;
    for (int k = 1; k <= 3; k++) {
        char sh[16];
        snprintf(sh, sizeof sh, "%d/3", k);
        const char *dry[] = {"batch", in, "-o", out, "--shard", sh, "--dry-run", NULL};
        int st = run_zimu(dry, &o, &e);
        ck_assert_msg(st == 0, "--shard %s --dry-run: %d %s", sh, st, e);
        if (*o) {
            ck_assert_msg(!strncmp(o, "solo.mp4: burn solo.srt", 23), "%s", o);
            printed++;
        }
        free(o);
        free(e);
    }
    ck_assert_int_eq(printed, 1);
    /* bad shards are usage errors */
    const char *bad[] = {"0/3", "4/3", "1/0", "x", "1/3/", "/3", "1/1001", "+1/3", ""};
    for (int i = 0; i < 9; i++) {
        const char *args[] = {"batch", in, "-o", out, "--shard", bad[i], "--dry-run", NULL};
        int st = run_zimu(args, &o, &e);
        ck_assert_msg(st == 1 && strstr(e, "--shard"), "--shard '%s': %d %s", bad[i], st, e);
        free(o);
        free(e);
    }
    /* --merge-reports stands alone */
    const char *mixed[] = {"batch", in, "--merge-reports", out, NULL};
    ck_assert_int_eq(run_zimu(mixed, &o, &e), 1);
    free(o);
    free(e);
    /* nothing to merge: an error naming the folder */
    ck_assert_int_eq(mkdir(out, 0777), 0);
    const char *none[] = {"batch", "--merge-reports", out, NULL};
    int st = run_zimu(none, &o, &e);
    ck_assert_msg(st != 0 && st != 10 && strstr(e, "no shard reports"), "%d %s", st, e);
    free(o);
    free(e);
    /* a missing shard, named */
    touch(out, "zimu-report.1-of-2.json", "{\"shard\": 1, \"shards\": 2, \"clips\": []}");
    st = run_zimu(none, &o, &e);
    ck_assert_msg(st != 0 && st != 10 && strstr(e, "shard 2 "), "%d %s", st, e);
    free(o);
    free(e);
    free(in);
    free(out);
}
END_TEST

static int cancel_at_once(void *opaque, const zimu_batch_progress *p)
{
    (void)p;
    return ++*(int *)opaque >= 1;
}

START_TEST(cancel_leaves_nothing)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    for (int k = 0; k < 4; k++) {
        char name[16];
        snprintf(name, sizeof name, "c%d.mp4", k);
        make_clip(in, name);
        snprintf(name, sizeof name, "c%d.srt", k);
        touch(in, name, srt);
    }
    zimu_batch *b = zimu_batch_new();
    int calls = 0;
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_jobs(b, 2);
    zimu_batch_set_progress(b, cancel_at_once, &calls);
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_ECANCEL);
    ck_assert_int_ge(calls, 1);
    int cancelled = 0;
    for (int i = 0; i < zimu_batch_count(b); i++) {
        int st = zimu_batch_clip_status(b, i);
        ck_assert_msg(st == ZIMU_BATCH_CANCELLED || st == ZIMU_BATCH_PENDING, "clip %d: %s",
                      i, zimu_batch_status_name(st));
        cancelled += st == ZIMU_BATCH_CANCELLED;
    }
    ck_assert_int_ge(cancelled, 1);
    /* no output, no temporary, no record: the reports and the page only */
    ck_assert_int_eq(files_under(out), 3);
    /* cancelled for good */
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_ECANCEL);
    zimu_batch_free(&b);
    free(in);
    free(out);
}
END_TEST


/* ---- manifests ---------------------------------------------------------- */

/* The manifest of the tests, with row 3's text, style and title, and row
 * 6's from, given (the other rows fixed). */
static void write_manifest(const char *path, const char *text3, const char *style3,
                           const char *title3, const char *from6)
{
    char buf[4096];
    snprintf(buf, sizeof buf,
             "clip,subs,text,style,title,from,to,output\n"
             "a.mp4,subs/a.srt,,,,,,\n"                    /* 2 */
             "t.mp4,,%s,%s,%s,,,\n"                        /* 3 */
             "t2.mp4,,你好 text,,,,,\n"                    /* 4 */
             "n.mp4,,,,\"标题, title\",,,\n"               /* 5 */
             "long.mp4,,第一段,,,%s,1,cut/one.mp4\n"       /* 6 */
             "long.mp4,,第二段,,,1,1.5,cut/two.mp4\n"      /* 7 */
             "long.mp4,,x,,,1:6x,,x.mp4\n"                 /* 8: bad time */
             "a.mp4,subs/a.srt,,,,,,../escape.mp4\n"       /* 9: unsafe output */
             "long.mp4,,dup,,,,,cut/one.mp4\n"             /* 10: taken by row 6 */
             "link/x.mp4,,y,,,,,y.mp4\n",                  /* 11: symlink out of INDIR */
             text3, style3, title3, from6);
    ck_assert_int_eq(tu_write_file(path, buf, strlen(buf)), 0);
}

static int find_row(const zimu_batch *b, const char *out_rel, const char *out)
{
    char want[4096];
    snprintf(want, sizeof want, "%s/%s", out, out_rel);
    for (int i = 0; i < zimu_batch_count(b); i++) {
        const char *o = zimu_batch_clip_output(b, i);
        if (o && !strcmp(o, want) && zimu_batch_clip_status(b, i) != ZIMU_BATCH_FAILED)
            return i;
    }
    ck_abort_msg("no output %s in the batch", out_rel);
    return -1;
}

/* The statuses of rows 2..7 ("DDDDDD": d done, u unchanged, p pending). */
static void statuses(const zimu_batch *b, const char *out, char s[7])
{
    const char *names[] = {"a.mp4", "t.mp4", "t2.mp4", "n.mp4", "cut/one.mp4", "cut/two.mp4"};
    for (int k = 0; k < 6; k++) {
        int st = zimu_batch_clip_status(b, find_row(b, names[k], out));
        s[k] = st == ZIMU_BATCH_DONE ? 'd' : st == ZIMU_BATCH_UNCHANGED ? 'u'
             : st == ZIMU_BATCH_PENDING ? 'p' : '?';
    }
    s[6] = 0;
}

static int64_t video_ms(const char *path, int *frames)
{
    tu_video v;
    int r = tu_read_video(path, &v, 0);
    ck_assert_msg(r >= 0, "%s: %s", path, tu_err());
    *frames = v.n;
    int64_t ms = v.n ? tu_frame_ms(&v, v.n - 1) : -1;
    tu_video_free(&v);
    return ms;
}

/* A manifest kept in the output folder is an input: a row whose output
 * is the manifest fails and the manifest stays as it was. */
START_TEST(manifest_in_output_folder)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out"), *list = tu_path(out, "list.csv");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    ck_assert_int_eq(mkdir(out, 0777), 0);
    make_clip(in, "a.mp4");
    const char *csv = "clip,text,output\na.mp4,你好,list.csv\na.mp4,你好,a.mp4\n";
    touch(out, "list.csv", csv);
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    ck_assert_int_eq(zimu_batch_set_manifest(b, list), 0);
    zimu_batch_set_setup(b, fast_settings, NULL);
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_EBATCH);
    ck_assert_int_eq(zimu_batch_clip_status(b, 0), ZIMU_BATCH_FAILED);
    ck_assert_int_eq(zimu_batch_clip_code(b, 0), ZIMU_ESAME);
    const char *e = zimu_batch_clip_error(b, 0);
    ck_assert_msg(strstr(e, "list.csv:2: ") && strstr(e, "the manifest"), "%s", e);
    ck_assert_int_eq(zimu_batch_clip_status(b, 1), ZIMU_BATCH_DONE);
    uint8_t *data;
    size_t size;
    TU_OK(tu_read_file(list, &data, &size));
    ck_assert(size == strlen(csv) && !memcmp(data, csv, size));
    free(data);
    zimu_batch_free(&b);
    free(list);
    free(in);
    free(out);
}
END_TEST

START_TEST(manifest_rows)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out"), *m = tu_path(dir, "m"),
         *subs = tu_path(dir, "m/subs"), *outside = tu_path(dir, "outside"),
         *link = tu_path(dir, "in/link"), *list = tu_path(dir, "m/list.csv");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    ck_assert_int_eq(mkdir(m, 0777), 0);
    ck_assert_int_eq(mkdir(subs, 0777), 0);
    ck_assert_int_eq(mkdir(outside, 0777), 0);
    make_clip(in, "a.mp4");
    make_clip(in, "t.mp4");
    make_clip(in, "t2.mp4");
    make_clip(in, "n.mp4");
    make_clip_n(in, "long.mp4", 60);
    make_clip(outside, "x.mp4");
    ck_assert_int_eq(symlink(outside, link), 0);
    touch(subs, "a.srt", srt);
    /* a clip beside its captions in INDIR that the manifest does not name:
     * not done (the rows are the clips) */
    make_clip(in, "other.mp4");
    touch(in, "other.srt", srt);
    write_manifest(list, "你好 text", "box", "", "0");

    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    ck_assert_int_eq(zimu_batch_set_manifest(b, list), 0);
    zimu_batch_set_jobs(b, 2);
    zimu_batch_set_setup(b, fast_settings, NULL);
    int r = zimu_batch_run(b);
    ck_assert_msg(r == ZIMU_EBATCH, "run: %d %s", r, zimu_errmsg(b));
    ck_assert_int_eq(zimu_batch_count(b), 10);
    /* the rows in order; the bad ones failed with their row */
    const char *why[] = {"is not a time", "../escape.mp4", "also the output of row 6",
                         "symlink"};
    for (int k = 0; k < 4; k++) {
        int i = 6 + k, row = 8 + k;
        char where[64];
        snprintf(where, sizeof where, "list.csv:%d: ", row);
        const char *e = zimu_batch_clip_error(b, i);
        ck_assert_msg(zimu_batch_clip_status(b, i) == ZIMU_BATCH_FAILED, "row %d: %d", row,
                      zimu_batch_clip_status(b, i));
        ck_assert_msg(strstr(e, where) && strstr(e, why[k]), "row %d: %s", row, e);
    }
    char *esc = tu_path(dir, "escape.mp4"), *yo = tu_path(out, "y.mp4");
    ck_assert(!tu_exists(esc) && !tu_exists(yo));
    free(esc);
    free(yo);
    char st[7];
    statuses(b, out, st);
    ck_assert_str_eq(st, "dddddd");
    char *other = tu_path(out, "other.mp4");
    ck_assert(!tu_exists(other));
    free(other);
    /* captions: the srt, the inline text, the title */
    const char *capd[] = {"a.mp4", "t.mp4", "t2.mp4", "n.mp4", "cut/one.mp4", "cut/two.mp4"};
    for (int k = 0; k < 6; k++) {
        char *o = tu_path(out, capd[k]);
        long px = caption_pixels(o);
        ck_assert_msg(px > 150, "%s: only %ld caption pixels", capd[k], px);
        free(o);
    }
    /* the row's style: t.mp4 (box) against t2.mp4 (the same text, classic) */
    char *ot = tu_path(out, "t.mp4"), *ot2 = tu_path(out, "t2.mp4");
    long box = caption_pixels(ot), plain = caption_pixels(ot2);
    ck_assert_msg(box > plain + 500, "box %ld, classic %ld", box, plain);
    /* the parts: [0, 1 s) and [1, 1.5 s) of a 2 s clip */
    int frames;
    char *one = tu_path(out, "cut/one.mp4"), *two = tu_path(out, "cut/two.mp4");
    int64_t ms = video_ms(one, &frames);
    ck_assert_msg(frames == 30 && ms > 900 && ms < 1000, "one: %d frames, %lld ms", frames,
                  (long long)ms);
    ms = video_ms(two, &frames);
    ck_assert_msg(frames == 15 && ms > 400 && ms < 500, "two: %d frames, %lld ms", frames,
                  (long long)ms);
    /* the report names the bad rows */
    char *rp = tu_path(out, "zimu-report.csv");
    uint8_t *csv;
    size_t csv_size;
    TU_OK(tu_read_file(rp, &csv, &csv_size));
    char *txt = strndup((char *)csv, csv_size);
    ck_assert_msg(strstr(txt, "list.csv:8: 'from' '1:6x' is not a time"), "%s", txt);
    free(csv);
    free(txt);
    free(rp);

    /* rerun: every output unchanged */
    r = zimu_batch_run(b);
    ck_assert_int_eq(r, ZIMU_EBATCH);
    statuses(b, out, st);
    ck_assert_str_eq(st, "uuuuuu");

    /* each setting of a row is in its fingerprint: a dry run after an edit
     * would make that row only */
    zimu_batch_set_dry_run(b, 1);
    struct {
        const char *text, *style, *title, *from, *want;
    } edits[] = {
        {"你好 text", "box", "", "0", "uuuuuu"},
        {"改了 text", "box", "", "0", "upuuuu"},
        {"你好 text", "news", "", "0", "upuuuu"},
        {"你好 text", "box", "新标题", "0", "upuuuu"},
        {"你好 text", "box", "", "0.5", "uuuupu"},
    };
    for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
        write_manifest(list, edits[k].text, edits[k].style, edits[k].title, edits[k].from);
        r = zimu_batch_run(b);
        ck_assert_msg(r == 0, "dry run %zu: %d %s", k, r, zimu_errmsg(b));
        statuses(b, out, st);
        ck_assert_msg(!strcmp(st, edits[k].want), "edit %zu: %s", k, st);
    }
    /* the caption file's content too */
    write_manifest(list, "你好 text", "box", "", "0");
    touch(subs, "a.srt", "1\n00:00:00,000 --> 00:00:01,000\n改过的字幕\n");
    r = zimu_batch_run(b);
    statuses(b, out, st);
    ck_assert_str_eq(st, "puuuuu");

    /* a real run after editing row 3's text: only t.mp4 is made again */
    touch(subs, "a.srt", srt);
    write_manifest(list, "改了 text", "box", "", "0");
    zimu_batch_set_dry_run(b, 0);
    r = zimu_batch_run(b);
    ck_assert_int_eq(r, ZIMU_EBATCH);
    statuses(b, out, st);
    ck_assert_str_eq(st, "uduuuu");

    zimu_batch_free(&b);
    free(ot);
    free(ot2);
    free(one);
    free(two);
    free(in);
    free(out);
    free(m);
    free(subs);
    free(outside);
    free(link);
    free(list);
}
END_TEST

/* zimu batch --manifest with a GB18030 manifest (Chinese column names, as
 * Excel saves CSV on a Chinese Windows). */
START_TEST(command_manifest_gb18030)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out"), *list = tu_path(dir, "list.csv");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    make_clip(in, "a.mp4");
    make_clip(in, "b.mp4");
    /* 视频,文字,开始,输出 / a.mp4,你好,, / b.mp4,第一,9x,b.mp4 / b.mp4,你好,,第一.mp4 */
    static const char gb[] =
        "\xCA\xD3\xC6\xB5,\xCE\xC4\xD7\xD6,\xBF\xAA\xCA\xBC,\xCA\xE4\xB3\xF6\r\n"
        "a.mp4,\xC4\xE3\xBA\xC3,,\r\n"
        "b.mp4,\xB5\xDA\xD2\xBB,9x,b.mp4\r\n"
        "b.mp4,\xC4\xE3\xBA\xC3,,\xB5\xDA\xD2\xBB.mp4\r\n";
    ck_assert_int_eq(tu_write_file(list, gb, sizeof gb - 1), 0);
    const char *dry[] = {"batch", in, "-o", out, "--manifest", list, "--dry-run", NULL};
    char *o, *e;
    int st = run_zimu(dry, &o, &e);
    ck_assert_msg(st == 0, "dry run: %d %s", st, e);
    char want[8192];
    snprintf(want, sizeof want,
             "a.mp4: burn %s:2 (text) -> %s/a.mp4\n"
             "%s:3: fail, '开始' '9x' is not a time: write seconds (90, 90.5) or "
             "minutes and seconds (1:30, 0:01:30, 00:01:30.500)\n"
             "b.mp4: burn %s:4 (text) -> %s/第一.mp4\n",
             list, out, list, list, out);
    ck_assert_str_eq(o, want);
    free(o);
    free(e);
    const char *run[] = {"batch", in, "-o", out, "--manifest", list, "--preset", "ultrafast",
                         NULL};
    st = run_zimu(run, &o, &e);
    ck_assert_msg(st == 10, "run: %d %s", st, e);
    ck_assert_msg(strstr(e, "failed ") &&
                  strstr(e, "list.csv:3: '开始' '9x' is not a time") &&
                  strstr(e, "3 clips: 2 done, 0 unchanged, 0 skipped, 1 failed"), "%s", e);
    char *oa = tu_path(out, "a.mp4"), *ob = tu_path(out, "第一.mp4");
    ck_assert_int_gt(caption_pixels(oa), 150);
    ck_assert_int_gt(caption_pixels(ob), 150);
    char *obb = tu_path(out, "b.mp4");
    ck_assert(!tu_exists(obb));
    free(obb);
    free(o);
    free(e);
    /* a manifest that is no CSV stops the batch before any clip */
    char *x = tu_path(dir, "list.xlsx");
    touch(dir, "list.xlsx", "PK\x03\x04 zip");
    const char *bad[] = {"batch", in, "-o", out, "--manifest", x, NULL};
    st = run_zimu(bad, &o, &e);
    ck_assert_msg(st != 0 && st != 10 && strstr(e, "save it as CSV"), "%d %s", st, e);
    free(o);
    free(e);
    free(x);
    free(oa);
    free(ob);
    free(in);
    free(out);
    free(list);
}
END_TEST

START_TEST(bad_arguments)
{
    zimu_batch *b = zimu_batch_new();
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_batch_set_jobs(b, 257), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_batch_set_input_dir(b, ""), ZIMU_EINVAL);
    char *none = tu_path(dir, "none");
    zimu_batch_set_input_dir(b, none);
    zimu_batch_set_output_dir(b, dir);
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_ENOENT);
    ck_assert_str_eq(zimu_errfile(b), none);
    ck_assert_int_eq(zimu_batch_run(NULL), ZIMU_EINVAL);
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_batch_count((zimu_batch *)job), ZIMU_EBADHANDLE);
    zimu_job_free(&job);
    ck_assert_ptr_null(zimu_batch_clip_input(b, 0));
    ck_assert_str_eq(zimu_batch_clip_error(b, 5), "");
    ck_assert_str_eq(zimu_strerror(ZIMU_EBATCH), "some clips of the batch failed");
    zimu_batch_cancel(NULL);
    zimu_batch_free(&b);
    free(none);
}
END_TEST

/* Occurrences of needle in hay. */
static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* A relative URL of the page, percent-decoded. */
static char *url_decode(const char *s, size_t len)
{
    char *d = malloc(len + 1), *q = d;
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        if (s[i] == '%' && i + 2 < len + 1 && sscanf(s + i + 1, "%2x", &v) == 1) {
            *q++ = (char)v;
            i += 2;
        } else {
            *q++ = s[i];
        }
    }
    *q = 0;
    return d;
}

static char *read_text(const char *d, const char *name)
{
    char *p = tu_path(d, name);
    uint8_t *data;
    size_t size;
    ck_assert_msg(tu_read_file(p, &data, &size) == 0, "%s missing", p);
    char *t = realloc(data, size + 1);
    t[size] = 0;
    free(p);
    return t;
}

START_TEST(the_page)
{
    char *in = tu_path(dir, "in"), *out = tu_path(dir, "out");
    ck_assert_int_eq(mkdir(in, 0777), 0);
    make_clip(in, "a.mp4");
    touch(in, "a.srt", srt);
    make_clip(in, "<b>&\"q\".mp4");
    touch(in, "<b>&\"q\".vtt", vtt);
    make_clip(in, "\xC9\xE7.mp4"); /* a GBK name */
    touch(in, "\xC9\xE7.srt", srt);
    touch(in, "bad.mp4", "this is not a video at all");
    touch(in, "bad.srt", srt);
    make_clip(in, "none.mp4");
    zimu_batch *b = zimu_batch_new();
    zimu_batch_set_input_dir(b, in);
    zimu_batch_set_output_dir(b, out);
    zimu_batch_set_setup(b, fast_settings, NULL);
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_EBATCH);

    char *page = read_text(out, "index.html");
    ck_assert(!strncmp(page, "<!DOCTYPE html>", 15));
    ck_assert(strstr(page, "</html>\n"));
    /* every card once, with its status and its name escaped */
    ck_assert_int_eq(count_of(page, "<div class=\"card "), 5);
    ck_assert_int_eq(count_of(page, "<div class=\"name\">a.mp4</div>"), 1);
    ck_assert_int_eq(
        count_of(page, "<div class=\"name\">&lt;b&gt;&amp;&quot;q&quot;.mp4</div>"), 1);
    ck_assert_int_eq(count_of(page, "<div class=\"name\">\\xC9\\xE7.mp4</div>"), 1);
    ck_assert_int_eq(count_of(page, "<div class=\"name\">bad.mp4</div>"), 1);
    ck_assert_int_eq(count_of(page, "<div class=\"name\">none.mp4</div>"), 1);
    ck_assert_int_eq(count_of(page, "<div class=\"st\">完成 done</div>"), 3);
    ck_assert_int_eq(count_of(page, "<div class=\"st\">失败 failed</div>"), 1);
    ck_assert_int_eq(count_of(page, "<div class=\"st\">跳过 skipped</div>"), 1);
    /* and why it was skipped */
    ck_assert_int_eq(count_of(page, "no caption source beside the clip"), 1);
    ck_assert_int_eq(count_of(page, "<div class=\"card failed\">"), 1);
    ck_assert(strstr(page, "<div class=\"err\">"));
    /* no raw markup from a name, no byte that is not UTF-8 */
    ck_assert(!strstr(page, "<b>&"));
    ck_assert(!strstr(page, "\xC9\xE7"));
    ck_assert(strstr(page, "href=\"%3Cb%3E%26%22q%22.mp4\""));
    ck_assert(!strstr(page, "http:") && !strstr(page, "https:"));

    /* the thumbnails: one for each output, PNGs ZIMU__THUMB_W wide and
     * of the clip's shape, showing the captions on the grey clip */
    int imgs = 0;
    struct stat th1[3];
    for (const char *p = page; (p = strstr(p, " src=\"")); imgs++) {
        p += 6;
        const char *e = strchr(p, '"');
        ck_assert(e && imgs < 3);
        char *rel = url_decode(p, (size_t)(e - p));
        ck_assert_msg(!strncmp(rel, ".zimu/thumbs/", 13), "%s", rel);
        char *tp = tu_path(out, rel);
        uint8_t *data, *rgb;
        size_t size;
        ck_assert_msg(tu_read_file(tp, &data, &size) == 0, "%s missing", tp);
        ck_assert(size > 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8));
        free(data);
        int w, h;
        ck_assert_int_eq(tu_read_image_rgb(tp, &w, &h, &rgb), 0);
        ck_assert_int_eq(w, 180);
        ck_assert_int_eq(h, 320);
        long far = 0;
        for (int i = 0; i < w * h; i++)
            far += abs((int)rgb[3 * i + 1] - 128) > 60;
        ck_assert_msg(far > 40, "%s: only %ld caption pixels", rel, far);
        free(rgb);
        ck_assert_int_eq(stat(tp, &th1[imgs]), 0);
        free(tp);
        free(rel);
        p = e;
    }
    ck_assert_int_eq(imgs, 3);
    /* the source frame, without captions, has none of them */
    {
        char *src = tu_path(in, "a.mp4"), *png = tu_path(dir, "src.png");
        zimu_job *j = zimu_job_new();
        zimu_job_set_input(j, src);
        zimu_job_set_size(j, 180, 320);
        ck_assert_int_eq(zimu_job_preview(j, 333, png), 0);
        zimu_job_free(&j);
        uint8_t *rgb;
        int w, h;
        long far = 0;
        ck_assert_int_eq(tu_read_image_rgb(png, &w, &h, &rgb), 0);
        for (int i = 0; i < w * h; i++)
            far += abs((int)rgb[3 * i + 1] - 128) > 60;
        ck_assert_int_eq(far, 0);
        free(rgb);
        free(src);
        free(png);
    }

    /* a rerun keeps the thumbnails and writes the page again */
    struct stat p1, p2;
    stat_of(out, "index.html", &p1);
    ck_assert_int_eq(zimu_batch_run(b), ZIMU_EBATCH);
    stat_of(out, "index.html", &p2);
    ck_assert(p1.st_ino != p2.st_ino);
    char *page2 = read_text(out, "index.html");
    ck_assert_int_eq(count_of(page2, "<div class=\"st\">未变 unchanged</div>"), 3);
    imgs = 0;
    for (const char *p = page2; (p = strstr(p, " src=\"")); imgs++) {
        p += 6;
        const char *e = strchr(p, '"');
        ck_assert(e && imgs < 3);
        char *rel = url_decode(p, (size_t)(e - p));
        char *tp = tu_path(out, rel);
        struct stat st;
        ck_assert_int_eq(stat(tp, &st), 0);
        ck_assert_msg(same_file(&st, &th1[imgs]), "%s made again", rel);
        free(tp);
        free(rel);
        p = e;
    }
    ck_assert_int_eq(imgs, 3);
    free(page2);
    free(page);
    zimu_batch_free(&b);
    free(in);
    free(out);
}
END_TEST

static Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("batch");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, matching_rules);
    tcase_add_test(tc, folder_all_captioned_one_corrupt);
    tcase_add_test(tc, recursive_output_inside_input);
    tcase_add_test(tc, rerun_resumes);
    tcase_add_test(tc, never_writes_through_a_symlink);
    tcase_add_test(tc, cancel_leaves_nothing);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, command_dry_run_and_failures);
    tcase_add_loop_test(tc, progress_on_a_terminal, 0, 2);
    tcase_add_test(tc, killed_then_rerun);
    tcase_add_test(tc, manifest_rows);
    tcase_add_test(tc, manifest_in_output_folder);
    tcase_add_test(tc, command_manifest_gb18030);
    tcase_add_test(tc, the_page);
    tcase_add_test(tc, thumbnail_shows_captions);
    tcase_add_test(tc, shards_cover_every_clip_once_and_stay);
    tcase_add_test(tc, shards_run_report_and_merge);
    tcase_add_test(tc, command_shards);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(batch_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
