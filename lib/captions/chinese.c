/* chinese.c - Simplified <-> Traditional Chinese with OpenCC, and which of
 * the two a text is written in.
 *
 * OpenCC converts with its phrase tables first (头发 -> 頭髮, not 頭發;
 * with s2twp 软件 -> 軟體), then character by character. Its converters
 * are costly to open (the Simplified-to-Traditional phrase table takes
 * about 30 ms), so a handle opens each mode once and keeps it.
 *
 * Configurations are opened by their full path in OpenCC's data folder:
 * given a bare name, OpenCC would first look in the current directory. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opencc.h>

#include "charset.h"
#include "chinese.h"
#include "distance.h"
#include "sbuf.h"

#ifndef ZIMU_OPENCC_DIR
#define ZIMU_OPENCC_DIR "/usr/share/opencc"
#endif

typedef struct mode {
    const char *name;   /* also the configuration: NAME.json */
    int target;         /* ZIMU__HAN_* */
    const char *what;
} mode;

/* Index 0 is none; the rest are OpenCC's standard Chinese configurations. */
static const mode modes[] = {
    {"none", ZIMU__HAN_UNSET, N_("no conversion")},
    {"s2t", ZIMU__HAN_TC, N_("Simplified to Traditional Chinese (OpenCC's standard forms)")},
    {"t2s", ZIMU__HAN_SC, N_("Traditional to Simplified Chinese")},
    {"s2tw", ZIMU__HAN_TC, N_("Simplified to Traditional, Taiwan character forms")},
    {"tw2s", ZIMU__HAN_SC, N_("Traditional (Taiwan) to Simplified")},
    {"s2twp", ZIMU__HAN_TC, N_("Simplified to Traditional, Taiwan forms and words "
                            "(软件 -> 軟體, 鼠标 -> 滑鼠)")},
    {"tw2sp", ZIMU__HAN_SC, N_("Traditional (Taiwan) to Simplified, mainland words "
                            "(軟體 -> 软件)")},
    {"s2hk", ZIMU__HAN_HK, N_("Simplified to Traditional, Hong Kong forms")},
    {"hk2s", ZIMU__HAN_SC, N_("Traditional (Hong Kong) to Simplified")},
    {"t2tw", ZIMU__HAN_TC, N_("Traditional to Taiwan forms")},
    {"tw2t", ZIMU__HAN_TC, N_("Taiwan forms to OpenCC's standard Traditional")},
    {"t2hk", ZIMU__HAN_HK, N_("Traditional to Hong Kong forms")},
    {"hk2t", ZIMU__HAN_TC, N_("Hong Kong forms to OpenCC's standard Traditional")},
};
#define N_MODES ((int)(sizeof modes / sizeof *modes))
enum { MODE_S2T = 1, MODE_T2S = 2 }; /* what a text's script is counted with */

/* opencc_open() and opencc_error() (one process-wide message) under one
 * lock, so that the message read is the one of this open. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static char *data_dir; /* NULL: ZIMU_OPENCC_DIR */

struct zimu_chinese {
    opencc_t conv[N_MODES]; /* NULL: not opened yet */
};

const char *zimu__chinese_face(int han)
{
    switch (han) {
    case ZIMU__HAN_TC: return "Noto Sans CJK TC";
    case ZIMU__HAN_HK: return "Noto Sans CJK HK";
    }
    return NULL;
}

const char *zimu__chinese_mode_name(int m)
{
    return m >= 1 && m < N_MODES ? modes[m].name : NULL;
}

const char *zimu__chinese_mode_description(int m)
{
    return m >= 1 && m < N_MODES ? zimu__tr(modes[m].what) : NULL;
}

int zimu__chinese_target(int m)
{
    return m >= 1 && m < N_MODES ? modes[m].target : -1;
}

int zimu__chinese_mode(zimu_ctx *c, const char *name)
{
    if (!name || !*name)
        return ZIMU__CHINESE_NONE;
    for (int i = 0; i < N_MODES; i++)
        if (!strcmp(name, modes[i].name))
            return i;
    char list[256];
    const char *names[N_MODES];
    size_t n = 0;
    for (int i = 1; i < N_MODES; i++) {
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i > 1 ? ", " : "",
                              modes[i].name);
        names[i - 1] = modes[i].name;
    }
    /* The nearest name, when it is near: "s2tw.json", "S2T", "s2w". */
    char bare[32];
    snprintf(bare, sizeof bare, "%s", name);
    size_t bn = strlen(bare);
    if (bn > 5 && !strcmp(bare + bn - 5, ".json"))
        bare[bn - 5] = 0;
    char hint[64];
    zimu__did_you_mean(bare, names, N_MODES - 1, hint, sizeof hint);
    return zimu__fail(c, ZIMU_EINVAL, "Chinese conversion '%.40s' is not one of %s, or none%s",
                      name, list, hint);
}

zimu_chinese *zimu__chinese_new(void)
{
    return calloc(1, sizeof(zimu_chinese));
}

void zimu__chinese_free(zimu_chinese **pcc)
{
    zimu_chinese *cc = pcc ? *pcc : NULL;
    if (!cc)
        return;
    for (int i = 0; i < N_MODES; i++)
        if (cc->conv[i])
            opencc_close(cc->conv[i]);
    free(cc);
    *pcc = NULL;
}

void zimu__chinese_set_data_dir(const char *dir)
{
    pthread_mutex_lock(&open_lock);
    free(data_dir);
    data_dir = dir ? strdup(dir) : NULL;
    pthread_mutex_unlock(&open_lock);
}

int zimu__chinese_open(zimu_ctx *c, zimu_chinese *cc, int m)
{
    if (m < 1 || m >= N_MODES)
        return zimu__fail(c, ZIMU_EINVAL, "Chinese conversion %d is not valid", m);
    if (cc->conv[m])
        return 0;
    char path[4096], why[512];
    pthread_mutex_lock(&open_lock);
    snprintf(path, sizeof path, "%s/%s.json", data_dir ? data_dir : ZIMU_OPENCC_DIR,
             modes[m].name);
    opencc_t o = opencc_open(path);
    if (o == (opencc_t)-1) {
        const char *e = opencc_error();
        snprintf(why, sizeof why, "%s", e && *e ? e : zimu__tr("unknown error"));
    }
    pthread_mutex_unlock(&open_lock);
    if (o == (opencc_t)-1)
        return zimu__fail(c, ZIMU_ESUBS,
                          "Chinese conversion '%s': OpenCC cannot load %s (%s); install the "
                          "Debian packages libopencc-data and libopencc1.1 (apt-get install "
                          "libopencc-data)", modes[m].name, path, why);
    cc->conv[m] = o;
    return 0;
}

/* ------------------------------------------------------------------------
 * Converting.
 */

static int is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* s[0..n), plain text, converted, appended to out. */
static int conv_plain(zimu_ctx *c, opencc_t o, int m, const char *s, size_t n, zimu_sbuf *out)
{
    if (is_ascii(s, n)) { /* nothing OpenCC changes */
        zimu__sb_add(out, s, n);
        return out->oom ? ZIMU_ENOMEM : 0;
    }
    char *r = opencc_convert_utf8(o, s, n);
    if (!r)
        return zimu__fail(c, ZIMU_ESUBS, "Chinese conversion '%s' failed: %s", modes[m].name,
                          opencc_error());
    zimu__sb_adds(out, r);
    opencc_convert_utf8_free(r);
    return out->oom ? ZIMU_ENOMEM : 0;
}

static size_t cp_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Plain text[a..b) converted onto out. With map: map[i] is set to where
 * offset i of the input lands in out for a = i, b = i and every i with
 * cut[i] (the word boundaries), so that the words keep their text. The
 * piece is converted whole (OpenCC's phrases work across words) when that
 * keeps its number of characters, so each character maps to one; else
 * (a phrase of another length: U盘 -> 隨身碟) word by word. */
static int conv_piece(zimu_ctx *c, opencc_t o, int m, const char *text, size_t a, size_t b,
                      const unsigned char *cut, size_t *map, zimu_sbuf *out)
{
    if (!map)
        return conv_plain(c, o, m, text + a, b - a, out);
    size_t base = out->len;
    int r = conv_plain(c, o, m, text + a, b - a, out);
    if (r < 0)
        return r;
    size_t outn = out->len - base;
    if (cp_count(out->s + base, outn) == cp_count(text + a, b - a)) {
        size_t i = a, j = base;
        while (i < b) {
            map[i] = j;
            do
                i++;
            while (i < b && ((unsigned char)text[i] & 0xC0) == 0x80);
            do
                j++;
            while (j < out->len && ((unsigned char)out->s[j] & 0xC0) == 0x80);
        }
        map[b] = out->len;
        return 0;
    }
    out->len = base; /* again, word by word */
    if (out->s)
        out->s[base] = 0;
    size_t p0 = a;
    for (size_t p = a + 1; p <= b; p++) {
        if (p < b && !cut[p])
            continue;
        map[p0] = out->len;
        if ((r = conv_plain(c, o, m, text + p0, p - p0, out)) < 0)
            return r;
        p0 = p;
    }
    map[b] = out->len;
    return 0;
}

/* The end of the override block starting at text[i] == '{', or 0 if it
 * is not closed (then the brace is text). */
static size_t block_end(const char *text, size_t i)
{
    const char *e = strchr(text + i, '}');
    return e ? (size_t)(e - text) : 0;
}

/* text converted outside its override blocks onto out (see conv_piece for
 * cut and map, which may be NULL). */
static int conv_text(zimu_ctx *c, opencc_t o, int m, const char *text, const unsigned char *cut,
                     size_t *map, zimu_sbuf *out)
{
    size_t len = strlen(text), i = 0;
    while (i <= len) {
        size_t j = i, k = 0;
        while (j < len && text[j] != '{')
            j++;
        if (j < len && !(k = block_end(text, j)))
            j = len; /* no '}' after it: the rest is text */
        int r = conv_piece(c, o, m, text, i, j, cut, map, out);
        if (r < 0)
            return r;
        if (j == len)
            break;
        for (size_t t = j; t <= k && map; t++) /* the block, as it is */
            map[t] = out->len + (t - j);
        zimu__sb_add(out, text + j, k + 1 - j);
        if (out->oom)
            return ZIMU_ENOMEM;
        i = k + 1;
    }
    if (!out->s) /* an empty text */
        zimu__sb_add(out, "", 0);
    return out->oom ? ZIMU_ENOMEM : 0;
}

int zimu__chinese_text(zimu_ctx *c, zimu_chinese *cc, int m, const char *text, char **out)
{
    *out = NULL;
    int r = zimu__chinese_open(c, cc, m);
    if (r < 0)
        return r;
    zimu_sbuf b = {0};
    r = conv_text(c, cc->conv[m], m, text, NULL, NULL, &b);
    if (r >= 0 && !(*out = zimu__sb_take(&b)))
        r = ZIMU_ENOMEM;
    zimu__sb_free(&b);
    if (r == ZIMU_ENOMEM)
        zimu__fail(c, r, "out of memory");
    return r;
}

/* A cue converted, not yet put in place. */
typedef struct staged {
    char *text, *ass_text;
    zimu_word *words;
} staged;

static int stage_cue(zimu_ctx *c, opencc_t o, int m, const zimu_cue *q, staged *s)
{
    size_t len = strlen(q->text);
    unsigned char *cut = NULL;
    size_t *map = NULL;
    int r = ZIMU_ENOMEM;
    if (q->n_words) {
        cut = calloc(len + 1, 1);
        map = calloc(len + 1, sizeof *map);
        s->words = malloc(q->n_words * sizeof *s->words);
        if (!cut || !map || !s->words)
            goto done;
        for (size_t k = 0; k < q->n_words; k++) {
            size_t a = q->words[k].off < len ? q->words[k].off : len;
            size_t e = q->words[k].len < len - a ? a + q->words[k].len : len;
            cut[a] = cut[e] = 1;
        }
    }
    zimu_sbuf b = {0};
    if ((r = conv_text(c, o, m, q->text, cut, map, &b)) >= 0 && !(s->text = zimu__sb_take(&b)))
        r = ZIMU_ENOMEM;
    zimu__sb_free(&b);
    if (r < 0)
        goto done;
    for (size_t k = 0; k < q->n_words; k++) {
        size_t a = q->words[k].off < len ? q->words[k].off : len;
        size_t e = q->words[k].len < len - a ? a + q->words[k].len : len;
        s->words[k] = q->words[k];
        s->words[k].off = map[a];
        s->words[k].len = map[e] - map[a];
    }
    if (q->ass) {
        if ((r = conv_text(c, o, m, q->ass->text, NULL, NULL, &b)) >= 0 &&
            !(s->ass_text = zimu__sb_take(&b)))
            r = ZIMU_ENOMEM;
        zimu__sb_free(&b);
    }
done:
    free(cut);
    free(map);
    return r;
}

int zimu__chinese_cues(zimu_ctx *c, zimu_chinese *cc, int m, zimu_cues *l, size_t from)
{
    int r = zimu__chinese_open(c, cc, m);
    if (r < 0)
        return r;
    if (from >= l->n) {
        l->han = modes[m].target;
        return 0;
    }
    size_t n = l->n - from;
    staged *s = calloc(n, sizeof *s);
    if (!s)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && r >= 0; i++) {
        r = stage_cue(c, cc->conv[m], m, &l->v[from + i], &s[i]);
        if (r >= 0 && ZIMU__CANCEL_CHECK(c, i + 1))
            r = zimu__fail_cancel(c);
    }
    for (size_t i = 0; i < n; i++) {
        zimu_cue *q = &l->v[from + i];
        if (r < 0) {
            free(s[i].text);
            free(s[i].ass_text);
            free(s[i].words);
            continue;
        }
        free(q->text);
        q->text = s[i].text;
        if (q->n_words) {
            free(q->words);
            q->words = s[i].words;
        }
        if (q->ass) {
            free(q->ass->text);
            q->ass->text = s[i].ass_text;
        }
    }
    free(s);
    if (r == ZIMU_ENOMEM)
        return zimu__fail(c, r, "out of memory");
    if (r >= 0)
        l->han = modes[m].target;
    return r;
}

/* ------------------------------------------------------------------------
 * Which script: counting the characters each direction would change.
 */

/* Han characters: the CJK Unified Ideographs and their extensions, and
 * the compatibility ideographs. */
static int is_han(uint32_t u)
{
    return (u >= 0x3400 && u <= 0x4DBF) || (u >= 0x4E00 && u <= 0x9FFF) ||
           (u >= 0xF900 && u <= 0xFAFF) || (u >= 0x20000 && u <= 0x3134F);
}

/* Distinct Han characters and how often each occurs: open addressing. */
struct zimu_han_count {
    uint32_t *cp;     /* 0: empty slot */
    uint64_t *n;
    size_t cap, used;
};

zimu_han_count *zimu__han_count_new(void)
{
    return calloc(1, sizeof(zimu_han_count));
}

void zimu__han_count_free(zimu_han_count **ph)
{
    zimu_han_count *h = ph ? *ph : NULL;
    if (!h)
        return;
    free(h->cp);
    free(h->n);
    free(h);
    *ph = NULL;
}

static size_t slot(const zimu_han_count *h, uint32_t u)
{
    size_t i = (u * 2654435761u) & (h->cap - 1);
    while (h->cp[i] && h->cp[i] != u)
        i = (i + 1) & (h->cap - 1);
    return i;
}

static int grow(zimu_han_count *h)
{
    size_t cap = h->cap ? h->cap * 2 : 1024;
    zimu_han_count g = {calloc(cap, sizeof *g.cp), calloc(cap, sizeof *g.n), cap, h->used};
    if (!g.cp || !g.n) {
        free(g.cp);
        free(g.n);
        return ZIMU_ENOMEM;
    }
    for (size_t i = 0; i < h->cap; i++)
        if (h->cp[i]) {
            size_t k = slot(&g, h->cp[i]);
            g.cp[k] = h->cp[i];
            g.n[k] = h->n[i];
        }
    free(h->cp);
    free(h->n);
    *h = g;
    return 0;
}

int zimu__han_count_add(zimu_han_count *h, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    int closed = 1; /* a '}' may still follow */
    while (i < len) {
        size_t k;
        if (s[i] == '{' && closed) {
            if ((k = block_end(text, i))) {
                i = k + 1;
                continue;
            }
            closed = 0;
        }
        size_t used = 1;
        uint32_t u = s[i] < 0x80 ? s[i] : zimu__utf8_next(s + i, len - i, &used);
        i += used ? used : 1;
        if (!is_han(u))
            continue;
        if ((h->used + 1) * 2 > h->cap && grow(h) < 0)
            return ZIMU_ENOMEM;
        size_t at = slot(h, u);
        if (!h->cp[at]) {
            h->cp[at] = u;
            h->used++;
        }
        h->n[at]++;
    }
    return 0;
}

static size_t put_utf8(char *p, uint32_t u)
{
    if (u < 0x800) {
        p[0] = (char)(0xC0 | u >> 6);
        p[1] = (char)(0x80 | (u & 0x3F));
        return 2;
    }
    if (u < 0x10000) {
        p[0] = (char)(0xE0 | u >> 12);
        p[1] = (char)(0x80 | (u >> 6 & 0x3F));
        p[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | u >> 18);
    p[1] = (char)(0x80 | (u >> 12 & 0x3F));
    p[2] = (char)(0x80 | (u >> 6 & 0x3F));
    p[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

/* How many of the counted characters mode m changes, each on its own:
 * the distinct characters, one a line, converted in one call (no phrase
 * spans a line break). -1 when OpenCC cannot be used. */
static int64_t changed_by(zimu_ctx *c, zimu_chinese *cc, zimu_han_count *h, int m)
{
    zimu_ctx quiet = {0};
    if (zimu__chinese_open(&quiet, cc, m) < 0) {
        zimu__log(c, ZIMU_LOG_WARNING, "%s (drawing the text in the Simplified Chinese face)",
                  quiet.errmsg);
        return -1;
    }
    char *in = malloc(h->used * 5 + 1);
    if (!in)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < h->cap; i++)
        if (h->cp[i]) {
            n += put_utf8(in + n, h->cp[i]);
            in[n++] = '\n';
        }
    in[n] = 0;
    char *out = opencc_convert_utf8(cc->conv[m], in, n);
    int64_t changed = 0;
    const char *p = out, *q = in;
    for (size_t i = 0; out && i < h->cap; i++) {
        if (!h->cp[i])
            continue;
        const char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
        if (!pe) { /* not line for line: no verdict */
            changed = -1;
            break;
        }
        if (pe - p != qe - q || memcmp(p, q, (size_t)(pe - p)))
            changed += (int64_t)h->n[i];
        p = pe + 1;
        q = qe + 1;
    }
    if (!out)
        changed = -1;
    opencc_convert_utf8_free(out);
    free(in);
    return changed;
}

int zimu__han_count_result(zimu_ctx *c, zimu_chinese *cc, zimu_han_count *h)
{
    if (!h->used)
        return ZIMU__HAN_SC;
    /* Simplified text is the common case: t2s changes none of it, and the
     * costly s2t converter is not needed. */
    int64_t t = changed_by(c, cc, h, MODE_T2S);
    if (t <= 0)
        return ZIMU__HAN_SC;
    int64_t s = changed_by(c, cc, h, MODE_S2T);
    return s >= 0 && t > s ? ZIMU__HAN_TC : ZIMU__HAN_SC;
}

int zimu__chinese_cues_script(zimu_ctx *c, zimu_chinese *cc, const zimu_cues *l)
{
    if (l->ass_header)
        return ZIMU__HAN_UNSET;
    if (l->han)
        return l->han;
    zimu_han_count *h = zimu__han_count_new();
    int r = h ? 0 : ZIMU_ENOMEM;
    for (size_t i = 0; i < l->n && r >= 0; i++)
        r = zimu__han_count_add(h, l->v[i].text);
    if (r >= 0)
        r = zimu__han_count_result(c, cc, h);
    zimu__han_count_free(&h);
    return r < 0 ? ZIMU__HAN_SC : r;
}

int zimu__chinese_text_script(zimu_ctx *c, zimu_chinese *cc, const char *text)
{
    if (!text || !*text)
        return ZIMU__HAN_UNSET;
    zimu_han_count *h = zimu__han_count_new();
    int r = h ? zimu__han_count_add(h, text) : ZIMU_ENOMEM;
    if (r >= 0)
        r = zimu__han_count_result(c, cc, h);
    zimu__han_count_free(&h);
    return r < 0 ? ZIMU__HAN_SC : r;
}
