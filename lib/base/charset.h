/* charset.h - caption file bytes in any common encoding -> UTF-8. */
#ifndef ZIMU_CHARSET_H
#define ZIMU_CHARSET_H

#include <stddef.h>

#include "internal.h"

/* Length of the byte-order mark at the start of data (UTF-8, UTF-16 LE/BE,
 * UTF-32 LE/BE, GB18030), 0 if none; *enc (may be NULL) receives the
 * encoding it names. */
size_t zimu__charset_bom(const unsigned char *data, size_t size,
                         const char **enc);

/* Offset of the first byte that does not belong to well-formed UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF are not
 * well-formed), or size when all of it is. */
size_t zimu__utf8_check(const char *data, size_t size);

/* The encoding of data by its BOM, UTF-8 validity, the pattern of zero
 * bytes (UTF-16 without BOM), uchardet and, for text uchardet takes for a
 * single-byte Western encoding, a count of common Chinese characters in a
 * GB18030 and a Big5 reading. GB2312/GBK guesses are reported as GB18030,
 * Big5 as CP950 (its Windows superset). Returns an iconv name (static
 * string), or NULL when nothing fits. */
const char *zimu__charset_detect(const char *data, size_t size);

/* The iconv name zimu uses for a user's encoding name: GB2312, GBK, CP936
 * and EUC-CN become GB18030, BIG5 becomes CP950; anything else is returned
 * as given. */
const char *zimu__charset_normalize(const char *enc);

/* Convert data to UTF-8: *out is malloc'd and NUL-terminated (*out_size
 * excludes the NUL); a BOM is dropped. enc forces the encoding (NULL:
 * detect). *used (may be NULL) receives the encoding used, a static string.
 * Bytes that do not decode: ZIMU_ECHARSET "name:LINE: bytes are not valid
 * GB18030; if the file is in another encoding, give it with --charenc /
 * zimu_job_set_charenc (for example Big5)"; a NUL character inside the
 * text, an encoding iconv does not know, a detected file whose lines are
 * in two encodings: ZIMU_ECHARSET too. */
int zimu__charset_to_utf8(zimu_ctx *c, const char *name, const char *data,
                          size_t size, const char *enc, char **out,
                          size_t *out_size, const char **used);

/* The same, for a file that is not a caption file (a batch manifest): the
 * messages end with fixed_hint ("; save it as UTF-8") instead of the hint
 * to name the encoding (--charenc / zimu_job_set_charenc, which every
 * message of zimu__charset_to_utf8 ends with). fixed_hint NULL: that hint.
 * The one exception, either way: a file whose lines are in two encodings,
 * which no encoding reads, is told to be saved in one ("...; save the whole
 * file in one encoding (UTF-8)"). */
int zimu__charset_decode(zimu_ctx *c, const char *name, const char *data,
                         size_t size, const char *enc, const char *fixed_hint,
                         char **out, size_t *out_size, const char **used);

/* The code point at s (n > 0 bytes left) and its length in *used; a byte
 * that does not start a valid UTF-8 sequence reads as U+FFFD, length 1. */
uint32_t zimu__utf8_next(const unsigned char *s, size_t n, size_t *used);

#endif
