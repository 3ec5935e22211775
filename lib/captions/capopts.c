/* capopts.c - the caption settings shared by jobs and zimu_subs. */
#include <stdlib.h>
#include <string.h>

#include "capopts.h"
#include "internal.h"

void zimu__capopts_init(zimu_capopts *o)
{
    memset(o, 0, sizeof *o);
    o->sub_stream = -1;
    o->time_scale = 1.0;
    o->max_lines = 2;
    o->max_file_size = ZIMU__MAX_FILE_DEFAULT;
    o->logo_corner = ZIMU_CORNER_TOP_RIGHT;
}

void zimu__capopts_clear(zimu_capopts *o)
{
    free(o->charenc);
    free(o->style);
    for (size_t i = 0; i < o->n_style_opts; i++) {
        free(o->style_keys[i]);
        free(o->style_values[i]);
    }
    free(o->style_keys);
    free(o->style_values);
    free(o->safe_area);
    free(o->title);
    free(o->font);
    free(o->logo);
    zimu__capopts_init(o);
}

int zimu__capopts_add_style_opt(zimu_capopts *o, const char *key, const char *value)
{
    char **k = realloc(o->style_keys, (o->n_style_opts + 1) * sizeof *k);
    if (!k)
        return ZIMU_ENOMEM;
    o->style_keys = k;
    char **v = realloc(o->style_values, (o->n_style_opts + 1) * sizeof *v);
    if (!v)
        return ZIMU_ENOMEM;
    o->style_values = v;
    char *kc = strdup(key), *vc = strdup(value);
    if (!kc || !vc) {
        free(kc);
        free(vc);
        return ZIMU_ENOMEM;
    }
    k[o->n_style_opts] = kc;
    v[o->n_style_opts] = vc;
    o->n_style_opts++;
    return 0;
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return src && !*dst ? ZIMU_ENOMEM : 0;
}

int zimu__capopts_copy(zimu_capopts *dst, const zimu_capopts *o)
{
    *dst = *o;
    dst->charenc = dst->style = dst->safe_area = dst->title = dst->font = dst->logo = NULL;
    dst->style_keys = dst->style_values = NULL;
    dst->n_style_opts = 0;
    int r = dup_or_null(&dst->charenc, o->charenc);
    if (!r)
        r = dup_or_null(&dst->style, o->style);
    if (!r)
        r = dup_or_null(&dst->safe_area, o->safe_area);
    if (!r)
        r = dup_or_null(&dst->title, o->title);
    if (!r)
        r = dup_or_null(&dst->font, o->font);
    if (!r)
        r = dup_or_null(&dst->logo, o->logo);
    for (size_t i = 0; !r && i < o->n_style_opts; i++)
        r = zimu__capopts_add_style_opt(dst, o->style_keys[i], o->style_values[i]);
    if (r < 0)
        zimu__capopts_clear(dst);
    return r;
}

int zimu__cap_set_str(zimu_ctx *c, char **dst, const char *src)
{
    char *copy = NULL;
    if (src && *src && !(copy = strdup(src)))
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    free(*dst);
    *dst = copy;
    return 0;
}

int zimu__cap_set_style_option(zimu_ctx *c, zimu_capopts *o, const char *key,
                               const char *value)
{
    if (!key || !*key || !value)
        return zimu__fail(c, ZIMU_EINVAL, "style option needs a key and a value");
    if (zimu__capopts_add_style_opt(o, key, value) < 0)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    return 0;
}

/* [p, p+n) without spaces at either end. */
static char *trimmed(const char *p, size_t n)
{
    while (n && *p == ' ')
        p++, n--;
    while (n && p[n - 1] == ' ')
        n--;
    return strndup(p, n);
}

int zimu__cap_set_style_options(zimu_ctx *c, zimu_capopts *o, const char *settings)
{
    if (!settings)
        return zimu__fail(c, ZIMU_EINVAL, "style settings are NULL");
    const char *p = settings;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        char *key = eq ? trimmed(p, (size_t)(eq - p)) : NULL;
        char *val = eq ? trimmed(eq + 1, n - (size_t)(eq - p) - 1) : NULL;
        int r;
        if (eq && (!key || !val))
            r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        else if (!eq || !*key || !*val)
            r = zimu__fail(c, ZIMU_EINVAL, "'%.*s' is not key=value (for example "
                                           "size=0.05,color=#FFD700)", (int)n, p);
        else
            r = zimu__cap_set_style_option(c, o, key, val);
        free(key);
        free(val);
        if (r < 0)
            return r;
        p = end ? end + 1 : p + n;
    }
    return 0;
}

int zimu__cap_set_max_lines(zimu_ctx *c, zimu_capopts *o, int max_lines)
{
    if (max_lines < 1 || max_lines > 10)
        return zimu__fail(c, ZIMU_EINVAL, "max lines %d is not in 1..10", max_lines);
    o->max_lines = max_lines;
    return 0;
}

int zimu__cap_set_logo(zimu_ctx *c, zimu_capopts *o, const char *png_path, int corner,
                       double width_fraction)
{
    if (corner < ZIMU_CORNER_TOP_LEFT || corner > ZIMU_CORNER_BOTTOM_RIGHT)
        return zimu__fail(c, ZIMU_EINVAL, "logo corner %d is not valid", corner);
    if (width_fraction > 1)
        return zimu__fail(c, ZIMU_EINVAL, "logo width %g is more than the frame", width_fraction);
    o->logo_corner = corner;
    o->logo_width = width_fraction > 0 ? width_fraction : 0.15;
    return zimu__cap_set_str(c, &o->logo, png_path);
}
