/* manifest.c - the batch manifest: a CSV file a spreadsheet saved.
 *
 * The fields are split by libcsv (Debian's libcsv-dev), in its lenient
 * mode, which reads a stray quote inside an unquoted field as Excel does;
 * a quote that is opened and never closed is caught at the end (it would
 * swallow the rest of the file into one field). Row numbers are the ones a
 * spreadsheet shows: every record is one row, however many lines its
 * quoted fields span, and an empty line is a row too (CSV_REPALL_NL
 * reports it; the LF of a CRLF is not a second one).
 *
 * The bytes are decoded as caption files are (charset.h): a BOM, valid
 * UTF-8, or the encoding detected (GB18030 as Excel and WPS save a CSV on
 * a Chinese Windows). */
#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "charset.h"
#include "manifest.h"

enum { COL_CLIP, COL_SUBS, COL_TEXT, COL_STYLE, COL_TITLE, COL_FROM, COL_TO, COL_OUTPUT, NCOL };

/* The names a header may give each column (ASCII ones in any case). */
static const struct {
    const char *name;
    int col;
} col_names[] = {
    {"clip", COL_CLIP},     {"video", COL_CLIP},       {"视频", COL_CLIP},
    {"片段", COL_CLIP},     {"视频文件", COL_CLIP},     {"subs", COL_SUBS},
    {"subtitles", COL_SUBS}, {"subtitle", COL_SUBS},   {"字幕", COL_SUBS},
    {"字幕文件", COL_SUBS}, {"text", COL_TEXT},         {"文字", COL_TEXT},
    {"文案", COL_TEXT},     {"文本", COL_TEXT},         {"style", COL_STYLE},
    {"样式", COL_STYLE},    {"title", COL_TITLE},       {"标题", COL_TITLE},
    {"from", COL_FROM},     {"start", COL_FROM},        {"开始", COL_FROM},
    {"开始时间", COL_FROM}, {"to", COL_TO},             {"end", COL_TO},
    {"结束", COL_TO},       {"结束时间", COL_TO},       {"output", COL_OUTPUT},
    {"输出", COL_OUTPUT},   {"输出文件", COL_OUTPUT},
};

/* The most bytes of a value quoted in a message. */
#define SHOWN_MAX 80

typedef struct reader {
    zimu_ctx *c;
    const char *path; /* as the caller named it, for messages */
    char *dir;        /* the manifest's folder, for subs */
    void (*bad)(void *, int, const char *);
    void *opaque;
    int err; /* first fatal error; callbacks do nothing once set */

    /* the record being read */
    char **f;
    size_t nf, capf;
    int row;       /* spreadsheet row of the last record ended */
    int last_term; /* the character that ended it, for CRLF */

    int have_header;
    int header_row;
    int col[NCOL];          /* field index of each column, -1 if absent */
    char *label[NCOL];      /* the header's name of each, for messages */

    zimu_manifest out;
    size_t cap;
} reader;

static int oom(reader *r)
{
    if (!r->err)
        r->err = zimu__fail(r->c, ZIMU_ENOMEM, "%s: out of memory", r->path);
    return r->err;
}

static int is_ascii_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

/* Cut spaces (ASCII, and with cjk U+3000 and U+00A0 too) from both ends
 * of s, in place. */
static char *trim(char *s, int cjk)
{
    for (;;) {
        if (is_ascii_space((unsigned char)*s))
            s++;
        else if (cjk && !strncmp(s, "\xE3\x80\x80", 3)) /* not past the end */
            s += 3;
        else if (cjk && !strncmp(s, "\xC2\xA0", 2))
            s += 2;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n && is_ascii_space((unsigned char)s[n - 1]))
            n--;
        else if (cjk && n >= 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3))
            n -= 3;
        else if (cjk && n >= 2 && !memcmp(s + n - 2, "\xC2\xA0", 2))
            n -= 2;
        else
            break;
    }
    s[n] = 0;
    return s;
}

/* s for a message: at most SHOWN_MAX bytes, cut at a character boundary,
 * control characters as '?'. */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s), lim = size - 4 < SHOWN_MAX ? size - 4 : SHOWN_MAX;
    int cut = n > lim;
    if (cut) {
        n = lim;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    strcpy(buf + n, cut ? "..." : "");
    return buf;
}

/* libcsv: the end of a field. Kept (NUL-terminated, CRLF inside it made
 * LF) until the end of its record. */
static void on_field(void *data, size_t len, void *opaque)
{
    reader *r = opaque;
    if (r->err)
        return;
    if (r->nf == r->capf) {
        size_t ncap = r->capf ? 2 * r->capf : 16;
        char **nf = realloc(r->f, ncap * sizeof *nf);
        if (!nf) {
            oom(r);
            return;
        }
        r->f = nf;
        r->capf = ncap;
    }
    char *s = malloc(len + 1);
    if (!s) {
        oom(r);
        return;
    }
    const char *d = data;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(d[i] == '\r' && i + 1 < len && d[i + 1] == '\n'))
            s[n++] = d[i];
    s[n] = 0;
    r->f[r->nf++] = s;
}

static void drop_fields(reader *r)
{
    for (size_t i = 0; i < r->nf; i++)
        free(r->f[i]);
    r->nf = 0;
}

/* Report row as bad: "path:row: what". */
static void bad_row(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad_row(reader *r, const char *fmt, ...)
{
    char what[1024], msg[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s:%d: %s", r->path, r->row, what);
    if (r->bad)
        r->bad(r->opaque, r->row, msg);
    else
        zimu__log(r->c, ZIMU_LOG_WARNING, "%s", msg);
}

static int column_of(const char *name)
{
    for (size_t i = 0; i < sizeof col_names / sizeof col_names[0]; i++)
        if (!strcasecmp(name, col_names[i].name))
            return col_names[i].col;
    return -1;
}

static const char *const col_key[NCOL] = {"clip", "subs", "text", "style",
                                          "title", "from", "to", "output"};

static void read_header(reader *r)
{
    size_t nonempty = 0;
    for (size_t i = 0; i < r->nf; i++)
        if (*trim(r->f[i], 1))
            nonempty++;
    if (!nonempty)
        return; /* an empty row before the header */
    r->have_header = 1;
    r->header_row = r->row;
    char unknown[512] = "";
    size_t n_unknown = 0;
    for (size_t i = 0; i < r->nf; i++) {
        const char *name = r->f[i];
        if (!*name)
            continue;
        int k = column_of(name);
        if (k < 0) {
            char b[SHOWN_MAX + 8];
            size_t u = strlen(unknown);
            if (u < sizeof unknown - 1)
                snprintf(unknown + u, sizeof unknown - u, "%s'%s'", n_unknown ? ", " : "",
                         shown(name, b, sizeof b));
            n_unknown++;
            continue;
        }
        if (r->col[k] >= 0) {
            char b1[SHOWN_MAX + 8], b2[SHOWN_MAX + 8];
            r->err = zimu__fail_file(r->c, ZIMU_EINVAL, r->path,
                                     "%s:%d: columns %d ('%s') and %zu ('%s') are both '%s': "
                                     "keep one",
                                     r->path, r->row, r->col[k] + 1,
                                     shown(r->label[k], b1, sizeof b1), i + 1,
                                     shown(name, b2, sizeof b2), col_key[k]);
            return;
        }
        r->col[k] = (int)i;
        r->label[k] = zimu__strdup(name);
        if (!r->label[k]) {
            oom(r);
            return;
        }
    }
    if (r->col[COL_CLIP] < 0) {
        r->err = zimu__fail_file(
            r->c, ZIMU_EINVAL, r->path,
            "%s:%d: no 'clip' column: the first row names the columns (clip, subs, text, "
            "style, title, from, to, output, or 视频, 字幕, 文字, 样式, 标题, 开始, 结束, 输出)",
            r->path, r->row);
        return;
    }
    if (n_unknown)
        zimu__log(r->c, ZIMU_LOG_WARNING,
                  "%s:%d: column%s %s ignored: zimu knows clip, subs, text, style, title, "
                  "from, to, output (or 视频, 字幕, 文字, 样式, 标题, 开始, 结束, 输出)",
                  r->path, r->row, n_unknown > 1 ? "s" : "", unknown);
}

/* A time as a spreadsheet may have rewritten it ("90", "1:30", "0:01:30",
 * "00:01:30.500", "1:30,5", full-width digits, colon and point) into *ms:
 * 0, or -1. */
static int spreadsheet_time(const char *s, int64_t *ms)
{
    char buf[64];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (n >= sizeof buf - 1)
            return -1;
        /* U+FF10..U+FF19 (digits), U+FF1A (colon), U+FF0E (point),
         * U+FF0C (comma): EF BC 90..99, 9A, 8E, 8C */
        if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
            buf[n++] = (char)('0' + (p[2] - 0x90));
            p += 3;
        } else if (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x9A) {
            buf[n++] = ':';
            p += 3;
        } else if (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8E) {
            buf[n++] = '.';
            p += 3;
        } else if (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C) {
            buf[n++] = ',';
            p += 3;
        } else if (*p < 0x80) {
            buf[n++] = (char)*p++;
        } else {
            return -1;
        }
    }
    buf[n] = 0;
    return zimu_parse_time(buf, ms) < 0 ? -1 : 0;
}

static const char *field(reader *r, int k)
{
    int i = r->col[k];
    if (i < 0 || (size_t)i >= r->nf)
        return "";
    return r->f[i];
}

/* A kept copy of s, NULL when empty. -1 when out of memory. */
static int keep(reader *r, const char *s, char **out)
{
    *out = NULL;
    if (!*s)
        return 0;
    *out = zimu__strdup(s);
    return *out ? 0 : oom(r);
}

static void row_free(zimu_manifest_row *m)
{
    free(m->clip);
    free(m->subs);
    free(m->text);
    free(m->style);
    free(m->title);
    free(m->output);
}

/* The path in column k is safe; else the row is reported. */
static int path_ok(reader *r, int k, const char *v, const char *under)
{
    const char *why = under ? zimu__path_unsafe_why(under, v) : zimu__path_problem(v);
    if (!why)
        return 1;
    char b[SHOWN_MAX + 8];
    bad_row(r, "'%s' '%s' is not a safe name: %s", r->label[k], shown(v, b, sizeof b), why);
    return 0;
}

static void read_row(reader *r)
{
    const char *v[NCOL];
    int any = 0;
    for (int k = 0; k < NCOL; k++) {
        int i = r->col[k];
        if (i >= 0 && (size_t)i < r->nf)
            trim(r->f[i], k != COL_TEXT);
        v[k] = field(r, k);
        any |= *v[k] != 0;
    }
    if (!any)
        return; /* an empty row, or only columns zimu ignores */
    char b1[SHOWN_MAX + 8], b2[SHOWN_MAX + 8];
    if (!*v[COL_CLIP]) {
        bad_row(r, "no clip: the '%s' column is empty", r->label[COL_CLIP]);
        return;
    }
    if (*v[COL_SUBS] && *v[COL_TEXT]) {
        bad_row(r, "both '%s' and '%s': give one of them", r->label[COL_SUBS],
                r->label[COL_TEXT]);
        return;
    }
    if (!path_ok(r, COL_CLIP, v[COL_CLIP], NULL) ||
        (*v[COL_SUBS] && !path_ok(r, COL_SUBS, v[COL_SUBS], r->dir)) ||
        (*v[COL_OUTPUT] && !path_ok(r, COL_OUTPUT, v[COL_OUTPUT], NULL)))
        return;
    int64_t t[2] = {-1, -1};
    for (int j = 0; j < 2; j++) {
        int k = j ? COL_TO : COL_FROM;
        if (*v[k] && spreadsheet_time(v[k], &t[j]) < 0) {
            bad_row(r,
                    "'%s' '%s' is not a time: write seconds (90, 90.5) or minutes and "
                    "seconds (1:30, 0:01:30, 00:01:30.500)",
                    r->label[k], shown(v[k], b1, sizeof b1));
            return;
        }
    }
    if (t[0] >= 0 && t[1] >= 0 && t[0] >= t[1]) {
        bad_row(r, "'%s' %s is not before '%s' %s", r->label[COL_FROM],
                shown(v[COL_FROM], b1, sizeof b1), r->label[COL_TO],
                shown(v[COL_TO], b2, sizeof b2));
        return;
    }
    if (r->out.n == r->cap) {
        size_t ncap = r->cap ? 2 * r->cap : 16;
        zimu_manifest_row *nv = realloc(r->out.v, ncap * sizeof *nv);
        if (!nv) {
            oom(r);
            return;
        }
        r->out.v = nv;
        r->cap = ncap;
    }
    zimu_manifest_row m = {.row = r->row, .from_ms = t[0], .to_ms = t[1]};
    if (keep(r, v[COL_CLIP], &m.clip) < 0 || keep(r, v[COL_SUBS], &m.subs) < 0 ||
        keep(r, v[COL_TEXT], &m.text) < 0 || keep(r, v[COL_STYLE], &m.style) < 0 ||
        keep(r, v[COL_TITLE], &m.title) < 0 || keep(r, v[COL_OUTPUT], &m.output) < 0) {
        row_free(&m);
        return;
    }
    r->out.v[r->out.n++] = m;
}

/* libcsv: the end of a record (or, with CSV_REPALL_NL, of an empty line). */
static void on_record(int ch, void *opaque)
{
    reader *r = opaque;
    if (r->err) {
        drop_fields(r);
        return;
    }
    if (!r->nf && ch == CSV_LF && r->last_term == CSV_CR) {
        r->last_term = 0; /* the LF of a CRLF */
        return;
    }
    r->row++;
    r->last_term = ch;
    if (r->nf) {
        if (!r->have_header)
            read_header(r);
        else
            read_row(r);
    }
    drop_fields(r);
}

/* ZIP (.xlsx, .ods) or OLE2 (.xls, .et) bytes, or such a name. */
static int spreadsheet_file(const char *path, const unsigned char *d, size_t n)
{
    if (n >= 4 && !memcmp(d, "PK\x03\x04", 4))
        return 1;
    if (n >= 8 && !memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return 1;
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return 0;
    static const char *const ext[] = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".ett", ".numbers"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (!strcasecmp(dot, ext[i]))
            return 1;
    return 0;
}

/* The character between fields: the one of ',', ';' and tab that the
 * first non-empty line has most of (comma when none, or a tie with it). */
static unsigned char delimiter(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '\r' || s[i] == '\n'))
        i++;
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (; i < n; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (s[i] == '\n' || s[i] == '\r')
            break;
        else if (s[i] == ',')
            comma++;
        else if (s[i] == ';')
            semi++;
        else if (s[i] == '\t')
            tab++;
    }
    if (tab > comma && tab >= semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

static int parse(reader *r, const char *text, size_t size)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
        return oom(r);
    /* (libcsv never takes the delimiter for a space around a field) */
    csv_set_delim(&p, delimiter(text, size));
    const size_t chunk = (size_t)1 << 16;
    for (size_t at = 0; at < size && !r->err; at += chunk) {
        if (zimu__cancelled(r->c)) {
            r->err = zimu__fail_cancel(r->c);
            break;
        }
        size_t len = size - at < chunk ? size - at : chunk;
        /* Lenient mode: only memory runs out. */
        if (csv_parse(&p, text + at, len, on_field, on_record, r) != len)
            oom(r);
    }
    if (!r->err) {
        /* Only csv_fini's own check: a quoted field still open at the end. */
        csv_set_opts(&p, CSV_APPEND_NULL | CSV_REPALL_NL | CSV_STRICT | CSV_STRICT_FINI);
        int open_row = r->row + 1;
        if (csv_fini(&p, on_field, on_record, r) != 0 && csv_error(&p) == CSV_EPARSE && !r->err)
            r->err = zimu__fail_file(r->c, ZIMU_EINVAL, r->path,
                                     "%s:%d: a quote (\") opens a field that never ends: "
                                     "the rest of the file would be in it; close it with "
                                     "another quote, and write a quote inside a quoted "
                                     "field as two (\"\")",
                                     r->path, open_row);
    }
    drop_fields(r);
    csv_free(&p);
    return r->err;
}

int zimu__manifest_read(zimu_ctx *c, const char *path,
                        void (*bad)(void *opaque, int row, const char *msg), void *opaque,
                        zimu_manifest *out)
{
    out->v = NULL;
    out->n = 0;
    char *raw = NULL, *text = NULL;
    size_t raw_size = 0, size = 0;
    int rc = zimu__read_file(c, path, ZIMU__MAX_FILE_DEFAULT, ZIMU_EINVAL, "a manifest", &raw,
                             &raw_size);
    if (rc == ZIMU_EINVAL) {
        char lim[64];
        zimu__bytes_text(ZIMU__MAX_FILE_DEFAULT, lim, sizeof lim);
        return zimu__fail_file(c, ZIMU_EINVAL, path,
                               "%s: larger than %s, the most zimu reads of a manifest", path,
                               lim);
    }
    if (rc < 0)
        return rc;
    if (spreadsheet_file(path, (const unsigned char *)raw, raw_size)) {
        free(raw);
        return zimu__fail_file(c, ZIMU_EINVAL, path,
                               "%s: a spreadsheet file, not CSV: save it as CSV (UTF-8) in "
                               "Excel or WPS",
                               path);
    }
    /* --charenc is for caption files: a manifest is only ever detected. */
    rc = zimu__charset_decode(c, path, raw, raw_size, NULL,
                              "; save the manifest as CSV in UTF-8 (Excel: \"CSV UTF-8\"; "
                              "WPS: CSV, encoding UTF-8)", &text, &size, NULL);
    free(raw);
    if (rc < 0)
        return zimu__set_errfile(c, rc, path);

    reader r = {.c = c, .path = path, .bad = bad, .opaque = opaque};
    for (int k = 0; k < NCOL; k++)
        r.col[k] = -1;
    r.dir = zimu__strdup(path);
    if (!r.dir) {
        rc = oom(&r);
        goto done;
    }
    char *slash = strrchr(r.dir, '/');
    if (!slash)
        strcpy(r.dir, ".");
    else if (slash == r.dir)
        slash[1] = 0;
    else
        *slash = 0;

    rc = parse(&r, text, size);
    if (!rc && !r.have_header)
        rc = zimu__fail_file(c, ZIMU_EINVAL, path,
                             "%s: empty: the first row must name the columns (clip, subs, "
                             "text, style, title, from, to, output)",
                             path);
done:
    if (rc < 0) {
        zimu__manifest_free(&r.out);
    } else {
        *out = r.out;
    }
    free(r.f);
    free(r.dir);
    for (int k = 0; k < NCOL; k++)
        free(r.label[k]);
    free(text);
    return rc;
}

void zimu__manifest_free(zimu_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        row_free(&m->v[i]);
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

/* ------------------------------------------------------------------------
 * Names that stay inside their folder.
 */

const char *zimu__path_problem(const char *rel)
{
    if (!rel || !*rel)
        return "it is empty";
    if (rel[0] == '/')
        return "it is an absolute path: give it relative to the folder";
    if (((rel[0] | 0x20) >= 'a' && (rel[0] | 0x20) <= 'z') && rel[1] == ':')
        return "it is a Windows drive path: give it relative to the folder";
    if (strchr(rel, '\\'))
        return "it has a backslash: separate folders with /";
    if (strlen(rel) >= PATH_MAX)
        return "it is too long";
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "it has a control character (a line break?)";
    const char *s = rel;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (!n)
            return "it has an empty folder name (// or a / at the end)";
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return "'..' leads out of the folder";
        if (n == 1 && s[0] == '.')
            return "it has a '.' folder name: leave it out";
        if (n > NAME_MAX)
            return "a name in it is too long";
        if (!e)
            return NULL;
        s = e + 1;
    }
}

/* Is path (resolved) base itself or inside it? */
static int inside(const char *base, const char *path)
{
    size_t n = strlen(base);
    if (n == 1 && base[0] == '/')
        return 1;
    return !strncmp(base, path, n) && (path[n] == 0 || path[n] == '/');
}

const char *zimu__path_unsafe_why(const char *dir, const char *rel)
{
    const char *why = zimu__path_problem(rel);
    if (why)
        return why;
    char base[PATH_MAX];
    if (!realpath(dir, base))
        return errno == ENOENT || errno == ENOTDIR ? NULL /* nothing is under it yet */
                                                   : "its folder cannot be looked at";
    size_t dl = strlen(dir), rl = strlen(rel);
    if (dl + 1 + rl >= PATH_MAX)
        return "it is too long";
    char prefix[PATH_MAX], real[PATH_MAX];
    memcpy(prefix, dir, dl);
    prefix[dl] = '/';
    const char *s = rel;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t end = e ? (size_t)(e - rel) : rl;
        memcpy(prefix + dl + 1, rel, end);
        prefix[dl + 1 + end] = 0;
        struct stat st;
        if (lstat(prefix, &st) < 0)
            return errno == ENOENT || errno == ENOTDIR ? NULL /* the rest is not there yet */
                                                       : "a folder in it cannot be looked at";
        if (S_ISLNK(st.st_mode)) {
            if (!realpath(prefix, real))
                return "it goes through a symlink that leads nowhere";
            if (!inside(base, real))
                return "it goes through a symlink that leads out of the folder";
        }
        if (!e)
            return NULL;
        s = e + 1;
    }
}

int zimu__path_safe_under(const char *dir, const char *rel)
{
    return zimu__path_unsafe_why(dir, rel) == NULL;
}
