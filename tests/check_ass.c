/* check_ass.c - ASS/SSA scripts: read as their header and their events
 * (cues), written back byte for byte (as UTF-8, Comment lines aside);
 * refused with file and line when libass would silently drop parts of
 * them; the events as cues (times, style, layer, text, karaoke words). */
#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ass_track.h"
#include "cuetext.h"
#include "sbuf.h"
#include "parsers.h"
#include "subs.h"
#include "util_ass.h"

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

#define HEAD                                                                 \
    "[Script Info]\n"                                                        \
    "; made by hand\n"                                                       \
    "ScriptType: v4.00+\n"                                                   \
    "PlayResX: 1080\n"                                                       \
    "PlayResY: 1920\n"                                                       \
    "\n"                                                                     \
    "[V4+ Styles]\n"                                                         \
    TU_ASS_STYLE_FORMAT                                                      \
    "Style: Default,微软雅黑,80,&H00FFFFFF,&H000000FF,&H00000000,&H00000000," \
    "0,0,0,0,100,100,0,0,1,3,0,2,10,10,10,1\n"                               \
    "Style: Top,SimHei,60,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,"      \
    "0,0,0,0,100,100,0,0,1,3,0,8,10,10,10,1\n"                               \
    "\n"
#define EVENTS                                                               \
    "[Events]\n"                                                             \
    TU_ASS_EVENT_FORMAT

static const char GOOD[] =
    HEAD EVENTS
    "Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,你好，世界\n"
    "Comment: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,not shown\n"
    "Dialogue: 1,0:00:03.00,0:00:05.00,Top,,0,0,0,,{\\b1}Bold{\\b0}, with, commas\\Nnext\n";

/* The script written back from its header and events. */
static char *written(zimu_ctx *c, const zimu_cues *l)
{
    zimu_sbuf b = {0};
    ck_assert_int_eq(zimu__ass_script_write(c, l, &b), 0);
    return zimu__sb_take(&b);
}

START_TEST(test_header_and_events)
{
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("sub.ass", GOOD, strlen(GOOD), NULL, &c, &l), 0);
    ck_assert_ptr_nonnull(l.ass_header);
    ck_assert_str_eq(l.ass_header, HEAD EVENTS);
    ck_assert_uint_eq(l.ass_header_len, strlen(HEAD EVENTS));
    ck_assert_uint_eq(l.ass_events_at, strlen(HEAD EVENTS));
    ck_assert_uint_eq(l.n, 2); /* the Comment is no event */
    ck_assert_ptr_nonnull(l.v[0].ass);
    ck_assert_str_eq(l.v[0].ass->style, "Default");
    ck_assert_str_eq(l.v[1].ass->text, "{\\b1}Bold{\\b0}, with, commas\\Nnext");
    char *w = written(&c, &l);
    ck_assert_str_eq(w, HEAD EVENTS
                     "Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,你好，世界\n"
                     "Dialogue: 1,0:00:03.00,0:00:05.00,Top,,0,0,0,,{\\b1}Bold{\\b0}, with, "
                     "commas\\Nnext\n");
    free(w);
    zimu__cues_clear(&l);
}
END_TEST

/* Events go back where they were, before a section that follows them;
 * the fields in the Format line's order; raw text with its spaces. */
START_TEST(test_events_in_place)
{
    const char *in = "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
                     "\n[Events]\nFormat: Start, End, Style, Name, MarginL, MarginR, "
                     "MarginV, Effect, Layer, Text\n"
                     "Dialogue: 0:00:02.00,0:00:03.00,Default,Bob,1,2,3,Scroll up;1;2;3,4, "
                     "two  \n"
                     "Comment: 0:00:00.00,0:00:09.00,Default,,0,0,0,,note\n"
                     "Dialogue: 0:00:01.00,0:00:02.00,*Default,,0,0,0,,4,one\n"
                     "\n[Fonts]\nfontname: x.ttf\n";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("sub.ass", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.v[0].text, "one"); /* sorted by start */
    ck_assert_ptr_null(l.v[0].style);
    ck_assert_str_eq(l.v[0].ass->style, "*Default");
    ck_assert_int_eq(l.v[0].ass->order, 1);
    const zimu_ass_event *e = l.v[1].ass;
    ck_assert_str_eq(e->name, "Bob");
    ck_assert_str_eq(e->effect, "Scroll up;1;2;3");
    ck_assert_int_eq(e->margin_l, 1);
    ck_assert_int_eq(e->margin_r, 2);
    ck_assert_int_eq(e->margin_v, 3);
    ck_assert_int_eq(l.v[1].layer, 4);
    ck_assert_str_eq(e->text, " two  ");
    ck_assert_int_eq(e->order, 0);
    char *w = written(&c, &l);
    ck_assert_str_eq(w, "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
                     "\n[Events]\nFormat: Start, End, Style, Name, MarginL, MarginR, "
                     "MarginV, Effect, Layer, Text\n"
                     "Dialogue: 0:00:02.00,0:00:03.00,Default,Bob,1,2,3,Scroll up;1;2;3,4, "
                     "two  \n"
                     "Dialogue: 0:00:01.00,0:00:02.00,*Default,,0,0,0,,4,one\n"
                     "\n[Fonts]\nfontname: x.ttf\n");
    free(w);
    zimu__cues_clear(&l);
}
END_TEST

/* A BOM is dropped; CRLF kept; detection by content whatever the name. */
START_TEST(test_bom_crlf_name)
{
    const char *in = "\xEF\xBB\xBF[Script Info]\r\nScriptType: v4.00+\r\n\r\n"
                     "[Events]\r\nFormat: Layer, Start, End, Style, Text\r\n"
                     "Dialogue: 0,0:00:00.00,0:00:01.00,Default,x\r\n";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("subs.txt", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_ptr_nonnull(l.ass_header);
    ck_assert_str_eq(l.ass_header, "[Script Info]\r\nScriptType: v4.00+\r\n\r\n"
                     "[Events]\r\nFormat: Layer, Start, End, Style, Text\r\n");
    ck_assert_uint_eq(l.n, 1);
    char *w = written(&c, &l);
    ck_assert_str_eq(w, in + 3);
    free(w);
    zimu__cues_clear(&l);
}
END_TEST

/* An SSA (v4) script with its Marked field; comments before the header. */
START_TEST(test_ssa)
{
    const char *in = "; exported\n[Script Info]\nScriptType: v4.00\n\n[V4 Styles]\n"
                     "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
                     "TertiaryColour, BackColour, Bold, Italic, BorderStyle, Outline, "
                     "Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding\n"
                     "Style: Default,Arial,20,16777215,65535,65535,-2147483640,-1,0,1,3,0,2,30,30,30,0,0\n\n"
                     "[Events]\nFormat: Marked, Start, End, Style, Name, MarginL, MarginR, "
                     "MarginV, Effect, Text\n"
                     "Dialogue: Marked=0,0:00:01.20,0:00:02.00,Default,,0000,0000,0000,,SSA line\n";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("old.ssa", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_int_eq(l.v[0].start_ms, 1200);
    ck_assert_int_eq(l.v[0].end_ms, 2000);
    ck_assert_str_eq(l.v[0].text, "SSA line");
    /* Written back as it was: Marked as SSA has it, margins of 4 digits. */
    char *w = written(&c, &l);
    ck_assert_str_eq(w, in);
    free(w);
    zimu__cues_clear(&l);
}
END_TEST

/* A UTF-16 script becomes a UTF-8 one. */
START_TEST(test_utf16)
{
    size_t n = strlen(GOOD);
    char *u16 = malloc(2 * n + 2);
    u16[0] = (char)0xFF;
    u16[1] = (char)0xFE;
    iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    char *in = (char *)GOOD, *op = u16 + 2;
    size_t il = n, ol = 2 * n;
    ck_assert(iconv(cd, &in, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("sub.ass", u16, (size_t)(op - u16), NULL, &c, &l), 0);
    ck_assert_str_eq(l.ass_header, HEAD EVENTS);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.v[0].text, "你好，世界");
    zimu__cues_clear(&l);
    free(u16);
}
END_TEST

typedef struct {
    const char *what, *in, *msg;
} bad_case;

static const bad_case BAD[] = {
    {"no [Script Info]",
     "[V4+ Styles]\n\n[Events]\nFormat: Start, End, Text\nDialogue: 0:00:00.00,0:00:01.00,x\n",
     "sub.ass:1: no [Script Info] section: not an ASS/SSA script"},
    {"no [Events]", HEAD, "sub.ass:11: no [Events] section"},
    {"[Events] without a Format line",
     HEAD "[Events]\n; nothing\n\n[Fonts]\n", "sub.ass:12: [Events] has no Format line"},
    {"Dialogue before Format",
     HEAD "[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,x\n",
     "sub.ass:13: Dialogue line before the Format line of [Events]"},
    {"Format without Text last",
     HEAD "[Events]\nFormat: Layer, Start, End, Text, Style\n",
     "sub.ass:13: the Format line of [Events] must name Start and End, and Text last"},
    {"Format without End",
     HEAD "[Events]\nFormat: Layer, Start, Style, Text\n",
     "sub.ass:13: the Format line of [Events] must name Start and End, and Text last"},
    {"bad time, then too few fields",
     HEAD EVENTS "Dialogue: 0,0:00:0x.00,0:00:02.00,Default,,0,0,0,,skipped\n"
                 "Dialogue: 0,0:00:01.00,0:00:02.00,Default\n",
     "sub.ass:15: Dialogue line has 4 fields, the Format line names 10"},
    {"too few fields",
     HEAD EVENTS "Dialogue: 0,0:00:01.00,0:00:02.00,Default\n",
     "sub.ass:14: Dialogue line has 4 fields, the Format line names 10"},
};

START_TEST(test_bad)
{
    const bad_case *t = &BAD[_i];
    zimu_ctx c;
    zimu_cues l;
    int r = parse("sub.ass", t->in, strlen(t->in), NULL, &c, &l);
    ck_assert_msg(r == ZIMU_ESUBS, "%s: %d (%s)", t->what, r, c.errmsg);
    ck_assert_msg(!strcmp(c.errmsg, t->msg), "%s: '%s', want '%s'", t->what,
                  c.errmsg, t->msg);
    ck_assert_ptr_null(l.ass_header);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

/* A time libass cannot read (it reads 0 and keeps the event) skips that
 * event alone; a negative time is 0; a time without a fraction is whole
 * seconds. Each with a warning naming the line; the other events stay,
 * and the script written back holds what was kept. */
typedef struct {
    const char *what, *events; /* Dialogue lines from line 14 on */
    int n;
    struct { int64_t start, end; const char *text; } cue[3];
    const char *warn[3]; /* the warnings, in order */
    const char *written; /* the events written back */
} time_case;

#define GOOD_EVENT "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,good\n"

static const time_case TIMES[] = {
    {"bad start", "Dialogue: 0,0:00:0x.00,0:00:02.00,Default,,0,0,0,,bad\n" GOOD_EVENT,
     1, {{5000, 6000, "good"}},
     {"sub.ass:14: time '0:00:0x.00' is not valid; event skipped"}, GOOD_EVENT},
    {"bad end", GOOD_EVENT "Dialogue: 0,0:00:01.00,1:2,Default,,0,0,0,,bad\n",
     1, {{5000, 6000, "good"}}, {"sub.ass:15: time '1:2' is not valid; event skipped"},
     GOOD_EVENT},
    {"no hours", "Dialogue: 0,0:01.00,0:02.00,Default,,0,0,0,,bad\n" GOOD_EVENT,
     1, {{5000, 6000, "good"}}, {"sub.ass:14: time '0:01.00' is not valid; event skipped"},
     GOOD_EVENT},
    {"empty time", "Dialogue: 0,,0:00:02.00,Default,,0,0,0,,bad\n" GOOD_EVENT,
     1, {{5000, 6000, "good"}}, {"sub.ass:14: time '' is not valid; event skipped"},
     GOOD_EVENT},
    {"negative start", "Dialogue: 0,-0:00:01.00,0:00:03.00,Default,,0,0,0,,early\n" GOOD_EVENT,
     2, {{0, 3000, "early"}, {5000, 6000, "good"}},
     {"sub.ass:14: time '-0:00:01.00' is negative; 0:00:00.00 used"},
     "Dialogue: 0,0:00:00.00,0:00:03.00,Default,,0,0,0,,early\n" GOOD_EVENT},
    {"negative start and end", "Dialogue: 0,-0:00:02.00,-0:00:01.00,Default,,0,0,0,,gone\n" GOOD_EVENT,
     1, {{5000, 6000, "good"}},
     {"sub.ass:14: time '-0:00:02.00' is negative; 0:00:00.00 used",
      "sub.ass:14: time '-0:00:01.00' is negative; 0:00:00.00 used"}, GOOD_EVENT},
    {"no fractions", "Dialogue: 0,0:00:01,0:00:02,Default,,0,0,0,,whole\n" GOOD_EVENT,
     2, {{1000, 2000, "whole"}, {5000, 6000, "good"}},
     {"sub.ass:14: time '0:00:01' has no fraction; read as 0:00:01.00",
      "sub.ass:14: time '0:00:02' has no fraction; read as 0:00:02.00"},
     "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,whole\n" GOOD_EVENT},
    {"every event bad", "Dialogue: 0,x,0:00:02.00,Default,,0,0,0,,a\nDialogue: 0,0:00:01.00,y,Default,,0,0,0,,b\n",
     0, {{0}}, {"sub.ass:14: time 'x' is not valid; event skipped",
                "sub.ass:15: time 'y' is not valid; event skipped"}, ""},
};

typedef struct {
    int n;
    char msg[3][200];
} warnings;

static void on_log(void *opaque, int level, const char *msg)
{
    warnings *w = opaque;
    if (level == ZIMU_LOG_WARNING && w->n < 3)
        snprintf(w->msg[w->n++], sizeof w->msg[0], "%s", msg);
}

START_TEST(test_bad_times)
{
    const time_case *t = &TIMES[_i];
    char in[4096];
    snprintf(in, sizeof in, "%s%s", HEAD EVENTS, t->events);
    warnings w = {0};
    zimu_ctx c = {.log_cb = on_log, .log_opaque = &w, .log_level = ZIMU_LOG_WARNING};
    zimu_cues l = {0};
    ck_assert_msg(zimu__parse_ass(&c, "sub.ass", in, strlen(in), &l) == 0, "%s: %s", t->what,
                  c.errmsg);
    ck_assert_msg((int)l.n == t->n, "%s: %zu cues", t->what, l.n);
    for (int i = 0; i < t->n; i++)
        ck_assert_msg(l.v[i].start_ms == t->cue[i].start && l.v[i].end_ms == t->cue[i].end &&
                          !strcmp(l.v[i].text, t->cue[i].text),
                      "%s: cue %d %lld-%lld '%s'", t->what, i, (long long)l.v[i].start_ms,
                      (long long)l.v[i].end_ms, l.v[i].text);
    int nw = 0;
    while (nw < 3 && t->warn[nw])
        nw++;
    ck_assert_msg(w.n == nw, "%s: %d warnings, want %d (%s)", t->what, w.n, nw, w.msg[0]);
    for (int i = 0; i < nw; i++)
        ck_assert_msg(!strcmp(w.msg[i], t->warn[i]), "%s: warning '%s', want '%s'", t->what,
                      w.msg[i], t->warn[i]);
    char *out = written(&c, &l);
    char want[4096];
    snprintf(want, sizeof want, "%s%s", HEAD EVENTS, t->written);
    ck_assert_msg(!strcmp(out, want), "%s: written\n%s", t->what, out);
    free(out);
    zimu__cues_clear(&l);
}
END_TEST

/* Events read back as cues: times in ms, style, layer, \N, override blocks
 * kept, sorted by start. */
START_TEST(test_to_cues)
{
    zimu_ctx c = {0};
    zimu_cues l = {0};
    const char *in = HEAD EVENTS
        "Dialogue: 0,0:00:03.00,0:00:05.00,Top,,0,0,0,,{\\b1}Bold{\\b0}, with, commas\\Nnext\\nsoft\n"
        "Dialogue: 2,0:00:01.00,0:00:02.50,Default,,0,0,0,,你好\n"
        "Dialogue: 0,0:00:06.00,0:00:06.00,Default,,0,0,0,,zero length\n"
        "Dialogue: 0,1:00:00.05,1:00:01.5,Default,,0,0,0,,late\n";
    ck_assert_int_eq(parse("sub.ass", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_int_eq(l.v[0].start_ms, 1000);
    ck_assert_int_eq(l.v[0].end_ms, 2500);
    ck_assert_str_eq(l.v[0].text, "你好");
    ck_assert_ptr_null(l.v[0].style);
    ck_assert_int_eq(l.v[0].layer, 2);
    ck_assert_str_eq(l.v[1].text, "{\\b1}Bold{\\b0}, with, commas\nnext\nsoft");
    ck_assert_str_eq(l.v[1].style, "Top");
    ck_assert_str_eq(l.v[1].ass->text, "{\\b1}Bold{\\b0}, with, commas\\Nnext\\nsoft");
    ck_assert_int_eq(l.v[2].start_ms, 3600050);
    /* "1.5" is 1 s and 5 centiseconds, as libass reads it */
    ck_assert_int_eq(l.v[2].end_ms, 3601050);
    zimu__cues_clear(&l);
}
END_TEST

/* Karaoke tags give word timings. */
START_TEST(test_karaoke_words)
{
    zimu_ctx c = {0};
    zimu_cues l = {0};
    const char *in = HEAD EVENTS
        "Dialogue: 0,0:00:10.00,0:00:13.00,Default,,0,0,0,,{\\k50}今天{\\kf100}天气 {\\K30}{\\c&H00FF00&}很好\n";
    ck_assert_int_eq(parse("k.ass", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    const zimu_cue *q = &l.v[0];
    ck_assert_uint_eq(q->n_words, 3);
    const char *want[] = {"今天", "天气 ", "{\\c&H00FF00&}很好"};
    int64_t ws[] = {10000, 10500, 11500}, we[] = {10500, 11500, 11800};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(q->words[i].start_ms, ws[i]);
        ck_assert_int_eq(q->words[i].end_ms, we[i]);
        ck_assert_uint_le(q->words[i].off + q->words[i].len, strlen(q->text));
        ck_assert_msg(q->words[i].len == strlen(want[i]) &&
                          !memcmp(q->text + q->words[i].off, want[i], q->words[i].len),
                      "word %d: '%.*s'", i, (int)q->words[i].len, q->text + q->words[i].off);
    }
    zimu__cues_clear(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ass");
    TCase *tc = tcase_create("ass");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_header_and_events);
    tcase_add_test(tc, test_events_in_place);
    tcase_add_test(tc, test_bom_crlf_name);
    tcase_add_test(tc, test_ssa);
    tcase_add_test(tc, test_utf16);
    tcase_add_loop_test(tc, test_bad, 0, sizeof BAD / sizeof BAD[0]);
    tcase_add_loop_test(tc, test_bad_times, 0, sizeof TIMES / sizeof TIMES[0]);
    tcase_add_test(tc, test_to_cues);
    tcase_add_test(tc, test_karaoke_words);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
