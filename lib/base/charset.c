/* charset.c - caption file bytes in any common encoding -> UTF-8.
 *
 * Order of evidence: a BOM; well-formed UTF-8 (a GB18030 or Big5 text of
 * any length is almost never well-formed UTF-8); zero bytes in every other
 * position (UTF-16 without a BOM); uchardet. uchardet is weak on short
 * Chinese texts (a two-line GBK subtitle is often called ISO-8859-x or
 * WINDOWS-1252, and Big5 rarely recognised), so when it names a single-byte
 * encoding or nothing, the text is also read as GB18030 and as Big5 and the
 * reading made of common Chinese characters wins. Big5-HKSCS (Hong Kong)
 * is tried when Big5 does not decode. A file with lines in two encodings
 * (UTF-8 lines added to a GBK or Latin-1 file) is refused rather than read
 * into mojibake: see mixed_lines(). */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uchardet/uchardet.h>

#include "charset.h"

size_t zimu__charset_bom(const unsigned char *d, size_t n, const char **enc)
{
    const char *e = NULL;
    size_t len = 0;
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        e = "UTF-8", len = 3;
    else if (n >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0)
        e = "UTF-32LE", len = 4;
    else if (n >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF)
        e = "UTF-32BE", len = 4;
    else if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        e = "UTF-16LE", len = 2;
    else if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        e = "UTF-16BE", len = 2;
    else if (n >= 4 && d[0] == 0x84 && d[1] == 0x31 && d[2] == 0x95 && d[3] == 0x33)
        e = "GB18030", len = 4;
    if (enc)
        *enc = e;
    return len;
}

/* Length of the well-formed UTF-8 sequence at s, 0 if it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char b = s[0];
    if (b < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (b >= 0xC2 && b <= 0xDF)
        len = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        if (b == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

size_t zimu__utf8_check(const char *data, size_t size)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t i = 0;
    while (i < size) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t l = utf8_seq(s + i, size - i);
        if (!l)
            return i;
        i += l;
    }
    return size;
}

const char *zimu__charset_normalize(const char *enc)
{
    static const char *const gb[] = {"GB2312", "GBK", "CP936", "MS936",
                                     "WINDOWS-936", "EUC-CN", "EUCCN",
                                     "GB18030", "X-GBK", "GB_2312-80"};
    for (size_t i = 0; i < sizeof gb / sizeof gb[0]; i++)
        if (!strcasecmp(enc, gb[i]))
            return "GB18030";
    if (!strcasecmp(enc, "BIG5") || !strcasecmp(enc, "BIG-5") ||
        !strcasecmp(enc, "CN-BIG5") || !strcasecmp(enc, "CP950") ||
        !strcasecmp(enc, "X-BIG5"))
        return "CP950";
    if (!strcasecmp(enc, "BIG5HKSCS") || !strcasecmp(enc, "BIG5-HKSCS"))
        return "BIG5-HKSCS";
    if (!strcasecmp(enc, "UTF8"))
        return "UTF-8";
    return enc;
}

/* The name used in messages. */
static const char *display_name(const char *enc)
{
    if (!strcasecmp(enc, "CP950"))
        return "Big5";
    return !strcasecmp(enc, "BIG5-HKSCS") ? "Big5-HKSCS" : enc;
}

/* What every charset error ends with: for a caption file, that the
 * encoding can be named, with the CLI option and the library setting, as
 * the message reaches users of either (example: an encoding to try, the
 * other common Chinese one by default); for other files, their own hint
 * (fixed, not NULL). */
static const char *hint(const char *fixed, const char *example, const char *enc,
                        char *buf, size_t size)
{
    if (fixed)
        return fixed;
    if (!example)
        example = enc && !strcasecmp(enc, "GB18030") ? "Big5" : "GB18030";
    snprintf(buf, size,
             zimu__tr("; if the file is in another encoding, give it with --charenc / "
                      "zimu_job_set_charenc (for example %s)"),
             example);
    return buf;
}

/* Frequent Chinese characters, simplified and traditional. A reading of
 * GB18030 or Big5 bytes in the wrong encoding gives mostly rare ones. */
static const char common_han[] =
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生"
    "能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都"
    "同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军"
    "者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由"
    "问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西月话合"
    "回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论"
    "处走义各入几口认条平系气题活更别打女变四神总何电数安少报才结反受目太"
    "量再感建务做接必场件计管期市直资命山金指许统区保至队形社便空决治展科"
    "司五基眼书非则听白却界达光放强即像难且权思王完设式色路记南品住告类求"
    "据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑"
    "风步改收根干造言联持组每济车亲极林服快办议往元证近失转令准布始怎呢存"
    "未远叫台单影具字爱流备连调深商算质团集百需价花城石级整府离况请技际约"
    "示复病息究线似火断精满支视消越容照须九增研写称八功吗包片史委乎查轻易"
    "早除农找装广显吧标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随"
    "选列红响虽推势参希众构房半节土投某案黑维划致律足态护七兴派孩验责营星"
    "够章音跟志底站严例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故"
    "按河米围江织害斗双境客纪采举父友诉止细愿千值仍男钱破网热助倒育属坐限"
    "脸职速刻乐否刚毛状率甚独球般普怕校苦创假久错承印晚试股拿脑预谁益阳若"
    "哪微继送急血伤素药适波夜省初喜卫源食险待述置居劳财环排福欢警获充负云"
    "停木游树疑层冷射略范竟句室激村简罪判担静退既衣您积余痛检差富协角占配"
    "修皮胜降阶审沉坚善妈读啊超免压银买养怀执副乱犯追帮宣岁优香田穿艺背草"
    "脚概恶块顿敢守酒托央户烈哥索款靠评版宝座释景顾弟登货互付慢换闻危忙核"
    "姐介坏讨良序升监临亮露永呼味野掉括杂误减编肯测败屋跑梦散温困渐封救贵"
    "缺楼县尚毫移朋画班智亦耳恩短掌恐遗固席松秘谢遇康虑幸均销钟藏剧票损忽"
    "旧端录春乡附吸予礼雨呀板庭妇归饭额含顺输婚脱补谓督油疗旅材莫笔词择寻"
    "厂睡烟授岸健堂旁借禁园避抓荣孙逃跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础卷牛"
    "宁纸训私祖丝翻暴森默握戏隐熟骨访弱歌店软典欲扩盖弄稳忘亿拥齐赛趣曲床"
    "迎冰虚玩析窗醒妻透购替努休途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃"
    "這們個來為國說時會對從過後麼現開發經還點動樣體當種愛學實進將長問關應"
    "裡見頭話無與機電義兒線嗎員業區書車東聽讓邊師萬歲錢樂號幾場處覺門間條"
    "氣題許結認識還變數準確議論記讀寫請親戲視聽灣臺體們給應該顯團隊讓語謝";

/* Unicode code point of the UTF-8 sequence at s (well-formed, length l). */
static unsigned utf8_cp(const unsigned char *s, size_t l)
{
    if (l == 1)
        return s[0];
    unsigned cp = s[0] & (0x7F >> l);
    for (size_t i = 1; i < l; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* Decode all of data from enc with iconv; malloc'd UTF-8 or NULL if any
 * byte does not decode. *bad receives the input offset of the first bad
 * byte; *out_len the length. */
static char *iconv_all(const char *enc, const char *data, size_t size,
                       size_t *out_len, size_t *bad, int *unknown)
{
    *bad = 0;
    *unknown = 0;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) {
        *unknown = 1;
        return NULL;
    }
    size_t cap = size * 2 + 16, len = 0;
    char *out = malloc(cap + 1);
    if (!out) {
        iconv_close(cd);
        return NULL;
    }
    char *in = (char *)data;
    size_t inleft = size;
    for (;;) {
        char *op = out + len;
        size_t oleft = cap - len;
        /* Once all of the input is in, one more call writes what the
         * decoder still holds: WINDOWS-1258 and WINDOWS-1255 keep the last
         * character back in case a combining mark follows. */
        int flush = !inleft;
        size_t r = flush ? iconv(cd, NULL, NULL, &op, &oleft)
                         : iconv(cd, &in, &inleft, &op, &oleft);
        len = (size_t)(op - out);
        if (r != (size_t)-1 && flush)
            break;
        if (r != (size_t)-1)
            continue;
        if (r == (size_t)-1 && errno == E2BIG) {
            char *n = realloc(out, cap * 2 + 1);
            if (!n) {
                free(out);
                iconv_close(cd);
                *bad = (size_t)-1;
                return NULL;
            }
            out = n;
            cap *= 2;
            continue;
        }
        if (r == (size_t)-1) { /* EILSEQ, or EINVAL: cut off at the end */
            *bad = (size_t)(in - data);
            *out_len = len;
            out[len] = 0;
            iconv_close(cd);
            /* Keep the partial output for the line count of the message. */
            return out;
        }
    }
    iconv_close(cd);
    out[len] = 0;
    *out_len = len;
    *bad = size; /* all decoded */
    return out;
}

/* Score of a decoded text: how many common Han characters and fullwidth
 * punctuation marks it holds, and how many non-ASCII characters in all. */
static void han_score(const char *u, size_t n, const unsigned char *bits,
                      size_t *common, size_t *other)
{
    const unsigned char *s = (const unsigned char *)u;
    *common = *other = 0;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq(s + i, n - i);
        if (!l)
            l = 1;
        if (s[i] >= 0x80) {
            unsigned cp = utf8_cp(s + i, l);
            if (cp >= 0x4E00 && cp <= 0x9FFF &&
                (bits[(cp - 0x4E00) >> 3] & (1u << ((cp - 0x4E00) & 7))))
                (*common)++;
            else if (cp == 0x3001 || cp == 0x3002 || cp == 0xFF0C ||
                     cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1A ||
                     cp == 0xFF1B || cp == 0x300C || cp == 0x300D ||
                     cp == 0x201C || cp == 0x201D)
                (*common)++;
            else
                (*other)++;
        }
        i += l;
    }
}

static int is_cjk_multibyte(const char *e)
{
    static const char *const m[] = {"GB18030", "GB2312", "GBK", "HZ-GB-2312",
                                    "BIG5", "BIG-5", "EUC-TW", "CP950",
                                    "SHIFT_JIS", "EUC-JP", "ISO-2022-JP",
                                    "EUC-KR", "UHC", "ISO-2022-KR",
                                    "ISO-2022-CN", "CP949", "BIG5-HKSCS"};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (!strcasecmp(e, m[i]))
            return 1;
    return 0;
}

#define HAN_BITS ((0x9FFF - 0x4E00) / 8 + 1)

/* One bit per code point U+4E00..U+9FFF: set for the common characters. */
static void common_bits(unsigned char *bits)
{
    memset(bits, 0, HAN_BITS);
    const unsigned char *h = (const unsigned char *)common_han;
    size_t hn = sizeof common_han - 1;
    for (size_t i = 0; i < hn;) {
        size_t l = utf8_seq(h + i, hn - i);
        if (!l)
            l = 1;
        unsigned cp = utf8_cp(h + i, l);
        if (cp >= 0x4E00 && cp <= 0x9FFF)
            bits[(cp - 0x4E00) >> 3] |= (unsigned char)(1u << ((cp - 0x4E00) & 7));
        i += l;
    }
}

/* The Chinese reading (GB18030, Big5 or Big5-HKSCS) made of common
 * characters, or NULL. Big5-HKSCS, a superset of Big5, wins only when it
 * reads more common characters (the Big5 reading stopped at an HKSCS
 * character). */
static const char *chinese_guess(const char *data, size_t size)
{
    unsigned char bits[HAN_BITS];
    common_bits(bits);
    static const char *const cand[] = {"GB18030", "CP950", "BIG5-HKSCS"};
    const char *best = NULL;
    size_t best_common = 0;
    for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++) {
        size_t len, bad;
        int unknown;
        char *u = iconv_all(cand[k], data, size, &len, &bad, &unknown);
        if (!u)
            continue;
        size_t common, other;
        han_score(u, len, bits, &common, &other);
        free(u);
        /* A text that reads as Chinese up to a bad byte is taken as Chinese,
         * so that the bad byte is reported rather than the whole text read
         * as a Western encoding. */
        if (bad != size && common < 4)
            continue;
        /* Real Chinese text: the common characters are well over a third
         * of its non-ASCII characters; a wrong reading gives few. */
        if (common > 0 && common * 3 >= other && common > best_common) {
            best = cand[k];
            best_common = common;
        }
    }
    return best;
}

/* Zero bytes in every other position: UTF-16 without a BOM. */
static const char *utf16_guess(const unsigned char *d, size_t n)
{
    if (n < 4 || (n & 1))
        return NULL;
    size_t zero_even = 0, zero_odd = 0, pairs = n / 2;
    for (size_t i = 0; i + 1 < n; i += 2) {
        zero_even += d[i] == 0;
        zero_odd += d[i + 1] == 0;
    }
    /* ASCII-heavy text (timestamps, numbers) has many zero high bytes. */
    if (zero_odd * 3 >= pairs && zero_even * 20 < pairs)
        return "UTF-16LE";
    if (zero_even * 3 >= pairs && zero_odd * 20 < pairs)
        return "UTF-16BE";
    return NULL;
}

const char *zimu__charset_detect(const char *data, size_t size)
{
    const char *bom;
    if (zimu__charset_bom((const unsigned char *)data, size, &bom))
        return bom;
    const char *u16 = utf16_guess((const unsigned char *)data, size);
    if (u16)
        return u16;
    if (zimu__utf8_check(data, size) == size)
        return "UTF-8";

    static const char *const known[] = {
        "GB18030", "CP950", "EUC-TW", "SHIFT_JIS", "EUC-JP", "EUC-KR",
        "ISO-2022-JP", "ISO-2022-KR", "ISO-2022-CN", "UHC", "BIG5-HKSCS",
        "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE", "UTF-16", "UTF-32",
        "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5",
        "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-10",
        "ISO-8859-11", "ISO-8859-13", "ISO-8859-15", "ISO-8859-16",
        "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253",
        "WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257",
        "WINDOWS-1258", "KOI8-R", "KOI8-U", "IBM855", "IBM866", "MAC-CYRILLIC",
        "TIS-620", "VISCII", "HZ-GB-2312", "UTF-8", "ASCII"};
    const char *guess = NULL;
    uchardet_t ud = uchardet_new();
    if (ud) {
        /* A megabyte is plenty, and keeps a huge file quick. */
        size_t feed = size > (1u << 20) ? (1u << 20) : size;
        if (uchardet_handle_data(ud, data, feed) == 0) {
            uchardet_data_end(ud);
            const char *g = uchardet_get_charset(ud);
            if (g && *g) {
                const char *norm = zimu__charset_normalize(g);
                /* Return a static string: uchardet's dies with ud. */
                for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
                    if (!strcasecmp(norm, known[i])) {
                        guess = known[i];
                        break;
                    }
            }
        }
        uchardet_delete(ud);
    }
    if (guess && is_cjk_multibyte(guess))
        return guess;
    const char *zh = chinese_guess(data, size);
    if (zh)
        return zh;
    /* ASCII or UTF-8 cannot be right: the bytes are not well-formed. */
    if (guess && (!strcmp(guess, "ASCII") || !strcmp(guess, "UTF-8")))
        return NULL;
    return guess;
}

/* Line of the text at the end of u[0..n): 1 + line ends before it. */
static size_t line_at(const char *u, size_t n)
{
    size_t line = 1;
    for (size_t i = 0; i < n; i++) {
        if (u[i] == '\n')
            line++;
        else if (u[i] == '\r' && (i + 1 >= n || u[i + 1] != '\n'))
            line++;
    }
    return line;
}

/* Is cp a character real text in a Western, Greek or Cyrillic code page
 * would hold (letters, punctuation, symbols, the euro)? A legacy byte pair
 * that happens to be well-formed UTF-8 mostly gives something else (IPA,
 * Hebrew, Arabic, control characters). */
static int western_plausible(unsigned cp)
{
    return (cp >= 0xA0 && cp <= 0x24F) || (cp >= 0x370 && cp <= 0x52F) ||
           (cp >= 0x2010 && cp <= 0x203A) || cp == 0x20AC || cp == 0x2122;
}

/* Lines in two encodings: some lines are well-formed UTF-8 text with
 * non-ASCII characters, others are not UTF-8 at all (the whole file is not,
 * or this would not be called). Read in the detected encoding e, the UTF-8
 * lines would come out as mojibake ("å¤§å®¶" or "娆㈣繋"); read as UTF-8,
 * the others do not decode: no candidate reads the file. A UTF-8 line
 * counts when its text is plausible for the kind of file:
 * - e is a Chinese encoding: two or more common Chinese characters (or
 *   fullwidth punctuation marks), and at least one for every three other
 *   non-ASCII characters; a GBK or Big5 line that happens to be
 *   well-formed UTF-8 decodes to rare characters, nearly never to common
 *   ones;
 * - e is a single-byte code page, or none was found (NULL): as above, or
 *   every non-ASCII character is a Latin, Greek or Cyrillic letter or
 *   common punctuation (western_plausible); the UTF-8 lines hold two such
 *   characters or more in all.
 * Returns 1 and the first line of each kind (1-based) when the file is
 * mixed. */
static int mixed_lines(const char *data, size_t size, const char *e,
                       size_t *utf8_line, size_t *other_line)
{
    int cjk = e && is_cjk_multibyte(e);
    unsigned char bits[HAN_BITS];
    common_bits(bits);
    size_t line = 1, found = 0;
    *utf8_line = *other_line = 0;
    const unsigned char *s = (const unsigned char *)data;
    for (size_t i = 0; i < size;) {
        size_t end = i;
        int high = 0;
        while (end < size && s[end] != '\n' && s[end] != '\r')
            high |= s[end++] >= 0x80;
        size_t n = end - i;
        if (high) {
            if (zimu__utf8_check(data + i, n) != n) {
                if (!*other_line)
                    *other_line = line;
            } else {
                size_t common, other, count = 0;
                han_score(data + i, n, bits, &common, &other);
                int ok = common >= 2 && common * 3 >= other;
                if (ok)
                    count = common;
                for (size_t k = i; k < end && !ok && !cjk;) {
                    size_t l = utf8_seq(s + k, end - k);
                    if (l > 1 && !western_plausible(utf8_cp(s + k, l)))
                        break;
                    count += l > 1;
                    k += l;
                    ok = k == end;
                }
                if (ok) {
                    found += count;
                    if (!*utf8_line)
                        *utf8_line = line;
                }
            }
        }
        if (end < size && s[end] == '\r' && end + 1 < size && s[end + 1] == '\n')
            end++;
        i = end + 1;
        line++;
    }
    return found >= 2 && *utf8_line && *other_line;
}

int zimu__charset_to_utf8(zimu_ctx *c, const char *name, const char *data,
                          size_t size, const char *enc, char **out,
                          size_t *out_size, const char **used)
{
    return zimu__charset_decode(c, name, data, size, enc, NULL, out, out_size, used);
}

int zimu__charset_decode(zimu_ctx *c, const char *name, const char *data,
                         size_t size, const char *enc, const char *fixed_hint,
                         char **out, size_t *out_size, const char **used)
{
    char hb[160];
    *out = NULL;
    *out_size = 0;
    if (used)
        *used = NULL;
    if (!name)
        name = "subtitles";
    const char *bom_enc = NULL;
    size_t bom = zimu__charset_bom((const unsigned char *)data, size, &bom_enc);
    const char *e;
    if (enc && *enc) {
        e = zimu__charset_normalize(enc);
        /* A BOM of the forced encoding is dropped (and "UTF-16" takes its
         * byte order from it); any other BOM is read as text. */
        int match = 0;
        if (bom_enc) {
            const char *b = zimu__charset_normalize(bom_enc);
            match = !strcasecmp(b, e) ||
                    (!strcasecmp(e, "UTF-16") && !strncmp(b, "UTF-16", 6)) ||
                    (!strcasecmp(e, "UTF-32") && !strncmp(b, "UTF-32", 6));
            if (match)
                e = b;
        }
        if (!match)
            bom = 0;
    } else {
        e = zimu__charset_detect(data, size);
        /* Named at the first line where the encoding changes. */
        size_t ul, ol;
        if ((!e || strncasecmp(e, "UTF-", 4)) &&
            mixed_lines(data + bom, size - bom, e, &ul, &ol)) {
            const char *other = e ? display_name(e) : zimu__tr("not UTF-8");
            return zimu__fail(c, ZIMU_ECHARSET,
                              "%s:%zu: the file mixes two encodings: this line "
                              "is %s but line %zu is %s; save the whole file "
                              "in one encoding (UTF-8)",
                              name, ul > ol ? ul : ol, ul > ol ? "UTF-8" : other,
                              ul > ol ? ol : ul, ul > ol ? other : "UTF-8");
        }
        if (!e) {
            size_t off = zimu__utf8_check(data, size);
            return zimu__fail(c, ZIMU_ECHARSET,
                              "%s:%zu: bytes are not valid UTF-8 and the "
                              "encoding cannot be told%s",
                              name, line_at(data, off), hint(fixed_hint, NULL, NULL, hb, sizeof hb));
        }
    }
    if (used)
        *used = e;
    data += bom;
    size -= bom;

    char *u;
    size_t len;
    if (!strcasecmp(e, "UTF-8") || !strcasecmp(e, "ASCII")) {
        size_t off = zimu__utf8_check(data, size);
        if (off != size)
            return zimu__fail(c, ZIMU_ECHARSET,
                              "%s:%zu: bytes are not valid %s%s",
                              name, line_at(data, off),
                              !strcasecmp(e, "ASCII") ? "ASCII" : "UTF-8",
                              hint(fixed_hint, NULL, NULL, hb, sizeof hb));
        if (!strcasecmp(e, "ASCII"))
            for (size_t i = 0; i < size; i++)
                if ((unsigned char)data[i] >= 0x80)
                    return zimu__fail(c, ZIMU_ECHARSET,
                                      "%s:%zu: bytes are not valid ASCII%s",
                                      name, line_at(data, i),
                                      hint(fixed_hint, NULL, NULL, hb, sizeof hb));
        u = malloc(size + 1);
        if (!u)
            return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
        memcpy(u, data, size);
        u[size] = 0;
        len = size;
    } else {
        size_t bad;
        int unknown;
        u = iconv_all(e, data, size, &len, &bad, &unknown);
        if (unknown)
            return zimu__fail(c, ZIMU_ECHARSET,
                              "%s: encoding '%s' is not known (iconv -l lists "
                              "those that are)%s", name, e,
                              hint(fixed_hint, "GB18030", NULL, hb, sizeof hb));
        if (!u)
            return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
        if (bad != size && bad != (size_t)-1 && !strcmp(e, "CP950")) {
            /* Hong Kong text: Big5 with the HKSCS characters (嘅 嘢 𡃁). */
            size_t hlen, hbad;
            char *h = iconv_all("BIG5-HKSCS", data, size, &hlen, &hbad, &unknown);
            if (h && hbad == size) {
                free(u);
                u = h;
                len = hlen;
                bad = size;
                if (used)
                    *used = "BIG5-HKSCS";
            } else
                free(h);
        }
        if (bad != size) {
            size_t line = line_at(u, len);
            free(u);
            return zimu__fail(c, ZIMU_ECHARSET,
                              "%s:%zu: bytes are not valid %s%s",
                              name, line, display_name(e),
                              hint(fixed_hint, NULL, e, hb, sizeof hb));
        }
        /* A BOM the source encoding kept as a character (UTF-16 read as
         * "UTF-16" consumes it; others give U+FEFF). */
        if (len >= 3 && (unsigned char)u[0] == 0xEF &&
            (unsigned char)u[1] == 0xBB && (unsigned char)u[2] == 0xBF) {
            memmove(u, u + 3, len - 3 + 1);
            len -= 3;
        }
    }
    /* NUL characters would cut a caption short: trailing padding is
     * dropped, one inside the text is an error. */
    while (len && u[len - 1] == 0)
        len--;
    u[len] = 0;
    const char *z = memchr(u, 0, len);
    if (z) {
        size_t line = line_at(u, (size_t)(z - u));
        free(u);
        return zimu__fail(c, ZIMU_ECHARSET,
                          "%s:%zu: NUL character in the text (is it UTF-16 "
                          "without a byte-order mark?)%s", name, line,
                          hint(fixed_hint, "UTF-16LE", NULL, hb, sizeof hb));
    }
    *out = u;
    *out_size = len;
    return 0;
}

uint32_t zimu__utf8_next(const unsigned char *s, size_t n, size_t *used)
{
    unsigned char b = s[0];
    size_t len;
    uint32_t cp, min;
    if (b < 0x80) {
        *used = 1;
        return b;
    } else if ((b & 0xE0) == 0xC0) {
        len = 2; cp = b & 0x1F; min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
        len = 3; cp = b & 0x0F; min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
        len = 4; cp = b & 0x07; min = 0x10000;
    } else {
        *used = 1;
        return 0xFFFD;
    }
    if (len > n) {
        *used = 1;
        return 0xFFFD;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *used = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *used = 1;
        return 0xFFFD;
    }
    *used = len;
    return cp;
}
