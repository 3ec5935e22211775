/* check_timing_ops.c - caption timing: scale, shift, overlap (keep, merge,
 * drop), minimum duration and clamping, table-driven on cue lists; ASS
 * events retimed as cues (milliseconds), written in centiseconds and
 * handed to libass as a track; loading with a clip window (plain text over a trimmed
 * segment, the last LRC line at the clip's end); and burns whose captions
 * must land on the shifted, scaled, lengthened frames. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ass/ass.h>

#include "ass_track.h"
#include "capopts.h"
#include "load.h"
#include "sbuf.h"
#include "subs.h"
#include "timing.h"
#include "util_ass.h"
#include "util_clip.h"
#include "zimu.h"

#define MAXC 6
#define MAXW 3

typedef struct {
    int64_t start, end;
    size_t off, len;
} tword;

typedef struct {
    int64_t start, end;
    const char *text;
    int align;
    tword w[MAXW];
} tcue;

typedef struct {
    const char *what;
    int n_in;
    tcue in[MAXC];
    zimu_timing t;
    int n_out;
    tcue out[MAXC];
} op_case;

#define T(scale, shift, overlap, min, from, to) \
    {(scale), (shift), (overlap), (min), (from), (to)}
#define NONE T(1, 0, ZIMU_OVERLAP_KEEP, 0, 0, 0)
#define KEEP ZIMU_OVERLAP_KEEP
#define MERGE ZIMU_OVERLAP_MERGE
#define DROP ZIMU_OVERLAP_DROP

static const op_case OPS[] = {
    {"identity", 2, {{0, 1000, "a", 0, {{0}}}, {1000, 2000, "b", 0, {{0}}}}, NONE,
     2, {{0, 1000, "a", 0, {{0}}}, {1000, 2000, "b", 0, {{0}}}}},
    {"shift later", 2, {{0, 1000, "a", 0, {{0}}}, {1500, 2000, "b", 0, {{0}}}},
     T(1, 1000, KEEP, 0, 0, 0),
     2, {{1000, 2000, "a", 0, {{0}}}, {2500, 3000, "b", 0, {{0}}}}},
    {"shift earlier: cut at 0, gone before it", 3,
     {{0, 1000, "a", 0, {{0}}}, {1000, 2000, "b", 0, {{0}}}, {3000, 4000, "c", 0, {{0}}}},
     T(1, -1500, KEEP, 0, 0, 0),
     2, {{0, 500, "b", 0, {{0}}}, {1500, 2500, "c", 0, {{0}}}}},
    {"scale x2", 1, {{1000, 1500, "a", 0, {{0}}}}, T(2, 0, KEEP, 0, 0, 0),
     1, {{2000, 3000, "a", 0, {{0}}}}},
    {"scale 23.976/25 (rounded to ms)", 1, {{10000, 12000, "a", 0, {{0}}}},
     T(23.976 / 25, 0, KEEP, 0, 0, 0), 1, {{9590, 11508, "a", 0, {{0}}}}},
    {"scale before shift", 1, {{1000, 2000, "a", 0, {{0}}}}, T(2, 100, KEEP, 0, 0, 0),
     1, {{2100, 4100, "a", 0, {{0}}}}},
    {"keep leaves overlaps", 2, {{0, 2000, "A", 0, {{0}}}, {1000, 3000, "B", 0, {{0}}}}, NONE,
     2, {{0, 2000, "A", 0, {{0}}}, {1000, 3000, "B", 0, {{0}}}}},
    {"merge two, touching third stays", 3,
     {{0, 2000, "A", 0, {{0}}}, {1000, 3000, "B", 0, {{0}}}, {3000, 4000, "C", 0, {{0}}}},
     T(1, 0, MERGE, 0, 0, 0),
     2, {{0, 3000, "A\nB", 0, {{0}}}, {3000, 4000, "C", 0, {{0}}}}},
    {"merge a chain", 3,
     {{0, 1500, "A", 0, {{0}}}, {1000, 2500, "B", 0, {{0}}}, {2000, 3000, "C", 0, {{0}}}},
     T(1, 0, MERGE, 0, 0, 0), 1, {{0, 3000, "A\nB\nC", 0, {{0}}}}},
    {"merge: the same text once", 2, {{0, 2000, "X", 0, {{0}}}, {1000, 3000, "X", 0, {{0}}}},
     T(1, 0, MERGE, 0, 0, 0), 1, {{0, 3000, "X", 0, {{0}}}}},
    {"merge: only cues at the same place", 2,
     {{0, 2000, "bottom", 0, {{0}}}, {1000, 3000, "top", 8, {{0}}}},
     T(1, 0, MERGE, 0, 0, 0),
     2, {{0, 2000, "bottom", 0, {{0}}}, {1000, 3000, "top", 8, {{0}}}}},
    {"merge: styling of the first ends before the second", 2,
     {{0, 2000, "{\\i1}x", 0, {{0}}}, {1000, 3000, "y", 0, {{0}}}},
     T(1, 0, MERGE, 0, 0, 0), 1, {{0, 3000, "{\\i1}x\n{\\r}y", 0, {{0}}}}},
    {"merge: words follow their text", 2,
     {{0, 2000, "ab", 0, {{0, 500, 0, 1}, {500, 2000, 1, 1}}},
      {1000, 3000, "cd", 0, {{1000, 3000, 0, 2}}}},
     T(1, 0, MERGE, 0, 0, 0),
     1, {{0, 3000, "ab\ncd", 0, {{0, 500, 0, 1}, {500, 2000, 1, 1}, {1000, 3000, 3, 2}}}}},
    {"drop: each ends where the next begins", 3,
     {{0, 2000, "A", 0, {{0}}}, {1000, 3000, "B", 0, {{0}}}, {2500, 4000, "C", 0, {{0}}}},
     T(1, 0, DROP, 0, 0, 0),
     3, {{0, 1000, "A", 0, {{0}}}, {1000, 2500, "B", 0, {{0}}}, {2500, 4000, "C", 0, {{0}}}}},
    {"drop: same start, the later one in the file wins", 2,
     {{0, 2000, "A", 0, {{0}}}, {0, 1000, "B", 0, {{0}}}}, T(1, 0, DROP, 0, 0, 0),
     1, {{0, 1000, "B", 0, {{0}}}}},
    {"drop: a sign at the top does not cut the dialogue", 2,
     {{0, 2000, "dialogue", 0, {{0}}}, {500, 1500, "sign", 8, {{0}}}},
     T(1, 0, DROP, 0, 0, 0),
     2, {{0, 2000, "dialogue", 0, {{0}}}, {500, 1500, "sign", 8, {{0}}}}},
    {"drop: words cut with their cue", 2,
     {{0, 2000, "ab", 0, {{0, 800, 0, 1}, {800, 2000, 1, 1}}}, {1000, 3000, "c", 0, {{0}}}},
     T(1, 0, DROP, 0, 0, 0),
     2, {{0, 1000, "ab", 0, {{0, 800, 0, 1}, {800, 1000, 1, 1}}}, {1000, 3000, "c", 0, {{0}}}}},
    {"minimum: up to the next start; the last one in full", 3,
     {{0, 300, "a", 0, {{0}}}, {800, 900, "b", 0, {{0}}}, {5000, 5200, "c", 0, {{0}}}},
     T(1, 0, KEEP, 1000, 0, 0),
     3, {{0, 800, "a", 0, {{0}}}, {800, 1800, "b", 0, {{0}}}, {5000, 6000, "c", 0, {{0}}}}},
    {"minimum never shortens", 2, {{0, 3000, "long", 0, {{0}}}, {100, 2000, "x", 0, {{0}}}},
     T(1, 0, KEEP, 1000, 0, 0),
     2, {{0, 3000, "long", 0, {{0}}}, {100, 2000, "x", 0, {{0}}}}},
    {"minimum: overlapping next start keeps the end", 2,
     {{0, 300, "a", 0, {{0}}}, {100, 2000, "b", 0, {{0}}}}, T(1, 0, KEEP, 1000, 0, 0),
     2, {{0, 300, "a", 0, {{0}}}, {100, 2000, "b", 0, {{0}}}}},
    {"drop, then minimum (order)", 2, {{0, 2000, "A", 0, {{0}}}, {500, 600, "B", 0, {{0}}}},
     T(1, 0, DROP, 1000, 0, 0),
     2, {{0, 500, "A", 0, {{0}}}, {500, 1500, "B", 0, {{0}}}}},
    {"clamp to the clip's end", 3,
     {{4000, 6000, "a", 0, {{0}}}, {5000, 6000, "b", 0, {{0}}}, {4500, 4600, "c", 0, {{0}}}},
     T(1, 0, KEEP, 1000, 0, 5000),
     2, {{4000, 5000, "a", 0, {{0}}}, {4500, 5000, "c", 0, {{0}}}}},
    {"clamp to a trimmed segment (source timeline)", 3,
     {{0, 1000, "before", 0, {{0}}}, {1000, 3000, "across", 0, {{0}}},
      {3000, 6000, "after", 0, {{0}}}},
     T(1, 0, KEEP, 0, 2000, 5000),
     2, {{2000, 3000, "across", 0, {{0}}}, {3000, 5000, "after", 0, {{0}}}}},
    {"shift into the clip from before the trim", 1, {{0, 1000, "a", 0, {{0, 1000, 0, 1}}}},
     T(1, 2500, KEEP, 0, 3000, 10000), 1, {{3000, 3500, "a", 0, {{3000, 3500, 0, 1}}}}},
    {"unsorted input comes out sorted", 2, {{3000, 4000, "b", 0, {{0}}}, {0, 1000, "a", 0, {{0}}}},
     NONE, 2, {{0, 1000, "a", 0, {{0}}}, {3000, 4000, "b", 0, {{0}}}}},
    {"cues with no time are dropped", 2, {{1000, 1000, "empty", 0, {{0}}}, {0, 500, "a", 0, {{0}}}},
     NONE, 1, {{0, 500, "a", 0, {{0}}}}},
};

static void fill(zimu_cues *l, const tcue *in, int n)
{
    memset(l, 0, sizeof *l);
    for (int i = 0; i < n; i++) {
        zimu_cue *q = zimu__cues_add(l, in[i].start, in[i].end, in[i].text, strlen(in[i].text));
        ck_assert_ptr_nonnull(q);
        q->align = in[i].align;
        for (int k = 0; k < MAXW && in[i].w[k].len; k++)
            ck_assert_int_eq(zimu__cue_add_word(q, in[i].w[k].start, in[i].w[k].end,
                                                in[i].w[k].off, in[i].w[k].len), 0);
    }
}

static void expect(const char *what, const zimu_cues *l, const tcue *out, int n)
{
    ck_assert_msg((int)l->n == n, "%s: %zu cues, expected %d", what, l->n, n);
    for (int i = 0; i < n; i++) {
        const zimu_cue *q = &l->v[i];
        ck_assert_msg(q->start_ms == out[i].start && q->end_ms == out[i].end,
                      "%s: cue %d is %lld..%lld, expected %lld..%lld", what, i,
                      (long long)q->start_ms, (long long)q->end_ms, (long long)out[i].start,
                      (long long)out[i].end);
        ck_assert_msg(!strcmp(q->text, out[i].text), "%s: cue %d text [%s], expected [%s]",
                      what, i, q->text, out[i].text);
        ck_assert_int_eq(q->align, out[i].align);
        size_t nw = 0;
        while (nw < MAXW && out[i].w[nw].len)
            nw++;
        ck_assert_msg(q->n_words == nw, "%s: cue %d has %zu words, expected %zu", what, i,
                      q->n_words, nw);
        for (size_t k = 0; k < nw; k++) {
            const zimu_word *w = &q->words[k];
            ck_assert_msg(w->start_ms == out[i].w[k].start && w->end_ms == out[i].w[k].end &&
                              w->off == out[i].w[k].off && w->len == out[i].w[k].len,
                          "%s: cue %d word %zu is %lld..%lld @%zu+%zu", what, i, k,
                          (long long)w->start_ms, (long long)w->end_ms, w->off, w->len);
        }
    }
}

START_TEST(test_ops)
{
    const op_case *tc = &OPS[_i];
    zimu_cues l;
    fill(&l, tc->in, tc->n_in);
    zimu_ctx c = {0};
    ck_assert_int_eq(zimu__timing_apply(&c, &l, &tc->t), 0);
    expect(tc->what, &l, tc->out, tc->n_out);
    zimu__cues_clear(&l);
}
END_TEST

/* The job's settings reach the timing: defaults change nothing. */
START_TEST(test_from_capopts)
{
    zimu_capopts o;
    zimu__capopts_init(&o);
    zimu_timing t;
    zimu__timing_from_capopts(&t, &o);
    ck_assert(t.scale == 1.0);
    ck_assert_int_eq(t.shift_ms, 0);
    ck_assert_int_eq(t.overlap, ZIMU_OVERLAP_KEEP);
    ck_assert_int_eq(t.min_ms, 0);
    o.shift_ms = -250;
    o.time_scale = 0.5;
    o.overlap = ZIMU_OVERLAP_DROP;
    o.min_ms = 700;
    zimu__timing_from_capopts(&t, &o);
    ck_assert(t.scale == 0.5);
    ck_assert_int_eq(t.shift_ms, -250);
    ck_assert_int_eq(t.overlap, ZIMU_OVERLAP_DROP);
    ck_assert_int_eq(t.min_ms, 700);
    zimu__capopts_clear(&o);
}
END_TEST

/* Setters refuse what makes no sense, keep the rest. */
START_TEST(test_job_setters)
{
    zimu_job *job = zimu_job_new();
    ck_assert_ptr_nonnull(job);
    ck_assert_int_eq(zimu_job_set_shift(job, -1500), 0);
    ck_assert_int_eq(zimu_job_set_time_scale(job, 25.0 / 23.976), 0);
    ck_assert_int_eq(zimu_job_set_time_scale(job, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_time_scale(job, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_overlap(job, ZIMU_OVERLAP_MERGE), 0);
    ck_assert_int_eq(zimu_job_set_overlap(job, 7), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_min_duration(job, 800), 0);
    ck_assert_int_eq(zimu_job_set_min_duration(job, -1), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_reading_speed(job, 6), 0);
    ck_assert_int_eq(zimu_job_set_reading_speed(job, 0), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_charenc(job, "GB18030"), 0);
    ck_assert_int_eq(zimu_job_set_charenc(job, NULL), 0);
    zimu_job_free(&job);
}
END_TEST

/* ---- ASS scripts ---- */

static const char ASS_HEAD[] =
    "[Script Info]\r\nScriptType: v4.00+\r\nPlayResX: 640\r\nPlayResY: 360\r\n\r\n"
    "[V4+ Styles]\r\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, "
    "Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\r\n"
    "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,"
    "0,0,1,1,0,2,10,10,10,1\r\n\r\n[Events]\r\n";

static zimu_cues script(const char *events)
{
    zimu_cues l = {0};
    zimu_ctx c = {0};
    size_t n = strlen(ASS_HEAD) + strlen(events);
    char *text = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n + 1, "%s%s", ASS_HEAD, events);
    ck_assert_msg(zimu__subs_parse(&c, "x.ass", text, n, NULL, &l) == 0, "%s", c.errmsg);
    ck_assert_ptr_nonnull(l.ass_header);
    free(text);
    return l;
}

static char *script_text(const zimu_cues *l)
{
    zimu_ctx c = {0};
    zimu_sbuf b = {0};
    ck_assert_int_eq(zimu__ass_script_write(&c, l, &b), 0);
    return zimu__sb_take(&b);
}

/* ASS events are cues retimed in ms, written in centiseconds (rounded);
 * a Format with End before Start; line ends kept; events moved before 0
 * removed or started at 0; overlap and minimum duration leave them. */
START_TEST(test_ass_events_retimed)
{
    zimu_ctx c = {0};
    zimu_cues l = script(
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\r\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,one, with commas\r\n"
        "Comment: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,note\r\n"
        "Dialogue: 0,0:00:00.10,0:00:00.50,Default,,0,0,0,,gone after -1.234\r\n"
        "Dialogue: 0,0:59:59.99,1:00:00.00,Default,,0,0,0,,hour\r\n");
    zimu_timing t = {.scale = 1.0, .shift_ms = 1234};
    ck_assert_int_eq(zimu__timing_apply(&c, &l, &t), 0);
    char *w = script_text(&l);
    ck_assert_msg(strstr(w, "Dialogue: 0,0:00:02.23,0:00:03.23,Default,,0,0,0,,one, "
                            "with commas\r\n"), "%s", w);
    ck_assert_msg(strstr(w, "Dialogue: 0,1:00:01.22,1:00:01.23,"), "%s", w);
    ck_assert_msg(!strstr(w, "Comment:"), "%s", w);
    free(w);
    /* back by 2.468 s: the 0.10-0.50 event (now 1.33-1.73) is gone, the
     * first starts at 0 */
    t.shift_ms = -2468;
    ck_assert_int_eq(zimu__timing_apply(&c, &l, &t), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_int_eq(l.v[0].start_ms, 0);
    ck_assert_int_eq(l.v[0].end_ms, 766);
    w = script_text(&l);
    ck_assert_msg(strstr(w, "Dialogue: 0,0:00:00.00,0:00:00.77,Default,,0,0,0,,one"), "%s", w);
    ck_assert_msg(!strstr(w, "gone after"), "%s", w);
    ck_assert_msg(strstr(w, "[Script Info]\r\nScriptType: v4.00+\r\n"), "header");
    free(w);
    zimu__cues_clear(&l);

    l = script("Format: Layer, End, Start, Style, Name, MarginL, MarginR, MarginV, Effect, "
               "Text\nDialogue: 0,0:00:02.00,0:00:01.00,Default,,0,0,0,,swapped\n");
    t = (zimu_timing){.scale = 2.0};
    ck_assert_int_eq(zimu__timing_apply(&c, &l, &t), 0);
    w = script_text(&l);
    ck_assert_msg(strstr(w, "Dialogue: 0,0:00:04.00,0:00:02.00,Default"), "%s", w);
    free(w);
    zimu__cues_clear(&l);

    /* Overlapping events stay as they are, short ones too, and a clip
     * does not cut them (their tags animate them from their start). */
    l = script(TU_ASS_EVENT_FORMAT
               "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,a\n"
               "Dialogue: 0,0:00:02.00,0:00:02.10,Default,,0,0,0,,b\n");
    const zimu_timing ops[] = {
        {.scale = 1.0, .overlap = ZIMU_OVERLAP_MERGE},
        {.scale = 1.0, .overlap = ZIMU_OVERLAP_DROP, .min_ms = 2000},
        {.scale = 1.0, .clip_from = 1500, .clip_to = 2050},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        ck_assert_int_eq(zimu__timing_apply(&c, &l, &ops[k]), 0);
        ck_assert_uint_eq(l.n, 2);
        ck_assert_int_eq(l.v[0].start_ms, 1000);
        ck_assert_int_eq(l.v[0].end_ms, 3000);
        ck_assert_int_eq(l.v[1].start_ms, 2000);
        ck_assert_int_eq(l.v[1].end_ms, 2100);
        ck_assert_str_eq(l.v[0].text, "a");
    }
    zimu__cues_clear(&l);
}
END_TEST

static void quiet_ass(int level, const char *fmt, va_list va, void *data)
{
    (void)level, (void)fmt, (void)va, (void)data;
}

/* A libass track of the header and the retimed events: milliseconds, every
 * field where libass's own reading puts it, styles looked up as libass
 * does, events in file order. */
START_TEST(test_ass_track)
{
    zimu_cues l = script(TU_ASS_EVENT_FORMAT
                         "Dialogue: 3,0:00:01.00,0:00:02.50,Default,Ann,7,8,9,Banner;5,{\\i1}x\\Ny\n"
                         "Dialogue: 0,0:00:00.50,0:00:01.00,*default,,0,0,0,,first\n"
                         "Dialogue: 0,0:00:00.70,0:00:01.00,Nope,,0,0,0,,unknown style\n");
    zimu_ctx c = {0};
    zimu_timing t = {.scale = 2.0, .shift_ms = 1234};
    ck_assert_int_eq(zimu__timing_apply(&c, &l, &t), 0);
    ASS_Library *lib = ass_library_init();
    ck_assert_ptr_nonnull(lib);
    ass_set_message_cb(lib, quiet_ass, NULL);
    ASS_Track *tr = NULL;
    ck_assert_int_eq(zimu__ass_track_new(&c, lib, &l, &tr), 0);
    ck_assert_ptr_nonnull(tr);
    ck_assert_int_eq(tr->PlayResX, 640);
    ck_assert_int_eq(tr->n_events, 3);
    /* libass's own "Default" is style 0, the script's is 1 */
    ck_assert_int_ge(tr->n_styles, 2);
    int def = tr->default_style;
    ck_assert_str_eq(tr->styles[def].Name, "Default");
    const ASS_Event *e = &tr->events[0]; /* file order */
    ck_assert_int_eq(e->Start, 3234);
    ck_assert_int_eq(e->Duration, 3000);
    ck_assert_int_eq(e->ReadOrder, 0);
    ck_assert_int_eq(e->Layer, 3);
    ck_assert_int_eq(e->Style, def);
    ck_assert_str_eq(e->Name, "Ann");
    ck_assert_int_eq(e->MarginL, 7);
    ck_assert_int_eq(e->MarginR, 8);
    ck_assert_int_eq(e->MarginV, 9);
    ck_assert_str_eq(e->Effect, "Banner;5");
    ck_assert_str_eq(e->Text, "{\\i1}x\\Ny");
    ck_assert_int_eq(tr->events[1].Start, 2234);
    ck_assert_int_eq(tr->events[1].Duration, 1000);
    ck_assert_int_eq(tr->events[1].Style, def);
    ck_assert_str_eq(tr->events[1].Text, "first");
    ck_assert_int_eq(tr->events[2].Style, def);
    ck_assert_int_eq(tr->events[2].ReadOrder, 2);
    ass_free_track(tr);

    /* The same events as libass reads them from the whole script text
     * (times in 10 ms steps there, so scaled by 3 and shifted by 10 s). */
    t = (zimu_timing){.scale = 3.0, .shift_ms = 10000};
    zimu__cues_clear(&l);
    l = script(TU_ASS_EVENT_FORMAT
               "Dialogue: 3,0:00:01.00,0:00:02.50,Default,Ann,7,8,9,Banner;5,{\\i1}x\\Ny\n"
               "Dialogue: 0,0:00:00.50,0:00:01.00,*default,,0,0,0,,first\n"
               "Dialogue: 1, 0:00:00.70 ,0:00:01.00, Nope ,,-1,0,0,, unknown style  \n");
    ck_assert_int_eq(zimu__timing_apply(&c, &l, &t), 0);
    char *w = script_text(&l);
    ASS_Track *ref = ass_read_memory(lib, w, strlen(w), NULL);
    ck_assert_ptr_nonnull(ref);
    ck_assert_int_eq(zimu__ass_track_new(&c, lib, &l, &tr), 0);
    ck_assert_int_eq(ref->n_events, tr->n_events);
    for (int i = 0; i < ref->n_events; i++) {
        const ASS_Event *a = &ref->events[i], *b = &tr->events[i];
        ck_assert_int_eq(a->Start, b->Start);
        ck_assert_int_eq(a->Duration, b->Duration);
        ck_assert_int_eq(a->Layer, b->Layer);
        ck_assert_int_eq(a->Style, b->Style);
        ck_assert_int_eq(a->MarginL, b->MarginL);
        ck_assert_int_eq(a->MarginR, b->MarginR);
        ck_assert_int_eq(a->MarginV, b->MarginV);
        ck_assert_str_eq(a->Name, b->Name);
        ck_assert_str_eq(a->Effect, b->Effect);
        ck_assert_str_eq(a->Text, b->Text);
    }
    ass_free_track(ref);
    ass_free_track(tr);
    free(w);

    /* Cues that are no script: refused. */
    zimu_cues plain = {0};
    ck_assert_int_eq(zimu__ass_track_new(&c, lib, &plain, &tr), ZIMU_EINVAL);
    ck_assert_ptr_null(tr);
    ass_library_done(lib);
    zimu__cues_clear(&l);
}
END_TEST

/* ---- loading with a clip window ---- */

START_TEST(test_load_txt_over_trimmed_segment)
{
    zimu_capopts o;
    zimu__capopts_init(&o);
    zimu_ctx c = {0};
    zimu_cues l = {0};
    const char *txt = "第一行字幕\n第二行字幕\n";
    /* trimmed to [10 s, 14 s): spread over those 4 s of the source */
    ck_assert_int_eq(zimu__captions_load(&c, &o, "notes.txt", txt, strlen(txt), 10000, 14000,
                                         &l), 0);
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.v[0].start_ms, 10000);
    ck_assert_int_eq(l.v[0].end_ms, 12000);
    ck_assert_int_eq(l.v[1].start_ms, 12000);
    ck_assert_int_eq(l.v[1].end_ms, 14000);
    zimu__cues_clear(&l);
    /* untrimmed: over [0, 6 s) */
    ck_assert_int_eq(zimu__captions_load(&c, &o, "notes.txt", txt, strlen(txt), 0, 6000, &l), 0);
    ck_assert_int_eq(l.v[1].end_ms, 6000);
    zimu__cues_clear(&l);
    /* an SRT named .txt stays on its own times, clamped */
    const char *srt = "1\n00:00:11,000 --> 00:00:20,000\nx\n";
    ck_assert_int_eq(zimu__captions_load(&c, &o, "really-srt.txt", srt, strlen(srt), 10000,
                                         14000, &l), 0);
    ck_assert_int_eq(l.n, 1);
    ck_assert_int_eq(l.v[0].start_ms, 11000);
    ck_assert_int_eq(l.v[0].end_ms, 14000);
    zimu__cues_clear(&l);
    /* reading speed: 2 characters a second, no clip length known */
    o.cps = 2;
    ck_assert_int_eq(zimu__captions_load(&c, &o, "notes.txt", txt, strlen(txt), 0, 0, &l), 0);
    ck_assert_int_eq(l.v[0].end_ms, 2500);
    zimu__cues_clear(&l);
    zimu__capopts_clear(&o);
}
END_TEST

START_TEST(test_load_lrc_and_timing)
{
    zimu_capopts o;
    zimu__capopts_init(&o);
    zimu_ctx c = {0};
    zimu_cues l = {0};
    const char *lrc = "[00:01.00]a\n[00:02.00]b\n";
    /* the last line ends at the clip's end */
    ck_assert_int_eq(zimu__captions_load(&c, &o, "x.lrc", lrc, strlen(lrc), 0, 3500, &l), 0);
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.v[1].end_ms, 3500);
    zimu__cues_clear(&l);
    /* shift and minimum applied after parsing, then the clamp */
    o.shift_ms = 1000;
    o.overlap = ZIMU_OVERLAP_MERGE;
    ck_assert_int_eq(zimu__captions_load(&c, &o, "x.lrc", lrc, strlen(lrc), 0, 3500, &l), 0);
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.v[0].start_ms, 2000);
    ck_assert_int_eq(l.v[1].start_ms, 3000);
    ck_assert_int_eq(l.v[1].end_ms, 3500);
    zimu__cues_clear(&l);
    /* a parse error leaves nothing and names the line */
    const char *bad = "[00:01.00]a\n[0x:02.00]b\n";
    ck_assert_int_eq(zimu__captions_load(&c, &o, "bad.lrc", bad, strlen(bad), 0, 0, &l),
                     ZIMU_ESUBS);
    ck_assert_msg(strstr(c.errmsg, "bad.lrc:2:"), "%s", c.errmsg);
    ck_assert_int_eq(l.n, 0);
    zimu__capopts_clear(&o);
}
END_TEST

/* ---- burns ---- */

static char *dir;

static void setup(void)
{
    dir = tu_test_dir();
    ck_assert_msg(dir != NULL, "%s", tu_err());
}

static void teardown(void)
{
    tu_test_dir_done(dir);
    dir = NULL;
}

static int *visible(const tu_video *v, int64_t st, int64_t en)
{
    int *vis = calloc((size_t)v->n + 1, sizeof *vis);
    ck_assert_ptr_nonnull(vis);
    for (int i = 0; i < v->n; i++) {
        int64_t t = tu_frame_ms(v, i);
        vis[i] = t >= st && t < en;
    }
    return vis;
}

/* Burn subs onto a fresh clip with the settings made by set; the caption
 * must be on exactly the frames in [st, en). */
static void burn_expect(const char *subs_name, const char *subs_text,
                        void (*set)(zimu_job *), int64_t st, int64_t en)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.audio = TU_AUDIO_NONE;
    o.bg = TU_BG_GREY;
    o.markers = 0;
    char *in = tu_path(dir, "in.mp4");
    TU_OK(tu_make_clip(in, &o));
    char *subs = tu_write_text(dir, subs_name, subs_text);
    ck_assert_ptr_nonnull(subs);
    char *out = tu_path(dir, "out.mp4");
    zimu_job *job = tu_job(in, subs, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    set(job);
    TU_RUN_OK(job);
    tu_video src, dst;
    TU_OK(tu_read_video(in, &src, 1));
    TU_OK(tu_read_video(out, &dst, 1));
    ck_assert_int_eq(dst.n, src.n);
    int *vis = visible(&src, st, en);
    int shown = 0;
    for (int i = 0; i < src.n; i++)
        shown += vis[i];
    ck_assert_msg(shown > 3, "test premise: the caption spans frames");
    int bad = tu_check_caption_frames(&dst, &src, 0, vis, src.n, 20, NULL);
    ck_assert_msg(bad == 0, "%d frames wrong: %s", bad, tu_err());
    free(vis);
    tu_video_free(&src);
    tu_video_free(&dst);
    zimu_job_free(&job);
    free(in);
    free(subs);
    free(out);
}

static const char SRT_05_10[] = "1\n00:00:00,500 --> 00:00:01,000\n字幕 Caption\n";

static void set_shift(zimu_job *job)
{
    ck_assert_int_eq(zimu_job_set_shift(job, 600), 0);
}

START_TEST(test_burn_shift)
{
    /* 0.5-1.0 s moved by 0.6 s: 1.1-1.6 s */
    burn_expect("s.srt", SRT_05_10, set_shift, 1100, 1600);
}
END_TEST

static void set_scale_and_negative_shift(zimu_job *job)
{
    ck_assert_int_eq(zimu_job_set_time_scale(job, 2.0), 0);
    ck_assert_int_eq(zimu_job_set_shift(job, -300), 0);
}

START_TEST(test_burn_scale_then_shift)
{
    /* (0.5, 1.0) x2 = (1.0, 2.0), -0.3 s: 0.7-1.7 s */
    burn_expect("s.srt", SRT_05_10, set_scale_and_negative_shift, 700, 1700);
}
END_TEST

static void set_min(zimu_job *job)
{
    ck_assert_int_eq(zimu_job_set_min_duration(job, 900), 0);
}

START_TEST(test_burn_min_duration)
{
    /* a 0.1 s flash at 0.5 s shown 0.9 s */
    burn_expect("s.srt", "1\n00:00:00,500 --> 00:00:00,600\n闪 Flash\n", set_min, 500, 1400);
}
END_TEST

static void set_shift_634(zimu_job *job)
{
    ck_assert_int_eq(zimu_job_set_shift(job, 634), 0);
}

START_TEST(test_burn_ass_shift)
{
    /* An ASS script is shifted in libass's track, to the millisecond: 0.50
     * + 0.634 = 1.134 (the frame at 1.133 s must stay clean; a script
     * rewritten to centiseconds would start at 1.13 and show on it). */
    char ass[2048];
    snprintf(ass, sizeof ass,
             "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 568\n\n"
             "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
             "Style: Default,Noto Sans CJK SC,40,&H00FFFFFF,&H000000FF,"
             "&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,40,1\n\n[Events]\n"
             TU_ASS_EVENT_FORMAT
             "Dialogue: 0,0:00:00.50,0:00:01.00,Default,,0,0,0,,脚本 Script\n");
    burn_expect("s.ass", ass, set_shift_634, 1134, 1634);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timing_ops");
    TCase *tc = tcase_create("ops");
    tcase_set_timeout(tc, 20); /* its slowest test: under 1 s */
    tcase_add_loop_test(tc, test_ops, 0, sizeof OPS / sizeof OPS[0]);
    tcase_add_test(tc, test_from_capopts);
    tcase_add_test(tc, test_job_setters);
    tcase_add_test(tc, test_ass_events_retimed);
    tcase_add_test(tc, test_ass_track);
    tcase_add_test(tc, test_load_txt_over_trimmed_segment);
    tcase_add_test(tc, test_load_lrc_and_timing);
    suite_add_tcase(s, tc);

    tc = tcase_create("burn");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_burn_shift);
    tcase_add_test(tc, test_burn_scale_then_shift);
    tcase_add_test(tc, test_burn_min_duration);
    tcase_add_test(tc, test_burn_ass_shift);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
