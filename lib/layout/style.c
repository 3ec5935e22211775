/* style.c - caption styles: presets, style files, overrides; safe areas.
 *
 * Presets are written in the style-file language and go through the same
 * parser as a user's file, so what `docs/styles.md` shows of a preset is
 * what it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distance.h"
#include "fonts.h"
#include "style.h"

/* ------------------------------------------------------------------------
 * Safe areas.
 *
 * Fractions of the frame the app covers: top and bottom of the height,
 * left and right of the width. For a 1080x1920 frame (commonly cited
 * figures, rounded outwards; the apps change their layouts now and then):
 *
 *   name         top          bottom        left        right
 *   douyin       0.12 230 px  0.25 480 px   0.06 65 px  0.16 173 px
 *   kuaishou     0.12 230 px  0.23 442 px   0.06 65 px  0.15 162 px
 *   tiktok       0.12 230 px  0.24 461 px   0.06 65 px  0.16 173 px
 *   reels        0.13 250 px  0.26 499 px   0.06 65 px  0.16 173 px
 *   channels     0.12 230 px  0.28 538 px   0.06 65 px  0.06 65 px
 *   xiaohongshu  0.12 230 px  0.26 499 px   0.06 65 px  0.06 65 px
 *   none         0.05         0.05          0.05        0.05
 *
 * Top: status bar, the "following / for you" tabs, search. Bottom: account
 * name, description, music, the tab bar. Right: the avatar, like, comment,
 * share and music column. Left: nothing, but text that touches the edge
 * reads badly on a curved or rounded screen. "none" (no app, landscape
 * output) keeps only the 5 % action-safe margin of broadcast video.
 *
 * channels (WeChat Channels, 视频号; also named "wechat") and xiaohongshu
 * (小红书) have no published or commonly cited figures: theirs are our own
 * estimates, from the layout of the full-screen video page of each app as
 * drawn on a 1080x1920 phone screen (2024 versions), rounded outwards.
 * Neither has a button column on the right: the like / comment / share
 * buttons sit in a row at the bottom, so the bottom zone is taller and
 * the right one is only the edge margin.
 * - channels: top, status bar (about 90 px) and the bar with back, the
 *   tabs and search (about 130 px); bottom, the avatar, name and follow
 *   button (about 110 px), two lines of description (about 130 px), the
 *   music / location line (about 70 px), the row of like, recommend,
 *   forward and comment buttons (about 150 px) and the gesture bar.
 * - xiaohongshu: top, status bar and the author bar (back, avatar, name,
 *   follow, share; about 220 px together); bottom, the title and two lines
 *   of the note (about 200 px), tags and date (about 60 px), the bar with
 *   "say something" and the like, collect and comment counts (about
 *   150 px) and the gesture bar.
 */
static const zimu_safe_area safe_areas[] = {
    {"douyin", 0.12, 0.25, 0.06, 0.16,
     N_("Douyin (抖音): tabs and search on top; account, description and tab bar "
     "below; like/comment/share column on the right")},
    {"kuaishou", 0.12, 0.23, 0.06, 0.15,
     N_("Kuaishou (快手): as Douyin, a slightly lower bottom bar")},
    {"tiktok", 0.12, 0.24, 0.06, 0.16, N_("TikTok: as Douyin")},
    {"reels", 0.13, 0.26, 0.06, 0.16,
     N_("Instagram Reels: a taller caption and audio area at the bottom")},
    {"channels", 0.12, 0.28, 0.06, 0.06,
     N_("WeChat Channels (视频号, also 'wechat'): account, description and a row "
     "of like/forward/comment buttons below, no column on the right (estimate)")},
    {"xiaohongshu", 0.12, 0.26, 0.06, 0.06,
     N_("Xiaohongshu (小红书): author bar on top; title, note and a like/collect/"
     "comment bar below, no column on the right (estimate)")},
    {"none", 0.05, 0.05, 0.05, 0.05,
     /* xgettext:no-c-format */
     N_("no app: only a 5% margin so text never touches the edge")},
};
#define N_SAFE (sizeof safe_areas / sizeof *safe_areas)

const zimu_safe_area *zimu__safe_areas(size_t *n)
{
    *n = N_SAFE;
    return safe_areas;
}

const char *zimu__safe_area_name(const char *name)
{
    return name && !strcmp(name, "wechat") ? "channels" : name;
}

int zimu__safe_area(zimu_ctx *c, const char *name, int width, int height,
                    zimu_safe_area *out)
{
    if (!name || !*name)
        name = height > width ? "douyin" : "none";
    const char *want = zimu__safe_area_name(name);
    char list[128] = "";
    const char *names[N_SAFE];
    for (size_t i = 0; i < N_SAFE; i++) {
        if (!strcmp(want, safe_areas[i].name)) {
            *out = safe_areas[i];
            return 0;
        }
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", safe_areas[i].name);
        names[i] = safe_areas[i].name;
    }
    char hint[64];
    return zimu__fail(c, ZIMU_ESTYLE, "safe area '%s' is not one of %s%s", name, list,
                      zimu__did_you_mean(name, names, N_SAFE, hint, sizeof hint));
}

double zimu__len_px(zimu_len l, double ref)
{
    return l.px ? l.v : l.v * ref;
}

/* ------------------------------------------------------------------------
 * Presets, in the style-file language.
 */

/* Every preset starts from this. Captions sit at the bottom of the safe
 * area; the title at its top; the cover's title in its middle. */
static const char base_text[] =
    "font = Noto Sans CJK SC\n"
    "bold = yes\n"
    "italic = no\n"
    "size = 0.045\n"
    "color = #FFFFFF\n"
    "outline = 0.0032\n"
    "outline_color = #101010\n"
    "shadow = 0.001\n"
    "shadow_color = #00000080\n"
    "spacing = 0\n"
    "box = none\n"
    "box_color = #00000099\n"
    "box_padding = 0.008\n"
    "box_radius = 0.01\n"
    "accent_color = none\n"
    "accent_width = 0.005\n"
    "align = bottom\n"
    "margin_v = 0\n"
    "margin_h = 0\n"
    "highlight = no\n"
    "highlight_color = #FFE000\n"
    "highlight_mode = word\n"
    "highlight_scale = 100\n"
    "outline2 = 0\n"
    "outline2_color = #FFFFFF\n"
    "glow = 0\n"
    "glow_color = #FFFFFFB3\n"
    "shadow_x = 0\n"
    "shadow_y = 0\n"
    "first_line_scale = 100\n";

/* Then the title and the cover are copies of the captions' style with
 * these changes. */
static const char base_title_cover[] =
    "title.size = 0.05\n"
    "title.align = top\n"
    "title.outline = 0.004\n"
    "cover.size = 0.08\n"
    "cover.align = middle\n"
    "cover.outline = 0.006\n"
    "cover.shadow = 0.003\n";

typedef struct preset {
    const char *name, *description, *text;
    int look; /* a flash look: the title and the cover are drawn like the
                 captions (title 60 % of their size at the top, cover 130 %
                 in the middle) */
} preset;

static const preset presets[] = {
    {"classic", N_("white text with a dark outline, bottom of the safe area (the default)"),
     "# the base: white, bold, dark outline\n", 0},
    {"box", N_("white text on a translucent rounded dark box"),
     "outline = 0\n"
     "shadow = 0\n"
     "size = 0.042\n"
     "box = rounded\n"
     "box_color = #000000A6\n"
     "box_padding = 0.009\n"
     "box_radius = 0.012\n"
     "title.outline = 0\n"
     "title.shadow = 0\n"
     "title.box = rounded\n"
     "title.box_color = #000000A6\n"
     "title.box_padding = 0.01\n"
     "cover.outline = 0\n"
     "cover.shadow = 0\n"
     "cover.box = rounded\n"
     "cover.box_color = #000000B3\n"
     "cover.box_padding = 0.016\n"
     "cover.box_radius = 0.018\n", 0},
    {"news", N_("lower-third bar: white text on a blue bar with a red edge, left-aligned"),
     "size = 0.038\n"
     "outline = 0\n"
     "shadow = 0\n"
     "box = bar\n"
     "box_color = #0B3A82E6\n"
     "box_padding = 0.008\n"
     "accent_color = #E60012\n"
     "accent_width = 0.006\n"
     "align = bottom-left\n"
     "title.outline = 0\n"
     "title.shadow = 0\n"
     "title.box = bar\n"
     "title.box_color = #E60012E6\n"
     "title.box_padding = 0.01\n"
     "title.accent_color = #FFFFFF\n"
     "title.accent_width = 0.006\n"
     "title.align = top-left\n"
     "cover.outline = 0\n"
     "cover.shadow = 0\n"
     "cover.box = bar\n"
     "cover.box_color = #0B3A82E6\n"
     "cover.box_padding = 0.016\n"
     "cover.accent_color = #E60012\n"
     "cover.accent_width = 0.008\n", 0},
    {"flash", N_("big bold yellow text with a black outline and shadow, centred (快闪)"),
     "size = 0.07\n"
     "color = #FFE400\n"
     "outline = 0.004\n"
     "outline_color = #000000\n"
     "shadow = 0.005\n"
     "shadow_color = #000000B3\n"
     "align = middle\n"
     "highlight_color = #FF3B30\n"
     "title.size = 0.055\n"
     "title.color = #FFE400\n"
     "title.outline_color = #000000\n"
     "title.shadow = 0.004\n"
     "title.shadow_color = #000000B3\n"
     "cover.size = 0.1\n"
     "cover.color = #FFE400\n"
     "cover.outline = 0.007\n"
     "cover.outline_color = #000000\n"
     "cover.shadow = 0.008\n"
     "cover.shadow_color = #000000B3\n", 0},
    {"karaoke", N_("word highlight: the words sung or spoken so far turn cyan, the current one pops"),
     "highlight = yes\n"
     "highlight_mode = fill\n"
     "highlight_color = #3FD8FF\n"
     "highlight_scale = 112\n"
     "outline_color = #0A0A28\n"
     "title.outline_color = #0A0A28\n"
     "cover.outline_color = #0A0A28\n", 0},
    /* Flash looks (花字): centred big bold text for flash cards, usable as
     * caption styles too. */
    {"yellow", N_("黄字粗黑边: big yellow text with a thick black outline"),
     "size = 0.08\n"
     "align = middle\n"
     "color = #FFE600\n"
     "outline = 0.006\n"
     "outline_color = #000000\n"
     "shadow = 0\n"
     "highlight_color = #FF2D2D\n", 1},
    {"redblock", N_("红底白字: white text on a solid red block"),
     "size = 0.075\n"
     "align = middle\n"
     "outline = 0\n"
     "shadow = 0\n"
     "box = rect\n"
     "box_color = #E60012\n"
     "box_padding = 0.014\n"
     "highlight_color = #FFE600\n", 1},
    {"double", N_("双层描边: white text, a red outline and a white one around it"),
     "size = 0.08\n"
     "align = middle\n"
     "outline = 0.003\n"
     "outline_color = #E8162B\n"
     "outline2 = 0.0045\n"
     "outline2_color = #FFFFFF\n"
     "shadow = 0.003\n"
     "shadow_color = #00000066\n"
     "highlight_color = #FFE600\n", 1},
    {"glow", N_("柔光: white text in a soft golden halo"),
     "size = 0.078\n"
     "align = middle\n"
     "color = #FFFFFF\n"
     "outline = 0.0015\n"
     "outline_color = #FFB300\n"
     "shadow = 0\n"
     "glow = 0.012\n"
     "glow_color = #FF9F0AE6\n"
     "highlight_color = #FFE14D\n", 1},
    {"offset", N_("硬投影: white text with a solid pink shadow shifted down and right"),
     "size = 0.08\n"
     "align = middle\n"
     "outline = 0.003\n"
     "outline_color = #111111\n"
     "shadow_x = 0.006\n"
     "shadow_y = 0.006\n"
     "shadow_color = #FF2D78\n"
     "highlight_color = #FFE600\n", 1},
    {"bubble", N_("对话气泡: dark text in a white speech bubble with a tail"),
     "size = 0.066\n"
     "align = middle\n"
     "color = #1A1A1A\n"
     "outline = 0\n"
     "shadow = 0\n"
     "box = bubble\n"
     "box_color = #FFFFFF\n"
     "box_padding = 0.014\n"
     "box_radius = 0.022\n"
     "highlight_color = #E60012\n", 1},
    {"number", N_("大数字: a big first line (a number) over a smaller caption"),
     "size = 0.055\n"
     "align = middle\n"
     "color = #FFE600\n"
     "outline = 0.005\n"
     "outline_color = #000000\n"
     "shadow = 0.003\n"
     "shadow_color = #00000099\n"
     "first_line_scale = 250\n"
     "highlight_color = #FF2D2D\n", 1},
    {"neon", N_("霓虹: cyan neon tubes, a thin bright outline in a blue glow"),
     "size = 0.078\n"
     "align = middle\n"
     "color = #E8FFFF\n"
     "outline = 0.002\n"
     "outline_color = #00E5FF\n"
     "shadow = 0\n"
     "glow = 0.01\n"
     "glow_color = #0091FFF2\n"
     "highlight_color = #FF4FD8\n", 1},
    {"tape", N_("黄底黑字胶带: black text on a yellow tape strip"),
     "size = 0.072\n"
     "align = middle\n"
     "color = #111111\n"
     "outline = 0\n"
     "shadow = 0\n"
     "box = rect\n"
     "box_color = #FFE600\n"
     "box_padding = 0.008\n"
     "highlight_color = #E60012\n", 1},
};
#define N_PRESETS (int)(sizeof presets / sizeof *presets)

int zimu_style_count(void)
{
    return N_PRESETS;
}

const char *zimu_style_name(int i)
{
    return i >= 0 && i < N_PRESETS ? presets[i].name : NULL;
}

const char *zimu_style_description(int i)
{
    return i >= 0 && i < N_PRESETS ? zimu__tr(presets[i].description) : NULL;
}

const char *zimu__style_preset_names(void)
{
    /* the table's names, in order (a test checks) */
    return "classic, box, news, flash, karaoke, yellow, redblock, double, glow, offset, "
           "bubble, number, neon, tape";
}

const char *zimu__style_preset_text(int i)
{
    return i >= 0 && i < N_PRESETS ? presets[i].text : NULL;
}

/* ------------------------------------------------------------------------
 * Values.
 */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static int parse_color(const char *s, zimu_color *c)
{
    if (!strcmp(s, "none") || !strcmp(s, "transparent")) {
        *c = (zimu_color){0, 0, 0, 0};
        return 0;
    }
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 7 && n != 9))
        return -1;
    uint8_t v[4] = {0, 0, 0, 255};
    for (size_t i = 0; i < (n - 1) / 2; i++) {
        int hi = hexval(s[1 + 2 * i]), lo = hexval(s[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        v[i] = (uint8_t)(hi * 16 + lo);
    }
    *c = (zimu_color){v[0], v[1], v[2], v[3]};
    return 0;
}

static int parse_bool(const char *s, int *b)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcmp(s, yes[i])) {
            *b = 1;
            return 0;
        }
        if (!strcmp(s, no[i])) {
            *b = 0;
            return 0;
        }
    }
    return -1;
}

static const struct {
    const char *name;
    int an;
} aligns[] = {
    {"bottom-left", 1}, {"bottom", 2}, {"bottom-right", 3},
    {"left", 4}, {"middle", 5}, {"center", 5}, {"centre", 5}, {"right", 6},
    {"top-left", 7}, {"top", 8}, {"top-right", 9},
};

/* Valid UTF-8 without control characters. */
static int utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        if (!len || c < 0x20 || c == 0x7F)
            return 0;
        for (int k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80)
                return 0;
        if (len == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)))
            return 0;
        if (len == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)))
            return 0;
        p += len;
    }
    return 1;
}

/* ------------------------------------------------------------------------
 * Keys.
 */

enum { K_FONT, K_BOOL, K_LEN, K_COLOR, K_BOX, K_ALIGN, K_HLMODE, K_PERCENT, K_SCALE };

typedef struct keydef {
    const char *name;
    int type;
    size_t off;            /* in zimu_text_style */
    double max_frac, max_px; /* K_LEN: limits; min is 0 (or min_pos) */
    int positive;          /* K_LEN: must be > 0 */
} keydef;

#define OFF(f) offsetof(zimu_text_style, f)
static const keydef keys[] = {
    {"font", K_FONT, OFF(font), 0, 0, 0},
    {"bold", K_BOOL, OFF(bold), 0, 0, 0},
    {"italic", K_BOOL, OFF(italic), 0, 0, 0},
    {"size", K_LEN, OFF(size), 0.3, 1000, 1},
    {"color", K_COLOR, OFF(color), 0, 0, 0},
    {"outline", K_LEN, OFF(outline), 0.05, 100, 0},
    {"outline_color", K_COLOR, OFF(outline_color), 0, 0, 0},
    {"shadow", K_LEN, OFF(shadow), 0.05, 100, 0},
    {"shadow_color", K_COLOR, OFF(shadow_color), 0, 0, 0},
    {"spacing", K_LEN, OFF(spacing), 0.05, 100, 0},
    {"box", K_BOX, OFF(box), 0, 0, 0},
    {"box_color", K_COLOR, OFF(box_color), 0, 0, 0},
    {"box_padding", K_LEN, OFF(box_padding), 0.05, 200, 0},
    {"box_radius", K_LEN, OFF(box_radius), 0.05, 200, 0},
    {"accent_color", K_COLOR, OFF(accent_color), 0, 0, 0},
    {"accent_width", K_LEN, OFF(accent_width), 0.05, 100, 0},
    {"align", K_ALIGN, OFF(align), 0, 0, 0},
    {"margin_v", K_LEN, OFF(margin_v), 0.4, 4000, 0},
    {"margin_h", K_LEN, OFF(margin_h), 0.4, 4000, 0},
    {"highlight", K_BOOL, OFF(highlight), 0, 0, 0},
    {"highlight_color", K_COLOR, OFF(highlight_color), 0, 0, 0},
    {"highlight_mode", K_HLMODE, OFF(highlight_mode), 0, 0, 0},
    {"highlight_scale", K_PERCENT, OFF(highlight_scale), 0, 0, 0},
    {"outline2", K_LEN, OFF(outline2), 0.05, 100, 0},
    {"outline2_color", K_COLOR, OFF(outline2_color), 0, 0, 0},
    {"glow", K_LEN, OFF(glow), 0.05, 100, 0},
    {"glow_color", K_COLOR, OFF(glow_color), 0, 0, 0},
    {"shadow_x", K_LEN, OFF(shadow_x), 0.05, 100, 0},
    {"shadow_y", K_LEN, OFF(shadow_y), 0.05, 100, 0},
    {"first_line_scale", K_SCALE, OFF(first_line_scale), 0, 0, 0},
};
#define N_KEYS (sizeof keys / sizeof *keys)

static const char key_list[] = N_(
    "font, bold, italic, size, color, outline, outline_color, shadow, shadow_color, "
    "spacing, box, box_color, box_padding, box_radius, accent_color, accent_width, "
    "align, margin_v, margin_h, highlight, highlight_color, highlight_mode, "
    "highlight_scale, outline2, outline2_color, glow, glow_color, shadow_x, shadow_y, "
    "first_line_scale; prefix title. or cover. for the title and the cover");

#define BAD(...) zimu__fail(c, ZIMU_ESTYLE, __VA_ARGS__)

static int set_value(zimu_ctx *c, zimu_text_style *ts, const keydef *k, const char *value,
                     const char *where, const char *key)
{
    void *field = (char *)ts + k->off;
    size_t n = strlen(value);
    switch (k->type) {
    case K_FONT:
        if (!n)
            return BAD("%s: key '%s': the font name is empty", where, key);
        if (n >= ZIMU__FONT_MAX)
            return BAD("%s: key '%s': the font name is longer than %d bytes", where, key,
                       ZIMU__FONT_MAX - 1);
        if (!utf8_ok(value))
            return BAD("%s: key '%s': the font name is not valid UTF-8 text", where, key);
        if (strpbrk(value, ",{}\\"))
            return BAD("%s: key '%s': a font name may not contain , { } or \\", where, key);
        memcpy(field, value, n + 1);
        ts->font_chosen = 1; /* the presets' own is unmarked again */
        return 0;
    case K_BOOL:
        if (parse_bool(value, field) < 0)
            return BAD("%s: key '%s': '%s' is not yes or no", where, key, value);
        return 0;
    case K_LEN: {
        zimu_len l = {0};
        int px = n > 2 && !strcmp(value + n - 2, "px");
        if (zimu__parse_decimal(value, px ? n - 2 : n, &l.v) < 0)
            return BAD("%s: key '%s': '%s' is not a fraction of the frame (0.045) or "
                       "pixels (60px)", where, key, value);
        l.px = px;
        if (k->positive && !(l.v > 0))
            return BAD("%s: key '%s': must be more than 0", where, key);
        if (!px && l.v > k->max_frac)
            return BAD("%s: key '%s': %s of the frame is more than %g; for pixels "
                       "write '%spx'", where, key, value, k->max_frac, value);
        if (px && l.v > k->max_px)
            return BAD("%s: key '%s': %s is more than %gpx", where, key, value, k->max_px);
        if (!strcmp(k->name, "size") && (px ? l.v < 4 : l.v < 0.005))
            return BAD("%s: key '%s': %s is too small to read (at least 0.005 or 4px)", where,
                       key, value);
        *(zimu_len *)field = l;
        return 0;
    }
    case K_COLOR:
        if (parse_color(value, field) < 0)
            return BAD("%s: key '%s': '%s' is not a colour #RRGGBB or #RRGGBBAA (AA: "
                       "opacity, FF opaque) or none", where, key, value);
        return 0;
    case K_BOX: {
        static const char *const names[] = {"none", "rect", "rounded", "bar", "bubble"};
        for (int i = 0; i < 5; i++)
            if (!strcmp(value, names[i])) {
                *(int *)field = i;
                return 0;
            }
        return BAD("%s: key '%s': '%s' is not one of none, rect, rounded, bar, bubble", where, key,
                   value);
    }
    case K_ALIGN: {
        if (n == 1 && value[0] >= '1' && value[0] <= '9') {
            *(int *)field = value[0] - '0';
            return 0;
        }
        for (size_t i = 0; i < sizeof aligns / sizeof *aligns; i++)
            if (!strcmp(value, aligns[i].name)) {
                *(int *)field = aligns[i].an;
                return 0;
            }
        return BAD("%s: key '%s': '%s' is not bottom, top, middle, bottom-left, "
                   "bottom-right, left, right, top-left, top-right or 1..9", where, key, value);
    }
    case K_HLMODE:
        if (!strcmp(value, "word"))
            *(int *)field = ZIMU__HL_WORD;
        else if (!strcmp(value, "fill"))
            *(int *)field = ZIMU__HL_FILL;
        else
            return BAD("%s: key '%s': '%s' is not word or fill", where, key, value);
        return 0;
    case K_PERCENT: {
        double v;
        size_t m = n && value[n - 1] == '%' ? n - 1 : n;
        if (zimu__parse_decimal(value, m, &v) < 0 || v < 100 || v > 150)
            return BAD("%s: key '%s': '%s' is not a percentage from 100 to 150", where, key,
                       value);
        *(int *)field = (int)(v + 0.5);
        return 0;
    }
    case K_SCALE: {
        double v;
        size_t m = n && value[n - 1] == '%' ? n - 1 : n;
        if (zimu__parse_decimal(value, m, &v) < 0 || v < 100 || v > 300)
            return BAD("%s: key '%s': '%s' is not a percentage from 100 to 300", where, key,
                       value);
        *(int *)field = (int)(v + 0.5);
        return 0;
    }
    }
    return BAD("%s: key '%s': internal error", where, key);
}

int zimu__style_set(zimu_ctx *c, zimu_style *st, const char *key, const char *value,
                    const char *where)
{
    zimu_text_style *ts = &st->caption;
    const char *k = key;
    if (!strncmp(k, "title.", 6)) {
        ts = &st->title;
        k += 6;
    } else if (!strncmp(k, "cover.", 6)) {
        ts = &st->cover;
        k += 6;
    }
    for (size_t i = 0; i < N_KEYS; i++)
        if (!strcmp(k, keys[i].name))
            return set_value(c, ts, &keys[i], value, where, key);
    if (!strcmp(key, "base"))
        return BAD("%s: key 'base': only a style file can start from a preset (its first "
                   "key)", where);
    return BAD("%s: key '%s': unknown key (keys: %s)", where, key, zimu__tr(key_list));
}

/* ------------------------------------------------------------------------
 * Files.
 */

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* One "key = value" line (or an empty or comment line) applied to st.
 * *first: no key seen yet (so "base" is allowed). */
static int parse_line(zimu_ctx *c, const char *name, size_t ln, const char *s, size_t n,
                      zimu_style *st, int *first)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", name, ln);
    while (n && is_space(*s))
        s++, n--;
    /* A comment: a line starting with # or ;, or " #" and a space after a
     * value (a colour's # is followed by its digits). */
    if (!n || *s == '#' || *s == ';')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '#' && is_space(s[i - 1]) && (i + 1 == n || is_space(s[i + 1]))) {
            n = i;
            break;
        }
    while (n && is_space(s[n - 1]))
        n--;
    const char *eq = memchr(s, '=', n);
    if (!eq)
        return BAD("%s: '%.*s' is not a 'key = value' line", where, (int)(n > 60 ? 60 : n), s);
    size_t kn = (size_t)(eq - s);
    while (kn && is_space(s[kn - 1]))
        kn--;
    const char *v = eq + 1;
    size_t vn = n - (size_t)(v - s);
    while (vn && is_space(*v))
        v++, vn--;
    if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"')
        v++, vn -= 2;
    char key[64], value[512];
    if (!kn)
        return BAD("%s: a line '= %.*s' has no key", where, (int)(vn > 60 ? 60 : vn), v);
    if (kn >= sizeof key)
        return BAD("%s: key '%.40s...': unknown key (keys: %s)", where, s, zimu__tr(key_list));
    memcpy(key, s, kn);
    key[kn] = 0;
    if (vn >= sizeof value)
        return BAD("%s: key '%s': the value is longer than %zu bytes", where, key,
                   sizeof value - 1);
    memcpy(value, v, vn);
    value[vn] = 0;
    if (!vn)
        return BAD("%s: key '%s': no value", where, key);
    if (!strcmp(key, "base")) {
        if (!*first)
            return BAD("%s: key 'base': must be the first key of the file", where);
        *first = 0;
        if (zimu__style_preset(value, st) < 0)
            return BAD("%s: key 'base': '%s' is not a preset (%s)", where, value,
                       zimu__style_preset_names());
        return 0;
    }
    *first = 0;
    return zimu__style_set(c, st, key, value, where);
}

int zimu__style_parse(zimu_ctx *c, const char *name, const char *data, size_t size,
                      zimu_style *st)
{
    if (!name)
        name = "style";
    if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        data += 3, size -= 3;
    size_t pos = 0, ln = 0;
    int first = 1;
    while (pos < size) {
        ln++;
        size_t e = pos;
        while (e < size && data[e] != '\n' && data[e] != '\r')
            e++;
        if (memchr(data + pos, 0, e - pos))
            return BAD("%s:%zu: NUL byte in the line", name, ln);
        int r = parse_line(c, name, ln, data + pos, e - pos, st, &first);
        if (r < 0)
            return r;
        if (e < size && data[e] == '\r' && e + 1 < size && data[e + 1] == '\n')
            e++;
        pos = e + 1;
    }
    return 0;
}

/* Lines of built-in text; an error here is a bug, reported as such. */
static int apply_builtin(zimu_style *st, const char *text)
{
    zimu_ctx c = {0};
    return zimu__style_parse(&c, "builtin", text, strlen(text), st);
}

/* A flash look's title and cover: its captions' style, 60 % of their
 * size at the top (a title as big as the cards would meet them in the
 * middle) and 130 % in the middle, without a big first line. */
static void look_title_cover(zimu_style *st)
{
    zimu_len size = st->caption.size;
    st->title = st->caption;
    st->cover = st->caption;
    st->title.size.v = size.v * 0.6;
    st->title.align = 8;
    st->cover.size.v = size.v * 1.3;
    st->cover.align = 5;
    /* a title is a heading, not a number card (and a big title above a
     * card would push the card off the screen) */
    st->title.first_line_scale = 100;
    st->cover.first_line_scale = 100;
}

int zimu__style_preset(const char *name, zimu_style *st)
{
    for (int i = 0; i < N_PRESETS; i++) {
        if (strcmp(name, presets[i].name))
            continue;
        memset(st, 0, sizeof *st);
        if (apply_builtin(st, base_text) < 0)
            return ZIMU_ESTYLE;
        st->title = st->caption;
        st->cover = st->caption;
        if (apply_builtin(st, base_title_cover) < 0 || apply_builtin(st, presets[i].text) < 0)
            return ZIMU_ESTYLE;
        if (presets[i].look)
            look_title_cover(st);
        /* The presets' font is no one's choice: Traditional Chinese text
         * is drawn in the Traditional face instead (zimu__style_han_faces). */
        st->caption.font_chosen = st->title.font_chosen = st->cover.font_chosen = 0;
        return 0;
    }
    return ZIMU_ESTYLE;
}

int zimu__style_resolve(zimu_ctx *c, const zimu_capopts *cap, const char *font,
                        zimu_style *st)
{
    const char *name = cap && cap->style ? cap->style : "classic";
    if (zimu__style_preset(name, st) < 0) {
        /* not a preset: a style file, starting from classic */
        char *data;
        size_t size;
        int r = zimu__read_file(c, name, cap ? cap->max_file_size : 0, ZIMU_ESTYLE, NULL,
                                &data, &size);
        if (r == ZIMU_ENOMEM || r == ZIMU_ECANCEL)
            return r;
        if (r == ZIMU_ESTYLE) /* too big: the message says so */
            return r;
        if (r < 0) {
            /* a near miss of a preset's name, not a path */
            const char *presets[64];
            int n = 0;
            while (n < 64 && (presets[n] = zimu_style_name(n)))
                n++;
            char hint[64] = "";
            if (!strchr(name, '/') && !strchr(name, '.'))
                zimu__did_you_mean(name, presets, (size_t)n, hint, sizeof hint);
            return zimu__fail_file(c, ZIMU_ESTYLE, name,
                                   "style '%s' is neither a preset (%s) nor a readable "
                                   "style file%s", name, zimu__style_preset_names(), hint);
        }
        if (zimu__style_preset("classic", st) < 0) {
            free(data);
            return BAD("built-in style 'classic' is broken");
        }
        r = zimu__style_parse(c, name, data, size, st);
        free(data);
        if (r < 0)
            return r == ZIMU_ENOMEM ? r : zimu__set_errfile(c, r, name);
    }
    if (font && *font) {
        if (strlen(font) >= ZIMU__FONT_MAX || strpbrk(font, ",{}\\\r\n") || !utf8_ok(font))
            return BAD("font '%s': a font name may not contain , { } \\ or line breaks, "
                       "nor be longer than %d bytes", font, ZIMU__FONT_MAX - 1);
        snprintf(st->caption.font, sizeof st->caption.font, "%s", font);
        snprintf(st->title.font, sizeof st->title.font, "%s", font);
        snprintf(st->cover.font, sizeof st->cover.font, "%s", font);
        st->caption.font_chosen = st->title.font_chosen = st->cover.font_chosen = 1;
    }
    for (size_t i = 0; cap && i < cap->n_style_opts; i++) {
        int r = zimu__style_set(c, st, cap->style_keys[i], cap->style_values[i],
                                zimu__tr("style option"));
        if (r < 0)
            return r;
    }
    return 0;
}

static void han_face_of(zimu_text_style *ts, int han)
{
    const char *face = zimu__chinese_face(han);
    if (face && !ts->font_chosen && !strcmp(ts->font, ZIMU__FONT_SANS))
        snprintf(ts->font, sizeof ts->font, "%s", face);
}

void zimu__style_han_faces(zimu_style *st, int han_caption, int han_title)
{
    han_face_of(&st->caption, han_caption);
    han_face_of(&st->title, han_title);
    han_face_of(&st->cover, han_title);
}
