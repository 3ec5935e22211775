/* script.c - the flash script parser (format: docs/flash.md): the lines
 * (headers, sections, cards), card text with its keywords, escapes and line
 * breaks, into the model of script.h; the keys and their values are read by
 * options.c. Every ASCII mark of the format has its fullwidth twin (what a
 * Chinese input method types): options and headers are read after folding
 * fullwidth ASCII to ASCII; card text keeps its fullwidth characters and
 * only the marks '＊' and '｜' act in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "cuetext.h"
#include "sbuf.h"
#include "script.h"

typedef zimu_flash_pctx pctx;

#define BAD(...) zimu__fail(p->c, ZIMU_ESUBS, __VA_ARGS__)

/* ------------------------------------------------------------------------
 * Characters.
 */

/* Length of the mark ch (ASCII) or its fullwidth twin at p (n bytes left),
 * 0 if neither. */
static size_t mark(const char *p, size_t n, char ch)
{
    if (n >= 1 && *p == ch)
        return 1;
    unsigned cp = 0xFF00u + (unsigned char)ch - 0x20u;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == (0x80 | ((cp >> 6) & 0x3F))
        && (unsigned char)p[2] == (0x80 | (cp & 0x3F)))
        return 3;
    return 0;
}

/* Length of a space (ASCII space or tab, U+3000 ideographic space) at p. */
static size_t space_at(const char *p, size_t n)
{
    if (n >= 1 && is_space((unsigned char)*p))
        return 1;
    if (n >= 3 && !memcmp(p, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

/* Trim spaces (as space_at) from both ends of [*s, *s + *n). */
void zimu__flash_trim(const char **s, size_t *n)
{
    size_t k;
    while (*n && (k = space_at(*s, *n)) > 0)
        *s += k, *n -= k;
    for (;;) {
        if (*n && is_space((unsigned char)(*s)[*n - 1]))
            (*n)--;
        else if (*n >= 3 && !memcmp(*s + *n - 3, "\xE3\x80\x80", 3))
            *n -= 3;
        else
            break;
    }
}

/* Fold [s, s+n) into out (NUL-terminated, at most n bytes + 1): fullwidth
 * ASCII (U+FF01..U+FF5E) to ASCII, U+3000 to a space, '、' to ',' and '×'
 * to 'x'. Returns the length. */
static size_t fold(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)s + i;
        if (n - i >= 3 && p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD)) {
            unsigned cp = 0xF000u | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[o++] = (char)(cp - 0xFF00 + 0x20);
                i += 3;
                continue;
            }
        }
        if (n - i >= 3 && p[0] == 0xE3 && p[1] == 0x80 && (p[2] == 0x80 || p[2] == 0x81)) {
            out[o++] = p[2] == 0x80 ? ' ' : ',';
            i += 3;
            continue;
        }
        if (n - i >= 2 && p[0] == 0xC3 && p[1] == 0x97) {
            out[o++] = 'x';
            i += 2;
            continue;
        }
        out[o++] = (char)p[0];
        i++;
    }
    out[o] = 0;
    return o;
}

/* Reading units of cue text: each CJK character (Han, kana, Hangul) one,
 * each word of letters or digits one; punctuation and spaces none. */
static double reading_units(const char *t)
{
    double u = 0;
    int in_word = 0;
    size_t n = strlen(t);
    for (size_t i = 0; i < n;) {
        if (t[i] == '{') { /* a keyword marker */
            const char *e = strchr(t + i, '}');
            i = e ? (size_t)(e - t) + 1 : n;
            continue;
        }
        size_t used;
        uint32_t cp = zimu__utf8_next((const unsigned char *)t + i, n - i, &used);
        i += used;
        int cjk = (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF)
                  || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
        int wordch = !cjk && ((cp < 0x80 && (is_alpha((int)cp) || is_digit((int)cp)))
                              || (cp >= 0xC0 && cp < 0x2000) || (cp >= 0xFF10 && cp <= 0xFF19)
                              || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A));
        if (cjk)
            u += 1;
        else if (wordch && !in_word)
            u += 1;
        in_word = wordch;
    }
    return u;
}

/* ------------------------------------------------------------------------
 * Card text.
 */

/* Marks a backslash makes literal. */
static const char escapable[] = "*|@#=:,\\-{}";

/* Cue text of a card's text [t, t+n): escapes, keywords, braces. */
static int card_text(pctx *p, const char *t, size_t n, zimu_sbuf *b, int *visible)
{
    int in_key = 0;
    size_t key_at = 0; /* b->len after the ON marker */
    int skip_space = 0;
    *visible = 0;
    for (size_t i = 0; i < n;) {
        size_t k;
        if (t[i] == '\\' && i + 1 < n) {
            if (t[i + 1] == 'n' || t[i + 1] == 'N') {
                while (b->len && b->s[b->len - 1] == ' ')
                    b->s[--b->len] = 0;
                zimu__sb_addc(b, '\n');
                skip_space = 1;
                i += 2;
                continue;
            }
            size_t ml = 0;
            for (const char *e = escapable; *e && !ml; e++)
                ml = mark(t + i + 1, n - i - 1, *e);
            if (ml) {
                zimu__sb_add_text(b, t + i + 1, ml);
                *visible = 1;
                skip_space = 0;
                i += 1 + ml;
                continue;
            }
        }
        if ((k = mark(t + i, n - i, '*')) > 0) {
            if (!in_key) {
                zimu__sb_adds(b, ZIMU__KEY_ON);
                key_at = b->len;
            } else {
                if (b->len == key_at)
                    return BAD("%s: an empty keyword '**': mark a keyword as *word*, or write "
                               "a star as \\*", p->where);
                zimu__sb_adds(b, ZIMU__KEY_OFF);
            }
            in_key = !in_key;
            i += k;
            continue;
        }
        if ((k = space_at(t + i, n - i)) > 0 || t[i] == '\t') {
            if (!skip_space) {
                if (t[i] == '\t')
                    zimu__sb_addc(b, ' ');
                else
                    zimu__sb_add(b, t + i, k);
            }
            i += k ? k : 1;
            continue;
        }
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7F) {
            return BAD("%s: a control character (byte 0x%02X) in the text", p->where,
                       (unsigned char)t[i]);
        }
        size_t used;
        zimu__utf8_next((const unsigned char *)t + i, n - i, &used);
        zimu__sb_add_text(b, t + i, used);
        *visible = 1;
        skip_space = 0;
        i += used;
    }
    if (in_key)
        return BAD("%s: a keyword mark '*' is not closed: mark a keyword as *word*, or write "
                   "a star as \\*", p->where);
    if (b->oom)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    return 0;
}

/* Index of the first unescaped mark ch (or its twin) in [t, t+n), and its
 * length in *ml; n if none. */
static size_t find_mark(const char *t, size_t n, char ch, size_t *ml)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\\' && i + 1 < n) {
            size_t k = 0;
            for (const char *e = escapable; *e && !k; e++)
                k = mark(t + i + 1, n - i - 1, *e);
            if (k || t[i + 1] == 'n' || t[i + 1] == 'N')
                i += k ? k : 1;
            continue;
        }
        size_t k = mark(t + i, n - i, ch);
        if (k) {
            *ml = k;
            return i;
        }
    }
    *ml = 0;
    return n;
}

/* ------------------------------------------------------------------------
 * Lines.
 */

static int add_card(pctx *p, zimu_flash_script *s, const char *t, size_t n)
{
    if (s->n_cards >= ZIMU__FLASH_MAX_CARDS)
        return BAD("%s: more than %d cards: split the script", p->where, ZIMU__FLASH_MAX_CARDS);
    if (s->n_cards == s->cap_cards) {
        size_t cap = s->cap_cards ? s->cap_cards * 2 : 32;
        zimu_flash_card *v = realloc(s->cards, cap * sizeof *v);
        if (!v)
            return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
        s->cards = v;
        s->cap_cards = cap;
    }
    zimu_flash_card *k = &s->cards[s->n_cards];
    memset(k, 0, sizeof *k);
    zimu__flash_opts_init(&k->o);
    k->line = p->line;
    k->section = (int)s->n_sections - 1;
    if (k->section >= 0)
        k->index_in_section = s->sections[k->section].n_cards++;
    s->n_cards++; /* freed with the script from here on */

    /* "@TIME " */
    size_t ml = mark(t, n, '@');
    int digit = 0;
    for (char d = '0'; ml && d <= '9' && !digit; d++)
        digit = mark(t + ml, n - ml, d) > 0;
    if (digit) {
        size_t e = ml;
        while (e < n && !space_at(t + e, n - e) && !mark(t + e, n - e, '|'))
            e++;
        char buf[64];
        if (e - ml >= sizeof buf / 3)
            return BAD("%s: '%.*s' is not a time: write '@' and the start, as in '@5.5' or "
                       "'@0:05.5', then the text", p->where, (int)(e > 30 ? 30 : e), t);
        fold(t + ml, e - ml, buf);
        int64_t ms;
        if (zimu_parse_time(buf, &ms) < 0 || ms > ZIMU__FLASH_MAX_MS)
            return BAD("%s: '%.*s' is not a time: write '@' and the start, as in '@5.5' or "
                       "'@0:05.5', then the text", p->where, (int)e, t);
        k->o.at_ms = ms;
        t += e, n -= e;
        zimu__flash_trim(&t, &n);
    }

    size_t bar = find_mark(t, n, '|', &ml);
    const char *tx = t;
    size_t txn = bar;
    zimu__flash_trim(&tx, &txn);
    if (bar < n) {
        char buf[ZIMU__FLASH_MAX_LINE + 1];
        fold(t + bar + ml, n - bar - ml, buf);
        int64_t at = k->o.at_ms;
        k->o.at_ms = -1;
        int r = zimu__flash_parse_opts(p, s, &k->o, ZIMU__FAT_CARD, buf);
        if (r < 0)
            return r;
        if (at >= 0 && k->o.at_ms >= 0 && at != k->o.at_ms)
            return BAD("%s: the card has two start times, '@' and 'at:'", p->where);
        if (at >= 0)
            k->o.at_ms = at;
    }
    if (txn > ZIMU__FLASH_MAX_TEXT)
        return BAD("%s: the card's text is longer than %d bytes: a flash card holds a short "
                   "phrase", p->where, ZIMU__FLASH_MAX_TEXT);
    zimu_sbuf b = {0};
    int visible;
    int r = card_text(p, tx, txn, &b, &visible);
    if (r < 0) {
        zimu__sb_free(&b);
        return r;
    }
    if (!visible) {
        zimu__sb_free(&b);
        return BAD("%s: the card has no text%s", p->where,
                   bar < n ? zimu__tr(" (only options after '|')") : "");
    }
    k->text = zimu__sb_take(&b);
    if (!k->text)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    k->units = reading_units(k->text);
    return 0;
}

static int add_section(pctx *p, zimu_flash_script *s, const char *t, size_t n)
{
    if (s->n_sections >= ZIMU__FLASH_MAX_CARDS)
        return BAD("%s: more than %d sections", p->where, ZIMU__FLASH_MAX_CARDS);
    if (s->n_sections == s->cap_sections) {
        size_t cap = s->cap_sections ? s->cap_sections * 2 : 8;
        zimu_flash_section *v = realloc(s->sections, cap * sizeof *v);
        if (!v)
            return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
        s->sections = v;
        s->cap_sections = cap;
    }
    zimu_flash_section *sec = &s->sections[s->n_sections];
    memset(sec, 0, sizeof *sec);
    zimu__flash_opts_init(&sec->o);
    sec->line = p->line;
    s->n_sections++;
    /* strip the leading marks */
    size_t k;
    while (n && ((k = mark(t, n, '=')) > 0 || (k = mark(t, n, '-')) > 0))
        t += k, n -= k;
    size_t ml;
    size_t bar = find_mark(t, n, '|', &ml);
    const char *ti = t;
    size_t tin = bar;
    zimu__flash_trim(&ti, &tin);
    for (;;) { /* trailing marks of "== title ==" */
        if (tin && (ti[tin - 1] == '=' || ti[tin - 1] == '-'))
            tin--;
        else if (tin >= 3 && (mark(ti + tin - 3, 3, '=') || mark(ti + tin - 3, 3, '-')))
            tin -= 3;
        else
            break;
    }
    zimu__flash_trim(&ti, &tin);
    sec->title = malloc(tin + 1);
    if (!sec->title)
        return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
    memcpy(sec->title, ti, tin);
    sec->title[tin] = 0;
    if (bar < n) {
        char buf[ZIMU__FLASH_MAX_LINE + 1];
        fold(t + bar + ml, n - bar - ml, buf);
        return zimu__flash_parse_opts(p, s, &sec->o, ZIMU__FAT_SECTION, buf);
    }
    return 0;
}

/* The key of a "key: value" line ([t, t+n), trimmed), or NULL; *kn its
 * length, and the value in *vs, *vn. */
static const char *line_key(const char *t, size_t n, size_t *kn, const char **vs, size_t *vn)
{
    size_t ml;
    size_t colon = find_mark(t, n, ':', &ml);
    if (colon == n)
        return NULL;
    const char *k = t;
    size_t kl = colon;
    zimu__flash_trim(&k, &kl);
    if (!zimu__flash_key_like(k, kl))
        return NULL;
    *kn = kl;
    *vs = t + colon + ml;
    *vn = n - colon - ml;
    zimu__flash_trim(vs, vn);
    return k;
}

static int header_line(pctx *p, zimu_flash_script *s, const char *k, size_t kn,
                       const char *v, size_t vn, const char *dir)
{
    char kb[ZIMU__FLASH_MAX_LINE + 1], vb[ZIMU__FLASH_MAX_LINE + 1];
    fold(k, kn, kb);
    const zimu_flash_key *key = zimu__flash_find_key(kb, strlen(kb));
    if (key && key->id == ZIMU__FK_MUSIC) {
        /* a path: taken as written (not folded), resolved against dir */
        if (!vn)
            return BAD("%s: key 'music' has no value", p->where);
        zimu_sbuf b = {0};
        if (dir && *dir && v[0] != '/') {
            zimu__sb_adds(&b, dir);
            if (b.len && b.s[b.len - 1] != '/')
                zimu__sb_addc(&b, '/');
        }
        zimu__sb_add(&b, v, vn);
        char *m = zimu__sb_take(&b);
        if (!m)
            return zimu__fail(p->c, ZIMU_ENOMEM, "out of memory");
        free(s->music);
        s->music = m;
        return 0;
    }
    if (key && key->id == ZIMU__FK_AT)
        return BAD("%s: 'at' is for a card, not for the headers (write '@TIME text' on the "
                   "card's line)", p->where);
    fold(v, vn, vb);
    char *vv = vb;
    size_t vl = strlen(vv);
    while (vl && (vv[vl - 1] == ' ' || vv[vl - 1] == '\t'))
        vv[--vl] = 0;
    return zimu__flash_apply(p, s, &s->defaults, ZIMU__FAT_HEADER, kb, strlen(kb), vv);
}

/* ------------------------------------------------------------------------
 * The script.
 */

void zimu__flash_free(zimu_flash_script **sp)
{
    if (!sp || !*sp)
        return;
    zimu_flash_script *s = *sp;
    for (size_t i = 0; i < s->n_cards; i++) {
        free(s->cards[i].text);
        zimu__flash_opts_free(&s->cards[i].o);
    }
    for (size_t i = 0; i < s->n_sections; i++) {
        free(s->sections[i].title);
        zimu__flash_opts_free(&s->sections[i].o);
    }
    free(s->cards);
    free(s->sections);
    zimu__flash_opts_free(&s->defaults);
    free(s->music);
    free(s->look);
    free(s->name);
    free(s);
    *sp = NULL;
}

const zimu_flash_info *zimu__flash_info(const zimu_flash_script *s)
{
    return &s->info;
}

int zimu__flash_parse(zimu_ctx *c, const char *name, const char *dir,
                      const char *data, size_t size, zimu_flash_script **out)
{
    *out = NULL;
    if (!name)
        name = zimu__tr("flash script");
    if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        data += 3, size -= 3;
    pctx pc = {.c = c, .name = name, .line = 0};
    pctx *p = &pc;
    const char *nul = memchr(data, 0, size);
    size_t bad = zimu__utf8_check(data, size);
    if (nul || bad < size) {
        size_t at = nul && (size_t)(nul - data) < bad ? (size_t)(nul - data) : bad;
        int line = 1;
        for (size_t i = 0; i < at; i++)
            line += data[i] == '\n';
        return zimu__fail(c, ZIMU_ESUBS, "%s:%d: %s", name, line,
                          nul && (size_t)(nul - data) == at
                              ? zimu__tr("NUL character in the text")
                              : zimu__tr("the text is not UTF-8: save the script as UTF-8"));
    }
    zimu_flash_script *s = calloc(1, sizeof *s);
    if (!s)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    s->name = zimu__strdup(name);
    zimu__flash_opts_init(&s->defaults);
    s->info.timing = ZIMU__FLASH_TIMES;
    s->info.beat_step = 1;
    s->info.first_beat = -1;
    s->speed = ZIMU__FLASH_DEFAULT_SPEED;
    int r = s->name ? 0 : zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    size_t pos = 0;
    const char *line;
    size_t len;
    while (r == 0 && zimu__next_line(data, size, &pos, &line, &len)) {
        p->line++;
        snprintf(p->where, sizeof p->where, "%s:%d", name, p->line);
        if (ZIMU__CANCEL_CHECK(c, p->line)) {
            r = zimu__fail_cancel(c);
            break;
        }
        if (len > ZIMU__FLASH_MAX_LINE) {
            r = BAD("%s: the line is longer than %d bytes", p->where, ZIMU__FLASH_MAX_LINE);
            break;
        }
        const char *t = line;
        size_t n = len;
        zimu__flash_trim(&t, &n);
        if (!n || mark(t, n, '#'))
            continue;
        if (t[0] == '\\') {
            /* a card, whatever follows; the backslash is dropped unless it
             * escapes a mark */
            size_t e = 0;
            for (const char *m = escapable; *m && !e; m++)
                e = mark(t + 1, n - 1, *m);
            if (!e && n > 1 && t[1] != 'n' && t[1] != 'N')
                t++, n--;
            r = add_card(p, s, t, n);
            continue;
        }
        size_t k1 = mark(t, n, '='), k2 = mark(t, n, '-');
        if ((k1 && mark(t + k1, n - k1, '=')) ||
            (k2 && mark(t + k2, n - k2, '-') && mark(t + 2 * k2, n - 2 * k2, '-'))) {
            r = add_section(p, s, t, n);
            continue;
        }
        size_t kn, vn;
        const char *vs;
        const char *k = line_key(t, n, &kn, &vs, &vn);
        if (k) {
            char kb[64];
            fold(k, kn, kb);
            const zimu_flash_key *key = zimu__flash_find_key(kb, strlen(kb));
            if (!s->n_cards && !s->n_sections) {
                if (key || zimu__flash_ascii_word(kb, strlen(kb))) {
                    r = header_line(p, s, k, kn, vs, vn, dir);
                    if (r < 0 && !key) {
                        char dym[64];
                        r = BAD("%s: unknown key '%s'%s; a card that starts with '%s:' before "
                                "the first card is written '\\%s: ...'", p->where, kb,
                                zimu__flash_did_you_mean(kb, strlen(kb), NULL, dym, sizeof dym),
                                kb, kb);
                    }
                    continue;
                }
            } else if (key && zimu__flash_ascii_word(k, kn) && zimu__flash_key_eq(k, kn, key->name)) {
                if (key->where == ZIMU__FAT_HEADER)
                    r = BAD("%s: header '%s' after the first card or section: headers go "
                            "before them; a card that starts with '%s:' is written '\\%s: ...'",
                            p->where, key->name, key->name, key->name);
                else
                    r = BAD("%s: header '%s' after the first card or section: headers go "
                            "before them; for one card or section, write it after '|' "
                            "('text | %s: ...'); a card that starts with '%s:' is written "
                            "'\\%s: ...'", p->where, key->name, key->name, key->name, key->name);
                continue;
            }
        }
        r = add_card(p, s, t, n);
    }
    if (r == 0 && !s->n_cards)
        r = zimu__fail(c, ZIMU_ESUBS, "%s: no cards: write one short phrase a line after "
                       "the headers", name);
    if (r < 0) {
        zimu__flash_free(&s);
        return r;
    }
    s->info.music = s->music;
    s->info.look = s->look;
    s->info.n_cards = (int)s->n_cards;
    s->info.n_sections = (int)s->n_sections;
    *out = s;
    return 0;
}

/* ------------------------------------------------------------------------
 * Levels.
 */

int zimu__flash_opts_has(const zimu_flash_opts *o, int field)
{
    switch (field) {
    case ZIMU__FO_IN: return o->in.set;
    case ZIMU__FO_OUT: return o->out.set;
    case ZIMU__FO_LOOP: return o->loop.set;
    case ZIMU__FO_HOLD: return o->hold > 0;
    case ZIMU__FO_DUR: return o->dur_ms >= 0;
    case ZIMU__FO_LOOK: return o->look != NULL;
    case ZIMU__FO_COLOR: return o->has_color;
    case ZIMU__FO_OUTLINE: return o->has_outline;
    case ZIMU__FO_ALIGN: return o->align != 0;
    case ZIMU__FO_BG: return o->n_bg > 0;
    }
    return 0;
}

const zimu_flash_opts *zimu__flash_pick(const zimu_flash_script *s,
                                        const zimu_flash_card *k, int field)
{
    if (zimu__flash_opts_has(&k->o, field))
        return &k->o;
    if (k->section >= 0 && zimu__flash_opts_has(&s->sections[k->section].o, field))
        return &s->sections[k->section].o;
    if (zimu__flash_opts_has(&s->defaults, field))
        return &s->defaults;
    return NULL;
}
