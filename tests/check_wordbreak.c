/* check_wordbreak.c - Chinese lines a reader would accept: the real
 * sentences of tests/data/sentences.txt laid out as captions
 * (zimu__layout_run, the default style, two lines a page) at 720x1280,
 * 1080x1920 and 1920x1080, and counted:
 * - word splits: a line or page break inside a word of two or more
 *   characters (a word as ICU's zh_CN word break iterator returns it, 总
 *   with the word after it, or a number with its unit: 28场, 5000多人次,
 *   45分钟) where a break at a word boundary was possible instead: for a
 *   line break, both lines still fit and a two-line page keeps its lines
 *   within 1.68 of each other (the balance tolerance, 1.7, less a margin
 *   for measuring); for a page break, both pages still fit in two lines;
 * - mid-phrase page breaks: a page break not at clause punctuation
 *   (，。；：！？、 …) when such a mark lay within 6 characters of the
 *   balanced split point (k * characters / pages) and ending the page
 *   there still fits both pages in two lines without splitting a word;
 * - avoidable word splits: every break inside a word in a cue that could
 *   be laid out, in the fewest pages or one more, with no word split
 *   (any line and page breaks at word boundaries that fit the width); a
 *   cue that cannot keeps its splits, which are printed.
 * For the first two, an alternative is looked for next to the break only
 * (the page's other lines, the other pages kept). The counts are printed
 * (`build/tests/check_wordbreak`, WB_VERBOSE=1 shows each) and must be 0.
 * The same pages rendered by libass stay inside the safe area. The words
 * and the alternatives are found here, independently of the breaker.
 * And with word highlight (the karaoke style): a highlighted word is never
 * broken across lines, and a popped word moves no line. */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ass/ass.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>

#include "assgen.h"
#include "capopts.h"
#include "cue.h"
#include "fonts.h"
#include "layout.h"
#include "linebreak.h"
#include "measure.h"
#include "util_ass.h"
#include "util_paint.h"
#include "util_sentences.h"

#define MAX_SENT 512
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
    unlink(conf);
    free(conf);
    conf = NULL;
}

static const struct frame {
    int w, h;
} frames[] = {{720, 1280}, {1080, 1920}, {1920, 1080}};
#define N_FRAMES (int)(sizeof frames / sizeof *frames)

/* ------------------------------------------------------------------------
 * Characters of a sentence.
 */

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

static int is_blank(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* What no line may start or end with; clause punctuation; the closing
 * quotes and brackets that may follow it. */
static const char no_start[] = "，。、！？；：）》」』”’…—,.!?;:)]}%〉】〕～％℃°‰々·";
static const char no_end[] = "（《「『“‘([【〈·";
static const char clause[] = "，。；：！？、…,;:!?";
static const char closers[] = "”’」』）》〕】)]";

/* A sentence as visible characters (spaces left out). */
typedef struct chars {
    const char *text;
    size_t n;
    uint32_t *cp;
    size_t *off, *end;       /* bytes of character i: [off, end) */
    unsigned char *spaced;   /* a space before character i */
    unsigned char *inside;   /* a break before character i is inside a word */
} chars;

/* Numbers with their units stay whole: digits (with . , : between them),
 * then 多 余 几, then 万 亿 千 百, then a unit. */
static const char *const units[] = {
    "人次", "分钟", "小时", "公里", "毫米", "厘米", "公斤", "千克", "摄氏度", "个", "名",
    "位", "人", "次", "场", "元", "岁", "年", "月", "日", "号", "天", "周", "克", "米",
    "度", "倍", "项", "件", "户", "台", "辆", "张", "条", "家", "级", "层", "楼", "点",
    "秒", "届", "期", "例", "%", "万", "亿"};

static int is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Characters matched by the UTF-8 string u at character i (0 if none). */
static size_t match_at(const chars *s, size_t i, const char *u)
{
    size_t k = 0;
    for (size_t b = 0; u[b]; k++) {
        size_t used;
        uint32_t cp = cp_at(u + b, &used);
        if (i + k >= s->n || s->cp[i + k] != cp || (k && s->spaced[i + k]))
            return 0;
        b += used;
    }
    return k;
}

static void mark_word(chars *s, size_t a, size_t e)
{
    for (size_t k = a + 1; k < e; k++)
        s->inside[k] = 1;
}

static void number_units(chars *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (!is_digit(s->cp[i]) || (i && (is_digit(s->cp[i - 1]) || s->cp[i - 1] == '.')))
            continue;
        size_t j = i + 1;
        while (j < s->n && !s->spaced[j] &&
               (is_digit(s->cp[j]) || (strchr(".,:", (int)s->cp[j]) && j + 1 < s->n &&
                                       is_digit(s->cp[j + 1]))))
            j++;
        size_t e = j;
        if (e < s->n && !s->spaced[e] && utf8_has("多余几", s->cp[e]))
            e++;
        if (e < s->n && !s->spaced[e] && utf8_has("万亿千百", s->cp[e]))
            e++;
        size_t best = 0;
        for (size_t u = 0; e < s->n && !s->spaced[e] && u < sizeof units / sizeof *units; u++) {
            size_t k = match_at(s, e, units[u]);
            best = k > best ? k : best;
        }
        e += best;
        if (e > j)
            mark_word(s, i, e);
        i = j - 1;
    }
}

/* ICU's words of two or more characters. */
static void icu_words(chars *s)
{
    size_t len = strlen(s->text);
    UChar *u = malloc((len + 1) * sizeof *u);
    long *u2c = malloc((len + 2) * sizeof *u2c); /* UTF-16 index -> character */
    ck_assert(u && u2c);
    int32_t nu = 0;
    long ci = 0;
    for (size_t b = 0; b < len;) {
        size_t used;
        uint32_t cp = cp_at(s->text + b, &used);
        long at = is_blank(cp) ? -1 : ci++;
        if (cp >= 0x10000) {
            u2c[nu] = at;
            u[nu++] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
            u2c[nu] = at;
            u[nu++] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            u2c[nu] = at;
            u[nu++] = (UChar)cp;
        }
        b += used;
    }
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh_CN", u, nu, &e);
    ck_assert_msg(U_SUCCESS(e), "ubrk_open: %s", u_errorName(e));
    int32_t a = ubrk_first(bi);
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; a = b, b = ubrk_next(bi)) {
        if (ubrk_getRuleStatus(bi) < UBRK_WORD_NONE_LIMIT)
            continue;
        long first = -1, last = -1;
        for (int32_t k = a; k < b; k++)
            if (u2c[k] >= 0) {
                if (first < 0)
                    first = u2c[k];
                last = u2c[k];
            }
        if (first >= 0 && last > first) {
            mark_word(s, (size_t)first, (size_t)last + 1);
            if (first > 0 && s->cp[first - 1] == 0x603B && !s->spaced[first] &&
                !s->inside[first - 1])
                s->inside[first] = 1; /* 总 + a word: 总花费 */
        }
    }
    ubrk_close(bi);
    free(u);
    free(u2c);
}

static void chars_init(chars *s, const char *text)
{
    size_t len = strlen(text);
    memset(s, 0, sizeof *s);
    s->text = text;
    s->cp = calloc(len + 1, sizeof *s->cp);
    s->off = calloc(len + 1, sizeof *s->off);
    s->end = calloc(len + 1, sizeof *s->end);
    s->spaced = calloc(len + 1, 1);
    s->inside = calloc(len + 1, 1);
    ck_assert(s->cp && s->off && s->end && s->spaced && s->inside);
    int sp = 0;
    for (size_t b = 0; b < len;) {
        size_t used;
        uint32_t cp = cp_at(text + b, &used);
        if (is_blank(cp)) {
            sp = 1;
        } else {
            s->cp[s->n] = cp;
            s->off[s->n] = b;
            s->end[s->n] = b + used;
            s->spaced[s->n++] = (unsigned char)sp;
            sp = 0;
        }
        b += used;
    }
    icu_words(s);
    number_units(s);
}

static void chars_free(chars *s)
{
    free(s->cp);
    free(s->off);
    free(s->end);
    free(s->spaced);
    free(s->inside);
}

/* May a line end before character p, as the breaker's rules allow? */
static int legal(const chars *s, size_t p)
{
    if (p == 0 || p >= s->n)
        return 0;
    uint32_t a = s->cp[p - 1], b = s->cp[p];
    if (utf8_has(no_start, b) || utf8_has(no_end, a))
        return 0;
    if (s->spaced[p])
        return 1;
    return !(a < 0x80 && b < 0x80); /* Latin words, numbers, 3.5, 8:30 */
}

/* A page may end before character p at clause punctuation. */
static int at_clause(const chars *s, size_t p)
{
    if (p == 0 || p > s->n)
        return 0;
    size_t k = p - 1;
    while (k > 0 && utf8_has(closers, s->cp[k]))
        k--;
    return utf8_has(clause, s->cp[k]);
}

/* ------------------------------------------------------------------------
 * Counting.
 */

typedef struct counts {
    long lines, pages;      /* line breaks inside pages, page breaks */
    long in_word;           /* breaks inside a word, alternative or not */
    long avoidable;         /* ... in a cue that fits in as many pages, or
                               one more, without splitting a word */
    long kept;              /* ... in a cue that does not */
    long split_line, split_page; /* ... where a word boundary would do */
    long mid_phrase;        /* page breaks that should be at punctuation */
    long extra_pages;       /* cues with more pages than the fewest */
} counts;

typedef struct ctxt {
    zimu_measure *m;
    double maxw, spacing;
    int max_lines;
    const chars *s;
} ctxt;

static double width(const ctxt *x, size_t a, size_t b)
{
    return zimu__measure_text(x->m, x->s->text + x->s->off[a], x->s->end[b - 1] - x->s->off[a]) +
           x->spacing * (double)(b - a);
}

/* The lines characters [a, b) need at the width (the breaker's fewest,
 * which a greedy fill also gives). */
static int lines_needed(const ctxt *x, size_t a, size_t b)
{
    zimu_ctx c = {0};
    zimu_wrap_result r;
    const chars *s = x->s;
    ck_assert_int_eq(zimu__wrap(&c, x->m, s->text + s->off[a], s->end[b - 1] - s->off[a],
                                x->maxw - x->spacing * 2, 0, &r), 0);
    int n = r.n_pages ? r.pages[0].n_lines : 0;
    zimu__wrap_free(&r);
    return n;
}

/* The lines characters [a, b) need at the width breaking at word
 * boundaries only (a greedy fill); INT_MAX when a word is wider than a
 * line. */
static int whole_lines(const ctxt *x, size_t a, size_t b)
{
    int n = 0;
    while (a < b) {
        size_t next = a;
        for (size_t q = a + 1; q <= b; q++) {
            if (width(x, a, q) > x->maxw + 1e-6)
                break;
            if (q == b || (!x->s->inside[q] && legal(x->s, q)))
                next = q;
        }
        if (next == a)
            return INT_MAX;
        a = next;
        n++;
    }
    return n;
}

/* The fewest pages of characters [0, n) that split no word (a greedy
 * fill, pages ending at word boundaries); INT_MAX when there are none. */
static int whole_pages(const ctxt *x)
{
    const chars *s = x->s;
    int n = 0;
    for (size_t a = 0; a < s->n; n++) {
        size_t b = a;
        for (size_t q = a + 1; q <= s->n; q++) {
            if (q < s->n && (s->inside[q] || !legal(s, q)))
                continue;
            if (whole_lines(x, a, q) > x->max_lines)
                break;
            b = q;
        }
        if (b == a)
            return INT_MAX;
        a = b;
    }
    return n;
}

static int pages_fit(const ctxt *x, size_t a, size_t p, size_t b)
{
    return lines_needed(x, a, p) <= x->max_lines && lines_needed(x, p, b) <= x->max_lines;
}

/* A line break at p0 between lines [a, p0) and [p0, b) of a page with
 * n_lines lines: could a break at a word boundary have done? */
static int line_alternative(const ctxt *x, size_t a, size_t p0, size_t b, int n_lines,
                            size_t *alt)
{
    for (size_t p = a + 1; p < b; p++) {
        if (p == p0 || x->s->inside[p] || !legal(x->s, p))
            continue;
        double w1 = width(x, a, p), w2 = width(x, p, b);
        if (w1 > x->maxw + 1e-6 || w2 > x->maxw + 1e-6)
            continue;
        if (n_lines == 2 && fmax(w1, w2) / fmin(w1, w2) > 1.68)
            continue;
        *alt = p;
        return 1;
    }
    return 0;
}

/* A page break at p0 between pages [a, p0) and [p0, b). */
static int page_alternative(const ctxt *x, size_t a, size_t p0, size_t b, size_t *alt)
{
    /* the nearest word boundary on either side: one further away only
     * makes the longer page longer */
    for (int dir = -1; dir <= 1; dir += 2) {
        for (size_t p = p0 + (size_t)dir; p > a && p < b; p += (size_t)dir) {
            if (x->s->inside[p] || !legal(x->s, p))
                continue;
            if (pages_fit(x, a, p, b)) {
                *alt = p;
                return 1;
            }
            break;
        }
    }
    return 0;
}

static void show(const chars *s, size_t p, const char *what, const char *text)
{
    if (!getenv("WB_VERBOSE"))
        return;
    size_t a = p > 6 ? p - 6 : 0, b = p + 6 < s->n ? p + 6 : s->n;
    fprintf(stderr, "  %s: %.*s|%.*s   (%s)\n", what, (int)(s->off[p] - s->off[a]),
            s->text + s->off[a], (int)(s->end[b - 1] - s->off[p]), s->text + s->off[p], text);
}

/* Count over the pages P->v[from..to) of one cue. */
static void count_cue(const ctxt *x, const zimu_pages *P, size_t from, size_t to, counts *k)
{
    const chars *s = x->s;
    /* every break, by the number of characters before it */
    size_t cap = s->n + 2, nb = 0;
    size_t *at = malloc(cap * sizeof *at);
    int *page_of = malloc(cap * sizeof *page_of);
    ck_assert(at && page_of);
    size_t done = 0;
    at[nb] = 0;
    page_of[nb++] = 0;
    size_t *page_start = malloc((to - from + 1) * sizeof *page_start);
    ck_assert_ptr_nonnull(page_start);
    for (size_t i = from; i < to; i++) {
        page_start[i - from] = done;
        for (const char *q = P->v[i].text; *q;) {
            if (*q == '{') {
                const char *e = strchr(q, '}');
                ck_assert_ptr_nonnull(e);
                q = e + 1;
                continue;
            }
            if (*q == '\n') {
                at[nb] = done;
                page_of[nb++] = (int)(i - from);
                q++;
                continue;
            }
            size_t used;
            uint32_t cp = cp_at(q, &used);
            if (!is_blank(cp)) {
                ck_assert_msg(done < s->n && s->cp[done] == cp, "page text differs from '%s'",
                              s->text);
                done++;
            }
            q += used;
        }
        if (i + 1 < to) {
            at[nb] = done;
            page_of[nb++] = -1 - (int)(i + 1 - from); /* a page break */
        }
    }
    page_start[to - from] = done;
    ck_assert_msg(done == s->n, "pages lose text of '%s'", s->text);
    at[nb] = s->n;
    page_of[nb] = 0;
    size_t pages = to - from;
    for (size_t j = 1; j < nb; j++) {
        size_t p0 = at[j], a = at[j - 1], b = at[j + 1], alt = 0;
        int is_page = page_of[j] < 0;
        is_page ? k->pages++ : k->lines++;
        if (s->inside[p0]) {
            k->in_word++;
            if (is_page) {
                size_t pg = (size_t)(-1 - page_of[j]);
                if (page_alternative(x, page_start[pg - 1], p0, page_start[pg + 1], &alt)) {
                    k->split_page++;
                    show(s, p0, "page break in a word", s->text);
                }
            } else {
                const zimu_page *pg = &P->v[from + (size_t)page_of[j]];
                if (line_alternative(x, a, p0, b, (int)pg->n_lines, &alt)) {
                    k->split_line++;
                    show(s, p0, "line break in a word", s->text);
                }
            }
        }
        if (is_page && !at_clause(s, p0)) {
            size_t pg = (size_t)(-1 - page_of[j]);
            double t = (double)pg * (double)s->n / (double)pages;
            size_t lo = page_start[pg - 1], hi = page_start[pg + 1];
            for (size_t q = lo + 1; q < hi; q++) {
                if (q == p0 || fabs((double)q - t) > 6 || !at_clause(s, q) || !legal(s, q))
                    continue;
                if (whole_lines(x, lo, q) <= x->max_lines &&
                    whole_lines(x, q, hi) <= x->max_lines) {
                    k->mid_phrase++;
                    show(s, p0, "page break mid-phrase", s->text);
                    break;
                }
            }
        }
    }
    /* breaks inside words when some arrangement of the cue, in the
     * fewest pages or one more, splits none */
    long in_word = 0;
    for (size_t j = 1; j < nb; j++)
        in_word += s->inside[at[j]];
    size_t fewest = 0;
    for (size_t a = 0; a < s->n; fewest++) {
        size_t b = s->n;
        for (size_t q = a + 1; q <= s->n; q++) {
            if (q < s->n && !legal(s, q))
                continue;
            if (lines_needed(x, a, q) > x->max_lines)
                break;
            b = q;
        }
        a = b;
    }
    if (in_word) {
        int avoidable = whole_pages(x) <= (int)fewest + 1;
        if (avoidable)
            k->avoidable += in_word;
        else
            k->kept += in_word;
        if (getenv("WB_VERBOSE") || !avoidable) {
            fprintf(stderr, "  %s word split (%s):", avoidable ? "avoidable" : "kept",
                    avoidable ? "pages without one exist" : "no pages without one");
            for (size_t i = from; i < to; i++)
                fprintf(stderr, " [%s]", P->v[i].text);
            fprintf(stderr, "\n");
        }
    }
    /* more pages than the fewest */
    k->extra_pages += pages > fewest;
    if (pages > fewest && getenv("WB_VERBOSE")) {
        fprintf(stderr, "  %zu pages, fewest %zu:", pages, fewest);
        for (size_t i = from; i < to; i++)
            fprintf(stderr, " [%s]", P->v[i].text);
        fprintf(stderr, "\n");
    }
    free(at);
    free(page_of);
    free(page_start);
}

/* Lay the sentences out at frame f, one cue each; count. */
static void count_frame(const struct frame *f, counts *k, zimu_laid *L, zimu_cues *cues)
{
    zimu_ctx c = {0};
    memset(k, 0, sizeof *k);
    for (int i = 0; i < n_sent; i++)
        ck_assert_ptr_nonnull(zimu__cues_add(cues, i * 10000, i * 10000 + 8000, sent[i],
                                             strlen(sent[i])));
    zimu_layout lay = {.width = f->w, .height = f->h, .fonts_conf = conf};
    ck_assert_int_eq(zimu__layout_run(&c, cues, &lay, L), 0);
    const zimu_lstyle *ts = &L->ts[ZIMU__TS_CAPTION];
    zimu_measure *m = NULL;
    ck_assert_int_eq(zimu__measure_new(&c, &m, ts->s->font, ts->s->bold ? 1 : 0, ts->fs, conf),
                     0);
    const zimu_pages *P = &L->pages;
    for (size_t i = 0; i < P->n;) {
        size_t j = i;
        while (j < P->n && P->v[j].cue == P->v[i].cue)
            j++;
        chars s;
        chars_init(&s, sent[P->v[i].cue]);
        ctxt x = {m, P->v[i].wrap_w, ts->spacing, 2, &s};
        count_cue(&x, P, i, j, k);
        chars_free(&s);
        i = j;
    }
    zimu__measure_free(&m);
}

START_TEST(test_counts)
{
    const struct frame *f = &frames[_i];
    counts k;
    zimu_laid L;
    zimu_cues cues = {0};
    count_frame(f, &k, &L, &cues);
    fprintf(stderr,
            "words %dx%d: %d sentences, %ld line breaks, %ld page breaks; %ld inside a word "
            "(%ld where pages without a split word exist, %ld where none do), word splits "
            "where a word boundary would do: %ld line + %ld page; mid-phrase page breaks: "
            "%ld; cues with one page more than the fewest: %ld\n",
            f->w, f->h, n_sent, k.lines, k.pages, k.in_word, k.avoidable, k.kept,
            k.split_line, k.split_page, k.mid_phrase, k.extra_pages);
    ck_assert_int_gt(k.lines + k.pages, 100);
    ck_assert_msg(k.split_line + k.split_page == 0, "%dx%d: %ld words split",
                  f->w, f->h, k.split_line + k.split_page);
    ck_assert_msg(k.avoidable == 0, "%dx%d: %ld words split where pages without one exist",
                  f->w, f->h, k.avoidable);
    ck_assert_msg(k.mid_phrase == 0, "%dx%d: %ld page breaks mid-phrase", f->w, f->h,
                  k.mid_phrase);
    zimu__laid_free(&L);
    zimu__cues_clear(&cues);
}
END_TEST

/* ------------------------------------------------------------------------
 * What is drawn.
 */

typedef struct rig {
    ASS_Library *lib;
    ASS_Renderer *r;
    int w, h;
} rig;

static void rig_init(rig *g, int w, int h)
{
    ck_assert_ptr_nonnull(g->lib = tu_ass_library());
    ck_assert_ptr_nonnull(g->r = tu_ass_renderer(g->lib, w, h, conf));
    g->w = w;
    g->h = h;
}

static void rig_done(rig *g)
{
    ass_renderer_done(g->r);
    ass_library_done(g->lib);
}

static ASS_Track *make_track(rig *g, const zimu_cues *cues, const zimu_capopts *cap)
{
    zimu_ctx c = {0};
    zimu_layout lay = {.width = g->w, .height = g->h, .fonts_conf = conf, .cap = cap};
    ASS_Track *t = NULL;
    int r = zimu__assgen_track(&c, g->lib, cues, &lay, &t);
    ck_assert_msg(r == 0, "assgen: %d %s", r, c.errmsg);
    return t;
}

/* The ink of the frame at ms. */
static tu_box ink_at(rig *g, ASS_Track *t, long long ms)
{
    int changed;
    tu_box ink;
    tu_ass_paint(ass_render_frame(g->r, t, ms, &changed), NULL, g->w, g->h, &ink);
    return ink;
}

/* Every page of every sentence, rendered by libass, inside the safe
 * area. */
START_TEST(test_safe_area_pixels)
{
    const struct frame *f = &frames[_i];
    zimu_ctx c = {0};
    counts k;
    zimu_laid L;
    zimu_cues cues = {0};
    count_frame(f, &k, &L, &cues);
    rig g;
    rig_init(&g, f->w, f->h);
    ASS_Track *t = make_track(&g, &cues, NULL);
    zimu_safe_area sa;
    ck_assert_int_eq(zimu__safe_area(&c, NULL, f->w, f->h, &sa), 0);
    tu_box safe = {(int)floor(sa.left * f->w), (int)floor(sa.top * f->h),
                   (int)ceil(f->w - sa.right * f->w), (int)ceil(f->h - sa.bottom * f->h)};
    for (size_t i = 0; i < L.pages.n; i++) {
        const zimu_page *pg = &L.pages.v[i];
        tu_box ink = ink_at(&g, t, (pg->start_ms + pg->end_ms) / 2);
        ck_assert_msg(ink.x1 > ink.x0, "%dx%d: nothing drawn for '%s'", f->w, f->h, pg->text);
        ck_assert_msg(ink.x0 >= safe.x0 && ink.y0 >= safe.y0 && ink.x1 <= safe.x1 &&
                          ink.y1 <= safe.y1,
                      "%dx%d: ink (%d,%d)-(%d,%d) leaves the safe area (%d,%d)-(%d,%d): %s",
                      f->w, f->h, ink.x0, ink.y0, ink.x1, ink.y1, safe.x0, safe.y0, safe.x1,
                      safe.y1, pg->text);
    }
    fprintf(stderr, "safe area %dx%d: %zu pages drawn inside\n", f->w, f->h, L.pages.n);
    ass_free_track(t);
    rig_done(&g);
    zimu__laid_free(&L);
    zimu__cues_clear(&cues);
}
END_TEST

/* ------------------------------------------------------------------------
 * Highlighted words.
 */

/* A cue of text with a timed word of about n characters (as a
 * transcript gives them: punctuation goes with a word, a word ends where a
 * line may break) from 1 s on, one every 300 ms. */
static zimu_cue *cue_with_words(zimu_cues *cues, const char *text, int n)
{
    zimu_cue *cue = zimu__cues_add(cues, 0, 60000, text, strlen(text));
    ck_assert_ptr_nonnull(cue);
    size_t len = strlen(text), off = 0;
    for (int64_t k = 0; off < len; k++) {
        size_t e = off;
        uint32_t last = 0;
        for (int ch = 0; e < len;) {
            size_t used;
            uint32_t cp = cp_at(text + e, &used);
            if (ch >= n && !utf8_has(no_start, cp) && !utf8_has(no_end, last) &&
                !(cp < 0x80 && last < 0x80))
                break;
            ch += !utf8_has(no_start, cp) && !utf8_has(no_end, cp);
            last = cp;
            e += used;
        }
        ck_assert_int_eq(zimu__cue_add_word(cue, 1000 + k * 300, 1000 + k * 300 + 250, off,
                                            e - off), 0);
        off = e;
    }
    return cue;
}

/* A highlighted word is never broken across lines (or pages): in each
 * line of each page, every word that starts ends there. */
START_TEST(test_highlighted_words_whole)
{
    zimu_ctx c = {0};
    int checked = 0;
    for (int f = 0; f < N_FRAMES; f++) {
        for (int n = 2; n <= 4; n++) {
            zimu_capopts cap;
            zimu__capopts_init(&cap);
            cap.style = strdup("karaoke");
            zimu_cues cues = {0};
            for (int i = 0; i < n_sent; i++) {
                zimu_cue *cue = cue_with_words(&cues, sent[i], n);
                cue->start_ms = (int64_t)i * 60000;
                cue->end_ms = cue->start_ms + 59000;
                for (size_t w = 0; w < cue->n_words; w++) {
                    cue->words[w].start_ms += cue->start_ms;
                    cue->words[w].end_ms += cue->start_ms;
                }
            }
            zimu_layout lay = {.width = frames[f].w, .height = frames[f].h, .fonts_conf = conf,
                               .cap = &cap};
            zimu_laid L;
            ck_assert_int_eq(zimu__layout_run(&c, &cues, &lay, &L), 0);
            const zimu_lstyle *ts = &L.ts[ZIMU__TS_CAPTION];
            zimu_measure *m = NULL;
            ck_assert_int_eq(zimu__measure_new(&c, &m, ts->s->font, ts->s->bold ? 1 : 0, ts->fs,
                                               conf), 0);
            for (size_t i = 0; i < L.pages.n; i++) {
                const char *q = L.pages.v[i].text;
                ck_assert_int_eq(L.pages.v[i].highlight, 1);
                long open = -1;
                for (; *q; q++) {
                    long w;
                    int end;
                    size_t len = zimu__mark_at(q, &w, &end);
                    if (len) {
                        if (end) {
                            ck_assert_int_eq(w, open);
                            open = -1;
                            checked++;
                        } else {
                            open = w;
                        }
                        q += len - 1;
                    } else if (*q == '\n' && open >= 0) {
                        /* only a word wider than a line (when popped) may
                         * be broken */
                        const zimu_cue *cue = &cues.v[L.pages.v[i].cue];
                        const zimu_word *wd = &cue->words[open];
                        double ww = zimu__measure_text(m, cue->text + wd->off, wd->len) *
                                    ts->s->highlight_scale / 100.0;
                        ck_assert_msg(ww > L.pages.v[i].wrap_w, "%dx%d: word %ld broken: %s",
                                      frames[f].w, frames[f].h, open, L.pages.v[i].text);
                    }
                }
                /* a page ends after its last word */
                ck_assert_msg(open < 0, "word %ld goes on to the next page", open);
            }
            zimu__measure_free(&m);
            zimu__laid_free(&L);
            zimu__cues_clear(&cues);
            zimu__capopts_clear(&cap);
        }
    }
    ck_assert_int_gt(checked, 1000);
}
END_TEST

/* A popped word (karaoke: the current word 112%) moves no line: the lines
 * above it stay where they are while it is spoken. */
START_TEST(test_pop_moves_no_line)
{
    const struct frame *f = &frames[_i];
    zimu_ctx c = {0};
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup("karaoke");
    zimu_cues cues = {0};
    const char *text = "欢迎来到宁安街道红色直播间，今天我们来聊一聊独生子女家庭的养老问题。";
    zimu_cue *cue = cue_with_words(&cues, text, 2);
    rig g;
    rig_init(&g, f->w, f->h);
    zimu_pages pages = {0};
    zimu_layout lay = {.width = f->w, .height = f->h, .fonts_conf = conf, .cap = &cap,
                       .pages = &pages};
    ASS_Track *t = NULL;
    ck_assert_int_eq(zimu__assgen_track(&c, g.lib, &cues, &lay, &t), 0);
    int compared = 0;
    for (size_t i = 0; i < pages.n; i++) {
        const zimu_page *pg = &pages.v[i];
        if (pg->n_lines < 2)
            continue;
        long w[64];
        size_t nw = zimu__page_words(pg->text, w, 64);
        /* the words of the last line: the page text after the last '\n' */
        long first_last = -1;
        size_t nl = zimu__page_words(strrchr(pg->text, '\n'), &first_last, 1);
        ck_assert_uint_eq(nl, 1);
        /* before the page's first word starts (the first page) or in the
         * pause after a word: nothing popped */
        long long calm = i == 0 ? 500 : cue->words[w[0]].start_ms - 30;
        tu_box still = ink_at(&g, t, calm);
        for (size_t k = 0; k < nw; k++) {
            if (w[k] < first_last)
                continue;
            /* word w[k] of the last line is spoken and popped */
            tu_box now = ink_at(&g, t, cue->words[w[k]].start_ms + 100);
            ck_assert_msg(now.y0 == still.y0,
                          "%dx%d: the line above moved from y %d to %d while word %ld "
                          "popped: %s", f->w, f->h, still.y0, now.y0, w[k], pg->text);
            compared++;
        }
    }
    ck_assert_int_ge(compared, 3);
    ass_free_track(t);
    rig_done(&g);
    zimu__pages_clear(&pages);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("wordbreak");
    TCase *tc = tcase_create("counts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_counts, 0, N_FRAMES);
    tcase_add_loop_test(tc, test_safe_area_pixels, 0, N_FRAMES);
    suite_add_tcase(s, tc);
    tc = tcase_create("highlight");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_highlighted_words_whole);
    tcase_add_loop_test(tc, test_pop_moves_no_line, 0, N_FRAMES);
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
