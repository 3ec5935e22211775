/* check_substream.c - captions from a subtitle stream inside the input:
 * mov_text in MP4, SubRip, WebVTT and ASS in Matroska, chosen by number.
 *
 * The streams are muxed by the ffmpeg program from caption files, with the
 * video copied, so a burn that takes the stream and a burn of the same file
 * with the caption file must give bit-identical frames (CRF 0); and the
 * captions must sit in exactly the frames of their cues. Errors: a number
 * past the last stream, a picture stream (DVD subtitles, encoded here with
 * libavcodec), caller-supplied input that cannot seek. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "ass_track.h"
#include "sbuf.h"
#include "substream.h"
#include "cuetext.h"
#include "parsers.h"
#include "subs.h"
#include "util_ass.h"
#include "util_clip.h"
#include "zimu.h"

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

/* ------------------------------------------------------------------------
 * Helpers.
 */

#define FFMPEG(...)                                                           \
    TU_OK(tu_run((const char *const[]){"ffmpeg", "-nostdin", "-v", "error", "-y", \
                                       __VA_ARGS__, NULL}))

/* 320x568, 30 fps, 60 frames, no audio (so the file starts at 0). */
static char *make_clip(const char *name)
{
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.audio = TU_AUDIO_NONE;
    char *p = tu_path(dir, name);
    TU_OK(tu_make_clip(p, &o));
    return p;
}


/* A burn of in, with captions from stream (>= 0) or from the file subs. */
static void burn(const char *in, int stream, const char *subs, const char *out)
{
    zimu_job *job = tu_job(in, stream >= 0 ? NULL : subs, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    if (stream >= 0)
        ck_assert_int_eq(zimu_job_set_subtitle_stream(job, stream), 0);
    TU_RUN_OK(job);
    zimu_job_free(&job);
}

/* Every frame of a and b bit-identical. */
static void same_frames(const char *a, const char *b)
{
    tu_video va, vb;
    TU_OK(tu_read_video(a, &va, 1));
    TU_OK(tu_read_video(b, &vb, 1));
    ck_assert_msg(va.n == vb.n, "%s has %d frames, %s %d", a, va.n, b, vb.n);
    for (int i = 0; i < va.n; i++) {
        tu_box box;
        long d = tu_frame_diff(&va, i, &vb, i, 0, &box);
        ck_assert_msg(d == 0, "frame %d (%lld ms): %ld pixels differ between %s and %s "
                      "(box x %d-%d y %d-%d)", i, (long long)tu_frame_ms(&va, i), d, a, b,
                      box.x0, box.x1, box.y0, box.y1);
    }
    tu_video_free(&va);
    tu_video_free(&vb);
}

/* The captions of out are in exactly the frames of the cues (against the
 * frames of src, the input burnt). */
static void captions_exactly(const char *src, const char *out, int n, const int64_t *st,
                             const int64_t *en)
{
    tu_video vs, vo;
    TU_OK(tu_read_video(src, &vs, 1));
    TU_OK(tu_read_video(out, &vo, 1));
    ck_assert_int_eq(vs.n, 60);
    int *vis = tu_visible_frames(&vs, n, st, en);
    int shown = 0;
    for (int i = 0; i < vs.n; i++)
        shown += vis[i];
    ck_assert_msg(shown >= 10, "test premise: %d frames with captions", shown);
    int bad = tu_check_caption_frames(&vo, &vs, 0, vis, vs.n, 20, NULL);
    ck_assert_msg(bad == 0, "%s", tu_err());
    free(vis);
    tu_video_free(&vs);
    tu_video_free(&vo);
}

/* Cues at millisecond times between frames (30 fps: 33.3 ms apart). */
static const int64_t ST[3] = {233, 801, 1402};
static const int64_t EN[3] = {634, 1269, 1867};

static char *cues_srt(const char *name, const char *const tx[3])
{
    char *p = tu_write_srt(dir, name, 3, ST, EN, tx);
    ck_assert_msg(p != NULL, "%s", tu_err());
    return p;
}

#define ZIMU(err, ...) tu_zimu(dir, (const char *const[]){__VA_ARGS__, NULL}, err, sizeof err)

/* ------------------------------------------------------------------------
 * The text of one event, as cue text.
 */
START_TEST(event_text_table)
{
    static const struct {
        const char *in, *want;
        int align;
    } t[] = {
        {"plain", "plain", 0},
        {"one\\Ntwo", "one\ntwo", 0},
        {"soft\\nbreak", "soft break", 0},
        {"no\\hbreak", "no\xC2\xA0" "break", 0},
        {"{\\i1}it{\\i0} {\\c&H0000FF&}red", "{\\i1}it{\\i0} {\\c&H0000FF&}red", 0},
        {"{\\an8}top", "top", 8},
        {"{\\an8\\i1}top", "{\\an8\\i1}top", 0},
        {"{literal} text", "\xEF\xBD\x9Bliteral\xEF\xBD\x9D text", 0},
        {"\\{esc\\}", "\xEF\xBD\x9B" "esc\xEF\xBD\x9D", 0},
        {"open { only", "open \xEF\xBD\x9B only", 0},
        {"close } only", "close \xEF\xBD\x9D only", 0},
        {"back\\slash", "back\\slash", 0},
        {"end\\", "end\\", 0},
        {"中文\\N第二行", "中文\n第二行", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        zimu_sbuf b = {0};
        int align = 0;
        zimu__substream_text(&b, t[i].in, strlen(t[i].in), &align);
        ck_assert_msg(!b.oom, "out of memory");
        ck_assert_msg(b.s && !strcmp(b.s, t[i].want), "'%s' -> '%s', want '%s'", t[i].in,
                      b.s ? b.s : "(null)", t[i].want);
        ck_assert_msg(align == t[i].align, "'%s': align %d, want %d", t[i].in, align,
                      t[i].align);
        zimu__sb_free(&b);
    }
}
END_TEST

/* ------------------------------------------------------------------------
 * Reading a stream directly: times to the millisecond, text, alignment.
 */
START_TEST(read_srt_stream_cues)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"{\\an8}上面", "<i>two</i>\nlines", "a {brace}"};
    char *srt = cues_srt("in.srt", tx);
    char *mkv = tu_path(dir, "sub.mkv");
    FFMPEG("-i", clip, "-i", srt, "-map", "0:v", "-map", "1", "-c:v", "copy", "-c:s", "srt",
           mkv);
    zimu_ctx c = {0};
    zimu_cues cues = {0};
    zimu_substream_src src = {.path = mkv};
    int r = zimu__substream_read(&c, &src, 0, &cues);
    ck_assert_msg(r == 0, "%d: %s", r, c.errmsg);
    ck_assert_ptr_null(cues.ass_header);
    ck_assert_uint_eq(cues.n, 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(cues.v[i].start_ms, ST[i]);
        ck_assert_int_eq(cues.v[i].end_ms, EN[i]);
    }
    ck_assert_str_eq(cues.v[0].text, "上面");
    ck_assert_int_eq(cues.v[0].align, 8);
    ck_assert_str_eq(cues.v[1].text, "{\\i1}two{\\i0}\nlines");
    ck_assert_str_eq(cues.v[2].text, "a \xEF\xBD\x9B" "brace\xEF\xBD\x9D");
    zimu__cues_clear(&cues);

    /* the same through the ordinary SRT parser gives the same cues */
    uint8_t *data;
    size_t size;
    TU_OK(tu_read_file(srt, &data, &size));
    zimu_subs_opts so = {0};
    ck_assert_int_eq(zimu__subs_parse(&c, srt, (const char *)data, size, &so, &cues), 0);
    ck_assert_uint_eq(cues.n, 3);
    ck_assert_str_eq(cues.v[0].text, "上面");
    ck_assert_int_eq(cues.v[0].align, 8);
    ck_assert_str_eq(cues.v[1].text, "{\\i1}two{\\i0}\nlines");
    ck_assert_str_eq(cues.v[2].text, "a \xEF\xBD\x9B" "brace\xEF\xBD\x9D");
    zimu__cues_clear(&cues);
    free(data);
    free(clip); free(srt); free(mkv);
}
END_TEST

/* An ASS track comes back as the script it was muxed from: its styles,
 * play size, and events in their file order (Matroska stores them by
 * time; ReadOrder keeps the original order), times to the centisecond. */
START_TEST(read_ass_stream_script)
{
    char *clip = make_clip("in.mp4");
    char *ass = tu_write_text(dir, "in.ass",
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 568\n\n"
        "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
        "Style: Red,Noto Sans CJK SC,40,&H000000FF,&H000000FF,&H00000000,&H00000000,0,0,0,0,"
        "100,100,0,0,1,2,0,2,10,10,40,1\n\n"
        "[Events]\n" TU_ASS_EVENT_FORMAT
        "Dialogue: 1,0:00:01.40,0:00:01.87,Red,,0,0,0,,later first\n"
        "Dialogue: 0,0:00:00.23,0:00:00.63,Red,who,0,0,0,,{\\b1}early{\\b0}\\Nsecond\n");
    ck_assert_ptr_nonnull(ass);
    char *mkv = tu_path(dir, "sub.mkv");
    FFMPEG("-i", clip, "-i", ass, "-map", "0:v", "-map", "1", "-c:v", "copy", "-c:s", "ass",
           mkv);
    zimu_ctx c = {0};
    zimu_cues cues = {0};
    zimu_substream_src src = {.path = mkv};
    int r = zimu__substream_read(&c, &src, 0, &cues);
    ck_assert_msg(r == 0, "%d: %s", r, c.errmsg);
    ck_assert_ptr_nonnull(cues.ass_header);
    ck_assert_uint_eq(cues.n, 2);
    zimu_sbuf sb = {0};
    ck_assert_int_eq(zimu__ass_script_write(&c, &cues, &sb), 0);
    const char *s = sb.s;
    ck_assert_msg(strstr(s, "PlayResX: 320") && strstr(s, "PlayResY: 568") &&
                  strstr(s, "Style: Red,Noto Sans CJK SC,40"), "header lost:\n%s", s);
    const char *a = strstr(s, "Dialogue: 1,0:00:01.40,0:00:01.87,Red,,0,0,0,,later first\n");
    const char *b = strstr(s, "Dialogue: 0,0:00:00.23,0:00:00.63,Red,who,0,0,0,,"
                              "{\\b1}early{\\b0}\\Nsecond\n");
    ck_assert_msg(a && b && a < b, "events not as in the file:\n%s", s);
    /* one [Events] section only */
    const char *ev = strstr(s, "[Events]");
    ck_assert_msg(ev && !strstr(ev + 1, "[Events]"), "two [Events] sections:\n%s", s);
    zimu__sb_free(&sb);
    zimu__cues_clear(&cues);
    free(clip); free(ass); free(mkv);
}
END_TEST

/* ------------------------------------------------------------------------
 * Burns: stream vs caption file, and captions in exactly their frames.
 */
static void stream_vs_file(const char *container, const char *scodec)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"第一句字幕", "<i>second</i> line\n两行", "OK"};
    char *srt = cues_srt("in.srt", tx);
    char name[32];
    snprintf(name, sizeof name, "sub.%s", container);
    char *muxed = tu_path(dir, name);
    FFMPEG("-i", clip, "-i", srt, "-map", "0:v", "-map", "1", "-c:v", "copy", "-c:s", scodec,
           muxed);
    tu_video v;
    TU_OK(tu_read_video(muxed, &v, 0));
    ck_assert_msg(v.fmt_start_us == 0, "test premise: %s starts at %lld us", muxed,
                  (long long)v.fmt_start_us);
    tu_video_free(&v);
    char *a = tu_path(dir, "from-stream.mp4"), *b = tu_path(dir, "from-file.mp4");
    burn(muxed, 0, NULL, a);
    burn(muxed, -1, srt, b);
    same_frames(a, b);
    captions_exactly(muxed, a, 3, ST, EN);
    free(clip); free(srt); free(muxed); free(a); free(b);
}

START_TEST(mov_text_in_mp4)
{
    stream_vs_file("mp4", "mov_text");
}
END_TEST

START_TEST(srt_in_mkv)
{
    stream_vs_file("mkv", "srt");
}
END_TEST

START_TEST(webvtt_in_mkv)
{
    stream_vs_file("mkv", "webvtt");
}
END_TEST

START_TEST(ass_in_mkv)
{
    char *clip = make_clip("in.mp4");
    char *ass = tu_write_text(dir, "in.ass",
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 568\nWrapStyle: 2\n\n"
        "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
        "Style: Default,Noto Sans CJK SC,36,&H0000FFFF,&H0000FFFF,&H00000000,&H00000000,1,0,"
        "0,0,100,100,0,0,1,2,0,2,10,10,40,1\n\n"
        "[Events]\n" TU_ASS_EVENT_FORMAT
        "Dialogue: 0,0:00:00.23,0:00:00.64,Default,,0,0,0,,黄色字幕\n"
        "Dialogue: 0,0:00:00.80,0:00:01.27,Default,,0,0,0,,{\\i1}two{\\i0}\\Nlines\n"
        "Dialogue: 0,0:00:01.40,0:00:01.87,Default,,0,0,0,,OK\n");
    ck_assert_ptr_nonnull(ass);
    char *mkv = tu_path(dir, "sub.mkv");
    FFMPEG("-i", clip, "-i", ass, "-map", "0:v", "-map", "1", "-c:v", "copy", "-c:s", "ass",
           mkv);
    char *a = tu_path(dir, "from-stream.mp4"), *b = tu_path(dir, "from-file.mp4");
    burn(mkv, 0, NULL, a);
    burn(mkv, -1, ass, b);
    same_frames(a, b);
    static const int64_t st[3] = {230, 800, 1400}, en[3] = {640, 1270, 1870};
    captions_exactly(mkv, a, 3, st, en);
    free(clip); free(ass); free(mkv); free(a); free(b);
}
END_TEST

/* A copy of the system's Symbola with its names changed to "Zimutst", a
 * family no fontconfig on the machine knows. */
static char *renamed_font(void)
{
    static const char src[] = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf";
    FILE *f = fopen(src, "rb");
    ck_assert_msg(f != NULL, "%s (Debian package fonts-symbola): %s", src, strerror(errno));
    static unsigned char buf[8 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ck_assert(n > 0 && n < sizeof buf);
    static const char from[] = "Symbola", to[] = "Zimutst";
    int renamed = 0;
    for (size_t i = 0; i + 14 <= n; i++) {
        if (!memcmp(buf + i, from, 7)) { /* Macintosh name records */
            memcpy(buf + i, to, 7);
            renamed++;
        }
        int wide = 1; /* Windows name records: UTF-16BE */
        for (int k = 0; k < 7 && wide; k++)
            wide = buf[i + 2 * k] == 0 && buf[i + 2 * k + 1] == (unsigned char)from[k];
        if (wide) {
            for (int k = 0; k < 7; k++)
                buf[i + 2 * k + 1] = (unsigned char)to[k];
            renamed++;
        }
    }
    ck_assert_msg(renamed >= 2, "test premise: Symbola's names found %d times", renamed);
    char *p = tu_path(dir, "zimutst.ttf");
    f = fopen(p, "wb");
    ck_assert(f && fwrite(buf, 1, n, f) == n && fclose(f) == 0);
    return p;
}

static char *latin_ass(const char *name, const char *font)
{
    char text[1024];
    snprintf(text, sizeof text,
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 568\n\n"
        "[V4+ Styles]\n" TU_ASS_STYLE_FORMAT
        "Style: Default,%s,64,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,"
        "0,0,100,100,0,0,1,2,0,5,10,10,40,1\n\n"
        "[Events]\n" TU_ASS_EVENT_FORMAT
        "Dialogue: 0,0:00:00.23,0:00:00.64,Default,,0,0,0,,Rgwf\n", font);
    char *p = tu_write_text(dir, name, text);
    ck_assert_ptr_nonnull(p);
    return p;
}

/* A font attached to the Matroska file is the one an ASS track's style
 * names: the burn matches one with the same font installed under its own
 * name, and differs from the same script read from a file, which has no
 * attachments (libass then falls back to another font). */
START_TEST(ass_in_mkv_attached_font)
{
    char *clip = make_clip("in.mp4");
    char *font = renamed_font();
    char *ass = latin_ass("in.ass", "Zimutst");
    char *sym = latin_ass("sym.ass", "Symbola");
    char *mkv = tu_path(dir, "sub.mkv");
    FFMPEG("-i", clip, "-i", ass, "-attach", font, "-metadata:s:t",
           "mimetype=application/x-truetype-font", "-map", "0:v", "-map", "1",
           "-c:v", "copy", "-c:s", "ass", mkv);
    char *a = tu_path(dir, "attached.mp4"), *b = tu_path(dir, "installed.mp4"),
         *c = tu_path(dir, "fallback.mp4");
    burn(mkv, 0, NULL, a);
    burn(mkv, -1, sym, b);
    burn(mkv, -1, ass, c);
    same_frames(a, b);
    tu_video vb, vc;
    TU_OK(tu_read_video(b, &vb, 1));
    TU_OK(tu_read_video(c, &vc, 1));
    tu_box box;
    ck_assert_msg(tu_frame_diff(&vb, 10, &vc, 10, 0, &box) > 100,
                  "test premise: the fallback font looks like Symbola");
    tu_video_free(&vb);
    tu_video_free(&vc);
    free(clip); free(font); free(ass); free(sym); free(mkv); free(a); free(b); free(c);
}
END_TEST

/* Two SubRip streams with different times: the number picks one. */
START_TEST(second_stream_chosen)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"first", "stream", "here"};
    char *s0 = cues_srt("s0.srt", tx);
    static const int64_t st[2] = {100, 1000}, en[2] = {500, 1500};
    const char *tx1[2] = {"其他", "字幕"};
    char *s1 = tu_write_srt(dir, "s1.srt", 2, st, en, tx1);
    ck_assert_ptr_nonnull(s1);
    char *mkv = tu_path(dir, "two.mkv");
    FFMPEG("-i", clip, "-i", s0, "-i", s1, "-map", "0:v", "-map", "1", "-map", "2", "-c:v",
           "copy", "-c:s", "srt", mkv);
    char *a = tu_path(dir, "a.mp4"), *b = tu_path(dir, "b.mp4");
    burn(mkv, 1, NULL, a);
    burn(mkv, -1, s1, b);
    same_frames(a, b);
    captions_exactly(mkv, a, 2, st, en);
    free(clip); free(s0); free(s1); free(mkv); free(a); free(b);
}
END_TEST

/* A file whose timestamps start at 5 s: subtitle time 0 is the file's
 * start, like frame times, so the captions stay on their frames. */
START_TEST(file_start_offset)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"one", "two", "three"};
    char *srt = cues_srt("in.srt", tx);
    char *mkv = tu_path(dir, "late.mkv");
    FFMPEG("-i", clip, "-i", srt, "-map", "0:v", "-map", "1", "-c:v", "copy", "-c:s", "srt",
           "-output_ts_offset", "5", mkv);
    tu_video v;
    TU_OK(tu_read_video(mkv, &v, 0));
    ck_assert_msg(v.fmt_start_us >= 4900000, "test premise: start %lld us",
                  (long long)v.fmt_start_us);
    tu_video_free(&v);
    char *a = tu_path(dir, "a.mp4"), *b = tu_path(dir, "b.mp4");
    burn(mkv, 0, NULL, a);
    burn(mkv, -1, srt, b);
    same_frames(a, b);
    captions_exactly(mkv, a, 3, ST, EN);
    free(clip); free(srt); free(mkv); free(a); free(b);
}
END_TEST

/* A trimmed burn and a preview take the stream's captions like a file's. */
START_TEST(trim_and_preview)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"one", "two", "three"};
    char *srt = cues_srt("in.srt", tx);
    char *mkv = tu_path(dir, "sub.mkv");
    FFMPEG("-i", clip, "-i", srt, "-map", "0:v", "-map", "1", "-c:v", "copy", "-c:s", "srt",
           mkv);
    char *a = tu_path(dir, "a.mp4"), *b = tu_path(dir, "b.mp4");
    for (int k = 0; k < 2; k++) {
        zimu_job *job = tu_job(mkv, k ? srt : NULL, k ? b : a);
        ck_assert_msg(job != NULL, "%s", tu_err());
        if (!k)
            ck_assert_int_eq(zimu_job_set_subtitle_stream(job, 0), 0);
        ck_assert_int_eq(zimu_job_set_trim(job, 500, 1500), 0);
        TU_RUN_OK(job);
        zimu_job_free(&job);
    }
    same_frames(a, b);
    tu_video v;
    TU_OK(tu_read_video(a, &v, 0));
    ck_assert_int_eq(v.n, 30);
    tu_video_free(&v);

    char *pa = tu_path(dir, "a.png"), *pb = tu_path(dir, "b.png"), *pn = tu_path(dir, "n.png");
    for (int k = 0; k < 3; k++) {
        zimu_job *job = tu_job(mkv, k == 1 ? srt : NULL, NULL);
        ck_assert_msg(job != NULL, "%s", tu_err());
        if (k == 0)
            ck_assert_int_eq(zimu_job_set_subtitle_stream(job, 0), 0);
        int r = zimu_job_preview(job, 1000, k == 0 ? pa : k == 1 ? pb : pn);
        ck_assert_msg(r == 0, "%d: %s", r, zimu_job_errmsg(job));
        zimu_job_free(&job);
    }
    int w[3], h[3];
    uint8_t *rgb[3];
    TU_OK(tu_read_image_rgb(pa, &w[0], &h[0], &rgb[0]));
    TU_OK(tu_read_image_rgb(pb, &w[1], &h[1], &rgb[1]));
    TU_OK(tu_read_image_rgb(pn, &w[2], &h[2], &rgb[2]));
    ck_assert(w[0] == 320 && h[0] == 568 && w[1] == 320 && h[1] == 568 && w[2] == 320);
    size_t n = (size_t)320 * 568 * 3;
    ck_assert_msg(!memcmp(rgb[0], rgb[1], n), "preview from the stream differs from the file's");
    ck_assert_msg(memcmp(rgb[0], rgb[2], n), "preview at 1 s shows no caption");
    for (int k = 0; k < 3; k++)
        free(rgb[k]);
    free(clip); free(srt); free(mkv); free(a); free(b); free(pa); free(pb); free(pn);
}
END_TEST

/* Caller-supplied input: read twice through the same callbacks (the video
 * reader is already open); without a seek callback it cannot be. */
START_TEST(io_input)
{
    /* Large enough (5 s of PCM sound) that the video reader is still
     * reading through the callbacks when the subtitles are read. */
    tu_clip_opts o;
    tu_clip_defaults(&o);
    o.audio = TU_AUDIO_PCM;
    o.frames = 150;
    char *clip = tu_path(dir, "in.mkv");
    TU_OK(tu_make_clip(clip, &o));
    const char *tx[3] = {"one", "two", "three"};
    char *srt = cues_srt("in.srt", tx);
    char *mkv = tu_path(dir, "sub.mkv");
    FFMPEG("-i", clip, "-i", srt, "-map", "0", "-map", "1", "-c:v", "copy", "-c:a", "copy",
           "-c:s", "srt", mkv);
    tu_membuf m = {0};
    TU_OK(tu_read_file(mkv, &m.data, &m.size));
    ck_assert_msg(m.size > 400000, "test premise: %zu bytes", m.size);
    char *a = tu_path(dir, "a.mp4"), *b = tu_path(dir, "b.mp4");
    zimu_job *job = tu_job(NULL, NULL, a);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_input_io(job, tu_mem_read, tu_mem_seek, &m, "mem.mkv"), 0);
    ck_assert_int_eq(zimu_job_set_subtitle_stream(job, 0), 0);
    TU_RUN_OK(job);
    burn(mkv, -1, srt, b);
    same_frames(a, b);

    m.pos = 0;
    ck_assert_int_eq(zimu_job_set_input_io(job, tu_mem_read, NULL, &m, "pipe.mkv"), 0);
    zimu_job_set_overwrite(job, 1);
    int r = zimu_job_run(job);
    ck_assert_int_eq(r, ZIMU_EINVAL);
    ck_assert_msg(strstr(zimu_job_errmsg(job), "pipe.mkv") &&
                  strstr(zimu_job_errmsg(job), "seek"), "message: %s", zimu_job_errmsg(job));
    zimu_job_free(&job);
    tu_membuf_free(&m);
    free(clip); free(srt); free(mkv); free(a); free(b);
}
END_TEST

/* A SubRip stream copied from a GB18030 file (stream copy keeps the bytes;
 * Matroska asks for UTF-8): converted, with the encoding detected or
 * named, and burnt as the UTF-8 file is. */
START_TEST(gb18030_srt_stream)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"今天我们来讲一讲家庭理财的基本知识", "社区办公室每周都会录制讲座",
                         "欢迎大家关注我们的账号"};
    char *srt = cues_srt("utf8.srt", tx);
    uint8_t *u8;
    size_t n8;
    TU_OK(tu_read_file(srt, &u8, &n8));
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    char gb[4096], *in = (char *)u8, *out = gb;
    size_t inl = n8, outl = sizeof gb;
    ck_assert(iconv(cd, &in, &inl, &out, &outl) != (size_t)-1);
    iconv_close(cd);
    char *gbsrt = tu_path(dir, "gb.srt");
    TU_OK(tu_write_file(gbsrt, gb, sizeof gb - outl));
    char *mkv = tu_path(dir, "gb.mkv");
    FFMPEG("-i", clip, "-i", gbsrt, "-map", "0:v", "-map", "1", "-c", "copy", mkv);

    char *a = tu_path(dir, "a.mp4"), *b = tu_path(dir, "b.mp4"), *c = tu_path(dir, "c.mp4");
    burn(mkv, 0, NULL, a);
    burn(mkv, -1, srt, b);
    same_frames(a, b);
    zimu_job *job = tu_job(mkv, NULL, c);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_subtitle_stream(job, 0), 0);
    ck_assert_int_eq(zimu_job_set_charenc(job, "GBK"), 0);
    TU_RUN_OK(job);
    zimu_job_free(&job);
    same_frames(c, b);
    free(u8);
    free(clip); free(srt); free(gbsrt); free(mkv); free(a); free(b); free(c);
}
END_TEST

/* ------------------------------------------------------------------------
 * Errors.
 */
static int fails_with(const char *in, int stream, const char *want1, const char *want2)
{
    char *out = tu_path(dir, "never.mp4");
    zimu_job *job = tu_job(in, NULL, out);
    ck_assert_msg(job != NULL, "%s", tu_err());
    ck_assert_int_eq(zimu_job_set_subtitle_stream(job, stream), 0);
    int r = zimu_job_run(job);
    const char *m = zimu_job_errmsg(job);
    ck_assert_msg(strstr(m, in), "message does not name %s: %s", in, m);
    ck_assert_msg(strstr(m, want1), "message lacks '%s': %s", want1, m);
    ck_assert_msg(!want2 || strstr(m, want2), "message lacks '%s': %s", want2, m);
    ck_assert_msg(!tu_exists(out), "an output was left behind");
    zimu_job_free(&job);
    free(out);
    return r;
}

START_TEST(index_out_of_range)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"a", "b", "c"};
    char *srt = cues_srt("in.srt", tx);
    char *mkv = tu_path(dir, "two.mkv");
    FFMPEG("-i", clip, "-i", srt, "-i", srt, "-map", "0:v", "-map", "1", "-map", "2", "-c:v",
           "copy", "-c:s", "srt", mkv);
    ck_assert_int_eq(fails_with(mkv, 2, "2 subtitle streams", "0 to 1"), ZIMU_ESUBS);
    ck_assert_int_eq(fails_with(mkv, 7, "no subtitle stream 7", NULL), ZIMU_ESUBS);
    ck_assert_int_eq(fails_with(clip, 0, "has no subtitle stream", NULL), ZIMU_ESUBS);
    zimu_job *job = zimu_job_new();
    ck_assert_int_eq(zimu_job_set_subtitle_stream(job, -2), ZIMU_EINVAL);
    ck_assert_int_eq(zimu_job_set_subtitle_stream(job, -1), 0);
    zimu_job_free(&job);
    free(clip); free(srt); free(mkv);
}
END_TEST

/* A Matroska file with the video of in and one DVD subtitle (a real one,
 * from libavcodec's dvdsub encoder). */
static void make_dvdsub_mkv(const char *in, const char *out)
{
    AVFormatContext *ic = NULL, *oc = NULL;
    ck_assert_int_ge(avformat_open_input(&ic, in, NULL, NULL), 0);
    ck_assert_int_ge(avformat_find_stream_info(ic, NULL), 0);
    ck_assert_int_ge(avformat_alloc_output_context2(&oc, NULL, "matroska", out), 0);
    AVStream *vs = avformat_new_stream(oc, NULL);
    ck_assert_ptr_nonnull(vs);
    ck_assert_int_ge(avcodec_parameters_copy(vs->codecpar, ic->streams[0]->codecpar), 0);
    vs->codecpar->codec_tag = 0;
    vs->time_base = ic->streams[0]->time_base;

    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_DVD_SUBTITLE);
    ck_assert_msg(codec != NULL, "FFmpeg here has no dvdsub encoder");
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    enc->width = 320;
    enc->height = 568;
    enc->time_base = (AVRational){1, 1000};
    ck_assert_int_ge(avcodec_open2(enc, codec, NULL), 0);
    AVStream *ss = avformat_new_stream(oc, NULL);
    ck_assert_int_ge(avcodec_parameters_from_context(ss->codecpar, enc), 0);
    ss->time_base = (AVRational){1, 1000};

    uint8_t idx[16 * 8];
    for (int i = 0; i < 16 * 8; i++)
        idx[i] = (uint8_t)(1 + (i & 1));
    uint32_t pal[4] = {0x00000000, 0xffffffff, 0xff000000, 0xff808080};
    AVSubtitleRect rect = {.x = 100, .y = 400, .w = 16, .h = 8, .nb_colors = 4,
                           .type = SUBTITLE_BITMAP};
    rect.data[0] = idx;
    rect.linesize[0] = 16;
    rect.data[1] = (uint8_t *)pal;
    rect.linesize[1] = 4;
    AVSubtitleRect *rects[1] = {&rect};
    AVSubtitle sub = {.start_display_time = 0, .end_display_time = 1000, .num_rects = 1,
                      .rects = rects, .pts = 0};
    uint8_t buf[65536];
    int n = avcodec_encode_subtitle(enc, buf, sizeof buf, &sub);
    ck_assert_msg(n > 0, "dvdsub encoding failed: %d", n);

    ck_assert_int_ge(avio_open(&oc->pb, out, AVIO_FLAG_WRITE), 0);
    ck_assert_int_ge(avformat_write_header(oc, NULL), 0);
    AVPacket *pkt = av_packet_alloc();
    int sub_done = 0;
    while (av_read_frame(ic, pkt) >= 0) {
        if (pkt->stream_index != 0) {
            av_packet_unref(pkt);
            continue;
        }
        int64_t ms = av_rescale_q(pkt->dts, ic->streams[0]->time_base, (AVRational){1, 1000});
        if (!sub_done && ms >= 100) {
            AVPacket *sp = av_packet_alloc();
            ck_assert_int_ge(av_new_packet(sp, n), 0);
            memcpy(sp->data, buf, n);
            sp->stream_index = 1;
            sp->pts = sp->dts = 100;
            sp->duration = 1000;
            av_packet_rescale_ts(sp, (AVRational){1, 1000}, ss->time_base);
            ck_assert_int_ge(av_interleaved_write_frame(oc, sp), 0);
            av_packet_free(&sp);
            sub_done = 1;
        }
        pkt->stream_index = 0;
        av_packet_rescale_ts(pkt, ic->streams[0]->time_base, vs->time_base);
        pkt->pos = -1;
        ck_assert_int_ge(av_interleaved_write_frame(oc, pkt), 0);
    }
    ck_assert_int_ge(av_write_trailer(oc), 0);
    av_packet_free(&pkt);
    avcodec_free_context(&enc);
    avio_closep(&oc->pb);
    avformat_free_context(oc);
    avformat_close_input(&ic);
}

START_TEST(bitmap_stream_refused)
{
    char *clip = make_clip("in.mp4");
    char *mkv = tu_path(dir, "dvd.mkv");
    make_dvdsub_mkv(clip, mkv);
    tu_video v;
    TU_OK(tu_read_video(mkv, &v, 0));
    ck_assert_int_eq(v.n, 60);
    tu_video_free(&v);
    ck_assert_int_eq(fails_with(mkv, 0, "dvd_subtitle", "only text subtitle streams"),
                     ZIMU_ESUBS);
    free(clip); free(mkv);
}
END_TEST

/* ------------------------------------------------------------------------
 * The command line: --sub-stream instead of -s.
 */
START_TEST(cli_sub_stream)
{
    char *clip = make_clip("in.mp4");
    const char *tx[3] = {"one", "two", "three"};
    char *srt = cues_srt("in.srt", tx);
    char *mkv = tu_path(dir, "sub.mkv");
    FFMPEG("-i", clip, "-i", srt, "-map", "0:v", "-map", "1", "-c:v", "copy", "-c:s", "srt",
           mkv);
    char *a = tu_path(dir, "a.mp4"), *b = tu_path(dir, "b.mp4"), *p = tu_path(dir, "p.png");
    char err[4096];
    int st = ZIMU(err, "burn", mkv, "--sub-stream", "0", "-o", a, "--crf", "0", "--preset",
                  "ultrafast", "-q");
    ck_assert_msg(st == 0, "exit %d: %s", st, err);
    burn(mkv, -1, srt, b);
    same_frames(a, b);
    st = ZIMU(err, "preview", mkv, "--sub-stream=0", "-t", "1", "-o", p, "-q");
    ck_assert_msg(st == 0 && tu_exists(p), "preview: exit %d: %s", st, err);

    char *c = tu_path(dir, "c.mp4");
    st = ZIMU(err, "burn", mkv, "--sub-stream", "3", "-o", c);
    ck_assert_msg(st == 6 && strstr(err, "has no subtitle stream 3") && strstr(err, mkv),
                  "exit %d: %s", st, err);
    ck_assert(!tu_exists(c));
    st = ZIMU(err, "burn", mkv, "--sub-stream", "0", "-s", srt, "-o", c);
    ck_assert_msg(st == 1 && strstr(err, "--sub-stream"), "both: exit %d: %s", st, err);
    st = ZIMU(err, "burn", mkv, "--sub-stream", "x", "-o", c);
    ck_assert_msg(st == 1 && strstr(err, "--sub-stream"), "not a number: exit %d: %s", st, err);
    st = ZIMU(err, "burn", mkv, "-o", c);
    ck_assert_msg(st == 1 && strstr(err, "--sub-stream"), "neither: exit %d: %s", st, err);
    ck_assert(!tu_exists(c));
    free(clip); free(srt); free(mkv); free(a); free(b); free(c); free(p);
}
END_TEST

static Suite *substream_suite(void)
{
    Suite *s = suite_create("substream");
    TCase *tc = tcase_create("substream");
    tcase_add_unchecked_fixture(tc, tu_suite_setup, tu_suite_teardown);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, event_text_table);
    tcase_add_test(tc, read_srt_stream_cues);
    tcase_add_test(tc, read_ass_stream_script);
    tcase_add_test(tc, mov_text_in_mp4);
    tcase_add_test(tc, srt_in_mkv);
    tcase_add_test(tc, webvtt_in_mkv);
    tcase_add_test(tc, ass_in_mkv);
    tcase_add_test(tc, ass_in_mkv_attached_font);
    tcase_add_test(tc, second_stream_chosen);
    tcase_add_test(tc, file_start_offset);
    tcase_add_test(tc, trim_and_preview);
    tcase_add_test(tc, io_input);
    tcase_add_test(tc, gb18030_srt_stream);
    tcase_add_test(tc, index_out_of_range);
    tcase_add_test(tc, bitmap_stream_refused);
    tcase_add_test(tc, cli_sub_stream);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(substream_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
