/* ass_limits.c - override tags and styles clamped to what a frame can
 * show (ass_limits.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ass_limits.h"
#include "cue.h"
#include "sbuf.h"

int zimu__ass_play_height(const ASS_Track *t)
{
    /* libass (ass_lazy_track_init): no size at all is 384x288; a width
     * alone gives a 4:3 height (1280 gives 1024). */
    if (t->PlayResY > 0)
        return t->PlayResY;
    if (t->PlayResX <= 0)
        return 288;
    return t->PlayResX == 1280 ? 1024 : t->PlayResX * 3 / 4;
}

/* The largest values an event's tags may have. */
typedef struct limits {
    double fs, scale, border, blur, be;
} limits;

/* The limit of a tag, or 0 for a tag that is not clamped; *is_fs: 1 for
 * \fs. */
static double tag_limit(const limits *l, const char *name, size_t n, int *is_fs)
{
    static const struct {
        const char *name;
        int kind; /* 0: font size, 1: scale, 2: border/shadow, 3: blur, 4: be */
    } tags[] = {
        {"fs", 0},    {"fscx", 1},  {"fscy", 1},  {"bord", 2}, {"xbord", 2},
        {"ybord", 2}, {"shad", 2},  {"xshad", 2}, {"yshad", 2}, {"blur", 3},
        {"be", 4},
    };
    *is_fs = 0;
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        if (strlen(tags[i].name) != n || memcmp(tags[i].name, name, n))
            continue;
        switch (tags[i].kind) {
        case 0:
            *is_fs = 1;
            return l->fs;
        case 1:
            return l->scale;
        case 2:
            return l->border;
        case 3:
            return l->blur;
        default:
            return l->be;
        }
    }
    return 0;
}

static int is_letter(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_dig(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* A number as libass reads a tag's argument (spaces, sign, digits,
 * fraction, exponent) at s[*i..n): its value (capped far beyond any limit,
 * so no overflow) in *v, *i past it. 0 when there is no number. */
static int number(const char *s, size_t n, size_t *i, double *v)
{
    size_t k = *i;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    int neg = 0;
    if (k < n && (s[k] == '+' || s[k] == '-'))
        neg = s[k++] == '-';
    double x = 0;
    int digits = 0;
    for (; k < n && is_dig(s[k]); k++, digits++)
        if (x < 1e30)
            x = x * 10 + (s[k] - '0');
    if (k < n && s[k] == '.') {
        double f = 0.1;
        for (k++; k < n && is_dig(s[k]); k++, digits++, f /= 10)
            x += (s[k] - '0') * f;
    }
    if (!digits)
        return 0;
    if (k + 1 < n && (s[k] == 'e' || s[k] == 'E') &&
        (is_dig(s[k + 1]) ||
         (k + 2 < n && (s[k + 1] == '+' || s[k + 1] == '-') && is_dig(s[k + 2])))) {
        k++;
        int eneg = 0;
        if (s[k] == '+' || s[k] == '-')
            eneg = s[k++] == '-';
        int e = 0;
        for (; k < n && is_dig(s[k]); k++)
            if (e < 1000)
                e = e * 10 + (s[k] - '0');
        for (int j = 0; j < e && x != 0; j++) {
            x = eneg ? x / 10 : x * 10;
            if (x > 1e30)
                break;
        }
    }
    *v = neg ? -x : x;
    *i = k;
    return 1;
}

/* The end of the parenthesised argument that starts at s[i] == '(': past
 * its matching ')', or n. */
static size_t paren_end(const char *s, size_t n, size_t i)
{
    int depth = 0;
    for (; i < n; i++) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0)
            return i + 1;
    }
    return n;
}

static void note(zimu_ass_clamped *k, int *changed, const char *what)
{
    if (!changed)
        return;
    if (!*changed && !k->events && what)
        snprintf(k->first, sizeof k->first, "%s", what);
    *changed = 1;
}

/* One override block's content s[0..n) (without its braces) into b; or,
 * b NULL, only the largest \fs it sets (clamped) into *max_fs. */
static void clamp_block(zimu_sbuf *b, const char *s, size_t n, const limits *l, int *n_t,
                        double *max_fs, zimu_ass_clamped *k, int *changed)
{
    int depth = 0;
    size_t i = 0;
    while (i < n) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && depth)
            depth--;
        if (s[i] != '\\') {
            if (b)
                zimu__sb_addc(b, s[i]);
            i++;
            continue;
        }
        size_t a = i + 1, e = a;
        while (e < n && is_letter(s[e]))
            e++;
        if (b && e - a == 1 && s[a] == 't' && e < n && s[e] == '(' && depth == 0) {
            /* a \t of the event's own (not nested in another tag) */
            if (++*n_t > ZIMU_ASS_MAX_T) {
                char what[64];
                snprintf(what, sizeof what, zimu__tr("more than %d \\t"), ZIMU_ASS_MAX_T);
                note(k, changed, what);
                i = paren_end(s, n, e);
                continue;
            }
        }
        int is_fs;
        double lim = tag_limit(l, s + a, e - a, &is_fs), v;
        size_t end = e;
        if (lim > 0 && number(s, n, &end, &v)) {
            if (!b) {
                if (is_fs && (v > lim ? lim : v) > *max_fs)
                    *max_fs = v > lim ? lim : v;
            } else if (v > lim || v < -lim) {
                char what[96], val[32];
                zimu__snprintf(val, sizeof val, "%.0f", v < 0 ? -lim : lim);
                int tl = (int)(end - i) < 40 ? (int)(end - i) : 40;
                snprintf(what, sizeof what, zimu__tr("%.*s to \\%.*s%s"), tl, s + i, (int)(e - a),
                         s + a, val);
                note(k, changed, what);
                zimu__sb_add(b, s + i, e - i);
                zimu__sb_adds(b, val);
                i = end;
                continue;
            }
        }
        if (b)
            zimu__sb_add(b, s + i, e - i);
        i = e;
    }
}

/* Each override block of text through clamp_block. */
static void each_block(zimu_sbuf *b, const char *text, const limits *l, double *max_fs,
                       zimu_ass_clamped *k, int *changed)
{
    int n_t = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        const char *close = text[i] == '{' ? memchr(text + i, '}', n - i) : NULL;
        if (!close) { /* text, or an unclosed '{' that libass shows as text */
            const char *open = text[i] == '{' ? NULL : memchr(text + i, '{', n - i);
            size_t m = open ? (size_t)(open - (text + i)) : n - i;
            if (b)
                zimu__sb_add(b, text + i, m);
            i += m;
            continue;
        }
        size_t m = (size_t)(close - (text + i));
        if (b)
            zimu__sb_addc(b, '{');
        clamp_block(b, text + i + 1, m - 1, l, &n_t, max_fs, k, changed);
        if (b)
            zimu__sb_addc(b, '}');
        i += m + 1;
    }
}

char *zimu__ass_clamp_text(const ASS_Track *t, int style, const char *text,
                           zimu_ass_clamped *k, size_t line, int64_t at_ms)
{
    int h = zimu__ass_play_height(t);
    const ASS_Style *st = style >= 0 && style < t->n_styles ? &t->styles[style] : NULL;
    double sfs = st ? st->FontSize : 0;
    double ssc = st ? 100 * (st->ScaleX > st->ScaleY ? st->ScaleX : st->ScaleY) : 100;
    /* A glyph no taller than the frame: the style's scale bounds \fs, the
     * largest font size the event uses bounds \fscx and \fscy. */
    limits l = {.fs = h, .scale = ZIMU_ASS_MAX_SCALE, .border = h / 8 > 1 ? h / 8 : 1,
                .blur = ZIMU_ASS_MAX_BLUR, .be = ZIMU_ASS_MAX_BE};
    if (ssc > 100)
        l.fs = h * 100.0 / ssc;
    if (l.fs < 1)
        l.fs = 1;
    double max_fs = sfs;
    each_block(NULL, text, &l, &max_fs, k, NULL);
    if (max_fs > 0 && max_fs * l.scale / 100 > h)
        l.scale = h * 100.0 / max_fs;
    if (l.scale < 1)
        l.scale = 1;
    zimu_sbuf b = {0};
    int changed = 0;
    each_block(&b, text, &l, NULL, k, &changed);
    if (changed) {
        if (!k->events++) {
            k->line = line;
            k->at_ms = at_ms;
        }
    }
    return zimu__sb_take(&b);
}

static void clamp_value(double *v, double lim, double scale, const char *field,
                        const ASS_Style *st, zimu_ass_clamped *k, int *changed)
{
    if (*v <= lim)
        return;
    char what[96];
    zimu__snprintf(what, sizeof what, zimu__tr("%s %.0f of style '%s' to %.0f"), field, *v * scale,
             st->Name ? st->Name : "", lim * scale);
    note(k, changed, what);
    *v = lim;
}

void zimu__ass_clamp_styles(ASS_Track *t, zimu_ass_clamped *k)
{
    int h = zimu__ass_play_height(t);
    for (int i = 0; i < t->n_styles; i++) {
        ASS_Style *st = &t->styles[i];
        int changed = 0;
        clamp_value(&st->FontSize, h, 1, "Fontsize", st, k, &changed);
        /* no taller than the frame at its own size either */
        double scale = ZIMU_ASS_MAX_SCALE / 100.0;
        if (st->FontSize > 0 && st->FontSize * scale > h)
            scale = h / st->FontSize;
        clamp_value(&st->ScaleX, scale, 100, "ScaleX", st, k, &changed);
        clamp_value(&st->ScaleY, scale, 100, "ScaleY", st, k, &changed);
        clamp_value(&st->Outline, h / 8 > 1 ? h / 8 : 1, 1, "Outline", st, k, &changed);
        clamp_value(&st->Shadow, h / 8 > 1 ? h / 8 : 1, 1, "Shadow", st, k, &changed);
        clamp_value(&st->Blur, ZIMU_ASS_MAX_BLUR, 1, "Blur", st, k, &changed);
        if (changed && !k->events++) {
            k->line = 0;
            k->at_ms = -1;
        }
    }
}

void zimu__ass_clamped_warn(zimu_ctx *c, const char *name, const zimu_ass_clamped *k)
{
    if (!k->events)
        return;
    char where[96];
    zimu__caption_where(where, sizeof where, k->line, k->at_ms);
    zimu__log(c, ZIMU_LOG_WARNING,
              "%s%s: clamped to what a frame can show: %s (%ld clamped in all; font "
              "sizes up to the frame height, borders and shadows up to 1/8 of it, "
              "\\fscx \\fscy up to %d%%, \\blur up to %d, \\be up to %d, at most %d \\t "
              "an event)",
              name ? name : "captions", where, k->first, k->events, ZIMU_ASS_MAX_SCALE,
              ZIMU_ASS_MAX_BLUR, ZIMU_ASS_MAX_BE, ZIMU_ASS_MAX_T);
}
