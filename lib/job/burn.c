/* burn.c - run a job: read frames, render captions, compose, encode.
 *
 *   media_in -> frame -> render (libass) -> compose -> media_out
 *            -> audio packets or frames ----------------^
 *   audio_mix (music, loudness: reads the input file again) ^
 *
 * The output, libass and the compositor are set up at the first video
 * frame, when the output geometry is known; audio that arrives before it
 * waits in a small queue. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libavutil/avstring.h>

#include "chinese.h"
#include "flash_job.h"
#include "job.h"
#include "audio_mix.h"
#include "media_in.h"
#include "outcheck.h"
#include "parsers.h"
#include "write_subs.h"
#include "media_out.h"
#include "patch.h"
#include "png.h"
#include "fontctx.h"
#include "renderer.h"
#include "subs.h"
#include "substream.h"
#include "load.h"
#include "timing.h"
#include "style.h"

#define QUEUE_MAX 1024

typedef struct run {
    zimu_job *job;
    zimu_ctx *c;
    zimu_media_in *in;
    zimu_media_out *out;
    zimu_renderer *rend;    /* captions, title and logo */
    zimu_patch *patch;      /* rows drawn over in a decoder's frame */
    int inplace;            /* the decoder's frames may be drawn on and
                               put back (no other reader meanwhile) */
    zimu_cues cues;
    int flash;              /* a flash script instead of captions */
    zimu_flash_plan plan;   /* its cards, backgrounds and frame */
    zimu_capopts flash_cap; /* the caption settings of its cards */
    int audio;              /* 0 none, 1 copy, 2 encode */
    int mixing, mix_clip;   /* the sound is mixed (then audio 2); with the
                               clip's sound in it */
    zimu_audio_mix *mix;    /* the mix, from the first video frame on */
    AVFrame *mixf;          /* its next frame, not written yet */
    int mix_done;
    int started;            /* output and renderer are set up */
    int cover;              /* zimu_job_cover: the title, no captions */
    int snapshot;           /* one frame: the one on screen at the time */
    double t0, last_progress;
    double blend_s;         /* CPU seconds blending overlays onto frames */
    /* audio waiting for the output to open */
    AVPacket *qpkt[QUEUE_MAX];
    AVFrame *qfrm[QUEUE_MAX];
    int nq;
} run;

/* Captions are read with the job's encoding and reading speed, then
 * retimed (scale, shift, overlap, minimum duration) and clamped to
 * [clip_from, clip_to) of the source timeline, the part the output shows
 * (clip_to 0: not known). Cues from any other source go through
 * zimu__captions_retime() the same way; an ASS script's events too (in
 * milliseconds; only scaled and shifted). */
static int read_captions(run *R, int64_t clip_from, int64_t clip_to)
{
    zimu_job *job = R->job;
    if (R->flash) {
        /* The cards, on the output's timeline: over a trimmed clip they
         * start at the trim. */
        zimu__cues_clear(&R->cues);
        R->cues = R->plan.cues;
        memset(&R->plan.cues, 0, sizeof R->plan.cues);
        /* Messages about the cards name the script. */
        const char *script = job->flash_path ? job->flash_path : job->flash_name;
        if (!R->cues.name && script && !(R->cues.name = strdup(script)))
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        if (R->in && !zimu__job_standalone(job))
            for (size_t i = 0; i < R->cues.n; i++) {
                R->cues.v[i].start_ms += clip_from;
                R->cues.v[i].end_ms += clip_from;
            }
        return 0;
    }
    if (job->cap.sub_stream >= 0) {
        /* The input's own subtitle stream, instead of a caption file. */
        zimu_substream_src src = {
            .path = job->in_path, .read_cb = job->in_read, .seek_cb = job->in_seek,
            .io_opaque = job->in_opaque, .name = job->in_path ? job->in_path : job->in_name,
            .charenc = job->cap.charenc,
        };
        int r = zimu__substream_read(R->c, &src, job->cap.sub_stream, &R->cues);
        if (r >= 0)
            r = zimu__captions_retime(R->c, &job->cap, clip_from, clip_to, &R->cues);
        return r;
    }
    if (job->subs_path)
        return zimu__captions_load_file(R->c, &job->cap, job->subs_path, clip_from, clip_to,
                                        &R->cues);
    if (job->subs_data)
        return zimu__captions_load(R->c, &job->cap, job->subs_name, job->subs_data,
                                   job->subs_size, clip_from, clip_to, &R->cues);
    return 0;
}

/* The captions read, then converted between Simplified and Traditional
 * Chinese when the job asks (a flash script's cards were converted with
 * its plan, flash_job.c). */
static int load_captions(run *R, int64_t clip_from, int64_t clip_to)
{
    zimu_job *job = R->job;
    int r = read_captions(R, clip_from, clip_to);
    if (r >= 0 && !R->flash && job->cap.chinese)
        r = zimu__chinese_cues(R->c, job->cc, job->cap.chinese, &R->cues, 0);
    return r;
}

/* The part of the source timeline the output shows: from the trim's start
 * to its end or the input's end (0 when neither is known). opened_from is
 * where the input was opened (a preview opens at its frame). */
static void clip_window(run *R, int64_t opened_from, int64_t *from, int64_t *to)
{
    zimu_job *job = R->job;
    int64_t d = R->in ? zimu__in_duration_ms(R->in) : 0;
    int64_t end = d > 0 ? opened_from + d : 0;
    if (job->to_ms >= 0 && (end == 0 || end > job->to_ms))
        end = job->to_ms;
    *from = job->from_ms;
    *to = end;
}

/* Refuse an existing output without overwrite, and any of the job's
 * input files as output (outcheck.h). */
static int prepare_flash(run *R);
static int check_output(run *R, const char *path)
{
    zimu_job *job = R->job;
    int r = prepare_flash(R);
    if (r < 0)
        return r;
    const char *inputs[] = {job->in_path, job->subs_path, job->cap.logo, job->cap.style,
                            job->flash_path, job->music_path,
                            R->flash ? R->plan.music : NULL};
    return zimu__check_output(R->c, path, job->overwrite, inputs, 7);
}

/* A flash script: its plan (cards, backgrounds, frame) and the caption
 * settings of its cards, once per run. */
static int prepare_flash(run *R)
{
    zimu_job *job = R->job;
    if (R->flash || !zimu__job_has_flash(job))
        return 0;
    int r = zimu__flash_plan_make(job, R->c, job->music_path, &R->plan);
    if (r < 0)
        return r;
    R->flash = 1;
    if (zimu__flash_capopts(job, &R->plan, &R->flash_cap) < 0)
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    return 0;
}

static int open_input(run *R, int64_t from_ms, int64_t to_ms)
{
    zimu_job *job = R->job;
    int r = prepare_flash(R);
    if (r < 0)
        return r;
    zimu_cardsrc_opts cards = {
        .width = R->plan.width, .height = R->plan.height, .frame_rate = R->plan.rate,
        .length_ms = R->plan.length_ms, .bgs = R->plan.bgs.v, .n_bgs = R->plan.bgs.n,
    };
    if (!job->in_path && !job->in_read && !R->flash)
        return zimu__fail(R->c, ZIMU_EINVAL, "no input set");
    zimu_in_opts io = {
        .path = job->in_path, .read_cb = job->in_read, .seek_cb = job->in_seek,
        .io_opaque = job->in_opaque, .name = job->in_path ? job->in_path : job->in_name,
        .out_w = job->width, .out_h = job->height, .fit = job->fit,
        .from_ms = from_ms, .to_ms = to_ms, .hold_last = R->snapshot,
        .cards = zimu__job_standalone(job) ? &cards : NULL,
    };
    return zimu__in_open(R->c, &R->in, &io);
}

/* The music of the run: the job's, else a flash script's. */
static const char *music_of(const run *R)
{
    return R->job->music_path ? R->job->music_path : R->flash ? R->plan.music : NULL;
}

/* Music or a loudness target: the output's sound is the audio mix of the
 * input file's sound (read again) and the song; the input's own audio is
 * not read here (a stand-alone flash video has none). 1 when the run mixes
 * (then R->mix_clip says whether the clip's sound is in it), 0 when not,
 * or an error. */
static int mix_wanted(run *R)
{
    zimu_job *job = R->job;
    const char *music = music_of(R);
    int loud = job->loudnorm >= 0 ? job->loudnorm : music != NULL;
    if (job->null_output || (!music && !loud))
        return 0;
    const char *name = job->in_path ? job->in_path : job->in_name ? job->in_name : "input";
    int replace = music && job->music_mode == ZIMU_MUSIC_REPLACE;
    R->mix_clip = !replace && zimu__in_audio_par(R->in) != NULL;
    if (!R->mix_clip && !music)
        return 0; /* loudness of no sound */
    if (R->mix_clip && !job->in_path)
        return zimu__fail(R->c, ZIMU_EINVAL, "%s: music and loudness need the input as a "
                          "file (input through callbacks cannot be read a second time)", name);
    return 1;
}

/* Open the mix for the output's time 0 at the source time from (ms) to the
 * clip's end to. */
static int open_mix(run *R, int64_t from, int64_t to)
{
    zimu_job *job = R->job;
    const char *music = music_of(R);
    const char *name = job->in_path ? job->in_path : job->in_name ? job->in_name : "input";
    if (to <= from)
        return zimu__fail(R->c, ZIMU_EINVAL, "%s: the length of the clip is not known (music "
                          "and loudness need it)", name);
    zimu_audio_mix_opts o = {
        .clip_path = R->mix_clip ? job->in_path : NULL,
        .clip_from_ms = from, .clip_to_ms = to,
        .music_path = music,
        .music_replace = music && job->music_mode == ZIMU_MUSIC_REPLACE,
        .duration_ms = to - from,
        .loudnorm = job->loudnorm >= 0 ? job->loudnorm : music != NULL,
        .lufs = job->lufs, .true_peak = job->true_peak,
    };
    return zimu__audio_mix_open(R->c, &R->mix, &o);
}

/* Write the mix's frames that start before until (1/48000 s). */
static int mix_until(run *R, int64_t until)
{
    while (!R->mix_done) {
        if (!R->mixf) {
            int r = zimu__audio_mix_read(R->mix, &R->mixf);
            if (r < 0)
                return r;
            if (r == 0) {
                R->mix_done = 1;
                break;
            }
        }
        if (R->mixf->pts >= until)
            break;
        int r = zimu__out_audio_frame(R->out, R->mixf);
        av_frame_free(&R->mixf);
        if (r < 0)
            return r;
    }
    return 0;
}

/* Choose the audio path: copy AAC/MP3 when nothing cuts it, else AAC. */
static int choose_audio(run *R)
{
    const AVCodecParameters *ap = zimu__in_audio_par(R->in);
    zimu_job *job = R->job;
    if (!ap || job->null_output || R->mixing)
        return 0;
    int trimmed = job->from_ms > 0 || job->to_ms >= 0;
    int copyable = ap->codec_id == AV_CODEC_ID_AAC || ap->codec_id == AV_CODEC_ID_MP3;
    if (copyable && !trimmed) {
        R->audio = 1;
        return zimu__in_set_audio(R->in, ZIMU_AUDIO_PACKETS);
    }
    if (zimu__in_set_audio(R->in, ZIMU_AUDIO_FRAMES) < 0) {
        zimu__log(R->c, ZIMU_LOG_WARNING, "audio codec '%s' cannot be decoded; output has no sound",
                  avcodec_get_name(ap->codec_id));
        return 0;
    }
    R->audio = 2;
    return 0;
}

/* The renderer for the job's captions and settings, on the job's font
 * context (shared, or one of the run's own). */
static int start_renderer(run *R, const zimu_in_geometry *g)
{
    zimu_job *job = R->job;
    zimu_fonts *fonts = zimu__fonts_ref(job->fonts);
    int r;
    if (!fonts) {
        if (!(fonts = zimu_fonts_new()))
            return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
        if ((r = zimu_fonts_set_dir(fonts, job->fonts_dir)) < 0 ||
            (r = zimu_fonts_load(fonts)) < 0) {
            zimu__fail_file(R->c, r, zimu_errfile(fonts), "%s", zimu_errmsg(fonts));
            zimu_fonts_free(&fonts);
            return r;
        }
    }
    if (!(R->rend = zimu_renderer_new())) {
        zimu_fonts_free(&fonts);
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    }
    zimu__renderer_set_ctx(R->rend, R->c);
    /* the job's Chinese converters serve every run of it */
    if (!job->cc && !(job->cc = zimu__chinese_new())) {
        zimu_fonts_free(&fonts);
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    }
    zimu__renderer_share_chinese(R->rend, job->cc);
    r = zimu_renderer_set_fonts(R->rend, fonts);
    zimu_fonts_free(&fonts);
    zimu__renderer_take_cues(R->rend, &R->cues);
    if (r >= 0)
        r = zimu__renderer_set_capopts(R->rend, R->flash ? &R->flash_cap : &job->cap);
    if (r >= 0)
        r = zimu_renderer_set_size(R->rend, g->width, g->height);
    if (r >= 0 && g->pic_w > 0)
        r = zimu_renderer_set_picture(R->rend, g->pic_x, g->pic_y, g->pic_w, g->pic_h);
    if (r >= 0)
        r = zimu_renderer_set_cover(R->rend, R->cover);
    if (r >= 0)
        r = zimu_renderer_prepare(R->rend);
    return r;
}

static int start(run *R)
{
    zimu_job *job = R->job;
    const zimu_in_geometry *g = zimu__in_geometry(R->in);
    int r = start_renderer(R, g);
    if (r < 0)
        return r;
    R->patch = zimu__patch_new();
    R->inplace = zimu__in_frames_private(R->in);
    if (!R->patch)
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    job->stats.width = g->width;
    job->stats.height = g->height;
    if (!job->null_output) {
        zimu_out_opts oo = {
            .path = job->out_path, .write_cb = job->out_write, .write_opaque = job->out_opaque,
            .overwrite = job->overwrite,
            .width = g->width, .height = g->height,
            .time_base = zimu__in_video_tb(R->in), .frame_rate = zimu__in_frame_rate(R->in),
            .sample_aspect_ratio = g->sar, .colorspace = g->colorspace,
            .color_primaries = g->primaries, .color_trc = g->trc, .color_range = g->range,
            .crf = job->crf, .preset = job->preset ? job->preset : "medium",
            .threads = job->threads,
            .audio = R->audio == 1 ? ZIMU_AUDIO_COPY : R->audio == 2 ? ZIMU_AUDIO_ENCODE
                                                                     : ZIMU_AUDIO_NONE,
            .audio_par = zimu__in_audio_par(R->in), .audio_tb = zimu__in_audio_tb(R->in),
        };
        if (R->mix) {
            oo.audio_par = zimu__audio_mix_par(R->mix);
            oo.audio_tb = (AVRational){1, 48000};
        }
        r = zimu__out_open(R->c, &R->out, &oo);
        if (r < 0)
            return r;
    }
    R->started = 1;
    job->stats.audio = R->audio;
    /* Audio that waited for the output. */
    for (int i = 0; i < R->nq && r >= 0; i++) {
        if (R->qpkt[i])
            r = zimu__out_audio_packet(R->out, R->qpkt[i]);
        else if (R->qfrm[i])
            r = zimu__out_audio_frame(R->out, R->qfrm[i]);
    }
    for (int i = 0; i < R->nq; i++) {
        av_packet_free(&R->qpkt[i]);
        av_frame_free(&R->qfrm[i]);
    }
    R->nq = 0;
    return r;
}

/* Make the box of f drawable. A frame the decoder still holds is copied,
 * unless nothing else reads it meanwhile: then only the box is saved, to be
 * put back after encoding (see patch.h). */
static int drawable(run *R, AVFrame *f, int x, int y, int w, int h)
{
    if (av_frame_is_writable(f))
        return 0;
    int e = R->inplace ? zimu__patch_save(R->patch, f, x, y, w, h) : av_frame_make_writable(f);
    return e < 0 ? zimu__fail(R->c, ZIMU_ENOMEM, "out of memory") : 0;
}

/* Keep the times of the frames with captions nearest the middle of the
 * output (out_ms: this frame's time in the output). */
static void note_shown(run *R, int64_t out_ms)
{
    int x, y, w, h;
    zimu_job *job = R->job;
    if (!zimu__renderer_box(R->rend, 0, &x, &y, &w, &h))
        return;
    int64_t mid = zimu__in_duration_ms(R->in) / 2;
    if (out_ms <= mid)
        job->shown_before_mid = out_ms;
    else if (job->shown_after_mid < 0)
        job->shown_after_mid = out_ms;
}

int64_t zimu__job_captioned_ms(const zimu_job *job)
{
    int64_t mid = job->stats.duration_ms / 2, a = job->shown_before_mid,
            b = job->shown_after_mid;
    if (a < 0 || b < 0)
        return a < 0 ? b : a;
    return mid - a <= b - mid ? a : b;
}

/* Render the captions for a frame and blend them in. */
static int caption_frame(run *R, AVFrame *f, int64_t src_ms)
{
    int r = zimu__renderer_update(R->rend, src_ms, f->colorspace, f->color_range);
    if (r < 0)
        return r;
    int x, y, w, h;
    for (int i = 0; i < 2; i++)
        if (zimu__renderer_box(R->rend, i, &x, &y, &w, &h) && (r = drawable(R, f, x, y, w, h)) < 0)
            return r;
    double t = zimu__cpu_now();
    zimu__renderer_blend(R->rend, f);
    zimu_stats *st = &R->job->stats;
    double render_s, compose_s;
    zimu__renderer_costs(R->rend, &render_s, &compose_s, &st->overlay_updates);
    st->render_ms_total = render_s * 1000;
    R->blend_s += zimu__cpu_now() - t;
    st->compose_ms_total = (compose_s + R->blend_s) * 1000;
    return 0;
}

/* A failure after zimu_job_cancel() is the cancel (a signal may have made
 * some system call fail with EINTR first). */
static int settle(zimu_ctx *c, int r)
{
    if (r < 0 && r != ZIMU_ECANCEL && zimu__cancelled(c))
        return zimu__fail_cancel(c);
    return r < 0 ? r : 0;
}

static int report(run *R, int final)
{
    zimu_job *job = R->job;
    if (!job->progress)
        return 0;
    double now = zimu__now();
    if (!final && now - R->last_progress < 0.1)
        return 0;
    R->last_progress = now;
    zimu_progress p = {
        .frames = job->stats.frames, .frames_est = zimu__in_frames_est(R->in),
        .pos_ms = job->stats.duration_ms, .duration_ms = zimu__in_duration_ms(R->in),
        .elapsed = now - R->t0,
    };
    if (job->progress(job->progress_opaque, &p))
        return zimu__fail(R->c, ZIMU_ECANCEL, "cancelled");
    return 0;
}

static int queue_audio(run *R, zimu_in_item *it)
{
    if (R->nq == QUEUE_MAX)
        return zimu__fail(R->c, ZIMU_EDECODE, "audio runs far ahead of the video");
    R->qpkt[R->nq] = it->pkt ? av_packet_clone(it->pkt) : NULL;
    R->qfrm[R->nq] = it->frame ? av_frame_clone(it->frame) : NULL;
    if (!R->qpkt[R->nq] && !R->qfrm[R->nq])
        return zimu__fail(R->c, ZIMU_ENOMEM, "out of memory");
    R->nq++;
    return 0;
}

/* "0:00:07.2": ms rounded to tenths (round: 50, down: 0, up: 99). */
static void clock_text(char *buf, size_t size, int64_t ms, int round)
{
    int64_t ds = (ms + round) / 100;
    snprintf(buf, size, "%d:%02d:%02d.%d", (int)(ds / 36000), (int)(ds / 600 % 60),
             (int)(ds / 10 % 60), (int)(ds % 10));
}

static void damage_text(char *buf, size_t size, const char *name, const zimu_in_range *d)
{
    char a[32], b[32];
    clock_text(a, sizeof a, d->from_ms, 50);
    clock_text(b, sizeof b, d->to_ms, 50);
    if (!strcmp(a, b)) {
        /* One damaged frame: "0:00:01.4-0:00:01.4" would say nothing. */
        clock_text(a, sizeof a, d->from_ms, 0);
        clock_text(b, sizeof b, d->to_ms, 99);
    }
    snprintf(buf, size,
             d->cut ? zimu__tr("%s: %s-%s is missing (the file ends early: cut off?)")
                    : zimu__tr("%s: %s-%s could not be decoded (garbage in the file?)"),
             name, a, b);
}

_Static_assert(sizeof ((zimu_job *)0)->damage / sizeof ((zimu_job *)0)->damage[0] >=
               ZIMU__IN_MAX_DAMAGE, "room for the reader's damage ranges");

/* Damage the reader found in the input (media_in.h). During the run (final
 * 0): only strict mode looks, and fails at the first range. At the end, or
 * at that failure, the ranges go to the job and its stats; at the end each
 * is a warning. */
static int check_damage(run *R, int final)
{
    zimu_job *job = R->job;
    const char *name = job->in_path ? job->in_path : job->in_name ? job->in_name : "input";
    const zimu_in_range *d;
    int n = zimu__in_damage(R->in, &d);
    char msg[ZIMU_ERRMSG_MAX];
    int stop = job->strict && n > 0;
    if (!final && !stop)
        return 0;
    job->n_damage = n;
    job->stats.damaged_ranges = n;
    job->stats.damaged_ms = 0;
    for (int i = 0; i < n; i++) {
        job->damage[i][0] = d[i].from_ms;
        job->damage[i][1] = d[i].to_ms;
        job->stats.damaged_ms += d[i].to_ms - d[i].from_ms;
        if (!stop) {
            damage_text(msg, sizeof msg, name, &d[i]);
            zimu__log(R->c, ZIMU_LOG_WARNING, "%s", msg);
        }
    }
    if (stop) {
        damage_text(msg, sizeof msg, name, &d[0]);
        return zimu__fail(R->c, ZIMU_EDECODE, "%s; stopped (strict)", msg);
    }
    return 0;
}

static void run_free(run *R)
{
    zimu_renderer_free(&R->rend);
    zimu__patch_free(&R->patch);
    zimu__in_free(&R->in);
    av_frame_free(&R->mixf);
    zimu__audio_mix_free(&R->mix);
    zimu__cues_clear(&R->cues);
    zimu__flash_plan_free(&R->plan);
    zimu__capopts_clear(&R->flash_cap);
    for (int i = 0; i < R->nq; i++) {
        av_packet_free(&R->qpkt[i]);
        av_frame_free(&R->qfrm[i]);
    }
}

int zimu_job_run(zimu_job *job)
{
    CHECK_JOB(job);
    zimu__clear(&job->ctx);
    zimu__ffmpeg_log_default();
    memset(&job->stats, 0, sizeof job->stats);
    job->n_damage = 0;
    job->shown_before_mid = job->shown_after_mid = -1;
    run R = {.job = job, .c = &job->ctx, .t0 = zimu__now()};
    int r = 0;
    if (zimu__cancelled(R.c)) /* zimu_job_cancel() is for good */
        return zimu__fail_cancel(R.c);
    if (!job->null_output && !job->out_path && !job->out_write)
        return zimu__fail(R.c, ZIMU_EINVAL, "no output set");
    if (job->out_path && !job->null_output &&
        ((r = zimu__out_check_name(R.c, job->out_path)) < 0 ||
         (r = check_output(&R, job->out_path)) < 0))
        goto done;
    if ((r = open_input(&R, job->from_ms, job->to_ms)) < 0)
        goto done;
    int64_t clip_from, clip_to;
    clip_window(&R, job->from_ms, &clip_from, &clip_to);
    if ((r = load_captions(&R, clip_from, clip_to)) < 0)
        goto done;
    if ((r = R.mixing = mix_wanted(&R)) < 0 || (r = choose_audio(&R)) < 0)
        goto done;
    if (R.mixing)
        R.audio = 2;
    int64_t last_pts = AV_NOPTS_VALUE;
    AVRational vtb = zimu__in_video_tb(R.in);
    int trimmed = job->from_ms > 0 || job->to_ms >= 0;
    for (;;) {
        zimu_in_item it;
        /* zimu_job_cancel(), from a signal handler or another thread. */
        if (zimu__cancelled(R.c)) {
            r = zimu__fail_cancel(R.c);
            break;
        }
        r = zimu__in_read(R.in, &it);
        if (r <= 0)
            break;
        if (job->strict && (r = check_damage(&R, 0)) < 0)
            break;
        if (it.type == ZIMU_ITEM_VIDEO) {
            /* The mix starts where the output does: with a trim, at the
             * first frame kept; else at the file's start. */
            if (!R.started && R.mixing &&
                (r = open_mix(&R, trimmed ? it.src_ms : clip_from, clip_to)) < 0)
                break;
            if (!R.started && (r = start(&R)) < 0)
                break;
            if ((r = caption_frame(&R, it.frame, it.src_ms)) < 0)
                break;
            /* about the middle of the frame (frames last as long as the
             * one before): a preview at that time shows it */
            int64_t half = last_pts != AV_NOPTS_VALUE ? (it.frame->pts - last_pts) / 2 : 0;
            note_shown(&R, av_rescale_q(it.frame->pts + half, vtb, (AVRational){1, 1000}));
            if (R.out && (r = zimu__out_video(R.out, it.frame)) < 0)
                break;
            /* The encoder has copied the frame: give the decoder its
             * picture back as it was. */
            if (zimu__patch_pending(R.patch))
                zimu__patch_restore(R.patch, it.frame);
            /* The output lasts to the end of its last frame. */
            int64_t dur = last_pts != AV_NOPTS_VALUE ? it.frame->pts - last_pts
                        : av_rescale_q(1, av_inv_q(zimu__in_frame_rate(R.in)), vtb);
            last_pts = it.frame->pts;
            job->stats.frames++;
            job->stats.duration_ms = av_rescale_q(last_pts + dur, vtb, (AVRational){1, 1000});
            av_frame_unref(it.frame);
            /* The mixed sound, up to the end of this frame. */
            if (R.mix && R.out &&
                (r = mix_until(&R, av_rescale_q(last_pts + dur, vtb, (AVRational){1, 48000}))) < 0)
                break;
            if ((r = report(&R, 0)) < 0)
                break;
        } else if (job->null_output) {
            continue;
        } else if (!R.started) {
            if ((r = queue_audio(&R, &it)) < 0)
                break;
        } else if (it.type == ZIMU_ITEM_AUDIO_PACKET) {
            if ((r = zimu__out_audio_packet(R.out, it.pkt)) < 0)
                break;
        } else if ((r = zimu__out_audio_frame(R.out, it.frame)) < 0) {
            break;
        }
    }
    if (r == 0)
        r = check_damage(&R, 1);
    if (r == 0 && !R.started) {
        const char *name = job->in_path ? job->in_path : job->in_name ? job->in_name : "input";
        r = job->from_ms > 0 || job->to_ms >= 0
            ? zimu__fail(R.c, ZIMU_EINVAL, "%s: no video frame in the chosen time range", name)
            : zimu__fail(R.c, ZIMU_EDECODE, "%s: no video frame could be decoded", name);
    }
    if (r == 0 && R.out) {
        r = zimu__out_video(R.out, NULL);
        if (r >= 0 && R.mix)
            r = mix_until(&R, INT64_MAX);
        if (r >= 0 && R.audio == 2)
            r = zimu__out_audio_frame(R.out, NULL);
    }
    if (r == 0)
        r = report(&R, 1);
done:
    if (R.out) {
        int rc = zimu__out_close(R.c, &R.out, r == 0);
        if (r == 0)
            r = rc;
    }
    job->stats.elapsed = zimu__now() - R.t0;
    run_free(&R);
    return settle(R.c, r);
}

/* One frame as PNG: the preview (captions as at t_ms) or the cover. */
static int snapshot(zimu_job *job, int64_t t_ms, const char *path, int cover)
{
    if (job && job->ctx.magic != ZIMU__MAGIC_JOB)
        return ZIMU_EBADHANDLE;
    if (!job || !path || !*path || t_ms < 0)
        return job ? zimu__fail(&job->ctx, ZIMU_EINVAL, "preview needs a time >= 0 and a path") : ZIMU_EINVAL;
    zimu__clear(&job->ctx);
    zimu__ffmpeg_log_default();
    run R = {.job = job, .c = &job->ctx, .t0 = zimu__now(), .cover = cover, .snapshot = 1};
    if (zimu__cancelled(R.c))
        return zimu__fail_cancel(R.c);
    int r = zimu__png_check_name(R.c, path);
    if (r < 0 || (r = check_output(&R, path)) < 0)
        goto done;
    int64_t from = job->from_ms + t_ms;
    if (job->to_ms >= 0 && from >= job->to_ms)
        from = job->to_ms - 1;
    if ((r = open_input(&R, from, -1)) < 0)
        goto done;
    int64_t clip_from, clip_to;
    clip_window(&R, from, &clip_from, &clip_to);
    if (!cover && (r = load_captions(&R, clip_from, clip_to)) < 0)
        goto done;
    zimu_in_item it;
    while ((r = zimu__in_read(R.in, &it)) > 0 && it.type != ZIMU_ITEM_VIDEO)
        if (zimu__cancelled(R.c)) {
            r = zimu__fail_cancel(R.c);
            break;
        }
    if (r < 0)
        goto done;
    if (r == 0) {
        if (zimu__job_standalone(job))
            r = zimu__fail(R.c, ZIMU_EINVAL, "%s: no frame at %.3f s: the video is %.3f s "
                           "long", job->flash_path ? job->flash_path : job->flash_name,
                           t_ms / 1000.0, R.plan.length_ms / 1000.0);
        else
            r = zimu__fail(R.c, ZIMU_EINVAL, "%s: no frame at %.3f s (past the end?)",
                           job->in_path ? job->in_path : "input", t_ms / 1000.0);
        goto done;
    }
    int null_output = job->null_output;
    job->null_output = 1; /* set up renderer and compositor only */
    r = start(&R);
    job->null_output = null_output;
    if (r >= 0)
        r = caption_frame(&R, it.frame, it.src_ms);
    if (r >= 0)
        r = zimu__write_png(R.c, it.frame, path, job->overwrite);
done:
    run_free(&R);
    return settle(R.c, r);
}

int zimu_job_preview(zimu_job *job, int64_t t_ms, const char *path)
{
    return snapshot(job, t_ms, path, 0);
}

/* The cover: the frame at t_ms with the title in the cover style and no
 * captions (a caption cut from the middle of a sentence is not what a
 * cover should say; the app's grid shows the cover small, so the title is
 * big and in the middle). */
int zimu_job_cover(zimu_job *job, int64_t t_ms, const char *path)
{
    return snapshot(job, t_ms, path, 1);
}

int zimu_job_probe(zimu_job *job, int *frame_w, int *frame_h, int rect[4])
{
    CHECK_JOB(job);
    if (!frame_w || !frame_h || !rect)
        return job ? zimu__fail(&job->ctx, ZIMU_EINVAL, "probe needs places for its results")
                   : ZIMU_EINVAL;
    zimu__clear(&job->ctx);
    zimu__ffmpeg_log_default();
    run R = {.job = job, .c = &job->ctx, .t0 = zimu__now()};
    if (zimu__cancelled(R.c))
        return zimu__fail_cancel(R.c);
    int r = open_input(&R, job->from_ms, job->to_ms);
    zimu_in_item it;
    while (r >= 0 && (r = zimu__in_read(R.in, &it)) > 0 && it.type != ZIMU_ITEM_VIDEO)
        ;
    if (r == 0)
        r = zimu__fail(R.c, ZIMU_EDECODE, "%s: no video frame could be decoded",
                       job->in_path ? job->in_path : "input");
    if (r > 0) {
        const zimu_in_geometry *g = zimu__in_geometry(R.in);
        *frame_w = g->width;
        *frame_h = g->height;
        rect[0] = g->pic_x;
        rect[1] = g->pic_y;
        rect[2] = g->pic_w;
        rect[3] = g->pic_h;
        r = 0;
    }
    run_free(&R);
    return r;
}

/* The job's captions as a caption file: what a burn with these settings
 * would show (zimu convert). The frame comes from the input, or from the
 * size when there is no input. */
int zimu_job_save_captions(zimu_job *job, const char *path)
{
    CHECK_JOB(job);
    zimu__clear(&job->ctx);
    zimu__ffmpeg_log_default();
    memset(&job->stats, 0, sizeof job->stats);
    run R = {.job = job, .c = &job->ctx, .t0 = zimu__now()};
    if (zimu__cancelled(R.c))
        return zimu__fail_cancel(R.c);
    if (!path || !*path)
        return zimu__fail(R.c, ZIMU_EINVAL, "output path is empty");
    int fmt = zimu__write_format(path);
    if (!fmt)
        return zimu__fail_file(R.c, ZIMU_EINVAL, path,
                               "%s: the name must end in .srt, .vtt, .ass or .lrc (the format "
                               "is taken from it)", path);
    int r = check_output(&R, path);
    if (r < 0)
        goto done;
    zimu_in_geometry g0 = {.width = job->width, .height = job->height};
    const zimu_in_geometry *g = &g0;
    if (job->in_path || job->in_read) {
        if ((r = open_input(&R, job->from_ms, job->to_ms)) < 0)
            goto done;
        zimu_in_item it;
        while ((r = zimu__in_read(R.in, &it)) > 0 && it.type != ZIMU_ITEM_VIDEO)
            ;
        if (r == 0)
            r = zimu__fail(R.c, ZIMU_EDECODE, "%s: no video frame could be decoded",
                           job->in_path ? job->in_path : "input");
        if (r < 0)
            goto done;
        g = zimu__in_geometry(R.in);
    } else if (fmt == ZIMU__SUBS_ASS && !g0.width) {
        r = zimu__fail(R.c, ZIMU_EINVAL, "an ASS file is laid out for a frame: give a size "
                                         "or an input clip");
        goto done;
    }
    int64_t clip_from, clip_to;
    clip_window(&R, job->from_ms, &clip_from, &clip_to);
    if ((r = load_captions(&R, clip_from, clip_to)) < 0)
        goto done;
    job->stats.width = g->width;
    job->stats.height = g->height;
    zimu_sbuf b = {0};
    /* Between the steps too: nothing is published after a cancel. */
#define NOT_CANCELLED() (!zimu__cancelled(R.c) || (r = zimu__fail_cancel(R.c), 0))
    if (fmt == ZIMU__SUBS_ASS) {
        job->stats.captions = (int64_t)R.cues.n;
        if ((r = start_renderer(&R, g)) >= 0 && NOT_CANCELLED())
            r = zimu_renderer_save_ass(R.rend, path, job->overwrite);
    } else {
        job->stats.captions = (int64_t)R.cues.n;
        if (r >= 0 && NOT_CANCELLED())
            r = zimu__subs_write(R.c, &R.cues, fmt, NULL, &b);
        if (r >= 0 && NOT_CANCELLED())
            r = zimu__write_file_atomic(R.c, path, b.s ? b.s : "", b.len, job->overwrite);
        zimu__sb_free(&b);
    }
#undef NOT_CANCELLED
done:
    job->stats.elapsed = zimu__now() - R.t0;
    run_free(&R);
    return settle(R.c, r);
}
