/* glyphs.c - characters of the captions that no font can draw.
 *
 * libass draws a character that no font has as an empty box (or nothing),
 * and says so only in its debug log. Captions are checked once, before
 * rendering, so that the user hears of it with the caption and code point
 * instead of finding boxes in the video. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "fontctx.h"
#include "glyphs.h"

/* The code points seen so far: an open-addressed set (key + 1; 0 empty),
 * so each distinct character costs one font lookup. */
typedef struct seen {
    uint32_t *v;
    size_t cap, n;
} seen;

/* 1 if cp was already in the set, 0 if it was added, < 0 out of memory. */
static int seen_add(seen *s, uint32_t cp)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap ? 2 * s->cap : 512;
        uint32_t *nv = calloc(ncap, sizeof *nv);
        if (!nv)
            return ZIMU_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i]) {
                size_t h = (s->v[i] * 2654435761u) & (ncap - 1);
                while (nv[h])
                    h = (h + 1) & (ncap - 1);
                nv[h] = s->v[i];
            }
        free(s->v);
        s->v = nv;
        s->cap = ncap;
    }
    uint32_t key = cp + 1;
    size_t h = (key * 2654435761u) & (s->cap - 1);
    while (s->v[h]) {
        if (s->v[h] == key)
            return 1;
        h = (h + 1) & (s->cap - 1);
    }
    s->v[h] = key;
    s->n++;
    return 0;
}

/* Characters libass draws as nothing, whether a font has them or not: C0
 * controls, and Unicode's default-ignorable code points (joiners, format
 * controls, variation selectors, tags), which HarfBuzz, libass's shaper,
 * hides. DEL and the C1 controls are drawn as boxes. */
static int invisible(uint32_t cp)
{
    return cp < 0x20 || cp == 0xAD || cp == 0x34F || cp == 0x61C ||
           (cp >= 0x115F && cp <= 0x1160) || (cp >= 0x17B4 && cp <= 0x17B5) ||
           (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
           cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
           cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8) ||
           (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

typedef struct check {
    zimu_ctx *c;
    zimu_fonts *fonts;
    const char *family;
    int error;
    seen seen;
} check;

/* Report cp, found in what (the caption's description). */
static int report(check *k, const char *what, uint32_t cp, const unsigned char *s, size_t l)
{
    /* The character itself, in brackets, unless it is a control one. */
    char ch[16] = "";
    if (cp >= 0xA0 && l <= 4) {
        memcpy(ch, " (", 2);
        memcpy(ch + 2, s, l);
        memcpy(ch + 2 + l, ")", 2);
    }
    if (k->error)
        return zimu__fail(k->c, ZIMU_EGLYPH, "%s: U+%04X%s has no glyph in any font; it "
                          "would show as an empty box", what, (unsigned)cp, ch);
    zimu__log(k->c, ZIMU_LOG_WARNING, "%s: U+%04X%s has no glyph in any font; it would "
              "show as an empty box", what, (unsigned)cp, ch);
    return 0;
}

/* What text shows, as libass reads it: override blocks "{...}" show
 * nothing, nor do drawings ("{\p1}m 0 0 l ..." up to "{\p0}"); "\N",
 * "\n" and "\h" are a line break and a hard space. */
static int check_text(check *k, const char *text, const char *(*what)(void *), void *arg)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    int drawing = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '{') {
            const unsigned char *e = memchr(s + i, '}', n - i);
            if (e) {
                for (const unsigned char *p = s + i; p + 2 < e; p++)
                    if (p[0] == '\\' && p[1] == 'p' && p[2] >= '0' && p[2] <= '9')
                        drawing = p[2] != '0';
                i = (size_t)(e - s) + 1;
                continue;
            }
        }
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == 'N' || s[i + 1] == 'n' || s[i + 1] == 'h')) {
            i += 2;
            continue;
        }
        size_t l;
        uint32_t cp = zimu__utf8_next(s + i, n - i, &l);
        if (!drawing && !invisible(cp)) {
            int r = seen_add(&k->seen, cp);
            if (r < 0)
                return zimu__fail(k->c, ZIMU_ENOMEM, "out of memory");
            if (!r && !zimu__fonts_has_glyph(k->fonts, k->family, 0, cp) &&
                (r = report(k, what(arg), cp, s + i, l)) < 0)
                return r;
        }
        i += l;
    }
    return 0;
}

typedef struct cue_what {
    const zimu_cues *cues;
    size_t i;
    char buf[512];
} cue_what;

static const char *describe_cue(void *arg)
{
    cue_what *w = arg;
    int64_t ms = w->cues->v[w->i].start_ms;
    const char *sign = ms < 0 ? "-" : "";
    if (ms < 0)
        ms = -ms;
    snprintf(w->buf, sizeof w->buf, zimu__tr("%s: caption %zu at %s%d:%02d:%02d.%03d"),
             w->cues->name ? w->cues->name : zimu__tr("captions"), w->i + 1, sign,
             (int)(ms / 3600000), (int)(ms / 60000 % 60), (int)(ms / 1000 % 60),
             (int)(ms % 1000));
    return w->buf;
}

static const char *describe_title(void *arg)
{
    (void)arg;
    return "title";
}

int zimu__glyphs_check(zimu_ctx *c, zimu_fonts *fonts, const zimu_cues *cues,
                       const zimu_capopts *cap, int cover)
{
    check k = {
        .c = c, .fonts = fonts,
        .family = cap && cap->font && *cap->font ? cap->font : ZIMU__FONT_DEFAULT,
        .error = cap && cap->missing_glyphs == ZIMU_GLYPHS_ERROR,
    };
    int r = 0;
    if (cap && cap->title)
        r = check_text(&k, cap->title, describe_title, NULL);
    cue_what w = {.cues = cues};
    for (size_t i = 0; r >= 0 && !cover && cues && i < cues->n; i++) {
        w.i = i;
        if (cues->v[i].text)
            r = check_text(&k, cues->v[i].text, describe_cue, &w);
    }
    free(k.seen.v);
    return r;
}
