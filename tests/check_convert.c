/* check_convert.c - caption files converted between SRT, WebVTT, ASS and
 * LRC (zimu_subs and `zimu convert`): round trips keep times, text and
 * styling; the ASS output is wrapped as a burn would wrap it (rendered with
 * libass: inside the frame, on several lines); LRC keeps word times;
 * --shift; GB18030 input, named and detected; the CLI's exit codes and
 * messages (file:line) for bad input, and no file left behind.
 *
 * The CLI tests run $ZIMU_BIN, or build/zimu from the current directory
 * (make test runs from the top of the tree). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ass/ass.h>

#include "assgen.h"
#include "fonts.h"
#include "cuetext.h"
#include "parsers.h"
#include "subs.h"
#include "util_ass.h"
#include "util_clip.h"
#include "zimu.h"

static char zimu_bin[PATH_MAX];
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

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *size)
{
    uint8_t *d;
    size_t n;
    if (tu_read_file(path, &d, &n) < 0)
        return NULL;
    char *s = realloc(d, n + 1);
    ck_assert_ptr_nonnull(s);
    s[n] = 0;
    if (size)
        *size = n;
    return s;
}

static char *write_bytes(const char *name, const void *data, size_t size)
{
    char *p = tu_path(dir, name);
    ck_assert_msg(tu_write_file(p, data, size) == 0, "%s", tu_err());
    return p;
}

static char *write_str(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text));
}

/* Parse a file as the library reads captions. */
static void parse_file(const char *path, zimu_cues *out)
{
    size_t n;
    char *d = slurp(path, &n);
    ck_assert_msg(d != NULL, "%s: cannot read", path);
    zimu_ctx c = {0};
    memset(out, 0, sizeof *out);
    int r = zimu__subs_parse(&c, path, d, n, NULL, out);
    ck_assert_msg(r == 0, "%s: %s\n%s", path, c.errmsg, d);
    free(d);
}

static void same_cues(const zimu_cues *a, const zimu_cues *b, int64_t tol, const char *what)
{
    ck_assert_msg(a->n == b->n, "%s: %zu cues vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const zimu_cue *x = &a->v[i], *y = &b->v[i];
        ck_assert_msg(llabs(x->start_ms - y->start_ms) <= tol &&
                          llabs(x->end_ms - y->end_ms) <= tol,
                      "%s: cue %zu %lld..%lld vs %lld..%lld", what, i, (long long)x->start_ms,
                      (long long)x->end_ms, (long long)y->start_ms, (long long)y->end_ms);
        ck_assert_msg(!strcmp(x->text, y->text), "%s: cue %zu text [%s] vs [%s]", what, i,
                      x->text, y->text);
        ck_assert_msg(x->align == y->align, "%s: cue %zu align %d vs %d", what, i, x->align,
                      y->align);
    }
}

/* Load path, optionally shift, save as out; every step must succeed. */
static void convert(const char *path, const char *out, int64_t shift, int w, int h)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    if (w)
        ck_assert_int_eq(zimu_subs_set_size(s, w, h), 0);
    int r = zimu_subs_load(s, path);
    ck_assert_msg(r == 0, "load %s: %s", path, zimu_subs_errmsg(s));
    if (shift)
        ck_assert_int_eq(zimu_subs_shift(s, shift), 0);
    r = zimu_subs_save(s, out, 1);
    ck_assert_msg(r == 0, "save %s: %s", out, zimu_subs_errmsg(s));
    zimu_subs_free(&s);
    ck_assert_ptr_null(s);
}

struct res {
    int status;
    char out[1 << 15], err[1 << 15];
};

static void read_back(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

/* Run zimu with args (NULL-terminated); exit status and output in r. */
static int run_zimu(struct res *r, const char *const *args)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = zimu_bin;
    for (int i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    FILE *out = tmpfile(), *err = tmpfile();
    ck_assert(out && err);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        execv(zimu_bin, (char *const *)argv);
        dprintf(2, "cannot run %s: %s\n", zimu_bin, strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ck_assert(errno == EINTR);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    read_back(out, r->out, sizeof r->out);
    read_back(err, r->err, sizeof r->err);
    return r->status;
}
#define ZIMU(r, ...) run_zimu((r), (const char *const[]){__VA_ARGS__, NULL})

/* stderr is one line "zimu: <want>..." */
static void one_error_line(const struct res *r, const char *want)
{
    size_t n = strlen(r->err);
    ck_assert_msg(n > 6 && !strncmp(r->err, "zimu: ", 6) && r->err[n - 1] == '\n' &&
                      !memchr(r->err, '\n', n - 1),
                  "stderr should be one line 'zimu: ...': [%s]", r->err);
    ck_assert_msg(strstr(r->err, want), "stderr [%s] should contain [%s]", r->err, want);
}

/* ---- round trips ---- */

static const char SRT_IN[] =
    "1\r\n00:00:01,234 --> 00:00:03,500\r\n<i>Hello</i>, <b>bold</b> and <u>under</u>\r\n"
    "second line & a < b\r\n\r\n"
    "2\r\n00:00:03,000 --> 00:00:05,678\r\n{\\an8}顶部字幕：第二句\r\n\r\n"
    "3\r\n00:01:00,010 --> 01:00:00,999\r\n<i>整句<b>斜体加粗</b></i>结束 {braces}\r\n\r\n";

START_TEST(test_srt_vtt_srt)
{
    char *in = write_str("in.srt", SRT_IN);
    char *vtt = tu_path(dir, "mid.vtt"), *back = tu_path(dir, "back.srt");
    convert(in, vtt, 0, 0, 0);
    char *v = slurp(vtt, NULL);
    ck_assert_msg(!strncmp(v, "WEBVTT\n\n00:00:01.234 --> 00:00:03.500\n", 38), "%s", v);
    ck_assert_msg(strstr(v, "<i>Hello</i>, <b>bold</b> and <u>under</u>\nsecond line &amp; "
                            "a &lt; b\n"), "%s", v);
    ck_assert_msg(strstr(v, "00:00:03.000 --> 00:00:05.678 line:0 align:center\n"), "%s", v);
    ck_assert_msg(strstr(v, "01:00:00.999"), "%s", v);
    convert(vtt, back, 0, 0, 0);
    zimu_cues a, b, m;
    parse_file(in, &a);
    parse_file(vtt, &m);
    parse_file(back, &b);
    same_cues(&a, &m, 0, "SRT vs WebVTT");
    same_cues(&a, &b, 0, "SRT vs SRT after WebVTT");
    ck_assert_str_eq(b.v[1].text, "顶部字幕：第二句");
    ck_assert_int_eq(b.v[1].align, 8);
    zimu__cues_clear(&a);
    zimu__cues_clear(&b);
    zimu__cues_clear(&m);
    free(v);
    free(in);
    free(vtt);
    free(back);
}
END_TEST

/* SRT to SRT keeps what SRT tags said, colours included, as tags. */
START_TEST(test_srt_tags_back)
{
    char *in = write_str("c.srt",
                         "1\n00:00:00,000 --> 00:00:01,000\n"
                         "<font color=\"#FF0000\">red <font color=\"blue\">blue</font> red"
                         "</font> plain <s>struck</s>\n");
    char *out = tu_path(dir, "c2.srt");
    convert(in, out, 0, 0, 0);
    char *t = slurp(out, NULL);
    ck_assert_msg(strstr(t, "<font color=\"#FF0000\">red <font color=\"#0000FF\">blue</font>"
                            " red</font> plain <s>struck</s>"), "%s", t);
    zimu_cues a, b;
    parse_file(in, &a);
    parse_file(out, &b);
    same_cues(&a, &b, 0, "SRT colours");
    zimu__cues_clear(&a);
    zimu__cues_clear(&b);
    free(t);

    /* Override blocks in any order still give properly nested tags; a
     * block left open is closed at the end; {\r} closes everything. */
    const char *ass = "[Script Info]\nScriptType: v4.00+\n\n[Events]\n" TU_ASS_EVENT_FORMAT
                      "Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,"
                      "{\\i1}a{\\b1}b{\\i0}c{\\b0}d{\\u1\\1c&H00FF00&}e{\\r}f{\\b700}g\n";
    zimu_subs *s = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_load_data(s, ass, strlen(ass), "x.ass"), 0);
    ck_assert_int_eq(zimu_subs_save(s, out, 1), 0);
    t = slurp(out, NULL);
    ck_assert_str_eq(t, "1\n00:00:00,000 --> 00:00:01,000\n<i>a<b>b</b></i><b>c</b>d"
                        "<font color=\"#00FF00\"><u>e</u></font>f<b>g</b>\n\n");
    free(t);
    zimu_subs_free(&s);
    free(in);
    free(out);
}
END_TEST

/* A tag left out (it opens at the end of the line) leaves no space at the
 * line's end: the SRT written reads back and converts again to the same
 * file (found by fuzzing). */
START_TEST(test_srt_line_end_space)
{
    char *in = write_str("sp.srt", "1\n00:00:00,100 --> 00:00:00,900\n社区 <s>\n大家好 <i>\n\n"
                                   "2\n00:00:01,000 --> 00:00:02,000\n<b> </b>x <u>\n");
    char *out = tu_path(dir, "sp2.srt"), *again = tu_path(dir, "sp3.srt");
    convert(in, out, 0, 0, 0);
    convert(out, again, 0, 0, 0);
    char *t = slurp(out, NULL), *t2 = slurp(again, NULL);
    ck_assert_str_eq(t, "1\n00:00:00,100 --> 00:00:00,900\n社区\n<s>大家好 </s>\n\n"
                        "2\n00:00:01,000 --> 00:00:02,000\n<b> </b>x\n\n");
    ck_assert_str_eq(t2, t);
    free(t);
    free(t2);
    free(in);
    free(out);
    free(again);
}
END_TEST

/* What SRT, WebVTT and LRC can say of ASS styling, from ASS override
 * blocks in SRT text and from an ASS script's styles and tags: bold,
 * italic, underline, colour (WebVTT: classes, with a STYLE block for
 * those WebVTT does not name); never a "{\...}" block or a drawing's
 * commands as text. */
typedef struct {
    const char *what, *name, *in;
    const char *srt, *vtt, *lrc; /* the whole files written */
} styled_case;

#define STYLED_ASS_HEAD                                                                    \
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 1080\nPlayResY: 1920\n\n[V4+ Styles]\n"     \
    TU_ASS_STYLE_FORMAT                                                                    \
    "Style: Default,Arial,80,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,"  \
    "0,1,3,0,2,10,10,10,1\n"                                                                \
    "Style: Loud,Arial,80,&H0000FFFF,&H000000FF,&H00000000,&H00000000,-1,-1,-1,0,100,100,0,"  \
    "0,1,3,0,2,10,10,10,1\n"                                                                \
    "Style: Warm,Arial,80,&H000080FF,&H000000FF,&H00000000,&H00000000,700,0,0,-1,100,100,0,"  \
    "0,1,3,0,2,10,10,10,1\n\n[Events]\n" TU_ASS_EVENT_FORMAT

static const styled_case STYLED[] = {
    {"SRT with override blocks", "o.srt",
     "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}{\\b1}bold{\\b0} {\\i1}it{\\i0} {\\u1}u{\\u0} "
     "{\\c&H00FFFF&}yellow{\\c} {\\c&H0080FF&\\fs30}orange{\\c}{\\fad(100,100)}{\\k20}!\n",
     "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<b>bold</b> <i>it</i> <u>u</u> "
     "<font color=\"#FFFF00\">yellow</font> <font color=\"#FF8000\">orange</font>!\n\n",
     "WEBVTT\n\nSTYLE\n::cue(.c_ff8000) { color: #ff8000; }\n\n"
     "00:00:01.000 --> 00:00:02.000 line:0 align:center\n<b>bold</b> <i>it</i> <u>u</u> "
     "<c.yellow>yellow</c> <c.c_ff8000>orange</c>!\n\n",
     "[00:01.00]bold it u yellow orange!\n[00:02.00]\n"},
    {"SRT with a drawing", "d.srt",
     "1\n00:00:01,000 --> 00:00:02,000\n{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}after\n\n"
     "2\n00:00:03,000 --> 00:00:04,000\n{\\p1}m 0 0 l 9 9{\\p0}\n",
     "1\n00:00:01,000 --> 00:00:02,000\nafter\n\n",
     "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nafter\n\n",
     "[00:01.00]after\n[00:02.00]\n"},
    {"ASS styles and drawings", "s.ass",
     STYLED_ASS_HEAD
     "Dialogue: 0,0:00:01.00,0:00:02.00,Loud,,0,0,0,,styled {\\i0}upright{\\r} again\n"
     "Dialogue: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}after\n"
     "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}\n"
     "Dialogue: 0,0:00:04.00,0:00:05.00,Warm,,0,0,0,,warm {\\rDefault}plain {\\rLoud}loud\n",
     "1\n00:00:01,000 --> 00:00:02,000\n<font color=\"#FFFF00\"><b><i><u>styled </u></i><u>upright"
     "<i> again</i></u></b></font>\n\n"
     "2\n00:00:02,000 --> 00:00:03,000\nafter\n\n"
     "3\n00:00:04,000 --> 00:00:05,000\n<font color=\"#FF8000\"><b><s>warm </s></b></font>plain "
     "<font color=\"#FFFF00\"><b><i><u>loud</u></i></b></font>\n\n",
     "WEBVTT\n\nSTYLE\n::cue(.c_ff8000) { color: #ff8000; }\n\n"
     "00:00:01.000 --> 00:00:02.000\n<c.yellow><b><i><u>styled </u></i><u>upright<i> again</i></u>"
     "</b></c>\n\n"
     "00:00:02.000 --> 00:00:03.000\nafter\n\n"
     "00:00:04.000 --> 00:00:05.000\n<c.c_ff8000><b>warm </b></c>plain <c.yellow><b><i><u>loud</u>"
     "</i></b></c>\n\n",
     "[00:01.00]styled upright again\n[00:02.00]after\n[00:03.00]\n[00:04.00]warm plain loud\n"
     "[00:05.00]\n"},
};

START_TEST(test_styled)
{
    const styled_case *t = &STYLED[_i];
    char *in = write_str(t->name, t->in);
    const char *ext[] = {"srt", "vtt", "lrc"};
    const char *want[] = {t->srt, t->vtt, t->lrc};
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof name, "out.%s", ext[k]);
        char *out = tu_path(dir, name);
        convert(in, out, 0, 0, 0);
        char *got = slurp(out, NULL);
        ck_assert_msg(!strcmp(got, want[k]), "%s, %s:\n%s\nwant\n%s", t->what, ext[k], got,
                      want[k]);
        free(got);
        free(out);
    }
    /* Read back, the SRT and the WebVTT written from SRT say the same
     * (colours too). */
    if (strstr(t->name, ".srt")) {
        char *srt = tu_path(dir, "out.srt"), *vtt = tu_path(dir, "out.vtt");
        zimu_cues a, b;
        parse_file(srt, &a);
        parse_file(vtt, &b);
        same_cues(&a, &b, 0, t->what);
        zimu__cues_clear(&a);
        zimu__cues_clear(&b);
        free(srt);
        free(vtt);
    }
    free(in);
}
END_TEST

static const char ASS_IN[] =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 1920\nPlayResY: 1080\n\n"
    "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
    "Style: Default,微软雅黑,60,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,"
    "0,0,1,2,0,2,10,10,10,1\n\n[Events]\n"
    TU_ASS_EVENT_FORMAT
    "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,{\\k50}你好{\\k30}世界{\\k40}朋友\n"
    "Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,a note\n"
    "Dialogue: 0,0:00:00.50,0:00:01.20,Default,,0,0,0,,{\\fs20\\pos(10,10)\\i1}斜体{\\i0} "
    "text\\Nsecond{\\an9}\n";

/* An ASS script to ASS is written back byte for byte but for its Comment
 * lines (not events: they go); shifted, only its times change (to
 * centiseconds). To SRT: tags it can say, lines, nothing else. */
START_TEST(test_ass_copy_shift_and_srt)
{
    char *in = write_str("k.ass", ASS_IN);
    char *out = tu_path(dir, "k2.ass");
    convert(in, out, 0, 0, 0);
    size_t n;
    char *t = slurp(out, &n);
    const char *comment = strstr(ASS_IN, "Comment: ");
    const char *after = strchr(comment, '\n') + 1;
    ck_assert_int_eq(n, strlen(ASS_IN) - (size_t)(after - comment));
    ck_assert_msg(!memcmp(t, ASS_IN, (size_t)(comment - ASS_IN)) &&
                      !strcmp(t + (comment - ASS_IN), after), "copy differs:\n%s", t);
    free(t);
    convert(in, out, -745, 0, 0);
    t = slurp(out, NULL);
    ck_assert_msg(strstr(t, "Dialogue: 0,0:00:00.26,0:00:02.26,Default,,0,0,0,,{\\k50}你好"),
                  "%s", t);
    ck_assert_msg(!strstr(t, "Comment:"), "%s", t);
    ck_assert_msg(strstr(t, "Dialogue: 0,0:00:00.00,0:00:00.46,Default,,0,0,0,,{\\fs20"), "%s",
                  t);
    ck_assert_msg(strstr(t, "Style: Default,微软雅黑,60,"), "%s", t);
    free(t);
    char *srt = tu_path(dir, "k.srt");
    convert(in, srt, 0, 0, 0);
    t = slurp(srt, NULL);
    ck_assert_str_eq(t, "1\n00:00:00,500 --> 00:00:01,200\n{\\an9}<i>斜体</i> text\nsecond\n\n"
                        "2\n00:00:01,000 --> 00:00:03,000\n你好世界朋友\n\n");
    free(t);
    free(in);
    free(out);
    free(srt);
}
END_TEST

static void quiet_ass(int level, const char *fmt, va_list va, void *data)
{
    (void)level, (void)fmt, (void)va, (void)data;
}

/* A long Chinese caption to ASS: the script a burn would render, wrapped
 * with explicit breaks; libass draws it inside the frame, on more than one
 * line (a caption that ends at the first comma has one), and only during
 * the cue. Times are centiseconds, rounded. */
START_TEST(test_srt_to_ass_rendered)
{
    const char *sentence =
        "各位居民朋友大家好，今天我们来聊一聊家庭理财中最常见的三个误区，"
        "以及如何用简单的方法避免它们。";
    char srt[1024];
    snprintf(srt, sizeof srt, "1\n00:00:01,234 --> 00:00:04,567\n%s\n", sentence);
    char *in = write_str("long.srt", srt);
    char *out = tu_path(dir, "long.ass");
    const int W = 720, H = 1280;
    /* the script a burn renders is the renderer's */
    zimu_subs *subs = zimu_subs_new();
    ck_assert_int_eq(zimu_subs_load(subs, in), 0);
    zimu_renderer *rend = zimu_renderer_new();
    ck_assert_int_eq(zimu_renderer_set_captions(rend, subs), 0);
    ck_assert_int_eq(zimu_renderer_set_size(rend, W, H), 0);
    ck_assert_msg(zimu_renderer_save_ass(rend, out, 0) == 0, "%s", zimu_errmsg(rend));
    zimu_renderer_free(&rend);
    zimu_subs_free(&subs);
    char *t = slurp(out, NULL);
    ck_assert_msg(strstr(t, "PlayResX: 720\nPlayResY: 1280\n"), "%s", t);
    ck_assert_msg(strstr(t, "WrapStyle: 2\n"), "%s", t);
    ck_assert_msg(strstr(t, "Dialogue: ") && strstr(t, ",0:00:01.23,"), "start: %s", t);
    ck_assert_msg(strstr(t, ",0:00:04.57,"), "end rounded to 4.57: %s", t);
    ck_assert_msg(strstr(t, "\\N"), "no explicit line break: %s", t);

    ASS_Library *lib = ass_library_init();
    ck_assert_ptr_nonnull(lib);
    ass_set_message_cb(lib, quiet_ass, NULL);
    ASS_Renderer *r = ass_renderer_init(lib);
    ck_assert_ptr_nonnull(r);
    ass_set_frame_size(r, W, H);
    ass_set_storage_size(r, W, H);
    ass_set_fonts(r, NULL, "Noto Sans CJK SC", ASS_FONTPROVIDER_FONTCONFIG, NULL, 1);
    ASS_Track *tr = ass_read_file(lib, out, NULL);
    ck_assert_msg(tr != NULL, "libass cannot read %s", out);
    ck_assert_int_eq(tr->PlayResX, W);
    const long long times[] = {1240, 2000, 3000, 4560};
    int multi = 0;
    for (size_t k = 0; k < sizeof times / sizeof times[0]; k++) {
        int ch;
        int x0 = W, y0 = H, x1 = 0, y1 = 0, n = 0;
        for (ASS_Image *im = ass_render_frame(r, tr, times[k], &ch); im; im = im->next) {
            if (!im->w || !im->h)
                continue;
            n++;
            x0 = im->dst_x < x0 ? im->dst_x : x0;
            y0 = im->dst_y < y0 ? im->dst_y : y0;
            x1 = im->dst_x + im->w > x1 ? im->dst_x + im->w : x1;
            y1 = im->dst_y + im->h > y1 ? im->dst_y + im->h : y1;
        }
        ck_assert_msg(n > 0, "nothing drawn at %lld ms", times[k]);
        ck_assert_msg(x0 >= 0 && y0 >= 0 && x1 <= W && y1 <= H,
                      "at %lld ms the caption box %d,%d-%d,%d leaves the %dx%d frame",
                      times[k], x0, y0, x1, y1, W, H);
        /* more than one line: taller than 1.6 times a line (font size is
         * the style's; a Han character's height is about its size) */
        double fs = tr->styles[tr->events[0].Style].FontSize;
        multi += y1 - y0 > 1.6 * fs * 0.69;
    }
    ck_assert_msg(multi >= 2, "one line only at %d of 4 times", 4 - multi);
    int ch;
    ck_assert_msg(ass_render_frame(r, tr, 1220, &ch) == NULL, "drawn before the cue");
    ck_assert_msg(ass_render_frame(r, tr, 4580, &ch) == NULL, "drawn after the cue");

    /* The written script draws exactly what the track a burn builds in
     * memory draws (same styles, colours, places, line breaks). */
    zimu_cues cues;
    parse_file(in, &cues);
    char *conf = NULL;
    zimu_ctx c = {0};
    ck_assert_int_eq(zimu__fonts_config(&c, NULL, &conf), 0);
    zimu_layout lay = {.width = W, .height = H, .fonts_conf = conf};
    ASS_Track *mem = NULL;
    ck_assert_msg(zimu__assgen_track(&c, lib, &cues, &lay, &mem) == 0, "%s", c.errmsg);
    ASS_Renderer *r2 = ass_renderer_init(lib);
    ass_set_frame_size(r2, W, H);
    ass_set_storage_size(r2, W, H);
    ass_set_fonts(r2, NULL, "Noto Sans CJK SC", ASS_FONTPROVIDER_FONTCONFIG, NULL, 1);
    int compared = 0;
    for (long long ms = 1300; ms < 4500; ms += 400) {
        ASS_Image *a = ass_render_frame(r, tr, ms, &ch), *b = ass_render_frame(r2, mem, ms, &ch);
        for (; a && b; a = a->next, b = b->next, compared++) {
            ck_assert_msg(a->w == b->w && a->h == b->h && a->dst_x == b->dst_x &&
                              a->dst_y == b->dst_y && a->color == b->color,
                          "at %lld ms: %dx%d+%d+%d #%08X written vs %dx%d+%d+%d #%08X in memory",
                          ms, a->w, a->h, a->dst_x, a->dst_y, a->color, b->w, b->h, b->dst_x,
                          b->dst_y, b->color);
            for (int y = 0; y < a->h; y++)
                ck_assert_msg(!memcmp(a->bitmap + y * a->stride, b->bitmap + y * b->stride,
                                      (size_t)a->w), "at %lld ms: bitmaps differ", ms);
        }
        ck_assert_msg(!a && !b, "at %lld ms: a different number of images", ms);
    }
    ck_assert_int_gt(compared, 0);
    ass_free_track(mem);
    ass_renderer_done(r2);
    unlink(conf);
    free(conf);
    zimu__cues_clear(&cues);
    ass_free_track(tr);
    ass_renderer_done(r);
    ass_library_done(lib);
    free(t);
    free(in);
    free(out);
}
END_TEST

/* zimu_subs_save to .ass on plain cues: a plain script (play size of
 * zimu_subs_set_size, one Default style), every cue an event with its
 * line breaks and place, read back as the same cues. */
START_TEST(test_plain_ass_round_trip)
{
    char *in = write_str("plain.srt", "1\n00:00:01,000 --> 00:00:02,500\n第一行\n第二行\n\n"
                                      "2\n00:00:03,000 --> 00:00:04,000\n{\\an8}上面\n");
    char *out = tu_path(dir, "plain.ass");
    convert(in, out, 0, 720, 1280);
    char *t = slurp(out, NULL);
    ck_assert_msg(strstr(t, "PlayResX: 720\nPlayResY: 1280\n"), "%s", t);
    ck_assert_msg(strstr(t, "Style: Default,Noto Sans CJK SC,64,"), "%s", t);
    ck_assert_msg(strstr(t, "0:00:01.00,0:00:02.50,Default,,0,0,0,,第一行\\N第二行\n"), "%s", t);
    ck_assert_msg(strstr(t, "{\\an8}上面"), "%s", t);
    free(t);
    zimu_cues a, b;
    parse_file(in, &a);
    parse_file(out, &b);
    ck_assert_int_eq(b.n, a.n);
    for (size_t i = 0; i < a.n; i++) {
        ck_assert_int_eq(b.v[i].start_ms, a.v[i].start_ms);
        ck_assert_int_eq(b.v[i].end_ms, a.v[i].end_ms);
    }
    ck_assert_str_eq(b.v[0].text, a.v[0].text); /* the line break kept */
    ck_assert_str_eq(b.v[1].text, "{\\an8}上面"); /* the place, as an ASS tag */
    zimu__cues_clear(&a);
    zimu__cues_clear(&b);
    free(in);
    free(out);
}
END_TEST

/* LRC with enhanced word times: to LRC and back keeps lines and words; to
 * WebVTT the words become timestamps; ASS karaoke becomes LRC words. */
START_TEST(test_lrc_words)
{
    const char *lrc = "[ti:song]\n[00:01.00]<00:01.00>你 <00:01.50>好 <00:02.25>世界<00:02.80>\n"
                      "[00:04.00]<00:04.00>second <00:04.40>line\n[00:06.00]\n";
    char *in = write_str("w.lrc", lrc);
    char *out = tu_path(dir, "w2.lrc");
    convert(in, out, 0, 0, 0);
    char *t = slurp(out, NULL);
    ck_assert_str_eq(t, "[00:01.00]<00:01.00>你 <00:01.50>好 <00:02.25>世界<00:02.80>\n"
                        "[00:04.00]<00:04.00>second <00:04.40>line\n[00:06.00]\n");
    zimu_cues a, b;
    parse_file(in, &a);
    parse_file(out, &b);
    same_cues(&a, &b, 0, "LRC");
    for (size_t i = 0; i < a.n; i++) {
        ck_assert_int_eq(a.v[i].n_words, b.v[i].n_words);
        for (size_t k = 0; k < a.v[i].n_words; k++) {
            ck_assert_int_eq(a.v[i].words[k].start_ms, b.v[i].words[k].start_ms);
            ck_assert_int_eq(a.v[i].words[k].end_ms, b.v[i].words[k].end_ms);
            ck_assert_int_eq(a.v[i].words[k].off, b.v[i].words[k].off);
            ck_assert_int_eq(a.v[i].words[k].len, b.v[i].words[k].len);
        }
    }
    ck_assert_int_eq(b.v[0].n_words, 3);
    ck_assert_int_eq(b.v[0].words[2].end_ms, 2800);
    zimu__cues_clear(&a);
    zimu__cues_clear(&b);
    free(t);

    char *vtt = tu_path(dir, "w.vtt");
    convert(in, vtt, 0, 0, 0);
    t = slurp(vtt, NULL);
    ck_assert_msg(strstr(t, "00:00:01.000 --> 00:00:04.000\n你 <00:00:01.500>好 "
                            "<00:00:02.250>世界\n"), "%s", t);
    free(t);

    char *ass = write_str("k.ass", ASS_IN);
    convert(ass, out, 0, 0, 0);
    t = slurp(out, NULL);
    ck_assert_msg(strstr(t, "[00:01.00]<00:01.00>你好<00:01.50>世界<00:01.80>朋友<00:02.20>\n"
                            "[00:03.00]\n"), "%s", t);
    free(t);
    free(ass);
    free(vtt);
    free(in);
    free(out);
}
END_TEST

/* The zimu_subs API: counts, errors with file and line, a failed load
 * keeps what was loaded, formats from the name only. */
START_TEST(test_api)
{
    zimu_subs *s = zimu_subs_new();
    ck_assert_ptr_nonnull(s);
    char *out = tu_path(dir, "o.srt");
    ck_assert_int_eq(zimu_subs_save(s, out, 1), ZIMU_EINVAL); /* nothing loaded */
    ck_assert_int_eq(zimu_subs_count(s), 0);
    const char *good = "1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n00:00:03,000 --> "
                       "00:00:04,000\nb\n";
    ck_assert_int_eq(zimu_subs_load_data(s, good, strlen(good), "good.srt"), 0);
    ck_assert_int_eq(zimu_subs_count(s), 2);
    const char *bad = "1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n00:00:03,0x0 --> "
                      "00:00:04,000\nb\n";
    ck_assert_int_eq(zimu_subs_load_data(s, bad, strlen(bad), "bad.srt"), ZIMU_ESUBS);
    ck_assert_msg(!strncmp(zimu_subs_errmsg(s), "bad.srt:6: ", 11), "%s", zimu_subs_errmsg(s));
    ck_assert_int_eq(zimu_subs_count(s), 2);
    char *missing = tu_path(dir, "missing.srt");
    ck_assert_int_eq(zimu_subs_load(s, missing), ZIMU_ESUBS);
    ck_assert_msg(strstr(zimu_subs_errmsg(s), "missing.srt"), "%s", zimu_subs_errmsg(s));
    char *txt = tu_path(dir, "o.txt");
    ck_assert_int_eq(zimu_subs_save(s, txt, 1), ZIMU_EINVAL);
    ck_assert_int_eq(tu_exists(txt), 0);
    ck_assert_int_eq(zimu_subs_set_size(s, 8, 8), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_subs_shift(s, -3500), 0);
    ck_assert_int_eq(zimu_subs_count(s), 1);
    ck_assert_int_eq(zimu_subs_save(s, out, 1), 0);
    char *t = slurp(out, NULL);
    ck_assert_str_eq(t, "1\n00:00:00,000 --> 00:00:00,500\nb\n\n");
    free(t);
    /* only the output is in the directory: no temporary file left */
    char names[256];
    ck_assert_int_eq(tu_dir_list(dir, names, sizeof names), 1);
    zimu_subs_free(&s);
    zimu_subs_free(&s); /* NULL: no-op */
    zimu_subs_free(NULL);
    free(out);
    free(missing);
    free(txt);
}
END_TEST

/* ---- encodings ---- */

static char *to_gb18030(const char *utf8, size_t *len)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    size_t inl = strlen(utf8), outcap = inl * 2 + 16, outl = outcap;
    char *buf = malloc(outcap), *ip = (char *)utf8, *op = buf;
    ck_assert(iconv(cd, &ip, &inl, &op, &outl) != (size_t)-1);
    iconv_close(cd);
    *len = outcap - outl;
    return buf;
}

static const char GB_TEXT[] =
    "1\r\n00:00:01,000 --> 00:00:02,500\r\n今天我们讨论社区养老服务的政策变化。\r\n\r\n"
    "2\r\n00:00:03,000 --> 00:00:04,000\r\n请大家注意：报名截止日期是下周五。\r\n\r\n"
    "3\r\n00:00:05,000 --> 00:00:06,000\r\n谢谢观看，欢迎关注我们的账号。\r\n";

START_TEST(test_gb18030)
{
    size_t n;
    char *gb = to_gb18030(GB_TEXT, &n);
    ck_assert_msg(memchr(gb, 0xE4, n) == NULL || strlen(GB_TEXT) != n, "premise: not UTF-8");
    char *in = write_bytes("gb.srt", gb, n);
    char *want = write_str("want.srt", GB_TEXT);
    char *named = tu_path(dir, "named.srt"), *detected = tu_path(dir, "detected.srt");
    struct res r;
    ck_assert_msg(ZIMU(&r, "convert", in, "-o", named, "--charenc", "GB18030") == 0, "%s",
                  r.err);
    ck_assert_msg(ZIMU(&r, "convert", in, "-o", detected) == 0, "%s", r.err);
    zimu_cues a, b, c;
    parse_file(want, &a);
    parse_file(named, &b);
    parse_file(detected, &c);
    same_cues(&a, &b, 0, "--charenc GB18030");
    same_cues(&a, &c, 0, "detected GB18030");
    zimu__cues_clear(&a);
    zimu__cues_clear(&b);
    zimu__cues_clear(&c);
    /* the output is UTF-8 */
    char *t = slurp(named, NULL);
    ck_assert_msg(strstr(t, "社区养老服务"), "%s", t);
    free(t);
    /* read as UTF-8 it is not valid: exit 6, the file and line named */
    char *bad = tu_path(dir, "bad.srt");
    ck_assert_int_eq(ZIMU(&r, "convert", in, "-o", bad, "--charenc", "UTF-8"), 6);
    one_error_line(&r, "gb.srt:3: ");
    ck_assert_int_eq(tu_exists(bad), 0);
    free(gb);
    free(in);
    free(want);
    free(named);
    free(detected);
    free(bad);
}
END_TEST

/* ---- the command ---- */

START_TEST(test_cli_shift)
{
    char *in = write_str("in.srt", "1\n00:00:00,500 --> 00:00:01,000\na\n\n"
                                   "2\n00:00:02,000 --> 00:00:03,000\nb\n");
    char *out = tu_path(dir, "out.srt");
    struct res r;
    ck_assert_msg(ZIMU(&r, "convert", in, "-o", out, "--shift", "2.5") == 0, "%s", r.err);
    ck_assert_msg(strstr(r.err, "wrote ") && strstr(r.err, "(2 captions)"), "%s", r.err);
    char *t = slurp(out, NULL);
    ck_assert_str_eq(t, "1\n00:00:03,000 --> 00:00:03,500\na\n\n"
                        "2\n00:00:04,500 --> 00:00:05,500\nb\n\n");
    free(t);
    ck_assert_msg(ZIMU(&r, "convert", in, "-o", out, "-y", "--shift", "-0.75", "-q") == 0, "%s",
                  r.err);
    ck_assert_str_eq(r.err, "");
    t = slurp(out, NULL);
    ck_assert_str_eq(t, "1\n00:00:00,000 --> 00:00:00,250\na\n\n"
                        "2\n00:00:01,250 --> 00:00:02,250\nb\n\n");
    free(t);
    ck_assert_msg(ZIMU(&r, "convert", in, "-o", out, "-y", "--shift=-00:01") == 0, "%s", r.err);
    t = slurp(out, NULL);
    ck_assert_str_eq(t, "1\n00:00:01,000 --> 00:00:02,000\nb\n\n");
    free(t);
    free(in);
    free(out);
}
END_TEST

START_TEST(test_cli_errors)
{
    struct res r;
    char *bad = write_str("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nok\n\n"
                                     "2\n00:00:03,000 --> 00:00:0x,000\nbroken\n");
    char *out = tu_path(dir, "out.vtt");
    ck_assert_int_eq(ZIMU(&r, "convert", bad, "-o", out), 6);
    one_error_line(&r, "bad.srt:6: ");
    ck_assert_int_eq(tu_exists(out), 0);

    char *missing = tu_path(dir, "missing.srt");
    ck_assert_int_eq(ZIMU(&r, "convert", missing, "-o", out), 6);
    one_error_line(&r, "missing.srt");

    char *good = write_str("good.srt", "1\n00:00:01,000 --> 00:00:02,000\nok\n");
    char *wrong = tu_path(dir, "out.mp4");
    ck_assert_int_eq(ZIMU(&r, "convert", good, "-o", wrong), 1);
    one_error_line(&r, ".srt, .vtt, .ass or .lrc");
    ck_assert_int_eq(ZIMU(&r, "convert", good), 1);
    one_error_line(&r, "-o");
    ck_assert_int_eq(ZIMU(&r, "convert", "-o", out), 1);
    one_error_line(&r, "no input");
    ck_assert_int_eq(ZIMU(&r, "convert", good, "-o", out, "--shift", "soon"), 1);
    one_error_line(&r, "--shift");
    ck_assert_int_eq(ZIMU(&r, "convert", good, "-o", out, "--size", "wide"), 1);
    one_error_line(&r, "--size");
    ck_assert_int_eq(ZIMU(&r, "convert", good, "-o", out, "--bogus"), 1);
    one_error_line(&r, "--bogus");
    ck_assert_int_eq(ZIMU(&r, "convert", good, "-o", out, "--charenc", "NO-SUCH-CODE"), 6);
    one_error_line(&r, "NO-SUCH-CODE");
    ck_assert_int_eq(tu_exists(out), 0);

    /* the output: never the input; existing only with -y */
    ck_assert_int_eq(ZIMU(&r, "convert", good, "-o", good, "-y"), 7);
    one_error_line(&r, "is the input");
    char *exist = write_str("exists.vtt", "keep me");
    ck_assert_int_eq(ZIMU(&r, "convert", good, "-o", exist), 7);
    one_error_line(&r, "-y");
    char *t = slurp(exist, NULL);
    ck_assert_str_eq(t, "keep me");
    free(t);
    ck_assert_msg(ZIMU(&r, "convert", good, "-o", exist, "-y") == 0, "%s", r.err);
    t = slurp(exist, NULL);
    ck_assert_str_eq(t, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n");
    free(t);

    /* nothing but the files made here is left in the directory */
    char names[512];
    int k = tu_dir_list(dir, names, sizeof names);
    ck_assert_msg(k == 3, "left behind: %s", names);

    ck_assert_int_eq(ZIMU(&r, "convert", "--help"), 0);
    ck_assert_msg(strstr(r.out, "zimu convert INPUT -o OUTPUT"), "%s", r.out);
    ck_assert_int_eq(ZIMU(&r, "help", "convert"), 0);
    ck_assert_msg(strstr(r.out, "--shift"), "%s", r.out);
    ck_assert_int_eq(ZIMU(&r, "help"), 0);
    ck_assert_msg(strstr(r.out, "zimu convert"), "%s", r.out);
    free(bad);
    free(out);
    free(missing);
    free(good);
    free(wrong);
    free(exist);
}
END_TEST

/* Plain text and WebVTT in, through the command. */
/* `zimu convert` on files with quirks: read with one warning line each
 * (exit 0, the output has every cue kept), or refused with file:line
 * (exit 6, no output). */
typedef struct {
    const char *what, *name, *in, *out;
    int status;
    const char *err;  /* the one line of stderr before "wrote", or the error;
                         %s: the input's path */
    const char *want; /* in the output, when written */
} cli_quirk;

#define QUIRK_ASS "[Script Info]\nScriptType: v4.00+\n\n[Events]\n" TU_ASS_EVENT_FORMAT

static const cli_quirk QUIRKS[] = {
    {"loose SRT", "loose.srt", "00:01.5 -> 00:03\n一\n\n 00:04.0 -> 00:05.0\n二\n", "o.vtt", 0,
     "zimu: warning: %s:1: loose SubRip (an arrow that is not '-->', no cue number, "
     "'.' before the milliseconds, a time without hours); read as meant, and such lines after "
     "it are not reported\n",
     "00:00:01.500 --> 00:00:03.000\n一\n\n00:00:04.000 --> 00:00:05.000\n二\n"},
    {"garbage SRT", "g.srt", "1\n00:00:01,000 => 00:00:02,000\nx\n", "o.vtt", 6,
     "zimu: %s:2: timing line has no '-->' between the times\n", NULL},
    {"ASS event with a bad time", "t.ass",
     QUIRK_ASS "Dialogue: 0,0:00:0x.00,0:00:02.00,Default,,0,0,0,,bad\n"
               "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\\p1}m 0 0 l 1 1{\\p0}good\n",
     "o.srt", 0, "zimu: warning: %s:6: time '0:00:0x.00' is not valid; event skipped\n",
     "1\n00:00:03,000 --> 00:00:04,000\ngood\n\n"},
    {"ASS event with too few fields", "f.ass",
     QUIRK_ASS "Dialogue: 0,0:00:0x.00,0:00:02.00,Default,,0,0,0,,bad\n"
               "Dialogue: 0,0:00:03.00\n",
     "o.srt", 6, "zimu: warning: %s:6: time '0:00:0x.00' is not valid; event skipped\n"
                "zimu: %s:7: Dialogue line has 2 fields, the Format line names 10\n", NULL},
};

START_TEST(test_cli_quirks)
{
    const cli_quirk *t = &QUIRKS[_i];
    struct res r;
    char *in = write_str(t->name, t->in);
    char *out = tu_path(dir, t->out);
    int st = ZIMU(&r, "convert", in, "-o", out);
    ck_assert_msg(st == t->status, "%s: exit %d, want %d (%s)", t->what, st, t->status, r.err);
    char err[1024];
    snprintf(err, sizeof err, t->err, in, in);
    ck_assert_msg(!strncmp(r.err, err, strlen(err)), "%s: stderr [%s], want [%s]", t->what,
                  r.err, err);
    if (t->want) {
        ck_assert_msg(!strncmp(r.err + strlen(err), "zimu: wrote ", 12), "%s: [%s]", t->what,
                      r.err);
        char *got = slurp(out, NULL);
        ck_assert_msg(got && strstr(got, t->want), "%s: output [%s]", t->what, got);
        free(got);
    } else {
        ck_assert_str_eq(r.err, err);
        ck_assert_int_eq(tu_exists(out), 0);
    }
    free(in);
    free(out);
}
END_TEST

START_TEST(test_cli_txt_and_ass_out)
{
    char *in = write_str("notes.txt", "第一句话\n\nsecond line here\n");
    char *out = tu_path(dir, "notes.srt");
    struct res r;
    ck_assert_msg(ZIMU(&r, "convert", in, "-o", out) == 0, "%s", r.err);
    char *t = slurp(out, NULL);
    /* 4 characters a second: 4 chars = 1 s, 14 chars = 3.5 s */
    ck_assert_str_eq(t, "1\n00:00:00,000 --> 00:00:01,000\n第一句话\n\n"
                        "2\n00:00:01,000 --> 00:00:04,500\nsecond line here\n\n");
    free(t);
    char *ass = tu_path(dir, "notes.ass");
    ck_assert_msg(ZIMU(&r, "convert", in, "-o", ass, "--size", "1920x1080") == 0, "%s", r.err);
    t = slurp(ass, NULL);
    ck_assert_msg(strstr(t, "PlayResX: 1920\nPlayResY: 1080\n"), "%s", t);
    ck_assert_msg(strstr(t, "0:00:01.00,0:00:04.50,") && strstr(t, "second line here"), "%s", t);
    free(t);
    free(in);
    free(out);
    free(ass);
}
END_TEST

/* `zimu burn` with caption options: a GB18030 file named by --charenc,
 * shifted by --shift and lengthened by --min-duration, lands on exactly the
 * frames it should; a wrong --charenc fails with the file and line. */
START_TEST(test_cli_burn_options)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.audio = TU_AUDIO_NONE;
    o.bg = TU_BG_GREY;
    o.markers = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    size_t n;
    char *gb = to_gb18030("1\n00:00:00,300 --> 00:00:00,400\n社区通知\n", &n);
    char *subs = write_bytes("gb.srt", gb, n);
    char *out = tu_path(dir, "out.mp4");
    struct res r;
    ck_assert_msg(ZIMU(&r, "burn", in, "-s", subs, "-o", out, "-q", "--crf", "0", "--preset",
                       "ultrafast", "--charenc", "GB18030", "--shift", "0.5",
                       "--min-duration", "0.7") == 0, "%s", r.err);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(dst.n, src.n);
    /* 0.3 s + 0.5 s = 0.8 s, shown 0.7 s: [0.8, 1.5) */
    int *vis = calloc((size_t)src.n, sizeof *vis);
    for (int i = 0; i < src.n; i++) {
        int64_t t = tu_frame_ms(&src, i);
        vis[i] = t >= 800 && t < 1500;
    }
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%d frames wrong: %s", bad, tu_err());
    free(vis);
    tu_video_free(&src);
    tu_video_free(&dst);

    char *out2 = tu_path(dir, "out2.mp4");
    ck_assert_int_eq(ZIMU(&r, "burn", in, "-s", subs, "-o", out2, "--charenc", "UTF-8"), 6);
    one_error_line(&r, "gb.srt:3: ");
    ck_assert_int_eq(tu_exists(out2), 0);
    ck_assert_int_eq(ZIMU(&r, "burn", in, "-s", subs, "-o", out2, "--overlap", "some"), 1);
    one_error_line(&r, "--overlap");
    free(gb);
    free(in);
    free(subs);
    free(out);
    free(out2);
}
END_TEST

/* One path: the ASS that `zimu convert` writes for a clip and a set of
 * burn options, burnt with no options, gives the very frames a burn of
 * the source captions with those options gives. A 16:9 clip on a 9:16
 * frame with a blurred fill (captions go below the picture), several
 * presets, a title, a long cue that becomes several pages. */
START_TEST(test_convert_is_burn)
{
    static const char *const styles[] = {"classic", "box", "news"};
    const char *style = styles[_i];
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.width = 320;
    o.height = 180;
    o.fps_num = 25;
    o.frames = 100;
    o.audio = TU_AUDIO_NONE;
    o.markers = 0;
    o.bg = TU_BG_CHECKER;
    char *clip = tu_path(dir, "wide.mp4");
    TU_OK(tu_make_clip(clip, &o));
    char *srt = write_str("talk.srt",
                          "1\n00:00:00,200 --> 00:00:01,000\n欢迎收看\n\n"
                          "2\n00:00:01,200 --> 00:00:03,800\n"
                          "今天我们来聊一聊独生子女家庭的继承问题，还有《民法典》"
                          "里关于遗嘱的几条规定，请大家认真听讲。\n");
    char *ass = tu_path(dir, "talk.ass");
    char *a = tu_path(dir, "a.mp4"), *b = tu_path(dir, "b.mp4");
    struct res r;
    ck_assert_msg(ZIMU(&r, "convert", srt, "-o", ass, "-i", clip, "--size", "360x640",
                       "--fit", "blur", "--style", style, "--title", "社区通知") == 0,
                  "%s", r.err);
    ck_assert_msg(ZIMU(&r, "burn", clip, "-s", srt, "-o", a, "--size", "360x640", "--fit",
                       "blur", "--style", style, "--title", "社区通知", "--crf", "0",
                       "--preset", "ultrafast", "-q") == 0, "%s", r.err);
    ck_assert_msg(ZIMU(&r, "burn", clip, "-s", ass, "-o", b, "--size", "360x640", "--fit",
                       "blur", "--crf", "0", "--preset", "ultrafast", "-q") == 0, "%s", r.err);
    tu_video va, vb;
    TU_OK(tu_read_video(a, &va, 1));
    TU_OK(tu_read_video(b, &vb, 1));
    ck_assert_int_eq(va.n, 100);
    ck_assert_int_eq(vb.n, va.n);
    long ink = 0;
    for (int i = 0; i < va.n; i++) {
        long d = tu_frame_diff(&va, i, &vb, i, 0, NULL);
        ck_assert_msg(d == 0, "%s: frame %d differs (%ld)", style, i, d);
        if (i > 0)
            ink += tu_frame_diff(&va, i, &va, 0, 0, NULL);
    }
    ck_assert_msg(ink > 0, "no caption drawn at all");
    tu_video_free(&va);
    tu_video_free(&vb);
    /* the script is laid out for the output frame */
    char *t = slurp(ass, NULL);
    ck_assert_msg(strstr(t, "PlayResX: 360\nPlayResY: 640\n"), "%s", t);
    ck_assert_msg(strstr(t, "社区通知"), "%s", t);
    free(t);
    free(clip);
    free(srt);
    free(ass);
    free(a);
    free(b);
}
END_TEST

int main(void)
{
    const char *bin = getenv("ZIMU_BIN");
    if (!bin || !*bin)
        bin = "build/zimu";
    if (!realpath(bin, zimu_bin))
        snprintf(zimu_bin, sizeof zimu_bin, "%s", bin); /* the CLI tests then fail */

    Suite *s = suite_create("convert");
    TCase *tc = tcase_create("convert");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_srt_vtt_srt);
    tcase_add_test(tc, test_srt_tags_back);
    tcase_add_test(tc, test_srt_line_end_space);
    tcase_add_loop_test(tc, test_styled, 0, sizeof STYLED / sizeof STYLED[0]);
    tcase_add_test(tc, test_ass_copy_shift_and_srt);
    tcase_add_test(tc, test_srt_to_ass_rendered);
    tcase_add_test(tc, test_plain_ass_round_trip);
    tcase_add_test(tc, test_lrc_words);
    tcase_add_test(tc, test_api);
    tcase_add_test(tc, test_gb18030);
    tcase_add_test(tc, test_cli_shift);
    tcase_add_test(tc, test_cli_errors);
    tcase_add_loop_test(tc, test_cli_quirks, 0, sizeof QUIRKS / sizeof QUIRKS[0]);
    tcase_add_test(tc, test_cli_txt_and_ass_out);
    suite_add_tcase(s, tc);
    tc = tcase_create("burn");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cli_burn_options);
    tcase_add_loop_test(tc, test_convert_is_burn, 0, 3);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
