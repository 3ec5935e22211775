/* fmt_srt.c - SubRip, as real files have it.
 *
 * Tolerated: CR, LF or CRLF line ends; missing, extra or doubled blank
 * lines; cue numbers repeated or out of order; 1 to 3 millisecond digits
 * (or none), ":" before them; one- to nine-digit hours; coordinates after
 * the timing ("X1:40 X2:600 ..."); blank cues (skipped); overlapping cues
 * (kept); cues that end before they start (skipped, with a warning); a cue
 * whose timing line is mangled past recognition ("0:00:03 - 0:00:04",
 * "00:00:03,000 => 00:00:04,000") after a blank line (skipped with a
 * warning naming its line, instead of joining the cue before as text).
 *
 * Loose SRT, as people type it, is read with ONE warning per file naming
 * the first loose line and how it is loose: an arrow "->" (or "--->") for
 * "-->" (taken only on a line that starts a cue, so that "1:30 -> 2:00" in
 * a cue's text stays text), no cue number, spaces before the cue number or
 * the times (the text of a cue whose timing line is indented loses its
 * indent too), "." for "," before the milliseconds, times without hours.
 *
 * The text's <i> <b> <u> <s> <font color> (also with stray spaces: "< i>",
 * "</ b >") become ASS override blocks, unknown tags are dropped. ASS
 * override blocks in the text ("{\b1}", "{\c&H00FFFF&}", "{\an8}",
 * "{\pos(192,40)}") are what ASS makes of them as far as a caption can
 * say it: see zimu__markup_to_ass (cuetext.h); "{hello}" is text.
 *
 * Fails (name:LINE:) on text before the first timing line and on a timing
 * line whose timestamps are not valid. */
#include <stdio.h>
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

/* Digits at s[*i]: value and count (at most max digits taken). */
static int digits(const char *s, size_t n, size_t *i, int max, int64_t *v)
{
    int d = 0;
    *v = 0;
    while (*i < n && isdig((unsigned char)s[*i]) && d < max) {
        *v = *v * 10 + (s[*i] - '0');
        (*i)++, d++;
    }
    return d;
}

/* Does the line start with something shaped like "H:MM:SS,m"? */
static int ts_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    for (int g = 0; g < 3; g++) {
        size_t d = 0;
        while (i < n && isdig((unsigned char)s[i]))
            i++, d++;
        if (!d || d > 3 || i >= n)
            return 0;
        if (g < 2 && s[i] != ':')
            return 0;
        if (g == 2 && s[i] != ',' && s[i] != '.')
            return 0;
        i++;
    }
    return i < n && isdig((unsigned char)s[i]);
}

static int has_arrow(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
            return 1;
    return 0;
}

/* An arrow at s[i]: one or more '-' and a '>' ("-->", or loosely "->",
 * "--->"). Its length, or 0. */
static size_t arrow_len(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && s[j] == '-')
        j++;
    return j > i && j < n && s[j] == '>' ? j + 1 - i : 0;
}

static int timing_like(const char *s, size_t n)
{
    return has_arrow(s, n) || ts_prefix(s, n);
}

/* Ways a timing line (or a cue's start) may be loose, as people type
 * SRT by hand; the first line with any of them is reported once. */
enum {
    LOOSE_ARROW = 1,   /* "->" or "--->" for "-->" */
    LOOSE_NUMBER = 2,  /* no cue number before the timing line */
    LOOSE_SPACE = 4,   /* spaces before a cue number or timing line */
    LOOSE_DOT = 8,     /* "." before the milliseconds */
    LOOSE_HOURS = 16,  /* "MM:SS,mmm": no hours */
};

static int parse_ts(const char *s, size_t n, size_t *i, int64_t *ms, int *loose);

/* A whole timing line with another arrow than "-->" ("00:01.5 -> 00:03"):
 * asked only of a line that starts a cue, so that text such as
 * "1:30 -> 2:00" inside a cue stays text. */
static int loose_timing(const char *s, size_t n)
{
    size_t i = 0;
    int64_t ms;
    int loose = 0;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    if (parse_ts(s, n, &i, &ms, &loose) < 0)
        return 0;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    size_t a = arrow_len(s, n, i);
    if (!a)
        return 0;
    i += a;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    return parse_ts(s, n, &i, &ms, &loose) == 0 && (i == n || issp((unsigned char)s[i]));
}

/* Shaped like a timing line that lost its form: two "M:SS" times, or an
 * arrow of another shape next to a digit. Only asked of a line that starts
 * a cue (after a blank line, or after a cue number). */
static int broken_timing(const char *s, size_t n)
{
    int times = 0, digit = 0, arrow = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        digit |= isdig(ch);
        if (ch == ':' && i > 0 && isdig((unsigned char)s[i - 1]) && i + 2 < n &&
            isdig((unsigned char)s[i + 1]) && isdig((unsigned char)s[i + 2]))
            times++;
        /* "->", "=>", and a dash of another script before '>' ("—>") */
        if (ch == '>' && i > 0 &&
            (s[i - 1] == '-' || s[i - 1] == '=' || (unsigned char)s[i - 1] >= 0x80))
            arrow = 1;
        /* "→" U+2192 */
        if (ch == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x86 &&
            (unsigned char)s[i + 2] == 0x92)
            arrow = 1;
    }
    return times >= 2 || (arrow && digit);
}

static int number_line(const char *s, size_t n)
{
    size_t i = 0, d = 0;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    while (i < n && isdig((unsigned char)s[i]))
        i++, d++;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    return d > 0 && i == n;
}

/* One timestamp at s[*i]: [H]H:MM:SS[,.:]mmm or MM:SS,mmm. 0 or -1;
 * *loose gets LOOSE_DOT and LOOSE_HOURS when they apply. */
static int parse_ts(const char *s, size_t n, size_t *i, int64_t *ms, int *loose)
{
    int64_t g[3], frac = 0;
    int ng = 0, fd = 0;
    for (;;) {
        /* hours of up to 9 digits, as WebVTT's (what zimu writes of any
         * time a reader takes, it reads back) */
        int d = digits(s, n, i, 9, &g[ng]);
        if (!d || (ng > 0 && d > 2))
            return -1;
        ng++;
        if (*i < n && s[*i] == ':' && ng < 3) {
            (*i)++;
            continue;
        }
        break;
    }
    if (ng < 2)
        return -1;
    if (*i < n && (s[*i] == ',' || s[*i] == '.' || (s[*i] == ':' && ng == 3))) {
        if (s[*i] == '.')
            *loose |= LOOSE_DOT;
        (*i)++;
        fd = digits(s, n, i, 3, &frac);
        if (!fd)
            return -1;
        if (*i < n && isdig((unsigned char)s[*i]))
            return -1; /* more than 3 digits */
        if (fd == 1)
            frac *= 100;
        else if (fd == 2)
            frac *= 10;
    }
    int64_t h = ng == 3 ? g[0] : 0, m = g[ng - 2], sec = g[ng - 1];
    if (m > 59 || sec > 59 || (ng == 2 && g[0] > 59))
        return -1;
    if (ng == 2)
        *loose |= LOOSE_HOURS;
    *ms = ((h * 60 + m) * 60 + sec) * 1000 + frac;
    return 0;
}

/* The token at s[i] as it is written, for messages. */
static size_t token_len(const char *s, size_t n, size_t i)
{
    size_t e = i;
    while (e < n && !issp((unsigned char)s[e]) &&
           !(e + 3 <= n && s[e] == '-' && s[e + 1] == '-' && s[e + 2] == '>'))
        e++;
    if (e == i) /* at an arrow or a space: show what is there */
        while (e < n && !issp((unsigned char)s[e]))
            e++;
    return e - i > 40 ? 40 : e - i;
}

static int parse_timing(zimu_ctx *c, const char *name, size_t ln,
                        const char *s, size_t n, int64_t *start, int64_t *end, int *loose)
{
    size_t i = 0;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    if (i)
        *loose |= LOOSE_SPACE;
    size_t t0 = i;
    if (parse_ts(s, n, &i, start, loose) < 0 ||
        (i < n && !issp((unsigned char)s[i]) && s[i] != '-'))
        return zimu__fail(c, ZIMU_ESUBS, "%s:%zu: timestamp '%.*s' is not valid",
                          name, ln, (int)token_len(s, n, t0), s + t0);
    while (i < n && issp((unsigned char)s[i]))
        i++;
    size_t a = arrow_len(s, n, i);
    if (!a)
        return zimu__fail(c, ZIMU_ESUBS,
                          "%s:%zu: timing line has no '-->' between the times",
                          name, ln);
    if (a != 3)
        *loose |= LOOSE_ARROW;
    i += a;
    while (i < n && issp((unsigned char)s[i]))
        i++;
    t0 = i;
    if (i >= n)
        return zimu__fail(c, ZIMU_ESUBS, "%s:%zu: timing line has no end time",
                          name, ln);
    if (parse_ts(s, n, &i, end, loose) < 0 || (i < n && !issp((unsigned char)s[i])))
        return zimu__fail(c, ZIMU_ESUBS, "%s:%zu: timestamp '%.*s' is not valid",
                          name, ln, (int)token_len(s, n, t0), s + t0);
    /* Anything after a space ("X1:... Y2:...") is ignored. */
    return 0;
}

typedef struct srt_state {
    zimu_ctx *c;
    const char *name;
    zimu_cues *out;
    int open;          /* a timing line was read; raw collects its text */
    int indented;      /* its timing line was indented: so is its text */
    size_t timing_line;
    int64_t start, end;
    zimu_sbuf raw;
} srt_state;

static int finish_cue(srt_state *st)
{
    if (!st->open)
        return 0;
    st->open = 0;
    zimu_sbuf text = {0};
    zimu_markup_place pl = {0, -1, -1};
    if (st->raw.len)
        zimu__markup_to_ass(&text, st->raw.s, st->raw.len,
                            ZIMU__MARKUP_FONT | ZIMU__MARKUP_SRT_ASS, &pl);
    st->raw.len = 0;
    int blank = zimu__cue_text_finish(&text);
    int r = 0;
    if (text.oom || st->raw.oom) {
        r = zimu__fail(st->c, ZIMU_ENOMEM, "%s: out of memory", st->name);
    } else if (blank) {
        /* a blank cue: nothing to show */
    } else if (st->end <= st->start) {
        zimu__log(st->c, ZIMU_LOG_WARNING,
                  "%s:%zu: cue ends before it starts; skipped", st->name,
                  st->timing_line);
    } else {
        zimu_cue *cue = zimu__cues_add(st->out, st->start, st->end, text.s,
                                       text.len);
        if (!cue)
            r = zimu__fail(st->c, ZIMU_ENOMEM, "%s: out of memory", st->name);
        else {
            cue->line = st->timing_line;
            cue->align = pl.align;
            cue->pos_x = pl.pos_x;
            cue->pos_y = pl.pos_y;
        }
    }
    zimu__sb_free(&text);
    return r;
}

/* The one warning a loose file gets: its first loose line and how. */
static void report_loose(zimu_ctx *c, const char *name, size_t ln, int loose)
{
    static const struct { int bit; const char *what; } ways[] = {
        {LOOSE_ARROW, N_("an arrow that is not '-->'")},
        {LOOSE_NUMBER, N_("no cue number")},
        {LOOSE_SPACE, N_("spaces before the cue number or times")},
        {LOOSE_DOT, N_("'.' before the milliseconds")},
        {LOOSE_HOURS, N_("a time without hours")},
    };
    char buf[200] = "";
    size_t k = 0;
    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++)
        if (loose & ways[i].bit)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", k ? zimu__tr(", ") : "", zimu__tr(ways[i].what));
    zimu__log(c, ZIMU_LOG_WARNING,
              "%s:%zu: loose SubRip (%s); read as meant, and such lines after it "
              "are not reported", name, ln, buf);
}

int zimu__parse_srt(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out)
{
    if (zimu__subs_check_nul(c, name, data, size) < 0)
        return ZIMU_ECHARSET;
    srt_state st = {.c = c, .name = name, .out = out};
    size_t pos = 0, ln = 0;
    const char *l;
    size_t n;
    int any = 0;          /* a timing line was seen */
    int blank = 1;        /* the line before was blank (or none) */
    int skipping = 0;     /* in a cue skipped for its timing line */
    int numbered = 0;     /* the line before was a cue number: 1, 2 with
                             spaces before it */
    int loose_told = 0;   /* the first loose line was reported */
    int r = 0;
    while (r == 0 && zimu__next_line(data, size, &pos, &l, &n)) {
        ln++;
        if (ZIMU__CANCEL_CHECK(c, ln)) {
            r = zimu__fail_cancel(c);
            break;
        }
        size_t b = 0, e = n;
        while (b < e && issp((unsigned char)l[b]))
            b++;
        while (e > b && issp((unsigned char)l[e - 1]))
            e--;
        if (b == e) {
            blank = 1;
            continue;
        }
        int after_blank = blank;
        blank = 0;
        int after_number = numbered;
        numbered = 0;
        if (number_line(l, n)) {
            /* A cue number if a timing line follows. */
            size_t p2 = pos;
            const char *l2;
            size_t n2;
            if (zimu__next_line(data, size, &p2, &l2, &n2) &&
                (timing_like(l2, n2) || loose_timing(l2, n2))) {
                r = finish_cue(&st);
                skipping = 0;
                numbered = b ? 2 : 1;
                continue;
            }
            p2 = pos;
            if (any && after_blank && zimu__next_line(data, size, &p2, &l2, &n2) &&
                broken_timing(l2, n2)) {
                /* A cue number and a timing line that is not one: the
                 * cue is skipped, not joined to the one before. */
                if ((r = finish_cue(&st)) < 0)
                    break;
                zimu__log(c, ZIMU_LOG_WARNING, "%s:%zu: timing line '%.*s' is not valid; "
                          "cue skipped", name, ln + 1, n2 > 60 ? 60 : (int)n2, l2);
                zimu__next_line(data, size, &pos, &l2, &n2);
                ln++;
                skipping = 1;
                continue;
            }
            if (!any) {
                r = zimu__fail(c, ZIMU_ESUBS,
                               "%s:%zu: expected a timing line "
                               "'HH:MM:SS,mmm --> HH:MM:SS,mmm' after cue number %.*s",
                               name, ln + 1, (int)(e - b), l + b);
                break;
            }
        } else if (timing_like(l, n) ||
                   ((after_blank || after_number) && loose_timing(l, n))) {
            r = finish_cue(&st);
            if (r < 0)
                break;
            int loose = after_number == 2 ? LOOSE_SPACE : after_number ? 0 : LOOSE_NUMBER;
            r = parse_timing(c, name, ln, l, n, &st.start, &st.end, &loose);
            if (r < 0)
                break;
            if (loose && !loose_told) {
                loose_told = 1;
                report_loose(c, name, after_number == 2 && !(loose & ~LOOSE_SPACE) ? ln - 1 : ln,
                             loose);
            }
            st.open = 1;
            st.indented = b > 0;
            st.timing_line = ln;
            any = 1;
            skipping = 0;
            continue;
        } else if (any && after_blank && broken_timing(l, n)) {
            /* The same without a cue number. */
            if ((r = finish_cue(&st)) < 0)
                break;
            zimu__log(c, ZIMU_LOG_WARNING, "%s:%zu: timing line '%.*s' is not valid; "
                      "cue skipped", name, ln, n > 60 ? 60 : (int)n, l);
            skipping = 1;
            continue;
        }
        if (!any) {
            r = zimu__fail(c, ZIMU_ESUBS,
                           "%s:%zu: expected a cue number or a timing line "
                           "'HH:MM:SS,mmm --> HH:MM:SS,mmm'", name, ln);
            break;
        }
        if (skipping)
            continue; /* text of a skipped cue */
        /* Text of the open cue; text after a blank line that is not a new
         * cue still belongs to it (an extra blank line inside a cue). */
        if (st.raw.len)
            zimu__sb_addc(&st.raw, '\n');
        if (st.indented) /* the whole cue was typed indented */
            zimu__sb_add(&st.raw, l + b, n - b);
        else
            zimu__sb_add(&st.raw, l, n);
    }
    if (r == 0)
        r = finish_cue(&st);
    zimu__sb_free(&st.raw);
    return r;
}
