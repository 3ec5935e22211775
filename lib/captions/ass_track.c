/* ass_track.c - an ASS/SSA script's header and events as a libass track,
 * event times in milliseconds. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ass_limits.h"
#include "ass_track.h"
#include "shown.h"

/* The index of the style named name, or -1: leading '*' dropped,
 * "Default" in any case means "Default", the last style of that name. */
static int find_style(const ASS_Track *t, const char *name)
{
    while (*name == '*')
        name++;
    if (!strcasecmp(name, "Default"))
        name = "Default";
    for (int i = t->n_styles - 1; i >= 0; i--)
        if (t->styles[i].Name && !strcmp(t->styles[i].Name, name))
            return i;
    return -1;
}

/* The track's default style index. */
static int default_style(const ASS_Track *t)
{
    return t->default_style >= 0 && t->default_style < t->n_styles ? t->default_style : 0;
}

/* The style index libass gives a Style field: the style of that name, or
 * the track's default style. */
static int style_index(zimu_ctx *c, const ASS_Track *t, const char *name)
{
    int i = find_style(t, name);
    if (i >= 0)
        return i;
    int d = default_style(t);
    zimu__log(c, ZIMU_LOG_WARNING, "ASS: no style named '%s'; using '%s'", name,
              t->n_styles ? t->styles[d].Name : "Default");
    return d;
}

static void quiet(int level, const char *fmt, va_list va, void *data)
{
}

int zimu__ass_styles_open(zimu_ass_styles *s, const zimu_cues *cues)
{
    memset(s, 0, sizeof *s);
    if (!cues->ass_header)
        return 0;
    char *copy = malloc(cues->ass_header_len + 1);
    s->lib = ass_library_init();
    if (!copy || !s->lib) {
        free(copy);
        zimu__ass_styles_close(s);
        return ZIMU_ENOMEM;
    }
    ass_set_message_cb(s->lib, quiet, NULL);
    memcpy(copy, cues->ass_header, cues->ass_header_len);
    copy[cues->ass_header_len] = 0;
    s->track = ass_read_memory(s->lib, copy, cues->ass_header_len, NULL);
    free(copy);
    return 0;
}

const ASS_Style *zimu__ass_styles_find(const zimu_ass_styles *s, const char *name)
{
    if (!s->track || !s->track->n_styles)
        return NULL;
    int i = find_style(s->track, name ? name : "Default");
    return &s->track->styles[i >= 0 ? i : default_style(s->track)];
}

void zimu__ass_styles_close(zimu_ass_styles *s)
{
    if (s->track)
        ass_free_track(s->track);
    if (s->lib)
        ass_library_done(s->lib);
    memset(s, 0, sizeof *s);
}

static int add_event(zimu_ctx *c, ASS_Track *t, const zimu_cue *q, int order,
                     zimu_ass_clamped *k)
{
    int id = ass_alloc_event(t);
    if (id < 0)
        return ZIMU_ENOMEM;
    ASS_Event *e = &t->events[id];
    const zimu_ass_event *a = q->ass;
    e->Start = q->start_ms;
    e->Duration = q->end_ms - q->start_ms;
    e->ReadOrder = order;
    e->Layer = q->layer;
    e->Style = style_index(c, t, a ? a->style : q->style ? q->style : "Default");
    e->Name = strdup(a ? a->name : "");
    e->Effect = strdup(a ? a->effect : "");
    /* Override tags clamped to what the frame can show (ass_limits.h). */
    char *raw = a ? NULL : zimu__ass_text_from_cue(q->text);
    if (a || raw)
        e->Text = zimu__ass_clamp_text(t, e->Style, a ? a->text : raw, k, a ? a->line : 0,
                                       q->start_ms);
    free(raw);
    if (a) {
        e->MarginL = a->margin_l;
        e->MarginR = a->margin_r;
        e->MarginV = a->margin_v;
    }
    if (!e->Name || !e->Effect || !e->Text)
        return ZIMU_ENOMEM;
    /* Reading a file, libass drops the spaces and tabs that end a line
     * (0.17), and a '\r' ending the text. */
    size_t n = strlen(e->Text);
    while (n && (e->Text[n - 1] == ' ' || e->Text[n - 1] == '\t'))
        e->Text[--n] = 0;
    if (n && e->Text[n - 1] == '\r')
        e->Text[n - 1] = 0;
    return 0;
}

int zimu__ass_track_new(zimu_ctx *c, ASS_Library *lib, const zimu_cues *cues,
                        ASS_Track **out)
{
    *out = NULL;
    if (!cues || !cues->ass_header)
        return zimu__fail(c, ZIMU_EINVAL, "the captions are not an ASS script");
    /* ass_read_memory wants a writable, NUL-terminated buffer. */
    char *copy = malloc(cues->ass_header_len + 1);
    if (!copy)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    memcpy(copy, cues->ass_header, cues->ass_header_len);
    copy[cues->ass_header_len] = 0;
    ASS_Track *t = ass_read_memory(lib, copy, cues->ass_header_len, NULL);
    free(copy);
    if (!t)
        return zimu__fail(c, ZIMU_ESUBS, "the ASS script cannot be read by libass");
    zimu_ass_clamped k = {0};
    zimu__ass_clamp_styles(t, &k);
    const zimu_cue **v;
    if (zimu__ass_events_in_order(cues, &v) < 0) {
        ass_free_track(t);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    /* At most ZIMU_MAX_ASS_SHOWN events at once (shown.h): libass draws
     * every event on screen on every frame. Events dropped keep their
     * ReadOrder gap: libass only compares ReadOrders. */
    unsigned char *keep = malloc(cues->n ? cues->n : 1);
    if (!keep || zimu__cues_cap_shown(c, cues, ZIMU_MAX_ASS_SHOWN, "event", keep) < 0) {
        free(keep);
        free(v);
        ass_free_track(t);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < cues->n; i++) {
        if (!keep[v[i] - cues->v])
            continue;
        if (add_event(c, t, v[i], (int)i, &k) < 0) {
            free(keep);
            free(v);
            ass_free_track(t);
            return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
        }
    }
    free(keep);
    free(v);
    zimu__ass_clamped_warn(c, cues->name, &k);
    *out = t;
    return 0;
}
