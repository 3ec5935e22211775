/* fonts.h - the fontconfig set-up zimu hands to libass, and a font lookup
 * that picks faces the way libass 0.17 does with that set-up. */
#ifndef ZIMU_FONTS_H
#define ZIMU_FONTS_H

#include <stdint.h>

#include "internal.h"
#include "sbuf.h"

/* The faces Chinese captions use. Pass ZIMU__FONT_DEFAULT as the default
 * family of ass_set_fonts(): zimu__fontdb_select() assumes it, so that
 * measured widths match what libass draws when a style names a family
 * that is not installed. */
#define ZIMU__FONT_SANS "Noto Sans CJK SC"
#define ZIMU__FONT_SERIF "Noto Serif CJK SC"
#define ZIMU__FONT_DEFAULT ZIMU__FONT_SANS

/* Write a fontconfig configuration to a new temporary file and return its
 * path in *conf_path (malloc'd; the caller unlinks the file and frees the
 * path when libass and every zimu_fontdb made from it are done with it).
 * The configuration:
 * - includes the system configuration (FONTCONFIG_FILE or
 *   /etc/fonts/fonts.conf), so every installed font stays usable;
 * - adds fonts_dir (may be NULL) as a font directory, made absolute;
 * - maps the names of fonts Chinese ASS files name but that are not here
 *   (微软雅黑, 黑体, 宋体, 楷体, PingFang SC, 方正 fonts ...) to the closest
 *   Noto CJK SC face: sans or serif, and bold where the name says so;
 * - ranks Noto Sans CJK SC (not the JP variant fontconfig would pick) first
 *   among the CJK fonts libass falls back to, and Symbola after them, so
 *   Han text and emoji without a named font still render.
 * Use: ass_set_fonts(r, NULL, ZIMU__FONT_DEFAULT, ASS_FONTPROVIDER_FONTCONFIG,
 *                    conf_path, 1).
 * Returns 0, ZIMU_EFONT (fonts_dir unusable, file not writable) or
 * ZIMU_ENOMEM; the message is in c. */
int zimu__fonts_config(zimu_ctx *c, const char *fonts_dir, char **conf_path);
/* The same configuration as text, into *out (zeroed first; the caller
 * frees out->s). */
int zimu__fonts_config_text(zimu_ctx *c, const char *fonts_dir, zimu_sbuf *out);
/* Write configuration text to a new temporary file in
 * zimu__fonts_tmpdir(), named "zimu-fonts-HOST-PID-XXXXXXXX.conf"
 * (zimu__temp_owned), its path in *conf_path (malloc'd; the caller unlinks
 * and frees it as soon as libass has read it). */
int zimu__fonts_config_write(zimu_ctx *c, const char *text, size_t len, char **conf_path);
#define ZIMU__FONTS_CONF_PREFIX "zimu-fonts-"
#define ZIMU__FONTS_CONF_SUFFIX ".conf"
/* Where those files go: $TMPDIR, or /tmp. */
const char *zimu__fonts_tmpdir(void);

/* The fonts of one configuration, chosen as libass 0.17.1's fontconfig
 * provider chooses them: family substitutions from the configuration,
 * family then full or PostScript name, nearest weight, then the default
 * family, then the first font covering the character in fontconfig's
 * sans-serif fallback order. */
typedef struct zimu_fontdb zimu_fontdb;

/* conf_path as written by zimu__fonts_config(), or NULL for the system
 * configuration. 0, ZIMU_EFONT or ZIMU_ENOMEM. */
int zimu__fontdb_new(zimu_ctx *c, zimu_fontdb **db, const char *conf_path);
/* The same from the configuration's text (no file). */
int zimu__fontdb_new_text(zimu_ctx *c, zimu_fontdb **db, const char *conf_text);
/* The face libass would load for text in family (weight 700 when bold) that
 * must contain code (0: any face of the family). *path is owned by db and
 * valid until zimu__fontdb_free(). Returns 0, or ZIMU_EFONT (and no
 * message) when no font fits; *family_out (may be NULL) receives the face's
 * first family name, owned by db. */
int zimu__fontdb_select(zimu_fontdb *db, const char *family, int bold,
                        uint32_t code, const char **path, int *index,
                        const char **family_out);
/* 1 when a font of the fallback order has code: then
 * zimu__fontdb_select() finds a face for it whatever the family. One
 * charset lookup, no font matching. */
int zimu__fontdb_covers(zimu_fontdb *db, uint32_t code);
void zimu__fontdb_free(zimu_fontdb **db);

#endif
