/* fmt_lrc.c - LRC lyrics.
 *
 * "[mm:ss.xx]text", "[mm:ss.xxx]", "[mm:ss]" and "[mm:ss:xx]"; several
 * time tags before one text ("[00:10.00][01:20.00]chorus"); "[offset:+/-ms]"
 * (positive: the lyrics come earlier) applies to the whole file; other
 * "[key:value]" tags (ar, ti, al, by, length, re, ve, #...) are ignored.
 * Enhanced LRC word times "<mm:ss.xx>" become the cue's words: a word runs
 * from its tag to the next tag (or the line's end). Each line ends where
 * the next later line begins; an empty timed line only ends the one before
 * it; the last line ends at last_ms when that is later, else 5 s after its
 * start.
 *
 * Fails (name:LINE:) on a time tag that is not valid and on a non-blank line
 * that starts with no tag at all. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cuetext.h"
#include "parsers.h"

static int isdig(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int issp(int ch)
{
    return ch == ' ' || ch == '\t';
}

static int isalpha_(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* "mm:ss[.:]xx" in s[0..n): ms, or -1. */
static int64_t lrc_time(const char *s, size_t n)
{
    size_t i = 0;
    int64_t m = 0, sec = 0, f = 0;
    int d = 0;
    /* minutes of up to 11 digits: as late as WebVTT's 9-digit hours */
    while (i < n && isdig((unsigned char)s[i]) && d < 11)
        m = m * 10 + (s[i] - '0'), i++, d++;
    if (!d || i >= n || s[i] != ':')
        return -1;
    i++;
    d = 0;
    while (i < n && isdig((unsigned char)s[i]) && d < 2)
        sec = sec * 10 + (s[i] - '0'), i++, d++;
    if (d != 2 || sec > 59)
        return -1;
    if (i < n && (s[i] == '.' || s[i] == ':' || s[i] == ',')) {
        i++;
        d = 0;
        while (i < n && isdig((unsigned char)s[i]) && d < 3)
            f = f * 10 + (s[i] - '0'), i++, d++;
        if (!d)
            return -1;
        while (d++ < 3)
            f *= 10;
    }
    if (i != n)
        return -1;
    return (m * 60 + sec) * 1000 + f;
}

typedef struct lrc_word {
    int64_t t;   /* start, before the offset */
    size_t off;  /* into the line's text */
} lrc_word;

typedef struct lrc_line {
    int64_t t;        /* time of this tag, before the offset */
    int64_t t_first;  /* the first tag of its source line */
    size_t text;      /* index of its text in texts */
    size_t ln;
    size_t seq;       /* order in the file */
    int64_t next;     /* the next later time tag, -1 if none */
} lrc_line;

typedef struct lrc_text {
    char *s;
    size_t len;
    lrc_word *w;
    size_t nw;
} lrc_text;

/* By time, then by order in the file (qsort is not stable; seq makes it
 * so). */
static int cmp_line(const void *pa, const void *pb)
{
    const lrc_line *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int zimu__parse_lrc(zimu_ctx *c, const char *name, const char *data,
                    size_t size, int64_t last_ms, zimu_cues *out)
{
    if (zimu__subs_check_nul(c, name, data, size) < 0)
        return ZIMU_ECHARSET;
    lrc_line *lines = NULL;
    size_t nlines = 0, caplines = 0;
    lrc_text *texts = NULL;
    size_t ntexts = 0, captexts = 0;
    int64_t offset = 0;
    int r = 0;
    size_t pos = 0, ln = 0;
    const char *l;
    size_t n;
    zimu_sbuf b = {0};
    while (r == 0 && zimu__next_line(data, size, &pos, &l, &n)) {
        ln++;
        if (ZIMU__CANCEL_CHECK(c, ln)) {
            r = zimu__fail_cancel(c);
            break;
        }
        while (n && issp((unsigned char)l[n - 1]))
            n--;
        size_t i = 0;
        while (i < n && issp((unsigned char)l[i]))
            i++;
        if (i == n)
            continue;
        if (l[i] != '[') {
            r = zimu__fail(c, ZIMU_ESUBS,
                           "%s:%zu: line does not start with a time tag '[mm:ss.xx]'",
                           name, ln);
            break;
        }
        size_t first = nlines;
        int64_t t_first = -1;
        for (;;) {
            if (nlines > first) { /* spaces between time tags */
                size_t j = i;
                while (j < n && issp((unsigned char)l[j]))
                    j++;
                if (j + 1 < n && l[j] == '[' && isdig((unsigned char)l[j + 1]))
                    i = j;
            }
            if (i >= n || l[i] != '[')
                break;
            const char *e = memchr(l + i, ']', n - i);
            if (!e && nlines > first)
                break; /* "[00:12.00][text": text */
            if (!e) {
                r = zimu__fail(c, ZIMU_ESUBS, "%s:%zu: tag '%.*s' has no ']'",
                               name, ln, (int)((n - i) > 40 ? 40 : n - i), l + i);
                break;
            }
            const char *t = l + i + 1;
            size_t tn = (size_t)(e - t);
            i = (size_t)(e - l) + 1;
            if (tn && isdig((unsigned char)t[0])) {
                int64_t ms = lrc_time(t, tn);
                if (ms < 0) {
                    r = zimu__fail(c, ZIMU_ESUBS,
                                   "%s:%zu: time tag '[%.*s]' is not valid", name,
                                   ln, (int)(tn > 40 ? 40 : tn), t);
                    break;
                }
                if (nlines == caplines) {
                    size_t cap = caplines ? caplines * 2 : 64;
                    lrc_line *v = realloc(lines, cap * sizeof *v);
                    if (!v) {
                        r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
                        break;
                    }
                    lines = v;
                    caplines = cap;
                }
                if (t_first < 0)
                    t_first = ms;
                lines[nlines] = (lrc_line){ms, t_first, ntexts, ln, nlines, -1};
                nlines++;
                continue;
            }
            /* [key:value] */
            size_t k = 0;
            while (k < tn && (isalpha_((unsigned char)t[k]) || t[k] == '#'))
                k++;
            if (!k || k >= tn || t[k] != ':') {
                if (nlines > first) { /* "[00:12.00][chorus] ...": text */
                    i = (size_t)(t - 1 - l);
                    break;
                }
                r = zimu__fail(c, ZIMU_ESUBS, "%s:%zu: tag '[%.*s]' is not valid",
                               name, ln, (int)(tn > 40 ? 40 : tn), t);
                break;
            }
            if (k == 6 && !strncasecmp(t, "offset", 6)) {
                size_t j = k + 1;
                while (j < tn && issp((unsigned char)t[j]))
                    j++;
                int neg = 0;
                if (j < tn && (t[j] == '+' || t[j] == '-'))
                    neg = t[j] == '-', j++;
                int64_t v = 0;
                int d = 0;
                while (j < tn && isdig((unsigned char)t[j]) && d < 9)
                    v = v * 10 + (t[j] - '0'), j++, d++;
                while (j < tn && issp((unsigned char)t[j]))
                    j++;
                if (!d || j != tn) {
                    r = zimu__fail(c, ZIMU_ESUBS,
                                   "%s:%zu: offset '%.*s' is not a number of "
                                   "milliseconds", name, ln,
                                   (int)((tn - k - 1) > 40 ? 40 : tn - k - 1),
                                   t + k + 1);
                    break;
                }
                offset = neg ? -v : v;
            }
        }
        if (r < 0)
            break;
        if (nlines == first)
            continue; /* metadata only */
        /* The text, with enhanced word times. */
        b.len = 0;
        if (b.s)
            b.s[0] = 0;
        lrc_text tx = {0};
        while (i < n && issp((unsigned char)l[i]))
            i++;
        while (i < n) {
            if (l[i] == '<') {
                const char *e = memchr(l + i, '>', n - i);
                if (e && e > l + i + 1 && isdig((unsigned char)l[i + 1])) {
                    int64_t ms = lrc_time(l + i + 1, (size_t)(e - l - i - 1));
                    if (ms < 0) {
                        r = zimu__fail(c, ZIMU_ESUBS,
                                       "%s:%zu: word time '%.*s' is not valid",
                                       name, ln,
                                       (int)((e - l - i + 1) > 40 ? 40 : e - l - i + 1),
                                       l + i);
                        break;
                    }
                    lrc_word *w = realloc(tx.w, (tx.nw + 1) * sizeof *w);
                    if (!w) {
                        r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
                        break;
                    }
                    tx.w = w;
                    tx.w[tx.nw++] = (lrc_word){ms, b.len};
                    i = (size_t)(e - l) + 1;
                    continue;
                }
            }
            size_t j = i + 1;
            while (j < n && l[j] != '<')
                j++;
            /* spaces after a word time that opens the line lead nothing */
            size_t s0 = i;
            while (!b.len && s0 < j && issp((unsigned char)l[s0]))
                s0++;
            zimu__sb_add_text(&b, l + s0, j - s0);
            i = j;
        }
        if (r < 0) {
            free(tx.w);
            break;
        }
        while (b.len && issp((unsigned char)b.s[b.len - 1]))
            b.len--;
        if (b.oom) {
            free(tx.w);
            r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
            break;
        }
        tx.len = b.len;
        tx.s = malloc(b.len + 1);
        if (tx.s) {
            if (b.len)
                memcpy(tx.s, b.s, b.len);
            tx.s[b.len] = 0;
        }
        if (ntexts == captexts) {
            size_t cap = captexts ? captexts * 2 : 64;
            lrc_text *v = realloc(texts, cap * sizeof *v);
            if (v) {
                texts = v;
                captexts = cap;
            }
        }
        if (!tx.s || ntexts == captexts) {
            free(tx.s);
            free(tx.w);
            r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
            break;
        }
        texts[ntexts++] = tx;
    }
    zimu__sb_free(&b);

    /* O(n log n) throughout: a hostile file may hold a million tags. */
    if (r == 0 && nlines > 1)
        qsort(lines, nlines, sizeof *lines, cmp_line);
    for (size_t i = nlines; r == 0 && i-- > 0;) {
        if (i + 1 < nlines)
            lines[i].next = lines[i + 1].t > lines[i].t ? lines[i + 1].t
                                                         : lines[i + 1].next;
    }
    for (size_t i = 0; r == 0 && i < nlines; i++) {
        lrc_line *li = &lines[i];
        lrc_text *tx = &texts[li->text];
        int64_t start = li->t - offset;
        int64_t end = li->next >= 0 ? li->next - offset : -1;
        if (li->next < 0)
            end = last_ms > start ? last_ms : start + ZIMU__LRC_LAST_MS;
        if (start < 0)
            start = 0;
        if (end <= start)
            continue;
        /* blank? (spaces only) */
        size_t k = 0;
        while (k < tx->len && issp((unsigned char)tx->s[k]))
            k++;
        if (k == tx->len)
            continue;
        zimu_cue *cue = zimu__cues_add(out, start, end, tx->s, tx->len);
        if (!cue) {
            r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
            break;
        }
        cue->line = li->ln;
        /* Words: times shift with the line (a line with several tags). */
        int64_t shift = li->t - li->t_first - offset;
        for (size_t w = 0; w < tx->nw && r == 0; w++) {
            /* offsets were taken before trailing spaces were trimmed */
            size_t off = tx->w[w].off < tx->len ? tx->w[w].off : tx->len;
            size_t stop = w + 1 < tx->nw ? tx->w[w + 1].off : tx->len;
            if (stop > tx->len)
                stop = tx->len;
            if (stop < off)
                stop = off;
            while (off < stop && issp((unsigned char)tx->s[off]))
                off++;
            while (stop > off && issp((unsigned char)tx->s[stop - 1]))
                stop--;
            if (stop == off)
                continue; /* a closing tag: it only ends the word before */
            int64_t ws = tx->w[w].t + shift;
            int64_t we = w + 1 < tx->nw ? tx->w[w + 1].t + shift : end;
            if (ws < start)
                ws = start;
            if (we > end)
                we = end;
            if (we < ws)
                we = ws;
            if (zimu__cue_add_word(cue, ws, we, off, stop - off) < 0)
                r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
        }
    }
    for (size_t i = 0; i < ntexts; i++) {
        free(texts[i].s);
        free(texts[i].w);
    }
    free(texts);
    free(lines);
    return r;
}
