/* check_linebreak.c - Chinese and mixed-text line breaking (linebreak.c):
 * the punctuation rules, words kept whole, even lines, pages, override
 * blocks; and, as a viewer would check it, every wrapped caption of the
 * real sentences rendered by libass inside the safe area of vertical and
 * landscape frames. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ass/ass.h>

#include "fonts.h"
#include "linebreak.h"
#include "measure.h"
#include "util_ass.h"
#include "util_sentences.h"

/* ------------------------------------------------------------------------
 * Fixtures.
 */

#define MAX_SENT 256
static char *sent[MAX_SENT];
static int n_sent;
static char *conf;

static void setup(void)
{
    zimu_ctx c = {0};
    ck_assert_int_eq(zimu__fonts_config(&c, NULL, &conf), 0);
    n_sent = tu_load_sentences(sent, MAX_SENT, 100);
}

static void teardown(void)
{
    tu_free_sentences(sent, n_sent);
    n_sent = 0;
    if (conf) {
        unlink(conf);
        free(conf);
        conf = NULL;
    }
}

static zimu_measure *new_measure(double size)
{
    zimu_ctx c = {0};
    zimu_measure *m = NULL;
    ck_assert_int_eq(zimu__measure_new(&c, &m, ZIMU__FONT_SANS, 0, size,
                                       conf), 0);
    return m;
}

static zimu_wrap_result wrap(zimu_measure *m, const char *text, double maxw,
                             int max_lines)
{
    zimu_ctx c = {0};
    zimu_wrap_result r;
    int rc = zimu__wrap(&c, m, text, strlen(text), maxw, max_lines, &r);
    ck_assert_msg(rc == 0, "wrap: %d %s", rc, c.errmsg);
    return r;
}

/* Lines of a page, split at '\n' (malloc'd copies, NULL-terminated). */
static char **lines_of(const char *text, int *n)
{
    char **v = calloc(strlen(text) + 2, sizeof *v);
    ck_assert_ptr_nonnull(v);
    *n = 0;
    const char *s = text;
    for (;;) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        v[*n] = strndup(s, len);
        (*n)++;
        if (!e)
            break;
        s = e + 1;
    }
    return v;
}

static void free_lines(char **v)
{
    for (int i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

static uint32_t cp_at(const char *s, size_t *used)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *used = 1;
        return u[0];
    }
    int len = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
    uint32_t cp = u[0] & (0x3F >> (len - 1));
    for (int i = 1; i < len; i++)
        cp = (cp << 6) | (u[i] & 0x3F);
    *used = (size_t)len;
    return cp;
}

/* First and last visible characters of a line (override blocks skipped). */
static void ends_of(const char *line, uint32_t *first, uint32_t *last)
{
    *first = *last = 0;
    for (size_t i = 0; line[i];) {
        if (line[i] == '{') {
            const char *e = strchr(line + i, '}');
            if (e) {
                i = (size_t)(e - line) + 1;
                continue;
            }
        }
        size_t used;
        uint32_t cp = cp_at(line + i, &used);
        if (!*first)
            *first = cp;
        *last = cp;
        i += used;
    }
}

static int utf8_has(const char *set, uint32_t cp)
{
    for (size_t i = 0; set[i];) {
        size_t used;
        if (cp_at(set + i, &used) == cp)
            return 1;
        i += used;
    }
    return 0;
}

/* What no line may start or end with. */
static const char no_start[] = "，。、！？；：）》」』”’…—,.!?;:)]}%〉】〕～";
static const char no_end[] = "（《「『“‘([【〈";

/* The text without spaces or line breaks, for comparing content. */
static char *squeeze(const char *s)
{
    char *o = malloc(strlen(s) + 1);
    ck_assert_ptr_nonnull(o);
    size_t n = 0;
    for (; *s; s++)
        if (*s != ' ' && *s != '\n')
            o[n++] = *s;
    o[n] = 0;
    return o;
}

/* Latin words and numbers: runs of ASCII letters and digits, joined by
 * one of . - : / % between them ("0.2%", "COVID-19", "8:30-11:30"). */
static int next_word(const char *s, size_t *pos, size_t *off, size_t *len)
{
#define ALNUM(ch) (((ch) >= '0' && (ch) <= '9') || ((ch) >= 'A' && (ch) <= 'Z') || \
                   ((ch) >= 'a' && (ch) <= 'z'))
    size_t i = *pos;
    while (s[i] && !ALNUM(s[i]))
        i++;
    if (!s[i])
        return 0;
    size_t b = i;
    for (;;) {
        while (ALNUM(s[i]))
            i++;
        if (s[i] && strchr(".-:/%", s[i]) && ALNUM(s[i + 1])) {
            i++;
            continue;
        }
        if (s[i] == '%')
            i++;
        break;
    }
    *off = b;
    *len = i - b;
    *pos = i;
    return 1;
#undef ALNUM
}

/* ------------------------------------------------------------------------
 * Rules over the sentences.
 */

static const double widths[] = {180, 230, 300, 380, 470, 560, 700};
#define N_WIDTHS (sizeof widths / sizeof *widths)

/* Punctuation rules, width limit, content kept, words whole. */
START_TEST(test_rules)
{
    double maxw = widths[_i];
    zimu_measure *m = new_measure(40);
    int checked_words = 0;
    for (int s = 0; s < n_sent; s++) {
        for (int max_lines = 0; max_lines <= 2; max_lines += 2) {
            zimu_wrap_result r = wrap(m, sent[s], maxw, max_lines);
            ck_assert_uint_ge(r.n_pages, 1);
            size_t all_cap = strlen(sent[s]) * 2 + 16, all_n = 0;
            char *all = calloc(all_cap, 1);
            double wsum = 0;
            for (size_t p = 0; p < r.n_pages; p++) {
                const zimu_wrap_page *pg = &r.pages[p];
                ck_assert_uint_eq(strlen(pg->text), pg->len);
                if (max_lines > 0)
                    ck_assert_int_le(pg->n_lines, max_lines);
                int nl;
                char **ln = lines_of(pg->text, &nl);
                ck_assert_int_eq(nl, pg->n_lines);
                for (int k = 0; k < nl; k++) {
                    uint32_t first, last;
                    ends_of(ln[k], &first, &last);
                    ck_assert_msg(first && !utf8_has(no_start, first),
                                  "w %g: line starts with U+%04X: '%s' in '%s'",
                                  maxw, first, ln[k], sent[s]);
                    ck_assert_msg(!utf8_has(no_end, last),
                                  "w %g: line ends with U+%04X: '%s' in '%s'",
                                  maxw, last, ln[k], sent[s]);
                    ck_assert_msg(ln[k][0] != ' ' &&
                                      ln[k][strlen(ln[k]) - 1] != ' ',
                                  "outer space kept: '%s'", ln[k]);
                    double lw = zimu__measure_text(m, ln[k], strlen(ln[k]));
                    ck_assert_msg(lw <= maxw + 1e-6, "w %g: '%s' is %.1f wide",
                                  maxw, ln[k], lw);
                    size_t l = strlen(ln[k]);
                    memcpy(all + all_n, ln[k], l);
                    all_n += l;
                    all[all_n++] = '\n';
                }
                all[all_n] = 0;
                free_lines(ln);
                wsum += pg->weight;
            }
            ck_assert(fabs(wsum - 1) < 1e-9);
            /* nothing lost, nothing added */
            char *a = squeeze(all), *b = squeeze(sent[s]);
            ck_assert_msg(!strcmp(a, b), "content changed:\n%s\n%s", b, a);
            free(a);
            free(b);
            /* every word that fits a line is on one line */
            size_t pos = 0, off, len;
            while (next_word(sent[s], &pos, &off, &len)) {
                if (zimu__measure_text(m, sent[s] + off, len) > maxw)
                    continue;
                char *word = strndup(sent[s] + off, len);
                int found = 0;
                for (size_t p = 0; p < r.n_pages && !found; p++) {
                    int nl;
                    char **ln = lines_of(r.pages[p].text, &nl);
                    for (int k = 0; k < nl && !found; k++)
                        found = strstr(ln[k], word) != NULL;
                    free_lines(ln);
                }
                ck_assert_msg(found, "w %g: '%s' split in '%s'", maxw, word,
                              sent[s]);
                checked_words++;
                free(word);
            }
            free(all);
            zimu__wrap_free(&r);
            ck_assert_uint_eq(r.n_pages, 0);
        }
    }
    ck_assert_int_gt(checked_words, 100);
    zimu__measure_free(&m);
}
END_TEST

/* Even lines: every two-line page of the sentences has lines of
 * similar width, and a line is never a stub. */
START_TEST(test_balance)
{
    zimu_measure *m = new_measure(40);
    int pages2 = 0;
    double worst = 1;
    for (size_t wi = 2; wi < N_WIDTHS; wi++) {
        for (int s = 0; s < n_sent; s++) {
            zimu_wrap_result r = wrap(m, sent[s], widths[wi], 2);
            for (size_t p = 0; p < r.n_pages; p++) {
                if (r.pages[p].n_lines != 2)
                    continue;
                int nl;
                char **ln = lines_of(r.pages[p].text, &nl);
                double a = zimu__measure_text(m, ln[0], strlen(ln[0]));
                double b = zimu__measure_text(m, ln[1], strlen(ln[1]));
                double ratio = fmax(a, b) / fmin(a, b);
                if (getenv("LB_DEBUG") && ratio > 1.5)
                    fprintf(stderr, "%.2f w%g '%s' / '%s'\n", ratio,
                            widths[wi], ln[0], ln[1]);
                /* A long number or word cannot move between the lines
                 * ("咨询电话" / "0571-88886666。"), and a line that is one
                 * such word cannot be balanced at all (a page that ends
                 * at a comma: "www.example.gov.cn" / "查询，"); otherwise
                 * the lines are within 1.7 of each other, breaks after
                 * commas included. */
                size_t pos = 0, off, len, longest = 0;
                int one_word = 0;
                while (next_word(r.pages[p].text, &pos, &off, &len)) {
                    longest = len > longest ? len : longest;
                    for (int k = 0; k < 2; k++)
                        one_word |= len == strlen(ln[k]) &&
                                    !strncmp(r.pages[p].text + off, ln[k], len);
                }
                /* quotes close up to Latin words: “掌上12333”App is
                 * unbreakable from 1 to p */
                size_t run = 0;
                for (const char *q = r.pages[p].text; *q;) {
                    size_t used;
                    uint32_t cp = cp_at(q, &used);
                    run = cp > ' ' && (cp < 0x80 || cp == 0x201D || cp == 0x2019) ? run + 1 : 0;
                    longest = run > longest ? run : longest;
                    q += used;
                }
                double limit = one_word ? INFINITY : longest >= 6 ? 2.2 : 1.7;
                if (!one_word && ratio > worst)
                    worst = ratio;
                ck_assert_msg(ratio <= limit,
                              "w %g: uneven %.0f/%.0f: '%s' / '%s'",
                              widths[wi], a, b, ln[0], ln[1]);
                pages2++;
                free_lines(ln);
            }
            zimu__wrap_free(&r);
        }
    }
    ck_assert_int_gt(pages2, 50);
    fprintf(stderr, "balance: %d two-line pages, worst width ratio %.2f\n",
            pages2, worst);
    zimu__measure_free(&m);
}
END_TEST

/* Greedy filling would leave "了。" alone on the second line. */
START_TEST(test_balance_no_stub)
{
    zimu_measure *m = new_measure(40);
    const char *t = "今天我们讲民法典里关于继承的一些规定了。";
    double han = zimu__measure_text(m, "中", strlen("中"));
    double maxw = 18.5 * han; /* 18 characters fit; the text has 20 */
    zimu_wrap_result r = wrap(m, t, maxw, 2);
    ck_assert_uint_eq(r.n_pages, 1);
    ck_assert_int_eq(r.pages[0].n_lines, 2);
    int nl;
    char **ln = lines_of(r.pages[0].text, &nl);
    double a = zimu__measure_text(m, ln[0], strlen(ln[0]));
    double b = zimu__measure_text(m, ln[1], strlen(ln[1]));
    ck_assert_msg(fabs(a - b) <= 2.5 * han, "'%s' / '%s'", ln[0], ln[1]);
    free_lines(ln);
    zimu__wrap_free(&r);
    zimu__measure_free(&m);
}
END_TEST

/* A comma is the place to break when it leaves the lines nearly even. */
START_TEST(test_prefer_punctuation)
{
    zimu_measure *m = new_measure(40);
    double han = zimu__measure_text(m, "中", strlen("中"));
    const char *t = "如果出现胸痛胸闷，持续超过十五分钟不缓解";
    zimu_wrap_result r = wrap(m, t, 14 * han, 2);
    ck_assert_uint_eq(r.n_pages, 1);
    ck_assert_str_eq(r.pages[0].text, "如果出现胸痛胸闷，\n持续超过十五分钟不缓解");
    zimu__wrap_free(&r);
    /* and it is never at the start of a line, even where it would
     * balance best */
    const char *u = "一二三四五六七八九十，一二三四五六七八九十";
    r = wrap(m, u, 11.5 * han, 2);
    ck_assert_str_eq(r.pages[0].text,
                     "一二三四五六七八九十，\n一二三四五六七八九十");
    zimu__wrap_free(&r);
    r = wrap(m, "“你好”《民法典》（第三版）", 4.2 * han, 0);
    for (size_t p = 0; p < r.n_pages; p++) {
        int nl;
        char **ln = lines_of(r.pages[p].text, &nl);
        for (int k = 0; k < nl; k++) {
            uint32_t f, l;
            ends_of(ln[k], &f, &l);
            ck_assert_msg(!utf8_has(no_start, f) && !utf8_has(no_end, l),
                          "'%s'", ln[k]);
        }
        free_lines(ln);
    }
    zimu__wrap_free(&r);
    zimu__measure_free(&m);
}
END_TEST

/* Latin text breaks at spaces only, without the spaces. */
START_TEST(test_latin)
{
    zimu_measure *m = new_measure(40);
    const char *t = "The quick brown fox jumps over the lazy dog near the "
                    "river bank, then runs home.";
    zimu_wrap_result r = wrap(m, t, 300, 0);
    ck_assert_uint_eq(r.n_pages, 1);
    ck_assert_int_ge(r.pages[0].n_lines, 3);
    int nl;
    char **ln = lines_of(r.pages[0].text, &nl);
    char joined[512] = "";
    for (int k = 0; k < nl; k++) {
        size_t l = strlen(ln[k]);
        ck_assert(l > 0 && ln[k][0] != ' ' && ln[k][l - 1] != ' ');
        if (k)
            strcat(joined, " ");
        strcat(joined, ln[k]);
    }
    ck_assert_str_eq(joined, t);
    free_lines(ln);
    zimu__wrap_free(&r);

    /* numbers and words stay whole next to Han text */
    const char *u = "售价3499美元的Vision Pro于2024年2月2日在美国上市，"
                    "首批预订约20万台";
    r = wrap(m, u, 200, 0);
    size_t pos = 0, off, len;
    while (next_word(u, &pos, &off, &len)) {
        char *w = strndup(u + off, len);
        ck_assert_msg(strstr(r.pages[0].text, w) != NULL, "'%s' split:\n%s",
                      w, r.pages[0].text);
        free(w);
    }
    zimu__wrap_free(&r);
    zimu__measure_free(&m);
}
END_TEST

/* Numbers keep their units, Chinese words stay whole (ICU's words, 聊一聊)
 * at every width, in lines and in pages. */
START_TEST(test_words_whole)
{
    static const struct {
        const char *text;
        const char *words[6];
    } t[] = {
        {"欢迎来到宁安街道红色直播间，今天我们来聊一聊独生子女家庭的养老问题。",
         {"欢迎", "来到", "街道", "直播", "聊一聊", "养老"}},
        {"截至目前，本年度社区共举办各类公益讲座28场，累计服务居民5000多人次。",
         {"28场", "5000多人次", "公益", "讲座", "累计", "居民"}},
        {"今天的直播大概45分钟，最后15分钟是答疑时间，大家有什么问题可以在评论区留言。",
         {"45分钟", "15分钟", "时间", "什么", "问题", "留言"}},
        {"老年人防跌倒要注意三点：地面保持干燥，夜间留一盏小夜灯，卫生间加装扶手。",
         {"三点", "跌倒", "注意", "地面", "干燥", "扶手"}},
        /* whole only with the page ends moved, or one page more */
        {"世界卫生组织（WHO）建议，成年人每周至少进行150分钟中等强度的有氧运动。",
         {"150分钟", "成年人", "至少", "进行", "建议"}},
        {"据统计，今年国庆假期全国国内出游8.26亿人次，国内游客出游总花费7008.17亿元。",
         {"全国", "国庆", "假期", "8.26亿人次", "7008.17亿元", "总花费"}},
        {"专家建议，65岁以上老年人每年做一次全面体检，重点关注血压、血糖、血脂和骨密度。",
         {"老年人", "65岁", "体检", "全面", "专家", "建议"}},
    };
    zimu_measure *m = new_measure(40);
    double han = zimu__measure_text(m, "中", strlen("中"));
    int checked = 0;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        for (double cols = 9.5; cols <= 18.5; cols += 1)
            for (int ml = 1; ml <= 2; ml++) {
                zimu_wrap_result r = wrap(m, t[i].text, cols * han, ml);
                for (size_t k = 0; k < 6 && t[i].words[k]; k++) {
                    int found = 0;
                    for (size_t p = 0; p < r.n_pages && !found; p++) {
                        int nl;
                        char **ln = lines_of(r.pages[p].text, &nl);
                        for (int l = 0; l < nl && !found; l++)
                            found = strstr(ln[l], t[i].words[k]) != NULL;
                        free_lines(ln);
                    }
                    ck_assert_msg(found, "%g columns, %d lines: '%s' split:\n%s%s%s", cols, ml,
                                  t[i].words[k], r.pages[0].text, r.n_pages > 1 ? "\n--\n" : "",
                                  r.n_pages > 1 ? r.pages[1].text : "");
                    checked++;
                }
                zimu__wrap_free(&r);
            }
    ck_assert_int_gt(checked, 400);
    zimu__measure_free(&m);
}
END_TEST

/* A word wider than the line is broken (only then), every piece fits. */
START_TEST(test_long_word)
{
    zimu_measure *m = new_measure(40);
    const char *t = "请访问https://www.example.gov.cn/notice/2024/water-supply"
                    "-maintenance.html查看";
    double maxw = 260;
    zimu_wrap_result r = wrap(m, t, maxw, 0);
    ck_assert_uint_eq(r.n_pages, 1);
    ck_assert_int_ge(r.pages[0].n_lines, 3);
    int nl;
    char **ln = lines_of(r.pages[0].text, &nl);
    for (int k = 0; k < nl; k++)
        ck_assert(zimu__measure_text(m, ln[k], strlen(ln[k])) <= maxw);
    free_lines(ln);
    char *a = squeeze(r.pages[0].text), *b = squeeze(t);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    zimu__wrap_free(&r);
    zimu__measure_free(&m);
}
END_TEST

/* '\n' is a forced break; empty lines and outer spaces go. */
START_TEST(test_forced_breaks)
{
    zimu_measure *m = new_measure(40);
    zimu_wrap_result r = wrap(m, "\n第一行\n\n  第二行 \r\n", 1000, 0);
    ck_assert_uint_eq(r.n_pages, 1);
    ck_assert_str_eq(r.pages[0].text, "第一行\n第二行");
    ck_assert_int_eq(r.pages[0].n_lines, 2);
    zimu__wrap_free(&r);
    /* three short forced lines, two to a page */
    r = wrap(m, "甲\n乙乙\n丙丙丙", 1000, 2);
    ck_assert_uint_eq(r.n_pages, 2);
    ck_assert_str_eq(r.pages[0].text, "甲\n乙乙");
    ck_assert_str_eq(r.pages[1].text, "丙丙丙");
    ck_assert(fabs(r.pages[0].weight - 0.5) < 1e-9);
    zimu__wrap_free(&r);
    /* nothing to show */
    r = wrap(m, " \n \n", 1000, 2);
    ck_assert_uint_eq(r.n_pages, 0);
    zimu__wrap_free(&r);
    r = wrap(m, "", 1000, 2);
    ck_assert_uint_eq(r.n_pages, 0);
    zimu__measure_free(&m);
}
END_TEST

/* More lines than max_lines: the fewest pages, or one more when that lets
 * pages end at clause punctuation or between words (check_wordbreak);
 * each within the limit, weights in proportion to the characters. */
START_TEST(test_pages)
{
    zimu_measure *m = new_measure(40);
    int more = 0, cases = 0;
    for (int s = 0; s < n_sent; s++) {
        for (size_t wi = 0; wi < 4; wi++) {
            zimu_wrap_result all = wrap(m, sent[s], widths[wi], 0);
            ck_assert_uint_eq(all.n_pages, 1);
            int lines = all.pages[0].n_lines;
            zimu__wrap_free(&all);
            for (int ml = 1; ml <= 3; ml++) {
                zimu_wrap_result r = wrap(m, sent[s], widths[wi], ml);
                size_t fewest = (size_t)((lines + ml - 1) / ml);
                ck_assert_msg(r.n_pages == fewest || r.n_pages == fewest + 1,
                              "%zu pages, fewest %zu", r.n_pages, fewest);
                more += r.n_pages > fewest;
                cases++;
                size_t chars = 0;
                for (size_t p = 0; p < r.n_pages; p++) {
                    ck_assert_int_le(r.pages[p].n_lines, ml);
                    ck_assert_int_ge(r.pages[p].n_lines, 1);
                    char *q = squeeze(r.pages[p].text);
                    size_t n = 0;
                    for (const char *c = q; *c; c++)
                        n += ((unsigned char)*c & 0xC0) != 0x80;
                    chars += n;
                    free(q);
                }
                for (size_t p = 0; p < r.n_pages; p++) {
                    char *q = squeeze(r.pages[p].text);
                    size_t n = 0;
                    for (const char *c = q; *c; c++)
                        n += ((unsigned char)*c & 0xC0) != 0x80;
                    ck_assert(fabs(r.pages[p].weight - (double)n / chars) <
                              1e-9);
                    free(q);
                }
                zimu__wrap_free(&r);
            }
        }
    }
    fprintf(stderr, "pages: %d of %d texts take a page more (page ends at punctuation, "
                    "words whole)\n",
            more, cases);
    ck_assert_int_lt(more, cases / 3);
    zimu__measure_free(&m);
}
END_TEST

/* Override blocks take no width, are never split, and hold on later
 * pages; karaoke tags are not repeated. */
START_TEST(test_override_blocks)
{
    zimu_measure *m = new_measure(40);
    const char *plain = "老旧小区改造工程已经进入第二阶段，包括加装电梯、更换供水"
                        "管道、增设电动车充电桩等十二项内容。";
    const char *tagged = "{\\c&H0000FF&\\b1}老旧小区改造工程已经进入第二阶段，"
                         "包括{\\k20}加装电梯、更换{\\i1}供水管道、增设电动车"
                         "充电桩等十二项内容。{\\i0}";
    zimu_wrap_result a = wrap(m, plain, 300, 2);
    zimu_wrap_result b = wrap(m, tagged, 300, 2);
    ck_assert_uint_eq(a.n_pages, b.n_pages);
    ck_assert_uint_ge(b.n_pages, 2);
    for (size_t p = 0; p < a.n_pages; p++) {
        ck_assert_int_eq(a.pages[p].n_lines, b.pages[p].n_lines);
        ck_assert(fabs(a.pages[p].width - b.pages[p].width) < 1e-6);
        /* same lines once the blocks are taken out */
        char *t = strdup(b.pages[p].text);
        char *o = t;
        for (char *s = t; *s;) {
            if (*s == '{') {
                char *e = strchr(s, '}');
                ck_assert_ptr_nonnull(e); /* never split */
                s = e + 1;
                continue;
            }
            *o++ = *s++;
        }
        *o = 0;
        ck_assert_str_eq(t, a.pages[p].text);
        free(t);
    }
    ck_assert(strncmp(b.pages[0].text, "{\\c&H0000FF&\\b1}", 16) == 0);
    for (size_t p = 1; p < b.n_pages; p++) {
        ck_assert_msg(strncmp(b.pages[p].text, "{\\c&H0000FF&\\b1}", 16) == 0,
                      "page %zu lost the colour: %s", p, b.pages[p].text);
        ck_assert_msg(strstr(b.pages[p].text, "\\k20") == NULL ||
                          strstr(b.pages[p].text, "{\\k20}加装") != NULL,
                      "karaoke tag repeated: %s", b.pages[p].text);
    }
    zimu__wrap_free(&a);
    zimu__wrap_free(&b);
    /* a block between two Latin words does not make a break there */
    zimu_wrap_result c = wrap(m, "abc{\\i1}def ghi", 1000, 0);
    ck_assert_str_eq(c.pages[0].text, "abc{\\i1}def ghi");
    zimu__wrap_free(&c);
    zimu__measure_free(&m);
}
END_TEST

/* A whole transcript in one cue still comes out right, and quickly. */
START_TEST(test_long_text)
{
    zimu_measure *m = new_measure(40);
    size_t cap = 1 << 16, n = 0;
    char *big = malloc(cap);
    ck_assert_ptr_nonnull(big);
    for (int rep = 0; rep < 4; rep++)
        for (int s = 0; s < n_sent; s++) {
            size_t l = strlen(sent[s]);
            ck_assert(n + l + 2 < cap);
            memcpy(big + n, sent[s], l);
            n += l;
            if (s % 7 == 6)
                big[n++] = '\n';
        }
    big[n] = 0;
    char *want = squeeze(big);
    for (int ml = 0; ml <= 2; ml++) {
        zimu_wrap_result r = wrap(m, big, 400, ml);
        ck_assert_uint_ge(r.n_pages, ml ? 50 : 1);
        size_t cap2 = n * 2 + 1, k = 0;
        char *all = malloc(cap2);
        for (size_t p = 0; p < r.n_pages; p++) {
            if (ml)
                ck_assert_int_le(r.pages[p].n_lines, ml);
            ck_assert(r.pages[p].width <= 400);
            memcpy(all + k, r.pages[p].text, r.pages[p].len);
            k += r.pages[p].len;
        }
        all[k] = 0;
        char *got = squeeze(all);
        ck_assert(!strcmp(got, want));
        free(got);
        free(all);
        zimu__wrap_free(&r);
    }
    free(want);
    free(big);
    zimu__measure_free(&m);
}
END_TEST

START_TEST(test_errors)
{
    zimu_measure *m = new_measure(40);
    zimu_ctx c = {0};
    zimu_wrap_result r;
    ck_assert_int_eq(zimu__wrap(&c, m, "中文", 6, 0, 2, &r), ZIMU_EINVAL);
    ck_assert_uint_eq(r.n_pages, 0);
    ck_assert_int_eq(zimu__wrap(&c, m, "中文", 6, NAN, 2, &r), ZIMU_EINVAL);
    ck_assert_int_eq(zimu__wrap(&c, NULL, "中文", 6, 100, 2, &r), ZIMU_EINVAL);
    ck_assert_int_eq(zimu__wrap(&c, m, NULL, 3, 100, 2, &r), ZIMU_EINVAL);
    ck_assert_int_eq(zimu__wrap(&c, m, "x", 1, 100, 2, NULL), ZIMU_EINVAL);
    /* the length is honoured: the bytes after it are not read */
    char buf[6];
    memcpy(buf, "中文中", 6); /* two characters, no NUL */
    ck_assert_int_eq(zimu__wrap(&c, m, buf, 6, 100, 2, &r), 0);
    ck_assert_str_eq(r.pages[0].text, "中文");
    zimu__wrap_free(&r);
    zimu__wrap_free(&r);
    zimu__wrap_free(NULL);
    /* broken UTF-8 does not crash and keeps its bytes */
    ck_assert_int_eq(zimu__wrap(&c, m, "中\xff\xfe文", 8, 100, 2, &r), 0);
    ck_assert_uint_eq(r.n_pages, 1);
    zimu__wrap_free(&r);
    zimu__measure_free(&m);
}
END_TEST

/* ------------------------------------------------------------------------
 * Acceptance: rendered by libass, inside the safe area.
 */

typedef struct frame {
    int w, h;
    double left, right, top, bottom; /* safe margins, fractions */
    double size;                     /* caption font size */
} frame;

static const frame frames[] = {
    {720, 1280, 0.08, 0.16, 0.12, 0.22, 0.055 * 720},
    {1080, 1920, 0.08, 0.16, 0.12, 0.22, 0.055 * 1080},
    {1920, 1080, 0.10, 0.10, 0.05, 0.08, 0.06 * 1080},
};
#define OUTLINE 3

static void quiet(int level, const char *fmt, va_list ap, void *data)
{
    (void)level;
    (void)fmt;
    (void)ap;
    (void)data;
}

typedef struct box {
    int x0, y0, x1, y1; /* x1, y1 exclusive; x1 <= x0 when empty */
} box;

/* Render one caption (text with '\n' breaks) at the bottom of the safe
 * area; the union of the ASS_Image rectangles, and of the inked pixels. */
static void render_caption(ASS_Library *lib, ASS_Renderer *r, const frame *f,
                           const char *text, int wrap_style, box *rect,
                           box *ink)
{
    int L = (int)lround(f->left * f->w), R = (int)lround(f->right * f->w);
    /* the outline reaches below the line box: keep it off the edge */
    int B = (int)lround(f->bottom * f->h) + OUTLINE + 1;
    char *ev = malloc(strlen(text) * 2 + 1);
    ck_assert_ptr_nonnull(ev);
    size_t n = 0;
    for (const char *s = text; *s; s++) {
        if (*s == '\n') {
            ev[n++] = '\\';
            ev[n++] = 'N';
        } else {
            ev[n++] = *s;
        }
    }
    ev[n] = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    fprintf(fp,
            "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
            "WrapStyle: %d\nScaledBorderAndShadow: yes\n\n"
            "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
            "Style: Default,%s,%g,&H00FFFFFF,&H000000FF,&H00000000,"
            "&H00000000,0,0,0,0,100,100,0,0,1,%d,0,2,%d,%d,%d,1\n\n"
            "[Events]\n" TU_ASS_EVENT_FORMAT
            "Dialogue: 0,0:00:00.00,0:00:10.00,Default,,0,0,0,,%s\n",
            f->w, f->h, wrap_style, ZIMU__FONT_SANS, f->size, OUTLINE, L, R,
            B, ev);
    fclose(fp);
    free(ev);
    ASS_Track *t = ass_read_memory(lib, buf, len, NULL);
    free(buf);
    ck_assert_ptr_nonnull(t);
    *rect = (box){f->w, f->h, 0, 0};
    *ink = (box){f->w, f->h, 0, 0};
    int changed;
    for (ASS_Image *im = ass_render_frame(r, t, 1000, &changed); im;
         im = im->next) {
        if (im->w <= 0 || im->h <= 0)
            continue;
        rect->x0 = im->dst_x < rect->x0 ? im->dst_x : rect->x0;
        rect->y0 = im->dst_y < rect->y0 ? im->dst_y : rect->y0;
        rect->x1 = im->dst_x + im->w > rect->x1 ? im->dst_x + im->w : rect->x1;
        rect->y1 = im->dst_y + im->h > rect->y1 ? im->dst_y + im->h : rect->y1;
        for (int y = 0; y < im->h; y++)
            for (int x = 0; x < im->w; x++) {
                if (!im->bitmap[y * im->stride + x])
                    continue;
                int X = im->dst_x + x, Y = im->dst_y + y;
                if (X < ink->x0) ink->x0 = X;
                if (Y < ink->y0) ink->y0 = Y;
                if (X + 1 > ink->x1) ink->x1 = X + 1;
                if (Y + 1 > ink->y1) ink->y1 = Y + 1;
            }
    }
    ass_free_track(t);
}

START_TEST(test_acceptance_safe_area)
{
    const frame *f = &frames[_i];
    ASS_Library *lib = ass_library_init();
    ass_set_message_cb(lib, quiet, NULL);
    ASS_Renderer *r = ass_renderer_init(lib);
    ass_set_frame_size(r, f->w, f->h);
    ass_set_storage_size(r, f->w, f->h);
    ass_set_hinting(r, ASS_HINTING_NONE);
    ass_set_fonts(r, NULL, ZIMU__FONT_DEFAULT, ASS_FONTPROVIDER_FONTCONFIG,
                  conf, 1);
    box safe = {(int)lround(f->left * f->w), (int)lround(f->top * f->h),
                f->w - (int)lround(f->right * f->w),
                f->h - (int)lround(f->bottom * f->h)};
    /* the outline and the glyphs' ink may reach past the advance box */
    double maxw = (safe.x1 - safe.x0) - 2 * OUTLINE - 2;
    zimu_measure *m = new_measure(f->size);
    int pages = 0, overflow_unwrapped = 0;
    for (int s = 0; s < n_sent; s++) {
        zimu_wrap_result wr = wrap(m, sent[s], maxw, 2);
        ck_assert_uint_ge(wr.n_pages, 1);
        for (size_t p = 0; p < wr.n_pages; p++) {
            box rect, ink;
            render_caption(lib, r, f, wr.pages[p].text, 2, &rect, &ink);
            ck_assert_msg(ink.x1 > ink.x0, "%dx%d: nothing drawn for '%s'",
                          f->w, f->h, wr.pages[p].text);
            /* The ink (what a viewer sees) stays inside. The ASS_Image
             * rectangles themselves carry blank padding (libass rounds
             * bitmap sizes up), so they are held to the safe area plus
             * that padding only. */
            ck_assert_msg(ink.x0 >= safe.x0 && ink.x1 <= safe.x1 &&
                              ink.y0 >= safe.y0 && ink.y1 <= safe.y1,
                          "%dx%d: caption ink (%d,%d)-(%d,%d) leaves the safe "
                          "area (%d,%d)-(%d,%d):\n%s",
                          f->w, f->h, ink.x0, ink.y0, ink.x1, ink.y1,
                          safe.x0, safe.y0, safe.x1, safe.y1,
                          wr.pages[p].text);
            ck_assert_msg(rect.x0 >= safe.x0 && rect.y0 >= safe.y0 &&
                              rect.x1 <= safe.x1 + 32 && rect.y1 <= safe.y1 + 32,
                          "%dx%d: image box (%d,%d)-(%d,%d), safe area "
                          "(%d,%d)-(%d,%d)", f->w, f->h, rect.x0, rect.y0,
                          rect.x1, rect.y1, safe.x0, safe.y0, safe.x1, safe.y1);
            pages++;
        }
        zimu__wrap_free(&wr);
        /* the same sentence left to libass runs out of the safe area when
         * it is long: the check above can fail */
        box rect, ink;
        render_caption(lib, r, f, sent[s], 0, &rect, &ink);
        overflow_unwrapped += ink.x0 < safe.x0 || ink.x1 > safe.x1;
    }
    ck_assert_int_ge(pages, n_sent);
    ck_assert_msg(overflow_unwrapped >= 10, "only %d unwrapped sentences "
                  "overflow", overflow_unwrapped);
    fprintf(stderr, "safe area %dx%d: %d pages inside; %d of %d sentences "
            "overflow without zimu's breaks\n", f->w, f->h, pages,
            overflow_unwrapped, n_sent);
    zimu__measure_free(&m);
    ass_renderer_done(r);
    ass_library_done(lib);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("linebreak");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_rules, 0, N_WIDTHS);
    tcase_add_test(tc, test_balance);
    tcase_add_test(tc, test_balance_no_stub);
    tcase_add_test(tc, test_prefer_punctuation);
    tcase_add_test(tc, test_latin);
    tcase_add_test(tc, test_words_whole);
    tcase_add_test(tc, test_long_word);
    tcase_add_test(tc, test_forced_breaks);
    tcase_add_test(tc, test_pages);
    tcase_add_test(tc, test_override_blocks);
    tcase_add_test(tc, test_long_text);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("acceptance");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_acceptance_safe_area, 0,
                        sizeof frames / sizeof *frames);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
