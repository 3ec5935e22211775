/* check_vtt.c - the WebVTT parser: header, identifiers, settings mapped to
 * place, voice and class tags removed, NOTE/STYLE/REGION skipped, and
 * broken files failing with file and line. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"
#include "subs.h"

#define MAXC 5

typedef struct {
    int64_t start, end;
    const char *text;
    int align;
    double x, y;
} want_cue;

typedef struct {
    const char *what;
    const char *in;
    int n;
    want_cue cue[MAXC];
} ok_case;

static int parse(const char *name, const char *in, size_t len,
                 const zimu_subs_opts *o, zimu_ctx *c, zimu_cues *out)
{
    char *buf = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, in, len);
    memset(c, 0, sizeof *c);
    memset(out, 0, sizeof *out);
    int r = zimu__subs_parse(c, name, buf, len, o, out);
    free(buf);
    return r;
}

#define U -1.0 /* unset */

static const ok_case OK[] = {
    {"basic", "WEBVTT\n\n00:01.000 --> 00:02.500\nHello\n\n00:00:03.000 --> 00:00:04.000\n两行\n字幕\n",
     2, {{1000, 2500, "Hello", 0, U, U}, {3000, 4000, "两行\n字幕", 0, U, U}}},
    {"header text, metadata, identifiers, CRLF",
     "\xEF\xBB\xBFWEBVTT - a title\r\nKind: captions\r\nLanguage: zh\r\n\r\nintro\r\n00:01.000 --> 00:02.000\r\nA\r\n\r\n2\r\n00:02.000 --> 00:03.000\r\nB\r\n",
     2, {{1000, 2000, "A", 0, U, U}, {2000, 3000, "B", 0, U, U}}},
    {"NOTE, STYLE and REGION blocks skipped",
     "WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\nREGION\nid:r1 width:40%\n\nNOTE this is\na comment --> with an arrow\n\n00:01.000 --> 00:02.000\nA\n\nNOTE\nlast\n",
     1, {{1000, 2000, "A", 0, U, U}}},
    {"voice and other class tags removed, colour classes and i b u kept",
     "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Roger Bingham>We are in <c.loud.red>New York</c> <i>now</i> <b>b</b> <u>u</u></v>\n",
     1, {{1000, 2000, "We are in {\\c&H0000FF&}New York{\\c} {\\i1}now{\\i0} {\\b1}b{\\b0} {\\u1}u{\\u0}", 0, U, U}}},
    /* WebVTT's colour classes, and the c_rrggbb classes zimu writes */
    {"colour classes",
     "WEBVTT\n\n00:01.000 --> 00:02.000\n<c.yellow>a</c> <c.c_ff8000.loud>b</c> <c.red><c.blue>c</c>d</c> <c.x>e</c> <c.c_12>f</c>\n",
     1, {{1000, 2000, "{\\c&H00FFFF&}a{\\c} {\\c&H0080FF&}b{\\c} {\\c&H0000FF&}{\\c&HFF0000&}c{\\c&H0000FF&}d{\\c} e f", 0, U, U}}},
    {"timestamp tags, lang, ruby text dropped; entities",
     "WEBVTT\n\n00:01.000 --> 00:05.000\n<00:01.500>one <lang zh>汉</lang> <ruby>漢<rt>kan</rt></ruby> &lt;tag&gt; &amp; &nbsp;x\n",
     1, {{1000, 5000, "one 汉 漢 <tag> & \xC2\xA0x", 0, U, U}}},
    {"braces fullwidth, <font> is not WebVTT",
     "WEBVTT\n\n00:01.000 --> 00:02.000\n{a} <font color=red>b</font>\n",
     1, {{1000, 2000, "\xEF\xBD\x9B" "a\xEF\xBD\x9D b", 0, U, U}}},
    {"align", "WEBVTT\n\n00:01.000 --> 00:02.000 align:start\nL\n\n00:02.000 --> 00:03.000 align:end\nR\n\n00:03.000 --> 00:04.000 align:center\nC\n",
     3, {{1000, 2000, "L", 1, U, U}, {2000, 3000, "R", 3, U, U}, {3000, 4000, "C", 2, U, U}}},
    {"line as a percentage",
     "WEBVTT\n\n00:01.000 --> 00:02.000 line:10%\nT\n\n00:02.000 --> 00:03.000 line:50%,center align:left\nM\n\n00:03.000 --> 00:04.000 line:90%,end\nB\n",
     3, {{1000, 2000, "T", 8, 0.5, 0.10}, {2000, 3000, "M", 4, 0, 0.50}, {3000, 4000, "B", 2, 0.5, 0.90}}},
    /* A line percentage is a place from the top with or without a
     * position; without one, x is where the alignment puts the cue. */
    {"line:85% without position",
     "WEBVTT\n\n00:01.000 --> 00:02.000 line:85%\nL\n\n00:02.000 --> 00:03.000 line:85% align:end\nR\n\n00:03.000 --> 00:04.000 align:start line:85%\nS\n",
     3, {{1000, 2000, "L", 8, 0.5, 0.85}, {2000, 3000, "R", 9, 1, 0.85}, {3000, 4000, "S", 7, 0, 0.85}}},
    {"line:50%,center", "WEBVTT\n\n00:01.000 --> 00:02.000 line:50%,center\nC\n",
     1, {{1000, 2000, "C", 5, 0.5, 0.5}}},
    {"line:0% and line:100%,end",
     "WEBVTT\n\n00:01.000 --> 00:02.000 line:0%\nT\n\n00:02.000 --> 00:03.000 line:100%,end\nB\n",
     2, {{1000, 2000, "T", 8, 0.5, 0}, {2000, 3000, "B", 2, 0.5, 1}}},
    {"line percentage and position",
     "WEBVTT\n\n00:01.000 --> 00:02.000 line:85%,end position:30%,line-left\nP\n",
     1, {{1000, 2000, "P", 1, 0.3, 0.85}}},
    {"line numbers: rows, no place",
     "WEBVTT\n\n00:01.000 --> 00:02.000 line:0\nA\n\n00:02.000 --> 00:03.000 line:3\nB\n\n00:03.000 --> 00:04.000 line:-1\nC\n\n00:04.000 --> 00:05.000 line:-3 align:start\nD\n",
     4, {{1000, 2000, "A", 8, U, U}, {2000, 3000, "B", 8, U, U}, {3000, 4000, "C", 2, U, U}, {4000, 5000, "D", 1, U, U}}},
    {"line as a line number",
     "WEBVTT\n\n00:01.000 --> 00:02.000 line:0\nT\n\n00:02.000 --> 00:03.000 line:-1\nB\n",
     2, {{1000, 2000, "T", 8, U, U}, {2000, 3000, "B", 2, U, U}}},
    {"position",
     "WEBVTT\n\n00:01.000 --> 00:02.000 position:25% line:20% size:50%\nP\n\n00:02.000 --> 00:03.000 position:90%,line-right\nQ\n",
     2, {{1000, 2000, "P", 8, 0.25, 0.20}, {2000, 3000, "Q", 3, 0.90, U}}},
    {"line percentage with a position after it",
     "WEBVTT\n\n00:01.000 --> 00:02.000 position:10%,line-left line:85%\nP\n",
     1, {{1000, 2000, "P", 7, 0.10, 0.85}}},
    {"vertical and region ignored",
     "WEBVTT\n\n00:01.000 --> 00:02.000 vertical:rl region:r1\nV\n",
     1, {{1000, 2000, "V", 0, U, U}}},
    {"blank cue skipped; overlap kept; sorted",
     "WEBVTT\n\n00:05.000 --> 00:06.000\n<v A></v>\n\n00:03.000 --> 00:09.000\nlong\n\n00:01.000 --> 00:04.000\nfirst\n",
     2, {{1000, 4000, "first", 0, U, U}, {3000, 9000, "long", 0, U, U}}},
    {"hours with more digits, comma tolerated",
     "WEBVTT\n\n100:00:00.000 --> 100:00:01,5\nx\n",
     1, {{360000000, 360001500, "x", 0, U, U}}},
    {"header only", "WEBVTT\n", 0, {{0}}},
};

START_TEST(test_ok)
{
    const ok_case *t = &OK[_i];
    zimu_ctx c;
    zimu_cues l;
    int r = parse("sub.vtt", t->in, strlen(t->in), NULL, &c, &l);
    ck_assert_msg(r == 0, "%s: %d %s", t->what, r, c.errmsg);
    ck_assert_msg((int)l.n == t->n, "%s: %zu cues, want %d", t->what, l.n, t->n);
    for (int i = 0; i < t->n; i++) {
        const zimu_cue *q = &l.v[i];
        const want_cue *w = &t->cue[i];
        ck_assert_msg(q->start_ms == w->start && q->end_ms == w->end,
                      "%s: cue %d at %lld-%lld", t->what, i,
                      (long long)q->start_ms, (long long)q->end_ms);
        ck_assert_msg(!strcmp(q->text, w->text), "%s: cue %d text '%s', want '%s'",
                      t->what, i, q->text, w->text);
        ck_assert_msg(q->align == w->align, "%s: cue %d align %d, want %d",
                      t->what, i, q->align, w->align);
        ck_assert_msg((w->x < 0 && q->pos_x < 0) || (w->x >= 0 && q->pos_x > w->x - 1e-9 && q->pos_x < w->x + 1e-9),
                      "%s: cue %d pos_x %g, want %g", t->what, i, q->pos_x, w->x);
        ck_assert_msg((w->y < 0 && q->pos_y < 0) || (w->y >= 0 && q->pos_y > w->y - 1e-9 && q->pos_y < w->y + 1e-9),
                      "%s: cue %d pos_y %g, want %g", t->what, i, q->pos_y, w->y);
    }
    zimu__cues_clear(&l);
}
END_TEST

typedef struct {
    const char *what, *name, *in, *msg;
} bad_case;

static const bad_case BAD[] = {
    {"no header, text first", "sub.vtt", "Kind: captions\n\n00:01.000 --> 00:02.000\nx\n",
     "sub.vtt:1: no WEBVTT header: not a WebVTT file"},
    {"lower-case header", "sub.vtt", "webvtt\n\n00:01.000 --> 00:02.000\nx\n",
     "sub.vtt:1: no WEBVTT header: not a WebVTT file"},
    {"no blank line after the header", "sub.vtt", "WEBVTT\n00:01.000 --> 00:02.000\nx\n",
     "sub.vtt:2: a blank line must follow the WEBVTT header before the first cue"},
    {"bad start", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n\n00:1.000 --> 00:02.000\ny\n",
     "sub.vtt:6: timestamp '00:1.000' is not valid"},
    {"bad end", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.x00\nx\n",
     "sub.vtt:3: timestamp '00:02.x00' is not valid"},
    {"seconds over 59", "sub.vtt", "WEBVTT\n\n00:60.000 --> 01:02.000\nx\n",
     "sub.vtt:3: timestamp '00:60.000' is not valid"},
    {"no milliseconds", "sub.vtt", "WEBVTT\n\n00:01 --> 00:02.000\nx\n",
     "sub.vtt:3: timestamp '00:01' is not valid"},
    {"no arrow", "sub.vtt", "WEBVTT\n\nid\n00:01.000 00:02.000\nx\n",
     "sub.vtt:4: expected a timing line 'mm:ss.ttt --> mm:ss.ttt' after cue identifier"},
    {"text block without timing", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n\nstray\ntext\n",
     "sub.vtt:7: expected a timing line 'mm:ss.ttt --> mm:ss.ttt' after cue identifier"},
    {"bad setting", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 align:top\nx\n",
     "sub.vtt:3: cue setting 'align:top' is not valid"},
    {"bad percentage", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 position:120%\nx\n",
     "sub.vtt:3: cue setting 'position:120%' is not valid"},
    {"line over 100%", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 line:101%\nx\n",
     "sub.vtt:3: cue setting 'line:101%' is not valid"},
    {"line alignment unknown", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n\n00:03.000 --> 00:04.000 line:50%,top\ny\n",
     "sub.vtt:6: cue setting 'line:50%,top' is not valid"},
    {"line not a number", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 line:-x\nx\n",
     "sub.vtt:3: cue setting 'line:-x' is not valid"},
    {"negative line percentage", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 line:-10%\nx\n",
     "sub.vtt:3: cue setting 'line:-10%' is not valid"},
    {"unknown setting", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 colour:red\nx\n",
     "sub.vtt:3: cue setting 'colour:red' is not valid"},
    {"missing blank line between cues", "sub.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n00:02.000 --> 00:03.000\ny\n",
     "sub.vtt:5: a timing line inside cue text (a blank line is missing before it)"},
    {"error line in a CRLF file", "sub.vtt", "WEBVTT\r\n\r\nNOTE a\r\nb\r\n\r\n00:01.000 --> 00:02.000\r\nx\r\n\r\n1\r\n00:03.000 --> 00:0x.000\r\n",
     "sub.vtt:10: timestamp '00:0x.000' is not valid"},
};

START_TEST(test_bad)
{
    const bad_case *t = &BAD[_i];
    zimu_ctx c;
    zimu_cues l;
    int r = parse(t->name, t->in, strlen(t->in), NULL, &c, &l);
    ck_assert_msg(r == ZIMU_ESUBS, "%s: %d (%s)", t->what, r, c.errmsg);
    ck_assert_msg(!strcmp(c.errmsg, t->msg), "%s: '%s', want '%s'", t->what,
                  c.errmsg, t->msg);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

/* Without its header a cue list is SubRip-shaped, and content decides
 * before the name: it is read (as SRT). Forced to WebVTT it fails. */
START_TEST(test_headerless)
{
    const char *in = "00:01.000 --> 00:02.000\nx\n";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("sub.vtt", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_int_eq(l.v[0].start_ms, 1000);
    zimu__cues_clear(&l);
    zimu_subs_opts o = {.format = ZIMU__SUBS_VTT};
    ck_assert_int_eq(parse("sub.vtt", in, strlen(in), &o, &c, &l), ZIMU_ESUBS);
    ck_assert_str_eq(c.errmsg, "sub.vtt:1: no WEBVTT header: not a WebVTT file");
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(zimu__parse_vtt(&c, "d.vtt", in, strlen(in), &l), ZIMU_ESUBS);
    ck_assert_str_eq(c.errmsg, "d.vtt:1: no WEBVTT header: not a WebVTT file");
}
END_TEST

START_TEST(test_detect)
{
    const char *v = "\n\nWEBVTT\n\n00:01.000 --> 00:02.000\nx\n";
    ck_assert_int_eq(zimu__subs_detect("a.srt", v, strlen(v)), ZIMU__SUBS_VTT);
    ck_assert_int_eq(zimu__subs_detect("a.srt", "WEBVTT", 6), ZIMU__SUBS_VTT);
    /* an SRT arrow file is not WebVTT; WEBVTTX is not a header */
    const char *s = "00:01.000 --> 00:02.000\nx\n";
    ck_assert_int_eq(zimu__subs_detect("a.vtt", s, strlen(s)), ZIMU__SUBS_SRT);
    ck_assert_int_eq(zimu__subs_detect("a", "WEBVTTX\n", 8), ZIMU__SUBS_AUTO);
    ck_assert_int_eq(zimu__subs_detect("a.vtt", "WEBVTTX\n", 8), ZIMU__SUBS_VTT); /* by name */
    ck_assert_int_eq(zimu__subs_format_from_name("x.WebVTT"), ZIMU__SUBS_VTT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vtt");
    TCase *tc = tcase_create("vtt");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_loop_test(tc, test_ok, 0, sizeof OK / sizeof OK[0]);
    tcase_add_loop_test(tc, test_bad, 0, sizeof BAD / sizeof BAD[0]);
    tcase_add_test(tc, test_headerless);
    tcase_add_test(tc, test_detect);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
