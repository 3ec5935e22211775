/* report.c - what a batch did, for people and programs:
 * OUTDIR/zimu-report.json and OUTDIR/zimu-report.csv (UTF-8 with a BOM,
 * so Excel and WPS open it as UTF-8), one entry per clip. Bytes of a name
 * that are not UTF-8 (GBK names from a Windows zip) are written as the
 * text \xHH, so neither file is ever broken by a name. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "sbuf.h"
#include "tmpfile.h"

/* Length of the UTF-8 sequence at p (RFC 3629), 0 if not valid there. */
static int utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    int len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }
    else return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int k = 2; k < len; k++)
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
    return len;
}

/* s as UTF-8 text, its invalid bytes as "\xHH". */
static void add_text(zimu_sbuf *sb, const char *s, int json)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = utf8_len(p);
        if (!n) {
            zimu__sb_printf(sb, json ? "\\\\x%02X" : "\\x%02X", *p);
            p++;
            continue;
        }
        if (json && n == 1 && (*p == '"' || *p == '\\'))
            zimu__sb_printf(sb, "\\%c", *p);
        else if (json && n == 1 && *p < 0x20)
            zimu__sb_printf(sb, "\\u%04x", *p);
        else if (!json && *p == '"')
            zimu__sb_adds(sb, "\"\"");
        else
            zimu__sb_add(sb, (const char *)p, (size_t)n);
        p += n;
    }
}

static void json_str(zimu_sbuf *sb, const char *s)
{
    if (!s || !*s) {
        zimu__sb_adds(sb, "null");
        return;
    }
    zimu__sb_addc(sb, '"');
    add_text(sb, s, 1);
    zimu__sb_addc(sb, '"');
}

static void csv_field(zimu_sbuf *sb, const char *s, int last)
{
    zimu__sb_addc(sb, '"');
    if (s)
        add_text(sb, s, 0);
    zimu__sb_adds(sb, last ? "\"\r\n" : "\",");
}

static int write_out(zimu_batch *b, const char *name, zimu_sbuf *sb)
{
    size_t n = strlen(b->out_dir) + strlen(name) + 2;
    char *path = malloc(n);
    int r;
    if (!path || sb->oom) {
        r = zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    } else {
        snprintf(path, n, "%s/%s", b->out_dir, name);
        r = zimu__write_file_atomic(&b->ctx, path, sb->s ? sb->s : "", sb->len, 1);
    }
    free(path);
    zimu__sb_free(sb);
    return r;
}

int zimu__batch_report(zimu_batch *b)
{
    zimu_sbuf js = {0}, cs = {0};
    int count[6] = {0};
    zimu__sb_printf(&js, "{\n  \"zimu\": \"%s\",\n  \"input_dir\": ", zimu_version());
    json_str(&js, b->in_dir);
    zimu__sb_adds(&js, ",\n  \"output_dir\": ");
    json_str(&js, b->out_dir);
    if (b->shard_n > 0)
        zimu__sb_printf(&js, ",\n  \"shard\": %d, \"shards\": %d", b->shard_k, b->shard_n);
    zimu__sb_adds(&js, ",\n  \"clips\": [");
    zimu__sb_adds(&cs, "\xEF\xBB\xBF" "status,input,captions,output,duration,seconds,error,"
                       "note,fingerprint\r\n");
    for (int i = 0; i < b->n; i++) {
        const zimu_batch_clip *c = &b->clips[i];
        const char *st = zimu_batch_status_name(c->status);
        if (c->status >= 0 && c->status < 6)
            count[c->status]++;
        zimu__sb_adds(&js, i ? ",\n    {\"status\": \"" : "\n    {\"status\": \"");
        zimu__sb_adds(&js, st);
        zimu__sb_adds(&js, "\", \"input\": ");
        json_str(&js, c->rel);
        zimu__sb_adds(&js, ", \"captions\": ");
        json_str(&js, c->caps);
        zimu__sb_adds(&js, ", \"output\": ");
        json_str(&js, c->out_rel);
        zimu__sb_printf(&js, ", \"duration\": %.3f, \"seconds\": %.3f, \"error\": ",
                        (double)c->duration_ms / 1000.0, c->seconds);
        json_str(&js, c->error);
        zimu__sb_adds(&js, ", \"note\": ");
        json_str(&js, c->note);
        zimu__sb_adds(&js, ", \"fingerprint\": ");
        json_str(&js, c->fp);
        zimu__sb_addc(&js, '}');

        char dur[32], secs[32];
        zimu__snprintf(dur, sizeof dur, "%.3f", (double)c->duration_ms / 1000.0);
        zimu__snprintf(secs, sizeof secs, "%.3f", c->seconds);
        csv_field(&cs, st, 0);
        csv_field(&cs, c->rel, 0);
        csv_field(&cs, c->caps, 0);
        csv_field(&cs, c->out_rel, 0);
        csv_field(&cs, dur, 0);
        csv_field(&cs, secs, 0);
        csv_field(&cs, c->error, 0);
        csv_field(&cs, c->note, 0);
        csv_field(&cs, c->fp, 1);
    }
    zimu__sb_printf(&js, "\n  ],\n  \"total\": %d, \"done\": %d, \"unchanged\": %d, "
                         "\"skipped\": %d, \"failed\": %d, \"cancelled\": %d, "
                         "\"pending\": %d\n}\n",
                    b->n, count[ZIMU_BATCH_DONE], count[ZIMU_BATCH_UNCHANGED],
                    count[ZIMU_BATCH_SKIPPED], count[ZIMU_BATCH_FAILED],
                    count[ZIMU_BATCH_CANCELLED], count[ZIMU_BATCH_PENDING]);
    char jname[64], cname[64];
    zimu__batch_report_name(b, "zimu-report", "json", jname, sizeof jname);
    zimu__batch_report_name(b, "zimu-report", "csv", cname, sizeof cname);
    int r = write_out(b, jname, &js);
    int r2 = write_out(b, cname, &cs);
    int r3 = zimu__batch_page(b);
    return r < 0 ? r : r2 < 0 ? r2 : r3;
}
