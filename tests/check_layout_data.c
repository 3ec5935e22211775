/* check_layout_data.c - the layout as data (layout.c, zimu__layout_run):
 * pages of a long cue cover its time and its text, sit in the safe area
 * and do not overlap pages shown at the same time; the title comes first;
 * the word markers of a highlighted cue come out once each; and the ASS
 * track assgen.c writes from the layout hands over the same pages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ass/ass.h>

#include "assgen.h"
#include "capopts.h"
#include "cue.h"
#include "fonts.h"
#include "layout.h"

static char *conf;

static void setup(void)
{
    zimu_ctx c = {0};
    ck_assert_int_eq(zimu__fonts_config(&c, NULL, &conf), 0);
}

static void teardown(void)
{
    unlink(conf);
    free(conf);
    conf = NULL;
}

static const char LONG[] = "今天我们来聊一聊家庭理财，很多人觉得理财就是买股票，"
                           "其实远远不止这些，还包括保险、储蓄和消费习惯。";

/* The page texts of pages[from..to) joined, line breaks and override
 * blocks left out. */
static char *joined(const zimu_pages *P, size_t from, size_t to)
{
    size_t cap = 1;
    for (size_t i = from; i < to; i++)
        cap += strlen(P->v[i].text);
    char *s = calloc(cap, 1);
    ck_assert_ptr_nonnull(s);
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        for (const char *p = P->v[i].text; *p; p++) {
            if (*p == '{') {
                const char *e = strchr(p, '}');
                ck_assert_ptr_nonnull(e);
                p = e;
            } else if (*p != '\n') {
                s[n++] = *p;
            }
        }
    return s;
}

static int inside(zimu_lrect a, zimu_lrect b)
{
    return a.x0 >= b.x0 && a.y0 >= b.y0 && a.x1 <= b.x1 && a.y1 <= b.y1;
}

START_TEST(test_pages_of_a_cue)
{
    zimu_ctx c = {0};
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.title = strdup("家庭理财入门");
    zimu_cues cues = {0};
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 1000, 7000, LONG, strlen(LONG)));
    const char *other = "第二条同时出现的字幕";
    ck_assert_ptr_nonnull(zimu__cues_add(&cues, 500, 8000, other, strlen(other)));
    zimu_layout lay = {.width = 1080, .height = 1920, .fonts_conf = conf, .cap = &cap};
    zimu_laid L;
    ck_assert_int_eq(zimu__layout_run(&c, &cues, &lay, &L), 0);
    const zimu_pages *P = &L.pages;
    ck_assert_uint_ge(P->n, 4);

    /* the title first, shown all the time */
    ck_assert_int_eq(P->v[0].style, ZIMU__TS_TITLE);
    ck_assert_int_eq(P->v[0].cue, -1);
    ck_assert_int_eq(P->v[0].start_ms, 0);
    ck_assert_str_eq(P->v[0].text, "家庭理财入门");
    /* then the cues by start time: the second cue (one page) first */
    ck_assert_int_eq(P->v[1].cue, 1);
    ck_assert_int_eq(P->v[1].start_ms, 500);
    ck_assert_int_eq(P->v[1].end_ms, 8000);
    /* the long cue: pages one after another over its time, its text */
    ck_assert_int_eq(P->v[2].start_ms, 1000);
    ck_assert_int_eq(P->v[P->n - 1].end_ms, 7000);
    for (size_t i = 2; i < P->n; i++) {
        const zimu_page *pg = &P->v[i];
        ck_assert_int_eq(pg->cue, 0);
        ck_assert_int_eq(pg->style, ZIMU__TS_CAPTION);
        ck_assert_int_eq(pg->highlight, 0);
        ck_assert_uint_le(pg->n_lines, 2);
        ck_assert_int_lt(pg->start_ms, pg->end_ms);
        if (i > 2)
            ck_assert_int_eq(pg->start_ms, P->v[i - 1].end_ms);
    }
    char *all = joined(P, 2, P->n);
    ck_assert_str_eq(all, LONG);
    free(all);

    zimu_safe_area sa;
    ck_assert_int_eq(zimu__safe_area(&c, NULL, 1080, 1920, &sa), 0);
    zimu_lrect safe = {sa.left * 1080, sa.top * 1920, 1080 - sa.right * 1080,
                       1920 - sa.bottom * 1920};
    for (size_t i = 0; i < P->n; i++) {
        const zimu_page *pg = &P->v[i];
        zimu_lrect text = {pg->x, pg->y, pg->x + pg->w, pg->y + pg->h};
        ck_assert_msg(inside(pg->vis, safe), "page %zu outside the safe area", i);
        ck_assert_msg(inside(text, pg->vis), "page %zu: text outside what is drawn", i);
        /* lines aligned in the text box, one under the other */
        for (size_t k = 0; k < pg->n_lines; k++) {
            const zimu_page_line *ln = &pg->lines[k];
            zimu_lrect lr = {ln->x, ln->y, ln->x + ln->w, ln->y + ln->h};
            ck_assert_msg(inside(lr, (zimu_lrect){text.x0 - 0.01, text.y0 - 0.01,
                                                  text.x1 + 0.01, text.y1 + 0.01}),
                          "page %zu line %zu outside the text box", i, k);
            ck_assert(strchr(ln->text, '{') == NULL);
        }
        /* pages shown at the same time do not overlap */
        for (size_t j = 0; j < i; j++) {
            const zimu_page *q = &P->v[j];
            if (q->end_ms <= pg->start_ms || q->start_ms >= pg->end_ms)
                continue;
            int apart = q->vis.y1 <= pg->vis.y0 || q->vis.y0 >= pg->vis.y1 ||
                        q->vis.x1 <= pg->vis.x0 || q->vis.x0 >= pg->vis.x1;
            ck_assert_msg(apart, "pages %zu and %zu overlap", j, i);
        }
    }

    /* the track written from the layout hands over the same pages */
    ASS_Library *lib = ass_library_init();
    ck_assert_ptr_nonnull(lib);
    zimu_pages got = {0};
    lay.pages = &got;
    ASS_Track *t = NULL;
    ck_assert_int_eq(zimu__assgen_track(&c, lib, &cues, &lay, &t), 0);
    ck_assert_uint_eq(got.n, P->n);
    for (size_t i = 0; i < P->n; i++) {
        ck_assert_str_eq(got.v[i].text, P->v[i].text);
        ck_assert(got.v[i].x == P->v[i].x && got.v[i].y == P->v[i].y);
        ck_assert(got.v[i].pos_x == P->v[i].pos_x && got.v[i].pos_y == P->v[i].pos_y);
    }
    /* one text event per page (no highlight, no box in the classic
     * style), placed at the page's point */
    ck_assert_int_eq(t->n_events, (int)P->n);
    for (int e = 0; e < t->n_events; e++) {
        char pos[64];
        snprintf(pos, sizeof pos, "\\pos(%.0f,%.0f)", P->v[e].pos_x, P->v[e].pos_y);
        ck_assert_ptr_nonnull(strstr(t->events[e].Text, pos));
    }
    ass_free_track(t);
    ass_library_done(lib);
    zimu__pages_clear(&got);
    zimu__laid_free(&L);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
}
END_TEST

/* Word markers: each word of a highlighted cue is marked once, on the
 * page it is shown on, and pages change when their first word starts. */
START_TEST(test_word_markers)
{
    zimu_ctx c = {0};
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.highlight = 1;
    zimu_cues cues = {0};
    zimu_cue *cue = zimu__cues_add(&cues, 0, 9000, LONG, strlen(LONG));
    ck_assert_ptr_nonnull(cue);
    size_t n = strlen(LONG), off = 0, words = 0;
    while (off < n) { /* a word every three characters (9 bytes) */
        size_t e = off + 9 < n ? off + 9 : n;
        ck_assert_int_eq(zimu__cue_add_word(cue, (int64_t)words * 200,
                                            (int64_t)words * 200 + 150, off, e - off), 0);
        off = e;
        words++;
    }
    zimu_layout lay = {.width = 1080, .height = 1920, .fonts_conf = conf, .cap = &cap};
    zimu_laid L;
    ck_assert_int_eq(zimu__layout_run(&c, &cues, &lay, &L), 0);
    const zimu_pages *P = &L.pages;
    ck_assert_uint_ge(P->n, 2);
    long *seen = calloc(words, sizeof *seen), w[64];
    ck_assert_ptr_nonnull(seen);
    long next = 0;
    for (size_t i = 0; i < P->n; i++) {
        ck_assert_int_eq(P->v[i].highlight, 1);
        size_t k = zimu__page_words(P->v[i].text, w, 64);
        ck_assert_uint_gt(k, 0);
        if (i > 0)
            ck_assert_int_eq(P->v[i].start_ms, cue->words[w[0]].start_ms);
        for (size_t j = 0; j < k; j++) {
            ck_assert_int_eq(w[j], next++);
            seen[w[j]]++;
        }
        /* every block of the page is a marker (the cue has none of its
         * own); the first start marker is the page's first word */
        int first = 1;
        for (const char *b = strchr(P->v[i].text, '{'); b; b = strchr(b + 1, '{')) {
            long word = -1;
            int end = -1;
            ck_assert_uint_gt(zimu__mark_at(b, &word, &end), 0);
            if (!end && first) {
                ck_assert_int_eq(word, w[0]);
                first = 0;
            }
        }
    }
    for (size_t j = 0; j < words; j++)
        ck_assert_int_eq(seen[j], 1);
    free(seen);
    char *all = joined(P, 0, P->n);
    ck_assert_str_eq(all, LONG);
    free(all);
    zimu__laid_free(&L);
    zimu__cues_clear(&cues);
    zimu__capopts_clear(&cap);
}
END_TEST

START_TEST(test_errors)
{
    zimu_ctx c = {0};
    zimu_cues cues = {0};
    zimu_laid L;
    zimu_layout lay = {.width = 0, .height = 1920, .fonts_conf = conf};
    ck_assert_int_eq(zimu__layout_run(&c, &cues, &lay, &L), ZIMU_EINVAL);
    zimu__laid_free(&L);
    zimu_capopts cap;
    zimu__capopts_init(&cap);
    cap.style = strdup("no-such-style");
    lay = (zimu_layout){.width = 1080, .height = 1920, .fonts_conf = conf, .cap = &cap};
    ck_assert_int_eq(zimu__layout_run(&c, &cues, &lay, &L), ZIMU_ESTYLE);
    ck_assert_uint_eq(L.pages.n, 0);
    zimu__laid_free(&L);
    zimu__capopts_clear(&cap);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("layout_data");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_pages_of_a_cue);
    tcase_add_test(tc, test_word_markers);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
