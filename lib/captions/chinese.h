/* chinese.h - Simplified and Traditional Chinese: conversion between them
 * with OpenCC (its phrase tables, then its character tables), and which
 * of them a text is written in, for the face it is drawn with. */
#ifndef ZIMU_CHINESE_H
#define ZIMU_CHINESE_H

#include "cue.h"
#include "internal.h"

/* The script text is drawn for: which Noto Sans CJK face suits it (the
 * punctuation sits in the corner in SC, centred in TC and HK). */
enum {
    ZIMU__HAN_UNSET = 0, /* not known: drawn as SC */
    ZIMU__HAN_SC,        /* Simplified, and text with no Han at all */
    ZIMU__HAN_TC,        /* Traditional (OpenCC's standard forms, Taiwan) */
    ZIMU__HAN_HK,        /* Traditional, Hong Kong forms */
};

/* The Noto Sans CJK face of a script: "Noto Sans CJK TC" or "... HK";
 * NULL for SC and unset (the presets' own face, Noto Sans CJK SC). */
const char *zimu__chinese_face(int han);

/* Conversion modes: 0 is none, 1.. OpenCC's standard configurations. */
#define ZIMU__CHINESE_NONE 0

/* The mode named name: NULL, "" and "none" are ZIMU__CHINESE_NONE, "s2t"
 * ... its number. Another name: ZIMU_EINVAL with a message listing the
 * modes (and the nearest one when the name is one edit or two away). */
int zimu__chinese_mode(zimu_ctx *c, const char *name);
/* Name, one-line description and target script (ZIMU__HAN_*) of mode i
 * (1..); NULL / -1 out of range. */
const char *zimu__chinese_mode_name(int mode);
const char *zimu__chinese_mode_description(int mode);
int zimu__chinese_target(int mode);

/* The OpenCC converters a handle has opened, one per mode, opened the
 * first time a mode is used (opening one reads its dictionaries: about
 * 30 ms for the Simplified-to-Traditional ones) and kept until the handle
 * is freed. One cache, one thread at a time. */
typedef struct zimu_chinese zimu_chinese;
zimu_chinese *zimu__chinese_new(void);
void zimu__chinese_free(zimu_chinese **cc);
/* Open mode's converter now, so that a missing OpenCC package is found
 * when the mode is set: 0, or ZIMU_ESUBS ("... install the Debian package
 * libopencc-data ...") or ZIMU_ENOMEM. */
int zimu__chinese_open(zimu_ctx *c, zimu_chinese *cc, int mode);

/* Convert text (cue text, or ASS event text) with mode: everything outside
 * override blocks ({...}), which are kept as they are (a font name in
 * {\fn微软雅黑} stays the name it is). *out: malloc'd. 0, ZIMU_ESUBS,
 * ZIMU_ENOMEM. */
int zimu__chinese_text(zimu_ctx *c, zimu_chinese *cc, int mode, const char *text,
                       char **out);
/* Convert cues [from, n) of l: text, ASS event text, and the word timings'
 * offsets into the new text. Marks the list as written for mode's target
 * (l->han). 0, ZIMU_ESUBS, ZIMU_ENOMEM (the cues are then as they were). */
int zimu__chinese_cues(zimu_ctx *c, zimu_chinese *cc, int mode, zimu_cues *l, size_t from);

/* The script a text is written in (ZIMU__HAN_SC or ZIMU__HAN_TC): over its
 * Han characters, T = how many OpenCC's t2s changes (each character on its
 * own) and S = how many its s2t changes; Traditional when T > S. So text
 * with no character proper to either script is SC. The texts are fed with
 * _add, outside override blocks; then _result. A failure to open OpenCC
 * gives SC, with a warning in c's log. */
typedef struct zimu_han_count zimu_han_count;
zimu_han_count *zimu__han_count_new(void);
/* Count the Han characters of text. 0 or ZIMU_ENOMEM. */
int zimu__han_count_add(zimu_han_count *h, const char *text);
int zimu__han_count_result(zimu_ctx *c, zimu_chinese *cc, zimu_han_count *h);
void zimu__han_count_free(zimu_han_count **h);
/* The script of a list of cues: l->han when a conversion set it, else
 * counted over every cue's text; ZIMU__HAN_UNSET for an ASS script's
 * events (drawn in the script's own styles). */
int zimu__chinese_cues_script(zimu_ctx *c, zimu_chinese *cc, const zimu_cues *l);
/* The script of one text (NULL: SC). */
int zimu__chinese_text_script(zimu_ctx *c, zimu_chinese *cc, const char *text);

/* Tests: read OpenCC's configurations from dir instead of its data
 * folder (NULL: back to it), to see the message a machine without the
 * data package gives. Not for use while other threads convert. */
void zimu__chinese_set_data_dir(const char *dir);

#endif
