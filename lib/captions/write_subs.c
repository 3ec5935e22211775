/* write_subs.c - cues -> SRT, WebVTT, ASS and LRC text (zimu convert).
 *
 * Cue text keeps inline styling as ASS override blocks. For SRT and WebVTT
 * those blocks become HTML-like tags again: the writer tracks the state the
 * blocks ask for (italic, bold, underline, strike-out, colour), starting
 * from what an ASS event's style gives, and opens and closes tags just
 * before visible text, so tags always nest properly whatever order the
 * blocks came in. Blocks with nothing an SRT or WebVTT tag can say (\fs,
 * \pos, \k ...) are dropped; a drawing's commands (\p1 ... \p0) are no
 * text in any of SRT, WebVTT and LRC.
 *
 * The ASS writer builds the same libass track a burn renders
 * (zimu__assgen_track: play size, style, wrapped and paged lines) and
 * writes it out as script text. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ass/ass.h>

#include "tmpfile.h"
#include "ass_track.h"
#include "cuetext.h"
#include "write_subs.h"

int zimu__write_format(const char *path)
{
    if (!path)
        return 0;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return 0;
    if (!strcasecmp(dot, ".srt"))
        return ZIMU__SUBS_SRT;
    if (!strcasecmp(dot, ".vtt"))
        return ZIMU__SUBS_VTT;
    if (!strcasecmp(dot, ".ass"))
        return ZIMU__SUBS_ASS;
    if (!strcasecmp(dot, ".lrc"))
        return ZIMU__SUBS_LRC;
    return 0;
}

/* ---- times ---- */

static int64_t nonneg(int64_t ms)
{
    return ms < 0 ? 0 : ms;
}

/* "HH:MM:SS,mmm" (SRT, sep ',') or "HH:MM:SS.mmm" (WebVTT, sep '.'). */
static void add_hms(zimu_sbuf *b, int64_t ms, char sep)
{
    ms = nonneg(ms);
    zimu__sb_printf(b, "%02lld:%02d:%02d%c%03d", (long long)(ms / 3600000),
                    (int)(ms / 60000 % 60), (int)(ms / 1000 % 60), sep, (int)(ms % 1000));
}

/* Centiseconds, rounded to the nearest. */
static int64_t to_cs(int64_t ms)
{
    return (nonneg(ms) + 5) / 10;
}

/* "mm:ss.xx" (LRC; minutes may pass 99). */
static void add_lrc_time(zimu_sbuf *b, int64_t ms)
{
    int64_t cs = to_cs(ms);
    zimu__sb_printf(b, "%02lld:%02d.%02d", (long long)(cs / 6000), (int)(cs / 100 % 60),
                    (int)(cs % 100));
}

/* "H:MM:SS.cc" (ASS). */
static void add_ass_time(zimu_sbuf *b, int64_t ms)
{
    int64_t cs = to_cs(ms);
    zimu__sb_printf(b, "%lld:%02d:%02d.%02d", (long long)(cs / 360000), (int)(cs / 6000 % 60),
                    (int)(cs / 100 % 60), (int)(cs % 100));
}

/* A number the way ASS files write them, whatever the C locale says about
 * decimal points: "60", "1.5", "-0.25" (three decimals at most). */
static void add_num(zimu_sbuf *b, double v)
{
    if (!isfinite(v) || fabs(v) > 1e12)
        v = 0;
    long long m = llround(v * 1000);
    if (m < 0) {
        zimu__sb_addc(b, '-');
        m = -m;
    }
    zimu__sb_printf(b, "%lld", m / 1000);
    int f = (int)(m % 1000), digits = 3;
    if (!f)
        return;
    while (f % 10 == 0)
        f /= 10, digits--;
    zimu__sb_printf(b, ".%0*d", digits, f);
}

/* ---- cue text -> tagged text ---- */

enum { MODE_SRT, MODE_VTT, MODE_LRC };

typedef struct fmt_state {
    int i, b, u, s;
    long color; /* 0xRRGGBB, -1: the style's */
} fmt_state;

typedef struct open_tag {
    char tag; /* 'i' 'b' 'u' 's', 'f' for <font color> */
    long color;
} open_tag;

#define MAX_OPEN 8

typedef struct hook {
    size_t pos;   /* byte offset in the cue text */
    int64_t ms;
    int end;      /* LRC: a tag that ends the word before */
} hook;

/* The colours WebVTT text uses, for the STYLE block of their classes. */
typedef struct colour_set {
    long *v;
    size_t n, cap;
    int oom;
} colour_set;

typedef struct tagger {
    zimu_sbuf *out;
    int mode;
    fmt_state base;   /* what the cue's style gives (ASS), else nothing */
    const zimu_ass_styles *styles; /* for \rStyle; may hold none */
    colour_set *colours; /* WebVTT: colours used; may be NULL */
    int drawing;      /* inside a \p1 drawing: its commands are no text */
    fmt_state want;
    open_tag open[MAX_OPEN];
    int depth;
    int pending_nl; /* a line break before the next visible text */
    int any;        /* visible text written */
    int an;         /* {\anN} met in the text, 0 if none */
} tagger;

static int still_wanted(const tagger *w, const open_tag *t)
{
    switch (t->tag) {
    case 'i': return w->want.i;
    case 'b': return w->want.b;
    case 'u': return w->want.u;
    case 's': return w->want.s;
    case 'f': return w->want.color >= 0; /* an outer colour may stay open */
    }
    return 0;
}

static void close_top(tagger *w)
{
    open_tag *t = &w->open[--w->depth];
    if (t->tag == 'f')
        zimu__sb_adds(w->out, w->mode == MODE_VTT ? "</c>" : "</font>");
    else
        zimu__sb_printf(w->out, "</%c>", t->tag);
}

static int is_open(const tagger *w, char tag)
{
    for (int k = 0; k < w->depth; k++)
        if (w->open[k].tag == tag)
            return 1;
    return 0;
}

/* The colour the open tags give the text, -1 if none. */
static long open_color(const tagger *w)
{
    for (int k = w->depth; k-- > 0;)
        if (w->open[k].tag == 'f')
            return w->open[k].color;
    return -1;
}

/* The WebVTT class of a colour: one of WebVTT's default text colour
 * classes, or "c_rrggbb" (styled by the file's STYLE block). */
static void vtt_class(long rgb, char out[16])
{
    static const struct { long rgb; const char *name; } named[] = {
        {0xFFFFFF, "white"}, {0x00FF00, "lime"}, {0x00FFFF, "cyan"}, {0xFF0000, "red"},
        {0xFFFF00, "yellow"}, {0xFF00FF, "magenta"}, {0x0000FF, "blue"}, {0x000000, "black"},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].rgb == rgb) {
            snprintf(out, 16, "%s", named[i].name);
            return;
        }
    snprintf(out, 16, "c_%06lx", (unsigned long)rgb & 0xFFFFFF);
}

static void note_colour(colour_set *cs, long rgb)
{
    if (!cs)
        return;
    for (size_t i = 0; i < cs->n; i++)
        if (cs->v[i] == rgb)
            return;
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 8;
        long *v = realloc(cs->v, cap * sizeof *v);
        if (!v) {
            cs->oom = 1;
            return;
        }
        cs->v = v;
        cs->cap = cap;
    }
    cs->v[cs->n++] = rgb;
}

static void push(tagger *w, char tag, long color)
{
    if (w->depth == MAX_OPEN)
        return;
    w->open[w->depth++] = (open_tag){tag, color};
    if (tag == 'f' && w->mode == MODE_VTT) {
        char cls[16];
        vtt_class(color, cls);
        note_colour(w->colours, color);
        zimu__sb_printf(w->out, "<c.%s>", cls);
    } else if (tag == 'f')
        zimu__sb_printf(w->out, "<font color=\"#%06lX\">", (unsigned long)color & 0xFFFFFF);
    else
        zimu__sb_printf(w->out, "<%c>", tag);
}

/* Close the open tags the wanted state no longer has: from the first one
 * not wanted, everything inside it too. Colours nest as SRT authors nest
 * them: a new colour opens inside the one before, and going back to an
 * outer colour closes the inner ones. */
static void close_unwanted(tagger *w)
{
    if (w->mode == MODE_LRC)
        return;
    int keep = 0;
    while (keep < w->depth && still_wanted(w, &w->open[keep]))
        keep++;
    if (w->want.color >= 0) {
        int j = -1;
        for (int k = 0; k < keep; k++)
            if (w->open[k].tag == 'f' && w->open[k].color == w->want.color)
                j = k;
        for (int k = j + 1; j >= 0 && k < keep; k++)
            if (w->open[k].tag == 'f') {
                keep = k;
                break;
            }
    }
    while (w->depth > keep)
        close_top(w);
}

/* Open what the wanted state has and the open tags do not. */
static void open_wanted(tagger *w)
{
    if (w->mode == MODE_LRC)
        return;
    if (w->want.color >= 0 && open_color(w) != w->want.color)
        push(w, 'f', w->want.color);
    if (w->want.b && !is_open(w, 'b'))
        push(w, 'b', 0);
    if (w->want.i && !is_open(w, 'i'))
        push(w, 'i', 0);
    if (w->want.u && !is_open(w, 'u'))
        push(w, 'u', 0);
    if (w->mode == MODE_SRT && w->want.s && !is_open(w, 's'))
        push(w, 's', 0);
}

static void flush_nl(tagger *w)
{
    if (w->pending_nl && w->any)
        zimu__sb_addc(w->out, w->mode == MODE_LRC ? ' ' : '\n');
    w->pending_nl = 0;
}

/* One visible character (or UTF-8 sequence) s[0..n), with what follows it
 * in rest[0..rn) (to decide whether it needs escaping). */
static void put(tagger *w, const char *s, size_t n, const char *rest, size_t rn)
{
    if (w->drawing)
        return;
    close_unwanted(w);
    flush_nl(w);
    open_wanted(w);
    w->any = 1;
    if (n == 1) {
        char ch = s[0];
        const char *next = rest + 1;
        size_t nn = rn > 0 ? rn - 1 : 0;
        if (w->mode == MODE_VTT) {
            if (ch == '&') {
                zimu__sb_adds(w->out, "&amp;");
                return;
            }
            if (ch == '<') {
                zimu__sb_adds(w->out, "&lt;");
                return;
            }
            if (ch == '>') {
                zimu__sb_adds(w->out, "&gt;");
                return;
            }
        } else if (w->mode == MODE_SRT) {
            /* Escape only what a reader would take for markup: "<x", "</"
             * and entities. */
            if (ch == '<' && nn && (is_alpha((unsigned char)next[0]) || next[0] == '/')) {
                zimu__sb_adds(w->out, "&lt;");
                return;
            }
            if (ch == '&' && nn && (is_alpha((unsigned char)next[0]) || next[0] == '#')) {
                const char *semi = memchr(next, ';', nn < 12 ? nn : 12);
                if (semi) {
                    zimu__sb_adds(w->out, "&amp;");
                    return;
                }
            }
        } else if (ch == '<' && nn && is_digit((unsigned char)next[0])) {
            /* LRC: "<1" would read as a word time */
            zimu__sb_adds(w->out, "\xEF\xBC\x9C"); /* U+FF1C */
            return;
        }
    }
    zimu__sb_add(w->out, s, n);
}

/* "&HBBGGRR&" (or &HAABBGGRR, H..., with or without the '&'s) as 0xRRGGBB,
 * -1 if not a colour. */
static long ass_color(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '&' || s[i] == 'H' || s[i] == 'h'))
        i++;
    unsigned long v = 0;
    size_t d = 0;
    for (; i < n && d < 8; i++, d++) {
        int ch = (unsigned char)s[i], x;
        if (ch >= '0' && ch <= '9')
            x = ch - '0';
        else if (ch >= 'a' && ch <= 'f')
            x = ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F')
            x = ch - 'A' + 10;
        else
            break;
        v = v << 4 | (unsigned long)x;
    }
    if (!d)
        return -1;
    v &= 0xFFFFFF; /* BBGGRR */
    return (long)(((v & 0xFF) << 16) | (v & 0xFF00) | (v >> 16));
}

/* A switch value: "" (reset: off), digits. */
static int switch_value(const char *s, size_t n, int *on, int weight)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit((unsigned char)s[i]))
            return 0;
        if (v < 100000)
            v = v * 10 + (s[i] - '0');
    }
    *on = weight && v >= 100 ? v >= 600 : v != 0;
    return 1;
}

/* What an ASS style gives its text, as SRT and WebVTT tags can say it
 * (bold as libass takes the Bold field: -1 or 1, or a weight of 600 and
 * more; white, every player's caption colour, as no colour). */
static fmt_state style_look(const ASS_Style *st)
{
    long rgb = (long)(st->PrimaryColour >> 8 & 0xFFFFFF);
    return (fmt_state){.i = st->Italic != 0,
                       .b = st->Bold == 1 || st->Bold == -1 || st->Bold >= 600,
                       .u = st->Underline != 0,
                       .s = st->StrikeOut != 0,
                       .color = rgb == 0xFFFFFF ? -1 : rgb};
}

/* One override tag (without its backslash). */
static void tag(tagger *w, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return;
    if (n == 3 && s[0] == 'a' && s[1] == 'n' && s[2] >= '1' && s[2] <= '9') {
        if (!w->an)
            w->an = s[2] - '0';
        return;
    }
    if (s[0] == 'r') { /* \r: back to the cue's style; \rStyle: to that one */
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(n - 1), s + 1);
        const ASS_Style *st = n > 1 && w->styles ? zimu__ass_styles_find(w->styles, name)
                                                 : NULL;
        w->want = st ? style_look(st) : w->base;
        return;
    }
    if (s[0] == 'p' && n >= 2 && is_digit((unsigned char)s[1])) {
        size_t k = 1, nonzero = 0;
        for (; k < n && is_digit((unsigned char)s[k]); k++)
            nonzero |= s[k] != '0';
        if (k == n) { /* \p1 (any scale) starts a drawing, \p0 ends it */
            w->drawing = nonzero != 0;
            return;
        }
    }
    if (s[0] == 'i' && switch_value(s + 1, n - 1, &w->want.i, 0))
        return;
    if (s[0] == 'b' && switch_value(s + 1, n - 1, &w->want.b, 1))
        return;
    if (s[0] == 'u' && switch_value(s + 1, n - 1, &w->want.u, 0))
        return;
    if (s[0] == 's' && switch_value(s + 1, n - 1, &w->want.s, 0))
        return;
    size_t k = s[0] == 'c' ? 1 : (n >= 2 && s[0] == '1' && s[1] == 'c') ? 2 : 0;
    if (k && (k == n || s[k] == '&' || s[k] == 'H')) {
        w->want.color = k == n ? -1 : ass_color(s + k, n - k);
        return;
    }
}

/* An override block's content (between the braces). */
static void block(tagger *w, const char *s, size_t n)
{
    size_t pos = 0;
    const char *t;
    size_t tn;
    while (zimu__ass_next_tag(s, n, &pos, &t, &tn))
        tag(w, t, tn);
}

static void emit_hook(tagger *w, const hook *h)
{
    if (!h->end)
        flush_nl(w);
    zimu__sb_addc(w->out, '<');
    if (w->mode == MODE_VTT)
        add_hms(w->out, h->ms, '.');
    else
        add_lrc_time(w->out, h->ms);
    zimu__sb_addc(w->out, '>');
}

/* How cue text is written: the mode, the script's styles (may hold
 * none), the colours WebVTT text used (may be NULL). */
typedef struct writer {
    int mode;
    const zimu_ass_styles *styles;
    colour_set *colours;
} writer;

/* The cue's text as wr says, appended to out; word hooks (may be NULL)
 * in order of position. The cue's ASS style's bold, italic, underline,
 * strike-out and colour are the text's from the start. Returns 1 if
 * anything visible was written. */
static int tag_text(zimu_sbuf *out, const writer *wr, const zimu_cue *q, const hook *hk,
                    size_t nh, int *an)
{
    tagger w = {.out = out, .mode = wr->mode, .styles = wr->styles, .colours = wr->colours,
                .base = {0, 0, 0, 0, -1}};
    const ASS_Style *st = wr->styles && wr->mode != MODE_LRC
                              ? zimu__ass_styles_find(wr->styles, q->ass ? q->ass->style : q->style)
                              : NULL;
    if (st)
        w.base = style_look(st);
    w.want = w.base;
    const char *t = q->text;
    size_t n = strlen(t), h = 0;
    for (size_t i = 0; i < n;) {
        while (h < nh && hk[h].pos <= i)
            emit_hook(&w, &hk[h++]);
        unsigned char ch = (unsigned char)t[i];
        if (ch == '{') {
            const char *e = memchr(t + i, '}', n - i);
            if (e) {
                block(&w, t + i + 1, (size_t)(e - t) - i - 1);
                i = (size_t)(e - t) + 1;
                continue;
            }
        }
        if (ch == '\\' && i + 1 < n && (t[i + 1] == 'N' || t[i + 1] == 'n')) {
            w.pending_nl = 1;
            i += 2;
            continue;
        }
        if (ch == '\\' && i + 1 < n && t[i + 1] == 'h') {
            put(&w, "\xC2\xA0", 2, t + i, n - i);
            i += 2;
            continue;
        }
        if (ch == '\n') {
            w.pending_nl = 1;
            i++;
            continue;
        }
        if (ch == '\r') {
            i++;
            continue;
        }
        /* Braces of the source text, kept fullwidth in cue text. */
        if (ch == 0xEF && i + 2 < n && (unsigned char)t[i + 1] == 0xBD &&
            ((unsigned char)t[i + 2] == 0x9B || (unsigned char)t[i + 2] == 0x9D)) {
            put(&w, (unsigned char)t[i + 2] == 0x9B ? "{" : "}", 1, t + i, n - i);
            i += 3;
            continue;
        }
        size_t len = 1;
        if (ch >= 0xC0)
            while (i + len < n && ((unsigned char)t[i + len] & 0xC0) == 0x80 && len < 4)
                len++;
        put(&w, t + i, len, t + i, n - i);
        i += len;
    }
    while (h < nh)
        emit_hook(&w, &hk[h++]);
    while (w.depth)
        close_top(&w);
    if (an)
        *an = w.an;
    return w.any;
}

/* ---- SRT ---- */

/* Drop the spaces and tabs that end a line of t (a tag left out after them
 * leaves them last): a reader trims them, so the file would not read back
 * as written. Returns t's new length. */
static size_t trim_line_ends(zimu_sbuf *t)
{
    size_t o = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (t->s[i] == '\n')
            while (o && (t->s[o - 1] == ' ' || t->s[o - 1] == '\t'))
                o--;
        t->s[o++] = t->s[i];
    }
    while (o && (t->s[o - 1] == ' ' || t->s[o - 1] == '\t'))
        o--;
    t->len = o;
    if (t->s)
        t->s[o] = 0;
    return o;
}

static int write_srt(zimu_ctx *c, const zimu_cues *cues, zimu_sbuf *b)
{
    zimu_ass_styles styles;
    if (zimu__ass_styles_open(&styles, cues) < 0)
        return ZIMU_ENOMEM;
    writer wr = {MODE_SRT, &styles, NULL};
    zimu_sbuf t = {0};
    int num = 0;
    int r = 0;
    for (size_t i = 0; i < cues->n; i++) {
        if (ZIMU__CANCEL_CHECK(c, i + 1)) {
            r = ZIMU_ECANCEL;
            break;
        }
        const zimu_cue *q = &cues->v[i];
        if (q->end_ms <= q->start_ms)
            continue;
        t.len = 0;
        int an = 0;
        if (!tag_text(&t, &wr, q, NULL, 0, &an) || !trim_line_ends(&t))
            continue;
        zimu__sb_printf(b, "%d\n", ++num);
        add_hms(b, q->start_ms, ',');
        zimu__sb_adds(b, " --> ");
        add_hms(b, q->end_ms, ',');
        zimu__sb_addc(b, '\n');
        int align = q->align >= 1 && q->align <= 9 ? q->align : an;
        if (align)
            zimu__sb_printf(b, "{\\an%d}", align);
        zimu__sb_add(b, t.s, t.len);
        zimu__sb_adds(b, "\n\n");
    }
    int oom = t.oom;
    zimu__sb_free(&t);
    zimu__ass_styles_close(&styles);
    return r ? r : oom ? ZIMU_ENOMEM : 0;
}

/* ---- WebVTT ---- */

/* The cue's place as settings (the inverse of fmt_vtt.c's reading). */
static void vtt_settings(zimu_sbuf *b, const zimu_cue *q, int an)
{
    int align = q->align >= 1 && q->align <= 9 ? q->align : an;
    int col = align ? (align - 1) % 3 + 1 : 2;
    int row = align ? (align >= 7 ? 1 : align >= 4 ? 2 : 3) : 3;
    static const char *const line_al[] = {"", "start", "center", "end"};
    static const char *const pos_al[] = {"", "line-left", "center", "line-right"};
    static const char *const col_al[] = {"", "start", "center", "end"};
    if (q->pos_y >= 0) {
        zimu__sb_adds(b, " line:");
        add_num(b, q->pos_y * 100);
        zimu__sb_printf(b, "%%,%s", line_al[row]);
    } else if (align) {
        zimu__sb_adds(b, row == 1 ? " line:0" : row == 3 ? " line:-1" : " line:50%,center");
    }
    if (q->pos_x >= 0) {
        zimu__sb_adds(b, " position:");
        add_num(b, q->pos_x * 100);
        zimu__sb_printf(b, "%%,%s", pos_al[col]);
    } else if (align) {
        zimu__sb_printf(b, " align:%s", col_al[col]);
    }
}

static int write_vtt(zimu_ctx *c, const zimu_cues *cues, zimu_sbuf *out)
{
    zimu_ass_styles styles;
    if (zimu__ass_styles_open(&styles, cues) < 0)
        return ZIMU_ENOMEM;
    colour_set colours = {0};
    writer wr = {MODE_VTT, &styles, &colours};
    zimu_sbuf body = {0}, *b = &body; /* the cues; the STYLE block goes first */
    zimu_sbuf t = {0};
    hook *hk = NULL;
    int r = 0;
    for (size_t i = 0; i < cues->n && !r; i++) {
        if (ZIMU__CANCEL_CHECK(c, i + 1)) {
            r = ZIMU_ECANCEL;
            break;
        }
        const zimu_cue *q = &cues->v[i];
        if (q->end_ms <= q->start_ms)
            continue;
        /* Word times as timestamps: strictly inside the cue, increasing. */
        size_t nh = 0;
        if (q->n_words) {
            hook *nhk = realloc(hk, q->n_words * sizeof *nhk);
            if (!nhk) {
                r = ZIMU_ENOMEM;
                break;
            }
            hk = nhk;
            int64_t last = q->start_ms;
            for (size_t k = 0; k < q->n_words; k++) {
                const zimu_word *wd = &q->words[k];
                if (wd->start_ms > last && wd->start_ms < q->end_ms) {
                    hk[nh++] = (hook){wd->off, wd->start_ms, 0};
                    last = wd->start_ms;
                }
            }
        }
        t.len = 0;
        int an = 0;
        if (!tag_text(&t, &wr, q, hk, nh, &an))
            continue;
        add_hms(b, q->start_ms, '.');
        zimu__sb_adds(b, " --> ");
        add_hms(b, q->end_ms, '.');
        vtt_settings(b, q, an);
        zimu__sb_addc(b, '\n');
        zimu__sb_add(b, t.s, t.len);
        zimu__sb_adds(b, "\n\n");
    }
    zimu__sb_adds(out, "WEBVTT\n\n");
    /* Colours as classes: WebVTT's own (yellow, red ...) need no rule. */
    int rules = 0;
    for (size_t i = 0; i < colours.n; i++) {
        char cls[16];
        vtt_class(colours.v[i], cls);
        if (strncmp(cls, "c_", 2))
            continue;
        if (!rules++)
            zimu__sb_adds(out, "STYLE\n");
        zimu__sb_printf(out, "::cue(.%s) { color: #%06lx; }\n", cls,
                        (unsigned long)colours.v[i]);
    }
    if (rules)
        zimu__sb_addc(out, '\n');
    if (body.len)
        zimu__sb_add(out, body.s, body.len);
    if ((t.oom || body.oom || colours.oom) && !r)
        r = ZIMU_ENOMEM;
    zimu__sb_free(&t);
    zimu__sb_free(&body);
    free(colours.v);
    free(hk);
    zimu__ass_styles_close(&styles);
    return r;
}

/* ---- LRC ---- */

static int write_lrc(const zimu_cues *cues, zimu_sbuf *b)
{
    const writer wr = {MODE_LRC, NULL, NULL};
    zimu_sbuf t = {0};
    hook *hk = NULL;
    int r = 0;
    /* Cues with text, in order. */
    size_t *shown = malloc((cues->n ? cues->n : 1) * sizeof *shown);
    if (!shown)
        return ZIMU_ENOMEM;
    size_t ns = 0;
    for (size_t i = 0; i < cues->n; i++) {
        const zimu_cue *q = &cues->v[i];
        if (q->end_ms <= q->start_ms)
            continue;
        t.len = 0;
        if (tag_text(&t, &wr, q, NULL, 0, NULL))
            shown[ns++] = i;
    }
    for (size_t s = 0; s < ns && !r; s++) {
        const zimu_cue *q = &cues->v[shown[s]];
        size_t nh = 0;
        if (q->n_words) {
            hook *nhk = realloc(hk, 2 * q->n_words * sizeof *nhk);
            if (!nhk) {
                r = ZIMU_ENOMEM;
                break;
            }
            hk = nhk;
            /* A word runs to the next word time; a gap after it needs a
             * time of its own (an empty word) to end it. */
            for (size_t k = 0; k < q->n_words; k++) {
                const zimu_word *wd = &q->words[k];
                hk[nh++] = (hook){wd->off, wd->start_ms, 0};
                int64_t next = k + 1 < q->n_words ? q->words[k + 1].start_ms : q->end_ms;
                if (to_cs(wd->end_ms) < to_cs(next))
                    hk[nh++] = (hook){wd->off + wd->len, wd->end_ms, 1};
            }
        }
        t.len = 0;
        tag_text(&t, &wr, q, hk, nh, NULL);
        zimu__sb_addc(b, '[');
        add_lrc_time(b, q->start_ms);
        zimu__sb_addc(b, ']');
        zimu__sb_add(b, t.s, t.len);
        zimu__sb_addc(b, '\n');
        /* LRC lines end where the next begins: a gap needs an empty line. */
        int64_t next = s + 1 < ns ? cues->v[shown[s + 1]].start_ms : -1;
        if (next < 0 || to_cs(next) > to_cs(q->end_ms)) {
            zimu__sb_addc(b, '[');
            add_lrc_time(b, q->end_ms);
            zimu__sb_adds(b, "]\n");
        }
    }
    if (t.oom)
        r = ZIMU_ENOMEM;
    zimu__sb_free(&t);
    free(hk);
    free(shown);
    return r;
}

/* ---- ASS ---- */

static void add_colour(zimu_sbuf *b, uint32_t rgba)
{
    /* libass keeps RRGGBBAA (AA as ASS writes it: 0 opaque); ASS text is
     * &HAABBGGRR. */
    zimu__sb_printf(b, "&H%02X%02X%02X%02X", (unsigned)(rgba & 0xFF),
                    (unsigned)(rgba >> 8 & 0xFF), (unsigned)(rgba >> 16 & 0xFF),
                    (unsigned)(rgba >> 24));
}

static int numpad(int a)
{
    int h = a & 3;
    int v = a & (VALIGN_TOP | VALIGN_CENTER);
    if (!h)
        h = HALIGN_CENTER;
    return h + (v == VALIGN_TOP ? 6 : v == VALIGN_CENTER ? 3 : 0);
}

/* A string field: no commas or line breaks can be written. */
static void add_field(zimu_sbuf *b, const char *s)
{
    for (; s && *s; s++)
        zimu__sb_addc(b, *s == ',' ? ';' : (*s == '\n' || *s == '\r') ? ' ' : *s);
}

static const char *matrix_name(int m)
{
    switch (m) {
    case YCBCR_NONE: return "None";
    case YCBCR_BT601_TV: return "TV.601";
    case YCBCR_BT601_PC: return "PC.601";
    case YCBCR_BT709_TV: return "TV.709";
    case YCBCR_BT709_PC: return "PC.709";
    case YCBCR_SMPTE240M_TV: return "TV.240M";
    case YCBCR_SMPTE240M_PC: return "PC.240M";
    case YCBCR_FCC_TV: return "TV.FCC";
    case YCBCR_FCC_PC: return "PC.FCC";
    }
    return NULL;
}

/* The track as script text. */
void zimu__ass_track_text(const ASS_Track *t, zimu_sbuf *b)
{
    zimu__sb_printf(b, "[Script Info]\n; Written by zimu %s\nScriptType: v4.00+\n",
                    zimu_version());
    zimu__sb_printf(b, "PlayResX: %d\nPlayResY: %d\nWrapStyle: %d\n", t->PlayResX,
                    t->PlayResY, t->WrapStyle);
    zimu__sb_printf(b, "ScaledBorderAndShadow: %s\n", t->ScaledBorderAndShadow ? "yes" : "no");
    if (t->Kerning)
        zimu__sb_adds(b, "Kerning: yes\n");
    const char *m = matrix_name(t->YCbCrMatrix);
    if (m)
        zimu__sb_printf(b, "YCbCr Matrix: %s\n", m);
    if (t->Language && *t->Language)
        zimu__sb_printf(b, "Language: %s\n", t->Language);

    zimu__sb_adds(b, "\n[V4+ Styles]\n" ZIMU__ASS_STYLE_FORMAT);
    for (int i = 0; i < t->n_styles; i++) {
        const ASS_Style *s = &t->styles[i];
        /* libass finds a style by name from the last one: a name used
         * again (its own "Default" in slot 0) is written once. */
        int later = 0;
        for (int j = i + 1; j < t->n_styles && !later; j++)
            later = s->Name && t->styles[j].Name && !strcmp(s->Name, t->styles[j].Name);
        if (later)
            continue;
        /* libass adds a "Default" of its own in slot 0 when it reads the
         * first style line: left out unless an event uses it. */
        if (i == 0 && t->n_styles > 1) {
            int used = 0;
            for (int e = 0; e < t->n_events && !used; e++)
                used = t->events[e].Style == 0;
            if (!used)
                continue;
        }
        zimu__sb_adds(b, "Style: ");
        add_field(b, s->Name);
        zimu__sb_addc(b, ',');
        add_field(b, s->FontName);
        zimu__sb_addc(b, ',');
        add_num(b, s->FontSize);
        uint32_t col[4] = {s->PrimaryColour, s->SecondaryColour, s->OutlineColour,
                           s->BackColour};
        for (int k = 0; k < 4; k++) {
            zimu__sb_addc(b, ',');
            add_colour(b, col[k]);
        }
        zimu__sb_printf(b, ",%d,%d,%d,%d,", s->Bold ? -1 : 0, s->Italic ? -1 : 0,
                        s->Underline ? -1 : 0, s->StrikeOut ? -1 : 0);
        add_num(b, s->ScaleX * 100);
        zimu__sb_addc(b, ',');
        add_num(b, s->ScaleY * 100);
        zimu__sb_addc(b, ',');
        add_num(b, s->Spacing);
        zimu__sb_addc(b, ',');
        add_num(b, s->Angle);
        zimu__sb_printf(b, ",%d,", s->BorderStyle);
        add_num(b, s->Outline);
        zimu__sb_addc(b, ',');
        add_num(b, s->Shadow);
        zimu__sb_printf(b, ",%d,%d,%d,%d,%d\n", numpad(s->Alignment), s->MarginL, s->MarginR,
                        s->MarginV, s->Encoding);
    }

    zimu__sb_adds(b, "\n[Events]\n" ZIMU__ASS_EVENT_FORMAT);
    for (int i = 0; i < t->n_events; i++) {
        const ASS_Event *e = &t->events[i];
        const ASS_Style *s = e->Style >= 0 && e->Style < t->n_styles ? &t->styles[e->Style]
                                                                      : NULL;
        zimu__sb_printf(b, "Dialogue: %d,", e->Layer);
        add_ass_time(b, e->Start);
        zimu__sb_addc(b, ',');
        add_ass_time(b, e->Start + e->Duration);
        zimu__sb_addc(b, ',');
        add_field(b, s && s->Name ? s->Name : "Default");
        zimu__sb_addc(b, ',');
        add_field(b, e->Name);
        zimu__sb_printf(b, ",%d,%d,%d,", e->MarginL, e->MarginR, e->MarginV);
        add_field(b, e->Effect);
        zimu__sb_addc(b, ',');
        /* A style's blur (a libass extension of the style line) as a tag,
         * which every renderer reads. */
        if (s && s->Blur > 0) {
            zimu__sb_adds(b, "{\\blur");
            add_num(b, s->Blur);
            zimu__sb_addc(b, '}');
        }
        for (const char *p = e->Text; p && *p; p++) {
            if (*p == '\n')
                zimu__sb_adds(b, "\\N");
            else if (*p != '\r')
                zimu__sb_addc(b, *p);
        }
        zimu__sb_addc(b, '\n');
    }
}

/* Cut the keyword markers (cue.h: ZIMU__KEY_ON / ZIMU__KEY_OFF) out of
 * ASS text: they are zimu's own, not libass's. */
static void strip_key_markers(char *s)
{
    static const char *const marks[] = {ZIMU__KEY_ON, ZIMU__KEY_OFF};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(marks[i]);
        for (char *p = strstr(s, marks[i]); p; p = strstr(p, marks[i]))
            memmove(p, p + n, strlen(p + n) + 1);
    }
}

/* Plain cues as a plain script: one Default style (bold Noto Sans CJK SC,
 * white with a dark outline, a twentieth of the frame height, bottom
 * centre a quarter of the height up), the cues as its events with their
 * places as \an and \pos tags. Lines break where the cues break them:
 * the script a burn renders (wrapped, styled, placed) is the renderer's
 * (zimu_renderer_save_ass, zimu_job_save_captions). */
static int write_plain_ass(zimu_ctx *c, const zimu_cues *cues, const zimu_write_opts *o,
                           zimu_sbuf *b)
{
    zimu_cues s;
    if (zimu__cues_copy(&s, cues) < 0)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    zimu_sbuf h = {0};
    int fs = o->height / 20 > 8 ? o->height / 20 : 8;
    zimu__sb_printf(&h, "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
                        "ScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n",
                    o->width, o->height);
    zimu__sb_adds(&h, "[V4+ Styles]\n" ZIMU__ASS_STYLE_FORMAT);
    zimu__sb_printf(&h, "Style: Default,%s,%d,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,"
                        "-1,0,0,0,100,100,0,0,1,%d,%d,2,%d,%d,%d,1\n\n",
                    o->font && *o->font ? o->font : "Noto Sans CJK SC", fs,
                    fs / 12 > 1 ? fs / 12 : 1, fs / 30 > 0 ? fs / 30 : 0, o->width / 20,
                    o->width / 20, o->height / 4);
    zimu__sb_adds(&h, "[Events]\n" ZIMU__ASS_EVENT_FORMAT);
    s.ass_events_at = h.len;
    s.ass_header_len = h.len;
    s.ass_header = zimu__sb_take(&h);
    int r = s.ass_header ? 0 : ZIMU_ENOMEM;
    for (size_t i = 0; i < s.n && r == 0; i++) {
        zimu_cue *q = &s.v[i];
        free(q->style);
        q->style = NULL;
        if ((r = zimu__cue_make_ass(q, (int64_t)i)) < 0)
            break;
        strip_key_markers(q->ass->text);
        zimu_sbuf t = {0};
        if (q->align >= 1 && q->align <= 9)
            zimu__sb_printf(&t, "{\\an%d}", q->align);
        if (q->pos_x >= 0 && q->pos_y >= 0)
            zimu__sb_printf(&t, "{\\pos(%.0f,%.0f)}", q->pos_x * o->width,
                            q->pos_y * o->height);
        zimu__sb_adds(&t, q->ass->text);
        char *text = zimu__sb_take(&t);
        if (!text) {
            r = ZIMU_ENOMEM;
            break;
        }
        free(q->ass->text);
        q->ass->text = text;
    }
    if (r == 0)
        r = zimu__ass_script_write(c, &s, b);
    else
        zimu__fail(c, r, "out of memory");
    zimu__cues_clear(&s);
    return r;
}

int zimu__subs_write(zimu_ctx *c, const zimu_cues *cues, int fmt,
                     const zimu_write_opts *o, zimu_sbuf *out)
{
    static const zimu_write_opts defaults = {.width = 1080, .height = 1920};
    if (!o)
        o = &defaults;
    int r;
    switch (fmt) {
    case ZIMU__SUBS_SRT:
        r = write_srt(c, cues, out);
        break;
    case ZIMU__SUBS_VTT:
        r = write_vtt(c, cues, out);
        break;
    case ZIMU__SUBS_LRC:
        r = write_lrc(cues, out);
        break;
    case ZIMU__SUBS_ASS:
        return cues->ass_header ? zimu__ass_script_write(c, cues, out)
                                : write_plain_ass(c, cues, o, out);
    default:
        return zimu__fail(c, ZIMU_EINVAL, "cannot write captions as '%s'",
                          zimu__subs_format_name(fmt));
    }
    if (r == ZIMU_ECANCEL)
        return zimu__fail_cancel(c);
    if (!r && !out->s)
        zimu__sb_add(out, "", 0);
    if (r < 0 || out->oom)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    return 0;
}
