/* check_whisper.c - whisper.cpp JSON (-oj segments, -ojf tokens): cues,
 * words from tokens (special tokens skipped, characters split over tokens
 * joined), and broken files failing with file and line. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"
#include "subs.h"

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

static void check_word(const zimu_cue *q, size_t k, const char *text,
                       int64_t s, int64_t e)
{
    ck_assert_msg(k < q->n_words, "word %zu missing (%zu words)", k, q->n_words);
    const zimu_word *w = &q->words[k];
    ck_assert_uint_le(w->off + w->len, strlen(q->text));
    ck_assert_msg(w->len == strlen(text) && !memcmp(q->text + w->off, text, w->len),
                  "word %zu is '%.*s', want '%s'", k, (int)w->len, q->text + w->off, text);
    ck_assert_msg(w->start_ms == s && w->end_ms == e, "word %zu '%s' at %lld-%lld, want %lld-%lld",
                  k, text, (long long)w->start_ms, (long long)w->end_ms, (long long)s,
                  (long long)e);
}

/* -oj output: segments only. */
static const char OJ[] =
    "{\n"
    "\t\"systeminfo\": \"AVX = 1 | ...\",\n"
    "\t\"model\": {\"type\": \"base\", \"multilingual\": true, \"vocab\": 51865},\n"
    "\t\"params\": {\"model\": \"models/ggml-base.bin\", \"language\": \"zh\", \"translate\": false},\n"
    "\t\"result\": {\"language\": \"zh\"},\n"
    "\t\"transcription\": [\n"
    "\t\t{\n"
    "\t\t\t\"timestamps\": {\"from\": \"00:00:00,000\", \"to\": \"00:00:02,480\"},\n"
    "\t\t\t\"offsets\": {\"from\": 0, \"to\": 2480},\n"
    "\t\t\t\"text\": \" 大家好，欢迎收看{法律}讲堂。\"\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"timestamps\": {\"from\": \"00:00:02,480\", \"to\": \"00:00:05,000\"},\n"
    "\t\t\t\"offsets\": {\"from\": 2480, \"to\": 5000},\n"
    "\t\t\t\"text\": \" Escaped \\\"quotes\\\" and \\\\ backslash \\u4e2d\"\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"timestamps\": {\"from\": \"00:00:05,000\", \"to\": \"00:00:06,000\"},\n"
    "\t\t\t\"offsets\": {\"from\": 5000, \"to\": 6000},\n"
    "\t\t\t\"text\": \"   \"\n"
    "\t\t}\n"
    "\t]\n"
    "}\n";

START_TEST(test_segments)
{
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("clip.json", OJ, strlen(OJ), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_int_eq(l.v[0].start_ms, 0);
    ck_assert_int_eq(l.v[0].end_ms, 2480);
    ck_assert_str_eq(l.v[0].text, "大家好，欢迎收看\xEF\xBD\x9B法律\xEF\xBD\x9D讲堂。");
    ck_assert_uint_eq(l.v[0].n_words, 0);
    ck_assert_int_eq(l.v[1].start_ms, 2480);
    ck_assert_int_eq(l.v[1].end_ms, 5000);
    ck_assert_str_eq(l.v[1].text, "Escaped \"quotes\" and \\ backslash 中");
    zimu__cues_clear(&l);
}
END_TEST

/* Times from "timestamps" when "offsets" is missing. */
START_TEST(test_timestamps_only)
{
    const char *in = "{\"transcription\": [{\"timestamps\": {\"from\": \"00:01:02,345\", "
                     "\"to\": \"01:00:00,000\"}, \"text\": \"x\"}]}";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("t", in, strlen(in), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_int_eq(l.v[0].start_ms, 62345);
    ck_assert_int_eq(l.v[0].end_ms, 3600000);
    zimu__cues_clear(&l);
}
END_TEST

#define TOK(t, a, b) "{\"text\": \"" t "\", \"timestamps\": {\"from\": \"x\", \"to\": \"y\"}, " \
                     "\"offsets\": {\"from\": " #a ", \"to\": " #b "}, \"id\": 1, \"p\": 0.9}"

/* -ojf output, English: subword pieces and punctuation join their word,
 * special tokens are skipped. */
static const char OJF_EN[] =
    "{\"transcription\": [\n"
    " {\"offsets\": {\"from\": 0, \"to\": 3000}, \"text\": \" And so my fellow Americans, ask\",\n"
    "  \"tokens\": [\n"
    "   " TOK("[_BEG_]", 0, 0) ",\n"
    "   " TOK(" And", 0, 320) ",\n"
    "   " TOK(" so", 320, 500) ",\n"
    "   " TOK(" my", 500, 700) ",\n"
    "   " TOK(" fellow", 700, 1100) ",\n"
    "   " TOK(" Americ", 1100, 1500) ",\n"
    "   " TOK("ans", 1500, 1800) ",\n"
    "   " TOK(",", 1800, 1850) ",\n"
    "   " TOK(" ask", 2000, 2400) ",\n"
    "   " TOK("[_TT_150]", 3000, 3000) "\n"
    "  ]}\n"
    "]}\n";

START_TEST(test_tokens_english)
{
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("en.json", OJF_EN, strlen(OJF_EN), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    const zimu_cue *q = &l.v[0];
    ck_assert_str_eq(q->text, "And so my fellow Americans, ask");
    ck_assert_uint_eq(q->n_words, 6);
    check_word(q, 0, "And", 0, 320);
    check_word(q, 1, "so", 320, 500);
    check_word(q, 2, "my", 500, 700);
    check_word(q, 3, "fellow", 700, 1100);
    check_word(q, 4, "Americans,", 1100, 1850);
    check_word(q, 5, "ask", 2000, 2400);
    zimu__cues_clear(&l);
}
END_TEST

/* -ojf output, Chinese: whisper writes token bytes as they are, so "世"
 * (E4 B8 96) split over two tokens makes the file invalid UTF-8 as a whole;
 * joined, the cue text is valid. Each character is a word; punctuation
 * joins the word before. */
static const char OJF_ZH[] =
    "{\"transcription\": [\n"
    " {\"offsets\": {\"from\": 1000, \"to\": 4000}, \"text\": \" 你好世界。\",\n"
    "  \"tokens\": [\n"
    "   " TOK("[_BEG_]", 1000, 1000) ",\n"
    "   " TOK(" 你", 1000, 1400) ",\n"
    "   " TOK("好", 1400, 1800) ",\n"
    "   " TOK("\xE4", 1800, 2000) ",\n"
    "   " TOK("\xB8\x96", 2000, 2300) ",\n"
    "   " TOK("界", 2300, 2800) ",\n"
    "   " TOK("。", 2800, 2900) ",\n"
    "   " TOK("AI", 2900, 3300) ",\n"
    "   " TOK("<|endoftext|>", 4000, 4000) "\n"
    "  ]}\n"
    "]}\n";

START_TEST(test_tokens_chinese)
{
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("zh.json", OJF_ZH, strlen(OJF_ZH), NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    const zimu_cue *q = &l.v[0];
    ck_assert_str_eq(q->text, "你好世界。AI");
    ck_assert_uint_eq(q->n_words, 5);
    check_word(q, 0, "你", 1000, 1400);
    check_word(q, 1, "好", 1400, 1800);
    check_word(q, 2, "世", 1800, 2300);
    check_word(q, 3, "界。", 2300, 2900);
    check_word(q, 4, "AI", 2900, 3300);
    zimu__cues_clear(&l);
}
END_TEST

typedef struct {
    const char *what, *in;
    int code;
    const char *msg;
} bad_case;

static const bad_case BAD[] = {
    {"syntax error", "{\"transcription\": [\n  {\"offsets\" {\"from\": 0}}\n]}\n", ZIMU_ESUBS,
     "w.json:2: JSON is not valid: object property name separator ':' expected"},
    {"cut short", "{\"transcription\": [\n  {\"offsets\": {\"from\": 0,\n", ZIMU_ESUBS,
     "w.json:3: JSON ends too early"},
    {"text after the JSON", "{\"transcription\": []}\n\nmore\n", ZIMU_ESUBS,
     "w.json:3: text after the end of the JSON"},
    {"no transcription", "{\"segments\": []}", ZIMU_ESUBS,
     "w.json:1: no \"transcription\" array: not whisper.cpp JSON output (-oj or -ojf)"},
    {"a JSON array", "[1, 2]", ZIMU_ESUBS, NULL},
    {"segment without times",
     "{\"transcription\": [\n {\"offsets\": {\"from\": 0, \"to\": 10}, \"text\": \"a\"},\n\n"
     " {\"text\": \"b\"}\n]}",
     ZIMU_ESUBS, "w.json:4: segment 2 has no valid \"offsets\" or \"timestamps\""},
    {"bad timestamps",
     "{\"transcription\": [\n {\"timestamps\": {\"from\": \"00:00:0x,000\", \"to\": \"00:00:01,000\"}, \"text\": \"a\"}\n]}",
     ZIMU_ESUBS, "w.json:2: segment 1 has no valid \"offsets\" or \"timestamps\""},
    {"segment without text",
     "{\"transcription\": [{\"offsets\": {\"from\": 0, \"to\": 10}}]}",
     ZIMU_ESUBS, "w.json:1: segment 1 has no \"text\""},
    {"segment not an object", "{\"transcription\": [\n\n 5]}", ZIMU_ESUBS,
     "w.json:3: segment 1 is not an object"},
    {"text not UTF-8",
     "{\"transcription\": [\n {\"offsets\": {\"from\": 0, \"to\": 10}, \"text\": \"\xC4\xE3\"}]}",
     ZIMU_ECHARSET, "w.json:2: the text of segment 1 is not valid UTF-8"},
    {"NUL in text",
     "{\"transcription\": [{\"offsets\": {\"from\": 0, \"to\": 10}, \"text\": \"a\\u0000b\"}]}",
     ZIMU_ECHARSET, "w.json:1: the text of segment 1 is not valid UTF-8"},
    {"token without text",
     "{\"transcription\": [{\"offsets\": {\"from\": 0, \"to\": 10}, \"text\": \"a\", \"tokens\": [{\"id\": 5}]}]}",
     ZIMU_ESUBS, "w.json:1: token 1 of segment 1 has no \"text\""},
};

START_TEST(test_bad)
{
    const bad_case *t = &BAD[_i];
    zimu_ctx c;
    zimu_cues l;
    int r = parse("w.json", t->in, strlen(t->in), NULL, &c, &l);
    ck_assert_msg(r == t->code, "%s: %d (%s)", t->what, r, c.errmsg);
    if (t->msg)
        ck_assert_msg(!strcmp(c.errmsg, t->msg), "%s: '%s', want '%s'", t->what,
                      c.errmsg, t->msg);
    else
        ck_assert_msg(!strncmp(c.errmsg, "w.json:1: ", 10), "%s: '%s'", t->what, c.errmsg);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

/* A UTF-16 file (a Windows redirect) is converted first; a forced
 * encoding is honoured. */
START_TEST(test_encodings)
{
    const char *in = "{\"transcription\": [{\"offsets\": {\"from\": 0, \"to\": 10}, \"text\": \"中文\"}]}";
    size_t n = strlen(in);
    char *u16 = malloc(2 * n + 2);
    size_t k = 0;
    u16[k++] = (char)0xFF;
    u16[k++] = (char)0xFE;
    for (size_t i = 0; i < n; i++) { /* ASCII part */
        if ((unsigned char)in[i] < 0x80) {
            u16[k++] = in[i];
            u16[k++] = 0;
        } else { /* 中 U+4E2D 文 U+6587, 3 bytes each */
            unsigned cp = ((in[i] & 0x0F) << 12) | ((in[i + 1] & 0x3F) << 6) | (in[i + 2] & 0x3F);
            u16[k++] = (char)(cp & 0xFF);
            u16[k++] = (char)(cp >> 8);
            i += 2;
        }
    }
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("w.json", u16, k, NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.v[0].text, "中文");
    zimu__cues_clear(&l);
    free(u16);

    /* GB18030 bytes of 中文, with the encoding named */
    const char *gb = "{\"transcription\": [{\"offsets\": {\"from\": 0, \"to\": 10}, \"text\": \"\xD6\xD0\xCE\xC4\"}]}";
    zimu_subs_opts o = {.charenc = "gbk"};
    ck_assert_int_eq(parse("w.json", gb, strlen(gb), &o, &c, &l), 0);
    ck_assert_str_eq(l.v[0].text, "中文");
    zimu__cues_clear(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("whisper");
    TCase *tc = tcase_create("whisper");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_test(tc, test_segments);
    tcase_add_test(tc, test_timestamps_only);
    tcase_add_test(tc, test_tokens_english);
    tcase_add_test(tc, test_tokens_chinese);
    tcase_add_loop_test(tc, test_bad, 0, sizeof BAD / sizeof BAD[0]);
    tcase_add_test(tc, test_encodings);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
