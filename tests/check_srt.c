/* check_srt.c - the SubRip parser, through zimu__subs_parse, on the quirks
 * real files have, and on broken files that must fail with file and line.
 *
 * Every input is handed over in a buffer of exactly its length (no NUL
 * after it), so a parser that reads past the end fails under ASan. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"
#include "subs.h"

#define MAXC 6

typedef struct {
    int64_t start, end;
    const char *text;
    int align;
} want_cue;

typedef struct {
    const char *what;
    const char *in;
    int n;
    want_cue cue[MAXC];
} ok_case;

typedef struct {
    const char *what;
    const char *in;
    int code;
    const char *msg; /* the whole message */
} bad_case;

/* Parse in from a buffer of exactly strlen(in) bytes. */
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

#define I "{\\i1}"
#define I0 "{\\i0}"

static const ok_case OK[] = {
    {"basic", "1\n00:00:01,000 --> 00:00:02,500\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\n世界\n",
     2, {{1000, 2500, "Hello", 0}, {3000, 4000, "世界", 0}}},
    {"BOM and CRLF", "\xEF\xBB\xBF" "1\r\n00:00:01,000 --> 00:00:02,000\r\nA\r\nB\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\nC\r\n",
     2, {{1000, 2000, "A\nB", 0}, {2000, 3000, "C", 0}}},
    {"CR line ends", "1\r00:00:01,000 --> 00:00:02,000\rA\rB\r\r2\r00:00:05,000 --> 00:00:06,000\rC",
     2, {{1000, 2000, "A\nB", 0}, {5000, 6000, "C", 0}}},
    {"dot before ms, 1-digit hours", "1\n0:00:01.250 --> 0:00:02.5\nx\n",
     1, {{1250, 2500, "x", 0}}},
    {"2-digit ms", "1\n00:00:01,50 --> 01:00:00,05\nx\n",
     1, {{1500, 3600050, "x", 0}}},
    {"no milliseconds", "1\n00:00:01 --> 00:00:02\nx\n",
     1, {{1000, 2000, "x", 0}}},
    {"missing blank lines", "1\n00:00:01,000 --> 00:00:02,000\nA\n2\n00:00:03,000 --> 00:00:04,000\nB\n3\n00:00:05,000 --> 00:00:06,000\nC",
     3, {{1000, 2000, "A", 0}, {3000, 4000, "B", 0}, {5000, 6000, "C", 0}}},
    {"extra blank lines", "\n\n\n1\n00:00:01,000 --> 00:00:02,000\nA\n\n\nA2\n\n\n\n2\n00:00:03,000 --> 00:00:04,000\nB\n\n\n\n",
     2, {{1000, 2000, "A\nA2", 0}, {3000, 4000, "B", 0}}},
    {"no cue numbers", "00:00:01,000 --> 00:00:02,000\nA\n\n00:00:03,000 --> 00:00:04,000\nB\n",
     2, {{1000, 2000, "A", 0}, {3000, 4000, "B", 0}}},
    {"numbers out of order, sorted by time", "7\n00:00:05,000 --> 00:00:06,000\nlate\n\n3\n00:00:01,000 --> 00:00:02,000\nearly\n\n3\n00:00:03,000 --> 00:00:04,000\nmid\n",
     3, {{1000, 2000, "early", 0}, {3000, 4000, "mid", 0}, {5000, 6000, "late", 0}}},
    {"overlapping cues kept", "1\n00:00:01,000 --> 00:00:05,000\nA\n\n2\n00:00:02,000 --> 00:00:03,000\nB\n",
     2, {{1000, 5000, "A", 0}, {2000, 3000, "B", 0}}},
    {"blank cues skipped", "1\n00:00:01,000 --> 00:00:02,000\n   \n\n2\n00:00:02,000 --> 00:00:03,000\n<i> </i>\n\n3\n00:00:03,000 --> 00:00:04,000\n\n4\n00:00:04,000 --> 00:00:05,000\nD\n",
     1, {{4000, 5000, "D", 0}}},
    {"i b u s tags", "1\n00:00:01,000 --> 00:00:02,000\n<i>a</i> <b>b</b> <u>c</u> <s>d</s> <I>e</I>\n",
     1, {{1000, 2000, I "a" I0 " {\\b1}b{\\b0} {\\u1}c{\\u0} {\\s1}d{\\s0} " I "e" I0, 0}}},
    {"tags across lines, nested", "1\n00:00:01,000 --> 00:00:02,000\n<i>one\n<i>two</i> three</i>\n",
     1, {{1000, 2000, I "one\ntwo three" I0, 0}}},
    {"font colours", "1\n00:00:01,000 --> 00:00:02,000\n<font color=\"#FF8000\">o</font> <font color=red>r</font> <font color='#0F0'>g</font> <font face=\"x\">f</font>\n",
     1, {{1000, 2000, "{\\c&H0080FF&}o{\\c} {\\c&H0000FF&}r{\\c} {\\c&H00FF00&}g{\\c} f", 0}}},
    {"nested fonts restore the outer colour", "1\n00:00:01,000 --> 00:00:02,000\n<font color=\"#0000FF\">a<font color=\"#FFFFFF\">b</font>c</font>d\n",
     1, {{1000, 2000, "{\\c&HFF0000&}a{\\c&HFFFFFF&}b{\\c&HFF0000&}c{\\c}d", 0}}},
    {"unknown tags dropped, stray < kept", "1\n00:00:01,000 --> 00:00:02,000\n<span class=\"x\">a</span> 1 < 2 <3 <b\n",
     1, {{1000, 2000, "a 1 < 2 <3 <b", 0}}},
    {"braces become fullwidth", "1\n00:00:01,000 --> 00:00:02,000\n{note} a}b{\n",
     1, {{1000, 2000, "\xEF\xBD\x9Bnote\xEF\xBD\x9D a\xEF\xBD\x9D" "b\xEF\xBD\x9B", 0}}},
    {"{\\an8} places the cue", "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}top\n",
     1, {{1000, 2000, "top", 8}}},
    {"entities", "1\n00:00:01,000 --> 00:00:02,000\nTom &amp; Jerry &lt;3 &#x4E2D;&#25991; &bogus;\n",
     1, {{1000, 2000, "Tom & Jerry <3 中文 &bogus;", 0}}},
    {"coordinates after the timing", "1\n00:00:01,000 --> 00:00:02,000  X1:40 X2:600 Y1:20 Y2:50\nx\n",
     1, {{1000, 2000, "x", 0}}},
    {"number as text inside a cue", "1\n00:00:01,000 --> 00:00:02,000\nThe answer is\n42\nindeed\n",
     1, {{1000, 2000, "The answer is\n42\nindeed", 0}}},
    {"cue that ends before it starts is skipped", "1\n00:00:05,000 --> 00:00:01,000\nbad\n\n2\n00:00:06,000 --> 00:00:07,000\ngood\n",
     1, {{6000, 7000, "good", 0}}},
    {"trailing spaces trimmed, leading kept", "1\n00:00:01,000 --> 00:00:02,000\n  indented   \t\nnext  \n",
     1, {{1000, 2000, "  indented\nnext", 0}}},
    {"spaces around the arrow", "1\n 00:00:01,000-->00:00:02,000 \nx\n",
     1, {{1000, 2000, "x", 0}}},
    {"empty file", "", 0, {{0}}},
    {"only blank lines", "\n\r\n  \n", 0, {{0}}},
    {"Chinese text with tags", "1\n00:00:01,000 --> 00:00:03,000\n<b>注意</b>：今天讲《民法典》\n",
     1, {{1000, 3000, "{\\b1}注意{\\b0}：今天讲《民法典》", 0}}},
};

START_TEST(test_ok)
{
    const ok_case *t = &OK[_i];
    zimu_ctx c;
    zimu_cues l;
    int r = parse("sub.srt", t->in, strlen(t->in), NULL, &c, &l);
    ck_assert_msg(r == 0, "%s: %d %s", t->what, r, c.errmsg);
    ck_assert_ptr_null(l.ass_header);
    ck_assert_msg((int)l.n == t->n, "%s: %zu cues, want %d", t->what, l.n, t->n);
    for (int i = 0; i < t->n; i++) {
        const zimu_cue *q = &l.v[i];
        const want_cue *w = &t->cue[i];
        ck_assert_msg(q->start_ms == w->start && q->end_ms == w->end,
                      "%s: cue %d at %lld-%lld, want %lld-%lld", t->what, i,
                      (long long)q->start_ms, (long long)q->end_ms,
                      (long long)w->start, (long long)w->end);
        ck_assert_msg(!strcmp(q->text, w->text), "%s: cue %d text '%s', want '%s'",
                      t->what, i, q->text, w->text);
        ck_assert_msg(q->align == w->align, "%s: cue %d align %d, want %d",
                      t->what, i, q->align, w->align);
        ck_assert(q->pos_x < 0 && q->pos_y < 0);
        ck_assert_ptr_null(q->style);
        ck_assert_uint_eq(q->n_words, 0);
    }
    zimu__cues_clear(&l);
}
END_TEST

static const bad_case BAD[] = {
    {"text before the first cue", "hello\n00:00:01,000 --> 00:00:02,000\nx\n", ZIMU_ESUBS,
     "sub.srt:1: expected a cue number or a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm'"},
    {"number without timing", "\n1\nHello\n", ZIMU_ESUBS,
     "sub.srt:3: expected a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm' after cue number 1"},
    {"bad millisecond digits", "1\n00:00:01,000 --> 00:00:02,000\nx\n\n2\n00:01:02,5x --> 00:01:03,000\ny\n",
     ZIMU_ESUBS, "sub.srt:6: timestamp '00:01:02,5x' is not valid"},
    {"bad end time", "1\n00:00:01,000 --> 00:00:0x,000\nx\n", ZIMU_ESUBS,
     "sub.srt:2: timestamp '00:00:0x,000' is not valid"},
    {"minutes over 59", "1\n00:61:01,000 --> 00:62:00,000\nx\n", ZIMU_ESUBS,
     "sub.srt:2: timestamp '00:61:01,000' is not valid"},
    {"four ms digits", "1\n00:00:01,0000 --> 00:00:02,000\nx\n", ZIMU_ESUBS,
     "sub.srt:2: timestamp '00:00:01,0000' is not valid"},
    {"no arrow", "1\n00:00:01,000 00:00:02,000\nx\n", ZIMU_ESUBS,
     "sub.srt:2: timing line has no '-->' between the times"},
    {"'=>' for an arrow", "1\n00:00:01,000 => 00:00:02,000\nx\n", ZIMU_ESUBS,
     "sub.srt:2: timing line has no '-->' between the times"},
    {"loose arrow, bad time", "1\n00:00:01,000 -> 00:00:0x,000\nx\n", ZIMU_ESUBS,
     "sub.srt:2: timestamp '00:00:0x,000' is not valid"},
    {"loose arrow, bad time, no hours", "1\n00:01 -> 00:0x\nx\n", ZIMU_ESUBS,
     "sub.srt:2: expected a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm' after cue number 1"},
    {"loose arrow, no times", "-> 00:00:02,000\nx\n", ZIMU_ESUBS,
     "sub.srt:1: expected a cue number or a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm'"},
    {"loose file, garbage later", "00:01.0 -> 00:02.0\nx\n\n00:03.0 -> 00:04.0\ny\n\n3\n00:05,000 --> 00:0x,000\nz\n",
     ZIMU_ESUBS, "sub.srt:8: timestamp '00:0x,000' is not valid"},
    {"override blocks, then a bad timing line", "1\n00:00:01,000 --> 00:00:02,000\n{\\b1}x{\\b0}\n\n2\n00:00:03,000 --> 00:00:04,0z0\n{\\i1}y\n",
     ZIMU_ESUBS, "sub.srt:6: timestamp '00:00:04,0z0' is not valid"},
    {"no end time", "1\n00:00:01,000 -->\nx\n", ZIMU_ESUBS,
     "sub.srt:2: timing line has no end time"},
    {"broken timing line later in a CRLF file", "1\r\n00:00:01,000 --> 00:00:02,000\r\nx\r\n\r\n2\r\n00:00:03,000 --> garbage\r\ny\r\n",
     ZIMU_ESUBS, "sub.srt:6: timestamp 'garbage' is not valid"},
    {"broken timing line in a CR file", "1\r00:00:01,000 --> 00:00:02,000\rx\r\r2\r00:00:03,000 --> 00:00:04,000\ry\r\r3\r00:00:05;000 --> 00:00:06,000\r",
     ZIMU_ESUBS, "sub.srt:10: timestamp '00:00:05;000' is not valid"},
    {"arrow in text", "1\n00:00:01,000 --> 00:00:02,000\nx\n\nthis --> that\n", ZIMU_ESUBS,
     "sub.srt:5: timestamp 'this' is not valid"},
};

START_TEST(test_bad)
{
    const bad_case *t = &BAD[_i];
    zimu_ctx c;
    zimu_cues l;
    int r = parse("sub.srt", t->in, strlen(t->in), NULL, &c, &l);
    ck_assert_msg(r == t->code, "%s: returned %d, want %d (%s)", t->what, r,
                  t->code, c.errmsg);
    ck_assert_msg(!strcmp(c.errmsg, t->msg), "%s: message '%s', want '%s'",
                  t->what, c.errmsg, t->msg);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_ptr_null(l.v);
}
END_TEST

/* ASS override blocks inside SRT text: kept when they style text, taken
 * as the cue's place (\an, \pos in the 384x288 canvas), dropped with
 * their drawing (\p1), dropped otherwise; "{hello}" stays text. And
 * HTML-like tags written with stray spaces. */
typedef struct {
    const char *what, *line; /* one line of cue text */
    const char *text;
    int align;
    double x, y;
} tag_case;

#define FW_L "\xEF\xBD\x9B" /* fullwidth braces: literal text */
#define FW_R "\xEF\xBD\x9D"

static const tag_case TAGS[] = {
    {"bold", "{\\b1}bold{\\b0} not", "{\\b1}bold{\\b0} not", 0, -1, -1},
    {"italic underline strike", "{\\i1}i{\\i0}{\\u1}u{\\u0}{\\s1}s{\\s0}",
     "{\\i1}i{\\i0}{\\u1}u{\\u0}{\\s1}s{\\s0}", 0, -1, -1},
    {"colours and alpha", "{\\c&H00FFFF&}y{\\c}{\\1c&HFF0000&\\3c&H000000&\\alpha&H80&}b",
     "{\\c&H00FFFF&}y{\\c}{\\1c&HFF0000&\\3c&H000000&\\alpha&H80&}b", 0, -1, -1},
    {"several tags, some dropped", "{\\fad(200,200)}{\\b1\\fs40\\fnArial\\bord3}x",
     "{\\fad(200,200)}{\\b1}x", 0, -1, -1},
    {"canvas tags dropped", "{\\move(0,0,100,100)\\clip(0,0,10,10)\\t(\\frz30)\\k20\\frz5}x", "x", 0, -1, -1},
    {"\\pos places the cue", "{\\pos(192,144)}mid", "mid", 0, 0.5, 0.5},
    {"\\an and \\pos", "{\\an7\\pos(96,72)}x", "x", 7, 0.25, 0.25},
    {"first \\an and \\pos win", "{\\an7}{\\an3\\pos(0,0)}x{\\pos(384,288)}", "x", 7, 0, 0},
    {"\\pos outside the canvas", "{\\pos(400,-5)}x", "x", 0, 1, 0},
    {"legacy \\a6 is top centre", "{\\a6}x", "x", 8, -1, -1},
    {"drawing dropped", "{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}after", "after", 0, -1, -1},
    {"drawing scales: any digits", "{\\p00}a{\\p99999999999}m 0 0 l 9 9{\\p000}b", "ab", 0, -1, -1},
    {"drawing with styling", "{\\c&H0000FF&\\p2}m 0 0 l 9 9{\\p0\\b1}x", "{\\c&H0000FF&}{\\b1}x", 0, -1, -1},
    {"\\r kept", "{\\b1}a{\\r}b", "{\\b1}a{\\r}b", 0, -1, -1},
    {"no backslash: text", "{hello} x", FW_L "hello" FW_R " x", 0, -1, -1},
    {"unclosed block: text", "a {\\b1 b", "a " FW_L "\\b1 b", 0, -1, -1},
    {"empty block dropped", "{\\}x", "x", 0, -1, -1},
    {"spaced tags", "< i>a</ i > < u>b< /u> <b >c</b > <S>d</ s>",
     "{\\i1}a{\\i0} {\\u1}b{\\u0} {\\b1}c{\\b0} {\\s1}d{\\s0}", 0, -1, -1},
    {"spaced but not a tag", "x < b and c > d < i", "x < b and c > d < i", 0, -1, -1},
    {"tags and Chinese", "{\\an8}{\\c&H00D7FF&}注意{\\c}：< b>今天</b >", "{\\c&H00D7FF&}注意{\\c}：{\\b1}今天{\\b0}", 8, -1, -1},
};

START_TEST(test_tags)
{
    const tag_case *t = &TAGS[_i];
    char in[512];
    snprintf(in, sizeof in, "1\n00:00:01,000 --> 00:00:02,000\n%s\n", t->line);
    zimu_ctx c;
    zimu_cues l;
    int r = parse("sub.srt", in, strlen(in), NULL, &c, &l);
    ck_assert_msg(r == 0, "%s: %d %s", t->what, r, c.errmsg);
    ck_assert_msg(l.n == 1, "%s: %zu cues", t->what, l.n);
    const zimu_cue *q = &l.v[0];
    ck_assert_msg(!strcmp(q->text, t->text), "%s: text '%s', want '%s'", t->what, q->text,
                  t->text);
    ck_assert_msg(q->align == t->align, "%s: align %d, want %d", t->what, q->align, t->align);
    ck_assert_msg(q->pos_x > t->x - 1e-9 && q->pos_x < t->x + 1e-9 &&
                  q->pos_y > t->y - 1e-9 && q->pos_y < t->y + 1e-9,
                  "%s: place %g,%g, want %g,%g", t->what, q->pos_x, q->pos_y, t->x, t->y);
    zimu__cues_clear(&l);
}
END_TEST

/* A cue that is only a drawing (and tags) shows nothing: skipped. */
START_TEST(test_tags_only_drawing)
{
    const char *in = "1\n00:00:01,000 --> 00:00:02,000\n{\\an8\\p1}m 0 0 l 10 0 10 10{\\p0}\n\n"
                     "2\n00:00:03,000 --> 00:00:04,000\nB\n";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("sub.srt", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.v[0].text, "B");
    zimu__cues_clear(&l);
}
END_TEST

/* Loose SRT as people type it: read, with one warning per file naming
 * the first loose line. */
typedef struct {
    const char *what, *in;
    int n;
    want_cue cue[MAXC];
    const char *warning; /* the only warning, or NULL for none */
} loose_case;

#define LOOSE_TAIL "; read as meant, and such lines after it are not reported"

static const loose_case LOOSE[] = {
    {"single-dash arrow", "1\n00:00:01,000 -> 00:00:02,000\nx\n",
     1, {{1000, 2000, "x", 0}}, "sub.srt:2: loose SubRip (an arrow that is not '-->')" LOOSE_TAIL},
    {"long arrow, spaces around", "1\n00:00:01,000--->00:00:02,000\nx\n",
     1, {{1000, 2000, "x", 0}}, "sub.srt:2: loose SubRip (an arrow that is not '-->')" LOOSE_TAIL},
    {"no cue numbers", "00:00:01,000 --> 00:00:02,000\nA\n\n00:00:03,000 --> 00:00:04,000\nB\n",
     2, {{1000, 2000, "A", 0}, {3000, 4000, "B", 0}}, "sub.srt:1: loose SubRip (no cue number)" LOOSE_TAIL},
    {"second cue without a number", "1\n00:00:01,000 --> 00:00:02,000\nA\n\n00:00:03,000 --> 00:00:04,000\nB\n",
     2, {{1000, 2000, "A", 0}, {3000, 4000, "B", 0}}, "sub.srt:5: loose SubRip (no cue number)" LOOSE_TAIL},
    {"indented cues", "  1\n  00:00:01,000 --> 00:00:02,000\n  hello\n\n\t2\n\t00:00:03,000 --> 00:00:04,000\n\t<i>world</i>\n",
     2, {{1000, 2000, "hello", 0}, {3000, 4000, "{\\i1}world{\\i0}", 0}},
     "sub.srt:1: loose SubRip (spaces before the cue number or times)" LOOSE_TAIL},
    {"dot before the milliseconds", "1\n00:00:01.000 --> 00:00:02.000\nx\n",
     1, {{1000, 2000, "x", 0}}, "sub.srt:2: loose SubRip ('.' before the milliseconds)" LOOSE_TAIL},
    {"no hours", "1\n00:01,000 --> 01:02,500\nx\n",
     1, {{1000, 62500, "x", 0}}, "sub.srt:2: loose SubRip (a time without hours)" LOOSE_TAIL},
    {"everything at once, told once",
     "00:01.5 -> 00:03\n一\n\n 00:04.0 -> 00:05.0\n二\n\n3\n00:00:06,000 --> 00:00:07,000\n三\n",
     3, {{1500, 3000, "一", 0}, {4000, 5000, "二", 0}, {6000, 7000, "三", 0}},
     "sub.srt:1: loose SubRip (an arrow that is not '-->', no cue number, '.' before the "
     "milliseconds, a time without hours)" LOOSE_TAIL},
    {"strict file: no warning", "1\n00:00:01,000 --> 00:00:02,000\nx\n\n2\n00:00:03,000 --> 00:00:04,000\ny\n",
     2, {{1000, 2000, "x", 0}, {3000, 4000, "y", 0}}, NULL},
    {"'->' inside a cue's text stays text", "1\n00:00:01,000 --> 00:00:05,000\nscore\n1:30 -> 2:00\n",
     1, {{1000, 5000, "score\n1:30 -> 2:00", 0}}, NULL},
};

typedef struct {
    int n;
    char first[512];
} warnings;

static void on_log(void *opaque, int level, const char *msg)
{
    warnings *w = opaque;
    if (level != ZIMU_LOG_WARNING)
        return;
    if (!w->n++)
        snprintf(w->first, sizeof w->first, "%s", msg);
}

START_TEST(test_loose)
{
    const loose_case *t = &LOOSE[_i];
    warnings w = {0};
    zimu_ctx c = {.log_cb = on_log, .log_opaque = &w, .log_level = ZIMU_LOG_WARNING};
    zimu_cues l = {0};
    char *buf = malloc(strlen(t->in));
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, t->in, strlen(t->in));
    int r = zimu__subs_parse(&c, "sub.srt", buf, strlen(t->in), NULL, &l);
    free(buf);
    ck_assert_msg(r == 0, "%s: %d %s", t->what, r, c.errmsg);
    ck_assert_msg((int)l.n == t->n, "%s: %zu cues, want %d", t->what, l.n, t->n);
    for (int i = 0; i < t->n; i++) {
        const zimu_cue *q = &l.v[i];
        ck_assert_msg(q->start_ms == t->cue[i].start && q->end_ms == t->cue[i].end,
                      "%s: cue %d at %lld-%lld", t->what, i, (long long)q->start_ms,
                      (long long)q->end_ms);
        ck_assert_msg(!strcmp(q->text, t->cue[i].text), "%s: cue %d text '%s', want '%s'",
                      t->what, i, q->text, t->cue[i].text);
    }
    ck_assert_msg(w.n == (t->warning ? 1 : 0), "%s: %d warnings (first: %s)", t->what, w.n,
                  w.first);
    if (t->warning)
        ck_assert_msg(!strcmp(w.first, t->warning), "%s: warning '%s', want '%s'", t->what,
                      w.first, t->warning);
    zimu__cues_clear(&l);
}
END_TEST

/* The format is taken from the content first: SRT named .txt is SRT; text
 * that is no format at all, with an SRT name, fails as SRT. */
START_TEST(test_detect)
{
    const char *srt = "1\n00:00:01,000 --> 00:00:02,000\nx\n";
    ck_assert_int_eq(zimu__subs_detect("a.txt", srt, strlen(srt)), ZIMU__SUBS_SRT);
    ck_assert_int_eq(zimu__subs_detect(NULL, srt, strlen(srt)), ZIMU__SUBS_SRT);
    const char *nonum = "\n\n00:00:01,000 --> 00:00:02,000\nx\n";
    ck_assert_int_eq(zimu__subs_detect("x", nonum, strlen(nonum)), ZIMU__SUBS_SRT);
    const char *plain = "just words\nmore words\n";
    ck_assert_int_eq(zimu__subs_detect("a.srt", plain, strlen(plain)), ZIMU__SUBS_SRT);
    ck_assert_int_eq(zimu__subs_detect("dir.v2/a.SRT", plain, strlen(plain)), ZIMU__SUBS_SRT);
    ck_assert_int_eq(zimu__subs_detect("a", plain, strlen(plain)), ZIMU__SUBS_AUTO);

    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("notes.txt", srt, strlen(srt), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.v[0].text, "x");
    zimu__cues_clear(&l);

    ck_assert_int_eq(parse("x.srt", plain, strlen(plain), NULL, &c, &l), ZIMU_ESUBS);
    ck_assert_str_eq(c.errmsg, "x.srt:1: expected a cue number or a timing line "
                               "'HH:MM:SS,mmm --> HH:MM:SS,mmm'");
    ck_assert_int_eq(parse("x.bin", plain, strlen(plain), NULL, &c, &l), ZIMU_ESUBS);
    ck_assert_msg(!strncmp(c.errmsg, "x.bin:1: not a caption format", 29), "%s", c.errmsg);
    ck_assert_int_eq(parse(NULL, plain, strlen(plain), NULL, &c, &l), ZIMU_ESUBS);
    ck_assert_msg(!strncmp(c.errmsg, "subtitles:1: ", 13), "%s", c.errmsg);

    /* A forced format wins over the content. */
    zimu_subs_opts o = {.format = ZIMU__SUBS_TXT};
    ck_assert_int_eq(parse("a.srt", srt, strlen(srt), &o, &c, &l), 0);
    ck_assert_uint_eq(l.n, 3);
    zimu__cues_clear(&l);
}
END_TEST

/* The parser itself, called directly, appends to a list. */
START_TEST(test_direct_append)
{
    zimu_ctx c = {0};
    zimu_cues l = {0};
    const char *a = "1\n00:00:01,000 --> 00:00:02,000\nA\n";
    const char *b = "1\n00:00:03,000 --> 00:00:04,000\nB";
    ck_assert_int_eq(zimu__parse_srt(&c, "a", a, strlen(a), &l), 0);
    ck_assert_int_eq(zimu__parse_srt(&c, "b", b, strlen(b), &l), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.v[1].text, "B");
    zimu__cues_clear(&l);
}
END_TEST

/* A cue with many lines and a long file: line numbers stay right. */
START_TEST(test_long_file_line_number)
{
    zimu_sbuf b = {0};
    for (int i = 0; i < 500; i++)
        zimu__sb_printf(&b, "%d\n%02d:%02d:%02d,000 --> %02d:%02d:%02d,500\nline %d\n\n",
                        i + 1, i / 3600, i / 60 % 60, i % 60, i / 3600,
                        i / 60 % 60, i % 60, i);
    zimu__sb_adds(&b, "501\n00:10:00,000 --> 00:10:0x,000\nbad\n");
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("big.srt", b.s, b.len, NULL, &c, &l), ZIMU_ESUBS);
    ck_assert_str_eq(c.errmsg, "big.srt:2002: timestamp '00:10:0x,000' is not valid");
    b.len -= strlen("501\n00:10:00,000 --> 00:10:0x,000\nbad\n");
    ck_assert_int_eq(parse("big.srt", b.s, b.len, NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 500);
    ck_assert_int_eq(l.v[499].start_ms, 499000);
    ck_assert_int_eq(l.v[499].end_ms, 499500);
    ck_assert_str_eq(l.v[499].text, "line 499");
    zimu__cues_clear(&l);
    zimu__sb_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("srt");
    TCase *tc = tcase_create("srt");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_loop_test(tc, test_ok, 0, sizeof OK / sizeof OK[0]);
    tcase_add_loop_test(tc, test_bad, 0, sizeof BAD / sizeof BAD[0]);
    tcase_add_loop_test(tc, test_tags, 0, sizeof TAGS / sizeof TAGS[0]);
    tcase_add_test(tc, test_tags_only_drawing);
    tcase_add_loop_test(tc, test_loose, 0, sizeof LOOSE / sizeof LOOSE[0]);
    tcase_add_test(tc, test_detect);
    tcase_add_test(tc, test_direct_append);
    tcase_add_test(tc, test_long_file_line_number);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
