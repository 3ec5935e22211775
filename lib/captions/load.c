/* load.c - a caption file for a burn or a conversion: detect and convert
 * the encoding, parse, then retime (timing.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "load.h"
#include "subs.h"
#include "timing.h"

int zimu__captions_load(zimu_ctx *c, const zimu_capopts *o, const char *name,
                        const char *data, size_t size, int64_t clip_from,
                        int64_t clip_to, zimu_cues *out)
{
    zimu_subs_opts so = {
        .charenc = o->charenc, .cps = o->cps, .clip_ms = clip_to > 0 ? clip_to : 0,
    };
    char *u = NULL;
    int64_t txt_from = 0;
    /* Plain text has no times of its own: it is spread over the part of the
     * clip the output shows, which with a trim does not start at 0. It must
     * be named .txt; its content then says whether it is plain text. */
    if (clip_from > 0 && zimu__subs_format_from_name(name) == ZIMU__SUBS_TXT) {
        zimu_ctx quiet; /* a failure here is reported by the parse below */
        memset(&quiet, 0, sizeof quiet);
        size_t len;
        const char *used = NULL;
        if (zimu__charset_to_utf8(&quiet, name ? name : "subtitles", data, size,
                                  o->charenc, &u, &len, &used) == 0 &&
            zimu__subs_detect(name, u, len) == ZIMU__SUBS_TXT) {
            if (used && strcmp(used, "UTF-8") != 0)
                zimu__log(c, ZIMU_LOG_INFO, "%s: text encoding %s", name, used);
            so.charenc = "UTF-8";
            so.format = ZIMU__SUBS_TXT;
            so.clip_ms = clip_to > clip_from ? clip_to - clip_from : 0;
            data = u;
            size = len;
            txt_from = clip_from;
        }
    }
    int r = zimu__subs_parse(c, name, data, size, &so, out);
    free(u);
    if (r >= 0 && zimu__cancelled(c)) {
        zimu__cues_clear(out);
        r = zimu__fail_cancel(c);
    }
    if (r < 0)
        return r;
    for (size_t i = 0; txt_from && i < out->n; i++) {
        out->v[i].start_ms += txt_from;
        out->v[i].end_ms += txt_from;
    }
    r = zimu__captions_retime(c, o, clip_from, clip_to, out);
    if (r < 0)
        zimu__cues_clear(out);
    return r;
}

int zimu__captions_load_file(zimu_ctx *c, const zimu_capopts *o, const char *path,
                             int64_t clip_from, int64_t clip_to, zimu_cues *out)
{
    char *data;
    size_t size;
    int r = zimu__read_file(c, path, o->max_file_size, ZIMU_ESUBS, NULL, &data, &size);
    if (r == ZIMU_ENOENT) {
        char why[ZIMU_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", c->errmsg);
        return zimu__fail_file(c, ZIMU_ESUBS, path, "%s", why);
    }
    if (r < 0)
        return r;
    r = zimu__captions_load(c, o, path, data, size, clip_from, clip_to, out);
    free(data);
    if (r < 0 && r != ZIMU_ENOMEM) /* a parse error: about the file too */
        zimu__set_errfile(c, r, path);
    return r;
}
