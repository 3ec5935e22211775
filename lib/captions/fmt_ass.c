/* fmt_ass.c - ASS/SSA scripts, kept as they are for libass.
 *
 * zimu__parse_ass checks what libass would otherwise skip without a word:
 * the [Script Info] section, an [Events] section with its Format line
 * (naming Start, End and Text) before any Dialogue, and, on every Dialogue
 * line, enough fields and valid times. The script itself is handed to
 * libass unchanged (as UTF-8).
 *
 * zimu__ass_to_cues reads the events back as cues, for conversion to other
 * formats and for word timing from karaoke tags (\k \K \kf \ko). */
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "parsers.h"

#define ASS_MAX_FIELDS 32

static int issp(int ch)
{
    return ch == ' ' || ch == '\t';
}

static void trim(const char **s, size_t *n)
{
    while (*n && issp((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && issp((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* "Key: value" with the key matched case-insensitively: the value. */
static int key_value(const char *l, size_t n, const char *key,
                     const char **v, size_t *vn)
{
    size_t kl = strlen(key);
    if (n < kl + 1 || !zimu__eq_ci(l, kl, key))
        return 0;
    size_t i = kl;
    while (i < n && issp((unsigned char)l[i]))
        i++;
    if (i >= n || l[i] != ':')
        return 0;
    *v = l + i + 1;
    *vn = n - i - 1;
    trim(v, vn);
    return 1;
}

/* ASS time "H:MM:SS.cc" (libass reads "%d:%d:%d.%d"): ms, or -1. */
static int64_t ass_time(const char *s, size_t n)
{
    trim(&s, &n);
    int64_t g[3] = {0, 0, 0};
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        size_t d = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && d < 6)
            g[k] = g[k] * 10 + (s[i] - '0'), i++, d++;
        if (!d)
            return -1;
        if (k < 2) {
            if (i >= n || s[i] != ':')
                return -1;
            i++;
        }
    }
    int64_t frac = 0;
    if (i < n && s[i] == '.') {
        i++;
        size_t d = 0;
        int64_t f = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && d < 6)
            f = f * 10 + (s[i] - '0'), i++, d++;
        if (!d)
            return -1;
        /* Centiseconds as written by every tool; libass reads the number
         * as hundredths whatever its width. */
        frac = f * 10;
    }
    if (i != n)
        return -1;
    return ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + frac;
}

typedef struct ass_format {
    int n;                      /* fields */
    int start, end, text, style, layer; /* their indexes, -1 if absent */
} ass_format;

static int read_format(const char *v, size_t vn, ass_format *f)
{
    memset(f, 0, sizeof *f);
    f->start = f->end = f->text = f->style = f->layer = -1;
    size_t i = 0;
    while (i <= vn && f->n < ASS_MAX_FIELDS) {
        size_t e = i;
        while (e < vn && v[e] != ',')
            e++;
        const char *fs = v + i;
        size_t fl = e - i;
        trim(&fs, &fl);
        if (zimu__eq_ci(fs, fl, "start"))
            f->start = f->n;
        else if (zimu__eq_ci(fs, fl, "end"))
            f->end = f->n;
        else if (zimu__eq_ci(fs, fl, "text"))
            f->text = f->n;
        else if (zimu__eq_ci(fs, fl, "style"))
            f->style = f->n;
        else if (zimu__eq_ci(fs, fl, "layer"))
            f->layer = f->n;
        f->n++;
        i = e + 1;
    }
    return f->start >= 0 && f->end >= 0 && f->text == f->n - 1 ? 0 : -1;
}

/* Split a Dialogue value into the format's fields; the last takes the rest
 * of the line (the text may hold commas). Returns the count found. */
static int split_fields(const char *v, size_t vn, int nf, const char **fs,
                        size_t *fl)
{
    int k = 0;
    size_t i = 0;
    for (;;) {
        if (k == nf - 1) {
            fs[k] = v + i;
            fl[k] = vn - i;
            return nf;
        }
        size_t e = i;
        while (e < vn && v[e] != ',')
            e++;
        fs[k] = v + i;
        fl[k] = e - i;
        k++;
        if (e >= vn)
            return k;
        i = e + 1;
    }
}

typedef int (*event_fn)(void *opaque, size_t ln, const char **fs, size_t *fl,
                        const ass_format *f, int64_t start, int64_t end);

/* Walk the script, checking it; call fn (may be NULL) for every Dialogue. */
static int walk(zimu_ctx *c, const char *name, const char *data, size_t size,
                event_fn fn, void *opaque)
{
    if (zimu__subs_check_nul(c, name, data, size) < 0)
        return ZIMU_ECHARSET;
    size_t pos = 0, ln = 0;
    const char *l;
    size_t n;
    int script_info = 0, events = 0, in_events = 0, have_format = 0;
    size_t events_line = 0;
    ass_format f = {0};
    while (zimu__next_line(data, size, &pos, &l, &n)) {
        ln++;
        trim(&l, &n);
        if (!n || l[0] == ';')
            continue;
        if (l[0] == '[' && l[n - 1] == ']') {
            in_events = 0;
            if (zimu__eq_ci(l, n, "[script info]"))
                script_info = 1;
            else if (zimu__eq_ci(l, n, "[events]")) {
                events = in_events = 1;
                events_line = ln;
            }
            continue;
        }
        if (!in_events)
            continue;
        const char *v;
        size_t vn;
        if (key_value(l, n, "format", &v, &vn)) {
            if (read_format(v, vn, &f) < 0)
                return zimu__fail(c, ZIMU_ESUBS,
                                  "%s:%zu: the Format line of [Events] must name "
                                  "Start and End, and Text last", name, ln);
            have_format = 1;
            continue;
        }
        int dialogue = key_value(l, n, "dialogue", &v, &vn);
        if (!dialogue)
            continue; /* Comment:, Picture:, Sound:, Movie:, Command: */
        if (!have_format)
            return zimu__fail(c, ZIMU_ESUBS,
                              "%s:%zu: Dialogue line before the Format line "
                              "of [Events]", name, ln);
        const char *fs[ASS_MAX_FIELDS];
        size_t fl[ASS_MAX_FIELDS];
        int got = split_fields(v, vn, f.n, fs, fl);
        if (got < f.n)
            return zimu__fail(c, ZIMU_ESUBS,
                              "%s:%zu: Dialogue line has %d fields, the Format "
                              "line names %d", name, ln, got, f.n);
        int64_t st = ass_time(fs[f.start], fl[f.start]);
        int64_t en = ass_time(fs[f.end], fl[f.end]);
        int bad = st < 0 ? f.start : en < 0 ? f.end : -1;
        if (bad >= 0) {
            const char *t = fs[bad];
            size_t tl = fl[bad];
            trim(&t, &tl);
            return zimu__fail(c, ZIMU_ESUBS, "%s:%zu: time '%.*s' is not valid",
                              name, ln, (int)(tl > 40 ? 40 : tl), t);
        }
        if (fn) {
            int r = fn(opaque, ln, fs, fl, &f, st, en);
            if (r < 0)
                return r;
        }
    }
    if (!script_info)
        return zimu__fail(c, ZIMU_ESUBS,
                          "%s:1: no [Script Info] section: not an ASS/SSA script",
                          name);
    if (!events)
        return zimu__fail(c, ZIMU_ESUBS, "%s:%zu: no [Events] section", name,
                          ln ? ln : 1);
    if (!have_format)
        return zimu__fail(c, ZIMU_ESUBS, "%s:%zu: [Events] has no Format line",
                          name, events_line);
    return 0;
}

int zimu__parse_ass(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out)
{
    int r = walk(c, name, data, size, NULL, NULL);
    if (r < 0)
        return r;
    char *s = malloc(size + 1);
    if (!s)
        return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    free(out->ass_script);
    out->ass_script = s;
    out->ass_size = size;
    return 0;
}

/* ---- events back to cues ---- */

typedef struct to_cues {
    zimu_ctx *c;
    const char *name;
    zimu_cues *out;
} to_cues;

/* Karaoke duration in an override block ("\k20", "\kf35", "\K10",
 * "\ko5"), in centiseconds; -1 if the block has none. */
static int64_t karaoke_cs(const char *b, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (b[i] != '\\' || (b[i + 1] != 'k' && b[i + 1] != 'K'))
            continue;
        size_t j = i + 2;
        if (j < n && (b[j] == 'f' || b[j] == 'o'))
            j++;
        if (j >= n || b[j] < '0' || b[j] > '9')
            continue;
        int64_t v = 0;
        while (j < n && b[j] >= '0' && b[j] <= '9' && v < 10000000)
            v = v * 10 + (b[j] - '0'), j++;
        return v;
    }
    return -1;
}

static int add_event(void *opaque, size_t ln, const char **fs, size_t *fl,
                     const ass_format *f, int64_t start, int64_t end)
{
    to_cues *tc = opaque;
    const char *t = fs[f->text];
    size_t tn = fl[f->text];
    zimu_sbuf b = {0};
    /* Word timing from karaoke blocks: a word runs from one \k block to
     * the next. */
    struct { int64_t s, e; size_t off; } kw[256];
    size_t nkw = 0;
    int64_t kt = start;
    for (size_t i = 0; i < tn;) {
        if (t[i] == '{') {
            const char *e = memchr(t + i, '}', tn - i);
            size_t bl = e ? (size_t)(e - (t + i)) + 1 : tn - i;
            if (!e) { /* libass shows an unclosed '{' as text */
                zimu__sb_add_text(&b, t + i, bl);
                i += bl;
                continue;
            }
            int64_t cs = karaoke_cs(t + i, bl);
            zimu__sb_add(&b, t + i, bl);
            if (cs >= 0 && nkw < sizeof kw / sizeof kw[0]) {
                kw[nkw].s = kt;
                kw[nkw].e = kt + cs * 10;
                kw[nkw].off = b.len;
                kt = kw[nkw].e;
                nkw++;
            }
            i += bl;
            continue;
        }
        if (t[i] == '\\' && i + 1 < tn && (t[i + 1] == 'N' || t[i + 1] == 'n')) {
            zimu__sb_addc(&b, '\n');
            i += 2;
            continue;
        }
        zimu__sb_addc(&b, t[i]);
        i++;
    }
    if (!b.s)
        zimu__sb_add(&b, "", 0);
    if (b.oom) {
        zimu__sb_free(&b);
        return zimu__fail(tc->c, ZIMU_ENOMEM, "%s: out of memory", tc->name);
    }
    zimu_cue *cue = NULL;
    if (end > start)
        cue = zimu__cues_add(tc->out, start, end, b.s, b.len);
    else {
        zimu__sb_free(&b);
        return 0;
    }
    int r = 0;
    if (!cue) {
        r = ZIMU_ENOMEM;
    } else {
        if (f->style >= 0) {
            const char *s = fs[f->style];
            size_t sl = fl[f->style];
            trim(&s, &sl);
            if (sl && !(sl == 7 && !memcmp(s, "Default", 7)) &&
                !(sl == 8 && !memcmp(s, "*Default", 8))) {
                cue->style = malloc(sl + 1);
                if (!cue->style)
                    r = ZIMU_ENOMEM;
                else {
                    memcpy(cue->style, s, sl);
                    cue->style[sl] = 0;
                }
            }
        }
        if (f->layer >= 0) {
            const char *s = fs[f->layer];
            size_t sl = fl[f->layer];
            trim(&s, &sl);
            int layer = 0;
            for (size_t i = 0; i < sl && s[i] >= '0' && s[i] <= '9' && layer < 100000; i++)
                layer = layer * 10 + (s[i] - '0');
            cue->layer = layer;
        }
        for (size_t k = 0; k < nkw && r == 0; k++) {
            /* The word: from its block to the next karaoke block (or the
             * end), without the override blocks in between at its end. */
            size_t off = kw[k].off;
            size_t stop = k + 1 < nkw ? kw[k + 1].off : b.len;
            if (k + 1 < nkw) { /* step back over the next word's block */
                while (stop > off && b.s[stop - 1] != '{')
                    stop--;
                if (stop > off)
                    stop--;
            }
            r = zimu__cue_add_word(cue, kw[k].s, kw[k].e, off, stop - off);
        }
    }
    zimu__sb_free(&b);
    if (r < 0)
        return zimu__fail(tc->c, ZIMU_ENOMEM, "%s:%zu: out of memory", tc->name, ln);
    return 0;
}

int zimu__ass_to_cues(zimu_ctx *c, const char *name, const char *data,
                      size_t size, zimu_cues *out)
{
    to_cues tc = {c, name ? name : "subtitles", out};
    int r = walk(c, tc.name, data, size, add_event, &tc);
    if (r == 0 && zimu__cues_sort(out) < 0)
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    return r;
}
