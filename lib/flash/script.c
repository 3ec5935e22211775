/* script.c - the flash script parser (format: docs/flash.md): headers,
 * sections and cards with their options, keywords and line breaks, into the
 * model of script.h. Every ASCII mark of the format has its fullwidth twin
 * (what a Chinese input method types): options and headers are read after
 * folding fullwidth ASCII to ASCII; card text keeps its fullwidth
 * characters and only the marks '＊' and '｜' act in it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "cuetext.h"
#include "sbuf.h"
#include "script.h"
#include "style.h"

/* ------------------------------------------------------------------------
 * Characters.
 */

/* Length of the mark ch (ASCII) or its fullwidth twin at p (n bytes left),
 * 0 if neither. */
static size_t mark(const char *p, size_t n, char ch)
{
    if (n >= 1 && *p == ch)
        return 1;
    unsigned cp = 0xFF00u + (unsigned char)ch - 0x20u;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == (0x80 | ((cp >> 6) & 0x3F))
        && (unsigned char)p[2] == (0x80 | (cp & 0x3F)))
        return 3;
    return 0;
}

/* Length of a space (ASCII space or tab, U+3000 ideographic space) at p. */
static size_t space_at(const char *p, size_t n)
{
    if (n >= 1 && is_space((unsigned char)*p))
        return 1;
    if (n >= 3 && !memcmp(p, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

/* Trim spaces (as space_at) from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    size_t k;
    while (*n && (k = space_at(*s, *n)) > 0)
        *s += k, *n -= k;
    for (;;) {
        if (*n && is_space((unsigned char)(*s)[*n - 1]))
            (*n)--;
        else if (*n >= 3 && !memcmp(*s + *n - 3, "\xE3\x80\x80", 3))
            *n -= 3;
        else
            break;
    }
}

/* Fold [s, s+n) into out (NUL-terminated, at most n bytes + 1): fullwidth
 * ASCII (U+FF01..U+FF5E) to ASCII, U+3000 to a space, '、' to ',' and '×'
 * to 'x'. Returns the length. */
static size_t fold(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)s + i;
        if (n - i >= 3 && p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD)) {
            unsigned cp = 0xF000u | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[o++] = (char)(cp - 0xFF00 + 0x20);
                i += 3;
                continue;
            }
        }
        if (n - i >= 3 && p[0] == 0xE3 && p[1] == 0x80 && (p[2] == 0x80 || p[2] == 0x81)) {
            out[o++] = p[2] == 0x80 ? ' ' : ',';
            i += 3;
            continue;
        }
        if (n - i >= 2 && p[0] == 0xC3 && p[1] == 0x97) {
            out[o++] = 'x';
            i += 2;
            continue;
        }
        out[o++] = (char)p[0];
        i++;
    }
    out[o] = 0;
    return o;
}

/* Reading units of cue text: each CJK character (Han, kana, Hangul) one,
 * each word of letters or digits one; punctuation and spaces none. */
static double reading_units(const char *t)
{
    double u = 0;
    int in_word = 0;
    size_t n = strlen(t);
    for (size_t i = 0; i < n;) {
        if (t[i] == '{') { /* a keyword marker */
            const char *e = strchr(t + i, '}');
            i = e ? (size_t)(e - t) + 1 : n;
            continue;
        }
        size_t used;
        uint32_t cp = zimu__utf8_next((const unsigned char *)t + i, n - i, &used);
        i += used;
        int cjk = (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF)
                  || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
        int wordch = !cjk && ((cp < 0x80 && (is_alpha((int)cp) || is_digit((int)cp)))
                              || (cp >= 0xC0 && cp < 0x2000) || (cp >= 0xFF10 && cp <= 0xFF5A));
        if (cjk)
            u += 1;
        else if (wordch && !in_word)
            u += 1;
        in_word = wordch;
    }
    return u;
}

/* ------------------------------------------------------------------------
 * Keys.
 */

enum {
    K_SIZE, K_FPS, K_MUSIC, K_TIMING, K_BPM, K_FIRST_BEAT, K_SPEED, K_LOOK,
    K_IN, K_OUT, K_LOOP, K_HOLD, K_DUR, K_AT, K_COLOR, K_OUTLINE, K_POS, K_BG,
};

/* Where a key may stand. */
enum { AT_HEADER = 1, AT_SECTION = 2, AT_CARD = 4, AT_ALL = 7 };

static const struct key {
    const char *name;   /* ASCII, lower case, as documented */
    const char *alias;  /* another ASCII spelling, or NULL */
    const char *zh;     /* Chinese name, or NULL */
    int id, where;
} keys[] = {
    {"size", NULL, "尺寸", K_SIZE, AT_HEADER},
    {"fps", NULL, "帧率", K_FPS, AT_HEADER},
    {"music", NULL, "音乐", K_MUSIC, AT_HEADER},
    {"timing", NULL, "节奏", K_TIMING, AT_HEADER},
    {"bpm", "tempo", "速度", K_BPM, AT_HEADER},
    {"first-beat", NULL, "首拍", K_FIRST_BEAT, AT_HEADER},
    {"speed", NULL, "语速", K_SPEED, AT_HEADER},
    {"look", NULL, "花字", K_LOOK, AT_ALL},
    {"in", NULL, "入场", K_IN, AT_ALL},
    {"out", NULL, "出场", K_OUT, AT_ALL},
    {"loop", NULL, "循环", K_LOOP, AT_ALL},
    {"hold", NULL, "拍", K_HOLD, AT_ALL},
    {"dur", "duration", "时长", K_DUR, AT_ALL},
    {"at", NULL, "时间", K_AT, AT_CARD},
    {"color", "colour", "颜色", K_COLOR, AT_ALL},
    {"outline", NULL, "描边", K_OUTLINE, AT_ALL},
    {"pos", "position", "位置", K_POS, AT_ALL},
    {"background", "bg", "背景", K_BG, AT_ALL},
};
#define N_KEYS (sizeof keys / sizeof *keys)

/* ASCII case-insensitive, '_' same as '-'. */
static int key_eq(const char *s, size_t n, const char *name)
{
    if (!name || strlen(name) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int a = lower((unsigned char)s[i]), b = (unsigned char)name[i];
        if (a == '_')
            a = '-';
        if (a != b)
            return 0;
    }
    return 1;
}

static const struct key *find_key(const char *s, size_t n)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (key_eq(s, n, keys[i].name) || key_eq(s, n, keys[i].alias)
            || (keys[i].zh && strlen(keys[i].zh) == n && !memcmp(s, keys[i].zh, n)))
            return &keys[i];
    return NULL;
}

/* Edit distance of two short strings (ASCII, case-insensitive). */
static int edit_distance(const char *a, size_t na, const char *b)
{
    size_t nb = strlen(b);
    if (na > 32 || nb > 32)
        return 99;
    int d[33][33];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            int cost = lower((unsigned char)a[i - 1]) != b[j - 1];
            int v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            d[i][j] = v;
        }
    return d[na][nb];
}

/* " (did you mean 'x'?)" for the nearest name of list (NULL-terminated,
 * or keys when list is NULL), or "". */
static const char *did_you_mean(const char *s, size_t n, const char *const *list,
                                char *buf, size_t size)
{
    const char *best = NULL;
    int bd = 3;
    for (size_t i = 0; list ? list[i] != NULL : i < N_KEYS; i++) {
        const char *cand = list ? list[i] : keys[i].name;
        int d = edit_distance(s, n, cand);
        if (d < bd && d < (int)strlen(cand)) {
            bd = d;
            best = cand;
        }
    }
    if (!best)
        return "";
    snprintf(buf, size, " (did you mean '%s'?)", best);
    return buf;
}

/* Does [s, s+n) look like a key: an ASCII word, or a short word without
 * spaces or marks (a Chinese key)? */
static int key_like(const char *s, size_t n)
{
    if (!n || n > 32)
        return 0;
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80)
            ascii = 0;
        else if (!is_alpha(ch) && !is_digit(ch) && ch != '-' && ch != '_')
            return 0;
    }
    return ascii ? is_alpha((unsigned char)s[0]) : n <= 12;
}

static int ascii_word(const char *s, size_t n)
{
    if (!n || !is_alpha((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return key_like(s, n);
}

/* ------------------------------------------------------------------------
 * Values.
 */

typedef struct pctx {
    zimu_ctx *c;
    const char *name;
    int line;
    char where[96]; /* "name:LINE" for messages */
} pctx;

#define BAD(...) zimu__fail(p->c, ZIMU_ESUBS, __VA_ARGS__)

/* A plain decimal number "12", "1.5", ".5": 0 and *v, or -1. */
static int number(const char *s, size_t n, double *v)
{
    double x = 0, scale = 1;
    int digits = 0, dot = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit((unsigned char)s[i])) {
            if (dot) {
                scale /= 10;
                x += (s[i] - '0') * scale;
            } else {
                x = x * 10 + (s[i] - '0');
            }
            if (++digits > 12)
                return -1;
        } else if (s[i] == '.' && !dot) {
            dot = 1;
        } else {
            return -1;
        }
    }
    if (!digits)
        return -1;
    *v = x;
    return 0;
}

/* Seconds "1.5", "1.5s", "300ms" into ms: 0, or -1. */
static int seconds(const char *s, size_t n, int64_t *ms)
{
    double k = 1000;
    if (n > 2 && key_eq(s + n - 2, 2, "ms"))
        n -= 2, k = 1;
    else if (n > 1 && lower((unsigned char)s[n - 1]) == 's')
        n--;
    double v;
    if (number(s, n, &v) < 0)
        return -1;
    double m = v * k;
    if (m > (double)ZIMU__FLASH_MAX_MS)
        return -1;
    *ms = (int64_t)llround(m);
    return 0;
}

static const struct {
    const char *name;
    int fx;
} anims[] = {
    {"none", ZIMU__FX_NONE}, {"pop", ZIMU__FX_POP}, {"zoom-in", ZIMU__FX_ZOOM_IN},
    {"zoom-out", ZIMU__FX_ZOOM_OUT}, {"fade", ZIMU__FX_FADE},
    {"slide-left", ZIMU__FX_SLIDE_LEFT}, {"slide-right", ZIMU__FX_SLIDE_RIGHT},
    {"slide-up", ZIMU__FX_SLIDE_UP}, {"slide-down", ZIMU__FX_SLIDE_DOWN},
    {"typewriter", ZIMU__FX_TYPEWRITER}, {"bounce", ZIMU__FX_BOUNCE},
    {"shake", ZIMU__FX_SHAKE}, {"spin", ZIMU__FX_SPIN}, {"strobe", ZIMU__FX_STROBE},
    {"pulse", ZIMU__FX_PULSE},
};
#define N_ANIMS (sizeof anims / sizeof *anims)
#define ANIM_LIST "none, pop, zoom-in, zoom-out, fade, slide-left, slide-right, " \
    "slide-up, slide-down, typewriter, bounce, shake, spin, strobe, pulse"

static int parse_anim(pctx *p, const char *key, const char *v, zimu_flash_anim *a)
{
    size_t n = strlen(v), w = 0;
    while (w < n && v[w] != ' ' && v[w] != '\t')
        w++;
    int fx = -1;
    for (size_t i = 0; i < N_ANIMS; i++)
        if (key_eq(v, w, anims[i].name))
            fx = anims[i].fx;
    if (fx < 0) {
        static const char *names[N_ANIMS + 1];
        for (size_t i = 0; i < N_ANIMS; i++)
            names[i] = anims[i].name;
        char dym[64];
        return BAD("%s: key '%s': unknown animation '%.*s'%s; the animations: " ANIM_LIST,
                   p->where, key, (int)(w > 40 ? 40 : w), v,
                   did_you_mean(v, w, names, dym, sizeof dym));
    }
    const char *d = v + w;
    size_t dn = n - w;
    trim(&d, &dn);
    int64_t ms = 0;
    if (dn && (seconds(d, dn, &ms) < 0 || ms < 10 || ms > 60000))
        return BAD("%s: key '%s': '%.*s' is not a duration: seconds from 0.01 to 60, "
                   "as in '%s: %.*s 0.3'", p->where, key, (int)(dn > 40 ? 40 : dn), d, key,
                   (int)w, v);
    a->set = 1;
    a->fx = fx;
    a->ms = (int)ms;
    return 0;
}

static const struct {
    const char *name;
    uint8_t rgb[3];
} colour_names[] = {
    {"white", {255, 255, 255}}, {"black", {0, 0, 0}}, {"red", {229, 57, 53}},
    {"yellow", {255, 214, 0}}, {"gold", {255, 193, 7}}, {"orange", {255, 112, 67}},
    {"pink", {255, 64, 129}}, {"purple", {126, 87, 194}}, {"blue", {30, 136, 229}},
    {"cyan", {0, 188, 212}}, {"green", {67, 160, 71}}, {"gray", {117, 117, 117}},
    {"grey", {117, 117, 117}},
    {"白", {255, 255, 255}}, {"黑", {0, 0, 0}}, {"红", {229, 57, 53}},
    {"黄", {255, 214, 0}}, {"金", {255, 193, 7}}, {"橙", {255, 112, 67}},
    {"粉", {255, 64, 129}}, {"紫", {126, 87, 194}}, {"蓝", {30, 136, 229}},
    {"青", {0, 188, 212}}, {"绿", {67, 160, 71}}, {"灰", {117, 117, 117}},
};

static int hexv(int ch)
{
    ch = lower(ch);
    return is_digit(ch) ? ch - '0' : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
}

/* "#RRGGBB", "#RGB" or a name ("red", "红", "红色"): 0 and rgb, or -1. */
static int colour(const char *s, size_t n, uint8_t rgb[3])
{
    if (n >= 1 && s[0] == '#' && (n == 7 || n == 4)) {
        int per = n == 7 ? 2 : 1;
        for (int i = 0; i < 3; i++) {
            int v = 0;
            for (int k = 0; k < per; k++) {
                int h = hexv((unsigned char)s[1 + i * per + k]);
                if (h < 0)
                    return -1;
                v = v * 16 + h;
            }
            rgb[i] = (uint8_t)(per == 1 ? v * 17 : v);
        }
        return 0;
    }
    if (n > 3 && !memcmp(s + n - 3, "色", 3))
        n -= 3;
    for (size_t i = 0; i < sizeof colour_names / sizeof *colour_names; i++)
        if (key_eq(s, n, colour_names[i].name)
            || (strlen(colour_names[i].name) == n && !memcmp(s, colour_names[i].name, n))) {
            memcpy(rgb, colour_names[i].rgb, 3);
            return 0;
        }
    return -1;
}

#define COLOUR_HELP "#RRGGBB, #RGB or a name: white, black, red, yellow, gold, orange, " \
    "pink, purple, blue, cyan, green, gray (白 黑 红 黄 金 橙 粉 紫 蓝 青 绿 灰)"

static int parse_colour(pctx *p, const char *key, const char *v, uint8_t rgb[3])
{
    if (colour(v, strlen(v), rgb) < 0)
        return BAD("%s: key '%s': '%.60s' is not a colour (" COLOUR_HELP ")", p->where, key, v);
    return 0;
}

/* One background: "#C1", "#C1-#C2" or "#C1-#C2 ANGLE". */
static int parse_bg1(pctx *p, const char *key, const char *s, size_t n, zimu_bg *bg)
{
    trim(&s, &n);
    memset(bg, 0, sizeof *bg);
    size_t sp = 0;
    while (sp < n && s[sp] != ' ' && s[sp] != '\t')
        sp++;
    const char *ang = s + sp;
    size_t an = n - sp;
    trim(&ang, &an);
    const char *dash = memchr(s, '-', sp);
    if (!dash) {
        if (an)
            return BAD("%s: key '%s': an angle '%.*s' needs a gradient of two colours, "
                       "as in '#FF512F-#DD2476 45'", p->where, key, (int)(an > 20 ? 20 : an), ang);
        if (colour(s, sp, bg->c1) < 0)
            return BAD("%s: key '%s': '%.*s' is not a colour (" COLOUR_HELP ")", p->where, key,
                       (int)(sp > 60 ? 60 : sp), s);
        memcpy(bg->c2, bg->c1, 3);
        bg->kind = ZIMU__BG_SOLID;
        return 0;
    }
    size_t n1 = (size_t)(dash - s);
    if (colour(s, n1, bg->c1) < 0 || colour(dash + 1, sp - n1 - 1, bg->c2) < 0)
        return BAD("%s: key '%s': '%.*s' is not a gradient of two colours, as in "
                   "'#FF512F-#DD2476' (" COLOUR_HELP ")", p->where, key, (int)(sp > 60 ? 60 : sp), s);
    bg->kind = ZIMU__BG_GRADIENT;
    if (an) {
        size_t e = an;
        if (e > 3 && !memcmp(ang + e - 3, "\xC2\xB0", 2))
            e -= 2; /* '°' */
        else if (e > 2 && !memcmp(ang + e - 2, "\xC2\xB0", 2))
            e -= 2;
        if (e > 3 && key_eq(ang + e - 3, 3, "deg"))
            e -= 3;
        double a;
        if (number(ang, e, &a) < 0 || a > 360 || a != floor(a))
            return BAD("%s: key '%s': angle '%.*s' is not whole degrees from 0 to 360 "
                       "(0: top to bottom, 90: left to right)", p->where, key,
                       (int)(an > 20 ? 20 : an), ang);
        bg->angle = (int)a % 360;
    }
    return 0;
}

/* A list "#A, #B-#C 45, #D": each entry a background. */
static int parse_bgs(pctx *p, const char *key, const char *v, zimu_flash_opts *o, int lv)
{
    zimu_bg list[ZIMU__FLASH_MAX_BGS];
    int n = 0;
    const char *s = v;
    for (;;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        const char *t = s;
        size_t tn = len;
        trim(&t, &tn);
        if (!tn)
            return BAD("%s: key '%s': an empty colour in the list '%.60s'", p->where, key, v);
        if (n == ZIMU__FLASH_MAX_BGS)
            return BAD("%s: key '%s': more than %d colours in one list", p->where, key,
                       ZIMU__FLASH_MAX_BGS);
        if (n == 1 && lv == AT_CARD)
            return BAD("%s: key '%s': a card takes one background, not a list (a list cycles "
                       "card by card: give it in the headers or on a section line)", p->where, key);
        int r = parse_bg1(p, key, t, tn, &list[n]);
        if (r < 0)
            return r;
        n++;
        if (!e)
            break;
        s = e + 1;
    }
    zimu_bg *bg = malloc((size_t)n * sizeof *bg);
    if (!bg)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    memcpy(bg, list, (size_t)n * sizeof *bg);
    free(o->bg);
    o->bg = bg;
    o->n_bg = n;
    return 0;
}

static int parse_pos(pctx *p, const char *key, const char *v, int *align)
{
    static const struct {
        const char *name;
        int an;
    } pos[] = {
        {"top", 8}, {"center", 5}, {"centre", 5}, {"middle", 5}, {"bottom", 2},
        {"上", 8}, {"顶部", 8}, {"上方", 8}, {"中", 5}, {"居中", 5}, {"中间", 5},
        {"下", 2}, {"底部", 2}, {"下方", 2},
    };
    size_t n = strlen(v);
    for (size_t i = 0; i < sizeof pos / sizeof *pos; i++)
        if (key_eq(v, n, pos[i].name) || (strlen(pos[i].name) == n && !memcmp(v, pos[i].name, n))) {
            *align = pos[i].an;
            return 0;
        }
    return BAD("%s: key '%s': '%.40s' is not a position (top, center, bottom; 上 中 下)",
               p->where, key, v);
}

static int parse_look(pctx *p, const char *key, const char *v, char **out)
{
    zimu_style st;
    if (zimu__style_preset(v, &st) < 0) {
        zimu_sbuf b = {0};
        int n = zimu_style_count();
        const char *names[65];
        int k = 0;
        for (int i = 0; i < n; i++) {
            const char *nm = zimu_style_name(i);
            zimu__sb_adds(&b, i ? ", " : "");
            zimu__sb_adds(&b, nm);
            if (k < 64)
                names[k++] = nm;
        }
        names[k] = NULL;
        char dym[64];
        int r = BAD("%s: key '%s': '%.40s' is not a look%s; the looks: %s", p->where, key, v,
                    did_you_mean(v, strlen(v), names, dym, sizeof dym), b.s ? b.s : "");
        zimu__sb_free(&b);
        return r;
    }
    char *d = zimu__strdup(v);
    if (!d)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    free(*out);
    *out = d;
    return 0;
}

static int parse_timing(pctx *p, const char *key, const char *v, zimu_flash_info *info)
{
    static const struct {
        const char *name;
        int mode;
    } modes[] = {
        {"times", ZIMU__FLASH_TIMES}, {"time", ZIMU__FLASH_TIMES}, {"时间", ZIMU__FLASH_TIMES},
        {"reading", ZIMU__FLASH_READING}, {"阅读", ZIMU__FLASH_READING},
        {"beats", ZIMU__FLASH_BEATS}, {"beat", ZIMU__FLASH_BEATS}, {"节拍", ZIMU__FLASH_BEATS},
        {"downbeats", ZIMU__FLASH_DOWNBEATS}, {"bars", ZIMU__FLASH_DOWNBEATS},
        {"强拍", ZIMU__FLASH_DOWNBEATS}, {"小节", ZIMU__FLASH_DOWNBEATS},
    };
    size_t n = strlen(v), w = 0;
    while (w < n && v[w] != ' ' && v[w] != '\t')
        w++;
    int mode = -1;
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
        if (key_eq(v, w, modes[i].name) || (strlen(modes[i].name) == w && !memcmp(v, modes[i].name, w)))
            mode = modes[i].mode;
    if (mode < 0)
        return BAD("%s: key '%s': '%.40s' is not a timing (times, reading, beats [N], "
                   "downbeats [N])", p->where, key, v);
    const char *a = v + w;
    size_t an = n - w;
    trim(&a, &an);
    int step = 1;
    if (an) {
        double d;
        if (mode != ZIMU__FLASH_BEATS && mode != ZIMU__FLASH_DOWNBEATS)
            return BAD("%s: key '%s': only beats and downbeats take a number, as in "
                       "'timing: beats 2'", p->where, key);
        if (number(a, an, &d) < 0 || d < 1 || d > 64 || d != floor(d))
            return BAD("%s: key '%s': '%.*s' is not a whole number of %s from 1 to 64",
                       p->where, key, (int)(an > 20 ? 20 : an), a,
                       mode == ZIMU__FLASH_BEATS ? "beats" : "bars");
        step = (int)d;
    }
    info->timing = mode;
    info->beat_step = step;
    return 0;
}

/* Apply "key: value" (both folded, trimmed) at level lv (AT_*) to o, and
 * for headers to s. */
static int apply(pctx *p, zimu_flash_script *s, zimu_flash_opts *o, int lv,
                 const char *k, size_t kn, const char *v)
{
    const struct key *key = find_key(k, kn);
    if (!key) {
        char dym[64];
        return BAD("%s: unknown key '%.*s'%s", p->where, (int)kn, k,
                   did_you_mean(k, kn, NULL, dym, sizeof dym));
    }
    const char *kname = key->name;
    if (!(key->where & lv)) {
        if (key->where == AT_HEADER)
            return BAD("%s: '%s' is a header: it goes before the first card, on a line "
                       "of its own", p->where, kname);
        return BAD("%s: '%s' is for a card, not for %s", p->where, kname,
                   lv == AT_HEADER ? "the headers" : "a section");
    }
    if (!*v)
        return BAD("%s: key '%s' has no value", p->where, kname);
    zimu_flash_info *info = &s->info;
    double d;
    int64_t ms;
    switch (key->id) {
    case K_SIZE:
        if (zimu_parse_size(v, &info->width, &info->height) < 0)
            return BAD("%s: key 'size': '%.40s' is not a frame size WIDTHxHEIGHT from 16 to "
                       "16384, as in 1080x1920", p->where, v);
        return 0;
    case K_FPS:
        if (number(v, strlen(v), &d) < 0 || d < 1 || d > 240)
            return BAD("%s: key 'fps': '%.40s' is not a frame rate from 1 to 240", p->where, v);
        info->fps = d;
        return 0;
    case K_MUSIC: /* a path: header_line takes it as written */
        return 0;
    case K_TIMING:
        return parse_timing(p, kname, v, info);
    case K_BPM:
        if (number(v, strlen(v), &d) < 0 || d < 30 || d > 300)
            return BAD("%s: key 'bpm': '%.40s' is not a tempo from 30 to 300 beats a minute",
                       p->where, v);
        info->bpm = d;
        return 0;
    case K_FIRST_BEAT:
        if (zimu_parse_time(v, &ms) < 0 || ms > ZIMU__FLASH_MAX_MS)
            return BAD("%s: key 'first-beat': '%.40s' is not a time (seconds '0.5', or "
                       "'1:02.5')", p->where, v);
        info->first_beat = (double)ms / 1000.0;
        return 0;
    case K_SPEED:
        if (number(v, strlen(v), &d) < 0 || d < 0.5 || d > 50)
            return BAD("%s: key 'speed': '%.40s' is not a reading speed from 0.5 to 50 "
                       "characters a second", p->where, v);
        s->speed = d;
        return 0;
    case K_LOOK:
        if (lv == AT_HEADER)
            return parse_look(p, kname, v, &s->look);
        return parse_look(p, kname, v, &o->look);
    case K_IN:
        return parse_anim(p, kname, v, &o->in);
    case K_OUT:
        return parse_anim(p, kname, v, &o->out);
    case K_LOOP:
        return parse_anim(p, kname, v, &o->loop);
    case K_HOLD:
        if (number(v, strlen(v), &d) < 0 || d <= 0 || d > ZIMU__FLASH_MAX_HOLD
            || fabs(d * 4 - floor(d * 4 + 0.5)) > 1e-9)
            return BAD("%s: key 'hold': '%.40s' is not a number of beats (bars) from 0.25 "
                       "to %g in steps of 0.25", p->where, v, ZIMU__FLASH_MAX_HOLD);
        o->hold = d;
        o->hold_line = p->line;
        return 0;
    case K_DUR:
        if (seconds(v, strlen(v), &ms) < 0 || ms < 40)
            return BAD("%s: key 'dur': '%.40s' is not a duration in seconds (at least 0.04, "
                       "as in 'dur: 1.5')", p->where, v);
        o->dur_ms = ms;
        o->dur_line = p->line;
        return 0;
    case K_AT:
        if (zimu_parse_time(v, &ms) < 0 || ms > ZIMU__FLASH_MAX_MS)
            return BAD("%s: key 'at': '%.40s' is not a time (seconds '5.5', or '0:05.5')",
                       p->where, v);
        o->at_ms = ms;
        return 0;
    case K_COLOR:
        if (parse_colour(p, kname, v, o->color) < 0)
            return ZIMU_ESUBS;
        o->has_color = 1;
        return 0;
    case K_OUTLINE:
        if (parse_colour(p, kname, v, o->outline) < 0)
            return ZIMU_ESUBS;
        o->has_outline = 1;
        return 0;
    case K_POS:
        return parse_pos(p, kname, v, &o->align);
    case K_BG:
        return parse_bgs(p, kname, v, o, lv);
    }
    return 0;
}

static void opts_init(zimu_flash_opts *o)
{
    memset(o, 0, sizeof *o);
    o->dur_ms = -1;
    o->at_ms = -1;
}

static void opts_free(zimu_flash_opts *o)
{
    free(o->look);
    free(o->bg);
    opts_init(o);
}

/* Options "k: v, k: v" (folded text, NUL-terminated, writable). A piece
 * without "key:" continues the value before it (a background list). */
static int parse_opts(pctx *p, zimu_flash_script *s, zimu_flash_opts *o, int lv, char *t)
{
    char *k = NULL, *v = NULL;
    size_t kn = 0;
    char *piece = t;
    for (;;) {
        char *e = piece + strcspn(piece, ",;");
        int last = !*e;
        *e = 0;
        const char *ps = piece;
        size_t pn = strlen(piece);
        trim(&ps, &pn);
        const char *colon = pn ? memchr(ps, ':', pn) : NULL;
        const char *kk = ps;
        size_t kkn = colon ? (size_t)(colon - ps) : 0;
        trim(&kk, &kkn);
        if (colon && key_like(kk, kkn)) {
            if (k) {
                int r = apply(p, s, o, lv, k, kn, v);
                if (r < 0)
                    return r;
            }
            k = (char *)kk;
            kn = kkn;
            const char *vs = colon + 1;
            size_t vn = pn - (size_t)(vs - ps);
            trim(&vs, &vn);
            v = (char *)vs;
            v[vn] = 0;
        } else if (pn) {
            if (!k)
                return BAD("%s: expected 'key: value' options, as in 'in: pop, hold: 2', "
                           "not '%.40s'", p->where, ps);
            /* continue the value: it lies before this piece in t, so
             * shift the piece down to join it with a ',' */
            size_t vl = strlen(v);
            v[vl] = ',';
            memmove(v + vl + 1, ps, pn);
            v[vl + 1 + pn] = 0;
        }
        if (last)
            break;
        piece = e + 1;
    }
    if (k)
        return apply(p, s, o, lv, k, kn, v);
    return 0;
}

/* ------------------------------------------------------------------------
 * Card text.
 */

/* Marks a backslash makes literal. */
static const char escapable[] = "*|@#=:,\\-{}";

/* Cue text of a card's text [t, t+n): escapes, keywords, braces. */
static int card_text(pctx *p, const char *t, size_t n, zimu_sbuf *b, int *visible)
{
    int in_key = 0;
    size_t key_at = 0; /* b->len after the ON marker */
    int skip_space = 0;
    *visible = 0;
    for (size_t i = 0; i < n;) {
        size_t k;
        if (t[i] == '\\' && i + 1 < n) {
            if (t[i + 1] == 'n' || t[i + 1] == 'N') {
                while (b->len && b->s[b->len - 1] == ' ')
                    b->s[--b->len] = 0;
                zimu__sb_addc(b, '\n');
                skip_space = 1;
                i += 2;
                continue;
            }
            size_t ml = 0;
            for (const char *e = escapable; *e && !ml; e++)
                ml = mark(t + i + 1, n - i - 1, *e);
            if (ml) {
                zimu__sb_add_text(b, t + i + 1, ml);
                *visible = 1;
                skip_space = 0;
                i += 1 + ml;
                continue;
            }
        }
        if ((k = mark(t + i, n - i, '*')) > 0) {
            if (!in_key) {
                zimu__sb_adds(b, ZIMU__KEY_ON);
                key_at = b->len;
            } else {
                if (b->len == key_at)
                    return BAD("%s: an empty keyword '**': mark a keyword as *word*, or write "
                               "a star as \\*", p->where);
                zimu__sb_adds(b, ZIMU__KEY_OFF);
            }
            in_key = !in_key;
            i += k;
            continue;
        }
        if ((k = space_at(t + i, n - i)) > 0 || t[i] == '\t') {
            if (!skip_space) {
                if (t[i] == '\t')
                    zimu__sb_addc(b, ' ');
                else
                    zimu__sb_add(b, t + i, k);
            }
            i += k ? k : 1;
            continue;
        }
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7F) {
            return BAD("%s: a control character (byte 0x%02X) in the text", p->where,
                       (unsigned char)t[i]);
        }
        size_t used;
        zimu__utf8_next((const unsigned char *)t + i, n - i, &used);
        zimu__sb_add_text(b, t + i, used);
        *visible = 1;
        skip_space = 0;
        i += used;
    }
    if (in_key)
        return BAD("%s: a keyword mark '*' is not closed: mark a keyword as *word*, or write "
                   "a star as \\*", p->where);
    if (b->oom)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    return 0;
}

/* Index of the first unescaped mark ch (or its twin) in [t, t+n), and its
 * length in *ml; n if none. */
static size_t find_mark(const char *t, size_t n, char ch, size_t *ml)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\\' && i + 1 < n) {
            size_t k = 0;
            for (const char *e = escapable; *e && !k; e++)
                k = mark(t + i + 1, n - i - 1, *e);
            if (k || t[i + 1] == 'n' || t[i + 1] == 'N')
                i += k ? k : 1;
            continue;
        }
        size_t k = mark(t + i, n - i, ch);
        if (k) {
            *ml = k;
            return i;
        }
    }
    *ml = 0;
    return n;
}

/* ------------------------------------------------------------------------
 * Lines.
 */

static int add_card(pctx *p, zimu_flash_script *s, const char *t, size_t n)
{
    if (s->n_cards >= ZIMU__FLASH_MAX_CARDS)
        return BAD("%s: more than %d cards: split the script", p->where, ZIMU__FLASH_MAX_CARDS);
    if (s->n_cards == s->cap_cards) {
        size_t cap = s->cap_cards ? s->cap_cards * 2 : 32;
        zimu_flash_card *v = realloc(s->cards, cap * sizeof *v);
        if (!v)
            return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
        s->cards = v;
        s->cap_cards = cap;
    }
    zimu_flash_card *k = &s->cards[s->n_cards];
    memset(k, 0, sizeof *k);
    opts_init(&k->o);
    k->line = p->line;
    k->section = (int)s->n_sections - 1;
    if (k->section >= 0)
        k->index_in_section = s->sections[k->section].n_cards++;
    s->n_cards++; /* freed with the script from here on */

    /* "@TIME " */
    size_t ml = mark(t, n, '@');
    int digit = 0;
    for (char d = '0'; ml && d <= '9' && !digit; d++)
        digit = mark(t + ml, n - ml, d) > 0;
    if (digit) {
        size_t e = ml;
        while (e < n && !space_at(t + e, n - e) && !mark(t + e, n - e, '|'))
            e++;
        char buf[64];
        if (e - ml >= sizeof buf / 3)
            return BAD("%s: '%.*s' is not a time: write '@' and the start, as in '@5.5' or "
                       "'@0:05.5', then the text", p->where, (int)(e > 30 ? 30 : e), t);
        fold(t + ml, e - ml, buf);
        int64_t ms;
        if (zimu_parse_time(buf, &ms) < 0 || ms > ZIMU__FLASH_MAX_MS)
            return BAD("%s: '%.*s' is not a time: write '@' and the start, as in '@5.5' or "
                       "'@0:05.5', then the text", p->where, (int)e, t);
        k->o.at_ms = ms;
        t += e, n -= e;
        trim(&t, &n);
    }

    size_t bar = find_mark(t, n, '|', &ml);
    const char *tx = t;
    size_t txn = bar;
    trim(&tx, &txn);
    if (bar < n) {
        char buf[ZIMU__FLASH_MAX_LINE + 1];
        fold(t + bar + ml, n - bar - ml, buf);
        int64_t at = k->o.at_ms;
        k->o.at_ms = -1;
        int r = parse_opts(p, s, &k->o, AT_CARD, buf);
        if (r < 0)
            return r;
        if (at >= 0 && k->o.at_ms >= 0 && at != k->o.at_ms)
            return BAD("%s: the card has two start times, '@' and 'at:'", p->where);
        if (at >= 0)
            k->o.at_ms = at;
    }
    if (txn > ZIMU__FLASH_MAX_TEXT)
        return BAD("%s: the card's text is longer than %d bytes: a flash card holds a short "
                   "phrase", p->where, ZIMU__FLASH_MAX_TEXT);
    zimu_sbuf b = {0};
    int visible;
    int r = card_text(p, tx, txn, &b, &visible);
    if (r < 0) {
        zimu__sb_free(&b);
        return r;
    }
    if (!visible) {
        zimu__sb_free(&b);
        return BAD("%s: the card has no text%s", p->where,
                   bar < n ? " (only options after '|')" : "");
    }
    k->text = zimu__sb_take(&b);
    if (!k->text)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    k->units = reading_units(k->text);
    return 0;
}

static int add_section(pctx *p, zimu_flash_script *s, const char *t, size_t n)
{
    if (s->n_sections >= ZIMU__FLASH_MAX_CARDS)
        return BAD("%s: more than %d sections", p->where, ZIMU__FLASH_MAX_CARDS);
    if (s->n_sections == s->cap_sections) {
        size_t cap = s->cap_sections ? s->cap_sections * 2 : 8;
        zimu_flash_section *v = realloc(s->sections, cap * sizeof *v);
        if (!v)
            return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
        s->sections = v;
        s->cap_sections = cap;
    }
    zimu_flash_section *sec = &s->sections[s->n_sections];
    memset(sec, 0, sizeof *sec);
    opts_init(&sec->o);
    sec->line = p->line;
    s->n_sections++;
    /* strip the leading marks */
    size_t k;
    while (n && ((k = mark(t, n, '=')) > 0 || (k = mark(t, n, '-')) > 0))
        t += k, n -= k;
    size_t ml;
    size_t bar = find_mark(t, n, '|', &ml);
    const char *ti = t;
    size_t tin = bar;
    trim(&ti, &tin);
    for (;;) { /* trailing marks of "== title ==" */
        if (tin && (ti[tin - 1] == '=' || ti[tin - 1] == '-'))
            tin--;
        else if (tin >= 3 && (mark(ti + tin - 3, 3, '=') || mark(ti + tin - 3, 3, '-')))
            tin -= 3;
        else
            break;
    }
    trim(&ti, &tin);
    sec->title = malloc(tin + 1);
    if (!sec->title)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    memcpy(sec->title, ti, tin);
    sec->title[tin] = 0;
    if (bar < n) {
        char buf[ZIMU__FLASH_MAX_LINE + 1];
        fold(t + bar + ml, n - bar - ml, buf);
        return parse_opts(p, s, &sec->o, AT_SECTION, buf);
    }
    return 0;
}

/* The key of a "key: value" line ([t, t+n), trimmed), or NULL; *kn its
 * length, and the value in *vs, *vn. */
static const char *line_key(const char *t, size_t n, size_t *kn, const char **vs, size_t *vn)
{
    size_t ml;
    size_t colon = find_mark(t, n, ':', &ml);
    if (colon == n)
        return NULL;
    const char *k = t;
    size_t kl = colon;
    trim(&k, &kl);
    if (!key_like(k, kl))
        return NULL;
    *kn = kl;
    *vs = t + colon + ml;
    *vn = n - colon - ml;
    trim(vs, vn);
    return k;
}

static int header_line(pctx *p, zimu_flash_script *s, const char *k, size_t kn,
                       const char *v, size_t vn, const char *dir)
{
    char kb[ZIMU__FLASH_MAX_LINE + 1], vb[ZIMU__FLASH_MAX_LINE + 1];
    fold(k, kn, kb);
    const struct key *key = find_key(kb, strlen(kb));
    if (key && key->id == K_MUSIC) {
        /* a path: taken as written (not folded), resolved against dir */
        if (!vn)
            return BAD("%s: key 'music' has no value", p->where);
        zimu_sbuf b = {0};
        if (dir && *dir && v[0] != '/') {
            zimu__sb_adds(&b, dir);
            if (b.len && b.s[b.len - 1] != '/')
                zimu__sb_addc(&b, '/');
        }
        zimu__sb_add(&b, v, vn);
        char *m = zimu__sb_take(&b);
        if (!m)
            return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
        free(s->music);
        s->music = m;
        return 0;
    }
    if (key && key->id == K_AT)
        return BAD("%s: 'at' is for a card, not for the headers (write '@TIME text' on the "
                   "card's line)", p->where);
    if (key && key->id == K_BG) {
        /* a list: "#A, #B" */
        fold(v, vn, vb);
        return apply(p, s, &s->defaults, AT_HEADER, kb, strlen(kb), vb);
    }
    fold(v, vn, vb);
    char *vv = vb;
    size_t vl = strlen(vv);
    while (vl && (vv[vl - 1] == ' ' || vv[vl - 1] == '\t'))
        vv[--vl] = 0;
    return apply(p, s, &s->defaults, AT_HEADER, kb, strlen(kb), vv);
}

/* ------------------------------------------------------------------------
 * The script.
 */

void zimu__flash_free(zimu_flash_script **sp)
{
    if (!sp || !*sp)
        return;
    zimu_flash_script *s = *sp;
    for (size_t i = 0; i < s->n_cards; i++) {
        free(s->cards[i].text);
        opts_free(&s->cards[i].o);
    }
    for (size_t i = 0; i < s->n_sections; i++) {
        free(s->sections[i].title);
        opts_free(&s->sections[i].o);
    }
    free(s->cards);
    free(s->sections);
    opts_free(&s->defaults);
    free(s->music);
    free(s->look);
    free(s->name);
    free(s);
    *sp = NULL;
}

const zimu_flash_info *zimu__flash_info(const zimu_flash_script *s)
{
    return &s->info;
}

int zimu__flash_parse(zimu_ctx *c, const char *name, const char *dir,
                      const char *data, size_t size, zimu_flash_script **out)
{
    *out = NULL;
    if (!name)
        name = "flash script";
    if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        data += 3, size -= 3;
    pctx pc = {.c = c, .name = name, .line = 0};
    pctx *p = &pc;
    const char *nul = memchr(data, 0, size);
    size_t bad = zimu__utf8_check(data, size);
    if (nul || bad < size) {
        size_t at = nul && (size_t)(nul - data) < bad ? (size_t)(nul - data) : bad;
        int line = 1;
        for (size_t i = 0; i < at; i++)
            line += data[i] == '\n';
        return zimu__fail(c, ZIMU_ESUBS, "%s:%d: %s", name, line,
                          nul && (size_t)(nul - data) == at ? "NUL character in the text"
                                                            : "the text is not UTF-8: save "
                                                              "the script as UTF-8");
    }
    zimu_flash_script *s = calloc(1, sizeof *s);
    if (!s)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    s->name = zimu__strdup(name);
    opts_init(&s->defaults);
    s->info.timing = ZIMU__FLASH_TIMES;
    s->info.beat_step = 1;
    s->info.first_beat = -1;
    s->speed = ZIMU__FLASH_DEFAULT_SPEED;
    int r = s->name ? 0 : zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    size_t pos = 0;
    const char *line;
    size_t len;
    while (r == 0 && zimu__next_line(data, size, &pos, &line, &len)) {
        p->line++;
        snprintf(p->where, sizeof p->where, "%s:%d", name, p->line);
        if (ZIMU__CANCEL_CHECK(c, p->line)) {
            r = zimu__fail_cancel(c);
            break;
        }
        if (len > ZIMU__FLASH_MAX_LINE) {
            r = BAD("%s: the line is longer than %d bytes", p->where, ZIMU__FLASH_MAX_LINE);
            break;
        }
        const char *t = line;
        size_t n = len;
        trim(&t, &n);
        if (!n || mark(t, n, '#'))
            continue;
        if (t[0] == '\\') {
            /* a card, whatever follows; the backslash is dropped unless it
             * escapes a mark */
            size_t e = 0;
            for (const char *m = escapable; *m && !e; m++)
                e = mark(t + 1, n - 1, *m);
            if (!e && n > 1 && t[1] != 'n' && t[1] != 'N')
                t++, n--;
            r = add_card(p, s, t, n);
            continue;
        }
        size_t k1 = mark(t, n, '='), k2 = mark(t, n, '-');
        if ((k1 && mark(t + k1, n - k1, '=')) ||
            (k2 && mark(t + k2, n - k2, '-') && mark(t + 2 * k2, n - 2 * k2, '-'))) {
            r = add_section(p, s, t, n);
            continue;
        }
        size_t kn, vn;
        const char *vs;
        const char *k = line_key(t, n, &kn, &vs, &vn);
        if (k) {
            char kb[64];
            fold(k, kn, kb);
            const struct key *key = find_key(kb, strlen(kb));
            if (!s->n_cards && !s->n_sections) {
                if (key || ascii_word(kb, strlen(kb))) {
                    r = header_line(p, s, k, kn, vs, vn, dir);
                    if (r < 0 && !key)
                        r = BAD("%s: unknown key '%s'%s (a card that starts with a word and "
                                "a colon before the first card: write it as '\\%.*s')",
                                p->where, kb, did_you_mean(kb, strlen(kb), NULL, (char[64]){0}, 64),
                                (int)(n > 20 ? 20 : n), t);
                    continue;
                }
            } else if (key && ascii_word(k, kn) && key_eq(k, kn, key->name)) {
                r = BAD("%s: header '%s' after the first card or section: headers go before "
                        "them (for a card or a section, write options after '|': "
                        "'text | %s: ...'; a card that starts with '%s:' is written "
                        "'\\%s: ...')", p->where, key->name, key->name, key->name, key->name);
                continue;
            }
        }
        r = add_card(p, s, t, n);
    }
    if (r == 0 && !s->n_cards)
        r = zimu__fail(c, ZIMU_ESUBS, "%s: no cards: write one short phrase a line after "
                       "the headers", name);
    if (r < 0) {
        zimu__flash_free(&s);
        return r;
    }
    s->info.music = s->music;
    s->info.look = s->look;
    s->info.n_cards = (int)s->n_cards;
    s->info.n_sections = (int)s->n_sections;
    *out = s;
    return 0;
}

/* ------------------------------------------------------------------------
 * Levels.
 */

int zimu__flash_opts_has(const zimu_flash_opts *o, int field)
{
    switch (field) {
    case ZIMU__FO_IN: return o->in.set;
    case ZIMU__FO_OUT: return o->out.set;
    case ZIMU__FO_LOOP: return o->loop.set;
    case ZIMU__FO_HOLD: return o->hold > 0;
    case ZIMU__FO_DUR: return o->dur_ms >= 0;
    case ZIMU__FO_LOOK: return o->look != NULL;
    case ZIMU__FO_COLOR: return o->has_color;
    case ZIMU__FO_OUTLINE: return o->has_outline;
    case ZIMU__FO_ALIGN: return o->align != 0;
    case ZIMU__FO_BG: return o->n_bg > 0;
    }
    return 0;
}

const zimu_flash_opts *zimu__flash_pick(const zimu_flash_script *s,
                                        const zimu_flash_card *k, int field)
{
    if (zimu__flash_opts_has(&k->o, field))
        return &k->o;
    if (k->section >= 0 && zimu__flash_opts_has(&s->sections[k->section].o, field))
        return &s->sections[k->section].o;
    if (zimu__flash_opts_has(&s->defaults, field))
        return &s->defaults;
    return NULL;
}
