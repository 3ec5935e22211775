/* cuetext.c - what every caption parser shares: line splitting, cue text
 * (literal braces, trimming), HTML-like markup to ASS override blocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "cuetext.h"

/* ---- string buffer ---- */

int zimu__next_line(const char *data, size_t size, size_t *pos,
                    const char **line, size_t *len)
{
    size_t p = *pos;
    if (p >= size)
        return 0;
    size_t e = p;
    while (e < size && data[e] != '\n' && data[e] != '\r')
        e++;
    *line = data + p;
    *len = e - p;
    if (e < size && data[e] == '\r')
        e++;
    if (e < size && data[e] == '\n')
        e++;
    *pos = e;
    return 1;
}

int zimu__subs_check_nul(zimu_ctx *c, const char *name, const char *data,
                         size_t size)
{
    const char *z = memchr(data, 0, size);
    if (!z)
        return 0;
    size_t line = 1;
    for (const char *p = data; p < z; p++)
        if (*p == '\n' || (*p == '\r' && (p + 1 >= z || p[1] != '\n')))
            line++;
    return zimu__fail(c, ZIMU_ECHARSET, "%s:%zu: NUL character in the text",
                      name, line);
}

void zimu__sb_add_text(zimu_sbuf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '{' && s[i] != '}')
            continue;
        zimu__sb_add(b, s + run, i - run);
        zimu__sb_adds(b, s[i] == '{' ? "\xEF\xBD\x9B" : "\xEF\xBD\x9D");
        run = i + 1;
    }
    zimu__sb_add(b, s + run, n - run);
}

/* ---- markup ---- */

int zimu__eq_ci(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    if (n != l)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != lit[i])
            return 0;
    return 1;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = lower(ch);
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* An HTML colour value ("#RRGGBB", "#RGB", "RRGGBB", a name) as 0xRRGGBB,
 * -1 if not one. */
static long parse_color(const char *s, size_t n)
{
    static const struct { const char *name; long rgb; } names[] = {
        {"black", 0x000000}, {"white", 0xFFFFFF}, {"red", 0xFF0000},
        {"lime", 0x00FF00}, {"green", 0x008000}, {"blue", 0x0000FF},
        {"yellow", 0xFFFF00}, {"cyan", 0x00FFFF}, {"aqua", 0x00FFFF},
        {"magenta", 0xFF00FF}, {"fuchsia", 0xFF00FF}, {"silver", 0xC0C0C0},
        {"gray", 0x808080}, {"grey", 0x808080}, {"maroon", 0x800000},
        {"olive", 0x808000}, {"purple", 0x800080}, {"teal", 0x008080},
        {"navy", 0x000080}, {"orange", 0xFFA500}, {"pink", 0xFFC0CB},
        {"gold", 0xFFD700}, {"brown", 0xA52A2A}, {"violet", 0xEE82EE},
    };
    while (n && is_space((unsigned char)*s))
        s++, n--;
    while (n && is_space((unsigned char)s[n - 1]))
        n--;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (zimu__eq_ci(s, n, names[i].name))
            return names[i].rgb;
    if (n && *s == '#')
        s++, n--;
    if (n != 6 && n != 3 && n != 8)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = hexval((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = (v << 4) | h;
    }
    if (n == 3)
        v = ((v >> 8 & 0xF) * 0x110000) | ((v >> 4 & 0xF) * 0x1100) | ((v & 0xF) * 0x11);
    if (n == 8) /* #AARRGGBB as some tools write it: alpha dropped */
        v &= 0xFFFFFF;
    return v;
}

/* The value of attribute attr in a tag's attribute text, or -1. */
static int find_attr(const char *s, size_t n, const char *attr,
                     const char **val, size_t *vlen)
{
    size_t al = strlen(attr);
    for (size_t i = 0; i + al <= n; i++) {
        if ((i > 0 && !is_space((unsigned char)s[i - 1])) ||
            !zimu__eq_ci(s + i, al, attr))
            continue;
        size_t j = i + al;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j >= n || s[j] != '=')
            continue;
        j++;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j < n && (s[j] == '"' || s[j] == '\'')) {
            char q = s[j++];
            size_t k = j;
            while (k < n && s[k] != q)
                k++;
            *val = s + j;
            *vlen = k - j;
        } else {
            size_t k = j;
            while (k < n && !is_space((unsigned char)s[k]))
                k++;
            *val = s + j;
            *vlen = k - j;
        }
        return 0;
    }
    return -1;
}

/* Append the code point cp as UTF-8. */
static void add_cp(zimu_sbuf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80)
        u[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)),
        n = 4;
    zimu__sb_add(b, u, n);
}

/* An entity at s ("&amp;" ...): its length, with the text appended to b;
 * 0 if s is not one. */
static size_t entity(zimu_sbuf *b, const char *s, size_t n)
{
    static const struct { const char *e; const char *t; } ents[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
        {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"}, {"&lrm;", "\xE2\x80\x8E"},
        {"&rlm;", "\xE2\x80\x8F"},
    };
    for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
        size_t l = strlen(ents[i].e);
        if (n >= l && !memcmp(s, ents[i].e, l)) {
            zimu__sb_add_text(b, ents[i].t, strlen(ents[i].t));
            return l;
        }
    }
    if (n >= 4 && s[1] == '#') {
        size_t i = 2;
        int hex = 0;
        if (s[i] == 'x' || s[i] == 'X')
            hex = 1, i++;
        unsigned long cp = 0;
        size_t digits = 0;
        while (i < n && digits < 8) {
            int v = hex ? hexval((unsigned char)s[i])
                        : (is_digit((unsigned char)s[i]) ? s[i] - '0' : -1);
            if (v < 0)
                break;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
            i++, digits++;
        }
        if (digits && i < n && s[i] == ';' && cp > 0 && cp <= 0x10FFFF &&
            !(cp >= 0xD800 && cp <= 0xDFFF)) {
            if (cp == '{' || cp == '}')
                zimu__sb_add_text(b, (const char *)&(char){(char)cp}, 1);
            else
                add_cp(b, cp);
            return i + 1;
        }
    }
    return 0;
}

#define MAX_FONT_DEPTH 32

/* The SRT canvas of ASS tags: the play size ffmpeg (and the players built
 * on it) give SRT events, so that \pos(192,144) is the middle. */
#define SRT_ASS_W 384.0
#define SRT_ASS_H 288.0

/* Does ASS tag t[0..n) (no backslash) start with name followed by
 * something that is not a letter (\b1 is "b", \blur2 is "blur")? */
static int tag_is(const char *t, size_t n, const char *name)
{
    size_t l = strlen(name);
    return n >= l && !memcmp(t, name, l) && (n == l || !is_alpha((unsigned char)t[l]));
}

/* The two numbers of "(x,y" at s: 0, or -1. */
static int two_numbers(const char *s, size_t n, double *x, double *y)
{
    size_t i = 0;
    while (i < n && (is_space((unsigned char)s[i]) || s[i] == '('))
        i++;
    double v[2];
    for (int k = 0; k < 2; k++) {
        size_t st = i;
        int neg = i < n && s[i] == '-';
        if (neg)
            st = ++i;
        while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '.'))
            i++;
        if (zimu__parse_decimal(s + st, i - st, &v[k]) < 0)
            return -1;
        if (neg)
            v[k] = -v[k];
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (k == 0) {
            if (i >= n || s[i] != ',')
                return -1;
            i++;
            while (i < n && is_space((unsigned char)s[i]))
                i++;
        }
    }
    *x = v[0];
    *y = v[1];
    return 0;
}

/* One tag t[0..n) of an override block in SRT text: kept in out, or
 * taken as the cue's place, or dropped. *drawing follows \pN. */
static void srt_tag(zimu_sbuf *out, const char *t, size_t n, zimu_markup_place *pl,
                    int *drawing)
{
    static const char *const keep[] = {"b", "i", "u", "s", "c", "1c", "2c", "3c", "4c",
                                       "alpha", "1a", "2a", "3a", "4a", "be", "blur",
                                       "fad", "fade", "r"};
    while (n && is_space((unsigned char)t[n - 1]))
        n--;
    if (!n)
        return;
    if (tag_is(t, n, "an") && n == 3 && t[2] >= '1' && t[2] <= '9') {
        if (pl && !pl->align)
            pl->align = t[2] - '0';
        return;
    }
    if (t[0] == 'a' && n >= 2 && n <= 3 && is_digit((unsigned char)t[1]) &&
        (n == 2 || is_digit((unsigned char)t[2]))) {
        /* legacy \aN: 1-3 bottom, 5-7 top, 9-11 middle */
        int v = atoi(t + 1);
        static const int numpad[12] = {0, 1, 2, 3, 0, 7, 8, 9, 0, 4, 5, 6};
        if (pl && !pl->align && v >= 1 && v <= 11 && numpad[v])
            pl->align = numpad[v];
        return;
    }
    if (tag_is(t, n, "pos")) {
        double x, y;
        if (pl && pl->pos_x < 0 && two_numbers(t + 3, n - 3, &x, &y) == 0) {
            pl->pos_x = x < 0 ? 0 : x > SRT_ASS_W ? 1 : x / SRT_ASS_W;
            pl->pos_y = y < 0 ? 0 : y > SRT_ASS_H ? 1 : y / SRT_ASS_H;
        }
        return;
    }
    if (t[0] == 'p' && n >= 2) {
        size_t k = 1, nonzero = 0;
        for (; k < n && is_digit((unsigned char)t[k]); k++)
            nonzero |= t[k] != '0';
        if (k == n) { /* \p1 (any scale) starts a drawing, \p0 ends it */
            *drawing = nonzero != 0;
            return;
        }
    }
    for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
        if (tag_is(t, n, keep[k])) {
            zimu__sb_addc(out, '\\');
            zimu__sb_add(out, t, n);
            return;
        }
}

/* An override block s[0..n) ("{\...}") of SRT text: what it keeps as one
 * block appended to b. */
static void srt_block(zimu_sbuf *b, const char *s, size_t n, zimu_markup_place *pl,
                      int *drawing)
{
    zimu_sbuf kept = {0};
    size_t pos = 0;
    const char *t;
    size_t tn;
    while (zimu__ass_next_tag(s + 1, n - 2, &pos, &t, &tn)) /* inside the braces */
        srt_tag(&kept, t, tn, pl, drawing);
    if (kept.len) {
        zimu__sb_addc(b, '{');
        zimu__sb_add(b, kept.s, kept.len);
        zimu__sb_addc(b, '}');
    }
    if (kept.oom)
        b->oom = 1;
    zimu__sb_free(&kept);
}

int zimu__ass_next_tag(const char *s, size_t n, size_t *pos, const char **tag, size_t *len)
{
    size_t i = *pos;
    while (i < n && s[i] != '\\')
        i++;
    if (i >= n)
        return 0;
    size_t j = i + 1, e = j;
    int paren = 0;
    while (e < n && (paren || s[e] != '\\')) {
        if (s[e] == '(')
            paren++;
        else if (s[e] == ')' && paren)
            paren--;
        e++;
    }
    *tag = s + j;
    *len = e - j;
    *pos = e;
    return 1;
}

/* The colour WebVTT classes give text (".loud.yellow", ".c_ff8000"):
 * WebVTT's default colour classes and the "c_rrggbb" classes zimu writes;
 * -1 if none. The last one wins, as in CSS of equal weight. */
static long vtt_class_colour(const char *s, size_t n)
{
    static const char *const named[] = {"white", "lime", "cyan", "red",
                                        "yellow", "magenta", "blue", "black"};
    long col = -1;
    size_t i = 0;
    while (i < n && s[i] == '.') {
        size_t e = ++i;
        while (e < n && s[e] != '.' && !is_space((unsigned char)s[e]))
            e++;
        for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
            if (zimu__eq_ci(s + i, e - i, named[k]))
                col = parse_color(named[k], strlen(named[k]));
        if (e - i == 8 && s[i] == 'c' && s[i + 1] == '_') {
            long v = parse_color(s + i + 2, 6);
            if (v >= 0)
                col = v;
        }
        i = e;
    }
    return col;
}

/* An override block at s: its length with the closing '}', or 0 when s
 * is not one ('{', a backslash, a '}' before the line ends). */
static size_t override_len(const char *s, size_t n)
{
    if (n < 3 || s[0] != '{' || s[1] != '\\')
        return 0;
    for (size_t i = 2; i < n && s[i] != '\n'; i++)
        if (s[i] == '}')
            return i + 1;
    return 0;
}

/* A tag written with stray spaces ("< i>", "</ b >", "< /u>", "<s >"):
 * s[0..n) is what lies between '<' and '>'. Only the tags i b u s, with
 * nothing but spaces around them, are taken: "a < b and c > d" is text.
 * Returns the tag letter, or 0; *closing is set. */
static char spaced_tag(const char *s, size_t n, int *closing)
{
    size_t i = 0;
    while (i < n && is_space((unsigned char)s[i]))
        i++;
    *closing = 0;
    if (i < n && s[i] == '/')
        *closing = 1, i++;
    while (i < n && is_space((unsigned char)s[i]))
        i++;
    if (i >= n || !strchr("ibusIBUS", s[i]))
        return 0;
    char tag = (char)lower((unsigned char)s[i++]);
    while (i < n && is_space((unsigned char)s[i]))
        i++;
    return i == n ? tag : 0;
}

/* <i> <b> <u> <s> and their closing tags: on at the outermost opening,
 * off at its closing. */
static void switch_tag(zimu_sbuf *b, int *depth, char tag, int closing)
{
    if (!closing) {
        if ((*depth)++ == 0)
            zimu__sb_printf(b, "{\\%c1}", tag);
    } else if (*depth > 0 && --(*depth) == 0) {
        zimu__sb_printf(b, "{\\%c0}", tag);
    }
}

void zimu__markup_to_ass(zimu_sbuf *b, const char *s, size_t n, int flags,
                         zimu_markup_place *place)
{
    int depth_i = 0, depth_b = 0, depth_u = 0, depth_s = 0;
    long fonts[MAX_FONT_DEPTH];
    int nfont = 0;
    int drawing = 0; /* inside an SRT \p1 drawing: its commands are no text */
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        size_t ol = ch == '{' && (flags & ZIMU__MARKUP_SRT_ASS) ? override_len(s + i, n - i) : 0;
        if (ol) {
            srt_block(b, s + i, ol, place, &drawing);
            i += ol;
            continue;
        }
        if (drawing) {
            if (ch == '\n')
                zimu__sb_addc(b, '\n');
            i++;
            continue;
        }
        if (ch == '&') {
            size_t l = entity(b, s + i, n - i);
            if (l) {
                i += l;
                continue;
            }
            zimu__sb_addc(b, '&');
            i++;
            continue;
        }
        if (ch != '<') {
            size_t j = i;
            while (j < n && s[j] != '<' && s[j] != '&' && s[j] != '{')
                j++;
            if (j == i) { /* a '{' that opens no override block */
                zimu__sb_add_text(b, s + i, 1);
                i++;
                continue;
            }
            zimu__sb_add_text(b, s + i, j - i);
            i = j;
            continue;
        }
        /* A tag: '<', an optional '/', a letter (or a digit for WebVTT
         * timestamps), and a '>' before the next '<' or line end. */
        size_t j = i + 1;
        int closing = 0;
        if (j < n && (is_space((unsigned char)s[j]) || s[j] == '/')) {
            /* "< i>", "</ b >", "< /u>" */
            size_t gt = j;
            while (gt < n && gt - j < 16 && s[gt] != '>' && s[gt] != '<' && s[gt] != '\n')
                gt++;
            char t = gt < n && s[gt] == '>' ? spaced_tag(s + j, gt - j, &closing) : 0;
            if (t) {
                switch_tag(b, t == 'i' ? &depth_i : t == 'b' ? &depth_b
                              : t == 'u' ? &depth_u : &depth_s, t, closing);
                i = gt + 1;
                continue;
            }
        }
        if (j < n && s[j] == '/')
            closing = 1, j++;
        if (j >= n || !(is_alpha((unsigned char)s[j]) ||
                        ((flags & ZIMU__MARKUP_VTT) && !closing &&
                         is_digit((unsigned char)s[j])))) {
            zimu__sb_addc(b, '<');
            i++;
            continue;
        }
        size_t end = j;
        while (end < n && s[end] != '>' && s[end] != '<' && s[end] != '\n')
            end++;
        if (end >= n || s[end] != '>') {
            zimu__sb_addc(b, '<');
            i++;
            continue;
        }
        size_t nm = j;
        while (nm < end && (is_alpha((unsigned char)s[nm]) ||
                            is_digit((unsigned char)s[nm])))
            nm++;
        const char *name = s + j;
        size_t nlen = nm - j;
        const char *attrs = s + nm;
        size_t alen = end - nm;
        i = end + 1;

        int *depth = NULL;
        char tag = 0;
        if (zimu__eq_ci(name, nlen, "i"))
            depth = &depth_i, tag = 'i';
        else if (zimu__eq_ci(name, nlen, "b"))
            depth = &depth_b, tag = 'b';
        else if (zimu__eq_ci(name, nlen, "u"))
            depth = &depth_u, tag = 'u';
        else if (zimu__eq_ci(name, nlen, "s"))
            depth = &depth_s, tag = 's';
        if (depth) {
            switch_tag(b, depth, tag, closing);
            continue;
        }
        /* <font color> (SRT) and WebVTT's <c.classes> with a colour class
         * keep a stack of colours: closing one goes back to the outer. */
        int font = (flags & ZIMU__MARKUP_FONT) && zimu__eq_ci(name, nlen, "font");
        int vtt_c = (flags & ZIMU__MARKUP_VTT) && zimu__eq_ci(name, nlen, "c");
        if (font || vtt_c) {
            if (!closing) {
                const char *v;
                size_t vl;
                long col = -1;
                if (vtt_c)
                    col = vtt_class_colour(attrs, alen);
                else if (find_attr(attrs, alen, "color", &v, &vl) == 0)
                    col = parse_color(v, vl);
                if (nfont < MAX_FONT_DEPTH)
                    fonts[nfont++] = col;
                if (col >= 0)
                    zimu__sb_printf(b, "{\\c&H%02lX%02lX%02lX&}", col & 0xFF,
                                    (col >> 8) & 0xFF, (col >> 16) & 0xFF);
            } else if (nfont > 0) {
                long col = fonts[--nfont];
                if (col >= 0) {
                    long prev = -1;
                    for (int k = nfont - 1; k >= 0 && prev < 0; k--)
                        prev = fonts[k];
                    if (prev >= 0)
                        zimu__sb_printf(b, "{\\c&H%02lX%02lX%02lX&}",
                                        prev & 0xFF, (prev >> 8) & 0xFF,
                                        (prev >> 16) & 0xFF);
                    else
                        zimu__sb_adds(b, "{\\c}");
                }
            }
            continue;
        }
        if ((flags & ZIMU__MARKUP_VTT) && !closing && zimu__eq_ci(name, nlen, "rt")) {
            /* Ruby text would show inline after its base: drop it. */
            size_t k = i;
            while (k < n) {
                if (s[k] == '<' && k + 4 < n && s[k + 1] == '/' &&
                    lower((unsigned char)s[k + 2]) == 'r' &&
                    lower((unsigned char)s[k + 3]) == 't' && s[k + 4] == '>') {
                    k += 5;
                    break;
                }
                if (s[k] == '<' && k + 6 < n && s[k + 1] == '/' &&
                    zimu__eq_ci(s + k + 2, 4, "ruby"))
                    break;
                k++;
            }
            i = k;
            continue;
        }
        /* Anything else (<v Name>, <c.x>, <lang>, <ruby>, timestamps,
         * unknown tags) is dropped. */
    }
}

/* Is the UTF-8 character at s whitespace (ASCII, NBSP, ideographic
 * space)? Returns its length or 0. */
static size_t space_len(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n'))
        return 1;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    if (n >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0x80)
        return 3;
    return 0;
}

int zimu__cue_text_finish(zimu_sbuf *b)
{
    if (b->oom || !b->s) {
        if (!b->oom)
            zimu__sb_add(b, "", 0);
        return 1;
    }
    /* Trailing spaces and tabs of each line. */
    size_t w = 0;
    size_t line_start = 0;
    for (size_t r = 0; r <= b->len; r++) {
        if (r == b->len || b->s[r] == '\n') {
            size_t e = r;
            while (e > line_start && (b->s[e - 1] == ' ' || b->s[e - 1] == '\t'))
                e--;
            memmove(b->s + w, b->s + line_start, e - line_start);
            w += e - line_start;
            if (r < b->len)
                b->s[w++] = '\n';
            line_start = r + 1;
        }
    }
    b->len = w;
    /* Blank lines at the start and the end. */
    size_t st = 0;
    while (st < b->len && b->s[st] == '\n')
        st++;
    size_t en = b->len;
    while (en > st && b->s[en - 1] == '\n')
        en--;
    memmove(b->s, b->s + st, en - st);
    b->len = en - st;
    b->s[b->len] = 0;
    /* Visible text? Override blocks (every '{' in cue text starts one)
     * and spaces are not. */
    for (size_t i = 0; i < b->len;) {
        if (b->s[i] == '{') {
            const char *e = memchr(b->s + i, '}', b->len - i);
            if (!e)
                return 0;
            i = (size_t)(e - b->s) + 1;
            continue;
        }
        size_t l = space_len(b->s + i, b->len - i);
        if (!l)
            return 0;
        i += l;
    }
    return 1;
}

