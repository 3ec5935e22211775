/* page.c - OUTDIR/index.html: the batch at a glance, for a person
 * checking a hundred clips. One self-contained file (inline CSS, no
 * network, no script: the status filter is CSS radio buttons), a card per
 * clip with its thumbnail (thumb.c; a relative link, loading="lazy", so
 * a page of 1,000 clips opens at once), name, status, error, duration,
 * time taken and a link to the output; labels in Chinese and English.
 * Text is HTML-escaped and bytes of a name that are not UTF-8 (GBK names
 * from a Windows zip) are shown as \xHH, as in the reports (report.c);
 * links are percent-encoded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "batch.h"
#include "charset.h"
#include "sbuf.h"
#include "tmpfile.h"

/* The label and CSS class of each ZIMU_BATCH_* status. */
static const char *const label[] = {
    [ZIMU_BATCH_PENDING] = "未运行 not run",  [ZIMU_BATCH_DONE] = "完成 done",
    [ZIMU_BATCH_SKIPPED] = "跳过 skipped",    [ZIMU_BATCH_FAILED] = "失败 failed",
    [ZIMU_BATCH_CANCELLED] = "已取消 cancelled", [ZIMU_BATCH_UNCHANGED] = "未变 unchanged",
};
static const char *const cls[] = {
    [ZIMU_BATCH_PENDING] = "pending",     [ZIMU_BATCH_DONE] = "done",
    [ZIMU_BATCH_SKIPPED] = "skipped",     [ZIMU_BATCH_FAILED] = "failed",
    [ZIMU_BATCH_CANCELLED] = "cancelled", [ZIMU_BATCH_UNCHANGED] = "unchanged",
};
#define N_STATUS 6

/* s as HTML text: markup characters escaped, bytes that are not UTF-8
 * as \xHH. */
static void html(zimu_sbuf *sb, const char *s)
{
    size_t n = strlen(s);
    while (n) {
        size_t ok = zimu__utf8_check(s, n);
        for (size_t i = 0; i < ok; i++) {
            switch (s[i]) {
            case '&': zimu__sb_adds(sb, "&amp;"); break;
            case '<': zimu__sb_adds(sb, "&lt;"); break;
            case '>': zimu__sb_adds(sb, "&gt;"); break;
            case '"': zimu__sb_adds(sb, "&quot;"); break;
            case '\'': zimu__sb_adds(sb, "&#39;"); break;
            default: zimu__sb_addc(sb, s[i]);
            }
        }
        s += ok;
        n -= ok;
        if (n) {
            zimu__sb_printf(sb, "\\x%02X", (unsigned char)*s);
            s++;
            n--;
        }
    }
}

/* A relative path as a URL: every byte but unreserved ones and '/'
 * percent-encoded (RFC 3986), so any name stays one working link. */
static void url(zimu_sbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            zimu__sb_addc(sb, (char)*p);
        else
            zimu__sb_printf(sb, "%%%02X", *p);
    }
}

static void seconds(zimu_sbuf *sb, double s)
{
    if (s < 60)
        zimu__sb_printf(sb, "%.1f s", s);
    else
        zimu__sb_printf(sb, "%d:%04.1f", (int)(s / 60), s - 60 * (int)(s / 60));
}

static const char css[] =
    "body{font:14px/1.4 system-ui,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',"
    "sans-serif;margin:16px;background:#f4f4f4;color:#222}"
    "h1{font-size:20px;margin:0 0 8px}"
    ".sum{margin:0 0 12px}.sum>span{margin-right:14px}"
    ".f{position:absolute;opacity:0}"
    ".bar label{display:inline-block;padding:3px 10px;margin:0 4px 12px 0;border:1px solid #bbb;"
    "border-radius:12px;cursor:pointer;background:#fff}"
    "#f-all:checked~.bar .l-all,#f-done:checked~.bar .l-done,#f-failed:checked~.bar .l-failed,"
    "#f-other:checked~.bar .l-other{background:#333;color:#fff}"
    "#f-done:checked~.grid .card:not(.done):not(.unchanged),"
    "#f-failed:checked~.grid .card:not(.failed),"
    "#f-other:checked~.grid .card.done,#f-other:checked~.grid .card.unchanged,"
    "#f-other:checked~.grid .card.failed{display:none}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}"
    ".card{background:#fff;border-radius:6px;padding:10px;border-top:5px solid #999;"
    "overflow-wrap:anywhere}"
    ".thumb{display:flex;align-items:center;justify-content:center;height:320px;"
    "background:#ddd;color:#777;margin-bottom:6px}"
    ".thumb img{max-width:100%;max-height:320px}"
    ".name{font-weight:600}.meta{color:#666;font-size:12px}"
    ".err{color:#a00;font-size:12px;white-space:pre-wrap;max-height:8em;overflow:auto}"
    ".st{font-weight:600}"
    ".done{border-color:#2a2}.done .st{color:#1a7a1a}"
    ".unchanged{border-color:#6a6}.unchanged .st{color:#3a6a3a}"
    ".skipped{border-color:#c90}.skipped .st{color:#8a6200}"
    ".failed{border-color:#d22}.failed .st{color:#c00}"
    ".cancelled{border-color:#888}.cancelled .st{color:#555}"
    ".pending{border-color:#bbb}.pending .st{color:#777}";

static void card(zimu_batch *b, zimu_sbuf *sb, const zimu_batch_clip *c)
{
    int s = c->status >= 0 && c->status < N_STATUS ? c->status : ZIMU_BATCH_PENDING;
    int made = s == ZIMU_BATCH_DONE || s == ZIMU_BATCH_UNCHANGED;
    zimu__sb_printf(sb, "<div class=\"card %s\">\n<div class=\"thumb\">", cls[s]);
    char *rel = made ? zimu__batch_thumb_rel(c) : NULL;
    size_t n = rel ? strlen(b->out_dir) + strlen(rel) + 2 : 0;
    char *path = rel ? malloc(n) : NULL;
    struct stat st;
    if (path)
        snprintf(path, n, "%s/%s", b->out_dir, rel);
    if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        zimu__sb_adds(sb, "<a href=\"");
        url(sb, c->out_rel);
        zimu__sb_adds(sb, "\"><img loading=\"lazy\" alt=\"\" src=\"");
        url(sb, rel);
        zimu__sb_adds(sb, "\"></a>");
    } else {
        zimu__sb_adds(sb, made ? "无预览 no preview" : "无输出 no output");
    }
    free(path);
    free(rel);
    zimu__sb_adds(sb, "</div>\n<div class=\"name\">");
    html(sb, c->rel);
    zimu__sb_printf(sb, "</div>\n<div class=\"st\">%s</div>\n<div class=\"meta\">", label[s]);
    /* its length; the time it took when it ran (not when it was up to
     * date or skipped) */
    int ran = s == ZIMU_BATCH_DONE || s == ZIMU_BATCH_FAILED || s == ZIMU_BATCH_CANCELLED;
    if (c->duration_ms > 0) {
        zimu__sb_adds(sb, "时长 length ");
        seconds(sb, (double)c->duration_ms / 1000.0);
        zimu__sb_adds(sb, ran ? " · " : "");
    }
    if (ran) {
        zimu__sb_adds(sb, "用时 took ");
        seconds(sb, c->seconds);
    }
    if (c->caps) {
        zimu__sb_adds(sb, "<br>字幕 captions: ");
        html(sb, c->caps);
    }
    zimu__sb_adds(sb, "</div>\n");
    if (made) {
        zimu__sb_adds(sb, "<div class=\"meta\">输出 output: <a href=\"");
        url(sb, c->out_rel);
        zimu__sb_adds(sb, "\">");
        html(sb, c->out_rel);
        zimu__sb_adds(sb, "</a></div>\n");
    }
    if (c->error && *c->error) {
        zimu__sb_adds(sb, "<div class=\"err\">");
        html(sb, c->error);
        zimu__sb_adds(sb, "</div>\n");
    } else if (s == ZIMU_BATCH_SKIPPED) {
        zimu__sb_adds(sb, c->row ? "<div class=\"err\">清单这一行没有字幕（subs、text 或 title） "
                                   "the manifest's row has no subs, text or title</div>\n"
                                 : "<div class=\"err\">旁边没有同名的字幕文件；给一个标题可只加标题 "
                                   "no caption source beside the clip; give a title to burn "
                                   "a title alone</div>\n");
    }
    if (c->note && *c->note) {
        zimu__sb_adds(sb, "<div class=\"meta\">");
        html(sb, c->note);
        zimu__sb_adds(sb, "</div>\n");
    }
    zimu__sb_adds(sb, "</div>\n");
}

int zimu__batch_page(zimu_batch *b)
{
    zimu_sbuf sb = {0};
    int count[N_STATUS] = {0};
    for (int i = 0; i < b->n; i++)
        if (b->clips[i].status >= 0 && b->clips[i].status < N_STATUS)
            count[b->clips[i].status]++;
    zimu__sb_adds(&sb, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
                       "<title>zimu 批量报告 batch report</title>\n<style>");
    zimu__sb_adds(&sb, css);
    zimu__sb_adds(&sb, "</style>\n</head>\n<body>\n<h1>zimu 批量报告 batch report</h1>\n"
                       "<div class=\"meta\">");
    html(&sb, b->in_dir);
    zimu__sb_adds(&sb, " → ");
    html(&sb, b->out_dir);
    zimu__sb_printf(&sb, " · zimu %s</div>\n<p class=\"sum\"><span>共 total <b>%d</b></span>",
                    zimu_version(), b->n);
    static const int order[] = {ZIMU_BATCH_DONE, ZIMU_BATCH_UNCHANGED, ZIMU_BATCH_FAILED,
                                ZIMU_BATCH_SKIPPED, ZIMU_BATCH_CANCELLED, ZIMU_BATCH_PENDING};
    for (int k = 0; k < N_STATUS; k++)
        if (count[order[k]] || order[k] == ZIMU_BATCH_FAILED || order[k] == ZIMU_BATCH_DONE)
            zimu__sb_printf(&sb, "<span class=\"%s\"><span class=\"st\">%s</span> <b>%d</b></span>",
                            cls[order[k]], label[order[k]], count[order[k]]);
    zimu__sb_adds(&sb, "</p>\n"
                       "<input class=\"f\" type=\"radio\" name=\"f\" id=\"f-all\" checked>"
                       "<input class=\"f\" type=\"radio\" name=\"f\" id=\"f-done\">"
                       "<input class=\"f\" type=\"radio\" name=\"f\" id=\"f-failed\">"
                       "<input class=\"f\" type=\"radio\" name=\"f\" id=\"f-other\">\n"
                       "<div class=\"bar\"><label class=\"l-all\" for=\"f-all\">全部 all</label>"
                       "<label class=\"l-done\" for=\"f-done\">完成 done</label>"
                       "<label class=\"l-failed\" for=\"f-failed\">失败 failed</label>"
                       "<label class=\"l-other\" for=\"f-other\">其他 other</label></div>\n"
                       "<div class=\"grid\">\n");
    for (int i = 0; i < b->n; i++)
        card(b, &sb, &b->clips[i]);
    zimu__sb_adds(&sb, "</div>\n</body>\n</html>\n");

    char name[64];
    zimu__batch_report_name(b, "index", "html", name, sizeof name);
    size_t n = strlen(b->out_dir) + 1 + strlen(name) + 1;
    char *path = malloc(n);
    int r;
    if (!path || sb.oom) {
        r = zimu__fail(&b->ctx, ZIMU_ENOMEM, "out of memory");
    } else {
        snprintf(path, n, "%s/%s", b->out_dir, name);
        r = zimu__write_file_atomic(&b->ctx, path, sb.s ? sb.s : "", sb.len, 1);
    }
    free(path);
    zimu__sb_free(&sb);
    return r;
}
