/* options.c - the keys of a flash script and their values: headers and
 * the "key: value" options of sections and cards (docs/flash.md lists
 * them), read from text already folded to ASCII marks by script.c. Each bad
 * value is an error "name:LINE: key 'k': what is wrong". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuetext.h"
#include "distance.h"
#include "sbuf.h"
#include "script.h"
#include "style.h"

typedef zimu_flash_pctx pctx;

/* ------------------------------------------------------------------------
 * Keys.
 */

static const zimu_flash_key keys[] = {
    {"size", NULL, "尺寸", ZIMU__FK_SIZE, ZIMU__FAT_HEADER},
    {"fps", NULL, "帧率", ZIMU__FK_FPS, ZIMU__FAT_HEADER},
    {"music", NULL, "音乐", ZIMU__FK_MUSIC, ZIMU__FAT_HEADER},
    {"timing", NULL, "节奏", ZIMU__FK_TIMING, ZIMU__FAT_HEADER},
    {"bpm", "tempo", "速度", ZIMU__FK_BPM, ZIMU__FAT_HEADER},
    {"first-beat", NULL, "首拍", ZIMU__FK_FIRST_BEAT, ZIMU__FAT_HEADER},
    {"speed", NULL, "语速", ZIMU__FK_SPEED, ZIMU__FAT_HEADER},
    {"look", NULL, "花字", ZIMU__FK_LOOK, ZIMU__FAT_ALL},
    {"in", NULL, "入场", ZIMU__FK_IN, ZIMU__FAT_ALL},
    {"out", NULL, "出场", ZIMU__FK_OUT, ZIMU__FAT_ALL},
    {"loop", NULL, "循环", ZIMU__FK_LOOP, ZIMU__FAT_ALL},
    {"hold", NULL, "拍", ZIMU__FK_HOLD, ZIMU__FAT_ALL},
    {"dur", "duration", "时长", ZIMU__FK_DUR, ZIMU__FAT_ALL},
    {"at", NULL, "时间", ZIMU__FK_AT, ZIMU__FAT_CARD},
    {"color", "colour", "颜色", ZIMU__FK_COLOR, ZIMU__FAT_ALL},
    {"outline", NULL, "描边", ZIMU__FK_OUTLINE, ZIMU__FAT_ALL},
    {"pos", "position", "位置", ZIMU__FK_POS, ZIMU__FAT_ALL},
    {"background", "bg", "背景", ZIMU__FK_BG, ZIMU__FAT_ALL},
};
#define N_KEYS (sizeof keys / sizeof *keys)

/* ASCII case-insensitive, '_' same as '-'. */
int zimu__flash_key_eq(const char *s, size_t n, const char *name)
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

const zimu_flash_key *zimu__flash_find_key(const char *s, size_t n)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (zimu__flash_key_eq(s, n, keys[i].name) || zimu__flash_key_eq(s, n, keys[i].alias)
            || (keys[i].zh && strlen(keys[i].zh) == n && !memcmp(s, keys[i].zh, n)))
            return &keys[i];
    return NULL;
}

/* " (did you mean 'x'?)" for the nearest name of list (NULL-terminated,
 * or keys when list is NULL), or "". */
const char *zimu__flash_did_you_mean(const char *s, size_t n, const char *const *list,
                                char *buf, size_t size)
{
    const char *best = NULL;
    int bd = 3;
    for (size_t i = 0; list ? list[i] != NULL : i < N_KEYS; i++) {
        const char *cand = list ? list[i] : keys[i].name;
        int d = zimu__edit_distance(s, n, cand);
        if (d < bd && d < (int)strlen(cand)) {
            bd = d;
            best = cand;
        }
    }
    if (!best)
        return "";
    snprintf(buf, size, zimu__tr(" (did you mean '%s'?)"), best);
    return buf;
}

/* Does [s, s+n) look like a key: an ASCII word, or a short word without
 * spaces or marks (a Chinese key)? */
int zimu__flash_key_like(const char *s, size_t n)
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

int zimu__flash_ascii_word(const char *s, size_t n)
{
    if (!n || !is_alpha((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return zimu__flash_key_like(s, n);
}

/* ------------------------------------------------------------------------
 * Values.
 */

#define BAD(...) zimu__fail(p->c, ZIMU_ESUBS, __VA_ARGS__)

/* Seconds "1.5", "1.5s", "300ms" into ms: 0, or -1. */
static int seconds(const char *s, size_t n, int64_t *ms)
{
    double k = 1000;
    if (n > 2 && zimu__flash_key_eq(s + n - 2, 2, "ms"))
        n -= 2, k = 1;
    else if (n > 1 && lower((unsigned char)s[n - 1]) == 's')
        n--;
    double v;
    if (zimu__parse_decimal(s, n, &v) < 0)
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
        if (zimu__flash_key_eq(v, w, anims[i].name))
            fx = anims[i].fx;
    if (fx < 0) {
        static const char *names[N_ANIMS + 1];
        for (size_t i = 0; i < N_ANIMS; i++)
            names[i] = anims[i].name;
        char dym[64];
        return BAD("%s: key '%s': unknown animation '%.*s'%s; the animations: %s",
                   p->where, key, (int)(w > 40 ? 40 : w), v,
                   zimu__flash_did_you_mean(v, w, names, dym, sizeof dym), ANIM_LIST);
    }
    const char *d = v + w;
    size_t dn = n - w;
    zimu__flash_trim(&d, &dn);
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
        if (zimu__flash_key_eq(s, n, colour_names[i].name)
            || (strlen(colour_names[i].name) == n && !memcmp(s, colour_names[i].name, n))) {
            memcpy(rgb, colour_names[i].rgb, 3);
            return 0;
        }
    return -1;
}

/* The colours a script may name (translated where shown). */
static const char colour_help[] =
    N_("#RRGGBB, #RGB or a name: white, black, red, yellow, gold, orange, "
       "pink, purple, blue, cyan, green, gray (白 黑 红 黄 金 橙 粉 紫 蓝 青 绿 灰)");
#define COLOUR_HELP zimu__tr(colour_help)

static int parse_colour(pctx *p, const char *key, const char *v, uint8_t rgb[3])
{
    if (colour(v, strlen(v), rgb) < 0)
        return BAD("%s: key '%s': '%.60s' is not a colour (%s)", p->where, key, v, COLOUR_HELP);
    return 0;
}

/* One background: "#C1", "#C1-#C2" or "#C1-#C2 ANGLE". */
static int parse_bg1(pctx *p, const char *key, const char *s, size_t n, zimu_bg *bg)
{
    zimu__flash_trim(&s, &n);
    memset(bg, 0, sizeof *bg);
    size_t sp = 0;
    while (sp < n && s[sp] != ' ' && s[sp] != '\t')
        sp++;
    const char *ang = s + sp;
    size_t an = n - sp;
    zimu__flash_trim(&ang, &an);
    const char *dash = memchr(s, '-', sp);
    if (!dash) {
        if (an)
            return BAD("%s: key '%s': an angle '%.*s' needs a gradient of two colours, "
                       "as in '#FF512F-#DD2476 45'", p->where, key, (int)(an > 20 ? 20 : an), ang);
        if (colour(s, sp, bg->c1) < 0)
            return BAD("%s: key '%s': '%.*s' is not a colour (%s)", p->where, key,
                       (int)(sp > 60 ? 60 : sp), s, COLOUR_HELP);
        memcpy(bg->c2, bg->c1, 3);
        bg->kind = ZIMU__BG_SOLID;
        return 0;
    }
    size_t n1 = (size_t)(dash - s);
    if (colour(s, n1, bg->c1) < 0 || colour(dash + 1, sp - n1 - 1, bg->c2) < 0)
        return BAD("%s: key '%s': '%.*s' is not a gradient of two colours, as in "
                   "'#FF512F-#DD2476' (%s)",
                   p->where, key, (int)(sp > 60 ? 60 : sp), s, COLOUR_HELP);
    bg->kind = ZIMU__BG_GRADIENT;
    if (an) {
        size_t e = an;
        if (e > 3 && !memcmp(ang + e - 3, "\xC2\xB0", 2))
            e -= 2; /* '°' */
        else if (e > 2 && !memcmp(ang + e - 2, "\xC2\xB0", 2))
            e -= 2;
        if (e > 3 && zimu__flash_key_eq(ang + e - 3, 3, "deg"))
            e -= 3;
        double a;
        if (zimu__parse_decimal(ang, e, &a) < 0 || a > 360 || a != floor(a))
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
        zimu__flash_trim(&t, &tn);
        if (!tn)
            return BAD("%s: key '%s': an empty colour in the list '%.60s'", p->where, key, v);
        if (n == ZIMU__FLASH_MAX_BGS)
            return BAD("%s: key '%s': more than %d colours in one list", p->where, key,
                       ZIMU__FLASH_MAX_BGS);
        if (n == 1 && lv == ZIMU__FAT_CARD)
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
        if (zimu__flash_key_eq(v, n, pos[i].name) || (strlen(pos[i].name) == n && !memcmp(v, pos[i].name, n))) {
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
                    zimu__flash_did_you_mean(v, strlen(v), names, dym, sizeof dym), b.s ? b.s : "");
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
        if (zimu__flash_key_eq(v, w, modes[i].name) || (strlen(modes[i].name) == w && !memcmp(v, modes[i].name, w)))
            mode = modes[i].mode;
    if (mode < 0)
        return BAD("%s: key '%s': '%.40s' is not a timing (times, reading, beats [N], "
                   "downbeats [N])", p->where, key, v);
    const char *a = v + w;
    size_t an = n - w;
    zimu__flash_trim(&a, &an);
    int step = 1;
    if (an) {
        double d;
        if (mode != ZIMU__FLASH_BEATS && mode != ZIMU__FLASH_DOWNBEATS)
            return BAD("%s: key '%s': only beats and downbeats take a number, as in "
                       "'timing: beats 2'", p->where, key);
        if (zimu__parse_decimal(a, an, &d) < 0 || d < 1 || d > 64 || d != floor(d))
            return BAD("%s: key '%s': '%.*s' is not a whole number of %s from 1 to 64",
                       p->where, key, (int)(an > 20 ? 20 : an), a,
                       zimu__tr(mode == ZIMU__FLASH_BEATS ? N_("beats") : N_("bars")));
        step = (int)d;
    }
    info->timing = mode;
    info->beat_step = step;
    return 0;
}

/* Apply "key: value" (both folded, trimmed) at level lv (AT_*) to o, and
 * for headers to s. */
int zimu__flash_apply(pctx *p, zimu_flash_script *s, zimu_flash_opts *o, int lv,
                 const char *k, size_t kn, const char *v)
{
    const zimu_flash_key *key = zimu__flash_find_key(k, kn);
    if (!key) {
        char dym[64];
        return BAD("%s: unknown key '%.*s'%s", p->where, (int)kn, k,
                   zimu__flash_did_you_mean(k, kn, NULL, dym, sizeof dym));
    }
    const char *kname = key->name;
    if (!(key->where & lv)) {
        if (key->where == ZIMU__FAT_HEADER)
            return BAD("%s: '%s' is a header: it goes before the first card, on a line "
                       "of its own", p->where, kname);
        return BAD("%s: '%s' is for a card, not for %s", p->where, kname,
                   zimu__tr(lv == ZIMU__FAT_HEADER ? N_("the headers") : N_("a section")));
    }
    if (!*v)
        return BAD("%s: key '%s' has no value", p->where, kname);
    zimu_flash_info *info = &s->info;
    double d;
    int64_t ms;
    switch (key->id) {
    case ZIMU__FK_SIZE:
        if (zimu_parse_size(v, &info->width, &info->height) < 0)
            return BAD("%s: key 'size': '%.40s' is not a frame size WIDTHxHEIGHT from 16 to "
                       "16384, as in 1080x1920", p->where, v);
        return 0;
    case ZIMU__FK_FPS:
        if (zimu_parse_ratio(v, &d) < 0 || d < 1 || d > 240)
            return BAD("%s: key 'fps': '%.40s' is not a frame rate from 1 to 240 (30, 29.97, "
                       "30000/1001)", p->where, v);
        info->fps = d;
        return 0;
    case ZIMU__FK_MUSIC: /* a path: header_line takes it as written */
        return 0;
    case ZIMU__FK_TIMING:
        return parse_timing(p, kname, v, info);
    case ZIMU__FK_BPM:
        if (zimu__parse_decimal(v, strlen(v), &d) < 0 || d < 30 || d > 300)
            return BAD("%s: key 'bpm': '%.40s' is not a tempo from 30 to 300 beats a minute",
                       p->where, v);
        info->bpm = d;
        return 0;
    case ZIMU__FK_FIRST_BEAT:
        if (zimu_parse_time(v, &ms) < 0 || ms > ZIMU__FLASH_MAX_MS)
            return BAD("%s: key 'first-beat': '%.40s' is not a time (seconds '0.5', or "
                       "'1:02.5')", p->where, v);
        info->first_beat = (double)ms / 1000.0;
        return 0;
    case ZIMU__FK_SPEED:
        if (zimu__parse_decimal(v, strlen(v), &d) < 0 || d < 0.5 || d > 50)
            return BAD("%s: key 'speed': '%.40s' is not a reading speed from 0.5 to 50 "
                       "characters a second", p->where, v);
        s->speed = d;
        return 0;
    case ZIMU__FK_LOOK:
        if (lv == ZIMU__FAT_HEADER)
            return parse_look(p, kname, v, &s->look);
        return parse_look(p, kname, v, &o->look);
    case ZIMU__FK_IN:
        return parse_anim(p, kname, v, &o->in);
    case ZIMU__FK_OUT:
        return parse_anim(p, kname, v, &o->out);
    case ZIMU__FK_LOOP:
        return parse_anim(p, kname, v, &o->loop);
    case ZIMU__FK_HOLD:
        if (zimu__parse_decimal(v, strlen(v), &d) < 0 || d <= 0 || d > ZIMU__FLASH_MAX_HOLD
            || fabs(d * 4 - floor(d * 4 + 0.5)) > 1e-9)
            return BAD("%s: key 'hold': '%.40s' is not a number of beats (bars) from 0.25 "
                       "to %g in steps of 0.25", p->where, v, ZIMU__FLASH_MAX_HOLD);
        o->hold = d;
        o->hold_line = p->line;
        return 0;
    case ZIMU__FK_DUR:
        if (seconds(v, strlen(v), &ms) < 0 || ms < 40)
            return BAD("%s: key 'dur': '%.40s' is not a duration in seconds (at least 0.04, "
                       "as in 'dur: 1.5')", p->where, v);
        o->dur_ms = ms;
        o->dur_line = p->line;
        return 0;
    case ZIMU__FK_AT:
        if (zimu_parse_time(v, &ms) < 0 || ms > ZIMU__FLASH_MAX_MS)
            return BAD("%s: key 'at': '%.40s' is not a time (seconds '5.5', or '0:05.5')",
                       p->where, v);
        o->at_ms = ms;
        return 0;
    case ZIMU__FK_COLOR:
        if (parse_colour(p, kname, v, o->color) < 0)
            return ZIMU_ESUBS;
        o->has_color = 1;
        return 0;
    case ZIMU__FK_OUTLINE:
        if (parse_colour(p, kname, v, o->outline) < 0)
            return ZIMU_ESUBS;
        o->has_outline = 1;
        return 0;
    case ZIMU__FK_POS:
        return parse_pos(p, kname, v, &o->align);
    case ZIMU__FK_BG:
        return parse_bgs(p, kname, v, o, lv);
    }
    return 0;
}

void zimu__flash_opts_init(zimu_flash_opts *o)
{
    memset(o, 0, sizeof *o);
    o->dur_ms = -1;
    o->at_ms = -1;
}

void zimu__flash_opts_free(zimu_flash_opts *o)
{
    free(o->look);
    free(o->bg);
    zimu__flash_opts_init(o);
}

/* Options "k: v, k: v" (folded text, NUL-terminated, writable). A piece
 * without "key:" continues the value before it (a background list). */
int zimu__flash_parse_opts(pctx *p, zimu_flash_script *s, zimu_flash_opts *o, int lv, char *t)
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
        zimu__flash_trim(&ps, &pn);
        const char *colon = pn ? memchr(ps, ':', pn) : NULL;
        const char *kk = ps;
        size_t kkn = colon ? (size_t)(colon - ps) : 0;
        zimu__flash_trim(&kk, &kkn);
        if (colon && zimu__flash_key_like(kk, kkn)) {
            if (k) {
                int r = zimu__flash_apply(p, s, o, lv, k, kn, v);
                if (r < 0)
                    return r;
            }
            k = (char *)kk;
            kn = kkn;
            const char *vs = colon + 1;
            size_t vn = pn - (size_t)(vs - ps);
            zimu__flash_trim(&vs, &vn);
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
        return zimu__flash_apply(p, s, o, lv, k, kn, v);
    return 0;
}
