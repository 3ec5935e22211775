/* cmd_batch.c - `zimu batch`: help, progress, the per-clip lines, the
 * summary. The work is libzimu's zimu_batch; the burn options are parsed
 * and applied by cmd_burn.c.
 *
 * Copyright (C) 2026 the zimu developers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/ioctl.h>

#include <zimu.h>

#include "cli.h"
#include "cmd_batch.h"

/* Exit status when the batch ran but some clips failed. */
enum { CLI_EXIT_BATCH = 10 };

void cli_batch_help(FILE *f)
{
    fprintf(f,
            _("Usage: zimu batch INDIR -o OUTDIR [options]\n"
              "       zimu batch --merge-reports OUTDIR\n"
              "\n"
              "Caption every clip of the folder INDIR with the caption source beside it,\n"
              "several clips at once, into OUTDIR (the same names, .mp4). For clip.mp4\n"
              "(.mov .mkv .m4v .webm .avi ...) the source is clip.flash.txt (a flash\n"
              "script), clip.ass, .ssa, .srt, .vtt, .json, .lrc or .txt, also with a\n"
              "language tag (clip.zh-CN.srt): the first in that order, an untagged one\n"
              "before zh-CN, zh-Hans, zh and other tags; the others are reported. A clip\n"
              "without a source is skipped unless --title is given. docs/batch.md has\n"
              "the rules.\n"
              "\n"
              "Options:\n"
              "  -o, --output OUTDIR   the output folder (made if missing; it may lie\n"
              "                        inside INDIR, whose clips it never takes)\n"
              "  -j, --jobs N          clips at once (default: from the cores; each\n"
              "                        clip's encoder gets its share of them)\n"
              "  -r, --recursive       also the clips in subfolders, mirrored in OUTDIR\n"
              "      --force, -y       replace files at output names\n"
              "      --dry-run         print what would be done, one line a clip, and\n"
              "                        do nothing\n"
              "      --manifest FILE.csv  the clips are the rows of this CSV file\n"
              "                        (columns clip, subs or text, style, title, from,\n"
              "                        to, output; docs/batch.md), not the folder's\n"
              "      --shard K/N       take only share K of N of the clips (chosen by\n"
              "                        each clip's path), so N machines can split one\n"
              "                        folder; the report is zimu-report.K-of-N.json\n"
              "      --merge-reports OUTDIR  merge the shards' reports in OUTDIR into\n"
              "                        zimu-report.json and .csv (alone, no INDIR)\n"
              "      --title TEXT      a title at the top of every clip; clips without a\n"
              "                        caption source get it alone instead of being\n"
              "                        skipped\n"
              "      --progress        show progress even when not on a terminal\n"
              "  -q, --quiet           print nothing but errors\n"
              "      --json            print a JSON summary on standard output\n"
              "  -h, --help            show this help\n"
              "\n"
              "The burn options apply to every clip: --style, --style-set, --safe-area,\n"
              "--max-lines, --highlight, --font, --fonts-dir, --missing-glyphs, --size,\n"
              "--fit, --crf, --preset, --logo, --logo-corner, --logo-width, --charenc,\n"
              "--shift, --time-scale, --overlap, --min-duration, --cps, --max-file-size,\n"
              "--chinese, --strict, --music, --music-replace, --loudnorm, --no-loudnorm,\n"
              "--lufs, --true-peak (see 'zimu burn --help').\n"
              "\n"
              "Examples:\n"
              "  zimu batch clips -o captioned\n"
              "  zimu batch clips -o captioned -r -j 4 --style box --size 1080x1920\n"
              "  zimu batch clips -o captioned --dry-run\n"
              "  zimu batch clips -o captioned --manifest list.csv\n"
              "  zimu batch /shared/in -o /shared/out --shard 2/4   (on machine 2 of 4)\n"
              "  zimu batch --merge-reports /shared/out              (when all 4 are done)\n"
              "\n"
              "Exit status: 0 when every clip was done or skipped, 10 when some clips\n"
              "failed (each is reported, the others are done; --merge-reports: or were\n"
              "not finished), 8 when cancelled; else\n"
              "as below, for a batch that could not start.\n"
              "\n"
              "%s"),
            _(cli_exit_help));
}

/* The batch a signal cancels (zimu_batch_cancel is async-signal-safe). */
static zimu_batch *volatile cancel_batch;

static void on_signal(int sig)
{
    (void)sig;
    zimu_batch_cancel(cancel_batch);
}


typedef struct view {
    zimu_batch *b;
    int show, tty, quiet, width;
    double last;
    int total;
    int *pct;           /* per clip, -1: not in flight */
} view;

static void line_clear(view *v)
{
    if (v->tty && v->width > 0) {
        fprintf(stderr, "\r%*s\r", v->width, "");
        v->width = 0;
    }
}

/* The terminal's width in columns (80 when it cannot be told). */
static int term_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* Append s to buf (of size, holding *n bytes), cut to at most cols
 * terminal columns: the end of a cut name is replaced by "..", never
 * inside a character. */
static void append_cut(char *buf, size_t size, int *n, const char *s, int cols)
{
    int cut = cli_text_columns(s) > cols, room = cut ? cols - 2 : cols, used = 0, len;
    for (; *s; s += len) {
        int w = cli_char_columns((const unsigned char *)s, &len);
        if (used + w > room || (size_t)(*n + len + 3) > size)
            break;
        memcpy(buf + *n, s, (size_t)len);
        *n += len;
        used += w;
    }
    if (cut && room >= 0 && (size_t)(*n + 3) <= size) {
        memcpy(buf + *n, "..", 3);
        *n += 2;
    }
    buf[*n] = 0;
}

/* How long the rest will take: the wall time so far over the work done,
 * in clips, counting the clips in flight by their share done; the clips
 * found up to date or skipped took no time and are left out of both. */
static double eta_seconds(const view *v, const zimu_batch_progress *p)
{
    double work = p->done + p->failed, left = p->total - p->done - p->failed -
                                               p->skipped - p->unchanged;
    if (v->pct)
        for (int i = 0; i < v->total; i++)
            if (v->pct[i] >= 0)
                work += v->pct[i] / 100.0;
    left -= work - (p->done + p->failed);
    if (work < 0.05 || left <= 0)
        return -1;
    return p->elapsed / work * left;
}

static int on_progress(void *opaque, const zimu_batch_progress *p)
{
    view *v = opaque;
    if (!v->pct && p->total > 0) {
        v->pct = malloc((size_t)p->total * sizeof *v->pct);
        if (v->pct)
            for (int i = 0; i < p->total; i++)
                v->pct[i] = -1;
        v->total = p->total;
    }
    if (v->pct && p->clip >= 0 && p->clip < v->total && p->job) {
        const zimu_progress *j = p->job;
        int64_t pc = j->frames_est > 0 ? j->frames * 100 / j->frames_est
                     : j->duration_ms > 0 ? j->pos_ms * 100 / j->duration_ms : 0;
        v->pct[p->clip] = (int)(pc > 100 ? 100 : pc < 0 ? 0 : pc);
    }
    if (!v->show || (p->elapsed - v->last < (v->tty ? 0.2 : 2.0)))
        return 0;
    v->last = p->elapsed;
    /* "3/8 done, 1 failed, 0:12, ETA 0:20 | a.mp4 45% | b.mp4 12%" (clips
     * done, unchanged or skipped of all, failed if any, time so far, time
     * left, clips in flight);
     * on a terminal, one line that \r rewrites, so it must not wrap: the
     * names of the clips in flight are cut to share what is left of it. */
    char line[1024], t1[32], t2[32];
    int n = snprintf(line, sizeof line, _("%d/%d done"), p->done + p->skipped + p->unchanged,
                     p->total);
    if (p->failed)
        n += snprintf(line + n, sizeof line - (size_t)n, _(", %d failed"), p->failed);
    /* TRANSLATORS: the time so far, as 0:12 */
    n += snprintf(line + n, sizeof line - (size_t)n, _(", %s"),
                  cli_clock_text(p->elapsed, t1, sizeof t1));
    double eta = eta_seconds(v, p);
    if (eta >= 0)
        n += snprintf(line + n, sizeof line - (size_t)n, _(", ETA %s"),
                      cli_clock_text(eta, t2, sizeof t2));
    int flying = 0, cols = v->tty ? term_columns() - 1 : 1 << 20;
    for (int i = 0; v->pct && i < v->total; i++)
        flying += v->pct[i] >= 0;
    /* each clip in flight takes " | " NAME " NNN%" */
    int name_cols = flying ? (cols - cli_text_columns(line)) / flying - 8 : 0;
    for (int i = 0; v->pct && i < v->total; i++) {
        if (v->pct[i] < 0)
            continue;
        if ((size_t)n + 16 > sizeof line)
            break;
        n += snprintf(line + n, sizeof line - (size_t)n, " | ");
        if (name_cols >= 4) /* else the share done alone */
            append_cut(line, sizeof line, &n, zimu_batch_clip_input(v->b, i), name_cols);
        n += snprintf(line + n, sizeof line - (size_t)n, "%s%d%%", name_cols >= 4 ? " " : "",
                      v->pct[i]);
    }
    if (v->tty) {
        n = cli_text_columns(line);
        int pad = v->width > n ? v->width - n : 0;
        fprintf(stderr, "\r%s%*s", line, pad, "");
        v->width = n;
    } else {
        fprintf(stderr, "zimu: %s\n", line);
    }
    fflush(stderr);
    return 0;
}

/* One line when a clip ends. */
static void on_clip(void *opaque, int i, int started)
{
    view *v = opaque;
    if (v->pct && i < v->total)
        v->pct[i] = started ? 0 : -1;
    if (started || v->quiet)
        return;
    line_clear(v);
    int st = zimu_batch_clip_status(v->b, i);
    double secs = 0;
    zimu_batch_clip_times(v->b, i, NULL, &secs);
    if (st == ZIMU_BATCH_DONE)
        cli_note("done %s -> %s (%.1f s)", zimu_batch_clip_input(v->b, i),
                 zimu_batch_clip_output(v->b, i), secs);
    else if (st == ZIMU_BATCH_FAILED)
        cli_note("failed %s: %s", zimu_batch_clip_input(v->b, i),
                 zimu_batch_clip_error(v->b, i));
}

static void json_summary(zimu_batch *b, int rc, int status)
{
    FILE *f = stdout;
    int n = zimu_batch_count(b);
    int count[6] = {0};
    fprintf(f, "{\"ok\": %s, \"exit_code\": %d", status ? "false" : "true", status);
    if (rc < 0 && rc != ZIMU_EBATCH && rc != ZIMU_ECANCEL) {
        fputs(", \"error\": ", f);
        cli_json_string(f, zimu_errmsg(b));
        fputs("}\n", f);
        return;
    }
    fputs(", \"clips\": [", f);
    for (int i = 0; i < n; i++) {
        int st = zimu_batch_clip_status(b, i);
        if (st >= 0 && st < 6)
            count[st]++;
        int64_t dur = 0;
        double secs = 0;
        zimu_batch_clip_times(b, i, &dur, &secs);
        fputs(i ? ", {\"input\": " : "{\"input\": ", f);
        cli_json_string(f, zimu_batch_clip_input(b, i));
        fputs(", \"captions\": ", f);
        cli_json_string(f, zimu_batch_clip_captions(b, i));
        fputs(", \"output\": ", f);
        cli_json_string(f, zimu_batch_clip_output(b, i));
        fprintf(f, ", \"status\": \"%s\", \"duration\": %.3f, \"seconds\": %.3f",
                zimu_batch_status_name(st), (double)dur / 1000.0, secs);
        fputs(", \"error\": ", f);
        const char *e = zimu_batch_clip_error(b, i);
        cli_json_string(f, *e ? e : NULL);
        fputs(", \"note\": ", f);
        const char *note = zimu_batch_clip_note(b, i);
        cli_json_string(f, *note ? note : NULL);
        fputc('}', f);
    }
    int jobs = 0, threads = 0;
    zimu_batch_threads(b, &jobs, &threads);
    fprintf(f, "], \"total\": %d, \"done\": %d, \"unchanged\": %d, \"skipped\": %d, "
               "\"failed\": %d, \"cancelled\": %d, \"pending\": %d, \"jobs\": %d, "
               "\"encoder_threads\": %d}\n",
            n, count[ZIMU_BATCH_DONE], count[ZIMU_BATCH_UNCHANGED], count[ZIMU_BATCH_SKIPPED],
            count[ZIMU_BATCH_FAILED], count[ZIMU_BATCH_CANCELLED], count[ZIMU_BATCH_PENDING],
            jobs, threads);
}

/* --dry-run: one line a clip, its path relative to INDIR first. */
static void dry_run_lines(zimu_batch *b)
{
    for (int i = 0; i < zimu_batch_count(b); i++) {
        const char *rel = zimu_batch_clip_input(b, i);
        const char *caps = zimu_batch_clip_captions(b, i);
        const char *note = zimu_batch_clip_note(b, i);
        int st = zimu_batch_clip_status(b, i);
        if (st == ZIMU_BATCH_SKIPPED)
            printf(_("%s: skip, no caption source\n"), rel);
        else if (st == ZIMU_BATCH_UNCHANGED)
            printf(_("%s: keep %s, up to date\n"), rel, zimu_batch_clip_output(b, i));
        else if (st == ZIMU_BATCH_FAILED && !strncmp(zimu_batch_clip_error(b, i), rel,
                                                      strlen(rel)))
            /* a manifest row the reader refused: "list.csv:7: fail, ..." */
            printf(_("%s: fail,%s\n"), rel, zimu_batch_clip_error(b, i) + strlen(rel) + 1);
        else if (st == ZIMU_BATCH_FAILED)
            printf(_("%s: fail, %s\n"), rel, zimu_batch_clip_error(b, i));
        else
            printf(_("%s: burn %s -> %s%s%s%s\n"), rel, caps ? caps : _("the title only"),
                   zimu_batch_clip_output(b, i), *note ? " (" : "", note, *note ? ")" : "");
    }
}

int cli_batch_parse_shard(const char *s, int *k, int *n)
{
    long v[2];
    const char *p = s;
    for (int i = 0; i < 2; i++) {
        if (*p < '0' || *p > '9')
            return -1;
        v[i] = 0;
        while (*p >= '0' && *p <= '9') {
            v[i] = v[i] * 10 + (*p++ - '0');
            if (v[i] > 100000)
                return -1;
        }
        if (*p != (i ? '\0' : '/'))
            return -1;
        p++;
    }
    if (v[1] < 1 || v[1] > 1000 || v[0] < 1 || v[0] > v[1])
        return -1;
    *k = (int)v[0];
    *n = (int)v[1];
    return 0;
}

static int set_shard(zimu_batch *b, const char *s)
{
    int k, n;
    if (!s)
        return 0;
    if (cli_batch_parse_shard(s, &k, &n) < 0)
        return ZIMU_EINVAL; /* checked with the other options before */
    return zimu_batch_set_shard(b, k, n);
}

int cli_batch_merge(const struct cli_batch_args *a)
{
    zimu_batch *b = zimu_batch_new();
    if (!b) {
        cli_error("out of memory");
        return CLI_EXIT_OTHER;
    }
    int status = 0;
    int rc = zimu_batch_set_output_dir(b, a->merge_dir);
    if (rc == 0)
        rc = zimu_batch_merge_reports(b);
    if (rc < 0 && rc != ZIMU_EBATCH) {
        cli_error("%s", *zimu_errmsg(b) ? zimu_errmsg(b) : zimu_strerror(rc));
        status = cli_exit_code(rc);
    } else {
        status = rc == ZIMU_EBATCH ? CLI_EXIT_BATCH : 0;
        if (!a->quiet && !a->json) {
            int n = zimu_batch_count(b), c[6] = {0};
            for (int i = 0; i < n; i++) {
                int st = zimu_batch_clip_status(b, i);
                if (st >= 0 && st < 6)
                    c[st]++;
                if (st == ZIMU_BATCH_FAILED)
                    cli_note("failed %s: %s", zimu_batch_clip_input(b, i),
                             zimu_batch_clip_error(b, i));
            }
            cli_note("merged into %s/zimu-report.json and .csv: %d clips: %d done, "
                     "%d unchanged, %d skipped, %d failed, %d not finished", a->merge_dir, n,
                     c[ZIMU_BATCH_DONE], c[ZIMU_BATCH_UNCHANGED], c[ZIMU_BATCH_SKIPPED],
                     c[ZIMU_BATCH_FAILED], c[ZIMU_BATCH_CANCELLED] + c[ZIMU_BATCH_PENDING]);
        }
    }
    if (a->json)
        json_summary(b, rc, status);
    zimu_batch_free(&b);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        if (!status)
            status = CLI_EXIT_OTHER;
    }
    return status;
}

int cli_batch_run(const struct cli_batch_args *a, zimu_batch_setup_fn setup, void *opaque)
{
    zimu_batch *b = zimu_batch_new();
    zimu_fonts *fonts = NULL;
    view v = {0};
    int status = 0, rc = 0;
    if (!b) {
        cli_error("out of memory");
        return CLI_EXIT_OTHER;
    }
    v.b = b;
    v.quiet = a->quiet || a->json || a->dry_run;
    v.tty = isatty(STDERR_FILENO);
    v.show = !v.quiet && !a->dry_run && (v.tty || a->progress);
    long jobs = a->jobs ? strtol(a->jobs, NULL, 10) : 0;
    if ((rc = zimu_batch_set_input_dir(b, a->in_dir)) < 0 ||
        (rc = zimu_batch_set_output_dir(b, a->out_dir)) < 0 ||
        (rc = zimu_batch_set_jobs(b, (int)jobs)) < 0 ||
        (rc = zimu_batch_set_recursive(b, a->recursive)) < 0 ||
        (rc = zimu_batch_set_overwrite(b, a->force)) < 0 ||
        (rc = zimu_batch_set_dry_run(b, a->dry_run)) < 0 ||
        (rc = zimu_batch_set_title(b, a->title)) < 0 ||
        (rc = zimu_batch_set_manifest(b, a->manifest)) < 0 ||
        (rc = set_shard(b, a->shard)) < 0 ||
        (rc = zimu_batch_set_setup(b, setup, opaque)) < 0 ||
        (rc = zimu_batch_set_progress(b, on_progress, &v)) < 0 ||
        (rc = zimu_batch_set_clip_cb(b, on_clip, &v)) < 0) {
        cli_error("%s", zimu_errmsg(b));
        status = cli_exit_code(rc);
        goto out;
    }
    /* As `zimu burn`: the first SIGINT, SIGTERM or SIGHUP stops the batch
     * (the clips in flight are abandoned, their temporaries removed), a
     * second one kills. */
    cancel_batch = b;
    cli_catch_signals(on_signal);
    if (a->fonts_dir && !a->dry_run) {
        /* one font context for all clips, with the extra directory */
        fonts = zimu_fonts_new();
        if (!fonts || (rc = zimu_fonts_set_dir(fonts, a->fonts_dir)) < 0 ||
            (rc = zimu_fonts_load(fonts)) < 0 || (rc = zimu_batch_set_fonts(b, fonts)) < 0) {
            cli_error("%s", fonts ? zimu_errmsg(fonts) : _("out of memory"));
            status = cli_exit_code(fonts ? rc : ZIMU_ENOMEM);
            goto out;
        }
    }
    rc = zimu_batch_run(b);
    line_clear(&v);
    if (rc < 0 && rc != ZIMU_EBATCH && rc != ZIMU_ECANCEL) {
        cli_error("%s", *zimu_errmsg(b) ? zimu_errmsg(b) : zimu_strerror(rc));
        status = cli_exit_code(rc);
        goto out;
    }
    if (a->dry_run && !a->json) {
        dry_run_lines(b);
        goto out;
    }
    status = rc == ZIMU_ECANCEL ? CLI_EXIT_CANCEL : rc == ZIMU_EBATCH ? CLI_EXIT_BATCH : 0;
    if (!v.quiet) {
        int n = zimu_batch_count(b), c[6] = {0};
        for (int i = 0; i < n; i++) {
            int st = zimu_batch_clip_status(b, i);
            if (st >= 0 && st < 6)
                c[st]++;
            double secs = 0;
            zimu_batch_clip_times(b, i, NULL, &secs);
            if (st == ZIMU_BATCH_SKIPPED)
                cli_note("skipped %s: no caption source (give --title to burn a title "
                         "alone)", zimu_batch_clip_input(b, i));
            else if (st == ZIMU_BATCH_FAILED && secs == 0) {
                /* failed before it ran (a bad manifest row, a name taken
                 * twice): on_clip never saw it. A row the manifest reader
                 * refused is named "list.csv:7" and so is its error. */
                const char *in = zimu_batch_clip_input(b, i), *err = zimu_batch_clip_error(b, i);
                if (!strncmp(err, in, strlen(in)))
                    cli_note("failed %s", err);
                else
                    cli_note("failed %s: %s", in, err);
            }
            const char *note = zimu_batch_clip_note(b, i);
            if (*note)
                cli_note("%s: %s", zimu_batch_clip_input(b, i), note);
        }
        cli_note("%d clips: %d done, %d unchanged, %d skipped, %d failed%s", n,
                 c[ZIMU_BATCH_DONE], c[ZIMU_BATCH_UNCHANGED], c[ZIMU_BATCH_SKIPPED],
                 c[ZIMU_BATCH_FAILED],
                 rc == ZIMU_ECANCEL ? _("; cancelled, no partial output was left") : "");
    }
out:
    if (a->json)
        json_summary(b, rc, status);
    cancel_batch = NULL;
    zimu_fonts_free(&fonts);
    zimu_batch_free(&b);
    free(v.pct);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        if (!status)
            status = CLI_EXIT_OTHER;
    }
    return status;
}
