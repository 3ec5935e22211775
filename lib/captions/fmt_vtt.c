/* fmt_vtt.c - WebVTT.
 *
 * The WEBVTT header is required. Blocks are separated by blank lines: NOTE,
 * STYLE and REGION blocks are skipped; a cue is an optional identifier line,
 * the timing line "[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt [settings]" and its
 * text. Settings map to the cue's place:
 *   align:start|left|center|middle|end|right  the column of the keypad
 *   line:N%[,start|center|end]   pos_y = N/100 (from the top), the row
 *                                from the alignment (start: the top)
 *   line:N (a line number)       top row for N >= 0, bottom row for N < 0
 *   position:N%[,line-left|center|line-right]  pos_x = N/100
 * (size, vertical and region are ignored). A line percentage places the
 * cue there with or without a position: without one, pos_x is where
 * the alignment puts it (0 for start/left, 0.5 for center, 1 for
 * end/right), as WebVTT's "auto" position. A position alone sets pos_x
 * and leaves pos_y < 0 (the row is the style's). Voice <v Name> and
 * class <c.x> tags, <lang>, <ruby> and timestamps are removed (ruby text
 * with them); <i> <b> <u> become ASS override blocks, and so does the
 * colour of a colour class (<c.yellow>: WebVTT's white lime cyan red
 * yellow magenta blue black, and <c.c_ff8000> as zimu writes them).
 *
 * Fails (name:LINE:) without the header, on a timestamp or setting that is
 * not valid, and on a block that is neither a cue nor NOTE/STYLE/REGION. */
#include <stdlib.h>
#include <string.h>

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

static int has_arrow(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
            return 1;
    return 0;
}

/* "[hh:]mm:ss.ttt" at s[*i]; also tolerates ',' and 1-2 fraction digits
 * as converters write them. 0 or -1. */
static int vtt_ts(const char *s, size_t n, size_t *i, int64_t *ms)
{
    int64_t g[3];
    int ng = 0;
    while (ng < 3) {
        int d = 0;
        g[ng] = 0;
        while (*i < n && isdig((unsigned char)s[*i]) && d < 9)
            g[ng] = g[ng] * 10 + (s[*i] - '0'), (*i)++, d++;
        if (!d || (ng > 0 && d != 2))
            return -1;
        ng++;
        if (*i < n && s[*i] == ':')
            (*i)++;
        else
            break;
    }
    if (ng < 2 || *i >= n || (s[*i] != '.' && s[*i] != ','))
        return -1;
    (*i)++;
    int64_t f = 0;
    int d = 0;
    while (*i < n && isdig((unsigned char)s[*i]) && d < 3)
        f = f * 10 + (s[*i] - '0'), (*i)++, d++;
    if (!d || (*i < n && isdig((unsigned char)s[*i])))
        return -1;
    while (d++ < 3)
        f *= 10;
    int64_t h = ng == 3 ? g[0] : 0, m = g[ng - 2], sec = g[ng - 1];
    if (m > 59 || sec > 59)
        return -1;
    *ms = ((h * 60 + m) * 60 + sec) * 1000 + f;
    return 0;
}

/* A percentage "12.5%" as a fraction, or -1. */
static double percent(const char *s, size_t n)
{
    if (!n || s[n - 1] != '%')
        return -1;
    n--;
    double v = 0, scale = 0;
    size_t i = 0;
    int d = 0;
    for (; i < n; i++) {
        if (isdig((unsigned char)s[i])) {
            if (scale) {
                v += (s[i] - '0') * scale;
                scale /= 10;
            } else
                v = v * 10 + (s[i] - '0');
            d++;
            if (v > 1000)
                return -1;
        } else if (s[i] == '.' && !scale)
            scale = 0.1;
        else
            return -1;
    }
    if (!d || v > 100)
        return -1;
    return v / 100;
}

static int eqn(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && !memcmp(s, lit, n);
}

typedef struct vtt_place {
    int align;
    double pos_x, pos_y;
} vtt_place;

/* The settings after the end time. 0, or -1 with *bad set to the setting
 * that is not valid. */
static int settings(const char *s, size_t n, vtt_place *pl, const char **bad,
                    size_t *badn)
{
    int col = 0, row = 0, pos_col = 0; /* 0: not given */
    pl->align = 0;
    pl->pos_x = pl->pos_y = -1;
    size_t i = 0;
    while (i < n) {
        while (i < n && issp((unsigned char)s[i]))
            i++;
        if (i >= n)
            break;
        size_t e = i;
        while (e < n && !issp((unsigned char)s[e]))
            e++;
        const char *t = s + i;
        size_t tn = e - i;
        *bad = t;
        *badn = tn;
        i = e;
        const char *colon = memchr(t, ':', tn);
        if (!colon || colon == t || colon == t + tn - 1)
            return -1;
        const char *k = t;
        size_t kn = (size_t)(colon - t);
        const char *v = colon + 1;
        size_t vn = tn - kn - 1;
        /* an optional ",alignment" */
        const char *sub = memchr(v, ',', vn);
        const char *a = NULL;
        size_t an = 0;
        if (sub) {
            a = sub + 1;
            an = (size_t)(v + vn - a);
            vn = (size_t)(sub - v);
        }
        if (eqn(k, kn, "align")) {
            if (a)
                return -1;
            if (eqn(v, vn, "start") || eqn(v, vn, "left"))
                col = 1;
            else if (eqn(v, vn, "center") || eqn(v, vn, "middle"))
                col = 2;
            else if (eqn(v, vn, "end") || eqn(v, vn, "right"))
                col = 3;
            else
                return -1;
        } else if (eqn(k, kn, "line")) {
            int line_align = 1; /* start: the box's top at the line */
            if (a) {
                if (eqn(a, an, "start"))
                    line_align = 1;
                else if (eqn(a, an, "center") || eqn(a, an, "middle"))
                    line_align = 2;
                else if (eqn(a, an, "end"))
                    line_align = 3;
                else
                    return -1;
            }
            double p = percent(v, vn);
            if (p >= 0) {
                pl->pos_y = p;
                row = line_align;
            } else {
                size_t j = 0;
                int neg = 0;
                if (j < vn && (v[j] == '-' || v[j] == '+'))
                    neg = v[j] == '-', j++;
                if (j >= vn || vn - j > 6)
                    return -1;
                for (; j < vn; j++)
                    if (!isdig((unsigned char)v[j]))
                        return -1;
                row = neg ? 3 : 1;
            }
        } else if (eqn(k, kn, "position")) {
            double p = percent(v, vn);
            if (p < 0)
                return -1;
            pl->pos_x = p;
            if (a) {
                if (eqn(a, an, "line-left") || eqn(a, an, "start"))
                    pos_col = 1;
                else if (eqn(a, an, "center") || eqn(a, an, "middle"))
                    pos_col = 2;
                else if (eqn(a, an, "line-right") || eqn(a, an, "end"))
                    pos_col = 3;
                else
                    return -1;
            }
        } else if (eqn(k, kn, "size")) {
            if (percent(v, vn) < 0)
                return -1;
        } else if (eqn(k, kn, "vertical") || eqn(k, kn, "region")) {
            /* not supported: ignored */
        } else {
            return -1;
        }
    }
    if (pos_col)
        col = pos_col;
    /* A line percentage is a place from the top (snap-to-lines off),
     * whether or not a position is given; position "auto" is then where
     * the alignment puts the cue: the left edge, the middle, the right
     * edge. */
    if (pl->pos_y >= 0 && pl->pos_x < 0)
        pl->pos_x = col == 1 ? 0 : col == 3 ? 1 : 0.5;
    if (col || row) {
        if (!col)
            col = 2;
        if (!row)
            row = 3;
        /* keypad: 7 8 9 top, 4 5 6 middle, 1 2 3 bottom */
        pl->align = (row == 1 ? 6 : row == 2 ? 3 : 0) + col;
    }
    return 0;
}

static int block_kw(const char *l, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    return n >= k && !memcmp(l, kw, k) && (n == k || issp((unsigned char)l[k]));
}

int zimu__parse_vtt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out)
{
    if (zimu__subs_check_nul(c, name, data, size) < 0)
        return ZIMU_ECHARSET;
    size_t pos = 0, ln = 1;
    const char *l;
    size_t n;
    if (!zimu__next_line(data, size, &pos, &l, &n) || n < 6 ||
        memcmp(l, "WEBVTT", 6) != 0 || (n > 6 && !issp((unsigned char)l[6])))
        return zimu__fail(c, ZIMU_ESUBS,
                          "%s:1: no WEBVTT header: not a WebVTT file", name);
    /* The rest of the header block. */
    while (zimu__next_line(data, size, &pos, &l, &n)) {
        ln++;
        if (!n)
            break;
        if (has_arrow(l, n))
            return zimu__fail(c, ZIMU_ESUBS,
                              "%s:%zu: a blank line must follow the WEBVTT "
                              "header before the first cue", name, ln);
    }
    zimu_sbuf raw = {0}, text = {0};
    int r = 0;
    int seen_cue = 0;
    for (size_t blocks = 1; r == 0; blocks++) {
        if (ZIMU__CANCEL_CHECK(c, blocks)) {
            r = zimu__fail_cancel(c);
            break;
        }
        /* Skip blank lines to the next block. */
        int more = 0;
        while (zimu__next_line(data, size, &pos, &l, &n)) {
            ln++;
            size_t k = 0;
            while (k < n && issp((unsigned char)l[k]))
                k++;
            if (k < n) {
                more = 1;
                break;
            }
        }
        if (!more)
            break;
        size_t block_line = ln;
        int skip = block_kw(l, n, "NOTE") ||
                   (!seen_cue && (block_kw(l, n, "STYLE") || block_kw(l, n, "REGION")));
        if (!skip && !has_arrow(l, n)) {
            /* an identifier: the timing line must follow */
            if (!zimu__next_line(data, size, &pos, &l, &n) || (ln++, !has_arrow(l, n))) {
                r = zimu__fail(c, ZIMU_ESUBS,
                               "%s:%zu: expected a timing line "
                               "'mm:ss.ttt --> mm:ss.ttt' after cue identifier",
                               name, block_line + 1);
                break;
            }
        }
        if (skip) {
            while (zimu__next_line(data, size, &pos, &l, &n)) {
                ln++;
                if (!n)
                    break;
            }
            continue;
        }
        /* The timing line. */
        seen_cue = 1;
        size_t tl = ln, i = 0;
        int64_t start, end;
        vtt_place pl;
        while (i < n && issp((unsigned char)l[i]))
            i++;
        size_t t0 = i;
        if (vtt_ts(l, n, &i, &start) < 0 || (i < n && !issp((unsigned char)l[i]))) {
            size_t e = t0;
            while (e < n && !issp((unsigned char)l[e]) && e - t0 < 40)
                e++;
            r = zimu__fail(c, ZIMU_ESUBS, "%s:%zu: timestamp '%.*s' is not valid",
                           name, tl, (int)(e - t0), l + t0);
            break;
        }
        while (i < n && issp((unsigned char)l[i]))
            i++;
        if (!(i + 3 <= n && !memcmp(l + i, "-->", 3))) {
            r = zimu__fail(c, ZIMU_ESUBS,
                           "%s:%zu: timing line has no '-->' between the times",
                           name, tl);
            break;
        }
        i += 3;
        while (i < n && issp((unsigned char)l[i]))
            i++;
        t0 = i;
        if (vtt_ts(l, n, &i, &end) < 0 || (i < n && !issp((unsigned char)l[i]))) {
            size_t e = t0;
            while (e < n && !issp((unsigned char)l[e]) && e - t0 < 40)
                e++;
            r = zimu__fail(c, ZIMU_ESUBS, "%s:%zu: timestamp '%.*s' is not valid",
                           name, tl, (int)(e - t0), l + t0);
            break;
        }
        const char *bad = NULL;
        size_t badn = 0;
        if (settings(l + i, n - i, &pl, &bad, &badn) < 0) {
            r = zimu__fail(c, ZIMU_ESUBS, "%s:%zu: cue setting '%.*s' is not valid",
                           name, tl, (int)(badn > 40 ? 40 : badn), bad);
            break;
        }
        /* The text, to a blank line. */
        raw.len = 0;
        while (zimu__next_line(data, size, &pos, &l, &n)) {
            ln++;
            if (!n)
                break;
            if (has_arrow(l, n)) {
                r = zimu__fail(c, ZIMU_ESUBS,
                               "%s:%zu: a timing line inside cue text (a blank "
                               "line is missing before it)", name, ln);
                break;
            }
            if (raw.len)
                zimu__sb_addc(&raw, '\n');
            zimu__sb_add(&raw, l, n);
        }
        if (r < 0)
            break;
        text.len = 0;
        if (text.s)
            text.s[0] = 0;
        if (raw.len)
            zimu__markup_to_ass(&text, raw.s, raw.len, ZIMU__MARKUP_VTT, NULL);
        int blank = zimu__cue_text_finish(&text);
        if (raw.oom || text.oom) {
            r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
            break;
        }
        if (blank)
            continue;
        if (end <= start) {
            zimu__log(c, ZIMU_LOG_WARNING,
                      "%s:%zu: cue ends before it starts; skipped", name, tl);
            continue;
        }
        zimu_cue *cue = zimu__cues_add(out, start, end, text.s, text.len);
        if (cue)
            cue->line = tl;
        if (!cue) {
            r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
            break;
        }
        cue->align = pl.align;
        cue->pos_x = pl.pos_x;
        cue->pos_y = pl.pos_y;
    }
    zimu__sb_free(&raw);
    zimu__sb_free(&text);
    return r;
}
