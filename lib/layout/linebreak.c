/* linebreak.c - line and page breaking for Chinese and mixed captions.
 *
 * The text becomes a list of items: characters (a base character with its
 * combining marks, variation selectors and ZWJ sequences), spaces, ASS
 * override blocks and forced breaks. Between two characters a break is
 * allowed, forbidden, or (inside a word wider than a line) allowed as a
 * last resort; each allowed break carries a penalty that favours breaking
 * after punctuation and at spaces. Then:
 * - the fewest lines come from a greedy fill (which is optimal for that);
 * - with that many lines, a dynamic programme picks the breaks that make
 *   the lines most even (squared deviation from the mean) plus penalties;
 * - when the lines do not fit in max_lines, the fewest pages are cut the
 *   same way, preferring page ends after sentences, then each page is
 *   balanced on its own.
 * Widths are per item, from zimu_measure; a word's items are corrected to
 * the word's measured width, and every finished line is measured whole and
 * the layout redone narrower if kerning or shaping made one too wide.
 *
 * Words. People who subtitle Chinese break between words and at clause
 * punctuation, although clreq allows a break between any two Han
 * characters. Words come from ICU's dictionary-based word break iterator
 * for zh_CN (words.c), widened to keep a number with its unit (28场,
 * 5000多人次, 45分钟, 第19届), a reduplicated verb (聊一聊) and 总 with
 * the word after it (总花费, which ICU splits) whole; a highlighted word
 * (the word markers of layout.h) is never broken at all. A break inside
 * a word costs more than any uneven pair of lines within the balance
 * tolerance (the lines of two within 1.7 of each other), and less than
 * lines beyond it; a page end inside a word costs more still. When the
 * pages so chosen still split a word while some pages (the fewest, or
 * one more) split none, those are taken instead (keep_words): the page
 * ends move, or a line breaks earlier and the rest goes on a page of its
 * own, however uneven, as long as every line fits; among them, the
 * fewest page ends away from clause punctuation, then the fewest pages,
 * then the most even.
 *
 * Where a line may break at all (UAX #14 with the CJK classes, clreq's
 * line-start and line-end rules) stays with the tables below rather than
 * ICU's line break iterator: they take ASS override blocks, keyword and
 * word markers into account (ICU would see "{\k..}" as text), grade each
 * break (after a sentence, a clause, a space, between a number and its
 * unit) where ICU only allows or forbids, follow clreq's strict rules for
 * marks such as ～ ％ ℃ and small kana where ICU's zh default is looser,
 * and are tested (check_linebreak). ICU's line iterator uses no
 * dictionary for Chinese, so it would not have found the words either. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "charset.h"
#include "keyword.h"
#include "layout.h"
#include "linebreak.h"
#include "sbuf.h"
#include "words.h"

enum { IT_CHAR, IT_SPACE, IT_TAG, IT_BREAK };

/* Break classes of characters (after UAX #14, simplified for captions). */
enum {
    C_ID, /* CJK ideographs, kana, hangul, emoji: break either side */
    C_AL, /* letters and symbols: words, never broken inside */
    C_NU, /* digits: like AL, and kept with the Han unit next to them */
    C_CL, /* closing marks: no break before */
    C_OP, /* opening marks: no break after */
    C_QU, /* ASCII quotes and middle dots: no break either side */
    C_GL, /* no-break space and joiners: no break either side */
};

/* The balance tolerance: two lines within 1.7 of each other, i.e. each line
 * within TOL of their mean width. */
#define TOL (0.7 / 2.7)
/* A line break inside a word: dearer than any pair of lines within TOL
 * (at most 2 x 100 x TOL^2 = 13.4), cheaper than lines beyond it
 * (OUT_OF_TOL each). */
#define SPLIT_LINE 30
#define OUT_OF_TOL 60
/* A page end inside a word; a page end at clause punctuation NEAR
 * characters or fewer from where even pages would end. */
#define SPLIT_PAGE 60
#define NEAR 6
#define AT_CLAUSE (-60)
/* A page end away from clause punctuation when no word may be split:
 * dearer than any evenness. */
#define LOOSE 1e4

/* Above these sizes the dynamic programmes would take seconds: a cue that
 * long (a whole transcript in one cue) is laid out in order instead. */
#define BIG 200000      /* lines x opportunities of one paragraph */
#define BIG_PAGES 1500  /* opportunities of a text split into pages */

typedef struct item {
    size_t off, len;
    unsigned char type, cls;
    unsigned char narrow; /* CL/OP that behaves as Latin punctuation */
    unsigned char level;  /* CL: 2 ends a sentence, 1 a clause */
    unsigned char wj;     /* CHAR: the next character is in the same word
                             (IN_WORD) or highlighted word (IN_MARKED) */
    double w;
} item;

enum { IN_WORD = 1, IN_MARKED = 2 };

typedef struct opp {
    size_t end, start; /* the line before ends at item end, the next
                          starts at item start */
    double lpen, ppen; /* penalty as a line break, as a page break */
    int forced;        /* a paragraph end ('\n' or the text's end) */
    unsigned char split;  /* inside a word */
    unsigned char clause; /* after clause (or sentence) punctuation */
} opp;

typedef struct wrapper {
    zimu_ctx *c;
    zimu_measure *m;
    const char *text;
    item *it;
    size_t n;
    double *cw;      /* cw[k]: width of items [0, k) */
    size_t *cc;      /* cc[k]: characters in items [0, k) */
    size_t *firstc;  /* first CHAR item at or after k (n if none) */
    size_t *lastc;   /* 1 + last CHAR item before k (0 if none) */
    opp *op;
    size_t n_op;
    size_t *reach;   /* reach[i]: the farthest opportunity a page from
                        opportunity i can end at */
    size_t *tags;    /* the IT_TAG items, in order (n_tags of them): a page
                        repeats those before it without scanning the text
                        again (a 1 MB line has thousands of pages) */
    size_t n_tags;
    double maxw;
    int max_lines;
} wrapper;

/* ------------------------------------------------------------------------
 * Characters.
 */


static int in_list(uint32_t cp, const uint32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == cp)
            return 1;
    return 0;
}

#define N(a) (sizeof(a) / sizeof *(a))

/* No line starts with these. */
static const uint32_t closing[] = {
    ')', ']', '}', ',', '.', '!', '?', ';', ':', '%',
    0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, /* 、。，．！？；： */
    0xFF09, 0xFF3D, 0xFF5D, 0xFF60, 0xFF61, 0xFF63, 0xFF64,          /* ）］｝｠｡｣､ */
    0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B,
    0x301E, 0x301F,                                                  /* 〉》」』】〕〗〙〛〞〟 */
    0x201D, 0x2019, 0x2026, 0x2025, 0x2014, 0x2015, 0x2E3A, 0x2E3B,  /* ”’…‥—―⸺⸻ */
    0xFF5E, 0x301C, 0xFF05, 0x2030, 0x2031, 0x2103, 0x2109, 0x00B0,  /* ～〜％‰‱℃℉° */
    0x2032, 0x2033, 0x203C, 0x2047, 0x2048, 0x2049,                  /* ′″‼⁇⁈⁉ */
    0xFE50, 0xFE51, 0xFE52, 0xFE54, 0xFE55, 0xFE56, 0xFE57, 0xFE5A,
    0xFE5C, 0xFE5E,                                                  /* small forms */
    0x3005, 0x303B, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x30FC,          /* 々〻ゝゞヽヾー */
    0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
    0x3087, 0x308E, 0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7,
    0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6,  /* small kana */
};
/* No line ends with these. */
static const uint32_t opening[] = {
    '(', '[',
    0xFF08, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62,                          /* （［｛｟｢ */
    0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0x3018, 0x301A,
    0x301D,                                                          /* 〈《「『【〔〖〘〚〝 */
    0x201C, 0x2018,                                                  /* “‘ */
    0xFF04, 0xFFE5, 0x00A5, 0x00A3, 0x20AC, 0xFFE1,                  /* ＄￥¥£€￡ */
    0xFE59, 0xFE5B, 0xFE5D,
};
static const uint32_t sentence_end[] = {
    '.', '!', '?', 0x3002, 0xFF01, 0xFF1F, 0xFF0E, 0xFF61, 0x203C,
    0x2047, 0x2048, 0x2049, 0xFE52, 0xFE56, 0xFE57,
};
static const uint32_t clause_end[] = {
    ',', ';', ':', 0x3001, 0xFF0C, 0xFF1B, 0xFF1A, 0xFF64, 0xFE50, 0xFE51,
    0xFE54, 0xFE55, 0x2026, 0x2025,
};

static int is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x303F) ||
           (cp >= 0x3040 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF) ||
           (cp >= 0x2460 && cp <= 0x24FF) ||                   /* ①②③ */
           (cp >= 0x2600 && cp <= 0x27BF) ||                   /* ☀ ✂ */
           (cp >= 0x2B00 && cp <= 0x2BFF) ||                   /* ⭐ */
           (cp >= 0x1F000 && cp <= 0x1FAFF);                   /* emoji */
}

static void classify(uint32_t cp, item *t)
{
    t->narrow = cp < 0x80 || cp == 0x2019 || cp == 0x201D || cp == 0x2018 ||
                cp == 0x201C;
    t->level = in_list(cp, sentence_end, N(sentence_end))  ? 2
             : in_list(cp, clause_end, N(clause_end)) ? 1 : 0;
    if (in_list(cp, closing, N(closing)))
        t->cls = C_CL;
    else if (in_list(cp, opening, N(opening)))
        t->cls = C_OP;
    else if (cp == '"' || cp == '\'' || cp == 0x00B7 || cp == 0x30FB ||
             cp == 0xFF65 || cp == 0xFF02 || cp == 0xFF07)
        t->cls = C_QU;
    else if (cp == 0x00A0 || cp == 0x202F || cp == 0x2007 || cp == 0x2060 ||
             cp == 0xFEFF || cp == 0x2011)
        t->cls = C_GL;
    else if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19))
        t->cls = C_NU;
    else if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
        t->cls = C_AL; /* fullwidth letters spell words too */
    else if (is_wide(cp))
        t->cls = C_ID;
    else
        t->cls = C_AL;
}

/* Does cp join the character before it? */
static int joins(hb_unicode_funcs_t *uf, uint32_t cp)
{
    if (cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
        (cp >= 0xE0020 && cp <= 0xE007F) || cp == 0x20E3)
        return 1;
    hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\v' ||
           cp == '\f' || cp == 0x3000 || cp == 0x200B || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A && cp != 0x2007) || cp == 0x205F ||
           (cp < 0x20 && cp != '\n');
}

/* ------------------------------------------------------------------------
 * Items.
 */

static int push(wrapper *w, size_t *cap, item t)
{
    if (w->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        item *v = realloc(w->it, nc * sizeof *v);
        if (!v)
            return -1;
        w->it = v;
        *cap = nc;
    }
    w->it[w->n++] = t;
    return 0;
}

static int tokenize(wrapper *w, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    size_t cap = 0;
    int para_has_char = 0, any_para = 0;
    uint32_t prev_cp = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] == '{') {
            const unsigned char *close = memchr(s + i, '}', len - i);
            if (close) {
                size_t e = (size_t)(close - s) + 1;
                if (push(w, &cap, (item){.off = i, .len = e - i,
                                         .type = IT_TAG}) < 0)
                    return -1;
                i = e;
                continue;
            }
        }
        size_t used;
        uint32_t cp = zimu__utf8_next(s + i, len - i, &used);
        if (cp == '\n') {
            /* Forced break, unless it would make an empty line. */
            if (para_has_char) {
                if (push(w, &cap, (item){.off = i, .len = 1,
                                         .type = IT_BREAK}) < 0)
                    return -1;
                para_has_char = 0;
            }
            i += used;
            prev_cp = 0;
            continue;
        }
        if (is_space(cp)) {
            if (push(w, &cap, (item){.off = i, .len = used,
                                     .type = IT_SPACE}) < 0)
                return -1;
            i += used;
            prev_cp = 0;
            continue;
        }
        /* Joins the previous character: marks, selectors, ZWJ sequences,
         * the second of a regional-indicator pair. */
        item *last = w->n ? &w->it[w->n - 1] : NULL;
        int regional = cp >= 0x1F1E6 && cp <= 0x1F1FF;
        if (last && last->type == IT_CHAR &&
            (joins(uf, cp) || prev_cp == 0x200D ||
             (regional && prev_cp >= 0x1F1E6 && prev_cp <= 0x1F1FF &&
              last->len == 4))) {
            last->len = i + used - last->off;
            prev_cp = cp == 0x200D ? cp : (regional ? 0 : cp);
            i += used;
            continue;
        }
        item t = {.off = i, .len = used, .type = IT_CHAR};
        classify(cp, &t);
        if (push(w, &cap, t) < 0)
            return -1;
        para_has_char = any_para = 1;
        prev_cp = cp;
        i += used;
    }
    /* A trailing forced break with nothing after it: drop it, keeping any
     * override blocks after it in the last paragraph. */
    if (!para_has_char && any_para) {
        for (size_t k = w->n; k-- > 0;) {
            if (w->it[k].type == IT_BREAK) {
                memmove(&w->it[k], &w->it[k + 1],
                        (w->n - k - 1) * sizeof *w->it);
                w->n--;
                break;
            }
            if (w->it[k].type == IT_CHAR)
                break;
        }
    }
    return any_para;
}

/* ------------------------------------------------------------------------
 * Words.
 */

/* Units after a number (the longest that matches is taken), and what may
 * come between the number and its unit. */
static const char *const units[] = {
    "人次", "分钟", "小时", "公里", "千米", "毫米", "厘米", "公斤", "千克", "摄氏度",
    "平方米", "平方公里", "立方米", "毫摩尔", "毫克", "毫升", "微克", "美元", "欧元", "英寸",
    "岁数", "周岁", "百分点", "个", "名", "位", "人", "次",
    "场", "元", "块", "角", "岁", "年", "月", "日", "号", "天", "周", "克", "米", "度",
    "倍", "项", "件", "户", "台", "辆", "架", "张", "条", "家", "级", "层", "楼", "点",
    "秒", "分", "届", "期", "例", "所", "种", "篇", "本", "份", "句", "遍", "斤", "吨",
    "升", "章", "节", "集", "部", "栋", "座", "套", "间", "床", "趟", "餐", "码", "寸",
    "万", "亿", "%", "％",
};

static uint32_t cp_of(const wrapper *w, size_t k)
{
    size_t used;
    return zimu__utf8_next((const unsigned char *)w->text + w->it[k].off, w->it[k].len, &used);
}

static int utf8_has(const char *set, uint32_t cp)
{
    const unsigned char *s = (const unsigned char *)set;
    size_t n = strlen(set);
    for (size_t i = 0; i < n;) {
        size_t used;
        if (zimu__utf8_next(s + i, n - i, &used) == cp)
            return 1;
        i += used;
    }
    return 0;
}

/* The characters of the text in order: ch[j] is an item index, sp[j] is
 * set when spaces or a forced break come before it. */
typedef struct chars {
    size_t *ch;
    unsigned char *sp;
    uint32_t *cp;
    size_t n;
} chars;

/* How many characters from j on spell the UTF-8 string u, with nothing
 * between them (0: they do not). */
static size_t spells(const chars *s, size_t j, const char *u)
{
    const unsigned char *b = (const unsigned char *)u;
    size_t n = strlen(u), k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t used;
        uint32_t cp = zimu__utf8_next(b + i, n - i, &used);
        if (j + k >= s->n || s->cp[j + k] != cp || (k && s->sp[j + k]))
            return 0;
        i += used;
    }
    return k;
}

static void join(wrapper *w, const chars *s, size_t a, size_t e, unsigned char how)
{
    for (size_t j = a; j + 1 < e; j++)
        if (w->it[s->ch[j]].wj < how)
            w->it[s->ch[j]].wj = how;
}

static int is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* The longest unit at character j (its length in characters, 0: none). */
static size_t unit_at(const chars *s, size_t j)
{
    size_t best = 0;
    for (size_t u = 0; j < s->n && !s->sp[j] && u < N(units); u++) {
        size_t k = spells(s, j, units[u]);
        best = k > best ? k : best;
    }
    return best;
}

/* Chinese numerals: 两周, 三点, 十二项, 第一 (with a unit after them). */
static int is_han_numeral(uint32_t cp)
{
    return utf8_has("〇一二三四五六七八九十百千两", cp);
}

/* A number with what belongs to it: [第] digits [. , : digits] [多 余 几 来]
 * [万 亿 千 百] [unit], or Chinese numerals with a unit after them; and a
 * reduplicated verb: X一X. */
static void join_numbers(wrapper *w, const chars *s)
{
    for (size_t j = 0; j < s->n; j++) {
        if (j + 2 < s->n && w->it[s->ch[j]].cls == C_ID && s->cp[j + 1] == 0x4E00 &&
            s->cp[j + 2] == s->cp[j] && !s->sp[j + 1] && !s->sp[j + 2])
            join(w, s, j, j + 3, IN_WORD); /* 聊一聊 看一看 */
        if (is_han_numeral(s->cp[j]) && !(j && !s->sp[j] && is_han_numeral(s->cp[j - 1]))) {
            size_t e = j + 1;
            while (e < s->n && !s->sp[e] && is_han_numeral(s->cp[e]))
                e++;
            size_t unit = e - j <= 3 ? unit_at(s, e) : 0;
            if (unit)
                join(w, s, j && !s->sp[j] && s->cp[j - 1] == 0x7B2C ? j - 1 : j, e + unit,
                     IN_WORD);
            continue;
        }
        if (!is_digit(s->cp[j]) || (j && !s->sp[j] && is_digit(s->cp[j - 1])))
            continue;
        size_t a = j && !s->sp[j] && s->cp[j - 1] == 0x7B2C ? j - 1 : j; /* 第 */
        size_t e = j + 1;
        while (e < s->n && !s->sp[e] &&
               (is_digit(s->cp[e]) || (strchr(".,:", (int)s->cp[e]) && e + 1 < s->n &&
                                       !s->sp[e + 1] && is_digit(s->cp[e + 1]))))
            e++;
        size_t digits_end = e;
        if (e < s->n && !s->sp[e] && utf8_has("多余几来", s->cp[e]))
            e++;
        if (e < s->n && !s->sp[e] && utf8_has("万亿千百", s->cp[e]))
            e++;
        e += unit_at(s, e);
        if (e > digits_end || a < j)
            join(w, s, a, e, IN_WORD);
        j = digits_end - 1;
    }
}

/* ICU's words of two or more characters. 0, or -1 when out of memory. */
static int join_icu_words(wrapper *w)
{
    size_t cap = 1;
    for (size_t k = 0; k < w->n; k++)
        cap += w->it[k].type == IT_CHAR ? w->it[k].len : 1;
    uint16_t *u = malloc(cap * sizeof *u);
    size_t *u2i = malloc(cap * sizeof *u2i);
    unsigned char *fl = malloc(cap);
    if (!u || !u2i || !fl) {
        free(u);
        free(u2i);
        free(fl);
        return -1;
    }
    size_t n = 0;
    for (size_t k = 0; k < w->n; k++) {
        const item *t = &w->it[k];
        if (t->type == IT_SPACE || t->type == IT_BREAK) {
            u2i[n] = k;
            u[n++] = t->type == IT_BREAK ? '\n' : ' ';
            continue;
        }
        if (t->type != IT_CHAR)
            continue; /* override blocks are not text */
        const unsigned char *b = (const unsigned char *)w->text + t->off;
        for (size_t i = 0; i < t->len;) {
            size_t used;
            uint32_t cp = zimu__utf8_next(b + i, t->len - i, &used);
            if (cp >= 0x10000 && cp <= 0x10FFFF) {
                u2i[n] = k;
                u[n++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
                cp = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            } else if (cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                cp = 0xFFFD;
            }
            u2i[n] = k;
            u[n++] = (uint16_t)cp;
            i += used;
        }
    }
    int rc = zimu__words(w->c, u, n, fl);
    size_t prefix = (size_t)-1; /* the item of a 总 just before */
    for (size_t a = 0; rc == 0 && a < n;) {
        size_t e = a + 1;
        while (e < n && !(fl[e] & ZIMU__WB_START))
            e++;
        if ((fl[a] & ZIMU__WB_WORD) && prefix != (size_t)-1 && e - a >= 2 &&
            w->it[prefix].wj < IN_WORD)
            w->it[prefix].wj = IN_WORD; /* 总 + a word: 总花费, 总人数 */
        prefix = (fl[a] & ZIMU__WB_WORD) && e - a == 1 && u[a] == 0x603B ? u2i[a] : (size_t)-1;
        if (fl[a] & ZIMU__WB_WORD) {
            size_t last = (size_t)-1;
            for (size_t i = a; i < e; i++) {
                size_t k = u2i[i];
                if (w->it[k].type != IT_CHAR || k == last)
                    continue;
                if (last != (size_t)-1 && w->it[last].wj < IN_WORD)
                    w->it[last].wj = IN_WORD;
                last = k;
            }
        }
        a = e;
    }
    free(u);
    free(u2i);
    free(fl);
    return rc < 0 ? -1 : 0;
}

/* Mark the characters that are in one word with the next (item.wj). 0, or
 * -1 when out of memory. */
static int find_words(wrapper *w)
{
    chars s = {malloc(w->n * sizeof *s.ch), malloc(w->n), malloc(w->n * sizeof *s.cp), 0};
    long *mk = malloc(w->n * sizeof *mk); /* the highlighted word, + 1 */
    int rc = s.ch && s.sp && s.cp && mk ? join_icu_words(w) : -1;
    int gap = 1;
    long marked = 0;
    for (size_t k = 0; rc == 0 && k < w->n; k++) {
        const item *t = &w->it[k];
        long word;
        int end;
        if (t->type == IT_TAG && zimu__mark_at(w->text + t->off, &word, &end))
            marked = end ? 0 : word + 1;
        if (t->type == IT_SPACE || t->type == IT_BREAK)
            gap = 1;
        if (t->type != IT_CHAR)
            continue;
        s.ch[s.n] = k;
        s.sp[s.n] = (unsigned char)gap;
        s.cp[s.n] = cp_of(w, k);
        mk[s.n++] = marked;
        gap = 0;
    }
    if (rc == 0) {
        join_numbers(w, &s);
        for (size_t j = 0; j + 1 < s.n; j++)
            if (mk[j] && mk[j] == mk[j + 1])
                w->it[s.ch[j]].wj = IN_MARKED;
    }
    free(s.ch);
    free(s.sp);
    free(s.cp);
    free(mk);
    return rc;
}

static int is_word(const item *t)
{
    return t->cls == C_AL || t->cls == C_NU;
}

/* Between characters a and b with nothing (spaced = 0) or spaces between. */
static int may_break(const item *a, const item *b, int spaced)
{
    if (b->cls == C_CL || a->cls == C_OP)
        return 0;
    if (spaced)
        return 1;
    if (a->cls == C_QU || b->cls == C_QU || a->cls == C_GL || b->cls == C_GL)
        return 0;
    if (is_word(a) && is_word(b))
        return 0;
    if (a->cls == C_CL && a->narrow && is_word(b))
        return 0; /* 3.5  e.g.  don’t */
    if (is_word(a) && b->cls == C_OP && b->narrow)
        return 0; /* f(x) */
    return 1;
}

/* The clause level a break after a gives: closing quotes and brackets take
 * the level of the mark before them ("。」" ends a sentence). */
static int level_after(const wrapper *w, size_t a)
{
    const item *t = &w->it[a];
    if (t->level || t->cls != C_CL)
        return t->level;
    for (size_t k = a; k-- > 0;) {
        if (w->it[k].type == IT_TAG)
            continue;
        if (w->it[k].type != IT_CHAR || w->it[k].cls != C_CL)
            return 0;
        if (w->it[k].level)
            return w->it[k].level;
    }
    return 0;
}

/* The penalties of a break between characters a and b, and what kind of
 * break it is. */
static void penalties(const wrapper *w, size_t a, size_t b, int spaced, opp *o)
{
    const item *x = &w->it[a], *y = &w->it[b];
    double *lpen = &o->lpen, *ppen = &o->ppen;
    int lv = level_after(w, a);
    if (lv == 2) {
        *lpen = -10; *ppen = -10;
    } else if (lv == 1) {
        *lpen = -8; *ppen = -5;
    } else if (x->cls == C_CL) {
        *lpen = -3; *ppen = -2;
    } else if (spaced) {
        *lpen = -2; *ppen = -1;
    } else if (y->cls == C_OP) {
        *lpen = -3; *ppen = -2;
    } else if (x->cls == C_NU) {
        *lpen = 5; *ppen = 6; /* 3|月, 337.7|万: keep numbers with units */
    } else if (y->cls == C_NU) {
        *lpen = 1.5; *ppen = 4;
    } else {
        *lpen = 0.5; *ppen = 3;
    }
    o->clause = lv >= 1;
    if (x->wj == IN_WORD) {
        o->split = 1;
        *lpen += SPLIT_LINE;
        *ppen += SPLIT_PAGE;
    } else if (!lv && !spaced && utf8_has("的了着过吗呢吧啊呀么", cp_of(w, b))) {
        *lpen += 1.5; /* particles end a phrase: a line had better not
                         start with them */
        *ppen += 1.5;
    }
}

static int measure_items(wrapper *w)
{
    for (size_t k = 0; k < w->n; k++) {
        item *t = &w->it[k];
        t->w = t->type == IT_CHAR || t->type == IT_SPACE
                   ? zimu__measure_text(w->m, w->text + t->off, t->len)
                   : 0;
    }
    /* Words are shaped whole (kerning, ligatures): put the difference
     * between the whole and the sum of its characters on the last one. */
    for (size_t k = 0; k < w->n;) {
        if (w->it[k].type != IT_CHAR) {
            k++;
            continue;
        }
        size_t e = k, last = k;
        double sum = w->it[k].w;
        int words = is_word(&w->it[k]);
        for (size_t j = k + 1; j < w->n; j++) {
            if (w->it[j].type == IT_TAG)
                continue;
            if (w->it[j].type != IT_CHAR ||
                may_break(&w->it[last], &w->it[j], 0))
                break;
            sum += w->it[j].w;
            words |= is_word(&w->it[j]);
            last = e = j;
        }
        if (e > k && words) {
            const item *a = &w->it[k], *b = &w->it[e];
            double whole = zimu__measure_text(w->m, w->text + a->off,
                                              b->off + b->len - a->off);
            w->it[e].w += whole - sum;
        }
        k = e + 1;
    }
    w->cw = malloc((w->n + 1) * sizeof *w->cw);
    w->firstc = malloc((w->n + 1) * sizeof *w->firstc);
    w->lastc = malloc((w->n + 1) * sizeof *w->lastc);
    w->cc = malloc((w->n + 1) * sizeof *w->cc);
    if (!w->cw || !w->firstc || !w->lastc || !w->cc)
        return -1;
    w->cw[0] = 0;
    w->cc[0] = 0;
    for (size_t k = 0; k < w->n; k++) {
        w->cw[k + 1] = w->cw[k] + w->it[k].w;
        w->cc[k + 1] = w->cc[k] + (w->it[k].type == IT_CHAR);
    }
    w->firstc[w->n] = w->n;
    for (size_t k = w->n; k-- > 0;)
        w->firstc[k] = w->it[k].type == IT_CHAR ? k : w->firstc[k + 1];
    w->lastc[0] = 0;
    for (size_t k = 0; k < w->n; k++)
        w->lastc[k + 1] = w->it[k].type == IT_CHAR ? k + 1 : w->lastc[k];
    return 0;
}

/* Width of a line made of items [a, b), without its outer spaces. */
static double width(const wrapper *w, size_t a, size_t b)
{
    size_t f = w->firstc[a], l = w->lastc[b];
    return f < l ? w->cw[l] - w->cw[f] : 0;
}

/* ------------------------------------------------------------------------
 * Break opportunities.
 */

static int push_opp(wrapper *w, size_t *cap, opp o)
{
    if (w->n_op == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        opp *v = realloc(w->op, nc * sizeof *v);
        if (!v)
            return -1;
        w->op = v;
        *cap = nc;
    }
    w->op[w->n_op++] = o;
    return 0;
}

/* Where the next line starts when breaking between character items a and
 * b: after the spaces between them, before the override blocks that
 * follow the spaces (those style what comes next), but after the marker
 * that ends a highlighted word (it belongs with its word). */
static size_t boundary(const wrapper *w, size_t a, size_t b)
{
    size_t k = b;
    long word;
    int end;
    while (k > a + 1 && w->it[k - 1].type == IT_TAG &&
           !(zimu__mark_at(w->text + w->it[k - 1].off, &word, &end) && end))
        k--;
    return k;
}

static int find_opps(wrapper *w)
{
    size_t cap = 0;
    w->n_op = 0;
    if (push_opp(w, &cap, (opp){0, 0, 0, 0, 1, 0, 0}) < 0)
        return -1;
    size_t prev = (size_t)-1;  /* previous character item */
    int spaced = 0;
    /* keyword spans: a span is kept on one line (broken at its spaces
     * only, or as a last resort when it is wider than a line) */
    long span = 0, n_spans = 0, prev_span = 0;
    for (size_t k = 0; k <= w->n; k++) {
        int end = k == w->n;
        const item *t = end ? NULL : &w->it[k];
        if (!end && t->type == IT_SPACE) {
            spaced = 1;
            continue;
        }
        if (!end && t->type == IT_TAG) {
            int on;
            if (zimu__key_at(w->text + t->off, &on))
                span = on ? (span ? span : ++n_spans) : 0;
            continue;
        }
        if (end || t->type == IT_BREAK) {
            size_t at = end ? w->n : k;
            opp o = {at, end ? w->n : k + 1, 0, -12, 1, 0, 0};
            if (push_opp(w, &cap, o) < 0)
                return -1;
            prev = (size_t)-1;
            spaced = 0;
            continue;
        }
        /* a character */
        int in_span = span && span == prev_span && !spaced;
        prev_span = span;
        if (prev != (size_t)-1 && !in_span && w->it[prev].wj != IN_MARKED &&
            may_break(&w->it[prev], t, spaced)) {
            size_t bnd = boundary(w, prev, k);
            opp o = {bnd, bnd, 0, 0, 0, 0, 0};
            penalties(w, prev, k, spaced, &o);
            if (push_opp(w, &cap, o) < 0)
                return -1;
        }
        prev = k;
        spaced = 0;
    }
    /* Runs without a break that are wider than a line may break between
     * any two of their characters, at a high price. */
    size_t n0 = w->n_op;
    for (size_t i = 0; i + 1 < n0; i++) {
        const opp *a = &w->op[i], *b = &w->op[i + 1];
        if (b->end <= a->start || width(w, a->start, b->end) <= w->maxw)
            continue;
        size_t pc = (size_t)-1;
        size_t lo = a->start, hi = b->end;
        for (size_t k = lo; k < hi; k++) {
            if (w->it[k].type != IT_CHAR)
                continue;
            /* even here, no closing mark starts a line and no opening
             * mark ends one ("www.example.gov.cn" breaks before "e") */
            if (pc != (size_t)-1 && w->it[k].cls != C_CL &&
                w->it[pc].cls != C_OP) {
                size_t bnd = boundary(w, pc, k);
                int in = w->it[pc].wj != 0;
                opp o = {bnd, bnd, 50 + in * SPLIT_LINE, 50 + in * SPLIT_PAGE, 0, in, 0};
                if (push_opp(w, &cap, o) < 0)
                    return -1;
            }
            pc = k;
        }
    }
    if (w->n_op > n0) {
        /* keep them in text order: a stable merge by position */
        opp *v = malloc(w->n_op * sizeof *v);
        if (!v)
            return -1;
        size_t i = 0, j = n0, o = 0;
        while (i < n0 || j < w->n_op) {
            if (j >= w->n_op ||
                (i < n0 && w->op[i].end <= w->op[j].end))
                v[o++] = w->op[i++];
            else
                v[o++] = w->op[j++];
        }
        free(w->op);
        w->op = v;
    }
    return 0;
}

/* The farthest opportunity a line from opportunity i can reach, never past
 * a forced one: at least i + 1; with whole, one not inside a word, 0 when
 * none is near enough. */
static size_t greedy_next(const wrapper *w, size_t i, int whole)
{
    size_t best = whole ? 0 : i + 1;
    for (size_t j = i + 1; j < w->n_op; j++) {
        if (width(w, w->op[i].start, w->op[j].end) > w->maxw + 1e-9)
            break;
        if (!whole || !w->op[j].split)
            best = j;
        if (w->op[j].forced)
            break;
    }
    return best;
}

/* Lines needed for opportunities [i, j]; with whole, breaking at word
 * boundaries only (INT_MAX when they cannot; j not inside a word). */
static int lines_between(const wrapper *w, size_t i, size_t j, int whole)
{
    int lines = 0;
    while (i < j) {
        i = greedy_next(w, i, whole);
        if (!i)
            return INT_MAX;
        lines++;
    }
    return lines;
}

/* ------------------------------------------------------------------------
 * Balancing.
 */

/* Choose the breaks of one paragraph piece, opportunities [lo, hi] with no
 * forced one inside, in `lines` lines (with whole, at word boundaries
 * only, which the caller has found possible in that many lines); the
 * chosen interior opportunities go to brk (lines - 1 of them). */
static int balance(const wrapper *w, size_t lo, size_t hi, int lines, int whole,
                   size_t *brk)
{
    if (lines <= 1)
        return 0;
    size_t m = hi - lo + 1;
    if ((size_t)lines * m > BIG) {
        /* a whole chapter in one cue: fill lines in order instead */
        size_t i = lo;
        for (int k = 0; k < lines - 1; k++)
            brk[k] = i = greedy_next(w, i, 0);
        return 0;
    }
    double *dp = malloc((size_t)lines * m * sizeof *dp);
    size_t *from = malloc((size_t)lines * m * sizeof *from);
    if (!dp || !from) {
        free(dp);
        free(from);
        return -1;
    }
    double total = width(w, w->op[lo].start, w->op[hi].end);
    double target = total / lines;
    if (target <= 0)
        target = 1;
    const double inf = INFINITY;
    for (size_t q = 0; q < (size_t)lines * m; q++) {
        dp[q] = inf;
        from[q] = 0;
    }
    for (int k = 0; k < lines; k++) {
        for (size_t j = 1; j < m; j++) {
            size_t gj = lo + j;
            if (whole && j < m - 1 && w->op[gj].split)
                continue;
            double pen = j == m - 1 ? 0 : w->op[gj].lpen;
            for (size_t i = j; i-- > 0;) {
                double prev = k == 0 ? (i == 0 ? 0 : inf) : dp[(k - 1) * m + i];
                double wd = width(w, w->op[lo + i].start, w->op[gj].end);
                int over = wd > w->maxw + 1e-9;
                if (over && i + 1 < j)
                    break; /* wider still further back */
                if (prev == inf)
                    continue;
                double d = (wd - target) / target;
                double cost = prev + 100 * d * d + pen + (over ? 1e6 : 0) +
                              (fabs(d) > TOL ? OUT_OF_TOL + 100 * fabs(d) : 0);
                if (cost < dp[k * m + j]) {
                    dp[k * m + j] = cost;
                    from[k * m + j] = i;
                }
            }
        }
    }
    size_t j = m - 1;
    for (int k = lines - 1; k > 0; k--) {
        size_t i = from[k * m + j];
        brk[k - 1] = lo + i;
        j = i;
    }
    free(dp);
    free(from);
    return 0;
}

/* ------------------------------------------------------------------------
 * Pages and output.
 */


/* An override block without its karaoke tags (\k \K \kf \ko and their
 * durations), which must not run again on a later page. */
static void put_carried_tag(zimu_sbuf *b, const char *s, size_t len)
{
    zimu_sbuf t = {0};
    size_t i = 1; /* past '{' */
    while (i < len - 1) {
        if (s[i] == '\\' && i + 1 < len - 1 && (s[i + 1] == 'k' ||
                                               s[i + 1] == 'K')) {
            size_t j = i + 2;
            if (j < len - 1 && (s[j] == 'f' || s[j] == 'o'))
                j++;
            if (j < len - 1 && s[j] >= '0' && s[j] <= '9') {
                while (j < len - 1 && s[j] != '\\')
                    j++;
                i = j;
                continue;
            }
        }
        zimu__sb_add(&t, s + i, 1);
        i++;
    }
    if (t.oom)
        b->oom = 1;
    else if (t.len) {
        zimu__sb_add(b, "{", 1);
        zimu__sb_add(b, t.s, t.len);
        zimu__sb_add(b, "}", 1);
    }
    free(t.s);
}

static void put_line(const wrapper *w, zimu_sbuf *b, size_t a, size_t e)
{
    size_t f = w->firstc[a], l = w->lastc[e];
    for (size_t k = a; k < e; k++) {
        const item *t = &w->it[k];
        if (t->type == IT_BREAK)
            continue;
        if (t->type == IT_SPACE && (k < f || k >= l))
            continue;
        if (t->type == IT_SPACE && (unsigned char)w->text[t->off] < 0x20)
            zimu__sb_add(b, " ", 1); /* tab, CR: a plain space for libass */
        else
            zimu__sb_add(b, w->text + t->off, t->len);
    }
}

static int any_split(const wrapper *w, const size_t *brk, int n)
{
    for (int k = 0; k < n; k++)
        if (w->op[brk[k]].split)
            return 1;
    return 0;
}

/* The lines of the page made of opportunities [lo, hi]: the opportunity
 * each ends at, in order, to *ends (malloc'd; hi last), their count to *n.
 * Each paragraph piece has the fewest lines, balanced; or one line more
 * when that keeps the words whole and the page has room for it. 0, or -1
 * when out of memory. */
static int page_lines(const wrapper *w, size_t lo, size_t hi, size_t **ends, int *n)
{
    size_t *v = NULL;
    int count = 0;
    for (size_t p = lo; p < hi;) {
        size_t q = p + 1;
        while (q < hi && !w->op[q].forced)
            q++;
        int lines = lines_between(w, p, q, 0);
        int room = p == lo && q == hi && lines < w->max_lines;
        size_t *nv = realloc(v, (size_t)(count + lines + 1) * sizeof *v);
        if (!nv || balance(w, p, q, lines, 0, nv + count) < 0) {
            free(nv ? nv : v);
            return -1;
        }
        v = nv;
        if (room && (size_t)lines + 1 <= q - p && any_split(w, v + count, lines - 1)) {
            size_t *more = malloc((size_t)(lines + 1) * sizeof *more);
            if (!more || balance(w, p, q, lines + 1, 0, more) < 0) {
                free(more);
                free(v);
                return -1;
            }
            if (!any_split(w, more, lines)) {
                memcpy(v + count, more, (size_t)lines * sizeof *more);
                lines++;
            }
            free(more);
        }
        if (any_split(w, v + count, lines - 1)) {
            /* still a word split: breaking at word boundaries only, in
             * as many lines as the page allows, however uneven */
            int most = room ? w->max_lines : lines;
            int whole = lines_between(w, p, q, 1);
            if (whole <= most && (size_t)whole * (q - p + 1) <= BIG) {
                size_t *ns = realloc(v, (size_t)(count + whole + 1) * sizeof *v);
                if (!ns) {
                    free(v);
                    return -1;
                }
                v = ns;
                if (balance(w, p, q, whole, 1, v + count) < 0) {
                    free(v);
                    return -1;
                }
                lines = whole;
            }
        }
        v[count + lines - 1] = q;
        count += lines;
        p = q;
    }
    *ends = v;
    *n = count;
    return 0;
}

/* Line breaks inside words on the pages ending at ends[0..pages-1]; -1
 * when out of memory. */
static int line_splits(const wrapper *w, int pages, const size_t *ends)
{
    int splits = 0;
    for (int p = 0; p < pages; p++) {
        size_t *le;
        int n;
        if (page_lines(w, p ? ends[p - 1] : 0, ends[p], &le, &n) < 0)
            return -1;
        for (int k = 0; k + 1 < n; k++)
            splits += w->op[le[k]].split;
        free(le);
    }
    return splits;
}

/* Lay out opportunities [lo, hi] as one page. */
static int make_page(wrapper *w, size_t lo, size_t hi, zimu_wrap_page *pg,
                     size_t *chars)
{
    zimu_sbuf b = {0};
    /* override blocks of earlier pages; of the keyword markers, only a
     * span that goes on (so each span is marked once per page) */
    int key_open = 0;
    for (size_t t = 0; t < w->n_tags && w->tags[t] < w->op[lo].start; t++) {
        size_t k = w->tags[t];
        int on;
        if (zimu__key_at(w->text + w->it[k].off, &on))
            key_open = on;
        else
            put_carried_tag(&b, w->text + w->it[k].off, w->it[k].len);
    }
    if (key_open)
        zimu__sb_adds(&b, ZIMU__KEY_ON);
    double widest = 0;
    size_t *brk;
    int n_lines;
    if (page_lines(w, lo, hi, &brk, &n_lines) < 0) {
        free(b.s);
        return -1;
    }
    for (int k = 0; k < n_lines; k++) {
        size_t a = k ? brk[k - 1] : lo, e = brk[k];
        if (k)
            zimu__sb_add(&b, "\n", 1);
        size_t line_start = b.len;
        put_line(w, &b, w->op[a].start, w->op[e].end);
        if (!b.oom) {
            double lw = zimu__measure_text(w->m, b.s + line_start, b.len - line_start);
            if (lw > widest)
                widest = lw;
        }
    }
    free(brk);
    if (b.oom) {
        free(b.s);
        return -1;
    }
    if (!b.s && !(b.s = calloc(1, 1)))
        return -1;
    size_t nc = 0;
    for (size_t k = w->op[lo].start; k < w->op[hi].end; k++)
        nc += w->it[k].type == IT_CHAR;
    pg->text = b.s;
    pg->len = b.len;
    pg->n_lines = n_lines;
    pg->width = widest;
    *chars = nc;
    return 0;
}

/* Does page p of pages end at opportunity j within NEAR characters of
 * where it would end if all pages had as many characters? */
static int near_even(const wrapper *w, size_t j, int p, int pages)
{
    double even = (double)(p + 1) * (double)w->cc[w->n] / pages;
    return fabs((double)w->cc[w->op[j].end] - even) <= NEAR;
}

/* The penalty of ending page p of pages at opportunity j. */
static double page_pen(const wrapper *w, size_t j, int p, int pages)
{
    if (j == w->n_op - 1)
        return 0;
    return w->op[j].clause && near_even(w, j, p, pages) ? AT_CLAUSE : w->op[j].ppen;
}

/* How many page ends (ends[0..pages-2]) are inside a word, or not at
 * clause punctuation or a forced break while the page could end at clause
 * punctuation near where it would end with even pages (the page and the
 * next one still fitting). */
static int misplaced(const wrapper *w, int pages, const size_t *ends)
{
    int bad = 0;
    for (int p = 0; p + 1 < pages; p++) {
        const opp *o = &w->op[ends[p]];
        if (o->split) {
            bad++;
            continue;
        }
        if (o->clause || o->forced)
            continue;
        size_t lo = p ? ends[p - 1] : 0, hi = ends[p + 1];
        for (size_t j = lo + 1; j < hi && j <= w->reach[lo]; j++)
            if (w->op[j].clause && near_even(w, j, p, pages) && hi <= w->reach[j]) {
                bad++;
                break;
            }
    }
    return bad;
}

/* Page ends: the fewest pages, then even pages ending at good places (at
 * clause punctuation near where even pages would end, never inside a
 * word if that can be helped). With whole, no word is split, across lines
 * or pages: pages from opportunity i end at one not inside a word up to
 * whole[i], and the fewest page ends away from clause punctuation come
 * first. The chosen page-end opportunities go to ends[0..pages-1]. 0, 1
 * when there are no such pages, -1 when out of memory. */
static int paginate(const wrapper *w, const size_t *whole, int pages, size_t *ends)
{
    size_t m = w->n_op;
    const size_t *reach = whole ? whole : w->reach;
    double *dp = malloc((size_t)pages * m * sizeof *dp);
    size_t *from = malloc((size_t)pages * m * sizeof *from);
    if (!dp || !from) {
        free(dp);
        free(from);
        return -1;
    }
    double total = width(w, 0, w->n);
    double avg = total / pages;
    if (avg <= 0)
        avg = 1;
    for (size_t q = 0; q < (size_t)pages * m; q++)
        dp[q] = INFINITY;
    for (int p = 0; p < pages; p++) {
        for (size_t i = 0; i < m; i++) {
            double base = p == 0 ? (i == 0 ? 0 : INFINITY)
                                 : dp[(size_t)(p - 1) * m + i];
            if (base == INFINITY)
                continue;
            for (size_t j = i + 1; j <= reach[i] && j < m; j++) {
                if ((p == pages - 1 && j != m - 1) || (whole && w->op[j].split))
                    continue;
                double d = (width(w, w->op[i].start, w->op[j].end) - avg) / avg;
                double cost = base + 30 * d * d + page_pen(w, j, p, pages);
                if (whole && j != m - 1 && !w->op[j].clause && !w->op[j].forced)
                    cost += LOOSE;
                if (cost < dp[(size_t)p * m + j]) {
                    dp[(size_t)p * m + j] = cost;
                    from[(size_t)p * m + j] = i;
                }
            }
        }
    }
    int ok = dp[(size_t)(pages - 1) * m + m - 1] < INFINITY;
    if (ok) {
        size_t j = m - 1;
        for (int p = pages - 1; p >= 0; p--) {
            ends[p] = j;
            j = from[(size_t)p * m + j];
        }
    }
    free(dp);
    free(from);
    return ok ? 0 : 1;
}

/* Page ends (but the last) neither at clause punctuation nor at a forced
 * break. */
static int loose_ends(const wrapper *w, int pages, const size_t *ends)
{
    int n = 0;
    for (int p = 0; p + 1 < pages; p++)
        n += !w->op[ends[p]].clause && !w->op[ends[p]].forced;
    return n;
}

/* Words split across lines or pages by the pages ending at
 * ends[0..pages-1]; -1 when out of memory. */
static int all_splits(const wrapper *w, int pages, const size_t *ends)
{
    int n = line_splits(w, pages, ends);
    for (int p = 0; n >= 0 && p + 1 < pages; p++)
        n += w->op[ends[p]].split;
    return n;
}

/* When the pages ending at (*ends)[0..*pages-1] split a word: the pages,
 * fewest (or one more) of them, that split none, ending at clause
 * punctuation where they can, if there are such pages. 0, or -1 when out
 * of memory. */
static int keep_words(const wrapper *w, int fewest, int *pages, size_t **ends)
{
    int split = all_splits(w, *pages, *ends);
    if (split <= 0)
        return split;
    size_t m = w->n_op;
    size_t *wreach = malloc(m * sizeof *wreach);
    size_t *best = NULL;
    int best_pages = 0, best_loose = INT_MAX, rc = 0;
    if (!wreach)
        return -1;
    for (size_t i = 0; i < m; i++) {
        size_t j = i;
        for (int l = 0; l < w->max_lines && j + 1 < m; l++) {
            size_t nx = greedy_next(w, j, 1);
            if (!nx)
                break;
            j = nx;
        }
        wreach[i] = j;
    }
    for (int n = fewest; n <= fewest + 1 && rc >= 0; n++) {
        size_t *v = malloc((size_t)n * sizeof *v);
        rc = v ? paginate(w, wreach, n, v) : -1;
        int loose = rc == 0 ? loose_ends(w, n, v) : INT_MAX;
        if (rc == 0 && loose < best_loose) {
            free(best);
            best = v;
            best_pages = n;
            best_loose = loose;
        } else {
            free(v);
        }
    }
    free(wreach);
    if (rc < 0) {
        free(best);
        return -1;
    }
    if (best) {
        free(*ends);
        *ends = best;
        *pages = best_pages;
    }
    return 0;
}

void zimu__wrap_free(zimu_wrap_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_pages; i++)
        free(r->pages[i].text);
    free(r->pages);
    r->pages = NULL;
    r->n_pages = 0;
}

/* What is wrong with the pages ending at ends[0..pages-1]: page ends out
 * of place (misplaced()) and words split across lines; -1 when out of
 * memory. */
static int faults(const wrapper *w, int pages, const size_t *ends)
{
    int bad = misplaced(w, pages, ends);
    return bad ? bad : line_splits(w, pages, ends);
}

static int layout(wrapper *w, zimu_wrap_result *out)
{
    if (find_opps(w) < 0)
        return -1;
    size_t m = w->n_op;
    int total_lines = lines_between(w, 0, m - 1, 0);
    int pages = 1;
    if (w->max_lines > 0 && total_lines > w->max_lines)
        pages = (total_lines + w->max_lines - 1) / w->max_lines;
    int fewest = pages;
    size_t *ends = malloc((size_t)pages * sizeof *ends);
    int paged = w->max_lines > 0 && m <= BIG_PAGES;
    free(w->reach);
    w->reach = paged ? malloc(m * sizeof *w->reach) : NULL;
    if (!ends || (paged && !w->reach)) {
        free(ends);
        return -1;
    }
    for (size_t i = 0; w->reach && i < m; i++) {
        size_t j = i;
        for (int l = 0; l < w->max_lines && j + 1 < m; l++)
            j = greedy_next(w, j, 0);
        w->reach[i] = j;
    }
    if (pages == 1) {
        ends[0] = m - 1;
    } else if (m > BIG_PAGES) {
        /* very long text: full pages in order, each balanced below */
        size_t i = 0;
        for (int p = 0; p < pages; p++) {
            for (int l = 0; l < w->max_lines && i + 1 < m; l++)
                i = greedy_next(w, i, 0);
            ends[p] = i;
        }
        ends[pages - 1] = m - 1;
    } else {
        int rc = paginate(w, NULL, pages, ends);
        while (rc == 1) {
            /* cannot happen with greedy-minimal counts; be safe anyway */
            pages++;
            size_t *ne = realloc(ends, (size_t)pages * sizeof *ends);
            if (!ne) {
                free(ends);
                return -1;
            }
            ends = ne;
            rc = paginate(w, NULL, pages, ends);
        }
        if (rc < 0) {
            free(ends);
            return -1;
        }
    }
    int bad = paged ? faults(w, pages, ends) : 0;
    if (bad > 0) {
        /* a page that ends mid-phrase, or a word split: one page more,
         * if then every page ends where it should, no word is split, and
         * no more pages end between phrases */
        size_t *more = malloc((size_t)(pages + 1) * sizeof *more);
        int rc = more ? paginate(w, NULL, pages + 1, more) : -1;
        bad = rc == 0 ? faults(w, pages + 1, more) : rc;
        if (bad == 0 && loose_ends(w, pages + 1, more) > loose_ends(w, pages, ends))
            bad = 1;
        if (bad == 0) {
            free(ends);
            ends = more;
            pages++;
        } else {
            free(more);
        }
    }
    if (bad >= 0 && paged)
        bad = keep_words(w, fewest, &pages, &ends);
    if (bad < 0) {
        free(ends);
        return -1;
    }
    out->pages = calloc((size_t)pages, sizeof *out->pages);
    size_t *chars = calloc((size_t)pages, sizeof *chars);
    if (!out->pages || !chars) {
        free(ends);
        free(chars);
        free(out->pages);
        out->pages = NULL;
        return -1;
    }
    size_t lo = 0, all = 0;
    for (int p = 0; p < pages; p++) {
        if (make_page(w, lo, ends[p], &out->pages[p], &chars[p]) < 0) {
            free(ends);
            free(chars);
            zimu__wrap_free(out);
            return -1;
        }
        out->n_pages++;
        all += chars[p];
        lo = ends[p];
    }
    for (int p = 0; p < pages; p++)
        out->pages[p].weight = all ? (double)chars[p] / all : 1.0 / pages;
    free(ends);
    free(chars);
    return 0;
}

int zimu__wrap(zimu_ctx *c, zimu_measure *m, const char *text, size_t len,
               double max_width, int max_lines, zimu_wrap_result *out)
{
    if (!out)
        return zimu__fail(c, ZIMU_EINVAL, "wrap: no result");
    memset(out, 0, sizeof *out);
    if (!m || (!text && len))
        return zimu__fail(c, ZIMU_EINVAL, "wrap: no text or measurer");
    if (!(max_width > 0))
        return zimu__fail(c, ZIMU_EINVAL, "wrap: line width %g is not valid",
                          max_width);
    wrapper w = {.c = c, .m = m, .text = text, .max_lines = max_lines};
    int rc = tokenize(&w, text ? text : "", len);
    if (rc <= 0) {
        free(w.it);
        return rc < 0 ? zimu__fail(c, ZIMU_ENOMEM, "wrap: out of memory") : 0;
    }
    if (find_words(&w) < 0 || measure_items(&w) < 0)
        goto oom;
    for (size_t k = 0; k < w.n; k++)
        w.n_tags += w.it[k].type == IT_TAG;
    if (w.n_tags && !(w.tags = malloc(w.n_tags * sizeof *w.tags)))
        goto oom;
    for (size_t k = 0, t = 0; k < w.n; k++)
        if (w.it[k].type == IT_TAG)
            w.tags[t++] = k;
    /* Items are measured one by one; a whole line can come out a little
     * wider (kerning, shaping across items). Lay out again narrower until
     * every line fits, which one retry nearly always achieves. */
    w.maxw = max_width;
    for (int attempt = 0;; attempt++) {
        if (layout(&w, out) < 0)
            goto oom;
        double worst = 0;
        for (size_t p = 0; p < out->n_pages; p++)
            if (out->pages[p].width > worst)
                worst = out->pages[p].width;
        if (worst <= max_width + 1e-6 || attempt == 3)
            break;
        double narrower = w.maxw - (worst - max_width) - 0.25;
        zimu__wrap_free(out);
        if (narrower <= 0)
            narrower = w.maxw / 2;
        w.maxw = narrower;
    }
    free(w.it);
    free(w.cw);
    free(w.cc);
    free(w.firstc);
    free(w.lastc);
    free(w.op);
    free(w.reach);
    free(w.tags);
    return 0;
oom:
    zimu__wrap_free(out);
    free(w.it);
    free(w.cw);
    free(w.cc);
    free(w.firstc);
    free(w.lastc);
    free(w.op);
    free(w.reach);
    free(w.tags);
    return zimu__fail(c, ZIMU_ENOMEM, "wrap: out of memory");
}
