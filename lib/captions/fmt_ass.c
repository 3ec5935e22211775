/* fmt_ass.c - ASS/SSA scripts: their header and their events.
 *
 * zimu__parse_ass checks what libass would otherwise skip without a word:
 * the [Script Info] section, an [Events] section with its Format line
 * (naming Start, End and Text) before any Dialogue, and, on every Dialogue
 * line, enough fields. A time libass cannot read (it reads 0) skips that
 * event alone, a negative time is 0, a time without a fraction is whole
 * seconds: each with a warning naming the line. The script is then kept as its
 * header (every line but the Dialogue and Comment lines) and its Dialogue
 * events, one cue each: times in ms, the fields libass reads (layer, style,
 * name, margins, effect) and the Text field exactly as in the file, besides
 * the cue text the other writers use (override blocks kept, \N a line
 * break) and word timing from karaoke tags (\k \K \kf \ko).
 *
 * zimu__ass_script_write writes header and events back: the events where
 * the first was, in the order of the Format line, times in 10 ms steps. */
#include <stdlib.h>
#include <string.h>

#include "ass_track.h"
#include "cuetext.h"
#include "parsers.h"
#include "sbuf.h"
#include "subs.h"

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

/* What ass_time found. */
enum { TIME_OK = 0, TIME_NO_FRACTION, TIME_NEGATIVE, TIME_BAD = -1 };

/* ASS time "H:MM:SS.cc" (libass reads "%d:%d:%d.%d") into *ms: TIME_OK;
 * TIME_NO_FRACTION for "H:MM:SS" (read as whole seconds; libass would read
 * 0); TIME_NEGATIVE for a time with a '-' before it (*ms = 0); TIME_BAD. */
static int ass_time(const char *s, size_t n, int64_t *ms)
{
    trim(&s, &n);
    int neg = n && s[0] == '-';
    if (neg)
        s++, n--;
    int64_t g[3] = {0, 0, 0};
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        size_t d = 0;
        /* hours of up to 9 digits, as WebVTT's */
        while (i < n && s[i] >= '0' && s[i] <= '9' && d < (k ? 6u : 9u))
            g[k] = g[k] * 10 + (s[i] - '0'), i++, d++;
        if (!d)
            return TIME_BAD;
        if (k < 2) {
            if (i >= n || s[i] != ':')
                return TIME_BAD;
            i++;
        }
    }
    int64_t frac = 0;
    int whole = 1;
    if (i < n && s[i] == '.') {
        i++;
        size_t d = 0;
        int64_t f = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && d < 6)
            f = f * 10 + (s[i] - '0'), i++, d++;
        if (!d)
            return TIME_BAD;
        /* Centiseconds as written by every tool; libass reads the number
         * as hundredths whatever its width. */
        frac = f * 10;
        whole = 0;
    }
    if (i != n)
        return TIME_BAD;
    *ms = neg ? 0 : ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + frac;
    return neg ? TIME_NEGATIVE : whole ? TIME_NO_FRACTION : TIME_OK;
}

/* Read a time field s[0..n) of a Dialogue line into *ms, with a warning
 * naming the line when it is not as it should be. 0, or -1 when the
 * event is to be skipped. */
static int event_time(zimu_ctx *c, const char *name, size_t ln, const char *s, size_t n,
                      int64_t *ms)
{
    int r = ass_time(s, n, ms);
    trim(&s, &n);
    int w = n > 40 ? 40 : (int)n;
    if (r == TIME_BAD)
        zimu__log(c, ZIMU_LOG_WARNING, "%s:%zu: time '%.*s' is not valid; event skipped",
                  name, ln, w, s);
    else if (r == TIME_NEGATIVE)
        zimu__log(c, ZIMU_LOG_WARNING, "%s:%zu: time '%.*s' is negative; 0:00:00.00 used",
                  name, ln, w, s);
    else if (r == TIME_NO_FRACTION)
        zimu__log(c, ZIMU_LOG_WARNING,
                  "%s:%zu: time '%.*s' has no fraction; read as %.*s.00", name, ln, w, s, w, s);
    return r == TIME_BAD ? -1 : 0;
}

enum { F_OTHER, F_LAYER, F_START, F_END, F_STYLE, F_NAME, F_MARGINL, F_MARGINR,
       F_MARGINV, F_EFFECT, F_TEXT, F_MARKED };

typedef struct ass_format {
    int n;                      /* fields */
    int start, end, text, style, layer; /* their indexes, -1 if absent */
    unsigned char kind[ASS_MAX_FIELDS]; /* F_* of every field */
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
        static const struct { const char *name; int kind; } kinds[] = {
            {"layer", F_LAYER}, {"start", F_START}, {"end", F_END},
            {"style", F_STYLE}, {"name", F_NAME}, {"marginl", F_MARGINL},
            {"marginr", F_MARGINR}, {"marginv", F_MARGINV}, {"effect", F_EFFECT},
            {"text", F_TEXT}, {"marked", F_MARKED},
        };
        int kind = F_OTHER;
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (zimu__eq_ci(fs, fl, kinds[k].name))
                kind = kinds[k].kind;
        f->kind[f->n] = (unsigned char)kind;
        if (kind == F_START)
            f->start = f->n;
        else if (kind == F_END)
            f->end = f->n;
        else if (kind == F_TEXT)
            f->text = f->n;
        else if (kind == F_STYLE)
            f->style = f->n;
        else if (kind == F_LAYER)
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

/* raw/raw_len: the Text field exactly as in the file (to the line's end). */
typedef int (*event_fn)(void *opaque, size_t ln, const char **fs, size_t *fl,
                        const ass_format *f, int64_t start, int64_t end,
                        const char *raw, size_t raw_len);

/* Walk the script, checking it; call fn (may be NULL) for every Dialogue.
 * When hdr is not NULL, every line but the Dialogue and Comment lines of
 * [Events] is appended to it with its line end, and *events_at is where
 * the first of those was (or the end of the Format line). */
static int walk(zimu_ctx *c, const char *name, const char *data, size_t size,
                event_fn fn, void *opaque, zimu_sbuf *hdr, size_t *events_at)
{
    int have_at = 0;
    if (events_at)
        *events_at = 0;
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
        if (ZIMU__CANCEL_CHECK(c, ln))
            return zimu__fail_cancel(c);
        const char *line = l;
        size_t whole = (size_t)(data + pos - line); /* with its line end */
        const char *line_end = l + n;
        trim(&l, &n);
        const char *v;
        size_t vn;
        int dialogue = in_events && n && key_value(l, n, "dialogue", &v, &vn);
        int event_line = in_events && have_format && n &&
            (dialogue || key_value(l, n, "comment", &v, &vn));
        if (hdr) {
            if (!event_line)
                zimu__sb_add(hdr, line, whole);
            else if (!have_at && dialogue) {
                *events_at = hdr->len;
                have_at = 1;
            }
        }
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
        if (!event_line && key_value(l, n, "format", &v, &vn)) {
            if (read_format(v, vn, &f) < 0)
                return zimu__fail(c, ZIMU_ESUBS,
                                  "%s:%zu: the Format line of [Events] must name "
                                  "Start and End, and Text last", name, ln);
            have_format = 1;
            if (hdr && !have_at)
                *events_at = hdr->len;
            continue;
        }
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
        /* A time libass cannot read, it reads as 0 and keeps the event:
         * a bad one skips the event here (and only it); a negative one is
         * 0; one without a fraction is whole seconds. Each with a warning. */
        int64_t st = 0, en = 0;
        if (event_time(c, name, ln, fs[f.start], fl[f.start], &st) < 0 ||
            event_time(c, name, ln, fs[f.end], fl[f.end], &en) < 0)
            continue;
        if (fn) {
            int r = fn(opaque, ln, fs, fl, &f, st, en, fs[f.text],
                       (size_t)(line_end - fs[f.text]));
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

/* ---- events back to cues ---- */

typedef struct to_cues {
    zimu_ctx *c;
    const char *name;
    zimu_cues *out;
    int64_t order;  /* events read so far */
} to_cues;

/* A field as a NUL-terminated, trimmed copy, or NULL when out of memory. */
static char *field_dup(const char **fs, size_t *fl, int i)
{
    const char *s = i >= 0 ? fs[i] : "";
    size_t n = i >= 0 ? fl[i] : 0;
    trim(&s, &n);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* A field read as atoi() reads it (what libass does), 0 if absent. */
static int field_int(const char **fs, size_t *fl, int i)
{
    if (i < 0)
        return 0;
    const char *s = fs[i];
    size_t n = fl[i], k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    int neg = 0;
    if (k < n && (s[k] == '-' || s[k] == '+'))
        neg = s[k++] == '-';
    long long v = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9' && v < 100000000)
        v = v * 10 + (s[k++] - '0');
    return (int)(neg ? -v : v);
}

/* How many digits a zero-padded number field has ("0010": 4), else 0. */
static unsigned char field_digits(const char **fs, size_t *fl, int i)
{
    if (i < 0)
        return 0;
    const char *s = fs[i];
    size_t n = fl[i];
    trim(&s, &n);
    size_t d = 0;
    while (d < n && s[d] >= '0' && s[d] <= '9')
        d++;
    return d == n && d > 1 && d < 10 && s[0] == '0' ? (unsigned char)d : 0;
}

static int find_kind(const ass_format *f, int kind)
{
    for (int i = 0; i < f->n; i++)
        if (f->kind[i] == kind)
            return i;
    return -1;
}

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
                     const ass_format *f, int64_t start, int64_t end,
                     const char *raw, size_t raw_len)
{
    to_cues *tc = opaque;
    int64_t order = tc->order++;
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
        cue->layer = field_int(fs, fl, f->layer);
        cue->line = ln;
        zimu_ass_event *e = r ? NULL : calloc(1, sizeof *e);
        if (e) {
            cue->ass = e;
            e->order = order;
            e->line = ln;
            e->style = field_dup(fs, fl, f->style);
            e->name = field_dup(fs, fl, find_kind(f, F_NAME));
            e->effect = field_dup(fs, fl, find_kind(f, F_EFFECT));
            e->margin_l = field_int(fs, fl, find_kind(f, F_MARGINL));
            e->margin_r = field_int(fs, fl, find_kind(f, F_MARGINR));
            e->margin_v = field_int(fs, fl, find_kind(f, F_MARGINV));
            e->margin_digits[0] = field_digits(fs, fl, find_kind(f, F_MARGINL));
            e->margin_digits[1] = field_digits(fs, fl, find_kind(f, F_MARGINR));
            e->margin_digits[2] = field_digits(fs, fl, find_kind(f, F_MARGINV));
            e->text = malloc(raw_len + 1);
            if (e->text) {
                memcpy(e->text, raw, raw_len);
                e->text[raw_len] = 0;
            }
            if (!e->style || !e->name || !e->effect || !e->text)
                r = ZIMU_ENOMEM;
        } else {
            r = ZIMU_ENOMEM;
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

int zimu__parse_ass(zimu_ctx *c, const char *name, const char *data,
                    size_t size, zimu_cues *out)
{
    if (!name)
        name = "subtitles";
    zimu_cues l = {0};
    zimu_sbuf hdr = {0};
    size_t at = 0;
    to_cues tc = {c, name, &l, 0};
    int r = walk(c, name, data, size, add_event, &tc, &hdr, &at);
    if (r == 0 && (hdr.oom || zimu__cues_sort(&l) < 0))
        r = zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
    if (r == 0 && !hdr.s)
        zimu__sb_add(&hdr, "", 0);
    if (r < 0) {
        zimu__sb_free(&hdr);
        zimu__cues_clear(&l);
        return r;
    }
    /* The events join whatever out held (its fonts). */
    for (size_t i = 0; i < out->n; i++)
        zimu__cue_free(&out->v[i]);
    free(out->v);
    free(out->ass_header);
    out->v = l.v;
    out->n = l.n;
    out->cap = l.cap;
    out->ass_header_len = hdr.len;
    out->ass_header = zimu__sb_take(&hdr);
    out->ass_events_at = at;
    return 0;
}

/* ---- header and events back to text ---- */

static void add_ass_time(zimu_sbuf *b, int64_t ms)
{
    if (ms < 0)
        ms = 0;
    int64_t cs = (ms + 5) / 10;
    zimu__sb_printf(b, "%lld:%02d:%02d.%02d", (long long)(cs / 360000),
                    (int)(cs / 6000 % 60), (int)(cs / 100 % 60), (int)(cs % 100));
}

/* The Format line of the header's [Events] section the events were read
 * with: the last before where they go. */
static int header_format(const zimu_cues *l, ass_format *f)
{
    const char *data = l->ass_header;
    size_t size = l->ass_events_at < l->ass_header_len ? l->ass_events_at : l->ass_header_len;
    size_t pos = 0, n;
    const char *ln;
    int in_events = 0, found = 0;
    while (zimu__next_line(data, size, &pos, &ln, &n)) {
        trim(&ln, &n);
        if (n && ln[0] == '[' && ln[n - 1] == ']') {
            in_events = zimu__eq_ci(ln, n, "[events]");
            continue;
        }
        const char *v;
        size_t vn;
        if (in_events && key_value(ln, n, "format", &v, &vn) && read_format(v, vn, f) == 0)
            found = 1;
    }
    return found ? 0 : -1;
}

/* The sort key of events: their order in the file. */
static int cmp_order(const void *a, const void *b)
{
    const zimu_cue *x = *(const zimu_cue *const *)a, *y = *(const zimu_cue *const *)b;
    int64_t ox = x->ass ? x->ass->order : INT64_MAX, oy = y->ass ? y->ass->order : INT64_MAX;
    if (ox != oy)
        return ox < oy ? -1 : 1;
    return x < y ? -1 : x > y; /* the list's order */
}

int zimu__ass_events_in_order(const zimu_cues *l, const zimu_cue ***out)
{
    const zimu_cue **v = malloc((l->n ? l->n : 1) * sizeof *v);
    if (!v)
        return ZIMU_ENOMEM;
    for (size_t i = 0; i < l->n; i++)
        v[i] = &l->v[i];
    if (l->n > 1) /* the array may be NULL when empty */
        qsort(v, l->n, sizeof *v, cmp_order);
    *out = v;
    return 0;
}

static void add_event_line(zimu_sbuf *b, const ass_format *f, const zimu_cue *q,
                           const char *eol)
{
    const zimu_ass_event *e = q->ass;
    char *text = e ? NULL : zimu__ass_text_from_cue(q->text);
    zimu__sb_adds(b, "Dialogue: ");
    for (int i = 0; i < f->n; i++) {
        if (i)
            zimu__sb_addc(b, ',');
        switch (f->kind[i]) {
        case F_LAYER: zimu__sb_printf(b, "%d", q->layer); break;
        case F_START: add_ass_time(b, q->start_ms); break;
        case F_END: add_ass_time(b, q->end_ms); break;
        case F_STYLE:
            zimu__sb_adds(b, e ? e->style : q->style ? q->style : "Default");
            break;
        case F_NAME: zimu__sb_adds(b, e ? e->name : ""); break;
        case F_MARGINL:
            zimu__sb_printf(b, "%0*d", e ? e->margin_digits[0] : 0, e ? e->margin_l : 0);
            break;
        case F_MARGINR:
            zimu__sb_printf(b, "%0*d", e ? e->margin_digits[1] : 0, e ? e->margin_r : 0);
            break;
        case F_MARGINV:
            zimu__sb_printf(b, "%0*d", e ? e->margin_digits[2] : 0, e ? e->margin_v : 0);
            break;
        case F_EFFECT: zimu__sb_adds(b, e ? e->effect : ""); break;
        case F_TEXT:
            if (e)
                zimu__sb_adds(b, e->text);
            else if (text)
                zimu__sb_adds(b, text);
            else
                b->oom = 1;
            break;
        case F_MARKED: zimu__sb_adds(b, "Marked=0"); break;
        default: break;
        }
    }
    zimu__sb_adds(b, eol);
    free(text);
}

int zimu__ass_script_write(zimu_ctx *c, const zimu_cues *l, zimu_sbuf *b)
{
    ass_format f;
    if (!l->ass_header || header_format(l, &f) < 0)
        return zimu__fail(c, ZIMU_EINVAL, "the ASS script has no [Events] Format line");
    const char *h = l->ass_header;
    size_t at = l->ass_events_at <= l->ass_header_len ? l->ass_events_at : l->ass_header_len;
    const char *eol = memchr(h, '\r', l->ass_header_len) ? "\r\n" : "\n";
    const zimu_cue **v;
    if (zimu__ass_events_in_order(l, &v) < 0)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    zimu__sb_add(b, h, at);
    if (at && h[at - 1] != '\n' && h[at - 1] != '\r' && l->n)
        zimu__sb_adds(b, eol);
    for (size_t i = 0; i < l->n; i++)
        add_event_line(b, &f, v[i], eol);
    zimu__sb_add(b, h + at, l->ass_header_len - at);
    free(v);
    return b->oom ? zimu__fail(c, ZIMU_ENOMEM, "out of memory") : 0;
}
