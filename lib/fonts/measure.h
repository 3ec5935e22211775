/* measure.h - the width libass gives a line of text, without rendering. */
#ifndef ZIMU_MEASURE_H
#define ZIMU_MEASURE_H

#include <pthread.h>
#include <stddef.h>

#include "internal.h"

typedef struct zimu_measure zimu_measure;

/* A measurer for text in family (bold: 0 regular, 1 bold, or a weight such
 * as 700) at style font size font_size, in a script whose PlayResX/Y equal
 * the frame size, so that widths are frame pixels. Faces are chosen as
 * libass 0.17.1 chooses them with the fontconfig configuration conf_path
 * (from zimu__fonts_config(); NULL: the system configuration), falling back
 * per character as libass does, and sized as libass sizes them (by the
 * font's usWinAscent + usWinDescent, so \fs100 Noto CJK Han advances about
 * 69 px). conf_path must exist until zimu__measure_free().
 * Returns 0, ZIMU_EINVAL, ZIMU_EFONT or ZIMU_ENOMEM (message in c). */
int zimu__measure_new(zimu_ctx *c, zimu_measure **m, const char *family,
                      int bold, double font_size, const char *conf_path);

/* The same, choosing faces from db (shared, not freed by the measurer;
 * it must outlive it). Lookups in db are made with lock held (NULL: no
 * lock), so measurers on several threads may share one db. */
typedef struct zimu_fontdb zimu_fontdb;
int zimu__measure_new_db(zimu_ctx *c, zimu_measure **m, const char *family,
                         int bold, double font_size, zimu_fontdb *db,
                         pthread_mutex_t *lock);

/* Match a script's "Kerning: yes" (libass shapes without kerning unless the
 * script asks for it). Default 0. */
void zimu__measure_set_kerning(zimu_measure *m, int kerning);

/* The advance width in pixels of utf8[0..len) laid out on one line: the
 * sum of the glyph advances libass uses to position and align the line.
 * ASS override blocks "{...}" take no width; '\n' and other control
 * characters take none either. Invalid UTF-8 bytes count as U+FFFD. The
 * inked box of the rendered line differs from this by the side bearings of
 * its first and last glyph plus the outline. */
double zimu__measure_text(zimu_measure *m, const char *utf8, size_t len);

void zimu__measure_free(zimu_measure **m);

#endif
