/* measure.c - line widths as libass 0.17.1 lays the text out.
 *
 * How libass arrives at a glyph advance, and so what is reproduced here:
 * - the face comes from its font selection (fonts.c mirrors it), with more
 *   faces added when a character is missing from those loaded so far;
 * - each face's ascender/descender are replaced by the OS/2 usWinAscent/
 *   usWinDescent (as GDI does), and the face is sized with a "real
 *   dimension" request: ascender + descender = the requested size;
 * - with hinting off (libass's default), text is shaped at 256 px and each
 *   glyph advance is scaled to the real size and rounded to 1/64 px;
 * - HarfBuzz shapes runs of one face and one script; advances come from
 *   FreeType's glyph metrics (default load flags), kerning only when the
 *   script asks for it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <hb-ft.h>
#include <hb.h>

#include "charset.h"
#include "fonts.h"
#include "measure.h"

#define MAX_FACES 10   /* libass's ASS_FONT_MAX_FACES */
#define SHAPE_SIZE 256.0 /* libass shapes unhinted text at this size */
#define LOAD_FLAGS (FT_LOAD_DEFAULT | FT_LOAD_IGNORE_GLOBAL_ADVANCE_WIDTH | \
                    FT_LOAD_IGNORE_TRANSFORM)
#define CP_CACHE 2048  /* single characters' widths, direct-mapped */

typedef struct adv_entry {
    uint32_t glyph; /* glyph + 1; 0 = empty */
    int32_t adv;    /* 26.6 at SHAPE_SIZE */
} adv_entry;

typedef struct mface {
    FT_Face face;
    hb_font_t *hb;
    char *path;
    int index;
    adv_entry *adv; /* open addressing */
    size_t adv_n, adv_cap;
} mface;

struct zimu_measure {
    zimu_ctx *c;
    zimu_fontdb *db;
    int own_db;            /* db is freed with the measurer */
    pthread_mutex_t *lock; /* held around lookups in a shared db */
    FT_Library ft;
    hb_font_funcs_t *funcs;
    hb_buffer_t *buf;
    char *family;
    int bold;
    double size;
    int kerning;
    mface faces[MAX_FACES];
    int n_faces;
    /* decoded text of the current call */
    uint32_t *cp;
    int *face_of;
    hb_script_t *script;
    size_t cap;
    struct {
        uint32_t cp;   /* cp + 1; 0 = empty */
        int32_t w;     /* 26.6 at the real size */
    } cache[CP_CACHE];
};

/* ------------------------------------------------------------------------
 * Faces.
 */

/* GDI's vertical metrics, as libass sets them before sizing. */
static void win_metrics(FT_Face face)
{
    TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
    if (os2) {
        short asc = (short)os2->usWinAscent, desc = (short)os2->usWinDescent;
        if (asc + desc != 0) {
            face->ascender = asc;
            face->descender = (FT_Short)-desc;
            face->height = (FT_Short)(asc + desc);
        }
    }
    if (face->ascender - face->descender == 0 || face->height == 0) {
        if (os2 && os2->sTypoAscender - os2->sTypoDescender != 0) {
            face->ascender = os2->sTypoAscender;
            face->descender = os2->sTypoDescender;
        } else {
            face->ascender = (FT_Short)face->bbox.yMax;
            face->descender = (FT_Short)face->bbox.yMin;
        }
        face->height = (FT_Short)(face->ascender - face->descender);
    }
}

static int32_t glyph_advance(mface *f, hb_codepoint_t glyph)
{
    if (f->adv_cap) {
        size_t i = (glyph * 2654435761u) & (f->adv_cap - 1);
        while (f->adv[i].glyph) {
            if (f->adv[i].glyph == glyph + 1)
                return f->adv[i].adv;
            i = (i + 1) & (f->adv_cap - 1);
        }
    }
    int32_t adv = 0;
    if (!FT_Load_Glyph(f->face, glyph, LOAD_FLAGS))
        adv = (int32_t)f->face->glyph->metrics.horiAdvance;
    if (f->adv_n * 2 >= f->adv_cap) {
        size_t cap = f->adv_cap ? f->adv_cap * 2 : 256;
        adv_entry *t = calloc(cap, sizeof *t);
        if (!t)
            return adv; /* uncached, still right */
        for (size_t k = 0; k < f->adv_cap; k++) {
            if (!f->adv[k].glyph)
                continue;
            size_t i = ((f->adv[k].glyph - 1) * 2654435761u) & (cap - 1);
            while (t[i].glyph)
                i = (i + 1) & (cap - 1);
            t[i] = f->adv[k];
        }
        free(f->adv);
        f->adv = t;
        f->adv_cap = cap;
    }
    size_t i = (glyph * 2654435761u) & (f->adv_cap - 1);
    while (f->adv[i].glyph)
        i = (i + 1) & (f->adv_cap - 1);
    f->adv[i].glyph = glyph + 1;
    f->adv[i].adv = adv;
    f->adv_n++;
    return adv;
}

/* HarfBuzz callbacks: font_data is the mface. */
static hb_bool_t cb_nominal(hb_font_t *font, void *data, hb_codepoint_t u,
                            hb_codepoint_t *glyph, void *user)
{
    mface *f = data;
    (void)font;
    (void)user;
    *glyph = FT_Get_Char_Index(f->face, u);
    return *glyph != 0;
}

static hb_bool_t cb_variation(hb_font_t *font, void *data, hb_codepoint_t u,
                              hb_codepoint_t vs, hb_codepoint_t *glyph,
                              void *user)
{
    mface *f = data;
    (void)font;
    (void)user;
    *glyph = FT_Face_GetCharVariantIndex(f->face, u, vs);
    return *glyph != 0;
}

static hb_position_t cb_h_advance(hb_font_t *font, void *data,
                                  hb_codepoint_t glyph, void *user)
{
    (void)font;
    (void)user;
    return glyph_advance(data, glyph);
}

static hb_bool_t cb_h_origin(hb_font_t *font, void *data, hb_codepoint_t g,
                             hb_position_t *x, hb_position_t *y, void *user)
{
    (void)font;
    (void)data;
    (void)g;
    (void)user;
    *x = *y = 0;
    return 1;
}

static hb_position_t cb_h_kerning(hb_font_t *font, void *data,
                                  hb_codepoint_t a, hb_codepoint_t b,
                                  void *user)
{
    mface *f = data;
    FT_Vector k;
    (void)font;
    (void)user;
    if (FT_Get_Kerning(f->face, a, b, FT_KERNING_DEFAULT, &k))
        return 0;
    return (hb_position_t)k.x;
}

static hb_bool_t cb_extents(hb_font_t *font, void *data, hb_codepoint_t g,
                            hb_glyph_extents_t *e, void *user)
{
    mface *f = data;
    (void)font;
    (void)user;
    if (FT_Load_Glyph(f->face, g, LOAD_FLAGS))
        return 0;
    FT_Glyph_Metrics *mt = &f->face->glyph->metrics;
    e->x_bearing = (hb_position_t)mt->horiBearingX;
    e->y_bearing = (hb_position_t)mt->horiBearingY;
    e->width = (hb_position_t)mt->width;
    e->height = (hb_position_t)-mt->height;
    return 1;
}

static int add_face(zimu_measure *m, const char *path, int index)
{
    for (int i = 0; i < m->n_faces; i++)
        if (m->faces[i].index == index && !strcmp(m->faces[i].path, path))
            return i;
    if (m->n_faces == MAX_FACES)
        return -1;
    mface *f = &m->faces[m->n_faces];
    memset(f, 0, sizeof *f);
    if (FT_New_Face(m->ft, path, index, &f->face))
        return -1;
    win_metrics(f->face);
    FT_Size_RequestRec rq = {
        .type = FT_SIZE_REQUEST_TYPE_REAL_DIM,
        .width = 0,
        .height = (FT_Long)lrint(SHAPE_SIZE * 64),
    };
    if (FT_Request_Size(f->face, &rq))
        goto fail;
    f->path = strdup(path);
    f->index = index;
    hb_face_t *hf = hb_ft_face_create_referenced(f->face);
    f->hb = hb_font_create(hf);
    hb_face_destroy(hf);
    if (!f->path || !hb_font_get_face(f->hb) ||
        hb_font_get_face(f->hb) == hb_face_get_empty())
        goto fail;
    const FT_Size_Metrics *sm = &f->face->size->metrics;
    hb_font_set_scale(f->hb,
                      (int)(((uint64_t)sm->x_scale * f->face->units_per_EM) >> 16),
                      (int)(((uint64_t)sm->y_scale * f->face->units_per_EM) >> 16));
    hb_font_set_ppem(f->hb, sm->x_ppem, sm->y_ppem);
    hb_font_set_funcs(f->hb, m->funcs, f, NULL); /* takes a reference */
    return m->n_faces++;
fail:
    if (f->hb)
        hb_font_destroy(f->hb);
    free(f->path);
    FT_Done_Face(f->face);
    memset(f, 0, sizeof *f);
    return -1;
}

static int select_face(zimu_measure *m, uint32_t u, const char **path, int *index)
{
    if (m->lock)
        pthread_mutex_lock(m->lock);
    int r = zimu__fontdb_select(m->db, m->family, m->bold, u, path, index, NULL);
    if (m->lock)
        pthread_mutex_unlock(m->lock);
    return r;
}

/* Face for code point u, as libass's ass_font_get_index() finds it: the
 * first loaded face that has it, else a newly selected one. -1: none. */
static int face_for(zimu_measure *m, uint32_t u)
{
    if (u == 0xA0)
        u = ' ';
    for (int i = 0; i < m->n_faces; i++)
        if (FT_Get_Char_Index(m->faces[i].face, u))
            return i;
    const char *path;
    int index;
    if (select_face(m, u, &path, &index) < 0)
        return m->n_faces ? 0 : -1;
    int i = add_face(m, path, index);
    return i < 0 ? 0 : i;
}

/* ------------------------------------------------------------------------
 * Life cycle.
 */

/* A measurer without its font db yet. */
static int measure_alloc(zimu_ctx *c, zimu_measure **out, const char *family,
                         int bold, double font_size)
{
    if (!out)
        return zimu__fail(c, ZIMU_EINVAL, "measure: no output handle");
    *out = NULL;
    if (!(font_size > 0) || font_size > 10000)
        return zimu__fail(c, ZIMU_EINVAL, "measure: font size %g is not "
                          "valid", font_size);
    zimu_measure *m = calloc(1, sizeof *m);
    if (!m)
        return zimu__fail(c, ZIMU_ENOMEM, "measure: out of memory");
    m->c = c;
    m->bold = bold;
    m->size = font_size;
    m->family = strdup(family && *family ? family : ZIMU__FONT_DEFAULT);
    if (!m->family) {
        zimu__measure_free(&m);
        return zimu__fail(c, ZIMU_ENOMEM, "measure: out of memory");
    }
    *out = m;
    return 0;
}

static int measure_start(zimu_ctx *c, zimu_measure **out);

int zimu__measure_new(zimu_ctx *c, zimu_measure **out, const char *family,
                      int bold, double font_size, const char *conf_path)
{
    int rc = measure_alloc(c, out, family, bold, font_size);
    if (rc < 0)
        return rc;
    (*out)->own_db = 1;
    if ((rc = zimu__fontdb_new(c, &(*out)->db, conf_path)) < 0) {
        zimu__measure_free(out);
        return rc;
    }
    return measure_start(c, out);
}

int zimu__measure_new_db(zimu_ctx *c, zimu_measure **out, const char *family,
                         int bold, double font_size, zimu_fontdb *db,
                         pthread_mutex_t *lock)
{
    int rc = measure_alloc(c, out, family, bold, font_size);
    if (rc < 0)
        return rc;
    (*out)->db = db;
    (*out)->lock = lock;
    return measure_start(c, out);
}

/* FreeType, HarfBuzz and the family's first face. */
static int measure_start(zimu_ctx *c, zimu_measure **out)
{
    zimu_measure *m = *out;
    int rc;
    if (FT_Init_FreeType(&m->ft)) {
        m->ft = NULL;
        zimu__measure_free(out);
        return zimu__fail(c, ZIMU_EFONT, "measure: FreeType cannot start");
    }
    m->funcs = hb_font_funcs_create();
    hb_font_funcs_set_nominal_glyph_func(m->funcs, cb_nominal, NULL, NULL);
    hb_font_funcs_set_variation_glyph_func(m->funcs, cb_variation, NULL,
                                           NULL);
    hb_font_funcs_set_glyph_h_advance_func(m->funcs, cb_h_advance, NULL,
                                           NULL);
    hb_font_funcs_set_glyph_h_origin_func(m->funcs, cb_h_origin, NULL, NULL);
    hb_font_funcs_set_glyph_h_kerning_func(m->funcs, cb_h_kerning, NULL,
                                           NULL);
    hb_font_funcs_set_glyph_extents_func(m->funcs, cb_extents, NULL, NULL);
    hb_font_funcs_make_immutable(m->funcs);
    m->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(m->buf)) {
        zimu__measure_free(out);
        return zimu__fail(c, ZIMU_ENOMEM, "measure: out of memory");
    }

    const char *path;
    int index;
    if (select_face(m, 0, &path, &index) < 0 || add_face(m, path, index) < 0) {
        rc = zimu__fail(c, ZIMU_EFONT, "measure: no usable font for '%s'",
                        m->family);
        zimu__measure_free(out);
        return rc;
    }
    return 0;
}

void zimu__measure_set_kerning(zimu_measure *m, int kerning)
{
    if (m && m->kerning != !!kerning) {
        m->kerning = !!kerning;
        memset(m->cache, 0, sizeof m->cache);
    }
}

void zimu__measure_free(zimu_measure **pm)
{
    if (!pm || !*pm)
        return;
    zimu_measure *m = *pm;
    for (int i = 0; i < m->n_faces; i++) {
        hb_font_destroy(m->faces[i].hb);
        FT_Done_Face(m->faces[i].face);
        free(m->faces[i].path);
        free(m->faces[i].adv);
    }
    if (m->buf)
        hb_buffer_destroy(m->buf);
    if (m->funcs)
        hb_font_funcs_destroy(m->funcs);
    if (m->ft)
        FT_Done_FreeType(m->ft);
    if (m->own_db)
        zimu__fontdb_free(&m->db);
    free(m->family);
    free(m->cp);
    free(m->face_of);
    free(m->script);
    free(m);
    *pm = NULL;
}

/* ------------------------------------------------------------------------
 * Measuring.
 */


static int grow(zimu_measure *m, size_t n)
{
    if (n <= m->cap)
        return 0;
    size_t cap = m->cap ? m->cap : 64;
    while (cap < n)
        cap *= 2;
    uint32_t *cp = realloc(m->cp, cap * sizeof *cp);
    if (cp)
        m->cp = cp;
    int *fo = realloc(m->face_of, cap * sizeof *fo);
    if (fo)
        m->face_of = fo;
    hb_script_t *sc = realloc(m->script, cap * sizeof *sc);
    if (sc)
        m->script = sc;
    if (!cp || !fo || !sc)
        return -1;
    m->cap = cap;
    return 0;
}

static hb_language_t run_language(hb_script_t s)
{
    /* libass's language for a script when none is set; the scripts that
     * matter to widths here. */
    switch (s) {
    case HB_SCRIPT_LATIN: return hb_language_from_string("en", -1);
    case HB_SCRIPT_HANGUL: return hb_language_from_string("ko", -1);
    case HB_SCRIPT_HIRAGANA:
    case HB_SCRIPT_KATAKANA: return hb_language_from_string("ja", -1);
    case HB_SCRIPT_CYRILLIC: return hb_language_from_string("ru", -1);
    case HB_SCRIPT_GREEK: return hb_language_from_string("el", -1);
    default: return HB_LANGUAGE_INVALID;
    }
}

/* Sum of the rounded 26.6 advances of cp[0..n), all shaped. */
static int64_t shape_width(zimu_measure *m, size_t n)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    /* scripts: common and inherited take their neighbours' */
    hb_script_t last = HB_SCRIPT_UNKNOWN;
    int back = 0;
    for (size_t i = 0; i < n; i++) {
        hb_script_t s = hb_unicode_script(uf, m->cp[i]);
        if (s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED) {
            if (last != HB_SCRIPT_UNKNOWN)
                s = last;
            else
                back = 1;
        } else {
            last = s;
        }
        m->script[i] = s;
    }
    last = HB_SCRIPT_UNKNOWN;
    for (size_t i = n; back && i-- > 0;) {
        hb_script_t s = m->script[i];
        if (s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED) {
            if (last != HB_SCRIPT_UNKNOWN)
                m->script[i] = last;
        } else {
            last = s;
        }
    }
    for (size_t i = 0; i < n; i++)
        m->face_of[i] = m->cp[i] < 0x20 ? -1 : face_for(m, m->cp[i]);

    hb_feature_t feats[] = {
        {HB_TAG('v', 'e', 'r', 't'), 0, 0, (unsigned)-1},
        {HB_TAG('v', 'k', 'n', 'a'), 0, 0, (unsigned)-1},
        {HB_TAG('k', 'e', 'r', 'n'), (uint32_t)m->kerning, 0, (unsigned)-1},
        {HB_TAG('l', 'i', 'g', 'a'), 1, 0, (unsigned)-1},
        {HB_TAG('c', 'l', 'i', 'g'), 1, 0, (unsigned)-1},
    };
    double k = m->size / SHAPE_SIZE;
    int64_t total = 0;
    for (size_t i = 0; i < n;) {
        if (m->face_of[i] < 0) { /* control characters draw nothing */
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && m->face_of[j] == m->face_of[i] &&
               m->script[j] == m->script[i])
            j++;
        mface *f = &m->faces[m->face_of[i]];
        hb_buffer_clear_contents(m->buf);
        hb_buffer_add_utf32(m->buf, m->cp + i, (int)(j - i), 0, (int)(j - i));
        hb_segment_properties_t props = HB_SEGMENT_PROPERTIES_DEFAULT;
        props.direction = HB_DIRECTION_LTR;
        props.script = m->script[i];
        props.language = run_language(m->script[i]);
        hb_buffer_set_segment_properties(m->buf, &props);
        hb_shape(f->hb, m->buf, feats, sizeof feats / sizeof *feats);
        unsigned gn = 0;
        hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(m->buf, &gn);
        for (unsigned g = 0; g < gn; g++)
            total += lrint(pos[g].x_advance * k);
        i = j;
    }
    return total;
}

double zimu__measure_text(zimu_measure *m, const char *utf8, size_t len)
{
    if (!m || !utf8 || !len)
        return 0;
    const unsigned char *s = (const unsigned char *)utf8;
    /* Skip override blocks; an unclosed '{' is text, as libass shows it. */
    if (grow(m, len + 1) < 0)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] == '{') {
            const void *close = memchr(s + i, '}', len - i);
            if (close) {
                i = (size_t)((const unsigned char *)close - s) + 1;
                continue;
            }
        }
        size_t used;
        uint32_t cp = zimu__utf8_next(s + i, len - i, &used);
        i += used;
        m->cp[n++] = cp;
    }
    if (!n)
        return 0;
    if (n == 1) {
        /* Captions measure character by character: keep those. */
        size_t slot = (m->cp[0] * 2654435761u) % CP_CACHE;
        if (m->cache[slot].cp == m->cp[0] + 1)
            return m->cache[slot].w / 64.0;
        int64_t w = shape_width(m, 1);
        m->cache[slot].cp = m->cp[0] + 1;
        m->cache[slot].w = (int32_t)w;
        return w / 64.0;
    }
    return shape_width(m, n) / 64.0;
}
