/* startup.c - how long a burn takes to get going, for bench/startup.sh.
 *
 *   startup first CLIP SUBS OUT.mp4
 *       One burn of CLIP (default encoder settings). Prints one line:
 *       "first_ms frames_at_first run_ms": milliseconds from just before
 *       zimu_job_new() to the first progress callback that reports a frame
 *       done (the frame decoded, captioned and handed to the encoder), the
 *       frame count that callback saw, and the whole run.
 *   startup trim1 CLIP SUBS OUT.mp4
 *       The same burn cut to its first frame (trim [0, 1 ms)): prints the
 *       milliseconds of zimu_job_new() + zimu_job_run(), encoder flush and
 *       file written included.
 *   startup setup CLIP SUBS own|shared N
 *       N jobs one after another in this process, null output, each with
 *       its own font context (own) or all sharing one loaded before the
 *       first (shared). Prints one line per job: "job set_up_ms run_ms",
 *       set-up being zimu_job_run() up to its first frame done; with
 *       shared, first a line "fonts load_ms" for loading the context.
 *   startup renderers SUBS N
 *       N renderers (1080x1920, SUBS) one after another sharing one loaded
 *       font context: one line "i prepare_ms" each, zimu_renderer_prepare()
 *       (libass's font provider, which libass builds for every renderer,
 *       plus the layout). 0.2 and later.
 *
 * One measurement per process for "first" and "trim1": a new process is
 * what a user starting a burn waits for (fontconfig reads its cache anew).
 *
 * It also builds against libzimu 0.1 (no font context: "shared" is then
 * refused), so bench/startup.sh can time an earlier revision beside this
 * one (STARTUP_BEFORE).
 */

#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zimu.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct first {
    double t0, first;   /* first: -1 until a callback reports a frame */
    int64_t frames;
} first;

static int on_progress(void *opaque, const zimu_progress *p)
{
    first *f = opaque;
    if (f->first < 0 && p->frames >= 1) {
        f->first = now_ms() - f->t0;
        f->frames = p->frames;
    }
    return 0;
}

static int fail(zimu_job *job, const char *what)
{
    fprintf(stderr, "startup: %s: %s\n", what, zimu_job_errmsg(job));
    return 1;
}

static int run_first(const char *clip, const char *subs, const char *out, int trim1)
{
    first f = {.first = -1};
    f.t0 = now_ms();
    zimu_job *job = zimu_job_new();
    if (!job)
        return 1;
    zimu_job_set_input(job, clip);
    zimu_job_set_subtitles(job, subs);
    zimu_job_set_output(job, out);
    zimu_job_set_overwrite(job, 1);
    if (trim1)
        zimu_job_set_trim(job, 0, 1);
    else
        zimu_job_set_progress(job, on_progress, &f);
    int r = zimu_job_run(job);
    double run = now_ms() - f.t0;
    if (r < 0)
        return fail(job, clip);
    if (trim1 && zimu_job_stats(job)->frames != 1) {
        fprintf(stderr, "startup: trim1 wrote %lld frames\n",
                (long long)zimu_job_stats(job)->frames);
        return 1;
    }
    zimu_job_free(&job);
    if (trim1) {
        printf("%.3f\n", run);
    } else {
        if (f.first < 0) {
            fprintf(stderr, "startup: no progress callback reported a frame\n");
            return 1;
        }
        printf("%.3f %lld %.3f\n", f.first, (long long)f.frames, run);
    }
    return 0;
}

#if ZIMU_VERSION_INT >= 0x000200
#define HAVE_FONTS 1
#else
#define HAVE_FONTS 0
typedef void zimu_fonts; /* 0.1: each job sets its fonts up itself */
#define zimu_fonts_new() NULL
#define zimu_fonts_load(f) (-1)
#define zimu_fonts_free(f) ((void)(f))
#define zimu_job_set_fonts(j, f) ((void)(j), (void)(f))
#define zimu_errmsg(f) "this libzimu has no font context"
#endif

static int run_setup(const char *clip, const char *subs, int shared, int n)
{
    zimu_fonts *fonts = NULL;
    if (shared) {
        double t0 = now_ms();
        fonts = zimu_fonts_new();
        if (!fonts || zimu_fonts_load(fonts) < 0) {
            fprintf(stderr, "startup: fonts: %s\n", zimu_errmsg(fonts));
            return 1;
        }
        printf("fonts %.3f\n", now_ms() - t0);
    }
    for (int i = 0; i < n; i++) {
        zimu_job *job = zimu_job_new();
        if (!job)
            return 1;
        zimu_job_set_input(job, clip);
        zimu_job_set_subtitles(job, subs);
        zimu_job_set_null_output(job, 1);
        if (fonts)
            zimu_job_set_fonts(job, fonts);
        first f = {.first = -1};
        zimu_job_set_progress(job, on_progress, &f);
        f.t0 = now_ms();
        int r = zimu_job_run(job);
        double run = now_ms() - f.t0;
        if (r < 0)
            return fail(job, clip);
        if (f.first < 0) {
            fprintf(stderr, "startup: no progress callback reported a frame\n");
            return 1;
        }
        printf("%d %.3f %.3f\n", i + 1, f.first, run);
        zimu_job_free(&job);
    }
    zimu_fonts_free(&fonts);
    return 0;
}

static int run_renderers(const char *subs_path, int n)
{
#if HAVE_FONTS
    zimu_fonts *fonts = zimu_fonts_new();
    zimu_subs *subs = zimu_subs_new();
    if (!fonts || !subs || zimu_fonts_load(fonts) < 0 || zimu_subs_load(subs, subs_path) < 0) {
        fprintf(stderr, "startup: renderers: %s%s\n", zimu_errmsg(fonts), zimu_errmsg(subs));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        zimu_renderer *r = zimu_renderer_new();
        double t0 = now_ms();
        if (!r || zimu_renderer_set_fonts(r, fonts) < 0 || zimu_renderer_set_captions(r, subs) < 0 ||
            zimu_renderer_set_size(r, 1080, 1920) < 0 || zimu_renderer_prepare(r) < 0) {
            fprintf(stderr, "startup: renderer: %s\n", zimu_errmsg(r));
            return 1;
        }
        printf("%d %.3f\n", i + 1, now_ms() - t0);
        zimu_renderer_free(&r);
    }
    zimu_subs_free(&subs);
    zimu_fonts_free(&fonts);
    return 0;
#else
    (void)subs_path, (void)n;
    fprintf(stderr, "startup: this libzimu has no renderer\n");
    return 1;
#endif
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "renderers") && atoi(argv[3]) > 0)
        return run_renderers(argv[2], atoi(argv[3]));
    if (argc == 5 && (!strcmp(argv[1], "first") || !strcmp(argv[1], "trim1")))
        return run_first(argv[2], argv[3], argv[4], !strcmp(argv[1], "trim1"));
    if (argc == 6 && !strcmp(argv[1], "setup") &&
        (!strcmp(argv[4], "own") || !strcmp(argv[4], "shared")) && atoi(argv[5]) > 0)
        return run_setup(argv[2], argv[3], !strcmp(argv[4], "shared"), atoi(argv[5]));
    fprintf(stderr, "usage: %s first|trim1 CLIP SUBS OUT.mp4\n"
                    "       %s setup CLIP SUBS own|shared N\n"
                    "       %s renderers SUBS N\n", argv[0], argv[0], argv[0]);
    return 2;
}
