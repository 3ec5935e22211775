/* plan.c - what a batch does with each clip: the clips of the input folder,
 * the caption source beside each, the output name, and what cannot be
 * done before anything runs. The rules are in include/zimu.h ("Batch")
 * and docs/batch.md. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sys/stat.h>

#include "batch.h"
#include "manifest.h"
#include "outcheck.h"
#include "sbuf.h"

static const char *const video_exts[] = {
    "mp4", "mov", "m4v", "mkv", "webm", "avi", "flv", "ts", "mts", "m2ts", "3gp",
    "mpg", "mpeg", "wmv",
};

/* Caption sources by preference: the first that a clip has is used. */
static const char *const caption_exts[] = {
    "flash.txt", "ass", "ssa", "srt", "vtt", "json", "lrc", "txt",
};
#define N_CAPTION_EXTS (sizeof caption_exts / sizeof *caption_exts)

int zimu__batch_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* The length of name without its video extension, or 0 if it has none. */
static size_t video_base(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return 0;
    for (size_t i = 0; i < sizeof video_exts / sizeof *video_exts; i++)
        if (!strcasecmp(dot + 1, video_exts[i]))
            return (size_t)(dot - name);
    return 0;
}

/* A language tag: letters, digits and '-', 1 to 35 bytes, starting with a
 * letter. */
static int is_tag(const char *s, size_t n)
{
    if (!n || n > 35 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

/* Rank of a tag: none first, then the Simplified Chinese ones, then the
 * rest (by name, by the caller). */
static int tag_rank(const char *t, size_t n)
{
    if (!n)
        return 0;
    if (n == 5 && !strncasecmp(t, "zh-CN", 5))
        return 1;
    if (n == 7 && !strncasecmp(t, "zh-Hans", 7))
        return 2;
    if (n == 2 && !strncasecmp(t, "zh", 2))
        return 3;
    return 10;
}

/* rest is what follows "BASE." in a name: "srt", "zh-CN.srt",
 * "flash.txt". Its extension (index into caption_exts) and the length of
 * its tag; -1 when it is no caption source. Read from the end, so
 * "flash.txt" is a flash script and never a .txt tagged "flash". */
static int caption_kind(const char *rest, size_t *tag_len)
{
    size_t rl = strlen(rest);
    for (size_t e = 0; e < N_CAPTION_EXTS; e++) {
        size_t el = strlen(caption_exts[e]);
        if (rl == el && !strcasecmp(rest, caption_exts[e])) {
            *tag_len = 0;
            return (int)e;
        }
        if (rl > el + 1 && rest[rl - el - 1] == '.' &&
            !strcasecmp(rest + rl - el, caption_exts[e])) {
            /* "zh.flash.txt" is flash.txt tagged zh; "flash.txt" was
             * matched above. A .txt whose tag would be "flash" is the
             * flash script's own name, never reached here. */
            if (!is_tag(rest, rl - el - 1))
                return -1;
            *tag_len = rl - el - 1;
            return (int)e;
        }
    }
    return -1;
}

typedef struct entry {
    char *name;
    int is_dir, is_file;
    size_t base;        /* video_base() of a file, 0 if not a clip */
} entry;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* Is name the base of a clip among es (sorted)? */
static int is_clip_base(const entry *es, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (es[i].is_file && es[i].base == len && !strncmp(es[i].name, name, len))
            return 1;
    return 0;
}

static int add_clip(zimu_batch *b, size_t *cap, zimu_batch_clip *c)
{
    if ((size_t)b->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        zimu_batch_clip *v = realloc(b->clips, nc * sizeof *v);
        if (!v)
            return -1;
        b->clips = v;
        *cap = nc;
    }
    b->clips[b->n++] = *c;
    return 0;
}

static char *join(const char *a, const char *b)
{
    size_t al = strlen(a), bl = strlen(b);
    char *s = malloc(al + bl + 2);
    if (!s)
        return NULL;
    if (!al) {
        memcpy(s, b, bl + 1);
        return s;
    }
    memcpy(s, a, al);
    s[al] = '/';
    memcpy(s + al + 1, b, bl + 1);
    return s;
}

/* The clips of one folder (rel: relative to the input folder, "" for it)
 * and, recursive, of its subfolders. */
static int scan(zimu_batch *b, const char *rel, const struct stat *out_st, size_t *cap)
{
    char *dir = rel[0] ? join(b->in_dir, rel) : strdup(b->in_dir);
    if (!dir)
        return ZIMU_ENOMEM;
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        int r = zimu__fail_file(&b->ctx, ZIMU_ENOENT, dir, "%s: cannot read the folder: %s",
                                dir, strerror(e));
        free(dir);
        return r;
    }
    entry *es = NULL;
    size_t n = 0, ecap = 0;
    int r = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        /* hidden files and folders, zimu's temporaries, "." and ".." */
        if (de->d_name[0] == '.')
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        int link = S_ISLNK(st.st_mode);
        if (link && fstatat(dirfd(d), de->d_name, &st, 0) < 0)
            continue; /* a dangling link */
        entry en = {0};
        en.is_dir = S_ISDIR(st.st_mode) && !link;
        en.is_file = S_ISREG(st.st_mode);
        /* the output folder inside the input folder: never an input */
        if (en.is_dir && out_st && st.st_dev == out_st->st_dev && st.st_ino == out_st->st_ino)
            continue;
        if (!en.is_dir && !en.is_file)
            continue;
        if (n == ecap) {
            size_t nc = ecap ? ecap * 2 : 64;
            entry *v = realloc(es, nc * sizeof *v);
            if (!v) {
                r = ZIMU_ENOMEM;
                break;
            }
            es = v;
            ecap = nc;
        }
        if (!(en.name = strdup(de->d_name))) {
            r = ZIMU_ENOMEM;
            break;
        }
        en.base = en.is_file ? video_base(en.name) : 0;
        es[n++] = en;
    }
    closedir(d);
    if (!r && n > 1) /* es is NULL in an empty folder */
        qsort(es, n, sizeof *es, cmp_entry);

    for (size_t i = 0; !r && i < n; i++) {
        if (!es[i].is_file || !es[i].base)
            continue;
        const char *name = es[i].name;
        size_t bl = es[i].base;
        /* the caption sources beside it */
        size_t best = (size_t)-1;
        int best_rank = 0;
        zimu_sbuf others = {0};
        for (int pass = 0; pass < 2; pass++) {
            for (size_t k = 0; k < n; k++) {
                const char *cn = es[k].name;
                if (k == i || !es[k].is_file || strncmp(cn, name, bl) || cn[bl] != '.')
                    continue;
                size_t tl;
                int kind = caption_kind(cn + bl + 1, &tl);
                if (kind < 0)
                    continue;
                /* "a.b.srt" belongs to clip a.b.mp4, not to a.mp4 (tag b) */
                if (tl && is_clip_base(es, n, cn, bl + 1 + tl))
                    continue;
                int rank = kind * 100 + tag_rank(cn + bl + 1, tl);
                if (pass == 0) {
                    /* equal ranks (two other tags): the first by name */
                    if (best == (size_t)-1 || rank < best_rank) {
                        best = k;
                        best_rank = rank;
                    }
                } else if (k != best) {
                    zimu__sb_printf(&others, "%s%s", others.len ? ", " : "", cn);
                }
            }
        }
        zimu_batch_clip c = {.from_ms = -1, .to_ms = -1};
        c.rel = rel[0] ? join(rel, name) : strdup(name);
        if (best != (size_t)-1) {
            c.caps = rel[0] ? join(rel, es[best].name) : strdup(es[best].name);
            c.caps_path = c.caps ? join(b->in_dir, c.caps) : NULL;
            c.caps_flash = best_rank / 100 == 0;
        }
        zimu_sbuf note = {0};
        if (others.len)
            zimu__sb_printf(&note, zimu__tr("also found, not used: %s"), others.s);
        c.note = zimu__sb_take(&note);
        zimu__sb_free(&others);
        /* the output: the clip's name with .mp4 */
        char *outname = malloc(bl + 5);
        if (outname) {
            memcpy(outname, name, bl);
            memcpy(outname + bl, ".mp4", 5);
            c.out_rel = rel[0] ? join(rel, outname) : strdup(outname);
            free(outname);
        }
        if (c.out_rel)
            c.out = join(b->out_dir, c.out_rel);
        c.status = ZIMU_BATCH_PENDING;
        if (!c.rel || (best != (size_t)-1 && !c.caps_path) || !c.note || !c.out_rel ||
            !c.out || add_clip(b, cap, &c) < 0) {
            zimu__batch_clip_free(&c);
            r = ZIMU_ENOMEM;
        }
    }
    for (size_t i = 0; !r && b->recursive && i < n; i++) {
        if (!es[i].is_dir)
            continue;
        char *sub = rel[0] ? join(rel, es[i].name) : strdup(es[i].name);
        if (!sub)
            r = ZIMU_ENOMEM;
        else
            r = scan(b, sub, out_st, cap);
        free(sub);
    }
    for (size_t i = 0; i < n; i++)
        free(es[i].name);
    free(es);
    free(dir);
    if (r == ZIMU_ENOMEM)
        zimu__fail(&b->ctx, r, "out of memory");
    return r;
}

static int cmp_clip(const void *a, const void *b)
{
    return strcmp(((const zimu_batch_clip *)a)->rel, ((const zimu_batch_clip *)b)->rel);
}

static const zimu_batch_clip *sort_base;
static int cmp_out(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    int c = strcmp(sort_base[i].out_rel, sort_base[j].out_rel);
    return c ? c : i - j;
}

typedef struct fid {
    dev_t dev;
    ino_t ino;
    int clip; /* whose input it is; -1: the manifest */
} fid;

static int cmp_fid(const void *a, const void *b)
{
    const fid *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return 0;
}

static void fail_clip(zimu_batch_clip *c, int code, const char *msg)
{
    c->status = ZIMU_BATCH_FAILED;
    c->code = code;
    free(c->error);
    c->error = strdup(msg);
}

/* Outputs two clips would share, and outputs that are inputs. */
static int check_outputs(zimu_batch *b)
{
    int n = b->n;
    int *idx = malloc((size_t)(n ? n : 1) * sizeof *idx);
    fid *ids = malloc((size_t)(2 * n + 1) * sizeof *ids);
    if (!idx || !ids) {
        free(idx);
        free(ids);
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    }
    int m = 0; /* clips not failed already (bad manifest rows) */
    for (int i = 0; i < n; i++)
        if (b->clips[i].status != ZIMU_BATCH_FAILED)
            idx[m++] = i;
    /* qsort has no context argument: batches on other threads sort under
     * this lock */
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    sort_base = b->clips;
    if ((size_t)m > 1) /* the array may be NULL when empty */
        qsort(idx, (size_t)m, sizeof *idx, cmp_out);
    pthread_mutex_unlock(&lock);
    char msg[8192];
    for (int k = 1; k < m; k++) {
        zimu_batch_clip *first = &b->clips[idx[k - 1]], *c = &b->clips[idx[k]];
        if (strcmp(first->out_rel, c->out_rel))
            continue;
        /* idx[k - 1] < idx[k] on equal names: the earlier clip keeps it */
        int f = k - 1;
        while (f > 0 && !strcmp(b->clips[idx[f - 1]].out_rel, c->out_rel))
            f--;
        if (c->row)
            snprintf(msg, sizeof msg,
                     zimu__tr("%s:%d: its output %s is also the output of row %d, "
                              "which comes first; give one of them another 'output'"),
                     b->manifest,
                     c->row, c->out_rel, b->clips[idx[f]].row);
        else
            snprintf(msg, sizeof msg,
                     zimu__tr("%s: its output %s is also the output of %s, which "
                              "comes first; rename one of them"),
                     c->rel, c->out_rel,
                     b->clips[idx[f]].rel);
        fail_clip(c, ZIMU_EEXIST, msg);
    }
    /* the inputs' identities, to refuse an output that is one of them */
    size_t ni = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (b->clips[i].status == ZIMU_BATCH_FAILED && !b->clips[i].out)
            continue; /* a bad manifest row: no clip known */
        char *p = join(b->in_dir, b->clips[i].rel);
        if (p && stat(p, &st) == 0)
            ids[ni++] = (fid){st.st_dev, st.st_ino, i};
        free(p);
        if (b->clips[i].caps_path && stat(b->clips[i].caps_path, &st) == 0)
            ids[ni++] = (fid){st.st_dev, st.st_ino, i};
    }
    struct stat mst;
    if (b->manifest && stat(b->manifest, &mst) == 0)
        ids[ni++] = (fid){mst.st_dev, mst.st_ino, -1};
    qsort(ids, ni, sizeof *ids, cmp_fid);
    for (int i = 0; i < n; i++) {
        struct stat st;
        zimu_batch_clip *c = &b->clips[i];
        if (c->status == ZIMU_BATCH_FAILED || stat(c->out, &st) < 0)
            continue;
        fid key = {st.st_dev, st.st_ino, 0};
        fid *hit = bsearch(&key, ids, ni, sizeof *ids, cmp_fid);
        if (hit) {
            char where[64] = "";
            if (c->row)
                snprintf(where, sizeof where, ":%d", c->row);
            snprintf(msg, sizeof msg,
                     zimu__tr("%s%s: its output %s is an input of the batch (%s); "
                              "nothing was written"),
                     c->row ? b->manifest : c->rel, where, c->out,
                     hit->clip < 0 ? zimu__tr("the manifest") : b->clips[hit->clip].rel);
            fail_clip(c, ZIMU_ESAME, msg);
        }
    }
    free(idx);
    free(ids);
    return 0;
}

void zimu__batch_clip_free(zimu_batch_clip *c)
{
    free(c->rel);
    free(c->caps);
    free(c->caps_path);
    free(c->note);
    free(c->out_rel);
    free(c->out);
    free(c->error);
    free(c->text);
    free(c->style);
    free(c->title);
}

void zimu__batch_clips_free(zimu_batch *b)
{
    for (int i = 0; i < b->n; i++)
        zimu__batch_clip_free(&b->clips[i]);
    free(b->clips);
    b->clips = NULL;
    b->n = 0;
}


/* ------------------------------------------------------------------------
 * A manifest's rows instead of the folder scan (docs/batch.md, "Manifest").
 */

typedef struct bad_rows {
    zimu_batch *b;
    size_t *cap;
    int oom;
} bad_rows;

/* A row the manifest reader left out: a failed clip named by its row. */
static void on_bad_row(void *opaque, int row, const char *msg)
{
    bad_rows *br = opaque;
    zimu_batch_clip c = {.row = row, .from_ms = -1, .to_ms = -1,
                         .status = ZIMU_BATCH_FAILED, .code = ZIMU_EINVAL};
    size_t n = strlen(br->b->manifest) + 24;
    c.rel = malloc(n);
    if (c.rel)
        snprintf(c.rel, n, "%s:%d", br->b->manifest, row);
    c.error = strdup(msg);
    c.note = strdup("");
    if (!c.rel || !c.error || !c.note || add_clip(br->b, br->cap, &c) < 0) {
        zimu__batch_clip_free(&c);
        br->oom = 1;
    }
}

static int has_suffix_ci(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && !strcasecmp(s + n - k, suf);
}

/* The clip of row m: names checked, output chosen. */
static int manifest_clip(zimu_batch *b, const char *dir, zimu_manifest_row *m,
                         zimu_batch_clip *c)
{
    c->row = m->row;
    c->from_ms = m->from_ms;
    c->to_ms = m->to_ms;
    c->status = ZIMU_BATCH_PENDING;
    /* taken over from the row */
    c->rel = m->clip, m->clip = NULL;
    c->caps = m->subs, m->subs = NULL;
    c->text = m->text, m->text = NULL;
    c->style = m->style, m->style = NULL;
    c->title = m->title, m->title = NULL;
    if (!(c->note = strdup("")))
        return -1;
    if (c->caps) {
        if (!(c->caps_path = join(dir, c->caps)))
            return -1;
        c->caps_flash = has_suffix_ci(c->caps, ".flash.txt");
    } else if (c->text) {
        /* what the report and a dry run show as its captions */
        size_t n = strlen(b->manifest) + 32;
        if (!(c->caps = malloc(n)))
            return -1;
        snprintf(c->caps, n, "%s:%d (text)", b->manifest, c->row);
    }
    if (m->output) {
        c->out_rel = m->output, m->output = NULL;
    } else {
        /* the clip's name with .mp4 */
        const char *slash = strrchr(c->rel, '/');
        const char *dot = strrchr(c->rel, '.');
        size_t bl = dot && dot > (slash ? slash + 1 : c->rel) ? (size_t)(dot - c->rel)
                                                             : strlen(c->rel);
        if (!(c->out_rel = malloc(bl + 5)))
            return -1;
        memcpy(c->out_rel, c->rel, bl);
        memcpy(c->out_rel + bl, ".mp4", 5);
    }
    if (!(c->out = join(b->out_dir, c->out_rel)))
        return -1;
    char msg[8192];
    const char *why;
    if ((why = zimu__path_unsafe_why(b->in_dir, c->rel)))
        snprintf(msg, sizeof msg, zimu__tr("%s:%d: 'clip' '%s' is not a safe name: %s"), b->manifest,
                 c->row, c->rel, why);
    else if ((why = zimu__path_unsafe_why(b->out_dir, c->out_rel)))
        snprintf(msg, sizeof msg, zimu__tr("%s:%d: 'output' '%s' is not a safe name: %s"), b->manifest,
                 c->row, c->out_rel, why);
    else if (!c->caps && !c->text && !c->title && !b->title)
        c->status = ZIMU_BATCH_SKIPPED;
    if (why) {
        c->status = ZIMU_BATCH_FAILED;
        c->code = ZIMU_EINVAL;
        if (!(c->error = strdup(msg)))
            return -1;
    }
    return 0;
}

static int plan_manifest(zimu_batch *b, size_t *cap)
{
    zimu_manifest man = {0};
    bad_rows br = {b, cap, 0};
    int r = zimu__manifest_read(&b->ctx, b->manifest, on_bad_row, &br, &man);
    if (r < 0)
        return r;
    char *dir = strdup(b->manifest);
    if (!dir)
        br.oom = 1;
    else {
        char *slash = strrchr(dir, '/');
        if (!slash)
            strcpy(dir, ".");
        else if (slash == dir)
            slash[1] = 0;
        else
            *slash = 0;
    }
    for (size_t i = 0; !br.oom && i < man.n; i++) {
        zimu_batch_clip c = {0};
        if (manifest_clip(b, dir, &man.v[i], &c) < 0 || add_clip(b, cap, &c) < 0) {
            zimu__batch_clip_free(&c);
            br.oom = 1;
        }
    }
    free(dir);
    zimu__manifest_free(&man);
    if (br.oom)
        return zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    return ((const zimu_batch_clip *)a)->row - ((const zimu_batch_clip *)b)->row;
}

int zimu__batch_plan(zimu_batch *b)
{
    zimu__batch_clips_free(b);
    if (!b->in_dir || !b->out_dir)
        return b->in_dir ? zimu__fail(&b->ctx, ZIMU_EINVAL, "no output folder set")
                         : zimu__fail(&b->ctx, ZIMU_EINVAL, "no input folder set");
    struct stat in_st, out_st;
    if (stat(b->in_dir, &in_st) < 0)
        return zimu__fail_file(&b->ctx, ZIMU_ENOENT, b->in_dir, "%s: %s", b->in_dir,
                               errno == ENOENT ? zimu__tr("no such folder") : strerror(errno));
    if (!S_ISDIR(in_st.st_mode))
        return zimu__fail_file(&b->ctx, ZIMU_ENOENT, b->in_dir,
                               "%s: not a folder (zimu batch takes a folder of clips)",
                               b->in_dir);
    int have_out = stat(b->out_dir, &out_st) == 0;
    if (have_out && !S_ISDIR(out_st.st_mode))
        return zimu__fail_file(&b->ctx, ZIMU_EOUTPUT, b->out_dir,
                               "%s: exists and is not a folder", b->out_dir);
    if (!have_out && !b->dry_run) {
        int e = mkdir(b->out_dir, 0777) < 0 ? errno : 0;
        if ((e == ENOENT || e == ENOTDIR) && zimu__check_output_folder(&b->ctx, b->out_dir) < 0)
            return ZIMU_EOUTPUT; /* "out/x: the folder out does not exist" */
        if (e || stat(b->out_dir, &out_st) < 0)
            return zimu__fail_file(&b->ctx, ZIMU_EOUTPUT, b->out_dir,
                                   "%s: cannot make the folder: %s", b->out_dir,
                                   strerror(e ? e : errno));
        have_out = 1;
    }
    if (have_out && out_st.st_dev == in_st.st_dev && out_st.st_ino == in_st.st_ino)
        return zimu__fail_file(&b->ctx, ZIMU_EINVAL, b->out_dir,
                               "%s: the output folder is the input folder; give another "
                               "one (it may lie inside the input folder)", b->out_dir);
    size_t cap = 0;
    int r;
    if (b->manifest) {
        /* the rows in their order, the bad ones among them */
        if ((r = plan_manifest(b, &cap)) < 0)
            return r;
        if ((size_t)b->n > 1) /* the array may be NULL when empty */
            qsort(b->clips, (size_t)b->n, sizeof *b->clips, cmp_row);
        return check_outputs(b);
    }
    r = scan(b, "", have_out ? &out_st : NULL, &cap);
    if (r < 0)
        return r;
    if ((size_t)b->n > 1) /* the array may be NULL when empty */
        qsort(b->clips, (size_t)b->n, sizeof *b->clips, cmp_clip);
    for (int i = 0; i < b->n; i++)
        if (!b->clips[i].caps && !b->title)
            b->clips[i].status = ZIMU_BATCH_SKIPPED;
    return check_outputs(b);
}

int zimu__batch_mkdirs(const char *dir, const char *rel)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const char *p = rel;
    for (;;) {
        const char *slash = strchr(p, '/');
        if (!slash)
            break;
        char comp[256];
        size_t len = (size_t)(slash - p);
        if (len && len < sizeof comp) {
            memcpy(comp, p, len);
            comp[len] = 0;
            if (mkdirat(fd, comp, 0777) < 0 && errno != EEXIST) {
                int e = errno;
                close(fd);
                errno = e;
                return -1;
            }
            int nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int e = errno;
            close(fd);
            if (nfd < 0) {
                errno = e;
                return -1;
            }
            fd = nfd;
        }
        p = slash + 1;
    }
    close(fd);
    return 0;
}
