/* script.h - the model of a parsed flash script, shared by the files of
 * lib/flash (script.c parses, schedule.c times, cards.c makes cues and
 * backgrounds). Never seen outside lib/flash: the rest of the library uses
 * flash.h. */
#ifndef ZIMU_FLASH_SCRIPT_H
#define ZIMU_FLASH_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "background.h"
#include "flash.h"

/* Bounds of a script, each refused with a message naming the line. */
#define ZIMU__FLASH_MAX_CARDS 10000
#define ZIMU__FLASH_MAX_LINE 4096      /* bytes of one line */
#define ZIMU__FLASH_MAX_TEXT 1000      /* bytes of one card's text */
#define ZIMU__FLASH_MAX_BGS 64         /* colours in one background list */
#define ZIMU__FLASH_MAX_HOLD 1024.0    /* beats (bars) one card holds */
#define ZIMU__FLASH_MAX_MS ((int64_t)24 * 3600 * 1000) /* times, durations */

/* Defaults (docs/flash.md). */
#define ZIMU__FLASH_DEFAULT_DUR_MS 1500   /* times mode, no dur, no next @ */
#define ZIMU__FLASH_MIN_READ_MS 1000      /* reading mode: at least this */
#define ZIMU__FLASH_DEFAULT_SPEED 5.0     /* characters a second */
#define ZIMU__FLASH_DEFAULT_BG 0x1E2A4A    /* deep navy (RGB): every look reads on it */

/* One of a card's animations as written ("in: pop 0.3"). */
typedef struct zimu_flash_anim {
    int set;     /* given at this level */
    int fx;      /* ZIMU__FX_* */
    int ms;      /* 0: the default */
} zimu_flash_anim;

/* Options of the headers (defaults), a section or a card; each field says
 * whether it was given at that level, so the levels stack: header <
 * section < card. */
typedef struct zimu_flash_opts {
    zimu_flash_anim in, out, loop;
    double hold;          /* beats (bars in downbeats mode); 0: not given */
    int64_t dur_ms;       /* -1: not given */
    int hold_line, dur_line; /* where they were given, for messages */
    int64_t at_ms;        /* "@t" / at: start; -1: not given */
    char *look;           /* preset name, NULL: not given */
    int has_color, has_outline;
    uint8_t color[3], outline[3];
    int align;            /* 8 top, 5 middle, 2 bottom; 0: not given */
    zimu_bg *bg;          /* background list (cycles card by card) */
    int n_bg;             /* 0: not given */
} zimu_flash_opts;

typedef struct zimu_flash_card {
    int line;             /* in the script, for messages */
    int section;          /* index into sections, -1: before any */
    int index_in_section; /* 0.. for cycling a section's background list */
    char *text;           /* cue text: '\n' breaks, ZIMU__KEY_ON/OFF
                             around keywords, braces made fullwidth */
    double units;         /* reading units: CJK characters + words */
    zimu_flash_opts o;
    /* set by zimu__flash_schedule */
    int64_t start_ms, end_ms;
    int beat_ms;          /* the beat length about its start; 0: none */
} zimu_flash_card;

typedef struct zimu_flash_section {
    int line;
    char *title;
    int n_cards;          /* cards so far (cycling its background list) */
    zimu_flash_opts o;
} zimu_flash_section;

struct zimu_flash_script {
    char *name;
    zimu_flash_info info;      /* strings below are owned by the script */
    char *music;
    char *look;
    double speed;              /* characters a second (reading mode) */
    zimu_flash_opts defaults;  /* card options given as headers */
    zimu_flash_card *cards;
    size_t n_cards, cap_cards;
    zimu_flash_section *sections;
    size_t n_sections, cap_sections;
    int scheduled;
    int64_t length_ms;
};

/* Effective value of an option over the three levels (NULL section ok). */
const zimu_flash_opts *zimu__flash_pick(const zimu_flash_script *s,
                                        const zimu_flash_card *k, int field);

/* Fields for zimu__flash_pick. */
enum {
    ZIMU__FO_IN, ZIMU__FO_OUT, ZIMU__FO_LOOP, ZIMU__FO_HOLD, ZIMU__FO_DUR,
    ZIMU__FO_LOOK, ZIMU__FO_COLOR, ZIMU__FO_OUTLINE, ZIMU__FO_ALIGN,
    ZIMU__FO_BG,
};

/* Is field given in o? */
int zimu__flash_opts_has(const zimu_flash_opts *o, int field);

/* ------------------------------------------------------------------------
 * Parsing (script.c: lines and card text; options.c: keys and values).
 */

/* Where the parser is, for messages. */
typedef struct zimu_flash_pctx {
    zimu_ctx *c;
    const char *name;
    int line;
    char where[96]; /* "name:LINE" */
} zimu_flash_pctx;

/* Keys of headers and options. */
enum {
    ZIMU__FK_SIZE, ZIMU__FK_FPS, ZIMU__FK_MUSIC, ZIMU__FK_TIMING, ZIMU__FK_BPM,
    ZIMU__FK_FIRST_BEAT, ZIMU__FK_SPEED, ZIMU__FK_LOOK, ZIMU__FK_IN, ZIMU__FK_OUT,
    ZIMU__FK_LOOP, ZIMU__FK_HOLD, ZIMU__FK_DUR, ZIMU__FK_AT, ZIMU__FK_COLOR,
    ZIMU__FK_OUTLINE, ZIMU__FK_POS, ZIMU__FK_BG,
};

/* Where a key may stand (a mask), and where one stands now. */
enum {
    ZIMU__FAT_HEADER = 1, ZIMU__FAT_SECTION = 2, ZIMU__FAT_CARD = 4, ZIMU__FAT_ALL = 7
};

typedef struct zimu_flash_key {
    const char *name;   /* ASCII, lower case, as documented */
    const char *alias;  /* another ASCII spelling, or NULL */
    const char *zh;     /* the Chinese name, or NULL */
    int id, where;      /* ZIMU__FK_*, a ZIMU__FAT_* mask */
} zimu_flash_key;

/* The key spelled [s, s+n) (ASCII case-insensitive, '_' as '-', or its
 * Chinese name), or NULL. */
const zimu_flash_key *zimu__flash_find_key(const char *s, size_t n);
/* Is [s, s+n) name, ASCII case-insensitive with '_' as '-'? (NULL: no) */
int zimu__flash_key_eq(const char *s, size_t n, const char *name);
/* Does [s, s+n) look like a key (an ASCII word, or a short word of other
 * characters without spaces or marks)? Is it an ASCII word? */
int zimu__flash_key_like(const char *s, size_t n);
int zimu__flash_ascii_word(const char *s, size_t n);
/* " (did you mean 'x'?)" in buf for the nearest of list (NULL-terminated;
 * NULL: the keys), or "". */
const char *zimu__flash_did_you_mean(const char *s, size_t n, const char *const *list,
                                     char *buf, size_t size);
/* Apply "key: value" (folded and trimmed; v NUL-terminated) at level lv
 * (ZIMU__FAT_*) to o, and the header keys to s. 0, ZIMU_ESUBS, ZIMU_ENOMEM. */
int zimu__flash_apply(zimu_flash_pctx *p, zimu_flash_script *s, zimu_flash_opts *o,
                      int lv, const char *k, size_t kn, const char *v);
/* Options "k: v, k: v" (folded, NUL-terminated, rewritten in place); a
 * piece without "key:" continues the value before it (a colour list). */
int zimu__flash_parse_opts(zimu_flash_pctx *p, zimu_flash_script *s, zimu_flash_opts *o,
                           int lv, char *t);
void zimu__flash_opts_init(zimu_flash_opts *o);
void zimu__flash_opts_free(zimu_flash_opts *o);
/* Trim spaces, tabs and U+3000 from both ends of [*s, *s + *n). */
void zimu__flash_trim(const char **s, size_t *n);

#endif
