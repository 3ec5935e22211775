/* fontctx.c - the font context: one fontconfig configuration and one font
 * db, shared read-only by renderers on any threads.
 *
 * libass takes a fontconfig configuration only as a file path and builds
 * its own font provider from it for every renderer; what can be shared is
 * the configuration itself and the font db zimu measures text with (whose
 * fontconfig set-up is the costly part of laying captions out). The
 * configuration is kept as text: the db reads it from memory, and each
 * libass renderer gets a file that is removed as soon as libass has read
 * it (fontconfig resolves a /proc/self/fd path of a memfd to a name it
 * cannot open, so a memfd does not serve). */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fontctx.h"
#include "fonts.h"
#include "tmpfile.h"

struct zimu_fonts {
    zimu_ctx ctx;
    atomic_int refs;
    char *dir;
    int loaded;
    char *conf;          /* the fontconfig configuration's text */
    size_t conf_len;
    zimu_fontdb *db;
    pthread_mutex_t lock; /* lookups in db (fontconfig, lazily filled) */
};

zimu_fonts *zimu_fonts_new(void)
{
    zimu_fonts *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->ctx.magic = ZIMU__MAGIC_FONTS;
    atomic_init(&f->refs, 1);
    pthread_mutex_init(&f->lock, NULL);
    return f;
}

zimu_fonts *zimu__fonts_ref(zimu_fonts *f)
{
    if (f)
        atomic_fetch_add(&f->refs, 1);
    return f;
}

void zimu__fonts_unref(zimu_fonts **pf)
{
    zimu_fonts *f = pf ? *pf : NULL;
    if (!f)
        return;
    *pf = NULL;
    if (atomic_fetch_sub(&f->refs, 1) != 1)
        return;
    zimu__fontdb_free(&f->db);
    free(f->conf);
    free(f->dir);
    pthread_mutex_destroy(&f->lock);
    f->ctx.magic = 0;
    free(f);
}

void zimu_fonts_free(zimu_fonts **f)
{
    /* not a live font context (another kind of handle): left alone */
    if (!f || !*f || (*f)->ctx.magic != ZIMU__MAGIC_FONTS)
        return;
    zimu__fonts_unref(f);
}

int zimu_fonts_set_dir(zimu_fonts *f, const char *dir)
{
    if (!f)
        return ZIMU_EINVAL;
    if (f->ctx.magic != ZIMU__MAGIC_FONTS)
        return ZIMU_EBADHANDLE;
    zimu__clear(&f->ctx);
    if (f->loaded)
        return zimu__fail(&f->ctx, ZIMU_EINVAL,
                          "fonts: the directory must be set before loading");
    char *copy = NULL;
    if (dir && *dir && !(copy = strdup(dir)))
        return zimu__fail(&f->ctx, ZIMU_ENOMEM, "out of memory");
    free(f->dir);
    f->dir = copy;
    return 0;
}

int zimu_fonts_load(zimu_fonts *f)
{
    if (!f)
        return ZIMU_EINVAL;
    if (f->ctx.magic != ZIMU__MAGIC_FONTS)
        return ZIMU_EBADHANDLE;
    zimu__clear(&f->ctx);
    if (f->loaded)
        return 0;
    /* Configuration files left by runs of this host that were killed
     * between writing one and libass reading it. */
    zimu__temp_remove_stale(zimu__fonts_tmpdir(), ZIMU__FONTS_CONF_PREFIX,
                            ZIMU__FONTS_CONF_SUFFIX);
    zimu_sbuf b = {0};
    int r = zimu__fonts_config_text(&f->ctx, f->dir, &b);
    if (r < 0)
        return r;
    if ((r = zimu__fontdb_new_text(&f->ctx, &f->db, b.s)) < 0) {
        free(b.s);
        return r;
    }
    f->conf = b.s;
    f->conf_len = b.len;
    f->loaded = 1;
    return 0;
}

int zimu__fonts_loaded(const zimu_fonts *f)
{
    return f && f->ctx.magic == ZIMU__MAGIC_FONTS && f->loaded;
}

int zimu__fonts_conf_file(zimu_fonts *f, zimu_ctx *c, char **path)
{
    *path = NULL;
    if (!zimu__fonts_loaded(f))
        return zimu__fail(c, ZIMU_EFONT, "fonts: the font context is not loaded");
    return zimu__fonts_config_write(c, f->conf, f->conf_len, path);
}

int zimu__fonts_measure(zimu_fonts *f, zimu_ctx *c, zimu_measure **m,
                        const char *family, int bold, double font_size)
{
    if (!zimu__fonts_loaded(f))
        return zimu__fail(c, ZIMU_EFONT, "fonts: the font context is not loaded");
    return zimu__measure_new_db(c, m, family, bold, font_size, f->db, &f->lock);
}

int zimu__fonts_has_glyph(zimu_fonts *f, const char *family, int bold, uint32_t code)
{
    if (!zimu__fonts_loaded(f))
        return 0;
    const char *path;
    int index;
    /* Nearly every character is in a font of the fallback order; the
     * full selection (a fontconfig substitution and a scan of the fonts)
     * is left for the rest. */
    pthread_mutex_lock(&f->lock);
    int r = zimu__fontdb_covers(f->db, code) ? 0
          : zimu__fontdb_select(f->db, family, bold, code, &path, &index, NULL);
    pthread_mutex_unlock(&f->lock);
    return r == 0;
}

const char *zimu__fonts_dir(const zimu_fonts *f)
{
    return f->dir;
}
