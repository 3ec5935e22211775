/* manifest.h - the batch manifest: a CSV file a spreadsheet saved, one row
 * per output (which clip, which captions, which part, which name), and the
 * check that a name from it stays inside its folder. See docs/batch.md. */
#ifndef ZIMU_MANIFEST_H
#define ZIMU_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

typedef struct zimu_manifest_row {
    int row;                      /* row number as a spreadsheet shows it (header = 1) */
    char *clip;                   /* path relative to INDIR (required) */
    char *subs, *text;            /* caption source path (relative to the manifest's
                                   * folder) or inline text; one of them or neither */
    char *style, *title, *output; /* NULL when empty; output relative to OUTDIR */
    int64_t from_ms, to_ms;       /* -1 when empty */
} zimu_manifest_row;

typedef struct zimu_manifest {
    zimu_manifest_row *v;
    size_t n;
} zimu_manifest;

/* Read FILE.csv (UTF-8 with or without BOM, UTF-16 with BOM, or GB18030 as
 * Excel and WPS save it; at most 64 MiB; comma, semicolon or tab between
 * fields, whichever the header row uses most). The first row that is not
 * empty names the columns (in any order, English or Chinese, see
 * docs/batch.md); columns zimu does not know are ignored with one
 * ZIMU_LOG_WARNING in c's log.
 *
 * Bad rows do not fail the read: each is reported through
 * bad(opaque, row, message) ("manifest.csv:7: 'from' '1:6x' is not a
 * time ...", the file as path names it) and left out; bad NULL: they go to
 * c's log as warnings. A row is bad when its clip is empty, it has both
 * subs and text, a time is not one or from is not before to, or clip, subs
 * or output is not a safe relative name (zimu__path_problem; subs is also
 * checked for symlinks leading out of the manifest's folder; clip and
 * output are checked for symlinks by the caller, who knows INDIR and
 * OUTDIR: zimu__path_safe_under). Empty rows are skipped silently.
 *
 * Returns 0 with the good rows in *out (possibly none), or, with *out
 * empty and the message in c: ZIMU_ENOENT (missing, unreadable),
 * ZIMU_EINVAL (a spreadsheet file (.xlsx, .xls, .ods, .et): "save it as
 * CSV"; larger than 64 MiB; no header row; no 'clip' column; a column
 * named twice; a quote never closed), ZIMU_ECHARSET (bytes not valid in
 * the file's encoding), ZIMU_ENOMEM, ZIMU_ECANCEL. */
int zimu__manifest_read(zimu_ctx *c, const char *path,
                        void (*bad)(void *opaque, int row, const char *msg),
                        void *opaque, zimu_manifest *out);
/* The same for the bytes raw[0..raw_size) of the file path names (path
 * is not read: it names the file in messages, and its folder is where
 * subs are checked for symlinks). */
int zimu__manifest_parse(zimu_ctx *c, const char *path, const char *raw, size_t raw_size,
                         void (*bad)(void *opaque, int row, const char *msg), void *opaque,
                         zimu_manifest *out);
void zimu__manifest_free(zimu_manifest *m);

/* What is wrong with rel as a name relative to a folder, by its text
 * alone: empty, absolute ("/x", "C:\x", "C:/x"), a backslash, a control
 * character, an empty component ("a//b", "a/"), a "." or ".." component,
 * a component longer than NAME_MAX or a name longer than PATH_MAX. NULL
 * when none of these; else a static English phrase ("'..' leads out of
 * the folder"). Spaces, quotes and any UTF-8 text are fine. */
const char *zimu__path_problem(const char *rel);

/* zimu__path_problem, then the symlinks: every component of dir/rel that
 * exists and is a symlink must resolve (realpath) inside realpath(dir);
 * a dangling one is refused too. Components that do not exist yet are
 * fine. NULL when safe, else a static phrase. */
const char *zimu__path_unsafe_why(const char *dir, const char *rel);

/* Whether rel is safe under dir (zimu__path_unsafe_why is NULL): 1 safe,
 * 0 not. */
int zimu__path_safe_under(const char *dir, const char *rel);

#endif
