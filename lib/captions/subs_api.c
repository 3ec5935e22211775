/* subs_api.c - zimu_subs: caption files on their own (zimu convert, and
 * programs that read, edit and retime captions).
 *
 * A handle holds the cues of the last file loaded, sorted by start (equal
 * starts in file order). An ASS/SSA script is its header and its events,
 * one cue each (cue.h): retiming and editing change the events, and saving
 * as .ass writes the header and the events. */
#include <math.h>
#include <stdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "capopts.h"
#include "charset.h"
#include "chinese.h"
#include "cuetext.h"
#include "load.h"
#include "parsers.h"
#include "subs.h"
#include "timing.h"
#include "write_subs.h"

/* Times a cue may have: well inside what retiming keeps exact. */
#define SUBS_TIME_MAX ((int64_t)1 << 50)

struct zimu_subs {
    zimu_ctx ctx;
    zimu_capopts cap;
    zimu_cues cues;
    char *name;       /* of what was loaded, NULL before any */
    char *path;       /* the file loaded (zimu_subs_load), NULL if none */
    int64_t next_order; /* file order of the next event added to a script */
    int width, height;
    int chinese;      /* conversion of every cue (chinese.h), 0: none */
    zimu_chinese *cc; /* its converter, opened at the first use */
};

/* Messages of failures found by getters: the handle is the caller's, not
 * a constant (zimu_subs_new allocates it). */
#define CTX(s) ((zimu_ctx *)&(s)->ctx)

/* NULL is an invalid argument; a pointer that is not a live zimu_subs
 * (another kind of handle, or one freed) is ZIMU_EBADHANDLE, as for every
 * other handle. */
#define CHECK_SUBS(s)                                                         \
    do {                                                                      \
        if (!(s))                                                             \
            return ZIMU_EINVAL;                                               \
        if ((s)->ctx.magic != ZIMU__MAGIC_SUBS)                               \
            return ZIMU_EBADHANDLE;                                           \
    } while (0)

zimu_subs *zimu_subs_new(void)
{
    zimu_subs *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ctx.magic = ZIMU__MAGIC_SUBS;
    zimu__capopts_init(&s->cap);
    s->width = 1080;
    s->height = 1920;
    return s;
}

void zimu_subs_free(zimu_subs **ps)
{
    zimu_subs *s = ps ? *ps : NULL;
    if (!s || s->ctx.magic != ZIMU__MAGIC_SUBS) /* not a live handle: left alone */
        return;
    zimu__cues_clear(&s->cues);
    zimu__capopts_clear(&s->cap);
    zimu__chinese_free(&s->cc);
    free(s->name);
    s->ctx.magic = 0;
    free(s->path);
    free(s);
    *ps = NULL;
}

const char *zimu_subs_errmsg(const zimu_subs *s)
{
    return zimu_errmsg(s); /* "" for what is not a live handle */
}

int zimu_subs_set_log(zimu_subs *s, zimu_log_fn cb, void *opaque, int max_level)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (max_level < ZIMU_LOG_ERROR || max_level > ZIMU_LOG_DEBUG)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "log level %d is not valid (0..3)", max_level);
    s->ctx.log_cb = cb;
    s->ctx.log_opaque = opaque;
    s->ctx.log_level = max_level;
    return 0;
}

int zimu_subs_set_charenc(zimu_subs *s, const char *charenc)
{
    CHECK_SUBS(s);
    char *copy = NULL;
    if (charenc && *charenc && !(copy = strdup(charenc)))
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    free(s->cap.charenc);
    s->cap.charenc = copy;
    return 0;
}

int zimu_subs_set_reading_speed(zimu_subs *s, double cps)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (!isfinite(cps) || cps <= 0 || cps > 1000)
        return zimu__fail(&s->ctx, ZIMU_EINVAL,
                          "reading speed %g is not valid (characters a second, > 0)", cps);
    s->cap.cps = cps;
    return 0;
}

int zimu_subs_set_max_file_size(zimu_subs *s, int64_t bytes)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (bytes < 0 || bytes > ZIMU__MAX_FILE_MAX)
        return zimu__fail(&s->ctx, ZIMU_EINVAL,
                          "file size limit %" PRId64 " is not valid (1 byte to 1 TiB; 0: 64 MiB)",
                          bytes);
    s->cap.max_file_size = bytes ? bytes : ZIMU__MAX_FILE_DEFAULT;
    return 0;
}

int zimu_subs_set_chinese(zimu_subs *s, const char *mode)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    int m = zimu__chinese_mode(&s->ctx, mode);
    if (m < 0)
        return m;
    if (m == ZIMU__CHINESE_NONE) {
        /* The cues stay as they are; their script is no longer known. */
        s->chinese = 0;
        s->cues.han = ZIMU__HAN_UNSET;
        return 0;
    }
    if (!s->cc && !(s->cc = zimu__chinese_new()))
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    int r = zimu__chinese_cues(&s->ctx, s->cc, m, &s->cues, 0);
    if (r < 0)
        return r;
    s->chinese = m;
    return 0;
}

/* Make cues (freshly loaded) the handle's, from the file or data named
 * name; path (NULL for data) is the file saving over is refused for. They
 * are converted first (zimu_subs_set_chinese): on failure the handle
 * keeps what it held. */
static int adopt(zimu_subs *s, zimu_cues *cues, const char *name, const char *path)
{
    if (s->chinese) {
        int r = zimu__chinese_cues(&s->ctx, s->cc, s->chinese, cues, 0);
        if (r < 0) {
            zimu__cues_clear(cues);
            return r;
        }
    }
    char *nm = strdup(name), *p = path ? strdup(path) : NULL;
    if (!nm || (path && !p)) {
        free(nm);
        free(p);
        zimu__cues_clear(cues);
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    }
    zimu__cues_clear(&s->cues);
    s->cues = *cues;
    memset(cues, 0, sizeof *cues);
    free(s->name);
    s->name = nm;
    free(s->path);
    s->path = p;
    s->next_order = 0;
    for (size_t i = 0; i < s->cues.n; i++)
        if (s->cues.v[i].ass && s->cues.v[i].ass->order >= s->next_order)
            s->next_order = s->cues.v[i].ass->order + 1;
    return 0;
}

int zimu_subs_load_data(zimu_subs *s, const void *data, size_t size, const char *name)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (!data && size)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "caption data is NULL");
    if (!name || !*name)
        name = "subtitles";
    zimu_cues cues = {0};
    int r = zimu__captions_load(&s->ctx, &s->cap, name, data ? data : "", size, 0, 0, &cues);
    if (r < 0) { /* what was loaded before stays */
        zimu__cues_clear(&cues);
        return r;
    }
    return adopt(s, &cues, name, NULL);
}

int zimu_subs_load(zimu_subs *s, const char *path)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (!path || !*path)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "caption file path is empty");
    zimu_cues cues = {0};
    int r = zimu__captions_load_file(&s->ctx, &s->cap, path, 0, 0, &cues);
    if (r < 0) {
        zimu__cues_clear(&cues);
        return r;
    }
    return adopt(s, &cues, path, path); /* saving over it is refused */
}

int zimu_subs_count(const zimu_subs *s)
{
    CHECK_SUBS(s);
    return s->cues.n > (size_t)0x7fffffff ? 0x7fffffff : (int)s->cues.n;
}

int zimu_subs_is_ass(const zimu_subs *s)
{
    CHECK_SUBS(s);
    return s->cues.ass_header != NULL;
}

/* Cue i, or NULL with ZIMU_EINVAL's message in s. */
static zimu_cue *cue_at(const zimu_subs *s, int i)
{
    if (i < 0 || (size_t)i >= s->cues.n) {
        if (s->cues.n)
            zimu__fail(CTX(s), ZIMU_EINVAL, "cue %d does not exist (0..%zu)", i,
                       s->cues.n - 1);
        else
            zimu__fail(CTX(s), ZIMU_EINVAL, "cue %d does not exist (there are none)", i);
        return NULL;
    }
    return &s->cues.v[i];
}

int zimu_subs_cue(const zimu_subs *s, int i, int64_t *start_ms, int64_t *end_ms,
                  const char **text)
{
    CHECK_SUBS(s);
    zimu__clear(CTX(s));
    const zimu_cue *q = cue_at(s, i);
    if (!q)
        return ZIMU_EINVAL;
    if (start_ms)
        *start_ms = q->start_ms;
    if (end_ms)
        *end_ms = q->end_ms;
    if (text)
        *text = q->text;
    return 0;
}

int zimu_subs_cue_style(const zimu_subs *s, int i, const char **style, int *align,
                        double *x, double *y)
{
    CHECK_SUBS(s);
    zimu__clear(CTX(s));
    const zimu_cue *q = cue_at(s, i);
    if (!q)
        return ZIMU_EINVAL;
    if (style)
        *style = q->style;
    if (align)
        *align = q->align;
    if (x)
        *x = q->pos_x >= 0 ? q->pos_x : -1;
    if (y)
        *y = q->pos_y >= 0 ? q->pos_y : -1;
    return 0;
}

int zimu_subs_word_count(const zimu_subs *s, int i)
{
    CHECK_SUBS(s);
    zimu__clear(CTX(s));
    const zimu_cue *q = cue_at(s, i);
    if (!q)
        return ZIMU_EINVAL;
    return q->n_words > (size_t)0x7fffffff ? 0x7fffffff : (int)q->n_words;
}

int zimu_subs_word(const zimu_subs *s, int i, int k, int64_t *start_ms, int64_t *end_ms,
                   size_t *offset, size_t *length)
{
    CHECK_SUBS(s);
    zimu__clear(CTX(s));
    const zimu_cue *q = cue_at(s, i);
    if (!q)
        return ZIMU_EINVAL;
    if (k < 0 || (size_t)k >= q->n_words)
        return zimu__fail(CTX(s), ZIMU_EINVAL, "cue %d has no word %d (it has %zu)", i, k,
                          q->n_words);
    const zimu_word *w = &q->words[k];
    if (start_ms)
        *start_ms = w->start_ms;
    if (end_ms)
        *end_ms = w->end_ms;
    if (offset)
        *offset = w->off;
    if (length)
        *length = w->len;
    return 0;
}

/* Times and text of a cue to add or set (text may be NULL when may_keep). */
static int check_cue(zimu_subs *s, int64_t start_ms, int64_t end_ms, const char *text,
                     int may_keep)
{
    if (start_ms < 0)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "cue start %lld ms is before 0",
                          (long long)start_ms);
    if (end_ms <= start_ms)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "cue end %lld ms is not after its start %lld ms",
                          (long long)end_ms, (long long)start_ms);
    if (end_ms > SUBS_TIME_MAX)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "cue end %lld ms is too late",
                          (long long)end_ms);
    if (!text && !may_keep)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "cue text is NULL");
    if (text) {
        size_t n = strlen(text);
        size_t bad = zimu__utf8_check(text, n);
        if (bad < n)
            return zimu__fail(&s->ctx, ZIMU_EINVAL,
                              "cue text is not valid UTF-8 (at byte %zu)", bad);
    }
    return 0;
}

/* Move cue `from` to where its start puts it: after every other cue that
 * starts at or before it. Returns its new index. */
static size_t place(zimu_cues *l, size_t from)
{
    zimu_cue q = l->v[from];
    memmove(&l->v[from], &l->v[from + 1], (l->n - from - 1) * sizeof q);
    size_t n = l->n - 1, at = n;
    for (size_t j = 0; j < n; j++) {
        if (l->v[j].start_ms > q.start_ms) {
            at = j;
            break;
        }
    }
    memmove(&l->v[at + 1], &l->v[at], (n - at) * sizeof q);
    l->v[at] = q;
    return at;
}

int zimu_subs_add(zimu_subs *s, int64_t start_ms, int64_t end_ms, const char *text)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    int r = check_cue(s, start_ms, end_ms, text, 0);
    if (r < 0)
        return r;
    if (s->cues.n >= 0x7fffffff)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "too many cues");
    zimu_cue *q = zimu__cues_add(&s->cues, start_ms, end_ms, text, strlen(text));
    if (!q)
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    if (s->chinese && (r = zimu__chinese_cues(&s->ctx, s->cc, s->chinese, &s->cues,
                                              s->cues.n - 1)) < 0) {
        zimu__cue_free(q);
        s->cues.n--;
        return r;
    }
    /* In a script, a new cue is a new event of the default style. */
    if (s->cues.ass_header && zimu__cue_make_ass(q, s->next_order) < 0) {
        zimu__cue_free(q);
        s->cues.n--;
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    }
    if (q->ass)
        s->next_order++;
    return (int)place(&s->cues, s->cues.n - 1);
}

int zimu_subs_set(zimu_subs *s, int i, int64_t start_ms, int64_t end_ms, const char *text)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    zimu_cue *q = cue_at(s, i);
    if (!q)
        return ZIMU_EINVAL;
    int r = check_cue(s, start_ms, end_ms, text, 1);
    if (r < 0)
        return r;
    if (text) {
        char *t = NULL;
        if (s->chinese && (r = zimu__chinese_text(&s->ctx, s->cc, s->chinese, text, &t)) < 0)
            return r;
        if (!s->chinese)
            t = strdup(text);
        char *raw = q->ass && t ? zimu__ass_text_from_cue(t) : NULL;
        if (!t || (q->ass && !raw)) {
            free(t);
            free(raw);
            return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
        }
        free(q->text);
        q->text = t;
        if (q->ass) {
            free(q->ass->text);
            q->ass->text = raw;
        }
        /* The words were of the old text. */
        free(q->words);
        q->words = NULL;
        q->n_words = 0;
    }
    /* Words move with their cue and stay inside it. */
    int64_t d = start_ms - q->start_ms;
    for (size_t k = 0; k < q->n_words; k++) {
        zimu_word *w = &q->words[k];
        w->start_ms += d;
        w->end_ms += d;
        if (w->start_ms < start_ms)
            w->start_ms = start_ms;
        if (w->start_ms > end_ms)
            w->start_ms = end_ms;
        if (w->end_ms > end_ms)
            w->end_ms = end_ms;
        if (w->end_ms < w->start_ms)
            w->end_ms = w->start_ms;
    }
    int moved = start_ms != q->start_ms;
    q->start_ms = start_ms;
    q->end_ms = end_ms;
    return moved ? (int)place(&s->cues, (size_t)i) : i;
}

int zimu_subs_set_style(zimu_subs *s, int i, const char *style, int align, double x,
                        double y)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    zimu_cue *q = cue_at(s, i);
    if (!q)
        return ZIMU_EINVAL;
    if (align < 0 || align > 9)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "alignment %d is not valid (0..9)", align);
    int x_set = x != -1, y_set = y != -1;
    if ((x_set && !(x >= 0 && x <= 1)) || (y_set && !(y >= 0 && y <= 1)))
        return zimu__fail(&s->ctx, ZIMU_EINVAL,
                          "position %g,%g is not valid (fractions of the frame 0..1, or -1)",
                          x, y);
    if (x_set != y_set)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "position needs both x and y (or -1 for both)");
    if (style) {
        size_t n = strlen(style);
        if (!n || zimu__utf8_check(style, n) < n || strpbrk(style, ",\r\n"))
            return zimu__fail(&s->ctx, ZIMU_EINVAL,
                              "style name '%s' is not valid (UTF-8, not empty, no comma or "
                              "line break)", zimu__utf8_check(style, n) < n ? "?" : style);
    }
    if (q->ass && (align || x_set))
        return zimu__fail(&s->ctx, ZIMU_EINVAL,
                          "cue %d is an event of an ASS script: its place is set by the "
                          "override tags in its text ({\\an8}, {\\pos(x,y)})", i);
    int is_default = !style || !strcmp(style, "Default");
    char *st = is_default ? NULL : strdup(style);
    char *ast = q->ass ? strdup(style ? style : "Default") : NULL;
    if ((!is_default && !st) || (q->ass && !ast)) {
        free(st);
        free(ast);
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    }
    free(q->style);
    q->style = st;
    if (q->ass) {
        free(q->ass->style);
        q->ass->style = ast;
    }
    q->align = align;
    q->pos_x = x_set ? x : -1;
    q->pos_y = y_set ? y : -1;
    return 0;
}

int zimu_subs_remove(zimu_subs *s, int i)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    zimu_cue *q = cue_at(s, i);
    if (!q)
        return ZIMU_EINVAL;
    zimu__cue_free(q);
    memmove(q, q + 1, (s->cues.n - (size_t)i - 1) * sizeof *q);
    s->cues.n--;
    return 0;
}

int zimu_subs_retime(zimu_subs *s, double scale, int64_t shift_ms, int overlap, int64_t min_ms)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (!isfinite(scale) || scale <= 0)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "time scale %g is not valid (> 0)", scale);
    if (overlap != ZIMU_OVERLAP_KEEP && overlap != ZIMU_OVERLAP_MERGE &&
        overlap != ZIMU_OVERLAP_DROP)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "overlap rule %d is not valid", overlap);
    if (min_ms < 0 || min_ms > SUBS_TIME_MAX)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "minimum duration %lld ms is not valid",
                          (long long)min_ms);
    if (shift_ms < -SUBS_TIME_MAX || shift_ms > SUBS_TIME_MAX)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "shift %lld ms is not valid",
                          (long long)shift_ms);
    /* Nothing shows before 0: clip_from 0 drops what ends by then and
     * starts at 0 what starts before. */
    zimu_timing t = {.scale = scale, .shift_ms = shift_ms, .overlap = overlap,
                     .min_ms = min_ms};
    return zimu__timing_apply(&s->ctx, &s->cues, &t);
}

int zimu_subs_shift(zimu_subs *s, int64_t shift_ms)
{
    return zimu_subs_retime(s, 1.0, shift_ms, ZIMU_OVERLAP_KEEP, 0);
}

int zimu_subs_clamp(zimu_subs *s, int64_t from_ms, int64_t to_ms)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (from_ms < 0)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "clamp start %lld ms is before 0",
                          (long long)from_ms);
    if (to_ms >= 0 && to_ms <= from_ms)
        return zimu__fail(&s->ctx, ZIMU_EINVAL,
                          "clamp end %lld ms is not after its start %lld ms",
                          (long long)to_ms, (long long)from_ms);
    zimu__timing_clamp(&s->cues, from_ms, to_ms);
    return 0;
}

int zimu_subs_set_size(zimu_subs *s, int width, int height)
{
    CHECK_SUBS(s);
    if (width < 16 || height < 16 || width > 16384 || height > 16384)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "frame size %dx%d is not valid", width,
                          height);
    s->width = width;
    s->height = height;
    return 0;
}

int zimu_subs_save(zimu_subs *s, const char *path, int overwrite)
{
    CHECK_SUBS(s);
    zimu__clear(&s->ctx);
    if (!path || !*path)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "output path is empty");
    if (!s->name && !s->cues.n)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "%s: no captions loaded or added to write",
                          path);
    int fmt = zimu__write_format(path);
    if (!fmt)
        return zimu__fail(&s->ctx, ZIMU_EINVAL,
                          "%s: the name must end in .srt, .vtt, .ass or .lrc (the format "
                          "is taken from it)", path);
    const char *in[1] = {s->path};
    int r = zimu__check_output(&s->ctx, path, overwrite, in, 1);
    if (r < 0)
        return r;
    zimu_write_opts o = {.width = s->width, .height = s->height};
    /* A plain script's style in the face of its text's script (Traditional:
     * TC, as a renderer would draw it). */
    if (fmt == ZIMU__SUBS_ASS && !s->cues.ass_header) {
        if (!s->cc && !(s->cc = zimu__chinese_new()))
            return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
        o.font = zimu__chinese_face(zimu__chinese_cues_script(&s->ctx, s->cc, &s->cues));
    }
    zimu_sbuf b = {0};
    r = zimu__subs_write(&s->ctx, &s->cues, fmt, &o, &b);
    if (r >= 0)
        r = zimu__write_file_atomic(&s->ctx, path, b.s ? b.s : "", b.len, overwrite);
    zimu__sb_free(&b);
    return r;
}

const zimu_cues *zimu__subs_cues(const zimu_subs *s)
{
    return &s->cues;
}
