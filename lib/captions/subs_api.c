/* subs_api.c - zimu_subs: caption files on their own (zimu convert).
 *
 * A handle holds the cues of the last file loaded. An ASS/SSA script is
 * kept as its text (so converting it to ASS copies it) and also read as
 * cues (its events), for counting and for writing other formats; a shift
 * moves both. */
#include <stdlib.h>
#include <string.h>

#include "capopts.h"
#include "cuetext.h"
#include "parsers.h"
#include "subs.h"
#include "timing.h"
#include "write_subs.h"

struct zimu_subs {
    zimu_ctx ctx;
    zimu_capopts cap;
    zimu_cues cues;
    char *name;     /* of the file loaded, NULL before any */
    int width, height;
};

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
    if (!s)
        return;
    zimu__cues_clear(&s->cues);
    zimu__capopts_clear(&s->cap);
    free(s->name);
    s->ctx.magic = 0;
    free(s);
    *ps = NULL;
}

const char *zimu_subs_errmsg(const zimu_subs *s)
{
    return s ? s->ctx.errmsg : "";
}

int zimu_subs_set_charenc(zimu_subs *s, const char *charenc)
{
    if (!s)
        return ZIMU_EINVAL;
    char *copy = NULL;
    if (charenc && *charenc && !(copy = strdup(charenc)))
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    free(s->cap.charenc);
    s->cap.charenc = copy;
    return 0;
}

int zimu_subs_load_data(zimu_subs *s, const void *data, size_t size, const char *name)
{
    if (!s)
        return ZIMU_EINVAL;
    zimu__clear(&s->ctx);
    if (!data && size)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "caption data is NULL");
    if (!name || !*name)
        name = "subtitles";
    char *nm = strdup(name);
    if (!nm)
        return zimu__fail(&s->ctx, ZIMU_ENOMEM, "out of memory");
    zimu_cues cues = {0};
    int r = zimu__captions_load(&s->ctx, &s->cap, name, data ? data : "", size, 0, 0, &cues);
    if (r >= 0 && cues.ass_script)
        r = zimu__ass_to_cues(&s->ctx, name, cues.ass_script, cues.ass_size, &cues);
    if (r < 0) {
        /* What was loaded before stays. */
        zimu__cues_clear(&cues);
        free(nm);
        return r;
    }
    zimu__cues_clear(&s->cues);
    s->cues = cues;
    free(s->name);
    s->name = nm;
    return 0;
}

int zimu_subs_load(zimu_subs *s, const char *path)
{
    if (!s)
        return ZIMU_EINVAL;
    zimu__clear(&s->ctx);
    if (!path || !*path)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "caption file path is empty");
    char *data;
    size_t size;
    int r = zimu__read_file(&s->ctx, path, &data, &size);
    if (r == ZIMU_ENOENT) {
        /* As for a burn job: a caption file that cannot be read is a
         * caption problem (ZIMU_ENOENT is for input videos). */
        char why[ZIMU_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", s->ctx.errmsg);
        return zimu__fail_file(&s->ctx, ZIMU_ESUBS, path, "%s", why);
    }
    if (r < 0)
        return r;
    r = zimu_subs_load_data(s, data, size, path);
    free(data);
    if (r < 0 && r != ZIMU_ENOMEM) /* a parse error: about the file too */
        zimu__set_errfile(&s->ctx, r, path);
    return r;
}

int zimu_subs_count(const zimu_subs *s)
{
    if (!s)
        return ZIMU_EINVAL;
    return s->cues.n > (size_t)0x7fffffff ? 0x7fffffff : (int)s->cues.n;
}

int zimu_subs_shift(zimu_subs *s, int64_t shift_ms)
{
    if (!s)
        return ZIMU_EINVAL;
    zimu__clear(&s->ctx);
    if (!shift_ms)
        return 0;
    /* Nothing can show before 0: cues that end by then go, one that starts
     * before starts at 0. */
    zimu_timing t = {.scale = 1.0, .shift_ms = shift_ms};
    int r = zimu__timing_apply(&s->ctx, &s->cues, &t);
    if (r >= 0 && s->cues.ass_script)
        r = zimu__timing_ass_script(&s->ctx, s->name, &s->cues, 1.0, shift_ms);
    return r;
}

int zimu_subs_set_size(zimu_subs *s, int width, int height)
{
    if (!s)
        return ZIMU_EINVAL;
    if (width < 16 || height < 16 || width > 16384 || height > 16384)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "frame size %dx%d is not valid", width,
                          height);
    s->width = width;
    s->height = height;
    return 0;
}

int zimu_subs_save(zimu_subs *s, const char *path, int overwrite)
{
    if (!s)
        return ZIMU_EINVAL;
    zimu__clear(&s->ctx);
    if (!path || !*path)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "output path is empty");
    if (!s->name)
        return zimu__fail(&s->ctx, ZIMU_EINVAL, "%s: no captions loaded to write", path);
    int fmt = zimu__write_format(path);
    if (!fmt)
        return zimu__fail(&s->ctx, ZIMU_EINVAL,
                          "%s: the name must end in .srt, .vtt, .ass or .lrc (the format "
                          "is taken from it)", path);
    (void)overwrite; /* the writer's no-replace rule comes with the shared output check */
    zimu_write_opts o = {.width = s->width, .height = s->height, .cap = &s->cap};
    zimu_sbuf b = {0};
    int r = zimu__subs_write(&s->ctx, &s->cues, fmt, &o, &b);
    if (r >= 0)
        r = zimu__write_file_atomic(&s->ctx, path, b.s ? b.s : "", b.len);
    zimu__sb_free(&b);
    return r;
}

const zimu_cues *zimu__subs_cues(const zimu_subs *s)
{
    return &s->cues;
}
