/* fuzz_style.c - libFuzzer target: a style file (zimu__style_parse, what
 * zimu_job_set_style reads a file with) applied over a preset, and a
 * style-settings string ("size=0.05, color=#FFD700", what
 * zimu_job_set_style_options takes) resolved into a style as a job does.
 * The input is the file, then a NUL byte and the settings; the preset is
 * picked by the input's length.
 * Built by `make fuzz` (tests/fuzz/fuzz.mk); seeds in corpus/style/. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capopts.h"
#include "charset.h"
#include "style.h"

static void style_check_len(zimu_len l, int positive)
{
    if (!isfinite(l.v) || l.v < 0 || (positive && !(l.v > 0)) || (l.px != 0 && l.px != 1) ||
        l.v > (l.px ? 4000 : 0.4))
        abort();
}

/* What every key's checks promise of a text style. */
static void style_check_ts(const zimu_text_style *t)
{
    size_t n = strnlen(t->font, sizeof t->font);
    if (!n || n >= sizeof t->font || zimu__utf8_check(t->font, n) != n ||
        strpbrk(t->font, ",{}\\"))
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t->font[i] < 0x20 || t->font[i] == 0x7F)
            abort();
    if ((t->bold | t->italic | t->highlight | t->font_chosen) & ~1)
        abort();
    style_check_len(t->size, 1);
    const zimu_len *l[] = {&t->outline, &t->shadow, &t->spacing, &t->box_padding,
                           &t->box_radius, &t->accent_width, &t->margin_v, &t->margin_h,
                           &t->outline2, &t->glow, &t->shadow_x, &t->shadow_y};
    for (size_t i = 0; i < sizeof l / sizeof *l; i++)
        style_check_len(*l[i], 0);
    if (t->box < ZIMU__BOX_NONE || t->box > ZIMU__BOX_BUBBLE || t->align < 1 || t->align > 9 ||
        (t->highlight_mode != ZIMU__HL_WORD && t->highlight_mode != ZIMU__HL_FILL) ||
        t->highlight_scale < 100 || t->highlight_scale > 150 || t->first_line_scale < 100 ||
        t->first_line_scale > 300)
        abort();
}

static int style_len_eq(zimu_len a, zimu_len b)
{
    return a.v == b.v && a.px == b.px;
}

static int style_ts_eq(const zimu_text_style *a, const zimu_text_style *b)
{
    return !strcmp(a->font, b->font) && a->font_chosen == b->font_chosen &&
           a->bold == b->bold && a->italic == b->italic && style_len_eq(a->size, b->size) &&
           !memcmp(&a->color, &b->color, sizeof a->color) &&
           !memcmp(&a->outline_color, &b->outline_color, sizeof a->color) &&
           !memcmp(&a->shadow_color, &b->shadow_color, sizeof a->color) &&
           !memcmp(&a->box_color, &b->box_color, sizeof a->color) &&
           !memcmp(&a->accent_color, &b->accent_color, sizeof a->color) &&
           !memcmp(&a->highlight_color, &b->highlight_color, sizeof a->color) &&
           !memcmp(&a->outline2_color, &b->outline2_color, sizeof a->color) &&
           !memcmp(&a->glow_color, &b->glow_color, sizeof a->color) &&
           style_len_eq(a->outline, b->outline) && style_len_eq(a->shadow, b->shadow) &&
           style_len_eq(a->spacing, b->spacing) && style_len_eq(a->box_padding, b->box_padding) &&
           style_len_eq(a->box_radius, b->box_radius) &&
           style_len_eq(a->accent_width, b->accent_width) &&
           style_len_eq(a->margin_v, b->margin_v) && style_len_eq(a->margin_h, b->margin_h) &&
           style_len_eq(a->outline2, b->outline2) && style_len_eq(a->glow, b->glow) &&
           style_len_eq(a->shadow_x, b->shadow_x) && style_len_eq(a->shadow_y, b->shadow_y) &&
           a->box == b->box && a->align == b->align && a->highlight == b->highlight &&
           a->highlight_mode == b->highlight_mode && a->highlight_scale == b->highlight_scale &&
           a->first_line_scale == b->first_line_scale;
}

static void style_check(const zimu_style *st)
{
    style_check_ts(&st->caption);
    style_check_ts(&st->title);
    style_check_ts(&st->cover);
}

/* "where: ..." with where "name:LINE" when line. */
static void style_check_msg(const zimu_ctx *c, const char *where, int line)
{
    size_t n = strlen(where);
    if (strncmp(c->errmsg, where, n) || c->errmsg[n] != ':' ||
        (line && !(c->errmsg[n + 1] >= '1' && c->errmsg[n + 1] <= '9')))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    const char *nul = memchr(d, 0, size);
    size_t file_size = nul ? (size_t)(nul - d) : size;
    const char *preset = zimu_style_name((int)(size % (size_t)zimu_style_count()));
    zimu_ctx c = {0};

    /* the file, over the preset; applied twice, the same style */
    zimu_style st, again;
    if (zimu__style_preset(preset, &st) < 0)
        abort();
    style_check(&st);
    int r = zimu__style_parse(&c, "fuzz.style", d, file_size, &st);
    if (r < 0) {
        if (r != ZIMU_ESTYLE)
            abort();
        style_check_msg(&c, "fuzz.style", 1);
    } else {
        style_check(&st);
        again = st;
        if (zimu__style_parse(&c, "fuzz.style", d, file_size, &again) < 0 ||
            !style_ts_eq(&st.caption, &again.caption) || !style_ts_eq(&st.title, &again.title) ||
            !style_ts_eq(&st.cover, &again.cover))
            abort();
    }

    /* the settings, over the preset */
    if (!nul)
        return 0;
    char *settings = strndup(nul + 1, size - file_size - 1);
    if (!settings)
        abort();
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup(preset);
    r = zimu__cap_set_style_options(&c, &cap, settings);
    if (r < 0) {
        if (r != ZIMU_EINVAL || !strstr(c.errmsg, "is not key=value"))
            abort();
    } else {
        for (size_t i = 0; i < cap.n_style_opts; i++) {
            const char *k = cap.style_keys[i], *v = cap.style_values[i];
            size_t kn = strlen(k), vn = strlen(v);
            if (!kn || !vn || strchr(k, ',') || strchr(v, ',') || strchr(k, '=') ||
                k[0] == ' ' || k[kn - 1] == ' ' || v[0] == ' ' || v[vn - 1] == ' ')
                abort();
        }
        r = zimu__style_resolve(&c, &cap, NULL, &st);
        if (r < 0) {
            if (r != ZIMU_ESTYLE)
                abort();
            style_check_msg(&c, "style option", 0);
        } else {
            style_check(&st);
        }
    }
    zimu__capopts_clear(&cap);
    free(settings);
    return 0;
}
