/* check_charset.c - encodings: the same captions saved in every supported
 * encoding give exactly the cues of the UTF-8 file; bytes that do not
 * decode fail naming file and line; UTF-8 validity to the letter. */
#include <check.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
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

/* in (UTF-8) in encoding enc, with prefix bytes before it. malloc'd. */
static char *encode(const char *in, const char *enc, const char *prefix,
                    size_t plen, size_t *outlen)
{
    size_t n = strlen(in), cap = 4 * n + plen + 8;
    char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    memcpy(out, prefix, plen);
    iconv_t cd = iconv_open(enc, "UTF-8");
    ck_assert_msg(cd != (iconv_t)-1, "iconv cannot write %s", enc);
    char *ip = (char *)in, *op = out + plen;
    size_t il = n, ol = cap - plen;
    ck_assert_msg(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1, "%s cannot hold the text", enc);
    iconv_close(cd);
    *outlen = (size_t)(op - out);
    return out;
}

static void same_cues(const zimu_cues *a, const zimu_cues *b, const char *what)
{
    ck_assert_msg(a->n == b->n, "%s: %zu cues, want %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        ck_assert_msg(a->v[i].start_ms == b->v[i].start_ms && a->v[i].end_ms == b->v[i].end_ms,
                      "%s: cue %zu times differ", what, i);
        ck_assert_msg(!strcmp(a->v[i].text, b->v[i].text), "%s: cue %zu '%s', want '%s'",
                      what, i, a->v[i].text, b->v[i].text);
    }
    ck_assert_msg((a->ass_header == NULL) == (b->ass_header == NULL), "%s: script", what);
    if (a->ass_header)
        ck_assert_msg(a->ass_header_len == b->ass_header_len &&
                      !memcmp(a->ass_header, b->ass_header, a->ass_header_len),
                      "%s: script headers differ", what);
}

static const char SIMPLIFIED_SRT[] =
    "1\n00:00:01,000 --> 00:00:03,000\n大家好，欢迎收看本周的法律讲堂。\n\n"
    "2\n00:00:03,000 --> 00:00:06,000\n今天我们来讲一讲《民法典》里的继承问题。\n\n"
    "3\n00:00:06,000 --> 00:00:09,500\n<i>注意</i>：遗嘱要写清楚时间和地点！\n";
static const char TRADITIONAL_SRT[] =
    "1\n00:00:01,000 --> 00:00:03,000\n大家好，歡迎收看本週的法律講堂。\n\n"
    "2\n00:00:03,000 --> 00:00:06,000\n今天我們來講一講民法裡的繼承問題。\n";
static const char SHORT_SIMPLIFIED[] = "1\n00:00:01,000 --> 00:00:02,000\n你好\n";
static const char SHORT_TRADITIONAL[] = "1\n00:00:01,000 --> 00:00:02,000\n謝謝你們\n";
static const char GB4_SRT[] = /* 㐀 and € are four- and two-byte in GB18030 */
    "1\n00:00:01,000 --> 00:00:02,000\n价格：100€，罕见字㐀\n";
/* Hong Kong Cantonese: 𡃁 嘅 嘢 咗 冇 哋 are in HKSCS, not in Big5. */
static const char HK_SRT[] =
    "1\n00:00:01,000 --> 00:00:03,000\n我哋今日講吓𡃁仔嘅嘢，佢哋食咗飯未？\n\n"
    "2\n00:00:03,000 --> 00:00:05,000\n冇問題，大家好，歡迎收看本週的法律講堂。\n";
static const char LRC[] = "[ti:测试]\n[00:01.00]第一句歌词\n[00:03.00]第二句歌词\n";
static const char VTT[] = "WEBVTT\n\n00:01.000 --> 00:02.000 align:start\n中文字幕\n";
static const char ASS[] = "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
                          "Format: Layer, Start, End, Style, Text\n"
                          "Dialogue: 0,0:00:01.00,0:00:02.00,Default,中文字幕，字幕\n";

typedef struct {
    const char *what, *name, *text, *enc;
    const char *prefix; /* a BOM, or NULL */
    size_t plen;
    const char *forced; /* opts->charenc, or NULL */
} enc_case;

static const enc_case ENC[] = {
    {"UTF-8 with BOM", "a.srt", SIMPLIFIED_SRT, "UTF-8", "\xEF\xBB\xBF", 3, NULL},
    {"UTF-16LE with BOM", "a.srt", SIMPLIFIED_SRT, "UTF-16LE", "\xFF\xFE", 2, NULL},
    {"UTF-16BE with BOM", "a.srt", SIMPLIFIED_SRT, "UTF-16BE", "\xFE\xFF", 2, NULL},
    {"UTF-16LE without BOM", "a.srt", SIMPLIFIED_SRT, "UTF-16LE", NULL, 0, NULL},
    {"UTF-16BE without BOM", "a.srt", SIMPLIFIED_SRT, "UTF-16BE", NULL, 0, NULL},
    {"UTF-32LE with BOM", "a.srt", SIMPLIFIED_SRT, "UTF-32LE", "\xFF\xFE\0\0", 4, NULL},
    {"GB18030", "a.srt", SIMPLIFIED_SRT, "GB18030", NULL, 0, NULL},
    {"GBK", "a.srt", SIMPLIFIED_SRT, "GBK", NULL, 0, NULL},
    {"GB2312", "a.srt", SIMPLIFIED_SRT, "GB2312", NULL, 0, NULL},
    {"GB18030 four-byte characters", "a.srt", GB4_SRT, "GB18030", NULL, 0, NULL},
    {"GB18030 with its BOM", "a.srt", SIMPLIFIED_SRT, "GB18030", "\x84\x31\x95\x33", 4, NULL},
    {"GB18030, short", "a.srt", SHORT_SIMPLIFIED, "GB18030", NULL, 0, NULL},
    {"Big5", "a.srt", TRADITIONAL_SRT, "BIG5", NULL, 0, NULL},
    {"Big5, short", "a.srt", SHORT_TRADITIONAL, "BIG5", NULL, 0, NULL},
    {"Big5-HKSCS", "a.srt", HK_SRT, "BIG5-HKSCS", NULL, 0, NULL},
    {"Big5-HKSCS named Big5", "a.srt", HK_SRT, "BIG5-HKSCS", NULL, 0, "big5"},
    {"Big5-HKSCS named", "a.srt", HK_SRT, "BIG5-HKSCS", NULL, 0, "big5hkscs"},
    {"GB18030 traditional text", "a.srt", TRADITIONAL_SRT, "GB18030", NULL, 0, NULL},
    {"GBK named", "a.srt", SIMPLIFIED_SRT, "GBK", NULL, 0, "gbk"},
    {"Big5 named", "a.srt", TRADITIONAL_SRT, "BIG5", NULL, 0, "Big5"},
    {"UTF-16 named, BOM gives the order", "a.srt", SIMPLIFIED_SRT, "UTF-16BE", "\xFE\xFF", 2, "UTF-16"},
    {"UTF-8 named, with BOM", "a.srt", SIMPLIFIED_SRT, "UTF-8", "\xEF\xBB\xBF", 3, "utf8"},
    {"LRC in GB18030", "a.lrc", LRC, "GB18030", NULL, 0, NULL},
    {"WebVTT in UTF-16LE", "a.vtt", VTT, "UTF-16LE", "\xFF\xFE", 2, NULL},
    {"ASS in GB18030", "a.ass", ASS, "GB18030", NULL, 0, NULL},
    {"ASS in Big5 named", "a.ass", ASS, "BIG5", NULL, 0, "cp950"},
};

START_TEST(test_same_cues)
{
    const enc_case *t = &ENC[_i];
    zimu_ctx c;
    zimu_cues want, got;
    ck_assert_int_eq(parse(t->name, t->text, strlen(t->text), NULL, &c, &want), 0);
    ck_assert(want.n > 0 || want.ass_header);
    size_t n;
    char *bytes = encode(t->text, t->enc, t->prefix ? t->prefix : "", t->plen, &n);
    zimu_subs_opts o = {.charenc = t->forced};
    int r = parse(t->name, bytes, n, &o, &c, &got);
    ck_assert_msg(r == 0, "%s: %d %s", t->what, r, c.errmsg);
    same_cues(&got, &want, t->what);
    zimu__cues_clear(&got);
    zimu__cues_clear(&want);
    free(bytes);
}
END_TEST

/* What the detector names. */
START_TEST(test_detect_names)
{
    struct {
        const char *text, *enc, *want;
    } t[] = {
        {SIMPLIFIED_SRT, "UTF-8", "UTF-8"},
        {SIMPLIFIED_SRT, "GBK", "GB18030"},
        {SHORT_SIMPLIFIED, "GB18030", "GB18030"},
        {TRADITIONAL_SRT, "BIG5", "CP950"},
        {SHORT_TRADITIONAL, "BIG5", "CP950"},
        {SIMPLIFIED_SRT, "UTF-16LE", "UTF-16LE"},
        {"plain ASCII\n", "UTF-8", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t n;
        char *b = encode(t[i].text, t[i].enc, "", 0, &n);
        const char *e = zimu__charset_detect(b, n);
        ck_assert_msg(e && !strcmp(e, t[i].want), "%zu (%s): detected %s, want %s", i,
                      t[i].enc, e ? e : "nothing", t[i].want);
        free(b);
    }
    ck_assert_str_eq(zimu__charset_normalize("gb2312"), "GB18030");
    ck_assert_str_eq(zimu__charset_normalize("CP936"), "GB18030");
    ck_assert_str_eq(zimu__charset_normalize("big5"), "CP950");
    ck_assert_str_eq(zimu__charset_normalize("latin1"), "latin1");
}
END_TEST

/* Latin-1 and CP1252 text is read as a Western encoding, not as GB18030,
 * and not taken for a file that mixes encodings. */
START_TEST(test_latin1)
{
    static const struct {
        const char *in, *want;
    } t[] = {
        {"1\n00:00:01,000 --> 00:00:02,000\nCaf\xE9 na\xEFve, cr\xE8me br\xFBl\xE9" "e\n",
         "Café naïve, crème brûlée"},
        {"1\n00:00:01,000 --> 00:00:02,000\n\xC7" "a co\xFBte 5\x80, \xAB\xA0" "d\xE9j\xE0\xA0\xBB\n\n"
         "2\n00:00:02,000 --> 00:00:03,000\n\xC0 bient\xF4t \x96 \x93" "Adieu\x94\n",
         "Ça coûte 5€, «\xC2\xA0" "déjà\xC2\xA0»"},
        {"1\n00:00:01,000 --> 00:00:02,000\nDie Gr\xF6\xDF" "e \xE4ndert sich, \xC4rger \xFC" "ber "
         "\xD6l und S\xFC\xDF" "es\n",
         "Die Größe ändert sich, Ärger über Öl und Süßes"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        zimu_ctx c;
        zimu_cues l;
        int r = parse("fr.srt", t[i].in, strlen(t[i].in), NULL, &c, &l);
        ck_assert_msg(r == 0, "%zu: %s", i, c.errmsg);
        ck_assert_str_eq(l.v[0].text, t[i].want);
        zimu__cues_clear(&l);
    }
}
END_TEST

/* Lines in two encodings: refused at the first line where the encoding
 * changes, instead of decoding half of them into mojibake. Each case is a
 * list of (UTF-8 text, encoding to write it in). */
typedef struct {
    const char *what;
    const char *part[4][2];
    const char *msg;
} mixed_case;

static const mixed_case MIXED[] = {
    {"Latin-1 then UTF-8 French",
     {{"1\n00:00:01,000 --> 00:00:02,000\nCafé naïve, crème brûlée\n\n", "ISO-8859-1"},
      {"2\n00:00:02,000 --> 00:00:03,000\nLa crème brûlée est délicieuse\n", "UTF-8"}},
     "fr.srt:7: the file mixes two encodings: this line is UTF-8 but line 3 is ISO-8859-1; "
     "save the whole file in one encoding (UTF-8)"},
    {"Latin-1 then UTF-8 Chinese",
     {{"1\n00:00:01,000 --> 00:00:02,000\nCafé naïve\n\n", "ISO-8859-1"},
      {"2\n00:00:02,000 --> 00:00:03,000\n大家好，欢迎收看本周的法律讲堂。\n", "UTF-8"}},
     "fr.srt:7: the file mixes two encodings: this line is UTF-8 but line 3 is WINDOWS-1252; "
     "save the whole file in one encoding (UTF-8)"},
    {"GBK then UTF-8, bilingual",
     {{"1\n00:00:01,000 --> 00:00:02,000\nHello everyone\n", "UTF-8"},
      {"大家好\n\n", "GBK"},
      {"2\n00:00:02,000 --> 00:00:03,000\nWelcome to class\n欢迎收看\n", "UTF-8"}},
     "fr.srt:9: the file mixes two encodings: this line is UTF-8 but line 4 is GB18030; "
     "save the whole file in one encoding (UTF-8)"},
    {"UTF-8 then GBK",
     {{"1\n00:00:01,000 --> 00:00:02,000\n今天我们来讲一讲继承问题。\n\n", "UTF-8"},
      {"2\n00:00:02,000 --> 00:00:03,000\n大家好，欢迎收看本周的法律讲堂。\n", "GBK"}},
     "fr.srt:7: the file mixes two encodings: this line is not UTF-8 but line 3 is UTF-8; "
     "save the whole file in one encoding (UTF-8)"},
};

START_TEST(test_mixed)
{
    const mixed_case *t = &MIXED[_i];
    char buf[1024];
    size_t n = 0;
    for (size_t k = 0; k < 4 && t->part[k][0]; k++) {
        size_t l;
        char *b = encode(t->part[k][0], t->part[k][1], "", 0, &l);
        ck_assert(n + l <= sizeof buf);
        memcpy(buf + n, b, l);
        n += l;
        free(b);
    }
    zimu_ctx c;
    zimu_cues l;
    int r = parse("fr.srt", buf, n, NULL, &c, &l);
    ck_assert_msg(r == ZIMU_ECHARSET, "%s: %d, first cue '%s'", t->what, r,
                  r == 0 && l.n ? l.v[l.n - 1].text : "");
    ck_assert_msg(!strcmp(c.errmsg, t->msg), "%s: '%s'", t->what, c.errmsg);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

typedef struct {
    const char *what, *name;
    const char *text; /* UTF-8, encoded into enc, then bad bytes inserted */
    const char *enc;
    const char *marker; /* replaced by the bad bytes */
    const char *bad;
    const char *forced;
    int code;
    const char *msg;
} bad_case;

static const bad_case BAD[] = {
    {"GB18030 with a bad byte", "sub.srt",
     "1\n00:00:01,000 --> 00:00:03,000\n大家好，欢迎收看本周的法律讲堂。\n\n"
     "2\n00:00:03,000 --> 00:00:06,000\n今天我们来讲一讲继承问题@@\n",
     "GB18030", "@@", "\x81\x20", NULL, ZIMU_ECHARSET, "sub.srt:7: bytes are not valid GB18030"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example Big5)"},
    {"GB18030 cut inside a character", "sub.srt",
     "1\n00:00:01,000 --> 00:00:03,000\n大家好，欢迎收看本周的法律讲堂。\n今天我们来讲@@",
     "GB18030", "@@", "\xC4", NULL, ZIMU_ECHARSET, "sub.srt:4: bytes are not valid GB18030"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example Big5)"},
    {"named GBK, bad byte", "sub.srt",
     "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:02,000 --> 00:00:03,000\n@@\n",
     "GB18030", "@@", "\xFF\xFF", "GBK", ZIMU_ECHARSET, "sub.srt:7: bytes are not valid GB18030"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example Big5)"},
    {"named Big5, bad byte", "sub.srt",
     "1\n00:00:01,000 --> 00:00:02,000\n謝謝\n@@\n",
     "BIG5", "@@", "\xA4\x0A", "big5", ZIMU_ECHARSET, "sub.srt:4: bytes are not valid Big5"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example GB18030)"},
    {"UTF-8 BOM, bad byte", "sub.srt",
     "\xEF\xBB\xBF" "1\n00:00:01,000 --> 00:00:02,000\n好@@\n",
     "UTF-8", "@@", "\xC3\x28", NULL, ZIMU_ECHARSET, "sub.srt:3: bytes are not valid UTF-8"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example GB18030)"},
    {"named UTF-8, GBK bytes", "sub.srt",
     "1\n00:00:01,000 --> 00:00:02,000\nok\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\n大家好\r\n",
     "GB18030", "@@", "", "UTF-8", ZIMU_ECHARSET, "sub.srt:7: bytes are not valid UTF-8"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example GB18030)"},
    {"UTF-16LE cut in half", "sub.srt",
     "\xEF\xBB\xBF" "1\n00:00:01,000 --> 00:00:02,000\nab@@",
     "UTF-16LE", "@@", "c", NULL, ZIMU_ECHARSET, "sub.srt:3: bytes are not valid UTF-16LE"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example GB18030)"},
    {"NUL inside the text", "sub.srt",
     "1\n00:00:01,000 --> 00:00:02,000\n\nA\n2\n00:00:02,000 --> 00:00:03,000\nx@@y\n",
     "UTF-8", "@@", "\0", NULL, ZIMU_ECHARSET,
     "sub.srt:7: NUL character in the text (is it UTF-16 without a byte-order mark?)"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example UTF-16LE)"},
    {"unknown encoding", "sub.srt", "1\n00:00:01,000 --> 00:00:02,000\nx\n", "UTF-8", "@@", "",
     "NO-SUCH-CHARSET", ZIMU_ECHARSET, "sub.srt: encoding 'NO-SUCH-CHARSET' is not known (iconv -l lists those that are)"
     "; if the file is in another encoding, give it with --charenc / zimu_job_set_charenc (for example GB18030)"},
};

START_TEST(test_bad)
{
    const bad_case *t = &BAD[_i];
    size_t n;
    char *b = encode(t->text, t->enc, "", 0, &n);
    /* The marker, in the target encoding, is replaced by the bad bytes
     * (their length taken up to the first byte for "\0": 1). */
    size_t ml;
    char *m = encode(t->marker, t->enc, "", 0, &ml);
    size_t bl = t->bad[0] ? strlen(t->bad) : (strcmp(t->what, "NUL inside the text") ? 0 : 1);
    char *out = malloc(n + bl + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (i + ml <= n && !memcmp(b + i, m, ml)) {
            memcpy(out + k, t->bad, bl);
            k += bl;
            i += ml;
        } else
            out[k++] = b[i++];
    }
    zimu_subs_opts o = {.charenc = t->forced};
    zimu_ctx c;
    zimu_cues l;
    int r = parse(t->name, out, k, &o, &c, &l);
    ck_assert_msg(r == t->code, "%s: %d (%s)", t->what, r, c.errmsg);
    ck_assert_msg(!strcmp(c.errmsg, t->msg), "%s: '%s', want '%s'", t->what, c.errmsg, t->msg);
    ck_assert_uint_eq(l.n, 0);
    free(out);
    free(m);
    free(b);
}
END_TEST

/* Trailing NUL padding is dropped. */
START_TEST(test_trailing_nuls)
{
    const char in[] = "1\n00:00:01,000 --> 00:00:02,000\nx\n\0\0\0";
    zimu_ctx c;
    zimu_cues l;
    ck_assert_int_eq(parse("pad.srt", in, sizeof in - 1, NULL, &c, &l), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.v[0].text, "x");
    zimu__cues_clear(&l);
}
END_TEST

/* The last character of a file in a code page whose decoder holds a
 * character back for a combining mark that may follow (Vietnamese
 * WINDOWS-1258, Hebrew WINDOWS-1255) is not lost when no line break ends
 * the file. */
START_TEST(test_last_char)
{
    static const struct {
        const char *enc, *in, *want;
    } T[] = {
        {"WINDOWS-1258", "1\n00:00:01,000 --> 00:00:02,000\nXin ch\xE0o",
         "1\n00:00:01,000 --> 00:00:02,000\nXin ch\xC3\xA0o"},
        {"WINDOWS-1255", "\xF9\xEC\xE5\xED", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"},
        {"WINDOWS-1258", "ASCII\x92\xBD\xA0", "ASCII\xE2\x80\x99\xC2\xBD\xC2\xA0"},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        zimu_ctx c = {0};
        char *u;
        size_t n;
        ck_assert_int_eq(zimu__charset_to_utf8(&c, "vi.srt", T[i].in, strlen(T[i].in), T[i].enc,
                                               &u, &n, NULL), 0);
        ck_assert_str_eq(u, T[i].want);
        ck_assert_uint_eq(n, strlen(T[i].want));
        free(u);
    }
}
END_TEST

START_TEST(test_utf8_check)
{
    struct {
        const char *s;
        size_t n, bad;
    } t[] = {
        {"", 0, 0},
        {"abc", 3, 3},
        {"\xC2\xA0\xE4\xB8\xAD\xF0\x9F\x98\x80", 9, 9},  /* NBSP 中 😀 */
        {"a\xC0\x80", 3, 1},                           /* overlong NUL */
        {"\xC1\xBF", 2, 0},                            /* overlong */
        {"\xE0\x80\x80", 3, 0},                        /* overlong 3-byte */
        {"\xE0\xA0\x80", 3, 3},                        /* U+0800 */
        {"x\xED\xA0\x80", 4, 1},                       /* surrogate */
        {"\xED\x9F\xBF", 3, 3},                        /* U+D7FF */
        {"\xF0\x8F\xBF\xBF", 4, 0},                    /* overlong 4-byte */
        {"\xF4\x8F\xBF\xBF", 4, 4},                    /* U+10FFFF */
        {"\xF4\x90\x80\x80", 4, 0},                    /* above U+10FFFF */
        {"\xF5\x80\x80\x80", 4, 0},
        {"ab\xE4\xB8", 4, 2},                          /* cut short */
        {"\x80", 1, 0},                                /* lone continuation */
        {"\xE4\xB8\x41", 3, 0},
        {"\xFF", 1, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        /* an exact-size copy, so reading past the end shows under ASan */
        char *b = malloc(t[i].n ? t[i].n : 1);
        memcpy(b, t[i].s, t[i].n);
        ck_assert_msg(zimu__utf8_check(b, t[i].n) == t[i].bad, "case %zu: %zu, want %zu", i,
                      zimu__utf8_check(b, t[i].n), t[i].bad);
        free(b);
    }
}
END_TEST

START_TEST(test_bom)
{
    const char *e;
    ck_assert_uint_eq(zimu__charset_bom((const unsigned char *)"\xEF\xBB\xBFx", 4, &e), 3);
    ck_assert_str_eq(e, "UTF-8");
    ck_assert_uint_eq(zimu__charset_bom((const unsigned char *)"\xFF\xFEx\0", 4, &e), 2);
    ck_assert_str_eq(e, "UTF-16LE");
    ck_assert_uint_eq(zimu__charset_bom((const unsigned char *)"\xFF\xFE\0\0", 4, &e), 4);
    ck_assert_str_eq(e, "UTF-32LE");
    ck_assert_uint_eq(zimu__charset_bom((const unsigned char *)"\xFE\xFF", 2, &e), 2);
    ck_assert_str_eq(e, "UTF-16BE");
    ck_assert_uint_eq(zimu__charset_bom((const unsigned char *)"\xEF\xBB", 2, &e), 0);
    ck_assert_ptr_null(e);
    ck_assert_uint_eq(zimu__charset_bom((const unsigned char *)"", 0, NULL), 0);
}
END_TEST

/* The converter on its own: the encoding it used, and output that is
 * NUL-terminated. */
START_TEST(test_to_utf8)
{
    zimu_ctx c = {0};
    char *u;
    size_t n;
    const char *used;
    ck_assert_int_eq(zimu__charset_to_utf8(&c, "x", "\xD6\xD0\xCE\xC4\xD7\xD6\xC4\xBB", 8,
                                           "GBK", &u, &n, &used), 0);
    ck_assert_str_eq(used, "GB18030");
    ck_assert_uint_eq(n, 12);
    ck_assert_str_eq(u, "中文字幕");
    free(u);
    /* Hong Kong text: read as Big5-HKSCS, detected or named Big5. */
    size_t hn;
    char *hk = encode(HK_SRT, "BIG5-HKSCS", "", 0, &hn);
    for (int named = 0; named < 2; named++) {
        int r = zimu__charset_to_utf8(&c, "hk.srt", hk, hn, named ? "Big5" : NULL, &u, &n,
                                      &used);
        ck_assert_msg(r == 0, "%s", c.errmsg);
        ck_assert_str_eq(used, "BIG5-HKSCS");
        ck_assert_str_eq(u, HK_SRT);
        free(u);
    }
    /* named UTF-8, it is refused with the hint */
    ck_assert_int_eq(zimu__charset_to_utf8(&c, "hk.srt", hk, hn, "UTF-8", &u, &n, &used),
                     ZIMU_ECHARSET);
    ck_assert_msg(strstr(c.errmsg, "hk.srt:") && strstr(c.errmsg, "--charenc"), "%s", c.errmsg);
    free(hk);
    ck_assert_int_eq(zimu__charset_to_utf8(&c, "x", "", 0, NULL, &u, &n, &used), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(u, "");
    free(u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("charset");
    TCase *tc = tcase_create("charset");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_loop_test(tc, test_same_cues, 0, sizeof ENC / sizeof ENC[0]);
    tcase_add_test(tc, test_detect_names);
    tcase_add_test(tc, test_latin1);
    tcase_add_loop_test(tc, test_mixed, 0, sizeof MIXED / sizeof MIXED[0]);
    tcase_add_loop_test(tc, test_bad, 0, sizeof BAD / sizeof BAD[0]);
    tcase_add_test(tc, test_trailing_nuls);
    tcase_add_test(tc, test_last_char);
    tcase_add_test(tc, test_utf8_check);
    tcase_add_test(tc, test_bom);
    tcase_add_test(tc, test_to_utf8);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
