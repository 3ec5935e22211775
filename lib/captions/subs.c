/* subs.c - caption bytes -> UTF-8 -> format -> cues: detection of the
 * format and the dispatch to one parser per format (parsers.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "cuetext.h"
#include "parsers.h"
#include "subs.h"

/* ---- formats ---- */

static const char *const fmt_names[] = {"auto", "srt", "ass", "vtt",
                                        "lrc", "whisper", "txt"};

const char *zimu__subs_format_name(int fmt)
{
    if (fmt < 0 || (size_t)fmt >= sizeof fmt_names / sizeof fmt_names[0])
        return "auto";
    return fmt_names[fmt];
}

int zimu__subs_format_from_name(const char *name)
{
    if (!name)
        return ZIMU__SUBS_AUTO;
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    const char *ext = dot ? dot + 1 : base;
    static const struct { const char *ext; int fmt; } map[] = {
        {"srt", ZIMU__SUBS_SRT}, {"ass", ZIMU__SUBS_ASS},
        {"ssa", ZIMU__SUBS_ASS}, {"vtt", ZIMU__SUBS_VTT},
        {"webvtt", ZIMU__SUBS_VTT}, {"lrc", ZIMU__SUBS_LRC},
        {"json", ZIMU__SUBS_WHISPER}, {"whisper", ZIMU__SUBS_WHISPER},
        {"txt", ZIMU__SUBS_TXT}, {"text", ZIMU__SUBS_TXT},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcasecmp(ext, map[i].ext))
            return map[i].fmt;
    return ZIMU__SUBS_AUTO;
}

/* Does the line start with an LRC time tag "[mm:ss"? */
static int lrc_time_tag(const char *l, size_t n)
{
    size_t i = 0;
    if (i >= n || l[i] != '[')
        return 0;
    i++;
    size_t d = 0;
    while (i < n && is_digit((unsigned char)l[i]))
        i++, d++;
    if (!d || i >= n || l[i] != ':')
        return 0;
    i++;
    return i < n && is_digit((unsigned char)l[i]);
}

/* Is the line an LRC metadata tag "[ar:...]"? */
static int lrc_meta_tag(const char *l, size_t n)
{
    if (n < 3 || l[0] != '[' || l[n - 1] != ']')
        return 0;
    size_t i = 1;
    while (i < n && (is_alpha((unsigned char)l[i]) || l[i] == '#'))
        i++;
    return i > 1 && i < n && l[i] == ':';
}

static int only_digits(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && is_space((unsigned char)l[i]))
        i++;
    size_t d = 0;
    while (i < n && is_digit((unsigned char)l[i]))
        i++, d++;
    while (i < n && is_space((unsigned char)l[i]))
        i++;
    return d && i == n;
}

static int has_arrow(const char *l, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (l[i] == '-' && l[i + 1] == '-' && l[i + 2] == '>')
            return 1;
    return 0;
}

/* JSON of whisper.cpp: an object with a "transcription" key. */
static int whisper_like(const char *data, size_t size)
{
    size_t p = 0;
    while (p < size && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r' ||
                        data[p] == '\n'))
        p++;
    if (p >= size || data[p] != '{')
        return 0;
    static const char key[] = "\"transcription\"";
    size_t kl = sizeof key - 1;
    for (size_t i = p; i + kl <= size; i++)
        if (data[i] == '"' && !memcmp(data + i, key, kl))
            return 1;
    return 0;
}

int zimu__subs_detect(const char *name, const char *data, size_t size)
{
    size_t p = 0;
    while (p < size && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r' ||
                        data[p] == '\n'))
        p++;
    if (size - p >= 6 && !memcmp(data + p, "WEBVTT", 6) &&
        (size - p == 6 || is_space((unsigned char)data[p + 6]) ||
         data[p + 6] == '\n' || data[p + 6] == '\r'))
        return ZIMU__SUBS_VTT;
    if (whisper_like(data, size))
        return ZIMU__SUBS_WHISPER;

    /* Look at the first non-blank lines. */
    const char *l;
    size_t n;
    size_t pos = p;
    int seen = 0, first_digits = 0, first_bracket = 0, lrc_time = 0;
    int lrc_all = 1;
    while (seen < 40 && zimu__next_line(data, size, &pos, &l, &n)) {
        while (n && is_space((unsigned char)l[n - 1]))
            n--;
        while (n && is_space((unsigned char)*l))
            l++, n--;
        if (!n)
            continue;
        if (zimu__eq_ci(l, n, "[script info]") || zimu__eq_ci(l, n, "[v4+ styles]") ||
            zimu__eq_ci(l, n, "[v4 styles]") || zimu__eq_ci(l, n, "[events]"))
            return ZIMU__SUBS_ASS;
        if (seen == 0) {
            first_digits = only_digits(l, n);
            first_bracket = l[0] == '[';
        }
        /* SRT: a timing line first, or second after a cue number. */
        if ((seen == 0 || (seen == 1 && first_digits)) && has_arrow(l, n))
            return ZIMU__SUBS_SRT;
        if (lrc_time_tag(l, n))
            lrc_time = 1;
        else if (!lrc_meta_tag(l, n))
            lrc_all = 0;
        seen++;
        if (seen >= 8 && !lrc_all)
            break;
    }
    if (first_bracket && lrc_time && lrc_all)
        return ZIMU__SUBS_LRC;
    if (first_bracket && lrc_time && seen >= 8)
        return ZIMU__SUBS_LRC;
    return zimu__subs_format_from_name(name);
}

int zimu__subs_parse(zimu_ctx *c, const char *name, const char *data,
                     size_t size, const zimu_subs_opts *opts, zimu_cues *out)
{
    static const zimu_subs_opts defaults;
    if (!opts)
        opts = &defaults;
    if (!name || !*name)
        name = "subtitles";
    if (!out || (!data && size))
        return zimu__fail(c, ZIMU_EINVAL, "%s: no data", name);
    if (!data)
        data = "";

    char *u;
    size_t len;
    const char *enc = NULL;
    int r;
    /* whisper.cpp writes token text byte for byte: a file of Chinese tokens
     * is UTF-8 only once the tokens are joined, so it is not checked here
     * (the parser checks every cue's text). */
    const char *bom_enc = NULL;
    size_t bom = zimu__charset_bom((const unsigned char *)data, size, &bom_enc);
    if ((!opts->charenc || !*opts->charenc) &&
        (!bom_enc || !strcmp(bom_enc, "UTF-8")) &&
        (opts->format == ZIMU__SUBS_WHISPER ||
         (opts->format == ZIMU__SUBS_AUTO &&
          (whisper_like(data + bom, size - bom) ||
           (zimu__subs_format_from_name(name) == ZIMU__SUBS_WHISPER &&
            zimu__subs_detect(NULL, data + bom, size - bom) == ZIMU__SUBS_AUTO))))) {
        len = size - bom;
        u = malloc(len + 1);
        if (!u)
            return zimu__fail(c, ZIMU_ENOMEM, "%s: out of memory", name);
        memcpy(u, data + bom, len);
        u[len] = 0;
    } else {
        r = zimu__charset_to_utf8(c, name, data, size, opts->charenc, &u, &len,
                                  &enc);
        if (r < 0)
            return r;
    }
    if (enc && strcasecmp(enc, "UTF-8") != 0)
        zimu__log(c, ZIMU_LOG_INFO, "%s: text encoding %s", name, enc);

    int fmt = opts->format ? opts->format : zimu__subs_detect(name, u, len);
    switch (fmt) {
    case ZIMU__SUBS_SRT:
        r = zimu__parse_srt(c, name, u, len, out);
        break;
    case ZIMU__SUBS_ASS:
        r = zimu__parse_ass(c, name, u, len, out);
        break;
    case ZIMU__SUBS_VTT:
        r = zimu__parse_vtt(c, name, u, len, out);
        break;
    case ZIMU__SUBS_LRC:
        r = zimu__parse_lrc(c, name, u, len, opts->clip_ms, out);
        break;
    case ZIMU__SUBS_WHISPER:
        r = zimu__parse_whisper(c, name, u, len, out);
        break;
    case ZIMU__SUBS_TXT:
        r = zimu__parse_txt(c, name, u, len, opts->cps, opts->clip_ms, out);
        break;
    default: {
        size_t s = 0;
        while (s < len && (u[s] == ' ' || u[s] == '\t' || u[s] == '\r' || u[s] == '\n'))
            s++;
        if (s == len) /* empty, and nothing says what it would be */
            r = zimu__fail(c, ZIMU_ESUBS, "%s:1: the file is empty", name);
        else
            r = zimu__fail(c, ZIMU_ESUBS,
                           "%s:1: not a caption format zimu reads (SRT, ASS/SSA, "
                           "WebVTT, LRC, whisper.cpp JSON; plain text must be "
                           "named .txt)", name);
        break;
    }
    }
    free(u);
    if (r < 0) {
        zimu__cues_clear(out);
        return r;
    }
    free(out->name);
    if (!(out->name = strdup(name))) {
        zimu__cues_clear(out);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    if (!out->ass_header) {
        if (zimu__cues_sort(out) < 0) {
            zimu__cues_clear(out);
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        }
        if (!out->n)
            zimu__log(c, ZIMU_LOG_WARNING, "%s: no captions in the file", name);
    }
    return 0;
}
