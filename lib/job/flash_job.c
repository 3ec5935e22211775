/* flash_job.c - a flash script as a job's text: the setters, and the plan a
 * run (burn.c) follows: parse the script, find the beats of its music when
 * its timing asks for them, time the cards, and hand over cues,
 * backgrounds and the stand-alone frame. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>

#include "anim.h"
#include "chinese.h"
#include "flash.h"
#include "flash_job.h"

static void clear_flash(zimu_job *job)
{
    free(job->flash_path);
    free(job->flash_data);
    free(job->flash_name);
    job->flash_path = job->flash_data = job->flash_name = NULL;
    job->flash_size = 0;
}

int zimu_job_set_flash(zimu_job *job, const char *path)
{
    CHECK_JOB(job);
    if (path && !*path)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "flash script path is empty");
    char *copy = path ? strdup(path) : NULL;
    if (path && !copy)
        return zimu__fail(&job->ctx, ZIMU_ENOMEM, "out of memory");
    clear_flash(job);
    job->flash_path = copy;
    return 0;
}

int zimu_job_set_flash_data(zimu_job *job, const void *data, size_t size, const char *name)
{
    CHECK_JOB(job);
    if (!data && size)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "flash script data is NULL");
    char *copy = malloc(size + 1);
    char *nm = strdup(name ? name : "script");
    if (!copy || !nm) {
        free(copy);
        free(nm);
        return zimu__fail(&job->ctx, ZIMU_ENOMEM, "out of memory");
    }
    if (size)
        memcpy(copy, data, size);
    copy[size] = 0;
    clear_flash(job);
    job->flash_data = copy;
    job->flash_size = size;
    job->flash_name = nm;
    return 0;
}

int zimu_job_set_frame_rate(zimu_job *job, int num, int den)
{
    CHECK_JOB(job);
    if (num <= 0 || den <= 0 || (double)num / den < 1 || (double)num / den > 240)
        return zimu__fail(&job->ctx, ZIMU_EINVAL,
                          "frame rate %d/%d is not valid (1 to 240 frames a second)", num, den);
    AVRational q = av_make_q(num, den);
    av_reduce(&q.num, &q.den, q.num, q.den, INT32_MAX);
    job->fps_num = q.num;
    job->fps_den = q.den;
    return 0;
}

int zimu__job_has_flash(const zimu_job *job)
{
    return job->flash_path || job->flash_data;
}

int zimu__job_standalone(const zimu_job *job)
{
    return zimu__job_has_flash(job) && !job->in_path && !job->in_read;
}

void zimu__flash_plan_free(zimu_flash_plan *p)
{
    zimu__cues_clear(&p->cues);
    free(p->bgs.v);
    free(p->music);
    free(p->look);
    memset(p, 0, sizeof *p);
}

/* Length of a media file's sound in ms (0: not known). Errors as the beat
 * tracker's (the file is opened there first). */
static int64_t media_ms(const char *path)
{
    AVFormatContext *fmt = NULL;
    int64_t ms = 0;
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0)
        return 0;
    if (avformat_find_stream_info(fmt, NULL) >= 0 && fmt->duration > 0 &&
        fmt->duration != AV_NOPTS_VALUE)
        ms = fmt->duration / 1000;
    avformat_close_input(&fmt);
    return ms;
}

/* The beats of the music for the beat timings. */
static int music_beats(zimu_ctx *c, const char *music, const zimu_flash_info *info,
                       double **beats, size_t *nb, double **downs, size_t *nd, double *bpm)
{
    zimu_beats *b = zimu_beats_new();
    if (!b)
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    int r = 0;
    if (info->bpm > 0)
        r = zimu_beats_set_bpm(b, info->bpm);
    if (r >= 0 && info->first_beat >= 0)
        r = zimu_beats_set_first_beat(b, info->first_beat);
    if (r >= 0)
        r = zimu_beats_analyze(b, music);
    if (r < 0) {
        const char *file = zimu_errfile(b);
        if (file)
            zimu__fail_file(c, r, file, "%s", zimu_errmsg(b));
        else
            zimu__fail(c, r, "%s", zimu_errmsg(b));
        zimu_beats_free(&b);
        return r;
    }
    int n = zimu_beats_count(b), m = zimu_beats_downbeat_count(b);
    *beats = n ? malloc((size_t)n * sizeof **beats) : NULL;
    *downs = m ? malloc((size_t)m * sizeof **downs) : NULL;
    if ((n && !*beats) || (m && !*downs)) {
        free(*beats);
        free(*downs);
        *beats = *downs = NULL;
        zimu_beats_free(&b);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        (*beats)[i] = zimu_beats_time(b, i);
    for (int i = 0; i < m; i++)
        (*downs)[i] = zimu_beats_downbeat_time(b, i);
    *nb = (size_t)n;
    *nd = (size_t)m;
    *bpm = zimu_beats_bpm(b);
    zimu_beats_free(&b);
    return 0;
}

/* Parse the job's script (read from its file, bounded like a caption
 * file). */
static int parse_script(const zimu_job *job, zimu_ctx *c, zimu_flash_script **s)
{
    if (job->flash_data)
        return zimu__flash_parse(c, job->flash_name, NULL, job->flash_data, job->flash_size, s);
    char *data;
    size_t size;
    int r = zimu__read_file(c, job->flash_path, job->cap.max_file_size, ZIMU_ESUBS,
                            N_("a flash script"), &data, &size);
    if (r == ZIMU_ENOENT) { /* the text is missing: a script error */
        char why[ZIMU_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", c->errmsg);
        return zimu__fail_file(c, ZIMU_ESUBS, job->flash_path, "%s", why);
    }
    if (r < 0)
        return r;
    char *dir_copy = strdup(job->flash_path);
    if (!dir_copy) {
        free(data);
        return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    }
    r = zimu__flash_parse(c, job->flash_path, dirname(dir_copy), data, size, s);
    free(dir_copy);
    free(data);
    if (r < 0 && r != ZIMU_ENOMEM)
        zimu__set_errfile(c, r, job->flash_path);
    return r;
}

char *zimu__flash_script_music(const zimu_job *job)
{
    zimu_ctx c = {0};
    zimu_flash_script *s = NULL;
    char *music = NULL;
    if (zimu__job_has_flash(job) && parse_script(job, &c, &s) >= 0 &&
        zimu__flash_info(s)->music)
        music = strdup(zimu__flash_info(s)->music);
    zimu__flash_free(&s);
    return music;
}

int zimu__flash_plan_make(zimu_job *job, zimu_ctx *c, const char *music, zimu_flash_plan *p)
{
    memset(p, 0, sizeof *p);
    zimu_flash_script *s = NULL;
    double *beats = NULL, *downs = NULL, bpm = 0;
    size_t nb = 0, nd = 0;
    int r = parse_script(job, c, &s);
    if (r < 0)
        return r;
    const zimu_flash_info *info = zimu__flash_info(s);
    if (!music)
        music = info->music;
    if (music && !(p->music = strdup(music)))
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    if (r >= 0 && info->look && !(p->look = strdup(info->look)))
        r = zimu__fail(c, ZIMU_ENOMEM, "out of memory");
    int64_t music_ms = 0;
    int on_beats = info->timing == ZIMU__FLASH_BEATS || info->timing == ZIMU__FLASH_DOWNBEATS;
    if (r >= 0 && music && on_beats) {
        r = music_beats(c, music, info, &beats, &nb, &downs, &nd, &bpm);
        if (r >= 0)
            music_ms = media_ms(music);
    }
    if (r >= 0 && zimu__cancelled(c))
        r = zimu__fail_cancel(c);
    if (r >= 0)
        r = zimu__flash_schedule(c, s, beats, nb, downs, nd, bpm, music_ms);
    if (r >= 0)
        r = zimu__flash_cues(c, s, &p->cues);
    if (r >= 0 && job->cap.chinese)
        r = zimu__chinese_cues(c, job->cc, job->cap.chinese, &p->cues, 0);
    if (r >= 0)
        r = zimu__flash_backgrounds(c, s, &p->bgs);
    if (r >= 0) {
        p->length_ms = zimu__flash_length_ms(s);
        if (job->width > 0) {
            p->width = job->width;
            p->height = job->height;
        } else if (info->width > 0) {
            p->width = (info->width + 1) & ~1;
            p->height = (info->height + 1) & ~1;
        } else {
            p->width = 1080;
            p->height = 1920;
        }
        if (job->fps_num > 0)
            p->rate = (AVRational){job->fps_num, job->fps_den};
        else if (info->fps > 0)
            p->rate = av_d2q(info->fps, 100000);
        else
            p->rate = (AVRational){30, 1};
    }
    free(beats);
    free(downs);
    zimu__flash_free(&s);
    if (r < 0)
        zimu__flash_plan_free(p);
    return r < 0 ? r : 0;
}

int zimu__flash_capopts(const zimu_job *job, const zimu_flash_plan *p, zimu_capopts *out)
{
    if (zimu__capopts_copy(out, &job->cap) < 0)
        return ZIMU_ENOMEM;
    if (!out->style && !(out->style = strdup(p->look ? p->look : "flash"))) {
        zimu__capopts_clear(out);
        return ZIMU_ENOMEM;
    }
    if (!job->max_lines_set)
        out->max_lines = 4;
    return 0;
}

/* Characters a card shows (not its override blocks or line breaks): the
 * typewriter's and bounce's in-animations take a step per character. */
static size_t visible_chars(const char *t)
{
    size_t n = 0;
    for (; *t; t++) {
        if (*t == '{') {
            const char *e = strchr(t, '}');
            if (e) {
                t = e;
                continue;
            }
        }
        n += *t != '\n' && ((unsigned char)*t & 0xC0) != 0x80;
    }
    return n;
}

int64_t zimu__flash_card_ready_ms(const zimu_cue *q)
{
    int64_t t = q->start_ms;
    if (q->fx && q->fx->in != ZIMU__FX_NONE) {
        int in_ms, out_ms, loop_ms;
        zimu__anim_times(q->fx, q->end_ms - q->start_ms, visible_chars(q->text), &in_ms,
                         &out_ms, &loop_ms);
        t += in_ms;
    }
    if (t >= q->end_ms)
        t = q->end_ms - 1;
    return t < q->start_ms ? q->start_ms : t;
}

int64_t zimu_job_flash_card_time(zimu_job *job, int card)
{
    CHECK_JOB(job);
    zimu__clear(&job->ctx);
    if (!zimu__job_has_flash(job))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "no flash script set");
    zimu_flash_plan p;
    int r = zimu__flash_plan_make(job, &job->ctx, job->music_path, &p);
    if (r < 0)
        return r;
    int64_t t;
    if (card < 0 || (size_t)card >= p.cues.n)
        t = zimu__fail(&job->ctx, ZIMU_EINVAL, "there is no card %d (the script has %zu)",
                       card, p.cues.n);
    else
        t = zimu__flash_card_ready_ms(&p.cues.v[card]);
    zimu__flash_plan_free(&p);
    return t;
}
