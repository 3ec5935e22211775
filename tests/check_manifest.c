/* check_manifest.c - the batch manifest as spreadsheets save it: quoted
 * fields with commas, quotes and line breaks; UTF-8 with and without BOM,
 * GB18030, UTF-16 with tabs; the header in any order and in Chinese;
 * times a spreadsheet rewrote; bad rows reported with the row number a
 * spreadsheet shows while the others are kept; files that are not CSV;
 * and names that must stay inside their folder. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "charset.h"
#include "manifest.h"
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

/* What the bad callback and the log received. */
typedef struct seen {
    int n_bad;
    int rows[32];
    char msgs[32][512];
    int n_warn;
    char warn[1024];
} seen;

static void on_bad(void *opaque, int row, const char *msg)
{
    seen *s = opaque;
    if (s->n_bad < 32) {
        s->rows[s->n_bad] = row;
        snprintf(s->msgs[s->n_bad], sizeof s->msgs[0], "%s", msg);
    }
    s->n_bad++;
}

static void on_log(void *opaque, int level, const char *msg)
{
    seen *s = opaque;
    if (level == ZIMU_LOG_WARNING) {
        s->n_warn++;
        snprintf(s->warn, sizeof s->warn, "%s", msg);
    }
}

static zimu_ctx ctx;
static seen got;
static char *last_path;

/* Write bytes as dir/name and read it as a manifest. */
static int read_bytes(const char *name, const char *bytes, size_t len, zimu_manifest *m)
{
    free(last_path);
    last_path = tu_path(dir, name);
    TU_OK(tu_write_file(last_path, bytes, len));
    memset(&ctx, 0, sizeof ctx);
    memset(&got, 0, sizeof got);
    ctx.log_cb = on_log;
    ctx.log_opaque = &got;
    ctx.log_level = ZIMU_LOG_DEBUG;
    return zimu__manifest_read(&ctx, last_path, on_bad, &got, m);
}

static int read_text(const char *text, zimu_manifest *m)
{
    return read_bytes("m.csv", text, strlen(text), m);
}

static void str_is(const char *got_s, const char *want, const char *what)
{
    if (!want)
        ck_assert_msg(got_s == NULL, "%s: '%s', want NULL", what, got_s);
    else
        ck_assert_msg(got_s && !strcmp(got_s, want), "%s: '%s', want '%s'", what,
                      got_s ? got_s : "NULL", want);
}

/* The bad message i is "<file>:<row>: ..." and contains part. */
static void bad_is(int i, int row, const char *part)
{
    ck_assert_msg(got.n_bad > i, "bad row %d not reported (%d reported)", i, got.n_bad);
    ck_assert_msg(got.rows[i] == row, "bad %d: row %d, want %d (%s)", i, got.rows[i], row,
                  got.msgs[i]);
    char head[4200];
    snprintf(head, sizeof head, "%s:%d: ", last_path, row);
    ck_assert_msg(!strncmp(got.msgs[i], head, strlen(head)), "bad %d: '%s' does not start '%s'",
                  i, got.msgs[i], head);
    ck_assert_msg(strstr(got.msgs[i], part), "bad %d: '%s' does not say '%s'", i, got.msgs[i],
                  part);
}

START_TEST(quoted_fields)
{
    zimu_manifest m;
    int r = read_text("clip,text,output,title\n"
                      "\"a, b.mp4\",\"Hello, \"\"world\"\"\nsecond line\",\"out \"\"q\"\".mp4\","
                      "\"标题, 一\"\n"
                      "plain.mp4,  spaced  ,,\n",
                      &m);
    ck_assert_msg(r == 0, "%d: %s", r, ctx.errmsg);
    ck_assert_int_eq(m.n, 2);
    ck_assert_int_eq(m.v[0].row, 2);
    str_is(m.v[0].clip, "a, b.mp4", "clip");
    str_is(m.v[0].text, "Hello, \"world\"\nsecond line", "text");
    str_is(m.v[0].output, "out \"q\".mp4", "output");
    str_is(m.v[0].title, "标题, 一", "title");
    str_is(m.v[0].subs, NULL, "subs");
    str_is(m.v[0].style, NULL, "style");
    ck_assert(m.v[0].from_ms == -1 && m.v[0].to_ms == -1);
    ck_assert_int_eq(m.v[1].row, 3);
    str_is(m.v[1].clip, "plain.mp4", "clip 2");
    str_is(m.v[1].text, "spaced", "text 2");
    str_is(m.v[1].output, NULL, "output 2");
    str_is(m.v[1].title, NULL, "title 2");
    ck_assert_int_eq(got.n_bad, 0);
    ck_assert_int_eq(got.n_warn, 0);
    zimu__manifest_free(&m);
    ck_assert(m.v == NULL && m.n == 0);
}
END_TEST

/* The rows of a file whose second row spans three lines: bad rows carry
 * the numbers a spreadsheet shows, the good ones are kept. */
static const char ROWS[] = "clip,text,from,to\n"            /* 1 */
                           "a.mp4,\"line 1\nline 2\nline 3\",0,5\n" /* 2 */
                           "b.mp4,hi,1:6x,\n"               /* 3 */
                           "c.mp4,,10,5\n"                  /* 4 */
                           ",orphan text,,\n"               /* 5 */
                           "\n"                             /* 6 */
                           ",,,\n"                          /* 7 */
                           "d.mp4,\"x\",,\n"                /* 8 */
                           "e.mp4,\"two\nlines\",1:00,0:30\n" /* 9 */
                           "f.mp4";                         /* 10, no line end */

static void check_rows(const zimu_manifest *m)
{
    ck_assert_msg(m->n == 3, "%zu rows", m->n);
    ck_assert_int_eq(m->v[0].row, 2);
    str_is(m->v[0].clip, "a.mp4", "row 2");
    str_is(m->v[0].text, "line 1\nline 2\nline 3", "row 2 text");
    ck_assert(m->v[0].from_ms == 0 && m->v[0].to_ms == 5000);
    ck_assert_int_eq(m->v[1].row, 8);
    str_is(m->v[1].clip, "d.mp4", "row 8");
    ck_assert_int_eq(m->v[2].row, 10);
    str_is(m->v[2].clip, "f.mp4", "row 10");
    str_is(m->v[2].text, NULL, "row 10 text");
    ck_assert_int_eq(got.n_bad, 4);
    bad_is(0, 3, "'from' '1:6x' is not a time");
    bad_is(1, 4, "'from' 10 is not before 'to' 5");
    bad_is(2, 5, "no clip");
    bad_is(3, 9, "'from' 1:00 is not before 'to' 0:30");
}

START_TEST(bad_rows_numbered)
{
    zimu_manifest m;
    ck_assert_int_eq(read_text(ROWS, &m), 0);
    check_rows(&m);
    zimu__manifest_free(&m);
}
END_TEST

/* The same with CRLF line ends (Excel), also inside the quoted fields,
 * and with CR alone (old Mac). */
START_TEST(bad_rows_crlf)
{
    for (int mac = 0; mac < 2; mac++) {
        char buf[1024];
        size_t n = 0;
        for (const char *p = ROWS; *p; p++) {
            if (*p == '\n') {
                buf[n++] = '\r';
                if (!mac)
                    buf[n++] = '\n';
            } else {
                buf[n++] = *p;
            }
        }
        zimu_manifest m;
        ck_assert_int_eq(read_bytes("m.csv", buf, n, &m), 0);
        if (mac) {
            /* a CR inside a quoted field stays as it is */
            ck_assert_msg(m.n == 3 && m.v[0].row == 2 && m.v[1].row == 8 && m.v[2].row == 10,
                          "CR: %zu rows", m.n);
            ck_assert_int_eq(got.n_bad, 4);
            bad_is(3, 9, "is not before");
        } else {
            check_rows(&m);
        }
        zimu__manifest_free(&m);
    }
}
END_TEST

START_TEST(bom)
{
    static const char text[] = "\xEF\xBB\xBF"
                               "clip,subs\r\n"
                               "视频一.mp4,字幕/一.srt\r\n";
    zimu_manifest m;
    int r = read_bytes("m.csv", text, sizeof text - 1, &m);
    ck_assert_msg(r == 0, "%d: %s", r, ctx.errmsg);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].clip, "视频一.mp4", "clip");
    str_is(m.v[0].subs, "字幕/一.srt", "subs");
    ck_assert_int_eq(m.v[0].row, 2);
    zimu__manifest_free(&m);
}
END_TEST

/* As Excel saves "CSV (comma delimited)" on a Chinese Windows: GB18030
 * (GBK) bytes, CRLF, Chinese header. */
START_TEST(gb18030)
{
    static const char text[] =
        "\xCA\xD3\xC6\xB5,\xCE\xC4\xD7\xD6,\xCA\xE4\xB3\xF6\r\n" /* 视频,文字,输出 */
        "\xD5\xC5\xC8\xFD"                                       /* 张三 */
        ".mp4,\xC4\xE3\xBA\xC3\xA3\xAC\xCA\xC0\xBD\xE7,"         /* .mp4,你好，世界, */
        "\xB2\xC9\xB7\xC3/\xB5\xDA\xD2\xBB\xB6\xCE"              /* 采访/第一段 */
        ".mp4\r\n";
    zimu_manifest m;
    int r = read_bytes("gb.csv", text, sizeof text - 1, &m);
    ck_assert_msg(r == 0, "%d: %s", r, ctx.errmsg);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].clip, "张三.mp4", "clip");
    str_is(m.v[0].text, "你好，世界", "text");
    str_is(m.v[0].output, "采访/第一段.mp4", "output");
    zimu__manifest_free(&m);
}
END_TEST

/* Excel's "Unicode text": UTF-16LE with a BOM, tabs between fields. */
START_TEST(utf16_tabs)
{
    static const char utf8[] = "clip\ttext\tfrom\n视频.mp4\t你好, 世界\t\t\n";
    char buf[256] = "\xFF\xFE";
    size_t n = 2;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        size_t used;
        uint32_t cp = zimu__utf8_next(p, strlen((const char *)p), &used);
        p += used;
        buf[n++] = (char)(cp & 0xff);
        buf[n++] = (char)(cp >> 8);
    }
    zimu_manifest m;
    int r = read_bytes("m.txt", buf, n, &m);
    ck_assert_msg(r == 0, "%d: %s", r, ctx.errmsg);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].clip, "视频.mp4", "clip");
    str_is(m.v[0].text, "你好, 世界", "text");
    ck_assert(m.v[0].from_ms == -1);
    zimu__manifest_free(&m);
}
END_TEST

/* Semicolons, as Excel writes CSV where the comma is the decimal point. */
START_TEST(semicolons)
{
    zimu_manifest m;
    ck_assert_int_eq(read_text("clip;text;from\na.mp4;Hallo, Welt;1,5\n", &m), 0);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].text, "Hallo, Welt", "text");
    ck_assert(m.v[0].from_ms == 1500);
    zimu__manifest_free(&m);
}
END_TEST

START_TEST(header_any_order)
{
    zimu_manifest m;
    int r = read_text(" Output ,TO,Style,\tTitle,From,SUBS , Clip\n"
                      "o.mp4,0:10,big,T,0:02,s.srt,c.mp4\n",
                      &m);
    ck_assert_msg(r == 0, "%d: %s", r, ctx.errmsg);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].clip, "c.mp4", "clip");
    str_is(m.v[0].subs, "s.srt", "subs");
    str_is(m.v[0].style, "big", "style");
    str_is(m.v[0].title, "T", "title");
    str_is(m.v[0].output, "o.mp4", "output");
    ck_assert(m.v[0].from_ms == 2000 && m.v[0].to_ms == 10000);
    ck_assert_int_eq(got.n_warn, 0);
    zimu__manifest_free(&m);
}
END_TEST

START_TEST(chinese_header)
{
    static const char *const names[][8] = {
        {"视频", "字幕", "样式", "标题", "开始", "结束", "输出", NULL},
        {"片段", "字幕文件", "样式", "标题", "开始时间", "结束时间", "输出文件", NULL},
    };
    for (int i = 0; i < 2; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "%s,%s,%s,%s,%s,%s,%s\n"
                 "采访.mp4,采访.srt,大字,第一段,0:01:00,0:02:00,第一段.mp4\n",
                 names[i][0], names[i][1], names[i][2], names[i][3], names[i][4], names[i][5],
                 names[i][6]);
        zimu_manifest m;
        int r = read_text(text, &m);
        ck_assert_msg(r == 0, "%d: %s", r, ctx.errmsg);
        ck_assert_int_eq(m.n, 1);
        str_is(m.v[0].clip, "采访.mp4", "clip");
        str_is(m.v[0].subs, "采访.srt", "subs");
        str_is(m.v[0].style, "大字", "style");
        str_is(m.v[0].title, "第一段", "title");
        str_is(m.v[0].output, "第一段.mp4", "output");
        ck_assert(m.v[0].from_ms == 60000 && m.v[0].to_ms == 120000);
        zimu__manifest_free(&m);
    }
    /* 文字 / 文案 / 文本 are the text column; messages use the header's names */
    static const char *const text_names[] = {"文字", "文案", "文本"};
    for (int i = 0; i < 3; i++) {
        char text[256];
        snprintf(text, sizeof text, "视频,%s,开始\n一.mp4,你好,\n二.mp4,再见,1:6x\n",
                 text_names[i]);
        zimu_manifest m;
        ck_assert_int_eq(read_text(text, &m), 0);
        ck_assert_int_eq(m.n, 1);
        str_is(m.v[0].text, "你好", text_names[i]);
        bad_is(0, 3, "'开始' '1:6x' is not a time");
        zimu__manifest_free(&m);
    }
}
END_TEST

START_TEST(unknown_columns_warned)
{
    zimu_manifest m;
    ck_assert_int_eq(read_text("clip,notes,备注,text,\na.mp4,n,b,t,\n", &m), 0);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].text, "t", "text");
    ck_assert_int_eq(got.n_warn, 1);
    ck_assert_msg(strstr(got.warn, "m.csv:1: columns 'notes', '备注' ignored"), "%s", got.warn);
    zimu__manifest_free(&m);
}
END_TEST

static void time_ok(const char *t, int64_t want)
{
    char text[256];
    snprintf(text, sizeof text, "clip,from\na.mp4,%s\n", t);
    zimu_manifest m;
    ck_assert_int_eq(read_text(text, &m), 0);
    ck_assert_msg(m.n == 1, "'%s': refused: %s", t, got.n_bad ? got.msgs[0] : "");
    ck_assert_msg(m.v[0].from_ms == want, "'%s': %lld ms, want %lld", t,
                  (long long)m.v[0].from_ms, (long long)want);
    zimu__manifest_free(&m);
}

static void time_bad(const char *t)
{
    char text[256];
    snprintf(text, sizeof text, "clip,to\na.mp4,\"%s\"\n", t);
    zimu_manifest m;
    ck_assert_int_eq(read_text(text, &m), 0);
    ck_assert_msg(m.n == 0, "'%s' was taken as %lld ms", t, (long long)m.v[0].to_ms);
    bad_is(0, 2, "is not a time");
    zimu__manifest_free(&m);
}

START_TEST(times)
{
    time_ok("90", 90000);
    time_ok("90.5", 90500);
    time_ok("1:30", 90000);
    time_ok("0:01:30", 90000);
    time_ok("00:01:30.500", 90500);
    time_ok("\"1:30,5\"", 90500);
    time_ok(" 0:00:07 ", 7000);
    time_ok("１：３０", 90000);
    time_ok("０:０１:３０．２５", 90250);
    time_ok("0", 0);
    time_bad("1:6x");
    time_bad("-5");
    time_bad("1:60");
    time_bad("abc");
    time_bad("1.2.3");
    time_bad("1 30");
    time_bad("90s");
}
END_TEST

START_TEST(same_clip_many_rows)
{
    zimu_manifest m;
    ck_assert_int_eq(read_text("clip,from,to,output\n"
                               "talk.mp4,0,30,part1.mp4\n"
                               "talk.mp4,30,60,part2.mp4\n"
                               "talk.mp4,60,,part3.mp4\n",
                               &m),
                     0);
    ck_assert_int_eq(m.n, 3);
    for (int i = 0; i < 3; i++) {
        str_is(m.v[i].clip, "talk.mp4", "clip");
        ck_assert(m.v[i].from_ms == i * 30000);
        ck_assert(m.v[i].to_ms == (i < 2 ? (i + 1) * 30000 : -1));
    }
    str_is(m.v[2].output, "part3.mp4", "output");
    zimu__manifest_free(&m);
}
END_TEST

START_TEST(subs_and_text)
{
    zimu_manifest m;
    ck_assert_int_eq(read_text("clip,subs,text\na.mp4,a.srt,hello\nb.mp4,b.srt,\n", &m), 0);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].clip, "b.mp4", "clip");
    bad_is(0, 2, "both 'subs' and 'text'");
    zimu__manifest_free(&m);
}
END_TEST

START_TEST(spreadsheets_refused)
{
    static const char zip[] = "PK\x03\x04\x14\x00\x06\x00rest of a zip";
    static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an xls";
    zimu_manifest m = {(zimu_manifest_row *)1, 7};
    ck_assert_int_eq(read_bytes("manifest.xlsx", zip, sizeof zip - 1, &m), ZIMU_EINVAL);
    ck_assert_msg(m.v == NULL && m.n == 0, "out not emptied");
    char want[4200];
    snprintf(want, sizeof want,
             "%s: a spreadsheet file, not CSV: save it as CSV (UTF-8) in Excel or WPS", last_path);
    ck_assert_str_eq(ctx.errmsg, want);
    ck_assert_str_eq(ctx.errfile, last_path);
    /* by the bytes whatever the name, and by the name whatever the bytes */
    ck_assert_int_eq(read_bytes("m.csv", zip, sizeof zip - 1, &m), ZIMU_EINVAL);
    ck_assert_msg(strstr(ctx.errmsg, "save it as CSV"), "%s", ctx.errmsg);
    ck_assert_int_eq(read_bytes("m.csv", ole, sizeof ole - 1, &m), ZIMU_EINVAL);
    ck_assert_msg(strstr(ctx.errmsg, "save it as CSV"), "%s", ctx.errmsg);
    ck_assert_int_eq(read_bytes("m.ods", "clip\na.mp4\n", 11, &m), ZIMU_EINVAL);
    ck_assert_msg(strstr(ctx.errmsg, "save it as CSV"), "%s", ctx.errmsg);
    ck_assert_int_eq(read_bytes("m.XLS", "clip\na.mp4\n", 11, &m), ZIMU_EINVAL);
}
END_TEST

START_TEST(not_a_manifest)
{
    zimu_manifest m;
    /* no clip column: the file and the header's row in the message */
    ck_assert_int_eq(read_text("\n\nsubs,text\na.srt,\n", &m), ZIMU_EINVAL);
    ck_assert_msg(m.v == NULL && m.n == 0, "out not emptied");
    char want[4200];
    snprintf(want, sizeof want, "%s:3: no 'clip' column", last_path);
    ck_assert_msg(!strncmp(ctx.errmsg, want, strlen(want)), "'%s'", ctx.errmsg);
    ck_assert_str_eq(ctx.errfile, last_path);
    /* the header is a row of data */
    ck_assert_int_eq(read_text("a.mp4,a.srt\nb.mp4,b.srt\n", &m), ZIMU_EINVAL);
    ck_assert_msg(strstr(ctx.errmsg, ":1: no 'clip' column"), "%s", ctx.errmsg);
    /* empty */
    ck_assert_int_eq(read_text("", &m), ZIMU_EINVAL);
    ck_assert_msg(strstr(ctx.errmsg, "empty"), "%s", ctx.errmsg);
    ck_assert_int_eq(read_text("\r\n,,\r\n", &m), ZIMU_EINVAL);
    /* a column twice */
    ck_assert_int_eq(read_text("clip,视频,text\na.mp4,b.mp4,x\n", &m), ZIMU_EINVAL);
    ck_assert_msg(strstr(ctx.errmsg, ":1: columns 1 ('clip') and 2 ('视频') are both 'clip'"),
                  "%s", ctx.errmsg);
    /* a quote never closed swallows the rest: refused, at its row */
    ck_assert_int_eq(read_text("clip,text\na.mp4,ok\nb.mp4,\"open\nc.mp4,x\n", &m),
                     ZIMU_EINVAL);
    ck_assert_msg(strstr(ctx.errmsg, ":3: a quote (\") opens a field that never ends"), "%s",
                  ctx.errmsg);
    /* a stray quote inside an unquoted field is kept, as Excel reads it */
    ck_assert_int_eq(read_text("clip,text\na.mp4,a 5\" screen\n", &m), 0);
    ck_assert_int_eq(m.n, 1);
    str_is(m.v[0].text, "a 5\" screen", "stray quote");
    zimu__manifest_free(&m);
    /* bytes that are no text */
    static const char bin[] = "clip\n\x00\x01\x02\xff\xfe\x00";
    ck_assert_int_eq(read_bytes("m.csv", bin, sizeof bin - 1, &m), ZIMU_ECHARSET);
    ck_assert_str_eq(ctx.errfile, last_path);
    /* the hint is the manifest's own: --charenc is for caption files */
    ck_assert_msg(strstr(ctx.errmsg, "; save the manifest as CSV in UTF-8") &&
                  !strstr(ctx.errmsg, "--charenc"), "%s", ctx.errmsg);
    /* a manifest of GBK lines and UTF-8 lines: refused at the line where
     * the encoding changes */
    static const char mixed[] = "clip,text\na.mp4,\xB4\xF3\xBC\xD2\xBA\xC3\xA3\xAC\xBB\xB6\xD3\xAD\n"
                                "b.mp4,欢迎收看本周的法律讲堂\n";
    ck_assert_int_eq(read_bytes("m.csv", mixed, sizeof mixed - 1, &m), ZIMU_ECHARSET);
    ck_assert_msg(strstr(ctx.errmsg, "m.csv:3: the file mixes two encodings: this line is "
                                     "UTF-8 but line 2 is GB18030"), "%s", ctx.errmsg);
    /* missing */
    memset(&ctx, 0, sizeof ctx);
    char *gone = tu_path(dir, "gone.csv");
    ck_assert_int_eq(zimu__manifest_read(&ctx, gone, on_bad, &got, &m), ZIMU_ENOENT);
    ck_assert_msg(strstr(ctx.errmsg, gone), "%s", ctx.errmsg);
    free(gone);
}
END_TEST

/* The size is bounded before anything is read (a sparse file costs no
 * disk), with a message about manifests, not caption files. */
START_TEST(too_big)
{
    char *big = tu_path(dir, "big.csv");
    TU_OK(tu_write_file(big, "clip\n", 5));
    ck_assert_int_eq(truncate(big, ((off_t)64 << 20) + 1), 0);
    memset(&ctx, 0, sizeof ctx);
    zimu_manifest m;
    ck_assert_int_eq(zimu__manifest_read(&ctx, big, on_bad, &got, &m), ZIMU_EINVAL);
    char want[4200];
    snprintf(want, sizeof want, "%s: larger than 64 MiB, the most zimu reads of a manifest", big);
    ck_assert_str_eq(ctx.errmsg, want);
    ck_assert_str_eq(ctx.errfile, big);
    free(big);
}
END_TEST

/* Names in the manifest that would leave their folder make their row bad. */
START_TEST(unsafe_names_in_rows)
{
    char *sub = tu_path(dir, "subs");
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    char *link = tu_path(dir, "subs/root");
    ck_assert_int_eq(symlink("/", link), 0);
    zimu_manifest m;
    ck_assert_int_eq(read_text("clip,subs,output\n"
                               "../x.mp4,,\n"                  /* 2 */
                               "/etc/passwd,,\n"               /* 3 */
                               "a/../../x.mp4,,\n"             /* 4 */
                               "a.mp4,,..\\..\\x.mp4\n"        /* 5 */
                               "a.mp4,,/tmp/x.mp4\n"           /* 6 */
                               "a.mp4,../s.srt,\n"             /* 7 */
                               "a.mp4,subs/root/etc/passwd,\n" /* 8 */
                               "a.mp4,,out//x.mp4\n"           /* 9 */
                               "\"a\nb.mp4\",,\n"              /* 10 */
                               "我的 视频 \"q\".mp4,subs/字幕 1.srt,输出/第 1 段.mp4\n", /* 11 */
                               &m),
                     0);
    ck_assert_int_eq(m.n, 1);
    ck_assert_int_eq(m.v[0].row, 11);
    str_is(m.v[0].clip, "我的 视频 \"q\".mp4", "clip");
    str_is(m.v[0].subs, "subs/字幕 1.srt", "subs");
    str_is(m.v[0].output, "输出/第 1 段.mp4", "output");
    ck_assert_int_eq(got.n_bad, 9);
    bad_is(0, 2, "'clip' '../x.mp4' is not a safe name: '..' leads out of the folder");
    bad_is(1, 3, "absolute");
    bad_is(2, 4, "'..'");
    bad_is(3, 5, "'output' '..\\..\\x.mp4' is not a safe name: it has a backslash");
    bad_is(4, 6, "absolute");
    bad_is(5, 7, "'subs' '../s.srt'");
    bad_is(6, 8, "symlink that leads out of the folder");
    bad_is(7, 9, "empty folder name");
    bad_is(8, 10, "control character");
    zimu__manifest_free(&m);
    free(sub);
    free(link);
}
END_TEST

static void safe(const char *rel)
{
    const char *why = zimu__path_unsafe_why(dir, rel);
    ck_assert_msg(why == NULL, "'%s' refused: %s", rel, why);
    ck_assert_int_eq(zimu__path_safe_under(dir, rel), 1);
}

static void unsafe(const char *rel, const char *part)
{
    const char *why = zimu__path_unsafe_why(dir, rel);
    ck_assert_msg(why != NULL, "'%s' taken as safe", rel);
    ck_assert_msg(strstr(why, part), "'%s': '%s' does not say '%s'", rel, why, part);
    ck_assert_int_eq(zimu__path_safe_under(dir, rel), 0);
}

START_TEST(path_safety)
{
    char *p = tu_path(dir, "子 目录");
    ck_assert_int_eq(mkdir(p, 0777), 0);
    free(p);
    static const struct {
        const char *name, *target;
    } links[] = {
        {"root", "/"},                 /* out */
        {"up", ".."},                  /* out */
        {"inner", "子 目录"},          /* in */
        {"self", "."},                 /* in: the folder itself */
        {"dangling", "/nonexistent-zimu/x"},
        {"子 目录/back", "../子 目录"}, /* in, through .. inside the target */
        {"子 目录/esc", "../.."},       /* out */
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        p = tu_path(dir, links[i].name);
        ck_assert_int_eq(symlink(links[i].target, p), 0);
        free(p);
    }
    safe("a.mp4");
    safe("子 目录/视频 'q' \"x\" (1).mp4");
    safe("inner/x.mp4");
    safe("self/x.mp4");
    safe("子 目录/back/x.mp4");
    safe("new/deeper/x.mp4");
    safe("...mp4");
    safe("a..b");
    unsafe("../x", "'..'");
    unsafe("/abs", "absolute");
    unsafe("a/../../x", "'..'");
    unsafe("a/..", "'..'");
    unsafe("..\\x", "backslash");
    unsafe("a\\..\\..\\x", "backslash");
    unsafe("C:/x.mp4", "drive");
    unsafe("c:x.mp4", "drive");
    unsafe("", "empty");
    unsafe("a//b", "empty folder name");
    unsafe("a/", "empty folder name");
    unsafe("./a", "'.'");
    unsafe(".", "'.'");
    unsafe("a\tb", "control");
    unsafe("root", "symlink that leads out");
    unsafe("root/etc/passwd", "symlink that leads out");
    unsafe("up/x", "symlink that leads out");
    unsafe("子 目录/esc/x", "symlink that leads out");
    unsafe("dangling", "leads nowhere");
    unsafe("dangling/x", "leads nowhere");
    char longname[300];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    unsafe(longname, "too long");
    ck_assert_ptr_null(zimu__path_problem("a/b c/d.mp4"));
    /* a folder that does not exist yet has nothing under it */
    ck_assert_ptr_null(zimu__path_unsafe_why("/nonexistent-zimu", "a/b.mp4"));
    ck_assert_ptr_nonnull(zimu__path_unsafe_why("/nonexistent-zimu", "../b.mp4"));
}
END_TEST

static Suite *manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc = tcase_create("read");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, quoted_fields);
    tcase_add_test(tc, bad_rows_numbered);
    tcase_add_test(tc, bad_rows_crlf);
    tcase_add_test(tc, bom);
    tcase_add_test(tc, gb18030);
    tcase_add_test(tc, utf16_tabs);
    tcase_add_test(tc, semicolons);
    tcase_add_test(tc, header_any_order);
    tcase_add_test(tc, chinese_header);
    tcase_add_test(tc, unknown_columns_warned);
    tcase_add_test(tc, times);
    tcase_add_test(tc, same_clip_many_rows);
    tcase_add_test(tc, subs_and_text);
    tcase_add_test(tc, spreadsheets_refused);
    tcase_add_test(tc, not_a_manifest);
    tcase_add_test(tc, too_big);
    suite_add_tcase(s, tc);
    tc = tcase_create("paths");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, unsafe_names_in_rows);
    tcase_add_test(tc, path_safety);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(manifest_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
