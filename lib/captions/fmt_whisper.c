/* fmt_whisper.c - whisper.cpp JSON output (-oj, -ojf).
 *
 *   {"transcription": [
 *     {"timestamps": {"from": "00:00:00,000", "to": "00:00:03,200"},
 *      "offsets": {"from": 0, "to": 3200},
 *      "text": " ...",
 *      "tokens": [{"text": " And", "offsets": {"from": 0, "to": 320}, ...},
 *                 ...]},     (tokens: -ojf only)
 *     ...]}
 *
 * Each segment becomes a cue (times from "offsets", else "timestamps").
 * With tokens, the cue text is the tokens' text joined (whisper's segment
 * text is made the same way) and the tokens become words: a token opening
 * with a space starts a word, Chinese and Japanese characters are a word
 * each, subword pieces, punctuation and the bytes of a character split over
 * two tokens join the word before. Special tokens ("[_BEG_]", "[_TT_150]",
 * "<|endoftext|>") are skipped.
 *
 * whisper.cpp writes token text byte for byte, so a file of Chinese tokens
 * is not valid UTF-8 as a whole; zimu__subs_parse hands it over unchecked
 * and the joined text of each cue is checked here.
 *
 * Fails (name:LINE:) on JSON syntax errors, a missing "transcription" array,
 * a segment without times or text, and cue text that is not UTF-8. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "charset.h"
#include "cuetext.h"
#include "parsers.h"

static size_t line_of(const char *d, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++) {
        if (d[i] == '\n')
            line++;
        else if (d[i] == '\r' && (i + 1 >= off || d[i + 1] != '\n'))
            line++;
    }
    return line;
}

/* Offset of element k of the root object's "transcription" array, for the
 * line numbers of messages (json-c keeps no positions). 0 if not found. */
static size_t element_offset(const char *d, size_t n, size_t k)
{
    int depth = 0, in_tr = 0;
    size_t count = 0, key_s = 0, key_e = 0;
    int expect_elem = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = d[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
            continue;
        if (expect_elem && depth == 2 && in_tr && ch != ']') {
            if (count == k)
                return i;
            count++;
            expect_elem = 0;
        }
        if (ch == '"') {
            size_t s = i + 1;
            i++;
            while (i < n && d[i] != '"') {
                if (d[i] == '\\')
                    i++;
                i++;
            }
            if (depth == 1)
                key_s = s, key_e = i;
            continue;
        }
        if (ch == '{' || ch == '[') {
            depth++;
            if (ch == '[' && depth == 2 && key_e - key_s == 13 &&
                !memcmp(d + key_s, "transcription", 13)) {
                in_tr = 1;
                expect_elem = 1;
            }
        } else if (ch == '}' || ch == ']') {
            if (depth == 2 && in_tr)
                return 0;
            depth--;
        } else if (ch == ',' && depth == 2 && in_tr) {
            expect_elem = 1;
        }
    }
    return 0;
}

typedef struct wctx {
    zimu_ctx *c;
    const char *name;
    const char *data;
    size_t size;
} wctx;

static size_t seg_line(const wctx *w, size_t k)
{
    return line_of(w->data, element_offset(w->data, w->size, k));
}

/* "HH:MM:SS,mmm" (whisper's timestamps): ms, or -1. */
static int64_t ts_ms(const char *s)
{
    int64_t v[4] = {0, 0, 0, 0};
    int k = 0;
    size_t digits = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (++digits > 9)
                return -1;
            v[k] = v[k] * 10 + (*s - '0');
        } else if ((*s == ':' && k < 2) || ((*s == ',' || *s == '.') && k == 2)) {
            if (!digits)
                return -1;
            k++;
            digits = 0;
        } else
            return -1;
    }
    if (k != 3 || !digits)
        return -1;
    return ((v[0] * 60 + v[1]) * 60 + v[2]) * 1000 + v[3];
}

/* Times of an object with "offsets" (ms) or "timestamps" (text). */
static int times_of(json_object *o, int64_t *from, int64_t *to)
{
    json_object *off, *f, *t;
    if (json_object_object_get_ex(o, "offsets", &off) &&
        json_object_is_type(off, json_type_object) &&
        json_object_object_get_ex(off, "from", &f) &&
        json_object_object_get_ex(off, "to", &t) &&
        json_object_is_type(f, json_type_int) && json_object_is_type(t, json_type_int)) {
        *from = json_object_get_int64(f);
        *to = json_object_get_int64(t);
        return *from >= 0 && *to >= 0 && *from <= ZIMU__MAX_TIME_MS &&
                       *to <= ZIMU__MAX_TIME_MS ? 0 : -1;
    }
    if (json_object_object_get_ex(o, "timestamps", &off) &&
        json_object_is_type(off, json_type_object) &&
        json_object_object_get_ex(off, "from", &f) &&
        json_object_object_get_ex(off, "to", &t) &&
        json_object_is_type(f, json_type_string) && json_object_is_type(t, json_type_string)) {
        *from = ts_ms(json_object_get_string(f));
        *to = ts_ms(json_object_get_string(t));
        return *from >= 0 && *to >= 0 && *from <= ZIMU__MAX_TIME_MS &&
                       *to <= ZIMU__MAX_TIME_MS ? 0 : -1;
    }
    return -1;
}

static int special_token(const char *s, size_t n)
{
    if (n >= 4 && s[0] == '[' && s[1] == '_' && s[n - 1] == ']')
        return 1;
    if (n >= 4 && s[0] == '<' && s[1] == '|' && s[n - 2] == '|' && s[n - 1] == '>')
        return 1;
    return 0;
}

/* Is the UTF-8 character at s punctuation (ASCII or CJK)? */
static int punct_at(const unsigned char *s, size_t n)
{
    if (!n)
        return 0;
    if (s[0] < 0x80)
        return s[0] != ' ' && !((s[0] >= '0' && s[0] <= '9') ||
                                (s[0] >= 'a' && s[0] <= 'z') ||
                                (s[0] >= 'A' && s[0] <= 'Z') || s[0] >= 0x80);
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80) /* U+3000..U+303F */
        return 1;
    if (n >= 3 && s[0] == 0xEF && (s[1] == 0xBC || s[1] == 0xBD)) {
        /* fullwidth forms U+FF00..U+FF7F: punctuation unless a letter or digit */
        unsigned cp = ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        cp |= 0xF000;
        return !((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                 (cp >= 0xFF41 && cp <= 0xFF5A));
    }
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80) /* general punctuation */
        return 1;
    return 0;
}

typedef struct tok {
    size_t off, len;
    int64_t from, to; /* -1 if the token has no times */
} tok;

/* Group the tokens into words and add them to cue. text is the cue text,
 * toks' offsets are into it. */
static int add_words(zimu_cue *cue, const char *text, const tok *t, size_t nt)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t i = 0;
    while (i < nt) {
        size_t j = i + 1;
        /* which tokens join token i's word */
        while (j < nt) {
            const unsigned char *s = u + t[j].off;
            size_t l = t[j].len;
            if (!l) {
                j++;
                continue;
            }
            if ((s[0] & 0xC0) == 0x80) { /* rest of a split character */
                j++;
                continue;
            }
            if (s[0] == ' ' || s[0] == '\t')
                break;
            if (punct_at(s, l)) {
                j++;
                continue;
            }
            if (s[0] >= 0xE0) /* a CJK character: a word of its own */
                break;
            /* ASCII or a 2-byte letter: a subword piece, unless the word
             * so far ends in a CJK character */
            size_t e = t[j - 1].off + t[j - 1].len, b = e;
            while (b > t[i].off && (u[b - 1] & 0xC0) == 0x80)
                b--;
            if (b > t[i].off && u[b - 1] >= 0xE0)
                break;
            if (b == e && e > t[i].off && u[e - 1] >= 0xE0)
                break;
            j++;
        }
        size_t off = t[i].off, end = t[j - 1].off + t[j - 1].len;
        while (off < end && (u[off] == ' ' || u[off] == '\t'))
            off++;
        int64_t from = -1, to = -1;
        for (size_t k = i; k < j; k++) {
            if (t[k].from < 0)
                continue;
            if (from < 0)
                from = t[k].from;
            if (t[k].to > to)
                to = t[k].to;
        }
        if (end > off && from >= 0) {
            if (to < from)
                to = from;
            if (zimu__cue_add_word(cue, from, to, off, end - off) < 0)
                return ZIMU_ENOMEM;
        }
        i = j;
    }
    return 0;
}

static int segment(wctx *w, size_t k, json_object *seg, zimu_cues *out)
{
    if (!json_object_is_type(seg, json_type_object))
        return zimu__fail(w->c, ZIMU_ESUBS, "%s:%zu: segment %zu is not an object",
                          w->name, seg_line(w, k), k + 1);
    int64_t from, to;
    if (times_of(seg, &from, &to) < 0)
        return zimu__fail(w->c, ZIMU_ESUBS,
                          "%s:%zu: segment %zu has no valid \"offsets\" or "
                          "\"timestamps\"", w->name, seg_line(w, k), k + 1);
    json_object *jt, *jtoks;
    zimu_sbuf b = {0};
    tok *toks = NULL;
    size_t nt = 0;
    int r = 0;
    if (json_object_object_get_ex(seg, "tokens", &jtoks) &&
        json_object_is_type(jtoks, json_type_array) &&
        json_object_array_length(jtoks) > 0) {
        size_t n = json_object_array_length(jtoks);
        toks = calloc(n, sizeof *toks);
        if (!toks)
            return zimu__fail(w->c, ZIMU_ENOMEM, "%s: out of memory", w->name);
        for (size_t i = 0; i < n; i++) {
            json_object *to_ = json_object_array_get_idx(jtoks, i), *tt;
            if (!json_object_is_type(to_, json_type_object) ||
                !json_object_object_get_ex(to_, "text", &tt) ||
                !json_object_is_type(tt, json_type_string)) {
                r = zimu__fail(w->c, ZIMU_ESUBS,
                               "%s:%zu: token %zu of segment %zu has no \"text\"",
                               w->name, seg_line(w, k), i + 1, k + 1);
                goto done;
            }
            const char *s = json_object_get_string(tt);
            size_t l = (size_t)json_object_get_string_len(tt);
            if (special_token(s, l))
                continue;
            int64_t f = -1, e = -1;
            if (times_of(to_, &f, &e) < 0)
                f = e = -1;
            toks[nt++] = (tok){b.len, 0, f, e};
            zimu__sb_add_text(&b, s, l);
            toks[nt - 1].len = b.len - toks[nt - 1].off;
        }
    } else if (json_object_object_get_ex(seg, "text", &jt) &&
               json_object_is_type(jt, json_type_string)) {
        zimu__sb_add_text(&b, json_object_get_string(jt),
                          (size_t)json_object_get_string_len(jt));
    } else {
        return zimu__fail(w->c, ZIMU_ESUBS, "%s:%zu: segment %zu has no \"text\"",
                          w->name, seg_line(w, k), k + 1);
    }
    if (!b.s)
        zimu__sb_add(&b, "", 0);
    if (b.oom) {
        r = zimu__fail(w->c, ZIMU_ENOMEM, "%s: out of memory", w->name);
        goto done;
    }
    if (zimu__utf8_check(b.s, b.len) != b.len || memchr(b.s, 0, b.len)) {
        r = zimu__fail(w->c, ZIMU_ECHARSET,
                       "%s:%zu: the text of segment %zu is not valid UTF-8",
                       w->name, seg_line(w, k), k + 1);
        goto done;
    }
    /* Leading and trailing spaces (whisper starts segments with one). */
    size_t s = 0, e = b.len;
    while (s < e && (b.s[s] == ' ' || b.s[s] == '\t' || b.s[s] == '\n' || b.s[s] == '\r'))
        s++;
    while (e > s && (b.s[e - 1] == ' ' || b.s[e - 1] == '\t' || b.s[e - 1] == '\n' ||
                     b.s[e - 1] == '\r'))
        e--;
    if (s == e)
        goto done; /* nothing to show */
    if (to <= from) {
        zimu__log(w->c, ZIMU_LOG_WARNING, "%s:%zu: segment %zu ends before it starts; skipped",
                  w->name, seg_line(w, k), k + 1);
        goto done;
    }
    zimu_cue *cue = zimu__cues_add(out, from, to, b.s + s, e - s);
    if (!cue) {
        r = zimu__fail(w->c, ZIMU_ENOMEM, "%s: out of memory", w->name);
        goto done;
    }
    cue->line = seg_line(w, k);
    /* Token offsets into the trimmed text. */
    size_t m = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t a = toks[i].off, z = toks[i].off + toks[i].len;
        if (a < s)
            a = s;
        if (z > e)
            z = e;
        if (z <= a)
            continue;
        toks[m] = toks[i];
        toks[m].off = a - s;
        toks[m].len = z - a;
        m++;
    }
    if (add_words(cue, cue->text, toks, m) < 0)
        r = zimu__fail(w->c, ZIMU_ENOMEM, "%s: out of memory", w->name);
done:
    free(toks);
    zimu__sb_free(&b);
    return r;
}

int zimu__parse_whisper(zimu_ctx *c, const char *name, const char *data,
                        size_t size, zimu_cues *out)
{
    wctx w = {c, name, data, size};
    if (size > INT_MAX)
        return zimu__fail(c, ZIMU_ESUBS, "%s: file too large", name);
    json_tokener *tk = json_tokener_new();
    if (!tk)
        return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
    json_object *root = json_tokener_parse_ex(tk, data, (int)size);
    enum json_tokener_error err = json_tokener_get_error(tk);
    size_t end = json_tokener_get_parse_end(tk);
    int r = 0;
    if (!root) {
        if (err == json_tokener_continue || err == json_tokener_success)
            r = zimu__fail(c, ZIMU_ESUBS, "%s:%zu: JSON ends too early", name,
                           line_of(data, size));
        else
            r = zimu__fail(c, ZIMU_ESUBS, "%s:%zu: JSON is not valid: %s", name,
                           line_of(data, end > size ? size : end),
                           json_tokener_error_desc(err));
        json_tokener_free(tk);
        return r;
    }
    json_tokener_free(tk);
    for (size_t i = end; i < size; i++)
        if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n') {
            json_object_put(root);
            return zimu__fail(c, ZIMU_ESUBS, "%s:%zu: text after the end of the JSON",
                              name, line_of(data, i));
        }
    json_object *tr;
    if (!json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "transcription", &tr) ||
        !json_object_is_type(tr, json_type_array)) {
        json_object_put(root);
        return zimu__fail(c, ZIMU_ESUBS,
                          "%s:1: no \"transcription\" array: not whisper.cpp JSON "
                          "output (-oj or -ojf)", name);
    }
    size_t n = json_object_array_length(tr);
    for (size_t k = 0; k < n && r == 0; k++)
        r = segment(&w, k, json_object_array_get_idx(tr, k), out);
    json_object_put(root);
    return r;
}
