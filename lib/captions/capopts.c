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
