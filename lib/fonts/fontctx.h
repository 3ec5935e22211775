/* fontctx.h - the font context (zimu_fonts in zimu.h): the fontconfig
 * configuration libass reads, and the font db text is measured with, made
 * once and shared by every renderer on every thread. */
#ifndef ZIMU_FONTCTX_H
#define ZIMU_FONTCTX_H

#include "fonts.h"
#include "internal.h"
#include "measure.h"

/* A new reference to a loaded context. */
zimu_fonts *zimu__fonts_ref(zimu_fonts *f);
/* Drop a reference (*f set to NULL); the last one frees the context. */
void zimu__fonts_unref(zimu_fonts **f);
/* 1 once zimu_fonts_load() succeeded. */
int zimu__fonts_loaded(const zimu_fonts *f);
/* A new temporary file holding the configuration, for ass_set_fonts():
 * the caller removes it (unlink, free) as soon as libass has read it. */
int zimu__fonts_conf_file(zimu_fonts *f, zimu_ctx *c, char **path);
/* 1 when a font libass would use for code in family (bold: 0, 1 or a
 * weight) has a glyph for it: the family, the default family or any font
 * of the fallback order, as zimu__fontdb_select() chooses; 0 when no font
 * of the context can draw it (libass draws an empty box), or the context
 * is not loaded. Safe on any thread. */
int zimu__fonts_has_glyph(zimu_fonts *f, const char *family, int bold, uint32_t code);
/* The extra fonts directory, or NULL. */
const char *zimu__fonts_dir(const zimu_fonts *f);
/* A measurer for family/bold/size using the context's font db (see
 * zimu__measure_new_db); errors go to c. */
int zimu__fonts_measure(zimu_fonts *f, zimu_ctx *c, zimu_measure **m,
                        const char *family, int bold, double font_size);

#endif
